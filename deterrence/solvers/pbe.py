"""Perfect Bayesian equilibria of finite game trees, all of them, with their off-path beliefs.

An *assessment* ``(sigma, mu)`` pairs a behaviour profile with a belief at
every information set.  It is a perfect Bayesian equilibrium (PBE) here when

1. ``sigma`` is *sequentially rational*: at every information set, on and
   off the path, the mover's continuation strategy is a best response given
   her belief there and the others' strategies;
2. ``mu`` is *Bayes consistent* wherever the path reaches, inside every
   subgame (so every PBE is subgame perfect; in signalling games this is the
   textbook PBE).  Elsewhere the belief is free, or fixed by a rule.

:func:`perfect_bayesian_equilibria` enumerates *support profiles* (which
actions get positive probability at each information set), discards those
whose conditions fail at every point by an exact vertex test
(:mod:`deterrence.solvers.pbe_screen`), solves the rest exactly
(:mod:`deterrence.solvers.pbe_support`) and returns every solution as a
*family*: a representative assessment, the range of every mixing
probability and every off-path belief that varies, and the component it
belongs to (families whose closures touch, :mod:`deterrence.solvers.pbe_components`).
A family whose conditions are nonlinear is proved empty or given by its
conditions and one verified point (:mod:`deterrence.solvers.pbe_nonlinear`);
only a branch that is neither makes the list incomplete, and the notes name it.
Pure assessments are the supports of size one; their off-path beliefs
form a polytope, reported by its ranges.  Each equilibrium's ``extra`` holds ``"beliefs"`` (``{player: {information set:
{node: probability}}}``, nodes named by label or path), ``"ranges"``,
``"roles"`` (separating / pooling / semi-separating for every player who
observes a chance move) and ``"sequential"`` (whether the representative
assessment is a sequential equilibrium, :mod:`deterrence.solvers.sequential`).

Options: ``belief_rule`` ``"prior"`` (off-path beliefs proportional to
nature's probabilities), ``"passive"`` (weight only the nodes reached with
the fewest unexpected moves, each in proportion to the probability of its
other moves: the limit of Bayes' rule when every unexpected move trembles
equally, so the beliefs are always Kreps-Wilson consistent; in a signalling
game this is the prior), or ``{player: {infoset: {node: probability}}}``;
``refine="intuitive"`` keeps the assessments that pass Cho and Kreps's
Intuitive Criterion (:mod:`deterrence.solvers.pbe_refine`).

References
----------
Kreps, D. and Wilson, R. (1982). Sequential equilibria. Econometrica 50.
Fudenberg, D. and Tirole, J. (1991). Perfect Bayesian equilibrium and
sequential equilibrium. Journal of Economic Theory 53, 236-260.
Cho, I.-K. and Kreps, D. (1987). Signaling games and stable equilibria.
Quarterly Journal of Economics 102, 179-221.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from itertools import product
from math import prod
from typing import Any

from deterrence.errors import GameError, SolverError
from deterrence.forms.extensive_form import Decision, ExtensiveFormGame, Terminal
from deterrence.forms.subgames import perfect_recall_violations
from deterrence.solvers.pbe_check import assessment, assessment_regret, ratio
from deterrence.solvers.pbe_prune import candidate_supports
from deterrence.solvers.pbe_report import Components, algebraic_forms, components, describe, ranges
from deterrence.solvers.pbe_screen import Screen
from deterrence.solvers.pbe_support import CONTINUUM, Family, solve_support
from deterrence.solvers.pbe_tree import Info, TreeIndex, roles
from deterrence.solvers.result import Equilibrium, Solution

__all__ = [
    "MAX_SUPPORTS",
    "Components",
    "exact_copy",
    "pbe_enumeration",
    "pbe_estimate",
    "perfect_bayesian_equilibria",
    "prepared_tree",
    "verify_solution",
]

Path = tuple[str, ...]

#: Most support profiles searched before refusing (``max_supports=`` raises it).
MAX_SUPPORTS = 20_000


def exact_copy(game: ExtensiveFormGame) -> ExtensiveFormGame:
    """A float tree with every number replaced by its shortest decimal (chance rows rescaled to sum to one)."""
    from deterrence.forms.extensive_form import Chance, Decision

    def rebuild(node: Any) -> Any:
        if isinstance(node, Terminal):
            return Terminal(tuple(Fraction(repr(v)) for v in node.payoffs), node.label)
        kids = tuple(rebuild(c) for c in node.children)
        if isinstance(node, Chance):
            probs = [Fraction(repr(p)) for p in node.probabilities]
            total = sum(probs)
            return Chance(node.actions, tuple(p / total for p in probs), kids, node.label, node.infoset)
        return Decision(node.player, node.infoset, node.actions, kids, node.label)

    return ExtensiveFormGame(game.players, rebuild(game.root), game.title)


def prepared_tree(game: Any) -> tuple[ExtensiveFormGame, list[str]]:
    """The exact tree a PBE method works on, and a note if it was float; a one-line error if it cannot.

    Raises
    ------
    SolverError
        For a normal form or a tree with free parameters.
    GameError
        For a tree without perfect recall.
    """
    if not isinstance(game, ExtensiveFormGame):
        raise SolverError(f"perfect Bayesian equilibria need a game tree, got {type(game).__name__}")
    if game.kind == "symbolic":
        raise SolverError(f"the game has free parameters {list(game.parameters)}; give them values first")
    violations = perfect_recall_violations(game)
    if violations:
        raise GameError(f"perfect Bayesian equilibria need perfect recall: {violations[0]}")
    if game.kind == "float":
        return exact_copy(game), ["float payoffs and probabilities solved exactly at their shortest decimal values"]
    return game, []


def _rule(index: TreeIndex, belief_rule: Any) -> Any:
    if belief_rule is None:
        return None
    if belief_rule == "prior":

        def prior(index: TreeIndex, info: Info, prob: Any, positive: Any) -> Any:
            weights = {x: index.reach(x, lambda i, a: 1) for x in info.nodes}
            return weights if any(w != 0 for w in weights.values()) else None

        return prior
    if belief_rule == "passive":

        def passive(index: TreeIndex, info: Info, prob: Any, positive: Any) -> Any:
            # Nodes reached with the fewest unexpected moves, weighted by their other probabilities:
            # the limit of Bayes' rule under equal trembles, so always Kreps-Wilson consistent.
            def unexpected(x: Path) -> int | None:
                count = 0
                for k in range(1, len(x) + 1):
                    step = index.step(x[:k], lambda i, a: 1 if positive(i, a) else 0)
                    if step == 0 and not isinstance(index.nodes[x[: k - 1]], Decision):
                        return None
                    count += step == 0
                return count

            counts = {x: unexpected(x) for x in info.nodes}
            possible = [c for c in counts.values() if c is not None]
            if not possible:
                return None
            fewest = min(possible)
            return {
                x: index.reach(x, lambda i, a: prob(i, a) if positive(i, a) else 1) if c == fewest else 0
                for x, c in counts.items()
            }

        return passive
    if isinstance(belief_rule, Mapping):
        given = _given_beliefs(index, belief_rule)

        def fixed(index: TreeIndex, info: Info, prob: Any, positive: Any) -> Any:
            return given.get((info.player, info.name))

        return fixed
    raise SolverError(
        f"belief_rule must be 'prior', 'passive' or {{player: {{infoset: {{node: p}}}}}}, got {belief_rule!r}"
    )


def _given_beliefs(index: TreeIndex, rule: Mapping) -> dict[tuple[str, str], dict[Path, Fraction]]:
    out = {}
    for player, sets in rule.items():
        for name, table in dict(sets).items():
            if (player, name) not in index.position:
                raise SolverError(f"belief_rule names no information set {name!r} of {player!r}")
            info = index.infos[index.position[(player, name)]]
            names = {index.node_name(x): x for x in info.nodes}
            weights = {}
            for node, p in dict(table).items():
                if node not in names:
                    raise SolverError(f"belief_rule: {node!r} is not a node of {player}'s set {name!r} ({list(names)})")
                try:
                    weights[names[node]] = Fraction(repr(p)) if isinstance(p, float) else Fraction(p)
                except (TypeError, ValueError):
                    raise SolverError(f"belief_rule: {p!r} at {node!r} is not a number") from None
            if any(w < 0 for w in weights.values()) or sum(weights.values()) != 1:
                raise SolverError(f"belief_rule at {player}'s set {name!r} is not a probability distribution")
            out[(player, name)] = {x: weights.get(x, Fraction(0)) for x in info.nodes}
    return out


def perfect_bayesian_equilibria(
    game: ExtensiveFormGame,
    *,
    belief_rule: Any = None,
    refine: str | None = None,
    max_supports: int = MAX_SUPPORTS,
    mixed: bool = True,
    sequential: bool = True,
) -> Solution:
    """Every perfect Bayesian equilibrium of a tree, as families with their ranges, verified.

    Parameters
    ----------
    game : ExtensiveFormGame
        Exact or float (floats are solved at their exact binary values), with
        perfect recall.
    belief_rule : {"prior", "passive"} or mapping, optional
        Fixes the off-path beliefs (default: report every supporting belief).
    refine : {"intuitive"}, optional
        Keep only the assessments that pass the Intuitive Criterion.
    max_supports : int, optional
        Refuse games with more support profiles than this.
    mixed : bool, optional
        False searches pure assessments only (the list is then incomplete).
    sequential : bool, optional
        Check whether each representative assessment is a sequential equilibrium.

    Returns
    -------
    Solution
        ``method="support-enumeration"``; ``table`` holds the components.

    Examples
    --------
    The entry game has two Nash equilibria but one PBE: "fight" is never
    sequentially rational at the incumbent's node.

    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
    >>> found = perfect_bayesian_equilibria(entry)
    >>> len(found), found.complete, found[0].strategies["I"]["i"]["accommodate"]
    (1, True, Fraction(1, 1))
    """
    if refine not in (None, "intuitive"):
        raise SolverError(f"refine must be None or 'intuitive', got {refine!r}")
    game, notes = prepared_tree(game)
    index = TreeIndex(game)
    rule = _rule(index, belief_rule)
    options = candidate_supports(index, mixed)
    count = prod(len(o) for o in options)
    if count > max_supports:
        raise SolverError(
            f"{count} support profiles over {len(index.infos)} information sets exceed max_supports={max_supports}"
        )
    families, remarks = [], []
    screen = Screen(index)
    for support in product(*options):
        if screen.rejects(support):
            continue
        found, said = solve_support(index, support, rule)
        families += found
        remarks += said
    continua = remarks.count(CONTINUUM)
    remarks = [r for r in remarks if r != CONTINUUM]
    if continua:
        notes.append(
            f"{continua} support profile(s) gave nonlinear conditions with a continuum of solutions, "
            "described by sympy's parametrisation"
        )
    equilibria, dropped, kept_families = _assemble(index, families, rule is None, sequential)
    complete = mixed and not remarks and not dropped
    for said in (remarks, dropped):
        notes += said[:5] + ([f"... and {len(said) - 5} more like these"] if len(said) > 5 else [])
    if not mixed:
        notes.append("pure assessments only (mixed=False): the list is incomplete")
    if refine == "intuitive":
        from deterrence.solvers.pbe_refine import intuitive_criterion

        passed = [intuitive_criterion(index, e) for e in equilibria]
        notes.append(f"Intuitive Criterion: {passed.count(False)} of {len(equilibria)} assessments removed")
        equilibria = [e for e, ok in zip(equilibria, passed, strict=True) if ok]
        kept_families = [f for f, ok in zip(kept_families, passed, strict=True) if ok]
    grouped = components(index, equilibria, kept_families)
    notes += _component_notes(grouped)
    nonlinear = [e for e in equilibria if e.extra and e.extra.get("nonlinear")]
    if nonlinear:
        notes.append(
            f"{len(nonlinear)} nonlinear famil{'y' if len(nonlinear) == 1 else 'ies'}: "
            "described by 'conditions', shown by one verified point"
        )
    if any(e.extra and e.extra.get("ranges") for e in equilibria):
        notes.append("families: each listed assessment stands for the ranges in its 'ranges' (ends included or not)")
    return Solution(
        tuple(equilibria),
        complete=complete,
        degenerate=True if any(e.extra and e.extra.get("ranges") for e in equilibria) else None,
        notes=tuple(notes),
        method="support-enumeration",
        table=grouped,
    )


def _component_notes(grouped: Components) -> list[str]:
    """One note per component that has more than one member or a range."""
    from deterrence.solvers.pbe_components import describe_component

    out = []
    for r in grouped.records:
        if len(r["members"]) > 1 or r.get("ranges"):
            out.append(describe_component(r["component"], r))
            solved = [c for c in r.get("conditions", ()) if " = " in c]
            if solved:
                out.append(f"component {r['component'] + 1} is parametrised by: " + "; ".join(solved))
    return out


def _assemble(index: TreeIndex, families: list[Family], free: bool, sequential: bool) -> tuple[list, list[str], list]:
    equilibria, dropped, kept = [], [], []
    for family in families:
        behaviour, beliefs = assessment(index, family.behaviour, family.beliefs)
        tol = 0.0 if family.exact else 1e-9
        regret, failure = assessment_regret(index, behaviour, beliefs, tol)
        remark: tuple[str, ...] = ()
        if failure is not None and free and beliefs and family.exact:
            # One-shot conditions passed but a longer deviation pays at the representative beliefs:
            # the consistent ("passive") beliefs may still support the same behaviour.
            alternative = _prefer_consistent(index, behaviour, beliefs)
            if alternative is not beliefs:
                beliefs, failure, regret = alternative, None, 0
                remark = ("off-path ranges come from one-shot conditions; only the shown beliefs are checked",)
        if failure is not None:
            dropped.append(f"a candidate failed the full check and was dropped: {failure}")
            continue
        if free and beliefs and family.exact and not remark:
            beliefs = _prefer_consistent(index, behaviour, beliefs)
        from deterrence.solvers.pbe_check import bayes_beliefs

        shown: dict[str, dict[str, dict[str, Any]]] = {p: {} for p in index.players}
        for info in index.infos:
            mu = beliefs.get((info.player, info.name)) or bayes_beliefs(index, behaviour, info)
            if len(info.nodes) > 1 and mu is not None:
                shown[info.player][info.name] = {index.node_name(x): v for x, v in mu.items()}
        prob = _prob(behaviour)
        reach = {path: index.reach(path, prob) for path in index.nodes}
        values = index.values(prob)[()]
        extra: dict[str, Any] = {"beliefs": {p: s for p, s in shown.items() if s}}
        found_ranges = ranges(index, family, free)
        if found_ranges:
            extra["ranges"] = found_ranges
            extra["conditions"] = list(family.conditions)
        if family.nonlinear:
            extra["conditions"] = list(family.conditions)
            extra["nonlinear"] = family.nonlinear
        extra.update(algebraic_forms(index, family))
        found_roles = roles(index, behaviour, reach)
        if found_roles:
            extra["roles"] = found_roles
        if sequential and family.exact:
            from deterrence.solvers.sequential import consistent

            extra["sequential"] = consistent(index, behaviour, beliefs)
        elif sequential and family.algebraic is not None:
            from deterrence.solvers.pbe_algebraic import consistent_exactly

            extra["sequential"] = consistent_exactly(index, family)
        notes = tuple(describe(extra)) + remark
        eq = Equilibrium(
            behaviour,
            dict(zip(index.players, values, strict=True)),
            family.exact,
            float(max(regret, 0)),
            None,
            notes,
            extra,
        )
        equilibria.append(eq)
        kept.append(family)
    return equilibria, dropped, kept


def _prefer_consistent(index: TreeIndex, behaviour: dict, beliefs: dict) -> dict:
    """The "passive" beliefs (always Kreps-Wilson consistent) when they support the same behaviour, else ``beliefs``.

    A family's off-path beliefs range over a region; this picks, as its
    representative, the point that makes the assessment sequential when the
    region contains it.
    """
    rule = _rule(index, "passive")
    prob = _prob(behaviour)

    def positive(info: Info, action: str) -> bool:
        return prob(info, action) != 0

    chosen = {}
    for key in beliefs:
        info = index.infos[index.position[key]]
        weights = rule(index, info, prob, positive)
        if weights is None:
            return beliefs
        total = sum(weights.values())
        chosen[key] = {x: ratio(w, total) for x, w in weights.items()}
    _, failure = assessment_regret(index, behaviour, chosen)
    return chosen if failure is None else beliefs


def _prob(behaviour: Mapping) -> Any:
    return lambda info, action: behaviour[info.player][info.name].get(action, 0)


#: Work units (about a microsecond each, see :mod:`deterrence.solvers.work`) per support profile searched:
#: most are screened out in well under a millisecond (:mod:`deterrence.solvers.pbe_screen`).
_PER_SUPPORT = 10_000


def pbe_estimate(game: Any) -> Any:
    """Work estimate for the registry: the candidate support profiles, about 10 ms each (most take far less)."""
    from deterrence.solvers.work import Estimate

    if game.kind == "symbolic" or perfect_recall_violations(game):
        return Estimate(0, "no search (the solver refuses the game)")
    index = TreeIndex(game)
    count = prod(len(o) for o in candidate_supports(index))
    what = f"{count} support profiles over {len(index.infos)} information sets"
    return Estimate(count * _PER_SUPPORT, what, "--method logit-limit (one PBE, certified exactly)")


def pbe_enumeration(
    game: ExtensiveFormGame, *, belief_rule: Any = None, refine: str | None = None, max_supports: int = MAX_SUPPORTS
) -> Solution:
    """Registered ``pbe``/``tree``/``support-enumeration``: :func:`perfect_bayesian_equilibria`."""
    return perfect_bayesian_equilibria(game, belief_rule=belief_rule, refine=refine, max_supports=max_supports)


def verify_solution(game: Any, solution: Solution) -> None:
    """The facade's check of a PBE list: each assessment re-verified from its strategies and beliefs.

    Raises
    ------
    SolverError
        When an assessment fails (an internal error: the solver verified it).
    """
    if game.kind == "float":
        game = exact_copy(game)
    index = TreeIndex(game)
    for eq in solution.equilibria:
        beliefs = {}
        for player, sets in (eq.extra or {}).get("beliefs", {}).items():
            for name, table in sets.items():
                info = index.infos[index.position[(player, name)]]
                names = {index.node_name(x): x for x in info.nodes}
                beliefs[(player, name)] = {names[n]: v for n, v in table.items()}
        _, failure = assessment_regret(index, eq.strategies, beliefs, 0.0 if eq.exact else 1e-9)
        if failure is not None:
            raise SolverError(f"internal error: a returned PBE fails verification: {failure}")
