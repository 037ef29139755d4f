"""Agent logit QRE of game trees (McKelvey & Palfrey 1998): logit choice at every information set.

In the *agent* quantal response equilibrium each information set ``h`` of
player ``i`` is played by its own agent, who chooses action ``a`` with
probability proportional to ``exp(lambda * U_h(a))``.  ``U_h(a)`` is ``i``'s
expected payoff from taking ``a`` at ``h`` and following the profile
afterwards, under beliefs over the nodes of ``h`` given by Bayes' rule on the
profile itself: the weight of node ``x`` is the probability that play reaches
``x`` (chance moves included).  At finite ``lambda`` every action has positive
probability, so every information set reached with positive chance
probability is reached, and beliefs are always defined; a set that only
zero-probability chance moves lead to gets uniform beliefs.  In
perfect-information trees this is the "strategic logit" of Signorino (1999):
the agents' choices are logit responses to continuation values, solved by
backward induction.

The principal branch from uniform play at ``lambda = 0`` is traced by the
same path follower as the normal form (:func:`deterrence.solvers.qre.trace_branch`);
:class:`AgentTree` evaluates continuation values for many profiles (or many
payoff points) at once, which :mod:`.qre_batch` reuses for sweeps.

Examples
--------
>>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
>>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {
...     "out": Terminal((0, 2)),
...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
>>> found = qre_tree(entry, lam=1.0)
>>> round(found[0].strategies["I"]["i"]["accommodate"], 4)
0.8808
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from deterrence.solvers.qre import LAM_MAX, LANDMARKS, LogitBranch, LogitSystem, _scale, _solution, trace_branch
from deterrence.solvers.result import Equilibrium, Solution

__all__ = ["AgentTree", "agent_tree", "agent_branch", "qre_tree", "tree_qre_work"]

#: Work bound: nodes x (components + 2) per Jacobian.
MAX_WORK = 2e7


@dataclass(frozen=True, eq=False)
class AgentTree:
    """A game tree flattened for batched evaluation of agent-form utilities.

    Nodes are in preorder.  Components (one per action of each information
    set) are numbered block by block, in the order of ``game.infosets``.

    Attributes
    ----------
    game : ExtensiveFormGame
    parent : tuple of int
        Parent of each node (-1 for the root).
    edge : tuple of (str, int, float)
        How each node is reached from its parent: ``("decision", component,
        0.0)``, ``("chance", -1, probability)`` or ``("root", -1, 1.0)``.
    children : tuple of tuple of int
    terminal : tuple of int
        Terminal number of each node (-1 for interior nodes).
    blocks : tuple of (str, str)
        ``(player, infoset)`` of each block.
    block_player : tuple of int
    block_nodes : tuple of tuple of int
        Nodes of each information set.
    block_start : tuple of int
        First component of each block.
    sizes : tuple of int
        Number of actions of each block.
    labels : tuple of (str, str)
        ``("player:infoset", action)`` of each component.
    payoffs : ndarray, shape (n_terminals, n_players)
        Float terminal payoffs (NaN in a symbolic game).
    terminal_labels : tuple of str
        Each terminal's label, or its action path joined by ``/``.
    """

    game: ExtensiveFormGame
    parent: tuple[int, ...]
    edge: tuple[tuple[str, int, float], ...]
    children: tuple[tuple[int, ...], ...]
    terminal: tuple[int, ...]
    blocks: tuple[tuple[str, str], ...]
    block_player: tuple[int, ...]
    block_nodes: tuple[tuple[int, ...], ...]
    block_start: tuple[int, ...]
    sizes: tuple[int, ...]
    labels: tuple[tuple[str, str], ...]
    payoffs: np.ndarray
    terminal_labels: tuple[str, ...]

    @property
    def n(self) -> int:
        """Number of components (actions summed over information sets)."""
        return int(sum(self.sizes))

    @property
    def perfect_information(self) -> bool:
        """True when every information set holds one node (backward induction applies)."""
        return all(len(nodes) == 1 for nodes in self.block_nodes)

    def evaluate(self, x: np.ndarray, payoffs: np.ndarray | None = None) -> tuple[np.ndarray, list]:
        """Utilities of every component and the values of every node, from log-probabilities.

        Beliefs at an information set weigh its nodes by their reach
        probabilities, computed in logs (so that they stay defined when the
        set's reach probability underflows); a set that only zero-probability
        chance moves lead to gets uniform beliefs.

        Parameters
        ----------
        x : ndarray, shape (k, n)
            Log behaviour probabilities (real or complex).
        payoffs : ndarray, shape (T, N) or (k, T, N), optional
            Terminal payoffs; default :attr:`payoffs`.

        Returns
        -------
        (utilities (k, n), values: list with one (k, N) array per node)
        """
        pay = self.payoffs if payoffs is None else payoffs
        sigma = np.exp(x)
        k = x.shape[0]
        log_reach: list[Any] = [None] * len(self.parent)
        with np.errstate(divide="ignore"):
            for node, (kind, comp, prob) in enumerate(self.edge):
                if kind == "root":
                    log_reach[node] = np.zeros(k, dtype=x.dtype)
                elif kind == "decision":
                    log_reach[node] = log_reach[self.parent[node]] + x[:, comp]
                else:
                    log_reach[node] = log_reach[self.parent[node]] + np.log(prob)
        values: list[Any] = [None] * len(self.parent)
        for node in range(len(self.parent) - 1, -1, -1):
            t = self.terminal[node]
            if t >= 0:
                values[node] = pay[..., t, :] if pay.ndim == 3 else pay[None, t, :]
                continue
            total = 0
            for child in self.children[node]:
                kind, comp, prob = self.edge[child]
                weight = sigma[:, comp, None] if kind == "decision" else prob
                total = total + weight * values[child]
            values[node] = total
        utilities = np.empty(x.shape, dtype=np.result_type(x, pay))
        for b, nodes in enumerate(self.block_nodes):
            player, start = self.block_player[b], self.block_start[b]
            if len(nodes) == 1:
                for a, child in enumerate(self.children[nodes[0]]):
                    utilities[:, start + a] = values[child][:, player]
                continue
            top = np.max([log_reach[v].real for v in nodes], axis=0)
            unreached = np.isneginf(top)  # only zero-probability chance moves lead here: uniform beliefs
            top = np.where(unreached, 0.0, top)
            weights = [np.where(unreached, 1.0, np.exp(log_reach[v] - top)) for v in nodes]
            denominator: Any = sum(weights)
            for a in range(self.sizes[b]):
                utilities[:, start + a] = (
                    sum(w * values[self.children[v][a]][:, player] for w, v in zip(weights, nodes)) / denominator
                )
        return utilities, values

    def utilities(self, x: np.ndarray) -> np.ndarray:
        """Utilities from log-probabilities (the function :class:`~deterrence.solvers.qre.LogitSystem` needs)."""
        return self.evaluate(x)[0]


def agent_tree(game: ExtensiveFormGame) -> AgentTree:
    """Flatten a tree for :class:`AgentTree` evaluation (symbolic payoffs become NaN).

    Raises
    ------
    SolverError
        For a tree with symbolic chance probabilities.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> g = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), "y": Terminal((0,))}))
    >>> t = agent_tree(g)
    >>> t.n, t.labels, t.perfect_information
    (2, (('A:a', 'x'), ('A:a', 'y')), True)
    """
    blocks = [(p, h) for p in game.players for h in game.infosets[p]]
    index = {key: b for b, key in enumerate(blocks)}
    sizes = [len(game.actions(p, h)) for p, h in blocks]
    starts = list(np.r_[0, np.cumsum(sizes)[:-1]].astype(int)) if sizes else []
    parent: list[int] = []
    edge: list[tuple[str, int, float]] = []
    children: list[list[int]] = []
    terminal: list[int] = []
    members: list[list[int]] = [[] for _ in blocks]
    rows: list[list[float]] = []
    names: list[str] = []
    stack: list[tuple[Any, int, tuple[str, int, float], tuple[str, ...]]] = [(game.root, -1, ("root", -1, 1.0), ())]
    while stack:  # preorder: a node is numbered before its children
        node, up, how, path = stack.pop()
        me = len(parent)
        parent.append(up)
        edge.append(how)
        children.append([])
        if up >= 0:
            children[up].append(me)
        if isinstance(node, Terminal):
            terminal.append(len(rows))
            rows.append([_float(v) for v in node.payoffs])
            names.append(node.label or "/".join(path))
            continue
        terminal.append(-1)
        pending = []
        if isinstance(node, Decision):
            b = index[(node.player, node.infoset)]
            members[b].append(me)
            for a, (action, child) in enumerate(zip(node.actions, node.children)):
                pending.append((child, me, ("decision", starts[b] + a, 0.0), path + (action,)))
        elif isinstance(node, Chance):
            for action, prob, child in zip(node.actions, node.probabilities, node.children):
                value = _float(prob)
                if not np.isfinite(value):
                    raise SolverError("QRE needs numeric chance probabilities; give the parameters values first")
                pending.append((child, me, ("chance", -1, value), path + (action,)))
        stack.extend(reversed(pending))
    labels = tuple((f"{p}:{h}", a) for p, h in blocks for a in game.actions(p, h))
    return AgentTree(
        game,
        tuple(parent),
        tuple(edge),
        tuple(tuple(c) for c in children),
        tuple(terminal),
        tuple(blocks),
        tuple(game.players.index(p) for p, _ in blocks),
        tuple(tuple(m) for m in members),
        tuple(int(s) for s in starts),
        tuple(sizes),
        labels,
        np.array(rows, dtype=np.float64).reshape(len(rows), game.n_players),
        tuple(names),
    )


def tree_qre_work(game: ExtensiveFormGame) -> Any:
    """Work estimate: some hundreds of Jacobians, each ``n + 2`` passes over the tree's nodes."""
    from deterrence.solvers.work import Estimate, count_nodes

    nodes = count_nodes(game)
    actions = sum(len(game.actions(p, h)) for p in game.players for h in game.infosets[p])
    work = 2000 * (30 + nodes * (actions + 2) // 5)
    return Estimate(work, f"a tree of {nodes:,} nodes and {actions} actions traced by path following")


def _float(value: Any) -> float:
    try:
        return float(value)
    except TypeError:  # a sympy expression with free symbols
        return float("nan")


def agent_branch(game: ExtensiveFormGame, lam_max: float | None = None) -> tuple[AgentTree, LogitBranch]:
    """Trace the principal branch of a tree's agent logit correspondence up to ``lam_max``.

    Raises
    ------
    SolverError
        For a tree too large (:data:`MAX_WORK`), without decisions, or a failed trace.
    """
    tree = agent_tree(game)
    if tree.n == 0:
        raise SolverError("the tree has no decisions; its QRE is the chance distribution itself")
    work = len(tree.parent) * (tree.n + 2)
    if work > MAX_WORK:
        raise SolverError(
            f"the tree is too large for QRE path following ({len(tree.parent)} nodes x {tree.n + 2}; "
            f"at most {MAX_WORK:.0e})"
        )
    scale = _scale(tree.payoffs)
    scaled = dataclasses.replace(tree, payoffs=tree.payoffs / scale)
    system = LogitSystem(scaled.utilities, tree.sizes, logs=True)
    end = LAM_MAX if lam_max is None else float(lam_max) * scale
    if not np.isfinite(end) or end < 0:
        raise SolverError(f"lambda must be a finite number >= 0, got {lam_max}")
    lam, x, turns = trace_branch(system, end)
    return tree, LogitBranch(system, lam / scale, x, scale, tree.labels, turns)


def qre_tree(game: ExtensiveFormGame, lam: float | None = None) -> Solution:
    """Agent logit QRE of a tree: landmarks of the principal branch, or its points at ``lam``.

    See :func:`deterrence.solvers.qre.qre_normal` for ``lam``, the landmarks
    and what each profile carries; strategies are behaviour strategies
    ``{player: {infoset: {action: probability}}}`` and ``nash_regret`` the
    largest gain of a player from deviating (perfect recall needed, else None).
    """
    if game.kind == "symbolic":
        raise SolverError("give the game's parameters values before solving for a QRE")
    end = None if lam is None else float(lam)
    tree, branch = agent_branch(game, end)
    wanted = [v / branch.scale for v in LANDMARKS] if lam is None else [float(lam)]
    return _solution(game, branch, wanted, lambda g, b, x, lm: _tree_profile(tree, b, x, lm))


def _tree_profile(tree: AgentTree, branch: LogitBranch, x: np.ndarray, lam: float) -> Equilibrium:
    from deterrence.forms.subgames import best_response_value, has_perfect_recall

    game = tree.game
    sigma = branch.system.probabilities(x)
    _, values = tree.evaluate(x[None, :])
    strategies: dict[str, Any] = {p: {} for p in game.players}
    for (player, infoset), start, _size in zip(tree.blocks, tree.block_start, tree.sizes):
        actions = game.actions(player, infoset)
        strategies[player][infoset] = {a: float(sigma[start + j]) for j, a in enumerate(actions)}
    paid = {p: float(values[0][0, i]) for i, p in enumerate(game.players)}
    residual = branch.system.probability_residual(x, lam * branch.scale)
    regret: float | None = None
    if has_perfect_recall(game):
        regret = max(0.0, *(float(best_response_value(game, strategies, p)) - paid[p] for p in game.players))
    extra = {"lambda": lam, "residual": residual, "nash_regret": regret}
    return Equilibrium(strategies, paid, False, residual, None, (f"lambda = {lam:.6g}",), extra)
