"""The Iran-Pakistan report: every form solved, the C1 threshold, the argument audit.

:func:`build_report` rebuilds the analysis of the USIP argument (January
2024; claims C1-C12 of docs/argument.md) at one calibration and writes, under one
directory:

* ``report.md`` (and ``report.html``, a self-contained conversion with the
  figures inlined): the calibration, the matrix form's Nash equilibria (the
  game is degenerate; the absorb component rests on a non-credible Iranian
  threat, as in Selten's (1975) entry game), the sequential form's
  subgame-perfect equilibrium and its path, the Bayesian form's perfect
  Bayesian equilibrium, the pre-strike form's equilibria (C12), the C1
  threshold as text and LaTeX, the audit table of C1-C12, the twelve
  comparative-static sign targets and the figures;
* ``audit.csv``, ``audit.json`` (the ``deterrence audit --format json``
  schema) and ``sign_targets.csv``;
* ``figures/*.png`` and ``*.pdf`` (:mod:`.figures`);
* a JSON provenance sidecar beside every file
  (:func:`deterrence.io.provenance.write_sidecar`: version, command, parameters,
  seed -- always None, nothing here is random -- and the scenario).

Nothing is hard-coded: every number in the text is read off the solvers.
The sections are written by :mod:`.sections`; the HTML conversion is
:func:`deterrence.io.markdown.markdown_to_html`.  Every file is written
atomically (:func:`deterrence.io.atomic.atomic_write`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deterrence.errors import DeterrenceError
from deterrence.io.atomic import atomic_write
from deterrence.io.markdown import markdown_to_html
from deterrence.io.tables import format_value
from games.iran_pakistan import figures as fig
from games.iran_pakistan import sections
from games.iran_pakistan.analysis import CHOICES, solve_continuation
from games.iran_pakistan.claims import audit
from games.iran_pakistan.forms import values_for
from games.iran_pakistan.parameters import PARAMETERS

__all__ = ["ReportResult", "build_report"]


@dataclass(frozen=True, eq=False)
class ReportResult:
    """What :func:`build_report` wrote: paths, and the verdicts for a summary."""

    output_dir: Path
    report: Path
    html: Path | None
    tables: dict[str, Path]
    figures: tuple[Path, ...]
    sidecars: tuple[Path, ...]
    statuses: dict[str, str] = field(default_factory=dict)
    summary: str = ""


def _figures(v: dict[str, Any], out: Path, n: int, sidecar: Callable[..., Path]) -> tuple[list[str], list[Path]]:
    """Compute, draw and save the figures; return the Markdown section and the written paths."""
    folder = out / "figures"
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise DeterrenceError(f"cannot write to {folder}: {error.strerror or error}") from None
    specs = [
        (
            "belief_simplex",
            "C10",
            "Pakistan's optimal response over its belief about Iran's motive",
            lambda ax: fig.plot_map(fig.belief_map(v, n), ax, baseline=v),
            None,
        ),
        (
            "regime_india",
            "C4",
            "Bayesian outcome over India's two channels (emboldening and second front)",
            lambda ax: fig.plot_map(fig.outcome_map(v, "india_emboldening", "india_second_front", n), ax, baseline=v),
            None,
        ),
        (
            "regime_china_us",
            "C8, C9",
            "Bayesian outcome over Chinese mediation and US pressure on Iran",
            lambda ax: fig.plot_map(fig.outcome_map(v, "china_mediation", "us_pressure_on_iran", n), ax, baseline=v),
            None,
        ),
        (
            "tornado",
            "C4, C8, C9",
            "Swings of Pakistan's retaliation margin and of Iran's escalation probability "
            "over the third-party parameters",
            None,
            max(11, n // 3),
        ),
    ]
    lines, paths = ["## 6. Figures", ""], []
    for stem, claims, caption, draw, swing_n in specs:
        if draw is not None:
            figure, ax = fig.new_axes()
            data = None
            draw(ax)
        else:
            figure, (left, right) = fig.new_axes((12.0, 4.8), ncols=2)
            margin = fig.swings(v, measure="retaliation_margin", n=swing_n)
            escalation = fig.swings(v, measure="p_escalate", n=swing_n)
            fig.plot_swings(margin, left, label="retaliation margin")
            fig.plot_swings(escalation, right, label="Pr(Iran escalates) on the path")
            data = {"retaliation_margin": margin, "p_escalate": escalation}
        written = []
        for ext in ("png", "pdf"):
            path = folder / f"{stem}.{ext}"
            buffer = io.BytesIO()
            figure.savefig(buffer, format=ext, dpi=150)
            atomic_write(path, buffer.getvalue())
            written.append(path)
            paths.append(path)
            paths.append(
                sidecar(path, {"figure": stem, "claims": claims, "caption": caption, "grid": n, "swings": data})
            )
        lines += [
            f"**Figure: {caption}** ({claims})",
            "",
            f"![{caption}](figures/{stem}.png)",
            "",
            f"[PDF](figures/{stem}.pdf)",
            "",
        ]
    return lines, paths


def build_report(
    values: Mapping[str, Any] | None = None,
    *,
    output_dir: str | Path,
    scenario_name: str = "baseline",
    scenario_description: str = "",
    overrides: Mapping[str, Any] | None = None,
    command: str | Sequence[str] | None = None,
    n: int = 121,
    html: bool = False,
    progress: Any = None,
) -> ReportResult:
    """Rebuild the Iran-Pakistan analysis at a calibration and write it under ``output_dir``.

    Parameters
    ----------
    values : mapping, optional
        Parameter values (scenario and overrides merged); defaults fill the rest.
    output_dir : str or Path
        Directory to write into (created if missing).
    scenario_name, scenario_description : str
        How the calibration is named in the report and the sidecars.
    overrides : mapping, optional
        The values set on the command line, listed separately in the report.
    command : str or sequence of str, optional
        The command recorded in the sidecars.
    n : int
        Grid points per axis of the maps (at most 121 keeps the report fast).
    html : bool
        Also write ``report.html``.
    progress : object with ``update(k)``, optional
        A progress bar (:func:`deterrence.progress.progress_bar`), advanced per stage.

    Returns
    -------
    ReportResult

    Raises
    ------
    DeterrenceError
        For an invalid calibration or an unwritable directory.

    Examples
    --------
    A full build takes some seconds (the audit and the figures), so this
    example shows only the argument check; ``tests/test_report.py`` runs it:

    >>> import tempfile
    >>> build_report(output_dir=tempfile.mkdtemp(), n=1)
    Traceback (most recent call last):
    ...
    deterrence.errors.DeterrenceError: grid size must be between 3 and 401 points per axis, got 1

    >>> r = build_report(output_dir="report", n=21)  # doctest: +SKIP
    >>> r.report.name, r.statuses["C2"], len(r.figures)  # doctest: +SKIP
    ('report.md', 'confirmed', 8)
    """
    from deterrence import __version__
    from deterrence.io.provenance import write_sidecar
    from games.iran_pakistan.statics import sign_targets

    v = values_for(dict(values or {}))
    if not 3 <= int(n) <= 401:  # noqa: SIM300 - a range check reads best this way
        raise DeterrenceError(f"grid size must be between 3 and 401 points per axis, got {n}")
    out = Path(output_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".deterrence-write-test"
        probe.write_text("")  # fail before the seconds of work, not after (a probe, not an output)
        probe.unlink()
    except OSError as error:
        raise DeterrenceError(f"cannot write to {out}: {error.strerror or error}") from None
    step = progress.update if progress is not None else (lambda k=1: None)
    scenario = {
        "name": scenario_name,
        "description": scenario_description,
        "overrides": {k: format_value(x) for k, x in (overrides or {}).items()},
    }
    parameters = [{**p.to_dict(), "value": v[p.name]} for p in PARAMETERS]

    def sidecar(path: Path, extra: dict[str, Any] | None = None) -> Path:
        return write_sidecar(
            path,
            command=command,
            parameters=parameters,
            seed=None,
            design={"kind": "report", "grid": int(n)},
            extra={"scenario": scenario, "model": "iran-pakistan", **(extra or {})},
        )

    rows = audit(v)
    step(1)
    targets = sign_targets(v)
    step(1)
    made_by = command if isinstance(command, str) else " ".join(command or ["build_report()"])
    lines = [
        "# The January 2024 Iran-Pakistan strikes: baseline analysis",
        "",
        f"Built by `deterrence` {__version__} (`{made_by}`). "
        "Source of the argument: USIP analysis, January 2024 (claims C1-C12 of docs/argument.md). "
        "Every equilibrium below is verified; exact arithmetic unless stated.",
        "",
    ]
    lines += sections.calibration(v, scenario_name, scenario_description, overrides or {})
    lines += ["## 2. The forms solved", ""]
    lines += sections.matrix(v) + sections.sequential(v) + sections.bayesian(v) + sections.prestrike(v)
    step(1)
    lines += sections.threshold(v, rows[0]) + sections.audit_section(rows) + sections.statics_section(targets)
    figure_lines, figure_paths = _figures(v, out, int(n), sidecar)
    step(1)
    lines += figure_lines
    tables = _write_tables(out, rows, targets)
    lines += ["## 7. Files", ""] + [f"- [{p.name}]({p.name}) (provenance: {p.name}.json)" for p in tables.values()]
    report = out / "report.md"
    atomic_write(report, "\n".join(lines) + "\n")
    sidecars = [sidecar(p, {"table": name}) for name, p in tables.items()] + [sidecar(report)]
    html_path = None
    if html:
        html_path = out / "report.html"
        atomic_write(html_path, markdown_to_html(report.read_text(encoding="utf-8"), base=out))
        sidecars.append(sidecar(html_path))
    step(1)
    statuses = {r.claim: r.status for r in rows}
    counts = {s: sum(1 for x in statuses.values() if x == s) for s in dict.fromkeys(statuses.values())}
    bayes = solve_continuation(v)
    summary = (
        f"scenario {scenario_name}: Pakistan's response {CHOICES[int(bayes['choice'][0])]}, "
        f"Pr(Iran escalates) {float(bayes['p_escalate'][0]):.3g}; claims "
        + ", ".join(f"{k} {s}" for s, k in counts.items())
    )
    return ReportResult(
        out,
        report,
        html_path,
        tables,
        tuple(p for p in figure_paths if p.suffix != ".json"),
        tuple(sidecars) + tuple(p for p in figure_paths if p.suffix == ".json"),
        statuses,
        summary,
    )


def _write_tables(out: Path, rows: list[Any], targets: list[Any]) -> dict[str, Path]:
    import csv

    paths = {
        "audit_csv": out / "audit.csv",
        "audit_json": out / "audit.json",
        "sign_targets_csv": out / "sign_targets.csv",
    }
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(["claim", "status", "summary", "region"])
    writer.writerows([r.claim, r.status, r.summary, r.region] for r in rows)
    atomic_write(paths["audit_csv"], handle.getvalue())
    atomic_write(paths["audit_json"], json.dumps([r.to_dict() for r in rows], indent=2) + "\n")
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(["row", "statement", "parameters", "predicted_sign", "measure", "status", "evidence"])
    writer.writerows(
        [t.row, t.statement, " ".join(t.parameters), t.predicted_sign, t.measure, t.status, t.evidence] for t in targets
    )
    atomic_write(paths["sign_targets_csv"], handle.getvalue())
    return paths
