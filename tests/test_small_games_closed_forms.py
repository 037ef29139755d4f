"""The closed-form fast path for 2x2, 3x2 and 2x3 games against the general kernel.

:func:`small_game_equilibria` solves clearly nondegenerate 2x2/3x2/2x3 games by
closed forms (:mod:`deterrence.solvers.small_closed_forms`) and routes every
other game to the general cofactor kernel.  The promise is that the result is
the same *bit for bit* as the general kernel alone: every field, shape, slot
order, degenerate flag and fallback.  ``_CLOSED_FORMS = False`` switches the
fast path off, which gives the reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from deterrence.solvers import small_blocks
from deterrence.solvers.small_closed_forms import closed_form_chunk
from deterrence.solvers.small_games import small_game_equilibria
from tests.small_game_reference import SIZES, assert_bits_equal, general


def _routed_share(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the games the closed forms leave to the general kernel."""
    if a.shape[2] == 3:
        a, b = b.transpose(0, 2, 1), a.transpose(0, 2, 1)
    return float(closed_form_chunk(a, b)["route"].mean())


def _games(kind: str, size: int, m: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    shape = (size, m, n)
    if kind == "normal":
        return rng.normal(size=shape), rng.normal(size=shape)
    if kind == "ties":  # payoffs in {0, 1, 2}: most games degenerate
        return rng.integers(0, 3, shape).astype(float), rng.integers(0, 3, shape).astype(float)
    if kind == "offset":  # a constant of 1e9 on both players' payoffs
        return rng.normal(size=shape) + 1e9, rng.normal(size=shape) + 1e9
    if kind == "far-offsets":  # the players 2e9 apart: the tolerance (range of both) is about 2
        return rng.normal(size=shape) * 1e3 + 1e9, rng.normal(size=shape) * 1e3 - 1e9
    if kind == "tiny":  # payoffs of size 1e-9: everything is within the absolute tolerance
        return rng.normal(size=shape) * 1e-9, rng.normal(size=shape) * 1e-9
    if kind == "small":  # payoffs of size 1e-6: some differences within the tolerance, most not
        return rng.normal(size=shape) * 1e-6, rng.normal(size=shape) * 1e-6
    raise AssertionError(kind)


@pytest.mark.parametrize(("m", "n"), SIZES)
@pytest.mark.parametrize("kind", ["normal", "ties", "offset", "far-offsets", "tiny", "small"])
def test_fast_path_is_identical_to_the_general_kernel(m: int, n: int, kind: str) -> None:
    # 6 kinds x 3 sizes x 6000 games = 108,000 random games, every output field compared exactly.
    rng = np.random.default_rng([m, n, len(kind), ord(kind[0])])
    a, b = _games(kind, 6000, m, n, rng)
    assert_bits_equal(a, b)
    share = _routed_share(a, b)
    if kind in ("normal", "offset"):
        assert share < 0.01  # the closed forms really solved these
    if kind in ("ties", "tiny"):
        assert share > 0.5  # degenerate games went to the general kernel


def _boundary_games(m: int, size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """3x2 (or 2x2) games placed at the edges the closed forms must detect.

    Each game has a mixed equilibrium on rows 0 and 1 (matching-pennies like) and is then moved
    by a small amount ``delta`` (0, +-tol/2, +-tol, +-2 tol, +-1e-7, in payoffs of size one) at
    one spot: a pure best reply tie, the column mix at 0 or 1, or (3 rows) the third row's payoff
    against the mixed ``y`` equal to the indifferent rows' value.
    """
    tol = 1e-9
    deltas = np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 1 + 1e-6, 1 - 1e-6, 100.0, -100.0]) * tol
    delta = deltas[rng.integers(0, deltas.size, size)]
    spot = rng.integers(0, 4 if m == 3 else 3, size)
    a = np.zeros((size, m, 2))
    b = np.zeros((size, m, 2))
    a[:, 0] = [1.0, 0.0]
    a[:, 1] = [0.0, 1.0]
    b[:, 0] = [0.0, 1.0]
    b[:, 1] = [1.0, 0.0]
    if m == 3:  # a dominated-looking third row, and payoffs in general position
        a[:, 2] = [0.2, 0.3]
        b[:, 2] = [0.7, 0.1]
    a += rng.uniform(-0.05, 0.05, a.shape)
    b += rng.uniform(-0.05, 0.05, b.shape)
    # spot 0: column player's tie against row 0
    hit = spot == 0
    b[hit, 0, 0] = b[hit, 0, 1] + delta[hit]
    # spot 1: row player's tie against column 0 (rows 0 and 1)
    hit = spot == 1
    a[hit, 1, 0] = a[hit, 0, 0] + delta[hit]
    # spot 2: the row mix x at the edge: row 1's difference in B close to zero
    hit = spot == 2
    b[hit, 1, 0] = b[hit, 1, 1] + delta[hit] * rng.choice([1, 100], hit.sum())
    if m == 3:  # spot 3: row 2 passes through the indifference point of rows 0 and 1
        hit = spot == 3
        r0, r1 = a[hit, 0], a[hit, 1]
        y0 = (r1[:, 1] - r0[:, 1]) / ((r1[:, 1] - r0[:, 1]) - (r1[:, 0] - r0[:, 0]))
        value = r0[:, 0] * y0 + r0[:, 1] * (1 - y0)
        a[hit, 2, 0] = value + delta[hit]
        a[hit, 2, 1] = value + delta[hit]
    return a, b


@pytest.mark.parametrize("m", [2, 3])
def test_games_at_the_boundary_are_identical(m: int) -> None:
    rng = np.random.default_rng(90 + m)
    a, b = _boundary_games(m, 20000, rng)
    assert_bits_equal(a, b)
    assert_bits_equal(np.swapaxes(b, 1, 2), np.swapaxes(a, 1, 2))  # the same games as 2xm
    result = small_game_equilibria(a, b)
    assert 0.2 < result.degenerate.mean() < 0.9  # both sides of the boundary are exercised


def test_third_row_through_the_mixed_equilibrium_is_degenerate() -> None:
    # Rows r1, r2 make the column player mix at y = (1/2, 1/2); row r3 pays 1.5 against
    # both columns, exactly the value of r1 and r2 at that y.  So r3 is a third best reply at
    # the mixed equilibrium and the game is degenerate: the equilibria form a segment from
    # (r1 r2 mix, y) towards r3.  A fast path that missed this tie would report one mixed
    # equilibrium on {r1, r2} of a "nondegenerate" game instead.
    a = np.array([[3.0, 0.0], [0.0, 3.0], [1.5, 1.5]])
    b = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.25]])
    result = small_game_equilibria(a, b)
    assert bool(closed_form_chunk(a[None], b[None])["route"][0])
    assert result.degenerate[0]
    assert_bits_equal(a, b)
    # Moved off the tie by 1e-6 (1000 tolerances) the game is nondegenerate and solved in closed form.
    a[2] -= 1e-6
    assert not closed_form_chunk(a[None], b[None])["route"][0]
    result = small_game_equilibria(a, b)
    assert not result.degenerate[0] and result.count[0] == 1
    assert_bits_equal(a, b)
    # Within the tolerance (half of it) the general kernel calls it a tie, and so do we.
    a[2] += 1e-6 - 0.5e-9
    assert small_game_equilibria(a, b).degenerate[0] and general(a, b).degenerate[0]


def test_slot_order_of_a_2x3_game_is_by_row() -> None:
    # Two pure equilibria (r1, c3) and (r2, c1), and a mixed one: the general kernel lists the
    # pure ones by row.  Solved as the transposed 3x2 game they come by column: we must reorder.
    a = np.array([[0.0, 1.0, 2.0], [3.0, 0.5, 0.0]])
    b = np.array([[0.0, 0.2, 1.0], [1.0, 0.3, 0.0]])
    result = small_game_equilibria(a, b)
    assert not bool(closed_form_chunk(b.T[None], a.T[None])["route"][0])
    assert result.count[0] == 3 and not result.degenerate[0]
    assert result.x[0, 0].tolist() == [1.0, 0.0] and result.y[0, 0].tolist() == [0.0, 0.0, 1.0]
    assert result.x[0, 1].tolist() == [0.0, 1.0] and result.y[0, 1].tolist() == [1.0, 0.0, 0.0]
    assert_bits_equal(a, b)


def test_given_tolerance_and_chunk_seams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(small_blocks, "_BLOCK", 7)
    rng = np.random.default_rng(5)
    for m, n in ((2, 2), (3, 2), (2, 3)):
        a, b = rng.integers(0, 20, (100, m, n)) / 7.0, rng.normal(size=(100, m, n))
        tol = rng.choice([0.0, 1e-9, 0.05], 100)
        assert_bits_equal(a, b, tol)
        assert_bits_equal(a, b, 0.01)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([(2, 2), (3, 2), (2, 3)]).flatmap(
        lambda size: st.tuples(
            arrays(np.float64, (4, *size), elements=st.sampled_from([0.0, 1.0, 2.0, 0.5, -1.0, 1e-10, 3.0])),
            arrays(np.float64, (4, *size), elements=st.floats(-4, 4, width=32)),
        )
    ),
    st.sampled_from([1.0, 1e-9, 1e9]),
    st.sampled_from([0.0, 1e9, -3.0]),
)
def test_property_fast_path_equals_general_kernel(games, scale, shift) -> None:  # noqa: ANN001
    # Any stack of small games, with ties, tiny values, scales and shifts: bit-identical results.
    a, b = games
    assert_bits_equal(a * scale + shift, b * scale + shift)
    assert_bits_equal(b.swapaxes(1, 2), a.swapaxes(1, 2) * scale)


@pytest.mark.parametrize("side", ["row mix", "column mix"])
def test_mixing_probability_within_the_label_tolerance_is_degenerate(side: str) -> None:
    # With tolerance 0 nothing ties, but a mixed candidate with a probability of 1e-12 carries a
    # zero label in the general kernel (probabilities <= 1e-9 count as zero): the game is
    # degenerate there.  The closed forms must send it on, not call it nondegenerate.
    a = np.array([[2.0, 0.0], [0.0, 1.0]])
    b = np.array([[0.0, 1.0], [1.0, 1.0 - 1e-12]])  # row 2's difference in B: -1e-12
    if side == "column mix":
        a, b = b.T.copy(), a.T.copy()
    assert bool(closed_form_chunk(a[None], b[None], np.zeros(1))["route"][0])
    assert general(a, b, 0.0).degenerate[0]
    assert_bits_equal(a, b, 0.0)


def test_mixed_batches_of_degenerate_and_generic_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks that are mostly degenerate go whole to the general kernel, and so do the next few
    # (a sweep is usually homogeneous); generic blocks after them take the closed forms again.
    monkeypatch.setattr(small_blocks, "_BLOCK", 50)
    monkeypatch.setattr(small_blocks, "_SKIP", 7)
    rng = np.random.default_rng(8)
    blocks = []
    for k in range(24):
        kind = "ties" if k % 12 < 3 else "normal"
        blocks.append(_games(kind, 50, 3, 2, rng))
    a, b = np.concatenate([x for x, _ in blocks]), np.concatenate([y for _, y in blocks])
    assert_bits_equal(a, b)
    assert_bits_equal(b.swapaxes(1, 2), a.swapaxes(1, 2))
    out = small_blocks.new_result(len(a), 3, 2)
    route, whole = small_blocks.solve_blocks(a, b, None, out)
    assert len(whole) == 2 * (1 + 7)  # blocks 0 and 12 probed, the next 7 skipped
    solved = np.flatnonzero(out["valid"][:, 0])
    assert solved.size > 350 and solved.min() >= 8 * 50  # the generic blocks 8-11 and 20-23: 400 games
    assert not (route & out["valid"][:, 0]).any()  # a routed game is left blank for the kernel
