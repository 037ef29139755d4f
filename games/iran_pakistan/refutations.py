"""Refuting examples: for each claim check, a calibration within the stated ranges that refutes it.

The search is deterministic and starts from the baseline calibration:

1. **One parameter at a time.**  Each parameter alone over its range at 41
   points (the others at the baseline); among the refuting points the
   smallest normalised change ``|x - x0| / (high - low)`` wins (ties: the
   parameter listed first).
2. **Sobol points of the box** (:class:`scipy.stats.qmc.Sobol`, scrambled with
   a fixed seed; points with ``prior_broaden + prior_coerce > 1`` dropped),
   only for claims that stage 1 cannot refute: the refuting point nearest
   to the baseline in normalised Euclidean distance.  It is then made sparse
   by resetting, one at a time (smallest change first), every coordinate
   whose baseline value keeps the check refuted.

A claim may hold some parameters at the baseline (:data:`HELD`): C5 is
refuted through Iran's restraints and face costs, not by lowering the
broadening type's escalation value, which makes it escalate by definition;
only if no such point exists is that parameter freed.

Values are written as short decimals (or the exact grid fractions) and each
example is re-checked in exact arithmetic, as ``deterrence audit --set`` would
run it, before it is kept.  A check that no point refutes is labelled
``definitional``.  Examples are inputs, not results, so they are cached in
``refutations.json`` next to this module (``python -m
games.iran_pakistan.refutations`` rewrites it); a slow test re-runs the search.
"""

from __future__ import annotations

import json
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from games.iran_pakistan.claim_status import CLAIMS, N_GRID, REFUTED, claim_status, prestrike_module, sweep_grid
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.parameters import PARAMETERS

__all__ = ["STORE", "search_refutations", "stored_refutations", "example_values", "write_store"]

#: The cached examples (changes to the baseline, as strings ``--set`` accepts).
STORE = Path(__file__).with_name("refutations.json")
SOBOL_POINTS = 8192
SEED = 2024
_CANDIDATES = 25
#: Parameters a claim's example keeps at the baseline where it can: C5's broadening type escalates
#: by definition for a large escalation value, so it is refuted through the restraints instead.
HELD = {"C5": ("escalation_value_broaden",)}


@lru_cache(maxsize=1)
def stored_refutations() -> dict[str, dict[str, Any]]:
    """The stored entries by claim: ``example`` (dict or None), ``definitional``, ``stage``, ``why``/``note``."""
    if not STORE.exists():
        return {}
    claims = json.loads(STORE.read_text(encoding="utf-8"))["claims"]
    if prestrike_module() is None and "C12" in claims:
        claims = {**claims, "C12": {"example": None, "definitional": False, "note": "pre-strike game pending"}}
    return claims


def example_values(example: dict[str, str]) -> dict[str, Any]:
    """The full exact point of an example (baseline plus the changes, parsed as ``--set`` parses them)."""
    changes = PARAMETERS.parse_assignments([f"{k}={x}" for k, x in example.items()])
    return values_for(changes)


def _exact_code(claim: str, example: dict[str, str]) -> int:
    point = {k: np.array([x], dtype=object) for k, x in example_values(example).items()}
    return int(claim_status(point)[claim][0])


def _text(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _norm(name: str, x: float, base: dict[str, float]) -> float:
    p = PARAMETERS[name]
    return abs(x - base[name]) / (float(p.high) - float(p.low))


def _float_code(claim: str, point: dict[str, float]) -> int:
    if point["prior_broaden"] + point["prior_coerce"] > 1:
        return -1
    batch = {k: np.array([x]) for k, x in point.items()}
    return int(claim_status(batch, prestrike=claim == "C12")[claim][0])


def _one_parameter(claims: list[str], base: dict[str, float]) -> dict[str, dict[str, Any]]:
    names = [p.name for p in PARAMETERS]
    grids = {name: sweep_grid(name, exact=True) for name in names}
    batch = {k: np.full(len(names) * N_GRID, x) for k, x in base.items()}
    for i, name in enumerate(names):
        batch[name][i * N_GRID : (i + 1) * N_GRID] = [float(g) for g in grids[name]]
    valid = batch["prior_broaden"] + batch["prior_coerce"] <= 1 + 1e-12
    codes = claim_status({k: a[valid] for k, a in batch.items()})
    index = np.flatnonzero(valid)
    found = {}
    for claim in claims:
        hits = [j for j in index[codes[claim] == REFUTED] if names[j // N_GRID] not in HELD.get(claim, ())]
        ranked = sorted(hits, key=lambda j: (_norm(names[j // N_GRID], float(batch[names[j // N_GRID]][j]), base), j))
        for j in ranked[:_CANDIDATES]:
            name, value = names[j // N_GRID], grids[names[j // N_GRID]][j % N_GRID]
            example = {name: str(value)}
            if _exact_code(claim, example) == REFUTED:
                found[claim] = {"example": example, "definitional": False, "stage": "one-parameter"}
                break
    return found


def _sparse(claim: str, point: dict[str, float], base: dict[str, float]) -> dict[str, float]:
    """Reset coordinates to the baseline, smallest change first, while the check stays refuted."""
    order = sorted((n for n in point if point[n] != base[n]), key=lambda n: _norm(n, point[n], base))
    for name in order:
        trial = {**point, name: base[name]}
        if _float_code(claim, trial) == REFUTED:
            point = trial
    return {n: x for n, x in point.items() if x != base[n]}


def _sobol(
    claims: list[str], base: dict[str, float], n: int, seed: int, held: tuple[str, ...] = ()
) -> dict[str, dict[str, Any]]:
    from scipy.stats import qmc

    names = [p.name for p in PARAMETERS]
    lo = np.array([float(p.low) for p in PARAMETERS])
    hi = np.array([float(p.high) for p in PARAMETERS])
    u = qmc.Sobol(d=len(names), scramble=True, seed=seed).random(n)
    x = lo + u * (hi - lo)
    for name in held:
        x[:, names.index(name)] = base[name]
    points = {name: x[:, i] for i, name in enumerate(names)}
    valid = points["prior_broaden"] + points["prior_coerce"] <= 1
    points = {k: a[valid] for k, a in points.items()}
    codes = claim_status(points, prestrike="C12" in claims)
    at = np.array([base[name] for name in names])
    distance = np.sqrt((((x[valid] - at) / (hi - lo)) ** 2).sum(axis=1))
    found = {}
    for claim in claims:
        for j in np.flatnonzero(codes[claim] == REFUTED)[np.argsort(distance[codes[claim] == REFUTED], kind="stable")][
            :_CANDIDATES
        ]:
            changed = _sparse(claim, {k: float(a[j]) for k, a in points.items()}, base)
            for digits in (3, 6):
                example = {}
                for name, value in changed.items():
                    p = PARAMETERS[name]
                    example[name] = _text(min(max(value, float(p.low)), float(p.high)), digits)
                if _exact_code(claim, example) == REFUTED:
                    found[claim] = {"example": example, "definitional": False, "stage": "sobol"}
                    break
            if claim in found:
                break
    return found


def search_refutations(n_sobol: int = SOBOL_POINTS, seed: int = SEED) -> dict[str, dict[str, Any]]:
    """Run the search of the module docstring; an entry per claim (C12 skipped while its game is pending)."""
    base = {k: float(x) for k, x in values_for().items()}
    claims = [c for c in CLAIMS if c != "C12" or prestrike_module() is not None]
    found = _one_parameter(claims, base)
    for held in sorted({HELD.get(c, ()) for c in claims if c not in found}):
        group = [c for c in claims if c not in found and HELD.get(c, ()) == held]
        found.update(_sobol(group, base, n_sobol, seed, held))
    rest = [c for c in claims if c not in found and c in HELD]
    if rest:  # nothing refutes them with their held parameters at the baseline: free them
        found.update(_sobol(rest, base, n_sobol, seed))
    tried = f"{len(PARAMETERS)} parameters x {N_GRID} points alone and {n_sobol} Sobol points of the box (seed {seed})"
    out = {}
    for claim in CLAIMS:
        if claim in found:
            out[claim] = found[claim]
        elif claim in claims:
            out[claim] = {
                "example": None,
                "definitional": True,
                "why": f"no calibration in the stated ranges refutes this check ({tried})",
            }
        else:
            out[claim] = {"example": None, "definitional": False, "note": "pre-strike game pending"}
    return out


def write_store(entries: dict[str, dict[str, Any]], n_sobol: int = SOBOL_POINTS, seed: int = SEED) -> Path:
    """Write ``entries`` to :data:`STORE` with the baseline and the search settings."""
    from deterrence.io.atomic import atomic_write

    doc = {
        "note": "Refuting examples of the claim checks: changes to the baseline, as deterrence audit --set takes "
        "them. Inputs, not results; rewrite with python -m games.iran_pakistan.refutations.",
        "baseline": {k: str(Fraction(x)) for k, x in values_for().items()},
        "search": {"grid_points": N_GRID, "sobol_points": n_sobol, "seed": seed},
        "claims": entries,
    }
    atomic_write(STORE, json.dumps(doc, indent=2) + "\n")
    stored_refutations.cache_clear()
    return STORE


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    print(write_store(search_refutations()))
