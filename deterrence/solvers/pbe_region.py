"""Exact linear regions: feasibility, ranges and a representative point (for families of assessments).

A region is given by linear constraints ``g(x) >= 0`` or ``g(x) > 0``
(strict) and equalities ``h(x) = 0`` over a few variables (mixing
probabilities and off-path beliefs).  :func:`linear_region` decides
exactly (rational simplex, :mod:`sympy.solvers.simplex`) whether it is
non-empty, and returns the range of every variable, each end marked open or
closed, and one point of the region that satisfies every strict inequality.

Strict inequalities are handled with a slack: the region is non-empty iff
the largest ``t <= 1`` with ``g(x) >= t`` for every strict ``g`` is positive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

__all__ = ["Infeasible", "Region", "is_linear", "linear_program", "linear_region", "to_fraction"]


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


class Infeasible(Exception):
    pass


def linear_program(
    objective: Any, variables: list, weak: list, equalities: list, sense: str = "min"
) -> tuple[Any, dict]:
    """Optimise a linear ``objective`` subject to ``g >= 0`` (``weak``) and ``h = 0``; exact (matrix simplex)."""
    from sympy.solvers.simplex import InfeasibleLPError, linprog

    def matrix(rows: list) -> tuple[Any, Any]:
        a, b = sympy.linear_eq_to_matrix(rows, variables)
        return a, b

    c, _ = matrix([objective])
    if sense == "max":
        c = -c
    # Equalities as pairs of inequalities: linprog drops A_eq when bounds=(None, None) (sympy 1.14).
    rows = list(weak) + list(equalities) + [-h for h in equalities] + [sympy.Integer(0)]
    a, b = matrix(rows)  # g = a x - b >= 0  <=>  -a x <= -b
    # Free variables as differences of non-negative ones (linprog's own free bounds misbehave in sympy 1.14).
    try:
        value, x = linprog(c.row(0).row_join(-c.row(0)), (-a).row_join(a), -b)
    except InfeasibleLPError:
        raise Infeasible from None
    n = len(variables)
    point = {v: x[k] - x[n + k] for k, v in enumerate(variables)}
    return sympy.expand(objective).subs(point), point


def _max_slack(variables: list, weak: list, strict: list, equalities: list, extra: list) -> tuple[Any, dict] | None:
    t = sympy.Dummy("t")
    rows = weak + [g - t for g in strict] + [1 - t]
    try:
        value, point = linear_program(t, variables + [t], rows, equalities + extra, "max")
    except Infeasible:
        return None
    point.pop(t, None)
    return value, point


def linear_region(
    variables: Sequence[Any],
    constraints: Sequence[tuple[Any, bool]],
    equalities: Sequence[Any] = (),
    targets: dict[Any, Any] | None = None,
) -> Region | None:
    """The region ``{x : g(x) >= 0 (or > 0 when strict), h(x) = 0}``, or None when it is empty.

    ``ranges`` gives the range of each linear expression in ``targets``
    (``{key: expression}``; default: each variable, keyed by itself).

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
    best = _max_slack(variables, weak, strict, equalities, [])
    if best is None or (strict and best[0] <= 0):
        return None
    inner = {v: best[1].get(v, sympy.Integer(0)) for v in variables}
    ranges, corners = {}, [inner]
    for key, v in (targets if targets is not None else {v: v for v in variables}).items():
        v = sympy.expand(v)
        if not v.free_symbols:
            ranges[key] = (to_fraction(v), True, to_fraction(v), True)
            continue
        low, at_low = linear_program(v, variables, weak + strict, equalities, "min")
        high, at_high = linear_program(v, variables, weak + strict, equalities, "max")
        corners += [at_low, at_high]
        closed = []
        for end in (low, high):
            if not strict:
                closed.append(True)
                continue
            slack = _max_slack(variables, weak, strict, equalities, [v - end])
            closed.append(bool(slack is not None and slack[0] > 0))
        ranges[key] = (to_fraction(low), closed[0], to_fraction(high), closed[1])
    point = _average(corners[1:], variables)
    if not _inside(point, weak, strict, equalities):
        point = _average(corners, variables)
    return Region(ranges, {v: to_fraction(point[v]) for v in variables})


def _average(points: list[dict], variables: list) -> dict:
    return {v: sum((p.get(v, 0) for p in points), sympy.Integer(0)) / len(points) for v in variables}


def _inside(point: dict, weak: list, strict: list, equalities: list) -> bool:
    return (
        all(g.subs(point) >= 0 for g in weak)
        and all(g.subs(point) > 0 for g in strict)
        and all(h.subs(point) == 0 for h in equalities)
    )
