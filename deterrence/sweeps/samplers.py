"""Point generators that stream: Sobol' points from their index, a Latin hypercube without storage.

Both let chunk :math:`i` of a design be computed on its own, in :math:`O(\\text{chunk})` memory:

* :func:`sobol_points` evaluates points ``start..stop-1`` of a scrambled Sobol' sequence from
  their index (Gray code; Antonov & Saleev 1979) instead of stepping through every earlier one;
* :func:`permute` is a keyed bijection of :math:`\\{0,\\dots,N-1\\}` (a Feistel network with
  cycle walking; Black & Rogaway 2002), the stratum permutation of a streaming Latin hypercube.

This is the one place the toolkit draws Sobol' points: sensitivity analysis takes its A and B
matrices from a :func:`~deterrence.sweeps.designs.sample` design.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np

__all__ = ["lhs_keys", "permute", "sobol_engine", "sobol_points"]


@functools.lru_cache(maxsize=8)
def sobol_engine(seed: int | None, d: int, bits: int) -> Any:
    """The scrambled engine of a design (scrambling costs more than a chunk; reuse it)."""
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence(seed))
    return qmc.Sobol(d, scramble=True, bits=bits, rng=rng)


def sobol_points(engine: Any, start: int, stop: int) -> np.ndarray:
    """Points ``start..stop-1`` of a (scrambled) scipy Sobol' engine, computed from their index.

    scipy's ``fast_forward`` steps through every skipped point, which makes
    late chunks of a long design slow; in Gray-code order point ``k`` is the
    digital shift XOR the direction numbers of the set bits of ``k ^ (k >> 1)``
    (Antonov & Saleev 1979), which is what this evaluates.  The engine's
    scrambled direction numbers are private attributes; without them we fall
    back to ``fast_forward``.  The tests compare both.
    """
    sv, shift = getattr(engine, "_sv", None), getattr(engine, "_shift", None)
    if sv is None or shift is None:  # pragma: no cover - other scipy versions
        import copy

        engine = copy.deepcopy(engine)  # the engine is cached: do not advance the shared one
        if start:
            engine.fast_forward(start)
        with warnings.catch_warnings():  # balance is a property of the whole design
            warnings.simplefilter("ignore", UserWarning)
            return engine.random(stop - start)
    v = sv.T.astype(np.uint64)  # (bits, d)
    first = shift.astype(np.uint64).copy()
    gray = start ^ (start >> 1)
    for b in range(int(engine.bits)):
        if (gray >> b) & 1:
            first ^= v[b]
    # Consecutive points differ by the direction number of the lowest set bit of k (k = start+1..).
    k = np.arange(start + 1, stop, dtype=np.uint64)
    lowest = np.log2((k & (~k + np.uint64(1))).astype(np.float64)).astype(np.intp)
    steps = np.concatenate([first[None, :], v[lowest]])
    q = np.bitwise_xor.accumulate(steps, axis=0)
    return q * (1.0 / 2 ** int(engine.bits))


# -- streaming Latin hypercube: keyed pseudo-random permutations ---------------------------
def lhs_keys(seed: int | None, d: int) -> np.ndarray:
    # A child of the root seed that no chunk uses (chunks spawn keys (i,); this is (2**32, j)).
    return np.array(
        [np.random.SeedSequence(seed, spawn_key=(1 << 32, j)).generate_state(4, np.uint64) for j in range(d)],
        dtype=np.uint64,
    )


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser (Steele, Lea & Flood 2014), wrapping uint64 arithmetic."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def permute(k: np.ndarray, n: int, keys: np.ndarray) -> np.ndarray:
    """A keyed bijection of ``{0..n-1}``: a 4-round Feistel network with cycle walking."""
    half = max(1, (max(n - 1, 1).bit_length() + 1) // 2)
    mask = np.uint64((1 << half) - 1)
    shift = np.uint64(half)

    def feistel(x: np.ndarray) -> np.ndarray:
        left, right = x >> shift, x & mask
        for key in keys:
            left, right = right, left ^ (_mix(right ^ key) & mask)
        return (left << shift) | right

    out = feistel(k)
    todo = np.flatnonzero(out >= np.uint64(n))
    while todo.size:  # walk the cycle until the value falls back in range (expected < 4 steps)
        out[todo] = feistel(out[todo])
        todo = todo[out[todo] >= np.uint64(n)]
    return out.astype(np.float64)
