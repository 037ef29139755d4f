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
* near-ties in the ratio are broken lexicographically.  Up to
  :data:`LEX_UP_TO` sequences the rule is the exact solver's: the rows of
  :math:`B^{-1}` of the tied rows (one transposed solve each), divided by
  their pivots, in the order of the rows of the original system, so the
  float path visits the same bases as the integer one as long as round-off
  decides no comparison.  On larger trees that costs a solve per tied row
  (hundreds per pivot in these degenerate LCPs), so ties are broken by a
  symbolic perturbation of the right-hand side instead,
  :math:`b + \\varepsilon S_1 + \\varepsilon^2 S_2 + \\dots` with the
  columns :math:`S_j` of :func:`_perturbation` (starting basic values in
  blocks of positions, then a random column), whose basic values
  :math:`B^{-1} S` are updated with every pivot like those of :math:`b`.
  Every bounded row starts lexicographically positive, which is what keeps
  Lemke's path from cycling (the perturbation argument of Dantzig, Orden
  and Wolfe 1955, as used for Lemke's algorithm by Eaves 1971);
* a revisited basis (which a lexicographic rule excludes, so only
  round-off in a tie decision can cause it) forces a refactorisation; more
  than :data:`MAX_REPEATS` repeats end the path (``reason="cycling"``), and
  a perturbed path then starts again with another seed of the random
  column, up to :data:`RETRIES` times, within the same pivot budget.

At the end the basic values are recomputed from a fresh factorisation with
one step of iterative refinement.  The caller
(:func:`deterrence.solvers.lcp.nash_lcp`) verifies the equilibrium in the
tree and drops any end point that does not verify.

A different tie rule can end at a different equilibrium: beyond
:data:`LEX_UP_TO` sequences the float and the exact solver need not agree
(both answers are verified equilibria).  The length of Lemke's path, not
round-off, is what limits the size now: it varies by orders of magnitude
between trees of the same size (about 10^3 to over 2 * 10^5 pivots on the
random trees of 2,000 to 8,000 sequences of ``benchmarks/lcp.py``).

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
#: Up to this many sequences ties are broken column by column as in the exact solver; beyond, by a
#: symbolic perturbation of the right-hand side (much cheaper; see the module docstring).
LEX_UP_TO = 600
#: Perturbation bands (see :func:`_perturbation`) and the decay of the weights inside a band, in bits.
BANDS = 16
BAND_DECAY = 20
#: Largest common denominator by which a payoff matrix is scaled (as the exact solver does).
MAX_SCALE = 10**6
#: Restarts (with another seed of the perturbation) of a perturbed path that cycles.
RETRIES = 2
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


def _lex_min(keys: np.ndarray) -> np.ndarray:
    """Indices of the lexicographically smallest rows of ``keys`` (near-equal entries count as equal)."""
    alive = np.arange(keys.shape[0])
    start = 0
    while alive.size > 1 and start < keys.shape[1]:
        sub = keys[alive, start:]
        spread = sub.max(axis=0) - sub.min(axis=0)
        differ = np.flatnonzero(spread > TIE_TOLERANCE * max(1.0, float(np.abs(sub).max())))
        if not differ.size:
            break
        values = sub[:, differ[0]]
        alive = alive[values <= values.min() + TIE_TOLERANCE * max(1.0, float(np.abs(values).max()))]
        start += int(differ[0]) + 1
    return alive


def _lex_first(
    keys: np.ndarray, second: np.ndarray | None, positions: np.ndarray, alpha: np.ndarray, basis: _Basis
) -> int:
    """Position of the lexicographically smallest ``(key, second, row of B^{-1}) / alpha`` among near-ties."""
    tied = keys <= keys.min() + TIE_TOLERANCE * max(1.0, abs(float(keys.min())))
    positions = positions[tied]
    if positions.size > 1 and second is not None:
        positions = positions[_lex_min(second[tied])]
    if positions.size > 1:
        positions = positions[_lex_min(basis.rows(positions) / alpha[positions][:, None])]
    return int(positions[np.argmax(np.abs(alpha[positions]))])  # a remaining tie: the largest pivot


def lemke_float(
    sf: Any,
    start: tuple[list[int], list[int]],
    max_pivots: int,
    *,
    refactor_every: int = REFACTOR_EVERY,
    perturb: bool | None = None,
    seed: int = 1,
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
    perturb : bool, optional
        Break ties by the perturbation of :func:`_perturbation` (default:
        beyond :data:`LEX_UP_TO` sequences) instead of the exact solver's
        lexicographic rule.
    seed : int
        Seed of the perturbation's random column.

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
    if perturb is None:
        perturb = n > LEX_UP_TO
    played = sorted(set(start[0]) | {n1 + j for j in start[1]})
    others = sorted(set(range(n)) - set(played))
    bounded = np.arange(n)  # the u sit in the last k positions and never leave
    spent, factorisations, drift = 0, 0, 0.0
    for attempt in range(1 + RETRIES * bool(perturb)):  # a cycling perturbed path restarts with a new seed
        basis = _Basis(matrix, others + [n + j for j in played] + list(range(2 * n, 2 * n + k)))
        try:
            path = _path(
                basis, rhs, bounded, (n, n1), max_pivots - spent, refactor_every, seed + attempt if perturb else None
            )
        except _Singular:
            path = FloatPath(None, 0, basis.factorisations, float("inf"), "singular basis")
        spent, factorisations = spent + path.pivots, factorisations + path.refactorisations
        drift = max(drift, path.drift)
        if path.reason != "cycling" or spent >= max_pivots:
            break
    return FloatPath(path.plans, spent, factorisations, drift, path.reason)


def _path(
    basis: _Basis,
    rhs: np.ndarray,
    bounded: np.ndarray,
    sizes: tuple[int, int],
    max_pivots: int,
    every: int,
    seed: int | None,
) -> FloatPath:
    n, n1 = sizes
    z0 = len(basis.basis) + n
    shift = None
    if seed is not None:  # rhs + eps * shift[:, 0] + eps^2 * shift[:, 1] + ...: see _perturbation
        shift = basis.matrix[:, basis.basis] @ _perturbation(len(basis.basis), bounded, seed)
    beta = _refreshed(basis, rhs)
    gamma = None if shift is None else _refreshed(basis, shift)
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
    second = None if gamma is None else -(_cols(gamma[neg]) / alpha[neg][:, None])
    row = _lex_first(-(beta[neg] / alpha[neg]), second, neg, -alpha, basis)
    while True:
        theta = beta[row] / alpha[row] if not pivots else max(beta[row], 0.0) / alpha[row]
        beta -= theta * alpha
        beta[row] = theta
        if gamma is not None:
            shift_theta = gamma[row] / alpha[row]
            gamma -= np.multiply.outer(alpha, shift_theta)
            gamma[row] = shift_theta
        leaving = basis.basis[row]
        basis.replace(row, alpha, entering)
        pivots += 1
        code ^= keys[leaving] ^ keys[entering]
        refresh = len(basis.etas) >= every
        if code in seen:
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
            if shift is not None:
                gamma = _refreshed(basis, shift)
        if pivots >= max_pivots:
            return FloatPath(None, pivots, basis.factorisations, drift, "pivot limit")
        entering = leaving + n if leaving < n else leaving - n
        alpha = basis.ftran(basis.column(entering))
        scale = max(1.0, float(np.abs(alpha[bounded]).max()))
        pos = bounded[alpha[bounded] > PIVOT_TOLERANCE * scale]
        if not pos.size:
            return FloatPath(None, pivots, basis.factorisations, drift, "ray")
        second = None if gamma is None else _cols(gamma[pos]) / alpha[pos][:, None]
        row = _lex_first(np.maximum(beta[pos], 0.0) / alpha[pos], second, pos, alpha, basis)


def _cols(a: np.ndarray) -> np.ndarray:
    return a if a.ndim == 2 else a[:, None]


def _perturbation(m: int, bounded: np.ndarray, seed: int) -> np.ndarray:
    """Starting basic values of the perturbation columns: :data:`BANDS` bands, then a random column.

    Band ``b`` is positive on the ``b``-th block of bounded positions, with
    weights falling from 1 to ``2**-BAND_DECAY`` inside the block; the last
    column is uniform on [1, 2] at every bounded position.  Every bounded
    row starts lexicographically positive, and the random column leaves no
    exact tie (with probability 1).
    """
    bands = min(BANDS, bounded.size)
    out = np.zeros((m, bands + 1))
    edges = np.linspace(0, bounded.size, bands + 1).astype(int)
    for b in range(bands):
        lo, hi = edges[b], edges[b + 1]
        out[bounded[lo:hi], b] = 0.5 ** (BAND_DECAY * np.arange(hi - lo) / max(1, hi - lo))
    out[bounded, bands] = np.random.default_rng(seed).uniform(1.0, 2.0, bounded.size)
    return out


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
