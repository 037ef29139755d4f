"""``deterrence show SLUG``: a model's players, moves, payoffs and parameters."""

from __future__ import annotations

import argparse
import json
from typing import Any

from deterrence.cli.options import add_command_parser, model_values
from deterrence.cli.registry import command

__all__ = ["add_parser"]


def _run(args: argparse.Namespace) -> int:
    from deterrence.library import get_model

    model = get_model(args.game)
    values = model_values(model, args)
    game = model.game(values)
    info = {
        "slug": model.slug,
        "title": model.title,
        "citation": model.citation,
        "description": model.description,
        "concepts": list(model.concepts),
        "players": list(game.players),
        "form": "extensive" if hasattr(game, "root") else "normal",
        "parameters": model.parameters.to_list(),
        "values": {k: float(v) for k, v in model.parameters.point(values).items()},
    }
    if args.format == "json":
        print(json.dumps(info, indent=2))
        return 0
    from deterrence.io.tables import describe_game

    print(f"{model.title} ({model.slug})\n{model.citation}\n")
    if model.description:
        print(model.description + "\n")
    print(describe_game(game))
    if len(model.parameters):
        from deterrence.io.tables import parameter_table

        print("\n" + parameter_table(model.parameters, model.parameters.point(values)))
    return 0


@command("show", order=20)
def add_parser(sub: Any) -> None:
    """Register ``show``."""
    p = add_command_parser(
        sub,
        "show",
        help="describe a built-in game and its parameters",
        description="Describe a built-in game: players, moves, payoffs and every\n"
        "parameter with its default, range, unit, meaning and claims.",
        formats=("table", "json"),
        model=True,
    )
    p.add_argument("game", metavar="SLUG", help="a slug from 'deterrence list'")
    p.set_defaults(handler=_run)
