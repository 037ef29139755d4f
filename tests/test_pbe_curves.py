"""PBE supports whose solutions include a curve that no back substitution writes rationally (issue 10, bounded work).

Three voters choose among C, B and A at once (Gambit's ``e08.efg``, plurality voting; a three-way
tie goes to the first voter).  When all three mix over all three alternatives the indifference
conditions (six unknowns) have a conic among their solutions.  ``sympy.solve`` spent 82 s there
before giving up; the solver must now recognise the curve from a lex Groebner basis at once, say
that it left it undescribed and call the list incomplete.
"""

from __future__ import annotations

import sympy

from deterrence import ExtensiveFormGame, Terminal, choice, solve
from deterrence.solvers.pbe_nonlinear import unparametrised_curve
from deterrence.solvers.pbe_support import CURVE

PAYOFFS = {"C": (1, 1, 3), "B": (2, 3, 2), "A": (3, 2, 1)}


def _winner(votes: tuple[str, str, str]) -> str:
    return next((c for c in votes if votes.count(c) >= 2), votes[0])


def plurality_voting() -> ExtensiveFormGame:
    acts = ("C", "B", "A")
    return ExtensiveFormGame(
        ["P1", "P2", "P3"],
        choice(
            "P1",
            "p1",
            {
                a: choice(
                    "P2",
                    "p2",
                    {b: choice("P3", "p3", {c: Terminal(PAYOFFS[_winner((a, b, c))]) for c in acts}) for b in acts},
                )
                for a in acts
            },
        ),
    )


def test_the_fully_mixed_support_is_named_as_an_undescribed_curve():
    # The notes must name the support left undescribed and the list must not claim completeness;
    # the other supports are still solved (the pure equilibria, and families with ranges).
    found = solve(plurality_voting(), "pbe")
    curves = [n for n in found.notes if CURVE in n]
    assert curves == [f"support P1:p1=C|B|A; P2:p2=C|B|A; P3:p3=C|B|A: {CURVE}"]
    assert not found.complete
    assert len(found) >= 5  # at least the five pure Nash equilibria's assessments (some inside families)
    assert not any("sympy could not solve" in n for n in found.notes)


def test_curve_test_leaves_rationally_parametrised_systems_to_sympy():
    # A system whose lex basis is linear in each leading unknown (it follows from the free ones by back
    # substitution) and a small system are never flagged; a conic in four unknowns is.
    a, b, c, d, e = sympy.symbols("a b c d e")
    assert not unparametrised_curve([a * b - c, d - a * e, a * (b - 1)], [a, b, c, d, e])
    assert not unparametrised_curve([a**2 + b**2 - 1], [a, b])  # three unknowns or fewer: sympy is quick
    assert unparametrised_curve([a**2 + 4 * a * b - a + b**2 - b, c - a, d - b * a], [a, b, c, d])
