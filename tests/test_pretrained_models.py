"""The shipped pretrained models: they load safely, and chapter 3's recipe reproduces them."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from notebook_tools import ROOT, definitions

import helpers
from helpers import data, models, training

MODELS_DIR = ROOT / "models"
SHIPPED = {
    "mnist04_mlp": (5,),
    "mnist04_cnn": (5,),
    "mnist04_encoder": (32,),
    "mnist_mlp": (10,),
    "mnist_cnn": (10,),
    "mnist_encoder": (32,),
}
#: Retraining on another processor may differ in the last bits; accuracy must agree this well.
ACCURACY_TOLERANCE = 0.005

CH3 = definitions(ROOT / "chapters" / "03_pretraining.ipynb", ["pretrain", "mlp_for", "cnn_for"])
CH3.pretrain.__globals__.update(
    helpers=helpers, keras=keras, tf=tf, training=training, models=models, data=data
)


@pytest.mark.parametrize(("name", "output"), SHIPPED.items())
def test_shipped_model_loads_in_safe_mode(name, output):
    model = keras.saving.load_model(MODELS_DIR / f"{name}.keras", safe_mode=True)
    assert model.input_shape == (None, 28, 28)
    assert model.output_shape == (None, *output)
    assert not model.compiled  # saved without optimizer state


def test_shipped_models_are_small():
    sizes = {p.name: p.stat().st_size for p in MODELS_DIR.glob("*.keras")}
    assert set(sizes) == {f"{n}.keras" for n in SHIPPED}
    assert sum(sizes.values()) < 4_000_000, sizes


@pytest.fixture(scope="module")
def setting_a(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    source = data.select_classes(x_train, y_train, [0, 1, 2, 3, 4])
    test = data.select_classes(x_test, y_test, [0, 1, 2, 3, 4])
    split = data.train_val_split(source.x, source.y, seed=0)  # 8-bit, pretrain() scales it
    return split, data.scale_pixels(test.x), test.y


@pytest.mark.parametrize(("name", "epochs"), [("mnist04_mlp", 3), ("mnist04_cnn", 2)])
def test_chapter3_recipe_reproduces_the_shipped_model(setting_a, name, epochs, capsys):
    split, x_test, y_test = setting_a
    build = (CH3.mlp_for if name.endswith("mlp") else CH3.cnn_for)(5, name)
    model, _ = CH3.pretrain(build, split, epochs=epochs, seed=0)
    shipped = keras.saving.load_model(MODELS_DIR / f"{name}.keras", safe_mode=True)
    ours = model.predict(x_test, batch_size=1024, verbose=0).argmax(1)
    theirs = shipped.predict(x_test, batch_size=1024, verbose=0).argmax(1)
    assert abs(np.mean(ours == y_test) - np.mean(theirs == y_test)) < ACCURACY_TOLERANCE
    assert np.mean(ours == theirs) > 0.98  # the same model, not just the same score
    assert len(capsys.readouterr().out.splitlines()) == epochs  # one log line per epoch
