"""Small linear programs decided exactly: HiGHS in floats proposes, a rational certificate confirms.

A program here is ``min c.x`` over free variables ``x`` subject to
``G x + g >= 0`` and ``H x + h = 0``, with rational data (Fractions).  It is
solved in floating point by HiGHS (``scipy.optimize.linprog``), and the
answer is only believed once a certificate checks in rational arithmetic
(issue 9: no LP is pivoted in rationals when a certificate can be built):

*optimum*
    The rows tight at the float optimum fix a rational point (an exact
    solve of the tight rows, :func:`deterrence.solvers.dominance._solve_consistent`),
    checked feasible in Fractions; a rational dual vector ``y >= 0``, ``z``
    with ``G^T y + H^T z = c`` supported on those rows is checked to have the
    same objective, so the point is optimal by weak duality.
*infeasible*
    A Farkas vector: ``y >= 0``, ``z`` with ``G^T y + H^T z = 0`` and
    ``g.y + h.z < 0`` (Farkas 1902), proposed by a float LP and checked exactly.
*unbounded*
    A rational feasible point and a ray ``d`` with ``G d >= 0``, ``H d = 0``
    and ``c.d < 0``.

When no certificate can be built (a degenerate or ill-conditioned program,
or a wrong float answer), the program is solved by an exact two-phase
simplex on an integer tableau (:class:`deterrence.solvers.pivoting.Tableau`)
with Bland's entering rule and the lexicographic ratio test, which cannot
cycle (Dantzig, Orden & Wolfe 1955; Bland 1977).

References
----------
Farkas, J. (1902). Theorie der einfachen Ungleichungen. *J. reine angew. Math.* 124, 1-27.
Dantzig, G. B., Orden, A. & Wolfe, P. (1955). The generalized simplex method for minimizing a
linear form under linear inequality restraints. *Pacific J. Math.* 5(2), 183-195.
Bland, R. G. (1977). New finite pivoting rules for the simplex method. *Math. Oper. Res.* 2(2), 103-107.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

import numpy as np

from deterrence.solvers.dominance import _solve_consistent

__all__ = ["Infeasible", "LPResult", "Unbounded", "minimise"]

Row = list[Fraction]
_TIGHT = (1e-9, 1e-7)  # relative slacks below which a row counts as tight at the float optimum
_DENOMINATOR = 10**6  # float guesses for the free coordinates of an exact solve


class Infeasible(Exception):
    """The constraints have no common solution."""


class Unbounded(Exception):
    """The objective has no finite optimum over a non-empty region."""


@dataclass(frozen=True, slots=True)
class LPResult:
    """An exact optimum: ``value = c.x`` and how it was confirmed (``"highs+certificate"`` or ``"exact-simplex"``)."""

    value: Fraction
    x: list[Fraction]
    method: str


def _dot(a: Row, b: Row) -> Fraction:
    return sum((u * v for u, v in zip(a, b, strict=True)), Fraction(0))


def _near(values: np.ndarray) -> list[Fraction]:
    return [Fraction(float(v)).limit_denominator(_DENOMINATOR) for v in values]


def _feasible(x: Row, G: list[Row], g: Row, H: list[Row], h: Row) -> bool:
    return all(_dot(r, x) + c >= 0 for r, c in zip(G, g, strict=True)) and all(
        _dot(r, x) + c == 0 for r, c in zip(H, h, strict=True)
    )


def _highs(c: np.ndarray, a_ub: np.ndarray, b_ub: np.ndarray, a_eq: np.ndarray, b_eq: np.ndarray, bounds: list):
    from scipy.optimize import linprog

    return linprog(
        c,
        A_ub=a_ub if a_ub.size else None,
        b_ub=b_ub if a_ub.size else None,
        A_eq=a_eq if a_eq.size else None,
        b_eq=b_eq if a_eq.size else None,
        bounds=bounds,
        method="highs",
    )


def _tight_point(G: list[Row], g: Row, H: list[Row], h: Row, xf: np.ndarray, slack: np.ndarray, scale: float):
    """Exact points through the rows tight at the float point ``xf``; yields ``(point, tight rows)``."""
    guess = _near(xf)
    seen: set[tuple[int, ...]] = set()
    for tol in _TIGHT:
        tight = tuple(i for i, s in enumerate(slack) if abs(s) <= tol * scale)
        if tight in seen:
            continue
        seen.add(tight)
        x = _solve_consistent([G[i] for i in tight] + H, [-g[i] for i in tight] + [-v for v in h], guess)
        if x is not None and _feasible(x, G, g, H, h):
            yield x, tight


def _certified_optimum(c: Row, G: list[Row], g: Row, H: list[Row], h: Row, res, scale: float) -> LPResult | None:
    """Exact primal point and dual vector from a float optimum, or None if they do not check."""
    n = len(c)
    gf, Gf = np.array(g, dtype=float), np.array(G, dtype=float).reshape(len(G), n)
    xf = np.asarray(res.x, dtype=float)
    y_float = -np.asarray(res.ineqlin.marginals, dtype=float) if G else np.zeros(0)
    z_float = np.asarray(res.eqlin.marginals, dtype=float) if H else np.zeros(0)
    for x, tight in _tight_point(G, g, H, h, xf, Gf @ xf + gf, scale):
        value = _dot(c, x)
        supports = [tuple(i for i in tight if y_float[i] > 1e-12), tight]
        for support in dict.fromkeys(supports):  # dual unknowns: y on the support, then z
            rows = [[G[i][j] for i in support] + [r[j] for r in H] for j in range(n)]
            guess = _near(np.r_[y_float[list(support)], z_float])
            dual = _solve_consistent(rows, list(c), guess)
            if dual is None or any(v < 0 for v in dual[: len(support)]):
                continue
            y, z = dual[: len(support)], dual[len(support) :]
            feasible = all(_dot(row, dual) == cj for row, cj in zip(rows, c, strict=True))  # G^T y + H^T z = c
            if feasible and -_dot(y, [g[i] for i in support]) - _dot(z, h) == value:  # equal objectives
                return LPResult(value, x, "highs+certificate")
    return None


def _farkas(G: list[Row], g: Row, H: list[Row], h: Row, n: int) -> bool:
    """True when a Farkas vector proving ``G x + g >= 0, H x + h = 0`` infeasible checks exactly."""
    m, k = len(G), len(H)
    # Unknowns (y >= 0, z free): G^T y + H^T z = 0, g.y + h.z = -1; minimise sum(y) for a sparse vertex.
    columns = [[G[i][j] for j in range(n)] + [g[i]] for i in range(m)] + [
        [H[r][j] for j in range(n)] + [h[r]] for r in range(k)
    ]
    a_eq = np.array(columns, dtype=float).T.reshape(n + 1, m + k)
    res = _highs(
        np.r_[np.ones(m), np.zeros(k)],
        np.zeros((0, m + k)),
        np.zeros(0),
        a_eq,
        np.r_[np.zeros(n), -1.0],
        [(0, None)] * m + [(None, None)] * k,
    )
    if res.status != 0:
        return False
    w = np.asarray(res.x, dtype=float)
    for support in dict.fromkeys([tuple(i for i in range(m) if w[i] > 1e-9), tuple(range(m))]):
        unknowns = [*support, *range(m, m + k)]
        rows = [[columns[u][j] for u in unknowns] for j in range(n + 1)]
        sol = _solve_consistent(rows, [Fraction(0)] * n + [Fraction(-1)], _near(w[unknowns]))
        if sol is None or any(v < 0 for v in sol[: len(support)]):
            continue
        full = [Fraction(0)] * (m + k)
        for u, v in zip(unknowns, sol, strict=True):
            full[u] = v
        if (
            all(_dot([col[j] for col in columns], full) == 0 for j in range(n))
            and _dot([col[n] for col in columns], full) < 0
        ):
            return True
    return False


def _ray(c: Row, G: list[Row], H: list[Row], n: int, scale: float) -> bool:
    """True when a ray ``d`` with ``G d >= 0``, ``H d = 0`` and ``c.d = -1`` checks exactly."""
    Gf = np.array(G, dtype=float).reshape(len(G), n)
    a_eq = np.array([*H, c], dtype=float).reshape(len(H) + 1, n)
    res = _highs(np.zeros(n), -Gf, np.zeros(len(G)), a_eq, np.r_[np.zeros(len(H)), -1.0], [(None, None)] * n)
    if res.status != 0:
        return False
    zeros = [Fraction(0)] * len(G)
    for d, _ in _tight_point(G, zeros, [*H, c], [Fraction(0)] * len(H) + [Fraction(1)], res.x, Gf @ res.x, scale):
        return _dot(c, d) < 0
    return False


def minimise(c: Row, G: list[Row], g: Row, H: list[Row] = (), h: Row = ()) -> LPResult:  # type: ignore[assignment]
    """Exact ``min c.x`` subject to ``G x + g >= 0`` and ``H x + h = 0`` (``x`` free).

    Parameters
    ----------
    c : list of Fraction
        Objective coefficients, one per variable.
    G, g : list of rows, list of Fraction
        Inequalities ``G x + g >= 0``.
    H, h : list of rows, list of Fraction, optional
        Equalities ``H x + h = 0``.

    Returns
    -------
    LPResult
        The optimal value and an optimal point, both exact.

    Raises
    ------
    Infeasible
        If no point satisfies the constraints.
    Unbounded
        If the objective decreases without bound.

    Examples
    --------
    Minimise ``x + 2y`` with ``x >= 1``, ``y >= 2`` and ``x - y + 1/2 = 0``:

    >>> F = Fraction
    >>> best = minimise([F(1), F(2)], [[F(1), F(0)], [F(0), F(1)]], [F(-1), F(-2)], [[F(1), F(-1)]], [F(1, 2)])
    >>> print(best.value, *best.x, best.method)
    11/2 3/2 2 highs+certificate
    >>> try:  # 0 <= x and x <= -1
    ...     minimise([F(1)], [[F(1)], [F(-1)]], [F(0), F(-1)])
    ... except Infeasible:
    ...     print("infeasible")
    infeasible
    """
    c, G, H = [Fraction(v) for v in c], [[Fraction(v) for v in r] for r in G], [[Fraction(v) for v in r] for r in H]
    g, h = [Fraction(v) for v in g], [Fraction(v) for v in h]
    n = len(c)
    if n == 0:
        if not _feasible([], G, g, H, h):
            raise Infeasible
        return LPResult(Fraction(0), [], "exact")
    data = [abs(float(v)) for r in (*G, *H) for v in r] + [abs(float(v)) for v in (*g, *h, *c)]
    scale = max([1.0, *data])
    Gf, Hf = np.array(G, dtype=float).reshape(len(G), n), np.array(H, dtype=float).reshape(len(H), n)
    try:
        res = _highs(
            np.array(c, dtype=float), -Gf, np.array(g, dtype=float), Hf, -np.array(h, dtype=float), [(None, None)] * n
        )
    except ValueError:  # e.g. non-finite data after float conversion
        res = None
    if res is not None and res.status == 0:
        found = _certified_optimum(c, G, g, H, h, res, scale)
        if found is not None:
            return found
    elif res is not None and res.status == 2 and _farkas(G, g, H, h, n):
        raise Infeasible
    elif res is not None and res.status == 3 and _ray(c, G, H, n, scale):
        try:
            minimise([Fraction(0)] * n, G, g, H, h)  # a certified feasible point
        except Infeasible:
            pass
        else:
            raise Unbounded
    return simplex(c, G, g, H, h)


def simplex(c: Row, G: list[Row], g: Row, H: list[Row], h: Row) -> LPResult:
    """Exact two-phase simplex (Bland's entering rule, lexicographic ratio test): the fallback of :func:`minimise`.

    Examples
    --------
    A degenerate vertex (three lines through the origin in the plane):

    >>> F = Fraction
    >>> best = simplex([F(-1), F(-1)], [[F(1), F(0)], [F(0), F(1)], [F(1), F(-1)], [F(-1), F(-1)]],
    ...                [F(0), F(0), F(0), F(2)], [], [])
    >>> print(best.value, *best.x, best.method)
    -2 1 1 exact-simplex
    """
    from deterrence.solvers.pivoting import Tableau, integer_rows

    n, m, k = len(c), len(G), len(H)
    width = 2 * n + m  # x+ (n), x- (n), surplus s (m)
    rows = []
    for i, (r, const) in enumerate(zip([*G, *H], [*g, *h], strict=True)):
        surplus = [Fraction(-1) if i == j else Fraction(0) for j in range(m)]
        (scaled,) = integer_rows([[*r, *(-v for v in r), *surplus, -const]])
        rows.append(scaled if scaled[-1] >= 0 else [-v for v in scaled])
    p = m + k  # artificial columns width .. width + p - 1, then w, then z
    scale = lcm(*(v.denominator for v in c))
    cost = [int(v * scale) for v in c]
    table = [r[:-1] + [int(i == j) for j in range(p)] + [0, 0, r[-1]] for i, r in enumerate(rows)]
    table.append([sum(r[j] for r in rows) for j in range(width)] + [0] * p + [1, 0, sum(r[-1] for r in rows)])
    table.append([-v for v in cost] + cost + [0] * (m + p) + [0, 1, 0])
    t = Tableau(table, [width + j for j in range(p)] + [width + p, width + p + 1], exact=True)
    constraint_rows, w_row, z_row = range(p), p, p + 1

    def run(row: int, allowed: list[int]) -> bool:  # False: unbounded
        while True:
            entering = next((j for j in allowed if t.entry(row, j) > 0), None)
            if entering is None:
                return True
            leaving = t.leaving_row(entering, constraint_rows)
            if leaving is None:
                return False
            t.pivot(leaving, entering)

    run(w_row, list(range(width)))
    if t.entry(w_row, -1) != 0:
        raise Infeasible
    if not run(z_row, [j for j in range(width) if t.entry(w_row, j) == 0]):
        raise Unbounded
    x = [t.variable_value(j) - t.variable_value(n + j) for j in range(n)]
    return LPResult(_dot(c, x), x, "exact-simplex")
