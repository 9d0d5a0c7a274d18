"""The course's Keras models.

Models are returned uncompiled: the chapter chooses the optimizer, loss and
metrics where the reader can see them.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

from helpers._validation import check_choice, check_int


def build_mlp(
    input_shape: Sequence[int] = (28, 28),
    hidden_units: Sequence[int] = (512,),
    n_classes: int = 10,
    *,
    activation: str = "relu",
    output_activation: str = "softmax",
    name: str = "mlp",
) -> keras.Model:
    """A multilayer perceptron: Flatten, Dense hidden layers, a Dense output layer.

    The defaults are the source article's network for MNIST,
    784-512-10 with ReLU and softmax.

    Parameters
    ----------
    input_shape : sequence of int, default (28, 28)
        Shape of one input example (without the batch dimension).
    hidden_units : sequence of int, default (512,)
        Width of each hidden layer; ``()`` gives a linear (softmax regression) model.
    n_classes : int, default 10
        Number of output units.
    activation : str, default "relu"
        Activation of the hidden layers (any Keras activation name).
    output_activation : str, default "softmax"
        Activation of the output layer: "softmax", "sigmoid" or "linear" (logits).
    name : str, default "mlp"
        The model's name; hidden layers are named ``hidden_1``, ``hidden_2``, ... and
        the output layer ``output``.

    Returns
    -------
    keras.Model
        An uncompiled functional model.
    """
    input_shape = tuple(check_int(d, "each input_shape entry", minimum=1) for d in input_shape)
    if not input_shape:
        raise ValueError("input_shape is empty; give the shape of one example, e.g. (28, 28).")
    units = [check_int(u, "each hidden_units entry", minimum=1) for u in hidden_units]
    n_classes = check_int(n_classes, "n_classes", minimum=1)
    check_choice(output_activation, "output_activation", ("softmax", "sigmoid", "linear"))
    try:
        keras.activations.get(activation)
    except ValueError as exc:
        raise ValueError(f"Unknown activation {activation!r}: {exc}") from exc

    inputs = keras.Input(shape=input_shape, name="image")
    h = keras.layers.Flatten(name="flatten")(inputs) if len(input_shape) > 1 else inputs
    for i, width in enumerate(units, start=1):
        h = keras.layers.Dense(width, activation=activation, name=f"hidden_{i}")(h)
    outputs = keras.layers.Dense(n_classes, activation=output_activation, name="output")(h)
    return keras.Model(inputs, outputs, name=name)
