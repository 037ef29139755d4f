"""Designs that respect a simplex: groups of parameters whose sum must stay at most 1.

A model lists such groups in :attr:`deterrence.model.Model.simplex`, for example the prior
probabilities of two of three types, ``(("prior_broaden", "prior_coerce"),)``: outside
:math:`p_1 + p_2 \\le 1` the third type's probability is negative and the game is undefined.
A box design would put about half of its points there.

**Sampled designs** (Sobol', Halton, Latin hypercube, Morris, and the A and B matrices of
Sobol' indices) keep drawing independent inputs :math:`v_j` uniform on each member's range
:math:`[\\ell_j, h_j]`, and map them onto the feasible set
:math:`R = \\{x : \\ell_j \\le x_j \\le h_j,\\ \\sum_j x_j \\le b\\}` one member after the other,
in the group's order (:func:`to_simplex`).  With :math:`u_j = (v_j - \\ell_j)/(h_j - \\ell_j)`,

.. math:: x_j = \\ell_j + u_j \\,\\bigl(\\min(h_j,\\ r_j) - \\ell_j\\bigr), \\qquad
          r_j = b - \\sum_{i<j} x_i - \\sum_{i>j} \\ell_i ,

where :math:`b` is 1 less the members held fixed.  The map is onto :math:`R`, one-to-one
inside it, and the identity wherever the constraint does not bind (a box that lies inside the
simplex is sampled exactly as before).  It is a reparameterisation, not rejection: the inputs
stay independent, so Sobol' indices are well defined -- **on the inputs** :math:`v_j`.  For the
first member of a group the input *is* the parameter (uniform on its range, cut to what the
lows of the others leave); for a later member the index is that of its *share* :math:`u_j` of
the room the earlier members leave.  The points are not uniform on :math:`R` (for a group of two
on the unit simplex, the first member is uniform on [0, 1] and the second uniform on what is
left): list first the member whose own index matters most.

**One-at-a-time designs** hold the other members at their baseline, so the varied member's
range is cut to what they leave, :math:`h_j' = \\min(h_j, 1 - \\sum_{i \\ne j} x_i^0)`
(:func:`oat_bounds`).  **Grids** are explicit points: one that would leave the simplex is refused
with the largest range that fits (:func:`check_grid`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError

__all__ = ["SimplexGroup", "check_grid", "check_point", "describe", "oat_bounds", "simplex_groups", "to_simplex"]

#: Slack allowed in a sum (floats such as 0.7 + 0.3).
TOLERANCE = 1e-12


@dataclass(frozen=True)
class SimplexGroup:
    """The varied members of one simplex group, with their ranges and the room the fixed ones leave.

    Attributes
    ----------
    names : tuple of str
        The varied members, in the group's order.
    lows, highs : tuple of float
        Their ranges.
    budget : float
        1 less the values of the members held fixed.
    fixed : tuple of str
        The members held fixed (at their baseline).
    """

    names: tuple[str, ...]
    lows: tuple[float, ...]
    highs: tuple[float, ...]
    budget: float = 1.0
    fixed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (recorded with the design)."""
        return {"names": list(self.names), "fixed": list(self.fixed), "budget": float(self.budget), "map": "sequential"}


def _plus(names: Sequence[str]) -> str:
    return " + ".join(names)


def simplex_groups(
    groups: Sequence[Sequence[str]] | Sequence[SimplexGroup],
    bounds: Mapping[str, Sequence[float]],
    baseline: Mapping[str, Any] | None = None,
) -> tuple[SimplexGroup, ...]:
    """Resolve a model's groups against the varied ``bounds``; members not varied take ``baseline``.

    Raises
    ------
    DeterrenceError
        If a fixed member has no baseline value, or the ranges leave no feasible point.

    Examples
    --------
    >>> (g,) = simplex_groups([("a", "b", "c")], {"a": (0, 1), "b": (0, 1)}, {"c": 0.25})
    >>> g.names, g.budget, g.fixed
    (('a', 'b'), 0.75, ('c',))
    """
    out = []
    base = baseline or {}
    for group in groups:
        if isinstance(group, SimplexGroup):
            out.append(group)
            continue
        varied = tuple(n for n in group if n in bounds)
        if not varied:
            continue
        fixed = tuple(n for n in group if n not in bounds)
        missing = [n for n in fixed if n not in base]
        if missing:
            raise DeterrenceError(
                f"no baseline value for {missing[0]!r}, held fixed in the simplex {_plus(group)} <= 1"
            )
        budget = 1.0 - sum(float(base[n]) for n in fixed)
        lows = tuple(float(bounds[n][0]) for n in varied)
        highs = tuple(float(bounds[n][1]) for n in varied)
        if sum(lows) > budget + TOLERANCE:
            held = f" with {', '.join(f'{n} = {float(base[n]):g}' for n in fixed)}" if fixed else ""
            raise DeterrenceError(
                f"the ranges of {', '.join(varied)} leave no point where {_plus(group)} <= 1{held} "
                f"(their lows alone sum to {sum(lows) + 1 - budget:g})"
            )
        out.append(SimplexGroup(varied, lows, highs, budget, fixed))
    return tuple(out)


def to_simplex(values: Mapping[str, np.ndarray], groups: Sequence[SimplexGroup]) -> dict[str, np.ndarray]:
    """Map box points onto the simplex of each group, member after member (see the module docstring).

    Examples
    --------
    >>> g = SimplexGroup(("a", "b"), (0.0, 0.0), (1.0, 1.0))
    >>> x = to_simplex({"a": np.array([0.5, 0.8, 0.2]), "b": np.array([1.0, 0.5, 0.25])}, [g])
    >>> print(x["a"].tolist(), [round(float(v), 12) for v in x["b"]])
    [0.5, 0.8, 0.2] [0.5, 0.1, 0.2]
    """
    out = {k: np.asarray(v, dtype=np.float64) for k, v in values.items()}
    for group in groups:
        used = 0.0
        for j, name in enumerate(group.names):
            low, high = group.lows[j], group.highs[j]
            v = out[name]
            u = (v - low) / (high - low) if high > low else np.zeros_like(v)
            room = group.budget - used - sum(group.lows[j + 1 :])
            top = np.maximum(np.minimum(high, room), low)
            x = np.where(u >= 1.0, top, low + u * (top - low))  # the top exactly, at u = 1
            out[name] = np.ascontiguousarray(x)
            used = used + x
    return out


def describe(groups: Sequence[Sequence[str]], varied: Sequence[str], local: bool = False) -> str:
    """One sentence on what a sensitivity result's rows mean for the varied simplex members ("" if none).

    Examples
    --------
    >>> print(describe([("a", "b", "c")], ["a", "b", "c", "x"]))
    a + b + c <= 1 is kept by a sequential map: the row of a is a itself, those of b, c their share of the room left
    """
    parts = []
    for group in groups:
        members = [n for n in group if n in varied]
        if not members:
            continue
        if local:
            parts.append(f"{' + '.join(group)} <= 1 is kept by cutting each member's range to what the others leave")
        elif len(members) == 1:
            parts.append(f"{' + '.join(group)} <= 1 is kept by cutting {members[0]}'s range to what the others leave")
        else:
            rest = ", ".join(members[1:])
            those, its = ("that", "its") if len(members) == 2 else ("those", "their")
            parts.append(
                f"{' + '.join(group)} <= 1 is kept by a sequential map: the row of {members[0]} is {members[0]} "
                f"itself, {those} of {rest} {its} share of the room left"
            )
    return "; ".join(parts)


def oat_bounds(
    bounds: Mapping[str, Sequence[float]], baseline: Mapping[str, Any], groups: Sequence[Sequence[str]]
) -> dict[str, tuple[float, float]]:
    """Each varied member's range, cut to what the other members of its group leave at the baseline.

    Examples
    --------
    >>> oat_bounds({"a": (0, 1), "b": (0, 1)}, {"a": 0.2, "b": 0.3}, [("a", "b")])
    {'a': (0.0, 0.7), 'b': (0.0, 0.8)}
    """
    out = {k: (float(v[0]), float(v[1])) for k, v in bounds.items()}
    for group in groups:
        check_point(baseline, [group], "the baseline")
        for name in group:
            if name not in out:
                continue
            others = sum(float(baseline[n]) for n in group if n != name)
            low, high = out[name]
            if low > 1.0 - others + TOLERANCE:
                raise DeterrenceError(
                    f"{name} cannot reach its low {low:g}: the others of {_plus(group)} <= 1 already sum to {others:g}"
                )
            out[name] = (low, min(high, max(low, 1.0 - others)))
    return out


def check_point(point: Mapping[str, Any], groups: Sequence[Sequence[str]], what: str = "the point") -> None:
    """A one-line error if ``point`` breaks a group's sum (members missing from ``point`` count as 0).

    Examples
    --------
    >>> check_point({"a": 0.5, "b": 0.75}, [("a", "b")])
    Traceback (most recent call last):
    ...
    deterrence.errors.DeterrenceError: the point has a + b = 1.25; it must be at most 1
    """
    for group in groups:
        total = sum(float(point.get(n, 0)) for n in group)
        if total > 1.0 + TOLERANCE:
            raise DeterrenceError(f"{what} has {_plus(group)} = {total:g}; it must be at most 1")


def check_grid(
    axes: Mapping[str, Sequence[float]], baseline: Mapping[str, Any], groups: Sequence[Sequence[str]]
) -> None:
    """Refuse a grid whose corner leaves a group's simplex, naming a range that fits.

    Examples
    --------
    >>> check_grid({"a": (0, 1, 11)}, {"a": 0.2, "b": 0.3}, [("a", "b")])
    Traceback (most recent call last):
    ...
    deterrence.errors.DeterrenceError: the grid reaches a + b = 1.3, but a + b must stay at most 1; ...
    """
    for group in groups:
        varied = [n for n in group if n in axes]
        if not varied:
            continue
        fixed = sum(float(baseline.get(n, 0)) for n in group if n not in axes)
        top = fixed + sum(float(axes[n][1]) for n in varied)
        if top > 1.0 + TOLERANCE:
            name = varied[0]
            room = 1.0 - fixed - sum(float(axes[n][1]) for n in varied[1:])
            hint = f"{name}={float(axes[name][0]):g}:{room:g}:N" if room >= float(axes[name][0]) else "narrower ranges"
            raise DeterrenceError(
                f"the grid reaches {_plus(group)} = {top:g}, but {_plus(group)} must stay at most 1; "
                f"use {hint}, or sample the simplex with --sample sobol"
            )
