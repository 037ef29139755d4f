"""Exact certificates for perfect Bayesian equilibria at irrational points.

A support profile whose indifference conditions are nonlinear may have its
only solutions at irrational numbers (roots of a quadratic, say).  The
support solver finds them as high-precision floats and checks the
conditions in floats.  This module checks them exactly instead: the
solution is written in one real algebraic number (the shape lemma, see
:mod:`deterrence.solvers.algebraic`), and every condition of sequential
rationality -- each optimality inequality, each positive probability on
the support, each off-path belief in its simplex -- gets its exact sign.
Bayes posteriors are rational functions of the behaviour; they are reduced
in the number field, so they are exact too.

The assessment keeps its float values for display and arithmetic, and
carries the exact forms (``-1 + sqrt(2)``, ``CRootOf(...)``) alongside, as
the N-player solver does (:mod:`deterrence.solvers.nplayer_support`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy

from deterrence.solvers.algebraic import algebraic_point

__all__ = ["EXACTLY", "certify_branch", "consistent_exactly"]

#: The verification text of an assessment certified here (the same words as the N-player solver's).
EXACTLY = "verified exactly in algebraic arithmetic"


def certify_branch(system: Any, index: Any, equations: list, unknowns: list, branch: dict, family: Any) -> Any:
    """``family`` with its exact forms when the branch passes every condition exactly; None when it fails one.

    Parameters
    ----------
    system : pbe_support._System
        The support's conditions (expressions in ``unknowns``).
    index : TreeIndex
        The tree, for Bayes posteriors at the reached sets.
    equations, unknowns : list
        The zero-dimensional system the branch solves, and its unknowns.
    branch : dict
        ``{unknown: high-precision Float}``, one real solution.
    family : Family
        The float family :func:`~deterrence.solvers.pbe_support.solve_support` built for it.

    Returns
    -------
    Family or None
        ``family`` unchanged when no exact form is found (it stays checked in
        floats), the family with ``algebraic`` set when certified, and None
        when an exact sign shows it is not a PBE of this support (a strict
        condition that is exactly zero: the point belongs to a smaller support).

    Examples
    --------
    Two unknowns with ``x = y = sqrt(2) - 1``, a support asking ``x > 0`` and
    ``x <= 1/2``:

    >>> from types import SimpleNamespace
    >>> x, y = sympy.symbols("x y")
    >>> near = (sympy.sqrt(2) - 1).evalf(40)
    >>> system = SimpleNamespace(constraints=[(x, True), (sympy.Rational(1, 2) - x, False)],
    ...                          tables=[{"a": x, "b": 1 - x}], beliefs=[None])
    >>> from deterrence.solvers.pbe_support import Family
    >>> family = Family([{"a": 0.414, "b": 0.586}], [None], exact=False)
    >>> done = certify_branch(system, None, [x**2 + 2 * x - 1, y - x], [x, y], {x: near, y: near}, family)
    >>> done.algebraic["behaviour"]
    [{'a': '-1 + sqrt(2)', 'b': '2 - sqrt(2)'}]
    >>> system.constraints.append((x - sympy.Rational(1, 2), False))  # now x >= 1/2 too: fails exactly
    >>> print(certify_branch(system, None, [x**2 + 2 * x - 1, y - x], [x, y], {x: near, y: near}, family))
    None
    """
    known = set(unknowns)
    tables = [{a: sympy.sympify(v) for a, v in t.items()} for t in system.tables]
    expressions = [sympy.sympify(g) for g, _ in system.constraints]
    expressions += [v for t in tables for v in t.values()]
    expressions += [sympy.sympify(w) for b in system.beliefs if b is not None for w in b.values()]
    if set(branch) != known or any(e.free_symbols - known for e in expressions):
        return family  # free variables remain: not a point
    try:
        point = algebraic_point(equations, unknowns, branch)
    except (ValueError, NotImplementedError, sympy.PolynomialError):
        point = None
    if point is None:
        return family
    try:
        for g, strict in system.constraints:
            sign = point.sign(g)
            if sign < 0 or (strict and sign == 0):
                return None
        beliefs = [_beliefs(point, index, k, b, tables) for k, b in enumerate(system.beliefs)]
    except ZeroDivisionError:
        return family
    behaviour = [{a: point.text(v) for a, v in t.items()} for t in tables]
    given = [None if b is None else {x: sympy.sympify(w) for x, w in b.items()} for b in system.beliefs]
    return replace(family, algebraic={"behaviour": behaviour, "beliefs": beliefs, "exact": (point, tables, given)})


def consistent_exactly(index: Any, family: Any) -> bool:
    """Kreps-Wilson consistency of a certified irrational family's assessment, decided in its number field.

    The behaviour and the off-path belief weights are the exact expressions
    :func:`certify_branch` kept; the reached sets take Bayes' rule on them.
    """
    from deterrence.solvers.pbe_check import assessment
    from deterrence.solvers.sequential import consistent

    point, tables, given = family.algebraic["exact"]
    behaviour, beliefs = assessment(index, tables, given)
    return consistent(index, behaviour, beliefs, point=point)


def _beliefs(point: Any, index: Any, k: int, weights: dict | None, tables: list) -> dict | None:
    """Exact posterior at set ``k``: the given weights off the path, Bayes' rule from the anchor on it."""
    if weights is None:
        if index is None or len(index.infos[k].nodes) < 2:
            return None
        info = index.infos[k]

        def prob(other: Any, action: str) -> Any:
            return tables[index.position[(other.player, other.name)]].get(action, 0)

        weights = {x: index.reach(x, prob, start=len(info.anchor)) for x in info.nodes}
    total = sum(sympy.sympify(w) for w in weights.values())
    return {x: point.text(sympy.sympify(w) / total) for x, w in weights.items()}
