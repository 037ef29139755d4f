"""The block-by-block closed forms (:mod:`deterrence.solvers.small_blocks`) against the general kernel.

:func:`small_game_equilibria` writes the equilibria of clearly nondegenerate
2x2, 3x2 and 2x3 games block by block straight into result arrays of three
slots, trims or widens them at the end, and leaves the other games (and the
mostly degenerate blocks) to the general cofactor kernel.  The result must
be the general kernel's, bit for bit (``_CLOSED_FORMS = False`` gives it),
whatever the batch size against the block size, the strides and dtype of the
input, or the mix of games that decides the number of slots.
"""

from __future__ import annotations

import numpy as np
import pytest

from deterrence.solvers import small_blocks, small_games
from deterrence.solvers.small_games import small_game_equilibria
from tests.small_game_reference import FIELDS, SIZES, assert_bits_equal, general


def _games(kind: str, size: int, m: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    shape = (size, m, n)
    if kind == "uniform":
        return rng.random(shape), rng.random(shape)
    if kind == "ties":  # payoffs in {0, 1, 2}: most games degenerate
        return rng.integers(0, 3, shape).astype(float), rng.integers(0, 3, shape).astype(float)
    if kind == "mixed":  # generic games with a third of tie games among them
        a, b = rng.random(shape), rng.random(shape)
        tie = rng.random(size) < 0.3
        a[tie], b[tie] = rng.integers(0, 3, (2, int(tie.sum()), m, n))
        return a, b
    if kind == "signed-zeros":  # zeros of both signs at the minimum: the same bits as the kernel
        a = rng.integers(-1, 2, shape) * rng.random(shape)
        b = rng.integers(-1, 2, shape) * rng.random(shape)
        a[a == 0], b[b == 0] = -0.0, 0.0
        b[:, 0, 0] = -0.0
        return a, b
    raise AssertionError(kind)


@pytest.mark.parametrize(("m", "n"), SIZES)
@pytest.mark.parametrize("offset", [-1, 0, 1])
@pytest.mark.parametrize("blocks", [0, 1, 3])
def test_batch_sizes_around_the_block_size(
    monkeypatch: pytest.MonkeyPatch, m: int, n: int, blocks: int, offset: int
) -> None:
    # Batches of 0, 1, block - 1, block, block + 1, 3 blocks +- 1 games, with a small block.
    monkeypatch.setattr(small_blocks, "_BLOCK", 64)
    size = max(0, blocks * 64 + offset) if blocks else offset + 1
    rng = np.random.default_rng([m, n, blocks, offset + 1])
    for kind in ("uniform", "mixed"):
        a, b = _games(kind, size, m, n, rng)
        assert_bits_equal(a, b)


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_batch_sizes_around_the_real_block(m: int, n: int) -> None:
    rng = np.random.default_rng([m, n, 7])
    for size in (small_blocks._BLOCK - 1, small_blocks._BLOCK, small_blocks._BLOCK + 1):
        a, b = _games("mixed", size, m, n, rng)
        assert_bits_equal(a, b)


def test_empty_and_single_batches() -> None:
    for m, n in ((2, 2), (3, 2), (2, 3)):
        empty = small_game_equilibria(np.zeros((0, m, n)), np.zeros((0, m, n)))
        assert empty.x.shape == (0, 1, m) and empty.y.shape == (0, 1, n) and empty.count.shape == (0,)
        assert_bits_equal(np.zeros((0, m, n)), np.zeros((0, m, n)))
    # Matching pennies alone: one slot; with Chicken beside it: three.
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    one = small_game_equilibria(pennies, -pennies)
    assert one.x.shape == (1, 1, 2) and one.x[0, 0].tolist() == [0.5, 0.5]
    chicken = np.array([[0.0, -1.0], [1.0, -10.0]])
    both = small_game_equilibria(np.stack([pennies, chicken]), np.stack([-pennies, chicken.T]))
    assert (
        both.x.shape == (2, 3, 2) and both.count.tolist() == [1, 3] and both.valid[0].tolist() == [True, False, False]
    )
    assert np.isnan(both.x[0, 1:]).all() and np.isnan(both.regret[0, 1:]).all()
    assert_bits_equal(np.stack([pennies, chicken]), np.stack([-pennies, chicken.T]))


@pytest.mark.parametrize(("m", "n"), SIZES)
@pytest.mark.parametrize("kind", ["uniform", "ties", "mixed", "signed-zeros"])
def test_kinds_of_games_are_bit_identical(monkeypatch: pytest.MonkeyPatch, m: int, n: int, kind: str) -> None:
    monkeypatch.setattr(small_blocks, "_BLOCK", 1000)  # several blocks, some of them mostly degenerate
    rng = np.random.default_rng([m, n, len(kind)])
    a, b = _games(kind, 5000, m, n, rng)
    assert_bits_equal(a, b)
    assert_bits_equal(a, b, rng.choice([0.0, 1e-9, 0.05], 5000))


def test_slots_are_trimmed_or_widened() -> None:
    # Games with one equilibrium each: one slot (the three of the fast path trimmed).  With the
    # all-zero game beside them (every profile an equilibrium, solved by the kernel): six slots.
    rng = np.random.default_rng(3)
    a, b = rng.random((200, 3, 2)), rng.random((200, 3, 2))
    result = small_game_equilibria(a, b)
    single = result.count == 1
    assert_bits_equal(a[single], b[single])
    assert small_game_equilibria(a[single], b[single]).x.shape == (int(single.sum()), 1, 3)
    a[50], b[50] = 0.0, 0.0
    wide = small_game_equilibria(a, b)
    assert wide.x.shape == (200, 6, 3) and wide.count[50] == 6 and wide.degenerate[50]
    assert_bits_equal(a, b)


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_strided_and_float32_inputs(m: int, n: int) -> None:
    rng = np.random.default_rng([m, n, 11])
    payoffs = rng.random((3000, m, n, 2))
    a, b = payoffs[..., 0], payoffs[..., 1]  # views with a stride of two floats, as a sweep passes them
    assert not a.flags.c_contiguous
    assert_bits_equal(a, b)
    assert_bits_equal(np.asfortranarray(a), b[::-1][::-1])
    assert_bits_equal(a[::2], b[1::2])
    low = payoffs.astype(np.float32)
    assert_bits_equal(low[..., 0], low[..., 1])
    assert_bits_equal(low[..., 0].astype(np.float64), low[..., 1].astype(np.float64))


def test_result_is_the_same_whatever_the_block_size(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(21)
    a, b = _games("mixed", 3000, 3, 2, rng)
    reference = small_game_equilibria(a, b)
    for block in (1, 2, 3, 100, 4096):
        monkeypatch.setattr(small_blocks, "_BLOCK", block)
        again = small_game_equilibria(a, b)
        for name in FIELDS:
            assert np.array_equal(getattr(again, name), getattr(reference, name), equal_nan=name != "valid"), name


@pytest.mark.slow
@pytest.mark.parametrize(("m", "n"), SIZES)
@pytest.mark.parametrize("kind", ["uniform", "ties"])
def test_a_million_games_are_bit_identical(m: int, n: int, kind: str) -> None:
    rng = np.random.default_rng([m, n, len(kind), 1])
    a, b = _games(kind, 1_000_000, m, n, rng)
    assert_bits_equal(a, b)


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_rows_left_to_the_kernel_are_blank(monkeypatch: pytest.MonkeyPatch, m: int, n: int) -> None:
    # solve_blocks' contract, on result arrays full of stale values: a routed game's row says "no
    # equilibrium" (NaN, not valid) and a whole block's rows are not valid; the others are solved.
    monkeypatch.setattr(small_blocks, "_BLOCK", 100)
    monkeypatch.setattr(small_blocks, "_SKIP", 0)  # probe every block
    rng = np.random.default_rng([m, n, 5])
    tie_a, tie_b = _games("ties", 100, m, n, rng)  # a mostly degenerate block: left whole
    a, b = _games("mixed", 400, m, n, rng)
    a, b = np.concatenate([tie_a, a]), np.concatenate([tie_b, b])
    out = small_blocks.new_result(500, m, n)
    for values in out.values():
        values.fill(True if values.dtype == bool else 7.0)
    tolerance = np.full(500, -1.0)
    route, whole = small_blocks.solve_blocks(a, b, None, out, tolerance)
    assert [(s.start, s.stop) for s in whole] == [(0, 100)] and 10 < route.sum() < 200
    assert not out["valid"][:100].any() and not route[:100].any()
    for name, values in out.items():
        routed = values[route]
        assert not routed.any() if name == "valid" else np.isnan(routed).all(), name
    solved = np.flatnonzero(~route)[np.flatnonzero(~route) >= 100]
    reference = general(a[solved], b[solved])
    slots = reference.x.shape[1]
    for name, values in out.items():
        mine = values[solved]
        assert not (mine[:, slots:].any() if name == "valid" else ~np.isnan(mine[:, slots:])).any(), name
        assert np.array_equal(mine[:, :slots], getattr(reference, name), equal_nan=name != "valid"), name
    assert (tolerance[:100] == -1.0).all() and (tolerance[100:] == general(a[100:], b[100:]).tolerance).all()


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_a_degenerate_family_goes_straight_to_the_general_kernel(
    monkeypatch: pytest.MonkeyPatch, m: int, n: int
) -> None:
    # Every block mostly degenerate (payoffs in {0, 1, 2}, as in the case's own matrix, whose points
    # are all degenerate): the closed forms solve nothing, so the result must be the general
    # kernel's bits without the fast path's result arrays being resized or copied.
    rng = np.random.default_rng([m, n, 9])
    a, b = _games("ties", 5000, m, n, rng)

    def no_copy(*args):  # noqa: ANN002, ANN202
        raise AssertionError("the fast path's arrays were copied for a batch it solved nothing of")

    monkeypatch.setattr(small_games, "_resized", no_copy)
    assert_bits_equal(a, b)
