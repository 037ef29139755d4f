"""Fit the logit precision ``lambda`` to observed choice frequencies by maximum likelihood.

With observed counts ``c_k`` of each strategy (normal form) or each action at
each information set (trees, agent form), the log-likelihood of ``lambda`` is

.. math:: \\ell(\\lambda) = \\sum_k c_k \\log \\sigma_k(\\lambda),

where ``sigma(lambda)`` is the logit QRE on the principal branch (McKelvey &
Palfrey 1995, sec. 5).  The branch is traced once; ``ell`` is maximised over
``log lambda`` by :func:`scipy.optimize.minimize_scalar` (bounded), reading
profiles off the branch (interpolated, then corrected).  The standard error is
``1 / sqrt(I)`` with ``I = -ell''(lambda_hat)``, the observed information,
from a central second difference.

Examples
--------
>>> from deterrence.forms.normal_form import NormalFormGame
>>> pd_game = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> fit = fit_lambda(pd_game, {"Row": {"r1": 227, "r2": 773}, "Column": {"c1": 227, "c2": 773}})
>>> round(fit.lam, 2), fit.se < 0.2
(1.0, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError

__all__ = ["LambdaFit", "fit_lambda", "log_likelihood"]


@dataclass(frozen=True)
class LambdaFit:
    """A maximum-likelihood estimate of the logit precision.

    Attributes
    ----------
    lam : float
        The estimate (payoff units).
    se : float
        Standard error from the observed information (inf when the
        likelihood is flat or the maximum is at a bound).
    log_likelihood : float
        ``ell(lam)``.
    observations : float
        Total count.
    at_bound : bool
        True when the maximum is at the search bound (``lambda`` not identified
        from above or below).
    profile : dict
        ``{label: probability}`` of the fitted QRE, labels ``"block:component"``.
    """

    lam: float
    se: float
    log_likelihood: float
    observations: float
    at_bound: bool
    profile: dict[str, float]


def _branch(game: Any, lam_max: float | None) -> Any:
    if hasattr(game, "root"):
        from deterrence.solvers.qre_agent import agent_branch

        return agent_branch(game, lam_max)[1]
    from deterrence.solvers.qre import logit_branch

    return logit_branch(game, lam_max)


def _counts(game: Any, branch: Any, counts: Any) -> np.ndarray:
    """Flatten counts to the branch's component order; check labels and values."""
    if not isinstance(counts, Mapping):
        flat = np.asarray(counts, dtype=np.float64).reshape(-1)
        if flat.size != len(branch.labels):
            raise DeterrenceError(f"counts must have {len(branch.labels)} entries, got {flat.size}")
    else:
        flat = np.zeros(len(branch.labels))
        where = {label: k for k, label in enumerate(branch.labels)}
        for player, table in counts.items():
            if not isinstance(table, Mapping):
                raise DeterrenceError(f"counts for {player!r} must be a mapping")
            items = []
            for key, value in table.items():
                if isinstance(value, Mapping):  # a tree: {infoset: {action: count}}
                    items += [((f"{player}:{key}", a), v) for a, v in value.items()]
                else:
                    items.append(((player, key), value))
            for label, value in items:
                if label not in where:
                    raise DeterrenceError(f"counts name an unknown strategy or action {':'.join(label)!r}")
                flat[where[label]] = float(value)
    if not np.all(np.isfinite(flat)) or np.any(flat < 0):
        raise DeterrenceError("counts must be finite and non-negative")
    if flat.sum() <= 0:
        raise DeterrenceError("counts are all zero; nothing to fit")
    return flat


def log_likelihood(branch: Any, counts: np.ndarray, lam: float) -> float:
    """``sum(counts * log sigma(lam))`` on the branch's first point at ``lam``."""
    x = branch.log_profiles_at(lam)[0]
    used = counts > 0
    return float(np.sum(counts[used] * x[used]))


def fit_lambda(game: Any, counts: Any, *, lam_max: float | None = None, lam_min: float | None = None) -> LambdaFit:
    """Maximum-likelihood ``lambda`` of a logit QRE for observed counts.

    Parameters
    ----------
    game : NormalFormGame or ExtensiveFormGame
        Numeric payoffs.
    counts : mapping or array
        ``{player: {strategy: count}}`` (normal form), ``{player: {infoset:
        {action: count}}}`` (trees), or one array in component order.
    lam_max, lam_min : float, optional
        Search bounds in payoff units; default ``1000 / range`` and
        ``1e-4 / range``.

    Raises
    ------
    DeterrenceError
        For unknown labels, negative counts or all-zero counts.
    """
    from scipy.optimize import minimize_scalar

    branch = _branch(game, lam_max)
    flat = _counts(game, branch, counts)
    top = float(branch.lam.max())
    bottom = float(lam_min) if lam_min is not None else 1e-4 / branch.scale
    if not 0 < bottom < top:
        raise DeterrenceError(f"lam_min must be in (0, {top:.6g}), got {bottom}")

    def objective(log_lam: float) -> float:
        return -log_likelihood(branch, flat, float(np.exp(log_lam)))

    lo, hi = np.log(bottom), np.log(top)
    found = minimize_scalar(objective, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    lam = float(np.exp(found.x))
    at_bound = bool(found.x - lo < 1e-6 or hi - found.x < 1e-6)
    step = 1e-2 * lam
    se = float("inf")
    if not at_bound and lam + step <= top:
        second = (
            log_likelihood(branch, flat, lam + step)
            - 2 * log_likelihood(branch, flat, lam)
            + log_likelihood(branch, flat, lam - step)
        ) / step**2
        if second < 0:
            se = float(1.0 / np.sqrt(-second))
    sigma = np.exp(branch.log_profiles_at(lam)[0])
    profile = {f"{b}:{c}": float(p) for (b, c), p in zip(branch.labels, sigma)}
    return LambdaFit(lam, se, -float(found.fun), float(flat.sum()), at_bound, profile)
