r"""LaTeX for games and tables: ``sgame`` matrices, ``istgame`` trees and ``booktabs`` tables.

* :func:`normal_form_latex` writes a normal form as ``sgame`` ``game`` environments
  (``\usepackage{sgame}``): rows are the first player's strategies, columns the second's,
  each labelled with the player's name; a game with three or more players gets one matrix per
  strategy profile of the players after the second (at most :data:`MAX_MATRICES`), titled by
  that profile.
* :func:`tree_latex` writes a game tree as an ``istgame`` picture (``\usepackage{istgame}``):
  one ``\istroot`` per decision or chance node, one ``\istb`` per action (with the payoff
  vector at terminals, and the probability at chance moves), ``\xtInfoset`` joining the nodes
  of each information set.  Sibling distances are computed from the subtrees' contours (nodes,
  branch labels, payoffs) so that nothing overlaps; a tree wider than :data:`MAX_WIDTH_MM` is
  scaled down to fit.
* :func:`booktabs_table` writes any table of text and numbers.

Exact values are printed as ``\frac{p}{q}``, floats in decimal (``1.5 \times 10^{-7}`` for
tiny ones) and symbolic values through ``sympy.latex``.  Labels are text, with LaTeX's special
characters escaped (:func:`escape_latex`).

Examples
--------
>>> from fractions import Fraction
>>> print(latex_value(Fraction(-2, 3)), latex_value(4), latex_value(2.5e-7))
-\frac{2}{3} 4 2.5 \times 10^{-7}
>>> print(escape_latex("R&D_cost 50%"))
R\&D\_cost 50\%
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from deterrence.forms.normal_form import NormalFormGame
from deterrence.io.dot import later_profiles, matrix_index
from deterrence.io.json_game import by_form, value_text
from deterrence.numbers import as_exact, int_text, is_exact_value

__all__ = [
    "MAX_MATRICES",
    "MAX_WIDTH_MM",
    "booktabs_table",
    "escape_latex",
    "game_to_latex",
    "latex_document",
    "latex_value",
    "normal_form_latex",
    "standalone_latex",
    "tree_latex",
]

#: Most ``sgame`` matrices written for one game with three or more players.
MAX_MATRICES = 64
#: About how wide one character of a footnote-size label is, in millimetres.
CHAR_MM = 1.5
#: Widest tree drawn at full size, in millimetres; a wider one is scaled down to this width.
MAX_WIDTH_MM = 150

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "[": "{[}",  # braced, so that a bracket cannot end an optional argument
    "]": "{]}",
}


def escape_latex(text: Any) -> str:
    r"""``text`` with LaTeX's special characters escaped and line breaks made spaces.

    Examples
    --------
    >>> print(escape_latex(r"a\b {c} ~^"))
    a\textbackslash{}b \{c\} \textasciitilde{}\textasciicircum{}
    """
    return "".join(_SPECIAL.get(c, c) for c in " ".join(str(text).splitlines()))


def latex_value(value: Any) -> str:
    r"""Math-mode LaTeX of a payoff or probability: ``\frac{p}{q}``, a decimal, or ``sympy.latex``.

    Examples
    --------
    >>> import sympy
    >>> print(latex_value(sympy.Symbol("c") / 2 - 1), latex_value(0.25))
    \frac{c}{2} - 1 0.25
    """
    if is_exact_value(value) or getattr(value, "is_Rational", False):
        exact = as_exact(value)
        if exact.denominator == 1:
            return int_text(exact.numerator)
        sign = "-" if exact < 0 else ""
        return rf"{sign}\frac{{{int_text(abs(exact.numerator))}}}{{{int_text(exact.denominator)}}}"
    if isinstance(value, (float, np.floating)):
        text = repr(float(value))
        if "e" in text:
            mantissa, exponent = text.split("e")
            return rf"{mantissa} \times 10^{{{int(exponent)}}}"
        return text
    import sympy

    return sympy.latex(value)


def _vector(values: Sequence[Any]) -> str:
    return ", ".join(latex_value(v) for v in values)


def _braced(text: str) -> str:
    """An optional argument's content, braced so that a ``]`` in it cannot end it."""
    return "{" + text + "}"


# -- normal forms ---------------------------------------------------------------
def _matrix(game: NormalFormGame, rows: np.ndarray, label: str) -> list[str]:
    """One ``game`` environment: ``rows`` has shape (m, n, players)."""
    m, n = rows.shape[0], rows.shape[1]
    row_player = escape_latex(game.players[0])
    column_player = escape_latex(game.players[1]) if game.n_players > 1 else ""
    column_labels = [escape_latex(s) for s in game.strategies[1]] if game.n_players > 1 else [""]
    options = f"[{_braced(row_player)}][{_braced(column_player)}]"
    if label:
        options += f"[{_braced(label)}]"
    lines = [rf"\begin{{game}}{{{m}}}{{{n}}}{options}"]
    if any(r"\frac" in latex_value(v) for v in rows.flat):  # room for fractions in the cells
        lines.insert(0, r"\begingroup\def\gamestretch{1.6}")
    lines.append("  & " + " & ".join(column_labels) + r" \\")
    for i, strategy in enumerate(game.strategies[0]):
        cells = " & ".join(f"${_vector(rows[i, j])}$" for j in range(n))
        ending = r" \\" if i < m - 1 else ""
        lines.append(f"  {escape_latex(strategy)} & {cells}{ending}")
    lines.append(r"\end{game}")
    if lines[0].startswith(r"\begingroup"):
        lines.append(r"\endgroup")
    return lines


def normal_form_latex(game: NormalFormGame) -> str:
    r"""``sgame`` environments for a normal form (see the module docstring).

    Raises
    ------
    DeterrenceError
        If a game with three or more players would need more than :data:`MAX_MATRICES` matrices.

    Examples
    --------
    >>> pd = NormalFormGame(["Row", "Col"], [["C", "D"], ["C", "D"]],
    ...                     [[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
    >>> print(normal_form_latex(pd))
    % \usepackage{sgame}
    \begin{game}{2}{2}[{Row}][{Col}]
      & C & D \\
      C & $3, 3$ & $0, 5$ \\
      D & $5, 0$ & $1, 1$
    \end{game}
    """
    lines = [r"% \usepackage{sgame}"]
    if game.title:
        lines.append(f"% {escape_latex(game.title)}")
    payoffs = game.payoffs
    if game.n_players == 1:
        lines += _matrix(game, payoffs[:, np.newaxis, :], "")
        return "\n".join(lines)
    for number, tail in enumerate(later_profiles(game, MAX_MATRICES, "the LaTeX export writes one matrix")):
        label = ", ".join(
            f"{escape_latex(game.players[2 + k])}: {escape_latex(game.strategies[2 + k][s])}"
            for k, s in enumerate(tail)
        )
        if number:
            lines.append(r"\hspace{1em}")
        lines += _matrix(game, payoffs[matrix_index(tail)], label)
    return "\n".join(lines)


# -- trees -------------------------------------------------------------------------
def _layout(root: Node, label_width: Any) -> tuple[float, dict[int, float]]:
    """The tree's width and the sibling distance at every interior node, in leaf units.

    Contours are kept per half level: a node (1 wide) at even levels, a terminal's payoffs or the
    labels of its
    branches (``label_width(node, k)`` wide, beside the middle of branch ``k``) at the odd level
    below.  A node's children are evenly spaced, as istgame draws them, at the least distance
    that keeps any two of its subtrees' contours apart at every level.
    """
    spacing: dict[int, float] = {}
    contour: dict[int, list[tuple[float, float]]] = {}  # per half level below the node: (left, right)
    order: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        if not isinstance(node, Terminal):
            stack.extend(node.children)
    for node in reversed(order):
        if isinstance(node, Terminal):
            contour[id(node)] = [(-0.5, 0.5), (-0.5, 0.5)]  # the node, its payoffs below
            continue
        shapes = [contour.pop(id(c)) for c in node.children]
        count = len(shapes)
        s = 1.0
        for i, j in itertools.combinations(range(count), 2):
            for (_, right), (left, _) in zip(shapes[i], shapes[j]):
                s = max(s, (right - left) / (j - i))
        spacing[id(node)] = s
        offsets = [(k - (count - 1) / 2) * s for k in range(count)]
        labels = (offsets[0] / 2 - label_width(node, 0), offsets[-1] / 2 + label_width(node, count - 1))
        merged: list[tuple[float, float]] = [(-0.5, 0.5), labels]
        for level in range(max(len(c) for c in shapes)):
            spans = [(x + c[level][0], x + c[level][1]) for x, c in zip(offsets, shapes) if level < len(c)]
            merged.append((min(a for a, _ in spans), max(b for _, b in spans)))
        contour[id(node)] = merged
    outline = contour[id(root)]
    return max(b for _, b in outline) - min(a for a, _ in outline), spacing


def _side(k: int, count: int) -> str:
    """Where the label of branch ``k`` of ``count`` goes: left half, right half or middle."""
    middle = (count - 1) / 2
    return "l" if k < middle else ("r" if k > middle else "c")


def _printed_width(value: Any) -> int:
    """About how many characters wide a value is when typeset (a fraction: its longer part)."""
    if is_exact_value(value) or getattr(value, "is_Rational", False):
        exact = as_exact(value)
        sign = 1 if exact < 0 else 0
        return sign + max(
            len(int_text(abs(exact.numerator))), len(int_text(exact.denominator)) if exact.denominator != 1 else 0
        )
    return len(str(value))


def _action_label(action: str, probability: Any = None) -> str:
    text = rf"\mbox{{{escape_latex(action)}}}"
    if probability is not None:
        text += rf"\ ({latex_value(probability)})"
    return text


def tree_latex(game: ExtensiveFormGame, *, unit_mm: float | None = None, level_mm: float = 15) -> str:
    r"""An ``istgame`` picture of a game tree (see the module docstring).

    Parameters
    ----------
    game : ExtensiveFormGame
    unit_mm : float, optional
        Width of one leaf in millimetres; by default from the longest payoff vector.
    level_mm : float
        Distance between levels in millimetres.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import choice
    >>> entry = ExtensiveFormGame(["Entrant", "Incumbent"], choice("Entrant", "e", {
    ...     "out": Terminal((0, 2)),
    ...     "in": choice("Incumbent", "i", {"fight": Terminal((-1, -1)),
    ...                                     "accommodate": Terminal((1, 1))})}))
    >>> text = tree_latex(entry, unit_mm=12)
    >>> print(text.count(r"\istb"), text.count(r"\istroot"))
    4 2
    >>> print(text.splitlines()[2])
    \istroot(n0)[initial node]{Entrant}+15mm..18mm+
    """
    longest = max((sum(map(_printed_width, t.payoffs)) + 2 * len(t.payoffs) for t, _ in game.terminals()))
    unit = unit_mm if unit_mm is not None else max(10.0, CHAR_MM * longest)

    def label_width(node: Any, k: int) -> float:
        probability = len(value_text(node.probabilities[k])) + 3 if isinstance(node, Chance) else 0
        return (len(node.actions[k]) + probability) * CHAR_MM / unit

    extent, spacing = _layout(game.root, label_width)
    lines = [r"% \usepackage{istgame}"]
    if game.title:
        lines.append(f"% {escape_latex(game.title)}")
    width = extent * unit
    scale = f", scale={math.floor(100 * MAX_WIDTH_MM / width) / 100:g}, transform shape" if width > MAX_WIDTH_MM else ""
    lines.append(rf"\begin{{istgame}}[font=\footnotesize{scale}]")
    names: dict[int, str] = {}
    members: dict[tuple[str, str], list[str]] = {}
    # Preorder with each node's parent name and branch number: the parent's \istroot comes first.
    stack: list[tuple[Node, str | None, int, int]] = [(game.root, None, 0, 1)]
    while stack:
        node, parent, branch, siblings = stack.pop()
        if isinstance(node, Terminal):
            continue
        name = f"n{len(names)}"
        names[id(node)] = name
        at = f"({parent}-{branch})" if parent else ""
        if parent is None:
            style = "[chance node]" if isinstance(node, Chance) else "[initial node]"
        else:
            style = "[chance node]" if isinstance(node, Chance) else ""
        angle = {"l": "<above left>", "r": "<above right>", "c": ""}[_side(branch - 1, siblings)] if parent else ""
        owner = "Chance" if isinstance(node, Chance) else escape_latex(node.player)
        # Whole millimetres: istgame reads "+LEVEL..SIBLING+" up to dots, so a decimal point breaks it.
        distances = f"+{math.ceil(level_mm)}mm..{math.ceil(spacing[id(node)] * unit)}mm+"
        lines.append(rf"\istroot({name}){at}{style}{angle}{{{owner}}}{distances}")
        count = len(node.children)
        for k, (action, child) in enumerate(zip(node.actions, node.children)):
            probability = node.probabilities[k] if isinstance(node, Chance) else None
            position = {"l": "[al]", "r": "[ar]", "c": "[r]"}[_side(k, count)]
            branch_text = rf"  \istb{{{_action_label(action, probability)}}}{position}"
            if isinstance(child, Terminal):
                branch_text += f"{{({_vector(child.payoffs)})}}"
            lines.append(branch_text)
        lines.append(r"  \endist")
        if isinstance(node, Decision):
            members.setdefault((node.player, node.infoset), []).append(name)
        for k in range(count - 1, -1, -1):
            stack.append((node.children[k], name, k + 1, count))
    for nodes in members.values():
        for a, b in zip(nodes, nodes[1:]):
            lines.append(rf"\xtInfoset({a})({b})")
    lines.append(r"\end{istgame}")
    return "\n".join(lines)


def game_to_latex(game: Any) -> str:
    """LaTeX of any game: :func:`normal_form_latex` or :func:`tree_latex`."""
    return by_form(game, normal_form_latex, tree_latex, "LaTeX")


def standalone_latex(game: Any) -> str:
    r"""A complete document (``\documentclass`` to ``\end{document}``) holding :func:`game_to_latex`.

    Examples
    --------
    >>> g = NormalFormGame(["A"], [["x"]], [[1]])
    >>> print(standalone_latex(g).splitlines()[1])
    \usepackage{sgame}
    """
    package = "sgame" if isinstance(game, NormalFormGame) else "istgame"
    return latex_document(game_to_latex(game), [package])


def latex_document(body: str, packages: Sequence[str] = ("sgame",)) -> str:
    r"""A minimal compilable document around ``body`` (for previews and tests).

    Examples
    --------
    >>> print(latex_document("x", ["istgame"]).splitlines()[1])
    \usepackage{istgame}
    """
    used = "".join(rf"\usepackage{{{p}}}" + "\n" for p in packages)
    return f"\\documentclass{{article}}\n{used}\\begin{{document}}\n{body}\n\\end{{document}}\n"


# -- tables --------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if isinstance(value, str):
        return escape_latex(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"${latex_value(value)}$"


def booktabs_table(
    header: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    caption: str | None = None,
    label: str | None = None,
) -> str:
    r"""A ``booktabs`` table (``\usepackage{booktabs}``); with a caption, inside a ``table`` float.

    Text cells are escaped; numbers (ints, Fractions, floats, sympy expressions) are set in
    math mode by :func:`latex_value`.  A column whose cells are all numbers is right-aligned.

    Raises
    ------
    DeterrenceError
        If a row has a different number of cells from the header.

    Examples
    --------
    >>> from fractions import Fraction
    >>> print(booktabs_table(["player", "payoff"], [["Row", Fraction(1, 2)], ["Col_2", 3]]))
    \begin{tabular}{lr}
    \toprule
    player & payoff \\
    \midrule
    Row & $\frac{1}{2}$ \\
    Col\_2 & $3$ \\
    \bottomrule
    \end{tabular}
    """
    width = len(header)
    for number, row in enumerate(rows, 1):
        if len(row) != width:
            raise DeterrenceError(f"table row {number} has {len(row)} cells, the header has {width}")
    align = "".join(
        "r" if rows and all(not isinstance(r[k], str) and r[k] is not None for r in rows) else "l" for k in range(width)
    )
    lines = [rf"\begin{{tabular}}{{{align}}}", r"\toprule", " & ".join(_cell(str(h)) for h in header) + r" \\"]
    lines.append(r"\midrule")
    lines += [" & ".join(_cell(v) for v in row) + r" \\" for row in rows]
    lines += [r"\bottomrule", r"\end{tabular}"]
    if caption is None and label is None:
        return "\n".join(lines)
    head = [r"\begin{table}[htbp]", r"\centering"]
    if caption is not None:
        head.append(rf"\caption{{{escape_latex(caption)}}}")
    if label is not None:
        head.append(rf"\label{{{label}}}")
    return "\n".join(head + lines + [r"\end{table}"])
