"""Exact vertex enumeration of the best-response polytopes of a bimatrix game.

Let ``A`` and ``B`` be the ``m x n`` payoff matrices of the row and column
player, shifted by a positive affine map so that every entry is a positive
integer (Nash equilibria do not change).  The best-response polytopes are

.. math::

    P = \\{x \\in \\mathbb{R}^m : x \\ge 0,\\ B^\\top x \\le 1\\}, \\qquad
    Q = \\{y \\in \\mathbb{R}^n : A y \\le 1,\\ y \\ge 0\\}.

A point of either polytope carries the *labels* of its tight inequalities:
label ``i`` (a row, ``0 <= i < m``) when :math:`x_i = 0` in ``P`` or
:math:`(Ay)_i = 1` in ``Q``, and label ``m + j`` (a column) when
:math:`(B^\\top x)_j = 1` in ``P`` or :math:`y_j = 0` in ``Q``.  The extreme Nash
equilibria are exactly the pairs of vertices :math:`(x, y) \\ne (0, 0)` whose
labels together cover all ``m + n`` labels, rescaled to sum to one (von
Stengel, 2002; Avis, Rosenberg, Savani and von Stengel, 2010).  The game is
*degenerate* exactly when some vertex of ``P`` has more than ``m`` labels or
some vertex of ``Q`` more than ``n`` (von Stengel, 2002, section 3.4): a mixed
strategy with support size ``k`` then has more than ``k`` pure best replies.

From :data:`QHULL_FROM` cells on, the vertices come first from qhull in
floating point (:func:`~deterrence.solvers.polytope_float.qhull_vertices`),
used only when error bounds prove each one an exact simple vertex with the
labels found and :func:`~deterrence.solvers.polytope_float.certify_vertex_set`
proves the list complete; every equilibrium is then solved again in rational
arithmetic.  Degenerate games, and games too close to degenerate to decide in
floats, go to :mod:`.polytope_exact` (exact lexicographic integer
pivoting, or pycddlib's exact GMP enumeration).  Completely labelled pairs
are matched by hashing their label masks
(:func:`~deterrence.solvers.polytope_float.complementary_pairs`).  A third route
(``backend="screened"``) solves every basis in floating point
(:mod:`.support_enumeration`), confirms the feasible ones exactly, and
:func:`~deterrence.solvers.polytope_float.certify_vertex_set` then proves such
a list complete when the game is nondegenerate.  So every vertex, every label
and the degeneracy verdict are exact.

References
----------
Avis, D., Rosenberg, G. D., Savani, R. and von Stengel, B. (2010).  Enumeration
of Nash equilibria for two-player games.  *Economic Theory* 42, 9-37.
von Stengel, B. (2002).  Computing equilibria for two-person games.  In
*Handbook of Game Theory* vol. 3, ch. 45, 1723-1759.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from deterrence.numbers import as_exact
from deterrence.solvers.polytope_exact import positive_integer_matrix, vertex_map
from deterrence.solvers.polytope_float import certify_vertex_set, complementary_pairs

#: Games with at least this many cells try qhull first (``backend="auto"``); smaller ones pivot.
QHULL_FROM = 30

__all__ = ["VertexEquilibria", "exact_nash_flags", "vertex_equilibria"]


@dataclass(frozen=True, slots=True, eq=False)
class VertexEquilibria:
    """The extreme equilibria of a bimatrix game from its best-response polytopes.

    Attributes
    ----------
    pairs : tuple of (tuple of Fraction, tuple of Fraction)
        The extreme equilibria ``(x, y)``, unsorted.
    degenerate : bool
        Whether some mixed strategy with support size ``k`` has more than
        ``k`` pure best replies (decided exactly from the vertex labels).
    vertex_counts : (int, int)
        Number of vertices of ``P`` and ``Q`` (including the origin).
    backend : str
        The backend that produced the vertices (``"qhull"`` when its proof
        held, else ``"pivoting"``, ``"cdd"`` or ``"screened"``); ``"screened-uncertified"``
        when the screened lists could not be proved complete (every other
        backend's lists are complete).
    """

    pairs: tuple[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], ...]
    degenerate: bool
    vertex_counts: tuple[int, int]
    backend: str

    @property
    def complete(self) -> bool:
        """True unless the screened backend could not certify its vertex lists."""
        return self.backend != "screened-uncertified"


def _screened_maps(a: list[list[int]], b: list[list[int]]):
    """Vertices of P and Q from the batched floating-point screen, confirmed exactly.

    Also returns whether :func:`certify_vertex_set` proves the lists complete
    (never in a degenerate game).
    """
    from deterrence.solvers.support_enumeration import confirm_exact, screen_bases

    m, n = len(a), len(a[0])

    def as_float(matrix: list[list[int]]) -> np.ndarray:
        top = max(max(row) for row in matrix)
        return np.array([[v / top for v in row] for row in matrix])  # int / int is exact-rounded

    # Loose tolerances: the screen only proposes; exact arithmetic decides.
    xs, ys = screen_bases(as_float(a), as_float(b), 1e-6, 1e-6, 1e-6)
    bt = [list(col) for col in zip(*b, strict=True)]
    p_vertices = confirm_exact(bt, zip(xs.support, xs.tight, strict=True), own_rows=True)
    q_vertices = confirm_exact(a, zip(ys.support, ys.tight, strict=True), own_rows=False)
    p_vertices[((0,) * m, 1)] = (1 << m) - 1
    q_vertices[((0,) * n, 1)] = ((1 << n) - 1) << m
    certified = certify_vertex_set(set(p_vertices.values()), m) and certify_vertex_set(set(q_vertices.values()), n)
    return p_vertices, q_vertices, certified


def vertex_equilibria(A: Any, B: Any, *, backend: str = "auto") -> VertexEquilibria:
    """Every extreme Nash equilibrium of the bimatrix game ``(A, B)``, exactly.

    Parameters
    ----------
    A, B : array_like of int or Fraction
        Row and column player's ``m x n`` payoff matrices.
    backend : {"auto", "qhull", "pivoting", "cdd", "screened"}
        ``"pivoting"`` and ``"cdd"`` are complete exact enumerations, see
        :func:`~deterrence.solvers.polytope_exact.polytope_vertices`.
        ``"qhull"`` lists the vertices with qhull in floating point and uses
        them only when error bounds and :func:`certify_vertex_set` prove the
        list right and the game nondegenerate (each equilibrium is then
        solved exactly); otherwise it pivots.  ``"auto"`` is ``"qhull"`` from
        :data:`QHULL_FROM` cells on and ``"pivoting"`` below (fastest by
        measurement, see ``benchmarks/all_equilibria.py``).  ``"screened"``
        solves every basis in floating point, confirms the feasible ones
        exactly and tries to prove the lists complete with
        :func:`certify_vertex_set` (possible only in a nondegenerate game).

    Returns
    -------
    VertexEquilibria
        The extreme equilibria, the exact degeneracy verdict, the vertex
        counts of ``P`` and ``Q`` and the backend used.

    Examples
    --------
    >>> found = vertex_equilibria([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> sorted([[str(v) for v in x + y] for x, y in found.pairs])
    [['0', '1', '0', '1'], ['1', '0', '1', '0'], ['1/2', '1/2', '1/2', '1/2']]
    >>> found.degenerate, found.vertex_counts, found.backend
    (False, (4, 4), 'pivoting')
    """
    a = positive_integer_matrix(A)
    b = positive_integer_matrix(B)
    m, n = len(a), len(a[0])
    if backend == "auto":
        backend = "qhull" if min(m, n) >= 2 and m * n >= QHULL_FROM else "pivoting"
    if backend == "qhull":
        found = _qhull_equilibria(a, b)
        if found is not None:
            return found
        backend = "pivoting"  # degenerate, or too close to degenerate to decide in floats
    if backend == "screened":
        p_vertices, q_vertices, certified = _screened_maps(a, b)
        backend = "screened" if certified else "screened-uncertified"
    else:
        p_vertices = vertex_map([list(col) for col in zip(*b, strict=True)], backend)
        q_local = vertex_map(a, backend)
        # In Q, local bits 0..n-1 are y_j = 0 (labels m+j), bits n..n+m-1 are rows (labels 0..m-1).
        low = (1 << n) - 1
        q_vertices = {y: ((mask & low) << m) | (mask >> n) for y, mask in q_local.items()}
    degenerate = any(mask.bit_count() > m for mask in p_vertices.values()) or any(
        mask.bit_count() > n for mask in q_vertices.values()
    )
    full = (1 << (m + n)) - 1
    xs = [(nums, mask) for (nums, _), mask in p_vertices.items() if any(nums)]
    ys = [(nums, mask) for (nums, _), mask in q_vertices.items() if any(nums)]
    # Completely labelled pairs: every label is carried by x or by y (matched by hashing the masks).
    hits = complementary_pairs([mask for _, mask in xs], [mask for _, mask in ys], full, n)
    pairs = [(_normalise(xs[i][0]), _normalise(ys[j][0])) for i, j in hits]
    return VertexEquilibria(tuple(pairs), degenerate, (len(p_vertices), len(q_vertices)), backend)


def _qhull_equilibria(a: list[list[int]], b: list[list[int]]) -> VertexEquilibria | None:
    """The extreme equilibria from qhull's vertices, when error bounds prove the game nondegenerate.

    qhull (:func:`~deterrence.solvers.polytope_float.qhull_vertices`) lists
    the vertices of ``P`` and ``Q`` in floating point with their tight
    constraints.  The list is used only when, for every vertex, error bounds
    show that the exact solution of its tight constraints is a vertex with
    exactly those labels, and :func:`certify_vertex_set` shows the label
    sets are closed under adjacency, hence all the vertices (the game is
    then nondegenerate).  The completely labelled pairs are matched by
    their masks and each equilibrium is solved again in rational
    arithmetic.  Otherwise None: the caller pivots exactly.
    """
    from deterrence.solvers.polytope_float import qhull_vertices

    m, n = len(a), len(a[0])

    def as_float(matrix: list[list[int]]) -> np.ndarray:
        top = max(max(row) for row in matrix)
        return np.array([[v / top for v in row] for row in matrix])  # int / int is exact-rounded

    bt = [list(col) for col in zip(*b, strict=True)]
    found_p = qhull_vertices(as_float(bt))
    found_q = qhull_vertices(as_float(a)) if found_p is not None and found_p.proved else None
    if found_p is None or found_q is None or not found_q.proved:
        return None
    low = (1 << n) - 1
    p_masks = found_p.masks  # P's local labels are the global ones: rows 0..m-1, then columns
    q_masks = [((mask & low) << m) | (mask >> n) for mask in found_q.masks]
    if not (certify_vertex_set(np.array(p_masks), m) and certify_vertex_set(np.array(q_masks), n)):
        return None
    full = (1 << (m + n)) - 1
    # Index 0 is the origin on both sides (qhull_vertices puts it first); it is never part of an equilibrium.
    hits = complementary_pairs(p_masks[1:], q_masks[1:], full, n)
    pairs = []
    for i, j in hits:
        xm, ym = p_masks[i + 1], q_masks[j + 1]
        x = _solve_tight(bt, [i for i in range(m) if not xm >> i & 1], [c for c in range(n) if xm >> (m + c) & 1])
        y = _solve_tight(a, [c for c in range(n) if not ym >> (m + c) & 1], [r for r in range(m) if ym >> r & 1])
        if x is None or y is None:
            return None  # cannot happen once the bounds held; never guess
        pairs.append((x, y))
    return VertexEquilibria(tuple(pairs), False, (len(p_masks), len(q_masks)), "qhull")


def _solve_tight(C: list[list[int]], support: list[int], tight: list[int]) -> tuple[Fraction, ...] | None:
    """The normalised exact ``z`` with ``C[r] z = 1`` for ``r`` in ``tight`` and ``z = 0`` off ``support``.

    Fraction-free (Bareiss) elimination on the integer system, then
    fraction-free back substitution: with ``d`` the last pivot (the
    determinant, up to sign) the solution is ``N / d`` with integer Cramer
    numerators ``N``, so every division is exact and no Fraction is formed
    until the normalised result.
    """
    k = len(support)
    if k != len(tight) or k == 0:
        return None
    rows = [[C[r][c] for c in support] + [1] for r in tight]
    prev = 1
    for col in range(k):
        pivot = next((r for r in range(col, k) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        head = rows[col]
        p = head[col]
        for r in range(col + 1, k):
            row = rows[r]
            f = row[col]
            rows[r] = [(v * p - f * h) // prev for v, h in zip(row, head, strict=True)]
        prev = p
    det = prev
    nums = [0] * k  # U[r][r] N_r = det b_r - sum U[r][c] N_c, exactly divisible (N_r is an integer)
    for r in range(k - 1, -1, -1):
        row = rows[r]
        nums[r] = (det * row[k] - sum(row[c] * nums[c] for c in range(r + 1, k))) // row[r]
    if det < 0:
        nums = [-v for v in nums]
    if min(nums) <= 0:
        return None
    total = sum(nums)
    z = [Fraction(0)] * len(C[0])
    for c, v in zip(support, nums, strict=True):
        z[c] = Fraction(v, total)
    return tuple(z)


def _normalise(nums: tuple[int, ...]) -> tuple[Fraction, ...]:
    total = sum(nums)
    return tuple(Fraction(v, total) for v in nums)


def exact_nash_flags(A: Any, B: Any, pairs: list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]) -> list[bool]:
    """Whether each ``(x, y)`` is exactly a Nash equilibrium of ``(A, B)``, in integer arithmetic.

    The test of :func:`~deterrence.solvers.verify.is_nash` (probabilities
    non-negative, summing to one, no gain from a pure deviation), done on
    integers: the payoffs are multiplied by the common denominator of their
    entries and each strategy by that of its probabilities, and every
    strategy in the support of ``x`` must reach the largest entry of
    ``A y`` (likewise ``y`` for ``x^T B``), which for non-negative strategies
    summing to one is the same as zero regret.  The products are Python
    ints, several times faster than :class:`~fractions.Fraction` sums.

    Examples
    --------
    >>> A, B = [[2, 0], [0, 1]], [[1, 0], [0, 2]]  # Battle of the Sexes
    >>> third = (Fraction(2, 3), Fraction(1, 3)), (Fraction(1, 3), Fraction(2, 3))
    >>> exact_nash_flags(A, B, [third, ((1, 0), (0, 1)), ((1, 0), (1, 0))])
    [True, False, True]
    """

    def exact(values: list[Any]) -> list[Any]:  # ints and Fractions as they are (both have numerator, denominator)
        return values if all(type(v) is Fraction or type(v) is int for v in values) else [as_exact(v) for v in values]

    def scaled(matrix: Any) -> list[list[int]]:
        rows = [exact(row) for row in np.asarray(matrix, dtype=object).tolist()]
        scale = lcm(*(v.denominator for row in rows for v in row))
        return [[v.numerator * (scale // v.denominator) for v in row] for row in rows]

    def integers(p: tuple[Any, ...]) -> tuple[list[int], int] | None:
        values = exact(list(p))
        den = lcm(*(v.denominator for v in values))
        nums = [v.numerator * (den // v.denominator) for v in values]
        return (nums, den) if min(nums) >= 0 and sum(nums) == den else None

    a, b = scaled(A), scaled(B)
    m, n = len(a), len(a[0])
    flags = []
    for x, y in pairs:
        xs, ys = integers(x), integers(y)
        if xs is None or ys is None or len(xs[0]) != m or len(ys[0]) != n:
            flags.append(False)
            continue
        x_support = [(i, v) for i, v in enumerate(xs[0]) if v]
        y_support = [(j, v) for j, v in enumerate(ys[0]) if v]
        rows = [sum(row[j] * v for j, v in y_support) for row in a]  # (A y) times the denominators
        cols = [sum(b[i][j] * v for i, v in x_support) for j in range(n)]  # (x^T B) likewise
        top_row, top_col = max(rows), max(cols)
        flags.append(all(rows[i] == top_row for i, _ in x_support) and all(cols[j] == top_col for j, _ in y_support))
    return flags
