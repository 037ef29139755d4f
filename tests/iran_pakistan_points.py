"""Random exact parameter points of the Iran-Pakistan case, shared by its tests."""

from __future__ import annotations

import random
from fractions import Fraction

from games.iran_pakistan import PARAMETERS, values_for


def random_exact_point(rng: random.Random) -> dict:
    """A random exact point inside the bounds (a 41-level grid), with priors summing to at most one."""
    point = {}
    for p in PARAMETERS:
        lo, hi = Fraction(p.low), Fraction(p.high)
        point[p.name] = lo + (hi - lo) * Fraction(rng.randint(0, 40), 40)
    point["prior_coerce"] = min(point["prior_coerce"], 1 - point["prior_broaden"])
    return values_for(point)
