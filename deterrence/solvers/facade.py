"""One entry point for every solution concept: :func:`solve`.

``solve(game, concept, method)`` looks the solver up in the registry
(:mod:`deterrence.solvers.registry`) by the concept, the form of the game
(``"normal-2p"``, ``"normal-np"`` or ``"tree"``) and the method, runs it, and
wraps what it returns (a :class:`~deterrence.solvers.result.Solution`) in a
:class:`~deterrence.solvers.result.SolveResult`.  It is the only place that
builds a ``SolveResult``.  ``deterrence solve --help`` prints the table of
every registered solver; :func:`deterrence.solvers.registry.describe` gives
it here.
"""

from __future__ import annotations

from typing import Any

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.forms.normal_form import NormalFormGame
from deterrence.solvers.result import Solution, SolveResult

__all__ = ["solve", "CONCEPTS"]

#: The registered concepts, read from the registry on each access (see ``__getattr__``).
CONCEPTS: tuple[str, ...]


def __getattr__(name: str) -> Any:
    # CONCEPTS is read from the registry when asked for, so a newly registered concept shows.
    if name == "CONCEPTS":
        from deterrence.solvers.registry import concepts

        return concepts()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def solve(game: Any, concept: str = "nash", method: str | None = None) -> SolveResult:
    """Find every equilibrium of ``game`` under ``concept``, verified.

    Parameters
    ----------
    game : NormalFormGame or ExtensiveFormGame
        A numeric game (evaluate parametric games first).
    concept : str
        A registered concept: ``"nash"``, ``"pure"``, ``"spe"``, ``"dominance"``.
    method : str, optional
        A method registered for the concept and the game's form (or one of
        its aliases, such as the name a previous result reported), optionally
        followed by ``+INNER`` for methods that reduce the game first.
        ``None`` picks the default.

    Returns
    -------
    SolveResult
        ``result.method`` is accepted back as ``method``.

    Raises
    ------
    SolverError
        For an unknown concept or method (the message lists the choices), a
        concept that does not apply to the game's form, or a symbolic game.

    Examples
    --------
    >>> from games.classic import battle_of_the_sexes
    >>> result = solve(battle_of_the_sexes())
    >>> len(result), result.complete, result.method
    (3, True, 'vertex-exact')
    >>> print(*sorted(e.strategies["Row"]["Opera"] for e in result))
    0 2/3 1
    >>> solve(battle_of_the_sexes(), method=result.method).method
    'vertex-exact'
    """
    from deterrence.solvers.registry import concepts, game_form, resolve

    known = concepts()
    if concept not in known:
        raise SolverError(f"unknown concept {concept!r}; choose from {', '.join(known)}")
    if not isinstance(game, (NormalFormGame, ExtensiveFormGame)):
        raise SolverError(f"solve() needs a NormalFormGame or ExtensiveFormGame, got {type(game).__name__}")
    if game.kind == "symbolic":
        raise SolverError(
            f"the game has free parameters {list(game.parameters)}; give them values first "
            "(game.evaluate(...) or --set NAME=VALUE)"
        )
    if method is not None and not isinstance(method, str):
        raise SolverError(f"method must be a string or None, got {type(method).__name__}")
    entry, inner = resolve(concept, game_form(game), method)
    function = entry.load()
    found = function(game) if entry.inner is None else function(game, inner=inner)
    if not isinstance(found, Solution):
        raise TypeError(
            f"solver {entry.concept}/{entry.form}/{entry.method} returned {type(found).__name__}, not a Solution"
        )
    return SolveResult(
        game,
        concept,
        found.method or entry.method,
        tuple(found.equilibria),
        complete=bool(found.complete),
        degenerate=found.degenerate,
        tolerance=float(found.tolerance),
        notes=tuple(found.notes),
    )
