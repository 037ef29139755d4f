"""The closed forms of small games, block by block, written straight into the result arrays.

The fast path of :func:`deterrence.solvers.small_games.small_game_equilibria`
for stacks of 2×2, 3×2 and (transposed) 2×3 games: the same tests and the
same floating-point operations as :func:`~deterrence.solvers.small_closed_forms.closed_form_chunk`
(see there for why a game that passes is solved bit for bit as the general
kernel solves it), arranged for speed.  The batch is cut into blocks of
``_BLOCK`` games whose working arrays (one preallocated set, reused by every
block) stay in the cache; each block's equilibria are written at once into
their final slots of result arrays with room for three equilibria (the most
a nondegenerate 2×2 or 3×2 game has), so there is no list of parts to
gather and no second pass over the result.  Only the games whose
equilibria exist are touched after a fill of the block's rows with "no
equilibrium": the pure equilibria by one scatter a row of the game, the
mixed ones (about one game in three) after one compression of the block.

Examples
--------
>>> out = new_result(1, 2, 2)
>>> route, whole = solve_blocks(np.array([[[1.0, -1], [-1, 1]]]), np.array([[[-1.0, 1], [1, -1]]]), None, out)
>>> print(route.tolist(), whole, out["valid"][0].tolist(), out["x"][0, 0].tolist())
[False] [] [True, False, False] [0.5, 0.5]
"""

from __future__ import annotations

import numpy as np

from deterrence.solvers.small_closed_forms import _GAP, _NEAR, _PAIRS, indifference_weights
from deterrence.solvers.verify import FLOAT_TOLERANCE

__all__ = ["CAPACITY", "new_result", "solve_blocks"]

# Games a block: long enough that numpy's per-call cost (~1 us) is small, short enough to stay in L2/L3.
_BLOCK = 32768
# After a block that is mostly degenerate, this many blocks go straight to the general kernel.
_SKIP = 14
# Slots of the fast path's result: a nondegenerate 2x2 or 3x2 game has at most 3 equilibria.
CAPACITY = 3
_FIELDS = ("x", "y", "valid", "row_payoff", "column_payoff", "regret")


def new_result(g: int, m: int, n: int, slots: int = CAPACITY) -> dict[str, np.ndarray]:
    """Uninitialised result arrays for ``g`` games of ``m`` by ``n`` with ``slots`` slots each."""
    return {
        "x": np.empty((g, slots, m)),
        "y": np.empty((g, slots, n)),
        "valid": np.empty((g, slots), dtype=bool),
        **{name: np.empty((g, slots)) for name in ("row_payoff", "column_payoff", "regret")},
    }


def solve_blocks(
    a: np.ndarray,
    b: np.ndarray,
    given: np.ndarray | None,
    out: dict[str, np.ndarray],
    tolerance: np.ndarray | None = None,
) -> tuple[np.ndarray, list[slice]]:
    """Solve the clearly nondegenerate games of ``a, b (G, m, n)``, ``min(m, n) == 2``, into ``out``.

    ``out`` holds :func:`new_result` arrays (``CAPACITY`` slots).  Returns
    ``route (G,)``, the games left to the general kernel one by one (their
    rows of ``out`` hold "no equilibrium"), and the blocks left to it whole
    (their rows of ``out`` are written only as not valid).  ``tolerance (G,)``, if given,
    receives each game's tolerance (not written in whole blocks).  A 2×3
    game is solved as its transpose, pure equilibria numbered by column.
    """
    g, m, n = a.shape
    flip = n == 3
    if flip:  # the transpose: the column player (3 strategies) becomes the row player
        a, b = b.transpose(0, 2, 1), a.transpose(0, 2, 1)
        targets = (out["y"], out["x"], out["column_payoff"], out["row_payoff"])
    else:
        targets = (out["x"], out["y"], out["row_payoff"], out["column_payoff"])
    flat = _Targets(targets, out["valid"], out["regret"])
    route = np.zeros(g, dtype=bool)
    whole: list[slice] = []
    work: dict[str, np.ndarray] = {}
    skip = 0
    with np.errstate(divide="ignore", invalid="ignore"):  # candidates of routed games may divide by 0
        for s in range(0, g, _BLOCK):
            stop = min(g, s + _BLOCK)
            if skip:  # the last probe was mostly degenerate: the next blocks likely are too
                skip -= 1
                whole.append(slice(s, stop))
                continue
            tol = _block(
                a[s:stop], b[s:stop], None if given is None else given[s:stop], s, flat, route[s:stop], work, flip
            )
            if tol is None:  # mostly degenerate: the general kernel solves this block as a slice
                whole.append(slice(s, stop))
                skip = _SKIP
            elif tolerance is not None:
                tolerance[s:stop] = tol
    for part in whole:  # rows the general kernel writes whole: none is valid yet
        out["valid"][part] = False
    return route, whole


class _Targets:
    """The result arrays, and flat views of them for scatters at ``(game * CAPACITY + slot)``."""

    def __init__(self, targets: tuple[np.ndarray, ...], valid: np.ndarray, regret: np.ndarray) -> None:
        x, y, row, column = targets
        self.arrays = (x, y, row, column, regret, valid)
        self.m = x.shape[2]
        self.x, self.y = x.reshape(-1), y.reshape(-1)
        self.row, self.column = row.reshape(-1), column.reshape(-1)
        self.valid, self.regret = valid.reshape(-1), regret.reshape(-1)

    def start(self, start: int, count: np.ndarray, route: np.ndarray) -> None:
        """Mark games ``start : start + len(count)`` as having no equilibrium (NaN, not valid) yet.

        One fill a field, written at memory speed; the scatters then write each equilibrium
        whole.  (A template copied in with slot 0 pre-set and fewer scatters measured slower.)
        """
        for values in self.arrays:
            values[start : start + count.shape[0]] = False if values.dtype == bool else np.nan


def _buffer(work: dict, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
    """A working array from ``work``, reused by every block of the same size."""
    have = work.get(name)
    if have is None or have.shape != shape:
        have = work[name] = np.empty(shape, dtype=dtype)
    return have


def _normalise(p: np.ndarray, out: np.ndarray, work: dict, side: str) -> tuple[np.ndarray, np.ndarray]:
    """Map ``p (G, m, 2)`` onto ``[0, 1]`` into ``out (m, 2, G)`` as the general kernel does: ``(low, scale)``.

    Also leaves the maximum in ``work[side + "high"]``.
    """
    g = p.shape[0]
    np.copyto(out, p.transpose(1, 2, 0))
    flat = out.reshape(-1, g)
    low = np.minimum.reduce(flat, axis=0, out=_buffer(work, side + "low", (g,)))
    high = np.maximum.reduce(flat, axis=0, out=_buffer(work, side + "high", (g,)))
    scale = np.subtract(high, low, out=_buffer(work, side + "scale", (g,)))
    np.copyto(scale, 1.0, where=scale <= 0)  # a constant player keeps scale one (spread is never negative)
    np.subtract(out, low, out=out)
    np.divide(out, scale, out=out)
    return low, scale


def _block(
    a: np.ndarray,
    b: np.ndarray,
    given: np.ndarray | None,
    start: int,
    flat: _Targets,
    route: np.ndarray,
    work: dict,
    by_column: bool,
) -> np.ndarray | None:
    """Solve one block ``a, b (G, m, 2)`` (games ``start:`` of the batch); ``None`` if mostly degenerate.

    Sets ``route`` for the games left to the general kernel and returns the block's tolerance.
    """
    g, m, _ = a.shape
    an, bn = _buffer(work, "an", (m, 2, g)), _buffer(work, "bn", (m, 2, g))
    low_a, scale_a = _normalise(a, an, work, "a")
    low_b, scale_b = _normalise(b, bn, work, "b")
    if given is None:
        tol = np.maximum(work["ahigh"], work["bhigh"], out=_buffer(work, "tol", (g,)))
        tol -= np.minimum(low_a, low_b, out=_buffer(work, "low", (g,)))
        np.maximum(tol, 1.0, out=tol)
        tol *= FLOAT_TOLERANCE
    else:
        tol = given
    tol_a = np.divide(tol, scale_a, out=_buffer(work, "tol_a", (g,)))
    tol_b = np.divide(tol, scale_b, out=_buffer(work, "tol_b", (g,)))
    first, second = _PAIRS[m]
    pairs = first.size
    d = np.subtract(bn[:, 1], bn[:, 0], out=_buffer(work, "d", (m, g)))
    e = _buffer(work, "e", (pairs, 2, g))
    if m == 3:  # pairs (0, 1), (0, 2), (1, 2)
        np.subtract(an[1:], an[0], out=e[:2])
        np.subtract(an[2], an[1], out=e[2])
    else:
        np.subtract(an[1], an[0], out=e[0])
    # The same degeneracy tests as closed_form_chunk, with the same operations.
    size = np.abs(d, out=_buffer(work, "size", (m, g)))
    limit = np.multiply(tol_b, 1 + 1e-12, out=_buffer(work, "limit", (g,)))
    limit += 1e-15
    high = np.maximum.reduce(size, axis=0, out=_buffer(work, "high", (g,)))
    high *= 2 * _NEAR
    np.maximum(limit, high, out=limit)
    np.less_equal(np.minimum.reduce(size, axis=0, out=high), limit, out=route)
    e_size = np.abs(e, out=_buffer(work, "e_size", (pairs, 2, g))).reshape(-1, g)
    np.multiply(tol_a, 1 + 1e-12, out=limit)
    limit += 1e-15
    np.maximum.reduce(e_size, axis=0, out=high)
    high *= 2 * _NEAR
    np.maximum(limit, high, out=limit)
    route |= np.minimum.reduce(e_size, axis=0, out=high) <= limit
    if 2 * np.count_nonzero(route) > g:
        route[:] = False
        return None
    t0 = np.less(d, 0, out=_buffer(work, "t0", (m, g), bool))  # column 0 is the best reply to row i
    e_sign = np.less(e, 0, out=_buffer(work, "e_sign", (pairs, 2, g), bool))  # the pair's first row pays more
    best = _buffer(work, "best", (m, 2, g), bool)  # the row player's best reply to each column
    if m == 3:
        s01, s02, s12 = e_sign
        np.logical_and(s01, s02, out=best[0])
        np.greater(s12, s01, out=best[1])  # ~s01 & s12
        np.logical_or(s02, s12, out=best[2])
        np.logical_not(best[2], out=best[2])
    else:
        best[0] = e_sign[0]
        np.logical_not(e_sign[0], out=best[1])
    # Row i and its best reply are mutual best replies: best[i, 0] where t0[i], else best[i, 1].
    pure = np.logical_xor(best[:, 0], best[:, 1], out=_buffer(work, "pure", (m, g), bool))
    pure &= t0
    pure ^= best[:, 1]
    valid = np.not_equal(t0[first], t0[second], out=_buffer(work, "valid", (pairs, g), bool))
    valid &= e_sign[:, 0] != e_sign[:, 1]
    if m == 3:  # the third row against y, as closed_form_chunk
        area = np.multiply(e[0, 0], e[1, 1], out=_buffer(work, "area", (g,)))
        area -= np.multiply(e[0, 1], e[1, 0], out=high)
        edge = np.multiply(tol_a, 2, out=limit)
        edge += _GAP
        route |= np.abs(area, out=high) <= edge
        up = area > 0
        valid[0] &= up != e_sign[0, 1]
        valid[1] &= up == e_sign[1, 1]
        valid[2] &= up != e_sign[2, 1]
    npure = np.add.reduce(pure, axis=0, dtype=np.uint8)
    count = npure + np.add.reduce(valid, axis=0, dtype=np.uint8)
    route |= (count & 1) == 0  # no equilibrium or an even number: let the general kernel decide
    route |= count > CAPACITY  # impossible for these games; the general kernel would say why
    keep = ~route
    mixed = _mixed(valid & keep, npure, (d, e), (an, bn), (low_a, scale_a, low_b, scale_b), (tol_a, tol_b))
    if mixed is not None and mixed[1].size:  # a regret over the tolerance (not seen in practice)
        route[mixed[1]] = True
        keep = ~route
        mixed = _mixed(valid & keep, npure, (d, e), (an, bn), (low_a, scale_a, low_b, scale_b), (tol_a, tol_b))
    count *= keep
    flat.start(start, count, route)
    pure &= keep
    _write_pure(pure, t0, (an, bn), (low_a, scale_a, low_b, scale_b), start, flat, by_column)
    if mixed is not None:
        _write_mixed(mixed[0], start, flat)
    return tol


def _write_pure(
    pure: np.ndarray, t0: np.ndarray, payoffs: tuple, affine: tuple, start: int, flat: _Targets, by_column: bool
) -> None:
    """Write the pure equilibria ``pure (m, G)`` (row ``i`` and its best reply) into their slots."""
    (an, bn), (low_a, scale_a, low_b, scale_b) = payoffs, affine
    m, g = pure.shape
    if by_column:  # at most one per column: the one in column 1 goes second if column 0 has one
        later = np.any(pure & t0, axis=0).view(np.uint8)
    else:  # by row, after the pure equilibria of earlier rows
        before = np.zeros(g, dtype=np.uint8)
    for i in range(m):
        game = np.flatnonzero(pure[i])
        column0 = t0[i].take(game)
        if by_column:
            slot = later.take(game)
            slot[column0] = 0
        else:
            slot = before.take(game)
            before += pure[i]
        where = game + start
        where *= CAPACITY
        where += slot
        xw = where * m
        for r in range(m):
            flat.x[xw + r] = 1.0 if r == i else 0.0
        y = where * 2
        y0 = column0.astype(np.float64)
        flat.y[y] = y0
        y += 1
        flat.y[y] = 1.0 - y0
        flat.regret[where] = 0.0
        flat.valid[where] = True
        at = game + (2 * i + 1) * g  # the offset of A[i, j, game] in the flattened (m, 2, G) arrays
        at -= column0 * g
        a_pay, b_pay = an.reshape(-1).take(at), bn.reshape(-1).take(at)
        flat.row[where] = a_pay * scale_a.take(game) + low_a.take(game)
        flat.column[where] = b_pay * scale_b.take(game) + low_b.take(game)


def _mixed(
    valid: np.ndarray, npure: np.ndarray, diffs: tuple, payoffs: tuple, affine: tuple, tols: tuple
) -> tuple[dict[str, np.ndarray], np.ndarray] | None:
    """The mixed equilibria ``valid (pairs, G)`` as closed_form_chunk's ``_mixed`` computes them, and bad games."""
    (d, e), (an, bn), (low_a, scale_a, low_b, scale_b) = diffs, payoffs, affine
    m, g = d.shape
    flat = np.flatnonzero(valid)
    if not flat.size:
        return None
    pair, game = np.divmod(flat, g)
    first, second = _PAIRS[m][0][pair], _PAIRS[m][1][pair]
    slot = npure.take(game).astype(np.intp)  # after the pure ones and those on earlier pairs
    for k in range(1, valid.shape[0]):
        slot += (pair >= k) & valid[k - 1].take(game)
    d, e = d.reshape(-1), e.reshape(-1)
    # x over S makes the two columns indifferent, y the two rows
    x_first, x_second = indifference_weights(d.take(first * g + game), d.take(second * g + game))
    at = 2 * pair * g + game
    y0, y1 = indifference_weights(e.take(at), e.take(at + g))
    payoff = an.reshape(2 * m, g).take(game, axis=1)  # (2m, E): [2i + j] is A[i, j]
    ay = payoff[0::2] * y0 + payoff[1::2] * y1  # (m, E): each row against y
    every = np.arange(flat.size)  # ay[first, every] and ay[second, every] as flat takes
    row = x_first * ay.reshape(-1).take(first * flat.size + every)
    row += x_second * ay.reshape(-1).take(second * flat.size + every)
    regret_a = np.maximum(ay[0], ay[1])
    if m == 3:
        np.maximum(regret_a, ay[2], out=regret_a)
    regret_a -= row
    bf, bs, bflat = 2 * first * g + game, 2 * second * g + game, bn.reshape(-1)  # offsets of B[S, 0]
    xb0 = bflat.take(bf) * x_first + bflat.take(bs) * x_second
    xb1 = bflat.take(bf + g) * x_first + bflat.take(bs + g) * x_second
    column = xb0 * y0 + xb1 * y1
    regret_b = np.maximum(xb0, xb1) - column
    tol_a, tol_b = tols
    scale_a, scale_b = scale_a.take(game), scale_b.take(game)
    found = {
        "game": game,
        "slot": slot,
        "first": first,
        "second": second,
        "x_first": x_first,
        "x_second": x_second,
        "y0": y0,
        "y1": y1,
        "row": row * scale_a + low_a.take(game),
        "column": column * scale_b + low_b.take(game),
        "regret": np.maximum(np.maximum(regret_a * scale_a, regret_b * scale_b), 0.0),
    }
    return found, game[(regret_a > tol_a.take(game)) | (regret_b > tol_b.take(game))]


def _write_mixed(found: dict[str, np.ndarray], start: int, flat: _Targets) -> None:
    """Write the mixed equilibria from :func:`_mixed` into their slots."""
    where = found["game"] + start
    where *= CAPACITY
    where += found["slot"]
    x = where * flat.m
    if flat.m == 3:
        flat.x[x + (3 - found["first"] - found["second"])] = 0.0
    flat.x[x + found["first"]] = found["x_first"]  # zero on the row off the pair
    flat.x[x + found["second"]] = found["x_second"]
    y = where * 2
    flat.y[y] = found["y0"]
    y += 1
    flat.y[y] = found["y1"]
    flat.row[where] = found["row"]
    flat.column[where] = found["column"]
    flat.regret[where] = found["regret"]
    flat.valid[where] = True
