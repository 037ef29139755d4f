"""Exact vertices of the polytope ``{z >= 0 : C z <= 1}`` by lexicographic integer pivoting.

Let ``C`` be a positive integer matrix (:func:`positive_integer_matrix`
rescales any rational matrix by a positive affine map, which leaves best
responses and so Nash equilibria unchanged).  The vertices are enumerated by
a graph search over the feasible bases of the polytope ``{z >= 0 : C z <= 1}``.
The right-hand side is perturbed lexicographically (the minimum-ratio test
breaks ties by the rows of the basis inverse), which makes the perturbed
polytope simple and its bases the nodes of a connected graph; every vertex of
the unperturbed polytope is the basic solution of at least one of them
(Dantzig, Orden and Wolfe, 1955; Avis and Fukuda, 1992).  Tableaux hold
integers and are updated by integer pivoting (Edmonds, 1967; Bareiss, 1968):
every entry is a subdeterminant of the input, every division is exact, and
each basic solution is a ratio of two integers.  So every vertex and every
label is exact.

When pycddlib with GMP (``cdd.gmp``) is installed, :func:`polytope_vertices`
can use its exact GMP vertex enumeration instead (``backend="cdd"``); labels
are then computed exactly from the rational vertex coordinates.

The equilibria built from these vertices are in :mod:`.vertex_enumeration`;
the floating-point search and the completeness certificate in
:mod:`.polytope_float`.

References
----------
Avis, D. and Fukuda, K. (1992).  A pivoting algorithm for convex hulls and
vertex enumeration of arrangements and polyhedra.  *Discrete & Computational
Geometry* 8, 295-313.
Bareiss, E. H. (1968).  Sylvester's identity and multistep integer-preserving
Gaussian elimination.  *Mathematics of Computation* 22, 565-578.
Dantzig, G. B., Orden, A. and Wolfe, P. (1955).  The generalized simplex method
for minimizing a linear form under linear inequality restraints.  *Pacific
Journal of Mathematics* 5, 183-195.
Edmonds, J. (1967).  Systems of distinct representatives and linear algebra.
*Journal of Research of the NBS* 71B, 241-245.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm
from typing import Any

import numpy as np

from deterrence.numbers import as_exact

__all__ = ["polytope_vertices", "positive_integer_matrix", "vertex_map"]


def positive_integer_matrix(matrix: Any) -> list[list[int]]:
    """Rescale a rational matrix by a positive affine map to positive integers (minimum 1).

    Multiplying by the common denominator and adding a constant leaves best
    responses, and so Nash equilibria, unchanged.

    Examples
    --------
    >>> positive_integer_matrix([[Fraction(1, 2), -1], [0, 2]])
    [[4, 1], [3, 7]]
    """
    array = np.asarray(matrix, dtype=object)
    flat = array.ravel().tolist()
    if not all(type(v) is Fraction or type(v) is int for v in flat):  # numpy ints, sympy Rationals, ...
        flat = [as_exact(v) for v in flat]
    # Integer arithmetic only (Fraction products are slow): numerator times the cofactor of the denominator.
    scale = lcm(*(v.denominator for v in flat))
    ints = [v.numerator * (scale // v.denominator) for v in flat]
    shift = 1 - min(ints)
    width = array.shape[1]
    return [[v + shift for v in ints[i : i + width]] for i in range(0, len(ints), width)]


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


def vertex_map(C: list[list[int]], backend: str = "pivoting") -> dict[tuple[tuple[int, ...], int], int]:
    """``{(numerators, denominator): labels}`` of every vertex, by ``"pivoting"`` or ``"cdd"``.

    Examples
    --------
    >>> sorted(vertex_map([[1]]).items())
    [(((0,), 1), 1), (((1,), 1), 2)]
    """
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
    return {tuple(Fraction(v, den) for v in nums): mask for (nums, den), mask in vertex_map(C, backend).items()}
