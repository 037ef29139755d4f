"""Benchmark: one equilibrium of general-sum two-player trees by Lemke's algorithm on the sequence form.

Random general-sum trees (``deterrence.forms.synthetic.random_tree``: binary, alternating
players, integer payoffs in [-10, 10], perfect information or with information sets) of
about 10^2 to 10^4 sequences.  For each tree the script times

* ``nash_lcp(..., exact=False, starts=1)`` (float pivoting, one path),
* ``nash_lcp(..., exact=True, starts=1)`` (integer pivoting) on the smaller trees,
* the peer in the same run: the reduced-normal-form path (``solve(game, "nash", "reduced")``,
  every extreme equilibrium) where its work estimate lets it run, and pygambit's
  ``lcp_solve`` when pygambit is installed (16.x and 17.x spellings are both handled);

and prints the ratio peer time / LCP time.  Results go to ``benchmarks/results/lcp.json``.

Usage: ``python benchmarks/lcp.py [--quick] [--full] [--seed N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import sys
from pathlib import Path
from typing import Any

from _common import pygambit_tree_seconds, timed, version, write_results

from deterrence.errors import SolverError
from deterrence.forms.synthetic import random_tree
from deterrence.solvers.facade import solve
from deterrence.solvers.lcp import nash_lcp
from deterrence.solvers.sequence_form import sequence_form

RESULTS = Path(__file__).parent / "results" / "lcp.json"
# (depth, information): 32, 18, 34, 66, 258, 512 and 514 sequences; the small ones let the
# reduced-normal-form peer run.  --full adds 2048, 1026 and 4098.
SIZES = [
    (4, "perfect"),
    (4, "imperfect"),
    (5, "imperfect"),
    (6, "imperfect"),
    (8, "imperfect"),
    (8, "perfect"),
    (9, "imperfect"),
]
# Float Lemke did not finish these within 10 minutes on 2 cores (a long or cycling path).
FULL = [(10, "perfect"), (10, "imperfect"), (12, "imperfect")]
EXACT_UP_TO = 600
#: pygambit runs in C++, which the time cap cannot interrupt: only up to this many sequences
#: (its tree LCP, which looks for more than one equilibrium, took 95 s at 258).
PYGAMBIT_UP_TO = 100


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


def run(sizes: list[tuple[int, str]], seed: int, cap: float) -> list[dict[str, Any]]:
    rows = []
    for depth, information in sizes:
        game = random_tree(depth, seed=seed, zero_sum=False, information=information)
        sequences = sequence_form(game).size
        row: dict[str, Any] = {"depth": depth, "information": information, "sequences": sequences}
        try:
            row["lcp_float_s"], found = timed(lambda g=game: nash_lcp(g, exact=False, starts=1))
            row["lcp_float_payoffs"] = {p: float(v) for p, v in found[0].payoffs.items()}
        except SolverError as err:  # the start's path ran past the pivot limit
            row["lcp_float_failed"] = str(err)
            print(f"{depth:>3} {information:<9} {sequences:>6} seq  lcp-float failed: {err}", flush=True)
            rows.append(row)
            continue
        if sequences <= EXACT_UP_TO:
            row["lcp_exact_s"], _ = timed(lambda g=game: nash_lcp(g, exact=True, starts=1))
        try:
            row["reduced_s"], reduced = timed(lambda g=game: _capped(lambda: solve(g, "nash", "reduced"), cap))
            row["reduced_equilibria"] = len(reduced)
        except _Timeout:
            row.pop("reduced_s", None)
            row["reduced_refused"] = f"interrupted after {cap:g} s"
        except SolverError as err:
            row["reduced_refused"] = str(err).split(";")[0]
        except OverflowError:  # the work estimate itself overflows on astronomically large reduced forms
            row["reduced_refused"] = "the reduced normal form is too large to estimate"
        gambit = pygambit_tree_seconds(game, "lcp_solve") if sequences <= PYGAMBIT_UP_TO else None
        if gambit is not None:
            row["pygambit_lcp_s"] = gambit
        rows.append(row)
        _print_row(row)
    return rows


def _print_row(row: dict[str, Any]) -> None:
    lcp = row["lcp_float_s"]
    parts = [f"{row['depth']:>3} {row['information']:<9} {row['sequences']:>6} seq", f"lcp-float {lcp:8.3f}s"]
    if "lcp_exact_s" in row:
        parts.append(f"lcp-exact {row['lcp_exact_s']:8.3f}s")
    if "reduced_s" in row:
        parts.append(f"reduced {row['reduced_s']:8.3f}s (x{row['reduced_s'] / lcp:.2f} of lcp-float)")
    else:
        parts.append(f"reduced refused: {row['reduced_refused']}")
    if "pygambit_lcp_s" in row:
        parts.append(f"pygambit lcp {row['pygambit_lcp_s']:.3f}s (x{row['pygambit_lcp_s'] / lcp:.2f})")
    print("  ".join(parts), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the two smallest trees")
    parser.add_argument("--full", action="store_true", help="add the 2048-, 1026- and 4098-sequence trees (long)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds allowed to the reduced-form peer")
    args = parser.parse_args(argv)
    sizes = SIZES[:4] if args.quick else SIZES + (FULL if args.full else [])
    if version("pygambit") is None:
        print("pygambit is not installed: its lcp_solve column is skipped", flush=True)
    rows = run(sizes, args.seed, args.cap)
    out = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "versions": {name: version(name) for name in ("numpy", "scipy", "pygambit")},
        "seed": args.seed,
        "cap_s": args.cap,
        "rows": rows,
    }
    write_results(RESULTS, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
