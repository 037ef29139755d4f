"""Closed forms for the nondegenerate 2×2, 3×2 (and, transposed, 2×3) games of a batch.

The fast path of :func:`deterrence.solvers.small_games.small_game_equilibria`.
When the column player has two strategies, a nondegenerate game's equilibria
are the pure profiles that are mutual best replies and, for each pair of
rows ``S``, at most one mixed equilibrium on ``S`` x both columns: the
column mix ``y`` that makes the two rows indifferent, and the row mix ``x``
over ``S`` that makes the columns indifferent (the 2×2 difference formulas,
e.g. Osborne & Rubinstein 1994, §3.2).  :func:`closed_form_chunk` decides,
for ``G`` games at once and without dividing, which game is *clearly*
nondegenerate: no tie in a best reply to a pure strategy, no mixing
probability within ``3e-9`` of 0 or 1 (a sign test on the two payoff
differences and a ratio test on their sizes), and, for three rows, the third
row's payoff at ``y`` further than the tolerance plus ``1e-13`` from the
indifferent rows' (a cross product, von Stengel 2002, on differences of
payoffs in ``[0, 1]``).  Those margins exceed every round-off of the general
kernel (:mod:`deterrence.solvers.small_polytopes`), so on a game that passes
the general kernel finds the same candidates feasible, the same labels, and
no degeneracy.  Every game that does not pass, or whose count of equilibria
is even, is *routed*: the caller solves it with the general kernel.

The equilibria of the games that pass are then computed on the payoffs
mapped onto ``[0, 1]`` with the same floating-point operations, in the same
order, as the general kernel, so the results are the same bit for bit: the
same strategies, payoffs, regrets, tolerance, flags and slot order (pure
equilibria first, by row; then the mixed ones, by row pair).

References
----------
Osborne, M. J. & Rubinstein, A. (1994). *A Course in Game Theory*. MIT Press.
von Stengel, B. (2002). Computing equilibria for two-person games. In
*Handbook of Game Theory* vol. 3, ch. 45, 1723–1759.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from deterrence.solvers.verify import FLOAT_TOLERANCE

__all__ = ["closed_form_chunk", "indifference_weights"]

# A mixing probability is "clearly interior" when the smaller payoff difference is more than this
# share of their sum (the general kernel's zero label is at FLOAT_TOLERANCE).
_NEAR = 3 * FLOAT_TOLERANCE
# Margin (payoffs in [0, 1]) between the third row's gap and the tolerance; round-off is ~1e-15.
_GAP = 1e-13
# Row pairs S (first row, second row) of a 2x2 or 3x2 game, in the general kernel's order.
_PAIRS = {2: (np.array([0]), np.array([1])), 3: (np.array([0, 0, 1]), np.array([1, 2, 2]))}


def _normalise(p: np.ndarray, out: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Copy ``p (G, m, 2)`` into ``out (m, 2, G)`` mapped onto ``[0, 1]``: ``(low, scale, high)``."""
    np.copyto(out, p.transpose(1, 2, 0))
    flat = out.reshape(-1, out.shape[-1])
    low, high = flat.min(axis=0), flat.max(axis=0)
    spread = high - low
    scale = np.where(spread > 0, spread, 1.0)
    np.subtract(out, low, out=out)
    np.divide(out, scale, out=out)
    return low, scale, high


def _buffer(work: dict, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
    """A working array from ``work`` (reused between chunks of one batch: no fresh pages each time)."""
    have = work.get(name)
    if have is None or have.shape != shape:
        have = work[name] = np.empty(shape, dtype=dtype)
    return have


def closed_form_chunk(
    a: np.ndarray,
    b: np.ndarray,
    tolerance: np.ndarray | None = None,
    by_column: bool = False,
    work: dict | None = None,
) -> dict[str, Any]:
    """Equilibria of the clearly nondegenerate games among ``a, b (G, m, 2)``, ``m`` in {2, 3}.

    Parameters
    ----------
    a, b : ndarray, shape (G, m, 2)
        Row and column payoffs (any strides).
    tolerance : ndarray, shape (G,), optional
        Absolute payoff tolerance; by default ``1e-9 * max(1, payoff range)``.
    by_column : bool
        Number the pure equilibria by column instead of by row (the slot
        order of the transposed 2×3 game).
    work : dict, optional
        Working arrays kept between calls on chunks of the same size.

    Returns
    -------
    dict
        ``route (G,)``: games left to the general kernel (all of them when
        more than half look degenerate); ``tolerance (G,)``;
        ``count (G,)`` (zero where routed); and ``parts``, two dicts (pure,
        then mixed equilibria of the other games) of arrays with one entry
        per equilibrium: ``game``, ``slot``, ``row`` and ``column`` payoffs,
        and the strategies: ``xi`` and ``yj`` (indices) for the pure ones,
        ``x (E, m)``, ``y (E, 2)`` and ``regret`` for the mixed ones (a
        pure equilibrium's regret is 0).

    Examples
    --------
    Matching pennies has one equilibrium, mixed, in slot 0:

    >>> out = closed_form_chunk(np.array([[[1.0, -1], [-1, 1]]]), np.array([[[-1.0, 1], [1, -1]]]))
    >>> mixed = out["parts"][1]
    >>> print(bool(out["route"][0]), int(out["count"][0]), mixed["x"].tolist(), mixed["y"].tolist())
    False 1 [[0.5, 0.5]] [[0.5, 0.5]]

    A tie in a best reply routes the game to the general kernel:

    >>> print(bool(closed_form_chunk(np.zeros((1, 2, 2)), np.eye(2)[None])["route"][0]))
    True
    """
    g, m, _ = a.shape
    work = {} if work is None else work
    an, bn = _buffer(work, "an", (m, 2, g)), _buffer(work, "bn", (m, 2, g))
    low_a, scale_a, high_a = _normalise(a, an)
    low_b, scale_b, high_b = _normalise(b, bn)
    if tolerance is None:
        tolerance = FLOAT_TOLERANCE * np.maximum(1.0, np.maximum(high_a, high_b) - np.minimum(low_a, low_b))
    tol_a, tol_b = tolerance / scale_a, tolerance / scale_b
    # Column differences of B in each row and row differences of A in each column (row pairs).
    first, second = _PAIRS[m]
    pairs = first.size
    d = np.subtract(bn[:, 1], bn[:, 0], out=_buffer(work, "d", (m, g)))
    e = _buffer(work, "e", (pairs, 2, g))
    for k in range(pairs):
        np.subtract(an[second[k]], an[first[k]], out=e[k])
    # Degenerate (or too close to call): a best reply tie (a difference within the tolerance,
    # plus round-off), or a mixing probability within 3e-9 of 0 or 1 (the smaller of two
    # differences within 6e-9 of the larger).  Otherwise the signs say everything.
    size = np.abs(d, out=_buffer(work, "size", (m, g)))
    limit = np.maximum(tol_b * (1 + 1e-12) + 1e-15, 2 * _NEAR * size.max(axis=0))
    route = size.min(axis=0) <= limit
    flat = np.abs(e, out=_buffer(work, "e_size", (pairs, 2, g))).reshape(-1, g)
    np.maximum(tol_a * (1 + 1e-12) + 1e-15, 2 * _NEAR * flat.max(axis=0), out=limit)
    route |= flat.min(axis=0) <= limit
    if 2 * np.count_nonzero(route) > g:  # mostly degenerate: the general kernel takes the whole chunk
        return {"route": np.ones(g, dtype=bool), "tolerance": tolerance, "count": np.zeros(g, np.uint8), "parts": []}
    t0 = d < 0  # column 0 is the column player's best reply to row i
    e_sign = e < 0  # the first row of the pair pays more in that column
    if m == 3:  # the row player's best reply to each column: the row beating both others
        s01, s02, s12 = e_sign
        best = np.stack([s01 & s02, ~s01 & s12, ~s02 & ~s12])  # (m, 2, G)
    else:
        best = np.stack([e_sign[0], ~e_sign[0]])
    pure = np.where(t0, best[:, 0], best[:, 1])  # row i and its best reply are mutual best replies
    # Mixed x over a row pair S: the two rows' column differences have opposite signs.
    inside = t0[first] != t0[second]
    # Mixed y making the rows of S indifferent: opposite signs of the two columns' differences.
    ok = e_sign[:, 0] != e_sign[:, 1]
    if m == 3:
        # The third row against y minus the indifferent rows is +-T / (e1 - e0) for every pair,
        # T = (u1 - u0) x (u2 - u0) with u_i row i's payoffs: a third best reply iff T ~ 0.
        area = e[0, 0] * e[1, 1] - e[0, 1] * e[1, 0]
        route |= np.abs(area) <= 2 * tol_a + _GAP
        up = area > 0
        ok[0] &= up != e_sign[0, 1]
        ok[1] &= up == e_sign[1, 1]
        ok[2] &= up != e_sign[2, 1]
    valid = inside & ok
    npure = np.add.reduce(pure, axis=0, dtype=np.uint8)
    count = npure + np.add.reduce(valid, axis=0, dtype=np.uint8)
    route |= (count & 1) == 0  # no equilibrium or an even number: let the general kernel decide
    keep = ~route
    affine = (low_a, scale_a, low_b, scale_b)
    pure &= keep
    valid &= keep
    parts = [_pure(pure, t0, an, bn, affine, by_column), _mixed(valid, npure, (d, e), (an, bn), affine, (tol_a, tol_b))]
    bad = parts[1].pop("bad")
    if bad.size:  # a regret over the tolerance (not seen in practice): the general kernel decides
        route[bad] = True
        parts = [_drop(p, route) for p in parts]
    count[route] = 0
    return {"route": route, "tolerance": tolerance, "count": count, "parts": parts}


def _pure(
    pure: np.ndarray, t0: np.ndarray, an: np.ndarray, bn: np.ndarray, affine: tuple, by_column: bool
) -> dict[str, np.ndarray]:
    """The pure equilibria ``pure (m, G)`` (row ``i`` and its best reply) as equilibrium rows."""
    low_a, scale_a, low_b, scale_b = affine
    m, g = pure.shape
    if by_column:  # at most one per column: the one in column 1 goes second if column 0 has one
        later = np.any(pure & t0, axis=0).astype(np.intp)
    else:  # by row, after the pure equilibria of earlier rows
        before = np.zeros((m, g), dtype=np.intp)
        for i in range(1, m):
            np.add(before[i - 1], pure[i - 1], out=before[i])
    parts = []
    for i in range(m):
        for j, reply in enumerate((t0[i], ~t0[i])):
            game = np.flatnonzero(pure[i] & reply)  # (row i, column j) is an equilibrium
            slot = (later if j else np.zeros(1, np.intp)) if by_column else before[i]
            parts.append((game, slot.take(game, mode="clip"), i, j))
    game = np.concatenate([p[0] for p in parts])
    row = np.concatenate([np.full(p[0].size, p[2]) for p in parts])
    column = np.concatenate([np.full(p[0].size, p[3]) for p in parts])
    a_pay = np.concatenate([an[p[2], p[3]].take(p[0]) for p in parts])
    b_pay = np.concatenate([bn[p[2], p[3]].take(p[0]) for p in parts])
    return {
        "game": game,
        "slot": np.concatenate([p[1] for p in parts]),
        "xi": row,  # the pure strategies, as indices
        "yj": column,
        "row": a_pay * scale_a[game] + low_a[game],
        "column": b_pay * scale_b[game] + low_b[game],
    }


def indifference_weights(r0: np.ndarray, r1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two-point mixture ``(w, 1 - w)`` that makes an opponent indifferent, clipped and renormalised.

    ``r0`` and ``r1`` are the opponent's payoff differences against the two
    pure strategies; ``w = r1 / (r1 - r0)`` zeroes ``w r0 + (1 - w) r1``.
    Clipping at 0 and dividing by the sum is the general kernel's rule, so
    the closed forms reproduce its bits.

    Examples
    --------
    >>> p, q = indifference_weights(np.array([1.0]), np.array([-3.0]))
    >>> print(float(p[0]), float(q[0]))
    0.75 0.25
    """
    w = r1 / (r1 - r0)
    first, second = np.maximum(w, 0.0), np.maximum(1.0 - w, 0.0)
    total = first + second
    first /= total
    second /= total
    return first, second


def _mixed(valid: np.ndarray, npure: np.ndarray, diffs: tuple, payoffs: tuple, affine: tuple, tols: tuple) -> dict:
    """The mixed equilibria ``valid (pairs, G)``, computed as the general kernel computes them."""
    (d, e), (an, bn), (low_a, scale_a, low_b, scale_b) = diffs, payoffs, affine
    m, g = d.shape
    before = np.empty(valid.shape, dtype=np.uint8)  # pure equilibria, then those on earlier pairs
    before[0] = npure
    for k in range(1, valid.shape[0]):
        np.add(before[k - 1], valid[k - 1], out=before[k])
    flat = np.flatnonzero(valid)
    pair, game = np.divmod(flat, g)
    first, second = _PAIRS[m][0][pair], _PAIRS[m][1][pair]
    d, e = d.reshape(-1), e.reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        # x over S makes the two columns indifferent, y the two rows
        x_first, x_second = indifference_weights(d[first * g + game], d[second * g + game])
        at = 2 * pair * g + game
        y0, y1 = indifference_weights(e[at], e[at + g])
    payoff = an.reshape(2 * m, g).take(game, axis=1)  # (2m, E): [2i + j] is A[i, j]
    ay = payoff[0::2] * y0 + payoff[1::2] * y1  # (m, E): each row against y
    every = np.arange(flat.size)
    row = x_first * ay[first, every] + x_second * ay[second, every]
    regret_a = np.maximum(ay[0], ay[1])
    if m == 3:
        np.maximum(regret_a, ay[2], out=regret_a)
    regret_a -= row
    bf, bs, bflat = 2 * first * g + game, 2 * second * g + game, bn.reshape(-1)  # offsets of B[S, 0]
    xb0 = bflat[bf] * x_first + bflat[bs] * x_second
    xb1 = bflat[bf + g] * x_first + bflat[bs + g] * x_second
    column = xb0 * y0 + xb1 * y1
    regret_b = np.maximum(xb0, xb1) - column
    tol_a, tol_b = tols
    x = np.zeros((flat.size, m))
    x[every, first], x[every, second] = x_first, x_second
    scale_a, scale_b = scale_a[game], scale_b[game]
    return {
        "game": game,
        "slot": before.reshape(-1)[flat].astype(np.intp),
        "x": x,
        "y": np.stack([y0, y1], axis=1),
        "row": row * scale_a + low_a[game],
        "column": column * scale_b + low_b[game],
        "regret": np.maximum(np.maximum(regret_a * scale_a, regret_b * scale_b), 0.0),
        "bad": game[(regret_a > tol_a[game]) | (regret_b > tol_b[game])],
    }


def _drop(part: dict[str, np.ndarray], route: np.ndarray) -> dict[str, np.ndarray]:
    """``part`` without the equilibria of routed games."""
    keep = ~route[part["game"]]
    return {k: v[keep] for k, v in part.items()}
