"""Sequential equilibria as a solution concept: the PBE whose beliefs pass the consistency check.

Every sequential equilibrium (Kreps and Wilson 1982) is a perfect Bayesian
equilibrium, so the list comes from a PBE method and keeps the assessments
that :func:`deterrence.solvers.sequential.consistent` accepts:

* ``support-enumeration``: every PBE family whose representative assessment
  is consistent, together with every PBE under the "passive" belief rule
  (the limit of Bayes' rule when every unexpected move trembles equally, so
  always consistent).  A family with a range of beliefs or mixing
  probabilities may hold consistent points other than these; then the list
  is marked incomplete and the notes say how many such families there are.
* ``logit-limit``: the certified limit of the agent logit QRE, which McKelvey
  and Palfrey (1998) show is a sequential equilibrium; it is returned only
  when the exact check agrees.

References
----------
Kreps, D. M. and Wilson, R. (1982). Sequential equilibria. *Econometrica* 50, 863-894.
McKelvey, R. D. and Palfrey, T. R. (1998). Quantal response equilibria for
extensive form games. *Experimental Economics* 1, 9-41.
"""

from __future__ import annotations

from typing import Any

from deterrence.errors import SolverError
from deterrence.solvers.result import Solution

__all__ = ["sequential_enumeration", "sequential_estimate", "sequential_logit_limit"]


def sequential_enumeration(game: Any, *, refine: str | None = None, max_supports: int | None = None) -> Solution:
    """Every sequential equilibrium found among the PBE families (see the module docstring).

    Examples
    --------
    In the entry game the one PBE, (in; accommodate), is sequential:

    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
    >>> found = sequential_enumeration(entry)
    >>> print(len(found), found.complete, found[0].strategies["I"]["i"]["accommodate"])
    1 True 1
    """
    from deterrence.solvers.pbe import MAX_SUPPORTS, perfect_bayesian_equilibria

    limit = max_supports or MAX_SUPPORTS
    listed = perfect_bayesian_equilibria(game, refine=refine, max_supports=limit)
    # Passive beliefs are the limit of equal trembles, so every PBE under them is sequential.
    passive = perfect_bayesian_equilibria(game, belief_rule="passive", refine=refine, max_supports=limit)

    def extra(e: Any) -> dict[str, Any]:
        return e.extra or {}

    kept = [e for e in listed.equilibria if extra(e).get("sequential") is True]
    seen = [(e.strategies, extra(e).get("beliefs")) for e in kept]
    for e in passive.equilibria:
        if extra(e).get("sequential") is True and (e.strategies, extra(e).get("beliefs")) not in seen:
            kept.append(e)
            seen.append((e.strategies, extra(e).get("beliefs")))
    open_families = sum(1 for e in listed.equilibria if extra(e).get("ranges"))
    # A float family without an exact certificate has no exact consistency verdict: say so, never drop it quietly.
    unchecked = sum(1 for e in listed.equilibria if "sequential" not in extra(e))
    notes = [n for n in listed.notes if not n.startswith(("families:", "component "))]  # PBE numbering
    notes.append(
        f"{len(kept)} sequential equilibri{'um' if len(kept) == 1 else 'a'}: PBE families whose representative "
        "passes the consistency check (Kreps & Wilson 1982), and the PBE under passive beliefs (always consistent)"
    )
    if open_families:
        notes.append(
            f"{open_families} PBE famil{'y has' if open_families == 1 else 'ies have'} ranges of beliefs or "
            "probabilities; their consistent points other than the ones listed are not computed"
        )
    if unchecked:
        one = unchecked == 1
        notes.append(
            f"{unchecked} PBE {'is' if one else 'are'} known in floats only (no exact form): "
            f"{'its' if one else 'their'} consistency is not decided and {'it is' if one else 'they are'} not listed"
        )
    return Solution(
        tuple(kept),
        complete=bool(listed.complete and passive.complete) and open_families == 0 and unchecked == 0,
        degenerate=listed.degenerate,
        notes=tuple(notes),
        method="support-enumeration",
        table=_components(game, kept) if kept else None,
    )


def _components(game: Any, equilibria: list) -> Any:
    from deterrence.solvers.pbe import exact_copy
    from deterrence.solvers.pbe_report import components
    from deterrence.solvers.pbe_tree import TreeIndex

    return components(TreeIndex(exact_copy(game) if game.kind == "float" else game), equilibria)


def sequential_logit_limit(game: Any) -> Solution:
    """One sequential equilibrium: the certified logit-QRE limit of :mod:`deterrence.solvers.pbe_logit`.

    Raises
    ------
    SolverError
        When the certified limit fails the exact consistency check.
    """
    from deterrence.solvers.pbe_logit import pbe_logit_limit

    found = pbe_logit_limit(game)
    if not all((e.extra or {}).get("sequential") is True for e in found.equilibria):
        raise SolverError(
            "the certified logit limit is not consistent in the exact check; use --method support-enumeration"
        )
    return found


def sequential_estimate(game: Any) -> Any:
    """Work estimate for the registry: the PBE support enumeration, run twice (free and passive beliefs)."""
    from deterrence.solvers.pbe import pbe_estimate
    from deterrence.solvers.work import Estimate

    once = pbe_estimate(game)
    return Estimate(2 * once.work, f"{once.what}, searched twice", once.alternatives)
