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
from deterrence.solvers.lcp import lcp_plans, nash_lcp
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
    # system scales them alike, and on trees this small breaks ties by the exact solver's rule (z0 gets
    # no priority up to EXACT_RULE_UP_TO sequences).
    game = build()
    _, exact_plans, exact_failed = lcp_plans(game, exact=True, starts=starts)
    _, float_plans, float_failed = lcp_plans(game, exact=False, starts=starts)
    assert float_failed == exact_failed and len(float_plans) == len(exact_plans) >= 1
    for (x, y), (xe, ye) in zip(float_plans, exact_plans, strict=True):
        assert np.allclose(x + y, [float(v) for v in xe + ye], atol=1e-9)


def _identity_led_basis(seed):
    """A basis of a matrix whose first 7 columns are the unit vectors (the ``w`` of the LCP system)."""
    rng = np.random.default_rng(seed)
    dense = np.hstack([np.eye(7), rng.normal(size=(7, 6))])
    return _Basis(sparse.csc_matrix(dense), [0, 8, 2, 9, 4, 10, 12]), rng


@pytest.mark.parametrize("seed", range(5))
def test_lazy_lexicographic_tie_breaking_picks_what_the_full_rows_of_the_inverse_pick(monkeypatch, seed):
    # The lazy rule reads unit columns of B^{-1} for basic w's and solves for the others; it must choose
    # the same rows as comparing the whole rows of B^{-1} / pivot (the exact solver's rule).
    monkeypatch.setattr(lcp_float, "ROWS_UP_TO", 0)  # ties this small would take the batched rows
    basis, rng = _identity_led_basis(seed)
    alpha = basis.ftran(basis.column(11))
    basis.replace(3, alpha, 11)  # one eta vector, so the lazy solves go through the product form
    for _ in range(20):
        alive = np.sort(rng.choice(7, size=int(rng.integers(2, 8)), replace=False))
        pivots = rng.uniform(0.5, 2.0, size=7)
        if rng.random() < 0.5:  # equal pivots and a duplicated row make the first columns tie
            pivots[:] = 1.0
        full = alive[lcp_float._lex_min(basis.rows(alive) / pivots[alive][:, None])]
        lazy = lcp_float._lex_tied(alive, pivots, basis, 7)
        assert lazy.tolist() == full.tolist()


def test_z0_wins_a_tie_in_the_ratio_test_that_the_lexicographic_rule_would_give_to_another_row():
    basis, _ = _identity_led_basis(0)
    positions, pivots = np.array([0, 2, 5]), np.ones(7)
    ratios = np.zeros(3)  # a degenerate step: every candidate row is at zero
    lexical = lcp_float._lex_first(ratios, positions, pivots, basis, 7, -1)
    others = [p for p in positions.tolist() if p != lexical]
    assert lexical in positions.tolist() and others
    for z0_at in others:
        assert lcp_float._lex_first(ratios, positions, pivots, basis, 7, z0_at) == z0_at
    # z0 at a strictly larger ratio does not win.
    assert lcp_float._lex_first(np.array([0.0, 0.0, 1.0]), positions, pivots, basis, 7, 5) != 5


def test_a_2050_sequence_tree_whose_perturbed_path_ran_past_the_pivot_limit_gets_an_equilibrium():
    # The symbolic perturbation used above 600 sequences before ran 21,500 pivots (the limit) here; the
    # lexicographic rule with z0 winning ties ends after a few thousand.
    game = random_tree(11, seed=1, zero_sum=False, information="imperfect")
    paths = []
    sf, plans, failed = lcp_plans(game, exact=False, starts=1, paths=paths)
    assert sf.size == 2050 and failed == 0 and paths[0].reason == "equilibrium"
    assert paths[0].pivots < 10 * sf.size
    result = nash_lcp(game, exact=False, starts=1)
    assert len(result) == 1 and regret(game, result[0].strategies) <= result.tolerance


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
def test_float_end_points_are_extreme_equilibria_of_the_reduced_form(information, depth, seed):
    # Trees small enough to enumerate every extreme equilibrium: each end point must be one of them (a
    # wrong tie rule ends at non-equilibria or cycles).
    game = random_tree(depth, seed=seed, zero_sum=False, information=information, payoff_range=5)
    sf, plans, failed = lcp_plans(game, exact=False, starts=4)
    assert failed == 0 and plans
    complete = [[float(v) for v in x + y] for x, y in reduced_plan_set(game)]
    for x, y in plans:
        assert any(np.allclose(x + y, other, atol=1e-7) for other in complete)


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
