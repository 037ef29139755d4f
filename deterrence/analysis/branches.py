"""Branch tracking: follow each equilibrium along one parameter.

Along a grid :math:`\\theta_0 < \\dots < \\theta_{n-1}` of one parameter (the
others at a baseline) every Nash equilibrium of a 2-player normal-form
model is computed at once (:func:`~deterrence.solvers.small_games.small_game_equilibria`).
An equilibrium is a point :math:`z = (x, y)` of the product of simplices.
Equilibria at neighbouring grid points are joined into *branches* by a
minimum-cost assignment (:func:`scipy.optimize.linear_sum_assignment`) on
the sup-norm distance between each equilibrium and its branch's linear
prediction :math:`z_{k} + (z_k - z_{k-1})`; a pair further apart than
``max_jump`` is not joined.  An equilibrium left without a partner starts a
branch (it *appears*), and a branch without a successor *disappears*.

Where a branch appears or disappears the equilibrium set changes, so the
event is located by bisection on the label of the equilibrium set (as in
:mod:`deterrence.thresholds`), to ``bracket_tol``.  Generic (regular)
equilibria move continuously and appear or vanish in pairs or by merging
into another branch (Wilson 1971; Harsanyi 1973 oddness); at the event
itself the game is degenerate and its points are flagged in
``BranchDiagram.degenerate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.plotting.lazy import drawer

__all__ = ["Branch", "BranchEvent", "BranchDiagram", "track_branches"]


@dataclass(frozen=True, eq=False)
class Branch:
    """One equilibrium followed along the grid: ``profiles[k]`` at ``values[k]``."""

    index: int
    values: np.ndarray
    profiles: np.ndarray  # (len(values), m + n): row strategy then column strategy


@dataclass(frozen=True, eq=False)
class BranchEvent:
    """A branch appearing or disappearing at ``value`` (located inside ``bracket``)."""

    kind: str  # "appear" or "disappear"
    value: float
    bracket: tuple[float, float]
    branch: int
    profile: np.ndarray  # the branch's equilibrium at the grid point next to the event


@dataclass(frozen=True, eq=False)
class BranchDiagram:
    """Equilibrium branches of a model along one parameter."""

    parameter: str
    grid: np.ndarray
    branches: tuple[Branch, ...]
    events: tuple[BranchEvent, ...]
    coordinates: tuple[tuple[str, str], ...]  # (player, strategy) of each profile column
    counts: np.ndarray
    degenerate: np.ndarray
    model: str = ""
    baseline: dict[str, float] = field(default_factory=dict)

    def coordinate(self, player: str, strategy: str) -> int:
        """Column of ``(player, strategy)`` in the branch profiles."""
        try:
            return self.coordinates.index((player, strategy))
        except ValueError:
            raise DeterrenceError(
                f"no strategy {strategy!r} of {player!r}; choose from {[f'{p}:{s}' for p, s in self.coordinates]}"
            ) from None

    def to_frame(self) -> Any:
        """Tidy table: one row per (branch, grid point) with every profile coordinate."""
        import pandas as pd

        rows = []
        for b in self.branches:
            for value, profile in zip(b.values, b.profiles, strict=True):
                row = {"branch": b.index, self.parameter: float(value)}
                pairs = zip(self.coordinates, profile, strict=True)
                row.update({f"{p}:{s}": float(v) for (p, s), v in pairs})
                rows.append(row)
        return pd.DataFrame(rows)

    plot = drawer("branch_diagram")

    def __repr__(self) -> str:
        return (
            f"<BranchDiagram {self.model or '?'} along {self.parameter}: "
            f"{len(self.branches)} branches, "
            f"{len(self.events)} events>"
        )


class _Solver:
    """All equilibria of a parametric 2-player game at a batch of points."""

    def __init__(self, game: Any, baseline: dict[str, float], parameter: str) -> None:
        from deterrence.forms.evaluate import compile_values

        self.game, self.parameter, self.baseline = game, parameter, baseline
        self.names = tuple(game.parameters)
        self.function = compile_values(np.asarray(game.payoffs, dtype=object), self.names)

    def __call__(self, values: np.ndarray) -> Any:
        from deterrence.solvers.small_games import small_game_equilibria

        values = np.asarray(values, dtype=np.float64)
        columns = [values if n == self.parameter else np.full(len(values), self.baseline[n]) for n in self.names]
        payoffs = self.function(*columns)
        return small_game_equilibria(payoffs[..., 0], payoffs[..., 1])

    def labels(self, values: np.ndarray) -> np.ndarray:
        from deterrence.analysis.outcomes import _labels

        eq = self(values)
        return _labels(self.game, [eq.x, eq.y], eq.valid)


def track_branches(
    model: Any,
    parameter: str,
    *,
    low: float | None = None,
    high: float | None = None,
    n: int = 201,
    baseline: Mapping[str, Any] | None = None,
    max_jump: float = 0.25,
    bracket_tol: float = 1e-10,
) -> BranchDiagram:
    """Follow every Nash equilibrium of a 2-player normal-form model along ``parameter``.

    Parameters
    ----------
    model : Model
        ``model.build()`` must return a parametric 2-player NormalFormGame (up to 4×4).
    parameter : str
    low, high : float, optional
        Range (the parameter's bounds by default).
    n : int
        Grid points.
    baseline : mapping, optional
        Values of the other parameters.
    max_jump : float
        Largest sup-norm step (in probability) joined into one branch.
    bracket_tol : float
        Relative width of the brackets that locate events.

    Returns
    -------
    BranchDiagram

    Examples
    --------
    Chicken along the crash cost: below the face loss only (Stand firm,
    Stand firm); above it the mixed equilibrium continues that branch and the
    two pure "one side yields" equilibria appear, at ``crash_cost = face_loss``.

    >>> from deterrence.model import Model
    >>> from games.classic import chicken, CHICKEN_PARAMETERS
    >>> m = Model("chicken", "Chicken", "", chicken, CHICKEN_PARAMETERS)
    >>> d = track_branches(m, "crash_cost", low=0, high=4, n=41, baseline={"face_loss": 1.5})
    >>> [(e.kind, round(e.value, 6)) for e in d.events]
    [('appear', 1.5), ('appear', 1.5)]
    """
    from scipy.optimize import linear_sum_assignment

    from deterrence.analysis.thresholds import bisect_labels
    from deterrence.forms.normal_form import NormalFormGame

    p = model.parameters[parameter]
    low = float(p.low) if low is None else float(p.validate(low))
    high = float(p.high) if high is None else float(p.validate(high))
    if not low < high or int(n) < 2:
        raise DeterrenceError(f"branch tracking needs low < high and n >= 2, got {low:g}, {high:g}, {n}")
    game = model.build()
    if not isinstance(game, NormalFormGame) or game.n_players != 2:
        raise DeterrenceError("branch tracking needs a model whose game is a 2-player normal form")
    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    solver = _Solver(game, base, parameter)
    grid = np.linspace(low, high, int(n))
    eq = solver(grid)
    z = np.concatenate([eq.x, eq.y], axis=-1)

    paths: list[list[tuple[int, np.ndarray]]] = []  # per branch: (grid index, profile)
    alive: list[int] = []
    raw_events: list[tuple[str, int, int]] = []  # (kind, grid index after the event, branch)
    for t in range(len(grid)):
        current = z[t][eq.valid[t]]
        if t == 0:
            for profile in current:
                paths.append([(0, profile)])
                alive.append(len(paths) - 1)
            continue
        predicted = np.array([_predict(paths[b]) for b in alive]).reshape(len(alive), -1)
        cost = (
            np.abs(predicted[:, None, :] - current[None, :, :]).max(-1)
            if len(alive) and len(current)
            else np.zeros((len(alive), len(current)))
        )
        rows, cols = linear_sum_assignment(cost) if cost.size else (np.array([], int), np.array([], int))
        keep = cost[rows, cols] <= max_jump
        rows, cols = rows[keep], cols[keep]
        for b in (alive[r] for r in range(len(alive)) if r not in set(rows)):
            raw_events.append(("disappear", t, b))
        next_alive = []
        for r, c in zip(rows, cols, strict=True):
            paths[alive[r]].append((t, current[c]))
            next_alive.append(alive[r])
        for c in (c for c in range(len(current)) if c not in set(cols)):
            paths.append([(t, current[c])])
            next_alive.append(len(paths) - 1)
            raw_events.append(("appear", t, len(paths) - 1))
        alive = next_alive

    located: dict[int, tuple[float, tuple[float, float]]] = {}
    for t in sorted({t for _, t, _ in raw_events}):
        labels = solver.labels(grid[[t - 1, t]])
        found = (
            bisect_labels(solver.labels, [grid[t - 1]], [grid[t]], [labels[0]], [labels[1]], bracket_tol)
            if labels[0] != labels[1]
            else [(grid[t - 1], grid[t], "", "")]
        )
        lo, hi = (
            found[0][0],
            found[-1][1],
        )  # a tie band shows as several tiny brackets: take their span
        located[t] = ((lo + hi) / 2, (lo, hi))
    events = []
    for kind, t, b in raw_events:
        near = next(prof for k, prof in paths[b] if k == (t if kind == "appear" else t - 1))
        events.append(BranchEvent(kind, located[t][0], located[t][1], b, near))
    branches = tuple(
        Branch(i, grid[[k for k, _ in path]], np.array([prof for _, prof in path])) for i, path in enumerate(paths)
    )
    coordinates = tuple((game.players[i], s) for i in range(2) for s in game.strategies[i])
    return BranchDiagram(
        parameter,
        grid,
        branches,
        tuple(sorted(events, key=lambda e: (e.value, e.branch))),
        coordinates,
        eq.count.copy(),
        eq.degenerate.copy(),
        model.slug,
        {k: v for k, v in base.items() if k != parameter},
    )


def _predict(path: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """Linear extrapolation one grid step ahead, clipped to probabilities."""
    if len(path) < 2 or path[-1][0] - path[-2][0] != 1:
        return path[-1][1]
    return np.clip(2 * path[-1][1] - path[-2][1], 0.0, 1.0)
