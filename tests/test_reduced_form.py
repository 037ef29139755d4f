"""Tests for deterrence.reduced_form: reduced strategies, payoffs and Kuhn's theorem."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import count, product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trees import absent_minded_driver, entry_game, two_step

from deterrence import Chance, ExtensiveFormGame, GameError, Terminal, choice
from deterrence.forms.extensive_form import Decision
from deterrence.forms.reduced_form import behaviour_from_mixed, reduced_normal_form
from deterrence.forms.subgames import expected_payoffs
from deterrence.solvers.verify import is_nash


def test_entry_game_reduced_form_has_both_nash_equilibria():
    rf = reduced_normal_form(entry_game())
    assert rf.game.title == "entry"
    assert rf.game.players == ("Entrant", "Incumbent")
    assert rf.game.strategies == (("out", "in"), ("fight", "accommodate"))
    payoffs = rf.game.payoffs
    pure = [
        (s, t)
        for s, t in product(range(2), range(2))
        if is_nash(payoffs, [np.eye(2, dtype=int)[s].tolist(), np.eye(2, dtype=int)[t].tolist()])
    ]
    # (out, fight) is Nash but not subgame perfect; (in, accommodate) is the SPE (Selten 1975).
    assert pure == [(0, 0), (1, 1)]
    assert rf.plan("Entrant", "in") == {"e": "in"}


def test_reduced_strategies_drop_sets_excluded_by_own_moves():
    rf = reduced_normal_form(two_step())
    assert rf.game.strategies[0] == ("out", "in/x", "in/y")
    assert rf.plan("A", "out") == {"a": "out"}
    assert rf.plan("A", "in/y") == {"a": "in", "c": "y"}
    assert rf.game.payoff(("in/y", "l"), "A") == 2
    assert rf.game.payoff(("out", "r"), "B") == 0


def test_chance_payoffs_are_exact_expectations():
    game = ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "a",
            {
                "safe": Terminal((1, 1)),
                "risky": Chance(
                    ("win", "lose"),
                    (Fraction(1, 3), Fraction(2, 3)),
                    (
                        choice("B", "b", {"give": Terminal((6, 0)), "keep": Terminal((0, 3))}),
                        Terminal((-1, 2)),
                    ),
                ),
            },
        ),
    )
    rf = reduced_normal_form(game)
    assert rf.game.kind == "exact"
    assert rf.game.payoff(("risky", "give"), "A") == Fraction(1, 3) * 6 + Fraction(2, 3) * -1
    assert rf.game.payoff(("risky", "keep"), "B") == Fraction(1, 3) * 3 + Fraction(2, 3) * 2


def test_three_players_and_a_player_without_moves():
    game = ExtensiveFormGame(
        ["A", "B", "Watcher"],
        choice(
            "A",
            "a",
            {
                "l": choice("B", "b", {"u": Terminal((1, 2, 3)), "d": Terminal((0, 0, 0))}),
                "r": Terminal((2, 1, 0)),
            },
        ),
    )
    rf = reduced_normal_form(game)
    assert rf.game.shape == (2, 2, 1)
    assert rf.game.strategies[2] == ("(no move)",)
    assert rf.game.payoff(("l", "u", "(no move)"), "Watcher") == 3


def test_float_tree_gives_float_normal_form():
    game = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((0.5,)), "y": Terminal((1,))}))
    rf = reduced_normal_form(game)
    assert rf.game.kind == "float" and rf.game.payoffs[0, 0] == 0.5


def test_colliding_short_labels_fall_back_to_full_width_labels():
    # Action "p/q" at the root and the plan p-then-q would both read "p/q".
    game = ExtensiveFormGame(
        ["A"],
        choice(
            "A",
            "a",
            {
                "p/q": Terminal((0,)),
                "p": choice("A", "b", {"q": Terminal((1,)), "r": Terminal((2,))}),
            },
        ),
    )
    labels = reduced_normal_form(game).game.strategies[0]
    assert labels == ("p/q/*", "p/q", "p/r")
    assert len(set(labels)) == 3


def test_kuhn_conversion_exact_and_unreached_rule():
    rf = reduced_normal_form(two_step())
    half, third = Fraction(1, 2), Fraction(1, 3)
    beta = behaviour_from_mixed(rf, [[half, third, 1 - half - third], [1, 0]])
    assert beta["A"]["a"] == {"out": half, "in": half}
    # x(in/x) / x(in) = (1/3) / (1/2)
    assert beta["A"]["c"] == {"x": Fraction(2, 3), "y": Fraction(1, 3)}
    assert beta.unreached == {"A": (), "B": ()}
    out_only = behaviour_from_mixed(rf, {"A": {"out": 1}, "B": {"r": 1}})
    assert out_only.unreached["A"] == ("c",)
    assert out_only["A"]["c"] == {"x": half, "y": half}  # uniform at the set A's own move excludes


def test_kuhn_conversion_needs_perfect_recall_and_valid_vectors():
    driver = absent_minded_driver("D")
    rf = reduced_normal_form(driver)
    assert rf.game.strategies == (("exit", "continue"),)  # the plan specifies the set once
    with pytest.raises(GameError, match="perfect recall"):
        behaviour_from_mixed(rf, [[1, 0]])
    with pytest.raises(GameError, match="probability vector"):
        behaviour_from_mixed(reduced_normal_form(entry_game()), [[Fraction(1, 2), Fraction(1, 3)], [1, 0]])
    with pytest.raises(GameError, match="entries"):
        behaviour_from_mixed(reduced_normal_form(entry_game()), [[1], [1, 0]])


def recall_tree(seed: int) -> ExtensiveFormGame:
    """Random tree with chance; information sets only merge the opponent's hidden move.

    Built from a seeded generator (one hypothesis draw per tree keeps generation fast).
    """
    rng = random.Random(seed)
    counter = count()

    def node(depth):
        if depth >= 3 or (depth > 0 and rng.random() < 0.25):
            return Terminal((rng.randint(-3, 3), rng.randint(-3, 3)))
        kind = rng.randrange(6)
        if kind == 0:
            return Chance(("c0", "c1"), (Fraction(1, 4), Fraction(3, 4)), (node(depth + 1), node(depth + 1)))
        if kind == 1:  # simultaneous move: B does not see A's choice
            tag = next(counter)
            kids = tuple(Decision("B", f"sim{tag}", ("u", "d"), (node(depth + 2), node(depth + 2))) for _ in range(2))
            return Decision("A", f"s{tag}", ("l", "r"), kids)
        player = rng.choice(["A", "B"])
        return Decision(player, f"n{next(counter)}", ("l", "r"), (node(depth + 1), node(depth + 1)))

    return ExtensiveFormGame(["A", "B"], node(0))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.data())
def test_kuhn_behaviour_gives_the_same_payoffs_as_the_mixed_profile(seed, data):
    game = recall_tree(seed)
    rf = reduced_normal_form(game)
    mixed = []
    for size in rf.game.shape:
        weights = data.draw(st.lists(st.integers(0, 3), min_size=size, max_size=size))
        if sum(weights) == 0:
            weights[0] = 1
        mixed.append([Fraction(w, sum(weights)) for w in weights])
    tensor = np.asarray(rf.game.payoffs, dtype=object)
    expected = []
    for k in range(2):
        total = Fraction(0)
        for s, t in product(range(rf.game.shape[0]), range(rf.game.shape[1])):
            total += mixed[0][s] * mixed[1][t] * tensor[s, t, k]
        expected.append(total)
    beta = behaviour_from_mixed(rf, mixed)
    assert list(expected_payoffs(game, beta)) == expected
