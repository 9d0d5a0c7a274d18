"""Kept for old commands and imports: the student edition is now made by ``scripts/editions.py``.

``python scripts/make_student.py [--check]`` is ``python scripts/editions.py --edition student
[--check]``; ``make_student.strip_solutions``, ``student_notebook``, ``solutions`` and the rest
are the functions of ``editions``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("editions", Path(__file__).with_name("editions.py"))
editions = sys.modules.get("editions") or importlib.util.module_from_spec(_spec)
if "editions" not in sys.modules:
    sys.modules["editions"] = editions
    _spec.loader.exec_module(editions)

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
