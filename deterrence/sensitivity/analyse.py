"""Global and local sensitivity of an equilibrium measure to the model's parameters.

Let :math:`Y = f(X_1, \\dots, X_d)` be a numeric equilibrium output (the
probability that a player escalates, an expected payoff) with the inputs
independent and uniform on their ranges.

**Sobol' indices** (Sobol' 1993).  The first-order index
:math:`S_i = V[E(Y \\mid X_i)] / V(Y)` is the share of the variance of
:math:`Y` due to :math:`X_i` alone; the total index
:math:`S_{T_i} = E[V(Y \\mid X_{\\sim i})] / V(Y)` adds every interaction
involving :math:`X_i`.  With two independent scrambled Sobol' matrices
:math:`A, B` of :math:`n` rows and :math:`A_B^{(i)}` (column :math:`i` of
:math:`B` in :math:`A`), the estimators are Saltelli et al. (2010, Table 2 b
and f), as in :func:`scipy.stats.sobol_indices`:

.. math:: \\hat S_i = \\frac{\\tfrac1n \\sum_j f(B)_j\\,(f(A_B^{(i)})_j - f(A)_j)}{\\hat V}, \\qquad
          \\hat S_{T_i} = \\frac{\\tfrac1{2n} \\sum_j (f(A)_j - f(A_B^{(i)})_j)^2}{\\hat V}.

The point estimates come from :func:`scipy.stats.sobol_indices` (given the
model outputs).  Confidence intervals are percentile bootstrap intervals
over the :math:`n` rows, drawn from the run's seed so that they reproduce
(``SobolResult.bootstrap`` in scipy draws from an unseeded generator, and its
BCa jackknife costs :math:`O(n^2)`).
Cost: :math:`(d + 2) n` model evaluations, :math:`n` a power of two.

**Morris screening** (Morris 1991; Campolongo, Cariboni & Saltelli 2007).
Each trajectory moves one input at a time by :math:`\\Delta` (in units of
its range); the elementary effect is
:math:`EE_i = (f(x + \\Delta e_i) - f(x)) / \\Delta`.  Over :math:`r`
trajectories :math:`\\mu^* = \\operatorname{mean}|EE_i|` ranks importance and
:math:`\\sigma = \\operatorname{sd}(EE_i)` flags non-linearity or interaction.
Cost: :math:`r (d + 1)` evaluations.

**One-at-a-time swings** vary each input over its range, the others at the
baseline, and report the lowest and highest output: the bars of a tornado
chart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError

__all__ = [
    "SobolResult",
    "MorrisResult",
    "SwingTable",
    "sobol",
    "morris",
    "oat_swing",
    "model_function",
    "sensitivity",
    "METHODS",
]

METHODS = ("sobol", "morris", "oat")
Function = Callable[[Mapping[str, np.ndarray]], np.ndarray]


def _frame_rows(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class SobolResult:
    """Sobol' first and total indices with bootstrap confidence intervals."""

    names: tuple[str, ...]
    first: np.ndarray
    total: np.ndarray
    first_ci: np.ndarray  # (d, 2)
    total_ci: np.ndarray
    n: int
    seed: int | None
    confidence_level: float
    measure: str = ""
    evaluations: int = 0

    def to_frame(self) -> Any:
        """Tidy table: parameter, statistic (S1 or ST), value, ci_low, ci_high."""
        rows = [
            {
                "parameter": p,
                "statistic": s,
                "value": float(v[i]),
                "ci_low": float(c[i, 0]),
                "ci_high": float(c[i, 1]),
                "measure": self.measure,
                "method": "sobol",
                "n": self.n,
                "seed": self.seed,
            }
            for s, v, c in (("S1", self.first, self.first_ci), ("ST", self.total, self.total_ci))
            for i, p in enumerate(self.names)
        ]
        return _frame_rows(rows)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Bar chart with error bars (:func:`deterrence.plotting.sobol_bars`)."""
        from deterrence.plotting.figures import sobol_bars

        return sobol_bars(self, ax=ax, **kwargs)


@dataclass(frozen=True, eq=False)
class MorrisResult:
    """Morris elementary-effect statistics per parameter."""

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
        return _frame_rows(rows).sort_values("mu_star", ascending=False, kind="stable").reset_index(drop=True)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """mu* against sigma (:func:`deterrence.plotting.morris_plot`)."""
        from deterrence.plotting.figures import morris_plot

        return morris_plot(self, ax=ax, **kwargs)


@dataclass(frozen=True, eq=False)
class SwingTable:
    """One-at-a-time swings: for each parameter the output at its low and high end and its range."""

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
        return _frame_rows(rows)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Tornado chart (:func:`deterrence.plotting.tornado`)."""
        from deterrence.plotting.figures import tornado

        return tornado(self, ax=ax, **kwargs)


def _box(bounds: Mapping[str, Sequence[float]]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    names = tuple(bounds)
    if not names:
        raise DeterrenceError("sensitivity analysis needs at least one parameter to vary")
    low = np.array([float(bounds[n][0]) for n in names])
    high = np.array([float(bounds[n][1]) for n in names])
    bad = [
        n for n, lo, hi in zip(names, low, high, strict=True) if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi)
    ]
    if bad:
        raise DeterrenceError(f"parameter {bad[0]!r} needs a range with low < high to be varied")
    return names, low, high


def _outputs(function: Function, names: tuple[str, ...], x: np.ndarray, what: str) -> np.ndarray:
    y = np.asarray(function({n: x[:, j] for j, n in enumerate(names)}), dtype=np.float64).reshape(-1)
    if y.shape != (x.shape[0],):
        raise DeterrenceError(f"the function returned {y.shape[0]} values for {x.shape[0]} points")
    if not np.isfinite(y).all():
        raise DeterrenceError(
            f"{what} is undefined (NaN) at {int((~np.isfinite(y)).sum())} of {len(y)} "
            "points; choose a measure defined everywhere (e.g. another selection)"
        )
    return y


def _saltelli(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> np.ndarray:
    """``[S_1..S_d, S_T1..S_Td]`` as scipy computes them: outputs centred on their mean first
    (Sobol' & Levitan 1999), then Saltelli et al. (2010, Table 2 b) and Jansen (1999, Table 2 f)."""
    both = np.concatenate([f_a, f_b], axis=-1)
    mean = both.mean(axis=-1, keepdims=True)
    f_a, f_b, f_ab = f_a - mean, f_b - mean, f_ab - mean[..., None, :]
    var = np.var(both, axis=-1)
    first = np.mean(f_b[..., None, :] * (f_ab - f_a[..., None, :]), axis=-1) / var[..., None]
    total = 0.5 * np.mean((f_a[..., None, :] - f_ab) ** 2, axis=-1) / var[..., None]
    return np.concatenate([first, total], axis=-1)


def _bootstrap_ci(
    f_a: np.ndarray,
    f_b: np.ndarray,
    f_ab: np.ndarray,
    rng: np.random.Generator,
    n_resamples: int,
    confidence_level: float,
) -> np.ndarray:
    """Percentile bootstrap over the rows (Efron & Tibshirani 1993, ch. 13), in batches; (2d, 2)."""
    n = len(f_a)
    stats = []
    for start in range(0, n_resamples, 64):
        rows = rng.integers(0, n, size=(min(64, n_resamples - start), n))
        stats.append(_saltelli(f_a[rows], f_b[rows], np.moveaxis(f_ab[:, rows], 0, 1)))
    tail = (1 - confidence_level) / 2
    return np.quantile(np.concatenate(stats), [tail, 1 - tail], axis=0).T


def sobol(
    function: Function,
    bounds: Mapping[str, Sequence[float]],
    *,
    n: int = 1024,
    seed: int | None = None,
    confidence_level: float = 0.95,
    n_resamples: int = 999,
    measure: str = "",
) -> SobolResult:
    """Sobol' first and total indices of ``function`` over uniform inputs on ``bounds``.

    Parameters
    ----------
    function : callable
        ``function({name: values}) -> values``, vectorised over points.
    bounds : mapping
        ``{name: (low, high)}`` of the varied inputs.
    n : int
        Base sample size, a power of two; the cost is ``(d + 2) * n`` evaluations.
    seed : int, optional
        Seeds the scrambled Sobol' matrices and the bootstrap.
    confidence_level, n_resamples : float, int
        Of the percentile bootstrap intervals.
    measure : str
        Name recorded in the result.

    Returns
    -------
    SobolResult

    Examples
    --------
    For :math:`Y = X_1 + 2 X_2` on the unit square, :math:`S_1 = 1/5`,
    :math:`S_2 = 4/5` and there are no interactions:

    >>> res = sobol(lambda p: p["a"] + 2 * p["b"], {"a": (0, 1), "b": (0, 1)}, n=2048, seed=1,
    ...             n_resamples=100)
    >>> [round(float(v), 2) for v in res.first], [round(float(v), 2) for v in res.total]
    ([0.2, 0.8], [0.2, 0.8])
    """
    from scipy.stats import qmc, sobol_indices

    names, low, high = _box(bounds)
    n = int(n)
    if n < 2 or n & (n - 1):
        raise DeterrenceError(
            f"Sobol' analysis needs --n to be a power of two >= 2, got {n} "
            f"(try {1 << max(1, (max(n, 2) - 1).bit_length())})"
        )
    d = len(names)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    base = qmc.Sobol(2 * d, scramble=True, rng=rng).random_base2(n.bit_length() - 1)
    a, b = base[:, :d], base[:, d:]
    ab = np.repeat(a[None], d, axis=0)
    ab[np.arange(d), :, np.arange(d)] = b.T  # A with column i taken from B
    unit = np.concatenate([a, b, ab.reshape(d * n, d)])
    y = _outputs(function, names, low + unit * (high - low), measure or "the output")
    f_a, f_b, f_ab = y[:n], y[n : 2 * n], y[2 * n :].reshape(d, n)
    if np.var(np.concatenate([f_a, f_b])) == 0:
        raise DeterrenceError(f"{measure or 'the output'} is constant over these ranges; Sobol' indices are undefined")
    res = sobol_indices(func={"f_A": f_a[None], "f_B": f_b[None], "f_AB": f_ab[:, None, :]}, n=n)
    ci = _bootstrap_ci(f_a, f_b, f_ab, rng, int(n_resamples), confidence_level)
    return SobolResult(
        names,
        np.atleast_1d(res.first_order).astype(float),
        np.atleast_1d(res.total_order).astype(float),
        ci[:d],
        ci[d:],
        n,
        seed,
        confidence_level,
        measure,
        len(y),
    )


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

    names, low, high = _box(bounds)
    design = morris_design(dict(zip(names, zip(low, high, strict=True), strict=True)), trajectories, levels, seed)
    unit = design.unit_chunk(0)
    d, r = len(names), int(trajectories)
    y = _outputs(function, names, low + unit * (high - low), measure or "the output").reshape(r, d + 1)
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


def oat_swing(
    function: Function,
    bounds: Mapping[str, Sequence[float]],
    baseline: Mapping[str, float],
    *,
    n: int = 5,
    measure: str = "",
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

    names, low, high = _box(bounds)
    if int(n) < 2:
        raise DeterrenceError(f"one-at-a-time swings need at least 2 values per parameter, got {n}")
    box = dict(zip(names, zip(low, high, strict=True), strict=True))
    design = one_at_a_time(box, baseline, n=int(n))
    points = design.chunk(0)
    x = np.stack([points[k] for k in names], axis=1)
    base = np.array([[float(baseline[k]) for k in names]])
    y = _outputs(function, names, np.concatenate([x, base]), measure or "the output")
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


def model_function(
    model: Any,
    measure: str,
    *,
    baseline: Mapping[str, Any] | None = None,
    concept: str | None = None,
    executor: Any = None,
) -> Function:
    """``points -> measure`` for a model: others at ``baseline``, chunks through ``executor``.

    Raises
    ------
    DeterrenceError
        If ``measure`` is not a numeric column of the model's outcomes.
    """
    from deterrence.sweeps.run import evaluate_points

    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    first = next(iter(base), None)
    probe = evaluate_points(model, {first: [base[first]]} if first else {}, concept=concept, baseline=base)
    numeric = [
        k
        for k, v in probe.items()
        if k not in model.parameters and k != "outcome" and np.asarray(v).dtype.kind in "biuf"
    ]
    if measure not in numeric:
        raise DeterrenceError(
            f"unknown measure {measure!r} for model {model.slug!r}; numeric measures: {', '.join(numeric) or 'none'}"
        )

    def function(points: Mapping[str, np.ndarray]) -> np.ndarray:
        out = evaluate_points(model, points, concept=concept, baseline=base, executor=executor)
        return np.asarray(out[measure], dtype=np.float64)

    return function


def sensitivity(
    model: Any,
    measure: str,
    method: str = "sobol",
    *,
    names: Sequence[str] | None = None,
    bounds: Mapping[str, Sequence[float]] | None = None,
    n: int | None = None,
    seed: int | None = None,
    baseline: Mapping[str, Any] | None = None,
    concept: str | None = None,
    executor: Any = None,
) -> SobolResult | MorrisResult | SwingTable:
    """Sensitivity of a model's ``measure``: ``method`` is ``sobol``, ``morris`` or ``oat``.

    ``names`` (default: every parameter with a range) are varied over
    ``bounds`` (default: their own bounds).  ``n`` is the Sobol' base sample
    (default 1024), the number of Morris trajectories (default 20) or the
    values per parameter of the swings (default 5).
    """
    if method not in METHODS:
        raise DeterrenceError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if n is not None and int(n) < 1:
        raise DeterrenceError(f"--n must be at least 1, got {n}")
    function = model_function(model, measure, baseline=baseline, concept=concept, executor=executor)
    bounds = dict(bounds or {})
    names = list(names or bounds or [p.name for p in model.parameters if p.low < p.high])
    box = {k: tuple(bounds.get(k, model.parameters.bounds([k])[k])) for k in names}
    point = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    if method == "sobol":
        return sobol(function, box, n=n or 1024, seed=seed, measure=measure)
    if method == "morris":
        return morris(function, box, trajectories=n or 20, seed=seed, measure=measure)
    return oat_swing(function, box, point, n=n or 5, measure=measure)
