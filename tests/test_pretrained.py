"""helpers.pretrained: portable .keras files, digests, and checked loading (on small models)."""

from __future__ import annotations

import io
import json
import zipfile

import h5py
import keras
import numpy as np
import pytest

import helpers
from helpers import models, pretrained, transfer


@pytest.fixture
def cnn():
    helpers.set_seed(0)
    return models.build_cnn(n_classes=3, filters=(2, 4), hidden_units=8, name="tiny_cnn")


def config_of(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


def values_of(node, key):
    """Every value stored under ``key`` anywhere in a JSON tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from values_of(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from values_of(item, key)


def test_save_portable_leaves_out_the_arguments_older_keras_refuses(cnn, tmp_path):
    path = pretrained.save_portable(cnn, tmp_path / "m.keras")
    config = config_of(path)
    for arguments in pretrained.NEWER_KERAS_ARGUMENTS.values():
        for argument in arguments:
            assert not list(values_of(config, argument)), argument


def test_save_portable_keeps_the_weights_and_predictions(cnn, tmp_path):
    path = pretrained.save_portable(cnn, tmp_path / "m.keras")
    loaded = keras.saving.load_model(path, safe_mode=True)
    for a, b in zip(cnn.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    x = np.random.default_rng(0).random((4, 28, 28), dtype=np.float32)
    np.testing.assert_array_equal(cnn.predict(x, verbose=0), loaded.predict(x, verbose=0))


def test_save_portable_records_every_layer_trainable_without_changing_the_model(cnn, tmp_path):
    transfer.cut_backbone(cnn, "hidden_1")  # freezes the shared layers, as chapter 3's plots did
    frozen = [layer.name for layer in cnn.layers if not layer.trainable]
    assert frozen
    loaded = keras.saving.load_model(pretrained.save_portable(cnn, tmp_path / "m.keras"), safe_mode=True)
    assert all(layer.trainable for layer in loaded.layers)
    assert transfer.count_params(loaded).non_trainable == 2 * (2 + 4)  # BatchNormalization's statistics
    assert [layer.name for layer in cnn.layers if not layer.trainable] == frozen


def test_save_portable_gives_the_same_bytes_for_the_same_model(cnn, tmp_path):
    first = pretrained.save_portable(cnn, tmp_path / "a.keras")
    helpers.set_seed(0)  # the same model again, as a new process would build it
    again = models.build_cnn(n_classes=3, filters=(2, 4), hidden_units=8, name="tiny_cnn")
    assert pretrained.save_portable(again, tmp_path / "b.keras").read_bytes() == first.read_bytes()
    helpers.set_seed(1)
    other = models.build_cnn(n_classes=3, filters=(2, 4), hidden_units=8, name="tiny_cnn")
    assert pretrained.save_portable(other, tmp_path / "c.keras").read_bytes() != first.read_bytes()


def test_save_portable_leaves_out_the_optimizer(cnn, tmp_path):
    cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    cnn.fit(np.zeros((4, 28, 28)), np.zeros(4), epochs=1, verbose=0)
    path = pretrained.save_portable(cnn, tmp_path / "m.keras")
    assert not config_of(path).get("compile_config")
    with zipfile.ZipFile(path) as archive, h5py.File(io.BytesIO(archive.read("model.weights.h5"))) as weights:
        assert "optimizer" not in weights
    assert not keras.saving.load_model(path, safe_mode=True).compiled


def test_save_portable_refuses_a_newer_argument_with_another_value(tmp_path):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.BatchNormalization(renorm=True, name="bn")(inputs))
    with pytest.raises(ValueError, match=r"bn \(BatchNormalization\) has renorm=True; Keras 3.10"):
        pretrained.save_portable(model, tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()


@pytest.mark.parametrize(
    ("model", "path", "error", "match"),
    [
        ("a model", "m.keras", TypeError, "model must be a keras.Model"),
        (None, "m.h5", ValueError, r"must end in '\.keras'"),
        (None, 3, TypeError, "path must be a path"),
    ],
)
def test_save_portable_rejects_bad_arguments(cnn, tmp_path, model, path, error, match):
    with pytest.raises(error, match=match):
        pretrained.save_portable(
            cnn if model is None else model, tmp_path / path if isinstance(path, str) else path
        )


def test_portable_config_numbers_shared_objects_in_order():
    config = {
        "a": {"shared_object_id": 140411987194384},
        "b": [{"shared_object_id": 7}, {"shared_object_id": 140411987194384}],
    }
    assert pretrained.portable_config(config) == {
        "a": {"shared_object_id": 1},
        "b": [{"shared_object_id": 2}, {"shared_object_id": 1}],
    }


def test_portable_config_rejects_a_non_dict():
    with pytest.raises(TypeError, match="config must be a dict"):
        pretrained.portable_config([])


def test_file_sha256_is_the_digest_of_the_bytes(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert pretrained.file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.fixture
def shipped_copy(cnn, tmp_path, monkeypatch):
    """A folder with one small 'shipped' model whose digest is registered."""
    path = pretrained.save_portable(cnn, tmp_path / "mnist04_cnn.keras")
    monkeypatch.setitem(pretrained.PRETRAINED_SHA256, "mnist04_cnn", pretrained.file_sha256(path))
    return tmp_path


def test_load_pretrained_loads_a_file_that_matches_its_digest(shipped_copy, cnn):
    model = pretrained.load_pretrained("mnist04_cnn", models_dir=shipped_copy)
    assert model.name == "tiny_cnn"
    np.testing.assert_array_equal(model.get_weights()[0], cnn.get_weights()[0])


def test_load_pretrained_refuses_a_file_that_does_not_match_its_digest(shipped_copy):
    path = shipped_copy / "mnist04_cnn.keras"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 1  # one bit
    path.write_bytes(bytes(raw))
    with pytest.raises(
        pretrained.PretrainedIntegrityError, match=r"does not match its SHA-256.*git checkout"
    ):
        pretrained.load_pretrained("mnist04_cnn", models_dir=shipped_copy)


def test_load_pretrained_without_verify_skips_the_digest(shipped_copy, monkeypatch):
    monkeypatch.setitem(pretrained.PRETRAINED_SHA256, "mnist04_cnn", "0" * 64)
    assert pretrained.load_pretrained("mnist04_cnn", models_dir=shipped_copy, verify=False).name == "tiny_cnn"


def test_load_pretrained_says_when_the_file_is_missing(tmp_path):
    with pytest.raises(
        pretrained.PretrainedIntegrityError, match=r"not found: .*mnist_mlp\.keras.*git checkout"
    ):
        pretrained.load_pretrained("mnist_mlp", models_dir=tmp_path)


def test_load_pretrained_says_when_the_file_is_not_a_model(tmp_path, monkeypatch):
    (tmp_path / "mnist_mlp.keras").write_bytes(b"not a zip archive")
    monkeypatch.setitem(
        pretrained.PRETRAINED_SHA256, "mnist_mlp", pretrained.file_sha256(tmp_path / "mnist_mlp.keras")
    )
    with pytest.raises(pretrained.PretrainedIntegrityError, match="could not be loaded"):
        pretrained.load_pretrained("mnist_mlp", models_dir=tmp_path)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"name": "mnist_vgg"},
            ValueError,
            r"Unknown pretrained model 'mnist_vgg'; choose one of 'mnist04_mlp'",
        ),
        ({"name": 3}, TypeError, "name must be a string"),
        ({"name": "mnist_mlp", "verify": "yes"}, TypeError, "verify must be True or False"),
        ({"name": "mnist_mlp", "models_dir": 3}, TypeError, "models_dir must be a path"),
    ],
)
def test_load_pretrained_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        pretrained.load_pretrained(**kwargs)
