"""The registry of command-line commands.

A command is a function that adds one sub-parser (with its ``handler``) to the ``deterrence``
parser's sub-commands.  The engine's own commands are registered by the modules listed in
``BUILTIN_MODULES``; a model package adds its commands through the ``deterrence.commands`` entry
point group, whose entries name a module that registers them when imported::

    [project.entry-points."deterrence.commands"]
    mycase = "mypackage.commands"

Adding a command is one module plus one :func:`command` decoration (and, for the engine, its
module's name in ``BUILTIN_MODULES``).  :func:`deterrence.cli.main.build_parser` calls
:func:`load_commands` and then every ``add_parser`` in :func:`commands` order.

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
from types import ModuleType

__all__ = [
    "BUILTIN_MODULES",
    "ENTRY_POINT_GROUP",
    "LEGACY_ORDER",
    "Command",
    "command",
    "commands",
    "load_commands",
    "unregister",
]

#: Modules of the engine that register commands when imported (``--help`` lists by ``order``).
BUILTIN_MODULES: tuple[str, ...] = (
    "deterrence.cli.list",
    "deterrence.cli.show",
    "deterrence.cli.solve",
    "deterrence.cli.sweep",
    "deterrence.cli.sensitivity",
    "deterrence.cli.thresholds",
    "deterrence.cli.plot",
    "deterrence.cli.export",
    "deterrence.cli.explore",
)

#: ``order`` of a legacy module's command group (see :func:`load_commands`): after ``solve`` (30).
LEGACY_ORDER = 40

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
    """Import the engine's command modules and every ``deterrence.commands`` entry point.

    Transition: a module that registers nothing but defines the older ``add_commands(subparsers)``
    is registered as one command group named after the module, at :data:`LEGACY_ORDER`.
    Modules should use :func:`command` instead.
    """
    import importlib
    from importlib.metadata import entry_points

    for name in BUILTIN_MODULES:
        _legacy(importlib.import_module(name))
    seen = set()
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.value not in seen:  # one distribution found twice on the path
            seen.add(entry.value)
            loaded = entry.load()
            if isinstance(loaded, ModuleType):
                _legacy(loaded)


def _legacy(module: ModuleType) -> None:
    """Register a module's ``add_commands`` when none of its functions is registered already."""
    add_commands = getattr(module, "add_commands", None)
    if add_commands is None:
        return
    if any(c.add_parser.__module__ == module.__name__ for c in _COMMANDS.values()):
        return
    command(module.__name__.rsplit(".", 1)[-1], order=LEGACY_ORDER)(add_commands)


def commands() -> dict[str, Command]:
    """The registered commands by name, in ``--help`` order."""
    return dict(sorted(_COMMANDS.items(), key=lambda item: (item[1].order, item[0])))
