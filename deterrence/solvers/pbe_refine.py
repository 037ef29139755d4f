"""The Intuitive Criterion (Cho and Kreps 1987) for perfect Bayesian equilibria of signalling trees.

Take an assessment and an information set ``I`` of a receiver that the path
of play does not reach, where each node ``x`` of ``I`` follows one
unexpected move ``m`` made by the sender's *type* ``t(x)`` (a one-node
information set of the sender, reached on the path) immediately before
``x``.  Let ``u*(t)`` be type ``t``'s equilibrium payoff and ``BR(T)`` the
receiver's actions at ``I`` that are best responses to some belief
supported on the nodes of ``T``.

1. Type ``t`` is *excluded* when ``u*(t)`` exceeds the most it can get
   from ``m`` against any action in ``BR(I)``.
2. The assessment *fails* when, with ``J`` the nodes of types not excluded
   (``J`` non-empty), some type in ``J`` gets strictly more than ``u*(t)``
   from ``m`` against *every* action in ``BR(J)``.

Information sets that do not have this shape impose no restriction here.
Continuation payoffs after the receiver's action are those of the
assessment's own behaviour.

References
----------
Cho, I.-K. and Kreps, D. M. (1987). Signaling games and stable equilibria.
Quarterly Journal of Economics 102, 179-221.
"""

from __future__ import annotations

from typing import Any

import sympy

from deterrence.forms.extensive_form import Chance
from deterrence.solvers.pbe_region import linear_region
from deterrence.solvers.pbe_tree import Info, TreeIndex
from deterrence.solvers.result import Equilibrium

__all__ = ["intuitive_criterion"]

Path = tuple[str, ...]


def _best_replies(index: TreeIndex, info: Info, nodes: list[Path], values: dict) -> list[str]:
    """Receiver actions at ``info`` optimal for some belief on ``nodes``."""
    j = index.players.index(info.player)
    symbols = [sympy.Symbol(f"b{k}") for k in range(len(nodes))]
    replies = []
    for r in info.actions:
        constraints = [(s, False) for s in symbols]
        for other in info.actions:
            gain = sum((s * (values[x + (r,)][j] - values[x + (other,)][j]) for s, x in zip(symbols, nodes)), 0)
            constraints.append((sympy.sympify(gain), False))
        if linear_region(symbols, constraints, [sum(symbols) - 1]) is not None:
            replies.append(r)
    return replies


def _deviation(index: TreeIndex, behaviour: dict, x: Path) -> Path | None:
    """The sender's node just before ``x`` when its move into ``x`` is the only unexpected one on the path."""
    zeros = []
    for k in range(1, len(x) + 1):
        parent = index.nodes[x[: k - 1]]
        if isinstance(parent, Chance):
            continue
        info = index.info_of(x[: k - 1])
        if behaviour[info.player][info.name].get(x[k - 1], 0) == 0:
            zeros.append(k - 1)
    if zeros != [len(x) - 1]:
        return None
    return x[:-1] if len(index.info_of(x[:-1]).nodes) == 1 else None


def intuitive_criterion(index: TreeIndex, eq: Equilibrium) -> bool:
    """True when the assessment passes the Intuitive Criterion at every signalling information set.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Terminal, choice
    >>> def meal(kind, food, likes):
    ...     bonus, weak = int(food == likes), int(kind == "weak")
    ...     return choice("R", food, {"duel": Terminal((bonus, weak)), "not": Terminal((bonus + 2, 1 - weak))})
    >>> def sender(kind, likes):
    ...     return choice("S", kind, {f: meal(kind, f, likes) for f in ("beer", "quiche")})
    >>> bq = ExtensiveFormGame(["S", "R"], Chance(("weak", "strong"), (Fraction(1, 10), Fraction(9, 10)),
    ...     (sender("weak", "quiche"), sender("strong", "beer"))))
    >>> from deterrence.solvers.pbe import perfect_bayesian_equilibria
    >>> index = TreeIndex(bq)
    >>> sorted({e.strategies["S"]["weak"]["beer"] for e in perfect_bayesian_equilibria(bq)
    ...         if intuitive_criterion(index, e)})
    [Fraction(1, 1)]
    """
    behaviour = eq.strategies

    def prob(info: Info, action: str) -> Any:
        return behaviour[info.player][info.name].get(action, 0)

    values = index.values(prob)
    for info in index.infos:
        if any(index.reach(x, prob) != 0 for x in info.nodes):
            continue
        senders = {x: _deviation(index, behaviour, x) for x in info.nodes}
        if any(d is None for d in senders.values()):
            continue
        players = {index.nodes[d].player for d in senders.values()}  # type: ignore[index, union-attr]
        if len(players) != 1 or info.player in players:
            continue
        i = index.players.index(players.pop())
        star = {x: values[d][i] for x, d in senders.items()}  # type: ignore[index]
        every = _best_replies(index, info, list(info.nodes), values)
        kept = [x for x in info.nodes if star[x] <= max(values[x + (r,)][i] for r in every)]
        if not kept:
            continue
        replies = _best_replies(index, info, kept, values)
        if any(star[x] < min(values[x + (r,)][i] for r in replies) for x in kept):
            return False
    return True
