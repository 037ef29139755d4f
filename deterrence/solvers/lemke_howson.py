"""Lemke–Howson: one equilibrium of a bimatrix game per initially dropped label.

With payoffs made positive (a positive affine change of each player's
payoffs changes no equilibrium), the best-response polytopes are
:math:`P = \\{x \\ge 0 : B^\\top x \\le 1\\}` and
:math:`Q = \\{y \\ge 0 : A y \\le 1\\}`.  Give the row player's pure strategies
labels :math:`0..m-1` and the column player's :math:`m..m+n-1`; a point
of :math:`P \\times Q` has label :math:`i` when :math:`x_i = 0` or
:math:`(Ay)_i = 1`, and label :math:`m+j` when :math:`y_j = 0` or
:math:`(B^\\top x)_j = 1`.  The completely labelled points other than
:math:`(0, 0)` are the equilibria (normalised).  Lemke and Howson (1964)
leave :math:`(0, 0)` by dropping one label :math:`k` and follow the edges
of points missing only :math:`k` until :math:`k` is picked up again.

Both polytopes live in one tableau (the rows of :math:`Q` only involve
:math:`y`, those of :math:`P` only :math:`x`), pivoted by
:class:`deterrence.solvers.pivoting.Tableau`: exactly by integer pivoting,
or in floats.  The lexicographic ratio test makes every path finite in
degenerate games too.

Running from all :math:`m + n` labels finds some equilibria, not
necessarily all (Shapley 1974 gives games where some equilibria are on
no path from the artificial equilibrium); the result says so.

References
----------
Lemke, C. E. and Howson, J. T. (1964). Equilibrium points of bimatrix games.
SIAM J. Applied Mathematics 12, 413-423.
Shapley, L. S. (1974). A note on the Lemke-Howson algorithm. Mathematical
Programming Study 1, 175-189.
von Stengel, B. (2002). Computing equilibria for two-person games. Handbook of
Game Theory 3, ch. 45.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from deterrence.errors import SolverError
from deterrence.solvers.pivoting import Tableau
from deterrence.solvers.result import Solution

__all__ = ["MAX_STRATEGIES", "lemke_howson", "lemke_howson_all", "nash_lemke_howson"]

#: Default bound on m + n (pure strategies of both players) for the registered solver.
MAX_STRATEGIES = 1000


def _positive(matrix: Any, exact: bool) -> Any:
    """The matrix shifted (and, when exact, scaled to integers) so every entry is at least 1."""
    if exact:
        values = [[Fraction(v) for v in row] for row in np.asarray(matrix, dtype=object).tolist()]
        scale = lcm(*(v.denominator for row in values for v in row))
        ints = [[int(v * scale) for v in row] for row in values]
        shift = 1 - min(min(row) for row in ints)
        return [[v + shift for v in row] for row in ints]
    floats = np.asarray(matrix, dtype=np.float64)
    spread = max(1.0, float(floats.max() - floats.min()))
    return (floats - floats.min()) / spread + 1.0


def _tableau(a: Any, b: Any, m: int, n: int, exact: bool) -> Tableau:
    size = 2 * (m + n)
    rows: list[list[Any]] = []
    for i in range(m):  # r_i + sum_j A_ij y_j = 1
        row: list[Any] = [0] * (size + 1)
        for j in range(n):
            row[m + j] = a[i][j]
        row[m + n + i] = 1
        row[-1] = 1
        rows.append(row)
    for j in range(n):  # s_j + sum_i B_ij x_i = 1
        row = [0] * (size + 1)
        for i in range(m):
            row[i] = b[i][j]
        row[2 * m + n + j] = 1
        row[-1] = 1
        rows.append(row)
    basis = list(range(m + n, size))
    return Tableau(rows, basis, exact=exact)


def _path(a: Any, b: Any, m: int, n: int, label: int, exact: bool) -> tuple[tuple, tuple, int]:
    t = _tableau(a, b, m, n, exact)
    k = m + n
    enter = label
    while True:
        row = t.leaving_row(enter)
        if row is None:  # impossible with positive payoffs; a guard against a bug
            raise SolverError("internal error: Lemke-Howson met an unbounded edge")
        leaving = t.basis[row]
        t.pivot(row, enter)
        if leaving in (label, label + k):
            break
        enter = leaving + k if leaving < k else leaving - k
    x = [t.variable_value(i) for i in range(m)]
    y = [t.variable_value(m + j) for j in range(n)]
    sx, sy = sum(x), sum(y)
    return tuple(v / sx for v in x), tuple(v / sy for v in y), t.pivots


def lemke_howson(A: Any, B: Any, label: int = 0, *, exact: bool = True) -> tuple[tuple, tuple]:
    """The equilibrium at the end of the Lemke–Howson path that drops ``label``.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Row and column player's payoffs.
    label : int
        ``0..m-1`` for a row strategy, ``m..m+n-1`` for a column strategy.
    exact : bool
        Integer pivoting on the payoffs' exact values (floats by their binary
        values) when True; float pivoting otherwise.

    Returns
    -------
    (x, y)
        Tuples of Fractions (exact) or floats.  Not verified here: the
        registered solver verifies.

    Examples
    --------
    >>> x, y = lemke_howson([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], 0)
    >>> print(*x, *y)
    1/2 1/2 1/2 1/2
    """
    a, b = _positive(A, exact), _positive(B, exact)
    m, n = len(a), len(a[0])
    if not 0 <= label < m + n:
        raise SolverError(f"label {label} is not in 0..{m + n - 1}")
    x, y, _ = _path(a, b, m, n, label, exact)
    return x, y


def lemke_howson_all(
    A: Any, B: Any, *, exact: bool = True, labels: Iterable[int] | None = None
) -> list[tuple[tuple, tuple, tuple[int, ...]]]:
    """Run Lemke–Howson from each label; return distinct ``(x, y, labels that reached it)``.

    Examples
    --------
    >>> bos = [[2, 0], [0, 1]], [[1, 0], [0, 2]]
    >>> found = lemke_howson_all(*bos)
    >>> [(tuple(map(str, x)), labels) for x, _, labels in found]
    [(('1', '0'), (0, 2)), (('0', '1'), (1, 3))]
    """
    a, b = _positive(A, exact), _positive(B, exact)
    m, n = len(a), len(a[0])
    found: dict[Any, list] = {}
    for label in range(m + n) if labels is None else labels:
        x, y, _ = _path(a, b, m, n, label, exact)
        key = (x, y) if exact else tuple(np.round(np.array(x + y, dtype=float), 9).tolist())
        if key in found:
            found[key][2].append(label)
        else:
            found[key] = [x, y, [label]]
    return [(x, y, tuple(ls)) for x, y, ls in found.values()]


def nash_lemke_howson(game: Any, *, exact: bool | None = None, max_strategies: int = MAX_STRATEGIES) -> Solution:
    """Registered ``nash``/``normal-2p``/``lemke-howson``: LH from every label, de-duplicated, verified.

    Parameters
    ----------
    game : NormalFormGame
        Two players, numeric payoffs.
    exact : bool, optional
        Default: exact for exact games (method ``"lemke-howson-exact"``),
        float for float games (``"lemke-howson-float"``).
    max_strategies : int
        Refuse games with more than this many pure strategies in all.

    Returns
    -------
    Solution
        ``complete=False``: Lemke–Howson reaches only the equilibria that lie
        on a path from the artificial equilibrium.

    Examples
    --------
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> found = nash_lemke_howson(bos)
    >>> len(found), found.complete, found.method
    (2, False, 'lemke-howson-exact')
    """
    from deterrence.solvers.profiles import matrix_equilibrium
    from deterrence.solvers.verify import tolerance_for

    if game.kind == "symbolic":
        raise SolverError(f"game has free parameters {list(game.parameters)}; evaluate it before solving")
    m, n = game.shape
    if m + n > max_strategies:
        raise SolverError(f"Lemke-Howson refused: {m}+{n} pure strategies exceed the limit of {max_strategies}")
    if exact is None:
        exact = game.kind == "exact"
    a, b = game.bimatrix()
    found = lemke_howson_all(a, b, exact=exact)
    equilibria = []
    for x, y, labels in found:
        note = f"reached by dropping label(s) {', '.join(map(str, labels))}"
        equilibria.append(matrix_equilibrium(game, [list(x), list(y)], exact, notes=(note,)))
    notes = (
        f"Lemke-Howson from all {m + n} labels found {len(equilibria)} distinct equilibria; "
        "the list is not complete (equilibria off every path from the artificial one are missed)",
    )
    tolerance = 0.0 if exact else tolerance_for(game.as_float())
    return Solution(
        tuple(equilibria),
        complete=False,
        degenerate=None,
        tolerance=tolerance,
        notes=notes,
        method="lemke-howson-exact" if exact else "lemke-howson-float",
    )
