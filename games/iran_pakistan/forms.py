"""The Iran-Pakistan games: matrix, sequential, pre-strike and Bayesian forms.

All forms share :mod:`.parameters` and the outcome payoffs below, written once
so that they serve sympy symbols (the parametric games, thresholds) and numpy
arrays (batched sweeps) alike.  Pakistan's payoff comes first, Iran's second.
Play starts after Iran's strike of 16 January 2024 (F1), except in the
pre-strike form (C12).

=============================  ===============================  ==============================
outcome                        Pakistan                         Iran (motive type t)
=============================  ===============================  ==============================
absorb (protest only)          ``-P``                           ``g'``
strike r, Iran stands down     ``-k_r' - (1 - rho_r) P``        ``g' - f_r - q_t + m``
strike r, Iran escalates,      ``-k_r' - d - C_P``              ``g' + e_t - R_I - W_I``
Pakistan counter-escalates
strike r, Iran escalates,      ``-k_r' - d - P``                ``g' + e_t - R_I``
Pakistan holds
no Iranian strike (pre-strike) ``0``                            ``0``
=============================  ===============================  ==============================

``r`` is calibrated (K) or direct (X); ``k_r'`` its full cost (with China's
and, for X, Washington's restraint, :func:`~.parameters.strike_cost`);
``rho_r`` the share of the precedent it restores if Iran leaves it
unanswered; ``f_r`` Iran's face cost of not answering it, ``q_t`` the
coercing type's face premium, ``m`` China's face-saving mediation, ``e_t``
the type's value of escalating, ``d`` the damage of Iran's counter-strike,
``g' = iran_strike_gain - us_condemnation``; ``P``, ``C_P``, ``R_I`` and
``W_I`` are defined in :mod:`.parameters`.  Each term is a trade-off: a
direct strike restores more deterrence but costs more and invites more
escalation (C3); China's mediation makes Iran's retreat cheaper and
Pakistan's strike dearer (C8); an Iranian escalation costs ``R_I`` however
Pakistan answers, ``W_I`` only if it answers (C6, C7).  Pakistan's
counter-escalation is a move of its own (the Asymmetric Escalation Game's
last move, Zagare & Kilgour 2000), so its credibility is derived.

Every form is a factory in the library's one convention, ``form(**params)``:
one keyword per parameter, the rest at their defaults; ``form()`` gives the
parametric game (sympy payoffs).  A mapping of values may be passed first
instead, as the analysis modules do (``form(values)``).

Examples
--------
>>> cell = ("calibrated", "stand down")
>>> pay = outcome_payoffs(values_for(symbolic=True))
>>> print(pay["calibrated/stand_down"][1])
china_mediation - face_cost_calibrated + iran_strike_gain - us_condemnation
>>> print(outcome_payoffs(values_for({"china_mediation": 0}))["calibrated/stand_down"][1])
-3/2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from deterrence.forms.normal_form import NormalFormGame
from deterrence.forms.reduced_form import reduced_normal_form
from games.iran_pakistan.parameters import (
    PARAMETERS,
    TYPES,
    check_priors,
    iran_escalation_cost,
    iran_war_cost,
    pakistan_clash_cost,
    precedent_cost,
    priors,
    strike_cost,
)

__all__ = [
    "RESPONSES",
    "values_for",
    "outcome_payoffs",
    "matrix_game",
    "sequential_game",
    "prestrike_game",
    "bayesian_game",
]

#: Pakistan's responses: key, label, restoration parameter, Iran's face-cost parameter
RESPONSES = (
    ("calibrated", "calibrated strike", "restoration_calibrated", "face_cost_calibrated"),
    ("direct", "direct strike", "restoration_direct", "face_cost_direct"),
)
_TYPE = {key: (label, value, premium) for key, label, value, premium in TYPES}


def values_for(values: dict[str, Any] | None = None, symbolic: bool = False) -> dict[str, Any]:
    """Parameter values: validated numbers with defaults, or sympy symbols when ``symbolic``."""
    if symbolic:
        return {p.name: p.symbol for p in PARAMETERS}
    point = PARAMETERS.point(values or {})
    check_priors(point)
    return point


def outcome_payoffs(v: dict[str, Any], motive: str = "ct") -> dict[str, tuple[Any, Any]]:
    """Payoffs ``(Pakistan, Iran)`` of every outcome for Iran's motive type ``motive``.

    Keys: ``absorb``, and for r in (calibrated, direct): ``r/stand_down``,
    ``r/escalate/counter``, ``r/escalate/hold``.

    Examples
    --------
    >>> pay = outcome_payoffs(values_for())
    >>> print(pay["absorb"][0], *pay["calibrated/stand_down"])
    -6 -81/20 -1
    """
    label, value_name, has_premium = _TYPE[motive]
    P, C_P = precedent_cost(v), pakistan_clash_cost(v)
    R_I, W_I = iran_escalation_cost(v), iran_war_cost(v)
    g = v["iran_strike_gain"] - v["us_condemnation"]
    m, d, e = v["china_mediation"], v["escalation_damage"], v[value_name]
    premium = v["coerce_face_premium"] if has_premium else 0
    out = {"absorb": (-P, g)}
    for key, _, restoration, face in RESPONSES:
        k, f = strike_cost(v, key), v[face]
        out[f"{key}/stand_down"] = (-k - (1 - v[restoration]) * P, g - f - premium + m)
        out[f"{key}/escalate/counter"] = (-k - d - C_P, g + e - R_I - W_I)
        out[f"{key}/escalate/hold"] = (-k - d - P, g + e - R_I)
    return out


def _resolve(values: Mapping[str, Any] | None, params: Mapping[str, Any]) -> dict[str, Any]:
    """Validated values from a mapping and/or keywords; the symbols when neither is given."""
    if values is None and not params:
        return values_for(None, symbolic=True)
    return values_for({**(values or {}), **params})


def matrix_game(values: Mapping[str, Any] | None = None, /, *, motive: str = "ct", **params: Any) -> NormalFormGame:
    """Strategic form of the continuation: the reduced normal form of :func:`sequential_game`.

    The engine builds it from the tree (:func:`~deterrence.forms.reduced_form.reduced_normal_form`),
    so the two forms cannot disagree.  Pakistan's plans (rows): absorb, or a strike
    with what it would do if Iran escalated (``calibrated/counter-escalate`` ...).
    Iran's plans (columns) say how it answers *each* strike
    (``stand down/escalate``: stand down after a calibrated strike, escalate after a
    direct one).  Against *absorb* all of Iran's columns pay the same, so the
    game is degenerate by construction; its Nash equilibria include the tree's
    subgame-perfect path and, as in Selten's entry game, profiles that rest on
    threats the tree shows to be incredible.  With neither ``values`` nor
    keywords it is the parametric game.

    Examples
    --------
    >>> g = matrix_game({})
    >>> g.shape, g.kind
    ((5, 4), 'exact')
    >>> g.strategies[0][:2], g.strategies[1][1]
    (('absorb', 'calibrated/counter-escalate'), 'stand down/escalate')
    """
    tree = sequential_game(values, motive=motive, **params)
    normal = reduced_normal_form(tree).game
    return NormalFormGame(
        normal.players,
        normal.strategies,
        normal.payoffs,
        title=f"Iran-Pakistan continuation, strategic form (Iran's motive: {_TYPE[motive][0]})",
    )


def _continuation(
    pay: dict[str, tuple[Any, Any]], tag: str = "", iran_infoset: str = "", counter_infoset: str = ""
) -> Decision:
    """Pakistan's response subtree; infoset ids may be shared across types (Bayesian form)."""
    branches: list[Node] = [Terminal(pay["absorb"], "absorb")]
    for key, *_ in RESPONSES:
        counter = Decision(
            "Pakistan",
            counter_infoset + f"after {key} + escalation",
            ("counter-escalate", "hold"),
            (
                Terminal(pay[f"{key}/escalate/counter"], f"{key}/escalate/counter"),
                Terminal(pay[f"{key}/escalate/hold"], f"{key}/escalate/hold"),
            ),
        )
        branches.append(
            Decision(
                "Iran",
                iran_infoset + f"after {key}",
                ("stand down", "escalate"),
                (Terminal(pay[f"{key}/stand_down"], f"{key}/stand_down"), counter),
            )
        )
    return Decision("Pakistan", tag + "response", ("absorb", "calibrated", "direct"), tuple(branches))


def sequential_game(
    values: Mapping[str, Any] | None = None, /, *, motive: str = "ct", **params: Any
) -> ExtensiveFormGame:
    """The continuation after Iran's strike as a game tree (complete information).

    Pakistan absorbs, strikes calibrated targets or strikes directly; Iran
    stands down or escalates; after an escalation Pakistan counter-escalates
    or holds.  Terminal labels are the outcome keys of :func:`outcome_payoffs`.

    Examples
    --------
    >>> g = sequential_game({})
    >>> len(g.terminals()), g.infosets["Iran"]
    (7, ('after calibrated', 'after direct'))
    """
    v = _resolve(values, params)
    return ExtensiveFormGame(
        ["Pakistan", "Iran"],
        _continuation(outcome_payoffs(v, motive)),
        title=f"Iran-Pakistan continuation after Iran's strike (motive: {_TYPE[motive][0]})",
    )


def prestrike_game(values: Mapping[str, Any] | None = None, /, **params: Any) -> ExtensiveFormGame:
    """One move earlier, with uncertainty on both sides (C12): Iran decides whether to strike.

    Nature draws Iran's motive from Pakistan's prior (as in
    :func:`bayesian_game`) and, independently, Pakistan's resolve: *soft*
    with probability ``iran_belief_absorb`` (its precedent cost is zero, so a
    strike only costs it and it absorbs), else *resolved* (the payoffs
    above).  Iran knows its motive, not Pakistan's resolve: it strikes or
    keeps the status quo (0, 0).  Pakistan knows its resolve, not Iran's
    motive: it updates on the strike and responds.  Iran, still unsure of
    Pakistan's resolve, replies; Pakistan counter-escalates or holds.
    :func:`games.iran_pakistan.prestrike.prestrike_assessments` solves
    exactly this tree, mixing included, for the PBE with dominance-consistent
    beliefs (Iran puts no weight on a soft Pakistan after a strike, strictly
    dominated for it): a refinement.  ``deterrence.solve(g, "pbe")`` leaves
    every off-path belief free and may find more equilibria.

    Examples
    --------
    >>> g = prestrike_game({})
    >>> g.infosets["Iran"][:2]
    ('counter-terror: strike?', 'counter-terror: after calibrated')
    >>> g.infosets["Pakistan"][:2]
    ('resolved response', 'resolved after calibrated + escalation')
    >>> len(g.terminals())
    48
    """
    v = _resolve(values, params)
    belief = v["iran_belief_absorb"]
    prior = priors(v)
    motives = []
    for key, label, *_ in TYPES:
        subtrees = []
        for tag, soft in (("resolved", False), ("soft", True)):
            w = dict(v)
            if soft:
                w.update(precedent_loss=0, resolve_value=0)
            strike = _continuation(
                outcome_payoffs(w, key), tag=f"{tag} ", iran_infoset=f"{label}: ", counter_infoset=f"{tag} "
            )
            status_quo = Terminal((0, 0), "status quo")
            subtrees.append(Decision("Iran", f"{label}: strike?", ("no strike", "strike"), (status_quo, strike)))
        motives.append(Chance(("resolved", "soft"), (1 - belief, belief), tuple(subtrees), label="Pakistan's resolve"))
    root = _motive(prior, motives)
    return ExtensiveFormGame(
        ["Pakistan", "Iran"], root, title="Iran's decision to strike, with uncertainty on both sides (C12)"
    )


def _motive(prior: Mapping[str, Any], children: Sequence[Node]) -> Chance:
    """Nature's draw of Iran's motive from ``prior``, one child a type (in :data:`TYPES` order)."""
    return Chance(
        tuple(label for _, label, *_ in TYPES),
        tuple(prior[k] for k, *_ in TYPES),
        tuple(children),
        label="Iran's motive",
    )


def bayesian_game(values: Mapping[str, Any] | None = None, /, **params: Any) -> ExtensiveFormGame:
    """Incomplete information over Iran's motive (Harsanyi 1967-68 transformation).

    Nature draws Iran's type (counter-terror, broaden, coerce) from the prior;
    Iran knows it, Pakistan does not: Pakistan's response and its
    counter-escalation choices are information sets spanning the three types.

    Examples
    --------
    >>> g = bayesian_game({})
    >>> g.infosets["Pakistan"][0], len(g.infosets["Iran"])
    ('response', 6)
    """
    v = _resolve(values, params)
    if values is not None or params:
        check_priors(v)
    prior = priors(v)
    children = []
    for key, label, *_ in TYPES:
        children.append(_continuation(outcome_payoffs(v, key), iran_infoset=f"{label}: "))
    root = _motive(prior, children)
    return ExtensiveFormGame(
        ["Pakistan", "Iran"], root, title="Iran-Pakistan continuation with uncertainty over Iran's motive"
    )
