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
    import time

    from deterrence.cli.options import run_provenance
    from deterrence.library import get_model

    started = time.perf_counter()
    rows, values = audit_rows(args)
    text = json.dumps([r.to_dict() for r in rows], indent=2) if args.format == "json" else audit_table(rows)
    if args.robustness is not None:
        from games.iran_pakistan import robustness

        found = robustness.run_audit_robustness(args, values)
        if args.format == "json":
            text = json.dumps(robustness.attach([r.to_dict() for r in rows], found), indent=2)
        else:
            text += "\n\n" + robustness.robustness_table(found)
    provenance = None
    if args.output:
        provenance = run_provenance(args, get_model(MODEL), started=started)
        provenance["design"] = {"kind": "audit", "scenario": args.scenario}
        if args.robustness is not None:
            provenance["design"]["robustness"] = {"n": int(args.robustness), "seed": args.seed or 0}
            provenance["seed"] = args.seed or 0
    emit(text, args.output, provenance=provenance)
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
            "deterrence audit --robustness 256 --seed 1 -j 2",
        ),
        formats=("table", "json"),
    )
    add_output_option(p, "write to FILE, with a provenance sidecar FILE.provenance.json")
    add_model_options(p)
    p.add_argument(
        "--robustness",
        metavar="N",
        help="also sample two boxes (uniform over the stated ranges; within +-50%% of the calibration) at 2N "
        "scrambled Sobol' points each, N points and their N partners (N a power of two, at most 4096; the "
        "Sobol' indices add N d evaluations per box, d the parameters that vary): per claim the shares "
        "of points where it is confirmed and where it holds (confirmed or qualified), with 95%% intervals, "
        "and the Sobol' indices of its status (games/iran_pakistan/robustness.py)",
    )
    p.add_argument("--seed", type=int, metavar="S", help="seed of the --robustness sample (default 0)")
    p.add_argument("-j", "--jobs", metavar="J", help="evaluate the --robustness sample in J processes")
    p.set_defaults(handler=_run_audit)


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
    if args.sobol_samples != 512:
        words += ["--sobol-samples", str(args.sobol_samples)]
    if args.robustness != "128":
        words += ["--robustness", str(args.robustness)]
    if args.seed is not None:
        words += ["--seed", str(args.seed)]
    return words


def _run_report(args: argparse.Namespace) -> int:
    from deterrence.library import get_model
    from deterrence.progress import progress_bar
    from games.iran_pakistan.report import STAGES, build_report

    model = get_model(MODEL)
    values: dict[str, Any] = {}
    name, description = "baseline", "the defaults of games/iran_pakistan/parameters.py"
    if args.scenario:
        scenario = model.parameters.load_scenario(model.scenario_path(args.scenario))
        values.update(scenario.values)
        name, description = scenario.name, scenario.description
    overrides = model.parameters.parse_assignments(args.assignments)
    values.update(overrides)
    n = args.sobol_samples
    if n < 2 or n & (n - 1):
        from deterrence.errors import DeterrenceError

        raise DeterrenceError(f"--sobol-samples must be a power of two >= 2, got {n}")
    from games.iran_pakistan.robustness import check_n

    robust = 0 if str(args.robustness).strip() == "0" else check_n(args.robustness)
    with progress_bar(len(STAGES), "report", quiet=args.quiet, unit="stage") as bar:
        result = build_report(
            values,
            output_dir=args.output,
            scenario_name=name,
            scenario_description=description,
            scenario_file=args.scenario,
            overrides=overrides,
            command=_report_command(args),
            n=args.grid,
            sobol_n=n,
            html=args.format == "html",
            progress=bar,
            robustness_n=robust,
            **({} if args.seed is None else {"seed": args.seed}),
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
        "sign targets, sample the audit's robustness (--robustness N, 0 to skip) and draw the figures. "
        "Writes DIR/report.md and a self-contained report.html, "
        "figures/*.png|svg, tables/*.csv (and .parquet with pyarrow), audit.json and latex/*.tex, "
        "each with a provenance sidecar FILE.provenance.json. The directory is built under a "
        "temporary name next to DIR and renamed at the end; progress goes to stderr.",
        examples=(
            "deterrence report",
            "deterrence report --scenario strong_china -o report-china",
            "deterrence report --set prior_broaden=0.6 --format md",
            "deterrence report --robustness 0 -o quick-report",
        ),
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="report",
        help="output directory (default: report/), replaced as a whole: new, empty or an earlier report's; "
        "missing parent directories are created",
    )
    p.add_argument(
        "--format",
        choices=("html", "md"),
        default="html",
        help="html (default): report.md and a self-contained report.html; md: report.md only",
    )
    p.add_argument(
        "--grid",
        type=int,
        default=121,
        metavar="N",
        help="grid points per axis of the maps (default 121; smaller is faster)",
    )
    p.add_argument(
        "--sobol-samples",
        type=int,
        default=512,
        metavar="N",
        help="base sample size of the Sobol' indices, a power of two (default 512)",
    )
    p.add_argument(
        "--robustness",
        metavar="N",
        default="128",
        help="N of the audit's robustness sample: 2N Sobol' points per box, N points and their N partners "
        "(N a power of two, default 128, as 'deterrence audit --robustness N'); 0 skips it",
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="S",
        help="seed of the report's random draws (the robustness sample and the Sobol' chart; default 20240116)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only the path of report.md")
    add_model_options(p)
    p.set_defaults(handler=_run_report)
