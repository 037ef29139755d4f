"""``deterrence export GAME --to FORMAT [-o FILE]``: a game as LaTeX, Gambit, DOT or JSON.

GAME is a built-in model's slug (with ``--set``/``--scenario``), a Gambit ``.nfg``/``.efg``
file or a JSON game file (:mod:`deterrence.io.json_game`).  The format comes from ``--to`` or,
failing that, from the extension of ``-o FILE``; the formats are those of the export registry
(:mod:`deterrence.io.exporters`).  Without ``-o`` the text is printed; with it, the file is
written atomically beside a provenance sidecar ``FILE.provenance.json`` (:mod:`deterrence.io.provenance`).
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

from deterrence.cli.options import add_command_parser, add_model_options, add_output_option, load_game, write_output
from deterrence.cli.registry import command
from deterrence.errors import DeterrenceError

__all__ = ["add_parser"]


def _load(spec: str, args: argparse.Namespace) -> tuple[Any, Any]:
    """``(game, model or None)``: a JSON game file, a Gambit file or a slug."""
    if Path(spec).suffix.lower() == ".json":
        if args.assignments or args.scenario:
            raise DeterrenceError("--set and --scenario apply to built-in games, not to game files")
        from deterrence.io.json_game import read_json_game

        return read_json_game(spec), None
    return load_game(spec, args)


def _command_line(args: argparse.Namespace, name: str) -> str:
    parts = ["deterrence", "export", args.game, "--to", name]
    for assignment in args.assignments:
        parts += ["--set", assignment]
    if args.scenario:
        parts += ["--scenario", args.scenario]
    if args.standalone:
        parts.append("--standalone")
    if args.output:
        parts += ["-o", args.output]
    return shlex.join(parts)


def _run(args: argparse.Namespace) -> int:
    from deterrence.io.exporters import export, format_for_path, get_exporter

    if not args.game:
        raise DeterrenceError("export needs a GAME: a slug from 'deterrence list' or a .nfg, .efg or .json file")
    if args.to:
        name = get_exporter(args.to).name
    elif args.output:
        name = format_for_path(args.output)
    else:
        from deterrence.io.exporters import exporters

        raise DeterrenceError(f"say which format with --to ({', '.join(exporters())}) or give -o FILE")
    if args.standalone and name != "latex":
        raise DeterrenceError(f"--standalone applies to --to latex, not to {name}")
    game, model = _load(args.game, args)
    if args.standalone:
        from deterrence.io.latex import standalone_latex

        text = standalone_latex(game).rstrip("\n")
    else:
        text = export(game, name).rstrip("\n")
    if not args.output:
        print(text)
        return 0
    target = write_output(args.output, text + "\n")
    from deterrence.io.provenance import write_sidecar

    parameters: list[dict[str, Any]] = []
    if model is not None:
        point = model.parameters.point(_values(model, args))
        parameters = [{**record, "value": point[record["name"]]} for record in model.parameters.to_list()]
    write_sidecar(
        target,
        command=_command_line(args, name),
        parameters=parameters,
        extra={"model": model.slug if model else None, "game": args.game, "format": name},
    )
    return 0


def _values(model: Any, args: argparse.Namespace) -> dict[str, Any]:
    from deterrence.cli.options import model_values

    return model_values(model, args)


@command("export", order=35)
def add_parser(sub: Any) -> None:
    """Register ``export``."""
    from deterrence.io.exporters import exporters

    formats = exporters()
    listing = "\n".join(f"  {e.name:<6} {' '.join(e.extensions):<10} {e.description}" for e in formats.values())
    p = add_command_parser(
        sub,
        "export",
        help="write a game as LaTeX, Gambit .efg/.nfg, Graphviz DOT or JSON",
        description="Write a built-in game (by slug), a Gambit .nfg/.efg file or a JSON game file "
        "in another format. The format is --to, or else the extension of -o FILE.",
        epilog="formats (name, extensions, what):\n" + listing,
    )
    p.add_argument(
        "game", metavar="GAME", nargs="?", help="a slug from 'deterrence list', or a .nfg, .efg or .json game file"
    )
    p.add_argument("--to", metavar="FORMAT", help=f"the format: {', '.join(formats)}")
    p.add_argument(
        "--standalone",
        action="store_true",
        help="with --to latex: a complete document that pdflatex compiles as it is",
    )
    add_model_options(p)
    add_output_option(p, "write to FILE (plus a provenance sidecar FILE.provenance.json) instead of the terminal")
    p.set_defaults(handler=_run)
