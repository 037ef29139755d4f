"""One check per claim of the USIP argument (C1-C12 of ARGUMENT.md).

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
from games.iran_pakistan.analysis import CHOICES, prestrike_equilibria, solve_continuation
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.parameters import PARAMETERS, iran_war_cost
from games.iran_pakistan.threshold import retaliation_margin, retaliation_threshold, sweep_measure, switch_point

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
def _monotone(values: np.ndarray, sign: int) -> tuple[bool, bool]:
    """(weakly monotone in direction ``sign``, strictly changes somewhere)."""
    steps = np.diff(values) * sign
    return bool((steps >= -1e-12).all()), bool((steps > 1e-12).any())


def _interval_text(name: str, grid: np.ndarray, mask: np.ndarray) -> str:
    if not mask.any():
        return f"nowhere on {name} in [{grid[0]:g}, {grid[-1]:g}]"
    if mask.all():
        return f"all of {name} in [{grid[0]:g}, {grid[-1]:g}]"
    edges = np.flatnonzero(np.diff(mask.astype(int)))
    parts, start = [], grid[0] if mask[0] else None
    for e in edges:
        mid = 0.5 * (grid[e] + grid[e + 1])
        if mask[e]:
            parts.append(f"[{start:.3g}, {mid:.3g}]")
        else:
            start = mid
    if mask[-1]:
        parts.append(f"[{start:.3g}, {grid[-1]:.3g}]")
    return f"{name} in " + " U ".join(parts)


def _p_escalate_calibrated(point: dict) -> np.ndarray:
    return solve_continuation(point)["p_escalate/calibrated"]


# -- the checks ----------------------------------------------------------------
def check_c1(v: dict[str, Any]) -> ClaimCheck:
    info = retaliation_threshold(v)
    numeric, symbolic = switch_point(v, "precedent_loss", info["conditions"])
    # Float ties are resolved within 1e-9 of the payoff scale, hence the tolerance.
    agree = numeric is not None and symbolic is not None and abs(numeric - symbolic) < 1e-6
    return ClaimCheck(
        "C1",
        "confirmed" if agree else "qualified",
        "Pakistan's best response switches from absorbing to retaliating where the precedent cost exceeds "
        "the expected cost of escalation on several fronts -- and only if Pakistan would also answer an "
        "Iranian counter-strike",
        {
            "threshold": info["text"],
            "latex": info["latex"],
            "condition_values_at_point": info["values_at_point"],
            "switch_precedent_loss_numeric": numeric,
            "switch_precedent_loss_symbolic": symbolic,
            "types_escalating_after_calibrated": info["escalating_types"],
            "counter_escalation_credible": info["counter_credible"],
        },
        f"retaliate iff {info['text']}",
    )


def check_c2(v: dict[str, Any]) -> ClaimCheck:
    bayes = solve_continuation(v)
    full = solve_continuation(v, belief={"ct": 1})
    choice_b, choice_c = CHOICES[int(bayes["choice"][0])], CHOICES[int(full["choice"][0])]
    ok = choice_b != "absorb" and choice_c != "absorb"
    grid, margin = sweep_measure(v, "resolve_value", retaliation_margin)
    return ClaimCheck(
        "C2",
        "confirmed" if ok else "refuted",
        f"Pakistan's equilibrium response is to retaliate ({choice_b} strike under uncertainty, "
        f"{choice_c} under complete information)"
        if ok
        else f"Pakistan absorbs ({choice_b})",
        {
            "response_bayesian": choice_b,
            "response_complete_information": choice_c,
            "retaliation_margin": bayes["retaliation_margin"][0],
        },
        "retaliates for " + _interval_text("resolve_value", grid, margin > 0),
    )


def check_c3(v: dict[str, Any]) -> ClaimCheck:
    out = solve_continuation(v, belief={"ct": 1})
    esc_direct, esc_cal = bool(out["escalates/direct/ct"][0]), bool(out["escalates/calibrated/ct"][0])
    choice = CHOICES[int(out["choice"][0])]
    ok = esc_direct and not esc_cal and choice == "calibrated"
    slack = iran_war_cost(v) - v["escalation_value_ct"] + v["china_mediation"]
    return ClaimCheck(
        "C3",
        "confirmed" if ok else ("qualified" if esc_direct and not esc_cal else "refuted"),
        "A direct strike would be answered by Iranian escalation, a calibrated one is not; "
        f"Pakistan's subgame-perfect choice is the {choice} strike",
        {
            "iran_escalates_after_direct": esc_direct,
            "iran_escalates_after_calibrated": esc_cal,
            "pakistan_spe_choice": choice,
            "iran_restraint_slack": slack,
        },
        "face_cost_calibrated <= W_I - escalation_value_ct + china_mediation < face_cost_direct "
        f"(here W_I - e + m = {format_value(slack)}; Pakistan's counter-escalation credible)",
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
    return ClaimCheck(
        "C4",
        "confirmed" if both_ways else "qualified",
        "India's hostility raises the cost of absorbing (emboldening) and the cost of escalating "
        "(second front); the channels are separate parameters"
        + ("" if both_ways else " -- here the second-front channel is inactive (no type escalates)"),
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
    return ClaimCheck(
        "C5",
        "confirmed" if at_point and esc.any() else ("qualified" if esc.any() else "refuted"),
        "A conflict-broadening Iran answers even a calibrated strike by escalating"
        if at_point
        else "The broadening type escalates only for some values of its escalation value",
        {"broaden_escalates_after_calibrated": at_point},
        "broaden type escalates for " + _interval_text("escalation_value_broaden", grid, esc > 0),
    )


def _restrains(v: dict[str, Any], claim: str, names: tuple[str, ...], summary: str) -> ClaimCheck:
    evidence, weak_all, strict_any, regions = {}, True, False, []
    for name in names:
        grid, p = sweep_measure(v, name, _p_escalate_calibrated)
        weak, strict = _monotone(p, -1)
        weak_all &= weak
        strict_any |= strict
        evidence[f"p_escalate_after_calibrated at {name}=low/high"] = (p[0], p[-1])
        regions.append(_interval_text(name, grid, p < p[0] - 1e-12) if strict else f"{name}: no effect on the sweep")
    counter = bool(solve_continuation(v)["counter"][0])
    status = "confirmed" if weak_all and strict_any and counter else ("qualified" if weak_all else "refuted")
    note = "" if counter else " (Pakistan's counter-escalation is not credible here, so Iran's war cost never bites)"
    return ClaimCheck(
        claim,
        status,
        summary + note,
        evidence,
        "escalation falls below its level at the lower bound for " + "; ".join(regions),
    )


def check_c6(v):
    return _restrains(
        v,
        "C6",
        ("deterrence_erosion",),
        "The more a tit-for-tat cycle erodes Iran's deterrence of the US and Israel, the less Iran escalates",
    )


def check_c7(v):
    return _restrains(
        v,
        "C7",
        ("iran_overstretch", "pakistan_superiority"),
        "Overstretch and a stronger, nuclear-armed Pakistan lower Iranian escalation",
    )


def check_c8(v: dict[str, Any]) -> ClaimCheck:
    base = _restrains(v, "C8", ("china_mediation", "china_leverage"), "")
    grid, margin = sweep_measure(v, "china_mediation", retaliation_margin)
    weak, strict = _monotone(margin, +1)
    ok = base.status == "confirmed" and weak and strict
    evidence = dict(base.evidence)
    evidence["retaliation_margin at china_mediation=low/high"] = (margin[0], margin[-1])
    return ClaimCheck(
        "C8",
        "confirmed" if ok else ("qualified" if weak else "refuted"),
        "Chinese mediation and leverage lower Iranian escalation and thereby make retaliation more "
        "attractive to Pakistan (the model has no channel for China restraining Pakistan itself)",
        evidence,
        base.region + "; retaliation margin rises with china_mediation" if strict else base.region,
    )


def check_c9(v: dict[str, Any]) -> ClaimCheck:
    iran = _restrains(v, "C9", ("us_pressure_on_iran",), "")
    grid, margin = sweep_measure(v, "us_ct_stake", retaliation_margin)
    weak, _ = _monotone(margin, -1)
    full = solve_continuation(v, belief={"ct": 1})
    contained = not bool(full["escalates/calibrated/ct"][0]) and CHOICES[int(full["choice"][0])] != "direct"
    ok = iran.status == "confirmed" and weak and contained
    evidence = dict(iran.evidence)
    evidence.update(
        {
            "retaliation_margin at us_ct_stake=low/high": (margin[0], margin[-1]),
            "contained_under_complete_information": contained,
        }
    )
    return ClaimCheck(
        "C9",
        "confirmed" if ok else "qualified",
        "US pressure raises Iran's cost of escalating; the US counter-terrorism stake raises Pakistan's "
        "cost of a flare-up and trims its retaliation margin; the crisis stays contained",
        evidence,
        iran.region + "; " + _interval_text("us_ct_stake", grid, margin > 0) + " keeps retaliation",
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
    return ClaimCheck(
        "C10",
        "confirmed" if varies else "qualified",
        "Pakistan's optimal response depends on its belief over Iran's motive (counter-terror, broaden, coerce)",
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
    path_ok = CHOICES[int(full["choice"][0])] == "calibrated" and not bool(full["escalates/calibrated/ct"][0])
    p_esc = float(bayes["p_escalate"][0])
    status = "confirmed" if path_ok and p_esc == 0 else ("qualified" if path_ok else "refuted")
    return ClaimCheck(
        "C11",
        status,
        "Equilibrium path: a limited (calibrated) Pakistani strike followed by Iranian restraint"
        + (
            f"; under uncertainty over Iran's motive the broadening type still escalates (probability {p_esc:.2f})"
            if p_esc > 0
            else ""
        ),
        {
            "complete_information_path": "calibrated -> stand down" if path_ok else "other",
            "p_escalation_on_path_bayesian": p_esc,
        },
        "restraint holds for every motive type whose escalation value is below "
        "W_I + face_cost_calibrated - china_mediation",
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
    strikes_ct = [
        (
            "ct"
            in (
                prestrike_equilibria({**v, "iran_belief_absorb": Fraction(x).limit_denominator(1000)})
                or [{"strikers": ()}]
            )[0]["strikers"]
        )
        for x in grid
    ]
    return ClaimCheck(
        "C12",
        "confirmed" if strikers else "qualified",
        "Striking a stronger neighbour is rational for Iran only for a motive that values confrontation "
        f"(types striking even against certain retaliation: {hard_text}) or with an "
        f"expectation that Pakistan would absorb the strike",
        {
            "striking_types_at_calibration": list(strikers),
            "pakistan_response": eqs[0]["response"],
            "value_of_striking": eqs[0]["values"],
            "types_striking_if_retaliation_certain": hard_text,
            "number_of_equilibria": len(eqs),
        },
        "counter-terror Iran strikes for " + _interval_text("iran_belief_absorb", grid, np.array(strikes_ct)),
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
