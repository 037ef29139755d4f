"""Lemke's algorithm on the sequence-form LCP in floats, with a factorised basis (revised pivoting).

The exact solver (:mod:`deterrence.solvers.lcp`) pivots a whole tableau.  In
floats a dense tableau accumulates round-off with every Gauss-Jordan step;
past about a thousand sequences a degenerate row picks up a spurious tiny
pivot, the basis turns singular and the path is lost.  Here the tableau is
never formed.  The method is the revised simplex method's (Dantzig and
Orchard-Hays 1954) applied to complementary pivoting:

* the basis matrix :math:`B` (columns of the *original* sparse system) is
  kept as a sparse LU factorisation (:func:`scipy.sparse.linalg.splu`) plus
  a file of eta vectors (the product form of the inverse), and is
  refactorised from the original matrix every :data:`REFACTOR_EVERY` pivots,
  at which point the basic values are recomputed from scratch;
* a pivot needs only the entering column :math:`B^{-1} a_q` (one solve); the
  ratio test treats entries below a relative :data:`PIVOT_TOLERANCE` as zero
  and values a little below zero as zero (a tolerance-aware test in the
  spirit of Harris 1973);
* above :data:`EXACT_RULE_UP_TO` sequences ``z0`` wins a near-tie in the
  ratio (standard Lemke practice: its leaving ends the path at once), and
  a refactorisation that finds ``z0`` at most :data:`Z0_ZERO` (relative)
  ends the path too, the basic solution being complementary already.  On
  smaller trees ``z0`` gets no priority, so the path is the exact
  solver's (which ends at the same plans; both are affordable there);
* other near-ties are broken by the exact solver's lexicographic rule, at
  every size: the rows of :math:`B^{-1}` of the tied rows, divided by
  their pivots, in the order of the rows of the original system (which
  keeps the path from cycling: Dantzig, Orden and Wolfe 1955, as used for
  Lemke's algorithm by Eaves 1971).  Ties of at most :data:`ROWS_UP_TO`
  rows (nearly all of them: the median is 3 and the largest 35 on the
  4,096- and 2,050-sequence trees) take those rows in one batched
  transposed solve.  Larger ties are compared column by column, only as
  far as the tie lasts (:func:`_lex_tied`): column ``j`` of :math:`B^{-1}`
  is a unit vector, free, when ``w_j`` is basic, and any other column is
  one solve for every tied row.  (Before, a symbolic perturbation of the
  right-hand side broke ties above 600 sequences; its paths were up to 6
  times longer.  The lexicographic rule without z0's priority is worse
  still: it ran past the pivot limit at 1,026 sequences.  Pivots on the
  seed-1 trees of ``benchmarks/lcp.py``, perturbation -> this rule: 1,024
  sequences 501 -> 171; 1,026: 887 -> 913; 2,048: 1,113 -> 327; 2,050:
  past the 21,500-pivot limit -> 3,789; 4,096: 4,677 -> 2,247; 4,098:
  past the limit under both; 8,192: 48,515 -> 8,007; 8,194: 1,995 ->
  4,691.)
* a revisited basis (which a lexicographic rule excludes, so only
  round-off in a tie decision can cause it) forces a refactorisation; more
  than :data:`MAX_REPEATS` repeats end the path (``reason="cycling"``).

At the end the basic values are recomputed from a fresh factorisation with
one step of iterative refinement.  The caller
(:func:`deterrence.solvers.lcp.nash_lcp`) verifies the equilibrium in the
tree and drops any end point that does not verify.

Beyond :data:`EXACT_RULE_UP_TO` sequences ``z0`` wins ties here and not in
the exact solver, so a float path can end earlier than the integer one, at
another equilibrium (both answers are verified).  The length of Lemke's
path, not round-off, is what limits the size now: it varies by an order of
magnitude between trees of the same size (about 300 to over 40,000 pivots
on the random trees of 2,000 to 8,000 sequences of ``benchmarks/lcp.py``).

References
----------
Dantzig, G. B., Orden, A. and Wolfe, P. (1955). The generalized simplex
method for minimizing a linear form under linear inequality restraints.
Pacific Journal of Mathematics 5, 183-195.
Dantzig, G. B. and Orchard-Hays, W. (1954). The product form for the inverse
in the simplex method. Mathematical Tables and Other Aids to Computation 8,
64-67.
Eaves, B. C. (1971). The linear complementarity problem. Management
Science 17, 612-634.
Harris, P. M. J. (1973). Pivot selection methods of the Devex LP code.
Mathematical Programming 5, 1-28.
Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of
equilibria for extensive two-person games. Games and Economic Behavior 14,
247-259.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

__all__ = ["FloatPath", "lcp_system", "lemke_float", "shifted_cells"]

#: Pivots between two refactorisations of the basis from the original matrix.
REFACTOR_EVERY = 48
#: Entries of the entering column at most this (relative to its largest entry) count as zero.
PIVOT_TOLERANCE = 1e-9
#: Ratios (and lexicographic keys) this close, relative to their size, count as tied.
TIE_TOLERANCE = 1e-9
#: A refactorised value of ``z0`` at most this (relative to the largest basic value) ends the path.
Z0_ZERO = 1e-12
#: Tied rows this few have their rows of B^{-1} solved for at once (a batched solve is cheaper than
#: column-by-column solves, each with its own pass over the eta file).
ROWS_UP_TO = 16
#: Up to this many sequences z0 gets no priority in ties, so the float path is the exact solver's;
#: beyond, z0 wins ties and a zero z0 ends the path (much shorter paths; see the module docstring).
EXACT_RULE_UP_TO = 600
#: Largest common denominator by which a payoff matrix is scaled (as the exact solver does).
MAX_SCALE = 10**6
#: Revisited bases tolerated (each forces a refactorisation) before a start is given up.
MAX_REPEATS = 3


@dataclass(frozen=True, slots=True)
class FloatPath:
    """The end of one float Lemke path.

    Attributes
    ----------
    plans : tuple of two tuples of float, or None
        ``(x, y)``; None when the path ended on a ray, ran past the pivot
        limit or kept revisiting bases.
    pivots : int
        Pivots after the starting basis (``z0`` entering is the first).
    refactorisations : int
        Fresh LU factorisations of the basis.
    drift : float
        Largest difference between the updated basic values and those
        recomputed at a refactorisation (a measure of accumulated round-off).
    reason : str
        ``"equilibrium"``, ``"start"`` (the start was one already),
        ``"ray"``, ``"pivot limit"`` or ``"cycling"``.
    """

    plans: tuple[tuple[float, ...], tuple[float, ...]] | None
    pivots: int
    refactorisations: int
    drift: float
    reason: str


def shifted_cells(sf: Any, player: int) -> dict[tuple[int, int], Fraction]:
    """``{(row, column): sum of p0(z) (u(z) - top)}`` over terminals, exactly; ``top`` = largest payoff + 1.

    Both solvers scale each matrix by the common denominator of its cells
    (the float one when that is at most :data:`MAX_SCALE`): scaling one
    player's matrix changes the path, so both must scale alike to agree.

    Examples
    --------
    >>> from deterrence.forms.synthetic import kuhn_poker
    >>> from deterrence.solvers.sequence_form import sequence_form
    >>> cells = shifted_cells(sequence_form(kuhn_poker()), 0)
    >>> len(cells), min(cells.values())
    (30, Fraction(-5, 6))
    """
    top = max(leaf[3 + player] for leaf in sf.leaves) + 1
    cells: dict[tuple[int, int], Fraction] = {}
    for r, c, w, *u in sf.leaves:
        cells[(r, c)] = cells.get((r, c), Fraction(0)) + Fraction(w) * (Fraction(u[player]) - Fraction(top))
    return cells


def lcp_system(sf: Any, start: tuple[list[int], list[int]]) -> tuple[Any, np.ndarray]:
    """The sparse system ``[I, -M, -N, -d; 0, C, 0, 0] (w, z, u, z0) = (0, e)`` and its right-hand side.

    Columns: ``w`` (n), ``z = (x, y)`` (n), free ``u = (p, q)`` (k), ``z0``;
    rows: one per sequence (``w = E^T p - A y + d z0`` and the like for
    player 2), then ``E x = e`` and ``F y = f``.  Payoffs are shifted to be
    negative at every terminal, as in the exact solver, and ``d`` is 1 for
    sequences not in ``start``.

    Examples
    --------
    >>> from deterrence.forms.synthetic import kuhn_poker
    >>> from deterrence.solvers.sequence_form import sequence_form
    >>> sf = sequence_form(kuhn_poker())
    >>> matrix, rhs = lcp_system(sf, ([0], [0]))
    >>> matrix.shape, float(rhs.sum())
    ((40, 67), 2.0)
    """
    from scipy import sparse

    n1, n2 = len(sf.sequences[0]), len(sf.sequences[1])
    e, f = (c.tocsr().astype(float) for c in sf.constraints)
    k1, k2 = e.shape[0], f.shape[0]
    n, k = n1 + n2, k1 + k2
    shifted = []
    for p in range(2):
        cells = shifted_cells(sf, p)
        scale = lcm(*(v.denominator for v in cells.values())) if cells else 1
        scale = scale if scale <= MAX_SCALE else 1
        rows, cols = (np.array(side, dtype=np.intp).reshape(-1) for side in zip(*cells, strict=True))
        values = np.array([float(v * scale) for v in cells.values()])
        shifted.append(sparse.coo_matrix((values, (rows, cols)), shape=(n1, n2)).tocsr())
    a, b = shifted
    d = np.ones(n)
    d[start[0]] = 0.0
    d[[n1 + j for j in start[1]]] = 0.0
    top_rows = sparse.hstack(
        [
            sparse.identity(n, format="csr"),
            sparse.bmat([[None, a], [b.T, None]], format="csr"),
            -sparse.block_diag([e.T, f.T], format="csr"),
            sparse.csr_matrix(-d[:, None]),
        ]
    )
    bottom = sparse.hstack(
        [sparse.csr_matrix((k, n)), sparse.block_diag([e, f], format="csr"), sparse.csr_matrix((k, k + 1))]
    )
    rhs = np.zeros(n + k)
    rhs[n] = rhs[n + k1] = 1.0
    return sparse.vstack([top_rows, bottom], format="csc"), rhs


class _Basis:
    """``B^{-1}`` as a sparse LU of ``B_0`` and eta vectors: ``B^{-1} = E_t^{-1} ... E_1^{-1} B_0^{-1}``."""

    def __init__(self, matrix: Any, basis: list[int]) -> None:
        self.matrix = matrix
        self.basis = basis
        self.factorisations = 0
        self.refactor()

    def refactor(self) -> None:
        from scipy.sparse.linalg import splu

        try:
            self.lu = splu(self.matrix[:, self.basis].tocsc(), permc_spec="COLAMD")
        except RuntimeError as err:  # SuperLU: "Factor is exactly singular"
            raise _Singular from err
        self.etas: list[tuple[int, np.ndarray]] = []
        self.factorisations += 1

    def column(self, variable: int) -> np.ndarray:
        m = self.matrix
        out = np.zeros(m.shape[0])
        lo, hi = m.indptr[variable], m.indptr[variable + 1]
        out[m.indices[lo:hi]] = m.data[lo:hi]
        return out

    def ftran(self, vector: np.ndarray) -> np.ndarray:
        y = self.lu.solve(vector)
        for r, eta in self.etas:
            yr = y[r] / eta[r]
            y -= np.multiply.outer(eta, yr)
            y[r] = yr
        return y

    def rows(self, positions: np.ndarray) -> np.ndarray:
        """Rows ``positions`` of ``B^{-1}`` (one transposed solve for all of them)."""
        v = np.zeros((self.matrix.shape[0], positions.size))
        v[positions, np.arange(positions.size)] = 1.0
        for r, eta in reversed(self.etas):
            v[r] = (v[r] - (eta @ v - eta[r] * v[r])) / eta[r]
        return np.asarray(self.lu.solve(v, trans="T")).T

    def replace(self, position: int, alpha: np.ndarray, variable: int) -> None:
        self.basis[position] = variable
        self.etas.append((position, alpha))


class _Singular(Exception):
    pass


def _smallest(values: np.ndarray) -> np.ndarray:
    """Mask of the entries of ``values`` within :data:`TIE_TOLERANCE` (relative) of their minimum."""
    low = float(values.min())
    return values <= low + TIE_TOLERANCE * max(1.0, float(np.abs(values).max()))


def _lex_min(keys: np.ndarray) -> np.ndarray:
    """Indices of the lexicographically smallest rows of ``keys`` (near-equal entries count as equal)."""
    alive = np.arange(keys.shape[0])
    start = 0
    while alive.size > 1 and start < keys.shape[1]:
        sub = keys[alive, start:]
        spread = sub.max(axis=0) - sub.min(axis=0)
        differ = np.flatnonzero(spread > TIE_TOLERANCE * np.maximum(1.0, np.abs(sub).max(axis=0)))
        if not differ.size:
            break
        alive = alive[_smallest(sub[:, differ[0]])]
        start += int(differ[0]) + 1
    return alive


def _lex_first(ratios: np.ndarray, positions: np.ndarray, pivots: np.ndarray, basis: _Basis, n: int, z0_at: int) -> int:
    """Position that leaves: the smallest ratio; ``z0`` wins a tie, the lexicographic rule breaks the others."""
    alive = positions[_smallest(ratios) if ratios.size > 1 else slice(None)]
    if alive.size > 1 and np.any(alive == z0_at):
        return z0_at  # z0 leaving ends the path at once (and z0 is then exactly zero)
    if alive.size > 1:
        alive = _lex_tied(alive, pivots, basis, n)
    return int(alive[np.argmax(np.abs(pivots[alive]))])  # a remaining tie: the largest pivot


def _lex_tied(alive: np.ndarray, pivots: np.ndarray, basis: _Basis, n: int) -> np.ndarray:
    """The tied positions whose rows of ``B^{-1}`` divided by their pivots are lexicographically smallest.

    The key of a position is its row of :math:`B^{-1}` (in the order of the
    rows of the original system) divided by its pivot, compared column by
    column until one position is left.  Column ``j`` of :math:`B^{-1}` costs
    nothing when ``w_j`` is basic, at position ``p``: :math:`B e_p = e_j`,
    so the column is the unit vector ``e_p`` and only the position holding
    ``w_j`` (if it is tied) has a nonzero, hence larger, entry.  Any other
    column is one solve :math:`B^{-1} e_j` for all tied positions at once.
    Once the survivors are at most :data:`ROWS_UP_TO` or the solves already
    spent, their whole rows (one batched transposed solve) are cheaper, and
    finish the comparison.
    """
    if alive.size <= ROWS_UP_TO:  # the common case: ties of a few rows (median 3 on the benchmark trees)
        return alive[_lex_min(basis.rows(alive) / pivots[alive][:, None])]
    variables = np.asarray(basis.basis)
    m = variables.size
    slack = np.zeros(m, dtype=bool)  # columns j whose w_j is basic
    slack[variables[variables < n]] = True
    costly = np.flatnonzero(~slack)
    done, solves = -1, 0  # columns 0..done compared so far
    while alive.size > 1:
        held = variables[alive]
        slacks = held[(held > done) & (held < n)]
        unit = int(slacks.min()) if slacks.size else m
        at = int(np.searchsorted(costly, done, side="right"))
        column = int(costly[at]) if at < costly.size else m
        if min(unit, column) >= m:
            break
        if unit < column:
            values = np.where(held == unit, 1.0 / pivots[alive], 0.0)
            done = unit
        elif alive.size <= max(ROWS_UP_TO, solves):
            keys = basis.rows(alive) / pivots[alive][:, None]
            return alive[_lex_min(keys[:, column:])]
        else:
            e = np.zeros(m)
            e[column] = 1.0
            values = basis.ftran(e)[alive] / pivots[alive]
            solves += 1
            done = column
        if float(values.max() - values.min()) > TIE_TOLERANCE * max(1.0, float(np.abs(values).max())):
            alive = alive[_smallest(values)]
    return alive


def lemke_float(
    sf: Any,
    start: tuple[list[int], list[int]],
    max_pivots: int,
    *,
    refactor_every: int = REFACTOR_EVERY,
) -> FloatPath:
    """Lemke's path from the pure plans ``start`` with a factorised basis; the plans at its end.

    Parameters
    ----------
    sf : SequenceForm
    start : pair of lists of int
        Each player's starting sequences (the empty one and one action per
        information set), as in :func:`deterrence.solvers.lcp.lcp_plans`.
    max_pivots : int
        Give up (``reason="pivot limit"``) after this many pivots.
    refactor_every : int
        Pivots between refactorisations.

    Returns
    -------
    FloatPath

    Examples
    --------
    >>> from deterrence.forms.synthetic import kuhn_poker
    >>> from deterrence.solvers.lcp import _start_plan
    >>> from deterrence.solvers.sequence_form import sequence_form
    >>> sf = sequence_form(kuhn_poker())
    >>> start = tuple(_start_plan(sf, p, lambda s: s[0]) for p in range(2))
    >>> path = lemke_float(sf, start, 1000)
    >>> path.reason, round(sum(path.plans[0][1:3]), 9)
    ('equilibrium', 1.0)
    """
    matrix, rhs = lcp_system(sf, start)
    n1, n = len(sf.sequences[0]), sf.size
    k = matrix.shape[0] - n
    played = sorted(set(start[0]) | {n1 + j for j in start[1]})
    others = sorted(set(range(n)) - set(played))
    basis = _Basis(matrix, others + [n + j for j in played] + list(range(2 * n, 2 * n + k)))
    try:
        return _path(basis, rhs, (n, n1), max_pivots, refactor_every, n > EXACT_RULE_UP_TO)
    except _Singular:
        return FloatPath(None, 0, basis.factorisations, float("inf"), "singular basis")


def _path(
    basis: _Basis, rhs: np.ndarray, sizes: tuple[int, int], max_pivots: int, every: int, z0_first: bool
) -> FloatPath:
    n, n1 = sizes
    z0 = len(basis.basis) + n
    bounded = np.arange(n)  # the u sit in the last k positions and never leave
    beta = _refreshed(basis, rhs)
    pivots, drift, repeats = 0, 0.0, 0
    keys = np.random.default_rng(0).integers(1, 2**62, size=z0 + 1).tolist()
    code = 0
    for v in basis.basis:
        code ^= keys[v]
    seen = {code: 0}
    alpha = basis.ftran(basis.column(z0))
    neg = bounded[alpha[bounded] < -PIVOT_TOLERANCE * max(1.0, float(np.abs(alpha).max()))]
    # z0 enters at the smallest level that makes every basic value nonnegative: the lexicographic
    # maximum of beta / alpha over negative entries (the minimum of the negated keys).
    if not neg.size or beta[neg].min() >= 0:
        return FloatPath(_plans(basis, rhs, n, n1), 0, basis.factorisations, 0.0, "start")
    entering = z0
    row = _lex_first(-(beta[neg] / alpha[neg]), neg, -alpha, basis, n, -1)
    z0_at = row
    while True:
        theta = beta[row] / alpha[row] if not pivots else max(beta[row], 0.0) / alpha[row]
        beta -= theta * alpha
        beta[row] = theta
        leaving = basis.basis[row]
        basis.replace(row, alpha, entering)
        pivots += 1
        code ^= keys[leaving] ^ keys[entering]
        refresh = len(basis.etas) >= every
        if code in seen:  # only round-off in a tie decision can revisit a basis under a lexicographic rule
            repeats += 1
            if repeats > MAX_REPEATS:
                return FloatPath(None, pivots, basis.factorisations, drift, "cycling")
            refresh, seen = True, {}
        seen[code] = pivots
        if leaving == z0:
            return FloatPath(_plans(basis, rhs, n, n1), pivots, basis.factorisations, drift, "equilibrium")
        if refresh:
            basis.refactor()
            fresh = _refreshed(basis, rhs)
            drift = max(drift, float(np.abs(fresh - beta).max()))
            beta = fresh
            if z0_first and beta[z0_at] <= Z0_ZERO * max(1.0, float(np.abs(beta).max())):
                # z0 is zero up to round-off: the basic solution is complementary already.
                return FloatPath(_plans(basis, rhs, n, n1), pivots, basis.factorisations, drift, "equilibrium")
        if pivots >= max_pivots:
            return FloatPath(None, pivots, basis.factorisations, drift, "pivot limit")
        entering = leaving + n if leaving < n else leaving - n
        alpha = basis.ftran(basis.column(entering))
        scale = max(1.0, float(np.abs(alpha[bounded]).max()))
        pos = bounded[alpha[bounded] > PIVOT_TOLERANCE * scale]
        if not pos.size:
            return FloatPath(None, pivots, basis.factorisations, drift, "ray")
        row = _lex_first(np.maximum(beta[pos], 0.0) / alpha[pos], pos, alpha, basis, n, z0_at if z0_first else -1)


def _refreshed(basis: _Basis, rhs: np.ndarray) -> np.ndarray:
    """Basic values from the current factorisation, with one step of iterative refinement."""
    beta = basis.ftran(rhs)
    residual = rhs - basis.matrix[:, basis.basis] @ beta
    return beta + basis.ftran(residual)


def _plans(basis: _Basis, rhs: np.ndarray, n: int, n1: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """``(x, y)`` at the current basis, from a fresh factorisation (tiny negatives set to zero)."""
    basis.refactor()
    beta = _refreshed(basis, rhs)
    z = [0.0] * n
    for position, v in enumerate(basis.basis):
        if n <= v < 2 * n:
            z[v - n] = max(float(beta[position]), 0.0)
    return tuple(z[:n1]), tuple(z[n1:])
