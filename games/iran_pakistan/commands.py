"""The case's commands, ``deterrence audit`` and ``deterrence report``.

The engine knows nothing of them: ``pyproject.toml`` names this module in the entry point group
``deterrence.commands``, and importing it registers both commands with
:func:`deterrence.cli.registry.command`.  Both work on :data:`MODEL` unless told otherwise.

Examples
--------
>>> from deterrence.cli.registry import commands
>>> [name for name in commands() if name in ("audit", "report")]
['audit', 'report']
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from deterrence.cli.options import add_command_parser, add_model_options, add_output_option, emit, model_values
from deterrence.cli.registry import command

__all__ = ["MODEL", "audit_rows", "audit_table"]

#: The model whose parameters, scenarios and checks ``audit`` and ``report`` use.
MODEL = "iran-pakistan-sequential"


# -- audit ----------------------------------------------------------------------------------
def audit_rows(args: argparse.Namespace) -> tuple[list[Any], dict[str, Any]]:
    """Run the claim checks for the calibration given by ``--scenario``/``--set``."""
    from deterrence.library import get_model
    from games.iran_pakistan.claims import audit

    model = get_model(MODEL)
    values = model_values(model, args)
    return audit(values), model.parameters.point(values)


def audit_table(rows: list[Any]) -> str:
    """The audit as a terminal table, then the region where each claim holds."""
    from deterrence.io.tables import text_table

    body = [[r.claim, r.status, r.summary] for r in rows]
    lines = [text_table(["claim", "status", "what the model says"], body), "", "regions where each claim holds:"]
    lines += [f"  {r.claim}: {r.region}" for r in rows]
    return "\n".join(lines)


def _run_audit(args: argparse.Namespace) -> int:
    rows, point = audit_rows(args)
    text = json.dumps([r.to_dict() for r in rows], indent=2) if args.format == "json" else audit_table(rows)
    emit(text, args.output)
    if args.output:
        from deterrence.io.provenance import write_sidecar

        write_sidecar(
            args.output,
            command=["deterrence", "audit", *args.argv_tail],
            parameters={k: float(v) for k, v in point.items()},
            seed=None,
            design={"kind": "audit", "scenario": args.scenario},
        )
    return 0


@command("audit", order=50)
def add_audit(sub: Any) -> None:
    """Register ``audit``."""
    p = add_command_parser(
        sub,
        "audit",
        help="check claims C1-C12 of the USIP argument at a calibration",
        description="Check each claim of the USIP analysis (January 2024) against the Iran-Pakistan "
        "models: confirmed, qualified or refuted, with the evidence and the parameter "
        "region where the claim holds.",
        examples=(
            "deterrence audit",
            "deterrence audit --scenario strong_china",
            "deterrence audit --set prior_broaden=0.6 --format json",
        ),
        formats=("table", "json"),
    )
    add_output_option(p, "write to FILE, with a JSON sidecar")
    add_model_options(p)
    p.set_defaults(handler=_run_audit, argv_tail=[])


# -- report ---------------------------------------------------------------------------------
def _report_command(args: argparse.Namespace) -> list[str]:
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


def _run_report(args: argparse.Namespace) -> int:
    from deterrence.library import get_model
    from deterrence.progress import progress_bar
    from games.iran_pakistan.report import build_report

    model = get_model(MODEL)
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
            command=_report_command(args),
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


@command("report", order=60)
def add_report(sub: Any) -> None:
    """Register ``report``."""
    p = add_command_parser(
        sub,
        "report",
        help="rebuild the Iran-Pakistan analysis: tables, figures, audit, provenance",
        description="Solve every form of the Iran-Pakistan model at a calibration (the baseline by default), "
        "audit claims C1-C12 of the USIP analysis (January 2024), check the comparative-static "
        "sign targets and draw the figures. Writes DIR/report.md (and report.html), "
        "audit.csv/audit.json, sign_targets.csv and figures/*.png|pdf, each with a JSON "
        "provenance sidecar.",
        examples=(
            "deterrence report",
            "deterrence report --scenario strong_china -o report-china",
            "deterrence report --set prior_broaden=0.6 --format html",
        ),
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="report",
        help="output directory (default: report/; missing parent directories are created)",
    )
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
    p.set_defaults(handler=_run_report)
