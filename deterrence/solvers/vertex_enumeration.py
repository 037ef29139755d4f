"""Exact vertex enumeration of the best-response polytopes of a bimatrix game.

Let ``A`` and ``B`` be the ``m x n`` payoff matrices of the row and column
player, shifted by a positive affine map so that every entry is a positive
integer (Nash equilibria do not change).  The best-response polytopes are

.. math::

    P = \\{x \\in \\mathbb{R}^m : x \\ge 0,\\ B^\\top x \\le 1\\}, \\qquad
    Q = \\{y \\in \\mathbb{R}^n : A y \\le 1,\\ y \\ge 0\\}.

A point of either polytope carries the *labels* of its tight inequalities:
label ``i`` (a row, ``0 <= i < m``) when :math:`x_i = 0` in ``P`` or
:math:`(Ay)_i = 1` in ``Q``, and label ``m + j`` (a column) when
:math:`(B^\\top x)_j = 1` in ``P`` or :math:`y_j = 0` in ``Q``.  The extreme Nash
equilibria are exactly the pairs of vertices :math:`(x, y) \\ne (0, 0)` whose
labels together cover all ``m + n`` labels, rescaled to sum to one (von
Stengel, 2002; Avis, Rosenberg, Savani and von Stengel, 2010).  The game is
*degenerate* exactly when some vertex of ``P`` has more than ``m`` labels or
some vertex of ``Q`` more than ``n`` (von Stengel, 2002, section 3.4): a mixed
strategy with support size ``k`` then has more than ``k`` pure best replies.

The vertices are enumerated by a graph search over the feasible bases of the
polytope ``{z >= 0 : C z <= 1}``.  The right-hand side is perturbed
lexicographically (the minimum-ratio test breaks ties by the rows of the basis
inverse), which makes the perturbed polytope simple and its bases the nodes of
a connected graph; every vertex of the unperturbed polytope is the basic
solution of at least one of them (Dantzig, Orden and Wolfe, 1955; Avis and
Fukuda, 1992).  Tableaux hold integers and are updated by integer pivoting
(Edmonds, 1967; Bareiss, 1968): every entry is a subdeterminant of the input,
every division is exact, and each basic solution is a ratio of two integers.
So every vertex, every label and the degeneracy verdict are exact.

When pycddlib with GMP (``cdd.gmp``) is installed, :func:`polytope_vertices` can use
its exact GMP vertex enumeration instead (``backend="cdd"``); labels are then
computed exactly from the rational vertex coordinates.  A third route
(``backend="screened"``) solves every basis in floating point and confirms the
feasible ones exactly; :func:`certify_vertex_set` then proves such a list
complete when the game is nondegenerate.

:func:`float_polytope_vertices` runs the same search in floating point for
float games (breadth first, one numpy step per level for larger polytopes).
It is only a proposal: it gives up on any ratio-test tie, and its callers
decide the labels from the payoffs and certify the list.

References
----------
Avis, D. and Fukuda, K. (1992).  A pivoting algorithm for convex hulls and
vertex enumeration of arrangements and polyhedra.  *Discrete & Computational
Geometry* 8, 295-313.
Avis, D., Rosenberg, G. D., Savani, R. and von Stengel, B. (2010).  Enumeration
of Nash equilibria for two-player games.  *Economic Theory* 42, 9-37.
Balinski, M. L. (1961).  On the graph structure of convex polyhedra in
n-space.  *Pacific Journal of Mathematics* 11, 431-434.
Bareiss, E. H. (1968).  Sylvester's identity and multistep integer-preserving
Gaussian elimination.  *Mathematics of Computation* 22, 565-578.
Dantzig, G. B., Orden, A. and Wolfe, P. (1955).  The generalized simplex method
for minimizing a linear form under linear inequality restraints.  *Pacific
Journal of Mathematics* 5, 183-195.
Edmonds, J. (1967).  Systems of distinct representatives and linear algebra.
*Journal of Research of the NBS* 71B, 241-245.
von Stengel, B. (2002).  Computing equilibria for two-person games.  In
*Handbook of Game Theory* vol. 3, ch. 45, 1723-1759.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm
from typing import Any

import numpy as np

from deterrence.numbers import as_exact

__all__ = [
    "certify_vertex_set",
    "float_polytope_vertices",
    "polytope_vertices",
    "positive_integer_matrix",
    "vertex_equilibria",
]


def positive_integer_matrix(matrix: Any) -> list[list[int]]:
    """Rescale a rational matrix by a positive affine map to positive integers (minimum 1).

    Multiplying by the common denominator and adding a constant leaves best
    responses, and so Nash equilibria, unchanged.

    Examples
    --------
    >>> positive_integer_matrix([[Fraction(1, 2), -1], [0, 2]])
    [[4, 1], [3, 7]]
    """
    values = [[as_exact(v) for v in row] for row in np.asarray(matrix, dtype=object)]
    scale = lcm(*(v.denominator for row in values for v in row))
    ints = [[int(v * scale) for v in row] for row in values]
    shift = 1 - min(min(row) for row in ints)
    return [[v + shift for v in row] for row in ints]


def _lex_leaving(rows: list[list[int]], q: int, det: int, where: list[int], d: int) -> int:
    """Row that leaves the basis when the cobasic variable in column ``q`` enters.

    This is the lexicographic minimum-ratio test: a row's key is ``(rhs, row
    of the basis inverse) / entry``.  Rows of the basis inverse are
    independent, so the minimum is unique.  Keys are compared by
    cross-multiplication, which is exact and keeps everything integer.  The
    basis inverse is the slack part of the full tableau: a cobasic slack's
    column is stored, a basic slack's column is ``det`` times a unit vector.
    """
    best = -1
    for i, row in enumerate(rows):
        a = row[q]
        if a <= 0:
            continue
        if best < 0:
            best = i
            continue
        top = rows[best]
        b = top[q]
        diff = row[0] * b - top[0] * a
        if diff == 0:  # degenerate tie on the right-hand side: walk down the perturbation
            for w in where[d:]:
                if w < 0:
                    diff = row[-w] * b - top[-w] * a
                else:
                    diff = (det if i == w else 0) * b - (det if best == w else 0) * a
                if diff:
                    break
        if diff < 0:
            best = i
    return best


def _pivot(rows: list[list[int]], r: int, q: int, det: int) -> list[list[int]]:
    """Integer pivot of the dictionary on row ``r``, column ``q``; ``det`` is the previous pivot.

    The leaving variable takes over column ``q``.  Every division is exact
    (each entry is a subdeterminant of the input).
    """
    prow = rows[r]
    p = prow[q]
    out = []
    for i, row in enumerate(rows):
        if i == r:
            new = prow.copy()
            new[q] = det
        else:
            a = row[q]
            if a == 0:
                new = [v * p // det for v in row]
            else:
                new = [(v * p - a * w) // det for v, w in zip(row, prow, strict=True)]
                new[q] = -a
        out.append(new)
    return out


def _vertices_pivoting(C: list[list[int]]) -> dict[tuple[tuple[int, ...], int], int]:
    """Vertices as ``{(numerators, denominator): labels}`` by a search over lex-feasible bases."""
    k, d = len(C), len(C[0])
    # Dictionary form: row r holds [rhs, entries of the d cobasic columns] of the integer tableau.
    # Variables 0..d-1 are z, d..d+k-1 the slacks of C z <= 1.
    rows = [[1, *row] for row in C]
    basis = list(range(d, d + k))
    cobasis = list(range(d))
    all_bits = (1 << (d + k)) - 1
    start = sum(1 << b for b in basis)
    seen = {start}
    stack = [(rows, basis, cobasis, start, 1)]
    vertices: dict[tuple[tuple[int, ...], int], int] = {}
    while stack:
        rows, basis, cobasis, bits, det = stack.pop()
        numerators = [0] * d
        nonzero = 0
        for row, b in zip(rows, basis, strict=True):
            if row[0]:
                nonzero |= 1 << b
                if b < d:
                    numerators[b] = row[0]
        g = gcd(det, *numerators)
        key = (tuple(v // g for v in numerators), det // g)
        vertices.setdefault(key, all_bits & ~nonzero)
        # where[v] = row of a basic variable, or -(column) of a cobasic one.
        where = [0] * (d + k)
        for r, b in enumerate(basis):
            where[b] = r
        for q, v in enumerate(cobasis, start=1):
            where[v] = -q
        for q, entering in enumerate(cobasis, start=1):
            r = _lex_leaving(rows, q, det, where, d)
            # r >= 0 always: C > 0 makes the polytope bounded, so every column has a positive entry.
            new_bits = (bits & ~(1 << basis[r])) | (1 << entering)
            if new_bits in seen:
                continue
            seen.add(new_bits)
            new_basis = basis.copy()
            new_cobasis = cobasis.copy()
            new_cobasis[q - 1] = basis[r]
            new_basis[r] = entering
            stack.append((_pivot(rows, r, q, det), new_basis, new_cobasis, new_bits, rows[r][q]))
    return vertices


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


def _vertices_cdd(C: list[list[int]]) -> dict[tuple[tuple[int, ...], int], int]:
    """Vertices as ``{(numerators, denominator): labels}`` from pycddlib's exact enumeration.

    Needs pycddlib >= 3 built with GMP (``cdd.gmp``).  pycddlib-standalone is
    float-only and is refused, since floats cannot decide labels exactly.
    """
    try:
        import cdd
        import cdd.gmp as gmp
    except ImportError:
        raise ImportError(
            "the cdd backend needs pycddlib with exact GMP arithmetic (cdd.gmp); "
            "pycddlib-standalone is float-only; use backend='pivoting'"
        ) from None
    d = len(C[0])
    # H-representation rows [b | -A] mean b - A z >= 0: here 1 - C z >= 0 and z >= 0.
    rows = [[1, *(-v for v in row)] for row in C]
    rows += [[0, *(int(i == j) for i in range(d))] for j in range(d)]
    mat = gmp.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY)
    generators = gmp.copy_generators(gmp.polyhedron_from_matrix(mat)).array
    vertices: dict[tuple[tuple[int, ...], int], int] = {}
    for gen in generators:
        coords = [Fraction(v) for v in gen[1:]]
        den = lcm(*(v.denominator for v in coords))
        nums = [int(v * den) for v in coords]
        mask = sum(1 << j for j in range(d) if nums[j] == 0)
        for r, row in enumerate(C):
            if sum(a * z for a, z in zip(row, nums, strict=True)) == den:
                mask |= 1 << (d + r)
        vertices[(tuple(nums), den)] = mask
    return vertices


def _vertex_map(C: list[list[int]], backend: str) -> dict[tuple[tuple[int, ...], int], int]:
    if backend == "pivoting":
        return _vertices_pivoting(C)
    if backend == "cdd":
        return _vertices_cdd(C)
    raise ValueError(f"unknown vertex enumeration backend {backend!r}")


def polytope_vertices(C: list[list[int]], *, backend: str = "pivoting") -> dict[tuple[Fraction, ...], int]:
    """All vertices of ``{z >= 0 : C z <= 1}`` for a positive integer matrix ``C``, exactly.

    Parameters
    ----------
    C : list of list of int
        ``k x d`` matrix with positive entries (so the polytope is bounded).
    backend : {"pivoting", "cdd"}
        Lexicographic integer pivoting (pure Python, always available) or
        pycddlib's exact vertex enumeration (needs pycddlib with GMP, ``cdd.gmp``).

    Returns
    -------
    dict
        ``{coordinates: labels}`` where coordinates is a tuple of Fractions and
        labels a bitmask: bit ``j`` when ``z_j = 0``, bit ``d + r`` when row
        ``r`` of ``C z <= 1`` is tight.

    Examples
    --------
    >>> verts = polytope_vertices([[1, 2], [2, 1]])
    >>> sorted((tuple(str(v) for v in z), bin(mask)) for z, mask in verts.items())[:2]
    [(('0', '0'), '0b11'), (('0', '1/2'), '0b101')]
    >>> len(verts)
    4
    """
    return {tuple(Fraction(v, den) for v in nums): mask for (nums, den), mask in _vertex_map(C, backend).items()}


def _labels_array(masks: list[int], bits: int) -> np.ndarray:
    # int64 holds up to 62 labels; bigger games (never seen in practice) fall back to Python ints.
    return np.array(masks, dtype=np.int64 if bits <= 62 else object)


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


def _screened_maps(a: list[list[int]], b: list[list[int]]):
    """Vertices of P and Q from the batched floating-point screen, confirmed exactly.

    Also returns whether :func:`certify_vertex_set` proves the lists complete
    (never in a degenerate game).
    """
    from deterrence.solvers.support_enumeration import confirm_exact, screen_bases

    m, n = len(a), len(a[0])

    def as_float(matrix: list[list[int]]) -> np.ndarray:
        top = max(max(row) for row in matrix)
        return np.array([[v / top for v in row] for row in matrix])  # int / int is exact-rounded

    # Loose tolerances: the screen only proposes; exact arithmetic decides.
    xs, ys = screen_bases(as_float(a), as_float(b), 1e-6, 1e-6, 1e-6)
    bt = [list(col) for col in zip(*b, strict=True)]
    p_vertices = confirm_exact(bt, zip(xs.support, xs.tight, strict=True), own_rows=True)
    q_vertices = confirm_exact(a, zip(ys.support, ys.tight, strict=True), own_rows=False)
    p_vertices[((0,) * m, 1)] = (1 << m) - 1
    q_vertices[((0,) * n, 1)] = ((1 << n) - 1) << m
    certified = certify_vertex_set(set(p_vertices.values()), m) and certify_vertex_set(set(q_vertices.values()), n)
    return p_vertices, q_vertices, certified


def vertex_equilibria(
    A: Any, B: Any, *, backend: str = "auto"
) -> tuple[list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]], bool, tuple[int, int], str]:
    """Every extreme Nash equilibrium of the bimatrix game ``(A, B)``, exactly.

    Parameters
    ----------
    A, B : array_like of int or Fraction
        Row and column player's ``m x n`` payoff matrices.
    backend : {"auto", "pivoting", "cdd", "screened"}
        ``"pivoting"`` and ``"cdd"`` are complete exact enumerations, see
        :func:`polytope_vertices`; ``"auto"`` is ``"pivoting"`` (fastest by
        measurement, see ``benchmarks/all_equilibria.py``).  ``"screened"``
        solves every basis in floating point, confirms the feasible ones
        exactly and tries to prove the lists complete with
        :func:`certify_vertex_set` (possible only in a nondegenerate game).

    Returns
    -------
    pairs : list of (tuple of Fraction, tuple of Fraction)
        The extreme equilibria ``(x, y)``, unsorted.
    degenerate : bool
        Whether some mixed strategy with support size ``k`` has more than
        ``k`` pure best replies (decided exactly from the vertex labels).
    vertex_counts : (int, int)
        Number of vertices of ``P`` and ``Q`` (including the origin).
    used : str
        The backend that produced the vertices; ``"screened-uncertified"``
        when the screened lists could not be proved complete (every other
        backend's lists are complete).

    Examples
    --------
    >>> pairs, degenerate, counts, used = vertex_equilibria([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    >>> sorted([[str(v) for v in x + y] for x, y in pairs])
    [['0', '1', '0', '1'], ['1', '0', '1', '0'], ['1/2', '1/2', '1/2', '1/2']]
    >>> degenerate, counts, used
    (False, (4, 4), 'pivoting')
    """
    a = positive_integer_matrix(A)
    b = positive_integer_matrix(B)
    m, n = len(a), len(a[0])
    if backend == "auto":
        backend = "pivoting"
    if backend == "screened":
        p_vertices, q_vertices, certified = _screened_maps(a, b)
        backend = "screened" if certified else "screened-uncertified"
    else:
        p_vertices = _vertex_map([list(col) for col in zip(*b, strict=True)], backend)
        q_local = _vertex_map(a, backend)
        # In Q, local bits 0..n-1 are y_j = 0 (labels m+j), bits n..n+m-1 are rows (labels 0..m-1).
        low = (1 << n) - 1
        q_vertices = {y: ((mask & low) << m) | (mask >> n) for y, mask in q_local.items()}
    degenerate = any(mask.bit_count() > m for mask in p_vertices.values()) or any(
        mask.bit_count() > n for mask in q_vertices.values()
    )
    full = (1 << (m + n)) - 1
    xs = [(nums, mask) for (nums, _), mask in p_vertices.items() if any(nums)]
    ys = [(nums, mask) for (nums, _), mask in q_vertices.items() if any(nums)]
    pairs = []
    if xs and ys:
        x_masks = _labels_array([mask for _, mask in xs], m + n)
        y_masks = _labels_array([mask for _, mask in ys], m + n)
        # Completely labelled pairs: every label is carried by x or by y.
        hits = np.nonzero((x_masks[:, None] | y_masks[None, :]) == full)
        for i, j in zip(hits[0].tolist(), hits[1].tolist(), strict=True):
            pairs.append((_normalise(xs[i][0]), _normalise(ys[j][0])))
    return pairs, degenerate, (len(p_vertices), len(q_vertices)), backend


def _normalise(nums: tuple[int, ...]) -> tuple[Fraction, ...]:
    total = sum(nums)
    return tuple(Fraction(v, total) for v in nums)
