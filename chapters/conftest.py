"""pytest hooks for `pytest --nbval-lax chapters/` (used by `make notebooks`).

nbval executes every chapter in a fresh kernel. We keep what each cell printed
and glued in ``_build/nbval-outputs/<chapter>.json`` so that
``tests/built/test_determinism.py`` can compare this execution with the book
build's own (a second fresh kernel): every glued number and printed line must
be identical. We also keep the kernel's peak memory (``VmHWM``, Linux) in
``_build/nbval-outputs/peak-memory.json`` for ``tests/built/test_budgets.py``, and each
chapter's wall time (first cell to last, kernel start excluded) in ``wall-time.json``: a
measurement for the README, not a test.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "_build" / "nbval-outputs"
_RECORDED: dict[str, list[dict]] = defaultdict(list)
_PEAK_MB: dict[str, float] = {}
_WALL: dict[str, list[float]] = {}


def _kernel_peak_mb(item) -> float | None:
    """Peak resident memory of the kernel running ``item``'s notebook, in MiB."""
    try:
        pid = item.parent.kernel.km.provisioner.process.pid
        status = Path(f"/proc/{pid}/status").read_text()
    except (AttributeError, OSError):
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def comparable_outputs(outputs: list[dict]) -> list[str]:
    """The text of a cell's outputs that must not change between runs (no images)."""
    texts: list[str] = []
    for out in outputs:
        if out.get("output_type") == "stream":
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            prefix = f"{out.get('name')}: "
            if texts and texts[-1].startswith(prefix):  # consecutive stream messages, one text
                texts[-1] += text
            else:
                texts.append(prefix + text)
        elif out.get("output_type") in ("execute_result", "display_data"):
            if any(mime.startswith("image/") for mime in out.get("data", {})):
                continue  # figures are not compared (nbval may record one twice)
            for mime, value in out.get("data", {}).items():
                if mime.startswith("application/papermill.record") or mime == "text/plain":
                    texts.append(f"{mime}: {''.join(value) if isinstance(value, list) else value}")
        elif out.get("output_type") == "error":
            texts.append(f"error: {out.get('ename')}")
    return texts


def pytest_runtest_setup(item):
    if hasattr(item, "cell_num"):
        _WALL.setdefault(Path(str(item.parent.fspath)).stem, [time.perf_counter(), 0.0])


def pytest_runtest_teardown(item):
    outputs = getattr(item, "test_outputs", None)
    if outputs is None or not hasattr(item, "cell_num"):
        return
    stem = Path(str(item.parent.fspath)).stem
    if stem in _WALL:
        _WALL[stem][1] = time.perf_counter()
    _RECORDED[stem].append({"cell": item.cell_num, "outputs": comparable_outputs(outputs)})
    peak = _kernel_peak_mb(item)
    if peak is not None:
        _PEAK_MB[stem] = max(peak, _PEAK_MB.get(stem, 0.0))


def pytest_sessionfinish(session):
    if not _RECORDED:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for stem, cells in _RECORDED.items():
        (OUT / f"{stem}.json").write_text(json.dumps(cells, indent=1) + "\n")
    if _PEAK_MB:
        (OUT / "peak-memory.json").write_text(json.dumps(_PEAK_MB, indent=1) + "\n")
    wall = {stem: round(end - start, 1) for stem, (start, end) in _WALL.items() if end}
    (OUT / "wall-time.json").write_text(json.dumps(wall, indent=1) + "\n")
