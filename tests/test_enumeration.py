"""Tests for deterrence.solvers.enumeration (all equilibria of bimatrix games)."""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deterrence.errors import SolverError
from deterrence.solvers.enumeration import (
    BimatrixEquilibria,
    enumerate_equilibria,
    maximal_nash_subsets,
)
from deterrence.solvers.verify import regrets

H = F(1, 2)

# ---------------------------------------------------------------- known games


def _fr(values):
    return tuple(F(v) for v in values)


KNOWN = [
    # Matching Pennies: unique equilibrium, both players mix 1/2-1/2 (von Neumann 1928).
    pytest.param([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [((H, H), (H, H))], False, id="matching-pennies"),
    # Battle of the Sexes (Luce and Raiffa 1957): two pure equilibria and the mixed one where
    # each player puts 2/3 on their preferred outing.
    pytest.param(
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        [
            (_fr([1, 0]), _fr([1, 0])),
            ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
            (_fr([0, 1]), _fr([0, 1])),
        ],
        False,
        id="battle-of-the-sexes",
    ),
    # Prisoner's Dilemma (Tucker 1950): defection (second strategy) is dominant.
    pytest.param(
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        [(_fr([0, 1]), _fr([0, 1]))],
        False,
        id="prisoners-dilemma",
    ),
    # The running 3x2 example of von Stengel (2002; 2007, Algorithmic Game Theory ch. 3):
    # nondegenerate, three equilibria (each checked by hand: supports of equal size, the
    # indifference conditions give these mixes, no outside strategy pays more).
    pytest.param(
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        [
            (_fr([1, 0, 0]), _fr([1, 0])),
            ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3))),
            ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
        ],
        False,
        id="von-stengel-3x2",
    ),
]


@pytest.mark.parametrize("A, B, expected, degenerate", KNOWN)
@pytest.mark.parametrize("method", ["auto", "vertex", "support"])
def test_known_games_exact(A, B, expected, degenerate, method):
    res = enumerate_equilibria(A, B, method=method)
    assert res.exact and res.complete and res.tolerance == 0.0
    assert res.degenerate is degenerate
    assert list(res.equilibria) == expected
    assert res.components == tuple((i,) for i in range(len(expected)))


@pytest.mark.parametrize("A, B, expected, degenerate", KNOWN)
def test_known_games_float(A, B, expected, degenerate):
    res = enumerate_equilibria(np.array(A, float), np.array(B, float))
    assert res.method == "support-float" and not res.exact and res.complete
    assert res.degenerate is degenerate and 0 < res.tolerance < 1e-6
    assert len(res.equilibria) == len(expected)
    for (x, y), (ex, ey) in zip(res.equilibria, expected, strict=True):
        assert x.dtype == np.float64 and not x.flags.writeable
        np.testing.assert_allclose(x, [float(v) for v in ex], atol=1e-12)
        np.testing.assert_allclose(y, [float(v) for v in ey], atol=1e-12)


# The entry game of Selten (1975) in matrix form.  Rows: entrant Out / In; columns: incumbent
# Fight / Accommodate.  Out pays (0, 2); In meets Fight (-1, -1) or Accommodate (1, 1).
# Equilibria: (In, Accommodate), and Out with the incumbent fighting with probability >= 1/2
# (a segment whose extreme points are Fight and the 1/2-1/2 mix).
ENTRY_A = [[0, 0], [-1, 1]]
ENTRY_B = [[2, 2], [-1, 1]]


@pytest.mark.parametrize("method", ["auto", "vertex"])
def test_entry_game_extreme_points_and_components(method):
    res = enumerate_equilibria(ENTRY_A, ENTRY_B, method=method)
    assert res.exact and res.complete and res.degenerate is True
    assert list(res.equilibria) == [
        (_fr([1, 0]), _fr([1, 0])),  # Out, Fight
        (_fr([1, 0]), (H, H)),  # Out, fight with probability exactly 1/2
        (_fr([0, 1]), _fr([0, 1])),  # In, Accommodate
    ]
    assert res.components == ((0, 1), (2,))
    assert maximal_nash_subsets(res) == (((0,), (0, 1)), ((2,), (2,)))


def test_entry_game_segment_is_all_equilibria():
    # Every point on the segment is an equilibrium; fighting with probability below 1/2 is not.
    payoffs = np.stack([np.array(ENTRY_A, dtype=object), np.array(ENTRY_B, dtype=object)], axis=-1)
    for p in (F(1, 2), F(3, 4), F(1)):
        assert max(regrets(payoffs, [_fr([1, 0]), (p, 1 - p)])[1]) == 0
    assert max(regrets(payoffs, [_fr([1, 0]), (F(49, 100), F(51, 100))])[1]) > 0


def test_entry_game_float_support_flags_degeneracy():
    res = enumerate_equilibria(np.array(ENTRY_A, float), np.array(ENTRY_B, float), method="support")
    assert res.method == "support-float"
    assert res.degenerate is True and res.complete is False
    assert len(res.equilibria) == 3 and res.components == ((0, 1), (2,))
    np.testing.assert_allclose(res.equilibria[1][1], [0.5, 0.5])
    assert any("degenerate" in note for note in res.notes)


def test_entry_game_float_auto_falls_back_to_exact_binary_values():
    res = enumerate_equilibria(np.array(ENTRY_A, float), np.array(ENTRY_B, float))
    assert res.method == "vertex-exact-binary" and not res.exact
    assert res.degenerate is True and res.complete is True
    assert res.components == ((0, 1), (2,))
    np.testing.assert_allclose(res.equilibria[1][1], [0.5, 0.5])
    assert not res.equilibria[1][1].flags.writeable


def test_nearly_degenerate_float_game_is_reported():
    # 0.1 + 0.2 != 0.3 in binary: a tie within the tolerance but not exact.
    A = np.array([[0.1 + 0.2, 0.0], [0.3, 1.0]])
    B = np.array([[1.0, 0.0], [1.0, 0.0]])
    res = enumerate_equilibria(A, B)
    assert res.complete and res.method == "vertex-exact-binary" and res.degenerate is False
    assert any("nearly degenerate" in note for note in res.notes)
    # Against the dominant first column, row 0 pays 2**-54 more: strictly best, so one equilibrium.
    assert [(x.tolist(), y.tolist()) for x, y in res.equilibria] == [([1.0, 0.0], [1.0, 0.0])]


# A 3x2 game with a whole segment of equilibria: von Stengel's example above with B[0][1]
# changed from 2 to 3 (his degenerate variant), so the top row ties both columns.  Hand
# derivation: the top row is a best reply iff y2 <= 1/3, and against it the column player is
# indifferent, so {(1,0,0)} x [(1,0), (2/3,1/3)] are equilibria; ((0,1/3,2/3),(1/3,2/3))
# survives; no other support pair works.
SEG_A = [[3, 3], [2, 5], [0, 6]]
SEG_B = [[3, 3], [2, 6], [3, 1]]


def test_segment_game():
    res = enumerate_equilibria(SEG_A, SEG_B)
    assert res.degenerate is True and res.complete
    assert list(res.equilibria) == [
        (_fr([1, 0, 0]), _fr([1, 0])),
        (_fr([1, 0, 0]), (F(2, 3), F(1, 3))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    ]
    assert res.components == ((0, 1), (2,))
    assert any("degenerate" in note for note in res.notes)


def test_support_method_on_degenerate_game_is_not_complete():
    res = enumerate_equilibria(SEG_A, SEG_B, method="support")
    assert res.method == "support-exact" and res.degenerate is True and res.complete is False
    # It still finds every extreme equilibrium here (all vertices come from some basis).
    assert res.equilibria == enumerate_equilibria(SEG_A, SEG_B).equilibria


def test_all_ties_game_is_one_component():
    res = enumerate_equilibria([[1, 1], [1, 1]], [[0, 0], [0, 0]])
    assert res.degenerate and len(res.equilibria) == 4 and res.components == ((0, 1, 2, 3),)


def test_float_payoffs_with_vertex_method_are_exact_binary_values():
    res = enumerate_equilibria(np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0]]), method="vertex")
    assert res.exact and res.equilibria[1] == ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3)))
    assert any("binary" in note for note in res.notes)


@pytest.mark.parametrize("scale, shift", [pytest.param(1e-7, 0.0, id="tiny"), pytest.param(1e8, 3e9, id="huge-offset")])
def test_float_path_keeps_solutions_under_round_off(scale, shift):
    # Scaled Battle of the Sexes: the tolerance follows the payoff range, so nothing is lost.
    A = np.array([[2.0, 0.0], [0.0, 1.0]]) * scale + shift
    B = np.array([[1.0, 0.0], [0.0, 2.0]]) * scale + shift
    res = enumerate_equilibria(A, B)
    assert res.complete and len(res.equilibria) == 3
    np.testing.assert_allclose(res.equilibria[1][0], [2 / 3, 1 / 3], atol=1e-9)


def test_one_by_n_games():
    res = enumerate_equilibria([[1, 2, 0]], [[0, 5, 5]])
    assert list(res.equilibria) == [((F(1),), (F(0), F(1), F(0))), ((F(1),), (F(0), F(0), F(1)))]
    assert res.degenerate and res.components == ((0, 1),)


@pytest.mark.parametrize(
    "A, B, match",
    [
        pytest.param([[1, 2]], [[1, 2], [3, 4]], "same", id="shape-mismatch"),
        pytest.param([1, 2], [1, 2], "2-D", id="one-dimensional"),
        pytest.param([[1.0, float("nan")]], [[1.0, 2.0]], "finite", id="nan"),
        pytest.param([["x", 1]], [[1, 1]], "numbers", id="text"),
    ],
)
def test_bad_input_raises(A, B, match):
    with pytest.raises(SolverError, match=match):
        enumerate_equilibria(A, B)


def test_float_support_refuses_games_beyond_its_label_masks():
    big = np.zeros((32, 31))
    with pytest.raises(SolverError, match="at most 62"):
        enumerate_equilibria(big, big, method="support")


def test_unknown_method_raises():
    with pytest.raises(SolverError, match="unknown method"):
        enumerate_equilibria([[1]], [[1]], method="lemke")


def test_result_is_frozen():
    res = enumerate_equilibria([[1]], [[1]])
    assert isinstance(res, BimatrixEquilibria) and len(res) == 1
    with pytest.raises(AttributeError):
        res.complete = False  # type: ignore[misc]
    assert "1 equilibria" in repr(res)


# --------------------------------------------------------------- properties

SMALL = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def games(draw, low=-3, high=3, max_size=4):
    m = draw(st.integers(1, max_size))
    n = draw(st.integers(1, max_size))
    entries = st.integers(low, high)
    A = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    return A, B


def _payoffs(A, B):
    return np.stack([np.array(A, dtype=object), np.array(B, dtype=object)], axis=-1)


@SMALL
@given(games())
def test_every_profile_is_an_exact_mutual_best_response(game):
    A, B = game
    res = enumerate_equilibria(A, B)
    assert res.exact and res.complete and len(res.equilibria) >= 1  # Nash (1951): one exists
    payoffs = _payoffs(A, B)
    for x, y in res.equilibria:
        assert all(isinstance(v, F) and v >= 0 for v in (*x, *y)) and sum(x) == 1 and sum(y) == 1
        assert regrets(payoffs, [x, y])[1] == [0, 0]
    assert sorted(i for c in res.components for i in c) == list(range(len(res.equilibria)))


@SMALL
@given(games())
def test_cliques_are_convex_sets_of_equilibria(game):
    # The barycentre of every maximal Nash subset is itself an equilibrium (Avis et al. 2010).
    A, B = game
    res = enumerate_equilibria(A, B)
    payoffs = _payoffs(A, B)
    for xs, ys in maximal_nash_subsets(res):
        x = [sum(res.equilibria[i][0][k] for i in xs) / len(xs) for k in range(len(A))]
        y = [sum(res.equilibria[j][1][k] for j in ys) / len(ys) for k in range(len(A[0]))]
        assert regrets(payoffs, [x, y])[1] == [0, 0]


@SMALL
@given(
    games(),
    st.fractions(F(1, 7), 9),
    st.integers(-5, 5),
    st.fractions(F(1, 3), 4),
    st.integers(-5, 5),
)
def test_invariant_under_positive_affine_transforms(game, a_scale, a_shift, b_scale, b_shift):
    A, B = game
    base = enumerate_equilibria(A, B)
    A2 = [[a_scale * v + a_shift for v in row] for row in A]
    B2 = [[b_scale * v + b_shift for v in row] for row in B]
    moved = enumerate_equilibria(A2, B2)
    assert moved.equilibria == base.equilibria
    assert moved.components == base.components and moved.degenerate == base.degenerate


@SMALL
@given(games(), st.randoms(use_true_random=False))
def test_permuting_strategies_permutes_equilibria(game, rnd):
    A, B = game
    m, n = len(A), len(A[0])
    rows, cols = list(range(m)), list(range(n))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    A2 = [[A[i][j] for j in cols] for i in rows]
    B2 = [[B[i][j] for j in cols] for i in rows]
    base = {(x, y) for x, y in enumerate_equilibria(A, B).equilibria}
    permuted = {(tuple(x[i] for i in rows), tuple(y[j] for j in cols)) for x, y in base}
    assert set(enumerate_equilibria(A2, B2).equilibria) == permuted


@SMALL
@given(games(low=-1000, high=1000, max_size=5))
def test_nondegenerate_games_have_an_odd_number_of_equilibria(game):
    A, B = game
    res = enumerate_equilibria(A, B)
    assume(not res.degenerate)
    assert len(res.equilibria) % 2 == 1  # Shapley (1974)
    assert res.components == tuple((i,) for i in range(len(res.equilibria)))


@SMALL
@given(games(low=-2, high=2))
def test_pivoting_and_screened_vertex_sets_agree(game):
    # Two independent enumerations of the same polytopes: lexicographic pivoting, and solving
    # every basis (float screen, exact confirmation).  They must list the same equilibria and
    # reach the same exact degeneracy verdict, also in degenerate games.
    from deterrence.solvers.vertex_enumeration import vertex_equilibria

    A, B = game
    piv = vertex_equilibria(A, B, backend="pivoting")
    scr = vertex_equilibria(A, B, backend="screened")
    assert set(piv.pairs) == set(scr.pairs) and piv.degenerate == scr.degenerate
    assert piv.vertex_counts == scr.vertex_counts
    assert (scr.backend == "screened") == (not piv.degenerate)  # the certificate holds iff nondegenerate


@SMALL
@given(games(low=-4, high=4))
def test_float_path_matches_exact_path(game):
    A, B = game
    exact = enumerate_equilibria(A, B)
    flt = enumerate_equilibria(np.array(A, float), np.array(B, float))
    assert flt.degenerate == exact.degenerate and flt.complete
    assert flt.method == ("vertex-exact-binary" if exact.degenerate else "support-float")
    support = enumerate_equilibria(np.array(A, float), np.array(B, float), method="support")
    assert support.degenerate == exact.degenerate and support.complete == (not exact.degenerate)
    assert len(support.equilibria) == len(exact.equilibria)
    got = [np.concatenate(e) for e in flt.equilibria]
    want = [np.array([float(v) for v in (*x, *y)]) for x, y in exact.equilibria]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, atol=1e-9)
    assert flt.components == exact.components


# ------------------------------------------------------- completeness certificate


CERT_SMALL = [[3, 0, 1], [1, 2, 0], [0, 1, 4]]
CERT_LARGE = np.random.default_rng(12).integers(1, 50, (7, 7)).tolist()  # 110 vertices


@pytest.mark.parametrize(
    "C, vectorised",
    [
        pytest.param(CERT_SMALL, False, id="small"),
        pytest.param(CERT_LARGE, True, id="large-numpy"),
        pytest.param(CERT_LARGE, False, id="large-python"),
    ],
)
def test_certificate_accepts_complete_and_rejects_incomplete_vertex_sets(C, vectorised, monkeypatch):
    from deterrence.solvers.polytope_exact import _vertices_pivoting, positive_integer_matrix
    from deterrence.solvers.polytope_float import certify_vertex_set

    if not vectorised:
        monkeypatch.delattr(np, "bitwise_count", raising=False)
    dim = len(C[0])
    masks = set(_vertices_pivoting(positive_integer_matrix(C)).values())
    assert (len(masks) > 64) == (C is CERT_LARGE) and certify_vertex_set(masks, dim)
    for mask in sorted(masks)[:: max(1, len(masks) // 12)]:  # dropping a vertex breaks closure
        assert not certify_vertex_set(masks - {mask}, dim)
    extra = (1 << (dim + 1)) - 1  # a vertex with one label too many
    assert not certify_vertex_set(masks | {extra}, dim)
    degenerate = set(_vertices_pivoting(positive_integer_matrix([[1, 1], [1, 1]])).values())
    assert not certify_vertex_set(degenerate, 2)


def test_cdd_backend_matches_pivoting_or_refuses_float_only_builds():
    pytest.importorskip("cdd")
    from deterrence.solvers.polytope_exact import polytope_vertices

    C = [[3, 1, 2], [1, 4, 1]]
    try:
        via_cdd = polytope_vertices(C, backend="cdd")
    except ImportError as err:  # pycddlib-standalone: float only, so refused
        assert "exact" in str(err)
        return
    assert via_cdd == polytope_vertices(C, backend="pivoting")


# ------------------------------------------------------- nashpy cross-checks


def _as_set(pairs, digits=7):
    return {tuple(np.round(np.concatenate([np.asarray(x, float), np.asarray(y, float)]), digits)) for x, y in pairs}


@pytest.mark.parametrize("size", [2, 3, 4])
def test_matches_nashpy_on_random_nondegenerate_games(size):
    # nashpy's fixed tolerances may lose equilibria of random float games, and how many it loses
    # depends on the BLAS kernel.  So the only thing asserted of nashpy is that its answers are a
    # subset of ours; ours must be complete, odd in number (a nondegenerate game) and equal to the
    # exact enumeration of the same binary rational payoffs.
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(size)
    for _ in range(4):
        A, B = rng.normal(size=(size, size)), rng.normal(size=(size, size))
        ours = enumerate_equilibria(A, B)
        assert ours.complete and not ours.degenerate and len(ours.equilibria) % 2 == 1
        assert _as_set(ours.equilibria) == _as_set(enumerate_equilibria(A, B, method="vertex").equilibria)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            theirs = _as_set(nashpy.Game(A, B).support_enumeration())
        assert theirs <= _as_set(ours.equilibria)


@pytest.mark.slow
@pytest.mark.parametrize("size", [5, 6])
def test_matches_nashpy_on_larger_random_games(size):
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(100 + size)
    A, B = rng.normal(size=(size, size)), rng.normal(size=(size, size))
    exact = enumerate_equilibria(A, B, method="vertex")
    assert _as_set(enumerate_equilibria(A, B).equilibria) == _as_set(exact.equilibria)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert _as_set(nashpy.Game(A, B).support_enumeration()) <= _as_set(exact.equilibria)


def test_nashpy_method_is_verified_and_flags_degeneracy():
    pytest.importorskip("nashpy")
    res = enumerate_equilibria([[2, 0], [0, 1]], [[1, 0], [0, 2]], method="nashpy")
    assert res.method == "nashpy-support" and not res.exact and res.complete
    assert _as_set(res.equilibria) == _as_set(enumerate_equilibria([[2, 0], [0, 1]], [[1, 0], [0, 2]]).equilibria)
    deg = enumerate_equilibria(ENTRY_A, ENTRY_B, method="nashpy")
    assert deg.degenerate is True and deg.complete is False
    vert = enumerate_equilibria(SEG_A, SEG_B, method="nashpy-vertex")
    assert vert.method == "nashpy-vertex" and vert.complete is False


def test_nashpy_wrong_answers_are_dropped(monkeypatch):
    nashpy = pytest.importorskip("nashpy")

    def fake(self, *args, **kwargs):
        yield np.array([1.0, 0.0]), np.array([0.0, 1.0])  # not an equilibrium of BoS
        yield np.array([1.0, 0.0]), np.array([1.0, 0.0])
        yield np.array([1.0, 0.0]), np.array([1.0, 0.0])  # repeated

    monkeypatch.setattr(nashpy.Game, "support_enumeration", fake)
    res = enumerate_equilibria([[2, 0], [0, 1]], [[1, 0], [0, 2]], method="nashpy")
    assert len(res.equilibria) == 1 and res.complete is False
    assert any("failed verification" in n for n in res.notes)
    assert any("repeated" in n for n in res.notes)


# ------------------------------------------------------ pygambit cross-checks


def _gambit_extreme(A, B):
    gbt = pytest.importorskip("pygambit")
    from pygambit_compat import from_arrays, profile_values  # pygambit 16.7 and 17

    game = from_arrays(gbt, np.array(A, dtype=object).astype(object), np.array(B, dtype=object).astype(object))
    result = gbt.nash.enummixed_solve(game, rational=True)
    return {tuple(map(tuple, profile_values(gbt, game, profile))) for profile in result.equilibria}


@pytest.mark.gambit
@pytest.mark.parametrize(
    "A, B",
    [
        pytest.param(ENTRY_A, ENTRY_B, id="entry"),
        pytest.param(SEG_A, SEG_B, id="segment"),
        pytest.param([[1, 1], [1, 1]], [[0, 0], [0, 0]], id="all-ties"),
        pytest.param([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]], id="von-stengel"),
        pytest.param(
            [[0, 6, 0, 2], [3, 0, 4, 0], [1, 2, 3, 4]],
            [[6, 0, 0, 2], [1, 3, 0, 2], [4, 1, 2, 0]],
            id="3x4",
        ),
    ],
)
def test_matches_gambit_enummixed(A, B):
    expected = _gambit_extreme(A, B)
    assert set(enumerate_equilibria(A, B).equilibria) == expected


@pytest.mark.gambit
def test_matches_gambit_on_random_small_integer_games():
    rng = np.random.default_rng(7)
    for _ in range(10):
        m, n = rng.integers(2, 5, size=2)
        A, B = rng.integers(0, 3, (m, n)).tolist(), rng.integers(0, 3, (m, n)).tolist()
        assert set(enumerate_equilibria(A, B).equilibria) == _gambit_extreme(A, B)


@pytest.mark.gambit
@settings(max_examples=25, deadline=None)
@given(games(low=0, high=2, max_size=3))
def test_matches_gambit_on_generated_degenerate_games(game):
    # Payoffs in {0, 1, 2} make most of these games degenerate: the hard case for completeness.
    pytest.importorskip("pygambit")
    A, B = game
    assert set(enumerate_equilibria(A, B).equilibria) == _gambit_extreme(A, B)


# ------------------------------------------------ issue 9: hashing and qhull


def _dense_pairs(xs, ys, full):  # noqa: ANN001, ANN202
    return sorted((i, j) for i, x in enumerate(xs) for j, y in enumerate(ys) if x | y == full)


@pytest.mark.parametrize("seed", range(20))
def test_complementary_pairs_by_hashing_equal_the_dense_comparison(seed):
    from deterrence.solvers.polytope_float import complementary_pairs

    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    full = (1 << (m + n)) - 1

    def masks(count, at_least):  # random label sets with at least `at_least` labels (more = degenerate)
        out = []
        for _ in range(count):
            size = at_least + int(rng.random() < 0.2) * int(rng.integers(0, m + n - at_least + 1))
            out.append(sum(1 << int(b) for b in rng.choice(m + n, size=size, replace=False)))
        return out

    xs, ys = masks(40, m), masks(40, n)
    assert complementary_pairs(xs, ys, full, n) == _dense_pairs(xs, ys, full)


def test_blockwise_pairing_handles_blocks_smaller_than_the_other_side():
    from deterrence.solvers.polytope_float import _blockwise

    xs, ys = [0b0011, 0b1100, 0b0110], [0b1100, 0b0011, 0b1001, 0b1111]
    expected = _dense_pairs(xs, ys, 0b1111)
    assert sorted(_blockwise(range(3), range(4), xs, ys, 0b1111, block=1)) == expected


@pytest.mark.parametrize("n", [5, 6, 7, 8])
def test_qhull_backend_matches_exact_pivoting_on_random_games(n):
    from deterrence.solvers.vertex_enumeration import vertex_equilibria

    rng = np.random.default_rng(100 + n)
    for _ in range(3):
        A = rng.integers(-50, 51, (n, n + 1)).astype(object)
        B = rng.integers(-50, 51, (n, n + 1)).astype(object)
        fast, slow = vertex_equilibria(A, B, backend="qhull"), vertex_equilibria(A, B, backend="pivoting")
        assert slow.degenerate or fast.backend == "qhull"
        assert set(fast.pairs) == set(slow.pairs) and fast.degenerate == slow.degenerate
        assert fast.vertex_counts == slow.vertex_counts


@pytest.mark.parametrize("seed", range(10))
def test_qhull_backend_sends_degenerate_games_to_exact_pivoting(seed):
    from deterrence.solvers.vertex_enumeration import vertex_equilibria

    rng = np.random.default_rng(seed)
    A = rng.integers(0, 3, (6, 6)).astype(object)  # payoffs in {0, 1, 2}: ties everywhere
    B = rng.integers(0, 3, (6, 6)).astype(object)
    fast, slow = vertex_equilibria(A, B, backend="qhull"), vertex_equilibria(A, B, backend="pivoting")
    assert set(fast.pairs) == set(slow.pairs) and fast.degenerate == slow.degenerate
    if slow.degenerate:
        assert fast.backend == "pivoting"


def test_qhull_vertices_refuses_degenerate_polytopes_and_proves_simple_ones():
    from deterrence.solvers.polytope_float import float_polytope_vertices, qhull_vertices

    assert qhull_vertices(np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 2.0, 3.0]])) is None
    C = 1.0 + np.random.default_rng(0).random((6, 6))
    found = qhull_vertices(C)
    assert found is not None and found.proved and found.masks[0] == (1 << 6) - 1  # the origin first
    pivoted = float_polytope_vertices(C, 1e-11)
    assert {tuple(np.round(v, 9)) for v in found.points} == {tuple(np.round(v, 9)) for v in pivoted}


@pytest.mark.parametrize("seed", range(10))
def test_numpy_and_dictionary_pairing_agree(seed, monkeypatch):
    from deterrence.solvers import polytope_float

    rng = np.random.default_rng(seed)
    full = (1 << 8) - 1
    xs = [int(v) for v in rng.integers(0, full + 1, 60)]
    ys = [int(v) for v in rng.integers(0, full + 1, 60)] + [0b11110000, 0b11110000]  # a repeated mask
    fast = polytope_float.complementary_pairs(xs, ys, full, 4)
    monkeypatch.delattr(polytope_float.np, "bitwise_count")  # forces the dictionary path
    assert fast == polytope_float.complementary_pairs(xs, ys, full, 4) == _dense_pairs(xs, ys, full)


@pytest.mark.parametrize("n", [8, 9])
def test_float_qhull_path_equals_the_exact_path(n):
    # From 8 x 8 on the float path takes its vertices from qhull (QHULL_FROM); labels are
    # decided with einsum products and the certificate sorts int32 keys.  The same sets as the
    # exact path, certified complete.  (benchmarks/all_equilibria.py checks QuantEcon's lists
    # are subsets of these; importing it here would cost seconds of numba compilation.)
    rng = np.random.default_rng(300 + n)
    for _ in range(2):
        A = rng.integers(-1000, 1001, (n, n))
        B = rng.integers(-1000, 1001, (n, n))
        exact = enumerate_equilibria(A.astype(object), B.astype(object))
        fast = enumerate_equilibria(A.astype(float), B.astype(float))
        assert not exact.degenerate and fast.complete and fast.method == "support-float"
        ours = {tuple(np.round(np.r_[x, y], 9)) for x, y in fast.equilibria}
        assert ours == {tuple(np.round(np.array([float(v) for v in (*x, *y)]), 9)) for x, y in exact.equilibria}


@pytest.mark.parametrize("seed", range(6))
def test_batched_float_verification_matches_is_nash_pair_by_pair(seed):
    # _verify_pairs checks every pair in one set of stacked products (issue 9); it must give each pair
    # the same tolerance and verdict as pair_tolerance + is_nash, on equilibria and on near misses.
    from deterrence.solvers.enumeration import _verify_pairs
    from deterrence.solvers.support_enumeration import float_equilibria, pair_tolerance
    from deterrence.solvers.verify import is_nash

    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(5, 5)), rng.normal(size=(5, 5))
    pairs = float_equilibria(A, B, None, 1e-9)[0]
    assert pairs
    x0, y0 = pairs[0]
    misses = [((x0 + np.roll(x0, 1)) / 2, y0), (x0, np.roll(y0, 1)), (x0 * 1.01, y0)]
    candidates = pairs + misses
    tols, nash = _verify_pairs(A, B, candidates)
    stacked = np.stack([A, B], axis=-1)
    for (x, y), tol, ok in zip(candidates, tols.tolist(), nash.tolist(), strict=True):
        assert tol == pytest.approx(pair_tolerance(A, B, x, y), rel=1e-12)
        assert ok == is_nash(stacked, [x, y], tol)
    assert nash[: len(pairs)].all() and not nash[len(pairs) :].any()
