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
knows whether Pakistan is resolved or soft: :mod:`games.iran_pakistan.prestrike`
solves it with mixing (:func:`prestrike_equilibria`, re-exported here, keeps
the pure equilibria only).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from games.iran_pakistan.forms import RESPONSES
from games.iran_pakistan.parameters import (
    TYPES,
    iran_escalation_cost,
    iran_war_cost,
    pakistan_clash_cost,
    precedent_cost,
    priors,
    strike_cost,
)

__all__ = ["CHOICES", "any_tie", "solve_continuation", "prestrike_equilibria", "TYPE_KEYS"]  # noqa: F822 (lazy)


def __getattr__(name: str) -> Any:
    # The pre-strike solver is re-exported on first use: a sweep of the continuation needs none of it.
    if name == "prestrike_equilibria":
        from games.iran_pakistan.prestrike import prestrike_equilibria

        return prestrike_equilibria
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        (best strike minus absorb).  ``choice_tie`` also marks points where
        an Iranian type indifferent between its replies could, going the other
        way, make another response as good for Pakistan; ``reply_tie/<r>``
        marks a tied type with positive weight after r, and ``path_tie`` the
        points where the on-path escalation probability is not unique.

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
    # The terms of outcome_payoffs, each computed once and in the same order of operations
    # (so that floats and exact values come out identical to it); Pakistan's payoffs do not
    # depend on Iran's type, Iran's do not depend on the response except through f_r.
    P, C_P = precedent_cost(v), pakistan_clash_cost(v)
    R_I, W_I = iran_escalation_cost(v), iran_war_cost(v)
    g = v["iran_strike_gain"] - v["us_condemnation"]
    m, d = v["china_mediation"], v["escalation_damage"]
    out: dict[str, np.ndarray] = {}
    counter, out["counter_tie"] = _greater(P, C_P, tol)
    out["counter"] = counter
    iran_escalates = {}  # Iran's payoff from escalating, given Pakistan's counter-escalation rule
    for t, _, value_name, _ in TYPES:
        base = g + v[value_name] - R_I
        iran_escalates[t] = np.where(counter, base - W_I, base)
    absorb_value = -P
    values_by_choice = {"absorb": absorb_value}
    bounds: dict[str, tuple[Any, Any]] = {"absorb": (absorb_value, absorb_value)}
    for key, _, restoration, face in RESPONSES:
        k = strike_cost(v, key)
        pakistan_stand_down = -k - (1 - v[restoration]) * P
        loss = -k - d
        pakistan_if_escalate = np.where(counter, loss - C_P, loss - P)
        stand_down_base = g - v[face]
        expected = 0
        p_escalate = 0
        # How far Pakistan's value of this strike moves if a type indifferent between its replies
        # (a tie) went the other way: the replies of tied types are an equilibrium either way.
        spread_low: Any = 0
        spread_high: Any = 0
        tied_mass = np.zeros(v["precedent_loss"].shape, dtype=bool)
        for t, _, _, has_premium in TYPES:
            stand_down = (stand_down_base - v["coerce_face_premium"] if has_premium else stand_down_base) + m
            escalates, tie = _greater(iran_escalates[t], stand_down, tol)
            out[f"escalates/{key}/{t}"], out[f"escalates_tie/{key}/{t}"] = escalates, tie
            value_t = np.where(escalates, pakistan_if_escalate, pakistan_stand_down)
            expected = expected + belief[t] * value_t
            p_escalate = p_escalate + belief[t] * escalates
            other = np.where(escalates, pakistan_stand_down, pakistan_if_escalate)
            shift = np.where(tie, belief[t] * (other - value_t), 0)
            spread_low = spread_low + np.minimum(shift, 0)
            spread_high = spread_high + np.maximum(shift, 0)
            tied_mass |= tie & (np.asarray(belief[t], dtype=np.float64) > 0)
        values_by_choice[key] = expected
        bounds[key] = (expected + spread_low, expected + spread_high)
        out[f"reply_tie/{key}"] = tied_mass
        out[f"p_escalate/{key}"] = np.asarray(p_escalate, dtype=np.float64)
    stacked = np.stack([np.asarray(values_by_choice[c]) for c in CHOICES])
    choice: np.ndarray
    if stacked.dtype == object:  # exact argmax
        choice = np.array([max(range(3), key=lambda i: (stacked[i, j], -i)) for j in range(stacked.shape[1])])
    else:
        choice = np.argmax(stacked, axis=0)
    best = stacked[choice, np.arange(stacked.shape[1])]
    tie = np.zeros(stacked.shape[1], dtype=bool)
    for i in range(3):
        _, t_i = _greater(best, stacked[i], tol)
        tie |= t_i & (choice != i)
    # Pakistan's choice is also not unique where a tied Iranian reply, resolved the other way,
    # would make another response at least as good: the chosen one's least value against another's most.
    lows = np.stack([np.asarray(np.broadcast_to(bounds[c][0], best.shape)) for c in CHOICES])
    highs = np.stack([np.asarray(np.broadcast_to(bounds[c][1], best.shape)) for c in CHOICES])
    chosen_low = lows[choice, np.arange(stacked.shape[1])]
    for i in range(3):
        beaten, _ = _greater(chosen_low, highs[i], tol)
        tie |= ~beaten & (choice != i)
    out["choice"], out["choice_tie"] = choice, tie
    for c in CHOICES:
        out[f"value/{c}"] = np.asarray(values_by_choice[c])
    out["retaliates"] = choice != 0
    out["retaliation_margin"] = np.asarray(
        np.maximum(values_by_choice["calibrated"], values_by_choice["direct"]) - absorb_value
    )
    p_path = np.where(choice == 1, out["p_escalate/calibrated"], np.where(choice == 2, out["p_escalate/direct"], 0.0))
    out["p_escalate"] = p_path
    # The on-path escalation probability is a set, not a number, where a type with positive weight is tied
    # after the chosen strike (or where the choice itself is tied).
    out["path_tie"] = tie | np.where(
        choice == 1, out["reply_tie/calibrated"], np.where(choice == 2, out["reply_tie/direct"], False)
    )
    return out


def any_tie(out: dict[str, np.ndarray]) -> np.ndarray:
    """Where :func:`solve_continuation`'s output ``out`` has a tie: in the choice, the counter or any escalation.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> print(any_tie(solve_continuation(values_for())).tolist())
    [False]
    """
    ties = out["choice_tie"] | out["counter_tie"]
    for key in out:
        if key.startswith("escalates_tie/"):
            ties = ties | out[key]
    return ties


def war_costs(values: dict[str, Any]) -> dict[str, Any]:
    """The derived costs ``P``, ``C_P`` and ``W_I`` at a point (for reports)."""
    return {"P": precedent_cost(values), "C_P": pakistan_clash_cost(values), "W_I": iran_war_cost(values)}
