"""Iterated elimination of dominated strategies, pure and mixed, exact when payoffs are.

Let :math:`U_i` be player :math:`i`'s payoffs with one row per remaining own
strategy and one column per remaining pure profile of the opponents.  A
strategy :math:`s` is

* *strictly dominated* by a mixture :math:`\\sigma` of the other rows if
  :math:`\\sigma^\\top U_i > U_i[s]` in every column;
* *weakly dominated* if :math:`\\sigma^\\top U_i \\ge U_i[s]` everywhere with
  at least one strict inequality.

Pure dominators are tried first.  Mixed ones come from the linear program
:math:`\\max \\varepsilon` s.t. :math:`\\sigma^\\top U_i - U_i[s] \\ge
\\varepsilon`, :math:`\\sigma \\in \\Delta` (strict domination iff
:math:`\\varepsilon^* > 0`); for weak domination the program maximises the
total slack subject to zero-or-positive slack everywhere.  Domination against
the opponents' *pure* profiles is the standard definition for any number of
players (Fudenberg & Tirole 1991, §2.1; Osborne & Rubinstein 1994, §4.2).

**Exactness.**  For exact games (Fractions) no domination is claimed unless it
holds exactly: a float LP (``scipy.optimize.linprog``) proposes a mixture,
which is rounded to small-denominator fractions and checked in rational
arithmetic, and the LP's basis is also re-solved exactly; a domination is
claimed only for a mixture that passes the exact check in Fractions, so no
LP is ever solved in rational arithmetic (an exact simplex can cycle on
degenerate games; issue 9) and every elimination carries its certificate.  For float games, payoff differences
within the tolerance (:func:`deterrence.verify.tolerance_for` by default)
count as ties, so a domination is claimed only with a margin above it.

**Order.**  Strategies are removed one at a time: at each step the first
dominated strategy found, scanning players in order and each player's
remaining strategies in order, is removed, and the scan restarts.  For strict
domination the surviving game does not depend on the order (Gilboa, Kalai &
Zemel 1990).  For weak domination it can, so the order is part of the result
and is recorded in :attr:`DominanceResult.eliminations`.

References
----------
Gilboa, I., Kalai, E. & Zemel, E. (1990). On the order of eliminating dominated
strategies. *Operations Research Letters* 9(2), 85–89.
Fudenberg, D. & Tirole, J. (1991). *Game Theory*. MIT Press.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np

from deterrence.errors import SolverError
from deterrence.numbers import as_exact
from deterrence.solvers.verify import tolerance_for

__all__ = ["DominanceResult", "Elimination", "eliminate_dominated"]

# Float LP optima within this (relative to the payoff range) of zero are re-decided exactly.
_AMBIGUOUS = 1e-6
_DENOMINATORS = (2, 6, 12, 60, 10**3, 10**4, 10**6, 10**9, 10**12)


class Elimination(NamedTuple):
    """One elimination step: ``player`` drops ``strategy``, dominated by ``dominated_by``."""

    player: str
    strategy: str
    dominated_by: str


@dataclass(frozen=True, slots=True, eq=False)
class DominanceResult:
    """Outcome of iterated elimination of dominated strategies.

    Attributes
    ----------
    game : NormalFormGame
        The game that was reduced.
    reduced : NormalFormGame
        The game that survives.
    eliminations : tuple of Elimination
        Every removal in the order it was made.
    witnesses : tuple of dict
        For each elimination, the dominating mixture ``{strategy label: weight}``
        (Fractions in exact games), valid in the game as it stood at that step.
    kept : tuple of tuple of int
        Indices (in ``game``) of each player's surviving strategies.
    solvable : bool
        True when exactly one profile survives (the game is dominance solvable).
    weak, mixed, exact : bool
        Whether weak domination and mixed dominators were used, and whether
        comparisons were exact.
    tolerance : float
        Payoff tolerance for float games (0.0 when exact).
    """

    game: Any
    reduced: Any
    eliminations: tuple[Elimination, ...]
    witnesses: tuple[dict[str, Any], ...]
    kept: tuple[tuple[int, ...], ...]
    solvable: bool
    weak: bool
    mixed: bool
    exact: bool
    tolerance: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: surviving strategies and the ordered eliminations."""
        from deterrence.numbers import to_json_value

        return {
            "concept": "weak-dominance" if self.weak else "strict-dominance",
            "mixed": self.mixed,
            "exact": self.exact,
            "solvable": self.solvable,
            "surviving": {p: list(s) for p, s in zip(self.reduced.players, self.reduced.strategies, strict=True)},
            "eliminations": [
                {
                    "player": e.player,
                    "strategy": e.strategy,
                    "dominated_by": e.dominated_by,
                    "witness": {k: to_json_value(v) for k, v in w.items()},
                }
                for e, w in zip(self.eliminations, self.witnesses, strict=True)
            ],
            "tolerance": self.tolerance,
        }

    def __repr__(self) -> str:
        mode = "weak" if self.weak else "strict"
        shape = "x".join(str(n) for n in self.reduced.shape)
        return f"<DominanceResult {mode}: {len(self.eliminations)} eliminated, {shape} left, solvable={self.solvable}>"


def _dominates(diff: np.ndarray, weak: bool, tol: float) -> bool:
    """Whether payoff differences ``dominator - dominated`` (one per column) show domination."""
    if weak:
        return bool((diff >= -tol).all() and (diff > tol).any())
    return bool((diff > tol).all())


def _float_margin(u: np.ndarray, s: int, others: list[int]) -> tuple[float, np.ndarray] | None:
    """Float LP: the largest ``min_c (sigma @ U - U[s])`` over mixtures ``sigma`` of ``others``."""
    from scipy.optimize import linprog

    rows = u[others]
    r, cols = rows.shape
    # Variables (sigma_1..sigma_r, eps): maximise eps s.t. eps - sigma @ U[:, c] <= -U[s, c].
    res = linprog(
        np.r_[np.zeros(r), -1.0],
        A_ub=np.c_[-rows.T, np.ones(cols)],
        b_ub=-u[s],
        A_eq=np.r_[np.ones(r), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * r + [(None, None)],
        method="highs",
    )
    if res.status != 0:
        return None
    sigma = np.clip(res.x[:r], 0, None)
    return -float(res.fun), sigma / sigma.sum()


def _float_weak(u: np.ndarray, s: int, others: list[int], tol: float) -> np.ndarray | None:
    """Float LP: a mixture of ``others`` with slack >= -tol everywhere and maximal total slack."""
    from scipy.optimize import linprog

    rows = u[others]
    res = linprog(
        -rows.sum(axis=1),
        A_ub=-rows.T,
        b_ub=-u[s] + tol,
        A_eq=np.ones((1, len(others))),
        b_eq=[1.0],
        bounds=[(0, None)] * len(others),
        method="highs",
    )
    if res.status != 0:
        return None
    sigma = np.clip(res.x, 0, None)
    return sigma / sigma.sum()


def _solve_consistent(rows: list[list[Fraction]], rhs: list[Fraction], guess: list[Fraction]) -> list[Fraction] | None:
    """A rational solution of ``rows @ x = rhs`` (free variables set to ``guess``), or None if inconsistent."""
    width = len(guess)
    aug = [[*row, b] for row, b in zip(rows, rhs, strict=True)]
    pivots: list[int] = []
    r = 0
    for col in range(width):  # reduced row echelon form, exactly
        pivot = next((i for i in range(r, len(aug)) if aug[i][col] != 0), None)
        if pivot is None:
            continue
        aug[r], aug[pivot] = aug[pivot], aug[r]
        head = [v / aug[r][col] for v in aug[r]]
        aug[r] = head
        for i in range(len(aug)):
            if i != r and aug[i][col] != 0:
                f = aug[i][col]
                aug[i] = [v - f * h for v, h in zip(aug[i], head, strict=True)]
        pivots.append(col)
        r += 1
        if r == len(aug):
            break
    if any(row[width] != 0 for row in aug[r:]):
        return None
    x = list(guess)
    for i, col in enumerate(pivots):
        x[col] = aug[i][width] - sum(
            (aug[i][c] * x[c] for c in range(width) if c != col and c not in pivots), Fraction(0)
        )
    return x


def _basis_resolve(u: np.ndarray, s: int, others: list[int], sigma: np.ndarray, weak: bool, scale: float):
    """The exact mixture on the float solution's support that keeps its tight columns tight.

    A simplex solver (HiGHS) returns a vertex of the LP: the mixture on its
    support and the columns where the margin is smallest (strict) or zero
    (weak) determine it.  Solving that system in rationals recovers the
    exact vertex whenever the float basis is right; the caller checks the
    result exactly, so a wrong basis only costs a failed proposal.
    """
    uf = np.asarray(u, dtype=np.float64)
    support = [k for k, w in enumerate(sigma) if w > 1e-9]
    if not support:
        return None
    diff = sigma @ uf[others] - uf[s]
    target = 0.0 if weak else float(diff.min())
    tight = [c for c in range(u.shape[1]) if abs(float(diff[c]) - target) <= 1e-9 * scale]
    if not tight:
        return None
    # Unknowns: the weights on the support, then (strict only) the common margin.
    rows = [[Fraction(1)] * len(support) + ([] if weak else [Fraction(0)])]
    rhs = [Fraction(1)]
    for c in tight:
        row = [as_exact(u[others[k], c]) - as_exact(u[s, c]) for k in support]
        rows.append(row + ([] if weak else [Fraction(-1)]))
        rhs.append(Fraction(0))
    guess = [Fraction(float(sigma[k])).limit_denominator(10**6) for k in support]
    if not weak:
        guess.append(Fraction(float(target)).limit_denominator(10**6))
    x = _solve_consistent(rows, rhs, guess)
    if x is None or min(x[: len(support)]) < 0:
        return None
    weights = [Fraction(0)] * len(others)
    for k, w in zip(support, x[: len(support)], strict=True):
        weights[k] = w
    return weights


def _rationalise(sigma: np.ndarray) -> list[list[Fraction]]:
    """Small-denominator rational mixtures near a float one (each sums to exactly 1)."""
    out = []
    for d in _DENOMINATORS:
        q = [max(Fraction(float(v)).limit_denominator(d), Fraction(0)) for v in sigma]
        total = sum(q)
        if total > 0:
            out.append([v / total for v in q])
    return out


def _float_dominator(uf: np.ndarray, s: int, others: list[int], weak: bool, tol: float) -> dict[int, Any] | None:
    """Mixed dominator in a float game: claimed only with a margin above ``tol``."""
    found = _float_margin(uf, s, others)
    if found is None:
        return None
    margin, sigma = found
    if margin > tol and _dominates(sigma @ uf[others] - uf[s], False, tol):
        return {t: float(w) for t, w in zip(others, sigma, strict=True) if w > 0}
    if weak and margin >= -tol:
        weak_sigma = _float_weak(uf, s, others, tol)
        if weak_sigma is not None and _dominates(weak_sigma @ uf[others] - uf[s], True, tol):
            return {t: float(w) for t, w in zip(others, weak_sigma, strict=True) if w > 0}
    return None


def _exact_dominator(u: np.ndarray, s: int, others: list[int], weak: bool, scale: float) -> dict[int, Any] | None:
    """Mixed dominator in an exact game: floats (HiGHS) propose, rationals decide.

    The float LP's mixture is rationalised at a ladder of denominators and
    re-solved exactly on its basis (:func:`_basis_resolve`); a domination is
    claimed only for a mixture that passes the exact check in Fractions.  A
    strategy whose every proposal fails is kept (never a false elimination).
    """
    uf = np.asarray(u, dtype=np.float64)
    found = _float_margin(uf, s, others)
    if found is None or found[0] < -_AMBIGUOUS * scale:
        return None  # not even weakly dominated, by a margin far beyond float error
    margin, sigma = found
    sigmas = [sigma]  # also when the optimum is ~0: the exact re-solve of its basis decides
    if weak:
        weak_sigma = _float_weak(uf, s, others, 0.0)
        if weak_sigma is not None:
            sigmas.append(weak_sigma)

    def check(weights: list[Fraction]) -> dict[int, Any] | None:
        start = np.full(u.shape[1], Fraction(0), dtype=object)  # stay in exact arithmetic
        mix = sum((w * u[t] for t, w in zip(others, weights, strict=True)), start)
        if _dominates(mix - u[s], weak, 0):
            return {t: w for t, w in zip(others, weights, strict=True) if w != 0}
        return None

    for candidate in sigmas:
        proposals = _rationalise(candidate)
        for strict_basis in (False, True) if weak else (False,):
            exact_vertex = _basis_resolve(u, s, others, candidate, weak and not strict_basis, scale)
            if exact_vertex is not None:
                proposals.append(exact_vertex)
        for weights in proposals:
            if (witness := check(weights)) is not None:
                return witness
    return None


def _find_dominator(
    u: np.ndarray, s: int, weak: bool, mixed: bool, exact: bool, tol: float, scale: float
) -> dict[int, Any] | None:
    """Return a dominating mixture ``{row: weight}`` for row ``s`` of ``u``, or None."""
    others = [t for t in range(u.shape[0]) if t != s]
    for t in others:
        if _dominates(u[t] - u[s], weak, tol):
            return {t: Fraction(1) if exact else 1.0}
    if not mixed or len(others) < 2:
        return None
    # A mixture is never above the best of its rows: no LP when some column has no row above s.
    best = u[others].max(axis=0) - u[s]
    if not _dominates(best, weak, tol):
        return None
    if exact:
        return _exact_dominator(u, s, others, weak, scale)
    return _float_dominator(np.asarray(u, dtype=np.float64), s, others, weak, tol)


def _describe(witness: dict[int, Any], labels: list[str], exact: bool) -> str:
    if len(witness) == 1:
        return labels[next(iter(witness))]
    fmt = str if exact else (lambda w: f"{float(w):.6g}")
    return " + ".join(f"{fmt(w)} {labels[t]}" for t, w in witness.items())


def eliminate_dominated(
    game: Any, weak: bool = False, mixed: bool = True, tolerance: float | None = None
) -> DominanceResult:
    """Iteratively remove strictly (or weakly) dominated strategies of every player.

    Parameters
    ----------
    game : NormalFormGame
        An exact or float game with any number of players.
    weak : bool, default False
        Remove weakly dominated strategies too.  The result can then depend
        on the order of removal; the order used (first player, then first
        strategy, one removal per step) is recorded.
    mixed : bool, default True
        Also look for dominating mixed strategies (an LP per strategy);
        otherwise only pure dominators count.
    tolerance : float, optional
        Payoff tolerance for float games (default
        :func:`deterrence.verify.tolerance_for`); ignored for exact games.

    Returns
    -------
    DominanceResult
        The reduced game, the eliminations in order with their dominators,
        and whether the game is dominance solvable.

    Raises
    ------
    SolverError
        If the game has free parameters.

    Examples
    --------
    >>> from deterrence import NormalFormGame
    >>> pd = NormalFormGame(["Row", "Col"], [["C", "D"], ["C", "D"]],
    ...                     [[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
    >>> result = eliminate_dominated(pd)
    >>> result.reduced.strategies, result.solvable
    ((('D',), ('D',)), True)
    >>> [tuple(e) for e in result.eliminations]
    [('Row', 'C', 'D'), ('Col', 'C', 'D')]

    Only a mixture dominates the third row here (3/2 > 1 in both columns):

    >>> g = NormalFormGame.from_bimatrix([[3, 0], [0, 3], [1, 1]], [[1, 0], [0, 1], [0, 0]])
    >>> eliminate_dominated(g).eliminations[0].dominated_by
    '1/2 r1 + 1/2 r2'
    >>> len(eliminate_dominated(g, mixed=False).eliminations)
    0
    """
    if game.kind == "symbolic":
        raise SolverError(f"game has free parameters {list(game.parameters)}; evaluate it first")
    exact = game.kind == "exact"
    payoffs = np.asarray(game.payoffs, dtype=object if exact else np.float64)
    tol = 0.0 if exact else (tolerance_for(payoffs) if tolerance is None else float(tolerance))
    scale = max(1.0, float(np.ptp(np.asarray(payoffs, dtype=np.float64)))) if payoffs.size else 1.0
    n = game.n_players
    kept = [list(range(size)) for size in game.shape]
    eliminations: list[Elimination] = []
    witnesses: list[dict[str, Any]] = []
    # Strategies found undominated stay so while only their own player loses strategies (fewer
    # dominators, same columns); an opponent's removal makes them candidates again.
    undominated: list[set[int]] = [set() for _ in range(n)]
    while True:
        step = None
        for i in range(n):
            if len(kept[i]) < 2:
                continue
            block = payoffs[np.ix_(*kept, [i])][..., 0]
            u = np.moveaxis(block, i, 0).reshape(len(kept[i]), -1)  # rows: own, columns: opponents
            for s in range(len(kept[i])):
                if kept[i][s] in undominated[i]:
                    continue
                witness = _find_dominator(u, s, weak, mixed, exact, tol, scale)
                if witness is None:
                    undominated[i].add(kept[i][s])
                if witness is not None:
                    step = (i, s, witness)
                    break
            if step is not None:
                break
        if step is None:
            break
        i, s, witness = step
        labels = [game.strategies[i][k] for k in kept[i]]
        eliminations.append(Elimination(game.players[i], labels[s], _describe(witness, labels, exact)))
        witnesses.append({labels[t]: w for t, w in witness.items()})
        del kept[i][s]
        for j in range(n):
            if j != i:
                undominated[j].clear()
    reduced = game.restrict(kept)
    return DominanceResult(
        game=game,
        reduced=reduced,
        eliminations=tuple(eliminations),
        witnesses=tuple(witnesses),
        kept=tuple(tuple(k) for k in kept),
        solvable=all(len(k) == 1 for k in kept),
        weak=weak,
        mixed=mixed,
        exact=exact,
        tolerance=tol,
    )


# -- registered solvers (see deterrence.solvers.catalog) ----------------------
def _iesds(game: Any, weak: bool, inner: str | None) -> Any:
    """Eliminate dominated strategies, then list the Nash equilibria by the ``inner`` method."""
    from deterrence.solvers.facade import solve
    from deterrence.solvers.profiles import lift
    from deterrence.solvers.result import Solution

    name = "iesds-weak" if weak else "iesds"
    reduced = eliminate_dominated(game, weak=weak)
    notes = tuple(
        f"eliminated {player}'s {strategy} (dominated by {by})" for player, strategy, by in reduced.eliminations
    )
    # Solve the surviving game, then write its equilibria over the full strategy sets.
    found = solve(reduced.reduced, "nash", inner)
    equilibria = tuple(lift(game, reduced.reduced, e) for e in found.equilibria)
    solvable = "dominance solvable" if reduced.solvable else "not dominance solvable"
    return Solution(
        equilibria,
        found.complete and not weak,  # weak elimination can lose equilibria
        found.degenerate,
        found.tolerance,
        (*notes, solvable, *found.notes),
        f"{name}+{found.method}",
    )


def solve_iesds(game: Any, inner: str | None = None) -> Any:
    """Registered ``dominance``/``iesds``: strict elimination, then Nash equilibria (``inner`` method).

    Examples
    --------
    >>> from deterrence import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> found = solve_iesds(pd)
    >>> found.method, len(found), "dominance solvable" in found.notes
    ('iesds+vertex-exact', 1, True)
    """
    return _iesds(game, False, inner)


def solve_iesds_weak(game: Any, inner: str | None = None) -> Any:
    """Registered ``dominance``/``iesds-weak``: weak elimination (may lose equilibria), then Nash."""
    return _iesds(game, True, inner)
