"""How big a sweep's table will be, said before a long run starts and checked against the disk.

A sweep of at least :data:`~deterrence.sweeps.run.ESTIMATE_POINTS` points evaluates a small
probe -- a few hundred points taken from chunks spread over the design -- formats it exactly as
the run will, and scales the bytes per row up to the whole design.  Two things follow:

* a sweep of more than :data:`~deterrence.sweeps.run.NOTICE_POINTS` points says, on one line
  and before its first chunk, how many points it runs and about how big the table will be;
* a sweep whose chunks and merged table (about twice the table) would not fit in the free
  space of the output's disk stops at once with a one-line error, leaving nothing behind,
  instead of filling the disk hours later.

Examples
--------
>>> print(human_bytes(999), human_bytes(234_000_000), human_bytes(6.2e12))
999 B 234 MB 6.2 TB
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError

__all__ = ["check_size", "estimate_row_bytes", "human_bytes"]

#: Points in the probe (spread over up to four chunks).
PROBE_POINTS = 512


def human_bytes(count: float) -> str:
    """``count`` bytes in decimal units, two significant figures."""
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if count < 1000 or unit == "PB":
            return f"{count:.0f} {unit}" if unit == "B" or count >= 100 else f"{count:.2g} {unit}"
        count /= 1000
    return f"{count:.2g} PB"  # pragma: no cover - the loop returns


def estimate_row_bytes(model: Any, design: Any, concept: str, base: Any, store: Any, all_columns: bool) -> float:
    """Bytes per row of the table ``store`` will write, from a probe of the design."""
    from deterrence.sweeps.run import _constants, _evaluate, _full_points
    from deterrence.sweeps.tables import factor, part_bytes

    picks = sorted({0, design.n_chunks // 3, (2 * design.n_chunks) // 3, design.n_chunks - 1})
    per = max(1, PROBE_POINTS // len(picks))
    varied: dict[str, list[np.ndarray]] = {name: [] for name in design.names}
    for index in picks:
        chunk = design.chunk(index)
        for name in design.names:
            varied[name].append(chunk[name][:per])
    points = {name: np.concatenate(parts) for name, parts in varied.items()}
    size = len(points[design.names[0]])
    keep = None if all_columns else set(design.names)
    columns = _evaluate(model, _full_points(model, points, base, size), concept, size, keep)
    in_table, _ = _constants(model, concept, design, base, all_columns)
    if store.fmt != "csv":  # Parquet: at most the uncompressed Arrow data (usually far less)
        numeric = sum(np.asarray(v).nbytes for k, v in columns.items() if k != "outcome")
        return (numeric + 4 * size) / size + 8 * len(in_table)
    labels, inverse, _ = factor(columns["outcome"])
    return len(part_bytes(columns, in_table, "csv", (labels, inverse), store.writer)) / size


def check_size(
    model: Any,
    design: Any,
    concept: str,
    base: Any,
    store: Any,
    all_columns: bool,
    notice: Callable[[str], None] | None,
    check_space: bool = True,
) -> int | None:
    """Estimate the table's bytes (large designs only), say them, and check the free disk space.

    Returns the estimate, or None for a design too small to need one.

    Raises
    ------
    DeterrenceError
        When the chunks and the merged table would not fit on the output's disk.
    """
    from deterrence.sweeps.run import ESTIMATE_POINTS, NOTICE_POINTS

    if design.size < ESTIMATE_POINTS:
        return None
    table = int(estimate_row_bytes(model, design, concept, base, store, all_columns) * design.size)
    kind = "CSV" if store.fmt == "csv" else "Parquet"
    about = "about" if store.fmt == "csv" else "at most about"
    hint = "; write FILE.parquet for a smaller, faster table" if store.fmt == "csv" else ""
    if check_space:
        free = shutil.disk_usage(store.folder).free
        if 2 * table > free:
            where = os.path.abspath(store.folder.parent)
            raise DeterrenceError(
                f"sweeping {design.size:,} points needs {about} {human_bytes(2 * table)} (the {kind} table "
                f"and its chunks) but {where} has {human_bytes(free)} free; sweep fewer points"
                + (" or write FILE.parquet (far smaller)" if store.fmt == "csv" else "")
            )
    if notice is not None and design.size > NOTICE_POINTS:
        notice(f"sweeping {design.size:,} points; the {kind} table will be {about} {human_bytes(table)}{hint}")
    return table
