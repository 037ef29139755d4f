"""Tests for the batched small-game solver (deterrence.solvers.small_games).

References used as oracles, each independent of the code under test:
- nashpy's support enumeration (Knight & Campbell 2018) on nondegenerate games;
- an exact rational support enumeration written here with Fractions;
- a linear-programming test of degeneracy (scipy.optimize.linprog) straight
  from the definition: some mixed strategy with support size k has k + 1
  pure best responses (von Stengel 2007, Def. 3.2).
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from game_strategies import integer_bimatrix
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.errors import GameError
from deterrence.solvers.small_games import (
    SmallGameEquilibria,
    equilibria_at,
    small_game_equilibria,
)
from deterrence.solvers.verify import is_nash

SIZES = [
    pytest.param(2, 2, id="2x2"),
    pytest.param(3, 2, id="3x2"),
    pytest.param(2, 3, id="2x3"),
    pytest.param(3, 3, id="3x3"),
]


# -- independent oracles ------------------------------------------------------
def _solve_fraction(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gauss-Jordan elimination in exact arithmetic; None if singular."""
    size = len(rhs)
    rows = [list(r) + [b] for r, b in zip(matrix, rhs, strict=True)]
    for col in range(size):
        pivot = next((r for r in range(col, size) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(size):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def _indifferent(p, support, other):  # noqa: ANN001, ANN202
    """Mixture over ``other`` making the rows ``support`` of p indifferent: (probs, value)."""
    k = len(support)
    matrix = [[p[i][j] for j in other] + [Fraction(-1)] for i in support]
    matrix.append([Fraction(1)] * k + [Fraction(0)])
    solution = _solve_fraction(matrix, [Fraction(0)] * k + [Fraction(1)])
    return (None, None) if solution is None else (solution[:k], solution[k])


def exact_support_enumeration(a: np.ndarray, b: np.ndarray) -> list[tuple[tuple, tuple]]:
    """All equal-support equilibria of one game, exactly (complete if nondegenerate)."""
    m, n = a.shape
    A = [[Fraction(float(v)) for v in row] for row in a]
    Bt = [[Fraction(float(b[i, j])) for i in range(m)] for j in range(n)]
    found = []
    for k in range(1, min(m, n) + 1):
        for rows in combinations(range(m), k):
            for cols in combinations(range(n), k):
                yj, v = _indifferent(A, rows, cols)
                xi, u = _indifferent(Bt, cols, rows)
                if yj is None or xi is None or min(yj) < 0 or min(xi) < 0:
                    continue
                y = [Fraction(0)] * n
                x = [Fraction(0)] * m
                for j, q in zip(cols, yj, strict=True):
                    y[j] = q
                for i, q in zip(rows, xi, strict=True):
                    x[i] = q
                if max(sum(A[i][j] * y[j] for j in range(n)) for i in range(m)) != v:
                    continue
                if max(sum(Bt[j][i] * x[i] for i in range(m)) for j in range(n)) != u:
                    continue
                if (tuple(x), tuple(y)) not in found:
                    found.append((tuple(x), tuple(y)))
    return found


def degenerate_by_lp(a: np.ndarray, b: np.ndarray) -> bool:
    """Definition check: a mixture with support size k and k + 1 best responses exists."""
    from scipy.optimize import linprog

    def side(p: np.ndarray) -> bool:  # mixer over rows of p, responder gets p
        m, n = p.shape
        for k in range(1, m + 1):
            for support in combinations(range(m), k):
                for best in combinations(range(n), k + 1):
                    j0 = best[0]
                    diff = p[list(support)] - p[list(support), j0][:, None]  # (k, n)
                    a_eq = np.vstack([diff[:, list(best[1:])].T, np.ones((1, k))])
                    b_eq = np.r_[np.zeros(k), 1.0]
                    others = [c for c in range(n) if c not in best]
                    a_ub = diff[:, others].T if others else None
                    b_ub = np.zeros(len(others)) if others else None
                    res = linprog(
                        np.zeros(k),
                        A_ub=a_ub,
                        b_ub=b_ub,
                        A_eq=a_eq,
                        b_eq=b_eq,
                        bounds=(0, None),
                        method="highs",
                    )
                    if res.status == 0:
                        return True
        return False

    return side(np.asarray(b, float)) or side(np.asarray(a, float).T)


def _same_sets(ours: list, ref: list, atol: float = 1e-9) -> bool:
    def has(pairs, x, y):  # noqa: ANN001, ANN202
        return any(np.allclose(px, x, atol=atol, rtol=0) and np.allclose(py, y, atol=atol, rtol=0) for px, py in pairs)

    ref = [(np.array(x, float), np.array(y, float)) for x, y in ref]
    return len(ours) == len(ref) and all(has(ours, x, y) for x, y in ref)


# -- agreement with references ------------------------------------------------
@pytest.mark.parametrize(("m", "n"), SIZES)
def test_matches_nashpy_on_nondegenerate_integer_games(m: int, n: int) -> None:
    # nashpy 0.0.43 rejects indifference solutions with a round-off probability such as
    # -1e-17 (`all(prob >= 0)`) and so sometimes drops an equilibrium even in nondegenerate
    # integer games.  So: everything nashpy finds we find, and our list equals the exact
    # rational support enumeration, which is complete for nondegenerate games.  (Whether
    # the degeneracy flag itself is right is checked against the LP definition below.)
    nash = pytest.importorskip("nashpy")
    rng = np.random.default_rng(100 * m + n)
    a = rng.integers(-30, 31, size=(60, m, n)).astype(float)
    b = rng.integers(-30, 31, size=(60, m, n)).astype(float)
    result = small_game_equilibria(a, b)
    checked = agreed = 0
    for g in range(len(a)):
        if result.degenerate[g]:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = list(nash.Game(a[g], b[g]).support_enumeration())
        ours = result.equilibria(g)
        for rx, ry in reference:
            assert any(np.allclose(x, rx, atol=1e-9) and np.allclose(y, ry, atol=1e-9) for x, y in ours)
        assert _same_sets(ours, exact_support_enumeration(a[g], b[g])), g
        agreed += _same_sets(ours, reference)
        checked += 1
    assert checked >= 40  # the comparison must not pass vacuously
    assert agreed >= checked // 2


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_matches_exact_support_enumeration_on_random_float_games(m: int, n: int) -> None:
    rng = np.random.default_rng(7 + m * n)
    a = rng.normal(size=(50, m, n))
    b = rng.normal(size=(50, m, n))
    result = small_game_equilibria(a, b)
    assert not result.degenerate.any()  # random real games are nondegenerate almost surely
    for g in range(len(a)):
        assert _same_sets(result.equilibria(g), exact_support_enumeration(a[g], b[g])), g
    # Nondegenerate games have an odd number of equilibria (Shapley 1974).
    assert (result.count % 2 == 1).all()


def test_finds_equilibrium_that_nashpy_drops_to_round_off() -> None:
    # nashpy 0.0.43 rejects candidates with probabilities of -1e-17 and compares payoffs with
    # ==, so on this random game it lists 2 of the 3 equilibria (and warns "degenerate").
    a = np.array([[-1.00961818, -0.20917557], [-0.15922501, 0.54084558], [0.21465912, 0.35537271]])
    b = np.array([[-0.55400335, 0.56492343], [-0.98888101, 0.06238014], [0.92932595, -0.67686447]])
    result = small_game_equilibria(a, b)
    exact = exact_support_enumeration(a, b)
    assert len(exact) == 3 and result.count[0] == 3 and not result.degenerate[0]
    assert _same_sets(result.equilibria(0), exact)


# -- properties ---------------------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(integer_bimatrix())
def test_every_listed_profile_is_a_mutual_best_response(game) -> None:  # noqa: ANN001
    a, b = (np.asarray(v, float) for v in game)
    result = small_game_equilibria(a, b)
    payoffs = np.stack([a, b], axis=-1)
    for x, y in result.equilibria(0):
        assert abs(x.sum() - 1) < 1e-12 and abs(y.sum() - 1) < 1e-12
        assert (x >= 0).all() and (y >= 0).all()
        assert is_nash(payoffs, [x, y], tolerance=1e-9)
    # Every pure equilibrium is listed, degenerate or not.
    pure = [
        (i, j)
        for i in range(a.shape[0])
        for j in range(a.shape[1])
        if a[i, j] == a[:, j].max() and b[i, j] == b[i].max()
    ]
    listed = {(int(x.argmax()), int(y.argmax())) for x, y in result.equilibria(0) if x.max() == 1 and y.max() == 1}
    assert listed == set(pure)


@settings(max_examples=50, deadline=None)
@given(integer_bimatrix())
def test_degeneracy_flag_matches_definition(game) -> None:  # noqa: ANN001
    a, b = (np.asarray(v, float) for v in game)
    result = small_game_equilibria(a, b)
    assert bool(result.degenerate[0]) == degenerate_by_lp(a, b)
    if not result.degenerate[0]:
        assert _same_sets(result.equilibria(0), exact_support_enumeration(a, b))
        assert result.count[0] % 2 == 1


@settings(max_examples=30, deadline=None)
@given(integer_bimatrix(), st.floats(0.1, 100), st.floats(-50, 50), st.floats(0.1, 100))
def test_invariant_under_positive_affine_transforms(game, scale_a, shift, scale_b) -> None:  # noqa: ANN001
    a, b = (np.asarray(v, float) for v in game)
    base = small_game_equilibria(a, b)
    moved = small_game_equilibria(scale_a * a + shift, scale_b * b - shift)
    assert base.degenerate[0] == moved.degenerate[0]
    if not base.degenerate[0]:
        assert _same_sets(moved.equilibria(0), base.equilibria(0), atol=1e-7)


# -- closed forms -------------------------------------------------------------
@pytest.mark.parametrize(
    ("win", "lose", "swerve", "crash"),
    [
        pytest.param(1.0, -1.0, 0.0, -10.0, id="textbook"),
        pytest.param(5.0, 1.0, 3.0, 0.0, id="positive"),
        pytest.param(2.0, -1.0, 0.0, -2.0, id="mild-crash"),
        pytest.param(10.0, -4.0, 2.5, -100.0, id="costly-crash"),
    ],
)
def test_chicken_mixed_equilibrium_matches_closed_form(win, lose, swerve, crash) -> None:  # noqa: ANN001
    # Strategies (swerve, stand firm); LITERATURE.md §2.4, Snyder & Diesing (1977).
    a = np.array([[swerve, lose], [win, crash]])
    result = small_game_equilibria(a, a.T)
    firm = (win - swerve) / ((win - swerve) + (lose - crash))
    assert result.count[0] == 3 and not result.degenerate[0]
    mixed = [(x, y) for x, y in result.equilibria(0) if 0 < x[1] < 1]
    assert len(mixed) == 1
    x, y = mixed[0]
    assert x[1] == pytest.approx(firm, abs=1e-12) and y[1] == pytest.approx(firm, abs=1e-12)
    pure = sorted((int(x.argmax()), int(y.argmax())) for x, y in result.equilibria(0) if x.max() == 1)
    assert pure == [(0, 1), (1, 0)]


def test_chicken_firmness_falls_as_crash_cost_rises_in_one_batch() -> None:
    crash = -np.linspace(2, 50, 200)
    a = np.zeros((200, 2, 2))
    a[:, 0, 1], a[:, 1, 0], a[:, 1, 1] = -1.0, 1.0, crash
    result = small_game_equilibria(a, a.transpose(0, 2, 1))
    assert (result.count == 3).all()
    firm = result.x[:, 2, 1]  # the mixed equilibrium comes after the two pure ones
    np.testing.assert_allclose(firm, 1.0 / (1.0 + (-1.0 - crash)), atol=1e-12)
    assert (np.diff(firm) < 0).all()


# -- degenerate games ---------------------------------------------------------
def test_degenerate_example_of_von_stengel_is_flagged() -> None:
    # von Stengel (2007), Fig. 3.x style: the top row has two best responses for the column
    # player, and the equilibria (top, y) with y_1 in [2/3, 1] form a segment.
    a = np.array([[3.0, 3.0], [2.0, 5.0], [0.0, 6.0]])
    b = np.array([[3.0, 3.0], [2.0, 6.0], [3.0, 1.0]])
    result = small_game_equilibria(a, b)
    assert result.degenerate[0]
    expected_subset = [
        ((1, 0, 0), (1, 0)),
        ((0, Fraction(1, 3), Fraction(2, 3)), (Fraction(1, 3), Fraction(2, 3))),
    ]
    listed = result.equilibria(0)
    for x, y in expected_subset:
        assert any(np.allclose(lx, np.array(x, float)) and np.allclose(ly, np.array(y, float)) for lx, ly in listed)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param([[0, 0], [0, 0]], [[0, 0], [0, 0]], id="all-ties"),
        pytest.param([[1, 0], [0, 1]], [[2, 2], [1, 3]], id="two-best-responses-to-a-row"),
        # x = (1/2, 1/2, 0) leaves the column player indifferent among all three columns:
        # a support of size 2 with 3 best responses, invisible at pure strategies.
        pytest.param(
            [[1, 4, 2], [3, 0, 5], [2, 2, 1]],
            [[0, 1, 2], [2, 1, 0], [0, 0, 3]],
            id="interior-three-way-tie",
        ),
        pytest.param([[1, 1, 0], [0, 0, 1]], [[1, 1, 0], [0, 0, 1]], id="duplicate-columns"),
    ],
)
def test_degenerate_games_are_flagged(a, b) -> None:  # noqa: ANN001
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert degenerate_by_lp(a, b)
    result = small_game_equilibria(a, b)
    assert result.degenerate[0]
    payoffs = np.stack([a, b], axis=-1)
    assert all(is_nash(payoffs, [x, y]) for x, y in result.equilibria(0))
    # No equilibrium is listed twice, even when several support pairs produce it.
    points = [np.r_[x, y] for x, y in result.equilibria(0)]
    assert all(not np.allclose(p, q) for i, p in enumerate(points) for q in points[:i])


def test_interior_tie_game_has_no_pure_best_response_ties() -> None:
    # Guard for the case above: the degeneracy is only visible at a mixed strategy.
    b = np.array([[0, 1, 2], [2, 1, 0], [0, 0, 3]], float)
    a = np.array([[1, 4, 2], [3, 0, 5], [2, 2, 1]], float)
    assert all((row == row.max()).sum() == 1 for row in b)
    assert all((col == col.max()).sum() == 1 for col in a.T)


def test_singular_system_in_a_nondegenerate_game_is_not_flagged() -> None:
    # Row 1 = row 2 + 1 for the row player: the 2x2 indifference system is singular, yet the
    # game is nondegenerate with the unique equilibrium (r1, c2).
    a = np.array([[3.0, 1.0], [2.0, 0.0]])
    b = np.array([[0.0, 1.0], [1.0, 0.0]])
    result = small_game_equilibria(a, b)
    assert not result.degenerate[0] and result.count[0] == 1
    x, y = result.equilibria(0)[0]
    assert x.tolist() == [1.0, 0.0] and y.tolist() == [0.0, 1.0]


def test_tolerance_widens_what_counts_as_a_tie() -> None:
    # Against the top row the column player's payoffs differ by 1e-6: a tie only at 1e-5.
    a = np.array([[2.0, 0.0], [0.0, 1.0]])
    b = np.array([[1.0, 1.0 + 1e-6], [0.0, 1.0]])
    assert not small_game_equilibria(a, b).degenerate[0]
    assert small_game_equilibria(a, b, tolerance=1e-5).degenerate[0]


# -- batching and the result object -------------------------------------------
def _same_game(batch: SmallGameEquilibria, g: int, single: SmallGameEquilibria, h: int = 0) -> None:
    """Game ``g`` of ``batch`` and game ``h`` of ``single``: the same list, flags and values, slot by slot."""
    assert batch.count[g] == single.count[h] and batch.degenerate[g] == single.degenerate[h]
    k = int(single.count[h])
    assert batch.valid[g, :k].all() and not batch.valid[g, k:].any()
    for name in ("x", "y", "row_payoff", "column_payoff", "regret"):
        np.testing.assert_array_equal(getattr(batch, name)[g, :k], getattr(single, name)[h, :k])
        assert np.isnan(getattr(batch, name)[g, k:]).all()  # padding slots hold NaN
    assert batch.tolerance[g] == single.tolerance[h] and batch.fallback[g] == single.fallback[h]


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_batch_equals_loop_over_single_games(m: int, n: int) -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(-2, 3, size=(40, m, n)).astype(float)  # many degenerate games too
    b = rng.normal(size=(40, m, n))
    batch = small_game_equilibria(a, b)
    for g in range(len(a)):
        _same_game(batch, g, small_game_equilibria(a[g : g + 1], b[g : g + 1]))
    # K is the largest number of equilibria of any game in the batch.
    assert batch.valid.shape == (40, int(batch.count.max()))


def test_result_layout_and_accessors() -> None:
    a = np.array([[[1, -1], [-1, 1]], [[3, 0], [5, 1]]], float)
    b = np.array([[[-1, 1], [1, -1]], [[3, 5], [0, 1]]], float)
    result = small_game_equilibria(a, b)
    assert isinstance(result, SmallGameEquilibria) and len(result) == 2
    assert result.count.tolist() == [1, 1]
    assert result.valid.shape == (2, 1) and result.valid.all()  # one slot: no game has more
    assert result.row_payoff[0, 0] == pytest.approx(0.0) and result.row_payoff[1, 0] == 1.0
    ((x, y),) = equilibria_at(result, 1)
    assert x.tolist() == [0.0, 1.0] and y.tolist() == [0.0, 1.0]
    with pytest.raises(ValueError):
        result.x[0, 0, 0] = 0.5  # read-only


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(np.zeros((2, 2)), np.zeros((2, 3)), id="shape-mismatch"),
        pytest.param(np.zeros((1, 5, 2)), np.zeros((1, 5, 2)), id="too-large"),
        pytest.param(np.full((2, 2), np.nan), np.zeros((2, 2)), id="nan"),
    ],
)
def test_bad_input_raises(a, b) -> None:  # noqa: ANN001
    with pytest.raises(GameError):
        small_game_equilibria(a, b)


def test_chunked_batches_equal_single_games(monkeypatch: pytest.MonkeyPatch) -> None:
    # Large batches are solved in chunks; force tiny chunks so the seams are exercised.
    from deterrence.solvers import small_games

    monkeypatch.setattr(small_games, "_CHUNK", 7)
    rng = np.random.default_rng(12)
    a = rng.integers(-2, 3, size=(30, 3, 3)).astype(float)
    b = rng.normal(size=(30, 3, 3))
    batch = small_game_equilibria(a, b)
    assert batch.x.shape == (30, int(batch.count.max()), 3) and not batch.x.flags.writeable
    for g in (0, 6, 7, 8, 13, 14, 29):
        _same_game(batch, g, small_game_equilibria(a[g], b[g]))


# -- the same sets as the exact per-point solver ------------------------------------------------
def _exact_sets(a: np.ndarray, b: np.ndarray) -> tuple[bool, list[tuple[np.ndarray, np.ndarray]]]:
    """Degeneracy and extreme equilibria of one game by exact vertex enumeration (Fractions)."""
    from deterrence.solvers.enumeration import enumerate_equilibria

    found = enumerate_equilibria(
        [[Fraction(float(v)) for v in row] for row in a], [[Fraction(float(v)) for v in row] for row in b]
    )
    return bool(found.degenerate), [(np.array(x, float), np.array(y, float)) for x, y in found.equilibria]


@pytest.mark.parametrize(("m", "n"), SIZES)
@pytest.mark.parametrize("kind", ["ties", "normal"])
def test_equilibrium_sets_equal_the_exact_solver(m: int, n: int, kind: str) -> None:
    # Payoffs in {0, 1, 2} make most games degenerate (ties everywhere): there the batched
    # kernel must list exactly the extreme equilibria the exact vertex enumeration lists.
    rng = np.random.default_rng(40 + 10 * m + n)
    if kind == "ties":
        a, b = (rng.integers(0, 3, size=(150, m, n)).astype(float) for _ in range(2))
    else:
        a, b = rng.normal(size=(150, m, n)), rng.normal(size=(150, m, n))
    result = small_game_equilibria(a, b)
    assert result.fallbacks == 0  # the batched pass itself found them
    degenerate = 0
    for g in range(len(a)):
        flag, exact = _exact_sets(a[g], b[g])
        assert bool(result.degenerate[g]) == flag, g
        assert _same_sets(result.equilibria(g), exact), g
        degenerate += flag
    if kind == "ties":
        assert degenerate >= 100  # the degenerate branch was exercised
    else:
        assert degenerate == 0


def test_degenerate_segment_lists_both_ends() -> None:
    # Against r1 the column player is indifferent; r1 stays a best reply while y_1 <= 1/2, so
    # the component {r1} x [c2, (1/2, 1/2)] has two extreme equilibria, and nothing else.
    result = small_game_equilibria([[1, 1], [2, 0]], [[1, 1], [0, 2]])
    assert result.degenerate[0] and result.count[0] == 2 and result.fallbacks == 0
    assert _same_sets(result.equilibria(0), [((1, 0), (0, 1)), ((1, 0), (0.5, 0.5))])


def test_all_zero_game_lists_every_pure_profile() -> None:
    # Every profile is an equilibrium; the extreme ones are the 3 x 2 pure profiles.
    result = small_game_equilibria(np.zeros((3, 2)), np.zeros((3, 2)))
    assert result.degenerate[0] and result.count[0] == 6
    assert {(int(x.argmax()), int(y.argmax())) for x, y in result.equilibria(0)} == {
        (i, j) for i in range(3) for j in range(2)
    }


@pytest.mark.parametrize(("m", "n"), [(1, 3), (3, 1), (4, 2), (2, 4), (4, 4)])
def test_other_sizes_equal_the_exact_solver_on_ties(m: int, n: int) -> None:
    # 4x4 has 3249 candidate pairs, more than a uint8 counts: the pair indices must not wrap.
    rng = np.random.default_rng(70 + 10 * m + n)
    a, b = (rng.integers(0, 3, size=(40, m, n)).astype(float) for _ in range(2))
    result = small_game_equilibria(a, b)
    for g in range(len(a)):
        flag, exact = _exact_sets(a[g], b[g])
        assert bool(result.degenerate[g]) == flag and _same_sets(result.equilibria(g), exact), g
