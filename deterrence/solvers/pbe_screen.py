"""A fast exact screen of support profiles, before any system is solved.

With perfect recall every path meets an information set at most once, so
every condition of :mod:`deterrence.solvers.pbe_support` (an action's
expected payoff at a set, times the probability of reaching it) is
*multi-affine*: affine in the distribution at each information set and in
the belief at each set that is not reached.  A multi-affine function on a
product of simplices takes its least and greatest values at vertices, that
is at pure choices (Sherali and Adams 1990, the vertex property used by
branch-and-bound for bilinear programs).  For a support profile, the screen
evaluates every condition at the pure profiles inside the support (closed
simplices, so the test is only necessary) and rejects the profile when

* an equation ``Q(a) = Q(b)`` has its least value above zero or its
  greatest below zero, or
* an inequality ``Q(a) >= Q(b)`` has its greatest value below zero.

Polynomials are dicts ``{frozenset of variable ids: Fraction}`` over one
variable per (information set, action) and per (information set, node) for
beliefs; restricting to a support drops the monomials with an action
outside it and removes the variables of one-action sets (they equal one).
Nothing here decides that a profile *is* feasible: survivors go to the
exact solver.

References
----------
Sherali, H. D. and Adams, W. P. (1990). A hierarchy of relaxations between
the continuous and convex hull representations for zero-one programming
problems. SIAM Journal on Discrete Mathematics 3, 411-430.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import product

from deterrence.forms.extensive_form import Chance, Decision, Terminal
from deterrence.solvers.pbe_tree import TreeIndex, deviation_plans, own_below

__all__ = ["Screen"]

Path = tuple[str, ...]
Poly = dict[frozenset, Fraction]

#: Most vertices evaluated per condition; beyond this the condition is not screened.
MAX_VERTICES = 512


def _times(p: Poly, q: Poly) -> Poly:
    out: Poly = {}
    for m, c in p.items():
        for n, d in q.items():
            key = m | n
            out[key] = out.get(key, 0) + c * d
    return {m: c for m, c in out.items() if c != 0}


def _plus(p: Poly, q: Poly, scale: Fraction | int = 1) -> Poly:
    out = dict(p)
    for m, c in q.items():
        out[m] = out.get(m, 0) + scale * c
    return {m: c for m, c in out.items() if c != 0}


class Screen:
    """Every condition of every support profile, as multi-affine polynomials, and the vertex test.

    Examples
    --------
    In the entry game "fight" can never be a best reply, so the profile
    where the incumbent fights is screened out:

    >>> from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
    >>> entry = ExtensiveFormGame(["E", "I"], choice("E", "e", {"out": Terminal((0, 2)),
    ...     "in": choice("I", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))})}))
    >>> screen = Screen(TreeIndex(entry))
    >>> screen.rejects([("in",), ("fight",)]), screen.rejects([("in",), ("accommodate",)])
    (True, False)
    """

    def __init__(self, index: TreeIndex) -> None:
        self.index = index
        self.below = own_below(index)
        self.var: dict[tuple, int] = {}
        self.block: list[int] = []  # block (information set position) of each variable
        self.owner: list[object] = []  # the action (or node) each variable stands for
        for k, info in enumerate(index.infos):
            for a in info.actions:
                self._new(("a", k, a), k, a)
        n = len(index.infos)
        for k, info in enumerate(index.infos):
            for x in info.nodes:
                self._new(("m", k, x), n + k, x)
        players = len(index.players)
        values: dict[Path, list[Poly]] = {}
        for path in sorted(index.nodes, key=len, reverse=True):
            node = index.nodes[path]
            if isinstance(node, Terminal):
                values[path] = [{frozenset(): Fraction(v)} if v != 0 else {} for v in node.payoffs]
                continue
            total: list[Poly] = [{} for _ in range(players)]
            for i, a in enumerate(node.actions):
                child = values[path + (a,)]
                if isinstance(node, Chance):
                    p = Fraction(node.probabilities[i])
                    if p == 0:
                        continue
                    total = [_plus(t, c, p) for t, c in zip(total, child, strict=True)]
                else:
                    k = index.position[(node.player, node.infoset)]
                    mono = {frozenset((self.var[("a", k, a)],)): Fraction(1)}
                    total = [_plus(t, _times(mono, c)) for t, c in zip(total, child, strict=True)]
            values[path] = total
        # For each set: reached form sum_x R(x) Q(x, a) and belief form sum_x mu_x Q(x, a), per action.
        self.reached_q: list[dict[str, Poly]] = []
        self.belief_q: list[dict[str, Poly]] = []
        for k, info in enumerate(index.infos):
            player = index.players.index(info.player)
            reached: dict[str, Poly] = {}
            believed: dict[str, Poly] = {}
            for a in info.actions:
                r: Poly = {}
                b: Poly = {}
                for x in info.nodes:
                    v = values[x + (a,)][player]
                    r = _plus(r, _times(self._reach(x, len(info.anchor)), v))
                    b = _plus(b, _times({frozenset((self.var[("m", k, x)],)): Fraction(1)}, v))
                reached[a], believed[a] = r, b
            if len(info.nodes) == 1:  # one node: its belief is one whatever the reach
                believed = {a: values[info.nodes[0] + (a,)][player] for a in info.actions}
            self.reached_q.append(reached)
            self.belief_q.append(believed)

    def _new(self, key: tuple, block: int, owner: object) -> None:
        self.var[key] = len(self.block)
        self.block.append(block)
        self.owner.append(owner)

    def _reach(self, path: Path, start: int) -> Poly:
        poly: Poly = {frozenset(): Fraction(1)}
        for k in range(start + 1, len(path) + 1):
            parent = self.index.nodes[path[: k - 1]]
            a = path[k - 1]
            if isinstance(parent, Chance):
                p = Fraction(parent.probabilities[parent.actions.index(a)])
                poly = {m: c * p for m, c in poly.items() if c * p != 0}
            elif isinstance(parent, Decision):
                j = self.index.position[(parent.player, parent.infoset)]
                poly = {m | {self.var[("a", j, a)]}: c for m, c in poly.items()}
        return poly

    def conditions(self, support: Sequence[tuple[str, ...]]) -> tuple[list[Poly], list[Poly]] | None:
        """``(equations, inequalities)`` of a support profile, restricted to it; None when a constant one fails."""
        index = self.index
        dead = {
            self.var[("a", k, a)] for k, info in enumerate(index.infos) for a in info.actions if a not in support[k]
        }
        ones = {self.var[("a", k, s[0])] for k, s in enumerate(support) if len(s) == 1}

        def positive(info: object, action: str) -> bool:
            return action in support[index.position[(info.player, info.name)]]  # type: ignore[attr-defined]

        equations: list[Poly] = []
        inequalities: list[Poly] = []
        reached = [index.reached(info, positive) for info in index.infos]
        for k, info in enumerate(index.infos):
            table = self.reached_q[k] if reached[k] else self.belief_q[k]
            q = {a: _restrict(p, dead, ones) for a, p in table.items()}
            chosen = support[k]
            for a in chosen[1:]:
                e = _plus(q[a], q[chosen[0]], -1)
                if e and len(e) == 1 and frozenset() in e:
                    return None
                equations.append(e)
            for b in info.actions:
                if b not in chosen:
                    g = _plus(q[chosen[0]], q[b], -1)
                    if len(g) == 1 and g.get(frozenset(), 0) < 0:
                        return None
                    inequalities.append(g)
                for plan in deviation_plans(index, self.below, k, b, b in chosen, reached):
                    sets = {self.var[("a", j, c)]: c == a for j, a in plan.items() for c in index.infos[j].actions}
                    chosen_dead = (dead - sets.keys()) | {v for v, on in sets.items() if not on}
                    chosen_ones = (ones - sets.keys()) | {v for v, on in sets.items() if on}
                    g = _plus(q[chosen[0]], _restrict(table[b], chosen_dead, chosen_ones), -1)
                    if len(g) == 1 and g.get(frozenset(), 0) < 0:
                        return None
                    inequalities.append(g)
        return equations, inequalities

    def rejects(self, support: Sequence[tuple[str, ...]]) -> bool:
        """True when some condition of the support profile fails at every point (a proof of emptiness).

        Equations in the single free probability (or belief) of one two-way
        choice are solved and substituted first, repeatedly.
        """
        found = self.conditions(support)
        if found is None:
            return True
        equations, inequalities = found
        while True:
            solved = self._univariate(equations, support)
            if solved is None:
                return True
            if not solved:
                break
            equations = [e for e in (_substitute(e, solved) for e in equations) if e]
            inequalities = [_substitute(g, solved) for g in inequalities]
            if any(len(e) == 1 and frozenset() in e for e in equations):
                return True
        for g in inequalities:
            bounds = self._bounds(g, support)
            if bounds is not None and bounds[1] < 0:
                return True
        for e in equations:
            bounds = self._bounds(e, support)
            if bounds is not None and (bounds[0] > 0 or bounds[1] < 0):
                return True
        return False

    def _univariate(self, equations: list[Poly], support: Sequence[tuple[str, ...]]) -> dict[int, Fraction] | None:
        """Values fixed by equations in one two-way block (``{variable: value}``); None when one is impossible."""
        n = len(self.index.infos)
        for e in equations:
            used = {v for m in e for v in m}
            blocks = {self.block[v] for v in used}
            if len(blocks) != 1:
                continue
            (b,) = blocks
            if b < n:
                pair = [self.var[("a", b, a)] for a in support[b]]
                strict = True
            else:
                pair = [self.var[("m", b - n, x)] for x in self.index.infos[b - n].nodes]
                strict = False
            if len(pair) != 2:
                continue
            u, w = pair
            alpha = e.get(frozenset((u,)), Fraction(0))
            beta = e.get(frozenset((w,)), Fraction(0))
            gamma = e.get(frozenset(), Fraction(0))
            # alpha p + beta (1 - p) + gamma = 0
            if alpha == beta:
                return None if beta + gamma != 0 else {}
            p = -(beta + gamma) / (alpha - beta)
            if (strict and not 0 < p < 1) or not 0 <= p <= 1:
                return None
            return {u: p, w: 1 - p}
        return {}

    def _bounds(self, poly: Poly, support: Sequence[tuple[str, ...]]) -> tuple[Fraction, Fraction] | None:
        """Least and greatest value of a multi-affine polynomial over the closed support simplices."""
        blocks: dict[int, list[int]] = {}
        for m in poly:
            for v in m:
                blocks.setdefault(self.block[v], [])
        n = len(self.index.infos)
        choices = []
        size = 1
        for b in blocks:
            if b < n:
                options = [self.var[("a", b, a)] for a in support[b]]
            else:
                options = [self.var[("m", b - n, x)] for x in self.index.infos[b - n].nodes]
            choices.append(options)
            size *= len(options)
            if size > MAX_VERTICES:
                return None
        low = high = None
        for vertex in product(*choices):
            chosen = frozenset(vertex)
            value = sum((c for m, c in poly.items() if m <= chosen), Fraction(0))
            low = value if low is None or value < low else low
            high = value if high is None or value > high else high
        return (low if low is not None else Fraction(0)), (high if high is not None else Fraction(0))


def _restrict(poly: Poly, dead: set[int], ones: set[int]) -> Poly:
    out: Poly = {}
    for m, c in poly.items():
        if m & dead:
            continue
        key = m - ones
        out[key] = out.get(key, 0) + c
    return {m: c for m, c in out.items() if c != 0}


def _substitute(poly: Poly, values: dict[int, Fraction]) -> Poly:
    out: Poly = {}
    for m, c in poly.items():
        for v in m.intersection(values):
            c = c * values[v]
        if c == 0:
            continue
        key = m.difference(values)
        out[key] = out.get(key, 0) + c
    return {m: c for m, c in out.items() if c != 0}
