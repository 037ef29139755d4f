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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    from deterrence.cli.registry import commands, load_commands

    parser = argparse.ArgumentParser(
        prog="deterrence",
        description="Game-theoretic deterrence models, solved exactly: list, show, solve "
        "and sweep built-in games or Gambit files.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"deterrence {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    load_commands()
    for registered in commands().values():
        registered.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
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
