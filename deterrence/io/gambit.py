"""Read and write Gambit game files: ``.nfg`` (strategic form) and ``.efg`` (game trees).

Gambit's text formats are the interchange format of the field (McKelvey,
McLennan and Turocy, *Gambit: Software Tools for Game Theory*).  This module
is the public face of the readers in :mod:`~deterrence.io.gambit_nfg` and
:mod:`~deterrence.io.gambit_efg`:

* :func:`read_game` reads a file, :func:`loads` reads text; both tell the
  format from the header ``NFG`` or ``EFG`` (the header decides, whatever the
  file's extension);
* :func:`read_nfg` and :func:`read_efg` accept a path, a text or an open file
  and insist on one format;
* :func:`write_game`, :func:`write_nfg`, :func:`write_efg` and :func:`dumps`
  write a game back.

Numbers are exact both ways: the readers turn every number (integer, decimal,
``p/q`` or exponent form) into the :class:`~fractions.Fraction` its text
denotes, and the writers print Fractions as ``p/q`` and floats with repr
precision, so ``read -> write -> read`` gives the same game.  Every problem
with a file (missing, a directory, not UTF-8, empty, malformed) raises
:class:`~deterrence.errors.GameFileError` with a one-line message naming the
file, the line and the problem; the parsers never evaluate file content.

Limits, each refused with such a message: a number's numerator or
denominator has at most :data:`~deterrence.numbers.MAX_DIGITS` (4000) digits
(payoffs summed along a tree's path included) and its exponent is at most
400; a ``.nfg`` game has at most
:data:`~deterrence.forms.normal_form.MAX_PLAYERS` (31) players; a tree is at
most :data:`~deterrence.io.gambit_efg.MAX_DEPTH` (200) levels deep.  A tree
may have any number of players (reading is linear in the file's size), but
its reduced normal form, which the Nash solvers take, is refused beyond 31.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, Any

from deterrence.errors import GameFileError
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.forms.normal_form import NormalFormGame
from deterrence.io.gambit_efg import format_efg, parse_efg
from deterrence.io.gambit_nfg import format_nfg, parse_nfg

__all__ = [
    "dumps",
    "loads",
    "read_efg",
    "read_game",
    "read_nfg",
    "write_efg",
    "write_game",
    "write_nfg",
]

Game = NormalFormGame | ExtensiveFormGame
Source = str | os.PathLike[str] | bytes | IO[str] | IO[bytes]

_HEADER = re.compile(r"\s*(NFG|EFG)(?=\s|$)")


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        raise GameFileError(f"{name}: not UTF-8 text (byte 0x{bad} at offset {error.start})") from None


def _read_path(path: str | os.PathLike[str]) -> tuple[str, str]:
    name = _one_line(os.fspath(path))  # a file name may contain a newline
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise GameFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise GameFileError(f"{name}: is a directory, not a game file") from None
    except PermissionError:
        raise GameFileError(f"{name}: permission denied") from None
    except OSError as error:
        raise GameFileError(_one_line(f"{name}: cannot read ({error.strerror or error})")) from None
    return _decode(data, name), name


def _looks_like_text(source: str) -> bool:
    """True when a string is game text rather than a file name."""
    return (
        not source.strip()
        or "\n" in source
        or "{" in source
        or '"' in source
        or _HEADER.match(source.lstrip("\ufeff")) is not None
    )


def _source_text(source: Any) -> tuple[str, str]:
    """Return (text, name used in messages) for a path, text, bytes or open file."""
    if isinstance(source, os.PathLike):
        return _read_path(source)
    if isinstance(source, bytes):
        return _decode(source, "<bytes>"), "<bytes>"
    if isinstance(source, str):
        if _looks_like_text(source):
            return source, "<text>"
        return _read_path(source)
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "<file>"))
        try:
            data = source.read()
        except UnicodeDecodeError as error:
            raise GameFileError(f"{name}: not UTF-8 text ({error.reason})") from None
        except OSError as error:
            raise GameFileError(_one_line(f"{name}: cannot read ({error})")) from None
        if isinstance(data, bytes):
            return _decode(data, name), name
        if isinstance(data, str):
            return data, name
    raise GameFileError(f"cannot read a game from a {type(source).__name__}")


def _parse(text: str, name: str, expect: str | None) -> Game:
    text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the game
    if not text.strip():
        raise GameFileError(f"{name}: empty file")
    header = _HEADER.match(text)
    if header is None:
        first = text.split(None, 1)[0][:20]
        raise GameFileError(f"{name}: line 1: expected a Gambit header NFG or EFG, found {first!r}")
    found = header.group(1)
    if expect is not None and found != expect:
        reader = "read_efg" if found == "EFG" else "read_nfg"
        raise GameFileError(f"{name}: this is an {found} file, not {expect} (use {reader} or read_game)")
    try:
        return parse_nfg(text) if found == "NFG" else parse_efg(text)
    except GameFileError as error:
        raise GameFileError(_one_line(f"{name}: {error}")) from None


def read_game(source: Source) -> Game:
    """Read a Gambit ``.nfg`` or ``.efg`` file.

    Parameters
    ----------
    source : path, str, bytes or open file
        A file path (``str`` or :class:`~pathlib.Path`), the text of a game,
        or an open file.  A string is taken as game text when it contains a
        newline, a brace or a quote, or starts with ``NFG``/``EFG``.

    Returns
    -------
    NormalFormGame or ExtensiveFormGame
        Chosen by the file's header.

    Raises
    ------
    GameFileError
        If the file is missing, a directory, not UTF-8, empty or malformed.

    Examples
    --------
    >>> g = read_game('NFG 1 R "coordination" { "A" "B" } { 2 2 } 1 1 0 0 0 0 1 1')
    >>> type(g).__name__, g.shape
    ('NormalFormGame', (2, 2))
    """
    text, name = _source_text(source)
    return _parse(text, name, None)


def loads(text: str) -> Game:
    """Read a game from the text of a ``.nfg`` or ``.efg`` file.

    Examples
    --------
    >>> g = loads('EFG 2 R "" { "A" } p "" 1 1 "" { "x" "y" } 0 t "" 0 t "" 1 "" { 1/3 }')
    >>> print(g.terminals()[1][0].payoffs[0])
    1/3
    """
    if not isinstance(text, str):
        raise GameFileError(f"loads() needs a str, got {type(text).__name__}")
    return _parse(text, "<text>", None)


def read_nfg(source: Source) -> NormalFormGame:
    """Read a strategic-form ``.nfg`` file (payoff or outcome version).

    See :mod:`deterrence.io.gambit_nfg` for how the file maps onto the game.

    Raises
    ------
    GameFileError
        If the source is not a well-formed ``.nfg`` file.

    Examples
    --------
    >>> g = read_nfg('NFG 1 R "" { "A" "B" } { 2 1 } 0.5 1 -1/3 2')
    >>> print(g.payoff(("1", "1"), "A"), g.payoff(("2", "1"), "A"))
    1/2 -1/3
    """
    text, name = _source_text(source)
    game = _parse(text, name, "NFG")
    assert isinstance(game, NormalFormGame)
    return game


def read_efg(source: Source) -> ExtensiveFormGame:
    """Read an extensive-form ``.efg`` file.

    See :mod:`deterrence.io.gambit_efg` for how the file maps onto the game.

    Raises
    ------
    GameFileError
        If the source is not a well-formed ``.efg`` file.

    Examples
    --------
    >>> g = read_efg('EFG 2 R "" { "A" } c "" 1 "" { "h" 1/2 "t" 0.5 } 0 t "" 0 t "" 0')
    >>> print(g.root.probabilities[1])
    1/2
    """
    text, name = _source_text(source)
    game = _parse(text, name, "EFG")
    assert isinstance(game, ExtensiveFormGame)
    return game


def dumps(game: Game) -> str:
    """The Gambit file text of a game: ``.nfg`` payoff version or ``.efg``.

    Raises
    ------
    GameFileError
        If the game has symbolic payoffs (evaluate it first).

    Examples
    --------
    >>> g = NormalFormGame(["A"], [["x", "y"]], [[1], [0.25]])
    >>> print(dumps(g).splitlines()[-1])
    0.25
    """
    if isinstance(game, NormalFormGame):
        return format_nfg(game)
    if isinstance(game, ExtensiveFormGame):
        return format_efg(game)
    raise GameFileError(f"cannot write a {type(game).__name__} as a Gambit file")


def _write(text: str, destination: str | os.PathLike[str] | IO[str]) -> None:
    if hasattr(destination, "write"):
        destination.write(text)  # type: ignore[union-attr]
        return
    name = os.fspath(destination)  # type: ignore[arg-type]
    try:
        Path(name).write_text(text, encoding="utf-8")
    except OSError as error:
        raise GameFileError(_one_line(f"{name}: cannot write ({error.strerror or error})")) from None


def write_nfg(game: NormalFormGame, path_or_file: str | os.PathLike[str] | IO[str]) -> None:
    """Write a normal-form game as a payoff-version ``.nfg`` file.

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> from fractions import Fraction
    >>> write_nfg(NormalFormGame(["A"], [["x"]], [[Fraction(2, 3)]]), buffer)
    >>> print(read_nfg(buffer.getvalue()).payoffs[0, 0])
    2/3
    """
    if not isinstance(game, NormalFormGame):
        raise GameFileError(f"write_nfg needs a NormalFormGame, got {type(game).__name__}")
    _write(format_nfg(game), path_or_file)


def write_efg(game: ExtensiveFormGame, path_or_file: str | os.PathLike[str] | IO[str]) -> None:
    """Write an extensive-form game as a ``.efg`` file.

    Examples
    --------
    >>> import io
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> root = choice("A", "move", {"x": Terminal((1,)), "y": Terminal((2,))})
    >>> game = ExtensiveFormGame(["A"], root)
    >>> buffer = io.StringIO()
    >>> write_efg(game, buffer)
    >>> read_efg(buffer.getvalue()).infosets["A"]
    ('move',)
    """
    if not isinstance(game, ExtensiveFormGame):
        raise GameFileError(f"write_efg needs an ExtensiveFormGame, got {type(game).__name__}")
    _write(format_efg(game), path_or_file)


def write_game(game: Game, path: str | os.PathLike[str]) -> None:
    """Write a game to ``path`` in the format of its type (``.nfg`` or ``.efg``).

    Raises
    ------
    GameFileError
        If the extension names the other format (an extensive game cannot be
        written as ``.nfg`` here; take its reduced normal form first), or the
        game is symbolic.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> g = NormalFormGame(["A", "B"], [["x"], ["y"]], [[[1, 2]]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_game(g, pathlib.Path(d) / "g.nfg")
    ...     print(read_game(pathlib.Path(d) / "g.nfg").payoffs.tolist())
    [[[Fraction(1, 1), Fraction(2, 1)]]]
    """
    suffix = Path(os.fspath(path)).suffix.lower()
    wanted = {".nfg": NormalFormGame, ".efg": ExtensiveFormGame}.get(suffix)
    if wanted is not None and not isinstance(game, wanted):
        raise GameFileError(f"{os.fspath(path)}: a {type(game).__name__} cannot be written as {suffix}")
    _write(dumps(game), path)
