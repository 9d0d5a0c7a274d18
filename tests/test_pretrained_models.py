"""The shipped pretrained models: they are the published files, every layer trains, they load the
same in the oldest supported Keras (the Colab-like environment), and chapter 3's recipe
reproduces them."""

from __future__ import annotations

import os
import re
import subprocess

import keras
import numpy as np
import pytest
import tensorflow as tf
from notebook_tools import ROOT, definitions, script

import helpers
from helpers import data, models, pretrained, training

SHIPPED = {  # name -> output shape
    "mnist04_mlp": (5,),
    "mnist04_cnn": (5,),
    "mnist04_encoder": (32,),
    "mnist_mlp": (10,),
    "mnist_cnn": (10,),
    "mnist_encoder": (32,),
}
#: Retraining on another processor may differ in the last bits; accuracy must agree this well.
ACCURACY_TOLERANCE = 0.005
#: The Colab-like environment (`make colab-env`), with TensorFlow and Keras older than ours.
COLAB_PYTHON = ROOT / ".venv-colab" / "bin" / "python"
COLAB_LOCK = ROOT / "requirements" / "colab.txt"
#: How many MNIST test images both environments predict.
N_IMAGES = 64

CH3 = definitions(ROOT / "chapters" / "03_pretraining.ipynb", ["pretrain", "mlp_for", "cnn_for"])
CH3.pretrain.__globals__.update(
    helpers=helpers, keras=keras, tf=tf, training=training, models=models, data=data
)


def test_the_shipped_files_are_the_registered_models():
    assert sorted(p.stem for p in pretrained.DEFAULT_MODELS_DIR.glob("*.keras")) == sorted(SHIPPED)
    assert sorted(pretrained.PRETRAINED_SHA256) == sorted(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_file_matches_its_sha256(name):
    path = pretrained.DEFAULT_MODELS_DIR / f"{name}.keras"
    assert pretrained.file_sha256(path) == pretrained.PRETRAINED_SHA256[name], (
        f"{path} changed; restore it (git checkout -- models/) or record it: python scripts/make_models.py --record"
    )


def test_a_changed_shipped_file_is_refused_with_a_clear_error(tmp_path):
    raw = bytearray((pretrained.DEFAULT_MODELS_DIR / "mnist_mlp.keras").read_bytes())
    raw[len(raw) // 2] ^= 1  # one bit of one weight
    (tmp_path / "mnist_mlp.keras").write_bytes(bytes(raw))
    with pytest.raises(pretrained.PretrainedIntegrityError) as error:
        pretrained.load_pretrained("mnist_mlp", models_dir=tmp_path)
    message = str(error.value)
    assert "mnist_mlp.keras does not match its SHA-256" in message
    assert "git checkout -- models/" in message and "scripts/make_models.py --record" in message


def test_models_readme_lists_the_same_digests():
    make_models = script("make_models")
    assert make_models.readme_digests(make_models.README.read_text()) == pretrained.PRETRAINED_SHA256
    assert make_models.check(make_models.digests()) == 0


@pytest.mark.parametrize(("name", "output"), SHIPPED.items())
def test_shipped_model_loads_in_safe_mode(name, output):
    model = pretrained.load_pretrained(name)
    assert model.input_shape == (None, 28, 28)
    assert model.output_shape == (None, *output)
    assert not model.compiled  # saved without optimizer state


@pytest.mark.parametrize("name", SHIPPED)
def test_every_layer_of_a_shipped_model_trains(name):
    model = pretrained.load_pretrained(name)
    assert model.trainable
    assert [layer.name for layer in model.layers if not layer.trainable] == []
    # What a learner who calls fit sees: every weight moves, except BatchNormalization's statistics.
    before = {w.path: np.array(w) for w in model.trainable_weights}
    x = np.random.default_rng(0).random((32, 28, 28), dtype=np.float32)
    y = np.arange(32) % model.output_shape[-1]
    if "encoder" in name:  # not a classifier: train it towards codes that are zero but one
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        y = np.eye(model.output_shape[-1], dtype=np.float32)[y]
    else:
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    unchanged = [w.path for w in model.trainable_weights if np.array_equal(before[w.path], np.array(w))]
    assert unchanged == [], f"{name}: fit did not change {unchanged}"
    assert len(before) == len(model.weights) - len(model.non_trainable_weights)
    frozen = [w.path for w in model.non_trainable_weights]
    assert all(path.endswith(("moving_mean", "moving_variance")) for path in frozen), frozen


def test_shipped_models_are_small():
    sizes = {p.name: p.stat().st_size for p in pretrained.DEFAULT_MODELS_DIR.glob("*.keras")}
    assert sum(sizes.values()) < 4_000_000, sizes


# --- The oldest supported Keras: the Colab-like environment -----------------------------------

COLAB_SCRIPT = """
import sys
import helpers  # first: configures TensorFlow
import keras
import numpy as np
from helpers import data, pretrained

(_, _), (x, _) = data.load_mnist()
x = data.scale_pixels(x[:{n}])
arrays = {{}}
for name in pretrained.PRETRAINED_SHA256:
    model = pretrained.load_pretrained(name)
    arrays[name + "/predictions"] = model.predict(x, verbose=0)
    arrays[name + "/trainable"] = np.array([layer.trainable for layer in model.layers])
    for i, weight in enumerate(model.get_weights()):
        arrays[f"{{name}}/weight_{{i}}"] = weight
np.savez(sys.argv[1], **arrays)
print("keras", keras.__version__)
"""


def _locked_keras_version() -> str:
    match = re.search(r"^keras==(\S+)", COLAB_LOCK.read_text(), flags=re.MULTILINE)
    assert match, f"{COLAB_LOCK} pins no keras version"
    return match.group(1)


@pytest.fixture(scope="module")
def colab_run(tmp_path_factory):
    """Every shipped model loaded in the Colab-like environment: its predictions and weights."""
    if not COLAB_PYTHON.exists():
        pytest.fail(
            f"{COLAB_PYTHON.relative_to(ROOT)} is missing, so the shipped models cannot be checked in "
            "the oldest supported Keras. Create the Colab-like environment with `make colab-env` "
            "(requirements/colab.txt on Python 3.12), then run the tests again."
        )
    out = tmp_path_factory.mktemp("colab") / "colab.npz"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [str(COLAB_PYTHON), "-c", COLAB_SCRIPT.format(n=N_IMAGES), str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, (
        f"loading the shipped models in {COLAB_PYTHON} failed:\n{done.stderr[-3000:]}"
    )
    version = done.stdout.split()[-1]
    assert version == _locked_keras_version(), (
        f".venv-colab has Keras {version}, but {COLAB_LOCK.name} pins {_locked_keras_version()}: "
        "recreate it with `make colab-env`."
    )
    with np.load(out) as arrays:
        return dict(arrays)


@pytest.fixture(scope="module")
def mnist_images():
    (_, _), (x, _) = data.load_mnist()
    return data.scale_pixels(x[:N_IMAGES])


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_model_loads_with_the_same_weights_in_the_colab_environment(colab_run, name):
    weights = pretrained.load_pretrained(name).get_weights()
    theirs = [colab_run[f"{name}/weight_{i}"] for i in range(len(weights))]
    assert f"{name}/weight_{len(weights)}" not in colab_run
    for ours, other in zip(weights, theirs, strict=True):
        np.testing.assert_array_equal(ours, other)
    assert colab_run[f"{name}/trainable"].all()


@pytest.mark.slow
@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_model_predicts_the_same_in_the_colab_environment(colab_run, mnist_images, name):
    ours = pretrained.load_pretrained(name).predict(mnist_images, verbose=0)
    theirs = colab_run[f"{name}/predictions"]
    np.testing.assert_array_equal(ours.argmax(1), theirs.argmax(1))
    # TensorFlow 2.19's and 2.21's softmax differ in the last bit on identical logits (6e-8 measured).
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)


# --- Chapter 3's recipe, run again -------------------------------------------------------------


@pytest.fixture(scope="module")
def setting_a(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    source = data.select_classes(x_train, y_train, [0, 1, 2, 3, 4])
    test = data.select_classes(x_test, y_test, [0, 1, 2, 3, 4])
    split = data.train_val_split(source.x, source.y, seed=0)  # 8-bit, pretrain() scales it
    return split, data.scale_pixels(test.x), test.y


@pytest.mark.slow
@pytest.mark.parametrize(("name", "epochs"), [("mnist04_mlp", 3), ("mnist04_cnn", 2)])
def test_chapter3_recipe_reproduces_the_shipped_model(setting_a, name, epochs, capsys):
    split, x_test, y_test = setting_a
    build = (CH3.mlp_for if name.endswith("mlp") else CH3.cnn_for)(5, name)
    model, _ = CH3.pretrain(build, split, epochs=epochs, seed=0)
    shipped = pretrained.load_pretrained(name)
    ours = model.predict(x_test, batch_size=1024, verbose=0).argmax(1)
    theirs = shipped.predict(x_test, batch_size=1024, verbose=0).argmax(1)
    assert abs(np.mean(ours == y_test) - np.mean(theirs == y_test)) < ACCURACY_TOLERANCE
    assert np.mean(ours == theirs) > 0.98  # the same model, not just the same score
    assert len(capsys.readouterr().out.splitlines()) == epochs  # one log line per epoch
