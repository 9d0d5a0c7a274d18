"""helpers.transfer: cutting, freezing, new heads, cached features, the budget sweep."""

from __future__ import annotations

import keras
import numpy as np
import pytest

import helpers
from helpers import models, transfer


@pytest.fixture
def cnn():
    helpers.set_seed(0)
    return models.build_cnn(n_classes=5, filters=(4, 8), hidden_units=16)


@pytest.fixture
def images():
    return np.random.default_rng(0).random((40, 28, 28), dtype=np.float32)


def test_cut_backbone_ends_at_the_named_layer_and_shares_weights(cnn):
    backbone = transfer.cut_backbone(cnn, "conv_base")
    assert backbone.output_shape == (None, 5 * 5 * 8)
    assert backbone.get_layer("conv_1") is cnn.get_layer("conv_1")


def test_frozen_backbone_has_no_trainable_parameters(cnn):
    backbone = transfer.cut_backbone(cnn, "hidden_1")
    assert transfer.count_params(backbone).trainable == 0
    assert transfer.count_params(backbone).non_trainable == backbone.count_params()


def test_freeze_backbone_leaves_only_head_trainable(cnn):
    model = transfer.add_head(transfer.cut_backbone(cnn, "hidden_1"), n_classes=3)
    assert transfer.count_params(model).trainable == 16 * 3 + 3
    assert transfer.count_params(model).trainable + transfer.count_params(model).non_trainable == (
        model.count_params()
    )


def test_unfrozen_backbone_counts_everything_but_batchnorm(cnn):
    model = transfer.add_head(transfer.cut_backbone(cnn, "hidden_1", trainable=True), n_classes=3)
    # gamma, beta, moving mean and variance of bn_1 (4 channels) and bn_2 (8 channels) stay frozen
    assert transfer.count_params(model).non_trainable == 4 * (4 + 8)
    unfrozen_bn = transfer.cut_backbone(cnn, "hidden_1", trainable=True, freeze_batchnorm=False)
    assert transfer.count_params(unfrozen_bn).non_trainable == 2 * (4 + 8)


def test_training_false_alone_does_not_protect_batchnorm_statistics_in_fit(cnn, images):
    # The Keras 3 behaviour that makes freeze_batchnorm necessary: fit's training=True wins.
    backbone = transfer.cut_backbone(cnn, "hidden_1", trainable=True, freeze_batchnorm=False)
    model = transfer.add_head(backbone, n_classes=5)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(images, np.arange(40) % 5, epochs=1, batch_size=8, verbose=0)
    assert np.abs(cnn.get_layer("bn_1").get_weights()[2]).max() > 0  # moving mean moved from 0


def test_frozen_backbone_weights_do_not_change_during_head_training(cnn, images):
    backbone = transfer.cut_backbone(cnn, "hidden_1")
    before = [w.copy() for w in backbone.get_weights()]
    model = transfer.add_head(backbone, n_classes=5)
    head_before = model.get_layer("new_head").get_weights()[0].copy()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(images, np.arange(40) % 5, epochs=3, batch_size=8, verbose=0)
    for a, b in zip(before, backbone.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(head_before, model.get_layer("new_head").get_weights()[0])


def test_unfrozen_backbone_trains_but_batchnorm_stays_in_inference_mode(cnn, images):
    backbone = transfer.cut_backbone(cnn, "hidden_1", trainable=True)
    conv_before = cnn.get_layer("conv_1").get_weights()[0].copy()
    stats_before = [w.copy() for w in cnn.get_layer("bn_1").get_weights()[2:]]
    model = transfer.add_head(backbone, n_classes=5)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(images, np.arange(40) % 5, epochs=2, batch_size=8, verbose=0)
    assert not np.allclose(conv_before, cnn.get_layer("conv_1").get_weights()[0])
    for a, b in zip(stats_before, cnn.get_layer("bn_1").get_weights()[2:]):
        np.testing.assert_array_equal(a, b)  # training=False: moving statistics untouched


def test_add_head_seed_makes_the_head_reproducible(cnn):
    backbone = transfer.cut_backbone(cnn, "hidden_1")
    a = transfer.add_head(backbone, 3, seed=1).get_layer("new_head").get_weights()[0]
    b = transfer.add_head(backbone, 3, seed=1).get_layer("new_head").get_weights()[0]
    np.testing.assert_array_equal(a, b)


def test_add_head_flattens_spatial_features():
    inputs = keras.Input((6, 6, 1))
    backbone = keras.Model(inputs, keras.layers.Conv2D(2, 3)(inputs))
    assert transfer.add_head(backbone, 4).output_shape == (None, 4)


def test_extract_features_matches_predict_and_is_flat(cnn, images):
    backbone = transfer.cut_backbone(cnn, "conv_base")
    feats = transfer.extract_features(backbone, images, batch_size=7)
    expected = backbone.predict(images, verbose=0).reshape(40, -1)
    assert feats.shape == (40, 200) and feats.dtype == np.float32
    np.testing.assert_allclose(feats, expected, rtol=1e-5, atol=1e-6)


def test_extract_features_gives_the_eager_call_s_numbers_and_follows_the_weights(cnn, images):
    eager = keras.ops.convert_to_numpy(cnn(images, training=False))
    np.testing.assert_array_equal(transfer.extract_features(cnn, images), eager)  # bit for bit
    cnn.set_weights([w * 0.5 for w in cnn.get_weights()])  # the traced graph reads the new weights
    halved = keras.ops.convert_to_numpy(cnn(images, training=False))
    assert not np.array_equal(halved, eager)
    np.testing.assert_array_equal(transfer.extract_features(cnn, images.astype(np.float64)), halved)


def test_traced_inference_goes_with_its_model_and_follows_a_changed_model(images):
    import gc

    def flatten():
        return keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten()])

    gc.collect()
    before = len(transfer._INFERENCE_CALLS)
    for _ in range(3):
        transfer.extract_features(flatten(), images)
    gc.collect()
    assert len(transfer._INFERENCE_CALLS) == before  # no model is kept alive by the cache
    model = flatten()
    assert transfer.extract_features(model, images).shape == (40, 784)
    model.add(keras.layers.Dense(3))  # a new layer: traced again, not the stale graph
    assert transfer.extract_features(model, images).shape == (40, 3)


def test_feature_cache_hits_for_same_weights_and_inputs_only(cnn, images):
    cache = transfer.FeatureCache()
    backbone = transfer.cut_backbone(cnn, "hidden_1")
    first = transfer.extract_features(backbone, images, cache=cache)
    again = transfer.extract_features(backbone, images, cache=cache)
    assert again is first and (cache.hits, cache.misses) == (1, 1)
    transfer.extract_features(backbone, images[:10], cache=cache)
    cnn.get_layer("hidden_1").set_weights([w + 1 for w in cnn.get_layer("hidden_1").get_weights()])
    changed = transfer.extract_features(backbone, images, cache=cache)
    assert (cache.hits, cache.misses, len(cache)) == (1, 3, 3)
    assert not np.allclose(changed, first)


def test_cached_features_are_read_only_so_no_caller_can_change_another_s(cnn, images):
    cache = transfer.FeatureCache()
    backbone = transfer.cut_backbone(cnn, "hidden_1")
    feats = transfer.extract_features(backbone, images, cache=cache)
    with pytest.raises(ValueError, match="read-only"):
        feats[0, 0] = 1.0
    uncached = transfer.extract_features(backbone, images)
    uncached[0, 0] = 1.0  # without a cache the caller owns the array


def test_feature_cache_refuses_what_is_not_a_model_key_or_array(cnn, images):
    cache = transfer.FeatureCache()
    with pytest.raises(TypeError, match="keras.Model"):
        cache.key(None, images)
    with pytest.raises(TypeError, match="key must be a str"):
        cache.lookup(3)
    with pytest.raises(TypeError, match="features must be a NumPy array"):
        cache.store("k", [1, 2])


def _fake_run(budget, seed):
    k = 1000 if budget == "all" else budget
    return {"a": k / 1000 + seed / 100, "b": 0.5}


def test_budget_sweep_collects_every_budget_seed_and_strategy(capsys):
    result = transfer.budget_sweep(_fake_run, [1, 10, "all"], [0, 1, 2], seeds_for_all=1)
    assert len(result.records) == (3 + 3 + 1) * 2
    assert result.strategies == ["a", "b"] and result.budgets == [1, 10, "all"]
    np.testing.assert_allclose(result.accuracies("a", 10), [0.01, 0.02, 0.03])
    row = next(r for r in result.summary() if r.strategy == "a" and r.budget == 10)
    assert (
        row.n == 3 and row.mean == pytest.approx(0.02) and row.std == pytest.approx(np.std([1, 2, 3]) / 100)
    )
    assert row.low == pytest.approx(0.01) and row.high == pytest.approx(0.03)
    assert capsys.readouterr().out == ""  # silent unless asked


def test_budget_sweep_prints_one_progress_line_per_run(capsys):
    transfer.budget_sweep(_fake_run, [5, "all"], [0, 1], verbose=True, label="demo")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0] == "demo  k=   5  seed 1/2  best of 2: b 0.500"
    assert lines[3] == "demo  k= all  seed 2/2  best of 2: a 1.010"


def test_accuracies_of_unknown_strategy_says_what_exists():
    result = transfer.budget_sweep(_fake_run, [1], [0])
    with pytest.raises(KeyError, match="strategies: \\['a', 'b'\\]"):
        result.accuracies("c", 1)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"run": 3}, TypeError, "run must be a function"),
        ({"budgets": []}, ValueError, "budgets is empty"),
        ({"budgets": [0]}, ValueError, "budget .or 'all'. must be >= 1"),
        ({"budgets": ["most"]}, TypeError, "budget .or 'all'. must be an int"),
        ({"budgets": [1, 1]}, ValueError, "duplicates"),
        ({"seeds": []}, ValueError, "seeds is empty"),
        ({"seeds": [-1]}, ValueError, "each seed must be between 0 and"),
        ({"seeds_for_all": 0}, ValueError, "seeds_for_all must be >= 1"),
        ({"verbose": 1}, TypeError, "verbose must be True or False"),
        ({"run": lambda b, s: 0.5}, TypeError, "must return a non-empty"),
        ({"run": lambda b, s: {"a": "high"}}, TypeError, "reported str for 'a'"),
        (
            {"run": lambda b, s: {"a": transfer.Outcome(0.5, steps=-1)}},
            ValueError,
            "Outcome.steps must be >= 0",
        ),
    ],
)
def test_budget_sweep_rejects_bad_arguments(kwargs, error, message):
    args = {"run": _fake_run, "budgets": [1], "seeds": [0]} | kwargs
    with pytest.raises(error, match=message):
        transfer.budget_sweep(**args)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda m: transfer.cut_backbone(m, "nope"), ValueError, "has no layer 'nope'; its layers are"),
        (lambda m: transfer.cut_backbone("model", "hidden_1"), TypeError, "model must be a keras.Model"),
        (lambda m: transfer.cut_backbone(m, "hidden_1", trainable=0), TypeError, "trainable must be"),
        (
            lambda m: transfer.cut_backbone(m, "hidden_1", freeze_batchnorm=None),
            TypeError,
            "freeze_batchnorm",
        ),
        (lambda m: transfer.add_head(m, 0), ValueError, "n_classes must be >= 1"),
        (lambda m: transfer.add_head(m, 2, seed=-1), ValueError, "seed must be between 0 and"),
        (lambda m: transfer.count_params(None), TypeError, "model must be a keras.Model"),
        (lambda m: transfer.extract_features(m, np.zeros((2, 8, 8))), ValueError, "expects \\(28, 28\\)"),
        (lambda m: transfer.extract_features(m, np.zeros((2, 28, 28)), cache={}), TypeError, "FeatureCache"),
        (lambda m: transfer.extract_features(m, np.zeros((2, 28, 28)), batch_size=0), ValueError, ">= 1"),
        (lambda m: transfer.extract_features(m, np.zeros(3)), ValueError, "at least 2 dimensions"),
    ],
)
def test_transfer_functions_reject_bad_arguments(cnn, call, error, message):
    with pytest.raises(error, match=message):
        call(cnn)


def _run_with_outcomes(budget, seed):
    return {
        "frozen": 0.8 + seed / 100,
        "tuned": transfer.Outcome(0.85 + seed / 100, steps=10 * (seed + 1), moved={"conv_1": 0.1 * seed}),
    }


def test_outcomes_keep_steps_and_weight_change_next_to_the_accuracy():
    result = transfer.budget_sweep(_run_with_outcomes, [5], [0, 1])
    np.testing.assert_allclose(result.accuracies("tuned", 5), [0.85, 0.86])
    np.testing.assert_array_equal(result.steps("tuned", 5), [10, 20])
    assert result.moved("tuned", 5) == [{"conv_1": 0.0}, {"conv_1": 0.1}]
    assert result.seeds("tuned", 5) == [0, 1]
    with pytest.raises(KeyError, match="reported no training steps"):
        result.steps("frozen", 5)
    with pytest.raises(KeyError, match="reported no weight change"):
        result.moved("frozen", 5)


def test_mean_moved_averages_each_layers_weight_change_over_seeds():
    result = transfer.budget_sweep(_run_with_outcomes, [5], [0, 1, 2])
    assert result.mean_moved("tuned", 5) == pytest.approx({"conv_1": 0.1})
    with pytest.raises(KeyError, match="reported no weight change"):
        result.mean_moved("frozen", 5)


def test_ranking_puts_the_best_mean_first():
    result = transfer.budget_sweep(_run_with_outcomes, [5], [0, 1])
    assert result.ranking(5) == [("tuned", pytest.approx(0.855)), ("frozen", pytest.approx(0.805))]
    assert result.ranking(5, ["frozen"]) == [("frozen", pytest.approx(0.805))]


def test_weight_change_is_relative_per_layer_and_skips_frozen_weights(cnn, images):
    model = transfer.add_head(transfer.cut_backbone(cnn, "hidden_1", trainable=True), n_classes=5)
    start = model.get_weights()
    assert set(transfer.weight_change(start, model).values()) == {0.0}
    kernel = model.get_layer("new_head").kernel
    kernel.assign(2 * keras.ops.convert_to_numpy(kernel))  # the kernel doubles, the bias stays 0
    moved = transfer.weight_change(start, model)
    assert moved["new_head"] == pytest.approx(1.0)
    assert list(moved) == ["conv_1", "conv_2", "hidden_1", "new_head"]  # no batch normalization
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    model.fit(images, np.arange(40) % 5, epochs=1, batch_size=8, verbose=0)
    assert all(v > 0 for v in transfer.weight_change(start, model).values())


@pytest.mark.parametrize(
    ("start", "error", "message"),
    [
        (np.zeros(3), TypeError, "get_weights"),
        ([np.zeros(3)], ValueError, "start has 1 arrays"),
    ],
)
def test_weight_change_rejects_a_start_that_is_not_the_model_s(cnn, start, error, message):
    with pytest.raises(error, match=message):
        transfer.weight_change(start, cnn)


def test_weight_change_checks_shapes(cnn):
    start = [np.zeros((1,) + tuple(w.shape)) for w in cnn.weights]
    with pytest.raises(ValueError, match="has shape"):
        transfer.weight_change(start, cnn)


def test_validation_loss_is_the_cross_entropy_early_stopping_reads(cnn, images):
    y = np.arange(40) % 5
    cnn.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    logger = transfer.ValidationLoss(images[:10], y[:10])
    stop = keras.callbacks.EarlyStopping("val_loss", patience=1)
    history = cnn.fit(images, y, epochs=2, batch_size=8, callbacks=[logger, stop], verbose=0)
    expected = keras.losses.sparse_categorical_crossentropy(y[:10], cnn(images[:10], training=False))
    assert history.history["val_loss"][-1] == pytest.approx(float(np.mean(expected)), rel=1e-4)
    assert stop.best < np.inf  # EarlyStopping saw the value


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (np.zeros((3, 28, 28)), np.array([0, 1]), "one non-negative integer class index"),
        (np.zeros((2, 28, 28)), np.array([0.5, 1.0]), "integer"),
        (np.zeros((2, 28, 28)), np.array([0, -1]), "non-negative"),
        (np.zeros(3), np.array([0, 1, 2]), "at least 2 dimensions"),
    ],
)
def test_validation_loss_rejects_bad_validation_data(x, y, message):
    with pytest.raises(ValueError, match=message):
        transfer.ValidationLoss(x, y)


def test_table_shows_mean_and_spread_per_strategy_and_budget():
    result = transfer.budget_sweep(_fake_run, [1, "all"], [0, 1, 2], seeds_for_all=1)
    lines = result.table().splitlines()
    assert lines[0].split() == ["k=1", "k=all"]
    assert lines[1].split() == ["a", "1.1", "±", "0.8", "100.0"]  # one seed at "all": the mean only
    assert lines[2].split() == ["b", "50.0", "±", "0.0", "50.0"]
    with pytest.raises(KeyError, match="unknown strategies"):
        result.table(["c"])
