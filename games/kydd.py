"""Kydd's trust game: cooperation when trust exceeds a threshold (Kydd 2000; 2005).

Kydd, A. (2000), "Trust, reassurance, and cooperation", *International
Organization* 54(2); *Trust and Mistrust in International Relations*
(Princeton UP, 2005), ch. 1.  Player 2 is trustworthy (assurance
preferences: reciprocating beats exploiting) w.p. ``t`` and untrustworthy
(Prisoner's-Dilemma preferences) otherwise.  Player 1 cooperates or defects
first; after cooperation Player 2 reciprocates or exploits.  Normalised
payoffs for Player 1: mutual cooperation 1, mutual defection 0, exploited
``-c``.  Player 2 gets 1 from mutual cooperation, ``temptation`` from
exploiting if untrustworthy (> 1) and ``1/2`` if trustworthy (< 1), and 0
from mutual defection.  Player 1 cooperates iff ``t >= c / (1 + c)``
(:func:`trust_threshold`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Node, Terminal, choice
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from games._factory import factory_values

__all__ = ["KYDD_PARAMETERS", "MODELS", "trust_game", "trust_threshold"]

_K = "normalisation of Kydd (2000; 2005, ch. 1); the numbers are a teaching instance"

KYDD_PARAMETERS = ParameterSet(
    [
        Parameter("t", Fraction(1, 2), 0, 1, "probability", "trust: prior that Player 2 is trustworthy", (), _K),
        Parameter("c", 2, 0, 10, "utility", "Player 1's loss when exploited (sucker's payoff -c)", (), _K),
        Parameter("temptation", 2, 1, 10, "utility", "an untrustworthy Player 2's value of exploiting", (), _K),
    ]
)


def trust_game(**values: Any) -> ExtensiveFormGame:
    """The sequential trust game with a trustworthy or untrustworthy Player 2; parameters not given stay symbolic.

    Examples
    --------
    >>> g = trust_game(t=Fraction(1, 2), c=2, temptation=2)
    >>> [t.label for t, _ in g.terminals()][:3]
    ['DD (trustworthy)', 'CC (trustworthy)', 'CD (trustworthy)']
    """
    v = factory_values(KYDD_PARAMETERS, values)
    exploit = {"trustworthy": Fraction(1, 2), "untrustworthy": v["temptation"]}

    def first(kind: str) -> Node:
        second = choice("Player 2", kind, {
            "reciprocate": Terminal((1, 1), f"CC ({kind})"),
            "exploit": Terminal((-v["c"], exploit[kind]), f"CD ({kind})"),
        }, label=f"{kind} after C")  # fmt: skip
        return choice("Player 1", "move", {"defect": Terminal((0, 0), f"DD ({kind})"), "cooperate": second},
                      label=f"Player 1 vs {kind}")  # fmt: skip

    root = Chance(("trustworthy", "untrustworthy"), (v["t"], 1 - v["t"]),
                  (first("trustworthy"), first("untrustworthy")), "type")  # fmt: skip
    return ExtensiveFormGame(["Player 1", "Player 2"], root, title="Trust game (Kydd 2000)")


def trust_threshold(c: Any) -> Fraction:
    """The trust Player 1 needs to cooperate: ``c / (1 + c)``.

    Cooperating pays ``t - (1 - t) c`` (only the trustworthy type
    reciprocates), defecting 0; they are equal at ``t = c / (1 + c)``.

    Examples
    --------
    >>> print(trust_threshold(2))
    2/3
    """
    return Fraction(c) / (1 + Fraction(c))


MODELS = [
    Model(
        "kydd-trust",
        "Trust game (Kydd)",
        "Kydd (2000), Trust, reassurance, and cooperation, IO 54(2); Kydd (2005), ch. 1: "
        "cooperate iff trust t >= c/(1+c) (normalised CC = 1, DD = 0, sucker -c)",
        trust_game,
        KYDD_PARAMETERS,
        description="Player 1 cooperates or defects; Player 2, trustworthy with probability t, reciprocates "
        "or exploits. Cooperation needs trust above c/(1+c).",
        concepts=("pbe",),
        tags=("teaching", "trust", "incomplete-information"),
    ),
]
