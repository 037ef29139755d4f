"""Tests for pure Nash equilibria (deterrence.solvers.pure)."""

from __future__ import annotations

import pickle
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from deterrence import NormalFormGame, SolveResult, solve
from deterrence.errors import GameError, SolverError
from deterrence.solvers.pure import (
    PureEquilibrium,
    pure_equilibria,
    pure_equilibria_mask,
    solve_pure,
)
from deterrence.solvers.result import Solution


def brute_force_mask(payoffs: np.ndarray) -> np.ndarray:
    """Reference: test every unilateral deviation from every profile, one at a time."""
    shape = payoffs.shape[:-1]
    mask = np.zeros(shape, dtype=bool)
    for profile in np.ndindex(*shape):
        ok = True
        for i in range(len(shape)):
            for t in range(shape[i]):
                deviation = profile[:i] + (t,) + profile[i + 1 :]
                if payoffs[deviation + (i,)] > payoffs[profile + (i,)]:
                    ok = False
        mask[profile] = ok
    return mask


def bimatrix(a, b) -> np.ndarray:  # noqa: ANN001
    return np.stack([np.asarray(a, float), np.asarray(b, float)], axis=-1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param([[3, 0], [5, 1]], [[3, 5], [0, 1]], [(1, 1)], id="prisoners-dilemma"),
        # Chicken (Snyder & Diesing 1977): one side yields in each pure equilibrium.
        pytest.param([[0, -1], [1, -10]], [[0, 1], [-1, -10]], [(0, 1), (1, 0)], id="chicken"),
        pytest.param([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [], id="matching-pennies"),
        pytest.param([[2, 0], [0, 1]], [[1, 0], [0, 2]], [(0, 0), (1, 1)], id="battle-of-sexes"),
        pytest.param([[4, 0], [3, 3]], [[4, 3], [0, 3]], [(0, 0), (1, 1)], id="stag-hunt"),
    ],
)
def test_classic_games(a, b, expected) -> None:  # noqa: ANN001
    mask = pure_equilibria_mask(bimatrix(a, b))
    assert [tuple(int(v) for v in p) for p in np.argwhere(mask)] == expected
    game = NormalFormGame.from_bimatrix(a, b)
    found = pure_equilibria(game)
    assert found == expected and all(p.strict for p in found)


def test_three_player_coordination() -> None:
    # Everyone gets 1 when all three match, 0 otherwise: two strict equilibria.
    payoffs = np.zeros((2, 2, 2, 3))
    payoffs[0, 0, 0] = payoffs[1, 1, 1] = 1.0
    assert [tuple(int(v) for v in p) for p in np.argwhere(pure_equilibria_mask(payoffs))] == [
        (0, 0, 0),
        (1, 1, 1),
    ]
    # (0, 0, 1) is not one: the third player gains by switching to match.
    assert not pure_equilibria_mask(payoffs)[0, 0, 1]


def test_ties_give_weak_equilibria_and_strict_mask_drops_them() -> None:
    # Column is indifferent in row 0; (0, 0) and (0, 1) are both equilibria, neither strict.
    a, b = [[2, 2], [1, 0]], [[5, 5], [0, 1]]
    assert pure_equilibria_mask(bimatrix(a, b)).tolist() == [[True, True], [False, False]]
    assert not pure_equilibria_mask(bimatrix(a, b), strict=True).any()
    found = pure_equilibria(NormalFormGame.from_bimatrix(a, b))
    assert found == [(0, 0), (0, 1)] and [p.strict for p in found] == [False, False]


def test_default_tolerance_is_scaled_per_game() -> None:
    # A 1e-5 gap is a tie in a game with payoff range 1e5 (tolerance 1e-4) but not in one
    # with range 1 (tolerance 1e-9); both sit in one batch.
    small = bimatrix([[1, 0], [1 - 1e-5, 0]], [[0, 0], [0, 0]])
    large = bimatrix([[1, 0], [1 - 1e-5, -1e5]], [[0, 0], [0, 0]])
    mask = pure_equilibria_mask(np.stack([small, large]))
    assert mask[0].tolist() == [[True, True], [False, True]]
    assert mask[1].tolist() == [[True, True], [True, False]]
    # An explicit tolerance overrides the scaling; zero means exact float comparison.
    assert not pure_equilibria_mask(large, tolerance=0.0)[1, 0]
    per_game = pure_equilibria_mask(np.stack([small, small]), tolerance=np.array([0.0, 1e-4]))
    assert per_game[:, 1, 0].tolist() == [False, True]


def test_exact_games_are_compared_exactly() -> None:
    tiny = Fraction(1, 10**20)
    a = [[1, 0], [1 - tiny, 0]]  # row 0 is strictly better against column 0, by 1e-20
    exact = NormalFormGame.from_bimatrix(a, [[0, 0], [0, 0]])
    assert pure_equilibria(exact) == [(0, 0), (0, 1), (1, 1)]
    floats = NormalFormGame.from_bimatrix([[float(v) for v in r] for r in a], [[0.0, 0.0], [0.0, 0.0]])
    assert pure_equilibria(floats) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_solve_pure_returns_verified_result() -> None:
    game = NormalFormGame(
        ["Iran", "Pakistan"],
        [["hold", "escalate"], ["absorb", "strike"]],
        [[[1, 0], [0, 0]], [[0, 0], [-1, -1]]],
    )
    found = solve_pure(game)
    assert isinstance(found, Solution) and found.method == "pure"
    # solve() is the public wrapper: same list, plus the game and the concept.
    result = solve(game, "pure")
    assert isinstance(result, SolveResult) and result.complete and result.concept == "pure"
    assert [e.strategies["Iran"]["hold"] for e in result] == [1, 1]
    assert [e.strategies["Pakistan"]["strike"] for e in result] == [0, 1]
    assert [e.notes for e in result] == [("weak: tie in best responses",)] * 2
    assert result.degenerate is True and result.method == "pure"
    assert result.equilibria[0].payoffs == {"Iran": 1, "Pakistan": 0}
    assert [e.strategies for e in found] == [e.strategies for e in result]


def test_pure_equilibrium_behaves_like_a_tuple() -> None:
    p = PureEquilibrium((1, 2), strict=False)
    assert p == (1, 2) and hash(p) == hash((1, 2)) and not p.strict
    q = pickle.loads(pickle.dumps(p))
    assert q == (1, 2) and q.strict is False


@pytest.mark.parametrize(
    "payoffs",
    [
        pytest.param(np.zeros((2, 2, 3)), id="wrong-player-axis"),
        pytest.param(np.zeros((5,)), id="one-axis"),
        pytest.param(np.full((2, 2, 2), np.nan), id="nan"),
    ],
)
def test_bad_shapes_raise(payoffs) -> None:  # noqa: ANN001
    with pytest.raises(GameError):
        pure_equilibria_mask(payoffs)


def test_symbolic_games_are_refused() -> None:
    import sympy

    game = NormalFormGame.from_bimatrix([[sympy.Symbol("w"), 0], [1, 1]], [[0, 0], [0, 0]])
    with pytest.raises(SolverError):
        pure_equilibria(game)


@st.composite
def integer_games(draw):  # noqa: ANN001, ANN201
    n = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 3)) for _ in range(n))
    batch = draw(st.integers(1, 4))
    return draw(arrays(np.int64, (batch, *shape, n), elements=st.integers(-2, 2)))


@settings(max_examples=80, deadline=None)
@given(integer_games())
def test_batched_mask_matches_brute_force_and_single_games(stack) -> None:  # noqa: ANN001
    values = stack.astype(float)
    mask = pure_equilibria_mask(values)
    assert mask.shape == values.shape[:-1]
    for g in range(len(values)):
        reference = brute_force_mask(values[g])
        np.testing.assert_array_equal(mask[g], reference)
        np.testing.assert_array_equal(pure_equilibria_mask(values[g]), reference)
        shape = values.shape[1:-1]
        labels = [[f"s{k}" for k in range(size)] for size in shape]
        game = NormalFormGame([f"P{i}" for i in range(len(shape))], labels, stack[g].astype(object))
        found = pure_equilibria(game)
        assert found == [tuple(int(v) for v in p) for p in np.argwhere(reference)]
        strict = pure_equilibria_mask(values[g], strict=True)
        assert [p.strict for p in found] == [bool(strict[p]) for p in found]


def test_agrees_with_pure_entries_of_small_game_solver() -> None:
    from deterrence.solvers.small_games import small_game_equilibria

    rng = np.random.default_rng(11)
    a = rng.normal(size=(200, 3, 2))
    b = rng.normal(size=(200, 3, 2))
    mask = pure_equilibria_mask(np.stack([a, b], axis=-1))
    result = small_game_equilibria(a, b)
    for g in range(200):
        pure = {(int(x.argmax()), int(y.argmax())) for x, y in result.equilibria(g) if x.max() == 1 and y.max() == 1}
        assert pure == {tuple(int(v) for v in p) for p in np.argwhere(mask[g])}
