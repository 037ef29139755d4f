"""Tests for deterrence.solvers.spe: exact backward induction and the batched solver."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import count

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from trees import absent_minded_driver, entry_game, outside_option_bos

from deterrence import Chance, ExtensiveFormGame, GameError, SolverError, Terminal, choice, solve
from deterrence.forms.compiled_tree import compile_tree
from deterrence.forms.extensive_form import Decision, Node
from deterrence.forms.reduced_form import reduced_normal_form
from deterrence.forms.subgames import subgame_regrets
from deterrence.solvers.spe import subgame_perfect_equilibria
from deterrence.solvers.spe_batch import path_labels, spe_batch
from deterrence.solvers.verify import is_nash


def pure(result, player, infoset):
    """The action a (pure) equilibrium strategy plays at one set."""
    (action,) = [a for a, p in result.strategies[player][infoset].items() if p == 1]
    return action


def outcome(eq) -> dict[str, str]:
    return {p: {s: max(t, key=t.get) for s, t in sets.items()} for p, sets in eq.strategies.items()}


# -- exact solver: named games ------------------------------------------------
def test_entry_game_unique_spe_is_in_accommodate():
    result = subgame_perfect_equilibria(entry_game())
    assert result.method == "backward-induction"
    wrapped = solve(entry_game(), "spe")
    assert wrapped.concept == "spe" and wrapped.method == "backward-induction" and len(wrapped) == 1
    assert len(result) == 1 and result.complete and result.degenerate is None
    (spe,) = result
    assert pure(spe, "Entrant", "e") == "in" and pure(spe, "Incumbent", "i") == "accommodate"
    assert spe.payoffs == {"Entrant": 1, "Incumbent": 1} and spe.exact
    # (out, fight) is a Nash equilibrium of the reduced normal form but not subgame perfect.
    rf = reduced_normal_form(entry_game())
    assert is_nash(rf.game.payoffs, [[1, 0], [1, 0]]) and is_nash(rf.game.payoffs, [[0, 1], [0, 1]])
    threat = {
        "Entrant": {"e": {"out": 1, "in": 0}},
        "Incumbent": {"i": {"fight": 1, "accommodate": 0}},
    }
    assert subgame_regrets(entry_game(), threat)[("in",)][1] == 2


def test_three_player_perfect_information_spe():
    # C moves last; B anticipates C; A anticipates both.  Worked by hand:
    # after (R, b) C prefers z (3 > 1) giving (0, 2, 3);
    # after (R, a) C prefers x (2 > 0) giving (1, 0, 2);
    # so B picks b (2 > 0) and R is worth 0 to A; L gives A 1, so A plays L.
    game = ExtensiveFormGame(
        ["A", "B", "C"],
        choice(
            "A",
            "root",
            {
                "L": Terminal((1, 1, 1)),
                "R": choice(
                    "B",
                    "b1",
                    {
                        "a": choice("C", "c1", {"x": Terminal((1, 0, 2)), "y": Terminal((5, 5, 0))}),
                        "b": choice("C", "c2", {"z": Terminal((0, 2, 3)), "w": Terminal((4, 4, 1))}),
                    },
                ),
            },
        ),
    )
    (spe,) = subgame_perfect_equilibria(game)
    assert outcome(spe) == {"A": {"root": "L"}, "B": {"b1": "b"}, "C": {"c1": "x", "c2": "z"}}
    assert spe.payoffs == {"A": 1, "B": 1, "C": 1}


def test_chance_moves_are_expectations():
    # Defender stands firm or concedes; a firm stand deters with probability 1/3.
    game = ExtensiveFormGame(
        ["Challenger", "Defender"],
        choice(
            "Defender",
            "d",
            {
                "concede": Terminal((2, -3)),
                "firm": Chance(
                    ("deterred", "not"),
                    (Fraction(1, 3), Fraction(2, 3)),
                    (
                        Terminal((0, 0)),
                        choice(
                            "Challenger",
                            "c",
                            {"attack": Terminal((-1, -3)), "back_down": Terminal((-2, 1))},
                        ),
                    ),
                ),
            },
        ),
    )
    (spe,) = subgame_perfect_equilibria(game)
    assert pure(spe, "Challenger", "c") == "attack"  # -1 > -2
    # firm is worth 1/3 * 0 + 2/3 * (-3) = -2 > -3 to the Defender, and -2/3 to the Challenger.
    assert pure(spe, "Defender", "d") == "firm"
    assert spe.payoffs == {"Challenger": Fraction(-2, 3), "Defender": -2}


def test_exact_tie_lists_both_spes_and_flags_the_node():
    game = ExtensiveFormGame(
        ["P1", "P2"],
        choice(
            "P1",
            "a",
            {
                "out": Terminal((1, 0)),
                "in": choice("P2", "b", {"l": Terminal((2, 0)), "r": Terminal((0, 0))}),
            },
        ),
    )
    result = subgame_perfect_equilibria(game)
    assert [outcome(e) for e in result] == [
        {"P1": {"a": "in"}, "P2": {"b": "l"}},
        {"P1": {"a": "out"}, "P2": {"b": "r"}},
    ]
    assert [e.payoffs["P1"] for e in result] == [2, 1]
    assert not result.complete and result.degenerate is True
    for eq in result:
        assert eq.notes == ("exact tie: P2 at in (information set 'b') is indifferent between ['l', 'r']",)
    assert any("mixtures over tied actions" in n for n in result.notes)


def test_outside_option_game_one_spe_per_subgame_equilibrium():
    # BoS has three equilibria: (opera, opera) worth 3 to A, (fight, fight) worth 1 and the
    # mixed one (A: opera 3/4; B: opera 1/4) worth 3/4.  Against the outside option 2, A enters
    # only after the first (Kohlberg and Mertens 1986).
    result = subgame_perfect_equilibria(outside_option_bos())
    assert len(result) == 3 and result.complete
    summary = sorted(
        (
            pure(e, "A", "o"),
            e.strategies["A"]["a"]["opera"],
            e.strategies["B"]["b"]["opera"],
            e.payoffs["A"],
        )
        for e in result
    )
    assert summary == [
        ("in", 1, 1, 3),
        ("out", 0, 0, 2),
        ("out", Fraction(3, 4), Fraction(1, 4), 2),
    ]
    assert all(e.exact for e in result)


def test_fallback_bimatrix_solver_matches_the_known_equilibria():
    from deterrence.solvers.spe import _fallback_bimatrix

    a = np.array([[3, 0], [0, 1]], dtype=object)
    b = np.array([[1, 0], [0, 3]], dtype=object)
    found = _fallback_bimatrix(a, b, True, 0.0)
    assert found.complete and not found.degenerate
    assert found.equilibria[-1] == ([Fraction(3, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(3, 4)])
    assert len(found.equilibria) == 3
    found = _fallback_bimatrix(np.eye(3, dtype=object), np.eye(3, dtype=object), True, 0.0)
    assert len(found.equilibria) == 3 and not found.complete and "pure equilibria only" in found.notes[0]


def test_mixed_subgame_value_can_create_an_exact_tie_upstream():
    result = subgame_perfect_equilibria(outside_option_bos(Fraction(3, 4)))
    assert len(result) == 4 and result.degenerate is True and not result.complete
    tied = [e for e in result if e.notes]
    assert len(tied) == 2 and {pure(e, "A", "o") for e in tied} == {"in", "out"}
    assert all(e.strategies["A"]["a"]["opera"] == Fraction(3, 4) for e in tied)


def test_float_game_with_simultaneous_subgame():
    game = outside_option_bos(2.5)
    result = subgame_perfect_equilibria(game)
    assert not result.equilibria[0].exact and result.tolerance > 0
    assert sorted(pure(e, "A", "o") for e in result) == ["in", "out", "out"]


def test_degenerate_simultaneous_subgame_is_flagged_and_each_extreme_equilibrium_continued():
    # B is indifferent everywhere, so the stage game's equilibria form continua (components);
    # its extreme equilibria are (u, l), (u, 1/2 l), (d, 1/2 l) and (d, r).
    stage = choice(
        "A",
        "a",
        {
            "u": choice("B", "b", {"l": Terminal((1, 0)), "r": Terminal((0, 0))}),
            "d": choice("B", "b", {"l": Terminal((0, 0)), "r": Terminal((1, 0))}),
        },
    )
    game = ExtensiveFormGame(["A", "B"], choice("A", "o", {"out": Terminal((Fraction(2, 3), 0)), "in": stage}))
    result = subgame_perfect_equilibria(game)
    assert result.degenerate is True and not result.complete
    found = sorted((e.strategies["A"]["a"]["u"], e.strategies["B"]["b"]["l"], pure(e, "A", "o")) for e in result)
    half = Fraction(1, 2)
    # Entering is worth 1 after the pure equilibria and 1/2 < 2/3 after the mixed ones.
    assert found == [(0, 0, "in"), (0, half, "out"), (1, half, "out"), (1, 1, "in")]


def test_float_near_tie_within_tolerance_is_flagged():
    game = ExtensiveFormGame(
        ["P1", "P2"],
        choice(
            "P1",
            "a",
            {
                "out": Terminal((1.0, 0.0)),
                "in": choice("P2", "b", {"l": Terminal((2.0, 0.0)), "r": Terminal((0.0, 1e-13))}),
            },
        ),
    )
    result = subgame_perfect_equilibria(game)
    assert len(result) == 2 and result.degenerate is True
    assert result[0].notes[0].startswith("tie within")
    assert max(e.regret for e in result) <= result.tolerance
    assert subgame_perfect_equilibria(game, tolerance=0.0).complete  # r is strictly better then


def test_three_player_simultaneous_subgame_uses_pure_equilibria_and_says_so():
    # Each of three players picks l or r without seeing the others; A wants to match B,
    # B wants to match C, C wants to match A.  Pure equilibria: all-l and all-r.
    sim = choice(
        "A",
        "a",
        {
            x: choice(
                "B",
                "b",
                {
                    y: choice(
                        "C",
                        "c",
                        {z: Terminal((int(x == y), int(y == z), int(z == x))) for z in "lr"},
                    )
                    for y in "lr"
                },
            )
            for x in "lr"
        },
    )
    result = subgame_perfect_equilibria(ExtensiveFormGame(["A", "B", "C"], sim))
    assert [outcome(e) for e in result] == [
        {"A": {"a": "l"}, "B": {"b": "l"}, "C": {"c": "l"}},
        {"A": {"a": "r"}, "B": {"b": "r"}, "C": {"c": "r"}},
    ]
    assert not result.complete
    assert any("pure equilibria only" in n for n in result.notes)


def test_single_mover_with_hidden_chance_maximises_expectation():
    game = ExtensiveFormGame(
        ["A"],
        Chance(
            ("hi", "lo"),
            (Fraction(1, 4), Fraction(3, 4)),
            (
                choice("A", "a", {"bold": Terminal((12,)), "safe": Terminal((1,))}),
                choice("A", "a", {"bold": Terminal((-2,)), "safe": Terminal((1,))}),
            ),
        ),
    )
    (spe,) = subgame_perfect_equilibria(game)
    # bold: 1/4 * 12 + 3/4 * (-2) = 3/2 > 1 (safe)
    assert pure(spe, "A", "a") == "bold" and spe.payoffs["A"] == Fraction(3, 2)


def test_cap_on_the_number_of_equilibria_is_reported():
    # Five independent all-zero decisions: 2**5 tie-broken SPEs.
    leaves = [choice("A", f"s{k}", {"x": Terminal((0,)), "y": Terminal((0,))}) for k in range(5)]
    game = ExtensiveFormGame(["A"], Chance(tuple(f"c{k}" for k in range(5)), (Fraction(1, 5),) * 5, tuple(leaves)))
    assert len(subgame_perfect_equilibria(game)) == 32
    capped = subgame_perfect_equilibria(game, max_equilibria=10)
    assert len(capped) == 10 and not capped.complete
    assert any("max_equilibria=10" in n for n in capped.notes)


def test_errors_for_symbolic_and_imperfect_recall_games():
    w = sympy.Symbol("w")
    symbolic = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((w,)), "y": Terminal((1,))}))
    with pytest.raises(SolverError, match="evaluate"):
        subgame_perfect_equilibria(symbolic)
    driver = absent_minded_driver("D")
    with pytest.raises(GameError, match="perfect recall"):
        subgame_perfect_equilibria(driver)


# -- random trees -------------------------------------------------------------
_CHANCE_PROBS = {2: (0.25, 0.75), 3: (0.25, 0.25, 0.5)}


def random_tree(seed: int, n_players: int, integer: bool, max_depth: int = 4) -> ExtensiveFormGame:
    """Random perfect-information tree with dyadic chance probabilities (exact in binary)."""
    rng = random.Random(seed)
    players = [f"P{i}" for i in range(n_players)]
    counter = count()

    def payoff():
        return float(rng.randint(-3, 3)) if integer else rng.uniform(-10, 10)

    def node(depth: int) -> Node:
        if depth >= max_depth or (depth > 0 and rng.random() < 0.3):
            return Terminal(tuple(payoff() for _ in players))
        k = rng.choice((2, 2, 3))
        kids = tuple(node(depth + 1) for _ in range(k))
        actions = tuple(f"a{j}" for j in range(k))
        if rng.random() < 0.15:
            return Chance(actions, _CHANCE_PROBS[k], kids)
        return Decision(rng.choice(players), f"n{next(counter)}", actions, kids)

    return ExtensiveFormGame(players, node(0))


def check_batch_against_exact(game: ExtensiveFormGame) -> None:
    payoffs = np.array([t.payoffs for t, _ in game.terminals()], dtype=float)
    batch = spe_batch(game, payoffs[np.newaxis])
    result = subgame_perfect_equilibria(game, max_equilibria=64)
    assert bool(batch.has_tie[0]) is (result.degenerate is True)
    if not batch.has_tie[0]:
        assert len(result) == 1 and result.complete
    first = result[0]  # the first listed SPE breaks every tie towards the first best action
    for column, path in enumerate(batch.decision_paths):
        node = game.node_at(path)
        chosen = max(first.strategies[node.player][node.infoset].items(), key=lambda kv: kv[1])[0]
        assert node.actions[batch.choices[0, column]] == chosen
    values = [first.payoffs[p] for p in game.players]
    assert np.allclose(batch.values[0], values, rtol=0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_batch_equals_exact_solver_on_random_float_trees(seed, n_players):
    check_batch_against_exact(random_tree(seed, n_players, integer=False))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_batch_flags_the_same_ties_as_the_exact_solver(seed, n_players):
    # Small integer payoffs make exact ties frequent.
    check_batch_against_exact(random_tree(seed, n_players, integer=True))


def test_random_integer_trees_exercise_both_tied_and_untied_cases():
    flags = []
    for seed in range(30):
        game = random_tree(seed, 2, integer=True)
        payoffs = np.array([t.payoffs for t, _ in game.terminals()], dtype=float)
        flags.append(bool(spe_batch(game, payoffs).has_tie[0]))
    assert 5 <= sum(flags) <= 25  # so the tie test above checks both branches


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_every_exact_spe_is_nash_in_every_subgame(seed):
    game = random_tree(seed, 2, integer=True, max_depth=3).map_values(
        lambda v: Fraction(v).limit_denominator() if isinstance(v, float) else v
    )
    result = subgame_perfect_equilibria(game, max_equilibria=32)
    assert result.equilibria and all(e.exact for e in result)
    for eq in result:
        assert all(r <= 0 for regrets in subgame_regrets(game, eq.strategies).values() for r in regrets)


# -- batched solver -----------------------------------------------------------
def test_batch_ties_labels_and_chance_paths():
    game = ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "a",
            {
                "out": Terminal((0, 2)),
                "in": choice("B", "b", {"fight": Terminal((-1, -1)), "yield": Terminal((1, 1))}),
                "gamble": Chance(("h", "t"), (0.5, 0.5), (Terminal((-5, 0)), Terminal((6, 0)))),
            },
        ),
    )
    points = np.array(
        [
            [[0, 2], [-1, -1], [1, 1], [-5, 0], [6, 0]],  # gamble worth 0.5 < yield 1: in/yield
            [[0, 2], [-1, 3], [1, 1], [-5, 0], [6, 0]],  # B fights, gamble 0.5 beats out 0
            [
                [0, 2],
                [-1, 1],
                [1, 1],
                [-5, 0],
                [5, 0],
            ],  # B ties; first action fight; gamble 0 ties out
        ],
        dtype=float,
    )
    batch = spe_batch(game, points)
    assert batch.decision_paths == ((), ("in",))
    assert path_labels(batch).tolist() == ["in/yield", "gamble/(chance)", "out"]
    assert batch.terminal.tolist() == [2, -1, 0]
    assert batch.ties.tolist() == [[False, False], [False, False], [True, True]]
    assert batch.has_tie.tolist() == [False, False, True]
    assert np.allclose(batch.values, [[1, 1], [0.5, 0], [0, 2]])
    assert not batch.choices.flags.writeable


def test_batch_rejects_imperfect_information_and_bad_shapes():
    mp = ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "a",
            {
                "h": choice("B", "b", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}),
                "t": choice("B", "b", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))}),
            },
        ),
    )
    with pytest.raises(GameError, match="perfect information"):
        compile_tree(mp)
    with pytest.raises(GameError, match="shape"):
        spe_batch(entry_game(), np.zeros((4, 2, 2)))
    with pytest.raises(GameError, match="NaN"):
        spe_batch(entry_game(), np.full((1, 3, 2), np.nan))


def test_batch_chunks_give_the_same_answer():
    game = random_tree(7, 2, integer=False)
    rng = np.random.default_rng(0)
    payoffs = rng.normal(size=(1000, len(game.terminals()), 2))
    one = spe_batch(game, payoffs, chunk_size=1000)
    many = spe_batch(game, payoffs, chunk_size=37)
    assert np.array_equal(one.choices, many.choices) and np.array_equal(one.values, many.values)
    assert np.array_equal(one.path_end, many.path_end)


def deterrence_tree() -> ExtensiveFormGame:
    """Depth-4 tree with 10 terminals: strike, response, escalation, counter-move."""

    def counter(tag):
        return choice(
            "Pakistan",
            f"counter_{tag}",
            {
                "hold": Terminal((0, 0)),
                "retaliate": Terminal((0, 0)),
                "negotiate": Terminal((0, 0)),
            },
        )

    def iran(tag):
        return choice("Iran", f"iran_{tag}", {"stand_down": Terminal((0, 0)), "escalate": counter(tag)})

    return ExtensiveFormGame(
        ["Iran", "Pakistan"],
        choice(
            "Iran",
            "strike",
            {
                "refrain": Terminal((0, 0)),
                "strike": choice(
                    "Pakistan",
                    "respond",
                    {
                        "absorb": Terminal((0, 0)),
                        "calibrated": iran("cal"),
                        "direct": iran("dir"),
                    },
                ),
            },
        ),
    )


def test_batch_on_a_depth_four_tree_reaches_several_outcomes_without_ties():
    # Throughput is measured in benchmarks/sweep.py, not asserted here.
    game = deterrence_tree()
    assert len(game.terminals()) == 10 and compile_tree(game).depth == 4
    rng = np.random.default_rng(1)
    payoffs = rng.normal(size=(2_000, len(game.terminals()), 2))
    batch = spe_batch(game, payoffs)
    assert len(set(path_labels(batch))) > 3
    assert not batch.has_tie.any()
