"""Plots: each takes ax=None, returns the Axes, uses the palette with hatches, never shows."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from classic_models import CHICKEN  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from deterrence import plotting  # noqa: E402
from deterrence.analysis.branches import track_branches  # noqa: E402
from deterrence.analysis.regimes import compute_regime_map  # noqa: E402
from deterrence.analysis.thresholds import find_thresholds  # noqa: E402
from deterrence.sensitivity.analyse import morris, oat_swing, sobol  # noqa: E402


@pytest.fixture(autouse=True)
def no_show(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("plotting functions must never call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


def test_regime_map_draws_regions_labels_and_the_analytic_boundary(tmp_path):
    rmap = compute_regime_map(CHICKEN, "face_loss", "crash_cost", x_range=(0, 5, 21), y_range=(0, 5, 21))
    [threshold] = find_thresholds(CHICKEN, "crash_cost", baseline={"face_loss": 2.5}, high=5, n=21)
    ax = plotting.draw_regime_map(rmap, boundaries={threshold.text: threshold})
    [line] = ax.get_lines()
    xs, ys = line.get_data()
    assert np.allclose(xs, ys)  # crash_cost = face_loss is the diagonal
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    # Two regimes, the degenerate diagonal (kept, never dropped) and the boundary line.
    assert "crash_cost = face_loss" in legend and len(legend) == 4
    texts = {t.get_text().replace("\n", " ") for t in ax.texts}
    assert "Stand firm/Stand firm" in texts
    handles = ax.get_legend().legend_handles
    assert {to_hex(h.get_facecolor()) for h in handles[:2]} == {
        plotting.PALETTE[0].lower(),
        plotting.PALETTE[1].lower(),
    }
    assert [h.get_hatch() for h in handles[:2]] == [None, "//"] or [h.get_hatch() for h in handles[:2]] == ["", "//"]
    ax.figure.savefig(tmp_path / "map.pdf")
    assert (tmp_path / "map.pdf").stat().st_size > 1000


def test_regime_map_uses_a_given_axes():
    fig, axes = plt.subplots(1, 2)
    rmap = compute_regime_map(CHICKEN, "face_loss", "crash_cost", x_range=(0, 2, 5), y_range=(0, 2, 5))
    assert plotting.draw_regime_map(rmap, ax=axes[1], annotate=False) is axes[1]
    assert not axes[0].has_data()


def test_tornado_orders_bars_by_swing():
    table = oat_swing(
        lambda p: p["a"] + 5 * p["b"] - 2 * p["c"],
        {k: (0, 1) for k in "abc"},
        {k: 0.5 for k in "abc"},
        n=3,
    )
    ax = plotting.tornado(table)
    labels = [t.get_text().split()[0] for t in ax.get_yticklabels()]
    assert labels == ["a", "c", "b"]  # bottom-up: the largest swing is on top
    widths = sorted(abs(p.get_width()) for p in ax.patches)
    assert widths == pytest.approx([0.5, 0.5, 1, 1, 2.5, 2.5])
    assert any(p.get_hatch() == "//" for p in ax.patches)


def test_sobol_bars_have_error_bars_from_the_intervals():
    res = sobol(lambda p: p["a"] + 2 * p["b"], {"a": (0, 1), "b": (0, 1)}, n=256, seed=0, n_resamples=50)
    ax = plotting.sobol_bars(res)
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx(list(res.first) + list(res.total))
    segments = [c for c in ax.containers if hasattr(c, "lines")]
    assert len(segments) == 2


def test_branch_diagram_and_morris_plot():
    d = track_branches(CHICKEN, "crash_cost", low=0, high=3, n=31)
    ax = plotting.branch_diagram(d, coordinate=("Row", "Stand firm"))
    assert ax.get_ylabel() == "P(Row plays Stand firm)"
    assert any(np.allclose(line.get_xdata(), 1.0) for line in ax.get_lines())  # the event line
    res = morris(lambda p: p["a"] * p["b"], {"a": (0, 1), "b": (0, 1)}, trajectories=4, seed=0)
    ax = plotting.morris_plot(res)
    assert [t.get_text() for t in ax.texts] == ["a", "b"]


def test_regime_map_names_say_compute_or_draw():
    from deterrence.analysis import regimes
    from deterrence.plotting import figures

    assert figures.draw_regime_map is plotting.draw_regime_map
    assert regimes.compute_regime_map is not figures.draw_regime_map
    with pytest.warns(DeprecationWarning):  # the old shared name, kept for one release
        assert regimes.regime_map is regimes.compute_regime_map
    with pytest.warns(DeprecationWarning):
        assert plotting.regime_map is plotting.draw_regime_map


def test_regime_map_options_blank_cells_zero_contours_and_points():
    from deterrence.analysis.regimes import RegimeMap

    xs = ys = np.linspace(0, 1, 5)
    xx, yy = np.meshgrid(xs, ys)
    labels = np.where(xx + yy > 1.2, "", np.where(xx > 0.5, "p", "q"))
    field = xx - 0.5
    ax = plotting.draw_regime_map(
        RegimeMap("a", "b", xs, ys, labels),
        blank="",
        zero_contours={"a = 1/2": field},
        points={"calibration": (0.25, 0.25)},
        title="t",
    )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["q", "p"] and legend[2:] == ["a = 1/2", "calibration"]  # no entry for the blank cells
    assert ax.get_title() == "t"
    plt.close("all")


def test_tornado_options_name_the_ends_and_draw_references():
    table = oat_swing(lambda p: p["a"] - 3 * p["b"], {"a": (0, 1), "b": (0, 1)}, {"a": 0.5, "b": 0.5})
    ax = plotting.tornado(table, ends=("low", "high"), references={"switch": 0.25}, xlabel="margin")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"low", "high", "switch"} <= set(legend) and ax.get_xlabel() == "margin"
    assert 0.25 in [line.get_xdata()[0] for line in ax.get_lines()]
    plt.close("all")


def test_legends_go_outside_the_axes_by_default():
    rmap = compute_regime_map(CHICKEN, "face_loss", "crash_cost", x_range=(0, 2, 5), y_range=(0, 2, 5))
    ax = plotting.draw_regime_map(rmap, annotate=False)
    ax.figure.canvas.draw()
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1
    inside = plotting.draw_regime_map(rmap, annotate=False, legend_loc="upper right")
    inside.figure.canvas.draw()
    assert inside.get_legend().get_window_extent().x1 <= inside.get_window_extent().x1 + 1
    plt.close("all")


def test_parameter_label_names_meaning_unit_and_symbol():
    from deterrence.parameters import Parameter
    from deterrence.plotting.figures import parameter_label

    label = parameter_label(Parameter("k", 1, 0, 2, unit="payoff units", meaning="the cost of a strike"))
    assert label == "the cost of a strike (payoff units)\n[k]"
    assert parameter_label(Parameter("k", 1, 0, 2)) == "k"


def test_tree_drawing_colours_the_path_and_dot_highlights_it():
    from trees import entry_game

    from deterrence.io.dot import tree_dot
    from deterrence.plotting.tree import PATH_COLOUR, draw_tree, highlight_dot

    game = entry_game()
    ax = draw_tree(game, path=(0,))
    thick = [line for line in ax.get_lines() if line.get_linewidth() == 3.0]
    assert len(thick) == 1 and to_hex(thick[0].get_color()) == PATH_COLOUR.lower()
    dot = highlight_dot(tree_dot(game), game.root, (0,))
    assert dot.count("penwidth=3") == 1
    plt.close("all")
