"""Tests of ExtensiveFormGame (deterrence.extensive_form).

Validation, kinds, traversal and evaluation.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import sympy

from deterrence.errors import GameError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal, choice

PLAYERS = ["Entrant", "Incumbent"]


def entry_root(fight=(-1, -1), accommodate=(1, 1), out=(0, 2)):
    return choice(
        "Entrant",
        "e",
        {
            "out": Terminal(out, "no entry"),
            "in": choice("Incumbent", "i", {"fight": Terminal(fight), "accommodate": Terminal(accommodate)}),
        },
    )


def entry(**kwargs):
    return ExtensiveFormGame(PLAYERS, entry_root(**kwargs), title="Entry")


def signalling_root(prior, payoff=1):
    """Nature draws a type; the sender cannot be seen, the receiver has one information set."""

    def receiver():
        return choice("Receiver", "r", {"yes": Terminal((payoff, 1)), "no": Terminal((0, 0))})

    return Chance(
        ("strong", "weak"),
        tuple(prior),
        (
            choice("Sender", "s_strong", {"act": receiver(), "wait": Terminal((0, 0))}),
            choice("Sender", "s_weak", {"act": receiver(), "wait": Terminal((0, 0))}),
        ),
    )


# -- construction, traversal --------------------------------------------------
def test_entry_game_structure():
    g = entry()
    assert g.players == ("Entrant", "Incumbent")
    assert g.n_players == 2
    assert g.title == "Entry"
    assert g.kind == "exact"
    assert g.infosets == {"Entrant": ("e",), "Incumbent": ("i",)}
    assert g.actions("Incumbent", "i") == ("fight", "accommodate")
    assert [path for _, path in g.terminals()] == [("out",), ("in", "fight"), ("in", "accommodate")]
    assert [t.payoffs for t, _ in g.terminals()] == [(0, 2), (-1, -1), (1, 1)]
    assert all(isinstance(v, Fraction) for t, _ in g.terminals() for v in t.payoffs)
    assert g.terminals()[0][0].label == "no entry"
    assert g.parameters == ()


def test_walk_is_preorder_with_paths():
    paths = [path for _, path in entry().walk()]
    assert paths == [(), ("out",), ("in",), ("in", "fight"), ("in", "accommodate")]


def test_node_at():
    g = entry()
    node = g.node_at(["in"])
    assert isinstance(node, Decision) and node.player == "Incumbent"
    assert g.node_at(("in", "accommodate")).payoffs == (1, 1)
    with pytest.raises(GameError, match="no action 'stay'"):
        g.node_at(["stay"])
    with pytest.raises(GameError, match="no action 'x'"):
        g.node_at(["out", "x"])


def test_unknown_infoset_lookup():
    with pytest.raises(GameError, match="Incumbent has no information set 'zz'"):
        entry().actions("Incumbent", "zz")


def test_choice_keeps_order():
    node = choice("P", "x", {"b": Terminal((1,)), "a": Terminal((2,))})
    assert node.actions == ("b", "a")
    assert [c.payoffs for c in node.children] == [(1,), (2,)]


def test_information_set_spanning_two_nodes():
    g = ExtensiveFormGame(["Sender", "Receiver"], signalling_root((Fraction(1, 3), Fraction(2, 3))))
    assert g.infosets == {"Sender": ("s_strong", "s_weak"), "Receiver": ("r",)}
    assert g.actions("Receiver", "r") == ("yes", "no")
    assert len(g.terminals()) == 6


def test_infosets_are_listed_in_preorder():
    # Sets are listed where they are first met in preorder (root first), however deep.
    root = choice(
        "A",
        "a1",
        {
            "x": choice(
                "B",
                "b_deep",
                {
                    "p": choice("A", "a_deep", {"u": Terminal((0, 0)), "v": Terminal((1, 1))}),
                    "q": Terminal((2, 2)),
                },
            ),
            "y": choice("A", "a_shallow", {"u": Terminal((0, 0)), "v": Terminal((1, 1))}),
        },
    )
    g = ExtensiveFormGame(["A", "B"], root)
    assert g.infosets == {"A": ("a1", "a_deep", "a_shallow"), "B": ("b_deep",)}


def test_same_infoset_id_for_two_players_is_two_sets():
    root = choice(
        "A",
        "s",
        {
            "l": choice("B", "s", {"x": Terminal((0, 0)), "y": Terminal((1, 1))}),
            "r": Terminal((2, 2)),
        },
    )
    g = ExtensiveFormGame(["A", "B"], root)
    assert g.actions("A", "s") == ("l", "r")
    assert g.actions("B", "s") == ("x", "y")


def test_repr():
    assert repr(entry()) == "<ExtensiveFormGame 'Entry' exact players=['Entrant', 'Incumbent'] terminals=3>"


def test_one_player_game():
    g = ExtensiveFormGame(["Solo"], choice("Solo", "s", {"a": Terminal((1,)), "b": Terminal((2,))}))
    assert g.kind == "exact" and len(g.terminals()) == 2


# -- validation ---------------------------------------------------------------
def _bad_chance(probabilities):
    return Chance(("h", "t"), tuple(probabilities), (Terminal((0, 0)), Terminal((1, 1))))


@pytest.mark.parametrize(
    ("players", "root", "message"),
    [
        pytest.param(
            ["A", "A"],
            Terminal((0, 0)),
            r"players must be non-empty and unique",
            id="duplicate-player",
        ),
        pytest.param(["A", ""], Terminal((0, 0)), r"players must be non-empty and unique", id="empty-player"),
        pytest.param([], Terminal(()), r"players must be non-empty and unique", id="no-players"),
        pytest.param(
            PLAYERS,
            choice("Nobody", "n", {"a": Terminal((0, 0)), "b": Terminal((1, 1))}),
            r"decision at root names unknown player 'Nobody'",
            id="unknown-player",
        ),
        pytest.param(
            PLAYERS,
            choice(
                "Entrant",
                "e",
                {"out": Terminal((0, 2)), "in": choice("Ghost", "g", {"x": Terminal((0, 0))})},
            ),
            r"decision at in names unknown player 'Ghost'",
            id="unknown-player-deep",
        ),
        pytest.param(
            PLAYERS,
            choice("Entrant", "", {"a": Terminal((0, 0))}),
            r"decision at root has an empty information-set id",
            id="empty-infoset",
        ),
        pytest.param(
            PLAYERS,
            choice(
                "Entrant",
                "e",
                {
                    "l": choice("Incumbent", "i", {"x": Terminal((0, 0)), "y": Terminal((0, 0))}),
                    "r": choice("Incumbent", "i", {"x": Terminal((0, 0)), "z": Terminal((0, 0))}),
                },
            ),
            r"information set 'i' of Incumbent offers \['x', 'y'\] at one node "
            r"and \['x', 'z'\] at r",
            id="infoset-inconsistent-actions",
        ),
        pytest.param(
            PLAYERS,
            choice(
                "Entrant",
                "e",
                {
                    "l": choice("Incumbent", "i", {"x": Terminal((0, 0)), "y": Terminal((0, 0))}),
                    "r": choice("Incumbent", "i", {"y": Terminal((0, 0)), "x": Terminal((0, 0))}),
                },
            ),
            r"information set 'i' of Incumbent offers",
            id="infoset-actions-reordered",
        ),
        pytest.param(
            PLAYERS,
            Decision("Entrant", "e", ("a", "b"), (Terminal((0, 0)),)),
            r"node at root has 2 actions and 1 children",
            id="actions-children-mismatch",
        ),
        pytest.param(
            PLAYERS,
            Decision("Entrant", "e", (), ()),
            r"node at root has 0 actions and 0 children",
            id="no-actions",
        ),
        pytest.param(
            PLAYERS,
            Decision("Entrant", "e", ("a", "a"), (Terminal((0, 0)), Terminal((1, 1)))),
            r"node at root repeats an action label: \['a', 'a'\]",
            id="repeated-action",
        ),
        pytest.param(
            PLAYERS,
            choice("Entrant", "e", {"a": Terminal((0, 0, 0))}),
            r"terminal at a has 3 payoffs for 2 players",
            id="wrong-payoff-count",
        ),
        pytest.param(
            PLAYERS,
            choice("Entrant", "e", {"a": "not a node"}),
            r"node at a is not a Terminal, Chance or Decision",
            id="not-a-node",
        ),
        pytest.param(
            PLAYERS,
            choice("Entrant", "e", {"a": Terminal((0, "x y"))}),
            r"payoff at a for Incumbent: formula 'x y': syntax error",
            id="bad-formula",
        ),
        pytest.param(
            PLAYERS,
            choice("Entrant", "e", {"a": Terminal((0, None))}),
            r"payoff at a for Incumbent is not a number or formula: None",
            id="non-numeric",
        ),
        pytest.param(
            PLAYERS,
            choice("Entrant", "e", {"a": Terminal((False, 0))}),
            r"payoff at a for Entrant is a boolean",
            id="bool-payoff",
        ),
        pytest.param(
            PLAYERS,
            choice("Entrant", "e", {"a": Terminal((float("nan"), 0))}),
            r"payoff at a for Entrant is not finite: nan",
            id="nan-payoff",
        ),
        pytest.param(
            PLAYERS,
            _bad_chance([Fraction(3, 2), Fraction(-1, 2)]),
            r"chance node at root has a negative probability",
            id="negative-probability",
        ),
        pytest.param(
            PLAYERS,
            _bad_chance([Fraction(1, 2), Fraction(1, 3)]),
            r"chance probabilities at root sum to 5/6, not 1",
            id="exact-sum-not-one",
        ),
        pytest.param(
            PLAYERS,
            _bad_chance([0.5, 0.49]),
            r"chance probabilities at root sum to 0.99",
            id="float-sum",
        ),
        pytest.param(
            PLAYERS,
            _bad_chance(["0.5", "0.5000001"]),
            r"sum to 10000001/10000000",
            id="near-one-exact",
        ),
        pytest.param(
            PLAYERS,
            _bad_chance([Fraction(1, 2)]),
            r"chance node at root has 1 probabilities for 2",
            id="probability-count",
        ),
        pytest.param(
            PLAYERS,
            _bad_chance([True, 0]),
            r"probability\) at root is a boolean",
            id="bool-probability",
        ),
        pytest.param(
            PLAYERS,
            _bad_chance(["p", "p"]),
            r"chance probabilities at root do not sum to 1",
            id="symbolic-not-one",
        ),
        pytest.param(PLAYERS, _bad_chance([-0.5, 1.5]), r"negative probability", id="float-negative"),
    ],
)
def test_bad_trees_raise_game_error_naming_the_problem(players, root, message):
    with pytest.raises(GameError) as info:
        ExtensiveFormGame(players, root)
    assert re.search(message, str(info.value)), str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "prior",
    [
        pytest.param(("p", "1 - p"), id="p-and-complement"),
        pytest.param((sympy.Symbol("q", real=True) / 2, 1 - sympy.Symbol("q", real=True) / 2), id="sympy"),
        pytest.param(("a/(a+b)", "b/(a+b)"), id="ratio-needs-simplify"),
    ],
)
def test_symbolic_priors_that_sum_to_one_are_accepted(prior):
    g = ExtensiveFormGame(["Sender", "Receiver"], signalling_root(prior))
    assert g.kind == "symbolic"
    assert len(g.parameters) >= 1


def test_float_probabilities_within_tolerance_are_accepted():
    g = ExtensiveFormGame(PLAYERS, _bad_chance([0.1 + 0.2, 0.7]))  # 1.0000000000000002
    assert g.kind == "float"


# -- kinds --------------------------------------------------------------------
def test_exact_kind_keeps_fractions():
    g = ExtensiveFormGame(PLAYERS, _bad_chance(["1/3", "2/3"]))
    assert g.kind == "exact"
    assert g.root.probabilities == (Fraction(1, 3), Fraction(2, 3))
    assert all(isinstance(p, Fraction) for p in g.root.probabilities)


def test_float_kind_converts_every_value_to_float():
    g = entry(fight=(-1.5, -1))
    assert g.kind == "float"
    values = [v for t, _ in g.terminals() for v in t.payoffs]
    assert values == [0.0, 2.0, -1.5, -1.0, 1.0, 1.0]
    assert all(type(v) is float for v in values)


def test_float_probability_makes_float_game():
    g = ExtensiveFormGame(PLAYERS, _bad_chance([0.25, 0.75]))
    assert g.kind == "float"
    assert all(type(v) is float for t, _ in g.terminals() for v in t.payoffs)


def test_symbolic_kind_and_parameters():
    g = entry(fight=("-k", -1), accommodate=(1, "m + 1"))
    assert g.kind == "symbolic"
    assert g.parameters == ("k", "m")


# -- evaluation and mapping ---------------------------------------------------
def test_evaluate_payoffs_exact_and_float():
    g = entry(fight=("-k", -1))
    exact = g.evaluate(k=3)
    assert exact.kind == "exact"
    assert exact.node_at(["in", "fight"]).payoffs == (-3, -1)
    floating = g.evaluate({"k": 0.5})
    assert floating.kind == "float"
    assert floating.node_at(["in", "fight"]).payoffs == (-0.5, -1.0)
    assert floating.infosets == g.infosets


def test_evaluate_priors():
    g = ExtensiveFormGame(["Sender", "Receiver"], signalling_root(("p", "1 - p")))
    numeric = g.evaluate(p=Fraction(1, 4))
    assert numeric.kind == "exact"
    assert numeric.root.probabilities == (Fraction(1, 4), Fraction(3, 4))


def test_evaluate_prior_outside_the_simplex_is_refused():
    g = ExtensiveFormGame(["Sender", "Receiver"], signalling_root(("p", "1 - p")))
    with pytest.raises(GameError, match="negative probability"):
        g.evaluate(p=Fraction(5, 4))


def test_evaluate_missing_value():
    with pytest.raises(GameError, match=r"no value given for parameter\(s\) \['m'\]"):
        entry(fight=("-k", -1), accommodate=(1, "m")).evaluate(k=1)


def test_evaluate_numeric_game_is_identity():
    g = entry()
    assert g.evaluate(k=1) is g


def test_map_values_doubles_payoffs():
    g = entry().map_values(lambda v: 2 * v)
    assert [t.payoffs for t, _ in g.terminals()] == [(0, 4), (-2, -2), (2, 2)]
    assert g.title == "Entry"


def test_nodes_are_immutable():
    g = entry()
    with pytest.raises(AttributeError):
        g.root.player = "Incumbent"
