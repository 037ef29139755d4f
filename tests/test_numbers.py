"""Tests of exact payoff values (deterrence.numbers) and of result JSON (deterrence.result)."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy

from deterrence import __version__
from deterrence.forms.normal_form import NormalFormGame
from deterrence.numbers import (
    MAX_DIGITS,
    as_exact,
    exact_array,
    exact_text,
    int_text,
    is_exact_array,
    is_exact_value,
    to_json_value,
    too_many_digits,
)
from deterrence.solvers.result import Equilibrium, SolveResult


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        pytest.param(3, True, id="int"),
        pytest.param(Fraction(1, 3), True, id="fraction"),
        pytest.param(np.int64(2), True, id="numpy-int"),
        pytest.param(True, False, id="bool"),
        pytest.param(0.5, False, id="float"),
        pytest.param(np.float64(0.5), False, id="numpy-float"),
        pytest.param(sympy.Symbol("x"), False, id="symbol"),
        pytest.param("1", False, id="text"),
    ],
)
def test_is_exact_value(value, exact):
    assert is_exact_value(value) is exact


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(3, Fraction(3), id="int"),
        pytest.param(Fraction(2, 6), Fraction(1, 3), id="fraction"),
        pytest.param(np.int32(-4), Fraction(-4), id="numpy-int"),
        pytest.param(sympy.Rational(-2, 3), Fraction(-2, 3), id="sympy-rational"),
        pytest.param(sympy.Integer(5), Fraction(5), id="sympy-integer"),
    ],
)
def test_as_exact(value, expected):
    result = as_exact(value)
    assert result == expected and type(result) is Fraction


@pytest.mark.parametrize("value", [0.5, True, "1/2", sympy.Symbol("x"), sympy.Float(0.5)])
def test_as_exact_refuses_inexact(value):
    with pytest.raises(TypeError, match="not an exact rational"):
        as_exact(value)


def test_exact_array_and_is_exact_array():
    a = exact_array([[1, 2], [Fraction(1, 2), np.int64(0)]])
    assert a.dtype == object and a.shape == (2, 2)
    assert all(type(v) is Fraction for v in a.flat)
    assert a[1, 0] == Fraction(1, 2)
    assert is_exact_array(a)
    assert is_exact_array(np.array([[1, 2]], dtype=np.int64))
    assert not is_exact_array(np.array([0.5]))
    assert not is_exact_array(np.array([Fraction(1, 2), 0.5], dtype=object))
    with pytest.raises(TypeError):
        exact_array([0.5])


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        pytest.param(Fraction(2, 3), "2/3", id="fraction"),
        pytest.param(Fraction(4, 2), "2", id="integral-fraction"),
        pytest.param(3, "3", id="int"),
        pytest.param(sympy.Rational(-1, 4), "-1/4", id="sympy"),
        pytest.param(0.25, 0.25, id="float"),
        pytest.param(np.float64(0.5), 0.5, id="numpy-float"),
    ],
)
def test_to_json_value(value, encoded):
    result = to_json_value(value)
    assert result == encoded and type(result) is type(encoded)


def test_to_json_value_refuses_symbols():
    with pytest.raises(TypeError, match="cannot encode"):
        to_json_value(sympy.Symbol("x"))


# -- result objects and their JSON schema -------------------------------------
def _game():
    return NormalFormGame(
        ["Row", "Column"],
        [["A", "B"], ["A", "B"]],
        [[[2, 1], [0, 0]], [[0, 0], [1, 2]]],
        title="BoS",
    )


def test_equilibrium_to_dict_exact():
    eq = Equilibrium(
        {
            "Row": {"A": Fraction(2, 3), "B": Fraction(1, 3)},
            "Column": {"A": Fraction(1, 3), "B": Fraction(2, 3)},
        },
        {"Row": Fraction(2, 3), "Column": Fraction(2, 3)},
        exact=True,
    )
    assert eq.to_dict() == {
        "strategies": {"Row": {"A": "2/3", "B": "1/3"}, "Column": {"A": "1/3", "B": "2/3"}},
        "payoffs": {"Row": "2/3", "Column": "2/3"},
        "regret": 0.0,
    }


def test_equilibrium_to_dict_optional_fields():
    eq = Equilibrium(
        {"P": {"x": 1.0}},
        {"P": 0.5},
        exact=False,
        regret=1e-12,
        component=2,
        notes=("tie at root",),
    )
    assert eq.to_dict() == {
        "strategies": {"P": {"x": 1.0}},
        "payoffs": {"P": 0.5},
        "regret": 1e-12,
        "component": 2,
        "notes": ["tie at root"],
    }


def test_solve_result_schema_and_sequence_protocol():
    eqs = (
        Equilibrium({"Row": {"A": 1, "B": 0}, "Column": {"A": 1, "B": 0}}, {"Row": 2, "Column": 1}, True),
        Equilibrium({"Row": {"A": 0, "B": 1}, "Column": {"A": 0, "B": 1}}, {"Row": 1, "Column": 2}, True),
    )
    result = SolveResult(_game(), "pure", "pure", eqs, complete=True, degenerate=False, notes=("n",))
    assert len(result) == 2 and result[1] is eqs[1] and list(result) == list(eqs)
    data = result.to_dict()
    assert set(data) == {
        "game",
        "concept",
        "method",
        "complete",
        "degenerate",
        "equilibria",
        "tolerance",
        "notes",
        "version",
    }
    assert data["game"] == {"title": "BoS", "players": ["Row", "Column"]}
    assert data["equilibria"][0]["strategies"] == {
        "Row": {"A": "1", "B": "0"},
        "Column": {"A": "1", "B": "0"},
    }
    assert data["complete"] is True and data["degenerate"] is False
    assert data["version"] == __version__
    assert json.loads(json.dumps(data)) == data
    assert repr(result) == "<SolveResult pure/pure: 2 equilibria, complete>"


def test_solve_result_repr_flags():
    r = SolveResult(_game(), "nash", "x", (), complete=False, degenerate=True)
    assert repr(r) == "<SolveResult nash/x: 0 equilibria, possibly incomplete, degenerate>"


def test_results_are_frozen():
    eq = Equilibrium({}, {}, True)
    with pytest.raises(AttributeError):
        eq.exact = False


# -- numbers of any length ----------------------------------------------------------
@pytest.mark.parametrize("digits", [1, 3999, 4000, 4301, 9000, 20001])
def test_int_text_writes_integers_beyond_the_str_limit(digits):
    value = 10 ** (digits - 1) + 12345 * (digits > 5) + 7
    text = int_text(-value)
    assert len(text) == digits + 1 and text[0] == "-"
    # Read back in pieces below the conversion limit, so the check does not rely on str().
    back = 0
    for start in range(1, len(text), 1000):
        piece = text[start : start + 1000]
        back = back * 10 ** len(piece) + int(piece)
    assert back == value


def test_exact_text_and_json_of_a_5000_digit_fraction():
    value = Fraction(10**5000 + 1, 3)
    text = exact_text(value)
    numerator, _, denominator = text.partition("/")
    assert denominator == "3" and len(numerator) == 5001 and numerator.endswith("00001")
    assert to_json_value(value) == text
    assert json.loads(json.dumps({"v": to_json_value(value)}))["v"] == text


def test_too_many_digits_bounds():
    assert not too_many_digits(-(10**MAX_DIGITS) + 1)
    assert too_many_digits(-(10**MAX_DIGITS))
    assert too_many_digits(Fraction(1, 10**MAX_DIGITS)) and not too_many_digits(Fraction(1, 10**MAX_DIGITS - 1))
