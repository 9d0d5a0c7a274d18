"""helpers.data: the shipped MNIST, its checks, and the splits."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import data
from helpers.data import MnistIntegrityError

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_load_mnist_returns_the_published_dataset_in_keras_layout(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test).tolist() == TEST_COUNTS
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_missing_file_names_the_file_and_the_fix(tmp_path):
    missing = tmp_path / "nowhere" / "mnist.npz"
    with pytest.raises(MnistIntegrityError, match=r"not found: .*nowhere.*git checkout"):
        data.load_mnist(missing)


def test_truncated_file_is_reported_as_corrupted(tmp_path):
    broken = tmp_path / "mnist.npz"
    broken.write_bytes(data.DEFAULT_MNIST_PATH.read_bytes()[:100_000])
    with pytest.raises(MnistIntegrityError, match=r"could not be read.*corrupted"):
        data.load_mnist(broken)


def test_tampered_array_fails_its_checksum(tmp_path, mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    y_bad = y_train.copy()
    y_bad[0] = 3
    path = tmp_path / "mnist.npz"
    np.savez_compressed(path, x_train=x_train, y_train=y_bad, x_test=x_test, y_test=y_test)
    with pytest.raises(MnistIntegrityError, match=r"'y_train'.*SHA-256"):
        data.load_mnist(path)
    (_, y_loaded), _ = data.load_mnist(path, verify=False)
    assert y_loaded[0] == 3


def test_file_without_an_array_says_which_is_missing(tmp_path, mnist):
    (x_train, y_train), _ = mnist
    path = tmp_path / "mnist.npz"
    np.savez_compressed(path, x_train=x_train, y_train=y_train)
    with pytest.raises(MnistIntegrityError, match="lacks the array.*x_test"):
        data.load_mnist(path)


def test_unknown_source_lists_the_choices():
    with pytest.raises(ValueError, match="Unknown source 'web'.*'file', 'keras'"):
        data.load_mnist(source="web")


def test_scale_pixels_maps_bytes_to_unit_interval():
    x = np.array([[0, 128, 255]], dtype=np.uint8)
    scaled = data.scale_pixels(x)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [[0.0, 128 / 255, 1.0]], rtol=1e-6)


def test_scale_pixels_refuses_already_scaled_or_nan_input():
    with pytest.raises(ValueError, match="already be scaled"):
        data.scale_pixels(np.array([[-0.5, 0.5]]))
    with pytest.raises(ValueError, match="NaN"):
        data.scale_pixels(np.array([[np.nan, 1.0]]))


def test_select_classes_relabels_in_the_given_order():
    x = np.arange(6)[:, None]
    y = np.array([5, 0, 7, 5, 9, 7])
    split = data.select_classes(x, y, [7, 5])
    assert split.x.ravel().tolist() == [0, 2, 3, 5]
    assert split.y.tolist() == [1, 0, 1, 0]
    kept = data.select_classes(x, y, [7, 5], relabel=False)
    assert kept.y.tolist() == [5, 7, 5, 7]


def test_select_classes_splits_mnist_into_two_halves(mnist):
    (x_train, y_train), _ = mnist
    low = data.select_classes(x_train, y_train, [0, 1, 2, 3, 4])
    high = data.select_classes(x_train, y_train, [5, 6, 7, 8, 9])
    assert len(low.y) + len(high.y) == 60000
    assert np.bincount(high.y).tolist() == TRAIN_COUNTS[5:]


@pytest.mark.parametrize(
    ("classes", "message"),
    [
        ([], "empty"),
        ([1, 1], "duplicates"),
        ([3], r"do not occur in y"),
        ([-1], ">= 0"),
        (["a"], "must be an int"),
    ],
)
def test_select_classes_rejects_bad_class_lists(classes, message):
    with pytest.raises((ValueError, TypeError), match=message):
        data.select_classes(np.zeros((4, 2)), np.array([0, 1, 0, 1]), classes)


def test_sample_per_class_draws_k_of_each_class_reproducibly(mnist):
    (x_train, y_train), _ = mnist
    a = data.sample_per_class(x_train, y_train, 5, seed=1)
    b = data.sample_per_class(x_train, y_train, 5, seed=1)
    c = data.sample_per_class(x_train, y_train, 5, seed=2)
    assert np.bincount(a.y).tolist() == [5] * 10
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)


def test_sample_per_class_says_when_k_exceeds_the_smallest_class():
    with pytest.raises(ValueError, match=r"k=3 is larger than the smallest class.*k <= 2"):
        data.sample_per_class(np.zeros((4, 2)), np.array([0, 0, 1, 1]), 3, seed=0)


def test_train_val_split_is_stratified(mnist):
    (x_train, y_train), _ = mnist
    split = data.train_val_split(x_train, y_train, val_fraction=0.1, seed=0)
    assert len(split.y_val) == 6000 and len(split.y_train) == 54000
    np.testing.assert_allclose(np.bincount(split.y_val) / 6000, np.array(TRAIN_COUNTS) / 60000, atol=2e-4)


def test_train_val_split_is_disjoint_and_loses_nothing():
    ids = np.arange(1000, dtype=float).reshape(-1, 1)  # each example carries its own index
    labels = np.arange(1000) % 10
    split = data.train_val_split(ids, labels, val_fraction=0.2, seed=3)
    train, val = split.x_train.ravel(), split.x_val.ravel()
    assert not set(train) & set(val), "an example is in both the training and the validation set"
    assert sorted(np.concatenate([train, val])) == list(ids.ravel()), "examples were lost or repeated"
    np.testing.assert_array_equal(split.y_train, train.astype(int) % 10)  # labels follow their images
    np.testing.assert_array_equal(split.y_val, val.astype(int) % 10)


def test_train_val_split_refuses_fractions_that_leave_a_class_out():
    x, y = np.zeros((10, 2)), np.repeat([0, 1], 5)
    with pytest.raises(ValueError, match="every one of the 2 classes"):
        data.train_val_split(x, y, val_fraction=0.05, seed=0)


BAD_XY = [
    ("x and y have different numbers", np.zeros((3, 2)), np.array([0, 1])),
    ("NaN", np.array([[np.nan, 0.0], [1.0, 1.0]]), np.array([0, 1])),
    ("one-hot", np.zeros((2, 2)), np.eye(2)),
    ("negative labels", np.zeros((2, 2)), np.array([0, -1])),
    ("integer class indices", np.zeros((2, 2)), np.array([0.5, 1.0])),
    ("empty", np.zeros((0, 2)), np.array([], dtype=int)),
    ("must hold numbers", np.array([["a", "b"]]), np.array([0])),
]


@pytest.mark.parametrize(("message", "x", "y"), BAD_XY, ids=[b[0] for b in BAD_XY])
@pytest.mark.parametrize(
    "call",
    [
        lambda x, y: data.select_classes(x, y, [0]),
        lambda x, y: data.sample_per_class(x, y, 1, seed=0),
        lambda x, y: data.train_val_split(x, y, val_fraction=0.5, seed=0),
    ],
    ids=["select_classes", "sample_per_class", "train_val_split"],
)
def test_splits_reject_bad_arrays_with_a_clear_message(call, message, x, y):
    with pytest.raises((ValueError, TypeError), match=message):
        call(x, y)


@pytest.mark.parametrize(("fraction", "error"), [(0.0, ValueError), (1.0, ValueError), ("0.1", TypeError)])
def test_train_val_split_rejects_bad_fractions(fraction, error):
    with pytest.raises(error, match="val_fraction"):
        data.train_val_split(np.zeros((10, 2)), np.repeat([0, 1], 5), val_fraction=fraction, seed=0)


def test_resize_images_stretches_square_images_to_the_side():
    images = np.random.default_rng(0).random((3, 8, 8))
    out = data.resize_images(images, 28)
    assert out.shape == (3, 28, 28)
    assert data.resize_images(np.full((1, 8, 8), 0.5), 28) == pytest.approx(0.5)  # flat stays flat
    np.testing.assert_allclose(data.resize_images(images, 8), images)  # side unchanged: the same images


def test_resize_images_refuses_images_that_are_not_square():
    with pytest.raises(ValueError, match="must be square"):
        data.resize_images(np.zeros((2, 8, 6)), 28)
