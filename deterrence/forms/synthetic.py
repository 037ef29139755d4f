"""Generated game trees for tests and benchmarks: random trees and small poker games.

:func:`random_tree`
    A complete tree of a given depth and branching with alternating
    players and random integer payoffs: zero-sum or general-sum, with
    perfect information or with information sets (each mover does not see
    the move just before its own, which keeps perfect recall).
:func:`kuhn_poker`
    Kuhn's (1950) three-card poker (value -1/18 for the first player).
:func:`leduc_poker`
    Leduc hold'em (Southey et al. 2005): a six-card deck (two each of J, Q,
    K), an ante of 1, two betting rounds with bets of 2 then 4 and at most
    ``raises`` bets or raises per round, a public card between the rounds; a
    pair with the public card wins, else the higher card; equal cards split.

References
----------
Kuhn, H. W. (1950). A simplified two-person poker. Contributions to the Theory
of Games I, 97-103.
Southey, F. et al. (2005). Bayes' bluff: opponent modelling in poker. UAI 2005.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import count, permutations
from typing import Any

from deterrence.errors import GameError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal, choice

__all__ = ["kuhn_poker", "leduc_poker", "random_tree"]

PLAYERS = ("P1", "P2")


def random_tree(
    depth: int,
    *,
    seed: int = 0,
    branching: int = 2,
    zero_sum: bool = True,
    information: str = "perfect",
    payoff_range: int = 10,
) -> ExtensiveFormGame:
    """A complete tree with ``branching ** depth`` leaves, players alternating from ``P1``.

    Parameters
    ----------
    depth, branching : int
        Every path has ``depth`` moves; every node ``branching`` actions.
    seed : int
        Seed of the payoffs (integers in ``[-payoff_range, payoff_range]``).
    zero_sum : bool
        ``u2 = -u1`` when True; independent payoffs otherwise.
    information : ``"perfect"`` or ``"imperfect"``
        With ``"imperfect"`` each mover does not observe the move just before
        its own: nodes whose paths differ only in the last action share an
        information set (perfect recall holds).

    Examples
    --------
    >>> game = random_tree(4, seed=1)
    >>> len(game.terminals()), [len(s) for s in game.infosets.values()]
    (16, [5, 10])
    >>> [len(s) for s in random_tree(4, information="imperfect").infosets.values()]
    [3, 5]
    """
    if depth < 1 or branching < 2:
        raise GameError(f"a random tree needs depth >= 1 and branching >= 2, got {depth}, {branching}")
    if information not in ("perfect", "imperfect"):
        raise GameError(f"information must be 'perfect' or 'imperfect', got {information!r}")
    rng = random.Random(seed)
    actions = tuple(f"a{k}" for k in range(branching))
    numbers = count()

    def build(path: tuple[str, ...]) -> Node:
        if len(path) == depth:
            u = rng.randint(-payoff_range, payoff_range)
            v = -u if zero_sum else rng.randint(-payoff_range, payoff_range)
            return Terminal((u, v))
        player = PLAYERS[len(path) % 2]
        if information == "perfect":
            infoset = f"n{next(numbers)}"
        else:
            infoset = "h" + ".".join(a[1:] for a in path[:-1]) + f"|{len(path)}"
        return Decision(player, infoset, actions, tuple(build(path + (a,)) for a in actions))

    kind = "zero-sum" if zero_sum else "general-sum"
    return ExtensiveFormGame(PLAYERS, build(()), title=f"random {kind} tree, depth {depth}, {information}")


_RANK = {"J": 0, "Q": 1, "K": 2}


def kuhn_poker() -> ExtensiveFormGame:
    """Kuhn's three-card poker: ante 1, one bet of 1, six equally likely deals.

    Information sets: ``P1`` holds ``J`` then maybe ``Jcb`` (checked, then
    faced a bet); ``P2`` holds ``Qc`` or ``Qb``.

    Examples
    --------
    >>> game = kuhn_poker()
    >>> len(game.terminals()), game.infosets["P2"][:2]
    (30, ('Qc', 'Qb'))
    """
    deals, subtrees = [], []
    for c1, c2 in permutations("JQK", 2):
        sign = 1 if _RANK[c1] > _RANK[c2] else -1

        def showdown(stake: int, sign: int = sign) -> Terminal:
            return Terminal((stake * sign, -stake * sign))

        after_check = choice(
            "P2",
            c2 + "c",
            {"check": showdown(1), "bet": choice("P1", c1 + "cb", {"fold": Terminal((-1, 1)), "call": showdown(2)})},
        )
        after_bet = choice("P2", c2 + "b", {"fold": Terminal((1, -1)), "call": showdown(2)})
        subtrees.append(choice("P1", c1, {"check": after_check, "bet": after_bet}))
        deals.append(c1 + c2)
    return ExtensiveFormGame(PLAYERS, Chance(tuple(deals), (Fraction(1, 6),) * 6, tuple(subtrees)), title="Kuhn poker")


def _showdown(c1: str, c2: str, public: str) -> int:
    """+1 if P1 wins, -1 if P2 wins, 0 for a split."""
    if c1 == public:
        return 1
    if c2 == public:
        return -1
    return (_RANK[c1] > _RANK[c2]) - (_RANK[c1] < _RANK[c2])


def _betting(
    cards: tuple[str, str],
    public: str | None,
    history: str,
    pot: list[int],
    mover: int,
    raises: int,
    rounds_left: Any,
    bet: int,
    max_raises: int,
    facing: bool,
) -> Node:
    """One betting round from ``history``; ``pot`` holds each player's contribution so far."""
    me = PLAYERS[mover]
    seen = cards[mover] + (public or "")
    infoset = f"{seen}:{history}"
    branches: dict[str, Node] = {}
    if facing:
        # fold: the other player takes the pot
        gain = pot[mover]
        branches["fold"] = Terminal((-gain, gain) if mover == 0 else (gain, -gain))
        called = list(pot)
        called[mover] = called[1 - mover]
        branches["call"] = rounds_left(called, history + "c")
        if raises < max_raises:
            raised = list(pot)
            raised[mover] = raised[1 - mover] + bet
            branches["raise"] = _betting(
                cards, public, history + "r", raised, 1 - mover, raises + 1, rounds_left, bet, max_raises, True
            )
    else:
        if history.endswith("k"):  # the second check closes the round
            branches["check"] = rounds_left(list(pot), history + "k")
        else:
            branches["check"] = _betting(
                cards, public, history + "k", list(pot), 1 - mover, raises, rounds_left, bet, max_raises, False
            )
        betted = list(pot)
        betted[mover] += bet
        branches["bet"] = _betting(
            cards, public, history + "b", betted, 1 - mover, raises + 1, rounds_left, bet, max_raises, True
        )
    return choice(me, infoset, branches)


def leduc_poker(raises: int = 2) -> ExtensiveFormGame:
    """Leduc hold'em with at most ``raises`` bets or raises per round (2 in the standard game).

    Examples
    --------
    >>> small = leduc_poker(raises=1)
    >>> len(small.infosets["P1"]), len(small.infosets["P2"])
    (60, 60)
    """
    if raises < 1:
        raise GameError(f"leduc_poker needs raises >= 1, got {raises}")
    ranks = "JQK"
    deals, probabilities, subtrees = [], [], []
    for c1 in ranks:
        for c2 in ranks:
            p_deal = Fraction(2, 6) * Fraction(2 - (c1 == c2), 5)
            cards = (c1, c2)

            def second_round(pot: list[int], history: str, cards: tuple[str, str] = cards) -> Node:
                publics, weights, kids = [], [], []
                for public in ranks:
                    left = 2 - cards.count(public)
                    if left == 0:
                        continue

                    def showdown(final: list[int], _h: str, public: str = public) -> Node:
                        sign = _showdown(cards[0], cards[1], public)
                        stake = final[0]  # both have put in the same amount at a showdown
                        return Terminal((sign * stake, -sign * stake))

                    publics.append(public)
                    weights.append(Fraction(left, 4))
                    kids.append(_betting(cards, public, history + "/", pot, 0, 0, showdown, 4, raises, False))
                return Chance(tuple(publics), tuple(weights), tuple(kids))

            deals.append(c1 + c2)
            probabilities.append(p_deal)
            subtrees.append(_betting(cards, None, "", [1, 1], 0, 0, second_round, 2, raises, False))
    root = Chance(tuple(deals), tuple(probabilities), tuple(subtrees))
    return ExtensiveFormGame(PLAYERS, root, title=f"Leduc hold'em (at most {raises} raises per round)")
