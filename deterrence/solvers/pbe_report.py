"""Presenting perfect Bayesian equilibria: ranges, one-line remarks and components.

Helpers of :mod:`deterrence.solvers.pbe`.  A *component* groups the
families that give the same distribution over terminal nodes (the same
outcome); :class:`Components` is the result's ``table`` (``to_frame()``)
and adds the top-level ``"components"`` key to the JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from deterrence.forms.extensive_form import Terminal
from deterrence.numbers import exact_text
from deterrence.solvers.pbe_support import Family
from deterrence.solvers.pbe_tree import TreeIndex
from deterrence.solvers.result import Equilibrium

__all__ = ["Components", "algebraic_forms", "components", "describe", "ranges"]


def _prob(behaviour: Mapping) -> Any:
    return lambda info, action: behaviour[info.player][info.name].get(action, 0)


class Components:
    """The components (same outcome: the same distribution over terminal nodes) of a PBE list."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    def json_keys(self) -> dict[str, Any]:
        """``{"components": [...]}`` for :meth:`SolveResult.to_dict`."""
        from deterrence.solvers.result import _encode

        return {
            "components": [
                {k: v if k in ("component", "members") else _encode(v) for k, v in r.items()} for r in self.records
            ]
        }

    def to_frame(self) -> Any:
        """One row per component: index, members, outcome and payoffs."""
        import pandas as pd

        rows = [{k: str(v) if isinstance(v, (dict, list)) else v for k, v in r.items()} for r in self.records]
        return pd.DataFrame(rows)


def _interval(r: Mapping) -> str:
    def format_value(v: Any) -> str:
        return exact_text(v) if isinstance(v, Fraction) else f"{v:.6g}"

    left, right = "[" if r["min_included"] else "(", "]" if r["max_included"] else ")"
    return f"{left}{format_value(r['min'])}, {format_value(r['max'])}{right}"


def describe(extra: Mapping) -> list[str]:
    """One-line remarks for the table output: roles, ranges, sequential."""
    out = [f"{p} is {r['role']} (types drawn at {r['types_at']})" for p, r in extra.get("roles", {}).items()]
    for kind, label in (("strategies", "probability of"), ("beliefs", "belief in")):
        for player, sets in extra.get("ranges", {}).get(kind, {}).items():
            for name, table in sets.items():
                first = next(iter(table.items()))
                out.append(f"family: {player}'s {label} {first[0]!r} at {name!r} ranges over {_interval(first[1])}")
    if extra.get("nonlinear"):
        out.append(
            f"family: nonlinear in {extra['nonlinear']} free variable(s), given by its conditions; shown: one point"
        )
    if "verification" in extra:
        shown = "; ".join(
            f"{player} at {name!r}: " + ", ".join(f"{a} = {v}" for a, v in table.items())
            for player, sets in extra.get("algebraic", {}).items()
            for name, table in sets.items()
        )
        out.append(f"{extra['verification']}: {shown}")
    if "sequential" in extra:
        out.append("sequential equilibrium" if extra["sequential"] else "not a sequential equilibrium")
    return out


def ranges(index: TreeIndex, family: Family, free: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, (low, low_closed, high, high_closed) in family.ranges.items():
        kind, k, what = key
        info = index.infos[k]
        if kind == "node" and not free:
            continue
        name = what if kind == "action" else index.node_name(what)
        section = out.setdefault("strategies" if kind == "action" else "beliefs", {})
        section.setdefault(info.player, {}).setdefault(info.name, {})[name] = {
            "min": low,
            "max": high,
            "min_included": low_closed,
            "max_included": high_closed,
        }
    return out


def components(index: TreeIndex, equilibria: list[Equilibrium], families: list[Family] | None = None) -> Components:
    """Group the equilibria into connected components (:mod:`deterrence.solvers.pbe_components`).

    Each record has ``component``, ``members``, the first member's
    ``outcome`` and ``payoffs``, and ``ranges`` (and ``conditions``) from
    :func:`~deterrence.solvers.pbe_components.summary`.  Without
    ``families`` the equilibria are grouped by outcome.
    """
    from deterrence.solvers.pbe_components import component_sets, summary

    terminals = [p for p, n in index.nodes.items() if isinstance(n, Terminal)]
    outcomes = []
    for eq in equilibria:
        prob = _prob(eq.strategies)
        outcomes.append({p: index.reach(p, prob) for p in terminals})
    keys = [tuple(o[p] for p in terminals) for o in outcomes]
    if families is None:
        first: dict[tuple, int] = {}
        numbers = [first.setdefault(k, len(first)) for k in keys]
    else:
        numbers, _ = component_sets(families, keys)
    records: list[dict[str, Any]] = []
    for k, (eq, c) in enumerate(zip(equilibria, numbers, strict=True)):
        if c == len(records):
            records.append(
                {
                    "component": c,
                    "members": [],
                    "outcome": {index.node_name(p): v for p, v in outcomes[k].items() if v != 0},
                    "payoffs": dict(eq.payoffs),
                }
            )
        records[c]["members"].append(k)
        object.__setattr__(eq, "component", c)
    if families is not None:
        for record in records:
            record.update(summary(index, [equilibria[k] for k in record["members"]]))
    return Components(records)


def algebraic_forms(index: TreeIndex, family: Family) -> dict[str, Any]:
    """The JSON keys of an exactly certified irrational family: ``algebraic``, ``algebraic_beliefs``, ``verification``.

    Each is keyed like ``strategies`` and ``beliefs`` (player, information set,
    action or node name), with the exact value as text (e.g. ``-1 + sqrt(2)``).
    Sets where the player has one action, or one node, are left out.
    """
    from deterrence.solvers.pbe_algebraic import EXACTLY

    if family.algebraic is None:
        return {}
    actions: dict[str, dict[str, dict[str, str]]] = {}
    nodes: dict[str, dict[str, dict[str, str]]] = {}
    exact = family.algebraic
    for info, table, weights in zip(index.infos, exact["behaviour"], exact["beliefs"], strict=True):
        if len(table) > 1:
            actions.setdefault(info.player, {})[info.name] = dict(table)
        if weights is not None and len(weights) > 1:
            nodes.setdefault(info.player, {})[info.name] = {index.node_name(x): v for x, v in weights.items()}
    return {"algebraic": actions, "algebraic_beliefs": nodes, "verification": EXACTLY}
