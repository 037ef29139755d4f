"""File input and output: Gambit ``.nfg``/``.efg`` game files.

Other formats (JSON, LaTeX, DOT, CSV/Parquet) live in sibling modules of this
package.  The Gambit readers and writers, which need nothing beyond numpy, are
loaded on first use.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # The Gambit functions are loaded on first use: a sibling module (atomic writes, sidecars)
    # imported on its own does not need the Gambit parsers.
    if name in __all__:
        from deterrence.io import gambit

        return getattr(gambit, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "dumps",
    "loads",
    "read_efg",
    "read_game",
    "read_nfg",
    "write_efg",
    "write_game",
    "write_nfg",
]
