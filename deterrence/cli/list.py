"""``deterrence list``: the registered models by slug."""

from __future__ import annotations

import argparse
import json
from typing import Any

from deterrence.cli.registry import command

__all__ = ["add_parser"]


def _run(args: argparse.Namespace) -> int:
    from deterrence.library import list_models

    models = list_models()
    if args.format == "json":
        rows = [
            {"slug": m.slug, "title": m.title, "citation": m.citation, "parameters": len(m.parameters)} for m in models
        ]
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(m.slug) for m in models), default=0)
    for m in models:
        extra = f"  [{len(m.parameters)} parameters]" if len(m.parameters) else ""
        print(f"{m.slug:<{width}}  {m.title}{extra}")
    return 0


@command("list", order=10)
def add_parser(sub: Any) -> None:
    """Register ``list``."""
    p = sub.add_parser("list", help="list the built-in games by slug")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=_run)
