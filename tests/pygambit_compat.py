"""pygambit 16.7 and 17 behind one small interface, for the cross-checks (and the benchmarks).

pygambit 17 replaced 16's object handles with labels.  The names that differ (16.7 -> 17.0):

* a table from payoff arrays: ``Game.from_arrays(A, B)`` -> ``StrategicGame.from_arrays(A, B)``;
* players: ``game.players`` yields ``Player`` objects (``player.label``) -> yields the labels;
* strategies: ``player.strategies`` (``Strategy`` objects) -> ``game.get_strategies(label)`` (labels);
* payoffs at a contingency: ``game[[s1, s2]][player]`` (an outcome; ``None`` for the null
  outcome) -> ``game.get_payoffs({player: strategy})``;
* a profile's probability: ``profile[strategy]`` -> ``profile[player][strategy]`` (labels);
* the tree: ``game.root``, ``node.children``, ``node.infoset``, ``node.outcome``,
  ``player.infosets`` -> no node objects; ``get_actions(H.path(...))``, ``get_members``,
  ``get_outcome``, ``get_infosets(player)`` on histories;
* one equilibrium of a tree (``lcp_solve``): ``result.equilibria`` -> ``result.equilibrium``.

Trees are compared through pygambit's own writer in 17 (``game.to_efg()``, read back by our
reader): if pygambit misread a file, what it writes differs from what we read.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

__all__ = ["from_arrays", "major", "payoff_table", "players", "profile_values", "strategies"]


def major(gbt: Any) -> int:
    """The major version of the pygambit module ``gbt`` (16, 17, ...)."""
    return int(str(gbt.__version__).split(".")[0])


def from_arrays(gbt: Any, *arrays: Any, title: str | None = None) -> Any:
    """A strategic game from one payoff array per player."""
    maker = getattr(gbt.Game, "from_arrays", None) or gbt.StrategicGame.from_arrays
    return maker(*arrays) if title is None else maker(*arrays, title=title)


def players(gbt: Any, game: Any) -> list[str]:
    """The players' labels."""
    return [p if isinstance(p, str) else p.label for p in game.players]


def strategies(gbt: Any, game: Any) -> list[list[str]]:
    """Each player's strategy labels."""
    if major(gbt) >= 17:
        return [list(game.get_strategies(p)) for p in game.players]
    return [[s.label for s in p.strategies] for p in game.players]


def payoff_table(gbt: Any, game: Any) -> tuple[list[str], list[list[str]], Any]:
    """Players, strategy labels and the exact payoff array (``shape + (n,)``, Fractions) of a table."""
    import numpy as np

    labels = players(gbt, game)
    names = strategies(gbt, game)
    shape = tuple(len(s) for s in names)
    payoffs = np.empty(shape + (len(labels),), dtype=object)
    if major(gbt) >= 17:
        for index in np.ndindex(*shape):
            values = game.get_payoffs({p: names[i][k] for i, (p, k) in enumerate(zip(labels, index, strict=True))})
            payoffs[index] = [Fraction(str(values[p])) for p in labels]
        return labels, names, payoffs
    handles = [list(p.strategies) for p in game.players]
    for index in np.ndindex(*shape):
        outcome = game[[handles[i][k] for i, k in enumerate(index)]]
        for j, player in enumerate(game.players):
            # 16.7 gives None for the null outcome 0 of the outcome version
            payoffs[index + (j,)] = Fraction(0) if outcome is None else Fraction(str(outcome[player]))
    return labels, names, payoffs


def profile_values(gbt: Any, game: Any, profile: Any, convert: Any = None) -> list[list[Any]]:
    """A mixed-strategy profile as one list of probabilities per player (strategy order)."""
    convert = convert or (lambda v: Fraction(str(v)))
    if major(gbt) >= 17:
        return [[convert(profile[p][s]) for s in game.get_strategies(p)] for p in game.players]
    return [[convert(profile[s]) for s in p.strategies] for p in game.players]
