"""Evidence of a learner's answers, for grading outside the learner's kernel.

A grade cannot come from the kernel that ran the learner's cells: an answer cell can change
the environment, monkeypatch :mod:`helpers.checks` or redefine ``checks``. So, when an
autograder runs a notebook, ``Exercise.check()`` does not decide the grade. It encodes the
answers (:func:`encode`) into its output, under the MIME type :data:`MIME_TYPE`, and the
grader (``scripts/grade.py``) decodes them (:func:`decode`) in its own process and checks them
there with the checkers it imported before any submission ran.

The encoding is plain JSON with type tags, never pickle (unpickling what a learner's kernel
wrote would run the learner's code in the grader). It keeps what the checkers look at:
Python and NumPy numbers, booleans and strings, lists, tuples, dicts, NumPy arrays (numeric
and boolean dtypes) and the ``...`` placeholder. A learner's function cannot travel; its calls
do: :class:`Recorder` wraps the function while the checker runs in the kernel and records
each call's arguments and result, and the decoded :class:`Replay` answers exactly those calls
again (any other call raises :class:`NotRecorded`). Anything else (a Keras model, a generator)
becomes an :class:`Opaque` stand-in that keeps its type name, which no checker accepts.

Encoding an answer forged by a tampering cell gains nothing: the grader checks the decoded
answers against the truth, so a forged answer earns the points only if it is the right one.
"""

from __future__ import annotations

import base64
import builtins
import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["MIME_TYPE", "NotRecorded", "Opaque", "Recorder", "Replay", "decode", "encode"]

#: The MIME type of the evidence in a check cell's output.
MIME_TYPE = "application/vnd.hotl.evidence+json"

#: Arrays larger than this travel as :class:`Opaque` (no checker needs more).
MAX_ARRAY_SIZE = 1_000_000

#: How deep lists and dicts may nest; deeper travels as :class:`Opaque`.
MAX_DEPTH = 8

_SCALARS = {"bool": bool, "int": int, "float": float, "str": str}
_NUMPY_KINDS = "biuf"  # bool, signed and unsigned ints, floats


class NotRecorded(Exception):
    """Raised by a :class:`Replay` for a call the check did not make in the learner's kernel."""


class Opaque:
    """Stands for an answer that cannot travel (a model, a generator...); keeps its type name."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class Recorder:
    """Wraps a learner's function in the kernel and records every call's arguments and outcome.

    Parameters
    ----------
    function : callable
        The learner's function.
    """

    def __init__(self, function: Callable[..., Any]) -> None:
        if not callable(function):
            raise TypeError(f"Recorder wraps a function; got {type(function).__name__}.")
        self.function = function
        self.calls: list[dict] = []

    def __call__(self, *args: Any) -> Any:
        try:
            result = self.function(*args)
        except BaseException as exc:
            self.calls.append({"args": encode(list(args)), "raised": [type(exc).__name__, str(exc)]})
            raise
        self.calls.append({"args": encode(list(args)), "result": encode(result)})
        return result


class Replay:
    """A decoded learner's function: answers the calls recorded in the kernel, in any order.

    Parameters
    ----------
    calls : list of dict
        The calls recorded by a :class:`Recorder`.
    """

    def __init__(self, calls: list[dict]) -> None:
        if not isinstance(calls, list) or not all(isinstance(call, dict) for call in calls):
            raise TypeError(f"calls must be a list of recorded calls (dicts); got {type(calls).__name__}.")
        self.calls = calls

    def __call__(self, *args: Any) -> Any:
        key = encode(list(args))
        for call in self.calls:
            if call.get("args") == key:
                if "raised" in call:
                    name, message = call["raised"]
                    raise _exception_type(str(name))(str(message))
                return decode(call.get("result"))
        raise NotRecorded("the check called this function in a way the check cell did not record.")

    def __repr__(self) -> str:
        return f"<function recorded with {len(self.calls)} call(s)>"


def _exception_type(name: str) -> type[Exception]:
    """The class of the exception the learner's function raised: the built-in one of that name
    (a checker may treat ``TypeError`` specially), else a new class with the same name."""
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        return builtin
    safe = name if name.isidentifier() else "Exception"
    return type(safe, (Exception,), {})


def _float(value: float) -> dict:
    if math.isnan(value):
        return {"t": "float", "v": "nan"}
    if math.isinf(value):
        return {"t": "float", "v": "inf" if value > 0 else "-inf"}
    return {"t": "float", "v": value}


def encode(value: Any, depth: int = 0) -> dict:
    """Encode ``value`` as JSON-ready data with type tags (see the module's docstring).

    Parameters
    ----------
    value : object
        A learner's answer; a :class:`Recorder` is encoded with its recorded calls.
    depth : int, default 0
        The nesting depth so far (deeper than :data:`MAX_DEPTH` gives an :class:`Opaque`).

    Returns
    -------
    dict
        Never raises: what cannot be encoded becomes an opaque entry.
    """
    if value is None:
        return {"t": "none"}
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if isinstance(value, Recorder):
        return {"t": "function", "calls": value.calls}
    if isinstance(value, np.generic) and value.dtype.kind in _NUMPY_KINDS:
        return {"t": "np", "dtype": value.dtype.str, "v": encode(value.item())}
    if type(value) in (bool, int):
        return {"t": type(value).__name__, "v": value}
    if isinstance(value, str):  # NumPy's str_ too
        return {"t": "str", "v": str(value)}
    if type(value) is float:
        return _float(value)
    if depth < MAX_DEPTH and isinstance(value, (list, tuple)):  # a namedtuple travels as a tuple
        kind = "list" if isinstance(value, list) else "tuple"
        return {"t": kind, "v": [encode(v, depth + 1) for v in value]}
    if depth < MAX_DEPTH and isinstance(value, dict):  # defaultdict, OrderedDict: as a dict
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if type(value) is np.ndarray and value.dtype.kind in _NUMPY_KINDS and value.size <= MAX_ARRAY_SIZE:
        data = base64.b64encode(np.ascontiguousarray(value).tobytes()).decode("ascii")
        return {"t": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape), "data": data}
    if callable(value):
        return {"t": "opaque", "type": "function", "repr": "<a function the check did not call>"}
    try:
        text = repr(value)[:200]
    except Exception:
        text = "<unprintable>"
    return {"t": "opaque", "type": type(value).__name__, "repr": text}


def decode(data: Any) -> Any:
    """Decode what :func:`encode` produced, without running anything from the data.

    Malformed data (a forgery, a truncated output) decodes to an :class:`Opaque`, never an error.
    """
    try:
        return _decode(data)
    except Exception:
        return _opaque("object", "<malformed evidence>")


def _opaque(type_name: str, text: str) -> Opaque:
    safe = type_name if type_name.isidentifier() else "object"
    return type(safe, (Opaque,), {})(text)


def _decode(data: Any) -> Any:
    tag = data["t"]
    if tag == "none":
        return None
    if tag == "ellipsis":
        return Ellipsis
    if tag in _SCALARS and tag != "float":
        value = data["v"]
        if type(value) is not _SCALARS[tag]:
            raise TypeError(tag)
        return value
    if tag == "float":
        value = data["v"]
        if isinstance(value, str) and value not in ("nan", "inf", "-inf"):
            raise TypeError(tag)
        return float(value)
    if tag == "np":
        dtype = np.dtype(str(data["dtype"]))
        if dtype.kind not in _NUMPY_KINDS:
            raise TypeError(dtype)
        return dtype.type(_decode(data["v"]))
    if tag == "list":
        return [_decode(v) for v in data["v"]]
    if tag == "tuple":
        return tuple(_decode(v) for v in data["v"])
    if tag == "dict":
        return {_decode(k): _decode(v) for k, v in data["v"]}
    if tag == "ndarray":
        dtype = np.dtype(str(data["dtype"]))
        if dtype.kind not in _NUMPY_KINDS:
            raise TypeError(dtype)
        shape = tuple(int(n) for n in data["shape"])
        raw = base64.b64decode(str(data["data"]), validate=True)
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if tag == "function":
        calls = data["calls"]
        if not isinstance(calls, list):
            raise TypeError(tag)
        return Replay(calls)
    if tag == "opaque":
        return _opaque(str(data.get("type", "object")), str(data.get("repr", ""))[:200])
    raise TypeError(tag)
