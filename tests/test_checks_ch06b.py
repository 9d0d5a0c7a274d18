"""Chapter 6.1's checks (helpers/checks/ch06b.py): truths recomputed, typical mistakes named."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.checks import ch06b
from helpers.exercises import Status


def test_the_nt_xent_truth_is_a_direct_evaluation_of_the_formula():
    z = np.concatenate([np.array(ch06b._Z1), np.array(ch06b._Z2)])
    z = z / np.linalg.norm(z, axis=1, keepdims=True)
    s = z @ z.T / ch06b._TAU
    terms = []
    for i in range(4):
        others = [k for k in range(4) if k != i]
        terms.append(math.log(np.exp(s[i, others]).sum()) - s[i, (i + 2) % 4])
    assert ch06b._nt_xent() == pytest.approx(np.mean(terms), abs=1e-12)
    assert ch06b.nt_xent_by_hand.reference[0] == pytest.approx(ch06b._nt_xent(), abs=ch06b._LOSS_ATOL)


def test_each_nt_xent_mistake_is_named_and_far_from_the_truth():
    truth = ch06b._nt_xent()
    variants = [
        ch06b._nt_xent(normalise=False),
        ch06b._nt_xent(exclude_self=False),
        ch06b._nt_xent(tau=1.0),
        ch06b._nt_xent(both_directions=False),
        ch06b._nt_xent(total=True),
    ]
    values = [truth, *variants]
    gaps = [abs(a - b) for i, a in enumerate(values) for b in values[i + 1 :]]
    assert min(gaps) > 10 * ch06b._LOSS_ATOL  # a tolerance cannot confuse two of them
    generic = "that is not the NT-Xent loss"
    for value in variants:
        feedback = ch06b.nt_xent_by_hand.evaluate(value)
        assert feedback.status is Status.INCORRECT and generic not in feedback.message, feedback


def test_nt_xent_accepts_a_rounded_answer_and_rejects_one_just_outside_the_tolerance():
    truth = ch06b._nt_xent()
    assert ch06b.nt_xent_by_hand.evaluate(round(truth, 3)).correct
    assert not ch06b.nt_xent_by_hand.evaluate(truth + 3 * ch06b._LOSS_ATOL).correct


def test_the_adapter_counts_come_from_the_shipped_mlp_and_match_keras():
    import keras

    from helpers import transfer

    assert ch06b._widths() == (784, 256, 128)
    assert ch06b.adapter_count.reference == ch06b._counts()
    inputs = keras.Input((784,))
    h = inputs
    for width in (256, 128):
        h = keras.layers.Dense(width, trainable=False)(h)
        down = keras.layers.Dense(ch06b._BOTTLENECK, activation="relu")(h)
        h = keras.layers.Add()([h, keras.layers.Dense(width)(down)])
    model = keras.Model(inputs, keras.layers.Dense(ch06b._N_CLASSES)(h))
    assert transfer.count_params(model).trainable == ch06b._counts()[0]


def test_adapter_count_names_the_typical_mistakes_and_rejects_made_up_counts():
    right_adapter, right_full = ch06b._counts()
    generic = "build the model with an adapter"
    for mistake in ch06b.adapter_count.mistakes[:-2]:
        feedback = ch06b.adapter_count.evaluate(*mistake)
        assert feedback.status is Status.INCORRECT and generic not in feedback.message, (mistake, feedback)
    for made_up in ((right_adapter + 1, right_full), (right_adapter, right_full - 1), (5000, 100000)):
        assert ch06b.adapter_count.evaluate(*made_up).status is Status.INCORRECT, made_up
