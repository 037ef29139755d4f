"""Tests for deterrence.solvers.sequence_form: the sequence-form LP for zero-sum trees."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import count, permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trees import matching_pennies_tree

from deterrence import Chance, ExtensiveFormGame, GameError, SolverError, Terminal, choice
from deterrence.forms.extensive_form import Decision
from deterrence.forms.subgames import best_response_value
from deterrence.solvers.sequence_form import sequence_form, solve_zero_sum
from deterrence.solvers.spe import subgame_perfect_equilibria

RANK = {"J": 0, "Q": 1, "K": 2}


def kuhn_poker() -> ExtensiveFormGame:
    """Kuhn's (1950) three-card poker: ante 1, one bet of 1, six equally likely deals.

    Information sets are named by the card and the public history: P1 holds
    ``J`` then maybe ``Jcb`` (checked, faced a bet); P2 holds ``Qc`` or ``Qb``.
    """
    deals, subtrees = [], []
    for c1, c2 in permutations("JQK", 2):
        sign = 1 if RANK[c1] > RANK[c2] else -1

        def showdown(stake, sign=sign):
            return Terminal((stake * sign, -stake * sign))

        after_check = choice(
            "P2",
            c2 + "c",
            {
                "check": showdown(1),
                "bet": choice("P1", c1 + "cb", {"fold": Terminal((-1, 1)), "call": showdown(2)}),
            },
        )
        after_bet = choice("P2", c2 + "b", {"fold": Terminal((1, -1)), "call": showdown(2)})
        subtrees.append(choice("P1", c1, {"check": after_check, "bet": after_bet}))
        deals.append(c1 + c2)
    return ExtensiveFormGame(
        ["P1", "P2"],
        Chance(tuple(deals), (Fraction(1, 6),) * 6, tuple(subtrees)),
        title="Kuhn poker",
    )


def test_kuhn_poker_sequence_form_shapes():
    sf = sequence_form(kuhn_poker())
    # Each player: 6 information sets with 2 actions -> 13 sequences, 7 constraint rows.
    assert sf.constraints[0].shape == (7, 13) and sf.constraints[1].shape == (7, 13)
    assert sf.payoff.shape == (13, 13)
    assert sf.parents[0]["Jcb"] == ("J", "check") and sf.parents[1]["Qb"] is None
    # Total chance mass: summing A over consistent pure plans weighs each deal by 1/6.
    assert np.isclose(
        np.abs(sf.payoff).sum(),
        sum(abs(float(t.payoffs[0])) for t, _ in kuhn_poker().terminals()) / 6,
    )


def test_kuhn_poker_value_is_minus_one_eighteenth_exactly():
    result = solve_zero_sum(kuhn_poker())
    (eq,) = result
    assert eq.exact and eq.payoffs == {"P1": Fraction(-1, 18), "P2": Fraction(1, 18)}
    s1, s2 = eq.strategies["P1"], eq.strategies["P2"]
    # Kuhn (1950): P1 bets J with some alpha in [0, 1/3], bets K with 3 alpha, calls with Q
    # with alpha + 1/3, never bets Q, always calls with K, never calls with J.
    alpha = s1["J"]["bet"]
    assert 0 <= alpha <= Fraction(1, 3)
    assert s1["K"]["bet"] == 3 * alpha
    assert s1["Qcb"]["call"] == alpha + Fraction(1, 3)
    assert s1["Q"]["bet"] == 0 and s1["Jcb"]["call"] == 0
    if s1["K"]["bet"] < 1:  # Kcb is reached only when P1 checks K
        assert s1["Kcb"]["call"] == 1
    # P2's optimal strategy is unique: bet K, bluff J with 1/3 after a check, call Q with 1/3.
    assert s2["Kb"]["call"] == 1 and s2["Kc"]["bet"] == 1
    assert s2["Jc"]["bet"] == Fraction(1, 3) and s2["Jb"]["call"] == 0
    assert s2["Qb"]["call"] == Fraction(1, 3) and s2["Qc"]["bet"] == 0
    assert "verified exactly" in result.notes[0] and not result.complete


def test_kuhn_poker_float_solution_guarantees_the_value():
    game = kuhn_poker()
    result = solve_zero_sum(game, exact=False)
    (eq,) = result
    assert not eq.exact and abs(eq.payoffs["P1"] + 1 / 18) < 1e-7
    floor = -best_response_value(game, eq.strategies, "P2")
    ceiling = best_response_value(game, eq.strategies, "P1")
    assert float(floor) >= -1 / 18 - 1e-7 and float(ceiling) <= -1 / 18 + 1e-7
    assert 0 < result.tolerance < 1e-5


def test_matching_pennies_as_a_tree_with_an_information_set():
    (eq,) = solve_zero_sum(matching_pennies_tree())
    assert eq.payoffs == {"A": 0, "B": 0}
    assert eq.strategies == {
        "A": {"a": {"h": Fraction(1, 2), "t": Fraction(1, 2)}},
        "B": {"b": {"h": Fraction(1, 2), "t": Fraction(1, 2)}},
    }


def test_constant_sum_float_game_is_accepted():
    game = matching_pennies_tree(2.5).map_values(lambda v: v + 1.0)  # u1 + u2 = 2 everywhere
    (eq,) = solve_zero_sum(game)
    assert abs(eq.payoffs["A"] - 1.0) < 1e-7 and abs(eq.payoffs["B"] - 1.0) < 1e-7
    assert abs(eq.strategies["B"]["b"]["h"] - 0.5) < 1e-7


def test_errors():
    not_zero_sum = ExtensiveFormGame(["A", "B"], choice("A", "a", {"x": Terminal((1, 1)), "y": Terminal((0, 0))}))
    with pytest.raises(SolverError, match="zero-sum"):
        solve_zero_sum(not_zero_sum)
    three = ExtensiveFormGame(["A", "B", "C"], choice("A", "a", {"x": Terminal((1, -1, 0)), "y": Terminal((0, 0, 0))}))
    with pytest.raises(GameError, match="two players"):
        solve_zero_sum(three)
    forgetful = ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "first",
            {k: choice("A", "later", {"u": Terminal((1, -1)), "d": Terminal((0, 0))}) for k in ("l", "r")},
        ),
    )
    with pytest.raises(GameError, match="perfect recall"):
        solve_zero_sum(forgetful)


def random_zero_sum_tree(seed: int) -> ExtensiveFormGame:
    """Random perfect-information zero-sum tree with chance moves."""
    rng = random.Random(seed)
    counter = count()

    def node(depth):
        if depth >= 4 or (depth > 0 and rng.random() < 0.3):
            u = rng.randint(-5, 5)
            return Terminal((u, -u))
        kids = (node(depth + 1), node(depth + 1))
        if rng.random() < 0.2:
            return Chance(("c0", "c1"), (Fraction(1, 3), Fraction(2, 3)), kids)
        return Decision(rng.choice(["A", "B"]), f"n{next(counter)}", ("l", "r"), kids)

    return ExtensiveFormGame(["A", "B"], node(0))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_value_equals_backward_induction_on_perfect_information_trees(seed):
    # Zermelo/Kuhn: in a zero-sum perfect-information game every SPE payoff is the value.
    game = random_zero_sum_tree(seed)
    spe_value = subgame_perfect_equilibria(game, max_equilibria=4)[0].payoffs["A"]
    result = solve_zero_sum(game)
    assert abs(float(result[0].payoffs["A"]) - float(spe_value)) < 1e-7
    if result[0].exact:
        assert result[0].payoffs["A"] == spe_value


# -- the sparse sequence form, the default for zero-sum trees, generated trees ------------------


def test_the_sequence_form_is_sparse_with_one_entry_per_pair_of_sequences_reached():
    from scipy import sparse

    from deterrence.forms.synthetic import random_tree

    game = random_tree(8, seed=5)
    sf = sequence_form(game)
    assert all(sparse.issparse(m) for m in (sf.payoff, sf.payoff_2, *sf.constraints))
    # Perfect information, depth 8: P1 moves at depths 0, 2, 4, 6 (85 nodes), P2 at 1, 3, 5, 7 (170).
    assert [len(s) for s in sf.sequences] == [171, 341] and sf.size == 512
    # Each leaf has its own pair of last sequences: 256 stored entries at most.
    assert sf.payoff.nnz <= 256 and sf.constraints[1].shape == (171, 341)
    assert np.allclose((sf.payoff + sf.payoff_2).toarray(), 0.0)  # zero-sum


def test_zero_sum_trees_default_to_the_lp_and_say_the_list_is_incomplete():
    from deterrence import solve

    result = solve(kuhn_poker())
    assert result.method == "sequence-form-lp" and result.complete is False
    assert result[0].payoffs["P1"] == Fraction(-1, 18)
    assert any("not complete" in note for note in result.notes)
    # The method reported can be asked for again; an inner method keeps the reduced normal form.
    assert solve(kuhn_poker(), "nash", result.method).method == "sequence-form-lp"
    assert solve(matching_pennies_tree(), "nash", "auto+support").method == "reduced-normal-form+support-exact"
    general = ExtensiveFormGame(["A", "B"], choice("A", "a", {"x": Terminal((1, 1)), "y": Terminal((0, 0))}))
    assert solve(general).method == "reduced-normal-form+vertex-exact"


def test_the_lp_refuses_trees_above_its_sequence_limit():
    with pytest.raises(SolverError, match="more than 20 sequences"):
        solve_zero_sum(kuhn_poker(), max_sequences=20)


def test_generated_kuhn_and_leduc_poker():
    from deterrence.forms.synthetic import kuhn_poker as generated_kuhn
    from deterrence.forms.synthetic import leduc_poker

    assert solve_zero_sum(generated_kuhn())[0].payoffs["P1"] == Fraction(-1, 18)
    leduc = sequence_form(leduc_poker())
    # Standard Leduc hold'em has 337 sequences per player (Southey et al. 2005 sizes).
    assert [len(s) for s in leduc.sequences] == [337, 337]


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_perfect_information_trees_lp_value_is_the_backward_induction_value(seed):
    from deterrence.forms.synthetic import random_tree

    game = random_tree(7, seed=seed)
    spe_value = subgame_perfect_equilibria(game, max_equilibria=1)[0].payoffs["P1"]
    (eq,) = solve_zero_sum(game)
    assert eq.exact and eq.payoffs["P1"] == spe_value


def test_imperfect_information_generator_keeps_perfect_recall():
    from deterrence.forms.subgames import perfect_recall_violations
    from deterrence.forms.synthetic import random_tree

    game = random_tree(6, seed=1, information="imperfect", zero_sum=False)
    assert perfect_recall_violations(game) == []
    # Each mover misses the previous move: P1 has 1 + 2 + 8 sets, P2 1 + 4 + 16.
    assert [len(s) for s in game.infosets.values()] == [11, 21]
