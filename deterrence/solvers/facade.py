"""One entry point for every solution concept: :func:`solve`.

``solve(game, concept, method)`` dispatches to the solver modules in
:mod:`deterrence.solvers` and always returns a
:class:`~deterrence.result.SolveResult` whose equilibria have been verified.

=============  ===================  =============================================
concept        game                 methods (first is the default)
=============  ===================  =============================================
``nash``       2-player normal      ``vertex`` (exact), ``support``, ``nashpy``,
                                    ``nashpy-vertex``
``nash``       N-player normal      ``pure`` (pure equilibria only; says so)
``nash``       2-player tree        ``reduced`` (reduced normal form), or
                                    ``sequence-form`` (zero-sum only)
``pure``       any                  ``pure`` (on the reduced form for trees)
``spe``        tree                 ``backward-induction``
``dominance``  any                  ``iesds`` (``iesds-weak`` for weak dominance)
=============  ===================  =============================================
"""

from __future__ import annotations

from typing import Any

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.forms.normal_form import NormalFormGame
from deterrence.solvers.result import Equilibrium, SolveResult

__all__ = ["solve", "CONCEPTS"]

CONCEPTS = ("nash", "pure", "spe", "dominance")


def solve(game: Any, concept: str = "nash", method: str | None = None) -> SolveResult:
    """Find every equilibrium of ``game`` under ``concept``, verified.

    Parameters
    ----------
    game : NormalFormGame or ExtensiveFormGame
        A numeric game (evaluate parametric games first).
    concept : {"nash", "pure", "spe", "dominance"}
    method : str, optional
        Algorithm; see the module docstring.  ``None`` picks the default.

    Returns
    -------
    SolveResult

    Raises
    ------
    SolverError
        For an unknown concept or method, or a concept that does not apply.

    Examples
    --------
    >>> from games.classic import battle_of_the_sexes
    >>> result = solve(battle_of_the_sexes())
    >>> len(result), result.complete
    (3, True)
    >>> print(*sorted(e.strategies["Row"]["Opera"] for e in result))
    0 2/3 1
    """
    if concept not in CONCEPTS:
        raise SolverError(f"unknown concept {concept!r}; choose from {', '.join(CONCEPTS)}")
    if not isinstance(game, (NormalFormGame, ExtensiveFormGame)):
        raise SolverError(f"solve() needs a NormalFormGame or ExtensiveFormGame, got {type(game).__name__}")
    if game.kind == "symbolic":
        raise SolverError(
            f"the game has free parameters {list(game.parameters)}; give them values first "
            "(game.evaluate(...) or --set NAME=VALUE)"
        )
    if isinstance(game, ExtensiveFormGame):
        return _solve_tree(game, concept, method)
    return _solve_matrix(game, concept, method)


# -- normal form -------------------------------------------------------------
def _solve_matrix(game: NormalFormGame, concept: str, method: str | None) -> SolveResult:
    if concept == "spe":
        raise SolverError("subgame perfection needs a game tree; this game is in normal form")
    if concept == "pure" or (concept == "nash" and game.n_players != 2):
        return _pure(game, concept, method)
    if concept == "dominance":
        return _dominance(game, method)
    return _bimatrix(game, method)


def _check_method(method: str | None, allowed: tuple[str, ...], concept: str) -> str:
    if method is None:
        return allowed[0]
    if method not in allowed:
        raise SolverError(f"unknown method {method!r} for concept {concept!r}; choose from {', '.join(allowed)}")
    return method


def _pure(game: NormalFormGame, concept: str, method: str | None) -> SolveResult:
    from deterrence.solvers.pure import pure_equilibria
    from deterrence.solvers.verify import tolerance_for

    _check_method(method, ("pure",), concept)
    found = pure_equilibria(game)
    exact = game.kind == "exact"
    equilibria = []
    notes = []
    for item in found:
        profile = item.profile if hasattr(item, "profile") else item
        strict = getattr(item, "strict", None)
        equilibria.append(
            _matrix_equilibrium(
                game,
                _pure_profile(game, profile),
                exact,
                notes=() if strict in (None, True) else ("weak: a player has a tied best response",),
            )
        )
    if concept == "nash":
        notes.append(f"{game.n_players}-player game: only pure equilibria are enumerated; mixed equilibria may exist")
    tol = 0.0 if exact else tolerance_for(game.payoffs)
    return SolveResult(
        game,
        concept,
        "pure",
        tuple(equilibria),
        complete=(concept == "pure"),
        degenerate=None,
        tolerance=tol,
        notes=tuple(notes),
    )


def _pure_profile(game: NormalFormGame, indices: tuple[int, ...]) -> list[list[int]]:
    return [[1 if k == i else 0 for k in range(n)] for i, n in zip(indices, game.shape)]


def _bimatrix(game: NormalFormGame, method: str | None) -> SolveResult:
    # Check the method before importing the back-end, so a typo is a user error, not an ImportError.
    method = _check_method(method, ("vertex", "support", "nashpy", "nashpy-vertex"), "nash")
    from deterrence.solvers.enumeration import enumerate_equilibria

    a, b = game.bimatrix()
    found = enumerate_equilibria(a, b, method=method)
    component_of = {i: c for c, members in enumerate(found.components) for i in members}
    equilibria = tuple(
        _matrix_equilibrium(game, [x, y], found.exact, component=component_of.get(i) if found.degenerate else None)
        for i, (x, y) in enumerate(found.equilibria)
    )
    return SolveResult(
        game,
        "nash",
        found.method,
        equilibria,
        complete=found.complete,
        degenerate=found.degenerate,
        tolerance=found.tolerance,
        notes=found.notes,
    )


def _dominance(game: NormalFormGame, method: str | None) -> SolveResult:
    method = _check_method(method, ("iesds", "iesds-weak"), "dominance")
    from deterrence.solvers.dominance import eliminate_dominated

    reduced = eliminate_dominated(game, weak=(method == "iesds-weak"))
    notes = tuple(
        f"eliminated {player}'s {strategy} (dominated by {by})" for player, strategy, by in reduced.eliminations
    )
    inner = solve(reduced.game, "nash" if reduced.game.n_players == 2 else "pure")
    equilibria = tuple(_lift(game, reduced.game, e) for e in inner.equilibria)
    solvable = "dominance solvable" if reduced.solvable else "not dominance solvable"
    complete = inner.complete and method == "iesds"  # weak elimination can lose equilibria
    return SolveResult(
        game,
        "dominance",
        f"{method}+{inner.method}",
        equilibria,
        complete=complete,
        degenerate=inner.degenerate,
        tolerance=inner.tolerance,
        notes=notes + (solvable,) + inner.notes,
    )


def _lift(game: NormalFormGame, reduced: NormalFormGame, eq: Equilibrium) -> Equilibrium:
    """Express an equilibrium of a reduced game over the full strategy sets (zeros for removed ones)."""
    strategies = {
        player: {s: eq.strategies[player].get(s, 0) for s in labels}
        for player, labels in zip(game.players, game.strategies)
    }
    return Equilibrium(strategies, eq.payoffs, eq.exact, eq.regret, eq.component, eq.notes)


def _matrix_equilibrium(
    game: NormalFormGame, profile: list, exact: bool, component: int | None = None, notes: tuple[str, ...] = ()
) -> Equilibrium:
    """Verify a mixed profile and wrap it as an :class:`Equilibrium`."""
    from fractions import Fraction

    import numpy as np

    from deterrence.solvers.verify import regrets, tolerance_for

    if exact:
        profile = [[Fraction(v) for v in p] for p in profile]
        payoffs = np.asarray(game.payoffs, dtype=object)
    else:
        profile = [np.asarray(p, dtype=np.float64) for p in profile]
        payoffs = game.as_float()
    values, gains = regrets(payoffs, profile)
    worst = max(gains)
    limit = 0 if exact else tolerance_for(payoffs)
    if worst > limit:
        raise AssertionError(f"solver returned a profile that is not an equilibrium (regret {worst})")
    if exact:
        strategies = {p: dict(zip(labels, probs)) for p, labels, probs in zip(game.players, game.strategies, profile)}
        paid = dict(zip(game.players, values))
    else:
        strategies = {
            p: {s: float(v) for s, v in zip(labels, probs)}
            for p, labels, probs in zip(game.players, game.strategies, profile)
        }
        paid = {p: float(v) for p, v in zip(game.players, values)}
    return Equilibrium(strategies, paid, exact, float(max(worst, 0)), component, notes)


# -- extensive form ----------------------------------------------------------
def _solve_tree(game: ExtensiveFormGame, concept: str, method: str | None) -> SolveResult:
    if concept == "spe":
        _check_method(method, ("backward-induction",), concept)
        from deterrence.solvers.spe import subgame_perfect_equilibria

        return subgame_perfect_equilibria(game)
    if concept == "nash" and method == "sequence-form":
        from deterrence.solvers.sequence_form import solve_zero_sum

        return solve_zero_sum(game)
    allowed = {"nash": ("reduced", "sequence-form"), "pure": ("pure",), "dominance": ("iesds", "iesds-weak")}
    _check_method(method, allowed[concept], concept)
    from deterrence.forms.reduced_form import behaviour_from_mixed, reduced_normal_form

    reduced = reduced_normal_form(game)
    if concept == "nash":
        inner = solve(reduced.game, "nash" if game.n_players == 2 else "pure")
    elif concept == "pure":
        inner = solve(reduced.game, "pure")
    else:
        inner = solve(reduced.game, "dominance", method)
    equilibria = []
    for eq in inner.equilibria:
        profile = [
            [eq.strategies[p][s] for s in labels] for p, labels in zip(reduced.game.players, reduced.game.strategies)
        ]
        behaviour = behaviour_from_mixed(reduced, profile)
        unreached = getattr(behaviour, "unreached", {})
        notes = eq.notes + tuple(
            f"{player} never reaches {', '.join(repr(s) for s in sets)} under its own strategy; "
            "the uniform behaviour shown there is arbitrary"
            for player, sets in unreached.items()
            if sets
        )
        equilibria.append(Equilibrium(dict(behaviour), eq.payoffs, eq.exact, eq.regret, eq.component, notes))
    return SolveResult(
        game,
        concept,
        f"reduced-normal-form+{inner.method}",
        tuple(equilibria),
        complete=inner.complete,
        degenerate=inner.degenerate,
        tolerance=inner.tolerance,
        notes=inner.notes,
    )
