"""JSON provenance sidecars: what made an output file, recorded beside it.

Every table or figure the toolkit writes gets a sidecar ``FILE.EXT.json``
(the output's full name plus ``.json``, so ``sweep.csv`` and ``sweep.parquet``
never share one).  The sidecar records

* ``deterrence_version`` and the versions of Python, numpy and scipy;
* ``command``: the command line (or the Python call) that made the file;
* ``parameters``: each parameter with its value or baseline and its bounds;
* ``seed`` and ``design`` (the sampling design, see
  :meth:`deterrence.designs.Design.to_dict`);
* ``output``: the file's name, size in bytes and SHA-256, so a reader can
  check that the sidecar belongs to the file beside it;
* anything in ``extra`` (model slug, concept, timings, ...).

The format is plain JSON with sorted keys; the schema version is
``"schema": 1``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["write_sidecar", "read_sidecar", "sidecar_path", "file_digest"]

SCHEMA_VERSION = 1


def sidecar_path(path: str | Path) -> Path:
    """The sidecar of ``path``: the same name with ``.json`` appended.

    Examples
    --------
    >>> sidecar_path("out/sweep.csv").name
    'sweep.csv.json'
    """
    path = Path(path)
    return path.with_name(path.name + ".json")


def file_digest(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in blocks so that large outputs stay out of memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _jsonable(value: Any) -> Any:
    """Numbers, Fractions, numpy scalars and arrays, paths and sets as plain JSON values."""
    from fractions import Fraction

    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Fraction):
        return float(value) if value.denominator != 1 else int(value)
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _jsonable(value.tolist())
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _parameter_records(parameters: Any) -> list[dict[str, Any]]:
    """Normalise a ParameterSet, a ``{name: value}`` mapping or a list of dicts."""
    if parameters is None:
        return []
    if hasattr(parameters, "to_list"):  # a ParameterSet
        return parameters.to_list()
    if isinstance(parameters, Mapping):
        return [{"name": str(k), "value": _jsonable(v)} for k, v in parameters.items()]
    if isinstance(parameters, Sequence):
        return [_jsonable(p) for p in parameters]
    raise TypeError(f"parameters must be a ParameterSet, a mapping or a list, not {type(parameters).__name__}")


def write_sidecar(
    path: str | Path,
    *,
    command: str | Sequence[str] | None = None,
    parameters: Any = None,
    seed: int | None = None,
    design: Any = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write the JSON provenance sidecar of ``path`` and return the sidecar's path.

    Parameters
    ----------
    path : str or Path
        The output file the sidecar describes.  When it exists its size and
        SHA-256 are recorded.
    command : str or sequence of str, optional
        The command line (``sys.argv`` by default).
    parameters : ParameterSet, mapping or list, optional
        A :class:`~deterrence.parameters.ParameterSet` (each parameter with
        its default, bounds, unit and meaning), ``{name: value}``, or a list
        of JSON-ready dicts.
    seed : int, optional
        The root seed.
    design : Design, mapping or None
        The sampling design (anything with ``to_dict()``, or a dict).
    extra : mapping, optional
        Further JSON-ready fields, merged at the top level.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, json
    >>> from deterrence.parameters import Parameter, ParameterSet
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.csv").write_text("a\\n1\\n")
    >>> side = write_sidecar(folder / "t.csv", command="deterrence sweep demo", seed=3,
    ...                      parameters=ParameterSet([Parameter("a", 1, 0, 2)]))
    >>> record = json.loads(side.read_text())
    >>> record["seed"], record["parameters"][0]["high"], record["output"]["bytes"]
    (3, 2.0, 4)
    """
    import numpy
    import scipy

    from deterrence import __version__

    path = Path(path)
    if command is None:
        command = sys.argv
    record: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "deterrence_version": __version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "command": command if isinstance(command, str) else " ".join(str(c) for c in command),
        "parameters": _parameter_records(parameters),
        "seed": seed,
        "design": design.to_dict() if hasattr(design, "to_dict") else _jsonable(design),
    }
    if path.exists():
        record["output"] = {
            "file": path.name,
            "bytes": path.stat().st_size,
            "sha256": file_digest(path),
        }
    for key, value in (extra or {}).items():
        record[str(key)] = _jsonable(value)
    side = sidecar_path(path)
    side.parent.mkdir(parents=True, exist_ok=True)
    from deterrence.io.atomic import atomic_write

    atomic_write(side, json.dumps(_jsonable(record), indent=2, sort_keys=True) + "\n")
    return side


def read_sidecar(path: str | Path) -> dict[str, Any]:
    """Read the sidecar of an output file (or a sidecar path itself).

    Raises
    ------
    DeterrenceError
        If the sidecar is missing or is not valid JSON.
    """
    from deterrence.errors import DeterrenceError

    path = Path(path)
    side = path if path.name.endswith(".json") and not sidecar_path(path).exists() else sidecar_path(path)
    try:
        return json.loads(side.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeterrenceError(f"no provenance sidecar {side} next to {path}") from None
    except json.JSONDecodeError as error:
        raise DeterrenceError(f"sidecar {side} is not valid JSON: {error}") from None
