"""Classic two-player games that deterrence arguments lean on.

Each factory cites its source and the equilibria the tests reproduce.  Payoffs
are exact integers so that the solvers work in rational arithmetic.

* Prisoner's Dilemma (Rapoport & Chammah 1965; payoffs of Axelrod 1984):
  unique equilibrium (Defect, Defect), dominance solvable.
* Stag Hunt (Skyrms 2004): pure equilibria (Stag, Stag) and (Hare, Hare) and
  a mixed one with Stag played with probability 3/4.
* Matching Pennies (von Neumann & Morgenstern 1944): unique equilibrium,
  both mix 1/2-1/2, value 0.
* Battle of the Sexes (Luce & Raiffa 1957): two pure equilibria and a mixed
  one where each plays its favourite with probability 2/3.
* Chicken (Snyder & Diesing 1977; Schelling 1966) with a crash-cost
  parameter: see :func:`chicken`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from deterrence.analysis.outcomes import normal_form_outcomes
from deterrence.forms.normal_form import NormalFormGame
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet

__all__ = [
    "prisoners_dilemma",
    "stag_hunt",
    "matching_pennies",
    "battle_of_the_sexes",
    "chicken",
    "CHICKEN_PARAMETERS",
    "chicken_firmness",
    "MODELS",
]


def prisoners_dilemma() -> NormalFormGame:
    """Prisoner's Dilemma with Axelrod's (1984) payoffs T=5, R=3, P=1, S=0.

    Examples
    --------
    >>> print(prisoners_dilemma().payoff(("Defect", "Cooperate"), "Row"))
    5
    """
    return NormalFormGame(
        ["Row", "Column"],
        [["Cooperate", "Defect"], ["Cooperate", "Defect"]],
        [[[3, 3], [0, 5]], [[5, 0], [1, 1]]],
        title="Prisoner's Dilemma (Axelrod 1984 payoffs)",
    )


def stag_hunt() -> NormalFormGame:
    """Stag Hunt (Skyrms 2004): Stag/Stag 4, Stag/Hare 0, Hare/anything 3."""
    return NormalFormGame(
        ["Row", "Column"],
        [["Stag", "Hare"], ["Stag", "Hare"]],
        [[[4, 4], [0, 3]], [[3, 0], [3, 3]]],
        title="Stag Hunt (Skyrms 2004)",
    )


def matching_pennies() -> NormalFormGame:
    """Matching Pennies: the row player wins 1 on a match, loses 1 otherwise."""
    return NormalFormGame(
        ["Matcher", "Mismatcher"],
        [["Heads", "Tails"], ["Heads", "Tails"]],
        [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
        title="Matching Pennies",
    )


def battle_of_the_sexes() -> NormalFormGame:
    """Battle of the Sexes (Luce & Raiffa 1957) with payoffs 2, 1 and 0."""
    return NormalFormGame(
        ["Row", "Column"],
        [["Opera", "Football"], ["Opera", "Football"]],
        [[[2, 1], [0, 0]], [[0, 0], [1, 2]]],
        title="Battle of the Sexes (Luce & Raiffa 1957)",
    )


CHICKEN_PARAMETERS = ParameterSet(
    [
        Parameter(
            "win",
            1,
            0,
            10,
            "payoff units",
            "gain from standing firm when the rival swerves",
            source="calibration choice: normalises the stakes (Snyder & Diesing 1977)",
        ),
        Parameter(
            "face_loss",
            1,
            0,
            10,
            "payoff units",
            "loss from swerving when the rival stands firm",
            source="calibration choice",
        ),
        Parameter(
            "crash_cost",
            10,
            0,
            100,
            "payoff units",
            "cost to each side of a collision (war)",
            source="calibration choice: war far worse than backing down",
        ),
    ]
)


def chicken(win: Any = None, face_loss: Any = None, crash_cost: Any = None) -> NormalFormGame:
    """Chicken as a crisis game (Snyder & Diesing 1977, Schelling 1966).

    Payoffs (Row, Column), with both swerving as the zero point:

    ============  ==========================  ==========================
                  Swerve                      Stand firm
    ============  ==========================  ==========================
    Swerve        (0, 0)                      (-face_loss, win)
    Stand firm    (win, -face_loss)           (-crash_cost, -crash_cost)
    ============  ==========================  ==========================

    With ``crash_cost > face_loss`` it is Chicken: two pure equilibria (one
    side yields) and a mixed one where each stands firm with probability
    ``win / (win + crash_cost - face_loss)`` -- the textbook indifference condition
    ``(win - swerve)/((win - swerve) + (lose - crash))`` with swerve = 0,
    lose = -face_loss and crash = -crash_cost -- which falls as the crash cost
    rises.  With ``crash_cost < face_loss`` standing firm is dominant
    ("Deadlock"); at equality the game is degenerate.

    Parameters left as ``None`` stay symbolic.

    Examples
    --------
    >>> g = chicken(win=1, face_loss=1, crash_cost=10)
    >>> print(g.payoff(("Stand firm", "Stand firm"), "Row"))
    -10
    >>> chicken().parameters
    ('crash_cost', 'face_loss', 'win')
    """
    values = {"win": win, "face_loss": face_loss, "crash_cost": crash_cost}
    sym = {}
    for name, value in values.items():
        if value is None:
            sym[name] = CHICKEN_PARAMETERS[name].symbol
        else:
            sym[name] = CHICKEN_PARAMETERS[name].validate(value)
    w, f, c = sym["win"], sym["face_loss"], sym["crash_cost"]
    return NormalFormGame(
        ["Row", "Column"],
        [["Swerve", "Stand firm"], ["Swerve", "Stand firm"]],
        [[[0, 0], [-f, w]], [[w, -f], [-c, -c]]],
        title="Chicken (Snyder & Diesing 1977)",
    )


def chicken_firmness(win: Any, face_loss: Any, crash_cost: Any) -> Any:
    """Closed-form probability of standing firm in Chicken's mixed equilibrium.

    Examples
    --------
    >>> print(chicken_firmness(1, 1, 10))
    1/10
    """
    return Fraction(win) / (Fraction(win) + Fraction(crash_cost) - Fraction(face_loss))


#: What a classic table is solved for: every concept that applies to a small normal form.
_TABLE_CONCEPTS = ("nash", "pure", "dominance", "qre")

#: The registry entries of this module (collected by :mod:`games.catalogue`).
MODELS = [
    Model(
        "prisoners-dilemma",
        "Prisoner's Dilemma",
        "Rapoport & Chammah (1965); payoffs of Axelrod (1984)",
        prisoners_dilemma,
        concepts=_TABLE_CONCEPTS,
        tags=("classic",),
    ),
    Model("stag-hunt", "Stag Hunt", "Skyrms (2004)", stag_hunt, concepts=_TABLE_CONCEPTS, tags=("classic",)),
    Model(
        "matching-pennies",
        "Matching Pennies",
        "von Neumann & Morgenstern (1944)",
        matching_pennies,
        concepts=_TABLE_CONCEPTS,
        tags=("classic",),
    ),
    Model(
        "battle-of-the-sexes",
        "Battle of the Sexes",
        "Luce & Raiffa (1957)",
        battle_of_the_sexes,
        concepts=_TABLE_CONCEPTS,
        tags=("classic",),
    ),
    Model(
        "chicken",
        "Chicken with a crash cost",
        "Snyder & Diesing (1977); Schelling (1966)",
        chicken,
        CHICKEN_PARAMETERS,
        outcomes=normal_form_outcomes(chicken, {"p_firm": ("Row", "Stand firm", "last")}),
        concepts=_TABLE_CONCEPTS,
        description="A crisis as a game of Chicken: standing firm wins if the rival swerves, "
        "and a collision costs both sides crash_cost.",
        tags=("classic", "crisis"),
    ),
]
