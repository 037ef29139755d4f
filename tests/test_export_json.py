"""Tests of the JSON game format (deterrence.io.json_game): every built-in model written and read
back unchanged, exact/float/symbolic values, and one-line errors for malformed files."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy

import deterrence
from deterrence.errors import DeterrenceError, GameFileError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.formula import parse_formula
from deterrence.io.json_game import (
    FORMAT,
    VERSION,
    dumps_json_game,
    formula_text,
    game_to_json,
    loads_json_game,
    read_json_game,
    write_json_game,
)

MODELS = deterrence.list_models()


def tree_signature(game):
    """Everything a tree holds, node by node in preorder, with value types."""
    rows = []
    for node, path in game.walk():
        if isinstance(node, Terminal):
            rows.append(("t", path, node.label, [(type(v), v) for v in node.payoffs]))
        elif isinstance(node, Chance):
            rows.append(("c", path, node.label, node.infoset, [(type(p), p) for p in node.probabilities]))
        else:
            rows.append(("d", path, node.label, node.player, node.infoset, node.actions))
    return rows


def assert_same_game(a, b):
    assert type(a) is type(b)
    assert (a.title, a.players, a.kind, a.parameters) == (b.title, b.players, b.kind, b.parameters)
    if isinstance(a, NormalFormGame):
        assert a.strategies == b.strategies
        assert [(type(v), v) for v in a.payoffs.flat] == [(type(v), v) for v in b.payoffs.flat]
    else:
        assert tree_signature(a) == tree_signature(b)


@pytest.mark.parametrize("model", MODELS, ids=[m.slug for m in MODELS])
def test_every_built_in_model_round_trips(model):
    game = model.game({})
    text = dumps_json_game(game)
    back = loads_json_game(text)
    assert_same_game(game, back)
    assert dumps_json_game(back) == text  # writing is deterministic


def test_schema_fields_of_a_normal_form():
    game = NormalFormGame(["A", "B"], [["x", "y"], ["z"]], [[[Fraction(2, 3), -1]], [[4, 0]]], title="t")
    record = game_to_json(game)
    assert record == {
        "format": FORMAT,
        "version": VERSION,
        "form": "normal",
        "title": "t",
        "players": ["A", "B"],
        "kind": "exact",
        "parameters": [],
        "strategies": [["x", "y"], ["z"]],
        "payoffs": [[["2/3", "-1"]], [["4", "0"]]],
    }


def test_schema_fields_of_a_tree():
    inner = choice("B", "b", {"l": Terminal((1, 2), "win"), "r": Terminal((0.5, 0))})
    tree = ExtensiveFormGame(["A", "B"], Chance(("h", "t"), ("1/4", "3/4"), (inner, Terminal((0, 0))), "c0", "nature"))
    nodes = game_to_json(tree)["nodes"]
    assert [n["type"] for n in nodes] == ["chance", "decision", "terminal", "terminal", "terminal"]
    assert nodes[0] == {
        "id": 0,
        "type": "chance",
        "actions": ["h", "t"],
        "probabilities": [0.25, 0.75],  # one float payoff makes the whole game float
        "children": [1, 4],
        "infoset": "nature",
        "label": "c0",
    }
    assert nodes[1]["children"] == [2, 3] and nodes[2] == {
        "id": 2,
        "type": "terminal",
        "payoffs": [1.0, 2.0],
        "label": "win",
    }
    assert_same_game(tree, loads_json_game(dumps_json_game(tree)))


def test_symbolic_payoffs_are_formula_strings_read_back_safely():
    c, w = sympy.symbols("c w")
    game = NormalFormGame(
        ["A", "B"], [["x", "y"], ["z"]], [[[c / 2 - 1, sympy.Max(c, w)]], [[sympy.exp(w) * sympy.E, sympy.Abs(c)]]]
    )
    record = game_to_json(game)
    assert record["kind"] == "symbolic" and record["parameters"] == ["c", "w"]
    assert record["payoffs"][0][0] == ["c/2 - 1", "max(c, w)"]
    back = loads_json_game(json.dumps(record))
    assert back.kind == "symbolic"
    values = {"c": Fraction(3), "w": Fraction(0)}
    assert back.evaluate(values).payoffs.tolist() == game.evaluate(values).payoffs.tolist()


def test_symbolic_trees_round_trip():
    p = parse_formula("p")
    tree = ExtensiveFormGame(["A"], Chance(("h", "t"), (p, 1 - p), (Terminal(("k - 1",)), Terminal((2,)))))
    back = loads_json_game(dumps_json_game(tree))
    assert back.parameters == ("k", "p")
    assert back.evaluate(p=Fraction(1, 4), k=3).root.probabilities == (Fraction(1, 4), Fraction(3, 4))


def test_a_formula_the_language_cannot_express_is_refused():
    with pytest.raises(DeterrenceError, match="reads back the same"):
        formula_text(sympy.pi * sympy.Symbol("x"))


def test_files_round_trip_and_read_errors_name_the_file(tmp_path):
    game = MODELS[0].game({})
    path = tmp_path / "g.json"
    write_json_game(game, path)
    assert_same_game(game, read_json_game(path))
    with pytest.raises(GameFileError, match="missing.json: no such file"):
        read_json_game(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(GameFileError, match="bad.json: not valid JSON"):
        read_json_game(tmp_path / "bad.json")


def normal_record(**changes):
    record = game_to_json(NormalFormGame(["A", "B"], [["x"], ["y", "z"]], [[[1, 2], [3, 4]]]))
    record.update(changes)
    return record


def tree_record():
    return game_to_json(ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), "y": Terminal((0,))})))


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ([1, 2], "not a deterrence game file"),
        (normal_record(format="other"), "not a deterrence game file"),
        (normal_record(version=VERSION + 1), "unsupported game-file version 2"),
        (normal_record(version="1"), "unsupported game-file version '1'"),
        (normal_record(form="matrix"), "'form' must be"),
        (normal_record(players="A"), "players: expected a list of strings"),
        (normal_record(payoffs=[[[1, 2]]]), r"payoffs\[0\] must be a list of 2 entries"),
        (normal_record(payoffs=[[[1, 2], [3, True]]]), r"payoffs\[0, 1, 1\]: expected a number"),
        (normal_record(payoffs=[[[1, 2], [3, None]]]), "expected a number or a formula string"),
        (normal_record(payoffs=[[[1, 2], [3, "__import__('os')"]]]), "is not allowed"),
        (normal_record(kind="float"), "says its values are 'float' but they are 'exact'"),
        (normal_record(strategies=[["x"], ["y", "y"]]), "labels must be unique"),
    ],
)
def test_malformed_normal_forms_are_one_line_errors(record, message):
    with pytest.raises(GameFileError, match=message) as caught:
        loads_json_game(json.dumps(record), "g.json")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("g.json: ")


def _tree_with(edit):
    record = tree_record()
    edit(record["nodes"])
    return record


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda nodes: nodes.clear(), "'nodes' is empty"),
        (lambda nodes: nodes[0].update(children=[1, 1]), "node 1 is already a child of node 0"),
        (lambda nodes: nodes[0].update(children=[0, 2]), "child 0 must be the id of a later node"),
        (lambda nodes: nodes[0].update(children=[1]), "node 2 is not the child of any node"),
        (lambda nodes: nodes[0].update(children=[1, 7]), "child 7 must be the id"),
        (lambda nodes: nodes[1].update(id=5), "has id 5"),
        (lambda nodes: nodes[0].update(type="nature"), "'type' must be"),
        (lambda nodes: nodes[0].pop("player"), "missing field 'player'"),
        (lambda nodes: nodes[0].update(player="Z"), "unknown player 'Z'"),
        (lambda nodes: nodes[0].update(actions=["x"]), "1 actions and 2 children"),
        (lambda nodes: nodes[2].update(payoffs=[1, 2]), "2 payoffs for 1 players"),
        (lambda nodes: nodes[2].update(label=3), "'label' must be a string"),
    ],
)
def test_malformed_trees_are_one_line_errors(edit, message):
    with pytest.raises(GameFileError, match=message) as caught:
        loads_json_game(json.dumps(_tree_with(edit)), "t.json")
    assert "\n" not in str(caught.value)


def test_bad_chance_probabilities_are_refused():
    tree = ExtensiveFormGame(["A"], Chance(("h", "t"), ("1/2", "1/2"), (Terminal((1,)), Terminal((0,)))))
    record = game_to_json(tree)
    record["nodes"][0]["probabilities"] = ["1/2", "1/3"]
    with pytest.raises(GameFileError, match="sum to 5/6"):
        loads_json_game(json.dumps(record))


def test_decision_nodes_keep_their_information_sets():
    left = choice("B", "dark", {"l": Terminal((1, 0)), "r": Terminal((0, 1))})
    right = choice("B", "dark", {"l": Terminal((0, 1)), "r": Terminal((1, 0))})
    tree = ExtensiveFormGame(["A", "B"], Decision("A", "a", ("L", "R"), (left, right)))
    back = loads_json_game(dumps_json_game(tree))
    assert back.infosets == {"A": ("a",), "B": ("dark",)}
