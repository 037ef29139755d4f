"""Sensitivity of a model's equilibrium measure: the dispatcher over the registered methods.

Let :math:`Y = f(X_1, \\dots, X_d)` be a numeric equilibrium output (the
probability that a player escalates, an expected payoff) with the inputs
independent and uniform on their ranges.

The methods live in one module each -- :mod:`deterrence.sensitivity.sobol` (Sobol' 1993
indices), :mod:`deterrence.sensitivity.morris` (Morris 1991 screening) and
:mod:`deterrence.sensitivity.oat` (one-at-a-time swings) -- and are listed by
:mod:`deterrence.sensitivity.registry`.  This module turns a model into a function of the
varied parameters (:func:`model_function`) and runs a method on it (:func:`sensitivity`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.sensitivity.base import Function
from deterrence.sensitivity.morris import MorrisResult, morris
from deterrence.sensitivity.oat import SwingTable, oat_swing
from deterrence.sensitivity.registry import get_method, method_names
from deterrence.sensitivity.sobol import SobolResult, _saltelli, sobol  # noqa: F401  (_saltelli: older callers)

__all__ = [
    "SobolResult",
    "MorrisResult",
    "SwingTable",
    "sobol",
    "morris",
    "oat_swing",
    "model_function",
    "sensitivity",
    "METHODS",
]

#: The registered method names (read from the registry; kept for older callers).
METHODS = method_names()


def model_function(
    model: Any,
    measure: str,
    *,
    baseline: Mapping[str, Any] | None = None,
    concept: str | None = None,
    executor: Any = None,
) -> Function:
    """``points -> measure`` for a model: others at ``baseline``, chunks through ``executor``.

    Raises
    ------
    DeterrenceError
        If ``measure`` is not a numeric column of the model's outcomes.
    """
    from deterrence.sweeps.run import evaluate_points

    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    first = next(iter(base), None)
    probe = evaluate_points(model, {first: [base[first]]} if first else {}, concept=concept, baseline=base)
    numeric = [
        k
        for k, v in probe.items()
        if k not in model.parameters and k != "outcome" and np.asarray(v).dtype.kind in "biuf"
    ]
    if measure not in numeric:
        raise DeterrenceError(
            f"unknown measure {measure!r} for model {model.slug!r}; numeric measures: {', '.join(numeric) or 'none'}"
        )

    def function(points: Mapping[str, np.ndarray]) -> np.ndarray:
        out = evaluate_points(model, points, concept=concept, baseline=base, executor=executor)
        return np.asarray(out[measure], dtype=np.float64)

    return function


def sensitivity(
    model: Any,
    measure: str,
    method: str = "sobol",
    *,
    names: Sequence[str] | None = None,
    bounds: Mapping[str, Sequence[float]] | None = None,
    n: int | None = None,
    seed: int | None = None,
    baseline: Mapping[str, Any] | None = None,
    concept: str | None = None,
    executor: Any = None,
) -> Any:
    """Sensitivity of a model's ``measure`` by a registered ``method`` (``sobol``, ``morris``, ``oat``, ...).

    ``names`` (default: every parameter with a range) are varied over
    ``bounds`` (default: their own bounds).  ``n`` is the method's size (its
    ``default_n`` when None): the Sobol' base sample (default 1024), the number
    of Morris trajectories (default 20) or the values per parameter of the
    swings (default 5).  See :mod:`deterrence.sensitivity.registry`.

    A model's simplex groups (:attr:`~deterrence.model.Model.simplex`) reach the method as
    ``simplex=``: the built-in methods sample inside them (:mod:`deterrence.sweeps.simplex`).

    Returns
    -------
    SobolResult, MorrisResult or SwingTable
        The method's result; each has ``to_frame()`` (a tidy pandas table)
        and ``plot(ax=None, **kwargs)`` (Sobol' bars, a Morris plot or a
        tornado chart).

    Examples
    --------
    >>> from deterrence import get_model
    >>> result = sensitivity(get_model("chicken"), "p_firm", "morris", n=4, seed=1)
    >>> sorted(result.to_frame()["parameter"])
    ['crash_cost', 'face_loss', 'win']
    """
    chosen = get_method(method)
    if n is not None and int(n) < 1:
        raise DeterrenceError(f"--n must be at least 1, got {n}")
    function = model_function(model, measure, baseline=baseline, concept=concept, executor=executor)
    bounds = dict(bounds or {})
    names = list(names or bounds or [p.name for p in model.parameters if p.low < p.high])
    box = {k: tuple(bounds.get(k, model.parameters.bounds([k])[k])) for k in names}
    point = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    extra: dict[str, Any] = {}
    groups = tuple(getattr(model, "simplex", ()))
    if groups and any(k in box for g in groups for k in g):
        import inspect

        accepted = inspect.signature(chosen.run).parameters
        if "simplex" not in accepted and not any(p.kind is p.VAR_KEYWORD for p in accepted.values()):
            raise DeterrenceError(
                f"method {method!r} cannot keep {' and '.join(' + '.join(g) for g in groups)} <= 1 "
                f"(model {model.slug!r}); use sobol, morris or oat"
            )
        extra["simplex"] = groups
    n_value = int(n or chosen.default_n)
    return chosen.run(function, box, baseline=point, n=n_value, seed=seed, measure=measure, **extra)
