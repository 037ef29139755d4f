"""Tests of equilibrium verification (deterrence.verify) and of the solve() facade's checks.

Known equilibria (and non-equilibria) of textbook games are checked exactly
and in floating point; hypothesis checks invariants of the regret function.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.solvers.facade import CONCEPTS, solve
from deterrence.solvers.verify import (
    FLOAT_TOLERANCE,
    checked_regrets,
    deviation_payoffs,
    exact_payoffs,
    is_nash,
    regrets,
    tolerance_for,
)

F = Fraction
HALF = [F(1, 2), F(1, 2)]


def tensor(rows, cols):
    """Payoff tensor (m, n, 2) from the two matrices."""
    return np.stack([np.array(rows, dtype=object), np.array(cols, dtype=object)], axis=-1)


# Axelrod (1984) Prisoner's Dilemma, T=5 R=3 P=1 S=0.
PD = tensor([[3, 0], [5, 1]], [[3, 5], [0, 1]])
# Matching pennies (von Neumann & Morgenstern 1944).
MP = tensor([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
# Battle of the sexes, (2,1)/(0,0)/(1,2) payoffs.
BOS = tensor([[2, 0], [0, 1]], [[1, 0], [0, 2]])
# Stag hunt (Skyrms 2004): 4, 0 / 3, 3.
STAG = tensor([[4, 0], [3, 3]], [[4, 3], [0, 3]])
# Rock-paper-scissors.
RPS = tensor([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]])


@pytest.mark.parametrize(
    ("payoffs", "profile", "nash"),
    [
        pytest.param(PD, [[0, 1], [0, 1]], True, id="pd-defect-defect"),
        pytest.param(PD, [[1, 0], [1, 0]], False, id="pd-cooperate-not-nash"),
        pytest.param(PD, [[0, 1], [1, 0]], False, id="pd-sucker-not-nash"),
        pytest.param(PD, [HALF, [0, 1]], False, id="pd-mixing-not-nash"),
        pytest.param(MP, [HALF, HALF], True, id="pennies-half-half"),
        pytest.param(MP, [[F(1, 3), F(2, 3)], HALF], False, id="pennies-off-by-a-third"),
        pytest.param(MP, [[1, 0], [1, 0]], False, id="pennies-pure-not-nash"),
        pytest.param(BOS, [[1, 0], [1, 0]], True, id="bos-opera"),
        pytest.param(BOS, [[0, 1], [0, 1]], True, id="bos-football"),
        pytest.param(BOS, [[F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]], True, id="bos-mixed"),
        pytest.param(BOS, [[F(1, 3), F(2, 3)], [F(2, 3), F(1, 3)]], False, id="bos-mixed-swapped"),
        pytest.param(BOS, [[1, 0], [0, 1]], False, id="bos-miscoordination"),
        pytest.param(STAG, [[1, 0], [1, 0]], True, id="stag-stag"),
        pytest.param(STAG, [[0, 1], [0, 1]], True, id="hare-hare"),
        pytest.param(STAG, [[F(3, 4), F(1, 4)], [F(3, 4), F(1, 4)]], True, id="stag-mixed-3/4"),
        # Any exact move off 3/4, however small, gives the other hunter a strict best response.
        pytest.param(
            STAG,
            [[F(3, 4) + F(1, 10**12), F(1, 4) - F(1, 10**12)], [F(3, 4), F(1, 4)]],
            False,
            id="stag-row-tiny-deviation-detected",
        ),
        pytest.param(
            STAG,
            [[F(3, 4), F(1, 4)], [F(3, 4) - F(1, 10**12), F(1, 4) + F(1, 10**12)]],
            False,
            id="stag-tiny-exact-deviation-detected",
        ),
        pytest.param(RPS, [[F(1, 3)] * 3, [F(1, 3)] * 3], True, id="rps-uniform"),
        pytest.param(RPS, [[F(1, 2), F(1, 4), F(1, 4)], [F(1, 3)] * 3], False, id="rps-skewed-row"),
    ],
)
def test_is_nash_exact(payoffs, profile, nash):
    assert is_nash(payoffs, profile) is nash


@pytest.mark.parametrize(
    ("payoffs", "profile", "nash"),
    [
        pytest.param(PD, [[0.0, 1.0], [0.0, 1.0]], True, id="pd-float"),
        pytest.param(PD, [[1.0, 0.0], [1.0, 0.0]], False, id="pd-cooperate-float"),
        pytest.param(MP, [[0.5, 0.5], [0.5, 0.5]], True, id="pennies-float"),
        pytest.param(MP, [[0.5, 0.5], [0.5 + 1e-12, 0.5 - 1e-12]], True, id="pennies-within-tolerance"),
        pytest.param(MP, [[0.5, 0.5], [0.5 + 1e-6, 0.5 - 1e-6]], False, id="pennies-beyond-tolerance"),
        pytest.param(BOS.astype(float), [[2 / 3, 1 / 3], [1 / 3, 2 / 3]], True, id="bos-mixed-rounded"),
        pytest.param(STAG.astype(float), [[0.75, 0.25], [0.75, 0.25]], True, id="stag-mixed-float"),
        pytest.param(STAG.astype(float), [[0.7, 0.3], [0.7, 0.3]], False, id="stag-wrong-mix"),
    ],
)
def test_is_nash_float(payoffs, profile, nash):
    assert is_nash(payoffs, profile) is nash


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param([[F(1, 2), F(1, 3)], HALF], id="sums-below-one"),
        pytest.param([[F(3, 2), F(-1, 2)], HALF], id="negative-probability"),
        pytest.param([[0.6, 0.6], [0.5, 0.5]], id="float-sums-above-one"),
        pytest.param([[1.5, -0.5], [0.5, 0.5]], id="float-negative"),
    ],
)
def test_profiles_off_the_simplex_are_never_equilibria(profile):
    # Matching pennies with a zero game makes every simplex profile an equilibrium,
    # so only the simplex check can reject these.
    zero = np.zeros((2, 2, 2), dtype=object)
    assert is_nash(zero, [HALF, HALF]) is True
    assert is_nash(zero, profile) is False


def test_explicit_tolerance_is_used():
    profile = [[0.5, 0.5], [0.5 + 1e-6, 0.5 - 1e-6]]
    assert is_nash(MP, profile) is False
    assert is_nash(MP, profile, tolerance=1e-5) is True


def test_regrets_values_bos_mixed():
    values, gains = regrets(BOS, [[F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]])
    assert values == [F(2, 3), F(2, 3)]
    assert gains == [0, 0]


def test_regrets_pd_cooperation():
    values, gains = regrets(PD, [[1, 0], [1, 0]])
    assert values == [3, 3]
    assert gains == [2, 2]  # each gains T - R = 5 - 3 by defecting


def test_tolerance_for_scales_with_payoff_range():
    assert tolerance_for(np.array([0.0, 0.5])) == FLOAT_TOLERANCE
    assert tolerance_for(np.array([-100.0, 900.0])) == pytest.approx(FLOAT_TOLERANCE * 1000)
    assert tolerance_for(np.array([])) == FLOAT_TOLERANCE


def test_three_player_deviation_payoffs_match_brute_force():
    rng = np.random.default_rng(7)
    payoffs = rng.integers(-5, 6, size=(2, 3, 2, 3)).astype(object)
    profile = [[F(1, 3), F(2, 3)], [F(1, 2), F(1, 4), F(1, 4)], [F(1, 5), F(4, 5)]]
    for player in range(3):
        computed = deviation_payoffs(payoffs, profile, player)
        for own in range(payoffs.shape[player]):
            expected = F(0)
            for index in itertools.product(*(range(n) for n in payoffs.shape[:-1])):
                if index[player] != own:
                    continue
                weight = F(1)
                for other, k in enumerate(index):
                    if other != player:
                        weight *= profile[other][k]
                expected += weight * payoffs[index + (player,)]
            assert computed[own] == expected


def test_three_player_coordination_game():
    # Everyone gets 1 when all choose the same action, else 0.
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    payoffs[0, 0, 0] = payoffs[1, 1, 1] = [1, 1, 1]
    assert is_nash(payoffs, [[1, 0]] * 3)
    assert is_nash(payoffs, [[0, 1]] * 3)
    assert is_nash(payoffs, [HALF] * 3)  # each is indifferent when the others mix 1/2
    assert not is_nash(payoffs, [[1, 0], [1, 0], [0, 1]])


def _brute_force_pure_nash(payoffs):
    shape = payoffs.shape[:-1]
    found = []
    for index in itertools.product(*(range(n) for n in shape)):
        ok = True
        for i in range(len(shape)):
            for alternative in range(shape[i]):
                other = list(index)
                other[i] = alternative
                if payoffs[tuple(other) + (i,)] > payoffs[index + (i,)]:
                    ok = False
        if ok:
            found.append(index)
    return found


def _pure_profile(index, shape):
    return [[int(k == i) for k in range(n)] for i, n in zip(index, shape, strict=True)]


games = st.tuples(st.integers(1, 3), st.integers(1, 3)).flatmap(
    lambda shape: st.lists(st.integers(-4, 4), min_size=2 * shape[0] * shape[1], max_size=2 * shape[0] * shape[1]).map(
        lambda flat: np.array(flat, dtype=object).reshape(shape + (2,))
    )
)


@settings(max_examples=60, deadline=None)
@given(games)
def test_pure_profiles_agree_with_brute_force(payoffs):
    shape = payoffs.shape[:-1]
    expected = set(_brute_force_pure_nash(payoffs))
    for index in itertools.product(*(range(n) for n in shape)):
        assert is_nash(payoffs, _pure_profile(index, shape)) is (index in expected)


@settings(max_examples=40, deadline=None)
@given(games, st.integers(1, 5), st.integers(-10, 10), st.data())
def test_positive_affine_transform_preserves_equilibria(payoffs, scale, shift, data):
    shape = payoffs.shape[:-1]
    profile = [data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n).filter(any)) for n in shape]
    profile = [[F(v, sum(p)) for v in p] for p in profile]
    transformed = payoffs * scale + shift
    assert is_nash(payoffs, profile) == is_nash(transformed, profile)
    _, gains = regrets(payoffs, profile)
    _, scaled_gains = regrets(transformed, profile)
    assert scaled_gains == [g * scale for g in gains]


@settings(max_examples=40, deadline=None)
@given(games, st.data())
def test_regret_is_never_negative(payoffs, data):
    shape = payoffs.shape[:-1]
    profile = [data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n).filter(any)) for n in shape]
    profile = [[F(v, sum(p)) for v in p] for p in profile]
    assert all(g >= 0 for g in regrets(payoffs, profile)[1])


# -- the solve() facade: what it refuses --------------------------------------
def _pd_game():
    return NormalFormGame(["Row", "Column"], [["C", "D"], ["C", "D"]], PD)


def _tree():
    return ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "a",
            {
                "l": choice("B", "b", {"x": Terminal((1, 1)), "y": Terminal((0, 0))}),
                "r": Terminal((2, 0)),
            },
        ),
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: solve(_pd_game(), "correlated"),
            "unknown concept 'correlated'; choose from nash, pure, spe, dominance",
            id="unknown-concept",
        ),
        pytest.param(
            lambda: solve([[1, 2], [3, 4]]),
            "needs a NormalFormGame or ExtensiveFormGame, got list",
            id="not-a-game",
        ),
        pytest.param(
            lambda: solve(NormalFormGame(["A"], [["x", "y"]], [["c"], [1]])),
            r"free parameters \['c'\]; give them values first",
            id="symbolic-game",
        ),
        pytest.param(
            lambda: solve(_pd_game(), "spe"),
            "subgame perfection needs a game tree",
            id="spe-on-matrix",
        ),
        pytest.param(
            lambda: solve(_pd_game(), "nash", "simplex"),
            "unknown method 'simplex' for concept 'nash'; choose from vertex, support, nashpy, nashpy-vertex",
            id="unknown-nash-method",
        ),
        pytest.param(
            lambda: solve(_pd_game(), "pure", "vertex"),
            "unknown method 'vertex' for concept 'pure'",
            id="unknown-pure-method",
        ),
        pytest.param(
            lambda: solve(_pd_game(), "dominance", "iesds-strong"),
            "unknown method 'iesds-strong' for concept 'dominance'",
            id="unknown-dominance-method",
        ),
        pytest.param(
            lambda: solve(_tree(), "spe", "forward-induction"),
            "unknown method 'forward-induction' for concept 'spe'",
            id="unknown-spe-method",
        ),
        pytest.param(
            lambda: solve(_tree(), "nash", "vertex"),
            "unknown method 'vertex' for concept 'nash'",
            id="unknown-tree-nash-method",
        ),
        pytest.param(
            lambda: solve(_tree(), "pure", "reduced"),
            "unknown method 'reduced' for concept 'pure'",
            id="unknown-tree-pure-method",
        ),
    ],
)
def test_solve_refuses_with_solver_error(call, message):
    import re

    with pytest.raises(SolverError) as info:
        call()
    assert re.search(message, str(info.value)), str(info.value)


def test_concepts_listed():
    assert CONCEPTS[:4] == ("nash", "pure", "spe", "dominance") and "qre" in CONCEPTS


def test_solve_pure_prisoners_dilemma_exact():
    pytest.importorskip("deterrence.solvers.pure")
    result = solve(_pd_game(), "pure")
    assert result.concept == "pure" and result.method == "pure" and result.complete is True
    assert len(result) == 1
    (eq,) = result
    assert eq.exact is True and eq.regret == 0.0
    assert eq.strategies == {"Row": {"C": 0, "D": 1}, "Column": {"C": 0, "D": 1}}
    assert eq.payoffs == {"Row": 1, "Column": 1}
    assert result.tolerance == 0.0


def test_solve_pure_float_game_has_tolerance():
    pytest.importorskip("deterrence.solvers.pure")
    game = NormalFormGame(["Row", "Column"], [["C", "D"], ["C", "D"]], PD.astype(float) * 10)
    result = solve(game, "pure")
    assert len(result) == 1 and result[0].exact is False
    assert result[0].strategies["Row"] == {"C": 0.0, "D": 1.0}
    assert result.tolerance == pytest.approx(FLOAT_TOLERANCE * 50)


def test_solve_nash_three_players_says_only_pure():
    pytest.importorskip("deterrence.solvers.pure")
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    payoffs[0, 0, 0] = payoffs[1, 1, 1] = [1, 1, 1]
    game = NormalFormGame(["A", "B", "C"], [["x", "y"]] * 3, payoffs)
    result = solve(game)
    assert result.complete is False
    assert any("only pure equilibria" in note for note in result.notes)
    profiles = sorted(tuple(eq.strategies[p]["x"] for p in "ABC") for eq in result)
    assert profiles == [(0, 0, 0), (1, 1, 1)]


def test_solve_refuses_sympy_constant_free_symbolic_payoffs():
    # A payoff like sqrt(2) is a float, not a parameter, so the game solves.
    pytest.importorskip("deterrence.solvers.pure")
    game = NormalFormGame(["A"], [["x", "y"]], [[sympy.sqrt(2)], [1]])
    result = solve(game, "pure")
    assert [eq.strategies["A"] for eq in result] == [{"x": 1.0, "y": 0.0}]


def test_exact_payoffs_are_the_binary_values_of_floats():
    table = exact_payoffs(np.array([[0.1, 3], [Fraction(1, 3), -2.5]], dtype=object))
    assert table[0, 0] == Fraction(3602879701896397, 36028797018963968)  # 0.1 as stored, not 1/10
    assert table[0, 1] == 3 and table[1, 0] == Fraction(1, 3) and table[1, 1] == Fraction(-5, 2)
    with pytest.raises(SolverError, match="not a finite number"):
        exact_payoffs([1.0, float("nan")])


def test_checked_regrets_returns_the_profile_values_and_worst_regret():
    profile, values, worst = checked_regrets(PD, [[0, 1], [0, 1]], exact=True)
    assert profile == [[0, 1], [0, 1]] and all(isinstance(v, Fraction) for p in profile for v in p)
    assert values == [1, 1] and worst == 0
    with pytest.raises(SolverError, match="probability vector"):
        checked_regrets(PD, [[1, 1], [0, 1]], exact=True)
    # Float: cooperating against defection loses 1, above any tolerance below 1.
    with pytest.raises(SolverError, match="regret 1"):
        checked_regrets(PD.astype(float), [[1.0, 0.0], [0.0, 1.0]], exact=False, tolerance=0.5)
    assert checked_regrets(PD.astype(float), [[1.0, 0.0], [0.0, 1.0]], exact=False, tolerance=1.0)[2] == 1.0
