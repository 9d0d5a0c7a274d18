"""helpers.data: the UCI digits target and MNIST-like framing."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from helpers import data


def test_frame_like_mnist_fits_the_digit_in_a_20_pixel_box_centred_by_mass():
    square = np.zeros((1, 8, 8))
    square[0, 2:6, 1:3] = 16  # a 4x2 bar, off centre
    framed = data.frame_like_mnist(square, max_value=16)
    assert framed.shape == (1, 28, 28) and framed.dtype == np.uint8
    rows, cols = np.flatnonzero(framed[0].any(1)), np.flatnonzero(framed[0].any(0))
    assert rows[-1] - rows[0] + 1 == 20  # the longer side fills the box
    assert cols[-1] - cols[0] + 1 == 10  # aspect ratio kept
    cy, cx = ndimage.center_of_mass(framed[0].astype(float))
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    assert framed.max() == 255


def test_frame_like_mnist_keeps_blank_images_blank():
    assert data.frame_like_mnist(np.zeros((2, 8, 8))).max() == 0


@pytest.mark.parametrize(
    ("images", "kwargs", "error", "message"),
    [
        (np.zeros((8, 8)), {}, ValueError, "at least 3 dimensions"),
        (np.zeros((1, 8, 8, 1)), {}, ValueError, "shape \\(n, height, width\\)"),
        (np.full((1, 8, 8), 17.0), {}, ValueError, "values in 0-16"),
        (np.zeros((1, 8, 8)), {"max_value": 0}, ValueError, "max_value must be positive"),
        (np.zeros((1, 8, 8)), {"max_value": "16"}, TypeError, "max_value must be a number"),
        (np.zeros((1, 8, 8)), {"box": 30}, ValueError, "box must be at most 28"),
    ],
)
def test_frame_like_mnist_rejects_bad_input(images, kwargs, error, message):
    with pytest.raises(error, match=message):
        data.frame_like_mnist(images, **kwargs)


def test_uci_digits_are_split_stratified_and_framed_like_mnist(mnist):
    train, test = data.load_uci_digits(test_fraction=1 / 3, seed=0)
    assert len(train.x) + len(test.x) == 1797 and len(test.x) == 599
    assert train.x.shape[1:] == (28, 28) and train.x.dtype == np.uint8 and train.x.max() == 255
    assert np.bincount(train.y).min() >= 116  # room for 100 labels per class
    # framed like MNIST: each digit fits a 20x20 box, its centre of mass at the image centre
    for img in train.x[:50]:
        rows, cols = np.flatnonzero(img.any(1)), np.flatnonzero(img.any(0))
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 <= 21
        cy, cx = ndimage.center_of_mass(img.astype(float))
        assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    (x_mnist, _), _ = mnist
    assert abs(float(train.x.mean()) - float(x_mnist.mean())) < 10  # similar overall intensity


def test_uci_digits_raw_are_8x8_with_values_0_to_16_and_reproducible():
    train, test = data.load_uci_digits(seed=3, framed=False)
    again, _ = data.load_uci_digits(seed=3, framed=False)
    assert train.x.shape[1:] == (8, 8) and train.x.max() == 16
    np.testing.assert_array_equal(train.y, again.y)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"test_fraction": 1.0}, ValueError, "test_fraction must be strictly between 0 and 1"),
        ({"seed": -1}, ValueError, "seed must be between 0 and 2\\*\\*32 - 1"),
        ({"framed": "yes"}, TypeError, "framed must be True or False"),
    ],
)
def test_load_uci_digits_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        data.load_uci_digits(**kwargs)
