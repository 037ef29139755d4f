"""Sobol' indices of a measure: first-order and total effects with bootstrap intervals.

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

**Simplex groups.**  Inputs whose sum must stay at most 1 (``simplex=``, a model's
:attr:`~deterrence.model.Model.simplex`) are drawn on their box and mapped onto the simplex
member by member (:func:`deterrence.sweeps.simplex.to_simplex`).  The inputs stay
independent, so the indices are well defined; the index of a group's first member is that of
the parameter itself, the index of a later member that of its share of the room the earlier
members leave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.plotting.lazy import drawer
from deterrence.sensitivity.base import Function, Method, box, frame_rows, outputs, runner

__all__ = ["METHOD", "SobolResult", "sobol"]


@dataclass(frozen=True, eq=False)
class SobolResult:
    """Sobol' first and total indices with bootstrap confidence intervals."""

    method: ClassVar[str] = "sobol"

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
        return frame_rows(rows)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Bar chart with error bars (:func:`deterrence.plotting.sobol_bars`)."""
        return METHOD.plot(self, ax=ax, **kwargs)


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
    simplex: Sequence[Sequence[str]] = (),
    baseline: Mapping[str, Any] | None = None,
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
    simplex : sequence of tuple of str
        Groups of inputs whose sum must stay at most 1 (members not varied at ``baseline``).
    baseline : mapping, optional
        Values of the simplex members that are not varied.

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
    from scipy.stats import sobol_indices

    from deterrence.sweeps.designs import sample
    from deterrence.sweeps.simplex import simplex_groups

    names, low, high = box(bounds)
    groups = simplex_groups(simplex, dict(zip(names, zip(low, high, strict=True), strict=True)), baseline)
    n = int(n)
    if n < 2 or n & (n - 1):
        raise DeterrenceError(
            f"Sobol' analysis needs --n to be a power of two >= 2, got {n} "
            f"(try {1 << max(1, (max(n, 2) - 1).bit_length())})"
        )
    d = len(names)
    # The A and B matrices are the two halves of one scrambled Sobol' design in 2d dimensions.
    design = sample("sobol", {f"{m}:{k}": (0.0, 1.0) for m in "AB" for k in names}, n, seed=seed, chunk_size=n)
    base = design.unit_chunk(0)
    rng = np.random.default_rng(np.random.SeedSequence(design.seed, spawn_key=(1,)))
    a, b = base[:, :d], base[:, d:]
    ab = np.repeat(a[None], d, axis=0)
    ab[np.arange(d), :, np.arange(d)] = b.T  # A with column i taken from B
    unit = np.concatenate([a, b, ab.reshape(d * n, d)])
    y = outputs(function, names, low + unit * (high - low), measure or "the output", groups)
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
        design.seed,
        confidence_level,
        measure,
        len(y),
    )


METHOD = Method(
    "sobol",
    runner(sobol),
    drawer("sobol_bars"),
    default_n=1024,
    n_help="base sample (power of 2, default 1024)",
    summary="first-order and total Sobol' indices with bootstrap confidence intervals; "
    "--n is the base sample (a power of two), cost (d+2)*n model runs.",
)
