"""All Nash equilibria of small bimatrix games, vectorised over a stack of games.

For a bimatrix game :math:`(A, B)` with :math:`m, n \\le 4` strategies
(2×2, 3×2, 2×3 and 3×3 are the sizes this is built for) the solver runs
*support enumeration* (Shapley 1974; von Stengel 2007, §3.2) on ``B_games``
games at once.  For each pair of supports :math:`I \\subseteq [m]`,
:math:`J \\subseteq [n]` of equal size :math:`k`, the column strategy must make
the rows in :math:`I` indifferent,

.. math:: (A y)_i = v \\;(i \\in I), \\qquad \\textstyle\\sum_{j \\in J} y_j = 1,

so :math:`y_J` is orthogonal to the :math:`k-1` row differences
:math:`A_{iJ} - A_{i_0 J}`.  For :math:`k \\le 4` that null vector is a
closed-form generalised cross product (a vector of cofactors), and
normalising it to sum one gives :math:`y_J` for every game at once; the same
holds for :math:`x_I` with the columns of :math:`B`.  A candidate is kept when
it is non-negative and every strategy in each support is a best response
within the tolerance.  There is no Python loop over games, only over the fixed
set of support pairs (19 for 3×3).

**Completeness.**  In a *nondegenerate* game (no mixed strategy with support
size :math:`k` has more than :math:`k` pure best responses) every equilibrium
has supports of equal size and a unique solution of these systems, so the
list is complete.  Degeneracy is decided per game, exactly up to the
tolerance: label a mixed strategy :math:`x` by its unused strategies and the
opponent's best responses; the game is degenerate iff some :math:`x` carries
:math:`m + 1` labels.  If one does, a vertex of the set of such points does
too, and that vertex solves :math:`m - 1` independent equations of the forms
:math:`x_i = 0` or "columns :math:`j, j'` tie", so checking all those solutions
(15 per side for 3×3) decides it.  For degenerate games the list holds the
equal-support solutions that verify (all pure equilibria among them) and the
``degenerate`` flag tells the caller to use an exact solver that enumerates
equilibrium components.

**Scaling.**  Each player's payoffs are mapped onto ``[0, 1]`` at every
point before the closed forms run (a positive affine transform of one
player's payoffs leaves the equilibria unchanged), so a constant of ``1e9``
in a model's payoffs costs no precision in the cofactors; payoffs and
regrets are mapped back.

**Verification.**  Every returned equilibrium is checked again after
clipping round-off negatives and renormalising: both players' regrets must be
at most the game's tolerance (``1e-9 * max(1, payoff range)`` by default, as
:func:`deterrence.verify.tolerance_for`).  A candidate that passes the support
test but fails this check is dropped and its game is flagged.  A game left
with no equilibrium, or with an even number although nondegenerate, is
impossible (Shapley 1974), so it is solved again exactly and counted in
``fallbacks``.

References
----------
Shapley, L. S. (1974). A note on the Lemke–Howson algorithm. *Mathematical
Programming Study* 1, 175–189.
von Stengel, B. (2007). Equilibrium computation for two-player games in
strategic and extensive form. In Nisan et al. (eds), *Algorithmic Game
Theory*, ch. 3, Cambridge University Press.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations, product
from typing import Any

import numpy as np

from deterrence.errors import GameError
from deterrence.solvers.verify import FLOAT_TOLERANCE

__all__ = ["SmallGameEquilibria", "equilibria_at", "small_game_equilibria"]

#: Largest number of strategies per player the closed forms are written for.
MAX_STRATEGIES = 4
# Round-off below this (relative to the size of the cofactors) counts as a singular system.
_SINGULAR = 1e-13
# Games solved per vectorised pass: keeps working arrays in cache and memory bounded.
_CHUNK = 4096


@dataclass(frozen=True, slots=True, eq=False)
class SmallGameEquilibria:
    """Equilibria of a stack of ``G`` bimatrix games, padded to ``K`` slots per game.

    Valid entries come first in each game, in order of support size (pure
    equilibria first); invalid slots hold NaN.

    Attributes
    ----------
    x : ndarray, shape (G, K, m)
        Row player's mixed strategies.
    y : ndarray, shape (G, K, n)
        Column player's mixed strategies.
    valid : ndarray of bool, shape (G, K)
        Which slots hold a verified equilibrium.
    count : ndarray of int, shape (G,)
        Number of equilibria listed for each game.
    degenerate : ndarray of bool, shape (G,)
        True where the game is degenerate (or a candidate failed
        verification); there the list may be incomplete, so fall back to an
        exact solver for that game.
    row_payoff, column_payoff : ndarray, shape (G, K)
        Expected payoffs at each equilibrium (NaN in invalid slots).
    regret : ndarray, shape (G, K)
        Largest regret of either player at each equilibrium (NaN if invalid).
    tolerance : ndarray, shape (G,)
        Absolute payoff tolerance used for each game.
    fallback : ndarray of bool, shape (G,)
        True where the closed forms failed numerically (no equilibrium, or an
        even number in a nondegenerate game) and the game was solved again by
        exact vertex enumeration; ``fallbacks`` is their number.
    """

    x: np.ndarray
    y: np.ndarray
    valid: np.ndarray
    count: np.ndarray
    degenerate: np.ndarray
    row_payoff: np.ndarray
    column_payoff: np.ndarray
    regret: np.ndarray
    tolerance: np.ndarray
    fallback: np.ndarray

    def __post_init__(self) -> None:
        for name in self.__slots__:
            getattr(self, name).flags.writeable = False

    def __len__(self) -> int:
        return int(self.count.shape[0])

    @property
    def fallbacks(self) -> int:
        """Number of games solved again exactly because the closed forms failed (see ``fallback``)."""
        return int(self.fallback.sum())

    def equilibria(self, b: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """The ``(x, y)`` pairs listed for game ``b`` (see :func:`equilibria_at`)."""
        return equilibria_at(self, b)

    def __repr__(self) -> str:
        return (
            f"<SmallGameEquilibria {len(self)} games {self.x.shape[2]}x{self.y.shape[2]}: "
            f"{int(self.count.sum())} equilibria, {int(self.degenerate.sum())} degenerate, "
            f"{self.fallbacks} exact fallbacks>"
        )


def equilibria_at(result: SmallGameEquilibria, b: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return the equilibria of game ``b`` of a batch as a list of ``(x, y)`` arrays.

    Examples
    --------
    >>> res = small_game_equilibria([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [(x.round(3).tolist(), y.round(3).tolist()) for x, y in equilibria_at(res, 0)]
    [([0.5, 0.5], [0.5, 0.5])]
    """
    keep = np.flatnonzero(result.valid[b])
    return [(result.x[b, k].copy(), result.y[b, k].copy()) for k in keep]


# Layout: every internal array keeps the batch of games on the LAST axis, with the small
# axes (strategies, support pairs) in front.  Reductions over the small axes then become a
# few element-wise operations on long contiguous vectors, which is what makes this fast.


def _det3(r: np.ndarray) -> np.ndarray:
    """Determinant of ``(3, 3, ...)`` matrices, element-wise over the trailing axes."""
    return (
        r[0, 0] * (r[1, 1] * r[2, 2] - r[1, 2] * r[2, 1])
        - r[0, 1] * (r[1, 0] * r[2, 2] - r[1, 2] * r[2, 0])
        + r[0, 2] * (r[1, 0] * r[2, 1] - r[1, 1] * r[2, 0])
    )


def _null_vector(rows: np.ndarray) -> np.ndarray:
    """Cofactor vector ``c`` (shape ``(k, ...)``) of ``(k-1, k, ...)`` rows.

    ``rows @ c == 0`` and ``c != 0`` iff the rows are independent (the
    generalised cross product).
    """
    r, k = rows.shape[:2]
    if k == 1:
        return np.ones((1,) + rows.shape[2:])
    if k == 2:
        return np.stack([rows[0, 1], -rows[0, 0]])
    if k == 3:
        a, b = rows[0], rows[1]
        return np.stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])
    if k == 4:
        return np.stack([(-1) ** j * _det3(np.delete(rows, j, axis=1)) for j in range(4)])
    raise GameError(f"support size {k} is larger than {MAX_STRATEGIES}")


def _solve_simplex(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``rows @ z == 0, sum(z) == 1`` for ``z``; return ``(z, solvable)``.

    ``rows`` has shape ``(k-1, k, ...)``.  The system is singular when the
    cofactor vector sums to (round-off) zero.
    """
    c = _null_vector(rows)
    total = c.sum(axis=0)
    # Cofactors are products of k-1 entries: scale the singularity test by the row sizes.
    size = np.prod(np.abs(rows).max(axis=1), axis=0) if rows.shape[0] else np.ones(total.shape)
    solvable = np.abs(total) > _SINGULAR * size
    with np.errstate(divide="ignore", invalid="ignore"):
        z = c / np.where(solvable, total, 1.0)
    return z, solvable & np.isfinite(z).all(axis=0)


def _against(p: np.ndarray, z: np.ndarray, transpose: bool = False) -> np.ndarray:
    """Payoff of each pure strategy: ``p (m, n, G)`` against mixtures ``z (n, K, G)``.

    With ``transpose`` the mixtures ``z (m, K, G)`` are over rows and the
    result is indexed by columns.
    """
    if transpose:
        return sum(p[i, :, None, :] * z[i][None] for i in range(p.shape[0]))
    return sum(p[:, j, None, :] * z[j][None] for j in range(p.shape[1]))


@cache
def _support_pairs(m: int, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    pairs = list(product(combinations(range(m), k), combinations(range(n), k)))
    return np.array([p[0] for p in pairs], dtype=np.intp).T, np.array([p[1] for p in pairs], dtype=np.intp).T


def _candidates(
    a: np.ndarray, b: np.ndarray, tol_a: np.ndarray, tol_b: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Support-enumeration candidates for all support pairs of size ``k``.

    ``a, b`` have shape ``(m, n, G)``.  Returns ``x (m, P, G)``, ``y (n, P, G)``
    ``ok (P, G)``: non-negative solutions whose supports are best responses, and
    ``shrunk (P, G)``: those among them with a (numerically) zero weight in the support.
    """
    m, n, g = a.shape
    rows_idx, cols_idx = _support_pairs(m, n, k)  # (k, P) each
    p = rows_idx.shape[1]
    pick = (rows_idx[:, None, :], cols_idx[None, :, :])
    a_sub, b_sub = a[pick], b[pick]  # (k, k, P, G): [row in I, column in J, pair, game]
    # y makes the rows of I indifferent; x makes the columns of J indifferent.
    y_j, y_ok = _solve_simplex(a_sub[1:] - a_sub[:1])
    x_i, x_ok = _solve_simplex(np.swapaxes(b_sub[:, 1:] - b_sub[:, :1], 0, 1))
    slot = np.arange(p)[None, :]
    x = np.zeros((m, p, g))
    y = np.zeros((n, p, g))
    x[rows_idx, slot] = x_i
    y[cols_idx, slot] = y_j
    ok = x_ok & y_ok & (x_i >= -FLOAT_TOLERANCE).all(0) & (y_j >= -FLOAT_TOLERANCE).all(0)
    ay = _against(a, y)  # (m, P, G): row payoffs against y
    xb = _against(b, x, transpose=True)  # (n, P, G): column payoffs against x
    ok &= ay.max(0) <= ay[rows_idx, slot].min(0) + tol_a
    ok &= xb.max(0) <= xb[cols_idx, slot].min(0) + tol_b
    # A solution that leaves part of its support unused has k best responses to a mixture
    # with fewer than k strategies: the game is degenerate there.
    shrunk = (x_i.min(0) <= FLOAT_TOLERANCE) | (y_j.min(0) <= FLOAT_TOLERANCE)
    return x, y, ok, ok & shrunk


@cache
def _vertex_subsets(m: int, n: int) -> np.ndarray:
    subsets = list(combinations(range(m + n * (n - 1) // 2), m - 1))
    return np.array(subsets, dtype=np.intp).reshape(len(subsets), m - 1).T


def _degenerate_side(p: np.ndarray, tol: np.ndarray) -> np.ndarray:
    """Whether a mixture over the rows of ``p (m, n, G)`` has more labels than ``m``.

    Labels of ``x`` are its unused rows plus the columns that are best
    responses for the player whose payoffs are ``p``.  Candidates are all
    solutions of ``m - 1`` equations ``x_i = 0`` or "columns j, j' tie".
    """
    m, n, g = p.shape
    pairs = list(combinations(range(n), 2))
    equations = [np.broadcast_to(np.eye(m)[:, :, None], (m, m, g))]  # x_i = 0
    if pairs:
        first, second = np.array(pairs).T
        equations.append(np.swapaxes(p[:, first] - p[:, second], 0, 1))  # column ties
    rows = np.concatenate(equations, axis=0)[_vertex_subsets(m, n)]  # (m-1, S, m, G)
    x, ok = _solve_simplex(np.swapaxes(rows, 1, 2))  # x: (m, S, G)
    ok &= (x >= -FLOAT_TOLERANCE).all(0)
    payoff = _against(p, x, transpose=True)  # (n, S, G)
    best = payoff >= payoff.max(0) - tol
    labels = (np.abs(x) <= FLOAT_TOLERANCE).sum(0) + best.sum(0)
    return (ok & (labels > m)).any(0)


def _compact(valid: np.ndarray, *arrays: np.ndarray) -> list[np.ndarray]:
    """Reorder axis 1 of ``(G, K, ...)`` arrays so valid slots come first, order kept."""
    g, k = valid.shape
    order = np.argsort(~valid, axis=1, kind="stable")
    flat = (order + k * np.arange(g)[:, None]).ravel()
    return [a.reshape((g * k,) + a.shape[2:])[flat].reshape(a.shape) for a in (valid, *arrays)]


def small_game_equilibria(A: Any, B: Any, tolerance: float | np.ndarray | None = None) -> SmallGameEquilibria:
    """All Nash equilibria of a stack of small bimatrix games, in one vectorised pass.

    Parameters
    ----------
    A, B : array_like of float, shape (G, m, n) or (m, n)
        Row and column players' payoffs for ``G`` games (a single matrix is a
        batch of one).  ``1 <= m, n <= 4``; tested for 2×2, 3×2, 2×3, 3×3.
    tolerance : float or array of shape (G,), optional
        Absolute payoff tolerance for best-response and regret checks.  By
        default ``1e-9 * max(1, payoff range)`` for each game.

    Returns
    -------
    SmallGameEquilibria
        ``x (G, K, m)``, ``y (G, K, n)``, ``valid (G, K)``, ``count (G,)``
        and ``degenerate (G,)``, where ``K`` is the number of equal-size
        support pairs (5 for 2×2, 9 for 3×2, 19 for 3×3).  For games with
        ``degenerate == False`` the list is complete.  ``fallback (G,)``
        marks the games solved again exactly (``fallbacks`` counts them).

    Raises
    ------
    GameError
        If the shapes differ, are too large, or payoffs are not finite.

    Notes
    -----
    Each player's payoffs are first mapped onto ``[0, 1]`` at every point
    (minus the minimum, divided by the range): positive affine transforms of
    one player's payoffs leave the equilibria unchanged, and the closed forms
    then work with numbers of size one, whatever constant the model adds.
    The tolerance is scaled along.  A game for which no equilibrium survives
    (impossible: every finite game has one) or, when nondegenerate, an even
    number (impossible too: Shapley 1974) is solved again by exact vertex
    enumeration of the payoffs' binary values and marked in ``fallback``.

    Examples
    --------
    Chicken (Snyder & Diesing 1977): swerve 0, win 1, lose -1, crash -10.  The
    mixed equilibrium stands firm with probability (1 - 0)/((1 - 0) + (-1 + 10)).

    >>> A = [[0, -1], [1, -10]]
    >>> res = small_game_equilibria(A, np.transpose(A))
    >>> print(res.count[0], res.degenerate[0], res.fallbacks)
    3 False 0
    >>> print(round(float(res.x[0, 2, 1]), 6))
    0.1

    A constant of 1e9 on every payoff changes nothing:

    >>> res = small_game_equilibria(np.add(A, 1e9), np.transpose(A) + 1e9)
    >>> print(res.count[0], round(float(res.x[0, 2, 1]), 6), round(float(res.row_payoff[0, 2]) - 1e9, 6))
    3 0.1 -0.1
    """
    a = np.asarray(A, dtype=np.float64)
    b = np.asarray(B, dtype=np.float64)
    if a.ndim == 2 and b.ndim == 2:
        a, b = a[np.newaxis], b[np.newaxis]
    if a.ndim != 3 or a.shape != b.shape:
        raise GameError(f"A and B must both have shape (G, m, n), got {np.shape(A)} and {np.shape(B)}")
    g, m, n = a.shape
    if not (1 <= m <= MAX_STRATEGIES and 1 <= n <= MAX_STRATEGIES):
        raise GameError(f"small_game_equilibria handles up to {MAX_STRATEGIES} strategies, got {m}x{n}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise GameError("payoffs must be finite")
    if tolerance is None:
        high = np.maximum(a.max(axis=(1, 2)), b.max(axis=(1, 2)))
        low = np.minimum(a.min(axis=(1, 2)), b.min(axis=(1, 2)))
        tol = FLOAT_TOLERANCE * np.maximum(1.0, high - low)
    else:
        tol = np.broadcast_to(np.asarray(tolerance, dtype=np.float64), (g,)).copy()
        if (tol < 0).any() or not np.isfinite(tol).all():
            raise GameError(f"tolerance must be finite and non-negative, got {tolerance!r}")
    (an, low_a, scale_a), (bn, low_b, scale_b) = _normalise(a), _normalise(b)
    tol_a, tol_b = tol / scale_a, tol / scale_b
    parts = [
        _solve_chunk(an[s : s + _CHUNK], bn[s : s + _CHUNK], tol_a[s : s + _CHUNK], tol_b[s : s + _CHUNK])
        for s in range(0, g, _CHUNK)
    ]
    out = parts[0] if len(parts) == 1 else {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    # Every finite game has an equilibrium, and a nondegenerate one an odd number: anything
    # else is a numerical failure, so solve those games again exactly.
    suspect = np.flatnonzero((out["count"] == 0) | (~out["degenerate"] & (out["count"] % 2 == 0)))
    out["fallback"] = np.zeros(g, dtype=bool)
    for index in suspect.tolist():
        _exact_fallback(out, index, a[index], b[index], an[index], bn[index], tol_a[index], tol_b[index])
    regret_a, regret_b = out.pop("regret_a"), out.pop("regret_b")
    out["regret"] = np.maximum(regret_a * scale_a[:, None], regret_b * scale_b[:, None])
    out["row_payoff"] = out["row_payoff"] * scale_a[:, None] + low_a[:, None]
    out["column_payoff"] = out["column_payoff"] * scale_b[:, None] + low_b[:, None]
    out["count"] = out["valid"].sum(1)
    out["tolerance"] = tol
    return SmallGameEquilibria(**out)


def _normalise(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Map each game's payoffs ``p (G, m, n)`` onto ``[0, 1]``: ``(scaled, minimum, range)``.

    A constant player (range zero) keeps scale one.
    """
    low = p.min(axis=(1, 2))
    spread = p.max(axis=(1, 2)) - low
    scale = np.where(spread > 0, spread, 1.0)
    scaled = (p - low[:, None, None]) / scale[:, None, None]
    return scaled, low, scale


def _exact_fallback(
    out: dict[str, np.ndarray], index: int, a: Any, b: Any, an: Any, bn: Any, tol_a: Any, tol_b: Any
) -> None:
    """Replace game ``index`` of ``out`` by exact vertex enumeration of ``a, b`` (normalised: ``an, bn``)."""
    from deterrence.solvers.enumeration import enumerate_equilibria
    from deterrence.solvers.verify import exact_payoffs

    found = enumerate_equilibria(exact_payoffs(a), exact_payoffs(b), method="vertex")
    pairs = [(np.array([float(v) for v in x]), np.array([float(v) for v in y])) for x, y in found.equilibria]
    pairs.sort(key=lambda pair: int((pair[0] > 0).sum() + (pair[1] > 0).sum()))  # pure ones first
    slots = out["valid"].shape[1]
    for name in ("x", "y", "row_payoff", "column_payoff", "regret_a", "regret_b"):
        out[name][index] = np.nan
    out["valid"][index] = False
    k = 0
    for x, y in pairs:
        ay, xb = an @ y, x @ bn
        row, column = float(x @ ay), float(xb @ y)
        gain_a, gain_b = max(float(ay.max()) - row, 0.0), max(float(xb.max()) - column, 0.0)
        if k == slots or gain_a > tol_a or gain_b > tol_b:
            continue
        out["x"][index, k], out["y"][index, k], out["valid"][index, k] = x, y, True
        out["row_payoff"][index, k], out["column_payoff"][index, k] = row, column
        out["regret_a"][index, k], out["regret_b"][index, k] = gain_a, gain_b
        k += 1
    # More extreme equilibria than slots, or one that fails the float check: not a complete list.
    out["degenerate"][index] = bool(found.degenerate) or k < len(pairs)
    out["count"][index] = out["valid"][index].sum()
    out["fallback"][index] = True


def _solve_chunk(a: np.ndarray, b: np.ndarray, tol_a: np.ndarray, tol_b: np.ndarray) -> dict[str, np.ndarray]:
    """Solve one chunk of normalised games; ``a, b`` have shape ``(G, m, n)``, tolerances ``(G,)``."""
    m, n = a.shape[1:]
    at = np.ascontiguousarray(a.transpose(1, 2, 0))  # (m, n, G)
    bt = np.ascontiguousarray(b.transpose(1, 2, 0))

    parts = [_candidates(at, bt, tol_a, tol_b, k) for k in range(1, min(m, n) + 1)]
    x = np.concatenate([p[0] for p in parts], axis=1)  # (m, K, G)
    y = np.concatenate([p[1] for p in parts], axis=1)  # (n, K, G)
    candidate = np.concatenate([p[2] for p in parts], axis=0)  # (K, G)
    shrunk = np.concatenate([p[3] for p in parts], axis=0)

    degenerate = _degenerate_side(bt, tol_b) | _degenerate_side(np.swapaxes(at, 0, 1), tol_a)

    # Independent verification of every candidate on cleaned-up probabilities.
    x = np.clip(x, 0.0, None)
    y = np.clip(y, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        x /= x.sum(0)
        y /= y.sum(0)
    ay = _against(at, y)
    xb = _against(bt, x, transpose=True)
    row_value = (x * ay).sum(0)
    column_value = (xb * y).sum(0)
    regret_a = np.maximum(ay.max(0) - row_value, 0.0)
    regret_b = np.maximum(xb.max(0) - column_value, 0.0)
    valid = candidate & (regret_a <= tol_a) & (regret_b <= tol_b)
    degenerate |= (candidate & ~valid).any(0) | (valid & shrunk).any(0)

    # Two support pairs give one equilibrium only if one of them shrank: degenerate games.
    dup = np.flatnonzero(degenerate & (valid.sum(0) > 1))
    if dup.size:
        xs, ys, vs = x[:, :, dup], y[:, :, dup], valid[:, dup]
        for k in range(1, vs.shape[0]):
            same = (np.abs(xs[:, :k] - xs[:, k : k + 1]).max(0) <= FLOAT_TOLERANCE) & (
                np.abs(ys[:, :k] - ys[:, k : k + 1]).max(0) <= FLOAT_TOLERANCE
            )
            vs[k] &= ~(same & vs[:k]).any(0)
        valid[:, dup] = vs

    moved = (x.transpose(2, 1, 0), y.transpose(2, 1, 0), row_value.T, column_value.T, regret_a.T, regret_b.T)
    valid, x, y, row_value, column_value, regret_a, regret_b = _compact(valid.T, *moved)
    x[~valid] = np.nan
    y[~valid] = np.nan
    for v in (row_value, column_value, regret_a, regret_b):
        v[~valid] = np.nan
    return {
        "x": x,
        "y": y,
        "valid": valid,
        "count": valid.sum(1),
        "degenerate": degenerate,
        "row_payoff": row_value,
        "column_payoff": column_value,
        "regret_a": regret_a,
        "regret_b": regret_b,
    }
