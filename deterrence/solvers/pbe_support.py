"""One support profile of a perfect Bayesian equilibrium search: its conditions, solved exactly.

Fix, at every information set ``I``, the set ``S(I)`` of actions played
with positive probability (the *support*).  Then

* the probability of each action is a variable (one fewer than ``|S(I)|``;
  the last is one minus the others), positive on ``S(I)`` and zero off it;
* ``I`` is *reached* when some node of ``I`` has positive probability from
  its anchor (see :mod:`deterrence.solvers.pbe_tree`); this depends on the
  supports only.  At a reached set the belief is Bayes' rule, and every
  condition is multiplied by the (positive) probability of reaching ``I``,
  so it stays polynomial;
* at a set that is not reached the belief is a vector of variables in the
  simplex (or fixed by a belief rule);
* *sequential rationality* at ``I``: with ``Q(a)`` the expected payoff of
  action ``a`` under the beliefs, every action in ``S(I)`` has the same
  ``Q`` (equations) and none outside does better (inequalities).

* after an action that is not played (or anywhere below a set that is not
  reached) the mover's own later sets are not reached either, so her value
  must also beat every pure plan there (:func:`~deterrence.solvers.pbe_tree.deviation_plans`):
  sequential rationality is against all continuation strategies.

Factors that are positive on the support (a played action's probability)
are divided out of the equations, which are then solved with
:func:`sympy.solve` (polynomials built from the game's numbers); every
branch is checked against the equations, and what it leaves unsolved is kept
as an equality.  Each branch that leaves variables free is a *family*, whose
remaining conditions are linear in most games and are then described
exactly by :func:`deterrence.solvers.pbe_region.linear_region`; nonlinear
ones go to :func:`deterrence.solvers.pbe_nonlinear.nonlinear_region`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from deterrence.solvers.pbe_algebraic import certify_branch
from deterrence.solvers.pbe_nonlinear import nonlinear_region, unparametrised_curve
from deterrence.solvers.pbe_region import is_linear, linear_region, to_fraction
from deterrence.solvers.pbe_tree import Info, TreeIndex, deviation_plans, own_below, value_below

__all__ = ["CONTINUUM", "Family", "solve_support"]

#: Remark for a support whose nonlinear conditions have a continuum of solutions (counted, not an omission).
CONTINUUM = "nonlinear continuum"
#: The remark on a support whose solutions include a curve left undescribed (see ``unparametrised_curve``).
CURVE = "the indifference conditions have a curve of solutions that is not parametrised (left undescribed)"

Path = tuple[str, ...]
#: ``rule(index, info, prob, positive)`` -> ``{node path: weight}`` for a set that is not reached, or None
Rule = Callable[[TreeIndex, Info, Callable, Callable], "dict[Path, Any] | None"]


@dataclass
class Family:
    """A set of assessments for one support profile: a representative point and the ranges.

    ``behaviour[k]`` and ``beliefs[k]`` are the point's distributions at
    information set ``k`` (beliefs are None where the set is reached: Bayes'
    rule gives them); ``ranges`` maps ``("action", k, a)`` or
    ``("node", k, path)`` to ``(low, low_closed, high, high_closed)`` for the
    quantities that vary across the family.
    """

    behaviour: list[dict[str, Any]]
    beliefs: list[dict[Path, Any] | None]
    ranges: dict[tuple, tuple[Fraction, bool, Fraction, bool]] = field(default_factory=dict)
    exact: bool = True
    conditions: tuple[str, ...] = ()
    #: Number of free variables of a nonlinear family (0: the ranges describe it); its conditions define it.
    nonlinear: int = 0
    #: A linear family's closure: ``(free variables, conditions g >= 0, behaviour tables as expressions)``.
    closure: tuple[list, list, list] | None = None
    #: An irrational point's exact forms, when certified: ``"behaviour"`` and ``"beliefs"`` (text per action
    #: and node) and ``"exact"`` (the algebraic point, the behaviour tables and off-path weights as expressions).
    algebraic: dict[str, Any] | None = None


@dataclass
class _System:
    tables: list[dict[str, Any]]
    beliefs: list[dict[Path, Any] | None]
    equations: list[Any]
    constraints: list[tuple[Any, bool]]
    variables: list[Any]
    optimality: list[Any] = field(default_factory=list)
    readable: dict[Any, Any] = field(default_factory=dict)


def _names(index: TreeIndex, support: Sequence[tuple[str, ...]], reached: list[bool]) -> list[str]:
    names = [f"s{k}_{j}" for k, chosen in enumerate(support) for j in range(len(chosen) - 1)]
    names += [
        f"m{k}_{j}"
        for k, info in enumerate(index.infos)
        if not reached[k] and len(info.nodes) > 1
        for j in range(len(info.nodes) - 1)
    ]
    return names


def _as_expr(value: Any) -> Any:
    if hasattr(value, "as_expr"):
        return value.as_expr()
    if hasattr(value, "numerator") and not isinstance(value, (int, Fraction)):  # sympy's PythonMPQ / gmpy mpq
        return sympy.Rational(int(value.numerator), int(value.denominator))
    return sympy.Rational(value.numerator, value.denominator) if isinstance(value, Fraction) else sympy.sympify(value)


def _ground_value(value: Any) -> Any:
    """The number a constant (number or constant polynomial) stands for, else None."""
    if hasattr(value, "is_ground"):
        return (value.LC if value else 0) if value.is_ground else None
    return value


def _violated(equations: list, constraints: list) -> bool:
    """Whether some condition without variables already fails (most supports stop here)."""
    for g, strict in constraints:
        c = _ground_value(g)
        if c is not None and (c < 0 or (strict and c == 0)):
            return True
    return any(_ground_value(e) not in (None, 0) for e in equations)


def _system(index: TreeIndex, support: Sequence[tuple[str, ...]], rule: Rule | None) -> _System | None:
    """The support's equations and inequalities, built in a polynomial ring (fast), returned as sympy expressions."""

    def positive(info: Info, action: str) -> bool:
        return action in support[index.position[(info.player, info.name)]]

    reached = [index.reached(info, positive) for info in index.infos]
    below = _own_below(index)
    names = _names(index, support, reached)
    gens: dict[str, Any] = {}
    if names:
        from sympy.polys.rings import ring

        _, *generators = ring(",".join(names), sympy.QQ)
        gens = dict(zip(names, generators, strict=True))
    tables, variables, constraints = [], [], []
    for k, (info, chosen) in enumerate(zip(index.infos, support, strict=True)):
        table: dict[str, Any] = {a: 0 for a in info.actions}
        if len(chosen) == 1:
            table[chosen[0]] = 1
        else:
            symbols = [gens[f"s{k}_{j}"] for j in range(len(chosen) - 1)]
            for a, g in zip(chosen, symbols, strict=False):
                table[a] = g
            table[chosen[-1]] = 1 - sum(symbols)
            variables += symbols
            constraints += [(g, True) for g in symbols] + [(1 - sum(symbols), True)]
        tables.append(table)

    def prob(info: Info, action: str) -> Any:
        return tables[index.position[(info.player, info.name)]][action]

    values = index.values(prob, ground=bool(names))
    equations: list[Any] = []
    optimality: list[Any] = []
    beliefs: list[dict[Path, Any] | None] = []
    for k, (info, chosen) in enumerate(zip(index.infos, support, strict=True)):
        player = index.players.index(info.player)
        weights: dict[Path, Any] | None
        if reached[k]:
            weights = {x: index.reach(x, prob, start=len(info.anchor)) for x in info.nodes}
            beliefs.append(None)
        else:
            weights = rule(index, info, prob, positive) if rule is not None else None
            if weights is None:
                weights = _belief_variables(k, info, gens, constraints)
            beliefs.append(weights)
        if names:
            weights = {
                x: sympy.QQ(w.numerator, w.denominator) if isinstance(w, Fraction) else w for x, w in weights.items()
            }
        q = {a: sum((w * values[x + (a,)][player] for x, w in weights.items() if w != 0), 0) for a in info.actions}
        first = chosen[0]
        equations += [q[a] - q[first] for a in chosen[1:]]
        better = [q[first] - q[b] for b in info.actions if b not in chosen]
        for b in info.actions:
            for plan in deviation_plans(index, below, k, b, b in chosen, reached):
                better.append(q[first] - _plan_value(index, weights, b, plan, prob, player, bool(names)))
        constraints += [(g, False) for g in better]
        optimality += better
    if _violated(equations, constraints):
        return None
    readable = {}
    for name in names:
        k, j = (int(v) for v in name[1:].split("_"))
        info = index.infos[k]
        what = support[k][j] if name[0] == "s" else index.node_name(info.nodes[j])
        label = (
            f"P({info.player}: {info.name}: {what})" if name[0] == "s" else f"mu({info.player}: {info.name}: {what})"
        )
        readable[sympy.Symbol(name)] = sympy.Symbol(label)
    return _System(
        [{a: _as_expr(v) for a, v in t.items()} for t in tables],
        [None if b is None else {x: _as_expr(w) for x, w in b.items()} for b in beliefs],
        [_as_expr(e) for e in equations],
        [(_as_expr(g), strict) for g, strict in constraints],
        [_as_expr(v) for v in variables],
        [_as_expr(g) for g in optimality],
        readable,
    )


def _own_below(index: TreeIndex) -> list:
    cached = getattr(index, "_own_below", None)
    if cached is None:
        cached = index._own_below = own_below(index)  # type: ignore[attr-defined]
    return cached


def _plan_value(
    index: TreeIndex, weights: dict, action: str, plan: dict, prob: Callable, player: int, ground: bool
) -> Any:
    """Expected payoff of ``action`` at a set (weights: its reach or belief) when the mover follows ``plan`` below."""

    def follow(info: Info, a: str) -> Any:
        j = index.position[(info.player, info.name)]
        return (1 if plan[j] == a else 0) if j in plan else prob(info, a)

    return sum((w * value_below(index, x + (action,), follow, player, ground) for x, w in weights.items() if w != 0), 0)


def _belief_variables(k: int, info: Info, gens: dict[str, Any], constraints: list) -> dict[Path, Any]:
    if len(info.nodes) == 1:
        return {info.nodes[0]: 1}
    symbols = [gens[f"m{k}_{j}"] for j in range(len(info.nodes) - 1)]
    constraints += [(g, False) for g in symbols] + [(1 - sum(symbols), False)]
    weights: dict[Path, Any] = dict(zip(info.nodes, symbols, strict=False))
    weights[info.nodes[-1]] = 1 - sum(symbols)
    return weights


def solve_support(
    index: TreeIndex, support: Sequence[tuple[str, ...]], rule: Rule | None = None
) -> tuple[list[Family], list[str]]:
    """Every family of sequentially rational assessments with this support profile, and remarks.

    A remark names a solution branch left undescribed (nonlinear conditions
    that could be neither proved empty nor sampled), which makes the search
    incomplete.
    """
    system = _system(index, support, rule)
    if system is None:
        return [], []
    # Fast exit: conditions that are already plain numbers.
    for g, strict in system.constraints:
        if not getattr(g, "free_symbols", None) and (g < 0 or (strict and g <= 0)):
            return [], []
    equations = _without_positive_factors(system)
    if equations is None or any(not e.free_symbols for e in equations):
        return [], []
    points = None
    if equations:
        unknowns = sorted(set().union(*(e.free_symbols for e in equations)), key=str)
        points = _finite_solutions(equations, unknowns)
        if points is not None:
            branches = points
        elif unparametrised_curve(equations, unknowns):
            return [], [f"support {_support_text(index, support)}: {CURVE}"]
        else:
            try:
                branches = sympy.solve(equations, unknowns, dict=True, simplify=False, check=False, rational=True)
            except (NotImplementedError, TypeError, ValueError, ZeroDivisionError):  # sympy gave up (or failed)
                return [], [
                    f"support {_support_text(index, support)}: sympy could not solve the indifference conditions"
                ]
    else:
        branches, unknowns = [{}], []
    families, remarks = [], []
    if (
        points is None
        and unknowns
        and not is_linear(equations, unknowns)
        and any(set(unknowns) - set(b) for b in branches)
    ):
        remarks.append(CONTINUUM)
    for branch in branches:
        # A root known only to many digits satisfies the equations within round-off, not exactly.
        inexact = any(getattr(v, "is_Float", False) for v in branch.values())
        found = _branch(system, branch, () if inexact else equations)
        if isinstance(found, str):
            remarks.append(f"support {_support_text(index, support)}: {found}")
        elif found is not None and inexact:
            certified = certify_branch(system, index, equations, unknowns, branch, found)
            if certified is not None:
                families.append(certified)
        elif found is not None:
            families.append(found)
    return families, remarks


def _finite_solutions(equations: list, unknowns: list) -> list[dict] | None:
    """Every real solution of a nonlinear polynomial system with finitely many, else None.

    :func:`deterrence.solvers.nplayer_support.real_solutions` decides by a
    Groebner basis whether the system is inconsistent (no branch),
    zero-dimensional (rational roots exact, irrational ones as high-precision
    floats) or has a continuum (None: left to :func:`sympy.solve`, which
    parametrises it).
    :func:`sympy.solve` can take minutes on a zero-dimensional system of a
    few multilinear equations (van der Laan's 3x3x3 game), this takes
    milliseconds.
    """
    from deterrence.solvers.nplayer_support import real_solutions

    if is_linear(equations, unknowns) or not all(e.is_polynomial(*unknowns) for e in equations):
        return None
    points, continuum = real_solutions(equations, unknowns)
    return None if continuum else points


def _without_positive_factors(system: _System) -> list | None:
    """The equations with every factor that is positive on the support removed; None if one cannot vanish.

    A played action's probability is positive, so an equation such as
    ``p (3 q - 1) = 0`` with ``p`` played says ``q = 1/3``.
    """
    positive = {sympy.expand(g) for g, strict in system.constraints if strict}
    out = []
    for e in system.equations:
        if e == 0:
            continue
        if not e.free_symbols:
            return None
        _, factors = sympy.factor_list(e)
        kept = [f for f, _ in factors if sympy.expand(f) not in positive and sympy.expand(-f) not in positive]
        if not kept:
            return None
        out.append(sympy.expand(sympy.Mul(*kept)))
    return out


def _support_text(index: TreeIndex, support: Sequence[tuple[str, ...]]) -> str:
    return "; ".join(f"{i.player}:{i.name}={'|'.join(s)}" for i, s in zip(index.infos, support, strict=True))


def _branch(system: _System, branch: dict, equations: Sequence[Any] = ()) -> Family | str | None:
    if any(getattr(v, "is_real", True) is False for v in branch.values()):
        return None
    subs = {k: sympy.nsimplify(v) if not v.free_symbols and not v.is_Float else v for k, v in branch.items()}
    # sympy.solve(check=False) may return a branch that leaves an equation unsolved: keep what it leaves.
    residual = []
    for e in equations:
        left = sympy.expand(sympy.fraction(sympy.together(e.xreplace(subs)))[0])
        if left != 0 and not left.free_symbols:
            return None
        if left != 0:
            residual.append(left)
    constraints = [(sympy.expand(g.xreplace(subs)), s) for g, s in system.constraints]
    tables = [{a: sympy.expand(v.xreplace(subs)) for a, v in t.items()} for t in system.tables]
    beliefs = [None if b is None else {x: sympy.expand(w.xreplace(subs)) for x, w in b.items()} for b in system.beliefs]
    free = sorted(set().union(set(), *(sympy.sympify(g).free_symbols for g, _ in constraints)), key=str)
    targets: dict[tuple, Any] = {}
    for k, t in enumerate(tables):
        targets.update({("action", k, a): v for a, v in t.items() if getattr(v, "free_symbols", None)})
    for k, b in enumerate(beliefs):
        if b is not None:
            targets.update({("node", k, x): w for x, w in b.items() if getattr(w, "free_symbols", None)})
    free = sorted(
        set(free).union(*(v.free_symbols for v in targets.values()), *(e.free_symbols for e in residual)), key=str
    )
    everything = [g for g, _ in constraints] + [v for t in tables for v in t.values()]
    everything += [w for b in beliefs if b is not None for w in b.values()]
    rational = all(_rational(e, free) for e in everything)
    if not rational and not free:
        return _irrational(constraints, tables, beliefs, free)
    rational = rational and all(_rational(e, free) for e in residual)
    if free and (not rational or not is_linear([g for g, _ in constraints] + list(targets.values()) + residual, free)):
        return _nonlinear(system, subs, free, constraints, tables, beliefs, residual)
    region = linear_region(free, constraints, equalities=residual, targets=targets)
    if region is None:
        return None
    point = region.point
    behaviour = [{a: to_fraction(sympy.sympify(v).subs(point)) for a, v in t.items()} for t in tables]
    points = [
        None if b is None else {x: to_fraction(sympy.sympify(w).subs(point)) for x, w in b.items()} for b in beliefs
    ]
    varying = {key: r for key, r in region.ranges.items() if r[0] != r[2]}
    closure = (free, [g for g, _ in constraints] + residual + [-e for e in residual], tables)
    conditions = _conditions(system, subs) if varying else ()
    return Family(behaviour, points, varying, conditions=conditions, closure=closure)


def _nonlinear(
    system: _System, subs: dict, free: list, constraints: list, tables: list, beliefs: list, residual: list
) -> Family | str | None:
    """A branch whose conditions are nonlinear in its free variables: proved empty, or a family with a sample point."""
    outcome = nonlinear_region(free, constraints, residual)
    if outcome.kind == "empty":
        return None
    if outcome.kind == "unknown" or outcome.point is None:
        names = [str(sympy.Symbol(str(v)).xreplace(system.readable)) for v in free]
        return f"nonlinear conditions in {len(free)} free variable(s) {names}: {outcome.reason}; branch not described"
    point = {v: sympy.Rational(c.numerator, c.denominator) for v, c in outcome.point.items()}
    behaviour = [{a: to_fraction(sympy.sympify(v).xreplace(point)) for a, v in t.items()} for t in tables]
    points = [
        None if b is None else {x: to_fraction(sympy.sympify(w).xreplace(point)) for x, w in b.items()} for b in beliefs
    ]
    conditions = (
        _conditions(system, subs)
        + tuple(f"{e.xreplace(system.readable)} = 0" for e in residual)
        + tuple(
            f"{sympy.expand(g).xreplace(system.readable)} {'>' if strict else '>='} 0"
            for g, strict in constraints
            if sympy.sympify(g).free_symbols and not _is_bound(g)
        )
    )
    return Family(behaviour, points, {}, conditions=tuple(dict.fromkeys(conditions)), nonlinear=len(free))


def _is_bound(g: Any) -> bool:
    """Whether ``g >= 0`` only says that one variable lies in ``[0, 1]`` (``v`` or ``1 - v``)."""
    g = sympy.expand(g)
    symbols = g.free_symbols
    return len(symbols) == 1 and (g - next(iter(symbols)) == 0 or g + next(iter(symbols)) == 1)


def _conditions(system: _System, subs: dict) -> tuple[str, ...]:
    """The family's region in words: solved variables as functions of free ones, and the best-reply inequalities."""
    out = [
        f"{sympy.Symbol(str(k)).xreplace(system.readable)} = {v.xreplace(system.readable)}"
        for k, v in subs.items()
        if getattr(v, "free_symbols", None)
    ]
    for g in system.optimality:
        g = sympy.expand(g.xreplace(subs))
        if g.free_symbols:
            out.append(f"{g.xreplace(system.readable)} >= 0")
    return tuple(dict.fromkeys(out))


def _rational(expr: Any, free: list) -> bool:
    """Whether ``expr`` is a polynomial with rational coefficients in ``free`` (a rational number if none)."""
    expr = sympy.sympify(expr)
    if not expr.free_symbols:
        return bool(expr.is_Rational)
    try:
        return all(c.is_Rational for c in sympy.Poly(expr, *free).coeffs())
    except sympy.PolynomialError:
        return False


def _irrational(constraints: list, tables: list, beliefs: list, free: list) -> Family | str | None:
    """A branch at an irrational point (a quadratic's root): checked in floats, reported inexact."""
    if free:
        return "a family with irrational or non-polynomial conditions in free variables; branch not described"
    values = [_real(g) for g, _ in constraints]
    if any(v is None for v in values):
        return None  # a complex root
    if any(v < -1e-12 or (s and v <= 1e-12) for v, (_, s) in zip(values, constraints, strict=True)):  # type: ignore[operator]
        return None
    behaviour = [{a: _real(v) for a, v in t.items()} for t in tables]
    points = [None if b is None else {x: _real(w) for x, w in b.items()} for b in beliefs]
    if any(v is None for t in behaviour for v in t.values()) or any(
        v is None for b in points if b is not None for v in b.values()
    ):
        return None
    return Family(behaviour, points, {}, exact=False)


def _real(expr: Any) -> float | None:
    """The float value of a constant (roots written with ``I`` included), or None when it is not real."""
    value = complex(sympy.N(expr, 30))
    return value.real if abs(value.imag) <= 1e-12 else None
