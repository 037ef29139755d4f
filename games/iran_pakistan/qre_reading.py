"""The smooth reading of the comparative-static sign targets: agent-QRE slopes at the calibration.

Each part of a sign target (:mod:`.statics`) is read a second time from the
slope, at the calibration, of the agent-QRE probability that matches its
measure (:mod:`.smooth`, exact complex-step derivatives).  The reading rule:

* a slope reads as a sign only when it is clearly nonzero: when, at the
  calibration's rate, it would move the probability by at least
  :data:`FLAT_CHANGE` (0.01, one percentage point) over the parameter's whole
  range, ``|slope| * (high - low) >= FLAT_CHANGE``.  Then it ``holds`` or is
  ``violated`` by its sign; below that it is ``flat`` (the channel is inactive
  at the calibration), whatever its sign;
* a part whose mechanism the model lacks (``not implied`` in the regime
  reading) stays ``not implied``: its slope runs through another channel, and
  :func:`slope_channels` says which (for Iran's escalation: the credibility of
  Pakistan's counter-escalation, or Iran's own payoffs and the prior); the
  evidence text is generated from those numbers;
* a row combines its parts: any ``not computed``, ``violated`` or ``not
  implied`` part decides, then ``holds``, else ``flat``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from games.iran_pakistan.analysis import TYPE_KEYS
from games.iran_pakistan.parameters import PARAMETERS, iran_war_cost, priors
from games.iran_pakistan.smooth import (
    DEFAULT_LAMBDA,
    _arrays,
    logit_continuation,
    logit_slopes,
    measure_slopes,
    prestrike_mass_slope,
)

__all__ = ["FLAT_CHANGE", "QRE_STATUSES", "sign_readings", "slope_channels", "with_qre"]


#: A slope reads as a sign only if, at the calibration's rate, it would move the probability by at
#: least this much over the parameter's whole range: ``|slope| * (high - low) >= FLAT_CHANGE``
#: (one percentage point).  Smaller slopes are *flat* (the channel is inactive at the calibration).
FLAT_CHANGE = 0.01
#: The pre-strike game's central differences (path following, step 1e-4) are not trusted below this.
_DIFFERENCE_TOL = 1e-6
#: Sign target 12's parts, read as the probability of standing firm of the side whose war cost moves.
_ROW12 = {"war_cost_pakistan": "Pr(Pakistan counter-escalates)", "iran_war_base": "Pr(Iran escalates | calibrated)"}
#: The statuses of one QRE reading.
QRE_STATUSES = ("holds", "flat", "violated", "not implied", "not computed")


def _slope_status(slope: float, sign: int, width: float, floor: float = 0.0) -> str:
    """``holds`` / ``flat`` / ``violated`` for a slope on a parameter whose range is ``width`` wide."""
    if not np.isfinite(slope):
        return "not computed"
    if abs(slope) * width < FLAT_CHANGE or abs(slope) <= floor:
        return "flat"
    return "holds" if sign * slope > 0 else "violated"


def _width(name: str) -> float:
    p = PARAMETERS[name]
    return float(p.high) - float(p.low)


def slope_channels(
    values: Mapping[str, Any], name: str, measure: str, lam: float = DEFAULT_LAMBDA
) -> dict[str, float] | None:
    """Split the slope of an Iranian escalation measure into the channels it runs through.

    For ``Pr(Iran escalates | r) = sum_t prior_t q_rt`` with ``q_rt = L(lam (gain_t + f_r))``,
    the part ``credibility`` is what moves through Pakistan's counter-escalation probability
    ``s`` (Iran's expected war cost ``s W_I``): ``sum_t prior_t lam q_rt (1 - q_rt) (-W_I) ds/dx``;
    ``other`` is the rest (Iran's own payoffs, ``W_I`` itself, the prior).  ``counter`` is
    ``ds/dx``.  None for the other measures.

    Examples
    --------
    Audience costs (``resolve_value``) raise the precedent cost ``P``, hence ``s``; Iran's
    escalation falls only through that credibility channel:

    >>> from games.iran_pakistan.forms import values_for
    >>> c = slope_channels(values_for(), "resolve_value", "Pr(Iran escalates | calibrated)")
    >>> c["counter"] > 0, round(c["credibility"], 3), abs(c["other"]) < 1e-12
    (True, -0.077, True)
    """
    keys = {"Pr(Iran escalates | calibrated)": "calibrated", "Pr(Iran escalates | direct)": "direct"}
    if measure not in keys:
        return None
    key = keys[measure]
    v = _arrays(values)
    out = logit_continuation(v, lam=lam)
    counter = float(logit_slopes(v, name, lam=lam)["counter"][0])
    weight, war = priors(v), float(np.asarray(iran_war_cost(v))[0])
    credibility = 0.0
    for t in TYPE_KEYS:
        q = float(out[f"escalates/{key}/{t}"][0])
        credibility += float(np.asarray(weight[t]).reshape(-1)[0]) * lam * q * (1 - q) * (-war) * counter
    total = float(measure_slopes(v, name, (measure,), lam=lam)[measure][0])
    other = total - credibility
    if abs(other) <= 1e-12 * max(1.0, abs(total)):
        other = 0.0
    return {"total": total, "credibility": credibility, "other": other, "counter": counter}


def sign_readings(
    row: int, parts: tuple[tuple[str, str, str, str], ...], values: Mapping[str, Any], lam: float = DEFAULT_LAMBDA
) -> tuple[tuple[str, str, str, float, str], ...]:
    """The smooth reading of a comparative-static sign target (:mod:`.statics`) at a calibration.

    Each part ``(parameter, measure, sign, status)`` becomes ``(parameter,
    smooth measure, sign, slope, status)``: the slope at ``values`` of the
    agent-QRE probability matching the measure, under the prior (as the
    statics sweeps).  The status is ``holds`` or ``violated`` by the slope's
    sign when ``|slope| * (high - low) >= FLAT_CHANGE`` (the probability would
    move at least one percentage point over the parameter's range), and
    ``flat`` (channel inactive at the calibration) below that.  A part whose
    mechanism the model lacks (status ``not implied``) stays ``not implied``
    whatever its slope: the slope runs through another channel
    (:func:`slope_channels` says which).  Row 11 reads the prior mass of
    striking types in the pre-strike game's agent QRE, against the
    credibility ``1 - iran_belief_absorb`` (a central difference; the
    parameter is named so); row 12 the probability of standing firm
    (counter-escalating, escalating) of the side whose war cost moves.
    Duplicate readings are listed once.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> part = ("iran_overstretch", "Pr(Iran escalates | calibrated)", "-", "holds weakly")
    >>> [r[4] for r in sign_readings(6, (part,), values_for())]
    ['holds']
    >>> part = ("india_second_front", "Pr(direct strike)", "-", "holds weakly")  # slope about -2e-4, range 2
    >>> [r[4] for r in sign_readings(2, (part,), values_for())]
    ['flat']
    """
    readings = []
    if row == 11:
        slope = -prestrike_mass_slope(values, "iran_belief_absorb", lam)
        measure = "Pr(Iran strikes) (prior mass of striking types, pre-strike agent QRE)"
        readings.append(("credibility = 1 - iran_belief_absorb", measure, "-", slope, "iran_belief_absorb", ""))
    else:
        for name, measure, sign, status in parts:
            measure = _ROW12.get(name, measure) if row == 12 else measure
            slope = float(measure_slopes(values, name, (measure,), lam=lam)[measure][0])
            missing = status == "not implied" and row != 12
            readings.append((name, measure, sign, slope, name, "not implied" if missing else ""))
    out = []
    for label, measure, sign, slope, name, fixed in dict.fromkeys(readings):
        floor = _DIFFERENCE_TOL if row == 11 else 0.0
        status = fixed or _slope_status(slope, 1 if sign == "+" else -1, _width(name), floor)
        out.append((label, measure, sign, slope, status))
    return tuple(out)


def _combine_qre(statuses: list[str]) -> str:
    """A row's QRE reading: any part not computed, violated or not implied decides; else holds or flat."""
    for s in ("not computed", "violated", "not implied", "holds"):
        if s in statuses:
            return s
    return "flat"


def _qre_text(reading: tuple[str, str, str, float, str], v: dict[str, Any], lam: float) -> str:
    """One reading in words, generated from the slope (and, for a missing mechanism, its channels)."""
    label, measure, sign, slope, status = reading
    head = f"d {measure} / d {label} = {slope:.3g} (predicted {sign}: "
    if status == "flat":
        change = abs(slope) * _width("iran_belief_absorb" if label.startswith("credibility") else label)
        return head + f"flat, channel inactive here: |slope| x range = {change:.2g} < {FLAT_CHANGE:g})"
    if status != "not implied":
        return head + f"{status})"
    channels = slope_channels(v, label, measure, lam)
    if channels is None:
        return head + "not implied -- the row's mechanism is not in the model; the slope comes from another channel)"
    text = (
        f"not implied -- of this slope, {channels['credibility']:.3g} runs through the credibility of Pakistan's "
        f"counter-escalation (d Pr(Pakistan counter-escalates) / d {label} = {channels['counter']:.3g}) and "
        f"{channels['other']:.3g} through Iran's own payoffs and the prior; the row's mechanism is not in the model)"
    )
    return head + text


def with_qre(target: Any, v: dict[str, Any], lam: float = DEFAULT_LAMBDA) -> Any:
    """A :class:`~.statics.SignTarget` with its QRE slopes, status and evidence (:func:`sign_readings`)."""
    slopes = sign_readings(target.row, target.parts, v, lam)
    status = _combine_qre([s[4] for s in slopes])
    text = "; ".join(_qre_text(reading, v, lam) for reading in slopes)
    rule = f"a slope reads as a sign when |slope| x range >= {FLAT_CHANGE:g}, else flat"
    return replace(
        target, qre_slopes=slopes, qre_status=status, qre_evidence=f"agent QRE at lambda = {lam:g} ({rule}): {text}"
    )
