"""Result objects returned by the solvers.

Every solver returns a :class:`SolveResult`: the game, the solution concept,
the method, every equilibrium found (each verified), whether the list is
complete, and whether the game was found degenerate.  ``to_dict()`` gives the
stable JSON schema documented in ``docs/json-schema.md``; the command line
prints exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deterrence.numbers import to_json_value

__all__ = ["Equilibrium", "SolveResult"]


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
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
    """

    strategies: dict[str, Any]
    payoffs: dict[str, Any]
    exact: bool
    regret: float = 0.0
    component: int | None = None
    notes: tuple[str, ...] = ()

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
        return out


@dataclass(frozen=True, slots=True, eq=False)
class SolveResult:
    """All equilibria a solver found for one game, with how they were found.

    Attributes
    ----------
    game : NormalFormGame or ExtensiveFormGame
    concept : str
        ``"nash"``, ``"pure"``, ``"spe"`` or ``"dominance"``.
    method : str
        The algorithm used, for example ``"vertex-enumeration-exact"``.
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
    """

    game: Any
    concept: str
    method: str
    equilibria: tuple[Equilibrium, ...]
    complete: bool
    degenerate: bool | None = None
    tolerance: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):  # noqa: D105
        return iter(self.equilibria)

    def __getitem__(self, index: int) -> Equilibrium:
        return self.equilibria[index]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON schema (see ``docs/json-schema.md``)."""
        from deterrence import __version__

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
        }

    def __repr__(self) -> str:
        flag = "complete" if self.complete else "possibly incomplete"
        deg = {True: ", degenerate", False: "", None: ""}[self.degenerate]
        return f"<SolveResult {self.concept}/{self.method}: {len(self.equilibria)} equilibria, {flag}{deg}>"
