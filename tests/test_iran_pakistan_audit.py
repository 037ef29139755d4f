"""The argument audit of the second edition: each claim at the baseline, and the seven errors of issue 11.

Regression tests for issue 11: (1) C1's two-condition formula was stated as an "iff" for the
whole box; (2) C11's region had the face cost and the mediation with the wrong signs; (3) C12
read the part of the belief range with no pure equilibrium as "does not strike"; (4) the matrix
form was not the strategic form of the tree; (6) every summary was a fixed sentence; (7) the
``thresholds`` command's china_mediation formula was checked at one point only.  (5), the
registered pre-strike tree, belongs to the pre-strike module and is tested through its public
function here.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

import numpy as np
import pytest
from iran_pakistan_points import random_exact_point, uniform_box

from games.iran_pakistan import PARAMETERS, audit, solve_continuation, values_for
from games.iran_pakistan.analysis import any_tie
from games.iran_pakistan.claims import check_c1, check_c11
from games.iran_pakistan.parameters import TYPES, pakistan_clash_cost, precedent_cost
from games.iran_pakistan.threshold import (
    RETALIATION_RULE,
    front_cliff,
    restraint_bound,
    retaliation_rule,
    retaliation_threshold,
)

BASE = values_for()


@pytest.fixture
def rows(baseline_audit):
    """The baseline audit by claim (the session fixture of conftest.py)."""
    return baseline_audit


# -- each claim at the baseline, from first principles -------------------------------
# Hand numbers: P = 4 * (1/2 + 1/2) + 2 = 6; C_P = 2 * (1 + 2/5 + 1/2) + 1 = 24/5 < P (credible);
# R_I = 3, W_I = 7/2; k_K' = 1 + 1/10 * 1/2 = 21/20, k_X' = 2 + 1/20 + 1 = 61/20.
# After a calibrated strike a type escalates iff e_t + f_K + q_t - m > R_I + W_I = 13/2:
# broaden 8 + 2 - 1/2 = 19/2 yes; coerce 3 + 2 + 3/2 - 1/2 = 6 no; counter-terror 3/2 no.
# After a direct strike (f_X = 10) every type escalates.
def test_c2_margin_is_the_hand_computed_one(rows):
    cost_calibrated = F(21, 20) + F(1, 5) * (2 + F(24, 5)) + F(4, 5) * F(1, 2) * 6  # 481/100
    assert rows["C2"].status == "confirmed"
    assert rows["C2"].evidence["retaliation_margin"] == 6 - cost_calibrated == F(119, 100)
    assert "retaliates with a calibrated strike" in rows["C2"].summary


def test_c3_face_saving_decides_at_baseline(rows):
    ev = rows["C3"].evidence
    assert rows["C3"].status == "confirmed"
    assert (ev["p_escalate_after_calibrated"], ev["p_escalate_after_direct"]) == (pytest.approx(0.2), 1.0)
    # Iran standing down: direct -61/20 - 0 * P beats calibrated -21/20 - 1/2 * 6 = -81/20.
    assert ev["pakistan_payoff_direct_if_iran_stands_down"] == F(-61, 20)
    assert ev["pakistan_payoff_calibrated_if_iran_stands_down"] == F(-81, 20)
    assert "face-saving logic decides" in rows["C3"].summary


def test_c1_switch_is_the_credibility_cliff_and_the_escalation_horn_binds(rows):
    # Below P = C_P (precedent_loss 2.8) counter-escalation is not credible, broaden and coerce
    # escalate and the margin is P/4 - 41/20 < 0; above, the margin is 3P/5 - 241/100 > 0 at P = 24/5.
    row = rows["C1"]
    assert row.status == "confirmed"
    assert row.evidence["switch_precedent_loss_numeric"] == pytest.approx(2.8, abs=1e-6)
    assert row.evidence["switch_precedent_loss_symbolic"] == pytest.approx(2.8, abs=1e-9)
    assert row.evidence["p_escalate_at_switch"] == pytest.approx(0.2)
    assert row.evidence["margin_nondecreasing_in_precedent_loss"] is True
    assert "both horns of the dilemma bind" in row.summary


def test_c5_c10_c11_at_baseline(rows):
    assert rows["C5"].status == "confirmed" and rows["C5"].evidence["broaden_escalates_after_calibrated"]
    # Sure of a broadening Iran: calibrated costs 21/20 + 2 + 24/5 = 157/20 > 6, direct more: absorb.
    assert rows["C10"].status == "confirmed"
    assert rows["C10"].evidence["response_if_sure_of_type"] == {
        "ct": "calibrated",
        "broaden": "absorb",
        "coerce": "calibrated",
    }
    assert rows["C11"].status == "qualified"  # on-path escalation 1/5: in (0, 1/2)
    assert rows["C11"].evidence["p_escalation_on_path_bayesian"] == pytest.approx(0.2)


def test_restraints_at_baseline_fall_in_three_steps(rows):
    # Along deterrence_erosion x: coerce escalates iff x < 1/2, broaden iff x < 4, Pakistan keeps
    # striking (margin 1/20 at x = 0), so on-path escalation goes 1/2 -> 1/5 -> 0.
    row = rows["C6"]
    assert row.status == "confirmed"
    assert row.evidence["p_path_along_deterrence_erosion_low_high"] == (0.5, 0.0)
    for claim in ("C7", "C8", "C9"):
        assert rows[claim].status == "confirmed", claim
    assert rows["C8"].evidence["margin_at_top_of_china_mediation"] == F(3, 2)
    assert rows["C9"].evidence["part_b_holds"] is True


def test_c4_both_channels_at_baseline(rows):
    # emboldening 0: P = 4 < C_P, not credible, broaden and coerce escalate after a calibrated strike:
    #   margin 4 - (21/20 + 1/2 * (2 + 4) + 1/2 * 1/2 * 4) = -21/20;
    # emboldening 1: P = 8, credible, only broaden: 8 - (21/20 + 1/5 * 34/5 + 4/5 * 1/2 * 8) = 239/100;
    # second front 0: C_P = 4: 6 - (21/20 + 1/5 * 6 + 12/5) = 27/20;
    # second front 2: C_P = 8 > P, not credible: 6 - (21/20 + 1/2 * 8 + 1/2 * 1/2 * 6) = -11/20.
    ev = rows["C4"].evidence
    assert rows["C4"].status == "confirmed"
    assert ev["margin_along_india_emboldening_low_high"] == (F(-21, 20), F(239, 100))
    assert ev["margin_along_india_second_front_low_high"] == (F(27, 20), F(-11, 20))
    assert ev["credibility_cliff_india_second_front"] == 1


def test_c8_margin_at_strong_mediation(rows):
    # m = 5: k_K' = 1 + 1/10 * 5 = 3/2 and no type escalates (broaden: 8 + 2 - 5 = 5 < 13/2),
    # so the calibrated strike costs 3/2 + 1/2 * 6 and the margin is 6 - 9/2 = 3/2 > 119/100.
    assert rows["C8"].evidence["margin_at_top_of_china_mediation"] == F(3, 2)
    assert rows["C8"].evidence["part_b_holds"] is True


def test_c4_cliff_is_where_c_p_equals_p():
    cliff = front_cliff(BASE)
    assert cliff == 1
    v = values_for({"india_second_front": cliff})
    assert pakistan_clash_cost(v) == precedent_cost(v)


# -- (1) C1: the exact rule everywhere, the two-condition formula in its regime -------------
@pytest.fixture(scope="module")
def box():
    points = uniform_box(10_000, seed=11, spare=400)
    assert len(points["precedent_loss"]) == 10_000
    return points, solve_continuation(points)


def test_c1_exact_rule_equals_the_solver_on_ten_thousand_points(box):
    points, out = box
    rule = retaliation_rule(points)
    clean = ~any_tie(out)
    assert clean.sum() > 9_900
    assert np.array_equal(rule["retaliates"][clean], out["retaliates"][clean])
    # It covers the cases the first-edition formula missed: retaliation without credible
    # counter-escalation, and the direct strike as the chosen response.
    assert (clean & ~rule["credible"] & out["retaliates"]).any()
    assert (clean & (out["choice"] == 2)).any()
    assert np.array_equal(
        (rule["strike"] == 2)[clean & out["retaliates"]], (out["choice"] == 2)[clean & out["retaliates"]]
    )


@pytest.mark.parametrize(("shrink", "least"), [(1.0, 20), (0.2, 500)], ids=["whole-box", "near-baseline"])
def test_c1_two_condition_formula_holds_in_its_stated_region(shrink, least):
    import sympy

    points = uniform_box(10_000, seed=12, shrink=shrink, spare=400)
    out = solve_continuation(points)
    info = retaliation_threshold(BASE)
    assert (info["strike"], info["escalating_types"], info["counter_credible"]) == ("calibrated", ["broaden"], True)
    symbols = sorted({s for c in info["conditions"] for s in c.free_symbols}, key=str)
    conditions = [sympy.lambdify(symbols, c, "numpy") for c in info["conditions"]]
    formula = np.logical_and.reduce([f(*[points[str(s)] for s in symbols]) > 0 for f in conditions])
    rule = retaliation_rule(points)
    same_types = np.ones(len(formula), dtype=bool)
    for t, *_ in TYPES:
        same_types &= out[f"escalates/calibrated/{t}"] == (t == "broaden")
    region = (precedent_cost(points) > pakistan_clash_cost(points)) & same_types & (rule["strike"] == 1) & ~any_tie(out)
    assert region.sum() > least
    assert np.array_equal(formula[region], out["retaliates"][region])
    if shrink == 1.0:  # outside its region the formula is no "iff"
        outside = ~region & ~any_tie(out)
        assert (formula[outside] != out["retaliates"][outside]).any()


def test_c1_row_states_the_exact_rule_and_where_the_formula_holds():
    row = check_c1(BASE)
    assert row.region.startswith("retaliate iff " + RETALIATION_RULE)
    assert "pi_K = 0.2, pi_X = 1" in row.region
    assert row.evidence["threshold_holds_where"].startswith("P > C_P, the calibrated strike the cheaper one")


# -- (2) C11: the restraint bound with the right signs ----------------------------------
def test_c11_printed_region_matches_the_solver_at_random_points():
    import sympy

    rng = random.Random(2024)
    symbolic = restraint_bound({}, symbolic=True)
    seen = {True: 0, False: 0}
    for _ in range(40):
        v = random_exact_point(rng)
        bound = restraint_bound(v)
        out = solve_continuation(v)
        credible = bool(out["counter"][0])
        seen[credible] += 1
        for t, _, value, has_premium in TYPES:
            # Exact arithmetic: a type stands down after a calibrated strike iff e_t <= its bound.
            assert bool(out[f"escalates/calibrated/{t}"][0]) == (v[value] > bound[t]), (t, v)
            if credible:
                at = symbolic.subs({PARAMETERS[k].symbol: sympy.Rational(x) for k, x in v.items()})
                assert at - (v["coerce_face_premium"] if has_premium else 0) == bound[t]
    assert seen[True] and seen[False]


@pytest.mark.parametrize("changes", [{}, {"war_cost_pakistan": 3}], ids=["credible", "not-credible"])
def test_c11_region_text_has_the_right_signs(changes):
    row = check_c11(values_for(changes))
    wanted = "R_I + W_I - face_cost_calibrated + china_mediation" if not changes else "R_I - face_cost_calibrated"
    assert wanted in row.region
    assert "W_I + face_cost_calibrated - china_mediation" not in row.region
    if not changes:
        assert "counter-terror 5, broaden 5, coerce 7/2" in row.region


# -- (3) C12 through the pre-strike module's public function -------------------------------
def test_c12_is_pending_without_the_prestrike_module(monkeypatch):
    import games.iran_pakistan.claim_status as status

    monkeypatch.setattr(status, "prestrike_module", lambda: None)
    [row] = audit(claims=("C12",))
    assert row.status == "qualified" and row.summary == "pre-strike game pending"


def test_c12_semi_separating_baseline_is_not_read_as_no_strike():
    prestrike = pytest.importorskip("games.iran_pakistan.prestrike")
    if not hasattr(prestrike, "strike_status"):
        pytest.skip("pre-strike module without strike_status yet")
    from games.iran_pakistan.analysis import prestrike_equilibria

    # No pure equilibrium at baseline: the answer is the semi-separating one, where some type
    # mixes, so striking is not unconditionally rational (confirmed), not "does not strike".
    assert prestrike_equilibria(BASE) == []
    point = {k: np.array([x], dtype=object) for k, x in BASE.items()}
    assert int(np.asarray(prestrike.strike_status(point))[0]) == 2
    [row] = audit(claims=("C12",))
    assert row.status == "confirmed" and "pending" not in row.summary


# -- (4) the matrix form is the reduced strategic form of the tree -----------------------
@pytest.mark.parametrize("changes", [{}, {"war_cost_pakistan": 3}], ids=["credible", "not-credible"])
def test_matrix_form_is_the_trees_reduced_normal_form_and_holds_its_path(changes):
    from deterrence.forms.reduced_form import reduced_normal_form
    from deterrence.solvers.facade import solve
    from games.iran_pakistan.forms import matrix_game, sequential_game

    v = values_for(changes)
    matrix, tree = matrix_game(v), sequential_game(v)
    reduced = reduced_normal_form(tree).game
    assert matrix.strategies == reduced.strategies
    assert np.array_equal(np.asarray(matrix.payoffs, dtype=object), np.asarray(reduced.payoffs, dtype=object))
    # The tree's subgame-perfect plans, from the batched backward induction.
    out = solve_continuation(v, belief={"ct": 1})
    assert bool(out["counter"][0]) is (not changes)  # C_P = 3 * 1.9 + 1 = 6.7 > P = 6 when war_cost is 3
    choice = ("absorb", "calibrated", "direct")[int(out["choice"][0])]
    pakistan = choice if choice == "absorb" else f"{choice}/{'counter-escalate' if out['counter'][0] else 'hold'}"
    iran = "/".join("escalate" if out[f"escalates/{r}/ct"][0] else "stand down" for r in ("calibrated", "direct"))
    nash = solve(matrix, concept="nash").equilibria
    assert any(e.strategies["Pakistan"][pakistan] == 1 and e.strategies["Iran"][iran] == 1 for e in nash)


# -- (6) generated summaries never say what the status denies --------------------------
def test_summaries_follow_the_status_at_the_refuting_examples():
    from games.iran_pakistan.refutations import example_values, stored_refutations

    phrases = {  # claim -> text that only a confirmed row may carry
        "C3": "face-saving logic decides",
        "C5": "answers Pakistan's",
        "C1": "both horns of the dilemma bind",
        "C9": "never raises on-path escalation (",
    }
    for claim, phrase in phrases.items():
        entry = stored_refutations()[claim]
        [row] = audit(example_values(entry["example"]), claims=(claim,))
        assert row.status == "refuted", claim
        assert phrase not in row.summary, (claim, row.summary)
        [at_baseline] = audit(claims=(claim,))
        assert at_baseline.status == "confirmed" and phrase in at_baseline.summary
    # A restraint refuted on the path: Iran's reaction never rises, Pakistan starts to strike.
    [c6] = audit(example_values({"india_second_front": "9/20"}), claims=("C6",))
    assert c6.status == "refuted" and "switches from absorbing to a calibrated strike" in c6.summary
    assert "falls from" not in c6.summary
    [c3] = audit(example_values({"face_cost_direct": "9/4"}), claims=("C3",))
    assert "Pakistan chooses a direct strike" in c3.summary and "outweighs the escalation" in c3.summary


def test_summaries_when_pakistan_absorbs():
    v = values_for({"resolve_value": 0, "precedent_loss": 1})
    r = {x.claim: x for x in audit(v)}
    assert r["C2"].status == "refuted" and "Pakistan absorbs" in r["C2"].summary
    assert r["C3"].status == "qualified" and "moot" in r["C3"].summary
    assert r["C11"].status == "refuted" and r["C11"].summary.endswith("Pakistan absorbs")
    assert "Pakistan absorbs here" in r["C1"].summary


# -- (7) the china_mediation threshold is checked at several points -----------------------
def test_china_mediation_threshold_formula_tracks_the_switch_at_several_points():
    import sympy

    from deterrence.analysis.thresholds import find_thresholds
    from deterrence.library import get_model

    [t] = find_thresholds(get_model("iran-pakistan-bayesian"), "china_mediation")
    names = {str(s) for s in t.formula.free_symbols}
    assert {"escalation_value_broaden", "face_cost_calibrated", "us_pressure_on_iran"} <= names
    assert t.value == pytest.approx(3.5) and t.agree is True
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(12):
        shift = {
            "escalation_value_broaden": F(int(rng.integers(70, 90)), 10),
            "face_cost_calibrated": F(int(rng.integers(15, 25)), 10),
            "iran_overstretch": F(int(rng.integers(5, 15)), 10),
        }
        v = values_for(shift)
        at = t.formula.subs({PARAMETERS[k].symbol: sympy.Rational(x) for k, x in v.items() if k != "china_mediation"})
        m = F(str(at))
        if not 0 < m < 5:
            continue
        below = solve_continuation({**v, "china_mediation": m - F(1, 1000)})["escalates/calibrated/broaden"][0]
        above = solve_continuation({**v, "china_mediation": m + F(1, 1000)})["escalates/calibrated/broaden"][0]
        assert bool(below) and not bool(above), shift
        checked += 1
    assert checked >= 8


def test_a_formula_that_only_coincides_at_the_baseline_is_reported_as_disagreeing():
    from deterrence.analysis.thresholds import find_thresholds
    from deterrence.library import get_model
    from games.iran_pakistan.parameters import iran_escalation_cost, iran_war_cost

    sym = values_for(symbolic=True)
    # The counter-terror type's indifference after a direct strike: 10 + 0 - 3 - 7/2 = 7/2 at the
    # baseline too, by coincidence; it is off the path, so the outcome does not switch there elsewhere.
    wrong = sym["face_cost_direct"] - iran_escalation_cost(sym) - iran_war_cost(sym) - sym["china_mediation"]
    wrong = wrong - sym["escalation_value_ct"]
    [t] = find_thresholds(get_model("iran-pakistan-bayesian"), "china_mediation", symbolic=False, conditions=[wrong])
    assert t.symbolic_value == pytest.approx(3.5)
    assert t.agree is False
