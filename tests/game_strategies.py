"""Hypothesis strategies for small random games, shared by the solver property tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


@st.composite
def integer_bimatrix(draw, low: int = -3, high: int = 3):  # noqa: ANN001, ANN201
    """A pair ``(A, B)`` of int64 m x n payoff arrays, 1 <= m, n <= 3, entries in [low, high]."""
    m = draw(st.integers(1, 3))
    n = draw(st.integers(1, 3))
    entries = st.integers(low, high)
    return draw(arrays(np.int64, (m, n), elements=entries)), draw(arrays(np.int64, (m, n), elements=entries))
