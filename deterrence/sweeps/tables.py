"""The bytes of a sweep table: CSV chunks (through pyarrow when present, else pandas) and Arrow parts.

A chunk of a sweep is ``{column: array}`` (parameters, ``outcome``, measures) plus a few constant
columns.  :func:`part_bytes` turns it into the content of one part file of the chunk directory:

* CSV runs write CSV text without a header (the merge writes the header once, then concatenates
  the parts).  With pyarrow installed the text is made by :func:`pyarrow.csv.write_csv` from
  dictionary-encoded columns: every distinct value of a column is formatted once (a grid axis has
  a few hundred), so formatting costs little more than copying.  Numbers are written in their
  shortest round-trip form (``0.000005``, ``1e+16``), integral floats keep a ``.0`` so a reader
  infers a float column, booleans are ``True``/``False``, NaN and missing values are empty
  cells, and a label is quoted only when it holds a comma, a quote or a line break (RFC 4180).
  Without pyarrow, pandas writes the text (floats as ``repr`` gives them).  The writer in use is
  recorded in the run's manifest, so a resumed run never mixes the two.
* Parquet runs keep each chunk as an LZ4-compressed Arrow IPC file; the merge writes one row
  group per chunk.

The text of a chunk depends only on its values, so serial, parallel and resumed runs give the
same bytes.

Examples
--------
>>> import numpy as np
>>> columns = {"x": np.array([0.5, 2.0, np.nan]), "outcome": np.array(["a", "b,c", "a"]),
...            "tie": np.array([True, False, True])}
>>> text = part_bytes(columns, {}, "csv", factor(columns["outcome"])[:2], csv_writer())
>>> print(header_line(list(columns)).decode() + text.decode(), end="")
x,outcome,tie
0.5,a,True
2.0,"b,c",False
,a,True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["csv_writer", "factor", "header_line", "part_bytes", "part_data", "quote"]

_SPECIAL = (",", '"', "\n", "\r")


def csv_writer() -> str:
    """``"pyarrow"`` when pyarrow can be imported (the fast CSV writer), else ``"pandas"``."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return "pandas"
    return "pyarrow"


def quote(text: str) -> str:
    """A CSV field: ``text`` as it is, or in double quotes (inner quotes doubled) when it must be."""
    if any(c in text for c in _SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def header_line(names: Sequence[str]) -> bytes:
    """The header row of a CSV sweep table."""
    return (",".join(quote(str(n)) for n in names) + "\n").encode("utf-8")


def factor(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct labels, each row's index into them, and their counts.

    Labels that carry their codes (:class:`~deterrence.analysis.outcomes.LabelArray`) are used as
    they are; others are hashed (by pyarrow, else ``pandas.factorize``), O(n).
    """
    codes = getattr(labels, "codes", None)
    categories = getattr(labels, "categories", None)
    if codes is not None and categories is not None:
        counts = np.bincount(codes, minlength=len(categories))
        used = np.flatnonzero(counts)
        remap = np.zeros(len(counts), dtype=np.intp)
        remap[used] = np.arange(len(used))
        return categories[used], remap[codes], counts[used]
    if csv_writer() == "pyarrow":
        encoded = _call("dictionary_encode", _strings(np.asarray(labels, dtype=str).tolist()))
        inverse = _numbers(encoded.indices).astype(np.intp)
        distinct = np.asarray(encoded.dictionary.to_pylist(), dtype=str)
    else:
        import pandas as pd

        inverse, distinct = pd.factorize(np.asarray(labels))
        distinct = np.asarray(distinct)
    return distinct, inverse, np.bincount(inverse, minlength=len(distinct))


# -- pyarrow arrays, built from buffers ---------------------------------------------------------
# ``pyarrow.array`` and ``Array.to_numpy`` import pandas (a third of a second) to look for its
# types; a sweep never needs them, so arrays are made from (and read back into) numpy buffers.
def _array(values: np.ndarray, valid: np.ndarray | None = None) -> Any:
    """A pyarrow array over the numbers in ``values`` (``valid``: False where missing)."""
    import pyarrow as pa

    data = np.ascontiguousarray(values)
    if data.dtype.kind == "b":  # Arrow packs booleans into bits
        kind, buffer = pa.bool_(), pa.py_buffer(np.packbits(data, bitorder="little"))
    else:
        kind, buffer = pa.from_numpy_dtype(data.dtype), pa.py_buffer(data)
    bitmap = None if valid is None or valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(kind, len(data), [bitmap, buffer])


def _strings(texts: Sequence[str]) -> Any:
    """A pyarrow string array of ``texts``."""
    import pyarrow as pa

    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int32, count=len(encoded)), out=offsets[1:])
    return pa.Array.from_buffers(
        pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )


def _numbers(array: Any) -> np.ndarray:
    """The values of a pyarrow numeric array without nulls' meaning (a view when it can be)."""
    dtype = np.dtype(array.type.to_pandas_dtype())
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize)


def _call(name: str, *args: Any, options: Any = None) -> Any:
    """A pyarrow compute kernel, called without ``pyarrow.compute`` (whose import costs 0.2 s)."""
    from pyarrow._compute import call_function

    return call_function(name, list(args), options)


def _cast(array: Any, kind: Any) -> Any:
    from pyarrow._compute import CastOptions

    return _call("cast", array, options=CastOptions(kind))


def _repeat(text: str, size: int) -> Any:
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(_array(np.zeros(size, dtype=np.int32)), _strings([text]))


# -- pyarrow CSV ------------------------------------------------------------------------------
#: Values looked at to tell a column of few distinct values (a grid axis, a 0/1 measure) from
#: one of many (a smooth probability): the first is formatted once per distinct value, the second
#: value by value (hashing a million distinct floats costs more than formatting them).
_PROBE = 4096


def _many_distinct(values: np.ndarray) -> bool:
    """Whether at least half of an evenly spread sample of ``values`` are distinct."""
    if len(values) <= _PROBE:
        return False
    probe = np.sort(values[:: len(values) // _PROBE][:_PROBE])
    distinct = 1 + int(np.count_nonzero(probe[1:] != probe[:-1]))  # (np.unique would import numpy.ma)
    return 2 * distinct >= len(probe)


def _whole_text(text: Any, values: np.ndarray) -> Any:
    """``text`` (the cast of ``values``) with ``.0`` added to integral numbers (``2`` -> ``2.0``).

    Readers then see a float column; ``1e+16`` stays as it is, and so do NaN (a null) and infinities.
    """
    import pyarrow as pa

    with np.errstate(invalid="ignore"):
        whole = np.flatnonzero(np.isfinite(values) & (values == np.trunc(values)))
    if not whole.size:
        return text
    picked = _call("take", text, _array(whole.astype(np.int64))).to_pylist()
    fixed = _strings([t if "e" in t else t + ".0" for t in picked])
    index = np.arange(len(text), dtype=np.int64)
    index[whole] = len(text) + np.arange(whole.size)
    return _call("take", pa.concat_arrays([text, fixed]), _array(index))


def _float_text(values: np.ndarray) -> Any:
    """A float column as text: a dictionary of its formatted distinct values, or each value formatted.

    The two give the same cells (each value is formatted by the same cast; NaN is a missing value);
    which one is used only depends on how many distinct values a sample of the column holds.
    """
    import pyarrow as pa

    nan = np.isnan(values)
    array = _array(values, ~nan if nan.any() else None)
    if _many_distinct(values):
        return _whole_text(_cast(array, pa.string()), values)
    encoded = _call("dictionary_encode", array)
    uniques = _numbers(encoded.dictionary)
    return pa.DictionaryArray.from_arrays(encoded.indices, _whole_text(_cast(encoded.dictionary, pa.string()), uniques))


def _arrow_text(name: str, values: np.ndarray, codes: tuple[np.ndarray, np.ndarray] | None) -> tuple[Any, bool]:
    """One column ready for ``write_csv`` (no quoting), and whether some value needs quotes."""
    import pyarrow as pa

    if codes is not None:  # the outcome labels, as their distinct values and each row's index
        labels, inverse = codes
        text = [quote(str(v)) for v in labels]
        array = pa.DictionaryArray.from_arrays(_array(inverse.astype(np.int32)), _strings(text))
        return array, any(t != str(v) for t, v in zip(text, labels, strict=True))
    values = np.asarray(values)
    kind = values.dtype.kind
    if kind == "f":
        return _float_text(values.astype(np.float64, copy=False)), False
    if kind == "b":
        return pa.DictionaryArray.from_arrays(_array(values.astype(np.int8)), _strings(["False", "True"])), False
    if kind in "iu":
        return _array(values), False
    distinct, inverse, _ = factor(values.astype(str))
    return _arrow_text(name, values, (distinct, inverse))


def _arrow_csv(columns: Mapping[str, np.ndarray], constants: Mapping[str, Any], codes: Any) -> bytes | memoryview:
    import pyarrow as pa
    import pyarrow.csv as csv

    size = len(columns["outcome"])
    arrays, quoted = [], False
    for name, values in columns.items():
        array, needs = _arrow_text(name, values, codes if name == "outcome" else None)
        arrays.append(array)
        quoted |= needs
    for name, value in constants.items():
        if name == "seed":
            arrays.append(pa.nulls(size, pa.int64()) if value is None else _array(np.full(size, int(value))))
        else:
            text = quote(str(value))
            quoted |= text != str(value)
            arrays.append(_repeat(text, size))
    if size == 0:
        return b""
    if not quoted:
        sink = pa.BufferOutputStream()
        table = pa.table(arrays, names=[str(i) for i in range(len(arrays))])
        # Batches of 64k rows: half the time of the default 1024 (the text is the same).
        options = csv.WriteOptions(include_header=False, quoting_style="none", batch_size=1 << 16)
        csv.write_csv(table, sink, options)
        return memoryview(sink.getvalue())  # the writer's buffer itself: no copy
    # Some value holds a comma or quote: it is already quoted above, so join the cells ourselves.
    import pyarrow.compute as pc

    cells = [_cast(a, pa.string()) for a in arrays]
    rows = pc.binary_join_element_wise(*cells, ",", null_handling="replace", null_replacement="")
    return ("\n".join(rows.to_pylist()) + "\n").encode("utf-8")


# -- pandas CSV and Arrow parts ---------------------------------------------------------------
def frame(columns: Mapping[str, np.ndarray], constants: Mapping[str, Any]) -> Any:
    """The chunk as a pandas DataFrame (pandas CSV parts and in-memory tables)."""
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


def arrow_table(
    columns: Mapping[str, np.ndarray], constants: Mapping[str, Any], codes: tuple[np.ndarray, np.ndarray]
) -> Any:
    """The chunk as a pyarrow Table (Parquet runs skip pandas: it costs more than the solve).

    Strings are built in C from a dictionary (``codes``: the distinct outcome labels and each
    row's index) or by repeating a constant, never element by element from numpy unicode arrays.
    """
    import pyarrow as pa

    size = len(columns["outcome"])
    data = {}
    for name, values in columns.items():
        if name == "outcome":
            labels, inverse = codes
            indices = _array(inverse.astype(np.int32))
            data[name] = _cast(pa.DictionaryArray.from_arrays(indices, _strings([str(v) for v in labels])), pa.string())
        elif np.asarray(values).dtype.kind in "biuf":
            data[name] = _array(np.asarray(values))
        else:
            data[name] = _strings(np.asarray(values, dtype=str).tolist())
    for name, value in constants.items():
        if name == "seed":
            data[name] = pa.nulls(size, pa.int64()) if value is None else _array(np.full(size, int(value)))
        else:
            data[name] = _cast(_repeat(str(value), size), pa.string())
    return pa.table(data)


def part_data(
    columns: Mapping[str, np.ndarray],
    constants: Mapping[str, Any],
    fmt: str,
    codes: tuple[np.ndarray, np.ndarray],
    writer: str = "pandas",
) -> tuple[bytes | memoryview, Any]:
    """One chunk's part file as ``(data, table)``: the bytes (or a view of pyarrow's buffer, not copied)
    and, for Parquet runs, the Arrow table they encode (None for CSV).

    :func:`part_bytes` is the same content as :class:`bytes`.
    """
    if fmt == "csv":
        if writer == "pyarrow":
            return _arrow_csv(columns, constants, codes), None
        table = frame(columns, constants)
        return table.to_csv(None, header=False, index=False, lineterminator="\n").encode("utf-8"), None
    import pyarrow as pa

    table = arrow_table(columns, constants, codes)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="lz4")) as stream:
        stream.write_table(table)
    return memoryview(sink.getvalue()), table


def part_bytes(
    columns: Mapping[str, np.ndarray],
    constants: Mapping[str, Any],
    fmt: str,
    codes: tuple[np.ndarray, np.ndarray],
    writer: str = "pandas",
) -> bytes:
    """One chunk's part file: CSV text without a header (``writer`` pyarrow or pandas), or Arrow IPC."""
    return bytes(part_data(columns, constants, fmt, codes, writer)[0])
