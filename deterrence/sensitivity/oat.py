"""One-at-a-time swings of a measure: the bars of a tornado chart.

**One-at-a-time swings** vary each input over its range, the others at the
baseline, and report the lowest and highest output: the bars of a tornado
chart.

A parameter in a simplex group (``simplex=``: members whose sum must stay at most 1) swings
only up to what the other members leave at the baseline
(:func:`deterrence.sweeps.simplex.oat_bounds`); the table's ``high`` says where it stopped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.plotting.lazy import drawer
from deterrence.sensitivity.base import Function, Method, box, frame_rows, outputs, runner

__all__ = ["METHOD", "SwingTable", "oat_swing"]


@dataclass(frozen=True, eq=False)
class SwingTable:
    """One-at-a-time swings: for each parameter the output at its low and high end and its range."""

    method: ClassVar[str] = "oat"

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    output_low: np.ndarray
    output_high: np.ndarray
    output_min: np.ndarray
    output_max: np.ndarray
    baseline_output: float
    baseline: dict[str, float]
    measure: str = ""

    @property
    def swing(self) -> np.ndarray:
        """``output_max - output_min`` for each parameter."""
        return self.output_max - self.output_min

    def order(self) -> np.ndarray:
        """Parameter indices from the largest swing to the smallest (stable)."""
        return np.argsort(-self.swing, kind="stable")

    def to_frame(self) -> Any:
        """One row per parameter, largest swing first."""
        rows = [
            {
                "parameter": self.names[i],
                "low": float(self.low[i]),
                "high": float(self.high[i]),
                "baseline": float(self.baseline[self.names[i]]),
                "output_low": float(self.output_low[i]),
                "output_high": float(self.output_high[i]),
                "output_min": float(self.output_min[i]),
                "output_max": float(self.output_max[i]),
                "swing": float(self.swing[i]),
                "baseline_output": self.baseline_output,
                "measure": self.measure,
                "method": "oat",
            }
            for i in self.order()
        ]
        return frame_rows(rows)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Tornado chart (:func:`deterrence.plotting.tornado`)."""
        return METHOD.plot(self, ax=ax, **kwargs)


def oat_swing(
    function: Function,
    bounds: Mapping[str, Sequence[float]],
    baseline: Mapping[str, float],
    *,
    n: int = 5,
    measure: str = "",
    simplex: Sequence[Sequence[str]] = (),
) -> SwingTable:
    """Vary each input over ``n`` values of its range, the others at ``baseline``: the swings.

    Examples
    --------
    >>> box, base = {"a": (0, 1), "b": (0, 1)}, {"a": 0.5, "b": 0.5}
    >>> t = oat_swing(lambda p: p["a"] - 3 * p["b"], box, base)
    >>> t.to_frame()[["parameter", "swing"]].values.tolist()
    [['b', 3.0], ['a', 1.0]]
    """
    from deterrence.sweeps.designs import one_at_a_time
    from deterrence.sweeps.simplex import oat_bounds

    if simplex:
        bounds = oat_bounds(bounds, baseline, simplex)
    names, low, high = box(bounds)
    if int(n) < 2:
        raise DeterrenceError(f"one-at-a-time swings need at least 2 values per parameter, got {n}")
    ranges = dict(zip(names, zip(low, high, strict=True), strict=True))
    design = one_at_a_time(ranges, baseline, n=int(n))
    points = design.chunk(0)
    x = np.stack([points[k] for k in names], axis=1)
    base = np.array([[float(baseline[k]) for k in names]])
    y = outputs(function, names, np.concatenate([x, base]), measure or "the output")
    per = y[:-1].reshape(len(names), int(n))
    return SwingTable(
        names,
        low,
        high,
        per[:, 0],
        per[:, -1],
        per.min(axis=1),
        per.max(axis=1),
        float(y[-1]),
        {k: float(baseline[k]) for k in names},
        measure,
    )


METHOD = Method(
    "oat",
    runner(oat_swing, seeded=False),
    drawer("tornado"),
    default_n=5,
    n_help="values per parameter (default 5)",
    summary="one-at-a-time swings for a tornado chart; --n values per parameter.",
    random=False,
)
