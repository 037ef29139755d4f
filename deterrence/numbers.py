"""Exact and floating-point payoff values.

Payoffs are kept exact (:class:`fractions.Fraction`) whenever the input is
exact: integers, fractions, decimal strings in game files.  Floats stay
floats.  Symbolic payoffs are sympy expressions and are handled by
:mod:`deterrence.normal_form` and :mod:`deterrence.evaluate`.
"""

from __future__ import annotations

import numbers
import sys
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "MAX_DIGITS",
    "as_exact",
    "exact_array",
    "exact_text",
    "int_text",
    "is_exact_array",
    "is_exact_value",
    "to_json_value",
    "too_many_digits",
]

#: Most decimal digits accepted in the numerator or the denominator of a
#: number read from user input (game files, scenarios, ``--set``).  Python
#: refuses to convert integers of more than 4300 digits between text and
#: ``int`` (``sys.int_info.str_digits_check_threshold``); the readers refuse
#: longer numbers first, with a message naming this limit.  Results computed
#: from such numbers can be longer still; :func:`exact_text` writes them in full.
MAX_DIGITS = 4000
_DIGIT_BOUND = 10**MAX_DIGITS
# Integers of at most this many bits have fewer than 4000 digits, so str()
# converts them whatever sys.get_int_max_str_digits() is set to.
_SAFE_BITS = 13_000


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
    out = np.empty(array.size, dtype=object)
    out[:] = [as_exact(value) for value in array.flat]  # a list, not np.array(list): no shape guessing
    return out.reshape(array.shape)


def too_many_digits(value: Any) -> bool:
    """True when an int's or Fraction's numerator or denominator has more than :data:`MAX_DIGITS` digits.

    Examples
    --------
    >>> too_many_digits(10**4000 - 1), too_many_digits(Fraction(1, 10**4000))
    (False, True)
    """
    if isinstance(value, Fraction):
        return abs(value.numerator) >= _DIGIT_BOUND or value.denominator >= _DIGIT_BOUND
    return abs(int(value)) >= _DIGIT_BOUND


def int_text(value: int) -> str:
    """The decimal text of an integer of any size.

    ``str()`` refuses integers of more than 4300 digits (Python's guard
    against slow conversions, set process-wide by
    ``sys.set_int_max_str_digits``); this splits a long integer into halves
    by ``divmod`` with a power of ten until the pieces are short enough for
    ``str()``, so exact results of any length can be printed.

    Examples
    --------
    >>> text = int_text(-(10**5000) - 7)
    >>> len(text), text[:3], text[-3:]
    (5002, '-10', '007')
    """
    value = int(value)
    if value < 0:
        return "-" + int_text(-value)
    if value.bit_length() <= _SAFE_BITS or sys.get_int_max_str_digits() == 0:
        return str(value)
    half = int(value.bit_length() * 0.30102999566398) // 2  # about half the digits
    high, low = divmod(value, 10**half)
    return int_text(high) + int_text(low).rjust(half, "0")


def exact_text(value: Any) -> str:
    """``"p/q"`` (or ``"p"`` for an integer) for an int or Fraction of any size.

    Examples
    --------
    >>> exact_text(Fraction(-2, 6)), exact_text(Fraction(4, 2)), exact_text(7)
    ('-1/3', '2', '7')
    """
    value = as_exact(value)
    if value.denominator == 1:
        return int_text(value.numerator)
    return f"{int_text(value.numerator)}/{int_text(value.denominator)}"


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
        return exact_text(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"cannot encode {value!r} as a JSON number")
