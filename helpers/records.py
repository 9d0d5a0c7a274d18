"""Records of runs too long for a chapter's time budget.

A chapter runs its experiment once, from seed 0, in front of the reader. Repeating it from more
seeds can cost more time than a chapter may take (see README's time budgets), so
``scripts/record_seeds.py`` runs the same recipe from the other seeds and writes the results,
with the recipe, to ``records/<name>.json``. The chapter reads them with :func:`load_record`,
which refuses a record made with another recipe than the chapter's: a changed chapter cannot
silently read stale numbers. ``tests/test_records.py`` reruns the script and compares.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import keras

from helpers._validation import check_int

DEFAULT_RECORDS_DIR = Path(__file__).resolve().parents[1] / "records"


def describe_learning_rates(learning_rates: Mapping[str, Any]) -> dict[str, Any]:
    """Describe named learning rates (numbers or Keras schedules) as JSON-ready values.

    Parameters
    ----------
    learning_rates : mapping of str to float or keras.optimizers.schedules.LearningRateSchedule

    Returns
    -------
    dict
        Each name mapped to its number, or to ``{"schedule": class name, **get_config()}``.
    """
    if not isinstance(learning_rates, Mapping) or not learning_rates:
        raise TypeError("learning_rates must be a non-empty dict of name -> learning rate or schedule.")
    described: dict[str, Any] = {}
    for name, rate in learning_rates.items():
        if not isinstance(name, str):
            raise TypeError(f"learning rate names must be strings, got {name!r}.")
        if isinstance(rate, keras.optimizers.schedules.LearningRateSchedule):
            described[name] = {"schedule": type(rate).__name__, **rate.get_config()}
        elif isinstance(rate, int | float) and not isinstance(rate, bool):
            described[name] = float(rate)
        else:
            raise TypeError(f"learning rate {name!r} must be a number or a Keras schedule, got {rate!r}.")
    return json.loads(json.dumps(described))  # as it reads back from a file (tuples become lists)


def comparison_recipe(
    learning_rates: Mapping[str, Any],
    *,
    epochs: int,
    patience: int,
    batch_size: int,
    n_train: int,
    n_val: int,
) -> dict[str, Any]:
    """The recipe of a :func:`helpers.training.compare_learning_rates` run on ``models.build_mlp``.

    Parameters
    ----------
    learning_rates : mapping of str to float or LearningRateSchedule
        The candidates, by name.
    epochs, patience, batch_size : int
        As passed to ``compare_learning_rates``.
    n_train, n_val : int
        Numbers of training and validation images.

    Returns
    -------
    dict
        JSON values, to compare with a record's recipe.
    """
    sizes = {
        "epochs": epochs,
        "patience": patience,
        "batch_size": batch_size,
        "n_train": n_train,
        "n_val": n_val,
    }
    for key, value in sizes.items():
        check_int(value, key, minimum=0)
    return {
        "network": "models.build_mlp()",
        "optimizer": "Adam",
        "learning_rates": describe_learning_rates(learning_rates),
        **{key: int(value) for key, value in sizes.items()},
    }


def _path(name: str, records_dir: str | Path | None) -> Path:
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"name must be a plain file name such as '02_learning_rates', got {name!r}.")
    return Path(DEFAULT_RECORDS_DIR if records_dir is None else records_dir) / f"{name}.json"


def _json_dict(value: object, name: str) -> dict[str, Any]:
    """``value`` (a recipe or results) as the dict it reads back as from a record file."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict, got {type(value).__name__}.")
    try:
        return json.loads(json.dumps(dict(value)))
    except TypeError as exc:
        raise TypeError(
            f"{name} must hold JSON values only (numbers, strings, lists, dicts): {exc}"
        ) from None


def save_record(
    name: str, recipe: Mapping[str, Any], results: Mapping[str, Any], *, records_dir: str | Path | None = None
) -> Path:
    """Write a record: the recipe and its results (JSON values), as ``<records_dir>/<name>.json``.

    Parameters
    ----------
    name : str
        The record's name, e.g. ``"02_learning_rates"``.
    recipe : mapping
        Everything the results depend on (data sizes, settings, seeds' recipe).
    results : mapping
        The results, e.g. by seed.
    records_dir : str or Path, optional
        Defaults to the repository's ``records/``.

    Returns
    -------
    Path
        The file written.
    """
    path = _path(name, records_dir)
    record = {"recipe": _json_dict(recipe, "recipe"), "results": _json_dict(results, "results")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load_record(
    name: str, recipe: Mapping[str, Any], *, records_dir: str | Path | None = None
) -> dict[str, Any]:
    """Read a record's results, after checking that it was made with ``recipe``.

    Parameters
    ----------
    name : str
        The record's name, e.g. ``"02_learning_rates"``.
    recipe : mapping
        The recipe the caller uses; it must equal the record's.
    records_dir : str or Path, optional
        Defaults to the repository's ``records/``.

    Returns
    -------
    dict
        The record's results.

    Raises
    ------
    FileNotFoundError
        No such record.
    ValueError
        The record was made with another recipe (the message names the differing keys).
    """
    expected = _json_dict(recipe, "recipe")
    path = _path(name, records_dir)
    if not path.is_file():
        raise FileNotFoundError(f"No record {path}; make it with `python scripts/record_seeds.py {name}`.")
    record = json.loads(path.read_text(encoding="utf-8"))
    stored = record.get("recipe")
    if stored != expected:
        keys = sorted(
            k for k in set(stored or {}) | set(expected) if (stored or {}).get(k) != expected.get(k)
        )
        raise ValueError(
            f"{path} was made with another recipe (differs in {', '.join(keys)}); rerun "
            f"`python scripts/record_seeds.py {name}` after changing the chapter."
        )
    return record["results"]
