"""The reduced normal form of a game tree, and Kuhn's theorem back to behaviour strategies.

A *pure strategy* of player :math:`i` picks an action at each of her
information sets.  Two pure strategies that differ only at information sets
that her own earlier moves exclude give the same outcome against every
profile of the others; the *reduced normal form* keeps one plan per class
(the "reduced strategies" or "plans of action", Myerson 1991, §2.3;
Osborne and Rubinstein 1994, §11.1).  A plan here is a dict
``{infoset: action}`` whose domain is exactly the set of the player's
information sets that the plan itself does not exclude.

Plans are generated directly, without listing all pure strategies: walk the
tree, follow the plan at the player's own nodes, follow every branch at the
others' and at chance nodes, and branch on the action at each of the
player's information sets the first time it is met.  Each plan is produced
once.  Payoffs are expectations over chance, computed exactly for exact
trees: a terminal :math:`z` with chance probability :math:`p(z)` contributes
:math:`p(z) u(z)` to every profile whose plans all agree with the actions on
the path to :math:`z`.

*Strategy labels.*  A plan is labelled by its actions in the order of the
player's information sets (preorder of first appearance), joined by ``/``,
for example ``"out"`` or ``"in/fight"``.  If two plans of a player would get
the same label (when action names repeat across sets), that player's labels
list every information set instead, with ``*`` where the plan leaves a set
unspecified (``"in/*/fight"``); a ``#k`` suffix is the last resort.  A player
without moves has the single strategy ``"(no move)"``.

*Kuhn's theorem* (Kuhn 1953): with perfect recall, a mixed strategy
:math:`\\mu_i` and the behaviour strategy

.. math:: \\beta_i(a \\mid I) = \\frac{\\mu_i(\\{s: s \\text{ agrees with } \\sigma_I a\\})}
                                  {\\mu_i(\\{s: s \\text{ agrees with } \\sigma_I\\})}

(:math:`\\sigma_I` the player's own sequence leading to :math:`I`) induce
the same distribution over terminals against every profile of the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from deterrence.errors import GameError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from deterrence.forms.normal_form import NormalFormGame, check_player_count
from deterrence.forms.subgames import own_histories, perfect_recall_violations
from deterrence.numbers import is_exact_value

__all__ = ["ReducedForm", "BehaviourProfile", "reduced_normal_form", "behaviour_from_mixed"]

#: Largest number of pure profiles the reduced normal form may have.
MAX_PROFILES = 5_000_000
#: Below this, a float realization probability counts as zero in :func:`behaviour_from_mixed`.
FLOAT_ZERO = 1e-12
NO_MOVE = "(no move)"


@dataclass(frozen=True, slots=True, eq=False)
class ReducedForm:
    """The reduced normal form of a tree and the plan behind each strategy.

    Attributes
    ----------
    game : NormalFormGame
        Title and players from the tree; strategies are the labelled plans.
    plans : tuple of tuple of mapping
        ``plans[i][k]`` is the read-only ``{infoset: action}`` plan of
        strategy ``k`` of player ``i``.
    tree : ExtensiveFormGame
        The game tree it was built from.
    """

    game: NormalFormGame
    plans: tuple[tuple[Mapping[str, str], ...], ...]
    tree: ExtensiveFormGame

    def plan(self, player: str | int, strategy: str) -> dict[str, str]:
        """The plan ``{infoset: action}`` behind a strategy label."""
        i = self.game.player_index(player)
        return dict(self.plans[i][self.game.strategy_index(i, strategy)])


class BehaviourProfile(dict):
    """``{player: {infoset: {action: probability}}}`` plus the sets the player's own plan skips.

    ``unreached[player]`` lists the information sets that the player's mixed
    strategy reaches with probability zero; their behaviour there is the
    uniform fallback documented in :func:`behaviour_from_mixed`.
    """

    def __init__(self, data: Mapping, unreached: Mapping[str, tuple[str, ...]]) -> None:
        super().__init__(data)
        self.unreached = dict(unreached)


def _plans(game: ExtensiveFormGame, player: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []

    def expand(plan: dict[str, str], stack: list[Node]) -> None:
        while stack:
            node = stack.pop()
            if isinstance(node, Terminal):
                continue
            if isinstance(node, Decision) and node.player == player:
                if node.infoset in plan:
                    stack.append(node.children[node.actions.index(plan[node.infoset])])
                    continue
                # First meeting of this set under this plan: one branch per action.
                for action, child in zip(node.actions, node.children, strict=True):
                    expand({**plan, node.infoset: action}, stack + [child])
                return
            stack.extend(reversed(node.children))
        out.append(plan)

    expand({}, [game.root])
    return out


def _labels(plans: list[dict[str, str]], order: Sequence[str]) -> list[str]:
    short = ["/".join(p[i] for i in order if i in p) or NO_MOVE for p in plans]
    if len(set(short)) == len(short):
        return short
    full = ["/".join(p.get(i, "*") for i in order) for p in plans]
    if len(set(full)) == len(full):
        return full
    return [f"{label}#{k + 1}" for k, label in enumerate(full)]


def reduced_normal_form(game: ExtensiveFormGame) -> ReducedForm:
    """Build the reduced normal form of a game tree (any number of players).

    Parameters
    ----------
    game : ExtensiveFormGame
        Exact, float or symbolic; payoffs stay of the same kind.

    Returns
    -------
    ReducedForm

    Raises
    ------
    GameError
        If the normal form would have more than :data:`MAX_PROFILES` profiles.

    References
    ----------
    Selten, R. (1975). Reexamination of the perfectness concept for
    equilibrium points in extensive games. IJGT 4, 25-55 (the entry game).

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> entry = ExtensiveFormGame(["Entrant", "Incumbent"], choice("Entrant", "e", {
    ...     "out": Terminal((0, 2)),
    ...     "in": choice("Incumbent", "i", {"fight": Terminal((-1, -1)),
    ...                                     "accommodate": Terminal((1, 1))})}))
    >>> rf = reduced_normal_form(entry)
    >>> rf.game.strategies
    (('out', 'in'), ('fight', 'accommodate'))
    >>> print(rf.game.payoff(("in", "fight"), "Entrant"))
    -1
    """
    check_player_count(game.n_players, "the reduced normal form")
    plans = [_plans(game, p) for p in game.players]
    counts = [len(p) for p in plans]
    if int(np.prod(counts, dtype=object)) > MAX_PROFILES:
        raise GameError(f"the reduced normal form has {counts} strategies per player, too many")
    order = _preorder_infosets(game)
    labels = [_labels(pl, order[p]) for pl, p in zip(plans, game.players, strict=True)]
    n = game.n_players
    exact_or_symbolic = game.kind != "float"
    payoffs = np.zeros((*counts, n), dtype=object if exact_or_symbolic else np.float64)
    # Plans by (infoset, action), so a terminal's consistent plans are an intersection, not a scan.
    index: list[dict[tuple[str, str], set[int]]] = []
    for player_plans in plans:
        table: dict[tuple[str, str], set[int]] = {}
        for k, plan in enumerate(player_plans):
            for item in plan.items():
                table.setdefault(item, set()).add(k)
        index.append(table)
    for probability, requirements, terminal in _terminal_requirements(game):
        if probability == 0:
            continue
        consistent = []
        for i, player in enumerate(game.players):
            need = requirements.get(player)
            if need is None:  # the path asks for the same set twice with different actions
                break
            if need:
                agree = set.intersection(*sorted((index[i].get(item, set()) for item in need.items()), key=len))
                consistent.append(sorted(agree))
            else:
                consistent.append(list(range(counts[i])))
        else:
            if all(consistent):
                value = [probability * v for v in terminal.payoffs]
                payoffs[np.ix_(*consistent, range(n))] += np.array(value, dtype=payoffs.dtype)
    normal = NormalFormGame(game.players, labels, payoffs, title=game.title)
    frozen = tuple(tuple(MappingProxyType(dict(p)) for p in pl) for pl in plans)
    return ReducedForm(normal, frozen, game)


def _preorder_infosets(game: ExtensiveFormGame) -> dict[str, list[str]]:
    # game.infosets is filled bottom-up by the constructor; labels read better root first.
    order: dict[str, list[str]] = {p: [] for p in game.players}
    for node, _ in game.walk():
        if isinstance(node, Decision) and node.infoset not in order[node.player]:
            order[node.player].append(node.infoset)
    return order


def _terminal_requirements(game: ExtensiveFormGame) -> list[tuple[Any, dict, Terminal]]:
    """For each terminal: chance probability, each player's required ``{infoset: action}``."""
    out = []
    start: dict[str, dict[str, str] | None] = {p: {} for p in game.players}
    stack: list[tuple[Node, Any, dict]] = [(game.root, 1, start)]
    while stack:
        node, probability, needs = stack.pop()
        if isinstance(node, Terminal):
            out.append((probability, needs, node))
            continue
        for index, child in reversed(list(enumerate(node.children))):
            action = node.actions[index]
            if isinstance(node, Chance):
                stack.append((child, probability * node.probabilities[index], needs))
                continue
            need = needs[node.player]
            if need is not None and need.get(node.infoset, action) != action:
                need = None
            elif need is not None:
                need = {**need, node.infoset: action}
            stack.append((child, probability, {**needs, node.player: need}))
    return out


def _mixed_vectors(reduced: ReducedForm, profile: Any) -> list[list[Any]]:
    game = reduced.game
    if isinstance(profile, Mapping):
        missing = [p for p in game.players if p not in profile]
        if missing:
            raise GameError(f"mixed profile has no strategy for {missing}")
        rows = []
        for i, player in enumerate(game.players):
            entry = profile[player]
            if isinstance(entry, Mapping):
                row = [0] * len(game.strategies[i])
                for label, prob in entry.items():
                    row[game.strategy_index(i, label)] = prob
                rows.append(row)
            else:
                rows.append(list(entry))
        profile = rows
    vectors = [list(v) for v in profile]
    if len(vectors) != game.n_players:
        raise GameError(f"mixed profile has {len(vectors)} strategies for {game.n_players} players")
    for i, vector in enumerate(vectors):
        player = game.players[i]
        if len(vector) != len(game.strategies[i]):
            raise GameError(f"mixed strategy of {player} has {len(vector)} entries, expected {len(game.strategies[i])}")
        exact = all(is_exact_value(v) for v in vector)
        total = sum(v for v in vector if v)  # skipping zeros keeps long pure vectors cheap
        if any(v < 0 for v in vector) or (total != 1 if exact else abs(total - 1) > 1e-9):
            raise GameError(f"mixed strategy of {player} is not a probability vector: {vector}")
        vectors[i] = (
            [v if type(v) is Fraction else Fraction(v) for v in vector] if exact else [float(v) for v in vector]
        )
    return vectors


#: Per-tree facts used by :func:`behaviour_from_mixed`, keyed by ``id`` (trees are immutable; the
#: stored reference keeps the id from being reused).  Solvers call it once per equilibrium.
_TREE_FACTS: dict[int, tuple[ExtensiveFormGame, Any]] = {}


def _tree_facts(tree: ExtensiveFormGame) -> tuple[dict[str, list[str]], dict[tuple[str, str], tuple]]:
    """Information sets in preorder, and each set's own sequence; checks perfect recall."""
    hit = _TREE_FACTS.get(id(tree))
    if hit is not None and hit[0] is tree:
        return hit[1]
    violations = perfect_recall_violations(tree)
    if violations:
        raise GameError(f"Kuhn's theorem needs perfect recall: {violations[0]}")
    histories = own_histories(tree)
    sequences: dict[tuple[str, str], tuple] = {}
    for node, path in tree.walk():
        if isinstance(node, Decision):
            sequences.setdefault((node.player, node.infoset), histories[path])
    facts = (_preorder_infosets(tree), sequences)
    if len(_TREE_FACTS) >= 32:
        _TREE_FACTS.pop(next(iter(_TREE_FACTS)))
    _TREE_FACTS[id(tree)] = (tree, facts)
    return facts


def behaviour_from_mixed(reduced: ReducedForm, profile: Any) -> BehaviourProfile:
    """Behaviour strategies equivalent to a mixed profile of the reduced form (Kuhn 1953).

    Parameters
    ----------
    reduced : ReducedForm
    profile : sequence or mapping
        One probability vector per player (in strategy order), or
        ``{player: {label: probability}}`` / ``{player: vector}``.  Exact
        (int/Fraction) vectors give exact behaviour probabilities.

    Returns
    -------
    BehaviourProfile
        ``{player: {infoset: {action: probability}}}`` covering every
        information set of every player.

    Notes
    -----
    *Rule at information sets the player's own strategy reaches with
    probability zero* (the denominator of Kuhn's formula is zero, which for
    reduced plans means no plan in the support specifies the set): the
    behaviour there is **uniform** over the actions, and the set is listed in
    ``result.unreached[player]``.  Such behaviour never changes the
    outcome, so any other choice gives an equivalent behaviour strategy.
    For float profiles, realization probabilities at most
    :data:`FLOAT_ZERO` count as zero.

    Raises
    ------
    GameError
        If the tree lacks perfect recall, or the profile is not a probability
        vector per player.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A", "B"], choice("A", "a", {
    ...     "out": Terminal((1, 0)),
    ...     "in": choice("B", "b", {"l": choice("A", "c", {"x": Terminal((0, 1)),
    ...                                                    "y": Terminal((2, 0))}),
    ...                             "r": Terminal((0, 2))})}))
    >>> rf = reduced_normal_form(g)
    >>> rf.game.strategies[0]
    ('out', 'in/x', 'in/y')
    >>> half = Fraction(1, 2)
    >>> beta = behaviour_from_mixed(rf, [[half, 0, half], [1, 0]])
    >>> print(beta["A"]["a"]["in"], beta["A"]["c"]["y"])
    1/2 1
    >>> beta = behaviour_from_mixed(rf, [[1, 0, 0], [1, 0]])
    >>> beta.unreached["A"]
    ('c',)
    >>> print(beta["A"]["c"]["x"])
    1/2
    """
    tree = reduced.tree
    order, sequences = _tree_facts(tree)
    vectors = _mixed_vectors(reduced, profile)
    out: dict[str, dict] = {}
    unreached: dict[str, tuple[str, ...]] = {}
    for i, player in enumerate(tree.players):
        mix = vectors[i]
        exact = all(isinstance(v, Fraction) for v in mix)
        # Only plans in the support contribute to Kuhn's sums: index them once, so a profile with
        # a small support costs little however many plans the player has.
        support = [(plan, m) for plan, m in zip(reduced.plans[i], mix, strict=True) if m != 0]
        strategy: dict[str, dict[str, Any]] = {}
        skipped = []
        for infoset in order[player]:
            actions = tree.actions(player, infoset)
            sequence = sequences[(player, infoset)]
            # reach = mu(plans agreeing with the own sequence to the set); weight[a] adds action a.
            reach: Any = Fraction(0)
            weight: dict[str, Any] = dict.fromkeys(actions, Fraction(0))
            for plan, m in support:
                if all(plan.get(s) == a for s, a in sequence):
                    reach += m
                    chosen = plan.get(infoset)
                    if chosen in weight:
                        weight[chosen] += m
            if (exact and reach == 0) or (not exact and reach <= FLOAT_ZERO):
                share = Fraction(1, len(actions)) if exact else 1.0 / len(actions)
                strategy[infoset] = {a: share for a in actions}
                skipped.append(infoset)
                continue
            if exact:
                strategy[infoset] = weight if reach == 1 else {a: w / reach for a, w in weight.items()}
            else:
                strategy[infoset] = {a: float(w / reach) for a, w in weight.items()}
        out[player] = strategy
        unreached[player] = tuple(skipped)
    return BehaviourProfile(out, unreached)
