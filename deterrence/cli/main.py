"""The ``deterrence`` command line (also ``python -m deterrence``).

A thin shell: parse arguments, call one public function, print or write.
Mistakes in user input (an unknown game, a bad file, a value out of range)
print one line on stderr and exit with status 2, without a traceback.
Subcommand groups live in their own modules and register themselves through
``add_commands(subparsers)``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from deterrence import __version__
from deterrence.errors import DeterrenceError

__all__ = ["main", "build_parser", "load_game", "model_values", "add_model_options", "emit"]

EPILOG = """\
examples:
  deterrence list                                   the built-in games
  deterrence show iran-pakistan-sequential          parameters and what they mean
  deterrence solve chicken --set crash_cost=4       all Nash equilibria, exactly
  deterrence solve game.efg --concept spe           a Gambit file, subgame perfection
  deterrence report                                 the Iran-Pakistan baseline report

Exact payoffs give exact answers ("2/3"). Every equilibrium printed has been
checked: no player gains by deviating. Run 'deterrence COMMAND --help' for more.
"""


# -- shared helpers used by every command group -------------------------------
def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--set NAME=VALUE`` and ``--scenario FILE`` to a subcommand."""
    parser.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one parameter (repeatable); plain numbers only, e.g. --set china_mediation=0.8",
    )
    parser.add_argument(
        "--scenario",
        metavar="FILE.toml",
        help="a TOML scenario file of parameter values ([parameters] table), "
        "or the name of a built-in scenario such as strong_china",
    )


def model_values(model: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Validated parameter values from ``--scenario`` then ``--set`` (later wins)."""
    values: dict[str, Any] = {}
    if getattr(args, "scenario", None):
        values.update(model.parameters.load_scenario(model.scenario_path(args.scenario)).values)
    values.update(model.parameters.parse_assignments(getattr(args, "assignments", []) or []))
    return values


def load_game(spec: str, args: argparse.Namespace) -> tuple[Any, Any]:
    """Return ``(game, model or None)`` for a Gambit file path or a built-in slug."""
    path = Path(spec)
    if path.suffix.lower() in (".nfg", ".efg") or path.exists():
        if getattr(args, "assignments", None) or getattr(args, "scenario", None):
            raise DeterrenceError("--set and --scenario apply to built-in games, not to game files")
        from deterrence.io import read_game

        return read_game(path), None
    from games import get_model

    model = get_model(spec)
    return model.game(model_values(model, args)), model


def emit(text: str, output: str | None) -> None:
    """Print ``text`` or write it to ``output``."""
    if output:
        try:
            Path(output).write_text(text + "\n", encoding="utf-8")
        except OSError as error:  # a missing directory or no permission is a user mistake
            raise DeterrenceError(f"cannot write {output}: {error.strerror or error}") from None
    else:
        print(text)


# -- list / show / solve ------------------------------------------------------
def _cmd_list(args: argparse.Namespace) -> int:
    from games import list_models

    models = list_models()
    if args.format == "json":
        print(
            json.dumps(
                [
                    {"slug": m.slug, "title": m.title, "citation": m.citation, "parameters": len(m.parameters)}
                    for m in models
                ],
                indent=2,
            )
        )
        return 0
    width = max(len(m.slug) for m in models)
    for m in models:
        extra = f"  [{len(m.parameters)} parameters]" if len(m.parameters) else ""
        print(f"{m.slug:<{width}}  {m.title}{extra}")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from games import get_model

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


def _cmd_solve(args: argparse.Namespace) -> int:
    from deterrence.solvers.facade import solve

    game, model = load_game(args.game, args)
    concept = args.concept or (model.concepts[0] if model else ("spe" if hasattr(game, "root") else "nash"))
    result = solve(game, concept=concept, method=args.method)
    if args.format == "json":
        text = json.dumps(result.to_dict(), indent=2)
    else:
        from deterrence.io.tables import result_table

        text = result_table(result)
    emit(text, args.output)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="deterrence",
        description="Game-theoretic deterrence models, solved exactly: list, show, solve, "
        "sweep and report on built-in games or Gambit files.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"deterrence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list the built-in games by slug")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=_cmd_list)

    p = sub.add_parser(
        "show",
        help="describe a built-in game and its parameters",
        description="Describe a built-in game: players, moves, payoffs and every "
        "parameter with its default, range, unit, meaning and claims.",
    )
    p.add_argument("game", metavar="SLUG", help="a slug from 'deterrence list'")
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_model_options(p)
    p.set_defaults(handler=_cmd_show)

    p = sub.add_parser(
        "solve",
        help="find every equilibrium of a game, verified",
        description="Solve a built-in game (by slug) or a Gambit .nfg/.efg file. "
        "Exact payoffs are solved in exact arithmetic.",
        epilog="concepts: nash (all Nash equilibria), pure, spe (subgame perfect, trees), "
        "dominance (iterated elimination, then Nash).\n"
        "methods for nash: vertex (exact, default), support, nashpy, nashpy-vertex; "
        "for trees: reduced, sequence-form (zero-sum).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("game", metavar="GAME", help="a slug from 'deterrence list' or a path to a .nfg/.efg file")
    p.add_argument(
        "--concept",
        choices=("nash", "pure", "spe", "dominance"),
        help="solution concept (default: the model's own, else spe for trees and nash for matrices)",
    )
    p.add_argument("--method", help="algorithm (see below); default picks the exact one")
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    add_model_options(p)
    p.set_defaults(handler=_cmd_solve)

    for module in _COMMAND_MODULES:
        try:
            imported = __import__(f"deterrence.{module}", fromlist=["add_commands"])
        except ModuleNotFoundError as error:  # a command group not built yet
            if error.name != f"deterrence.{module}":
                raise
            continue
        imported.add_commands(sub)
    return parser


#: Modules that add subcommand groups (sweeps, audit, report, export).
_COMMAND_MODULES = ("cli.sweep", "cli.audit", "cli.report")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except DeterrenceError as error:
        print(f"deterrence: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("deterrence: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
