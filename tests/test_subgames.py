"""Tests for deterrence.subgames: perfect recall, subgame roots, payoffs and regrets."""

from __future__ import annotations

from fractions import Fraction
from itertools import count

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trees import absent_minded_driver, entry_game, matching_pennies_tree, outside_option_bos

from deterrence import Chance, ExtensiveFormGame, GameError, Terminal, choice
from deterrence.forms.extensive_form import Decision
from deterrence.forms.subgames import (
    best_response_value,
    expected_payoffs,
    has_perfect_recall,
    infoset_nodes,
    own_histories,
    perfect_recall_violations,
    subgame,
    subgame_regrets,
    subgame_roots,
)


def forgets_own_move() -> ExtensiveFormGame:
    """A moves, B moves, then A cannot recall her own first move."""

    def b_node(first):
        return choice(
            "B",
            "b" + first,
            {
                "x": choice("A", "later", {"u": Terminal((1, 0)), "d": Terminal((0, 1))}),
                "y": Terminal((0, 0)),
            },
        )

    return ExtensiveFormGame(["A", "B"], choice("A", "first", {"l": b_node("l"), "r": b_node("r")}))


def forgets_information() -> ExtensiveFormGame:
    """A learns the chance move, then later forgets what she had learned (different own sets)."""

    def branch(tag):
        return choice(
            "A",
            "saw_" + tag,
            {
                "go": choice("A", "later", {"u": Terminal((1,)), "d": Terminal((0,))}),
                "stop": Terminal((Fraction(1, 2),)),
            },
        )

    return ExtensiveFormGame(["A"], Chance(("H", "T"), (Fraction(1, 2), Fraction(1, 2)), (branch("H"), branch("T"))))


# -- perfect recall -----------------------------------------------------------
@pytest.mark.parametrize(
    "factory, expected",
    [
        pytest.param(entry_game, True, id="entry"),
        pytest.param(matching_pennies_tree, True, id="matching-pennies-infoset"),
        pytest.param(outside_option_bos, True, id="outside-option-bos"),
        pytest.param(absent_minded_driver, False, id="absent-minded-driver"),
        pytest.param(forgets_own_move, False, id="forgets-own-move"),
        pytest.param(forgets_information, False, id="forgets-information"),
    ],
)
def test_has_perfect_recall(factory, expected):
    assert has_perfect_recall(factory()) is expected


def test_violation_messages_name_the_set_and_the_kind():
    (driver,) = perfect_recall_violations(absent_minded_driver())
    assert "'x'" in driver and "absent-minded" in driver
    (move,) = perfect_recall_violations(forgets_own_move())
    assert "A forgets at information set 'later'" in move
    assert "first:l" in move and "first:r" in move
    (info,) = perfect_recall_violations(forgets_information())
    assert "saw_H:go" in info and "saw_T:go" in info


def test_own_histories_record_only_the_movers_own_moves():
    histories = own_histories(forgets_own_move())
    assert histories[("l", "x")] == (("first", "l"),)
    assert histories[("l",)] == ()  # B has not moved before


# -- subgames -----------------------------------------------------------------
def test_subgame_roots_of_outside_option_game():
    assert subgame_roots(outside_option_bos()) == [(), ("in",)]


def test_subgame_roots_of_perfect_information_tree_are_all_interior_nodes_in_preorder():
    game = ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "r",
            {
                "l": choice(
                    "B",
                    "s",
                    {
                        "x": Terminal((0, 0)),
                        "y": choice("A", "t", {"u": Terminal((1, 1)), "v": Terminal((2, 2))}),
                    },
                ),
                "r": choice("B", "w", {"x": Terminal((3, 3)), "y": Terminal((4, 4))}),
            },
        ),
    )
    assert subgame_roots(game) == [(), ("l",), ("l", "y"), ("r",)]


def test_information_set_spanning_two_branches_spoils_both():
    # B's set spans the children of A's root move; only the root roots a subgame,
    # but the subtree below B (A's second move after l/x) is again a subgame.
    game = ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "a",
            {
                "l": choice(
                    "B",
                    "b",
                    {
                        "x": choice("A", "c", {"u": Terminal((1, 0)), "d": Terminal((0, 1))}),
                        "y": Terminal((0, 0)),
                    },
                ),
                "r": choice("B", "b", {"x": Terminal((2, 2)), "y": Terminal((3, 3))}),
            },
        ),
    )
    assert subgame_roots(game) == [(), ("l", "x")]


def test_kuhn_style_chance_root_has_no_proper_subgames():
    game = ExtensiveFormGame(
        ["A", "B"],
        Chance(
            ("1", "2"),
            (Fraction(1, 2), Fraction(1, 2)),
            (
                choice(
                    "A",
                    "a",
                    {
                        "p": choice("B", "b", {"q": Terminal((1, -1)), "r": Terminal((0, 0))}),
                        "s": Terminal((0, 0)),
                    },
                ),
                choice(
                    "A",
                    "a",
                    {
                        "p": choice("B", "b", {"q": Terminal((-1, 1)), "r": Terminal((0, 0))}),
                        "s": Terminal((0, 0)),
                    },
                ),
            ),
        ),
    )
    assert subgame_roots(game) == [()]


def test_subgame_extracts_the_subtree_and_rejects_non_roots():
    sub = subgame(outside_option_bos(), ["in"])
    assert len(sub.terminals()) == 4 and sub.players == ("A", "B")
    with pytest.raises(GameError, match="does not root"):
        subgame(outside_option_bos(), ["in", "opera"])


@st.composite
def imperfect_trees(draw):
    """Random trees whose same-depth decision nodes of one player may share information sets."""
    players = ["A", "B"]
    counter = count()
    by_depth: dict[tuple[int, str, int], list[str]] = {}

    def node(depth):
        if depth == 3 or (depth > 0 and draw(st.integers(0, 3)) == 0):
            return Terminal((draw(st.integers(-2, 2)), draw(st.integers(-2, 2))))
        player = draw(st.sampled_from(players))
        k = draw(st.integers(2, 3))
        key = (depth, player, k)
        known = by_depth.setdefault(key, [])
        if known and draw(st.booleans()):
            infoset = draw(st.sampled_from(known))
        else:
            infoset = f"s{next(counter)}"
            known.append(infoset)
        kids = tuple(node(depth + 1) for _ in range(k))
        return Decision(player, infoset, tuple(f"a{j}" for j in range(k)), kids)

    return ExtensiveFormGame(players, node(0))


@settings(max_examples=60, deadline=None)
@given(imperfect_trees())
def test_subgame_roots_match_the_definition(game):
    sets = infoset_nodes(game)
    roots = set(subgame_roots(game))
    for node, path in game.walk():
        if isinstance(node, Terminal):
            continue
        splits = any(len({p[: len(path)] == path for p in paths}) == 2 for paths in sets.values())
        assert (path in roots) is (not splits)


# -- payoffs, best responses, regrets -----------------------------------------
def test_expected_payoffs_are_exact_over_chance_and_mixing():
    game = ExtensiveFormGame(
        ["A"],
        Chance(
            ("g", "b"),
            (Fraction(1, 3), Fraction(2, 3)),
            (
                choice("A", "h", {"x": Terminal((3,)), "y": Terminal((0,))}),
                Terminal((6,)),
            ),
        ),
    )
    (value,) = expected_payoffs(game, {"A": {"h": {"x": Fraction(1, 2), "y": Fraction(1, 2)}}})
    assert value == Fraction(1, 3) * Fraction(3, 2) + Fraction(2, 3) * 6


def test_best_response_uses_information_not_the_hidden_move():
    game = matching_pennies_tree()
    half = {"h": Fraction(1, 2), "t": Fraction(1, 2)}
    # B cannot see A's move, so against a fair coin B's best is 0, not the 1 of seeing it.
    assert best_response_value(game, {"A": {"a": half}, "B": {"b": half}}, "B") == 0
    assert best_response_value(game, {"A": {"a": {"h": 1}}, "B": {"b": half}}, "B") == 1


def test_best_response_requires_perfect_recall():
    with pytest.raises(GameError, match="perfect recall"):
        best_response_value(absent_minded_driver(), {"Driver": {"x": {"exit": 1}}}, "Driver")


def test_nash_but_not_subgame_perfect_profile_has_positive_regret_in_the_subgame():
    regrets = subgame_regrets(entry_game(), {"Entrant": {"e": {"out": 1}}, "Incumbent": {"i": {"fight": 1}}})
    assert regrets[()] == (0, 0)  # a Nash equilibrium of the whole game
    assert regrets[("in",)] == (0, 2)  # the incumbent gains 1 - (-1) by accommodating
    spe = {"Entrant": {"e": {"in": 1}}, "Incumbent": {"i": {"accommodate": 1}}}
    assert all(r == 0 for values in subgame_regrets(entry_game(), spe).values() for r in values)


def test_missing_information_set_in_profile_is_an_error():
    with pytest.raises(GameError, match="no strategy for Incumbent"):
        expected_payoffs(entry_game(), {"Entrant": {"e": {"in": 1}}, "Incumbent": {}})
