"""The on-disk state of a sweep: chunk files, their manifest, and the merged table.

A sweep writing ``FILE`` keeps its finished chunks in ``FILE.chunks/``::

    manifest.json            what the run is (model, concept, design, baseline, columns, writer, version)
    columns.json             the table's column names, from the first finished chunk
    table.csv                (CSV runs) the header and chunks 0, 1, ... in order: the table being merged
    part-NNNNNN.counts.json  outcome counts (and exact fallbacks) of chunk NNNNNN; for a chunk in
                             table.csv also the size of the table up to its end (``table_end``)
    part-NNNNNN.csv|.arrow   the rows of a chunk finished out of order (:mod:`deterrence.sweeps.tables`)

A CSV chunk that finishes when every chunk before it is in the table (always, in a serial run)
is appended to ``table.csv`` and flushed to disk, and only then is its counts file written with
``table_end``: the table up to the last recorded end is complete, which is what resuming relies
on (a longer table, cut off by a kill, is truncated to it).  Other chunks (worker processes
finish out of order; Parquet runs always) are written as part files, after their counts file, and
appended when their turn comes.  At the end the complete table is renamed to ``FILE``, so a serial
CSV run writes its rows once, never reading them back.  Parquet runs build ``FILE`` the same way
from their Arrow parts, as a hidden temporary file (a Parquet file cannot be continued after a
stop) with one row group per chunk.

Every state file is written through :func:`deterrence.io.atomic.atomic_write`, so a file that
exists is complete; a full disk becomes a one-line :class:`~deterrence.errors.DeterrenceError`
and leaves no temporary file.  State files are checked when read: a damaged one is reported with
the way out (delete the directory) instead of a ``JSONDecodeError``.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.io.atomic import atomic_write
from deterrence.sweeps.executors import MissingExtraError
from deterrence.sweeps.tables import factor, header_line, part_data

#: Older names, kept importable.
factorize = factor

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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class ChunkStore:
    """The chunk directory of one sweep: open it, add finished chunks, merge them, remove it.

    ``writer`` is how CSV text is made (``"pyarrow"`` or ``"pandas"``, see
    :mod:`deterrence.sweeps.tables`).  Part files are named from the chunk index and found by
    listing the directory, so a design of millions of chunks costs nothing until they run.
    """

    def __init__(self, output: Path, fmt: str, n_chunks: int, writer: str = "pandas") -> None:
        self.output, self.fmt, self.n_chunks, self.writer = output, fmt, n_chunks, writer
        self.folder = chunk_directory(output)
        self.ext = ".csv" if fmt == "csv" else ".arrow"
        self.header: list[str] | None = None
        self.fallbacks: int | None = None
        #: SHA-256 of the merged table, once :meth:`merge` has written it.
        self.digest: str | None = None
        self._made: list[Path] = []  # directories this run created (removed again if it leaves nothing)
        self._table: _Table | None = None  # the merged table, grown in chunk order
        self._finished: set[int] = set()  # chunks in a part file or in the table

    def part(self, index: int) -> Path:
        """The part file of chunk ``index``."""
        return self.folder / f"part-{index:06d}{self.ext}"

    def _parts(self) -> set[int]:
        done = set()
        for path in self.folder.glob(f"part-*{self.ext}"):
            digits = path.name[len("part-") : -len(self.ext)]
            if digits.isdigit() and int(digits) < self.n_chunks:
                done.add(int(digits))
        return done

    def _done(self) -> set[int]:
        return self._parts() | set(range(table_prefix(self.folder, self.n_chunks)[0] if self.fmt == "csv" else 0))

    def open(self, manifest: dict[str, Any], resume: bool) -> set[int]:
        """Start or continue the run described by ``manifest``; return the finished chunks."""
        old = read_manifest(self.output)
        if old is not None and not resume:
            raise DeterrenceError(
                f"{self.folder} holds an unfinished sweep; add --resume to continue it, "
                "or delete that directory to start again"
            )
        if old is not None and old != manifest:
            differs = sorted(k for k in set(manifest) | set(old) if old.get(k) != manifest.get(k))
            raise DeterrenceError(
                f"cannot resume: {self.folder} was made by a different sweep ({', '.join(differs)} differ)"
            )
        if old is None:
            missing = [d for d in self.folder.parents if not d.exists()]
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DeterrenceError(f"cannot write {self.output}: {error.strerror or error}") from None
            self._made = missing
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
        self._finished = self._done()
        return set(self._finished)

    def finished(self) -> int:
        """How many chunks are on disk."""
        return len(self._done())

    def add(
        self,
        index: int,
        columns: Mapping[str, np.ndarray],
        constants: Mapping[str, Any],
        fallbacks: int | None = None,
    ) -> None:
        """Write chunk ``index``: into the table when it is next in order, else as a part file.

        ``fallbacks`` (the points the batched solver handed to the exact one) is kept with the
        counts.  A part file is written after its counts (a part file that exists is complete);
        a chunk appended to the table gets its counts, with the table's new end, after it.
        :meth:`prepare` then :meth:`commit` do the same in two steps (two threads can run them).
        """
        self.commit(self.prepare(index, columns, constants, fallbacks))

    def prepare(
        self,
        index: int,
        columns: Mapping[str, np.ndarray],
        constants: Mapping[str, Any],
        fallbacks: int | None = None,
    ) -> tuple[int, dict[str, Any], Any, Any]:
        """Chunk ``index`` formatted for :meth:`commit`: its counts record, its bytes and (Parquet) table."""
        names = [*columns, *constants]
        if self.header is None:
            self.header = names
            atomic_write(self.folder / "columns.json", json.dumps(names))
        elif names != self.header:
            raise DeterrenceError(f"chunk {index} has columns {names}, earlier chunks {self.header}")
        labels, inverse, counts = factor(columns["outcome"])
        record: dict[str, Any] = {"outcomes": dict(zip(labels.tolist(), counts.tolist(), strict=True))}
        if fallbacks is not None:
            record["exact_fallbacks"] = int(fallbacks)
        data, table = part_data(columns, constants, self.fmt, (labels, inverse), self.writer)
        return index, record, data, table

    def commit(self, prepared: tuple[int, dict[str, Any], Any, Any]) -> None:
        """Write a chunk made by :meth:`prepare` (chunks are committed one at a time)."""
        index, record, data, table = prepared
        if self.fmt == "csv" and index == self._open_table().next:
            self._append(index, record, data)
        else:
            atomic_write(self._counts(index), json.dumps(record))
            atomic_write(self.part(index), data)  # bytes or a view of them
        self._finished.add(index)
        self._catch_up(index, table)

    def _open_table(self) -> _Table:
        if self._table is None:
            assert self.header is not None
            self._table = _Table(self.folder, self.fmt, self.header, self.n_chunks)
        return self._table

    def _append(self, index: int, record: dict[str, Any], data: Any) -> None:
        """Append CSV chunk ``index`` to the table, flush it, then record its counts and the table's end."""
        end = self._open_table().append(data)
        atomic_write(self._counts(index), json.dumps({**record, "table_end": end}))

    def _catch_up(self, index: int = -1, table: Any = None) -> None:
        """Append the chunks that are next in order and finished as parts (``index``'s Arrow table given)."""
        merged = self._open_table()
        while merged.next < self.n_chunks and merged.next in self._finished:
            at = merged.next
            if self.fmt == "csv":
                record = _read_json(self._counts(at), dict, self.folder)
                self._append(at, record, self.part(at).read_bytes())
            elif at == index:
                merged.append(None, table)
            else:
                merged.append_part(self.part(at))

    def _counts(self, index: int) -> Path:
        return self.part(index).with_suffix(".counts.json")

    def outcomes(self) -> dict[str, int]:
        """Outcome counts over every chunk, most frequent first (ties by label).

        Also sums the chunks' exact fallbacks into :attr:`fallbacks` (None when no chunk reported any).
        """
        total: dict[str, int] = {}
        fallbacks: int | None = None
        for index in range(self.n_chunks):
            record = _read_json(self._counts(index), dict, self.folder)
            for label, count in dict(record.get("outcomes", {})).items():
                total[label] = total.get(label, 0) + int(count)
            if "exact_fallbacks" in record:
                fallbacks = (fallbacks or 0) + int(record["exact_fallbacks"])
        self.fallbacks = fallbacks
        return dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))

    def merge(self) -> None:
        """Complete the table (the chunks not yet in it, from their parts) and rename it to the output.

        :attr:`digest` is then the table's SHA-256, computed from the bytes as they were written.
        """
        if self.header is None:
            raise DeterrenceError("the sweep produced no chunks")
        self._finished = self._done()
        missing = sorted(set(range(self.n_chunks)) - self._finished)
        if missing:
            raise DeterrenceError(f"chunk {missing[0]} of {self.output} is missing from {self.folder}")
        self._catch_up()
        table, self._table = self._table, None
        assert table is not None and table.next == self.n_chunks
        self.digest = table.finish(self.output)

    def abandon(self) -> None:
        """Close the table of a run that stops (kept for resuming; a Parquet one is deleted)."""
        table, self._table = self._table, None
        if table is not None:
            table.close()

    def remove(self) -> None:
        """Delete the chunk directory."""
        self.abandon()
        shutil.rmtree(self.folder, ignore_errors=True)

    def discard_if_empty(self) -> None:
        """Delete the chunk directory (and the directories this run made) if no chunk was finished."""
        if self.folder.is_dir() and not self._done():
            self.remove()
            for folder in self._made:  # innermost first; only the ones still empty
                with contextlib.suppress(OSError):
                    folder.rmdir()


#: The table a CSV run merges into, in its chunk directory.
TABLE = "table.csv"


def table_prefix(folder: Path, n_chunks: int) -> tuple[int, int]:
    """``(chunks, bytes)``: how many chunks, 0, 1, ..., the table in ``folder`` holds, and up to where.

    Read from the chunks' counts files (``table_end``), as far as the table file is that long.
    """
    path = folder / TABLE
    size = path.stat().st_size if path.exists() else 0
    count, end = 0, 0
    while count < n_chunks:
        counts = folder / f"part-{count:06d}.counts.json"
        if not counts.exists():
            break
        recorded = _read_json(counts, dict, folder).get("table_end")
        if not isinstance(recorded, int) or recorded > size or recorded < end:
            break
        count, end = count + 1, recorded
    return count, end


def finished_chunks(output: str | Path, n_chunks: int) -> int:
    """How many chunks of a sweep writing ``output`` are saved (in the table or in part files)."""
    folder = chunk_directory(output)
    if not folder.is_dir():
        return 0
    in_table = table_prefix(folder, n_chunks)[0]
    parts = {p.name.split(".")[0] for p in [*folder.glob("part-*.csv"), *folder.glob("part-*.arrow")]}
    return in_table + sum(1 for name in parts if not name[5:].isdigit() or int(name[5:]) >= in_table)


class _Table:
    """The merged table of a sweep while it grows.

    CSV: ``table.csv`` in the chunk directory, the header then each chunk's text, hashed as it is
    written and flushed to disk after each chunk; a resumed run cuts it to the last chunk its
    counts files record, hashes what is kept and goes on.  Parquet: a hidden temporary file with
    one row group per chunk.  :meth:`finish` renames it over the output (a reader never sees half
    a table).
    """

    def __init__(self, folder: Path, fmt: str, header: list[str], n_chunks: int) -> None:
        import hashlib

        self.fmt, self.next = fmt, 0
        self._hash = hashlib.sha256()
        self._writer: Any = None  # pyarrow.parquet.ParquetWriter
        self._stream: Any = None
        try:
            if fmt == "csv":
                self.path = folder / TABLE
                self.next, end = table_prefix(folder, n_chunks)
                self._stream = open(self.path, "r+b" if self.path.exists() else "wb", buffering=0)  # noqa: SIM115
                if end:
                    self._stream.truncate(end)
                    while block := self._stream.read(1 << 22):
                        self._hash.update(block)
                else:
                    self._stream.truncate(0)
                    self._write(header_line(header))
                self.end = end or self._stream.tell()
            else:
                handle, name = tempfile.mkstemp(prefix=".table.", suffix=".part", dir=folder)
                os.close(handle)
                self.path = Path(name)
        except OSError as error:
            self.close()
            raise DeterrenceError(f"cannot write in {folder}: {error.strerror or error}") from None

    def _write(self, data: Any) -> None:
        view = memoryview(data)
        while view:
            view = view[self._stream.write(view) :]
        self._hash.update(data)

    def append(self, data: Any, table: Any = None) -> int:
        """Append the next chunk (CSV text, flushed to disk; or an Arrow table); return the table's size."""
        try:
            if self.fmt == "csv":
                self._write(data)
                os.fsync(self._stream.fileno())
                self.end = self._stream.tell()
            else:
                if self._writer is None:
                    import pyarrow.parquet as pq

                    self._writer = pq.ParquetWriter(self.path, table.schema)
                self._writer.write_table(table)
        except OSError as error:
            self.close()
            raise DeterrenceError(f"cannot write {self.path.parent}: {error.strerror or error}") from None
        self.next += 1
        return self.end if self.fmt == "csv" else 0

    def append_part(self, part: Path) -> None:
        """Append the next Parquet chunk from its Arrow part file."""
        import pyarrow as pa

        with pa.memory_map(str(part)) as source:  # one chunk in memory at a time
            self.append(None, pa.ipc.open_file(source).read_all())

    def finish(self, target: Path) -> str:
        """Flush the table to disk, rename it over ``target`` and return its SHA-256."""
        try:
            if self.fmt == "csv":
                self._stream.close()
                digest = self._hash.hexdigest()
            else:
                self._writer.close()
                from deterrence.io.provenance import file_digest

                digest = file_digest(self.path)  # small: Parquet is compressed
                with open(self.path, "rb+") as stream:
                    os.fsync(stream.fileno())
            os.chmod(self.path, 0o666 & ~_umask())
            os.replace(self.path, target)
        except OSError as error:
            self.close()
            raise DeterrenceError(f"cannot write {target}: {error.strerror or error}") from None
        return digest

    def close(self) -> None:
        """Close the file; a Parquet table (never resumed) is deleted."""
        with contextlib.suppress(Exception):
            if self._stream is not None:
                self._stream.close()
            if self._writer is not None:
                self._writer.close()
        if self.fmt != "csv":
            with contextlib.suppress(OSError, AttributeError):
                self.path.unlink()


def write_behind(store: ChunkStore, chunks: Iterable[tuple[int, Any]], in_table: dict[str, Any], bar: Any) -> None:
    """Format and write each finished chunk in two threads while the next one is evaluated.

    A pipeline of three stages, one chunk in each: the caller's thread evaluates chunk ``i + 2``
    while one thread formats chunk ``i + 1`` (:meth:`ChunkStore.prepare`) and another writes
    chunk ``i`` (:meth:`ChunkStore.commit`, in chunk order).  Formatting, writing and hashing
    release the GIL, so the stages run side by side.  A failed stage is raised before the next
    chunk is handed over; on any stop the work in flight completes first (files are atomic either
    way), so what is on disk is every chunk finished before it.
    """
    with (
        cf.ThreadPoolExecutor(1, thread_name_prefix="sweep-format") as formatter,
        cf.ThreadPoolExecutor(1, thread_name_prefix="sweep-writer") as writer,
    ):
        formatting: cf.Future | None = None
        writing: cf.Future | None = None

        def hand_over(prepared: cf.Future) -> cf.Future:
            nonlocal writing
            if writing is not None:
                writing.result()
                bar.update(1)
            writing = writer.submit(store.commit, prepared.result())
            return writing

        try:
            for index, columns in chunks:
                if formatting is not None:
                    hand_over(formatting)
                fallbacks = getattr(columns, "exact_fallbacks", None)
                formatting = formatter.submit(store.prepare, index, columns, in_table, fallbacks)
            if formatting is not None:
                hand_over(formatting)
                formatting = None
        finally:
            if formatting is not None and formatting.exception() is None:
                hand_over(formatting)  # a chunk already formatted is written before stopping
        if writing is not None:
            writing.result()
            bar.update(1)
