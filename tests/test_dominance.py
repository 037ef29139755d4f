"""Tests for iterated elimination of dominated strategies (deterrence.solvers.dominance)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from game_strategies import integer_bimatrix
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence import NormalFormGame
from deterrence.errors import SolverError
from deterrence.solvers.dominance import DominanceResult, Elimination, eliminate_dominated


def _pd(kind=int):  # noqa: ANN001, ANN202
    return NormalFormGame(
        ["Row", "Col"],
        [["C", "D"], ["C", "D"]],
        [[[kind(3), kind(3)], [kind(0), kind(5)]], [[kind(5), kind(0)], [kind(1), kind(1)]]],
    )


@pytest.mark.parametrize("kind", [pytest.param(int, id="exact"), pytest.param(float, id="float")])
def test_prisoners_dilemma_is_dominance_solvable(kind) -> None:  # noqa: ANN001
    result = eliminate_dominated(_pd(kind))
    assert isinstance(result, DominanceResult)
    assert result.solvable and result.reduced.strategies == (("D",), ("D",))
    assert result.eliminations == (Elimination("Row", "C", "D"), Elimination("Col", "C", "D"))
    assert result.kept == ((1,), (1,)) and result.exact == (kind is int)


# Row r3 = (1, 1, 1) is beaten in every column by 1/2 r1 + 1/2 r2 = (3/2, 3/2, 2) but by
# neither r1 nor r2 alone; once r3 is gone, column c3 = (0, 0) is beaten by 1/2 c1 + 1/2 c2.
MIXED_ONLY_A = [[3, 0, 2], [0, 3, 2], [1, 1, 1]]
MIXED_ONLY_B = [[1, 0, 0], [0, 1, 0], [0, 0, 2]]


@pytest.mark.parametrize("kind", [pytest.param(int, id="exact"), pytest.param(float, id="float")])
def test_strategy_dominated_only_by_a_mixture(kind) -> None:  # noqa: ANN001
    a = [[kind(v) for v in row] for row in MIXED_ONLY_A]
    b = [[kind(v) for v in row] for row in MIXED_ONLY_B]
    game = NormalFormGame.from_bimatrix(a, b)
    without = eliminate_dominated(game, mixed=False)
    assert without.eliminations == () and without.reduced.shape == (3, 3)
    result = eliminate_dominated(game)
    assert [(e.player, e.strategy) for e in result.eliminations] == [
        ("Row", "r3"),
        ("Column", "c3"),
    ]
    assert result.reduced.strategies == (("r1", "r2"), ("c1", "c2")) and not result.solvable
    if kind is int:
        assert result.eliminations[0].dominated_by == "1/2 r1 + 1/2 r2"
        assert result.witnesses[0] == {"r1": Fraction(1, 2), "r2": Fraction(1, 2)}
    else:
        assert result.eliminations[0].dominated_by == "0.5 r1 + 0.5 r2"
        assert result.witnesses[0]["r1"] == pytest.approx(0.5)


def test_weak_elimination_on_the_entry_game() -> None:
    # Selten (1978) chain-store stage game in normal form: Fight is weakly dominated by
    # Accommodate; removing it leaves In better than Out, the subgame-perfect outcome.
    game = NormalFormGame(
        ["Entrant", "Incumbent"],
        [["Out", "In"], ["Fight", "Accommodate"]],
        [[[0, 2], [0, 2]], [[-1, -1], [1, 1]]],
    )
    strict = eliminate_dominated(game)
    assert strict.eliminations == () and not strict.solvable
    weak = eliminate_dominated(game, weak=True)
    assert weak.eliminations == (
        Elimination("Incumbent", "Fight", "Accommodate"),
        Elimination("Entrant", "Out", "In"),
    )
    assert weak.solvable and weak.reduced.strategies == (("In",), ("Accommodate",))


def test_weak_elimination_depends_on_order_and_records_it() -> None:
    # T is weakly dominated by M.  After T goes, the row player's B and the column player's L
    # are both weakly dominated; which goes first decides what survives.
    rows = [[[1, 1], [0, 0]], [[1, 1], [2, 1]], [[0, 0], [2, 1]]]
    row_first = NormalFormGame(["Row", "Column"], [["T", "M", "B"], ["L", "R"]], rows)
    swapped = NormalFormGame(
        ["Column", "Row"],
        [["L", "R"], ["T", "M", "B"]],
        np.transpose(np.array(rows, dtype=object), (1, 0, 2))[..., ::-1],
    )
    a = eliminate_dominated(row_first, weak=True)
    b = eliminate_dominated(swapped, weak=True)
    assert [(e.player, e.strategy) for e in a.eliminations] == [("Row", "T"), ("Row", "B")]
    assert a.reduced.strategies == (("M",), ("L", "R"))
    assert [(e.player, e.strategy) for e in b.eliminations] == [("Row", "T"), ("Column", "L")]
    assert b.reduced.strategies == (("R",), ("M", "B"))
    # Strict elimination removes nothing in either labelling.
    assert eliminate_dominated(row_first).eliminations == eliminate_dominated(swapped).eliminations == ()


# -- exactness ----------------------------------------------------------------
TINY = Fraction(1, 10**20)


def test_exact_pure_domination_by_a_tiny_margin() -> None:
    a = [[Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 3) + TINY, Fraction(2, 3) + TINY]]
    exact = eliminate_dominated(NormalFormGame.from_bimatrix(a, [[0, 0], [0, 0]]))
    assert [e.strategy for e in exact.eliminations] == ["r1"]
    # The same game in floats cannot see the margin: no domination is claimed.
    floats = NormalFormGame.from_bimatrix([[float(v) for v in r] for r in a], [[0.0, 0.0], [0.0, 0.0]])
    assert eliminate_dominated(floats).eliminations == ()


@pytest.mark.parametrize(
    ("third_row", "strict", "weak"),
    [
        pytest.param((Fraction(3, 2), Fraction(3, 2)), False, False, id="exact-tie-with-mixture"),
        pytest.param((Fraction(3, 2) - TINY, Fraction(3, 2) - TINY), True, True, id="tiny-margin"),
        # Strictly dominated only by p*r1 + (1-p)*r2 with 1/2 < p < 1/2 + TINY/3.
        pytest.param((Fraction(3, 2), Fraction(3, 2) - TINY), True, True, id="narrow-window"),
        pytest.param((Fraction(3, 2), Fraction(3, 2) + TINY), False, False, id="tiny-excess"),
    ],
)
def test_exact_mixed_domination(third_row, strict, weak) -> None:  # noqa: ANN001
    a = [[3, 0], [0, 3], list(third_row)]
    game = NormalFormGame.from_bimatrix(a, [[0, 0], [0, 0], [0, 0]])
    for flag, expected in ((False, strict), (True, weak)):
        result = eliminate_dominated(game, weak=flag)
        removed = [e.strategy for e in result.eliminations if e.player == "Row"]
        assert removed == (["r3"] if expected else [])
        if expected:
            witness = result.witnesses[0]
            assert sum(witness.values()) == 1 and all(isinstance(w, Fraction) for w in witness.values())
            mix = [witness.get("r1", 0) * 3, witness.get("r2", 0) * 3]
            if flag:
                assert all(m >= t for m, t in zip(mix, third_row, strict=True)) and mix != list(third_row)
            else:
                assert all(m > t for m, t in zip(mix, third_row, strict=True))


def test_three_player_game_mixed_domination() -> None:
    # Player 3's C = (1, 1, 1, 1) over the four opponent profiles is beaten by 1/2 A + 1/2 B,
    # where A = (3, 0, 3, 0) and B = (0, 3, 0, 3); players 1 and 2 are indifferent throughout.
    third = {"A": [3, 0, 3, 0], "B": [0, 3, 0, 3], "C": [1, 1, 1, 1]}
    payoffs = np.zeros((2, 2, 3, 3), dtype=object)
    for k, label in enumerate("ABC"):
        payoffs[:, :, k, 2] = np.array(third[label], dtype=object).reshape(2, 2)
    game = NormalFormGame(["P1", "P2", "P3"], [["a", "b"], ["c", "d"], ["A", "B", "C"]], payoffs)
    assert eliminate_dominated(game, mixed=False).eliminations == ()
    result = eliminate_dominated(game)
    assert result.eliminations == (Elimination("P3", "C", "1/2 A + 1/2 B"),)
    assert result.reduced.shape == (2, 2, 2)


def test_three_player_pure_dominance_solvable() -> None:
    # Each player gets 1 for playing "hi" whatever the others do, plus what the others play.
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    for profile in np.ndindex(2, 2, 2):
        for i in range(3):
            payoffs[profile + (i,)] = 2 * profile[i] + sum(profile) - profile[i]
    game = NormalFormGame(["A", "B", "C"], [["lo", "hi"]] * 3, payoffs)
    result = eliminate_dominated(game, mixed=False)
    assert result.solvable and result.reduced.strategies == (("hi",),) * 3
    assert [e.player for e in result.eliminations] == ["A", "B", "C"]


def test_symbolic_game_is_refused() -> None:
    import sympy

    c = sympy.Symbol("c")
    game = NormalFormGame.from_bimatrix([[c, 0], [1, 1]], [[0, 0], [0, 0]])
    with pytest.raises(SolverError):
        eliminate_dominated(game)


def test_to_dict_lists_witnesses_as_exact_strings() -> None:
    game = NormalFormGame.from_bimatrix(MIXED_ONLY_A, MIXED_ONLY_B)
    data = eliminate_dominated(game).to_dict()
    assert data["concept"] == "strict-dominance" and data["exact"] is True
    assert data["eliminations"][0]["witness"] == {"r1": "1/2", "r2": "1/2"}
    assert data["surviving"] == {"Row": ["r1", "r2"], "Column": ["c1", "c2"]}


# -- properties ---------------------------------------------------------------
def _check_witnesses(game: NormalFormGame, result: DominanceResult) -> None:
    """Replay the eliminations and check each witness exactly against the game at that step."""
    kept = [list(s) for s in game.strategies]
    for step, witness in zip(result.eliminations, result.witnesses, strict=True):
        i = game.players.index(step.player)
        block = game.payoffs[np.ix_(*[[game.strategies[p].index(s) for s in kept[p]] for p in range(2)], [i])][..., 0]
        u = np.moveaxis(block, i, 0)
        row = {label: u[k] for k, label in enumerate(kept[i])}
        mix = sum(w * row[label] for label, w in witness.items())
        diff = mix - row[step.strategy]
        if result.weak:
            assert all(d >= 0 for d in diff) and any(d > 0 for d in diff)
        else:
            assert all(d > 0 for d in diff)
        assert sum(witness.values()) == 1 and step.strategy not in witness
        kept[i].remove(step.strategy)
    assert tuple(tuple(k) for k in kept) == result.reduced.strategies


@settings(max_examples=40, deadline=None)
@given(integer_bimatrix(), st.booleans())
def test_witnesses_are_exact_and_pure_equilibria_survive(game_arrays, weak) -> None:  # noqa: ANN001
    a, b = (np.asarray(v).astype(object) for v in game_arrays)
    game = NormalFormGame.from_bimatrix(a, b)
    result = eliminate_dominated(game, weak=weak)
    _check_witnesses(game, result)
    if not weak:  # strictly dominated strategies are never played in a Nash equilibrium
        fa, fb = np.asarray(a, float), np.asarray(b, float)
        for i, j in np.ndindex(fa.shape):
            if fa[i, j] == fa[:, j].max() and fb[i, j] == fb[i].max():
                assert i in result.kept[0] and j in result.kept[1]


@settings(max_examples=25, deadline=None)
@given(integer_bimatrix(), st.randoms(use_true_random=False))
def test_strict_elimination_is_order_independent(game_arrays, rnd) -> None:  # noqa: ANN001
    # Gilboa, Kalai & Zemel (1990): relabelling strategies in another order leaves the same
    # surviving strategies.
    a, b = (np.asarray(v).astype(object) for v in game_arrays)
    game = NormalFormGame.from_bimatrix(a, b)
    perm_r = rnd.sample(range(a.shape[0]), a.shape[0])
    perm_c = rnd.sample(range(a.shape[1]), a.shape[1])
    shuffled = game.restrict([perm_r, perm_c])
    left = eliminate_dominated(game).reduced.strategies
    right = eliminate_dominated(shuffled).reduced.strategies
    assert [sorted(s) for s in left] == [sorted(s) for s in right]


def _best_response_margin(u: np.ndarray, r: int) -> float:
    """Max over beliefs q of min_s (uq)_r - (uq)_s; >= 0 iff r is a best response to some q."""
    from scipy.optimize import linprog

    rows, cols = u.shape
    # Variables (q_1..q_cols, t): maximise t s.t. t - (u[r] - u[s]) @ q <= 0 for every s.
    res = linprog(
        np.r_[np.zeros(cols), -1.0],
        A_ub=np.c_[-(u[r] - u), np.ones(rows)],
        b_ub=np.zeros(rows),
        A_eq=np.r_[np.ones(cols), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * cols + [(None, None)],
        method="highs",
    )
    return -float(res.fun)


@settings(max_examples=30, deadline=None)
@given(integer_bimatrix())
def test_survivors_are_best_responses_to_some_belief(game_arrays) -> None:  # noqa: ANN001
    # Pearce (1984): in a two-player game a strategy is strictly dominated by a mixture iff it
    # is never a best response.  So after iterated strict elimination every surviving strategy
    # must be a best response to some belief about the opponent's surviving strategies.
    a, b = (np.asarray(v).astype(object) for v in game_arrays)
    result = eliminate_dominated(NormalFormGame.from_bimatrix(a, b))
    rows, cols = (list(k) for k in result.kept)
    fa = np.asarray(a, float)[np.ix_(rows, cols)]
    fb = np.asarray(b, float)[np.ix_(rows, cols)].T
    for u in (fa, fb):
        for r in range(u.shape[0]):
            assert _best_response_margin(u, r) >= -1e-9


def test_weak_elimination_solves_the_surviving_game_not_the_original():
    # Row's Down is weakly dominated by Up; (Down, Left) is a Nash equilibrium of the full game
    # that weak elimination removes, so "iesds-weak" must not list it (it did when the inner
    # solve ran on the original game).
    from deterrence import solve

    game = NormalFormGame.from_bimatrix([[1, 1], [1, 0]], [[1, 1], [1, 1]])
    weak = solve(game, "dominance", "iesds-weak")
    assert weak.equilibria and all(e.strategies["Row"][game.strategies[0][1]] == 0 for e in weak.equilibria)
    assert not weak.complete
    full = solve(game, "nash")
    assert any(e.strategies["Row"][game.strategies[0][1]] == 1 for e in full.equilibria)


# -- issue 9: small degenerate games that hung sympy's exact simplex ------------
def _hung_games(count: int):  # noqa: ANN202
    rng = np.random.default_rng(20261201)
    for _ in range(count):
        m, n = int(rng.integers(2, 8)), int(rng.integers(3, 6))
        yield NormalFormGame.from_bimatrix(rng.integers(0, 3, (m, n)).tolist(), rng.integers(0, 3, (m, n)).tolist())


def _replay_certificates(result: DominanceResult) -> int:
    """Check every elimination's witness exactly in the game as it stood; return how many were mixed."""
    game, weak = result.game, result.weak
    payoffs = np.asarray(game.payoffs, dtype=object)
    kept = [list(s) for s in game.strategies]
    mixed = 0
    for elimination, witness in zip(result.eliminations, result.witnesses, strict=True):
        i = game.players.index(elimination.player)
        assert all(isinstance(w, Fraction) and w > 0 for w in witness.values()) and sum(witness.values()) == 1
        assert elimination.strategy not in witness
        index = [[game.strategies[p].index(s) for s in kept[p]] for p in range(game.n_players)]
        block = np.moveaxis(payoffs[np.ix_(*index, [i])][..., 0], i, 0).reshape(len(kept[i]), -1)
        row = block[kept[i].index(elimination.strategy)]
        mix = sum(w * block[kept[i].index(label)] for label, w in witness.items())
        diff = mix - row
        assert all(d >= 0 for d in diff) and any(d > 0 for d in diff) if weak else all(d > 0 for d in diff)
        mixed += len(witness) > 1
        kept[i].remove(elimination.strategy)
    assert [list(s) for s in result.reduced.strategies] == kept
    return mixed


def test_small_degenerate_games_return_and_every_certificate_checks_exactly(monkeypatch) -> None:
    import sys

    # sympy's exact simplex cycled on these games; it must never be needed.
    monkeypatch.setitem(sys.modules, "sympy.solvers.simplex", None)
    mixed = strict_removed = 0
    for k, game in enumerate(_hung_games(200)):
        strict = eliminate_dominated(game)
        mixed += _replay_certificates(strict)
        strict_removed += len(strict.eliminations)
        if k < 60:
            _replay_certificates(eliminate_dominated(game, weak=True))
    # The sample exercises mixed dominators, not only pure ones (the LP path is what used to hang).
    assert mixed >= 5 and strict_removed >= 100


def test_strict_elimination_of_the_degenerate_games_is_order_independent() -> None:
    # Gilboa, Kalai and Zemel (1990): the strict survivors do not depend on the order, so transposing
    # the game (the column player is scanned first) leaves the same strategies.
    for game in _hung_games(40):
        a, b = game.bimatrix()
        swapped = NormalFormGame.from_bimatrix(np.asarray(b).T.tolist(), np.asarray(a).T.tolist())
        left, right = eliminate_dominated(game), eliminate_dominated(swapped)
        assert left.kept == right.kept[::-1]
