"""Figures of the Iran-Pakistan report: belief simplex, regime maps, tornado.

Each figure is computed on a grid through the batched solver
:func:`~games.iran_pakistan.analysis.solve_continuation` (one call per
figure, no per-point loop) and drawn with matplotlib's object API (no
``pyplot`` state, no ``plt.show()``), in the Okabe & Ito (2008)
colour-blind-safe palette with a hatch per region for grayscale print.

* :func:`belief_map` -- Pakistan's optimal response over the belief simplex
  ``{(b, c): b, c >= 0, b + c <= 1}`` of the priors on a *broadening* and a
  *coercing* Iran (claim C10);
* :func:`outcome_map` -- the Bayesian equilibrium outcome (Pakistan's
  response, then the probability that Iran escalates) over two parameters,
  with the analytic C1 boundary ``min(c_1, c_2) = 0`` of
  :func:`~games.iran_pakistan.claims.retaliation_threshold` drawn on the
  cells where its premise holds (Pakistan's counter-escalation is credible
  and the set of motive types that answer a calibrated strike is the one at
  the calibration, or it is not credible and every type escalates);
* :func:`swings` -- one-at-a-time swings of an equilibrium measure when each
  third-party parameter moves over its range, the others at the calibration.

The ``plot_*`` functions take ``ax=None`` and return the ``Axes``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from games.iran_pakistan.analysis import CHOICES, TYPE_KEYS, any_tie, solve_continuation
from games.iran_pakistan.parameters import PARAMETERS, TYPE_LABELS

__all__ = [
    "ACTORS",
    "THIRD_PARTY",
    "actor_pair",
    "switches",
    "sobol_indices",
    "GridMap",
    "belief_map",
    "outcome_map",
    "swings",
    "plot_map",
    "plot_swings",
    "new_axes",
]

#: Name prefixes of the third parties' parameters (docs/argument.md): China, the United States,
#: India and the Afghan Taliban/TTP.
ACTORS = {"China": "china_", "United States": "us_", "India": "india_", "Afghan Taliban": "taliban_"}
#: The third-party parameters, in the order of the parameter table.
THIRD_PARTY = tuple(p.name for p in PARAMETERS if p.name.startswith(tuple(ACTORS.values())))
_PAIRS = {
    "China": ("china_mediation", "china_leverage"),
    "United States": ("us_pressure_on_iran", "us_ct_stake"),
    "India": ("india_emboldening", "india_second_front"),
}


def actor_pair(actor: str) -> tuple[str, str] | None:
    """The two parameters of ``actor`` a regime map spans: its named pair, else its first two.

    Examples
    --------
    >>> actor_pair("India")
    ('india_emboldening', 'india_second_front')
    """
    names = [p.name for p in PARAMETERS]
    preferred = _PAIRS.get(actor, ())
    if len(preferred) == 2 and all(n in names for n in preferred):
        return preferred[0], preferred[1]
    own = [n for n in names if n.startswith(ACTORS[actor])]
    return (own[0], own[1]) if len(own) >= 2 else None


@dataclass(frozen=True, eq=False)
class GridMap:
    """Outcome labels on a two-parameter grid, with the analytic C1 boundary field.

    ``labels[j, i]`` is the outcome at ``(x_values[i], y_values[j])`` (``""``
    outside the domain); ``analytic`` is ``min(c_1, c_2)`` of the C1
    conditions (NaN where their premise fails); ``agreement`` is the share of
    cells, among those where the premise holds, on which the analytic rule
    "retaliate iff min(c_1, c_2) > 0" matches the solver.
    """

    x: str
    y: str
    x_values: np.ndarray
    y_values: np.ndarray
    labels: np.ndarray
    retaliates: np.ndarray
    analytic: np.ndarray
    agreement: float
    ties: int
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def regimes(self) -> list[str]:
        """Distinct outcomes, largest area first."""
        names, counts = np.unique(self.labels[self.labels != ""], return_counts=True)
        return [str(names[i]) for i in np.argsort(-counts, kind="stable")]


def _point(v: dict[str, Any], shape: tuple[int, ...]) -> dict[str, np.ndarray]:
    return {k: np.full(shape, float(x)) for k, x in v.items()}


def _labels(out: dict[str, np.ndarray], detail: bool = True) -> np.ndarray:
    """Outcome text per point: Pakistan's response and, with ``detail``, which motive types escalate.

    The set of escalating types is discrete, so a map has few regimes even
    where the escalation probability varies continuously (over the priors).
    """
    choice = np.asarray(out["choice"])
    text = np.array([CHOICES[c] if c == 0 else f"{CHOICES[c]} strike" for c in range(3)], dtype=object)[choice]
    if not detail:
        return text
    for c in (1, 2):
        rows = choice == c
        bits = sum(
            (np.asarray(out[f"escalates/{CHOICES[c]}/{t}"])[rows].astype(int) << k) for k, t in enumerate(TYPE_KEYS)
        )
        replies = np.array([_reply(code) for code in range(2 ** len(TYPE_KEYS))], dtype=object)
        text[rows] = text[rows] + ", " + replies[bits]
    return text


def _reply(code: int) -> str:
    """Iran's reply for a bit set of escalating types (bit k: type ``TYPE_KEYS[k]``)."""
    who = [TYPE_LABELS[t] for k, t in enumerate(TYPE_KEYS) if code >> k & 1]
    if not who:
        return "Iran stands down"
    if len(who) == len(TYPE_KEYS):
        return "every type of Iran escalates"
    return " and ".join(who) + (" types escalate" if len(who) > 1 else " type escalates")


def _c1_field(v: dict[str, Any], point: dict[str, np.ndarray], out: dict[str, np.ndarray]) -> np.ndarray:
    """``min(c_1, c_2)`` of the C1 conditions on the grid, NaN where their premise fails."""
    import sympy

    from games.iran_pakistan.claims import retaliation_threshold

    info = retaliation_threshold(v)
    symbols = [p.symbol for p in PARAMETERS]
    args = [point[p.name] for p in PARAMETERS]
    c1, c2 = (
        np.broadcast_to(
            np.asarray(sympy.lambdify(symbols, c, "numpy")(*args), dtype=float), point["precedent_loss"].shape
        )
        for c in info["conditions"]
    )
    same_set = np.ones(c1.shape, dtype=bool)
    all_escalate = np.ones(c1.shape, dtype=bool)
    for t in TYPE_KEYS:
        escalates = out[f"escalates/calibrated/{t}"]
        same_set &= escalates == (t in info["escalating_types"])
        all_escalate &= escalates
    # The two conditions hold in the calibration's regime: Pakistan's counter-escalation credible (c_1 > 0)
    # and the same types escalating; without credibility they decide only where every type escalates.
    premise = (same_set & (c1 > 0)) | ((c1 <= 0) & all_escalate)
    return np.where(premise, np.minimum(c1, c2), np.nan)


def _grid_map(
    v: dict[str, Any],
    x: str,
    y: str,
    xs: np.ndarray,
    ys: np.ndarray,
    inside: np.ndarray | None = None,
    detail: bool = True,
) -> GridMap:
    xx, yy = np.meshgrid(xs, ys)
    inside = np.ones(xx.shape, dtype=bool) if inside is None else inside
    point = _point(v, (int(inside.sum()),))
    point[x], point[y] = xx[inside], yy[inside]
    out = solve_continuation(point)
    labels = np.full(xx.shape, "", dtype=object)
    labels[inside] = _labels(out, detail)
    retaliates = np.zeros(xx.shape, dtype=bool)
    retaliates[inside] = out["retaliates"]
    analytic = np.full(xx.shape, np.nan)
    analytic[inside] = _c1_field(v, point, out)
    tie = any_tie(out)
    checked = ~np.isnan(analytic[inside]) & ~tie
    agreement = float(np.mean((analytic[inside][checked] > 0) == out["retaliates"][checked])) if checked.any() else 1.0
    regimes = {str(k): float(np.mean(labels[inside] == k)) for k in np.unique(labels[inside])}
    return GridMap(
        x,
        y,
        xs,
        ys,
        labels,
        retaliates,
        analytic,
        agreement,
        int(tie.sum()),
        {
            "share_of_cells": regimes,
            "cells": int(inside.sum()),
            "c1_premise_cells": int(checked.sum()),
            "c1_agreement": agreement,
        },
    )


def belief_map(values: dict[str, Any], n: int = 121) -> GridMap:
    """Pakistan's optimal response over the simplex of priors (``prior_broaden``, ``prior_coerce``).

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> m = belief_map(values_for(), n=11)
    >>> m.labels[0, 0], m.labels[0, 10], m.agreement
    ('calibrated strike', 'absorb', 1.0)
    """
    grid = np.linspace(0.0, 1.0, n)
    bb, cc = np.meshgrid(grid, grid)
    return _grid_map(values, "prior_broaden", "prior_coerce", grid, grid, bb + cc <= 1 + 1e-12, detail=False)


def outcome_map(values: dict[str, Any], x: str, y: str, n: int = 121) -> GridMap:
    """The Bayesian equilibrium outcome over parameters ``x`` and ``y`` (each over its range).

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> m = outcome_map(values_for(), "india_emboldening", "india_second_front", n=11)
    >>> sorted(m.regimes), m.agreement
    (['absorb', 'calibrated strike, broaden type escalates'], 1.0)
    """
    xs = np.linspace(float(PARAMETERS[x].low), float(PARAMETERS[x].high), n)
    ys = np.linspace(float(PARAMETERS[y].low), float(PARAMETERS[y].high), n)
    return _grid_map(values, x, y, xs, ys)


def swings(
    values: dict[str, Any],
    names: tuple[str, ...] = THIRD_PARTY,
    measure: str = "retaliation_margin",
    n: int = 41,
) -> dict[str, np.ndarray | float | tuple[str, ...]]:
    """One-at-a-time sweeps of ``measure`` over each parameter's range (one batched solve).

    Returns ``names``, ``low``/``high`` bounds, the measure at each end, its
    minimum and maximum over the sweep and at the calibration (``baseline``).

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> s = swings(values_for(), ("us_ct_stake",), n=3)
    >>> bool(s["min"][0] <= s["baseline"] <= s["max"][0]), s["at_low"].shape
    (True, (1,))
    """
    k = len(names)
    point = _point(values, (k * n + 1,))
    for i, name in enumerate(names):
        p = PARAMETERS[name]
        point[name][i * n : (i + 1) * n] = np.linspace(float(p.low), float(p.high), n)
    result = np.asarray(solve_continuation(point)[measure], dtype=float)
    per = result[:-1].reshape(k, n)
    return {
        "names": tuple(names),
        "low": np.array([float(PARAMETERS[a].low) for a in names]),
        "high": np.array([float(PARAMETERS[a].high) for a in names]),
        "at_low": per[:, 0],
        "at_high": per[:, -1],
        "min": per.min(axis=1),
        "max": per.max(axis=1),
        "baseline": float(result[-1]),
        "measure": measure,
    }


# -- drawing ------------------------------------------------------------------------------
def new_axes(figsize: tuple[float, float] = (6.4, 4.8), ncols: int = 1) -> tuple[Any, Any]:
    """A figure on the Agg canvas (no pyplot state) and its axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots(1, ncols)


def plot_map(m: GridMap, ax: Any = None, *, baseline: dict[str, Any] | None = None, title: str = "") -> Any:
    """Draw a :class:`GridMap` with :func:`deterrence.plotting.draw_regime_map`: a colour and a
    hatch per outcome, the analytic C1 boundary dashed, the calibration starred.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> ax = plot_map(belief_map(values_for(), n=11))
    >>> ax.get_xlabel().endswith("(probability)\\n[prior_broaden]")
    True
    """
    from deterrence.analysis.regimes import RegimeMap
    from deterrence.plotting.figures import draw_regime_map, parameter_label

    if ax is None:
        _, ax = new_axes()
    rmap = RegimeMap(m.x, m.y, m.x_values, m.y_values, m.labels.astype(str))
    return draw_regime_map(
        rmap,
        ax,
        annotate=False,
        wrap=32,
        blank="",
        zero_contours={"C1 threshold (analytic)": m.analytic},
        points={} if baseline is None else {"calibration": (baseline[m.x], baseline[m.y])},
        title=title,
        legend_loc="outside",
        xlabel=parameter_label(PARAMETERS[m.x]),
        ylabel=parameter_label(PARAMETERS[m.y]),
    )


def plot_swings(s: dict[str, Any], ax: Any = None, *, label: str = "", unit: str = "", title: str = "") -> Any:
    """Tornado chart of :func:`swings` (:func:`deterrence.plotting.tornado`), largest swing on top.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> ax = plot_swings(swings(values_for(), ("us_ct_stake", "china_mediation"), n=5))
    >>> [t.get_text().split()[0] for t in ax.get_yticklabels()]
    ['china_mediation', 'us_ct_stake']
    """
    from deterrence.plotting.figures import tornado
    from deterrence.sensitivity.oat import SwingTable

    if ax is None:
        _, ax = new_axes()
    table = SwingTable(
        s["names"], s["low"], s["high"], s["at_low"], s["at_high"], s["min"], s["max"], s["baseline"], {}, s["measure"]
    )
    references = {"absorb / retaliate switch": 0.0} if s["measure"] == "retaliation_margin" else {}
    return tornado(
        table,
        ax,
        ends=("parameter at its lower bound", "parameter at its upper bound"),
        references=references,
        xlabel=textwrap.fill(f"{label or s['measure']}" + (f" ({unit})" if unit else ""), 60)
        + f"\ncalibration: {s['baseline']:.3g}",
        legend_loc="below",
        title=title,
    )


def switches(values: dict[str, Any], names: tuple[str, ...] | None = None, n: int = 201) -> list[dict[str, Any]]:
    """Where the equilibrium outcome changes along each parameter, the others at the calibration.

    The outcome is Pakistan's response and which motive types of Iran escalate against it (the
    labels of the regime maps).  One batched solve of ``n`` points per parameter over its range;
    for each parameter the change nearest the calibration is returned as
    ``{"parameter", "at", "baseline", "low", "high", "before", "after", "response_changes",
    "distance"}`` (``at``: the grid midpoint of the change; ``before``: the outcome at the
    calibration's side; ``distance``: from the calibration, as a share of the range), nearest first.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> found = switches(values_for(), ("precedent_loss",), n=101)
    >>> [s["parameter"] for s in found], all(s["before"] != s["after"] for s in found)
    (['precedent_loss'], True)
    """
    names = tuple(p.name for p in PARAMETERS) if names is None else names
    k = len(names)
    point = _point(values, (k * n,))
    grids = []
    for i, name in enumerate(names):
        p = PARAMETERS[name]
        grids.append(np.linspace(float(p.low), float(p.high), n))
        point[name][i * n : (i + 1) * n] = grids[-1]
    out = solve_continuation(point)
    labels = _labels(out).reshape(k, n)
    choice = np.asarray(out["choice"]).reshape(k, n)
    found = []
    for i, name in enumerate(names):
        p, grid, base = PARAMETERS[name], grids[i], float(values[name])
        changes = [j for j in range(n - 1) if labels[i, j] != labels[i, j + 1]]
        if not changes:
            continue
        j = min(changes, key=lambda j: abs((grid[j] + grid[j + 1]) / 2 - base))
        at = float((grid[j] + grid[j + 1]) / 2)
        near, far = (j, j + 1) if at > base else (j + 1, j)
        span = float(p.high) - float(p.low)
        found.append(
            {
                "parameter": name,
                "at": at,
                "baseline": base,
                "low": float(p.low),
                "high": float(p.high),
                "before": str(labels[i, near]),
                "after": str(labels[i, far]),
                "response_changes": bool(choice[i, near] != choice[i, far]),
                "distance": abs(at - base) / span if span else 0.0,
            }
        )
    return sorted(found, key=lambda s: (s["distance"], s["parameter"]))


def sobol_indices(
    values: dict[str, Any],
    measure: str,
    names: tuple[str, ...] = THIRD_PARTY,
    n: int = 256,
    seed: int = 20240118,
) -> Any:
    """Sobol' indices (:func:`deterrence.sensitivity.analyse.sobol`) of ``measure`` over ``names``.

    The parameters vary uniformly over their ranges, the others stay at the calibration; the
    batched solver evaluates all ``(len(names) + 2) * n`` points at once.  Returns None when the
    measure does not vary over the box (the indices are undefined).

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> res = sobol_indices(values_for(), "retaliation_margin", ("us_ct_stake", "china_mediation"), n=64)
    >>> res.names, bool(res.total[0] > res.total[1])
    (('us_ct_stake', 'china_mediation'), True)
    """
    from deterrence.errors import DeterrenceError
    from deterrence.sensitivity.analyse import sobol

    def function(sample: Mapping[str, np.ndarray]) -> np.ndarray:
        size = len(next(iter(sample.values())))
        point = _point(values, (size,))
        point.update({k: np.asarray(x, dtype=float) for k, x in sample.items()})
        return np.asarray(solve_continuation(point)[measure], dtype=float)

    bounds = {name: (float(PARAMETERS[name].low), float(PARAMETERS[name].high)) for name in names}
    try:
        with np.errstate(divide="ignore", invalid="ignore"):  # a resample without variance has no index
            return sobol(function, bounds, n=n, seed=seed, n_resamples=200, measure=measure)
    except DeterrenceError:
        return None
