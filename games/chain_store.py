"""Kreps and Wilson's (1982) chain store with a tough incumbent type, over two or three markets.

Both the two- and the three-market games are registered models
(``chain-store-2``, ``chain-store-3``).  The three-market tree has 39
information sets, beyond the work limit of the PBE support enumeration, which
lists every PBE; ``--method logit-limit`` finds the Kreps-Wilson equilibrium
as the limit of the agent logit QRE and certifies it exactly.

Kreps, D. and Wilson, R. (1982), "Reputation and imperfect information",
*Journal of Economic Theory* 27:253-279 (textbook statement: Fudenberg and
Tirole 1991, *Game Theory*, sec. 9.2).  With k markets left and reputation
``p_k``: the entrant stays out if ``p_k > b^k`` and enters if ``p_k < b^k``
(out w.p. ``1/a`` at equality); the weak incumbent fights for sure if
``p_k >= b^(k-1)``, else w.p. ``beta_k = p_k (1 - b^(k-1)) / ((1 - p_k) b^(k-1))``,
and accommodates in the last market: reputation makes the weak incumbent
fight early.

Per market an entrant gets 0 staying out, ``b - 1`` if fought and ``b`` if
accommodated (0 < b < 1).  The weak incumbent gets ``a`` (> 1) when the
entrant stays out, 0 accommodating and -1 fighting; the tough one gets ``a``,
0 fighting and -1 accommodating.  The incumbent knows its type; entrants see
earlier moves, not the type.  The incumbent's payoff is the sum over markets.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from deterrence.errors import ParameterError
from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Node, Terminal, choice
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from games._factory import factory_values

__all__ = ["CHAIN_STORE_PARAMETERS", "MODELS", "chain_store", "chain_store_2", "chain_store_3", "entry_threshold"]

_KW = "Kreps & Wilson (1982); Fudenberg & Tirole (1991, sec. 9.2); the numbers are a teaching instance"

CHAIN_STORE_PARAMETERS = ParameterSet(
    [
        Parameter("prior", Fraction(1, 3), 0, 1, "probability", "prior that the incumbent is tough", (), _KW),
        Parameter("a", 2, 1, 10, "utility", "incumbent's value of a market the entrant stays out of", (), _KW),
        Parameter("b", Fraction(1, 2), 0, 1, "utility", "entrant's value of being accommodated", (), _KW),
    ]
)


def chain_store(
    prior: Any = Fraction(1, 3), a: Any = 2, b: Any = Fraction(1, 2), markets: int = 2
) -> ExtensiveFormGame:
    """The chain store over ``markets`` markets; the incumbent is tough w.p. ``prior``.

    Information sets: Entrant 1 ``"first entry"``; Entrant m ``"after h"``
    (h = the earlier markets' results, comma-separated); the incumbent of
    type t in market m ``"t m"`` (m = 1) or ``"t m after h"``.

    Examples
    --------
    >>> g = chain_store(Fraction(1, 3), 2, Fraction(1, 2))
    >>> g.players
    ('Incumbent', 'Entrant 1', 'Entrant 2')
    >>> len(list(chain_store(markets=3).terminals()))
    54
    """
    if markets not in (1, 2, 3):
        raise ParameterError(f"chain store: markets must be 1, 2 or 3, not {markets}")
    mine = {"weak": {"out": a, "accommodate": 0, "fight": -1}, "tough": {"out": a, "accommodate": -1, "fight": 0}}
    theirs = {"out": 0, "accommodate": b, "fight": b - 1}

    def market(kind: str, m: int, history: tuple[str, ...]) -> Node:
        h = ", ".join(history)

        def next_(result: str) -> Node:
            done = (*history, result)
            if m == markets:
                total = sum((mine[kind][r] for r in done), start=0)
                return Terminal((total, *(theirs[r] for r in done)), f"{kind} {' '.join(done)}")
            return market(kind, m + 1, done)

        inc_set, inc_label = (
            (f"{kind} 1", f"{kind} in1") if m == 1 else (f"{kind} {m} after {h}", f"{kind} in{m} after {h}")
        )
        incumbent = choice("Incumbent", inc_set, {r: next_(r) for r in ("fight", "accommodate")}, label=inc_label)
        ent_set, ent_label = ("first entry", f"{kind} E1") if m == 1 else (f"after {h}", f"{kind} E{m} after {h}")
        return choice(f"Entrant {m}", ent_set, {"out": next_("out"), "in": incumbent}, label=ent_label)

    root = Chance(("tough", "weak"), (prior, 1 - prior), (market("tough", 1, ()), market("weak", 1, ())), "type")
    players = ["Incumbent", *(f"Entrant {m}" for m in range(1, markets + 1))]
    return ExtensiveFormGame(players, root, title=f"Chain store, {markets} markets")


def chain_store_2(**values: Any) -> ExtensiveFormGame:
    """The 2-market chain store as a model factory (keywords prior, a, b; missing ones symbolic).

    A module-level function, so the model pickles and reaches worker processes (``-j N``).
    """
    v = factory_values(CHAIN_STORE_PARAMETERS, values)
    return chain_store(v["prior"], v["a"], v["b"], markets=2)


def chain_store_3(**values: Any) -> ExtensiveFormGame:
    """The 3-market chain store as a model factory: 39 information sets, solved by ``--method logit-limit``.

    Examples
    --------
    >>> game = chain_store_3(prior=Fraction(1, 4), a=2, b=Fraction(1, 2))
    >>> print(len(game.players), sum(len(s) for s in game.infosets.values()))
    4 39
    """
    v = factory_values(CHAIN_STORE_PARAMETERS, values)
    return chain_store(v["prior"], v["a"], v["b"], markets=3)


def entry_threshold(b: Any, k: int) -> Fraction:
    """The reputation above which the entrant with ``k`` markets left stays out: ``b**k``.

    Examples
    --------
    >>> print(entry_threshold(Fraction(1, 2), 3))
    1/8
    """
    return Fraction(b) ** k


MODELS = [
    Model(
        f"chain-store-{n}",
        f"Chain store with a tough incumbent, {n} markets",
        "Kreps & Wilson (1982), JET 27:253-279; Fudenberg & Tirole (1991), sec. 9.2: "
        "entrant stays out iff p_k > b^k; the weak incumbent fights early w.p. beta_k",
        build,
        CHAIN_STORE_PARAMETERS,
        description=f"An incumbent, tough with probability prior, faces {n} entrants in turn; a weak incumbent "
        "fights early to keep its reputation. Solved as PBE; use --belief-rule passive for Kreps-Wilson beliefs.",
        concepts=("pbe",),
        tags=("teaching", "reputation", "incomplete-information"),
    )
    for n, build in ((2, chain_store_2), (3, chain_store_3))
]
