"""deterrence: game-theoretic deterrence models, solved exactly and swept fast.

The engine knows game theory and nothing about any particular crisis; the
model library lives in the separate ``games`` package.  Importing this
package loads only numpy; sympy, scipy, pandas and matplotlib are imported
inside the functions that need them.
"""

from __future__ import annotations

from deterrence._version import __version__

from deterrence.errors import (
    DeterrenceError,
    FormulaError,
    GameError,
    GameFileError,
    ParameterError,
    SolverError,
)
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.formula import parse_formula
from deterrence.solvers.facade import solve
from deterrence.solvers.result import Equilibrium, SolveResult


def read_game(path):  # noqa: ANN001, ANN201 - thin lazy wrapper
    """Read a Gambit ``.nfg`` or ``.efg`` file into a game (see :mod:`deterrence.io`)."""
    from deterrence.io import read_game as _read_game

    return _read_game(path)


__all__ = [
    "__version__",
    "Chance",
    "Decision",
    "DeterrenceError",
    "Equilibrium",
    "ExtensiveFormGame",
    "FormulaError",
    "GameError",
    "GameFileError",
    "NormalFormGame",
    "ParameterError",
    "SolveResult",
    "SolverError",
    "Terminal",
    "choice",
    "parse_formula",
    "read_game",
    "solve",
]
