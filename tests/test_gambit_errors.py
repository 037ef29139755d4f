"""Tests of the Gambit readers' errors: every malformed input gives a one-line GameFileError.

The message names the file (or ``<text>``), the line and the problem.  The
malformed files live in ``tests/data/gambit/malformed/``.
"""

from __future__ import annotations

import pytest
from gambit_files import MALFORMED_DIR, efg

from deterrence.errors import GameFileError
from deterrence.io import loads, read_efg, read_game, read_nfg

# -- malformed files ----------------------------------------------------------
MALFORMED_FILES = {
    "latin1.nfg": r"latin1\.nfg: not UTF-8 text \(byte 0xe9 at offset 12\)",
    "no_header.nfg": r"no_header\.nfg: line 1: expected a Gambit header NFG or EFG, found 'Game'",
    "probabilities.efg": r"line 4: chance probabilities of information set 1 sum to 5/6, not 1",
    "short_payoffs.nfg": r"line 3: expected 8 payoffs \(4 profiles x 2 players\), but only 7 tokens follow",
    "truncated.efg": r"line 6: file ends before the tree is complete \(at least 2 more nodes expected\)",
    "unclosed_label.efg": r"line 5: quoted label is not closed before the end of the file",
    "undefined_outcome.efg": r"line 6: outcome 7 is used before it is defined",
    "unknown_player.efg": r"line 4: player 3 does not exist; the game has 2 players",
}


@pytest.mark.parametrize("name, message", sorted(MALFORMED_FILES.items()))
def test_malformed_fixture_files(name, message):
    with pytest.raises(GameFileError, match=message) as info:
        read_game(MALFORMED_DIR / name)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(str(MALFORMED_DIR / name))


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


def test_every_malformed_file_is_listed():
    assert sorted(p.name for p in MALFORMED_DIR.iterdir()) == sorted(MALFORMED_FILES)
