"""Tests for deterrence.solvers.lcp: Lemke's algorithm on the sequence-form LCP of two-player trees."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from signalling_games import beer_quiche
from trees import entry_game, outside_option_bos

from deterrence import ExtensiveFormGame, GameError, SolverError, Terminal, choice, solve
from deterrence.forms.subgames import best_response_value, expected_payoffs
from deterrence.forms.synthetic import kuhn_poker, leduc_poker, random_tree
from deterrence.solvers.lcp import lcp_plans, nash_lcp
from deterrence.solvers.reduced import nash_reduced
from deterrence.solvers.sequence_form import sequence_form, solve_zero_sum


def realisation_plans(game, sf, strategies) -> tuple:
    """Each player's realization plan (probability of each own sequence) under a behaviour profile."""
    out = []
    for i, player in enumerate(game.players):
        value = {None: Fraction(1)}
        for seq in sf.sequences[i][1:]:
            infoset, action = seq
            value[seq] = value[sf.parents[i][infoset]] * Fraction(strategies[player][infoset][action])
        out.append(tuple(value[s] for s in sf.sequences[i]))
    return tuple(out)


def reduced_plan_set(game) -> set:
    """Realization plans of every extreme equilibrium of the reduced normal form (a complete list)."""
    sf = sequence_form(game)
    found = nash_reduced(game)
    return {realisation_plans(game, sf, e.strategies) for e in found}


def test_entry_game_starts_reach_both_pure_equilibria():
    result = solve(entry_game(), "nash", "lcp")
    assert result.method == "lcp-exact" and not result.complete and "not complete" in result.notes[0]
    outcomes = {(e.strategies["Entrant"]["e"]["in"], e.strategies["Incumbent"]["i"]["fight"]) for e in result}
    # (out, fight) and (in, accommodate): the first-action and last-action starting plans end at each.
    assert outcomes == {(0, 1), (1, 0)}
    sf = sequence_form(entry_game())
    assert {realisation_plans(entry_game(), sf, e.strategies) for e in result} <= reduced_plan_set(entry_game())


def test_kuhn_poker_value_by_the_lcp_is_minus_one_eighteenth():
    game = kuhn_poker()
    exact = nash_lcp(game)
    assert all(e.exact and e.payoffs == {"P1": Fraction(-1, 18), "P2": Fraction(1, 18)} for e in exact)
    # P2's optimal strategy is unique (Kuhn 1950): every LCP equilibrium must use it.
    for e in exact:
        s2 = e.strategies["P2"]
        assert s2["Jc"]["bet"] == Fraction(1, 3) and s2["Qb"]["call"] == Fraction(1, 3) and s2["Kb"]["call"] == 1
    floats = nash_lcp(game, exact=False)
    assert floats.method == "lcp-float" and all(abs(e.payoffs["P1"] + 1 / 18) < 1e-9 for e in floats)


def test_lcp_and_lp_agree_on_the_value_of_small_leduc_poker():
    game = leduc_poker(raises=1)
    (lp,) = solve_zero_sum(game, exact=False)
    lcp = nash_lcp(game, exact=False, starts=1)
    assert len(lcp) == 1 and abs(lcp[0].payoffs["P1"] - lp.payoffs["P1"]) < 1e-7
    assert lp.payoffs["P1"] < 0  # the first player is at a disadvantage


def test_beer_quiche_lcp_equilibria_are_reduced_form_equilibria():
    game = beer_quiche()
    result = nash_lcp(game, starts=6)
    assert len(result) >= 1 and all(e.exact and e.regret == 0 for e in result)
    sf = sequence_form(game)
    assert {realisation_plans(game, sf, e.strategies) for e in result} <= reduced_plan_set(game)
    # Every Nash equilibrium of Beer-Quiche pools: both types order the same breakfast.
    for e in result:
        sender = e.strategies["Sender"]
        assert sender["weak"]["beer"] == sender["strong"]["beer"] in (0, 1)


def test_unreached_information_sets_get_uniform_behaviour_and_still_verify():
    game = outside_option_bos()
    result = nash_lcp(game, starts=6)
    out = [e for e in result if e.strategies["A"]["o"]["out"] == 1]
    assert out, "the start that opts out should end at an equilibrium taking the outside option"
    (eq,) = out
    assert eq.strategies["A"]["a"] == {"opera": Fraction(1, 2), "fight": Fraction(1, 2)}
    assert any("never reaches ['a']" in note for note in eq.notes)
    paid = expected_payoffs(game, eq.strategies)
    assert all(best_response_value(game, eq.strategies, p) == paid[k] for k, p in enumerate(game.players))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([("perfect", 3), ("imperfect", 4)]))
def test_random_general_sum_trees_every_lcp_equilibrium_is_a_reduced_form_equilibrium(seed, shape):
    information, depth = shape
    game = random_tree(depth, seed=seed, zero_sum=False, information=information, payoff_range=5)
    plans = reduced_plan_set(game)
    sf = sequence_form(game)
    exact = nash_lcp(game, starts=6)
    assert len(exact) >= 1
    assert {realisation_plans(game, sf, e.strategies) for e in exact} <= plans
    for e in nash_lcp(game, exact=False, starts=6):
        mine = realisation_plans(game, sf, e.strategies)
        assert any(
            all(np.allclose([float(v) for v in p], [float(v) for v in q], atol=1e-7) for p, q in zip(mine, o))
            for o in plans
        )


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_on_zero_sum_trees_with_information_sets_the_lcp_pays_the_lp_value(seed):
    game = random_tree(5, seed=seed, information="imperfect")
    value = solve_zero_sum(game)[0].payoffs["P1"]
    assert all(abs(float(e.payoffs["P1"]) - float(value)) < 1e-6 for e in nash_lcp(game, starts=3))


def test_several_starts_find_distinct_equilibria_without_duplicates():
    game = entry_game()
    sf, found, failed = lcp_plans(game, starts=8)
    assert failed == 0 and len(found) == len(set(found)) == 2


def test_limits_and_bad_games_are_one_line_errors():
    with pytest.raises(SolverError, match="more than 10 sequences"):
        nash_lcp(kuhn_poker(), max_sequences=10)
    three = ExtensiveFormGame(["A", "B", "C"], choice("A", "a", {"x": Terminal((1, -1, 0)), "y": Terminal((0, 0, 0))}))
    with pytest.raises(GameError, match="two players"):
        nash_lcp(three)
    result = solve(entry_game(), "nash", "lcp", options={"starts": 1})
    assert len(result) == 1


@pytest.mark.parametrize("depth, information", [(5, "imperfect"), (6, "perfect"), (7, "imperfect")])
@pytest.mark.parametrize("seed", [0, 1, 3])
def test_float_pivoting_on_the_factorised_basis_ends_where_integer_pivoting_does(depth, information, seed):
    # The float path keeps the basis as a sparse LU (issue 9); on trees this small it breaks ties by the
    # exact solver's lexicographic rule, so from the same start (the same covering vector) both must reach
    # the same plans.
    game = random_tree(depth, seed=seed, zero_sum=False, information=information)
    _, exact_plans, _ = lcp_plans(game, exact=True, starts=1)
    _, float_plans, failed = lcp_plans(game, exact=False, starts=1)
    assert failed == 0 and len(float_plans) == len(exact_plans) == 1
    for p, q in zip(float_plans[0], exact_plans[0], strict=True):
        assert np.allclose([float(v) for v in p], [float(v) for v in q], atol=1e-9)
