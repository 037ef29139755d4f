"""Sign tests for the twelve comparative statics of docs/argument.md.

Each row of the table "Comparative statics implied by the USIP argument"
names a parameter, an equilibrium measure and a predicted sign.  A row is
checked by sweeping its parameter(s) over their bounds, every other
parameter held at the calibration, and reading the measure off the batched
equilibria (:func:`~games.iran_pakistan.analysis.solve_continuation`, or
:func:`~games.iran_pakistan.prestrike.striking_mass` for row 11).  A
measure ``m(x)`` on the grid ``x_0 < ... < x_{n-1}`` *holds* the predicted
sign ``s`` when ``s * (m(x_{i+1}) - m(x_i)) >= 0`` for every step and is
strict for at least one; it *holds weakly* when it is constant on the sweep
(the sign is not contradicted, but the channel is inactive there); it is
*violated* when some step has the wrong sign.  A row whose mechanism the
model does not contain is *not implied*, and its evidence says why.

Row 12 (Chicken's mixed equilibrium) maps onto the matrix form, the reduced
strategic form of the tree.  Pakistan absorbing is a Nash equilibrium iff,
for each strike ``r``, Iran escalates after ``r`` with probability
``y_r >= q*_r = (rho_r P - k_r') / (d + min(C_P, P) - (1 - rho_r) P)``
(absorb pays ``-P``; strike ``r`` with Pakistan's best plan after an
escalation pays ``-k_r' - (1 - rho_r) P`` if Iran stands down and
``-k_r' - d - min(C_P, P)`` if it escalates).  Where counter-escalation is
credible (``C_P < P``), ``q*_r`` -- the least Iranian firmness that keeps
Pakistan absorbing -- falls in Pakistan's war cost ``W_P``
(``war_cost_pakistan``); Iran's war cost ``W_I`` does not enter, because
against *absorb* all of Iran's columns pay the same.

Every row is also read from the smooth outcomes (:mod:`.smooth`): the slope,
at the calibration, of the agent-QRE probability that matches the row's
measure (``qre_slopes``, ``qre_status``, ``qre_evidence``).  A slope sees a
channel that the equilibrium regime does not show because it does not cross a
threshold inside the range.  It reads as a sign only when it is clearly
nonzero: ``|slope| * (high - low) >= FLAT_CHANGE`` (0.01, one percentage point
over the parameter's range); below that the reading is *flat* (channel inactive
at the calibration).  A part whose mechanism the model lacks stays *not
implied* in the QRE reading too, and its evidence says which channel the slope
runs through instead (:mod:`.qre_reading`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from games.iran_pakistan.analysis import solve_continuation
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.parameters import PARAMETERS, pakistan_clash_cost, precedent_cost, strike_cost
from games.iran_pakistan.prestrike import striking_mass
from games.iran_pakistan.qre_reading import with_qre
from games.iran_pakistan.smooth import DEFAULT_LAMBDA

__all__ = ["SignTarget", "sign_targets", "STATUSES", "absorb_threshold", "absorb_thresholds"]

#: The statuses a row can take.
STATUSES = ("holds", "holds weakly", "violated", "not implied")
_STEP_TOL = 1e-12


@dataclass(frozen=True)
class SignTarget:
    """The verdict on one comparative-static row (docs/argument.md, "Comparative statics").

    ``parts`` lists ``(parameter, measure, predicted sign, status)`` for each
    channel the row names; ``status`` combines them (any violated part makes
    the row violated; otherwise a part the model lacks makes it not implied).
    ``qre_slopes`` lists ``(parameter, smooth measure, predicted sign, slope,
    status)``: the slope at the calibration of the agent-QRE probability that
    matches each part (:mod:`.smooth`), with ``qre_status`` combining them
    (``not computed`` where no smooth reading exists) and ``qre_evidence``
    the text.
    """

    row: int
    statement: str
    parameters: tuple[str, ...]
    predicted_sign: str
    measure: str
    status: str
    evidence: str
    parts: tuple[tuple[str, str, str, str], ...] = field(default_factory=tuple)
    qre_slopes: tuple[tuple[str, str, str, float, str], ...] = field(default_factory=tuple)
    qre_status: str = "not computed"
    qre_evidence: str = ""


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
def _challenge_mass(v: dict[str, Any], credibility: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prior mass of striking types, (least, greatest) over all pre-strike equilibria -- mixed ones
    included (:func:`~games.iran_pakistan.prestrike.striking_mass`) -- and the semi-separating one's."""
    point: dict[str, Any] = {k: float(x) for k, x in v.items()}
    point["iran_belief_absorb"] = 1.0 - credibility
    out = striking_mass(point)
    return np.column_stack([out["least"], out["greatest"]]), out["semi_separating"]


def _row11(v: dict[str, Any], n: int) -> SignTarget:
    credibility = np.linspace(0.0, 1.0, n)
    masses, semi = _challenge_mass(v, credibility)
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
    mixing = ~np.isnan(semi)
    if mixing.any():
        texts.append(
            f"the equilibrium is semi-separating (a type mixes between striking and not) at credibility in "
            f"[{credibility[mixing].min():.3g}, {credibility[mixing].max():.3g}] "
            f"({int(mixing.sum())} of {n} grid points); its striking mass is read there"
        )
    steps = np.diff(masses[:, 1])
    if np.isfinite(steps).any() and np.nanmin(steps) < 0:
        j = int(np.nanargmin(steps))
        texts.append(
            f"largest fall of the striking mass: {masses[j, 1]:.3g} -> {masses[j + 1, 1]:.3g} between "
            f"credibility {credibility[j]:.3g} and {credibility[j + 1]:.3g}"
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
def absorb_thresholds(values: dict[str, Any] | None = None) -> dict[str, Any]:
    """``q*_r``, for r in (calibrated, direct): least Pr(Iran escalates after r) keeping Pakistan absorbing.

    ``q*_r = (rho_r P - k_r') / (d + min(C_P, P) - (1 - rho_r) P)``.  The
    matrix form has a Nash component {Pakistan absorbs, Iran escalates after
    each strike ``r`` with probability ``y_r >= q*_r``} when both lie at most
    1; ``q*_r <= 0`` means absorb beats ``r`` whatever Iran does.  Symbolic
    (sympy, with ``Min``) when ``values`` is None; exact for exact values.

    Examples
    --------
    >>> q = absorb_thresholds({})
    >>> print(q["calibrated"], q["direct"])
    39/76 59/136
    """
    if values is None:
        import sympy

        v = values_for(symbolic=True)
        low = sympy.Min(pakistan_clash_cost(v), precedent_cost(v))
    else:
        v = values_for(values)
        low = min(pakistan_clash_cost(v), precedent_cost(v))
    return {key: _threshold(v, key, low) for key in ("calibrated", "direct")}


def _threshold(v: dict[str, Any], key: str, low: Any) -> Any:
    """``q*_r`` given ``low = min(C_P, P)`` (numbers, arrays or symbols)."""
    rho, P = v[f"restoration_{key}"], precedent_cost(v)
    top, bottom = rho * P - strike_cost(v, key), v["escalation_damage"] + low - (1 - rho) * P
    if isinstance(top, (int, Fraction)) and isinstance(bottom, (int, Fraction)):
        return Fraction(top) / Fraction(bottom)
    with np.errstate(divide="ignore", invalid="ignore"):
        return top / bottom


def absorb_threshold(values: dict[str, Any] | None = None, response: str = "calibrated") -> Any:
    """``q*_r`` of :func:`absorb_thresholds` for one strike (the calibrated one by default).

    Examples
    --------
    >>> print(absorb_threshold({}), absorb_threshold({}, "direct"))
    39/76 59/136
    """
    return absorb_thresholds(values)[response]


def _row12(v: dict[str, Any], n: int) -> SignTarget:
    import sympy

    from deterrence import solve
    from games.iran_pakistan.forms import matrix_game

    w = PARAMETERS["war_cost_pakistan"].symbol
    symbolic = values_for(symbolic=True)
    grid = _grid("war_cost_pakistan", v, n)
    point = {k: np.full(n, float(x)) for k, x in v.items()}
    point["war_cost_pakistan"] = grid
    low = np.minimum(pakistan_clash_cost(point), precedent_cost(point))
    parts, texts = [], []
    for key in ("calibrated", "direct"):
        q = _threshold(point, key, low)
        # Only the values of q* in (0, 1] describe a mixed Iranian strategy of the component.
        inside = np.where((q > 0) & (q <= 1), q, np.nan)
        status = _sign_status(inside, -1)
        derivative = sympy.factor(sympy.diff(_threshold(symbolic, key, pakistan_clash_cost(symbolic)), w))
        texts.append(
            _describe("war_cost_pakistan", grid, inside, f"q*_{key} (where in (0, 1])", status, -1)
            + f"; where C_P < P, dq*_{key}/dW_P = {sympy.sstr(derivative)} (zero where C_P >= P)"
        )
        parts.append(
            ("war_cost_pakistan", f"q*_{key} = least Pr(Iran escalates | {key}) sustaining absorb", "-", status)
        )
    parts.append(("iran_war_base", "q*", "-", "not implied"))
    nash = solve(matrix_game(v), "nash")
    mixing = any(max(e.strategies["Pakistan"].values()) < 1 for e in nash)
    texts.append(
        "W_I: not implied -- in the matrix form all of Iran's columns pay the same against absorb, so Iran's "
        "war cost never enters the absorb component; at the calibration "
        + (
            "some equilibrium has Pakistan mixing"
            if mixing
            else "the mixed equilibria are Iran's mixtures there, and no equilibrium has Pakistan mixing "
            "(no Chicken-type mixed equilibrium)"
        )
        + f" ({len(nash.equilibria)} extreme equilibria, list {'complete' if nash.complete else 'not complete'})"
    )
    return SignTarget(
        12,
        "Larger war costs lower the mixed probability of standing firm",
        ("war_cost_pakistan", "iran_war_base"),
        "-",
        "q*_r = (rho_r P - k_r')/(d + min(C_P, P) - (1 - rho_r) P) in the matrix form",
        _combine(parts),
        ". ".join(texts),
        tuple(parts),
    )


def sign_targets(values: dict[str, Any] | None = None, n: int = 201, lam: float = DEFAULT_LAMBDA) -> list[SignTarget]:
    """Check the twelve comparative-static sign targets at a calibration.

    Parameters
    ----------
    values : dict, optional
        Parameter overrides (the baseline by default).
    n : int
        Grid points per swept parameter.
    lam : float
        Logit precision of the smooth reading (QRE slopes at the calibration).

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
    >>> rows[5].qre_status, rows[5].qre_slopes[0][3] < 0  # overstretch: the regime is flat, the QRE slope is not
    ('holds', True)
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
    return [with_qre(row, v, lam) for row in rows]
