"""Vertices of ``{z >= 0 : C z <= 1}`` in floating point, and a certificate that a vertex list is complete.

:func:`float_polytope_vertices` runs the lexicographic pivoting search of
:mod:`.polytope_exact` in floating point for float games (breadth first, one
numpy step per level for larger polytopes).  It is only a proposal: it gives
up on any ratio-test tie, and its callers decide the labels from the payoffs
and certify the list with :func:`certify_vertex_set`, which proves a list of
simple vertices complete (the graph of a polytope is connected; Balinski,
1961).  Both the support enumeration (:mod:`.support_enumeration`) and the
screened vertex enumeration (:mod:`.vertex_enumeration`) use them.

References
----------
Balinski, M. L. (1961).  On the graph structure of convex polyhedra in
n-space.  *Pacific Journal of Mathematics* 11, 431-434.
"""

from __future__ import annotations

import numpy as np

__all__ = ["certify_vertex_set", "float_polytope_vertices"]


def _float_vertices_loop(C: np.ndarray, eps: float) -> np.ndarray | None:
    """Breadth-first pivoting over plain Python lists (fastest for small polytopes)."""
    from collections import deque

    k, d = C.shape
    inf = float("inf")
    basis = list(range(d, d + k))
    start = sum(1 << b for b in basis)
    seen = {start}
    queue = deque([([[1.0, *row] for row in C.tolist()], basis, list(range(d)), start)])
    found = []
    while queue:
        rows, basis, cobasis, bits = queue.popleft()
        z = [0.0] * d
        for row, b in zip(rows, basis, strict=True):
            if b < d:
                z[b] = row[0]
        found.append(z)
        for q, entering in enumerate(cobasis, start=1):
            best, least, second = -1, inf, inf  # minimum ratio, and the runner-up to see ties
            for i, row in enumerate(rows):
                a = row[q]
                if a > eps:
                    ratio = row[0] / a
                    if ratio < least:
                        best, least, second = i, ratio, least
                    elif ratio < second:
                        second = ratio
            if best < 0:
                continue
            if second <= least + eps * (1.0 + abs(least)):
                return None
            new_bits = (bits & ~(1 << basis[best])) | (1 << entering)
            if new_bits in seen:
                continue
            seen.add(new_bits)
            prow = rows[best]
            inv = 1.0 / prow[q]
            head = [v * inv for v in prow]
            head[q] = inv
            new_rows = []
            for i, row in enumerate(rows):
                if i == best:
                    new_rows.append(head)
                    continue
                a = row[q]
                new = [v - a * h for v, h in zip(row, head, strict=True)]
                new[q] = -a * inv
                new_rows.append(new)
            new_basis, new_cobasis = basis.copy(), cobasis.copy()
            new_cobasis[q - 1] = basis[best]
            new_basis[best] = entering
            queue.append((new_rows, new_basis, new_cobasis, new_bits))
    return np.array(found)


def _float_vertices_batched(C: np.ndarray, eps: float) -> np.ndarray | None:
    """Breadth-first pivoting with numpy, one whole level of the search per step."""
    k, d = C.shape
    one = np.int64(1)
    # Full tableaux (right-hand side, z, slacks) for every basis of the current level.
    T = np.hstack([np.ones((k, 1)), C, np.eye(k)])[None]
    basis, cobasis = np.arange(d, d + k)[None], np.arange(d)[None]
    bits = np.array([sum(1 << b for b in range(d, d + k))], dtype=np.int64)
    seen, found = bits.copy(), []
    while len(T):
        z = np.zeros((len(T), d))
        fi, ri = np.nonzero(basis < d)
        z[fi, basis[fi, ri]] = T[fi, ri, 0]
        found.append(z)
        entries = np.take_along_axis(T, (cobasis + 1)[:, None, :], axis=2)
        ratios = np.full(entries.shape, np.inf)
        np.divide(T[:, :, :1], entries, out=ratios, where=entries > eps)
        if k > 1:
            ordered = np.partition(ratios, 1, axis=1)
            least, second = ordered[:, 0, :], ordered[:, 1, :]
            if (second <= least + eps * (1.0 + np.abs(least))).any():
                return None  # a tie: a degenerate vertex (within eps)
        else:
            least = ratios[:, 0, :]
        f, q = np.nonzero(np.isfinite(least))
        r = ratios.argmin(axis=1)[f, q]
        leaving, entering = basis[f, r], cobasis[f, q]
        new_bits, first = np.unique(bits[f] - (one << leaving) + (one << entering), return_index=True)
        fresh = ~np.isin(new_bits, seen)
        pick = first[fresh]
        seen = np.concatenate([seen, new_bits[fresh]])
        f, q, r, leaving, entering = f[pick], q[pick], r[pick], leaving[pick], entering[pick]
        level = np.arange(len(pick))
        parent = T[f]
        head = parent[level, r] / parent[level, r, entering + 1][:, None]
        T = parent - parent[level, :, entering + 1][:, :, None] * head[:, None, :]
        T[level, r] = head
        basis, cobasis = basis[f], cobasis[f]  # fancy indexing copies: parents stay intact
        basis[level, r] = entering
        cobasis[level, q] = leaving
        bits = new_bits[fresh]
    return np.concatenate(found)


def float_polytope_vertices(C: np.ndarray, eps: float = 1e-11) -> np.ndarray | None:
    """Vertices of ``{z >= 0 : C z <= 1}`` by breadth-first pivoting in floating point.

    A fast proposal for float games, not an exact answer: ``C`` should have
    entries near 1, and a ratio-test tie within ``eps`` (relative) makes the
    function give up and return None, since it signals a degenerate vertex
    whose bases plain pivoting cannot sort out reliably in floats.  Callers
    re-derive the labels from the payoffs and certify the list with
    :func:`certify_vertex_set`.  Small polytopes pivot on Python lists,
    larger ones one search level at a time with numpy (faster from about
    7 x 7 on, by measurement).

    Returns
    -------
    ndarray or None
        One row per basis found, the origin first.

    Examples
    --------
    >>> z = float_polytope_vertices(np.array([[1.0, 2.0], [2.0, 1.0]]))
    >>> sorted(tuple(round(float(v), 6) for v in row) for row in z)
    [(0.0, 0.0), (0.0, 0.5), (0.333333, 0.333333), (0.5, 0.0)]
    >>> float_polytope_vertices(np.array([[1.0, 1.0], [1.0, 1.0]])) is None  # degenerate
    True
    """
    k, d = C.shape
    if k * d <= 40:
        return _float_vertices_loop(C, eps)
    return _float_vertices_batched(C, eps)


def certify_vertex_set(masks: set[int], dim: int) -> bool:
    """True if a set of vertex label masks is provably *all* vertices of a simple polytope.

    Each mask must have exactly ``dim`` labels (a simple vertex), and for each
    vertex ``v`` and each label ``l`` of ``v`` exactly two vertices of the set
    must carry all of ``v``'s labels but ``l``: ``v`` and the other end of the
    edge leaving ``v`` by dropping ``l``.  A set that contains the origin and is
    closed under this adjacency is the whole vertex set, because the graph of a
    polytope is connected (Balinski, 1961).  Any degenerate (non-simple) vertex
    makes the certificate fail, and the caller falls back to full enumeration.

    Examples
    --------
    >>> certify_vertex_set({0b011, 0b101, 0b110}, 2)  # a triangle
    True
    >>> certify_vertex_set({0b011, 0b101}, 2)  # one vertex missing
    False
    """
    width = max(masks, default=0).bit_length()
    if width <= 62 and len(masks) > 64 and hasattr(np, "bitwise_count"):  # numpy pays off
        arr = np.fromiter(masks, dtype=np.int64, count=len(masks))
        if (np.bitwise_count(arr) != dim).any():
            return False
        edge_keys = [arr[(arr >> j) & 1 == 1] ^ (1 << j) for j in range(width)]
        _, counts = np.unique(np.concatenate(edge_keys or [arr[:0]]), return_counts=True)
        return bool((counts == 2).all())
    edges: dict[int, int] = {}
    for mask in masks:
        if mask.bit_count() != dim:
            return False
        rest = mask
        while rest:
            low = rest & -rest
            rest ^= low
            edge = mask ^ low  # the dim - 1 labels kept along the edge that drops this label
            edges[edge] = edges.get(edge, 0) + 1
    return all(count == 2 for count in edges.values())
