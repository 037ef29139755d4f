"""Tests for every Nash equilibrium of small N-player games (deterrence/solvers/nplayer_support.py).

Notation for the 2x2x2 games: ``x, y, z`` are the probabilities that players
1, 2 and 3 play their first strategy (index 0).  Player ``i``'s second
strategy pays 0 and the first pays ``d_i`` at each profile of the others, so
player ``i`` is indifferent when ``D_i = sum d_i[b, c] P(b) P(c) = 0`` -- a
bilinear function of the others' probabilities whose four corner values are
the entries ``d_i``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from deterrence import solve
from deterrence.errors import DeterrenceError
from deterrence.forms.normal_form import NormalFormGame
from deterrence.solvers.nplayer_support import nash_support_polynomial, support_profiles
from deterrence.solvers.pure import pure_equilibria

PLAYERS = ["P1", "P2", "P3"]


def _game(u: np.ndarray) -> NormalFormGame:
    strategies = [[f"s{k}" for k in range(n)] for n in u.shape[:-1]]
    return NormalFormGame(PLAYERS[: u.shape[-1]], strategies, u)


def _from_differences(d1, d2, d3) -> NormalFormGame:
    """The 2x2x2 game in which player i's first strategy pays ``d_i`` (indexed by the others) and the second 0."""
    u = np.zeros((2, 2, 2, 3), dtype=object)
    u[...] = Fraction(0)
    for b in range(2):
        for c in range(2):
            u[0, b, c, 0] = Fraction(d1[b][c])
    for a in range(2):
        for c in range(2):
            u[a, 0, c, 1] = Fraction(d2[a][c])
    for a in range(2):
        for b in range(2):
            u[a, b, 0, 2] = Fraction(d3[a][b])
    return _game(u)


def _first(eq, player: str) -> float:
    return eq.strategies[player]["s0"]


def _fully_mixed(found):
    return [eq for eq in found if all(0 < v < 1 for p in PLAYERS for v in eq.strategies[p].values())]


def test_counts_support_profiles():
    # (2**2 - 1)**3 and (2**3 - 1) * 3 * 3
    assert support_profiles((2, 2, 2)) == 27
    assert support_profiles((3, 2, 2)) == 63


def test_jordan_game_has_unique_equilibrium_at_one_half():
    """Player 1 matches 2, 2 matches 3, 3 mismatches 1.

    No pure profile is stable (the best responses cycle), and in a mixed
    equilibrium player 1 is indifferent iff y = 1/2, player 2 iff z = 1/2 and
    player 3 iff x = 1/2; if someone plays pure, the chain of best replies
    makes everyone pure, which is impossible.  So the unique equilibrium is
    (1/2, 1/2, 1/2), each payoff 1/2.
    """
    u = np.zeros((2, 2, 2, 3), dtype=int)
    for a, b, c in np.ndindex(2, 2, 2):
        u[a, b, c] = (a == b, b == c, c != a)
    found = solve(_game(u), "nash", "support-polynomial")
    assert found.complete
    assert len(found) == 1
    eq = found[0]
    assert eq.exact
    assert [_first(eq, p) for p in PLAYERS] == [Fraction(1, 2)] * 3
    assert [eq.payoffs[p] for p in PLAYERS] == [Fraction(1, 2)] * 3


D2 = [[1, -3], [3, -1]]  # D2 = 4 z - 2 x - 1: corners (x, z) = (1,1), (1,0), (0,1), (0,0)
D3 = [[1, 3], [-3, -1]]  # D3 = 4 x - 2 y - 1: corners (x, y)


def test_two_fully_mixed_equilibria():
    """D3 = 0 gives x = (2y + 1)/4 and D2 = 0 gives z = (2x + 1)/4 = (2y + 3)/8.

    D1 = 8 y z - 4 y - 2 z + 1 (corners (y, z) = (1,1): 3, (1,0): -3,
    (0,1): -1, (0,0): 1) then becomes 2 y**2 - 3/2 y + 1/4 = 2 (y - 1/2)(y - 1/4),
    so the totally mixed equilibria are (x, y, z) = (1/2, 1/2, 1/2) and
    (3/8, 1/4, 7/16): exactly two, the most a 2x2x2 game can have
    (McKelvey and McLennan, 1997).  No corner value is 0, so no pure profile
    has a tie.
    """
    game = _from_differences([[3, -3], [-1, 1]], D2, D3)
    found = solve(game, "nash", "support-polynomial")
    assert found.complete
    mixed = _fully_mixed(found)
    assert sorted(tuple(_first(eq, p) for p in PLAYERS) for eq in mixed) == [
        (Fraction(3, 8), Fraction(1, 4), Fraction(7, 16)),
        (Fraction(1, 2),) * 3,
    ]
    assert all(eq.exact for eq in mixed)


def test_irrational_equilibria_are_floats_with_a_note():
    """As above with D1 = 32 y z - 16 y - 16 z + 7: 8 (y**2 - y + 1/8) = 0, y = (2 -+ sqrt 2) / 4."""
    game = _from_differences([[7, -9], [-9, 7]], D2, D3)
    found = solve(game, "nash", "support-polynomial")
    mixed = _fully_mixed(found)
    roots = sorted(_first(eq, "P2") for eq in mixed)
    assert roots == pytest.approx([(2 - 2**0.5) / 4, (2 + 2**0.5) / 4], abs=1e-12)
    assert [_first(eq, "P1") for eq in sorted(mixed, key=lambda e: _first(e, "P2"))] == pytest.approx(
        [(2 * y + 1) / 4 for y in roots], abs=1e-12
    )
    assert not any(eq.exact for eq in mixed)
    assert all("irrational probabilities, shown as floats" in eq.notes for eq in mixed)
    assert any("irrational" in note for note in found.notes)
    # The exact forms: y = 1/2 -+ sqrt(2)/4, x = (2y + 1)/4 = 1/2 -+ sqrt(2)/8, z = (2x + 1)/4 = 1/2 -+ sqrt(2)/16.
    forms = sorted(tuple(eq.extra["algebraic"][p]["s0"] for p in PLAYERS) for eq in mixed)
    assert forms == [
        ("1/2 - sqrt(2)/8", "1/2 - sqrt(2)/4", "1/2 - sqrt(2)/16"),
        ("sqrt(2)/8 + 1/2", "sqrt(2)/4 + 1/2", "sqrt(2)/16 + 1/2"),
    ]
    assert all(eq.extra["verification"] == "verified exactly in algebraic arithmetic" for eq in mixed)


def test_three_by_two_by_two_with_a_dominated_strategy():
    """Jordan's game plus a third strategy for player 1 that pays -1 whatever happens.

    It is strictly dominated, so it has weight 0 in every equilibrium, and
    what remains is Jordan's game: the unique equilibrium is (1/2, 1/2, 0)
    for player 1 and (1/2, 1/2) for the others.
    """
    u = np.zeros((3, 2, 2, 3), dtype=int)
    for a, b, c in np.ndindex(3, 2, 2):
        u[a, b, c] = (a == b, b == c, c != a) if a < 2 else (-1, b == c, c == 0)
    found = solve(_game(u), "nash", "support-polynomial")
    assert found.complete
    assert len(found) == 1
    eq = found[0]
    assert eq.strategies["P1"] == {"s0": Fraction(1, 2), "s1": Fraction(1, 2), "s2": 0}
    assert eq.strategies["P2"]["s0"] == eq.strategies["P3"]["s0"] == Fraction(1, 2)


def test_continuum_is_sampled_and_flagged_incomplete():
    """Players 1 and 2 play matching pennies and player 3 gets 0 always.

    The equilibria are x = y = 1/2 with any z in [0, 1]: a segment.  The full
    support has a one-dimensional solution set, so samples come back flagged
    and the list is incomplete; the segment's ends are isolated solutions.
    """
    u = np.zeros((2, 2, 2, 3), dtype=int)
    for a, b, c in np.ndindex(2, 2, 2):
        u[a, b, c] = (1 if a == b else -1, -1 if a == b else 1, 0)
    found = solve(_game(u), "nash", "support-polynomial")
    assert not found.complete
    assert found.degenerate is True
    assert any("positive-dimensional" in note for note in found.notes)
    samples = [eq for eq in found if "sample point of a continuum of equilibria" in eq.notes]
    assert len(samples) >= 2
    assert len({_first(eq, "P3") for eq in samples}) == len(samples)  # distinct points of the segment
    for eq in found:
        assert _first(eq, "P1") == _first(eq, "P2") == Fraction(1, 2)
    assert {_first(eq, "P3") for eq in found if eq not in samples} == {0, 1}


def _random_games():
    rng = np.random.default_rng(7)
    for shape in [(2, 2, 2), (2, 2, 2), (3, 2, 2), (2, 3, 2)]:
        yield _game(rng.integers(-3, 4, size=(*shape, 3)).astype(object))


@pytest.mark.parametrize("game", list(_random_games()))
def test_every_pure_equilibrium_is_found(game):
    found = solve(game, "nash", "support-polynomial")
    ours = set()
    for eq in found:
        pure = [[k for k, v in enumerate(eq.strategies[p].values()) if v == 1] for p in game.players]
        if all(len(k) == 1 for k in pure):
            ours.add(tuple(k[0] for k in pure))
    assert {tuple(p) for p in pure_equilibria(game)} <= ours


@pytest.mark.parametrize("game", list(_random_games()))
def test_pygambit_equilibria_are_among_ours(game):
    gbt = pytest.importorskip("pygambit")
    if not hasattr(gbt, "nash") or not hasattr(gbt.nash, "enumpoly_solve"):
        pytest.skip("this pygambit has no nash.enumpoly_solve")
    from pygambit_compat import from_arrays, profile_values  # pygambit 16.7 and 17

    arrays = [np.asarray(game.payoffs[..., i], dtype=float) for i in range(3)]
    table = from_arrays(gbt, *arrays)
    try:
        theirs = gbt.nash.enumpoly_solve(table).equilibria
    except Exception as err:  # a peer's failure is not ours to judge
        pytest.skip(f"pygambit enumpoly_solve failed: {err}")
    found = solve(game, "nash", "support-polynomial")
    ours = [[np.array([float(v) for v in eq.strategies[p].values()]) for p in game.players] for eq in found]
    for profile in theirs:
        mixed = [np.array(values) for values in profile_values(gbt, table, profile, float)]
        assert any(all(np.allclose(a, b, atol=1e-6) for a, b in zip(mixed, mine)) for mine in ours)


def test_refuses_a_big_game_with_one_line():
    u = np.zeros((5, 5, 5, 3), dtype=int)
    with pytest.raises(DeterrenceError) as err:
        nash_support_polynomial(_game(u))
    message = str(err.value)
    assert "5x5x5" in message and "29,791" in message and "\n" not in message
    with pytest.raises(DeterrenceError) as err:
        solve(_game(u), "nash", "support-polynomial")
    assert "5x5x5" in str(err.value) and "\n" not in str(err.value)


def test_pure_stays_the_default_for_n_players():
    u = np.zeros((2, 2, 2, 3), dtype=int)
    assert not solve(_game(u), "nash").complete  # pure equilibria only, says so
