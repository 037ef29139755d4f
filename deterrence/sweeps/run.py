"""Chunked, resumable, executor-agnostic sweeps of a model over a design.

A sweep evaluates a :class:`~deterrence.model.Model`'s batched ``outcomes``
at every point of a :class:`~deterrence.designs.Design`.  The design is cut
into chunks of ``design.chunk_size`` points; each chunk is one task

.. math:: \\text{chunk } i \\;\\mapsto\\; \\{\\text{column}: \\text{array}\\}

vectorised inside, run by any :class:`concurrent.futures.Executor`: the
in-process :class:`SerialExecutor` (default), a
:class:`~concurrent.futures.ProcessPoolExecutor` (``-j N``) or a Dask
``Client`` (its ``get_executor()``).  A chunk's content depends only on the
design, the chunk index (randomness comes from
``SeedSequence(seed, spawn_key=(i,))``, see :mod:`deterrence.designs`) and
the baseline, never on which worker ran it, so every executor gives the same
table byte for byte.

Output is a tidy table, one row per point: a column per model parameter
(named exactly like the parameter; the varied ones from the design, the rest
at the baseline), ``outcome`` (the regime label), the model's measures, then
``concept``, ``method`` (the design kind), ``seed`` and ``version``.  Files
are CSV, or Parquet when the name ends in ``.parquet`` (needs pyarrow).

Streaming and resuming.  Finished chunks are written, as they complete, to
``FILE.chunks/part-NNNNNN.EXT`` (atomically: a temporary file renamed into
place), next to a ``manifest.json`` describing the run.  At most a few chunks
are in flight, so memory does not grow with the number of points.  At the end
the parts are merged in chunk order (CSV by concatenation, Parquet one row
group per chunk) into ``FILE``, a provenance sidecar ``FILE.json`` is
written and the chunk directory removed.  ``resume=True`` reuses the parts of
an interrupted run with the same manifest; the merged file is the same as an
uninterrupted run's.  Writing files is this module's purpose, which is why
it, unlike the analysis modules, does I/O.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError, ParameterError
from deterrence.sweeps.designs import Design

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

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
CONSTANT_COLUMNS = ("concept", "method", "seed", "version")


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
        with cf.ProcessPoolExecutor(max_workers=int(jobs)) as pool:
            yield pool
    else:
        yield SerialExecutor()


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
                    f"model {model.slug!r} cannot be sent to worker processes (it holds a "
                    "closure or "
                    "lambda); define its functions at module level or install cloudpickle"
                ) from None
            self.blob, self.loader = cloudpickle.dumps(model), "cloudpickle"
        self.key = hashlib.sha256(self.blob).hexdigest()


_LOADED: dict[str, Any] = {}


def _load(model: Any) -> Any:
    if not isinstance(model, _Shipped):
        return model
    if model.key not in _LOADED:
        import importlib

        if len(_LOADED) >= 4:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[model.key] = importlib.import_module(model.loader).loads(model.blob)
    return _LOADED[model.key]


def _ship(model: Any, executor_: cf.Executor) -> Any:
    return model if isinstance(executor_, SerialExecutor) else _Shipped(model)


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
    model = _load(model)
    varied = design.chunk(index)
    start, stop = design.chunk_range(index)
    return _evaluate(model, _full_points(model, varied, baseline or {}, stop - start), concept, stop - start)


def _evaluate_slice(model: Any, points: dict[str, np.ndarray], concept: str | None) -> dict[str, np.ndarray]:
    model = _load(model)
    size = len(next(iter(points.values())))
    return _evaluate(model, points, concept, size)


def _drain(
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


def _window(executor_: cf.Executor) -> int:
    workers = getattr(executor_, "_max_workers", None)
    if workers is None and hasattr(executor_, "_client"):
        workers = sum(executor_._client.nthreads().values())
    return 1 if isinstance(executor_, SerialExecutor) else 2 * int(workers or 2)


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
    shipped = _ship(model, executor_)
    tasks = ((i, (shipped, design, i, concept, dict(baseline or {}))) for i in todo)
    yield from _drain(tasks, evaluate_chunk, executor_, _window(executor_))


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
    shipped = _ship(model, executor_)
    tasks = ((k, (shipped, {n: a[s:e] for n, a in full.items()}, concept)) for k, (s, e) in enumerate(bounds))
    parts = dict(_drain(tasks, _evaluate_slice, executor_, _window(executor_)))
    if not parts:
        return _evaluate_slice(model, {n: a[:0] for n, a in full.items()}, concept)
    return {name: np.concatenate([parts[k][name] for k in range(len(bounds))]) for name in parts[0]}


# -- files ------------------------------------------------------------------------------------
def _format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DeterrenceError(f"cannot tell the format of {path.name!r}: use .csv or .parquet")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise MissingExtraError("Parquet output needs pyarrow: pip install 'deterrence[parquet]'") from None
    return fmt


def chunk_directory(output: str | Path) -> Path:
    """Where a sweep writing ``output`` keeps its finished chunks."""
    output = Path(output)
    return output.with_name(output.name + ".chunks")


def read_manifest(output: str | Path) -> dict[str, Any] | None:
    """The manifest of an unfinished sweep writing ``output``, or None if there is none."""
    path = chunk_directory(output) / "manifest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _frame(columns: Mapping[str, np.ndarray], constants: Mapping[str, Any]) -> Any:
    import pandas as pd

    size = len(columns["outcome"])
    data = dict(columns)
    for name, value in constants.items():
        if name == "seed":  # nullable integer: a grid without a seed writes an empty cell
            data[name] = pd.array(np.full(size, value if value is not None else 0, dtype=np.int64), dtype="Int64")
            if value is None:
                data[name][:] = pd.NA
        else:
            data[name] = np.full(size, value)
    return pd.DataFrame(data)


def _factorize(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct labels, each row's index into them, and their counts.

    Labels that carry their codes (:class:`~deterrence.outcomes.LabelArray`)
    are used as they are; others are hashed (``pandas.factorize``, O(n)).
    """
    codes = getattr(labels, "codes", None)
    categories = getattr(labels, "categories", None)
    if codes is not None and categories is not None:
        counts = np.bincount(codes, minlength=len(categories))
        used = np.flatnonzero(counts)
        remap = np.zeros(len(counts), dtype=np.intp)
        remap[used] = np.arange(len(used))
        return categories[used], remap[codes], counts[used]
    import pandas as pd

    inverse, distinct = pd.factorize(np.asarray(labels))
    return np.asarray(distinct), inverse, np.bincount(inverse, minlength=len(distinct))


def _arrow_table(
    columns: Mapping[str, np.ndarray],
    constants: Mapping[str, Any],
    codes: tuple[np.ndarray, np.ndarray],
) -> Any:
    """The chunk as a pyarrow Table (Parquet runs skip pandas: it costs more than the solve).

    Strings are built in C from a dictionary (``codes``: the distinct outcome
    labels and each row's index) or by repeating a constant, never element
    by element from numpy unicode arrays.
    """
    import pyarrow as pa

    size = len(columns["outcome"])
    data = {}
    for name, values in columns.items():
        if name == "outcome":
            labels, inverse = codes
            dictionary = pa.array([str(v) for v in labels], type=pa.string())
            indices = pa.array(inverse.astype(np.int32))
            data[name] = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())
        else:
            data[name] = pa.array(np.asarray(values))
    for name, value in constants.items():
        if name == "seed":
            data[name] = (
                pa.nulls(size, pa.int64()) if value is None else pa.repeat(pa.scalar(int(value), pa.int64()), size)
            )
        else:
            data[name] = pa.repeat(pa.scalar(str(value), pa.string()), size)
    return pa.table(data)


def _write_part(
    columns: Mapping[str, np.ndarray],
    constants: Mapping[str, Any],
    path: Path,
    fmt: str,
    codes: tuple[np.ndarray, np.ndarray],
) -> list[str]:
    """Write one finished chunk atomically; return its column names.

    CSV parts are CSV text without a header (the merge concatenates them);
    Parquet runs keep parts as LZ4-compressed Arrow IPC files, cheap to write
    and to read back, and write the Parquet file once, at the merge.
    """
    temporary = path.with_name(path.name + ".tmp")
    if fmt == "csv":
        frame = _frame(columns, constants)
        frame.to_csv(temporary, header=False, index=False, lineterminator="\n")
        names = list(frame.columns)
    else:
        import pyarrow.feather as feather

        table = _arrow_table(columns, constants, codes)
        feather.write_feather(table, temporary, compression="lz4")
        names = list(table.column_names)
    os.replace(temporary, path)  # atomic: a part file is either complete or absent
    return names


def _merge(parts: list[Path], output: Path, fmt: str, header: list[str]) -> None:
    temporary = output.with_name(output.name + ".tmp")
    if fmt == "csv":
        import pandas as pd

        with open(temporary, "w", encoding="utf-8", newline="") as out:
            pd.DataFrame(columns=header).to_csv(out, index=False, lineterminator="\n")
            for part in parts:
                with open(part, encoding="utf-8", newline="") as handle:
                    shutil.copyfileobj(handle, out)
    else:
        import pyarrow.feather as feather
        import pyarrow.parquet as pq

        writer = None
        try:
            for part in parts:  # one chunk in memory at a time, one row group per chunk
                table = feather.read_table(part, memory_map=True)
                if writer is None:
                    writer = pq.ParquetWriter(temporary, table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
    os.replace(temporary, output)


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
    fmt = _format(output)
    concept = concept or model.concepts[0]
    if concept not in model.concepts:
        raise DeterrenceError(f"model {model.slug!r} supports concepts {list(model.concepts)}, not {concept!r}")
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
    folder = chunk_directory(output)
    old = read_manifest(output)
    if old is not None and not resume:
        raise DeterrenceError(
            f"{folder} holds an unfinished sweep; add --resume to continue it, or delete that directory to start again"
        )
    if old is not None and old != manifest:
        differs = sorted(k for k in manifest if old.get(k) != manifest[k])
        raise DeterrenceError(f"cannot resume: {folder} was made by a different sweep ({', '.join(differs)} differ)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    ext = ".csv" if fmt == "csv" else ".arrow"
    part = [folder / f"part-{i:06d}{ext}" for i in range(design.n_chunks)]
    done = {i for i, p in enumerate(part) if p.exists()}
    constants = {
        "concept": concept,
        "method": design.kind,
        "seed": design.seed,
        "version": __version__,
    }
    header: list[str] | None = None
    header_file = folder / "columns.json"
    if header_file.exists():
        header = json.loads(header_file.read_text(encoding="utf-8"))
    todo = [i for i in range(design.n_chunks) if i not in done]
    with progress_bar(design.n_chunks, f"sweep {model.slug}", quiet=quiet, initial=len(done)) as bar:
        for index, columns in iter_chunks(
            model, design, concept=concept, baseline=base, executor=executor, indices=todo
        ):
            names = [*columns, *constants]
            if header is None:
                header = names
                header_file.write_text(json.dumps(header), encoding="utf-8")
            elif names != header:
                raise DeterrenceError(f"chunk {index} has columns {names}, earlier chunks {header}")
            labels, inverse, counts = _factorize(columns["outcome"])
            count_file = part[index].with_suffix(".counts.json")
            count_file.write_text(
                json.dumps(dict(zip(labels.tolist(), counts.tolist(), strict=True))),
                encoding="utf-8",
            )
            # The counts go first: a part file that exists is a complete chunk.
            _write_part(columns, constants, part[index], fmt, (labels, inverse))
            bar.update(1)
    if header is None:  # an empty design cannot happen (size >= 1); keep mypy and readers honest
        raise DeterrenceError("the sweep produced no chunks")
    _merge(part, output, fmt, header)
    outcomes: dict[str, int] = {}
    for p in part:
        for label, count in json.loads(p.with_suffix(".counts.json").read_text(encoding="utf-8")).items():
            outcomes[label] = outcomes.get(label, 0) + count
    outcomes = dict(sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0])))
    sidecar = write_sidecar(
        output,
        command=command,
        parameters=model.parameters,
        seed=design.seed,
        design=design,
        extra={
            "model": model.slug,
            "concept": concept,
            "baseline": base,
            "columns": header,
            "points": design.size,
            "format": fmt,
            "outcomes": outcomes,
        },
    )
    if not keep_chunks:
        shutil.rmtree(folder)
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

    from deterrence import __version__

    concept = concept or model.concepts[0]
    _check_design(model, design)
    base = {k: float(v) for k, v in model.parameters.point(baseline or {}).items()}
    parts = dict(iter_chunks(model, design, concept=concept, baseline=base, executor=executor))
    constants = {
        "concept": concept,
        "method": design.kind,
        "seed": design.seed,
        "version": __version__,
    }
    return pd.concat([_frame(parts[i], constants) for i in range(design.n_chunks)], ignore_index=True)
