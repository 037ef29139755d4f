"""The argument audit says what it computed: C1's exact rule, C11's region, generated summaries.

Regression tests for issue 11: C1's two-condition formula was stated as an "iff" for the whole
box (it disagreed with the solver at about 2.7% of uniform points); C11's region had the face
cost and the mediation with the wrong signs; every summary was a fixed sentence, so a refuted C3
still said the calibrated strike was met by restraint; and the ``thresholds`` command picked,
for ``china_mediation``, a condition that only coincided with the true one at the baseline.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from iran_pakistan_points import random_exact_point

from games.iran_pakistan import PARAMETERS, audit, scenario_path, solve_continuation, values_for
from games.iran_pakistan.claims import check_c11
from games.iran_pakistan.parameters import TYPES, pakistan_clash_cost, precedent_cost
from games.iran_pakistan.threshold import (
    RETALIATION_RULE,
    restraint_bound,
    retaliation_rule,
    retaliation_threshold,
)

BASE = values_for()


def _uniform_box(n: int, seed: int = 11, shrink: float = 1.0) -> dict[str, np.ndarray]:
    """``n`` uniform points of the box (shrunk toward the baseline by ``shrink``), priors summing <= 1."""
    rng = np.random.default_rng(seed)
    draw = 2 * n + 200
    points = {}
    for p in PARAMETERS:
        lo, hi, at = float(p.low), float(p.high), float(BASE[p.name])
        points[p.name] = rng.uniform(at + shrink * (lo - at), at + shrink * (hi - at), draw)
    keep = points["prior_broaden"] + points["prior_coerce"] <= 1
    return {k: a[keep][:n] for k, a in points.items()}


def _ties(out: dict[str, np.ndarray]) -> np.ndarray:
    ties = out["choice_tie"] | out["counter_tie"]
    for key in out:
        if key.startswith("escalates_tie/"):
            ties = ties | out[key]
    return ties


# -- C1 -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def box():
    points = _uniform_box(10_000)
    assert len(points["precedent_loss"]) == 10_000
    return points, solve_continuation(points)


def test_c1_exact_rule_equals_the_solver_on_ten_thousand_points(box):
    points, out = box
    rule = retaliation_rule(points)
    clean = ~_ties(out)
    assert clean.sum() > 9_900
    # The exact rule agrees with the batched backward induction at every untied point.
    assert np.array_equal(rule["retaliates"][clean], out["retaliates"][clean])
    # It covers both cases the old formula missed: retaliation without credible counter-escalation ...
    incredible = clean & ~rule["credible"] & out["retaliates"]
    assert incredible.any()
    # ... and the direct strike as the cheaper response.
    assert (clean & (out["choice"] == 2)).any()


@pytest.mark.parametrize(("shrink", "least"), [(1.0, 20), (0.2, 500)], ids=["whole-box", "near-baseline"])
def test_c1_two_condition_formula_holds_in_its_stated_region(shrink, least):
    import sympy

    points = _uniform_box(10_000, seed=12, shrink=shrink)
    out = solve_continuation(points)
    info = retaliation_threshold(BASE)
    assert info["escalating_types"] == ["broaden"]
    symbols = sorted({s for c in info["conditions"] for s in c.free_symbols}, key=str)
    conditions = [sympy.lambdify(symbols, c, "numpy") for c in info["conditions"]]
    args = [points[str(s)] for s in symbols]
    formula = np.logical_and.reduce([f(*args) > 0 for f in conditions])
    rule = retaliation_rule(points)
    same_types = np.ones(len(formula), dtype=bool)
    for t, *_ in TYPES:
        same_types &= out[f"escalates/calibrated/{t}"] == (t == "broaden")
    region = (
        (precedent_cost(points) > pakistan_clash_cost(points))
        & same_types
        & (rule["cost/calibrated"] <= rule["cost/direct"])
        & ~_ties(out)
    )
    assert region.sum() > least
    assert np.array_equal(formula[region], out["retaliates"][region])
    if shrink == 1.0:  # outside that region the formula is no "iff": it misses some of the solver's choices
        outside = ~region & ~_ties(out)
        assert (formula[outside] != out["retaliates"][outside]).any()


def test_c1_region_states_the_exact_rule_and_its_values():
    row = audit()[0]
    assert row.region.startswith("retaliate iff " + RETALIATION_RULE)
    assert "pi_K = 0.2, pi_X = 1" in row.region
    assert "P > C_P" in row.evidence["threshold_holds_where"]


# -- C11 ------------------------------------------------------------------------
def test_c11_printed_region_matches_the_solver_at_random_points():
    import sympy

    rng = random.Random(2024)
    symbolic = restraint_bound({}, symbolic=True)
    credible_seen = incredible_seen = 0
    for _ in range(40):
        v = random_exact_point(rng)
        row = check_c11(v)
        bound = row.evidence["restraint_bound_by_type"]
        out = solve_continuation(v, belief={"ct": 1})
        credible = bool(out["counter"][0])
        credible_seen += credible
        incredible_seen += not credible
        for t, _, value, has_premium in TYPES:
            escalates = bool(solve_continuation(v)[f"escalates/calibrated/{t}"][0])
            # Exact arithmetic: a type stands down iff its escalation value is at most the bound.
            assert escalates == (v[value] > bound[t]), (t, v)
            if credible:
                at = symbolic.subs({PARAMETERS[k].symbol: sympy.Rational(x) for k, x in v.items()})
                premium = v["coerce_face_premium"] if has_premium else 0
                assert at - premium == bound[t]
        wanted = (
            "W_I - face_cost_calibrated + china_mediation" if credible else "china_mediation - face_cost_calibrated"
        )
        assert wanted in row.region
        assert "W_I + face_cost_calibrated - china_mediation" not in row.region
    assert credible_seen and incredible_seen


def test_c11_region_at_baseline_names_each_bound():
    row = check_c11(BASE)
    assert "counter-terror 5, broaden 5, coerce 7/2" in row.region
    # The broadening type's value 8 exceeds its bound 5, so it escalates; the others stand down.
    assert row.evidence["p_escalation_on_path_bayesian"] == pytest.approx(0.2)


# -- generated summaries ----------------------------------------------------------
@pytest.fixture(scope="module")
def rows():
    def load(name: str) -> dict:
        values = values_for(PARAMETERS.load_scenario(scenario_path(name)).values) if name != "baseline" else BASE
        return {r.claim: r for r in audit(values)}

    return {name: load(name) for name in ("baseline", "strong_china", "weak_resolve_pakistan")}


def test_summaries_at_baseline_state_the_computed_results(rows):
    r = rows["baseline"]
    assert all(x.status == "confirmed" for k, x in r.items() if k != "C11")
    assert "Pakistan retaliates here" in r["C1"].summary and "solver 2.8, exact rule 2.8" in r["C1"].summary
    assert "retaliates with a calibrated strike under uncertainty" in r["C2"].summary
    assert "direct strike would be answered by Iranian escalation and a calibrated one met by Iranian restraint" in (
        r["C3"].summary
    )
    assert "emboldening raises" in r["C4"].summary and "second front raises" in r["C4"].summary
    assert "answers even a calibrated strike by escalating" in r["C5"].summary
    assert "falls from 0.5 to 0 as deterrence_erosion rises" in r["C6"].summary
    assert "as iran_overstretch rises" in r["C7"].summary and "as pakistan_superiority rises" in r["C7"].summary
    assert "falls from 0.2 to 0 as china_mediation rises" in r["C8"].summary
    assert "margin rises from 3.64 to 5" in r["C8"].summary
    assert "the crisis stays contained" in r["C9"].summary
    assert "depends on its belief" in r["C10"].summary
    assert r["C11"].status == "qualified"
    assert "followed by Iranian restraint" in r["C11"].summary and "probability 0.20" in r["C11"].summary
    assert "counter-terror, broaden strike" in r["C12"].summary


def test_summaries_under_strong_china_never_claim_what_the_status_denies(rows):
    r = rows["strong_china"]
    assert r["C3"].status == "refuted"
    assert "direct strike would be met by Iranian restraint" in r["C3"].summary
    assert "answered by Iranian escalation" not in r["C3"].summary
    assert "a calibrated one is not" not in r["C3"].summary
    assert r["C1"].status == "confirmed" and "solver 2, exact rule 2" in r["C1"].summary
    assert "two-condition formula 2.8" in r["C1"].summary
    assert r["C4"].status == "qualified" and "second-front channel is inactive" in r["C4"].summary
    assert r["C5"].status == "qualified" and "stands down here" in r["C5"].summary
    for claim in ("C6", "C7"):
        assert r[claim].status == "qualified"
        assert "leaves escalation at 0" in r[claim].summary and "falls" not in r[claim].summary
    assert r["C9"].status == "qualified"
    assert "us_pressure_on_iran leaves escalation at 0" in r["C9"].summary
    assert r["C10"].status == "qualified" and "the same (calibrated 100%)" in r["C10"].summary
    assert r["C11"].status == "confirmed" and "probability" not in r["C11"].summary
    assert "against certain retaliation: counter-terror, broaden, coerce" in r["C12"].summary


def test_summaries_when_pakistan_absorbs(rows):
    r = rows["weak_resolve_pakistan"]
    assert r["C2"].status == "refuted" and "retaliates" not in r["C2"].summary
    assert r["C3"].status == "refuted" and "subgame-perfect choice is to absorb" in r["C3"].summary
    assert "the absorb strike" not in r["C3"].summary
    assert r["C9"].status == "qualified"
    assert "not contained" in r["C9"].summary and "stays contained" not in r["C9"].summary
    assert r["C11"].status == "refuted" and "Pakistan absorbs" in r["C11"].summary
    assert "restraint" not in r["C11"].summary
    assert "Pakistan absorbs here" in r["C1"].summary


# -- the thresholds command's formula for china_mediation ------------------------
def test_china_mediation_threshold_is_the_broadening_types_condition():
    from deterrence.analysis.thresholds import find_thresholds
    from deterrence.library import get_model

    [t] = find_thresholds(get_model("iran-pakistan-bayesian"), "china_mediation")
    names = {str(s) for s in t.formula.free_symbols}
    # The broadening type's indifference after a calibrated strike: m = e_broaden + f_K - W_I.
    assert {"escalation_value_broaden", "face_cost_calibrated"} <= names
    assert not names & {"face_cost_direct", "escalation_value_ct"}
    assert t.value == pytest.approx(3.5) and t.agree is True
    assert any("switches there at 20" in note for note in t.notes)


def test_a_formula_that_only_coincides_at_the_baseline_is_reported_as_disagreeing():
    from deterrence.analysis.thresholds import find_thresholds
    from deterrence.library import get_model

    sym = values_for(symbolic=True)
    from games.iran_pakistan.parameters import iran_war_cost

    # Iran's counter-terror type after a direct strike: zero at china_mediation = 3.5 as well.
    wrong = sym["face_cost_direct"] + sym["escalation_value_ct"] - iran_war_cost(sym) - sym["china_mediation"]
    [t] = find_thresholds(get_model("iran-pakistan-bayesian"), "china_mediation", symbolic=False, conditions=[wrong])
    assert t.symbolic_value == pytest.approx(3.5)
    assert t.agree is False
    assert any("switches there at 0" in note for note in t.notes)
