"""Support enumeration for bimatrix games: batched in floating point, confirmed exactly.

For supports :math:`I \\subseteq M` (row strategies) and :math:`J \\subseteq N`
(column strategies) of equal size ``k``, the column player's mixed strategy
``y`` makes the row player indifferent on ``I`` and the row player's ``x``
makes the column player indifferent on ``J``:

.. math::

    A_{IJ}\\, y_J = u\\,\\mathbf 1,\\quad \\mathbf 1^\\top y_J = 1, \\qquad
    B_{IJ}^\\top x_I = w\\,\\mathbf 1,\\quad \\mathbf 1^\\top x_I = 1 .

Each pair ``(I, J)`` is a *basis*: ``x`` is then a vertex candidate of the
best-response polytope ``P`` (labels: rows outside ``I`` at zero, columns in
``J`` best replies) and ``y`` one of ``Q``.  Every vertex of ``P`` and ``Q``
other than the origin is the solution of some basis with a non-singular
system, so solving all :math:`\\sum_k \\binom mk \\binom nk = \\binom{m+n}{m} - 1`
bases lists every vertex.  A basis whose ``x`` and ``y`` are both feasible
(non-negative and best replies) is an equilibrium on supports ``(I, J)``; in a
nondegenerate game these are all the equilibria (support enumeration; Dickhaut
and Kaplan, 1991; von Stengel, 2002, Algorithm 3.4).  In a degenerate game the
extreme equilibria are the completely labelled pairs of vertices instead.

:func:`screen_bases` solves all bases of one size at once with
:func:`numpy.linalg.solve` on a stack of ``(k+1) x (k+1)`` systems.
Feasibility uses a regret tolerance, never an exact floating-point sign test,
so round-off cannot reject a correct solution.  The tolerance of a candidate
scales with the payoffs its best-response test compares
(:func:`response_tolerance`: the responder's payoffs in the columns the
mixture uses), not with the whole game's range, so one payoff of ``-1e15`` in
a cell no equilibrium plays cannot turn near-misses into ties.  With exact
payoffs, :func:`confirm_exact` solves the surviving candidates (screened with
a looser tolerance) again in rational arithmetic (python-flint when
installed, :mod:`fractions` otherwise) and decides their labels exactly.

Solving all bases costs :math:`\binom{m+n}{m}` systems, while a polytope has
far fewer vertices.  So :func:`float_equilibria`, the float path, first finds
the vertices by lexicographic pivoting in floating point (output-sensitive,
as in :mod:`.vertex_enumeration`), decides their labels from the payoffs
within the tolerance, and checks the lists with the completeness certificate
:func:`~.vertex_enumeration.certify_vertex_set`.  Only when that fails (a
game degenerate within the tolerance) does it solve every basis.

References
----------
Dickhaut, J. and Kaplan, T. (1991).  A program for finding Nash equilibria.
*The Mathematica Journal* 1, 87-93.
von Stengel, B. (2002).  Computing equilibria for two-person games.  In
*Handbook of Game Theory* vol. 3, ch. 45, 1723-1759.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import comb, gcd, lcm
from typing import Any

import numpy as np

from deterrence.solvers.verify import FLOAT_TOLERANCE

__all__ = ["VertexCandidates", "confirm_exact", "float_equilibria", "pair_tolerance", "response_tolerance"]
__all__ += ["screen_bases"]

#: Largest number of bases solved in one numpy call (bounds memory for big games).
_CHUNK = 1 << 15


@dataclass(frozen=True, slots=True, eq=False)
class VertexCandidates:
    """Feasible vertex candidates of one best-response polytope, found by :func:`screen_bases`.

    Attributes
    ----------
    strategy : ndarray, shape (count, size)
        Mixed strategies (rows sum to one).
    labels : ndarray of int64, shape (count,)
        Bitmask of labels: bit ``i`` for row ``i``, bit ``m + j`` for column ``j``.
    support, tight : list of tuple of int
        The basis each candidate was solved from: its own support, and the
        opponent's strategies held indifferent.
    """

    strategy: np.ndarray
    labels: np.ndarray
    support: list[tuple[int, ...]]
    tight: list[tuple[int, ...]]


def _combos(n: int, k: int) -> np.ndarray:
    return np.fromiter((i for c in combinations(range(n), k) for i in c), dtype=np.intp, count=comb(n, k) * k).reshape(
        -1, k
    )


def _solve_stack(sub: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``[[sub, -1], [1, 0]] [s; u] = [0; 1]`` for a stack; return solutions and validity."""
    p, k, _ = sub.shape
    system = np.zeros((p, k + 1, k + 1))
    system[:, :k, :k] = sub
    system[:, :k, k] = -1.0
    system[:, k, :k] = 1.0
    rhs = np.zeros((p, k + 1, 1))
    rhs[:, k, 0] = 1.0
    valid = np.ones(p, dtype=bool)
    try:
        sol = np.linalg.solve(system, rhs)[..., 0]
    except np.linalg.LinAlgError:
        # Some system is exactly singular (common with integer payoffs): LU gives it sign 0.
        sign, _ = np.linalg.slogdet(system)
        valid = sign != 0
        system[~valid] = np.eye(k + 1)
        sol = np.linalg.solve(system, rhs)[..., 0]
    valid &= np.isfinite(sol).all(axis=1)
    return sol, valid


def response_tolerance(G: np.ndarray, used: np.ndarray) -> np.ndarray:
    """Regret tolerance for the best responses to each of a stack of mixtures.

    ``G (r, c)`` holds the responder's payoffs (rows: its strategies, columns:
    the mixer's) and ``used (K, c)`` says which columns each mixture uses.
    The responder compares only the payoffs in those columns, so the
    tolerance is ``FLOAT_TOLERANCE * max(1, their range)``: a huge payoff in
    a column the mixture never plays cannot widen it.

    Examples
    --------
    >>> G = np.array([[3.0, -1e15], [5.0, 0.0]])
    >>> [float(t) for t in response_tolerance(G, np.array([[True, False], [True, True]]))]
    [1e-09, 1000000.000000005]
    """
    high = np.where(used, G.max(axis=0), -np.inf).max(axis=1, initial=-np.inf)
    low = np.where(used, G.min(axis=0), np.inf).min(axis=1, initial=np.inf)
    spread = np.where(used.any(axis=1), high - low, 0.0)
    return FLOAT_TOLERANCE * np.maximum(1.0, spread)


def pair_tolerance(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray, ptol: float = FLOAT_TOLERANCE) -> float:
    """Regret tolerance of the profile ``(x, y)``: :func:`response_tolerance` of both players' comparisons.

    The row player compares the columns of ``A`` that ``y`` plays, the column
    player the rows of ``B`` that ``x`` plays.

    Examples
    --------
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])   # the Prisoner's Dilemma ...
    >>> B = np.array([[-1e15, 5.0], [0.0, 1.0]])  # ... with a huge loss at (C, C)
    >>> pair_tolerance(A, B, np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    1e-09
    """
    tol_y = response_tolerance(np.asarray(A, dtype=np.float64), (np.asarray(y) > ptol)[None])[0]
    tol_x = response_tolerance(np.asarray(B, dtype=np.float64).T, (np.asarray(x) > ptol)[None])[0]
    return float(max(tol_x, tol_y))


def _side(G: np.ndarray, rows: np.ndarray, cols: np.ndarray, tol: float | None, ptol: float):
    """Screen one side: ``G``'s row player is indifferent on ``rows``, the other mixes on ``cols``.

    ``tol`` None scales each candidate's tolerance to the columns it plays
    (:func:`response_tolerance`).  Returns (positions, strategies,
    tight-row bool array, zero-column bool array) for the feasible candidates
    only.
    """
    sol, valid = _solve_stack(G[rows[:, :, None], cols[:, None, :]])
    k = rows.shape[1]
    s, u = sol[:, :k], sol[:, k]
    pos = np.flatnonzero(valid & (s >= -ptol).all(axis=1))
    strategy = np.zeros((pos.size, G.shape[1]))
    strategy[np.arange(pos.size)[:, None], cols[pos]] = s[pos]
    if tol is None:
        # A weight within ptol of zero is round-off, yet -1e-15 against a payoff of -1e15 is worth
        # 1: drop such weights and judge the labels on the strategy actually played.
        strategy = np.where(strategy > ptol, strategy, 0.0)
        strategy /= strategy.sum(axis=1, keepdims=True)
        payoff = strategy @ G.T
        t = response_tolerance(G, strategy > 0)
        best = payoff.max(axis=1, initial=-np.inf)
        feasible = best <= payoff[np.arange(pos.size)[:, None], rows[pos]].min(axis=1, initial=np.inf) + t
        pos, strategy, payoff, best, t = (
            pos[feasible],
            strategy[feasible],
            payoff[feasible],
            best[feasible],
            t[feasible],
        )
        return pos, strategy, payoff >= (best - t)[:, None], strategy <= ptol
    payoff = strategy @ G.T
    u = u[pos]
    feasible = payoff.max(axis=1, initial=-np.inf) <= u + tol
    pos, strategy, payoff, u = pos[feasible], strategy[feasible], payoff[feasible], u[feasible]
    return pos, strategy, payoff >= u[:, None] - tol, strategy <= ptol


def screen_bases(
    A: np.ndarray, B: np.ndarray, tol_a: float | None, tol_b: float | None, ptol: float
) -> tuple[VertexCandidates, VertexCandidates]:
    """Solve every equal-size basis of a bimatrix game and keep the feasible vertex candidates.

    Parameters
    ----------
    A, B : ndarray of float64, shape (m, n)
        Payoff matrices of the row and the column player.
    tol_a, tol_b : float or None
        Regret tolerances for the row and column player's payoffs; None
        scales each candidate's to the payoffs it compares
        (:func:`response_tolerance`).
    ptol : float
        Tolerance on probabilities (a probability above ``-ptol`` counts as
        non-negative, one at most ``ptol`` carries the "unused" label).

    Returns
    -------
    x_side, y_side : VertexCandidates
        Candidates for the row player's ``x`` (vertices of ``P``) and the
        column player's ``y`` (vertices of ``Q``).

    Examples
    --------
    >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])
    >>> xs, ys = screen_bases(A, A.T.copy(), 1e-9, 1e-9, 1e-9)
    >>> xs.support, xs.tight
    ([(0,), (1,), (0, 1)], [(0,), (1,), (0, 1)])
    >>> [round(float(v), 6) for v in ys.strategy[2]]
    [0.333333, 0.666667]
    """
    m, n = A.shape
    bits_m = np.int64(1) << np.arange(m, dtype=np.int64)
    bits_n = np.int64(1) << np.arange(n, dtype=np.int64)
    parts: dict[str, list[list[Any]]] = {"x": [[], [], [], []], "y": [[], [], [], []]}
    for k in range(1, min(m, n) + 1):
        row_sets, col_sets = _combos(m, k), _combos(n, k)
        total = len(row_sets) * len(col_sets)
        for start in range(0, total, _CHUNK):
            index = np.arange(start, min(total, start + _CHUNK))
            rows_i, cols_j = row_sets[index // len(col_sets)], col_sets[index % len(col_sets)]
            # y: row player indifferent on I, column player mixes on J.  x: the mirror image.
            for side, G, r, c, tol in (
                ("y", A, rows_i, cols_j, tol_a),
                ("x", B.T, cols_j, rows_i, tol_b),
            ):
                pos, strategy, tight, zero = _side(G, r, c, tol, ptol)
                if side == "y":
                    labels = tight.astype(np.int64) @ bits_m | (zero.astype(np.int64) @ bits_n) << m
                else:
                    labels = zero.astype(np.int64) @ bits_m | (tight.astype(np.int64) @ bits_n) << m
                out = parts[side]
                out[0].append(strategy)
                out[1].append(labels)
                out[2].extend(map(tuple, c[pos].tolist()))  # own support
                out[3].extend(map(tuple, r[pos].tolist()))  # opponent's strategies held tight

    def pack(side: str, size: int) -> VertexCandidates:
        strategy, labels, support, tight = parts[side]
        return VertexCandidates(
            np.concatenate(strategy) if strategy else np.zeros((0, size)),
            np.concatenate(labels) if labels else np.zeros(0, dtype=np.int64),
            support,
            tight,
        )

    return pack("x", m), pack("y", n)


def _solve_fraction(matrix: list[list[Fraction]]) -> list[Fraction] | None:
    """Solve ``matrix z = 1`` by Gauss-Jordan elimination in Fractions; None if singular."""
    k = len(matrix)
    rows = [[*row, Fraction(1)] for row in matrix]
    for col in range(k):
        pivot = next((r for r in range(col, k) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        head = rows[col]
        inv = 1 / head[col]
        head[:] = [v * inv for v in head]
        for r in range(k):
            if r != col and rows[r][col] != 0:
                f = rows[r][col]
                rows[r] = [a - f * b for a, b in zip(rows[r], head, strict=True)]
    return [row[k] for row in rows]


def _flint():
    try:
        import flint
    except ImportError:
        return None
    return flint


def confirm_exact(
    G: list[list[int]], bases: Iterable[tuple[tuple[int, ...], tuple[int, ...]]], *, own_rows: bool
) -> dict[tuple[tuple[int, ...], int], int]:
    """Re-solve candidate bases exactly: ``{(numerators, denominator): labels}`` of true vertices.

    ``G`` is the positive integer matrix of the polytope ``{z >= 0 : G z <= 1}``
    (``B^T`` for ``P``, ``A`` for ``Q``); each basis is ``(support, tight)``:
    the strategies used and the rows of ``G`` held tight.  Bases whose exact
    solution is infeasible or whose system is singular are dropped.
    ``own_rows`` says whether the strategies are the row player's (labels
    ``0..m-1``) or the column player's (labels ``m..m+n-1``).  Uses
    python-flint when it is installed and :mod:`fractions` otherwise.

    Examples
    --------
    >>> G = [[2, 1], [1, 2]]
    >>> verts = confirm_exact(G, [((0,), (0,)), ((0, 1), (0, 1)), ((1,), (0,))], own_rows=True)
    >>> sorted(verts.items())  # the third basis is infeasible: z = (0, 1) violates row 1
    [(((1, 0), 2), 6), (((1, 1), 3), 12)]
    """
    k_rows, d = len(G), len(G[0])
    flint = _flint()
    G_flint = flint.fmpz_mat(G) if flint is not None else None
    vertices: dict[tuple[tuple[int, ...], int], int] = {}
    for support, tight in bases:
        k = len(support)
        nums = [0] * d
        if flint is not None:
            sub = flint.fmpz_mat(k, k, [G[r][c] for r in tight for c in support])
            try:
                num, den_f = sub.solve(flint.fmpz_mat(k, 1, [1] * k)).numer_denom()
            except ZeroDivisionError:
                continue
            den = int(den_f)
            for c, v in zip(support, num.entries(), strict=True):
                nums[c] = int(v)
            totals = [int(v) for v in (G_flint * flint.fmpz_mat(d, 1, nums)).entries()]
        else:
            z = _solve_fraction([[Fraction(G[r][c]) for c in support] for r in tight])
            if z is None:
                continue
            den = lcm(*(v.denominator for v in z))
            for c, v in zip(support, z, strict=True):
                nums[c] = v.numerator * (den // v.denominator)
            totals = [sum(a * b for a, b in zip(row, nums, strict=True)) for row in G]
        if den < 0:
            den, nums = -den, [-v for v in nums]
        if min(nums) < 0 or max(totals) > den:
            continue  # infeasible: the screen was fooled by round-off, or the basis is not a vertex
        g = gcd(den, *nums)
        key = (tuple(v // g for v in nums), den // g)
        zero = sum(1 << c for c in range(d) if nums[c] == 0)
        tight_bits = sum(1 << r for r in range(k_rows) if totals[r] == den)
        vertices[key] = zero | tight_bits << d if own_rows else tight_bits | zero << k_rows
    return vertices


def _popcount(values: np.ndarray) -> np.ndarray:
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0
        return np.bitwise_count(values)
    counts = np.zeros(values.shape, dtype=np.int64)
    for bit in range(63):
        counts += (values >> bit) & 1
    return counts


def _label_masks(
    X: np.ndarray, Y: np.ndarray, A: np.ndarray, B: np.ndarray, tol: float | None, ptol: float
) -> tuple[np.ndarray, np.ndarray]:
    """Label masks of row strategies ``X`` (vertices of P) and column strategies ``Y`` (of Q).

    ``tol`` None gives each vertex the tolerance of the payoffs its
    responder compares (:func:`response_tolerance`).
    """
    m, n = A.shape
    bits_m = np.int64(1) << np.arange(m, dtype=np.int64)
    bits_n = np.int64(1) << np.arange(n, dtype=np.int64)
    tol_x = response_tolerance(B.T, ptol < X)[:, None] if tol is None else tol
    tol_y = response_tolerance(A, ptol < Y)[:, None] if tol is None else tol
    # einsum, not @: skinny products are much slower through a multithreaded BLAS on a busy machine.
    col_pay = np.einsum("vi,ij->vj", X, B)
    x_tight = col_pay >= col_pay.max(axis=1, keepdims=True) - tol_x
    x_labels = (ptol >= X).astype(np.int64) @ bits_m | (x_tight.astype(np.int64) @ bits_n) << m
    row_pay = np.einsum("vj,ij->vi", Y, A)
    y_tight = row_pay >= row_pay.max(axis=1, keepdims=True) - tol_y
    y_labels = y_tight.astype(np.int64) @ bits_m | ((ptol >= Y).astype(np.int64) @ bits_n) << m
    return x_labels, y_labels


def _pivot_vertices(A: np.ndarray, B: np.ndarray, ptol: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Mixed strategies at the vertices of P and Q found by floating-point pivoting.

    None if the pivoting met a tie (the game is degenerate within round-off)
    or a basic solution is infeasible beyond round-off; the caller then solves
    every basis instead.
    """

    def scaled(G: np.ndarray) -> np.ndarray:  # positive affine map onto [1, 2]
        spread = G.max() - G.min()
        return 1.0 + (G - G.min()) / spread if spread > 0 else np.ones_like(G)

    from deterrence.solvers.polytope_float import float_polytope_vertices

    out = []
    for C in (scaled(B).T, scaled(A)):
        z = float_polytope_vertices(C)
        if z is None:  # a tie in a ratio test: degenerate within round-off
            return None
        z = z[1:]  # drop the origin
        if (z < -ptol).any() or (np.einsum("vj,ij->vi", z, C) > 1.0 + ptol).any():
            return None
        z = np.clip(z, 0.0, None)
        out.append(z / z.sum(axis=1, keepdims=True))
    return out[0], out[1]


def float_equilibria(
    A: np.ndarray, B: np.ndarray, tol: float | None, ptol: float, *, screen: bool = True
) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[tuple[int, int]], bool, bool, list[str]]:
    """Extreme equilibria of a float bimatrix game, with labels decided within tolerance.

    The vertices of ``P`` and ``Q`` are first proposed by the floating-point
    pivoting search of :mod:`.vertex_enumeration`; their labels are computed
    from the payoffs and the list is certified complete by
    :func:`~.vertex_enumeration.certify_vertex_set`.  If that fails (a
    degenerate game, within tolerance) every basis is solved instead by
    :func:`screen_bases`.  A vertex is identified by its label set (two
    different vertices never share one), so candidates are merged by label
    mask, and the equilibria are the completely labelled pairs of vertices.
    In a nondegenerate game these are exactly the equal-support solutions.

    Parameters
    ----------
    A, B : ndarray of float64, shape (m, n)
    tol : float or None
        Absolute regret tolerance for every label; None (what
        :func:`~.enumeration.enumerate_equilibria` uses) gives each vertex
        :func:`response_tolerance` of the payoffs its responder compares, so
        one huge payoff elsewhere cannot make near-misses count as ties.
        Verify each pair at :func:`pair_tolerance`.
    ptol : float
        Tolerance on probabilities.
    screen : bool
        False: when pivoting cannot certify, return no pairs at once instead of solving every basis.

    Returns
    -------
    pairs : list of (x, y)
        Float64 strategies (not yet verified).
    keys : list of (int, int)
        Label masks of ``x`` and ``y``, identifying the vertices (for components).
    degenerate : bool
        Some vertex has more labels than its dimension, within tolerance.
    certified : bool
        The vertex sets passed :func:`~.vertex_enumeration.certify_vertex_set`.
    notes : list of str

    Examples
    --------
    >>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> pairs, keys, degenerate, certified, notes = float_equilibria(A, -A, 1e-9, 1e-9)
    >>> [float(v) for v in pairs[0][0]], degenerate, certified
    ([0.5, 0.5], False, True)
    """
    from deterrence.solvers.polytope_float import certify_vertex_set, complementary_pairs

    m, n = A.shape
    origin_p, origin_q = (1 << m) - 1, ((1 << n) - 1) << m

    def vertex_sets(X: np.ndarray, Y: np.ndarray, x_labels: np.ndarray, y_labels: np.ndarray):
        xv = {mask: i for i, mask in reversed(list(enumerate(x_labels.tolist())))}
        yv = {mask: j for j, mask in reversed(list(enumerate(y_labels.tolist())))}
        degenerate = bool((_popcount(x_labels) > m).any() or (_popcount(y_labels) > n).any())
        certified = not degenerate and (
            certify_vertex_set(set(xv) | {origin_p}, m) and certify_vertex_set(set(yv) | {origin_q}, n)
        )
        return X, Y, xv, yv, degenerate, certified

    found = _pivot_vertices(A, B, ptol)
    certified = False
    if found is not None:
        X, Y = found
        X, Y, xv, yv, degenerate, certified = vertex_sets(X, Y, *_label_masks(X, Y, A, B, tol, ptol))
        how = "pivoting"
    if not certified and not screen:  # the caller has an exact fallback: skip the all-bases screen (issue 9)
        degenerate = True if found is None else degenerate
        return [], [], degenerate, False, ["float vertex sets not certified; every basis was not screened"]
    if not certified:
        xs, ys = screen_bases(A, B, tol, tol, ptol)
        X, Y, xv, yv, degenerate, certified = vertex_sets(xs.strategy, ys.strategy, xs.labels, ys.labels)
        how = "all bases"
    within = "each vertex's tolerance (1e-9 x the range of the payoffs compared)" if tol is None else f"{tol:g}"
    notes = [f"vertices ({how}): {len(xv)} of P, {len(yv)} of Q, labels within tolerance {within}"]
    if not degenerate and not certified:
        notes.append("the vertex sets failed the completeness certificate (ill-conditioned game?)")
    pairs, keys = [], []
    if xv and yv:
        x_masks, y_masks = list(xv), list(yv)  # complete pairs found by hashing the masks (issue 9)
        for i, j in complementary_pairs(x_masks, y_masks, (1 << (m + n)) - 1, n):
            xm, ym = x_masks[i], y_masks[j]
            x = np.clip(X[xv[xm]], 0.0, None)
            y = np.clip(Y[yv[ym]], 0.0, None)
            pairs.append((x / x.sum(), y / y.sum()))
            keys.append((xm, ym))
    return pairs, keys, degenerate, certified, notes
