"""The ``plot`` command: a regime map or a line plot from a sweep table and its sidecar.

Two varied parameters give a regime map (:func:`deterrence.plotting.draw_regime_map`) with the
analytic boundaries :func:`deterrence.analysis.thresholds.find_thresholds` finds, one parameter
gives the measures against it.  ``deterrence sweep --plot`` calls :func:`plot_file` too.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from deterrence.cli.options import add_command_parser
from deterrence.cli.registry import command
from deterrence.cli.study import command_line, save_figure
from deterrence.errors import DeterrenceError

__all__ = ["add_plot", "plot_file"]

EPILOG = """\
examples:
  deterrence plot chicken.csv -o regimes.pdf                  (two grid parameters: regime map)
  deterrence plot chicken.csv -o regimes.pdf --measure p_firm (with contours of a measure)
  deterrence plot line.csv -o line.svg                        (one parameter: measures against it)
"""


def plot_file(
    table: Path,
    figure: Path,
    x: str | None,
    y: str | None,
    measure: str | None,
    boundaries: bool,
    command: str,
) -> None:
    """Draw the sweep ``table`` to ``figure``: a regime map (two axes) or a line plot (one axis).

    The axes default to the sweep's varied parameters (from its sidecar); ``boundaries`` adds the
    analytic thresholds of the model named in the sidecar, when it is installed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from deterrence.io.provenance import read_sidecar

    if not table.exists():
        raise DeterrenceError(f"no such sweep file: {table}")
    meta = read_sidecar(table)
    frame = pd.read_csv(table) if table.suffix.lower() == ".csv" else pd.read_parquet(table)
    varied = list(meta.get("design", {}).get("names", []))
    names = [n for n in (x, y) if n] or varied
    for name in names:
        if name not in frame.columns:
            flag = "--x" if name == x else "--y" if name == y else "the sweep's varied parameter"
            constant = meta.get("constants", {})
            why = f" ({name} = {constant[name]} throughout, see the sidecar)" if name in constant else ""
            raise DeterrenceError(
                f"{flag} {name!r}: {table} has no such column{why}; its columns are "
                + ", ".join(map(str, frame.columns))
            )
    model = None
    try:
        from deterrence.library import get_model

        model = get_model(meta.get("model", ""))
    except (DeterrenceError, ImportError):
        pass
    if len(names) == 2:
        from deterrence.analysis.regimes import regime_map_from_frame

        rmap = regime_map_from_frame(frame, names[0], names[1])
        base = {p["name"]: p.get("default") for p in meta.get("parameters", [])}
        base.update(meta.get("baseline", {}))
        rmap = dataclasses.replace(
            rmap,
            baseline={k: v for k, v in base.items() if k not in names},
            model=meta.get("model", ""),
        )
        curves = _boundaries(model, rmap) if boundaries and model is not None else {}
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(10.0, 6.0), layout="constrained")  # room for two-line axis labels
        labels = {"xlabel": _label(names[0], meta, model), "ylabel": _label(names[1], meta, model)}
        ax = rmap.plot(ax=ax, boundaries=curves, **labels)
        if measure:
            if measure not in rmap.measures:
                raise DeterrenceError(f"unknown measure {measure!r}; numeric columns: {', '.join(rmap.measures)}")
            lines = ax.contour(
                rmap.x_values,
                rmap.y_values,
                rmap.measures[measure].astype(float),
                colors="0.2",
                linewidths=0.8,
            )
            ax.clabel(lines, fontsize=7)
            ax.set_title(f"contours: {measure}", fontsize=9)
    elif len(names) == 1:
        ax = _line_plot(frame, names[0], measure)
        ax.set_xlabel(_label(names[0], meta, model))
    else:
        raise DeterrenceError(f"cannot choose axes: the sweep varies {varied}; give --x and --y")
    save_figure(ax, figure, model, meta.get("seed"), {"table": str(table)}, command)


def _label(name: str, meta: dict[str, Any], model: Any) -> str:
    """The axis label of parameter ``name``: its meaning and unit (from the sidecar, else the model), then the name."""
    from types import SimpleNamespace

    from deterrence.plotting.figures import parameter_label

    for record in meta.get("parameters", []) or []:
        if isinstance(record, dict) and record.get("name") == name and (record.get("meaning") or record.get("unit")):
            return parameter_label(SimpleNamespace(name=name, meaning=record.get("meaning"), unit=record.get("unit")))
    parameters = getattr(model, "parameters", None)
    if parameters is not None:
        try:
            return parameter_label(parameters[name])
        except (KeyError, DeterrenceError):
            pass
    return name


def _boundaries(model: Any, rmap: Any) -> dict[str, Any]:
    """Analytic boundaries: the thresholds of y (at the middle of x) that have a formula."""
    from deterrence.analysis.thresholds import find_thresholds

    middle = float(rmap.x_values[len(rmap.x_values) // 2])
    found = find_thresholds(
        model,
        rmap.y,
        low=float(rmap.y_values[0]),
        high=float(rmap.y_values[-1]),
        baseline={**rmap.baseline, rmap.x: middle},
        n=201,
    )
    # Legend entries stay short (the whole formula would push the axes off the figure); the sweep's
    # thresholds command prints the formulas.
    shown = [t for t in found if t.formula is not None]
    return {f"analytic threshold{f' {k}' if len(shown) > 1 else ''} in {rmap.y}": t for k, t in enumerate(shown, 1)}


def _line_plot(frame: Any, name: str, measure: str | None) -> Any:
    import matplotlib.pyplot as plt
    import numpy as np

    from deterrence.plotting.figures import PALETTE, place_legend

    frame = frame.sort_values(name)
    skip = {name, "outcome", "concept", "method", "seed", "version"}
    numeric = [c for c in frame.columns if c not in skip and frame[c].dtype.kind in "biuf" and frame[c].nunique() > 1]
    columns = [measure] if measure else numeric
    if measure and measure not in numeric:
        raise DeterrenceError(f"unknown measure {measure!r}; numeric columns: {', '.join(numeric)}")
    _, ax = plt.subplots(figsize=(9.0, 4.8), layout="constrained")
    for k, column in enumerate(columns):
        ax.plot(frame[name], frame[column].astype(float), color=PALETTE[k % len(PALETTE)], label=column)
    x, labels = frame[name].to_numpy(float), frame["outcome"].to_numpy(str)
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(x) - 1
        ax.axvspan(x[s], x[e], color="0.5", alpha=0.08 * (k % 2 + 1), lw=0)
        ax.text(
            (x[s] + x[e]) / 2,
            1.01,
            labels[s],
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=6,
            rotation=20,
        )
    ax.set_xlabel(name)
    ax.set_ylabel("value of each measure (its own unit)" if len(columns) > 1 else columns[0])
    place_legend(ax)  # right of the axes: it covers no data
    return ax


def _cmd_plot(args: argparse.Namespace) -> int:
    plot_file(
        Path(args.table),
        Path(args.output),
        args.x,
        args.y,
        args.measure,
        not args.no_boundaries,
        command_line(args),
    )
    if not args.quiet:
        print(f"wrote {args.output}")
    return 0


@command("plot", order=43)
def add_plot(sub: Any) -> None:
    """Add the ``plot`` command."""
    p = add_command_parser(
        sub,
        "plot",
        help="draw a regime map or line plot from a sweep file",
        description="Make a figure from a sweep table (and its JSON sidecar): a regime map "
        "with analytic boundaries for two grid parameters, or the measures "
        "against one parameter.",
        epilog=EPILOG,
    )
    p.add_argument("table", metavar="SWEEP", help="a .csv or .parquet file written by 'deterrence sweep'")
    p.add_argument("-o", "--output", required=True, metavar="FIG", help="figure file (.pdf, .svg, .png)")
    p.add_argument("--x", help="horizontal parameter (default: the sweep's first)")
    p.add_argument("--y", help="vertical parameter (default: the sweep's second)")
    p.add_argument("--measure", help="contours (maps) or the only line (1-D) of this measure")
    p.add_argument("--no-boundaries", action="store_true", help="do not draw analytic boundaries")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(handler=_cmd_plot)
