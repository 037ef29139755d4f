"""JSON provenance sidecars: what made an output file, recorded beside it.

Every file the toolkit writes for a user (a table, a figure, a report, a solved game) gets a
sidecar ``FILE.provenance.json`` -- the output's full name plus ``.provenance.json``, so
``sweep.csv`` and ``sweep.parquet`` never share one and ``audit.json``'s sidecar is
``audit.json.provenance.json``, not ``audit.json.json``.  The sidecar records

* ``version``: the version of ``deterrence``, and those of Python, numpy and scipy;
* ``git_commit`` (and ``git_dirty``) when the package runs from a git checkout;
* ``command``: the command line (or the Python call) that made the file;
* ``scenario``: the scenario file or name (None when there is none);
* ``parameters``: each parameter with its value or baseline and its bounds;
* ``seed``, only when randomness was used (a grid sweep, a solve or a report draws nothing,
  so its sidecar has no seed at all), and ``design`` (see
  :meth:`deterrence.sweeps.designs.Design.to_dict`);
* ``timings``: seconds per stage of the run, when the caller measured them;
* ``output``: the file's name, size in bytes and SHA-256, so a reader can
  check that the sidecar belongs to the file beside it;
* anything in ``extra`` (model slug, concept, columns, ...).

The format is plain JSON with sorted keys; the schema version is ``"schema": 2``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["SUFFIX", "file_digest", "git_state", "read_sidecar", "sidecar_path", "write_sidecar"]

SCHEMA_VERSION = 2
#: What a sidecar's name adds to the name of the file it describes.
SUFFIX = ".provenance.json"


def sidecar_path(path: str | Path) -> Path:
    """The sidecar of ``path``: the same name with ``.provenance.json`` appended.

    Examples
    --------
    >>> sidecar_path("out/sweep.csv").name
    'sweep.csv.provenance.json'
    >>> sidecar_path("audit.json").name
    'audit.json.provenance.json'
    """
    path = Path(path)
    return path.with_name(path.name + SUFFIX)


def file_digest(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in blocks so that large outputs stay out of memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def git_state() -> dict[str, Any]:
    """``{"git_commit": sha, "git_dirty": bool}`` when ``deterrence`` runs from a git checkout, else ``{}``.

    The checkout must be the one the package lives in (its top level holds the ``deterrence``
    folder); an installed copy inside some other repository records nothing.  Asked once per
    process; a missing ``git`` program records nothing.

    Examples
    --------
    >>> state = git_state()
    >>> state == {} or (len(state["git_commit"]) == 40 and isinstance(state["git_dirty"], bool))
    True
    """
    import subprocess

    package = Path(__file__).resolve().parents[1]

    def git(*words: str) -> str:
        return subprocess.run(
            ["git", "-C", str(package.parent), *words], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    try:
        if Path(git("rev-parse", "--show-toplevel")).resolve() != package.parent:
            return {}
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return {}
    return {"git_commit": commit, "git_dirty": dirty} if len(commit) == 40 else {}


def _scipy_version() -> str | None:
    """scipy's version, without importing scipy when nothing has (a sweep need not load it)."""
    if "scipy" in sys.modules:
        return str(sys.modules["scipy"].__version__)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scipy")
    except PackageNotFoundError:
        return None


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
    scenario: Any = None,
    timings: Mapping[str, float] | None = None,
    extra: Mapping[str, Any] | None = None,
    sha256: str | None = None,
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
        The root seed, when the output depends on random draws; None (nothing random) writes
        no ``seed`` field.
    design : Design, mapping or None
        The sampling design (anything with ``to_dict()``, or a dict).
    scenario : str, mapping or None
        The scenario file or name (or a record of it) the values came from.
    timings : mapping, optional
        ``{stage: seconds}`` of the run.
    extra : mapping, optional
        Further JSON-ready fields, merged at the top level.
    sha256 : str, optional
        The file's SHA-256 when the caller computed it while writing the file (a sweep hashes
        its table as it streams it); otherwise the file is read and hashed here.

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
    ...                      parameters=ParameterSet([Parameter("a", 1, 0, 2)]), timings={"run": 0.5})
    >>> side.name
    't.csv.provenance.json'
    >>> record = json.loads(side.read_text())
    >>> record["seed"], record["parameters"][0]["high"], record["output"]["bytes"], record["timings"]
    (3, 2.0, 4, {'run': 0.5})
    >>> record["output"]["sha256"] == file_digest(folder / "t.csv")
    True
    >>> "seed" in json.loads(write_sidecar(folder / "t.csv", command="deterrence solve pd").read_text())
    False
    """
    import numpy

    from deterrence import __version__

    path = Path(path)
    if command is None:
        command = sys.argv
    record: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "version": __version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": _scipy_version(),
        **git_state(),
        "command": command if isinstance(command, str) else " ".join(str(c) for c in command),
        "scenario": _jsonable(scenario),
        "parameters": _parameter_records(parameters),
        "design": design.to_dict() if hasattr(design, "to_dict") else _jsonable(design),
    }
    if seed is not None:
        record["seed"] = seed
    if timings is not None:
        record["timings"] = {str(k): round(float(v), 6) for k, v in timings.items()}
    if path.exists():
        record["output"] = {
            "file": path.name,
            "bytes": path.stat().st_size,
            "sha256": sha256 or file_digest(path),
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

    A file written before sidecars were named ``FILE.provenance.json`` has its old one,
    ``FILE.json``, read instead.

    Raises
    ------
    DeterrenceError
        If the sidecar is missing or is not valid JSON.
    """
    from deterrence.errors import DeterrenceError

    path = Path(path)
    side = path if path.name.endswith(SUFFIX) else sidecar_path(path)
    legacy = path.with_name(path.name + ".json")  # the name before schema 2 (``sweep.csv.json``)
    if not side.exists() and not path.name.endswith(SUFFIX) and legacy.exists():
        side = legacy
    try:
        return json.loads(side.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeterrenceError(f"no provenance sidecar {side} next to {path}") from None
    except json.JSONDecodeError as error:
        raise DeterrenceError(f"sidecar {side} is not valid JSON: {error}") from None
