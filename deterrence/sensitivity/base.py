"""What every sensitivity method shares: its registration record and the checks on inputs.

A method is one module that defines a :class:`Method` named ``METHOD``; the registry
(:mod:`deterrence.sensitivity.registry`) lists it, the :func:`~deterrence.sensitivity.analyse.sensitivity`
dispatcher runs it, ``result.plot()`` draws it and the command line offers it as ``--method``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError

__all__ = ["Function", "Method", "box", "frame_rows", "outputs", "runner"]

#: ``points -> values``: a measure vectorised over points given as ``{name: array}``.
Function = Callable[[Mapping[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True)
class Method:
    """A registered sensitivity method.

    Attributes
    ----------
    name : str
        The ``--method`` value.
    run : callable
        ``run(function, bounds, *, baseline, n, seed, measure) -> result``; ``bounds`` is
        ``{name: (low, high)}``, ``baseline`` the values of every parameter, ``n`` the method's
        size (never None: :attr:`default_n` fills it in).  For a model with simplex groups
        (:attr:`deterrence.model.Model.simplex`) the dispatcher also passes ``simplex=`` (the
        groups); a method whose ``run`` takes no such keyword cannot analyse that model.
    plot : callable
        ``plot(result, ax=None, **kwargs) -> Axes``.
    default_n : int
        The size when ``--n`` is not given.
    n_help : str
        What ``--n`` means for this method (for ``--help``).
    summary : str
        One line for the command's epilog.
    random : bool
        Whether the method draws points at random (then a seed is drawn and recorded when none
        is given; a deterministic method records none).
    """

    name: str
    run: Callable[..., Any]
    plot: Callable[..., Any]
    default_n: int
    n_help: str = ""
    summary: str = ""
    random: bool = True


def runner(analysis: Callable[..., Any], *, size: str = "n", seeded: bool = True) -> Callable[..., Any]:
    """The :attr:`Method.run` of an analysis function, passing ``n`` on as its keyword ``size``.

    ``analysis(function, bounds, *, <size>, seed, measure, simplex, baseline)`` is called with
    the dispatcher's arguments; ``seeded=False`` leaves out ``seed`` (a deterministic method).

    Examples
    --------
    >>> run = runner(lambda f, b, **kw: sorted(kw), size="trajectories", seeded=False)
    >>> run(None, {}, baseline={}, n=3, seed=1, measure="m")
    ['baseline', 'measure', 'simplex', 'trajectories']
    """

    def run(
        function: Function,
        bounds: Mapping[str, Sequence[float]],
        *,
        baseline: Any,
        n: int,
        seed: Any,
        measure: str,
        simplex: Sequence[Sequence[str]] = (),
    ) -> Any:
        extra = {"seed": seed} if seeded else {}
        return analysis(function, bounds, baseline=baseline, measure=measure, simplex=simplex, **{size: n}, **extra)

    return run


def frame_rows(rows: list[dict[str, Any]]) -> Any:
    """A pandas DataFrame of ``rows``."""
    import pandas as pd

    return pd.DataFrame(rows)


def box(bounds: Mapping[str, Sequence[float]]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Names, lows and highs of the varied inputs; each needs a finite range with low < high."""
    names = tuple(bounds)
    if not names:
        raise DeterrenceError("sensitivity analysis needs at least one parameter to vary")
    low = np.array([float(bounds[n][0]) for n in names])
    high = np.array([float(bounds[n][1]) for n in names])
    bad = [
        n for n, lo, hi in zip(names, low, high, strict=True) if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi)
    ]
    if bad:
        raise DeterrenceError(f"parameter {bad[0]!r} needs a range with low < high to be varied")
    return names, low, high


def outputs(function: Function, names: tuple[str, ...], x: np.ndarray, what: str, simplex: Any = ()) -> np.ndarray:
    """``function`` at the rows of ``x`` (mapped onto the ``simplex`` groups); a NaN output is a one-line error."""
    points = {n: x[:, j] for j, n in enumerate(names)}
    if simplex:
        from deterrence.sweeps.simplex import to_simplex

        points = to_simplex(points, simplex)
    y = np.asarray(function(points), dtype=np.float64).reshape(-1)
    if y.shape != (x.shape[0],):
        raise DeterrenceError(f"the function returned {y.shape[0]} values for {x.shape[0]} points")
    if not np.isfinite(y).all():
        raise DeterrenceError(
            f"{what} is undefined (NaN) at {int((~np.isfinite(y)).sum())} of {len(y)} "
            "points; choose a measure defined everywhere (e.g. another selection)"
        )
    return y
