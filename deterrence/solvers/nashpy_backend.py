"""nashpy as a second opinion on the equilibria of a bimatrix game, wrapped and verified.

nashpy (Knight and Campbell, 2018) enumerates equilibria by support
enumeration or by vertex enumeration of the best-response polytopes.  Both
work in floating point with fixed, very small tolerances, so on integer or
tied payoffs they can lose solutions, and in degenerate games support
enumeration is incomplete by design.  This wrapper therefore

* checks every profile nashpy returns against the regret tolerance of
  :func:`deterrence.verify.tolerance_for` and drops (with a note) any that
  fails or repeats;
* decides degeneracy itself (exactly for exact payoffs, within the tolerance
  for floats) and reports ``complete=False`` for a degenerate game;
* reports ``complete=False`` when a nondegenerate game yields an even number
  of equilibria, which cannot happen (Shapley, 1974), so a solution was lost;
* records nashpy's own warnings in ``notes``.

References
----------
Knight, V. and Campbell, J. (2018).  Nashpy: a Python library for the
computation of Nash equilibria.  *Journal of Open Source Software* 3(30), 904.
Shapley, L. S. (1974).  A note on the Lemke-Howson algorithm.  *Mathematical
Programming Study* 1, 175-189.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from deterrence.numbers import is_exact_array
from deterrence.solvers.bimatrix import BimatrixEquilibria, components
from deterrence.solvers.verify import FLOAT_TOLERANCE, is_nash, tolerance_for

__all__ = ["nashpy_equilibria"]


def _degenerate(A: np.ndarray, B: np.ndarray, tol: float) -> bool:
    """Exact verdict for exact payoffs, tolerance verdict for floats."""
    if is_exact_array(A) and is_exact_array(B):
        from deterrence.solvers.vertex_enumeration import vertex_equilibria

        return vertex_equilibria(A, B, backend="pivoting").degenerate
    from deterrence.solvers.support_enumeration import float_equilibria

    return float_equilibria(A, B, tol, FLOAT_TOLERANCE)[2]


def nashpy_equilibria(A: Any, B: Any, *, algorithm: str = "support") -> Any:
    """Run nashpy's support or vertex enumeration and verify every answer.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row and the column player (exact or float).
    algorithm : {"support", "vertex"}
        ``nashpy.Game.support_enumeration`` or ``nashpy.Game.vertex_enumeration``.

    Returns
    -------
    BimatrixEquilibria
        Float equilibria (``exact=False``) that passed verification, with
        ``method`` ``"nashpy-support"`` or ``"nashpy-vertex"``.

    Examples
    --------
    >>> res = nashpy_equilibria([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [round(float(v), 6) for v in res.equilibria[0][0]], res.complete
    ([0.5, 0.5], True)
    """
    import nashpy

    if algorithm not in ("support", "vertex"):
        raise ValueError(f"unknown nashpy algorithm {algorithm!r}")
    a_in, b_in = np.asarray(A), np.asarray(B)
    a, b = a_in.astype(np.float64), b_in.astype(np.float64)
    payoffs = np.stack([a, b], axis=-1)
    tol = tolerance_for(payoffs)
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        game = nashpy.Game(a, b)
        solver = game.support_enumeration if algorithm == "support" else game.vertex_enumeration
        raw = [(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)) for x, y in solver()]
    for warning in caught:
        text = " ".join(str(warning.message).split())
        notes.append(f"nashpy warned: {text}")
    kept: dict[tuple[float, ...], tuple[np.ndarray, np.ndarray]] = {}
    failed = repeated = 0
    for x, y in raw:
        if not is_nash(payoffs, [x, y], tol):
            failed += 1
            continue
        key = tuple(np.round(np.concatenate([x, y]), 9).tolist())
        if key in kept:
            repeated += 1
            continue
        x.setflags(write=False)
        y.setflags(write=False)
        kept[key] = (x, y)
    if failed:
        notes.append(f"{failed} profile(s) from nashpy failed verification at tolerance {tol:g} and were dropped")
    if repeated:
        notes.append(f"{repeated} repeated profile(s) from nashpy were dropped")
    degenerate = _degenerate(a_in, b_in, tol)
    complete = not degenerate and not failed and len(kept) % 2 == 1
    if degenerate:
        notes.append("degenerate game: nashpy's list is not guaranteed complete")
    elif len(kept) % 2 == 0:
        notes.append(
            f"nondegenerate game with an even number ({len(kept)}) of equilibria: "
            "nashpy lost at least one (Shapley 1974: the number is odd)"
        )
    ordered = sorted(kept.items(), key=lambda item: tuple(-v for v in item[0]))
    equilibria = tuple(pair for _, pair in ordered)
    return BimatrixEquilibria(
        equilibria=equilibria,
        exact=False,
        complete=complete,
        degenerate=degenerate,
        components=components([(k[: a.shape[0]], k[a.shape[0] :]) for k, _ in ordered]),
        method=f"nashpy-{algorithm}",
        tolerance=tol,
        notes=tuple(notes),
    )
