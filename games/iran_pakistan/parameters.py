"""The shared parameter block of the Iran-Pakistan model family.

Every form of the model (matrix, sequential, pre-strike, Bayesian) reads the
same parameters.  Payoffs are in *payoff units*: one unit is the direct cost
to Pakistan of a calibrated strike (``calibrated_cost = 1`` at baseline).
Provenance codes: F1-F4 are the facts and C1-C12 the claims set out in
``docs/argument.md`` (after the USIP analysis, January 2024), with the
literature behind each encoding (author, year; full references there);
"calibration" marks a value we chose, with the reason.

Derived quantities (the same formulas serve sympy symbols and numpy arrays):

* precedent cost of absorbing, ``P = precedent_loss * (india_emboldening +
  taliban_pressure) + resolve_value``;
* front multiplier, ``phi = india_second_front + taliban_pressure``;
* Pakistan's cost of an open interstate clash, ``C_P = war_cost_pakistan *
  (1 + phi) + us_ct_stake``;
* Iran's cost of that clash, ``W_I = iran_war_base + iran_overstretch +
  pakistan_superiority + us_pressure_on_iran + china_leverage +
  deterrence_erosion`` (docs/argument.md).

Baseline calibration (the reasoning, term by term):

* ``P = 4 * (0.5 + 0.5) + 2 = 6``: letting the strike pass costs six times a
  calibrated strike -- the USIP analysis stresses the precedent toward India
  and the Taliban and the army chief's reputation (C1, C2);
* ``phi = 0.4 + 0.5 = 0.9`` and ``C_P = 2 * 1.9 + 1 = 4.8 < P``: an open clash
  nearly doubles through the other fronts, yet Pakistan, nuclear-armed and
  stronger (F3), would still answer an Iranian counter-strike -- it is
  "willing to ride the escalation ladder";
* ``W_I = 1 + 1 + 1.5 + 1 + 1 + 1 = 6.5``: six restraints of equal weight,
  Pakistan's superiority a little heavier (F3, C6-C9);
* Iran's face costs: 2 for leaving a calibrated strike on separatist camps
  unanswered, 10 for a direct strike on its forces (C3);
* motive values of escalating: counter-terror 0, broaden 8, coerce 3 (C5, C10);
* priors: broaden 0.2, coerce 0.3, counter-terror 0.5 (Iran's official
  reason is counter-terror, F1; the simultaneous strikes in Iraq and Syria
  give the other motives weight);
* Iran's belief that Pakistan would absorb the strike, 0.5: past border
  incidents were downplayed by both sides (USIP) (C12).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from deterrence.errors import ParameterError
from deterrence.parameters import Parameter, ParameterSet

__all__ = [
    "PARAMETERS",
    "TYPES",
    "TYPE_LABELS",
    "precedent_cost",
    "front_multiplier",
    "pakistan_clash_cost",
    "iran_war_cost",
    "priors",
    "check_priors",
]

F = Fraction
_CAL = "calibration: "

PARAMETERS = ParameterSet(
    [
        # -- Pakistan: the cost of letting the strike pass (C1, C2, C4) -----------------
        Parameter(
            "precedent_loss",
            4,
            0,
            20,
            "payoff units",
            "reputation Pakistan loses per unit weight of watching challengers if it absorbs",
            ("C1", "C2"),
            "C1; Kreps & Wilson (1982) reputation; "
            + _CAL
            + "absorbing must cost more than a strike (the USIP analysis stresses the precedent)",
        ),
        Parameter(
            "india_emboldening",
            F(1, 2),
            0,
            1,
            "weight 0-1",
            "how much India would read an unanswered strike as weakness (emboldening channel)",
            ("C1", "C4"),
            "F4 (India's MFA backed Iran), C1, C4; "
            + _CAL
            + "middle of the 0-1 scale: hostile, but a cease-fire holds",
        ),
        Parameter(
            "taliban_pressure",
            F(1, 2),
            0,
            1,
            "weight 0-1",
            "Afghan Taliban/TTP pressure: weight of the western challenger in the precedent and in the fronts",
            ("C1",),
            "F4 (Taliban shelter the TTP), C1; " + _CAL + "middle of the 0-1 scale: relations poor, no open war",
        ),
        Parameter(
            "resolve_value",
            2,
            0,
            10,
            "payoff units",
            "audience cost to the army chief of not answering (value of showing resolve)",
            ("C2",),
            "C2 (the army chief's reputation for firmness); Fearon (1994) audience costs; "
            + _CAL
            + "two units, a third of P",
        ),
        # -- Pakistan: the cost of answering (C1, C3, C9) ------------------------------
        Parameter(
            "calibrated_cost",
            1,
            0,
            10,
            "payoff units",
            "Pakistan's direct cost of a calibrated strike on separatist camps (the unit)",
            ("C3",),
            "F2; " + _CAL + "the numeraire: one payoff unit is this cost",
        ),
        Parameter(
            "direct_cost",
            2,
            0,
            10,
            "payoff units",
            "Pakistan's direct cost of a strike on Iranian state or military targets",
            ("C3",),
            "C3; Schelling (1966) limited force; "
            + _CAL
            + "twice the calibrated strike: a larger operation that breaks a norm",
        ),
        Parameter(
            "escalation_damage",
            2,
            0,
            10,
            "payoff units",
            "damage to Pakistan from an Iranian counter-strike on its forces",
            ("C1",),
            "C1, C11; " + _CAL + "twice a calibrated strike: Iran can hurt Pakistani forces but not decisively",
        ),
        Parameter(
            "war_cost_pakistan",
            2,
            0,
            20,
            "payoff units",
            "Pakistan's cost of an open clash with Iran on one front",
            ("C1",),
            "C1, F3; Zagare & Kilgour (2000) credibility; "
            + _CAL
            + "kept so that C_P < P: Pakistan's counter-escalation is credible",
        ),
        Parameter(
            "india_second_front",
            F(2, 5),
            0,
            2,
            "multiplier",
            "extra fronts: how much India's hostility multiplies the cost of a clash (second-front channel)",
            ("C1", "C4"),
            "C1, C4 (three-front dilemma); "
            + _CAL
            + "a cease-fire holds on the eastern border, so well below one extra front",
        ),
        Parameter(
            "us_ct_stake",
            1,
            0,
            10,
            "payoff units",
            "Pakistan's cost of a flare-up through US counter-terrorism cooperation at risk",
            ("C9",),
            "F4, C9 (US wants no flare-up that disrupts CT cooperation); "
            + _CAL
            + "one unit, as each of Iran's restraints",
        ),
        # -- Iran: gains, face and restraints (C3, C5-C9, C12) -------------------------
        Parameter(
            "iran_strike_gain",
            1,
            0,
            10,
            "payoff units",
            "Iran's gain from its strike on Jaish al-Adl standing unanswered",
            ("C12",),
            "F1 (reprisal for Rask), C12; " + _CAL + "one unit: a limited raid on militant camps",
        ),
        Parameter(
            "face_cost_calibrated",
            2,
            0,
            20,
            "payoff units",
            "Iran's loss of face if it leaves a calibrated strike on separatist camps unanswered",
            ("C3",),
            "C3 (non-state targets limit Iran's loss of face); Schelling (1966); "
            + _CAL
            + "twice a strike's cost, a fifth of a direct hit's",
        ),
        Parameter(
            "face_cost_direct",
            10,
            0,
            30,
            "payoff units",
            "Iran's loss of face if it leaves a direct strike on its forces unanswered",
            ("C3",),
            "C3; Schelling (1966); " + _CAL + "ten units: a direct hit on state targets is hard to leave unanswered",
        ),
        Parameter(
            "china_mediation",
            F(1, 2),
            0,
            5,
            "payoff units",
            "face-saving value China's mediation adds to Iran standing down",
            ("C8",),
            "F4 (China tried to mediate), C8; Kydd (2003) mediation, face-saving encoding; "
            + _CAL
            + "half a unit: modest",
        ),
        Parameter(
            "china_leverage",
            1,
            0,
            5,
            "payoff units",
            "cost China's displeasure adds to Iran's open clash with Pakistan",
            ("C8",),
            "F4, C8; Kydd (2003), cost-shifter encoding; " + _CAL + "one unit, as each of Iran's restraints",
        ),
        Parameter(
            "us_pressure_on_iran",
            1,
            0,
            5,
            "payoff units",
            "cost US condemnation and pressure add to Iranian escalation",
            ("C9",),
            "F4 (State Department condemnation), C9; " + _CAL + "one unit, as each of Iran's restraints",
        ),
        Parameter(
            "iran_overstretch",
            1,
            0,
            5,
            "payoff units",
            "Iran's extra cost of a clash from proxies engaged elsewhere and short spares",
            ("C7",),
            "F3 (proxies in Iraq, Syria, Red Sea), C7; " + _CAL + "one unit, as each of Iran's restraints",
        ),
        Parameter(
            "pakistan_superiority",
            F(3, 2),
            0,
            5,
            "payoff units",
            "Iran's extra cost of a clash with a stronger, nuclear-armed Pakistan",
            ("C7",),
            "F3, C7; Powell (1990) power and resolve; " + _CAL + "1.5 units: heavier than the other restraints",
        ),
        Parameter(
            "deterrence_erosion",
            1,
            0,
            5,
            "payoff units",
            "erosion of Iran's deterrence of the US and Israel from a tit-for-tat cycle",
            ("C6",),
            "C6; " + _CAL + "one unit, as each of Iran's restraints",
        ),
        Parameter(
            "iran_war_base",
            1,
            0,
            10,
            "payoff units",
            "Iran's direct cost of an open clash before the named restraints",
            ("C7",),
            "C7, C11; " + _CAL + "one unit: the clash itself, before the named restraints",
        ),
        # -- Iran's motive types (C5, C10, C12) ---------------------------------------
        Parameter(
            "escalation_value_ct",
            0,
            0,
            20,
            "payoff units",
            "value of escalating to a counter-terror Iran (reprisal for Rask)",
            ("C10",),
            "C10(a), F1; Kydd (2003) motive types; " + _CAL + "zero: a reprisal has no value in a clash",
        ),
        Parameter(
            "escalation_value_broaden",
            8,
            0,
            20,
            "payoff units",
            "value of escalating to an Iran that wants to broaden the regional conflict",
            ("C5", "C10"),
            "C5, C10(b); Fearon (1995); " + _CAL + "eight: above W_I - f_K + m = 5, so this type escalates",
        ),
        Parameter(
            "escalation_value_coerce",
            3,
            0,
            20,
            "payoff units",
            "value of escalating to an Iran coercing regional states away from the US",
            ("C10",),
            "C10(c); " + _CAL + "three: between the other two types",
        ),
        Parameter(
            "coerce_face_premium",
            F(3, 2),
            0,
            10,
            "payoff units",
            "extra face cost to the coercing type of being seen to back down",
            ("C10",),
            "C10(c); a reputational term before Gulf states and the US; " + _CAL + "1.5 units",
        ),
        Parameter(
            "prior_broaden",
            F(1, 5),
            0,
            1,
            "probability",
            "Pakistan's prior that Iran wants to broaden the conflict",
            ("C5", "C10"),
            "C10; Fearon (1995) private motives; "
            + _CAL
            + "0.2: the simultaneous strikes in Iraq and Syria (F1) give it weight",
        ),
        Parameter(
            "prior_coerce",
            F(3, 10),
            0,
            1,
            "probability",
            "Pakistan's prior that Iran is coercing regional states (prior of counter-terror = rest)",
            ("C10",),
            "C10; "
            + _CAL
            + "0.3: coercion fits Iran's announced, region-wide strikes; counter-terror keeps the rest, 0.5",
        ),
        Parameter(
            "iran_belief_absorb",
            F(1, 2),
            0,
            1,
            "probability",
            "Iran's belief, before striking, that Pakistan would absorb the strike",
            ("C12",),
            "C12; Zagare & Kilgour (2000); " + _CAL + "0.5: past border incidents were downplayed by both sides",
        ),
    ]
)

#: Iran's motive types: (key, label, escalation-value parameter, face premium applies)
TYPES = (
    ("ct", "counter-terror", "escalation_value_ct", False),
    ("broaden", "broaden", "escalation_value_broaden", False),
    ("coerce", "coerce", "escalation_value_coerce", True),
)
#: The label of each motive type, by key.
TYPE_LABELS = {key: label for key, label, *_ in TYPES}


def precedent_cost(v: dict[str, Any]) -> Any:
    """``P``: what Pakistan loses by absorbing the strike."""
    return v["precedent_loss"] * (v["india_emboldening"] + v["taliban_pressure"]) + v["resolve_value"]


def front_multiplier(v: dict[str, Any]) -> Any:
    """``phi``: how much the other fronts multiply the cost of a clash."""
    return v["india_second_front"] + v["taliban_pressure"]


def pakistan_clash_cost(v: dict[str, Any]) -> Any:
    """``C_P``: Pakistan's cost of an open interstate clash with Iran."""
    return v["war_cost_pakistan"] * (1 + front_multiplier(v)) + v["us_ct_stake"]


def iran_war_cost(v: dict[str, Any]) -> Any:
    """``W_I``: Iran's cost of an open interstate clash with Pakistan."""
    return (
        v["iran_war_base"]
        + v["iran_overstretch"]
        + v["pakistan_superiority"]
        + v["us_pressure_on_iran"]
        + v["china_leverage"]
        + v["deterrence_erosion"]
    )


def priors(v: dict[str, Any]) -> dict[str, Any]:
    """Prior over Iran's motive types (counter-terror takes the remainder)."""
    return {
        "ct": 1 - v["prior_broaden"] - v["prior_coerce"],
        "broaden": v["prior_broaden"],
        "coerce": v["prior_coerce"],
    }


def check_priors(v: dict[str, Any]) -> None:
    """Raise :class:`ParameterError` if ``prior_broaden + prior_coerce > 1`` (numbers only)."""
    total = v["prior_broaden"] + v["prior_coerce"]
    if not hasattr(total, "free_symbols") and not hasattr(total, "shape") and total > 1:
        raise ParameterError(
            f"prior_broaden + prior_coerce = {float(total):g} exceeds 1; the counter-terror prior would be negative"
        )
