"""Agent QRE of a tree by Newton's method on its belief-coupled information sets only (exact reduction).

In an agent QRE the choice at an information set is a logit response to its
utilities.  Where the set's beliefs do not depend on behaviour (a singleton,
or a set whose nodes are reached by the same decisions and differ only by
chance moves) those utilities are continuation values weighed by fixed
weights, so the choice is an explicit function of play *below* the set.
Only at a *belief-coupled* set, whose nodes' reach probabilities differ by
decisions, does the choice also depend on play above it.  Given the coupled
sets' choices every other choice follows by one backward pass, and the
agent QRE is the zero of a system in the coupled sets' choices alone:
:func:`compile_reduced` classifies the sets and orders the pass,
:func:`solve_reduced` traces that system in ``lambda``.

Each coupled set with actions ``1..m`` has unknowns ``z_a = log(p_a / p_m)``
(``a < m``) and residual ``F_a = z_a - lambda (U_a - U_m)``, zero exactly at
the logit response.  Natural-parameter continuation from uniform play at
``lambda = 0`` with a tangent predictor (implicit function theorem:
``dz/dlambda = -F_z^{-1} F_lambda``) and Newton's method, derivatives by
complex steps in the reduced dimensions and ``lambda``, traces the same branch as Newton in
all components, in far fewer operations.  Trees with imperfect recall of the
absent-minded kind (a set that precedes itself, so no backward order exists)
are refused (:func:`compile_reduced` returns None).

Examples
--------
>>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
>>> from deterrence.solvers.qre_agent import agent_tree
>>> pennies = ExtensiveFormGame(["A", "B"], choice("A", "a", {
...     "h": choice("B", "b", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}),
...     "t": choice("B", "b", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))})}))
>>> reduced = compile_reduced(agent_tree(pennies))
>>> reduced.coupled, reduced.dimension  # B's set: its nodes differ by A's move
((1,), 1)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ReducedTree", "compile_reduced", "solve_reduced"]

_STEP = 1e-20  # complex step
_CLOSE = 1e-13  # Newton stops when |F| is below this at the last lambda
_LOOSE = 1e-8  # and below this at the intermediate ones (only the predictor starts there)
_CORRECTOR = 4  # Newton iterations a step may take before it is shortened
_NEAR = 0.05  # a first Newton step may exceed half the predictor's move by this much (log-odds)
_SHORTEST = 1e-3  # a point gives up when its step in lambda is this fraction of its lambda


@dataclass(frozen=True, eq=False)
class ReducedTree:
    """A tree's information sets classified and its backward pass compiled.

    Attributes
    ----------
    tree : AgentTree
    coupled : tuple of int
        Blocks whose beliefs depend on behaviour.
    dimension : int
        Number of unknowns: actions minus one, summed over the coupled sets.
    weights : tuple
        Per block: ``None`` for a coupled set, else the fixed belief weight of
        each of its nodes (chance only).
    links : tuple
        Per coupled block: ``(node, log chance weight, components)`` of each
        node reached with positive chance probability, ``components`` being
        the decisions on its path that not all of the set's nodes share.
    residual_program, full_program : tuple
        Instructions of the backward pass: ``("node", v)`` (value of node
        ``v``) and ``("block", b)`` (logit choice at non-coupled block ``b``),
        for the reduced residual and for every node and block.
    """

    tree: Any
    coupled: tuple[int, ...]
    dimension: int
    weights: tuple[Any, ...]
    links: tuple[Any, ...]
    residual_program: tuple[tuple[str, int], ...]
    full_program: tuple[tuple[str, int], ...]


def compile_reduced(tree: Any) -> ReducedTree | None:
    """Classify the information sets and order the backward pass; None where no backward order exists."""
    count = len(tree.parent)
    path: list[tuple[int, ...]] = [()] * count
    chance = [1.0] * count
    for node, (kind, comp, prob) in enumerate(tree.edge):  # preorder: parents first
        up = tree.parent[node]
        if up >= 0:
            path[node] = path[up] + ((int(comp),) if kind == "decision" else ())
            chance[node] = chance[up] * (prob if kind == "chance" else 1.0)
    weights: list[Any] = []
    links: list[Any] = []
    for nodes in tree.block_nodes:
        live = [v for v in nodes if chance[v] > 0]
        if not live:  # only zero-probability chance moves lead here: uniform beliefs
            weights.append(tuple(1.0 / len(nodes) for _ in nodes))
            links.append(None)
            continue
        counts = [Counter(path[v]) for v in live]
        common = counts[0]
        for c in counts[1:]:
            common = common & c
        differ = [tuple(sorted((c - common).elements())) for c in counts]
        if not any(differ):
            total = sum(chance[v] for v in live)
            weights.append(tuple(chance[v] / total for v in nodes))
            links.append(None)
        else:
            weights.append(None)
            links.append(tuple((v, float(np.log(chance[v])), d) for v, d in zip(live, differ)))
    coupled = tuple(b for b, w in enumerate(weights) if w is None)
    block_of = {
        c: b for b in range(len(tree.sizes)) for c in range(tree.block_start[b], tree.block_start[b] + tree.sizes[b])
    }
    node_block = {v: b for b, nodes in enumerate(tree.block_nodes) for v in nodes}
    try:
        residual = _Program(tree, weights, node_block)
        for b in coupled:
            for v, _, comps in links[b]:
                for c in tree.children[v]:
                    residual.node(c)
                for comp in comps:
                    if weights[block_of[comp]] is not None:
                        residual.block(block_of[comp])
        full = _Program(tree, weights, node_block)
        for b in range(len(tree.sizes)):
            if weights[b] is not None:
                full.block(b)
    except _NoOrder:
        return None
    dimension = sum(tree.sizes[b] - 1 for b in coupled)
    return ReducedTree(tree, coupled, dimension, tuple(weights), tuple(links), tuple(residual.out), tuple(full.out))


class _NoOrder(Exception):
    """A block's choice depends on itself (absent-mindedness): no backward order."""


class _Program:
    """Orders a backward pass by depth-first search: what an instruction reads comes first."""

    def __init__(self, tree: Any, weights: list[Any], node_block: dict[int, int]) -> None:
        self.tree, self.weights, self.node_block = tree, weights, node_block
        self.out: list[tuple[str, int]] = []
        self.done: set[tuple[str, int]] = set()
        self.busy: set[int] = set()

    def node(self, v: int) -> None:
        if ("node", v) in self.done:
            return
        tree = self.tree
        if tree.terminal[v] < 0:
            b = self.node_block.get(v)
            if b is not None and self.weights[b] is not None:
                self.block(b)
            for c in tree.children[v]:
                self.node(c)
        self.done.add(("node", v))
        self.out.append(("node", v))

    def block(self, b: int) -> None:
        if ("block", b) in self.done:
            return
        if b in self.busy:
            raise _NoOrder
        self.busy.add(b)
        for v, w in zip(self.tree.block_nodes[b], self.weights[b]):
            if w > 0:
                for c in self.tree.children[v]:
                    self.node(c)
        self.busy.discard(b)
        self.done.add(("block", b))
        self.out.append(("block", b))


def _log_softmax(utilities: list[Any]) -> list[Any]:
    """Log logit probabilities of a few actions (real or complex rows), shifted by the real maximum."""
    top = utilities[0].real
    for u in utilities[1:]:
        top = np.maximum(top, u.real)
    z = [u - top for u in utilities]
    total = np.exp(z[0])
    for v in z[1:]:
        total = total + np.exp(v)
    log_total = np.log(total)
    return [v - log_total for v in z]


def _run(
    reduced: ReducedTree, program: tuple, z: np.ndarray, lams: Any, columns: np.ndarray
) -> tuple[list[Any], list[Any], list[Any]]:
    """Run a backward pass at reduced unknowns ``z`` (``(dimension, *S)``): ``(log_q, q, values)``.

    ``log_q``/``q`` hold one row per component (None where not computed),
    ``values`` one ``(N, *S)`` array per node; ``columns`` is ``(T, N, ...)``
    broadcasting against ``S``.
    """
    tree = reduced.tree
    log_q: list[Any] = [None] * tree.n
    q: list[Any] = [None] * tree.n
    row = 0
    for b in reduced.coupled:  # coupled choices from the unknowns: log-odds against the last action
        start, size = tree.block_start[b], tree.sizes[b]
        odds = [z[row + a] for a in range(size - 1)] + [np.zeros_like(z[0])]
        row += size - 1
        for a, v in enumerate(_log_softmax(odds)):
            log_q[start + a] = v
            q[start + a] = np.exp(v)
    values: list[Any] = [None] * len(tree.parent)
    for kind, k in program:
        if kind == "node":
            t = tree.terminal[k]
            if t >= 0:
                values[k] = columns[t]
                continue
            total: Any = 0
            for c in tree.children[k]:
                how, comp, prob = tree.edge[c]
                if how == "decision":
                    total = total + q[comp] * values[c]
                elif prob > 0:
                    total = total + prob * values[c]
            values[k] = total
            continue
        player, start, weights = tree.block_player[k], tree.block_start[k], reduced.weights[k]
        utilities = []
        for a in range(tree.sizes[k]):
            u: Any = 0
            for v, w in zip(tree.block_nodes[k], weights):
                if w > 0:
                    u = u + w * values[tree.children[v][a]][player]
            utilities.append(lams * u)
        for a, v in enumerate(_log_softmax(utilities)):
            log_q[start + a] = v
            q[start + a] = np.exp(v)
    return log_q, q, values


def _residual(reduced: ReducedTree, z: np.ndarray, lams: Any, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(F, D)`` at ``z``: ``D_a = U_a - U_m`` at the coupled sets and ``F = z - lambda D``."""
    tree = reduced.tree
    log_q, _, values = _run(reduced, reduced.residual_program, z, lams, columns)
    rows = []
    for b in reduced.coupled:
        links = reduced.links[b]
        logs = []
        for _, log_chance, comps in links:
            s: Any = log_chance
            for c in comps:
                s = s + log_q[c]
            logs.append(s)
        top = logs[0].real
        for s in logs[1:]:
            top = np.maximum(top, s.real)
        belief = [np.exp(s - top) for s in logs]
        total: Any = sum(belief)
        player = tree.block_player[b]
        utilities = []
        for a in range(tree.sizes[b]):
            u: Any = 0
            for (v, _, _), w in zip(links, belief):
                u = u + w * values[tree.children[v][a]][player]
            utilities.append(u / total)
        rows += [utilities[a] - utilities[-1] for a in range(tree.sizes[b] - 1)]
    difference = np.stack(rows)
    return z - lams * difference, difference


def _linearised(
    reduced: ReducedTree, z: np.ndarray, lams: np.ndarray, columns: np.ndarray, with_lambda: bool = True
) -> tuple[Any, Any, Any]:
    """``(F, F_z, F_lambda)`` at ``z`` ``(d, B)`` by complex steps: ``F_z`` is ``(d, d, B)``, row ``i``, column ``j``.

    ``F_lambda`` is not just ``-D``: the choices at the other sets, hence ``D``, depend on ``lambda`` too.
    Without ``with_lambda`` it is not computed (None): one complex evaluation fewer, for Newton steps
    that need no tangent.
    """
    d = reduced.dimension
    k = d + 1 if with_lambda else d
    shift = np.eye(d, k)[:, :, None]  # directions: each unknown, then lambda
    steps = z[:, None, :] + (1j * _STEP) * shift
    lam = lams + (1j * _STEP) * np.eye(1, k, d).T if with_lambda else lams  # (k, B)
    f = _residual(reduced, steps, lam, columns[:, :, None, :])[0]
    return f[:, 0].real, f[:, :d].imag / _STEP, f[:, d].imag / _STEP if with_lambda else None


def _det(matrix: np.ndarray) -> np.ndarray:
    """Determinant of ``matrix[:, :, k]`` for every ``k``."""
    d = matrix.shape[0]
    if d == 1:
        return matrix[0, 0]
    if d == 2:
        return matrix[0, 0] * matrix[1, 1] - matrix[0, 1] * matrix[1, 0]
    return np.linalg.det(np.moveaxis(matrix, 2, 0))


def _solve(matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve ``matrix[:, :, k] @ x[:, k] = rhs[:, k]`` for every ``k`` (zero where singular)."""
    d = rhs.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        if d == 1:
            out = rhs / matrix[0]
        elif d == 2:  # Cramer's rule, vectorised across points
            (a, b), (c, e) = matrix
            det = a * e - b * c
            out = np.stack([(e * rhs[0] - b * rhs[1]) / det, (a * rhs[1] - c * rhs[0]) / det])
        else:
            stacked = np.moveaxis(matrix, 2, 0)
            out = np.zeros_like(rhs)
            det = np.linalg.det(stacked)
            good = np.isfinite(det) & (det != 0)
            if good.any():
                out[:, good] = np.linalg.solve(stacked[good], rhs.T[good][..., None])[..., 0].T
            return out
    return np.where(np.isfinite(out), out, 0.0)


def solve_reduced(
    reduced: ReducedTree, columns: np.ndarray, lams: np.ndarray, steps: int, iterations: int
) -> tuple[np.ndarray, np.ndarray]:
    """Trace the reduced system to ``lams``: ``(x, error)``.

    Each point follows its own steps in ``lambda``: the first is
    ``lams / steps``; a step is accepted when Newton's method from the tangent
    predictor reaches the tolerance within :data:`_CORRECTOR` iterations,
    its first correction is at most half the predictor's move plus
    :data:`_NEAR` and each further one at most half the one before (so that
    it stays near the curve it started from), and then the next step is
    twice as long;
    otherwise the step is quartered and tried again.  A converged point where
    ``det F_z <= 0`` is rejected too: ``F_z`` is the identity at
    ``lambda = 0`` and not singular along a branch without turning points.
    A point gives up, with ``error`` NaN, after ``4 * iterations * steps``
    evaluations or when its step shrinks below ``lams`` times
    :data:`_SHORTEST` (near a turning point, which natural-parameter
    continuation cannot pass).

    ``x`` ``(B, n)`` holds the log-probabilities of every component, ``error``
    the final ``max |F|`` per point; ``columns`` is the payoffs as ``(T, N, B)``.
    """
    d, size = reduced.dimension, lams.shape[0]
    z = np.zeros((d, size))
    error = np.zeros(size)
    if d and size:
        z, error = _trace(reduced, columns, lams, max(1, int(steps)), 4 * max(1, int(steps)) * iterations)
    log_q, _, _ = _run(reduced, reduced.full_program, z, lams, columns)
    x = np.empty((size, reduced.tree.n))
    for comp, v in enumerate(log_q):
        x[:, comp] = v
    return x, error


def _trace(
    reduced: ReducedTree, columns: np.ndarray, target: np.ndarray, steps: int, budget: int
) -> tuple[np.ndarray, np.ndarray]:
    """Adaptive natural-parameter continuation of every point at once (see :func:`solve_reduced`).

    State is held for the points still moving only (compacted as points
    finish); Jacobians are computed only where a Newton step or a tangent is
    needed, not where the predictor already meets the final tolerance.
    """
    d, size = reduced.dimension, target.shape[0]
    z_out = np.zeros((d, size))
    error = np.zeros(size)
    index = np.flatnonzero(target > 0)
    cols = columns[..., index]
    goal = target[index]
    z = np.zeros((d, index.size))  # accepted point on the branch, at lambda `at`
    at = np.zeros(index.size)
    tangent = _residual(reduced, z, 0.0, cols)[1]  # at lambda = 0, F_z = I and F_lambda = -D
    step = goal / steps
    lam = np.minimum(step, goal)  # trial lambda and point: the predictor, then Newton's iterates
    trial = z + lam * tangent
    limit = 0.5 * np.max(np.abs(trial - z), axis=0) + _NEAR  # largest Newton step allowed next
    tries = np.zeros(index.size, dtype=np.intp)  # corrector iterations of the current trial
    det = np.ones(index.size)  # det F_z at the last point where F_z was computed
    for _ in range(budget):
        if index.size == 0:
            break
        f, difference = _residual(reduced, trial, lam, cols)
        norm = np.max(np.abs(f), axis=0)
        final = lam >= goal
        ok = norm <= np.where(final, _CLOSE, _LOOSE)
        need = ~(ok & final)  # a Newton step or the next tangent needs the Jacobian
        delta = np.zeros_like(trial)
        # Accepted, not final: the tangent dz/dlambda = -F_z^-1 F_lambda at the new point needs F_lambda;
        # a Newton step needs F_z only (one complex direction fewer).
        turn = need & ok
        for part, with_lambda in ((turn, True), (need & ~ok, False)):
            if not part.any():
                continue
            every = bool(part.all())
            pick: Any = slice(None) if every else part
            f_n, jac, f_lam = _linearised(
                reduced, trial[:, pick], lam[pick], cols if every else cols[..., part], with_lambda
            )
            delta[:, pick] = _solve(jac, -f_n)
            det[pick] = _det(jac)
            if with_lambda:
                tangent[:, pick] = _solve(jac, -f_lam)
        # F_z starts as the identity and is not singular on a branch without turning points: a
        # converged point where det F_z <= 0 (here, or at the iterate before where the predictor
        # needed Newton steps) lies beyond a turning point or on another branch.
        ok &= det > 0
        finite = np.all(np.isfinite(delta), axis=0)
        length = np.max(np.abs(delta), axis=0)
        reject = ~ok & (~(length <= limit) | (tries >= _CORRECTOR) | ~finite)
        more = ~ok & ~reject
        # Accepted: move on with a step twice as long; rejected: back, with a quarter of the step.
        z = np.where(ok, trial, z)
        step = np.where(ok, 2.0 * step, np.where(reject, 0.25 * (lam - at), step))
        at = np.where(ok, lam, at)
        renew = ok | reject
        lam = np.where(renew, np.minimum(at + step, goal), lam)
        damped = delta / np.maximum(1.0, np.max(np.abs(delta), axis=0))  # damp long Newton steps
        trial = np.where(renew, z + (lam - at) * tangent, np.where(more, trial + damped, trial))
        limit = np.where(renew, 0.5 * np.max(np.abs(trial - z), axis=0) + _NEAR, 0.5 * length)
        tries = np.where(renew, 0, tries + 1)
        done = ok & final
        failed = ~done & (step < _SHORTEST * goal)
        finished = done | failed
        if finished.any():
            out = index[finished]
            z_out[:, out] = z[:, finished]
            error[out] = np.where(done[finished], norm[finished], np.nan)
            keep = ~finished
            index, cols, goal, z, at, tangent, step, lam, trial, limit, tries, det = (
                index[keep], cols[..., keep], goal[keep], z[:, keep], at[keep], tangent[:, keep], step[keep],
                lam[keep], trial[:, keep], limit[keep], tries[keep], det[keep],
            )  # fmt: skip
    z_out[:, index] = z  # out of evaluations: the last accepted point, flagged
    error[index] = np.nan
    return z_out, error
