"""Agent logit QRE of one tree at many payoff points at once (for sweeps and fitting).

:func:`agent_qre_batch` takes an :class:`~deterrence.solvers.qre_agent.AgentTree`
and payoffs with a leading batch axis ``(B, T, N)`` and returns the agent QRE
at ``lambda`` for every point:

* in a tree where every information set has one node (perfect information,
  chance allowed) the agent QRE is unique and is computed exactly by one
  backward pass: logit choice on the continuation values, node by node
  (Signorino's strategic logit);
* otherwise, where a backward order of the information sets exists, by
  Newton's method on the *belief-coupled* sets only (:mod:`.qre_reduced`:
  every other choice is an explicit function of those by one backward pass,
  so the reduction is exact), in adaptive steps of ``lambda`` from uniform
  play at 0 with a tangent predictor; a tree with multi-node sets but none
  coupled is one backward pass;
* where there is no such order (absent-mindedness), for ``method="full"``,
  and at points where the reduced continuation meets a turning point, by
  natural-parameter continuation in all components in ``steps`` equal steps
  (8 by default), with Newton's method at each step for all points at once
  (Jacobians by complex steps, ``numpy.linalg.solve`` on the stacked
  systems).  Points where Newton fails to reach the tolerance are run again
  with 4 and then 16 times as many steps, and those that still fail are
  flagged in ``converged`` (their profiles are not QREs).

Both follow the principal branch while it has no turning point below
``lambda``.  Every profile is checked in the full space: ``residual`` is its
logit residual in all components, computed by
:meth:`~deterrence.solvers.qre_agent.AgentTree.evaluate` (Bayes' rule in log
reach probabilities), independently of the reduced system.

Examples
--------
>>> import numpy as np
>>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
>>> from deterrence.solvers.qre_agent import agent_tree
>>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {
...     "out": Terminal((0, 2)),
...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
>>> tree = agent_tree(entry)
>>> pay = np.broadcast_to(tree.payoffs, (3,) + tree.payoffs.shape)
>>> batch = agent_qre_batch(tree, pay, np.array([0.0, 1.0, 10.0]))
>>> [round(float(v), 4) for v in batch.sigma[:, 3]]  # Incumbent accommodates
[0.5, 0.8808, 1.0]
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import SolverError
from deterrence.solvers.qre import LogitSystem
from deterrence.solvers.qre_reduced import compile_reduced, solve_reduced

__all__ = ["AgentQREBatch", "agent_qre_batch", "with_terminal_payoffs"]

_STEP = 1e-20
_CHUNK = 2048
_STEPS = 8  # lambda steps of the full Newton
_REDUCED_STEPS = 1  # first step of the reduced one (adaptive, with a tangent predictor): all the way
_REDUCED_CHUNK = 8192


@dataclass(frozen=True, eq=False)
class AgentQREBatch:
    """Agent QRE at ``B`` points.

    Attributes
    ----------
    sigma : ndarray, shape (B, n)
        Behaviour probabilities, components as in ``tree.labels``.
    values : ndarray, shape (B, N)
        Expected payoff of each player.
    reach : ndarray, shape (B, T)
        Probability that play ends at each terminal.
    residual : ndarray, shape (B,)
        Logit residual ``max |sigma - logit(lambda U(sigma))|`` (NaN where
        Newton diverged).
    converged : ndarray of bool, shape (B,)
        Residual at most ``tol``.
    """

    sigma: np.ndarray
    values: np.ndarray
    reach: np.ndarray
    residual: np.ndarray
    converged: np.ndarray


def agent_qre_batch(
    tree: Any,
    payoffs: np.ndarray,
    lam: Any,
    *,
    steps: int | None = None,
    iterations: int = 30,
    tol: float = 1e-9,
    method: str = "auto",
) -> AgentQREBatch:
    """Agent logit QRE at every payoff point (see the module docstring for the method).

    Parameters
    ----------
    tree : AgentTree
        From :func:`~deterrence.solvers.qre_agent.agent_tree`.
    payoffs : ndarray, shape (B, T, N)
        Terminal payoffs per point (``T`` terminals in ``game.terminals()`` order).
    lam : float or ndarray, shape (B,)
        Precision, in payoff units, >= 0.
    steps : int, optional
        Imperfect-information trees only: the number of equal steps in
        ``lambda`` of the full Newton (default 8), or for the reduced one
        the first step as a fraction ``1 / steps`` of ``lambda`` (default 1).
    iterations : int
        Newton iterations per step (the reduced continuation allows
        ``4 * iterations * steps`` evaluations in all).
    tol : float
        Residual below which a point counts as converged.
    method : {"auto", "full"}
        ``"full"`` forces Newton in all components (for checks).

    Raises
    ------
    SolverError
        For payoffs of the wrong shape or a negative or non-finite ``lambda``.
    """
    pay = np.asarray(payoffs, dtype=np.float64)
    terminals = len(tree.terminal_labels)
    if pay.ndim != 3 or pay.shape[1:] != (terminals, tree.game.n_players):
        raise SolverError(f"payoffs must have shape (B, {terminals}, {tree.game.n_players}), got {pay.shape}")
    size = pay.shape[0]
    lams = np.broadcast_to(np.asarray(lam, dtype=np.float64), (size,))
    if not np.all(np.isfinite(lams)) or np.any(lams < 0):
        raise SolverError("lambda must be finite and >= 0 at every point")
    if method not in ("auto", "full"):
        raise SolverError(f"method must be 'auto' or 'full', got {method!r}")
    if tree.perfect_information and method == "auto":
        return _perfect_information(tree, pay, lams, tol)
    system = LogitSystem(tree.utilities, tree.sizes, logs=True)
    reduced = compile_reduced(tree) if method == "auto" else None
    if reduced is None:
        x = _continued(tree, system, pay, lams, _STEPS if steps is None else steps, iterations)
        residual, values = _checked(tree, system, x, pay, lams)
        first = np.arange(size)
    else:
        x = _continued_reduced(reduced, pay, lams, _REDUCED_STEPS if steps is None else steps, iterations)
        residual, values = _checked(tree, system, x, pay, lams)
        first = np.flatnonzero(~(residual <= tol))  # e.g. past a turning point: Newton in all components
        if first.size:
            x[first] = _continued(tree, system, pay[first], lams[first], _STEPS, iterations)
            residual[first], values[first] = _checked(tree, system, x[first], pay[first], lams[first])
    count = _STEPS if steps is None or reduced is not None else steps
    for factor in (4, 16):  # points that did not converge: again, in smaller steps of lambda
        retry = first[~(residual[first] <= tol)]
        if retry.size == 0:
            break
        x[retry] = _continued(tree, system, pay[retry], lams[retry], count * factor, iterations)
        residual[retry], values[retry] = _checked(tree, system, x[retry], pay[retry], lams[retry])
    sigma = np.exp(x)
    reach = np.stack(_reach_rows(tree, list(sigma.T), size), axis=1)
    return AgentQREBatch(sigma, values, reach, residual, residual <= tol)


def _continued_reduced(reduced: Any, pay: np.ndarray, lams: np.ndarray, steps: int, iterations: int) -> np.ndarray:
    x = np.empty((pay.shape[0], reduced.tree.n))
    for lo in range(0, pay.shape[0], _REDUCED_CHUNK):
        hi = min(pay.shape[0], lo + _REDUCED_CHUNK)
        columns = np.ascontiguousarray(pay[lo:hi].transpose(1, 2, 0))  # (T, N, B): rows contiguous
        x[lo:hi] = solve_reduced(reduced, columns, lams[lo:hi], steps, iterations)[0]
    return x


def _continued(
    tree: Any, system: LogitSystem, pay: np.ndarray, lams: np.ndarray, steps: int, iterations: int
) -> np.ndarray:
    x = np.empty((pay.shape[0], tree.n))
    for lo in range(0, pay.shape[0], _CHUNK):
        hi = min(pay.shape[0], lo + _CHUNK)
        x[lo:hi] = _continuation(tree, system, pay[lo:hi], lams[lo:hi], steps, iterations)
    return x


def _residual(tree: Any, system: LogitSystem, x: np.ndarray, pay: np.ndarray, lams: np.ndarray) -> np.ndarray:
    """Logit residual in probabilities; NaN (not converged) where ``x`` is not a log-probability vector."""
    return _checked(tree, system, x, pay, lams)[0]


def _checked(
    tree: Any, system: LogitSystem, x: np.ndarray, pay: np.ndarray, lams: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_residual` and the players' expected payoffs ``(B, N)``, from one full-space evaluation."""
    utilities, values = tree.evaluate(x, pay)
    with np.errstate(invalid="ignore", over="ignore"):
        sigma = np.exp(x)
        out = np.max(np.abs(sigma - np.exp(system.logit(utilities, lams))), axis=1)
    residual = np.where(np.all(np.isfinite(x), axis=1) & np.all(x <= 1e-12, axis=1), out, np.nan)
    return residual, np.array(values[0], dtype=np.float64)


def _perfect_information(tree: Any, pay: np.ndarray, lams: np.ndarray, tol: float) -> AgentQREBatch:
    """Backward logit, then an independent check: values recomputed from the choices, logit residual.

    Arrays are held one row per component or player (``(B,)`` each), so every
    operation runs on contiguous memory.
    """
    size = pay.shape[0]
    columns = np.ascontiguousarray(pay.transpose(1, 2, 0))  # (T, N, B)
    rows: list[Any] = [None] * tree.n
    _backward(tree, columns, lams, rows)
    values = _values(tree, columns, rows)
    residual = np.zeros(size)
    for b, nodes in enumerate(tree.block_nodes):
        start, player = tree.block_start[b], tree.block_player[b]
        kids = tree.children[nodes[0]]
        logq = _logit([values[c][player] for c in kids], lams)
        for a in range(len(kids)):
            np.maximum(residual, np.abs(rows[start + a] - np.exp(logq[a])), out=residual)
    sigma = np.stack(rows, axis=1)
    reach = np.stack(_reach_rows(tree, rows, size), axis=1)
    return AgentQREBatch(sigma, np.ascontiguousarray(values[0].T), reach, residual, residual <= tol)


def _logit(utilities: list[np.ndarray], lams: np.ndarray) -> list[np.ndarray]:
    """Log logit probabilities of a few actions, one ``(B,)`` row each."""
    top = utilities[0]
    for u in utilities[1:]:
        top = np.maximum(top, u)
    z = [lams * (u - top) for u in utilities]
    total = np.exp(z[0])
    for v in z[1:]:
        total += np.exp(v)
    log_total = np.log(total)
    return [v - log_total for v in z]


def _backward(tree: Any, columns: np.ndarray, lams: np.ndarray, rows: list[Any]) -> None:
    """Exact agent QRE of a perfect-information tree: logit choice node by node, bottom up."""
    values: list[Any] = [None] * len(tree.parent)
    block_of = {nodes[0]: b for b, nodes in enumerate(tree.block_nodes)}
    for node in range(len(tree.parent) - 1, -1, -1):
        t = tree.terminal[node]
        if t >= 0:
            values[node] = columns[t]
            continue
        kids = tree.children[node]
        b = block_of.get(node)
        if b is None:  # chance
            values[node] = sum(tree.edge[c][2] * values[c] for c in kids)
            continue
        player, start = tree.block_player[b], tree.block_start[b]
        logq = _logit([values[c][player] for c in kids], lams)
        total = 0
        for a, c in enumerate(kids):
            q = np.exp(logq[a])
            rows[start + a] = q
            total = total + q * values[c]
        values[node] = total


def _values(tree: Any, columns: np.ndarray, rows: list[Any]) -> list[Any]:
    """Expected payoffs ``(N, B)`` of every node under behaviour probabilities ``rows``."""
    values: list[Any] = [None] * len(tree.parent)
    for node in range(len(tree.parent) - 1, -1, -1):
        t = tree.terminal[node]
        if t >= 0:
            values[node] = columns[t]
            continue
        total = 0
        for c in tree.children[node]:
            kind, comp, prob = tree.edge[c]
            total = total + (rows[comp] if kind == "decision" else prob) * values[c]
        values[node] = total
    return values


def _continuation(
    tree: Any, system: LogitSystem, pay: np.ndarray, lams: np.ndarray, steps: int, iterations: int
) -> np.ndarray:
    """Newton continuation in lambda for a chunk of points (imperfect information).

    Only points whose residual is above 1e-13 are updated.  A point's
    Jacobian is computed at the start of each step and again whenever an
    iteration fails to shrink its residual tenfold (chord steps otherwise).
    """
    size, n = pay.shape[0], tree.n
    x = np.tile(system.start(), (size, 1))
    jac = np.zeros((size, n, n))
    count = max(1, int(steps))
    for j in range(1, count + 1):
        lam = lams * (j / count)
        stale = np.ones(size, dtype=bool)
        previous = np.full(size, np.inf)
        for _ in range(iterations):
            residual = x - system.logit(tree.evaluate(x, pay)[0], lam)
            norm = np.max(np.abs(residual), axis=1)
            active = norm > 1e-13
            if not active.any():
                break
            refresh = np.flatnonzero(active & (stale | (norm > 0.1 * previous)))
            if refresh.size:
                jac[refresh] = _jacobian(tree, system, x[refresh], pay[refresh], lam[refresh])
                stale[refresh] = False
            where = np.flatnonzero(active)
            delta = _solve(jac[where], -residual[where])
            biggest = np.max(np.abs(delta), axis=1, keepdims=True)
            x[where] += np.where(np.isfinite(biggest), delta / np.maximum(1.0, biggest), 0.0)  # damp long steps
            previous = norm
    return x


def _jacobian(tree: Any, system: LogitSystem, x: np.ndarray, pay: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``d H_k / d x_j`` at each point by complex steps: ``(k, n, n)``."""
    k, n = x.shape
    points = np.repeat(x[:, None, :].astype(np.complex128), n, axis=1) + np.eye(n) * (1j * _STEP)
    flat = points.reshape(k * n, n)
    h = flat - system.logit(tree.evaluate(flat, np.repeat(pay, n, axis=0))[0], np.repeat(lam, n))
    return np.swapaxes(h.reshape(k, n, n).imag / _STEP, 1, 2)


def _solve(matrices: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Stacked ``numpy.linalg.solve``; a singular system gives a zero step at its point."""
    try:
        return np.linalg.solve(matrices, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.zeros_like(rhs)
        for i in range(len(rhs)):
            with contextlib.suppress(np.linalg.LinAlgError):
                out[i] = np.linalg.solve(matrices[i], rhs[i])
        return out


def _reach_rows(tree: Any, rows: list[Any], size: int) -> list[np.ndarray]:
    """Probability of ending at each terminal, one ``(B,)`` row per terminal."""
    reach: list[Any] = [None] * len(tree.parent)
    out: list[Any] = [None] * len(tree.terminal_labels)
    for node, (kind, comp, prob) in enumerate(tree.edge):
        if kind == "root":
            reach[node] = np.ones(size)
        else:
            reach[node] = reach[tree.parent[node]] * (rows[comp] if kind == "decision" else prob)
        if tree.terminal[node] >= 0:
            out[tree.terminal[node]] = reach[node]
    return out


def with_terminal_payoffs(game: Any, payoffs: np.ndarray) -> Any:
    """The same tree with terminal payoffs replaced, row ``t`` for the ``t``-th of ``game.terminals()``.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> g = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), "y": Terminal((0,))}))
    >>> [t.payoffs for t, _ in with_terminal_payoffs(g, np.array([[0.5], [2.0]])).terminals()]
    [(0.5,), (2.0,)]
    """
    from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal

    rows = iter(np.asarray(payoffs, dtype=np.float64).tolist())

    def rebuild(node: Any) -> Any:
        if isinstance(node, Terminal):
            return Terminal(tuple(next(rows)), node.label)
        children = tuple(rebuild(c) for c in node.children)
        if isinstance(node, Chance):
            return Chance(node.actions, node.probabilities, children, node.label, node.infoset)
        return Decision(node.player, node.infoset, node.actions, children, node.label)

    return ExtensiveFormGame(game.players, rebuild(game.root), game.title)
