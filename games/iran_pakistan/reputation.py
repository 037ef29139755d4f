"""The reputation form: the precedent cost comes out of the game (Kreps & Wilson 1982).

In the other forms, absorbing Iran's strike costs Pakistan a lump sum, the
precedent cost ``P``.  Here that cost is derived.  A watching challenger
(India, or the TTP and its Afghan hosts) sees how Pakistan answers the
violation, infers Pakistan's resolve from it, and then decides whether to
challenge Pakistan itself.

Timing
------
1. Nature draws Pakistan's type: *resolute* with probability
   ``challenger_prior_resolute`` (``pi``), else *pliable*.  Pakistan knows it;
   Iran and the challenger do not.
2. Pakistan responds to Iran's strike: absorb, calibrated strike or direct
   strike.
3. The challenger sees the response and challenges or stays out.  Its
   information sets are the three responses, each spanning both types.
4. After a strike, Iran (counter-terror motive, as in the sequential form)
   stands down or escalates, knowing neither Pakistan's type nor the
   challenger's move.  The two moves are simultaneous.  After an escalation
   Pakistan counter-escalates or holds, as in
   :func:`~games.iran_pakistan.forms.sequential_game`.

Payoffs ``(Pakistan, Iran, challenger)``.  ``a_t`` is the audience cost of
backing down (absorbing, or holding after an escalation): ``resolve_value``
for the resolute type and 0 for the pliable one.  ``k_r'``, ``d`` and ``C_P``
are as in :mod:`.forms`.  Iran's payoffs are those of the sequential form
(``g'`` if Pakistan absorbs).  The shares ``restoration_*`` of the lump sum do
not appear: what a strike restores is whatever the challenger infers from it.

==============================  ==========================  =======================
crisis outcome                  Pakistan (type t)           Iran
==============================  ==========================  =======================
absorb                          ``-a_t``                    ``g'``
strike r, Iran stands down      ``-k_r'``                   as sequential form
strike r, escalation, counter   ``-k_r' - d - C_P``         as sequential form
strike r, escalation, hold      ``-k_r' - d - a_t``         as sequential form
==============================  ==========================  =======================

A challenge against a resolute Pakistan is fought off.  The challenger pays
``challenger_cost`` and Pakistan loses nothing.  Against a pliable Pakistan
the challenge succeeds: the challenger gains ``challenger_gain`` and Pakistan
loses the precedent stake ``S = precedent_loss * (india_emboldening +
taliban_emboldening)``.  Staying out gives the challenger 0.

The challenger challenges iff its belief that Pakistan is resolute is below
``mu_bar = challenger_gain / (challenger_gain + challenger_cost)``.

Size
----
The tree has 28 terminals and 11 information sets.  At the baseline the PBE
solver's pruning leaves 1,323 support profiles, about 5 s of CPU for
``deterrence solve iran-pakistan-reputation``.  Where Iran's reply depends on
its belief about Pakistan, up to 9 times as many profiles remain.  That is
why the challenger moves on Pakistan's response and not at the end of the
crisis: seeing the whole public history, it would have 7 information sets
instead of 3, and the solver would face 8.7 million support profiles.

The three new parameters are not yet in :data:`~.parameters.PARAMETERS`.  Until
the set has them they are read from :data:`REPUTATION_DEFAULTS` (and may be
passed as keywords).

Examples
--------
>>> g = reputation_game({})
>>> g.players, len(g.terminals())
(('Pakistan', 'Iran', 'challenger'), 28)
>>> r = pliable_retaliation({})
>>> r["regime"], str(r["sigma"]), str(r["challenge_after_strike"])
('semi-separating', '2/3', '59/80')
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from deterrence.errors import ParameterError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from games.iran_pakistan.forms import RESPONSES, outcome_payoffs, values_for
from games.iran_pakistan.parameters import PARAMETERS, pakistan_clash_cost, strike_cost

__all__ = [
    "REPUTATION_DEFAULTS",
    "REPUTATION_RANGES",
    "PAKISTAN_TYPES",
    "RETALIATION_FORMULA",
    "reputation_values",
    "reputation_game",
    "pliable_retaliation",
    "reputation_equilibria",
    "describe_reputation",
]

F = Fraction

#: Defaults of the reputation form's own parameters, until they join ``PARAMETERS``.
REPUTATION_DEFAULTS: dict[str, Any] = {
    "challenger_prior_resolute": F(2, 5),
    "challenger_gain": 1,
    "challenger_cost": 1,
}
#: Their stated ranges ``(low, high)``, as the parameter set would hold them.
REPUTATION_RANGES: dict[str, tuple[Any, Any]] = {
    "challenger_prior_resolute": (0, 1),
    "challenger_gain": (0, 10),
    "challenger_cost": (0, 10),
}
#: Pakistan's types in the reputation form.
PAKISTAN_TYPES = ("resolute", "pliable")

#: The derived C1 threshold (see :func:`pliable_retaliation`).
RETALIATION_FORMULA = (
    "the pliable type retaliates (with positive probability) iff S > c(r*), where "
    "S = precedent_loss*(india_emboldening + taliban_emboldening) is the value of not being challenged and "
    "c(r*) = k_r*' + e_r* * d is the expected cost of the strike r* the resolute type makes; "
    "it retaliates for sure if pi > mu_bar (pooling), with probability pi(1-mu_bar)/((1-pi) mu_bar) if pi < mu_bar "
    "(semi-separating, the challenger then challenges a strike with probability 1 - c(r*)/S); "
    "holds where the resolute type strikes (resolve_value > its own expected cost of r*) and Iran's reply "
    "to r* does not depend on its belief about Pakistan's type"
)


def reputation_values(values: Mapping[str, Any] | None = None, /, **params: Any) -> dict[str, Any]:
    """A full point: the case's parameters (validated) plus the reputation form's three.

    Examples
    --------
    >>> v = reputation_values(challenger_gain=2)
    >>> print(v["challenger_gain"], v["challenger_prior_resolute"], v["precedent_loss"])
    2 2/5 4
    """
    merged = {**(values or {}), **params}
    own = {}
    for name, default in REPUTATION_DEFAULTS.items():
        if name in PARAMETERS:  # the lead has added it: the parameter set validates it
            continue
        value = merged.pop(name, default)
        if isinstance(value, str):
            raise ParameterError(f"{name} must be a number, got {value!r}")
        low, high = REPUTATION_RANGES[name]
        if not low <= value <= high:
            raise ParameterError(f"{name} = {value} is outside its range [{low}, {high}]")
        own[name] = value
    point = values_for(merged)
    point.update(own)
    return point


def _stake(v: dict[str, Any]) -> Any:
    """``S``: what a pliable Pakistan loses to a successful challenge."""
    return v["precedent_loss"] * (v["india_emboldening"] + v["taliban_emboldening"])


def _audience(v: dict[str, Any], kind: str) -> Any:
    """``a_t``: the audience cost of backing down for Pakistan's type ``kind``."""
    return v["resolve_value"] if kind == "resolute" else 0


def _crisis(v: dict[str, Any], kind: str, iran: dict[str, tuple[Any, Any]]) -> dict[str, tuple[Any, Any]]:
    """Pakistan's and Iran's crisis payoffs for Pakistan's type ``kind`` (before any challenge)."""
    a, d, c_p = _audience(v, kind), v["escalation_damage"], pakistan_clash_cost(v)
    out = {"absorb": (-a, iran["absorb"][1])}
    for key, *_ in RESPONSES:
        k = strike_cost(v, key)
        out[f"{key}/stand_down"] = (-k, iran[f"{key}/stand_down"][1])
        out[f"{key}/escalate/counter"] = (-k - d - c_p, iran[f"{key}/escalate/counter"][1])
        out[f"{key}/escalate/hold"] = (-k - d - a, iran[f"{key}/escalate/hold"][1])
    return out


def _with_challenge(node: Any, kind: str, challenged: bool, v: dict[str, Any]) -> Any:
    """A copy of a crisis subtree whose terminals carry the challenge's payoffs (three players)."""
    if isinstance(node, Terminal):
        pakistan, iran = node.payoffs
        if not challenged:
            return Terminal((pakistan, iran, 0), f"{kind}/{node.label}/stay out")
        loss = _stake(v) if kind == "pliable" else 0
        gain = v["challenger_gain"] if kind == "pliable" else -v["challenger_cost"]
        return Terminal((pakistan - loss, iran, gain), f"{kind}/{node.label}/challenge")
    kids = tuple(_with_challenge(c, kind, challenged, v) for c in node.children)
    return Decision(node.player, node.infoset, node.actions, kids, node.label)


def _type_subtree(v: dict[str, Any], kind: str) -> Decision:
    pay = _crisis(v, kind, outcome_payoffs(v, "ct"))
    branches = []
    for response in ("absorb", *(key for key, *_ in RESPONSES)):
        if response == "absorb":
            crisis: Any = Terminal(pay["absorb"], "absorb")
        else:
            counter = Decision(
                "Pakistan",
                f"{kind}: after {response} + escalation",
                ("counter-escalate", "hold"),
                (
                    Terminal(pay[f"{response}/escalate/counter"], f"{response}/escalate/counter"),
                    Terminal(pay[f"{response}/escalate/hold"], f"{response}/escalate/hold"),
                ),
            )
            crisis = Decision(
                "Iran",
                f"after {response}",
                ("stand down", "escalate"),
                (Terminal(pay[f"{response}/stand_down"], f"{response}/stand_down"), counter),
            )
        branches.append(
            Decision(
                "challenger",
                f"after {response}",
                ("challenge", "stay out"),
                (_with_challenge(crisis, kind, True, v), _with_challenge(crisis, kind, False, v)),
            )
        )
    return Decision("Pakistan", f"{kind}: response", ("absorb", "calibrated", "direct"), tuple(branches))


def reputation_game(values: Mapping[str, Any] | None = None, /, **params: Any) -> ExtensiveFormGame:
    """The reputation form as a tree: 2 types x 3 responses x challenge x crisis (28 terminals).

    Parameters
    ----------
    values : mapping, optional
        Parameter values (the case's and the three of :data:`REPUTATION_DEFAULTS`).
    **params
        The same as keywords.  With neither, the parametric game (sympy payoffs).

    Examples
    --------
    >>> g = reputation_game({})
    >>> g.infosets["challenger"]
    ('after absorb', 'after calibrated', 'after direct')
    >>> sorted(reputation_game().parameters)[:2]
    ['calibrated_cost', 'challenger_cost']
    """
    if values is None and not params:
        # Parametric in the case's parameters; the reputation form's own ones are symbols once the
        # parameter set holds them, their defaults until then.
        v = values_for(None, symbolic=True)
        v.update({name: x for name, x in REPUTATION_DEFAULTS.items() if name not in v})
    else:
        v = reputation_values(values, **params)
    pi = v["challenger_prior_resolute"]
    root = Chance(
        PAKISTAN_TYPES,
        (pi, 1 - pi),
        (_type_subtree(v, "resolute"), _type_subtree(v, "pliable")),
        label="Pakistan's resolve",
    )
    return ExtensiveFormGame(
        ["Pakistan", "Iran", "challenger"],
        root,
        title="Iran-Pakistan reputation form: a watching challenger infers Pakistan's resolve",
    )


def _iran_escalates(v: dict[str, Any], response: str, counter: bool) -> Any:
    """Iran's escalation gain after ``response`` if Pakistan would (not) counter-escalate (> 0: escalates)."""
    pay = outcome_payoffs(v, "ct")
    branch = "escalate/counter" if counter else "escalate/hold"
    return pay[f"{response}/{branch}"][1] - pay[f"{response}/stand_down"][1]


def pliable_retaliation(values: Mapping[str, Any] | None = None, /, **params: Any) -> dict[str, Any]:
    """C1's dilemma as a derived threshold of the reputation form (exact formula).

    The resolute type loses nothing to a challenge, so it plays the crisis
    alone.  Its expected cost of a strike ``r`` is ``k_r' + e_r (d + min(C_P,
    resolve_value))``, where ``e_r`` says whether Iran escalates after ``r``.
    It strikes, with its cheaper strike ``r*``, iff that cost is below
    ``resolve_value``.  A response only the pliable type makes tells the
    challenger "pliable" and draws a challenge.  So the pliable type either
    absorbs and is challenged (``-S``), or mimics ``r*`` at the expected cost
    ``c(r*) = k_r*' + e_r* d`` (it holds after an escalation: ``a = 0 <= C_P``).
    It retaliates iff the reputational value of not being challenged, ``S``,
    exceeds that cost.  How often it does depends on the challenger's prior
    (:data:`RETALIATION_FORMULA`).

    Returns
    -------
    dict
        ``regime`` ("pooling", "semi-separating", "separating" or
        "no strike": the resolute type absorbs too), ``sigma`` (the pliable
        type's probability of striking ``r*``), ``resolute_strike`` (``r*`` or
        None), ``challenge_after_strike`` (the challenger's probability of
        challenging ``r*``), ``stake`` ``S``, ``pliable_cost`` ``c(r*)``,
        ``resolute_cost``, ``mu_bar``, ``iran_escalates`` (after each
        strike), ``holds`` (False outside the region where the formula is
        exact: Iran's reply would depend on its belief), and ``tie`` (True
        on a boundary, where several assessments exist and the formula
        names one).

    Examples
    --------
    >>> r = pliable_retaliation(challenger_prior_resolute=Fraction(3, 5))
    >>> r["regime"], r["resolute_strike"], r["sigma"], r["challenge_after_strike"]
    ('pooling', 'calibrated', 1, 0)
    >>> pliable_retaliation(precedent_loss=1)["regime"]
    'separating'
    """
    v = reputation_values(values, **params)
    a_res, d, c_p = v["resolve_value"], v["escalation_damage"], pakistan_clash_cost(v)
    resolute_counters = c_p < a_res
    holds, tie = True, c_p == a_res
    escalates, resolute_cost, pliable_cost = {}, {}, {}
    for key, *_ in RESPONSES:
        with_counter = _iran_escalates(v, key, resolute_counters)
        without = _iran_escalates(v, key, False)  # the pliable type never counter-escalates
        if (with_counter > 0) != (without > 0):
            holds = False  # Iran's reply depends on how likely it thinks the resolute type
        tie = tie or with_counter == 0 or without == 0
        e = 1 if with_counter > 0 else 0
        escalates[key] = bool(e)
        resolute_cost[key] = strike_cost(v, key) + e * (d + min(c_p, a_res))
        pliable_cost[key] = strike_cost(v, key) + e * d
    best = min(resolute_cost, key=lambda r: resolute_cost[r])
    others = [r for r in resolute_cost if r != best]
    tie = tie or any(resolute_cost[r] == resolute_cost[best] for r in others) or resolute_cost[best] == a_res
    pi, gain, cost = v["challenger_prior_resolute"], v["challenger_gain"], v["challenger_cost"]
    total = gain + cost
    mu_bar = 0 if total == 0 else (gain / total if isinstance(total, float) else F(gain) / total)
    stake, c = _stake(v), pliable_cost[best]
    out: dict[str, Any] = {
        "stake": stake,
        "mu_bar": mu_bar,
        "iran_escalates": escalates,
        "resolute_cost": resolute_cost,
        "holds": holds,
    }
    if resolute_cost[best] > a_res:
        out.update(regime="no strike", sigma=0, resolute_strike=None, pliable_cost=c, challenge_after_strike=None)
    elif stake < c or gain == 0:
        out.update(regime="separating", sigma=0, resolute_strike=best, pliable_cost=c, challenge_after_strike=0)
    elif pi > mu_bar:
        out.update(regime="pooling", sigma=1, resolute_strike=best, pliable_cost=c, challenge_after_strike=0)
    else:
        sigma = pi * (1 - mu_bar) / ((1 - pi) * mu_bar)
        out.update(
            regime="semi-separating",
            sigma=sigma,
            resolute_strike=best,
            pliable_cost=c,
            challenge_after_strike=1 - c / stake,
        )
    out["tie"] = bool(tie or stake == c or pi == mu_bar or gain == 0 or cost == 0)
    return out


def reputation_equilibria(
    values: Mapping[str, Any] | None = None, /, *, max_work: float | None = None, **params: Any
) -> list[dict[str, Any]]:
    """Every PBE of the reputation form (the engine's solver), summarised by what the types do.

    Returns
    -------
    list of dict
        One per assessment: ``resolute`` and ``pliable`` (each type's response
        probabilities, zeros dropped), ``challenge`` (the challenger's
        probability of challenging after each response), ``role``
        (pooling / separating / semi-separating, from the solver) and
        ``equilibrium`` (the engine's :class:`~deterrence.solvers.result.Equilibrium`).

    Examples
    --------
    >>> found = reputation_equilibria({})
    >>> {e["role"] for e in found}, {str(e["pliable"]["calibrated"]) for e in found}
    ({'semi-separating'}, {'2/3'})
    """
    from deterrence.solvers.facade import solve

    game = reputation_game(reputation_values(values, **params))
    result = solve(game, "pbe", max_work=max_work)
    out = []
    for eq in result.equilibria:
        s = eq.strategies
        role = (eq.extra or {}).get("roles", {}).get("Pakistan", {}).get("role", "pooling")
        out.append(
            {
                "resolute": {a: p for a, p in s["Pakistan"]["resolute: response"].items() if p},
                "pliable": {a: p for a, p in s["Pakistan"]["pliable: response"].items() if p},
                "challenge": {name.removeprefix("after "): t["challenge"] for name, t in s["challenger"].items()},
                "role": role,
                "equilibrium": eq,
            }
        )
    return out


def describe_reputation(values: Mapping[str, Any] | None = None, /, **params: Any) -> str:
    """One sentence on C1 in the reputation form, composed from :func:`pliable_retaliation`'s result.

    Examples
    --------
    >>> print(describe_reputation())  # doctest: +NORMALIZE_WHITESPACE
    Reputation form: the resolute type answers with a calibrated strike; the pliable type mimics it with
    probability 2/3 (semi-separating), because the stake of not being challenged, S = 4, exceeds the
    strike's expected cost 21/20; the challenger then challenges a calibrated strike with probability 59/80.
    """
    from deterrence.io.tables import format_value

    def show(x: Any) -> str:
        return format_value(x) if isinstance(x, (int, Fraction)) else f"{float(x):.3g}"

    r = pliable_retaliation(values, **params)
    strike = r["resolute_strike"]
    if strike is None:
        text = (
            "Reputation form: not even the resolute type strikes (its expected cost of a strike exceeds "
            "resolve_value), so nothing is signalled and the pliable type absorbs"
        )
    else:
        stake, cost = show(r["stake"]), show(r["pliable_cost"])
        head = f"Reputation form: the resolute type answers with a {strike} strike; "
        if r["sigma"] == 0:
            text = head + (
                f"the pliable type absorbs (separating), because the stake of not being challenged, S = {stake}, "
                f"does not exceed the strike's expected cost {cost}"
            )
        else:
            how = "for sure" if r["sigma"] == 1 else f"with probability {show(r['sigma'])}"
            text = head + (
                f"the pliable type mimics it {how} ({r['regime']}), because the stake of not being challenged, "
                f"S = {stake}, exceeds the strike's expected cost {cost}; the challenger then challenges a {strike} "
                f"strike with probability {show(r['challenge_after_strike'])}"
            )
    if not r["holds"]:
        text += " (outside the formula's region: Iran's reply depends on its belief; the PBE solver decides)"
    elif r["tie"]:
        text += " (on a boundary: other assessments exist)"
    return text + "."
