"""Chunked, resumable, executor-agnostic sweeps of a model over a design.

A sweep evaluates a :class:`~deterrence.model.Model`'s batched ``outcomes``
at every point of a :class:`~deterrence.sweeps.designs.Design`.  The design is cut
into chunks of ``design.chunk_size`` points; each chunk is one task

.. math:: \\text{chunk } i \\;\\mapsto\\; \\{\\text{column}: \\text{array}\\}

vectorised inside, run by any :class:`concurrent.futures.Executor`
(:mod:`deterrence.sweeps.executors`: in process, a process pool or Dask).  A chunk's content
depends only on the design, the chunk index (randomness comes from
``SeedSequence(seed, spawn_key=(i,))``, see :mod:`deterrence.sweeps.designs`) and
the baseline, never on which worker ran it, so every executor gives the same
table byte for byte.

Output is a tidy table, one row per point: a column per model parameter
(named exactly like the parameter; the varied ones from the design, the rest
at the baseline), ``outcome`` (the regime label), the model's measures, then
``concept``, ``method`` (the design kind), ``seed`` (empty for a deterministic design run
without one) and ``version``.  Files are CSV, or Parquet when the name ends in ``.parquet``
(needs pyarrow).

Streaming and resuming.  Finished chunks are written, as they complete, to
``FILE.chunks/`` (:mod:`deterrence.sweeps.store`: atomic files next to a ``manifest.json``
describing the run).  At most a few chunks are in flight, so memory does not grow with the
number of points.  At the end the parts are merged in chunk order into ``FILE``, a provenance
sidecar ``FILE.json`` is written and the chunk directory removed.  ``resume=True`` reuses the
parts of an interrupted run with the same manifest; the merged file is the same as an
uninterrupted run's.  A run that stops before finishing its first chunk leaves nothing behind.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError, ParameterError
from deterrence.sweeps.designs import Design
from deterrence.sweeps.executors import MissingExtraError, SerialExecutor, drain, executor, load, ship, window
from deterrence.sweeps.store import ChunkStore, _frame, chunk_directory, factorize, output_format, read_manifest

__all__ = [
    "SerialExecutor",
    "SweepResult",
    "evaluate_chunk",
    "evaluate_points",
    "executor",
    "iter_chunks",
    "run_sweep",
    "sweep_frame",
    "read_manifest",
    "chunk_directory",
    "MissingExtraError",
]

CONSTANT_COLUMNS = ("concept", "method", "seed", "version")
# Older names, kept importable (tests and benchmarks use them).
_drain, _factorize = drain, factorize


# -- evaluating one chunk ------------------------------------------------------------------
def _full_points(
    model: Any, varied: Mapping[str, np.ndarray], baseline: Mapping[str, Any], size: int
) -> dict[str, np.ndarray]:
    return {
        p.name: np.asarray(varied[p.name], dtype=np.float64)
        if p.name in varied
        else np.full(size, float(baseline.get(p.name, p.default)))
        for p in model.parameters
    }


def _evaluate(model: Any, points: dict[str, np.ndarray], concept: str | None, size: int) -> dict[str, np.ndarray]:
    values = model.evaluate(points, concept)
    if "outcome" not in values:
        raise DeterrenceError(f"model {model.slug!r}: outcomes() returned no 'outcome' column")
    columns = dict(points)
    for name, array in values.items():
        if name in columns:
            raise DeterrenceError(f"model {model.slug!r}: outcome column {name!r} clashes with a parameter")
        array = np.asanyarray(array)  # keeps a LabelArray's codes
        if array.shape != (size,):
            raise DeterrenceError(
                f"model {model.slug!r}: outcome column {name!r} has shape {array.shape}, expected ({size},)"
            )
        columns[name] = array.astype(str) if name == "outcome" and array.dtype.kind != "U" else array
    return columns


def evaluate_chunk(
    model: Any,
    design: Design,
    index: int,
    concept: str | None = None,
    baseline: Mapping[str, Any] | None = None,
) -> dict[str, np.ndarray]:
    """Evaluate chunk ``index`` of ``design``: parameter columns, ``outcome`` and measures.

    This is the task the executors run; it is a module-level function so
    that process pools can pickle it.
    """
    model = load(model)
    varied = design.chunk(index)
    start, stop = design.chunk_range(index)
    return _evaluate(model, _full_points(model, varied, baseline or {}, stop - start), concept, stop - start)


def _evaluate_slice(model: Any, points: dict[str, np.ndarray], concept: str | None) -> dict[str, np.ndarray]:
    model = load(model)
    size = len(next(iter(points.values())))
    return _evaluate(model, points, concept, size)


def iter_chunks(
    model: Any,
    design: Design,
    *,
    concept: str | None = None,
    baseline: Mapping[str, Any] | None = None,
    executor: cf.Executor | None = None,
    indices: Iterable[int] | None = None,
) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Yield ``(chunk index, columns)`` as chunks complete (in any order), few in flight at once."""
    executor_ = executor or SerialExecutor()
    todo = range(design.n_chunks) if indices is None else indices
    shipped = ship(model, executor_)
    tasks = ((i, (shipped, design, i, concept, dict(baseline or {}))) for i in todo)
    yield from drain(tasks, evaluate_chunk, executor_, window(executor_))


def evaluate_points(
    model: Any,
    points: Mapping[str, Any],
    *,
    concept: str | None = None,
    baseline: Mapping[str, Any] | None = None,
    executor: cf.Executor | None = None,
    chunk_size: int = 1 << 16,
) -> dict[str, np.ndarray]:
    """Evaluate a model at explicit points, chunked through ``executor``; all columns in memory.

    Examples
    --------
    >>> from deterrence.model import Model
    >>> from deterrence.parameters import Parameter, ParameterSet
    >>> m = Model("sq", "square", "", lambda **v: None, ParameterSet([Parameter("x", 0, -2, 2)]),
    ...           outcomes=lambda p, c: {"outcome": np.where(p["x"] > 0, "up", "down"),
    ...                                  "y": p["x"] ** 2})
    >>> out = evaluate_points(m, {"x": [-1.0, 2.0]})
    >>> print(out["outcome"].tolist(), out["y"].tolist())
    ['down', 'up'] [1.0, 4.0]
    """
    arrays = {k: np.atleast_1d(np.asarray(v, dtype=np.float64)) for k, v in points.items()}
    for name in arrays:
        model.parameters[name]  # unknown names raise ParameterError with a suggestion
    size = max((len(a) for a in arrays.values()), default=0)
    full = _full_points(model, {k: np.broadcast_to(a, (size,)) for k, a in arrays.items()}, baseline or {}, size)
    executor_ = executor or SerialExecutor()
    bounds = [(s, min(s + chunk_size, size)) for s in range(0, size, chunk_size)]
    shipped = ship(model, executor_)
    tasks = ((k, (shipped, {n: a[s:e] for n, a in full.items()}, concept)) for k, (s, e) in enumerate(bounds))
    parts = dict(drain(tasks, _evaluate_slice, executor_, window(executor_)))
    if not parts:
        return _evaluate_slice(model, {n: a[:0] for n, a in full.items()}, concept)
    return {name: np.concatenate([parts[k][name] for k in range(len(bounds))]) for name in parts[0]}


@dataclass(frozen=True, eq=False)
class SweepResult:
    """What :func:`run_sweep` wrote: the file, its size and how it was made (not the table)."""

    path: Path
    model: str
    concept: str
    design: Design
    n_points: int
    columns: tuple[str, ...]
    chunks_run: int
    chunks_reused: int
    seconds: float
    sidecar: Path
    outcomes: dict[str, int]

    def to_frame(self) -> Any:
        """Read the table back with pandas (only for tables that fit in memory)."""
        import pandas as pd

        return pd.read_csv(self.path) if self.path.suffix.lower() == ".csv" else pd.read_parquet(self.path)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "path": str(self.path),
            "model": self.model,
            "concept": self.concept,
            "design": self.design.to_dict(),
            "points": self.n_points,
            "columns": list(self.columns),
            "chunks_run": self.chunks_run,
            "chunks_reused": self.chunks_reused,
            "seconds": round(self.seconds, 3),
            "sidecar": str(self.sidecar),
            "outcomes": self.outcomes,
        }

    def __repr__(self) -> str:
        return f"<SweepResult {self.n_points} points of {self.model!r} -> {self.path}>"


def _check_design(model: Any, design: Design) -> None:
    for name, (low, high) in zip(design.names, design.bounds, strict=True):
        parameter = model.parameters[name]
        if low < float(parameter.low) or high > float(parameter.high):
            raise ParameterError(
                f"sweep range {low:g}:{high:g} of {name!r} leaves its bounds "
                f"[{float(parameter.low):g}, {float(parameter.high):g}]"
            )


def run_sweep(
    model: Any,
    design: Design,
    output: str | Path,
    *,
    concept: str | None = None,
    baseline: Mapping[str, Any] | None = None,
    executor: cf.Executor | None = None,
    resume: bool = False,
    quiet: bool = True,
    command: Any = None,
    keep_chunks: bool = False,
) -> SweepResult:
    """Sweep ``model`` over ``design``, streaming chunks to disk, and merge them into ``output``.

    Parameters
    ----------
    model : Model
        A model with batched ``outcomes``.
    design : Design
        The points (varied parameters only).
    output : str or Path
        ``.csv`` or ``.parquet`` file to write; its sidecar is ``output + ".json"``.
    concept : str, optional
        Solution concept (the model's first by default).
    baseline : mapping, optional
        Values of the parameters the design does not vary (defaults otherwise).
    executor : concurrent.futures.Executor, optional
        Runs the chunks (serial by default).
    resume : bool
        Continue an interrupted run from its finished chunks.
    quiet : bool
        No progress bar (the bar only shows on a terminal anyway).
    command : str or list, optional
        Recorded in the sidecar.
    keep_chunks : bool
        Keep the chunk directory after merging.

    Returns
    -------
    SweepResult

    Raises
    ------
    DeterrenceError
        For a bad output name, a design outside the parameter bounds, a
        leftover chunk directory without ``resume``, or a manifest that does
        not match this run.
    """
    from deterrence import __version__
    from deterrence.io.provenance import write_sidecar
    from deterrence.progress import progress_bar

    started = time.perf_counter()
    output = Path(output)
    fmt = output_format(output)
    concept = model.resolve_concept(concept)
    _check_design(model, design)
    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    manifest = {
        "schema": 1,
        "model": model.slug,
        "concept": concept,
        "format": fmt,
        "design": design.to_dict(),
        "baseline": base,
        "version": __version__,
    }
    store = ChunkStore(output, fmt, design.n_chunks)
    constants = _constants(concept, design)
    done = store.open(manifest, resume)
    try:
        todo = [i for i in range(design.n_chunks) if i not in done]
        with progress_bar(design.n_chunks, f"sweep {model.slug}", quiet=quiet, initial=len(done)) as bar:
            chunks = iter_chunks(model, design, concept=concept, baseline=base, executor=executor, indices=todo)
            for index, columns in chunks:
                store.add(index, columns, constants)
                bar.update(1)
        store.merge()
    except BaseException:
        store.discard_if_empty()  # a run stopped before its first chunk leaves nothing behind
        raise
    outcomes = store.outcomes()
    header = list(store.header or ())
    sidecar = _sidecar(write_sidecar, output, command, model, design, concept, base, header, fmt, outcomes)
    if not keep_chunks:
        store.remove()
    return SweepResult(
        output,
        model.slug,
        concept,
        design,
        design.size,
        tuple(header),
        len(todo),
        len(done),
        time.perf_counter() - started,
        sidecar,
        outcomes,
    )


def _sidecar(
    write: Any,
    output: Path,
    command: Any,
    model: Any,
    design: Design,
    concept: str,
    base: dict[str, float],
    header: list[str],
    fmt: str,
    outcomes: dict[str, int],
) -> Path:
    extra = {
        "model": model.slug,
        "concept": concept,
        "baseline": base,
        "columns": header,
        "points": design.size,
        "format": fmt,
        "outcomes": outcomes,
    }
    return write(output, command=command, parameters=model.parameters, seed=design.seed, design=design, extra=extra)


def _constants(concept: str, design: Design) -> dict[str, Any]:
    from deterrence import __version__

    return {"concept": concept, "method": design.kind, "seed": design.seed, "version": __version__}


def sweep_frame(
    model: Any,
    design: Design,
    *,
    concept: str | None = None,
    baseline: Mapping[str, Any] | None = None,
    executor: cf.Executor | None = None,
) -> Any:
    """The sweep table in memory as a pandas DataFrame, rows in design order (small designs)."""
    import pandas as pd

    concept = model.resolve_concept(concept)
    _check_design(model, design)
    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    parts = dict(iter_chunks(model, design, concept=concept, baseline=base, executor=executor))
    constants = _constants(concept, design)
    return pd.concat([_frame(parts[i], constants) for i in range(design.n_chunks)], ignore_index=True)
