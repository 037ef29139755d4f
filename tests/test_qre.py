"""Logit QRE of normal-form games (McKelvey & Palfrey 1995): the branch, its limits, the facade and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from deterrence import NormalFormGame, SolverError, solve
from deterrence.cli.main import main
from deterrence.solvers import qre
from deterrence.solvers.qre import QRE_TOLERANCE, logit_branch, qre_normal
from deterrence.solvers.verify import deviation_payoffs


def _bimatrix(a, b) -> NormalFormGame:
    return NormalFormGame.from_bimatrix(np.array(a, float), np.array(b, float))


def _amp(x: float = 9.0) -> NormalFormGame:
    """McKelvey & Palfrey's (1995) asymmetric matching pennies: Row's payoff x in (Up, Left)."""
    return _bimatrix([[x, 0], [0, 1]], [[0, 1], [1, 0]])


def _three_players() -> NormalFormGame:
    rng = np.random.default_rng(3)
    return NormalFormGame(["A", "B", "C"], [["x", "y"], ["x", "y", "z"], ["x", "y"]], rng.integers(-3, 4, (2, 3, 2, 3)))


def _mix(eq, player):
    return np.array(list(eq.strategies[player].values()))


def test_lambda_zero_is_uniform_play():
    for game in (_amp(), _three_players()):
        eq = qre_normal(game, lam=0.0)[0]
        for player, labels in zip(game.players, game.strategies):
            assert np.allclose(_mix(eq, player), 1 / len(labels), atol=0, rtol=1e-15)


def test_profiles_are_logit_fixed_points_in_three_player_games():
    game = _three_players()
    payoffs = game.as_float()
    for lam in (0.3, 1.7, 6.0):
        eq = qre_normal(game, lam=lam)[0]
        profile = [_mix(eq, p) for p in game.players]
        for i in range(3):
            u = deviation_payoffs(payoffs, profile, i)
            logit = np.exp(lam * (u - u.max()))
            assert np.max(np.abs(logit / logit.sum() - profile[i])) < 1e-12
        assert eq.regret <= QRE_TOLERANCE and eq.extra["lambda"] == lam


def test_prisoners_dilemma_branch_converges_to_mutual_defection():
    pd_game = _bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    branch = logit_branch(pd_game, lam_max=200)
    cooperate = branch.x[:, 0]  # log-probability of cooperating
    assert np.all(np.diff(cooperate) < 0)  # cooperation falls all along the branch
    assert cooperate[-1] < -100
    regrets = [e.extra["nash_regret"] for e in qre_normal(pd_game)]
    assert regrets[0] == pytest.approx(0.75) and regrets[-1] < 1e-100  # 3 - 2.25 at uniform play
    assert all(later <= earlier for earlier, later in zip(regrets, regrets[1:]))


def test_battle_of_the_sexes_branch_tends_to_the_mixed_equilibrium():
    bos = _bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    result = solve(bos, "qre")
    last = result.equilibria[-1]
    assert last.extra["lambda"] == pytest.approx(500.0)
    assert last.strategies["Row"]["r1"] == pytest.approx(2 / 3, abs=1e-3)
    assert last.strategies["Column"]["c1"] == pytest.approx(1 / 3, abs=1e-3)
    regrets = [e.extra["nash_regret"] for e in result]
    assert regrets[-1] < 1e-3 < regrets[0]


def test_asymmetric_matching_pennies_own_payoff_effect():
    # Nash: raising Row's payoff in (Up, Left) from 9 to 20 moves only Column (1/10 -> 1/21 on Left).
    nash = [solve(_amp(x), "nash")[0] for x in (9.0, 20.0)]
    assert [float(e.strategies["Row"]["r1"]) for e in nash] == [0.5, 0.5]
    assert [float(e.strategies["Column"]["c1"]) for e in nash] == [0.1, 1 / 21]
    for lam in (0.5, 2.0, 5.0):
        low, high = (qre_normal(_amp(x), lam=lam)[0] for x in (9.0, 20.0))
        # In the QRE Row's own mix moves towards Up (the own-payoff effect), Column's away from Left.
        assert high.strategies["Row"]["r1"] > low.strategies["Row"]["r1"] + 0.01
        assert high.strategies["Column"]["c1"] < low.strategies["Column"]["c1"] - 0.01
    # Row plays Up more than in Nash all along the branch (McKelvey & Palfrey's Table 1 pattern).
    branch = logit_branch(_amp(), lam_max=100)
    assert np.all(np.exp(branch.x[1:, 0]) > 0.5)


def test_branch_is_continuous_and_every_point_solves_the_homotopy():
    branch = logit_branch(_amp(), lam_max=100)
    sigma = np.exp(branch.x)
    assert np.max(np.abs(np.diff(sigma, axis=0))) < 0.1
    assert np.all(np.diff(branch.lam) > 0) and branch.turning_points == 0
    for lam, x in zip(branch.lam * branch.scale, branch.x):
        assert branch.system.probability_residual(x, lam) < 1e-10
    # Interpolating and correcting between branch points gives the traced points back.
    k = len(branch.lam) // 2
    assert np.allclose(branch.profile_at(branch.lam[k])[0], sigma[k], atol=1e-10)


def test_solve_reports_lambda_and_the_branch_table():
    result = solve(_amp(), "qre")
    assert result.concept == "qre" and result.method == "logit" and not result.complete
    lams = [e.extra["lambda"] for e in result]
    assert lams == pytest.approx([v / 9 for v in qre.LANDMARKS])
    data = result.to_dict()
    assert [e["lambda"] for e in data["equilibria"]] == pytest.approx(lams)
    assert all(e["regret"] <= data["tolerance"] == QRE_TOLERANCE for e in data["equilibria"])
    frame = result.to_frame()
    assert list(frame.columns) == ["lambda", "Row:r1", "Row:r2", "Column:c1", "Column:c2"]
    assert frame["lambda"].iloc[0] == 0 and frame["lambda"].iloc[-1] >= 1000 / 9
    with pytest.raises(SolverError, match="gives no table"):
        solve(_amp(), "nash").to_frame()
    one = solve(_amp(), "qre", options={"lam": 2.0})
    assert len(one) == 1 and one[0].strategies["Row"]["r1"] == pytest.approx(0.8607543943, abs=1e-9)


def test_bad_options_and_huge_games_are_one_line_errors(monkeypatch):
    with pytest.raises(SolverError, match="takes no option 'lambda'"):
        solve(_amp(), "qre", options={"lambda": 2.0})
    with pytest.raises(SolverError, match="lambda must be a finite number >= 0"):
        solve(_amp(), "qre", options={"lam": -1.0})
    with pytest.raises(SolverError, match="takes no option 'lam'"):
        solve(_amp(), "nash", options={"lam": 1.0})
    with pytest.raises(SolverError, match="traced by path following; estimated work"):
        solve(_three_players(), "qre", max_work=1000)  # the registry's estimate, checked before any work
    monkeypatch.setattr(qre, "MAX_WORK", 10)
    with pytest.raises(SolverError, match="too large for QRE path following"):
        solve(_amp(), "qre")


def test_cli_lambda_flag(capsys):
    assert main(["solve", "battle-of-the-sexes", "--concept", "qre", "--lambda", "2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["concept"] == "qre" and [e["lambda"] for e in data["equilibria"]] == [2.0]
    assert main(["solve", "battle-of-the-sexes", "--lambda", "2"]) == 2
    assert "--lambda applies to --concept qre only" in capsys.readouterr().err


def test_a_fold_of_the_branch_is_detected_and_sampled():
    # A 3x3 game whose principal branch folds back briefly near lambda * range = 6.3425 (range 10).
    game = _bimatrix([[1, 5, -2], [3, 2, -5], [-1, 4, 1]], [[-5, 3, 3], [4, -4, -5], [4, -5, 0]])
    coarse = logit_branch(game, lam_max=1.0)
    assert coarse.turning_points == 2 and np.all(np.diff(coarse.lam) > 0)  # the fold is narrower than a step
    fine = logit_branch(game, lam_max=0.64, max_step=0.02)
    assert fine.turning_points == 2 and np.sum(np.diff(fine.lam) < 0) > 3
    inside = 0.634255
    profiles = fine.profile_at(inside)
    assert len(profiles) == 3  # three QREs on the branch at one lambda inside the fold
    for sigma in profiles:
        assert fine.system.probability_residual(np.log(sigma), inside * fine.scale) < 1e-10
    assert len(coarse.profile_at(inside)) == 1


def test_one_player_and_constant_games():
    single = NormalFormGame(["A"], [["x", "y", "z"]], np.array([[1.0], [0.0], [2.0]]))
    eq = solve(single, "qre", options={"lam": 1.0})[0]
    assert np.allclose(_mix(eq, "A"), np.exp([1, 0, 2]) / np.exp([1, 0, 2]).sum(), atol=1e-12)  # plain logit choice
    flat = solve(_bimatrix([[1, 1], [1, 1]], [[1, 1], [1, 1]]), "qre")
    assert all(np.allclose(_mix(e, "Row"), 0.5, atol=1e-12) and e.extra["nash_regret"] < 1e-12 for e in flat)
