"""The ``explore`` command: a static page for teaching, with sliders over a precomputed grid.

``deterrence explore SLUG -o DIR`` writes ``DIR/index.html`` (self-contained: inline script and
style, the data embedded, so it opens from disk on a phone or a laptop without a server) and
``DIR/explore.json`` (the same data).  See :mod:`deterrence.explore`.
"""

from __future__ import annotations

import argparse
from typing import Any

from deterrence.cli.options import OUTPUT_HELP, add_command_parser, add_model_options
from deterrence.cli.registry import command

__all__ = ["add_explore"]

EPILOG = """\
examples:
  deterrence explore generic-deterrence -o site/
  deterrence explore chicken --param crash_cost --param win --levels 11 -o chicken/

Without --param the explorer takes the third parties' parameters first (China, US, India,
TTP/Afghanistan, when the model has them), else the model's first parameters: three, at 5
levels each (two at 11).  The grid is solved point by point (and the claims audited, when the
model has claims), so it is bounded: at most {max_points} points.
"""


def _run(args: argparse.Namespace) -> int:
    from deterrence.cli.options import model_values
    from deterrence.cli.study import count
    from deterrence.explore import explorer_data, write_explorer
    from deterrence.library import get_model

    model = get_model(args.model)
    fixed = model_values(model, args)
    levels = count(args.levels, "--levels") if args.levels is not None else None
    jobs = count(args.jobs, "-j/--jobs") if args.jobs else None
    doc: dict[str, Any] = explorer_data(
        model,
        args.param or None,
        levels,
        baseline=fixed,
        concept=args.concept,
        claims=not args.no_claims,
        jobs=jobs,
        solve=args.solve,
    )
    doc["fixed"] = {k: str(v) for k, v in fixed.items()}
    page, data = write_explorer(doc, args.output)
    if not args.quiet:
        names = ", ".join(p["name"] for p in doc["parameters"])
        print(f"wrote {page} and {data} ({doc['size']} grid points over {names})")
    return 0


@command("explore", order=45)
def add_explore(sub: Any) -> None:
    """Add the ``explore`` sub-command."""
    from deterrence.explore.data import MAX_GRID_POINTS

    parser = add_command_parser(
        sub,
        "explore",
        help="write a static teaching page: sliders, the game, its regime map and claims",
        description="Write DIR/index.html and DIR/explore.json: a precomputed grid over a few parameters.",
        epilog=EPILOG.format(max_points=f"{MAX_GRID_POINTS:,}"),
    )
    parser.add_argument("model", metavar="SLUG", help="a built-in model (see 'deterrence list')")
    parser.add_argument("-o", "--output", metavar="DIR", required=True, help=f"folder to write ({OUTPUT_HELP})")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME", help="a parameter of the sliders (repeatable, 2-4)"
    )
    parser.add_argument("--levels", metavar="N", help="grid levels per parameter (2-25)")
    parser.add_argument("--concept", help="solution concept of the outcome labels (the model's first by default)")
    parser.add_argument(
        "--solve",
        metavar="CONCEPT",
        help="concept of the equilibrium drawn (default: spe for perfect-information trees, pbe for other "
        "trees, the outcome concept for matrix games)",
    )
    parser.add_argument("--no-claims", action="store_true", help="leave out the claim statuses (faster)")
    parser.add_argument("-j", "--jobs", metavar="N", help="solve the grid points in N processes")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    add_model_options(parser)
    parser.set_defaults(handler=_run)
