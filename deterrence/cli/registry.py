"""The registry of command-line commands.

A command is a function that adds one sub-parser (with its ``handler``) to the ``deterrence``
parser's sub-commands.  The engine's own commands are registered by the modules listed in
``BUILTIN_MODULES``; a model package adds its commands through the ``deterrence.commands`` entry
point group, whose entries name a module that registers them when imported.  Adding a command is
one module plus one :func:`command` decoration.

Examples
--------
>>> from deterrence.cli.registry import command, commands
>>> @command("hello", order=999)
... def add_hello(sub):
...     sub.add_parser("hello", help="say hello")
>>> "hello" in commands()
True
>>> unregister("hello")
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["BUILTIN_MODULES", "Command", "command", "commands", "load_commands", "unregister"]

#: Modules of the engine that register commands when imported, in the order ``--help`` lists them.
BUILTIN_MODULES: tuple[str, ...] = ()

#: The entry point group through which other packages add commands.
ENTRY_POINT_GROUP = "deterrence.commands"

AddParser = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


@dataclass(frozen=True)
class Command:
    """One registered command: its name, the function that adds its parser, and its place in ``--help``."""

    name: str
    add_parser: AddParser
    order: int = 100


_COMMANDS: dict[str, Command] = {}


def command(name: str, *, order: int = 100) -> Callable[[AddParser], AddParser]:
    """Register ``add_parser`` as the command ``name`` (a decorator); names are unique."""

    def register(add_parser: AddParser) -> AddParser:
        if name in _COMMANDS and _COMMANDS[name].add_parser is not add_parser:
            raise ValueError(f"command {name!r} is registered twice")
        _COMMANDS[name] = Command(name, add_parser, order)
        return add_parser

    return register


def unregister(name: str) -> None:
    """Remove a command (for tests and plug-ins that replace one)."""
    _COMMANDS.pop(name, None)


def load_commands() -> None:
    """Import the engine's command modules and every ``deterrence.commands`` entry point."""
    import importlib
    from importlib.metadata import entry_points

    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        entry.load()


def commands() -> dict[str, Command]:
    """The registered commands by name, in ``--help`` order."""
    return dict(sorted(_COMMANDS.items(), key=lambda item: (item[1].order, item[0])))
