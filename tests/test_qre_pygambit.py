"""Logit QRE against pygambit's ``qre.logit_solve_lambda`` (issue 10: "a cross-check").

Both trace the principal branch from lambda = 0 (McKelvey and Palfrey 1995, 1998), so at the
same lambda they must give the same profile: in the strategic form for tables, in the agent
form for trees.  pygambit returns the profile as one flat vector in Gambit's order (players,
then their information sets, then actions), which for a file we wrote is the order of
``game.players``, ``game.infosets[player]`` and each set's actions; 16.7 names every entry,
and the test checks that the names follow that order.  Skipped when pygambit is absent.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from deterrence.io.gambit import dumps
from deterrence.solvers.facade import solve
from tests.pygambit_compat import from_arrays, major
from tests.signalling_games import beer_quiche, selten_horse
from tests.trees import entry_game

gbt = pytest.importorskip("pygambit")
logit_solve_lambda = getattr(getattr(gbt, "qre", None), "logit_solve_lambda", None)
if logit_solve_lambda is None:  # pragma: no cover - pygambit before 16.3
    pytest.skip("this pygambit has no qre.logit_solve_lambda", allow_module_level=True)

# Both solvers stop the corrector at about 1e-9; their paths are independent, so agree to 1e-6.
AGREE = 1e-6


def _ours_flat(game, lam):
    eq = solve(game, "qre", options={"lam": lam})[0]
    if hasattr(game, "infosets"):
        return [v for p in game.players for h in game.infosets[p] for v in eq.strategies[p][h].values()]
    return [v for p, names in zip(game.players, game.strategies, strict=True) for v in eq.strategies[p].values()]


def _gambit_flat(gambit_game, lam, strategic):
    profile = logit_solve_lambda(gambit_game, lam=[lam], use_strategic=strategic)[0]
    return [float(profile[i]) for i in range(len(profile))]


def _gambit_tree(game):
    return gbt.read_efg(io.StringIO(dumps(game)))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("lam", [0.5, 2.0])
def test_strategic_qre_equals_pygambit_on_random_tables(seed, lam):
    """Random 3x3 tables (integers in [-5, 5]): the two principal branches give one profile."""
    from deterrence.forms.normal_form import NormalFormGame

    rng = np.random.default_rng(seed)
    a, b = rng.integers(-5, 6, size=(2, 3, 3))
    ours = _ours_flat(NormalFormGame.from_bimatrix(a.tolist(), b.tolist()), lam)
    theirs = _gambit_flat(from_arrays(gbt, a.astype(float), b.astype(float)), lam, strategic=True)
    assert np.max(np.abs(np.subtract(ours, theirs))) <= AGREE


def test_asymmetric_matching_pennies_equals_pygambit():
    """McKelvey and Palfrey's (1995) game with the 9 in the corner, at lambda = 1 and 4."""
    from deterrence.forms.normal_form import NormalFormGame

    a, b = [[9, 0], [0, 1]], [[0, 1], [1, 0]]
    for lam in (1.0, 4.0):
        ours = _ours_flat(NormalFormGame.from_bimatrix(a, b), lam)
        theirs = _gambit_flat(from_arrays(gbt, np.array(a, float), np.array(b, float)), lam, strategic=True)
        assert np.max(np.abs(np.subtract(ours, theirs))) <= AGREE


def _case_trees():
    from games.iran_pakistan.forms import bayesian_game, prestrike_game, sequential_game

    return {
        "entry": entry_game(),
        "beer-quiche": beer_quiche(),
        "selten-horse": selten_horse(),
        "iran-pakistan sequential": sequential_game({}),
        "iran-pakistan bayesian": bayesian_game({}),
        "iran-pakistan prestrike": prestrike_game({}),
    }


@pytest.mark.parametrize("name", list(_case_trees()))
@pytest.mark.parametrize("lam", [0.5, 1.5])
def test_agent_qre_equals_pygambit_on_trees(name, lam):
    """Agent QRE of signalling games and of the case's trees at default parameters."""
    game = _case_trees()[name]
    gambit_game = _gambit_tree(game)
    if major(gbt) < 17:  # 16.7 names the flat entries: they follow our order
        names = [(p.label, h.label, a.label) for p in gambit_game.players for h in p.infosets for a in h.actions]
        assert names == [(p, h, a) for p in game.players for h in game.infosets[p] for a in game.actions(p, h)]
    ours = _ours_flat(game, lam)
    theirs = _gambit_flat(gambit_game, lam, strategic=False)
    assert len(ours) == len(theirs)
    assert np.max(np.abs(np.subtract(ours, theirs))) <= AGREE
