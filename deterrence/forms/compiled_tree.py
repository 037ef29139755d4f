"""A perfect-information game tree flattened into arrays, for batched backward induction and sweeps.

:func:`compile_tree` numbers the nodes of a tree in preorder and stores the
structure (node kinds, children, terminals, decision nodes) as read-only
numpy arrays plus a list of operations in children-before-parents order, so
that :func:`deterrence.solvers.spe_batch.spe_batch` can run backward
induction at many payoff points with one vectorised pass per node.
:func:`compiled` caches the compilation per game object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import GameError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from deterrence.forms.subgames import infoset_nodes, path_label

__all__ = ["CHANCE", "DECISION", "TERMINAL", "CompiledTree", "compile_tree", "compiled"]

Path = tuple[str, ...]

#: Node kinds in :attr:`CompiledTree.kind`.
TERMINAL, DECISION, CHANCE = 0, 1, 2
_TERMINAL, _DECISION, _CHANCE = TERMINAL, DECISION, CHANCE


@dataclass(frozen=True, slots=True, eq=False)
class CompiledTree:
    """A perfect-information tree flattened into arrays once, for :func:`~deterrence.solvers.spe_batch.spe_batch`.

    Nodes are numbered in preorder (the order of ``game.walk()``); the root is 0.

    Attributes
    ----------
    game : ExtensiveFormGame
    kind : ndarray of int8, shape (n_nodes,)
        0 terminal, 1 decision, 2 chance.
    children : ndarray of intp, shape (n_nodes, max_actions)
        Child node numbers, ``-1`` as padding.
    terminal_nodes : ndarray of intp, shape (n_terminals,)
        Node number of each terminal, in the order of ``game.terminals()``.
    terminal_index : ndarray of intp, shape (n_nodes,)
        Terminal number of each node, ``-1`` for interior nodes.
    decision_nodes : ndarray of intp, shape (n_decisions,)
        Node number of each decision node, in preorder (the columns of
        :attr:`~deterrence.solvers.spe_batch.SPEBatch.choices`).
    decision_column : ndarray of intp, shape (n_nodes,)
        Column of each decision node, ``-1`` for other nodes.
    node_paths : tuple of tuple of str
        Action path of every node.
    depth : int
        Largest number of moves from the root to a terminal.
    """

    game: ExtensiveFormGame
    kind: np.ndarray
    children: np.ndarray
    terminal_nodes: np.ndarray
    terminal_index: np.ndarray
    decision_nodes: np.ndarray
    decision_column: np.ndarray
    node_paths: tuple[Path, ...]
    depth: int
    _ops: tuple
    _ends: tuple

    @property
    def decision_paths(self) -> tuple[Path, ...]:
        """Action paths of the decision nodes, in column order."""
        return tuple(self.node_paths[i] for i in self.decision_nodes)


def compile_tree(game: ExtensiveFormGame) -> CompiledTree:
    """Flatten a perfect-information tree (chance allowed) for :func:`~deterrence.solvers.spe_batch.spe_batch`.

    Raises
    ------
    GameError
        If an information set has more than one node, or a chance
        probability is not a number.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A", "B"], choice("A", "a", {"out": Terminal((0, 2)),
    ...     "in": choice("B", "b", {"fight": Terminal((-1, -1)), "yield": Terminal((1, 1))})}))
    >>> tree = compile_tree(g)
    >>> tree.decision_paths, tree.terminal_nodes.tolist()
    (((), ('in',)), [1, 3, 4])
    """
    shared = [key for key, paths in infoset_nodes(game).items() if len(paths) > 1]
    if shared:
        player, infoset = shared[0]
        raise GameError(
            f"spe_batch needs perfect information, but {player}'s information set {infoset!r} has "
            "several nodes; use subgame_perfect_equilibria"
        )
    nodes = list(game.walk())
    number = {path: i for i, (_, path) in enumerate(nodes)}
    width = max((len(n.actions) for n, _ in nodes if not isinstance(n, Terminal)), default=1)
    kind = np.zeros(len(nodes), dtype=np.int8)
    children = np.full((len(nodes), width), -1, dtype=np.intp)
    terminal_index = np.full(len(nodes), -1, dtype=np.intp)
    decision_column = np.full(len(nodes), -1, dtype=np.intp)
    terminals: list[int] = []
    decisions: list[int] = []
    for i, (node, path) in enumerate(nodes):
        if isinstance(node, Terminal):
            terminal_index[i] = len(terminals)
            terminals.append(i)
            continue
        kind[i] = _DECISION if isinstance(node, Decision) else _CHANCE
        children[i, : len(node.actions)] = [number[path + (a,)] for a in node.actions]
        if isinstance(node, Decision):
            decision_column[i] = len(decisions)
            decisions.append(i)
    # Storage rows: terminals first (so the payoffs land in one slice), then interior nodes.
    internal = [i for i in range(len(nodes)) if kind[i] != _TERMINAL]
    row = terminal_index.copy()
    row[internal] = len(terminals) + np.arange(len(internal))
    ops: list[tuple[Any, ...]] = []
    for i in reversed(range(len(nodes))):  # reverse preorder visits children before parents
        node, _ = nodes[i]
        kids = row[children[i, : len(getattr(node, "actions", ()))]]
        if isinstance(node, Decision):
            mover = game.players.index(node.player)
            ops.append(
                (
                    _DECISION,
                    int(row[i]),
                    mover,
                    tuple(int(k) for k in kids),
                    int(decision_column[i]),
                )
            )
        elif isinstance(node, Chance):
            try:
                probs = np.array([float(p) for p in node.probabilities])
            except TypeError:
                raise GameError(f"chance probabilities at {path_label(nodes[i][1])} are not numbers") from None
            ops.append((_CHANCE, int(row[i]), probs, kids, -1))
    ends = tuple((int(row[i]), i) for i in range(len(nodes)) if kind[i] != _DECISION)
    arrays: list[np.ndarray] = [kind, children, terminal_index, decision_column]
    for a in arrays:
        a.flags.writeable = False
    return CompiledTree(
        game,
        kind,
        children,
        np.array(terminals, dtype=np.intp),
        terminal_index,
        np.array(decisions, dtype=np.intp),
        decision_column,
        tuple(p for _, p in nodes),
        max(len(p) for _, p in nodes),
        tuple(ops),
        ends,
    )


_COMPILED: dict[int, tuple[ExtensiveFormGame, CompiledTree]] = {}


def compiled(game: ExtensiveFormGame | CompiledTree) -> CompiledTree:
    """The compiled tree of ``game``, compiled once per game object (the last 32 are cached)."""
    if isinstance(game, CompiledTree):
        return game
    hit = _COMPILED.get(id(game))
    if hit is not None and hit[0] is game:  # the stored reference keeps the id from being reused
        return hit[1]
    tree = compile_tree(game)
    if len(_COMPILED) >= 32:
        _COMPILED.pop(next(iter(_COMPILED)))
    _COMPILED[id(game)] = (game, tree)
    return tree
