"""The game-tree bookkeeping behind :mod:`deterrence.solvers.pbe`: information sets, reach, values.

An *assessment* is a pair ``(sigma, mu)``: a behaviour profile ``sigma``
(one distribution over actions at every information set) and a belief
system ``mu`` (one distribution over the nodes of every information set).
This module indexes a tree once (:class:`TreeIndex`) and evaluates, for a
profile whose probabilities may be numbers or sympy expressions,

* the probability of reaching each node from an *anchor* (the deepest
  subgame root that contains the whole information set: Bayes' rule is
  applied inside every subgame, so an assessment is a weak perfect Bayesian
  equilibrium of every subgame, hence subgame perfect);
* the continuation payoff of every node (:meth:`TreeIndex.values`);
* the role of each informed player: separating, pooling or semi-separating
  with respect to the chance move she observes (:func:`roles`).

Nodes are named by their label when it is unique in the tree, otherwise by
their path of actions from the root joined by ``/`` (``"root"`` for the root).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from deterrence.forms.subgames import path_label, subgame_roots

__all__ = ["MAX_PLANS", "Info", "TreeIndex", "deviation_plans", "own_below", "roles", "value_below"]

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Info:
    """One information set: its player, id, actions, node paths (preorder) and anchor."""

    player: str
    name: str
    actions: tuple[str, ...]
    nodes: tuple[Path, ...]
    anchor: Path


class TreeIndex:
    """Nodes, information sets and node names of a game tree, computed once.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A", "B"], choice("A", "a", {
    ...     "l": choice("B", "b", {"x": Terminal((1, 0)), "y": Terminal((0, 1))}),
    ...     "r": choice("B", "b", {"x": Terminal((0, 1)), "y": Terminal((1, 0))})}))
    >>> index = TreeIndex(g)
    >>> [(i.player, i.name, i.nodes) for i in index.infos]
    [('A', 'a', ((),)), ('B', 'b', (('l',), ('r',)))]
    >>> index.node_name(("l",))
    'l'
    """

    def __init__(self, game: ExtensiveFormGame) -> None:
        self.game = game
        self.nodes: dict[Path, Node] = {}
        found: dict[tuple[str, str], list[Path]] = {}
        labels: dict[str, int] = {}
        for node, path in game.walk():
            self.nodes[path] = node
            if node.label:
                labels[node.label] = labels.get(node.label, 0) + 1
            if isinstance(node, Decision):
                found.setdefault((node.player, node.infoset), []).append(path)
        self._unique = {label for label, count in labels.items() if count == 1}
        roots = subgame_roots(game)
        infos = []
        for (player, name), paths in found.items():
            common = _common_prefix(paths)
            anchor = max((r for r in roots if common[: len(r)] == r), key=len)
            infos.append(Info(player, name, game.actions(player, name), tuple(paths), anchor))
        self.infos: list[Info] = infos
        self.position = {(i.player, i.name): k for k, i in enumerate(infos)}
        self.players = game.players

    def node_name(self, path: Path) -> str:
        """The node's label when unique in the tree, else its path (``"root"`` for the root)."""
        label = self.nodes[path].label
        return label if label in self._unique else path_label(path)

    def info_of(self, path: Path) -> Info:
        """The information set of the decision node at ``path``."""
        node = self.nodes[path]
        if not isinstance(node, Decision):
            raise SolverError(f"internal error: the node at {path_label(path)} is not a decision node")
        return self.infos[self.position[(node.player, node.infoset)]]

    def step(self, path: Path, prob: Callable[[Info, str], Any]) -> Any:
        """Probability of the last move on ``path`` (chance, or ``prob(info, action)``)."""
        parent = self.nodes[path[:-1]]
        action = path[-1]
        if isinstance(parent, Chance):
            return parent.probabilities[parent.actions.index(action)]
        return prob(self.info_of(path[:-1]), action)

    def reach(self, path: Path, prob: Callable[[Info, str], Any], start: int = 0) -> Any:
        """Probability of the moves on ``path`` after its first ``start`` moves."""
        total: Any = 1
        for k in range(start + 1, len(path) + 1):
            total = total * self.step(path[:k], prob)
        return total

    def reached(self, info: Info, positive: Callable[[Info, str], bool]) -> bool:
        """Whether some node of ``info`` is reached from its anchor when only ``positive`` moves are made."""
        start = len(info.anchor)
        for path in info.nodes:
            if all(self._positive_step(path[:k], positive) for k in range(start + 1, len(path) + 1)):
                return True
        return False

    def _positive_step(self, path: Path, positive: Callable[[Info, str], bool]) -> bool:
        parent = self.nodes[path[:-1]]
        if isinstance(parent, Chance):
            return parent.probabilities[parent.actions.index(path[-1])] != 0
        return positive(self.info_of(path[:-1]), path[-1])

    def _ground(self) -> dict[Path, tuple]:
        """Terminal payoffs and chance probabilities as sympy's rational type (fast with polynomial rings)."""
        cached = getattr(self, "_qq", None)
        if cached is None:
            from sympy import QQ

            cached = {}
            for path, node in self.nodes.items():
                if isinstance(node, Terminal):
                    cached[path] = tuple(QQ(v.numerator, v.denominator) for v in node.payoffs)
                elif isinstance(node, Chance):
                    cached[path] = tuple(QQ(v.numerator, v.denominator) for v in node.probabilities)
            self._qq = cached
        return cached

    def values(
        self, prob: Callable[[Info, str], Any], expand: Callable[[Any], Any] | None = None, ground: bool = False
    ) -> dict:
        """Continuation payoff tuple of every node under the profile ``prob`` (bottom-up).

        ``ground=True`` (exact games) computes with sympy's rationals, for
        probabilities that are polynomial-ring elements.
        """
        qq = self._ground() if ground else None
        out: dict[Path, tuple] = {}
        order = sorted(self.nodes, key=len, reverse=True)
        n = self.game.n_players
        for path in order:
            node = self.nodes[path]
            if isinstance(node, Terminal):
                out[path] = qq[path] if qq is not None else node.payoffs
                continue
            totals: list[Any] = [0] * n
            for index, action in enumerate(node.actions):
                if isinstance(node, Chance):
                    p = qq[path][index] if qq is not None else node.probabilities[index]
                else:
                    p = prob(self.info_of(path), action)
                if p == 0:
                    continue
                child = out[path + (action,)]
                for k in range(n):
                    totals[k] = totals[k] + p * child[k]
            out[path] = tuple(expand(v) for v in totals) if expand else tuple(totals)
        return out


def value_below(index: TreeIndex, path: Path, prob: Callable[[Info, str], Any], player: int, ground: bool) -> Any:
    """Continuation payoff of ``player`` at the node ``path`` under ``prob`` (one subtree, top-down)."""
    node = index.nodes[path]
    qq = index._ground() if ground else None
    if isinstance(node, Terminal):
        return qq[path][player] if qq is not None else node.payoffs[player]
    total: Any = 0
    for k, action in enumerate(node.actions):
        if isinstance(node, Chance):
            p = qq[path][k] if qq is not None else node.probabilities[k]
        else:
            p = prob(index.info_of(path), action)
        if p != 0:
            total = total + p * value_below(index, path + (action,), prob, player, ground)
    return total


def own_below(index: TreeIndex) -> list[dict[str, list[int]]]:
    """For every information set and action, the positions of the mover's own sets met below it."""
    out = []
    for info in index.infos:
        table: dict[str, list[int]] = {}
        for a in info.actions:
            found: list[int] = []
            for x in info.nodes:
                base = x + (a,)
                for path, node in index.nodes.items():
                    if isinstance(node, Decision) and node.player == info.player and path[: len(base)] == base:
                        j = index.position[(node.player, node.infoset)]
                        if j not in found:
                            found.append(j)
            table[a] = found
        out.append(table)
    return out


#: Most pure continuation plans compared against one action (beyond it the full check decides).
MAX_PLANS = 64


def deviation_plans(
    index: TreeIndex, below: list[dict[str, list[int]]], k: int, action: str, in_support: bool, reached: list[bool]
) -> list[dict[int, str]]:
    """Pure plans on the mover's unreached sets below ``action`` at set ``k`` that its value must beat.

    Sequential rationality is against every continuation strategy, not only
    one-shot deviations: after an action that is not played (or at a set
    that is not reached) the mover's own later sets are not reached, their
    beliefs are free, and the best continuation there need not be the one
    the profile prescribes.  The best continuation is pure, so the value at
    the set must beat each pure plan on those sets.  Empty when nothing
    needs comparing (or when there are more than :data:`MAX_PLANS` plans).
    """
    if reached[k] and in_support:
        return []
    sets = [j for j in below[k][action] if not reached[j]]
    if not sets:
        return []
    count = 1
    for j in sets:
        count *= len(index.infos[j].actions)
    if count > MAX_PLANS:
        return []
    from itertools import product

    return [dict(zip(sets, plan, strict=True)) for plan in product(*(index.infos[j].actions for j in sets))]


def _common_prefix(paths: list[Path]) -> Path:
    first = paths[0]
    k = len(first)
    for p in paths[1:]:
        j = 0
        while j < min(k, len(p)) and first[j] == p[j]:
            j += 1
        k = j
    return first[:k]


def signal_points(index: TreeIndex) -> list[tuple[Path, str, Path, list[Info]]]:
    """``(chance node, player, path after it, one information set per outcome)`` where a player observes nature.

    A player observes a chance node's outcome at a continuation ``s`` when,
    for every outcome ``k``, the node at ``chance + (k,) + s`` is hers and the
    information sets differ across outcomes (each outcome is a *type*).
    """
    out = []
    for path, node in index.nodes.items():
        if not isinstance(node, Chance) or len(node.actions) < 2:
            continue
        suffixes: dict[tuple[str, Path], list[Info | None]] = {}
        for k, action in enumerate(node.actions):
            base = path + (action,)
            for other, child in index.nodes.items():
                if other[: len(base)] == base and isinstance(child, Decision):
                    key = (child.player, other[len(base) :])
                    suffixes.setdefault(key, [None] * len(node.actions))[k] = index.info_of(other)
        for (player, suffix), found in suffixes.items():
            infos = [f for f in found if f is not None]
            if len(infos) == len(found) and len({(f.player, f.name) for f in infos}) == len(infos):
                out.append((path, player, suffix, infos))
    out.sort(key=lambda t: (len(t[0]) + len(t[2]), t[0], t[2]))
    return out


def roles(index: TreeIndex, behaviour: Mapping[str, Mapping[str, Mapping[str, Any]]], reach: Mapping) -> dict:
    """Separating / pooling / semi-separating for each informed player, at her first observed type draw.

    ``reach`` maps node paths to their probability from the root; points on
    the path of play are preferred (the first one in preorder), else the
    first point.  Types are compared by their distributions over actions:
    disjoint supports are *separating*, equal distributions *pooling*, anything
    else *semi-separating*.
    """
    out: dict[str, dict[str, str]] = {}
    points = getattr(index, "_signal_points", None)
    if points is None:
        points = index._signal_points = signal_points(index)  # type: ignore[attr-defined]
    for player in index.players:
        mine = [p for p in points if p[1] == player]
        if not mine:
            continue
        on_path = [p for p in mine if any(reach.get(n, 0) != 0 for info in p[3] for n in info.nodes)]
        chance, _, suffix, infos = (on_path or mine)[0]
        dists = [{a: behaviour[player][i.name].get(a, 0) for a in i.actions} for i in infos]
        supports = [frozenset(a for a, v in d.items() if v != 0) for d in dists]
        if all(d == dists[0] for d in dists):
            kind = "pooling"
        elif all(not (supports[i] & supports[j]) for i in range(len(dists)) for j in range(i)):
            kind = "separating"
        else:
            kind = "semi-separating"
        out[player] = {"role": kind, "types_at": path_label(chance), "moves_at": path_label(suffix)}
    return out
