"""``deterrence report``: rebuild the Iran-Pakistan baseline analysis with provenance.

A thin shell over :func:`games.iran_pakistan.report.build_report`: read the
calibration (``--scenario`` then ``--set``), build the report under
``-o DIR`` and print a short summary and the path of ``report.md``.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_commands"]


def _command(args: argparse.Namespace) -> list[str]:
    """The command line that reproduces this run (recorded in every sidecar)."""
    words = ["deterrence", "report"]
    if args.scenario:
        words += ["--scenario", args.scenario]
    for text in args.assignments:
        words += ["--set", text]
    words += ["-o", args.output, "--format", args.format]
    if args.grid != 121:
        words += ["--grid", str(args.grid)]
    return words


def _cmd_report(args: argparse.Namespace) -> int:
    from deterrence.progress import progress_bar
    from games import get_model
    from games.iran_pakistan.report import build_report

    model = get_model("iran-pakistan-sequential")
    values: dict[str, Any] = {}
    name, description = "baseline", "the defaults of games/iran_pakistan/parameters.py"
    if args.scenario:
        scenario = model.parameters.load_scenario(model.scenario_path(args.scenario))
        values.update(scenario.values)
        name, description = scenario.name, scenario.description
    overrides = model.parameters.parse_assignments(args.assignments)
    values.update(overrides)
    with progress_bar(5, "report", quiet=args.quiet, unit="stage") as bar:
        result = build_report(
            values,
            output_dir=args.output,
            scenario_name=name,
            scenario_description=description,
            overrides=overrides,
            command=_command(args),
            n=args.grid,
            html=args.format == "html",
            progress=bar,
        )
    if not args.quiet:
        print(result.summary)
        if result.html is not None:
            print(result.html)
    print(result.report)
    return 0


def add_commands(sub: Any) -> None:
    """Register ``report``."""
    from deterrence.cli.main import add_model_options

    p = sub.add_parser(
        "report",
        help="rebuild the Iran-Pakistan analysis: tables, figures, audit, provenance",
        description="Solve every form of the Iran-Pakistan model at a calibration (the baseline by default), "
        "audit claims C1-C12 of the USIP analysis (January 2024), check the comparative-static "
        "sign targets and draw the figures. Writes DIR/report.md (and report.html), "
        "audit.csv/audit.json, sign_targets.csv and figures/*.png|pdf, each with a JSON "
        "provenance sidecar.",
        epilog="examples:\n  deterrence report\n  deterrence report --scenario strong_china -o report-china\n"
        "  deterrence report --set prior_broaden=0.6 --format html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-o", "--output", metavar="DIR", default="report", help="output directory (default: report/)")
    p.add_argument(
        "--format",
        choices=("md", "html"),
        default="md",
        help="md: report.md; html: report.md and a self-contained report.html",
    )
    p.add_argument(
        "--grid",
        type=int,
        default=121,
        metavar="N",
        help="grid points per axis of the maps (default 121; smaller is faster)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only the path of report.md")
    add_model_options(p)
    p.set_defaults(handler=_cmd_report)
