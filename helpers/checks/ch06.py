"""Checks for the exercises of chapter 6, "FAQ and outlook" (``chapters/06_faq_outlook.ipynb``).

In the notebook: ``from helpers.checks import ch06 as checks``, then
``checks.lora_count.check()`` after the answer cell, ``checks.lora_count.hint()`` for a hint
and ``checks.lora_count.solution()`` for the solution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from helpers.exercises import Exercise, NotAttempted, Wrong, as_bool, as_int, as_list

# --- 1. Count LoRA's parameters ---------------------------------------------------------

_N_IN, _N_OUT, _RANK = 784, 512, 8


def _check_lora_count(lora_trainable: object) -> str:
    n = as_int(lora_trainable, "lora_trainable")
    lora = _RANK * (_N_IN + _N_OUT)
    if n == lora + _N_OUT:
        return "A is 784 x 8, B is 8 x 512, and Keras keeps the 512 biases trainable."
    if n == lora:
        raise Wrong("close: Keras' `enable_lora` freezes the kernel only; the bias stays trainable.")
    if n in (_N_IN * _N_OUT, _N_IN * _N_OUT + _N_OUT):
        raise Wrong("that is the full layer. LoRA trains two thin matrices, A (784 x r) and B (r x 512).")
    if n in (_RANK * _N_IN * _N_OUT, _RANK * _N_IN + _N_OUT, _RANK * _N_OUT + _N_OUT):
        raise Wrong("count both matrices: A has 784 x r numbers and B has r x 512.")
    if n <= 0:
        raise Wrong("a parameter count is a positive number.")
    raise Wrong("not the count. Add the sizes of A (784 x 8), B (8 x 512) and the bias (512).")


lora_count = Exercise(
    "lora_count",
    answers=["lora_trainable"],
    checker=_check_lora_count,
    hints=[
        "LoRA adds $A \\in \\mathbb{R}^{n \\times r}$ and $B \\in \\mathbb{R}^{r \\times m}$ and freezes the kernel.",
        "In Keras the bias stays trainable: `lora_params(784, 512, 8)` counts $r(n + m) + m$.",
    ],
    solution=(
        "$8 \\cdot (784 + 512) + 512 = 10{,}880$:\n\n"
        "```python\nlayer = keras.layers.Dense(512)\nlayer.build((None, 784))\nlayer.enable_lora(8)\n"
        "lora_trainable = sum(int(np.prod(w.shape)) for w in layer.trainable_weights)\n```"
    ),
    reference=(_RANK * (_N_IN + _N_OUT) + _N_OUT,),
    mistakes=[(_RANK * (_N_IN + _N_OUT),), (_N_IN * _N_OUT + _N_OUT,), (_RANK * _N_IN + _N_OUT,), ("10880",)],
)


# --- 2. The pseudo-label threshold ------------------------------------------------------

_THRESHOLDS = (0.5, 0.9, 0.99)
_N_UNLABELLED = 9975
_N_TEST = 4861  # the target test set: predictions of this length were made on the wrong images


def _kept_counts(kept: object) -> dict[float, int]:
    """``kept`` as {threshold: count}, or :class:`Wrong`."""
    template = "a dict {threshold: number of pseudo-labels kept}, one entry per threshold of the exercise"
    if kept is Ellipsis:
        raise NotAttempted(f"replace the `...` in `kept` with {template}.")
    if not isinstance(kept, Mapping):
        raise Wrong(f"`kept` should be {template}, got a {type(kept).__name__}.")
    try:
        keys = {float(k) for k in kept}
    except (TypeError, ValueError):
        keys = set()
    if keys != set(_THRESHOLDS) or len(kept) != len(_THRESHOLDS):
        raise Wrong(f"`kept` should have exactly the three thresholds of the exercise as keys: {template}.")
    counts = {float(k): as_int(v, "each value of `kept`") for k, v in kept.items()}
    if any(not 0 <= c <= _N_UNLABELLED for c in counts.values()):
        raise Wrong("each count is a number of unlabelled images kept, between 0 and 9,975.")
    low, middle, high = (counts[t] for t in _THRESHOLDS)
    if not low >= middle >= high:
        raise Wrong(
            "a higher threshold can only keep fewer pseudo-labels: check which count belongs to which key."
        )
    if low == high:
        raise Wrong("every threshold kept the same number: pass `threshold` on to `pseudo_label`.")
    return counts


def _validation_labels(val_labels: object) -> np.ndarray:
    try:
        labels = (
            np.asarray(val_labels) if not isinstance(val_labels, (str, bytes, Mapping)) else np.array(None)
        )
    except (TypeError, ValueError):  # ragged lists and the like
        labels = np.array(None)
    if labels.ndim != 1 or labels.size < 10 or not np.issubdtype(labels.dtype, np.integer):
        raise Wrong(
            "`val_labels` should be the labels of the validation images, `y_val_t`, as the answer cell "
            "sets it: run that cell as given."
        )
    return labels


def _predictions(value: object, n_val: int) -> dict[float, np.ndarray]:
    """``value`` as {threshold: predicted labels of the validation images}, or :class:`Wrong`."""
    template = "a dict {threshold: predicted labels of the validation images}, one entry per threshold"
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `val_predictions` with {template}.")
    if not isinstance(value, Mapping):
        raise Wrong(f"`val_predictions` should be {template}, got a {type(value).__name__}.")
    try:
        keys = {float(k) for k in value}
    except (TypeError, ValueError):
        keys = set()
    if keys != set(_THRESHOLDS) or len(value) != len(_THRESHOLDS):
        raise Wrong(
            f"`val_predictions` should have the three thresholds of the exercise as keys: {template}."
        )
    predictions = {}
    for key, entry in value.items():
        if entry is Ellipsis:
            raise NotAttempted("replace the `...` in `val_predictions` with the predicted labels.")
        if isinstance(entry, (str, bytes, Mapping)):
            raise Wrong(
                f"each value of `val_predictions` should be an array of labels, got a {type(entry).__name__}."
            )
        try:
            arr = np.asarray(entry)
        except (TypeError, ValueError):
            raise Wrong("each value of `val_predictions` should be an array of predicted labels.") from None
        if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
            raise Wrong("each value of `val_predictions` should be an array of predicted labels (numbers).")
        if arr.ndim == 2 and arr.shape[0] in (n_val, _N_TEST):
            raise Wrong(
                "`val_predictions` holds probabilities; give the predicted labels, "
                "`probabilities.argmax(axis=1)`, one per image."
            )
        if arr.ndim != 1:
            raise Wrong(
                "each value of `val_predictions` should be a 1-D array: one predicted label per image."
            )
        if arr.shape[0] == _N_TEST != n_val:
            raise Wrong(
                "`val_predictions` holds one label per *test* image (4,861 of them). The threshold must be "
                "chosen without the test set: predict the validation images, `val_feats`."
            )
        if arr.shape[0] != n_val:
            raise Wrong(
                "each value of `val_predictions` should hold one predicted label per validation image, "
                "as many as `val_labels` has."
            )
        predictions[float(key)] = arr
    if all(np.array_equal(predictions[t], predictions[_THRESHOLDS[0]]) for t in _THRESHOLDS):
        raise Wrong("all three thresholds gave the same predictions: retrain the head for each threshold.")
    return predictions


def _check_threshold(
    val_labels: object, kept: object, val_predictions: object, best_threshold: object
) -> str:
    labels = _validation_labels(val_labels)
    _kept_counts(kept)
    predictions = _predictions(val_predictions, labels.shape[0])
    if best_threshold is Ellipsis:
        raise NotAttempted("replace the `...` in `best_threshold` with the threshold you choose.")
    try:
        best = float(best_threshold)
    except (TypeError, ValueError, OverflowError):
        raise Wrong("`best_threshold` should be one of the keys of `kept`.") from None
    if best not in _THRESHOLDS:
        raise Wrong("`best_threshold` should be one of the keys of `kept`.")
    accuracy = {t: float(np.mean(p == labels)) for t, p in predictions.items()}
    if accuracy[best] < max(accuracy.values()):
        raise Wrong(
            "by your own validation predictions, another threshold has a higher validation accuracy. "
            "Choose the threshold on the validation set, not on the test set, and not by the number "
            "or the quality of the pseudo-labels."
        )
    return (
        "chosen on the validation set. Compare your three validation accuracies: on 1,000 images, "
        "differences of a point or two are within the noise (chapter 5). Measure the chosen head on the "
        "test set once, and do not go back to change the threshold."
    )


def _reference_predictions(accuracies: Sequence[float], n: int = 1000) -> tuple[np.ndarray, dict]:
    """Validation labels and predictions with the given accuracies (for the tests of the check)."""
    labels = np.arange(n) % 5
    predictions = {}
    for threshold, accuracy in zip(_THRESHOLDS, accuracies):
        wrong = np.arange(n) >= round(accuracy * n)
        predictions[threshold] = np.where(wrong, (labels + 1) % 5, labels)
    return labels, predictions


_REF_LABELS, _REF_PREDICTIONS = _reference_predictions((0.844, 0.860, 0.856))  # as measured
_REF_KEPT = {0.5: 9703, 0.9: 7307, 0.99: 4776}

threshold = Exercise(
    "threshold",
    answers=["val_labels", "kept", "val_predictions", "best_threshold"],
    checker=_check_threshold,
    hints=[
        "For each threshold: `keep, guessed = pseudo_label(head, pool_feats[unlabelled], threshold)`, count "
        "`len(keep)`, retrain the head with `fit_head` on the labelled and pseudo-labelled features, and "
        "predict the validation features: `retrained(val_feats)`, then `.argmax(axis=1)`.",
        "Compute each threshold's validation accuracy, `np.mean(val_predictions[t] == val_labels)`, and "
        "choose the threshold with the highest. Only then measure that one head on the test set.",
    ],
    solution=(
        "```python\nkept, val_predictions, val_accuracy, heads = {}, {}, {}, {}\n"
        "for t in (0.5, 0.9, 0.99):\n"
        "    keep, guessed = pseudo_label(head, pool_feats[unlabelled], t)\n    kept[t] = len(keep)\n"
        "    feats = np.concatenate([pool_feats[labelled], pool_feats[unlabelled][keep]])\n"
        "    heads[t] = fit_head(feats, np.concatenate([y_pool[labelled], guessed]), seed=0)\n"
        "    val_predictions[t] = keras.ops.convert_to_numpy(heads[t](val_feats)).argmax(axis=1)\n"
        "    val_accuracy[t] = np.mean(val_predictions[t] == val_labels)\n"
        "best_threshold = max(val_accuracy, key=val_accuracy.get)\n"
        "print(test_accuracy(heads[best_threshold], test_feats))  # once, for the chosen head\n```"
    ),
    reference=(_REF_LABELS, _REF_KEPT, _REF_PREDICTIONS, 0.9),
    mistakes=[
        (_REF_LABELS, _REF_KEPT, _REF_PREDICTIONS, 0.99),  # chosen on the test set
        (_REF_LABELS, _REF_KEPT, _REF_PREDICTIONS, 0.5),  # most pseudo-labels
        (
            _REF_LABELS,
            _REF_KEPT,
            {t: np.zeros(_N_TEST, dtype=int) + i for i, t in enumerate(_THRESHOLDS)},
            0.9,
        ),
        (_REF_LABELS, _REF_KEPT, {t: np.eye(5)[p] for t, p in _REF_PREDICTIONS.items()}, 0.9),
        (_REF_LABELS, {0.5: 4776, 0.9: 7307, 0.99: 9703}, _REF_PREDICTIONS, 0.9),
        (_REF_LABELS, _REF_KEPT, _REF_PREDICTIONS, 0.95),
        (_REF_LABELS, _REF_KEPT, {0.5: 0.844, 0.9: 0.86, 0.99: 0.856}, 0.9),
    ],
)


# --- 3. Pick a strategy -----------------------------------------------------------------

_CHOICES = ("feature extraction", "fine-tuning", "lora")
_EXPECTED = {"a": "feature extraction", "b": "fine-tuning", "c": "lora"}


def _check_strategies(strategies: object) -> str:
    template = 'a dict {"a": ..., "b": ..., "c": ...} with "feature extraction", "fine-tuning" or "LoRA"'
    if strategies is Ellipsis:
        raise NotAttempted(f"replace the `...` in `strategies` with {template}.")
    if not isinstance(strategies, Mapping) or set(strategies) != set(_EXPECTED):
        raise Wrong(f"`strategies` should be {template}.")
    answers = {}
    for case, value in strategies.items():
        if value is Ellipsis:
            raise NotAttempted(f'replace the `...` for case "{case}".')
        choice = (
            str(value)
            .strip()
            .lower()
            .replace("finetuning", "fine-tuning")
            .replace("fine tuning", "fine-tuning")
        )
        if choice not in _CHOICES:
            raise Wrong(f'case "{case}": choose one of "feature extraction", "fine-tuning" and "LoRA".')
        answers[case] = choice
    wrong = sorted(case for case in _EXPECTED if answers[case] != _EXPECTED[case])
    if wrong:
        raise Wrong(
            f"look again at case(s) {', '.join(wrong)}: how many labels, and what must be stored per copy?"
        )
    return "few labels: reuse features; many labels: fine-tune; many copies to store: LoRA."


strategy = Exercise(
    "strategy",
    answers=["strategies"],
    checker=_check_strategies,
    hints=[
        "Read the decision table row by row: the number of labels per class picks the row.",
        "Case (c) is about storage: twenty full copies of a network, or twenty small low-rank updates?",
    ],
    solution='```python\nstrategies = {"a": "feature extraction", "b": "fine-tuning", "c": "LoRA"}\n```',
    reference=({"a": "feature extraction", "b": "fine-tuning", "c": "LoRA"},),
    mistakes=[
        ({"a": "fine-tuning", "b": "fine-tuning", "c": "LoRA"},),
        ({"a": "feature extraction", "b": "fine-tuning", "c": "fine-tuning"},),
        ({"a": "feature extraction", "b": "feature extraction", "c": "LoRA"},),
        (["feature extraction", "fine-tuning", "LoRA"],),
    ],
)


# --- 4. Augmentation with more labels ---------------------------------------------------

_AUG_SEEDS = 2


def _gains(value: object, name: str) -> list[float]:
    """``value`` as the gains of augmentation for seeds 0 and 1, or :class:`Wrong`."""
    gains = as_list(value, name, _AUG_SEEDS, items="gains", per="seed")
    if any(abs(g) > 1 for g in gains):
        raise Wrong(
            f"`{name}` holds values beyond ±1: give each gain as a difference of accuracies between 0 and 1 "
            "(0.013 for 1.3 points), not in percentage points."
        )
    if all(g > 0.5 for g in gains):
        raise Wrong(
            f"`{name}` looks like accuracies, not gains: subtract the plain head's accuracy from the "
            "accuracy with shifted copies, for each seed."
        )
    return gains


def _check_augment_budget(gains_5: object, gains_50: object, gain_larger_with_50: object) -> str:
    five = _gains(gains_5, "gains_5")
    fifty = _gains(gains_50, "gains_50")
    if sorted(fifty) == sorted(five):
        raise Wrong("`gains_50` holds the gains with 5 labels per class; rerun the experiment with 50.")
    larger = as_bool(gain_larger_with_50, "gain_larger_with_50")
    truly_larger = sum(fifty) / len(fifty) > sum(five) / len(five)
    if larger != truly_larger:
        which = "larger" if truly_larger else "not larger"
        raise Wrong(
            f"by your own numbers the mean gain with 50 labels per class is {which} than with 5: "
            "compare the averages over the two seeds."
        )
    spread = max(max(five) - min(five), max(fifty) - min(fifty))
    gap = abs(sum(fifty) / len(fifty) - sum(five) / len(five))
    if gap < spread:
        return (
            "the two averages differ by less than the seeds disagree with each other: with two draws, "
            "this difference is noise. The chapter measured that the CNN's features change less under a "
            "one-pixel shift than the pixels do: the shifts add an invariance the features partly have."
        )
    return (
        "the difference is larger than the spread over these two seeds; more seeds (and an interval, as in "
        "chapter 5) would tell whether it holds."
    )


augment_budget = Exercise(
    "augment_budget",
    answers=["gains_5", "gains_50", "gain_larger_with_50"],
    checker=_check_augment_budget,
    hints=[
        "Copy the augmentation cell, change the 5 in `sample_per_class(..., 5, seed=seed)` to 50 and loop "
        "over the seeds 0 and 1; each gain is `augmented - plain`.",
        "`gain_larger_with_50` is `np.mean(gains_50) > np.mean(gains_5)`. Then compare that difference "
        "with how much the two seeds disagree.",
    ],
    solution=(
        "Rerun the experiment with 50 labels per class and compare the mean gains:\n\n"
        "```python\ngains_50 = []\nfor seed in (0, 1):\n"
        "    labelled = data.sample_per_class(np.arange(len(y_pool)), y_pool, 50, seed=seed).x\n"
        "    x_aug = np.concatenate([x_pool[labelled], shifted_copies(x_pool[labelled])])\n"
        "    aug_feats = cnn_base.predict(x_aug, verbose=0)\n"
        "    plain = test_accuracy(fit_head(pool_feats[labelled], y_pool[labelled], seed=seed), test_feats)\n"
        "    augmented = test_accuracy(\n"
        "        fit_head(aug_feats, np.concatenate([y_pool[labelled]] * 9), seed=seed), test_feats\n"
        "    )\n"
        "    gains_50.append(augmented - plain)\n"
        "gain_larger_with_50 = np.mean(gains_50) > np.mean(gains_5)\n```"
    ),
    reference=([-0.003, 0.043], [0.013, 0.014], False),  # measured when the check was written
    mistakes=[
        ([-0.003, 0.043], [0.013, 0.014], True),
        ([-0.003, 0.043], [-0.003, 0.043], False),
        ([-0.003, 0.043], [1.3, 1.4], False),
        ([-0.003, 0.043], [0.951, 0.957], False),
        ([-0.003, 0.043], [0.013], False),
        ([-0.003, 0.043], [0.013, 0.014], "no"),
    ],
)

EXERCISES = (lora_count, threshold, strategy, augment_budget)
