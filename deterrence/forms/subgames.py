"""Perfect recall, subgames, and payoffs of behaviour profiles in game trees.

Let :math:`h` be a decision node of player :math:`i`.  Its *own history*
:math:`X_i(h)` is the sequence of pairs (information set, action) of player
:math:`i` on the path from the root to :math:`h`.  Player :math:`i` has
*perfect recall* (Kuhn 1953) when every two nodes of one of her information
sets have the same own history; in particular no path meets one of her
information sets twice (that would be *absent-mindedness*, Piccione and
Rubinstein 1997).

A non-terminal node :math:`x` roots a *subgame* (Selten 1965) when every
information set lies either entirely inside or entirely outside the subtree
of :math:`x`.  A behaviour profile is a subgame-perfect equilibrium when it is
a Nash equilibrium of every subgame; :func:`subgame_regrets` checks exactly
that, by computing each player's best-response value in each subgame.

Best responses use the sequence decomposition of a perfect-recall player:
with :math:`w(z)` the probability that chance and the other players reach a
terminal :math:`z`, the value of a sequence :math:`\\sigma` of player
:math:`i` is

.. math:: V(\\sigma) = \\sum_{z:\\, \\sigma_i(z) = \\sigma} w(z)\\, u_i(z)
          + \\sum_{I:\\, \\sigma_i(I) = \\sigma} \\max_a V(\\sigma a),

and the best-response value is :math:`V(\\emptyset)`.  Arithmetic is exact for
exact games and behaviour probabilities.

Behaviour profiles have the extensive JSON shape
``{player: {information set: {action: probability}}}``; missing actions have
probability zero.

References
----------
Kuhn, H. W. (1953). Extensive games and the problem of information.
Selten, R. (1965). Spieltheoretische Behandlung eines Oligopolmodells mit
Nachfrageträgheit.  Piccione, M. and Rubinstein, A. (1997). On the
interpretation of decision problems with imperfect recall.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from deterrence.errors import GameError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal

__all__ = [
    "infoset_nodes",
    "own_histories",
    "perfect_recall_violations",
    "has_perfect_recall",
    "subgame_roots",
    "subgame",
    "expected_payoffs",
    "best_response_value",
    "best_sequence_value",
    "subgame_regrets",
]

Path = tuple[str, ...]
Behaviour = Mapping[str, Mapping[str, Mapping[str, Any]]]


def path_label(path: Sequence[str]) -> str:
    """Readable name of a node path: ``"root"`` or the actions joined by ``/``."""
    return "/".join(path) if path else "root"


def infoset_nodes(game: ExtensiveFormGame) -> dict[tuple[str, str], list[Path]]:
    """Paths of the nodes in each information set, keyed by ``(player, infoset)``, in preorder.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A", "B"], choice("A", "a", {
    ...     "l": choice("B", "b", {"x": Terminal((1, 0)), "y": Terminal((0, 1))}),
    ...     "r": choice("B", "b", {"x": Terminal((0, 1)), "y": Terminal((1, 0))})}))
    >>> infoset_nodes(g)[("B", "b")]
    [('l',), ('r',)]
    """
    nodes: dict[tuple[str, str], list[Path]] = {}
    for node, path in game.walk():
        if isinstance(node, Decision):
            nodes.setdefault((node.player, node.infoset), []).append(path)
    return nodes


def own_histories(game: ExtensiveFormGame) -> dict[Path, tuple[tuple[str, str], ...]]:
    """Own history of every decision node: the mover's earlier ``(infoset, action)`` pairs.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A"], choice("A", "a", {
    ...     "go": choice("A", "b", {"x": Terminal((1,)), "y": Terminal((0,))}),
    ...     "stop": Terminal((2,))}))
    >>> own_histories(g)[("go",)]
    (('a', 'go'),)
    """
    out: dict[Path, tuple[tuple[str, str], ...]] = {}
    empty: dict[str, tuple[tuple[str, str], ...]] = {p: () for p in game.players}
    stack: list[tuple[Node, Path, dict]] = [(game.root, (), empty)]
    while stack:
        node, path, histories = stack.pop()
        if isinstance(node, Terminal):
            continue
        if isinstance(node, Decision):
            out[path] = histories[node.player]
        for action, child in zip(node.actions, node.children, strict=True):
            nxt = histories
            if isinstance(node, Decision):
                nxt = {**histories, node.player: histories[node.player] + ((node.infoset, action),)}
            stack.append((child, path + (action,), nxt))
    return out


def perfect_recall_violations(game: ExtensiveFormGame) -> list[str]:
    """Describe every failure of perfect recall (empty list when the game has perfect recall).

    Two kinds are reported, once per information set: *absent-mindedness*
    (a path meets the set twice) and *forgetting* (two nodes of the set differ
    in the player's own earlier information sets or actions).

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> driver = ExtensiveFormGame(["Driver"], choice("Driver", "x", {
    ...     "exit": Terminal((0,)),
    ...     "continue": choice("Driver", "x", {"exit": Terminal((4,)),
    ...                                        "continue": Terminal((1,))})}))
    >>> perfect_recall_violations(driver)
    ["Driver's information set 'x' is met twice on the path to continue (absent-minded)"]
    """
    return [message for _, message in _violations(game)]


def _violations(game: ExtensiveFormGame) -> list[tuple[str, str]]:
    histories = own_histories(game)
    messages = []
    for (player, infoset), paths in infoset_nodes(game).items():
        repeated = [p for p in paths if any(i == infoset for i, _ in histories[p])]
        if repeated:
            messages.append(
                (
                    player,
                    f"{player}'s information set {infoset!r} is met twice on the path to "
                    f"{path_label(repeated[0])} (absent-minded)",
                )
            )
            continue
        first = histories[paths[0]]
        for other in paths[1:]:
            if histories[other] != first:
                messages.append(
                    (
                        player,
                        f"{player} forgets at information set {infoset!r}: own history at "
                        f"{path_label(paths[0])} is {_history_text(first)}, at {path_label(other)} "
                        f"it is {_history_text(histories[other])}",
                    )
                )
                break
    return messages


def _history_text(history: Sequence[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"{i}:{a}" for i, a in history) + "]"


def has_perfect_recall(game: ExtensiveFormGame) -> bool:
    """True when every player has perfect recall (see :func:`perfect_recall_violations`).

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), "y": Terminal((0,))}))
    >>> has_perfect_recall(g)
    True
    """
    return not perfect_recall_violations(game)


def subgame_roots(game: ExtensiveFormGame) -> list[Path]:
    """Paths of the non-terminal nodes that root a subgame, the root first, in preorder.

    A node qualifies when every information set is entirely inside or entirely
    outside its subtree.  An information set with several nodes spoils exactly
    the ancestors of its nodes that are not ancestors of all of them (the
    nodes below their longest common path prefix), which this function marks.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> bos = choice("A", "a", {
    ...     "opera": choice("B", "b", {"opera": Terminal((2, 1)), "fight": Terminal((0, 0))}),
    ...     "fight": choice("B", "b", {"opera": Terminal((0, 0)), "fight": Terminal((1, 2))})})
    >>> g = ExtensiveFormGame(["A", "B"], choice("A", "o", {"out": Terminal((1, 3)), "in": bos}))
    >>> subgame_roots(g)
    [(), ('in',)]
    """
    spoiled: set[Path] = set()
    for paths in infoset_nodes(game).values():
        if len(paths) < 2:
            continue
        common = len(paths[0])  # length of the longest common prefix of all the paths
        for p in paths[1:]:
            k = 0
            while k < min(common, len(p)) and paths[0][k] == p[k]:
                k += 1
            common = k
        for p in paths:
            for k in range(common + 1, len(p) + 1):
                spoiled.add(p[:k])
    return [path for node, path in game.walk() if not isinstance(node, Terminal) and path not in spoiled]


def subgame(game: ExtensiveFormGame, path: Sequence[str]) -> ExtensiveFormGame:
    """The subgame rooted at ``path`` as a game of its own (same players).

    Raises
    ------
    GameError
        If the node at ``path`` is terminal or does not root a subgame.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A", "B"], choice("A", "a", {"out": Terminal((0, 2)),
    ...     "in": choice("B", "b", {"fight": Terminal((-1, -1)), "yield": Terminal((1, 1))})}))
    >>> len(subgame(g, ["in"]).terminals())
    2
    """
    path = tuple(path)
    if path not in subgame_roots(game):
        raise GameError(f"the node at {path_label(path)} does not root a proper subgame")
    title = f"{game.title} subgame at {path_label(path)}".strip()
    return ExtensiveFormGame(game.players, game.node_at(path), title)


def _prob(behaviour: Behaviour, player: str, infoset: str, action: str) -> Any:
    try:
        table = behaviour[player][infoset]
    except KeyError:
        raise GameError(f"behaviour profile has no strategy for {player} at {infoset!r}") from None
    return table.get(action, 0)


def _moves(node: Chance | Decision, behaviour: Behaviour) -> Iterator[tuple[Node, Any]]:
    """``(child, probability)`` for each move of ``node`` played with positive probability."""
    for index, (action, child) in enumerate(zip(node.actions, node.children, strict=True)):
        if isinstance(node, Chance):
            p = node.probabilities[index]
        else:
            p = _prob(behaviour, node.player, node.infoset, action)
        if p != 0:
            yield child, p


def expected_payoffs(game: ExtensiveFormGame, behaviour: Behaviour, root: Sequence[str] = ()) -> tuple:
    """Expected payoff of each player under a behaviour profile, from the node at ``root``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), "y": Terminal((0,))}))
    >>> print(expected_payoffs(g, {"A": {"a": {"x": Fraction(1, 3), "y": Fraction(2, 3)}}})[0])
    1/3
    """
    n = game.n_players
    totals: list[Any] = [0] * n
    stack: list[tuple[Node, Any]] = [(game.node_at(root), 1)]
    while stack:
        node, weight = stack.pop()
        if isinstance(node, Terminal):
            for k in range(n):
                totals[k] += weight * node.payoffs[k]
            continue
        for child, p in _moves(node, behaviour):
            stack.append((child, weight * p))
    return tuple(totals)


def best_response_value(game: ExtensiveFormGame, behaviour: Behaviour, player: str, root: Sequence[str] = ()) -> Any:
    """Best payoff ``player`` can get from ``root`` against the others' behaviour.

    Uses the sequence decomposition in the module docstring, which is valid
    because ``player`` is required to have perfect recall.

    Raises
    ------
    GameError
        If ``player`` lacks perfect recall (then best responses need not
        decompose over information sets).

    Examples
    --------
    >>> from fractions import Fraction
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> mp = ExtensiveFormGame(["A", "B"], choice("A", "a", {
    ...     "h": choice("B", "b", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}),
    ...     "t": choice("B", "b", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))})}))
    >>> half = {"h": Fraction(1, 2), "t": Fraction(1, 2)}
    >>> print(best_response_value(mp, {"A": {"a": half}, "B": {"b": {"h": 1, "t": 0}}}, "A"))
    1
    """
    if player not in game.players:
        raise GameError(f"unknown player {player!r}")
    bad = [m for p, m in _violations(game) if p == player]
    if bad:
        raise GameError(f"best responses need perfect recall: {bad[0]}")
    return _best_response_value(game, behaviour, player, tuple(root))


def _best_response_value(game: ExtensiveFormGame, behaviour: Behaviour, player: str, root: Path) -> Any:
    k = game.players.index(player)
    contrib: dict[Any, Any] = {}
    after: dict[Any, dict[str, tuple[str, ...]]] = {}
    # Sequences are keyed by their last (infoset, action); perfect recall makes that unique.
    stack: list[tuple[Node, Any, Any]] = [(game.node_at(root), 1, None)]
    while stack:
        node, weight, seq = stack.pop()
        if isinstance(node, Terminal):
            contrib[seq] = contrib.get(seq, 0) + weight * node.payoffs[k]
            continue
        if isinstance(node, Decision) and node.player == player:
            after.setdefault(seq, {})[node.infoset] = node.actions
            for action, child in zip(node.actions, node.children, strict=True):
                stack.append((child, weight, (node.infoset, action)))
            continue
        for child, p in _moves(node, behaviour):
            stack.append((child, weight * p, seq))

    return best_sequence_value(contrib, after)


def best_sequence_value(contrib: Mapping[Any, Any], after: Mapping[Any, Mapping[str, Sequence[str]]]) -> Any:
    """Best total over a player's sequences: the sequence decomposition's recursion.

    ``contrib[seq]`` is the payoff weight collected at terminals right after the
    sequence ``seq`` (keyed by its last ``(infoset, action)``, None for the empty
    sequence); ``after[seq]`` maps each of the player's next information sets to
    its actions.  The value of a sequence is its own contribution plus, for each
    next information set, the best action's value.

    Examples
    --------
    >>> contrib = {("a", "l"): 1, ("a", "r"): 3, None: 2}
    >>> print(best_sequence_value(contrib, {None: {"a": ("l", "r")}}))
    5
    """

    def value(seq: Any) -> Any:
        total = contrib.get(seq, 0)
        for infoset, actions in after.get(seq, {}).items():
            total += max(value((infoset, a)) for a in actions)
        return total

    return value(None)


def subgame_regrets(
    game: ExtensiveFormGame, behaviour: Behaviour, roots: Sequence[Path] | None = None
) -> dict[Path, tuple]:
    """Each player's regret (best-response value minus payoff) in every subgame.

    A profile is a subgame-perfect equilibrium exactly when every regret is
    at most zero (exact games) or at most a tolerance (float games).

    Examples
    --------
    >>> from deterrence.forms.extensive_form import Terminal, choice
    >>> g = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)),
    ...                             "accommodate": Terminal((1, 1))})}))
    >>> nash = {"E": {"e": {"out": 1}}, "I": {"i": {"fight": 1}}}
    >>> {path_label(p): [int(r) for r in v] for p, v in subgame_regrets(g, nash).items()}
    {'root': [0, 0], 'in': [0, 2]}
    """
    violations = _violations(game)
    if violations:
        raise GameError(f"subgame regrets need perfect recall: {violations[0][1]}")
    roots = subgame_roots(game) if roots is None else roots
    out = {}
    for root in roots:
        values = expected_payoffs(game, behaviour, root)
        out[tuple(root)] = tuple(
            _best_response_value(game, behaviour, p, tuple(root)) - values[k] for k, p in enumerate(game.players)
        )
    return out
