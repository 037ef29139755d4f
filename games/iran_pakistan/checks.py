"""The evidence and the generated sentences of each claim row (C1-C12).

Every builder reads one point's :func:`~games.iran_pakistan.claim_status.claim_details`
(``d``, arrays indexed at 0) and the calibration ``v``, and returns
``(summary, evidence, region_note)``.  The status is not decided here: it is
the vectorised code, so a sentence can only describe what the code computed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.io.tables import format_value
from games.iran_pakistan.analysis import CHOICES, TYPE_KEYS, solve_continuation, war_costs
from games.iran_pakistan.claim_status import CONFIRMED, QUALIFIED, REFUTED, RESTRAINTS, sweep_grid
from games.iran_pakistan.forms import outcome_payoffs
from games.iran_pakistan.parameters import PARAMETERS, TYPE_LABELS
from games.iran_pakistan.threshold import (
    RETALIATION_RULE,
    front_cliff,
    restraint_bound,
    retaliation_rule,
    retaliation_threshold,
    rule_switch,
    switch_point,
)

__all__ = ["BUILDERS", "fmt"]

Row = tuple[str, dict[str, Any], str]


def fmt(x: Any) -> str:
    """A number as short text: exact fractions in full, floats to three significant digits."""
    if isinstance(x, (np.integer, np.bool_)):
        x = int(x)
    return format_value(x) if isinstance(x, (int, Fraction)) else f"{float(x):.3g}"


def _pct(p: Any) -> str:
    return f"{float(p):.2f}"


def _said(choice: str) -> str:
    return "absorbs" if choice == "absorb" else f"retaliates with a {choice} strike"


def _choice(x: Any) -> str:
    return CHOICES[int(x)]


def c1(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    info = retaliation_threshold(v)
    numeric, symbolic = switch_point(v, "precedent_loss", info["conditions"])
    exact = rule_switch(v, "precedent_loss")
    agree = (
        numeric is None and exact is None or (numeric is not None and exact is not None and abs(numeric - exact) < 1e-6)
    )
    rule, costs = retaliation_rule(v), war_costs(v)
    best = "direct" if int(rule["strike"][0]) == 2 else "calibrated"
    here = "retaliates" if bool(d["base/retaliates"][0]) else "absorbs"
    grid = sweep_grid("precedent_loss", exact=False)
    index = int(d["c1/switch_index"][0])
    choices = d["sweep/precedent_loss/choice"][0]
    margins = d["sweep/precedent_loss/retaliation_margin"][0].astype(float)
    if index < 0:
        kind = "absorbs" if (choices == 0).all() else ("retaliates" if (choices != 0).all() else "switches back")
        switch = f"Pakistan's choice does not switch from absorbing to retaliating along precedent_loss: it {kind}"
        switch += " over the whole range [0, 20]" if kind != "switches back" else ""
        p_at, strike_at = None, None
    else:
        strike_at = _choice(choices[index])
        p_at = float(d["sweep/precedent_loss/p_escalate"][0][index])
        switch = (
            f"along precedent_loss Pakistan switches from absorbing to a {strike_at} strike "
            f"(first at the grid point {grid[index]:.3g}; solver {_at(numeric)}, exact rule {_at(exact)}"
            + ("" if agree else ", they DISAGREE")
            + ")"
        )
        switch += (
            f", and there Iran escalates with probability {_pct(p_at)}, so the multi-front cost of escalation "
            "enters the choice: both horns of the dilemma bind"
            if code == CONFIRMED
            else ", yet no motive type escalates after that strike: only the precedent horn binds"
        )
    summary = (
        f"Pakistan {here} here: the precedent cost P = {fmt(costs['P'])} "
        f"{'exceeds' if here == 'retaliates' else 'does not exceed'} the expected cost of its cheaper strike "
        f"({best}, {fmt(rule[f'cost/{best}'][0])}), escalation on several fronts included; {switch}"
    )
    escalating = ", ".join(TYPE_LABELS[t] for t in info["escalating_types"]) or "none"
    evidence = {
        "threshold": info["text"],
        "latex": info["latex"],
        "condition_values_at_point": info["values_at_point"],
        "switch_precedent_loss_numeric": numeric,
        "switch_precedent_loss_symbolic": symbolic,
        "switch_precedent_loss_exact_rule": exact,
        "switch_grid_index": index,
        "strike_at_switch": strike_at,
        "p_escalate_at_switch": p_at,
        "margin_nondecreasing_in_precedent_loss": bool((np.diff(margins) >= -1e-9).all()),
        "margin_monotonicity": "by construction: P enters absorbing with weight 1 and a strike with weight <= 1",
        "strike_in_regime": info["strike"],
        f"types_escalating_after_{info['strike']}": info["escalating_types"],
        "counter_escalation_credible": info["counter_credible"],
        "threshold_holds_where": f"{'P > C_P' if info['counter_credible'] else 'P < C_P'}, the {info['strike']} "
        f"strike the cheaper one in expectation, and the types escalating after it are {escalating}",
    }
    region = (
        f"retaliate iff {RETALIATION_RULE} (here pi_K = {fmt(rule['pi/calibrated'][0])}, "
        f"pi_X = {fmt(rule['pi/direct'][0])}, P = {fmt(costs['P'])}, C_P = {fmt(costs['C_P'])})"
    )
    return summary, evidence, region


def _at(x: float | None) -> str:
    return "none in range" if x is None else f"{x:.4g}"


def c2(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    choice = _choice(d["base/choice"][0])
    full = _choice(solve_continuation(v, belief={"ct": 1})["choice"][0])
    margin = d["base/retaliation_margin"][0]
    said = "is exactly indifferent between absorbing and striking" if code == QUALIFIED else _said(choice)
    summary = (
        f"Under its prior over Iran's motive Pakistan {said} (retaliation margin {fmt(margin)}); "
        f"sure of a counter-terror Iran it {_said(full)}"
    )
    evidence = {
        "response_bayesian": choice,
        "response_complete_information": full,
        "retaliation_margin": margin,
        "exact_tie": bool(d["c2/tie"][0]),
    }
    return summary, evidence, ""


def c3(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    choice = _choice(d["base/choice"][0])
    pk, px = float(d["base/p_escalate/calibrated"][0]), float(d["base/p_escalate/direct"][0])
    pay = outcome_payoffs(v)
    sd_k, sd_x = pay["calibrated/stand_down"][0], pay["direct/stand_down"][0]
    upside = bool(d["c3/direct_upside"][0])
    pick = "to absorb" if choice == "absorb" else f"a {choice} strike"
    summary = (
        f"Pakistan chooses {pick}; Iran escalates with probability {_pct(pk)} after a calibrated strike and "
        f"{_pct(px)} after a direct one; were Iran to stand down, a direct strike would pay Pakistan {fmt(sd_x)} "
        f"against {fmt(sd_k)} for a calibrated one"
    )
    if choice == "absorb":
        verdict = "the choice of target is moot"
    elif choice == "direct":
        verdict = "the direct strike's larger restoration of deterrence outweighs the escalation it invites"
    elif pk > px:
        verdict = "the calibrated strike is chosen although it invites more escalation than the direct one"
    elif pk == px:
        verdict = "the targeting makes no difference to Iran's reply, so the calibrated strike wins on cost"
    elif upside:
        verdict = (
            "so the face-saving logic decides: the direct strike's upside is outweighed by the escalation it invites"
        )
    else:
        verdict = "so the calibrated strike wins on cost alone: the direct strike has no upside here"
    evidence = {
        "pakistan_choice": choice,
        "p_escalate_after_calibrated": pk,
        "p_escalate_after_direct": px,
        "pakistan_payoff_calibrated_if_iran_stands_down": sd_k,
        "pakistan_payoff_direct_if_iran_stands_down": sd_x,
        "direct_upside_real": upside,
    }
    return summary + "; " + verdict, evidence, ""


def _channel(code: int, name: str, rises: bool, lo: Any, hi: Any) -> str:
    if code == QUALIFIED:
        return f"{name} leaves the retaliation margin at {fmt(lo)} (channel inactive)"
    if code == REFUTED:
        return f"{name} moves the retaliation margin the wrong way somewhere ({fmt(lo)} to {fmt(hi)})"
    return f"the margin {'rises' if rises else 'falls'} from {fmt(lo)} to {fmt(hi)} along {name}"


def c4(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    emb = d["sweep/india_emboldening/retaliation_margin"][0]
    front = d["sweep/india_second_front/retaliation_margin"][0]
    ray = d["sweep/india_ray/retaliation_margin"][0]
    c_emb, c_front = int(d["c4/emboldening"][0]), int(d["c4/second_front"][0])
    net = float(ray[-1]) - float(ray[0])
    cliff = front_cliff(v)
    high = PARAMETERS["india_second_front"].high
    if cliff is None:
        cliff_text = "Pakistan's clash cost does not depend on the fronts (no war cost)"
    elif cliff <= 0:
        cliff_text = "Pakistan's counter-escalation is not credible even without a second front"
    elif cliff >= high:
        cliff_text = f"counter-escalation stays credible up to india_second_front = {fmt(high)}"
    else:
        cliff_text = f"counter-escalation stops being credible at india_second_front = {fmt(cliff)} (C_P = P)"
    summary = (
        "India cuts both ways: "
        + _channel(c_emb, "india_emboldening", True, emb[0], emb[-1])
        + "; "
        + _channel(c_front, "india_second_front", False, front[0], front[-1])
        + f"; along the ray where both scale together the margin goes from {fmt(ray[0])} to {fmt(ray[-1])} "
        + f"(net {'rise' if net > 1e-12 else ('fall' if net < -1e-12 else 'nil')}); {cliff_text}"
    )
    evidence = {
        "margin_along_india_emboldening_low_high": (emb[0], emb[-1]),
        "margin_along_india_second_front_low_high": (front[0], front[-1]),
        "margin_along_joint_ray_low_high": (ray[0], ray[-1]),
        "emboldening_channel": ("wrong sign", "inactive", "active")[c_emb],
        "second_front_channel": ("wrong sign", "inactive", "active")[c_front],
        "credibility_cliff_india_second_front": cliff,
    }
    return summary, evidence, ""


def c5(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    choice = _choice(d["base/choice"][0])
    after = {r: bool(d[f"base/escalates/{r}/broaden"][0]) for r in ("calibrated", "direct")}
    if code == CONFIRMED:
        summary = f"A conflict-broadening Iran answers Pakistan's {choice} strike by escalating"
    elif code == QUALIFIED:
        which = " and ".join(r for r, e in after.items() if e)
        summary = f"The broadening type would escalate after a {which} strike, but " + (
            "Pakistan absorbs" if choice == "absorb" else f"it stands down after Pakistan's {choice} strike"
        )
    else:
        summary = "The broadening type stands down after every strike: the restraints and face costs outweigh its value"
    bound = restraint_bound(v)["broaden"]
    evidence = {
        "pakistan_choice": choice,
        "broaden_escalates_after_calibrated": after["calibrated"],
        "broaden_escalates_after_direct": after["direct"],
        "restraint_bound_after_calibrated": bound,
        "definitional_part": "escalation_value_broaden enters Iran's escalation payoff directly, so a large value "
        "makes this type escalate by definition; the check is refuted only through the restraints (R_I, W_I), "
        "China's mediation and the face costs",
    }
    return summary, evidence, ""


def _first_rise(d: dict[str, np.ndarray], name: str) -> str:
    """Where on-path escalation first rises along ``name``, and what Pakistan does there."""
    p = d[f"sweep/{name}/p_escalate"][0].astype(float)
    choice, counter = d[f"sweep/{name}/choice"][0], d[f"sweep/{name}/counter"][0]
    grid = sweep_grid(name, exact=False)
    i = int(np.flatnonzero(np.diff(p) > 1e-12)[0])
    text = (
        f"on-path escalation rises from {_pct(p[i])} to {_pct(p[i + 1])} between {name} = {grid[i]:.3g} "
        f"and {grid[i + 1]:.3g}"
    )
    before, after = _choice(choice[i]), _choice(choice[i + 1])
    if before != after:
        move = "to absorbing" if after == "absorb" else f"to a {after} strike"
        text += f", where Pakistan switches from {'absorbing' if before == 'absorb' else f'a {before} strike'} {move}"
        if before == "absorb":
            text += ": restraining Iran emboldens Pakistan to strike"
    if bool(counter[i]) and not bool(counter[i + 1]):
        text += ", where Pakistan's counter-escalation stops being credible"
    return text


def _restraint_row(claim: str, what: str) -> Callable[[dict[str, Any], dict[str, np.ndarray], int], Row]:
    def build(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
        said: list[str] = []
        evidence: dict[str, Any] = {}
        for name in RESTRAINTS[claim]:
            p = d[f"sweep/{name}/p_escalate"][0].astype(float)
            k = d[f"sweep/{name}/p_escalate/calibrated"][0].astype(float)
            x = d[f"sweep/{name}/p_escalate/direct"][0].astype(float)
            ch = d[f"sweep/{name}/choice"][0]
            c = int(d[f"restraint/{name}"][0])
            if c == REFUTED:
                said.append(_first_rise(d, name))
            elif c == CONFIRMED:
                said.append(f"on-path escalation falls from {_pct(p[0])} to {_pct(p[-1])} as {name} rises")
            else:
                said.append(f"{name} leaves on-path escalation at {_pct(p[0])} over its whole range")
            evidence[f"p_path_along_{name}_low_high"] = (p[0], p[-1])
            evidence[f"pakistan_choice_along_{name}_low_high"] = (_choice(ch[0]), _choice(ch[-1]))
            evidence[f"reaction_after_calibrated_along_{name}_low_high"] = (k[0], k[-1])
            evidence[f"reaction_after_direct_along_{name}_low_high"] = (x[0], x[-1])
        evidence["reaction_function_monotonicity"] = (
            "by construction: each restraint lowers only Iran's payoff of escalating (or raises its payoff of "
            "standing down), so Iran's escalation after each strike never rises with it; the claim is tested on "
            "the path, where Pakistan's response moves too"
        )
        return what + ": " + "; ".join(said), evidence, ""

    return build


def c8(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    summary, evidence, _ = _restraint_row("C8", "China")(v, d, code)
    top = d["sweep/china_mediation/retaliation_margin"][0][-1]
    here = d["base/retaliation_margin"][0]
    b = bool(d["c8/b"][0])
    summary += (
        f"; Pakistan's retaliation margin at the top of china_mediation's range is {fmt(top)} against {fmt(here)} "
        + (
            "here: mediation makes a strike safer more than China's appeals make it dearer"
            if b
            else (
                "here: China's appeals to Pakistan make a strike dearer more than mediation makes it safer"
                if float(top) < float(here)
                else "here: stronger mediation does not raise it"
            )
        )
    )
    evidence.update({"margin_at_top_of_china_mediation": top, "margin_at_point": here, "part_b_holds": b})
    return summary, evidence, ""


def c9(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    summary, evidence, _ = _restraint_row("C9", "US pressure")(v, d, code)
    p = d["sweep/us_ct_stake/p_escalate"][0].astype(float)
    ch = d["sweep/us_ct_stake/choice"][0]
    b = bool(d["c9/b"][0])
    summary += "; " + (
        f"a larger US counter-terrorism stake never raises on-path escalation ({_pct(p[0])} to {_pct(p[-1])})"
        if b
        else "a larger US counter-terrorism stake does not contain the crisis: " + _first_rise(d, "us_ct_stake")
    )
    evidence.update(
        {
            "p_path_along_us_ct_stake_low_high": (p[0], p[-1]),
            "pakistan_choice_along_us_ct_stake_low_high": (_choice(ch[0]), _choice(ch[-1])),
            "part_b_holds": b,
        }
    )
    return summary, evidence, ""


_IRAN = {"ct": "a counter-terror Iran", "broaden": "a conflict-broadening Iran", "coerce": "a coercing Iran"}


def _belief_grid(v: dict[str, Any], n: int = 21) -> list[tuple[Any, Any, str]]:
    exact = all(isinstance(x, (int, Fraction)) for x in v.values())
    steps = [Fraction(k, n - 1) for k in range(n)] if exact else [k / (n - 1) for k in range(n)]
    cells = [(b, c) for b in steps for c in steps if b + c <= 1]
    point = {k: np.array([x] * len(cells), dtype=object if exact else float) for k, x in v.items()}
    point["prior_broaden"] = np.array([b for b, _ in cells], dtype=object if exact else float)
    point["prior_coerce"] = np.array([c for _, c in cells], dtype=object if exact else float)
    choice = solve_continuation(point)["choice"]
    return [(b, c, _choice(x)) for (b, c), x in zip(cells, choice, strict=True)]


def c10(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    sure = {t: _choice(d[f"vertex/{t}"][0]) for t in TYPE_KEYS}
    grid = _belief_grid(v)
    shares = {c: sum(g[2] == c for g in grid) / len(grid) for c in CHOICES}
    spread = ", ".join(f"{c} {s:.0%}" for c, s in shares.items() if s > 0)
    if code == CONFIRMED:
        summary = (
            "Pakistan's response depends on its belief over Iran's motive: sure of "
            + ", ".join(f"{_IRAN[t]} it {_said(c)}" for t, c in sure.items())
            + f"; over the belief simplex: {spread}"
        )
    else:
        summary = f"Pakistan's response is the same at every belief over Iran's motive: it {_said(sure['ct'])}"
    evidence = {
        "response_if_sure_of_type": sure,
        "share_of_belief_simplex": shares,
        "belief_grid": [[b, c, ch] for b, c, ch in grid],
        "belief_grid_columns": ["prior_broaden", "prior_coerce", "response"],
    }
    return summary, evidence, ""


def c11(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    choice = _choice(d["base/choice"][0])
    p = float(d["base/p_escalate"][0])
    shown = {
        "absorb": "Pakistan absorbs",
        "calibrated": "a limited (calibrated) Pakistani strike",
        "direct": "a direct Pakistani strike",
    }[choice]
    if choice == "absorb":
        then = ""
    elif p == 0:
        then = " followed by Iranian restraint"
    else:
        then = f" met by Iranian escalation with probability {_pct(p)}"
    bound = restraint_bound(v)
    credible = bool(d["base/counter"][0])
    region = (
        "restraint holds after a calibrated strike for a motive type iff its escalation value is at most "
        + (
            "R_I + W_I - face_cost_calibrated + china_mediation"
            if credible
            else "R_I - face_cost_calibrated + china_mediation"
        )
        + " (less coerce_face_premium for the coercing type)"
        + (
            " while Pakistan's counter-escalation is credible"
            if credible
            else ", Pakistan's counter-escalation not being credible"
        )
        + "; here "
        + ", ".join(f"{TYPE_LABELS[t]} {format_value(b)}" for t, b in bound.items())
    )
    evidence = {
        "path_under_prior": choice,
        "p_escalation_on_path_bayesian": p,
        "restraint_bound_by_type": bound,
        "restraint_bound_formula": str(restraint_bound({}, symbolic=True)),
    }
    return f"Equilibrium path under Pakistan's prior: {shown}{then}", evidence, region


def _mix(weights: dict[str, Any], names: dict[str, str]) -> str:
    shown = [f"{names.get(k, k)} {fmt(x)}" for k, x in weights.items() if x != 0]
    return ", ".join(shown) or "none"


def c12(v: dict[str, Any], d: dict[str, np.ndarray], code: int) -> Row:
    from games.iran_pakistan.claim_status import prestrike_module

    module = prestrike_module()
    if module is None:
        return "pre-strike game pending", {"pending": True}, ""
    found = module.prestrike_assessments(v) if hasattr(module, "prestrike_assessments") else []
    from games.iran_pakistan.parameters import priors

    prior = priors(v)
    parts = []
    for eq in found:
        strike = ", ".join(f"{TYPE_LABELS[t]} {fmt(x)}" for t, x in eq["strike"].items())  # zeros too
        response = _mix(eq["response"], {})
        parts.append(
            f"an equilibrium ({eq['kind']}) with striking probabilities {strike} and a resolved Pakistan "
            f"responding {response}"
        )
    held = [TYPE_LABELS[t] for t in prior if prior[t] > 0 and any(eq["strike"][t] < 1 for eq in found)]
    verdict = {
        CONFIRMED: "striking is not unconditionally rational for Iran ("
        + (
            f"here the {' and '.join(held)} type{'s hold' if len(held) > 1 else ' holds'} back: Pr(strike) < 1"
            if held
            else "striking mass rises with iran_belief_absorb"
        )
        + ")",
        QUALIFIED: "every motive type strikes here, and striking mass never rises with iran_belief_absorb",
        REFUTED: "every motive type strikes with probability 1 at every iran_belief_absorb in [0, 1]",
    }[code]
    evidence: dict[str, Any] = {
        "refinement": getattr(module, "REFINEMENT", "perfect Bayesian equilibria"),
        "equilibria": found,
        "number_of_equilibria": len(found),
        "types_holding_back": held,
    }
    if hasattr(module, "striking_mass"):
        beliefs = np.linspace(0.0, 1.0, 5)
        batch = {k: np.full(len(beliefs), float(x)) for k, x in v.items()}
        batch["iran_belief_absorb"] = beliefs
        mass = module.striking_mass(batch)
        evidence["striking_mass_by_iran_belief_absorb"] = {
            f"{b:g}": (float(lo), float(hi)) for b, lo, hi in zip(beliefs, mass["least"], mass["greatest"], strict=True)
        }
    where = "; ".join(parts) if parts else "no equilibrium found"
    game = "the two-sided pre-strike game (PBE with dominance-consistent beliefs: no strike blamed on a soft Pakistan)"
    return f"In {game}: {where}; so {verdict}", evidence, ""


BUILDERS: dict[str, Callable[[dict[str, Any], dict[str, np.ndarray], int], Row]] = {
    "C1": c1,
    "C2": c2,
    "C3": c3,
    "C4": c4,
    "C5": c5,
    "C6": _restraint_row("C6", "Erosion of Iran's deterrence of the US and Israel"),
    "C7": _restraint_row("C7", "Overstretch and a stronger Pakistan"),
    "C8": c8,
    "C9": c9,
    "C10": c10,
    "C11": c11,
    "C12": c12,
}
