"""The January 2024 Iran-Pakistan exchange of strikes as a family of games.

Forms (all share :data:`PARAMETERS`):

* :func:`matrix_game` -- Pakistan {absorb, calibrated, direct} x Iran
  {stand down, escalate};
* :func:`sequential_game` -- the continuation after Iran's strike, with
  Pakistan's counter-escalation as a move;
* :func:`prestrike_game` -- one move earlier, Iran's decision to strike, with
  uncertainty on both sides (C12);
* :func:`bayesian_game` -- uncertainty over Iran's motive (C5, C10);
* :func:`reputation_game` -- a watching challenger infers Pakistan's resolve
  from its response, so the precedent cost is derived (C1).

:func:`solve_continuation` and :func:`prestrike_assessments` solve them in
batches or exactly; :func:`audit` checks claims C1-C12 of the USIP analysis
(January 2024) at any calibration, with a refuting example per claim, and
:func:`games.iran_pakistan.robustness.robustness` says where in the parameter box each
claim holds.
"""

from __future__ import annotations

from games.iran_pakistan.analysis import CHOICES, solve_continuation
from games.iran_pakistan.claims import CHECKS, ClaimCheck, audit, retaliation_threshold
from games.iran_pakistan.forms import (
    bayesian_game,
    matrix_game,
    outcome_payoffs,
    prestrike_game,
    sequential_game,
    values_for,
)
from games.iran_pakistan.parameters import PARAMETERS, TYPES
from games.iran_pakistan.prestrike import prestrike_assessments, prestrike_equilibria
from games.iran_pakistan.reputation import reputation_game

__all__ = [
    "PARAMETERS",
    "TYPES",
    "CHOICES",
    "CHECKS",
    "ClaimCheck",
    "audit",
    "retaliation_threshold",
    "matrix_game",
    "sequential_game",
    "prestrike_game",
    "bayesian_game",
    "outcome_payoffs",
    "values_for",
    "solve_continuation",
    "prestrike_equilibria",
    "prestrike_assessments",
    "reputation_game",
    "scenario_path",
    "SCENARIOS",
]

from pathlib import Path

#: Directory of the built-in scenario files.
SCENARIOS = Path(__file__).with_name("scenarios")


def scenario_path(name: str) -> Path:
    """Path of a built-in scenario by stem (``baseline``, ``strong_china`` ...) or an existing file."""
    from deterrence.errors import ParameterError

    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.exists():
        return candidate
    path = SCENARIOS / f"{name}.toml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in SCENARIOS.glob("*.toml")))
        raise ParameterError(f"no scenario {name!r}; built-in scenarios: {known}")
    return path
