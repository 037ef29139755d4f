"""The case's forms agree wherever they should (issue 11, "Consistent forms").

* The matrix form is the engine's reduced strategic form of the sequential tree, so every
  subgame-perfect equilibrium of the tree is a Nash equilibrium of the matrix: the matrix's
  Nash set contains the tree's SPE path.
* The Bayesian form with the degenerate prior (1, 0, 0) on the counter-terror type has the
  complete-information path: its perfect Bayesian equilibria end where the tree's SPE does.
* The case's own batched solver and its registered outcomes give the engine's SPE path.

Checked at the baseline and on random points of the parameter box: exact Fractions at a few
(full Nash sets by vertex enumeration), floats at the rest.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from deterrence import solve
from deterrence.forms.extensive_form import Chance, Terminal
from deterrence.forms.reduced_form import reduced_normal_form
from games import get_model
from games.iran_pakistan.analysis import CHOICES, solve_continuation
from games.iran_pakistan.forms import bayesian_game, matrix_game, sequential_game, values_for
from games.iran_pakistan.parameters import PARAMETERS

N_FLOAT = 200
N_PBE = 15  # the PBE solver takes ~0.1 s a point; the slow test runs N_FLOAT


def box_points(n: int, seed: int) -> list[dict]:
    """``n`` float points uniform over the box, the priors on the simplex."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        v = {p.name: float(rng.uniform(float(p.low), float(p.high))) for p in PARAMETERS}
        v["prior_coerce"] *= 1 - v["prior_broaden"]
        out.append(values_for(v))
    return out


def exact_points(n: int, seed: int) -> list[dict]:
    """``n`` exact points: each parameter a multiple of a tenth of its range (ties can occur)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        v = {p.name: Fraction(p.low) + Fraction(int(rng.integers(0, 11)), 10) * (p.high - p.low) for p in PARAMETERS}
        v["prior_coerce"] = min(v["prior_coerce"], 1 - v["prior_broaden"])
        out.append(values_for(v))
    return out


def path_end(game, strategies) -> str | None:
    """The terminal reached by a behaviour profile that is pure on the path (chance: the sure branch)."""
    node = game.root
    while not isinstance(node, Terminal):
        if isinstance(node, Chance):
            sure = [c for p, c in zip(node.probabilities, node.children) if p == 1]
            if not sure:
                return None
            node = sure[0]
            continue
        choice = strategies[node.player][node.infoset]
        taken = [a for a, p in choice.items() if p == 1]
        if len(taken) != 1:
            return None
        node = node.children[node.actions.index(taken[0])]
    return node.label


def reduced_profile(reduced, strategies) -> tuple[int, int]:
    """Row and column of the reduced strategies whose plans a pure behaviour profile follows."""
    cell = []
    for i, player in enumerate(reduced.game.players):
        matches = [
            k
            for k, name in enumerate(reduced.game.strategies[i])
            if all(strategies[player][h][a] == 1 for h, a in reduced.plan(player, name).items())
        ]
        assert len(matches) == 1, (player, matches)
        cell.append(matches[0])
    return cell[0], cell[1]


def is_pure_nash(game, row: int, col: int, tol: float) -> bool:
    pay = np.array(game.payoffs, dtype=object)
    a = np.array([[pay[i, j][0] for j in range(pay.shape[1])] for i in range(pay.shape[0])])
    b = np.array([[pay[i, j][1] for j in range(pay.shape[1])] for i in range(pay.shape[0])])
    return bool(all(a[row, col] >= a[i, col] - tol for i in range(a.shape[0]))) and bool(
        all(b[row, col] >= b[row, j] - tol for j in range(b.shape[1]))
    )


def spe_list(v):
    tree = sequential_game(v)
    result = solve(tree, "spe")
    assert result.equilibria
    return tree, result


@pytest.mark.parametrize("v", [values_for(), *exact_points(6, seed=3)], ids=lambda v: "exact")
def test_matrix_nash_set_contains_every_spe_exact(v):
    tree, spe = spe_list(v)
    reduced = reduced_normal_form(tree)
    matrix = matrix_game(v)
    assert np.array_equal(np.asarray(matrix.payoffs, dtype=object), np.asarray(reduced.game.payoffs, dtype=object))
    assert matrix.strategies == reduced.game.strategies
    nash = solve(matrix, "nash")
    assert nash.complete
    profiles = [
        (
            tuple(e.strategies["Pakistan"][s] for s in matrix.strategies[0]),
            tuple(e.strategies["Iran"][s] for s in matrix.strategies[1]),
        )
        for e in nash
    ]
    for eq in spe:
        row, col = reduced_profile(reduced, eq.strategies)
        pure = (
            tuple(Fraction(int(k == row)) for k in range(5)),
            tuple(Fraction(int(k == col)) for k in range(4)),
        )
        assert pure in profiles, (row, col)
        # the cell of the matrix is the SPE's terminal
        end = path_end(tree, eq.strategies)
        assert end is not None
        terminal_payoffs = {t.label: t.payoffs for t, _ in tree.terminals()}[end]
        assert tuple(np.asarray(matrix.payoffs, dtype=object)[row, col]) == tuple(terminal_payoffs)


def test_matrix_nash_set_contains_spe_on_random_float_points():
    count = 0
    for v in box_points(N_FLOAT, seed=5):
        tree, spe = spe_list(v)
        reduced = reduced_normal_form(tree)
        matrix = matrix_game(v)
        for eq in spe:
            row, col = reduced_profile(reduced, eq.strategies)
            assert is_pure_nash(matrix, row, col, tol=1e-9), v
            count += 1
    assert count >= N_FLOAT


def test_case_solver_and_registered_outcomes_follow_the_engine_spe():
    points = box_points(N_FLOAT, seed=7)
    batch = {k: np.array([float(p[k]) for p in points]) for k in points[0]}
    out = solve_continuation(batch, belief={"ct": 1})
    registered = get_model("iran-pakistan-sequential").outcomes(batch, "spe")
    checked = 0
    for i, v in enumerate(points):
        tree, spe = spe_list(v)
        if len(spe.equilibria) > 1:
            continue
        end = path_end(tree, spe.equilibria[0].strategies)
        choice = CHOICES[int(out["choice"][i])]
        assert end.split("/")[0] == choice
        if choice != "absorb":
            escalates = bool(out[f"escalates/{choice}/ct"][i])
            assert ("escalate" in end) == escalates
            label = str(registered["outcome"][i])
            assert label.startswith(choice) and (("escalates" in label) == escalates)
            if escalates:
                assert end.endswith("counter") == bool(out["counter"][i])
        checked += 1
    assert checked >= 0.95 * N_FLOAT


def _pbe_paths(v) -> set:
    game = bayesian_game({**v, "prior_broaden": 0, "prior_coerce": 0})
    result = solve(game, "pbe")
    assert result.complete and result.equilibria
    return game, {path_end(game, e.strategies) for e in result}


def _spe_paths(v) -> set:
    tree, spe = spe_list(v)
    return {path_end(tree, e.strategies) for e in spe}


@pytest.mark.parametrize("v", [values_for(), *exact_points(3, seed=11)], ids=lambda v: "exact")
def test_bayesian_form_with_degenerate_prior_has_the_complete_information_path_exact(v):
    game, pbe = _pbe_paths(v)
    spe = _spe_paths(v)
    assert spe <= pbe, (spe, pbe)
    if len(spe) == 1:  # a unique SPE: every PBE ends there (no other pure path)
        assert pbe - {None} == spe


def test_baseline_paths_are_calibrated_and_restraint():
    v = values_for()
    assert _spe_paths(v) == {"calibrated/stand_down"}
    assert _pbe_paths(v)[1] == {"calibrated/stand_down"}


def _check_bayesian_floats(n: int) -> int:
    checked = 0
    for v in box_points(n, seed=13):
        spe = _spe_paths(v)
        if len(spe) != 1:
            continue
        _, pbe = _pbe_paths(v)
        assert pbe == spe, v
        checked += 1
    return checked


def test_bayesian_form_with_degenerate_prior_on_random_float_points():
    assert _check_bayesian_floats(N_PBE) >= 0.9 * N_PBE


@pytest.mark.slow
def test_bayesian_form_with_degenerate_prior_on_many_float_points():
    assert _check_bayesian_floats(N_FLOAT) >= 0.9 * N_FLOAT


def test_counter_escalation_not_credible_matrix_still_contains_spe():
    """Where C_P > P the SPE is not (calibrated, stand down); the matrix still contains the SPE path."""
    v = values_for({"war_cost_pakistan": 6})
    tree, spe = spe_list(v)
    assert len(spe.equilibria) == 1
    eq = spe.equilibria[0]
    assert eq.strategies["Pakistan"]["after calibrated + escalation"]["hold"] == 1
    reduced = reduced_normal_form(tree)
    row, col = reduced_profile(reduced, eq.strategies)
    assert is_pure_nash(matrix_game(v), row, col, tol=0)


PRIOR_ON = {"ct": (0, 0), "broaden": (1, 0), "coerce": (0, 1)}


@pytest.mark.parametrize("motive", list(PRIOR_ON))
def test_degenerate_prior_on_each_type_gives_that_types_complete_information_path(motive):
    """Prior mass one on a type: the Bayesian form's PBE path is the tree's SPE path for that motive."""
    broaden, coerce = PRIOR_ON[motive]
    checked = 0
    for v in [values_for(), *box_points(4, seed=17)]:
        tree = sequential_game(v, motive=motive)
        spe = solve(tree, "spe")
        spe_paths = {path_end(tree, e.strategies) for e in spe}
        game = bayesian_game({**v, "prior_broaden": broaden, "prior_coerce": coerce})
        pbe = solve(game, "pbe")
        assert pbe.complete
        pbe_paths = {path_end(game, e.strategies) for e in pbe}
        assert spe_paths <= pbe_paths
        if len(spe_paths) == 1:
            assert pbe_paths - {None} == spe_paths
            checked += 1
        reduced = reduced_normal_form(tree)
        for eq in spe:
            row, col = reduced_profile(reduced, eq.strategies)
            assert is_pure_nash(matrix_game(v, motive=motive), row, col, tol=1e-9)
    assert checked >= 3
