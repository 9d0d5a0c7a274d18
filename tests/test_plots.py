"""helpers.plots: figures come back, bad input is refused clearly."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import plots, transfer

X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
Y = np.array([0, 0, 1, 1])


def test_decision_boundary_draws_points_and_a_contour():
    fig = plots.plot_decision_boundary(lambda g: g[:, 0], X, Y, resolution=20, title="t")
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and ax.get_title() == "t"
    assert len(ax.collections) >= 2  # filled regions, boundary line and the two scatter sets


def test_decision_boundary_can_draw_on_a_given_axes():
    fig, ax = plt.subplots()
    assert plots.plot_decision_boundary(lambda g: g[:, 1], X, Y, ax=ax, resolution=10) is fig


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((None, X, Y), TypeError, "predict must be a function"),
        ((lambda g: g[:, 0], X[:, :1], Y), ValueError, r"shape \(n, 2\)"),
        ((lambda g: g[:, 0], X, np.array([0, 1, 2, 1])), ValueError, "only 2 classes"),
        ((lambda g: g[:, 0], X, Y[:3]), ValueError, "different numbers"),
    ],
)
def test_decision_boundary_rejects_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        plots.plot_decision_boundary(*args)


def test_plot_history_draws_training_and_validation():
    logs = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}
    fig = plots.plot_history(logs)
    assert len(fig.axes) == 2
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]


def test_plot_history_names_the_missing_metric():
    with pytest.raises(ValueError, match=r"no \['accuracy'\].*records \['loss'\]"):
        plots.plot_history({"loss": [1.0]})
    with pytest.raises(TypeError, match="keras History"):
        plots.plot_history([1.0, 2.0])


def test_show_images_makes_one_axes_per_grid_cell():
    fig = plots.show_images(np.zeros((12, 4, 4)), labels=list(range(12)), ncols=5)
    assert len(fig.axes) == 15


@pytest.mark.parametrize(
    ("images", "labels", "message"),
    [
        (np.zeros((4, 4)), None, "at least 3 dimensions"),
        (np.zeros((2, 4, 4, 1)), None, "height, width"),
        (np.zeros((2, 4, 4)), ["a"], "2 images but 1 labels"),
    ],
)
def test_show_images_rejects_bad_shapes(images, labels, message):
    with pytest.raises(ValueError, match=message):
        plots.show_images(images, labels)


def _sweep():
    def run(budget, seed):
        k = 200 if budget == "all" else budget
        return {"scratch": k / 250 + seed / 100, "frozen": 0.5 + k / 1000, "LR on pixels": 0.4}

    return transfer.budget_sweep(run, [1, 10, "all"], [0, 1, 2], seeds_for_all=1)


def test_budget_curves_draw_one_line_and_band_per_strategy_and_panel():
    fig = plots.plot_budget_curves(
        _sweep(), {"MLP": ["scratch", "LR on pixels"], "CNN": ["frozen"]}, dotted=["LR on pixels"], title="A"
    )
    left, right = fig.axes
    assert (left.get_title(), right.get_title()) == ("MLP", "CNN")
    assert [line.get_label() for line in left.lines] == ["scratch", "LR on pixels"]
    assert left.lines[1].get_linestyle() == ":" and left.lines[0].get_linestyle() == "-"
    np.testing.assert_allclose(left.lines[0].get_ydata(), [0.014, 0.05, 0.8])  # means over seeds
    assert [t.get_text() for t in left.get_xticklabels()] == ["1", "10", "all"]
    assert len(left.collections) == 2  # one band per strategy
    assert fig._suptitle.get_text() == "A"


@pytest.mark.parametrize(
    ("result", "panels", "error", "message"),
    [
        ({"a": 1}, {"x": ["scratch"]}, TypeError, "budget_sweep returned"),
        (None, {}, ValueError, "non-empty dict"),
        (None, {"x": "scratch"}, ValueError, "at least one strategy"),
        (None, {"x": ["nope"]}, ValueError, r"unknown strategies \['nope'\]"),
    ],
)
def test_budget_curves_reject_bad_input(result, panels, error, message):
    with pytest.raises(error, match=message):
        plots.plot_budget_curves(_sweep() if result is None else result, panels)


def test_panels_by_prefix_groups_strategies_in_sweep_order_then_the_extra_ones():
    panels = plots.panels_by_prefix(_sweep(), {"S": "scr", "F": "fro"}, extra=["LR on pixels"])
    assert panels == {"S": ["scratch", "LR on pixels"], "F": ["frozen", "LR on pixels"]}


@pytest.mark.parametrize(
    ("result", "prefixes", "extra", "error", "message"),
    [
        ({"a": 1}, {"S": "scr"}, (), TypeError, "budget_sweep returned"),
        (None, {}, (), ValueError, "non-empty dict"),
        (None, {"S": "cnn"}, (), ValueError, "no strategy of the sweep starts with 'cnn'"),
        (None, {"S": 3}, (), TypeError, "must be a str"),
        (None, {"S": "scr"}, "LR on pixels", TypeError, "list of strategy names"),
        (None, {"S": "scr"}, ["LR on pca"], ValueError, "does not have"),
    ],
)
def test_panels_by_prefix_rejects_bad_input(result, prefixes, extra, error, message):
    with pytest.raises(error, match=message):
        plots.panels_by_prefix(_sweep() if result is None else result, prefixes, extra=extra)


def test_plot_reliability_draws_the_diagonal_and_one_line_per_model_with_its_ece():
    from helpers import evaluation

    p = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    results = {
        "a": evaluation.calibration(p, [0, 1, 1, 0], n_bins=5),
        "b": evaluation.calibration(p, [0, 0, 1, 0]),
    }
    fig = plots.plot_reliability(results, title="t")
    ax = fig.axes[0]
    assert len(ax.lines) == 3
    np.testing.assert_allclose(ax.lines[1].get_xdata(), results["a"].confidence)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), results["a"].accuracy)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[1] == f"a (ECE {100 * results['a'].ece:.2f} %)" and ax.get_title() == "t"
    plt.close(fig)


@pytest.mark.parametrize(("results", "error"), [({}, ValueError), ({"a": 0.1}, TypeError), ([1], ValueError)])
def test_plot_reliability_rejects_what_calibration_did_not_return(results, error):
    with pytest.raises(error, match="calibration"):
        plots.plot_reliability(results)


def test_plot_layer_scales_draws_a_line_and_a_band_per_setting_on_a_log_axis():
    scales = {"a": np.array([[1.0, 0.5, 0.25], [1.1, 0.6, 0.2]]), "b": [1.0, 1.0, 1.0]}
    fig = plots.plot_layer_scales(scales, title="t")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title() == "t"
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1.05, 0.55, 0.225])


@pytest.mark.parametrize(
    ("scales", "message"),
    [
        ({}, "non-empty dict"),
        ([1.0, 2.0], "non-empty dict"),
        ({"a": [1.0, 0.0]}, "positive, finite"),
        ({"a": [1.0, np.nan]}, "positive, finite"),
        ({"a": np.ones((2, 2, 2))}, r"shape \(seeds, layers\)"),
    ],
)
def test_plot_layer_scales_rejects_bad_input(scales, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_layer_scales(scales)


def test_plot_layer_histograms_draws_one_histogram_per_layer():
    rng = np.random.default_rng(0)
    fig, ax = plt.subplots()
    assert plots.plot_layer_histograms([rng.normal(size=(4, 5)), rng.normal(size=7)], ax=ax, bins=10) is fig
    assert len(ax.patches) == 2 and len(ax.get_legend().get_texts()) == 2


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ([], ValueError, "non-empty list"),
        (np.zeros((3, 4)), ValueError, "non-empty list"),
        ([np.array([1.0, np.inf])], ValueError, "finite"),
        ([np.array([])], ValueError, "non-empty array"),
        ([np.ones(3)], ValueError, "bins"),
    ],
)
def test_plot_layer_histograms_rejects_bad_input(values, error, message):
    kwargs = {"bins": 1} if message == "bins" else {}
    with pytest.raises(error, match=message):
        plots.plot_layer_histograms(values, **kwargs)


def test_vector_figures_changes_nothing_outside_ipython():
    import matplotlib.pyplot as plt

    before = plt.rcParams["svg.fonttype"]
    assert plots.vector_figures() is False  # pytest is not an IPython kernel
    assert plt.rcParams["svg.fonttype"] == before


def test_vector_figures_refuses_a_language_without_translations():
    with pytest.raises(ValueError, match="language must be one of"):
        plots.vector_figures(language="fr")
    with pytest.raises(TypeError, match="language must be a string"):
        plots.vector_figures(language=3)


def test_translate_svg_and_svg_texts_refuse_what_is_not_svg_text():
    with pytest.raises(TypeError, match="svg must be"):
        plots.svg_texts(b"<svg/>")
    with pytest.raises(TypeError, match="translations must map"):
        plots.translate_svg("<svg/>", ["epoch"])
    assert (
        plots.translate_svg('<text x="0">a &amp; b</text>', {"a & b": "甲 & 乙"})
        == '<text x="0">甲 &amp; 乙</text>'
    )


def test_a_computed_number_that_differs_from_the_catalogs_is_translated_with_its_own_numbers():
    """A legend's ECE or fitted temperature can differ in its last digits on another machine."""
    table = {
        "scratch, T = 1.95 (ECE 0.95 %)": "从头训练，T = 1.95（ECE 0.95 %）",
        "layer 1": "第 1 层",
        "layer 2": "第 2 层",
        "epoch 100": "第 100 轮",
        "batch 8": "批量 八",  # does not keep its number: no template
        "view 1": "视图 1",
        "view 2": "第二视图 2",  # fills "view {}" differently from "view 1": no template
    }
    assert plots.number_templates(table) == {
        "scratch, T = {} (ECE {} %)": "从头训练，T = {}（ECE {} %）",
        "layer {}": "第 {} 层",
        "epoch {}": "第 {} 轮",
    }
    texts = ["scratch, T = 2.01 (ECE 1.10 %)", "layer 9", "epoch 1,000", "batch 16", "view 3", "layer 2"]
    svg = "<svg>" + "".join(f'<text x="{i}">{t}</text>' for i, t in enumerate(texts)) + "</svg>"
    assert plots.svg_texts(plots.translate_svg(svg, table)) == [
        "从头训练，T = 2.01（ECE 1.10 %）",
        "第 9 层",
        "第 1,000 轮",
        "batch 16",
        "view 3",
        "第 2 层",
    ]
    assert plots.number_template("three learning rates, 54,000 training images") == (
        "three learning rates, {} training images",
        ("54,000",),
    )
    assert plots.number_template("constant 1e-3") == ("constant {}", ("1e-3",))
    assert plots.number_template("epoch") is None
    assert plots.number_template("a {set} of 3") is None


@pytest.mark.slow  # starts a kernel (about 15 s)
def test_vector_figures_in_a_kernel_shows_svg_with_text_as_text():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = (
        f"import sys; sys.path.insert(0, {str(root)!r})\n"
        "import matplotlib.pyplot as plt\nfrom helpers import plots\n"
        "print(plots.vector_figures(language='zh_CN'))\nplt.plot([0, 1]); plt.title('Loss curve'); plt.xlabel('epoch'); plt.show()"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    outputs = nb.cells[0].outputs
    assert [o.get("text") for o in outputs if o.output_type == "stream"] == ["True\n"]
    svg = next(o["data"]["image/svg+xml"] for o in outputs if o.output_type == "display_data")
    assert ">Loss curve</text>" in svg and "<dc:date>" not in svg  # no translation: kept
    assert ">轮次</text>" in svg and ">epoch</text>" not in svg  # translated for the Chinese notebooks
