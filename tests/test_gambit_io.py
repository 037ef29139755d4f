"""Tests of the Gambit ``.nfg``/``.efg`` reader and writer (deterrence.io.gambit).

The files come from ``tests/data/gambit/`` (see ``tests/gambit_files.py``) and,
when it sits beside the repository, from the Gambit corpus.
"""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from gambit_files import (
    CORPUS,
    FIXTURES,
    GAME_FILES,
    HAND_WRITTEN,
    WRITTEN,
    assert_same_game,
    efg,
    file_id,
    node_signature,
    normal_form_games,
    trees,
)
from hypothesis import given, settings

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
from deterrence.io.gambit_lexer import parse_number, quote, tokenize, unique_labels

# Corpus files that needed special handling.  All of them load; none is refused.
#   4cards, caro2, e10, nim7: node labels repeat (e.g. "1 left" in Nim) -- node
#       labels carry no meaning in the data model; later repeats get "~2", "~3".
#   holdout: two chance information-set labels repeat ("Discount" on 18 sets,
#       "Choose 2's type" on 2), so those sets are keyed by their numbers; its
#       chance actions are unlabelled ("") and become "1", "2"; it also has
#       named-"" interior outcomes.
#   sww1: both players are unnamed ("") and become "1", "2"; payoffs are
#       written as "4.000000" under the obsolete "D" data type.
#   2s2x2x2, e13, holdout, km6, palf3, work2: outcomes at non-terminal nodes,
#       added into every terminal payoff below.
# The fixture legacy_labels.efg has each of these quirks in a few lines.
SPECIAL = {
    "4cards.efg": "repeated node labels",
    "caro2.efg": "repeated node labels",
    "e10.efg": "repeated node labels",
    "nim7.efg": "repeated node labels",
    "holdout.efg": "repeated chance infoset labels, empty action labels",
    "sww1.nfg": "unnamed players, D data type",
}
CORPUS_INTERIOR_OUTCOMES = ["2s2x2x2.efg", "e13.efg", "holdout.efg", "km6.efg", "palf3.efg", "work2.efg"]
INTERIOR_OUTCOMES = [FIXTURES / "interior_outcomes.efg"] + [
    CORPUS / name for name in CORPUS_INTERIOR_OUTCOMES if (CORPUS / name).is_file()
]


# -- every game file ------------------------------------------------------------
@pytest.mark.parametrize("path", GAME_FILES, ids=file_id)
def test_every_game_file_loads_and_round_trips(path):
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


@pytest.mark.parametrize("name", sorted(WRITTEN))
def test_written_fixtures_are_what_the_writer_writes(name):
    """The files are the writer's output for their builders (regenerate with gambit_files.py)."""
    built = WRITTEN[name]()
    assert (FIXTURES / name).read_text(encoding="utf-8") == dumps(built)
    assert_same_game(read_game(FIXTURES / name), built)


def test_fixture_folder_lists_every_file():
    names = {p.name for p in FIXTURES.glob("*.[ne]fg")}
    assert names == set(WRITTEN) | set(HAND_WRITTEN)


def test_corpus_has_the_expected_files(corpus_dir):
    files = sorted(corpus_dir.glob("*.nfg")) + sorted(corpus_dir.glob("*.efg"))
    assert len(files) == 65  # plus README.md: 66 files
    assert set(SPECIAL) <= {p.name for p in files}


# -- what the fixtures pin ------------------------------------------------------
def test_outcome_version_fixture():
    # Profiles, first player fastest: (up,left)=1 (down,left)=2 (up,centre)=0
    # (down,centre)=3 (up,right)=2 (down,right)=1.
    game = read_nfg(FIXTURES / "outcomes.nfg")
    a, b = game.bimatrix()
    assert a.tolist() == [[1, 0, -1], [-1, Fraction(1, 2), 1]]
    assert b.tolist() == [[-1, 0, 1], [1, Fraction(1, 2), -1]]
    assert game.strategies == (("up", "down"), ("left", "centre", "right"))


def test_three_player_fixture_first_player_fastest():
    text = (FIXTURES / "three_player.nfg").read_text(encoding="utf-8").splitlines()
    assert text[-7] == "2 2 2"  # the second row is profile (a2, b1, c1)
    game = read_nfg(FIXTURES / "three_player.nfg")
    assert game.payoffs[1, 0, 0].tolist() == [2, 2, 2]
    assert game.payoffs[0, 1, 1].tolist() == [Fraction(-3, 4), 0, 2]


def test_interior_outcomes_fixture_sums_along_the_path():
    game = read_efg(FIXTURES / "interior_outcomes.efg")
    # entry fee (-1, 1/2) + search cost (0, -1/4) + deal (10, 4)
    assert game.node_at(["high", "buy", "ask high"]).payoffs == (9, Fraction(17, 4))
    assert game.node_at(["low", "buy", "ask high"]).payoffs == (5, Fraction(5, 2))
    assert game.node_at(["low", "wait"]).payoffs == (0, Fraction(3, 2))  # fee + (1, 1)
    assert game.node_at(["low", "buy", "ask low"]).label == "deal"  # outcome 3 by reference


def test_legacy_labels_fixture():
    game = read_efg(FIXTURES / "legacy_labels.efg")
    assert game.players == ("1", "B")  # "" -> its number, "B " -> tidied
    assert game.root.actions == ("1", "2")  # empty chance actions
    assert game.root.probabilities == (Fraction(1, 2), Fraction(1, 2))
    chance_sets = [n.infoset for n, _ in game.walk() if isinstance(n, Chance)]
    assert chance_sets == ["1", "2"]  # "coin" labels two sets: keyed by number
    assert game.infosets == {"1": ("1", "2"), "B": ("1",)}  # "same" labels two sets
    labels = [n.label for n, _ in game.walk() if not isinstance(n, Terminal)]
    assert labels == ["toss", "node", "toss~2", "node~2", "node~3"]
    assert game.root.children[0].actions == ("call", "fold")
    assert game.node_at(["1", "fold"]).label == "fold out"


def test_kuhn_poker_fixture_chance_and_information_sets():
    game = read_efg(FIXTURES / "kuhn_poker.efg")
    assert game.root.probabilities == (Fraction(1, 6),) * 6
    # One set per card and history, in order of first appearance (deals JQ, JK, QJ, ...).
    assert game.infosets["Alice"] == ("J", "J check-bet", "Q", "Q check-bet", "K", "K check-bet")
    assert game.infosets["Bob"][:2] == ("Q after check", "Q after bet")
    assert game.node_at(["JQ", "bet", "call"]).payoffs == (-2, 2)
    assert len(game.terminals()) == 30


# -- the corpus ---------------------------------------------------------------
def test_outcome_version_2x2(corpus_dir):
    # 2x2.nfg: outcomes (2,0) (0,1) (0,1) (1,0) at profiles 11, 21, 12, 22.
    game = read_nfg(corpus_dir / "2x2.nfg")
    a, b = game.bimatrix()
    assert a.tolist() == [[2, 0], [0, 1]]
    assert b.tolist() == [[0, 1], [1, 0]]
    assert game.players == ("Player 1", "Player 2")
    assert game.title == "Two person 2 x 2 game with unique mixed equilibrium"


def test_payoff_version_yamamoto_first_player_fastest(corpus_dir):
    # "1 1 0 0 -9 -9 | 0 0 0 0 -7 -6 | -9 -9 -7 -7 -7 -7" for a 3x3 game.
    game = read_nfg(corpus_dir / "yamamoto.nfg")
    a, b = game.bimatrix()
    assert a.tolist() == [[1, 0, -9], [0, 0, -7], [-9, -7, -7]]
    assert b.tolist() == [[1, 0, -9], [0, 0, -7], [-9, -6, -7]]
    assert game.strategies == (("1", "2", "3"), ("1", "2", "3"))


def test_unnamed_players_and_decimal_payoffs_sww1(corpus_dir):
    game = read_nfg(corpus_dir / "sww1.nfg")
    assert game.players == ("1", "2")
    assert game.payoffs[1, 1].tolist() == [6, 2]
    assert all(isinstance(v, Fraction) for v in game.payoffs.flat)


def test_three_player_order_2x2x2(corpus_dir):
    # Outcome k sits at profile k in first-player-fastest order.
    game = read_nfg(corpus_dir / "2x2x2.nfg")
    assert game.payoffs[0, 0, 0].tolist() == [9, 8, 12]
    assert game.payoffs[1, 1, 0].tolist() == [9, 8, 2]  # profile 4 = (2, 2, 1)
    assert game.payoffs[0, 0, 1].tolist() == [0, 0, 0]  # profile 5 = (1, 1, 2)
    assert game.payoffs[1, 0, 1].tolist() == [3, 4, 6]  # profile 6 = (2, 1, 2)


def test_interior_outcomes_are_added_to_terminals_e13(corpus_dir):
    game = read_efg(corpus_dir / "e13.efg")
    # Stage one (C, C) pays (3, 3) at an interior node; stage two adds its own.
    assert game.node_at(["C", "C", "C", "C"]).payoffs == (6, 6)
    assert game.node_at(["C", "C", "C", "D"]).payoffs == (3, 7)
    assert game.node_at(["C", "C", "D", "D"]).payoffs == (4, 4)


def test_repeated_chance_infoset_labels_fall_back_to_numbers_holdout(corpus_dir):
    game = read_efg(corpus_dir / "holdout.efg")
    chance_sets = {n.infoset for n, _ in game.walk() if isinstance(n, Chance)}
    assert "Choose 1's type" in chance_sets  # unique label kept
    assert "Discount" not in chance_sets and "Choose 2's type" not in chance_sets
    assert {"2", "3", "15", "21"} <= chance_sets
    discount = game.node_at(["High", "High", "H", "H"])
    assert isinstance(discount, Chance)
    assert discount.actions == ("1", "2")  # empty labels in the file
    assert discount.probabilities == (Fraction(1, 10), Fraction(9, 10))


def test_repeated_node_labels_get_suffixes_nim7(corpus_dir):
    game = read_efg(corpus_dir / "nim7.efg")
    labels = [n.label for n, _ in game.walk() if isinstance(n, Decision)]
    assert labels.count("3_left") == 1
    assert {"3_left~2", "3_left~3", "3_left~4", "3_left~5"} <= set(labels)
    assert "3_left~6" not in labels  # "3_left" sits at five decision nodes
    assert len(set(labels)) == len(labels)


def test_whitespace_in_labels_is_tidied_caro2(corpus_dir):
    game = read_efg(corpus_dir / "caro2.efg")
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


def test_chance_probabilities_exact_4cards(corpus_dir):
    game = read_efg(corpus_dir / "4cards.efg")
    assert game.root.probabilities == (Fraction(1, 12),) * 12
    assert game.infosets["Player 1"][:2] == ("A", "1p2rA")


@pytest.mark.parametrize("path", INTERIOR_OUTCOMES, ids=file_id)
def test_interior_outcome_files_keep_the_payoff_sums(path):
    """Rewriting moves interior outcomes to the terminals; the sums stay."""
    game = read_efg(path)
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
@settings(max_examples=40, deadline=None)
@given(normal_form_games())
def test_random_normal_form_games_round_trip(game):
    assert_same_game(loads(dumps(game)), game)


@settings(max_examples=40, deadline=None)
@given(trees())
def test_random_trees_round_trip(game):
    assert_same_game(loads(dumps(game)), game)
