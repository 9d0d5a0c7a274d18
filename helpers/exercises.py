"""Checked exercises, in the spirit of Kaggle Learn's ``learntools``.

Each exercise of a chapter is an :class:`Exercise` object, defined once in
``helpers/checks/chNN.py``. In the notebook the learner writes an answer in a
cell holding a placeholder (``...``), then runs ``checks.NAME.check()``:

* a placeholder or a missing variable gives **not attempted yet**;
* a wrong answer gives **not right yet** and a message that says what is wrong,
  without revealing the expected value;
* a right answer gives **correct**.

``check()`` never raises on a learner's answer, however odd (a string, the
wrong shape, NaN, a function that raises). When an autograder runs the notebook
(nbgrader sets ``NBGRADER_EXECUTION``; any other grader can set ``HOTL_GRADING=1``),
``check()`` also writes the answers into its output as evidence
(:mod:`helpers.evidence`), and raises ``AssertionError`` when they are not correct.
The grade does not come from that kernel, which the learner's cells control: the
grader (``scripts/grade.py``) decodes the evidence and checks it again in its own
process (:meth:`Exercise.grade`). Switching grading mode off from a cell therefore
only loses the evidence, and with it the points.

``hint()`` shows graded hints, one more each call, and ``solution()`` the
worked solution: the chapter's own solution cells, which ``scripts/editions.py``
collects into ``helpers/checks/solutions.json`` (the notebook is their one source).

A checker is a function of the answers that returns ``None`` (or a short
message to show with "correct") when they are right, and raises :class:`Wrong`
(what is wrong) or :class:`NotAttempted` otherwise. It holds course content only:
the truth and the typical mistakes. The readers below turn odd input into a
:class:`Wrong` with a useful message, for every shape of answer: a number
(:func:`as_number`, :func:`as_int`, :func:`as_fraction`, :func:`as_bool`), a list
(:func:`as_list`), an array (:func:`as_array`), one of a few options
(:func:`as_choice`), a dict keyed by numbers or names (:func:`as_mapping`), a
learner's function (:func:`call`). :func:`close` is the one tolerance test, and
:class:`Number` declares a number (or a small array) with its tolerance and its
known mistakes: ``Number(truth, atol=..., mistakes=[(value, message), ...]).judge(answer)``.
"""

from __future__ import annotations

import enum
import functools
import html
import json
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from helpers import evidence
from helpers._validation import check_int

__all__ = [
    "Assignment",
    "Exercise",
    "Feedback",
    "NotAttempted",
    "Number",
    "Status",
    "Wrong",
    "as_array",
    "assign",
    "assignment",
    "as_bool",
    "as_choice",
    "as_fraction",
    "as_int",
    "as_list",
    "as_mapping",
    "as_number",
    "call",
    "close",
    "grading",
    "judging_truth",
]

#: Environment variables that switch ``check()`` to grading mode.
GRADING_VARIABLES = ("NBGRADER_EXECUTION", "HOTL_GRADING")


class Status(enum.Enum):
    """The three outcomes of a check."""

    NOT_ATTEMPTED = "Not attempted yet"
    INCORRECT = "Not right yet"
    CORRECT = "Correct"


class Wrong(Exception):
    """Raised by a checker: the answer is wrong, and the message says what is wrong."""


class NotAttempted(Exception):
    """Raised by a checker: the answer still holds the placeholder."""


# Text colours with at least 4.5:1 contrast (WCAG 2.1 AA) on every background a feedback box meets:
# white (JupyterLab, Colab), the book's light output #f3f4f5 and the light box the theme puts HTML
# outputs in even in dark mode (#ced6dd): 5.6, 5.1 and 4.9:1 at worst.
_COLOURS = {Status.NOT_ATTEMPTED: "#495057", Status.INCORRECT: "#9b2c22", Status.CORRECT: "#176437"}


@dataclass(frozen=True)
class Feedback:
    """The result of checking an answer.

    Attributes
    ----------
    status : Status
        Not attempted, incorrect or correct.
    message : str
        What to do next, or what is wrong; never the expected answer.
    exercise : str
        The name of the exercise.
    """

    status: Status
    message: str
    exercise: str = ""

    @property
    def correct(self) -> bool:
        """Whether the answer was accepted."""
        return self.status is Status.CORRECT

    def __str__(self) -> str:
        return f"{self.status.value}: {self.message}"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython's plain-text display
        printer.text(str(self))

    def _repr_html_(self) -> str:
        message = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(self.message))
        colour = _COLOURS[self.status]
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 0.3em 0.8em;">'
            f'<strong style="color: {colour};">{self.status.value}</strong>: {message}</div>'
        )


@dataclass(frozen=True)
class Assignment:
    """The variant of the exercises a notebook works on, and whether it is graded coursework.

    Attributes
    ----------
    variant : int
        0 is the book's numbers; an instructor hands out others (``scripts/editions.py --graded``).
    graded : bool
        In graded coursework ``solution()`` and the last hint of each exercise are withheld.
    """

    variant: int = 0
    graded: bool = False


_ASSIGNMENT = [Assignment()]  # the one piece of state: set by assign(), like a seed


def assign(variant: int, graded: bool = True) -> Assignment:
    """Work on ``variant`` of every exercise (a graded notebook's first locked cell calls this).

    Parameters
    ----------
    variant : int
        The variant, >= 0 (0: the book's numbers).
    graded : bool, default True
        Withhold ``solution()`` and the last hint of each exercise.

    Returns
    -------
    Assignment
        The assignment now in force.
    """
    if not isinstance(graded, bool):
        raise TypeError(f"graded must be True or False, got {type(graded).__name__}.")
    _ASSIGNMENT[0] = Assignment(check_int(variant, "variant", minimum=0), graded)
    return _ASSIGNMENT[0]


def assignment() -> Assignment:
    """The assignment in force (see :func:`assign`): variant 0, not graded, unless assigned."""
    return _ASSIGNMENT[0]


class _Undefined:
    """Stands for an answer variable that the learner has not defined."""

    def __repr__(self) -> str:
        return "<undefined>"


UNDEFINED = _Undefined()


def grading() -> bool:
    """Whether an autograder is running the notebook (see ``GRADING_VARIABLES``).

    nbgrader sets ``NBGRADER_EXECUTION`` (to ``autograde`` or ``validate``); other graders set
    ``HOTL_GRADING=1``. ``HOTL_GRADING=0`` or unset means no.

    Raises
    ------
    ValueError
        If ``HOTL_GRADING`` holds anything but ``0``, ``1`` or nothing.
    """
    switch = os.environ.get("HOTL_GRADING", "").strip()
    if switch not in ("", "0", "1"):
        raise ValueError(f"HOTL_GRADING must be 0 or 1, got {switch!r}.")
    return switch == "1" or bool(os.environ.get("NBGRADER_EXECUTION"))


def _show(obj: Any, markdown: str | None = None) -> None:
    """Display ``obj`` in IPython (as Markdown if given), or print it elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(Markdown(markdown) if markdown is not None else obj)
    else:
        print(markdown if markdown is not None else obj)


def _show_bundle(feedback: Feedback, extra: dict[str, Any]) -> None:
    """Display ``feedback`` with ``extra`` MIME entries (the evidence) in IPython, or print it."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        bundle = {"text/plain": str(feedback), "text/html": feedback._repr_html_(), **extra}
        display(bundle, raw=True)
    else:
        print(feedback)


class Exercise:
    """One checked exercise: ``check()``, graded ``hint()``s and ``solution()``.

    Parameters
    ----------
    name : str
        A Python identifier, also the grade id in the autograder.
    answers : sequence of str
        The names of the notebook variables that hold the learner's answers, in
        the order the checker takes them. ``check()`` without arguments reads
        them from the notebook.
    checker : callable
        ``checker(*answers)`` returns ``None`` or a message when the answers are
        right and raises :class:`Wrong` or :class:`NotAttempted` otherwise. With
        ``variants``, it is called as ``checker(*answers, **params)``.
    hints : sequence of str
        Hints from gentle to explicit (Markdown), at least one.
    reference : tuple
        A correct set of answers, used by the tests (the checker must accept it).
    mistakes : sequence of tuple
        Typical wrong sets of answers, used by the tests (the checker must
        reject each, without revealing the expected answer).
    points : int, default 1
        Points awarded by the autograder.
    variants : callable, optional
        ``variants(n)`` returns the parameters (a dict of keyword arguments for the checker) of
        variant ``n`` of the exercise; variant 0 is the one in the book. An instructor hands out
        other variants with :func:`assign` (see ``scripts/editions.py --graded``).
    """

    def __init__(
        self,
        name: str,
        *,
        answers: Sequence[str],
        checker: Callable[..., str | None],
        hints: Sequence[str],
        reference: tuple,
        mistakes: Sequence[tuple] = (),
        points: int = 1,
        variants: Callable[[int], Mapping[str, Any]] | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"name must be a Python identifier, got {name!r}.")
        if isinstance(answers, str) or not answers or not all(isinstance(a, str) for a in answers):
            raise TypeError(f"answers must be a non-empty sequence of variable names, got {answers!r}.")
        if not callable(checker):
            raise TypeError(f"checker must be callable, got {type(checker).__name__}.")
        if variants is not None and not callable(variants):
            raise TypeError(f"variants must be callable or None, got {type(variants).__name__}.")
        if isinstance(hints, str) or not hints:
            raise ValueError("hints must be a non-empty sequence of strings (gentle first).")
        if not isinstance(reference, tuple) or len(reference) != len(answers):
            raise ValueError(f"reference must be a tuple of {len(answers)} answer(s), got {reference!r}.")
        for mistake in mistakes:
            if not isinstance(mistake, tuple) or len(mistake) != len(answers):
                raise ValueError(
                    f"each mistake must be a tuple of {len(answers)} answer(s), got {mistake!r}."
                )
        self.name = name
        self.answers = tuple(answers)
        self.checker = checker
        self.hints = tuple(hints)
        self.reference = reference
        self.mistakes = tuple(mistakes)
        self.points = check_int(points, "points", minimum=1)
        self.variants = variants
        self._hints_shown = 0

    def __repr__(self) -> str:
        return f"Exercise({self.name!r}, answers={self.answers!r}, points={self.points})"

    def params(self, variant: int | None = None) -> dict[str, Any]:
        """The parameters of ``variant`` (default: the assigned one, see :func:`assign`); ``{}`` without variants."""
        variant = assignment().variant if variant is None else check_int(variant, "variant", minimum=0)
        return dict(self.variants(variant)) if self.variants is not None else {}

    def numbers(self) -> None:
        """Show the numbers of the assigned variant (they replace the book's in the exercise)."""
        params = self.params()
        if not params:
            _show(None, markdown=f"`{self.name}` has the same numbers in every variant: those of the text.")
            return
        shown = ", ".join(f"`{k} = {v!r}`" for k, v in params.items())
        _show(None, markdown=f"**Your numbers** (variant {assignment().variant}): {shown}")

    def evaluate(self, *answers: Any, variant: int | None = None) -> Feedback:
        """Check ``answers`` and return the feedback; never raises.

        Parameters
        ----------
        *answers
            One value per name in ``self.answers``.
        variant : int, optional
            Check against this variant's numbers (default: the assigned one).

        Returns
        -------
        Feedback
        """
        params = self.params(variant)  # a bad variant is the caller's error: it raises
        names = ", ".join(f"`{n}`" for n in self.answers)
        if len(answers) != len(self.answers):
            return self._feedback(
                Status.INCORRECT, f"expected {len(self.answers)} answer(s) ({names}), got {len(answers)}."
            )
        undefined = [n for n, a in zip(self.answers, answers) if a is UNDEFINED]
        if undefined:
            missing = ", ".join(f"`{n}`" for n in undefined)
            return self._feedback(
                Status.NOT_ATTEMPTED,
                f"{missing} is not defined. Run the answer cell above (it defines {names}), then this check.",
            )
        if any(a is Ellipsis for a in answers):
            return self._feedback(
                Status.NOT_ATTEMPTED,
                f"replace the `...` placeholder in the answer cell ({names}), run it, then run this check.",
            )
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                message = self.checker(*answers, **params)
        except NotAttempted as exc:
            return self._feedback(Status.NOT_ATTEMPTED, str(exc) or "replace the `...` placeholder first.")
        except Wrong as exc:
            return self._feedback(Status.INCORRECT, str(exc) or "that is not the answer.")
        except Exception as exc:  # a checker must never crash on odd input
            return self._feedback(
                Status.INCORRECT,
                f"your answer could not be checked ({type(exc).__name__}: {_short(exc)}). "
                f"Check the type of {names}.",
            )
        return self._feedback(
            Status.CORRECT, message if isinstance(message, str) and message else "well done."
        )

    def check(self, *answers: Any) -> None:
        """Show whether the answers are right.

        Without arguments, reads the variables named in ``self.answers`` from
        the notebook (the caller's globals). Never raises, except in grading
        mode (see :func:`grading`): there the output also carries the answers as
        evidence for the grader (:meth:`grade`), and an answer that is not correct
        raises ``AssertionError``.
        """
        if not answers:
            namespace = sys._getframe(1).f_globals
            answers = tuple(namespace.get(n, UNDEFINED) for n in self.answers)
        if not grading():
            _show(self.evaluate(*answers))
            return
        feedback, payload = self._graded(*answers)
        _show_bundle(feedback, {evidence.MIME_TYPE: payload})
        if not feedback.correct:
            raise AssertionError(f"{self.name}: {feedback}")

    def _graded(self, *answers: Any) -> tuple[Feedback, dict]:
        """The feedback on ``answers`` and the evidence a graded ``check()`` writes of them.

        A learner's function is wrapped in an :class:`evidence.Recorder` while the checker runs,
        so that the evidence holds the calls the checker made.
        """
        recorded = tuple(
            evidence.Recorder(a) if callable(a) and not isinstance(a, type) else a for a in answers
        )
        feedback = self.evaluate(*recorded)
        payload = {
            "exercise": self.name,
            "variant": assignment().variant,
            "answers": [evidence.encode(a) for a in recorded],
        }
        return feedback, payload

    def grade(self, payload: Any, variant: int = 0) -> Feedback:
        """Check the evidence a graded ``check()`` wrote (see :mod:`helpers.evidence`).

        Whatever the payload holds (nothing, a forgery), the result is feedback, not an error.

        Parameters
        ----------
        payload : dict or None
            ``{"exercise": name, "variant": n, "answers": [...]}`` as found in the check cell's
            output; ``None`` when the cell wrote none.
        variant : int, default 0
            The learner's variant, as the grader knows it (the payload's own is not trusted).

        Returns
        -------
        Feedback
            What :meth:`evaluate` says of the decoded answers, or "not attempted" when there is
            no evidence for this exercise.

        Raises
        ------
        TypeError, ValueError
            If ``variant`` is not an int >= 0.
        """
        variant = check_int(variant, "variant", minimum=0)
        if not isinstance(payload, Mapping) or payload.get("exercise") != self.name:
            return self._feedback(
                Status.NOT_ATTEMPTED,
                "the check cell left no evidence of your answers: run the notebook from the top, "
                "without changing or deleting the check cells.",
            )
        answers = payload.get("answers")
        if not isinstance(answers, list):
            answers = []
        return self.evaluate(*(evidence.decode(a) for a in answers), variant=variant)

    def hint(self, n: int | None = None) -> None:
        """Show hint ``n`` (1-based); without ``n``, the next one."""
        if n is None:
            n = min(self._hints_shown + 1, len(self.hints))
        n = check_int(n, "n", minimum=1)
        if n > len(self.hints):
            raise ValueError(f"{self.name} has {len(self.hints)} hint(s); ask for 1 to {len(self.hints)}.")
        if assignment().graded and n == len(self.hints) > 1:
            _show(None, markdown="The last hint is not available in a graded assignment.")
            return
        self._hints_shown = max(self._hints_shown, n)
        more = " Run `hint()` again for the next one." if n < len(self.hints) else ""
        _show(None, markdown=f"**Hint {n} of {len(self.hints)}:** {self.hints[n - 1]}{more}")

    def solution(self) -> None:
        """Show the worked solution: the chapter's solution cells (see ``solutions.json``)."""
        if assignment().graded:
            _show(None, markdown="Solutions are not available in a graded assignment.")
            return
        text = worked_solutions().get(self.name)
        if not text:
            text = "no worked solution is published for this exercise; ask your instructor."
        _show(None, markdown=f"**Solution:**\n\n{text}")

    def _feedback(self, status: Status, message: str) -> Feedback:
        return Feedback(status, message, self.name)


@functools.cache
def worked_solutions() -> dict[str, str]:
    """``exercise name -> Markdown`` from ``helpers/checks/solutions.json`` (generated from the chapters).

    Empty when the file is absent (a copy of ``helpers`` without the published solutions).
    """
    path = Path(__file__).parent / "checks" / "solutions.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


T = TypeVar("T")


def judging_truth(
    measured: T,
    recompute: Callable[[], T],
    distance: Callable[[T], float],
    agrees: Callable[[T], bool] = lambda truth: True,
    far: float = 3.0,
) -> T:
    """The truth to judge answers by: a stored measurement, recomputed only when it cannot decide.

    For results that take a training to recompute, a checker stores the chapter's measured
    result (a guard in the chapter asserts that the chapter still gives it) and judges most
    answers by it without training. Answers close to it, but not within a tolerance, may come
    from a machine whose training came out a little differently (other versions, other thread
    counts): only this machine's own result can decide those, so it is recomputed.

    Parameters
    ----------
    measured : object
        The chapter's result, as measured with its recipe (written into the checks module).
    recompute : callable
        Recomputes that result on this machine (seconds of training; cache it).
    distance : callable
        ``distance(truth)``: how far the answers' numbers are from ``truth``, in tolerances.
    agrees : callable, optional
        ``agrees(truth)``: whether the answers' choice (a threshold, a bool) is ``truth``'s.
    far : float, default 3.0
        Answers more than this many tolerances away are judged by ``measured`` (they are wrong
        on any machine).

    Returns
    -------
    object
        ``measured`` when the answers are within one tolerance of it and agree with it, or more
        than ``far`` tolerances away; otherwise ``recompute()``.
    """
    for function, name in ((recompute, "recompute"), (distance, "distance"), (agrees, "agrees")):
        if not callable(function):
            raise TypeError(f"{name} must be callable, got {type(function).__name__}.")
    gap = distance(measured)
    if gap > far or (gap <= 1.0 and agrees(measured)):
        return measured
    return recompute()


def _short(exc: BaseException, limit: int = 200) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def as_number(value: Any, name: str) -> float:
    """Return ``value`` as a finite float, or raise :class:`Wrong` saying why it is not one."""
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `{name}` with your answer.")
    if value is None:
        raise Wrong(f"`{name}` is None; assign it a number.")
    if isinstance(value, (bool, np.bool_)):
        raise Wrong(f"`{name}` is a boolean; it should be a number.")
    if isinstance(value, (str, bytes)):
        raise Wrong(f"`{name}` is a string; it should be a number, without quotes.")
    if isinstance(value, complex):
        raise Wrong(f"`{name}` is a complex number; it should be a real number.")
    try:
        arr = np.asarray(value, dtype=float)
    except Exception:
        raise Wrong(f"`{name}` should be a number, got a {type(value).__name__}.") from None
    if arr.size != 1:
        raise Wrong(f"`{name}` should be a single number, got {arr.size} values (shape {arr.shape}).")
    number = float(arr.reshape(()))
    if math.isnan(number):
        raise Wrong(f"`{name}` is NaN: something in your computation is undefined (0/0, inf - inf...).")
    if math.isinf(number):
        raise Wrong(f"`{name}` is infinite: something in your computation overflowed.")
    return number


def as_int(value: Any, name: str) -> int:
    """Return ``value`` as an int (a whole number), or raise :class:`Wrong`."""
    number = as_number(value, name)
    if number != round(number):
        raise Wrong(f"`{name}` should be a whole number, got a fraction.")
    return int(round(number))


def as_bool(value: Any, name: str) -> bool:
    """Return ``value`` as a bool (``True``/``False``, NumPy's too), or raise :class:`Wrong`."""
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `{name}` with True or False.")
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):
        raise Wrong(f"`{name}` is a string; answer True or False, without quotes.")
    raise Wrong(f"`{name}` should be True or False, got a {type(value).__name__}.")


def as_fraction(value: Any, name: str) -> float:
    """Return ``value`` as a number in [0, 1] (an accuracy, a rate), or raise :class:`Wrong`.

    A value between 1 and 100 gets its own message: it is almost always a percentage.
    """
    number = as_number(value, name)
    if 1.0 < number <= 100.0:
        raise Wrong(f"`{name}` looks like a percentage; give it as a fraction between 0 and 1.")
    if not 0.0 <= number <= 1.0:
        raise Wrong(f"`{name}` should be a fraction between 0 and 1.")
    return number


def as_list(
    value: Any,
    name: str,
    length: int,
    *,
    convert: Callable[[Any, str], Any] = as_number,
    items: str = "numbers",
    per: str = "",
) -> list[Any]:
    """Return ``value`` as a flat list of ``length`` items, each passed through ``convert``.

    Parameters
    ----------
    value : object
        The learner's answer: a list, tuple or 1-D array.
    name : str
        The answer's variable name, for the messages.
    length : int
        How many items the answer must hold.
    convert : callable, default :func:`as_number`
        ``convert(item, label)`` returns the item checked (e.g. :func:`as_fraction`), or raises
        :class:`Wrong`.
    items : str, default "numbers"
        What the items are, in the messages ("accuracies").
    per : str, default ""
        What each item stands for, in the messages ("epoch" gives "one per epoch").

    Raises
    ------
    NotAttempted
        If ``value`` is still the ``...`` placeholder.
    Wrong
        If it is not a flat sequence of ``length`` valid items.
    """
    each = f", one per {per}" if per else ""
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `{name}` with your list of {items}.")
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__"):
        raise Wrong(f"`{name}` should be a list of {length} {items}, got a {type(value).__name__}.")
    if np.ndim(np.asarray(value, dtype=object)) != 1:
        raise Wrong(f"`{name}` should be a flat list of {length} {items}{each}.")
    if len(value) != length:
        raise Wrong(f"`{name}` should hold {length} {items}{each}; it holds {len(value)}.")
    return [convert(v, f"each value of {name}") for v in value]


def as_array(value: Any, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``value`` as a finite float array (of ``shape`` if given), or raise :class:`Wrong`."""
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `{name}` with your answer.")
    if value is None:
        raise Wrong(f"`{name}` is None; did you forget a `return`?")
    if isinstance(value, (str, bytes)):
        raise Wrong(f"`{name}` is a string; it should hold numbers.")
    try:
        arr = np.asarray(value, dtype=float)
    except Exception:
        raise Wrong(f"`{name}` should hold numbers, got a {type(value).__name__}.") from None
    if shape is not None and arr.shape != tuple(shape):
        raise Wrong(
            f"`{name}` has shape {arr.shape}, expected {tuple(shape)}: work elementwise "
            "with NumPy functions (np.tanh, np.exp) rather than math or Python loops."
        )
    if np.isnan(arr).any():
        raise Wrong(f"`{name}` contains NaN.")
    if np.isinf(arr).any():
        raise Wrong(f"`{name}` contains infinite values.")
    return arr


def call(function: Any, name: str, *args: Any) -> Any:
    """Call the learner's ``function``; turn any error into :class:`Wrong`.

    Raises :class:`NotAttempted` when ``function`` is the placeholder or returns it.
    """
    if function is Ellipsis:
        raise NotAttempted(f"define `{name}` in the answer cell.")
    if not callable(function):
        raise Wrong(f"`{name}` should be a function, got a {type(function).__name__}.")
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = function(*args)
    except (Exception, SystemExit) as exc:  # SystemExit: a learner's function that calls exit()
        advice = ""
        if isinstance(exc, TypeError) and "scalar" in str(exc):
            advice = " Use NumPy functions (np.tanh, np.exp) so that it works on arrays."
        raise Wrong(f"calling `{name}` raised {type(exc).__name__}: {_short(exc)}.{advice}") from None
    if result is Ellipsis:
        raise NotAttempted(f"`{name}` still returns the `...` placeholder; write its body.")
    return result


# --- Declarative answers: a tolerance, a number with its mistakes, a choice, a dict ----------

#: Keys and choices that are numbers match the learner's number within this relative tolerance:
#: ``np.float32(0.01)`` (0.0099999998) is the key 0.01. Options must be further apart than this.
_KEY_RTOL = 1e-6


def _tolerance(value: Any, name: str) -> float:
    """``value`` as a tolerance: a finite float >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number >= 0, got {type(value).__name__}.")
    if not 0.0 <= float(value) < math.inf:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    return float(value)


def _numbers(value: Any) -> np.ndarray | None:
    """``value`` as a float array if it holds only (real) numbers, else ``None``."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):  # ragged lists
        return None
    return array.astype(float) if array.dtype.kind in "biuf" else None


def close(value: Any, truth: Any, *, rtol: float = 0.0, atol: float = 0.0) -> bool:
    """Whether ``value`` is ``truth`` within ``atol + rtol * |truth|``, elementwise for arrays.

    The one tolerance test of the checkers (``np.allclose``'s rule, without its default
    tolerances): ``close(answer, 0.62, atol=5e-4)`` accepts answers rounded to three decimals,
    ``close(loss, 0.31, rtol=0.02)`` answers within 2 %.

    Parameters
    ----------
    value : float or array_like
        The answer, already read (:func:`as_number`, :func:`as_array`).
    truth : float or array_like
        What it should be; an array must have the answer's shape, or they are not close.
    rtol : float, default 0.0
        Relative tolerance, a share of ``|truth|``, >= 0.
    atol : float, default 0.0
        Absolute tolerance, >= 0. With both 0, ``close`` is equality.

    Returns
    -------
    bool
        False as well for NaN, or for arrays of different shapes.

    Raises
    ------
    TypeError
        If ``value`` or ``truth`` is not a number or an array of numbers, or a tolerance is not a number.
    ValueError
        If a tolerance is negative or not finite.
    """
    rtol, atol = _tolerance(rtol, "rtol"), _tolerance(atol, "atol")
    answer, target = _numbers(value), _numbers(truth)
    if answer is None or target is None:
        raise TypeError(
            f"close compares numbers or arrays of numbers, got a {type(value).__name__} and a "
            f"{type(truth).__name__}: read the answer with as_number or as_array first."
        )
    if answer.shape != target.shape:
        return False
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(answer - target) <= atol + rtol * np.abs(target)))


@dataclass(frozen=True, eq=False)
class Number:
    """A number (or a small array of numbers) to answer, with its tolerance and its known mistakes.

    The usual checker of a numeric answer, declared rather than written as a ladder of ``if``\\ s::

        Number(
            expected,
            atol=5e-4,  # three decimals pass
            mistakes=[
                (z, "that is the pre-activation z = w·x + b; ..."),  # a value: within atol of z
                (Number(-expected, atol=1e-2), "the wrong sign ..."),  # its own tolerance
                (lambda y: not 0 < y < 1, "a sigmoid's output lies between 0 and 1 ..."),
            ],
            otherwise="not the neuron's output. ...",
        ).judge(as_number(neuron_output, "neuron_output"))

    Attributes
    ----------
    truth : float or array_like
        The right answer.
    rtol, atol : float, default 0.0
        The tolerance (see :func:`close`): of the truth, and of each mistake given as a value.
    mistakes : sequence of (what, message)
        Typical wrong answers, tried in order after the truth: the first that matches gives its
        message. ``what`` is a value (an array) the answer matches within ``rtol``/``atol``, a
        :class:`Number` (matched within its own tolerance) or a predicate ``what(answer) -> bool``.
    otherwise : str or callable, default "that is not the answer."
        The message when neither the truth nor a mistake matches; a callable gets the answer
        (for a message that says how far off it is). Never the expected value.
    """

    truth: Any
    rtol: float = 0.0
    atol: float = 0.0
    mistakes: Sequence[tuple[Any, str]] = ()
    otherwise: str | Callable[[Any], str] = "that is not the answer."

    def __post_init__(self) -> None:
        _tolerance(self.rtol, "rtol")
        _tolerance(self.atol, "atol")
        if _numbers(self.truth) is None:
            raise TypeError(f"truth must be a number or an array of numbers, got {self.truth!r}.")
        if isinstance(self.mistakes, (str, bytes)) or not isinstance(self.mistakes, Sequence):
            raise TypeError(f"mistakes must be a sequence of (value, message) pairs, got {self.mistakes!r}.")
        for mistake in self.mistakes:
            if not (isinstance(mistake, tuple) and len(mistake) == 2 and isinstance(mistake[1], str)):
                raise TypeError(f"each mistake must be a (value, message) pair, got {mistake!r}.")
        if not (isinstance(self.otherwise, str) or callable(self.otherwise)):
            raise TypeError(
                f"otherwise must be a message or a function, got {type(self.otherwise).__name__}."
            )
        object.__setattr__(self, "mistakes", tuple(self.mistakes))

    def matches(self, value: Any) -> bool:
        """Whether ``value`` (a number or an array, already read) is the truth within the tolerance."""
        return close(value, self.truth, rtol=self.rtol, atol=self.atol)

    def mistake(self, value: Any) -> str | None:
        """The message of the first mistake that ``value`` matches, or ``None``."""
        for what, message in self.mistakes:
            if isinstance(what, Number):
                hit = what.matches(value)
            elif callable(what):
                hit = bool(what(value))
            else:
                hit = close(value, what, rtol=self.rtol, atol=self.atol)
            if hit:
                return message
        return None

    def judge(self, value: Any) -> None:
        """Return ``None`` if ``value`` is right; raise :class:`Wrong` with what is wrong otherwise.

        Parameters
        ----------
        value : float or array_like
            The answer, already read (:func:`as_number`, :func:`as_array`).

        Raises
        ------
        Wrong
            With the message of the first matching mistake, or ``otherwise``.
        """
        if self.matches(value):
            return None
        message = self.mistake(value)
        if message is None:
            message = self.otherwise(value) if callable(self.otherwise) else self.otherwise
        raise Wrong(message)


def _normal(text: str) -> str:
    """A name as choices and keys compare it: no case, spaces, hyphens, underscores or outer parentheses."""
    return re.sub(r"[\s_-]+", "", text.strip().strip("()").lower())


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _options(options: Any, name: str) -> bool:
    """Check ``options`` (choices or keys): all names or all numbers, distinct. Whether they are numbers."""
    if isinstance(options, (str, bytes)) or not isinstance(options, Sequence) or not options:
        raise TypeError(f"{name} must be a non-empty sequence of strings or of numbers, got {options!r}.")
    numbers = all(_is_number(o) for o in options)
    if not numbers and not all(isinstance(o, str) for o in options):
        raise TypeError(f"{name} must be all strings or all numbers, got {options!r}.")
    for i, first in enumerate(options):
        for second in options[i + 1 :]:
            if close(first, second, rtol=_KEY_RTOL) if numbers else _normal(first) == _normal(second):
                raise ValueError(f"{name} must be distinct (ignoring case and separators), got {options!r}.")
    return numbers


def _match(value: Any, options: Sequence[Any], numbers: bool) -> Any:
    """The option that ``value`` (a float for numbers, a str for names) is, or ``None``."""
    for option in options:
        if close(value, option, rtol=_KEY_RTOL) if numbers else _normal(value) == _normal(option):
            return option
    return None


def _listed(options: Sequence[Any], last: str = ", ") -> str:
    """``options`` as the messages list them: ``"a", "b", "c"`` or ``0.5, 0.9 and 0.99``."""
    shown = [f'"{o}"' if isinstance(o, str) else f"{o:g}" for o in options]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + last + shown[-1]


def as_choice(value: Any, name: str, choices: Sequence[Any], *, described: str | None = None) -> Any:
    """Return the one of ``choices`` that ``value`` names, or raise :class:`Wrong` saying which exist.

    Names match whatever their case, spaces, hyphens, underscores and outer parentheses:
    ``"(B)"`` is ``"b"``, ``"Fine tuning"`` is ``"fine-tuning"``, ``"recall 9"`` is ``"recall_9"``.
    Numbers match within a relative 1e-6, whatever their type: ``np.float32(0.1)`` is ``0.1``.

    Parameters
    ----------
    value : object
        The learner's answer.
    name : str
        The answer's variable name, for the messages.
    choices : sequence of str, or of numbers
        The options, distinct once normalised.
    described : str, optional
        How the messages name the options ("one of the four values of C you tried"), where
        listing them would tell the answer; by default they are listed (``one of "a", "b"``).

    Returns
    -------
    object
        The option, as written in ``choices``.

    Raises
    ------
    NotAttempted
        If ``value`` is still the ``...`` placeholder.
    Wrong
        If it is not one of ``choices`` (a string where names are expected, a number where numbers are).
    TypeError, ValueError
        If ``choices`` is empty, mixes names and numbers, or repeats an option.
    """
    numbers = _options(choices, "choices")
    listed = _listed(choices)
    wanted = described if described is not None else f"one of {listed}"
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `{name}` with {wanted}.")
    if numbers:
        choice = _match(as_number(value, name), choices, numbers=True)
    elif not isinstance(value, str):
        strings = f"one of the strings {listed}" if described is None else f"{described}, a string"
        raise Wrong(f"`{name}` should be {strings}, got a {type(value).__name__}.")
    else:
        choice = _match(value, choices, numbers=False)
    if choice is None:
        raise Wrong(f"`{name}` should be {wanted}.")
    return choice


def as_mapping(
    value: Any,
    name: str,
    keys: Sequence[Hashable],
    *,
    convert: Callable[[Any, str], Any] | None = as_number,
    label: str | None = None,
    template: str | None = None,
    described: str | None = None,
    text_keys: bool = False,
) -> dict[Any, Any]:
    """Return ``value``, a dict with one entry per key of ``keys``, as ``{key: convert(entry)}``.

    The learner's keys are normalised: where ``keys`` are numbers, ``0.01``, ``np.float32(0.01)``
    and ``np.float64(0.01)`` are the key 0.01 (as :func:`as_choice` matches numbers; with
    ``text_keys``, ``"1e-2"`` too); where they are names, ``"Recall 9"`` is ``"recall_9"``.

    Parameters
    ----------
    value : object
        The learner's answer.
    name : str
        Its variable name, for the messages.
    keys : sequence of str, or of numbers
        The keys the dict must have, each once (distinct once normalised).
    convert : callable or None, default :func:`as_number`
        ``convert(entry, label)`` returns an entry checked (:func:`as_fraction`, :func:`as_int`...)
        or raises :class:`Wrong`; ``None`` keeps the entries as they are.
    label : str, optional
        How the messages name an entry; by default ``name[key]`` (``final_losses[0.3]``,
        ``scores["accuracy"]``). Give one without the key ("each value of `kept`") where a message
        naming a key would tell the answer.
    template : str, optional
        What the dict should look like, for the messages ("{width: accuracy}, one entry per
        width"); by default the keys with ``...`` as entries.
    described : str, optional
        How the messages name the keys ("the widths 1, 2 and 4"); by default they are listed.
    text_keys : bool, default False
        Accept numbers written as strings (``"0.5"``) as keys. Without it a string key, where
        numbers are expected, is a typical mistake, and the message says so.

    Returns
    -------
    dict
        ``{key: converted entry}`` with the keys as written in ``keys``, in their order.

    Raises
    ------
    NotAttempted
        If ``value`` or one of its entries is still the ``...`` placeholder.
    Wrong
        If ``value`` is not a dict; if a key is none of ``keys``, two keys are the same key, or
        one is missing; or with the message of ``convert`` for an entry it rejects.
    TypeError, ValueError
        If ``keys`` is empty, mixes names and numbers or repeats a key; if ``convert`` is not callable.
    """
    numbers = _options(keys, "keys")
    if convert is not None and not callable(convert):
        raise TypeError(f"convert must be callable or None, got {type(convert).__name__}.")
    described = described if described is not None else _listed(keys, " and ")
    if template is None:
        template = "{" + ", ".join(f'"{k}": ...' if isinstance(k, str) else f"{k}: ..." for k in keys) + "}"
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `{name}` with {template}.")
    if not isinstance(value, Mapping):
        raise Wrong(f"`{name}` should be a dict, {template}, got a {type(value).__name__}.")
    found: dict[Any, Any] = {}  # the exercise's key -> the learner's
    for given in value:
        if numbers and isinstance(given, str) and not text_keys:
            raise Wrong(f"the keys of `{name}` should be numbers ({described}), got the string {given!r}.")
        key = None
        if numbers:
            try:
                number = float(given.strip()) if isinstance(given, str) else as_number(given, "key")
            except (Wrong, NotAttempted, ValueError):
                number = math.nan
            key = _match(number, keys, numbers=True) if math.isfinite(number) else None
        elif isinstance(given, str):
            key = _match(given, keys, numbers=False)
        if key is None:
            raise Wrong(f"the keys of `{name}` should be {described}, got {given!r}.")
        if key in found:
            raise Wrong(f"`{name}` should have exactly {described} as keys; one is given twice: {template}.")
        found[key] = given
    missing = len(keys) - len(found)
    if missing:
        count = "one is missing" if missing == 1 else f"{missing} are missing"
        raise Wrong(f"`{name}` should have exactly {described} as keys; {count}: {template}.")
    entries = {key: value[found[key]] for key in keys}
    if any(entry is Ellipsis for entry in entries.values()):
        raise NotAttempted(f"replace each `...` in `{name}` with your answer.")
    if convert is None:
        return entries

    def entry_label(key: Any) -> str:
        if label is not None:
            return label
        return f'{name}["{key}"]' if isinstance(key, str) else f"{name}[{key}]"

    return {key: convert(entry, entry_label(key)) for key, entry in entries.items()}
