"""PBE families, not points: Kuhn poker's one-parameter component, nonlinear families, the exact screen.

Kuhn poker (Kuhn 1950), with Alice (player 1) first: in every equilibrium
Alice bets the Jack with some probability ``alpha`` in ``[0, 1/3]``, bets the
King with ``3 alpha``, always checks the Queen and calls a bet after checking
it with probability ``alpha + 1/3``; Bob's strategy is unique (with the King
he bets and calls; with the Queen he checks and calls a bet with probability
1/3; with the Jack he bluffs 1/3 after a check and folds to a bet).  The value
is -1/18 for Alice.  Every one of these is a PBE, so the PBE behaviour is one
component with ``alpha`` as its parameter.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import pytest
import sympy

from deterrence import ExtensiveFormGame, Terminal, choice
from deterrence.forms.extensive_form import Chance
from deterrence.io.gambit import read_efg
from deterrence.solvers.pbe import perfect_bayesian_equilibria
from deterrence.solvers.pbe_nonlinear import nonlinear_region
from deterrence.solvers.pbe_prune import candidate_supports
from deterrence.solvers.pbe_screen import Screen
from deterrence.solvers.pbe_support import solve_support
from deterrence.solvers.pbe_tree import TreeIndex
from tests.signalling_games import beer_quiche, selten_horse

F = Fraction
KUHN = Path(__file__).parent / "data" / "gambit" / "kuhn_poker.efg"


@pytest.fixture(scope="module")
def kuhn():
    return perfect_bayesian_equilibria(read_efg(KUHN))


def _bet(eq, card):
    return eq.strategies["Alice"][card]["bet"]


def test_kuhn_poker_is_complete_with_value_minus_one_eighteenth(kuhn):
    assert kuhn.complete
    assert not any("dropped" in n or "not described" in n for n in kuhn.notes)
    assert {e.payoffs["Alice"] for e in kuhn} == {F(-1, 18)}


def test_kuhn_poker_equilibria_are_the_alpha_family(kuhn):
    for eq in kuhn:
        alpha = _bet(eq, "J")
        assert 0 <= alpha <= F(1, 3)
        assert _bet(eq, "K") == 3 * alpha and _bet(eq, "Q") == 0
        assert eq.strategies["Alice"]["Q check-bet"]["call"] == alpha + F(1, 3)
    bob = {
        "Q after check": {"check": 1, "bet": 0},
        "Q after bet": {"fold": F(2, 3), "call": F(1, 3)},
        "K after check": {"check": 0, "bet": 1},
        "K after bet": {"fold": 0, "call": 1},
        "J after check": {"check": F(2, 3), "bet": F(1, 3)},
        "J after bet": {"fold": 1, "call": 0},
    }
    assert all(eq.strategies["Bob"] == bob for eq in kuhn)  # Bob's strategy is unique
    # Both ends (alpha = 0, 1/3) and the open interval between them are listed.
    assert sorted({_bet(e, "J") for e in kuhn})[:1] == [0] and F(1, 3) in {_bet(e, "J") for e in kuhn}


def test_kuhn_poker_is_one_component_with_alpha_in_zero_one_third(kuhn):
    (component,) = kuhn.table.records
    assert component["members"] == list(range(len(kuhn.equilibria)))
    bet = component["ranges"]["Alice"]["J"]["bet"]
    assert (bet["min"], bet["max"], bet["min_included"], bet["max_included"]) == (0, F(1, 3), True, True)
    call = component["ranges"]["Alice"]["Q check-bet"]["call"]
    assert (call["min"], call["max"]) == (F(1, 3), F(2, 3))
    assert "Bob" not in component["ranges"]
    # The parametrisation ties the King's bet to the Jack's: check(K) = 3 fold(Q) - 1.
    assert "P(Alice: K: check) = 3*P(Alice: Q check-bet: fold) - 1" in component["conditions"]
    assert any(n.startswith("component 1 (#1, #2, #3)") for n in kuhn.notes)


def test_kuhn_poker_beliefs_are_bayes_on_the_path(kuhn):
    for eq in kuhn:
        alpha = _bet(eq, "J")
        if alpha > 0:  # Bob's Queen facing a bet: Jack bluffs alpha, King bets 3 alpha
            belief = eq.extra["beliefs"]["Bob"]["Q after bet"]
            assert belief == {"JQ/bet": F(1, 4), "KQ/bet": F(3, 4)}


def entry_with_resistance() -> ExtensiveFormGame:
    """An entrant of type H or L (1/2 each) enters or stays out; the incumbent fights or accommodates.

    Payoffs (entrant, incumbent): out (0, 0); accommodated (1, 0); after a
    fight the entrant yields (0, 1) or resists (0, -2 for H, 0 for L).

    Derivation.  With p_t = P(type t enters), y_t = P(t yields | fought) and
    r = P(fight), the incumbent's gain from fighting, times the reach, is
    D = p_H (3 y_H - 2) / 2 + p_L y_L / 2.  If r < 1, entering pays 1 - r > 0,
    so both types enter and D = (3 y_H + y_L - 2) / 2: r = 0 needs
    3 y_H + y_L <= 2, 0 < r < 1 needs 3 y_H + y_L = 2 (y free otherwise, the
    entrant being indifferent after a fight).  If r = 1 the entrant is
    indifferent everywhere, and the PBE are every (p_H, p_L, y_H, y_L) with
    D >= 0 (the belief mu in H replacing p_H / (p_H + p_L) when neither
    enters).  In particular, for the support where both types mix at both
    stages and the incumbent fights, the family is

        {p_H (3 y_H - 2) + p_L y_L >= 0, all four in (0, 1)},

    nonlinear in the behaviour probabilities (linear in the sequence weights
    z_t = p_t y_t: 3 z_H - 2 p_H + z_L >= 0).  The old solver left it (and
    every branch like it) undescribed.
    """

    def sender(t: str) -> Any:
        fought = choice(
            "Entrant",
            f"{t} fought",
            {"yield": Terminal((0, 1), f"{t} yields"), "resist": Terminal((0, -2 if t == "H" else 0), f"{t} resists")},
            label=f"{t} fought",
        )
        after = choice(
            "Incumbent",
            "after entry",
            {"fight": fought, "accommodate": Terminal((1, 0), f"{t} accommodated")},
            label=f"{t} entered",
        )
        return choice("Entrant", t, {"enter": after, "out": Terminal((0, 0), f"{t} out")}, label=t)

    root = Chance(("H", "L"), (F(1, 2), F(1, 2)), (sender("H"), sender("L")), "type")
    return ExtensiveFormGame(["Entrant", "Incumbent"], root, title="Entry with resistance")


@pytest.fixture(scope="module")
def resistance():
    return perfect_bayesian_equilibria(entry_with_resistance())


def test_nonlinear_signalling_family_comes_back_complete(resistance):
    assert resistance.complete
    assert not any("not described" in n for n in resistance.notes)
    mixed = [
        e
        for e in resistance
        if all(
            0 < e.strategies["Entrant"][s]["enter" if " " not in s else "yield"] < 1
            for s in ("H", "L", "H fought", "L fought")
        )
        and e.strategies["Incumbent"]["after entry"]["fight"] == 1
    ]
    (family,) = mixed  # one family for that support, described by its condition and one point
    assert family.extra["nonlinear"] == 4
    # Its one condition is the derivation's D >= 0 (D = p_H (3 y_H - 2) / 2 + p_L y_L / 2), as printed by sympy.
    assert family.extra["conditions"] == [
        "3*P(Entrant: H fought: yield)*P(Entrant: H: enter)/2 - P(Entrant: H: enter)"
        " + P(Entrant: L fought: yield)*P(Entrant: L: enter)/2 >= 0"
    ]


def test_every_listed_assessment_of_the_nonlinear_game_obeys_the_derivation(resistance):
    for eq in resistance:
        s = eq.strategies["Entrant"]
        p = {t: s[t]["enter"] for t in "HL"}
        y = {t: s[f"{t} fought"]["yield"] for t in "HL"}
        r = eq.strategies["Incumbent"]["after entry"]["fight"]
        if r < 1:
            assert p == {"H": 1, "L": 1}
            gain = 3 * y["H"] + y["L"] - 2
            assert gain <= 0 if r == 0 else gain == 0
        elif p["H"] + p["L"] > 0:
            assert p["H"] * (3 * y["H"] - 2) + p["L"] * y["L"] >= 0
        else:
            mu = eq.extra["beliefs"]["Incumbent"]["after entry"]["H entered"]
            assert mu * (3 * y["H"] - 2) + (1 - mu) * y["L"] >= 0


@pytest.mark.parametrize("build", [beer_quiche, selten_horse, entry_with_resistance])
def test_the_screen_never_rejects_a_support_with_an_equilibrium(build):
    index = TreeIndex(build())
    screen = Screen(index)
    rejected = kept = 0
    for support in product(*candidate_supports(index)):
        if screen.rejects(support):
            rejected += 1
            families, _ = solve_support(index, support)
            assert families == []
        else:
            kept += 1
    assert rejected > 0 and kept > 0


def test_nonlinear_region_divides_out_played_probabilities():
    p, q = sympy.symbols("p q")
    played = [(p, True), (1 - p, True), (q, True), (1 - q, True)]
    # -p q >= 0 with p, q played: empty (the bound alone would touch zero at the corner).
    assert nonlinear_region([p, q], played + [(-p * q, False)]).kind == "empty"
    # -p - q + p q >= 0: negative inside, zero only at the excluded corner (the monotonicity test).
    assert nonlinear_region([p, q], played + [(-p - q + p * q, False)]).kind == "empty"
    found = nonlinear_region([p, q], played + [(p * q - F(1, 5), False)])
    assert found.kind == "point" and found.point is not None
    assert found.point[p] * found.point[q] >= F(1, 5)
