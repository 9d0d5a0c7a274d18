"""helpers.book.glue: the same call with and without myst-nb, and myst-nb's format when recording."""

from __future__ import annotations

import IPython.display
import myst_nb.ext.glue
import pytest

from helpers import book


@pytest.fixture(autouse=True)
def _no_shell_left_behind():
    """myst-nb's glue formats through IPython's InteractiveShell singleton, creating one; clear it
    so later tests (helpers.exercises prints outside a shell) see no shell, as in plain Python."""
    from IPython.core.interactiveshell import InteractiveShell

    yield
    InteractiveShell.clear_instance()


@pytest.fixture
def shown(monkeypatch):
    """Everything displayed, by helpers (IPython.display.display) or by myst-nb."""
    calls: list[tuple[tuple, dict]] = []
    record = lambda *args, **kwargs: calls.append((args, kwargs))  # noqa: E731
    monkeypatch.setattr(IPython.display, "display", record)
    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display", record)
    return calls


def test_with_myst_nb_glue_is_myst_nbs(shown):
    assert book.has_myst_nb()
    book.glue("test_acc", 98.25)
    (args, kwargs), *_ = shown
    assert args[0] == {"application/papermill.record/text/plain": "98.25"}
    assert kwargs["metadata"]["scrapbook"] == {"name": "test_acc", "mime_prefix": book.RECORD_PREFIX}


def test_a_numpy_scalar_is_glued_as_the_python_number_it_holds(shown):
    """NumPy 2 prints np.float64(98.25), which the glue role cannot format; glue stores 98.25."""
    import numpy as np

    book.glue("test_acc", np.float64(98.25))
    book.glue("n", np.int64(3))
    assert [args[0] for args, _ in shown] == [
        {"application/papermill.record/text/plain": "98.25"},
        {"application/papermill.record/text/plain": "3"},
    ]


def test_without_myst_nb_glue_shows_nothing(monkeypatch, shown):
    monkeypatch.setattr(book, "has_myst_nb", lambda: False)
    monkeypatch.delenv("HOTL_RECORD_GLUE", raising=False)
    book.glue("test_acc", 98.25)
    assert shown == []
    book.glue("test_acc", 98.25, display=True)
    assert shown == [((98.25,), {})]


def test_recording_without_myst_nb_gives_myst_nbs_output(monkeypatch, shown):
    book.glue("test_acc", 98.25)
    book.glue("n", 3, display=True)
    with_myst = list(shown)
    shown.clear()
    monkeypatch.setattr(book, "has_myst_nb", lambda: False)
    monkeypatch.setenv("HOTL_RECORD_GLUE", "1")
    book.glue("test_acc", 98.25)
    book.glue("n", 3, display=True)
    assert shown == with_myst


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": 3, "value": 1.0}, TypeError, "name must be a string"),
        ({"name": "2nd", "value": 1.0}, ValueError, "not start with a digit"),
        ({"name": "test acc", "value": 1.0}, ValueError, "letters, digits and underscores"),
        ({"name": "a", "value": 1.0, "display": "no"}, TypeError, "display must be True or False"),
    ],
)
def test_glue_rejects_bad_arguments_with_a_clear_message(kwargs, error, message):
    with pytest.raises(error, match=message):
        book.glue(**kwargs)
