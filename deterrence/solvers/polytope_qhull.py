"""Vertices of ``{z >= 0 : C z <= 1}`` from qhull, and the float all-equilibria path built on them.

:func:`qhull_vertices` finds the vertices with qhull (Barber, Dobkin and
Huhdanpaa, 1996) as the facets of the polar polytope, the method of
QuantEcon's ``vertex_enumeration``, and can prove, with floating-point error
bounds, that each one is exactly a simple vertex with the labels found; the
exact path of :mod:`.vertex_enumeration` relies on that proof.

:func:`qhull_float_equilibria` is the float path of
:func:`~.enumeration.enumerate_equilibria` for games large enough for qhull:
the vertices of both best-response polytopes from one qhull call each, their
labels decided again from the payoffs within tolerance, the lists certified
complete by :func:`~.polytope_float.certify_vertex_set` and the completely
labelled pairs matched by a sorted search of the label masks, all in a few
numpy steps.  It gives up (None) whenever it cannot certify, and the caller
then runs the general path (:func:`~.support_enumeration.float_equilibria`).

qhull is called through scipy's ``_Qhull`` when it is there, which skips the
volume and area that :class:`scipy.spatial.ConvexHull` always computes (a
quarter of the time at 12 x 12); the options are the same as
``ConvexHull``'s, so are the facets.

References
----------
Barber, C. B., Dobkin, D. P. and Huhdanpaa, H. (1996).  The Quickhull
algorithm for convex hulls.  *ACM Transactions on Mathematical Software* 22,
469-483.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from deterrence.solvers.verify import FLOAT_TOLERANCE

__all__ = ["QhullVertices", "hull_facets", "qhull_float_equilibria", "qhull_vertices"]

_EPS = float(np.finfo(np.float64).eps)


def hull_facets(points: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """qhull's triangulated facets of the convex hull of ``points``: vertex indices and hyperplane equations.

    The same qhull run as :class:`scipy.spatial.ConvexHull` (options ``Qt``,
    plus ``Qx`` from 5 dimensions on), without its volume and area.  None
    when qhull fails (a flat or degenerate input).

    Examples
    --------
    >>> simplices, equations = hull_facets(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.2, 0.2]]))
    >>> sorted(sorted(int(i) for i in s) for s in simplices)
    [[0, 1], [0, 2], [1, 2]]
    """
    points = np.ascontiguousarray(points, dtype=np.float64)
    options = b"Qx" if points.shape[1] >= 5 else b""
    try:
        from scipy.spatial._qhull import _Qhull
    except ImportError:  # a scipy without the private class: the public one
        _Qhull = None
    if _Qhull is not None:
        try:
            qhull = _Qhull(b"i", points, options, required_options=b"Qt")
        except TypeError:  # another signature: the public class below
            pass
        except Exception:  # scipy.spatial.QhullError: a flat input
            return None
        else:
            try:
                qhull.triangulate()
                simplices, _, equations, _, _ = qhull.get_simplex_facet_array()
            finally:
                qhull.close()
            return simplices, equations
    from scipy.spatial import ConvexHull

    try:
        hull = ConvexHull(points)
    except Exception:
        return None
    return hull.simplices, hull.equations


def _polar(C: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Vertices of ``{z >= 0 : C z <= 1}`` (``C > 0``), one per *column*, and their tight-constraint simplices.

    The polytope is moved so that the interior point ``c (1, ..., 1)``,
    ``c = 1 / (2 max_r sum_j C_rj)``, is at the origin; its polar is the
    convex hull of the constraint normals divided by their slack there (rows
    of ``C`` first, then ``-e_j`` for ``z_j >= 0``), and each facet of the
    polar is a vertex of the polytope (the method of QuantEcon's
    ``vertex_enumeration``).  Columns, not rows: numpy reduces over the long
    axis far faster than over a short one (a 12-wide row maximum costs fifty
    times more), and every later step reduces over the constraints.
    """
    k, d = C.shape
    rowsum = C.sum(axis=1)
    c = 0.5 / rowsum.max()
    points = np.zeros((k + d, d))
    np.divide(C, (1.0 - c * rowsum)[:, None], out=points[:k])
    points[k:].flat[:: d + 1] = -1.0 / c  # -e_j divided by the slack c of z_j >= 0
    found = hull_facets(points)
    if found is None:
        return None
    simplices, eq = found
    z = np.empty((d, len(eq)))
    np.divide(eq[:, :d].T, eq[:, d], out=z)
    np.subtract(c, z, out=z)
    return z, simplices


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

    Each facet of the polar (see :func:`hull_facets`) is a vertex of the
    polytope, its points the constraints tight there.  qhull triangulates
    non-simplicial facets, so a vertex with more than ``d`` tight
    constraints (a degenerate polytope) shows as a repeated vertex or a
    tight constraint outside its simplex; either, or a qhull error, gives
    None and the caller pivots instead.

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
    C = np.asarray(C, dtype=np.float64)
    k, d = C.shape
    if d < 2 or not (C > 0).all():
        return None
    found = _polar(C)
    if found is None:
        return None
    zt, simplices = found  # one vertex per column
    count = zt.shape[1]
    if k + d > 62:  # label masks as Python ints
        cmask = None
        masks = [sum(1 << (i - k if i >= k else d + i) for i in row) for row in simplices.tolist()]
        if len(set(masks)) != count:
            return None
    else:  # bit i for constraint i (rows of C first, then z_j >= 0 as k + j)
        if k + d <= 52:  # summed exactly in float64, one matrix product
            cmask = ((2.0 ** np.arange(k + d))[simplices] @ np.ones(d)).astype(np.int64)
        else:
            cmask = np.bitwise_or.reduce(np.int64(1) << simplices.astype(np.int64), axis=1)
        # Labels in polytope_exact's convention: bit j when z_j = 0, bit d + r when row r of C is tight.
        labels = (cmask >> k) | ((cmask & ((1 << k) - 1)) << d)
        ordered = np.sort(labels)
        if (ordered[1:] == ordered[:-1]).any():
            return None
        masks = labels.tolist()
    first = int(np.argmin(np.abs(zt).sum(axis=0)))  # the origin, moved to the front by one swap
    swap = np.arange(count)
    swap[[0, first]] = first, 0
    masks[0], masks[first] = masks[first], masks[0]
    if not prove:  # a proposal only: the caller decides the labels and certifies the list
        return QhullVertices(np.ascontiguousarray(zt.T[swap]), masks, False)
    # Columns are vertices, rows constraints: numpy reduces over the long axis much faster.
    if cmask is None:
        inside = np.zeros((k + d, count), dtype=bool)
        inside[simplices.T, np.arange(count)] = True
    else:
        inside = ((cmask[None, :] >> np.arange(k + d)[:, None]) & 1).astype(bool)
    slacks = np.empty((k + d, count))  # of D z <= b, D = [C; -I], b = [1; 0]
    np.subtract(1.0, C @ zt, out=slacks[:k])
    slacks[k:] = zt
    terms = np.empty_like(slacks)  # size of the terms summed in each slack
    np.abs(zt, out=terms[k:])
    np.add(C @ terms[k:], 1.0, out=terms[:k])
    outside = np.where(inside, np.inf, slacks)  # constraints outside the simplex must be clearly slack
    if (outside <= 1e-9 * terms).any():  # within round-off (far above eps, far below a real slack)
        return None  # within round-off of another tight constraint: degenerate, or too close to tell
    proved = _error_bounds_hold(C, slacks, terms, inside, outside, safety)
    zt = np.where(inside[k:], 0.0, zt)  # coordinates at a zero label are exactly zero
    return QhullVertices(np.ascontiguousarray(zt.T[swap]), masks, proved)


def _error_bounds_hold(
    C: np.ndarray,
    slacks: np.ndarray,
    terms: np.ndarray,
    inside: np.ndarray,
    outside: np.ndarray,
    safety: float,
) -> bool:
    """Whether every vertex's exact basic solution keeps every other constraint strictly slack.

    Arrays are constraints x vertices: ``D = [C; -I]``, ``inside`` marks the
    ``d`` constraints of each vertex's simplex.  At a vertex with tight rows
    ``R`` of ``C`` and zero coordinates ``Z``, the tight system is block
    triangular, ``M = [[C_RS, C_RZ], [0, -I]]`` with ``S`` the support, so
    ``|M^-1| <= max(1, |C_RS^-1| (1 + |C_RZ|))`` (infinity norms).  The exact
    solution ``z*`` of ``M z* = b`` differs from the float ``z`` by at most
    ``|M^-1| (|M z - b| + 4 d eps |M||z|)``, up to the error of the computed
    inverse; the bound is multiplied by ``safety`` and every other
    constraint's slack must exceed ``|D_i| |z* - z|`` plus its own round-off.
    The inverses are taken a support size at a time.
    """
    k, d = C.shape
    inv_norm = np.ones(slacks.shape[1])
    tight_rows, support = inside[:k], ~inside[k:]
    n_rows = tight_rows.sum(axis=0)
    rowsum = np.abs(C).sum(axis=1)
    for size in np.unique(n_rows).tolist():
        if size == 0:
            continue
        group = np.nonzero(n_rows == size)[0]
        R = np.nonzero(tight_rows[:, group].T)[1].reshape(len(group), size)  # ascending in each row
        S = np.nonzero(support[:, group].T)[1].reshape(len(group), size)
        try:
            inverse = np.linalg.inv(C[R[:, :, None], S[:, None, :]])
        except np.linalg.LinAlgError:
            return False
        norm = np.abs(inverse).sum(axis=2).max(axis=1)
        inv_norm[group] = np.maximum(1.0, norm * (1.0 + rowsum[R].max(axis=1)))
    if not np.isfinite(inv_norm).all():
        return False
    # The residual of the tight rows is minus their slack; their terms bound the round-off in it.
    residual = np.where(inside, np.abs(slacks), 0.0).max(axis=0)
    size_z = np.where(inside, terms, 0.0).max(axis=0)
    dz = safety * inv_norm * (residual + 4 * d * _EPS * size_z)
    row_norm = np.concatenate((rowsum, np.ones(d)))  # |D_i|: the rows of C, then -e_j
    own = safety * 4 * d * _EPS * terms
    return bool((outside > row_norm[:, None] * dz[None, :] + own).all())


def _unit_range(G: np.ndarray) -> np.ndarray:
    """The positive affine map of ``G`` onto ``[1, 2]`` (all ones for a constant matrix)."""
    low = G.min()
    spread = G.max() - low
    return 1.0 + (G - low) / spread if spread > 0 else np.ones_like(G)


def _side(G: np.ndarray, point_bits: np.ndarray, ptol: float):
    """One best-response polytope of the float path: its mixtures, label masks and edge keys, or None.

    ``G`` holds the responder's payoffs (responder x mixer); the polytope is
    ``{z >= 0 : C z <= 1}`` with ``C`` the map of ``G`` onto ``[1, 2]``.
    ``point_bits`` is ``2.0 ** label`` of each qhull point (the ``k``
    responder rows, then the ``d`` constraints ``z_i >= 0``).  Each vertex's
    labels are decided from the payoffs by the rule of
    :func:`~.support_enumeration.float_equilibria` (bit of mixer ``i`` when
    ``mix[i] <= ptol``; bit of responder ``j`` when it is within
    ``FLOAT_TOLERANCE * max(1, spread)`` of its best reply, ``spread`` the
    range of the payoffs in the columns the mixture uses) and must be exactly
    the constraints of its qhull simplex.  Masks are sums of distinct powers
    of two, exact in float64 below 2**53.

    Returns ``(mix, masks, edges, origin)``: the normalised mixtures (one per
    column, the origin's column meaningless), the label masks, every
    ``(vertex, dropped label)`` edge key as ``mask - bit`` (all floats holding
    integers) and the origin's column.  None when qhull fails, a vertex is
    infeasible beyond ``ptol`` or its labels are not its simplex's.
    """
    C = _unit_range(G)
    found = _polar(C)
    if found is None:
        return None
    zt, simplices = found
    if zt.min() < -ptol or (C @ zt).max() > 1.0 + ptol:
        return None
    clamped = np.maximum(zt, 0.0)
    sums = clamped.sum(axis=0)
    origin = int(np.argmin(sums))  # every other vertex has a coordinate sum of at least 1 / max C = 1 / 2
    sums[origin] = 1.0
    mix = clamped / sums
    k = G.shape[0]
    used = mix > ptol
    # The payoff range over the columns each mixture uses (the rule of response_tolerance).
    spread = np.where(used, G.max(axis=0)[:, None], -np.inf).max(axis=0)
    spread -= np.where(used, G.min(axis=0)[:, None], np.inf).min(axis=0)
    pay = G @ mix  # each responder strategy against each mixture
    tight = pay >= pay.max(axis=0) - FLOAT_TOLERANCE * np.maximum(1.0, spread)
    zero_bits = point_bits[k:]
    masks = point_bits[:k] @ tight + (zero_bits.sum() - zero_bits @ used)
    masks[origin] = zero_bits.sum()  # z = 0: exactly the d constraints z_i >= 0
    bits = point_bits[simplices]
    simplex_masks = bits.sum(axis=1)
    if not (masks == simplex_masks).all():
        return None  # labels other than the qhull simplex's: degenerate within tolerance, or qhull is off
    return mix, masks, masks[:, None] - bits, origin


def qhull_float_equilibria(A: np.ndarray, B: np.ndarray, ptol: float):
    """The extreme equilibria of a nondegenerate float bimatrix game from qhull's vertices, or None.

    The float path of :func:`~.enumeration.enumerate_equilibria` for games
    with ``m, n >= 2`` and ``m n > 40``.  The vertices of ``P`` and ``Q``
    come from qhull (one call each, on the payoffs mapped onto ``[1, 2]``);
    their labels are decided again from the payoffs, each vertex within
    :func:`~.support_enumeration.response_tolerance` of the payoffs its
    responder compares and ``ptol`` on probabilities, exactly as in
    :func:`~.support_enumeration.float_equilibria`.  The answer is returned
    only when every vertex's labels are exactly the constraints of its qhull
    simplex (so it is simple, within tolerance), no two vertices share
    labels, and the label sets pass the certificate of
    :func:`~.polytope_float.certify_vertex_set` (closed under adjacency,
    hence complete).  Each ``x`` then lacks exactly ``n`` labels and pairs
    with the one ``y`` carrying them, found by a sorted search.  Otherwise
    (degenerate within tolerance, infeasible beyond round-off, or a qhull
    failure) None: the caller runs
    :func:`~.support_enumeration.float_equilibria`.

    Returns
    -------
    tuple or None
        ``(pairs, keys, degenerate, certified, notes)`` as
        :func:`~.support_enumeration.float_equilibria` returns them
        (``degenerate`` False, ``certified`` True), the pairs not yet verified.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> A, B = rng.normal(size=(7, 7)), rng.normal(size=(7, 7))
    >>> pairs, keys, degenerate, certified, notes = qhull_float_equilibria(A, B, 1e-9)
    >>> len(pairs), degenerate, certified  # a nondegenerate game has an odd number
    (1, False, True)
    >>> print(notes[0].split(",")[0])
    vertices (pivoting): 77 of P
    """
    m, n = A.shape
    if min(m, n) < 2 or m + n > 52:
        return None
    label_bits = 2.0 ** np.arange(m + n)  # label i: row i; label m + j: column j
    # P's qhull points are the n columns of B (labels m + j), then x_i >= 0 (labels i);
    # Q's the m rows of A (labels i), then y_j >= 0 (labels m + j).
    found_p = _side(B.T, np.roll(label_bits, -m), ptol)
    found_q = _side(A, label_bits, ptol) if found_p is not None else None
    if found_p is None or found_q is None:
        return None
    (XT, x_all, x_edges, x_origin), (YT, y_all, y_edges, y_origin) = found_p, found_q
    # Every (vertex, dropped label) edge exactly twice: equal pairs, distinct neighbours; Q's keys apart from P's.
    edge_keys = np.concatenate((x_edges.ravel(), y_edges.ravel() + 2.0 ** (m + n)))
    edge_keys.sort()
    first, second = edge_keys[0::2], edge_keys[1::2]
    if not ((first == second).all() and (first[1:] != second[:-1]).all()):
        return None
    x_all[x_origin] = y_all[y_origin] = -1.0  # the origins first in the sorted lists, never matched
    x_order, y_order = np.argsort(x_all)[1:], np.argsort(y_all)[1:]
    x_masks, y_masks = x_all[x_order], y_all[y_order]
    if (x_masks[1:] == x_masks[:-1]).any() or (y_masks[1:] == y_masks[:-1]).any():
        return None  # two vertices with one label set
    # Each x lacks exactly n labels; the one y with exactly those completes it (y_masks is sorted).
    need = (2.0 ** (m + n) - 1.0) - x_masks
    at = np.minimum(np.searchsorted(y_masks, need), len(y_masks) - 1)
    hit = np.nonzero(y_masks[at] == need)[0]
    xs = np.maximum(XT[:, x_order[hit]].T, 0.0)
    ys = np.maximum(YT[:, y_order[at[hit]]].T, 0.0)
    xs /= xs.sum(axis=1, keepdims=True)
    ys /= ys.sum(axis=1, keepdims=True)
    pairs = list(zip(xs, ys, strict=True))
    masks = list(zip(x_masks[hit].astype(np.int64).tolist(), y_masks[at[hit]].astype(np.int64).tolist(), strict=True))
    within = "each vertex's tolerance (1e-9 x the range of the payoffs compared)"
    notes = [f"vertices (pivoting): {len(x_masks)} of P, {len(y_masks)} of Q, labels within tolerance {within}"]
    return pairs, masks, False, True, notes
