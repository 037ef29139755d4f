"""Tokens, numbers and labels shared by the Gambit ``.nfg`` and ``.efg`` readers.

Gambit's game files are sequences of five kinds of token separated by
whitespace (Turocy, McLennan and McKelvey, *Gambit: Software Tools for Game
Theory*, "Game representation formats"):

* ``{`` and ``}`` which open and close lists, and ``,`` which may separate
  payoffs;
* quoted text ``"..."``, where ``\\"`` stands for a quote character and ``\\\\``
  for a backslash (any other backslash is kept as it is, as Gambit does);
* numbers: integers ``-3``, decimals ``0.25`` or ``.5``, rationals ``1/3``
  and decimals with an exponent ``1.5e-3``;
* bare symbols such as ``NFG``, ``R``, ``c``, ``p`` and ``t``.

Every number is read *exactly* from its text as a :class:`~fractions.Fraction`
(``"0.1"`` is exactly one tenth, as in Gambit itself), so payoffs and
probabilities keep their exact values.  Labels are made unique and non-empty
by :func:`unique_labels`, because the data model keys strategies, actions and
players by their labels, and their whitespace is tidied by
:func:`clean_label`, because Gambit 16.7 refuses labels with leading,
trailing or doubled spaces (a few older files have them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from deterrence.errors import GameFileError
from deterrence.numbers import MAX_DIGITS as NUMBER_DIGITS
from deterrence.numbers import too_many_digits

__all__ = [
    "Token",
    "TokenStream",
    "clean_label",
    "parse_number",
    "quote",
    "tokenize",
    "unique_labels",
]

#: Largest decimal exponent accepted in a number: ``1e999999999`` would make a
#: Fraction with a billion digits, so such a file is rejected instead.
MAX_EXPONENT = 400
#: Most digits in the numerator or the denominator of a number, as written
#: and as an exact value (:data:`deterrence.numbers.MAX_DIGITS`).  Every number
#: accepted is written back by the writer as ``p/q`` within this limit, so a
#: file that reads also reads again after writing.
MAX_DIGITS = NUMBER_DIGITS
#: Longest number token accepted: a sign, two parts of MAX_DIGITS digits and
#: the ``/`` (or a decimal point and a short exponent).
MAX_NUMBER_LENGTH = 2 * MAX_DIGITS + 8

_NUMBER = re.compile(r"[+-]?(?:\d+/\d+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\Z", re.ASCII)
# One token at a time: whitespace, punctuation, a quoted label (in which a
# backslash protects the next character) or a bare word, which runs until
# whitespace, a brace, a comma or a quote.  Possessive quantifiers keep the
# scan linear on long unclosed labels.
_TOKEN = re.compile(
    r'(?P<space>\s++)|(?P<punct>[{},])|"(?P<body>(?:[^"\\]++|\\.)*+)"(?P<quoted>)|(?P<word>[^\s{},"]++)',
    re.DOTALL,
)
# Inside a label, \" is a quote and \\ a backslash; other backslashes stay.
_ESCAPE = re.compile(r'\\(["\\])')


class Token(NamedTuple):
    """One token, of kind ``"{"``, ``"}"``, ``","``, ``"text"``, ``"number"`` or ``"symbol"``."""

    kind: str
    text: str
    line: int


def _fail(message: str, line: int | None = None) -> GameFileError:
    where = f"line {line}: " if line is not None else ""
    return GameFileError(where + message)


def parse_number(text: str, line: int | None = None) -> Fraction:
    """Read one Gambit number exactly.

    Parameters
    ----------
    text : str
        An integer, decimal, rational ``p/q`` or decimal with exponent.
    line : int, optional
        Line number for the error message.

    Returns
    -------
    Fraction
        The exact value of the text.

    Raises
    ------
    GameFileError
        If the text is not a number, the denominator is zero, the exponent is
        beyond :data:`MAX_EXPONENT` or the numerator or denominator has more
        than :data:`MAX_DIGITS` digits.

    Examples
    --------
    >>> print(parse_number("0.5"), parse_number("-1/3"), parse_number("2.5e-1"))
    1/2 -1/3 1/4
    """
    too_long = _fail(
        f"number {_shorten(text)!r} has more than {MAX_DIGITS} digits in its numerator or denominator "
        f"(the limit for one number)",
        line,
    )
    if len(text) > MAX_NUMBER_LENGTH:
        raise too_long
    if not _NUMBER.match(text):
        raise _fail(f"expected a number, found {_shorten(text, 40)!r}", line)
    mantissa, _, exponent = text.lower().partition("e")
    if len(exponent) > 12 or exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise _fail(f"exponent of {_shorten(text)!r} is out of range (at most {MAX_EXPONENT})", line)
    numerator, _, denominator = mantissa.partition("/")
    if sum(c.isdigit() for c in numerator) > MAX_DIGITS or len(denominator) > MAX_DIGITS:
        raise too_long
    if denominator and int(denominator) == 0:
        raise _fail(f"zero denominator in {_shorten(text)!r}", line)
    value = Fraction(text)
    if too_many_digits(value):  # e.g. 4000 digits times 1e400
        raise too_long
    return value


def _shorten(text: str, keep: int = 20) -> str:
    return text if len(text) <= keep else text[: keep - 3] + "..."


def tokenize(text: str) -> list[Token]:
    """Split the text of a game file into tokens.

    Raises
    ------
    GameFileError
        If a quoted label is not closed before the end of the file.

    Examples
    --------
    >>> [(t.kind, t.text) for t in tokenize('{ "a \\\\"b\\\\"" 1/2, x }')]
    [('{', '{'), ('text', 'a "b"'), ('number', '1/2'), (',', ','), ('symbol', 'x'), ('}', '}')]
    """
    tokens: list[Token] = []
    line = 1
    position = 0
    end = len(text)
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:  # only an unclosed quote fails to match
            raise _fail("quoted label is not closed before the end of the file", line)
        kind = match.lastgroup
        value = match.group()
        if kind == "word":
            tokens.append(Token("number" if _NUMBER.match(value) else "symbol", value, line))
        elif kind == "punct":
            tokens.append(Token(value, value, line))
        elif kind == "quoted":
            label = match.group("body")
            if "\\" in label:
                label = _ESCAPE.sub(r"\1", label)
            tokens.append(Token("text", label, line))
        line += value.count("\n")
        position = match.end()
    return tokens


def quote(label: str) -> str:
    """Quote a label for a Gambit file, escaping quotes and ambiguous backslashes.

    A backslash is doubled only where it would otherwise be read as an escape
    (before a quote, before another backslash or at the end), so labels with
    ordinary backslashes read the same in Gambit.

    Examples
    --------
    >>> print(quote('say "no"'))
    "say \\"no\\""
    """
    out: list[str] = []
    for index, char in enumerate(label):
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            following = label[index + 1] if index + 1 < len(label) else ""
            out.append("\\\\" if following in ('"', "\\", "") else "\\")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def clean_label(label: str) -> str:
    """Trim a label and collapse each run of whitespace to one space.

    Gambit 16.7 accepts only labels without leading, trailing or doubled
    spaces; older files (``caro2.efg`` has the action ``"call "``) do not
    always follow that, and the spaces carry no meaning.

    Examples
    --------
    >>> clean_label("  call \t now ")
    'call now'
    """
    return " ".join(label.split())


def unique_labels(labels: Sequence[str], keep_empty: bool = False) -> list[str]:
    """Make labels unique (and non-empty), keeping every label that already is.

    An empty label becomes its 1-based position (``"1"``, ``"2"``, ...), or
    stays empty with ``keep_empty=True``; a repeated label keeps its first
    occurrence and later ones become ``"label~2"``, ``"label~3"``, ...
    Generated labels never collide with a label given in the input, so the
    result is the input itself whenever the input is already unique and
    non-empty.

    Examples
    --------
    >>> unique_labels(["a", "", "a", "b"])
    ['a', '2', 'a~2', 'b']
    >>> unique_labels(["x", "", "x", ""], keep_empty=True)
    ['x', '', 'x~2', '']
    """
    given = {label for label in labels if label}
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    out: list[str] = []
    for position, label in enumerate(labels, start=1):
        if not label and keep_empty:
            out.append("")
            continue
        base = label or str(position)
        candidate = base
        if candidate in used or (not label and candidate in given):
            suffix = next_suffix.get(base, 2)
            while f"{base}~{suffix}" in used or f"{base}~{suffix}" in given:
                suffix += 1
            next_suffix[base] = suffix + 1
            candidate = f"{base}~{suffix}"
        used.add(candidate)
        out.append(candidate)
    return out


class TokenStream:
    """A cursor over tokens with expectation helpers that raise :class:`GameFileError`.

    Parameters
    ----------
    tokens : list of Token
        From :func:`tokenize`.
    last_line : int, optional
        Line number reported for an unexpected end of the file; by default
        the line of the last token.

    Examples
    --------
    >>> s = TokenStream(tokenize('NFG 1 R "t"'))
    >>> s.expect_symbol("NFG"), s.integer("version"), s.symbol("R"), s.text("title")
    ('NFG', 1, 'R', 't')
    """

    __slots__ = ("_tokens", "_index", "_last_line")

    def __init__(self, tokens: list[Token], last_line: int | None = None) -> None:
        self._tokens = tokens
        self._index = 0
        if last_line is None:
            last_line = tokens[-1].line if tokens else 1
        self._last_line = last_line

    @property
    def line(self) -> int:
        """Line of the next token (or of the end of the file)."""
        token = self.peek()
        return token.line if token is not None else self._last_line

    def peek(self) -> Token | None:
        """The next token, or None at the end of the file."""
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def at(self, kind: str) -> bool:
        """True when the next token has the given kind."""
        token = self.peek()
        return token is not None and token.kind == kind

    def remaining(self) -> int:
        """Number of tokens not yet read."""
        return len(self._tokens) - self._index

    def error(self, message: str, line: int | None = None) -> GameFileError:
        """A GameFileError at the current line (or the given one)."""
        return _fail(message, self.line if line is None else line)

    def next(self, what: str) -> Token:
        """Consume one token; ``what`` names what was expected if the file ends."""
        token = self.peek()
        if token is None:
            raise self.error(f"file ends where {what} was expected")
        self._index += 1
        return token

    def expect(self, kind: str, what: str) -> Token:
        """Consume a token of ``kind`` or raise naming ``what`` and the token found."""
        token = self.next(what)
        if token.kind != kind:
            raise _fail(f"expected {what}, found {_describe(token)}", token.line)
        return token

    def expect_symbol(self, word: str) -> str:
        """Consume the bare word ``word``."""
        token = self.next(repr(word))
        if token.kind != "symbol" or token.text != word:
            raise _fail(f"expected {word!r}, found {_describe(token)}", token.line)
        return word

    def symbol(self, *choices: str) -> str:
        """Consume a bare word (or number token) that is one of ``choices``."""
        token = self.next(" or ".join(map(repr, choices)))
        if token.kind not in ("symbol", "number") or token.text not in choices:
            wanted = " or ".join(map(repr, choices))
            raise _fail(f"expected {wanted}, found {_describe(token)}", token.line)
        return token.text

    def text(self, what: str) -> str:
        """Consume a quoted text, exactly as written (titles, comments)."""
        return self.expect("text", f"{what} (a quoted label)").text

    def label(self, what: str) -> str:
        """Consume a quoted label, its whitespace tidied by :func:`clean_label`."""
        return clean_label(self.text(what))

    def number(self, what: str) -> Fraction:
        """Consume a number and return its exact value."""
        token = self.next(what)
        if token.kind != "number":
            raise _fail(f"expected {what} (a number), found {_describe(token)}", token.line)
        return parse_number(token.text, token.line)

    def integer(self, what: str, minimum: int | None = None) -> int:
        """Consume an integer, at least ``minimum`` when given."""
        token = self.next(what)
        text = token.text
        if token.kind != "number" or not re.fullmatch(r"[+-]?\d{1,18}", text, re.ASCII):
            raise _fail(f"expected {what} (an integer), found {_describe(token)}", token.line)
        value = int(text)
        if minimum is not None and value < minimum:
            raise _fail(f"{what} must be at least {minimum}, found {value}", token.line)
        return value

    def skip_comma(self) -> None:
        """Consume one optional comma."""
        if self.at(","):
            self._index += 1

    def payoff_list(self, count: int, what: str) -> tuple[Fraction, ...]:
        """Read ``{ v1[,] v2[,] ... }`` with exactly ``count`` numbers."""
        opening = self.expect("{", f"'{{' opening the {what}")
        values: list[Fraction] = []
        while not self.at("}"):
            if self.peek() is None:
                raise self.error(f"file ends inside the {what} opened on line {opening.line}")
            values.append(self.number(f"a payoff in the {what}"))
            self.skip_comma()
        self.next("'}'")
        if len(values) != count:
            raise _fail(
                f"the {what} has {len(values)} payoffs, expected {count} (one per player)",
                opening.line,
            )
        return tuple(values)

    def finish(self, what: str) -> None:
        """Require the end of the file."""
        token = self.peek()
        if token is not None:
            raise _fail(f"unexpected {_describe(token)} after the {what}", token.line)


def _describe(token: Token) -> str:
    if token.kind == "text":
        shown = token.text if len(token.text) <= 40 else token.text[:37] + "..."
        return f"quoted label {shown!r}"
    if token.kind in "{},":
        return f"'{token.kind}'"
    shown = token.text if len(token.text) <= 40 else token.text[:37] + "..."
    return f"{token.kind} {shown!r}"
