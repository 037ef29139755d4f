"""Tests of Parameter, ParameterSet and TOML scenario files (deterrence.parameters)."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest
import sympy

from deterrence.errors import DeterrenceError, ParameterError
from deterrence.parameters import Parameter, ParameterSet, Scenario


@pytest.fixture()
def params():
    return ParameterSet(
        [
            Parameter(
                "crash_cost",
                10,
                0,
                100,
                "payoff units",
                "cost of a collision",
                ("C4",),
                "calibration",
            ),
            Parameter(
                "p_retaliation",
                Fraction(1, 2),
                0,
                1,
                "probability",
                "chance of retaliation",
                ("C2", "C5"),
            ),
            Parameter("discount", 0.9, 0.5, 1.0, "per round", "patience"),
        ]
    )


# -- Parameter ----------------------------------------------------------------
def test_parameter_fields_and_exact_numbers():
    p = Parameter("crash_cost", 10, 0, 100, "payoff units", "cost of a collision", ["C4"], "calibration")
    assert p.default == Fraction(10) and isinstance(p.default, Fraction)
    assert (p.low, p.high) == (0, 100)
    assert p.claims == ("C4",)
    assert p.symbol == sympy.Symbol("crash_cost", real=True)
    assert p.to_dict() == {
        "name": "crash_cost",
        "default": 10.0,
        "low": 0.0,
        "high": 100.0,
        "unit": "payoff units",
        "meaning": "cost of a collision",
        "claims": ["C4"],
        "source": "calibration",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("12.5", Fraction(25, 2), id="decimal-text-exact"),
        pytest.param("1/3", Fraction(1, 3), id="fraction-text"),
        pytest.param(0, Fraction(0), id="low-bound-inclusive"),
        pytest.param(100, Fraction(100), id="high-bound-inclusive"),
        pytest.param(2.5, 2.5, id="float-stays-float"),
        pytest.param(np.int64(7), Fraction(7), id="numpy-int-exact"),
        pytest.param(np.float64(0.25), 0.25, id="numpy-float"),
        pytest.param(sympy.Rational(1, 3), Fraction(1, 3), id="sympy-rational"),
    ],
)
def test_validate_accepts_numbers(value, expected):
    p = Parameter("crash_cost", 10, 0, 100)
    result = p.validate(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(101, r"parameter 'crash_cost' = 101 is outside its range \[0, 100\]", id="above"),
        pytest.param(-0.001, r"= -0.001 is outside its range \[0, 100\]", id="below"),
        pytest.param("2*3", r"expected a number, got '2\*3' \(formulas are not allowed here\)", id="formula"),
        pytest.param("crash", r"expected a number, got 'crash'", id="name"),
        pytest.param(True, r"expected a number, got a boolean", id="bool"),
        pytest.param(float("nan"), r"expected a finite number, got nan", id="nan"),
        pytest.param(float("inf"), r"expected a finite number", id="inf"),
        pytest.param(np.float32("nan"), r"expected a finite number", id="numpy-nan"),
        pytest.param(None, r"expected a number, got NoneType", id="none"),
        pytest.param(sympy.Symbol("x"), r"expected a number, got Symbol", id="symbol"),
        pytest.param([1], r"expected a number, got list", id="list"),
    ],
)
def test_validate_refuses(value, message):
    p = Parameter("crash_cost", 10, 0, 100)
    with pytest.raises(ParameterError) as info:
        p.validate(value)
    assert re.search(message, str(info.value)), str(info.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("bad name", 1, 0, 2), "is not a valid identifier", id="space-in-name"),
        pytest.param(("_hidden", 1, 0, 2), "is not a valid identifier", id="underscore-name"),
        pytest.param(("2x", 1, 0, 2), "is not a valid identifier", id="digit-first"),
        pytest.param(("a", 3, 0, 2), r"default 3 is outside \[0, 2\]", id="default-out-of-bounds"),
        pytest.param(("a", 1, 2, 0), r"default 1 is outside \[2, 0\]", id="inverted-bounds"),
        pytest.param(("a", "x", 0, 2), "expected a number", id="default-not-number"),
    ],
)
def test_bad_parameter_definitions(args, message):
    with pytest.raises(ParameterError, match=message):
        Parameter(*args)


def test_parameter_is_frozen():
    p = Parameter("a", 1, 0, 2)
    with pytest.raises(AttributeError):
        p.default = 2


# -- ParameterSet -------------------------------------------------------------
def test_set_container_protocol(params):
    assert params.names == ("crash_cost", "p_retaliation", "discount")
    assert len(params) == 3
    assert "discount" in params and "nope" not in params
    assert [p.name for p in params] == list(params.names)
    assert params["discount"].default == 0.9
    assert repr(params) == "<ParameterSet crash_cost, p_retaliation, discount>"


def test_defaults_and_bounds(params):
    assert params.defaults() == {"crash_cost": 10, "p_retaliation": Fraction(1, 2), "discount": 0.9}
    assert params.bounds() == {
        "crash_cost": (0.0, 100.0),
        "p_retaliation": (0.0, 1.0),
        "discount": (0.5, 1.0),
    }
    assert params.bounds(["discount"]) == {"discount": (0.5, 1.0)}


def test_point_overrides_defaults(params):
    point = params.point({"crash_cost": 4}, discount="0.75")
    assert point == {"crash_cost": 4, "p_retaliation": Fraction(1, 2), "discount": Fraction(3, 4)}


def test_point_keyword_wins_over_mapping(params):
    assert params.point({"crash_cost": 4}, crash_cost=5)["crash_cost"] == 5


def test_unknown_name_with_suggestion(params):
    with pytest.raises(ParameterError) as info:
        params.point(crash_cots=3)
    assert str(info.value) == (
        "unknown parameter 'crash_cots' (did you mean 'crash_cost'?); "
        "known parameters: crash_cost, p_retaliation, discount"
    )


def test_unknown_name_without_close_match(params):
    with pytest.raises(ParameterError) as info:
        params["zzz"]
    assert "did you mean" not in str(info.value)
    assert "known parameters: crash_cost, p_retaliation, discount" in str(info.value)


def test_point_out_of_bounds(params):
    with pytest.raises(ParameterError, match=r"'p_retaliation' = 1.5 is outside its range \[0, 1\]"):
        params.point(p_retaliation=1.5)


def test_duplicate_parameter_names():
    with pytest.raises(ParameterError, match="'a' is defined twice"):
        ParameterSet([Parameter("a", 1, 0, 2), Parameter("a", 0, 0, 2)])


def test_with_defaults_replaces_and_validates(params):
    shifted = params.with_defaults({"crash_cost": 20})
    assert shifted.defaults()["crash_cost"] == 20
    assert params.defaults()["crash_cost"] == 10  # the original is unchanged
    with pytest.raises(ParameterError):
        params.with_defaults({"crash_cost": 200})


def test_to_list_is_json_ready(params):
    import json

    listed = params.to_list()
    assert [d["name"] for d in listed] == list(params.names)
    assert listed[1]["default"] == 0.5 and listed[1]["claims"] == ["C2", "C5"]
    json.dumps(listed)


def test_empty_set():
    empty = ParameterSet([])
    assert len(empty) == 0 and empty.point() == {} and empty.names == ()


# -- --set parsing ------------------------------------------------------------
def test_parse_assignments(params):
    values = params.parse_assignments(["crash_cost=4", " discount = 0.6 ", "p_retaliation=1/3"])
    assert values == {"crash_cost": 4, "discount": Fraction(3, 5), "p_retaliation": Fraction(1, 3)}
    assert all(isinstance(v, Fraction) for v in values.values())


def test_parse_assignments_later_wins(params):
    assert params.parse_assignments(["crash_cost=4", "crash_cost=5"]) == {"crash_cost": 5}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("crash_cost", r"--set expects NAME=VALUE, got 'crash_cost'", id="no-equals"),
        pytest.param("=4", r"--set expects NAME=VALUE", id="no-name"),
        pytest.param("crash_cost=", r"--set expects NAME=VALUE", id="no-value"),
        pytest.param("crash_cost=2*3", r"formulas are not allowed here", id="formula"),
        pytest.param("crash_cost=discount", r"expected a number, got 'discount'", id="name-as-value"),
        pytest.param("crash_cost=__import__('os')", r"expected a number", id="code"),
        pytest.param("crash_cost=1000", r"outside its range \[0, 100\]", id="out-of-range"),
        pytest.param("crash=4", r"unknown parameter 'crash' \(did you mean 'crash_cost'\?\)", id="unknown"),
    ],
)
def test_parse_assignments_errors(params, text, message):
    with pytest.raises(ParameterError) as info:
        params.parse_assignments([text])
    assert re.search(message, str(info.value)), str(info.value)
    assert "\n" not in str(info.value)


# -- scenario files -----------------------------------------------------------
VALID_SCENARIO = """\
[scenario]
name = "costly war"
description = "A collision costs twice the baseline."

[parameters]
crash_cost = 20
p_retaliation = "1/3"
discount = 0.75
"""


def write(tmp_path, text, name="scenario.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_scenario(params, tmp_path):
    path = write(tmp_path, VALID_SCENARIO)
    scenario = params.load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert scenario.name == "costly war"
    assert scenario.description == "A collision costs twice the baseline."
    assert scenario.values == {"crash_cost": 20, "p_retaliation": Fraction(1, 3), "discount": 0.75}
    assert scenario.path == str(path)
    assert params.point(scenario.values)["crash_cost"] == 20


def test_scenario_without_metadata_uses_file_stem(params, tmp_path):
    scenario = params.load_scenario(write(tmp_path, "[parameters]\ncrash_cost = 3\n", "cheap.toml"))
    assert scenario.name == "cheap" and scenario.description == ""
    assert scenario.values == {"crash_cost": 3}


def test_empty_scenario_is_the_baseline(params, tmp_path):
    assert params.load_scenario(write(tmp_path, "")).values == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("[parameters\ncrash_cost = 3\n", r"malformed TOML in .*scenario\.toml: ", id="malformed"),
        pytest.param("[parameters]\ncrash_cost = \n", r"malformed TOML", id="missing-value"),
        pytest.param(
            "[parameters]\ncrash_cots = 3\n",
            r"scenario\.toml: unknown parameter 'crash_cots' \(did you mean 'crash_cost'\?\)",
            id="unknown-parameter",
        ),
        pytest.param(
            "[parameters]\ncrash_cost = 300\n",
            r"scenario\.toml: parameter 'crash_cost' = 300 is outside its range \[0, 100\]",
            id="out-of-bounds",
        ),
        pytest.param('[parameters]\ncrash_cost = "high"\n', r"expected a number, got 'high'", id="non-number"),
        pytest.param('[parameters]\ncrash_cost = "2*5"\n', r"formulas are not allowed", id="formula"),
        pytest.param("[parameters]\ncrash_cost = true\n", r"got a boolean", id="boolean"),
        pytest.param("[parameters]\ncrash_cost = nan\n", r"expected a finite number", id="nan"),
        pytest.param("[parameters]\ncrash_cost = 1979-05-27\n", r"expected a number, got date", id="date"),
        pytest.param(
            "[parameters]\ncrash_cost = [1, 2]\n",
            r"parameter 'crash_cost' must be a number, got a list",
            id="array",
        ),
        pytest.param(
            "[parameters.crash_cost]\nvalue = 1\n",
            r"must be a number, got a dict",
            id="nested-table",
        ),
        pytest.param(
            "[settings]\nx = 1\n",
            r"unexpected table\(s\) \['settings'\]; use \[scenario\] and \[parameters\]",
            id="unexpected-table",
        ),
        pytest.param("crash_cost = 3\n", r"unexpected table\(s\) \['crash_cost'\]", id="top-level-key"),
        pytest.param(
            "parameters = 3\n",
            r"\[scenario\] and \[parameters\] must be tables",
            id="parameters-not-table",
        ),
    ],
)
def test_bad_scenarios_give_one_line_parameter_errors(params, tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError) as info:
        params.load_scenario(path)
    assert re.search(message, str(info.value)), str(info.value)
    assert "\n" not in str(info.value)


def test_missing_scenario_file(params, tmp_path):
    with pytest.raises(ParameterError, match=r"scenario file not found: .*nowhere\.toml"):
        params.load_scenario(tmp_path / "nowhere.toml")


def test_scenario_that_is_a_directory(params, tmp_path):
    with pytest.raises(ParameterError, match="cannot read scenario file"):
        params.load_scenario(tmp_path)


def test_scenario_not_utf8(params, tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[scenario]\nname = "caf\xe9"\n')
    with pytest.raises(ParameterError, match="cannot read scenario file"):
        params.load_scenario(path)


def test_scenario_never_runs_code(params, tmp_path):
    # Scenario values are data: a string that looks like code is just a bad number.
    path = write(tmp_path, "[parameters]\ncrash_cost = \"__import__('os').system('touch pwned')\"\n")
    with pytest.raises(ParameterError, match="expected a number"):
        params.load_scenario(path)
    assert not (tmp_path / "pwned").exists()


def test_parameter_error_is_a_user_error():
    assert issubclass(ParameterError, DeterrenceError)


# -- huge numbers and deep nesting (each used to end in a traceback) --------------
@pytest.mark.parametrize(
    "value, message",
    [
        pytest.param("9" * 5000, r"a number has more than 4000 digits", id="5000-digit-integer"),
        pytest.param("9" * 4001, r"parameter 'crash_cost': a number with more than 4000 digits", id="4001-digits"),
        pytest.param("[" * 5000 + "]" * 5000, r"nested too deeply", id="lists-5000-deep"),
        pytest.param("{a = " * 3000 + "1" + "}" * 3000, r"nested too deeply", id="inline-tables-3000-deep"),
    ],
)
def test_scenario_with_huge_or_deep_values_gives_one_line(params, tmp_path, value, message):
    path = write(tmp_path, f"[parameters]\ncrash_cost = {value}\n")
    with pytest.raises(ParameterError, match=message) as info:
        params.load_scenario(path)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_scenario_integer_within_the_digit_limit_is_checked_against_bounds(params, tmp_path):
    path = write(tmp_path, "[parameters]\ncrash_cost = " + "9" * 4000 + "\n")
    with pytest.raises(ParameterError, match=r"is outside its range \[0, 100\]"):
        params.load_scenario(path)


def test_parameter_values_with_too_many_digits_are_refused(params):
    with pytest.raises(ParameterError, match="more than 4000 digits"):
        params.validate({"crash_cost": Fraction(1, 10**4000)})
    assert params.validate({"crash_cost": Fraction(1, 10**3999)})["crash_cost"] == Fraction(1, 10**3999)
