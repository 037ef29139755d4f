"""Benchmark: ``deterrence sweep iran-pakistan-matrix`` end to end, against per-point peer loops.

What is timed (issue 9), written to ``benchmarks/results/cli_sweep.json``:

``cli``
    The command line itself, in a fresh process each time (interpreter start-up, imports, the
    sweep, the merge and the sidecar all included), over a ``1000 x N`` grid of
    ``china_mediation`` x ``precedent_loss`` at 10^5 and 10^6 points, writing CSV and Parquet
    to a temporary directory (deleted afterwards).  The best of ``--repeat`` runs is kept, and
    the table's size is recorded.
``startup``
    ``deterrence --version`` and a 4-point sweep in fresh processes: the fixed cost of a run.
``profile``
    One in-process run of the 10^6-point CSV sweep under :mod:`cProfile`: the share of the time
    spent in the model's evaluator, in the batched small-game solver
    (:func:`deterrence.solvers.small_games.small_game_equilibria`, unused by this model, which
    solves its continuation in closed form), in formatting chunks, in writing them, and in
    merging and hashing the table.
``peers``
    The same points' 5x4 games (payoffs from the compiled parametric ``matrix_game``, given to
    the peers for free), solved one point at a time by nashpy's ``support_enumeration`` and, when
    it is installed, QuantEcon's ``quantecon.game_theory.support_enumeration`` (after one call
    to compile it), each point building its game object and solving it.  Only a sample of
    ``--peer-points`` points is solved; the rate per point is **extrapolated** to the whole grid.

``paired_runs``
    The machine may be shared with other work, so rates measured minutes apart are not
    comparable: the 10^6-point CSV sweep and a quarter-size peer sample are timed back to back
    ``--repeat`` times and the median of the ratios is reported.  CPU seconds (user + system) of
    the CLI process are recorded too.

Targets: the CLI at >= 10^6 points/s at 10^6 points, >= 1000x the nashpy loop and >= 20x the
QuantEcon loop.  Usage: ``python benchmarks/cli_sweep.py [--quick] [--repeat N] [--peer-points N]``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "cli_sweep.json"
MODEL = "iran-pakistan-matrix"


def _grid(points: int) -> list[str]:
    return ["--grid", "china_mediation=0:5:1000", "--grid", f"precedent_loss=0:20:{points // 1000}"]


def bench_cli(points: int, suffix: str, repeat: int, folder: Path) -> dict[str, Any]:
    """Best wall time of ``repeat`` fresh ``deterrence sweep`` processes."""
    times, cpu, size = [], [], 0
    for k in range(repeat):
        out = folder / f"cli-{points}-{k}{suffix}"
        argv = [sys.executable, "-m", "deterrence", "sweep", MODEL, *_grid(points), "-q", "-o", str(out)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        size = out.stat().st_size
        out.unlink()
        Path(f"{out}.provenance.json").unlink()
    best = min(times)
    return {
        "points": points,
        "format": suffix.lstrip("."),
        "seconds_best": best,
        "seconds_all": times,
        "points_per_second": points / best,
        "cpu_seconds_best": min(cpu),
        "points_per_cpu_second": points / min(cpu),
        "bytes": size,
    }


def bench_startup(repeat: int, folder: Path) -> dict[str, Any]:
    """Start-up: ``python -m deterrence --version`` and a 4-point sweep, fresh processes (best wall, CPU)."""
    out: dict[str, Any] = {}
    for key, argv in (
        ("version", ["--version"]),
        ("sweep_4_points", ["sweep", MODEL, "--grid", "china_mediation=0:5:2", "--grid", "precedent_loss=0:20:2"]),
    ):
        times, cpu = [], []
        for _ in range(repeat):
            extra = ["-q", "-o", str(folder / "tiny.csv")] if key != "version" else []
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "deterrence", *argv, *extra], check=True, cwd=ROOT, capture_output=True
            )
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        out[key] = {"seconds_best": min(times), "cpu_seconds_best": min(cpu)}
    return out


def _share(stats: pstats.Stats, total: float, *patterns: str) -> float:
    """Cumulative seconds of the functions whose ``file:function`` contains a pattern (outermost only)."""
    seconds = 0.0
    for (file, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if any(p in f"{file}:{name}" for p in patterns):
            seconds += cumulative
    return seconds / total


def bench_profile(points: int, folder: Path) -> dict[str, Any]:
    """Where the time of one in-process CLI sweep goes (cProfile, cumulative shares)."""
    from deterrence.cli.main import main
    from deterrence.sweeps import run

    def write_inline(store: Any, chunks: Any, in_table: Any, bar: Any) -> None:
        for index, columns in chunks:  # cProfile sees one thread: format and write in it, not behind
            store.add(index, columns, in_table, getattr(columns, "exact_fallbacks", None))

    out = folder / "profiled.csv"
    behind, run._write_behind = run._write_behind, write_inline  # type: ignore[assignment]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    main(["sweep", MODEL, *_grid(points), "-q", "-o", str(out)])
    profiler.disable()
    total = time.perf_counter() - start
    run._write_behind = behind  # type: ignore[assignment]
    stats = pstats.Stats(profiler)
    return {
        "points": points,
        "seconds_in_process": total,
        "share_model_evaluate": _share(stats, total, "model.py:evaluate"),
        "share_small_game_solver": _share(stats, total, "small_games.py:small_game_equilibria"),
        "share_outcome_labels": _share(stats, total, "iran_pakistan/models.py:_labels", "tables.py:factor"),
        "share_chunk_formatting": _share(stats, total, "store.py:prepare"),
        "share_chunk_files": _share(stats, total, "store.py:commit"),
        "share_table_hash": _share(stats, total, "store.py:_write"),
        "share_merge": _share(stats, total, "store.py:merge"),
        "share_sidecar_and_digest": _share(stats, total, "run.py:_sidecar"),
        "note": "shares of the in-process time (imports of the sweep path included, interpreter start-up not); "
        "chunks formatted and written inline, not by the two pipeline threads, so that cProfile sees them; "
        "chunk_files includes appending to the table (table_hash: the write and SHA-256 of its bytes)",
    }


def _payoffs(points: int, sample: int) -> tuple[np.ndarray, np.ndarray]:
    """The 5x4 payoff matrices at ``sample`` points spread evenly over the CLI's grid."""
    from deterrence.forms.evaluate import compile_values
    from deterrence.library import get_model
    from deterrence.sweeps.designs import grid
    from games.iran_pakistan.forms import matrix_game

    model = get_model(MODEL)
    design = grid({"china_mediation": (0, 5, 1000), "precedent_loss": (0, 20, points // 1000)})
    index = np.linspace(0, design.size - 1, sample).astype(np.int64)
    levels = np.unravel_index(index, design.levels)
    varied = {
        name: low + (high - low) * level / (n - 1)
        for name, (low, high), level, n in zip(design.names, design.bounds, levels, design.levels, strict=True)
    }
    base = {p.name: float(p.default) for p in model.parameters}
    game = matrix_game(None)
    names = sorted(game.parameters)
    values = [np.asarray(varied.get(n, np.full(sample, base[n])), dtype=np.float64) for n in names]
    payoffs = compile_values(np.asarray(game.payoffs, dtype=object), names)(*values)
    return np.ascontiguousarray(payoffs[..., 0]), np.ascontiguousarray(payoffs[..., 1])


def _peer_loop(count: Any, points: int, sample: int) -> dict[str, Any]:
    """Time ``count(k)`` (equilibria of sample game ``k``) over the sample; rates extrapolated to ``points``."""
    start, cpu = time.perf_counter(), time.process_time()
    found = [count(k) for k in range(sample)]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds_per_point": seconds / sample,
        "cpu_seconds_per_point": cpu / sample,
        "points_per_second": sample / seconds,
        "extrapolated_seconds": points * seconds / sample,
        "equilibria_listed": int(sum(found)),
    }


def bench_peers(points: int, sample: int) -> dict[str, Any]:
    """Per-point peer loops on a sample of the grid's games; the rate is extrapolated."""
    import nashpy

    a, b = _payoffs(points, sample)
    out: dict[str, Any] = {"sample_points": sample, "extrapolated_to": points}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns on degenerate games (this one is, by construction)
        out["nashpy"] = _peer_loop(lambda k: len(list(nashpy.Game(a[k], b[k]).support_enumeration())), points, sample)
    try:
        from quantecon.game_theory import NormalFormGame, Player, support_enumeration
    except ImportError:
        out["quantecon"] = None
        return out
    support_enumeration(NormalFormGame([Player(a[0]), Player(b[0].T)]))  # compile (numba) once, untimed
    quantecon = _peer_loop(
        lambda k: len(support_enumeration(NormalFormGame([Player(a[k]), Player(b[k].T)]))), points, sample
    )
    games = [NormalFormGame([Player(a[k]), Player(b[k].T)]) for k in range(sample)]
    start = time.perf_counter()
    for g in games:
        support_enumeration(g)
    solver_only = time.perf_counter() - start
    out["quantecon"] = {
        **quantecon,
        "solver_only_points_per_second": sample / solver_only,
        "note": "each point builds its NormalFormGame and solves it (as nashpy's loop builds its Game); "
        "solver_only times the solve alone on prebuilt games; the first call (numba compilation) is excluded",
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10^4 and 10^5 points, one run each")
    parser.add_argument("--repeat", type=int, default=3, help="fresh CLI runs per size (best kept)")
    parser.add_argument("--peer-points", type=int, default=2000, help="points the peers solve")
    parser.add_argument("--output", default=str(RESULTS), help="results JSON")
    args = parser.parse_args()
    load_before = os.getloadavg()
    sizes = (10**4, 10**5) if args.quick else (10**5, 10**6)
    repeat = 1 if args.quick else args.repeat
    folder = Path(tempfile.mkdtemp(prefix="cli-sweep-"))
    try:
        startup = bench_startup(max(3, repeat), folder)
        cli = [bench_cli(n, suffix, repeat, folder) for n in sizes for suffix in (".csv", ".parquet")]
        profile = bench_profile(sizes[-1], folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    peers = bench_peers(sizes[-1], min(args.peer_points, sizes[-1]))
    big = next(r for r in cli if r["points"] == sizes[-1] and r["format"] == "csv")
    # The machine may be shared: time the CLI and the peers back to back, several times, and
    # keep the median of the ratios (each measured within seconds of each other).
    paired = []
    folder = Path(tempfile.mkdtemp(prefix="cli-sweep-"))
    try:
        for _ in range(repeat):
            one = bench_cli(sizes[-1], ".csv", 1, folder)
            them = bench_peers(sizes[-1], max(200, min(args.peer_points, sizes[-1]) // 4))
            row = {"cli_points_per_second": one["points_per_second"]}
            row["vs_nashpy_loop"] = one["points_per_second"] / them["nashpy"]["points_per_second"]
            if them.get("quantecon"):
                row["vs_quantecon_loop"] = one["points_per_second"] / them["quantecon"]["points_per_second"]
            paired.append(row)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    nashpy_rate = peers["nashpy"]["points_per_second"]
    qe = peers.get("quantecon")
    result: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": load_before,
            "load_after": None,
        },
        "startup": startup,
        "cli": cli,
        "profile": profile,
        "peers": peers,
        "ratios_at_largest_csv": {
            "cli_points_per_second": big["points_per_second"],
            "vs_nashpy_loop": big["points_per_second"] / nashpy_rate,
            "vs_quantecon_loop": big["points_per_second"] / qe["points_per_second"] if qe else None,
            "cli_points_per_cpu_second": big["points_per_cpu_second"],
            "vs_nashpy_loop_cpu": big["points_per_cpu_second"] * peers["nashpy"]["cpu_seconds_per_point"],
            "vs_quantecon_loop_cpu": big["points_per_cpu_second"] * qe["cpu_seconds_per_point"] if qe else None,
            "note": "wall-clock ratios depend on the machine's load; the cpu ratios count CPU seconds "
            "(user + system, all threads) of the CLI process and of the peer loops",
        },
        "paired_runs": paired,
        "paired_median": {
            key: float(np.median([row[key] for row in paired if key in row]))
            for key in ("cli_points_per_second", "vs_nashpy_loop", "vs_quantecon_loop")
            if any(key in row for row in paired)
        },
        "targets": {"points_per_second": 1e6, "vs_nashpy_loop": 1000, "vs_quantecon_loop": 20},
    }
    result["machine"]["load_after"] = os.getloadavg()  # the load is what other work on the machine does
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    for row in cli:
        print(
            f"cli {row['points']:>9,} points {row['format']:<7} {row['seconds_best']:6.2f} s "
            f"{row['points_per_second']:>11,.0f} points/s  (cpu {row['cpu_seconds_best']:5.2f} s, "
            f"{row['points_per_cpu_second']:>11,.0f} points/cpu-s) {row['bytes'] / 1e6:8.1f} MB"
        )
    print(f"start-up: {startup}")
    shares = {k[6:]: round(v, 3) for k, v in profile.items() if k.startswith("share_")}
    print(f"profile ({profile['points']:,} points, {profile['seconds_in_process']:.2f} s in process): {shares}")
    print(
        f"nashpy loop {nashpy_rate:,.0f} points/s (extrapolated from {peers['sample_points']} points); "
        f"cli/nashpy = {result['ratios_at_largest_csv']['vs_nashpy_loop']:,.0f}x "
        f"(cpu: {result['ratios_at_largest_csv']['vs_nashpy_loop_cpu']:,.0f}x)"
    )
    if qe:
        print(
            f"quantecon loop {qe['points_per_second']:,.0f} points/s (extrapolated); "
            f"cli/quantecon = {result['ratios_at_largest_csv']['vs_quantecon_loop']:,.1f}x "
            f"(cpu: {result['ratios_at_largest_csv']['vs_quantecon_loop_cpu']:,.1f}x)"
        )
    print(f"paired runs (CLI then peers, {repeat}x), medians: {result['paired_median']}")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
