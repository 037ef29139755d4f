"""Registry entries (slugs) and the batched outcome columns sweeps read."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.analysis.batch import LabelArray
from deterrence.model import Model
from games.iran_pakistan.analysis import CHOICES, TYPE_KEYS, any_tie, solve_continuation
from games.iran_pakistan.forms import bayesian_game, matrix_game, prestrike_game, sequential_game
from games.iran_pakistan.parameters import PARAMETERS, TYPE_LABELS
from games.iran_pakistan.reputation import reputation_game
from games.iran_pakistan.smooth import DEFAULT_LAMBDA, logit_continuation

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
    "p_iran_escalates_qre",
    "p_pakistan_retaliates_qre",
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
    """The batched evaluator sweeps call, for one belief about Iran's motive (None: the prior).

    Besides the equilibrium regime and its measures it returns the agent logit QRE's smooth
    Pr(Iran escalates) and Pr(Pakistan retaliates) at precision ``lam``
    (:mod:`games.iran_pakistan.smooth`).  With ``concept="qre"`` the ``outcome`` names the
    QRE's modal regime instead (Pakistan's most probable response, and the types that escalate
    after it with probability above one half); the measures are the same.  Points are
    evaluated in blocks of :attr:`block` so that the intermediate arrays stay in the
    processor's cache.
    """

    #: The numeric columns returned after ``outcome`` (read by :class:`~deterrence.model.Model`).
    columns = MEASURES
    #: Points per block.
    block = 32768

    def __init__(self, belief: dict | None, lam: float = DEFAULT_LAMBDA) -> None:
        self.belief = belief
        self.lam = lam

    def __call__(self, points: Mapping[str, np.ndarray], concept: str) -> dict[str, np.ndarray]:
        arrays = dict(zip(points, np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in points.values()))))
        size = len(next(iter(arrays.values()))) if arrays else 0
        blocks = [
            self._block({k: a[lo : lo + self.block] for k, a in arrays.items()}, concept)
            for lo in range(0, max(size, 1), self.block)
        ]
        codes = np.concatenate([b.pop("outcome") for b in blocks]) if size else np.zeros(0, dtype=np.intp)
        columns: dict[str, np.ndarray] = {"outcome": LabelArray([*_LABELS, _INVALID], codes)}
        for key in MEASURES:
            columns[key] = np.concatenate([b[key] for b in blocks])[:size]
        return columns

    def _block(self, points: Mapping[str, np.ndarray], concept: str = "") -> dict[str, np.ndarray]:
        """Outcome codes and measures of one block of points."""
        belief = self.belief
        out = solve_continuation(dict(points), belief=belief)
        ties = any_tie(out)
        smooth = logit_continuation(points, belief=belief, lam=self.lam)
        weights = belief if belief is not None else points
        if concept == "qre":
            modal = np.argmax(np.stack([smooth[f"choice/{c}"] for c in CHOICES]), axis=0)
            escalating = {k: smooth[k] > 0.5 for k in smooth if k.startswith("escalates/")}
            code = _labels(escalating, modal, weights)
        else:
            code = _labels(out, np.asarray(out["choice"]), weights)
        # A sweep may cross prior_broaden + prior_coerce > 1; such points are marked, not solved.
        invalid = (np.asarray(points["prior_broaden"]) + np.asarray(points["prior_coerce"])) > 1 + 1e-12
        columns = {
            "outcome": np.where(invalid, len(_LABELS), code),
            "pakistan_retaliates": out["retaliates"].astype(np.float64),
            "p_iran_escalates": out["p_escalate"].astype(np.float64),
            "p_escalate_after_calibrated": out["p_escalate/calibrated"].astype(np.float64),
            "retaliation_margin": out["retaliation_margin"].astype(np.float64),
            "counter_credible": out["counter"].astype(np.float64),
            "tie": ties.astype(np.float64),
            "p_iran_escalates_qre": np.asarray(smooth["p_escalate"], dtype=np.float64),
            "p_pakistan_retaliates_qre": np.asarray(smooth["p_retaliates"], dtype=np.float64),
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
    """A model of the case: its citation, parameters, tag, scenarios and hooks are the case's own.

    Every form shares the parameter block, so every form keeps Pakistan's prior over Iran's
    motive on the simplex (``prior_broaden + prior_coerce <= 1``) in its designs.
    """
    return Model(
        slug,
        title,
        _CITATION,
        build,
        PARAMETERS,
        tags=("iran-pakistan",),
        scenario_dir=_SCENARIOS,
        extras=_EXTRAS,
        simplex=(("prior_broaden", "prior_coerce"),),
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
        concepts=("nash", "pure", "dominance", "qre"),
    ),
    _case_model(
        "iran-pakistan-sequential",
        "Iran-Pakistan continuation after Iran's strike (tree)",
        sequential_game,
        description="Pakistan responds; Iran stands down or escalates; Pakistan counter-escalates or holds. "
        "Complete information, counter-terror motive. Baseline SPE: calibrated strike, Iranian restraint.",
        outcomes=_Outcomes({"ct": 1}),
        concepts=("spe", "nash", "qre"),
    ),
    _case_model(
        "iran-pakistan-bayesian",
        "Iran-Pakistan continuation with uncertain Iranian motive",
        bayesian_game,
        description="Nature draws Iran's motive (counter-terror, broaden, coerce) from Pakistan's prior; "
        "Pakistan responds without knowing it. Sweeps report the perfect Bayesian equilibrium.",
        outcomes=_Outcomes(None),
        concepts=("pbe", "pure", "nash", "qre"),
    ),
    _case_model(
        "iran-pakistan-prestrike",
        "Iran's decision to strike (C12)",
        prestrike_game,
        description="One move earlier, uncertainty on both sides: Nature draws Iran's motive (Pakistan's prior) "
        "and Pakistan's resolve (soft with probability iran_belief_absorb); Iran strikes or keeps the status quo; "
        "Pakistan, unsure of the motive, responds; Iran replies; Pakistan counter-escalates or holds. The game "
        "C12's check solves (games/iran_pakistan/prestrike.py, exact with mixing); at the baseline the "
        "equilibrium is semi-separating.",
        concepts=("pbe", "pure", "qre"),
    ),
    _case_model(
        "iran-pakistan-reputation",
        "Iran-Pakistan reputation form: a watching challenger (C1 derived)",
        reputation_game,
        description="Nature draws Pakistan resolute or pliable; Pakistan answers Iran's strike; a watching "
        "challenger (India or the TTP) infers Pakistan's resolve from the answer and challenges or not. "
        "The precedent cost comes out of the game (games/iran_pakistan/reputation.py).",
        concepts=("pbe", "nash", "qre"),
    ),
]
