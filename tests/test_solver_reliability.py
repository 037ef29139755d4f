"""Regression tests for the solver defects of issue 13 (items 1, 2, 5 and 9).

Each test is shrunk to the smallest game that showed the defect and names the
number the old code got wrong.

1. Exact results of float games were verified against the float payoffs
   (Fraction x float rounds), so ``solve()`` raised on true equilibria.
2. The batched small-game solver lost every equilibrium once the payoffs
   carried a large constant, and claimed the empty list complete.
5. One decision node with N equally good actions took 73 s at N = 500.
9. ``method="support"`` scaled its float tolerance to the whole game's payoff
   range, so one payoff of -1e15 made near-misses count as equilibria.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from game_strategies import integer_bimatrix
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from trees import two_step

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.forms.reduced_form import behaviour_from_mixed, reduced_normal_form
from deterrence.solvers.facade import solve
from deterrence.solvers.pure import pure_equilibria_mask
from deterrence.solvers.small_games import small_game_equilibria
from deterrence.solvers.verify import FLOAT_TOLERANCE, checked_regrets, exact_payoffs, regrets

try:  # the batched SPE is moving to its own module
    from deterrence.solvers.spe_batch import spe_batch
except ImportError:  # pragma: no cover - the layout before the move
    from deterrence.solvers.spe import spe_batch

ROOT = Path(__file__).resolve().parents[1]

# The tester's example: the row player's second strategy pays 0.2 for sure, so in the unique
# equilibrium the column player puts the binary value of 0.2 (not 1/5) on column 2.
ROW = [[0.0, 1.0], [0.2, 0.2]]
COLUMN = [[1.0, 0.0], [0.0, 1.0]]


# -- item 1: exact results of float games --------------------------------------
@pytest.mark.parametrize("concept", ["nash", "dominance"])
def test_float_game_is_solved_and_verified_against_binary_values(concept: str) -> None:
    # Before: AssertionError "not an equilibrium (regret 2.8e-17)" from Fraction x float.
    game = NormalFormGame.from_bimatrix(ROW, COLUMN)
    result = solve(game, concept)
    assert len(result) == 1 and result.complete
    (eq,) = result
    column = game.players[1]
    assert eq.strategies[column][game.strategies[1][1]] == Fraction(0.2)  # 0.2 as stored, exactly
    assert eq.strategies[column][game.strategies[1][1]] != Fraction(1, 5)
    assert eq.regret == 0.0


def test_float_tree_is_solved_through_its_reduced_form() -> None:
    # The same game as a tree with simultaneous moves (Column cannot see Row's move).
    def column(payoffs: list[tuple[float, float]]) -> ExtensiveFormGame:
        return choice("Column", "c", {"c1": Terminal(payoffs[0]), "c2": Terminal(payoffs[1])})

    tree = ExtensiveFormGame(
        ["Row", "Column"],
        choice("Row", "r", {"r1": column([(0.0, 1.0), (1.0, 0.0)]), "r2": column([(0.2, 0.0), (0.2, 1.0)])}),
    )
    for concept in ("nash", "dominance"):
        (eq,) = solve(tree, concept)
        assert eq.strategies["Column"]["c"]["c2"] == Fraction(0.2), concept
        assert eq.strategies["Row"]["r"]["r1"] == Fraction(1, 2), concept


def test_random_float_games_never_fail_verification() -> None:
    # 44 of 300 such games raised before; the exact list must verify exactly, every time.
    rng = np.random.default_rng(13)
    for _ in range(300):
        a, b = np.round(rng.uniform(-1, 1, size=(2, 2, 2)), 1)
        game = NormalFormGame.from_bimatrix(a.tolist(), b.tolist())
        result = solve(game)
        assert len(result) % 2 == 1 or result.degenerate
        table = exact_payoffs(game.payoffs)
        for eq in result:
            profile = [[eq.strategies[p][s] for s in labels] for p, labels in zip(game.players, game.strategies)]
            assert max(regrets(table, profile)[1]) == 0


def test_failed_verification_is_a_solver_error_with_a_message() -> None:
    # (1/5 instead of binary 0.2 leaves the row player a regret of about 1.1e-17.)
    x, wrong_y = [Fraction(1, 2)] * 2, [Fraction(4, 5), Fraction(1, 5)]
    payoffs = NormalFormGame.from_bimatrix(ROW, COLUMN).payoffs
    with pytest.raises(SolverError, match="not an equilibrium"):
        checked_regrets(payoffs, [x, wrong_y], exact=True)
    with pytest.raises(SolverError, match="not an equilibrium"):
        checked_regrets(payoffs, [[1.0, 0.0], [1.0, 0.0]], exact=False)  # row gains 0.2 by r2


def test_no_bare_assertions_guard_solver_results() -> None:
    # Internal checks must raise SolverError (exit 2 with one line), never AssertionError.
    offenders = []
    for folder in ("deterrence/solvers", "deterrence/forms"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                code = line.split("#")[0]
                if re.match(r"\s*assert\b", code) or "AssertionError" in code:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


# -- item 2: large payoffs in the batched small-game solver --------------------
def test_constant_of_1e9_keeps_the_mixed_equilibrium() -> None:
    # Before: count 0 and degenerate False (an empty list claimed complete) at 1e9 and 1e12.
    a = np.array([[2.0, 0.0], [0.0, 1.0]])
    b = np.array([[0.0, 1.0], [1.0, 0.0]])
    for constant in (0.0, 1e8, 1e9, 1e12):
        result = small_game_equilibria(a + constant, b + constant)
        assert result.count[0] == 1 and not result.degenerate[0], constant
        ((x, y),) = result.equilibria(0)
        np.testing.assert_allclose(x, [0.5, 0.5], atol=1e-12)
        np.testing.assert_allclose(y, [1 / 3, 2 / 3], atol=1e-12)
        assert result.row_payoff[0, 0] - constant == pytest.approx(2 / 3, abs=1e-3 + 1e-15 * constant)
        assert result.fallbacks == 0


def test_sweep_of_a_model_with_a_large_constant_finds_the_mixed_equilibrium() -> None:
    # Before: outcome 'none' at every point (the batched solver lost the unique mixed equilibrium).
    import sympy

    from deterrence.analysis.outcomes import normal_form_outcomes

    w, k = sympy.Symbol("w"), 10**9

    def build() -> NormalFormGame:
        return NormalFormGame.from_bimatrix([[w + k, k], [k, 1 + k]], [[k, 1 + k], [1 + k, k]])

    outcomes = normal_form_outcomes(build, {"top": ("Row", "r1"), "left": ("Column", "c1")})
    out = outcomes({"w": np.array([2.0, 3.0, 4.0])}, "nash")
    assert out["outcome"].tolist() == ["mixed"] * 3
    assert out["n_equilibria"].tolist() == [1, 1, 1] and not out["degenerate"].any()
    # The row player mixes 1/2-1/2 (column indifference); the column player leaves row
    # indifferent: w * left = 1 - left, so left = 1 / (1 + w).
    np.testing.assert_allclose(out["top"], 0.5, atol=1e-9)
    np.testing.assert_allclose(out["left"], 1 / (1 + np.array([2.0, 3.0, 4.0])), atol=1e-9)


def test_games_left_without_equilibria_fall_back_to_the_exact_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate a total numerical failure of the closed forms: no candidate survives.
    from deterrence.solvers import small_games

    real = small_games._vertices

    def nothing(*args):  # noqa: ANN002, ANN202
        z, mask, extra = real(*args)
        return z, np.zeros_like(mask), extra  # no candidate is a vertex

    battle = (np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0]]))
    pennies = (np.array([[1.0, -1.0], [-1.0, 1.0]]), np.array([[-1.0, 1.0], [1.0, -1.0]]))
    a, b = np.stack([battle[0], pennies[0]]), np.stack([battle[1], pennies[1]])
    honest = small_game_equilibria(a, b)
    monkeypatch.setattr(small_games, "_CLOSED_FORMS", False)  # 2x2 games: take the general kernel's path
    monkeypatch.setattr(small_games, "_vertices", nothing)
    result = small_game_equilibria(a, b)
    assert result.fallbacks == 2 and result.fallback.tolist() == [True, True]
    assert honest.fallbacks == 0
    np.testing.assert_array_equal(result.count, honest.count)  # 3 and 1, not 0 and 0
    assert not result.degenerate.any()
    for g in range(2):
        ours = sorted((tuple(np.round(x, 12)), tuple(np.round(y, 12))) for x, y in result.equilibria(g))
        ref = sorted((tuple(np.round(x, 12)), tuple(np.round(y, 12))) for x, y in honest.equilibria(g))
        assert ours == ref
    np.testing.assert_allclose(np.sort(result.row_payoff[0, :3]), [2 / 3, 1.0, 2.0])


def _float_bimatrix():  # noqa: ANN202
    """Integer payoffs in [-4, 4] as float arrays."""
    return integer_bimatrix(-4, 4).map(lambda ab: (ab[0].astype(float), ab[1].astype(float)))


SHIFTS = st.floats(-1e12, 1e12, allow_nan=False)
SCALES = st.floats(1e-3, 1e12, allow_nan=False)


def _same_small_game_outcome(base, moved) -> None:  # noqa: ANN001
    assert moved.count[0] == base.count[0]
    assert moved.degenerate[0] == base.degenerate[0]
    assert moved.fallbacks == base.fallbacks == 0
    np.testing.assert_allclose(moved.x[0], base.x[0], atol=1e-9)
    np.testing.assert_allclose(moved.y[0], base.y[0], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(_float_bimatrix(), SHIFTS)
def test_small_games_ignore_added_constants(game, shift: float) -> None:  # noqa: ANN001
    # Before: 181 of 851 nondegenerate games lost every equilibrium at 1e9.  (One constant for
    # both players: the default tolerance scales with the joint payoff range.)
    a, b = game
    shift = float(np.round(shift))  # integer payoffs stay exact below 2**53
    _same_small_game_outcome(small_game_equilibria(a, b), small_game_equilibria(a + shift, b + shift))


@settings(max_examples=60, deadline=None)
@given(_float_bimatrix(), SCALES)
def test_small_games_ignore_positive_scaling(game, scale: float) -> None:  # noqa: ANN001
    a, b = game
    _same_small_game_outcome(small_game_equilibria(a, b), small_game_equilibria(a * scale, b * scale))


@settings(max_examples=60, deadline=None)
@given(_float_bimatrix(), SHIFTS, SCALES)
def test_pure_mask_ignores_positive_affine_transforms(game, shift: float, scale: float) -> None:  # noqa: ANN001
    payoffs = np.stack(game, axis=-1)
    shifted = payoffs + float(np.round(shift))
    for strict in (False, True):
        base = pure_equilibria_mask(payoffs, strict=strict)
        np.testing.assert_array_equal(pure_equilibria_mask(shifted, strict=strict), base)
        np.testing.assert_array_equal(pure_equilibria_mask(payoffs * scale, strict=strict), base)


def _entry_tree() -> ExtensiveFormGame:
    fight = choice("Incumbent", "i2", {"fight": Terminal((0, 0)), "yield": Terminal((0, 0))})
    return ExtensiveFormGame(
        ["Entrant", "Incumbent"],
        choice(
            "Entrant",
            "e",
            {
                "out": Terminal((0, 0)),
                "in": choice("Incumbent", "i", {"fight": Terminal((0, 0)), "accommodate": Terminal((0, 0))}),
                "sneak": fight,
            },
        ),
    )


@settings(max_examples=60, deadline=None)
@given(arrays(np.int64, (5, 2), elements=st.integers(-3, 3)), SHIFTS, SCALES)
def test_spe_batch_ignores_positive_affine_transforms(points, shift: float, scale: float) -> None:  # noqa: ANN001
    tree = _entry_tree()
    payoffs = points.astype(float)[np.newaxis]
    base = spe_batch(tree, payoffs)
    for moved in (spe_batch(tree, payoffs + float(np.round(shift))), spe_batch(tree, payoffs * scale)):
        np.testing.assert_array_equal(moved.choices, base.choices)
        np.testing.assert_array_equal(moved.ties, base.ties)
        np.testing.assert_array_equal(moved.terminal, base.terminal)


# -- item 5: many tied actions --------------------------------------------------
N_TIES = 500


def _tie_tree(n: int) -> ExtensiveFormGame:
    return ExtensiveFormGame(["A", "B"], choice("A", "a", {f"a{k}": Terminal((1, 0)) for k in range(n)}))


def test_five_hundred_tied_actions_give_five_hundred_pure_equilibria() -> None:
    # Before: 73 s.  Every tied action is a (weak) pure equilibrium and all 500 are listed.
    result = solve(_tie_tree(N_TIES), "pure")
    assert len(result) == N_TIES and result.complete
    chosen = {next(a for a, p in eq.strategies["A"]["a"].items() if p == 1) for eq in result}
    assert chosen == {f"a{k}" for k in range(N_TIES)}
    assert all(any("weak" in note for note in eq.notes) for eq in result)


def test_tied_actions_are_all_nash_equilibria_of_the_tree() -> None:
    # The same tie through the exact bimatrix solver on the reduced normal form (the default for a
    # zero-sum tree is the sequence-form LP, which gives one equilibrium): every extreme equilibrium
    # is one pure action, in one component.  (N = 200: at N = 500 the enumeration takes seconds.)
    n = 200
    result = solve(_tie_tree(n), "nash", "reduced")
    assert len(result) == n and result.complete and result.degenerate
    chosen = {next(a for a, p in eq.strategies["A"]["a"].items() if p == 1) for eq in result}
    assert len(chosen) == n


def test_behaviour_of_tied_plans_indexes_the_support() -> None:
    reduced = reduced_normal_form(_tie_tree(N_TIES))
    zeros = [0] * N_TIES
    for k in range(N_TIES):
        plan = zeros.copy()
        plan[k] = 1
        beta = behaviour_from_mixed(reduced, [plan, [1]])
        assert beta["A"]["a"][f"a{k}"] == 1 and sum(beta["A"]["a"].values()) == 1
    uniform = behaviour_from_mixed(reduced, [[Fraction(1, N_TIES)] * N_TIES, [1]])
    assert set(uniform["A"]["a"].values()) == {Fraction(1, N_TIES)}


def test_behaviour_matches_kuhns_formula_on_a_mixed_profile() -> None:
    # A moves twice (perfect recall): beta(y | c) = mu(in/y) / mu(in/x or in/y) = (1/6) / (1/6 + 1/3).
    reduced = reduced_normal_form(two_step())
    assert reduced.game.strategies[0] == ("out", "in/x", "in/y")
    beta = behaviour_from_mixed(reduced, [[Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)], [1, 0]])
    assert beta["A"]["a"] == {"out": Fraction(1, 2), "in": Fraction(1, 2)}
    assert beta["A"]["c"] == {"x": Fraction(2, 3), "y": Fraction(1, 3)}


# -- item 9: float support enumeration with one huge payoff ---------------------
# Prisoner's Dilemma (Axelrod 1984: T=5, R=3, P=1, S=0) with the column player's payoff at the
# dominated cell (C, C) replaced by -1e15.  Defection is still dominant: (D, D) is the only equilibrium.
PD_ROW = [[3.0, 0.0], [5.0, 1.0]]
PD_COLUMN_HUGE = [[-1e15, 5.0], [0.0, 1.0]]


def test_support_method_lists_only_the_equilibrium_of_the_pd_with_a_huge_payoff() -> None:
    # Before: 3 profiles, (C, D) and (D, C) with regret 1, at a stated tolerance of 1e6.
    game = NormalFormGame.from_bimatrix(PD_ROW, PD_COLUMN_HUGE)
    result = solve(game, "nash", "support")
    assert len(result) == 1 and result.complete and not result.degenerate
    (eq,) = result
    assert eq.strategies[game.players[0]][game.strategies[0][1]] == 1.0
    assert eq.strategies[game.players[1]][game.strategies[1][1]] == 1.0
    assert result.tolerance <= 10 * FLOAT_TOLERANCE


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, (3, 3), elements=st.floats(-10, 10)),
    arrays(np.float64, (3, 3), elements=st.floats(-10, 10)),
    st.integers(0, 17),
)
def test_support_method_never_reports_regret_above_its_tolerance(a, b, cell: int) -> None:  # noqa: ANN001
    (a if cell < 9 else b)[divmod(cell % 9, 3)] = -1e15
    game = NormalFormGame.from_bimatrix(a.tolist(), b.tolist())
    result = solve(game, "nash", "support")
    payoffs = game.as_float()
    for eq in result:
        profile = [[eq.strategies[p][s] for s in labels] for p, labels in zip(game.players, game.strategies)]
        assert max(regrets(payoffs, profile)[1]) <= result.tolerance
