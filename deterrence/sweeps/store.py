"""The on-disk state of a sweep: chunk files, their manifest, and the merge into one table.

A sweep writing ``FILE`` keeps its finished chunks in ``FILE.chunks/``::

    manifest.json            what the run is (model, concept, design, baseline, version)
    columns.json             the table's column names, from the first finished chunk
    part-NNNNNN.counts.json  outcome counts of chunk NNNNNN (written before the part)
    part-NNNNNN.csv|.arrow   the rows of chunk NNNNNN

Every file is written through :func:`deterrence.io.atomic.atomic_write` (or, for the merged
table, which is streamed, the same temporary-file-and-rename protocol), so a file that exists is
complete; a full disk becomes a one-line :class:`~deterrence.errors.DeterrenceError` and leaves
no temporary file.  State files are checked when read: a damaged one is reported with the way
out (delete the directory) instead of a ``JSONDecodeError``.  A part file that exists is a
complete chunk, which is what resuming relies on.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.io.atomic import atomic_write
from deterrence.sweeps.executors import MissingExtraError

__all__ = ["FORMATS", "ChunkStore", "chunk_directory", "output_format", "read_manifest"]

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def output_format(path: Path) -> str:
    """``"csv"`` or ``"parquet"`` from the name of ``path`` (Parquet needs pyarrow)."""
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


def _read_json(path: Path, kind: type, folder: Path) -> Any:
    """A state file's content, or a one-line error saying how to recover."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "truncated or not JSON"
        raise DeterrenceError(f"cannot read {path} ({reason}): delete {folder} to start the sweep again") from None
    if not isinstance(value, kind):
        raise DeterrenceError(f"{path} does not hold a sweep's {kind.__name__}: delete {folder} to start again")
    return value


def read_manifest(output: str | Path) -> dict[str, Any] | None:
    """The manifest of an unfinished sweep writing ``output``, or None if there is none.

    Raises
    ------
    DeterrenceError
        If the manifest exists but is damaged (the message says to delete the directory).
    """
    folder = chunk_directory(output)
    path = folder / "manifest.json"
    if not path.exists():
        return None
    return _read_json(path, dict, folder)


@contextlib.contextmanager
def _streamed(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target``, renamed over it when the block succeeds.

    For files too large for :func:`atomic_write` (the merged table); on any failure the
    temporary file is removed and an ``OSError`` becomes a one-line DeterrenceError.
    """
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(handle)
    except OSError as error:
        raise DeterrenceError(f"cannot write {target}: {error.strerror or error}") from None
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as error:
        raise DeterrenceError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        if temporary.exists():
            temporary.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _frame(columns: Mapping[str, np.ndarray], constants: Mapping[str, Any]) -> Any:
    """The chunk as a pandas DataFrame (CSV parts and in-memory tables)."""
    import pandas as pd

    size = len(columns["outcome"])
    data = dict(columns)
    for name, value in constants.items():
        if name == "seed":  # nullable integer: a design without a seed writes an empty cell
            data[name] = pd.array(np.full(size, value if value is not None else 0, dtype=np.int64), dtype="Int64")
            if value is None:
                data[name][:] = pd.NA
        else:
            data[name] = np.full(size, value)
    return pd.DataFrame(data)


def factorize(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct labels, each row's index into them, and their counts.

    Labels that carry their codes (:class:`~deterrence.analysis.outcomes.LabelArray`)
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
    columns: Mapping[str, np.ndarray], constants: Mapping[str, Any], codes: tuple[np.ndarray, np.ndarray]
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


def _part_bytes(
    columns: Mapping[str, np.ndarray], constants: Mapping[str, Any], fmt: str, codes: tuple[np.ndarray, np.ndarray]
) -> tuple[bytes, list[str]]:
    """One chunk's file content and its column names.

    CSV parts are CSV text without a header (the merge concatenates them);
    Parquet runs keep parts as LZ4-compressed Arrow IPC files, cheap to write
    and to read back, and write the Parquet file once, at the merge.
    """
    if fmt == "csv":
        frame = _frame(columns, constants)
        return frame.to_csv(None, header=False, index=False, lineterminator="\n").encode("utf-8"), list(frame.columns)
    import pyarrow as pa
    import pyarrow.feather as feather

    table = _arrow_table(columns, constants, codes)
    sink = pa.BufferOutputStream()
    feather.write_feather(table, sink, compression="lz4")
    return sink.getvalue().to_pybytes(), list(table.column_names)


class ChunkStore:
    """The chunk directory of one sweep: open it, add finished chunks, merge them, remove it."""

    def __init__(self, output: Path, fmt: str, n_chunks: int) -> None:
        self.output, self.fmt, self.n_chunks = output, fmt, n_chunks
        self.folder = chunk_directory(output)
        ext = ".csv" if fmt == "csv" else ".arrow"
        self.parts = [self.folder / f"part-{i:06d}{ext}" for i in range(n_chunks)]
        self.header: list[str] | None = None

    def open(self, manifest: dict[str, Any], resume: bool) -> set[int]:
        """Start or continue the run described by ``manifest``; return the finished chunks."""
        old = read_manifest(self.output)
        if old is not None and not resume:
            raise DeterrenceError(
                f"{self.folder} holds an unfinished sweep; add --resume to continue it, "
                "or delete that directory to start again"
            )
        if old is not None and old != manifest:
            differs = sorted(k for k in manifest if old.get(k) != manifest[k])
            raise DeterrenceError(
                f"cannot resume: {self.folder} was made by a different sweep ({', '.join(differs)} differ)"
            )
        if old is None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DeterrenceError(f"cannot create {self.folder}: {error.strerror or error}") from None
            try:
                atomic_write(self.folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
            except DeterrenceError:
                self.discard_if_empty()
                raise
        for stale in self.folder.glob(".*.part"):  # temporary files of a killed run
            stale.unlink()
        header_file = self.folder / "columns.json"
        if header_file.exists():
            self.header = _read_json(header_file, list, self.folder)
        return {i for i, p in enumerate(self.parts) if p.exists()}

    def finished(self) -> int:
        """How many chunks are on disk."""
        return sum(p.exists() for p in self.parts)

    def add(self, index: int, columns: Mapping[str, np.ndarray], constants: Mapping[str, Any]) -> None:
        """Write chunk ``index`` (its outcome counts first: a part file that exists is complete)."""
        names = [*columns, *constants]
        if self.header is None:
            self.header = names
            atomic_write(self.folder / "columns.json", json.dumps(names))
        elif names != self.header:
            raise DeterrenceError(f"chunk {index} has columns {names}, earlier chunks {self.header}")
        labels, inverse, counts = factorize(columns["outcome"])
        counts_text = json.dumps(dict(zip(labels.tolist(), counts.tolist(), strict=True)))
        atomic_write(self._counts(index), counts_text)
        data, _ = _part_bytes(columns, constants, self.fmt, (labels, inverse))
        atomic_write(self.parts[index], data)

    def _counts(self, index: int) -> Path:
        return self.parts[index].with_suffix(".counts.json")

    def outcomes(self) -> dict[str, int]:
        """Outcome counts over every chunk, most frequent first (ties by label)."""
        total: dict[str, int] = {}
        for index in range(self.n_chunks):
            for label, count in _read_json(self._counts(index), dict, self.folder).items():
                total[label] = total.get(label, 0) + int(count)
        return dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))

    def merge(self) -> None:
        """Concatenate the parts in chunk order into the output (CSV) or one row group each (Parquet)."""
        if self.header is None:
            raise DeterrenceError("the sweep produced no chunks")
        with _streamed(self.output) as temporary:
            if self.fmt == "csv":
                import pandas as pd

                with open(temporary, "w", encoding="utf-8", newline="") as out:
                    pd.DataFrame(columns=self.header).to_csv(out, index=False, lineterminator="\n")
                    for part in self.parts:
                        with open(part, encoding="utf-8", newline="") as handle:
                            shutil.copyfileobj(handle, out)
            else:
                import pyarrow.feather as feather
                import pyarrow.parquet as pq

                writer = None
                try:
                    for part in self.parts:  # one chunk in memory at a time
                        table = feather.read_table(part, memory_map=True)
                        if writer is None:
                            writer = pq.ParquetWriter(temporary, table.schema)
                        writer.write_table(table)
                finally:
                    if writer is not None:
                        writer.close()

    def remove(self) -> None:
        """Delete the chunk directory."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def discard_if_empty(self) -> None:
        """Delete the chunk directory if no chunk was finished (nothing to resume)."""
        if self.folder.is_dir() and not any(p.exists() for p in self.parts):
            self.remove()
