"""Helpers shared by the benchmark scripts (run as ``python benchmarks/NAME.py``).

The scripts import this module as ``_common``: Python puts the script's folder first on
``sys.path``.
"""

from __future__ import annotations

import os
import platform
from typing import Any

import numpy as np

VARIED = ("china_mediation", "face_cost_calibrated", "precedent_loss", "iran_overstretch")
"""The four Iran-Pakistan parameters the sweep and QRE benchmarks vary over their ranges."""


def ip_points(size: int, seed: int) -> dict[str, np.ndarray]:
    """``size`` Iran-Pakistan parameter points: defaults, with :data:`VARIED` drawn uniformly."""
    from games.iran_pakistan.parameters import PARAMETERS

    rng = np.random.default_rng(seed)
    points = {p.name: np.full(size, float(p.default)) for p in PARAMETERS}
    for name in VARIED:
        p = PARAMETERS[name]
        points[name] = rng.uniform(float(p.low), float(p.high), size)
    return points


def machine() -> dict[str, Any]:
    """Python, numpy and scipy versions, CPU count, platform and load average, for the results file."""
    import scipy

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "load_average_at_start": list(os.getloadavg()),
    }
