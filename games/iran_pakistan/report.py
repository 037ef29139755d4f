"""The Iran-Pakistan report: every form solved, the C1 threshold, the argument audit.

:func:`build_report` rebuilds the analysis of the USIP argument (January
2024; claims C1-C12 of ARGUMENT.md) at one calibration and writes, under one
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
  (:func:`deterrence.provenance.write_sidecar`: version, command, parameters,
  seed -- always None, nothing here is random -- and the scenario).

Nothing is hard-coded: every number in the text is read off the solvers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deterrence.errors import DeterrenceError
from deterrence.io.tables import format_value, strategy_text
from games.iran_pakistan import figures as fig
from games.iran_pakistan.analysis import CHOICES, TYPE_KEYS, prestrike_equilibria, solve_continuation, war_costs
from games.iran_pakistan.claims import audit, retaliation_threshold
from games.iran_pakistan.forms import matrix_game, sequential_game, values_for
from games.iran_pakistan.parameters import PARAMETERS, TYPES

__all__ = ["ReportResult", "build_report", "markdown_to_html"]

_TYPE_LABEL = {key: label for key, label, *_ in TYPES}


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


def _cell(value: Any) -> str:
    """Text for a Markdown table cell (pipes escaped, one line)."""
    if isinstance(value, float):
        value = f"{value:.4g}"
    return format_value(value).replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows] + [""]


def _path(game: Any, eq: Any) -> list[str]:
    """The moves on the path of a pure behaviour profile, root to terminal."""
    from deterrence.forms.extensive_form import Decision, Terminal

    node, moves = game.root, []
    while not isinstance(node, Terminal):
        if not isinstance(node, Decision):  # no chance moves in the complete-information forms
            raise DeterrenceError("path of a tree with chance moves is not a single sequence")
        mix = eq.strategies[node.player][node.infoset]
        action = max(node.actions, key=lambda a: mix[a])
        moves.append(f"{node.player} {action}")
        node = node.children[node.actions.index(action)]
    return moves + [f"payoffs (Pakistan, Iran) = ({', '.join(format_value(x) for x in node.payoffs)})"]


# -- sections -----------------------------------------------------------------------------
def _calibration(v: dict[str, Any], scenario: str, description: str, overrides: Mapping[str, Any]) -> list[str]:
    defaults = PARAMETERS.defaults()
    changed = {k: x for k, x in v.items() if x != defaults[k]}
    lines = [
        "## 1. Calibration",
        "",
        f"Scenario: **{scenario}**" + (f" -- {description}" if description else ""),
        "",
    ]
    if changed:
        lines.append(
            "Values that differ from the baseline: "
            + ", ".join(f"`{k} = {format_value(x)}` (baseline {format_value(defaults[k])})" for k, x in changed.items())
            + "."
        )
    else:
        lines.append("Every parameter is at its baseline value.")
    if overrides:
        lines.append(
            "Set on the command line: " + ", ".join(f"`{k} = {format_value(x)}`" for k, x in overrides.items()) + "."
        )
    costs = war_costs(v)
    lines += [
        "",
        f"Derived costs: precedent cost of absorbing P = {format_value(costs['P'])}, Pakistan's cost of "
        f"an open clash C_P = {format_value(costs['C_P'])}, Iran's cost of an open clash "
        f"W_I = {format_value(costs['W_I'])} (payoff units; one unit is a calibrated strike's cost).",
        "",
    ]
    rows = [
        [
            p.name + (" *" if p.name in changed else ""),
            v[p.name],
            f"[{format_value(p.low)}, {format_value(p.high)}]",
            p.unit,
            ", ".join(p.claims),
            p.meaning,
            p.source,
        ]
        for p in PARAMETERS
    ]
    return (
        lines
        + _table(["parameter", "value", "range", "unit", "claims", "meaning", "source"], rows)
        + (["\\* differs from the baseline.", ""] if changed else [])
    )


def _matrix(v: dict[str, Any]) -> list[str]:
    import deterrence
    from deterrence.io.tables import describe_game
    from games.iran_pakistan.statics import absorb_threshold

    game = matrix_game(v)
    result = deterrence.solve(game, "nash")
    lines = [
        "### 2.1 Matrix form: Nash equilibria",
        "",
        "Pakistan (rows) chooses a response; Iran (columns) stands down or escalates, an escalation being "
        "met by Pakistani counter-escalation. Iran's motive: counter-terror.",
        "",
        "```",
        describe_game(game),
        "```",
        "",
        f"Solver: `{result.method}`; {len(result.equilibria)} extreme equilibria, list "
        f"{'complete' if result.complete else 'NOT guaranteed complete'}; every one verified "
        "(no profitable deviation, exact arithmetic).",
        "",
    ]
    rows = [
        [
            i,
            eq.component if eq.component is not None else "",
            strategy_text(eq.strategies["Pakistan"]),
            strategy_text(eq.strategies["Iran"]),
            eq.payoffs["Pakistan"],
            eq.payoffs["Iran"],
        ]
        for i, eq in enumerate(result.equilibria, 1)
    ]
    lines += _table(["#", "component", "Pakistan", "Iran", "u(Pakistan)", "u(Iran)"], rows)
    absorbing = [eq for eq in result.equilibria if eq.strategies["Pakistan"].get("absorb") == 1]
    if result.degenerate:
        lines.append(
            "The game is **degenerate**: against *absorb* Iran's two columns pay the same, so Iran has a "
            "continuum of best replies there and the equilibria come in connected components."
        )
    if absorbing:
        q = absorb_threshold(v)
        spe = solve_continuation(v, belief={"ct": 1})
        after = {
            key: "escalates" if bool(spe[f"escalates/{key}/ct"][0]) else "stands down"
            for key in ("calibrated", "direct")
        }
        lines.append(
            f"The absorb component (Pakistan absorbs, Iran escalates with probability at least q* = "
            f"{format_value(q)}) rests on a threat Iran would not carry out: once struck, a counter-terror Iran "
            f"{after['calibrated']} after a calibrated strike (and {after['direct']} after a direct one). The threat "
            "costs Iran nothing to make because absorbing leaves it nothing to act on, so it survives in the "
            "strategic form -- as the entrant's fear of a price war does in Selten's (1975) entry game -- but "
            "not in the tree, where subgame perfection removes it (2.2)."
        )
    return lines + [""]


def _sequential(v: dict[str, Any]) -> list[str]:
    import deterrence

    game = sequential_game(v)
    result = deterrence.solve(game, "spe")
    lines = [
        "### 2.2 Sequential form: subgame-perfect equilibrium",
        "",
        f"Backward induction (`{result.method}`): {len(result.equilibria)} equilibrium, list "
        f"{'complete' if result.complete else 'NOT guaranteed complete'}"
        + ("; ties were found and are reported" if any(eq.notes for eq in result.equilibria) else "")
        + ".",
        "",
    ]
    for i, eq in enumerate(result.equilibria, 1):
        lines += [
            f"- SPE {i}, Pakistan: {strategy_text(eq.strategies['Pakistan'])}",
            f"- SPE {i}, Iran: {strategy_text(eq.strategies['Iran'])}",
            f"- Path: {' -> '.join(_path(game, eq))}",
        ]
        lines += [f"- Note: {note}" for note in eq.notes]
    return lines + [""]


def _bayesian(v: dict[str, Any]) -> list[str]:
    out = solve_continuation(v)
    choice = CHOICES[int(out["choice"][0])]
    counter = "counter-escalates" if bool(out["counter"][0]) else "holds"
    lines = [
        "### 2.3 Bayesian form: perfect Bayesian equilibrium",
        "",
        "Nature draws Iran's motive from the prior; Iran knows it, Pakistan does not. Pakistan responds "
        "under its prior (nothing has been revealed when it moves). After an Iranian escalation Pakistan "
        f"**{counter}**; that choice does not depend on Iran's type, so it is sequentially rational under "
        "every belief and no off-path belief rule is needed.",
        "",
    ]
    rows = [
        [
            _TYPE_LABEL[t],
            format_value(v[f"prior_{t}"]) if t != "ct" else format_value(1 - v["prior_broaden"] - v["prior_coerce"]),
            "escalate" if bool(out[f"escalates/calibrated/{t}"][0]) else "stand down",
            "escalate" if bool(out[f"escalates/direct/{t}"][0]) else "stand down",
        ]
        for t in TYPE_KEYS
    ]
    lines += _table(["Iran's motive", "prior", "reply to a calibrated strike", "reply to a direct strike"], rows)
    values = ", ".join(f"{c} {format_value(out[f'value/{c}'][0])}" for c in CHOICES)
    tie = " (a tie: Pakistan is indifferent)" if bool(out["choice_tie"][0]) else ""
    lines += [
        f"Pakistan's expected payoffs: {values}. Equilibrium response: **{choice}**{tie}; probability that "
        f"Iran escalates on the path: {float(out['p_escalate'][0]):.3g}.",
        "",
    ]
    return lines


def _prestrike(v: dict[str, Any]) -> list[str]:
    eqs = prestrike_equilibria(v)
    lines = [
        "### 2.4 Pre-strike form (C12): perfect Bayesian equilibria",
        "",
        f"Iran decides whether to strike believing with probability {format_value(v['iran_belief_absorb'])} "
        "that Pakistan would absorb. A resolved Pakistan updates on the strike by Bayes' rule over the "
        "striking types; if no type strikes, its belief is the prior (the stated off-path rule).",
        "",
    ]
    if not eqs:
        return lines + ["No pure perfect Bayesian equilibrium exists here (some type would have to mix).", ""]
    rows = [
        [
            i,
            ", ".join(_TYPE_LABEL[t] for t in e["strikers"]) or "none",
            e["response"],
            "; ".join(f"{_TYPE_LABEL[t]} {format_value(x)}" for t, x in e["values"].items()),
            ", ".join(e["ties"]) or "none",
        ]
        for i, e in enumerate(eqs, 1)
    ]
    return lines + _table(
        ["#", "types that strike", "resolved Pakistan's response", "value of striking", "indifferent types"],
        rows,
    )


def _threshold(v: dict[str, Any], c1: Any) -> list[str]:
    info = retaliation_threshold(v)
    ev = c1.evidence
    numeric, symbolic = ev.get("switch_precedent_loss_numeric"), ev.get("switch_precedent_loss_symbolic")
    escalating = ", ".join(_TYPE_LABEL[t] for t in info["escalating_types"]) or "none"
    lines = [
        "## 3. The C1 threshold",
        "",
        "Pakistan retaliates rather than absorbs if and only if both conditions hold (the second with the "
        f"motive types that answer a calibrated strike at this calibration: {escalating}):",
        "",
        "```",
        info["text"].replace(" and ", "\nand\n"),
        "```",
        "",
        "$$",
        info["latex"],
        "$$",
        "",
        "Values of the two conditions here (positive means it holds): "
        + ", ".join(format_value(x) for x in info["values_at_point"])
        + ".",
    ]
    if numeric is not None or symbolic is not None:
        lines.append(
            f"Along `precedent_loss`, the switch from absorbing to retaliating lies at "
            f"{f'{symbolic:.6g}' if symbolic is not None else 'n/a'} (formula) and "
            f"{f'{numeric:.6g}' if numeric is not None else 'n/a'} (batched solver with bisection)."
        )
    else:
        lines.append("Pakistan's response does not switch along `precedent_loss` within its range here.")
    return lines + [""]


def _audit(rows: list[Any]) -> list[str]:
    lines = [
        "## 4. Argument audit (claims C1-C12)",
        "",
        "Each claim of the USIP analysis (ARGUMENT.md) checked against the models at this calibration.",
        "",
    ]
    lines += _table(
        ["claim", "status", "what the model says", "region where it holds"],
        [[r.claim, r.status, r.summary, r.region] for r in rows],
    )
    unconfirmed = [r for r in rows if r.status != "confirmed"]
    if unconfirmed:
        lines += ["Claims the model does not confirm at this calibration:", ""]
        lines += [
            f"- **{r.claim}** is {r.status} here: {r.summary}. It would hold where {r.region}." for r in unconfirmed
        ]
    else:
        lines.append("The model confirms every claim at this calibration.")
    return lines + [""]


def _statics(targets: list[Any]) -> list[str]:
    lines = [
        "## 5. Comparative statics: the twelve sign targets",
        "",
        "Each row sweeps its parameter(s) over their range, the rest at the calibration (LITERATURE.md §10).",
        "",
    ]
    lines += _table(
        ["row", "statement", "parameters", "predicted sign", "measure", "status"],
        [[t.row, t.statement, ", ".join(t.parameters), t.predicted_sign, t.measure, t.status] for t in targets],
    )
    lines += ["Evidence:", ""] + [f"{t.row}. {t.evidence}" for t in targets]
    return lines + [""]


def _figures(v: dict[str, Any], out: Path, n: int, sidecar: Callable[..., Path]) -> tuple[list[str], list[Path]]:
    """Compute, draw and save the figures; return the Markdown section and the written paths."""
    folder = out / "figures"
    folder.mkdir(exist_ok=True)
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
            figure.savefig(path, dpi=150)
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
        probe.write_text("")
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
    lines = [
        "# The January 2024 Iran-Pakistan strikes: baseline analysis",
        "",
        f"Built by `deterrence` {__version__} (`{command if isinstance(command, str) else ' '.join(command or ['build_report()'])}`). "
        "Source of the argument: USIP analysis, January 2024 (claims C1-C12 of ARGUMENT.md). "
        "Every equilibrium below is verified; exact arithmetic unless stated.",
        "",
    ]
    lines += _calibration(v, scenario_name, scenario_description, overrides or {})
    lines += ["## 2. The forms solved", ""] + _matrix(v) + _sequential(v) + _bayesian(v) + _prestrike(v)
    step(1)
    lines += _threshold(v, rows[0]) + _audit(rows) + _statics(targets)
    figure_lines, figure_paths = _figures(v, out, int(n), sidecar)
    step(1)
    lines += figure_lines
    tables = _write_tables(out, rows, targets)
    lines += ["## 7. Files", ""] + [f"- [{p.name}]({p.name}) (provenance: {p.name}.json)" for p in tables.values()]
    report = out / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sidecars = [sidecar(p, {"table": name}) for name, p in tables.items()] + [sidecar(report)]
    html_path = None
    if html:
        html_path = out / "report.html"
        html_path.write_text(markdown_to_html(report.read_text(encoding="utf-8"), base=out), encoding="utf-8")
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
    with open(paths["audit_csv"], "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["claim", "status", "summary", "region"])
        writer.writerows([r.claim, r.status, r.summary, r.region] for r in rows)
    paths["audit_json"].write_text(json.dumps([r.to_dict() for r in rows], indent=2) + "\n", encoding="utf-8")
    with open(paths["sign_targets_csv"], "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "statement", "parameters", "predicted_sign", "measure", "status", "evidence"])
        writer.writerows(
            [t.row, t.statement, " ".join(t.parameters), t.predicted_sign, t.measure, t.status, t.evidence]
            for t in targets
        )
    return paths


# -- HTML ---------------------------------------------------------------------------------
def _inline(text: str, base: Path | None) -> str:
    import base64
    import html
    import re

    def image(match: re.Match[str]) -> str:
        alt, src = match.group(1), match.group(2)
        path = base / src if base is not None else None
        if path is not None and path.suffix == ".png" and path.exists():
            src = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img alt="{alt}" src="{src}" style="max-width:100%">'

    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
            continue
        s = html.escape(part, quote=False).replace("\\|", "|").replace("\\*", "*")
        s = re.sub(r"!\[([^\]]*)\]\(([^)]+)\)", image, s)
        s = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', s)
        s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
        out.append(s)
    return "".join(out)


def markdown_to_html(markdown: str, *, base: Path | None = None, title: str = "deterrence report") -> str:
    """Convert the report's Markdown subset to one self-contained HTML page (PNG figures inlined).

    Handles headings, paragraphs, bullet and numbered lists, pipe tables,
    fenced code, ``$$`` display maths (kept as LaTeX text), inline code,
    bold, links and images -- the constructs :func:`build_report` writes.

    Examples
    --------
    >>> page = markdown_to_html("# T\\n\\n| a | b |\\n|---|---|\\n| 1 | `x` |")
    >>> print(page.split("<body>")[1].split("</body>")[0].strip())
    <h1>T</h1>
    <table><tr><th>a</th><th>b</th></tr>
    <tr><td>1</td><td><code>x</code></td></tr></table>
    """
    import html
    import re

    body, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```") or line == "$$":
            end = "```" if line.startswith("```") else "$$"
            j = i + 1
            while j < len(lines) and not lines[j].startswith(end):
                j += 1
            tag = "pre" if end == "```" else 'pre class="math"'
            body.append(f"<{tag}>" + html.escape("\n".join(lines[i + 1 : j])) + "</pre>")
            i = j + 1
        elif m := re.match(r"(#{1,6}) (.*)", line):
            level = len(m.group(1))
            body.append(f"<h{level}>{_inline(m.group(2), base)}</h{level}>")
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            cells = [[c.strip() for c in re.split(r"(?<!\\)\|", r.strip())[1:-1]] for r in rows]
            head = "".join(f"<th>{_inline(c, base)}</th>" for c in cells[0])
            rest = ["<tr>" + "".join(f"<td>{_inline(c, base)}</td>" for c in r) + "</tr>" for r in cells[2:]]
            body.append(f"<table><tr>{head}</tr>\n" + "\n".join(rest) + "</table>")
        elif re.match(r"(- |\d+\. )", line):
            ordered = not line.startswith("- ")
            items = []
            while i < len(lines) and re.match(r"(- |\d+\. )", lines[i]):
                items.append("<li>" + _inline(re.sub(r"^(- |\d+\. )", "", lines[i]), base) + "</li>")
                i += 1
            tag = "ol" if ordered else "ul"
            body.append(f"<{tag}>" + "\n".join(items) + f"</{tag}>")
        elif line.strip():
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"(#|\||```|\$\$|- |\d+\. )", lines[i]):
                para.append(lines[i])
                i += 1
            body.append("<p>" + _inline(" ".join(para), base) + "</p>")
        else:
            i += 1
    style = (
        "body{font-family:sans-serif;max-width:70em;margin:auto;padding:1em}"
        "table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #999;padding:3px 6px;"
        "vertical-align:top}pre{background:#f4f4f4;padding:6px;white-space:pre-wrap}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
