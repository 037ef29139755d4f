"""Check that a strategy profile is a Nash equilibrium.

For a normal-form game with payoff tensor :math:`u` and mixed profile
:math:`\\sigma`, the *regret* of player :math:`i` is

.. math:: r_i = \\max_{s_i} u_i(s_i, \\sigma_{-i}) - u_i(\\sigma),

and :math:`\\sigma` is a Nash equilibrium iff every :math:`r_i \\le 0`.  With
exact (rational) payoffs and probabilities the check is exact: the regret
must be exactly zero.  With floats it must be at most a stated tolerance
(:data:`FLOAT_TOLERANCE` by default, scaled by the payoff range).

An *exact* profile of a *float* game (exact vertex enumeration of the
floats' binary values) is checked against those binary values: every float
is a dyadic rational and ``Fraction(x)`` is exactly ``x``, so the check stays
exact (:func:`exact_payoffs`, :func:`checked_regrets`).  Mixing Fractions
with floats instead would round, and a true equilibrium could show a regret
of ``1e-17``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.errors import SolverError
from deterrence.numbers import as_exact, is_exact_array, is_exact_value

__all__ = [
    "FLOAT_TOLERANCE",
    "checked_regrets",
    "deviation_payoffs",
    "exact_payoffs",
    "is_nash",
    "regrets",
    "tolerance_for",
]

#: Default tolerance on regret for float games, relative to the payoff range.
FLOAT_TOLERANCE = 1e-9


def tolerance_for(payoffs: np.ndarray) -> float:
    """Absolute regret tolerance for a float payoff array: ``FLOAT_TOLERANCE * max(1, range)``."""
    values = np.asarray(payoffs, dtype=np.float64)
    spread = float(values.max() - values.min()) if values.size else 0.0
    return FLOAT_TOLERANCE * max(1.0, spread)


def deviation_payoffs(payoffs: np.ndarray, profile: Sequence[Any], player: int) -> np.ndarray:
    """Expected payoff of each pure strategy of ``player`` against the others' mixed strategies.

    Works on float arrays and, exactly, on object arrays of Fractions.  For
    object arrays only the strategies the others use are contracted, so a
    pure profile costs one slice, not a sum over every strategy.
    """
    n = payoffs.ndim - 1
    tensor = payoffs[..., player]
    # Contract the other players' axes from the last to the first so axis numbers stay valid.
    for other in reversed(range(n)):
        if other == player:
            continue
        weights = np.asarray(profile[other], dtype=tensor.dtype)
        if tensor.dtype == object:
            used = np.array([k for k, w in enumerate(weights.tolist()) if w], dtype=np.intp)
            if used.size == 1 and weights[used[0]] == 1:  # a pure strategy: a slice, no arithmetic
                tensor = np.take(tensor, used[0], axis=other)
                continue
            tensor, weights = np.take(tensor, used, axis=other), weights[used]
        tensor = np.tensordot(tensor, weights, axes=([other], [0]))
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
        # Unused strategies add exactly zero (payoffs are finite): skip them.
        value = sum(p * v for p, v in zip(profile[i], pure) if p)
        values.append(value)
        gains.append(max(pure) - value)
    return values, gains


def exact_payoffs(payoffs: Any) -> np.ndarray:
    """Object array of Fractions: exact entries as they are, each float as its exact binary value.

    Raises
    ------
    SolverError
        For an entry that is neither an int, a Fraction nor a finite float.

    Examples
    --------
    >>> print(exact_payoffs([0.5, 0.2, 3])[1] == Fraction(0.2), exact_payoffs([0.5])[0])
    True 1/2
    """
    array = np.asarray(payoffs, dtype=object)
    if all(type(v) is Fraction for v in array.flat):  # already exact (the common case): no copy
        return array
    out = np.empty(array.shape, dtype=object)
    for index, value in np.ndenumerate(array):
        if is_exact_value(value):
            out[index] = as_exact(value)
        elif isinstance(value, (float, np.floating)) and np.isfinite(value):
            out[index] = Fraction(float(value))
        else:
            raise SolverError(f"payoff {value!r} is not a finite number")
    return out


_ZERO, _ONE = Fraction(0), Fraction(1)


def _all_exact(array: np.ndarray) -> bool:
    """:func:`~deterrence.numbers.is_exact_array`, with a fast path for plain ints and Fractions."""
    if array.dtype == object and all(type(v) is Fraction or type(v) is int for v in array.flat):
        return True
    return is_exact_array(array)


def _as_fraction(value: Any) -> Fraction:
    """``Fraction(value)``, sharing the objects for 0 and 1 (pure profiles are mostly those)."""
    if type(value) is Fraction:
        return value
    if type(value) is int and value in (0, 1):
        return _ONE if value else _ZERO
    return Fraction(value)


def checked_regrets(
    payoffs: Any, profile: Sequence[Any], *, exact: bool, tolerance: float | None = None, what: str = "solver"
) -> tuple[list[Any], list[Any], Any]:
    """Verify that a profile is a Nash equilibrium; return ``(profile, values, worst regret)``.

    With ``exact`` the profile is made of Fractions and checked exactly
    against :func:`exact_payoffs` (the binary values of float payoffs): the
    regret must be zero.  Otherwise it is checked in float64 and the worst
    regret must be at most ``tolerance`` (default :func:`tolerance_for`).

    Raises
    ------
    SolverError
        If the profile is not a probability vector per player or some player
        gains more than allowed.  For a correct solver this cannot happen, so
        the message names it as an internal error.

    Examples
    --------
    The row player's second strategy pays 0.2 whatever the column player
    does, so the column player's equilibrium weight on column 2 is the
    binary value of 0.2, which is not 1/5:

    >>> game = [[[0.0, 1.0], [1.0, 0.0]], [[0.2, 0.0], [0.2, 1.0]]]
    >>> x, y = [Fraction(1, 2)] * 2, [1 - Fraction(0.2), Fraction(0.2)]
    >>> print(checked_regrets(game, [x, y], exact=True)[2])
    0
    >>> try:
    ...     checked_regrets(game, [x, [Fraction(4, 5), Fraction(1, 5)]], exact=True)
    ... except SolverError as err:
    ...     print(str(err)[:63])
    internal error: the solver returned a profile that is not an eq
    """
    if exact:
        table = exact_payoffs(payoffs)
        profile = [[_as_fraction(v) for v in p] for p in profile]
        limit: Any = 0
        # Signs from numerators and sums over the support: Fraction comparisons are slow.
        proper = all(min(v.numerator for v in p) >= 0 and sum(v for v in p if v.numerator) == 1 for p in profile)
    else:
        table = np.asarray(payoffs, dtype=np.float64)
        profile = [np.asarray(p, dtype=np.float64) for p in profile]
        limit = tolerance_for(table) if tolerance is None else float(tolerance)
        proper = all(p.min() >= -limit and abs(p.sum() - 1) <= max(limit, FLOAT_TOLERANCE) for p in profile)
    values, gains = regrets(table, profile)
    worst = max(gains)
    if not proper:
        raise SolverError(f"internal error: the {what} returned a profile that is not a probability vector per player")
    if worst > limit:
        raise SolverError(
            f"internal error: the {what} returned a profile that is not an equilibrium "
            f"(regret {float(worst):.3g} above the tolerance {float(limit):g}{' (exact)' if exact else ''}); "
            "please report this game"
        )
    return profile, values, worst


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
    exact = _all_exact(np.asarray(payoffs)) and all(_all_exact(np.asarray(p, dtype=object)) for p in profile)
    if exact:
        payoffs = np.asarray(payoffs, dtype=object)
        profile = [[_as_fraction(v) for v in p] for p in profile]
        if any(v.numerator < 0 for p in profile for v in p) or any(
            sum(v for v in p if v.numerator) != 1 for p in profile
        ):
            return False
        return all(g <= 0 for g in regrets(payoffs, profile)[1])
    payoffs = np.asarray(payoffs, dtype=np.float64)
    tol = tolerance_for(payoffs) if tolerance is None else tolerance
    profile = [np.asarray(p, dtype=np.float64) for p in profile]
    if any((p < -tol).any() or abs(p.sum() - 1) > tol for p in profile):
        return False
    return all(float(g) <= tol for g in regrets(payoffs, profile)[1])
