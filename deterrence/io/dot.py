r"""Graphviz DOT for games: trees as digraphs, normal forms as HTML-like tables.

* :func:`tree_dot`: one node per game-tree node -- decision nodes are ellipses labelled by the
  player, chance nodes grey diamonds labelled ``Chance``, terminals boxes holding the payoff
  vector -- and one edge per action, labelled with the action (and the probability, at chance
  nodes).  The nodes of an information set are joined by dashed, undirected edges labelled with
  the set's id, drawn without moving the layout; nodes of one set at one depth share a rank.
* :func:`normal_form_dot`: one ``plaintext`` node per matrix whose label is an HTML-like table:
  the column player and strategies on top, the row player and strategies on the left.  Games
  with three or more players get one table per strategy profile of the later players.

Every string is quoted and escaped (``"`` and ``\`` in quoted strings; ``& < > "`` in HTML
labels), so any label is safe.  Values print as in the JSON schema: ``2/3``, ``0.25`` or formula
text.

Examples
--------
>>> from deterrence.forms.extensive_form import Terminal, choice
>>> tree = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), 'say "hi"': Terminal((0,))}))
>>> print(tree_dot(tree))
digraph "game" {
  fontname="Helvetica";
  node [fontname="Helvetica"];
  edge [fontname="Helvetica"];
  n0 [label="A", shape=ellipse];
  n1 [label="(1)", shape=box];
  n0 -> n1 [label="x"];
  n2 [label="(0)", shape=box];
  n0 -> n2 [label="say \"hi\""];
}
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Node, Terminal
from deterrence.forms.normal_form import NormalFormGame
from deterrence.io.json_game import by_form, value_text

__all__ = [
    "MAX_TABLES",
    "dot_string",
    "game_to_dot",
    "html_escape",
    "later_profiles",
    "matrix_index",
    "normal_form_dot",
    "tree_dot",
]

#: Most tables written for one normal form with three or more players.
MAX_TABLES = 64


def dot_string(text: Any) -> str:
    r"""``text`` as a double-quoted DOT string; line breaks become ``\n``.

    Examples
    --------
    >>> print(dot_string('a "b" \\ c'))
    "a \"b\" \\ c"
    """
    body = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "\\n".join(body.splitlines()) + '"' if body else '""'


def html_escape(text: Any) -> str:
    """``text`` for an HTML-like label: ``& < > "`` as entities, line breaks as ``<br/>``.

    Examples
    --------
    >>> html_escape("a<b & c")
    'a&lt;b &amp; c'
    """
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return "<br/>".join(escaped.splitlines()) if escaped else ""


def _vector(values: Any) -> str:
    return "(" + ", ".join(value_text(v) for v in values) + ")"


def _header(game: Any) -> list[str]:
    lines = [f"digraph {dot_string(game.title or 'game')} {{"]
    if game.title:
        lines.append(f"  label={dot_string(game.title)};")
        lines.append("  labelloc=t;")
    lines.append('  fontname="Helvetica";')
    lines.append('  node [fontname="Helvetica"];')
    lines.append('  edge [fontname="Helvetica"];')
    return lines


def tree_dot(game: ExtensiveFormGame) -> str:
    """A DOT digraph of a game tree (see the module docstring)."""
    lines = _header(game)
    names: dict[int, str] = {}
    depth: dict[str, int] = {}
    members: dict[tuple[str, str], list[str]] = {}
    stack: list[tuple[Node, str | None, str, int]] = [(game.root, None, "", 0)]
    while stack:
        node, parent, edge_label, level = stack.pop()
        name = f"n{len(names)}"
        names[id(node)] = name
        depth[name] = level
        if isinstance(node, Terminal):
            lines.append(f"  {name} [label={dot_string(_vector(node.payoffs))}, shape=box];")
        elif isinstance(node, Chance):
            lines.append(f'  {name} [label="Chance", shape=diamond, style=filled, fillcolor="lightgrey"];')
        else:
            lines.append(f"  {name} [label={dot_string(node.player)}, shape=ellipse];")
            members.setdefault((node.player, node.infoset), []).append(name)
        if parent is not None:
            lines.append(f"  {parent} -> {name} [label={dot_string(edge_label)}];")
        if isinstance(node, Terminal):
            continue
        for k in range(len(node.children) - 1, -1, -1):
            label = node.actions[k]
            if isinstance(node, Chance):
                label += f" ({value_text(node.probabilities[k])})"
            stack.append((node.children[k], name, label, level + 1))
    for (player, infoset), nodes in members.items():
        if len(nodes) < 2:
            continue
        label = dot_string(f"{player}: {infoset}")
        for a, b in zip(nodes, nodes[1:]):
            lines.append(f"  {a} -> {b} [style=dashed, dir=none, constraint=false, label={label}];")
        if len({depth[n] for n in nodes}) == 1:
            lines.append("  { rank=same; " + " ".join(f"{n};" for n in nodes) + " }")
    lines.append("}")
    return "\n".join(lines)


def _table(game: NormalFormGame, rows: np.ndarray, caption: str) -> str:
    """An HTML-like table of one matrix; ``rows`` has shape (m, n, players)."""
    m, n = rows.shape[0], rows.shape[1]
    two = game.n_players > 1
    columns = game.strategies[1] if two else ("payoff",)
    cells = ['<table border="0" cellborder="1" cellspacing="0" cellpadding="4">']
    if caption:
        cells.append(f'<tr><td colspan="{n + 2}" border="0"><i>{html_escape(caption)}</i></td></tr>')
    top = (
        f'<td colspan="{n}" border="0"><b>{html_escape(game.players[1])}</b></td>'
        if two
        else f'<td colspan="{n}" border="0"></td>'
    )
    cells.append(f'<tr><td colspan="2" border="0"></td>{top}</tr>')
    cells.append(
        '<tr><td colspan="2" border="0"></td>' + "".join(f"<td>{html_escape(c)}</td>" for c in columns) + "</tr>"
    )
    for i, strategy in enumerate(game.strategies[0]):
        player = f'<td rowspan="{m}" border="0"><b>{html_escape(game.players[0])}</b></td>' if i == 0 else ""
        values = "".join(f"<td>{html_escape(', '.join(value_text(v) for v in rows[i, j]))}</td>" for j in range(n))
        cells.append(f"<tr>{player}<td>{html_escape(strategy)}</td>{values}</tr>")
    cells.append("</table>")
    return "\n".join(cells)


def normal_form_dot(game: NormalFormGame) -> str:
    """A DOT graph of a normal form: one HTML-like table per matrix (see the module docstring).

    Raises
    ------
    DeterrenceError
        If a game with three or more players would need more than :data:`MAX_TABLES` tables.

    Examples
    --------
    >>> pd = NormalFormGame(["Row", "Col"], [["C", "D"], ["C", "D"]],
    ...                     [[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
    >>> text = normal_form_dot(pd)
    >>> text.count("<td>"), "<td>5, 0</td>" in text
    (8, True)
    """
    lines = _header(game)
    payoffs = game.payoffs
    if game.n_players == 1:
        matrices = [("", payoffs[:, np.newaxis, :])]
    else:
        matrices = []
        for tail in later_profiles(game, MAX_TABLES, "the DOT export draws one table"):
            caption = ", ".join(f"{game.players[2 + k]}: {game.strategies[2 + k][s]}" for k, s in enumerate(tail))
            matrices.append((caption, payoffs[matrix_index(tail)]))
    for number, (caption, rows) in enumerate(matrices):
        lines.append(f"  m{number} [shape=plaintext, label=<\n{_table(game, rows, caption)}\n>];")
    lines.append("}")
    return "\n".join(lines)


def game_to_dot(game: Any) -> str:
    """DOT of any game: :func:`normal_form_dot` or :func:`tree_dot`."""
    return by_form(game, normal_form_dot, tree_dot, "DOT")


def later_profiles(game: NormalFormGame, limit: int, export: str) -> Iterator[tuple[int, ...]]:
    """Strategy profiles of players 3 and later, one per matrix an export writes.

    Raises
    ------
    DeterrenceError
        If there are more than ``limit``; the message starts with ``export``.

    Examples
    --------
    >>> g = NormalFormGame(["A", "B", "C"], [["a"], ["b"], ["x", "y"]], [[[[1, 1, 1], [0, 0, 0]]]])
    >>> list(later_profiles(g, 4, "this export writes one matrix"))
    [(0,), (1,)]
    """
    rest = [range(k) for k in game.shape[2:]]
    count = int(np.prod(game.shape[2:], dtype=object)) if rest else 1
    if count > limit:
        raise DeterrenceError(
            f"{export} per strategy profile of players 3 and later; "
            f"this game needs {count}, more than the limit of {limit}"
        )
    return itertools.product(*rest)


def matrix_index(tail: tuple[int, ...]) -> Any:
    """The index of the matrix of players 1 and 2 at strategies ``tail`` of the later players."""
    return (slice(None), slice(None), *tail)
