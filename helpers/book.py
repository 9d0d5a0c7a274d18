"""The bridge to the Jupyter Book: glue a computed value into the chapter's prose.

The book is built with myst-nb, whose ``glue`` records a value under a name so that the
Markdown can show it (``{glue:text}`name:.1f```). Learners also run the chapters where myst-nb
is not installed (Colab, Binder's learner environment, a plain JupyterLab); there
:func:`glue` checks its arguments and does nothing visible, so the chapter runs the same way.

Set the environment variable ``HOTL_RECORD_GLUE=1`` to record glued values without myst-nb, in
myst-nb's own format (an output that JupyterLab cannot display): ``make notebooks`` does, so
that its run in the learner environment can be compared, value by value, with the book build.
"""

from __future__ import annotations

import importlib.util
import os
import re
from typing import Any

import numpy as np

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: The MIME-type prefix myst-nb gives a glued value that is not displayed.
RECORD_PREFIX = "application/papermill.record/"


def glue(name: str, value: Any, display: bool = False) -> None:
    """Record ``value`` under ``name`` for the book's ``{glue:...}`` roles and directives.

    Parameters
    ----------
    name : str
        The name the Markdown refers to: letters, digits and underscores, not starting with a
        digit (``"test_acc"``).
    value : object
        What to show: a number (a NumPy scalar is glued as the Python number it holds, so that
        the role can format it), a string, or a matplotlib figure.
    display : bool, default False
        Also show the value in the cell's output (myst-nb's ``display``). Where myst-nb is not
        installed, the value is shown only when this is true.

    Raises
    ------
    TypeError
        If ``name`` is not a string or ``display`` is not a bool.
    ValueError
        If ``name`` is not a valid name.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'test_acc', got {type(name).__name__}.")
    if not _NAME.fullmatch(name):
        raise ValueError(
            f"name must use letters, digits and underscores and not start with a digit, got {name!r}."
        )
    if not isinstance(display, bool):
        raise TypeError(f"display must be True or False, got {display!r}.")
    if isinstance(value, np.generic):  # a NumPy scalar: glue the Python number, which prints as `0.25`
        value = value.item()
    if has_myst_nb():
        from myst_nb import glue as myst_glue

        myst_glue(name, value, display=display)
    elif os.environ.get("HOTL_RECORD_GLUE") == "1":
        from IPython.core.formatters import format_display_data
        from IPython.display import display as show

        bundle, metadata = format_display_data(value)
        prefix = "" if display else RECORD_PREFIX
        metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
        show({prefix + mime: data for mime, data in bundle.items()}, raw=True, metadata=metadata)
    elif display:
        from IPython.display import display as show

        show(value)


def has_myst_nb() -> bool:
    """Whether myst-nb is installed, i.e. whether glued values reach a book build."""
    return importlib.util.find_spec("myst_nb") is not None
