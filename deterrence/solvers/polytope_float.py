"""Vertices of ``{z >= 0 : C z <= 1}`` in floating point, and a certificate that a vertex list is complete.

:func:`float_polytope_vertices` runs the lexicographic pivoting search of
:mod:`.polytope_exact` in floating point for float games (breadth first, one
numpy step per level for larger polytopes).  It is only a proposal: it gives
up on any ratio-test tie, and its callers decide the labels from the payoffs
and certify the list with :func:`certify_vertex_set`, which proves a list of
simple vertices complete (the graph of a polytope is connected; Balinski,
1961).  Both the support enumeration (:mod:`.support_enumeration`) and the
screened vertex enumeration (:mod:`.vertex_enumeration`) use them.

:func:`qhull_vertices` finds the same vertices with qhull (Barber, Dobkin and
Huhdanpaa, 1996) as facets of the polar polytope, and can prove, with
floating-point error bounds, that each one is exactly a simple vertex with
the labels found; the exact path of :mod:`.vertex_enumeration` relies on
that proof.  Larger polytopes go to qhull in :func:`float_polytope_vertices`
too.

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

from typing import NamedTuple

import numpy as np

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
        bits = np.int64(1) << np.arange(width, dtype=np.int64)
        keys = (arr[:, None] ^ bits)[(arr[:, None] & bits) != 0]  # every (vertex, dropped label) edge
        keys = np.sort(keys.astype(np.int32) if width <= 31 else keys)  # int32 sorts twice as fast
        if len(keys) % 2:
            return False
        first, second = keys[0::2], keys[1::2]  # every key exactly twice: equal pairs, distinct neighbours
        return bool((first == second).all() and (first[1:] != second[:-1]).all())
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


#: Polytopes with at least this many entries in ``C`` (and more than the list loop's 40) go to qhull first.
QHULL_FROM = 41
_EPS = float(np.finfo(np.float64).eps)


class QhullVertices(NamedTuple):
    """Simple vertices of ``{z >= 0 : C z <= 1}`` found by qhull (see :func:`qhull_vertices`).

    Attributes
    ----------
    points : ndarray, shape (V, d)
        One vertex per row, the origin first.
    masks : list of int
        Label masks in the convention of :mod:`.polytope_exact`: bit ``j`` when
        ``z_j = 0``, bit ``d + r`` when row ``r`` of ``C z <= 1`` is tight.
    proved : bool
        True when floating-point error bounds show, for every vertex, that
        the exact solution of its ``d`` tight constraints is a vertex with
        exactly those labels (every other constraint holds strictly).
    """

    points: np.ndarray
    masks: list[int]
    proved: bool


def qhull_vertices(C: np.ndarray, safety: float = 1e3, *, prove: bool = True) -> QhullVertices | None:
    """Vertices of ``{z >= 0 : C z <= 1}`` (``C > 0``) from qhull's convex hull of the polar dual.

    The polytope is moved so that an interior point ``p`` is at the origin;
    its polar is the convex hull of the constraint normals divided by their
    slack at ``p``, and each facet of the polar is a vertex of the polytope,
    its points the constraints tight there (the method of QuantEcon's
    ``vertex_enumeration``).  qhull triangulates non-simplicial facets, so a
    vertex with more than ``d`` tight constraints (a degenerate polytope)
    shows as a repeated vertex, a coplanar point or a tight constraint
    outside its simplex; any of these, or a qhull error, gives None and the
    caller pivots instead.

    Parameters
    ----------
    C : ndarray, shape (k, d)
        Positive entries (the polytope is bounded); ``d >= 2``.
    safety : float
        Factor on the floating-point error bounds used for ``proved``.
    prove : bool
        Check the slacks and the error bounds; without it (``proved``
        False) the vertices are a fast proposal whose labels the caller
        must decide and certify itself.

    Returns
    -------
    QhullVertices or None

    Examples
    --------
    >>> found = qhull_vertices(np.array([[1.0, 2.0], [2.0, 1.0]]))
    >>> sorted(tuple(round(float(v), 6) for v in row) for row in found.points)
    [(0.0, 0.0), (0.0, 0.5), (0.333333, 0.333333), (0.5, 0.0)]
    >>> sorted(found.masks), found.proved
    ([3, 5, 10, 12], True)
    >>> qhull_vertices(np.array([[1.0, 1.0], [1.0, 1.0]])) is None  # two rows tight at once
    True
    """
    from scipy.spatial import ConvexHull

    C = np.asarray(C, dtype=np.float64)
    k, d = C.shape
    if d < 2 or not (C > 0).all():
        return None
    D = np.vstack([C, -np.eye(d)])  # D z <= b
    b = np.r_[np.ones(k), np.zeros(d)]
    centre = np.full(d, 0.5 / C.sum(axis=1).max())
    slack = b - D @ centre  # > 0: the centre is interior
    try:
        hull = ConvexHull(D / slack[:, None])
    except Exception:  # scipy.spatial.QhullError, or a flat input
        return None
    if len(hull.coplanar):
        return None  # a constraint lies on a facet without being one of its vertices: degenerate
    eq = hull.equations
    z = centre - eq[:, :d] / eq[:, d:]
    simplices = np.sort(hull.simplices, axis=1) if prove else hull.simplices
    # Labels in polytope_exact's convention: row r of C is bit d + r, z_j >= 0 (constraint k + j) is bit j.
    label_bit = np.r_[np.arange(d, d + k), np.arange(d)].astype(np.int64)
    if d + k > 62:
        masks = [sum(1 << int(label_bit[i]) for i in row) for row in simplices.tolist()]
    else:
        masks = ((np.int64(1) << label_bit[simplices]).sum(axis=1)).tolist()
    if len(set(masks)) != len(masks):
        return None
    first = int(np.argmin(np.abs(z).sum(axis=1)))  # the origin, moved to the front by one swap
    swap = np.arange(len(z))
    swap[[0, first]] = first, 0
    masks[0], masks[first] = masks[first], masks[0]
    if not prove:  # a proposal only: the caller decides the labels and certifies the list
        return QhullVertices(z[swap], masks, False)
    z, simplices = z[swap], simplices[swap]
    # Slack of every constraint at every vertex; those outside the simplex must be clearly positive.
    # einsum, not @: these skinny products are slower through a multithreaded BLAS on a busy machine.
    slacks = b[None, :] - np.einsum("vj,ij->vi", z, D)
    inside = np.zeros(slacks.shape, dtype=bool)
    np.put_along_axis(inside, simplices, True, axis=1)
    outside = np.where(inside, np.inf, slacks)
    terms = np.einsum("vj,ij->vi", np.abs(z), np.abs(D)) + b[None, :]  # size of the terms summed in each slack
    if (outside <= 1e-9 * terms).any():  # within round-off (far above eps, far below a real slack)
        return None  # within round-off of another tight constraint: degenerate, or too close to tell
    proved = _error_bounds_hold(C, D, slacks, terms, simplices, outside, safety)
    z = np.where(inside[:, k:], 0.0, z)  # coordinates at a zero label are exactly zero
    return QhullVertices(z, masks, proved)


def _error_bounds_hold(
    C: np.ndarray,
    D: np.ndarray,
    slacks: np.ndarray,
    terms: np.ndarray,
    simplices: np.ndarray,
    outside: np.ndarray,
    safety: float,
) -> bool:
    """Whether every vertex's exact basic solution keeps every other constraint strictly slack.

    At a vertex with tight rows ``R`` of ``C`` and zero coordinates ``Z``,
    the tight system is block triangular, ``M = [[C_RS, C_RZ], [0, -I]]``
    with ``S`` the support, so ``|M^-1| <= max(1, |C_RS^-1| (1 + |C_RZ|))``
    (infinity norms).  The exact solution ``z*`` of ``M z* = b`` differs from
    the float ``z`` by at most ``|M^-1| (|M z - b| + 4 d eps |M||z|)``, up to
    the error of the computed inverse; the bound is multiplied by ``safety``
    and every other constraint's slack must exceed ``|D_i| |z* - z|`` plus
    its own round-off.
    """
    k, d = C.shape
    inv_norm = np.ones(len(slacks))
    n_rows = (simplices < k).sum(axis=1)  # simplices are sorted: the rows of C come first
    rowsum = np.abs(C).sum(axis=1)
    for size in np.unique(n_rows).tolist():
        if size == 0:
            continue
        group = np.nonzero(n_rows == size)[0]
        R = simplices[group, :size]
        zero = np.zeros((len(group), d), dtype=bool)
        np.put_along_axis(zero, simplices[group, size:] - k, True, axis=1)
        S = np.nonzero(~zero)[1].reshape(len(group), size)
        try:
            inverse = np.linalg.inv(C[R[:, :, None], S[:, None, :]])
        except np.linalg.LinAlgError:
            return False
        norm = np.abs(inverse).sum(axis=2).max(axis=1)
        inv_norm[group] = np.maximum(1.0, norm * (1.0 + rowsum[R].max(axis=1)))
    if not np.isfinite(inv_norm).all():
        return False
    # The residual of the tight rows is minus their slack; their terms bound the round-off in it.
    residual = np.abs(np.take_along_axis(slacks, simplices, axis=1)).max(axis=1)
    size_z = np.take_along_axis(terms, simplices, axis=1).max(axis=1)
    dz = safety * inv_norm * (residual + 4 * d * _EPS * size_z)
    row_norm = np.abs(D).sum(axis=1)
    own = safety * 4 * d * _EPS * terms
    return bool((outside > row_norm[None, :] * dz[:, None] + own).all())


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
