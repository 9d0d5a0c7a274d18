"""Chapter 4's training code: steps sized to the data, optimizer reset, LR head as a Keras layer."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from notebook_tools import ROOT, definitions
from sklearn.linear_model import LogisticRegression

CH4 = definitions(
    ROOT / "chapters" / "04_fine_tuning.ipynb", ["steps_for", "fit_steps", "reset_optimizer", "linear_head"]
)
CH4.linear_head.__globals__.update(LogisticRegression=LogisticRegression)


@pytest.mark.parametrize(("n", "steps"), [(5, 100), (250, 100), (500, 160), (1198, 200), (29404, 200)])
def test_steps_are_ten_epochs_between_100_and_200(n, steps):
    assert CH4.steps_for(n) == steps


def _tiny_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    return model


def test_fit_steps_runs_exactly_the_requested_number_of_steps():
    model = _tiny_model()
    x, y = np.random.default_rng(0).random((10, 4)), np.arange(10) % 3
    CH4.fit_steps(model, x, y, steps=7, seed=0)
    assert int(model.optimizer.iterations.numpy()) == 7


def test_reset_optimizer_zeroes_the_state_but_keeps_the_learning_rate():
    model = _tiny_model()
    x, y = np.random.default_rng(0).random((10, 4)), np.arange(10) % 3
    model.fit(x, y, epochs=2, verbose=0)
    CH4.reset_optimizer(model.optimizer)
    assert int(model.optimizer.iterations.numpy()) == 0
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(1e-3)
    assert all(not np.any(v.numpy()) for v in model.optimizer.variables if "learning_rate" not in v.path)


def test_linear_head_is_a_softmax_dense_layer_keras_can_use_as_warm_start():
    rng = np.random.default_rng(0)
    feats, y = rng.random((60, 8)).astype("float32"), np.arange(60) % 3
    head = CH4.linear_head(feats, y, 0)
    layer = keras.layers.Dense(3, activation="softmax")
    layer.build((None, 8))
    layer.set_weights([head.coef_.T.astype("float32"), head.intercept_.astype("float32")])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(feats)), head.predict_proba(feats), atol=1e-5)
