"""Complementary pivoting on a tableau: the core shared by Lemke–Howson and Lemke's algorithm.

A :class:`Tableau` holds a system of linear equations ``T v = rhs`` over
variables ``0 .. n_vars - 1`` together with a basis (one basic variable per
row).  Two arithmetics are offered:

*exact* (integer pivoting)
    Every entry is a Python ``int``.  After each pivot the tableau equals
    ``det * B^{-1} T_0`` where ``B`` is the current basis matrix and ``det``
    its determinant (kept positive), so every division is exact (Edmonds
    1967; Bareiss 1968) and no fraction is ever formed.  The value of the
    basic variable of row ``i`` is ``rhs_i / det``.
*float*
    A float64 Gauss–Jordan tableau (``det`` stays 1), with a tolerance in the
    ratio test.

The leaving row is chosen by the *lexicographic* minimum-ratio test: a row's
key is its right-hand side followed by its entries in the columns of the
initial basis (the rows of the basis inverse), all divided by the entering
column's entry.  The keys of different rows are never equal, which is the
same as perturbing the right-hand side by ``(eps, eps**2, ...)``: pivoting
never cycles, even in degenerate games.

References
----------
Edmonds, J. (1967). Systems of distinct representatives and linear algebra.
J. Res. Nat. Bur. Standards 71B, 241-245.
von Stengel, B. (2002). Computing equilibria for two-person games.
Handbook of Game Theory 3, ch. 45.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["Tableau", "integer_rows"]

#: Float pivots smaller than this (relative to the column) count as zero.
PIVOT_TOLERANCE = 1e-11


def integer_rows(rows: Sequence[Sequence[Any]]) -> list[list[int]]:
    """Scale each row of rationals by the least common denominator of its entries.

    Scaling an equation by a positive number changes neither its solutions
    nor the lexicographic order of ratios within a column of signs.

    Examples
    --------
    >>> integer_rows([[Fraction(1, 2), Fraction(1, 3), 1]])
    [[3, 2, 6]]
    """
    from math import lcm

    out = []
    for row in rows:
        values = [Fraction(v) for v in row]
        scale = lcm(*(v.denominator for v in values)) if values else 1
        out.append([int(v * scale) for v in values])
    return out


class Tableau:
    """A tableau ``T v = rhs`` with a basis, pivoted exactly (integers) or in floats.

    Parameters
    ----------
    rows : sequence of sequences
        One equation per row: ``n_vars`` coefficients, then the right-hand
        side.  Exact tableaux need integers (see :func:`integer_rows`); the
        columns of ``basis`` must form an identity matrix at the start.
    basis : sequence of int
        The basic variable of each row.
    exact : bool
        Integer pivoting when True, floats otherwise.
    lex_columns : sequence of int, optional
        Columns used to break ties in the ratio test (default: the initial
        basis), in order.

    Examples
    --------
    >>> t = Tableau([[1, 0, 2, 4], [0, 1, 1, 3]], [0, 1], exact=True)
    >>> r = t.leaving_row(2)
    >>> r, t.basis[r]
    (0, 0)
    >>> t.pivot(r, 2)
    >>> print(t.value(0), t.value(1))
    2 1
    """

    def __init__(
        self,
        rows: Sequence[Sequence[Any]] | np.ndarray,
        basis: Sequence[int],
        *,
        exact: bool,
        lex_columns: Sequence[int] | None = None,
    ) -> None:
        self.exact = bool(exact)
        self.basis = list(basis)
        self.where = {v: i for i, v in enumerate(self.basis)}
        self.lex = list(self.basis if lex_columns is None else lex_columns)
        self.det: Any = 1 if exact else 1.0
        self.rhs = len(rows[0]) - 1 if len(rows) else 0
        if exact:  # sparse rows: {column: nonzero integer}, the right-hand side at column ``rhs``
            self.rows: Any = [{j: int(v) for j, v in enumerate(row) if v} for row in rows]
        else:
            self.rows = np.array(rows, dtype=np.float64)
        self._buffer: np.ndarray | None = None  # float pivots reuse it for the rank-1 update
        self.pivots = 0

    @property
    def n_rows(self) -> int:
        """Number of equations."""
        return len(self.basis)

    def entry(self, row: int, column: int) -> Any:
        """The stored entry (``det`` times the true coefficient in exact mode); column -1 is the rhs."""
        if self.exact:
            return self.rows[row].get(self.rhs if column == -1 else column, 0)
        return self.rows[row, column]

    def value(self, row: int) -> Any:
        """Value of the basic variable of ``row`` (a Fraction when exact, a float otherwise)."""
        if self.exact:
            return Fraction(self.rows[row].get(self.rhs, 0), self.det)
        return float(self.rows[row, -1])

    def variable_value(self, variable: int) -> Any:
        """Value of any variable: its basic value, or zero when nonbasic."""
        row = self.where.get(variable)
        if row is None:
            return Fraction(0) if self.exact else 0.0
        return self.value(row)

    def pivot(self, row: int, column: int) -> None:
        """Make ``column`` basic in ``row``; the row's old basic variable leaves."""
        self.pivots += 1
        if self.exact:
            self._pivot_exact(row, column)
        else:
            self._pivot_float(row, column)
        leaving = self.basis[row]
        del self.where[leaving]
        self.basis[row] = column
        self.where[column] = row

    def _pivot_float(self, r: int, c: int) -> None:
        """Gauss-Jordan step on the rows and columns it changes."""
        t = self.rows
        t[r] /= t[r, c]
        factors = t[:, c].copy()
        factors[r] = 0.0
        nz = np.flatnonzero(factors)
        cols = np.flatnonzero(t[r])
        if not nz.size:
            pass
        elif 8 * cols.size < t.shape[1]:  # a sparse pivot row: touch its columns only
            t[np.ix_(nz, cols)] -= np.outer(factors[nz], t[r, cols])
        elif 4 * nz.size > t.shape[0]:  # dense: one reused buffer, no temporary the size of the tableau
            if self._buffer is None:
                self._buffer = np.empty_like(t)
            np.multiply(factors[:, None], t[r][None, :], out=self._buffer)
            t -= self._buffer
        else:
            t[nz] -= np.outer(factors[nz], t[r])
        t[nz, c] = 0.0

    def _pivot_exact(self, r: int, c: int) -> None:
        rows, det = self.rows, self.det
        prow = rows[r]
        p = prow[c]
        for i, row in enumerate(rows):
            if i == r:
                continue
            a = row.get(c, 0)
            if a == 0:
                if p != det:
                    rows[i] = {j: v * p // det for j, v in row.items()}
                continue
            new = {j: v * p // det for j, v in row.items()} if p != det else dict(row)
            for j, w in prow.items():
                value = (row.get(j, 0) * p - a * w) // det
                if value:
                    new[j] = value
                else:
                    new.pop(j, None)
            rows[i] = new
        if p < 0:  # keep the determinant positive, so basic entries stay positive
            self.rows = [{j: -v for j, v in row.items()} for row in rows]
            p = -p
        self.det = p

    def leaving_row(self, column: int, rows: Iterable[int] | None = None) -> int | None:
        """Lexicographic minimum-ratio test for ``column`` entering, over ``rows`` (default all).

        Returns None when no row limits the entering variable (a ray).
        """
        candidates = range(self.n_rows) if rows is None else rows
        if self.exact:
            return self._leaving_exact(column, candidates)
        return self._leaving_float(column, candidates)

    def _leaving_exact(self, c: int, candidates: Iterable[int]) -> int | None:
        rows, rhs = self.rows, self.rhs
        best = None
        for i in candidates:
            a = rows[i].get(c, 0)
            if a <= 0:
                continue
            if best is None:
                best = i
                continue
            b = rows[best].get(c, 0)
            diff = rows[i].get(rhs, 0) * b - rows[best].get(rhs, 0) * a
            if diff == 0:
                for col in self.lex:
                    diff = rows[i].get(col, 0) * b - rows[best].get(col, 0) * a
                    if diff:
                        break
            if diff < 0:
                best = i
        return best

    def _leaving_float(self, c: int, candidates: Iterable[int]) -> int | None:
        t = self.rows
        index = np.fromiter(candidates, dtype=np.intp)
        if index.size == 0:
            return None
        col = t[index, c]
        scale = max(1.0, float(np.abs(col).max()))
        keep = col > PIVOT_TOLERANCE * scale
        if not keep.any():
            return None
        index, col = index[keep], col[keep]
        ratios = t[index, -1] / col
        low = ratios.min()
        close = ratios <= low + 1e-9 * max(1.0, abs(low))
        index, col = index[close], col[close]
        if index.size > 1:
            keys = t[np.ix_(index, self.lex)] / col[:, None]
            alive = np.arange(index.size)
            while alive.size > 1 and keys.shape[1]:
                sub = keys[alive]
                differ = np.flatnonzero(sub.max(axis=0) - sub.min(axis=0) > 1e-9 * max(1.0, float(np.abs(sub).max())))
                if not differ.size:
                    break
                values = sub[:, differ[0]]
                alive = alive[values <= values.min() + 1e-9 * max(1.0, float(np.abs(values).max()))]
                keys = keys[:, differ[0] + 1 :]
            index, col = index[alive], col[alive]
        return int(index[np.argmax(col)])
