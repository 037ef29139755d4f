"""Sign tests for the twelve comparative statics of docs/argument.md.

Each row of the table "Comparative statics implied by the USIP argument"
names a parameter, an equilibrium measure and a predicted sign.  A row is
checked by sweeping its parameter(s) over their bounds, every other
parameter held at the calibration, and reading the measure off the batched
equilibria (:func:`~games.iran_pakistan.analysis.solve_continuation`, or
:func:`~games.iran_pakistan.analysis.prestrike_equilibria` for row 11).  A
measure ``m(x)`` on the grid ``x_0 < ... < x_{n-1}`` *holds* the predicted
sign ``s`` when ``s * (m(x_{i+1}) - m(x_i)) >= 0`` for every step and is
strict for at least one; it *holds weakly* when it is constant on the sweep
(the sign is not contradicted, but the channel is inactive there); it is
*violated* when some step has the wrong sign.  A row whose mechanism the
model does not contain is *not implied*, and its evidence says why.

Row 12 (Chicken's mixed equilibrium) maps onto the matrix form: Pakistan
absorbing is a Nash equilibrium iff Iran escalates with probability
``q >= q* = (P - k_min) / (d + C_P)`` with ``k_min = min(k_K, k_X)`` (absorb
pays ``-P``; a strike ``r`` pays ``-k_r - q (d + C_P)``).  ``q*`` -- the least
Iranian firmness that keeps Pakistan absorbing -- falls in Pakistan's war
cost ``W_P`` (``war_cost_pakistan``); Iran's war cost ``W_I`` does not enter,
because against *absorb* Iran's two columns pay the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games.iran_pakistan.analysis import prestrike_equilibria, solve_continuation
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.parameters import PARAMETERS, pakistan_clash_cost, precedent_cost, priors

__all__ = ["SignTarget", "sign_targets", "STATUSES", "absorb_threshold"]

#: The statuses a row can take.
STATUSES = ("holds", "holds weakly", "violated", "not implied")
_STEP_TOL = 1e-12


@dataclass(frozen=True)
class SignTarget:
    """The verdict on one comparative-static row (docs/argument.md, "Comparative statics").

    ``parts`` lists ``(parameter, measure, predicted sign, status)`` for each
    channel the row names; ``status`` combines them (any violated part makes
    the row violated; otherwise a part the model lacks makes it not implied).
    """

    row: int
    statement: str
    parameters: tuple[str, ...]
    predicted_sign: str
    measure: str
    status: str
    evidence: str
    parts: tuple[tuple[str, str, str, str], ...] = field(default_factory=tuple)


def _sign_status(values: np.ndarray, sign: int) -> str:
    """``holds``/``holds weakly``/``violated`` for a measure that should move with ``sign``."""
    values = values[~np.isnan(values)]
    steps = np.diff(values) * sign
    if (steps < -_STEP_TOL).any():
        return "violated"
    return "holds" if (steps > _STEP_TOL).any() else "holds weakly"


def _grid(name: str, v: dict[str, Any], n: int) -> np.ndarray:
    p = PARAMETERS[name]
    low, high = float(p.low), float(p.high)
    # A prior sweep stops where the priors would sum above one.
    if name == "prior_broaden":
        high = 1 - float(v["prior_coerce"])
    elif name == "prior_coerce":
        high = 1 - float(v["prior_broaden"])
    return np.linspace(low, high, n)


def _sweep(v: dict[str, Any], name: str, n: int) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    grid = _grid(name, v, n)
    point = {k: np.full(n, float(x)) for k, x in v.items()}
    point[name] = grid
    return grid, solve_continuation(point)


def _describe(name: str, grid: np.ndarray, values: np.ndarray, label: str, status: str, sign: int) -> str:
    ok = values[~np.isnan(values)]
    if not len(ok):
        return f"{label} undefined on the whole sweep of {name}"
    direction = "rise" if sign > 0 else "fall"
    text = (
        f"{label} goes {ok[0]:.3g} -> {ok[-1]:.3g} over {name} in [{grid[0]:.3g}, {grid[-1]:.3g}] "
        f"(range {ok.min():.3g}..{ok.max():.3g})"
    )
    return (
        text
        + {
            "holds": f"; monotone, as predicted ({direction})",
            "holds weakly": "; constant on the sweep (channel inactive here, sign not contradicted)",
            "violated": f"; NOT monotone in the predicted direction ({direction})",
        }[status]
    )


# -- measures read off solve_continuation --------------------------------------------------
def _retaliates(out):
    return out["retaliates"].astype(float)


def _absorbs(out):
    return 1.0 - out["retaliates"].astype(float)


def _direct(out):
    return (np.asarray(out["choice"]) == 2).astype(float)


def _calibrated_given_retaliation(out):
    ret = out["retaliates"]
    return np.where(ret, (np.asarray(out["choice"]) == 1).astype(float), np.nan)


def _esc_after(key):
    return lambda out: np.asarray(out[f"p_escalate/{key}"], dtype=float)


_MEASURES: dict[str, Callable[[dict], np.ndarray]] = {
    "Pr(Pakistan retaliates)": _retaliates,
    "Pr(Pakistan absorbs)": _absorbs,
    "Pr(direct strike)": _direct,
    "Pr(calibrated | retaliate)": _calibrated_given_retaliation,
    "Pr(Iran escalates | calibrated)": _esc_after("calibrated"),
    "Pr(Iran escalates | direct)": _esc_after("direct"),
}


def _part(v, name, measure, sign, n):
    grid, out = _sweep(v, name, n)
    values = _MEASURES[measure](out)
    status = _sign_status(values, sign)
    return (name, measure, "+" if sign > 0 else "-", status), _describe(name, grid, values, measure, status, sign)


def _combine(parts: list[tuple[str, str, str, str]]) -> str:
    statuses = [p[3] for p in parts]
    for s in ("violated", "not implied"):
        if s in statuses:
            return s
    return "holds" if "holds" in statuses else "holds weakly"


def _row(row, statement, sign_text, specs, v, n, missing: tuple[tuple[str, str, str, str], ...] = ()):
    """Build a row from ``specs`` = [(parameter, measure, sign)] plus parts the model lacks."""
    parts, texts = [], []
    for name, measure, sign in specs:
        part, text = _part(v, name, measure, sign, n)
        parts.append(part)
        texts.append(text)
    for name, measure, sign, why in missing:
        parts.append((name, measure, sign, "not implied"))
        texts.append(f"not implied -- {why}")
    names = tuple(dict.fromkeys(p[0] for p in parts))
    measures = "; ".join(dict.fromkeys(p[1] for p in parts))
    return SignTarget(row, statement, names, sign_text, measures, _combine(parts), ". ".join(texts), tuple(parts))


# -- row 11: the pre-strike model -------------------------------------------------------------
def _challenge_mass(v: dict[str, Any], belief_absorb: float) -> tuple[float, float]:
    """(least, greatest) prior mass of striking types over the pre-strike equilibria."""
    point = {k: float(x) for k, x in v.items()}
    point["iran_belief_absorb"] = belief_absorb
    prior = priors(point)
    masses = [sum(prior[t] for t in e["strikers"]) for e in prestrike_equilibria(point)]
    return (min(masses), max(masses)) if masses else (np.nan, np.nan)


def _row11(v: dict[str, Any], n: int) -> SignTarget:
    credibility = np.linspace(0.0, 1.0, n)
    masses = np.array([_challenge_mass(v, 1.0 - c) for c in credibility])
    parts, texts = [], []
    for j, label in enumerate(("least", "greatest")):
        status = _sign_status(masses[:, j], -1)
        parts.append(("iran_belief_absorb", f"challenge mass ({label} over equilibria)", "-", status))
        texts.append(
            _describe(
                "credibility = 1 - iran_belief_absorb",
                credibility,
                masses[:, j],
                f"prior mass of striking Iranian types ({label} over equilibria)",
                status,
                -1,
            )
        )
    missing = np.isnan(masses[:, 0])
    if missing.any():
        texts.append(
            f"no pure perfect Bayesian equilibrium at credibility in "
            f"[{credibility[missing].min():.3g}, {credibility[missing].max():.3g}] "
            f"({int(missing.sum())} of {n} grid points; the counter-terror type would mix), "
            "so the sign is read on the rest"
        )
    texts.append(
        "the second half of the row (the posterior on Pakistan's credibility rising after a "
        "retaliation) needs a repeated game with later challengers, which the family does not "
        "contain; only the first half is tested"
    )
    return SignTarget(
        11,
        "Higher prior credibility of Pakistan lowers future challenges",
        ("iran_belief_absorb",),
        "-",
        "prior mass of Iranian types that strike (pre-strike PBE)",
        _combine(parts),
        ". ".join(texts),
        tuple(parts),
    )


# -- row 12: the matrix form's absorb component -----------------------------------------------
def absorb_threshold(values: dict[str, Any] | None = None) -> Any:
    """``q* = (P - min(k_K, k_X)) / (d + C_P)``: least Iranian escalation probability keeping Pakistan absorbing.

    Symbolic (a sympy expression with ``k_K`` as the cheaper strike) when
    ``values`` is None; exact for exact values.  Where ``q*`` lies in
    ``[0, 1]`` the matrix form has a Nash component {Pakistan absorbs, Iran
    escalates with probability q >= q*}; ``q* > 1`` means no such component,
    ``q* <= 0`` that Pakistan absorbs whatever Iran does.

    Examples
    --------
    >>> print(absorb_threshold({}))
    25/34
    """
    if values is None:
        v = values_for(symbolic=True)
        return (precedent_cost(v) - v["calibrated_cost"]) / (v["escalation_damage"] + pakistan_clash_cost(v))
    v = values_for(values)
    k = min(v["calibrated_cost"], v["direct_cost"])
    return Fraction(precedent_cost(v) - k) / Fraction(v["escalation_damage"] + pakistan_clash_cost(v))


def _row12(v: dict[str, Any], n: int) -> SignTarget:
    import sympy

    q_sym = absorb_threshold()
    w = PARAMETERS["war_cost_pakistan"].symbol
    derivative = sympy.factor(sympy.diff(q_sym, w))
    grid = _grid("war_cost_pakistan", v, n)
    point = {k: np.full(n, float(x)) for k, x in v.items()}
    point["war_cost_pakistan"] = grid
    k = np.minimum(point["calibrated_cost"], point["direct_cost"])
    q = (precedent_cost(point) - k) / (point["escalation_damage"] + pakistan_clash_cost(point))
    # Only the values of q* in (0, 1] describe a mixed Iranian strategy of the component.
    inside = np.where((q > 0) & (q <= 1), q, np.nan)
    status = _sign_status(inside, -1)
    text = _describe("war_cost_pakistan", grid, inside, "q* (where in (0, 1])", status, -1)
    text += f"; dq*/dW_P = {sympy.sstr(derivative)} (negative whenever P > k_K)"
    parts = [
        ("war_cost_pakistan", "q* = least Pr(Iran escalates) sustaining absorb", "-", status),
        ("iran_war_base", "q*", "-", "not implied"),
    ]
    text += (
        ". W_I: not implied -- in the matrix form Iran's two columns pay the same against absorb, so "
        "Iran's war cost never enters the absorb component; the only mixed equilibria are Iran's "
        "mixtures there, and no equilibrium has Pakistan mixing (no Chicken-type mixed equilibrium)"
    )
    return SignTarget(
        12,
        "Larger war costs lower the mixed probability of standing firm",
        ("war_cost_pakistan", "iran_war_base"),
        "-",
        "q* = (P - k_K)/(d + C_P) in the matrix form",
        _combine(parts),
        text,
        tuple(parts),
    )


def sign_targets(values: dict[str, Any] | None = None, n: int = 201) -> list[SignTarget]:
    """Check the twelve comparative-static sign targets at a calibration.

    Parameters
    ----------
    values : dict, optional
        Parameter overrides (the baseline by default).
    n : int
        Grid points per swept parameter.

    Returns
    -------
    list of SignTarget
        Rows 1-12 in the order of docs/argument.md ("Comparative statics").

    Examples
    --------
    >>> rows = sign_targets(n=21)
    >>> [r.status for r in rows][:4]
    ['holds', 'holds weakly', 'holds', 'holds']
    >>> rows[9].status
    'not implied'
    """
    v = values_for(values)
    ret, esc_k, esc_x = "Pr(Pakistan retaliates)", "Pr(Iran escalates | calibrated)", "Pr(Iran escalates | direct)"
    rows = [
        _row(
            1,
            "Higher reputational stakes vis-a-vis India/Afghanistan raise Pr(Pakistan retaliates)",
            "+",
            [("precedent_loss", ret, +1), ("india_emboldening", ret, +1)],
            v,
            n,
        ),
        _row(
            2,
            "A worse three-front situation lowers Pr(direct) and raises Pr(calibrated | retaliate)",
            "Pr(X) -, Pr(K | retaliate) +",
            [("india_second_front", "Pr(direct strike)", -1), ("india_second_front", "Pr(calibrated | retaliate)", +1)],
            v,
            n,
        ),
        _row(
            3,
            "Calibrated, non-state targeting lowers Pr(Iran escalates): Pr(E | K) falls as f_K falls",
            "+ in f_K",
            [("face_cost_calibrated", esc_k, +1)],
            v,
            n,
        ),
        _row(
            4,
            "Stronger Chinese mediation or pressure lowers Pr(Iran escalates)",
            "-",
            [
                ("china_mediation", esc_k, -1),
                ("china_leverage", esc_k, -1),
                ("china_mediation", esc_x, -1),
                ("china_leverage", esc_x, -1),
            ],
            v,
            n,
        ),
        _row(
            5,
            "More US pressure on Iran lowers Iranian escalation; US restraint of Pakistan lowers Pr(X)",
            "- ; -",
            [
                ("us_pressure_on_iran", esc_k, -1),
                ("us_pressure_on_iran", esc_x, -1),
                ("us_ct_stake", "Pr(direct strike)", -1),
            ],
            v,
            n,
        ),
        _row(
            6,
            "Iranian overstretch lowers Iranian escalation",
            "-",
            [("iran_overstretch", esc_k, -1), ("iran_overstretch", esc_x, -1)],
            v,
            n,
        ),
        _row(
            7,
            "Pakistan's superiority and nuclear status lower Iranian escalation",
            "-",
            [("pakistan_superiority", esc_k, -1), ("pakistan_superiority", esc_x, -1)],
            v,
            n,
        ),
        _row(
            8,
            "Erosion of Iran's deterrence of the US and Israel lowers Iranian escalation",
            "-",
            [("deterrence_erosion", esc_k, -1), ("deterrence_erosion", esc_x, -1)],
            v,
            n,
        ),
        _row(
            9,
            "A higher prior on a broadening Iran raises Iranian escalation and Pakistan's absorbing",
            "+ / +",
            [("prior_broaden", esc_k, +1), ("prior_broaden", "Pr(Pakistan absorbs)", +1)],
            v,
            n,
        ),
        _row(
            10,
            "Higher audience costs raise Pr(retaliation) and, through signalling, lower Iranian escalation",
            "+ / -",
            [("resolve_value", ret, +1)],
            v,
            n,
            missing=(
                (
                    "resolve_value",
                    esc_k,
                    "-",
                    "Pakistan's resolve is common knowledge in the continuation forms (and Iran's "
                    "uncertainty in the pre-strike form is over absorbing, not audience costs), so no "
                    "signalling channel runs from audience costs to Iran's escalation; resolve_value "
                    "moves Iran only through the credibility of counter-escalation (P > C_P)",
                ),
            ),
        ),
        _row11(v, max(11, n // 4)),
        _row12(v, n),
    ]
    return rows
