"""One perfect Bayesian equilibrium of a large tree: the limit of the agent logit QRE, certified exactly.

Support enumeration (:mod:`deterrence.solvers.pbe`) lists every PBE but its
work grows with the product of the information sets' supports: Kreps and
Wilson's chain store over three markets already has about 10^10 support
profiles.  This method finds *one* PBE in time that grows with the size of
the tree instead:

1. trace the principal branch of the agent logit QRE (McKelvey and Palfrey
   1998, :func:`deterrence.solvers.qre_agent.agent_branch`) to a large
   precision ``lambda``.  At every ``lambda`` each action has positive
   probability, so every information set is reached and its belief is the
   Bayes posterior; McKelvey and Palfrey show that the limit points of this
   branch as ``lambda`` grows are sequential equilibria;
2. at a few checkpoints along the branch, round each behaviour probability
   and each belief to the nearest fraction with a small denominator
   (:meth:`fractions.Fraction.limit_denominator`);
3. certify the rounded assessment exactly: beliefs are replaced by Bayes'
   rule wherever the rounded strategies reach, and sequential rationality is
   checked at every information set in rational arithmetic
   (:func:`deterrence.solvers.pbe_check.assessment_regret` with tolerance 0).

The first assessment that passes is returned, so the answer is exact and
verified like every PBE the toolkit reports, but the list is not complete:
other PBE (other pooling families, other beliefs off the path) are not
searched.  When no checkpoint certifies, the method refuses in one line
rather than return an uncertified profile.

References
----------
McKelvey, R. D. and Palfrey, T. R. (1998). Quantal response equilibria for
extensive form games. *Experimental Economics* 1, 9-41.
Kreps, D. M. and Wilson, R. (1982). Reputation and imperfect information.
*Journal of Economic Theory* 27, 253-279.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from deterrence.errors import SolverError
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.solvers.pbe_check import assessment_regret, bayes_beliefs
from deterrence.solvers.pbe_report import describe
from deterrence.solvers.pbe_tree import Info, TreeIndex, roles
from deterrence.solvers.result import Equilibrium, Solution

__all__ = ["CHECKPOINTS", "DENOMINATORS", "logit_limit_estimate", "pbe_logit_limit"]

#: Precisions (in units of the payoff range) at which the branch is rounded and checked.
CHECKPOINTS = (100.0, 300.0, 1000.0, 3000.0, 10000.0, 30000.0)
#: Largest denominators tried when rounding probabilities and beliefs.
DENOMINATORS = (12, 100, 1000)

Path = tuple[str, ...]


def pbe_logit_limit(game: ExtensiveFormGame, *, sequential: bool = True) -> Solution:
    """One perfect Bayesian equilibrium: the logit-QRE limit, rounded and verified exactly.

    Parameters
    ----------
    game : ExtensiveFormGame
        A numeric tree with perfect recall (floats are solved at their
        shortest decimal values).
    sequential : bool, optional
        Also check whether the assessment is a sequential equilibrium.

    Returns
    -------
    Solution
        One exact equilibrium with ``extra["beliefs"]`` and ``extra["lambda"]``
        (the checkpoint that certified it), ``complete=False``.

    Raises
    ------
    SolverError
        If the game has free parameters, or no checkpoint gives an exact PBE.

    Examples
    --------
    In the entry game the limit is the subgame-perfect (in; accommodate):

    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
    >>> found = pbe_logit_limit(entry)
    >>> print(found.complete, found[0].strategies["E"]["e"]["in"], found[0].strategies["I"]["i"]["accommodate"])
    False 1 1
    """
    from deterrence.solvers.pbe import prepared_tree
    from deterrence.solvers.qre_agent import agent_branch

    game, notes = prepared_tree(game)
    index = TreeIndex(game)
    tree, branch = agent_branch(game, CHECKPOINTS[-1] / _range(game))
    for target in CHECKPOINTS:
        at = int(np.searchsorted(branch.lam * branch.scale, target))
        if at >= len(branch.lam):
            break
        sigma = branch.system.probabilities(branch.x[at])
        for denominator in DENOMINATORS:
            found = _certify(index, tree, sigma, denominator)
            if found is not None:
                behaviour, beliefs = found
                notes.append(
                    f"one PBE: the limit of the principal agent-QRE branch (McKelvey & Palfrey 1998), read at "
                    f"lambda = {float(branch.lam[at]):.4g}, rounded to denominators <= {denominator} and verified "
                    "exactly; other PBE are not searched"
                )
                eq = _equilibrium(index, behaviour, beliefs, float(branch.lam[at]), sequential)
                return Solution((eq,), complete=False, notes=tuple(notes), method="logit-limit")
    raise SolverError(
        f"the agent-QRE branch did not settle on an exact PBE by lambda = {CHECKPOINTS[-1]:g} x the payoff range; "
        "use --method support-enumeration (raise --max-work) for this tree"
    )


def _range(game: ExtensiveFormGame) -> float:
    """The payoff range in which the agent-QRE trace measures lambda (as in ``agent_branch``)."""
    from deterrence.solvers.qre import _scale

    return _scale(np.array([[float(v) for v in t.payoffs] for t, _ in game.terminals()]))


def _round(value: float, denominator: int) -> Fraction:
    return Fraction(float(value)).limit_denominator(denominator)


def _distribution(values: list[float], denominator: int) -> list[Fraction] | None:
    """Rounded probabilities that sum to one exactly, or None."""
    rounded = [_round(v, denominator) for v in values]
    return rounded if sum(rounded) == 1 and min(rounded) >= 0 else None


def _certify(index: TreeIndex, tree: Any, sigma: np.ndarray, denominator: int) -> tuple[dict, dict] | None:
    """The rounded assessment at ``sigma`` when it is an exact PBE, else None."""
    behaviour: dict[str, dict[str, dict[str, Any]]] = {p: {} for p in index.players}
    floats: dict[str, dict[str, dict[str, float]]] = {p: {} for p in index.players}
    for (player, infoset), start, size in zip(tree.blocks, tree.block_start, tree.sizes, strict=True):
        actions = tree.game.actions(player, infoset)
        values = [float(sigma[start + j]) for j in range(size)]
        rounded = _distribution(values, denominator)
        if rounded is None:
            return None
        behaviour[player][infoset] = dict(zip(actions, rounded, strict=True))
        floats[player][infoset] = dict(zip(actions, values, strict=True))
    beliefs: dict[tuple[str, str], dict[Path, Any]] = {}
    for info in index.infos:
        if len(info.nodes) == 1:
            continue
        exact = bayes_beliefs(index, behaviour, info)
        if exact is None:  # off the rounded path: the limit of the QRE's (full-support) posterior
            limit = bayes_beliefs(index, floats, info)
            rounded = None if limit is None else _distribution([limit[x] for x in info.nodes], denominator)
            if rounded is None:
                return None
            exact = dict(zip(info.nodes, rounded, strict=True))
        beliefs[(info.player, info.name)] = exact
    _, failure = assessment_regret(index, behaviour, beliefs, 0)
    return None if failure is not None else (behaviour, beliefs)


def _equilibrium(index: TreeIndex, behaviour: dict, beliefs: dict, lam: float, sequential: bool) -> Equilibrium:
    def prob(info: Info, action: str) -> Any:
        return behaviour[info.player][info.name].get(action, 0)

    shown: dict[str, dict[str, dict[str, Any]]] = {}
    for (player, name), mu in beliefs.items():
        shown.setdefault(player, {})[name] = {index.node_name(x): v for x, v in mu.items()}
    reach = {path: index.reach(path, prob) for path in index.nodes}
    values = index.values(prob)[()]
    extra: dict[str, Any] = {"beliefs": shown, "lambda": lam}
    found_roles = roles(index, behaviour, reach)
    if found_roles:
        extra["roles"] = found_roles
    if sequential:
        from deterrence.solvers.sequential import consistent

        extra["sequential"] = consistent(index, behaviour, beliefs)
    notes = tuple(describe(extra))
    return Equilibrium(behaviour, dict(zip(index.players, values, strict=True)), True, 0.0, None, notes, extra)


def logit_limit_estimate(game: Any) -> Any:
    """Work estimate for the registry: one trace of the agent-QRE branch and a few exact checks."""
    from deterrence.solvers.qre_agent import tree_qre_work
    from deterrence.solvers.work import Estimate

    if game.kind == "symbolic":
        return Estimate(0, "no search (the solver refuses the game)")
    traced = tree_qre_work(game)
    return Estimate(traced.work * 3, traced.what + ", then rounded and checked exactly")
