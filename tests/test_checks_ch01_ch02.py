"""Chapters 1 and 2's experiment checks compare with the truth, and train only when they must.

``xor_width`` (chapter 1) recomputes the chapter's three trainings (seconds), and ``dropout``
(chapter 2) compares with the two losses the chapter's runs give; these tests put known numbers
in their place, so that they test the checkers' logic quickly. That the recomputation and the
written-down losses are the chapters' numbers is guarded in the chapters themselves
(``remove-cell`` guards after the worked solutions).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.checks import ch01, ch02
from helpers.exercises import Status

XOR_TRUTH = {1: 0.745, 2: 0.70, 4: 1.0}
DROPOUT_TRUTH = (0.31, 0.28)


def _never(*args):
    raise AssertionError("the checker trained before rejecting a malformed answer")


@pytest.fixture
def known_truths(monkeypatch):
    monkeypatch.setattr(ch01, "_xor_truth", lambda: dict(XOR_TRUTH))
    monkeypatch.setattr(ch02, "_DROPOUT_TRUTH", DROPOUT_TRUTH)


@pytest.mark.parametrize(
    "answers",
    [
        ("0.7", 4),
        ({1: 0.7, 2: 0.7}, 4),
        ({1: 0.7, 2: 0.7, 4: 70.0}, 4),
        ({1: 0.9, 2: 1.0, 4: 1.0}, 1),
        ({1: 0.5, 2: 0.5, 4: 0.5}, 4),
        ({1: 0.7, 2: 0.7, 4: 1.0}, 2),
        ({1: 0.7, 2: 0.7, 4: 1.0}, 3),
        ({1: 0.7, 2: 0.7, 4: 1.0}, "4"),
    ],
)
def test_xor_width_rejects_malformed_answers_without_training(monkeypatch, answers):
    monkeypatch.setattr(ch01, "_xor_truth", _never)
    feedback = ch01.xor_width.evaluate(*answers)
    assert feedback.status is Status.INCORRECT and "could not be checked" not in feedback.message


@pytest.mark.usefixtures("known_truths")
@pytest.mark.parametrize(
    ("accuracies", "width", "correct"),
    [
        (XOR_TRUTH, 4, True),
        ({1: 0.75, 2: 0.695, 4: 0.99}, 4, True),  # within two of the 200 points
        ({1: 0.76, 2: 0.70, 4: 1.0}, 4, False),  # three points off
        ({1: 0, 2: 1, 4: 1}, 2, False),  # made up, consistent with itself
        ({1: 0.5, 2: 1.0, 4: 1.0}, 2, False),
        ({1: 0.745, 2: 0.96, 4: 1.0}, 2, False),
    ],
)
def test_xor_width_accepts_only_the_accuracies_the_recipe_gives(accuracies, width, correct):
    feedback = ch01.xor_width.evaluate(accuracies, width)
    assert feedback.correct is correct, feedback


def test_xor_width_wants_the_smallest_width_of_the_true_accuracies(monkeypatch):
    monkeypatch.setattr(ch01, "_xor_truth", lambda: {1: 0.745, 2: 0.945, 4: 1.0})
    assert ch01.xor_width.evaluate({1: 0.745, 2: 0.95, 4: 1.0}, 2).status is Status.INCORRECT
    assert ch01.xor_width.evaluate({1: 0.745, 2: 0.945, 4: 1.0}, 4).correct


@pytest.mark.usefixtures("known_truths")
@pytest.mark.parametrize(
    ("answers", "correct"),
    [
        ((*DROPOUT_TRUTH, True), True),
        ((0.31 * 1.01, 0.28 * 0.99, True), True),  # float drift between machines
        ((0.31, 0.0001, True), False),  # the reviewer's made-up loss
        ((0.5, 0.4, True), False),  # made up, consistent with itself
        ((0.31, 0.25, True), False),
        ((0.35, 0.28, True), False),
    ],
)
def test_dropout_accepts_only_the_losses_the_recipe_gives(answers, correct):
    feedback = ch02.dropout.evaluate(*answers)
    assert feedback.correct is correct, feedback


def test_learning_rate_limit_comes_from_the_curvature_of_the_chapters_data():
    x, _ = ch02._line_data()
    assert ch02._lr_limit() == pytest.approx(
        2 / (np.mean(x**2) + 1 + math.hypot(np.mean(x**2) - 1, 2 * np.mean(x)))
    )
    right = (dict(ch02._LINE_LOSSES), min(ch02._LINE_LOSSES, key=ch02._LINE_LOSSES.get))
    for lr in ch02._LRS:
        feedback = ch02.learning_rate.evaluate(*right, lr)
        assert feedback.correct is (lr == max(r for r in ch02._LRS if r < ch02._lr_limit())), (lr, feedback)


def test_the_checkers_data_cannot_be_changed_by_a_caller():
    for array in (*ch01._xor_data(), *ch02._line_data()):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0
