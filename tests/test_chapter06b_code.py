"""Chapter 6.1's teaching code: NT-Xent against a loop over its formula, and seeded two-view augmentation."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from notebook_tools import ROOT, definitions

CH = definitions(ROOT / "chapters" / "06b_self_supervised.ipynb", ["nt_xent", "two_views"])


def nt_xent_by_formula(z1, z2, tau):
    """The NT-Xent loss, one anchor at a time, in float64."""
    z = np.concatenate([z1, z2]).astype(np.float64)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    n = len(z1)
    losses = []
    for i in range(2 * n):
        partner = (i + n) % (2 * n)
        numerator = np.exp(z[i] @ z[partner] / tau)
        denominator = sum(np.exp(z[i] @ z[k] / tau) for k in range(2 * n) if k != i)
        losses.append(-np.log(numerator / denominator))
    return float(np.mean(losses))


@pytest.fixture(autouse=True)
def _libraries():
    import keras

    CH.nt_xent.__globals__.update(tf=tf, keras=keras)  # the notebook's imports
    CH.two_views.__globals__.update(keras=keras, MAX_ANGLE=10.0, MAX_ZOOM=0.1, MAX_SHIFT=2.0)


@pytest.mark.parametrize(
    ("n", "d", "tau", "seed"), [(1, 2, 0.5, 0), (2, 3, 0.2, 1), (8, 16, 1.0, 2), (5, 4, 0.07, 3)]
)
def test_nt_xent_matches_its_formula(n, d, tau, seed):
    rng = np.random.default_rng(seed)
    z1, z2 = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    ours = float(CH.nt_xent(z1, z2, tau))
    assert ours == pytest.approx(nt_xent_by_formula(z1, z2, tau), rel=1e-9, abs=1e-9)
    float32 = float(CH.nt_xent(z1.astype("float32"), z2.astype("float32"), tau))
    assert float32 == pytest.approx(ours, rel=1e-4, abs=1e-5)


def test_nt_xent_is_symmetric_in_the_two_views_and_invariant_to_scale():
    rng = np.random.default_rng(4)
    z1, z2 = rng.normal(size=(6, 5)), rng.normal(size=(6, 5))
    loss = float(CH.nt_xent(z1, z2, 0.3))
    assert float(CH.nt_xent(z2, z1, 0.3)) == pytest.approx(loss, rel=1e-12)
    assert float(CH.nt_xent(3 * z1, 0.5 * z2, 0.3)) == pytest.approx(loss, rel=1e-12)


def test_two_views_are_seeded_in_range_and_differ():
    images = (np.random.default_rng(0).random((6, 28, 28)) * 255).astype(np.uint8)
    a = CH.two_views(images, np.random.default_rng(7))
    b = CH.two_views(images, np.random.default_rng(7))
    c = CH.two_views(images, np.random.default_rng(8))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert a[0].shape == a[1].shape == (6, 28, 28) and a[0].dtype == np.float32
    assert a[0].min() >= 0 and a[0].max() <= 1 + 1e-6 and not np.allclose(a[0], a[1])
