"""Thresholds: bisection on the model's own labels, Brent refinement, sympy formulas that agree."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from classic_models import CHICKEN
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from deterrence.analysis.outcomes import normal_form_outcomes, tree_outcomes
from deterrence.analysis.thresholds import (
    bisect_labels,
    find_thresholds,
    indifference_conditions,
    symbolic_threshold,
)
from deterrence.errors import DeterrenceError, ParameterError
from deterrence.forms.normal_form import NormalFormGame
from deterrence.library import get_model
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from games.classic import chicken
from games.zagare_kilgour import GENERIC_DETERRENCE_PARAMETERS, generic_deterrence_game

GDG = Model(
    "gdg-test",
    "GDG",
    "",
    generic_deterrence_game,
    GENERIC_DETERRENCE_PARAMETERS,
    outcomes=tree_outcomes(generic_deterrence_game),
    concepts=("spe",),
)


def three_by_two(a=None, b=None, c=None):
    """A 3x2 game whose equilibria change at a = 1, b = 2, c = 1 and where a*b - 2a + 2 = 0."""
    given = zip("abc", (a, b, c), strict=True)
    v = {k: sympy.Symbol(k, real=True) if x is None else x for k, x in given}
    return NormalFormGame(
        ["P", "Q"],
        [["u", "m", "d"], ["l", "r"]],
        [[[v["a"], 1], [0, 0]], [[1, 0], [v["b"], 2]], [[0, v["c"]], [2, 1]]],
    )


THREE = Model(
    "three-by-two",
    "",
    "",
    three_by_two,
    ParameterSet([Parameter(n, 0, -3, 3) for n in "abc"]),
    outcomes=normal_form_outcomes(three_by_two),
)


def _check(t):
    """The numeric root lies in (or in the tie band of) the model's own bracket; sympy agrees."""
    lo, hi = t.bracket
    band = 1e-6 * max(1.0, abs(lo))
    assert t.method == "brentq" and t.agree is True
    assert lo - band <= t.value <= hi + band
    assert t.symbolic_value == pytest.approx(t.value, rel=1e-9, abs=1e-9)


@settings(max_examples=8, deadline=None)
@given(win=st.floats(0.1, 10), face=st.floats(0.05, 9.5))
def test_chicken_threshold_is_crash_cost_equals_face_loss(win, face):
    [t] = find_thresholds(CHICKEN, "crash_cost", baseline={"win": win, "face_loss": face}, n=41, high=20)
    _check(t)
    assert t.text == "crash_cost = face_loss" and t.value == pytest.approx(face, abs=1e-12)
    assert t.left == "Stand firm/Stand firm" and t.right == "Swerve/Stand firm | Stand firm/Swerve | mixed"
    assert t.latex == r"\mathrm{crash\_cost} = \mathrm{face\_loss}"


@settings(max_examples=8, deadline=None)
@given(values=st.lists(st.floats(-2.5, 2.5), min_size=3, max_size=3), which=st.sampled_from("abc"))
def test_three_by_two_symbolic_and_numeric_agree_on_random_draws(values, which):
    base = {k: v for k, v in zip("abc", values, strict=True) if k != which}
    # A held parameter exactly on its own switching value (b = 2, say) makes the baseline game
    # degenerate: the random points of the check fall on both sides of that boundary, their regime
    # labels differ from the baseline's, and the check rightly reports no agreement.  Generic draws only.
    held_on_a_boundary = [abs(base.get(k, np.inf) - x) < 1e-3 for k, x in (("a", 1.0), ("b", 2.0), ("c", 1.0))]
    if "a" in base and "b" in base:
        held_on_a_boundary.append(abs(base["a"] * base["b"] - 2 * base["a"] + 2) < 1e-3)
    assume(not any(held_on_a_boundary))
    found = find_thresholds(THREE, which, baseline=base, n=61)
    for t in found:
        _check(t)
        assert t.left != t.right
        # Each threshold is one of the game's switching conditions, solved for the parameter.
        # (The second root of a and of b does not exist where its formula divides by zero.)
        a, b = base.get("a", np.inf), base.get("b", 0.0)
        exact = {
            "a": [1.0, *([2 / (2 - b)] if b != 2 else [])],
            "b": [2.0, *([2 - 2 / a] if a != 0 else [])],
            "c": [1.0],
        }[which]
        assert min(abs(t.value - e) for e in exact) < 1e-9


def test_a_nonlinear_threshold_gets_its_formula():
    found = find_thresholds(THREE, "a", baseline={"b": -1.129, "c": -0.46}, n=61)
    formulas = {t.text for t in found}
    assert "a = -2/(b - 2)" in formulas
    fold = next(t for t in found if t.text == "a = -2/(b - 2)")
    assert fold.value == pytest.approx(2 / 3.129, rel=1e-12)
    assert fold.latex == r"a = - \frac{2}{b - 2}"


@settings(max_examples=8, deadline=None)
@given(values=st.lists(st.floats(-8, 8), min_size=6, max_size=6))
def test_generic_deterrence_thresholds_match_zagare_kilgour(values):
    base = dict(zip(GENERIC_DETERRENCE_PARAMETERS.names, values, strict=True))
    base.pop("d_dd")
    c = [base["c_sq"], base["c_dc"], base["c_dd"]]
    # The closed form needs strict orders, with gaps wider than the local check's smallest neighbourhood
    # (0.02% of the range of 20, i.e. 0.004): nearer ties flip inside it and the check rightly disagrees.
    assume(min(abs(x - y) for i, x in enumerate(c) for y in c[:i]) > 1e-2)
    found = find_thresholds(GDG, "d_dd", baseline=base, n=41)
    # Credibility switches at d_dd = d_dc; it changes the outcome iff the Challenger's choice
    # differs between the credible (max of c_sq, c_dd) and incredible (max of c_sq, c_dc) cases.
    credible = "SQ" if base["c_sq"] > base["c_dd"] else "DD"
    incredible = "SQ" if base["c_sq"] > base["c_dc"] else "DC"
    if credible == incredible:
        assert found == []
    else:
        [t] = found
        _check(t)
        assert t.text == "d_dd = d_dc" and t.value == pytest.approx(base["d_dc"], abs=1e-12)
        assert (t.left, t.right) == (incredible, credible)


def _cube_step() -> Model:
    """A black-box model (no game) whose outcome switches where x**3 = 0.2."""
    return Model(
        "step",
        "",
        "",
        lambda **v: None,
        ParameterSet([Parameter("x", 0, 0, 1)]),
        outcomes=lambda p, c: {"outcome": np.where(p["x"] ** 3 > 0.2, "high", "low")},
    )


def test_thresholds_without_a_symbolic_game_fall_back_to_bisection():
    step = _cube_step()
    [t] = find_thresholds(step, "x", n=11)
    assert t.method == "bisection" and t.formula is None and t.agree is None
    assert t.value == pytest.approx(0.2 ** (1 / 3), abs=1e-9)
    assert "no indifference condition" in t.notes[-1]


def test_user_conditions_refine_a_black_box_model():
    x = sympy.Symbol("x", real=True)
    step = _cube_step()
    [t] = find_thresholds(step, "x", n=11, symbolic=False, conditions=[x**3 - sympy.Rational(1, 5)])
    assert t.method == "brentq" and t.agree is True
    assert t.value == pytest.approx(0.2 ** (1 / 3), rel=1e-14)


def test_bisect_labels_splits_on_a_third_label():
    def f(v):
        return np.where(v < 0.25, "a", np.where(v < 0.2500001, "b", "c"))

    out = bisect_labels(f, [0.0], [1.0], ["a"], ["c"], xtol=1e-13)
    assert [(a, b) for _, _, a, b in out] == [("a", "b"), ("b", "c")]
    assert out[0][0] <= 0.25 <= out[0][1] and out[1][0] <= 0.2500001 <= out[1][1]
    assert all(h - lo <= 1e-13 for lo, h, _, _ in out)


def test_candidate_conditions_and_solving():
    c, f, w = (sympy.Symbol(n, real=True) for n in ("crash_cost", "face_loss", "win"))
    assert {sympy.simplify(e) for e in indifference_conditions(chicken())} == {w, f - c}
    assert symbolic_threshold(f - c, "crash_cost") == [f]
    assert symbolic_threshold(f - c, "win") == []


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        pytest.param({"parameter": "crash"}, ParameterError, "did you mean", id="unknown"),
        pytest.param({"low": 5, "high": 2}, DeterrenceError, "below high", id="low-above-high"),
        pytest.param({"n": 1}, DeterrenceError, "at least 2", id="n-too-small"),
        pytest.param({"high": 500}, ParameterError, "outside its range", id="out-of-range"),
    ],
)
def test_bad_requests(kwargs, error, message):
    args = {"parameter": "crash_cost", **kwargs}
    with pytest.raises(error, match=message):
        find_thresholds(CHICKEN, args.pop("parameter"), **args)


def test_the_box_check_says_how_far_a_formula_carries():
    # Chicken's threshold crash_cost = face_loss holds everywhere: every box point where it lies in the
    # scanned range switches there.  The case's china_mediation threshold is exact only in its regime
    # (a counter-terror Iran that backs down after a direct strike): a small share of the box.
    import re

    def share(t) -> float:
        note = next(n for n in t.notes if "over the whole box" in n)
        return float(re.search(r"\(([\d.]+)%\)", note).group(1))

    [chicken] = find_thresholds(CHICKEN, "crash_cost", baseline={"win": 1.0, "face_loss": 5.0}, n=41, high=20)
    assert share(chicken) == 100.0
    case = find_thresholds(get_model("iran-pakistan-sequential"), "china_mediation", n=41)
    assert case and all(share(t) < 50.0 for t in case)
