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

from contextvars import ContextVar
from typing import Any

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.forms.normal_form import NormalFormGame
from deterrence.solvers.result import Solution, SolveResult

__all__ = ["solve", "CONCEPTS"]

# The max_work of the outermost solve(), inherited by the solves a reducing method runs inside it.
_MAX_WORK: ContextVar[float | None] = ContextVar("max_work", default=None)

#: The registered concepts, read from the registry on each access (see ``__getattr__``).
CONCEPTS: tuple[str, ...]


def __getattr__(name: str) -> Any:
    # CONCEPTS is read from the registry when asked for, so a newly registered concept shows.
    if name == "CONCEPTS":
        from deterrence.solvers.registry import concepts

        return concepts()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def solve(
    game: Any,
    concept: str = "nash",
    method: str | None = None,
    *,
    options: dict[str, Any] | None = None,
    max_work: float | None = None,
) -> SolveResult:
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
    options : dict, optional
        Keyword arguments for the solver function, e.g. ``{"lam": 2.0}`` for
        ``concept="qre"``; a name the solver does not take is a SolverError.
    max_work : float, optional
        Refuse, before starting, a job whose estimated size exceeds this many
        work units (:mod:`deterrence.solvers.work`; a unit is about a
        microsecond or a hundred bytes).  None: the enclosing solve's limit,
        else :data:`~deterrence.solvers.work.DEFAULT_MAX_WORK` (about a
        minute and 1-2 GB); ``math.inf`` turns the check off.

    Returns
    -------
    SolveResult
        ``result.method`` is accepted back as ``method``.

    Raises
    ------
    SolverError
        For an unknown concept or method (the message lists the choices), a
        concept that does not apply to the game's form, a symbolic game, or
        a job larger than ``max_work`` (the message names its size and a
        method that scales).

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
    limit = _max_work(max_work)
    from deterrence.solvers.work import check

    check(entry, game, inner, limit)
    function = entry.load()
    kwargs = _solver_options(function, options, entry)
    token = _MAX_WORK.set(limit)
    try:
        found = function(game, **kwargs) if entry.inner is None else function(game, inner=inner, **kwargs)
    finally:
        _MAX_WORK.reset(token)
    if not isinstance(found, Solution):
        raise TypeError(
            f"solver {entry.concept}/{entry.form}/{entry.method} returned {type(found).__name__}, not a Solution"
        )
    if concept in ("pbe", "sequential"):  # assessments carry beliefs: re-check sequential rationality and Bayes
        from deterrence.solvers.pbe import verify_solution

        verify_solution(game, found)
    return SolveResult(
        game,
        concept,
        found.method or entry.method,
        tuple(found.equilibria),
        complete=bool(found.complete),
        degenerate=found.degenerate,
        tolerance=float(found.tolerance),
        notes=tuple(found.notes),
        table=found.table,
    )


def _solver_options(function: Any, options: dict[str, Any] | None, entry: Any) -> dict[str, Any]:
    """``options`` checked against the keywords the solver function takes (one-line error otherwise)."""
    if not options:
        return {}
    import inspect

    taken = inspect.signature(function).parameters
    unknown = sorted(str(k) for k in options if k not in taken or k in ("game", "inner"))
    if unknown:
        raise SolverError(f"solver {entry.concept}/{entry.form}/{entry.method} takes no option {unknown[0]!r}")
    return dict(options)


def _max_work(max_work: Any) -> float:
    """The limit in force: the argument, else the enclosing solve's, else the default."""
    if max_work is None:
        inherited = _MAX_WORK.get()
        if inherited is not None:
            return inherited
        from deterrence.solvers.work import DEFAULT_MAX_WORK

        return float(DEFAULT_MAX_WORK)
    if isinstance(max_work, bool) or not isinstance(max_work, (int, float)) or not max_work > 0:
        raise SolverError(f"max_work must be a positive number (math.inf for no limit), got {max_work!r}")
    return float(max_work)
