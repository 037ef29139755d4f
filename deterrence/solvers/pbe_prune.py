"""Candidate supports per information set, pruned where the continuation is already forced.

Every non-empty subset of an information set's actions may be a support.
Working upwards from the leaves, an information set whose continuation is
forced (every information set below its nodes has a single candidate
support of one action) has fixed action values, so

* at a one-node set only subsets of the best actions remain (sequential
  rationality there needs no belief);
* at a set of several nodes an action beaten at *every* node by one other
  action cannot be played under any belief, and is dropped.

Information sets whose continuation is not forced are pruned by payoff
ranges: the player's payoff after action ``a`` at node ``x`` lies between the
least and the greatest payoff it can reach below ``x`` (over the actions
still possible there; a chance move's expectation lies between its
branches').  If some action ``b`` has, at every node of the set, a least
payoff above ``a``'s greatest, then ``b`` beats ``a`` under every belief and
every continuation, and ``a`` is dropped (conditional strict dominance).  This
removes, for example, the strikes of a type that gains nothing from them
whatever follows, without solving anything.

The pruning keeps every support that a perfect Bayesian equilibrium can use,
so enumeration over the pruned candidates stays complete.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from deterrence.forms.extensive_form import Chance, Decision, Terminal
from deterrence.solvers.pbe_tree import Info, TreeIndex

__all__ = ["candidate_supports"]

Path = tuple[str, ...]


def _subsets(actions: tuple[str, ...], mixed: bool) -> list[tuple[str, ...]]:
    sizes = range(1, len(actions) + 1) if mixed else (1,)
    return [c for n in sizes for c in combinations(actions, n)]


def _below(index: TreeIndex, info: Info) -> set[int]:
    """Positions of the information sets met strictly below the nodes of ``info``."""
    out: set[int] = set()
    for path in index.nodes:
        node = index.nodes[path]
        if isinstance(node, Decision) and any(len(path) > len(x) and path[: len(x)] == x for x in info.nodes):
            out.add(index.position[(node.player, node.infoset)])
    return out


def _value(index: TreeIndex, path: Path, forced: dict[int, str], player: int) -> Any:
    node = index.nodes[path]
    if isinstance(node, Terminal):
        return node.payoffs[player]
    if isinstance(node, Chance):
        return sum(
            (p * _value(index, path + (a,), forced, player) for a, p in zip(node.actions, node.probabilities) if p),
            0,
        )
    action = forced[index.position[(node.player, node.infoset)]]
    return _value(index, path + (action,), forced, player)


def _ranges(index: TreeIndex, options: list[list[tuple[str, ...]]], player: int) -> dict[Path, tuple[Any, Any]]:
    """``{path: (least, greatest)}`` payoff of ``player`` reachable from every node, over the live actions."""
    live = [set().union(*map(set, opts)) if opts else set() for opts in options]
    out: dict[Path, tuple[Any, Any]] = {}

    def walk(path: Path) -> tuple[Any, Any]:
        node = index.nodes[path]
        if isinstance(node, Terminal):
            value = node.payoffs[player]
            result = (value, value)
        else:
            if isinstance(node, Chance):
                actions = [a for a, p in zip(node.actions, node.probabilities, strict=True) if p]
            else:
                actions = [a for a in node.actions if a in live[index.position[(node.player, node.infoset)]]]
            bounds = [walk(path + (a,)) for a in actions]
            result = (min(b[0] for b in bounds), max(b[1] for b in bounds))
        out[path] = result
        return result

    walk(())
    return out


def _dominated(index: TreeIndex, options: list[list[tuple[str, ...]]]) -> bool:
    """Drop actions strictly dominated at every node of their set by payoff ranges; True if any was."""
    changed = False
    cache: dict[int, dict[Path, tuple[Any, Any]]] = {}
    for k, info in enumerate(index.infos):
        if len(options[k]) <= 1:
            continue
        player = index.players.index(info.player)
        if player not in cache:
            cache[player] = _ranges(index, options, player)
        bounds = cache[player]
        live = sorted(set().union(*map(set, options[k])), key=info.actions.index)
        try:
            beaten = {
                a
                for a in live
                if any(all(bounds[x + (b,)][0] > bounds[x + (a,)][1] for x in info.nodes) for b in live if b != a)
            }
        except (TypeError, KeyError):  # symbolic payoffs cannot be ordered; keep everything
            continue
        if beaten:
            kept = [s for s in options[k] if not set(s) & beaten]
            if kept and len(kept) != len(options[k]):
                options[k] = kept
                changed = True
                cache.clear()
    return changed


def candidate_supports(index: TreeIndex, mixed: bool = True) -> list[list[tuple[str, ...]]]:
    """Candidate supports of every information set (in ``index.infos`` order), pruned bottom-up.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
    >>> candidate_supports(TreeIndex(entry))
    [[('in',)], [('accommodate',)]]
    """
    options = [_subsets(i.actions, mixed) for i in index.infos]
    below = [_below(index, i) for i in index.infos]
    done: set[int] = set()
    changed = True
    while changed:
        changed = False
        for k, info in enumerate(index.infos):
            if k in done or not all(len(options[j]) == 1 and len(options[j][0]) == 1 for j in below[k]):
                continue
            done.add(k)
            forced = {j: options[j][0][0] for j in below[k]}
            player = index.players.index(info.player)
            value = {(x, a): _value(index, x + (a,), forced, player) for x in info.nodes for a in info.actions}
            if len(info.nodes) == 1:
                x = info.nodes[0]
                top = max(value[(x, a)] for a in info.actions)
                keep = {a for a in info.actions if value[(x, a)] == top}
            else:
                keep = {
                    a
                    for a in info.actions
                    if not any(all(value[(x, b)] > value[(x, a)] for x in info.nodes) for b in info.actions)
                }
            pruned = [s for s in options[k] if set(s) <= keep]
            if len(pruned) != len(options[k]):
                options[k] = pruned
                changed = True
        changed = _dominated(index, options) or changed
    return options
