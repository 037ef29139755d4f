"""A result's ``plot``: a figure function of :mod:`deterrence.plotting.figures`, imported on first use.

Result classes (regime maps, branch diagrams, sensitivity tables) draw themselves through
:func:`drawer`, so that the modules defining them never import the plotting code up front.

Examples
--------
>>> draw = drawer("tornado")
>>> print(draw.__name__)
tornado
>>> print(draw.__doc__)
Draw with :func:`deterrence.plotting.tornado`; returns the Axes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["drawer"]


def drawer(name: str) -> Callable[..., Any]:
    """``plot(result, ax=None, **kwargs) -> Axes`` drawing with ``deterrence.plotting.figures.<name>``.

    Usable as a method (``plot = drawer("branch_diagram")`` in a class body) or as a plain function.
    """

    def plot(result: Any, ax: Any = None, **kwargs: Any) -> Any:
        from deterrence.plotting import figures

        return getattr(figures, name)(result, ax=ax, **kwargs)

    plot.__name__ = plot.__qualname__ = name
    plot.__doc__ = f"Draw with :func:`deterrence.plotting.{name}`; returns the Axes."
    return plot
