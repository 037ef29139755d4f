"""The explorer's data: a precomputed grid over a few parameters of a model.

:func:`explorer_data` picks the parameters (:func:`choose_parameters`), lays a full factorial
grid over them with :func:`deterrence.sweeps.designs.grid`, evaluates the model's batched
outcomes there with :func:`deterrence.sweeps.run.evaluate_points` (the sweep engine), and adds
per grid point what the page draws: the game's payoffs, the equilibrium (the subgame-perfect
behaviour strategies of a tree, or the supports of a matrix game's equilibria, from
:func:`deterrence.solve`) and, when the model carries a ``"claims"`` hook in
:attr:`~deterrence.model.Model.extras`, the status of each claim.

Point ``k`` of the grid has level indices ``numpy.unravel_index(k, levels)``: the first
parameter varies slowest, as in every grid sweep.

Examples
--------
>>> from deterrence.library import get_model
>>> data = explorer_data(get_model("chicken"), ["crash_cost", "win"], levels=3)
>>> data["levels"], len(data["points"])
([3, 3], 9)
>>> data["points"][0]["outcome"] == data["table"]["outcome"][0]
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError

__all__ = ["MAX_GRID_POINTS", "THIRD_PARTIES", "choose_parameters", "default_levels", "explorer_data"]

#: The largest grid the explorer precomputes (one solve, and one claim audit, per point).
MAX_GRID_POINTS = 2000

#: Outside powers whose parameters the explorer prefers, in this order: a parameter belongs to one
#: when its name, meaning or source mentions it.
THIRD_PARTIES: tuple[tuple[str, str], ...] = (
    ("China", r"\bchina\b|chinese|beijing"),
    ("US", r"\bus\b|\bus_|united states|state department|washington"),
    ("India", r"\bindia\b|india_|indian"),
    ("TTP/Afghanistan", r"\bttp\b|taliban|afghan"),
)


def _text(parameter: Any) -> str:
    return " ".join([parameter.name, parameter.meaning, parameter.source]).lower()


def choose_parameters(parameters: Any, count: int = 3) -> list[str]:
    """The explorer's default parameters: one per third party (China, US, India, TTP) first.

    A parameter whose name, meaning or source mentions a third party of :data:`THIRD_PARTIES` is
    taken first, the first such parameter of each party in party order; the model's other
    parameters follow in their own order.  Only parameters with a range (``low < high``) count.

    Examples
    --------
    >>> from deterrence.library import get_model
    >>> choose_parameters(get_model("iran-pakistan-sequential").parameters, 4)
    ['china_mediation', 'us_ct_stake', 'india_emboldening', 'taliban_emboldening']
    >>> choose_parameters(get_model("chicken").parameters, 2)
    ['win', 'face_loss']
    """
    ranged = [p for p in parameters if p.low < p.high]
    chosen: list[str] = []
    for _, pattern in THIRD_PARTIES:
        match = next((p.name for p in ranged if p.name not in chosen and re.search(pattern, _text(p))), None)
        if match is not None:
            chosen.append(match)
    chosen += [p.name for p in ranged if p.name not in chosen]
    return chosen[:count]


def default_levels(n_parameters: int) -> int:
    """Levels per axis when none is given: 11 for one or two parameters, 5 for three or four.

    >>> default_levels(2), default_levels(3)
    (11, 5)
    """
    return 11 if n_parameters <= 2 else 5


def _round(x: Any) -> float | None:
    value = float(x)
    return float(f"{value:.6g}") if math.isfinite(value) else None


def _node_table(game: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    """The tree as a flat list of nodes (ids in depth-first order) and the node objects."""
    from deterrence.forms.extensive_form import Chance, Decision

    nodes: list[dict[str, Any]] = []
    objects: list[Any] = []

    def visit(node: Any, depth: int) -> int:
        index = len(nodes)
        entry: dict[str, Any] = {"id": index, "depth": depth, "label": node.label}
        nodes.append(entry)
        objects.append(node)
        if isinstance(node, (Decision, Chance)):
            entry["kind"] = "decision" if isinstance(node, Decision) else "chance"
            if isinstance(node, Decision):
                entry["player"] = node.player
                entry["infoset"] = node.infoset
            entry["actions"] = list(node.actions)
            entry["children"] = [visit(child, depth + 1) for child in node.children]
        else:
            entry["kind"] = "terminal"
        return index

    visit(game.root, 0)
    return nodes, objects


def _tree_point(game: Any, objects: list[Any], result: Any) -> dict[str, Any]:
    """Payoffs, chance probabilities and the first equilibrium's choices at every node."""
    from deterrence.forms.extensive_form import Chance, Decision, Terminal

    _, here = _node_table(game)
    if len(here) != len(objects):
        raise DeterrenceError("the game tree changes shape across the grid; the explorer needs one tree")
    payoffs, probs, choice = {}, {}, {}
    eq = result.equilibria[0] if result is not None and result.equilibria else None
    for index, node in enumerate(here):
        if isinstance(node, Terminal):
            payoffs[str(index)] = [_round(x) for x in node.payoffs]
        elif isinstance(node, Chance):
            probs[str(index)] = [_round(x) for x in node.probabilities]
        elif isinstance(node, Decision) and eq is not None:
            mix = eq.strategies[node.player][node.infoset]
            choice[str(index)] = [_round(mix[a]) for a in node.actions]
    return {"payoffs": payoffs, "probs": probs, "choice": choice}


def _matrix_point(game: Any, result: Any) -> dict[str, Any]:
    """Payoff cells and each equilibrium's strategy probabilities (two players: a table)."""
    table = np.asarray(game.as_float(), dtype=np.float64)
    equilibria = []
    for eq in result.equilibria if result is not None else []:
        equilibria.append(
            [[_round(eq.strategies[p][s]) for s in game.strategies[i]] for i, p in enumerate(game.players)]
        )
    cells = np.vectorize(_round, otypes=[object])(table).tolist() if table.size else []
    return {"payoffs": cells, "equilibria": equilibria}


def _solve_point(model: Any, values: Mapping[str, float], concept: str, claims: Callable | None) -> dict[str, Any]:
    """Everything the page shows at one grid point (errors become a note, not a stop)."""
    from deterrence.solvers.facade import solve

    out: dict[str, Any] = {}
    try:
        game = model.game(dict(values))
        result = solve(game, concept)
        out["game"] = game
        out["result"] = result
        out["n_equilibria"] = len(result.equilibria)
        out["complete"] = bool(result.complete)
    except DeterrenceError as error:
        out["error"] = str(error)
    if claims is not None:
        try:
            out["claims"] = [(str(c.claim), str(c.status), str(c.summary)) for c in claims(dict(values))]
        except DeterrenceError as error:
            out["claims_error"] = str(error)
    return out


def _worker(task: tuple[str, dict[str, float], str, bool]) -> dict[str, Any]:
    """Solve one point in a worker process; the model is found again by slug there."""
    from deterrence.library import get_model

    slug, values, concept, with_claims = task
    model = get_model(slug)
    hook = model.extras.get("claims") if with_claims else None
    found = _solve_point(model, values, concept, hook)
    found.pop("game", None)
    result = found.pop("result", None)
    if result is not None:  # games are rebuilt in the parent; only the strategies travel back
        found["strategies"] = [eq.strategies for eq in result.equilibria]
    return found


def explorer_data(
    model: Any,
    names: Sequence[str] | None = None,
    levels: int | None = None,
    *,
    baseline: Mapping[str, Any] | None = None,
    concept: str | None = None,
    claims: bool = True,
    jobs: int | None = None,
    solve: str | None = None,
) -> dict[str, Any]:
    """The explorer's JSON document for ``model`` over a grid of ``names`` x ``levels``.

    Parameters
    ----------
    model : Model
        A registered model with parameters.
    names : sequence of str, optional
        The parameters of the sliders (2 to 4 make a good page); :func:`choose_parameters` by default.
    levels : int, optional
        Grid levels per parameter (2 to 25); :func:`default_levels` by default.
    baseline : mapping, optional
        Values of the other parameters (their defaults otherwise).
    concept : str, optional
        Solution concept of the batched outcomes (the model's first by default).
    solve : str, optional
        Concept of the equilibrium drawn at each point: by default ``"spe"`` for trees of
        perfect information, ``"pbe"`` for other trees and ``concept`` for matrix games.  With
        several equilibria (ties) the page draws the first and says how many there are.
    claims : bool
        Compute the claim statuses when the model has a ``"claims"`` hook.
    jobs : int, optional
        Worker processes for the per-point solves (serial by default).

    Raises
    ------
    DeterrenceError
        For a model without parameters, an unknown or repeated parameter, a parameter also
        fixed in ``baseline``, a bad number of levels, or a grid of more than
        :data:`MAX_GRID_POINTS` points.
    """
    from deterrence.sweeps.designs import grid
    from deterrence.sweeps.run import evaluate_points

    if len(model.parameters) == 0:
        raise DeterrenceError(f"model {model.slug!r} has no parameters to explore")
    names = list(names) if names else choose_parameters(model.parameters)
    if len(set(names)) != len(names):
        raise DeterrenceError(f"a parameter is given twice: {names}")
    params = [model.parameters[n] for n in names]  # unknown names: a ParameterError with a suggestion
    flat = [p.name for p in params if not p.low < p.high]
    if flat:
        raise DeterrenceError(f"parameter {flat[0]!r} has no range to explore")
    fixed = dict(baseline or {})
    clash = [n for n in names if n in fixed]
    if clash:
        raise DeterrenceError(f"parameter {clash[0]!r} is both fixed (--set/--scenario) and explored (--param)")
    n = default_levels(len(names)) if levels is None else levels
    if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 25:
        raise DeterrenceError(f"--levels must be a whole number from 2 to 25, got {n!r}")
    size = n ** len(names)
    if size > MAX_GRID_POINTS:
        raise DeterrenceError(
            f"the explorer grid has {size:,} points ({' x '.join([str(n)] * len(names))}), more than "
            f"{MAX_GRID_POINTS:,}; give fewer --param or a smaller --levels"
        )
    design = grid({p.name: (float(p.low), float(p.high), n) for p in params}, chunk_size=size)
    points = design.chunk(0)
    base = {k: float(v) for k, v in model.parameters.point(fixed).items()}
    is_tree = _is_tree(model.game(base))
    batched = model.outcomes is not None
    concept = model.resolve_concept(concept)
    table = evaluate_points(model, points, concept=concept, baseline=base) if batched else {}
    if solve is None:
        solve = ("spe" if _perfect_information(model.game(base)) else "pbe") if is_tree else concept
    solve_concept = solve
    hook = model.extras.get("claims") if claims else None
    rows = [{**base, **{k: float(points[k][i]) for k in names}} for i in range(size)]
    found = _solve_all(model, rows, solve_concept, hook, jobs)
    return _document(model, names, params, n, design, points, base, table, concept, solve_concept, found, is_tree)


def _perfect_information(game: Any) -> bool:
    """True when every information set of the tree holds one node (every node starts a subgame)."""
    from deterrence.forms.extensive_form import Decision

    seen: set[tuple[str, str]] = set()
    for node, _ in game.walk():
        if isinstance(node, Decision):
            if (node.player, node.infoset) in seen:
                return False
            seen.add((node.player, node.infoset))
    return True


def _is_tree(game: Any) -> bool:
    from deterrence.forms.extensive_form import ExtensiveFormGame

    return isinstance(game, ExtensiveFormGame)


def _solve_all(
    model: Any, rows: list[dict[str, float]], concept: str, hook: Callable | None, jobs: int | None
) -> list[dict[str, Any]]:
    if not jobs or jobs <= 1:
        return [_solve_point(model, row, concept, hook) for row in rows]
    import concurrent.futures as cf
    import multiprocessing

    tasks = [(model.slug, row, concept, hook is not None) for row in rows]
    with cf.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        found = list(pool.map(_worker, tasks, chunksize=max(1, len(tasks) // (4 * jobs))))
    for row, item in zip(rows, found, strict=True):  # the games, rebuilt here (cheap next to the solve)
        if "strategies" in item:
            item["game"] = model.game(row)
            item["result"] = _Strategies(item.pop("strategies"))
    return found


class _Strategies:
    """The part of a SolveResult the page reads, rebuilt from a worker's answer."""

    def __init__(self, strategies: list[Any]) -> None:
        self.equilibria = [_Equilibrium(s) for s in strategies]


class _Equilibrium:
    def __init__(self, strategies: Any) -> None:
        self.strategies = strategies


def _document(
    model: Any,
    names: list[str],
    params: list[Any],
    n: int,
    design: Any,
    points: Mapping[str, np.ndarray],
    base: dict[str, float],
    table: Mapping[str, Any],
    concept: str,
    solve_concept: str,
    found: list[dict[str, Any]],
    is_tree: bool,
) -> dict[str, Any]:
    from deterrence import __version__

    size = len(found)
    first = next((f["game"] for f in found if "game" in f), None)
    doc: dict[str, Any] = {
        "schema": 1,
        "model": {
            "slug": model.slug,
            "title": model.title,
            "citation": model.citation,
            "description": model.description,
        },
        "version": __version__,
        "concept": concept,
        "solve_concept": solve_concept,
        "form": "tree" if is_tree else "matrix",
        "parameters": [
            {
                "name": p.name,
                "unit": p.unit,
                "meaning": p.meaning,
                "claims": list(p.claims),
                "default": float(p.default),
                "values": [float(v) for v in sorted(set(points[p.name].tolist()))],
            }
            for p in params
        ],
        "levels": [n] * len(names),
        "design": design.to_dict(),
        "baseline": {k: v for k, v in base.items() if k not in names},
        "table": {k: [_cell(x) for x in np.asarray(v).tolist()] for k, v in table.items()},
        "players": list(first.players) if first is not None else [],
    }
    if is_tree and first is not None:
        doc["tree"], objects = _node_table(first)
    elif first is not None:
        doc["strategies"] = [list(s) for s in first.strategies]
    claim_texts: dict[tuple[str, str], int] = {}
    claim_ids: list[str] = []
    out_points = []
    for i, item in enumerate(found):
        entry: dict[str, Any] = {"values": {k: float(points[k][i]) for k in names}}
        if table:
            entry["outcome"] = str(table["outcome"][i])
        if "error" in item:
            entry["error"] = item["error"]
        else:
            entry["n_equilibria"] = item["n_equilibria"]
            if is_tree:
                entry.update(_tree_point(item["game"], objects, item["result"]))
            else:
                entry.update(_matrix_point(item["game"], item["result"]))
            if not table:
                entry["outcome"] = _label(entry, doc, is_tree)
        if "claims" in item:
            codes = []
            for claim, status, summary in item["claims"]:
                if claim not in claim_ids:
                    claim_ids.append(claim)
                codes.append([claim_ids.index(claim), claim_texts.setdefault((status, summary), len(claim_texts))])
            entry["claims"] = codes
        elif "claims_error" in item:
            entry["claims_error"] = item["claims_error"]
        out_points.append(entry)
    doc["points"] = out_points
    doc["size"] = size
    if claim_ids:
        doc["claims"] = {"ids": claim_ids, "texts": [list(k) for k in claim_texts]}
    return doc


def _cell(x: Any) -> Any:
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, (int, str, bool)) or x is None:
        return x
    return str(x)


def _label(entry: dict[str, Any], doc: dict[str, Any], is_tree: bool) -> str:
    """A regime label for models without batched outcomes: the equilibrium path or cells."""
    if entry.get("n_equilibria", 0) == 0:
        return "no equilibrium"
    if is_tree:
        moves, node = [], doc["tree"][0]
        while node["kind"] != "terminal":
            if node["kind"] == "chance":
                return f"{entry['n_equilibria']} equilibria" if entry["n_equilibria"] > 1 else "mixed over chance"
            probs = entry["choice"].get(str(node["id"]))
            if probs is None:
                return "unsolved"
            k = int(np.argmax(probs))
            moves.append(node["actions"][k])
            node = doc["tree"][node["children"][k]]
        return " -> ".join(moves)
    eq = entry["equilibria"][0]
    names = [doc["strategies"][i][int(np.argmax(p))] for i, p in enumerate(eq)]
    text = ", ".join(names)
    return text if len(entry["equilibria"]) == 1 else f"{text} (+{len(entry['equilibria']) - 1} more)"
