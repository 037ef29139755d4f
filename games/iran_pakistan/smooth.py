"""Smooth outcomes: the agent logit QRE of the Iran-Pakistan continuation, batched over points.

In the agent quantal response equilibrium (McKelvey & Palfrey 1998) every
information set is played by its own agent, who takes action ``a`` with
probability proportional to ``exp(lam * U(a))``; ``lam`` is the precision in
payoff units (one unit is Pakistan's cost of a calibrated strike).  At
``lam = 0`` play is uniform; as ``lam`` grows the probabilities approach an
equilibrium of the game -- the subgame-perfect or perfect Bayesian one
wherever that is strict.  Where the equilibrium jumps at a threshold, the QRE
probabilities move smoothly, at a rate set by ``lam`` (Signorino 1999), so
comparative statics can be read from slopes as well as from regime changes
(:mod:`.qre_reading` reads the sign targets of :mod:`.statics` that way).

The continuation trees of the case (:func:`~games.iran_pakistan.forms.sequential_game`,
:func:`~games.iran_pakistan.forms.bayesian_game`) have a *unique* agent QRE,
computed by one backward pass, in closed form, without path following:

1. Pakistan counter-escalates with probability ``s = L(lam (P - C_P))``
   (``L`` the logistic function).  Its payoff difference does not depend on
   Iran's type, so the beliefs at that information set do not matter.
2. Iran's type ``t`` escalates after strike ``r`` with probability
   ``p_rt = L(lam [(g' + e_t - R_I - s W_I) - (g' - f_r - q_t + m)])``
   (``q_t`` the coercing type's face premium, as in :mod:`.forms`).
3. Pakistan's response is a logit (softmax) choice over absorb (``-P``) and
   the two strikes, each valued at its expectation under Pakistan's belief
   over Iran's type -- the prior, since nothing precedes Pakistan's move.

The engine's generic solvers (:func:`deterrence.solvers.qre_agent.qre_tree`,
:func:`deterrence.solvers.qre_batch.agent_qre_batch`) give the same numbers
on the same trees; the tests compare them.  Derivatives are exact to rounding
by complex steps (:func:`logit_slopes`, :func:`measure_slopes`): every
operation here is analytic in the parameters.

The QRE version of each form:

* sequential and Bayesian forms -- :func:`logit_continuation`; the
  registered models' batched outcomes carry ``p_iran_escalates_qre`` and
  ``p_pakistan_retaliates_qre`` at :data:`DEFAULT_LAMBDA`, and with concept
  ``qre`` their ``outcome`` names the QRE's modal regime;
* matrix form -- the reduced strategic form of the sequential tree, so its
  registered columns are the tree's agent QRE.  The logit QRE of the 5 x 4
  normal form itself is another object, computed per point by the engine
  (``deterrence.solve(matrix_game(v), "qre")``): at the baseline it puts
  the same probabilities on the path, but plans that differ only off the
  path share their weight (counter-escalate and hold half each, where the
  agent QRE counter-escalates);
* pre-strike form -- information sets on both sides and no closed form:
  :func:`prestrike_strike_mass` traces the engine's agent QRE at a point.

Examples
--------
>>> from games.iran_pakistan.forms import values_for
>>> out = logit_continuation(values_for(), belief={"ct": 1}, lam=2.0)
>>> round(float(out["counter"][0]), 6)  # L(2 * (6 - 4.8))
0.916827
>>> round(float(out["p_retaliates"][0]), 4), round(float(out["p_escalate"][0]), 4)
(0.9801, 0.0001)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from games.iran_pakistan.analysis import CHOICES, TYPE_KEYS
from games.iran_pakistan.forms import RESPONSES
from games.iran_pakistan.parameters import (
    TYPES,
    iran_escalation_cost,
    iran_war_cost,
    pakistan_clash_cost,
    precedent_cost,
    priors,
    strike_cost,
)

__all__ = [
    "DEFAULT_LAMBDA",
    "SMOOTH_MEASURES",
    "logit_continuation",
    "logit_slopes",
    "smooth_measure",
    "measure_slopes",
    "prestrike_strike_mass",
    "prestrike_mass_slope",
]

#: Default logit precision, per payoff unit: a choice that is one unit (a calibrated strike's
#: cost) better is taken with odds ``e**2``, about 7 to 1, against each alternative.
DEFAULT_LAMBDA = 2.0

#: The column of :func:`logit_continuation` behind each smooth measure (one is a ratio of two).
_MEASURE_COLUMNS: dict[str, str | tuple[str, str]] = {
    "Pr(Pakistan retaliates)": "p_retaliates",
    "Pr(Pakistan absorbs)": "choice/absorb",
    "Pr(direct strike)": "choice/direct",
    "Pr(calibrated | retaliate)": ("choice/calibrated", "p_retaliates"),
    "Pr(Iran escalates)": "p_escalate",
    "Pr(Iran escalates | calibrated)": "p_escalate/calibrated",
    "Pr(Iran escalates | direct)": "p_escalate/direct",
    "Pr(Pakistan counter-escalates)": "counter",
}
#: Names of the derived measures :func:`smooth_measure` reads off :func:`logit_continuation`.
SMOOTH_MEASURES = tuple(_MEASURE_COLUMNS)

_STEP = 1e-20


def _arrays(values: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Float (or complex, for complex steps) 1-D arrays of one length; exact numbers become floats."""
    out = {}
    for key, x in values.items():
        a = np.asarray(x)
        if a.dtype == object or a.dtype.kind in "biu":
            a = a.astype(np.float64)
        out[key] = np.atleast_1d(a)
    size = max(len(a) for a in out.values())
    return {k: np.broadcast_to(a, (size,)) for k, a in out.items()}


def _precision(lam: Any) -> Any:
    """``lam`` as a float or float array, checked finite and >= 0."""
    value = np.asarray(lam, dtype=np.float64)
    if not np.all(np.isfinite(value)) or np.any(value < 0):
        raise DeterrenceError(f"lambda must be a finite number >= 0, got {lam}")
    return value if value.ndim else float(value)


def _logistic(x: Any) -> Any:
    """``1 / (1 + exp(-x))`` as ``(1 + tanh(x / 2)) / 2``: no overflow, analytic for complex steps."""
    return 0.5 + 0.5 * np.tanh(0.5 * x)


def _softmax(utilities: list[Any], lam: Any) -> list[Any]:
    """Logit choice probabilities among a few actions, shifted by the real maximum."""
    top = np.real(utilities[0])
    for u in utilities[1:]:
        top = np.maximum(top, np.real(u))
    weights = [np.exp(lam * (u - top)) for u in utilities]
    total = sum(weights)
    return [w / total for w in weights]


def logit_continuation(
    values: Mapping[str, Any], belief: Mapping[str, Any] | None = None, lam: Any = DEFAULT_LAMBDA
) -> dict[str, np.ndarray]:
    """The agent logit QRE of the continuation after Iran's strike, at every point.

    Parameters
    ----------
    values : mapping
        Parameter values: scalars or 1-D arrays of one length ``B`` (every
        parameter of :data:`~games.iran_pakistan.parameters.PARAMETERS`).
    belief : mapping, optional
        Pakistan's belief over Iran's type ``{"ct", "broaden", "coerce"}``; the
        prior in ``values`` by default (the Bayesian form).  ``{"ct": 1}`` is
        the sequential (complete-information) form.
    lam : float or array
        Logit precision per payoff unit (:data:`DEFAULT_LAMBDA`).

    Returns
    -------
    dict of arrays (length ``B``)
        ``counter`` (Pr Pakistan counter-escalates after an escalation);
        ``escalates/<r>/<type>`` (Pr the type escalates after strike r);
        ``p_escalate/<r>`` (the same under the belief); ``choice/<c>`` and
        ``value/<c>`` for c in (absorb, calibrated, direct) (Pakistan's
        response probabilities and its expected payoff of each response);
        ``p_retaliates``; ``p_escalate`` (Pr Iran escalates on the path:
        Pr(Pakistan strikes r) * ``p_escalate/<r>``, summed over r).

    Examples
    --------
    At a high precision the probabilities approach the perfect Bayesian
    equilibrium at the baseline (calibrated strike; only the broaden type,
    prior 0.2, escalates after it):

    >>> from games.iran_pakistan.forms import values_for
    >>> out = logit_continuation(values_for(), lam=50.0)
    >>> round(float(out["choice/calibrated"][0]), 6), round(float(out["p_escalate"][0]), 6)
    (1.0, 0.2)
    """
    v = _arrays(values)
    lam = _precision(lam)
    belief = priors(v) if belief is None else belief
    weight = {t: belief.get(t, 0) for t in TYPE_KEYS}
    P, C_P = precedent_cost(v), pakistan_clash_cost(v)
    R_I, W_I = iran_escalation_cost(v), iran_war_cost(v)
    m, d = v["china_mediation"], v["escalation_damage"]
    counter = _logistic(lam * (P - C_P))
    out: dict[str, np.ndarray] = {"counter": counter}
    pakistan_clash = counter * C_P + (1 - counter) * P  # Pakistan's expected cost after an escalation
    by_choice: dict[str, Any] = {"absorb": -P}
    # Iran's gain from escalating rather than standing down, before the face cost f_r of the strike.
    gain = {
        t: v[value_name] - R_I - counter * W_I + (v["coerce_face_premium"] if has_premium else 0) - m
        for t, _, value_name, has_premium in TYPES
    }
    for key, _, restoration, face in RESPONSES:
        k = strike_cost(v, key)
        stand_down_value = -k - (1 - v[restoration]) * P
        escalate_value = -k - d - pakistan_clash
        expected: Any = 0
        p_escalate: Any = 0
        for t in TYPE_KEYS:
            q = _logistic(lam * (gain[t] + v[face]))
            out[f"escalates/{key}/{t}"] = q
            expected = expected + weight[t] * (q * escalate_value + (1 - q) * stand_down_value)
            p_escalate = p_escalate + weight[t] * q
        by_choice[key] = expected
        out[f"p_escalate/{key}"] = p_escalate + 0 * P  # broadcast to length B
    probabilities = _softmax([by_choice[c] for c in CHOICES], lam)
    for c, p in zip(CHOICES, probabilities):
        out[f"choice/{c}"] = p
        out[f"value/{c}"] = by_choice[c] + 0 * P
    out["p_retaliates"] = probabilities[1] + probabilities[2]
    out["p_escalate"] = probabilities[1] * out["p_escalate/calibrated"] + probabilities[2] * out["p_escalate/direct"]
    return out


def smooth_measure(out: Mapping[str, np.ndarray], measure: str) -> np.ndarray:
    """One of :data:`SMOOTH_MEASURES` from the columns of :func:`logit_continuation`.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> out = logit_continuation(values_for(), lam=0.0)
    >>> [round(float(smooth_measure(out, m)[0]), 4) for m in ("Pr(Pakistan retaliates)", "Pr(Iran escalates)")]
    [0.6667, 0.3333]
    """
    column = _MEASURE_COLUMNS.get(measure)
    if isinstance(column, tuple):
        return out[column[0]] / out[column[1]]
    if column is not None:
        return out[column]
    raise DeterrenceError(f"unknown smooth measure {measure!r}; choose from {', '.join(SMOOTH_MEASURES)}")


def logit_slopes(
    values: Mapping[str, Any],
    name: str,
    belief: Mapping[str, Any] | None = None,
    lam: Any = DEFAULT_LAMBDA,
) -> dict[str, np.ndarray]:
    """Derivatives of every :func:`logit_continuation` column in parameter ``name``, at every point.

    Computed by a complex step (``f(x + ih)``, ``h = 1e-20``): exact to
    rounding, with no cancellation, because every operation of the QRE is
    analytic in the parameters.  A belief given explicitly does not move with
    the priors.

    Examples
    --------
    Pakistan's counter-escalation probability ``s = L(lam (P - C_P))`` rises in
    ``precedent_loss`` at the rate ``lam s (1 - s) dP/dx``, with ``dP/dx`` the
    challengers' weight ``india_emboldening + taliban_emboldening = 1``:

    >>> from games.iran_pakistan.forms import values_for
    >>> slope = logit_slopes(values_for(), "precedent_loss", lam=2.0)["counter"][0]
    >>> s = float(logit_continuation(values_for(), lam=2.0)["counter"][0])
    >>> bool(abs(slope - 2.0 * s * (1 - s)) < 1e-12)
    True
    """
    return {k: np.imag(a) / _STEP for k, a in _stepped(values, name, belief, lam).items()}


def _stepped(values: Mapping[str, Any], name: str, belief: Mapping[str, Any] | None, lam: Any) -> dict:
    """:func:`logit_continuation` at ``name + i h``: complex columns whose imaginary parts are slopes."""
    if name not in values:
        raise DeterrenceError(f"no parameter {name!r} in the values")
    point = dict(values)
    point[name] = np.asarray(np.asarray(point[name], dtype=np.float64) + 1j * _STEP)
    return logit_continuation(point, belief, lam)


def measure_slopes(
    values: Mapping[str, Any],
    name: str,
    measures: tuple[str, ...] = SMOOTH_MEASURES,
    belief: Mapping[str, Any] | None = None,
    lam: Any = DEFAULT_LAMBDA,
) -> dict[str, np.ndarray]:
    """Slopes of :data:`SMOOTH_MEASURES` (ratios included) in parameter ``name``, by one complex step.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> slope = measure_slopes(values_for(), "iran_overstretch", ("Pr(Iran escalates | calibrated)",))
    >>> bool(slope["Pr(Iran escalates | calibrated)"][0] < 0)
    True
    """
    out = _stepped(values, name, belief, lam)
    return {m: np.imag(smooth_measure(out, m)) / _STEP for m in measures}


def prestrike_strike_mass(values: Mapping[str, Any], lam: float = DEFAULT_LAMBDA) -> float:
    """Prior mass of striking Iranian types in the agent QRE of the pre-strike game, at one point.

    ``sum_t prior_t * Pr(type t strikes)``, read from the principal branch of
    the engine's agent logit QRE (:func:`deterrence.solvers.qre_agent.qre_tree`)
    of :func:`~games.iran_pakistan.forms.prestrike_game` -- a game with
    information sets on both sides, so it is traced by path following, not
    in closed form (about a second a point).  NaN if the tree has no Iranian
    ``... strike?`` decision.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> round(prestrike_strike_mass(values_for(), lam=0.0), 6)  # uniform play: every type strikes half the time
    0.5
    """
    from deterrence.solvers.qre_agent import qre_tree
    from games.iran_pakistan.forms import prestrike_game
    from games.iran_pakistan.parameters import TYPE_LABELS

    point = {k: float(x) for k, x in values.items()}
    [eq] = qre_tree(prestrike_game(point), lam=_precision(lam)).equilibria
    prior = priors(point)
    iran = eq.strategies["Iran"]
    mass = 0.0
    for t in TYPE_KEYS:
        choice = iran.get(f"{TYPE_LABELS[t]}: strike?")
        if choice is None or "strike" not in choice:
            return float("nan")
        mass += prior[t] * float(choice["strike"])
    return mass


def prestrike_mass_slope(
    values: Mapping[str, Any], name: str, lam: float = DEFAULT_LAMBDA, step: float = 1e-4
) -> float:
    """Central difference of :func:`prestrike_strike_mass` in parameter ``name`` (step ``step``).

    The path follower solves each point to a residual near 1e-15, so the
    difference is accurate to about ``1e-10 / step``; the step is kept inside
    the parameter's range.
    """
    from games.iran_pakistan.parameters import PARAMETERS

    p = PARAMETERS[name]
    x = float(values[name])
    lo, hi = max(float(p.low), x - step), min(float(p.high), x + step)
    down = prestrike_strike_mass({**values, name: lo}, lam)
    up = prestrike_strike_mass({**values, name: hi}, lam)
    return (up - down) / (hi - lo)
