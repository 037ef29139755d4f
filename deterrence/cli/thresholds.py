"""The ``thresholds`` command: where a model's equilibrium switches along one parameter.

Calls :func:`deterrence.analysis.thresholds.find_thresholds` and prints each switch as a formula
(text and LaTeX) and as a number at the baseline, or the same as JSON.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from deterrence.cli.options import add_command_parser
from deterrence.cli.registry import command
from deterrence.cli.study import add_common, count, load_model
from deterrence.errors import DeterrenceError

__all__ = ["add_thresholds"]

EPILOG = """\
examples:
  deterrence thresholds chicken --param crash_cost
  deterrence thresholds chicken --param crash_cost --set face_loss=3 --format json

Every switch of the equilibrium outcome along the parameter (others at the
baseline) is bracketed by bisection, refined with Brent's method on an
indifference condition, and, where sympy can solve it, written as a formula
in the other parameters (text and LaTeX).  The symbolic and numeric values
are checked against each other at the baseline and, for the formula, at 20
random points near it (the outcome must switch where the formula says).
"""


def _cmd_thresholds(args: argparse.Namespace) -> int:
    import time

    from deterrence.analysis.thresholds import find_thresholds

    started = time.perf_counter()
    model, fixed = load_model(args)
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
        n=count(args.n, "--n"),
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
    from deterrence.cli.options import emit, run_provenance

    provenance = None
    if args.output:
        extra = {"parameter": args.param, "concept": args.concept, "grid_points": args.n, "thresholds": len(found)}
        provenance = run_provenance(args, model, started=started, extra=extra)
        if any(t.formula is not None for t in found):  # each formula was checked at seeded random points
            import inspect

            from deterrence.analysis.threshold_check import local_switch_check

            provenance["seed"] = inspect.signature(local_switch_check).parameters["seed"].default
    emit(text, args.output, provenance=provenance)
    return 0


@command("thresholds", order=42)
def add_thresholds(sub: Any) -> None:
    """Add the ``thresholds`` command."""
    p = add_command_parser(
        sub,
        "thresholds",
        help="where the equilibrium switches along a parameter, as formulas",
        description="Locate every switch of the model's outcome along one parameter and "
        "give it as a formula (text and LaTeX) and a number at the baseline.",
        epilog=EPILOG,
    )
    add_common(p)
    p.add_argument("--param", required=True, metavar="NAME", help="the parameter to scan")
    p.add_argument("--range", metavar="LOW:HIGH", help="scan range (default: the parameter's bounds)")
    p.add_argument("--n", default="201", metavar="N", help="grid points of the scan (default 201)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (with a provenance sidecar FILE.provenance.json) instead of the terminal",
    )
    p.set_defaults(handler=_cmd_thresholds)
