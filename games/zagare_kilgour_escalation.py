"""The Asymmetric Escalation Game under complete information (Zagare & Kilgour 2000, ch. 6-9).

Zagare & Kilgour, *Perfect Deterrence* (Cambridge UP, 2000), App. 8 (the
general case); Kilgour & Zagare (2007), "Explaining limited conflicts",
*Conflict Management and Peace Science* 24(1):65-82.

Tree: the Challenger cooperates (SQ) or defects; the Defender concedes
(DC), responds in kind (D) or escalates (E); after D the Challenger stops
(DD, limited conflict) or escalates, and the Defender then holds (ED) or
counter-escalates (EE); after E the Challenger backs down (DE) or
counter-escalates (EE).

Published orderings (PD App. 8): ``c_ee_soft < c_de < c_ee_hard < c_dd < c_ed
< c_sq < c_dc`` and ``d_ee_soft < d_ed < d_ee_hard < d_dd_soft < d_dc <
d_dd_hard < d_de < d_sq``.  Here each player's type is fixed by the value
given to its EE (and the Defender's DD) utility: the Challenger is Hard iff
``c_ee > c_de``; the Defender is tactically Hard iff ``d_dd > d_dc`` and
strategically Hard iff ``d_ee > d_ed``.  Published result (Kilgour & Zagare
2007, abstract): under complete information neither limited nor all-out
conflict occurs; the outcome is SQ or DC (:func:`aeg_complete_outcome`).
"""

from __future__ import annotations

from typing import Any

from deterrence.analysis.outcomes import tree_outcomes
from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from games._factory import factory_values

__all__ = ["AEG_PARAMETERS", "MODELS", "aeg_complete_outcome", "asymmetric_escalation_game"]

_SRC = "orderings of Zagare & Kilgour (2000, App. 8); the numbers are our ordinal instance (Hard Ch, HH Defender)"

AEG_PARAMETERS = ParameterSet(
    [
        Parameter("c_sq", 6, -20, 20, "utility", "Challenger's value of the status quo", (), _SRC),
        Parameter("c_dc", 7, -20, 20, "utility", "Challenger's value of winning (Defender concedes)", (), _SRC),
        Parameter("c_ed", 5, -20, 20, "utility", "Challenger's value of escalating on a limited response", (), _SRC),
        Parameter("c_dd", 4, -20, 20, "utility", "Challenger's value of limited conflict", (), _SRC),
        Parameter("c_de", 2, -20, 20, "utility", "Challenger's value of backing down to escalation", (), _SRC),
        Parameter("c_ee", 3, -20, 20, "utility", "Challenger's value of all-out conflict (Hard: above c_de)", (), _SRC),
        Parameter("d_sq", 8, -20, 20, "utility", "Defender's value of the status quo", (), _SRC),
        Parameter("d_de", 7, -20, 20, "utility", "Defender's value of the Challenger backing down", (), _SRC),
        Parameter("d_dc", 5, -20, 20, "utility", "Defender's value of conceding", (), _SRC),
        Parameter(
            "d_dd",
            6,
            -20,
            20,
            "utility",
            "Defender's value of limited conflict (tactically Hard: above d_dc)",
            (),
            _SRC,
        ),  # fmt: skip
        Parameter("d_ed", 2, -20, 20, "utility", "Defender's value of being escalated on", (), _SRC),
        Parameter(
            "d_ee",
            3,
            -20,
            20,
            "utility",
            "Defender's value of all-out conflict (strategically Hard: above d_ed)",
            (),
            _SRC,
        ),  # fmt: skip
    ]
)


def asymmetric_escalation_game(**values: Any) -> ExtensiveFormGame:
    """The complete-information Asymmetric Escalation Game; parameters not given stay symbolic.

    Examples
    --------
    >>> g = asymmetric_escalation_game(**AEG_PARAMETERS.defaults())
    >>> [t.label for t, _ in g.terminals()]
    ['SQ', 'DC', 'DD', 'ED', 'EE after D', 'DE', 'EE after E']
    """
    v = factory_values(AEG_PARAMETERS, values)

    def out(o: str, label: str = "") -> Terminal:
        return Terminal((v[f"c_{o.lower()}"], v[f"d_{o.lower()}"]), label or o)

    after_d = choice("Challenger", "after response in kind", {
        "D": out("DD"),
        "E": choice("Defender", "after escalation", {"D": out("ED"), "E": out("EE", "EE after D")}),
    })  # fmt: skip
    after_e = choice("Challenger", "after escalation by Defender", {"D": out("DE"), "E": out("EE", "EE after E")})
    defender = choice("Defender", "response", {"C": out("DC"), "D": after_d, "E": after_e})
    root = choice("Challenger", "initiation", {"C": out("SQ"), "D": defender})
    return ExtensiveFormGame(["Challenger", "Defender"], root, title="Asymmetric Escalation Game (Zagare & Kilgour)")


def aeg_complete_outcome(values: dict) -> str:
    """The SPE outcome under complete information [derived from the orderings]: SQ or DC.

    Backward induction: a strategically Hard Defender counter-escalates,
    so the Challenger escalates after a response in kind only against a
    strategically Soft one (ED beats DD) and counter-escalates after E
    only if Hard.  The Defender therefore escalates against a Soft
    Challenger (DE is its second-best outcome), which deters it: SQ.
    Against a Hard Challenger escalation ends in EE, worse than DC, and a
    response in kind yields DD (tactically and strategically Hard Defender,
    ``d_dd > d_dc``: the Challenger, who prefers SQ to DD, is deterred) or
    ED (worse than DC): otherwise the Defender concedes and the outcome is DC.

    Examples
    --------
    >>> aeg_complete_outcome(AEG_PARAMETERS.defaults())
    'SQ'
    >>> aeg_complete_outcome({**AEG_PARAMETERS.defaults(), "d_dd": 4})
    'DC'
    """
    hard_challenger = values["c_ee"] > values["c_de"]
    tactical, strategic = values["d_dd"] > values["d_dc"], values["d_ee"] > values["d_ed"]
    return "SQ" if not hard_challenger or (tactical and strategic) else "DC"


MODELS = [
    Model(
        "asymmetric-escalation",
        "Asymmetric Escalation Game (complete information)",
        "Zagare & Kilgour (2000), Perfect Deterrence, App. 8; Kilgour & Zagare (2007), CMPS 24(1):65-82: "
        "under complete information the outcome is SQ or DC, never limited or all-out conflict",
        asymmetric_escalation_game,
        AEG_PARAMETERS,
        outcomes=tree_outcomes(asymmetric_escalation_game),
        description="Challenger defects or not; Defender concedes, responds in kind or escalates; then each may "
        "(counter-)escalate. Types are set by the EE and DD utilities.",
        concepts=("spe", "nash"),
        tags=("teaching", "deterrence", "escalation"),
    ),
]
