"""Checks for the exercises of chapter 6's section "Self-supervised pretraining" (``chapters/06b_self_supervised.ipynb``).

In the notebook: ``from helpers.checks import ch06b as checks``, then
``checks.nt_xent_by_hand.check()`` after the answer cell, ``checks.nt_xent_by_hand.hint()`` for
a hint and ``checks.nt_xent_by_hand.solution()`` for the solution.

Both truths are recomputed, not stored: the NT-Xent loss of the exercise's tiny batch with NumPy,
and the adapter's parameter count from the layer widths of the shipped ``mnist04_mlp`` (loaded
once per process). The section's guards tie the batch, the temperature, the bottleneck and the
counts to the page.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from helpers.exercises import Exercise, Wrong, as_int, as_number

#: The NT-Xent exercise's tiny batch: two positive pairs (_Z1[i], _Z2[i]) of 2-D embeddings.
_Z1 = ((1.0, 0.0), (0.0, 2.0))
_Z2 = ((3.0, 1.0), (-1.0, 1.0))
_TAU = 0.5
#: How far a right answer may be from the truth (a learner may round to three decimals).
_LOSS_ATOL = 1e-3

#: The adapter exercise: a bottleneck of 16 after each hidden layer of the shipped MLP, 5 new classes.
_BOTTLENECK = 16
_N_CLASSES = 5
_SHIPPED = "mnist04_mlp"


def _nt_xent(
    tau: float = _TAU,
    *,
    normalise: bool = True,
    exclude_self: bool = True,
    both_directions: bool = True,
    total: bool = False,
) -> float:
    """The NT-Xent loss of the exercise's batch; the keywords give the typical mistakes."""
    z1, z2 = np.array(_Z1), np.array(_Z2)
    z = np.concatenate([z1, z2])
    if normalise:
        z = z / np.linalg.norm(z, axis=1, keepdims=True)
    n = len(z1)
    logits = z @ z.T / tau
    losses = []
    for i in range(2 * n if both_directions else n):
        positive = (i + n) % (2 * n)
        candidates = [k for k in range(2 * n) if k != i or not exclude_self]
        losses.append(-(logits[i, positive] - math.log(float(np.sum(np.exp(logits[i, candidates]))))))
    return float(np.sum(losses) if total else np.mean(losses))


# --- nt_xent_by_hand --------------------------------------------------------------------------


def _check_nt_xent(loss_by_hand: object) -> str:
    loss = as_number(loss_by_hand, "loss_by_hand")
    if loss < 0:
        raise Wrong("a cross-entropy is never negative: check the sign of the log.")
    if abs(loss - _nt_xent()) <= _LOSS_ATOL:
        return (
            "each of the four embeddings is an anchor once; its positive is its partner from the "
            "other view, and the other two embeddings are its negatives."
        )
    mistakes = [
        (
            _nt_xent(normalise=False),
            "sim is the *cosine* similarity: divide each embedding by its length before taking dot products.",
        ),
        (
            _nt_xent(exclude_self=False),
            "the denominator sums over k != i: leave out each embedding's similarity with itself.",
        ),
        (_nt_xent(tau=1.0), "divide every similarity by the temperature before the exponential."),
        (
            _nt_xent(both_directions=False),
            "the loss averages over all 2N anchors: the embeddings of the second view are anchors "
            "too, with their partners from the first view as positives.",
        ),
        (_nt_xent(total=True), "the loss is the *mean* over the 2N anchors, not their sum."),
        (
            _nt_xent(both_directions=False, total=True),
            "take all 2N anchors, both views, and average their losses.",
        ),
    ]
    for value, message in mistakes:
        if abs(loss - value) <= _LOSS_ATOL:
            raise Wrong(message)
    raise Wrong(
        "that is not the NT-Xent loss of this batch. Normalise the four embeddings, build the 4 x 4 "
        "matrix of cosine similarities divided by the temperature, and for each row i take "
        "-log(exp(s[i, partner]) / sum over k != i of exp(s[i, k])); then average the four."
    )


nt_xent_by_hand = Exercise(
    "nt_xent_by_hand",
    answers=["loss_by_hand"],
    checker=_check_nt_xent,
    hints=[
        "Stack the two views into one array of four embeddings, `z = np.concatenate([z1_ex, z2_ex])`, "
        "and divide each row by its length (`np.linalg.norm(z, axis=1, keepdims=True)`).",
        "`s = z @ z.T / tau_ex` holds every similarity. Row 0's positive is row 2 (its partner), row 2's "
        "is row 0, and so on; the denominator of row i sums `np.exp(s[i, k])` over the three k != i. "
        "Average the four losses.",
    ],
    reference=(0.28612,),  # the section's guard ties this to _nt_xent() and to the page's nt_xent
    mistakes=[
        (_nt_xent(normalise=False),),
        (_nt_xent(exclude_self=False),),
        (_nt_xent(tau=1.0),),
        (_nt_xent(both_directions=False),),
        (_nt_xent(total=True),),
        (-0.28612,),
        (0.25,),  # made up, in the right range
        (math.log(3),),  # the loss of embeddings that tell nothing apart
    ],
)


# --- adapter_count ----------------------------------------------------------------------------


@functools.cache
def _widths() -> tuple[int, ...]:
    """The input width and the hidden layers' widths of the shipped MLP: (784, 256, 128)."""
    from helpers.pretrained import load_pretrained

    model = load_pretrained(_SHIPPED)
    hidden = [layer for layer in model.layers if layer.name.startswith("hidden_")]
    return (int(hidden[0].kernel.shape[0]), *(int(layer.kernel.shape[1]) for layer in hidden))


def _counts(bottleneck: int = _BOTTLENECK, n_classes: int = _N_CLASSES) -> tuple[int, int]:
    """(trainable with adapters and a new head, trainable in full fine-tuning with a new head)."""
    widths = _widths()
    head = widths[-1] * n_classes + n_classes
    adapters = sum(2 * d * bottleneck + bottleneck + d for d in widths[1:])
    full = sum(a * b + b for a, b in zip(widths[:-1], widths[1:])) + head
    return adapters + head, full


def _check_adapter_count(adapter_trainable: object, full_trainable: object) -> str:
    adapter = as_int(adapter_trainable, "adapter_trainable")
    full = as_int(full_trainable, "full_trainable")
    right_adapter, right_full = _counts()
    widths = _widths()
    head = widths[-1] * _N_CLASSES + _N_CLASSES
    if (adapter, full) == (right_full, right_adapter):
        raise Wrong(
            "the two counts are swapped: the adapters train far fewer parameters than full fine-tuning."
        )
    if full != right_full:
        if full == right_full - head:
            raise Wrong("`full_trainable` leaves out the new head: full fine-tuning trains it too.")
        if full == right_full + right_adapter - head:
            raise Wrong(
                "`full_trainable` is the model *with* adapters, all trainable; full fine-tuning has no adapters."
            )
        raise Wrong(
            "`full_trainable` is not every weight and bias of the shipped MLP's hidden layers plus the new "
            "head: `transfer.count_params` on the unfrozen model with a new head counts them."
        )
    if adapter == right_adapter:
        return (
            "the adapters and the head are a few percent of full fine-tuning: the per-task copy to "
            "store is that small, while the shared network stays frozen."
        )
    if adapter == _counts(8)[0]:
        raise Wrong("that is the page's bottleneck of 8; the exercise asks for 16.")
    if adapter == right_adapter - head:
        raise Wrong("`adapter_trainable` leaves out the new head, which trains as well.")
    no_bias = sum(2 * d * _BOTTLENECK for d in widths[1:]) + head
    if adapter == no_bias:
        raise Wrong("count the biases: each adapter's down- and up-projection has one per unit.")
    one_only = {2 * d * _BOTTLENECK + _BOTTLENECK + d + head for d in widths[1:]}
    if adapter in one_only:
        raise Wrong("there is one adapter after *each* hidden layer: two in all, of different widths.")
    if adapter == right_adapter + right_full - head:
        raise Wrong("with adapters, the pretrained layers are frozen: count only what trains.")
    raise Wrong(
        "build the model with an adapter of bottleneck 16 after each hidden layer and a new head, "
        "freeze the shipped layers, and count with `transfer.count_params`; or by hand, "
        "d * m + m + m * d + d per adapter of width d."
    )


adapter_count = Exercise(
    "adapter_count",
    answers=["adapter_trainable", "full_trainable"],
    checker=_check_adapter_count,
    hints=[
        "An adapter after a layer of width d with bottleneck m is Dense(d -> m) and Dense(m -> d), "
        "each with its biases: d * m + m + m * d + d parameters. The shipped layers stay frozen.",
        "Two adapters (d = 256 and d = 128) plus the new head (128 * 5 + 5) train; full "
        "fine-tuning trains both hidden layers, weights and biases, plus the same new head.",
    ],
    reference=(13349, 234501),  # the section's guard ties these to _counts() and to the page's models
    mistakes=[
        (234501, 13349),
        (12704, 234501),  # the head left out
        (12933, 234501),  # no biases in the adapters
        (13349, 233856),  # full fine-tuning without the head
        (7189, 234501),  # bottleneck 8, the page's
        (9109, 234501),  # one adapter only
        (13500, 234501),  # made up, close
        (13349, 240000),  # made up full count
    ],
)


# --- chance_loss ------------------------------------------------------------------------------

#: The chance-level exercise's batch: 128 pairs (the page trains with 256).
_N_PAIRS = 128


def _check_chance_loss(loss_at_chance: object) -> str:
    loss = as_number(loss_at_chance, "loss_at_chance")
    n = _N_PAIRS
    if abs(loss - math.log(2 * n - 1)) <= _LOSS_ATOL:
        return (
            "with all similarities equal, each view picks its partner among the 2N - 1 others by "
            "chance: a loss at this level means the network has learned nothing yet."
        )
    mistakes = [
        (math.log(2 * n), "a view is not a candidate for itself: there are 2N - 1 candidates, not 2N."),
        (math.log(2 * n - 2), "the positive is one of the candidates in the denominator too."),
        (math.log(n), "the batch has 2N views: each view's candidates are all the others, from both views."),
        (
            math.log(n - 1),
            "the batch has 2N views: each view's candidates are all the others, from both views.",
        ),
        (math.log(2 * n - 1, 2), "use the natural logarithm, as the cross-entropy does."),
        (math.log(2 * n - 1, 10), "use the natural logarithm, as the cross-entropy does."),
    ]
    for value, message in mistakes:
        if abs(loss - value) <= _LOSS_ATOL:
            raise Wrong(message)
    if loss < 0:
        raise Wrong("a cross-entropy is never negative.")
    raise Wrong(
        "when all similarities are equal, the softmax gives every candidate the same probability: "
        "how many candidates does one view have, and what is -log of one over that?"
    )


chance_loss = Exercise(
    "chance_loss",
    answers=["loss_at_chance"],
    checker=_check_chance_loss,
    hints=[
        "If every similarity is the same, the softmax over a view's candidates is uniform: the loss "
        "is -log(1 / number of candidates).",
        "A batch of N pairs has 2N views; a view's candidates are all of them except itself.",
    ],
    reference=(math.log(2 * _N_PAIRS - 1),),  # the section's guard ties it to the page's nt_xent
    mistakes=[
        (math.log(2 * _N_PAIRS),),
        (math.log(2 * _N_PAIRS - 2),),
        (math.log(_N_PAIRS),),
        (math.log(2 * _N_PAIRS - 1, 2),),
        (5.0,),  # made up, in the right range
        (-math.log(2 * _N_PAIRS - 1),),
    ],
)


EXERCISES = (nt_xent_by_hand, chance_loss, adapter_count)
