"""Two-player zero-sum game trees with perfect recall, solved by the sequence-form LP.

A *sequence* of player :math:`i` is the empty sequence :math:`\\emptyset` or a
pair (information set, action); with perfect recall the pair identifies the
whole own history.  A *realization plan* :math:`x` gives each sequence the
probability that the player's own moves follow it, and is characterised by
linear constraints :math:`E x = e,\\ x \\ge 0`:

.. math:: x(\\emptyset) = 1, \\qquad \\sum_{a \\in A(I)} x(I, a) = x(\\sigma_I)
          \\quad \\text{for every information set } I,

where :math:`\\sigma_I` is the sequence leading to :math:`I`.  Likewise
:math:`F y = f,\\ y \\ge 0` for player 2.  With the *sequence-form payoff
matrix* :math:`A[\\sigma_1, \\sigma_2] = \\sum_z p_0(z)\\, u_1(z)` (over
terminals :math:`z` whose sequences are :math:`\\sigma_1, \\sigma_2`, with
chance probability :math:`p_0(z)`), player 1's expected payoff is
:math:`x^\\top A y`.  By LP duality (Koller, Megiddo and von Stengel 1996;
von Stengel 1996) player 1's maxmin plan solves

.. math:: \\max_{x, q}\\ f^\\top q \\quad \\text{s.t.} \\quad F^\\top q \\le A^\\top x,\\
          E x = e,\\ x \\ge 0,

and player 2's minmax plan solves
:math:`\\min_{y, p} e^\\top p` s.t. :math:`E^\\top p \\ge A y,\\ F y = f,\\ y \\ge 0`.
Both optima equal the value of the game.  The matrices are built sparse
(:mod:`scipy.sparse`, COO then CSR: ``A`` has at most one entry per
terminal) and the LPs solved by :func:`scipy.optimize.linprog` (HiGHS), so
a binary tree of depth 16 (65,536 leaves, 131,072 sequences) takes seconds;
behaviour strategies follow as
:math:`\\beta(a \\mid I) = x(I, a) / x(\\sigma_I)`.

:func:`nash_tree` is the registered default for ``nash`` on trees: this LP
for two-player constant-sum trees with perfect recall, the reduced normal
form otherwise.  General-sum trees are solved from the same sequence form
by Lemke's algorithm (:mod:`deterrence.solvers.lcp`).

*Verification.*  Each behaviour strategy is checked against a best
response of the opponent (:func:`deterrence.subgames.best_response_value`):
player 1's strategy must guarantee at least the value and player 2's must
hold player 1 to at most the value, within the stated tolerance.  For exact
games the solver also rounds the behaviour probabilities to nearby
fractions and re-checks exactly; if both guarantees then meet, the result is
exact.

References
----------
Kuhn, H. W. (1950). A simplified two-person poker. Contributions to the Theory
of Games I, 97-103.
Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of
equilibria for extensive two-person games. Games and Economic Behavior 14,
247-259.
von Stengel, B. (1996). Efficient computation of behavior strategies. Games
and Economic Behavior 14, 220-246.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.errors import GameError, SolverError
from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Node, Terminal, _float_payoffs
from deterrence.forms.subgames import best_response_value, perfect_recall_violations
from deterrence.solvers.result import Equilibrium, Solution

__all__ = ["SequenceForm", "estimate_nash_tree", "nash_tree", "sequence_form", "solve_zero_sum"]

#: Default regret tolerance of the LP solution, relative to the payoff range.
LP_TOLERANCE = 1e-7
#: Default bound on the number of sequences (both players) the LP accepts.
MAX_SEQUENCES = 2_000_000
#: Realization probabilities at most this count as zero (the set is then unreached).
REACH_ZERO = 1e-9
Sequence = tuple[str, str] | None


@dataclass(frozen=True, slots=True, eq=False)
class SequenceForm:
    """The sequence form of a two-player game tree, in sparse matrices.

    Attributes
    ----------
    sequences : tuple of two tuples
        Each player's sequences: ``None`` (empty) first, then
        ``(infoset, action)`` pairs in preorder.
    parents : tuple of two dicts
        ``{infoset: sequence leading to it}`` per player.
    constraints : tuple of two scipy.sparse CSR matrices
        ``E`` and ``F``: one row for the empty sequence, then one per
        information set.
    payoff : scipy.sparse CSR matrix, shape (len(sequences[0]), len(sequences[1]))
        Player 1's sequence-form payoff matrix ``A`` (floats).
    payoff_2 : scipy.sparse CSR matrix
        Player 2's matrix ``B`` (same shape).
    leaves : tuple of tuples
        ``(row, column, chance probability, u1, u2)`` per terminal, in the
        game's own arithmetic (exact values stay exact), for exact solvers.
    """

    sequences: tuple[tuple[Sequence, ...], tuple[Sequence, ...]]
    parents: tuple[dict[str, Sequence], dict[str, Sequence]]
    constraints: tuple[Any, Any]
    payoff: Any
    payoff_2: Any
    leaves: tuple[tuple[int, int, Any, Any, Any], ...]

    @property
    def size(self) -> int:
        """Number of sequences of both players."""
        return len(self.sequences[0]) + len(self.sequences[1])


def sequence_form(game: ExtensiveFormGame, *, max_sequences: int | None = None) -> SequenceForm:
    """Build the sequence form (sparse constraints and payoff matrices) of a 2-player tree.

    Parameters
    ----------
    game : ExtensiveFormGame
    max_sequences : int, optional
        Stop with a :class:`SolverError` as soon as the two players have more
        sequences than this (counted while the tree is read).

    Raises
    ------
    GameError
        If the game does not have two players or lacks perfect recall.
    SolverError
        If the sequence count exceeds ``max_sequences``.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> mp = ExtensiveFormGame(["A", "B"], choice("A", "a", {
    ...     "h": choice("B", "b", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}),
    ...     "t": choice("B", "b", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))})}))
    >>> sf = sequence_form(mp)
    >>> sf.sequences[0]
    (None, ('a', 'h'), ('a', 't'))
    >>> sf.payoff.toarray().tolist()
    [[0.0, 0.0, 0.0], [0.0, 1.0, -1.0], [0.0, -1.0, 1.0]]
    """
    from scipy import sparse

    if game.n_players != 2:
        raise GameError(f"the sequence form here is for two players, this game has {game.n_players}")
    violations = perfect_recall_violations(game)
    if violations:
        raise GameError(f"the sequence form needs perfect recall: {violations[0]}")
    players = game.players
    sequences: list[list[Sequence]] = [[None], [None]]
    index: list[dict[Sequence, int]] = [{None: 0}, {None: 0}]
    parents: list[dict[str, Sequence]] = [{}, {}]
    leaves: list[tuple[int, int, Any, Any, Any]] = []
    # Depth-first in preorder (children pushed in reverse), carrying each player's last sequence.
    stack: list[tuple[Node, Any, Sequence, Sequence]] = [(game.root, 1, None, None)]
    while stack:
        node, weight, last_1, last_2 = stack.pop()
        if isinstance(node, Terminal):
            leaves.append((index[0][last_1], index[1][last_2], weight, node.payoffs[0], node.payoffs[1]))
            continue
        if isinstance(node, Chance):
            for k in reversed(range(len(node.actions))):
                stack.append((node.children[k], weight * node.probabilities[k], last_1, last_2))
            continue
        i = players.index(node.player)
        if node.infoset not in parents[i]:
            parents[i][node.infoset] = last_1 if i == 0 else last_2
            for action in node.actions:
                index[i][(node.infoset, action)] = len(sequences[i])
                sequences[i].append((node.infoset, action))
            if max_sequences is not None and len(sequences[0]) + len(sequences[1]) > max_sequences:
                raise SolverError(
                    f"the sequence form has more than {max_sequences} sequences (limit); refusing to build it"
                )
        for k in reversed(range(len(node.actions))):
            seq = (node.infoset, node.actions[k])
            if i == 0:
                stack.append((node.children[k], weight, seq, last_2))
            else:
                stack.append((node.children[k], weight, last_1, seq))
    constraints = []
    for i in range(2):
        rows, cols, vals = [0], [0], [1.0]
        for row, (infoset, parent) in enumerate(parents[i].items(), start=1):
            rows.append(row)
            cols.append(index[i][parent])
            vals.append(-1.0)
            for action in game.actions(players[i], infoset):
                rows.append(row)
                cols.append(index[i][(infoset, action)])
                vals.append(1.0)
        shape = (len(parents[i]) + 1, len(sequences[i]))
        constraints.append(sparse.coo_matrix((vals, (rows, cols)), shape=shape).tocsr())
    shape = (len(sequences[0]), len(sequences[1]))
    r = np.array([leaf[0] for leaf in leaves], dtype=np.intp)
    c = np.array([leaf[1] for leaf in leaves], dtype=np.intp)
    w = np.array([float(leaf[2]) for leaf in leaves])
    matrices = [
        sparse.coo_matrix((w * np.array([float(leaf[3 + k]) for leaf in leaves]), (r, c)), shape=shape).tocsr()
        for k in range(2)
    ]  # COO sums the entries of terminals that share a pair of sequences
    return SequenceForm(
        (tuple(sequences[0]), tuple(sequences[1])),
        (parents[0], parents[1]),
        (constraints[0], constraints[1]),
        matrices[0],
        matrices[1],
        tuple(leaves),
    )


def _solve_lp(sf: SequenceForm, player: int) -> tuple[np.ndarray, float]:
    """Player ``player``'s optimal realization plan and the value for player 1."""
    from scipy import sparse
    from scipy.optimize import linprog

    a, (e, f) = sf.payoff, sf.constraints
    if player == 1:  # player 2's LP: make it player 1's with the transposed, negated matrix
        a, e, f = -a.T.tocsr(), f, e
    n_own, n_dual = a.shape[0], f.shape[0]
    # Variables (x, q): maximise f^T q  s.t.  F^T q - A^T x <= 0,  E x = e,  x >= 0.
    cost = np.zeros(n_own + n_dual)
    cost[n_own] = -1.0
    a_ub = sparse.hstack([-a.T, f.T], format="csr")
    a_eq = sparse.hstack([e, sparse.csr_matrix((e.shape[0], n_dual))], format="csr")
    b_eq = np.zeros(e.shape[0])
    b_eq[0] = 1.0
    bounds = [(0, None)] * n_own + [(None, None)] * n_dual
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(a_ub.shape[0]),
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=bounds,
        method="highs",
    )
    if result.status != 0:
        raise SolverError(f"the sequence-form LP failed: {result.message}")
    value = -float(result.fun)
    return np.clip(result.x[:n_own], 0.0, None), value if player == 0 else -value


def _behaviour(game: ExtensiveFormGame, sf: SequenceForm, i: int, plan: np.ndarray, zero: float) -> tuple:
    index = {s: k for k, s in enumerate(sf.sequences[i])}
    player = game.players[i]
    strategy, unreached = {}, []
    for infoset, parent in sf.parents[i].items():
        actions = game.actions(player, infoset)
        reach = plan[index[parent]]
        if reach <= zero:
            strategy[infoset] = {a: 1.0 / len(actions) for a in actions}
            unreached.append(infoset)
            continue
        masses = np.array([plan[index[(infoset, a)]] for a in actions])
        masses = masses / masses.sum()
        strategy[infoset] = {a: float(m) for a, m in zip(actions, masses, strict=True)}
    return strategy, unreached


def _rationalise(strategies: dict, denominator: int) -> dict:
    out: dict[str, dict[str, dict[str, Fraction]]] = {}
    for player, sets in strategies.items():
        out[player] = {}
        for infoset, table in sets.items():
            probs = {a: Fraction(p).limit_denominator(denominator) for a, p in table.items()}
            last = max(probs, key=lambda a: probs[a])  # absorb the rounding in the largest entry
            probs[last] += 1 - sum(probs.values())
            out[player][infoset] = probs
    return out


def _constant_sum(game: ExtensiveFormGame, tol: float) -> Any:
    """The constant ``u1 + u2`` of a two-player constant-sum tree, or None if it is not one."""
    sums = [t.payoffs[0] + t.payoffs[1] for t, _ in game.terminals()]
    if game.kind == "exact":
        return sums[0] if len(set(sums)) == 1 else None
    return sums[0] if float(np.ptp(np.array(sums, dtype=float))) <= tol else None


def _guarantees(game: ExtensiveFormGame, strategies: dict, constant: Any) -> tuple[Any, Any]:
    """(Least player 1 gets with her strategy, most she gets against player 2's strategy)."""
    p1, p2 = game.players
    floor = constant - best_response_value(game, strategies, p2)
    ceiling = best_response_value(game, strategies, p1)
    return floor, ceiling


def solve_zero_sum(
    game: ExtensiveFormGame,
    *,
    tolerance: float | None = None,
    exact: bool | None = None,
    max_sequences: int = MAX_SEQUENCES,
) -> Solution:
    """Value and optimal behaviour strategies of a two-player zero-sum tree (sequence-form LP).

    Parameters
    ----------
    game : ExtensiveFormGame
        Two players, perfect recall, and constant-sum payoffs
        (:math:`u_1 + u_2` the same at every terminal).
    tolerance : float, optional
        Largest accepted gap between each strategy's guarantee and the value
        (default ``LP_TOLERANCE * max(1, payoff range)``).
    exact : bool, optional
        Try to recover an exact rational equilibrium (default: when the game
        is exact).  It is kept only if it verifies exactly.
    max_sequences : int
        Refuse (``SolverError``) trees with more sequences than this.

    Returns
    -------
    Solution
        ``method="sequence-form-lp"`` (``solve(game, "nash", "sequence-form")``
        wraps it with the game and the concept); one equilibrium
        whose ``payoffs`` hold the value (player 1) and its complement.
        ``complete`` is False: optimal strategies need not be unique and
        only one pair is returned.  Information sets that a player's own
        plan never reaches get uniform behaviour (named in the notes).

    Raises
    ------
    SolverError
        If the game is not constant-sum, has free parameters, or the LP fails.
    GameError
        If the game has not two players or lacks perfect recall.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> mp = ExtensiveFormGame(["A", "B"], choice("A", "a", {
    ...     "h": choice("B", "b", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}),
    ...     "t": choice("B", "b", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))})}))
    >>> result = solve_zero_sum(mp)
    >>> print(result[0].payoffs["A"], result[0].strategies["B"]["b"]["h"], result[0].exact)
    0 1/2 True
    """
    if game.kind == "symbolic":
        raise SolverError(f"game has free parameters {list(game.parameters)}; evaluate it before solving")
    if game.n_players != 2:
        raise GameError(f"the sequence form here is for two players, this game has {game.n_players}")
    values = _float_payoffs(game)
    spread = float(values.max() - values.min()) if values.size else 0.0
    tol = LP_TOLERANCE * max(1.0, spread) if tolerance is None else float(tolerance)
    constant = _constant_sum(game, tol)
    if constant is None:
        raise SolverError("the sequence-form LP needs a zero-sum (constant-sum) game")
    sf = sequence_form(game, max_sequences=max_sequences)
    x, value_1 = _solve_lp(sf, 0)
    y, value_2 = _solve_lp(sf, 1)
    beta_1, skip_1 = _behaviour(game, sf, 0, x, REACH_ZERO)
    beta_2, skip_2 = _behaviour(game, sf, 1, y, REACH_ZERO)
    strategies = {game.players[0]: beta_1, game.players[1]: beta_2}
    value = (value_1 + value_2) / 2
    floor, ceiling = (float(g) for g in _guarantees(game, strategies, float(constant)))
    gap = max(value - floor, ceiling - value, abs(value_1 - value_2))
    if gap > tol:
        raise SolverError(f"the LP solution does not verify: guarantees {floor}, {ceiling}, value {value}")
    notes = [
        f"value for {game.players[0]}: {value:.12g}; player 1's strategy guarantees {floor:.12g}, "
        f"player 2's concedes at most {ceiling:.12g}",
        "one optimal pair, so the list is not complete: other optimal strategies may exist "
        "(all equilibria of a zero-sum game are interchangeable and pay the value)",
    ]
    is_exact, regret, used_tol = False, gap, tol
    if exact is None:
        exact = game.kind == "exact"
    if exact and game.kind == "exact":
        for denominator in (12, 1000, 10**6):
            candidate = _rationalise(strategies, denominator)
            low, high = _guarantees(game, candidate, constant)
            if low == high:
                strategies, value, is_exact, regret, used_tol = candidate, low, True, 0.0, 0.0
                notes[0] = f"value for {game.players[0]}: {value} (verified exactly)"
                break
        else:
            notes.append("no exact rational equilibrium recovered; floats verified within tolerance")
    skipped = [f"{game.players[0]}:{s}" for s in skip_1] + [f"{game.players[1]}:{s}" for s in skip_2]
    if skipped:
        notes.append(f"uniform behaviour at {skipped}, which the player's own plan never reaches")
    payoffs = {game.players[0]: value, game.players[1]: constant - value}
    equilibrium = Equilibrium(strategies, payoffs, is_exact, float(regret), None, tuple(notes[:1]))
    return Solution(
        (equilibrium,),
        complete=False,
        degenerate=None,
        tolerance=used_tol,
        notes=tuple(notes),
        method="sequence-form-lp",
    )


def nash_tree(game: ExtensiveFormGame, inner: str | None = None) -> Solution:
    """Registered default ``nash``/``tree``/``auto``: the LP for zero-sum trees, else the reduced form.

    A two-player constant-sum tree with perfect recall is solved by the
    sequence-form LP (:func:`solve_zero_sum`; method ``"sequence-form-lp"``:
    one equilibrium, not a complete list).  Every other tree, and every
    request with an inner method (``auto+support``), goes through the
    reduced normal form (:func:`deterrence.solvers.reduced.nash_reduced`).
    The method reported is the one that ran, so it can be asked for again.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> mp = ExtensiveFormGame(["A", "B"], choice("A", "a", {
    ...     "h": choice("B", "b", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}),
    ...     "t": choice("B", "b", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))})}))
    >>> nash_tree(mp).method
    'sequence-form-lp'
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "yield": Terminal((1, 1))})}))
    >>> nash_tree(entry).method
    'reduced-normal-form+vertex-exact'
    """
    from deterrence.solvers.reduced import nash_reduced

    if inner is None and _lp_applies(game):
        return solve_zero_sum(game)
    return nash_reduced(game, inner)


def _lp_applies(game: ExtensiveFormGame) -> bool:
    """True for a numeric two-player constant-sum tree with perfect recall."""
    if game.n_players != 2 or game.kind == "symbolic":
        return False
    values = _float_payoffs(game)
    spread = float(values.max() - values.min()) if values.size else 0.0
    return _constant_sum(game, LP_TOLERANCE * max(1.0, spread)) is not None and not perfect_recall_violations(game)


def estimate_nash_tree(game: ExtensiveFormGame, inner: str | None = None) -> Any:
    """Work estimate of :func:`nash_tree`: the tree's size for the LP, else the reduced form's estimate."""
    from deterrence.solvers import work

    if inner is None and _lp_applies(game):
        return work.tree_size(game)
    return work.tree_nash(game, inner)
