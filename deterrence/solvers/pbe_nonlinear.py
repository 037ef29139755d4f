"""Nonlinear families of assessments: an exact emptiness proof or a verified sample point.

After the indifference equations of a support profile are solved, the
remaining conditions on the free probabilities and beliefs (all in
``[0, 1]``) are polynomial inequalities ``g(x) >= 0`` or ``g(x) > 0``; when
they are not linear, :func:`pbe_region.linear_region` cannot describe them.
:func:`nonlinear_region` decides them by exact interval branch and bound
(Moore 1966; Hansen 1992): on a box ``[l, u]`` with ``l >= 0`` every
monomial lies between its values at ``l`` and ``u``, which bounds every
condition.  A box is

* *empty* when some condition's upper bound fails (``< 0``, or ``<= 0``
  when strict);
* a *witness* when all conditions hold at its centre (checked exactly,
  with the original rational functions);
* otherwise split in half along its widest side (breadth first).

Before bounding, factors that are known to be positive (a played action's
probability) are divided out, so ``-p q >= 0`` with ``p, q > 0`` fails at
once; and on a box that touches an excluded face (``p = 0`` for a played
action) a condition that decreases strictly away from the face and is at
most zero on it fails on the whole box (Hansen's monotonicity test).

The linear conditions alone are also tried first with
:func:`pbe_region.linear_region`: if they are infeasible so is the family.
A rational condition ``n / d`` is bounded through ``n d`` (same sign where
``d`` is not zero), so the emptiness proof stays valid.  The search gives up
after a fixed number of boxes (the family is then left undescribed and the
caller says so).

References
----------
Moore, R. E. (1966). Interval Analysis. Prentice-Hall.
Hansen, E. (1992). Global Optimization Using Interval Analysis. Dekker.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any

import sympy

from deterrence.solvers.pbe_region import is_linear, linear_region

__all__ = ["MAX_BOXES", "Outcome", "nonlinear_region", "unparametrised_curve"]

#: Most boxes examined per family before giving up.
MAX_BOXES = 3000


@dataclass(frozen=True, slots=True)
class Outcome:
    """``kind`` is ``"empty"``, ``"point"`` (``point`` satisfies every condition) or ``"unknown"`` (``reason``)."""

    kind: str
    point: dict[Any, Fraction] | None = None
    reason: str = ""


Terms = list[tuple[tuple[int, ...], Fraction]]


def _poly_terms(expr: Any, free: list) -> Terms | None:
    try:
        poly = sympy.Poly(sympy.expand(expr), *free)
    except sympy.PolynomialError:
        return None
    out = []
    for monom, c in poly.terms():
        if not c.is_Rational:
            return None
        out.append((tuple(monom), Fraction(int(c.p), int(c.q))))
    return out


def _terms(expr: Any, free: list) -> tuple[Terms, Terms] | None:
    """``(terms of n d, terms of d)`` for ``expr = n / d``; None unless a rational function over the rationals."""
    num, den = sympy.fraction(sympy.together(expr))
    both = _poly_terms(num * den, free)
    lower = _poly_terms(den, free)
    return None if both is None or lower is None else (both, lower)


def _strip(expr: Any, positives: set) -> Any:
    """``expr`` without the factors known to be positive (the strict conditions), the sign kept."""
    num, den = sympy.fraction(sympy.together(expr))
    out = []
    for part in (num, den):
        try:
            c, factors = sympy.factor_list(part)
        except sympy.PolynomialError:
            return expr
        kept = []
        for f, m in factors:
            e = sympy.expand(f)
            if e in positives:
                continue
            if sympy.expand(-f) in positives:
                c = c * (-1) ** m
                continue
            kept.append(f**m)
        out.append(c * sympy.Mul(*kept))
    return out[0] / out[1]


def _value(terms: Terms, x: Sequence[Fraction]) -> Fraction:
    total = Fraction(0)
    for monom, c in terms:
        for k, e in enumerate(monom):
            if e:
                c = c * x[k] ** e
        total += c
    return total


def _upper(terms: Terms, low: list[Fraction], high: list[Fraction]) -> Fraction:
    """An upper bound over the box (variables non-negative): exact at the vertices when multi-affine."""
    used = sorted({k for monom, _ in terms for k, e in enumerate(monom) if e})
    if len(used) <= 8 and all(e <= 1 for monom, _ in terms for e in monom):
        best = None
        for corner in product(*((low[k], high[k]) for k in used)):
            x = list(low)
            for k, v in zip(used, corner, strict=True):
                x[k] = v
            value = _value(terms, x)
            best = value if best is None or value > best else best
        return best if best is not None else Fraction(0)
    return _bounds(terms, low, high)


def _derivative(terms: Terms, k: int) -> Terms:
    out = []
    for monom, c in terms:
        if monom[k]:
            out.append((monom[:k] + (monom[k] - 1,) + monom[k + 1 :], c * monom[k]))
    return out


@dataclass
class _Condition:
    terms: Terms  # n d
    den: Terms  # d
    strict: bool
    equal: bool = False

    def holds(self, x: Sequence[Fraction]) -> bool:
        if _value(self.den, x) == 0:
            return False
        v = _value(self.terms, x)
        return v == 0 if self.equal else (v > 0 if self.strict else v >= 0)


def _fails(terms: Terms, strict: bool, low: list, high: list, edges: list[tuple[int, int]]) -> bool:
    """Whether ``terms >= 0`` (``> 0``) fails on the whole box, whose ``edges`` ``(k, end)`` are excluded.

    ``(k, 0)``: variable ``k`` is positive and the box starts at 0; ``(k, 1)``:
    it is below 1 and the box ends at 1.  A condition that decreases strictly
    away from such an excluded face, and is at most zero on it, is negative
    on the box (the monotonicity test of interval global optimisation).
    """
    top = _upper(terms, low, high)
    if top < 0 or (strict and top <= 0):
        return True
    for k, end in edges:
        slope = _derivative(terms, k)
        if end == 1:
            slope = [(m, -c) for m, c in slope]
        if not slope or _upper(slope, low, high) >= 0:
            continue
        face_low, face_high = list(low), list(high)
        if end == 0:
            face_high[k] = Fraction(0)
        else:
            face_low[k] = Fraction(1)
        if _upper(terms, face_low, face_high) <= 0:
            return True
    return False


def _linear(expr: Any, free: list) -> bool:
    try:
        return is_linear([expr], free)
    except sympy.PolynomialError:
        return False


def _bounds(terms: list, low: list[Fraction], high: list[Fraction]) -> Fraction:
    """An upper bound of the polynomial over the box (variables non-negative)."""
    total = Fraction(0)
    for monom, c in terms:
        lo = hi = Fraction(1)
        for k, e in enumerate(monom):
            if e:
                lo *= low[k] ** e
                hi *= high[k] ** e
        total += c * (hi if c > 0 else lo)
    return total


def nonlinear_region(
    free: Sequence[Any], constraints: Sequence[tuple[Any, bool]], equalities: Sequence[Any] = ()
) -> Outcome:
    """Decide ``{x in [0, 1]^n : g(x) >= 0 (> 0 if strict), h(x) = 0}``: empty, a sample point, or unknown.

    A sample point must satisfy the equalities exactly, so a family cut out
    by a curved equation is usually left "unknown" unless it is empty.

    Examples
    --------
    ``x y >= 1/4`` with ``x + y <= 1`` holds only at ``x = y = 1/2``
    (a thin set the search cannot sample), while ``x y >= 1/5`` has room:

    >>> x, y = sympy.symbols("x y")
    >>> nonlinear_region([x, y], [(x * y - sympy.Rational(1, 5), False), (1 - x - y, False)]).kind
    'point'
    >>> nonlinear_region([x, y], [(x * y - sympy.Rational(1, 3), False), (1 - x - y, False)]).kind
    'empty'
    """
    free = list(free)
    positives = {sympy.expand(g) for g, strict in constraints if strict}
    conditions = []
    for g, strict in constraints:
        found = _terms(g if strict and sympy.expand(g) in positives else _strip(g, positives), free)
        if found is None:
            return Outcome("unknown", reason="irrational or non-polynomial conditions")
        conditions.append(_Condition(found[0], found[1], strict))
    for h in equalities:
        found = _terms(_strip(h, positives), free)
        if found is None:
            return Outcome("unknown", reason="irrational or non-polynomial conditions")
        conditions.append(_Condition(found[0], found[1], False, equal=True))
    linear = [(g, s) for g, s in constraints if _linear(g, free)]
    flat = [h for h in equalities if _linear(h, free)]
    box = [(v, False) for v in free] + [(1 - v, False) for v in free]
    if (linear or flat) and linear_region(free, linear + box, flat, targets={}) is None:
        return Outcome("empty")
    n = len(free)
    unit = [tuple(1 if j == k else 0 for j in range(n)) for k in range(n)]
    positive = {k for k in range(n) for c in conditions if c.strict and c.terms == [(unit[k], Fraction(1))]}
    below_one = {
        k
        for k in range(n)
        for c in conditions
        if c.strict and sorted(c.terms) == sorted([((0,) * n, Fraction(1)), (unit[k], Fraction(-1))])
    }
    tests = []
    for c in conditions:
        tests.append((c.terms, c.strict and not c.equal))
        if c.equal:
            tests.append(([(m, -v) for m, v in c.terms], False))
    boxes = deque([([Fraction(0)] * n, [Fraction(1)] * n)])  # breadth first: large boxes (and samples) first
    seen = 0
    while boxes:
        seen += 1
        if seen > MAX_BOXES:
            return Outcome("unknown", reason=f"no proof or sample point within {MAX_BOXES} boxes")
        low, high = boxes.popleft()
        edges = [(k, 0) for k in positive if low[k] == 0] + [(k, 1) for k in below_one if high[k] == 1]
        if any(_fails(t, strict, low, high, edges) for t, strict in tests):
            continue
        centre = [(a + b) / 2 for a, b in zip(low, high, strict=True)]
        if all(c.holds(centre) for c in conditions):
            return Outcome("point", dict(zip(free, centre, strict=True)))
        k = max(range(n), key=lambda j: high[j] - low[j])
        middle = (low[k] + high[k]) / 2
        boxes.append((low, high[:k] + [middle] + high[k + 1 :]))
        boxes.append((low[:k] + [middle] + low[k + 1 :], high))
    return Outcome("empty")


#: Above this many unknowns a curve of solutions is not handed to :func:`sympy.solve` (see below).
CURVE_UNKNOWNS = 3


def unparametrised_curve(equations: list, unknowns: list) -> bool:
    """Whether a positive-dimensional polynomial system has a component :func:`sympy.solve` may not finish.

    True when the system has more than :data:`CURVE_UNKNOWNS` unknowns and
    an irreducible factor of its lex Groebner basis is of degree two or
    more in its leading unknown: a curve (a conic, say) that no back
    substitution writes rationally.  There :func:`sympy.solve` falls back to
    eliminating radicals, which on Gambit's ``e08.efg`` (three players, six
    unknowns) ran 82 s before giving up; a system without such a factor is
    parametrised by back substitution in well under a second.

    Examples
    --------
    >>> a, b, c, d = sympy.symbols("a b c d")
    >>> unparametrised_curve([a**2 + b**2 - 1, c - a, d - b], [a, b, c, d])  # a circle
    True
    >>> unparametrised_curve([a * b - c, d - a], [a, b, c, d])  # c and d follow from a and b
    False
    """
    if len(unknowns) <= CURVE_UNKNOWNS:
        return False
    basis = sympy.groebner(equations, *unknowns, order="lex", domain="QQ")
    for element in basis.exprs:
        for factor, _ in sympy.factor_list(element)[1]:
            poly = sympy.Poly(factor, *unknowns)
            lead = next((u for u in unknowns if poly.degree(u) > 0), None)
            if lead is not None and poly.degree(lead) >= 2:
                return True
    return False
