"""Benchmark: zero-sum trees by the sparse sequence-form LP (Kuhn poker, Leduc hold'em, deep binary trees).

Games (``deterrence.forms.synthetic``):

* Kuhn poker (3 cards; value -1/18),
* Leduc hold'em with at most 1 raise per round (a smaller variant) and the standard game
  (6-card deck, two rounds, at most 2 bets or raises per round; 337 sequences per player),
* complete zero-sum binary trees with perfect information of depth 12, 14 and 16
  (65,536 leaves; the target is under 60 s for the whole LP path, verification included).

For each game the script times ``solve_zero_sum`` (building the sparse sequence form, two
HiGHS LPs, behaviour strategies, verification against both best responses, and the exact
rational recovery for exact games), and a peer in the same run: the float sequence-form LCP
(``nash_lcp(exact=False, starts=1)``) on the poker games, and pygambit's ``lp_solve`` when
pygambit is installed (up to 1000 sequences).  It prints the ratios and writes ``benchmarks/results/poker.json``.

Usage: ``python benchmarks/poker.py [--quick] [--no-deep]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path
from typing import Any

from _common import pygambit_tree_seconds, timed, version, write_results

from deterrence.forms.synthetic import kuhn_poker, leduc_poker, random_tree
from deterrence.solvers.lcp import nash_lcp
from deterrence.solvers.sequence_form import sequence_form, solve_zero_sum

RESULTS = Path(__file__).parent / "results" / "poker.json"
#: pygambit's lp_solve (C++, not interruptible) is run only up to this many sequences (Leduc: 110 s).
PYGAMBIT_UP_TO = 1000


def _games(quick: bool, deep: bool) -> list[tuple[str, Any, bool]]:
    """(name, builder, run the LCP peer)."""
    games: list[tuple[str, Any, bool]] = [
        ("kuhn", kuhn_poker, True),
        ("leduc-1-raise", lambda: leduc_poker(1), True),
    ]
    if not quick:
        games.append(("leduc", leduc_poker, True))
    if deep:
        for depth in (12, 14) if quick else (12, 14, 16):
            games.append((f"binary-depth-{depth}", lambda d=depth: random_tree(d, seed=3), False))
    return games


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small Leduc only, deep trees to depth 14")
    parser.add_argument("--no-deep", action="store_true", help="skip the deep binary trees")
    args = parser.parse_args(argv)
    if version("pygambit") is None:
        print("pygambit is not installed: its lp_solve column is skipped")
    solve_zero_sum(kuhn_poker())  # warm up: import scipy and HiGHS before timing
    rows = []
    for name, build, with_lcp in _games(args.quick, not args.no_deep):
        build_s, game = timed(build)
        row: dict[str, Any] = {"game": name, "build_s": build_s, "sequences": sequence_form(game).size}
        row["lp_s"], found = timed(lambda g=game: solve_zero_sum(g))
        row["value"] = str(found[0].payoffs[game.players[0]])
        row["exact"] = found[0].exact
        text = (
            f"{name:<18} {row['sequences']:>7} seq  build {build_s:6.2f}s  LP {row['lp_s']:7.2f}s  value {row['value']}"
        )
        if with_lcp:
            row["lcp_float_s"], lcp = timed(lambda g=game: nash_lcp(g, exact=False, starts=1))
            row["lcp_value"] = float(lcp[0].payoffs[game.players[0]])
            text += f"  LCP {row['lcp_float_s']:7.2f}s (x{row['lcp_float_s'] / row['lp_s']:.1f} of LP)"
        gambit = pygambit_tree_seconds(game, "lp_solve") if row["sequences"] <= PYGAMBIT_UP_TO else None
        if gambit is not None:
            row["pygambit_lp_s"] = gambit
            text += f"  pygambit lp {gambit:.2f}s (x{gambit / row['lp_s']:.2f})"
        rows.append(row)
        print(text, flush=True)
    out = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "versions": {name: version(name) for name in ("numpy", "scipy", "highspy", "pygambit")},
        "rows": rows,
    }
    write_results(RESULTS, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
