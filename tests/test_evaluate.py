"""Tests of point and batch evaluation of parametric payoffs (deterrence.evaluate)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.errors import FormulaError, GameError
from deterrence.forms.evaluate import compile_values, payoff_batch, substitute
from deterrence.formula import parse_formula

x, y = sympy.symbols("x y", real=True)


# -- substitute ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("expr", "values", "expected"),
    [
        pytest.param(2 * x + 1, {"x": Fraction(1, 3)}, Fraction(5, 3), id="fraction-exact"),
        pytest.param(2 * x + 1, {"x": 3}, Fraction(7), id="int-exact"),
        pytest.param(2 * x + 1, {"x": np.int64(3)}, Fraction(7), id="numpy-int-exact"),
        pytest.param(x / y, {"x": 1, "y": 3}, Fraction(1, 3), id="ratio-exact"),
        pytest.param(2 * x + 1, {"x": 0.25}, 1.5, id="float"),
        pytest.param(x * y, {"x": 0.5, "y": 3}, 1.5, id="mixed-is-float"),
        pytest.param(sympy.sqrt(x), {"x": 2}, 2**0.5, id="irrational-is-float"),
        pytest.param(sympy.Integer(4), {}, Fraction(4), id="constant"),
    ],
)
def test_substitute(expr, values, expected):
    result = substitute(expr, values)
    assert result == pytest.approx(expected, rel=1e-15)
    assert type(result) is type(expected)


def test_substitute_non_expression_passes_through():
    assert substitute(Fraction(1, 2), {}) == Fraction(1, 2)
    assert substitute(0.5, {}) == 0.5


def test_substitute_matches_symbols_by_name_whatever_their_assumptions():
    plain = sympy.Symbol("x")  # no real=True
    assert substitute(plain + x, {"x": 2}) == 4


def test_substitute_missing_value():
    with pytest.raises(GameError, match="no value given for parameter 'y'"):
        substitute(x + y, {"x": 1})


def test_substitute_complex_result_is_an_error():
    with pytest.raises(GameError, match="did not evaluate to a real number"):
        substitute(sympy.sqrt(x), {"x": -1})


# -- payoff_batch -------------------------------------------------------------
def test_batch_shape_and_values():
    values = np.array([[x, 1 - x], [x * y, 2]], dtype=object)
    out = payoff_batch(values, {"x": [0.0, 0.25, 1.0], "y": [2.0, 4.0, -1.0]})
    assert out.shape == (3, 2, 2)
    assert out.dtype == np.float64
    assert out.tolist() == [
        [[0.0, 1.0], [0.0, 2.0]],
        [[0.25, 0.75], [1.0, 2.0]],
        [[1.0, 0.0], [-1.0, 2.0]],
    ]


def test_batch_constants_broadcast():
    values = np.array([Fraction(1, 2), 3, x], dtype=object)
    out = payoff_batch(values, {"x": np.arange(4.0)})
    assert out[:, 0].tolist() == [0.5] * 4
    assert out[:, 1].tolist() == [3.0] * 4
    assert out[:, 2].tolist() == [0.0, 1.0, 2.0, 3.0]


def test_batch_scalar_point_is_batch_of_one():
    out = payoff_batch(np.array([2 * x], dtype=object), {"x": 1.5})
    assert out.shape == (1, 1) and out[0, 0] == 3.0


def test_batch_with_formula_functions():
    values = np.array(
        [parse_formula(t) for t in ["max(x, y)", "min(x, 1)", "abs(x)", "exp(0*x)", "sqrt(y)"]],
        dtype=object,
    )
    out = payoff_batch(values, {"x": [0.0, 2.0, -3.0], "y": [1.0, 4.0, 9.0]})
    assert out.tolist() == [
        [1.0, 0.0, 0.0, 1.0, 1.0],
        [4.0, 1.0, 2.0, 1.0, 2.0],
        [9.0, -3.0, 3.0, 1.0, 3.0],
    ]


def test_batch_unused_parameters_are_ignored():
    out = payoff_batch(np.array([x], dtype=object), {"x": [1.0, 2.0], "unused": [5.0, 6.0]})
    assert out.tolist() == [[1.0], [2.0]]


def test_batch_missing_parameter():
    with pytest.raises(GameError, match=r"payoffs use parameters not supplied: \['y'\]"):
        payoff_batch(np.array([x + y], dtype=object), {"x": [1.0]})


def test_batch_lengths_must_agree():
    with pytest.raises(GameError, match=r"different lengths: \[2, 3\]"):
        payoff_batch(np.array([x + y], dtype=object), {"x": [1.0, 2.0], "y": [1.0, 2.0, 3.0]})


def test_batch_text_goes_through_the_safe_parser():
    out = payoff_batch(np.array(["2*x", "1/4"], dtype=object), {"x": [1.0, 3.0]})
    assert out.tolist() == [[2.0, 0.25], [6.0, 0.25]]
    with pytest.raises(FormulaError, match="function '__import__' is not allowed"):
        payoff_batch(np.array(["__import__('os')"], dtype=object), {})


def test_compile_values_reusable():
    f = compile_values(np.array([[x, y]], dtype=object), ["x", "y"])
    assert f(np.array([1.0]), np.array([2.0])).tolist() == [[[1.0, 2.0]]]
    assert f(np.array([3.0, 4.0]), np.array([0.0, 0.0])).shape == (2, 1, 2)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(-9, 9), min_size=4, max_size=4),
    st.lists(st.floats(-100, 100, allow_nan=False), min_size=1, max_size=6),
)
def test_batch_agrees_with_pointwise_substitution(coefficients, points):
    a, b, c, d = coefficients
    values = np.array([a * x + b, c * x**2 - d], dtype=object)
    out = payoff_batch(values, {"x": points})
    for row, point in zip(out, points, strict=True):
        expected = [float(substitute(v, {"x": point})) for v in values]
        assert row.tolist() == pytest.approx(expected, rel=1e-12, abs=1e-9)
