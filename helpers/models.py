"""The course's Keras models.

Models are returned uncompiled: the chapter chooses the optimizer, loss and
metrics where the reader can see them.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

from helpers._validation import check_choice, check_fraction, check_int


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


def build_cnn(
    input_shape: Sequence[int] = (28, 28),
    n_classes: int = 10,
    *,
    filters: Sequence[int] = (16, 32),
    hidden_units: int = 64,
    bn_momentum: float = 0.99,
    name: str = "cnn",
) -> keras.Model:
    """A small convolutional network: conv blocks, then one Dense hidden layer.

    Each block is Conv2D (3x3, no bias), BatchNormalization, ReLU and 2x2 max
    pooling. The blocks end in a Flatten layer named ``conv_base`` (the
    convolutional features), followed by ``hidden_1`` (Dense, ReLU) and
    ``output`` (Dense, softmax).

    Parameters
    ----------
    input_shape : sequence of int, default (28, 28)
        ``(height, width)`` of a grey-scale image, or ``(height, width, channels)``.
    n_classes : int, default 10
        Number of output units.
    filters : sequence of int, default (16, 32)
        Filters of each convolutional block (at least one block).
    hidden_units : int, default 64
        Width of the Dense hidden layer.
    bn_momentum : float, default 0.99
        Momentum of BatchNormalization's moving averages (Keras' default). A
        short training run (a few hundred steps) needs a shorter memory, e.g. 0.9,
        or the averages used at inference are still close to their initial values.
    name : str, default "cnn"

    Returns
    -------
    keras.Model
        An uncompiled functional model.
    """
    input_shape = tuple(check_int(d, "each input_shape entry", minimum=1) for d in input_shape)
    if len(input_shape) not in (2, 3):
        raise ValueError(
            f"input_shape must be (height, width) or (height, width, channels), got {input_shape}."
        )
    filters = [check_int(f, "each filters entry", minimum=1) for f in filters]
    if not filters:
        raise ValueError("filters is empty; give at least one convolutional block, e.g. (16, 32).")
    n_classes = check_int(n_classes, "n_classes", minimum=1)
    hidden_units = check_int(hidden_units, "hidden_units", minimum=1)
    bn_momentum = check_fraction(bn_momentum, "bn_momentum")
    side = min(input_shape[:2])
    for _ in filters:
        side = (side - 2) // 2
    if side < 1:
        raise ValueError(
            f"input_shape {input_shape} is too small for {len(filters)} blocks of 3x3 conv + pooling."
        )

    inputs = keras.Input(shape=input_shape, name="image")
    h = (
        keras.layers.Reshape((*input_shape, 1), name="add_channel")(inputs)
        if len(input_shape) == 2
        else inputs
    )
    for i, n_filters in enumerate(filters, start=1):
        h = keras.layers.Conv2D(n_filters, 3, use_bias=False, name=f"conv_{i}")(h)
        h = keras.layers.BatchNormalization(momentum=bn_momentum, name=f"bn_{i}")(h)
        h = keras.layers.Activation("relu", name=f"relu_{i}")(h)
        h = keras.layers.MaxPooling2D(2, name=f"pool_{i}")(h)
    h = keras.layers.Flatten(name="conv_base")(h)
    h = keras.layers.Dense(hidden_units, activation="relu", name="hidden_1")(h)
    outputs = keras.layers.Dense(n_classes, activation="softmax", name="output")(h)
    return keras.Model(inputs, outputs, name=name)
