"""Irrational perfect Bayesian equilibria certified exactly (deterrence/solvers/pbe_algebraic.py, issue 10).

The tree is the 2x2x2 game of tests/test_nplayer_algebraic.py played in sequence with no
player seeing the earlier moves: P1 at ``p1``, P2 at ``p2`` (two nodes), P3 at ``p3`` (four
nodes).  Its PBE are its Nash equilibria with Bayes beliefs.  The totally mixed one has every
player's first strategy at ``sqrt(2) - 1`` (derived by hand in that file), so P2's belief in
P1's ``s0`` is ``sqrt(2) - 1`` and P3's beliefs are the products:
``(sqrt(2) - 1)**2 = 3 - 2 sqrt(2)``, ``(sqrt(2) - 1)(2 - sqrt(2)) = 3 sqrt(2) - 4`` and
``(2 - sqrt(2))**2 = 6 - 4 sqrt(2)``.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from deterrence import solve
from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
from deterrence.solvers.algebraic import THETA, AlgebraicPoint
from deterrence.solvers.pbe_algebraic import EXACTLY, certify_branch
from deterrence.solvers.pbe_support import Family

D1 = [[2, -1], [1, -1]]
D2 = [[2, -1], [1, -1]]
D3 = [[2, 2], [-2, -1]]
ROOT = "-1 + sqrt(2)"


def _pay(a: int, b: int, c: int) -> tuple[int, int, int]:
    return (D1[b][c] if a == 0 else 0, D2[a][c] if b == 0 else 0, D3[a][b] if c == 0 else 0)


def _tree(d3=D3) -> ExtensiveFormGame:
    def p3(a, b):
        first = (_pay(a, b, 0)[0], _pay(a, b, 0)[1], d3[a][b])
        return choice("P3", "p3", {"s0": Terminal(first), "s1": Terminal(_pay(a, b, 1))})

    def p2(a):
        return choice("P2", "p2", {"s0": p3(a, 0), "s1": p3(a, 1)})

    return ExtensiveFormGame(["P1", "P2", "P3"], choice("P1", "p1", {"s0": p2(0), "s1": p2(1)}))


@pytest.fixture(scope="module")
def found():
    return solve(_tree(), "pbe")


def _mixed(found):
    return [eq for eq in found if not eq.exact]


def test_the_irrational_pbe_is_certified_exactly(found):
    assert found.complete
    (eq,) = _mixed(found)
    assert eq.extra["verification"] == EXACTLY
    assert eq.extra["algebraic"] == {p: {p.lower(): {"s0": ROOT, "s1": "2 - sqrt(2)"}} for p in ("P1", "P2", "P3")}
    beliefs = eq.extra["algebraic_beliefs"]
    assert beliefs["P2"] == {"p2": {"s0": ROOT, "s1": "2 - sqrt(2)"}}
    assert beliefs["P3"] == {
        "p3": {"s0/s0": "3 - 2*sqrt(2)", "s0/s1": "-4 + 3*sqrt(2)", "s1/s0": "-4 + 3*sqrt(2)", "s1/s1": "6 - 4*sqrt(2)"}
    }
    assert eq.strategies["P3"]["p3"]["s0"] == pytest.approx(2**0.5 - 1, abs=1e-15)
    assert any(n.startswith(EXACTLY) for n in eq.notes)


def test_the_tree_has_the_normal_form_equilibria(found):
    """Two pure equilibria (all s0, all s1) and the irrational one, as the N-player solver finds."""
    pure = sorted(tuple(eq.strategies[p][p.lower()]["s0"] for p in ("P1", "P2", "P3")) for eq in found if eq.exact)
    assert pure == [(Fraction(0),) * 3, (Fraction(1),) * 3]
    assert len(found) == 3


def test_a_rational_mixed_pbe_carries_no_algebraic_forms():
    """With P3's first strategy paying 4x - 2 (x: P1's s0), the mixed PBE is rational and exact."""
    found = solve(_tree([[2, 2], [-2, -2]]), "pbe")
    assert found.complete and all(eq.exact for eq in found)
    mixed = [eq for eq in found if 0 < eq.strategies["P1"]["p1"]["s0"] < 1]
    assert [eq.strategies["P1"]["p1"]["s0"] for eq in mixed] == [Fraction(1, 2)]
    assert all("verification" not in (eq.extra or {}) for eq in found)


def _near():
    return (sympy.sqrt(2) - 1).evalf(40)


def test_an_exactly_zero_strict_condition_is_refused():
    """At x = sqrt(2) - 1, ``x**2 + 2x - 1`` is exactly 0: as a strict condition the branch is not a PBE."""
    x, y = sympy.symbols("x y")
    equations, unknowns, branch = [x**2 + 2 * x - 1, y - x], [x, y], {x: _near(), y: _near()}
    family = Family([{"a": 0.4, "b": 0.6}], [None], exact=False)

    class System:
        tables = [{"a": x, "b": 1 - x}]
        beliefs = [None]
        constraints = [(x, True), (x * y + 2 * x - 1, False)]

    assert certify_branch(System, None, equations, unknowns, branch, family).algebraic is not None
    System.constraints = [(x, True), (x * y + 2 * x - 1, True)]
    assert certify_branch(System, None, equations, unknowns, branch, family) is None
    System.constraints = [(x, True), (Fraction(2, 5) - x, False)]  # sqrt(2) - 1 > 0.4: fails by 0.014
    assert certify_branch(System, None, equations, unknowns, branch, family) is None


def test_a_branch_with_free_variables_stays_in_floats():
    x, y, z = sympy.symbols("x y z")
    family = Family([{"a": 0.4, "b": 0.6}], [None], exact=False)

    class System:
        tables = [{"a": x, "b": 1 - x}]
        beliefs = [{("l",): z, ("r",): 1 - z}]
        constraints = [(x, True)]

    same = certify_branch(System, None, [x**2 + 2 * x - 1, y - x], [x, y], {x: _near(), y: _near()}, family)
    assert same is family


def test_rational_functions_reduce_in_the_number_field():
    x = sympy.Symbol("x")
    root_two = sympy.Poly(THETA**2 - 2, THETA)
    point = AlgebraicPoint(root_two, [Fraction(1), Fraction(2)], {x: sympy.Poly(THETA - 1, THETA)})
    assert point.text(x / (x + 1)) == "1 - sqrt(2)/2"  # (sqrt 2 - 1) / sqrt 2
    assert point.sign(x / (x + 1) - Fraction(29, 100)) == 1  # 0.2929 > 0.29
    assert point.sign(x / (x + 1) - Fraction(30, 100)) == -1
    with pytest.raises(ZeroDivisionError):
        point.reduce(x / (x**2 + 2 * x - 1))


def test_the_irrational_pbe_is_labelled_sequential_and_listed(found):
    # Fully mixed, so Bayes' rule gives every belief and the assessment is consistent: the PBE must
    # say so (it had no label when the consistency check was exact-rational only), and the
    # sequential concept must list it with the two pure ones instead of dropping it.
    (eq,) = _mixed(found)
    assert eq.extra["sequential"] is True
    listed = solve(_tree(), "sequential")
    assert listed.complete and len(listed) == len(found) == 3
    assert [e.extra.get("verification") for e in listed if not e.exact] == [EXACTLY]


def _unreached_pair():
    # P1 picks L or R; P2 (not seeing it) plays l or r; after l, P3 (not seeing either move) plays.
    def after(side):
        return choice(
            "P2",
            "p2",
            {
                "l": choice("P3", "p3", {"u": Terminal((0, 0, 1 if side == "L" else 0)), "v": Terminal((0, 0, 0))}),
                "r": Terminal((1, 1, 0)),
            },
        )

    return ExtensiveFormGame(["P1", "P2", "P3"], choice("P1", "p1", {"L": after("L"), "R": after("R")}))


@pytest.mark.parametrize(
    ("belief_in_left", "expected"),
    [(lambda x: x, True), (lambda x: x + sympy.Rational(1, 10), False), (lambda x: sympy.Rational(1, 2), False)],
    ids=["x", "x+1/10", "1/2"],
)
def test_consistency_is_decided_in_the_number_field(belief_in_left, expected):
    # P2 never plays l, so P3's set is unreached; one tremble on l reaches both of its nodes, so the
    # only consistent belief is P1's mix, x = sqrt(2) - 1 : 2 - sqrt(2).  Any other belief, rational
    # or irrational, is inconsistent; a check that rounded, or that ignored the ratios, would accept
    # x + 1/10 or 1/2.
    from deterrence.solvers.pbe_tree import TreeIndex
    from deterrence.solvers.sequential import consistent

    x = sympy.Symbol("x")
    point = AlgebraicPoint(
        sympy.Poly(THETA**2 - 2, THETA), [Fraction(1), Fraction(2)], {x: sympy.Poly(THETA - 1, THETA)}
    )
    index = TreeIndex(_unreached_pair())
    behaviour = {
        "P1": {"p1": {"L": x, "R": 1 - x}},
        "P2": {"p2": {"l": sympy.Integer(0), "r": sympy.Integer(1)}},
        "P3": {"p3": {"u": sympy.Integer(1), "v": sympy.Integer(0)}},
    }
    left = belief_in_left(x)
    beliefs = {("P3", "p3"): {("L", "l"): left, ("R", "l"): 1 - left}}
    assert consistent(index, behaviour, beliefs, point=point) is expected


def test_a_pbe_without_exact_form_makes_the_sequential_list_incomplete(monkeypatch):
    # Without a certificate (no exact form found: simulated) the irrational PBE has no consistency
    # verdict; the sequential list must then say so and call itself incomplete, not claim the two
    # pure equilibria are all there is.
    import deterrence.solvers.pbe_algebraic as pbe_algebraic

    monkeypatch.setattr(pbe_algebraic, "algebraic_point", lambda *args: None)
    listed = solve(_tree(), "sequential")
    assert len(listed) == 2 and all(e.exact for e in listed)
    assert not listed.complete
    assert any("known in floats only" in n for n in listed.notes)
