"""Agent logit QRE of trees (McKelvey & Palfrey 1998) and its batched evaluator for sweeps."""

from __future__ import annotations

import numpy as np
import pytest
from trees import entry_game, outside_option_bos

from deterrence import ExtensiveFormGame, NormalFormGame, SolverError, Terminal, choice, solve
from deterrence.analysis.qre_outcomes import qre_outcomes
from deterrence.errors import DeterrenceError
from deterrence.forms.extensive_form import Chance
from deterrence.solvers.qre import QRE_TOLERANCE, qre_normal
from deterrence.solvers.qre_agent import agent_tree, qre_tree
from deterrence.solvers.qre_batch import agent_qre_batch, with_terminal_payoffs
from games.iran_pakistan.forms import bayesian_game, sequential_game
from games.iran_pakistan.parameters import PARAMETERS


def _simultaneous_tree(a, b) -> ExtensiveFormGame:
    """A bimatrix game as a tree: Column moves without seeing Row's move."""
    rows = {
        f"r{i + 1}": choice("Column", "c", {f"c{j + 1}": Terminal((a[i][j], b[i][j])) for j in range(len(a[0]))})
        for i in range(len(a))
    }
    return ExtensiveFormGame(["Row", "Column"], choice("Row", "r", rows))


def _flat(game, eq) -> np.ndarray:
    return np.array([v for p in game.players for h in game.infosets[p] for v in eq.strategies[p][h].values()])


def _chance_tree() -> ExtensiveFormGame:
    """Nature picks a weak or strong defender; the challenger does not see which."""

    def defender(cost):
        return choice("Defender", f"d{cost}", {"resist": Terminal((-1.0, 1.0 - cost)), "yield": Terminal((1.0, -1.0))})

    nature = Chance(("weak", "strong"), (0.3, 0.7), (
        choice("Challenger", "c", {"challenge": defender(3), "stay": Terminal((0.0, 0.5))}),
        choice("Challenger", "c", {"challenge": defender(1), "stay": Terminal((0.0, 0.5))}),
    ))  # fmt: skip
    return ExtensiveFormGame(["Challenger", "Defender"], nature)


def test_one_move_per_player_tree_equals_its_normal_form():
    a, b = [[9, 0, 2], [0, 1, 3]], [[0, 1, 0.5], [1, 0, 2]]
    tree, matrix = _simultaneous_tree(a, b), NormalFormGame.from_bimatrix(a, b)
    for lam in (0.0, 0.4, 2.0, 7.5):
        agent, normal = qre_tree(tree, lam=lam)[0], qre_normal(matrix, lam=lam)[0]
        flat = [v for p in matrix.players for v in normal.strategies[p].values()]
        assert np.max(np.abs(_flat(tree, agent) - flat)) < 1e-9


def test_entry_game_is_backward_logit():
    lam = 1.3
    eq = qre_tree(entry_game(), lam=lam)[0]
    accommodate = 1 / (1 + np.exp(-lam * 2))  # 1 - (-1)
    value_in = accommodate * 1 + (1 - accommodate) * -1
    enter = 1 / (1 + np.exp(-lam * value_in))  # out pays 0
    assert eq.strategies["Incumbent"]["i"]["accommodate"] == pytest.approx(accommodate, abs=1e-12)
    assert eq.strategies["Entrant"]["e"]["in"] == pytest.approx(enter, abs=1e-12)
    # Large lambda: the branch approaches the subgame-perfect equilibrium (in, accommodate).
    last = solve(entry_game(), "qre").equilibria[-1]
    assert last.strategies["Entrant"]["e"]["in"] > 1 - 1e-6 and last.extra["nash_regret"] < 1e-6


def test_beliefs_follow_bayes_rule_with_chance_moves():
    game = _chance_tree()
    eq = qre_tree(game, lam=2.0)[0]
    resist = {c: eq.strategies["Defender"][f"d{c}"]["resist"] for c in (1, 3)}
    # The challenger's information set holds both types: she weighs them by the prior 0.3/0.7.
    value = 0.3 * (resist[3] * -1 + (1 - resist[3])) + 0.7 * (resist[1] * -1 + (1 - resist[1]))
    challenge = 1 / (1 + np.exp(-2.0 * value))
    assert eq.strategies["Challenger"]["c"]["challenge"] == pytest.approx(challenge, abs=1e-12)
    assert eq.regret <= QRE_TOLERANCE


def test_outside_option_branch_has_uniform_start_and_subgame_mix():
    result = solve(outside_option_bos(), "qre")
    first, last = result.equilibria[0], result.equilibria[-1]
    assert first.strategies["A"]["o"] == {"out": 0.5, "in": 0.5}
    # Beliefs stay defined as 'in' becomes vanishingly rare; B tends to the subgame's mixed equilibrium.
    assert last.strategies["A"]["o"]["in"] < 1e-100
    assert last.strategies["B"]["b"]["opera"] == pytest.approx(0.25, abs=2e-3)
    assert result.to_dict()["equilibria"][-1]["lambda"] == pytest.approx(1000 / 3)


@pytest.mark.parametrize("form", ["sequential", "bayesian"])
def test_batched_equals_single_point_at_random_points(form):
    game = sequential_game({}) if form == "sequential" else bayesian_game({})
    tree = agent_tree(game)
    assert tree.perfect_information == (form == "sequential")
    rng = np.random.default_rng(11)
    count = 6 if form == "sequential" else 3
    pay = tree.payoffs[None] + rng.normal(0, 1.5, (count,) + tree.payoffs.shape)
    lam = rng.uniform(0.1, 3.0, count)
    batch = agent_qre_batch(tree, pay, lam)
    assert batch.converged.all()
    assert np.allclose(batch.reach.sum(axis=1), 1.0, atol=1e-12)
    for i in range(count):
        single = qre_tree(with_terminal_payoffs(game, pay[i]), lam=lam[i])[0]
        assert np.max(np.abs(_flat(game, single) - batch.sigma[i])) < 1e-8
        assert np.allclose(list(single.payoffs.values()), batch.values[i], atol=1e-8)


def test_qre_outcomes_gives_smooth_escalation_probabilities():
    measures = {
        "escalate": ("Iran", "after calibrated", "escalate"),
        "war": ("outcome", "calibrated/escalate/counter", "direct/escalate/counter"),
        "pakistan": ("Pakistan",),
    }
    f = qre_outcomes(sequential_game, measures, lam=2.0)
    assert f.columns == ("residual", "escalate", "war", "pakistan")
    grid = np.linspace(0.0, 8.0, 41)
    points = {p.name: np.full(grid.size, float(p.default)) for p in PARAMETERS}
    points["escalation_value_ct"] = grid
    out = f(points, "qre")
    escalate = out["escalate"]
    assert np.all(np.diff(escalate) > 0) and np.max(np.diff(escalate)) < 0.2  # rising, no jump
    assert escalate[0] < 0.01 and escalate[-1] > 0.99
    assert np.all(out["residual"] < 1e-12) and np.all((out["war"] >= 0) & (out["war"] <= 1))
    assert set(out["outcome"].tolist()) <= set(agent_tree(sequential_game({})).terminal_labels)


def test_qre_outcomes_reject_bad_measures_and_concepts():
    points = {p.name: np.full(2, float(p.default)) for p in PARAMETERS}
    with pytest.raises(DeterrenceError, match="no terminal labelled"):
        qre_outcomes(sequential_game, {"x": ("outcome", "nowhere")})(points)
    with pytest.raises(DeterrenceError, match="unknown player"):
        qre_outcomes(sequential_game, {"x": ("India",)})(points)
    with pytest.raises(DeterrenceError, match="support concept qre"):
        qre_outcomes(sequential_game)(points, "spe")
    with pytest.raises(DeterrenceError, match="lambda must be"):
        qre_outcomes(sequential_game, lam=-1.0)


def test_symbolic_trees_and_bad_batches_are_refused():
    with pytest.raises(SolverError, match="values"):
        qre_tree(sequential_game())
    tree = agent_tree(entry_game())
    with pytest.raises(SolverError, match="payoffs must have shape"):
        agent_qre_batch(tree, np.zeros((2, 5, 2)), 1.0)
    with pytest.raises(SolverError, match="lambda must be finite"):
        agent_qre_batch(tree, np.zeros((2, 3, 2)), -1.0)
