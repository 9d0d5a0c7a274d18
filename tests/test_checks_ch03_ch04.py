"""The truths that chapters 3 and 4's checkers recompute, and the answers they must tell apart.

tests/test_checks.py runs every exercise's reference answer and typical mistakes; these tests pin
down what those checkers compute from the course's data and shipped models.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.checks import ch03, ch04
from helpers.exercises import Status


def test_pca_components_accepts_the_first_count_over_90_percent_and_a_neighbour_on_the_line():
    cumulative = ch03._cumulative_variance()
    first = int(np.argmax(cumulative >= 0.9)) + 1  # the count, not the position
    expected = {first}
    if cumulative[first - 1] - 0.9 < ch03._MARGIN_90:  # only just over the line
        expected.add(first + 1)
    if 0.9 - cumulative[first - 2] < ch03._MARGIN_90:  # the count before only just under it
        expected.add(first - 1)
    accepted = {n for n in range(1, ch03._N_FITTED + 1) if ch03.pca_components.evaluate(n).correct}
    assert accepted == expected
    assert ch03.pca_components.reference[0] == first


def test_pca_errors_from_the_200_components_are_those_of_the_chapters_own_fits():
    from sklearn.decomposition import PCA

    from helpers import data

    images = data.scale_pixels(ch03._source_images("B", "train", 12000)[0]).reshape(-1, 784)
    x_test = ch03._flat_test_images()
    for n in (8, 32):
        pca = PCA(n_components=n, random_state=0).fit(images)
        mse = float(np.mean((pca.inverse_transform(pca.transform(x_test)) - x_test) ** 2))
        assert ch03._pca_mse(n) == pytest.approx(mse, rel=1e-5)


def test_the_epoch_3_truth_is_the_loss_the_chapter_measured():
    assert ch03._epoch_3_val_loss() == pytest.approx(ch03._VAL_LOSSES_8[2], rel=1e-4)


def test_longer_pretraining_rejects_made_up_epochs_after_the_third():
    losses = [*ch03._VAL_LOSSES_8[:3], 0.01, 0.009, 0.008, 0.0085, 0.0095]  # best epoch 6
    feedback = ch03.longer_pretraining.evaluate(losses, 6)
    assert feedback.status is Status.INCORRECT and "after epoch 3" in feedback.message, feedback


def test_longer_pretraining_rejects_plausible_made_up_epochs_without_training(monkeypatch):
    """Within the coarse band, but several tolerances from the run: wrong, judged by the stored run."""
    monkeypatch.setattr(ch03, "_recomputed_val_losses_8", lambda: pytest.fail("must not retrain"))
    made_up = [*ch03._VAL_LOSSES_8[:3], 0.050, 0.047, 0.048, 0.050, 0.052]
    feedback = ch03.longer_pretraining.evaluate(made_up, 3)
    assert feedback.status is Status.INCORRECT and "not this run's" in feedback.message, feedback
    assert ch03.longer_pretraining.evaluate(ch03._VAL_LOSSES_8, 5).correct


def test_longer_pretraining_retrains_for_an_in_between_answer(monkeypatch):
    """1.5 tolerances off at one epoch: only this machine's run can decide, so it is recomputed."""
    runs = []
    monkeypatch.setattr(ch03, "_recomputed_val_losses_8", lambda: runs.append(1) or list(ch03._VAL_LOSSES_8))
    nearly = list(ch03._VAL_LOSSES_8)
    nearly[5] *= 1 + 1.5 * ch03._LATER_RTOL
    assert not ch03.longer_pretraining.evaluate(nearly, 5).correct and runs == [1]


@pytest.mark.slow
def test_the_checkers_recipe_gives_the_stored_8_epoch_run():
    """The checker's copy of the chapter's recipe (about 20 s) against the run the chapter measured.

    The first three epochs are the same on every machine measured (to 1e-5); later epochs drift
    on another processor (4.8 % at epoch 8 on an AMD EPYC with AVX-512), and must stay close
    enough that a learner's genuine run there is recomputed, not called wrong unseen.
    """
    run = ch03._recomputed_val_losses_8()
    np.testing.assert_allclose(run[:3], ch03._VAL_LOSSES_8[:3], rtol=1e-4)
    drift = max(abs(a / b - 1) for a, b in zip(run[3:], ch03._VAL_LOSSES_8[3:], strict=True))
    assert drift / ch03._LATER_RTOL < ch03._FAR, drift
    assert ch03.longer_pretraining.evaluate(run, int(np.argmin(run)) + 1).correct


def test_small_code_tolerances_cannot_turn_the_answer_around_alone():
    """With the chapter's errors, only a made-up combination reaches the other side of ratio_32."""
    truth = ch03._small_code_truth()
    assert truth.ratio_8 < truth.ratio_32  # the advantage shrank, as the solution says
    feedback = ch03.small_code.evaluate(ch03._MSE_AE_8, truth.mse_pca_8, truth.ratio_32, True)
    assert feedback.status is Status.INCORRECT


def test_safe_mode_refuses_a_lambda_layer_and_unsafe_mode_loads_it():
    assert ch03._safe_mode_truth() == (False, True)


def test_gradual_counts_are_the_restated_layer_sizes():
    counts = ch04._gradual_counts()
    assert counts == (
        ch04._HIDDEN_1 + ch04._HEAD,
        ch04._HEAD,
        ch04._HIDDEN_1,
        ch04._HIDDEN_1 + ch04._HEAD + ch04._CONV_TRAINABLE,
    )


@pytest.mark.parametrize("fitted_on", ["all labels", "training part"])
def test_choose_c_rejects_test_set_accuracies_given_as_validation_scores(fitted_on):
    truth = ch04._choose_c_truth()
    on_test = truth.test if fitted_on == "all labels" else truth.test_of_fit
    chosen = max(on_test, key=on_test.get)  # a C chosen on the test set
    feedback = ch04.choose_c.evaluate(dict(on_test), chosen, truth.test[chosen])
    assert feedback.status is Status.INCORRECT and "test-set accuracies" in feedback.message, feedback


def test_choose_c_rejects_validation_scores_shifted_to_favour_another_c():
    truth = ch04._choose_c_truth()
    best = max(truth.val, key=truth.val.get)
    for other in (c for c in ch04._CS if c != best):
        shifted = {**truth.val, other: truth.val[best] + 1 / truth.n_val}  # one image more
        feedback = ch04.choose_c.evaluate(shifted, other, truth.test[other])
        assert feedback.status is Status.INCORRECT, (other, feedback)


def test_choose_c_accepts_the_truth_with_one_image_either_way():
    truth = ch04._choose_c_truth()
    best = max(truth.val, key=truth.val.get)
    for shift in (-1, 0, 1):
        test = truth.test[best] + shift / truth.n_test
        assert ch04.choose_c.evaluate(dict(truth.val), best, test).correct, shift
