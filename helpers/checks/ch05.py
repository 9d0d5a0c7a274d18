"""Checks for the exercises of chapter 5, "Evaluation done right" (``chapters/05_evaluation.ipynb``).

In the notebook: ``from helpers.checks import ch05 as checks``, then
``checks.pr_by_hand.check()`` after the answer cell, ``checks.pr_by_hand.hint()`` for a hint
and ``checks.pr_by_hand.solution()`` for the solution.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.stats import binomtest, chi2

from helpers.exercises import Exercise, NotAttempted, Wrong, as_bool, as_fraction, as_number


def _as_choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    options = ", ".join(f'"{c}"' for c in choices)
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `{name}` with one of {options}.")
    if not isinstance(value, str):
        raise Wrong(f"`{name}` should be one of the strings {options}, got a {type(value).__name__}.")
    choice = value.strip().strip("()").lower().replace(" ", "_")
    if choice not in choices:
        raise Wrong(f"`{name}` should be one of {options}.")
    return choice


# --- 1. Precision and recall from the confusion matrix ----------------------------------


def _example_cm() -> np.ndarray:
    """A plausible 10-class confusion matrix (rows: true class), for the tests."""
    cm = np.full((10, 10), 2) + np.diag(np.arange(950, 1050, 10))
    cm[4, 9] += 120  # fours predicted as 9 (false positives of 9)
    cm[9, 7] += 9  # nines predicted as 7 (false negatives of 9)
    return cm


def _scores_of_9(cm: np.ndarray) -> tuple[float, float, float]:
    tp = float(cm[9, 9])
    precision, recall = tp / cm[:, 9].sum(), tp / cm[9, :].sum()
    return precision, recall, 2 * precision * recall / (precision + recall)


def _check_pr_by_hand(cm: object, precision_9: object, recall_9: object, f1_9: object) -> str:
    given = "`cm` should be the base model's confusion matrix, `confusion_matrix(y_test, pred_base)`"
    if cm is Ellipsis or cm is None or isinstance(cm, (str, bytes)):
        raise Wrong(f"{given}; run the cell that defines it.")
    try:
        counts = np.asarray(cm, dtype=float)
    except Exception:
        raise Wrong(f"{given}, got a {type(cm).__name__}.") from None
    if counts.shape != (10, 10) or not np.isfinite(counts).all() or (counts < 0).any():
        raise Wrong(f"{given}: a 10 × 10 table of counts.")
    if counts[9, 9] == 0 or counts[:, 9].sum() == 0:
        raise Wrong(f"{given}; in yours, no image is predicted as 9.")
    answers = {
        name: as_fraction(value, name)
        for name, value in (("precision_9", precision_9), ("recall_9", recall_9), ("f1_9", f1_9))
    }
    p, r, f = _scores_of_9(counts)

    def close(a: float, b: float) -> bool:
        return abs(a - b) < 6e-4  # three decimals pass

    precision, recall, f1 = answers["precision_9"], answers["recall_9"], answers["f1_9"]
    if close(precision, r) and close(recall, p) and not close(p, r):
        raise Wrong(
            "precision and recall are swapped: precision divides by the *column* of 9 (everything "
            "predicted as 9), recall by its *row* (every true 9)."
        )
    accuracy = float(np.trace(counts) / counts.sum())
    for name, value in (("precision_9", precision), ("recall_9", recall)):
        if close(value, accuracy) and not close(value, p if name == "precision_9" else r):
            raise Wrong(f"`{name}` is the accuracy over all digits; compute it for digit 9 only.")
    if not close(precision, p):
        raise Wrong(
            "`precision_9` is not right: of everything predicted as 9 (a column of `cm`), which share is truly 9?"
        )
    if not close(recall, r):
        raise Wrong(
            "`recall_9` is not right: of every true 9 (a row of `cm`), which share is predicted as 9?"
        )
    if close(f1, (p + r) / 2) and not close(f, (p + r) / 2):
        raise Wrong("F1 is the *harmonic* mean of precision and recall, 2PR / (P + R), not their average.")
    if not close(f1, f):
        raise Wrong("`f1_9` is not right: F1 = 2 · precision · recall / (precision + recall).")
    return "they match the line for 9 in `classification_report`."


_CM = _example_cm()

pr_by_hand = Exercise(
    "pr_by_hand",
    answers=["cm", "precision_9", "recall_9", "f1_9"],
    checker=_check_pr_by_hand,
    hints=[
        "`cm[i, j]` counts true class $i$ predicted as $j$. The true positives of 9 are `cm[9, 9]`.",
        "Precision divides `cm[9, 9]` by the sum of *column* 9, `cm[:, 9].sum()`; recall by the sum of "
        "*row* 9, `cm[9, :].sum()`. F1 is their harmonic mean, $2PR / (P + R)$.",
    ],
    solution=(
        "```python\ntp = cm[9, 9]\nprecision_9 = float(tp / cm[:, 9].sum())\nrecall_9 = float(tp / cm[9, :].sum())\n"
        "f1_9 = 2 * precision_9 * recall_9 / (precision_9 + recall_9)\n```"
    ),
    reference=(_CM, *_scores_of_9(_CM)),
    mistakes=[
        (_CM, _scores_of_9(_CM)[1], _scores_of_9(_CM)[0], _scores_of_9(_CM)[2]),
        (_CM, _scores_of_9(_CM)[0], _scores_of_9(_CM)[1], sum(_scores_of_9(_CM)[:2]) / 2),
        (_CM, *(100 * v for v in _scores_of_9(_CM))),
        (_CM, float(np.trace(_CM) / _CM.sum()), _scores_of_9(_CM)[1], _scores_of_9(_CM)[2]),
        (_CM[:5, :5], *_scores_of_9(_CM)),
    ],
)


# --- 2. How fast does a leak inflate? ---------------------------------------------------


def _check_leak_size(
    gap_5000: object, few_leaked_acc: object, few_clean_acc: object, inflation_larger: object
) -> str:
    gap = as_number(gap_5000, "gap_5000")
    if not -1.0 < gap < 1.0:
        raise Wrong("`gap_5000` should be the chapter's gap as a fraction: `gaps['leak'].estimate`.")
    leaked = as_fraction(few_leaked_acc, "few_leaked_acc")
    clean = as_fraction(few_clean_acc, "few_clean_acc")
    if clean > leaked:
        raise Wrong(
            "the model scores higher on the untouched half than on the 500 images it was trained on: "
            "are the two accuracies swapped?"
        )
    if leaked < 0.95:
        raise Wrong(
            "five epochs on 500 images should fit them almost perfectly, but your `few_leaked_acc` is below "
            "95 %. Evaluate the model `continue_training` returns on `x_leak[:500]`, `y_leak[:500]`."
        )
    if clean < 0.8:
        raise Wrong(
            "`few_clean_acc` is far below the base model's accuracy: evaluate on the untouched half, "
            "`x_clean`, `y_clean` (or read `few_curve['untouched half'][-1]`)."
        )
    larger = as_bool(inflation_larger, "inflation_larger")
    if larger != (leaked - clean > gap):
        measured = "larger" if leaked - clean > gap else "not larger"
        raise Wrong(
            f"by your own numbers the inflation with 500 leaked images, `few_leaked_acc - few_clean_acc`, "
            f"is {measured} than `gap_5000`."
        )
    if not larger:
        raise Wrong(
            "with 500 leaked images the gap should be larger, not smaller. Did you start from the base "
            "model (`continue_training` does) and train for five epochs?"
        )
    return (
        "a small leaked set is memorised just as completely, and here the reported number was inflated "
        "even more than with 5,000 leaked images: small target test sets, common in transfer learning, "
        "are easy to memorise."
    )


leak_size = Exercise(
    "leak_size",
    answers=["gap_5000", "few_leaked_acc", "few_clean_acc", "inflation_larger"],
    checker=_check_leak_size,
    hints=[
        "`continue_training(x_leak[:500], y_leak[:500])` repeats the experiment: it returns the model and "
        "its curve, whose last `'untouched half'` value is the accuracy on the untouched half.",
        "`accuracy_score(y_leak[:500], evaluation.predict_labels(model, x_leak[:500]))` is the accuracy on the "
        "leaked images. The inflation is the difference of the two; compare it with `gap_5000`.",
    ],
    solution=(
        "```python\nfew_model, few_curve = continue_training(x_leak[:500], y_leak[:500])\n"
        "few_leaked_acc = accuracy_score(y_leak[:500], evaluation.predict_labels(few_model, x_leak[:500]))\n"
        "few_clean_acc = few_curve['untouched half'][-1]\n"
        "inflation_larger = few_leaked_acc - few_clean_acc > gap_5000\n```"
    ),
    reference=(0.0304, 1.0, 0.958, True),
    mistakes=[
        (0.0304, 1.0, 0.958, False),
        (0.0304, 0.958, 1.0, True),
        (0.0304, 100.0, 95.8, True),
        (0.0304, 1.0, 0.958, "larger"),
        (0.0304, 0.985, 0.975, True),
    ],
    points=2,
)


# --- 3. When does half a point matter? --------------------------------------------------

_SPLITS = {"a": (125, 75), "b": (525, 475)}


def _exact(a: int, b: int, alternative: str = "two-sided") -> float:
    return float(binomtest(a, a + b, 0.5, alternative=alternative).pvalue)


def _check_half_point(p_a: object, p_b: object, believe: object) -> str:
    answers = {"a": as_number(p_a, "p_a"), "b": as_number(p_b, "p_b")}
    for case, p in answers.items():
        if not 0.0 <= p <= 1.0:
            raise Wrong(f"`p_{case}` is a probability, between 0 and 1.")
    expected = {case: _exact(*split) for case, split in _SPLITS.items()}

    def close(p: float, target: float) -> bool:
        return abs(p - target) <= 0.02 * target  # within 2 %: four significant digits pass

    if close(answers["a"], expected["b"]) and close(answers["b"], expected["a"]):
        raise Wrong("`p_a` and `p_b` are swapped: (a) is the 125 vs 75 split.")
    for case, (a, b) in _SPLITS.items():
        p, name = answers[case], f"`p_{case}`"
        if close(p, expected[case]):
            continue
        if close(p, _exact(a, b, "greater")) or close(p, _exact(b, a, "less")):
            raise Wrong(
                f"{name} is a one-sided p-value; McNemar's question is two-sided: is either model better?"
            )
        if close(p, float(chi2.sf((a - b) ** 2 / (a + b), 1))):
            raise Wrong(f"{name} comes from the chi-squared approximation; use the exact test, `binomtest`.")
        if p < 1e-6:
            raise Wrong(
                f"{name} is (almost) zero. The number of trials is the number of disagreements, a + b, "
                "not the 10,000 test images; and keep enough digits."
            )
        raise Wrong(f"{name} is not McNemar's exact p-value: `binomtest(k, n, 0.5).pvalue`, two-sided.")
    choice = _as_choice(believe, "believe", ("a", "b", "both", "neither"))
    if choice != "a":
        raise Wrong(
            "compare each p-value with the usual 0.05 threshold: which split would be unlikely if the two "
            "models were equally good?"
        )
    return (
        "the same 0.5 points is convincing when the models rarely disagree and noise when they often "
        "do: what matters is how the disagreements split."
    )


half_point = Exercise(
    "half_point",
    answers=["p_a", "p_b", "believe"],
    checker=_check_half_point,
    hints=[
        "Under the hypothesis that both models are equally good, each disagreement favours A with "
        "probability 1/2: the count favouring A is binomial with $n$ = the number of disagreements.",
        "`binomtest(125, 200, 0.5).pvalue` is case (a) (two-sided by default). Believe the difference "
        "whose p-value is below 0.05.",
    ],
    solution=(
        "```python\nfrom scipy.stats import binomtest\n\n"
        "p_a = binomtest(125, 200, 0.5).pvalue\np_b = binomtest(525, 1000, 0.5).pvalue\n"
        'believe = "a"\n```'
    ),
    reference=(_exact(125, 75), _exact(525, 475), "a"),
    mistakes=[
        (_exact(125, 75, "greater"), _exact(525, 475, "greater"), "a"),
        (_exact(525, 475), _exact(125, 75), "a"),
        (_exact(125, 75), _exact(525, 475), "b"),
        (_exact(125, 75), _exact(525, 475), "both"),
        (float(binomtest(125, 10000, 0.5).pvalue), _exact(525, 475), "a"),
        (_exact(125, 75), _exact(525, 475), 1),
    ],
)


# --- 4. Weighting the rare class --------------------------------------------------------

_KEYS = ("accuracy", "recall_9")


def _scores(value: object, name: str) -> dict[str, float]:
    template = '{"accuracy": ..., "recall_9": ...}'
    if value is Ellipsis:
        raise NotAttempted(f"replace the `...` in `{name}` with {template}.")
    if not isinstance(value, Mapping):
        raise Wrong(f"`{name}` should be a dict, {template}, got a {type(value).__name__}.")
    if set(value) != set(_KEYS):
        raise Wrong(f'`{name}` should have exactly the keys "accuracy" and "recall_9": {template}.')
    return {key: as_fraction(value[key], f'{name}["{key}"]') for key in _KEYS}


def _check_class_weights(unweighted: object, weighted: object, larger_change: object) -> str:
    before = _scores(unweighted, "unweighted_scores")
    after = _scores(weighted, "weighted_scores")
    if before == after:
        raise Wrong(
            "`weighted_scores` equals `unweighted_scores`: evaluate the model trained *with* `class_weight`."
        )
    if after["recall_9"] <= before["recall_9"]:
        raise Wrong(
            "weighting the nines should raise their recall. Train a fresh "
            "`compiled_mlp(hidden_units=(64,), n_classes=5)` with `class_weight=dict(enumerate(weights))` "
            "in `fit`, and compute the recall on the test nines only (`is_nine`)."
        )
    if abs(after["accuracy"] - before["accuracy"]) > 0.05:
        raise Wrong(
            "the accuracy moved by more than 5 points. Did you evaluate both models on the same "
            "imbalanced test set, `x_imb_test`, `y_imb_test`?"
        )
    choice = _as_choice(larger_change, "larger_change", _KEYS)
    moved = {key: abs(after[key] - before[key]) for key in _KEYS}
    if choice != max(moved, key=moved.get):
        raise Wrong("by your own numbers, the other one moved more: compare the two changes, in points.")
    return (
        "you gained recall on the rare class and paid little accuracy (look at the precision of 9 too: "
        "what did the extra nines cost?). With 40 nines, compare the intervals before claiming the gain."
    )


class_weights = Exercise(
    "class_weights",
    answers=["unweighted_scores", "weighted_scores", "larger_change"],
    checker=_check_class_weights,
    hints=[
        '`compute_class_weight("balanced", classes=np.arange(5), y=y_imb)` gives one weight per class; '
        "pass `class_weight=dict(enumerate(weights))` to the `fit` of a fresh `compiled_mlp(hidden_units=(64,), "
        "n_classes=5)` trained as `imb_model` was.",
        "Accuracy is `accuracy_score(y_imb_test, pred_w)`; the recall of 9 is the accuracy on the nines only, "
        "`np.mean(pred_w[is_nine] == 4)`. Compare each with `unweighted_scores`.",
    ],
    solution=(
        "```python\nweighted_scores = {\n"
        '    "accuracy": accuracy_score(y_imb_test, pred_w),\n'
        '    "recall_9": float(np.mean(pred_w[is_nine] == 4)),\n}\n'
        "change = {key: abs(weighted_scores[key] - unweighted_scores[key]) for key in weighted_scores}\n"
        "larger_change = max(change, key=change.get)\n```"
    ),
    reference=({"accuracy": 0.9581, "recall_9": 0.35}, {"accuracy": 0.958, "recall_9": 0.675}, "recall_9"),
    mistakes=[
        ({"accuracy": 0.9581, "recall_9": 0.35}, {"accuracy": 0.958, "recall_9": 0.675}, "accuracy"),
        ({"accuracy": 0.9581, "recall_9": 0.35}, {"accuracy": 0.9581, "recall_9": 0.35}, "recall_9"),
        ({"accuracy": 0.9581, "recall_9": 0.35}, {"accuracy": 95.8, "recall_9": 67.5}, "recall_9"),
        ({"accuracy": 0.9581, "recall_9": 0.35}, {"accuracy": 0.96, "recall_9": 0.30}, "accuracy"),
        ({"accuracy": 0.9581, "recall_9": 0.35}, [0.958, 0.675], "recall_9"),
    ],
    points=2,
)

EXERCISES = (pr_by_hand, leak_size, half_point, class_weights)
