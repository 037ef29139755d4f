"""Game trees as figures: Graphviz when its ``dot`` program is installed, else a matplotlib drawing.

* :func:`render_dot` runs ``dot`` on a DOT text (:func:`deterrence.io.dot.tree_dot`) and returns
  the SVG or PNG bytes, or None when Graphviz is missing;
* :func:`highlight_dot` thickens and colours the edges of a path in that DOT text;
* :func:`draw_tree` draws the tree on a matplotlib ``Axes``: leaves spread evenly, each decision
  node above the middle of its children, actions on the edges, payoff vectors under the leaves,
  information sets joined by dashed lines, and an optional path (an equilibrium's) in colour.

A path is a sequence of child indices from the root (``(1, 0)``: the second action at the root,
then the first action after it).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from deterrence.forms.extensive_form import Decision, ExtensiveFormGame, Terminal
>>> game = ExtensiveFormGame(["A", "B"], Decision("A", "a", ["in", "out"], [
...     Decision("B", "b", ["fight", "share"], [Terminal([-1, -1]), Terminal([1, 1])]), Terminal([0, 2])]))
>>> ax = draw_tree(game, path=(0, 1))
>>> sorted(t.get_text() for t in ax.texts if t.get_text() in ("in", "out", "(1, 1)"))
['(1, 1)', 'in', 'out']
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from typing import Any

__all__ = ["draw_tree", "highlight_dot", "render_dot"]

#: Colour of a highlighted path (Okabe & Ito vermillion).
PATH_COLOUR = "#D55E00"


def render_dot(text: str, fmt: str = "svg", timeout: float = 60.0) -> bytes | None:
    """The ``dot -T<fmt>`` rendering of a DOT text, or None when Graphviz is not installed or fails.

    Examples
    --------
    >>> out = render_dot("digraph { a -> b }", "svg")
    >>> out is None or out.lstrip().startswith(b"<?xml")
    True
    """
    program = shutil.which("dot")
    if program is None:
        return None
    try:
        done = subprocess.run([program, f"-T{fmt}"], input=text.encode("utf-8"), capture_output=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 and done.stdout else None


def _preorder(root: Any) -> list[tuple[Any, int | None, int | None]]:
    """``(node, parent index, child number)`` in the order :func:`deterrence.io.dot.tree_dot` names nodes."""
    out: list[tuple[Any, int | None, int | None]] = []
    stack: list[tuple[Any, int | None, int | None]] = [(root, None, None)]
    while stack:
        node, parent, k = stack.pop()
        index = len(out)
        out.append((node, parent, k))
        children = getattr(node, "children", None) or []
        for j in range(len(children) - 1, -1, -1):
            stack.append((children[j], index, j))
    return out


def _path_edges(root: Any, path: Sequence[int]) -> list[tuple[int, int]]:
    """The (parent, child) pre-order indices of the edges along ``path``."""
    nodes = _preorder(root)
    index = {id(node): i for i, (node, _, _) in enumerate(nodes)}
    edges, node = [], root
    for k in path:
        child = node.children[k]
        edges.append((index[id(node)], index[id(child)]))
        node = child
    return edges


def highlight_dot(text: str, root: Any, path: Sequence[int], colour: str = PATH_COLOUR) -> str:
    """The DOT text of :func:`~deterrence.io.dot.tree_dot` with the edges of ``path`` drawn thick and coloured.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> from deterrence.io.dot import tree_dot
    >>> g = ExtensiveFormGame(["A"], Decision("A", "a", ["l", "r"], [Terminal([0]), Terminal([1])]))
    >>> [line.strip() for line in highlight_dot(tree_dot(g), g.root, [1]).splitlines() if "penwidth" in line]
    ['n0 -> n2 [color="#D55E00", penwidth=3, fontcolor="#D55E00", label="r"];']
    """
    for parent, child in _path_edges(root, path):
        old = f"  n{parent} -> n{child} [label="
        text = text.replace(old, f'  n{parent} -> n{child} [color="{colour}", penwidth=3, fontcolor="{colour}", label=')
    return text


def _layout(root: Any) -> tuple[dict[int, tuple[float, float]], list[tuple[Any, int | None, int | None]]]:
    nodes = _preorder(root)
    position: dict[int, tuple[float, float]] = {}
    leaf = 0

    def place(node: Any, depth: int) -> float:
        nonlocal leaf
        children = getattr(node, "children", None) or []
        if not children:
            x = float(leaf)
            leaf += 1
        else:
            xs = [place(c, depth + 1) for c in children]
            x = (xs[0] + xs[-1]) / 2
        position[id(node)] = (x, -float(depth))
        return x

    place(root, 0)
    return position, nodes


def draw_tree(game: Any, ax: Any = None, *, path: Sequence[int] | None = None, title: str = "") -> Any:
    """Draw an extensive-form game on ``ax`` (a new figure when None) and return the Axes.

    Decision nodes are circles labelled with the player, chance nodes grey diamonds, leaves
    show the payoff vector (players in the game's order, named in the legend); ``path`` (child
    indices from the root) is drawn thick in colour, e.g. a subgame-perfect equilibrium's path.
    """
    from matplotlib.lines import Line2D

    from deterrence.io.tables import format_value
    from deterrence.plotting.figures import _axes, place_legend

    ax = _axes(ax)
    position, nodes = _layout(game.root)
    on_path = {child for _, child in _path_edges(game.root, path or ())}
    infosets: dict[tuple[Any, Any], list[tuple[float, float]]] = {}
    for i, (node, parent, k) in enumerate(nodes):
        x, y = position[id(node)]
        if parent is not None:
            above = nodes[parent][0]
            px, py = position[id(above)]
            colour, width = (PATH_COLOUR, 3.0) if i in on_path else ("0.3", 1.2)
            ax.plot([px, x], [py, y], color=colour, linewidth=width, zorder=1)
            label = str(above.actions[k])
            probabilities = getattr(above, "probabilities", None)
            if probabilities is not None:
                label += f" ({format_value(probabilities[k])})"
            ax.text(
                (px + x) / 2, (py + y) / 2, label, fontsize=7, ha="center", va="center", color=colour,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"}, zorder=3,
            )  # fmt: skip
        children = getattr(node, "children", None) or []
        if not children:
            payoffs = "(" + ", ".join(format_value(v) for v in node.payoffs) + ")"
            ax.text(x, y - 0.12, payoffs, fontsize=7, ha="center", va="top", rotation=90 if len(nodes) > 40 else 0)
            ax.plot([x], [y], marker="s", markersize=4, color="0.2", zorder=2)
        elif getattr(node, "probabilities", None) is not None:
            ax.plot([x], [y], marker="D", markersize=11, color="0.75", markeredgecolor="0.2", zorder=2)
            ax.text(x, y, "C", fontsize=7, ha="center", va="center", zorder=4)
        else:
            ax.plot([x], [y], marker="o", markersize=13, color="white", markeredgecolor="0.2", zorder=2)
            ax.text(x, y, str(node.player)[:2], fontsize=7, ha="center", va="center", zorder=4)
            infosets.setdefault((node.player, node.infoset), []).append((x, y))
    for members in infosets.values():
        if len(members) > 1:
            xs, ys = zip(*sorted(members), strict=True)
            ax.plot(xs, ys, linestyle="--", color="0.4", linewidth=1, zorder=0)
    depth = max(-y for _, y in position.values())
    ax.set_ylim(-depth - 0.9, 0.4)
    ax.set_xlim(min(x for x, _ in position.values()) - 0.6, max(x for x, _ in position.values()) + 0.6)
    ax.set_axis_off()
    handles = [
        Line2D([], [], marker="o", color="white", markeredgecolor="0.2", linestyle="none", markersize=9,
               label="decision node (player's initials)"),
        Line2D([], [], marker="s", color="0.2", linestyle="none", markersize=4,
               label="outcome: payoffs (" + ", ".join(str(p) for p in game.players) + ")"),
    ]  # fmt: skip
    if path:
        handles.append(Line2D([], [], color=PATH_COLOUR, linewidth=3, label="equilibrium path"))
    if any(len(m) > 1 for m in infosets.values()):
        handles.append(Line2D([], [], color="0.4", linestyle="--", label="information set"))
    if title:
        ax.set_title(title, fontsize=10)
    place_legend(ax, handles, loc="below")
    return ax
