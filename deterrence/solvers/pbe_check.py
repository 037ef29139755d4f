"""Check an assessment: Bayes consistency where reached, sequential rationality everywhere.

An assessment ``(sigma, mu)`` of a tree with perfect recall passes when

* every ``sigma`` and ``mu`` entry is a probability distribution;
* at every information set reached with positive probability from its
  anchor (the deepest subgame root containing it), ``mu`` is the Bayes
  posterior of the reach probabilities;
* at every information set ``I`` of player ``i``, ``sigma_i`` is a best
  response from ``I`` among *all* continuation strategies of ``i`` (not only
  one-shot deviations), given the belief ``mu(I)`` and the others' ``sigma``.
  The best-response value from a weighted set of start nodes uses the
  sequence decomposition of :mod:`deterrence.forms.subgames`.

The check is exact for exact assessments and within a tolerance otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from deterrence.forms.extensive_form import Chance, Decision, Terminal
from deterrence.forms.subgames import best_sequence_value
from deterrence.solvers.pbe_tree import Info, TreeIndex

__all__ = ["assessment", "assessment_regret", "bayes_beliefs", "ratio"]

Path = tuple[str, ...]


def ratio(a: Any, b: Any) -> Any:
    """``a / b``, exact when both are integers (``1 / 1`` would be the float ``1.0``)."""
    if isinstance(a, int) and isinstance(b, int):
        return Fraction(a, b)
    return a / b


def assessment(index: TreeIndex, tables: Sequence[Mapping[str, Any]], weights: Sequence[Any]) -> tuple[dict, dict]:
    """``(behaviour, beliefs)`` keyed by player and set from per-set lists (``index.infos`` order).

    ``tables[k]`` is set ``k``'s distribution over actions; ``weights[k]``
    its node weights, normalised here, or None where Bayes' rule gives them.
    """
    behaviour: dict[str, dict[str, Any]] = {p: {} for p in index.players}
    beliefs: dict[tuple[str, str], dict[Path, Any]] = {}
    for info, table, given in zip(index.infos, tables, weights, strict=True):
        behaviour[info.player][info.name] = table
        if given is not None:
            total = sum(given.values())
            beliefs[(info.player, info.name)] = {x: ratio(w, total) for x, w in given.items()}
    return behaviour, beliefs


def _prob_function(index: TreeIndex, behaviour: Mapping) -> Any:
    def prob(info: Info, action: str) -> Any:
        return behaviour[info.player][info.name].get(action, 0)

    return prob


def bayes_beliefs(index: TreeIndex, behaviour: Mapping, info: Info) -> dict[Path, Any] | None:
    """Bayes posterior over ``info``'s nodes from its anchor, or None when it is not reached."""
    prob = _prob_function(index, behaviour)
    weights = {x: index.reach(x, prob, start=len(info.anchor)) for x in info.nodes}
    total = sum(weights.values())
    if total == 0:
        return None
    return {x: ratio(w, total) for x, w in weights.items()}


def _best_value(index: TreeIndex, behaviour: Mapping, player: str, starts: Mapping[Path, Any]) -> Any:
    """Best payoff ``player`` can get from the weighted start nodes against the others' behaviour."""
    k = index.players.index(player)
    prob = _prob_function(index, behaviour)
    contrib: dict[Any, Any] = {}
    after: dict[Any, dict[str, tuple[str, ...]]] = {}
    stack: list[tuple[Path, Any, Any]] = [(path, w, None) for path, w in starts.items() if w != 0]
    while stack:
        path, weight, seq = stack.pop()
        node = index.nodes[path]
        if isinstance(node, Terminal):
            contrib[seq] = contrib.get(seq, 0) + weight * node.payoffs[k]
            continue
        if isinstance(node, Decision) and node.player == player:
            after.setdefault(seq, {})[node.infoset] = node.actions
            for action in node.actions:
                stack.append((path + (action,), weight, (node.infoset, action)))
            continue
        for i, action in enumerate(node.actions):
            p = node.probabilities[i] if isinstance(node, Chance) else prob(index.info_of(path), action)
            if p != 0:
                stack.append((path + (action,), weight * p, seq))

    return best_sequence_value(contrib, after)


def assessment_regret(
    index: TreeIndex, behaviour: Mapping, beliefs: Mapping[tuple[str, str], Mapping[Path, Any]], tol: float = 0.0
) -> tuple[Any, str | None]:
    """``(worst regret, first failure)``: the failure is None when the assessment is a PBE.

    ``beliefs`` maps ``(player, infoset)`` to ``{node path: probability}``.

    Examples
    --------
    The entry game's Nash equilibrium (out; fight) fails at the incumbent's
    node, which its own play never reaches:

    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
    >>> index = TreeIndex(entry)
    >>> threat = {"E": {"e": {"out": 1}}, "I": {"i": {"fight": 1}}}
    >>> regret, failure = assessment_regret(index, threat, {("I", "i"): {("in",): 1}, ("E", "e"): {(): 1}})
    >>> print(regret, failure)
    2 I is not sequentially rational at 'i' (gain 2)
    """
    worst: Any = 0
    values = index.values(_prob_function(index, behaviour))
    for info in index.infos:
        table = behaviour.get(info.player, {}).get(info.name)
        if table is None:
            return float("inf"), f"no behaviour for {info.player} at {info.name!r}"
        if any(v < -tol for v in table.values()) or abs(sum(table.values()) - 1) > tol:
            return float("inf"), f"behaviour of {info.player} at {info.name!r} is not a distribution"
        mu = beliefs.get((info.player, info.name))
        bayes = bayes_beliefs(index, behaviour, info)
        if mu is None:
            if bayes is None and len(info.nodes) > 1:
                return float("inf"), f"no belief at {info.player}'s unreached set {info.name!r}"
            mu = bayes if bayes is not None else {info.nodes[0]: 1}
        if any(v < -tol for v in mu.values()) or abs(sum(mu.values()) - 1) > tol:
            return float("inf"), f"belief at {info.player}'s set {info.name!r} is not a distribution"
        if bayes is not None and any(abs(mu.get(x, 0) - bayes[x]) > tol for x in info.nodes):
            return float("inf"), f"belief at {info.player}'s set {info.name!r} is not Bayes' rule on the path"
        k = index.players.index(info.player)
        here = sum((w * values[x][k] for x, w in mu.items()), 0)
        gain = _best_value(index, behaviour, info.player, mu) - here
        if gain > worst:
            worst = gain
        if gain > tol:
            return gain, f"{info.player} is not sequentially rational at {info.name!r} (gain {gain})"
    return worst, None
