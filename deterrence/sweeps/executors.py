"""Where the chunks of a sweep run: in process, in a process pool, or on Dask.

Any :class:`concurrent.futures.Executor` can run a sweep.  :func:`executor` picks one for the
command line's ``-j N`` / ``--dask [ADDRESS]``: the in-process :class:`SerialExecutor` (the
default), a :class:`~concurrent.futures.ProcessPoolExecutor`, or a Dask ``Client``'s executor.

Worker processes of the pool are started by :func:`_worker_init`, which makes them ignore
``SIGINT`` (Ctrl-C reaches the whole process group; the parent alone reports it, on one line) and
starts a watchdog thread that ends the worker when its parent dies, even by ``SIGKILL`` (else the
orphaned worker would wait for tasks forever, holding the parent's stdout open).  Leaving the
context early (an error or Ctrl-C) cancels the queued chunks and stops the workers at once;
finished chunks are already on disk, so nothing is lost.

The model reaches the workers pickled once (:class:`_Shipped`) and unpickled once per process;
:func:`_drain` keeps at most a few tasks in flight, so memory does not grow with the design.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from deterrence.errors import DeterrenceError

__all__ = ["MissingExtraError", "SerialExecutor", "executor"]

#: Seconds between two checks of a worker's watchdog.
WATCHDOG_INTERVAL = 0.25


class MissingExtraError(DeterrenceError, ImportError):
    """An optional dependency is missing: an ImportError naming the extra, printed on one line."""


class SerialExecutor(cf.Executor):
    """Run each task in the calling process when it is submitted (the default executor)."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> cf.Future:  # noqa: D102
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed to the caller through the future
            future.set_exception(error)
        return future


def _watch_parent(parent: int) -> None:
    """End this process when its parent is gone (the worker is re-parented)."""
    event = threading.Event()
    while not event.wait(WATCHDOG_INTERVAL):
        if os.getppid() != parent:
            os._exit(1)


def _worker_init() -> None:
    """Initialise a pool worker: ignore Ctrl-C, and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True, name="parent-watchdog").start()


def _stop(pool: cf.ProcessPoolExecutor) -> None:
    """Cancel queued tasks and end the workers now (used when the sweep stops early)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(5)


@contextlib.contextmanager
def executor(jobs: int | None = None, dask: str | bool | None = None) -> Iterator[cf.Executor]:
    """An executor for ``-j N`` / ``--dask [ADDRESS]``, shut down on exit.

    ``dask=True`` (or ``""``) starts a local Dask cluster with ``jobs`` worker
    processes (2 by default); a string is the address of a running scheduler.

    Examples
    --------
    >>> with executor() as ex:
    ...     print(ex.submit(pow, 2, 10).result())
    1024
    """
    if jobs is not None and (isinstance(jobs, bool) or int(jobs) < 1):
        raise DeterrenceError(f"-j/--jobs must be at least 1, got {jobs}")
    if dask is not None and dask is not False:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise MissingExtraError("--dask needs dask.distributed: pip install 'deterrence[dist]'") from None
        if isinstance(dask, str) and dask:
            client = Client(dask)
            cluster = None
        else:
            cluster = LocalCluster(n_workers=jobs or 2, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    elif jobs and jobs > 1:
        pool = cf.ProcessPoolExecutor(max_workers=int(jobs), initializer=_worker_init)
        try:
            yield pool
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)
    else:
        yield SerialExecutor()


class _Shipped:
    """A model pickled once (by cloudpickle when it holds closures), unpickled once per worker.

    Shipping bytes keeps each task small, and caching the unpickled model per
    process keeps its compiled payoff functions alive from one chunk to the next.
    """

    def __init__(self, model: Any) -> None:
        import hashlib
        import pickle

        try:
            self.blob, self.loader = pickle.dumps(model), "pickle"
        except (pickle.PicklingError, AttributeError, TypeError):
            try:
                import cloudpickle
            except ImportError:
                raise DeterrenceError(
                    f"model {model.slug!r} cannot be sent to worker processes (it holds a closure or "
                    "lambda); define its functions at module level or install cloudpickle"
                ) from None
            self.blob, self.loader = cloudpickle.dumps(model), "cloudpickle"
        self.key = hashlib.sha256(self.blob).hexdigest()


_LOADED: dict[str, Any] = {}


def load(model: Any) -> Any:
    """The model itself, from a shipped copy (cached per process) or as given."""
    if not isinstance(model, _Shipped):
        return model
    if model.key not in _LOADED:
        import importlib

        if len(_LOADED) >= 4:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[model.key] = importlib.import_module(model.loader).loads(model.blob)
    return _LOADED[model.key]


def ship(model: Any, executor_: cf.Executor) -> Any:
    """What to send to ``executor_`` for ``model``: the model itself when nothing is pickled."""
    return model if isinstance(executor_, SerialExecutor) else _Shipped(model)


def drain(
    futures: Iterable[tuple[Any, Any]], submit: Any, executor_: cf.Executor, window: int
) -> Iterator[tuple[Any, Any]]:
    """Submit tasks lazily, at most ``window`` in flight; yield ``(key, result)`` as they finish."""
    pending: dict[cf.Future, Any] = {}
    tasks = iter(futures)
    try:
        for key, args in tasks:
            pending[executor_.submit(submit, *args)] = key
            while len(pending) >= window:
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        while pending:
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()
    finally:
        for future in pending:
            future.cancel()


def window(executor_: cf.Executor) -> int:
    """How many tasks to keep in flight: one in process, two per worker elsewhere."""
    workers = getattr(executor_, "_max_workers", None)
    if workers is None and hasattr(executor_, "_client"):
        workers = sum(executor_._client.nthreads().values())
    return 1 if isinstance(executor_, SerialExecutor) else 2 * int(workers or 2)
