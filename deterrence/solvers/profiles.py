"""Verified equilibria of normal-form games from mixed profiles: the builder every matrix solver uses.

:func:`matrix_equilibrium` checks a profile (exactly for exact games, within
the regret tolerance otherwise) and wraps it as an
:class:`~deterrence.solvers.result.Equilibrium`; it refuses a profile that
is not an equilibrium.  :func:`lift` expresses an equilibrium of a reduced
game (some strategies removed) over the full strategy sets.
"""

from __future__ import annotations

from typing import Any

from deterrence.solvers.result import Equilibrium

__all__ = ["lift", "matrix_equilibrium", "pure_profile"]


def pure_profile(game: Any, indices: tuple[int, ...], one: Any = 1, zero: Any = 0) -> list[list[Any]]:
    """The mixed profile that plays strategy ``indices[i]`` of each player ``i`` for sure.

    Examples
    --------
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> pure_profile(NormalFormGame.from_bimatrix([[1, 0, 0]], [[0, 1, 0]]), (0, 2))
    [[1], [0, 0, 1]]
    """
    return [[one if k == i else zero for k in range(n)] for i, n in zip(indices, game.shape, strict=True)]


def matrix_equilibrium(
    game: Any,
    profile: list,
    exact: bool,
    component: int | None = None,
    notes: tuple[str, ...] = (),
    tolerance: float | None = None,
) -> Equilibrium:
    """Verify a mixed profile of a normal-form game and wrap it as an :class:`Equilibrium`.

    Parameters
    ----------
    game : NormalFormGame
    profile : list of sequences
        One probability vector per player.
    exact : bool
        Verify in rational arithmetic (probabilities become Fractions);
        otherwise in floats within :func:`~deterrence.solvers.verify.tolerance_for`.
    component : int, optional
        Index of the connected component (degenerate games).
    notes : tuple of str, optional
    tolerance : float, optional
        Regret tolerance for float profiles (the one the solver states);
        default :func:`~deterrence.solvers.verify.tolerance_for`.

    Raises
    ------
    SolverError
        If some player can gain by deviating (a solver bug, never user input).

    Examples
    --------
    >>> from fractions import Fraction
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> pennies = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> eq = matrix_equilibrium(pennies, [[Fraction(1, 2)] * 2, [Fraction(1, 2)] * 2], exact=True)
    >>> print(eq.payoffs[pennies.players[0]], eq.regret)
    0 0.0
    """
    from deterrence.solvers.verify import checked_regrets

    # Exact profiles are checked against the exact binary values of float payoffs (issue 13).
    profile, values, worst = checked_regrets(game.payoffs, profile, exact=exact, tolerance=tolerance)
    if exact:
        strategies = {
            p: dict(zip(labels, probs, strict=True))
            for p, labels, probs in zip(game.players, game.strategies, profile, strict=True)
        }
        paid = dict(zip(game.players, values, strict=True))
    else:
        strategies = {
            p: {s: float(v) for s, v in zip(labels, probs, strict=True)}
            for p, labels, probs in zip(game.players, game.strategies, profile, strict=True)
        }
        paid = {p: float(v) for p, v in zip(game.players, values, strict=True)}
    return Equilibrium(strategies, paid, exact, float(max(worst, 0)), component, notes)


def lift(game: Any, reduced: Any, eq: Equilibrium) -> Equilibrium:
    """Express an equilibrium of a reduced game over the full strategy sets (zero for removed ones).

    Examples
    --------
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> full = NormalFormGame.from_bimatrix([[1, 0]], [[1, 0]])
    >>> small = NormalFormGame.from_bimatrix([[1]], [[1]])
    >>> eq = matrix_equilibrium(small, [[1], [1]], exact=True)
    >>> lift(full, small, eq).strategies[full.players[1]] == {full.strategies[1][0]: 1, full.strategies[1][1]: 0}
    True
    """
    strategies = {
        player: {s: eq.strategies[player].get(s, 0) for s in labels}
        for player, labels in zip(game.players, game.strategies, strict=True)
    }
    return Equilibrium(strategies, eq.payoffs, eq.exact, eq.regret, eq.component, eq.notes)
