"""Registry entries (slugs) and the batched outcome columns sweeps read."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.analysis.batch import LabelArray
from deterrence.model import Model
from games.iran_pakistan.analysis import CHOICES, TYPE_KEYS, solve_continuation
from games.iran_pakistan.forms import bayesian_game, matrix_game, prestrike_game, sequential_game
from games.iran_pakistan.parameters import PARAMETERS, TYPE_LABELS

__all__ = ["MODELS", "MEASURES"]

_SCENARIOS = str(Path(__file__).with_name("scenarios"))
_CITATION = "USIP analysis, January 2024 (claims C1-C12); encoding in docs/argument.md, after Zagare & Kilgour (2000)"

#: Numeric columns of a sweep.
MEASURES = (
    "pakistan_retaliates",
    "p_iran_escalates",
    "p_escalate_after_calibrated",
    "retaliation_margin",
    "counter_credible",
    "tie",
)


def _label_table() -> list[str]:
    """Every regime label: absorb, then per response the escalating types as bits (TYPE_KEYS order)."""
    table = [CHOICES[0]]
    for response in ("calibrated", "direct"):
        for bits in range(1 << len(TYPE_KEYS)):
            names = "+".join(TYPE_LABELS[t] for k, t in enumerate(TYPE_KEYS) if bits >> k & 1)
            table.append(f"{response} -> " + (f"{names} escalates" if names else "stand down"))
    return table


_LABELS = _label_table()
_INVALID = "invalid: priors sum above 1"


def _labels(out: dict, choice: np.ndarray, weights: Mapping) -> np.ndarray:
    """Regime codes into ``_LABELS``: Pakistan's response and which of Iran's motive types escalate.

    Under uncertainty the label names the escalating types (a regime), not the escalation
    probability, so that a sweep has a few regimes rather than one label per prior value.
    Codes, not strings, so that no Python runs per point (the caller wraps them in a
    :class:`~deterrence.analysis.outcomes.LabelArray`).
    """
    prior_of = {"ct": None, "broaden": "prior_broaden", "coerce": "prior_coerce"}
    code = np.zeros(len(choice), dtype=np.intp)  # 0: absorb
    for i, response in ((1, "calibrated"), (2, "direct")):
        at = choice == i
        if not at.any():
            continue
        bits = np.zeros(int(at.sum()), dtype=np.intp)
        for k, t in enumerate(TYPE_KEYS):
            if "ct" in weights or "broaden" in weights:  # an explicit belief
                mass = np.full(at.sum(), float(weights.get(t, 0)))
            elif prior_of[t] is None:
                mass = 1 - np.asarray(weights["prior_broaden"])[at] - np.asarray(weights["prior_coerce"])[at]
            else:
                mass = np.asarray(weights[prior_of[t]])[at]
            escalates = np.asarray(out[f"escalates/{response}/{t}"])[at] & (mass > 0)
            bits |= escalates.astype(np.intp) << k
        code[at] = 1 + (i - 1) * (1 << len(TYPE_KEYS)) + bits
    return code


class _Outcomes:
    """The batched evaluator sweeps call, for one belief about Iran's motive (None: the prior)."""

    #: The numeric columns returned after ``outcome`` (read by :class:`~deterrence.model.Model`).
    columns = MEASURES

    def __init__(self, belief: dict | None) -> None:
        self.belief = belief

    def __call__(self, points: Mapping[str, np.ndarray], concept: str) -> dict[str, np.ndarray]:
        belief = self.belief
        out = solve_continuation(dict(points), belief=belief)
        choice = np.asarray(out["choice"])
        p_esc = out["p_escalate"]
        code = _labels(out, choice, belief if belief is not None else points)
        ties = out["choice_tie"] | out["counter_tie"]
        for key in out:
            if key.startswith("escalates_tie/"):
                ties = ties | out[key]
        # A sweep may cross prior_broaden + prior_coerce > 1; such points are marked, not solved.
        invalid = (np.asarray(points["prior_broaden"]) + np.asarray(points["prior_coerce"])) > 1 + 1e-12
        outcome = LabelArray([*_LABELS, _INVALID], np.where(invalid, len(_LABELS), code))
        columns = {
            "outcome": outcome,
            "pakistan_retaliates": out["retaliates"].astype(np.float64),
            "p_iran_escalates": p_esc.astype(np.float64),
            "p_escalate_after_calibrated": out["p_escalate/calibrated"].astype(np.float64),
            "retaliation_margin": out["retaliation_margin"].astype(np.float64),
            "counter_credible": out["counter"].astype(np.float64),
            "tie": ties.astype(np.float64),
        }
        if belief is None:
            for key in MEASURES:
                columns[key] = np.where(invalid, np.nan, columns[key])
        return columns


def _claims(values: Mapping) -> list:
    """The claim audit at a full parameter point (the ``"claims"`` hook of ``Model.extras``)."""
    from games.iran_pakistan.claims import audit

    return audit(dict(values))


#: Optional hooks of the case's models (``deterrence explore`` shows the claim statuses).
_EXTRAS = {"claims": _claims}


def _case_model(slug: str, title: str, build: Any, **details: Any) -> Model:
    """A model of the case: its citation, parameters, tag, scenarios and hooks are the case's own."""
    return Model(
        slug,
        title,
        _CITATION,
        build,
        PARAMETERS,
        tags=("iran-pakistan",),
        scenario_dir=_SCENARIOS,
        extras=_EXTRAS,
        **details,
    )


#: The registry entries of the case (collected by :mod:`games.catalogue`).
MODELS = [
    _case_model(
        "iran-pakistan-matrix",
        "Iran-Pakistan continuation, strategic form",
        matrix_game,
        description="Pakistan absorbs, strikes calibrated targets or strikes directly; Iran stands down "
        "or escalates (met by Pakistani counter-escalation). Iran's motive: counter-terror.",
        outcomes=_Outcomes({"ct": 1}),
        concepts=("nash", "pure", "dominance"),
    ),
    _case_model(
        "iran-pakistan-sequential",
        "Iran-Pakistan continuation after Iran's strike (tree)",
        sequential_game,
        description="Pakistan responds; Iran stands down or escalates; Pakistan counter-escalates or holds. "
        "Complete information, counter-terror motive. Baseline SPE: calibrated strike, Iranian restraint.",
        outcomes=_Outcomes({"ct": 1}),
        concepts=("spe", "nash"),
    ),
    _case_model(
        "iran-pakistan-bayesian",
        "Iran-Pakistan continuation with uncertain Iranian motive",
        bayesian_game,
        description="Nature draws Iran's motive (counter-terror, broaden, coerce) from Pakistan's prior; "
        "Pakistan responds without knowing it. Sweeps report the perfect Bayesian equilibrium.",
        outcomes=_Outcomes(None),
        concepts=("pbe", "pure", "nash"),
    ),
    _case_model(
        "iran-pakistan-prestrike",
        "Iran's decision to strike (C12)",
        prestrike_game,
        description="One move earlier: Iran strikes or keeps the status quo, unsure whether Pakistan is "
        "resolved or would absorb the strike.",
        concepts=("pbe", "pure", "nash"),
    ),
]
