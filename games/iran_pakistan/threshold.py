"""The C1 threshold: when Pakistan retaliates rather than absorbs, as formulas and as numbers.

Second edition of the payoffs (:mod:`games.iran_pakistan.forms`): a strike left
unanswered restores the share ``rho_r`` of the precedent, Iran pays ``R_I`` on any
escalation and ``W_I`` only against a counter-escalating Pakistan.
:data:`RETALIATION_RULE` is the exact condition in the whole box;
:func:`retaliation_threshold` the simpler two conditions of one regime.

:func:`retaliation_threshold` derives the two conditions symbolically (sympy)
at a calibration; :func:`switch_point` finds where the retaliation decision
switches along one parameter, both from the formulas and from the batched
solver (:func:`sweep_measure` evaluates a measure along one parameter).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from games.iran_pakistan.analysis import solve_continuation
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.parameters import (
    PARAMETERS,
    TYPES,
    iran_escalation_cost,
    iran_war_cost,
    pakistan_clash_cost,
    precedent_cost,
    priors,
    strike_cost,
)

__all__ = [
    "front_cliff",
    "interval_text",
    "monotone",
    "RETALIATION_RULE",
    "restraint_bound",
    "retaliation_margin",
    "retaliation_rule",
    "retaliation_threshold",
    "rule_switch",
    "sweep_measure",
    "switch_point",
]

#: C1's exact condition, valid in the whole box (ties aside); ``retaliation_rule`` evaluates it.
RETALIATION_RULE = (
    "P > min over r in (calibrated, direct) of k_r' + sum_t prior_t*(esc_rt*(escalation_damage + min(P, C_P)) "
    "+ (1 - esc_rt)*(1 - rho_r)*P), where k_r' is the full strike cost, rho_r = restoration_r and esc_rt = 1 "
    "iff escalation_value_t + face_cost_r + premium_t - china_mediation > R_I + W_I*[P > C_P] "
    "(premium_t: coerce_face_premium for the coercing type, else 0)"
)
_STRIKES = (
    ("calibrated", "face_cost_calibrated", "restoration_calibrated"),
    ("direct", "face_cost_direct", "restoration_direct"),
)


def sweep_measure(
    v: dict[str, Any],
    name: str,
    measure: Callable[[dict], np.ndarray],
    n: int = 201,
    low: float | None = None,
    high: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Evaluate ``measure`` along one parameter (others at ``v``), vectorised: ``(grid, values)``."""
    p = PARAMETERS[name]
    grid = np.linspace(float(p.low) if low is None else low, float(p.high) if high is None else high, n)
    point = {k: np.full(n, float(x)) for k, x in v.items()}
    point[name] = grid
    return grid, np.asarray(measure(point), dtype=np.float64)


def monotone(values: np.ndarray, sign: int) -> tuple[bool, bool]:
    """(weakly monotone in direction ``sign``, strictly changes somewhere)."""
    steps = np.diff(values) * sign
    return bool((steps >= -1e-12).all()), bool((steps > 1e-12).any())


def interval_text(name: str, grid: np.ndarray, mask: np.ndarray) -> str:
    """Where ``mask`` holds along ``grid``, as a union of intervals known to the grid's resolution.

    The mask is only known at the grid points, so an edge between two grid points is printed
    at their midpoint, marked *about*, with the grid step it is known to (each such edge lies
    within half a step of the printed value).  Edges at the ends of the range are exact.
    The text ends with a parenthesis that states the resolution.

    Examples
    --------
    >>> grid = np.linspace(0.0, 2.0, 41)
    >>> interval_text("w", grid, grid < 0.16)
    'w in about [0, 0.175] (inner edges to the grid step 0.05)'
    >>> interval_text("w", grid, grid >= 0)
    'all of w in [0, 2] (every grid point, step 0.05)'
    >>> interval_text("w", grid, grid < 0)
    'nowhere on w in [0, 2] (no grid point, step 0.05)'
    """
    steps = np.diff(np.asarray(grid, dtype=float))
    uniform = steps.size and np.allclose(steps, steps[0], rtol=1e-9, atol=0.0)
    step = (f"step {steps[0]:.3g}" if uniform else f"steps up to {steps.max():.3g}") if steps.size else "one point"
    if not mask.any():
        return f"nowhere on {name} in [{grid[0]:g}, {grid[-1]:g}] (no grid point, {step})"
    if mask.all():
        return f"all of {name} in [{grid[0]:g}, {grid[-1]:g}] (every grid point, {step})"
    edges = np.flatnonzero(np.diff(mask.astype(int)))
    parts, start = [], grid[0] if mask[0] else None
    for e in edges:
        mid = 0.5 * (grid[e] + grid[e + 1])
        if mask[e]:
            parts.append(f"[{start:.3g}, {mid:.3g}]")
        else:
            start = mid
    if mask[-1]:
        parts.append(f"[{start:.3g}, {grid[-1]:.3g}]")
    return f"{name} in about " + " U ".join(parts) + f" (inner edges to the grid {step})"


def retaliation_margin(point: dict) -> np.ndarray:
    """Pakistan's retaliation margin (Bayesian form) at a batch of points, as floats."""
    return solve_continuation(point)["retaliation_margin"].astype(np.float64)


def retaliation_rule(points: dict[str, Any]) -> dict[str, np.ndarray]:
    """Evaluate :data:`RETALIATION_RULE` at a batch of points, written apart from the solver.

    Pakistan's counter-escalation is credible iff ``P > C_P``; an Iranian escalation then
    costs Pakistan ``d + C_P``, and otherwise ``d + P`` (it holds) -- in both cases
    ``d + min(P, C_P)``.  A strike ``r`` that Iran leaves unanswered still costs the
    unrestored share ``(1 - rho_r) P`` of the precedent.  A motive type escalates after
    ``r`` iff its gain from escalating beats standing down, where ``R_I`` is paid in any
    case and ``W_I`` only if Pakistan would counter-escalate.  Pakistan retaliates iff
    the cheaper strike in expectation costs less than the precedent ``P``.

    Returns
    -------
    dict of arrays
        ``retaliates``, ``credible``, ``strike`` (1 calibrated, 2 direct: the cheaper),
        ``pi/<r>`` (prior mass escalating after r) and ``cost/<r>`` (expected cost of r).

    Examples
    --------
    >>> out = retaliation_rule(values_for())
    >>> bool(out["retaliates"][0]), float(out["pi/calibrated"][0]), round(float(out["cost/calibrated"][0]), 6)
    (True, 0.2, 4.81)
    """
    v = {k: np.atleast_1d(np.asarray(x, dtype=np.float64)) for k, x in points.items()}
    P, C_P, R_I, W_I = precedent_cost(v), pakistan_clash_cost(v), iran_escalation_cost(v), iran_war_cost(v)
    credible = P > C_P
    prior = priors(v)
    out: dict[str, np.ndarray] = {"credible": credible}
    for key, face, restoration in _STRIKES:
        pi = 0.0
        for t, _, value, has_premium in TYPES:
            premium = v["coerce_face_premium"] if has_premium else 0.0
            gain = v[value] + v[face] + premium - v["china_mediation"]
            pi = pi + prior[t] * (gain > R_I + np.where(credible, W_I, 0.0))
        out[f"pi/{key}"] = np.asarray(pi)
        out[f"cost/{key}"] = (
            strike_cost(v, key)
            + out[f"pi/{key}"] * (v["escalation_damage"] + np.minimum(P, C_P))
            + (1 - out[f"pi/{key}"]) * (1 - v[restoration]) * P
        )
    out["strike"] = np.where(out["cost/direct"] < out["cost/calibrated"], 2, 1)
    out["retaliates"] = np.minimum(out["cost/calibrated"], out["cost/direct"]) < P
    return out


def front_cliff(v: dict[str, Any]) -> Any:
    """C4: the ``india_second_front`` at which ``C_P = P`` (counter-escalation stops being credible).

    ``C_P = war_cost_pakistan * (1 + india_second_front + taliban_front) + us_ct_stake``, so the
    cliff is ``(P - us_ct_stake) / war_cost_pakistan - 1 - taliban_front``; None without a war cost.

    Examples
    --------
    >>> print(front_cliff(values_for()))  # (6 - 1) / 2 - 1 - 1/2
    1
    """
    if v["war_cost_pakistan"] == 0:
        return None
    return (precedent_cost(v) - v["us_ct_stake"]) / v["war_cost_pakistan"] - 1 - v["taliban_front"]


def rule_switch(v: dict[str, Any], name: str, n: int = 201) -> float | None:
    """The first switch of :func:`retaliation_rule` along ``name`` (grid, then bisection), or None."""
    grid, rule = sweep_measure(v, name, lambda p: retaliation_rule(p)["retaliates"], n=n)
    change = np.flatnonzero(np.diff(rule) != 0)
    if not len(change):
        return None
    point = {k: float(x) for k, x in v.items()}
    return _refine(lambda xs: retaliation_rule({**point, name: xs})["retaliates"], grid[change[0]], grid[change[0] + 1])


def _refine(test: Callable[[np.ndarray], np.ndarray], a: float, b: float, steps: int = 12) -> float:
    """Locate where ``test`` (vectorised) first changes value in ``[a, b]``: 33 points per step.

    No continuity is assumed (the margin jumps where counter-escalation stops being credible),
    so the bracket shrinks on the value alone, by a factor 32 per step.
    """
    at_a = test(np.array([a]))[0]
    for _ in range(steps):
        xs = np.linspace(a, b, 33)
        moved = np.flatnonzero(test(xs) != at_a)
        if not len(moved) or moved[0] == 0:
            break
        a, b = xs[moved[0] - 1], xs[moved[0]]
    return float(0.5 * (a + b))


def restraint_bound(v: dict[str, Any], symbolic: bool = False) -> dict[str, Any]:
    """C11: the escalation value up to which a motive type stands down after a calibrated strike.

    Iran standing down pays ``g' - f_K - q_t + m``; escalating pays ``g' + e_t - R_I - W_I``
    if Pakistan would counter-escalate (``P > C_P``) and ``g' + e_t - R_I`` otherwise.  So
    the type stands down iff ``e_t <= R_I + W_I - f_K + m - q_t`` (credible counter-escalation)
    or ``e_t <= R_I - f_K + m - q_t`` (not credible); ``q_t`` is the coercing type's premium.
    With ``symbolic`` the bound is the sympy expression of the credible case, before the premium.

    Examples
    --------
    >>> print(restraint_bound({}, symbolic=True))  # doctest: +NORMALIZE_WHITESPACE
    china_leverage + china_mediation + deterrence_erosion - face_cost_calibrated + iran_overstretch
    + iran_war_base + pakistan_superiority + us_pressure_on_iran
    >>> {t: float(b) for t, b in restraint_bound(values_for()).items()}
    {'ct': 5.0, 'broaden': 5.0, 'coerce': 3.5}
    """
    if symbolic:
        sym = values_for(symbolic=True)
        return iran_escalation_cost(sym) + iran_war_cost(sym) - sym["face_cost_calibrated"] + sym["china_mediation"]
    credible = precedent_cost(v) > pakistan_clash_cost(v)
    base = (
        iran_escalation_cost(v)
        + (iran_war_cost(v) if credible else 0)
        - v["face_cost_calibrated"]
        + v["china_mediation"]
    )
    return {t: base - (v["coerce_face_premium"] if has_premium else 0) for t, _, _, has_premium in TYPES}


def _subs(v: dict[str, Any], skip: str = "") -> dict[Any, Any]:
    import sympy

    return {
        PARAMETERS[k].symbol: sympy.Rational(x) if isinstance(x, (int, Fraction)) else x
        for k, x in v.items()
        if k != skip
    }


def retaliation_threshold(v: dict[str, Any]) -> dict[str, Any]:
    """C1 in the regime of ``v``: two symbolic conditions for retaliating rather than absorbing.

    They are exact only in that regime -- the same credibility of Pakistan's counter-escalation,
    the same strike ``r`` the cheaper one, the same motive types escalating after it; the rule
    for the whole box is :data:`RETALIATION_RULE` (:func:`retaliation_rule`).  The conditions:

    1. *credibility*: ``P > C_P`` (Pakistan would answer an Iranian counter-strike), or
       ``C_P > P`` where the regime has it not credible (Pakistan would hold);
    2. *expected cost*: the precedent cost exceeds the expected cost of retaliating,
       ``P > k_r' + pi_esc * (d + C) + (1 - pi_esc) * (1 - rho_r) * P`` with ``C = C_P``
       (credible) or ``P``, where ``pi_esc`` is the prior mass of the motive types that
       answer ``r`` by escalating (read off the equilibrium at ``v``).

    The returned ``conditions`` are sympy expressions that must all be positive;
    ``text``/``latex`` print them; ``strike`` names ``r``.

    Examples
    --------
    >>> info = retaliation_threshold(values_for())
    >>> info["strike"], info["escalating_types"]
    ('calibrated', ['broaden'])
    >>> print(info["values_at_point"])
    [6/5, 119/100]
    """
    import sympy

    at_point = solve_continuation(v)
    rule = retaliation_rule(v)
    strike = "direct" if int(rule["strike"][0]) == 2 else "calibrated"
    restoration = dict((k, r) for k, _, r in _STRIKES)[strike]
    credible = bool(at_point["counter"][0])
    sym = values_for(symbolic=True)
    escalating = [t for t in ("ct", "broaden", "coerce") if bool(at_point[f"escalates/{strike}/{t}"][0])]
    prior = priors(sym)
    precedent, clash = precedent_cost(sym), pakistan_clash_cost(sym)
    pi = sum((prior[t] for t in escalating), sympy.Integer(0))
    expected_cost = (
        strike_cost(sym, strike)
        + pi * (sym["escalation_damage"] + (clash if credible else precedent))
        + (1 - pi) * (1 - sym[restoration]) * precedent
    )
    pairs = [(precedent, clash) if credible else (clash, precedent), (precedent, expected_cost)]
    conditions = [sympy.expand(a - b) for a, b in pairs]
    text = " and ".join(f"{sympy.sstr(sympy.factor_terms(a))} > {sympy.sstr(sympy.factor_terms(b))}" for a, b in pairs)
    names = {p.symbol: r"\mathit{" + p.name.replace("_", r"\_") + "}" for p in PARAMETERS}
    latex = r" \;\wedge\; ".join(
        f"{sympy.latex(sympy.factor_terms(a), symbol_names=names)} > "
        f"{sympy.latex(sympy.factor_terms(b), symbol_names=names)}"
        for a, b in pairs
    )
    values = [c.subs(_subs(v)) for c in conditions]
    return {
        "conditions": conditions,
        "text": text,
        "latex": latex,
        "strike": strike,
        "escalating_types": escalating,
        "counter_credible": credible,
        "values_at_point": values,
        "retaliates": all(x > 0 for x in values),
    }


def switch_point(v: dict[str, Any], name: str, conditions: list[Any]) -> tuple[float | None, float | None]:
    """Switch points along ``name``: numeric (batched solver + bisection) and symbolic (sympy).

    The symbolic switch is the root of one of the C1 conditions at which
    their conjunction changes truth value, checked on the formulas alone.
    """
    import sympy

    symbol = PARAMETERS[name].symbol
    conditions = [c.subs(_subs(v, skip=name)) for c in conditions]
    lo, hi = float(PARAMETERS[name].low), float(PARAMETERS[name].high)

    def holds(x: float) -> bool:
        return all(float(c.subs(symbol, x)) > 0 for c in conditions)

    symbolic = None
    for c in conditions:
        for root in sympy.solve(sympy.Eq(c, 0), symbol):
            r = float(root)
            if lo < r < hi and holds(r - 1e-7) != holds(r + 1e-7):
                symbolic = r
    grid, margin = sweep_measure(v, name, retaliation_margin)
    change = np.flatnonzero(np.diff(np.sign(margin)) != 0)
    numeric = None
    if len(change):
        point = {k: float(y) for k, y in v.items()}
        numeric = _refine(
            lambda xs: np.sign(retaliation_margin({**point, name: xs})), grid[change[0]], grid[change[0] + 1]
        )
    return numeric, symbolic
