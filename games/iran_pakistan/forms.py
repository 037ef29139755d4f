"""The Iran-Pakistan games: matrix, sequential, pre-strike and Bayesian forms.

All forms share :mod:`.parameters` and the outcome payoffs below, written once
so that they serve sympy symbols (the parametric games, thresholds) and numpy
arrays (batched sweeps) alike.  Pakistan's payoff comes first, Iran's second.
Play starts after Iran's strike of 16 January 2024 (F1), except in the
pre-strike form (C12).

==============================  =========================  ================================
outcome                         Pakistan                   Iran (motive type t)
==============================  =========================  ================================
absorb (protest only)           ``-P``                     ``g``
strike r, Iran stands down      ``-k_r``                   ``g - f_r - q_t + m``
strike r, Iran escalates,       ``-k_r - d - C_P``         ``g + e_t - W_I``
Pakistan counter-escalates
strike r, Iran escalates,       ``-k_r - d - P``           ``g + e_t``
Pakistan holds
no Iranian strike (pre-strike)  ``0``                      ``0``
==============================  =========================  ================================

``r`` is calibrated (K) or direct (X); ``k_r`` its cost, ``f_r`` Iran's face
cost of not answering it, ``q_t`` the coercing type's face premium, ``m``
China's face-saving mediation, ``e_t`` the type's value of escalating, ``d``
the damage of Iran's counter-strike; ``P``, ``C_P`` and ``W_I`` are defined in
:mod:`.parameters`.  The encoding is described in docs/argument.md, with
two changes made on purpose: Pakistan's counter-escalation is a move of its
own (the Asymmetric Escalation Game's last move, Zagare & Kilgour 2000), so
its credibility is derived rather than assumed; and the face cost of the
coercing type carries a premium, its "not seen to back down" term.

Every form is a factory in the library's one convention, ``form(**params)``:
one keyword per parameter, the rest at their defaults; ``form()`` gives the
parametric game (sympy payoffs).  A mapping of values may be passed first
instead, as the analysis modules do (``form(values)``).

Examples
--------
>>> cell = ("calibrated", "stand down")
>>> print(matrix_game().payoff(cell, "Iran"))
china_mediation - face_cost_calibrated + iran_strike_gain
>>> print(matrix_game(china_mediation=0).payoff(cell, "Iran"), matrix_game({}).payoff(cell, "Iran"))
-1 -1/2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from deterrence.forms.normal_form import NormalFormGame
from games.iran_pakistan.parameters import (
    PARAMETERS,
    TYPES,
    check_priors,
    iran_war_cost,
    pakistan_clash_cost,
    precedent_cost,
    priors,
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

#: Pakistan's responses: key, label, cost parameter, Iran's face-cost parameter
RESPONSES = (
    ("calibrated", "calibrated strike", "calibrated_cost", "face_cost_calibrated"),
    ("direct", "direct strike", "direct_cost", "face_cost_direct"),
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
    -6 -1 -1/2
    """
    label, value_name, has_premium = _TYPE[motive]
    P, C_P, W_I = precedent_cost(v), pakistan_clash_cost(v), iran_war_cost(v)
    g, m, d, e = v["iran_strike_gain"], v["china_mediation"], v["escalation_damage"], v[value_name]
    premium = v["coerce_face_premium"] if has_premium else 0
    out = {"absorb": (-P, g)}
    for key, _, cost, face in RESPONSES:
        k, f = v[cost], v[face]
        out[f"{key}/stand_down"] = (-k, g - f - premium + m)
        out[f"{key}/escalate/counter"] = (-k - d - C_P, g + e - W_I)
        out[f"{key}/escalate/hold"] = (-k - d - P, g + e)
    return out


def _resolve(values: Mapping[str, Any] | None, params: Mapping[str, Any]) -> dict[str, Any]:
    """Validated values from a mapping and/or keywords; the symbols when neither is given."""
    if values is None and not params:
        return values_for(None, symbolic=True)
    return values_for({**(values or {}), **params})


def matrix_game(values: Mapping[str, Any] | None = None, /, *, motive: str = "ct", **params: Any) -> NormalFormGame:
    """Strategic form of the continuation (the matrix form of docs/argument.md).

    Pakistan (rows): absorb, calibrated strike, direct strike.  Iran (columns):
    stand down, or escalate if Pakistan retaliates -- and an escalation meets
    Pakistani counter-escalation (the open-clash outcome).  Against *absorb*
    Iran's two columns pay the same, so the game is degenerate by
    construction: a Nash component where Pakistan absorbs under an Iranian
    threat may appear, as in Selten's entry game.  With neither ``values``
    nor keywords it is the parametric game.

    Examples
    --------
    >>> g = matrix_game({})
    >>> g.shape, g.kind
    ((3, 2), 'exact')
    """
    v = _resolve(values, params)
    pay = outcome_payoffs(v, motive)
    rows = [[pay["absorb"], pay["absorb"]]]
    for key, *_ in RESPONSES:
        rows.append([pay[f"{key}/stand_down"], pay[f"{key}/escalate/counter"]])
    return NormalFormGame(
        ["Pakistan", "Iran"],
        [["absorb", "calibrated", "direct"], ["stand down", "escalate"]],
        rows,
        title=f"Iran-Pakistan continuation, strategic form (Iran's motive: {_TYPE[motive][0]})",
    )


def _continuation(
    pay: dict[str, tuple[Any, Any]], tag: str = "", iran_infoset: str = "", counter_infoset: str = ""
) -> Decision:
    """Pakistan's response subtree; infoset ids may be shared across types (Bayesian form)."""
    branches = [Terminal(pay["absorb"], "absorb")]
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


def prestrike_game(
    values: Mapping[str, Any] | None = None, /, *, motive: str = "ct", **params: Any
) -> ExtensiveFormGame:
    """One move earlier (C12): Iran decides whether to strike, then the continuation.

    Iran does not know whether Pakistan is *resolved* (payoffs as above) or
    *soft* (its precedent cost is zero, so it absorbs); it believes Pakistan
    soft with probability ``iran_belief_absorb``.  Pakistan knows its own
    type; Iran's later moves do not observe it.  Not striking keeps the status
    quo (0, 0).

    Examples
    --------
    >>> g = prestrike_game({})
    >>> g.infosets["Iran"][0]
    'strike?'
    """
    v = _resolve(values, params)
    belief = v["iran_belief_absorb"]
    subtrees = []
    for tag, soft in (("resolved", False), ("soft", True)):
        w = dict(v)
        if soft:
            w.update(precedent_loss=0, resolve_value=0)
        pay = outcome_payoffs(w, motive)
        strike = _continuation(pay, tag=f"{tag} ", counter_infoset=f"{tag} ")
        subtrees.append(Decision("Iran", "strike?", ("no strike", "strike"), (Terminal((0, 0), "status quo"), strike)))
    root = Chance(("resolved", "soft"), (1 - belief, belief), tuple(subtrees), label="Pakistan's resolve")
    return ExtensiveFormGame(
        ["Pakistan", "Iran"], root, title=f"Iran's decision to strike (C12; motive: {_TYPE[motive][0]})"
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
    root = Chance(
        tuple(label for _, label, *_ in TYPES),
        tuple(prior[k] for k, *_ in TYPES),
        tuple(children),
        label="Iran's motive",
    )
    return ExtensiveFormGame(
        ["Pakistan", "Iran"], root, title="Iran-Pakistan continuation with uncertainty over Iran's motive"
    )
