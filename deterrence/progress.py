"""One progress-bar helper: tqdm on a terminal, silent otherwise.

Long computations (sweeps, sensitivity runs) report progress through
:func:`progress_bar`.  A bar is drawn only when standard error is a terminal
and the caller is not in quiet mode; in pipes, logs, tests and notebooks'
captured output nothing is printed.  tqdm is imported lazily, and when it is
missing the helper silently does nothing.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["progress_bar"]


class _Silent:
    """A do-nothing stand-in with tqdm's ``update``/``close`` and context-manager API."""

    def update(self, n: int = 1) -> None:  # noqa: D102
        pass

    def close(self) -> None:  # noqa: D102
        pass

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


def progress_bar(
    total: int | None = None,
    desc: str = "",
    *,
    quiet: bool = False,
    unit: str = "chunk",
    initial: int = 0,
) -> Any:
    """Return a progress bar with ``update(n)`` and ``close()`` (also a context manager).

    Parameters
    ----------
    total : int, optional
        Expected number of steps.
    desc : str
        Label shown before the bar.
    quiet : bool
        Force the bar off (the CLI's ``-q/--quiet``).
    unit : str
        Unit shown in the rate.
    initial : int
        Steps already done (a resumed sweep starts part-way).

    Examples
    --------
    Under doctest standard error is not a terminal, so the bar is silent:

    >>> with progress_bar(3, "demo") as bar:
    ...     bar.update(3)
    """
    if quiet or not getattr(sys.stderr, "isatty", lambda: False)():
        return _Silent()
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a required dependency
        return _Silent()
    return tqdm(
        total=total,
        desc=desc or None,
        unit=unit,
        initial=initial,
        leave=False,
        dynamic_ncols=True,
        file=sys.stderr,
    )
