"""Bayesian games as game trees: Harsanyi's chance move over type profiles.

A Bayesian game gives each player a finite set of *types* with a prior, a
set of actions, and payoffs that depend on everybody's types and actions.
Harsanyi (1967-68) turned it into an ordinary game: nature first draws the
type profile from the prior, each player learns her own type only, and then
the players move.  :func:`bayesian_game` builds that tree:

* the root is a chance node with one branch per type profile of positive
  (or symbolic) prior, labelled ``"type1,type2,..."`` (players with one type
  are left out of the label);
* the players move in ``order``; player ``i``'s information set is named
  ``"i:type"`` and contains every node where she has that type, so she sees
  her own type and nothing else;
* with ``observe_actions=True`` every mover also sees the earlier movers'
  actions (a signalling game, e.g. a sender with types and an uninformed
  receiver); the set is then named ``"i:type|a1,a2"``;
* payoffs come from a function ``payoffs(types, actions)`` (both dicts keyed
  by player) returning one payoff per player (a sequence in player order or
  a dict); values may be numbers or sympy expressions (parametric games).

Priors are independent across players (``types={player: {type: prior}}``)
unless a joint ``prior={(type, ...): probability}`` over the type profiles
(in player order, one entry per player) is given.

The tree is then solved like any other: ``solve(tree, "pbe")`` gives its
perfect Bayesian equilibria, and with simultaneous moves its Bayesian Nash
equilibria are the Nash equilibria of the tree.

References
----------
Harsanyi, J. C. (1967-68). Games with incomplete information played by
"Bayesian" players, I-III. Management Science 14.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import product
from typing import Any

from deterrence.errors import GameError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal

__all__ = ["bayesian_game", "type_profiles"]


def type_profiles(
    players: Sequence[str], types: Mapping[str, Mapping[str, Any]], prior: Mapping[tuple, Any] | None = None
) -> list[tuple[tuple[str, ...], Any]]:
    """``[(type profile, probability)]`` in player order; players without types get ``"-"``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> half = Fraction(1, 2)
    >>> [(t, str(p)) for t, p in type_profiles(["A", "B"], {"A": {"x": half, "y": half}})]
    [(('x', '-'), '1/2'), (('y', '-'), '1/2')]
    """
    unknown = [p for p in types if p not in players]
    if unknown:
        raise GameError(f"types given for unknown player(s) {unknown}")
    sets = [tuple(types[p]) if p in types and types[p] else ("-",) for p in players]
    if prior is not None:
        out = []
        for profile, probability in prior.items():
            profile = tuple(str(t) for t in profile)
            if len(profile) != len(players) or any(t not in s for t, s in zip(profile, sets, strict=True)):
                raise GameError(f"prior entry {profile} is not a type profile of {list(players)}")
            out.append((profile, probability))
        return out
    independent = []
    for combination in product(*sets):
        weight: Any = 1
        for p, t in zip(players, combination, strict=True):
            if p in types and types[p]:
                weight = weight * types[p][t]
        independent.append((combination, weight))
    return independent


def bayesian_game(
    players: Sequence[str],
    actions: Mapping[str, Sequence[str]],
    types: Mapping[str, Mapping[str, Any]],
    payoffs: Callable[[dict[str, str], dict[str, str]], Any],
    *,
    prior: Mapping[tuple, Any] | None = None,
    order: Sequence[str] | None = None,
    observe_actions: bool = False,
    title: str = "",
) -> ExtensiveFormGame:
    """The Harsanyi tree of a Bayesian game (see the module docstring).

    Raises
    ------
    GameError
        For unknown players, a player without actions, a prior that is not a
        distribution (checked by :class:`ExtensiveFormGame`), or payoffs of
        the wrong length.

    Examples
    --------
    A sender of two types (weak w.p. ``p``) chooses a breakfast; the receiver
    sees it and decides whether to duel:

    >>> import sympy
    >>> p = sympy.Symbol("p")
    >>> def pay(t, a):
    ...     weak = t["Sender"] == "weak"
    ...     bonus = int(a["Sender"] == ("quiche" if weak else "beer"))
    ...     duel = a["Receiver"] == "duel"
    ...     return (bonus + (0 if duel else 2), int(duel == weak))
    >>> g = bayesian_game(["Sender", "Receiver"],
    ...     {"Sender": ["beer", "quiche"], "Receiver": ["duel", "not"]},
    ...     {"Sender": {"weak": p, "strong": 1 - p}}, pay, observe_actions=True)
    >>> g.parameters, g.infosets["Receiver"]
    (('p',), ('Receiver|beer', 'Receiver|quiche'))
    >>> from deterrence import solve
    >>> len(solve(g.evaluate(p=sympy.Rational(1, 10)), "pbe"))
    4
    """
    players = tuple(str(p) for p in players)
    order = tuple(str(p) for p in (order if order is not None else players))
    if sorted(order) != sorted(players) or len(set(order)) != len(order):
        raise GameError(f"order must list each player once, got {list(order)}")
    for p in players:
        if not actions.get(p):
            raise GameError(f"player {p!r} has no actions")
    profiles = type_profiles(players, types, prior)
    n = len(players)

    def info_name(player: str, own: str, seen: tuple[str, ...]) -> str:
        name = player if own == "-" else f"{player}:{own}"
        return f"{name}|{','.join(seen)}" if observe_actions and seen else name

    def build(profile: tuple[str, ...], k: int, chosen: dict[str, str]) -> Node:
        if k == len(order):
            typed = dict(zip(players, profile, strict=True))
            value = payoffs(typed, dict(chosen))
            if isinstance(value, Mapping):
                value = tuple(value[p] for p in players)
            value = tuple(value)
            if len(value) != n:
                raise GameError(f"payoffs at types {profile} and actions {chosen} have {len(value)} entries for {n}")
            return Terminal(value, ",".join(chosen[p] for p in order))
        mover = order[k]
        own = profile[players.index(mover)]
        seen = tuple(chosen[p] for p in order[:k])
        moves = tuple(str(a) for a in actions[mover])
        children = tuple(build(profile, k + 1, {**chosen, mover: a}) for a in moves)
        return Decision(mover, info_name(mover, own, seen), moves, children)

    labels = [",".join(t for t in profile if t != "-") or "-" for profile, _ in profiles]
    children = tuple(build(profile, 0, {}) for profile, _ in profiles)
    root: Node = Chance(tuple(labels), tuple(p for _, p in profiles), children, "types")
    if len(profiles) == 1:
        root = children[0]
    return ExtensiveFormGame(players, root, title=title)
