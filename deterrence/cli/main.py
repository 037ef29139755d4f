"""The ``deterrence`` command line (also ``python -m deterrence``).

A thin shell: parse arguments, call one public function, print or write.
Mistakes in user input (an unknown game, a bad file, a value out of range)
print one line on stderr and exit with status 2, without a traceback.

Every command lives in a module of its own and registers itself with
:func:`deterrence.cli.registry.command`; :func:`build_parser` collects the engine's
commands and those that installed packages add through the ``deterrence.commands``
entry point group.  The shared flags are in :mod:`deterrence.cli.options`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from deterrence import __version__
from deterrence.cli.options import add_model_options, emit, load_game, model_values
from deterrence.errors import DeterrenceError

# The shared helpers are re-exported: command modules written before cli/options.py import them here.
__all__ = ["main", "build_parser", "load_game", "model_values", "add_model_options", "emit"]

EPILOG = """\
examples:
  deterrence list                                   the built-in games, by slug
  deterrence show SLUG                              players, moves, parameters and what they mean
  deterrence solve SLUG --set NAME=VALUE            all equilibria, exactly, with a parameter changed
  deterrence solve game.efg --concept spe           a Gambit file, subgame perfection

Exact payoffs give exact answers ("2/3"). Every equilibrium printed has been
checked: no player gains by deviating. Installed model packages add commands
of their own. Run 'deterrence COMMAND --help' for more.
"""


#: Engine commands that are parsed without loading the others: a command line that starts with
#: one of them gets a parser with that command alone (the same sub-parser, so the same help, errors
#: and arguments), which spares a large sweep the start-up of every other command and plug-in.
DIRECT_COMMANDS = {"sweep": "deterrence.cli.sweep"}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every registered command (or with the command ``only`` alone).

    ``only`` is one of :data:`DIRECT_COMMANDS`; anything else builds the full parser.
    """
    import importlib

    from deterrence.cli.registry import commands, load_commands

    chosen = None
    if only in DIRECT_COMMANDS:
        importlib.import_module(DIRECT_COMMANDS[only])
        chosen = commands().get(only)
    parser = argparse.ArgumentParser(
        prog="deterrence",
        description="Game-theoretic deterrence models, solved exactly: list, show, solve "
        "and sweep built-in games or Gambit files.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"deterrence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if chosen is not None:
        chosen.add_parser(sub)
        return parser
    load_commands()
    for registered in commands().values():
        registered.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(words[0] if words else None)
    args = parser.parse_args(argv)
    args.command_line = ["deterrence", *(sys.argv[1:] if argv is None else argv)]  # for provenance sidecars
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
