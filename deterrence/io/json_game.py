"""A stable JSON format for games, written and read back: normal forms and game trees.

The schema (version 1, documented in ``docs/json-schema.md``) is::

    {"format": "deterrence-game", "version": 1,
     "form": "normal" | "extensive",
     "title": str, "players": [str, ...],
     "kind": "exact" | "float" | "symbolic",       # informative; checked on reading
     "parameters": [str, ...],                     # free parameters of symbolic values
     # normal form:
     "strategies": [[str, ...], ...],              # one list per player
     "payoffs": [...],                             # nested lists: payoffs[s1]...[sN][i]
     # extensive form:
     "nodes": [node, ...]}                         # preorder; nodes[0] is the root

    node = {"id": int, "type": "decision", "player": str, "infoset": str,
            "actions": [str, ...], "children": [int, ...], "label": str?}
         | {"id": int, "type": "chance", "actions": [str, ...], "probabilities": [value, ...],
            "children": [int, ...], "infoset": str?, "label": str?}
         | {"id": int, "type": "terminal", "payoffs": [value, ...], "label": str?}

A *value* is a string for an exact number (``"2/3"``, ``"-4"``, as in the solve JSON), a JSON
number for a float, or a formula string for a symbolic value (``"-c + 2*w"``).  The reader
parses every string with :func:`deterrence.formula.parse_formula`, the safe parser: nothing in
a file is evaluated.  Node ``id`` is the node's position in the list; children come after their
parent, and every node but the root is the child of exactly one node, so the list is a tree.

Examples
--------
>>> from deterrence.forms.normal_form import NormalFormGame
>>> from fractions import Fraction
>>> g = NormalFormGame(["A", "B"], [["x", "y"], ["z"]], [[[Fraction(2, 3), 1]], [[0.5, "c - 1"]]])
>>> record = game_to_json(g)
>>> record["kind"], record["payoffs"][1][0]
('symbolic', [0.5, 'c - 1'])
>>> back = loads_json_game(dumps_json_game(g))
>>> print(back.payoff(("x", "z"), "A"), back.parameters)
2/3 ('c',)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from deterrence.errors import DeterrenceError, GameFileError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from deterrence.forms.normal_form import NormalFormGame
from deterrence.numbers import exact_text, is_exact_value

_T = TypeVar("_T")

__all__ = [
    "FORMAT",
    "VERSION",
    "by_form",
    "dumps_json_game",
    "formula_text",
    "game_from_json",
    "game_to_json",
    "loads_json_game",
    "read_json_game",
    "value_text",
    "write_json_game",
]

#: The ``format`` field of every file.
FORMAT = "deterrence-game"
#: The schema version written; readers accept this version and older ones.
VERSION = 1


# -- values ---------------------------------------------------------------------
def formula_text(expression: Any) -> str:
    """Formula text of a sympy expression that :func:`~deterrence.formula.parse_formula` reads back.

    ``Min``, ``Max`` and ``Abs`` are written as ``min``, ``max``, ``abs`` and Euler's number as
    ``exp(1)``.  The text is parsed again and compared with the expression.

    Raises
    ------
    DeterrenceError
        If the expression uses something the formula language cannot express.

    Examples
    --------
    >>> from deterrence.formula import parse_formula
    >>> print(formula_text(parse_formula("max(a, 2*b) - 1/3")))
    max(a, 2*b) - 1/3
    """
    from sympy.printing.str import StrPrinter

    class _Printer(StrPrinter):  # type: ignore[misc]
        def _print_Min(self, e: Any) -> str:
            return "min(" + ", ".join(self._print(a) for a in e.args) + ")"

        def _print_Max(self, e: Any) -> str:
            return "max(" + ", ".join(self._print(a) for a in e.args) + ")"

        def _print_Abs(self, e: Any) -> str:
            return "abs(" + self._print(e.args[0]) + ")"

        def _print_Exp1(self, e: Any) -> str:
            return "exp(1)"

    text = _Printer({"order": None}).doprint(expression)
    if not _same_formula(text, expression):
        raise DeterrenceError(f"cannot write {expression} as a formula that reads back the same")
    return text


def _same_formula(text: str, expression: Any) -> bool:
    from deterrence.errors import FormulaError
    from deterrence.formula import parse_formula

    try:
        parsed = parse_formula(text)
    except FormulaError:
        return False
    by_name = {str(s): s for s in getattr(expression, "free_symbols", ())}
    parsed = parsed.xreplace({s: by_name.get(str(s), s) for s in parsed.free_symbols})
    if parsed == expression:
        return True
    import sympy

    return bool(sympy.simplify(parsed - expression) == 0)


def value_text(value: Any) -> str:
    """A payoff or probability as text: ``"2/3"`` (exact), ``"0.25"`` (float) or formula text.

    Examples
    --------
    >>> from fractions import Fraction
    >>> value_text(Fraction(-4, 6)), value_text(0.25)
    ('-2/3', '0.25')
    """
    if is_exact_value(value) or getattr(value, "is_Rational", False):
        return exact_text(value)
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return formula_text(value)


def _json_value(value: Any) -> str | float:
    if isinstance(value, (float, np.floating)):
        return float(value)
    return value_text(value)


def _read_value(value: Any, where: str) -> Any:
    """A JSON value as a game value (strings are formulas; the game parses them safely)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise GameFileError(f"{where}: expected a number or a formula string, got {json.dumps(value)[:40]}")
    return value


# -- writing ----------------------------------------------------------------------
def _header(game: Any, form: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "form": form,
        "title": game.title,
        "players": list(game.players),
        "kind": game.kind,
        "parameters": list(game.parameters),
    }


def by_form(
    game: Any, normal: Callable[[NormalFormGame], _T], tree: Callable[[ExtensiveFormGame], _T], export: str
) -> _T:
    """``normal(game)`` for a normal form, ``tree(game)`` for a game tree.

    Raises
    ------
    DeterrenceError
        For anything else, naming ``export`` (e.g. ``"DOT"``).

    Examples
    --------
    >>> by_form(3, str, repr, "text")
    Traceback (most recent call last):
    ...
    deterrence.errors.DeterrenceError: cannot write a int as text
    """
    if isinstance(game, NormalFormGame):
        return normal(game)
    if isinstance(game, ExtensiveFormGame):
        return tree(game)
    raise DeterrenceError(f"cannot write a {type(game).__name__} as {export}")


def game_to_json(game: Any) -> dict[str, Any]:
    """The JSON-ready record of a normal-form or extensive-form game (see the module docstring)."""
    if isinstance(game, NormalFormGame):
        record = _header(game, "normal")
        record["strategies"] = [list(s) for s in game.strategies]
        record["payoffs"] = _nested(game.payoffs)
        return record
    if isinstance(game, ExtensiveFormGame):
        record = _header(game, "extensive")
        record["nodes"] = _node_records(game)
        return record
    raise DeterrenceError(f"cannot write a {type(game).__name__} as a JSON game")


def _nested(array: np.ndarray) -> Any:
    if array.ndim == 1:
        return [_json_value(v) for v in array]
    return [_nested(array[k]) for k in range(array.shape[0])]


def _node_records(game: ExtensiveFormGame) -> list[dict[str, Any]]:
    order = [node for node, _ in game.walk()]
    number = {id(node): k for k, node in enumerate(order)}
    records = []
    for k, node in enumerate(order):
        record: dict[str, Any] = {"id": k}
        if isinstance(node, Terminal):
            record.update(type="terminal", payoffs=[_json_value(v) for v in node.payoffs])
        elif isinstance(node, Chance):
            record.update(type="chance", actions=list(node.actions))
            record["probabilities"] = [_json_value(p) for p in node.probabilities]
            record["children"] = [number[id(c)] for c in node.children]
            if node.infoset:
                record["infoset"] = node.infoset
        else:
            record.update(type="decision", player=node.player, infoset=node.infoset, actions=list(node.actions))
            record["children"] = [number[id(c)] for c in node.children]
        if node.label:
            record["label"] = node.label
        records.append(record)
    return records


def dumps_json_game(game: Any) -> str:
    """The JSON text of a game (indented, keys in schema order, one trailing newline)."""
    return json.dumps(game_to_json(game), indent=2, ensure_ascii=False) + "\n"


def write_json_game(game: Any, path: str | os.PathLike[str]) -> None:
    """Write a game as a JSON file, atomically."""
    from deterrence.io.atomic import atomic_write

    atomic_write(Path(path), dumps_json_game(game))


# -- reading ----------------------------------------------------------------------
def _field(record: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in record:
        raise GameFileError(f"{where}: missing field {key!r}")
    value = record[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        names = " or ".join(t.__name__ for t in (kind if isinstance(kind, tuple) else (kind,)))
        raise GameFileError(f"{where}: field {key!r} must be {names.replace('str', 'a string')}")
    return value


def _strings(values: Any, where: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise GameFileError(f"{where}: expected a list of strings")
    return list(values)


def game_from_json(record: Any, name: str = "<json>") -> NormalFormGame | ExtensiveFormGame:
    """Build the game a JSON record describes.

    Raises
    ------
    GameFileError
        One line naming ``name`` and the problem: not a game record, a version newer than
        :data:`VERSION`, a missing or mistyped field, a malformed tree, a bad value.
    """
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise GameFileError(f'{name}: not a deterrence game file (expected "format": "{FORMAT}")')
    version = record.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise GameFileError(f"{name}: unsupported game-file version {version!r} (this reader knows 1 to {VERSION})")
    players = _strings(record.get("players"), f"{name}: players")
    title = record.get("title", "")
    if not isinstance(title, str):
        raise GameFileError(f"{name}: field 'title' must be a string")
    form = record.get("form")
    try:
        if form == "normal":
            strategies = _field(record, "strategies", list, name)
            strategies = [_strings(s, f"{name}: strategies") for s in strategies]
            payoffs = _payoff_array(_field(record, "payoffs", list, name), strategies, len(players), name)
            game: NormalFormGame | ExtensiveFormGame = NormalFormGame(players, strategies, payoffs, title=title)
        elif form == "extensive":
            root = _tree(_field(record, "nodes", list, name), name)
            game = ExtensiveFormGame(players, root, title=title)
        else:
            raise GameFileError(f'{name}: field \'form\' must be "normal" or "extensive", got {form!r}')
    except GameFileError:
        raise
    except DeterrenceError as error:
        raise GameFileError(f"{name}: {error}") from None
    kind = record.get("kind")
    if kind is not None and kind != game.kind:
        raise GameFileError(f"{name}: the file says its values are {kind!r} but they are {game.kind!r}")
    return game


def _payoff_array(nested: list, strategies: list[list[str]], n_players: int, name: str) -> np.ndarray:
    shape = tuple(len(s) for s in strategies) + (n_players,)
    out = np.empty(shape, dtype=object)

    def fill(values: Any, index: tuple[int, ...]) -> None:
        depth = len(index)
        if not isinstance(values, list) or len(values) != shape[depth]:
            raise GameFileError(f"{name}: payoffs{list(index)} must be a list of {shape[depth]} entries")
        for k, entry in enumerate(values):
            if depth + 1 == len(shape):
                out[index + (k,)] = _read_value(entry, f"{name}: payoffs{list(index + (k,))}")
            else:
                fill(entry, index + (k,))

    fill(nested, ())
    return out


def _tree(nodes: list, name: str) -> Node:
    if not nodes:
        raise GameFileError(f"{name}: 'nodes' is empty; a tree needs a root")
    parent: dict[int, int] = {}
    for k, record in enumerate(nodes):
        where = f"{name}: node {k}"
        if not isinstance(record, dict):
            raise GameFileError(f"{where}: expected an object")
        if record.get("id", k) != k:
            raise GameFileError(f"{where}: has id {record.get('id')!r}; nodes must be listed in id order")
        if record.get("type") != "terminal":
            for child in _field(record, "children", list, where):
                if not isinstance(child, int) or isinstance(child, bool) or not k < child < len(nodes):
                    raise GameFileError(f"{where}: child {child!r} must be the id of a later node")
                if child in parent:
                    raise GameFileError(f"{where}: node {child} is already a child of node {parent[child]}")
                parent[child] = k
    orphan = next((k for k in range(1, len(nodes)) if k not in parent), None)
    if orphan is not None:
        raise GameFileError(f"{name}: node {orphan} is not the child of any node")
    built: list[Any] = [None] * len(nodes)
    for k in range(len(nodes) - 1, -1, -1):  # children come after their parent: no recursion
        built[k] = _node(nodes[k], [built[c] for c in nodes[k].get("children", [])], f"{name}: node {k}")
    return built[0]


def _node(record: dict, children: list, where: str) -> Node:
    label = record.get("label", "")
    if not isinstance(label, str):
        raise GameFileError(f"{where}: field 'label' must be a string")
    kind = record.get("type")
    if kind == "terminal":
        payoffs = _field(record, "payoffs", list, where)
        return Terminal(tuple(_read_value(v, f"{where}: payoff") for v in payoffs), label)
    actions = tuple(_strings(_field(record, "actions", list, where), f"{where}: actions"))
    if kind == "chance":
        probabilities = _field(record, "probabilities", list, where)
        values = tuple(_read_value(v, f"{where}: probability") for v in probabilities)
        infoset = record.get("infoset", "")
        if not isinstance(infoset, str):
            raise GameFileError(f"{where}: field 'infoset' must be a string")
        return Chance(actions, values, tuple(children), label, infoset)
    if kind == "decision":
        player = _field(record, "player", str, where)
        infoset = _field(record, "infoset", str, where)
        return Decision(player, infoset, actions, tuple(children), label)
    raise GameFileError(f'{where}: \'type\' must be "decision", "chance" or "terminal", got {kind!r}')


def loads_json_game(text: str | bytes, name: str = "<text>") -> NormalFormGame | ExtensiveFormGame:
    """Read a game from JSON text (see :func:`game_from_json` for the errors)."""
    try:
        record = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise GameFileError(f"{name}: not valid JSON ({error})") from None
    except RecursionError:
        raise GameFileError(f"{name}: JSON nested too deeply") from None
    return game_from_json(record, name)


def read_json_game(path: str | os.PathLike[str]) -> NormalFormGame | ExtensiveFormGame:
    """Read a game from a JSON file written by :func:`write_json_game` (or by hand, to the schema).

    Raises
    ------
    GameFileError
        If the file is missing or unreadable, or is not a valid game record.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> tree = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal(("1/3",)), "y": Terminal((0,))}))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_json_game(tree, pathlib.Path(folder) / "t.json")
    ...     back = read_json_game(pathlib.Path(folder) / "t.json")
    >>> print(back.terminals()[0][0].payoffs[0], back.infosets)
    1/3 {'A': ('a',)}
    """
    shown = " ".join(os.fspath(path).split())
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise GameFileError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise GameFileError(f"{shown}: is a directory, not a game file") from None
    except OSError as error:
        raise GameFileError(f"{shown}: cannot read ({error.strerror or error})") from None
    return loads_json_game(data, shown)
