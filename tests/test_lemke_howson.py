"""Tests for deterrence.solvers.lemke_howson: Lemke–Howson from every label, exact and float."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence import NormalFormGame, SolverError, solve
from deterrence.solvers.enumeration import enumerate_equilibria
from deterrence.solvers.lemke_howson import lemke_howson, lemke_howson_all, nash_lemke_howson

HALF = Fraction(1, 2)


def _vertex_set(a, b) -> set:
    found = enumerate_equilibria(np.array(a, dtype=object), np.array(b, dtype=object), method="vertex")
    return {(tuple(x), tuple(y)) for x, y in found.equilibria}


def test_matching_pennies_every_label_ends_at_the_unique_mixed_equilibrium():
    a = [[1, -1], [-1, 1]]
    b = [[-1, 1], [1, -1]]
    found = lemke_howson_all(a, b)
    assert found == [((HALF, HALF), (HALF, HALF), (0, 1, 2, 3))]
    x, y = lemke_howson(a, b, 3, exact=False)
    assert np.allclose(x, 0.5) and np.allclose(y, 0.5)


def test_battle_of_the_sexes_finds_the_two_pure_equilibria_not_the_mixed_one():
    bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    result = solve(bos, "nash", "lemke-howson")
    assert result.method == "lemke-howson-exact" and not result.complete
    assert "not complete" in result.notes[0]
    everything = _vertex_set(*bos.bimatrix())
    assert len(everything) == 3
    found = {(tuple(e.strategies["Row"].values()), tuple(e.strategies["Column"].values())) for e in result}
    # LH paths from the artificial equilibrium end at equilibria of index +1: the two pure ones.
    assert found < everything and len(found) == 2
    assert all(e.exact and e.regret == 0 for e in result)


def test_float_games_run_float_pivoting_and_are_verified():
    bos = NormalFormGame.from_bimatrix(np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0]]))
    result = solve(bos, "nash", "lemke-howson")
    assert result.method == "lemke-howson-float" and len(result) == 2
    assert all(not e.exact and e.regret <= result.tolerance for e in result)
    assert solve(bos, "nash", result.method).method == "lemke-howson-float"


def test_exact_pivoting_of_a_float_game_uses_the_binary_values():
    game = NormalFormGame.from_bimatrix(np.array([[0.0, 1.0], [0.2, 0.2]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    (eq,) = nash_lemke_howson(game, exact=True)
    # Row's second strategy pays 0.2 whatever happens, so Column's weight on c2 that makes Row
    # indifferent is the binary value of 0.2, not 1/5.
    assert eq.exact and eq.regret == 0
    assert eq.strategies["Column"]["c2"] == Fraction(0.2) != Fraction(1, 5)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 5), st.integers(2, 5))
def test_every_result_on_random_games_is_a_vertex_enumeration_equilibrium(seed, m, n):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(-20, 21, (m, n)).tolist(), rng.integers(-20, 21, (m, n)).tolist()
    everything = _vertex_set(a, b)
    exact = lemke_howson_all(a, b)
    assert exact and all((x, y) in everything for x, y, _ in exact)
    assert sum(len(labels) for _, _, labels in exact) == m + n  # every label was run once
    for x, y, _ in lemke_howson_all(a, b, exact=False):
        assert any(
            np.allclose(x, [float(v) for v in p]) and np.allclose(y, [float(v) for v in q]) for p, q in everything
        )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param([[0, 0], [-1, 1]], [[2, 2], [-1, 1]], id="entry-matrix"),
        pytest.param([[0] * 3] * 3, [[0] * 3] * 3, id="all-zero"),
        pytest.param([[1, 1, 0], [1, 1, 0], [0, 0, 1]], [[1, 1, 0], [1, 1, 0], [0, 0, 1]], id="repeated-rows"),
    ],
)
def test_degenerate_games_terminate_with_verified_equilibria(a, b):
    game = NormalFormGame.from_bimatrix(a, b)
    everything = _vertex_set(a, b)
    for exact in (True, False):
        result = nash_lemke_howson(game, exact=exact)
        assert len(result) >= 1 and not result.complete
    found = lemke_howson_all(a, b)
    assert all((x, y) in everything for x, y, _ in found)


def test_entry_matrix_lemke_howson_lands_on_the_equilibrium_components():
    # Entrant (Out/In) x Incumbent (Fight/Accommodate): (In, Accommodate) and Out with Fight >= 1/2.
    found = lemke_howson_all([[0, 0], [-1, 1]], [[2, 2], [-1, 1]])
    assert {x for x, _, _ in found} <= {(1, 0), (0, 1)}
    for x, y, _ in found:
        assert (x, y) == ((0, 1), (0, 1)) or (x == (1, 0) and y[0] >= HALF)


def test_size_limit_and_bad_label_are_one_line_errors():
    bos = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    with pytest.raises(SolverError, match=r"2\+2 pure strategies exceed the limit of 3"):
        nash_lemke_howson(bos, max_strategies=3)
    with pytest.raises(SolverError, match="label 4 is not in 0..3"):
        lemke_howson([[1, 0], [0, 1]], [[1, 0], [0, 1]], 4)
