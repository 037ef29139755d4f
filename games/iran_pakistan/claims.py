"""One check per claim of the USIP argument (C1-C12 of docs/argument.md).

Each check takes a calibration (a full parameter point) and returns a
:class:`ClaimCheck`: ``confirmed`` (the model implies the claim at this
calibration), ``qualified`` (it holds only in part, or only under a
condition the check names) or ``refuted``; the evidence (an equilibrium, a
threshold formula or the sign of a comparative static); and the region of
parameters where the claim holds -- a sympy threshold where one exists,
numeric bounds from a one-parameter sweep otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.io.tables import format_value
from games.iran_pakistan.analysis import CHOICES, prestrike_equilibria, solve_continuation, war_costs
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.parameters import PARAMETERS, TYPE_LABELS, iran_war_cost
from games.iran_pakistan.threshold import (
    RETALIATION_RULE,
    interval_text,
    monotone,
    restraint_bound,
    retaliation_margin,
    retaliation_rule,
    retaliation_threshold,
    rule_switch,
    sweep_measure,
    switch_point,
)

__all__ = ["ClaimCheck", "audit", "CHECKS", "retaliation_threshold", "sweep_measure"]


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict on one claim at one calibration."""

    claim: str
    status: str
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)
    region: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"claim", "status", "summary", "evidence", "region"}``."""
        return {
            "claim": self.claim,
            "status": self.status,
            "summary": self.summary,
            "evidence": {k: _jsonable(x) for k, x in self.evidence.items()},
            "region": self.region,
        }


def _jsonable(x: Any) -> Any:
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.floating, float)):
        return float(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    if isinstance(x, dict):
        return {str(k): _jsonable(y) for k, y in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(y) for y in x]
    return str(x)


# -- helpers ------------------------------------------------------------------
def _p_escalate_calibrated(point: dict) -> np.ndarray:
    return solve_continuation(point)["p_escalate/calibrated"]


# -- the checks ----------------------------------------------------------------
# Every summary is composed from the computed result, so that it cannot say what the status denies.
def _fmt(x: Any) -> str:
    return format_value(x) if isinstance(x, (int, Fraction)) else f"{float(x):.3g}"


def check_c1(v: dict[str, Any]) -> ClaimCheck:
    info = retaliation_threshold(v)
    numeric, symbolic = switch_point(v, "precedent_loss", info["conditions"])
    exact = rule_switch(v, "precedent_loss")

    def close(a: float | None, b: float | None) -> bool:
        # Float ties are resolved within 1e-9 of the payoff scale, hence the tolerance.
        return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)

    agree, regime_agrees = close(numeric, exact), close(numeric, symbolic)
    rule, costs = retaliation_rule(v), war_costs(v)
    best = min(("calibrated", "direct"), key=lambda r: float(rule[f"cost/{r}"][0]))
    retaliates = bool(rule["retaliates"][0])

    def at(x: float | None) -> str:
        return "none in range" if x is None else f"{x:.4g}"

    summary = (
        f"Pakistan {'retaliates' if retaliates else 'absorbs'} here: the precedent cost P = {_fmt(costs['P'])} "
        f"{'exceeds' if retaliates else 'does not exceed'} the expected cost of its cheaper strike "
        f"({best}, {_fmt(rule[f'cost/{best}'][0])}), escalation on several fronts included; switch along "
        f"precedent_loss: solver {at(numeric)}, exact rule {at(exact)}"
        + ("" if agree else " (they DISAGREE)")
        + (
            ", and the two-condition formula of this regime agrees"
            if regime_agrees
            else f", two-condition formula {at(symbolic)} (it holds only in its regime, see evidence)"
        )
    )
    escalating = ", ".join(info["escalating_types"]) or "none"
    return ClaimCheck(
        "C1",
        "confirmed" if agree and numeric is not None else "qualified",
        summary,
        {
            "threshold": info["text"],
            "latex": info["latex"],
            "condition_values_at_point": info["values_at_point"],
            "switch_precedent_loss_numeric": numeric,
            "switch_precedent_loss_symbolic": symbolic,
            "switch_precedent_loss_exact_rule": exact,
            "types_escalating_after_calibrated": info["escalating_types"],
            "counter_escalation_credible": info["counter_credible"],
            "threshold_holds_where": "P > C_P, the types escalating after a calibrated strike are "
            f"{escalating}, and the calibrated strike is the cheaper one in expectation",
        },
        f"retaliate iff {RETALIATION_RULE} (here pi_K = {_fmt(rule['pi/calibrated'][0])}, "
        f"pi_X = {_fmt(rule['pi/direct'][0])}, P = {_fmt(costs['P'])}, C_P = {_fmt(costs['C_P'])})",
    )


def check_c2(v: dict[str, Any]) -> ClaimCheck:
    bayes = solve_continuation(v)
    full = solve_continuation(v, belief={"ct": 1})
    choice_b, choice_c = CHOICES[int(bayes["choice"][0])], CHOICES[int(full["choice"][0])]
    ok = choice_b != "absorb" and choice_c != "absorb"
    grid, margin = sweep_measure(v, "resolve_value", retaliation_margin)

    def said(choice: str) -> str:
        return "absorbs" if choice == "absorb" else f"retaliates with a {choice} strike"

    return ClaimCheck(
        "C2",
        "confirmed" if ok else "refuted",
        f"Pakistan {said(choice_b)} under uncertainty over Iran's motive and {said(choice_c)} under complete "
        f"information (retaliation margin {_fmt(bayes['retaliation_margin'][0])})",
        {
            "response_bayesian": choice_b,
            "response_complete_information": choice_c,
            "retaliation_margin": bayes["retaliation_margin"][0],
        },
        "retaliates for " + interval_text("resolve_value", grid, margin > 0),
    )


def check_c3(v: dict[str, Any]) -> ClaimCheck:
    out = solve_continuation(v, belief={"ct": 1})
    esc_direct, esc_cal = bool(out["escalates/direct/ct"][0]), bool(out["escalates/calibrated/ct"][0])
    choice = CHOICES[int(out["choice"][0])]
    ok = esc_direct and not esc_cal and choice == "calibrated"
    credible = bool(out["counter"][0])
    slack = (iran_war_cost(v) if credible else 0) - v["escalation_value_ct"] + v["china_mediation"]

    def reply(escalates: bool) -> str:
        return "answered by Iranian escalation" if escalates else "met by Iranian restraint"

    pick = "to absorb" if choice == "absorb" else f"the {choice} strike"
    return ClaimCheck(
        "C3",
        "confirmed" if ok else ("qualified" if esc_direct and not esc_cal else "refuted"),
        f"A direct strike would be {reply(esc_direct)} and a calibrated one {reply(esc_cal)}"
        + ("" if esc_direct != esc_cal else " -- the targeting makes no difference to Iran's reply here")
        + f"; Pakistan's subgame-perfect choice is {pick}",
        {
            "iran_escalates_after_direct": esc_direct,
            "iran_escalates_after_calibrated": esc_cal,
            "pakistan_spe_choice": choice,
            "iran_restraint_slack": slack,
        },
        "face_cost_calibrated <= W_I - escalation_value_ct + china_mediation < face_cost_direct "
        "while Pakistan's counter-escalation is credible, W_I dropping out otherwise "
        f"(here {'W_I - e + m' if credible else '-e + m, counter-escalation not credible,'} = {format_value(slack)})",
    )


def check_c4(v: dict[str, Any]) -> ClaimCheck:
    import sympy

    margin = retaliation_threshold(v)["conditions"][1]
    emb = sympy.diff(margin, PARAMETERS["india_emboldening"].symbol)
    front = sympy.diff(margin, PARAMETERS["india_second_front"].symbol)
    subs = {PARAMETERS[k].symbol: sympy.Rational(x) if isinstance(x, (int, Fraction)) else x for k, x in v.items()}
    d_emb, d_front = emb.subs(subs), front.subs(subs)
    both_ways = d_emb > 0 and d_front < 0
    net = d_emb * v["india_emboldening"] + d_front * v["india_second_front"]
    parts = [
        f"emboldening raises the cost of absorbing ({_fmt(d_emb)} per unit)"
        if d_emb > 0
        else "the emboldening channel is inactive here (no precedent loss)",
        f"a second front raises the expected cost of escalating ({_fmt(-d_front)} per unit)"
        if d_front < 0
        else "the second-front channel is inactive here (no type escalates)",
    ]
    return ClaimCheck(
        "C4",
        "confirmed" if both_ways else "qualified",
        "India's hostility enters through two separate parameters: "
        + "; ".join(parts)
        + f"; net effect of raising both by 1%: {'+' if net >= 0 else ''}{_fmt(net / 100)} on the retaliation margin",
        {
            "d_margin/d_india_emboldening": str(emb),
            "d_margin/d_india_second_front": str(front),
            "emboldening_effect_at_point": d_emb,
            "second_front_effect_at_point": d_front,
            "net_effect_of_scaling_both_up_1pct": net / 100,
        },
        "cuts both ways wherever some motive type answers a calibrated strike by escalating",
    )


def check_c5(v: dict[str, Any]) -> ClaimCheck:
    grid, esc = sweep_measure(
        v, "escalation_value_broaden", lambda p: solve_continuation(p)["escalates/calibrated/broaden"]
    )
    at_point = bool(solve_continuation(v)["escalates/calibrated/broaden"][0])
    region = interval_text("escalation_value_broaden", grid, esc > 0)
    if at_point:
        summary = "A conflict-broadening Iran answers even a calibrated strike by escalating"
    elif esc.any():
        summary = "The broadening type stands down here; it escalates only for " + region
    else:
        summary = "The broadening type stands down after a calibrated strike for every escalation value in range"
    return ClaimCheck(
        "C5",
        "confirmed" if at_point and esc.any() else ("qualified" if esc.any() else "refuted"),
        summary,
        {"broaden_escalates_after_calibrated": at_point},
        "broaden type escalates for " + region,
    )


def _restrains(v: dict[str, Any], claim: str, names: tuple[str, ...], what: str) -> ClaimCheck:
    evidence, weak_all, strict_any, regions, said = {}, True, False, [], []
    for name in names:
        grid, p = sweep_measure(v, name, _p_escalate_calibrated)
        weak, strict = monotone(p, -1)
        weak_all &= weak
        strict_any |= strict
        evidence[f"p_escalate_after_calibrated at {name}=low/high"] = (p[0], p[-1])
        regions.append(interval_text(name, grid, p < p[0] - 1e-12) if strict else f"{name}: no effect on the sweep")
        if not weak:
            said.append(f"escalation rises with {name} somewhere on its range")
        elif strict:
            said.append(f"escalation after a calibrated strike falls from {p[0]:.3g} to {p[-1]:.3g} as {name} rises")
        else:
            said.append(f"{name} leaves escalation at {p[0]:.3g} over its whole range")
    counter = bool(solve_continuation(v)["counter"][0])
    status = "confirmed" if weak_all and strict_any and counter else ("qualified" if weak_all else "refuted")
    note = "" if counter else " (Pakistan's counter-escalation is not credible here, so Iran's war cost never bites)"
    return ClaimCheck(
        claim,
        status,
        (what + ": " if what else "") + "; ".join(said) + note,
        evidence,
        "escalation falls below its level at the lower bound for " + "; ".join(regions),
    )


def check_c6(v):
    return _restrains(v, "C6", ("deterrence_erosion",), "Erosion of Iran's deterrence of the US and Israel")


def check_c7(v):
    return _restrains(v, "C7", ("iran_overstretch", "pakistan_superiority"), "Overstretch and a stronger Pakistan")


def check_c8(v: dict[str, Any]) -> ClaimCheck:
    base = _restrains(v, "C8", ("china_mediation", "china_leverage"), "China")
    grid, margin = sweep_measure(v, "china_mediation", retaliation_margin)
    weak, strict = monotone(margin, +1)
    ok = base.status == "confirmed" and weak and strict
    evidence = dict(base.evidence)
    evidence["retaliation_margin at china_mediation=low/high"] = (margin[0], margin[-1])
    pakistan = (
        f"Pakistan's retaliation margin rises from {margin[0]:.3g} to {margin[-1]:.3g} with china_mediation"
        if weak and strict
        else (
            "does not move Pakistan's retaliation margin" if weak else "lowers Pakistan's retaliation margin somewhere"
        )
    )
    return ClaimCheck(
        "C8",
        "confirmed" if ok else ("qualified" if weak else "refuted"),
        base.summary + "; " + pakistan + " (the model has no channel for China restraining Pakistan itself)",
        evidence,
        base.region + "; retaliation margin rises with china_mediation" if strict else base.region,
    )


def check_c9(v: dict[str, Any]) -> ClaimCheck:
    iran = _restrains(v, "C9", ("us_pressure_on_iran",), "US pressure")
    grid, margin = sweep_measure(v, "us_ct_stake", retaliation_margin)
    weak, strict = monotone(margin, -1)
    full = solve_continuation(v, belief={"ct": 1})
    choice = CHOICES[int(full["choice"][0])]
    escalates = bool(full[f"escalates/{choice}/ct"][0]) if choice != "absorb" else False
    contained = not bool(full["escalates/calibrated/ct"][0]) and choice != "direct"
    ok = iran.status == "confirmed" and weak and contained
    evidence = dict(iran.evidence)
    evidence.update(
        {
            "retaliation_margin at us_ct_stake=low/high": (margin[0], margin[-1]),
            "contained_under_complete_information": contained,
        }
    )
    stake = (
        f"the US counter-terrorism stake trims Pakistan's retaliation margin from {margin[0]:.3g} to {margin[-1]:.3g}"
        if weak and strict
        else (
            "the US stake leaves Pakistan's margin unchanged"
            if weak
            else "the US stake raises Pakistan's margin somewhere"
        )
    )
    if contained:
        outcome = "the crisis stays contained (no direct strike, no Iranian escalation under complete information)"
    else:
        outcome = (
            "the crisis is not contained: "
            + ("Pakistan strikes directly" if choice == "direct" else "a counter-terror Iran would escalate")
            + (" and Iran escalates on the path" if escalates else "")
        )
    return ClaimCheck(
        "C9",
        "confirmed" if ok else "qualified",
        iran.summary + "; " + stake + "; " + outcome,
        evidence,
        iran.region + "; " + interval_text("us_ct_stake", grid, margin > 0) + " keeps retaliation",
    )


def check_c10(v: dict[str, Any], n: int = 41) -> ClaimCheck:
    import sympy

    b, c = np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n))
    inside = b + c <= 1 + 1e-12
    point = {k: np.full(inside.sum(), float(x)) for k, x in v.items()}
    point["prior_broaden"], point["prior_coerce"] = b[inside], c[inside]
    choice = solve_continuation(point)["choice"]
    shares = {CHOICES[i]: float(np.mean(choice == i)) for i in range(3)}
    margin = retaliation_threshold(v)["conditions"][1]
    rest = {
        PARAMETERS[k].symbol: sympy.Rational(x) if isinstance(x, (int, Fraction)) else x
        for k, x in v.items()
        if k != "prior_broaden"
    }
    roots = sympy.solve(sympy.Eq(margin.subs(rest), 0), PARAMETERS["prior_broaden"].symbol)
    varies = sum(s > 0 for s in shares.values()) > 1
    spread = ", ".join(f"{c} {s:.0%}" for c, s in shares.items() if s > 0)
    return ClaimCheck(
        "C10",
        "confirmed" if varies else "qualified",
        "Pakistan's optimal response depends on its belief over Iran's motive (counter-terror, broaden, coerce): "
        + spread
        + " of the belief simplex"
        if varies
        else f"Pakistan's response is the same ({spread}) over the whole belief simplex",
        {"share_of_belief_simplex": shares},
        (
            f"Pakistan retaliates iff prior_broaden < {format_value(sympy.nsimplify(roots[0]))} "
            "(other parameters at this calibration)"
        )
        if roots
        else "response constant in prior_broaden",
    )


def check_c11(v: dict[str, Any]) -> ClaimCheck:
    full = solve_continuation(v, belief={"ct": 1})
    bayes = solve_continuation(v)
    choice = CHOICES[int(full["choice"][0])]
    reply = (
        "" if choice == "absorb" else (" -> escalate" if bool(full[f"escalates/{choice}/ct"][0]) else " -> stand down")
    )
    path_ok = choice == "calibrated" and reply == " -> stand down"
    p_esc = float(bayes["p_escalate"][0])
    status = "confirmed" if path_ok and p_esc == 0 else ("qualified" if path_ok else "refuted")
    shown = {"absorb": "Pakistan absorbs", "calibrated": "a limited (calibrated) Pakistani strike"}.get(
        choice, "a direct Pakistani strike"
    )
    then = {
        "": "",
        " -> stand down": " followed by Iranian restraint",
        " -> escalate": " followed by Iranian escalation",
    }
    choice_b = CHOICES[int(bayes["choice"][0])]
    bound = restraint_bound(v)
    credible = bool(full["counter"][0])
    formula = str(restraint_bound({}, symbolic=True))
    return ClaimCheck(
        "C11",
        status,
        f"Equilibrium path under complete information: {shown}{then[reply]}"
        + (
            f"; under uncertainty over Iran's motive Pakistan's {choice_b} response meets Iranian "
            f"escalation with probability {p_esc:.2f}"
            if p_esc > 0
            else ""
        ),
        {
            "complete_information_path": choice + reply,
            "p_escalation_on_path_bayesian": p_esc,
            "restraint_bound_by_type": bound,
            "restraint_bound_formula": formula,
        },
        "restraint holds after a calibrated strike for a motive type iff its escalation value is at most "
        + ("W_I - face_cost_calibrated + china_mediation" if credible else "china_mediation - face_cost_calibrated")
        + " (less coerce_face_premium for the coercing type)"
        + (
            " while Pakistan's counter-escalation is credible"
            if credible
            else ", Pakistan's counter-escalation not being credible"
        )
        + "; here "
        + ", ".join(f"{TYPE_LABELS[t]} {format_value(b)}" for t, b in bound.items()),
    )


def check_c12(v: dict[str, Any]) -> ClaimCheck:
    eqs = prestrike_equilibria(v)
    if not eqs:
        return ClaimCheck("C12", "qualified", "no pure perfect Bayesian equilibrium of the pre-strike game found", {})
    strikers = eqs[0]["strikers"]
    certain_retaliation = prestrike_equilibria({**v, "iran_belief_absorb": Fraction(0)})
    # With no pure PBE at certain retaliation (the counter-terror type would have to mix) say so,
    # rather than report "none" as if no type struck.
    hard_types = certain_retaliation[0]["strikers"] if certain_retaliation else None
    hard_text = "no pure equilibrium" if hard_types is None else (list(hard_types) or "none")
    grid = np.linspace(0, 1, 26)

    def ct_strikes(x: float) -> bool:
        eqs_x = prestrike_equilibria({**v, "iran_belief_absorb": Fraction(x).limit_denominator(1000)})
        return bool(eqs_x) and "ct" in eqs_x[0]["strikers"]

    strikes_ct = [ct_strikes(x) for x in grid]
    named = ", ".join(TYPE_LABELS[t] for t in strikers) or "no type"
    hard = hard_text if isinstance(hard_text, str) else ", ".join(TYPE_LABELS[t] for t in hard_text)
    return ClaimCheck(
        "C12",
        "confirmed" if strikers else "qualified",
        f"At this calibration {named} strike{'s' if len(strikers) == 1 or not strikers else ''} "
        f"(Iran's belief that Pakistan absorbs: {format_value(v['iran_belief_absorb'])}); against certain "
        f"retaliation: {hard}",
        {
            "striking_types_at_calibration": list(strikers),
            "pakistan_response": eqs[0]["response"],
            "value_of_striking": eqs[0]["values"],
            "types_striking_if_retaliation_certain": hard_text,
            "number_of_equilibria": len(eqs),
        },
        "counter-terror Iran strikes for " + interval_text("iran_belief_absorb", grid, np.array(strikes_ct)),
    )


CHECKS: dict[str, Callable[[dict[str, Any]], ClaimCheck]] = {
    "C1": check_c1,
    "C2": check_c2,
    "C3": check_c3,
    "C4": check_c4,
    "C5": check_c5,
    "C6": check_c6,
    "C7": check_c7,
    "C8": check_c8,
    "C9": check_c9,
    "C10": check_c10,
    "C11": check_c11,
    "C12": check_c12,
}


def audit(values: dict[str, Any] | None = None) -> list[ClaimCheck]:
    """Run every claim check at a calibration (defaults: the baseline).

    Examples
    --------
    >>> rows = audit()
    >>> [r.claim for r in rows][:3], rows[1].status
    (['C1', 'C2', 'C3'], 'confirmed')
    """
    v = values_for(values)
    return [check(v) for check in CHECKS.values()]
