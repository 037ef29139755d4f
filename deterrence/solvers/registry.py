"""The solver registry: every algorithm, keyed by (concept, form, method).

A *concept* is a solution concept (``"nash"``, ``"pure"``, ``"spe"``,
``"dominance"``), a *form* the kind of game it is applied to (see
:data:`FORMS` and :func:`game_form`), a *method* the algorithm's name.  Each
:class:`SolverEntry` says whether the algorithm is exact, whether its list is
guaranteed complete, what it does in one line, and whether it is the default
for its (concept, form).  :func:`deterrence.solve` dispatches only through
:func:`resolve`; the command line reads its ``--concept`` choices and the
``solve --help`` table from here.

A method string is ``NAME`` or, for a method that reduces the game and then
solves the reduced game (``inner`` set), ``NAME+INNER``: ``"iesds+support"``
eliminates dominated strategies and then runs support enumeration.  The name
a result reports (``result.method``) is always accepted back by
:func:`resolve`, so ``solve(game, concept, method=result.method)`` repeats the
same algorithm.

Solver functions are given as callables or as ``"module:function"`` strings,
imported only when the solver first runs, so listing the registry imports no
algorithm.  The built-in solvers are registered in :mod:`.catalog`.

Examples
--------
>>> entry, inner = resolve("nash", "normal-2p", None)
>>> entry.method, entry.exact, entry.complete, inner
('vertex', True, True, None)
>>> resolve("dominance", "normal-2p", "iesds+support")[1]
'support'
>>> [e.method for e in entries("nash", "tree")]
['auto', 'reduced', 'sequence-form', 'lcp']
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from deterrence.errors import SolverError

__all__ = [
    "FORMS",
    "SolverEntry",
    "concepts",
    "describe",
    "entries",
    "game_form",
    "methods",
    "register",
    "resolve",
    "unregister",
]

#: The forms of game a solver can be registered for, with what they mean.
FORMS: dict[str, str] = {
    "normal-2p": "two-player normal form (bimatrix)",
    "normal-np": "normal form with one or three or more players",
    "tree": "extensive form (game tree), any number of players",
}

#: What each concept needs, for the error when a game's form has no solver.
_CONCEPT_TITLES = {"spe": "subgame perfection"}


@dataclass(frozen=True, slots=True)
class SolverEntry:
    """One registered solver.

    Attributes
    ----------
    concept, form, method : str
        The key.  ``method`` is the canonical name, listed in errors and help.
    function : callable or str
        ``function(game)`` or, when ``inner`` is set, ``function(game, inner=...)``
        returning a :class:`~deterrence.solvers.result.Solution`.  A string
        ``"module:attribute"`` is imported on first use.
    exact : bool
        True when equilibria are computed and checked in exact rational
        arithmetic for exact payoffs.
    complete : bool
        True when the list is guaranteed complete on every game of the form
        (each result still says whether its own list is).
    description : str
        One line for ``solve --help``.
    default : bool
        True for the method used when none is given (one per concept and form).
    aliases : tuple of str
        Other accepted names, e.g. the variant names results report
        (``"vertex-exact"``).  An alias may contain ``+``.
    inner : str or None
        For a method that reduces the game: the concept whose method may
        follow a ``+`` (passed to the function as ``inner``; None when absent).
    estimate : callable or str or None
        ``estimate(game)`` (``estimate(game, inner=...)`` when ``inner`` is
        set) returning a :class:`deterrence.solvers.work.Estimate` of the
        job's size, which :func:`deterrence.solve` compares with its
        ``max_work`` before running; a ``"module:attribute"`` string is
        imported on first use.  None: the size of the input is used.
    """

    concept: str
    form: str
    method: str
    function: Callable[..., Any] | str
    exact: bool
    complete: bool
    description: str
    default: bool = False
    aliases: tuple[str, ...] = ()
    inner: str | None = None
    estimate: Callable[..., Any] | str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name first, then the aliases."""
        return (self.method, *self.aliases)

    def load(self) -> Callable[..., Any]:
        """The solver function, imported now if it was given as ``"module:attribute"``."""
        if callable(self.function):
            return self.function
        module, _, attribute = self.function.partition(":")
        return getattr(importlib.import_module(module), attribute)

    def load_estimate(self) -> Callable[..., Any] | None:
        """The work estimate function (imported now if given as a string), or None."""
        if self.estimate is None or callable(self.estimate):
            return self.estimate
        module, _, attribute = self.estimate.partition(":")
        return getattr(importlib.import_module(module), attribute)


_ENTRIES: dict[tuple[str, str, str], SolverEntry] = {}
_LOADED = False


def _ensure_builtins() -> None:
    global _LOADED
    if not _LOADED:
        _LOADED = True
        importlib.import_module("deterrence.solvers.catalog")


def register(
    concept: str,
    form: str | Iterable[str],
    method: str,
    function: Callable[..., Any] | str | None = None,
    *,
    exact: bool,
    complete: bool,
    description: str,
    default: bool = False,
    aliases: Iterable[str] = (),
    inner: str | None = None,
    replace: bool = False,
    estimate: Callable[..., Any] | str | None = None,
) -> Any:
    """Register a solver; with ``function`` omitted, return a decorator that registers it.

    Parameters
    ----------
    concept : str
    form : str or iterable of str
        One of :data:`FORMS`, or several (one entry each).
    method : str
        Canonical name; must not contain ``+``.
    function : callable or str, optional
        See :class:`SolverEntry`.
    exact, complete, description, default, aliases, inner, estimate
        See :class:`SolverEntry`.
    replace : bool, optional
        Allow overwriting an existing entry (and a different default).

    Returns
    -------
    SolverEntry, list of SolverEntry, or a decorator
        The entry (a list when several forms were given); as a decorator it
        returns the function unchanged.

    Raises
    ------
    SolverError
        For an unknown form, a method name with ``+``, a name already taken
        for the concept and form, or a second default.

    Examples
    --------
    >>> from deterrence.solvers.result import Solution
    >>> @register("nash", "normal-2p", "nothing", exact=True, complete=False,
    ...           description="finds nothing (an example)")
    ... def nothing(game):
    ...     return Solution((), complete=False)
    >>> resolve("nash", "normal-2p", "nothing")[0].load() is nothing
    True
    >>> unregister("nash", "normal-2p", "nothing")
    """
    if function is None:

        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            register(
                concept,
                form,
                method,
                fn,
                exact=exact,
                complete=complete,
                description=description,
                default=default,
                aliases=aliases,
                inner=inner,
                replace=replace,
                estimate=estimate,
            )
            return fn

        return decorate
    _ensure_builtins()
    if "+" in method:
        raise SolverError(f"a method name cannot contain '+': {method!r}")
    forms = [form] if isinstance(form, str) else list(form)
    made = []
    for one in forms:  # check every form first, so a refused registration changes nothing
        if one not in FORMS:
            raise SolverError(f"unknown form {one!r}; choose from {', '.join(FORMS)}")
        entry = SolverEntry(
            concept,
            one,
            method,
            function,
            bool(exact),
            bool(complete),
            description,
            bool(default),
            tuple(aliases),
            inner,
            estimate,
        )
        for other in entries(concept, one):
            if replace and other.method == method:
                continue
            taken = set(entry.names) & set(other.names)
            if taken:
                raise SolverError(f"solver name {sorted(taken)[0]!r} is already registered for {concept}/{one}")
            if default and other.default and not replace:
                raise SolverError(f"{concept}/{one} already has a default method, {other.method!r}")
        made.append(entry)
    for entry in made:
        if entry.default:  # with replace=True a new default takes over from the old one
            for key, other in list(_ENTRIES.items()):
                if other.concept == entry.concept and other.form == entry.form and other.default:
                    _ENTRIES[key] = dataclasses.replace(other, default=False)
        _ENTRIES[(entry.concept, entry.form, entry.method)] = entry
    return made[0] if len(made) == 1 else made


def unregister(concept: str, form: str | Iterable[str], method: str) -> None:
    """Remove a registered solver (for every form given); a missing one is an error.

    Raises
    ------
    SolverError
        If no such solver is registered.
    """
    _ensure_builtins()
    for one in [form] if isinstance(form, str) else list(form):
        if _ENTRIES.pop((concept, one, method), None) is None:
            raise SolverError(f"no solver {concept}/{one}/{method} is registered")


def entries(concept: str | None = None, form: str | None = None) -> tuple[SolverEntry, ...]:
    """Registered solvers in registration order, optionally for one concept and/or form.

    The default of each (concept, form) comes first among its methods.
    """
    _ensure_builtins()
    found = [
        e for e in _ENTRIES.values() if (concept is None or e.concept == concept) and (form is None or e.form == form)
    ]
    if concept is not None and form is not None:
        found.sort(key=lambda e: not e.default)
    return tuple(found)


def concepts() -> tuple[str, ...]:
    """Every concept with at least one solver, in registration order.

    Examples
    --------
    >>> concepts()[:4], 'qre' in concepts()
    (('nash', 'pure', 'spe', 'dominance'), True)
    """
    return tuple(dict.fromkeys(e.concept for e in entries()))


def methods(concept: str, form: str | None = None) -> tuple[str, ...]:
    """Canonical method names of a concept (for one form, default first), without duplicates."""
    return tuple(dict.fromkeys(e.method for e in entries(concept, form)))


def game_form(game: Any) -> str:
    """The registry form of a game: ``"tree"``, ``"normal-2p"`` or ``"normal-np"``.

    Examples
    --------
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> game_form(NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
    'normal-2p'
    """
    if hasattr(game, "root"):
        return "tree"
    return "normal-2p" if game.n_players == 2 else "normal-np"


def resolve(concept: str, form: str, method: str | None) -> tuple[SolverEntry, str | None]:
    """The solver for a method string, and the inner method that follows its ``+`` (or None).

    ``method=None`` gives the default.  Among names that match, the longest
    wins, so an alias such as ``"reduced-normal-form+iesds"`` is preferred to
    a shorter name followed by ``+``.

    Raises
    ------
    SolverError
        For an unknown concept, a concept with no solver for the form, or an
        unknown method (the message lists the choices).
    """
    known = concepts()
    if concept not in known:
        raise SolverError(f"unknown concept {concept!r}; choose from {', '.join(known)}")
    candidates = entries(concept, form)
    if not candidates:
        forms = sorted({e.form for e in entries(concept)})
        if forms == ["tree"]:
            title = _CONCEPT_TITLES.get(concept, f"concept {concept!r}")
            raise SolverError(f"{title} needs a game tree; this game is in normal form")
        raise SolverError(
            f"concept {concept!r} has no solver for {form} games ({FORMS.get(form, 'unknown form')}); "
            f"it is solved for: {', '.join(forms)}"
        )
    if method is None:
        return candidates[0], None
    best: tuple[int, SolverEntry, str | None] | None = None
    for entry in candidates:
        for name in entry.names:
            match: tuple[int, SolverEntry, str | None]
            if method == name:
                match = (len(name), entry, None)
            elif entry.inner is not None and method.startswith(name + "+") and len(method) > len(name) + 1:
                match = (len(name), entry, method[len(name) + 1 :])
            else:
                continue
            if best is None or match[0] > best[0]:
                best = match
    if best is None:
        choices = ", ".join(e.method for e in candidates)
        raise SolverError(f"unknown method {method!r} for concept {concept!r}; choose from {choices}")
    return best[1], best[2]


def describe() -> str:
    """A plain-text table of every solver, for ``deterrence solve --help``.

    One line per (concept, form, method); ``*`` marks the default, and
    ``[+M]`` a method that takes an inner method ``M``.

    Examples
    --------
    >>> describe().splitlines()[0].split()
    ['concept', 'form', 'method', 'exact', 'complete', 'description']
    """
    rows = [("concept", "form", "method", "exact", "complete", "description")]
    also = {}
    for e in entries():
        name = ("*" if e.default else "") + e.method + ("[+M]" if e.inner else "")
        rows.append((e.concept, e.form, name, "yes" if e.exact else "no", "yes" if e.complete else "no", e.description))
        if e.aliases:
            also[len(rows) - 1] = "also accepted: " + ", ".join(e.aliases)
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    indent = " " * (sum(widths[:2]) + 4)
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths, strict=True)) + "  " + row[5])
        if index in also:
            lines.append(indent + also[index])
    lines.append("* = default for its concept and form; [+M] = may be followed by '+' and a method M")
    lines.append("for the reduced game, e.g. --method iesds+support or --method reduced+support.")
    return "\n".join(lines)
