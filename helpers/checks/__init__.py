"""The exercise checkers of each chapter: ``helpers.checks.chNN`` for ``chapters/NN_*.ipynb``.

Each module defines one :class:`helpers.exercises.Exercise` per checked exercise and lists
them in ``EXERCISES``. The tests (``tests/test_checks.py``) find every module here and fuzz
every exercise in it; ``scripts/make_student.py`` reads their points for the autograder.
"""
