"""Transfer learning plumbing: cut a backbone, freeze it, put a new head on it,
extract (and cache) its features, and sweep over label budgets.

The teaching points (why freeze, why recompile, why ``training=False``) are
made in the chapters; this module only does the bookkeeping, with checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import keras
import numpy as np

from helpers._validation import check_images, check_int

#: The label budget that means "every labelled example available".
ALL = "all"


class ParamCount(NamedTuple):
    """Trainable and frozen (non-trainable) parameter counts of a model."""

    trainable: int
    non_trainable: int


def _check_model(model: object, name: str = "model") -> keras.Model:
    if not isinstance(model, keras.Model):
        raise TypeError(f"{name} must be a keras.Model, got {type(model).__name__}.")
    return model


def count_params(model: keras.Model) -> ParamCount:
    """Count the parameters that training will and will not update.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    ParamCount
        ``(trainable, non_trainable)``. BatchNormalization's moving statistics
        are always non-trainable; a frozen layer's weights are too.
    """
    model = _check_model(model)
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return ParamCount(trainable, frozen)


def cut_backbone(
    model: keras.Model, layer: str, *, trainable: bool = False, freeze_batchnorm: bool = True
) -> keras.Model:
    """The part of a functional model from its input up to (and including) ``layer``.

    The backbone shares its layers, and therefore its weights, with ``model``.

    A frozen BatchNormalization layer runs in inference mode (it normalises with
    its pretrained moving statistics). In Keras 3, calling a backbone with
    ``training=False`` inside a model is *not* enough to keep it that way once
    it is unfrozen: ``fit`` passes ``training=True`` down to every layer. So an
    unfrozen backbone keeps its BatchNormalization layers frozen unless
    ``freeze_batchnorm=False``.

    Parameters
    ----------
    model : keras.Model
        A functional model, e.g. a pretrained classifier.
    layer : str
        Name of the last layer to keep (e.g. ``"hidden_1"`` or ``"conv_base"``).
    trainable : bool, default False
        ``False`` freezes the backbone (sets ``trainable`` on it, and so on all its
        layers). Recompile any model that uses it after changing this.
    freeze_batchnorm : bool, default True
        With ``trainable=True``, keep the BatchNormalization layers frozen (in
        inference mode, with their pretrained statistics and scales).

    Returns
    -------
    keras.Model
        Maps the model's input to ``layer``'s output. Its layers are ``model``'s
        own, so freezing them freezes them in ``model`` too.
    """
    model = _check_model(model)
    if not isinstance(trainable, bool):
        raise TypeError(f"trainable must be True or False, got {trainable!r}.")
    if not isinstance(freeze_batchnorm, bool):
        raise TypeError(f"freeze_batchnorm must be True or False, got {freeze_batchnorm!r}.")
    names = [lay.name for lay in model.layers]
    if layer not in names:
        raise ValueError(f"model {model.name!r} has no layer {layer!r}; its layers are {names}.")
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    backbone = keras.Model(inputs, model.get_layer(layer).output, name=f"{model.name}_to_{layer}")
    backbone.trainable = trainable
    for lay in backbone.layers:  # shared with `model`, whose layers change with them
        is_bn = isinstance(lay, keras.layers.BatchNormalization)
        lay.trainable = trainable and not (is_bn and freeze_batchnorm)
    return backbone


def add_head(backbone: keras.Model, n_classes: int, *, seed: int = 0, name: str = "transfer") -> keras.Model:
    """Put a new softmax classification layer on a backbone.

    The backbone is called with ``training=False``, as Keras' transfer-learning
    guide recommends. That flag is kept when the model is called by hand, but
    ``fit`` overrides it (Keras 3): what keeps BatchNormalization in inference
    mode during fine-tuning is freezing those layers, which
    :func:`cut_backbone` does.

    Parameters
    ----------
    backbone : keras.Model
        A model with one input, e.g. from :func:`cut_backbone`.
    n_classes : int
        Number of target classes.
    seed : int, default 0
        Seed of the head's initial weights.
    name : str, default "transfer"

    Returns
    -------
    keras.Model
        Uncompiled; its last layer is named ``new_head``.
    """
    backbone = _check_model(backbone, "backbone")
    n_classes = check_int(n_classes, "n_classes", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    if len(backbone.inputs) != 1:
        raise ValueError(f"backbone must have one input, it has {len(backbone.inputs)}.")
    inputs = keras.Input(shape=backbone.inputs[0].shape[1:], name="image")
    features = backbone(inputs, training=False)
    if len(features.shape) > 2:
        features = keras.layers.Flatten(name="flatten_features")(features)
    init = keras.initializers.GlorotUniform(seed=seed)
    outputs = keras.layers.Dense(n_classes, activation="softmax", kernel_initializer=init, name="new_head")(
        features
    )
    return keras.Model(inputs, outputs, name=name)


class FeatureCache:
    """Remembers the features a model computed for an array.

    The key is a hash of the model's weights and of the input array, so a
    cache can never return features of other weights or other images.
    ``hits`` and ``misses`` count how often it was used.
    """

    def __init__(self) -> None:
        self._store: dict[str, np.ndarray] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._store)

    @staticmethod
    def key(model: keras.Model, x: np.ndarray) -> str:
        """A hash of ``model``'s weights and of ``x`` (shape, dtype and bytes)."""
        digest = hashlib.sha1(f"{x.shape}{x.dtype}".encode())
        digest.update(np.ascontiguousarray(x).data)  # hashed in place, without a copy
        for weight in model.weights:
            digest.update(np.ascontiguousarray(keras.ops.convert_to_numpy(weight)).data)
        return digest.hexdigest()


def extract_features(
    model: keras.Model, x: np.ndarray, *, batch_size: int = 1024, cache: FeatureCache | None = None
) -> np.ndarray:
    """Run ``model`` in inference mode on ``x`` and return its outputs as a 2-D array.

    Parameters
    ----------
    model : keras.Model
        Usually a frozen backbone from :func:`cut_backbone`.
    x : ndarray
        Inputs, samples first, already scaled as the model expects.
    batch_size : int, default 1024
    cache : FeatureCache, optional
        Reuse features computed before for the same weights and inputs.

    Returns
    -------
    ndarray of float32, shape (n, n_features)
        Each example's features, flattened.
    """
    model = _check_model(model)
    x = check_images(x, "x", min_dim=2)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    if cache is not None and not isinstance(cache, FeatureCache):
        raise TypeError(f"cache must be a FeatureCache or None, got {type(cache).__name__}.")
    expected = tuple(model.inputs[0].shape[1:])
    if tuple(x.shape[1:]) != expected:
        raise ValueError(f"x has examples of shape {x.shape[1:]}, but the model expects {expected}.")
    key = FeatureCache.key(model, x) if cache is not None else ""
    if cache is not None and key in cache._store:
        cache.hits += 1
        return cache._store[key]
    # Calling the model batch by batch (eagerly, in inference mode) avoids tracing a new
    # predict function for every backbone, which is slower than the call itself for small models.
    # The batches are written into one preallocated array, so the features are held only once.
    feats: np.ndarray | None = None
    for i in range(0, len(x), batch_size):
        out = keras.ops.convert_to_numpy(model(x[i : i + batch_size], training=False))
        out = out.reshape(len(out), -1)
        if feats is None:
            feats = np.empty((len(x), out.shape[1]), dtype=np.float32)
        feats[i : i + len(out)] = out
    assert feats is not None  # check_images guarantees at least one example
    if cache is not None:
        cache.misses += 1
        cache._store[key] = feats
    return feats


class SweepRecord(NamedTuple):
    """One measurement of a label-budget sweep."""

    budget: int | str
    seed: int
    strategy: str
    accuracy: float


class SweepSummary(NamedTuple):
    """Mean and spread of one strategy at one budget, over seeds."""

    strategy: str
    budget: int | str
    mean: float
    std: float
    low: float
    high: float
    n: int


class SweepResult(NamedTuple):
    """All measurements of :func:`budget_sweep`, with summaries."""

    records: list[SweepRecord]

    @property
    def strategies(self) -> list[str]:
        """The strategies, in the order they were first reported."""
        return list(dict.fromkeys(r.strategy for r in self.records))

    @property
    def budgets(self) -> list[int | str]:
        """The budgets, in sweep order."""
        return list(dict.fromkeys(r.budget for r in self.records))

    def accuracies(self, strategy: str, budget: int | str) -> np.ndarray:
        """The accuracies of one strategy at one budget, one per seed."""
        values = [r.accuracy for r in self.records if r.strategy == strategy and r.budget == budget]
        if not values:
            raise KeyError(
                f"no record for strategy {strategy!r} at budget {budget!r}; "
                f"strategies: {self.strategies}, budgets: {self.budgets}."
            )
        return np.asarray(values)

    def summary(self) -> list[SweepSummary]:
        """Mean, standard deviation, min and max over seeds, per strategy and budget."""
        rows = []
        for strategy in self.strategies:
            for budget in self.budgets:
                try:
                    acc = self.accuracies(strategy, budget)
                except KeyError:
                    continue
                rows.append(
                    SweepSummary(
                        strategy, budget, float(acc.mean()), float(acc.std()), float(acc.min()),
                        float(acc.max()), len(acc),
                    )
                )  # fmt: skip
        return rows


def budget_sweep(
    run: Callable[[int | str, int], Mapping[str, float]],
    budgets: Sequence[int | str],
    seeds: Sequence[int],
    *,
    seeds_for_all: int | None = None,
    verbose: bool = False,
    label: str = "",
) -> SweepResult:
    """Call ``run(budget, seed)`` for every label budget and seed, and collect the accuracies.

    Parameters
    ----------
    run : callable
        ``run(budget, seed)`` trains every strategy with ``budget`` labelled
        examples per class (or ``"all"``) drawn with ``seed``, and returns a
        mapping ``strategy -> test accuracy``.
    budgets : sequence of int or "all"
        Labels per class, e.g. ``[1, 5, 10, 50, 100, "all"]``.
    seeds : sequence of int
        One run per seed (a different sample and initialisation).
    seeds_for_all : int, optional
        How many of the seeds to use for ``"all"``, where a seed changes only
        the initialisation; default: all of them.
    verbose : bool, default False
        Print one line per run (budget, seed and accuracies) as the sweep goes.
    label : str, default ""
        A prefix for the progress lines, e.g. the setting's name.

    Returns
    -------
    SweepResult
    """
    if not callable(run):
        raise TypeError("run must be a function run(budget, seed) -> {strategy: accuracy}.")
    budgets = list(budgets)
    if not budgets:
        raise ValueError("budgets is empty; give at least one, e.g. [1, 10, 'all'].")
    for b in budgets:
        if b != ALL:
            check_int(b, "each budget (or 'all')", minimum=1)
    if len(set(budgets)) != len(budgets):
        raise ValueError(f"budgets has duplicates: {budgets}.")
    seeds = [check_int(s, "each seed", minimum=0) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty; give at least one seed, e.g. [0, 1, 2].")
    if seeds_for_all is not None:
        seeds_for_all = min(check_int(seeds_for_all, "seeds_for_all", minimum=1), len(seeds))
    if not isinstance(verbose, bool):
        raise TypeError(f"verbose must be True or False, got {verbose!r}.")
    records: list[SweepRecord] = []
    prefix = f"{label}  " if label else ""
    for budget in budgets:
        these = seeds[:seeds_for_all] if budget == ALL and seeds_for_all is not None else seeds
        for i, seed in enumerate(these, start=1):
            result = run(budget, seed)
            if not isinstance(result, Mapping) or not result:
                raise TypeError(
                    f"run({budget!r}, {seed}) must return a non-empty {{strategy: accuracy}} mapping."
                )
            for strategy, acc in result.items():
                records.append(SweepRecord(budget, seed, str(strategy), float(acc)))
            if verbose:
                accs = "  ".join(f"{s} {float(a):.3f}" for s, a in result.items())
                print(f"{prefix}k={budget!s:>4}  seed {i}/{len(these)}  {accs}", flush=True)
    return SweepResult(records)
