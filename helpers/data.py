"""MNIST from the repository's own file, and the splits the chapters use.

The default path never touches the network: :func:`load_mnist` reads
``data/mnist.npz`` (shipped with the course) and verifies every array against
its published SHA-256. ``load_mnist(source="keras")`` is an opt-in alternative
that downloads through :func:`keras.datasets.mnist.load_data`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.model_selection import train_test_split

from helpers._validation import (
    check_choice,
    check_fraction,
    check_images,
    check_int,
    check_labels,
    check_seed,
)

#: Where the course keeps its copy of MNIST (``data/mnist.npz`` at the repo root).
DEFAULT_MNIST_PATH = Path(__file__).resolve().parents[1] / "data" / "mnist.npz"

#: SHA-256 of each array's raw bytes (C order), from ``data/README.md``.
MNIST_SHA256: dict[str, str] = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}

_FIX = (
    "Restore it with `git checkout -- data/mnist.npz` (or re-clone the course), or pass path= to a good copy."
)


class Split(NamedTuple):
    """Images and their integer labels."""

    x: np.ndarray
    y: np.ndarray


class TrainValSplit(NamedTuple):
    """A training set and a validation set carved out of it."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray


class MnistIntegrityError(RuntimeError):
    """The MNIST file is missing, unreadable, or does not match its checksums."""


def load_mnist(
    path: str | Path | None = None, *, verify: bool = True, source: str = "file"
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST in Keras' layout: ``(x_train, y_train), (x_test, y_test)``.

    Parameters
    ----------
    path : str or Path, optional
        The ``.npz`` file to read; defaults to :data:`DEFAULT_MNIST_PATH`.
    verify : bool, default True
        Check every array against :data:`MNIST_SHA256`.
    source : {"file", "keras"}, default "file"
        ``"file"`` reads the local file and never uses the network.
        ``"keras"`` downloads with :func:`keras.datasets.mnist.load_data` (opt-in;
        it needs internet access the first time).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``uint8`` images of shape ``(n, 28, 28)`` with values 0-255, and
        ``uint8`` labels 0-9: 60,000 training and 10,000 test examples.

    Raises
    ------
    MnistIntegrityError
        If the file is missing, unreadable, incomplete or corrupted; the
        message names the file and how to restore it.
    """
    check_choice(source, "source", ("file", "keras"))
    if source == "keras":
        import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
        origin = "keras.datasets.mnist"
    else:
        file = Path(DEFAULT_MNIST_PATH if path is None else path)
        origin = str(file)
        if not file.is_file():
            raise MnistIntegrityError(f"MNIST file not found: {file}. {_FIX}")
        try:
            with np.load(file, allow_pickle=False) as npz:
                missing = sorted(set(MNIST_SHA256) - set(npz.files))
                if missing:
                    raise MnistIntegrityError(
                        f"MNIST file {file} lacks the array(s) {', '.join(missing)}. {_FIX}"
                    )
                arrays = {key: npz[key] for key in MNIST_SHA256}
        except MnistIntegrityError:
            raise
        except Exception as exc:  # zipfile.BadZipFile, OSError, ValueError...
            raise MnistIntegrityError(
                f"MNIST file {file} could not be read ({exc}); it is probably truncated or corrupted. {_FIX}"
            ) from exc
    if verify:
        for key, expected in MNIST_SHA256.items():
            digest = hashlib.sha256(np.ascontiguousarray(arrays[key]).tobytes()).hexdigest()
            if digest != expected:
                raise MnistIntegrityError(
                    f"MNIST array {key!r} from {origin} does not match its SHA-256 "
                    f"(got {digest[:12]}..., expected {expected[:12]}...); the data is "
                    f"corrupted or is not the published MNIST. {_FIX}"
                )
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def scale_pixels(x: np.ndarray) -> np.ndarray:
    """Scale 8-bit images to ``float32`` values in ``[0, 1]``.

    Parameters
    ----------
    x : ndarray
        Images with integer values 0-255 (any shape, samples first), of an integer
        or a float dtype.

    Returns
    -------
    ndarray of float32
        ``x / 255``.

    Raises
    ------
    ValueError
        If a value is outside 0-255 or is not a whole number: images that are
        already scaled (floats in [0, 1]) are refused rather than scaled twice.
    """
    arr = check_images(x, "x", min_dim=1)
    if arr.min() < 0 or arr.max() > 255:
        raise ValueError(
            f"x must hold pixel values in 0-255, got range {arr.min()} to {arr.max()}; "
            "it may already be scaled."
        )
    if arr.dtype.kind == "f" and not np.array_equal(arr, np.round(arr)):
        raise ValueError(
            f"x must hold whole pixel values 0-255, got fractions (range {arr.min()} to {arr.max()}); "
            "it looks already scaled, so scaling it again would divide it by 255 twice."
        )
    return arr.astype(np.float32) / np.float32(255.0)


def select_classes(x: np.ndarray, y: np.ndarray, classes: list[int], *, relabel: bool = True) -> Split:
    """Keep only the examples of some classes, e.g. digits 0-4 for pretraining.

    Parameters
    ----------
    x, y : ndarray
        Images (samples first) and integer labels.
    classes : list of int
        The classes to keep, in the order that defines their new labels.
    relabel : bool, default True
        Map ``classes[i]`` to label ``i`` (so digits 5-9 become 0-4), as a new
        classification head needs; ``False`` keeps the original labels.

    Returns
    -------
    Split
        The selected ``x`` and ``y``, in their original order.
    """
    x = check_images(x, "x", min_dim=1)
    y = check_labels(y, "y", n_samples=x.shape[0])
    classes = [check_int(c, "each class", minimum=0) for c in classes]
    if not classes:
        raise ValueError("classes is empty; name at least one class to keep.")
    if len(set(classes)) != len(classes):
        raise ValueError(f"classes has duplicates: {classes}.")
    absent = [c for c in classes if not np.any(y == c)]
    if absent:
        raise ValueError(f"class(es) {absent} do not occur in y (labels present: {np.unique(y).tolist()}).")
    mask = np.isin(y, classes)
    y_sel = y[mask]
    if relabel:
        lookup = np.full(int(y.max()) + 1, -1, dtype=np.int64)
        lookup[classes] = np.arange(len(classes))
        y_sel = lookup[y_sel]
    return Split(x[mask], y_sel.astype(np.int64))


def sample_per_class(x: np.ndarray, y: np.ndarray, k: int, *, seed: int) -> Split:
    """Draw ``k`` labelled examples of every class, reproducibly.

    Parameters
    ----------
    x, y : ndarray
        Images (samples first) and integer labels.
    k : int
        Examples per class, at least 1 and at most the size of the smallest class.
    seed : int
        Seed of the draw; the same seed gives the same examples.

    Returns
    -------
    Split
        ``k * n_classes`` examples in a shuffled order.
    """
    x = check_images(x, "x", min_dim=1)
    y = check_labels(y, "y", n_samples=x.shape[0])
    k = check_int(k, "k", minimum=1)
    seed = check_seed(seed)
    classes, counts = np.unique(y, return_counts=True)
    if k > counts.min():
        raise ValueError(
            f"k={k} is larger than the smallest class (class {classes[counts.argmin()]} "
            f"has {counts.min()} examples); choose k <= {counts.min()}."
        )
    rng = np.random.default_rng(seed)
    idx = np.concatenate([rng.choice(np.flatnonzero(y == c), size=k, replace=False) for c in classes])
    idx = rng.permutation(idx)
    return Split(x[idx], y[idx])


def train_val_split(x: np.ndarray, y: np.ndarray, *, val_fraction: float = 0.1, seed: int) -> TrainValSplit:
    """Carve a stratified validation set out of training data.

    The validation set keeps the class proportions of ``y``. It is what
    hyper-parameters and early stopping look at; the test set is never used
    for that.

    Parameters
    ----------
    x, y : ndarray
        Training images (samples first) and integer labels.
    val_fraction : float, default 0.1
        Share of the examples that go to validation, strictly between 0 and 1.
    seed : int
        Seed of the split.

    Returns
    -------
    TrainValSplit
    """
    x = check_images(x, "x", min_dim=1)
    y = check_labels(y, "y", n_samples=x.shape[0])
    val_fraction = check_fraction(val_fraction, "val_fraction")
    seed = check_seed(seed)
    n_classes = np.unique(y).size
    n_val = int(np.ceil(val_fraction * len(y)))
    if n_val < n_classes or len(y) - n_val < n_classes:
        raise ValueError(
            f"val_fraction={val_fraction} of {len(y)} examples cannot give every one of the "
            f"{n_classes} classes a place in both sets; use more data or another fraction."
        )
    try:
        x_tr, x_val, y_tr, y_val = train_test_split(
            x, y, test_size=val_fraction, stratify=y, random_state=seed
        )
    except ValueError as exc:  # e.g. a class with a single example
        raise ValueError(f"Cannot stratify this split: {exc}") from exc
    return TrainValSplit(x_tr, y_tr, x_val, y_val)


def frame_like_mnist(images: np.ndarray, *, max_value: float = 16.0, box: int = 20) -> np.ndarray:
    """Bring small digit images to MNIST's framing: 28x28, 0-255, centred by mass.

    MNIST digits were scaled to fit a 20x20 box (keeping their aspect ratio,
    with anti-aliasing) and placed in a 28x28 image so that their centre of
    mass sits at the centre. This function does the same to other digits,
    e.g. scikit-learn's 8x8 UCI digits with values 0-16.

    Parameters
    ----------
    images : ndarray of shape (n, h, w)
        Non-negative grey-scale images, ink bright on a dark background.
    max_value : float, default 16.0
        The value that means full ink (16 for the UCI digits, 255 for 8-bit images).
    box : int, default 20
        Side of the box the digit is scaled into (at most 28).

    Returns
    -------
    ndarray of uint8, shape (n, 28, 28)
        Values 0-255, like :func:`load_mnist`.
    """
    from scipy import ndimage

    images = check_images(images, "images", min_dim=3)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, height, width), got {images.shape}.")
    if isinstance(max_value, bool) or not isinstance(max_value, (int, float, np.integer, np.floating)):
        raise TypeError(f"max_value must be a number, got {type(max_value).__name__}.")
    if not max_value > 0:
        raise ValueError(f"max_value must be positive, got {max_value}.")
    if images.min() < 0 or images.max() > max_value:
        raise ValueError(
            f"images must hold values in 0-{max_value}, got range {images.min()} to {images.max()}; "
            "pass the right max_value."
        )
    box = check_int(box, "box", minimum=2)
    if box > 28:
        raise ValueError(f"box must be at most 28 (the image side), got {box}.")
    scaled = images.astype(np.float64) / float(max_value)
    out = np.zeros((len(images), 28, 28), dtype=np.float64)
    for i, img in enumerate(scaled):
        rows, cols = np.flatnonzero(img.any(axis=1)), np.flatnonzero(img.any(axis=0))
        if rows.size == 0:  # a blank image stays blank
            continue
        crop = img[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        factor = box / max(crop.shape)
        big = np.clip(ndimage.zoom(crop, factor, order=1, grid_mode=True, mode="grid-constant"), 0, 1)
        big = big[:box, :box]
        canvas = np.zeros((28 + 2 * box, 28 + 2 * box))
        cy, cx = ndimage.center_of_mass(big)
        top, left = box + int(round(14 - cy)), box + int(round(14 - cx))
        canvas[top : top + big.shape[0], left : left + big.shape[1]] = big
        out[i] = canvas[box : box + 28, box : box + 28]
    return np.round(out * 255).astype(np.uint8)


def resize_images(images: np.ndarray, side: int) -> np.ndarray:
    """Resize square images to ``side`` x ``side`` pixels with bilinear interpolation.

    Unlike :func:`frame_like_mnist`, this stretches the whole image, border included: a
    digit that filled its 8x8 image fills the 28x28 one.

    Parameters
    ----------
    images : ndarray of shape (n, h, h)
        Square grey-scale images, samples first.
    side : int
        Side of the resized images, in pixels.

    Returns
    -------
    ndarray of shape (n, side, side)
        The resized images, in ``images``' value range up to interpolation overshoot (clip
        them if it matters), as floats.
    """
    from scipy import ndimage

    images = check_images(images, "images", min_dim=3)
    if images.ndim != 3 or images.shape[1] != images.shape[2]:
        raise ValueError(
            f"images must be square, of shape (n, height, height), got {images.shape}; crop or pad them first."
        )
    side = check_int(side, "side", minimum=1)
    return np.stack(
        [ndimage.zoom(img, side / img.shape[0], order=1, grid_mode=True, mode="nearest") for img in images]
    )


def load_uci_digits(
    *, test_fraction: float = 1 / 3, seed: int = 0, framed: bool = True
) -> tuple[Split, Split]:
    """scikit-learn's bundled UCI handwritten digits, split into training and test sets.

    The 1,797 images (8x8, values 0-16) come with scikit-learn, so nothing is
    downloaded. They were written by other people and scanned differently
    from MNIST: a small "new domain" for the same ten classes.

    Parameters
    ----------
    test_fraction : float, default 1/3
        Share of the images kept for testing (stratified by class).
    seed : int, default 0
        Seed of the split.
    framed : bool, default True
        Return images framed like MNIST (28x28, 0-255, see :func:`frame_like_mnist`);
        ``False`` returns the raw 8x8 images with values 0-16.

    Returns
    -------
    (train, test) : tuple of Split
        ``uint8`` images and ``int64`` labels 0-9.
    """
    from sklearn.datasets import load_digits

    test_fraction = check_fraction(test_fraction, "test_fraction")
    seed = check_seed(seed)
    if not isinstance(framed, bool):
        raise TypeError(f"framed must be True or False, got {framed!r}.")
    bunch = load_digits()
    x = bunch.images.astype(np.uint8)
    y = bunch.target.astype(np.int64)
    if framed:
        x = frame_like_mnist(x, max_value=16)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=test_fraction, stratify=y, random_state=seed)
    return Split(x_tr, y_tr), Split(x_te, y_te)
