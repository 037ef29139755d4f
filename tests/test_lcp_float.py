"""Tests for deterrence.solvers.lcp_float: float Lemke on the sequence-form LCP with a factorised basis."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from signalling_games import beer_quiche
from test_lcp import reduced_plan_set
from trees import entry_game

from deterrence import SolverError
from deterrence.forms.subgames import best_response_value, expected_payoffs
from deterrence.forms.synthetic import kuhn_poker, leduc_poker, random_tree
from deterrence.solvers import lcp, lcp_float
from deterrence.solvers.lcp import _start_plan, lcp_plans, nash_lcp
from deterrence.solvers.lcp_float import FloatPath, _Basis, lemke_float
from deterrence.solvers.sequence_form import sequence_form


def regret(game, strategies) -> float:
    """Largest gain from a best response, computed in the tree (independently of the solver)."""
    paid = expected_payoffs(game, strategies)
    return max(float(best_response_value(game, strategies, p) - paid[k]) for k, p in enumerate(game.players))


def test_the_factorised_basis_solves_like_the_dense_inverse_after_column_replacements():
    rng = np.random.default_rng(3)
    dense = rng.normal(size=(7, 12)) * (rng.random((7, 12)) < 0.5)
    dense[:, :7] += 4 * np.eye(7)  # the first seven columns form a well-conditioned basis
    matrix = sparse.csc_matrix(dense)
    basis = _Basis(matrix, list(range(7)))
    for position, variable in [(2, 9), (5, 7), (0, 11)]:  # product-form updates, no refactorisation
        alpha = basis.ftran(basis.column(variable))
        basis.replace(position, alpha, variable)
    inverse = np.linalg.inv(dense[:, basis.basis])
    v = rng.normal(size=7)
    assert len(basis.etas) == 3 and np.allclose(basis.ftran(v), inverse @ v, atol=1e-12)
    assert np.allclose(basis.rows(np.array([4, 0])), inverse[[4, 0]], atol=1e-12)


@pytest.mark.parametrize(
    "build, starts",
    [(kuhn_poker, 4), (lambda: leduc_poker(raises=1), 2), (entry_game, 6), (beer_quiche, 6)],
)
def test_from_the_same_starts_float_and_integer_pivoting_reach_the_same_plans(build, starts):
    # Chance moves make the exact solver scale the payoff matrices (which changes the path); the float
    # system scales them alike, and breaks ties by the same lexicographic rule on trees this small.
    game = build()
    _, exact_plans, exact_failed = lcp_plans(game, exact=True, starts=starts)
    _, float_plans, float_failed = lcp_plans(game, exact=False, starts=starts)
    assert float_failed == exact_failed and len(float_plans) == len(exact_plans) >= 1
    for (x, y), (xe, ye) in zip(float_plans, exact_plans, strict=True):
        assert np.allclose(x + y, [float(v) for v in xe + ye], atol=1e-9)


def test_a_1026_sequence_tree_where_the_dense_float_tableau_gave_up_now_has_a_verified_equilibrium():
    # The dense float tableau of the previous version lost this path after about 4,900 pivots (round-off
    # made its cycle guard give up) and raised "found no equilibrium".
    game = random_tree(10, seed=1, zero_sum=False, information="imperfect")
    result = nash_lcp(game, exact=False, starts=1)
    assert sequence_form(game).size == 1026 and result.method == "lcp-float" and len(result) == 1
    assert regret(game, result[0].strategies) <= result.tolerance == pytest.approx(2e-6)
    assert "equilibrium after" in result.notes[1]


def test_a_2048_sequence_general_sum_tree_gets_a_verified_equilibrium():
    game = random_tree(10, seed=1, zero_sum=False, information="perfect")
    result = nash_lcp(game, exact=False, starts=1)
    assert sequence_form(game).size == 2048 and len(result) == 1
    assert regret(game, result[0].strategies) <= result.tolerance


@pytest.mark.slow
@pytest.mark.parametrize("depth, information, size", [(11, "perfect", 4096), (13, "imperfect", 8194)])
def test_trees_of_four_and_eight_thousand_sequences_get_verified_equilibria(depth, information, size):
    game = random_tree(depth, seed=1, zero_sum=False, information=information)
    result = nash_lcp(game, exact=False, starts=1)
    assert sequence_form(game).size == size and len(result) == 1
    assert regret(game, result[0].strategies) <= result.tolerance


@pytest.mark.parametrize("information, depth", [("perfect", 3), ("imperfect", 4)])
@pytest.mark.parametrize("seed", range(4))
def test_the_perturbed_tie_rule_of_large_trees_ends_at_equilibria_of_the_reduced_form(
    monkeypatch, information, depth, seed
):
    # Force the rule used beyond LEX_UP_TO sequences onto trees small enough to enumerate every extreme
    # equilibrium: each end point must be one of them (a wrong tie rule ends at non-equilibria or cycles).
    monkeypatch.setattr(lcp_float, "LEX_UP_TO", 0)
    game = random_tree(depth, seed=seed, zero_sum=False, information=information, payoff_range=5)
    sf, plans, failed = lcp_plans(game, exact=False, starts=4)
    assert failed == 0 and plans
    complete = [[float(v) for v in x + y] for x, y in reduced_plan_set(game)]
    for x, y in plans:
        assert any(np.allclose(x + y, other, atol=1e-7) for other in complete)


def test_both_tie_rules_end_at_the_value_of_small_leduc_poker():
    game = leduc_poker(raises=1)
    sf = sequence_form(game)
    start = tuple(_start_plan(sf, p, lambda s: s[0]) for p in range(2))
    lexical = lemke_float(sf, start, 10**5, perturb=False)
    perturbed = lemke_float(sf, start, 10**5, perturb=True)
    assert lexical.reason == perturbed.reason == "equilibrium"
    # Leduc is zero-sum: every equilibrium pays the value, whichever the tie rule reached.
    values = []
    for path in (lexical, perturbed):
        a = sf.payoff.toarray()
        values.append(float(np.array(path.plans[0]) @ a @ np.array(path.plans[1])))
    assert values[0] == pytest.approx(values[1], abs=1e-9)


def test_an_end_point_that_does_not_verify_is_dropped_and_never_returned(monkeypatch):
    game = entry_game()
    calls = []

    def fake(sf, start, max_pivots, **kw):
        calls.append(start)
        if len(calls) == 1:  # (in, fight): the Entrant gains by staying out
            x = tuple(1.0 if s is None or s[1] == "in" else 0.0 for s in sf.sequences[0])
            y = tuple(1.0 if s is None or s[1] == "fight" else 0.0 for s in sf.sequences[1])
            return FloatPath((x, y), 3, 1, 0.0, "equilibrium")
        return lemke_float(sf, start, max_pivots, **kw)

    monkeypatch.setattr(lcp, "lemke_float", fake)
    result = nash_lcp(game, exact=False, starts=2)
    assert len(result) == 1 and result[0].strategies["Incumbent"]["i"]["fight"] == pytest.approx(0.0)
    assert any("1 float end point(s) failed verification" in note for note in result.notes)
    calls.clear()
    with pytest.raises(SolverError, match="no verified equilibrium"):
        nash_lcp(game, exact=False, starts=1)


def test_a_perturbed_path_that_cycles_restarts_with_another_seed_within_the_same_budget(monkeypatch):
    game = kuhn_poker()
    sf = sequence_form(game)
    start = tuple(_start_plan(sf, p, lambda s: s[0]) for p in range(2))
    real, seeds = lcp_float._path, []

    def first_cycles(*args):
        seeds.append(args[-1])
        if len(seeds) == 1:
            return FloatPath(None, 7, 2, 0.0, "cycling")
        return real(*args)

    monkeypatch.setattr(lcp_float, "_path", first_cycles)
    path = lemke_float(sf, start, 1000, perturb=True, seed=5)
    assert seeds == [5, 6] and path.reason == "equilibrium" and path.plans is not None
    monkeypatch.setattr(lcp_float, "_path", real)
    once = lemke_float(sf, start, 1000, perturb=True, seed=6)
    assert path.pivots == once.pivots + 7 and path.plans == once.plans
    # The lexicographic rule of small trees is deterministic: a cycling path there is not restarted.
    seeds.clear()
    monkeypatch.setattr(
        lcp_float, "_path", lambda *args: seeds.append(args[-1]) or FloatPath(None, 3, 1, 0.0, "cycling")
    )
    assert lemke_float(sf, start, 1000, perturb=False).reason == "cycling" and seeds == [None]
