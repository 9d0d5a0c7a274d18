"""Checks for the exercises of chapter 4, "Fine-tuning" (``chapters/04_fine_tuning.ipynb``).

In the notebook: ``from helpers.checks import ch04 as checks``, then
``checks.more_seeds.check()`` after the answer cell, ``checks.more_seeds.hint()`` for a hint
and ``checks.more_seeds.solution()`` for the solution.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from helpers.exercises import Exercise, NotAttempted, Wrong, as_bool, as_fraction, as_int, as_list, as_number

# --- 1. Turn the knob -----------------------------------------------------------------

_NEW_SEEDS = 3
_ONE_SEED = (
    "the sweep ran with a single seed (`N_SEEDS = 1`), so there is no range to compare with: set "
    "`N_SEEDS = 3` in the import cell at the top, run the chapter again, then this exercise."
)


def _check_more_seeds(sweep_accuracies: object, new_accuracies: object, all_inside: object) -> str:
    if sweep_accuracies is Ellipsis:
        raise NotAttempted("replace the `...` in `sweep_accuracies` with the sweep's accuracies.")
    try:  # np.ndim of a ragged list raises; as_list below then says what is wrong
        flat = np.ndim(np.asarray(sweep_accuracies, dtype=object)) == 1
    except ValueError:
        flat = False
    is_list = isinstance(sweep_accuracies, (list, tuple, np.ndarray)) and flat
    n_sweep = len(sweep_accuracies) if is_list else _NEW_SEEDS  # type: ignore[arg-type]
    if n_sweep == 1:
        raise NotAttempted(_ONE_SEED)
    old = as_list(
        sweep_accuracies,
        "sweep_accuracies",
        max(n_sweep, 2),
        convert=as_fraction,
        items="accuracies",
        per="seed",
    )
    new = as_list(
        new_accuracies, "new_accuracies", _NEW_SEEDS, convert=as_fraction, items="accuracies", per="seed"
    )
    if sorted(new) == sorted(old):
        raise Wrong(
            "your new accuracies are the sweep's: run `run_b(10, seed, ...)` with the *new* seeds 10, 11 and 12."
        )
    if max(new) < 0.2:
        raise Wrong(
            'these are below chance for ten digits: take the accuracy of the `"cnn frozen last"` strategy '
            "from each `run_b(10, seed, ...)` result."
        )
    inside = as_bool(all_inside, "all_inside")
    truly_inside = all(min(old) <= a <= max(old) for a in new)
    if inside != truly_inside:
        outside = "at least one of them falls outside" if not truly_inside else "all of them fall inside"
        raise Wrong(
            f"by your own numbers, {outside} the range of the sweep's accuracies (from their minimum to "
            "their maximum)."
        )
    rough = "" if len(old) >= 3 else " (with only two seeds in the sweep, its range is rougher still)"
    if truly_inside:
        return (
            "inside this time; with 10 labels per class, which images are labelled still moves the score"
            f"{rough}."
        )
    return (
        "a few seeds give only a rough range: new samples of 10 labels per class land outside it. Claims "
        f"about small budgets need more seeds, or a margin as wide as the spread{rough}."
    )


more_seeds = Exercise(
    "more_seeds",
    answers=["sweep_accuracies", "new_accuracies", "all_inside"],
    checker=_check_more_seeds,
    hints=[
        '`run_b(10, seed, strategies=["cnn frozen last"])` returns a dict with that strategy\'s accuracy '
        "(and computes nothing else); run it for each of the seeds 10, 11 and 12.",
        "A new accuracy is inside the sweep's range if `min(sweep_accuracies) <= a <= "
        "max(sweep_accuracies)`; `all_inside` is whether that holds for all three.",
    ],
    solution=(
        "Re-run the strategy with three new seeds and compare with the sweep's range:\n\n"
        '```python\nrun_b = make_run("B", prepare("B"))\n'
        'new_accuracies = [run_b(10, seed, strategies=["cnn frozen last"])["cnn frozen last"]\n'
        "                  for seed in (10, 11, 12)]\n"
        "all_inside = all(min(sweep_accuracies) <= a <= max(sweep_accuracies) for a in new_accuracies)\n```"
    ),
    reference=([0.935, 0.943, 0.953], [0.943, 0.942, 0.925], False),  # measured when the checks were written
    mistakes=[
        ([0.935, 0.943, 0.953], [0.943, 0.942, 0.925], True),
        ([0.922, 0.908, 0.910], [0.900, 0.903, 0.888], True),
        ([0.922, 0.908, 0.910], [0.922, 0.908, 0.910], True),
        ([0.922, 0.908, 0.910], [90.0, 90.3, 88.8], False),
        ([0.922, 0.908, 0.910], [0.900, 0.903], False),
        ([0.922, 0.908, 0.910], [0.910, 0.915, 0.920], False),
        ([0.922, 0.908, 0.910], [0.900, 0.903, 0.888], "no"),
    ],
    points=2,
)


# --- 2. Choose the head's regularisation on a validation split --------------------------

_CS = (0.01, 0.1, 1.0, 10.0)


def _c_key(key: object) -> float:
    try:
        value = as_number(key, "each key of val_scores")
    except (Wrong, NotAttempted):
        raise Wrong(
            f"the keys of `val_scores` should be the values of C, 0.01, 0.1, 1 and 10, got {key!r}."
        ) from None
    return value


def _check_choose_c(val_scores: object, chosen_c: object, test_accuracy: object) -> str:
    template = "{0.01: accuracy, 0.1: accuracy, 1: accuracy, 10: accuracy}"
    if val_scores is Ellipsis:
        raise NotAttempted("replace the `...` in `val_scores` with your dict of validation accuracies.")
    if not isinstance(val_scores, Mapping):
        raise Wrong(f"`val_scores` should be a dict, {template}, got a {type(val_scores).__name__}.")
    keys = {_c_key(k): k for k in val_scores}
    if sorted(keys) != sorted(_CS):
        raise Wrong(f"`val_scores` should have exactly the four values of C as keys: {template}.")
    scores = {c: as_fraction(val_scores[keys[c]], f"val_scores[{c:g}]") for c in _CS}
    c = as_number(chosen_c, "chosen_c")
    if not any(abs(c - option) < 1e-12 for option in _CS):
        raise Wrong("`chosen_c` should be one of the four values of C you tried.")
    best = max(scores.values())
    if scores[min(_CS, key=lambda option: abs(option - c))] < best:
        raise Wrong(
            "by your own `val_scores`, another C has a higher validation accuracy: choose the C that does "
            "best on the validation part, and only then look at the test set."
        )
    test = as_fraction(test_accuracy, "test_accuracy")
    if test < 0.2:
        raise Wrong(
            "a test accuracy below chance for five digits: refit the head with the chosen C on all 250 "
            "labelled images' features and score it on the test set's features from the same base."
        )
    return (
        "the test set scored one model, chosen without it, so its accuracy is an honest estimate; had it "
        "also picked C, the best of four tries on the same data would be optimistically biased."
    )


choose_c = Exercise(
    "choose_c",
    answers=["val_scores", "chosen_c", "test_accuracy"],
    checker=_check_choose_c,
    hints=[
        "Split the 250 labelled images with `data.train_val_split(x50, y50, val_fraction=0.2, seed=0)`, fit "
        "one `LogisticRegression(C=c)` per C on the training part's features and score it on the validation "
        "part's.",
        "`chosen_c = max(val_scores, key=val_scores.get)`; then refit with that C on all 250 images and call "
        "`.score` on the test features once.",
    ],
    solution=(
        "Choose C on the validation part, then score only the chosen model on the test set:\n\n"
        "```python\nval_scores = scores  # {C: validation accuracy}\nchosen_c = best_c\n"
        'test_accuracy = final.score(transfer.extract_features(base_a, targets["A"]["x_test"]), '
        'targets["A"]["y_test"])\n```'
    ),
    # Illustrative scores: the checker compares the answers with each other, not with fixed values.
    reference=({0.01: 0.82, 0.1: 0.9, 1: 0.92, 10: 0.9}, 1, 0.893),
    mistakes=[
        ({0.01: 0.82, 0.1: 0.9, 1: 0.92, 10: 0.9}, 10, 0.893),
        ({0.01: 82.0, 0.1: 90.0, 1: 92.0, 10: 90.0}, 1, 0.893),
        ({0.01: 0.82, 0.1: 0.9, 1: 0.92, 10: 0.9}, 1, 89.3),
        ({0.01: 0.82, 0.1: 0.9, 1: 0.92}, 1, 0.893),
        ({0.01: 0.82, 0.1: 0.9, 1: 0.92, 10: 0.9}, 5, 0.893),
        ([0.82, 0.9, 0.92, 0.9], 1, 0.893),
    ],
    points=2,
)


# --- 3. Gradual unfreezing ------------------------------------------------------------

# The mnist04_cnn's layers: hidden_1 (Dense 800 -> 64, on 5x5x32 convolutional features) and the
# new head (Dense 64 -> 5).
_HIDDEN_1 = 800 * 64 + 64
_HEAD = 64 * 5 + 5
_CONV_TRAINABLE = (
    3 * 3 * 1 * 16 + 3 * 3 * 16 * 32
)  # the kernels (no biases); batch normalization stays frozen


def _check_gradual(
    trainable_params: object, acc_partial: object, acc_whole: object, partial_better: object
) -> str:
    if isinstance(trainable_params, tuple) and len(trainable_params) == 2:
        raise Wrong(
            "`transfer.count_params` returns (trainable, non_trainable); give the first, "
            "`transfer.count_params(partial).trainable`."
        )
    n = as_int(trainable_params, "trainable_params")
    if n == _HEAD:
        raise Wrong("only the head trains: set `hidden_1`'s `trainable` to True (and recompile).")
    if n == _HIDDEN_1:
        raise Wrong("that counts `hidden_1` alone; the new head trains too.")
    if n == _HIDDEN_1 + _HEAD + _CONV_TRAINABLE:
        raise Wrong(
            "the convolutional base trains too: freeze every layer of the backbone except `hidden_1`, "
            "then recompile."
        )
    if n != _HIDDEN_1 + _HEAD:
        raise Wrong(
            "not the count of `hidden_1` plus the new head: build the model as the exercise says and read "
            "`transfer.count_params(partial).trainable`."
        )
    partial = as_fraction(acc_partial, "acc_partial")
    whole = as_fraction(acc_whole, "acc_whole")
    if partial < 0.2:
        raise Wrong("below chance for five digits: evaluate `partial` on setting A's test images.")
    better = as_bool(partial_better, "partial_better")
    if better != (partial > whole):
        higher = "higher" if partial > whole else "not higher"
        raise Wrong(
            f"by your own numbers, unfreezing only `hidden_1` scores {higher} than the whole network."
        )
    return (
        "with 10 labels per class, eight of them to train on, the lower layers have little to learn, so "
        "freezing them changes little; gradual unfreezing matters more when the target has enough data to "
        "move the lower layers."
    )


gradual = Exercise(
    "gradual",
    answers=["trainable_params", "acc_partial", "acc_whole", "partial_better"],
    checker=_check_gradual,
    hints=[
        "Cut the backbone with `trainable=True`, then set `layer.trainable = False` on every layer of the "
        "backbone but `hidden_1`, put the head on and compile. `transfer.count_params(partial).trainable` "
        "counts what trains.",
        "Hold out the same fifth with `hold_out(x10, y10, 10, seed=0)`, warm-start the head with `warm_start` "
        "and a `linear_head` fitted on the backbone's features of the training part, train with "
        "`train_network(partial, x_fit, y_fit, held_out, seed=0)`, and score it on setting A's test images.",
    ],
    solution=(
        "Only `hidden_1` and the head train; compare the accuracies:\n\n"
        "```python\ntrainable_params = transfer.count_params(partial).trainable\n"
        'acc_partial = float(np.mean(transfer.extract_features(partial, t["x_test"]).argmax(1) == t["y_test"]))\n'
        "partial_better = acc_partial > acc_whole\n```"
    ),
    reference=(_HIDDEN_1 + _HEAD, 0.909, 0.904, True),  # measured when the checks were written
    mistakes=[
        (_HEAD, 0.873, 0.872, True),
        (_HIDDEN_1, 0.873, 0.872, True),
        (_HIDDEN_1 + _HEAD + _CONV_TRAINABLE, 0.873, 0.872, True),
        (_HIDDEN_1 + _HEAD, 0.873, 0.872, False),
        (_HIDDEN_1 + _HEAD, 87.3, 0.872, True),
        ((_HIDDEN_1 + _HEAD, 1320), 0.873, 0.872, True),
    ],
    points=2,
)

EXERCISES = (more_seeds, choose_c, gradual)
