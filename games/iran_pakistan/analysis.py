"""Equilibria of the Iran-Pakistan forms, batched over parameter points.

Backward induction written once over arrays (numpy floats for sweeps,
object arrays of Fractions for exact single points), in the order of the
game tree:

1. **Pakistan's counter-escalation** after an Iranian escalation: counter iff
   ``C_P < P`` (an open clash costs less than backing down again).  Its payoff
   difference does not depend on Iran's type, so the choice is sequentially
   rational under *any* belief -- which is why the Bayesian form needs no
   off-path belief rule at that node.
2. **Iran's reply** to a strike ``r`` for each motive type ``t``: escalate iff
   ``g + e_t - [counter] W_I > g - f_r - q_t + m``.
3. **Pakistan's response** maximises its expected payoff under its belief over
   Iran's type: absorb (``-P``), calibrated or direct strike.

Complete information is the belief that puts mass one on a type.  Every
comparison reports exact ties (for floats, within ``1e-9`` of the payoff
scale) in a ``*_tie`` array instead of breaking them silently; the engine's
exact solvers (:mod:`deterrence.solvers.spe`, the enumeration) cross-check
these results in the tests.

The pre-strike form (C12) adds Iran's decision to strike, made before it
knows whether Pakistan is resolved or soft: see :func:`prestrike_equilibria`.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from games.iran_pakistan.forms import RESPONSES, outcome_payoffs
from games.iran_pakistan.parameters import TYPES, iran_war_cost, pakistan_clash_cost, precedent_cost, priors

__all__ = ["CHOICES", "solve_continuation", "prestrike_equilibria", "TYPE_KEYS"]

CHOICES = ("absorb", "calibrated", "direct")
TYPE_KEYS = tuple(t[0] for t in TYPES)


def _arrays(v: dict[str, Any]) -> tuple[dict[str, np.ndarray], float]:
    """Broadcast values to 1-D arrays; exact inputs stay exact (object dtype) with tolerance 0."""
    exact = all(
        not isinstance(x, (float, np.floating, np.ndarray)) or (isinstance(x, np.ndarray) and x.dtype == object)
        for x in v.values()
    )
    out = {k: np.atleast_1d(np.asarray(x, dtype=object if exact else np.float64)) for k, x in v.items()}
    size = max(len(a) for a in out.values())
    out = {k: np.broadcast_to(a, (size,)) for k, a in out.items()}
    return out, 0.0 if exact else 1e-9


def _greater(a: Any, b: Any, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """``(a > b, |a - b| <= tol)`` elementwise; the tie mask marks points where a rule is indifferent."""
    diff = np.asarray(a - b)
    scale = 1.0 if tol == 0 else np.maximum(1.0, np.maximum(np.abs(np.asarray(a, float)), np.abs(np.asarray(b, float))))
    tie = np.abs(diff) <= tol * scale if tol else diff == 0
    return (diff > 0) & ~tie, np.asarray(tie, dtype=bool)


def solve_continuation(values: dict[str, Any], belief: dict[str, Any] | None = None) -> dict[str, np.ndarray]:
    """Pakistan's response and Iran's replies after Iran's strike, at every point.

    Parameters
    ----------
    values : dict
        Parameter values: scalars or 1-D arrays (length ``B``).  Exact scalars
        (ints, Fractions) give exact results.
    belief : dict, optional
        Pakistan's belief over Iran's type ``{"ct", "broaden", "coerce"}``;
        defaults to the prior in ``values``.  ``{"ct": 1}`` is the complete-
        information game with a counter-terror Iran.

    Returns
    -------
    dict of arrays (length ``B``)
        ``counter`` and ``counter_tie``; ``escalates/<r>/<type>`` and
        ``escalates_tie/<r>/<type>`` for r in (calibrated, direct);
        ``value/<choice>`` (Pakistan's expected payoffs); ``choice`` (index
        into :data:`CHOICES`) and ``choice_tie``; ``p_escalate/<r>`` (Iran's
        escalation probability after r under the belief); ``p_escalate``
        (on the equilibrium path); ``retaliates``; ``retaliation_margin``
        (best strike minus absorb).

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> out = solve_continuation(values_for(), belief={"ct": 1})
    >>> CHOICES[out["choice"][0]], bool(out["escalates/direct/ct"][0]), bool(out["escalates/calibrated/ct"][0])
    ('calibrated', True, False)
    """
    v, tol = _arrays(values)
    if belief is None:
        belief = priors(v)
    belief = {
        t: np.broadcast_to(np.asarray(belief.get(t, 0), dtype=v["precedent_loss"].dtype), v["precedent_loss"].shape)
        for t in TYPE_KEYS
    }
    P, C_P = precedent_cost(v), pakistan_clash_cost(v)
    out: dict[str, np.ndarray] = {}
    counter, out["counter_tie"] = _greater(P, C_P, tol)
    out["counter"] = counter
    absorb_value = -P
    values_by_choice = {"absorb": absorb_value}
    for key, *_ in RESPONSES:
        expected = 0
        p_escalate = 0
        for t in TYPE_KEYS:
            pay = outcome_payoffs(v, t)
            escalate_iran = np.where(counter, pay[f"{key}/escalate/counter"][1], pay[f"{key}/escalate/hold"][1])
            escalates, tie = _greater(escalate_iran, pay[f"{key}/stand_down"][1], tol)
            out[f"escalates/{key}/{t}"], out[f"escalates_tie/{key}/{t}"] = escalates, tie
            pakistan_if_escalate = np.where(counter, pay[f"{key}/escalate/counter"][0], pay[f"{key}/escalate/hold"][0])
            value_t = np.where(escalates, pakistan_if_escalate, pay[f"{key}/stand_down"][0])
            expected = expected + belief[t] * value_t
            p_escalate = p_escalate + belief[t] * escalates
        values_by_choice[key] = expected
        out[f"p_escalate/{key}"] = np.asarray(p_escalate, dtype=np.float64)
    stacked = np.stack([np.asarray(values_by_choice[c]) for c in CHOICES])
    choice = np.argmax(stacked.astype(np.float64), axis=0)
    if stacked.dtype == object:  # exact argmax
        choice = np.array([max(range(3), key=lambda i, j=j: (stacked[i, j], -i)) for j in range(stacked.shape[1])])
    best = stacked[choice, np.arange(stacked.shape[1])]
    tie = np.zeros(stacked.shape[1], dtype=bool)
    for i in range(3):
        _, t = _greater(best, stacked[i], tol)
        tie |= t & (choice != i)
    out["choice"], out["choice_tie"] = choice, tie
    for c in CHOICES:
        out[f"value/{c}"] = np.asarray(values_by_choice[c])
    out["retaliates"] = choice != 0
    out["retaliation_margin"] = np.asarray(
        np.maximum(values_by_choice["calibrated"], values_by_choice["direct"]) - absorb_value
    )
    p_path = np.zeros(stacked.shape[1])
    for i, key in enumerate(("calibrated", "direct"), start=1):
        p_path = np.where(choice == i, out[f"p_escalate/{key}"], p_path)
    out["p_escalate"] = p_path
    return out


def prestrike_equilibria(values: dict[str, Any]) -> list[dict[str, Any]]:
    """Perfect Bayesian equilibria of the pre-strike game at one point (C12).

    Iran's types decide whether to strike; Pakistan, if resolved, updates its
    belief about Iran's type from the fact of the strike (Bayes' rule over
    the types that strike) and responds; a soft Pakistan absorbs.  A set
    ``S`` of striking types is an equilibrium iff ``S`` is exactly the set of
    types whose expected value of striking,
    ``b * g + (1 - b) * V_t(S)``, is positive, where ``b`` is Iran's belief that
    Pakistan absorbs and ``V_t(S)`` the type's payoff against a resolved
    Pakistan that best-responds to the posterior given ``S``.  Off the path
    (no type strikes) Pakistan's belief is its prior: that rule is stated,
    not derived.  Indifferent types (value exactly 0) are reported in
    ``ties`` and may go either way.

    Returns
    -------
    list of dict
        One per equilibrium: ``strikers`` (tuple of types), ``response``
        (Pakistan's response if struck), ``values`` (each type's value of
        striking), ``ties``.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> [e["strikers"] for e in prestrike_equilibria(values_for())]
    [('ct', 'broaden')]
    """
    v = {k: x for k, x in values.items()}
    prior = priors(v)
    b, g = v["iran_belief_absorb"], v["iran_strike_gain"]
    found = []
    candidates = [c for n in range(len(TYPE_KEYS), -1, -1) for c in combinations(TYPE_KEYS, n)]
    for strikers in candidates:
        mass = sum(prior[t] for t in strikers)
        if strikers and mass == 0:
            continue
        belief = {t: (prior[t] / mass if t in strikers else 0) for t in TYPE_KEYS} if strikers else prior
        result = solve_continuation(v, belief=belief)
        choice = CHOICES[int(result["choice"][0])]
        strike_values, ties = {}, []
        for t in TYPE_KEYS:
            if choice == "absorb":
                payoff = g
            else:
                pay = outcome_payoffs(v, t)
                escalates = bool(result[f"escalates/{choice}/{t}"][0])
                counter = bool(result["counter"][0])
                branch = "stand_down" if not escalates else ("escalate/counter" if counter else "escalate/hold")
                payoff = pay[f"{choice}/{branch}"][1]
            strike_values[t] = b * g + (1 - b) * payoff
            if strike_values[t] == 0:
                ties.append(t)
        wanted = {t for t in TYPE_KEYS if strike_values[t] > 0}
        if wanted <= set(strikers) <= wanted | set(ties):
            found.append(
                {
                    "strikers": strikers,
                    "response": choice,
                    "values": strike_values,
                    "ties": tuple(ties),
                    "response_tie": bool(result["choice_tie"][0]),
                }
            )
    return found


def war_costs(values: dict[str, Any]) -> dict[str, Any]:
    """The derived costs ``P``, ``C_P`` and ``W_I`` at a point (for reports)."""
    return {"P": precedent_cost(values), "C_P": pakistan_clash_cost(values), "W_I": iran_war_cost(values)}
