r"""The tables and LaTeX files of the Iran-Pakistan report.

:func:`write_tables` writes each table as CSV and, when pyarrow is importable, as Parquet:
``audit`` (the C1-C12 table, with ``robustness`` and ``refuting_example`` when the checks carry
them), ``sign_targets`` (the twelve comparative-static targets) and ``switches`` (where the
outcome changes along each parameter, the "what would change the conclusion" section), plus
``audit.json`` in the schema of ``deterrence audit --format json``.

:func:`write_latex` writes under ``latex/``: ``matrix.tex`` (an ``sgame`` bimatrix),
``tree.tex`` (an ``istgame`` tree), ``thresholds.tex`` (the C1 conditions, ``amsmath``),
``audit.tex`` (a ``booktabs`` table) and ``report.tex``, a document that ``\input``\ s them all
and compiles with ``pdflatex``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from deterrence.io.atomic import atomic_write

__all__ = ["parquet_available", "write_latex", "write_tables"]


def parquet_available() -> bool:
    """Whether pyarrow can be imported (Parquet copies of the tables are written then)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _table(folder: Path, stem: str, header: list[str], rows: list[list[Any]]) -> dict[str, Path]:
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(header)
    writer.writerows(rows)
    paths = {f"{stem}_csv": folder / f"{stem}.csv"}
    atomic_write(paths[f"{stem}_csv"], handle.getvalue())
    if parquet_available():
        import pandas as pd

        frame = pd.DataFrame(rows, columns=header)
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(lambda x: "" if x is None else str(x))
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        paths[f"{stem}_parquet"] = folder / f"{stem}.parquet"
        atomic_write(paths[f"{stem}_parquet"], buffer.getvalue())
    return paths


def _plain(value: Any) -> Any:
    """A robustness or refuting-example value as one CSV cell (JSON text for structures)."""
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def write_tables(
    folder: Path, rows: list[Any], targets: list[Any], found: list[dict[str, Any]], robust: Any = None
) -> dict[str, Path]:
    """Write the report's tables under ``folder``; return ``{name: path}``.

    With ``robust`` (:class:`~games.iran_pakistan.robustness.Robustness`) the audit rows carry
    ``robustness`` (:func:`~games.iran_pakistan.robustness.attach`): per box the shares with their
    intervals and the Sobol' indices of the status.
    """
    records = [r.to_dict() for r in rows]
    if robust is not None:
        from games.iran_pakistan.robustness import attach

        records = attach(records, robust)
    paths = {"audit_json": folder / "audit.json"}
    atomic_write(paths["audit_json"], json.dumps(records, indent=2) + "\n")
    audit = [
        [
            rec.get("claim"),
            rec.get("status"),
            rec.get("summary"),
            rec.get("region"),
            _plain(rec.get("robustness")),
            _plain(rec.get("refuting_example")),
        ]
        for rec in records
    ]
    paths.update(
        _table(folder, "audit", ["claim", "status", "summary", "region", "robustness", "refuting_example"], audit)
    )
    statics = [
        [t.row, t.statement, " ".join(t.parameters), t.predicted_sign, t.measure, t.status, t.evidence, t.qre_status]
        for t in targets
    ]
    header = ["row", "statement", "parameters", "predicted_sign", "measure", "status", "evidence", "qre_status"]
    paths.update(_table(folder, "sign_targets", header, statics))
    keys = ["parameter", "baseline", "at", "low", "high", "distance", "before", "after", "response_changes"]
    paths.update(_table(folder, "switches", keys, [[s[k] for k in keys] for s in found]))
    return paths


def _thresholds_tex(v: dict[str, Any]) -> str:
    from deterrence.io.latex import escape_latex
    from games.iran_pakistan.claims import retaliation_threshold
    from games.iran_pakistan.threshold import RETALIATION_RULE

    info = retaliation_threshold(v)
    parts = [p.strip() for p in re.split(r"\\;\\wedge\\;", info["latex"])]
    body = " \\\\\n".join(f"  & {p}" for p in parts)
    return (
        "% C1: Pakistan retaliates rather than absorbs iff every condition holds (in this calibration's regime).\n"
        f"% In general: {' '.join(RETALIATION_RULE.split())}\n"
        "\\paragraph{The C1 threshold.} Pakistan retaliates rather than absorbs iff "
        + ("both conditions hold" if len(parts) > 1 else "the condition holds")
        + f" (here: {escape_latex(', '.join(str(x) for x in info['values_at_point']))}, positive means it holds).\n"
        "{\\small\n\\begin{align*}\n" + body + "\n\\end{align*}}\n"
    )


def _audit_tex(rows: list[Any], robust: Any = None) -> str:
    from deterrence.io.latex import booktabs_table
    from games.iran_pakistan.report_audit import AUDIT_HEADER, audit_rows

    table = booktabs_table(AUDIT_HEADER, audit_rows(rows, robust), caption="Claims C1-C12 of the USIP analysis")
    widths = (
        "p{0.05\\linewidth}p{0.08\\linewidth}p{0.34\\linewidth}p{0.28\\linewidth}p{0.08\\linewidth}p{0.1\\linewidth}"
    )
    table = re.sub(r"\\begin\{tabular\}\{l+\}", lambda m: "\\begin{tabular}{" + widths + "}", table, count=1)
    return "{\\scriptsize\n" + table + "\n}\n"


def write_latex(folder: Path, v: dict[str, Any], rows: list[Any], robust: Any = None) -> dict[str, Path]:
    """Write the LaTeX files under ``folder`` (created); return ``{name: path}``."""
    from deterrence.io.latex import normal_form_latex, tree_latex
    from games.iran_pakistan.forms import matrix_game, sequential_game

    folder.mkdir(exist_ok=True)
    texts = {
        "matrix": normal_form_latex(matrix_game(v)),
        "tree": tree_latex(sequential_game(v)),
        "thresholds": _thresholds_tex(v),
        "audit": _audit_tex(rows, robust),
    }
    paths = {}
    for name, text in texts.items():
        paths[f"latex_{name}"] = folder / f"{name}.tex"
        atomic_write(paths[f"latex_{name}"], text.rstrip("\n") + "\n")
    document = (
        "\\documentclass[a4paper]{article}\n\\usepackage[margin=2cm]{geometry}\n"
        "\\usepackage{amsmath}\n\\usepackage{booktabs}\n\\usepackage{sgame}\n\\usepackage{istgame}\n"
        "\\begin{document}\n\\section*{The January 2024 Iran--Pakistan strikes}\n"
        "\\subsection*{Matrix form}\n\\input{matrix.tex}\n"
        "\\subsection*{Sequential form}\n\\input{tree.tex}\n"
        "\\subsection*{Threshold}\n\\input{thresholds.tex}\n"
        "\\subsection*{Audit}\n\\input{audit.tex}\n\\end{document}\n"
    )
    paths["latex_report"] = folder / "report.tex"
    atomic_write(paths["latex_report"], document)
    return paths
