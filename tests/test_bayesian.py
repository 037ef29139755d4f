"""Bayesian games as Harsanyi trees (deterrence.forms.bayesian)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from deterrence import solve
from deterrence.errors import GameError
from deterrence.forms.bayesian import bayesian_game, type_profiles
from deterrence.forms.extensive_form import Chance

HALF, TENTH = Fraction(1, 2), Fraction(1, 10)


def _beer_quiche_payoffs(t, a):
    weak = t["Sender"] == "weak"
    bonus = int(a["Sender"] == ("quiche" if weak else "beer"))
    duel = a["Receiver"] == "duel"
    return (bonus + (0 if duel else 2), int(duel == weak))


def _beer_quiche(prior):
    return bayesian_game(
        ["Sender", "Receiver"],
        {"Sender": ["beer", "quiche"], "Receiver": ["duel", "not"]},
        {"Sender": {"weak": prior, "strong": 1 - prior}},
        _beer_quiche_payoffs,
        observe_actions=True,
        title="Beer-Quiche (Bayesian)",
    )


def test_harsanyi_tree_of_beer_quiche_has_the_published_pbe():
    game = _beer_quiche(TENTH)
    assert isinstance(game.root, Chance) and game.root.actions == ("weak", "strong")
    assert game.infosets["Sender"] == ("Sender:weak", "Sender:strong")
    result = solve(game, "pbe", options={"refine": "intuitive"})
    # Cho-Kreps: only pooling on beer survives (see tests/test_pbe.py for the derivation).
    assert len(result) == 2
    assert all(e.strategies["Sender"]["Sender:weak"]["beer"] == 1 for e in result)


def test_parametric_prior_and_evaluation():
    p = sympy.Symbol("p")
    game = _beer_quiche(p)
    assert game.parameters == ("p",)
    hybrid = solve(game.evaluate(p=sympy.Rational(3, 5)), "pbe")
    assert len(hybrid) == 1 and hybrid[0].strategies["Sender"]["Sender:weak"]["beer"] == Fraction(2, 3)


def test_independent_priors_multiply_and_joint_priors_are_used_as_given():
    types = {"A": {"hi": Fraction(1, 3), "lo": Fraction(2, 3)}, "B": {"x": HALF, "y": HALF}}
    profiles = dict(type_profiles(["A", "B"], types))
    assert profiles[("lo", "y")] == Fraction(1, 3) and len(profiles) == 4
    joint = {("hi", "x"): HALF, ("lo", "y"): HALF}  # correlated types
    game = bayesian_game(["A", "B"], {"A": ["u", "d"], "B": ["l", "r"]}, types, lambda t, a: (0, 0), prior=joint)
    assert game.root.actions == ("hi,x", "lo,y")


def test_simultaneous_bayesian_game_has_its_three_bayesian_nash_equilibria():
    # B is "tough" w.p. 1/3 (fights whatever A does) or "soft" (matches A: yields to push, fights a wait).
    # A gets 1 for push-yield, -1 for push-fight, 0 for waiting.  Pure: (push; soft yields) since
    # -1/3 + 2/3 > 0, and (wait; soft fights) since pushing would pay -1.  Mixed: soft is indifferent iff
    # A pushes w.p. 1/2; A is indifferent iff -1/3 + (2/3)(2y - 1) = 0, i.e. soft yields w.p. y = 3/4.
    def pay(t, a):
        a_pays = 0 if a["A"] == "wait" else (1 if a["B"] == "yield" else -1)
        if t["B"] == "tough":
            return (a_pays, 1 if a["B"] == "fight" else 0)
        return (a_pays, 1 if (a["A"] == "push") == (a["B"] == "yield") else 0)

    game = bayesian_game(["A", "B"], {"A": ["push", "wait"], "B": ["fight", "yield"]},
                         {"B": {"tough": Fraction(1, 3), "soft": Fraction(2, 3)}}, pay)  # fmt: skip
    assert game.infosets["B"] == ("B:tough", "B:soft") and game.infosets["A"] == ("A",)
    result = solve(game, "pbe")
    assert result.complete
    assert all(e.strategies["B"]["B:tough"]["fight"] == 1 for e in result)
    found = sorted((e.strategies["A"]["A"]["push"], e.strategies["B"]["B:soft"]["yield"]) for e in result)
    assert found == [(0, 0), (HALF, Fraction(3, 4)), (1, 1)]


def test_bad_inputs_are_game_errors():
    with pytest.raises(GameError, match="unknown player"):
        bayesian_game(["A"], {"A": ["x"]}, {"Z": {"t": 1}}, lambda t, a: (0,))
    with pytest.raises(GameError, match="sum to"):
        bayesian_game(["A"], {"A": ["x"]}, {"A": {"t": HALF, "u": HALF / 2}}, lambda t, a: (0,))
    with pytest.raises(GameError, match="entries"):
        bayesian_game(["A"], {"A": ["x"]}, {}, lambda t, a: (0, 1))
    with pytest.raises(GameError, match="no actions"):
        bayesian_game(["A"], {"A": []}, {}, lambda t, a: (0,))
