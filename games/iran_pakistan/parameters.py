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
  taliban_emboldening) + resolve_value``; a strike ``r`` that Iran leaves
  unanswered restores the share ``rho_r`` of it (``restoration_calibrated``,
  ``restoration_direct``), a counter-escalation restores all of it;
* front multiplier, ``phi = india_second_front + taliban_front`` (the TTP's
  second channel is its own parameter, separate from its emboldening);
* Pakistan's cost of an open interstate clash, ``C_P = war_cost_pakistan *
  (1 + phi) + us_ct_stake``;
* Pakistan's cost of a strike ``r``: ``k_r + china_pakistan_weight *
  china_mediation``, plus ``us_ct_stake`` for a direct strike (Washington
  restrains a strike on Iranian state targets as well as a flare-up);
* Iran's cost of escalating, paid whatever Pakistan does next, ``R_I =
  us_pressure_on_iran + china_leverage + iran_overstretch``;
* Iran's cost of an open clash, paid only if Pakistan counter-escalates,
  ``W_I = iran_war_base + pakistan_superiority + deterrence_erosion`` (a
  stronger rival and the tit-for-tat erosion bite only if Pakistan answers,
  so they interact with the credibility of its threat).

Baseline calibration (the reasoning, term by term):

* ``P = 4 * (0.5 + 0.5) + 2 = 6``: letting the strike pass costs six times a
  calibrated strike -- the USIP analysis stresses the precedent toward India
  and the Taliban and the army chief's reputation (C1, C2);
* a calibrated strike left unanswered restores half of ``P``, a direct one
  all of it: hitting Iranian state targets shows more resolve (C3's
  trade-off; Schelling 1966);
* ``phi = 0.4 + 0.5 = 0.9`` and ``C_P = 2 * 1.9 + 1 = 4.8 < P``: an open clash
  nearly doubles through the other fronts, yet Pakistan, nuclear-armed and
  stronger (F3), would still answer an Iranian counter-strike;
* ``R_I = 1 + 1 + 1 = 3`` and ``W_I = 1 + 1.5 + 1 = 3.5`` (C6-C9);
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

from deterrence.parameters import Parameter, ParameterSet
from games.iran_pakistan.quantities import (
    check_priors,
    front_multiplier,
    iran_escalation_cost,
    iran_war_cost,
    pakistan_clash_cost,
    precedent_cost,
    priors,
    strike_cost,
)

__all__ = [
    "PARAMETERS",
    "TYPES",
    "TYPE_LABELS",
    "precedent_cost",
    "front_multiplier",
    "pakistan_clash_cost",
    "strike_cost",
    "iran_escalation_cost",
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
            "taliban_emboldening",
            F(1, 2),
            0,
            1,
            "weight 0-1",
            "how much the Afghan Taliban and the TTP would read an unanswered strike as weakness",
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
        Parameter(
            "restoration_calibrated",
            F(1, 2),
            0,
            1,
            "share 0-1",
            "share of the precedent cost a calibrated strike restores if Iran leaves it unanswered",
            ("C1", "C3"),
            "C3 (limited force signals less resolve); Schelling (1966); "
            + _CAL
            + "half: a strike on militant camps answers the violation but spares Iran",
        ),
        Parameter(
            "restoration_direct",
            1,
            0,
            1,
            "share 0-1",
            "share of the precedent cost a direct strike on Iranian state targets restores if unanswered",
            ("C3",),
            "C3 (the direct strike's upside); Schelling (1966); "
            + _CAL
            + "all of it: hitting state targets leaves no doubt about resolve",
        ),
        # -- Pakistan: the cost of answering (C1, C3, C8, C9) --------------------------
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
            "Pakistan's own cost of a strike on Iranian state or military targets",
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
            "taliban_front",
            F(1, 2),
            0,
            2,
            "multiplier",
            "extra fronts: how much TTP attacks from Afghanistan multiply the cost of a clash (western front)",
            ("C1",),
            "F4 (Taliban shelter the TTP), C1 (three-front dilemma); "
            + _CAL
            + "half a front: TTP attacks rose through 2023 but the Taliban avoid open war",
        ),
        Parameter(
            "us_ct_stake",
            1,
            0,
            10,
            "payoff units",
            "Pakistan's cost, through US counter-terrorism cooperation at risk, of a clash or a direct strike",
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
            "us_condemnation",
            F(1, 2),
            0,
            5,
            "payoff units",
            "cost to Iran of the US condemnation its first strike draws",
            ("C9", "C12"),
            "F4 (the State Department condemned Iran's strikes), C9, C12; "
            + _CAL
            + "half a unit: words, not sanctions",
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
            "strength of China's mediation: face-saving value it adds to Iran standing down",
            ("C8",),
            "F4 (China tried to mediate), C8; Kydd (2003) mediation, face-saving encoding; "
            + _CAL
            + "half a unit: modest",
        ),
        Parameter(
            "china_pakistan_weight",
            F(1, 10),
            0,
            2,
            "share 0-2",
            "cost to Pakistan of striking, per unit of Chinese mediation (Beijing urged restraint on both)",
            ("C8",),
            "F4 (China tried to talk Pakistan out of retaliating); Kydd (2003) mediation; "
            + _CAL
            + "a tenth: Pakistan struck within two days of Iran's strike despite Beijing's appeals (F2)",
        ),
        Parameter(
            "china_leverage",
            1,
            0,
            5,
            "payoff units",
            "cost China's displeasure adds to any Iranian escalation against Pakistan",
            ("C8",),
            "F4, C8; Kydd (2003), cost-shifter encoding; " + _CAL + "one unit, as each of Iran's restraints",
        ),
        Parameter(
            "us_pressure_on_iran",
            1,
            0,
            5,
            "payoff units",
            "cost US pressure adds to any Iranian escalation",
            ("C9",),
            "F4 (State Department condemnation), C9; " + _CAL + "one unit, as each of Iran's restraints",
        ),
        Parameter(
            "iran_overstretch",
            1,
            0,
            5,
            "payoff units",
            "Iran's extra cost of escalating from proxies engaged elsewhere and short spares",
            ("C7",),
            "F3 (proxies in Iraq, Syria, Red Sea), C7; " + _CAL + "one unit, as each of Iran's restraints",
        ),
        Parameter(
            "pakistan_superiority",
            F(3, 2),
            0,
            5,
            "payoff units",
            "Iran's extra cost of an open clash with a stronger, nuclear-armed Pakistan that answers",
            ("C7",),
            "F3, C7; Powell (1990) power and resolve; " + _CAL + "1.5 units: heavier than the other restraints",
        ),
        Parameter(
            "deterrence_erosion",
            1,
            0,
            5,
            "payoff units",
            "erosion of Iran's deterrence of the US and Israel if Pakistan keeps striking back (tit-for-tat)",
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
            "C5, C10(b); Fearon (1995); " + _CAL + "eight: above R_I + W_I - f_K + m = 5, so this type escalates",
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
        # -- the watching challenger of the reputation form (C1) ---------------------
        Parameter(
            "challenger_prior_resolute",
            F(2, 5),
            0,
            1,
            "probability",
            "a watching challenger's prior (India, the TTP) that Pakistan is resolute",
            ("C1",),
            "C1; Kreps & Wilson (1982) reputation; " + _CAL + "0.4: Pakistan's record of restraint cuts both ways",
        ),
        Parameter(
            "challenger_gain",
            1,
            0,
            10,
            "payoff units",
            "what a challenge gains the challenger against a Pakistan that gives way",
            ("C1",),
            "C1; Kreps & Wilson (1982); " + _CAL + "one unit, a strike's worth",
        ),
        Parameter(
            "challenger_cost",
            1,
            0,
            10,
            "payoff units",
            "what a challenge costs the challenger when a resolute Pakistan fights it off",
            ("C1",),
            "C1; Kreps & Wilson (1982); " + _CAL + "one unit: gain and cost balanced",
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
