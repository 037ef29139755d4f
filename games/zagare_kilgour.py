"""Zagare and Kilgour's Generic Deterrence Game (Perfect Deterrence, 2000, ch. 2).

A Challenger chooses Cooperate (status quo, SQ) or Defect.  After Defect the
Defender chooses Concede (outcome DC, the Challenger wins) or Deny (DD,
conflict).  Utilities are ``c_O`` for the Challenger and ``d_O`` for the
Defender over outcomes O in {SQ, DC, DD}.

Conditions (Zagare & Kilgour 2000, ch. 2-3):

* the Defender's threat is *credible* iff ``d_DD > d_DC``;
* it is *capable* iff ``c_SQ > c_DD``.

Subgame-perfect outcome: SQ when the threat is credible and capable; DC when
it is not credible (the classical assumption ``d_DC > d_DD``, where (Cooperate,
Deny) is Nash but rests on an incredible threat); DD when it is credible but
not capable.  The defaults follow Perfect Deterrence Theory's case (credible
and capable): challenger DC 3 > SQ 2 > DD 1, defender SQ 3 > DD 2 > DC 1.
"""

from __future__ import annotations

from typing import Any

from deterrence.analysis.outcomes import tree_outcomes
from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from games._factory import factory_values

__all__ = ["GENERIC_DETERRENCE_PARAMETERS", "generic_deterrence_game", "MODELS"]

_SOURCE = "ordinal utilities, Zagare & Kilgour (2000, ch. 2); defaults: PDT's credible and capable case"

GENERIC_DETERRENCE_PARAMETERS = ParameterSet(
    [
        Parameter("c_sq", 2, -10, 10, "utility", "Challenger's value of the status quo", (), _SOURCE),
        Parameter("c_dc", 3, -10, 10, "utility", "Challenger's value of winning (Defender concedes)", (), _SOURCE),
        Parameter("c_dd", 1, -10, 10, "utility", "Challenger's value of conflict", (), _SOURCE),
        Parameter("d_sq", 3, -10, 10, "utility", "Defender's value of the status quo", (), _SOURCE),
        Parameter("d_dc", 1, -10, 10, "utility", "Defender's value of conceding", (), _SOURCE),
        Parameter("d_dd", 2, -10, 10, "utility", "Defender's value of conflict", (), _SOURCE),
    ]
)


def generic_deterrence_game(**values: Any) -> ExtensiveFormGame:
    """The Generic Deterrence Game; parameters not given stay symbolic.

    Examples
    --------
    >>> g = generic_deterrence_game(c_sq=2, c_dc=3, c_dd=1, d_sq=3, d_dc=1, d_dd=2)
    >>> [t.label for t, _ in g.terminals()]
    ['SQ', 'DC', 'DD']
    >>> generic_deterrence_game().parameters
    ('c_dc', 'c_dd', 'c_sq', 'd_dc', 'd_dd', 'd_sq')
    """
    v = factory_values(GENERIC_DETERRENCE_PARAMETERS, values)
    return ExtensiveFormGame(
        ["Challenger", "Defender"],
        choice(
            "Challenger",
            "challenge",
            {
                "Cooperate": Terminal((v["c_sq"], v["d_sq"]), "SQ"),
                "Defect": choice(
                    "Defender",
                    "response",
                    {
                        "Concede": Terminal((v["c_dc"], v["d_dc"]), "DC"),
                        "Deny": Terminal((v["c_dd"], v["d_dd"]), "DD"),
                    },
                ),
            },
        ),
        title="Generic Deterrence Game (Zagare & Kilgour 2000)",
    )


#: The registry entries of this module (collected by :mod:`games.catalogue`).
MODELS = [
    Model(
        "generic-deterrence",
        "Generic Deterrence Game",
        "Zagare & Kilgour (2000), Perfect Deterrence, ch. 2",
        generic_deterrence_game,
        GENERIC_DETERRENCE_PARAMETERS,
        outcomes=tree_outcomes(generic_deterrence_game, {"deny": ("Defender", "response", "Deny")}),
        description="Challenger cooperates or defects; the Defender concedes or denies. "
        "SQ is subgame perfect iff the threat is credible (d_dd > d_dc) and capable (c_sq > c_dd).",
        concepts=("spe", "nash"),
        tags=("deterrence",),
    ),
]
