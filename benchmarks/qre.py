"""Benchmark: agent logit QRE of the Iran-Pakistan trees at many parameter points.

Times, at the same random parameter points (fixed seed, four parameters varied over their
ranges as in ``benchmarks/sweep.py``):

* ``qre_outcomes`` (payoffs compiled once, then :func:`~deterrence.solvers.qre_batch.agent_qre_batch`)
  on the sequential tree (perfect information: one backward logit pass) and on the Bayesian
  tree (information sets: Newton continuation in lambda, batched);
* a per-point loop of the single-point solver (``solve(game, "qre", options={"lam": L})``,
  path following) on a few of the points, and the largest difference from the batch;
* pygambit's ``qre.logit_solve_lambda`` (agent form, pygambit 16.3+ and 17.x) on a few points
  when pygambit is installed, with the largest difference from the batch; skipped otherwise;
* the Bayesian tree's compiled payoffs plus independent N(0, ``--noise``) noise on every
  terminal payoff: the beliefs then move the continuation values at every point, so the
  reduced Newton does real work on its coupled information sets (the case's own payoffs
  leave some of them nearly decoupled).  The cross-check there is the full-space Newton
  (``method="full"``) on a few points.

Batch times are wall-clock and CPU (``time.process_time``, all threads); the target of
10^5 points per CPU-second is reported against the CPU figure.

Prints points per second and the ratios, and writes ``benchmarks/results/qre.json``.

Usage: ``python benchmarks/qre.py [--quick] [--seed N] [--lam L] [--noise S]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import ip_points as _points
from _common import machine as _machine
from _common import write_results

RESULTS = Path(__file__).parent / "results" / "qre.json"


def bayesian_fixed_priors(values: Any = None) -> Any:
    """The Bayesian tree with the priors at their defaults (QRE needs numeric chance moves)."""
    from games.iran_pakistan.forms import bayesian_game
    from games.iran_pakistan.parameters import PARAMETERS

    if values:
        return bayesian_game(values)
    fixed = {p.symbol: p.default for p in PARAMETERS if p.name.startswith("prior_")}
    return bayesian_game().map_values(lambda v: v.subs(fixed) if hasattr(v, "subs") else v)


def _flat(game: Any, eq: Any) -> np.ndarray:
    return np.array([v for p in game.players for h in game.infosets[p] for v in eq.strategies[p][h].values()])


def _gambit_logit(game: Any, lam: float) -> Any:
    """pygambit's agent logit QRE at ``lam`` (``qre.logit_solve_lambda``, 16.3+ and 17.x), or None when absent.

    The profile is returned as one flat vector in Gambit's order (players, information sets,
    actions), which for a file we wrote is ``game.players`` / ``game.infosets`` order.
    """
    try:
        import pygambit
        from pygambit import qre
    except ImportError:
        return None
    import io

    from deterrence.io.gambit import dumps

    g = pygambit.read_efg(io.StringIO(dumps(game)))
    profile = qre.logit_solve_lambda(g, lam=[lam], use_strategic=False)[0]
    return np.array([float(profile[i]) for i in range(len(profile))])


def _timed(call: Any) -> tuple[Any, float, float]:
    """``(call(), wall seconds, CPU seconds)``."""
    start, cpu = time.perf_counter(), time.process_time()
    out = call()
    return out, time.perf_counter() - start, time.process_time() - cpu


def _tree_and_payoffs(f: Any, points: dict[str, np.ndarray]) -> tuple[Any, np.ndarray]:
    """The compiled agent tree of ``qre_outcomes`` function ``f`` and its terminal payoffs at ``points``."""
    _, names, values, function, (tree, _) = f._state()
    return tree, np.asarray(f._payoffs(values, points, names, function), dtype=np.float64)


def bench(form: str, size: int, loop: int, seed: int, lam: float) -> dict[str, Any]:
    from deterrence.analysis.qre_outcomes import qre_outcomes
    from deterrence.solvers.facade import solve
    from games.iran_pakistan.forms import sequential_game

    build = sequential_game if form == "sequential" else bayesian_fixed_priors
    f = qre_outcomes(build, {"escalate": ("Iran", "after calibrated", "escalate")} if form == "sequential" else {}, lam)
    points = _points(size, seed)
    f({k: v[:2] for k, v in points.items()})  # compile outside the timing
    out, batch_time, batch_cpu = _timed(lambda: f(points))
    from deterrence.solvers.qre_batch import agent_qre_batch

    game0 = build({})
    tree, head = _tree_and_payoffs(f, {k: v[:loop] for k, v in points.items()})
    batch = agent_qre_batch(tree, head, lam)
    start = time.perf_counter()
    worst = 0.0
    for i in range(loop):
        game = build({k: float(v[i]) for k, v in points.items()})
        single = solve(game, "qre", options={"lam": lam})[0]
        worst = max(worst, float(np.max(np.abs(_flat(game0, single) - batch.sigma[i]))))
    loop_time = (time.perf_counter() - start) / loop
    row: dict[str, Any] = {
        "form": form,
        "points": size,
        "lambda": lam,
        "batch_seconds": batch_time,
        "batch_points_per_second": size / batch_time,
        "batch_cpu_seconds": batch_cpu,
        "batch_points_per_cpu_second": size / batch_cpu,
        "loop_seconds_per_point": loop_time,
        "loop_points": loop,
        "speedup_over_loop": loop_time * size / batch_time,
        "max_difference_batch_vs_loop": worst,
        "max_residual": float(np.max(out["residual"])),
        "not_converged": int(np.sum(out["residual"] > 1e-9)),
    }
    gambit_time, gambit_difference = None, None
    first = build({k: float(v[0]) for k, v in points.items()})
    if _gambit_logit(first, lam) is not None:
        start = time.perf_counter()
        gambit_difference = 0.0
        for i in range(min(loop, 5)):
            flat = _gambit_logit(build({k: float(v[i]) for k, v in points.items()}), lam)
            gambit_difference = max(gambit_difference, float(np.max(np.abs(flat - batch.sigma[i]))))
        gambit_time = (time.perf_counter() - start) / min(loop, 5)
    row["pygambit_max_difference"] = gambit_difference
    row["batch_vs_pygambit"] = None if gambit_time is None else gambit_time * size / batch_time
    row["pygambit_seconds_per_point"] = gambit_time
    return row


def bench_noisy(size: int, check: int, seed: int, lam: float, noise: float) -> dict[str, Any]:
    """The Bayesian tree's payoffs plus N(0, noise) per terminal payoff: reduced Newton against full Newton."""
    from deterrence.analysis.qre_outcomes import qre_outcomes
    from deterrence.solvers.qre_batch import agent_qre_batch

    f = qre_outcomes(bayesian_fixed_priors, {}, lam)
    points = _points(size, seed)
    f({k: v[:2] for k, v in points.items()})
    tree, pay = _tree_and_payoffs(f, points)
    pay = pay + np.random.default_rng(seed).normal(0.0, noise, pay.shape)
    agent_qre_batch(tree, pay[:2], lam)  # warm up outside the timing
    batch, batch_time, batch_cpu = _timed(lambda: agent_qre_batch(tree, pay, lam))
    full, full_wall, _ = _timed(lambda: agent_qre_batch(tree, pay[:check], lam, method="full"))
    full_time = full_wall / check
    both = batch.converged[:check] & full.converged
    difference = np.abs(batch.sigma[:check][both] - full.sigma[both])
    return {
        "form": f"bayesian+N(0,{noise:g})",
        "points": size,
        "lambda": lam,
        "noise": noise,
        "batch_seconds": batch_time,
        "batch_points_per_second": size / batch_time,
        "batch_cpu_seconds": batch_cpu,
        "batch_points_per_cpu_second": size / batch_cpu,
        "loop_seconds_per_point": full_time,
        "loop_points": check,
        "loop_method": 'agent_qre_batch(method="full") on the first points',
        "speedup_over_loop": full_time * size / batch_time,
        "max_difference_batch_vs_loop": float(np.max(difference, initial=0.0)),
        "max_residual": float(np.nanmax(batch.residual)),
        "not_converged": int(np.sum(~batch.converged)),
        "pygambit_max_difference": None,
        "batch_vs_pygambit": None,
        "pygambit_seconds_per_point": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer points")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--lam", type=float, default=1.0)
    parser.add_argument("--noise", type=float, default=0.3, help="s.d. of the payoff noise of the coupled row (0.3)")
    args = parser.parse_args()
    machine = _machine()
    rows = [
        bench("sequential", 20_000 if args.quick else 200_000, 5 if args.quick else 20, args.seed, args.lam),
        bench("bayesian", 2_000 if args.quick else 20_000, 3 if args.quick else 10, args.seed, args.lam),
        bench_noisy(2_000 if args.quick else 20_000, 200 if args.quick else 1_000, args.seed, args.lam, args.noise),
    ]
    print(
        f"{'form':<22} {'points':>8} {'points/s':>10} {'per CPU-s':>10} {'loop s/point':>13} "
        f"{'speedup':>9} {'max diff':>9} {'unconverged':>11}"
    )
    for r in rows:
        print(
            f"{r['form']:<22} {r['points']:>8} {r['batch_points_per_second']:>10.4g} "
            f"{r['batch_points_per_cpu_second']:>10.4g} "
            f"{r['loop_seconds_per_point']:>13.4g} {r['speedup_over_loop']:>9.4g} "
            f"{r['max_difference_batch_vs_loop']:>9.2g} {r['not_converged']:>11}"
        )
        if "loop_method" in r:
            print(f"  loop: {r['loop_method']}")
        elif r["pygambit_seconds_per_point"] is None:
            print("  pygambit logit_solve_lambda: not installed, skipped")
        else:
            print(
                f"  pygambit: {r['pygambit_seconds_per_point']:.4g} s/point, "
                f"batch {r['batch_vs_pygambit']:.4g}x faster, max difference {r['pygambit_max_difference']:.2g}"
            )
    write_results(RESULTS, {"machine": machine, "seed": args.seed, "noise": args.noise, "rows": rows})


if __name__ == "__main__":
    main()
