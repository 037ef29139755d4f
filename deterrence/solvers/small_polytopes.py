"""Closed-form candidate vertices of small best-response polytopes, vectorised over games.

The building blocks of :mod:`deterrence.solvers.small_games`.  For a player
mixing over ``own <= 4`` strategies against a responder's payoffs ``p (own,
resp, G)``, :func:`_vertices` solves every basis of the best-response polytope
(the pure strategies, then each support ``S`` with ``|S| = k >= 2`` made to
leave ``k`` responses ``J`` indifferent) by cofactors, for all ``G`` games at
once, and returns each candidate's mixed strategy and its labels as a
``uint8`` bitmask (zero where the candidate is not a vertex).  The bases of a
degenerate vertex carry the same labels and are merged: a vertex is the only
point of the polytope on its tight inequalities.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np

from deterrence.errors import GameError
from deterrence.solvers.verify import FLOAT_TOLERANCE

#: Largest number of strategies per player the closed forms are written for.
MAX_STRATEGIES = 4
# Round-off below this (relative to the size of the cofactors) counts as a singular system.
_SINGULAR = 1e-13


def _det3(r: np.ndarray) -> np.ndarray:
    """Determinant of ``(3, 3, ...)`` matrices, element-wise over the trailing axes."""
    return (
        r[0, 0] * (r[1, 1] * r[2, 2] - r[1, 2] * r[2, 1])
        - r[0, 1] * (r[1, 0] * r[2, 2] - r[1, 2] * r[2, 0])
        + r[0, 2] * (r[1, 0] * r[2, 1] - r[1, 1] * r[2, 0])
    )


def _null_vector(rows: np.ndarray) -> np.ndarray:
    """Cofactor vector ``c`` (shape ``(k, ...)``) of ``(k-1, k, ...)`` rows.

    ``rows @ c == 0`` and ``c != 0`` iff the rows are independent (the
    generalised cross product).
    """
    k = rows.shape[1]
    if k == 2:
        return np.stack([rows[0, 1], -rows[0, 0]])
    if k == 3:
        a, b = rows[0], rows[1]
        return np.stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])
    if k == 4:
        return np.stack([(-1) ** j * _det3(np.delete(rows, j, axis=1)) for j in range(4)])
    raise GameError(f"support size {k} is not between 2 and {MAX_STRATEGIES}")


def _solve_simplex(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``rows @ z == 0, sum(z) == 1`` for ``z``; return ``(z, solvable)``.

    ``rows`` has shape ``(k-1, k, ...)`` with ``k >= 2``.  The system is
    singular when the cofactor vector sums to (round-off) zero.
    """
    if rows.shape[1] == 2:  # the common case, written out: z = (r1, -r0) / (r1 - r0)
        r0, r1 = rows[0, 0], rows[0, 1]
        total = r1 - r0
        solvable = np.abs(total) > _SINGULAR * np.maximum(np.abs(r0), np.abs(r1))
        with np.errstate(divide="ignore", invalid="ignore"):
            first = r1 / np.where(solvable, total, 1.0)
        return np.stack([first, 1.0 - first]), solvable
    c = _null_vector(rows)
    total = c.sum(axis=0)
    # Cofactors are products of k-1 entries: scale the singularity test by the row sizes.
    size = np.prod(np.abs(rows).max(axis=1), axis=0)
    solvable = np.abs(total) > _SINGULAR * size
    with np.errstate(divide="ignore", invalid="ignore"):
        z = c / np.where(solvable, total, 1.0)
    return z, solvable


# Layout: every internal array keeps the batch of games on the LAST axis, with the small
# axes (strategies, candidates) in front, so each operation runs over long contiguous vectors.


@dataclass(frozen=True)
class _Group:
    """The candidate bases with support size ``k >= 2`` of one polytope (``C`` of them).

    ``supports (k, C)`` and ``replies (k, C)`` are the mixer's support and
    the responses made indifferent, ``others (resp - k, C)`` the remaining
    responses; ``base (C,)`` holds the labels every candidate has by
    construction, and ``zero_bits (k, C, 1)`` / ``other_bits (resp - k, C, 1)``
    the bits of the labels it may have in addition.
    """

    supports: np.ndarray
    replies: np.ndarray
    others: np.ndarray
    base: np.ndarray
    zero_bits: np.ndarray
    other_bits: np.ndarray


@dataclass(frozen=True)
class _Side:
    """The fixed candidate bases of one best-response polytope.

    The player mixes over ``own`` strategies against a responder with
    ``resp``; the mixer's zero labels are bits ``own_shift + i``, the
    responder's best replies bits ``resp_shift + j``.  The pure strategies
    come first, then the groups in order of support size.
    """

    own: int
    resp: int
    own_shift: int
    resp_shift: int
    pure_base: np.ndarray
    groups: tuple[_Group, ...]

    @property
    def size(self) -> int:
        """Number of candidates."""
        return self.own + sum(group.supports.shape[1] for group in self.groups)


@cache
def _side(own: int, resp: int, own_shift: int, resp_shift: int) -> _Side:
    everyone = sum(1 << (own_shift + i) for i in range(own))
    pure_base = np.array([everyone & ~(1 << (own_shift + i)) for i in range(own)], dtype=np.uint8)
    groups = []
    for k in range(2, min(own, resp) + 1):
        bases = [(s, j) for s in combinations(range(own), k) for j in combinations(range(resp), k)]
        others = [[r for r in range(resp) if r not in j] for _, j in bases]

        def table(rows: list, shift: int = 0, width: int = k, count: int = len(bases)) -> np.ndarray:
            return np.array(rows, dtype=np.intp).reshape(count, width).T + shift

        base = [
            (everyone & ~sum(1 << (own_shift + i) for i in s)) | sum(1 << (resp_shift + r) for r in j) for s, j in bases
        ]
        groups.append(
            _Group(
                supports=table([s for s, _ in bases]),
                replies=table([j for _, j in bases]),
                others=table(others, width=resp - k),
                base=np.array(base, dtype=np.uint8)[:, None],
                zero_bits=table([s for s, _ in bases], own_shift).astype(np.uint8)[:, :, None],
                other_bits=table(others, resp_shift, resp - k).astype(np.uint8)[:, :, None],
            )
        )
    return _Side(own, resp, own_shift, resp_shift, pure_base, tuple(groups))


def _vertices(p: np.ndarray, tol: np.ndarray, side: _Side) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate vertices of the polytope of a player mixing over the rows of ``p (own, resp, G)``.

    ``p`` holds the responder's payoffs.  Returns the mixed strategies ``z
    (own, C, G)``, the label masks ``(C, G)`` (``uint8``, zero where the
    candidate is not a vertex) and ``extra (G,)``: some vertex has more
    labels than ``own`` (the game is degenerate).
    """
    own, resp, g = p.shape
    size = side.size
    z = np.zeros((own, size, g))
    mask = np.empty((size, g), dtype=np.uint8)
    # Pure strategies: vertices always; labelled by the other strategies and the best replies.
    tight = (p >= (p.max(axis=1) - tol)[:, None, :]).view(np.uint8)
    replies = mask[:own]
    np.left_shift(tight[:, 0], np.uint8(side.resp_shift), out=replies)
    for j in range(1, resp):
        replies |= tight[:, j] << np.uint8(side.resp_shift + j)
    extra = ((replies & (replies - np.uint8(1))) != 0).any(axis=0)  # two best replies or more
    replies |= side.pure_base[:, None]
    for i in range(own):
        z[i, i] = 1.0
    start = own
    for group in side.groups:
        k, c = group.supports.shape
        sub = p[group.supports[:, None, :], group.replies[None, :, :]]  # (k, k, C, G): [i in S, j in J]
        w, ok = _solve_simplex(np.swapaxes(sub[:, 1:] - sub[:, :1], 0, 1))
        ok &= w.min(axis=0) >= -FLOAT_TOLERANCE
        labels = mask[start : start + c]
        np.left_shift((w[0] <= FLOAT_TOLERANCE).view(np.uint8), group.zero_bits[0], out=labels)
        for i in range(1, k):
            labels |= (w[i] <= FLOAT_TOLERANCE).view(np.uint8) << group.zero_bits[i]
        if group.others.shape[0]:
            value = sum(sub[i, 0] * w[i] for i in range(k))  # the indifferent responses' payoff
            for r in range(group.others.shape[0]):
                pay = sum(p[group.supports[i], group.others[r]] * w[i] for i in range(k))
                ok &= pay <= value + tol
                labels |= (pay >= value - tol).view(np.uint8) << group.other_bits[r]
        extra |= (ok & (labels != 0)).any(axis=0)
        labels |= group.base
        labels *= ok
        z[group.supports, np.arange(start, start + c)[None, :]] = w
        start += c
    # The bases of a degenerate vertex share its labels: keep the first (pure strategies come first).
    if extra.any():
        for c in range(own, size):
            mask[c] *= ~(mask[:c] == mask[c]).any(axis=0)
    return z, mask, extra
