"""Exact linear regions: feasibility, ranges and a representative point (for families of assessments).

A region is given by linear constraints ``g(x) >= 0`` or ``g(x) > 0``
(strict) and equalities ``h(x) = 0`` over a few variables (mixing
probabilities and off-path beliefs).  :func:`linear_region` decides
exactly whether it is non-empty, and returns the range of every variable,
each end marked open or closed, and one point of the region that satisfies
every strict inequality.  Each linear program is solved by HiGHS in floats
and confirmed by a rational certificate (optimal primal and dual points, or
a Farkas vector), with an exact non-cycling simplex as the fallback
(:mod:`deterrence.solvers.exact_lp`, issue 9).

Strict inequalities are handled with a slack: the region is non-empty iff
the largest ``t <= 1`` with ``g(x) >= t`` for every strict ``g`` is positive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from deterrence.solvers.exact_lp import Infeasible, Unbounded, minimise

__all__ = ["Infeasible", "Region", "Unbounded", "is_linear", "linear_program", "linear_region", "to_fraction"]


def to_fraction(value: Any) -> Fraction:
    """A sympy Rational (or int/Fraction) as a Fraction."""
    if isinstance(value, Fraction):
        return value
    value = sympy.nsimplify(value) if not isinstance(value, (int, sympy.Rational)) else value
    value = sympy.Rational(value)
    return Fraction(int(value.p), int(value.q))


@dataclass(frozen=True, slots=True)
class Region:
    """Ranges ``{variable: (low, low_closed, high, high_closed)}`` and a point inside."""

    ranges: dict[Any, tuple[Fraction, bool, Fraction, bool]]
    point: dict[Any, Fraction]


def is_linear(expressions: Sequence[Any], variables: Sequence[Any]) -> bool:
    """True when every expression is a polynomial of degree at most one in ``variables``."""
    for e in expressions:
        e = sympy.expand(e)
        if not e.free_symbols:
            continue
        poly = sympy.Poly(e, *variables) if variables else None
        if poly is None or poly.total_degree() > 1 or (e.free_symbols - set(variables)):
            return False
    return True


def _rows(expressions: Sequence[Any], variables: list) -> tuple[list[list[Fraction]], list[Fraction]]:
    """Coefficient rows and constants of linear ``expressions`` (``a.x + b``), exactly."""
    index = {v: k for k, v in enumerate(variables)}
    rows, constants = [], []
    for e in expressions:
        row, constant = [Fraction(0)] * len(variables), Fraction(0)
        for term, coefficient in sympy.expand(e).as_coefficients_dict().items():
            if term == 1:
                constant += to_fraction(coefficient)
            elif term in index:
                row[index[term]] += to_fraction(coefficient)
            else:
                raise ValueError(f"{e} is not linear in {variables}")
        rows.append(row)
        constants.append(constant)
    return rows, constants


class _Program:
    """The region's constraints as Fraction rows, and the programs :func:`linear_region` asks about it."""

    def __init__(self, variables: list, weak: list, strict: list, equalities: list) -> None:
        self.variables = variables
        self.weak, self.strict, self.equal = (_rows(e, variables) for e in (weak, strict, equalities))

    def optimum(self, objective: list[Fraction], sense: str, closure: bool = True) -> tuple[Fraction, list[Fraction]]:
        """``min``/``max`` of ``objective . x`` over the closed region (strict read as weak); raises Infeasible."""
        G = self.weak[0] + (self.strict[0] if closure else [])
        g = self.weak[1] + (self.strict[1] if closure else [])
        sign = -1 if sense == "max" else 1
        found = minimise([sign * v for v in objective], G, g, *self.equal)
        return sign * found.value, found.x

    def max_slack(self, extra: tuple[list[Fraction], Fraction] | None = None) -> tuple[Fraction, list[Fraction]] | None:
        """The largest ``t <= 1`` with every strict ``g >= t`` (and ``extra = 0``), with its point; None if empty."""
        n = len(self.variables)
        G = [[*r, Fraction(0)] for r in self.weak[0]] + [[*r, Fraction(-1)] for r in self.strict[0]]
        G.append([Fraction(0)] * n + [Fraction(-1)])
        g = [*self.weak[1], *self.strict[1], Fraction(1)]
        H, h = [[*r, Fraction(0)] for r in self.equal[0]], list(self.equal[1])
        if extra is not None:
            H, h = [*H, [*extra[0], Fraction(0)]], [*h, extra[1]]
        try:
            found = minimise([Fraction(0)] * n + [Fraction(-1)], G, g, H, h)
        except Infeasible:
            return None
        return -found.value, found.x[:n]

    def inside(self, x: list[Fraction]) -> bool:
        def values(rows: tuple[list[list[Fraction]], list[Fraction]]) -> list[Fraction]:
            return [sum((a * v for a, v in zip(r, x, strict=True)), c) for r, c in zip(*rows, strict=True)]

        return (
            all(v >= 0 for v in values(self.weak))
            and all(v > 0 for v in values(self.strict))
            and all(v == 0 for v in values(self.equal))
        )


def linear_program(
    objective: Any, variables: list, weak: list, equalities: list, sense: str = "min"
) -> tuple[Any, dict]:
    """Optimise a linear ``objective`` subject to ``g >= 0`` (``weak``) and ``h = 0``, exactly.

    Returns the optimal value and an optimal point (sympy Rationals).  Raises
    :class:`Infeasible` for an empty region and :class:`Unbounded` when the
    objective has no finite optimum.

    Examples
    --------
    >>> x, y = sympy.symbols("x y")
    >>> value, point = linear_program(x + y, [x, y], [x - 1, y - 2 * x], [], "min")
    >>> print(value, point[x], point[y])
    3 1 2
    """
    variables = list(variables)
    (c,), (constant,) = _rows([objective], variables)
    value, x = _Program(variables, list(weak), [], list(equalities)).optimum(c, sense)
    point = {v: sympy.Rational(f.numerator, f.denominator) for v, f in zip(variables, x, strict=True)}
    value += constant
    return sympy.Rational(value.numerator, value.denominator), point


def linear_region(
    variables: Sequence[Any],
    constraints: Sequence[tuple[Any, bool]],
    equalities: Sequence[Any] = (),
    targets: dict[Any, Any] | None = None,
) -> Region | None:
    """The region ``{x : g(x) >= 0 (or > 0 when strict), h(x) = 0}``, or None when it is empty.

    ``ranges`` gives the range of each linear expression in ``targets``
    (``{key: expression}``; default: each variable, keyed by itself).
    Raises :class:`Unbounded` when a target has no finite bound.

    Examples
    --------
    >>> q = sympy.Symbol("q")
    >>> region = linear_region([q], [(q, True), (1 - q, True), (2 * q - 1, False)])
    >>> low, low_closed, high, high_closed = region.ranges[q]
    >>> print(low, low_closed, high, high_closed, region.point[q])
    1/2 True 1 False 3/4
    >>> linear_region([q], [(q - 1, True), (1 - q, False)]) is None
    True
    """
    variables = list(variables)
    weak = [sympy.expand(g) for g, s in constraints if not s]
    strict = [sympy.expand(g) for g, s in constraints if s]
    equalities = [sympy.expand(h) for h in equalities]
    if not variables:
        if any(g < 0 for g in weak) or any(g <= 0 for g in strict) or any(h != 0 for h in equalities):
            return None
        return Region({}, {})
    program = _Program(variables, weak, strict, equalities)
    best = program.max_slack()
    if best is None or (strict and best[0] <= 0):
        return None
    ranges, corners = {}, [best[1]]
    for key, v in (targets if targets is not None else {v: v for v in variables}).items():
        (row,), (constant,) = _rows([v], variables)
        if not any(row):
            ranges[key] = (constant, True, constant, True)
            continue
        low, at_low = program.optimum(row, "min")
        high, at_high = program.optimum(row, "max")
        corners += [at_low, at_high]
        closed = [not strict or (s := program.max_slack((row, -end))) is not None and s[0] > 0 for end in (low, high)]
        ranges[key] = (low + constant, closed[0], high + constant, closed[1])
    point = _average(corners[1:]) if len(corners) > 1 else corners[0]
    if not program.inside(point):
        point = _average(corners)
    return Region(ranges, dict(zip(variables, point, strict=True)))


def _average(points: list[list[Fraction]]) -> list[Fraction]:
    return [sum(column, Fraction(0)) / len(points) for column in zip(*points, strict=True)]
