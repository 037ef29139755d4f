"""The on-disk state of a sweep: chunk files, their manifest, and the merge into one table.

A sweep writing ``FILE`` keeps its finished chunks in ``FILE.chunks/``::

    manifest.json            what the run is (model, concept, design, baseline, columns, writer, version)
    columns.json             the table's column names, from the first finished chunk
    part-NNNNNN.counts.json  outcome counts (and exact fallbacks) of chunk NNNNNN, written before the part
    part-NNNNNN.csv|.arrow   the rows of chunk NNNNNN (:mod:`deterrence.sweeps.tables`)

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
from deterrence.sweeps.tables import factor, header_line, part_bytes

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
        self._made: list[Path] = []  # directories this run created (removed again if it leaves nothing)

    def part(self, index: int) -> Path:
        """The part file of chunk ``index``."""
        return self.folder / f"part-{index:06d}{self.ext}"

    def _done(self) -> set[int]:
        done = set()
        for path in self.folder.glob(f"part-*{self.ext}"):
            digits = path.name[len("part-") : -len(self.ext)]
            if digits.isdigit() and int(digits) < self.n_chunks:
                done.add(int(digits))
        return done

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
        return self._done()

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
        """Write chunk ``index`` (its outcome counts first: a part file that exists is complete).

        ``fallbacks`` (the points the batched solver handed to the exact one) is kept with the counts.
        """
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
        atomic_write(self._counts(index), json.dumps(record))
        atomic_write(self.part(index), part_bytes(columns, constants, self.fmt, (labels, inverse), self.writer))

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
        """Concatenate the parts in chunk order into the output (CSV) or one row group each (Parquet)."""
        if self.header is None:
            raise DeterrenceError("the sweep produced no chunks")
        with _streamed(self.output) as temporary:
            if self.fmt == "csv":
                with open(temporary, "wb") as out:
                    out.write(header_line(self.header))
                    out.flush()
                    for index in range(self.n_chunks):
                        with open(self.part(index), "rb") as handle:
                            _append(handle, out)
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                writer = None
                try:
                    for index in range(self.n_chunks):  # one chunk in memory at a time
                        with pa.memory_map(str(self.part(index))) as source:
                            table = pa.ipc.open_file(source).read_all()
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
        """Delete the chunk directory (and the directories this run made) if no chunk was finished."""
        if self.folder.is_dir() and not self._done():
            self.remove()
            for folder in self._made:  # innermost first; only the ones still empty
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _append(source: Any, target: Any) -> None:
    """Copy the whole of ``source`` to the end of ``target`` (in the kernel where it can)."""
    size = os.fstat(source.fileno()).st_size
    offset = 0
    try:
        while offset < size:
            sent = os.sendfile(target.fileno(), source.fileno(), offset, size - offset)
            if sent == 0:
                break
            offset += sent
    except (AttributeError, OSError):
        if offset:
            raise
    if offset < size:
        source.seek(offset)
        shutil.copyfileobj(source, target)
        target.flush()
