"""Evaluate parametric payoffs at one point or at a batch of points.

Symbolic payoffs are compiled once with :func:`sympy.lambdify` into a numpy
function; a batch of ``B`` parameter points then gives a payoff array with a
leading batch axis, ``(B,) + shape``, in one call.  This is the bridge from
the model library (sympy) to the batched solvers (numpy).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.errors import GameError

__all__ = ["substitute", "compile_values", "payoff_batch"]


def substitute(expr: Any, values: Mapping[str, Any]) -> Any:
    """Substitute values into a sympy expression; exact values give a Fraction, floats a float.

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> print(substitute(2 * x + 1, {"x": Fraction(1, 3)}))
    5/3
    """
    if not hasattr(expr, "free_symbols"):
        return expr
    import sympy

    mapping = {}
    for symbol in expr.free_symbols:
        name = str(symbol)
        if name not in values:
            raise GameError(f"no value given for parameter {name!r}")
        value = values[name]
        # numbers.Rational covers int, Fraction and numpy integers: they stay exact.
        exact = isinstance(value, numbers.Rational) and not isinstance(value, bool)
        if exact:
            mapping[symbol] = sympy.Rational(int(value.numerator), int(value.denominator))
        else:
            mapping[symbol] = sympy.Float(value)
    from deterrence.formula import substitute_checked

    result = substitute_checked(expr, mapping)  # refuses exact powers too large to compute
    if result.is_Rational:
        return Fraction(int(result.p), int(result.q))
    try:
        number = float(result)
    except (TypeError, OverflowError):
        raise GameError(f"expression {expr} did not evaluate to a real number") from None
    if not np.isfinite(number):
        raise GameError(f"expression {expr} is not finite ({number}) at these values")
    return number


def _as_sympy(value: Any, sympy: Any) -> Any:
    """A payoff as a sympy object; text goes through the safe parser, never ``sympify``."""
    if isinstance(value, str):
        from deterrence.formula import parse_formula

        return parse_formula(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.sympify(value)


def compile_values(values: np.ndarray, names: Sequence[str]) -> Any:
    """Compile an object array of expressions into ``f(*columns) -> float array``.

    Returns a function taking one 1-D array per name (length ``B``) and
    returning an array of shape ``(B,) + values.shape``.
    """
    import sympy

    # Parameters are identified by name, whatever assumptions their symbols carry.
    symbols = [sympy.Symbol(n, real=True) for n in names]
    by_name = dict(zip(names, symbols))
    flat = [_as_sympy(v, sympy) for v in values.flat]
    used = set().union(*(e.free_symbols for e in flat))
    unknown = sorted(str(s) for s in used if str(s) not in by_name)
    if unknown:
        raise GameError(f"payoffs use parameters not supplied: {unknown}")
    rename = {s: by_name[str(s)] for s in used}
    flat = [e.xreplace(rename) for e in flat]
    function = sympy.lambdify(symbols, flat, modules="numpy")
    shape = values.shape

    def evaluate(*columns: np.ndarray) -> np.ndarray:
        size = len(columns[0]) if columns else 1
        columns = tuple(np.asarray(c, dtype=np.float64) for c in columns)
        out = np.empty((len(flat), size), dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for i, value in enumerate(function(*columns)):
                out[i] = value  # constants broadcast over the batch
        bad = ~np.isfinite(out)
        if bad.any():
            row, point = (int(v[0]) for v in np.nonzero(bad))
            where = ", ".join(f"{n}={float(c[point]):g}" for n, c in zip(names, columns, strict=True))
            raise GameError(
                f"payoff {flat[row]} is not finite at {int(bad.any(axis=0).sum())} of {size} points, "
                f"e.g. {out[row, point]} at {where or 'every point'}"
            )
        return np.moveaxis(out, 0, -1).reshape((size,) + shape)

    return evaluate


def payoff_batch(values: np.ndarray, points: Mapping[str, Any]) -> np.ndarray:
    """Evaluate symbolic payoffs at a batch of parameter points.

    Parameters
    ----------
    values : ndarray of object
        Payoffs (any shape) that may contain sympy expressions.
    points : mapping of str to array_like
        One 1-D array of length ``B`` per parameter name.

    Returns
    -------
    ndarray of float64, shape ``(B,) + values.shape``

    Examples
    --------
    >>> import sympy
    >>> c = sympy.Symbol("c", real=True)
    >>> arr = np.array([c, 1 - c], dtype=object)
    >>> print(payoff_batch(arr, {"c": [0.0, 0.25]}).tolist())
    [[0.0, 1.0], [0.25, 0.75]]
    """
    names = sorted(points)
    columns = [np.atleast_1d(np.asarray(points[n], dtype=np.float64)) for n in names]
    sizes = {len(c) for c in columns}
    if len(sizes) > 1:
        raise GameError(f"parameter arrays have different lengths: {sorted(sizes)}")
    return compile_values(np.asarray(values, dtype=object), names)(*columns)
