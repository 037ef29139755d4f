"""Check that a strategy profile is a Nash equilibrium.

For a normal-form game with payoff tensor :math:`u` and mixed profile
:math:`\\sigma`, the *regret* of player :math:`i` is

.. math:: r_i = \\max_{s_i} u_i(s_i, \\sigma_{-i}) - u_i(\\sigma),

and :math:`\\sigma` is a Nash equilibrium iff every :math:`r_i \\le 0`.  With
exact (rational) payoffs and probabilities the check is exact: the regret
must be exactly zero.  With floats it must be at most a stated tolerance
(:data:`FLOAT_TOLERANCE` by default, scaled by the payoff range).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.numbers import is_exact_array

__all__ = ["FLOAT_TOLERANCE", "deviation_payoffs", "regrets", "is_nash", "tolerance_for"]

#: Default tolerance on regret for float games, relative to the payoff range.
FLOAT_TOLERANCE = 1e-9


def tolerance_for(payoffs: np.ndarray) -> float:
    """Absolute regret tolerance for a float payoff array: ``FLOAT_TOLERANCE * max(1, range)``."""
    values = np.asarray(payoffs, dtype=np.float64)
    spread = float(values.max() - values.min()) if values.size else 0.0
    return FLOAT_TOLERANCE * max(1.0, spread)


def deviation_payoffs(payoffs: np.ndarray, profile: Sequence[Any], player: int) -> np.ndarray:
    """Expected payoff of each pure strategy of ``player`` against the others' mixed strategies.

    Works on float arrays and, exactly, on object arrays of Fractions.
    """
    n = payoffs.ndim - 1
    tensor = payoffs[..., player]
    # Contract the other players' axes from the last to the first so axis numbers stay valid.
    for other in reversed(range(n)):
        if other == player:
            continue
        tensor = np.tensordot(tensor, np.asarray(profile[other], dtype=tensor.dtype), axes=([other], [0]))
    return tensor


def regrets(payoffs: np.ndarray, profile: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """Return ``(expected payoffs, regrets)`` of every player at a mixed profile.

    Examples
    --------
    >>> mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=object)
    >>> half = [Fraction(1, 2), Fraction(1, 2)]
    >>> values, gains = regrets(mp, [half, half])
    >>> print(values[0], gains[0], gains[1])
    0 0 0
    """
    values, gains = [], []
    for i in range(payoffs.ndim - 1):
        pure = deviation_payoffs(payoffs, profile, i)
        value = sum(p * v for p, v in zip(profile[i], pure))
        values.append(value)
        gains.append(max(pure) - value)
    return values, gains


def is_nash(payoffs: np.ndarray, profile: Sequence[Any], tolerance: float | None = None) -> bool:
    """True if no player gains by deviating (exactly, or within ``tolerance`` for floats).

    Probabilities must be non-negative and sum to one (exactly, or within the
    tolerance).

    Examples
    --------
    >>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=object)
    >>> is_nash(pd, [[0, 1], [0, 1]]), is_nash(pd, [[1, 0], [1, 0]])
    (True, False)
    """
    exact = is_exact_array(np.asarray(payoffs)) and all(is_exact_array(np.asarray(p, dtype=object)) for p in profile)
    if exact:
        payoffs = np.asarray(payoffs, dtype=object)
        profile = [[Fraction(v) for v in p] for p in profile]
        if any(v < 0 for p in profile for v in p) or any(sum(p) != 1 for p in profile):
            return False
        return all(g <= 0 for g in regrets(payoffs, profile)[1])
    payoffs = np.asarray(payoffs, dtype=np.float64)
    tol = tolerance_for(payoffs) if tolerance is None else tolerance
    profile = [np.asarray(p, dtype=np.float64) for p in profile]
    if any((p < -tol).any() or abs(p.sum() - 1) > tol for p in profile):
        return False
    return all(float(g) <= tol for g in regrets(payoffs, profile)[1])
