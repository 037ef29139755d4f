"""Extensive-form (game-tree) games.

A game tree has three kinds of node:

:class:`Decision`
    a player moves; the node belongs to an *information set* (nodes the
    player cannot tell apart), identified by a string unique among that
    player's sets, and offers labelled actions;
:class:`Chance`
    nature moves with given probabilities, which must be non-negative and
    sum to one (exactly, for exact probabilities; symbolically, for
    parameters such as a prior);
:class:`Terminal`
    the play ends with one payoff per player.

Payoffs and probabilities follow the same three kinds as
:mod:`deterrence.normal_form`: exact, float or symbolic.  Gambit files may
attach outcomes to interior nodes; the reader adds them into the terminal
payoffs below, which gives the same game.

Analysis lives elsewhere: perfect recall and subgames in
:mod:`deterrence.subgames`, the reduced normal form in
:mod:`deterrence.reduced_form`, solvers in :mod:`deterrence.solvers`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import GameError
from deterrence.forms.normal_form import _normalise_payoff, payoff_kind

__all__ = ["Terminal", "Chance", "Decision", "Node", "ExtensiveFormGame", "choice"]


@dataclass(frozen=True, eq=False)
class Terminal:
    """A leaf: one payoff per player, in the game's player order."""

    payoffs: tuple[Any, ...]
    label: str = ""


@dataclass(frozen=True, eq=False)
class Chance:
    """A move by nature with one probability per action."""

    actions: tuple[str, ...]
    probabilities: tuple[Any, ...]
    children: tuple[Node, ...]
    label: str = ""
    infoset: str = ""


@dataclass(frozen=True, eq=False)
class Decision:
    """A move by ``player`` at information set ``infoset``."""

    player: str
    infoset: str
    actions: tuple[str, ...]
    children: tuple[Node, ...]
    label: str = ""


Node = Terminal | Chance | Decision


def choice(player: str, infoset: str, branches: Mapping[str, Node], label: str = "") -> Decision:
    """Build a :class:`Decision` from an ordered ``{action: child}`` mapping.

    Examples
    --------
    >>> node = choice("Defender", "d", {"concede": Terminal((1, 0)), "fight": Terminal((-1, -1))})
    >>> node.actions
    ('concede', 'fight')
    """
    return Decision(player, infoset, tuple(branches), tuple(branches.values()), label)


def _is_symbolic(value: Any) -> bool:
    return hasattr(value, "free_symbols") and not getattr(value, "is_Number", False)


class ExtensiveFormGame:
    """A finite game tree with labelled players, information sets and actions.

    Parameters
    ----------
    players : sequence of str
        Player names; terminal payoffs are given in this order.
    root : Node
        The root of the tree.  Nodes are immutable; the game normalises
        payoffs and probabilities into a new tree.
    title : str, optional
        A short description.

    Raises
    ------
    GameError
        If a decision names an unknown player, a node's actions and children
        differ in number, action labels repeat, the nodes of one information
        set offer different actions or belong to different players, chance
        probabilities are negative or do not sum to one, or a terminal has the
        wrong number of payoffs.

    Examples
    --------
    >>> entry = ExtensiveFormGame(["Entrant", "Incumbent"], choice("Entrant", "e", {
    ...     "out": Terminal((0, 2)),
    ...     "in": choice("Incumbent", "i", {"fight": Terminal((-1, -1)),
    ...                                     "accommodate": Terminal((1, 1))})}))
    >>> entry.kind, len(entry.terminals())
    ('exact', 3)
    >>> entry.infosets["Incumbent"]
    ('i',)
    """

    __slots__ = ("_players", "_root", "_title", "_kind", "_infosets", "_actions")

    def __init__(self, players: Sequence[str], root: Node, title: str = "") -> None:
        players = tuple(str(p) for p in players)
        if not players or len(set(players)) != len(players) or "" in players:
            raise GameError(f"players must be non-empty and unique, got {list(players)}")
        self._players = players
        self._title = str(title)
        self._actions: dict[tuple[str, str], tuple[str, ...]] = {}
        infosets: dict[str, list[str]] = {p: [] for p in players}
        # id of a payoff tuple -> (the tuple, normalised): terminals sharing one tuple
        # are normalised once, so a tree read from a file costs time linear in the file.
        values: dict[int, tuple[Any, tuple[Any, ...]]] = {}
        self._root = self._normalise(root, (), infosets, values)
        self._infosets = {p: tuple(v) for p, v in infosets.items()}
        flat = [v for _, normal in values.values() for v in normal]
        self._kind = payoff_kind(flat) if flat else "exact"
        if self._kind == "float":
            # As in NormalFormGame: a float game holds floats only, so no exact-looking
            # value (Fraction) from an integer payoff leaks into float results.
            self._root = _map_node(self._root, float)

    def _normalise(self, node: Node, path: tuple[str, ...], infosets: dict, values: dict) -> Node:
        where = "root" if not path else "/".join(path)
        if isinstance(node, Terminal):
            if len(node.payoffs) != len(self._players):
                raise GameError(f"terminal at {where} has {len(node.payoffs)} payoffs for {len(self._players)} players")
            seen = values.get(id(node.payoffs))
            if seen is not None and seen[0] is node.payoffs:
                return Terminal(seen[1], str(node.label))
            payoffs = tuple(_normalise_payoff(v, f"at {where} for {p}") for p, v in zip(self._players, node.payoffs))
            values[id(node.payoffs)] = (node.payoffs, payoffs)
            return Terminal(payoffs, str(node.label))
        if not isinstance(node, (Chance, Decision)):
            raise GameError(f"node at {where} is not a Terminal, Chance or Decision: {node!r}")
        actions = tuple(str(a) for a in node.actions)
        children = tuple(node.children)
        if len(actions) != len(children) or not actions:
            raise GameError(f"node at {where} has {len(actions)} actions and {len(children)} children")
        if len(set(actions)) != len(actions):
            raise GameError(f"node at {where} repeats an action label: {list(actions)}")
        if isinstance(node, Decision):
            self._register(node, actions, where, infosets)
        new_children = tuple(
            self._normalise(child, path + (a,), infosets, values) for a, child in zip(actions, children)
        )
        if isinstance(node, Chance):
            probs = tuple(_normalise_payoff(p, f"(probability) at {where}") for p in node.probabilities)
            self._check_probabilities(probs, len(actions), where)
            values[id(probs)] = (probs, probs)
            return Chance(actions, probs, new_children, str(node.label), str(node.infoset))
        return Decision(str(node.player), str(node.infoset), actions, new_children, str(node.label))

    def _register(self, node: Decision, actions: tuple[str, ...], where: str, infosets: dict) -> None:
        """Check a decision node's player and information set, recording the set in preorder."""
        player, infoset = str(node.player), str(node.infoset)
        if player not in self._players:
            raise GameError(f"decision at {where} names unknown player {player!r}")
        if infoset == "":
            raise GameError(f"decision at {where} has an empty information-set id")
        key = (player, infoset)
        if key in self._actions:
            if self._actions[key] != actions:
                raise GameError(
                    f"information set {infoset!r} of {player} offers {list(self._actions[key])} "
                    f"at one node and {list(actions)} at {where}"
                )
        else:
            self._actions[key] = actions
            infosets[player].append(infoset)

    @staticmethod
    def _check_probabilities(probs: tuple, count: int, where: str) -> None:
        if len(probs) != count:
            raise GameError(f"chance node at {where} has {len(probs)} probabilities for {count} actions")
        if any(_is_symbolic(p) for p in probs):
            import sympy

            if sympy.simplify(sum(probs) - 1) != 0:
                raise GameError(f"chance probabilities at {where} do not sum to 1: {list(probs)}")
            return
        if any(p < 0 for p in probs):
            raise GameError(f"chance node at {where} has a negative probability: {list(probs)}")
        total = sum(probs)
        exact = all(not isinstance(p, float) for p in probs)
        if (exact and total != 1) or (not exact and abs(total - 1) > 1e-9):
            raise GameError(f"chance probabilities at {where} sum to {total}, not 1")

    # -- properties -------------------------------------------------------
    @property
    def players(self) -> tuple[str, ...]:
        """Player names; terminal payoffs follow this order."""
        return self._players

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self._players)

    @property
    def root(self) -> Node:
        """The root node (normalised)."""
        return self._root

    @property
    def title(self) -> str:
        """A short description of the game."""
        return self._title

    @property
    def kind(self) -> str:
        """``"exact"``, ``"float"`` or ``"symbolic"``."""
        return self._kind

    @property
    def infosets(self) -> dict[str, tuple[str, ...]]:
        """Information-set ids of each player, in order of first appearance (preorder)."""
        return dict(self._infosets)

    def actions(self, player: str, infoset: str) -> tuple[str, ...]:
        """Action labels at one information set."""
        try:
            return self._actions[(player, infoset)]
        except KeyError:
            raise GameError(f"{player} has no information set {infoset!r}") from None

    @property
    def parameters(self) -> tuple[str, ...]:
        """Sorted names of free parameters in payoffs and probabilities."""
        names: set[str] = set()
        for node, _ in self.walk():
            items = node.payoffs if isinstance(node, Terminal) else getattr(node, "probabilities", ())
            for v in items:
                names.update(str(s) for s in getattr(v, "free_symbols", ()))
        return tuple(sorted(names))

    # -- traversal --------------------------------------------------------
    def walk(self) -> Iterator[tuple[Node, tuple[str, ...]]]:
        """Yield ``(node, path)`` in preorder; ``path`` is the tuple of action labels from the root."""
        stack: list[tuple[Node, tuple[str, ...]]] = [(self._root, ())]
        while stack:
            node, path = stack.pop()
            yield node, path
            if not isinstance(node, Terminal):
                for action, child in reversed(list(zip(node.actions, node.children))):
                    stack.append((child, path + (action,)))

    def terminals(self) -> list[tuple[Terminal, tuple[str, ...]]]:
        """All terminal nodes with their paths, left to right."""
        return [(n, p) for n, p in self.walk() if isinstance(n, Terminal)]

    def node_at(self, path: Sequence[str]) -> Node:
        """The node reached from the root by a sequence of action labels."""
        node = self._root
        for action in path:
            if isinstance(node, Terminal) or action not in node.actions:
                raise GameError(f"no action {action!r} on path {list(path)}")
            node = node.children[node.actions.index(action)]
        return node

    # -- transformations --------------------------------------------------
    def map_values(self, function: Any) -> ExtensiveFormGame:
        """Return a new game with ``function`` applied to every payoff and probability."""

        return ExtensiveFormGame(self._players, _map_node(self._root, function), self._title)

    def evaluate(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> ExtensiveFormGame:
        """Substitute parameter values into payoffs and probabilities.

        Examples
        --------
        >>> import sympy
        >>> w = sympy.Symbol("w")
        >>> g = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((w,)), "y": Terminal((1,))}))
        >>> print(g.evaluate(w=2).root.children[0].payoffs[0])
        2
        """
        if self._kind != "symbolic":
            return self
        values = {**(values or {}), **kwargs}
        missing = [p for p in self.parameters if p not in values]
        if missing:
            raise GameError(f"no value given for parameter(s) {missing}")
        from deterrence.forms.evaluate import substitute

        return self.map_values(lambda v: substitute(v, values) if _is_symbolic(v) else v)

    def __repr__(self) -> str:
        n_terminals = len(self.terminals())
        title = f" {self._title!r}" if self._title else ""
        return f"<ExtensiveFormGame{title} {self._kind} players={list(self._players)} terminals={n_terminals}>"


def _map_node(node: Node, function: Any) -> Node:
    """The same tree with ``function`` applied to every payoff and probability."""
    if isinstance(node, Terminal):
        return Terminal(tuple(function(v) for v in node.payoffs), node.label)
    children = tuple(_map_node(c, function) for c in node.children)
    if isinstance(node, Chance):
        probs = tuple(function(p) for p in node.probabilities)
        return Chance(node.actions, probs, children, node.label, node.infoset)
    return Decision(node.player, node.infoset, node.actions, children, node.label)


def _float_payoffs(game: ExtensiveFormGame) -> np.ndarray:  # used by solvers
    """Terminal payoffs as a float array of shape ``(n_terminals, n_players)``."""
    return np.array([[float(v) for v in t.payoffs] for t, _ in game.terminals()], dtype=np.float64)
