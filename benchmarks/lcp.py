"""Benchmark: one equilibrium of general-sum two-player trees by Lemke's algorithm on the sequence form.

Random general-sum trees (``deterrence.forms.synthetic.random_tree``: binary, alternating
players, integer payoffs in [-10, 10], perfect information or with information sets) of
about 10^2 to 10^4 sequences.  For each tree the script times (wall and CPU seconds)

* ``nash_lcp(..., exact=False, starts=1)`` (float pivoting on a factorised basis, one path;
  its pivots (``lcp_float_pivots``) and LU factorisations are recorded),
* ``nash_lcp(..., exact=True, starts=1)`` (integer pivoting) on the smaller trees,
* the peer in the same run: the reduced-normal-form path (``solve(game, "nash", "reduced")``,
  every extreme equilibrium) where its work estimate lets it run, and pygambit's
  ``lcp_solve`` when pygambit is installed (16.x and 17.x spellings are both handled),
  in a child process that is killed after ``--cap`` seconds;

and prints the ratio peer time / LCP time.  Results go to ``benchmarks/results/lcp.json``.

Usage: ``python benchmarks/lcp.py [--quick] [--full] [--seed N] [--cap S] [--float-cap S]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

from _common import pygambit_tree_seconds, version, write_results

from deterrence.errors import SolverError
from deterrence.forms.synthetic import random_tree
from deterrence.solvers.facade import solve
from deterrence.solvers.lcp import nash_lcp
from deterrence.solvers.sequence_form import sequence_form

RESULTS = Path(__file__).parent / "results" / "lcp.json"
# (depth, information): 32, 18, 34, 66, 258, 512, 514, 1024, 1026, 2048 and 2050 sequences; the small
# ones let the reduced-normal-form peer run.  --full adds 4096, 4098, 8192 and 8194.
SIZES = [
    (4, "perfect"),
    (4, "imperfect"),
    (5, "imperfect"),
    (6, "imperfect"),
    (8, "imperfect"),
    (8, "perfect"),
    (9, "imperfect"),
    (9, "perfect"),
    (10, "imperfect"),
    (10, "perfect"),
    (11, "imperfect"),
]
FULL = [(11, "perfect"), (12, "imperfect"), (12, "perfect"), (13, "imperfect")]
#: Integer pivoting beyond this took minutes (54 s at 514 sequences; over 30 min at 1026).
EXACT_UP_TO = 600


class _Timeout(Exception):
    pass


def _capped(function: Any, seconds: float) -> Any:
    """Run ``function``, interrupting pure-Python work after ``seconds`` (Unix; raises _Timeout)."""

    def alarm(signum: int, frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timed(function: Any) -> tuple[float, float, Any]:
    """``(wall seconds, CPU seconds of this process, result)`` of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = function()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def _pygambit_worker(game: Any, queue: Any) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    seconds = pygambit_tree_seconds(game, "lcp_solve")
    queue.put(None if seconds is None else (seconds, time.process_time() - cpu, time.perf_counter() - wall))


def _pygambit(game: Any, cap: float) -> dict[str, Any]:
    """pygambit's ``lcp_solve`` in a child process (C++ cannot be interrupted otherwise), killed after ``cap``."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_pygambit_worker, args=(game, queue))
    child.start()
    child.join(cap)
    if child.is_alive():
        child.terminate()
        child.join()
        return {"pygambit_refused": f"killed after {cap:g} s"}
    out = queue.get() if not queue.empty() else None
    if out is None:
        return {}
    return {"pygambit_lcp_s": out[0], "pygambit_lcp_cpu_s": out[1]}


def run(sizes: list[tuple[int, str]], seed: int, cap: float, float_cap: float) -> list[dict[str, Any]]:
    rows = []
    gambit = version("pygambit") is not None
    for depth, information in sizes:
        game = random_tree(depth, seed=seed, zero_sum=False, information=information)
        sequences = sequence_form(game).size
        row: dict[str, Any] = {"depth": depth, "information": information, "sequences": sequences}
        try:
            wall, cpu, found = _timed(lambda g=game: _capped(lambda: nash_lcp(g, exact=False, starts=1), float_cap))
            row["lcp_float_s"], row["lcp_float_cpu_s"] = wall, cpu
            row["lcp_float_payoffs"] = {p: float(v) for p, v in found[0].payoffs.items()}
            row["lcp_float_regret"] = found[0].regret
            row["lcp_float_path"] = found.notes[1]
            pivots = re.search(r"after (\d+) pivots", found.notes[1])
            row["lcp_float_pivots"] = int(pivots.group(1)) if pivots else None
        except (SolverError, _Timeout) as err:  # a ray, the pivot limit, cycling, or the time cap
            row["lcp_float_failed"] = str(err) or f"interrupted after {float_cap:g} s"
            print(f"{depth:>3} {information:<9} {sequences:>6} seq  lcp-float failed: {row['lcp_float_failed']}")
        if sequences <= EXACT_UP_TO:
            row["lcp_exact_s"], row["lcp_exact_cpu_s"], _ = _timed(lambda g=game: nash_lcp(g, exact=True, starts=1))
        try:
            row["reduced_s"], _, reduced = _timed(lambda g=game: _capped(lambda: solve(g, "nash", "reduced"), cap))
            row["reduced_equilibria"] = len(reduced)
        except _Timeout:
            row.pop("reduced_s", None)
            row["reduced_refused"] = f"interrupted after {cap:g} s"
        except SolverError as err:
            row["reduced_refused"] = str(err).split(";")[0]
        except OverflowError:  # the work estimate itself overflows on astronomically large reduced forms
            row["reduced_refused"] = "the reduced normal form is too large to estimate"
        if gambit:
            row.update(_pygambit(game, cap))
        rows.append(row)
        if "lcp_float_s" in row:
            _print_row(row)
    return rows


def _print_row(row: dict[str, Any]) -> None:
    lcp = row["lcp_float_s"]
    parts = [
        f"{row['depth']:>3} {row['information']:<9} {row['sequences']:>6} seq",
        f"lcp-float {lcp:8.3f}s ({row['lcp_float_cpu_s']:.3f} CPU, {row['lcp_float_pivots']} pivots)",
    ]
    if "lcp_exact_s" in row:
        parts.append(f"lcp-exact {row['lcp_exact_s']:8.3f}s (x{row['lcp_exact_s'] / lcp:.2f})")
    if "reduced_s" in row:
        parts.append(f"reduced {row['reduced_s']:8.3f}s (x{row['reduced_s'] / lcp:.2f} of lcp-float)")
    else:
        parts.append(f"reduced refused: {row['reduced_refused'][:40]}")
    if "pygambit_lcp_s" in row:
        parts.append(f"pygambit lcp {row['pygambit_lcp_s']:.3f}s (x{row['pygambit_lcp_s'] / lcp:.2f})")
    elif "pygambit_refused" in row:
        parts.append(f"pygambit lcp {row['pygambit_refused']}")
    print("  ".join(parts), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the two smallest trees")
    parser.add_argument("--full", action="store_true", help="add the 4096- to 8194-sequence trees (long)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds allowed to each peer (reduced form, pygambit)")
    parser.add_argument("--float-cap", type=float, default=600.0, help="seconds allowed to the float LCP")
    args = parser.parse_args(argv)
    sizes = SIZES[:4] if args.quick else SIZES + (FULL if args.full else [])
    if version("pygambit") is None:
        print("pygambit is not installed: its lcp_solve column is skipped", flush=True)
    rows = run(sizes, args.seed, args.cap, args.float_cap)
    out = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "versions": {name: version(name) for name in ("numpy", "scipy", "pygambit")},
        "seed": args.seed,
        "cap_s": args.cap,
        "float_cap_s": args.float_cap,
        "load_average_at_start": list(os.getloadavg()),
        "rows": rows,
    }
    write_results(RESULTS, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
