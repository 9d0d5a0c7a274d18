"""Every public helpers function refuses bad input with a message that names the problem.

One table, one row per (function, kind of bad input): wrong shapes, out-of-range or
non-integer labels, NaN, empty arrays, unknown names, missing files. The per-module test
files go deeper; this table makes sure no public function was left without checks.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import os
import pkgutil

import numpy as np
import pytest

import helpers
from helpers import (
    book,
    checks,
    data,
    evaluation,
    evidence,
    exercises,
    models,
    plots,
    pretrained,
    records,
    runtime,
    sweep,
    training,
    transfer,
)

X = np.zeros((4, 2))
Y = np.array([0, 1, 0, 1])


def _exercise(**changes):
    """An exercise with valid arguments, but for ``changes``."""
    arguments = dict(answers=("x",), checker=lambda x: None, hints=("a hint",), reference=(1,))
    return exercises.Exercise(changes.pop("name", "ex"), **{**arguments, **changes})


#: A small sweep result: strategy "a" at budget 1, two seeds, accuracies only.
SWEEP = transfer.budget_sweep(lambda budget, seed: {"a": 0.5 + seed / 10}, [1], [0, 1])


class _Said(Exception):
    """What an exercise said: `evaluate` never raises, so its feedback is the clear error."""


def _feedback_as_error(feedback):
    raise _Said(f"{feedback.status.name}: {feedback.message}")


def _grading(action):
    """Run ``action`` as the autograder would (where a wrong answer raises)."""
    before = os.environ.get("HOTL_GRADING")
    os.environ["HOTL_GRADING"] = "1"
    try:
        action()
    finally:
        os.environ.pop("HOTL_GRADING") if before is None else os.environ.update(HOTL_GRADING=before)


def _compiled_mlp():
    """A compiled model, so that a `train` row fails on its own argument, not on "not compiled"."""
    model = models.build_mlp((2,), (), 2)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


NAN = np.array([[np.nan, 0.0], [1.0, 1.0], [0.0, 0.0], [1.0, 0.0]])

CASES = [
    # runtime
    ("set_seed: not an int", lambda: helpers.set_seed(0.5), TypeError, "seed must be an int"),
    ("set_seed: negative", lambda: helpers.set_seed(-3), ValueError, "between 0 and"),
    ("set_seed: a bool", lambda: helpers.set_seed(True), TypeError, "seed must be an int"),
    (
        "available_cpus: not a path",
        lambda: runtime.available_cpus(proc_cgroup=3),
        TypeError,
        "must be a path",
    ),
    ("configure_malloc: takes no argument", lambda: runtime.configure_malloc(2), TypeError, "positional"),
    ("configure_threads: takes no argument", lambda: runtime.configure_threads(1), TypeError, "positional"),
    (
        "configure_environment: takes no argument",
        lambda: runtime.configure_environment(1),
        TypeError,
        "positional",
    ),
    # book
    ("glue: name with a space", lambda: book.glue("test acc", 1.0), ValueError, "letters, digits"),
    ("has_myst_nb: takes no argument", lambda: book.has_myst_nb(1), TypeError, "positional"),
    # pretrained
    (
        "load_pretrained: unknown name",
        lambda: pretrained.load_pretrained("resnet"),
        ValueError,
        "Unknown pretrained",
    ),
    ("load_pretrained: not a string", lambda: pretrained.load_pretrained(3), TypeError, "must be a string"),
    (
        "save_portable: not a model",
        lambda: pretrained.save_portable("m", "/tmp/m.keras"),
        TypeError,
        "keras.Model",
    ),
    ("portable_config: not a dict", lambda: pretrained.portable_config([1]), TypeError, "must be a dict"),
    (
        "file_sha256: missing file",
        lambda: pretrained.file_sha256("/no/such/file"),
        FileNotFoundError,
        "No such",
    ),
    # data
    (
        "load_mnist: missing file",
        lambda: data.load_mnist("/no/such/mnist.npz"),
        data.MnistIntegrityError,
        "not found",
    ),
    ("load_mnist: unknown source", lambda: data.load_mnist(source="s3"), ValueError, "Unknown source"),
    ("scale_pixels: NaN", lambda: data.scale_pixels(NAN), ValueError, "NaN"),
    ("scale_pixels: empty", lambda: data.scale_pixels(np.zeros((0, 28, 28))), ValueError, "empty"),
    ("select_classes: absent class", lambda: data.select_classes(X, Y, [7]), ValueError, "do not occur"),
    (
        "select_classes: length mismatch",
        lambda: data.select_classes(X, Y[:3], [0]),
        ValueError,
        "different numbers",
    ),
    (
        "sample_per_class: k too big",
        lambda: data.sample_per_class(X, Y, 5, seed=0),
        ValueError,
        "larger than the smallest",
    ),
    (
        "sample_per_class: negative label",
        lambda: data.sample_per_class(X, -Y, 1, seed=0),
        ValueError,
        "negative labels",
    ),
    (
        "train_val_split: fraction 1.5",
        lambda: data.train_val_split(X, Y, val_fraction=1.5, seed=0),
        ValueError,
        "between 0 and 1",
    ),
    (
        "train_val_split: one-hot labels",
        lambda: data.train_val_split(X, np.eye(4), seed=0),
        ValueError,
        "one-hot",
    ),
    (
        "scale_pixels: already scaled",
        lambda: data.scale_pixels(np.array([[0.0, 0.5], [1.0, 0.25]])),
        ValueError,
        "looks already scaled",
    ),
    ("frame_like_mnist: wrong shape", lambda: data.frame_like_mnist(np.zeros((8, 8))), ValueError, "shape"),
    ("frame_like_mnist: NaN", lambda: data.frame_like_mnist(np.full((1, 8, 8), np.nan)), ValueError, "NaN"),
    (
        "load_uci_digits: test fraction outside (0, 1)",
        lambda: data.load_uci_digits(test_fraction=-1),
        ValueError,
        "test_fraction must be strictly between 0 and 1",
    ),
    (
        "resize_images: not square",
        lambda: data.resize_images(np.zeros((2, 8, 6)), 28),
        ValueError,
        "must be square",
    ),
    # models
    ("build_mlp: zero classes", lambda: models.build_mlp(n_classes=0), ValueError, "n_classes must be >= 1"),
    (
        "build_mlp: unknown activation",
        lambda: models.build_mlp(activation="nope"),
        ValueError,
        "Unknown activation",
    ),
    ("build_cnn: zero classes", lambda: models.build_cnn(n_classes=0), ValueError, "n_classes"),
    # exercises: the as_* readers raise Wrong, which Exercise.evaluate turns into feedback
    ("grading: takes no argument", lambda: exercises.grading(1), TypeError, "positional"),
    ("as_number: a string", lambda: exercises.as_number("3", "n"), exercises.Wrong, "string"),
    ("as_int: a fraction", lambda: exercises.as_int(2.5, "n"), exercises.Wrong, "whole number"),
    ("as_bool: a string", lambda: exercises.as_bool("True", "b"), exercises.Wrong, "without quotes"),
    ("as_fraction: a percentage", lambda: exercises.as_fraction(85, "acc"), exercises.Wrong, "percentage"),
    ("as_list: wrong length", lambda: exercises.as_list([1, 2], "xs", 3), exercises.Wrong, "should hold 3"),
    ("as_array: wrong shape", lambda: exercises.as_array([1, 2], "a", (3,)), exercises.Wrong, "shape"),
    ("call: not a function", lambda: exercises.call(3, "f"), exercises.Wrong, "should be a function"),
    (
        "as_choice: a learner's answer that is none of the options",
        lambda: exercises.as_choice("c", "x", ("a", "b")),
        exercises.Wrong,
        '`x` should be one of "a", "b"',
    ),
    (
        "as_choice: options of two kinds",
        lambda: exercises.as_choice("a", "x", ("a", 1)),
        TypeError,
        "all strings",
    ),
    (
        "as_mapping: a learner's list for a dict",
        lambda: exercises.as_mapping([1, 2], "d", (0.1, 0.2)),
        exercises.Wrong,
        "`d` should be a dict",
    ),
    (
        "as_mapping: a learner's dict without one of the keys",
        lambda: exercises.as_mapping({0.1: 1}, "d", (0.1, 0.2)),
        exercises.Wrong,
        "one is missing",
    ),
    ("as_mapping: no keys", lambda: exercises.as_mapping({}, "d", ()), TypeError, "keys must be a non-empty"),
    ("close: a string", lambda: exercises.close("0.5", 0.5), TypeError, "compares numbers"),
    ("close: a negative tolerance", lambda: exercises.close(1.0, 1.0, atol=-1), ValueError, "atol must be"),
    ("Number: a negative tolerance", lambda: exercises.Number(1.0, rtol=-0.1), ValueError, "rtol must be"),
    ("Number.matches: a string", lambda: exercises.Number(1.0).matches("1"), TypeError, "compares numbers"),
    (
        "Number.mistake: a string",
        lambda: exercises.Number(1.0, mistakes=[(2.0, "doubled")]).mistake("2"),
        TypeError,
        "compares numbers",
    ),
    (
        "Number.judge: a learner's known mistake",
        lambda: exercises.Number(1.0, mistakes=[(2.0, "doubled")]).judge(2.0),
        exercises.Wrong,
        "doubled",
    ),
    ("Exercise: bad name", lambda: _exercise(name="two words"), ValueError, "Python identifier"),
    ("Exercise: no hints", lambda: _exercise(hints=()), ValueError, "hints must be"),
    ("Exercise.hint: hint 0", lambda: _exercise().hint(0), ValueError, "must be >= 1"),
    ("Exercise.hint: too many", lambda: _exercise().hint(2), ValueError, "has 1 hint"),
    ("Exercise.solution: takes no argument", lambda: _exercise().solution(1), TypeError, "positional"),
    (
        "Exercise.evaluate: two answers for one (feedback, never an exception)",
        lambda: _feedback_as_error(_exercise().evaluate(1, 2)),
        _Said,
        "expected 1 answer\\(s\\) \\(`x`\\), got 2",
    ),
    (
        "Exercise.check: two answers for one, when grading",
        lambda: _grading(lambda: _exercise().check(1, 2)),
        AssertionError,
        "expected 1 answer\\(s\\)",
    ),
    ("assign: a negative variant", lambda: exercises.assign(-1), ValueError, "variant must be >= 0"),
    ("assign: graded not a bool", lambda: exercises.assign(1, graded="yes"), TypeError, "graded must be"),
    (
        "judging_truth: distance not callable",
        lambda: exercises.judging_truth(1.0, lambda: 1.0, 3),
        TypeError,
        "distance must be callable",
    ),
    ("assignment: takes no argument", lambda: exercises.assignment(1), TypeError, "positional"),
    # evidence: the grader's input is the learner's output, so it never raises (see below); the
    # wrappers built by the course's own code do
    ("Recorder: not a function", lambda: evidence.Recorder(3), TypeError, "wraps a function"),
    ("Replay: not a list of calls", lambda: evidence.Replay("calls"), TypeError, "list of recorded calls"),
    # checks: the chapter -> checks module map
    (
        "chapter_number: a path",
        lambda: checks.chapter_number("chapters/01_neuron.ipynb"),
        ValueError,
        "01_neuron",
    ),
    ("chapter_number: not a string", lambda: checks.chapter_number(1), ValueError, "file name"),
    (
        "for_chapter: no such chapter",
        lambda: checks.for_chapter("99_unknown"),
        ValueError,
        "no checked exercises",
    ),
    (
        "Exercise: variants not callable",
        lambda: _exercise(variants=3),
        TypeError,
        "variants must be callable",
    ),
    ("Exercise.params: a fractional variant", lambda: _exercise().params(1.5), TypeError, "variant"),
    ("Exercise.numbers: takes no argument", lambda: _exercise().numbers(1), TypeError, "positional"),
    (
        "Exercise.grade: a negative variant",
        lambda: _exercise(variants=dict).grade({}, -1),
        ValueError,
        "variant",
    ),
    ("EpochLogger: every 0", lambda: training.EpochLogger(every=0), ValueError, "every must be >= 1"),
    ("FeatureCache: takes no argument", lambda: transfer.FeatureCache(1), TypeError, "positional"),
    ("FeatureCache.key: not a model", lambda: transfer.FeatureCache.key(None, X), TypeError, "keras.Model"),
    (
        "FeatureCache.lookup: not a key",
        lambda: transfer.FeatureCache().lookup(3),
        TypeError,
        "key must be a str",
    ),
    (
        "FeatureCache.store: not an array",
        lambda: transfer.FeatureCache().store("k", [1.0]),
        TypeError,
        "features must be a NumPy array",
    ),
    (
        "ValidationLoss: one-hot labels",
        lambda: transfer.ValidationLoss(X, np.eye(4)),
        ValueError,
        "one non-negative integer class index",
    ),
    ("SweepResult.accuracies: unknown strategy", lambda: SWEEP.accuracies("nope", 1), KeyError, "no record"),
    ("SweepResult.seeds: unknown budget", lambda: SWEEP.seeds("a", 99), KeyError, "no record"),
    ("SweepResult.steps: none reported", lambda: SWEEP.steps("a", 1), KeyError, "reported no training steps"),
    ("SweepResult.moved: none reported", lambda: SWEEP.moved("a", 1), KeyError, "reported no weight change"),
    (
        "SweepResult.mean_moved: none reported",
        lambda: SWEEP.mean_moved("a", 1),
        KeyError,
        "reported no weight change",
    ),
    ("SweepResult.ranking: unknown budget", lambda: SWEEP.ranking(99), KeyError, "no record"),
    ("SweepResult.table: unknown strategy", lambda: SWEEP.table(["nope"]), KeyError, "unknown strategies"),
    ("SweepResult.summary: takes no argument", lambda: SWEEP.summary(1), TypeError, "positional"),
    # sweep
    (
        "hold_out: a budget of 0",
        lambda: sweep.hold_out(X, Y, 0, seed=0),
        ValueError,
        "budget .* must be >= 1",
    ),
    (
        "train_network: not compiled",
        lambda: sweep.train_network(models.build_mlp((2,), (), 2), X, Y, None, seed=0),
        ValueError,
        "not compiled",
    ),
    (
        "reset_optimizer: a model",
        lambda: sweep.reset_optimizer(_compiled_mlp()),
        TypeError,
        "model.optimizer",
    ),
    ("warm_start: not a classifier", lambda: sweep.warm_start([X, Y], "head"), TypeError, "fitted linear"),
    ("batch_schedule: no examples", lambda: sweep.batch_schedule(0, 10, seed=0), ValueError, "must be >= 1"),
    ("batch_schedule: a float of steps", lambda: sweep.batch_schedule(5, 2.0, seed=0), TypeError, "steps"),
    # training
    ("train: not a model", lambda: training.train(None, X, Y, epochs=1), TypeError, "keras.Model"),
    ("without_autotune: an array", lambda: training.without_autotune(X), TypeError, "tf.data.Dataset"),
    (
        "in_order: fewer labels than images",
        lambda: training.in_order(X, Y[:-1], batch_size=2),
        ValueError,
        "numbers",
    ),
    (
        "in_order: one label for many images",
        lambda: training.in_order(X, 1, batch_size=2),
        ValueError,
        "a single value",
    ),
    (
        "shuffled: fewer labels than images",
        lambda: training.shuffled(X, Y[:-1], batch_size=2),
        ValueError,
        "numbers",
    ),
    ("shuffled: text", lambda: training.shuffled(["a", "b"], [0, 1], batch_size=2), TypeError, "numbers"),
    ("shuffled: batches of 2.5", lambda: training.shuffled(X, Y, batch_size=2.5), TypeError, "batch_size"),
    (
        "in_order: batches of 0",
        lambda: training.in_order(X, Y, batch_size=0),
        ValueError,
        "batch_size must be >= 1",
    ),
    (
        "train: zero epochs",
        lambda: training.train(_compiled_mlp(), X, Y, epochs=0),
        ValueError,
        "epochs must be >= 1",
    ),
    (
        "compare_learning_rates: a number as learning rate list",
        lambda: training.compare_learning_rates(
            _compiled_mlp, 0.1, X, Y, validation_data=(X, Y), epochs=1, patience=0, seed=0
        ),
        TypeError,
        "non-empty dict",
    ),
    (
        "compare_learning_rates: a negative learning rate",
        lambda: training.compare_learning_rates(
            _compiled_mlp, {"a": -0.1}, X, Y, validation_data=(X, Y), epochs=1, patience=0, seed=0
        ),
        ValueError,
        "positive number or a schedule",
    ),
    (
        "compare_learning_rates: no validation data",
        lambda: training.compare_learning_rates(
            _compiled_mlp, {"a": 0.1}, X, Y, validation_data=None, epochs=1, patience=0, seed=0
        ),
        ValueError,
        "validation_data is required",
    ),
    # records
    (
        "describe_learning_rates: a string",
        lambda: records.describe_learning_rates({"a": "x"}),
        TypeError,
        "schedule",
    ),
    (
        "comparison_recipe: negative epochs",
        lambda: records.comparison_recipe(
            {"a": 0.1}, epochs=-1, patience=0, batch_size=1, n_train=1, n_val=1
        ),
        ValueError,
        "epochs must be >= 0",
    ),
    (
        "save_record: a path as name",
        lambda: records.save_record("../x", {}, {}),
        ValueError,
        "plain file name",
    ),
    (
        "load_record: no such record",
        lambda: records.load_record("no_such_record", {}),
        FileNotFoundError,
        "record_seeds.py",
    ),
    # plots
    (
        "vector_figures: a number as language",
        lambda: plots.vector_figures(1),
        TypeError,
        "language must be a string",
    ),
    (
        "vector_figures: no such language",
        lambda: plots.vector_figures("fr"),
        ValueError,
        "language must be one of",
    ),
    ("svg_texts: bytes", lambda: plots.svg_texts(b"<svg/>"), TypeError, "svg must be"),
    (
        "translate_svg: a list",
        lambda: plots.translate_svg("<svg/>", ["epoch"]),
        TypeError,
        "translations must map",
    ),
    (
        "number_template: bytes",
        lambda: plots.number_template(b"T = 1.95"),
        TypeError,
        "text must be a string",
    ),
    (
        "number_templates: a list",
        lambda: plots.number_templates(["layer 1"]),
        TypeError,
        "translations must map",
    ),
    (
        "figure_translations: no such language",
        lambda: plots.figure_translations("fr"),
        ValueError,
        "language must be one of",
    ),
    (
        "panels_by_prefix: no strategy starts so",
        lambda: plots.panels_by_prefix(SWEEP, {"CNN": "cnn"}),
        ValueError,
        "no strategy of the sweep starts with",
    ),
    (
        "plot_history: missing metric",
        lambda: plots.plot_history({"loss": [1.0]}),
        ValueError,
        "no \\['accuracy'\\]",
    ),
    (
        "show_images: 2-D input",
        lambda: plots.show_images(np.zeros((4, 4))),
        ValueError,
        "at least 3 dimensions",
    ),
    (
        "plot_decision_boundary: 3 features",
        lambda: plots.plot_decision_boundary(lambda g: g[:, 0], np.zeros((4, 3)), Y),
        ValueError,
        r"\(n, 2\)",
    ),
    # evaluation
    ("predict_labels: not a model", lambda: evaluation.predict_labels(None, X), TypeError, "keras.Model"),
    (
        "predict_labels: one output",
        lambda: evaluation.predict_labels(models.build_mlp((2,), (), 1, output_activation="sigmoid"), X),
        ValueError,
        "one score per class",
    ),
    (
        "accuracy_ci: length mismatch",
        lambda: evaluation.accuracy_ci(Y, Y[:3], seed=0),
        ValueError,
        "different numbers",
    ),
    (
        "accuracy_ci: NaN labels",
        lambda: evaluation.accuracy_ci(np.array([0.0, np.nan]), np.array([0, 1]), seed=0),
        ValueError,
        "NaN",
    ),
    (
        "accuracy_ci: a seed NumPy cannot take",
        lambda: evaluation.accuracy_ci(Y, Y, seed=2**32),
        ValueError,
        r"between 0 and 2\*\*32 - 1",
    ),
    (
        "accuracy_ci: unknown method",
        lambda: evaluation.accuracy_ci(Y, Y, seed=0, method="magic"),
        ValueError,
        "method",
    ),
    (
        "binomial_accuracy_ci: length mismatch",
        lambda: evaluation.binomial_accuracy_ci(Y, Y[:3]),
        ValueError,
        "different numbers",
    ),
    (
        "binomial_accuracy_ci: level of 95",
        lambda: evaluation.binomial_accuracy_ci(Y, Y, level=95),
        ValueError,
        "strictly between 0 and 1",
    ),
    (
        "binomial_accuracy_ci: unknown method",
        lambda: evaluation.binomial_accuracy_ci(Y, Y, method="agresti-coull"),
        ValueError,
        "method",
    ),
    (
        "accuracy_difference_ci: empty",
        lambda: evaluation.accuracy_difference_ci(Y[:0], Y[:0], Y, Y, paired=False, seed=0),
        ValueError,
        "empty",
    ),
    ("mcnemar_test: mismatch", lambda: evaluation.mcnemar_test(Y, Y, Y[:2]), ValueError, "different numbers"),
    ("plot_reliability: empty", lambda: plots.plot_reliability({}), ValueError, "non-empty dict"),
    ("plot_layer_scales: a list", lambda: plots.plot_layer_scales([1.0, 2.0]), ValueError, "non-empty dict"),
    (
        "plot_layer_histograms: one array",
        lambda: plots.plot_layer_histograms(np.zeros((3, 4))),
        ValueError,
        "list",
    ),
    ("calibration: labels, not probabilities", lambda: evaluation.calibration(Y, Y), ValueError, "2-D array"),
    (
        "calibration: zero bins",
        lambda: evaluation.calibration([[0.5, 0.5]], [0], n_bins=0),
        ValueError,
        "n_bins",
    ),
    (
        "fit_temperature: logits",
        lambda: evaluation.fit_temperature([[2.0, -1.0]], [0]),
        ValueError,
        "softmax",
    ),
    (
        "scale_temperature: zero",
        lambda: evaluation.scale_temperature([[0.5, 0.5]], 0.0),
        ValueError,
        "positive",
    ),
    (
        "scale_temperature: a string",
        lambda: evaluation.scale_temperature("probs", 2.0),
        ValueError,
        "2-D array",
    ),
    (
        "most_confused_pairs: k=0",
        lambda: evaluation.most_confused_pairs(Y, Y, k=0),
        ValueError,
        "k must be >= 1",
    ),
    (
        "paired_difference_ci: one draw",
        lambda: evaluation.paired_difference_ci([0.9], [0.8]),
        ValueError,
        "at least two draws",
    ),
    (
        "paired_differences: not a sweep",
        lambda: evaluation.paired_differences({"a": [0.9]}, [("a", "b")]),
        TypeError,
        "SweepResult",
    ),
    (
        "plot_budget_curves: no panels",
        lambda: plots.plot_budget_curves(transfer.budget_sweep(lambda b, s: {"a": 0.5}, [1], [0]), {}),
        ValueError,
        "non-empty dict",
    ),
    # transfer
    ("count_params: not a model", lambda: transfer.count_params("mlp"), TypeError, "must be a keras.Model"),
    (
        "cut_backbone: unknown layer",
        lambda: transfer.cut_backbone(models.build_mlp(), "hidden_9"),
        ValueError,
        "has no layer 'hidden_9'",
    ),
    (
        "add_head: zero classes",
        lambda: transfer.add_head(models.build_mlp(), 0),
        ValueError,
        "n_classes must be >= 1",
    ),
    (
        "add_head: a NumPy boolean as the seed",
        lambda: transfer.add_head(models.build_mlp(), 2, seed=np.True_),
        TypeError,
        "seed must be an int",
    ),
    (
        "extract_features: wrong image shape",
        lambda: transfer.extract_features(models.build_mlp(), np.zeros((2, 8, 8))),
        ValueError,
        "model expects",
    ),
    (
        "weight_change: start of another model",
        lambda: transfer.weight_change([np.zeros(2)], models.build_mlp()),
        ValueError,
        "start has 1 arrays",
    ),
    (
        "budget_sweep: no budgets",
        lambda: transfer.budget_sweep(lambda budget, seed: {"scratch": 0.5}, [], [0]),
        ValueError,
        "budgets is empty",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_every_public_function_appears_in_the_table():
    """A new public function, class or method must get a row above.

    Named tuples, frozen dataclasses, enums and exceptions hold results: their constructors need
    no row, their methods do. Keras' callback hooks (``on_*``) are called by Keras, not by the
    reader.
    """
    covered = {name.split(":")[0] for name, *_ in CASES}
    modules = [  # every public module of the package, so that a new one is covered too
        importlib.import_module(f"helpers.{m.name}")
        for m in pkgutil.iter_modules(helpers.__path__)
        if not m.name.startswith("_")
    ]
    public = []
    for module in modules:
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                public.append(name)
            elif inspect.isclass(obj):
                public += [] if _holds_results(obj) else [name]  # a result type has no input...
                public += [  # ...but its methods may take some
                    f"{name}.{attr}"
                    for attr, member in vars(obj).items()
                    if not attr.startswith(("_", "on_"))
                    and (inspect.isfunction(member) or isinstance(member, staticmethod | classmethod))
                ]
    missing = [name for name in public if name not in covered | NEVER_RAISE]
    assert not missing, f"add bad-input rows for: {missing}"


#: Functions whose bad input, by design, gives a stand-in instead of an error: what a submission
#: wrote must never crash the grader (tested below and in tests/test_evidence.py).
NEVER_RAISE = {"encode", "decode", "Opaque"}


def test_evidence_turns_bad_input_into_an_opaque_stand_in_not_an_error():
    assert isinstance(evidence.decode({"t": "function", "calls": ["forged"]}), evidence.Opaque)
    assert isinstance(evidence.decode("not evidence"), evidence.Opaque)
    assert evidence.encode(object())["t"] == "opaque"
    assert repr(evidence.Opaque("<a model>")) == "<a model>"


def _holds_results(cls: type) -> bool:
    """Named tuples, frozen dataclasses, enums and exceptions: types that hold results."""
    frozen = dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen
    return frozen or issubclass(cls, tuple | enum.Enum | BaseException)
