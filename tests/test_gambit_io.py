"""Tests of the Gambit ``.nfg``/``.efg`` reader and writer (deterrence.io.gambit)."""

from __future__ import annotations

import io
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.errors import GameFileError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.io import (
    dumps,
    loads,
    read_efg,
    read_game,
    read_nfg,
    write_efg,
    write_game,
    write_nfg,
)
from deterrence.io.gambit_efg import MAX_DEPTH
from deterrence.io.gambit_lexer import clean_label, parse_number, quote, tokenize, unique_labels

CORPUS = Path("/work/shared/gambit-corpus")
CORPUS_FILES = sorted(CORPUS.glob("*.nfg")) + sorted(CORPUS.glob("*.efg"))
needs_corpus = pytest.mark.skipif(not CORPUS_FILES, reason="Gambit corpus not present")

# Corpus files that needed special handling.  All of them load; none is refused.
#   4cards, caro2, e10, nim7: node labels repeat (e.g. "1 left" in Nim) -- node
#       labels carry no meaning in the data model, so repeats are kept as they are.
#   holdout: two chance information-set labels repeat ("Discount" on 18 sets,
#       "Choose 2's type" on 2), so those sets are keyed by their numbers; its
#       chance actions are unlabelled ("") and become "1", "2"; it also has
#       named-"" interior outcomes.
#   sww1: both players are unnamed ("") and become "1", "2"; payoffs are
#       written as "4.000000" under the obsolete "D" data type.
#   2s2x2x2, e13, holdout, km6, palf3, work2: outcomes at non-terminal nodes,
#       added into every terminal payoff below.
SPECIAL = {
    "4cards.efg": "repeated node labels",
    "caro2.efg": "repeated node labels",
    "e10.efg": "repeated node labels",
    "nim7.efg": "repeated node labels",
    "holdout.efg": "repeated chance infoset labels, empty action labels",
    "sww1.nfg": "unnamed players, D data type",
}
INTERIOR_OUTCOMES = ["2s2x2x2.efg", "e13.efg", "holdout.efg", "km6.efg", "palf3.efg", "work2.efg"]


# -- helpers ------------------------------------------------------------------
def node_signature(game: ExtensiveFormGame) -> list[tuple]:
    """Everything about a tree, in preorder, as comparable tuples."""
    out = []
    for node, path in game.walk():
        if isinstance(node, Terminal):
            out.append(("t", path, node.label, node.payoffs))
        elif isinstance(node, Chance):
            out.append(("c", path, node.label, node.infoset, node.actions, node.probabilities))
        else:
            out.append(("p", path, node.label, node.player, node.infoset, node.actions))
    return out


def assert_same_game(a, b) -> None:
    assert type(a) is type(b)
    assert a.players == b.players
    assert a.title == b.title
    if isinstance(a, NormalFormGame):
        assert a.strategies == b.strategies
        assert a.payoffs.shape == b.payoffs.shape
        assert a.payoffs.tolist() == b.payoffs.tolist()
    else:
        assert a.infosets == b.infosets
        assert node_signature(a) == node_signature(b)


def efg(body: str, players: str = '"A" "B"') -> str:
    return f'EFG 2 R "test" {{ {players} }}\n""\n{body}\n'


# -- the corpus ---------------------------------------------------------------
@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_corpus_file_loads_and_round_trips(path):
    game = read_game(path)
    expected_type = NormalFormGame if path.suffix == ".nfg" else ExtensiveFormGame
    assert isinstance(game, expected_type)
    assert game.kind == "exact"  # Gambit numbers are exact, and so are ours
    if isinstance(game, NormalFormGame) and game.n_players == 2:
        a, b = game.bimatrix()  # what the two-player solvers will take
        assert a.shape == b.shape == game.shape
    again = loads(dumps(game))
    assert_same_game(game, again)
    assert dumps(again) == dumps(game)


@needs_corpus
def test_corpus_has_the_expected_files():
    assert len(CORPUS_FILES) == 65  # plus README.md: 66 files
    assert set(SPECIAL) <= {p.name for p in CORPUS_FILES}


@needs_corpus
def test_outcome_version_2x2():
    # 2x2.nfg: outcomes (2,0) (0,1) (0,1) (1,0) at profiles 11, 21, 12, 22.
    game = read_nfg(CORPUS / "2x2.nfg")
    a, b = game.bimatrix()
    assert a.tolist() == [[2, 0], [0, 1]]
    assert b.tolist() == [[0, 1], [1, 0]]
    assert game.players == ("Player 1", "Player 2")
    assert game.title == "Two person 2 x 2 game with unique mixed equilibrium"


@needs_corpus
def test_payoff_version_yamamoto_first_player_fastest():
    # "1 1 0 0 -9 -9 | 0 0 0 0 -7 -6 | -9 -9 -7 -7 -7 -7" for a 3x3 game.
    game = read_nfg(CORPUS / "yamamoto.nfg")
    a, b = game.bimatrix()
    assert a.tolist() == [[1, 0, -9], [0, 0, -7], [-9, -7, -7]]
    assert b.tolist() == [[1, 0, -9], [0, 0, -7], [-9, -6, -7]]
    assert game.strategies == (("1", "2", "3"), ("1", "2", "3"))


@needs_corpus
def test_unnamed_players_and_decimal_payoffs_sww1():
    game = read_nfg(CORPUS / "sww1.nfg")
    assert game.players == ("1", "2")
    assert game.payoffs[1, 1].tolist() == [6, 2]
    assert all(isinstance(v, Fraction) for v in game.payoffs.flat)


@needs_corpus
def test_three_player_order_2x2x2():
    # Outcome k sits at profile k in first-player-fastest order.
    game = read_nfg(CORPUS / "2x2x2.nfg")
    assert game.payoffs[0, 0, 0].tolist() == [9, 8, 12]
    assert game.payoffs[1, 1, 0].tolist() == [9, 8, 2]  # profile 4 = (2, 2, 1)
    assert game.payoffs[0, 0, 1].tolist() == [0, 0, 0]  # profile 5 = (1, 1, 2)
    assert game.payoffs[1, 0, 1].tolist() == [3, 4, 6]  # profile 6 = (2, 1, 2)


@needs_corpus
def test_interior_outcomes_are_added_to_terminals_e13():
    game = read_efg(CORPUS / "e13.efg")
    # Stage one (C, C) pays (3, 3) at an interior node; stage two adds its own.
    assert game.node_at(["C", "C", "C", "C"]).payoffs == (6, 6)
    assert game.node_at(["C", "C", "C", "D"]).payoffs == (3, 7)
    assert game.node_at(["C", "C", "D", "D"]).payoffs == (4, 4)


@needs_corpus
def test_repeated_chance_infoset_labels_fall_back_to_numbers_holdout():
    game = read_efg(CORPUS / "holdout.efg")
    chance_sets = {n.infoset for n, _ in game.walk() if isinstance(n, Chance)}
    assert "Choose 1's type" in chance_sets  # unique label kept
    assert "Discount" not in chance_sets and "Choose 2's type" not in chance_sets
    assert {"2", "3", "15", "21"} <= chance_sets
    discount = game.node_at(["High", "High", "H", "H"])
    assert isinstance(discount, Chance)
    assert discount.actions == ("1", "2")  # empty labels in the file
    assert discount.probabilities == (Fraction(1, 10), Fraction(9, 10))


@needs_corpus
def test_repeated_node_labels_get_suffixes_nim7():
    game = read_efg(CORPUS / "nim7.efg")
    labels = [n.label for n, _ in game.walk() if isinstance(n, Decision)]
    assert labels.count("3_left") == 1
    assert {"3_left~2", "3_left~3", "3_left~4", "3_left~5"} <= set(labels)
    assert "3_left~6" not in labels  # "3_left" sits at five decision nodes
    assert len(set(labels)) == len(labels)


@needs_corpus
def test_whitespace_in_labels_is_tidied_caro2():
    game = read_efg(CORPUS / "caro2.efg")
    assert game.root.actions[0] == "A- K"
    actions = {a for n, _ in game.walk() if isinstance(n, Decision) for a in n.actions}
    assert "call" in actions and "call " not in actions


def test_writer_tidies_labels_the_way_gambit_requires():
    leaf = Terminal((1,), " end  game ")
    inner = Decision("A ", "t", ("x",), (leaf,), "n")
    tree = Decision("A ", " s ", ("go", "go "), (inner, leaf), "n")
    text = dumps(ExtensiveFormGame(["A "], tree))
    assert text.splitlines()[3:] == [
        'p "n" 1 1 "s" { "go" "go~2" } 0',
        'p "n~2" 1 2 "t" { "x" } 0',
        't "" 1 "end game" { 1 }',
        't "" 1 "end game" { 1 }',
    ]
    assert text.startswith('EFG 2 R "" { "A" }')


@needs_corpus
def test_chance_probabilities_exact_4cards():
    game = read_efg(CORPUS / "4cards.efg")
    assert game.root.probabilities == (Fraction(1, 12),) * 12
    assert game.infosets["Player 1"][:2] == ("A", "1p2rA")


@needs_corpus
@pytest.mark.parametrize("name", INTERIOR_OUTCOMES)
def test_interior_outcome_files_keep_the_payoff_sums(name):
    """Rewriting moves interior outcomes to the terminals; the sums stay."""
    game = read_efg(CORPUS / name)
    text = dumps(game)
    assert all(line.endswith(" 0") for line in text.splitlines() if line[:2] in ("p ", "c "))
    assert node_signature(loads(text)) == node_signature(game)


# -- numbers ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, value",
    [
        pytest.param("3", Fraction(3), id="integer"),
        pytest.param("-7", Fraction(-7), id="negative"),
        pytest.param("+2", Fraction(2), id="plus"),
        pytest.param("0.5", Fraction(1, 2), id="decimal"),
        pytest.param("0.1", Fraction(1, 10), id="tenth-exact"),
        pytest.param(".25", Fraction(1, 4), id="leading-dot"),
        pytest.param("5.", Fraction(5), id="trailing-dot"),
        pytest.param("1/3", Fraction(1, 3), id="rational"),
        pytest.param("-2/6", Fraction(-1, 3), id="rational-reduced"),
        pytest.param("1.5e-3", Fraction(3, 2000), id="exponent"),
        pytest.param("2E2", Fraction(200), id="exponent-upper"),
        pytest.param("4.000000", Fraction(4), id="padded"),
    ],
)
def test_numbers_are_read_exactly(text, value):
    assert parse_number(text) == value
    game = read_nfg(f'NFG 1 R "" {{ "A" }} {{ 1 }} {text}')
    assert game.payoffs[0, 0] == value and isinstance(game.payoffs[0, 0], Fraction)


def test_escaped_quotes_and_backslashes_in_labels():
    tokens = tokenize(r'"say \"hi\"" "a\\b" "c\d"')
    assert [t.text for t in tokens] == ['say "hi"', "a\\b", "c\\d"]
    for label in ['say "hi"', "back\\slash", "end\\", '\\"', "two\\\\x", "line\nbreak"]:
        assert tokenize(quote(label))[0].text == label


@pytest.mark.parametrize(
    "labels, expected",
    [
        pytest.param(["a", "b"], ["a", "b"], id="unchanged"),
        pytest.param(["", ""], ["1", "2"], id="empty-to-number"),
        pytest.param(["x", "x", "x"], ["x", "x~2", "x~3"], id="repeats"),
        pytest.param(["", "1"], ["1~2", "1"], id="number-taken"),
        pytest.param(["a", "a", "a~2"], ["a", "a~3", "a~2"], id="suffix-taken"),
    ],
)
def test_unique_labels(labels, expected):
    assert unique_labels(labels) == expected


def test_unlabelled_and_repeated_strategies_and_players():
    text = 'NFG 1 R "" { "P" "P" } { { "" "x" "x" } { "y" } } ""\n1 2 3 4 5 6'
    game = read_nfg(text)
    assert game.players == ("P", "P~2")
    assert game.strategies == (("1", "x", "x~2"), ("y",))
    assert game.payoffs[2, 0].tolist() == [5, 6]


def test_outcome_version_null_outcome_and_commas():
    text = 'NFG 1 R "" { "A" "B" } { 2 1 } "" { { "win" 1, -1 } { "" 1/2 1/2 } } 0 2'
    game = read_nfg(text)
    assert game.payoffs[0, 0].tolist() == [0, 0]
    assert game.payoffs[1, 0].tolist() == [Fraction(1, 2), Fraction(1, 2)]


# -- information sets and trees -----------------------------------------------
def test_infoset_identifier_rule():
    body = """p "" 1 1 "L" { "a" "b" "c" } 0
p "" 1 2 "dup" { "a" "b" } 0
t "" 0
t "" 0
p "" 1 3 "dup" { "a" "b" } 0
t "" 0
t "" 0
p "" 1 4 "" { "x" } 0
t "" 0"""
    game = read_efg(efg(body, '"A"'))
    assert game.infosets["A"] == ("L", "2", "3", "4")


def test_infoset_label_clashing_with_a_number_falls_back():
    # Set 1 is labelled "2" but set 2 is unlabelled and keyed "2": both use numbers.
    body = """p "" 1 1 "2" { "a" "b" } 0
p "" 1 2 "" { "x" } 0
t "" 0
t "" 0"""
    assert read_efg(efg(body, '"A"')).infosets["A"] == ("1", "2")


def test_same_infoset_numbers_for_different_players_are_distinct():
    body = """p "" 1 1 "" { "a" "b" } 0
p "" 2 1 "" { "c" "d" } 0
t "" 1 "o" { 1, 2 }
t "" 0
p "" 2 1 "" { "c" "d" } 0
t "" 1
t "" 2 "" { 3, 4 }"""
    game = read_efg(efg(body))
    assert game.infosets == {"A": ("1",), "B": ("1",)}
    assert game.node_at(["b", "c"]).payoffs == (1, 2)
    assert game.node_at(["b", "c"]).label == "o"  # outcome name carried by reference


def test_terminal_label_prefers_outcome_name_over_node_label():
    body = """p "root" 1 1 "" { "a" "b" } 0
t "leaf" 1 "named" { 1, 1 }
t "leaf" 0"""
    game = read_efg(efg(body))
    assert game.root.label == "root"
    assert [t.label for t, _ in game.terminals()] == ["named", "leaf"]
    assert game.terminals()[1][0].payoffs == (0, 0)  # null outcome


def test_interior_outcomes_accumulate_along_the_path():
    body = """c "" 1 "nature" { "l" 1/4 "r" 3/4 } 1 "entry fee" { -1, 1/2 }
p "" 1 1 "" { "a" "b" } 2 "" { 10, 0 }
t "" 3 "" { 1, 1 }
t "" 0
t "" 3"""
    game = read_efg(efg(body))
    assert game.node_at(["l", "a"]).payoffs == (10, Fraction(3, 2))
    assert game.node_at(["l", "b"]).payoffs == (9, Fraction(1, 2))
    assert game.node_at(["r"]).payoffs == (0, Fraction(3, 2))


def test_deep_chain_within_the_limit_reads_and_round_trips():
    depth = MAX_DEPTH - 10
    body = "\n".join('p "" 1 1 "" { "stop" "go" } 0\nt "" 0' for _ in range(depth))
    game = read_efg(efg(body + '\nt "" 1 "end" { 1 }', '"A"'))
    assert len(game.terminals()) == depth + 1
    assert node_signature(loads(dumps(game))) == node_signature(game)


def test_tree_deeper_than_the_limit_is_refused():
    body = "\n".join('p "" 1 1 "" { "stop" "go" } 0\nt "" 0' for _ in range(MAX_DEPTH + 5))
    with pytest.raises(GameFileError, match=r"deeper than \d+ levels"):
        read_efg(efg(body + '\nt "" 0', '"A"'))


# -- malformed input ----------------------------------------------------------
NFG2 = 'NFG 1 R "x" { "A" "B" } { 2 2 }\n'
MALFORMED = [
    pytest.param("", r"empty file", id="empty"),
    pytest.param("  \n\t ", r"empty file", id="whitespace-only"),
    pytest.param('NFX 1 R "x"', r"expected a Gambit header", id="bad-header"),
    pytest.param('NFG 2 R "x" { "A" } { 1 } 0', r"line 1: expected '1'", id="nfg-version"),
    pytest.param('NFG 1 Q "x" { "A" } { 1 } 0', r"line 1: expected 'R' or 'D'", id="data-type"),
    pytest.param("NFG 1 R { }", r"game title", id="missing-title"),
    pytest.param('NFG 1 R "x" { } { } 1', r"no players", id="no-players"),
    pytest.param('NFG 1 R "x" { A } { 1 } 1', r"'}' closing the list of players", id="unquoted-player"),
    pytest.param(NFG2 + "1 2 3 4 5 6 7", r"line 2: expected 8 payoffs", id="too-few-payoffs"),
    pytest.param(NFG2 + "1 2 3 4 5 6 7 8\n9", r"line 3: unexpected number '9'", id="too-many-payoffs"),
    pytest.param(NFG2 + "1 2 3 x 5 6 7 8", r"found symbol 'x'", id="non-numeric-payoff"),
    pytest.param(NFG2 + "1 2 3 4 5 6 7 1/0", r"zero denominator", id="zero-denominator"),
    pytest.param(NFG2 + "1 2 3 4 5 6 7 1e9999", r"exponent .* out of range", id="huge-exponent"),
    pytest.param(NFG2 + "1 2 3 4 5 6 7 1_0", r"found symbol '1_0'", id="underscore-number"),
    pytest.param('NFG 1 R "x" { "A" } { 0 } 1', r"player 1 has 0 strategies", id="zero-strategies"),
    pytest.param('NFG 1 R "x" { "A" "B" } { 2 } 1 2', r"for 1 players, the game has 2", id="strategy-count"),
    pytest.param('NFG 1 R "x" { "A" } { 10**9 } 1', r"expected", id="expression-count"),
    pytest.param('NFG 1 R "x" { "A" } { 2 } "" { { "o" 1 } } 1 2', r"unknown outcome 2", id="unknown-outcome"),
    pytest.param(
        'NFG 1 R "x" { "A" } { 2 } "" { { "o" 1 } } 1 -1',
        r"unknown outcome -1",
        id="negative-outcome",
    ),
    pytest.param(
        'NFG 1 R "x" { "A" } { 2 } "" { { "o" 1 2 } } 1 1',
        r"outcome 1 has 2 payoffs",
        id="outcome-payoffs",
    ),
    pytest.param(
        'NFG 1 R "x" { "A" } { 2 } "" { { "o" 1 } } 1',
        r"expected 2 outcome numbers",
        id="few-outcome-indices",
    ),
    pytest.param(
        'NFG 1 R "x" { "A" } { 2 } "" { { "o" 1 } } 1 0.5',
        r"an outcome number \(an integer\)",
        id="fractional-outcome-index",
    ),
    pytest.param('NFG 1 R "x" { "A" } { 1 } "unclosed', r"quoted label is not closed", id="unclosed-quote"),
    pytest.param(efg(""), r"before the root node", id="efg-no-tree"),
    pytest.param(
        efg('p "" 1 1 "" { "a" "b" } 0\nt "" 0'),
        r"line 4: file ends before the tree is complete \(at least 1 more node",
        id="efg-truncated",
    ),
    pytest.param(
        efg('t "" 0\nt "" 0'),
        r"line 4: unexpected symbol 't' after the last node",
        id="efg-extra-node",
    ),
    pytest.param(
        efg('q "" 0'),
        r"line 3: expected a node type 'c', 'p' or 't', found 'q'",
        id="efg-node-type",
    ),
    pytest.param(efg('p "" 3 1 "" { "a" } 0\nt "" 0'), r"player 3 does not exist", id="efg-player-range"),
    pytest.param(
        efg('p "" 0 1 "" { "a" } 0\nt "" 0'),
        r"player number must be at least 1",
        id="efg-player-zero",
    ),
    pytest.param(
        efg('p "" 1 1 0'),
        r"information set 1 of player 1 is used before it is defined",
        id="efg-undefined-infoset",
    ),
    pytest.param(efg('p "" 1 1 "" { } 0'), r"has no actions", id="efg-no-actions"),
    pytest.param(
        efg('c "" 1 "" { "a" -1/2 "b" 3/2 } 0\nt "" 0\nt "" 0'),
        r"line 3: negative probability -1/2",
        id="negative-probability",
    ),
    pytest.param(
        efg('c "" 1 "" { "a" 1/2 "b" 1/3 } 0\nt "" 0\nt "" 0'),
        r"sum to 5/6, not 1",
        id="probabilities-not-summing",
    ),
    pytest.param(efg('c "" 1 "" { "a" "b" } 0'), r"action probability \(a number\)", id="missing-probability"),
    pytest.param(efg('t "" 1 "o" { 1 }'), r"has 1 payoffs, expected 2", id="efg-payoff-count"),
    pytest.param(efg('t "" 1 "o" { 1, x }'), r"found symbol 'x'", id="efg-non-numeric-payoff"),
    pytest.param(efg('t "" 1'), r"outcome 1 is used before it is defined", id="efg-unknown-outcome"),
    pytest.param(efg('t "" 0 "o" { 1, 2 }'), r"null outcome 0 cannot have", id="efg-null-outcome-payoffs"),
    pytest.param(efg('t "" -1'), r"outcome number must be at least 0", id="efg-negative-outcome"),
    pytest.param(
        efg('p "" 1 1 "" { "a" "b" } 1 "o" { 1, 1 }\nt "" 1 "o" { 2, 2 }\nt "" 0'),
        r"line 4: outcome 1 is described differently",
        id="efg-outcome-redefined",
    ),
    pytest.param(
        efg('p "" 1 1 "" { "a" "b" } 0\np "" 1 1 "" { "a" "c" } 0\nt "" 0\nt "" 0\nt "" 0'),
        r"line 4: information set 1 of player 1 is described differently "
        r"from its definition on line 3",
        id="efg-infoset-redefined",
    ),
    pytest.param(
        'EFG 2 R "x" { "A" } "" p "" 1 1 "" { "a" "b" } 0 t "" 0 t',
        r"file ends where node label",
        id="efg-cut-mid-node",
    ),
    pytest.param('EFG 1 R "x" { "A" } t "" 0', r"expected '2'", id="efg-version"),
]


@pytest.mark.parametrize("text, message", MALFORMED)
def test_malformed_text_raises_game_file_error(text, message):
    with pytest.raises(GameFileError, match=message) as info:
        read_game(text)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(GameFileError, match=r"no-such\.nfg: no such file"):
        read_game(tmp_path / "no-such.nfg")


def test_directory(tmp_path):
    with pytest.raises(GameFileError, match="is a directory"):
        read_game(tmp_path)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.nfg"
    path.write_bytes('NFG 1 R "caf\xe9" { "A" } { 1 } 1'.encode("latin-1"))
    with pytest.raises(GameFileError, match=r"latin\.nfg: not UTF-8 text \(byte 0xe9 at offset 12\)"):
        read_game(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.efg"
    path.write_text("")
    with pytest.raises(GameFileError, match=r"empty\.efg: empty file"):
        read_game(path)


def test_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.efg"
    path.write_text(efg('p "" 1 1 "" { "a" "b" } 0\nt "" 0\nt "" 7'))
    with pytest.raises(GameFileError, match=r"broken\.efg: line 5: outcome 7 is used before"):
        read_efg(str(path))


def test_wrong_reader_for_the_format():
    with pytest.raises(GameFileError, match=r"EFG file, not NFG \(use read_efg"):
        read_nfg(efg('t "" 0'))
    with pytest.raises(GameFileError, match=r"NFG file, not EFG"):
        read_efg('NFG 1 R "" { "A" } { 1 } 1')


def test_loads_needs_text():
    with pytest.raises(GameFileError, match="needs a str"):
        loads(b"NFG")  # type: ignore[arg-type]


# -- sources and writers ------------------------------------------------------
def test_sources_path_str_bytes_and_file(tmp_path):
    text = 'NFG 1 R "t" { "A" } { 2 } 1 -1'
    path = tmp_path / "g.nfg"
    path.write_text(text)
    for source in (
        path,
        str(path),
        text,
        text.encode(),
        io.StringIO(text),
        io.BytesIO(text.encode()),
    ):
        game = read_game(source)
        assert game.payoffs[:, 0].tolist() == [1, -1]


def test_byte_order_mark_is_ignored():
    assert read_game('\ufeffNFG 1 R "" { "A" } { 1 } 5').payoffs[0, 0] == 5


def test_header_decides_over_the_extension(tmp_path):
    path = tmp_path / "misnamed.nfg"
    path.write_text(efg('t "" 1 "o" { 1, 2 }'))
    assert isinstance(read_game(path), ExtensiveFormGame)


def test_writer_writes_fractions_and_floats_exactly():
    exact = NormalFormGame(["A", "B"], [["x"], ["y", "z"]], [[[Fraction(1, 3), -2], [0, Fraction(7, 2)]]])
    text = dumps(exact)
    assert text.splitlines()[-2:] == ["1/3 -2", "0 7/2"]
    floats = NormalFormGame(["A"], [["x", "y"]], [[0.1], [1e-20]])
    assert dumps(floats).splitlines()[-2:] == ["0.1", "1e-20"]
    back = loads(dumps(floats))  # decimal text read exactly
    assert back.payoffs[1, 0] == Fraction(1, 10**20)


def test_float_chance_probabilities_are_written_to_sum_exactly_to_one():
    third = 1 / 3
    root = Chance(("a", "b", "c"), (third, third, third), (Terminal((1,)),) * 3)
    game = ExtensiveFormGame(["A"], root)
    back = loads(dumps(game))
    probabilities = back.root.probabilities
    assert sum(probabilities) == 1
    assert probabilities[0] == Fraction(repr(third))  # the decimal text, exactly
    assert abs(float(probabilities[2]) - third) < 1e-15


def test_symbolic_games_are_not_written():
    sympy = pytest.importorskip("sympy")
    game = NormalFormGame(["A"], [["x"]], [[sympy.Symbol("cost")]])
    with pytest.raises(GameFileError, match=r"free parameters \['cost'\]"):
        dumps(game)


def test_write_game_and_extension_checks(tmp_path):
    tree = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), "y": Terminal((2,))}))
    with pytest.raises(GameFileError, match="cannot be written as .nfg"):
        write_game(tree, tmp_path / "tree.nfg")
    write_game(tree, tmp_path / "tree.efg")
    assert_same_game(read_game(tmp_path / "tree.efg"), tree)
    matrix = NormalFormGame(["A"], [["x"]], [[1]])
    write_nfg(matrix, tmp_path / "m.txt")
    assert_same_game(read_nfg(tmp_path / "m.txt"), matrix)
    buffer = io.StringIO()
    write_efg(tree, buffer)
    assert buffer.getvalue().startswith('EFG 2 R "" { "A" }')
    with pytest.raises(GameFileError, match="needs a NormalFormGame"):
        write_nfg(tree, buffer)


def test_written_efg_shares_outcomes_and_numbers_infosets():
    leaf = Terminal((1, 0), "win")
    tree = choice(
        "A",
        "top",
        {
            "l": choice("B", "info", {"c": leaf, "d": Terminal((0, 0))}),
            "r": choice("B", "info", {"c": Terminal((1, 0), "win"), "d": Terminal((0, 1))}),
        },
    )
    text = dumps(ExtensiveFormGame(["A", "B"], tree))
    assert text.splitlines()[3:] == [
        'p "" 1 1 "top" { "l" "r" } 0',
        'p "" 2 1 "info" { "c" "d" } 0',
        't "" 1 "win" { 1, 0 }',
        't "" 0',
        'p "" 2 1 "info" { "c" "d" } 0',
        't "" 1 "win" { 1, 0 }',
        't "" 2 "" { 0, 1 }',
    ]


# -- round trips of random games (hypothesis) ---------------------------------
# Labels as the reader produces them: whitespace already tidied.
labels = st.text(alphabet=st.sampled_from('ab "\\\n{}~1'), min_size=0, max_size=4).map(clean_label)
values = st.one_of(
    st.integers(-50, 50),
    st.fractions(min_value=-10, max_value=10, max_denominator=12),
)


@st.composite
def normal_form_games(draw, labels=labels):
    n_players = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 3)) for _ in range(n_players))
    players = unique_labels([draw(labels) for _ in range(n_players)])
    strategies = [unique_labels([draw(labels) for _ in range(k)]) for k in shape]
    flat = draw(
        st.lists(
            values,
            min_size=int(np.prod(shape)) * n_players,
            max_size=int(np.prod(shape)) * n_players,
        )
    )
    payoffs = np.array(flat, dtype=object).reshape(shape + (n_players,))
    return NormalFormGame(players, strategies, payoffs, title=draw(labels))


@settings(max_examples=40, deadline=None)
@given(normal_form_games())
def test_random_normal_form_games_round_trip(game):
    assert_same_game(loads(dumps(game)), game)


@st.composite
def trees(draw, labels=labels):
    players = ["A", "B"]
    counter = iter(range(10**6))

    def node(depth):
        kind = draw(st.sampled_from(["t", "p", "c"] if depth < 3 else ["t"]))
        if kind == "t":
            return Terminal(tuple(draw(values) for _ in players), draw(labels))
        width = draw(st.integers(1, 3))
        actions = tuple(unique_labels([draw(labels) for _ in range(width)]))
        children = tuple(node(depth + 1) for _ in range(width))
        name = draw(labels)
        name = f"{name}#{next(counter)}" if name else ""  # unique, as Gambit requires
        if kind == "c":
            weights = [draw(st.integers(0, 3)) for _ in range(width)]
            if sum(weights) == 0:
                weights[0] = 1
            probabilities = tuple(Fraction(w, sum(weights)) for w in weights)
            return Chance(actions, probabilities, children, name, f"n{next(counter)}")
        return Decision(draw(st.sampled_from(players)), f"s{next(counter)}", actions, children, name)

    return ExtensiveFormGame(players, node(0), title=draw(labels))


@settings(max_examples=40, deadline=None)
@given(trees())
def test_random_trees_round_trip(game):
    assert_same_game(loads(dumps(game)), game)


# -- cross-checks with pygambit -----------------------------------------------
# pygambit 16.7 refuses these corpus files; we read them (see SPECIAL) and
# write versions of them that pygambit reads (test_pygambit_reads_what_we_write).
GAMBIT_REFUSES = {
    "4cards.efg": "Node label must be unique",
    "caro2.efg": "Node label must be unique",
    "e10.efg": "Node label must be unique",
    "nim7.efg": "Node label must be unique",
    "holdout.efg": "Infoset label must be unique for the player",
}
GAMBIT_READABLE = [p for p in CORPUS_FILES if p.name not in GAMBIT_REFUSES]


def _gambit_read(path):
    gbt = pytest.importorskip("pygambit")
    reader = gbt.read_nfg if path.suffix == ".nfg" else gbt.read_efg
    return reader(str(path))


@pytest.mark.gambit
@needs_corpus
@pytest.mark.parametrize("name, message", sorted(GAMBIT_REFUSES.items()))
def test_pygambit_refuses_legacy_files_that_we_read(name, message):
    with pytest.raises(ValueError, match=message):
        _gambit_read(CORPUS / name)
    assert isinstance(read_efg(CORPUS / name), ExtensiveFormGame)


def _gambit_table(game):
    """Players, strategy labels and the exact payoff array of a pygambit table."""
    players = list(game.players)
    strategies = [list(p.strategies) for p in players]
    shape = tuple(len(s) for s in strategies)
    payoffs = np.empty(shape + (len(players),), dtype=object)
    for index in np.ndindex(*shape):
        outcome = game[[strategies[i][k] for i, k in enumerate(index)]]
        for j, player in enumerate(players):
            payoffs[index + (j,)] = Fraction(str(outcome[player]))
    labels = [[s.label for s in ss] for ss in strategies]
    return [p.label for p in players], labels, payoffs


def _gambit_tree(game):
    """Preorder signature of a pygambit tree: node kinds, players, information-set
    structure (sets numbered per player by first appearance), actions,
    probabilities and terminal payoffs summed over the outcomes on the path."""
    players = list(game.players)
    numbers: dict = {}
    out = []
    stack = [game.root]
    while stack:
        node = stack.pop()
        if node.is_terminal:
            total = [Fraction(0)] * len(players)
            walker = node
            while walker is not None:
                for j, player in enumerate(players):
                    try:  # pygambit 16.7 wraps a missing outcome in an object that raises
                        total[j] += Fraction(str(walker.outcome[player]))
                    except (KeyError, ValueError):
                        break
                walker = walker.parent
            out.append(("t", tuple(total)))
            continue
        infoset = node.infoset
        actions = list(infoset.actions)
        labels = tuple(a.label for a in actions)
        if infoset.player.is_chance:
            probabilities = tuple(Fraction(str(a.prob)) for a in actions)
            key = ("chance", infoset.number)
            numbers.setdefault(key, sum(k[0] == "chance" for k in numbers))
            out.append(("c", numbers[key], labels, probabilities))
        else:
            key = (infoset.player.label, infoset.number)
            numbers.setdefault(key, sum(k[0] == key[0] for k in numbers))
            out.append(("p", key[0], numbers[key], labels))
        stack.extend(reversed(list(node.children)))
    return out


def _our_tree(game):
    """The same signature for one of our games."""
    numbers: dict = {}
    out = []
    for node, _ in game.walk():
        if isinstance(node, Terminal):
            out.append(("t", node.payoffs))
        elif isinstance(node, Chance):
            key = ("chance", (node.infoset, node.probabilities))
            numbers.setdefault(key, sum(k[0] == "chance" for k in numbers))
            out.append(("c", numbers[key], node.actions, node.probabilities))
        else:
            key = (node.player, node.infoset)
            numbers.setdefault(key, sum(k[0] == node.player for k in numbers))
            out.append(("p", node.player, numbers[key], node.actions))
    return out


def _without_labels(signature):
    return [entry[:-2] + entry[-1:] if entry[0] == "c" else entry[:-1] for entry in signature]


GAMBIT_MADE_UP = re.compile(r".*_\d+\Z")  # pygambit 16.7 renames "" and repeats to "_1", "x_2"


@pytest.mark.gambit
@needs_corpus
@pytest.mark.parametrize("path", [p for p in GAMBIT_READABLE if p.suffix == ".nfg"], ids=lambda p: p.name)
def test_nfg_matches_pygambit(path):
    players, strategies, payoffs = _gambit_table(_gambit_read(path))
    ours = read_nfg(path)
    assert payoffs.shape == ours.payoffs.shape
    assert payoffs.tolist() == ours.payoffs.tolist()
    for theirs, mine in zip([players, *strategies], [ours.players, *ours.strategies], strict=True):
        for a, b in zip(theirs, mine, strict=True):
            assert a == b or GAMBIT_MADE_UP.match(a)


@pytest.mark.gambit
@needs_corpus
@pytest.mark.parametrize("path", [p for p in GAMBIT_READABLE if p.suffix == ".efg"], ids=lambda p: p.name)
def test_efg_matches_pygambit(path):
    theirs = _gambit_read(path)
    ours = read_efg(path)
    assert [p.label for p in theirs.players] == list(ours.players)
    gambit, mine = _gambit_tree(theirs), _our_tree(ours)
    assert _without_labels(gambit) == _without_labels(mine)
    for a, b in zip(gambit, mine, strict=True):
        if a[0] != "t":
            labels = a[3] if a[0] == "p" else a[2]
            ours_labels = b[3] if b[0] == "p" else b[2]
            pairs = zip(labels, ours_labels, strict=True)
            assert all(x == y or GAMBIT_MADE_UP.match(x) for x, y in pairs)


@pytest.mark.gambit
@needs_corpus
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_pygambit_reads_what_we_write(path, tmp_path):
    """Every corpus file, the legacy ones included, becomes a file Gambit 16.7 reads."""
    gbt = pytest.importorskip("pygambit")
    ours = read_game(path)
    out = tmp_path / path.name
    write_game(ours, out)
    if isinstance(ours, NormalFormGame):
        players, strategies, payoffs = _gambit_table(gbt.read_nfg(str(out)))
        assert players == list(ours.players)
        assert strategies == [list(s) for s in ours.strategies]
        assert payoffs.tolist() == ours.payoffs.tolist()
    else:
        theirs = gbt.read_efg(str(out))
        assert [p.label for p in theirs.players] == list(ours.players)
        assert _gambit_tree(theirs) == _our_tree(ours)  # labels included
        infosets = {p.label: [s.label or str(n) for n, s in enumerate(p.infosets, start=1)] for p in theirs.players}
        assert infosets == {p: list(ids) for p, ids in ours.infosets.items()}


# Gambit reads a backslash before a backslash literally (both are kept), so
# labels with backslashes are left out of this comparison; see quote().
gambit_labels_strategy = st.text(alphabet=st.sampled_from('ab "{}~1'), max_size=4).map(clean_label)


@pytest.mark.gambit
@settings(max_examples=25, deadline=None)
@given(tree=trees(gambit_labels_strategy), table=normal_form_games(gambit_labels_strategy))
def test_pygambit_reads_random_games_we_write(tree, table, tmp_path_factory):
    gbt = pytest.importorskip("pygambit")
    folder = tmp_path_factory.mktemp("random")
    write_game(tree, folder / "tree.efg")
    theirs = gbt.read_efg(str(folder / "tree.efg"))
    assert [p.label for p in theirs.players] == list(tree.players)
    assert _gambit_tree(theirs) == _our_tree(tree)
    write_game(table, folder / "table.nfg")
    players, strategies, payoffs = _gambit_table(gbt.read_nfg(str(folder / "table.nfg")))
    assert players == list(table.players)
    assert strategies == [list(s) for s in table.strategies]
    assert payoffs.tolist() == table.payoffs.tolist()
