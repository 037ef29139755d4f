"""Fuzz tests of the Gambit readers: any input either parses or raises GameFileError.

Hypothesis feeds random text, random token soups behind a valid header, random
bytes, and random mutations and truncations of real game files: the fixtures in
``tests/data/gambit/`` and, when it is present, the Gambit corpus.  A
successful parse must also survive a write and re-read unchanged, and every
error message must be a single line.
"""

from __future__ import annotations

import pytest
from gambit_files import GAME_FILES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deterrence.errors import GameFileError
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.forms.normal_form import NormalFormGame
from deterrence.io import dumps, loads, read_game

# The small files keep each example fast; the fixtures alone cover both .nfg
# versions, chance nodes, information sets, interior outcomes and repeated labels.
SOURCES = [p.read_text(encoding="utf-8") for p in GAME_FILES if p.stat().st_size < 2500]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(source) -> None:
    """Parse ``source``; only a game or a one-line GameFileError may come out."""
    try:
        game = read_game(source) if not isinstance(source, str) else loads(source)
    except GameFileError as error:
        message = str(error)
        assert message and "\n" not in message
        return
    assert isinstance(game, NormalFormGame | ExtensiveFormGame)
    text = dumps(game)
    assert dumps(loads(text)) == text


# Fragments that steer random text into the parser's corners.
FRAGMENTS = st.sampled_from(
    [
        "{",
        "}",
        ",",
        '"',
        '""',
        '"x"',
        '"\\""',
        "\\",
        " ",
        "\n",
        "0",
        "1",
        "2",
        "-1",
        "1/2",
        "1/0",
        "0.5",
        ".5",
        "1e3",
        "1e99999",
        "-",
        "+",
        "/",
        "e",
        "c",
        "p",
        "t",
        "R",
        "D",
        "NFG",
        "EFG",
        "9999999999999999999999",
        "999999999",
    ]
)
HEADERS = st.sampled_from(
    [
        'NFG 1 R "" { "A" "B" } ',
        'NFG 1 R "" { "A" "B" } { 2 2 } ',
        'NFG 1 R "" { "A" } { { "x" "y" } } "" ',
        'EFG 2 R "" { "A" "B" } "" ',
        'EFG 2 R "" { "A" } ',
    ]
)


@FUZZ
@given(st.text(max_size=300))
@example("")
@example("NFG")
@example("EFG 2 R")
@example('"')
def test_random_text(text):
    check(text)


@FUZZ
@given(
    HEADERS,
    st.lists(FRAGMENTS, max_size=60),
    st.lists(st.sampled_from([" ", "\n", ""]), max_size=60),
)
def test_token_soup_after_a_valid_header(header, fragments, separators):
    body = "".join(f + (separators[i] if i < len(separators) else " ") for i, f in enumerate(fragments))
    check(header + body)


@FUZZ
@given(st.binary(max_size=200))
@example(b"\xff\xfe")
@example(b'NFG 1 R "\xe9" { "A" } { 1 } 1')
def test_random_bytes(data):
    check(data)


@st.composite
def mutations(draw):
    text = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["truncate", "delete", "insert", "replace", "duplicate"]))
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 40)))
        if operation == "truncate":
            text = text[:i]
        elif operation == "delete":
            text = text[:i] + text[j:]
        elif operation == "insert":
            text = text[:i] + draw(FRAGMENTS) + text[i:]
        elif operation == "replace":
            text = text[:i] + draw(FRAGMENTS) + text[j:]
        else:
            text = text[:i] + text[i:j] + text[i:]
    return text


@FUZZ
@given(mutations())
def test_mutated_corpus_files(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SOURCES), st.data())
def test_every_truncation_point(text, data):
    cut = data.draw(st.integers(0, len(text) - 1))
    check(text[:cut])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('NFG 1 R "" { "A" } ' + "{ " * 5_000, id="open-braces"),
        pytest.param('NFG 1 R "" { "A" } { ' + "{ " * 5_000 + "}" * 5_000, id="nested-strategies"),
        pytest.param('EFG 2 R "" { "A" } ' + 'p "" 1 1 "" { "a" } 0 ' * 5_000 + 't "" 0', id="deep-chain"),
        pytest.param('EFG 2 R "" { "A" } p "" 1 1 "" { ' + '"a" ' * 5_000 + "} 0", id="wide-node"),
        pytest.param('NFG 1 R "' + "\\" * 5_001, id="backslashes"),
        pytest.param('NFG 1 R "" { "A" } { 1 } ' + "9" * 5000, id="long-number"),
        pytest.param('NFG 1 R "" { "A" } { 10000000000000000000 } 1', id="huge-count"),
        pytest.param('NFG 1 R "" { "A" "B" "C" } { 100000 100000 100000 } 1 2 3', id="huge-table"),
    ],
)
def test_pathological_inputs_fail_cleanly_and_fast(text):
    with pytest.raises(GameFileError):
        loads(text)
