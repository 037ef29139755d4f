"""Exact certificates for irrational equilibria of N-player games (deterrence/solvers/algebraic.py, issue 10).

The game here has a unique totally mixed equilibrium at ``sqrt(2) - 1``.  In the notation of
tests/test_nplayer_support.py (``x, y, z`` the probabilities of each player's first strategy;
the first pays ``d_i`` at each profile of the others, the second 0), the bilinear differences are

* ``D1(y, z) = y z + 2 z - 1`` (corners (y, z) = (1, 1): 2, (1, 0): -1, (0, 1): 1, (0, 0): -1),
* ``D2(x, z) = x z + 2 x - 1`` (corners (x, z): 2, 1, -1, -1),
* ``D3(x, y) = x y + 3 x - y - 1`` (corners (x, y): 2, 2, -2, -1).

Indifference of all three: ``z = 1 / (y + 2)``, ``x = 1 / (z + 2) = (y + 2) / (2 y + 5)`` and
``x = (y + 1) / (y + 3)``; equating the two forms of ``x`` gives ``(y + 2)(y + 3) = (y + 1)(2 y + 5)``,
that is ``y**2 + 2 y - 1 = 0``, so ``y = sqrt(2) - 1`` (the other root is negative), and then
``z = 1 / (sqrt(2) + 1) = sqrt(2) - 1`` and ``x = 1 / (sqrt(2) + 1) = sqrt(2) - 1``.  Every payoff is
0 there (each player is indifferent with a strategy that pays 0).  No corner value is 0.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from test_nplayer_support import PLAYERS, _from_differences, _fully_mixed

from deterrence import solve
from deterrence.solvers.algebraic import THETA, AlgebraicPoint, algebraic_point
from deterrence.solvers.nplayer_support import certify
from deterrence.solvers.verify import exact_payoffs

D1 = [[2, -1], [1, -1]]
D2 = [[2, -1], [1, -1]]
D3 = [[2, 2], [-2, -1]]
ROOT = 2**0.5 - 1
FULL = ((0, 1), (0, 1), (0, 1))
UNKNOWNS = sympy.symbols("x0_1 x1_1 x2_1")  # each player's probability of s1 on the full support


def _game():
    return _from_differences(D1, D2, D3)


def _point(low, high, second):
    """theta = the root of t**2 - 2 in (low, high); every player's P(s1) = ``second`` (a polynomial in theta)."""
    poly = sympy.Poly(second, THETA, domain="QQ")
    return AlgebraicPoint(
        sympy.Poly(THETA**2 - 2, THETA), [Fraction(low), Fraction(high)], dict.fromkeys(UNKNOWNS, poly)
    )


def test_the_sqrt2_equilibrium_is_certified_exactly():
    found = solve(_game(), "nash", "support-polynomial")
    assert found.complete
    (eq,) = _fully_mixed(found)
    assert [eq.strategies[p]["s0"] for p in PLAYERS] == pytest.approx([ROOT] * 3, abs=1e-15)
    assert eq.extra["algebraic"] == {p: {"s0": "-1 + sqrt(2)", "s1": "2 - sqrt(2)"} for p in PLAYERS}
    assert eq.extra["algebraic_payoffs"] == dict.fromkeys(PLAYERS, "0")
    assert eq.payoffs == dict.fromkeys(PLAYERS, 0.0)  # from the exact value, not float round-off
    assert eq.extra["verification"] == "verified exactly in algebraic arithmetic"
    assert not eq.exact  # the probabilities shown are floats
    assert any(note.startswith("verified exactly in algebraic arithmetic: P1: s0 = -1 + sqrt(2)") for note in eq.notes)
    assert "1 verified exactly in algebraic arithmetic" in " ".join(found.notes)
    json = found.to_dict()["equilibria"]
    assert {"algebraic": eq.extra["algebraic"]}.items() <= next(e for e in json if "algebraic" in e).items()


def test_certificate_accepts_the_point_and_rejects_perturbed_ones():
    """P(s1) = 2 - sqrt(2) passes; 2 - sqrt(2) + 1e-9 breaks the indifferences; the conjugate
    theta = -sqrt(2) gives P(s1) = 2 + sqrt(2) > 1, a negative P(s0)."""
    table = exact_payoffs(_game().payoffs)
    assert certify(table, FULL, _point(1, 2, 2 - THETA))
    assert not certify(table, FULL, _point(1, 2, 2 - THETA + Fraction(1, 10**9)))
    assert not certify(table, FULL, _point(-2, -1, 2 - THETA))


def test_certificate_checks_deviations_outside_the_support():
    """All play s0: an equilibrium (every d_i at (s0, s0) is 2 > 0).  P1 on s1 alone: P1 gains 2 by s0."""
    table = exact_payoffs(_game().payoffs)
    pure = AlgebraicPoint(sympy.Poly(THETA, THETA), [Fraction(0), Fraction(0)], {})
    assert certify(table, ((0,), (0,), (0,)), pure)
    assert not certify(table, ((1,), (0,), (0,)), pure)


def test_algebraic_point_of_a_cubic_and_exact_signs():
    """x**3 - x - 1 = 0 has one real root (the plastic number, ~1.3247); beyond degree 2 it stays a CRootOf."""
    x, y = sympy.symbols("x y")
    near = sympy.CRootOf(x**3 - x - 1, 0).evalf(50)
    point = algebraic_point([x**3 - x - 1, y - x**2], [x, y], {x: near, y: near**2})
    assert point is not None
    assert point.text(x) == "CRootOf(x**3 - x - 1, 0)"
    assert point.sign(y * x - x - 1) == 0  # x**3 = x + 1
    assert point.sign(x - Fraction(13247, 10000)) == 1 and point.sign(x - Fraction(13248, 10000)) == -1
    assert point.value(y) == pytest.approx(float(near) ** 2, rel=1e-15)


def test_no_exact_point_is_claimed_far_from_the_approximation():
    x = sympy.Symbol("x")
    assert algebraic_point([x**2 - 2], [x], {x: sympy.Float("1.5", 50)}) is None
    assert np.isclose(algebraic_point([x**2 - 2], [x], {x: sympy.sqrt(2).evalf(50)}).value(x), 2**0.5)
