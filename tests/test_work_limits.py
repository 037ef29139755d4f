"""Work limits (issue 9): solve() sizes a job before starting and refuses, in one line, what would not fit."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from gambit_files import kuhn_poker

from deterrence import NormalFormGame, SolverError, solve
from deterrence.forms.reduced_form import reduced_normal_form
from deterrence.solvers.work import DEFAULT_MAX_WORK, reduced_sizes, vertex_bound, vertex_work


def _random_game(n: int, seed: int) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    return NormalFormGame.from_bimatrix(
        rng.integers(-1000, 1001, (n, n)).tolist(), rng.integers(-1000, 1001, (n, n)).tolist()
    )


def test_mcmullen_bound_matches_known_polytopes() -> None:
    # A d-simplex has d + 1 facets and d + 1 vertices; the d-cube (2d facets) has 2^d vertices and
    # is not extremal for d >= 4, so the bound must be at least 2^d there.
    assert [vertex_bound(d + 1, d) for d in range(1, 7)] == [2, 3, 4, 5, 6, 7]
    assert vertex_bound(6, 3) == 8 and all(vertex_bound(2 * d, d) >= 2**d for d in range(2, 10))


def test_a_40x40_game_is_refused_by_vertex_enumeration_naming_lemke_howson() -> None:
    with pytest.raises(SolverError) as err:
        solve(_random_game(40, 1), "nash", "vertex")
    message = str(err.value)
    assert "\n" not in message and "40x40" in message and "lemke-howson" in message
    assert "max-work" in message


def test_a_15x15_random_game_solves_exactly_within_the_default_limit() -> None:
    game = _random_game(15, 15)
    assert vertex_work(15, 15).work <= DEFAULT_MAX_WORK
    result = solve(game)
    # A nondegenerate game has an odd number of equilibria (Shapley 1974); every one is verified exactly.
    assert result.complete and result.degenerate is False and len(result) % 2 == 1
    assert all(eq.exact and eq.regret == 0 for eq in result)


def test_reduced_strategy_counts_match_the_built_reduced_normal_form() -> None:
    tree = kuhn_poker()
    assert reduced_sizes(tree) == reduced_normal_form(tree).game.shape == (27, 64)


def test_kuhn_poker_default_nash_uses_the_sequence_form_or_refuses_in_one_line() -> None:
    tree = kuhn_poker()
    try:
        result = solve(tree, "nash")
    except SolverError as err:
        message = str(err)
        assert "\n" not in message and "27x64" in message and "sequence-form" in message
    else:  # another default (the sequence form) took over for zero-sum trees
        assert "sequence-form" in result.method
    # Through the reduced normal form, vertex enumeration of the 27 x 64 game is refused before it starts.
    with pytest.raises(SolverError, match=r"27x64 game: vertex enumeration .* --method sequence-form"):
        solve(tree, "nash", "reduced")


def test_max_work_can_be_raised_lowered_and_is_validated() -> None:
    game = _random_game(3, 0)
    assert solve(game, max_work=math.inf).complete
    with pytest.raises(SolverError, match="exceeds max_work 10"):
        solve(game, max_work=10)
    for bad in (0, -1.0, "big", True, float("nan")):
        with pytest.raises(SolverError, match="max_work must be a positive number"):
            solve(game, max_work=bad)


def test_the_limit_reaches_the_inner_solve_of_a_reducing_method() -> None:
    # 12x12 passes the default; with a limit between the elimination's own estimate and the inner
    # vertex enumeration's, the inner solve is the one refused.
    game = _random_game(12, 3)
    inner = vertex_work(12, 12).work
    with pytest.raises(SolverError, match="vertex enumeration"):
        solve(game, "dominance", max_work=inner // 2)


def test_cli_max_work_refuses_with_exit_code_2(tmp_path) -> None:  # noqa: ANN001
    done = subprocess.run(
        [sys.executable, "-m", "deterrence", "solve", "prisoners-dilemma", "--max-work", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "exceeds max_work" in done.stderr and "Traceback" not in done.stderr
