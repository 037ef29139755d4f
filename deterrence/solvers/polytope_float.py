"""Vertices of ``{z >= 0 : C z <= 1}`` in floating point, and a certificate that a vertex list is complete.

:func:`float_polytope_vertices` runs the lexicographic pivoting search of
:mod:`.polytope_exact` in floating point for float games (breadth first, one
numpy step per level for larger polytopes).  It is only a proposal: it gives
up on any ratio-test tie, and its callers decide the labels from the payoffs
and certify the list with :func:`certify_vertex_set`, which proves a list of
simple vertices complete (the graph of a polytope is connected; Balinski,
1961).  Both the support enumeration (:mod:`.support_enumeration`) and the
screened vertex enumeration (:mod:`.vertex_enumeration`) use them.

:func:`qhull_vertices` (from :mod:`.polytope_qhull`, re-exported here)
finds the same vertices with qhull (Barber, Dobkin and Huhdanpaa, 1996) as
facets of the polar polytope, and can prove, with floating-point error
bounds, that each one is exactly a simple vertex with the labels found; the
exact path of :mod:`.vertex_enumeration` relies on that proof.  Larger
polytopes go to qhull in :func:`float_polytope_vertices` too.

:func:`complementary_pairs` matches the vertices of the two polytopes whose
labels together cover every label (the equilibria) by hashing the label
masks: linear in the number of vertices for nondegenerate games, and in
bounded memory for degenerate ones (issue 9: a dense comparison of all
pairs needed 23 GB at 15 x 15).

References
----------
Balinski, M. L. (1961).  On the graph structure of convex polyhedra in
n-space.  *Pacific Journal of Mathematics* 11, 431-434.
Barber, C. B., Dobkin, D. P. and Huhdanpaa, H. (1996).  The Quickhull
algorithm for convex hulls.  *ACM Transactions on Mathematical Software* 22,
469-483.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from deterrence.solvers.polytope_qhull import QhullVertices, qhull_vertices

__all__ = [
    "QhullVertices",
    "certify_vertex_set",
    "complementary_pairs",
    "float_polytope_vertices",
    "qhull_vertices",
]


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
    :func:`certify_vertex_set`.  Small polytopes pivot on Python lists;
    from :data:`QHULL_FROM` entries on, :func:`qhull_vertices` is tried
    first (falling back to pivoting one search level at a time with numpy
    when it sees a degenerate vertex).

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
    if d >= 2 and k * d >= QHULL_FROM:
        found = qhull_vertices(C, prove=False)
        if found is not None:
            return found.points
    return _float_vertices_batched(C, eps)


def certify_vertex_set(masks: Collection[int] | np.ndarray, dim: int) -> bool:
    """True if a set of vertex label masks is provably *all* vertices of a simple polytope.

    Each mask must have exactly ``dim`` labels (a simple vertex), and for each
    vertex ``v`` and each label ``l`` of ``v`` exactly two vertices of the set
    must carry all of ``v``'s labels but ``l``: ``v`` and the other end of the
    edge leaving ``v`` by dropping ``l``.  A set that contains the origin and is
    closed under this adjacency is the whole vertex set, because the graph of a
    polytope is connected (Balinski, 1961).  Any degenerate (non-simple) vertex
    makes the certificate fail, and the caller falls back to full enumeration.

    ``masks`` is a set of ints, or an int64 array of distinct masks.

    Examples
    --------
    >>> certify_vertex_set({0b011, 0b101, 0b110}, 2)  # a triangle
    True
    >>> certify_vertex_set({0b011, 0b101}, 2)  # one vertex missing
    False
    """
    if isinstance(masks, np.ndarray):
        if len(masks) > 64 and hasattr(np, "bitwise_count") and masks.dtype == np.int64 and (masks >= 0).all():
            return _certify_numpy(masks, dim)
        masks = set(masks.tolist())
    width = max(masks, default=0).bit_length()
    if width <= 62 and len(masks) > 64 and hasattr(np, "bitwise_count"):  # numpy pays off
        return _certify_numpy(np.fromiter(masks, dtype=np.int64, count=len(masks)), dim)
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


def _certify_numpy(arr: np.ndarray, dim: int) -> bool:
    """:func:`certify_vertex_set` for distinct non-negative int64 masks: sort every edge key, in C."""
    if (np.bitwise_count(arr) != dim).any():
        return False
    if int(arr.max(initial=0)).bit_length() <= 31:  # int32 sorts twice as fast
        arr = arr.astype(np.int32)
    keys = np.empty((dim, len(arr)), dtype=arr.dtype)  # every (vertex, dropped label) edge
    rest = arr.copy()
    for t in range(dim):  # peel off the lowest remaining label, dim times
        low = rest & -rest
        np.bitwise_xor(arr, low, out=keys[t])
        rest ^= low
    keys = np.sort(keys, axis=None)
    if len(keys) % 2:
        return False
    first, second = keys[0::2], keys[1::2]  # every key exactly twice: equal pairs, distinct neighbours
    return bool((first == second).all() and (first[1:] != second[:-1]).all())


#: Polytopes with at least this many entries in ``C`` (and more than the list loop's 40) go to qhull first.
QHULL_FROM = 41


def complementary_pairs(x_masks: list[int], y_masks: list[int], full: int, y_dim: int) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``x_masks[i] | y_masks[j] == full``, by hashing, in bounded memory.

    A pair covers every label when the labels ``x`` lacks, ``full & ~x``, are
    a subset of ``y``'s.  Each vertex ``y`` of a ``y_dim``-dimensional
    polytope has at least ``y_dim`` labels, and exactly ``y_dim`` when it is
    simple; when ``x`` lacks exactly ``y_dim`` labels, only a simple ``y``
    with exactly those labels or a ``y`` with extra labels can match.  So
    simple ``y`` are found by one dictionary look-up, and only the
    degenerate vertices (an ``x`` lacking fewer labels, a ``y`` with more)
    are compared against the other side, a block at a time.  In a
    nondegenerate game the work is linear in the number of vertices.

    Examples
    --------
    The third ``y`` has three labels (degenerate) and covers both the second and third ``x``:

    >>> complementary_pairs([0b0011, 0b0101, 0b1110], [0b1100, 0b1010, 0b1011], 0b1111, 2)
    [(0, 0), (1, 1), (1, 2), (2, 2)]
    """
    if full.bit_length() <= 62 and hasattr(np, "bitwise_count") and x_masks and y_masks:
        return _complementary_numpy(x_masks, y_masks, full, y_dim)
    simple: dict[int, list[int]] = {}
    extra: list[int] = []
    for j, mask in enumerate(y_masks):
        if mask.bit_count() == y_dim:
            simple.setdefault(mask, []).append(j)
        else:
            extra.append(j)
    pairs: list[tuple[int, int]] = []
    short: list[int] = []  # x lacking fewer than y_dim labels (a degenerate x)
    for i, mask in enumerate(x_masks):
        need = full & ~mask
        if need.bit_count() == y_dim:
            pairs.extend((i, j) for j in simple.get(need, ()))
        elif need.bit_count() < y_dim:
            short.append(i)
    if extra:  # degenerate y: against every x
        pairs.extend(_blockwise(range(len(x_masks)), extra, x_masks, y_masks, full))
    if short:  # degenerate x: against every simple y (the extra ones were just done)
        simple_js = [j for js in simple.values() for j in js]
        pairs.extend(_blockwise(short, simple_js, x_masks, y_masks, full))
    return sorted(set(pairs))


def _complementary_numpy(x_masks: list[int], y_masks: list[int], full: int, y_dim: int) -> list[tuple[int, int]]:
    """:func:`complementary_pairs` for int64 masks: the look-up is a sorted search, in C."""
    xa = np.array(x_masks, dtype=np.int64)
    ya = np.array(y_masks, dtype=np.int64)
    y_simple = np.nonzero(np.bitwise_count(ya) == y_dim)[0]
    y_extra = np.nonzero(np.bitwise_count(ya) != y_dim)[0]
    order = y_simple[np.argsort(ya[y_simple], kind="stable")]
    keys = ya[order]
    need = np.int64(full) & ~xa
    need_count = np.bitwise_count(need)
    exact_x = np.nonzero(need_count == y_dim)[0]
    lo = np.searchsorted(keys, need[exact_x], side="left")
    hi = np.searchsorted(keys, need[exact_x], side="right")
    pairs: list[tuple[int, int]] = []
    one = hi - lo == 1  # the usual case: one simple y carries exactly the missing labels
    pairs.extend(zip(exact_x[one].tolist(), order[lo[one]].tolist(), strict=True))
    for i, a, b in zip(exact_x[hi - lo > 1].tolist(), lo[hi - lo > 1].tolist(), hi[hi - lo > 1].tolist(), strict=True):
        pairs.extend((i, int(j)) for j in order[a:b])
    if len(y_extra):
        pairs.extend(_blockwise(range(len(x_masks)), y_extra.tolist(), x_masks, y_masks, full))
    short = np.nonzero(need_count < y_dim)[0]
    if len(short):
        pairs.extend(_blockwise(short.tolist(), y_simple.tolist(), x_masks, y_masks, full))
    return sorted(set(pairs))


def _blockwise(xs, ys, x_masks: list[int], y_masks: list[int], full: int, block: int = 1 << 22):
    """Pairs covering ``full`` among ``xs`` x ``ys``, at most ``block`` comparisons in memory at once."""
    xs, ys = list(xs), list(ys)
    if not xs or not ys:
        return []
    if full.bit_length() > 62:  # Python ints
        return [(i, j) for i in xs for j in ys if x_masks[i] | y_masks[j] == full]
    xa = np.array([x_masks[i] for i in xs], dtype=np.int64)
    ya = np.array([y_masks[j] for j in ys], dtype=np.int64)
    step = max(1, block // len(ya))
    out: list[tuple[int, int]] = []
    for start in range(0, len(xa), step):
        hit_i, hit_j = np.nonzero((xa[start : start + step, None] | ya[None, :]) == full)
        out.extend(zip((hit_i + start).tolist(), hit_j.tolist(), strict=True))
    return [(xs[i], ys[j]) for i, j in out]
