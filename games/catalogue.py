"""Registers the built-in models (imported by :func:`games.get_model`)."""

from __future__ import annotations

from deterrence.analysis.outcomes import normal_form_outcomes, tree_outcomes
from deterrence.model import Model
from games import register
from games.classic import (
    CHICKEN_PARAMETERS,
    battle_of_the_sexes,
    chicken,
    matching_pennies,
    prisoners_dilemma,
    stag_hunt,
)
from games.entry import entry_game_matrix, entry_game_tree
from games.zagare_kilgour import GENERIC_DETERRENCE_PARAMETERS, generic_deterrence_game

register(
    Model(
        "prisoners-dilemma",
        "Prisoner's Dilemma",
        "Rapoport & Chammah (1965); payoffs of Axelrod (1984)",
        lambda: prisoners_dilemma(),
        tags=("classic",),
    )
)
register(Model("stag-hunt", "Stag Hunt", "Skyrms (2004)", lambda: stag_hunt(), tags=("classic",)))
register(
    Model(
        "matching-pennies",
        "Matching Pennies",
        "von Neumann & Morgenstern (1944)",
        lambda: matching_pennies(),
        tags=("classic",),
    )
)
register(
    Model(
        "battle-of-the-sexes",
        "Battle of the Sexes",
        "Luce & Raiffa (1957)",
        lambda: battle_of_the_sexes(),
        tags=("classic",),
    )
)
register(
    Model(
        "chicken",
        "Chicken with a crash cost",
        "Snyder & Diesing (1977); Schelling (1966)",
        chicken,
        CHICKEN_PARAMETERS,
        outcomes=normal_form_outcomes(chicken, {"p_firm": ("Row", "Stand firm", "last")}),
        measures=("p_firm",),
        concepts=("nash", "pure"),
        description="A crisis as a game of Chicken: standing firm wins if the rival swerves, "
        "and a collision costs both sides crash_cost.",
        tags=("classic", "crisis"),
    )
)
register(
    Model(
        "entry-matrix",
        "Entry game (strategic form)",
        "Selten (1975)",
        lambda: entry_game_matrix(),
        tags=("classic", "degenerate"),
    )
)
register(
    Model(
        "entry-tree",
        "Entry game (tree)",
        "Selten (1975)",
        lambda: entry_game_tree(),
        concepts=("spe", "nash"),
        tags=("classic",),
    )
)
register(
    Model(
        "generic-deterrence",
        "Generic Deterrence Game",
        "Zagare & Kilgour (2000), Perfect Deterrence, ch. 2",
        generic_deterrence_game,
        GENERIC_DETERRENCE_PARAMETERS,
        outcomes=tree_outcomes(generic_deterrence_game, {"deny": ("Defender", "response", "Deny")}),
        measures=("deny",),
        description="Challenger cooperates or defects; the Defender concedes or denies. "
        "SQ is subgame perfect iff the threat is credible (d_dd > d_dc) and capable (c_sq > c_dd).",
        concepts=("spe", "nash"),
        tags=("deterrence",),
    )
)

from games.iran_pakistan.models import MODELS as _IRAN_PAKISTAN  # noqa: E402

for _model in _IRAN_PAKISTAN:
    register(_model)
