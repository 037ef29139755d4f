"""Connected components of a perfect Bayesian equilibrium list, with their parameter ranges.

Each family of :mod:`deterrence.solvers.pbe_support` is a convex set of
behaviour profiles (a polytope's image under an affine map, when its
conditions are linear).  Two families *touch* when their closures share a
behaviour profile, which one linear program decides exactly
(:func:`deterrence.solvers.pbe_region.linear_region` over both families'
free variables, with equal behaviour).  A *component* is a class of the
transitive closure of "touch" (families joined by a path of equilibrium
behaviour); families with the same behaviour point always touch.  Beliefs do
not enter: components are sets of behaviour, as for Nash equilibria
(Kohlberg and Mertens 1986).

A nonlinear family (conditions described, one sample point) joins a
component only through its sample point.  With more than
:data:`MAX_FAMILIES` families the grouping falls back to "same outcome"
(same distribution over terminal nodes), and the note says so.

References
----------
Kohlberg, E. and Mertens, J.-F. (1986). On the strategic stability of
equilibria. Econometrica 54, 1003-1037.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy

from deterrence.numbers import exact_text
from deterrence.solvers.pbe_region import linear_region
from deterrence.solvers.pbe_support import Family
from deterrence.solvers.pbe_tree import TreeIndex
from deterrence.solvers.result import Equilibrium

__all__ = ["MAX_FAMILIES", "component_sets", "describe_component", "summary"]

#: Most families compared pairwise for touching closures.
MAX_FAMILIES = 120


def _touch(a: Family, b: Family) -> bool:
    """Whether the closures of two families share a behaviour profile (exact LP)."""
    if a.behaviour == b.behaviour:
        return True
    if (a.closure is None and b.closure is None) or not (a.exact and b.exact):
        return False
    parts: list[tuple[list, list, list]] = []
    for tag, family in (("a", a), ("b", b)):
        if family.closure is None:
            parts.append(
                (
                    [],
                    [],
                    [{x: sympy.Rational(v.numerator, v.denominator) for x, v in t.items()} for t in family.behaviour],
                )
            )
            continue
        free, conditions, tables = family.closure
        rename = {v: sympy.Symbol(f"{tag}_{v}") for v in free}
        parts.append(
            (
                list(rename.values()),
                [sympy.sympify(g).xreplace(rename) for g in conditions],
                [{x: sympy.sympify(v).xreplace(rename) for x, v in t.items()} for t in tables],
            )
        )
    (fa, ca, ta), (fb, cb, tb) = parts
    equal = [sympy.expand(ta[k][x] - tb[k][x]) for k in range(len(ta)) for x in ta[k]]
    if any(not e.free_symbols and e != 0 for e in equal):
        return False
    return linear_region(fa + fb, [(g, False) for g in ca + cb], [e for e in equal if e != 0], targets={}) is not None


def component_sets(families: list[Family], outcomes: list[tuple]) -> tuple[list[int], bool]:
    """Component number of every family (in order of first member) and whether closures were compared."""
    n = len(families)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    compared = n <= MAX_FAMILIES
    for i in range(n):
        for j in range(i):
            if find(i) == find(j):
                continue
            joined = _touch(families[i], families[j]) if compared else outcomes[i] == outcomes[j]
            if joined:
                parent[find(i)] = find(j)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(find(i), len(numbers)) for i in range(n)], compared


def summary(index: TreeIndex, members: list[Equilibrium]) -> dict[str, Any]:
    """The component's behaviour ranges (over the union of its members) and its largest member's conditions.

    ``ranges`` is ``{player: {information set: {action: {"min", "max",
    "min_included", "max_included"}}}}`` for the probabilities that vary
    across the component; ``conditions`` are those of the member with the
    most varying probabilities (its parametrisation).
    """
    spans: dict[tuple[str, str, str], list] = {}
    for eq in members:
        varying = (eq.extra or {}).get("ranges", {}).get("strategies", {})
        for player, sets in eq.strategies.items():
            for name, table in sets.items():
                for action, value in table.items():
                    r = varying.get(player, {}).get(name, {}).get(action)
                    low, low_in, high, high_in = (
                        (value, True, value, True)
                        if r is None
                        else (r["min"], r["min_included"], r["max"], r["max_included"])
                    )
                    span = spans.setdefault((player, name, action), [low, low_in, high, high_in])
                    if low < span[0]:
                        span[0], span[1] = low, low_in
                    elif low == span[0]:
                        span[1] = span[1] or low_in
                    if high > span[2]:
                        span[2], span[3] = high, high_in
                    elif high == span[2]:
                        span[3] = span[3] or high_in
    ranges: dict[str, Any] = {}
    for (player, name, action), (low, low_in, high, high_in) in spans.items():
        if low != high:
            ranges.setdefault(player, {}).setdefault(name, {})[action] = {
                "min": low,
                "max": high,
                "min_included": low_in,
                "max_included": high_in,
            }
    widest = max(members, key=_count)
    out: dict[str, Any] = {"ranges": ranges}
    conditions = (widest.extra or {}).get("conditions")
    if ranges and conditions:
        out["conditions"] = list(conditions)
    return out


def _count(eq: Equilibrium) -> int:
    sets = (eq.extra or {}).get("ranges", {}).get("strategies", {})
    return sum(len(t) for s in sets.values() for t in s.values())


def describe_component(number: int, record: dict[str, Any]) -> str:
    """One line for the notes: the component, its members and the range of each probability that varies."""

    def text(v: Any) -> str:
        return exact_text(v) if isinstance(v, Fraction) else f"{v:.6g}"

    parts: list[str] = []
    for player, sets in record.get("ranges", {}).items():
        for name, table in sets.items():
            action, r = next(iter(table.items()))
            left, right = "[" if r["min_included"] else "(", "]" if r["max_included"] else ")"
            parts.append(f"{player}'s {action!r} at {name!r} in {left}{text(r['min'])}, {text(r['max'])}{right}")
    shown = record["members"][:6]
    members = ", ".join(f"#{k + 1}" for k in shown)
    if len(record["members"]) > len(shown):
        members += f", ... ({len(record['members'])} families)"
    return f"component {number + 1} ({members}): " + ("; ".join(parts) if parts else "one behaviour profile")
