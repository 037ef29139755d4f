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

from pathlib import Path

from deterrence._lazy import lazy_exports

#: Public names, loaded on first use (a sweep of one form needs neither the claims nor the
#: pre-strike solver): name -> module.
_LAZY = {
    "CHOICES": "analysis",
    "solve_continuation": "analysis",
    "CHECKS": "claims",
    "ClaimCheck": "claims",
    "audit": "claims",
    "retaliation_threshold": "claims",
    "bayesian_game": "forms",
    "matrix_game": "forms",
    "outcome_payoffs": "forms",
    "prestrike_game": "forms",
    "sequential_game": "forms",
    "values_for": "forms",
    "PARAMETERS": "parameters",
    "TYPES": "parameters",
    "prestrike_assessments": "prestrike",
    "prestrike_equilibria": "prestrike",
    "reputation_game": "reputation",
}


__getattr__, __dir__ = lazy_exports(globals(), {name: f"{__name__}.{module}" for name, module in _LAZY.items()})


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
