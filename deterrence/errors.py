"""Exceptions for mistakes in user input.

Every error a user can cause by what they type or the files they pass derives
from :class:`DeterrenceError`.  The command line catches this one class and
prints its message on one line with exit status 2; anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

__all__ = [
    "DeterrenceError",
    "FormulaError",
    "GameError",
    "GameFileError",
    "ParameterError",
    "SolverError",
]


class DeterrenceError(ValueError):
    """Base class for errors caused by user input (bad games, files, values)."""


class GameError(DeterrenceError):
    """A game was built with an inconsistent shape, label or payoff."""


class GameFileError(DeterrenceError):
    """A Gambit ``.nfg``/``.efg`` file (or another game file) could not be read."""


class FormulaError(DeterrenceError):
    """A formula typed by a user is malformed or uses a forbidden construct."""


class ParameterError(DeterrenceError):
    """An unknown parameter, a value out of bounds or a malformed scenario."""


class SolverError(DeterrenceError):
    """A solver was asked for something it cannot do (wrong concept or game type)."""
