"""The course's Keras models.

Models are returned uncompiled: the chapter chooses the optimizer, loss and
metrics where the reader can see them.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

from helpers._validation import check_choice, check_fraction, check_int, check_seed


def _widths(hidden_units: object) -> list[int]:
    """``hidden_units`` as a list of layer widths: one int is one layer, a sequence one layer per entry."""
    if isinstance(hidden_units, Sequence) and not isinstance(hidden_units, str):
        return [check_int(u, "each hidden_units entry", minimum=1) for u in hidden_units]
    return [check_int(hidden_units, "hidden_units (an int or a sequence of ints)", minimum=1)]


def _initializer(seed: int | None, layer: int) -> keras.initializers.Initializer | str:
    """Keras' default kernel initializer (Glorot uniform), seeded per layer when ``seed`` is given."""
    return "glorot_uniform" if seed is None else keras.initializers.GlorotUniform(seed=seed + layer)


def build_mlp(
    input_shape: Sequence[int] = (28, 28),
    hidden_units: int | Sequence[int] = (512,),
    n_classes: int = 10,
    *,
    activation: str = "relu",
    output_activation: str = "softmax",
    seed: int | None = None,
    name: str = "mlp",
) -> keras.Model:
    """A multilayer perceptron: Flatten, Dense hidden layers, a Dense output layer.

    The defaults are the source article's network for MNIST,
    784-512-10 with ReLU and softmax.

    Parameters
    ----------
    input_shape : sequence of int, default (28, 28)
        Shape of one input example (without the batch dimension).
    hidden_units : int or sequence of int, default (512,)
        Width of each hidden layer (an int: one hidden layer); ``()`` gives a linear
        (softmax regression) model.
    n_classes : int, default 10
        Number of output units.
    activation : str, default "relu"
        Activation of the hidden layers (any Keras activation name).
    output_activation : str, default "softmax"
        Activation of the output layer: "softmax", "sigmoid" or "linear" (logits).
    seed : int, optional
        Seeds the initial weights (layer ``i`` with ``seed + i``), so that the same seed gives
        the same network whatever ran before; without it, Keras' global seed decides
        (see :func:`helpers.set_seed`).
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
    units = _widths(hidden_units)
    n_classes = check_int(n_classes, "n_classes", minimum=1)
    seed = None if seed is None else check_seed(seed)
    check_choice(output_activation, "output_activation", ("softmax", "sigmoid", "linear"))
    try:
        keras.activations.get(activation)
    except ValueError as exc:
        raise ValueError(f"Unknown activation {activation!r}: {exc}") from exc

    inputs = keras.Input(shape=input_shape, name="image")
    h = keras.layers.Flatten(name="flatten")(inputs) if len(input_shape) > 1 else inputs
    for i, width in enumerate(units, start=1):
        h = keras.layers.Dense(
            width, activation=activation, kernel_initializer=_initializer(seed, i), name=f"hidden_{i}"
        )(h)
    outputs = keras.layers.Dense(
        n_classes,
        activation=output_activation,
        kernel_initializer=_initializer(seed, len(units) + 1),
        name="output",
    )(h)
    return keras.Model(inputs, outputs, name=name)


def build_cnn(
    input_shape: Sequence[int] = (28, 28),
    n_classes: int = 10,
    *,
    filters: Sequence[int] = (16, 32),
    hidden_units: int | Sequence[int] = 64,
    bn_momentum: float = 0.99,
    seed: int | None = None,
    name: str = "cnn",
) -> keras.Model:
    """A small convolutional network: conv blocks, then one Dense hidden layer.

    Each block is Conv2D (3x3, no bias), BatchNormalization, ReLU and 2x2 max
    pooling. The blocks end in a Flatten layer named ``conv_base`` (the
    convolutional features), followed by the Dense hidden layers ``hidden_1``, ...
    (ReLU) and ``output`` (Dense, softmax).

    Parameters
    ----------
    input_shape : sequence of int, default (28, 28)
        ``(height, width)`` of a grey-scale image, or ``(height, width, channels)``.
    n_classes : int, default 10
        Number of output units.
    filters : sequence of int, default (16, 32)
        Filters of each convolutional block (at least one block).
    hidden_units : int or sequence of int, default 64
        Width of the Dense hidden layer (a sequence: one Dense layer per entry, as in
        :func:`build_mlp`).
    bn_momentum : float, default 0.99
        Momentum of BatchNormalization's moving averages (Keras' default). A
        short training run (a few hundred steps) needs a shorter memory, e.g. 0.9,
        or the averages used at inference are still close to their initial values.
    seed : int, optional
        Seeds the initial weights, as in :func:`build_mlp`.
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
    units = _widths(hidden_units)
    seed = None if seed is None else check_seed(seed)
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
        h = keras.layers.Conv2D(
            n_filters, 3, use_bias=False, kernel_initializer=_initializer(seed, i), name=f"conv_{i}"
        )(h)
        h = keras.layers.BatchNormalization(momentum=bn_momentum, name=f"bn_{i}")(h)
        h = keras.layers.Activation("relu", name=f"relu_{i}")(h)
        h = keras.layers.MaxPooling2D(2, name=f"pool_{i}")(h)
    h = keras.layers.Flatten(name="conv_base")(h)
    for i, width in enumerate(units, start=1):
        initializer = _initializer(seed, len(filters) + i)
        h = keras.layers.Dense(width, activation="relu", kernel_initializer=initializer, name=f"hidden_{i}")(
            h
        )
    initializer = _initializer(seed, len(filters) + len(units) + 1)
    outputs = keras.layers.Dense(
        n_classes, activation="softmax", kernel_initializer=initializer, name="output"
    )(h)
    return keras.Model(inputs, outputs, name=name)
