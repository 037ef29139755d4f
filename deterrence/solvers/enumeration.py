"""All Nash equilibria of a two-player normal-form (bimatrix) game.

For payoff matrices ``A`` (row player) and ``B`` (column player) of shape
``m x n``, a pair of mixed strategies ``(x, y)`` is a Nash equilibrium when
every pure strategy in the support of ``x`` is a best reply to ``y`` (it
maximises :math:`(Ay)_i`) and every pure strategy in the support of ``y`` is a
best reply to ``x`` (it maximises :math:`(x^\\top B)_j`).

In a *nondegenerate* game (no mixed strategy with support size ``k`` has more
than ``k`` pure best replies) the equilibria are finitely many, isolated, odd
in number, and each has supports of equal size (Shapley, 1974; von Stengel,
2002).  In a degenerate game the equilibria form finitely many convex
polytopes, glued into connected components; this module then lists every
*extreme* equilibrium, as Gambit's ``enummixed`` does, and groups them into
components: the connected components of the bipartite graph whose edges are
the extreme equilibria (Avis, Rosenberg, Savani and von Stengel, 2010).
:func:`maximal_nash_subsets` gives the maximal convex sets ("cliques")
themselves.

Methods (see :func:`enumerate_equilibria`):

``"vertex"``
    Exact vertex enumeration of the best-response polytopes
    (:mod:`.vertex_enumeration`); complete in every game, degeneracy decided
    exactly.  Float payoffs are converted exactly to their binary rational
    values first.
``"support"``
    Batched support enumeration (:mod:`.support_enumeration`): floating point
    with a tolerance for float payoffs, exact confirmation for exact ones.
    Complete when the game is nondegenerate, which is then certified.
``"nashpy"``, ``"nashpy-vertex"``
    nashpy's algorithms, wrapped and verified (:mod:`.nashpy_backend`).
``"auto"``
    ``"vertex"`` for exact payoffs.  For float payoffs ``"support"``, and when
    that cannot certify its list (a game degenerate within the tolerance)
    exact vertex enumeration of the payoffs' binary rational values, returned
    as floats (``method="vertex-exact-binary"``).

References
----------
Avis, D., Rosenberg, G. D., Savani, R. and von Stengel, B. (2010).  Enumeration
of Nash equilibria for two-player games.  *Economic Theory* 42, 9-37.
Shapley, L. S. (1974).  A note on the Lemke-Howson algorithm.  *Mathematical
Programming Study* 1, 175-189.
von Stengel, B. (2002).  Computing equilibria for two-person games.  In
*Handbook of Game Theory* vol. 3, ch. 45, 1723-1759.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.errors import SolverError
from deterrence.numbers import exact_array, is_exact_array
from deterrence.solvers.bimatrix import BimatrixEquilibria, components, sort_key
from deterrence.solvers.result import Solution
from deterrence.solvers.verify import FLOAT_TOLERANCE, is_nash

__all__ = [
    "BimatrixEquilibria",
    "enumerate_equilibria",
    "maximal_nash_subsets",
    "nash_nashpy",
    "nash_nashpy_vertex",
    "nash_support",
    "nash_vertex",
    "METHODS",
]

METHODS = ("auto", "vertex", "support", "nashpy", "nashpy-vertex")


def _as_matrices(A: Any, B: Any) -> tuple[np.ndarray, np.ndarray, bool]:
    """Validate the payoff matrices; return them (object Fractions or float64) and whether exact."""
    a, b = np.asarray(A), np.asarray(B)
    if a.ndim != 2 or b.ndim != 2 or a.shape != b.shape or 0 in a.shape:
        raise SolverError(
            f"a bimatrix game needs two payoff matrices of the same non-empty 2-D shape, got {a.shape} and {b.shape}"
        )
    if is_exact_array(a) and is_exact_array(b):
        return exact_array(a), exact_array(b), True
    try:
        af, bf = a.astype(np.float64), b.astype(np.float64)
    except (TypeError, ValueError) as err:
        raise SolverError(f"payoffs must be numbers (evaluate symbolic games first): {err}") from None
    if not (np.isfinite(af).all() and np.isfinite(bf).all()):
        raise SolverError("payoffs must be finite")
    return af, bf, False


def _finish_exact(
    pairs: list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]],
    payoffs: np.ndarray,
    *,
    complete: bool,
    degenerate: bool | None,
    method: str,
    notes: list[str],
) -> BimatrixEquilibria:
    """Verify exactly (in integers: the test of ``is_nash``, several times faster), sort, group into components."""
    from deterrence.solvers.vertex_enumeration import exact_nash_flags

    unique = sorted(set(pairs), key=lambda p: sort_key(*p))
    flags = exact_nash_flags(payoffs[..., 0], payoffs[..., 1], unique)
    verified = [p for p, ok in zip(unique, flags, strict=True) if ok]
    if len(verified) < len(unique):  # cannot happen for a correct solver; never hide it
        notes.append(f"{len(unique) - len(verified)} candidate(s) failed exact verification and were dropped")
        complete = False
    return BimatrixEquilibria(
        equilibria=tuple(verified),
        exact=True,
        complete=complete,
        degenerate=degenerate,
        components=components(_ids(verified)),
        method=method,
        tolerance=0.0,
        notes=tuple(notes),
    )


def _ids(pairs: list) -> list[tuple[int, int]]:
    """Each pair's ``(x, y)`` as small ints, equal exactly when the strategies are (one hash of each tuple)."""
    xs: dict[Any, int] = {}
    ys: dict[Any, int] = {}
    return [(xs.setdefault(x, len(xs)), ys.setdefault(y, len(ys))) for x, y in pairs]


def _stack(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.stack([a, b], axis=-1)


def _vertex_exact(a: np.ndarray, b: np.ndarray, backend: str, notes: list[str]) -> BimatrixEquilibria:
    from deterrence.solvers.vertex_enumeration import vertex_equilibria

    found = vertex_equilibria(a, b, backend=backend)
    counts = found.vertex_counts
    notes.append(f"vertex enumeration ({found.backend}): {counts[0]} vertices of P, {counts[1]} of Q")
    if found.degenerate:
        notes.append("degenerate game: all extreme equilibria listed, grouped into components")
    return _finish_exact(
        list(found.pairs),
        _stack(a, b),
        complete=True,
        degenerate=found.degenerate,
        method="vertex-exact",
        notes=notes,
    )


def _support_exact(a: np.ndarray, b: np.ndarray, notes: list[str]) -> BimatrixEquilibria:
    from deterrence.solvers.vertex_enumeration import vertex_equilibria

    found = vertex_equilibria(a, b, backend="screened")
    pairs, degenerate, counts = list(found.pairs), found.degenerate, found.vertex_counts
    certified = found.backend == "screened"
    notes.append(f"support enumeration with exact confirmation: {counts[0]} + {counts[1]} vertices")
    if certified:
        notes.append("nondegenerate: the exactly confirmed vertex sets are certified complete")
    else:
        notes.append(
            "candidates screened in floating point and confirmed exactly, but the vertex set could "
            "not be certified complete"
            + (" (degenerate game)" if degenerate else "")
            + "; use method='vertex' for a complete list"
        )
    return _finish_exact(
        pairs,
        _stack(a, b),
        complete=certified,
        degenerate=degenerate,
        method="support-exact",
        notes=notes,
    )


#: Float games with more bases than this skip the all-bases screen on the ``auto`` path when the
#: fast vertex lists cannot be certified: the exact fallback follows anyway (issue 9).
SCREEN_BEFORE_EXACT = 20_000


def _verify_pairs(a: np.ndarray, b: np.ndarray, pairs: list) -> tuple[np.ndarray, np.ndarray]:
    """Each float pair's :func:`~.support_enumeration.pair_tolerance` and whether it is Nash within it.

    The same test as :func:`~.verify.is_nash` at that tolerance (probabilities
    non-negative and summing to one, both regrets at most the tolerance), for
    all pairs in a few stacked products instead of one call per pair.

    Examples
    --------
    >>> a, b = np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0]])  # Battle of the Sexes
    >>> x, y = np.array([2 / 3, 1 / 3]), np.array([1 / 3, 2 / 3])
    >>> tols, nash = _verify_pairs(a, b, [(x, y), (y, x)])
    >>> [float(t) for t in tols], nash.tolist()
    ([2e-09, 2e-09], [True, False])
    """
    from deterrence.solvers.support_enumeration import response_tolerance

    if not pairs:
        return np.zeros(0), np.zeros(0, dtype=bool)
    X = np.array([x for x, _ in pairs], dtype=np.float64)
    Y = np.array([y for _, y in pairs], dtype=np.float64)
    tol = np.maximum(response_tolerance(a, Y > FLOAT_TOLERANCE), response_tolerance(b.T, X > FLOAT_TOLERANCE))
    # einsum, not @: skinny products are slower through a multithreaded BLAS on a busy machine.
    row_pay = np.einsum("vj,ij->vi", Y, a)  # each row strategy against y
    col_pay = np.einsum("vi,ij->vj", X, b)  # each column strategy against x
    row_regret = row_pay.max(axis=1) - np.einsum("vi,vi->v", X, row_pay)
    col_regret = col_pay.max(axis=1) - np.einsum("vj,vj->v", Y, col_pay)
    ok = (row_regret <= tol) & (col_regret <= tol)
    for P in (X, Y):
        ok &= (-tol[:, None] <= P).all(axis=1) & (np.abs(P.sum(axis=1) - 1.0) <= tol)
    return tol, ok


def _support_float(a: np.ndarray, b: np.ndarray, notes: list[str], *, screen: bool = True) -> BimatrixEquilibria:
    from deterrence.solvers.polytope_float import QHULL_FROM
    from deterrence.solvers.polytope_qhull import qhull_float_equilibria
    from deterrence.solvers.support_enumeration import float_equilibria

    if sum(a.shape) > 62:  # label sets are int64 bitmasks
        raise SolverError(
            f"the float support path handles at most 62 strategies in all, got {a.shape}; use method='vertex'"
        )
    # Tolerances scale with the payoffs each candidate compares (issue 13); the largest used is stated.
    # From QHULL_FROM cells on, qhull's vertices, certified, in a few numpy steps; else the general path.
    found = qhull_float_equilibria(a, b, FLOAT_TOLERANCE) if a.size >= QHULL_FROM else None
    pairs, keys, degenerate, certified, extra = found or float_equilibria(a, b, None, FLOAT_TOLERANCE, screen=screen)
    tols, nash = _verify_pairs(a, b, pairs)  # every pair at once (issue 9)
    tol = max(tols.tolist(), default=FLOAT_TOLERANCE)
    notes.extend(extra)
    # Round for the order only, so ties in the 16th digit cannot make it platform dependent.
    rounded = np.round(np.hstack([[x for x, _ in pairs], [y for _, y in pairs]]), 9).tolist() if pairs else []
    order = sorted(range(len(pairs)), key=lambda i: sort_key(rounded[i], ()))
    kept, kept_keys = [], []
    for i in order:
        x, y = pairs[i]
        if nash[i]:
            x.setflags(write=False)
            y.setflags(write=False)
            kept.append((x, y))
            kept_keys.append(keys[i])
    if len(kept) < len(pairs):
        notes.append(f"{len(pairs) - len(kept)} candidate(s) failed verification at tolerance {tol:g}")
    complete = certified and not degenerate and len(kept) == len(pairs)
    if degenerate:
        notes.append(
            f"degenerate within tolerance {tol:g}: extreme equilibria matched from the vertices "
            "found; "
            "pass exact payoffs (int/Fraction) for a complete exact list"
        )
    return BimatrixEquilibria(
        equilibria=tuple(kept),
        exact=False,
        complete=complete,
        degenerate=degenerate,
        components=components(kept_keys),
        method="support-float",
        tolerance=tol,
        notes=tuple(notes),
    )


def _binary_exact(a: np.ndarray, b: np.ndarray, screened: BimatrixEquilibria) -> BimatrixEquilibria:
    """Float game the float path could not certify: enumerate its binary rational values exactly.

    A float is an exact dyadic rational, so exact vertex enumeration of those
    values is the complete answer for the game as given; it is returned in
    floats and verified at the float tolerance.
    """
    notes = [
        *screened.notes,
        "not certified in floating point: exact vertex enumeration of the payoffs' binary rational values instead",
    ]
    exact = _vertex_exact(
        exact_array([[Fraction(float(v)) for v in row] for row in a]),
        exact_array([[Fraction(float(v)) for v in row] for row in b]),
        "auto",
        notes,
    )
    if screened.degenerate and not exact.degenerate:
        notes.append(
            f"nearly degenerate: payoffs tie within tolerance {screened.tolerance:g} but not "
            "exactly; equilibria listed for the exact values may lie very close together"
        )
    payoffs, tol = _stack(a, b), screened.tolerance
    kept = []
    for x, y in exact.equilibria:
        xf, yf = np.array([float(v) for v in x]), np.array([float(v) for v in y])
        xf.setflags(write=False)
        yf.setflags(write=False)
        kept.append((xf, yf))
    from deterrence.solvers.support_enumeration import pair_tolerance

    # State a tolerance that covers every listed profile's own comparisons (issue 13).
    tol = max([tol, *(pair_tolerance(a, b, x, y) for x, y in kept)])
    failed = sum(not is_nash(payoffs, pair, tol) for pair in kept)
    if failed:  # a float tie broken at the 16th digit can leave a regret above the tolerance
        notes.append(f"{failed} exact equilibria have float regret above {tol:g}")
    return BimatrixEquilibria(
        equilibria=tuple(kept),
        exact=False,
        complete=exact.complete,
        degenerate=exact.degenerate,
        components=exact.components,
        method="vertex-exact-binary",
        tolerance=tol,
        notes=tuple(notes),
    )


def enumerate_equilibria(A: Any, B: Any, *, method: str = "auto") -> BimatrixEquilibria:
    """Every Nash equilibrium of a bimatrix game, verified; every extreme one if degenerate.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row and the column player.  ints and Fractions (or
        integer arrays) are exact; any float makes the game a float game.
    method : {"auto", "vertex", "support", "nashpy", "nashpy-vertex"}
        ``"auto"`` uses ``"vertex"`` (exact, complete) for exact payoffs and
        ``"support"`` (floating point, certified) for float payoffs, falling
        back to exact enumeration of the float values when the float list
        cannot be certified complete.  See the module docstring.

    Returns
    -------
    BimatrixEquilibria
        The verified equilibria, whether they are exact and complete, whether
        the game is degenerate, and the connected components.

    Raises
    ------
    SolverError
        If the matrices are not numeric, finite, 2-D and of one shape, or the
        method is unknown.

    Examples
    --------
    Battle of the Sexes has two pure equilibria and one mixed one:

    >>> res = enumerate_equilibria([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> for x, y in res.equilibria:
    ...     print([str(v) for v in x], [str(v) for v in y])
    ['1', '0'] ['1', '0']
    ['2/3', '1/3'] ['1/3', '2/3']
    ['0', '1'] ['0', '1']
    >>> res.exact, res.complete, res.degenerate
    (True, True, False)
    """
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    a, b, exact = _as_matrices(A, B)
    notes: list[str] = []
    if method in ("nashpy", "nashpy-vertex"):
        from deterrence.solvers.nashpy_backend import nashpy_equilibria

        return nashpy_equilibria(a, b, algorithm="vertex" if method == "nashpy-vertex" else "support")
    if method == "auto" and not exact and sum(a.shape) <= 62:
        from math import comb

        screened = _support_float(a, b, notes, screen=comb(sum(a.shape), a.shape[0]) <= SCREEN_BEFORE_EXACT)
        return screened if screened.complete else _binary_exact(a, b, screened)
    if method == "auto":
        method = "vertex"  # exact payoffs (or a float game too big for the float path)
    if method == "vertex":
        if not exact:
            notes.append("float payoffs converted exactly to their binary rational values")
            a = exact_array([[Fraction(float(v)) for v in row] for row in a])
            b = exact_array([[Fraction(float(v)) for v in row] for row in b])
        return _vertex_exact(a, b, "auto", notes)
    return _support_exact(a, b, notes) if exact else _support_float(a, b, notes)


def maximal_nash_subsets(
    result: BimatrixEquilibria,
) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """Maximal Nash subsets ("cliques") of a complete list of extreme equilibria.

    Each extreme equilibrium is an edge between its ``x`` and its ``y``.  A
    maximal complete bipartite subgraph ``X x Y`` is a maximal Nash subset:
    every pair in ``conv(X) x conv(Y)`` is an equilibrium, and the set of all
    equilibria is the union of these convex sets (Avis et al., 2010, sec. 4).

    Parameters
    ----------
    result : BimatrixEquilibria
        A complete result (``result.complete``).

    Returns
    -------
    tuple of (x-indices, y-indices)
        Each entry lists indices into ``result.equilibria`` whose ``x`` (resp.
        ``y``) parts span the clique; sorted.

    Examples
    --------
    >>> res = enumerate_equilibria([[1, 1], [1, 1]], [[1, 1], [1, 1]])
    >>> len(res.equilibria), maximal_nash_subsets(res)  # the whole square is one clique
    (4, (((0, 2), (0, 1)),))
    """

    def key(v: Any) -> Any:
        return v if result.exact else tuple(np.round(np.asarray(v), 9).tolist())

    xs: dict[Any, int] = {}
    ys: dict[Any, int] = {}
    neighbours: dict[Any, set[Any]] = {}
    for index, (x, y) in enumerate(result.equilibria):
        xk, yk = key(x), key(y)
        xs.setdefault(xk, index)
        ys.setdefault(yk, index)
        neighbours.setdefault(xk, set()).add(yk)
    # Closed y-sets are the intersections of x-neighbourhoods; each gives one maximal clique.
    closed: set[frozenset[Any]] = set()
    frontier = {frozenset(s) for s in neighbours.values()}
    while frontier:
        closed |= frontier
        frontier = {a & b for a in frontier for b in closed if a & b} - closed
    cliques = []
    for yset in closed:
        xset = [xk for xk, nb in neighbours.items() if yset <= nb]
        cliques.append((tuple(sorted(xs[k] for k in xset)), tuple(sorted(ys[k] for k in yset))))
    return tuple(sorted(cliques))


# -- registered solvers (see deterrence.solvers.catalog) ----------------------
def _solve_game(game: Any, method: str) -> Solution:
    """All equilibria of a two-player NormalFormGame by ``method``, each verified and labelled."""
    from deterrence.solvers.profiles import matrix_equilibrium

    a, b = game.bimatrix()
    found = enumerate_equilibria(a, b, method=method)
    component_of = {i: c for c, members in enumerate(found.components) for i in members}
    equilibria = tuple(
        matrix_equilibrium(
            game,
            [x, y],
            found.exact,
            component=component_of.get(i) if found.degenerate else None,
            tolerance=found.tolerance or None,
        )
        for i, (x, y) in enumerate(found.equilibria)
    )
    return Solution(equilibria, found.complete, found.degenerate, found.tolerance, found.notes, found.method)


def nash_vertex(game: Any) -> Solution:
    """Registered ``nash``/``normal-2p``/``vertex``: exact vertex enumeration (reports ``vertex-exact``)."""
    return _solve_game(game, "vertex")


def nash_support(game: Any) -> Solution:
    """Registered ``nash``/``normal-2p``/``support``: support enumeration (``support-exact``/``-float``)."""
    return _solve_game(game, "support")


def nash_nashpy(game: Any) -> Solution:
    """Registered ``nash``/``normal-2p``/``nashpy``: nashpy's support enumeration, verified."""
    return _solve_game(game, "nashpy")


def nash_nashpy_vertex(game: Any) -> Solution:
    """Registered ``nash``/``normal-2p``/``nashpy-vertex``: nashpy's vertex enumeration, verified."""
    return _solve_game(game, "nashpy-vertex")
