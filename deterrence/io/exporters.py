"""The registry of export formats: a format name -> a function that writes a game as text.

``deterrence export GAME --to FORMAT`` and :func:`export` look formats up here.  Adding a
format is one module with a function ``write(game) -> str`` plus one :func:`register_exporter`
call (the built-in formats are registered below, by ``"module:function"`` strings that are
imported only when the format is used, so that importing this module stays cheap).

Built-in formats:

========= ==============  ===================================================================
name      extensions      what it writes
========= ==============  ===================================================================
``latex`` ``.tex``        ``sgame`` matrices (normal forms), ``istgame`` trees
``efg``   ``.efg``        Gambit ``.efg`` (a normal form becomes a simultaneous-move tree)
``nfg``   ``.nfg``        Gambit ``.nfg`` (a tree becomes its reduced normal form)
``dot``   ``.dot .gv``    Graphviz: a tree as a digraph, a normal form as a table
``json``  ``.json``       the stable JSON game schema (:mod:`deterrence.io.json_game`)
========= ==============  ===================================================================

Examples
--------
>>> from deterrence.forms.normal_form import NormalFormGame
>>> game = NormalFormGame(["A", "B"], [["x"], ["y"]], [[[1, 2]]])
>>> print(export(game, "nfg").splitlines()[0])
NFG 1 R "" { "A" "B" }
>>> format_for_path("figures/game.gv")
'dot'
>>> sorted(exporters())
['dot', 'efg', 'json', 'latex', 'nfg']
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deterrence.errors import DeterrenceError

__all__ = [
    "Exporter",
    "export",
    "exporters",
    "format_for_path",
    "get_exporter",
    "register_exporter",
    "unregister_exporter",
]

Writer = Callable[[Any], str]


@dataclass(frozen=True)
class Exporter:
    """One export format.

    Attributes
    ----------
    name : str
        The name given to ``--to``.
    writer : callable or str
        ``writer(game) -> str``, or ``"module:function"`` naming it (imported on first use).
    extensions : tuple of str
        File extensions (with the dot, lower case) from which ``-o FILE`` infers the format.
    description : str
        One line for ``--help``.
    """

    name: str
    writer: Writer | str
    extensions: tuple[str, ...]
    description: str

    def write(self, game: Any) -> str:
        """The text of ``game`` in this format."""
        writer = self.writer
        if isinstance(writer, str):
            module, _, function = writer.partition(":")
            writer = getattr(importlib.import_module(module), function)
        return writer(game)


_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(
    name: str,
    writer: Writer | str,
    *,
    extensions: tuple[str, ...] = (),
    description: str = "",
    replace: bool = False,
) -> Exporter:
    """Register an export format; a second registration of one name needs ``replace=True``.

    Raises
    ------
    ValueError
        If ``name`` is taken, or an extension is claimed by another format.
    """
    if name in _EXPORTERS and not replace:
        raise ValueError(f"export format {name!r} is registered already")
    extensions = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in extensions)
    for other in _EXPORTERS.values():
        clash = set(other.extensions) & set(extensions)
        if other.name != name and clash:
            raise ValueError(f"extension {sorted(clash)[0]!r} belongs to export format {other.name!r}")
    entry = Exporter(name, writer, extensions, description)
    _EXPORTERS[name] = entry
    return entry


def unregister_exporter(name: str) -> None:
    """Remove a format (for tests and plug-ins that replace one)."""
    _EXPORTERS.pop(name, None)


def exporters() -> dict[str, Exporter]:
    """The registered formats by name, sorted."""
    return dict(sorted(_EXPORTERS.items()))


def get_exporter(name: str) -> Exporter:
    """The format called ``name``; an unknown name is a one-line :class:`DeterrenceError`."""
    try:
        return _EXPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(_EXPORTERS))
        raise DeterrenceError(f"unknown export format {name!r}; choose one of {known}") from None


def format_for_path(path: str | os.PathLike[str]) -> str:
    """The format whose extension ``path`` has; otherwise a one-line :class:`DeterrenceError`."""
    suffix = Path(os.fspath(path)).suffix.lower()
    for entry in _EXPORTERS.values():
        if suffix in entry.extensions:
            return entry.name
    known = ", ".join(e for entry in exporters().values() for e in entry.extensions)
    shown = Path(os.fspath(path)).name
    raise DeterrenceError(f"cannot tell the export format of {shown!r} from its extension ({known}); give --to")


def export(game: Any, name: str) -> str:
    """The text of ``game`` in the format ``name``."""
    return get_exporter(name).write(game)


register_exporter(
    "latex",
    "deterrence.io.latex:game_to_latex",
    extensions=(".tex",),
    description="LaTeX: sgame matrices for normal forms, istgame trees",
)
register_exporter(
    "efg",
    "deterrence.io.conversions:game_to_efg",
    extensions=(".efg",),
    description="Gambit .efg (a normal form is written as a simultaneous-move tree)",
)
register_exporter(
    "nfg",
    "deterrence.io.conversions:game_to_nfg",
    extensions=(".nfg",),
    description="Gambit .nfg (a tree is written as its reduced normal form)",
)
register_exporter(
    "dot",
    "deterrence.io.dot:game_to_dot",
    extensions=(".dot", ".gv"),
    description="Graphviz DOT: trees as digraphs, normal forms as tables",
)
register_exporter(
    "json",
    "deterrence.io.json_game:dumps_json_game",
    extensions=(".json",),
    description="the stable JSON game schema (read back by read_json_game)",
)
