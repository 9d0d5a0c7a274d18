"""Kept for old commands and imports: the student edition is now made by ``scripts/editions.py``.

``python scripts/make_student.py [--check]`` is ``python scripts/editions.py --edition student
[--check]``; ``make_student.strip_solutions``, ``student_notebook``, ``solutions`` and the rest
are the functions of ``editions``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts import editions  # noqa: E402

strip_solutions = editions.strip_solutions
student_notebook = editions.student_notebook
solutions = editions.solutions


def main(argv: list[str] | None = None) -> int:
    return editions.main(["--edition", "student", *(sys.argv[1:] if argv is None else argv)])


def __getattr__(name: str):
    return getattr(editions, name)


if __name__ == "__main__":
    sys.path.insert(0, str(editions.ROOT))
    sys.exit(main())
