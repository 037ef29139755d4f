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

Output is a tidy table, one row per point: a column per varied parameter (named exactly like
the parameter, in the model's parameter order), ``outcome`` (the regime label) and the model's
measures.  The columns that never change are not repeated on every row: the sidecar records them
under ``"constants"`` (the other parameters at the baseline, and ``concept``, ``method`` (the
design kind), ``seed`` and ``version``).  ``all_columns=True`` writes them as columns too (every
parameter, then outcome and measures, then ``concept``, ``method``, ``seed`` -- empty for a
deterministic design run without one -- and ``version``).  Files are CSV (written by pyarrow when
it is installed, see :mod:`deterrence.sweeps.tables`), or Parquet when the name ends in
``.parquet`` (needs pyarrow; smaller and faster for large runs).

Streaming and resuming.  Finished chunks are written, as they complete, to
``FILE.chunks/`` (:mod:`deterrence.sweeps.store`: atomic state files next to a ``manifest.json``
describing the run); a CSV chunk that is next in order goes straight into the growing table, so
a serial run writes its rows once and never merges.  While a chunk is evaluated, the one before
is formatted and the one before that written, in two threads.  At most a few chunks are in
flight, so memory does not grow with the number of points.  At the end the table is renamed to
``FILE``, a provenance sidecar ``FILE.provenance.json`` is written (with the SHA-256 computed as
the table was written) and the chunk directory removed.  ``resume=True`` reuses the chunks of an
interrupted run with the same manifest; the file is the same as an uninterrupted run's.  A run
that stops before finishing its first chunk leaves nothing behind.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError, ParameterError
from deterrence.sweeps.designs import Design
from deterrence.sweeps.executors import MissingExtraError, SerialExecutor, drain, executor, load, ship, window
from deterrence.sweeps.store import ChunkStore, chunk_directory, factorize, output_format, read_manifest
from deterrence.sweeps.store import write_behind as _write_behind
from deterrence.sweeps.tables import csv_writer, frame

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
#: A sweep of more than this many points says, before it starts, how big its table will be.
NOTICE_POINTS = 10**8
#: Sweeps of at least this many points estimate their table's size (and check the free space).
ESTIMATE_POINTS = 10**6
# Older names, kept importable (tests and benchmarks use them).
_drain, _factorize = drain, factorize


# -- evaluating one chunk ------------------------------------------------------------------
class Chunk(dict):
    """The columns of one evaluated chunk, and how many points the exact solver redid.

    ``exact_fallbacks`` is the model's count of points where its batched solver handed over to
    the exact one (``None`` when the model reports none); it travels with the columns, also
    through process pools.
    """

    exact_fallbacks: int | None = None


def _full_points(
    model: Any, varied: Mapping[str, np.ndarray], baseline: Mapping[str, Any], size: int
) -> dict[str, np.ndarray]:
    # A fixed parameter is one number seen as ``size`` of them (a read-only view, no memory).
    return {
        p.name: np.asarray(varied[p.name], dtype=np.float64)
        if p.name in varied
        else np.broadcast_to(np.float64(float(baseline.get(p.name, p.default))), (size,))
        for p in model.parameters
    }


def _evaluate(
    model: Any, points: dict[str, np.ndarray], concept: str | None, size: int, keep: Any = None
) -> dict[str, np.ndarray]:
    values = model.evaluate(points, concept)
    if "outcome" not in values:
        raise DeterrenceError(f"model {model.slug!r}: outcomes() returned no 'outcome' column")
    columns = Chunk((k, v) for k, v in points.items() if keep is None or k in keep)
    for name, array in values.items():
        if name in points:
            raise DeterrenceError(f"model {model.slug!r}: outcome column {name!r} clashes with a parameter")
        array = np.asanyarray(array)  # keeps a LabelArray's codes
        if array.shape != (size,):
            raise DeterrenceError(
                f"model {model.slug!r}: outcome column {name!r} has shape {array.shape}, expected ({size},)"
            )
        columns[name] = array.astype(str) if name == "outcome" and array.dtype.kind != "U" else array
    fallbacks = getattr(values, "exact_fallbacks", None)
    columns.exact_fallbacks = None if fallbacks is None else int(fallbacks)
    return columns


def evaluate_chunk(
    model: Any,
    design: Design,
    index: int,
    concept: str | None = None,
    baseline: Mapping[str, Any] | None = None,
    all_columns: bool = True,
) -> dict[str, np.ndarray]:
    """Evaluate chunk ``index`` of ``design``: parameter columns, ``outcome`` and measures.

    With ``all_columns=False`` only the varied parameters are returned (the others are the
    baseline at every point).  This is the task the executors run; it is a module-level function
    so that process pools can pickle it.
    """
    model = load(model)
    varied = design.chunk(index)
    start, stop = design.chunk_range(index)
    keep = None if all_columns else set(design.names)
    return _evaluate(model, _full_points(model, varied, baseline or {}, stop - start), concept, stop - start, keep)


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
    all_columns: bool = True,
) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Yield ``(chunk index, columns)`` as chunks complete (in any order), few in flight at once."""
    executor_ = executor or SerialExecutor()
    todo = range(design.n_chunks) if indices is None else indices
    shipped = ship(model, executor_)
    tasks = ((i, (shipped, design, i, concept, dict(baseline or {}), all_columns)) for i in todo)
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
    constants: dict[str, Any] = field(default_factory=dict)
    exact_fallbacks: int | None = None

    def to_frame(self, all_columns: bool = False) -> Any:
        """Read the table back with pandas (only for tables that fit in memory).

        ``all_columns=True`` adds the constant columns the file leaves to its sidecar.
        """
        import pandas as pd

        table = pd.read_csv(self.path) if self.path.suffix.lower() == ".csv" else pd.read_parquet(self.path)
        if all_columns:
            for name, value in self.constants.items():  # as a reader of the wide table sees them
                table[name] = np.nan if value is None else value
        return table

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        out = {
            "path": str(self.path),
            "model": self.model,
            "concept": self.concept,
            "design": self.design.to_dict(),
            "points": self.n_points,
            "columns": list(self.columns),
            "constants": dict(self.constants),
            "chunks_run": self.chunks_run,
            "chunks_reused": self.chunks_reused,
            "seconds": round(self.seconds, 3),
            "sidecar": str(self.sidecar),
            "outcomes": self.outcomes,
        }
        if self.exact_fallbacks is not None:
            out["exact_fallbacks"] = self.exact_fallbacks
        return out

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
    all_columns: bool = False,
    notice: Callable[[str], None] | None = None,
) -> SweepResult:
    """Sweep ``model`` over ``design``, streaming chunks to disk, and merge them into ``output``.

    Parameters
    ----------
    model : Model
        A model with batched ``outcomes``.
    design : Design
        The points (varied parameters only).
    output : str or Path
        ``.csv`` or ``.parquet`` file to write; its sidecar is ``output + ".provenance.json"``.  Missing
        parent directories are created (and removed again if the run leaves nothing).
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
    all_columns : bool
        Also write the columns that never change (the other parameters, concept, method,
        seed, version); by default they are recorded in the sidecar's ``"constants"`` only.
    notice : callable, optional
        Called with one line before a sweep of more than :data:`NOTICE_POINTS` points starts,
        saying how many points it runs and how big the table will be.

    Returns
    -------
    SweepResult

    Raises
    ------
    DeterrenceError
        For a bad output name, an output that cannot be written, a design outside the parameter
        bounds, a table larger than the free disk space, a leftover chunk directory without
        ``resume``, or a manifest that does not match this run.
    """
    from deterrence import __version__
    from deterrence.progress import progress_bar
    from deterrence.sweeps.estimate import check_size

    started = time.perf_counter()
    output = Path(output)
    fmt = output_format(output)
    writer = csv_writer() if fmt == "csv" else "pyarrow"
    concept = model.resolve_concept(concept)
    _check_design(model, design)
    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    manifest = {
        "schema": 2,
        "model": model.slug,
        "concept": concept,
        "format": fmt,
        "writer": writer,
        "columns": "all" if all_columns else "varied",
        "design": design.to_dict(),
        "baseline": base,
        "version": __version__,
    }
    store = ChunkStore(output, fmt, design.n_chunks, writer)
    in_table, constants = _constants(model, concept, design, base, all_columns)
    done = store.open(manifest, resume)
    try:
        check_size(model, design, concept, base, store, all_columns, notice, check_space=not done)
        todo = [i for i in range(design.n_chunks) if i not in done]
        with progress_bar(design.n_chunks, f"sweep {model.slug}", quiet=quiet, initial=len(done)) as bar:
            chunks = iter_chunks(
                model, design, concept=concept, baseline=base, executor=executor, indices=todo, all_columns=all_columns
            )
            _write_behind(store, chunks, in_table, bar)
        store.merge()
    except BaseException:
        store.abandon()  # the finished parts stay, for --resume
        store.discard_if_empty()  # a run stopped before its first chunk leaves nothing behind
        raise
    outcomes = store.outcomes()
    header = list(store.header or ())
    seconds = time.perf_counter() - started
    sidecar = _sidecar(output, command, model, design, concept, base, header, fmt, outcomes, constants, store, seconds)
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
        constants,
        store.fallbacks,
    )


def _sidecar(
    output: Path,
    command: Any,
    model: Any,
    design: Design,
    concept: str,
    base: dict[str, float],
    header: list[str],
    fmt: str,
    outcomes: dict[str, int],
    constants: dict[str, Any],
    store: ChunkStore,
    seconds: float | None = None,
) -> Path:
    from deterrence.io.provenance import write_sidecar

    extra = {
        "model": model.slug,
        "concept": concept,
        "baseline": base,
        "columns": header,
        "constants": constants,
        "points": design.size,
        "format": fmt,
        "writer": store.writer,
        "outcomes": outcomes,
    }
    if store.fallbacks is not None:
        extra["exact_fallbacks"] = store.fallbacks
    return write_sidecar(
        output,
        command=command,
        parameters=model.parameters,
        seed=design.seed,
        design=design,
        timings=None if seconds is None else {"run": seconds},
        extra=extra,
        sha256=store.digest,
    )


def _constants(
    model: Any, concept: str, design: Design, base: Mapping[str, float], all_columns: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(constant columns written in the table, constants left to the sidecar)``."""
    from deterrence import __version__

    run = {"concept": concept, "method": design.kind, "seed": design.seed, "version": __version__}
    if all_columns:
        return run, {}
    fixed = {p.name: base[p.name] for p in model.parameters if p.name not in design.names}
    return {}, {**fixed, **run}


def sweep_frame(
    model: Any,
    design: Design,
    *,
    concept: str | None = None,
    baseline: Mapping[str, Any] | None = None,
    executor: cf.Executor | None = None,
    all_columns: bool = False,
) -> Any:
    """The sweep table in memory as a pandas DataFrame, rows in design order (small designs).

    Its columns are those :func:`run_sweep` writes (``all_columns`` as there): the varied
    parameters, ``outcome`` and the model's measures.  A full grid over two parameters reads
    back as a regime map with :func:`deterrence.regime_map_from_frame`.

    Examples
    --------
    >>> from deterrence import get_model, grid
    >>> table = sweep_frame(get_model("chicken"), grid({"crash_cost": (0, 4, 5)}))
    >>> print(list(table.columns)[:2], len(table))
    ['crash_cost', 'outcome'] 5
    """
    import pandas as pd

    concept = model.resolve_concept(concept)
    _check_design(model, design)
    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    chunks = iter_chunks(model, design, concept=concept, baseline=base, executor=executor, all_columns=all_columns)
    parts = dict(chunks)
    in_table, _ = _constants(model, concept, design, base, all_columns)
    return pd.concat([frame(parts[i], in_table) for i in range(design.n_chunks)], ignore_index=True)
