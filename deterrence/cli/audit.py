"""``deterrence audit``: the argument audit, claims C1-C12, at a calibration."""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["add_commands", "audit_rows"]


def audit_rows(args: argparse.Namespace) -> tuple[list[Any], dict[str, Any]]:
    """Run the claim checks for the calibration given by ``--scenario``/``--set``."""
    from deterrence.cli.main import model_values
    from games import get_model
    from games.iran_pakistan import audit

    model = get_model("iran-pakistan-sequential")
    values = model_values(model, args)
    return audit(values), model.parameters.point(values)


def _table(rows: list[Any]) -> str:
    from deterrence.io.tables import text_table

    body = [[r.claim, r.status, r.summary] for r in rows]
    lines = [text_table(["claim", "status", "what the model says"], body), "", "regions where each claim holds:"]
    lines += [f"  {r.claim}: {r.region}" for r in rows]
    return "\n".join(lines)


def _cmd_audit(args: argparse.Namespace) -> int:
    from deterrence.cli.main import emit

    rows, point = audit_rows(args)
    if args.format == "json":
        text = json.dumps([r.to_dict() for r in rows], indent=2)
    else:
        text = _table(rows)
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


def add_commands(sub: Any) -> None:
    """Register ``audit``."""
    from deterrence.cli.main import add_model_options

    p = sub.add_parser(
        "audit",
        help="check claims C1-C12 of the USIP argument at a calibration",
        description="Check each claim of the USIP analysis (January 2024) against the Iran-Pakistan "
        "models: confirmed, qualified or refuted, with the evidence and the parameter "
        "region where the claim holds.",
        epilog="examples:\n  deterrence audit\n  deterrence audit --scenario strong_china\n"
        "  deterrence audit --set prior_broaden=0.6 --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (with a JSON sidecar)")
    add_model_options(p)
    p.set_defaults(handler=_cmd_audit, argv_tail=[])
