"""Figures for sweeps and sensitivity: regime maps, tornado charts, branch diagrams, Sobol bars.

Every function takes ``ax=None`` (a new figure is made when it is None),
draws, and returns the :class:`matplotlib.axes.Axes`; none calls
``plt.show()``.  Colours follow the Okabe & Ito (2008) colour-blind-safe
palette and every filled region or bar also gets a hatch pattern, so the
figures survive grayscale printing.  Legends go outside the axes by default
(``legend_loc="outside"``: to the right; ``"below"``: under the axes; any
matplotlib location puts them back inside), so they never cover data;
:func:`parameter_label` writes an axis label from a parameter's meaning and
unit.  Save the figures as SVG or PDF for print.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "PALETTE",
    "HATCHES",
    "parameter_label",
    "place_legend",
    "draw_regime_map",
    "tornado",
    "branch_diagram",
    "sobol_bars",
    "morris_plot",
]

#: Okabe & Ito (2008) colour-blind-safe palette (black last).
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
#: Hatch patterns paired with the palette, for grayscale print.
HATCHES = ("", "//", "\\\\", "..", "xx", "--", "oo", "++")
_LINESTYLES = ("-", "--", "-.", ":")


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    return ax


def parameter_label(parameter: Any, width: int = 48) -> str:
    """An axis label for a parameter: its meaning and unit, wrapped, then its name.

    ``parameter`` is a :class:`~deterrence.parameters.Parameter` (anything with ``name``,
    ``meaning`` and ``unit``) or a plain name, returned as it is.

    Examples
    --------
    >>> from deterrence.parameters import Parameter
    >>> p = Parameter("crash_cost", 2, 0, 10, unit="payoff units", meaning="cost of a crash to each driver")
    >>> print(parameter_label(p))
    cost of a crash to each driver (payoff units)
    [crash_cost]
    >>> print(parameter_label("x"))
    x
    """
    if isinstance(parameter, str):
        return parameter
    name = str(getattr(parameter, "name", parameter))
    meaning = str(getattr(parameter, "meaning", "") or "").strip()
    unit = str(getattr(parameter, "unit", "") or "").strip()
    if not meaning:
        return f"{name} ({unit})" if unit else name
    text = textwrap.fill(meaning, width)
    return f"{text} ({unit})\n[{name}]" if unit else f"{text}\n[{name}]"


def place_legend(ax: Any, handles: Any = None, *, loc: str = "outside", fontsize: float = 7, **kwargs: Any) -> Any:
    """Add a legend to ``ax``: ``"outside"`` to the right of the axes, ``"below"`` under them,
    or a matplotlib location inside.  Returns the Legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = _axes(None)
    >>> _ = ax.plot([0, 1], [0, 1], label="line")
    >>> legend = place_legend(ax)
    >>> print(legend.get_bbox_to_anchor().bounds[0] > ax.get_window_extent().bounds[0])
    True
    """
    extra: dict[str, Any] = {"fontsize": fontsize, **kwargs}
    if handles is not None:
        extra["handles"] = handles
    if loc == "outside":
        return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **extra)
    if loc == "below":
        extra.setdefault("ncols", 2)
        return ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), borderaxespad=0.0, **extra)
    return ax.legend(loc=loc, framealpha=0.9, **extra)


def _curve(boundary: Any, rmap: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """(xs, ys) of a boundary: a callable y(x), a sympy expression in x, or a Threshold."""
    xs = np.linspace(rmap.x_values[0], rmap.x_values[-1], 400)
    ys_axis = np.linspace(rmap.y_values[0], rmap.y_values[-1], 400)
    parameter, expr = rmap.y, boundary
    if hasattr(boundary, "formula"):  # a Threshold: parameter = formula(other parameters)
        if boundary.formula is None:
            return None
        parameter, expr = boundary.parameter, boundary.formula
    if callable(expr) and not hasattr(expr, "free_symbols"):
        return xs, np.asarray(expr(xs), dtype=float) * np.ones_like(xs)
    against = rmap.x if parameter == rmap.y else rmap.y
    function = boundary_function(expr, against, rmap.baseline)
    if parameter == rmap.y:
        return xs, np.asarray(function(xs), dtype=float) * np.ones_like(xs)
    return np.asarray(function(ys_axis), dtype=float) * np.ones_like(ys_axis), ys_axis


def draw_regime_map(
    rmap: Any,
    ax: Any = None,
    *,
    boundaries: Mapping[str, Any] | None = None,
    annotate: bool = True,
    legend: bool = True,
    wrap: int = 28,
    blank: str | None = None,
    zero_contours: Mapping[str, np.ndarray] | None = None,
    points: Mapping[str, tuple[float, float]] | None = None,
    title: str = "",
    legend_loc: str = "outside",
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Any:
    """Draw a :class:`~deterrence.regimes.RegimeMap`: one colour and hatch per outcome.

    Parameters
    ----------
    rmap : RegimeMap
    ax : matplotlib Axes, optional
    boundaries : mapping, optional
        ``{legend label: boundary}`` drawn as black lines; a boundary is a
        callable ``y(x)``, a sympy expression for ``y`` in terms of ``x`` (other
        parameters at the map's baseline), or a
        :class:`~deterrence.thresholds.Threshold` whose formula gives either
        axis parameter in terms of the other.
    annotate : bool
        Write each regime's label at the centre of its largest area.
    legend : bool
    wrap : int
        Wrap long labels at this width.
    blank : str, optional
        A label that marks cells outside the map's domain: they are left unfilled.
    zero_contours : mapping, optional
        ``{legend label: field}``: the zero level of each field (shape of ``rmap.outcome``, NaN
        where undefined) drawn as a dashed black line, when the field changes sign.
    points : mapping, optional
        ``{legend label: (x, y)}`` marked with a white star (a calibration, a baseline).
    title : str
    legend_loc : str
        ``"outside"`` (default, right of the axes), ``"below"``, or a matplotlib location.
    xlabel, ylabel : str, optional
        Axis labels (default: the parameter names; see :func:`parameter_label`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from deterrence.analysis.regimes import RegimeMap
    >>> m = RegimeMap("a", "b", np.linspace(0, 1, 3), np.linspace(0, 1, 3),
    ...               np.array([["p", "p", "q"], ["p", "q", "q"], ["q", "q", "q"]]))
    >>> ax = draw_regime_map(m, boundaries={"b = 1 - a": lambda a: 1 - a})
    >>> ax.get_xlabel(), len(ax.get_lines())
    ('a', 1)
    """
    ax = _axes(ax)
    labels = [label for label in rmap.labels if blank is None or label != blank]
    codes = np.full(rmap.outcome.shape, np.nan)
    for k, label in enumerate(labels):
        codes[rmap.outcome == label] = k
    codes = np.ma.masked_invalid(codes)
    colours = [PALETTE[k % len(PALETTE)] for k in range(len(labels))]
    hatches = [HATCHES[k % len(HATCHES)] for k in range(len(labels))]
    levels = np.arange(len(labels) + 1) - 0.5
    if len(labels) == 1:
        levels = np.array([-0.5, 0.5])
    ax.contourf(
        rmap.x_values,
        rmap.y_values,
        codes,
        levels=levels,
        colors=colours,
        hatches=hatches,
        alpha=0.85,
    )
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(facecolor=c, hatch=h, edgecolor="0.25", label=textwrap.fill(str(lab), wrap))
        for c, h, lab in zip(colours, hatches, labels, strict=True)
    ]
    for k, (name, boundary) in enumerate((boundaries or {}).items()):
        curve = _curve(boundary, rmap)
        if curve is not None:
            (line,) = ax.plot(*curve, color="black", linestyle=_LINESTYLES[k % 4], linewidth=1.6, label=name)
            handles.append(line)
    from matplotlib.lines import Line2D

    for name, values in (zero_contours or {}).items():
        masked = np.ma.masked_invalid(values)
        if masked.count() and masked.min() < 0 < masked.max():
            ax.contour(
                rmap.x_values, rmap.y_values, masked, levels=[0.0], colors="black", linestyles="--", linewidths=1.6
            )
            handles.append(Line2D([], [], color="black", linestyle="--", label=name))
    for name, (px, py) in (points or {}).items():
        star: dict[str, Any] = {"marker": "*", "color": "black", "markerfacecolor": "white", "linestyle": "none"}
        ax.plot([float(px)], [float(py)], markersize=12, **star)
        handles.append(Line2D([], [], markersize=10, label=name, **star))
    if annotate:
        xx, yy = np.meshgrid(rmap.x_values, rmap.y_values)
        for k, label in enumerate(labels):
            mask = codes == k
            i = np.argmin(np.abs(xx[mask] - np.median(xx[mask])) + np.abs(yy[mask] - np.median(yy[mask])))
            ax.annotate(
                textwrap.fill(str(label), wrap),
                (xx[mask][i], yy[mask][i]),
                ha="center",
                va="center",
                fontsize=7,
                bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.8},
            )
    ax.set_xlim(rmap.x_values[0], rmap.x_values[-1])
    ax.set_ylim(rmap.y_values[0], rmap.y_values[-1])
    ax.set_xlabel(xlabel or rmap.x)
    ax.set_ylabel(ylabel or rmap.y)
    if title:
        ax.set_title(title, fontsize=10)
    if legend:
        place_legend(ax, handles, loc=legend_loc)
    return ax


def tornado(
    table: Any,
    ax: Any = None,
    *,
    top: int | None = None,
    ends: tuple[str, str] = ("at the low end", "at the high end"),
    references: Mapping[str, float] | None = None,
    xlabel: str | None = None,
    legend_loc: str = "outside",
    title: str = "",
    labels: Mapping[str, str] | None = None,
) -> Any:
    """Tornado chart of a :class:`~deterrence.sensitivity.SwingTable`, largest swing on top.

    Each bar runs from the baseline output to the output at the parameter's
    low end (one colour) and high end (another, hatched); a thin line marks
    the full range when the response is not monotone.  ``ends`` names the two bars in the
    legend, ``references`` adds labelled dotted vertical lines (a switch point), ``xlabel``
    replaces the default axis label, ``labels`` maps parameter names to the text of their
    ticks (the range is appended), ``title`` titles the axes; the legend goes outside the bars
    by default (:func:`place_legend`).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from deterrence.sensitivity.analyse import oat_swing
    >>> box, base = {"a": (0, 1), "b": (0, 1)}, {"a": 0.5, "b": 0.5}
    >>> t = oat_swing(lambda p: p["a"] - 3 * p["b"], box, base)
    >>> [tick.get_text() for tick in tornado(t).get_yticklabels()]
    ['a [0, 1]', 'b [0, 1]']
    """
    ax = _axes(ax)
    order = list(table.order()[: top or None])[::-1]  # barh draws bottom-up
    base = table.baseline_output
    y = np.arange(len(order))
    ax.barh(
        y,
        table.output_low[order] - base,
        left=base,
        color=PALETTE[4],
        edgecolor="0.2",
        label=ends[0],
    )
    ax.barh(
        y,
        table.output_high[order] - base,
        left=base,
        color=PALETTE[0],
        hatch="//",
        edgecolor="0.2",
        label=ends[1],
    )
    ax.hlines(
        y,
        table.output_min[order],
        table.output_max[order],
        color="black",
        linewidth=1,
        label="range over the sweep",
    )
    ax.axvline(base, color="black", linewidth=1, linestyle="--")
    for name, value in (references or {}).items():
        ax.axvline(float(value), color=PALETTE[5], linewidth=1.2, linestyle=":", label=name)
    names = labels or {}
    ax.set_yticks(
        y, [f"{names.get(table.names[i], table.names[i])} [{table.low[i]:g}, {table.high[i]:g}]" for i in order]
    )
    ax.set_xlabel(xlabel or f"{table.measure or 'output'} (baseline {base:.3g})")
    ax.set_ylabel("parameter [the range it is swept over]")
    if title:
        ax.set_title(title, fontsize=10)
    place_legend(ax, loc=legend_loc)
    return ax


def branch_diagram(diagram: Any, ax: Any = None, *, coordinate: tuple[str, str] | int | None = None) -> Any:
    """Plot each equilibrium branch: one strategy's probability against the parameter.

    ``coordinate`` is ``(player, strategy)`` or a column index (default: the
    row player's last strategy).  Events are dotted vertical lines; degenerate
    grid points are marked with crosses on the axis.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from deterrence.model import Model
    >>> from deterrence.analysis.branches import track_branches
    >>> from games.classic import chicken, CHICKEN_PARAMETERS
    >>> m = Model("c", "C", "", chicken, CHICKEN_PARAMETERS)
    >>> d = track_branches(m, "crash_cost", low=0, high=3, n=31)
    >>> ax = branch_diagram(d, coordinate=("Row", "Stand firm"))
    >>> len(ax.get_lines()) >= 3
    True
    """
    ax = _axes(ax)
    if coordinate is None:
        column = sum(p == diagram.coordinates[0][0] for p, _ in diagram.coordinates) - 1
    elif isinstance(coordinate, int):
        column = coordinate
    else:
        column = diagram.coordinate(*coordinate)
    for k, branch in enumerate(diagram.branches):
        ax.plot(
            branch.values,
            branch.profiles[:, column],
            color=PALETTE[k % len(PALETTE)],
            linestyle=_LINESTYLES[k % 4],
            linewidth=2,
            marker="o" if len(branch.values) == 1 else None,
            label=f"branch {branch.index}",
        )
    for value in sorted({round(e.value, 12) for e in diagram.events}):
        ax.axvline(value, color="0.3", linestyle=":", linewidth=1)
    if diagram.degenerate.any():
        ax.plot(
            diagram.grid[diagram.degenerate],
            np.full(int(diagram.degenerate.sum()), -0.04),
            "x",
            color="black",
            clip_on=False,
            label="degenerate point",
        )
    player, strategy = diagram.coordinates[column]
    ax.set_xlabel(diagram.parameter)
    ax.set_ylabel(f"P({player} plays {strategy})")
    ax.set_ylim(-0.06, 1.06)
    place_legend(ax)
    return ax


def sobol_bars(
    result: Any,
    ax: Any = None,
    *,
    title: str = "",
    ylabel: str | None = None,
    labels: Mapping[str, str] | None = None,
    legend_loc: str = "outside",
) -> Any:
    """First-order and total Sobol' indices as grouped bars with confidence-interval error bars.

    ``labels`` maps parameter names to their tick text, ``ylabel`` replaces the axis label and
    ``title`` titles the axes; the legend goes outside the bars by default.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from deterrence.sensitivity.analyse import sobol
    >>> box = {"a": (0, 1), "b": (0, 1)}
    >>> res = sobol(lambda p: p["a"] + 2 * p["b"], box, n=256, seed=0, n_resamples=50)
    >>> len(sobol_bars(res).patches)
    4
    """
    ax = _axes(ax)
    x = np.arange(len(result.names))
    for k, (name, values, ci) in enumerate(
        (
            ("first order $S_i$", result.first, result.first_ci),
            ("total $S_{T_i}$", result.total, result.total_ci),
        )
    ):
        err = np.abs(np.stack([values - ci[:, 0], ci[:, 1] - values]))
        ax.bar(
            x + (k - 0.5) * 0.38,
            values,
            width=0.38,
            yerr=err,
            capsize=3,
            color=PALETTE[4 * k],
            hatch=HATCHES[k],
            edgecolor="0.2",
            label=name,
        )
    ticks = [(labels or {}).get(n, n) for n in result.names]
    ax.set_xticks(x, ticks, rotation=30 if len(x) > 4 else 0, ha="right" if len(x) > 4 else "center")
    ax.set_xlabel("parameter (varied uniformly over its range)")
    ax.set_ylabel(ylabel or f"Sobol' index of {result.measure or 'output'} (share of variance)")
    ax.axhline(0, color="black", linewidth=0.8)
    if title:
        ax.set_title(title, fontsize=10)
    place_legend(ax, loc=legend_loc, fontsize=8, title=f"{int(result.confidence_level * 100)}% CI", title_fontsize=8)
    return ax


def morris_plot(result: Any, ax: Any = None) -> Any:
    """Morris screening: :math:`\\mu^*` (with CI) against :math:`\\sigma`, one point per parameter.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from deterrence.sensitivity.analyse import morris
    >>> res = morris(lambda p: p["a"] * p["b"], {"a": (0, 1), "b": (0, 1)}, trajectories=4, seed=0)
    >>> morris_plot(res).get_xlabel()
    '$\\\\mu^*$ (mean |elementary effect|)'
    """
    ax = _axes(ax)
    err = np.abs(np.stack([result.mu_star - result.mu_star_ci[:, 0], result.mu_star_ci[:, 1] - result.mu_star]))
    ax.errorbar(result.mu_star, result.sigma, xerr=err, fmt="o", color=PALETTE[4], ecolor="0.4", capsize=3)
    for name, mu, sd in zip(result.names, result.mu_star, result.sigma, strict=True):
        ax.annotate(name, (mu, sd), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlabel(r"$\mu^*$ (mean |elementary effect|)")
    ax.set_ylabel(r"$\sigma$ (spread of effects)")
    return ax


def boundary_function(expr: Any, x: str, baseline: Mapping[str, float]) -> Callable[[np.ndarray], np.ndarray]:
    """``y(x)`` from a sympy expression with the other parameters fixed at ``baseline``.

    Examples
    --------
    >>> import sympy
    >>> a, b = sympy.symbols("a b")
    >>> print(boundary_function(a + b, "a", {"b": 2.0})(np.array([1.0])))
    [3.]
    """
    import sympy

    free = {str(s): s for s in expr.free_symbols}
    fixed = {s: baseline.get(n, np.nan) for n, s in free.items() if n != x}
    return sympy.lambdify([free.get(x, sympy.Symbol(x))], expr.xreplace(fixed), "numpy")
