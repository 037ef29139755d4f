"""Benchmark: all Nash equilibria of random m x m bimatrix games, nondegenerate and degenerate.

Times, on the same games (fixed seed, a few per size, m = 4..12; two families: integer payoffs in
[-1000, 1000] redrawn until nondegenerate, and payoffs in {0, ..., 3} redrawn until degenerate):

* the toolkit's exact path (``enumerate_equilibria`` on int payoffs: qhull vertices proved by error
  bounds and each equilibrium solved exactly, or exact pivoting for degenerate games),
* the toolkit's float path (``enumerate_equilibria`` on float payoffs: qhull/pivoting + certificate),
* QuantEcon's ``vertex_enumeration`` (numba + qhull; assumes a nondegenerate game) when installed
  (``pip install deterrence[bench]``),
* nashpy's ``support_enumeration`` (small sizes only: it is slow),
* pygambit's ``enummixed_solve`` with ``rational=False`` and ``rational=True`` (when installed;
  16.x ``Game.from_arrays`` and the 17.x names are both handled),

and, for the exact path, its candidate backends: pure-Python integer pivoting, the batched
float screen with exact confirmation by python-flint or by plain :mod:`fractions`, and
pycddlib (``import cdd``): exact when it has GMP (``cdd.gmp``), otherwise only its float
vertex enumeration is timed, as a reference for the float path's own.

Slow methods are skipped at the sizes where their projected time per game (from the two
previous sizes) exceeds ``--cap`` seconds; nashpy is also interrupted at the cap.  Agreement
is judged against the toolkit's exact answer (equilibria rounded to 6 decimals).  The script
prints a table and writes ``benchmarks/results/all_equilibria.json`` (machine, versions,
seed, per-game timings).

Usage: ``python benchmarks/all_equilibria.py [--quick] [--seed N] [--games N] [--cap S]``.
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
from collections.abc import Callable
from fractions import Fraction
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.solvers.enumeration import enumerate_equilibria
from deterrence.solvers.polytope_float import float_polytope_vertices
from deterrence.solvers.vertex_enumeration import vertex_equilibria

RESULTS = Path(__file__).parent / "results" / "all_equilibria.json"
METHODS = ("exact", "float", "quantecon", "nashpy", "gambit_float", "gambit_rational")
BACKENDS = ("pivoting", "screened-flint", "screened-fractions", "cdd-exact")
FAMILIES = ("nondegenerate", "degenerate")


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Interrupt pure-Python work after ``seconds`` (Unix only; C++ code is not interrupted)."""
    if not hasattr(signal, "setitimer"):
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


@contextlib.contextmanager
def _without_flint():
    saved = sys.modules.get("flint")
    sys.modules["flint"] = None  # type: ignore[assignment]  # `import flint` now fails
    try:
        yield
    finally:
        if saved is None:
            del sys.modules["flint"]
        else:
            sys.modules["flint"] = saved


#: CPU seconds of the best run of the last :func:`_timed` call (the machine is shared: wall time alone misleads).
_LAST_CPU = [0.0]


def _timed(func: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Best wall time of up to ``repeats`` runs (one run when it takes over 0.2 s); its CPU time in ``_LAST_CPU``."""
    best, out = float("inf"), None
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        out = func()
        wall = time.perf_counter() - start
        if wall < best:
            best, _LAST_CPU[0] = wall, time.process_time() - cpu
        if best > 0.2:
            break
    return best, out


def _key(pairs) -> frozenset:
    return frozenset(tuple(np.round(np.array([float(v) for v in (*x, *y)]), 6).tolist()) for x, y in pairs)


def _nondegenerate_game(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Random integer payoffs in [-1000, 1000], redrawn until exactly nondegenerate."""
    while True:
        A, B = rng.integers(-1000, 1001, (m, m)), rng.integers(-1000, 1001, (m, m))
        if not vertex_equilibria(A.astype(object), B.astype(object)).degenerate:
            return A, B


def _degenerate_game(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Random integer payoffs in {0, ..., 3}, redrawn until exactly degenerate."""
    while True:
        A, B = rng.integers(0, 4, (m, m)), rng.integers(0, 4, (m, m))
        if vertex_equilibria(A.astype(object), B.astype(object)).degenerate:
            return A, B


def _quantecon(qe, A, B) -> list:
    game = qe.NormalFormGame((qe.Player(A), qe.Player(B.T)))
    return list(qe.vertex_enumeration(game))


def _optional(name: str):
    try:
        return __import__(name)
    except ImportError:
        return None


def _cdd_has_gmp() -> bool:
    try:
        import cdd.gmp  # noqa: F401
    except ImportError:
        return False
    return True


def _gambit(gbt, A, B, rational: bool) -> list:
    # pygambit 16.7: Game.from_arrays, Player objects with .strategies; 17: StrategicGame.from_arrays,
    # players and strategies are labels (game.get_strategies(player)), profile[player][strategy].
    make = getattr(gbt.Game, "from_arrays", None) or getattr(getattr(gbt, "StrategicGame", None), "from_arrays", None)
    if make is None:
        raise RuntimeError("this pygambit has neither Game.from_arrays nor StrategicGame.from_arrays")
    game = make(A, B)
    solver = getattr(gbt.nash, "enummixed_solve", None) or gbt.nash.enummixed
    result = solver(game, rational=rational)
    players = list(game.players)
    labels = [p.strategies if hasattr(p, "strategies") else game.get_strategies(p) for p in players]
    convert = (lambda v: Fraction(str(v))) if rational else float
    profiles = getattr(result, "equilibria", result)
    return [tuple([convert(p[q][s]) for s in ss] for q, ss in zip(players, labels, strict=True)) for p in profiles]


def _nashpy(nashpy, A, B, cap: float) -> list:
    with warnings.catch_warnings(), _time_limit(cap):
        warnings.simplefilter("ignore")
        return list(nashpy.Game(A, B).support_enumeration())


def _cdd_float_vertices(cdd, C: np.ndarray) -> int:
    k, d = C.shape
    rows = [[1.0, *(-C[r])] for r in range(k)] + [[0.0, *np.eye(d)[j]] for j in range(d)]
    mat = cdd.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY)
    return len(cdd.copy_generators(cdd.polyhedron_from_matrix(mat)).array)


def _scaled(G: np.ndarray) -> np.ndarray:
    return 1.0 + (G - G.min()) / (G.max() - G.min())


def _measure(A, B, runs: dict[str, bool], repeats: int, cap: float, libs: dict) -> dict:
    """Time every live method on one game; agreement is judged against the exact path."""
    # Float methods get the same game scaled into [-1, 1] (equilibria are invariant under positive
    # scaling); nashpy's fixed absolute tolerances lose many solutions at payoffs of size 1000.
    Ao, Bo, Af, Bf = A.astype(object), B.astype(object), A / 1000.0, B / 1000.0
    row: dict[str, Any] = {}
    t, exact = _timed(lambda: enumerate_equilibria(Ao, Bo), repeats)
    reference = _key(exact.equilibria)
    row["n_equilibria"], row["exact"], row["exact_agrees"] = len(exact.equilibria), t, True
    row["exact_cpu"] = _LAST_CPU[0]
    t, flt = _timed(lambda: enumerate_equilibria(Af, Bf), repeats)
    row["float"], row["float_agrees"], row["float_cpu"] = t, _key(flt.equilibria) == reference, _LAST_CPU[0]
    row["float_complete"] = flt.complete
    row["exact_notes"] = list(exact.notes[:1])
    if runs.get("quantecon") and libs.get("quantecon") is not None:
        t, found = _timed(lambda: _quantecon(libs["quantecon"], Af, Bf), repeats)
        row["quantecon"], row["quantecon_agrees"] = t, _key(found) == reference
        row["quantecon_cpu"] = _LAST_CPU[0]
        row["quantecon_subset"] = _key(found) <= reference
        row["quantecon_found"] = len(found)
    if runs["nashpy"]:
        with contextlib.suppress(_Timeout):
            t, found = _timed(lambda: _nashpy(libs["nashpy"], Af, Bf, cap), 1)
            row["nashpy"], row["nashpy_agrees"] = t, _key(found) == reference
            row["nashpy_found"] = len(found)
            row["nashpy_subset"] = _key(found) <= reference  # lost some, never invented any
    for rational in (False, True):
        label = "gambit_rational" if rational else "gambit_float"
        if runs[label]:
            game = (Ao, Bo) if rational else (Af, Bf)
            t, pairs = _timed(lambda g=game, r=rational: _gambit(libs["pygambit"], *g, r), repeats)
            row[label], row[f"{label}_agrees"] = t, _key(pairs) == reference
    # Exact-path backends (all exact; "screened" solves every basis in floats, then exactly).
    backends: dict[str, Callable[[], Any]] = {
        "pivoting": lambda: vertex_equilibria(Ao, Bo, backend="pivoting"),
        "screened-flint": lambda: vertex_equilibria(Ao, Bo, backend="screened"),
    }
    if libs["cdd_gmp"]:
        backends["cdd-exact"] = lambda: vertex_equilibria(Ao, Bo, backend="cdd")
    for name, func in backends.items():
        if runs.get(name, True):
            t, out = _timed(func, repeats)
            row[name], row[f"{name}_agrees"] = t, _key(out.pairs) == reference
    if runs.get("screened-fractions", True) and runs.get("screened-flint", True):
        with _without_flint():
            t, out = _timed(lambda: vertex_equilibria(Ao, Bo, backend="screened"), repeats)
        row["screened-fractions"] = t
        row["screened-fractions_agrees"] = _key(out.pairs) == reference
    # Float vertex enumeration of both polytopes: ours against cdd's (double precision).
    polytopes = (_scaled(Bf).T, _scaled(Af))
    t, _ = _timed(lambda: [float_polytope_vertices(C) for C in polytopes], repeats)
    row["float_vertices_ours"] = t
    if libs["cdd"] is not None:
        t, _ = _timed(lambda: [_cdd_float_vertices(libs["cdd"], C) for C in polytopes], repeats)
        row["float_vertices_cdd"] = t
    return row


def run(
    sizes: list[int],
    games: int,
    seed: int,
    cap: float,
    repeats: int,
    nashpy_max: int,
    families: tuple[str, ...] = FAMILIES,
    backends: bool = True,
) -> dict:
    libs = {
        "quantecon": _optional("quantecon.game_theory"),
        "nashpy": _optional("nashpy"),
        "pygambit": _optional("pygambit"),
        "cdd": _optional("cdd"),
        "cdd_gmp": _cdd_has_gmp(),
    }
    if libs["quantecon"] is not None:
        libs["quantecon"] = sys.modules["quantecon.game_theory"]
    available = {
        "quantecon": libs["quantecon"] is not None,
        "nashpy": libs["nashpy"] is not None,
        "gambit_float": libs["pygambit"] is not None,
        "gambit_rational": libs["pygambit"] is not None,
        "cdd-exact": libs["cdd_gmp"],
    }
    # Warm up imports and caches so the first timed game does not pay for them.
    everything = {**dict.fromkeys((*METHODS, *BACKENDS), True), **available}
    _measure(np.array([[2, 0], [0, 1]]), np.array([[1, 0], [0, 2]]), everything, 1, cap, libs)
    rows: list[dict] = []
    skipped: dict[str, list[int]] = {}
    for family in families:
        rng = np.random.default_rng(seed)
        draw = _nondegenerate_game if family == "nondegenerate" else _degenerate_game
        history: dict[str, list[float]] = {}
        live = dict(available)
        for m in sizes:
            runs: dict[str, bool] = {}
            for name in (*METHODS, *BACKENDS):
                past = history.get(name, [])
                growth = past[-1] / past[-2] if len(past) > 1 and past[-2] > 0 else 10.0
                projected = past[-1] * max(growth, 2.0) if past else 0.0
                wanted = (name != "nashpy" or m <= nashpy_max) and (backends or name not in BACKENDS)
                runs[name] = live.get(name, True) and projected <= cap and wanted
                if live.get(name, True) and not runs[name]:
                    skipped.setdefault(f"{family}:{name}", []).append(m)
            for g in range(games):
                A, B = draw(rng, m)
                row = _measure(A, B, runs, repeats, cap, libs)
                rows.append({"family": family, "size": m, "game": g, **row})
                print(f"  {family} m={m} game {g}: {row['n_equilibria']} equilibria", file=sys.stderr)
            for name in runs:
                times = [r[name] for r in rows if r["family"] == family and r["size"] == m and name in r]
                if times:
                    history.setdefault(name, []).append(statistics.median(times))
                elif runs[name]:  # ran but never finished (nashpy interrupted at the cap)
                    live[name] = False
                    skipped.setdefault(f"{family}:{name}", []).append(m)
    return {"rows": rows, "skipped": skipped, "libs": {k: bool(v) for k, v in libs.items()}}


def summarise(rows: list[dict], sizes: list[int]) -> list[dict]:
    names = (*METHODS, *BACKENDS, "screened-fractions", "float_vertices_ours", "float_vertices_cdd")
    table = []
    for family, m in ((f, m) for f in FAMILIES for m in sizes):
        sub = [r for r in rows if r["size"] == m and r["family"] == family]
        if not sub:
            continue
        entry: dict[str, Any] = {"family": family, "size": m, "games": len(sub)}
        for name in dict.fromkeys(names):
            times = [r[name] for r in sub if name in r]
            if times:
                entry[f"{name}_median_s"] = statistics.median(times)
                agree = [r[f"{name}_agrees"] for r in sub if f"{name}_agrees" in r]
                if agree:
                    entry[f"{name}_agree"] = f"{sum(agree)}/{len(agree)}"
                subset = [r[f"{name}_subset"] for r in sub if f"{name}_subset" in r]
                if subset:
                    entry[f"{name}_subset"] = f"{sum(subset)}/{len(subset)}"
                    entry[f"{name}_found"] = [r[f"{name}_found"] for r in sub if name in r]
                    entry[f"{name}_reference"] = [r["n_equilibria"] for r in sub if name in r]
        for name in ("exact", "float", "quantecon"):  # CPU time of the same best runs
            cpu = [r[f"{name}_cpu"] for r in sub if f"{name}_cpu" in r]
            if cpu:
                entry[f"{name}_cpu_median_s"] = statistics.median(cpu)
        for num, den in (
            ("float_cpu", "quantecon_cpu"),
            ("exact_cpu", "quantecon_cpu"),
            ("float", "quantecon"),
            ("exact", "quantecon"),
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


def _cell(entry: dict, key: str, fmt: str) -> str:
    value = entry.get(key)
    if value is None:
        return "-"
    return fmt.format(value * 1000 if key.endswith("_s") else value)


def _print_table(table: list[dict]) -> None:
    cols = [
        ("family", "family", "{}"),
        ("m", "size", "{}"),
        ("exact ms", "exact_median_s", "{:.1f}"),
        ("float ms", "float_median_s", "{:.1f}"),
        ("qe ms", "quantecon_median_s", "{:.1f}"),
        ("float/qe", "ratio_float/quantecon", "{:.2f}"),
        ("exact/qe", "ratio_exact/quantecon", "{:.2f}"),
        ("cpu f/qe", "ratio_float_cpu/quantecon_cpu", "{:.2f}"),
        ("cpu e/qe", "ratio_exact_cpu/quantecon_cpu", "{:.2f}"),
        ("nashpy ms", "nashpy_median_s", "{:.0f}"),
        ("gbt-f ms", "gambit_float_median_s", "{:.1f}"),
        ("gbt-q ms", "gambit_rational_median_s", "{:.0f}"),
        ("nashpy/float", "ratio_nashpy/float", "{:.0f}x"),
        ("nashpy/exact", "ratio_nashpy/exact", "{:.0f}x"),
        ("float/gbt-f", "ratio_float/gambit_float", "{:.3f}"),
        ("exact/gbt-q", "ratio_exact/gambit_rational", "{:.4f}"),
    ]
    print(" | ".join(f"{c[0]:>12}" for c in cols) + " | agree: float qe nashpy gbt-f gbt-q")
    for e in table:
        agree = " ".join(
            str(e.get(f"{k}_agree", "-")) for k in ("float", "quantecon", "nashpy", "gambit_float", "gambit_rational")
        )
        print(" | ".join(f"{_cell(e, key, fmt):>12}" for _, key, fmt in cols) + f" | {agree}")
    print("\nexact-path backends, median ms: pivoting / screened+flint / screened+fractions / cdd-exact")
    print("float vertex enumeration of P and Q, median ms: ours / cdd (double precision)")
    for e in table:
        exact = " / ".join(
            _cell(e, f"{k}_median_s", "{:.1f}")
            for k in ("pivoting", "screened-flint", "screened-fractions", "cdd-exact")
        )
        flt = " / ".join(_cell(e, f"{k}_median_s", "{:.1f}") for k in ("float_vertices_ours", "float_vertices_cdd"))
        print(f"  {e['family']:>13} m={e['size']:>2}: {exact}   |   {flt}")


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in (
        "numpy",
        "scipy",
        "quantecon",
        "numba",
        "nashpy",
        "pygambit",
        "pycddlib-standalone",
        "pycddlib",
        "python-flint",
    ):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    import deterrence

    out["deterrence"] = deterrence.__version__
    return out


def _machine() -> dict[str, Any]:
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
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 4..7, 2 games each")
    parser.add_argument("--nashpy-max", type=int, default=8, help="largest size given to nashpy (8)")
    parser.add_argument("--seed", type=int, default=20240116)
    parser.add_argument("--games", type=int, default=None, help="games per size (3; quick 2)")
    parser.add_argument("--min-size", type=int, default=4)
    parser.add_argument("--max-size", type=int, default=None)
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated: " + ", ".join(FAMILIES))
    parser.add_argument("--no-backends", action="store_true", help="skip the exact-path backend comparison")
    parser.add_argument("--cap", type=float, default=None, help="seconds per game (60; quick 5)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("-o", "--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sizes = list(range(args.min_size, (args.max_size or (7 if args.quick else 12)) + 1))
    families = tuple(f for f in args.families.split(",") if f in FAMILIES)
    games = args.games or (2 if args.quick else 3)
    cap = args.cap or (5.0 if args.quick else 60.0)
    machine = _machine()
    start = time.perf_counter()
    out = run(sizes, games, args.seed, cap, args.repeats, args.nashpy_max, families, not args.no_backends)
    table = summarise(out["rows"], sizes)
    machine["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    report = {
        "benchmark": "all_equilibria",
        "command": " ".join(["python benchmarks/all_equilibria.py", *(argv or sys.argv[1:])]),
        "seed": args.seed,
        "sizes": sizes,
        "games_per_size": games,
        "repeats": args.repeats,
        "cap_seconds": cap,
        "skipped_sizes": out["skipped"],
        "libraries_present": out["libs"],
        "payoffs": "nondegenerate family: integers uniform in [-1000, 1000], redrawn until exactly "
        "nondegenerate; degenerate family: integers in {0, ..., 3}, redrawn until exactly degenerate; "
        "exact methods get the integers, float methods (toolkit float path, QuantEcon, nashpy, gambit "
        "float) the same game divided by 1000",
        "timing": f"wall clock in seconds, best of up to {args.repeats} runs (one run when a run "
        "takes over 0.2 s); medians over the games of a size; *_cpu: process CPU seconds of that best run",
        "agreement": "equilibrium set equal to the toolkit's exact answer, rounded to 6 decimals; "
        "*_subset: the peer's set is contained in it (QuantEcon's vertex enumeration assumes a "
        "nondegenerate game, so on the degenerate family only containment is expected)",
        "machine": machine,
        "versions": _versions(),
        "summary": table,
        "games": out["rows"],
        "total_seconds": time.perf_counter() - start,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    _print_table(table)
    lost = [
        f"m={e['size']}: found {e['nashpy_found']} of {e['nashpy_reference']}"
        for e in table
        if e.get("nashpy_agree") and e["nashpy_found"] != e["nashpy_reference"]
    ]
    if lost:
        print("nashpy lost equilibria (its answers are always a subset):", "; ".join(lost))
    for name, where in out["skipped"].items():
        print(f"{name}: skipped at sizes {where} (projected or measured over {cap:g} s per game)")
    if not out["libs"]["pygambit"]:
        print("pygambit not installed: its columns are empty")
    if not out["libs"]["cdd_gmp"]:
        print("pycddlib has no GMP (cdd.gmp): no exact cdd backend; only its float timing is shown")
    if not out["libs"]["quantecon"]:
        print("quantecon not installed (pip install deterrence[bench]): its columns are empty")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
