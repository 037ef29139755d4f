"""Logit quantal response equilibrium (QRE) of normal-form games, by path following.

In a logit QRE (McKelvey & Palfrey 1995) every player mixes over her
strategies with probabilities proportional to ``exp(lambda * u)``, where
``u`` is the strategy's expected payoff against the others' mixed
strategies.  At ``lambda = 0`` play is uniform; as ``lambda`` grows the
*principal branch* of the logit correspondence, which starts at the uniform
profile, converges (in generic games) to one Nash equilibrium, the *limiting
logit equilibrium*.

The branch is traced as the zero set of the homotopy, in log-probabilities
``x``,

.. math:: H_k(x, \\lambda) = x_k - \\lambda u_k(e^x) + \\log \\sum_{k' \\in b(k)} e^{\\lambda u_{k'}(e^x)} = 0,

one equation per strategy ``k`` (``b(k)``: the strategies of the same
player; ``H = 0`` forces each player's probabilities to sum to one).  The
tracer (:func:`trace_branch`) is a predictor-corrector method in arc length
(Allgower & Georg 1990; Turocy 2005): the tangent is the null vector of the
Jacobian ``[H_x | H_lambda]``, a turning point shows as a sign change of the
tangent's ``lambda`` component, and the corrector is Newton's method on
``[H; t . dy] = 0``.  Jacobians come from complex-step differentiation (exact
to rounding), so one tracer serves any utility function; the agent form of
trees (:mod:`.qre_agent`) reuses it.

Payoffs are divided by their range internally; ``lambda`` is reported in
the game's own payoff units.

A QRE profile is not a Nash equilibrium.  It is verified by its *logit
residual*, the largest difference between a probability and the logit
response to the profile, which must be at most :data:`QRE_TOLERANCE`; that
residual is what the equilibrium's ``regret`` field holds, and
``nash_regret`` (in ``extra``) the gain from deviating.

Examples
--------
>>> from deterrence.forms.normal_form import NormalFormGame
>>> pennies = NormalFormGame.from_bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]])
>>> branch = logit_branch(pennies, lam_max=50)
>>> [round(float(v), 4) for v in branch.profile_at(0.0)[0]]
[0.5, 0.5, 0.5, 0.5]
>>> x = branch.profile_at(50.0)[0]
>>> round(float(x[0]), 2), round(float(x[2]), 2)
(0.5, 0.1)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import SolverError
from deterrence.solvers.result import Equilibrium, Solution

__all__ = [
    "QRE_TOLERANCE",
    "LogitBranch",
    "LogitSystem",
    "logit_branch",
    "normal_form_utilities",
    "qre_normal",
    "qre_work",
    "trace_branch",
]

#: Largest logit residual (in probabilities) a QRE profile may have.
QRE_TOLERANCE = 1e-9
#: Default end of the branch, in units of 1/(payoff range).
LAM_MAX = 1000.0
#: Landmark values of lambda * (payoff range) reported by ``solve(game, "qre")``.
LANDMARKS = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
#: Work bound: payoff cells x players x (strategies + 1) per Jacobian.
MAX_WORK = 5e7
_STEP = 1e-20  # complex step


class LogitSystem:
    """The homotopy ``H(x, lambda)`` of a logit correspondence over blocks of components.

    Parameters
    ----------
    utilities : callable
        ``utilities(sigma) -> u``: arrays of shape ``(k, n)`` (``k`` profiles
        at once), complex-safe (only sums, products, quotients, exp and log).
    sizes : sequence of int
        Number of components in each block (a player's strategies, or the
        actions at an information set), in order.
    logs : bool
        True when ``utilities`` takes log-probabilities instead.
    """

    def __init__(self, utilities: Callable[[np.ndarray], np.ndarray], sizes: Sequence[int], logs: bool = False) -> None:
        self.logs = logs
        self._utilities = utilities
        self.sizes = np.asarray(sizes, dtype=np.intp)
        self.starts = np.r_[0, np.cumsum(self.sizes)[:-1]].astype(np.intp)
        self.block = np.repeat(np.arange(len(self.sizes)), self.sizes)
        self.n = int(self.sizes.sum())

    def utilities(self, sigma: np.ndarray) -> np.ndarray:
        """Utilities at probabilities ``sigma`` of shape ``(k, n)``."""
        if not self.logs:
            return self._utilities(sigma)
        with np.errstate(divide="ignore"):
            return self._utilities(np.log(sigma))

    def log_utilities(self, x: np.ndarray) -> np.ndarray:
        """Utilities at log-probabilities ``x`` of shape ``(k, n)``."""
        return self._utilities(x) if self.logs else self._utilities(np.exp(x))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """``exp(x)`` rescaled to sum to one in each block (removes rounding drift)."""
        sigma = np.exp(x)
        return sigma / np.add.reduceat(sigma, self.starts)[self.block]

    def start(self) -> np.ndarray:
        """Log-probabilities of uniform play (``lambda = 0``)."""
        return -np.log(self.sizes[self.block].astype(np.float64))

    def logit(self, u: np.ndarray, lam: Any) -> np.ndarray:
        """Log of the logit response ``log softmax(lam * u)`` per block; ``u`` is ``(k, n)``."""
        z = np.asarray(lam)[..., None] * u if np.ndim(lam) else lam * u
        shift = np.maximum.reduceat(z.real, self.starts, axis=-1)
        total = np.add.reduceat(np.exp(z - shift[..., self.block]), self.starts, axis=-1)
        return z - (shift + np.log(total))[..., self.block]

    def residual(self, x: np.ndarray, lam: Any) -> np.ndarray:
        """``H(x, lambda)`` for ``x`` of shape ``(k, n)`` and ``lam`` scalar or ``(k,)``."""
        return x - self.logit(self.log_utilities(x), lam)

    def jacobian(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(H, [H_x | H_lambda])`` at ``y = (x, lambda)`` by complex steps (exact to rounding)."""
        n = self.n
        points = np.tile(y.astype(np.complex128), (n + 2, 1))
        points[np.arange(n + 1) + 1, np.arange(n + 1)] += 1j * _STEP
        values = self.residual(points[:, :n], points[:, n])
        return values[0].real, (values[1:].imag / _STEP).T

    def probability_residual(self, x: np.ndarray, lam: float) -> float:
        """Largest ``|sigma - logit response(sigma)|`` over the components, in probabilities."""
        sigma = np.exp(x)
        response = np.exp(self.logit(self.log_utilities(x[None, :])[0], lam))
        return float(np.max(np.abs(sigma - response)))

    def correct(self, x: np.ndarray, lam: float, iterations: int = 30) -> np.ndarray | None:
        """Newton's method on ``H(., lam) = 0`` from ``x``; None when it does not converge."""
        y = np.r_[x, lam]
        for _ in range(iterations):
            h, jac = self.jacobian(y)
            try:
                step = np.linalg.solve(jac[:, : self.n], -h)
            except np.linalg.LinAlgError:
                return None
            y[: self.n] += step
            if not np.all(np.isfinite(y)):
                return None
            if np.max(np.abs(step)) < 1e-12:
                return y[: self.n]
        h = self.residual(y[None, : self.n], lam)[0]
        return y[: self.n] if np.max(np.abs(h)) < 1e-9 else None


@dataclass(frozen=True, eq=False)
class LogitBranch:
    """A traced principal branch: points ``(x, lambda)`` in order of arc length.

    Attributes
    ----------
    system : LogitSystem
    lam : ndarray, shape (m,)
        Lambda at each point, in the game's payoff units.
    x : ndarray, shape (m, n)
        Log-probabilities at each point.
    scale : float
        The payoff range the system was normalised by (``lambda`` inside the
        system is ``lam * scale``).
    labels : tuple of (str, str)
        ``(block name, component name)`` of each component, for tables.
    turning_points : int
        Number of sign changes of the tangent's lambda component.
    """

    system: LogitSystem
    lam: np.ndarray
    x: np.ndarray
    scale: float
    labels: tuple[tuple[str, str], ...]
    turning_points: int

    def profile_at(self, lam: float) -> list[np.ndarray]:
        """Every point of the branch at ``lam`` (interpolated, then corrected): probability vectors.

        Raises
        ------
        SolverError
            If ``lam`` is negative or beyond the traced branch.
        """
        return [np.exp(x) for x in self.log_profiles_at(lam)]

    def log_profiles_at(self, lam: float) -> list[np.ndarray]:
        """As :meth:`profile_at`, in log-probabilities."""
        lam = float(lam)
        if not np.isfinite(lam) or lam < 0:
            raise SolverError(f"lambda must be a finite number >= 0, got {lam}")
        inner = lam * self.scale
        lams = self.lam * self.scale
        if inner > lams.max() * (1 + 1e-12):
            raise SolverError(f"lambda {lam} is beyond the traced branch (up to {float(self.lam.max()):.6g})")
        if inner == 0.0:
            return [self.system.start()]
        found: list[np.ndarray] = []
        for k in range(len(lams) - 1):
            a, b = lams[k] - inner, lams[k + 1] - inner
            if a * b > 0 or (b == 0 and k + 1 < len(lams) - 1):
                continue
            w = 0.0 if a == b else a / (a - b)
            guess = (1 - w) * self.x[k] + w * self.x[k + 1]
            x = self.system.correct(guess, inner)
            if x is None:
                raise SolverError(f"could not correct the branch at lambda {lam}")
            if not any(np.max(np.abs(np.exp(x) - np.exp(y))) < 1e-7 for y in found):
                found.append(x)
        return found

    def to_frame(self) -> Any:
        """The branch as a DataFrame: ``lambda``, one column ``player:strategy`` per component.

        Examples
        --------
        >>> from deterrence.forms.normal_form import NormalFormGame
        >>> g = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
        >>> frame = logit_branch(g, lam_max=5).to_frame()
        >>> list(frame.columns)[:3], float(frame["lambda"].iloc[0])
        (['lambda', 'Row:r1', 'Row:r2'], 0.0)
        """
        import pandas as pd

        data: dict[str, Any] = {"lambda": self.lam}
        for j, (block, name) in enumerate(self.labels):
            data[f"{block}:{name}"] = np.exp(self.x[:, j])
        return pd.DataFrame(data)


def trace_branch(
    system: LogitSystem,
    lam_end: float,
    *,
    max_steps: int = 20000,
    first_step: float = 0.05,
    max_step: float | None = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Trace ``H = 0`` from ``(uniform, 0)`` until ``lambda >= lam_end`` (in the system's units).

    Returns ``(lam, x, turning_points)``.  Predictor: Euler step along the
    unit tangent; corrector: Newton on ``[H; t . (y - y_pred)] = 0``; a step
    whose corrector does not contract is halved, a quick one grows by 1.5,
    up to ``max_step`` (default ``1 + lambda / 2``: long steps where the
    branch straightens out).  A fold narrower than a step is detected (the
    tangent's lambda component changes sign twice) but its points are not
    all sampled; a smaller ``max_step`` samples it.

    Raises
    ------
    SolverError
        If the step length falls below 1e-12 or ``max_steps`` is exceeded.
    """
    n = system.n
    y = np.r_[system.start(), 0.0]
    lams, xs = [0.0], [y[:n].copy()]
    _, jac = system.jacobian(y)
    t = _tangent(jac, None)
    h, turns, steps = first_step if max_step is None else min(first_step, max_step), 0, 0
    while y[n] < lam_end:
        steps += 1
        if steps > max_steps:
            raise SolverError(f"QRE path following took more than {max_steps} steps (lambda {y[n]:.6g})")
        accepted = None
        while accepted is None:
            if h < 1e-12:
                raise SolverError(f"QRE path following stalled at lambda {y[n]:.6g} (step below 1e-12)")
            accepted = _corrector(system, y + h * t, t)
            if accepted is None or np.linalg.norm(accepted[0] - y) > 2.5 * h:
                accepted = None
                h *= 0.5
        y, used = accepted
        _, jac = system.jacobian(y)
        new = _tangent(jac, t)
        if np.sign(new[n]) != np.sign(t[n]) and new[n] != 0 and t[n] != 0:
            turns += 1
        t = new
        lams.append(float(y[n]))
        xs.append(y[:n].copy())
        cap = 1.0 + 0.5 * max(y[n], 0.0) if max_step is None else max_step
        h = min(h * (1.5 if used <= 3 else 1.0), cap)
    return np.array(lams), np.array(xs), turns


def _tangent(jac: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """Unit null vector of the ``n x (n+1)`` Jacobian, oriented along ``previous`` (or lambda up)."""
    q, _ = np.linalg.qr(jac.T, mode="complete")
    t = q[:, -1]
    reference = t[-1] if previous is None else float(t @ previous)
    return -t if reference < 0 else t


def _corrector(system: LogitSystem, y: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, int] | None:
    """Newton on ``[H(y); t . (y - y0)] = 0`` from the predicted ``y0``; None if it fails."""
    y = y.copy()
    previous = np.inf
    for used in range(1, 11):
        h, jac = system.jacobian(y)
        matrix = np.vstack([jac, t])
        try:
            step = np.linalg.solve(matrix, np.r_[-h, 0.0])
        except np.linalg.LinAlgError:
            return None
        size = float(np.max(np.abs(step)))
        if not np.isfinite(size) or (size > 0.9 * previous and size > 1e-9):
            return None
        y = y + step
        previous = size
        if size < 1e-11 * max(1.0, float(np.max(np.abs(y)))):
            return y, used
    return None


def normal_form_utilities(payoffs: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """``utilities(sigma)`` for a float payoff array of shape ``(*shape, N)``; sigma is ``(k, n)``.

    Examples
    --------
    >>> u = normal_form_utilities(np.array([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]]))
    >>> u(np.array([[1.0, 0.0, 0.25, 0.75]])).tolist()
    [[0.25, 0.75, 0.0, 1.0]]
    """
    shape = payoffs.shape[:-1]
    players = len(shape)
    offsets = np.r_[0, np.cumsum(shape)].astype(int)
    batch = players  # einsum label of the batch axis

    def utilities(sigma: np.ndarray) -> np.ndarray:
        parts = [sigma[:, offsets[j] : offsets[j + 1]] for j in range(players)]
        out = []
        for i in range(players):
            operands: list[Any] = [payoffs[..., i], list(range(players))]
            for j in range(players):
                if j != i:
                    operands += [parts[j], [batch, j]]
            if players == 1:  # no one else to average over
                out.append(np.broadcast_to(payoffs[..., 0], (sigma.shape[0], shape[0])).astype(sigma.dtype))
                continue
            out.append(np.einsum(*operands, [batch, i]))
        return np.concatenate(out, axis=1)

    return utilities


def qre_work(game: Any) -> Any:
    """Work estimate for :func:`deterrence.solvers.work.check`: a few hundred Jacobians of the game's size.

    Each Jacobian evaluates the utilities at ``n + 2`` profiles (``n``
    strategies in all), touching every payoff entry; the trace takes some
    hundreds of corrector iterations (measured: 300-1200).
    """
    from deterrence.solvers.work import Estimate

    n = int(sum(game.shape))
    entries = int(np.prod(game.shape)) * game.n_players
    work = 2000 * (30 + entries * (n + 2) // 100)
    return Estimate(work, f"a game of {entries:,} payoff entries and {n} strategies traced by path following")


def _scale(values: np.ndarray) -> float:
    spread = float(values.max() - values.min()) if values.size else 0.0
    return spread if spread > 0 else 1.0


def logit_branch(game: Any, lam_max: float | None = None, max_step: float | None = None) -> LogitBranch:
    """The principal branch of a normal-form game's logit correspondence, from 0 to ``lam_max``.

    Parameters
    ----------
    game : NormalFormGame
        Numeric payoffs (exact ones are converted to floats).
    lam_max : float, optional
        Where to stop, in payoff units; default ``1000 / (payoff range)``.
    max_step : float, optional
        Longest arc-length step (payoffs scaled to range 1), see :func:`trace_branch`.

    Raises
    ------
    SolverError
        For a game too large to trace (:data:`MAX_WORK`) or a failed trace.
    """
    payoffs = np.asarray(game.as_float(), dtype=np.float64)
    n = int(sum(game.shape))
    work = payoffs.size * (n + 1)
    if work > MAX_WORK:
        raise SolverError(
            f"the game is too large for QRE path following ({payoffs.size} payoff entries x {n + 1}; "
            f"at most {MAX_WORK:.0e})"
        )
    scale = _scale(payoffs)
    system = LogitSystem(normal_form_utilities(payoffs / scale), game.shape)
    end = LAM_MAX if lam_max is None else float(lam_max) * scale
    if not np.isfinite(end) or end < 0:
        raise SolverError(f"lambda must be a finite number >= 0, got {lam_max}")
    lam, x, turns = trace_branch(system, end, max_step=max_step)
    labels = tuple((p, s) for p, strategies in zip(game.players, game.strategies) for s in strategies)
    return LogitBranch(system, lam / scale, x, scale, labels, turns)


def _nash_regret(utilities: np.ndarray, sigma: np.ndarray, system: LogitSystem) -> float:
    values = np.add.reduceat(utilities * sigma, system.starts)
    best = np.maximum.reduceat(utilities, system.starts)
    return max(0.0, float(np.max(best - values)))  # rounding may make it a hair negative


def qre_normal(game: Any, lam: float | None = None) -> Solution:
    """Logit QRE of a normal-form game: landmarks of the principal branch, or every branch point at ``lam``.

    Parameters
    ----------
    game : NormalFormGame
    lam : float, optional
        Without it, the branch is traced to ``1000 / (payoff range)`` and the
        profiles at the landmark values ``lambda * range`` in
        :data:`LANDMARKS` are listed; ``result.to_frame()`` gives the whole
        branch.  With it, the branch is traced until it first reaches ``lam``
        and the profile there is returned (interpolated, then corrected).

    Returns
    -------
    Solution
        Each profile's ``extra`` holds ``lambda``, ``residual`` and
        ``nash_regret``; ``regret`` holds the logit residual.  ``complete``
        is False: only the principal branch is followed.

    Examples
    --------
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> pd_game = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> found = qre_normal(pd_game, lam=1.0)
    >>> round(found[0].strategies["Row"]["r2"], 4), found[0].extra["lambda"]
    (0.7732, 1.0)
    """
    end = None if lam is None else float(lam)
    branch = logit_branch(game, end)
    wanted = [v / branch.scale for v in LANDMARKS] if lam is None else [float(lam)]
    return _solution(game, branch, wanted, _normal_profile)


def _normal_profile(game: Any, branch: LogitBranch, x: np.ndarray, lam: float) -> Equilibrium:
    system = branch.system
    sigma = system.probabilities(x)
    utilities = system.log_utilities(x[None, :])[0] * branch.scale
    values = np.add.reduceat(utilities * sigma, system.starts)
    strategies, k = {}, 0
    for player, labels in zip(game.players, game.strategies):
        strategies[player] = {s: float(sigma[k + j]) for j, s in enumerate(labels)}
        k += len(labels)
    residual = system.probability_residual(x, lam * branch.scale)
    extra = {"lambda": lam, "residual": residual, "nash_regret": _nash_regret(utilities, sigma, system)}
    paid = {p: float(v) for p, v in zip(game.players, values)}
    return Equilibrium(strategies, paid, False, residual, None, (f"lambda = {lam:.6g}",), extra)


def _solution(game: Any, branch: LogitBranch, wanted: list[float], build: Callable[..., Equilibrium]) -> Solution:
    """Profiles at each wanted lambda, verified by their logit residual."""
    found = []
    for lam in wanted:
        for x in branch.log_profiles_at(lam):
            eq = build(game, branch, x, lam)
            if not eq.regret <= QRE_TOLERANCE:
                raise SolverError(f"QRE at lambda {lam:.6g} failed verification (logit residual {eq.regret:.2e})")
            found.append(eq)
    notes = [
        "logit quantal response equilibria on the principal branch from lambda = 0 (McKelvey & Palfrey); "
        "they are not Nash equilibria: 'regret' is the logit fixed-point residual, 'nash_regret' the gain "
        "from deviating",
        f"branch traced to lambda = {float(branch.lam.max()):.6g} in {len(branch.lam)} points; "
        f"{branch.turning_points} turning point(s); other branches are not followed",
    ]
    return Solution(tuple(found), complete=False, degenerate=None, tolerance=QRE_TOLERANCE, notes=tuple(notes),
                    table=branch)  # fmt: skip
