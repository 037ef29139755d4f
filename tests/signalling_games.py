"""Signalling and deterrence trees with published perfect Bayesian equilibria (used by tests/test_pbe*.py)."""

from __future__ import annotations

from fractions import Fraction

from deterrence import ExtensiveFormGame, Terminal, choice
from deterrence.forms.extensive_form import Chance


def beer_quiche(weak: object = Fraction(1, 10)) -> ExtensiveFormGame:
    """Cho and Kreps (1987): the sender is weak w.p. 1/10, strong w.p. 9/10, and picks breakfast.

    Sender: 1 for the breakfast her type likes (strong: beer, weak: quiche)
    plus 2 when the receiver does not duel.  Receiver: 1 for duelling a weak
    sender or not duelling a strong one, else 0.  The receiver sees the
    breakfast, not the type (information sets "after beer", "after quiche").
    """

    def sender(kind: str, likes: str) -> object:
        def meal(food: str) -> object:
            bonus = 1 if food == likes else 0
            duel_pays = 1 if kind == "weak" else 0
            return choice(
                "Receiver",
                f"after {food}",
                {
                    "duel": Terminal((bonus, duel_pays), f"{kind} {food} duel"),
                    "not": Terminal((bonus + 2, 1 - duel_pays), f"{kind} {food} not"),
                },
                label=f"{kind} {food}",
            )

        return choice("Sender", kind, {"beer": meal("beer"), "quiche": meal("quiche")}, label=kind)

    root = Chance(("weak", "strong"), (weak, 1 - weak), (sender("weak", "quiche"), sender("strong", "beer")), "type")
    return ExtensiveFormGame(["Sender", "Receiver"], root, title="Beer-Quiche")


def selten_horse() -> ExtensiveFormGame:
    """Selten (1975, Figure 1), with the payoffs of Gambit's e01.efg.

    Player 1 goes across (A) or down (D); after A, player 2 goes across (a,
    ending at (1, 1, 1)) or down (d).  Player 3 chooses L or R not knowing
    whether 1 went down or 1 across and 2 down.

    Derivation of its perfect Bayesian equilibria (x = P(A), q = P(d),
    p = P(L), mu = player 3's belief in D).  Player 3: L pays 2 mu, R pays
    1 - mu, so L iff mu >= 1/3.  Player 2 (after A): a pays 1, d pays 4p.
    Player 1: D pays 3p, A pays 1 - q + 4pq.  If p > 0 then 2 plays d when
    p > 1/4 (and 1 plays A, so mu = 0 and p = 0, a contradiction) or 1 plays
    A strictly (1 > 3p when p <= 1/4), so 3's set is reached only through A d:
    if q > 0, mu = 0 and R is strict, contradicting p > 0; so q = 0, the set is
    off the path and p > 0 needs mu = 1/3 exactly, with p <= 1/4 for player 2.
    If p = 0: 2 is indifferent only if 4p = 1, so a is strict, q = 0, and
    1 plays A (1 > 0): 3's set is off the path and R needs mu <= 1/3.  So the
    PBE are (A, a, p) with p in [0, 1/4], mu <= 1/3 (mu = 1/3 when p > 0): one
    component.  The Nash equilibria with 1 playing D (L for sure, 2 playing a
    w.p. at least 1/3) are not PBE: at 2's unreached node d pays 4 > 1.
    """

    def three(kind: str, left: tuple, right: tuple) -> object:
        return choice("3", "x3", {"L": Terminal(left, f"{kind} L"), "R": Terminal(right, f"{kind} R")}, label=kind)

    root = choice(
        "1",
        "x1",
        {
            "A": choice(
                "2", "x2", {"a": Terminal((1, 1, 1), "A a"), "d": three("A d", (4, 4, 0), (0, 0, 1))}, label="A"
            ),
            "D": three("D", (3, 2, 2), (0, 0, 0)),
        },
    )
    return ExtensiveFormGame(["1", "2", "3"], root, title="Selten's horse")


def chain_store(prior: object = Fraction(1, 3), a: object = 2, b: object = Fraction(1, 2)) -> ExtensiveFormGame:
    """Kreps-Wilson (1982) chain store over two markets (moved to :func:`games.chain_store.chain_store`)."""
    from games.chain_store import chain_store as build

    return build(prior, a, b, markets=2)
