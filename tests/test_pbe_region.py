"""Exact linear regions and programs (deterrence/solvers/pbe_region.py, deterrence/solvers/exact_lp.py).

The programs are solved by HiGHS in floats and confirmed by rational
certificates, with an exact lexicographic simplex as the fallback.  The
reference is the definition of a region solved by the exact fallback simplex, on random
small regions: degenerate ones (small integer coefficients put many lines
through one point), unbounded, infeasible, strict-only and with equalities.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deterrence.solvers.exact_lp as exact_lp
from deterrence.solvers.exact_lp import Infeasible, Unbounded, minimise, simplex
from deterrence.solvers.pbe_region import linear_program, linear_region

F = Fraction
X = sympy.symbols("x0:3")
T = sympy.Symbol("t")


def _matrices(objective, weak, equalities, variables):
    """Fraction data ``c, G, g, H, h`` of ``min objective`` s.t. ``weak >= 0``, ``equalities = 0``."""

    def rows(expressions):
        exprs = [sympy.expand(e) for e in expressions]
        coefficients = [[F(str(e.coeff(v))) for v in variables] for e in exprs]
        return coefficients, [F(str(e.subs(dict.fromkeys(variables, 0)))) for e in exprs]

    return rows([objective])[0][0], *rows(weak), *rows(equalities)


def _exact_optimum(sense, objective, weak, equalities, variables):
    """The exact fallback simplex (Bland + lexicographic ratio test): the optimum, or a failure word."""
    sign = 1 if sense == "min" else -1
    c, G, g, H, h = _matrices(sign * objective, weak, equalities, variables)
    try:
        return sign * simplex(c, G, g, H, h).value
    except Infeasible:
        return "infeasible"
    except Unbounded:
        return "unbounded"


def _reference_region(variables, constraints, equalities):
    """``(empty, ranges)`` of the region by the definition, each program solved by the exact simplex."""
    weak = [g for g, s in constraints if not s]
    strict = [g for g, s in constraints if s]

    def slack(extra):
        rows = [*weak, *(g - T for g in strict), 1 - T]
        value = _exact_optimum("max", T, rows, [*equalities, *extra], [*variables, T])
        return None if value == "infeasible" else value

    best = slack([])
    if best is None or (strict and best <= 0):
        return True, None
    ranges = {}
    for v in variables:
        ends = [_exact_optimum(sense, v, weak + strict, equalities, variables) for sense in ("min", "max")]
        if "unbounded" in ends:
            return False, "unbounded"
        closed = [not strict or (s := slack([v - end])) is not None and s > 0 for end in ends]
        ranges[v] = (ends[0], closed[0], ends[1], closed[1])
    return False, ranges


@st.composite
def regions(draw):
    n = draw(st.integers(1, 3))
    variables = list(X[:n])
    coefficient = st.integers(-2, 2)

    def expression():
        return sum((draw(coefficient) * v for v in variables), sympy.Integer(draw(st.integers(-2, 2))))

    constraints = [(expression(), draw(st.booleans())) for _ in range(draw(st.integers(1, 6)))]
    if draw(st.booleans()):  # a box, so that most regions are bounded
        strict = draw(st.booleans())
        constraints += [(v, strict) for v in variables] + [(1 - v, strict) for v in variables]
    equalities = [expression() for _ in range(draw(st.integers(0, 1)))]
    return variables, constraints, equalities


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions())
def test_region_equals_its_definition_solved_by_the_exact_simplex(case):
    """Emptiness, every range end and its open/closed flag equal the definition's; the point lies inside."""
    variables, constraints, equalities = case
    empty, ranges = _reference_region(variables, constraints, equalities)
    if ranges == "unbounded":
        with pytest.raises(Unbounded):
            linear_region(variables, constraints, equalities)
        return
    region = linear_region(variables, constraints, equalities)
    assert (region is None) == empty
    if region is None:
        return
    assert region.ranges == ranges
    point = region.point
    for g, strict in constraints:
        value = g.subs(point)
        assert value > 0 if strict else value >= 0
    assert all(h.subs(point) == 0 for h in equalities)


def test_two_small_programs_a_simplex_can_get_wrong():
    """Two degenerate programs, with their answers derived by hand.

    x in [0, 1] with x + 1 = 0 is empty.  The region x - 2y + z >= 1, -2x + 2y - 2z >= -1,
    -x - 2y + z >= -1, 2x + y + 2z >= -2, 2y - 2z >= 0 holds (1/2, -1/2, -1/2) (slacks
    0, 0, 1, 3/2, 0), and the minimum of 2x - 2y - z there is 5/2.  (sympy 1.14's simplex,
    the engine before issue 10, answered x = -1 and "infeasible".)
    """
    x = X[0]
    assert linear_region([x], [(x, False), (1 - x, False)], [x + 1]) is None
    y, z = X[1], X[2]
    weak = [x - 2 * y + z - 1, -2 * x + 2 * y - 2 * z + 1, -x - 2 * y + z + 1, 2 * x + y + 2 * z + 2, 2 * y - 2 * z]
    value, point = linear_program(2 * x - 2 * y - z, [x, y, z], weak, [], "min")
    assert value == F(5, 2) and point == {x: F(1, 2), y: F(-1, 2), z: F(-1, 2)}


def _lp(case):
    variables, constraints, equalities = case
    rows = [[F(int(g.coeff(v))) for v in variables] for g, _ in constraints]
    constants = [F(int(g.subs(dict.fromkeys(variables, 0)))) for g, _ in constraints]
    eq_rows = [[F(int(h.coeff(v))) for v in variables] for h in equalities]
    eq_constants = [F(int(h.subs(dict.fromkeys(variables, 0)))) for h in equalities]
    c = [F((-1) ** k * (k + 2)) for k in range(len(variables))]
    return c, rows, constants, eq_rows, eq_constants


def _outcome(function, *args):
    try:
        return function(*args).value
    except Infeasible:
        return "infeasible"
    except Unbounded:
        return "unbounded"


@settings(max_examples=60, deadline=None)
@given(regions())
def test_fallback_simplex_agrees_with_the_certified_float_path(case):
    """The exact simplex and HiGHS + certificate give the same optimum, or the same failure."""
    lp = _lp(case)
    assert _outcome(simplex, *lp) == _outcome(minimise, *lp)


def test_beale_cycling_example_terminates_at_the_optimum():
    """Beale (1955): Dantzig's rule with a naive ratio test cycles here; the optimum is -5/4 at x = (1, 0, 1, 0).

    min -3/4 x1 + 20 x2 - 1/2 x3 + 6 x4 s.t. 1/4 x1 - 8 x2 - x3 + 9 x4 <= 0,
    1/2 x1 - 12 x2 - 1/2 x3 + 3 x4 <= 0, x3 <= 1, x >= 0.
    """
    c = [F(-3, 4), F(20), F(-1, 2), F(6)]
    G = [[F(-1, 4), F(8), F(1), F(-9)], [F(-1, 2), F(12), F(1, 2), F(-3)], [F(0), F(0), F(-1), F(0)]]
    G += [[F(int(i == j)) for j in range(4)] for i in range(4)]
    g = [F(0), F(0), F(1)] + [F(0)] * 4
    for solver in (simplex, minimise):
        best = solver(c, G, g, [], [])
        assert best.value == F(-5, 4)
        assert best.x == [1, 0, 1, 0]


def test_wrong_float_answers_fall_back_to_the_exact_simplex(monkeypatch):
    """If HiGHS says "optimal" with a wrong point, no certificate checks and the exact simplex decides."""

    class Wrong:
        status, x = 0, [5.0, 5.0]

        class ineqlin:  # noqa: N801
            marginals = [0.0, 0.0, 0.0]

        eqlin = ineqlin

    monkeypatch.setattr(exact_lp, "_highs", lambda *args: Wrong())
    # min x + y over x >= 0, y >= 0, x + y >= 1: value 1, not the 10 of the wrong point.
    best = minimise([F(1), F(1)], [[F(1), F(0)], [F(0), F(1)], [F(1), F(1)]], [F(0), F(0), F(-1)])
    assert best.value == 1
    assert best.method == "exact-simplex"


def test_infeasibility_comes_with_a_farkas_certificate():
    """x >= 1, y >= 1, x + y <= 1: the sum of the three rows gives 0 >= 1."""
    G = [[F(1), F(0)], [F(0), F(1)], [F(-1), F(-1)]]
    assert exact_lp._farkas(G, [F(-1), F(-1), F(1)], [], [], 2)
    with pytest.raises(Infeasible):
        minimise([F(0), F(0)], G, [F(-1), F(-1), F(1)])


def test_strict_only_region_has_open_ends_and_an_interior_point():
    """0 < q < 1 and 0 < r < q: q ranges over the open (0, 1), r too; the point is strictly inside."""
    q, r = X[:2]
    region = linear_region([q, r], [(q, True), (1 - q, True), (r, True), (q - r, True)])
    assert region.ranges == {q: (0, False, 1, False), r: (0, False, 1, False)}
    assert 0 < region.point[r] < region.point[q] < 1


def test_equality_pins_a_range_to_a_point():
    """q + r = 1 with q >= 1/2 and r >= 1/2: the single point (1/2, 1/2), closed at both ends."""
    q, r = X[:2]
    region = linear_region([q, r], [(2 * q - 1, False), (2 * r - 1, False)], [q + r - 1])
    assert region.ranges[q] == (F(1, 2), True, F(1, 2), True)
    assert region.point == {q: F(1, 2), r: F(1, 2)}
    assert linear_region([q, r], [(2 * q - 1, True), (2 * r - 1, False)], [q + r - 1]) is None
