"""Chapter 6's teaching code agrees with Keras and SciPy."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from notebook_tools import ROOT, definitions
from scipy import ndimage

CH6 = definitions(
    ROOT / "chapters" / "06_faq_outlook.ipynb",
    ["lora_params", "shifted_copies", "pseudo_label", "repeat_to", "cosine_similarity"],
)
CH6.pseudo_label.__globals__.update(keras=keras)


def keras_lora_trainable(n_in: int, n_out: int, rank: int, use_bias: bool) -> int:
    layer = keras.layers.Dense(n_out, use_bias=use_bias)
    layer.build((None, n_in))
    layer.enable_lora(rank)
    return sum(int(np.prod(w.shape)) for w in layer.trainable_weights)


@pytest.mark.parametrize(("n_in", "n_out", "rank"), [(784, 256, 1), (256, 128, 4), (784, 512, 8), (3, 2, 5)])
@pytest.mark.parametrize("use_bias", [True, False])
def test_lora_parameter_count_matches_keras(n_in, n_out, rank, use_bias):
    assert CH6.lora_params(n_in, n_out, rank, bias=use_bias) == keras_lora_trainable(
        n_in, n_out, rank, use_bias
    )


def test_lora_freezes_the_kernel_and_starts_from_the_pretrained_layer():
    layer = keras.layers.Dense(4)
    layer.build((None, 6))
    x = np.random.default_rng(0).normal(size=(3, 6)).astype("float32")
    before = keras.ops.convert_to_numpy(layer(x))
    layer.enable_lora(2)
    assert not layer._kernel.trainable
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), before, atol=1e-6)  # B starts at zero


@pytest.mark.parametrize("shift", [(0, 1), (0, -1), (1, 0), (-1, 0), (0, 2), (-2, 0), (1, -2)])
def test_shifted_copies_match_scipy_shift(shift):
    x = np.random.default_rng(1).random((3, 28, 28)).astype("float32")
    ours = CH6.shifted_copies(x, shifts=(shift,))
    theirs = ndimage.shift(x, (0, *shift), order=0, mode="constant", cval=0.0)
    np.testing.assert_array_equal(ours, theirs)


def test_shifted_copies_makes_eight_copies_by_default_and_keeps_the_input():
    x = np.ones((2, 28, 28), dtype="float32")
    out = CH6.shifted_copies(x)
    assert out.shape == (16, 28, 28)
    assert np.all(x == 1)


def test_pseudo_label_keeps_confident_predictions_only():
    probs = np.array([[0.95, 0.05], [0.6, 0.4], [0.1, 0.9], [0.02, 0.98]], dtype="float32")
    keep, labels = CH6.pseudo_label(lambda features: features, probs, threshold=0.9)
    np.testing.assert_array_equal(keep, [0, 2, 3])
    np.testing.assert_array_equal(labels, [0, 1, 1])


def test_pseudo_label_with_a_keras_head_agrees_with_predict():
    rng = np.random.default_rng(2)
    feats = rng.normal(size=(50, 8)).astype("float32")
    head = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation="softmax")])
    keep, labels = CH6.pseudo_label(head, feats, threshold=0.0)
    np.testing.assert_array_equal(keep, np.arange(50))
    np.testing.assert_array_equal(labels, head.predict(feats, verbose=0).argmax(1))


@pytest.mark.parametrize(("n_examples", "n"), [(5, 1280), (1000, 1280), (2000, 1280)])
def test_repeat_to_repeats_whole_copies_up_to_n(n_examples, n):
    x, y = np.arange(n_examples)[:, None], np.arange(n_examples)
    xx, yy = CH6.repeat_to(x, y, n)
    assert len(yy) >= n and len(yy) % n_examples == 0 and len(yy) - n < n_examples
    np.testing.assert_array_equal(xx[:, 0], yy)


def test_cosine_similarity_matches_scikit_learn_row_by_row():
    from sklearn.metrics.pairwise import cosine_similarity

    rng = np.random.default_rng(3)
    a, b = rng.random((6, 4, 4)), rng.random((6, 4, 4))
    theirs = np.diag(cosine_similarity(a.reshape(6, -1), b.reshape(6, -1))).mean()
    assert CH6.cosine_similarity(a, b) == pytest.approx(theirs)
    assert CH6.cosine_similarity(a, 3 * a) == pytest.approx(1.0)
