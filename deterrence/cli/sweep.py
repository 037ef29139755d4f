"""Command-line group for sweeps: ``sweep``, ``sensitivity``, ``thresholds`` and ``plot``.

Registered by :func:`deterrence.cli.build_parser` through :func:`add_commands`.
Each handler parses, calls one public function of the engine and writes;
mistakes in the input raise :class:`~deterrence.errors.DeterrenceError`,
which the CLI prints on one line (exit status 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from deterrence.errors import DeterrenceError

__all__ = ["add_commands"]

_RAW = argparse.RawDescriptionHelpFormatter

SWEEP_EPILOG = """\
examples:
  deterrence sweep chicken --grid crash_cost=0:20:201 --grid face_loss=0:5:51 -o chicken.csv
  deterrence sweep chicken --sample sobol --n 4096 --vary win --vary crash_cost=0:50 \\
      -o s.parquet -j 2
  deterrence sweep chicken --grid crash_cost=0:20:2001 --dask              (a local Dask cluster)
  deterrence sweep chicken --grid crash_cost=0:20:2001 --dask tcp://10.0.0.5:8786
  deterrence sweep chicken --grid crash_cost=0:20:2001 --resume            (continue a stopped run)

The table has one row per point: a column per parameter, 'outcome' (the
equilibrium regime), the model's measures, then concept, method, seed and
version.  Finished chunks are kept in FILE.chunks/ until the run completes,
so an interrupted sweep resumes with --resume and gives the same table.
Serial, -j N and --dask runs give byte-identical files.  A JSON sidecar
FILE.json records the command, parameters, seed and design.
"""

SENSITIVITY_EPILOG = """\
examples:
  deterrence sensitivity chicken --measure p_firm --method sobol --n 1024 --plot sobol.pdf
  deterrence sensitivity chicken --measure p_firm --method morris --n 40 --seed 7
  deterrence sensitivity chicken --measure p_firm --method oat --plot tornado.pdf -o swings.csv

sobol: first-order and total Sobol' indices with bootstrap confidence intervals;
       --n is the base sample (a power of two), cost (d+2)*n model runs.
morris: elementary-effects screening, mu* and sigma; --n trajectories.
oat: one-at-a-time swings for a tornado chart; --n values per parameter.
"""

THRESHOLDS_EPILOG = """\
examples:
  deterrence thresholds chicken --param crash_cost
  deterrence thresholds chicken --param crash_cost --set face_loss=3 --format json

Every switch of the equilibrium outcome along the parameter (others at the
baseline) is bracketed by bisection, refined with Brent's method on an
indifference condition, and, where sympy can solve it, written as a formula
in the other parameters (text and LaTeX).  The symbolic and numeric values
are checked against each other.
"""

PLOT_EPILOG = """\
examples:
  deterrence plot chicken.csv -o regimes.pdf                  (two grid parameters: regime map)
  deterrence plot chicken.csv -o regimes.pdf --measure p_firm (with contours of a measure)
  deterrence plot line.csv -o line.svg                        (one parameter: measures against it)
"""


def _count(text: Any, flag: str) -> int:
    try:
        value = int(str(text))
    except ValueError:
        raise DeterrenceError(f"{flag} must be a whole number, got {text!r}") from None
    if value < 1:
        raise DeterrenceError(f"{flag} must be at least 1, got {value}")
    return value


def _command(args: argparse.Namespace) -> str:
    """The command line rebuilt from the parsed arguments (``main`` may get any argv)."""
    import shlex

    flags = {"assignments": "--set"}
    skip = {"handler", "command", "model", "table"}
    parts = [
        "deterrence",
        args.command,
        *(str(getattr(args, k)) for k in ("model", "table") if hasattr(args, k)),
    ]
    for key, value in vars(args).items():
        if key in skip or value is None or value is False or value == []:
            continue
        flag = flags.get(key, "--" + key.replace("_", "-"))
        for item in value if isinstance(value, list) else [value]:
            parts += [flag] if item is True else [flag, str(item)]
    return shlex.join(parts)


def _model(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    from deterrence.cli.main import model_values
    from games import get_model

    model = get_model(args.model)
    if model.outcomes is None:
        raise DeterrenceError(f"model {model.slug!r} has no batched outcomes to sweep")
    concept = getattr(args, "concept", None)
    if concept and concept not in model.concepts:
        raise DeterrenceError(f"model {model.slug!r} supports concepts {list(model.concepts)}, not {concept!r}")
    return model, model_values(model, args)


def _vary(model: Any, specs: list[str], fixed: dict[str, Any]) -> dict[str, tuple[float, float]]:
    from deterrence.sweeps.designs import parse_range

    box: dict[str, tuple[float, float]] = {}
    for text in specs:
        name, low, high, _ = parse_range(text, model.parameters, with_count=False)
        if name in box:
            raise DeterrenceError(f"parameter {name!r} is varied twice")
        box[name] = (low, high)
    clash = sorted(set(box) & set(fixed))
    if clash:
        raise DeterrenceError(f"parameter {clash[0]!r} is both varied and fixed by --set/--scenario")
    return box


def _seed(args: argparse.Namespace, output: Path | None = None) -> int:
    """--seed, else the seed of the run being resumed, else a fresh one (then recorded)."""

    from deterrence.sweeps.run import read_manifest

    if args.seed is not None:
        try:
            seed = int(str(args.seed))
        except ValueError:
            seed = -1
        if seed < 0:
            raise DeterrenceError(f"--seed must be a non-negative whole number, got {args.seed!r}")
        return seed
    if output is not None and getattr(args, "resume", False):
        manifest = read_manifest(output)
        if manifest and manifest["design"].get("seed") is not None:
            return int(manifest["design"]["seed"])
    import secrets

    return secrets.randbits(63)


# -- sweep ----------------------------------------------------------------------------------
def _cmd_sweep(args: argparse.Namespace) -> int:
    from deterrence.sweeps.designs import DEFAULT_CHUNK_SIZE, grid, one_at_a_time, parse_range, sample
    from deterrence.sweeps.run import executor, run_sweep

    model, fixed = _model(args)
    if bool(args.grid) == bool(args.sample):
        raise DeterrenceError("give either --grid NAME=LOW:HIGH:N (repeatable) or --sample KIND --n N")
    output = Path(args.output or f"sweep-{model.slug}.csv")
    chunk = _count(args.chunk_size, "--chunk-size") if args.chunk_size else DEFAULT_CHUNK_SIZE
    seed = _seed(args, output)
    if args.grid:
        if args.vary or args.n:
            raise DeterrenceError("--vary and --n go with --sample, not with --grid")
        axes: dict[str, tuple[float, float, int]] = {}
        for text in args.grid:
            name, low, high, count = parse_range(text, model.parameters)
            if name in axes:
                raise DeterrenceError(f"parameter {name!r} appears in --grid twice")
            axes[name] = (low, high, count)
        _vary(model, list(axes), fixed)  # clash check only
        design = grid(axes, chunk_size=chunk, seed=seed)
    else:
        if args.n is None:
            raise DeterrenceError(f"--sample {args.sample} needs --n N")
        n = _count(args.n, "--n")
        box = _vary(model, args.vary or [p.name for p in model.parameters if p.low < p.high], fixed)
        if args.sample == "oat":
            base = {k: float(v) for k, v in model.parameters.point(fixed).items()}
            design = one_at_a_time(box, base, n, chunk_size=chunk, seed=seed)
        else:
            design = sample(args.sample, box, n, seed=seed, chunk_size=chunk)
    jobs = _count(args.jobs, "-j/--jobs") if args.jobs else None
    with executor(jobs, args.dask) as pool:
        result = run_sweep(
            model,
            design,
            output,
            concept=args.concept,
            baseline=fixed,
            executor=pool,
            resume=args.resume,
            quiet=args.quiet,
            command=_command(args),
        )
    if not args.quiet:
        reused = f", {result.chunks_reused} reused" if result.chunks_reused else ""
        print(
            f"swept {model.slug}: {result.n_points} points "
            f"({design.kind} over {', '.join(design.names)}), concept {result.concept}, "
            f"{result.chunks_run} chunks run{reused} in {result.seconds:.2f} s"
        )
        print(f"wrote {result.path} and {result.sidecar}")
        for label, count in list(result.outcomes.items())[:12]:
            print(f"  {100 * count / result.n_points:6.2f}%  {label}")
    if args.plot:
        _plot_file(result.path, Path(args.plot), None, None, None, True, _command(args))
        if not args.quiet:
            print(f"wrote {args.plot}")
    return 0


# -- sensitivity ----------------------------------------------------------------------------
def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from deterrence.sensitivity.analyse import sensitivity
    from deterrence.sweeps.run import executor

    model, fixed = _model(args)
    box = _vary(model, args.vary, fixed) if args.vary else None
    n = _count(args.n, "--n") if args.n is not None else None
    seed = _seed(args)
    jobs = _count(args.jobs, "-j/--jobs") if args.jobs else None
    with executor(jobs) as pool:
        result = sensitivity(
            model,
            args.measure,
            args.method,
            names=list(box) if box else None,
            bounds=box,
            n=n,
            seed=seed,
            baseline=fixed,
            concept=args.concept,
            executor=pool,
        )
    frame = result.to_frame()
    if args.output:
        _write_table(
            frame,
            Path(args.output),
            model,
            seed,
            {"method": args.method, "measure": args.measure, "n": n, "vary": box},
            _command(args),
        )
    if args.format == "json":
        print(frame.to_json(orient="records", indent=2))
    elif not args.output or not args.quiet:
        print(f"{args.method} sensitivity of {args.measure} ({model.slug}, seed {seed})")
        print(
            frame.drop(
                columns=[c for c in ("measure", "method", "seed", "n", "trajectories") if c in frame.columns]
            ).to_string(index=False, float_format=lambda v: f"{v:.4g}")
        )
    if args.plot:
        _save(
            result.plot(),
            Path(args.plot),
            model,
            seed,
            {"method": args.method, "measure": args.measure},
            _command(args),
        )
    return 0


def _write_table(frame: Any, path: Path, model: Any, seed: Any, extra: dict[str, Any], command: str) -> None:
    from deterrence.io.provenance import write_sidecar

    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix in (".parquet", ".pq"):
        try:
            frame.to_parquet(path, index=False)
        except ImportError:
            from deterrence.sweeps.run import MissingExtraError

            raise MissingExtraError("Parquet output needs pyarrow: pip install 'deterrence[parquet]'") from None
    elif suffix == ".json":
        path.write_text(frame.to_json(orient="records", indent=2) + "\n", encoding="utf-8")
    else:
        raise DeterrenceError(f"cannot tell the format of {path.name!r}: use .csv, .parquet or .json")
    write_sidecar(
        path,
        command=command,
        parameters=model.parameters,
        seed=seed,
        design=None,
        extra={"model": model.slug, **extra},
    )


def _save(ax: Any, path: Path, model: Any, seed: Any, extra: dict[str, Any], command: str) -> None:
    from deterrence.io.provenance import write_sidecar

    figure = ax.figure
    try:
        figure.savefig(path)
    except ValueError as error:  # unknown extension
        raise DeterrenceError(f"cannot save figure {path.name!r}: {error}") from None
    import matplotlib.pyplot as plt

    plt.close(figure)
    write_sidecar(
        path,
        command=command,
        parameters=getattr(model, "parameters", None),
        seed=seed,
        design=None,
        extra={"model": getattr(model, "slug", None), **extra},
    )


# -- thresholds -----------------------------------------------------------------------------
def _cmd_thresholds(args: argparse.Namespace) -> int:
    from deterrence.analysis.thresholds import find_thresholds

    model, fixed = _model(args)
    if args.param in fixed:
        raise DeterrenceError(f"--param {args.param} is also fixed by --set/--scenario")
    low = high = None
    if args.range:
        from deterrence.sweeps.designs import parse_range

        _, low, high, _ = parse_range(f"{args.param}={args.range}", model.parameters, with_count=False)
    found = find_thresholds(
        model,
        args.param,
        low=low,
        high=high,
        n=_count(args.n, "--n"),
        baseline=fixed,
        concept=args.concept,
    )
    base = model.parameters.point(fixed)
    if args.format == "json":
        text = json.dumps(
            {
                "model": model.slug,
                "parameter": args.param,
                "baseline": {k: float(v) for k, v in base.items()},
                "thresholds": [t.to_dict() for t in found],
            },
            indent=2,
        )
    else:
        lines = [
            f"thresholds of {model.slug} along {args.param} "
            "(others at " + ", ".join(f"{k}={float(v):g}" for k, v in base.items() if k != args.param) + ")"
        ]
        if not found:
            lines.append("  none: the outcome does not change over the range")
        for t in found:
            lines += [
                f"  {t.text}",
                f"    LaTeX: {t.latex}",
                f"    at the baseline: {args.param} = {t.value:.12g} ({t.method}); below: {t.left}; above: {t.right}",
            ]
            if t.formula is not None:
                lines.append(
                    f"    symbolic {t.symbolic_value:.12g} vs numeric {t.value:.12g}: "
                    f"{'agree' if t.agree else 'DISAGREE'}"
                )
            lines += [f"    note: {note}" for note in t.notes]
        text = "\n".join(lines)
    from deterrence.cli.main import emit

    emit(text, args.output)
    return 0


# -- plot -----------------------------------------------------------------------------------
def _plot_file(
    table: Path,
    figure: Path,
    x: str | None,
    y: str | None,
    measure: str | None,
    boundaries: bool,
    command: str,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from deterrence.io.provenance import read_sidecar

    if not table.exists():
        raise DeterrenceError(f"no such sweep file: {table}")
    meta = read_sidecar(table)
    frame = pd.read_csv(table) if table.suffix.lower() == ".csv" else pd.read_parquet(table)
    varied = list(meta.get("design", {}).get("names", []))
    names = [n for n in (x, y) if n] or varied
    model = None
    try:
        from games import get_model

        model = get_model(meta.get("model", ""))
    except (DeterrenceError, ImportError):
        pass
    if len(names) == 2:
        from deterrence.analysis.regimes import regime_map_from_frame

        rmap = regime_map_from_frame(frame, names[0], names[1])
        base = {p["name"]: p.get("default") for p in meta.get("parameters", [])}
        base.update(meta.get("baseline", {}))
        rmap = dataclasses.replace(
            rmap,
            baseline={k: v for k, v in base.items() if k not in names},
            model=meta.get("model", ""),
        )
        curves = _boundaries(model, rmap) if boundaries and model is not None else {}
        ax = rmap.plot(boundaries=curves)
        if measure:
            if measure not in rmap.measures:
                raise DeterrenceError(f"unknown measure {measure!r}; numeric columns: {', '.join(rmap.measures)}")
            lines = ax.contour(
                rmap.x_values,
                rmap.y_values,
                rmap.measures[measure].astype(float),
                colors="0.2",
                linewidths=0.8,
            )
            ax.clabel(lines, fontsize=7)
            ax.set_title(f"contours: {measure}", fontsize=9)
    elif len(names) == 1:
        ax = _line_plot(frame, names[0], measure)
    else:
        raise DeterrenceError(f"cannot choose axes: the sweep varies {varied}; give --x and --y")
    _save(ax, figure, model, meta.get("seed"), {"table": str(table)}, command)


def _boundaries(model: Any, rmap: Any) -> dict[str, Any]:
    """Analytic boundaries: the thresholds of y (at the middle of x) that have a formula."""
    from deterrence.analysis.thresholds import find_thresholds

    middle = float(rmap.x_values[len(rmap.x_values) // 2])
    found = find_thresholds(
        model,
        rmap.y,
        low=float(rmap.y_values[0]),
        high=float(rmap.y_values[-1]),
        baseline={**rmap.baseline, rmap.x: middle},
        n=201,
    )
    return {t.text: t for t in found if t.formula is not None}


def _line_plot(frame: Any, name: str, measure: str | None) -> Any:
    import matplotlib.pyplot as plt
    import numpy as np

    from deterrence.plotting.figures import PALETTE

    frame = frame.sort_values(name)
    skip = {name, "outcome", "concept", "method", "seed", "version"}
    numeric = [c for c in frame.columns if c not in skip and frame[c].dtype.kind in "biuf" and frame[c].nunique() > 1]
    columns = [measure] if measure else numeric
    if measure and measure not in numeric:
        raise DeterrenceError(f"unknown measure {measure!r}; numeric columns: {', '.join(numeric)}")
    _, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    for k, column in enumerate(columns):
        ax.plot(frame[name], frame[column].astype(float), color=PALETTE[k % len(PALETTE)], label=column)
    x, labels = frame[name].to_numpy(float), frame["outcome"].to_numpy(str)
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(x) - 1
        ax.axvspan(x[s], x[e], color="0.5", alpha=0.08 * (k % 2 + 1), lw=0)
        ax.text(
            (x[s] + x[e]) / 2,
            1.01,
            labels[s],
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=6,
            rotation=20,
        )
    ax.set_xlabel(name)
    ax.legend(fontsize=7)
    return ax


def _cmd_plot(args: argparse.Namespace) -> int:
    _plot_file(
        Path(args.table),
        Path(args.output),
        args.x,
        args.y,
        args.measure,
        not args.no_boundaries,
        _command(args),
    )
    if not args.quiet:
        print(f"wrote {args.output}")
    return 0


# -- registration ---------------------------------------------------------------------------
def _common(p: argparse.ArgumentParser, concept: bool = True) -> None:
    from deterrence.cli.main import add_model_options

    p.add_argument("model", metavar="SLUG", help="a model from 'deterrence list'")
    add_model_options(p)
    if concept:
        p.add_argument(
            "--concept",
            choices=("nash", "pure", "spe"),
            help="solution concept (default: the model's own)",
        )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")


def add_commands(sub: Any) -> None:
    """Register ``sweep``, ``sensitivity``, ``thresholds`` and ``plot`` on the CLI's subparsers."""
    p = sub.add_parser(
        "sweep",
        help="evaluate a model over a grid or sample of parameter points",
        description="Sweep a model's equilibrium outcome over a full grid (--grid) or a "
        "Latin hypercube, Sobol', Halton or one-at-a-time sample (--sample).",
        epilog=SWEEP_EPILOG,
        formatter_class=_RAW,
    )
    _common(p)
    p.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="NAME=LOW:HIGH:N",
        help="grid axis: N equally spaced values from LOW to HIGH (repeatable)",
    )
    p.add_argument("--sample", choices=("lhs", "sobol", "halton", "oat"), help="sampling design")
    p.add_argument("--n", metavar="N", help="points (lhs, sobol, halton) or values per parameter (oat)")
    p.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="NAME[=LOW:HIGH]",
        help="parameter to sample (repeatable; default: all with a range)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="FILE.csv (default sweep-SLUG.csv) or FILE.parquet")
    p.add_argument("-j", "--jobs", metavar="N", help="worker processes (or Dask workers with --dask)")
    p.add_argument(
        "--dask",
        nargs="?",
        const=True,
        default=None,
        metavar="ADDRESS",
        help="run on Dask: a scheduler ADDRESS, or a local cluster when none is given",
    )
    p.add_argument("--resume", action="store_true", help="continue an interrupted sweep into the same FILE")
    p.add_argument("--seed", metavar="S", help="root seed (default: drawn and recorded in the sidecar)")
    p.add_argument("--chunk-size", metavar="K", help="points per chunk (default 65536)")
    p.add_argument("--plot", metavar="FIG", help="also draw the sweep (regime map or line plot) to FIG")
    p.set_defaults(handler=_cmd_sweep)

    p = sub.add_parser(
        "sensitivity",
        help="Sobol', Morris or one-at-a-time sensitivity of a measure",
        description="Global (Sobol', Morris) or local (one-at-a-time) sensitivity of one "
        "numeric equilibrium measure to the model's parameters.",
        epilog=SENSITIVITY_EPILOG,
        formatter_class=_RAW,
    )
    _common(p)
    p.add_argument("--measure", required=True, metavar="NAME", help="numeric outcome column, e.g. p_escalate")
    p.add_argument("--method", choices=("sobol", "morris", "oat"), default="sobol")
    p.add_argument(
        "--n",
        metavar="N",
        help="sobol: base sample (power of 2, default 1024); morris: "
        "trajectories (default 20); oat: values per parameter (default 5)",
    )
    p.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="NAME[=LOW:HIGH]",
        help="parameter to vary (repeatable; default: all with a range)",
    )
    p.add_argument("--seed", metavar="S", help="root seed (default: drawn and recorded)")
    p.add_argument("-j", "--jobs", metavar="N", help="worker processes")
    p.add_argument("-o", "--output", metavar="FILE", help="write the table to FILE (.csv, .parquet or .json)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--plot", metavar="FIG", help="Sobol' bars, Morris scatter or tornado chart to FIG")
    p.set_defaults(handler=_cmd_sensitivity)

    p = sub.add_parser(
        "thresholds",
        help="where the equilibrium switches along a parameter, as formulas",
        description="Locate every switch of the model's outcome along one parameter and "
        "give it as a formula (text and LaTeX) and a number at the baseline.",
        epilog=THRESHOLDS_EPILOG,
        formatter_class=_RAW,
    )
    _common(p)
    p.add_argument("--param", required=True, metavar="NAME", help="the parameter to scan")
    p.add_argument("--range", metavar="LOW:HIGH", help="scan range (default: the parameter's bounds)")
    p.add_argument("--n", default="201", metavar="N", help="grid points of the scan (default 201)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    p.set_defaults(handler=_cmd_thresholds)

    p = sub.add_parser(
        "plot",
        help="draw a regime map or line plot from a sweep file",
        description="Make a figure from a sweep table (and its JSON sidecar): a regime map "
        "with analytic boundaries for two grid parameters, or the measures "
        "against one parameter.",
        epilog=PLOT_EPILOG,
        formatter_class=_RAW,
    )
    p.add_argument("table", metavar="SWEEP", help="a .csv or .parquet file written by 'deterrence sweep'")
    p.add_argument("-o", "--output", required=True, metavar="FIG", help="figure file (.pdf, .svg, .png)")
    p.add_argument("--x", help="horizontal parameter (default: the sweep's first)")
    p.add_argument("--y", help="vertical parameter (default: the sweep's second)")
    p.add_argument("--measure", help="contours (maps) or the only line (1-D) of this measure")
    p.add_argument("--no-boundaries", action="store_true", help="do not draw analytic boundaries")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(handler=_cmd_plot)
