"""Figures: regime maps, tornado and Sobol' bars, Morris plots, branch and belief diagrams.

Every function draws on a given matplotlib ``Axes`` (or a new one) and returns it; matplotlib is
imported inside the functions, so importing this package stays cheap.
"""

from deterrence.plotting.figures import (
    HATCHES,
    PALETTE,
    branch_diagram,
    draw_regime_map,
    morris_plot,
    regime_map,
    sobol_bars,
    tornado,
)

__all__ = [
    "HATCHES",
    "PALETTE",
    "branch_diagram",
    "draw_regime_map",
    "morris_plot",
    "regime_map",
    "sobol_bars",
    "tornado",
]
