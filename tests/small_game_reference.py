"""The reference for the batched small-game fast paths: the general cofactor kernel alone.

:func:`~deterrence.solvers.small_games.small_game_equilibria` solves clearly
nondegenerate 2x2, 3x2 and 2x3 games by closed forms, block by block, and
promises the general kernel's result bit for bit.  ``_CLOSED_FORMS = False``
switches the fast path off, which gives the reference these helpers compare
against.
"""

from __future__ import annotations

import numpy as np
import pytest

from deterrence.solvers import small_games
from deterrence.solvers.small_games import small_game_equilibria

FIELDS = ("x", "y", "valid", "count", "degenerate", "row_payoff", "column_payoff", "regret", "tolerance", "fallback")
SIZES = [pytest.param(2, 2, id="2x2"), pytest.param(3, 2, id="3x2"), pytest.param(2, 3, id="2x3")]


def general(a, b, tolerance=None):  # noqa: ANN001, ANN201
    """The general kernel alone (fast path off)."""
    saved = small_games._CLOSED_FORMS
    small_games._CLOSED_FORMS = False
    try:
        return small_game_equilibria(a, b, tolerance)
    finally:
        small_games._CLOSED_FORMS = saved


def assert_bits_equal(a, b, tolerance=None) -> None:  # noqa: ANN001
    """Every field of the fast result equals the reference's in shape, dtype and bits (NaN as NaN, -0.0 not 0.0)."""
    fast, reference = small_game_equilibria(a, b, tolerance), general(a, b, tolerance)
    for name in FIELDS:
        mine, theirs = getattr(fast, name), getattr(reference, name)
        assert mine.shape == theirs.shape and mine.dtype == theirs.dtype, (name, mine.shape, theirs.shape)
        if mine.dtype.kind == "f":
            same = (mine.view(np.int64) == theirs.view(np.int64)) | (np.isnan(mine) & np.isnan(theirs))
        else:
            same = mine == theirs
        assert same.all(), (name, np.argwhere(~same)[:3].tolist())
        assert mine.flags.c_contiguous, name
