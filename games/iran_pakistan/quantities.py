"""The derived quantities of the Iran-Pakistan model, written once for numbers, arrays and symbols.

Each takes a mapping of parameter values (:data:`~games.iran_pakistan.parameters.PARAMETERS`)
whose entries may be Fractions, floats, numpy arrays or sympy symbols; the formulas and the
calibration behind them are explained in :mod:`games.iran_pakistan.parameters`.

Examples
--------
>>> from games.iran_pakistan.parameters import PARAMETERS
>>> v = PARAMETERS.point({})
>>> print(precedent_cost(v), pakistan_clash_cost(v), iran_escalation_cost(v), iran_war_cost(v))
6 24/5 3 7/2
"""

from __future__ import annotations

from typing import Any

from deterrence.errors import ParameterError

__all__ = [
    "precedent_cost",
    "front_multiplier",
    "pakistan_clash_cost",
    "strike_cost",
    "iran_escalation_cost",
    "iran_war_cost",
    "priors",
    "check_priors",
]


def precedent_cost(v: dict[str, Any]) -> Any:
    """``P``: what Pakistan loses by absorbing the strike."""
    return v["precedent_loss"] * (v["india_emboldening"] + v["taliban_emboldening"]) + v["resolve_value"]


def front_multiplier(v: dict[str, Any]) -> Any:
    """``phi``: how much the other fronts multiply the cost of a clash."""
    return v["india_second_front"] + v["taliban_front"]


def pakistan_clash_cost(v: dict[str, Any]) -> Any:
    """``C_P``: Pakistan's cost of an open interstate clash with Iran."""
    return v["war_cost_pakistan"] * (1 + front_multiplier(v)) + v["us_ct_stake"]


def strike_cost(v: dict[str, Any], response: str) -> Any:
    """``k_r'``: Pakistan's full cost of strike ``response`` (``"calibrated"`` or ``"direct"``)."""
    china = v["china_pakistan_weight"] * v["china_mediation"]
    if response == "calibrated":
        return v["calibrated_cost"] + china
    return v["direct_cost"] + china + v["us_ct_stake"]


def iran_escalation_cost(v: dict[str, Any]) -> Any:
    """``R_I``: what escalating costs Iran whatever Pakistan does next."""
    return v["us_pressure_on_iran"] + v["china_leverage"] + v["iran_overstretch"]


def iran_war_cost(v: dict[str, Any]) -> Any:
    """``W_I``: Iran's extra cost of an open clash, paid only if Pakistan counter-escalates."""
    return v["iran_war_base"] + v["pakistan_superiority"] + v["deterrence_erosion"]


def priors(v: dict[str, Any]) -> dict[str, Any]:
    """Prior over Iran's motive types (counter-terror takes the remainder)."""
    return {
        "ct": 1 - v["prior_broaden"] - v["prior_coerce"],
        "broaden": v["prior_broaden"],
        "coerce": v["prior_coerce"],
    }


def check_priors(v: dict[str, Any]) -> None:
    """Raise :class:`ParameterError` if ``prior_broaden + prior_coerce > 1`` (numbers only)."""
    total = v["prior_broaden"] + v["prior_coerce"]
    if not hasattr(total, "free_symbols") and not hasattr(total, "shape") and total > 1:
        raise ParameterError(
            f"prior_broaden + prior_coerce = {float(total):g} exceeds 1; the counter-terror prior would be negative"
        )
