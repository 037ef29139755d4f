"""Sequential equilibrium (Kreps and Wilson 1982): is an assessment's belief system consistent?

An assessment ``(sigma, mu)`` is *consistent* when some sequence of fully
mixed profiles converging to ``sigma`` has Bayes posteriors converging to
``mu``; a sequential equilibrium is a consistent, sequentially rational
assessment (sequential rationality is checked by
:mod:`deterrence.solvers.pbe_check`).

By the curve selection lemma it is enough to look at trembles of the form
``c_a * eps**k_a`` (``c_a > 0``, ``k_a > 0``) on every action that ``sigma``
never plays, the other actions keeping their probabilities.  The probability
of a node ``x`` is then ``C(x) * eps**E(x)`` to leading order, where ``E(x)``
sums the exponents of the trembles on its path and ``C(x)`` multiplies their
coefficients with the positive probabilities on the path.  The limit belief
at an information set puts weight on the nodes of least ``E`` only, in
proportion to ``C``.  So ``mu`` is consistent exactly when

* *exponents*: some ``k >= 1`` makes ``E`` equal across the nodes that
  ``mu`` weights and at least one larger on the others (scaling turns the
  strict inequalities into ``>= 1``): a linear feasibility problem, solved
  exactly by the rational simplex method;
* *coefficients*: ``log C(x) - log C(y) = log(mu(x) / mu(y))`` for weighted
  pairs: a linear system in the ``log c_a``.  It is solvable iff every
  integer combination of its rows that vanishes gives a product of the
  right-hand ratios equal to one, checked exactly on a basis of the left
  null space.

The two conditions involve different unknowns, so they are checked apart.

References
----------
Kreps, D. M. and Wilson, R. (1982). Sequential equilibria. Econometrica 50, 863-894.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from math import lcm
from typing import Any

import sympy

from deterrence.forms.extensive_form import Chance, ExtensiveFormGame
from deterrence.solvers.pbe_check import assessment_regret, bayes_beliefs
from deterrence.solvers.pbe_region import Infeasible, linear_program
from deterrence.solvers.pbe_tree import TreeIndex

__all__ = ["consistent", "is_sequential"]

Path = tuple[str, ...]


def _path_terms(index: TreeIndex, behaviour: Mapping, path: Path) -> tuple[list[tuple[int, str]], Any] | None:
    """The zero-probability actions on ``path`` and the product of the positive probabilities (None: impossible)."""
    zeros, positive = [], Fraction(1)
    for k in range(1, len(path) + 1):
        parent = index.nodes[path[: k - 1]]
        action = path[k - 1]
        if isinstance(parent, Chance):
            p = parent.probabilities[parent.actions.index(action)]
            if p == 0:
                return None
            positive *= p
            continue
        info = index.info_of(path[: k - 1])
        p = behaviour[info.player][info.name].get(action, 0)
        if p == 0:
            zeros.append((index.position[(info.player, info.name)], action))
        else:
            positive *= p
    return zeros, positive


def consistent(
    index: TreeIndex,
    behaviour: Mapping,
    beliefs: Mapping[tuple[str, str], Mapping[Path, Any]],
    *,
    point: Any = None,
) -> bool:
    """Whether the beliefs (Bayes' rule where reached, ``beliefs`` elsewhere) are Kreps-Wilson consistent.

    Exact assessments only: rational probabilities, or, with ``point`` (an
    :class:`~deterrence.solvers.algebraic.AlgebraicPoint`), sympy expressions
    in its coordinates, whose ratio conditions are then decided exactly in
    its number field.  ``beliefs`` maps ``(player, infoset)`` to
    ``{node path: probability}``; sets it omits take Bayes' rule (or, when
    unreached with one node, certainty).
    """
    exact: Any = Fraction if point is None else sympy.sympify
    zero_actions: dict[tuple[int, str], sympy.Symbol] = {}
    exponent_rows: list[tuple[str, Any]] = []
    log_rows: list[tuple[dict[tuple[int, str], int], Fraction]] = []

    def symbol(z: tuple[int, str]) -> sympy.Symbol:
        if z not in zero_actions:
            zero_actions[z] = sympy.Symbol(f"k{len(zero_actions)}")
        return zero_actions[z]

    for info in index.infos:
        mu = beliefs.get((info.player, info.name)) or bayes_beliefs(index, behaviour, info) or {info.nodes[0]: 1}
        terms = {x: _path_terms(index, behaviour, x) for x in info.nodes}
        if any(terms[x] is None and mu.get(x, 0) != 0 for x in info.nodes):
            return False
        weighted = [x for x in info.nodes if terms[x] is not None and mu.get(x, 0) != 0]
        others = [x for x in info.nodes if terms[x] is not None and mu.get(x, 0) == 0]
        if not weighted:
            return False

        def exponent(x: Path, terms: dict = terms) -> Any:
            return sum((symbol(z) for z in terms[x][0]), sympy.Integer(0))

        base = weighted[0]
        for x in weighted[1:]:
            exponent_rows.append(("=", exponent(x) - exponent(base)))
            counts: dict[tuple[int, str], int] = {}
            for z in terms[x][0]:  # type: ignore[index]
                counts[z] = counts.get(z, 0) + 1
            for z in terms[base][0]:  # type: ignore[index]
                counts[z] = counts.get(z, 0) - 1
            ratio = (exact(mu[x]) / exact(mu[base])) * (terms[base][1] / terms[x][1])  # type: ignore[index]
            log_rows.append(({z: c for z, c in counts.items() if c}, ratio))
        exponent_rows += [(">=", exponent(x) - exponent(base) - 1) for x in others]
    variables = list(zero_actions.values())
    equalities = [g for kind, g in exponent_rows if kind == "="]
    weak = [g for kind, g in exponent_rows if kind == ">="] + [s - 1 for s in variables]
    if not variables:
        if any(g != 0 for g in equalities) or any(g < 0 for g in weak):
            return False
    else:
        try:
            linear_program(sum(variables), variables, weak, equalities, "min")
        except Infeasible:
            return False
    return _log_system_solvable(list(zero_actions), log_rows, point)


def _log_system_solvable(columns: list, rows: list[tuple[dict, Any]], point: Any = None) -> bool:
    """Whether the ``log c`` system has a solution: every vanishing integer row combination has ratio product 1."""

    def is_one(value: Any) -> bool:
        return value == 1 if point is None else point.sign(value - 1) == 0

    if not rows:
        return True
    matrix = sympy.Matrix([[row.get(z, 0) for z in columns] for row, _ in rows]) if columns else None
    if matrix is None or matrix.cols == 0:
        return all(is_one(ratio) for _, ratio in rows)
    for vector in matrix.T.nullspace():
        scale = lcm(*(int(sympy.Rational(v).q) for v in vector))
        total = Fraction(1)
        for (_, ratio), v in zip(rows, vector, strict=True):
            power = int(sympy.Rational(v) * scale)
            total *= ratio**power
        if not is_one(total):
            return False
    return True


def is_sequential(
    game: ExtensiveFormGame, behaviour: Mapping, beliefs: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None
) -> tuple[bool, str]:
    """Whether an assessment is a sequential equilibrium, and why not.

    ``beliefs`` has the JSON shape ``{player: {infoset: {node: probability}}}``
    (nodes by label or path, as a PBE result gives them); sets it omits take
    Bayes' rule where reached.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
    >>> is_sequential(entry, {"E": {"e": {"in": 1}}, "I": {"i": {"accommodate": 1}}})
    (True, 'sequentially rational and consistent')
    >>> is_sequential(entry, {"E": {"e": {"out": 1}}, "I": {"i": {"fight": 1}}})[0]
    False
    """
    index = TreeIndex(game)
    table: dict[tuple[str, str], dict[Path, Any]] = {}
    for player, sets in (beliefs or {}).items():
        for name, probs in sets.items():
            info = index.infos[index.position[(player, name)]]
            names = {index.node_name(x): x for x in info.nodes}
            table[(player, name)] = {names[n]: Fraction(v) for n, v in probs.items()}
    for info in index.infos:
        unreached = (info.player, info.name) not in table and bayes_beliefs(index, behaviour, info) is None
        if unreached and len(info.nodes) > 1:
            return False, f"no belief given at {info.player}'s unreached set {info.name!r}"
    _, failure = assessment_regret(index, behaviour, table)
    if failure is not None:
        return False, failure
    if not consistent(index, behaviour, table):
        return False, "the beliefs are not the limit of Bayes posteriors of any fully mixed sequence"
    return True, "sequentially rational and consistent"
