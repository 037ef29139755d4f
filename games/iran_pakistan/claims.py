"""One check per claim of the USIP argument (C1-C12 of docs/argument.md), at one calibration.

Each row is a :class:`ClaimCheck`: ``confirmed`` (the model implies the claim
at this calibration), ``qualified`` (it holds only in part, or only under a
condition the row names), ``refuted``, or ``definitional`` (no calibration
within the stated ranges refutes the check, so confirming it would say
nothing); the evidence; the region where the check confirms along one
deciding parameter; and a ``refuting_example``.

The status is never decided here: it is the code of the vectorised
:func:`~games.iran_pakistan.claim_status.claim_status` on a one-point batch
(exact arithmetic for exact values), and the sentences are generated from
the same computed arrays (:mod:`games.iran_pakistan.checks`).  Refuting
examples are found by :mod:`games.iran_pakistan.refutations` and stored in
``refutations.json`` as changes to the baseline calibration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import Any

import numpy as np

from games.iran_pakistan.checks import BUILDERS
from games.iran_pakistan.claim_status import (
    CLAIMS,
    CONFIRMED,
    STATUS_NAMES,
    c12_status,
    claim_details,
    claim_status,
    sweep_grid,
)
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.threshold import interval_text, retaliation_threshold, sweep_measure

__all__ = [
    "ClaimCheck",
    "audit",
    "CHECKS",
    "REGION_PARAMETERS",
    "claim_status",
    "retaliation_threshold",
    "sweep_measure",
    "check_c1",
    "check_c11",
]

#: The parameter along which each row reports where its check confirms (C1 prints its exact rule).
REGION_PARAMETERS = {
    "C2": "resolve_value",
    "C3": "face_cost_direct",
    "C4": "precedent_loss",
    "C5": "escalation_value_broaden",
    "C6": "war_cost_pakistan",
    "C7": "war_cost_pakistan",
    "C8": "china_pakistan_weight",
    "C9": "war_cost_pakistan",
    "C10": "escalation_value_broaden",
    "C11": "face_cost_calibrated",
    "C12": "iran_belief_absorb",
}


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict on one claim at one calibration."""

    claim: str
    status: str
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)
    region: str = ""
    refuting_example: dict[str, str] | None = None
    definitional: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form: claim, status, summary, evidence, region, refuting_example, definitional."""
        return {
            "claim": self.claim,
            "status": self.status,
            "summary": self.summary,
            "evidence": {k: _jsonable(x) for k, x in self.evidence.items()},
            "region": self.region,
            "refuting_example": None if self.refuting_example is None else dict(self.refuting_example),
            "definitional": bool(self.definitional),
        }


def _jsonable(x: Any) -> Any:
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.floating, float)):
        return float(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    if x is None or isinstance(x, str):
        return x
    if isinstance(x, dict):
        return {str(k): _jsonable(y) for k, y in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [_jsonable(y) for y in x]
    return str(x)


def _one_point(v: dict[str, Any]) -> dict[str, np.ndarray]:
    exact = all(isinstance(x, (int, Fraction)) for x in v.values())
    return {k: np.array([x], dtype=object if exact else np.float64) for k, x in v.items()}


def _regions(v: dict[str, Any], claims: tuple[str, ...]) -> dict[str, str]:
    """Where each check confirms along its deciding parameter (41 points, floats, others at ``v``)."""
    names = sorted({REGION_PARAMETERS[c] for c in claims if c in REGION_PARAMETERS})
    if not names:
        return {}
    grids = {name: sweep_grid(name, exact=False) for name in names}
    n = sum(len(g) for g in grids.values())
    batch = {k: np.full(n, float(x)) for k, x in v.items()}
    offsets, at = {}, 0
    for name, grid in grids.items():
        batch[name][at : at + len(grid)] = grid
        offsets[name] = slice(at, at + len(grid))
        at += len(grid)
    valid = batch["prior_broaden"] + batch["prior_coerce"] <= 1 + 1e-12
    codes = claim_status({k: a[valid] for k, a in batch.items()}, prestrike=False)
    full = {c: np.full(n, -1) for c in codes}
    for c, a in codes.items():
        full[c][valid] = a
    if "C12" in claims and REGION_PARAMETERS["C12"] in offsets:
        at_c12 = offsets[REGION_PARAMETERS["C12"]]
        full["C12"][at_c12] = c12_status({k: a[at_c12] for k, a in batch.items()})
    out: dict[str, str] = {}
    for claim in claims:
        if claim not in REGION_PARAMETERS:
            continue
        name = REGION_PARAMETERS[claim]
        if claim == "C12" and details_pending():
            continue
        mask = full[claim][offsets[name]] == CONFIRMED
        where = interval_text(name, grids[name], mask)
        out[claim] = f"the check confirms {where if where.startswith('nowhere') else 'for ' + where}"
        # interval_text ends with its grid resolution in parentheses; the condition joins it.
        out[claim] = out[claim].removesuffix(")") + "; others at this calibration)"
    return out


def details_pending() -> bool:
    """True while the pre-strike module (C12) is missing."""
    from games.iran_pakistan.claim_status import prestrike_module

    return prestrike_module() is None


def _row(
    claim: str, v: dict[str, Any], details: dict[str, np.ndarray], region: str, stored: dict[str, Any]
) -> ClaimCheck:
    code = int(details[f"code/{claim}"][0])
    summary, evidence, note = BUILDERS[claim](v, details, code)
    entry = stored.get(claim, {})
    definitional = bool(entry.get("definitional", False))
    status = "definitional" if definitional else STATUS_NAMES[code]
    if definitional:
        evidence = {**evidence, "check_status_here": STATUS_NAMES[code], "why_definitional": entry.get("why", "")}
        summary = (
            f"Definitional: {entry.get('why', 'no calibration in the stated ranges refutes this check')}; {summary}"
        )
    if "note" in entry:
        evidence = {**evidence, "refutation_note": entry["note"]}
    region = "; ".join(x for x in (note, region) if x)
    return ClaimCheck(claim, status, summary, evidence, region, entry.get("example"), definitional)


def audit(values: dict[str, Any] | None = None, claims: tuple[str, ...] = CLAIMS) -> list[ClaimCheck]:
    """Run the claim checks at a calibration (defaults: the baseline).

    Examples
    --------
    >>> rows = audit()
    >>> [r.claim for r in rows][:3], rows[1].status
    (['C1', 'C2', 'C3'], 'confirmed')
    """
    from games.iran_pakistan.refutations import stored_refutations

    v = values_for(values)
    details = claim_details(_one_point(v))
    regions = _regions(v, claims)
    stored = stored_refutations()
    return [_row(c, v, details, regions.get(c, ""), stored) for c in claims]


def _check(claim: str, values: dict[str, Any]) -> ClaimCheck:
    return audit(values, claims=(claim,))[0]


CHECKS: dict[str, Callable[[dict[str, Any]], ClaimCheck]] = {c: partial(_check, c) for c in CLAIMS}
check_c1 = CHECKS["C1"]
check_c11 = CHECKS["C11"]
