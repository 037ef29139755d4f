"""The ``sensitivity`` command: how much a measure depends on each parameter.

``--method`` offers every method of :mod:`deterrence.sensitivity.registry` (Sobol', Morris,
one-at-a-time swings and any registered later); the handler runs
:func:`deterrence.sensitivity.analyse.sensitivity`, prints or writes the table and draws the
method's figure.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any

from deterrence.cli.options import add_command_parser
from deterrence.cli.registry import command
from deterrence.cli.study import add_common, command_line, count, load_model, save_figure, seed, vary, write_table
from deterrence.errors import DeterrenceError
from deterrence.sensitivity.registry import get_method, method_names, methods, plot_result

__all__ = ["add_sensitivity"]

EXAMPLES = """\
examples:
  deterrence sensitivity chicken --measure p_firm --method sobol --n 1024 --plot sobol.pdf
  deterrence sensitivity chicken --measure p_firm --method morris --n 40 --seed 7
  deterrence sensitivity chicken --measure p_firm --method oat --plot tornado.pdf -o swings.csv
"""


def _epilog() -> str:
    """The examples, then one paragraph per registered method."""
    lines = [EXAMPLES]
    for m in methods().values():
        first, *rest = textwrap.wrap(f"{m.name}: {m.summary}", 80, subsequent_indent=" " * (len(m.name) + 2))
        lines.append("\n".join([first, *rest]))
    return "\n".join(lines) + "\n"


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from deterrence.sensitivity.analyse import sensitivity
    from deterrence.sweeps.executors import executor

    model, fixed = load_model(args)
    if args.measure is None:
        if not model.measures:
            raise DeterrenceError(f"model {model.slug!r} has no numeric measures to analyse")
        args.measure = model.measures[0]
    box = vary(model, args.vary, fixed) if args.vary else None
    n = count(args.n, "--n") if args.n is not None else None
    seed_ = seed(args, draw=get_method(args.method).random)
    jobs = count(args.jobs, "-j/--jobs") if args.jobs else None
    with executor(jobs) as pool:
        result = sensitivity(
            model,
            args.measure,
            args.method,
            names=list(box) if box else None,
            bounds=box,
            n=n,
            seed=seed_,
            baseline=fixed,
            concept=args.concept,
            executor=pool,
        )
    frame = result.to_frame()
    if args.output:
        write_table(
            frame,
            Path(args.output),
            model,
            seed_,
            {"method": args.method, "measure": args.measure, "n": n, "vary": box},
            command_line(args),
        )
    if args.format == "json":
        print(frame.to_json(orient="records", indent=2))
    elif not args.output or not args.quiet:
        seeded = f", seed {seed_}" if seed_ is not None else ""
        print(f"{args.method} sensitivity of {args.measure} ({model.slug}{seeded})")
        print(
            frame.drop(
                columns=[c for c in ("measure", "method", "seed", "n", "trajectories") if c in frame.columns]
            ).to_string(index=False, float_format=lambda v: f"{v:.4g}")
        )
        if getattr(model, "simplex", ()):  # say what the rows of simplex members mean
            from deterrence.sweeps.simplex import describe

            note = describe(model.simplex, list(frame["parameter"]), local=result.method == "oat")
            if note:
                print(f"note: {note}")
    if args.plot:
        save_figure(
            plot_result(result),
            Path(args.plot),
            model,
            seed_,
            {"method": args.method, "measure": args.measure},
            command_line(args),
        )
    return 0


@command("sensitivity", order=41)
def add_sensitivity(sub: Any) -> None:
    """Add the ``sensitivity`` command."""
    p = add_command_parser(
        sub,
        "sensitivity",
        help="Sobol', Morris or one-at-a-time sensitivity of a measure",
        description="Global (Sobol', Morris) or local (one-at-a-time) sensitivity of one "
        "numeric equilibrium measure to the model's parameters.",
        epilog=_epilog(),
    )
    add_common(p)
    p.add_argument(
        "--measure", metavar="NAME", help="numeric outcome column, e.g. p_escalate (default: the model's first)"
    )
    names = method_names()
    p.add_argument("--method", choices=names, default=names[0])
    p.add_argument("--n", metavar="N", help="; ".join(f"{m.name}: {m.n_help}" for m in methods().values()))
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
