"""Issue 9: the qhull float path, the column-layout proof of qhull's vertices and the integer verifier.

Each test names what would be wrong if it failed.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from deterrence.solvers.enumeration import enumerate_equilibria
from deterrence.solvers.polytope_exact import _vertices_pivoting, positive_integer_matrix
from deterrence.solvers.polytope_float import certify_vertex_set
from deterrence.solvers.polytope_qhull import _side, hull_facets, qhull_float_equilibria, qhull_vertices
from deterrence.solvers.support_enumeration import float_equilibria
from deterrence.solvers.verify import is_nash
from deterrence.solvers.vertex_enumeration import exact_nash_flags, vertex_equilibria


def _rounded(pairs, digits=9):
    return {tuple(np.round(np.array([float(v) for v in (*x, *y)]), digits)) for x, y in pairs}


@pytest.mark.parametrize("size", [7, 8, 9, 10])
def test_float_path_equals_exact_enumeration_on_random_games(size):
    # The float path (qhull_float_equilibria from 41 cells on) must list exactly the equilibria of
    # the exact path, certified complete, on 3 random nondegenerate games per size; a lost or an
    # invented equilibrium, or complete=False, fails.
    rng = np.random.default_rng(900 + size)
    games = 0
    while games < 3:
        A, B = rng.integers(-1000, 1001, (size, size)), rng.integers(-1000, 1001, (size, size))
        exact = enumerate_equilibria(A.astype(object), B.astype(object))
        if exact.degenerate:  # a rare exact tie: not this test's subject
            continue
        games += 1
        fast = enumerate_equilibria(A / 1000.0, B / 1000.0)
        assert exact.complete and "qhull" in exact.notes[0]
        assert fast.complete and not fast.degenerate and fast.method == "support-float"
        assert _rounded(fast.equilibria) == _rounded(exact.equilibria)
        assert len(fast.equilibria) % 2 == 1  # nondegenerate: an odd number


@pytest.mark.parametrize("seed", range(12))
def test_fast_float_path_gives_what_the_general_float_path_gives(seed):
    # Same pairs (to 1e-12), same label keys, same flags and notes as support_enumeration.float_equilibria,
    # on rectangular games too; when it gives up (None) the general path must not have certified
    # a nondegenerate list it could have matched.
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(5, 10)), int(rng.integers(5, 10))
    if m * n < 41:
        n = 41 // m + 1
    A, B = rng.normal(size=(m, n)), rng.normal(size=(m, n))
    fast = qhull_float_equilibria(A, B, 1e-9)
    slow = float_equilibria(A, B, None, 1e-9)
    assert fast is not None and slow[3] and not slow[2]

    def listed(found):
        return sorted(
            (tuple(np.round(np.r_[x, y], 12).tolist()), key) for (x, y), key in zip(found[0], found[1], strict=True)
        )

    assert listed(fast) == listed(slow) and fast[2:] == slow[2:]


@pytest.mark.parametrize("seed", range(8))
def test_fast_float_path_refuses_degenerate_games(seed):
    # Payoffs in {0, 1, 2} tie everywhere: a degenerate game must never come back from the fast path
    # (it would report degenerate=False); enumerate_equilibria then reports what the general path does.
    rng = np.random.default_rng(seed)
    A, B = rng.integers(0, 3, (7, 7)).astype(float), rng.integers(0, 3, (7, 7)).astype(float)
    exact = vertex_equilibria(A.astype(int).astype(object), B.astype(int).astype(object))
    fast = qhull_float_equilibria(A, B, 1e-9)
    if exact.degenerate:
        assert fast is None
        result = enumerate_equilibria(A, B)
        assert result.degenerate and result.method == "vertex-exact-binary"
    else:
        assert fast is not None


def test_degenerate_exact_games_still_go_to_exact_pivoting():
    # The qhull proof must fail on a degenerate game, whose answer then comes from exact pivoting
    # (backend "pivoting", degenerate True) with the same set as pivoting alone.
    rng = np.random.default_rng(4)
    for _ in range(6):
        A = rng.integers(0, 3, (7, 7)).astype(object)
        B = rng.integers(0, 3, (7, 7)).astype(object)
        fast, slow = vertex_equilibria(A, B), vertex_equilibria(A, B, backend="pivoting")
        assert set(fast.pairs) == set(slow.pairs) and fast.degenerate == slow.degenerate
        if slow.degenerate:
            assert fast.backend == "pivoting"
        else:
            assert fast.backend == "qhull"


@pytest.mark.parametrize("seed", range(6))
def test_qhull_vertices_are_the_exact_vertices_with_their_labels(seed):
    # Every proved qhull vertex must be an exact vertex with exactly the labels found: the label sets
    # equal exact pivoting's, and the points its coordinates (a wrong label or a missed vertex fails).
    rng = np.random.default_rng(seed)
    k, d = int(rng.integers(3, 8)), int(rng.integers(3, 8))
    ints = rng.integers(1, 200, (k, d))
    ints[0, 0] = 1  # positive_integer_matrix then leaves it as it is: the same polytope, scaled
    found = qhull_vertices(ints / ints.max())
    exact = _vertices_pivoting(positive_integer_matrix(ints.astype(object)))
    if any(mask.bit_count() > d for mask in exact.values()):  # a degenerate polytope: refused
        assert found is None or not found.proved
        return
    assert found is not None and found.proved
    assert found.masks[0] == (1 << d) - 1  # the origin first
    assert sorted(found.masks) == sorted(exact.values())
    assert len(found.points) == len(exact)


def test_qhull_vertices_refuse_a_degenerate_polytope():
    # Two rows of C tight at once at a vertex: no proof, None (the caller pivots exactly).
    assert qhull_vertices(np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 2.0, 3.0]])) is None


def test_hull_facets_without_the_private_class_match_convex_hull(monkeypatch):
    # If scipy's _Qhull is missing, the public ConvexHull must give the same facets (a broken
    # fallback would silently change every qhull answer).
    import scipy.spatial._qhull as private

    points = np.random.default_rng(2).normal(size=(30, 5))
    fast = hull_facets(points)
    monkeypatch.delattr(private, "_Qhull")
    slow = hull_facets(points)
    assert fast is not None and slow is not None
    assert sorted(map(tuple, np.sort(fast[0], axis=1))) == sorted(map(tuple, np.sort(slow[0], axis=1)))
    assert hull_facets(np.zeros((5, 3))) is None  # a flat input: qhull fails, None


@pytest.mark.parametrize("seed", range(10))
def test_integer_verifier_agrees_with_is_nash(seed):
    # exact_nash_flags must give is_nash's verdict on equilibria and on near misses (shifted mass,
    # a negative probability, a sum off one); a disagreement in either direction fails.
    rng = np.random.default_rng(seed)
    A = rng.integers(-5, 6, (4, 5)).astype(object)
    B = rng.integers(-5, 6, (4, 5)).astype(object)
    A[0, 0] = Fraction(1, 3)  # one non-integer payoff
    pairs = list(vertex_equilibria(A, B).pairs)
    x, y = pairs[0]
    third = Fraction(1, 3)
    misses = [
        ((x[1], x[0], *x[2:]), y),
        (x, (y[-1], *y[:-1])),
        ((x[0] + third, x[1] - third, *x[2:]), y),
        ((x[0] * 2, *x[1:]), y),
    ]
    candidates = pairs + misses
    payoffs = np.stack([A, B], axis=-1)
    assert exact_nash_flags(A, B, candidates) == [is_nash(payoffs, p) for p in candidates]
    assert all(exact_nash_flags(A, B, pairs))


def test_certificate_takes_arrays_as_well_as_sets():
    # certify_vertex_set on an int64 array must give the set's verdict: complete list True, one
    # vertex dropped False.
    C = np.random.default_rng(12).integers(1, 50, (7, 7)).tolist()
    masks = sorted(set(_vertices_pivoting(positive_integer_matrix(C)).values()))
    assert len(masks) > 64
    assert certify_vertex_set(np.array(masks, dtype=np.int64), 7) and certify_vertex_set(set(masks), 7)
    assert not certify_vertex_set(np.array(masks[1:], dtype=np.int64), 7)


@pytest.mark.parametrize("side", ["row", "column", "both"])
@pytest.mark.parametrize("gap", [0.0, 1e-12, 1e-10, 1e-6])
def test_fast_float_path_refuses_games_degenerate_within_tolerance(side, gap):
    # Two strategies of one player `gap` apart.  Within the tolerance (gap <= 1e-10, or an exact tie)
    # a vertex carries a label its qhull simplex lacks, and the general float path calls the game
    # degenerate: the fast path must return None, never a list flagged nondegenerate.  Well outside
    # it (1e-6) the fast path must answer, and give the general path's pairs.
    rng = np.random.default_rng(17)
    A, B = rng.normal(size=(7, 7)), rng.normal(size=(7, 7))
    if side in ("column", "both"):
        B[:, 1] = B[:, 0] + gap
    if side in ("row", "both"):
        A[1] = A[0] + gap
    fast = qhull_float_equilibria(A, B, 1e-9)
    slow = float_equilibria(A, B, None, 1e-9)
    if gap <= 1e-10:
        assert slow[2] and fast is None
        # Refused by the label check of the tied player's polytope itself, not only by a later guard.
        label_bits = 2.0 ** np.arange(14)
        if side in ("column", "both"):
            assert _side(B.T, np.roll(label_bits, -7), 1e-9) is None
        if side in ("row", "both"):
            assert _side(A, label_bits, 1e-9) is None
    else:
        assert fast is not None and not slow[2]
        assert _rounded(fast[0]) == _rounded(slow[0])


def test_fraction_free_tight_solve_matches_rational_elimination():
    # _solve_tight's integer back substitution must give exactly the normalised solution of the tight
    # system solved by sympy in rationals, or None where that solution is not positive or the system
    # is singular; a non-exact division or a sign slip (negative determinants, row swaps) fails.
    import sympy

    from deterrence.solvers.vertex_enumeration import _solve_tight

    solved = negative = 0
    for seed in range(200):
        rng = np.random.default_rng(seed)
        k = int(rng.integers(1, 6))
        C = rng.integers(1, 30, (k + 2, k + 3)).tolist()  # positive, as the polytopes give it
        support = sorted(rng.choice(k + 3, k, replace=False).tolist())
        tight = sorted(rng.choice(k + 2, k, replace=False).tolist())
        C[tight[0]][support[0]] = 0  # a zero first pivot: a row swap when k > 1
        M = sympy.Matrix([[C[r][c] for c in support] for r in tight])
        found = _solve_tight(C, support, tight)
        z = None if M.det() == 0 else M.LUsolve(sympy.ones(k, 1))
        if z is None or min(z) <= 0:
            assert found is None, seed
            continue
        expected = [Fraction(0)] * (k + 3)
        for c, v in zip(support, z / sum(z), strict=True):
            expected[c] = Fraction(int(v.p), int(v.q))
        assert found == tuple(expected), seed
        solved += 1
        negative += bool(M.det() < 0)
    assert solved >= 20 and negative >= 10  # the draw covers both signs of the determinant
