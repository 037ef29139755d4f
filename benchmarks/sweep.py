"""Benchmark: sweep throughput and memory, each against a peer on the same points.

Three measurements (issue 5), written to ``benchmarks/results/sweep.json``:

``spe``
    Subgame-perfect regime sweep of the Iran-Pakistan sequential model
    (Pakistan absorbs / strikes calibrated / strikes directly, Iran stands
    down or escalates, Pakistan counter-escalates or holds: four levels),
    made parametric (``sequential_game(None)``) and evaluated by
    :func:`deterrence.outcomes.tree_outcomes`: payoffs compiled once, then
    batched backward induction, one core.  Peers on the same points: a
    per-point recursive backward induction in Python on the same float
    terminal payoffs, and (on fewer points) the exact per-point solver
    ``solve(game, "spe")``.  Labels must agree.  Also timed: the registered
    model's own ``outcomes`` (``iran-pakistan-sequential``).  Target:
    >= 1e6 points/s.
``nash``
    All Nash equilibria of the 3x2 Iran-Pakistan matrix (:func:`ip_matrix`,
    degenerate by construction: Iran's two replies to *absorb* pay the same)
    and of a generic random-coefficient 3x2 game, over ``--nash-points``
    points: the batched kernel
    :func:`deterrence.solvers.small_games.small_game_equilibria` alone, and the
    whole :func:`deterrence.outcomes.normal_form_outcomes` evaluator (labels
    included), against per-point loops of nashpy's and QuantEcon's
    ``support_enumeration`` and of the exact solver (``enumerate_equilibria``
    on Fractions).  Sets are compared point by point (to 1e-6): ours must equal
    the exact solver's, and the peers' lists must be subsets of ours.  The
    kernel is timed in wall and CPU seconds, once as shipped (closed forms for
    the clearly nondegenerate games, ``closed_form_share`` of them) and once
    with the closed forms off (the general cofactor kernel alone), whose
    result must be identical.  Target: the kernel at >= 1e7 points per
    CPU-second on one core (issue 9).
``small`` (``nash_small_sizes``)
    The batched kernel alone on ``--nash-points`` random games (payoffs
    uniform on [0, 1], seeded) of each size 2x2, 3x2, 2x3 and 3x3: points per
    CPU-second and per wall second (best of three), the general cofactor
    kernel alone on the same points (whose result must be identical bit for
    bit), and per-point loops of nashpy's and QuantEcon's
    ``support_enumeration`` on the first ``--peer-points`` of them (their
    lists must be subsets of ours).  With a roofline: the bytes read and
    written per point, and the CPU time of ``np.empty`` plus one write of
    the result arrays alone (what no solver writing that result can beat).
    Target: >= 1e7 points per CPU-second on 3x2 (issue 9).
``big``
    A ``--big-points`` grid sweep of the parametric sequential model to
    Parquet through :func:`deterrence.sweep.run_sweep`, in a fresh
    subprocess whose peak resident memory (``ru_maxrss``) is read back.
    Target: < 1 GiB at 1e8 points.

Usage: ``python benchmarks/sweep.py [--quick] [--only spe,nash,small,big] [--big-points N]
[--spe-points N] [--nash-points N] [--peer-points N]``.  ``--quick`` shrinks every size for a
smoke run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from _common import VARIED, write_results
from _common import ip_points as _points
from _common import machine as _machine

RESULTS = Path(__file__).parent / "results" / "sweep.json"


def ip_sequential(**values: Any) -> Any:
    """The parametric Iran-Pakistan continuation tree (sympy payoffs) or a numeric one."""
    from games.iran_pakistan.forms import sequential_game

    return sequential_game(values or None)


def ip_matrix(**values: Any) -> Any:
    """The parametric Iran-Pakistan 3x2 matrix (sympy payoffs) or a numeric one.

    Pakistan absorbs, strikes calibrated targets or strikes directly, and counter-escalates if
    Iran escalates; Iran stands down or escalates after either strike.  When the case's
    ``matrix_game`` is the full reduced normal form (5x4), these are its rows ``absorb``,
    ``calibrated/counter-escalate``, ``direct/counter-escalate`` and columns ``stand down/stand
    down``, ``escalate/escalate``.
    """
    from deterrence.forms.normal_form import NormalFormGame
    from games.iran_pakistan.forms import matrix_game

    game = matrix_game(values or None)
    if game.shape == (3, 2):
        return game
    rows = [game.strategy_index(0, s) for s in ("absorb", "calibrated/counter-escalate", "direct/counter-escalate")]
    cols = [game.strategy_index(1, s) for s in ("stand down/stand down", "escalate/escalate")]
    payoffs = np.asarray(game.payoffs, dtype=object)[np.ix_(rows, cols)]
    strategies = [[game.strategies[0][i] for i in rows], [game.strategies[1][j] for j in cols]]
    return NormalFormGame(list(game.players), strategies, payoffs.tolist())


def generic_3x2(**values: Any) -> Any:
    """A 3x2 game whose six row and six column payoffs are linear in four parameters."""
    import sympy

    from deterrence.forms.normal_form import NormalFormGame

    rng = np.random.default_rng(7)
    weights = rng.integers(-3, 4, size=(3, 2, 2, len(VARIED) + 1))
    symbols = [sympy.Symbol(n, real=True) for n in VARIED]
    args = [values.get(n, s) for n, s in zip(VARIED, symbols, strict=True)] + [1]
    payoffs = [
        [[sum(int(w) * a for w, a in zip(weights[i, j, p], args, strict=True)) for p in range(2)] for j in range(2)]
        for i in range(3)
    ]
    return NormalFormGame(["Row", "Column"], [["r1", "r2", "r3"], ["c1", "c2"]], payoffs)


def _timed(function: Any, *args: Any, repeat: int = 1) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = function(*args)
        best = min(best, time.perf_counter() - start)
    return best, out


def _timed_cpu(function: Any, repeat: int = 1) -> tuple[float, float, Any]:
    """Best wall and best CPU seconds (``time.process_time``) of ``repeat`` calls, and the last result."""
    wall, cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = function()
        wall, cpu = min(wall, time.perf_counter() - start), min(cpu, time.process_time() - start_cpu)
    return wall, cpu, out


def _closed_form_share(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the games the closed forms solve (the rest go to the general kernel)."""
    from deterrence.solvers.small_closed_forms import closed_form_chunk

    if a.shape[1:] not in ((2, 2), (3, 2), (2, 3)):
        return 0.0
    if a.shape[2] == 3:
        a, b = b.transpose(0, 2, 1), a.transpose(0, 2, 1)
    step = 1 << 16
    routed = sum(
        int(closed_form_chunk(a[s : s + step], b[s : s + step])["route"].sum()) for s in range(0, len(a), step)
    )
    return 1.0 - routed / max(1, len(a))


# -- 1. subgame-perfect regime sweep ------------------------------------------------------------
def _recursive_spe(
    node: Any,
    payoffs: np.ndarray,
    players: tuple[str, ...],
    index: dict[int, int],
    path: tuple[str, ...] = (),
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Plain per-point backward induction: (values, action path to the terminal reached)."""
    from deterrence.forms.extensive_form import Terminal

    if isinstance(node, Terminal):
        return payoffs[index[id(node)]], path
    mover = players.index(node.player)
    best = None
    for action, child in zip(node.actions, node.children, strict=True):
        value, reached = _recursive_spe(child, payoffs, players, index, path + (action,))
        if best is None or value[mover] > best[0][mover]:  # first best action on ties, as spe_batch
            best = (value, reached)
    return best


def bench_spe(size: int, peer_size: int, exact_size: int) -> dict[str, Any]:
    from deterrence.analysis.outcomes import tree_outcomes
    from deterrence.forms.evaluate import compile_values
    from deterrence.solvers.facade import solve
    from deterrence.sweeps.store import factorize as _factorize
    from games import get_model

    outcomes = tree_outcomes(ip_sequential, label="path")
    points = _points(size, seed=1)
    outcomes({k: v[:10] for k, v in points.items()}, "spe")  # compile once (sympy -> numpy)
    chunk = 1 << 16

    def engine() -> tuple[Counter, np.ndarray]:
        # Stream like a sweep: count the regimes chunk by chunk, keep only the peers' labels.
        counts: Counter = Counter()
        first = None
        for s in range(0, size, chunk):
            labels = outcomes({k: v[s : s + chunk] for k, v in points.items()}, "spe")["outcome"]
            distinct, _, tally = _factorize(labels)  # hashing, as run_sweep counts regimes
            counts.update(dict(zip(distinct.tolist(), tally.tolist(), strict=True)))
            first = labels[:peer_size].copy() if first is None else first
        return counts, first

    seconds, (counts, labels) = _timed(engine, repeat=3)
    lead = get_model("iran-pakistan-sequential")
    lead_size = min(size, 200_000)
    lead_seconds, _ = _timed(lambda: lead.outcomes({k: v[:lead_size] for k, v in points.items()}, "spe"))

    game = ip_sequential()
    terminals = game.terminals()
    values = np.array([list(t.payoffs) for t, _ in terminals], dtype=object)
    names = sorted(game.parameters)
    payoffs = compile_values(values, names)(*(points[n][:peer_size] for n in names))
    index = {id(t): k for k, (t, _) in enumerate(terminals)}
    start = time.perf_counter()
    peer = ["/".join(_recursive_spe(game.root, payoffs[b], game.players, index)[1]) for b in range(peer_size)]
    peer_seconds = time.perf_counter() - start
    agree = int(sum(a == b for a, b in zip(peer, labels[:peer_size], strict=True)))

    start = time.perf_counter()
    exact_agree = 0
    for b in range(exact_size):
        numeric = ip_sequential(**{n: Fraction(points[n][b]) for n in points})
        [eq] = solve(numeric, "spe").equilibria  # generic points: a unique SPE
        exact_agree += _path_of(numeric, eq) == labels[b]
    exact_seconds = time.perf_counter() - start
    rate = size / seconds
    return {
        "model": "iran-pakistan-sequential made parametric (sequential_game(None)), 4 levels",
        "varied": list(VARIED),
        "points": size,
        "chunk": chunk,
        "engine_seconds": seconds,
        "engine_points_per_second": rate,
        "registered_model_outcomes_points_per_second": lead_size / lead_seconds,
        "peer_recursive_points": peer_size,
        "peer_recursive_points_per_second": peer_size / peer_seconds,
        "peer_recursive_labels_agree": agree,
        "peer_exact_points": exact_size,
        "peer_exact_points_per_second": exact_size / exact_seconds,
        "peer_exact_labels_agree": int(exact_agree),
        "speedup_vs_recursive": rate / (peer_size / peer_seconds),
        "outcomes": dict(counts.most_common()),
        "target_points_per_second": 1e6,
        "target_met": bool(rate >= 1e6),
    }


def _path_of(game: Any, equilibrium: Any) -> str:
    from deterrence.forms.extensive_form import Terminal

    node, path = game.root, []
    while not isinstance(node, Terminal):
        choice = equilibrium.strategies[node.player][node.infoset]
        action = max(choice, key=lambda a: choice[a])
        path.append(action)
        node = node.children[node.actions.index(action)]
    return "/".join(path)


# -- 2. all equilibria of a 3x2 matrix -----------------------------------------------------------
def _as_set(pairs: list[tuple[Any, Any]]) -> list[tuple[float, ...]]:
    return sorted(
        tuple(np.round(np.concatenate([np.asarray(x, float), np.asarray(y, float)]), 6) + 0.0) for x, y in pairs
    )


def _subset(small: list[tuple[float, ...]], big: list[tuple[float, ...]]) -> bool:
    return all(any(np.allclose(p, q, atol=1e-6) for q in big) for p in small)


def _quantecon_loop(a: np.ndarray, b: np.ndarray) -> tuple[float | None, list]:
    """Seconds and equilibria of QuantEcon's ``support_enumeration`` per point (None without QuantEcon)."""
    try:
        from quantecon import game_theory as qe
    except ImportError:
        return None, []

    def one(k: int) -> list:
        return list(qe.support_enumeration(qe.NormalFormGame((qe.Player(a[k]), qe.Player(b[k].T)))))

    one(0)  # numba compiles on the first call: not timed
    start = time.perf_counter()
    found = [one(k) for k in range(len(a))]
    return time.perf_counter() - start, found


def bench_nash(build: Any, label: str, size: int, peer_size: int) -> dict[str, Any]:
    """All equilibria of a parametric 3x2 model: the batched kernel against per-point loops."""
    import warnings

    import nashpy

    from deterrence.analysis.outcomes import normal_form_outcomes
    from deterrence.forms.evaluate import compile_values
    from deterrence.solvers.enumeration import enumerate_equilibria
    from deterrence.solvers.small_games import equilibria_at, small_game_equilibria

    outcomes = normal_form_outcomes(build)
    points = _points(size, seed=2)
    outcomes({k: v[:10] for k, v in points.items()}, "nash")
    chunk = 1 << 16

    def engine() -> None:
        for s in range(0, size, chunk):
            outcomes({k: v[s : s + chunk] for k, v in points.items()}, "nash")

    seconds, _ = _timed(engine)
    game = build()
    names = sorted(game.parameters)
    payoffs = compile_values(np.asarray(game.payoffs, dtype=object), names)(*(points[n] for n in names))
    a, b = payoffs[..., 0], payoffs[..., 1]
    from deterrence.solvers import small_games

    load = os.getloadavg()
    kernel_seconds, kernel_cpu, ours = _timed_cpu(lambda: small_game_equilibria(a, b), repeat=3)
    small_games._CLOSED_FORMS = False  # the general cofactor kernel alone, same points, same run
    try:
        general_seconds, general_cpu, general = _timed_cpu(lambda: small_game_equilibria(a, b), repeat=2)
    finally:
        small_games._CLOSED_FORMS = True
    identical = all(
        np.array_equal(getattr(ours, name), getattr(general, name), equal_nan=name != "valid")
        for name in ("x", "y", "valid", "count", "degenerate", "row_payoff", "column_payoff", "regret", "fallback")
    )
    closed_share = _closed_form_share(a, b)
    pa, pb = np.ascontiguousarray(a[:peer_size]), np.ascontiguousarray(b[:peer_size])
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns on degenerate games
        theirs = [list(nashpy.Game(pa[k], pb[k]).support_enumeration()) for k in range(peer_size)]
    nashpy_seconds = time.perf_counter() - start
    quantecon_seconds, quantecon = _quantecon_loop(pa, pb)
    exact_size = max(1, peer_size // 4)
    start = time.perf_counter()
    exact = [
        enumerate_equilibria(
            [[Fraction(v) for v in row] for row in pa[k]], [[Fraction(v) for v in row] for row in pb[k]]
        )
        for k in range(exact_size)
    ]
    exact_seconds = time.perf_counter() - start
    counts: Counter = Counter()
    for k in range(peer_size):
        mine = _as_set(equilibria_at(ours, k))
        if k < exact_size:
            counts["ours equal to the exact solver"] += mine == _as_set(exact[k].equilibria)
            counts["degenerate flag equal to the exact solver"] += bool(ours.degenerate[k]) == bool(exact[k].degenerate)
        counts["nashpy's list a subset of ours"] += _subset(_as_set(theirs[k]), mine)
        if quantecon:
            counts["QuantEcon's list a subset of ours"] += _subset(_as_set(quantecon[k]), mine)
    rate = size / kernel_seconds
    return {
        "model": label,
        "points": size,
        "engine_seconds": seconds,
        "engine_points_per_second": size / seconds,
        "kernel_seconds": kernel_seconds,
        "kernel_points_per_second": rate,
        "kernel_cpu_seconds": kernel_cpu,
        "kernel_points_per_cpu_second": size / kernel_cpu,
        "load_average_at_kernel": list(load),
        "closed_form_share": closed_share,
        "general_kernel_points_per_second": size / general_seconds,
        "general_kernel_points_per_cpu_second": size / general_cpu,
        "kernel_vs_general_kernel": general_seconds / kernel_seconds,
        "kernel_vs_general_kernel_cpu": general_cpu / kernel_cpu,
        "identical_to_general_kernel": identical,
        "peer_points": peer_size,
        "nashpy_points_per_second": peer_size / nashpy_seconds,
        "quantecon_points_per_second": peer_size / quantecon_seconds if quantecon_seconds else None,
        "exact_points": exact_size,
        "exact_points_per_second": exact_size / exact_seconds,
        "kernel_vs_nashpy": rate * nashpy_seconds / peer_size,
        "kernel_vs_quantecon": rate * quantecon_seconds / peer_size if quantecon_seconds else None,
        "kernel_vs_exact": rate * exact_seconds / exact_size,
        "degenerate_share": float(np.mean(ours.degenerate)),
        "exact_fallbacks": ours.fallbacks,
        "comparison": dict(counts),
        "equal_to_exact_everywhere": counts["ours equal to the exact solver"] == exact_size,
        "target_kernel_points_per_second": 1e7,
        "target_met": bool(size / kernel_cpu >= 1e7),  # per CPU-second, one core (issue 9)
    }


def _loop_cpu(function: Any, count: int) -> tuple[float, float, list]:
    """Wall and CPU seconds of ``function(k)`` for ``k < count``, and the results."""
    start, start_cpu = time.perf_counter(), time.process_time()
    found = [function(k) for k in range(count)]
    return time.perf_counter() - start, time.process_time() - start_cpu, found


def _output_touch_cpu(g: int, m: int, n: int, slots: int, repeat: int = 5) -> tuple[float, float]:
    """Best wall and CPU seconds of ``np.empty`` plus one write of a result's arrays (the floor)."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        arrays = [np.empty((g, slots, m)), np.empty((g, slots, n)), np.empty((g, slots), dtype=bool)]
        arrays += [np.empty((g, slots)) for _ in range(3)] + [np.empty(g, dtype=np.intp), np.empty(g)]
        arrays += [np.empty(g, dtype=bool), np.empty(g, dtype=bool)]
        for values in arrays:
            values.fill(0)
        wall, cpu = min(wall, time.perf_counter() - start), min(cpu, time.process_time() - start_cpu)
        del arrays
    return wall, cpu


def bench_small_sizes(size: int, peer_size: int) -> dict[str, Any]:
    """The batched kernel on random 2x2, 3x2, 2x3 and 3x3 games against per-point nashpy and QuantEcon."""
    import warnings

    import nashpy

    from deterrence.solvers import small_games
    from deterrence.solvers.small_games import equilibria_at, small_game_equilibria

    try:
        from quantecon import game_theory as qe
    except ImportError:
        qe = None
    fields = (
        "x",
        "y",
        "valid",
        "count",
        "degenerate",
        "row_payoff",
        "column_payoff",
        "regret",
        "tolerance",
        "fallback",
    )
    report: dict[str, Any] = {}
    for m, n in ((2, 2), (3, 2), (2, 3), (3, 3)):
        rng = np.random.default_rng([m, n, 9])
        a, b = rng.random((size, m, n)), rng.random((size, m, n))
        small_game_equilibria(a[:100], b[:100])  # imports and first-call set-up: not timed
        load = os.getloadavg()
        wall, cpu, ours = _timed_cpu(lambda a=a, b=b: small_game_equilibria(a, b), repeat=3)
        small_games._CLOSED_FORMS = False  # the general cofactor kernel alone, same points, same run
        try:
            general_wall, general_cpu, general = _timed_cpu(lambda a=a, b=b: small_game_equilibria(a, b), repeat=2)
        finally:
            small_games._CLOSED_FORMS = True
        identical = all(
            np.array_equal(
                getattr(ours, f).view(np.int64) if getattr(ours, f).dtype == np.float64 else getattr(ours, f),
                getattr(general, f).view(np.int64) if getattr(general, f).dtype == np.float64 else getattr(general, f),
            )
            for f in fields
        )
        touch_wall, touch_cpu = _output_touch_cpu(size, m, n, ours.x.shape[1])
        bytes_out = sum(getattr(ours, f).nbytes for f in fields) / size
        pa, pb = a[:peer_size], b[:peer_size]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nashpy warns on degenerate games
            nashpy_wall, nashpy_cpu, theirs = _loop_cpu(
                lambda k, pa=pa, pb=pb: list(nashpy.Game(pa[k], pb[k]).support_enumeration()), peer_size
            )
        counts: Counter = Counter()
        quantecon_wall = quantecon_cpu = None
        if qe is not None:

            def one(k: int, pa: np.ndarray = pa, pb: np.ndarray = pb) -> list:
                return list(qe.support_enumeration(qe.NormalFormGame((qe.Player(pa[k]), qe.Player(pb[k].T)))))

            one(0)  # numba compiles on the first call: not timed
            quantecon_wall, quantecon_cpu, quantecon = _loop_cpu(one, peer_size)
        for k in range(peer_size):
            mine = _as_set(equilibria_at(ours, k))
            counts["nashpy's list a subset of ours"] += _subset(_as_set(theirs[k]), mine)
            if qe is not None:
                counts["QuantEcon's list a subset of ours"] += _subset(_as_set(quantecon[k]), mine)
        rate_cpu = size / cpu
        report[f"{m}x{n}"] = {
            "points": size,
            "slots": int(ours.x.shape[1]),
            "kernel_seconds": wall,
            "kernel_cpu_seconds": cpu,
            "kernel_points_per_second": size / wall,
            "kernel_points_per_cpu_second": rate_cpu,
            "kernel_ns_per_point_cpu": 1e9 * cpu / size,
            "load_average_at_kernel": list(load),
            "general_kernel_points_per_cpu_second": size / general_cpu,
            "general_kernel_points_per_second": size / general_wall,
            "kernel_vs_general_kernel_cpu": general_cpu / cpu,
            "identical_to_general_kernel": identical,
            "degenerate_share": float(np.mean(ours.degenerate)),
            "exact_fallbacks": ours.fallbacks,
            "roofline": {
                "bytes_in_per_point": (a.nbytes + b.nbytes) / size,
                "bytes_out_per_point": bytes_out,
                "output_empty_and_touch_ns_per_point_cpu": 1e9 * touch_cpu / size,
                "output_empty_and_touch_ns_per_point_wall": 1e9 * touch_wall / size,
                "output_share_of_kernel_cpu": touch_cpu / cpu,
            },
            "peer_points": peer_size,
            "nashpy_points_per_cpu_second": peer_size / nashpy_cpu,
            "nashpy_points_per_second": peer_size / nashpy_wall,
            "quantecon_points_per_cpu_second": peer_size / quantecon_cpu if quantecon_cpu else None,
            "quantecon_points_per_second": peer_size / quantecon_wall if quantecon_wall else None,
            "kernel_vs_nashpy_cpu": rate_cpu * nashpy_cpu / peer_size,
            "kernel_vs_quantecon_cpu": rate_cpu * quantecon_cpu / peer_size if quantecon_cpu else None,
            "comparison": dict(counts),
        }
    report["target_points_per_cpu_second_3x2"] = 1e7
    report["target_met"] = bool(report["3x2"]["kernel_points_per_cpu_second"] >= 1e7)
    return report


# -- 3. a very large sweep to Parquet, memory measured in a fresh process -------------------------
def big_sweep_child(points: int, output: str, jobs: int) -> None:
    """Run in a subprocess: one grid sweep to Parquet; print seconds and peak RSS as JSON."""
    from deterrence.analysis.outcomes import tree_outcomes
    from deterrence.model import Model
    from deterrence.sweeps.designs import grid
    from deterrence.sweeps.run import executor, run_sweep
    from games.iran_pakistan.parameters import PARAMETERS

    side = int(round(points**0.5))
    model = Model(
        "ip-sequential-parametric",
        "",
        "",
        ip_sequential,
        PARAMETERS,
        outcomes=tree_outcomes(ip_sequential, label="path"),
        concepts=("spe",),
    )
    design = grid({"china_mediation": (0, 5, side), "face_cost_calibrated": (0, 20, points // side)})
    start = time.perf_counter()
    with executor(jobs if jobs > 1 else None) as pool:
        result = run_sweep(model, design, output, executor=pool, command="benchmarks/sweep.py big")
    seconds = time.perf_counter() - start
    usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    usage_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "points": result.n_points,
                "seconds": seconds,
                "chunks": design.n_chunks,
                "peak_rss_mib_main": usage_self / 1024,
                "peak_rss_mib_workers": usage_children / 1024,
                "bytes": Path(output).stat().st_size,
                "outcomes": result.outcomes,
            }
        )
    )


def bench_big(points: int, jobs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder) / "big.parquet")
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(points), output, str(jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
        record = json.loads(done.stdout.strip().splitlines()[-1])
    record.update(
        {
            "jobs": jobs,
            "points_per_second": record["points"] / record["seconds"],
            "target_mib": 1024,
            "target_points": 10**8,
            "target_met": bool(max(record["peak_rss_mib_main"], record["peak_rss_mib_workers"]) < 1024),
        }
    )
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument("--only", default="spe,nash,small,big", help="comma-separated subset")
    parser.add_argument("--spe-points", type=int, default=2_000_000)
    parser.add_argument("--nash-points", type=int, default=200_000)
    parser.add_argument("--peer-points", type=int, default=2_000)
    parser.add_argument("--big-points", type=int, default=10**8)
    parser.add_argument("-j", "--jobs", type=int, default=1, help="workers for the big sweep")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        big_sweep_child(int(args.child[0]), args.child[1], int(args.child[2]))
        return
    if args.quick:
        args.spe_points, args.nash_points, args.peer_points, args.big_points = (
            100_000,
            20_000,
            200,
            10**6,
        )
    only = set(args.only.split(","))
    run = {"arguments": vars(args), "machine": _machine()}  # recorded with each part it produces
    report: dict[str, Any] = {}
    if RESULTS.exists():  # keep earlier parts when only some are rerun
        report = {k: v for k, v in json.loads(RESULTS.read_text()).items() if k not in ("machine", "arguments")}
    if "spe" in only:
        report["spe"] = run | bench_spe(args.spe_points, args.peer_points, max(20, args.peer_points // 20))
        print("spe", json.dumps(report["spe"], indent=1))
    if "nash" in only:
        report["nash_iran_pakistan_matrix"] = run | bench_nash(
            ip_matrix,
            "iran-pakistan-matrix, parametric (matrix_game(None)), 3x2",
            args.nash_points,
            args.peer_points,
        )
        report["nash_generic_3x2"] = run | bench_nash(
            generic_3x2,
            "generic parametric 3x2 (seeded integer weights)",
            args.nash_points,
            args.peer_points,
        )
        print(
            "nash",
            json.dumps({k: report[k] for k in ("nash_iran_pakistan_matrix", "nash_generic_3x2")}, indent=1),
        )
    if "small" in only:
        report["nash_small_sizes"] = run | bench_small_sizes(args.nash_points, args.peer_points)
        print("small", json.dumps(report["nash_small_sizes"], indent=1))
    if "big" in only:
        report["big"] = run | bench_big(args.big_points, args.jobs)
        print("big", json.dumps(report["big"], indent=1))
    write_results(RESULTS, report, default=float)


if __name__ == "__main__":
    main()
