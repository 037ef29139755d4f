"""Selten's (1975) entry game, as a matrix and as a tree.

An entrant chooses Out (payoffs 0 to the entrant, 2 to the incumbent) or In;
after entry the incumbent Fights (-1, -1) or Accommodates (1, 1).

* Tree: the unique subgame-perfect equilibrium is (In, Accommodate).
* Matrix: Nash equilibria are (In, Accommodate) and the continuum
  (Out, Fight with probability q >= 1/2), whose extreme points are
  (Out, Fight) and (Out, 1/2 Fight + 1/2 Accommodate).  The game is
  degenerate: against Out the incumbent is indifferent.

This is the structure of the classical "paradox" of deterrence in
Zagare & Kilgour (2000, ch. 2): the threat to fight supports a Nash
equilibrium but is not credible.
"""

from __future__ import annotations

from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.model import Model

__all__ = ["entry_game_matrix", "entry_game_tree", "MODELS"]

_OUT, _FIGHT, _ACCOMMODATE = (0, 2), (-1, -1), (1, 1)


def entry_game_matrix() -> NormalFormGame:
    """The entry game in strategic form (Selten 1975).

    Examples
    --------
    >>> print(entry_game_matrix().payoff(("Out", "Fight"), "Incumbent"))
    2
    """
    return NormalFormGame(
        ["Entrant", "Incumbent"],
        [["Out", "In"], ["Fight", "Accommodate"]],
        [[_OUT, _OUT], [_FIGHT, _ACCOMMODATE]],
        title="Entry game (Selten 1975), strategic form",
    )


def entry_game_tree() -> ExtensiveFormGame:
    """The entry game as a tree (Selten 1975).

    Examples
    --------
    >>> entry_game_tree().infosets
    {'Entrant': ('entry',), 'Incumbent': ('response',)}
    """
    return ExtensiveFormGame(
        ["Entrant", "Incumbent"],
        choice(
            "Entrant",
            "entry",
            {
                "Out": Terminal(_OUT, "no entry"),
                "In": choice(
                    "Incumbent",
                    "response",
                    {
                        "Fight": Terminal(_FIGHT, "price war"),
                        "Accommodate": Terminal(_ACCOMMODATE, "shared market"),
                    },
                ),
            },
        ),
        title="Entry game (Selten 1975)",
    )


#: The registry entries of this module (collected by :mod:`games.catalogue`).
MODELS = [
    Model(
        "entry-matrix",
        "Entry game (strategic form)",
        "Selten (1975)",
        entry_game_matrix,
        concepts=("nash", "pure", "dominance", "qre"),
        tags=("classic", "degenerate"),
    ),
    Model(
        "entry-tree",
        "Entry game (tree)",
        "Selten (1975)",
        entry_game_tree,
        concepts=("spe", "nash", "pure", "pbe", "qre"),
        tags=("classic",),
    ),
]
