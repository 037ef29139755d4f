"""Regime maps: the equilibrium outcome over a grid of two parameters.

For parameters :math:`x` and :math:`y` (the others held at a baseline) the
map evaluates the model's outcome label :math:`\\ell(x_i, y_j)` on an
:math:`n_x \\times n_y` grid.  A *regime* is a set of cells with one label;
its boundary is where some best response or equilibrium switches, which
:mod:`deterrence.thresholds` locates precisely and, where the model allows,
writes as a formula.  Degenerate cells (a point on a boundary, where payoffs
tie) keep their own label and are never dropped.

Two functions used to share the name ``regime_map``; each now says what it does:

* :func:`compute_regime_map` (here) evaluates a model on the grid and returns a :class:`RegimeMap`;
* :func:`deterrence.plotting.draw_regime_map` draws a :class:`RegimeMap` (also ``RegimeMap.plot``).

:func:`regime_map_from_frame` builds the same :class:`RegimeMap` from a sweep table instead of
evaluating the model.  The old name ``deterrence.analysis.regimes.regime_map`` still gives
:func:`compute_regime_map` for one release, with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.plotting.lazy import drawer

__all__ = ["RegimeMap", "compute_regime_map", "regime_map_from_frame"]


@dataclass(frozen=True, eq=False)
class RegimeMap:
    """Outcome labels on a two-parameter grid.

    Made by :func:`compute_regime_map` (evaluating a model) or
    :func:`regime_map_from_frame` (from a sweep table).  ``regions()`` gives
    the share of each label, ``label_at(x, y)`` the label of a point,
    ``to_frame()`` a tidy table (one row per cell) and ``plot(ax=None,
    **kwargs)`` draws it with :func:`deterrence.plotting.draw_regime_map`.

    Attributes
    ----------
    x, y : str
        Parameter names (x across columns, y down rows).
    x_values, y_values : ndarray
        Grid values, increasing.
    outcome : ndarray of str, shape (len(y_values), len(x_values))
        ``outcome[j, i]`` is the label at ``(x_values[i], y_values[j])``.
    measures : dict of str to ndarray
        Numeric columns of the model on the same grid.
    model : str
        Model slug.
    concept : str
        Solution concept.
    baseline : dict
        Values of the other parameters.
    """

    x: str
    y: str
    x_values: np.ndarray
    y_values: np.ndarray
    outcome: np.ndarray
    measures: dict[str, np.ndarray] = field(default_factory=dict)
    model: str = ""
    concept: str = ""
    baseline: dict[str, float] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        """Distinct outcome labels, most frequent first (ties by name)."""
        names, counts = np.unique(self.outcome, return_counts=True)
        return [str(n) for _, n in sorted(zip(-counts, names, strict=True))]

    def regions(self) -> dict[str, float]:
        """Share of grid cells of each label.

        Examples
        --------
        >>> cells = np.array([["p", "q"], ["q", "q"]])
        >>> m = RegimeMap("a", "b", np.arange(2.0), np.arange(2.0), cells)
        >>> m.regions()
        {'q': 0.75, 'p': 0.25}
        """
        total = self.outcome.size
        return {label: float((self.outcome == label).sum() / total) for label in self.labels}

    def label_at(self, x: float, y: float) -> str:
        """Label of the grid cell nearest to ``(x, y)``."""
        i = int(np.abs(self.x_values - x).argmin())
        j = int(np.abs(self.y_values - y).argmin())
        return str(self.outcome[j, i])

    def to_frame(self) -> Any:
        """Tidy table: one row per cell, columns ``x``, ``y``, ``outcome`` and the measures."""
        import pandas as pd

        xx, yy = np.meshgrid(self.x_values, self.y_values)
        data = {self.x: xx.ravel(), self.y: yy.ravel(), "outcome": self.outcome.ravel()}
        data.update({k: v.ravel() for k, v in self.measures.items()})
        return pd.DataFrame(data)

    plot = drawer("draw_regime_map")

    def __repr__(self) -> str:
        return (
            f"<RegimeMap {self.model or '?'}: {self.x} x {self.y}, "
            f"{self.outcome.shape[1]}x{self.outcome.shape[0]} cells, {len(self.labels)} regimes>"
        )


def _axis(model: Any, name: str, spec: Any, n: int) -> np.ndarray:
    parameter = model.parameters[name]
    if spec is None:
        low, high, count = float(parameter.low), float(parameter.high), n
    else:
        low, high, *rest = spec
        count = int(rest[0]) if rest else n
        low, high = float(parameter.validate(low)), float(parameter.validate(high))
    if low >= high:
        raise DeterrenceError(f"regime map axis {name!r}: low {low:g} must be below high {high:g}")
    if count < 2:
        raise DeterrenceError(f"regime map axis {name!r} needs at least 2 points, got {count}")
    return np.linspace(low, high, count)


def compute_regime_map(
    model: Any,
    x: str,
    y: str,
    *,
    x_range: tuple | None = None,
    y_range: tuple | None = None,
    n: int = 101,
    baseline: Mapping[str, Any] | None = None,
    concept: str | None = None,
    executor: Any = None,
) -> RegimeMap:
    """Evaluate a model's outcome on an ``x`` by ``y`` grid, other parameters at ``baseline``.

    This computes the map; :func:`deterrence.plotting.draw_regime_map` (or
    :meth:`RegimeMap.plot`) draws it.  To reuse a sweep you already have, see
    :func:`regime_map_from_frame`.

    Parameters
    ----------
    model : Model
    x, y : str
        The two parameters (distinct).
    x_range, y_range : tuple, optional
        ``(low, high)`` or ``(low, high, n)``; the parameter's bounds by default.
    n : int
        Points per axis when a range gives none.
    baseline : mapping, optional
        Values of the other parameters (defaults otherwise).
    concept : str, optional
        Solution concept (the model's default otherwise).
    executor : concurrent.futures.Executor, optional
        Runs the chunks (serial by default).

    Returns
    -------
    RegimeMap

    Examples
    --------
    Chicken (Snyder & Diesing 1977): three equilibria when the crash cost
    exceeds the face loss, otherwise standing firm dominates.

    >>> from deterrence.model import Model
    >>> from deterrence.analysis.outcomes import normal_form_outcomes
    >>> from games.classic import chicken, CHICKEN_PARAMETERS
    >>> f = normal_form_outcomes(chicken)
    >>> m = Model("chicken", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=f)
    >>> r = compute_regime_map(m, "face_loss", "crash_cost", x_range=(0, 4, 5), y_range=(0.5, 4.5, 5))
    >>> r.label_at(1, 4.5), r.label_at(4, 0.5)
    ('Swerve/Stand firm | Stand firm/Swerve | mixed', 'Stand firm/Stand firm')
    """
    from deterrence.sweeps.run import evaluate_points

    if x == y:
        raise DeterrenceError(f"a regime map needs two different parameters, got {x!r} twice")
    xs, ys = _axis(model, x, x_range, n), _axis(model, y, y_range, n)
    xx, yy = np.meshgrid(xs, ys)
    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    columns = evaluate_points(model, {x: xx.ravel(), y: yy.ravel()}, concept=concept, baseline=base, executor=executor)
    shape = xx.shape
    measures = {
        k: np.asarray(v).reshape(shape) for k, v in columns.items() if k not in model.parameters and k != "outcome"
    }
    return RegimeMap(
        x,
        y,
        xs,
        ys,
        np.asarray(columns["outcome"]).reshape(shape),
        measures,
        model.slug,
        concept or model.concepts[0],
        {k: v for k, v in base.items() if k not in (x, y)},
    )


def __getattr__(name: str) -> Any:
    # ``regime_map``: the old name of compute_regime_map, kept for one release with a warning.
    if name == "regime_map":
        warnings.warn(
            "deterrence.analysis.regimes.regime_map is deprecated and will be removed: use compute_regime_map "
            "(deterrence.plotting.draw_regime_map draws a map)",
            DeprecationWarning,
            stacklevel=2,
        )
        return compute_regime_map
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def regime_map_from_frame(frame: Any, x: str, y: str, outcome: str = "outcome") -> RegimeMap:
    """Rebuild a :class:`RegimeMap` from a sweep table over a full ``x`` by ``y`` grid.

    Nothing is evaluated again: the table of :func:`deterrence.sweep_frame`
    (or a CSV written by :func:`deterrence.run_sweep`, read with pandas) over
    ``grid({x: ..., y: ...})`` gives the same map as :func:`compute_regime_map`
    on that grid.  Numeric columns that vary become the map's measures.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per grid point, in any order.
    x, y : str
        The two varied parameters (columns of ``frame``).
    outcome : str
        The column of outcome labels.

    Returns
    -------
    RegimeMap
        Without ``model``, ``concept`` or ``baseline`` (the table does not
        carry them).

    Raises
    ------
    DeterrenceError
        If a column is missing, the rows do not form a full grid, or
        another parameter varies too.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"a": [0, 0, 1, 1], "b": [0, 1, 0, 1], "outcome": list("pqqq")})
    >>> regime_map_from_frame(f, "a", "b").outcome.tolist()
    [['p', 'q'], ['q', 'q']]
    """
    for name in (x, y, outcome):
        if name not in frame.columns:
            raise DeterrenceError(f"the sweep table has no column {name!r}; columns: {list(frame.columns)}")
    xs, ys = np.unique(frame[x].to_numpy(float)), np.unique(frame[y].to_numpy(float))
    if len(frame) != len(xs) * len(ys) or frame.duplicated([x, y]).any():
        raise DeterrenceError(
            f"the sweep is not a full grid over {x!r} and {y!r} alone; sweep with "
            f"--grid {x}=... --grid {y}=... and no other varied parameter"
        )
    order = frame.sort_values([y, x])
    shape = (len(ys), len(xs))
    skip = {x, y, outcome, "concept", "method", "seed", "version"}
    measures = {
        c: order[c].to_numpy().reshape(shape)
        for c in frame.columns
        if c not in skip and np.issubdtype(frame[c].dtype, np.number) and frame[c].nunique() > 1
    }
    return RegimeMap(x, y, xs, ys, order[outcome].to_numpy().astype(str).reshape(shape), measures)
