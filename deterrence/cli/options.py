"""Flags and helpers that several commands share: ``--set``, ``--scenario``, ``-o`` and writing.

A command module imports what it needs from here:

* :func:`add_command_parser` makes a command's sub-parser (raw-text description and epilog,
  optional ``--format`` and model options);
* :func:`add_model_options` adds ``--set NAME=VALUE`` and ``--scenario FILE``;
  :func:`model_values` reads them back as validated values;
* :func:`load_game` turns a slug or a Gambit file name into a game;
* :func:`add_output_option` adds ``-o FILE``; :func:`emit` prints or writes the text;
  :func:`write_output` writes any file the command line makes.

Every file is written atomically (:func:`deterrence.io.atomic.atomic_write`): a full disk or an
unwritable place leaves the previous copy intact and becomes a one-line error (exit status 2).
Missing parent directories of an output file are created -- the one rule for every ``-o``.

Examples
--------
>>> import argparse, tempfile, pathlib
>>> parser = argparse.ArgumentParser()
>>> add_model_options(parser)
>>> add_output_option(parser)
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> args = parser.parse_args(["--set", "crash_cost=4", "-o", str(folder / "new" / "out.txt")])
>>> from deterrence.library import get_model
>>> print(model_values(get_model("chicken"), args)["crash_cost"])
4
>>> emit("hello", args.output)
>>> print((folder / "new" / "out.txt").read_text(), end="")
hello
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from deterrence.errors import DeterrenceError

__all__ = [
    "OUTPUT_HELP",
    "add_command_parser",
    "add_model_options",
    "add_output_option",
    "emit",
    "load_game",
    "model_values",
    "run_provenance",
    "write_output",
]

#: How ``-o`` treats a missing directory, said once for every command's ``--help``.
OUTPUT_HELP = "missing parent directories are created; an existing file is replaced only once the new one is complete"


def add_command_parser(
    sub: Any,
    name: str,
    *,
    help: str,
    description: str,
    epilog: str | None = None,
    examples: tuple[str, ...] = (),
    formats: tuple[str, ...] = (),
    model: bool = False,
) -> argparse.ArgumentParser:
    """Add the sub-parser of command ``name`` with the flags most commands share.

    The description and epilog are printed as written (line breaks kept). ``examples`` are
    command lines appended to the epilog under ``examples:``; ``formats`` adds ``--format``
    with those choices, the first the default; ``model`` adds :func:`add_model_options`.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> sub = parser.add_subparsers(dest="command")
    >>> p = add_command_parser(sub, "hello", help="say hello", description="Say hello.",
    ...                        examples=("deterrence hello",), formats=("text", "json"), model=True)
    >>> print(p.epilog)
    examples:
      deterrence hello
    >>> args = parser.parse_args(["hello", "--set", "x=1"])
    >>> print(args.format, args.assignments)
    text ['x=1']
    """
    if examples:
        listing = "examples:\n" + "\n".join(f"  {line}" for line in examples)
        epilog = f"{epilog}\n{listing}" if epilog else listing
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if formats:
        parser.add_argument("--format", choices=formats, default=formats[0])
    if model:
        add_model_options(parser)
    return parser


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--set NAME=VALUE`` (repeatable) and ``--scenario FILE`` to a command's parser."""
    parser.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one parameter (repeatable); plain numbers only, e.g. --set NAME=2/3",
    )
    parser.add_argument(
        "--scenario",
        metavar="FILE.toml",
        help="a TOML scenario file of parameter values ([parameters] table), "
        "or the name of one of the model's built-in scenarios",
    )


def add_output_option(parser: argparse.ArgumentParser, what: str = "write to FILE instead of the terminal") -> None:
    """Add ``-o/--output FILE`` with the shared rule for missing directories in its help."""
    parser.add_argument("-o", "--output", metavar="FILE", help=f"{what} ({OUTPUT_HELP})")


def model_values(model: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Validated parameter values from ``--scenario`` then ``--set`` (later wins)."""
    values: dict[str, Any] = {}
    if getattr(args, "scenario", None):
        values.update(model.parameters.load_scenario(model.scenario_path(args.scenario)).values)
    values.update(model.parameters.parse_assignments(getattr(args, "assignments", []) or []))
    return values


def load_game(spec: str, args: argparse.Namespace) -> tuple[Any, Any]:
    """Return ``(game, model or None)`` for a Gambit file path or a registered slug."""
    path = Path(spec)
    if path.suffix.lower() in (".nfg", ".efg") or path.exists():
        if getattr(args, "assignments", None) or getattr(args, "scenario", None):
            raise DeterrenceError("--set and --scenario apply to built-in games, not to game files")
        from deterrence.io import read_game

        return read_game(path), None
    from deterrence.library import get_model

    model = get_model(spec)
    return model.game(model_values(model, args)), model


def write_output(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating missing parent directories; return the path.

    Raises
    ------
    DeterrenceError
        One line naming the path when the directory cannot be made or the file cannot be written
        (a parent that is a file, no permission, a full disk); the previous copy is kept.
    """
    from deterrence.io.atomic import atomic_write

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DeterrenceError(f"cannot write {target}: {error.strerror or error}") from None
    atomic_write(target, data)
    return target


def emit(text: str, output: str | None, *, provenance: Mapping[str, Any] | None = None) -> None:
    """Print ``text``, or write it (plus a newline) to ``output`` through :func:`write_output`.

    With ``provenance`` (keyword arguments of :func:`deterrence.io.provenance.write_sidecar`,
    e.g. from :func:`run_provenance`) a written file also gets its sidecar ``FILE.provenance.json``.
    """
    if output:
        target = write_output(output, text + "\n")
        if provenance is not None:
            from deterrence.io.provenance import write_sidecar

            write_sidecar(target, **provenance)
    else:
        print(text)


def run_provenance(
    args: argparse.Namespace,
    model: Any = None,
    *,
    started: float | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Sidecar fields of a command run: its command line, scenario, the model's values, the time taken.

    ``started`` is a :func:`time.perf_counter` reading at the start of the command; the sidecar's
    ``timings`` then hold ``{"run": seconds}``.  No seed: a command that draws at random records its
    own.

    Examples
    --------
    >>> args = argparse.Namespace(command_line=["deterrence", "solve", "chicken"], scenario=None, assignments=[])
    >>> from deterrence.library import get_model
    >>> record = run_provenance(args, get_model("chicken"))
    >>> print(record["command"], record["scenario"], record["extra"]["model"])
    deterrence solve chicken None chicken
    """
    import shlex
    import sys
    import time

    words = getattr(args, "command_line", None) or ["deterrence", *sys.argv[1:]]
    record: dict[str, Any] = {
        "command": shlex.join(str(w) for w in words),
        "scenario": getattr(args, "scenario", None),
        "extra": {"model": getattr(model, "slug", None), **(extra or {})},
    }
    if model is not None:
        point = model.parameters.point(model_values(model, args))
        record["parameters"] = [{**p, "value": point[p["name"]]} for p in model.parameters.to_list()]
    if started is not None:
        record["timings"] = {"run": time.perf_counter() - started}
    return record
