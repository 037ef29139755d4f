"""Pure-strategy Nash equilibria of N-player games, batched over a stack of games.

A pure profile :math:`s = (s_1, \\dots, s_N)` is a Nash equilibrium iff every
player's payoff is maximal along that player's own axis of the payoff tensor:

.. math:: u_i(s) = \\max_{t_i \\in S_i} u_i(t_i, s_{-i}) \\quad \\text{for all } i.

So the set of pure equilibria of a whole stack of games is one vectorised
computation: for each player take the maximum of :math:`u_i` over axis
:math:`i` (kept as a length-one axis so it broadcasts back), compare, and
take the logical AND over players.  The enumeration is complete by
construction, since every profile is tested.

Ties count as best responses, so *weak* equilibria are included.  A pure
equilibrium is *strict* when each player's strategy is its unique best
response; a non-strict one sits on a tie, which usually means the game is
degenerate there and that mixed equilibria may form a continuum.  Float
payoffs are compared with an absolute tolerance, by default
:func:`deterrence.verify.tolerance_for` of each game (``1e-9 * max(1, payoff
range)``); exact games (Fractions) are compared exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from deterrence.errors import GameError, SolverError
from deterrence.solvers.verify import FLOAT_TOLERANCE

__all__ = ["PureEquilibrium", "nash_pure_only", "pure_equilibria", "pure_equilibria_mask", "solve_pure"]


class PureEquilibrium(tuple):
    """A pure equilibrium: a tuple of strategy indices carrying a ``strict`` flag.

    It compares and hashes like the plain tuple of indices, so
    ``(1, 1) in pure_equilibria(game)`` works.

    Attributes
    ----------
    strict : bool
        True when every player's strategy is its unique best response.
    """

    strict: bool

    def __new__(cls, indices: Any, strict: bool) -> PureEquilibrium:  # noqa: D102
        self = super().__new__(cls, (int(i) for i in indices))
        self.strict = bool(strict)
        return self

    def __getnewargs__(self) -> tuple[Any, ...]:  # so that pickling and copying keep the flag
        return (tuple(self), self.strict)

    def __repr__(self) -> str:
        return f"PureEquilibrium({tuple(self)!r}, strict={self.strict})"


def _split_batch(payoffs: np.ndarray) -> tuple[np.ndarray, bool]:
    """Return payoffs with a leading batch axis, and whether the input had one."""
    if payoffs.ndim < 2:
        raise GameError(f"payoffs need shape (*shape, N) or (B, *shape, N), got {payoffs.shape}")
    n = payoffs.shape[-1]
    if payoffs.ndim == n + 1:
        return payoffs[np.newaxis], False
    if payoffs.ndim == n + 2:
        return payoffs, True
    raise GameError(
        f"payoffs of shape {payoffs.shape}: the last axis says {n} players, so expected "
        f"{n + 1} axes (one game) or {n + 2} (a batch)"
    )


def _batch_tolerance(stack: np.ndarray, tolerance: Any) -> np.ndarray:
    """Per-game absolute tolerance, broadcastable against ``stack[..., i]``."""
    batch = stack.shape[0]
    if tolerance is None:
        flat = stack.reshape(batch, -1)
        spread = flat.max(axis=1) - flat.min(axis=1) if flat.shape[1] else np.zeros(batch)
        tol = FLOAT_TOLERANCE * np.maximum(1.0, spread)
    else:
        tol = np.broadcast_to(np.asarray(tolerance, dtype=np.float64), (batch,))
        if (tol < 0).any() or not np.isfinite(tol).all():
            raise GameError(f"tolerance must be finite and non-negative, got {tolerance!r}")
    return tol.reshape((batch,) + (1,) * (stack.ndim - 2))


def _best_response_masks(stack: np.ndarray, tol: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return (is a best response for every player, unique best response for every player).

    ``stack`` has a leading batch axis; ``tol`` broadcasts against one
    player's payoff slice (0 for exact object arrays).
    """
    n = stack.shape[-1]
    equilibrium = np.ones(stack.shape[:-1], dtype=bool)
    strict = np.ones(stack.shape[:-1], dtype=bool)
    for i in range(n):  # a loop over players, never over games
        u = stack[..., i]
        axis = i + 1  # axis 0 is the batch
        best = u.max(axis=axis, keepdims=True)
        is_best = np.asarray(u >= best - tol, dtype=bool)
        ties = is_best.sum(axis=axis, keepdims=True)
        equilibrium &= is_best
        strict &= is_best & (ties == 1)
    return equilibrium, strict


def pure_equilibria_mask(
    payoffs: np.ndarray, tolerance: float | np.ndarray | None = None, *, strict: bool = False
) -> np.ndarray:
    """Boolean mask of the pure Nash equilibria of one game or a stack of games.

    Parameters
    ----------
    payoffs : array_like of float
        Shape ``(B, *shape, N)`` for a batch of ``B`` games, or ``(*shape, N)``
        for one game.  The last axis indexes the player receiving the payoff.
    tolerance : float or array of shape (B,), optional
        Absolute tolerance on payoff comparisons.  By default each game gets
        ``1e-9 * max(1, payoff range of that game)``, as
        :func:`deterrence.verify.tolerance_for`.
    strict : bool, default False
        If True, mark only strict equilibria (every player's strategy its
        unique best response, no other strategy within the tolerance).

    Returns
    -------
    numpy.ndarray of bool
        Shape ``(B, *shape)`` (or ``shape`` for one game): True at profiles
        that are pure equilibria.  Weak equilibria (ties) are included unless
        ``strict`` is set.

    Raises
    ------
    GameError
        If the array shape does not fit ``(B, *shape, N)``.

    Examples
    --------
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    >>> [tuple(int(i) for i in p) for p in np.argwhere(pure_equilibria_mask(pd))]
    [(1, 1)]
    >>> stack = np.stack([pd, np.zeros((2, 2, 2))])   # the second game is all ties
    >>> print(pure_equilibria_mask(stack).sum(axis=(1, 2)))
    [1 4]
    >>> print(pure_equilibria_mask(stack, strict=True).sum(axis=(1, 2)))
    [1 0]
    """
    values = np.asarray(payoffs, dtype=np.float64)
    if not np.isfinite(values).all():
        raise GameError("payoffs must be finite")
    stack, batched = _split_batch(values)
    tol = _batch_tolerance(stack, tolerance)
    equilibrium, unique = _best_response_masks(stack, tol)
    mask = unique if strict else equilibrium
    return mask if batched else mask[0]


def pure_equilibria(game: Any, tolerance: float | None = None) -> list[PureEquilibrium]:
    """All pure Nash equilibria of one :class:`~deterrence.NormalFormGame`.

    Exact games are compared exactly (Fractions); float games within
    ``tolerance`` (default :func:`deterrence.verify.tolerance_for`).  The list
    is complete and ordered lexicographically by strategy index.

    Parameters
    ----------
    game : NormalFormGame
        An exact or float game (evaluate symbolic games first).
    tolerance : float, optional
        Absolute tolerance for float games; ignored for exact games.

    Returns
    -------
    list of PureEquilibrium
        Tuples of strategy indices, each with a ``strict`` attribute that is
        False when some player has another best response (a tie).

    Raises
    ------
    SolverError
        If the game has free parameters.

    Examples
    --------
    >>> from deterrence import NormalFormGame
    >>> chicken = NormalFormGame.from_bimatrix([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    >>> found = pure_equilibria(chicken)
    >>> found
    [PureEquilibrium((0, 1), strict=True), PureEquilibrium((1, 0), strict=True)]
    >>> (1, 0) in found
    True
    """
    if game.kind == "symbolic":
        raise SolverError(f"game has free parameters {list(game.parameters)}; evaluate it before solving")
    if game.kind == "exact":
        stack = np.asarray(game.payoffs, dtype=object)[np.newaxis]
        equilibrium, unique = _best_response_masks(stack, 0)
    else:
        stack = np.asarray(game.payoffs, dtype=np.float64)[np.newaxis]
        equilibrium, unique = _best_response_masks(stack, _batch_tolerance(stack, tolerance))
    return [PureEquilibrium(index, unique[(0, *index)]) for index in np.argwhere(equilibrium[0])]


def solve_pure(game: Any, tolerance: float | None = None) -> Any:
    """Every pure Nash equilibrium of a normal-form game, verified: the registered ``pure`` solver.

    Each equilibrium lists every strategy with probability 1 or 0 and the
    payoffs; weak (non-strict) equilibria carry the note ``"weak: tie in best
    responses"``, and the result then counts them and says ``degenerate=True``.
    The list is complete.  :func:`deterrence.solve` with ``concept="pure"``
    (or ``"nash"`` for games of three or more players) calls this.

    Parameters
    ----------
    game : NormalFormGame
        An exact or float game.
    tolerance : float, optional
        Absolute tolerance for float games (default
        :func:`deterrence.solvers.verify.tolerance_for` of the payoffs).

    Returns
    -------
    Solution
        ``method="pure"``.

    Examples
    --------
    >>> from deterrence import NormalFormGame
    >>> pd = NormalFormGame(["Row", "Col"], [["C", "D"], ["C", "D"]],
    ...                     [[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
    >>> found = solve_pure(pd)
    >>> [e.strategies["Row"]["D"] for e in found], found.complete, found.method
    ([Fraction(1, 1)], True, 'pure')
    """
    from fractions import Fraction

    from deterrence.solvers.profiles import pure_profile
    from deterrence.solvers.result import Equilibrium, Solution
    from deterrence.solvers.verify import regrets, tolerance_for

    exact = game.kind == "exact"
    found = pure_equilibria(game, tolerance)
    one: Any
    zero: Any
    if exact:
        payoffs = np.asarray(game.payoffs, dtype=object)
        tol, one, zero = 0.0, Fraction(1), Fraction(0)
    else:
        payoffs = np.asarray(game.payoffs, dtype=np.float64)
        tol = tolerance_for(payoffs) if tolerance is None else float(tolerance)
        one, zero = 1.0, 0.0
    equilibria = []
    for profile in found:
        mixed = pure_profile(game, profile, one, zero)
        values, gains = regrets(payoffs, mixed)
        regret = max(float(g) for g in gains)
        # The mask already guarantees this; re-check with the shared verifier all the same.
        if (exact and regret != 0) or (not exact and regret > tol):
            raise SolverError(f"internal error: pure profile {tuple(profile)} failed verification; please report it")
        strategies = {
            player: dict(zip(labels, probs, strict=True))
            for player, labels, probs in zip(game.players, game.strategies, mixed, strict=True)
        }
        paid = values if exact else [float(v) for v in values]
        equilibria.append(
            Equilibrium(
                strategies=strategies,
                payoffs=dict(zip(game.players, paid, strict=True)),
                exact=exact,
                regret=max(regret, 0.0),
                notes=() if profile.strict else ("weak: tie in best responses",),
            )
        )
    weak = sum(not p.strict for p in found)
    notes = (f"{weak} weak pure equilibria (ties in best responses)",) if weak else ()
    return Solution(tuple(equilibria), True, True if weak else None, tol, notes, "pure")


def nash_pure_only(game: Any) -> Any:
    """Nash equilibria of a game with one or three or more players: the pure ones only, said so.

    The registered ``nash``/``normal-np`` solver: :func:`solve_pure`, with
    ``complete=False`` and a note, since mixed equilibria may exist.

    Examples
    --------
    >>> from deterrence import NormalFormGame
    >>> solo = NormalFormGame(["A"], [["x", "y"]], [[1], [2]])
    >>> found = nash_pure_only(solo)
    >>> len(found), found.complete
    (1, False)
    """
    from dataclasses import replace

    found = solve_pure(game)
    note = f"{game.n_players}-player game: only pure equilibria are enumerated; mixed equilibria may exist"
    return replace(found, complete=False, notes=(*found.notes, note))
