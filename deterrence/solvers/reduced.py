"""Game trees solved through their reduced normal form: the registered tree solvers for nash, pure, dominance.

The tree is converted to its reduced normal form
(:func:`deterrence.forms.reduced_form.reduced_normal_form`), the normal-form
game is solved by :func:`deterrence.solve` (with the inner method, if one
follows the ``+`` of the method string), and every mixed equilibrium is
turned back into behaviour strategies by Kuhn's theorem
(:func:`~deterrence.forms.reduced_form.behaviour_from_mixed`).  The method
reported is ``"reduced-normal-form+"`` followed by the inner result's method,
e.g. ``"reduced-normal-form+vertex-exact"``.
"""

from __future__ import annotations

from typing import Any

from deterrence.solvers.result import Equilibrium, Solution

__all__ = ["dominance_reduced", "dominance_reduced_weak", "nash_reduced", "pure_reduced"]


def _via_reduced(game: Any, concept: str, method: str | None) -> Solution:
    from deterrence.forms.reduced_form import behaviour_from_mixed, reduced_normal_form
    from deterrence.solvers.facade import solve

    reduced = reduced_normal_form(game)
    found = solve(reduced.game, concept, method)
    equilibria = []
    for eq in found.equilibria:
        profile = [
            [eq.strategies[p][s] for s in labels]
            for p, labels in zip(reduced.game.players, reduced.game.strategies, strict=True)
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
    return Solution(
        tuple(equilibria),
        found.complete,
        found.degenerate,
        found.tolerance,
        found.notes,
        f"reduced-normal-form+{found.method}",
    )


def nash_reduced(game: Any, inner: str | None = None) -> Solution:
    """Registered ``nash``/``tree``/``reduced``: Nash equilibria of the reduced normal form, as behaviour.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "yield": Terminal((1, 1))})}))
    >>> found = nash_reduced(entry)
    >>> found.method, len(found) >= 2
    ('reduced-normal-form+vertex-exact', True)
    """
    return _via_reduced(game, "nash", inner)


def pure_reduced(game: Any, inner: str | None = None) -> Solution:
    """Registered ``pure``/``tree``/``pure``: pure equilibria of the reduced normal form."""
    return _via_reduced(game, "pure", inner)


def dominance_reduced(game: Any, inner: str | None = None) -> Solution:
    """Registered ``dominance``/``tree``/``iesds``: strict elimination on the reduced normal form."""
    return _via_reduced(game, "dominance", "iesds" if inner is None else f"iesds+{inner}")


def dominance_reduced_weak(game: Any, inner: str | None = None) -> Solution:
    """Registered ``dominance``/``tree``/``iesds-weak``: weak elimination on the reduced normal form."""
    return _via_reduced(game, "dominance", "iesds-weak" if inner is None else f"iesds-weak+{inner}")
