"""How big a solver's job is, estimated before it starts, and the limit :func:`~deterrence.solve` enforces.

Every registered solver may carry an ``estimate(game)`` (``estimate(game,
inner=...)`` for methods that reduce the game first) returning an
:class:`Estimate`: a number of *work units* and one line saying what was
counted.  A unit is roughly one microsecond of computing or a hundred bytes
of memory, so :data:`DEFAULT_MAX_WORK` (``10**8``) stands for a job of about
a minute and one or two gigabytes.  :func:`check` refuses a job over the
limit with a one-line :class:`~deterrence.errors.SolverError` naming its size
and a method that scales, before any of the work is done.  The estimates
only count; none of them builds what it counts:

* vertex enumeration: McMullen's upper bound on the vertices of the two
  best-response polytopes (a ``d``-polytope with ``N`` facets has at most
  :func:`vertex_bound` ``(N, d)`` vertices; McMullen, 1970);
* support enumeration: the number of bases it may solve, ``C(m + n, m)``
  per polytope (nashpy's: as many support pairs, in pure Python; nashpy's
  vertex enumeration: the product of the two vertex bounds, since it
  compares every pair);
* trees solved through the reduced normal form: the number of reduced pure
  strategies of each player, counted by a recursion over the tree's
  sequences (:func:`reduced_sizes`), then the inner method's estimate on a
  game of that shape;
* everything else: the size of the input (payoff entries or tree nodes).

References
----------
McMullen, P. (1970).  The maximum numbers of faces of a convex polytope.
*Mathematika* 17, 179-184.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from deterrence.errors import SolverError

__all__ = [
    "DEFAULT_MAX_WORK",
    "Estimate",
    "check",
    "count_nodes",
    "reduced_sizes",
    "vertex_bound",
]

#: The default limit on a job's estimated work (about a minute and 1-2 GB; see the module docstring).
DEFAULT_MAX_WORK = 10**8

# Work units per item counted.  McMullen's bound overstates a random game's vertices about tenfold
# (15 x 15: 341,088 bound, ~63,000 found), and a vertex costs ~10-300 us (qhull to exact pivoting), so
# 30 per bounded vertex admits 16 x 16 (13 s, 240 MB measured on a busy 2-core machine) and refuses
# 17 x 17 by default.
_PER_VERTEX = 30
_PER_BASIS = 10
_PER_PROFILE = 2

#: Methods that scale, named when a job is refused (registered by their own modules).
SCALING_2P = "--method lemke-howson or --method lcp (one equilibrium each)"
SCALING_TREE = "--method sequence-form (two-player trees)"


class Estimate(NamedTuple):
    """The estimated size of a job: ``work`` units, and what was counted (one phrase)."""

    work: int
    what: str
    alternatives: str = ""


def _fmt(value: int) -> str:
    """A size for a message: digits with separators, or ``~1e+N`` for counts beyond a float.

    >>> _fmt(12345), _fmt(3 * 10**12), _fmt(10**400)
    ('12,345', '3e+12', '~1e+400')
    """
    if value < 10**9:
        return f"{value:,}"
    if value.bit_length() < 1000:
        return f"{float(value):.2g}"
    return f"~1e+{math.floor(math.log10(value))}"  # log10 takes integers of any size


def vertex_bound(facets: int, dim: int) -> int:
    """McMullen's upper bound on the vertices of a ``dim``-polytope with ``facets`` facets.

    Examples
    --------
    >>> vertex_bound(4, 2), vertex_bound(30, 15)  # a quadrilateral; the polytope P of a 15 x 15 game
    (4, 341088)
    """
    if dim <= 0 or facets <= dim:
        return 1
    return math.comb(facets - (dim + 1) // 2, facets - dim) + math.comb(facets - (dim + 2) // 2, facets - dim)


def vertex_work(m: int, n: int) -> Estimate:
    """Vertex enumeration of an ``m x n`` bimatrix game: both polytopes' vertex bounds.

    Examples
    --------
    >>> print(vertex_work(2, 2).what)
    2x2 game: vertex enumeration may visit up to 8 vertices of the best-response polytopes (McMullen's bound)
    """
    vertices = vertex_bound(m + n, m) + vertex_bound(m + n, n)
    return Estimate(
        vertices * _PER_VERTEX,
        f"{m}x{n} game: vertex enumeration may visit up to {_fmt(vertices)} vertices of the best-response "
        "polytopes (McMullen's bound)",
        SCALING_2P,
    )


def support_work(m: int, n: int) -> Estimate:
    """Support enumeration of an ``m x n`` bimatrix game: every basis of both polytopes."""
    bases = 2 * math.comb(m + n, m)
    return Estimate(
        bases * _PER_BASIS,
        f"{m}x{n} game: support enumeration may solve up to {_fmt(bases)} linear systems",
        SCALING_2P,
    )


def profiles_work(shape: tuple[int, ...], what: str = "pure profiles") -> Estimate:
    """A job proportional to the number of pure profiles (payoff entries) of a normal-form game."""
    count = math.prod(shape)
    size = "x".join(str(s) for s in shape)
    return Estimate(count * len(shape) * _PER_PROFILE, f"{size} game: {_fmt(count)} {what}")


def _shape(game: Any) -> tuple[int, ...]:
    return tuple(len(s) for s in game.strategies)


# -- estimates named in the catalogue -----------------------------------------
def nash_vertex(game: Any) -> Estimate:
    """Estimate for ``nash``/``normal-2p``/``vertex`` (and nashpy's vertex enumeration)."""
    return vertex_work(*_shape(game))


def nash_support(game: Any) -> Estimate:
    """Estimate for ``nash``/``normal-2p``/``support`` and nashpy's support enumeration."""
    return support_work(*_shape(game))


def nashpy_support(game: Any) -> Estimate:
    """Estimate for nashpy's support enumeration: every pair of equal-size supports, in pure Python."""
    m, n = _shape(game)
    pairs = math.comb(m + n, m)
    return Estimate(
        pairs * 100, f"{m}x{n} game: nashpy's support enumeration tries {_fmt(pairs)} support pairs", SCALING_2P
    )


def nashpy_vertex(game: Any) -> Estimate:
    """Estimate for nashpy's vertex enumeration, which compares every vertex of P with every vertex of Q."""
    m, n = _shape(game)
    pairs = vertex_bound(m + n, m) * vertex_bound(m + n, n)
    return Estimate(
        pairs, f"{m}x{n} game: nashpy's vertex enumeration may compare up to {_fmt(pairs)} vertex pairs", SCALING_2P
    )


def normal_profiles(game: Any) -> Estimate:
    """Estimate for solvers linear in the number of pure profiles (pure equilibria)."""
    return profiles_work(_shape(game))


def normal_dominance(game: Any, inner: str | None = None) -> Estimate:
    """Estimate for iterated elimination: up to one LP per strategy and step, each over the opponents' profiles.

    The equilibria of the surviving game are estimated again, on that game, when they are solved.
    """
    shape = _shape(game)
    found = profiles_work(shape, "pure profiles, one LP over them per strategy and elimination step")
    return Estimate(found.work * max(1, sum(shape) ** 2 // 4), found.what)


def normal_size(game: Any) -> Estimate:
    """Fallback for normal-form solvers without their own estimate: the size of the payoff table."""
    return profiles_work(_shape(game), "payoff profiles")


def count_nodes(game: Any) -> int:
    """Number of nodes in a game tree, counted without copying the tree.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> print(count_nodes(ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,)), "y": Terminal((0,))}))))
    3
    """
    count, stack = 0, [game.root]
    while stack:
        node = stack.pop()
        count += 1
        stack.extend(getattr(node, "children", ()))
    return count


def tree_size(game: Any) -> Estimate:
    """Fallback for tree solvers: the number of nodes (counted without copying the tree)."""
    count = count_nodes(game)
    return Estimate(count * 20, f"a tree of {_fmt(count)} nodes", SCALING_TREE)


def reduced_sizes(game: Any) -> tuple[int, ...]:
    """Number of reduced pure strategies of each player of a tree, without building them.

    A reduced strategy fixes an action only at the information sets its own
    earlier actions allow it to reach.  With perfect recall each
    information set ``h`` of a player follows one *sequence* of that
    player's own moves, and the count is ``N(root)`` with ``N(s) = prod over
    sets h following s of (sum over actions a of N(s, h, a))``.  Without
    perfect recall the number of (unreduced) pure strategies, an upper bound,
    is returned for that player.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> leaf = Terminal((0, 0))
    >>> tree = ExtensiveFormGame(["A", "B"], choice("A", "a1", {
    ...     "L": choice("B", "b", {"x": leaf, "y": choice("A", "a2", {"l": leaf, "r": leaf})}),
    ...     "R": leaf}))
    >>> reduced_sizes(tree)  # A: L/l, L/r, R; B: x, y
    (3, 2)
    """
    players = list(game.players)
    index = {p: i for i, p in enumerate(players)}
    parent: list[dict[str, Any]] = [{} for _ in players]  # infoset -> the player's previous (infoset, action)
    actions: list[dict[str, int]] = [{} for _ in players]
    order: list[list[str]] = [[] for _ in players]
    recall = [True] * len(players)
    start = (None,) * len(players)
    stack: list[tuple[Any, tuple[Any, ...]]] = [(game.root, start)]
    while stack:
        node, seqs = stack.pop()
        children = getattr(node, "children", ())
        player = getattr(node, "player", None)
        if player is None or player not in index:  # terminal or chance
            stack.extend((child, seqs) for child in children)
            continue
        i, h = index[player], node.infoset
        if h not in parent[i]:
            parent[i][h] = seqs[i]
            actions[i][h] = len(node.actions)
            order[i].append(h)
        elif parent[i][h] != seqs[i]:
            recall[i] = False
        for action, child in zip(node.actions, children, strict=True):
            stack.append((child, seqs[:i] + ((h, action),) + seqs[i + 1 :]))
    sizes = []
    for i in range(len(players)):
        if not recall[i]:
            sizes.append(math.prod(actions[i].values()))
            continue
        following: dict[Any, list[str]] = {}
        for h in order[i]:
            following.setdefault(parent[i][h], []).append(h)
        value: dict[str, int] = {}
        for h in reversed(order[i]):  # a set's followers come after it in the order of discovery
            value[h] = 0
            for a in game.actions(players[i], h):
                value[h] += math.prod(value[g] for g in following.get((h, a), ()))
        sizes.append(math.prod(value[h] for h in following.get(None, ())))
    return tuple(sizes)


def tree_reduced(game: Any, inner: str | None = None) -> Estimate:
    """Estimate for trees solved through the reduced normal form (nash, pure, dominance)."""
    sizes = reduced_sizes(game)
    shape = "x".join(str(s) for s in sizes)
    profiles = math.prod(sizes)
    build = Estimate(
        profiles * len(sizes) * _PER_PROFILE * 5,
        f"the reduced normal form of this tree is {shape} ({_fmt(profiles)} profiles)",
        SCALING_TREE,
    )
    if len(sizes) != 2 or inner not in (None, "vertex", "vertex-exact", "support", "nashpy", "nashpy-vertex"):
        return build
    solve = support_work(*sizes) if inner in ("support", "nashpy") else vertex_work(*sizes)
    if solve.work <= build.work:
        return build
    return Estimate(solve.work, f"the reduced normal form of this tree is a {solve.what}", SCALING_TREE)


def tree_nash(game: Any, inner: str | None = None) -> Estimate:
    """Estimate for ``nash``/``tree``/``reduced``: the reduced form, then (by default) vertex enumeration."""
    return tree_reduced(game, inner)


def tree_other(game: Any, inner: str | None = None) -> Estimate:
    """Estimate for pure and dominance on trees: building the reduced normal form."""
    return tree_reduced(game, "")


# -- the check -----------------------------------------------------------------
def check(entry: Any, game: Any, inner: str | None, max_work: float) -> Estimate:
    """Estimate the job of ``entry`` on ``game``; raise a one-line SolverError if it exceeds ``max_work``.

    Entries without an estimate get the size of their input.

    Examples
    --------
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> from deterrence.solvers.registry import resolve
    >>> entry, _ = resolve("nash", "normal-2p", "vertex")
    >>> game = NormalFormGame.from_bimatrix([[0] * 40] * 40, [[0] * 40] * 40)
    >>> try:
    ...     check(entry, game, None, DEFAULT_MAX_WORK)
    ... except SolverError as err:
    ...     print(str(err)[:74])
    40x40 game: vertex enumeration may visit up to 1.1e+16 vertices of the bes
    """
    estimate = entry.load_estimate()
    if estimate is None:
        estimate = tree_size if hasattr(game, "root") else normal_size
    found = estimate(game) if entry.inner is None else estimate(game, inner=inner)
    if found.work > max_work:
        instead = f"use {found.alternatives}, or" if found.alternatives else "use"
        raise SolverError(
            f"{found.what}; estimated work {_fmt(int(found.work))} exceeds max_work {_fmt(int(max_work))} "
            f"for method {entry.method!r}: {instead} raise --max-work (max_work=...) to run it anyway"
        )
    return found
