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
Both optima equal the value of the game.  The LPs are solved by
:func:`scipy.optimize.linprog` (HiGHS); behaviour strategies follow as
:math:`\\beta(a \\mid I) = x(I, a) / x(\\sigma_I)`.

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
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal, _float_payoffs
from deterrence.forms.subgames import best_response_value, own_histories, perfect_recall_violations
from deterrence.solvers.result import Equilibrium, Solution

__all__ = ["SequenceForm", "sequence_form", "solve_zero_sum"]

#: Default regret tolerance of the LP solution, relative to the payoff range.
LP_TOLERANCE = 1e-7
#: Realization probabilities at most this count as zero (the set is then unreached).
REACH_ZERO = 1e-9
Sequence = tuple[str, str] | None


@dataclass(frozen=True, slots=True, eq=False)
class SequenceForm:
    """The sequence form of a two-player game tree.

    Attributes
    ----------
    sequences : tuple of two tuples
        Each player's sequences: ``None`` (empty) first, then
        ``(infoset, action)`` pairs in preorder.
    parents : tuple of two dicts
        ``{infoset: sequence leading to it}`` per player.
    constraints : tuple of two ndarrays
        ``E`` and ``F``: one row for the empty sequence, then one per
        information set.
    payoff : ndarray, shape (len(sequences[0]), len(sequences[1]))
        Player 1's sequence-form payoff matrix ``A`` (floats).
    """

    sequences: tuple[tuple[Sequence, ...], tuple[Sequence, ...]]
    parents: tuple[dict[str, Sequence], dict[str, Sequence]]
    constraints: tuple[np.ndarray, np.ndarray]
    payoff: np.ndarray


def sequence_form(game: ExtensiveFormGame) -> SequenceForm:
    """Build the sequence form (constraints and player 1's payoff matrix) of a 2-player tree.

    Raises
    ------
    GameError
        If the game does not have two players or lacks perfect recall.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> mp = ExtensiveFormGame(["A", "B"], choice("A", "a", {
    ...     "h": choice("B", "b", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}),
    ...     "t": choice("B", "b", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))})}))
    >>> sf = sequence_form(mp)
    >>> sf.sequences[0]
    (None, ('a', 'h'), ('a', 't'))
    >>> sf.payoff.tolist()
    [[0.0, 0.0, 0.0], [0.0, 1.0, -1.0], [0.0, -1.0, 1.0]]
    """
    if game.n_players != 2:
        raise GameError(f"the sequence form here is for two players, this game has {game.n_players}")
    violations = perfect_recall_violations(game)
    if violations:
        raise GameError(f"the sequence form needs perfect recall: {violations[0]}")
    histories = own_histories(game)
    sequences: list[list[Sequence]] = [[None], [None]]
    parents: list[dict[str, Sequence]] = [{}, {}]
    for node, path in game.walk():
        if isinstance(node, Decision):
            i = game.players.index(node.player)
            if node.infoset not in parents[i]:
                history = histories[path]
                parents[i][node.infoset] = history[-1] if history else None
                sequences[i].extend((node.infoset, a) for a in node.actions)
    index = [{s: k for k, s in enumerate(seqs)} for seqs in sequences]
    constraints = []
    for i in range(2):
        matrix = np.zeros((len(parents[i]) + 1, len(sequences[i])))
        matrix[0, 0] = 1.0
        for row, (infoset, parent) in enumerate(parents[i].items(), start=1):
            matrix[row, index[i][parent]] = -1.0
            for action in game.actions(game.players[i], infoset):
                matrix[row, index[i][(infoset, action)]] = 1.0
        constraints.append(matrix)
    payoff = np.zeros((len(sequences[0]), len(sequences[1])))
    stack: list[tuple[Node, float, list[Sequence]]] = [(game.root, 1.0, [None, None])]
    while stack:
        node, weight, last = stack.pop()
        if isinstance(node, Terminal):
            payoff[index[0][last[0]], index[1][last[1]]] += weight * float(node.payoffs[0])
            continue
        for k, (action, child) in enumerate(zip(node.actions, node.children, strict=True)):
            if isinstance(node, Chance):
                stack.append((child, weight * float(node.probabilities[k]), last))
            else:
                i = game.players.index(node.player)
                nxt = list(last)
                nxt[i] = (node.infoset, action)
                stack.append((child, weight, nxt))
    return SequenceForm(
        (tuple(sequences[0]), tuple(sequences[1])),
        (parents[0], parents[1]),
        (constraints[0], constraints[1]),
        payoff,
    )


def _solve_lp(sf: SequenceForm, player: int) -> tuple[np.ndarray, float]:
    """Player ``player``'s optimal realization plan and the value for player 1."""
    from scipy.optimize import linprog

    a, (e, f) = sf.payoff, sf.constraints
    if player == 1:  # player 2's LP: make it player 1's with the transposed, negated matrix
        a, e, f = -a.T, f, e
    n_own, n_dual = a.shape[0], f.shape[0]
    # Variables (x, q): maximise f^T q  s.t.  F^T q - A^T x <= 0,  E x = e,  x >= 0.
    cost = np.concatenate([np.zeros(n_own), -np.eye(n_dual)[0]])
    a_ub = np.hstack([-a.T, f.T])
    a_eq = np.hstack([e, np.zeros((e.shape[0], n_dual))])
    b_eq = np.eye(e.shape[0])[0]
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


def _guarantees(game: ExtensiveFormGame, strategies: dict, constant: Any) -> tuple[Any, Any]:
    """(Least player 1 gets with her strategy, most she gets against player 2's strategy)."""
    p1, p2 = game.players
    floor = constant - best_response_value(game, strategies, p2)
    ceiling = best_response_value(game, strategies, p1)
    return floor, ceiling


def solve_zero_sum(game: ExtensiveFormGame, *, tolerance: float | None = None, exact: bool | None = None) -> Solution:
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
    sf = sequence_form(game)
    values = _float_payoffs(game)
    sums = values.sum(axis=1)
    spread = float(values.max() - values.min()) if values.size else 0.0
    tol = LP_TOLERANCE * max(1.0, spread) if tolerance is None else float(tolerance)
    terminal_sums = [t.payoffs[0] + t.payoffs[1] for t, _ in game.terminals()]
    constant = terminal_sums[0]
    if (game.kind == "exact" and len(set(terminal_sums)) > 1) or np.ptp(sums) > tol:
        raise SolverError("the sequence-form LP needs a zero-sum (constant-sum) game")
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
        "one optimal pair; other optimal strategies may exist",
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
