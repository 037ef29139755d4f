"""Exact and floating-point payoff values.

Payoffs are kept exact (:class:`fractions.Fraction`) whenever the input is
exact: integers, fractions, decimal strings in game files.  Floats stay
floats.  Symbolic payoffs are sympy expressions and are handled by
:mod:`deterrence.normal_form` and :mod:`deterrence.evaluate`.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["as_exact", "is_exact_value", "to_json_value", "exact_array", "is_exact_array"]


def is_exact_value(value: Any) -> bool:
    """Return True for ints and Fractions (not bools, floats or symbols).

    Examples
    --------
    >>> is_exact_value(Fraction(1, 3)), is_exact_value(0.5)
    (True, False)
    """
    return isinstance(value, (int, Fraction, np.integer)) and not isinstance(value, bool)


def as_exact(value: Any) -> Fraction:
    """Convert an int, Fraction or sympy Rational to a Fraction.

    Raises
    ------
    TypeError
        If the value is not exactly rational (for example a float).

    Examples
    --------
    >>> print(as_exact(3))
    3
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Fraction(int(value))
    if getattr(value, "is_Rational", False):  # sympy Rational without importing sympy
        return Fraction(int(value.p), int(value.q))
    raise TypeError(f"{value!r} is not an exact rational number")


def is_exact_array(array: np.ndarray) -> bool:
    """Return True when every entry of an object array is an int or Fraction."""
    if array.dtype != object:
        return np.issubdtype(array.dtype, np.integer)
    return all(is_exact_value(v) for v in array.flat)


def exact_array(values: Any) -> np.ndarray:
    """Return an object array of Fractions with the shape of ``values``.

    Examples
    --------
    >>> a = exact_array([[1, 2], [Fraction(1, 2), 0]])
    >>> print(a[1, 0])
    1/2
    """
    array = np.asarray(values, dtype=object)
    out = np.empty(array.shape, dtype=object)
    for index, value in np.ndenumerate(array):
        out[index] = as_exact(value)
    return out


def to_json_value(value: Any) -> str | float | int:
    """Encode a payoff or probability for the stable JSON schema.

    Exact values become strings such as ``"2/3"`` (integers as ``"2"``);
    everything else becomes a JSON number.

    Examples
    --------
    >>> to_json_value(Fraction(2, 3)), to_json_value(0.25)
    ('2/3', 0.25)
    """
    if is_exact_value(value) or getattr(value, "is_Rational", False):
        return str(as_exact(value))
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"cannot encode {value!r} as a JSON number")
