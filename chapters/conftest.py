"""pytest hooks for `pytest --nbval-lax chapters/` (used by `make notebooks`).

nbval executes every chapter in a fresh kernel. We keep what each cell printed
and glued in ``_build/nbval-outputs/<chapter>.json`` so that
``tests/built/test_determinism.py`` can compare this execution with the book
build's own (a second fresh kernel): every glued number and printed line must
be identical.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "_build" / "nbval-outputs"
_RECORDED: dict[str, list[dict]] = defaultdict(list)


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
            for mime, value in out.get("data", {}).items():
                if mime.startswith("application/papermill.record") or mime == "text/plain":
                    texts.append(f"{mime}: {''.join(value) if isinstance(value, list) else value}")
        elif out.get("output_type") == "error":
            texts.append(f"error: {out.get('ename')}")
    return texts


def pytest_runtest_teardown(item):
    outputs = getattr(item, "test_outputs", None)
    if outputs is None or not hasattr(item, "cell_num"):
        return
    _RECORDED[Path(str(item.parent.fspath)).stem].append(
        {"cell": item.cell_num, "outputs": comparable_outputs(outputs)}
    )


def pytest_sessionfinish(session):
    if not _RECORDED:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for stem, cells in _RECORDED.items():
        (OUT / f"{stem}.json").write_text(json.dumps(cells, indent=1) + "\n")
