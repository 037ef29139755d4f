"""Morris screening of a measure: elementary effects along one-at-a-time trajectories.

Let :math:`Y = f(X_1, \\dots, X_d)` be a numeric equilibrium output (the
probability that a player escalates, an expected payoff) with the inputs
independent and uniform on their ranges.

**Morris screening** (Morris 1991; Campolongo, Cariboni & Saltelli 2007).
Each trajectory moves one input at a time by :math:`\\Delta` (in units of
its range); the elementary effect is
:math:`EE_i = (f(x + \\Delta e_i) - f(x)) / \\Delta`.  Over :math:`r`
trajectories :math:`\\mu^* = \\operatorname{mean}|EE_i|` ranks importance and
:math:`\\sigma = \\operatorname{sd}(EE_i)` flags non-linearity or interaction.
Cost: :math:`r (d + 1)` evaluations.

Inputs in a simplex group (``simplex=``) move on their box and are mapped onto the simplex
(:func:`deterrence.sweeps.simplex.to_simplex`); the effects are per unit of the input, which
for a group's later members is their share of the room the earlier ones leave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from deterrence.plotting.lazy import drawer
from deterrence.sensitivity.base import Function, Method, box, frame_rows, outputs, runner

__all__ = ["METHOD", "MorrisResult", "morris"]


@dataclass(frozen=True, eq=False)
class MorrisResult:
    """Morris elementary-effect statistics per parameter."""

    method: ClassVar[str] = "morris"

    names: tuple[str, ...]
    mu: np.ndarray
    mu_star: np.ndarray
    sigma: np.ndarray
    mu_star_ci: np.ndarray  # (d, 2)
    trajectories: int
    levels: int
    seed: int | None
    measure: str = ""
    effects: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)  # (r, d)

    def to_frame(self) -> Any:
        """One row per parameter: mu, mu_star (with CI), sigma; sorted by mu_star."""
        rows = [
            {
                "parameter": p,
                "mu": float(self.mu[i]),
                "mu_star": float(self.mu_star[i]),
                "mu_star_ci_low": float(self.mu_star_ci[i, 0]),
                "mu_star_ci_high": float(self.mu_star_ci[i, 1]),
                "sigma": float(self.sigma[i]),
                "measure": self.measure,
                "method": "morris",
                "trajectories": self.trajectories,
                "seed": self.seed,
            }
            for i, p in enumerate(self.names)
        ]
        return frame_rows(rows).sort_values("mu_star", ascending=False, kind="stable").reset_index(drop=True)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """mu* against sigma (:func:`deterrence.plotting.morris_plot`)."""
        return METHOD.plot(self, ax=ax, **kwargs)


def morris(
    function: Function,
    bounds: Mapping[str, Sequence[float]],
    *,
    trajectories: int = 20,
    levels: int = 4,
    seed: int | None = None,
    confidence_level: float = 0.95,
    n_resamples: int = 1000,
    measure: str = "",
    simplex: Sequence[Sequence[str]] = (),
    baseline: Mapping[str, Any] | None = None,
) -> MorrisResult:
    """Morris elementary effects of ``function`` over ``bounds``.

    Effects are per unit of the scaled input (the range mapped to [0, 1]),
    so parameters with different units compare directly.  The CI of
    :math:`\\mu^*` is a percentile bootstrap over trajectories.

    Examples
    --------
    A linear function has constant effects: slope times range, sigma zero.

    >>> box = {"a": (0, 2), "b": (0, 1)}
    >>> res = morris(lambda p: 3 * p["a"] - p["b"], box, trajectories=5, seed=0)
    >>> [round(float(v), 9) for v in res.mu], [round(float(v), 9) for v in res.sigma]
    ([6.0, -1.0], [0.0, 0.0])
    """
    from deterrence.sweeps.designs import morris_design

    names, low, high = box(bounds)
    ranges = dict(zip(names, zip(low, high, strict=True), strict=True))
    design = morris_design(ranges, trajectories, levels, seed, simplex=simplex, baseline=baseline)
    unit = design.unit_chunk(0)
    d, r = len(names), int(trajectories)
    y = outputs(function, names, low + unit * (high - low), measure or "the output", design.simplex)
    y = y.reshape(r, d + 1)
    steps = np.diff(unit.reshape(r, d + 1, d), axis=1)  # (r, d, d): one non-zero entry per step
    moved = np.abs(steps).argmax(axis=2)
    delta = np.take_along_axis(steps, moved[..., None], axis=2)[..., 0]
    effects = np.empty((r, d))
    effects[np.arange(r)[:, None], moved] = np.diff(y, axis=1) / delta
    rng = np.random.default_rng(np.random.SeedSequence(design.seed, spawn_key=(1,)))
    resampled = np.abs(effects)[rng.integers(0, r, size=(int(n_resamples), r))].mean(axis=1)
    tail = (1 - confidence_level) / 2
    ci = np.quantile(resampled, [tail, 1 - tail], axis=0).T
    return MorrisResult(
        names,
        effects.mean(axis=0),
        np.abs(effects).mean(axis=0),
        effects.std(axis=0, ddof=1) if r > 1 else np.zeros(d),
        ci,
        r,
        int(levels),
        design.seed,
        measure,
        effects,
    )


METHOD = Method(
    "morris",
    runner(morris, size="trajectories"),
    drawer("morris_plot"),
    default_n=20,
    n_help="trajectories (default 20)",
    summary="elementary-effects screening, mu* and sigma; --n trajectories.",
)
