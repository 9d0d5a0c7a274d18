"""The truths that section 4.2's checkers (helpers/checks/ch04c.py) recompute, and what they tell apart.

tests/test_checks.py runs every exercise's reference answer and typical mistakes; these tests pin
down that the values written into the module are what its functions compute, and that answers
which are consistent but made up are rejected.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import ch04c
from helpers.exercises import Status


def test_the_written_out_values_are_what_the_functions_compute():
    assert ch04c._augment_truth() == pytest.approx(ch04c._AUGMENT, rel=1e-5)
    assert ch04c._step_lengths() == pytest.approx(ch04c._LENGTHS, rel=1e-5)
    assert ch04c._step_lengths(1e-8) == pytest.approx(ch04c._LENGTHS_EPS8, rel=1e-5)
    assert ch04c._stage_counts() == ch04c._COUNTS
    assert ch04c._stage_counts(with_batchnorm=True) == ch04c._COUNTS_BN
    assert ch04c._stage_counts(bottom_up=True) == ch04c._COUNTS_BOTTOM_UP


def test_the_head_is_the_first_stage_and_each_block_adds_its_own_weights():
    head = (64 + 1) * ch04c._N_CLASSES
    hidden_1, conv_2, conv_1 = 800 * 64 + 64, 3 * 3 * 16 * 32, 3 * 3 * 1 * 16  # the CNN has no conv biases
    assert ch04c._COUNTS == (
        head,
        head + hidden_1,
        head + hidden_1 + conv_2,
        head + hidden_1 + conv_2 + conv_1,
    )


def test_a_block_called_before_gives_another_change_and_is_rejected():
    """The first call of a fresh block is the truth; a second call of the same block draws anew."""
    block = ch04c._augmentation(ch04c._AUG_SEED)
    images = ch04c._test_images()
    first = np.asarray(block(images, training=True))
    np.testing.assert_array_equal(first, ch04c._first_call())
    second = float(np.abs(np.asarray(block(images, training=True)) - images).mean())
    feedback = ch04c.augment_default.evaluate(second, 0.0)
    assert feedback.status is Status.INCORRECT and "fresh" in feedback.message, feedback


def test_adam_lengths_accept_the_truth_and_reject_a_wrong_first_halved():
    assert ch04c.adam_epsilon.evaluate(list(ch04c._LENGTHS), 5).correct
    for k in (4, 6):
        feedback = ch04c.adam_epsilon.evaluate(list(ch04c._LENGTHS), k)
        assert feedback.status is Status.INCORRECT and "read it off" in feedback.message, feedback


@pytest.mark.parametrize(
    ("counts", "says"),
    [
        (list(np.diff((0, *ch04c._COUNTS))), "adds"),
        (list(ch04c._COUNTS_BN), "BatchNormalization"),
        (list(ch04c._COUNTS_BOTTOM_UP), "bottom"),
    ],
)
def test_stage_counts_names_each_typical_mistake(counts, says):
    feedback = ch04c.stage_counts.evaluate(counts)
    assert feedback.status is Status.INCORRECT and says in feedback.message, feedback
