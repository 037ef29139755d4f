"""Check a threshold formula away from the baseline: does the outcome switch where it says?

A formula ``theta = f(others)`` can agree with the numeric root at the baseline by accident:
two different indifference conditions may vanish at the same point.  The check draws points
near the baseline (every other parameter moved uniformly within a fraction ``spread`` of its
range, clipped to its bounds), evaluates the formula there, and asks the model's own outcomes
whether the label changes across ``f(others) +/- h``.  A formula that does not track the switch
fails at points where the coincidence no longer holds.

Examples
--------
>>> import numpy as np
>>> def labels(points):  # the outcome switches at x = a + b
...     return np.where(points["x"] > points["a"] + points["b"], "up", "down")
>>> bounds = {"a": (0.0, 1.0), "b": (0.0, 1.0)}
>>> base = {"a": 0.5, "b": 0.5}
>>> local_switch_check(labels, "x", lambda p: p["a"] + p["b"], base, bounds, (-5.0, 5.0))
(20, 20)
>>> local_switch_check(labels, "x", lambda p: 2 * p["a"], base, bounds, (-5.0, 5.0))[0] < 20
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

__all__ = ["local_switch_check", "box_switch_share"]


def local_switch_check(
    labels: Callable[[dict[str, np.ndarray]], np.ndarray],
    parameter: str,
    formula: Callable[[dict[str, np.ndarray]], np.ndarray],
    base: Mapping[str, float],
    bounds: Mapping[str, tuple[float, float]],
    limits: tuple[float, float],
    n: int = 20,
    spread: float = 0.02,
    seed: int = 0,
) -> tuple[int, int]:
    """``(switches found, points checked)`` for ``formula`` at ``n`` random points near ``base``.

    Parameters
    ----------
    labels : callable
        ``labels(points) -> array`` of outcome labels; ``points`` maps every parameter to an array.
    parameter : str
        The parameter the threshold is stated for.
    formula : callable
        ``formula(points) -> array``: the threshold value of ``parameter`` at each point.
    base : mapping
        Baseline values of every parameter.
    bounds : mapping
        ``{name: (low, high)}`` of the other parameters.
    limits : (float, float)
        The scan range of ``parameter``; points whose threshold falls outside it are not checked.
    n, spread, seed : int, float, int
        Number of points, half-width of the neighbourhood as a fraction of each range, and the
        seed (fixed, so the check is reproducible).
    """
    rng = np.random.default_rng(seed)
    points = {}
    for name, value in base.items():
        if name == parameter:
            continue
        low, high = bounds[name]
        width = spread * (high - low)
        points[name] = np.clip(value + rng.uniform(-width, width, n), low, high)
    return _switches(labels, parameter, formula, points, n, limits)


def _switches(
    labels: Callable[[dict[str, np.ndarray]], np.ndarray],
    parameter: str,
    formula: Callable[[dict[str, np.ndarray]], np.ndarray],
    points: dict[str, np.ndarray],
    n: int,
    limits: tuple[float, float],
) -> tuple[int, int]:
    """``(switches, points where the formula lies inside limits)``: labels just below and above it."""
    with np.errstate(all="ignore"):
        at = np.broadcast_to(np.asarray(formula(points), dtype=np.float64), (n,))
    h = 1e-6 * np.maximum(1.0, np.abs(at))
    valid = np.isfinite(at) & (at - h > limits[0]) & (at + h < limits[1])
    if not valid.any():
        return 0, 0
    kept = {k: a[valid] for k, a in points.items()}
    below = np.asarray(labels({**kept, parameter: at[valid] - h[valid]}), dtype=object)
    above = np.asarray(labels({**kept, parameter: at[valid] + h[valid]}), dtype=object)
    return int(np.count_nonzero(below != above)), int(valid.sum())


def box_switch_share(
    labels: Callable[[dict[str, np.ndarray]], np.ndarray],
    parameter: str,
    formula: Callable[[dict[str, np.ndarray]], np.ndarray],
    base: Mapping[str, float],
    bounds: Mapping[str, tuple[float, float]],
    limits: tuple[float, float],
    n: int = 10_000,
    seed: int = 0,
) -> str:
    """Where in the whole box a formula tracks the switch: a sentence with the counts.

    The other parameters are drawn uniformly over their ranges (seeded); at each point where the
    formula's value lies inside ``limits``, the outcome is compared just below and above it.  A
    formula exact in one regime holds on the part of the box that shares it and nowhere else, so
    the share says how far the printed formula carries.

    Examples
    --------
    >>> import numpy as np
    >>> def labels(points):  # the switch is at x = a below a = 1/2, at x = 0 above
    ...     return np.where(points["x"] > np.where(points["a"] < 0.5, points["a"], 0.0), "up", "down")
    >>> text = box_switch_share(labels, "x", lambda p: p["a"], {"a": 0.2}, {"a": (0.0, 1.0)}, (-1.0, 2.0), n=1000)
    >>> print(text.split(" and ")[1])
    the outcome switches across it at 473 (47.3%)
    """
    rng = np.random.default_rng(seed)
    points = {
        name: rng.uniform(*bounds[name], n) if bounds[name][1] > bounds[name][0] else np.full(n, float(value))
        for name, value in base.items()
        if name != parameter
    }
    hits, tried = _switches(labels, parameter, formula, points, n, limits)
    if not tried:
        return f"over the whole box: at none of {n} random points does the formula lie in the scanned range"
    return (
        f"over the whole box: at {tried} of {n} random points the formula lies in the scanned range and the "
        f"outcome switches across it at {hits} ({hits / tried:.1%})"
    )
