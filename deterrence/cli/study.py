"""What the study commands (``sweep``, ``sensitivity``, ``thresholds``, ``plot``) share.

The model and its ``--set``/``--scenario`` values, counts and seeds read from the command line,
the command line rebuilt for a sidecar, and the writing of tables and figures with their
provenance sidecars.  Every file goes through :func:`deterrence.io.atomic.atomic_write`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from deterrence.errors import DeterrenceError

__all__ = [
    "add_common",
    "command_line",
    "count",
    "load_model",
    "save_figure",
    "seed",
    "vary",
    "write_table",
]


def count(text: Any, flag: str) -> int:
    """A whole number >= 1 from ``text``, or a one-line error naming ``flag``."""
    try:
        value = int(str(text))
    except ValueError:
        raise DeterrenceError(f"{flag} must be a whole number, got {text!r}") from None
    if value < 1:
        raise DeterrenceError(f"{flag} must be at least 1, got {value}")
    return value


def command_line(args: argparse.Namespace) -> str:
    """The command line rebuilt from the parsed arguments (``main`` may get any argv)."""
    import shlex

    flags = {"assignments": "--set"}
    skip = {"handler", "command", "model", "table"}
    parts = [
        "deterrence",
        args.command,
        *(str(getattr(args, k)) for k in ("model", "table") if hasattr(args, k)),
    ]
    for key, value in vars(args).items():
        if key in skip or value is None or value is False or value == []:
            continue
        flag = flags.get(key, "--" + key.replace("_", "-"))
        for item in value if isinstance(value, list) else [value]:
            parts += [flag] if item is True else [flag, str(item)]
    return shlex.join(parts)


def load_model(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The model named on the command line (it must have batched outcomes) and its values."""
    from deterrence.cli.options import model_values
    from deterrence.library import get_model

    model = get_model(args.model)
    if model.outcomes is None:
        raise DeterrenceError(f"model {model.slug!r} has no batched outcomes to sweep")
    if getattr(args, "concept", None):
        model.resolve_concept(args.concept)
    return model, model_values(model, args)


def vary(model: Any, specs: list[str], fixed: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """``{name: (low, high)}`` from ``--vary NAME[=LOW:HIGH]`` options, none also fixed."""
    from deterrence.sweeps.designs import parse_range

    box: dict[str, tuple[float, float]] = {}
    for text in specs:
        name, low, high, _ = parse_range(text, model.parameters, with_count=False)
        if name in box:
            raise DeterrenceError(f"parameter {name!r} is varied twice")
        box[name] = (low, high)
    clash = sorted(set(box) & set(fixed))
    if clash:
        raise DeterrenceError(f"parameter {clash[0]!r} is both varied and fixed by --set/--scenario")
    return box


def seed(args: argparse.Namespace, output: Path | None = None, *, draw: bool = True) -> int | None:
    """--seed, else the seed of the run being resumed, else a fresh one (``draw``) or None.

    A deterministic design (a grid) passes ``draw=False``: it records no seed unless given one,
    so that two identical runs write identical tables.
    """
    from deterrence.sweeps.store import read_manifest

    if args.seed is not None:
        try:
            value = int(str(args.seed))
        except ValueError:
            value = -1
        if not 0 <= value < 1 << 63:  # the table's seed column is a 64-bit integer
            raise DeterrenceError(f"--seed must be a non-negative whole number below 2**63, got {args.seed!r}")
        return value
    if output is not None and getattr(args, "resume", False):
        manifest = read_manifest(output)
        if manifest and manifest.get("design", {}).get("seed") is not None:
            return int(manifest["design"]["seed"])
    if not draw:
        return None
    import secrets

    return secrets.randbits(63)


def add_common(p: argparse.ArgumentParser, concept: bool = True) -> None:
    """The model argument, ``--set``/``--scenario``, ``--concept`` and ``-q``."""
    from deterrence.cli.options import add_model_options

    p.add_argument("model", metavar="SLUG", help="a model from 'deterrence list'")
    add_model_options(p)
    if concept:
        p.add_argument(
            "--concept",
            metavar="NAME",
            help="solution concept, one the model lists in 'deterrence show SLUG' (default: the model's first)",
        )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")


def write_table(frame: Any, path: Path, model: Any, seed: Any, extra: dict[str, Any], command: str) -> None:
    """Write a result table (.csv, .parquet or .json) and its sidecar."""
    import io

    from deterrence.io.atomic import atomic_write

    suffix = path.suffix.lower()
    if suffix == ".csv":
        data: str | bytes = frame.to_csv(None, index=False)
    elif suffix in (".parquet", ".pq"):
        buffer = io.BytesIO()
        try:
            frame.to_parquet(buffer, index=False)
        except ImportError:
            from deterrence.sweeps.executors import MissingExtraError

            raise MissingExtraError("Parquet output needs pyarrow: pip install 'deterrence[parquet]'") from None
        data = buffer.getvalue()
    elif suffix == ".json":
        data = frame.to_json(orient="records", indent=2) + "\n"
    else:
        raise DeterrenceError(f"cannot tell the format of {path.name!r}: use .csv, .parquet or .json")
    atomic_write(path, data)
    _sidecar(path, model, seed, extra, command)


def _sidecar(path: Path, model: Any, seed: Any, extra: dict[str, Any], command: str) -> None:
    from deterrence.io.provenance import write_sidecar

    write_sidecar(
        path,
        command=command,
        parameters=getattr(model, "parameters", None),
        seed=seed,
        design=None,
        extra={"model": getattr(model, "slug", None), **extra},
    )


def save_figure(ax: Any, path: Path, model: Any, seed: Any, extra: dict[str, Any], command: str) -> None:
    """Save the figure of ``ax`` to ``path`` (format from the suffix) and its sidecar."""
    import io

    import matplotlib.pyplot as plt

    from deterrence.io.atomic import atomic_write

    figure = ax.figure
    buffer = io.BytesIO()
    try:
        figure.savefig(buffer, format=path.suffix.lstrip(".").lower() or None)
    except ValueError as error:  # unknown extension
        raise DeterrenceError(f"cannot save figure {path.name!r}: {error}") from None
    finally:
        plt.close(figure)
    atomic_write(path, buffer.getvalue())
    _sidecar(path, model, seed, extra, command)
