"""Gambit text of any game: a tree as ``.nfg`` and a normal form as ``.efg``.

The Gambit writers (:mod:`deterrence.io.gambit`) write each game in its own form.  The export
command offers both formats for every game, so this module converts first:

* a game tree written as ``.nfg`` becomes its reduced normal form
  (:func:`deterrence.forms.reduced_form.reduced_normal_form`), strategies labelled by plans;
* a normal form written as ``.efg`` becomes the tree of simultaneous moves
  (:func:`simultaneous_tree`): the players move in order, each at one information set that
  holds every node of that player, so nobody sees an earlier move.  Its reduced normal form is
  the game again.

Symbolic games cannot be written as Gambit files (evaluate them first); the writers say so in
one line.

Examples
--------
>>> from deterrence.forms.normal_form import NormalFormGame
>>> pd = NormalFormGame(["Row", "Col"], [["C", "D"], ["C", "D"]],
...                     [[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
>>> tree = simultaneous_tree(pd)
>>> tree.infosets, len(tree.terminals())
({'Row': ('1',), 'Col': ('1',)}, 4)
>>> print(game_to_efg(pd).splitlines()[3])
p "" 1 1 "" { "C" "D" } 0
"""

from __future__ import annotations

from typing import Any

from deterrence.forms.extensive_form import Decision, ExtensiveFormGame, Node, Terminal
from deterrence.forms.normal_form import NormalFormGame

__all__ = ["game_to_efg", "game_to_nfg", "simultaneous_tree"]

#: The information-set id of each player's single set in :func:`simultaneous_tree`.
SIMULTANEOUS_INFOSET = "1"


def simultaneous_tree(game: NormalFormGame) -> ExtensiveFormGame:
    """The game tree in which the players of ``game`` move one after another, unseen.

    Player ``i`` moves at one information set (id ``"1"``) holding all its nodes, with its
    strategies as actions; terminal ``(s_1, ..., s_N)`` carries ``u(s_1, ..., s_N)``.
    """
    payoffs = game.payoffs

    def build(level: int, prefix: tuple[int, ...]) -> Node:
        if level == game.n_players:
            return Terminal(tuple(payoffs[prefix]))
        children = tuple(build(level + 1, prefix + (k,)) for k in range(game.shape[level]))
        return Decision(game.players[level], SIMULTANEOUS_INFOSET, game.strategies[level], children)

    return ExtensiveFormGame(game.players, build(0, ()), title=game.title)


def game_to_efg(game: Any) -> str:
    """The ``.efg`` text of a tree, or of the simultaneous-move tree of a normal form."""
    from deterrence.io.gambit import dumps

    if isinstance(game, NormalFormGame):
        game = simultaneous_tree(game)
    return dumps(game)


def game_to_nfg(game: Any) -> str:
    """The ``.nfg`` text of a normal form, or of the reduced normal form of a tree."""
    from deterrence.io.gambit import dumps

    if isinstance(game, ExtensiveFormGame):
        if game.kind == "symbolic":
            return dumps(game)  # the writer's one-line refusal, before any reduction
        from deterrence.forms.reduced_form import reduced_normal_form

        game = reduced_normal_form(game).game
    return dumps(game)
