"""All Nash equilibria of small bimatrix games, vectorised over a stack of games.

For a bimatrix game :math:`(A, B)` with :math:`m, n \\le 4` strategies
(2×2, 3×2, 2×3 and 3×3 are the sizes this is built for) the solver lists the
*extreme* equilibria of ``G`` games at once: the same set as the exact
per-point vertex enumeration (:mod:`deterrence.solvers.vertex_enumeration`),
with the batch of games on the last axis of every array and no Python loop
over games.

**Vertices.**  After a positive affine map of the payoffs the best-response
polytopes are :math:`P = \\{x \\ge 0 : B^\\top x \\le 1\\}` and
:math:`Q = \\{y \\ge 0 : A y \\le 1\\}`.  A vertex of :math:`P` other than
the origin lies on :math:`m` independent tight inequalities: zeros outside a
support :math:`S` and :math:`k = |S|` tight columns :math:`J`.  Rescaled to a
mixed strategy it is the :math:`x` over :math:`S` that makes the columns in
:math:`J` indifferent, a vector of cofactors (a generalised cross product) in
closed form for :math:`k \\le 4`.  So each side has a fixed list of candidate
bases: the :math:`m` pure strategies and the :math:`\\binom{m}{k}\\binom{n}{k}`
pairs :math:`(S, J)` for :math:`k \\ge 2` (6 and 5 for 3×2, 13 and 13 for
3×3).  A candidate is a vertex when it is feasible within the tolerance; its
*labels* (bit ``i`` for row ``i``, bit ``m + j`` for column ``j``: a zero
probability or a best reply) are held as one ``uint8`` mask.  Two distinct
vertices never carry the same labels (a vertex is the only point of the
polytope on its tight inequalities), so in a degenerate game the several
bases of one vertex are merged by comparing masks.

**Equilibria.**  A pair of vertices :math:`(x, y) \\ne (0, 0)` whose labels
together cover all :math:`m + n` is an extreme equilibrium, and every extreme
equilibrium is one (von Stengel 2002): one OR and one comparison of the masks
for every pair of candidates (30 for 3×2).  The game is *degenerate* exactly
when some vertex of :math:`P` has more than :math:`m` labels or one of
:math:`Q` more than :math:`n`, read off the same masks; there the equilibria
form components and the list holds their vertices, as the exact solver's
does, with ``degenerate`` set.  In a nondegenerate game the list is every
equilibrium.

**Scaling.**  Each player's payoffs are mapped onto ``[0, 1]`` at every
point before the closed forms run (a positive affine transform of one
player's payoffs leaves the equilibria unchanged), so a constant of ``1e9``
in a model's payoffs costs no precision in the cofactors; payoffs and
regrets are mapped back.

**Closed forms first.**  Stacks of 2×2, 3×2 and 2×3 games go first through
:mod:`deterrence.solvers.small_closed_forms`: the games that are clearly
nondegenerate (no tie and no mixing probability near 0 or 1, with margins
above every round-off) are solved by the 2×2 difference formulas with the
same floating-point operations as the kernel below, so their results are
identical bit for bit; the others (and every chunk that is mostly
degenerate) go to the kernel.  The result does not depend on which path a
game took.

**Verification and fallback.**  Every returned equilibrium is checked again
on the game's payoffs (mapped onto ``[0, 1]``) after clipping round-off
negatives and renormalising: both players' regrets must be at most the
game's tolerance
(``1e-9 * max(1, payoff range)`` by default, as
:func:`deterrence.verify.tolerance_for`).  A game where a pair fails that
check, where no equilibrium is found or a nondegenerate game has an even
number (impossible: Shapley 1974), is solved again by exact vertex
enumeration and counted in ``fallbacks``.  Nothing is dropped silently.

References
----------
Shapley, L. S. (1974). A note on the Lemke–Howson algorithm. *Mathematical
Programming Study* 1, 175–189.
von Stengel, B. (2002). Computing equilibria for two-person games. In
*Handbook of Game Theory* vol. 3, ch. 45, 1723–1759.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import GameError
from deterrence.solvers.small_blocks import new_result, solve_blocks
from deterrence.solvers.small_polytopes import MAX_STRATEGIES, _side, _vertices
from deterrence.solvers.verify import FLOAT_TOLERANCE

__all__ = ["SmallGameEquilibria", "equilibria_at", "small_game_equilibria"]

# Games solved per vectorised pass (at most): long enough vectors, working arrays bounded.
_CHUNK = 16384
# Candidate pairs times games held at once (a 4x4 game has 3249 pairs: its passes are shorter).
_PAIRS_PER_PASS = 1 << 22
# Whether 2x2, 3x2 and 2x3 games take the closed forms first (tests switch it off to compare).
_CLOSED_FORMS = True


@dataclass(frozen=True, slots=True, eq=False)
class SmallGameEquilibria:
    """Equilibria of a stack of ``G`` bimatrix games, padded to ``K`` slots per game.

    ``K`` is the largest number of equilibria of any game in the stack (at
    least one).  Valid entries come first in each game, pure equilibria
    first; invalid slots hold NaN.

    Attributes
    ----------
    x : ndarray, shape (G, K, m)
        Row player's mixed strategies.
    y : ndarray, shape (G, K, n)
        Column player's mixed strategies.
    valid : ndarray of bool, shape (G, K)
        Which slots hold a verified equilibrium.
    count : ndarray of int, shape (G,)
        Number of equilibria listed for each game.
    degenerate : ndarray of bool, shape (G,)
        True where the game is degenerate (or a candidate failed
        verification); there the list may be incomplete, so fall back to an
        exact solver for that game.
    row_payoff, column_payoff : ndarray, shape (G, K)
        Expected payoffs at each equilibrium (NaN in invalid slots).
    regret : ndarray, shape (G, K)
        Largest regret of either player at each equilibrium (NaN if invalid).
    tolerance : ndarray, shape (G,)
        Absolute payoff tolerance used for each game.
    fallback : ndarray of bool, shape (G,)
        True where the closed forms failed numerically (no equilibrium, or an
        even number in a nondegenerate game) and the game was solved again by
        exact vertex enumeration; ``fallbacks`` is their number.
    """

    x: np.ndarray
    y: np.ndarray
    valid: np.ndarray
    count: np.ndarray
    degenerate: np.ndarray
    row_payoff: np.ndarray
    column_payoff: np.ndarray
    regret: np.ndarray
    tolerance: np.ndarray
    fallback: np.ndarray

    def __post_init__(self) -> None:
        for name in self.__slots__:
            getattr(self, name).flags.writeable = False

    def __len__(self) -> int:
        return int(self.count.shape[0])

    @property
    def fallbacks(self) -> int:
        """Number of games solved again exactly because the closed forms failed (see ``fallback``)."""
        return int(self.fallback.sum())

    def equilibria(self, b: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """The ``(x, y)`` pairs listed for game ``b`` (see :func:`equilibria_at`)."""
        return equilibria_at(self, b)

    def __repr__(self) -> str:
        return (
            f"<SmallGameEquilibria {len(self)} games {self.x.shape[2]}x{self.y.shape[2]}: "
            f"{int(self.count.sum())} equilibria, {int(self.degenerate.sum())} degenerate, "
            f"{self.fallbacks} exact fallbacks>"
        )


def equilibria_at(result: SmallGameEquilibria, b: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return the equilibria of game ``b`` of a batch as a list of ``(x, y)`` arrays.

    Examples
    --------
    >>> res = small_game_equilibria([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [(x.round(3).tolist(), y.round(3).tolist()) for x, y in equilibria_at(res, 0)]
    [([0.5, 0.5], [0.5, 0.5])]
    """
    keep = np.flatnonzero(result.valid[b])
    return [(result.x[b, k].copy(), result.y[b, k].copy()) for k in keep]


def small_game_equilibria(A: Any, B: Any, tolerance: float | np.ndarray | None = None) -> SmallGameEquilibria:
    """All extreme Nash equilibria of a stack of small bimatrix games, in one vectorised pass.

    Parameters
    ----------
    A, B : array_like of float, shape (G, m, n) or (m, n)
        Row and column players' payoffs for ``G`` games (a single matrix is a
        batch of one).  ``1 <= m, n <= 4``; tested for 2×2, 3×2, 2×3, 3×3.
    tolerance : float or array of shape (G,), optional
        Absolute payoff tolerance for best-response and regret checks.  By
        default ``1e-9 * max(1, payoff range)`` for each game.

    Returns
    -------
    SmallGameEquilibria
        ``x (G, K, m)``, ``y (G, K, n)``, ``valid (G, K)``, ``count (G,)``
        and ``degenerate (G,)``, where ``K`` is the largest number of
        equilibria listed for any game of the batch (at least one).  For games with
        ``degenerate == False`` the list is every equilibrium; for
        degenerate ones it is every extreme equilibrium (the vertices of the
        equilibrium components), the set the exact vertex enumeration lists.
        ``fallback (G,)`` marks the games solved again exactly
        (``fallbacks`` counts them).

    Raises
    ------
    GameError
        If the shapes differ, are too large, or payoffs are not finite.

    Notes
    -----
    Each player's payoffs are first mapped onto ``[0, 1]`` at every point
    (minus the minimum, divided by the range): positive affine transforms of
    one player's payoffs leave the equilibria unchanged, and the closed forms
    then work with numbers of size one, whatever constant the model adds.
    The tolerance is scaled along.  A game for which no equilibrium survives
    (impossible: every finite game has one), a nondegenerate one with an even
    number (impossible too: Shapley 1974), or one where a listed pair fails
    the regret check, is solved
    again by exact vertex enumeration of the payoffs' binary values and
    marked in ``fallback``.

    Examples
    --------
    Chicken (Snyder & Diesing 1977): swerve 0, win 1, lose -1, crash -10.  The
    mixed equilibrium stands firm with probability (1 - 0)/((1 - 0) + (-1 + 10)).

    >>> A = [[0, -1], [1, -10]]
    >>> res = small_game_equilibria(A, np.transpose(A))
    >>> print(res.count[0], res.degenerate[0], res.fallbacks)
    3 False 0
    >>> print(round(float(res.x[0, 2, 1]), 6))
    0.1

    A constant of 1e9 on every payoff changes nothing:

    >>> res = small_game_equilibria(np.add(A, 1e9), np.transpose(A) + 1e9)
    >>> print(res.count[0], round(float(res.x[0, 2, 1]), 6), round(float(res.row_payoff[0, 2]) - 1e9, 6))
    3 0.1 -0.1

    A degenerate game lists the ends of its equilibrium segment: against
    ``r1`` the column player is indifferent, and every ``y`` with
    ``y_1 <= 1/2`` keeps ``r1`` a best reply.

    >>> res = small_game_equilibria([[1, 1], [2, 0]], [[1, 1], [0, 2]])
    >>> print(res.count[0], res.degenerate[0])
    2 True
    >>> sorted([round(float(v), 3) for v in y] for x, y in res.equilibria(0))
    [[0.0, 1.0], [0.5, 0.5]]
    """
    a = np.asarray(A, dtype=np.float64)
    b = np.asarray(B, dtype=np.float64)
    if a.ndim == 2 and b.ndim == 2:
        a, b = a[np.newaxis], b[np.newaxis]
    if a.ndim != 3 or a.shape != b.shape:
        raise GameError(f"A and B must both have shape (G, m, n), got {np.shape(A)} and {np.shape(B)}")
    g, m, n = a.shape
    if not (1 <= m <= MAX_STRATEGIES and 1 <= n <= MAX_STRATEGIES):
        raise GameError(f"small_game_equilibria handles up to {MAX_STRATEGIES} strategies, got {m}x{n}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise GameError("payoffs must be finite")
    given = None
    if tolerance is not None:
        given = np.broadcast_to(np.asarray(tolerance, dtype=np.float64), (g,)).copy()
        if (given < 0).any() or not np.isfinite(given).all():
            raise GameError(f"tolerance must be finite and non-negative, got {tolerance!r}")
    pairs = _side(m, n, 0, m).size * _side(n, m, m, 0).size
    step = min(_CHUNK, max(256, _PAIRS_PER_PASS // pairs))
    indices: list[Any] = [slice(s, s + step) for s in range(0, g, step)]
    flags = {"degenerate": np.zeros(g, dtype=bool), "tolerance": np.empty(g), "suspect": np.zeros(g, dtype=bool)}
    fast = None
    if _CLOSED_FORMS and m <= 3 and n <= 3 and min(m, n) == 2:
        # 2x2, 3x2 and 2x3: closed forms for the clearly nondegenerate games, written in place into
        # result arrays of CAPACITY slots; the other games go to the general kernel below.
        fast = new_result(g, m, n)
        route, whole = solve_blocks(a, b, given, fast, flags["tolerance"])
        if sum(part.stop - part.start for part in whole) == g:
            fast = None  # every block was left whole (a degenerate family): the general path, no copies
        else:
            routed = np.flatnonzero(route)
            indices = whole + [routed[s : s + step] for s in range(0, routed.size, step)]
    parts = []
    for index in indices:
        part = _solve_chunk(a[index], b[index], None if given is None else given[index], 0)
        parts.append((index, part))
        for name, values in flags.items():
            values[index] = part[name]
    # No equilibrium, an even number in a nondegenerate game, or a pair that fails the regret
    # check: solve those games again exactly.
    suspect = flags.pop("suspect")
    exact = {i: _exact_fallback(a[i], b[i], flags["tolerance"][i]) for i in np.flatnonzero(suspect).tolist()}
    used = 0 if fast is None else _slots_used(fast["valid"])
    slots = max(
        1,
        used,
        *(p["x"].shape[1] for _, p in parts),
        *(len(rows) for _, rows in exact.values()),
    )
    out = new_result(g, m, n, slots) if fast is None else _resized(fast, slots)
    for index, part in parts:  # each element is written once: the part, then the padding
        for name, values in out.items():
            here = part[name].shape[1]
            values[index, :here] = part[name]
            if isinstance(index, slice):
                values[index, here:] = False if name == "valid" else np.nan
    for i, (degenerate, rows) in exact.items():
        flags["degenerate"][i] = degenerate
        for name, values in out.items():
            values[i] = False if name == "valid" else np.nan
        for k, row in enumerate(rows):
            out["x"][i, k], out["y"][i, k], out["row_payoff"][i, k], out["column_payoff"][i, k], out["regret"][i, k] = (
                row
            )
            out["valid"][i, k] = True
    count = np.zeros(g, dtype=np.intp)
    for k in range(slots):  # valid.sum(axis=1), one column at a time (K is small)
        count += out["valid"][:, k]
    return SmallGameEquilibria(count=count, fallback=suspect, **flags, **out)


def _slots_used(valid: np.ndarray) -> int:
    """The number of leading slots of ``valid (G, K)`` that hold an equilibrium in some game."""
    for k in range(valid.shape[1], 0, -1):
        if valid[:, k - 1].any():
            return k
    return 0


def _resized(out: dict[str, np.ndarray], slots: int) -> dict[str, np.ndarray]:
    """The result arrays ``out`` with ``slots`` slots: the same arrays, a trimmed copy or NaN-padded."""
    have = out["valid"].shape[1]
    if slots == have:
        return out
    if slots < have:
        return {name: np.ascontiguousarray(values[:, :slots]) for name, values in out.items()}
    g, _, m = out["x"].shape
    wider = new_result(g, m, out["y"].shape[2], slots)
    for name, values in wider.items():
        values[:, :have] = out[name]
        values[:, have:] = False if name == "valid" else np.nan
    return wider


def _normalise(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Map each game's payoffs ``p (m, n, G)`` onto ``[0, 1]``: ``(scaled, minimum, range)``.

    A constant player (range zero) keeps scale one.
    """
    flat = p.reshape(-1, p.shape[-1])
    low = flat.min(axis=0)
    spread = flat.max(axis=0) - low
    scale = np.where(spread > 0, spread, 1.0)
    return (p - low) / scale, low, scale


def _solve_chunk(a: np.ndarray, b: np.ndarray, given: np.ndarray | None, start: int) -> dict[str, np.ndarray]:
    """Solve games ``a, b (G, m, n)`` (rows ``start:`` of the batch) into ``(K, ..., G)`` slot arrays.

    Also returns ``degenerate``, ``tolerance`` and ``suspect`` (to solve again exactly), each ``(G,)``.
    """
    g, m, n = a.shape
    at, bt = np.ascontiguousarray(a.transpose(1, 2, 0)), np.ascontiguousarray(b.transpose(1, 2, 0))
    (an, low_a, scale_a), (bn, low_b, scale_b) = _normalise(at), _normalise(bt)
    if given is None:
        high = np.maximum(at.reshape(m * n, g).max(axis=0), bt.reshape(m * n, g).max(axis=0))
        tol = FLOAT_TOLERANCE * np.maximum(1.0, high - np.minimum(low_a, low_b))
    else:
        tol = given[start : start + g]
    tol_a, tol_b = tol / scale_a, tol / scale_b
    # P: the row player mixes, the column player (payoffs B) replies; Q the other way round.
    xs, mask_p, extra_p = _vertices(bn, tol_b, _side(m, n, 0, m))
    ys, mask_q, extra_q = _vertices(np.swapaxes(an, 0, 1), tol_a, _side(n, m, m, 0))
    full = np.uint8((1 << (m + n)) - 1)
    hit = ((mask_p[:, None] | mask_q[None, :]) == full).reshape(-1, g)  # completely labelled pairs
    small = np.uint8 if hit.shape[0] < 256 else np.uint16  # 3249 pairs for 4x4
    rank = hit.astype(small)
    for t in range(1, rank.shape[0]):
        rank[t] += rank[t - 1]  # the number of hits up to each pair
    count = rank[-1]
    slots = int(count.max(initial=0))
    degenerate = extra_p | extra_q
    suspect = (count == 0) | (~degenerate & (count % 2 == 0))
    # The pair of the (k+1)-th hit in each game, for every slot k; games with fewer take the last pair.
    pair = np.zeros((slots, g), dtype=np.intp)
    for k in range(slots):
        np.minimum((rank <= k).sum(axis=0, dtype=small), hit.shape[0] - 1, out=pair[k], casting="unsafe")
    valid = count > np.arange(slots)[:, None]  # (K, G)
    cp, cq, every = mask_p.shape[0], mask_q.shape[0], np.arange(g)
    # Offsets of each pair's two candidates in the flattened (candidate, game) arrays.
    x = xs.reshape(m, -1).take(np.repeat(np.arange(cp) * g, cq).take(pair) + every, axis=1)  # (m, K, G)
    y = ys.reshape(n, -1).take(np.tile(np.arange(cq) * g, cp).take(pair) + every, axis=1)
    np.maximum(x, 0.0, out=x)
    np.maximum(y, 0.0, out=y)
    with np.errstate(invalid="ignore", divide="ignore"):
        x /= x.sum(axis=0)
        y /= y.sum(axis=0)
    # Verify on the normalised payoffs: both regrets within the tolerance.
    ay = sum(an[:, j, None] * y[j] for j in range(n))  # (m, K, G): each row against y
    xb = sum(bn[i, :, None] * x[i] for i in range(m))  # (n, K, G): each column against x
    row, column = (x * ay).sum(axis=0), (xb * y).sum(axis=0)
    regret_a, regret_b = ay.max(axis=0) - row, xb.max(axis=0) - column
    suspect |= (valid & ((regret_a > tol_a) | (regret_b > tol_b))).any(axis=0)
    out = {
        "x": x,
        "y": y,
        "row_payoff": row * scale_a + low_a,
        "column_payoff": column * scale_b + low_b,
        "regret": np.maximum(np.maximum(regret_a * scale_a, regret_b * scale_b), 0.0),
    }
    blank = np.where(valid, 1.0, np.nan)  # invalid slots hold NaN
    for value in out.values():
        value *= blank
    # Games go to the front: (G, K, ...) as the result holds them.
    out = {name: np.moveaxis(v, -1, 0) if v.ndim == 2 else v.transpose(2, 1, 0) for name, v in out.items()}
    return {**out, "valid": valid.T, "degenerate": degenerate, "tolerance": tol, "suspect": suspect}


def _exact_fallback(a: np.ndarray, b: np.ndarray, tol: float) -> tuple[bool, list[tuple]]:
    """Exact vertex enumeration of ``a, b (m, n)``: ``(degenerate, [(x, y, row, column, regret), ...])``."""
    from deterrence.solvers.enumeration import enumerate_equilibria
    from deterrence.solvers.verify import exact_payoffs

    found = enumerate_equilibria(exact_payoffs(a), exact_payoffs(b), method="vertex")
    pairs = [(np.array([float(v) for v in x]), np.array([float(v) for v in y])) for x, y in found.equilibria]
    pairs.sort(key=lambda pair: int((pair[0] > 0).sum() + (pair[1] > 0).sum()))  # pure ones first
    (an, low_a, scale_a), (bn, low_b, scale_b) = (_normalise(p[..., None]) for p in (a, b))
    rows: list[tuple] = []
    for x, y in pairs:
        ay, xb = an[..., 0] @ y, x @ bn[..., 0]  # on the normalised payoffs, as the batched check
        row, column = float(x @ ay), float(xb @ y)
        gain_a, gain_b = max(float(ay.max()) - row, 0.0), max(float(xb.max()) - column, 0.0)
        if gain_a <= tol / scale_a[0] and gain_b <= tol / scale_b[0]:
            regret = max(gain_a * scale_a[0], gain_b * scale_b[0])
            rows.append((x, y, row * scale_a[0] + low_a[0], column * scale_b[0] + low_b[0], regret))
    # An exact equilibrium that fails the float check: the float list is not complete.
    return bool(found.degenerate) or len(rows) < len(pairs), rows
