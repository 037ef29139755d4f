"""Benchmark: agent logit QRE of the Iran-Pakistan trees at many parameter points.

Times, at the same random parameter points (fixed seed, four parameters varied over their
ranges as in ``benchmarks/sweep.py``):

* ``qre_outcomes`` (payoffs compiled once, then :func:`~deterrence.solvers.qre_batch.agent_qre_batch`)
  on the sequential tree (perfect information: one backward logit pass) and on the Bayesian
  tree (information sets: Newton continuation in lambda, batched);
* a per-point loop of the single-point solver (``solve(game, "qre", options={"lam": L})``,
  path following) on a few of the points, and the largest difference from the batch;
* pygambit's ``qre.logit_solve_lambda`` (agent form, pygambit 16.3+ and 17.x) on a few points
  when pygambit is installed, with the largest difference from the batch; skipped otherwise.

Prints points per second and the ratios, and writes ``benchmarks/results/qre.json``.

Usage: ``python benchmarks/qre.py [--quick] [--seed N] [--lam L]``.
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


def bench(form: str, size: int, loop: int, seed: int, lam: float) -> dict[str, Any]:
    from deterrence.analysis.qre_outcomes import qre_outcomes
    from deterrence.solvers.facade import solve
    from games.iran_pakistan.forms import sequential_game

    build = sequential_game if form == "sequential" else bayesian_fixed_priors
    f = qre_outcomes(build, {"escalate": ("Iran", "after calibrated", "escalate")} if form == "sequential" else {}, lam)
    points = _points(size, seed)
    f({k: v[:2] for k, v in points.items()})  # compile outside the timing
    start = time.perf_counter()
    out = f(points)
    batch_time = time.perf_counter() - start
    from deterrence.solvers.qre_batch import agent_qre_batch

    game0 = build({})
    _, names, values, function, (tree, _) = f._state()
    head = {k: v[:loop] for k, v in points.items()}
    batch = agent_qre_batch(tree, np.asarray(f._payoffs(values, head, names, function)), lam)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer points")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--lam", type=float, default=1.0)
    args = parser.parse_args()
    machine = _machine()
    rows = [
        bench("sequential", 20_000 if args.quick else 200_000, 5 if args.quick else 20, args.seed, args.lam),
        bench("bayesian", 500 if args.quick else 4_000, 3 if args.quick else 10, args.seed, args.lam),
    ]
    print(f"{'form':<11} {'points':>8} {'points/s':>12} {'loop s/point':>13} {'speedup':>9} {'max diff':>9}")
    for r in rows:
        print(
            f"{r['form']:<11} {r['points']:>8} {r['batch_points_per_second']:>12.4g} "
            f"{r['loop_seconds_per_point']:>13.4g} {r['speedup_over_loop']:>9.4g} "
            f"{r['max_difference_batch_vs_loop']:>9.2g}"
        )
        if r["pygambit_seconds_per_point"] is None:
            print("  pygambit logit_solve_lambda: not installed, skipped")
        else:
            print(
                f"  pygambit: {r['pygambit_seconds_per_point']:.4g} s/point, "
                f"batch {r['batch_vs_pygambit']:.4g}x faster, max difference {r['pygambit_max_difference']:.2g}"
            )
    write_results(RESULTS, {"machine": machine, "seed": args.seed, "rows": rows})


if __name__ == "__main__":
    main()
