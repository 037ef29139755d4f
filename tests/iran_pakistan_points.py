"""Random parameter points of the Iran-Pakistan case (exact ones and uniform batches), shared by its tests."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np

from games.iran_pakistan import PARAMETERS, values_for


def random_exact_point(rng: random.Random) -> dict:
    """A random exact point inside the bounds (a 41-level grid), with priors summing to at most one."""
    point = {}
    for p in PARAMETERS:
        lo, hi = Fraction(p.low), Fraction(p.high)
        point[p.name] = lo + (hi - lo) * Fraction(rng.randint(0, 40), 40)
    point["prior_coerce"] = min(point["prior_coerce"], 1 - point["prior_broaden"])
    return values_for(point)


def uniform_box(n: int, seed: int, shrink: float = 1.0, spare: int = 200) -> dict[str, np.ndarray]:
    """``n`` uniform float points of the box shrunk toward the baseline by ``shrink``, priors summing <= 1.

    ``2 * n + spare`` points are drawn per parameter and the first ``n`` inside the prior simplex kept.
    """
    base = values_for()
    rng = np.random.default_rng(seed)
    draw = 2 * n + spare
    points = {}
    for p in PARAMETERS:
        lo, hi, at = float(p.low), float(p.high), float(base[p.name])
        points[p.name] = rng.uniform(at + shrink * (lo - at), at + shrink * (hi - at), draw)
    keep = points["prior_broaden"] + points["prior_coerce"] <= 1
    return {k: a[keep][:n] for k, a in points.items()}
