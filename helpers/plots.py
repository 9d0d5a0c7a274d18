"""Figures used across chapters (matplotlib only).

Each function draws on an ``Axes`` it is given, or on a new figure, and
returns the figure, so a chapter can add to it or save it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers._validation import check_images, check_int, check_labels


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}.")
    return ax.figure, ax


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    *,
    ax: Axes | None = None,
    resolution: int = 200,
    title: str | None = None,
) -> Figure:
    """Shade the regions a 2-D binary classifier assigns to each class.

    Parameters
    ----------
    predict : callable
        Maps an ``(n, 2)`` array to ``n`` scores; a score >= 0.5 means class 1
        (a probability, as a sigmoid output gives).
    x : ndarray of shape (n, 2)
        The points to draw.
    y : ndarray of shape (n,)
        Their labels, 0 or 1.
    ax : Axes, optional
        Where to draw; a new figure is made if omitted.
    resolution : int, default 200
        Grid points per axis.
    title : str, optional

    Returns
    -------
    Figure
    """
    if not callable(predict):
        raise TypeError("predict must be a function mapping an (n, 2) array to n scores.")
    x = check_images(x, "x", min_dim=2)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x must have shape (n, 2) to be drawn in the plane, got {x.shape}.")
    y = check_labels(y, "y", n_samples=x.shape[0], n_classes=2)
    resolution = check_int(resolution, "resolution", minimum=2)
    fig, ax = _new_axes(ax, (4, 4))
    pad = 0.5
    (x0, y0), (x1, y1) = x.min(axis=0) - pad, x.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.c_[gx.ravel(), gy.ravel()].astype(np.float32)
    scores = np.asarray(predict(grid), dtype=float).reshape(gx.shape)
    ax.contourf(gx, gy, scores, levels=[-np.inf, 0.5, np.inf], colors=["#cfe2f3", "#f9d6c1"], alpha=0.9)
    ax.contour(gx, gy, scores, levels=[0.5], colors="k", linewidths=1)
    for label, marker, color in ((0, "o", "#1f77b4"), (1, "s", "#d62728")):
        pts = x[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, c=color, edgecolors="k", label=f"class {label}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.legend(loc="best", fontsize="small")
    return fig


def plot_history(
    history: object, metrics: Sequence[str] = ("loss", "accuracy"), *, title: str | None = None
) -> Figure:
    """Learning curves: each metric per epoch, training against validation.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        What ``model.fit`` returned, or its ``.history`` dict.
    metrics : sequence of str, default ("loss", "accuracy")
        The metrics to draw, one panel each; ``val_<metric>`` is added when present.
    title : str, optional
        A title over the panels.

    Returns
    -------
    Figure
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError("history must be a keras History or its .history dict.")
    missing = [m for m in metrics if m not in logs]
    if missing:
        raise ValueError(f"history has no {missing}; it records {sorted(logs)}.")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        epochs = np.arange(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], "o-", label="training")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], "s--", label="validation")
        ax.set(xlabel="epoch", ylabel=metric)
        ax.legend()
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_images(
    images: np.ndarray,
    labels: Sequence[object] | None = None,
    *,
    ncols: int = 10,
    cmap: str = "gray_r",
    size: float = 1.1,
    symmetric: bool = False,
) -> Figure:
    """Show a grid of 2-D images (digits, weight maps, PCA components).

    Parameters
    ----------
    images : ndarray of shape (n, h, w)
    labels : sequence, optional
        A caption per image.
    ncols : int, default 10
    cmap : str, default "gray_r"
    size : float, default 1.1
        Inches per image.
    symmetric : bool, default False
        Centre the colour scale on zero, for signed images such as weights.

    Returns
    -------
    Figure
    """
    images = check_images(images, "images", min_dim=3)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, height, width), got {images.shape}.")
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"got {len(images)} images but {len(labels)} labels.")
    ncols = min(check_int(ncols, "ncols", minimum=1), len(images))
    nrows = int(np.ceil(len(images) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.15), squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i >= len(images):
            continue
        kwargs = {}
        if symmetric:
            vmax = float(np.abs(images[i]).max()) or 1.0
            kwargs = {"vmin": -vmax, "vmax": vmax}
        ax.imshow(images[i], cmap=cmap, **kwargs)
        if labels is not None:
            ax.set_title(str(labels[i]), fontsize=9)
    fig.tight_layout()
    return fig


def plot_budget_curves(
    result: object,
    panels: Mapping[str, Sequence[str]],
    *,
    dotted: Sequence[str] = (),
    title: str | None = None,
    ylabel: str = "test accuracy",
) -> Figure:
    """Accuracy against the label budget, one panel per group of strategies.

    Each strategy is a line through its mean over seeds, with a band from its worst to its
    best seed. The budgets are spaced evenly, in sweep order.

    Parameters
    ----------
    result : helpers.transfer.SweepResult
        What :func:`helpers.transfer.budget_sweep` returned.
    panels : mapping of str to sequence of str
        Panel title -> the strategies to draw in it, e.g.
        ``{"MLP": ["mlp scratch", "mlp frozen last"], "CNN": [...]}``.
    dotted : sequence of str, default ()
        Strategies drawn with a dotted line (baselines, say).
    title : str, optional
        A title over the panels.
    ylabel : str, default "test accuracy"

    Returns
    -------
    Figure
    """
    for attribute in ("budgets", "strategies", "summary"):
        if not hasattr(result, attribute):
            raise TypeError(
                f"result must be what helpers.transfer.budget_sweep returned, got {type(result).__name__}."
            )
    if not isinstance(panels, Mapping) or not panels:
        raise ValueError("panels must be a non-empty dict {panel title: [strategy, ...]}.")
    known = set(result.strategies)
    for name, strategies in panels.items():
        if isinstance(strategies, str) or not isinstance(strategies, Sequence) or not strategies:
            raise ValueError(f"panel {name!r} must list at least one strategy, got {strategies!r}.")
        unknown = [s for s in strategies if s not in known]
        if unknown:
            raise ValueError(
                f"panel {name!r} names unknown strategies {unknown}; the sweep has {sorted(known)}."
            )
    budgets = list(result.budgets)
    rows = {(r.strategy, r.budget): r for r in result.summary()}
    xs = np.arange(len(budgets))
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), sharey=True, squeeze=False)
    for ax, (name, strategies) in zip(axes[0], panels.items()):
        for strategy in strategies:
            points = [(x, rows[strategy, b]) for x, b in zip(xs, budgets) if (strategy, b) in rows]
            px = [x for x, _ in points]
            style = ":" if strategy in dotted else "-"
            ax.plot(px, [r.mean for _, r in points], style, marker="o", ms=4, label=strategy)
            ax.fill_between(px, [r.low for _, r in points], [r.high for _, r in points], alpha=0.15)
        ax.set_xticks(xs, [str(b) for b in budgets])
        ax.set(xlabel="labelled examples per class", title=name)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small", loc="lower right")
    axes[0][0].set_ylabel(ylabel)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_reliability(
    results: Mapping[str, object], *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Reliability diagram: accuracy against confidence, one line per model, the diagonal for reference.

    Parameters
    ----------
    results : mapping of str to helpers.evaluation.Calibration
        A label (shown with the model's expected calibration error) and what
        :func:`helpers.evaluation.calibration` returned for it.
    ax : Axes, optional
        Where to draw; a new figure otherwise.
    title : str, optional

    Returns
    -------
    Figure
    """
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty dict of label -> helpers.evaluation.calibration(...).")
    for label, result in results.items():
        if not all(hasattr(result, f) for f in ("confidence", "accuracy", "count", "ece")):
            raise TypeError(
                f"results[{label!r}] must be what helpers.evaluation.calibration returns, got {type(result).__name__}."
            )
    fig, ax = _new_axes(ax, (4.5, 4.2))
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", label="perfect calibration")
    for label, result in results.items():
        ax.plot(
            result.confidence,
            result.accuracy,
            "o-",
            markersize=4,
            label=f"{label} (ECE {100 * result.ece:.2f} %)",
        )
    ax.set(xlabel="confidence (top probability)", ylabel="accuracy", xlim=(0, 1.02), ylim=(0, 1.02))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    if title:
        ax.set_title(title)
    return fig


def _seeds_by_layer(values: object, name: str) -> np.ndarray:
    """``values`` as a finite float array of shape (seeds, layers): one row per seed."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] < 1:
        raise ValueError(f"{name} must have shape (seeds, layers) or (layers,), got {arr.shape}.")
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must hold positive, finite scales (drawn on a log axis).")
    return arr


def plot_layer_scales(
    scales: Mapping[str, object],
    *,
    ax: Axes | None = None,
    ylabel: str = "standard deviation",
    title: str | None = None,
) -> Figure:
    """A per-layer scale (e.g. the std of activations) on a log axis, one line per setting.

    Parameters
    ----------
    scales : mapping of str to array of shape (seeds, layers) or (layers,)
        Setting name -> its scale at each layer, one row per seed. The line is the mean over
        seeds, the band runs from the smallest to the largest seed.
    ax : Axes, optional
        Where to draw; a new figure is made if omitted.
    ylabel : str, default "standard deviation"
    title : str, optional

    Returns
    -------
    Figure
    """
    if not isinstance(scales, Mapping) or not scales:
        raise ValueError("scales must be a non-empty dict {setting: array of shape (seeds, layers)}.")
    arrays = {str(name): _seeds_by_layer(values, f"scales[{name!r}]") for name, values in scales.items()}
    fig, ax = _new_axes(ax, (5, 3.4))
    for name, arr in arrays.items():
        layers = np.arange(1, arr.shape[1] + 1)
        ax.plot(layers, arr.mean(axis=0), "o-", ms=3, label=name)
        ax.fill_between(layers, arr.min(axis=0), arr.max(axis=0), alpha=0.2)
    ax.set_yscale("log")
    ax.set(xlabel="layer", ylabel=ylabel, title=title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small")
    return fig


def plot_layer_histograms(
    values: Sequence[np.ndarray],
    *,
    ax: Axes | None = None,
    bins: int = 60,
    title: str | None = None,
    xlabel: str = "value",
) -> Figure:
    """Histograms of one quantity (e.g. pre-activations) at every layer, overlaid, darker deeper.

    Parameters
    ----------
    values : sequence of ndarray
        One array per layer, first layer first; each is flattened.
    ax : Axes, optional
        Where to draw; a new figure is made if omitted.
    bins : int, default 60
        Bins of each histogram, over the range of all layers together.
    title : str, optional
    xlabel : str, default "value"

    Returns
    -------
    Figure
    """
    if isinstance(values, np.ndarray) or not isinstance(values, Sequence) or not values:
        raise ValueError("values must be a non-empty list with one array per layer.")
    layers = [np.asarray(v, dtype=float).ravel() for v in values]
    if any(v.size == 0 or not np.all(np.isfinite(v)) for v in layers):
        raise ValueError("every layer's values must be a non-empty array of finite numbers.")
    bins = check_int(bins, "bins", minimum=2)
    fig, ax = _new_axes(ax, (5, 3.4))
    low, high = min(v.min() for v in layers), max(v.max() for v in layers)
    edges = np.linspace(low, high if high > low else low + 1.0, bins + 1)
    colours = plt.get_cmap("viridis_r")(np.linspace(0.15, 1.0, len(layers)))
    for i, (v, colour) in enumerate(zip(layers, colours), start=1):
        ax.hist(v, bins=edges, histtype="step", color=colour, label=f"layer {i}")
    ax.set(xlabel=xlabel, ylabel="count", title=title)
    ax.legend(fontsize="x-small", ncol=2)
    return fig
