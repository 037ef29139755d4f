"""Helpers shared by the benchmark scripts (run as ``python benchmarks/NAME.py``).

The scripts import this module as ``_common``: Python puts the script's folder first on
``sys.path``.
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from importlib import metadata
from pathlib import Path
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


def write_results(path: Path, report: dict[str, Any], **dumps: Any) -> None:
    """Write ``report`` to ``path`` as indented JSON (``dumps`` go to :func:`json.dumps`), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, **dumps) + "\n")
    print(f"wrote {path}")


def version(name: str) -> str | None:
    """The installed version of package ``name``, or None when it is absent."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def timed(function: Any) -> tuple[float, Any]:
    """``(seconds, result)`` of one call of ``function()``."""
    start = time.perf_counter()
    out = function()
    return time.perf_counter() - start, out


def pygambit_tree_seconds(game: Any, solver: str) -> float | None:
    """Seconds for ``pygambit.nash.<solver>`` (e.g. ``lcp_solve``, ``lp_solve``) on a tree; None without pygambit.

    The tree goes through the project's ``.efg`` writer; pygambit 17 reads it with ``read_efg``,
    16.x with ``Game.read_game``.  On a tree pygambit runs its sequence-form algorithm.
    """
    try:
        import pygambit
    except ImportError:
        return None
    from deterrence.io.gambit import write_efg

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "tree.efg")
        write_efg(game, path)
        g = pygambit.read_efg(path) if hasattr(pygambit, "read_efg") else pygambit.Game.read_game(path)
        seconds, _ = timed(lambda: getattr(pygambit.nash, solver)(g, rational=False))
    return seconds
