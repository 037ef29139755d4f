"""Sample designs over a model's parameters, generated lazily chunk by chunk.

A design is a list of :math:`N` points in the box
:math:`\\prod_j [\\ell_j, h_j]` of the varied parameters.  Points are produced
in fixed-size *chunks* (``chunk_size`` points, the last one shorter), so a
design of :math:`10^8` points never exists in memory at once.  Chunk
:math:`i` draws whatever randomness it needs from
``np.random.SeedSequence(seed, spawn_key=(i,))``; the chunk size belongs to
the design, not to the executor, so serial and parallel runs see the same
points.

Kinds
-----
``grid``
    Full factorial grid: ``levels[j]`` equally spaced values on each axis,
    the first parameter varying slowest (C order).  Point :math:`k` is
    ``numpy.unravel_index(k, levels)``.
``oat``
    One at a time around a baseline: for each parameter in turn,
    ``levels[0]`` equally spaced values over its range with the others held
    at the baseline.
``sobol``, ``halton``
    Scrambled low-discrepancy sequences from :mod:`scipy.stats.qmc`
    (Owen-scrambled Sobol' with Joe & Kuo 2008 directions; scrambled Halton).
    The scrambling is seeded from ``SeedSequence(seed)``; chunk :math:`i`
    calls ``fast_forward`` to its first index, so chunks are independent.
    Sobol' balance is best when :math:`N` is a power of two.
``lhs``
    Latin hypercube (McKay, Beckman & Conover 1979): each axis is cut into
    :math:`N` equal strata and every stratum holds exactly one point,
    :math:`u_{kj} = (\\pi_j(k) + U_{kj}) / N` with a random permutation
    :math:`\\pi_j` and uniform jitter :math:`U_{kj}`.  This is the sampler of
    ``scipy.stats.qmc.LatinHypercube``, except that :math:`\\pi_j` is a keyed
    Feistel bijection of :math:`\\{0,\\dots,N-1\\}` (cycle walking; Black &
    Rogaway 2002) evaluated point by point, so the design streams in
    :math:`O(\\text{chunk})` memory instead of drawing all :math:`N \\times d`
    values at once.
``morris``
    Morris (1991) trajectories: ``trajectories`` random walks of
    :math:`d + 1` points on a ``levels[0]``-level grid of the unit cube, each
    step moving one coordinate by :math:`\\Delta = p / (2(p - 1))`.

Simplex groups
--------------
Parameters whose sum must stay at most 1 (a model's :attr:`~deterrence.model.Model.simplex`,
such as two of three prior probabilities) are passed as ``simplex=`` groups: sampled designs
(``sobol``, ``halton``, ``lhs``, ``morris``) map their points onto the simplex member by member,
``oat`` cuts each member's range to what the others leave at the baseline, and a ``grid`` that
would leave the simplex is refused.  See :mod:`deterrence.sweeps.simplex`.

References
----------
McKay, Beckman & Conover (1979), Technometrics 21(2), 239-245.
Morris (1991), Technometrics 33(2), 161-174.
Black & Rogaway (2002), Ciphers with arbitrary finite domains, CT-RSA.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError, ParameterError
from deterrence.sweeps.samplers import lhs_keys, permute, sobol_engine, sobol_points
from deterrence.sweeps.simplex import SimplexGroup, check_grid, oat_bounds, simplex_groups, to_simplex

__all__ = [
    "Design",
    "DESIGN_KINDS",
    "DEFAULT_CHUNK_SIZE",
    "LARGE_CHUNK_SIZE",
    "grid",
    "one_at_a_time",
    "sample",
    "morris_design",
    "parse_range",
    "MAX_POINTS",
]

DESIGN_KINDS = ("grid", "oat", "lhs", "sobol", "halton", "morris")
#: Points per chunk: large enough to amortise the batched solvers, small enough to stream.
DEFAULT_CHUNK_SIZE = 1 << 16
#: Points per chunk of the command line's grid, one-at-a-time, Sobol' and Halton designs, whose
#: points do not depend on the chunking (fewer, larger chunks: less per-chunk file work).
LARGE_CHUNK_SIZE = 1 << 18
#: The largest design (points): indices stay exact in int64 and float64, and far beyond any run.
MAX_POINTS = 1 << 40
_SAMPLE_HINT = "sample the box instead (--sample sobol --n N)"


@dataclass(frozen=True, eq=False)
class Design:
    """A lazily generated list of points over some parameters.

    Build designs with :func:`grid`, :func:`one_at_a_time`, :func:`sample`
    or :func:`morris_design`.

    Attributes
    ----------
    kind : str
        One of :data:`DESIGN_KINDS`.
    names : tuple of str
        The varied parameters, in column order.
    bounds : tuple of (float, float)
        ``(low, high)`` of each varied parameter.
    size : int
        Number of points.
    seed : int or None
        Root seed (unused by ``grid`` and ``oat``).
    levels : tuple of int
        Grid points per axis (``grid``), values per parameter (``oat``) or
        grid levels (``morris``).
    baseline : tuple of float
        Baseline of each varied parameter (``oat``).
    chunk_size : int
        Points per chunk.
    simplex : tuple of SimplexGroup
        Groups of varied parameters whose sum must stay at most 1; sampled points are mapped onto
        them (:func:`deterrence.sweeps.simplex.to_simplex`).
    """

    kind: str
    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    size: int
    seed: int | None = None
    levels: tuple[int, ...] = ()
    baseline: tuple[float, ...] = ()
    chunk_size: int = DEFAULT_CHUNK_SIZE
    _morris: Any = field(default=None, repr=False)
    simplex: tuple[SimplexGroup, ...] = ()

    @property
    def n_chunks(self) -> int:
        """Number of chunks."""
        return -(-self.size // self.chunk_size)

    def chunk_range(self, index: int) -> tuple[int, int]:
        """``(start, stop)`` point indices of chunk ``index``."""
        if not 0 <= index < self.n_chunks:
            raise IndexError(f"chunk {index} out of range (design has {self.n_chunks})")
        start = index * self.chunk_size
        return start, min(start + self.chunk_size, self.size)

    def unit_chunk(self, index: int) -> np.ndarray:
        """Chunk ``index`` in unit coordinates, shape ``(count, d)`` in ``[0, 1]``."""
        start, stop = self.chunk_range(index)
        d = len(self.names)
        if self.kind == "grid":  # levels from each point's indices: O(chunk) memory, whatever the axes
            idx = np.unravel_index(np.arange(start, stop), self.levels)
            values = [_levels(n, i) for n, i in zip(self.levels, idx, strict=True)]
            return np.stack(values, axis=1).reshape(-1, d)
        if self.kind == "oat":
            per = self.levels[0]
            k = np.arange(start, stop)
            unit = np.tile(np.asarray(self._unit_baseline()), (stop - start, 1))
            unit[np.arange(stop - start), k // per] = _levels(per, k % per)
            return unit
        if self.kind in ("sobol", "halton"):
            from scipy.stats import qmc

            if self.kind == "sobol":
                return sobol_points(sobol_engine(self.seed, d, 30 if self.size <= 1 << 30 else 64), start, stop)
            rng = np.random.default_rng(np.random.SeedSequence(self.seed))
            engine = qmc.Halton(d, scramble=True, rng=rng)
            engine.num_generated = start  # Halton points are computed from their index directly
            return engine.random(stop - start)
        if self.kind == "lhs":
            rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(index,)))
            keys = lhs_keys(self.seed, d)
            k = np.arange(start, stop, dtype=np.uint64)
            strata = np.stack([permute(k, self.size, keys[j]) for j in range(d)], axis=1)
            return (strata + rng.random((stop - start, d))) / self.size
        if self.kind == "morris":
            return self._morris[start:stop]
        raise DeterrenceError(f"unknown design kind {self.kind!r}")

    def chunk(self, index: int) -> dict[str, np.ndarray]:
        """Chunk ``index`` as ``{name: values}`` in parameter units."""
        if self.kind == "grid":
            return self._grid_chunk(index)
        unit = self.unit_chunk(index)
        low = np.array([b[0] for b in self.bounds])
        high = np.array([b[1] for b in self.bounds])
        values = low + unit * (high - low)
        if self.kind in ("grid", "oat", "morris"):  # land exactly on the bounds and the baseline
            values = np.where(unit == 0.0, low, np.where(unit == 1.0, high, values))
        if self.kind == "oat":
            base = np.asarray(self.baseline, dtype=np.float64)
            values = np.where(unit == np.asarray(self._unit_baseline()), base, values)
        out = {name: np.ascontiguousarray(values[:, j]) for j, name in enumerate(self.names)}
        if self.simplex and self.kind in ("sobol", "halton", "lhs", "morris"):
            out = to_simplex(out, self.simplex)
        return out

    def _grid_chunk(self, index: int) -> dict[str, np.ndarray]:
        """A grid chunk: each axis's values computed once, bit for bit as :meth:`unit_chunk` then the
        scaling would, and picked by each point's index on the axis (long axes: at the points only)."""
        start, stop = self.chunk_range(index)
        k = np.arange(start, stop, dtype=np.int64)
        out = {}
        stride = 1
        for j in reversed(range(len(self.names))):  # C order: the last axis varies fastest
            n = self.levels[j]
            low, high = (np.float64(b) for b in self.bounds[j])
            at = k % n if stride == 1 else (k // stride) % n
            few = n <= len(k)
            unit = _levels(n, np.arange(n) if few else at)
            values = np.where(unit == 0.0, low, np.where(unit == 1.0, high, low + unit * (high - low)))
            out[self.names[j]] = values[at] if few else values
            stride *= n
        return {name: out[name] for name in self.names}

    def _unit_baseline(self) -> list[float]:
        return [
            (b - lo) / (hi - lo) if hi > lo else 0.0 for b, (lo, hi) in zip(self.baseline, self.bounds, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description, recorded in sidecars and sweep manifests."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "names": list(self.names),
            "bounds": {n: [float(lo), float(hi)] for n, (lo, hi) in zip(self.names, self.bounds, strict=True)},
            "size": int(self.size),
            "seed": self.seed,
            "chunk_size": int(self.chunk_size),
        }
        if self.levels:
            out["levels"] = [int(v) for v in self.levels]
        if self.baseline:
            out["baseline"] = {n: float(v) for n, v in zip(self.names, self.baseline, strict=True)}
        if self.kind == "morris":
            out["trajectories"] = self.size // (len(self.names) + 1)
        if self.simplex:
            out["simplex"] = [g.to_dict() for g in self.simplex]
        return out


def _levels(n: int, index: np.ndarray) -> np.ndarray:
    """Values ``index`` of ``numpy.linspace(0, 1, n)``, bit for bit, without building the axis."""
    index = np.asarray(index)
    if n <= 1:
        return np.zeros(index.shape)
    values = index * (1.0 / (n - 1))  # what linspace computes (step = 1 / (n - 1)), then the end exactly
    return np.where(index == n - 1, 1.0, values)


def _check_size(size: int, what: str, hint: str) -> int:
    """``size`` (a Python int: no wrap-around) if at most :data:`MAX_POINTS`, else a one-line error."""
    if size > MAX_POINTS:
        raise DeterrenceError(f"{what} has {size:,} points, more than the {MAX_POINTS:,} a sweep allows; {hint}")
    return size


def _check_box(names: Sequence[str], bounds: Sequence[Sequence[float]]) -> tuple[tuple[float, float], ...]:
    if len(names) == 0:
        raise DeterrenceError("a design needs at least one parameter to vary")
    if len(set(names)) != len(names):
        raise DeterrenceError(f"a parameter is varied twice: {list(names)}")
    if len(bounds) != len(names):
        raise DeterrenceError(f"{len(names)} names but {len(bounds)} bounds")
    out = []
    for name, (low, high) in zip(names, bounds, strict=True):
        low, high = float(low), float(high)
        if not (np.isfinite(low) and np.isfinite(high)):
            raise DeterrenceError(f"bounds of {name!r} must be finite, got {low}:{high}")
        if low > high:
            raise DeterrenceError(f"bounds of {name!r}: low {low:g} is above high {high:g}")
        out.append((low, high))
    return tuple(out)


def _check_count(n: Any, what: str) -> int:
    if isinstance(n, bool) or int(n) != n or int(n) < 1:
        raise DeterrenceError(f"{what} must be a whole number >= 1, got {n!r}")
    return int(n)


def grid(
    axes: Mapping[str, tuple[float, float, int]],
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    seed: int | None = None,
    *,
    simplex: Sequence[Sequence[str]] = (),
    baseline: Mapping[str, Any] | None = None,
) -> Design:
    """A full factorial grid from ``{name: (low, high, n)}``.

    A grid whose corner leaves a ``simplex`` group (members not on an axis at ``baseline``) is refused.

    Examples
    --------
    >>> d = grid({"a": (0, 1, 3), "b": (10, 20, 2)})
    >>> d.size
    6
    >>> pts = d.chunk(0)
    >>> print(pts["a"].tolist(), pts["b"].tolist())
    [0.0, 0.0, 0.5, 0.5, 1.0, 1.0] [10.0, 20.0, 10.0, 20.0, 10.0, 20.0]
    """
    names = tuple(axes)
    bounds = _check_box(names, [(v[0], v[1]) for v in axes.values()])
    check_grid(axes, baseline or {}, simplex)
    levels = tuple(_check_count(v[2], f"number of grid points for {n!r}") for n, v in axes.items())
    for name, (low, high), n in zip(names, bounds, levels, strict=True):
        if n > 1 and low == high:
            raise DeterrenceError(f"grid for {name!r} has {n} points but low == high == {low:g}")
    # A grid draws nothing at random; a seed given is only recorded, with the run.
    size = _check_size(
        math.prod(levels), "the grid" + (" " + " x ".join(f"{n:,}" for n in levels)) * (len(levels) > 1), _SAMPLE_HINT
    )
    return Design(
        "grid",
        names,
        bounds,
        size,
        None if seed is None else _check_seed(seed),
        levels,
        chunk_size=_check_count(chunk_size, "chunk size"),
    )


def one_at_a_time(
    bounds: Mapping[str, tuple[float, float]],
    baseline: Mapping[str, float],
    n: int = 2,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    seed: int | None = None,
    *,
    simplex: Sequence[Sequence[str]] = (),
) -> Design:
    """Vary each parameter over ``n`` equally spaced values, the others at ``baseline``.

    A member of a ``simplex`` group varies up to what the others leave at the baseline.

    Examples
    --------
    >>> d = one_at_a_time({"a": (0, 1), "b": (0, 4)}, {"a": 0.5, "b": 1.0}, n=2)
    >>> pts = d.chunk(0)
    >>> print(pts["a"].tolist(), pts["b"].tolist())
    [0.0, 1.0, 0.5, 0.5] [1.0, 1.0, 0.0, 4.0]
    """
    names = tuple(bounds)
    box = _check_box(names, list(bounds.values()))
    if simplex:
        box = tuple(oat_bounds(dict(zip(names, box, strict=True)), baseline, simplex).values())
    n = _check_count(n, "number of values per parameter")
    base = []
    for name, (low, high) in zip(names, box, strict=True):
        if name not in baseline:
            raise DeterrenceError(f"no baseline value for {name!r}")
        value = float(baseline[name])
        if not low <= value <= high:
            raise DeterrenceError(f"baseline {name}={value:g} is outside [{low:g}, {high:g}]")
        base.append(value)
    size = _check_size(len(names) * n, f"a one-at-a-time design of {n:,} values per parameter", _SAMPLE_HINT)
    return Design(
        "oat",
        names,
        box,
        size,
        None if seed is None else _check_seed(seed),
        (n,),
        tuple(base),
        chunk_size=_check_count(chunk_size, "chunk size"),
    )


def sample(
    kind: str,
    bounds: Mapping[str, tuple[float, float]],
    n: int,
    seed: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    simplex: Sequence[Sequence[str]] = (),
    baseline: Mapping[str, Any] | None = None,
) -> Design:
    """A random or quasi-random sample of ``n`` points (``kind``: lhs, sobol or halton).

    Points are mapped onto each ``simplex`` group (members not varied at ``baseline``).

    Examples
    --------
    >>> d = sample("lhs", {"a": (0, 1)}, 4, seed=1)
    >>> sorted(int(v * 4) for v in d.chunk(0)["a"])   # one point per stratum
    [0, 1, 2, 3]
    """
    if kind not in ("lhs", "sobol", "halton"):
        raise DeterrenceError(f"unknown sample kind {kind!r}; choose lhs, sobol or halton")
    names = tuple(bounds)
    box = _check_box(names, list(bounds.values()))
    n = _check_size(_check_count(n, "sample size --n"), f"a {kind} sample", "choose a smaller --n")
    groups = simplex_groups(simplex, dict(zip(names, box, strict=True)), baseline)
    return Design(
        kind, names, box, n, _check_seed(seed), chunk_size=_check_count(chunk_size, "chunk size"), simplex=groups
    )


def morris_design(
    bounds: Mapping[str, tuple[float, float]],
    trajectories: int,
    levels: int = 4,
    seed: int | None = None,
    *,
    simplex: Sequence[Sequence[str]] = (),
    baseline: Mapping[str, Any] | None = None,
) -> Design:
    """Morris (1991) one-step-at-a-time trajectories, ``trajectories * (d + 1)`` points.

    :meth:`Design.chunk` maps the points onto each ``simplex`` group; the steps stay one input at a time.

    Examples
    --------
    >>> d = morris_design({"a": (0, 1), "b": (0, 1)}, trajectories=2, seed=0)
    >>> u = d.unit_chunk(0)
    >>> print(u.shape, int((np.abs(np.diff(u[:3], axis=0)) > 0).sum()))
    (6, 2) 2
    """
    names = tuple(bounds)
    box = _check_box(names, list(bounds.values()))
    r = _check_count(trajectories, "number of Morris trajectories")
    p = _check_count(levels, "number of Morris levels")
    if p < 2 or p % 2:
        raise DeterrenceError(f"Morris levels must be an even number >= 2, got {p}")
    seed = _check_seed(seed)
    d = len(names)
    delta = p / (2 * (p - 1))
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    grid_levels = np.arange(p // 2) / (p - 1)  # starting levels x with x + delta <= 1
    walks = np.empty((r, d + 1, d))
    for t in range(r):
        low = rng.choice(grid_levels, size=d)
        up = rng.random(d) < 0.5  # orientation: start at the low or the high level
        point = np.where(up, low, low + delta)
        walks[t, 0] = point
        for step, j in enumerate(rng.permutation(d), start=1):
            point = point.copy()
            point[j] = low[j] + delta if up[j] else low[j]
            walks[t, step] = point
    unit = np.clip(walks.reshape(r * (d + 1), d), 0.0, 1.0)
    groups = simplex_groups(simplex, dict(zip(names, box, strict=True)), baseline)
    return Design(
        "morris", names, box, r * (d + 1), seed, (p,), chunk_size=max(1, r * (d + 1)), _morris=unit, simplex=groups
    )


def _check_seed(seed: Any) -> int:
    if seed is None:  # draw one now and record it, so every chunk sees the same root seed
        import secrets

        return secrets.randbits(63)
    if isinstance(seed, bool) or int(seed) != seed or not 0 <= int(seed) < 1 << 63:
        raise DeterrenceError(f"seed must be a whole number from 0 to 2**63 - 1, got {seed!r}")
    return int(seed)


def parse_range(text: str, parameters: Any, with_count: bool = True) -> tuple[str, float, float, int]:
    """Parse ``NAME=LOW:HIGH:N`` (or ``NAME=LOW:HIGH``, ``NAME`` when ``with_count`` is False).

    Bounds default to the parameter's range and must lie inside it.

    Examples
    --------
    >>> from deterrence.parameters import Parameter, ParameterSet
    >>> ps = ParameterSet([Parameter("c", 1, 0, 10)])
    >>> parse_range("c=2:4:3", ps)
    ('c', 2.0, 4.0, 3)
    >>> parse_range("c", ps, with_count=False)
    ('c', 0.0, 10.0, 0)
    """
    name, sep, rest = str(text).partition("=")
    name = name.strip()
    parameter = parameters[name]  # unknown names raise ParameterError with a suggestion
    form = "NAME=LOW:HIGH:N" if with_count else "NAME or NAME=LOW:HIGH"
    if not sep:
        if with_count:
            raise ParameterError(f"--grid expects {form}, got {text!r}")
        return name, float(parameter.low), float(parameter.high), 0
    parts = [p.strip() for p in rest.split(":")]
    if len(parts) != (3 if with_count else 2) or not all(parts):
        raise ParameterError(f"expected {form}, got {text!r}")
    low, high = (float(parameter.validate(p)) for p in parts[:2])
    if low > high:
        raise ParameterError(f"{text!r}: low {low:g} is above high {high:g}")
    count = 0
    if with_count:
        try:
            count = int(parts[2])
        except ValueError:
            raise ParameterError(f"{text!r}: N must be a whole number, got {parts[2]!r}") from None
        if count < 1:
            raise ParameterError(f"{text!r}: N must be at least 1, got {count}")
    return name, low, high, count
