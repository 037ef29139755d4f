"""Backward induction on one perfect-information tree at many payoff points at once.

:func:`spe_batch` runs backward induction on a tree compiled by
:func:`deterrence.forms.compiled_tree.compile_tree` at a whole stack of
payoff points: at each decision node the mover's continuation values are
compared for all points together, ties within the tolerance are flagged
(never hidden), chance nodes take expectations.  For a point with a tie the
exact solver, :func:`deterrence.solvers.spe.subgame_perfect_equilibria`,
lists every tie-broken equilibrium.  :func:`path_labels` names the
equilibrium path of each point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import GameError
from deterrence.forms.compiled_tree import CHANCE as _CHANCE
from deterrence.forms.compiled_tree import TERMINAL as _TERMINAL
from deterrence.forms.compiled_tree import CompiledTree, compiled
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.solvers.verify import FLOAT_TOLERANCE

__all__ = ["SPEBatch", "path_labels", "spe_batch"]

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True, eq=False)
class SPEBatch:
    """Backward-induction outcome at ``B`` payoff points of one perfect-information tree.

    Attributes
    ----------
    tree : CompiledTree
    choices : ndarray of int, shape (B, n_decisions)
        Index of the chosen action at each decision node (columns in the
        order of ``tree.decision_paths``); on ties, the first best action.
    ties : ndarray of bool, shape (B, n_decisions)
        True where the two best actions of the mover are within tolerance.
    has_tie : ndarray of bool, shape (B,)
        True where any decision node (on or off the path) has a tie: there
        the equilibrium is not unique, so call
        :func:`subgame_perfect_equilibria` on that point to list them all.
    values : ndarray of float, shape (B, n_players)
        Equilibrium payoffs (expected over chance).
    terminal : ndarray of intp, shape (B,)
        Terminal reached on the equilibrium path (index into
        ``game.terminals()``), or ``-1`` when a chance node lies on the path.
    path_end : ndarray of intp, shape (B,)
        Node where the deterministic part of the path ends (a terminal, or
        the first chance node on the path).
    tolerance : ndarray of float, shape (B,)
        Absolute tie tolerance used at each point.
    """

    tree: CompiledTree
    choices: np.ndarray
    ties: np.ndarray
    has_tie: np.ndarray
    values: np.ndarray
    terminal: np.ndarray
    path_end: np.ndarray
    tolerance: np.ndarray

    @property
    def decision_paths(self) -> tuple[Path, ...]:
        """Action paths of the decision nodes (the columns of ``choices``)."""
        return self.tree.decision_paths

    def __len__(self) -> int:
        return len(self.terminal)

    def __repr__(self) -> str:
        return f"<SPEBatch {len(self)} points, {int(self.has_tie.sum())} with ties>"


def spe_batch(
    game: ExtensiveFormGame | CompiledTree,
    terminal_payoffs: Any,
    *,
    tolerance: float | None = None,
    chunk_size: int = 8192,
) -> SPEBatch:
    """Backward induction on one perfect-information tree at many payoff points at once.

    At each decision node (children first) the mover's continuation values
    of the children are compared for all points together: the choice is the
    argmax, the node's value vector is the chosen child's, and a tie is
    flagged wherever the two best values are within the tolerance.  Chance
    nodes take expectations.  Ties are reported, never hidden; for them the
    exact solver lists every tie-broken equilibrium.

    Parameters
    ----------
    game : ExtensiveFormGame or CompiledTree
        The tree; compiled once with :func:`~deterrence.forms.compiled_tree.compile_tree` and cached.
    terminal_payoffs : array_like of float, shape (B, n_terminals, n_players)
        Payoffs in the order of ``game.terminals()`` (a ``(n_terminals,
        n_players)`` array is one point).  For a symbolic tree,
        :func:`deterrence.evaluate.payoff_batch` of the terminal payoffs gives
        this array.
    tolerance : float, optional
        Absolute tie tolerance; default per point
        ``FLOAT_TOLERANCE * max(1, payoff range at that point)``, as
        :func:`deterrence.verify.tolerance_for`.
    chunk_size : int, optional
        Points per vectorised pass (bounds memory; the default keeps the
        working set in cache).

    Returns
    -------
    SPEBatch

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A", "B"], choice("A", "a", {"out": Terminal((0, 2)),
    ...     "in": choice("B", "b", {"fight": Terminal((-1, -1)), "yield": Terminal((1, 1))})}))
    >>> points = np.array([[[0, 2], [-1, -1], [1, 1]], [[0, 2], [-1, 3], [1, 1]],
    ...                    [[0, 2], [-1, 1], [1, 1]]], dtype=float)
    >>> batch = spe_batch(g, points)
    >>> path_labels(batch).tolist(), batch.has_tie.tolist()
    (['in/yield', 'out', 'out'], [False, False, True])
    """
    tree = compiled(game)
    payoffs = np.asarray(terminal_payoffs, dtype=np.float64)
    if payoffs.ndim == 2:
        payoffs = payoffs[np.newaxis]
    shape = (len(tree.terminal_nodes), tree.game.n_players)
    if payoffs.ndim != 3 or payoffs.shape[1:] != shape:
        raise GameError(f"terminal_payoffs must have shape (B, {shape[0]}, {shape[1]}), got {payoffs.shape}")
    if not np.isfinite(payoffs).all():
        raise GameError("terminal_payoffs contain NaN or infinite values")
    size = payoffs.shape[0]
    n_dec = len(tree.decision_nodes)
    dtype = np.int8 if tree.children.shape[1] <= 127 else np.intp
    out = {
        "choices": np.zeros((size, n_dec), dtype=dtype),
        "ties": np.zeros((size, n_dec), dtype=bool),
        "has_tie": np.zeros(size, dtype=bool),
        "values": np.empty((size, shape[1])),
        "path_end": np.empty(size, dtype=np.intp),
        "tolerance": np.empty(size),
    }
    step = max(1, int(chunk_size))
    buffer = np.empty((len(tree.kind), shape[1], min(step, size)))
    for start in range(0, size, step):
        stop = min(size, start + step)
        _solve_chunk(tree, payoffs[start:stop], tolerance, slice(start, stop), buffer, out)
    arrays = [
        out["choices"],
        out["ties"],
        out["has_tie"],
        out["values"],
        tree.terminal_index[out["path_end"]],
        out["path_end"],
        out["tolerance"],
    ]
    for a in arrays:
        a.flags.writeable = False
    return SPEBatch(tree, *arrays)


def _solve_chunk(
    tree: CompiledTree,
    x: np.ndarray,
    tolerance: float | None,
    rows: slice,
    buffer: np.ndarray,
    out: dict,
) -> None:
    b, n_terminals = x.shape[0], x.shape[1]
    # Node-major layout: each value row is contiguous over the points of the chunk, so every
    # operation below is one elementwise pass over contiguous memory.
    v = buffer[:, :, :b]
    np.copyto(v[:n_terminals], x.transpose(1, 2, 0))
    if tolerance is None:
        leaves = v[:n_terminals].reshape(-1, b)
        tol = leaves.max(axis=0)
        tol -= leaves.min(axis=0)
        np.maximum(tol, 1.0, out=tol)
        tol *= FLOAT_TOLERANCE
    else:
        tol = np.full(b, float(tolerance))
    # Selections use bit masks on the int64 view (value ^= (value ^ other) & mask): exact and
    # branch-free, where masked copies would stall on unpredictable random masks.
    bits = v.view(np.int64)
    pick = np.zeros((len(tree.decision_nodes), b), dtype=out["choices"].dtype)
    tie = np.zeros((len(tree.decision_nodes), b), dtype=bool)
    end: dict[int, Any] = dict(tree._ends)  # row -> node where the deterministic path stops
    scratch = np.empty(bits.shape[1:], dtype=np.int64)
    for op, row, data, kids, column in tree._ops:
        if op == _CHANCE:
            v[row] = np.tensordot(data, v[kids], axes=1)
            continue
        first = kids[0]
        np.copyto(bits[row], bits[first])
        end[row] = end[first]
        if len(kids) == 1:
            continue
        best, second = v[first, data], None
        choice = pick[column]
        for j, child in enumerate(kids[1:], start=1):
            candidate = v[child, data]
            better = candidate > best  # strict: the first best action wins an exact tie
            low = np.minimum(best, candidate)
            second = low if second is None else np.maximum(second, low, out=second)
            best = np.maximum(best, candidate)
            mask = better.astype(np.int64)
            np.negative(mask, out=mask)
            np.bitwise_xor(bits[row], bits[child], out=scratch)
            scratch &= mask
            bits[row] ^= scratch
            end[row] = end[row] ^ ((end[row] ^ end[child]) & mask)
            if j == 1:
                choice[:] = better
            else:
                choice ^= (choice ^ j) & -better.view(np.int8)
        np.less_equal(best - second, tol, out=tie[column])
    out["choices"][rows] = pick.T
    out["ties"][rows] = tie.T
    out["has_tie"][rows] = np.logical_or.reduce(tie, axis=0) if len(tie) else False
    out["values"][rows] = v[_root_row(tree)].T
    out["path_end"][rows] = end[_root_row(tree)]
    out["tolerance"][rows] = tol


def _root_row(tree: CompiledTree) -> int:
    # The root is node 0: row 0 if it is a terminal, else the first interior row.
    return 0 if tree.kind[0] == _TERMINAL else len(tree.terminal_nodes)


def path_labels(batch: SPEBatch, separator: str = "/") -> np.ndarray:
    """Readable equilibrium-path label of each point, such as ``"calibrated/stand_down"``.

    The label is the action path to the terminal reached; when a chance node
    lies on the path it is the path to that node followed by ``(chance)``.

    Returns
    -------
    ndarray of object (str), shape (B,)

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), "y": Terminal((2,))}))
    >>> path_labels(spe_batch(g, [[[1.0], [2.0]]])).tolist()
    ['y']
    """
    tree = batch.tree
    table = []
    for i, path in enumerate(tree.node_paths):
        text = separator.join(path)
        if tree.kind[i] == _CHANCE:
            text = f"{text}{separator}(chance)" if text else "(chance)"
        table.append(text)
    return np.array(table, dtype=object)[batch.path_end]
