"""Exact arithmetic on one real algebraic point: every coordinate a polynomial in one algebraic number.

A zero-dimensional system of polynomial equations with rational
coefficients has its solutions in finitely many number fields.  After a
linear change of coordinates ``theta = sum c_i x_i`` that separates the
solutions, the lex Groebner basis with ``theta`` last is in *shape position*
(the shape lemma; Gianni & Mora 1989; Becker & Weispfenning 1993, §8.5):

.. math:: x_1 - g_1(\\theta),\\ \\dots,\\ x_n - g_n(\\theta),\\ f(\\theta),

so a real solution is fixed by one real root ``theta`` of an irreducible
factor ``m`` of ``f`` (its minimal polynomial), given by an isolating
interval with rational ends, and each coordinate is the rational polynomial
``g_i(theta)``.  Any polynomial expression in the coordinates then reduces
to ``r(theta)`` with ``deg r < deg m``, and

* ``r(theta) = 0`` exactly iff ``r`` is the zero polynomial (``m`` is irreducible);
* otherwise its sign is found by interval arithmetic in Fractions over the
  isolating interval, bisected (exactly, on the sign of ``m``) until the
  enclosure of ``r`` excludes 0 -- which must happen, since ``r(theta) != 0``.

References
----------
Gianni, P. & Mora, T. (1989). Algebraic solution of systems of polynomial equations using
Groebner bases. *AAECC-5*, LNCS 356, 247-257.
Becker, T. & Weispfenning, V. (1993). *Groebner Bases*. Springer.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

__all__ = ["AlgebraicPoint", "algebraic_point"]

THETA = sympy.Symbol("theta")
_X = sympy.Symbol("x")
_WEIGHTS = ((), (1, 2, 3, 5, 7, 11), (3, -1, 4, 1, -5, 9), (2, 7, -1, 8, -2, 8))  # () : theta = the last unknown


def _fraction(value: Any) -> Fraction:
    value = sympy.Rational(value)
    return Fraction(int(value.p), int(value.q))


def _enclosure(coefficients: list[Fraction], low: Fraction, high: Fraction) -> tuple[Fraction, Fraction]:
    """Interval Horner: bounds of ``sum coefficients[k] t**(d-k)`` over ``low <= t <= high``."""
    lo = hi = Fraction(0)
    for a in coefficients:
        products = (lo * low, lo * high, hi * low, hi * high)
        lo, hi = min(products) + a, max(products) + a
    return lo, hi


@dataclass(frozen=True)
class AlgebraicPoint:
    """A real point whose coordinates are ``g(theta)``, ``theta`` the root of ``minimal`` in ``(low, high)``.

    Attributes
    ----------
    minimal : sympy.Poly
        Irreducible over the rationals, in :data:`THETA`.
    low, high : Fraction
        An interval containing exactly one real root of ``minimal`` (``high - low`` shrinks as signs are asked).
    coordinates : dict
        ``{symbol: sympy.Poly in THETA}``, each reduced modulo ``minimal``.

    Examples
    --------
    ``theta = sqrt(2)`` (the root of ``t**2 - 2`` in (1, 2)) and ``x = theta - 1``:

    >>> x = sympy.Symbol("x")
    >>> point = AlgebraicPoint(sympy.Poly(THETA**2 - 2, THETA), [Fraction(1), Fraction(2)],
    ...                        {x: sympy.Poly(THETA - 1, THETA)})
    >>> point.sign(x**2 + 2 * x - 1), point.sign(x - Fraction(414, 1000)), point.sign(x - Fraction(415, 1000))
    (0, 1, -1)
    >>> print(point.text(x), round(point.value(x), 12))
    -1 + sqrt(2) 0.414213562373

    Rational functions reduce too (a posterior such as ``x / (x + 1)``):

    >>> print(point.text(x / (x + 1)), point.sign(x / (x + 1) - Fraction(1, 3)))
    1 - sqrt(2)/2 -1
    """

    minimal: Any
    interval: list[Fraction]
    coordinates: dict[Any, Any]

    def reduce(self, expression: Any) -> Any:
        """``expression`` (a rational function of the coordinates' symbols) as ``r(THETA)`` modulo ``minimal``.

        Computed term by term in polynomial arithmetic modulo ``minimal`` (no
        symbolic expansion); a denominator is inverted in the number field
        (``minimal`` is irreducible), so a Bayes posterior reduces like a
        polynomial.

        Raises
        ------
        ZeroDivisionError
            When the denominator vanishes at the point.
        """
        numerator, denominator = sympy.fraction(sympy.together(sympy.sympify(expression)))
        if denominator.free_symbols:
            below = self._polynomial(denominator)
            if below.is_zero:
                raise ZeroDivisionError("the denominator vanishes at this algebraic point")
            return (self._polynomial(numerator) * below.invert(self.minimal)).rem(self.minimal)
        return self._polynomial(sympy.expand(expression))

    def _polynomial(self, expression: Any) -> Any:
        m = self.minimal
        symbols = list(self.coordinates)
        if not symbols:
            return sympy.Poly(sympy.sympify(expression), THETA, domain="QQ").rem(m)
        poly = sympy.Poly(sympy.sympify(expression), *symbols, domain="QQ")
        total = sympy.Poly(0, THETA, domain="QQ")
        for monomial, coefficient in poly.terms():
            term = sympy.Poly(coefficient, THETA, domain="QQ")
            for s, power in zip(symbols, monomial, strict=True):
                for _ in range(power):
                    term = (term * self.coordinates[s]).rem(m)
            total += term
        return total.rem(m)

    def _at(self, q: Any, r: Any) -> Any:
        """``q(r(THETA))`` modulo ``minimal`` (Horner's rule), for univariate ``q`` and ``r`` in THETA."""
        total = sympy.Poly(0, THETA, domain="QQ")
        for c in q.all_coeffs():
            total = (total * r + sympy.Poly(c, THETA, domain="QQ")).rem(self.minimal)
        return total

    def _refine(self) -> None:
        low, high = self.interval
        mid = (low + high) / 2
        m = [_fraction(c) for c in self.minimal.all_coeffs()]
        at = [sum((c * x ** (len(m) - 1 - k) for k, c in enumerate(m)), Fraction(0)) for x in (low, mid)]
        if at[1] == 0:  # a rational root: only when minimal has degree 1
            self.interval[:] = [mid, mid]
        elif (at[0] > 0) == (at[1] > 0) and at[0] != 0:
            self.interval[0] = mid
        else:
            self.interval[1] = mid

    def enclosure(self, expression: Any, width: Fraction | None = None) -> tuple[Fraction, Fraction]:
        """Rational bounds on the value: narrower than ``width`` if given, else just excluding 0 (unless it is 0)."""
        r = self.reduce(expression)
        coefficients = [_fraction(c) for c in r.all_coeffs()]
        while True:
            lo, hi = _enclosure(coefficients, *self.interval)
            done = hi - lo < width if width is not None else (lo > 0 or hi < 0)
            if r.is_zero or done or self.interval[0] == self.interval[1]:
                return lo, hi
            self._refine()

    def sign(self, expression: Any) -> int:
        """The exact sign (-1, 0 or 1) of a polynomial expression in the coordinates."""
        if self.reduce(expression).is_zero:
            return 0
        lo, _ = self.enclosure(expression)
        return 1 if lo > 0 else -1

    def value(self, expression: Any) -> float:
        """The value as a float (from an enclosure narrower than 1e-18 of its size)."""
        if self.reduce(expression).is_zero:
            return 0.0
        lo, hi = self.enclosure(expression)
        lo, hi = self.enclosure(expression, max(abs(lo), abs(hi)) * Fraction(1, 10**18))
        return float((lo + hi) / 2)

    def text(self, expression: Any) -> str:
        """The exact value as text: a rational, radicals (degree 2), or ``CRootOf(poly, k)``."""
        r = self.reduce(expression)
        if r.degree() <= 0:
            return str(r.as_expr())
        resultant = sympy.resultant(self.minimal.as_expr(), _X - r.as_expr(), THETA)
        for factor, _ in sympy.factor_list(resultant, _X)[1]:
            q = sympy.Poly(factor, _X)
            if self._at(q, r).is_zero:  # this factor vanishes at the value
                break
        width = Fraction(1)
        while True:  # the index of the value among q's real roots: refine until one interval meets it
            lo, hi = self.enclosure(expression, width)
            roots = [
                (_fraction(a), _fraction(b))
                for (a, b), _ in q.intervals(eps=sympy.Rational(width.numerator, width.denominator))
            ]
            meets = [k for k, (a, b) in enumerate(roots) if a <= hi and lo <= b]
            if len(meets) == 1:
                return str(sympy.rootof(q.as_expr(), meets[0], radicals=True))
            width /= 1000


def _shape(basis: list[Any], symbols: list[Any]) -> tuple[dict[Any, Any], Any] | None:
    """``({x_i: g_i(THETA)}, f(THETA))`` from a reduced lex basis in shape position, else None."""
    if len(basis) != len(symbols) + 1:
        return None
    found: dict[Any, Any] = {}
    last = None
    for e in basis:
        free = e.free_symbols - {THETA}
        if not free:
            last = sympy.Poly(e, THETA, domain="QQ")
            continue
        if len(free) != 1:
            return None
        (s,) = free
        g = sympy.expand(s - e)
        if s in g.free_symbols:
            return None
        found[s] = sympy.Poly(g, THETA, domain="QQ")
    if last is None or set(found) != set(symbols):
        return None
    return found, last


def algebraic_point(equations: list[Any], symbols: list[Any], approx: dict[Any, Any]) -> AlgebraicPoint | None:
    """The exact solution of ``equations`` (rational coefficients) nearest to ``approx``, or None if not found.

    Tries separating forms ``theta = sum c_i x_i`` until the lex basis is in
    shape position, then picks the real root of the minimal polynomial whose
    coordinates are within 1e-20 of ``approx`` (a high-precision numeric
    solution).  None when no form gives a shape basis (e.g. a multiple root)
    or no root matches.

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> near = (sympy.sqrt(2) - 1).evalf(40)
    >>> point = algebraic_point([x**2 + 2 * x - 1, y - x], [x, y], {x: near, y: near})
    >>> print(point.text(x), point.text(y), point.sign(x * y - Fraction(1, 6)), point.sign(x * y + 2 * x - 1))
    -1 + sqrt(2) -1 + sqrt(2) 1 0
    """
    tolerance = Fraction(1, 10**20)
    target = {s: _fraction(sympy.Float(approx[s], 60)) for s in symbols}
    for weights in _WEIGHTS:
        form = symbols[-1] if not weights else sum(w * s for w, s in zip(weights, symbols, strict=False))
        basis = sympy.groebner([*equations, THETA - form], *symbols, THETA, order="grevlex", domain="QQ")
        if not basis.is_zero_dimensional:
            return None
        shape = _shape(list(basis.fglm("lex").exprs), symbols)
        if shape is None:
            continue
        coordinates, f = shape
        for factor, _ in f.factor_list()[1]:
            for (a, b), _ in factor.intervals():
                point = AlgebraicPoint(
                    factor, [_fraction(a), _fraction(b)], {s: g.rem(factor) for s, g in coordinates.items()}
                )
                close = True
                for s in symbols:
                    lo, hi = point.enclosure(s - target[s], tolerance)
                    close = close and lo - tolerance <= 0 <= hi + tolerance
                if close:
                    return point
    return None
