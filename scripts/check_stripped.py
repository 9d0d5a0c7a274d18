"""Fail if a committed chapter notebook carries outputs or execution counts.

Notebooks are committed without outputs; the book build executes them.
Fix with ``make format`` (which runs ``nbstripout``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dirty_cells(path: Path) -> list[int]:
    """Indices of code cells in ``path`` that carry outputs or an execution count."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        i
        for i, cell in enumerate(nb.get("cells", []))
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]


def main() -> int:
    bad = {p: dirty_cells(p) for p in sorted(ROOT.glob("chapters/**/*.ipynb"))}
    bad = {p: cells for p, cells in bad.items() if cells}
    for path, cells in bad.items():
        print(f"{path.relative_to(ROOT)}: outputs in code cells {cells}; run `make format`.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
