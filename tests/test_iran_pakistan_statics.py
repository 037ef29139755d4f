"""The twelve comparative-static sign targets of LITERATURE.md §10 on the baseline calibration."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from deterrence import solve
from games.iran_pakistan import matrix_game
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.parameters import PARAMETERS
from games.iran_pakistan.qre_reading import FLAT_CHANGE, QRE_STATUSES, sign_readings, slope_channels
from games.iran_pakistan.smooth import logit_continuation, prestrike_strike_mass, smooth_measure
from games.iran_pakistan.statics import STATUSES, absorb_threshold, absorb_thresholds, sign_targets

NOT_IMPLIED = {10, 12}


@pytest.fixture(scope="module")
def rows():
    return {r.row: r for r in sign_targets(n=41)}


@pytest.mark.parametrize("row", [pytest.param(i, id=f"target-{i}") for i in range(1, 13)])
def test_sign_target(rows, row):
    target = rows[row]
    assert target.status in STATUSES
    assert target.status != "violated", target.evidence
    assert target.parts and all(p[3] != "violated" for p in target.parts)
    if target.status == "not implied":
        assert row in NOT_IMPLIED
        assert "not implied --" in target.evidence or "not implied" in target.evidence
        assert any(word in target.evidence for word in ("no signalling", "never enters"))
    else:
        assert row not in NOT_IMPLIED


@pytest.mark.parametrize(
    "row,expected",
    [
        pytest.param(1, "holds", id="target-1-strict"),
        pytest.param(3, "holds", id="target-3-strict"),
        pytest.param(4, "holds", id="target-4-strict"),
        pytest.param(11, "holds", id="target-11-strict"),
    ],
)
def test_active_channels_hold_strictly(rows, row, expected):
    assert rows[row].status == expected


def test_row10_retaliation_part_holds(rows):
    parts = {p[1]: p[3] for p in rows[10].parts}
    assert parts["Pr(Pakistan retaliates)"] == "holds"


def test_violation_detected_by_sign_status():
    from games.iran_pakistan.statics import _sign_status

    assert _sign_status(np.array([0.0, 0.5, 0.2]), +1) == "violated"
    assert _sign_status(np.array([0.0, 0.0]), +1) == "holds weakly"
    assert _sign_status(np.array([1.0, 0.0]), -1) == "holds"


@pytest.mark.parametrize(
    "values,q",
    [
        pytest.param({}, (Fraction(39, 76), Fraction(59, 136)), id="target-12-baseline"),
        pytest.param(
            {"war_cost_pakistan": 4},  # C_P = 8.6 > P = 6: Pakistan would hold, so min(C_P, P) = P
            (Fraction(39, 100), Fraction(59, 160)),
            id="target-12-not-credible",
        ),
    ],
)
def test_row12_thresholds_match_engine_nash(values, q):
    """q*_r is the least Pr(Iran escalates after r) over the matrix's absorbing equilibria."""
    assert (absorb_threshold(values), absorb_threshold(values, "direct")) == q
    game = matrix_game(values)
    result = solve(game, "nash")
    assert result.complete
    absorbing = [e.strategies["Iran"] for e in result if e.strategies["Pakistan"]["absorb"] == 1]
    columns = game.strategies[1]  # "reply to calibrated/reply to direct"
    after_k = [sum(y[c] for c in columns if c.split("/")[0] == "escalate") for y in absorbing]
    after_x = [sum(y[c] for c in columns if c.split("/")[1] == "escalate") for y in absorbing]
    assert (min(after_k), min(after_x)) == q
    assert max(after_k) == 1 and max(after_x) == 1


def test_row12_threshold_falls_in_war_cost_where_counter_escalation_is_credible():
    for response in ("calibrated", "direct"):
        assert absorb_threshold({"war_cost_pakistan": 2.5}, response) < absorb_threshold({}, response)
        # not credible on both sides of the step: W_P does not enter
        assert absorb_threshold({"war_cost_pakistan": 5}, response) == absorb_threshold(
            {"war_cost_pakistan": 6}, response
        )


def test_row12_symbolic_threshold_equals_the_exact_one():
    import sympy

    expr = absorb_thresholds()["calibrated"]
    values = values_for({"war_cost_pakistan": 3})
    subs = {PARAMETERS[k].symbol: sympy.Rational(str(x)) for k, x in values.items()}
    assert sympy.Rational(expr.subs(subs)) == absorb_threshold(values)


# -- the smooth reading ---------------------------------------------------------------------------
def test_every_row_has_a_qre_reading(rows):
    for target in rows.values():
        assert target.qre_slopes, target.row
        assert target.qre_status in QRE_STATUSES and all(s[4] in QRE_STATUSES for s in target.qre_slopes)
        assert target.qre_evidence.startswith("agent QRE at lambda = 2 (a slope reads as a sign when |slope| x range")
        assert all(np.isfinite(s[3]) for s in target.qre_slopes)


def _width(label):
    p = PARAMETERS["iran_belief_absorb" if label.startswith("credibility") else label]
    return float(p.high) - float(p.low)


def test_a_qre_slope_reads_as_a_sign_only_when_clearly_nonzero(rows):
    """|slope| x range below FLAT_CHANGE is flat; above it the sign decides (no tiny slope reads as holds)."""
    seen = set()
    for target in rows.values():
        for label, _, sign, slope, status in target.qre_slopes:
            if status == "not implied":
                continue
            change = abs(slope) * _width(label)
            if change < FLAT_CHANGE:
                assert status == "flat", (target.row, label, slope)
            else:
                assert status == ("holds" if (slope > 0) == (sign == "+") else "violated"), (target.row, label)
            seen.add(status)
    assert seen == {"holds", "flat"}
    # Row 2: slopes about 1.7e-4 over a range of 2 -- both parts flat, as the regime reading is constant.
    assert rows[2].status == "holds weakly" and rows[2].qre_status == "flat"
    assert all(abs(s[3]) < 1e-3 and s[4] == "flat" for s in rows[2].qre_slopes)
    assert "flat, channel inactive here" in rows[2].qre_evidence and "holds" not in rows[2].qre_evidence
    # Row 5: the US counter-terrorism stake moves Pr(direct) by about 0.002 over its whole range: flat.
    assert {s[0]: s[4] for s in rows[5].qre_slopes if s[1] == "Pr(direct strike)"} == {"us_ct_stake": "flat"}


def test_qre_reads_channels_the_regimes_miss(rows):
    """Row 12: the matrix form has no W_I channel, the agent QRE's probability of standing firm has one."""
    assert rows[12].status == "not implied" and rows[12].qre_status == "holds"
    slopes = {s[0]: s[3] for s in rows[12].qre_slopes}
    assert slopes["iran_war_base"] * _width("iran_war_base") < -FLAT_CHANGE  # lowers Iran's escalation


def test_row10_qre_reading_names_the_channel_and_stays_not_implied(rows):
    """Audience costs move Iran only through the credibility of counter-escalation, not through signalling."""
    target = rows[10]
    readings = {s[1]: s for s in target.qre_slopes}
    escalation = readings["Pr(Iran escalates | calibrated)"]
    assert escalation[3] < 0 and escalation[4] == "not implied" and target.qre_status == "not implied"
    assert readings["Pr(Pakistan retaliates)"][4] == "holds"
    assert "signalling" not in target.qre_evidence
    channels = slope_channels(values_for(), "resolve_value", "Pr(Iran escalates | calibrated)")
    assert channels["credibility"] + channels["other"] == pytest.approx(escalation[3], rel=1e-12)
    assert channels["credibility"] == pytest.approx(escalation[3], rel=1e-9) and channels["other"] == 0
    assert f"of this slope, {channels['credibility']:.3g} runs through the credibility" in target.qre_evidence
    # Independent check: with no Iranian war cost (W_I = 0) the threat carries nothing and the slope vanishes.
    calm = values_for({"iran_war_base": 0, "pakistan_superiority": 0, "deterrence_erosion": 0})
    [reading] = sign_readings(10, (("resolve_value", "Pr(Iran escalates | calibrated)", "-", "holds"),), calm)
    assert abs(reading[3]) < 1e-15 and reading[4] == "flat"


@pytest.mark.parametrize("row", [1, 3, 6, 9])
def test_qre_slopes_equal_finite_differences(rows, row):
    v = values_for()
    h = 1e-6
    for name, measure, _, slope, _ in rows[row].qre_slopes:
        up, down = dict(v), dict(v)
        up[name], down[name] = float(v[name]) + h, float(v[name]) - h
        fd = (smooth_measure(logit_continuation(up), measure) - smooth_measure(logit_continuation(down), measure)) / (
            2 * h
        )
        assert slope == pytest.approx(float(fd[0]), rel=1e-5, abs=1e-9)


def test_qre_reading_can_be_violated():
    """A counter-terror Iran more escalatory than the broadening one: the prior on broaden lowers escalation."""
    parts = (("prior_broaden", "Pr(Iran escalates | calibrated)", "+", "holds"),)
    [reading] = sign_readings(9, parts, values_for({"escalation_value_ct": 15, "escalation_value_broaden": 2}))
    assert reading[3] < -0.5 and reading[4] == "violated"
    # Both types all but sure to escalate: the slope (about -1.4e-3 over a range of 1) is flat, not a violation.
    [reading] = sign_readings(9, parts, values_for({"escalation_value_ct": 15}))
    assert -FLAT_CHANGE < reading[3] < 0 and reading[4] == "flat"
    [reading] = sign_readings(9, parts, values_for())
    assert reading[3] > 0 and reading[4] == "holds"


def test_row11_qre_reading_is_the_prestrike_striking_mass(rows):
    [reading] = rows[11].qre_slopes
    mass = [prestrike_strike_mass(values_for({"iran_belief_absorb": b})) for b in (0.45, 0.55)]
    assert reading[0].startswith("credibility")
    assert reading[3] == pytest.approx(-(mass[1] - mass[0]) / 0.1, rel=0.05)  # in credibility = 1 - belief
    assert reading[4] == ("holds" if reading[3] < 0 else "violated")
