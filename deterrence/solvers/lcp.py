"""Equilibria of two-player game trees by Lemke's algorithm on the sequence-form LCP.

With the sequence form of :mod:`deterrence.solvers.sequence_form`
(realization plans :math:`Ex = e`, :math:`Fy = f`, :math:`x, y \\ge 0`,
payoff matrices :math:`A`, :math:`B`), a pair of plans is a Nash
equilibrium exactly when, for some free vectors :math:`p, q`,

.. math:: w_x = E^\\top p - A y \\ge 0,\\quad w_y = F^\\top q - B^\\top x \\ge 0,\\quad
          x^\\top w_x = 0,\\quad y^\\top w_y = 0

(the optimality conditions of each player's best-response LP; Koller,
Megiddo and von Stengel 1996; von Stengel 1996).  This is a *mixed* linear
complementarity problem: the equations :math:`Ex = e, Fy = f` and the free
:math:`p, q` have no complementary partner.

Lemke's algorithm here starts from a pair of pure realization plans
:math:`(\\bar x, \\bar y)`: their sequences and the free variables form the
starting basis (the equations for :math:`p, q` are the best-reply
conditions of the sequences played), and an artificial variable
:math:`z_0` with covering vector :math:`d` (1 for every sequence not in the
start, 0 for those in it) is added to every :math:`w`, large enough that
every inequality holds.  Complementary pivoting then drives :math:`z_0` to
zero.  Payoffs are first shifted to be negative at every terminal, which
changes no equilibrium.  Pivoting is exact (integer pivoting of a whole
tableau, for exact games, with the lexicographic ratio test of
:class:`deterrence.solvers.pivoting.Tableau`) or in floats on a factorised
sparse basis that is refactorised from the original matrix every few dozen
pivots (:mod:`deterrence.solvers.lcp_float`; the same lexicographic rule at
every size, and the same path up to 600 sequences).

Different starting plans can end at different equilibria; the solver runs
from several and removes duplicates.  The list is never known to be
complete.  Every equilibrium is turned into behaviour strategies
(:math:`\\beta(a \\mid I) = x(I, a) / x(\\sigma_I)`, uniform where the
player's own plan never reaches :math:`I`, which cannot matter for a Nash
equilibrium) and verified against both players' best responses in the tree.

References
----------
Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of
equilibria for extensive two-person games. Games and Economic Behavior 14,
247-259.
Lemke, C. E. (1965). Bimatrix equilibrium points and mathematical programming.
Management Science 11, 681-689.
von Stengel, B. (1996). Efficient computation of behavior strategies. Games
and Economic Behavior 14, 220-246.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.solvers.lcp_float import lemke_float, shifted_cells
from deterrence.solvers.pivoting import Tableau
from deterrence.solvers.result import Equilibrium, Solution

__all__ = ["MAX_SEQUENCES", "MAX_SEQUENCES_EXACT", "lcp_plans", "nash_lcp"]

#: Default bound on the sequences of both players for float pivoting (a factorised sparse basis).
MAX_SEQUENCES = 20_000
#: Default bound for exact (integer) pivoting.
MAX_SEQUENCES_EXACT = 1000
#: Regret tolerance of float results, relative to the payoff range.
LCP_TOLERANCE = 1e-7


def _shifted_matrices(sf: Any) -> tuple[list[list[int]], list[list[int]]]:
    """Dense integer ``A``, ``B``: every terminal payoff made negative, each matrix scaled to integers."""
    n1, n2 = len(sf.sequences[0]), len(sf.sequences[1])
    out = []
    for k in range(2):
        cells = shifted_cells(sf, k)
        scale = lcm(*(v.denominator for v in cells.values())) if cells else 1
        ints = [[0] * n2 for _ in range(n1)]
        for (r, c), v in cells.items():
            ints[r][c] = int(v * scale)
        out.append(ints)
    return out[0], out[1]


def _start_plan(sf: Any, player: int, pick: Any) -> list[int]:
    """Sequences of a pure plan: the empty one and one chosen action at every information set."""
    index = {s: i for i, s in enumerate(sf.sequences[player])}
    actions: dict[str, list[str]] = {}
    for s in sf.sequences[player][1:]:
        actions.setdefault(s[0], []).append(s[1])
    return [0] + [index[(infoset, pick(acts))] for infoset, acts in actions.items()]


def _system(sf: Any, a: Any, b: Any, start: tuple[list[int], list[int]]) -> tuple[list, int, int]:
    """Equation rows over ``[w (n), z (n), u (k), z0, artificial (k)]`` plus the right-hand side."""
    n1, n2 = len(sf.sequences[0]), len(sf.sequences[1])
    e, f = (c.toarray().astype(int) for c in sf.constraints)
    k1, k2 = e.shape[0], f.shape[0]
    n, k = n1 + n2, k1 + k2
    width = 2 * n + 2 * k + 2
    z0 = 2 * n + k
    in_start = set(start[0]) | {n1 + j for j in start[1]}
    rows = []
    for j in range(n):  # w_j - (M z)_j - (N u)_j - d_j z0 = 0
        row: list[Any] = [0] * width
        row[j] = 1
        if j < n1:
            for c in range(n2):
                if a[j][c]:
                    row[n + n1 + c] = a[j][c]  # -(-A y)
            for r in np.flatnonzero(e[:, j]).tolist():
                row[2 * n + r] = -int(e[r, j])
        else:
            jj = j - n1
            for r in range(n1):
                if b[r][jj]:
                    row[n + r] = b[r][jj]
            for r in np.flatnonzero(f[:, jj]).tolist():
                row[2 * n + k1 + r] = -int(f[r, jj])
        row[z0] = 0 if j in in_start else -1
        rows.append(row)
    for r in range(k):  # (E x)_r + art_r = e_r
        row = [0] * width
        if r < k1:
            for c in np.flatnonzero(e[r]).tolist():
                row[n + c] = int(e[r, c])
        else:
            for c in np.flatnonzero(f[r - k1]).tolist():
                row[n + n1 + c] = int(f[r - k1, c])
        row[z0 + 1 + r] = 1
        row[-1] = 1 if r in (0, k1) else 0
        rows.append(row)
    return rows, n, k


def _bring_in(t: Tableau, column: int, rows: set[int]) -> None:
    """Pivot ``column`` into one of ``rows`` (largest entry), removing that row from the set."""
    best = max(rows, key=lambda r: abs(t.entry(r, column)))
    if t.entry(best, column) == 0:
        raise SolverError("internal error: the starting basis of Lemke's algorithm is singular")
    t.pivot(best, column)
    rows.discard(best)


def _first_row(t: Tableau, z0: int, rows: list[int]) -> int | None:
    """Row that ``z0`` replaces: the lexicographic maximum of ``rhs / entry`` over negative entries."""
    best = None
    for i in rows:
        a = t.entry(i, z0)
        if not a < 0:
            continue
        if best is None:
            best = i
            continue
        b = t.entry(best, z0)
        for col in [-1, *t.lex]:
            diff = t.entry(i, col) * b - t.entry(best, col) * a  # (both entries negative)
            if diff:
                break
        if diff > 0:
            best = i
    if best is None or t.entry(best, -1) >= 0:
        return None  # every inequality already holds: the start is an equilibrium
    return best


def _lemke(sf: Any, a: Any, b: Any, start: tuple[list[int], list[int]], max_pivots: int) -> tuple | None:
    """Exact (integer) Lemke path from the pure plans ``start``: the plans at its end, or None."""
    rows, n, k = _system(sf, a, b, start)
    n1 = len(sf.sequences[0])
    art = list(range(2 * n + k + 1, 2 * n + 2 * k + 1))
    t = Tableau(rows, list(range(n)) + art, exact=True)
    free_rows = set(range(n, n + k))
    for j in start[0] + [n1 + j for j in start[1]]:
        _bring_in(t, n + j, free_rows)
    played_rows = {t.where[j] for j in start[0] + [n1 + j for j in start[1]]}
    for u in range(2 * n, 2 * n + k):
        _bring_in(t, u, played_rows)
    candidates = [i for i in range(t.n_rows) if not 2 * n <= t.basis[i] < 2 * n + k]
    z0 = 2 * n + k
    row = _first_row(t, z0, candidates)
    if row is not None:
        leaving = t.basis[row]
        t.pivot(row, z0)
        while leaving != z0:
            if t.pivots > max_pivots:
                return None  # a guard against a path too long: the start fails
            enter = leaving + n if leaving < n else leaving - n
            row = t.leaving_row(enter, candidates)
            if row is None:
                return None  # a secondary ray: this start gives no equilibrium
            leaving = t.basis[row]
            t.pivot(row, enter)
    plans = [t.variable_value(n + j) for j in range(n)]
    return tuple(plans[:n1]), tuple(plans[n1:])


def lcp_plans(
    game: ExtensiveFormGame,
    *,
    exact: bool = True,
    starts: int = 4,
    seed: int = 0,
    max_sequences: int | None = None,
    max_pivots: int | None = None,
    paths: list | None = None,
) -> tuple[Any, list[tuple[tuple, tuple]], int]:
    """Realization-plan pairs found by Lemke's algorithm from ``starts`` pure starting plans.

    Returns ``(sequence form, distinct (x, y) pairs, number of starts that failed)``.
    A start fails when its path ends on a ray or runs past ``max_pivots``
    pivots (default ``10 * sequences + 1000``), or, in floats, keeps
    revisiting bases.  Starts are: first action everywhere, last action
    everywhere, the two mixtures, then random pure plans (seeded).  Exact
    pivoting uses the integer tableau here; float pivoting the factorised
    basis of :func:`deterrence.solvers.lcp_float.lemke_float`, whose
    :class:`~deterrence.solvers.lcp_float.FloatPath` per start is appended
    to ``paths`` when a list is given.

    Examples
    --------
    >>> from deterrence.forms.synthetic import kuhn_poker
    >>> sf, found, failed = lcp_plans(kuhn_poker(), starts=1)
    >>> len(found), failed, sum(found[0][0][1:3])
    (1, 0, Fraction(1, 1))
    """
    from deterrence.solvers.sequence_form import sequence_form

    limit = (MAX_SEQUENCES_EXACT if exact else MAX_SEQUENCES) if max_sequences is None else max_sequences
    sf = sequence_form(game, max_sequences=limit)
    a, b = _shifted_matrices(sf) if exact else (None, None)
    rng = random.Random(seed)
    picks = [(lambda s: s[0], lambda s: s[0]), (lambda s: s[-1], lambda s: s[-1])]
    picks += [(lambda s: s[0], lambda s: s[-1]), (lambda s: s[-1], lambda s: s[0])]
    while len(picks) < starts:
        picks.append((rng.choice, rng.choice))
    found: dict[Any, tuple] = {}
    failed = 0
    seen_starts = set()
    n = sf.size
    for pick_1, pick_2 in picks[:starts]:
        start = (_start_plan(sf, 0, pick_1), _start_plan(sf, 1, pick_2))
        key = (tuple(start[0]), tuple(start[1]))
        if key in seen_starts:
            continue
        seen_starts.add(key)
        budget = max_pivots if max_pivots is not None else 10 * n + 1000
        if exact:
            result = _lemke(sf, a, b, start, budget)
        else:
            path = lemke_float(sf, start, budget)
            result = path.plans
            if paths is not None:
                paths.append(path)
        if result is None:
            failed += 1
            continue
        x, y = result
        plan_key = (x, y) if exact else tuple(np.round(np.array(x + y, dtype=float), 8).tolist())
        found.setdefault(plan_key, (x, y))
    return sf, list(found.values()), failed


def _behaviour(game: ExtensiveFormGame, sf: Any, i: int, plan: tuple, exact: bool) -> tuple[dict, list[str]]:
    index = {s: k for k, s in enumerate(sf.sequences[i])}
    player = game.players[i]
    strategy, unreached = {}, []
    zero = 0 if exact else 1e-9
    for infoset, parent in sf.parents[i].items():
        actions = game.actions(player, infoset)
        reach = plan[index[parent]]
        if reach <= zero:
            share = Fraction(1, len(actions)) if exact else 1.0 / len(actions)
            strategy[infoset] = {a: share for a in actions}
            unreached.append(infoset)
            continue
        masses = [max(plan[index[(infoset, a)]], 0) for a in actions]
        total = sum(masses)
        strategy[infoset] = {
            a: (m / total if exact else float(m / total)) for a, m in zip(actions, masses, strict=True)
        }
    return strategy, unreached


def nash_lcp(
    game: ExtensiveFormGame,
    *,
    exact: bool | None = None,
    starts: int = 4,
    max_sequences: int | None = None,
) -> Solution:
    """Registered ``nash``/``tree``/``lcp``: Lemke's algorithm on the sequence-form LCP, verified.

    Parameters
    ----------
    game : ExtensiveFormGame
        Two players, perfect recall, numeric payoffs (any sums).
    exact : bool, optional
        Integer pivoting (default for exact games; method ``"lcp-exact"``)
        or floats (``"lcp-float"``).
    starts : int
        Number of starting pairs of pure plans to try.
    max_sequences : int, optional
        Refuse trees with more sequences (default :data:`MAX_SEQUENCES_EXACT`
        exact, :data:`MAX_SEQUENCES` float).

    Returns
    -------
    Solution
        ``complete=False``: each run finds one equilibrium; different starts
        may find others, but not necessarily all.

    Examples
    --------
    >>> from deterrence.forms.synthetic import kuhn_poker
    >>> found = nash_lcp(kuhn_poker())
    >>> print(found[0].payoffs["P1"], found.method, found.complete)
    -1/18 lcp-exact False
    """
    from deterrence.forms.subgames import best_response_value, expected_payoffs

    if game.kind == "symbolic":
        raise SolverError(f"game has free parameters {list(game.parameters)}; evaluate it before solving")
    if exact is None:
        exact = game.kind == "exact"
    paths: list = []
    sf, plans, failed = lcp_plans(game, exact=exact, starts=starts, max_sequences=max_sequences, paths=paths)
    values = [v for t, _ in game.terminals() for v in t.payoffs]
    tol = 0.0 if exact else LCP_TOLERANCE * max(1.0, float(max(values)) - float(min(values)))
    equilibria, unverified = [], []
    for x, y in plans:
        beta_1, skip_1 = _behaviour(game, sf, 0, x, exact)
        beta_2, skip_2 = _behaviour(game, sf, 1, y, exact)
        strategies = {game.players[0]: beta_1, game.players[1]: beta_2}
        paid = expected_payoffs(game, strategies)
        regret = max(best_response_value(game, strategies, p) - paid[k] for k, p in enumerate(game.players))
        if regret > tol:
            if exact:
                raise SolverError(
                    f"internal error: Lemke's algorithm returned a profile with regret {float(regret):.3g} "
                    f"above the tolerance {tol:g}; please report this game"
                )
            unverified.append(float(regret))  # round-off: the profile is dropped, never returned
            continue
        notes = tuple(
            f"{p} never reaches {sets} under its own plan; the uniform behaviour there is arbitrary"
            for p, sets in zip(game.players, (skip_1, skip_2), strict=True)
            if sets
        )
        payoffs = dict(zip(game.players, paid if exact else (float(v) for v in paid), strict=True))
        equilibria.append(Equilibrium(strategies, payoffs, exact, float(max(regret, 0)), None, notes))
    summary = [
        f"Lemke's algorithm from {starts} starting pairs of pure plans found {len(equilibria)} distinct "
        "equilibria; the list is not complete (other equilibria may exist)"
    ]
    if failed:
        summary.append(f"{failed} start(s) ended without an equilibrium (a ray, the pivot limit or cycling)")
    if paths:
        summary.append(
            "float pivoting on a factorised basis: "
            + "; ".join(f"{p.reason} after {p.pivots} pivots ({p.refactorisations} LU factorisations)" for p in paths)
            + f"; largest drift of the basic values between refactorisations {max(p.drift for p in paths):.1e}"
        )
    if unverified:
        summary.append(
            f"{len(unverified)} float end point(s) failed verification (regret up to {max(unverified):.3g} "
            f"> tolerance {tol:g}) and were dropped"
        )
    if not equilibria:
        detail = f" ({summary[-1]})" if unverified else ""
        raise SolverError(
            f"Lemke's algorithm found no verified equilibrium from {starts} start(s) (rays, the pivot limit"
            f" or round-off{detail}); try more starts (options={{'starts': N}}) or exact pivoting"
        )
    return Solution(
        tuple(equilibria),
        complete=False,
        degenerate=None,
        tolerance=tol,
        notes=tuple(summary),
        method="lcp-exact" if exact else "lcp-float",
    )
