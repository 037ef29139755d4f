"""The C1 threshold: when Pakistan retaliates rather than absorbs, as formulas and as numbers.

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
from games.iran_pakistan.parameters import PARAMETERS, pakistan_clash_cost, precedent_cost, priors

__all__ = ["retaliation_margin", "retaliation_threshold", "sweep_measure", "switch_point"]


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


def retaliation_margin(point: dict) -> np.ndarray:
    """Pakistan's retaliation margin (Bayesian form) at a batch of points, as floats."""
    return solve_continuation(point)["retaliation_margin"].astype(np.float64)


def _subs(v: dict[str, Any], skip: str = "") -> dict[Any, Any]:
    import sympy

    return {
        PARAMETERS[k].symbol: sympy.Rational(x) if isinstance(x, (int, Fraction)) else x
        for k, x in v.items()
        if k != skip
    }


def retaliation_threshold(v: dict[str, Any]) -> dict[str, Any]:
    """C1: the symbolic conditions under which Pakistan retaliates rather than absorbs.

    Retaliation pays only if two conditions hold together:

    1. *credibility*: Pakistan would answer an Iranian counter-strike,
       ``P > C_P``.  Otherwise every motive type escalates (it gains ``e_t``
       at no war cost) and retaliating costs ``k + d`` on top of the precedent;
    2. *expected cost*: the precedent cost exceeds the expected cost of
       retaliating, ``P > k_K + pi_esc * (d + C_P)``, where ``pi_esc`` is the
       prior mass of the motive types that answer a calibrated strike by
       escalating (read off the equilibrium at ``v``).

    The returned ``conditions`` are sympy expressions that must all be
    positive; ``text``/``latex`` print them.

    Examples
    --------
    >>> info = retaliation_threshold(values_for())
    >>> print(info["text"].split(" and ")[1])
    precedent_loss*(india_emboldening + taliban_pressure) + resolve_value > calibrated_cost
    + prior_broaden*(escalation_damage + us_ct_stake + war_cost_pakistan*(india_second_front + taliban_pressure + 1))
    """
    import sympy

    at_point = solve_continuation(v)
    sym = values_for(symbolic=True)
    escalating = [t for t in ("ct", "broaden", "coerce") if bool(at_point[f"escalates/calibrated/{t}"][0])]
    prior = priors(sym)
    precedent, clash = precedent_cost(sym), pakistan_clash_cost(sym)
    expected_cost = sym["calibrated_cost"] + sum((prior[t] for t in escalating), sympy.Integer(0)) * (
        sym["escalation_damage"] + clash
    )
    pairs = [(precedent, clash), (precedent, expected_cost)]
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
        "escalating_types": escalating,
        "counter_credible": bool(at_point["counter"][0]),
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
        i = change[0]

        def f(x: float) -> float:
            return float(retaliation_margin({**{k: float(y) for k, y in v.items()}, name: x})[0])

        # The margin may jump where Pakistan's counter-escalation stops being credible, so a
        # bisection on the sign (not brentq, which assumes continuity) locates the switch.
        a, b = grid[i], grid[i + 1]
        sign_a = np.sign(f(a))
        for _ in range(100):
            mid = 0.5 * (a + b)
            a, b = (mid, b) if np.sign(f(mid)) == sign_a else (a, mid)
        numeric = 0.5 * (a + b)
    return numeric, symbolic
