"""Fearon's crisis-bargaining models, discretised so the engine can solve them.

* **Bargaining under private costs** (Fearon 1995, "Rationalist explanations
  for war", *IO* 49(3):379-414, pp. 381-390 on the bargaining range and the
  risk-return trade-off).  An issue in [0, 1]; A wins a war w.p. ``p``; war
  costs ``c_a`` and B's private ``c_B``.  Every split in ``[p - c_a, p + c_B]``
  beats war (:func:`bargaining_range`).  With ``c_B ~ U[0, c_bar]`` and a
  take-it-or-leave-it offer by A, B accepts ``x`` iff ``c_B >= x - p``, and A's
  best offer is ``x* = p + (c_bar - c_a)/2`` with ``Pr(war) = (c_bar - c_a)/(2 c_bar)``
  when ``c_a < c_bar`` (:func:`optimal_offer`, the closed form).
  :func:`bargaining_game` is the discrete version: ``n`` equally likely cost
  types at the midpoints ``(k - 1/2) c_bar / n`` and offers ``p + j c_bar / n``
  (``j = 0..n``), so the share of types accepting offer j is ``1 - j/n``,
  exactly the uniform distribution's; whenever ``t* = (c_bar - c_a)/(2 c_bar)``
  is a multiple of ``1/n`` the two agree exactly.
* **Audience costs** (Fearon 1994, "Domestic political audiences and the
  escalation of international disputes", *APSR* 88(3):577-592), as a
  three-move teaching game (:func:`audience_cost_game`): a Challenger,
  resolved w.p. ``pi``, threatens or not; the Target resists or concedes;
  after resistance the Challenger fights or backs down and pays the audience
  cost ``a``.  The original is a continuous-time war of attrition; this
  discrete version keeps its mechanism (backing down after a public threat
  costs ``a``) and is ours.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from deterrence.errors import ParameterError
from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Node, Terminal, choice
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from games._factory import factory_values

__all__ = [
    "AUDIENCE_COST_PARAMETERS",
    "BARGAINING_PARAMETERS",
    "MODELS",
    "audience_cost_equilibrium",
    "audience_cost_game",
    "bargaining_game",
    "bargaining_range",
    "optimal_offer",
]

_F95 = "Fearon (1995), pp. 381-390; the numbers are a teaching instance"
_F94 = "discrete teaching version of Fearon (1994); the payoffs are ours (see audience_cost_game)"

BARGAINING_PARAMETERS = ParameterSet(
    [
        Parameter("p", Fraction(1, 2), 0, 1, "probability", "probability that A wins a war", (), _F95),
        Parameter("c_a", Fraction(1, 6), 0, 1, "share of the issue", "A's cost of war", (), _F95),
        Parameter("c_bar", Fraction(1, 2), 0, 1, "share of the issue", "upper end of B's uniform war cost", (), _F95),
        Parameter("n", 3, 1, 8, "count", "number of B's cost types and offer steps (structural)", (), _F95),
    ]
)

AUDIENCE_COST_PARAMETERS = ParameterSet(
    [
        Parameter("pi", Fraction(1, 3), 0, 1, "probability", "prior that the Challenger is resolved", (), _F94),
        Parameter("a", 1, 0, 2, "utility", "audience cost of backing down after a threat", (), _F94),
    ]
)


def bargaining_range(p: Any, c_a: Any, c_b: Any) -> tuple[Fraction, Fraction]:
    """The splits both sides prefer to war: ``[p - c_a, p + c_b]`` (A's share; Fearon 1995, p. 387).

    Examples
    --------
    >>> print(*bargaining_range(Fraction(1, 2), Fraction(1, 4), Fraction(1, 8)))
    1/4 5/8
    """
    return Fraction(p) - Fraction(c_a), Fraction(p) + Fraction(c_b)


def optimal_offer(p: Any, c_a: Any, c_bar: Any) -> tuple[Fraction, Fraction]:
    """A's best take-it-or-leave-it demand and the probability of war, for ``c_B ~ U[0, c_bar]``.

    A demanding ``x = p + t c_bar`` is refused w.p. ``t`` and gets
    ``(1 - t)(p + t c_bar) + t (p - c_a) = p + t (c_bar - c_a) - t^2 c_bar``,
    maximal at ``t* = (c_bar - c_a)/(2 c_bar)`` (0 when ``c_a >= c_bar``): the
    risk-return trade-off.

    Examples
    --------
    >>> x, war = optimal_offer(Fraction(1, 2), Fraction(1, 4), Fraction(1, 2))
    >>> print(x, war)
    5/8 1/4
    """
    p, c_a, c_bar = Fraction(p), Fraction(c_a), Fraction(c_bar)
    if c_bar <= 0:
        raise ParameterError("c_bar must be positive")
    t = max(c_bar - c_a, Fraction(0)) / (2 * c_bar)
    return p + t * c_bar, t


def bargaining_game(**values: Any) -> ExtensiveFormGame:
    """Fearon's take-it-or-leave-it bargaining with ``n`` discrete cost types for B (``p, c_a, c_bar`` may be symbolic).

    A (not knowing B's cost) demands ``x_j = p + j c_bar / n``; B, knowing its
    cost ``c_k = (k - 1/2) c_bar / n``, accepts (A gets ``x_j``, B ``1 - x_j``)
    or fights (A ``p - c_a``, B ``1 - p - c_k``).  ``n`` is structural: it
    takes its default (3) unless given.

    Examples
    --------
    >>> g = bargaining_game(p=Fraction(1, 2), c_a=Fraction(1, 4), c_bar=Fraction(1, 2), n=2)
    >>> g.root.actions
    ('c1', 'c2')
    """
    v = factory_values(BARGAINING_PARAMETERS, values, structural=("n",))
    n = v["n"]
    if Fraction(n).denominator != 1:
        raise ParameterError(f"parameter 'n' must be a whole number, not {n}")
    n = int(n)
    p, c_a, c_bar = v["p"], v["c_a"], v["c_bar"]

    def b_reply(k: int, j: int) -> Node:
        x, cost = p + c_bar * Fraction(j, n), c_bar * Fraction(2 * k - 1, 2 * n)
        return choice("B", f"c{k} offer {j}", {
            "accept": Terminal((x, 1 - x), f"c{k} accepts {j}"),
            "fight": Terminal((p - c_a, 1 - p - cost), f"c{k} fights {j}"),
        }, label=f"c{k} offered {j}")  # fmt: skip

    types = tuple(
        choice("A", "demand", {f"x{j}": b_reply(k, j) for j in range(n + 1)}, label=f"A vs c{k}")
        for k in range(1, n + 1)
    )
    root = Chance(tuple(f"c{k}" for k in range(1, n + 1)), (Fraction(1, n),) * n, types, "B's cost")
    return ExtensiveFormGame(["A", "B"], root, title="Fearon (1995) bargaining with private costs")


def audience_cost_game(**values: Any) -> ExtensiveFormGame:
    """The discrete audience-cost game; ``pi`` and ``a`` may stay symbolic.

    Challenger: 0 at the status quo, 1 if the Target concedes, ``-a`` backing
    down, war 1/2 if resolved and -3 if not (so the resolved type fights and,
    for ``a < 3``, the unresolved one backs down).  Target: 0 conceding, 3
    when the Challenger backs down, -2 at war, 1 at the status quo; so it
    resists iff its belief that the Challenger is resolved is at most 3/5.

    Examples
    --------
    >>> g = audience_cost_game(pi=Fraction(1, 3), a=1)
    >>> len(list(g.terminals()))
    8
    """
    v = factory_values(AUDIENCE_COST_PARAMETERS, values)
    war = {"resolved": Fraction(1, 2), "unresolved": Fraction(-3)}

    def challenger(kind: str) -> Node:
        last = choice("Challenger", f"{kind} after resistance", {
            "fight": Terminal((war[kind], -2), f"war ({kind})"),
            "back down": Terminal((-v["a"], 3), f"back down ({kind})"),
        }, label=f"{kind} resisted")  # fmt: skip
        target = choice("Target", "threatened", {"concede": Terminal((1, 0), f"concede ({kind})"), "resist": last},
                        label=f"{kind} threatens")  # fmt: skip
        return choice("Challenger", kind, {"status quo": Terminal((0, 1), f"SQ ({kind})"), "threaten": target},
                      label=kind)  # fmt: skip

    root = Chance(("resolved", "unresolved"), (v["pi"], 1 - v["pi"]),
                  (challenger("resolved"), challenger("unresolved")), "resolve")  # fmt: skip
    return ExtensiveFormGame(["Challenger", "Target"], root, title="Audience costs (after Fearon 1994)")


def audience_cost_equilibrium(pi: Any, a: Any) -> dict[str, Fraction]:
    """The derived equilibrium of :func:`audience_cost_game` for ``0 < pi < 3/5`` and ``0 < a < 3``.

    The unresolved type bluffs w.p. ``2 pi / (3 (1 - pi))`` (leaving the
    Target's posterior at 3/5); the Target resists w.p. ``1/(1 + a)`` (making
    the bluffer indifferent: ``(1 - r) - r a = 0``); war happens when the
    resolved type is resisted: ``pi / (1 + a)``.

    Examples
    --------
    >>> e = audience_cost_equilibrium(Fraction(1, 3), 1)
    >>> print(e["bluff"], e["resist"], e["war"])
    1/3 1/2 1/6
    """
    pi, a = Fraction(pi), Fraction(a)
    return {"bluff": 2 * pi / (3 * (1 - pi)), "resist": 1 / (1 + a), "war": pi / (1 + a)}


MODELS = [
    Model(
        "fearon-bargaining",
        "Bargaining with private war costs (Fearon 1995)",
        "Fearon (1995), Rationalist explanations for war, IO 49(3), pp. 381-390: "
        "bargaining range [p - c_a, p + c_b]; risk-return trade-off x* = p + (c_bar - c_a)/2",
        bargaining_game,
        BARGAINING_PARAMETERS,
        description="A demands a share; B, with a private war cost (n equally likely types, a discrete uniform), "
        "accepts or fights. A's optimal demand risks war with probability (c_bar - c_a)/(2 c_bar).",
        concepts=("pbe",),
        tags=("teaching", "bargaining", "incomplete-information"),
    ),
    Model(
        "fearon-audience-costs",
        "Audience costs (discrete, after Fearon 1994)",
        "Fearon (1994), Domestic political audiences, APSR 88(3); discrete teaching version: "
        "bluff 2pi/(3(1-pi)), resistance 1/(1+a), war pi/(1+a)",
        audience_cost_game,
        AUDIENCE_COST_PARAMETERS,
        description="A Challenger, resolved or not, threatens; the Target resists or concedes; backing down "
        "costs the Challenger the audience cost a. Higher a lowers resistance and war.",
        concepts=("pbe",),
        tags=("teaching", "bargaining", "signalling", "incomplete-information"),
    ),
]
