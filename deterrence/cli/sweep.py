"""The ``sweep`` command: a model's outcome over a grid or a sample of parameter points.

The handler parses, builds a :class:`~deterrence.sweeps.designs.Design`, calls
:func:`~deterrence.sweeps.run.run_sweep` and prints a summary; mistakes in the input raise
:class:`~deterrence.errors.DeterrenceError`, which the CLI prints on one line (exit status 2).
Ctrl-C (serial or ``-j N``) prints one line saying how to resume (exit status 130).

The command registers itself with :func:`deterrence.cli.registry.command`; the study commands
``sensitivity``, ``thresholds`` and ``plot`` live in their own modules.  :func:`add_commands`
adds all four to a sub-parser set at once, for callers that predate the registry.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from deterrence.cli.options import OUTPUT_HELP, add_command_parser
from deterrence.cli.registry import command
from deterrence.cli.study import add_common, command_line, count, load_model, seed, vary
from deterrence.errors import DeterrenceError

__all__ = ["add_commands", "add_sweep"]


SWEEP_EPILOG = """\
examples:
  deterrence sweep chicken --grid crash_cost=0:20:201 --grid face_loss=0:5:51 -o chicken.csv
  deterrence sweep chicken --sample sobol --n 4096 --vary win --vary crash_cost=0:50 \\
      -o s.parquet -j 2
  deterrence sweep chicken --grid crash_cost=0:20:2001 --dask              (a local Dask cluster)
  deterrence sweep chicken --grid crash_cost=0:20:2001 --dask tcp://10.0.0.5:8786
  deterrence sweep chicken --grid crash_cost=0:20:2001 --resume            (continue a stopped run)
  deterrence sweep chicken --grid crash_cost=0:20:1000 --grid face_loss=0:5:1000 \
      -o big.parquet                                              (10^6 points, Parquet)

The table has one row per point: a column per varied parameter, 'outcome'
(the equilibrium regime) and the model's measures.  The values that never
change (the other parameters, concept, method, seed, version) are recorded
once, under "constants" in the sidecar FILE.provenance.json; --all-columns writes
them as columns too.  CSV is written by pyarrow when it is installed; for
large runs FILE.parquet is smaller and faster.  A sweep of more than 10^8
points says how big its table will be before it starts, and one that would
not fit on the disk stops at once.  Finished chunks are kept in FILE.chunks/
until the run completes, so an interrupted sweep (Ctrl-C included) resumes
with --resume and gives the same table.  Serial, -j N and --dask runs give
byte-identical files, and so do two runs of the same grid.  The sidecar also
records the command, parameters, seed (samples; a grid only when given one),
design and outcome counts.
"""


def _design(args: argparse.Namespace, model: Any, fixed: dict[str, Any], output: Path) -> Any:
    from deterrence.sweeps.designs import DEFAULT_CHUNK_SIZE, LARGE_CHUNK_SIZE, grid, one_at_a_time, parse_range, sample

    if bool(args.grid) == bool(args.sample):
        raise DeterrenceError("give either --grid NAME=LOW:HIGH:N (repeatable) or --sample KIND --n N")
    # A Latin hypercube's jitter is drawn per chunk, so its chunk size stays what it always was.
    default = DEFAULT_CHUNK_SIZE if args.sample == "lhs" else LARGE_CHUNK_SIZE
    chunk = count(args.chunk_size, "--chunk-size") if args.chunk_size else default
    if args.grid:
        if args.vary or args.n:
            raise DeterrenceError("--vary and --n go with --sample, not with --grid")
        axes: dict[str, tuple[float, float, int]] = {}
        for text in args.grid:
            name, low, high, n = parse_range(text, model.parameters)
            if name in axes:
                raise DeterrenceError(f"parameter {name!r} appears in --grid twice")
            axes[name] = (low, high, n)
        vary(model, list(axes), fixed)  # clash check only
        base = {k: float(v) for k, v in model.parameters.point(fixed).items()}
        simplex = getattr(model, "simplex", ())  # groups whose sum must stay <= 1
        return grid(axes, chunk_size=chunk, seed=seed(args, output, draw=False), simplex=simplex, baseline=base)
    if args.n is None:
        raise DeterrenceError(f"--sample {args.sample} needs --n N")
    n = count(args.n, "--n")
    box = vary(model, args.vary or [p.name for p in model.parameters if p.low < p.high], fixed)
    base = {k: float(v) for k, v in model.parameters.point(fixed).items()}
    simplex = getattr(model, "simplex", ())  # groups whose sum must stay <= 1
    if args.sample == "oat":
        return one_at_a_time(box, base, n, chunk_size=chunk, seed=seed(args, output, draw=False), simplex=simplex)
    return sample(args.sample, box, n, seed=seed(args, output), chunk_size=chunk, simplex=simplex, baseline=base)


def _interrupted(output: Path, n_chunks: int) -> int:
    from deterrence.sweeps.store import chunk_directory, finished_chunks

    folder = chunk_directory(output)
    done = finished_chunks(output, n_chunks)
    if done:
        where = f"{done} of {n_chunks} chunks are saved in {folder}; rerun the same command with --resume to continue"
    else:
        where = "no chunk had finished, so there is nothing to resume"
    print(f"deterrence: interrupted; {where}", file=sys.stderr)
    return 130


def _notice(line: str) -> None:
    print(f"deterrence: {line}", file=sys.stderr, flush=True)


def _cmd_sweep(args: argparse.Namespace) -> int:
    from deterrence.sweeps.run import executor, run_sweep

    model, fixed = load_model(args)
    output = Path(args.output or f"sweep-{model.slug}.csv")
    design = _design(args, model, fixed, output)
    jobs = count(args.jobs, "-j/--jobs") if args.jobs else None
    try:
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
                command=command_line(args),
                all_columns=args.all_columns,
                notice=_notice,
            )
    except KeyboardInterrupt:
        return _interrupted(output, design.n_chunks)
    if not args.quiet:
        reused = f", {result.chunks_reused} reused" if result.chunks_reused else ""
        print(
            f"swept {model.slug}: {result.n_points} points "
            f"({design.kind} over {', '.join(design.names)}), concept {result.concept}, "
            f"{result.chunks_run} chunks run{reused} in {result.seconds:.2f} s"
        )
        print(f"wrote {result.path} and {result.sidecar}")
        for label, n in list(result.outcomes.items())[:12]:
            print(f"  {100 * n / result.n_points:6.2f}%  {label}")
    if args.plot:
        from deterrence.cli.plot import plot_file

        plot_file(result.path, Path(args.plot), None, None, None, True, command_line(args))
        if not args.quiet:
            print(f"wrote {args.plot}")
    return 0


@command("sweep", order=40)
def add_sweep(sub: Any) -> None:
    """Add the ``sweep`` command."""
    p = add_command_parser(
        sub,
        "sweep",
        help="evaluate a model over a grid or sample of parameter points",
        description="Sweep a model's equilibrium outcome over a full grid (--grid) or a "
        "Latin hypercube, Sobol', Halton or one-at-a-time sample (--sample).",
        epilog=SWEEP_EPILOG,
    )
    add_common(p)
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
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=f"FILE.csv (default sweep-SLUG.csv) or FILE.parquet ({OUTPUT_HELP})",
    )
    p.add_argument(
        "--all-columns",
        action="store_true",
        help="also write the columns that never change (by default they are in the sidecar only)",
    )
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
    p.add_argument("--seed", metavar="S", help="root seed of a sample (default: drawn and recorded; a grid needs none)")
    p.add_argument(
        "--chunk-size",
        metavar="K",
        help="points per chunk (default 262144; 65536 for --sample lhs, whose jitter depends on it)",
    )
    p.add_argument("--plot", metavar="FIG", help="also draw the sweep (regime map or line plot) to FIG")
    p.set_defaults(handler=_cmd_sweep)


def add_commands(sub: Any) -> None:
    """Add ``sweep``, ``sensitivity``, ``thresholds`` and ``plot`` (for parsers built without the registry)."""
    from deterrence.cli.plot import add_plot
    from deterrence.cli.sensitivity import add_sensitivity
    from deterrence.cli.thresholds import add_thresholds

    for add in (add_sweep, add_sensitivity, add_thresholds, add_plot):
        add(sub)
