"""Thresholds: where the equilibrium outcome switches along one parameter.

Hold every parameter but :math:`\\theta` at a baseline and let :math:`\\ell(\\theta)`
be the model's outcome label.  A *threshold* is a point where
:math:`\\ell` changes.  It is found in three steps:

1. **Scan** :math:`\\ell` on a grid of :math:`\\theta` and keep every pair of
   neighbours with different labels (a bracket).
2. **Bisect** each bracket on the label alone (all brackets in one batched
   model call per step) until it is narrower than ``bracket_tol``.  A third
   label met at a midpoint splits the bracket in two, so narrow regimes
   between grid points are not lost.
3. **Refine** with :func:`scipy.optimize.brentq` on an *indifference
   condition* :math:`g(\\theta) = 0` that changes sign across the bracket.
   Candidates come from the parametric game: for a normal form, the payoff
   differences :math:`u_i(s, t) - u_i(s', t)` between two strategies of a
   player against a pure profile of the others, and for two players the
   conditions under which a third strategy earns as much as two that the
   opponent's two-strategy mix makes indifferent; for a tree, the
   differences between the continuation values of two actions at a node,
   computed by symbolic backward induction at the bracket's ends.  Callers
   may add their own conditions.

Where a condition brackets the switch, sympy solves
:math:`g(\\theta) = 0` for :math:`\\theta` in terms of the other parameters
(the *symbolic threshold*, e.g. ``crash_cost = face_loss`` in Chicken),
evaluates it at the baseline and checks that it agrees with the numeric
root and lies in the bisection bracket, which was found from the model's own
solver -- and, since two conditions can vanish together at the baseline by
coincidence, that the outcome switches at the formula's value at 20 random
points near the baseline (:mod:`deterrence.analysis.threshold_check`).
Disagreement is reported, never hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError

__all__ = [
    "Threshold",
    "bisect_labels",
    "find_thresholds",
    "indifference_conditions",
    "symbolic_threshold",
]


@dataclass(frozen=True, eq=False)
class Threshold:
    """One switch of the outcome along ``parameter``.

    Attributes
    ----------
    parameter : str
    value : float
        Numeric threshold (the ``brentq`` root, or the bisection midpoint).
    bracket : (float, float)
        Interval, found from the model's outcomes alone, that contains the switch.
    left, right : str
        Outcome labels just below and just above.
    method : str
        ``"brentq"`` or ``"bisection"``.
    condition : sympy expression or None
        The indifference condition ``condition == 0`` that holds at the threshold.
    formula : sympy expression or None
        ``parameter = formula`` in terms of the other parameters.
    symbolic_value : float or None
        ``formula`` at the baseline.
    agree : bool or None
        Whether the symbolic and numeric values agree (None without a formula).
    notes : tuple of str
    """

    parameter: str
    value: float
    bracket: tuple[float, float]
    left: str
    right: str
    method: str
    condition: Any = None
    formula: Any = None
    symbolic_value: float | None = None
    agree: bool | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        """The threshold as plain text, e.g. ``crash_cost = face_loss``."""
        import sympy

        if self.formula is not None:
            return f"{self.parameter} = {sympy.sstr(self.formula)}"
        return f"{self.parameter} ~= {self.value:.12g}"

    @property
    def latex(self) -> str:
        """The threshold in LaTeX (``sympy.latex``)."""
        import sympy

        lhs = sympy.Symbol(self.parameter)
        rhs = self.formula if self.formula is not None else sympy.Float(self.value, 12)
        equation = sympy.Eq(lhs, rhs, evaluate=False)
        # Multi-letter names are words, not a letter with a subscript: crash_cost, not crash_{cost}.
        names = {s: r"\mathrm{" + str(s).replace("_", r"\_") + "}" for s in equation.free_symbols if len(str(s)) > 1}
        return sympy.latex(equation, symbol_names=names)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        import sympy

        return {
            "parameter": self.parameter,
            "value": self.value,
            "bracket": list(self.bracket),
            "left": self.left,
            "right": self.right,
            "method": self.method,
            "condition": None if self.condition is None else f"{sympy.sstr(self.condition)} = 0",
            "formula": self.text if self.formula is not None else None,
            "latex": self.latex,
            "symbolic_value": self.symbolic_value,
            "agree": self.agree,
            "notes": list(self.notes),
        }


def bisect_labels(
    evaluate: Callable[[np.ndarray], np.ndarray],
    lo: Any,
    hi: Any,
    lo_label: Any,
    hi_label: Any,
    xtol: float = 1e-12,
    max_iter: int = 200,
) -> list[tuple[float, float, str, str]]:
    """Shrink label-change brackets by bisection, all brackets per call of ``evaluate``.

    ``evaluate(values) -> labels`` is called with one array of midpoints per
    step.  A midpoint whose label matches neither end splits its bracket.

    Returns
    -------
    list of (lo, hi, lo_label, hi_label), sorted by ``lo``, each ``hi - lo <= xtol * max(1, |lo|)``.

    Examples
    --------
    >>> f = lambda v: np.where(v < 0.3, "a", np.where(v < 0.30001, "b", "c"))
    >>> [(round(l, 6), a, b) for l, h, a, b in bisect_labels(f, [0.0], [1.0], ["a"], ["c"])]
    [(0.3, 'a', 'b'), (0.30001, 'b', 'c')]
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    ll, hl = np.array(lo_label, dtype=object), np.array(hi_label, dtype=object)
    for _ in range(max_iter):
        wide = (hi - lo) > xtol * np.maximum(1.0, np.abs(lo))
        if not wide.any():
            break
        mid = (lo[wide] + hi[wide]) / 2
        labels = np.asarray(evaluate(mid), dtype=object)
        same_lo, same_hi = labels == ll[wide], labels == hl[wide]
        third = ~same_lo & ~same_hi
        idx = np.flatnonzero(wide)
        new = (mid[third], hi[idx[third]].copy(), labels[third], hl[idx[third]].copy())
        lo[idx[same_lo]] = mid[same_lo]
        hi[idx[~same_lo]] = mid[~same_lo]  # same_hi, or the lower half of a split bracket
        hl[idx[third]] = labels[third]
        lo, hi = np.concatenate([lo, new[0]]), np.concatenate([hi, new[1]])
        ll, hl = np.concatenate([ll, new[2]]), np.concatenate([hl, new[3]])
    order = np.argsort(lo, kind="stable")
    return [(float(lo[k]), float(hi[k]), str(ll[k]), str(hl[k])) for k in order]


def symbolic_threshold(condition: Any, parameter: str) -> list[Any]:
    """Solve ``condition == 0`` for ``parameter`` with sympy; ``[]`` when sympy cannot.

    Examples
    --------
    >>> import sympy
    >>> c, f = sympy.symbols("crash_cost face_loss", real=True)
    >>> symbolic_threshold(f - c, "crash_cost")
    [face_loss]
    """
    import sympy

    symbol = next((s for s in condition.free_symbols if str(s) == parameter), None)
    if symbol is None:
        return []
    try:
        return [s for s in sympy.solve(condition, symbol) if s.is_real is not False]
    except (NotImplementedError, ValueError, TypeError):  # sympy gives up on some conditions
        return []


def _canonical(conditions: Iterable[Any], parameter: str | None = None) -> list[Any]:
    """Expanded conditions, de-duplicated up to sign, simplest first; those with ``parameter``."""
    import sympy

    seen, out = set(), []
    for condition in conditions:
        expr = sympy.expand(sympy.sympify(condition))
        if not expr.free_symbols or (parameter and not any(str(s) == parameter for s in expr.free_symbols)):
            continue
        key = min(sympy.srepr(expr), sympy.srepr(-expr))
        if key not in seen:
            seen.add(key)
            out.append(expr)
    return sorted(out, key=sympy.count_ops)


def indifference_conditions(game: Any, point: Mapping[str, float] | None = None) -> list[Any]:
    """Candidate indifference conditions (expressions ``== 0``) of a parametric game.

    For a tree the conditions depend on the strategies below each node, so a
    ``point`` (parameter values) fixes the backward-induction choices.

    Examples
    --------
    >>> from games.classic import chicken
    >>> [str(c) for c in indifference_conditions(chicken())]
    ['win', '-crash_cost + face_loss']
    """
    from deterrence.forms.extensive_form import ExtensiveFormGame

    if isinstance(game, ExtensiveFormGame):
        return _canonical(_tree_conditions(game, point or {}))
    payoffs = np.asarray(game.payoffs, dtype=object)
    shape, out = payoffs.shape[:-1], []
    for i, n in enumerate(shape):
        u = np.moveaxis(payoffs[..., i], i, 0)
        out += [d for s in range(n) for t in range(s) for d in (u[s] - u[t]).flat]
    if len(shape) == 2:
        a, b = (
            payoffs[..., 0],
            payoffs[..., 1].T,
        )  # b: column player's payoffs with own strategy first
        for p in (a, b):
            m, k = p.shape
            for i in range(m):
                for j in range(i):
                    for c in range(k):
                        for d in range(c):
                            dc, dd = p[i, c] - p[j, c], p[i, d] - p[j, d]
                            out += [
                                dd * (p[r, c] - p[i, c]) - dc * (p[r, d] - p[i, d]) for r in range(m) if r not in (i, j)
                            ]
    return _canonical(c for c in out if hasattr(c, "free_symbols"))


def _tree_conditions(game: Any, point: Mapping[str, float]) -> list[Any]:
    """Value differences between actions at each decision node, under the choices at ``point``."""
    from deterrence.forms.extensive_form import Chance, Terminal

    values = {name: float(v) for name, v in point.items()}
    out: list[Any] = []

    def number(expr: Any) -> float:
        if not hasattr(expr, "free_symbols"):
            return float(expr)
        return float(expr.xreplace({s: values.get(str(s), 0.0) for s in expr.free_symbols}))

    def solve(node: Any) -> tuple[Any, ...]:
        if isinstance(node, Terminal):
            return node.payoffs
        children = [solve(c) for c in node.children]
        if isinstance(node, Chance):
            return tuple(
                sum(p * c[k] for p, c in zip(node.probabilities, children, strict=True)) for k in range(game.n_players)
            )
        k = game.players.index(node.player)
        out.extend(children[a][k] - children[b][k] for a in range(len(children)) for b in range(a))
        return children[int(np.argmax([number(c[k]) for c in children]))]

    solve(game.root)
    return [c for c in out if hasattr(c, "free_symbols") and c.free_symbols]


def find_thresholds(
    model: Any,
    parameter: str,
    *,
    low: float | None = None,
    high: float | None = None,
    n: int = 201,
    baseline: Mapping[str, Any] | None = None,
    concept: str | None = None,
    conditions: Iterable[Any] = (),
    symbolic: bool = True,
    bracket_tol: float = 1e-10,
    merge_tol: float = 1e-6,
    executor: Any = None,
) -> list[Threshold]:
    """Every switch of the model's outcome along ``parameter`` in ``[low, high]``.

    Parameters
    ----------
    model : Model
    parameter : str
    low, high : float, optional
        Scan range (the parameter's bounds by default).
    n : int
        Grid points of the scan; switches closer together than a grid step
        can hide from the scan (but not from bisection once bracketed).
    baseline : mapping, optional
        Values of the other parameters.
    concept : str, optional
    conditions : iterable of sympy expressions
        Extra candidate indifference conditions ``expr == 0``.
    symbolic : bool
        Look for candidate conditions in the parametric game (``model.build()``).
    bracket_tol : float
        Relative width to which brackets are bisected.
    merge_tol : float
        Switches closer than this (relative) are one threshold: the solvers
        treat payoffs within their tolerance as ties, so a degenerate
        boundary shows as a thin band of other labels, which is reported in
        the threshold's notes.
    executor : concurrent.futures.Executor, optional

    Returns
    -------
    list of Threshold, in increasing order.

    Examples
    --------
    >>> from deterrence.model import Model
    >>> from deterrence.analysis.outcomes import normal_form_outcomes
    >>> from games.classic import chicken, CHICKEN_PARAMETERS
    >>> f = normal_form_outcomes(chicken)
    >>> m = Model("chicken", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=f)
    >>> [t] = find_thresholds(m, "crash_cost", baseline={"face_loss": 2.5}, high=20)
    >>> print(t.text, round(t.value, 12), t.agree)
    crash_cost = face_loss 2.5 True
    """
    from deterrence.sweeps.run import evaluate_points

    p = model.parameters[parameter]
    low = float(p.low) if low is None else float(p.validate(low))
    high = float(p.high) if high is None else float(p.validate(high))
    if not low < high:
        raise DeterrenceError(f"threshold scan of {parameter!r}: low {low:g} must be below high {high:g}")
    if int(n) < 2:
        raise DeterrenceError(f"threshold scan needs at least 2 grid points, got {n}")
    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}

    def labels(values: np.ndarray) -> np.ndarray:
        out = evaluate_points(model, {parameter: values}, concept=concept, baseline=base, executor=executor)
        return np.asarray(out["outcome"], dtype=object)

    grid = np.linspace(low, high, int(n))
    scan = labels(grid)
    switch = np.flatnonzero(scan[1:] != scan[:-1])
    brackets = bisect_labels(labels, grid[switch], grid[switch + 1], scan[switch], scan[switch + 1], xtol=bracket_tol)
    game = None
    if symbolic:
        try:
            game = model.build()
        except (DeterrenceError, TypeError):  # a model without a parametric game: numbers only
            game = None
    groups: list[list[tuple]] = []
    for b in brackets:  # switches closer than merge_tol are one threshold seen through a tie band
        if groups and b[0] - groups[-1][-1][1] <= merge_tol * max(1.0, abs(b[0])) and groups[-1][-1][3] == b[2]:
            groups[-1].append(b)
        else:
            groups.append([b])
    bounds = model.parameters.bounds()

    def check(formula: Any) -> tuple[int, int, float, str]:
        """The formula against the model's own switch near the baseline, then over the whole box."""
        import sympy

        from deterrence.analysis.threshold_check import box_switch_share, local_switch_check

        names = sorted(str(s) for s in formula.free_symbols)
        f = sympy.lambdify([sympy.Symbol(n) for n in names], formula, "numpy")

        def labels_at(points: dict[str, np.ndarray]) -> np.ndarray:
            out = evaluate_points(model, points, concept=concept, baseline=base, executor=executor)
            return np.asarray(out["outcome"], dtype=object)

        # A correct formula tracks the switch in a small enough box (the regime is open); a
        # coincidental one misses it in every box.  So the box shrinks until every point agrees.
        def at(pts: dict[str, np.ndarray]) -> Any:
            return f(*[pts.get(n, base.get(n)) for n in names])

        for spread in (0.02, 0.005, 0.001, 0.0002):
            hits, tried = local_switch_check(labels_at, parameter, at, base, bounds, (low, high), spread=spread)
            if hits == tried:
                break
        return hits, tried, spread, box_switch_share(labels_at, parameter, at, base, bounds, (low, high))

    return [
        _refine(
            parameter,
            (g[0][0], g[-1][1], g[0][2], g[-1][3]),
            base,
            game,
            list(conditions),
            tuple(f"near the threshold the outcome is {b[2]!r}" for b in g[1:]),
            merge_tol,
            (low, high),
            check,
        )
        for g in groups
    ]


def _refine(
    parameter: str,
    bracket: tuple,
    base: dict[str, float],
    game: Any,
    extra: list,
    notes: tuple[str, ...],
    band: float,
    limits: tuple[float, float],
    check: Callable[[Any], tuple[int, int, float, str]] | None = None,
) -> Threshold:
    """Brent's method on the first candidate condition that changes sign near the bracket.

    The solvers decide ties within a tolerance, so the label switch can sit a
    hair before the exact root: the sign change is sought in the bracket
    widened by ``band`` (relative) on each side.  Several conditions may vanish
    at the baseline's root by coincidence, so a formula that agrees there is
    also checked by ``check`` (the model's switch at points near the baseline);
    the first formula that passes is returned, else the first candidate.
    """
    from dataclasses import replace

    import sympy
    from scipy.optimize import brentq

    lo, hi, left, right = bracket
    candidates = list(extra)
    if hasattr(game, "root"):  # a tree: the conditions depend on the choices below each node
        for end in (lo, hi):
            candidates += indifference_conditions(game, {**base, parameter: end})
    elif hasattr(game, "payoffs"):
        candidates += indifference_conditions(game)
    margin = band * max(1.0, abs(lo))
    a, b = max(limits[0], lo - margin), min(limits[1], hi + margin)
    fallback: Threshold | None = None
    for condition in _canonical(candidates, parameter):
        symbol = next(s for s in condition.free_symbols if str(s) == parameter)
        fixed = condition.xreplace(
            {s: sympy.Float(base[str(s)], 17) for s in condition.free_symbols if str(s) != parameter and str(s) in base}
        )
        if fixed.free_symbols - {symbol}:
            continue
        g = sympy.lambdify([symbol], fixed, "math")
        g_a, g_b = float(g(a)), float(g(b))
        if g_a * g_b > 0 or (g_a == 0 and g_b == 0):
            continue
        root = brentq(g, a, b, xtol=1e-15) if g_a * g_b < 0 else (a if g_a == 0 else b)
        formula, value, agree = None, None, None
        solutions = []
        for solution in symbolic_threshold(condition, parameter):
            at = solution.xreplace({s: sympy.Float(base.get(str(s), np.nan), 17) for s in solution.free_symbols})
            if at.is_real:
                solutions.append((abs(float(at) - root), solution, float(at)))
        if solutions:
            _, formula, value = min(solutions, key=lambda item: item[0])
            agree = abs(value - root) <= 1e-9 * max(1.0, abs(root)) and a <= value <= b
        found = Threshold(
            parameter, float(root), (lo, hi), left, right, "brentq", condition, formula, value, agree, notes
        )
        if formula is None or not agree or check is None:
            fallback = fallback or found
            continue
        hits, tried, spread, box = check(formula)
        note = (
            f"formula checked at {tried} random points within {spread:.2%} of each range around the baseline: "
            f"the outcome switches there at {hits}; {box}"
            if tried
            else f"formula not checked away from the baseline (it leaves the range at every nearby point); {box}"
        )
        found = replace(found, agree=hits == tried, notes=notes + (note,))
        if hits == tried:
            return found
        fallback = fallback or found
    if fallback is not None:
        return fallback
    return Threshold(
        parameter,
        (lo + hi) / 2,
        (lo, hi),
        left,
        right,
        "bisection",
        notes=notes + ("no indifference condition changes sign across the bracket",),
    )
