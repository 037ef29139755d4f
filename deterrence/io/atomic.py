"""Atomic file writes: a file is either its old self or completely new, never half-written.

Every output of the toolkit (tables, JSON, sidecars, sweep chunks and state files) goes through
:func:`atomic_write`: the data is written to a temporary file in the same directory, flushed to
disk, and renamed over the target.  A full disk or a killed process leaves the previous copy
intact and no temporary file behind; the failure becomes a one-line :class:`DeterrenceError`.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> atomic_write(target, "hello\\n")
>>> print(target.read_text(), end="")
hello
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from deterrence.errors import DeterrenceError

__all__ = ["atomic_write"]

# mkstemp makes files private (0600); give the result the mode an ordinary open() would.
_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Parameters
    ----------
    path : str or path-like
        The target.  Its directory must exist (a missing directory is a user mistake, reported).
    data : str or bytes
        Text is encoded with ``encoding``.

    Raises
    ------
    DeterrenceError
        One line naming the path and the reason (no such directory, permission, disk full).
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    directory = target.parent if str(target.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    except OSError as error:
        raise DeterrenceError(f"cannot write {target}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, target)
    except OSError as error:
        raise DeterrenceError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
