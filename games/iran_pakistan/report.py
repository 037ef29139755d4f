"""The Iran-Pakistan report: every form solved, the C1 threshold, the argument audit, the charts.

:func:`build_report` rebuilds the analysis of the USIP argument (January 2024; claims C1-C12
of docs/argument.md) at one calibration and writes, under one directory:

* ``report.md`` and ``report.html`` (self-contained and offline: figures inlined as base64 PNG,
  formulas rendered to inline SVG, nothing fetched): the calibration and its derived costs
  (P, C_P, k_K', k_X', R_I, W_I); the matrix form as a payoff table and its Nash equilibria
  (components numbered from 1); the tree as a figure and its subgame-perfect equilibrium; the
  Bayesian form's and the two-sided pre-strike game's perfect Bayesian equilibria, mixing
  included; the reputation form solved by the engine's PBE solver with C1's derived threshold;
  the agent QRE's smooth probabilities (:mod:`.report_forms`); the C1 threshold formulas; the
  audit table of C1-C12 (status, generated summary, region, robustness shares confirmed and held in
  the uniform and +-50% boxes, refuting example; definitional rows explained) and "what would change the
  conclusion" (:mod:`.report_audit`); the twelve comparative-static sign targets with their
  regime and QRE readings; the figures;
* ``figures/*.png`` and ``*.svg`` (:mod:`.report_figures`): the tree, the belief plot for C10,
  regime maps over the China, US and India parameters, tornado and Sobol' charts for Pakistan's
  retaliation margin and Iran's escalation, and the claims' robustness with their deciding
  parameters;
* ``tables/*.csv`` (and ``*.parquet`` when pyarrow is present) and ``audit.json``
  (:mod:`.report_files`);
* ``latex/``: an ``sgame`` matrix, an ``istgame`` tree, the threshold formulas, a ``booktabs``
  audit table and ``report.tex`` that compiles them;
* beside every file its provenance sidecar ``FILE.provenance.json``
  (:func:`deterrence.io.provenance.write_sidecar`: version, git commit, command, scenario,
  parameters, timings, the file's SHA-256; the seed only for the files that depend on the
  report's random draws: the Sobol' chart, the robustness sample -- the audit files and figure --
  and report.md/.html).

The report is built in a hidden temporary directory next to the target and renamed into place
at the end, so an interrupted or failed run leaves the previous report (or nothing), never a
half-written directory that looks complete.  Every number in the text is read off the solvers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.io.atomic import atomic_write
from deterrence.io.markdown import markdown_to_html
from deterrence.io.tables import format_value
from games.iran_pakistan import sections

__all__ = ["STAGES", "ReportResult", "build_report"]

#: The stages of a build, in order (one progress step each; the sidecars' ``timings`` keys).
STAGES = (
    "audit",
    "robustness",
    "sign targets",
    "forms",
    "reputation",
    "tree",
    "maps",
    "tornado",
    "sobol",
    "tables",
    "report",
)
#: Default base size of the audit's robustness sample per box (``--robustness``; 0 skips it).
ROBUSTNESS_N = 128


@dataclass(frozen=True, eq=False)
class ReportResult:
    """What :func:`build_report` wrote: paths (in the final directory), verdicts, a summary line."""

    output_dir: Path
    report: Path
    html: Path | None
    tables: dict[str, Path]
    figures: tuple[Path, ...]
    sidecars: tuple[Path, ...]
    statuses: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    latex: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _check_target(out: Path) -> None:
    """Refuse a target whose replacement would delete files that are not an earlier report."""
    if out.exists() and not out.is_dir():
        raise DeterrenceError(f"cannot write to {out}: it is a file, not a directory")
    if out.is_dir():
        if out.resolve() == Path.cwd().resolve():
            raise DeterrenceError("the report replaces its whole directory: give -o a directory of its own, not .")
        if any(out.iterdir()) and not (out / "report.md").exists():
            raise DeterrenceError(
                f"{out} holds files that are not a report; the report replaces its whole directory, "
                "so give -o a new directory (or an earlier report's)"
            )


def _workspace(out: Path) -> Path:
    """A hidden temporary directory next to ``out``, with an ordinary directory's permissions."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    except OSError as error:
        raise DeterrenceError(f"cannot write to {out}: {error.strerror or error}") from None
    umask = os.umask(0)
    os.umask(umask)
    work.chmod(0o777 & ~umask)
    return work


def _swap(work: Path, out: Path) -> None:
    """Rename the finished ``work`` to ``out``; an earlier report there is removed only afterwards."""
    old = None
    try:
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.rename(out, old)
        try:
            os.rename(work, out)
        except OSError:
            if old is not None:
                os.rename(old, out)
                old = None
            raise
    except OSError as error:
        raise DeterrenceError(f"cannot write to {out}: {error.strerror or error}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_report(
    values: Mapping[str, Any] | None = None,
    *,
    output_dir: str | Path,
    scenario_name: str = "baseline",
    scenario_description: str = "",
    scenario_file: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    command: str | Sequence[str] | None = None,
    n: int = 121,
    sobol_n: int = 512,
    html: bool = True,
    progress: Any = None,
    robustness_n: int = ROBUSTNESS_N,
    seed: int | None = None,
) -> ReportResult:
    """Rebuild the Iran-Pakistan analysis at a calibration and write it under ``output_dir``.

    Parameters
    ----------
    values : mapping, optional
        Parameter values (scenario and overrides merged); defaults fill the rest.
    output_dir : str or Path
        The report's directory.  It is replaced as a whole at the end; it must be new, empty or
        an earlier report's.
    scenario_name, scenario_description : str
        How the calibration is named in the report and the sidecars.
    scenario_file : str, optional
        The ``--scenario`` argument, recorded in the sidecars.
    overrides : mapping, optional
        The values set on the command line, listed separately in the report.
    command : str or sequence of str, optional
        The command recorded in the sidecars.
    n : int
        Grid points per axis of the maps (3 to 401; 121 keeps the report well under a minute).
    sobol_n : int
        Base sample size of the Sobol' indices (a power of two).
    html : bool
        Also write ``report.html``.
    progress : object with ``update(k)``, optional
        A progress bar (:func:`deterrence.progress.progress_bar`) advanced once per stage of :data:`STAGES`.
    robustness_n : int
        Base size ``N`` of the audit's robustness sample per box (a power of two, as
        ``deterrence audit --robustness N``); 0 skips it.
    seed : int, optional
        Seed of the report's random draws, the robustness sample and the Sobol' chart
        (default :data:`~games.iran_pakistan.report_figures.SOBOL_SEED`).

    Returns
    -------
    ReportResult

    Raises
    ------
    DeterrenceError
        For an invalid calibration, a bad grid size or an unwritable directory.

    Examples
    --------
    A full build takes some seconds, so this example shows only the argument check;
    ``tests/test_report.py`` builds reports:

    >>> import tempfile
    >>> build_report(output_dir=tempfile.mkdtemp(), n=1)
    Traceback (most recent call last):
    ...
    deterrence.errors.DeterrenceError: grid size must be between 3 and 401 points per axis, got 1
    """
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.report_figures import SOBOL_SEED
    from games.iran_pakistan.robustness import check_n

    v = values_for(dict(values or {}))
    if not 3 <= int(n) <= 401:  # noqa: SIM300 - a range check reads best this way
        raise DeterrenceError(f"grid size must be between 3 and 401 points per axis, got {n}")
    draws = (0 if int(robustness_n) == 0 else check_n(robustness_n), SOBOL_SEED if seed is None else int(seed))
    out = Path(output_dir)
    _check_target(out)
    work = _workspace(out)
    try:
        scenario = (scenario_name, scenario_description, scenario_file, overrides)
        result = _build(v, work, out, *scenario, command, int(n), int(sobol_n), html, progress, draws)
        _swap(work, out)
    except DeterrenceError as error:
        raise DeterrenceError(str(error).replace(str(work), str(out))) from None
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return result


def _build(
    v: dict[str, Any],
    work: Path,
    out: Path,
    scenario_name: str,
    scenario_description: str,
    scenario_file: str | None,
    overrides: Mapping[str, Any] | None,
    command: str | Sequence[str] | None,
    n: int,
    sobol_n: int,
    html: bool,
    progress: Any,
    draws: tuple[int, int] = (0, 0),
) -> ReportResult:
    """Build the report into ``work``; the result names the paths they will have under ``out``.

    ``draws`` is ``(robustness N, seed)``: the robustness sample (skipped for N = 0) and the
    Sobol' chart both draw from the seed.
    """
    from deterrence import __version__
    from games.iran_pakistan import report_audit, report_figures, report_forms
    from games.iran_pakistan.analysis import CHOICES, solve_continuation
    from games.iran_pakistan.claims import audit
    from games.iran_pakistan.figures import switches
    from games.iran_pakistan.parameters import PARAMETERS
    from games.iran_pakistan.report_files import write_latex, write_tables
    from games.iran_pakistan.statics import sign_targets

    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def tick(stage: str) -> None:
        now = time.perf_counter()
        timings[stage] = now - clock[0]
        clock[0] = now
        if progress is not None:
            if hasattr(progress, "set_postfix_str"):
                progress.set_postfix_str(stage)
            progress.update(1)

    rows = audit(v)
    tick("audit")
    robust_n, seed = draws
    robust = None
    if robust_n:
        from games.iran_pakistan.robustness import default_status, robustness

        robust = robustness(default_status(), robust_n, seed, calibration=v)
    tick("robustness")
    with np.errstate(divide="ignore", invalid="ignore"):  # a derivative's 0/0 at a range's end is reported, not warned
        targets = sign_targets(v)
    tick("sign targets")
    made_by = command if isinstance(command, str) else " ".join(command or ["build_report()"])
    lines = [
        "# The January 2024 Iran-Pakistan strikes: "
        + ("baseline analysis" if scenario_name == "baseline" else f"analysis under the scenario {scenario_name}"),
        "",
        f"Built by `deterrence` {__version__} (`{made_by}`). "
        "Source of the argument: USIP analysis, January 2024 (claims C1-C12 of docs/argument.md). "
        "Every equilibrium below is verified; exact arithmetic unless stated.",
        "",
    ]
    lines += sections.calibration(v, scenario_name, scenario_description, overrides or {})
    lines += ["## 2. The forms solved", ""]
    lines += sections.matrix(v) + sections.sequential(v) + sections.bayesian(v) + report_forms.prestrike(v)
    found = switches(v)
    tick("forms")
    lines += report_forms.reputation(v) + report_forms.smooth(v)
    tick("reputation")
    folder = work / "figures"
    folder.mkdir()
    figures = report_figures.draw_figures(v, folder, n, sobol_n=sobol_n, tick=tick, seed=seed, robust=robust)
    lines += sections.threshold(v, rows[0]) + report_audit.audit_section(rows, robust)
    lines += report_audit.change_section(v, rows, found, robust) + sections.statics_section(targets)
    lines += ["## 7. Figures", ""]
    for k, f in enumerate(figures, 1):
        png, svg = (p.relative_to(work).as_posix() for p in f.files)
        lines += [f"**Figure {k}: {f.caption}** ({f.claims})", "", f"![{f.title}]({png})", "", f"[SVG]({svg})", ""]
    (work / "tables").mkdir()
    tables = write_tables(work / "tables", rows, targets, found, robust)
    tables["audit_json"] = tables["audit_json"].rename(work / "audit.json")
    latex = write_latex(work / "latex", v, rows, robust)
    tick("tables")
    listing = [*tables.values(), *latex.values()]
    lines += ["## 8. Files", ""]
    lines += [f"- [{p.relative_to(work).as_posix()}]({p.relative_to(work).as_posix()})" for p in listing]
    lines += ["", "Beside every file is its provenance record, `FILE.provenance.json`.", ""]
    report = work / "report.md"
    atomic_write(report, "\n".join(lines) + "\n")
    html_path = None
    if html:
        html_path = work / "report.html"
        page = markdown_to_html(report.read_text(encoding="utf-8"), base=work, title="Iran-Pakistan report")
        atomic_write(html_path, page)
    tick("report")
    scenario = _scenario(scenario_name, scenario_description, scenario_file, overrides)
    files = (figures, tables, latex, report, html_path)
    sidecars = _sidecars(v, files, (n, sobol_n, robust_n, seed), timings, PARAMETERS, command, scenario)
    statuses = {r.claim: r.status for r in rows}
    counts = {s: sum(1 for x in statuses.values() if x == s) for s in dict.fromkeys(statuses.values())}
    bayes = solve_continuation(v)
    summary = (
        f"scenario {scenario_name}: Pakistan's response {CHOICES[int(bayes['choice'][0])]}, "
        f"Pr(Iran escalates) {float(bayes['p_escalate'][0]):.3g}; claims "
        + ", ".join(f"{k} {s}" for s, k in counts.items())
    )

    def final(p: Path) -> Path:
        return out / p.relative_to(work)

    return ReportResult(
        out,
        final(report),
        final(html_path) if html_path is not None else None,
        {k: final(p) for k, p in tables.items()},
        tuple(final(p) for f in figures for p in f.files),
        tuple(final(p) for p in sidecars),
        statuses,
        summary,
        {k: final(p) for k, p in latex.items()},
        timings,
    )


def _scenario(name: str, description: str, path: str | None, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "file": path,
        "overrides": {k: format_value(x) for k, x in (overrides or {}).items()},
    }


def _sidecars(
    v: dict[str, Any],
    files: tuple[Any, ...],
    sizes: tuple[int, int, int, int],
    timings: dict[str, float],
    parameters: Any,
    command: Any,
    scenario: dict[str, Any],
) -> list[Path]:
    """Write the sidecar of every file (once all exist, so each records the whole run's timings).

    A file records the seed when its content depends on the random draws: the Sobol' chart, the
    robustness figure, the audit files (when the robustness sample was drawn) and report.md/.html.
    """
    from deterrence.io.provenance import write_sidecar

    figures, tables, latex, report, html_path = files
    n, sobol_n, robust_n, seed = sizes
    records = [{**p.to_dict(), "value": v[p.name]} for p in parameters]
    design = {"kind": "report", "grid": n, "sobol_samples": sobol_n, "robustness_samples": robust_n}
    audit_seed = seed if robust_n else None

    def one(path: Path, seed: int | None = None, **extra: Any) -> Path:
        return write_sidecar(
            path,
            command=command,
            parameters=records,
            seed=seed,
            design=design,
            scenario=scenario,
            timings=timings,
            extra={"model": "iran-pakistan", **extra},
        )

    written = []
    for f in figures:
        for path in f.files:
            written.append(one(path, f.seed, figure=f.stem, title=f.title, claims=f.claims, data=f.data))
    for name, path in tables.items():
        written.append(one(path, audit_seed if name.startswith("audit") else None, table=name))
    written += [one(path, audit_seed if name == "latex_audit" else None, latex=name) for name, path in latex.items()]
    written.append(one(report, seed))  # the text reports the robustness shares and the Sobol' chart
    if html_path is not None:
        written.append(one(html_path, seed))
    return written
