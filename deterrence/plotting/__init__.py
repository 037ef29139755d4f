"""Figures: regime maps, tornado and Sobol' bars, Morris plots, branch and belief diagrams.

Every function draws on a given matplotlib ``Axes`` (or a new one) and returns it; matplotlib is
imported inside the functions, so importing this package stays cheap.

``draw_regime_map`` draws a map that :func:`deterrence.compute_regime_map` computed; its old name
``deterrence.plotting.regime_map`` still works for one release, with a :class:`DeprecationWarning`.
"""

import warnings
from typing import Any

from deterrence.plotting.figures import (
    HATCHES,
    PALETTE,
    branch_diagram,
    draw_regime_map,
    morris_plot,
    sobol_bars,
    tornado,
)

__all__ = [
    "HATCHES",
    "PALETTE",
    "branch_diagram",
    "draw_regime_map",
    "morris_plot",
    "sobol_bars",
    "tornado",
]


def __getattr__(name: str) -> Any:
    # ``regime_map``: the old name of draw_regime_map, kept for one release with a warning.
    if name == "regime_map":
        warnings.warn(
            "deterrence.plotting.regime_map is deprecated and will be removed: use draw_regime_map "
            "(deterrence.compute_regime_map computes a map)",
            DeprecationWarning,
            stacklevel=2,
        )
        return draw_regime_map
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
