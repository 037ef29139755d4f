"""Benchmark: all Nash equilibria of random nondegenerate m x m bimatrix games.

Times, on the same games (fixed seed, a few per size, m = 2..10):

* the toolkit's exact path (``enumerate_equilibria`` on int payoffs: vertex enumeration),
* the toolkit's float path (``enumerate_equilibria`` on float payoffs: pivoting + certificate),
* nashpy's ``support_enumeration`` (capped in time; sizes past the cap are skipped),
* pygambit's ``enummixed_solve`` with ``rational=False`` and ``rational=True`` (when installed),

and, for the exact path, the vertex enumeration backends: pure-Python integer pivoting,
pycddlib (``import cdd``, when installed), and the batched float screen with exact
confirmation by python-flint or by plain :mod:`fractions`.  It prints a table of median
times, time ratios and how many equilibrium sets agree with the toolkit's exact answer, and
writes ``benchmarks/results/all_equilibria.json`` with machine information, versions and
the seed.

Usage: ``python benchmarks/all_equilibria.py [--quick] [--seed N] [--games N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import statistics
import sys
import time
import warnings
from fractions import Fraction
from importlib import metadata
from pathlib import Path

import numpy as np

from deterrence.solvers.enumeration import enumerate_equilibria
from deterrence.solvers.vertex_enumeration import vertex_equilibria

RESULTS = Path(__file__).parent / "results" / "all_equilibria.json"


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Interrupt pure-Python work after ``seconds`` (Unix; no limit elsewhere)."""
    if not hasattr(signal, "setitimer") or seconds <= 0:
        yield
        return

    def handler(signum, frame):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _best_time(func, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - start)
    return best, out


def _key(pairs) -> frozenset:
    return frozenset(
        tuple(np.round(np.array([float(v) for v in (*x, *y)]), 6).tolist()) for x, y in pairs
    )


@contextlib.contextmanager
def _without_flint():
    saved = sys.modules.get("flint")
    sys.modules["flint"] = None  # makes `import flint` raise ImportError: plain fractions are used
    try:
        yield
    finally:
        if saved is None:
            del sys.modules["flint"]
        else:
            sys.modules["flint"] = saved


def _nondegenerate_game(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Random integer payoffs in [-1000, 1000], redrawn until exactly nondegenerate."""
    while True:
        A, B = rng.integers(-1000, 1001, (m, m)), rng.integers(-1000, 1001, (m, m))
        if not vertex_equilibria(A.astype(object), B.astype(object))[1]:
            return A, B


def _gambit():
    try:
        import pygambit
    except ImportError:
        return None
    return pygambit


def _gambit_solve(gbt, A, B, rational: bool):
    if rational:
        game = gbt.Game.from_arrays(A.astype(object), B.astype(object))
    else:
        game = gbt.Game.from_arrays(A.astype(float), B.astype(float))
    start = time.perf_counter()
    result = gbt.nash.enummixed_solve(game, rational=rational)
    elapsed = time.perf_counter() - start
    pairs = [
        (
            [Fraction(str(p[s])) if rational else float(p[s]) for s in game.players[0].strategies],
            [Fraction(str(p[s])) if rational else float(p[s]) for s in game.players[1].strategies],
        )
        for p in result.equilibria
    ]
    return elapsed, pairs


def _versions() -> dict[str, str | None]:
    out = {}
    for name in (
        "numpy",
        "nashpy",
        "pygambit",
        "pycddlib-standalone",
        "pycddlib",
        "python-flint",
        "deterrence",
    ):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _machine() -> dict[str, object]:
    cpu = platform.processor()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def _measure(A, B, repeats: int, have_cdd: bool, gbt, nashpy_cap: float | None) -> dict:
    """Time every method on one game; agreement is judged against the exact path."""
    import nashpy

    # Float methods get the same game scaled into [-1, 1] (equilibria are invariant under positive
    # scaling); nashpy's fixed absolute tolerances lose many solutions at payoffs of size 1000.
    Ao, Bo, Af, Bf = A.astype(object), B.astype(object), A / 1000.0, B / 1000.0
    row: dict[str, object] = {}
    t, exact = _best_time(lambda: enumerate_equilibria(Ao, Bo), repeats)
    reference = _key(exact.equilibria)
    row["n_equilibria"] = len(exact.equilibria)
    row["exact"] = t
    t, flt = _best_time(lambda: enumerate_equilibria(Af, Bf), repeats)
    row["float"], row["float_agrees"] = t, _key(flt.equilibria) == reference
    row["float_complete"] = flt.complete
    # Exact-path backends (all exact; "screened" solves every basis in floats, then exactly).
    backends = {
        "pivoting": lambda: vertex_equilibria(Ao, Bo, backend="pivoting"),
        "screened-flint": lambda: vertex_equilibria(Ao, Bo, backend="screened"),
    }
    if have_cdd:
        backends["cdd"] = lambda: vertex_equilibria(Ao, Bo, backend="cdd")
    for name, func in backends.items():
        t, out = _best_time(func, repeats)
        row[f"backend_{name}"], row[f"backend_{name}_agrees"] = t, _key(out[0]) == reference
    with _without_flint():
        t, out = _best_time(lambda: vertex_equilibria(Ao, Bo, backend="screened"), repeats)
    row["backend_screened-fractions"] = t
    row["backend_screened-fractions_agrees"] = _key(out[0]) == reference
    if nashpy_cap is not None:
        with contextlib.suppress(_Timeout):
            with warnings.catch_warnings(), _time_limit(nashpy_cap):
                warnings.simplefilter("ignore")
                start = time.perf_counter()
                found = list(nashpy.Game(Af, Bf).support_enumeration())
                row["nashpy"] = time.perf_counter() - start
            row["nashpy_agrees"] = _key(found) == reference
            row["nashpy_found"] = len(found)
    if gbt is not None:
        for rational in (False, True):
            label = "gambit_rational" if rational else "gambit_float"
            game = (Ao, Bo) if rational else (Af, Bf)
            runs = [_gambit_solve(gbt, *game, rational) for _ in range(repeats)]
            t, pairs = min(runs, key=lambda r: r[0])
            row[label], row[f"{label}_agrees"] = t, _key(pairs) == reference
    return row


def run(sizes: list[int], games: int, seed: int, nashpy_cap: float, repeats: int) -> dict:
    import nashpy

    gbt = _gambit()
    try:
        import cdd  # noqa: F401

        have_cdd = True
    except ImportError:
        have_cdd = False
    rng = np.random.default_rng(seed)
    # Warm up imports and caches so the first timed game does not pay for them.
    warm_a, warm_b = np.array([[2, 0], [0, 1]]), np.array([[1, 0], [0, 2]])
    enumerate_equilibria(warm_a.astype(object), warm_b.astype(object))
    enumerate_equilibria(warm_a.astype(float), warm_b.astype(float))
    vertex_equilibria(warm_a.astype(object), warm_b.astype(object), backend="screened")
    list(nashpy.Game(warm_a, warm_b).support_enumeration())
    if gbt is not None:
        _gambit_solve(gbt, warm_a, warm_b, True)
        _gambit_solve(gbt, warm_a, warm_b, False)
    rows, nashpy_skipped = [], []
    nashpy_alive = True
    for m in sizes:
        for g in range(games):
            A, B = _nondegenerate_game(rng, m)
            row = _measure(A, B, repeats, have_cdd, gbt, nashpy_cap if nashpy_alive else None)
            if nashpy_alive and "nashpy" not in row:
                nashpy_alive = False
                nashpy_skipped.append(m)
            rows.append({"size": m, "game": g, **row})
            print(f"  m={m} game {g}: {row['n_equilibria']} equilibria", file=sys.stderr)
    if not nashpy_alive:
        nashpy_skipped = sorted({m for m in sizes if m >= nashpy_skipped[0]})
    return {
        "rows": rows,
        "nashpy_skipped_sizes": nashpy_skipped,
        "have_cdd": have_cdd,
        "have_gambit": gbt is not None,
    }


def summarise(rows: list[dict], sizes: list[int]) -> list[dict]:
    methods = sorted({k for r in rows for k in r if isinstance(r[k], float)})
    table = []
    for m in sizes:
        sub = [r for r in rows if r["size"] == m]
        entry: dict[str, object] = {"size": m, "games": len(sub)}
        for name in methods:
            times = [r[name] for r in sub if name in r]
            if times:
                entry[f"{name}_median_s"] = statistics.median(times)
                agree = [r.get(f"{name}_agrees") for r in sub if name in r]
                if any(a is not None for a in agree):
                    entry[f"{name}_agree"] = f"{sum(bool(a) for a in agree)}/{len(agree)}"
        for num, den in (
            ("nashpy", "float"),
            ("nashpy", "exact"),
            ("float", "gambit_float"),
            ("exact", "gambit_rational"),
            ("exact", "gambit_float"),
        ):
            if f"{num}_median_s" in entry and f"{den}_median_s" in entry:
                entry[f"ratio_{num}/{den}"] = entry[f"{num}_median_s"] / entry[f"{den}_median_s"]
        table.append(entry)
    return table


def _print_table(table: list[dict]) -> None:
    cols = [
        ("m", "size", "{}"),
        ("exact ms", "exact_median_s", "{:.1f}"),
        ("float ms", "float_median_s", "{:.1f}"),
        ("nashpy ms", "nashpy_median_s", "{:.0f}"),
        ("gbt-f ms", "gambit_float_median_s", "{:.1f}"),
        ("gbt-q ms", "gambit_rational_median_s", "{:.1f}"),
        ("nashpy/float", "ratio_nashpy/float", "{:.0f}x"),
        ("nashpy/exact", "ratio_nashpy/exact", "{:.0f}x"),
        ("float/gbt-f", "ratio_float/gambit_float", "{:.2f}"),
        ("exact/gbt-q", "ratio_exact/gambit_rational", "{:.2f}"),
        ("agree: float nashpy gbt-f gbt-q", None, None),
    ]
    print(" | ".join(f"{c[0]:>12}" for c in cols))
    for e in table:
        cells = []
        for _, key, fmt in cols:
            if key is None:
                cells.append(
                    " ".join(
                        str(e.get(f"{k}_agree", "-"))
                        for k in ("float", "nashpy", "gambit_float", "gambit_rational")
                    )
                )
                continue
            value = e.get(key)
            if value is None:
                cells.append("-")
            elif key.endswith("_s"):
                cells.append(fmt.format(value * 1000))
            else:
                cells.append(fmt.format(value))
        print(" | ".join(f"{c:>12}" for c in cells))
    print("\nexact-path backends (median ms): pivoting / screened+flint / screened+fractions / cdd")
    for e in table:
        parts = [
            f"{e[k] * 1000:.1f}" if k in e else "-"
            for k in (
                "backend_pivoting_median_s",
                "backend_screened-flint_median_s",
                "backend_screened-fractions_median_s",
                "backend_cdd_median_s",
            )
        ]
        print(f"  m={e['size']:>2}: " + " / ".join(parts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="sizes 2..6, 2 games each, short nashpy cap"
    )
    parser.add_argument("--seed", type=int, default=20240116)
    parser.add_argument(
        "--games", type=int, default=None, help="games per size (default 3, quick 2)"
    )
    parser.add_argument("--max-size", type=int, default=None)
    parser.add_argument(
        "--nashpy-cap",
        type=float,
        default=None,
        help="seconds per nashpy solve before sizes are skipped",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("-o", "--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    top = args.max_size or (6 if args.quick else 10)
    sizes = list(range(2, top + 1))
    games = args.games or (2 if args.quick else 3)
    cap = args.nashpy_cap or (10.0 if args.quick else 90.0)
    machine = _machine()
    start = time.perf_counter()
    out = run(sizes, games, args.seed, cap, args.repeats)
    table = summarise(out["rows"], sizes)
    machine["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    report = {
        "benchmark": "all_equilibria",
        "seed": args.seed,
        "sizes": sizes,
        "games_per_size": games,
        "repeats": args.repeats,
        "nashpy_cap_seconds": cap,
        "nashpy_skipped_sizes": out["nashpy_skipped_sizes"],
        "have_cdd": out["have_cdd"],
        "have_gambit": out["have_gambit"],
        "payoffs": "integers uniform in [-1000, 1000], redrawn until exactly nondegenerate; "
        "exact methods get the integers, float methods (toolkit float path, nashpy, gambit "
        "float) the same game divided by 1000",
        "timing": f"wall clock, best of {args.repeats} runs (nashpy: one run)",
        "machine": machine,
        "versions": _versions(),
        "summary": table,
        "games": out["rows"],
        "total_seconds": time.perf_counter() - start,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=float) + "\n")
    _print_table(table)
    if out["nashpy_skipped_sizes"]:
        print(f"\nnashpy skipped for sizes {out['nashpy_skipped_sizes']} (over {cap:g} s per game)")
    if not out["have_gambit"]:
        print("pygambit not installed: its columns are empty")
    if not out["have_cdd"]:
        print("pycddlib (import cdd) not installed: the cdd backend was not measured")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
