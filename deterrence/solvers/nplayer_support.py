"""Every Nash equilibrium of a small N-player normal form, by support enumeration and polynomial algebra.

For each *support profile* (one nonempty set of strategies per player) the
equilibria that use exactly those strategies solve the indifference
conditions: with ``x_j`` player ``j``'s mixed strategy on its support
``S_j`` and ``U_i(k, x_{-i})`` player ``i``'s expected payoff of pure
strategy ``k``,

.. math:: U_i(k, x_{-i}) = U_i(k_0, x_{-i}) \\quad (k \\in S_i,\\ k \\ne k_0), \\qquad
          \\sum_{k \\in S_j} x_{j,k} = 1 .

After eliminating one probability per player this is a square system of
multilinear polynomials (``sum |S_i| - 1`` equations in as many unknowns),
built from the game's numbers (floats enter as their exact binary values, so
the coefficients are rationals) and solved exactly with :mod:`sympy`: a
grevlex Groebner basis over the rationals decides whether the solution set
is empty, finite or a continuum; a finite one is converted to a lex basis
(FGLM) and solved by back-substitution, keeping only real roots.  A
solution is kept when it is strictly positive on the support and no
strategy outside the support pays more (McKelvey and
McLennan, 1996).  Each equilibrium has exactly one support, so nothing is
found twice.

* Rational solutions are returned as Fractions and verified exactly.
* Irrational (algebraic) solutions are screened at 50 significant digits and
  then certified exactly (:mod:`deterrence.solvers.algebraic`): the point
  is written as polynomials in one real algebraic number (shape lemma, lex
  Groebner basis), every indifference equation reduces to zero modulo its
  minimal polynomial, and the positivity of the support probabilities and
  the absence of a profitable deviation are decided by exact sign
  determination on a refined isolating interval.  A certified point is
  returned as floats for display with its exact values (radicals or
  ``CRootOf``) in a note and in ``extra["algebraic"]``, and
  ``extra["verification"] == "verified exactly in algebraic arithmetic"``; a
  candidate the exact check refutes is dropped (noted); one with no exact
  form found (e.g. a multiple root) stays verified within the float
  tolerance only, and says so.
* A support whose solution set is positive-dimensional (a continuum, in a
  degenerate game) gets a few sample points (free unknowns fixed at simple
  rationals), each verified, and the result is marked incomplete.

The number of support profiles is ``prod_i (2**n_i - 1)``; :func:`estimate`
counts it before any work is done, and :func:`nash_support_polynomial`
refuses more than :data:`MAX_PROFILES`.  The method is registered as
``nash``/``normal-np``/``support-polynomial`` but is not the default (which
stays ``pure``): the registry refuses an over-large job rather than falling
back, so as a default it would turn today's answers for big N-player games
into errors.  Ask for it with ``--method support-polynomial``.

References
----------
McKelvey, R. D. and McLennan, A. (1996).  Computation of equilibria in
finite games.  *Handbook of Computational Economics* 1, 87-142.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.errors import SolverError

__all__ = ["MAX_PROFILES", "certify", "estimate", "nash_support_polynomial", "real_solutions", "support_profiles"]

#: Largest number of support profiles :func:`nash_support_polynomial` will enumerate.
MAX_PROFILES = 5000
_PER_PROFILE = 5_000  # work units (~us) per support profile and 2**(unknowns - 3): 3x3x3 took ~16 ms each
_DIGITS = 50  # precision of the screen of irrational solutions
_SAMPLES = 3  # sample points per positive-dimensional support
_EXACTLY = "verified exactly in algebraic arithmetic"
_VALUES = (Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(1, 4), Fraction(3, 4), Fraction(1, 5))


def support_profiles(shape: tuple[int, ...]) -> int:
    """Number of support profiles of a game of this shape: ``prod (2**n - 1)``.

    Examples
    --------
    >>> support_profiles((2, 2, 2)), support_profiles((3, 2, 2))
    (27, 63)
    """
    return math.prod(2**n - 1 for n in shape)


def estimate(game: Any) -> Any:
    """Work estimate for ``nash``/``normal-np``/``support-polynomial``: the support profiles to solve.

    Examples
    --------
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> game = NormalFormGame(["A", "B", "C"], [["a", "b"]] * 3, np.zeros((2, 2, 2, 3)))
    >>> print(estimate(game).what)
    2x2x2 game: 27 support profiles, one polynomial system each
    """
    from deterrence.solvers.work import Estimate

    shape = tuple(len(s) for s in game.strategies)
    count = support_profiles(shape)
    size = "x".join(str(n) for n in shape)
    unknowns = sum(n - 1 for n in shape)
    return Estimate(
        count * _PER_PROFILE * 2 ** max(0, unknowns - 3),
        f"{size} game: {count:,} support profiles, one polynomial system each",
        "--method pure (pure equilibria only)",
    )


def _rational(value: Any) -> Any:
    import sympy

    f = Fraction(value)
    return sympy.Rational(f.numerator, f.denominator)


class _Support:
    """The polynomial system of one support profile."""

    def __init__(self, table: np.ndarray, supports: tuple[tuple[int, ...], ...]) -> None:
        import sympy

        self.supports = supports
        self.symbols: list[Any] = []
        self.mixed: list[list[Any]] = []  # per player, the probability of each strategy in its support
        for j, support in enumerate(supports):
            free = [sympy.Symbol(f"x{j}_{k}") for k in support[1:]]
            self.symbols.extend(free)
            self.mixed.append([1 - sum(free, sympy.Integer(0)), *free])
        self.table = table
        self.equations = []
        for i, support in enumerate(supports):
            base = self.value(i, support[0])
            for k in support[1:]:
                poly = sympy.expand(self.value(i, k) - base)
                if poly != 0:
                    self.equations.append(poly)

    def value(self, i: int, k: int) -> Any:
        """Player ``i``'s expected payoff of strategy ``k``, a polynomial in the unknowns."""
        import sympy

        total = sympy.Integer(0)
        others = [j for j in range(len(self.supports)) if j != i]
        for combo in itertools.product(*(range(len(self.supports[j])) for j in others)):
            index = [0] * len(self.supports)
            index[i] = k
            weight = sympy.Integer(1)
            for j, c in zip(others, combo, strict=True):
                index[j] = self.supports[j][c]
                weight *= self.mixed[j][c]
            entry = self.table[(*index, i)]
            if entry:
                total += _rational(entry) * weight
        return total


def _groebner(equations: list[Any], symbols: list[Any]) -> Any:
    import sympy

    return sympy.groebner(equations, *symbols, order="grevlex", domain="QQ")


def _real_roots(polys: list[Any], symbol: Any) -> list[Any]:
    """Common real roots of univariate polynomials: exact Rationals, else Floats of ``_DIGITS`` digits."""
    import sympy

    if all(c.is_Rational for p in polys for c in sympy.Poly(p, symbol).all_coeffs()):
        common = sympy.Poly(polys[0], symbol, domain="QQ")
        for p in polys[1:]:
            common = common.gcd(sympy.Poly(p, symbol, domain="QQ"))
        if common.degree() <= 0:
            return []
        return [r if r.is_Rational else sympy.Float(r.evalf(_DIGITS + 10), _DIGITS + 10) for r in common.real_roots()]
    first = min(polys, key=lambda p: sympy.Poly(p, symbol).degree())
    poly = sympy.Poly(first, symbol)
    if poly.degree() <= 0:
        return []
    small = sympy.Float(10) ** (-(_DIGITS // 2))
    found = []
    for root in poly.nroots(n=_DIGITS + 10, maxsteps=500):
        re, im = root.as_real_imag()
        if abs(im) <= small and all(abs(sympy.sympify(p).subs(symbol, re)) <= small for p in polys):
            found.append(re)
    return found


def _solve_triangular(exprs: list[Any], symbols: list[Any]) -> list[dict[Any, Any]]:
    """Real solutions of a zero-dimensional lex Groebner basis, by back-substitution from the last unknown."""
    import sympy

    assignments: list[dict[Any, Any]] = [{}]
    for k in reversed(range(len(symbols))):
        symbol, known = symbols[k], set(symbols[k + 1 :])
        rows = [e for e in exprs if symbol in e.free_symbols and e.free_symbols <= known | {symbol}]
        extended: list[dict[Any, Any]] = []
        for assignment in assignments:
            polys = [sympy.expand(e.subs(assignment)) for e in rows]
            polys = [p for p in polys if p != 0]
            if not polys:  # cannot happen for a zero-dimensional basis
                continue
            extended.extend({**assignment, symbol: r} for r in _real_roots(polys, symbol))
        assignments = extended
    return assignments


def real_solutions(equations: list[Any], symbols: list[Any]) -> tuple[list[dict[Any, Any]], bool]:
    """Real solutions of polynomial equations with rational coefficients; second item True if a continuum.

    A grevlex Groebner basis over the rationals decides whether the system is
    inconsistent, zero-dimensional (then solved from its lex basis by
    back-substitution: rational roots exact, irrational ones as floats of
    ``_DIGITS`` digits) or positive-dimensional (no points returned).

    Examples
    --------
    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> points, continuum = real_solutions([x * y - 1, x - y], [x, y])
    >>> print(sorted(p[x] for p in points), continuum)
    [-1, 1] False
    """
    basis = _groebner(equations, symbols)
    if list(basis.exprs) == [1]:
        return [], False
    if not basis.is_zero_dimensional:
        return [], True
    return _solve_triangular(list(basis.fglm("lex").exprs), symbols), False


def _points(system: _Support, fixed: list[Any]) -> tuple[list[dict[Any, Any]], bool]:
    """Real solutions of the system (plus ``fixed`` equations); second item True if positive-dimensional."""
    symbols = system.symbols
    if not symbols:
        return [{}], False
    equations = [*system.equations, *fixed]
    if not equations:
        return [], True
    return real_solutions(equations, symbols)


def _samples(system: _Support) -> list[dict[Any, Any]]:
    """A few points of a positive-dimensional solution set: fix free unknowns at simple rationals."""
    found: list[dict[Any, Any]] = []
    for value in _VALUES:
        fixed: list[Any] = []
        for symbol in system.symbols:
            trial = [*fixed, symbol - _rational(value)]
            basis = _groebner([*system.equations, *trial], system.symbols)
            if list(basis.exprs) == [1]:
                continue  # this unknown is not free here
            fixed = trial
            if basis.is_zero_dimensional:
                found.extend(_points(system, fixed)[0])
                break
        if len(found) >= 4 * _SAMPLES:
            break
    return found


def _candidate(system: _Support, point: dict[Any, Any], shape: tuple[int, ...]) -> tuple[list[list[Any]], bool] | None:
    """The profile of a solution if it is real and strictly positive on the support; (profile, rational)."""
    import sympy

    profile: list[list[Any]] = []
    rational = True
    for support, probs, n in zip(system.supports, system.mixed, shape, strict=True):
        row: list[Any] = [sympy.Integer(0)] * n
        for k, p in zip(support, probs, strict=True):
            v = sympy.sympify(p).subs(point)
            if v.is_Rational:
                if v <= 0:
                    return None
            else:
                rational = False
                num = sympy.N(v, _DIGITS)
                re, im = num.as_real_imag()
                if abs(im) > 10 ** (-_DIGITS // 2) or re <= 10 ** (-_DIGITS // 2):
                    return None
            row[k] = v
        profile.append(row)
    return profile, rational


def _no_deviation(table: np.ndarray, profile: list[list[Any]], rational: bool) -> bool:
    """True if no strategy outside a player's support pays more than the support's strategies."""
    from deterrence.solvers.verify import regrets

    if rational:
        exact = [[Fraction(int(v.p), int(v.q)) for v in row] for row in profile]
        return max(regrets(table, exact)[1]) <= 0
    import mpmath
    import sympy

    with mpmath.workdps(_DIGITS):
        numeric = [[mpmath.mpf(str(sympy.re(sympy.N(v, _DIGITS)))) for v in row] for row in profile]
        precise = np.vectorize(lambda f: mpmath.mpf(f.numerator) / f.denominator, otypes=[object])(table)
        gains = regrets(precise, numeric)[1]
        return bool(max(gains) <= mpmath.mpf(10) ** (-(_DIGITS // 2)))


def certify(table: np.ndarray, supports: tuple[tuple[int, ...], ...], point: Any) -> bool:
    """Exact check that an algebraic point is a Nash equilibrium with these supports.

    ``point`` is a :class:`~deterrence.solvers.algebraic.AlgebraicPoint`
    over the unknowns ``x{j}_{k}`` (player ``j``'s probability of strategy
    ``k``, for every ``k`` in its support but the first, whose probability is
    one minus the others).  Checked exactly: every indifference equation of
    the support reduces to zero modulo the minimal polynomial, every
    probability on a support is positive, and no strategy outside a support
    pays more than the support's (exact sign determination).

    Examples
    --------
    Player 1 wants to match player 2, player 2 to match player 3 and
    player 3 to mismatch player 1 (Jordan's game); the equilibrium is
    (1/2, 1/2, 1/2), here as "algebraic" numbers of degree 1:

    >>> from fractions import Fraction
    >>> import sympy
    >>> from deterrence.solvers.algebraic import THETA, AlgebraicPoint
    >>> u = np.empty((2, 2, 2, 3), dtype=object)
    >>> for a, b, c in np.ndindex(2, 2, 2):
    ...     u[a, b, c] = [Fraction(int(a == b)), Fraction(int(b == c)), Fraction(int(c != a))]
    >>> def at(value):
    ...     names = sympy.symbols("x0_1 x1_1 x2_1")
    ...     return AlgebraicPoint(sympy.Poly(THETA, THETA), [Fraction(0), Fraction(0)],
    ...                           {x: sympy.Poly(value, THETA, domain="QQ") for x in names})
    >>> full = ((0, 1), (0, 1), (0, 1))
    >>> certify(u, full, at(Fraction(1, 2))), certify(u, full, at(Fraction(1, 3)))
    (True, False)
    """
    system = _Support(table, supports)
    if any(point.sign(e) != 0 for e in system.equations):
        return False
    if any(point.sign(p) <= 0 for probs in system.mixed for p in probs):
        return False
    for i, support in enumerate(supports):
        base = system.value(i, support[0])
        for k in range(table.shape[i]):
            if k not in support and point.sign(system.value(i, k) - base) > 0:
                return False
    return True


def _algebraic(system: _Support, point: dict[Any, Any], table: np.ndarray) -> Any:
    """The exact form of an irrational candidate if it passes :func:`certify`; False if it fails; None if not found."""
    from deterrence.solvers.algebraic import algebraic_point

    exact = algebraic_point(system.equations, system.symbols, point)
    if exact is None:
        return None
    return exact if certify(table, system.supports, exact) else False


def _certified(game: Any, system: _Support, exact: Any, note: tuple[str, ...], tol: float) -> Any:
    """The equilibrium of an exactly certified algebraic point: floats for display, the exact forms alongside."""
    import dataclasses

    from deterrence.solvers.profiles import matrix_equilibrium

    approx: list[list[float]] = [[0.0] * len(labels) for labels in game.strategies]
    forms: dict[str, dict[str, str]] = {}
    for j, (support, probs) in enumerate(zip(system.supports, system.mixed, strict=True)):
        forms[game.players[j]] = {}
        for k, p in zip(support, probs, strict=True):
            approx[j][k] = exact.value(p)
            forms[game.players[j]][game.strategies[j][k]] = exact.text(p)
    paid = {player: system.value(i, system.supports[i][0]) for i, player in enumerate(game.players)}
    shown = "; ".join(f"{player}: " + ", ".join(f"{s} = {v}" for s, v in f.items()) for player, f in forms.items())
    note = (*note, f"{_EXACTLY}: {shown}")
    eq = matrix_equilibrium(game, approx, exact=False, notes=note, tolerance=tol)
    extra = {
        "algebraic": forms,
        "algebraic_payoffs": {player: exact.text(v) for player, v in paid.items()},
        "verification": _EXACTLY,
    }
    payoffs = {player: exact.value(v) for player, v in paid.items()}
    return dataclasses.replace(eq, payoffs=payoffs, extra=extra)


def nash_support_polynomial(game: Any) -> Any:
    """Every Nash equilibrium of a small N-player game, where finitely many exist.

    Rational equilibria are exact; irrational ones are floats, certified exactly
    in algebraic arithmetic where an exact form is found (noted either way).  A
    support with a continuum of solutions contributes verified sample points
    and makes the result incomplete.

    Raises
    ------
    SolverError
        If the game has more than :data:`MAX_PROFILES` support profiles.

    Examples
    --------
    Three players each choose 0 or 1; player 1 wants to match player 2,
    player 2 to match player 3 and player 3 to mismatch player 1 (Jordan's
    game).  The unique equilibrium has everyone mixing half and half:

    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> u = np.zeros((2, 2, 2, 3), dtype=int)
    >>> for a, b, c in np.ndindex(2, 2, 2):
    ...     u[a, b, c] = (a == b, b == c, c != a)
    >>> game = NormalFormGame(["P1", "P2", "P3"], [["0", "1"]] * 3, u)
    >>> found = nash_support_polynomial(game)
    >>> len(found), found.complete
    (1, True)
    >>> print(found[0].strategies["P1"]["0"], found[0].exact)
    1/2 True
    """
    import dataclasses

    import sympy

    from deterrence.solvers.profiles import matrix_equilibrium
    from deterrence.solvers.result import Solution
    from deterrence.solvers.verify import exact_payoffs, tolerance_for

    shape = tuple(len(s) for s in game.strategies)
    count = support_profiles(shape)
    if count > MAX_PROFILES:
        size = "x".join(str(n) for n in shape)
        raise SolverError(
            f"{size} game: {count:,} support profiles exceed the limit of {MAX_PROFILES:,} for support-polynomial; "
            "use --method pure"
        )
    table = exact_payoffs(game.payoffs)
    floats = np.asarray(game.payoffs, dtype=np.float64)
    tol = tolerance_for(floats)
    choices = [[c for r in range(1, n + 1) for c in itertools.combinations(range(n), r)] for n in shape]
    equilibria, notes = [], []
    continua = irrational = certified = refuted = 0
    for supports in itertools.product(*choices):
        system = _Support(table, supports)
        points, positive = _points(system, [])
        if positive:
            continua += 1
            points = _samples(system)
        kept = 0
        for point in points:
            found = _candidate(system, point, shape)
            if found is None or not _no_deviation(table, *found):
                continue
            profile, rational = found
            if positive and kept >= _SAMPLES:
                break
            kept += 1
            note = ("sample point of a continuum of equilibria",) if positive else ()
            if rational:
                exact = [[Fraction(int(v.p), int(v.q)) for v in row] for row in profile]
                equilibria.append(matrix_equilibrium(game, exact, exact=True, notes=note))
            else:
                algebraic = _algebraic(system, point, table)
                if algebraic is False:
                    refuted += 1
                    continue  # the 50-digit screen passed, the exact check did not
                irrational += 1
                note = (*note, "irrational probabilities, shown as floats")
                if algebraic is None:
                    approx = [[float(sympy.re(sympy.N(v, _DIGITS))) for v in row] for row in profile]
                    eq = matrix_equilibrium(game, approx, exact=False, notes=note, tolerance=tol)
                    eq = dataclasses.replace(eq, extra={"verification": "within the float tolerance only"})
                else:
                    certified += 1
                    eq = _certified(game, system, algebraic, note, tol)
                equilibria.append(eq)
    if continua:
        notes.append(
            f"{continua} support profile(s) have a positive-dimensional solution set: sample points only "
            "(flagged); the list is incomplete"
        )
    if irrational:
        how = (
            f"{certified} verified exactly in algebraic arithmetic (exact forms in their notes)"
            if certified == irrational
            else f"{certified} verified exactly in algebraic arithmetic, {irrational - certified} only within the "
            "float tolerance (no exact form found)"
        )
        notes.append(
            f"{irrational} equilibrium(s) have irrational (algebraic) probabilities, reported as floats: "
            f"screened at {_DIGITS} digits; {how}"
        )
    if refuted:
        notes.append(f"{refuted} candidate(s) passed the {_DIGITS}-digit screen but failed the exact check: dropped")
    return Solution(
        tuple(equilibria),
        complete=not continua,
        degenerate=True if continua else None,
        tolerance=tol if irrational else 0.0,
        notes=tuple(notes),
    )
