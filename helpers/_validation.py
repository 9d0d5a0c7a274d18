"""Argument checks shared by the public functions (private module).

Each check raises an error that says what is wrong and how to fix it, in the
spirit of scikit-learn's ``check_array``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def check_images(x: object, name: str = "x", *, min_dim: int = 2) -> np.ndarray:
    """Return ``x`` as an array of at least ``min_dim`` dimensions, without NaNs."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be array-like, could not convert it: {exc}") from exc
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype}.")
    if arr.ndim < min_dim:
        raise ValueError(
            f"{name} must have at least {min_dim} dimensions (samples first), "
            f"got shape {arr.shape}. Reshape a single sample with x[None, ...]."
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one sample.")
    # `min` propagates NaN, and unlike `isnan(arr).any()` it allocates no array the size of `arr`.
    if np.issubdtype(arr.dtype, np.floating) and np.isnan(arr.min()):
        raise ValueError(
            f"{name} contains {int(np.isnan(arr).sum())} NaN value(s); "
            "clean or impute them before calling this function."
        )
    return arr


def check_labels(
    y: object, name: str = "y", *, n_samples: int | None = None, n_classes: int | None = None
) -> np.ndarray:
    """Return ``y`` as a 1-D integer array of class indices, checked against ``x``."""
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] > 1:
        raise ValueError(
            f"{name} looks one-hot encoded (shape {arr.shape}); pass integer class "
            f"indices instead, e.g. {name}.argmax(axis=1)."
        )
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass at least one label.")
    if np.issubdtype(arr.dtype, np.floating):
        if np.isnan(arr).any():
            raise ValueError(f"{name} contains NaN; labels must be integer class indices.")
        if not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold integer class indices, got non-integer values.")
        arr = arr.astype(np.int64)
    elif not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integer class indices, got dtype {arr.dtype}.")
    if arr.min() < 0:
        raise ValueError(f"{name} contains negative labels (min {arr.min()}); labels start at 0.")
    if n_classes is not None and arr.max() >= n_classes:
        raise ValueError(
            f"{name} contains label {arr.max()}, but there are only {n_classes} classes "
            f"(labels 0 to {n_classes - 1})."
        )
    if n_samples is not None and arr.shape[0] != n_samples:
        raise ValueError(f"x and {name} have different numbers of samples: {n_samples} and {arr.shape[0]}.")
    return arr


def check_int(value: object, name: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as an int, checking its type and lower bound."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r}).")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    return int(value)


def check_seed(value: object, name: str = "seed") -> int:
    """Return ``value`` as a seed: a Python or NumPy integer from 0 to 2**32 - 1.

    Every ``seed=`` argument of ``helpers`` goes through this one validator, so that they all
    accept the same values (NumPy's generators and TensorFlow accept 32-bit unsigned seeds).
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r}).")
    if not 0 <= int(value) < 2**32:
        raise ValueError(f"{name} must be between 0 and 2**32 - 1, got {value}.")
    return int(value)


def check_fraction(value: object, name: str) -> float:
    """Return ``value`` as a float strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"{name} must be a float, got {type(value).__name__} ({value!r}).")
    if not 0.0 < float(value) < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value}.")
    return float(value)


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, else say which ones exist."""
    if value not in choices:
        raise ValueError(f"Unknown {name} {value!r}; choose one of {', '.join(map(repr, choices))}.")
    return str(value)
