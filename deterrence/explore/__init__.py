"""A static page for teaching: sliders over a precomputed grid, the game, its regime map and claims.

:func:`~deterrence.explore.data.explorer_data` computes the grid (the sweep engine's batched
outcomes plus one solve per point); :func:`~deterrence.explore.page.render_page` turns it into
one self-contained HTML file (inline script and style, the data embedded) that works when
opened from disk; :func:`~deterrence.explore.page.write_explorer` writes ``index.html`` and
``explore.json`` into a folder.  ``deterrence explore SLUG -o DIR`` is the command line.
"""

from __future__ import annotations

from deterrence.explore.data import MAX_GRID_POINTS, choose_parameters, explorer_data
from deterrence.explore.page import render_page, write_explorer

__all__ = ["MAX_GRID_POINTS", "choose_parameters", "explorer_data", "render_page", "write_explorer"]
