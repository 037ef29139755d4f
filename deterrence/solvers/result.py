"""Result objects of the solvers: one vocabulary for every algorithm.

* :class:`Equilibrium`: one verified equilibrium.
* :class:`Solution`: what a registered solver function returns (the
  equilibria, whether the list is complete, degeneracy, tolerance, notes and
  the name of the variant that ran).
* :class:`SolveResult`: what :func:`deterrence.solve` returns; ``solve`` is
  the only place that builds one, from a :class:`Solution` plus the game and
  the concept.  ``to_dict()`` gives the stable JSON schema documented in
  ``docs/json-schema.md``; the command line prints exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deterrence._version import __version__
from deterrence.numbers import to_json_value

__all__ = ["Equilibrium", "Solution", "SolveResult"]


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, bool)):
        return value
    return to_json_value(value)


@dataclass(frozen=True, slots=True, eq=False)
class Equilibrium:
    """One verified equilibrium.

    Attributes
    ----------
    strategies : dict
        Normal form: ``{player: {strategy: probability}}``.  Extensive form:
        ``{player: {information set: {action: probability}}}``.
    payoffs : dict
        ``{player: expected payoff}``.
    exact : bool
        True when probabilities and payoffs are exact rationals and the
        equilibrium conditions were checked exactly.
    regret : float
        Largest gain any player could get by deviating (0 when verified
        exactly; at most the result's tolerance otherwise).
    component : int or None
        In degenerate games, the index of the connected component of
        equilibria this extreme point belongs to.
    notes : tuple of str
        Remarks such as ties broken at a node.
    extra : dict or None
        Concept-specific JSON-ready keys added to ``to_dict()`` (e.g. a
        quantal response equilibrium's ``"lambda"``); None for none.
    """

    strategies: dict[str, Any]
    payoffs: dict[str, Any]
    exact: bool
    regret: float = 0.0
    component: int | None = None
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: exact values as strings such as ``"2/3"``, others as numbers."""
        out: dict[str, Any] = {
            "strategies": _encode(self.strategies),
            "payoffs": _encode(self.payoffs),
            "regret": float(self.regret),
        }
        if self.component is not None:
            out["component"] = self.component
        if self.notes:
            out["notes"] = list(self.notes)
        if self.extra:
            out.update(_encode(self.extra))
        return out


class _EquilibriumSequence:
    """``len``, iteration and indexing over ``self.equilibria`` (shared by the result types)."""

    __slots__ = ()
    equilibria: tuple[Equilibrium, ...]

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):  # noqa: D105
        return iter(self.equilibria)

    def __getitem__(self, index: int) -> Equilibrium:
        return self.equilibria[index]


@dataclass(frozen=True, slots=True, eq=False)
class Solution(_EquilibriumSequence):
    """What a solver function returns: the verified equilibria and what is known about the list.

    :func:`deterrence.solve` turns it into a :class:`SolveResult`.  It
    behaves like a sequence of its equilibria.

    Attributes
    ----------
    equilibria : tuple of Equilibrium
        Every equilibrium found, each already verified.
    complete : bool
        True when every equilibrium of the concept (every extreme
        equilibrium, in a degenerate game) is listed.
    degenerate : bool or None
        Whether the game is degenerate (None when the method cannot tell).
    tolerance : float
        Regret tolerance used in verification (0.0 for exact checks).
    notes : tuple of str
        Warnings and remarks.
    method : str or None
        The name of the variant that ran (e.g. ``"vertex-exact"``); it must be
        a method name that the solver registry accepts for the same concept
        and form.  None means the registered method name itself.
    table : object or None
        Concept-specific data with a ``to_frame()`` method (e.g. a traced
        QRE branch); :meth:`SolveResult.to_frame` returns its frame.

    Examples
    --------
    >>> found = Solution((), complete=True, notes=("no equilibria",))
    >>> len(found), found.complete, found.method
    (0, True, None)
    """

    equilibria: tuple[Equilibrium, ...]
    complete: bool
    degenerate: bool | None = None
    tolerance: float = 0.0
    notes: tuple[str, ...] = ()
    method: str | None = None
    table: Any = None


@dataclass(frozen=True, slots=True, eq=False)
class SolveResult(_EquilibriumSequence):
    """All equilibria a solver found for one game, with how they were found.

    Attributes
    ----------
    game : NormalFormGame or ExtensiveFormGame
    concept : str
        ``"nash"``, ``"pure"``, ``"spe"`` or ``"dominance"``.
    method : str
        The algorithm used, for example ``"vertex-exact"``; passing it back as
        ``solve(game, concept, method=result.method)`` runs the same algorithm.
    equilibria : tuple of Equilibrium
    complete : bool
        True when the method guarantees that every equilibrium of the concept
        (every extreme equilibrium, in a degenerate game) is listed.
    degenerate : bool or None
        Whether the game is degenerate (None when the method cannot tell).
    tolerance : float
        Regret tolerance used in verification (0.0 for exact checks).
    notes : tuple of str
        Warnings and remarks (ties, components, methods that may miss equilibria).
    table : object or None
        Concept-specific data behind :meth:`to_frame` (None for most concepts).
    """

    game: Any
    concept: str
    method: str
    equilibria: tuple[Equilibrium, ...]
    complete: bool
    degenerate: bool | None = None
    tolerance: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)
    table: Any = None

    def to_frame(self) -> Any:
        """The concept-specific table as a pandas DataFrame (e.g. the QRE branch).

        Raises
        ------
        SolverError
            When the concept produced no table.
        """
        if self.table is None:
            from deterrence.errors import SolverError

            raise SolverError(f"concept {self.concept!r} gives no table; to_frame() is for results such as qre")
        return self.table.to_frame()

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON schema (see ``docs/json-schema.md``)."""
        return {
            "game": {"title": self.game.title, "players": list(self.game.players)},
            "concept": self.concept,
            "method": self.method,
            "complete": bool(self.complete),
            "degenerate": self.degenerate,
            "equilibria": [e.to_dict() for e in self.equilibria],
            "tolerance": float(self.tolerance),
            "notes": list(self.notes),
            "version": __version__,
            # Concept-specific top-level keys (e.g. the PBE "components").
            **(self.table.json_keys() if hasattr(self.table, "json_keys") else {}),
        }

    def __repr__(self) -> str:
        flag = "complete" if self.complete else "possibly incomplete"
        deg = {True: ", degenerate", False: "", None: ""}[self.degenerate]
        return f"<SolveResult {self.concept}/{self.method}: {len(self.equilibria)} equilibria, {flag}{deg}>"
