"""The exercise checkers of each chapter: ``helpers.checks.chNN`` for ``chapters/NN_*.ipynb``.

Each module defines one :class:`helpers.exercises.Exercise` per checked exercise and lists
them in ``EXERCISES``. The tests (``tests/test_checks.py``) find every module here and fuzz
every exercise in it; ``scripts/make_student.py`` reads their points for the autograder.

A chapter's number is the part of its name before the first underscore: ``01_neuron`` is
chapter ``01`` (module ``ch01``), ``02b_learning`` is a section of chapter 2 with its own
number ``02b`` (module ``ch02b``). :func:`for_chapter` is the one place that maps the two.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

#: A chapter's file name without ``.ipynb``: two digits, an optional letter, ``_``, a topic.
CHAPTER_NAME = re.compile(r"(?P<number>[0-9]{2}[a-z]?)_[A-Za-z0-9_]+")


def chapter_number(chapter: str) -> str:
    """The number of a chapter from its name: ``"01_neuron"`` -> ``"01"``, ``"02b_learning"`` -> ``"02b"``.

    Parameters
    ----------
    chapter : str
        The notebook's name without folder or ``.ipynb`` (``"01_neuron"``).

    Returns
    -------
    str
        The number, as in the checks module's name (``ch01``, ``ch02b``).

    Raises
    ------
    ValueError
        If ``chapter`` is not a name like ``01_neuron``.
    """
    match = CHAPTER_NAME.fullmatch(chapter) if isinstance(chapter, str) else None
    if match is None:
        raise ValueError(
            f"chapter must be a chapter's file name without .ipynb, such as '01_neuron' or "
            f"'02b_learning'; got {chapter!r}"
        )
    return match["number"]


def for_chapter(chapter: str) -> ModuleType:
    """The checks module of a chapter: ``helpers.checks.ch01`` for ``"01_neuron"``.

    Parameters
    ----------
    chapter : str
        The notebook's name without folder or ``.ipynb``.

    Returns
    -------
    module
        ``helpers.checks.chNN``, with its ``EXERCISES``.

    Raises
    ------
    ValueError
        If ``chapter`` is not a chapter's name, or the chapter has no checks module.
    """
    number = chapter_number(chapter)
    try:
        return importlib.import_module(f"{__name__}.ch{number}")
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.ch{number}":
            raise
        raise ValueError(f"chapter {chapter!r} has no checked exercises (no module {error.name})") from None
