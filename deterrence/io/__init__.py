"""File input and output: Gambit ``.nfg``/``.efg`` game files.

Other formats (JSON, LaTeX, DOT, CSV/Parquet) live in sibling modules of this
package.  Importing this package loads only the Gambit readers and writers,
which need nothing beyond numpy.
"""

from __future__ import annotations

from deterrence.io.gambit import (
    dumps,
    loads,
    read_efg,
    read_game,
    read_nfg,
    write_efg,
    write_game,
    write_nfg,
)

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
