"""Gambit strategic-form files (``.nfg``): reading both versions, writing the payoff version.

A ``.nfg`` file describes an N-player game :math:`(S_1, \\dots, S_N; u)` by

* a prologue ``NFG 1 R "title" { "player" ... }``, then either the number of
  strategies of each player ``{ 3 2 }`` or their labels
  ``{ { "a" "b" "c" } { "x" "y" } }``, then an optional quoted comment;
* a body in one of two versions:

  - *payoff version*: a flat list of :math:`N \\prod_i |S_i|` numbers, the
    payoffs of all players at one profile after another, the first player's
    strategy changing fastest (like counting with the least significant
    digit first);
  - *outcome version*: a braced list of outcomes ``{ "name" u_1, u_2 }``,
    numbered from 1 in order, then one outcome number per profile in the same
    order, where 0 is the null outcome with all payoffs zero.

The reader maps this onto :class:`~deterrence.normal_form.NormalFormGame`
with exact :class:`~fractions.Fraction` payoffs; a file with more than
:data:`~deterrence.forms.normal_form.MAX_PLAYERS` players is refused before
its payoffs are read.  Players and strategies that
are unlabelled or share a label get unique labels from
:func:`~deterrence.io.gambit_lexer.unique_labels` (an empty label becomes the
1-based number, a repeat becomes ``"label~2"``), after their whitespace is
tidied (:func:`~deterrence.io.gambit_lexer.clean_label`).  The comment and the outcome
names have no place in the data model and are dropped.  The writer always uses
the payoff version with strategy labels, which Gambit reads as well.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.errors import GameError, GameFileError
from deterrence.forms.normal_form import MAX_PLAYERS, NormalFormGame
from deterrence.io.gambit_lexer import TokenStream, clean_label, quote, tokenize, unique_labels
from deterrence.numbers import exact_text

__all__ = ["format_nfg", "format_value", "gambit_labels", "parse_nfg"]


def parse_nfg(text: str) -> NormalFormGame:
    """Parse the text of a ``.nfg`` file (either version).

    Raises
    ------
    GameFileError
        With the line number, for any malformed input.

    Examples
    --------
    >>> g = parse_nfg('NFG 1 R "PD" { "A" "B" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> g.strategies
    (('1', '2'), ('1', '2'))
    >>> print(g.payoff(("2", "1"), "A"), g.payoff(("1", "2"), "A"))
    5 0
    """
    stream = TokenStream(tokenize(text))
    stream.expect_symbol("NFG")
    stream.symbol("1")
    stream.symbol("R", "D")
    title = stream.text("game title")
    line = stream.line
    players = _players(stream)
    if len(players) > MAX_PLAYERS:  # before the payoffs: no array could hold them
        raise stream.error(
            f"the game has {len(players)} players; at most {MAX_PLAYERS} are supported in a normal-form game "
            f"(one payoff-array axis per player, and NumPy handles 32)",
            line,
        )
    strategies = _strategies(stream, len(players))
    if stream.at("text"):
        stream.next("comment")  # the optional comment has no place in the model
    shape = tuple(len(s) for s in strategies)
    n_profiles = math.prod(shape)
    if stream.at("{"):
        payoffs = _outcome_body(stream, len(players), n_profiles)
    elif stream.at("number"):
        payoffs = _payoff_body(stream, len(players), n_profiles)
    elif stream.peek() is None:
        raise stream.error("file ends where the payoffs or outcomes were expected")
    else:
        raise stream.error("expected the payoff list or the '{' of the outcome list")
    # The file lists profiles with the first player's strategy changing
    # fastest, which is Fortran (column-major) order over the strategy axes.
    array = np.empty(n_profiles * len(players), dtype=object)
    array[:] = payoffs
    array = array.reshape((n_profiles, len(players))).reshape(shape + (len(players),), order="F")
    try:
        return NormalFormGame(players, strategies, array, title=title)
    except GameError as error:  # pragma: no cover - the reader validates first
        raise GameFileError(str(error)) from None


def _players(stream: TokenStream) -> list[str]:
    stream.expect("{", "'{' opening the list of players")
    names: list[str] = []
    while stream.at("text"):
        names.append(clean_label(stream.next("player name").text))
    stream.expect("}", "'}' closing the list of players (player names are quoted)")
    if not names:
        raise stream.error("the game has no players")
    return unique_labels(names)


def _strategies(stream: TokenStream, n_players: int) -> list[list[str]]:
    opening = stream.expect("{", "'{' opening the strategies")
    strategies: list[list[str]] = []
    if stream.at("{"):
        while stream.at("{"):
            inner = stream.next("'{'")
            labels: list[str] = []
            while stream.at("text"):
                labels.append(clean_label(stream.next("strategy label").text))
            stream.expect("}", "'}' closing a player's strategy labels")
            if not labels:
                raise stream.error(f"player {len(strategies) + 1} has no strategies", inner.line)
            strategies.append(unique_labels(labels))
    else:
        while stream.at("number"):
            line = stream.line
            count = stream.integer("number of strategies")
            if count < 1:
                raise stream.error(f"player {len(strategies) + 1} has {count} strategies", line)
            if count > stream.remaining():  # no payoff list that short can fill the table
                raise stream.error(
                    f"player {len(strategies) + 1} has {count} strategies, more than the file has payoffs for",
                    line,
                )
            strategies.append([str(k) for k in range(1, count + 1)])
    stream.expect("}", "'}' closing the strategies")
    if len(strategies) != n_players:
        raise stream.error(
            f"strategies are given for {len(strategies)} players, the game has {n_players}",
            opening.line,
        )
    return strategies


def _payoff_body(stream: TokenStream, n_players: int, n_profiles: int) -> list[Fraction]:
    expected = n_profiles * n_players
    start = stream.line
    # Compare the counts before reading, so a huge declared game fails fast.
    if stream.remaining() < expected:
        raise stream.error(
            f"expected {expected} payoffs ({n_profiles} profiles x {n_players} players), "
            f"but only {stream.remaining()} tokens follow",
            start,
        )
    values: list[Fraction] = []
    while stream.peek() is not None and len(values) < expected:
        values.append(stream.number("a payoff"))
        stream.skip_comma()
    if len(values) < expected:
        raise stream.error(f"expected {expected} payoffs, found {len(values)}")
    stream.finish(f"{expected} payoffs")
    return values


def _outcome_body(stream: TokenStream, n_players: int, n_profiles: int) -> list[Fraction]:
    stream.next("'{'")
    outcomes: list[tuple[Fraction, ...]] = [(Fraction(0),) * n_players]  # 0 = null outcome
    while stream.at("{"):
        stream.next("'{'")
        stream.text("outcome name")
        number = len(outcomes)
        values: list[Fraction] = []
        while not stream.at("}"):
            if stream.peek() is None:
                raise stream.error(f"file ends inside outcome {number}")
            values.append(stream.number(f"a payoff of outcome {number}"))
            stream.skip_comma()
        line = stream.line
        stream.next("'}'")
        if len(values) != n_players:
            raise stream.error(f"outcome {number} has {len(values)} payoffs, expected {n_players}", line)
        outcomes.append(tuple(values))
    stream.expect("}", "'}' closing the list of outcomes")
    if stream.remaining() < n_profiles:
        raise stream.error(
            f"expected {n_profiles} outcome numbers (one per profile), but only {stream.remaining()} tokens follow"
        )
    payoffs: list[Fraction] = []
    for _ in range(n_profiles):
        line = stream.line
        index = stream.integer("an outcome number")
        if not 0 <= index < len(outcomes):
            raise stream.error(f"unknown outcome {index}; outcomes are numbered 0 to {len(outcomes) - 1}", line)
        payoffs.extend(outcomes[index])
    stream.finish(f"{n_profiles} outcome numbers")
    return payoffs


def gambit_labels(labels: Sequence[str], keep_empty: bool = False) -> list[str]:
    """Labels as Gambit 16.7 wants them: whitespace tidied, unique within their scope.

    Labels read by this package are already in that form, so this changes
    nothing on a read-write round trip.

    Examples
    --------
    >>> gambit_labels(["a ", "a", " b"])
    ['a', 'a~2', 'b']
    """
    return unique_labels([clean_label(label) for label in labels], keep_empty=keep_empty)


def format_value(value: Any) -> str:
    """Write one payoff or probability exactly: ``"p/q"`` for rationals, repr for floats.

    Examples
    --------
    >>> format_value(Fraction(-1, 3)), format_value(0.1), format_value(2)
    ('-1/3', '0.1', '2')
    """
    if isinstance(value, Fraction) or isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return exact_text(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if not np.isfinite(number):
            raise GameFileError(f"cannot write the non-finite value {number} to a Gambit file")
        return repr(number)
    if getattr(value, "is_Rational", False):
        return exact_text(Fraction(int(value.p), int(value.q)))
    raise GameFileError(f"cannot write {value!r} to a Gambit file; evaluate symbolic games at parameter values first")


def format_nfg(game: NormalFormGame) -> str:
    """The payoff-version ``.nfg`` text of a numeric normal-form game.

    Raises
    ------
    GameFileError
        If the game has symbolic payoffs.

    Examples
    --------
    >>> g = NormalFormGame(["A", "B"], [["x", "y"], ["z"]], [[[1, 2]], [[3, 4]]], title="t")
    >>> print(format_nfg(g), end="")
    NFG 1 R "t" { "A" "B" }
    <BLANKLINE>
    { { "x" "y" }
    { "z" }
    }
    ""
    <BLANKLINE>
    1 2
    3 4
    """
    if game.kind == "symbolic":
        raise GameFileError(
            f"cannot write a game with free parameters {list(game.parameters)}; evaluate it at parameter values first"
        )
    players = " ".join(quote(p) for p in gambit_labels(game.players))
    lines = [f"NFG 1 R {quote(game.title)} {{ {players} }}", ""]
    strategies = [" ".join(quote(s) for s in gambit_labels(ss)) for ss in game.strategies]
    lines.append("{ " + "\n".join(f"{{ {s} }}" for s in strategies))
    lines += ["}", '""', ""]
    n_players = game.n_players
    flat = game.payoffs.reshape((-1, n_players), order="F")
    lines += [" ".join(format_value(v) for v in row) for row in flat]
    return "\n".join(lines) + "\n"
