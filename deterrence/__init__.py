"""deterrence: game-theoretic deterrence models, solved exactly and swept fast.

The engine knows game theory and nothing about any particular crisis; the model library lives in
the separate ``games`` package and is found through the ``deterrence.models`` entry points.
Everything a user needs is importable from here::

    games        NormalFormGame, ExtensiveFormGame, Decision, Chance, Terminal, choice
    models       Model, Parameter, ParameterSet, get_model, list_models, register_model
    solving      solve, read_game, write_game
    sweeps       grid, sample, one_at_a_time, run_sweep, sweep_frame, evaluate_points, executor
    analysis     sensitivity, find_thresholds, symbolic_threshold, compute_regime_map, track_branches,
                 tree_outcomes, normal_form_outcomes (batched outcomes for sweepable models)

Importing this package loads only numpy; sympy, scipy, pandas and matplotlib are imported inside
the functions that need them, and the names below that live in heavier modules are loaded on
first use.

Examples
--------
>>> import deterrence
>>> game = deterrence.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> result = deterrence.solve(game)
>>> len(result), result.complete
(1, True)
"""

from __future__ import annotations

from deterrence._lazy import lazy_exports
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

# Bound eagerly: the package deterrence.sensitivity would otherwise shadow the function of the same
# name once any of its modules is imported.
from deterrence.sensitivity.analyse import sensitivity
from deterrence.solvers.facade import solve
from deterrence.solvers.result import Equilibrium, SolveResult

#: Public names loaded on first use: name -> module that defines it.
_LAZY = {
    "Model": "deterrence.model",
    "Parameter": "deterrence.parameters",
    "ParameterSet": "deterrence.parameters",
    "Scenario": "deterrence.parameters",
    "get_model": "deterrence.library",
    "list_models": "deterrence.library",
    "register_model": "deterrence.library",
    "read_game": "deterrence.io.gambit",
    "write_game": "deterrence.io.gambit",
    "Design": "deterrence.sweeps.designs",
    "grid": "deterrence.sweeps.designs",
    "sample": "deterrence.sweeps.designs",
    "one_at_a_time": "deterrence.sweeps.designs",
    "run_sweep": "deterrence.sweeps.run",
    "sweep_frame": "deterrence.sweeps.run",
    "evaluate_points": "deterrence.sweeps.run",
    "SweepResult": "deterrence.sweeps.run",
    "find_thresholds": "deterrence.analysis.thresholds",
    "symbolic_threshold": "deterrence.analysis.thresholds",
    "Threshold": "deterrence.analysis.thresholds",
    "compute_regime_map": "deterrence.analysis.regimes",
    "regime_map_from_frame": "deterrence.analysis.regimes",
    "RegimeMap": "deterrence.analysis.regimes",
    "track_branches": "deterrence.analysis.branches",
    "tree_outcomes": "deterrence.analysis.outcomes",
    "normal_form_outcomes": "deterrence.analysis.outcomes",
    "executor": "deterrence.sweeps.executors",
}


__getattr__, __dir__ = lazy_exports(globals(), _LAZY)


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
    "sensitivity",
    "solve",
    *_LAZY,
]
