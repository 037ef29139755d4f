"""Maximum-likelihood fits of the logit precision lambda to observed choices."""

from __future__ import annotations

import numpy as np
import pytest
from trees import entry_game

from deterrence import NormalFormGame
from deterrence.errors import DeterrenceError
from deterrence.solvers.qre import qre_normal
from deterrence.solvers.qre_agent import qre_tree
from deterrence.solvers.qre_fit import fit_lambda


def _amp() -> NormalFormGame:
    return NormalFormGame.from_bimatrix(np.array([[9.0, 0], [0, 1]]), np.array([[0.0, 1], [1, 0]]))


def test_fit_recovers_lambda_two_from_simulated_asymmetric_pennies():
    game = _amp()
    truth = qre_normal(game, lam=2.0)[0]
    rng = np.random.default_rng(20260101)
    counts = {
        p: dict(zip(truth.strategies[p], rng.multinomial(20000, list(truth.strategies[p].values()))))
        for p in game.players
    }
    fit = fit_lambda(game, counts)
    assert not fit.at_bound and fit.observations == 40000
    assert 0 < fit.se < 0.1
    assert abs(fit.lam - 2.0) < 3 * fit.se
    assert fit.profile["Row:r1"] == pytest.approx(qre_normal(game, lam=fit.lam)[0].strategies["Row"]["r1"], abs=1e-9)


def test_exact_frequencies_give_the_true_lambda_and_more_data_a_smaller_error():
    game = _amp()
    truth = qre_normal(game, lam=0.7)[0]
    flat = np.array([v for p in game.players for v in truth.strategies[p].values()])
    small, large = fit_lambda(game, 1000 * flat), fit_lambda(game, 4000 * flat)
    assert small.lam == pytest.approx(0.7, abs=1e-6) and large.lam == pytest.approx(0.7, abs=1e-6)
    assert large.se == pytest.approx(small.se / 2, rel=1e-3)  # information grows with n


def test_fit_on_a_tree_uses_agent_qre_counts():
    truth = qre_tree(entry_game(), lam=1.5)[0]
    counts = {p: {h: {a: 5000 * v for a, v in table.items()} for h, table in truth.strategies[p].items()}
              for p in ("Entrant", "Incumbent")}  # fmt: skip
    fit = fit_lambda(entry_game(), counts)
    assert fit.lam == pytest.approx(1.5, abs=1e-6) and np.isfinite(fit.se)


def test_uniform_choices_put_lambda_at_the_lower_bound():
    fit = fit_lambda(_amp(), {"Row": {"r1": 50, "r2": 50}, "Column": {"c1": 50, "c2": 50}})
    assert fit.at_bound and fit.lam < 1e-3 and fit.se == float("inf")


def test_bad_counts_are_errors():
    with pytest.raises(DeterrenceError, match="unknown strategy"):
        fit_lambda(_amp(), {"Row": {"middle": 3}})
    with pytest.raises(DeterrenceError, match="non-negative"):
        fit_lambda(_amp(), [1, -1, 0, 0])
    with pytest.raises(DeterrenceError, match="all zero"):
        fit_lambda(_amp(), [0, 0, 0, 0])
    with pytest.raises(DeterrenceError, match="4 entries"):
        fit_lambda(_amp(), [1, 2])
