"""Claims C1-C12 of the USIP analysis (January 2024) checked on the Iran-Pakistan models.

Every claim ID appears in a test id.  The batched backward induction of
``games.iran_pakistan.analysis`` is cross-checked against the engine's exact
solvers (subgame perfection by backward induction, Nash by vertex
enumeration) and against itself (exact vs float).
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
from iran_pakistan_points import random_exact_point

from deterrence import solve
from deterrence.errors import ParameterError
from games.iran_pakistan import (
    CHOICES,
    PARAMETERS,
    SCENARIOS,
    bayesian_game,
    matrix_game,
    outcome_payoffs,
    retaliation_threshold,
    scenario_path,
    sequential_game,
    solve_continuation,
    values_for,
)
from games.iran_pakistan.claims import check_c1
from games.iran_pakistan.parameters import pakistan_clash_cost, precedent_cost

BASE = values_for()


# -- the claims at baseline ---------------------------------------------------
def test_c1_threshold_formula_latex_and_switch():
    import sympy

    info = retaliation_threshold(BASE)
    first, second = info["text"].split(" and ")
    # The text is a sympy formula: it parses back to the stored conditions.
    names = {q.name: q.symbol for q in PARAMETERS}
    lhs, rhs = (sympy.sympify(s, locals=names) for s in second.split(" > "))
    assert sympy.simplify(lhs - rhs - info["conditions"][1]) == 0
    assert "precedent_loss" in first and "war_cost_pakistan" in first
    assert r"\mathit{precedent\_loss}" in info["latex"] and r"\wedge" in info["latex"]
    # At baseline both conditions are positive: P - C_P = 6 - 4.8, and the retaliation margin
    # 6 - [0.8 (1.05 + 3) + 0.2 (1.05 + 2 + 4.8)] = 119/100 (only the broaden type escalates).
    assert info["values_at_point"] == [sympy.Rational(6, 5), sympy.Rational(119, 100)]
    check = check_c1(BASE)
    numeric = check.evidence["switch_precedent_loss_numeric"]
    symbolic = check.evidence["switch_precedent_loss_symbolic"]
    assert check.status == "confirmed"
    assert numeric == pytest.approx(symbolic, abs=1e-6)
    # Hand derivation (P = precedent_loss + 2): below C_P = 4.8 the threat is not credible, the broaden
    # and coerce types both escalate and the margin 0.25 P - 2.1 is negative; from P = C_P on only the
    # broaden type escalates and the margin 0.6 P - 2.41 is positive.  The switch is the credibility
    # cliff, precedent_loss = 2.8.
    assert symbolic == pytest.approx(2.8, abs=1e-9)


@pytest.mark.parametrize(
    "belief", [pytest.param(None, id="C2-bayesian"), pytest.param({"ct": 1}, id="C2-complete-information")]
)
def test_c2_pakistan_retaliates(belief):
    out = solve_continuation(BASE, belief=belief)
    assert CHOICES[int(out["choice"][0])] == "calibrated"
    assert not out["choice_tie"][0]
    assert out["retaliation_margin"][0] > 0


def _action(strategy: dict, infoset: str) -> str:
    (action,) = [a for a, p in strategy[infoset].items() if p == 1]
    return action


@pytest.mark.parametrize(
    "claim", [pytest.param("C3", id="C3-calibrated-spe"), pytest.param("C11", id="C11-path-restraint")]
)
def test_c3_c11_engine_spe_path(claim):
    result = solve(sequential_game({}), "spe")
    assert result.complete and len(result) == 1
    eq = result[0]
    pak, iran = eq.strategies["Pakistan"], eq.strategies["Iran"]
    # On path: calibrated strike, Iran stands down; payoffs (-k_K, g - f_K + m) = (-1, -1/2).
    assert _action(pak, "response") == "calibrated"
    assert _action(iran, "after calibrated") == "stand down"
    assert eq.payoffs == {"Pakistan": Fraction(-81, 20), "Iran": -1}
    # Off path: a direct strike is met by Iranian escalation, which Pakistan answers.
    assert _action(iran, "after direct") == "escalate"
    assert _action(pak, "after direct + escalation") == "counter-escalate"
    batched = solve_continuation(BASE, belief={"ct": 1})
    assert CHOICES[int(batched["choice"][0])] == _action(pak, "response")
    assert bool(batched["escalates/direct/ct"][0]) and not batched["escalates/calibrated/ct"][0]
    assert bool(batched["counter"][0])
    assert batched["value/calibrated"][0] == eq.payoffs["Pakistan"]


@pytest.mark.parametrize("claim", [pytest.param("C4", id="C4-india-cuts-both-ways")])
def test_c4_india_two_channels(claim, baseline_audit):
    check = baseline_audit[claim]
    assert check.status == "confirmed"
    low, high = map(Fraction, check.evidence["margin_along_india_emboldening_low_high"])
    assert high > low  # the emboldening channel raises the cost of absorbing
    low, high = map(Fraction, check.evidence["margin_along_india_second_front_low_high"])
    assert high < low  # the second front raises the cost of striking
    # Hand derivation at india_emboldening = 0: P = 4 < C_P = 4.8, so the threat is not credible and
    # the broaden and coerce types escalate after a calibrated strike: margin
    # 4 - [0.5 (1.05 + 2) + 0.5 (1.05 + 2 + 4)] = -21/20.
    assert Fraction(check.evidence["margin_along_india_emboldening_low_high"][0]) == Fraction(-21, 20)


def test_c5_broaden_type_escalates():
    out = solve_continuation(BASE)
    assert bool(out["escalates/calibrated/broaden"][0])
    assert not out["escalates/calibrated/ct"][0] and not out["escalates/calibrated/coerce"][0]
    # The broaden type escalates iff e_BR - W_I > -f_K + m, i.e. e_BR > 6.5 - 2 + 0.5 = 5.
    below = solve_continuation({**BASE, "escalation_value_broaden": Fraction(49, 10)})
    assert not below["escalates/calibrated/broaden"][0]


@pytest.mark.parametrize(
    "claim,name",
    [
        pytest.param("C6", "deterrence_erosion", id="C6-erosion"),
        pytest.param("C7", "iran_overstretch", id="C7-overstretch"),
        pytest.param("C7", "pakistan_superiority", id="C7-superiority"),
        pytest.param("C9", "us_pressure_on_iran", id="C9-us-pressure"),
    ],
)
def test_restraints_lower_escalation(claim, name, baseline_audit):
    # Escalation after a calibrated strike (prior-weighted) at the parameter's bounds.
    p = PARAMETERS[name]
    low = solve_continuation({**BASE, name: p.low})["p_escalate/calibrated"][0]
    high = solve_continuation({**BASE, name: p.high})["p_escalate/calibrated"][0]
    assert high < low
    assert baseline_audit[claim].status == "confirmed"


def _iran_gain_from_escalating(v):
    pay = outcome_payoffs(v, "ct")
    return pay["calibrated/escalate/counter"][1] - pay["calibrated/stand_down"][1]


def test_c8_china_lowers_escalation_incentive_and_widens_retaliation():
    weak, strong = {**BASE, "china_mediation": Fraction(0)}, {**BASE, "china_mediation": Fraction(4)}
    # Iran's escalation payoff minus stand-down payoff falls one-for-one with mediation.
    assert _iran_gain_from_escalating(weak) - _iran_gain_from_escalating(strong) == 4
    # China also presses Pakistan: each unit of mediation adds w_C = 1/10 to the cost of a strike.
    assert outcome_payoffs(weak, "ct")["calibrated/stand_down"][0] - outcome_payoffs(strong, "ct")[
        "calibrated/stand_down"
    ][0] == Fraction(2, 5)
    # The broaden type stands down after a calibrated strike once m > e_BR - R_I - W_I + f_K = 3.5,
    # so at m = 4 Pakistan retaliates for every prior (-1.4 - 3 > -6).  At m = 0 it retaliates iff
    # (1 - mu)(-4) + mu(-1 - 2 - 4.8) > -6, i.e. only for prior_broaden < 10/19.
    grid = np.linspace(0, 1, 201)
    regions = []
    for m in (0.0, 4.0):
        point = {k: np.full(grid.size, float(x)) for k, x in BASE.items()}
        point["china_mediation"], point["prior_broaden"] = np.full(grid.size, m), grid
        point["prior_coerce"] = np.zeros(grid.size)
        regions.append(solve_continuation(point)["retaliates"])
    assert regions[1].all()
    assert regions[0].sum() == np.count_nonzero(grid < 10 / 19)


def test_c9_contained_and_c10_response_depends_on_belief(baseline_audit):
    checks = baseline_audit
    assert checks["C9"].evidence["part_b_holds"]
    shares = checks["C10"].evidence["share_of_belief_simplex"]
    assert shares["calibrated"] > 0 and shares["absorb"] > 0


@pytest.mark.parametrize(
    "prior_broaden,expected",
    [
        pytest.param(Fraction(1, 5), "calibrated", id="C10-low-broaden-prior"),
        pytest.param(Fraction(1, 2), "calibrated", id="C10-just-below-39/76"),
        pytest.param(Fraction(13, 25), "absorb", id="C10-above-39/76"),
    ],
)
def test_c10_best_response_over_beliefs(prior_broaden, expected):
    # Only the broaden type escalates after a calibrated strike, so retaliation pays iff
    # (1 - mu_BR)(-81/20) + mu_BR(-1.05 - 2 - 4.8) > -6, i.e. mu_BR < 39/76.
    point = {**BASE, "prior_broaden": prior_broaden, "prior_coerce": Fraction(1, 4)}
    assert CHOICES[int(solve_continuation(point)["choice"][0])] == expected


# -- cross-checks of the forms and solvers ------------------------------------
def test_matrix_form_nash_has_calibrated_stand_down_and_is_degenerate():
    result = solve(matrix_game({}), "nash")
    assert result.complete and result.degenerate
    calibrated = [e for e in result if e.strategies["Pakistan"]["calibrated/counter-escalate"] == 1]
    # The tree's SPE (calibrated strike, Iran stands down after it and escalates after a direct strike).
    assert any(e.strategies["Iran"]["stand down/escalate"] == 1 for e in calibrated)
    absorb = [e for e in result if e.strategies["Pakistan"]["absorb"] == 1]
    # Absorbing is a best response iff Iran escalates after a calibrated strike with probability
    # q >= q* where (1 - q)(-81/20) + q(-1.05 - 2 - 4.8) = -6, q* = 39/76.
    q = [sum(p for s, p in e.strategies["Iran"].items() if s.startswith("escalate/")) for e in absorb]
    assert min(q) == Fraction(39, 76) and max(q) == 1


def test_batched_float_equals_exact_at_random_points():
    rng = random.Random(20240116)
    points = [random_exact_point(rng) for _ in range(60)]
    floats = {k: np.array([float(p[k]) for p in points]) for k in points[0]}
    batched = solve_continuation(floats)
    compared = 0
    for i, p in enumerate(points):
        exact = solve_continuation(p)
        if exact["choice_tie"][0] or exact["counter_tie"][0]:
            assert batched["choice_tie"][i] or batched["counter_tie"][i]
            continue
        compared += 1
        assert batched["choice"][i] == exact["choice"][0]
        assert batched["counter"][i] == exact["counter"][0]
        assert float(batched["retaliation_margin"][i]) == pytest.approx(float(exact["retaliation_margin"][0]))
    assert compared >= 40


def test_batched_agrees_with_engine_spe_at_random_points():
    rng = random.Random(7)
    checked = 0
    for _ in range(25):
        p = random_exact_point(rng)
        result = solve(sequential_game(p), "spe")
        out = solve_continuation(p, belief={"ct": 1})
        ties = [k for k in out if "tie" in k and bool(out[k][0])]
        if ties:
            assert not result.complete  # the engine flags the tie too
            continue
        checked += 1
        (eq,) = result.equilibria
        pak, iran = eq.strategies["Pakistan"], eq.strategies["Iran"]
        assert _action(pak, "response") == CHOICES[int(out["choice"][0])]
        for key in ("calibrated", "direct"):
            assert (_action(iran, f"after {key}") == "escalate") == bool(out[f"escalates/{key}/ct"][0])
            assert (_action(pak, f"after {key} + escalation") == "counter-escalate") == bool(out["counter"][0])
        assert eq.payoffs["Pakistan"] == out[f"value/{CHOICES[int(out['choice'][0])]}"][0]
    assert checked >= 15


def test_tie_flagged_where_precedent_equals_clash_cost():
    # C_P = w * 1.9 + 1 = 6 = P at w = 50/19.
    point = values_for({"war_cost_pakistan": Fraction(50, 19)})
    assert precedent_cost(point) == pakistan_clash_cost(point) == 6
    out = solve_continuation(point)
    assert out["counter_tie"][0] and not out["counter"][0]
    floats = solve_continuation({k: float(x) for k, x in point.items()})
    assert floats["counter_tie"][0]


def test_bayesian_game_shares_infosets():
    g = bayesian_game({})
    assert g.infosets["Pakistan"][0] == "response" and len(g.infosets["Iran"]) == 6


# -- scenarios and parameter errors -------------------------------------------
@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_scenarios_load_and_validate(path):
    scenario = PARAMETERS.load_scenario(path)
    values = values_for(scenario.values)
    assert values["prior_broaden"] + values["prior_coerce"] <= 1
    assert scenario_path(path.stem) == path


def test_baseline_scenario_is_the_default():
    loaded = values_for(PARAMETERS.load_scenario(scenario_path("baseline")).values)
    assert loaded.keys() == BASE.keys()
    assert all(float(loaded[k]) == pytest.approx(float(BASE[k])) for k in BASE)


@pytest.mark.parametrize(
    "text,match",
    [
        pytest.param("[parameters]\nno_such_thing = 1\n", "no_such_thing", id="unknown-parameter"),
        pytest.param("[parameters]\nchina_mediation = 99\n", "china_mediation", id="out-of-bounds"),
        pytest.param("[parameters\nchina_mediation = 1\n", "malformed TOML", id="malformed-toml"),
        pytest.param('[parameters]\nchina_mediation = "2*x"\n', "formula", id="formula-string"),
    ],
)
def test_bad_scenarios_raise(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ParameterError, match=match):
        PARAMETERS.load_scenario(path)


def test_priors_above_one_rejected():
    with pytest.raises(ParameterError, match="exceeds 1"):
        values_for({"prior_broaden": Fraction(7, 10), "prior_coerce": Fraction(1, 2)})
    with pytest.raises(ParameterError):
        solve_continuation(values_for({"prior_broaden": 0.9, "prior_coerce": 0.2}))


def test_unknown_scenario_name():
    with pytest.raises(ParameterError, match="built-in scenarios"):
        scenario_path("no_such_scenario")


@pytest.mark.parametrize(
    "changes,choice_tied",
    [
        pytest.param({"deterrence_erosion": Fraction(1, 2)}, False, id="coerce-tied-choice-unique"),
        pytest.param(
            {"deterrence_erosion": Fraction(1, 2), "india_second_front": Fraction(9, 20)},
            True,
            id="coerce-tied-choice-too",
        ),
    ],
)
def test_a_tied_iranian_reply_is_reported_as_the_engine_sees_it(changes, choice_tied):
    # At erosion 1/2 the coercing type is exactly indifferent after a calibrated strike (-5/2 either way),
    # so the engine's PBE set has several on-path escalation probabilities; with the second front at 9/20
    # the calibrated strike's value straddles absorbing's and Pakistan may absorb too.
    point = values_for({**BASE, **changes})
    out = solve_continuation(point)
    assert bool(out["escalates_tie/calibrated/coerce"][0]) and bool(out["path_tie"][0])
    assert bool(out["choice_tie"][0]) is choice_tied
    result = solve(bayesian_game(point), "pbe")
    assert result.complete
    responses = {a for e in result.equilibria for a, p in e.strategies["Pakistan"]["response"].items() if p}
    assert (len(responses) > 1) is choice_tied
    assert CHOICES[int(out["choice"][0])] in responses


def test_report_bayesian_section_cross_checks_the_engine():
    from games.iran_pakistan.sections import bayesian

    assert "so the two agree" in bayesian(BASE)[-2]
    # Where a tied Iranian reply lets Pakistan absorb or strike, the engine lists both and the text says so.
    tied = values_for({**BASE, "deterrence_erosion": Fraction(1, 2), "india_second_front": Fraction(9, 20)})
    line = bayesian(tied)[-2]
    assert "responses absorb, calibrated" in line and "agree" not in line
