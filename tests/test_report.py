"""Tests of ``deterrence report`` (games/iran_pakistan/report*.py, sections.py, figures.py, commands.py).

The report is built once per calibration (module-scoped fixtures, small grids) and the tests
read the files it wrote.  The case's parameters and claim verdicts are being recalibrated, so
nothing here names a parameter or expects a status: the tests read them from the model.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from deterrence.cli.main import main
from deterrence.io.provenance import SUFFIX, file_digest, git_state

os.environ.setdefault("MPLBACKEND", "Agg")  # figures use the Agg canvas; keep any pyplot use headless too

CLAIMS = [f"C{i}" for i in range(1, 13)]
STATUSES = {"confirmed", "qualified", "refuted", "definitional"}
FIGURES = (
    "game_tree",
    "belief_simplex",
    "regime_china",
    "regime_united_states",
    "regime_india",
    "tornado",
    "sobol",
    "robustness",
)
SMALL = ["--grid", "5", "--sobol-samples", "16", "--robustness", "16", "-q"]
#: A robustness cell: per box the shares confirmed and held, each with its 95% interval, in percent.
_BOX = r"{}: confirmed (\d+)% \((\d+)-(\d+)%\), held (\d+)% \((\d+)-(\d+)%\)"
CELL = re.compile("^" + _BOX.format("uniform") + "; " + _BOX.format("local") + "$")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "baseline"
    assert main(["report", "-o", str(out), *SMALL]) == 0
    return out


@pytest.fixture(scope="module")
def china(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenario") / "china"
    assert (
        main(["report", "-o", str(out), "--grid", "3", "--sobol-samples", "16", "-q", "--scenario", "strong_china"])
        == 0  # the default robustness sample (N = 128): the report's own setting
    )
    return out


def _section(report: Path, number: int) -> str:
    text = report.read_text(encoding="utf-8")
    return text.split(f"\n## {number}. ")[1].split("\n## ")[0]


def _rows(section: str, first: str = "| C") -> list[list[str]]:
    rows = [line for line in section.splitlines() if line.startswith(first)]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", r)[1:-1]] for r in rows]


# -- the audit --------------------------------------------------------------------------------
def test_audit_table_has_twelve_rows(baseline):
    rows = _rows(_section(baseline / "report.md", 4))
    assert [r[0] for r in rows] == CLAIMS
    assert all(len(r) == 6 and r[1] in STATUSES and r[2] for r in rows)
    with open(baseline / "tables" / "audit.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["claim", "status", "summary", "region", "robustness", "refuting_example"]
    assert [r[0] for r in table[1:]] == CLAIMS
    records = json.loads((baseline / "audit.json").read_text())
    assert [r["claim"] for r in records] == CLAIMS
    assert [r[1] for r in rows] == [r["status"] for r in records] == [r[1] for r in table[1:]]


def test_robustness_column_is_the_share_confirmed_and_held_in_each_box(baseline):
    rows = _rows(_section(baseline / "report.md", 4))
    records = json.loads((baseline / "audit.json").read_text())
    for row, record in zip(rows, records, strict=True):
        boxes = record["robustness"]
        assert set(boxes) == {"uniform", "local"}, row[0]
        found = CELL.match(row[4])
        assert found, (row[0], row[4])
        numbers = [int(x) for x in found.groups()]
        for k, box in enumerate(("uniform", "local")):
            assert boxes[box]["points"] == 2 * 16
            assert boxes[box]["share_confirmed"] <= boxes[box]["share_held"], row[0]
            for j, what in enumerate(("confirmed", "held")):
                share, (low, high) = boxes[box][f"share_{what}"], boxes[box][f"ci_{what}"]
                assert 0 <= low <= share <= high <= 1
                cell = numbers[6 * k + 3 * j : 6 * k + 3 * j + 3]
                assert cell == [round(100 * share), round(100 * low), round(100 * high)], (row[0], box, what)
            assert set(boxes[box]["sobol"]["total"]) and all(
                d in boxes[box]["sobol"]["total"] for d in boxes[box]["deciding"]
            )


def test_grid_regions_are_bounds_to_the_grid_step_and_formulas_stay_exact():
    """Each inner edge of a swept region lies between two neighbouring grid points whose verdicts differ."""
    import numpy as np

    from games.iran_pakistan.claim_status import CONFIRMED, claim_status
    from games.iran_pakistan.claims import audit
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.parameters import PARAMETERS

    swept = re.compile(
        r"the check confirms for (\w+) in about (.+?) \(inner edges to the grid step ([0-9.e+-]+); "
        r"others at this calibration\)"
    )
    v = {k: float(x) for k, x in values_for().items()}
    checked = 0
    for r in audit():
        formula = r.region.split("the check confirms")[0]
        assert "about" not in formula and "grid" not in formula, r.claim  # exact rules are printed exactly
        found = swept.search(r.region)
        if found is None:
            assert " in about " not in r.region, r.claim
            continue
        name, intervals, step = found.group(1), found.group(2), float(found.group(3))
        low, high = float(PARAMETERS[name].low), float(PARAMETERS[name].high)
        edges = [float(x) for x in re.findall(r"-?[0-9.]+(?:e[+-]?\d+)?", intervals)]
        for edge in (e for e in edges if low < e < high):
            below = low + step * np.floor((edge - low) / step + 1e-9)  # the grid points either side of the edge
            point = {k: np.full(2, x) for k, x in v.items()}
            point[name] = np.array([below, below + step])
            codes = claim_status(point, prestrike=False)[r.claim]
            assert (codes[0] == CONFIRMED) != (codes[1] == CONFIRMED), (r.claim, edge)
            assert abs(edge - (below + step / 2)) <= 0.01 * step + 1e-9  # printed at the midpoint
            checked += 1
    assert checked


def test_every_row_that_is_not_definitional_has_a_refuting_example(baseline):
    rows = _rows(_section(baseline / "report.md", 4))
    for row, record in zip(rows, json.loads((baseline / "audit.json").read_text()), strict=True):
        if record["definitional"]:
            assert row[1] == "definitional" and "definitional" in row[5], row[0]
            continue
        example = record["refuting_example"]
        assert example, row[0]  # every check can return refuted: a calibration in the ranges where it does
        assert row[5] == ", ".join(f"{k} = {x}" for k, x in example.items()), row[0]


def test_a_definitional_row_is_explained(monkeypatch):
    from games.iran_pakistan import refutations
    from games.iran_pakistan.claims import audit
    from games.iran_pakistan.report_audit import audit_rows, audit_section

    stored = refutations.stored_refutations()
    why = "the broaden type is defined by its value of escalating"
    monkeypatch.setattr(
        refutations, "stored_refutations", lambda: {**stored, "C5": {"example": None, "definitional": True, "why": why}}
    )
    rows = audit()
    assert rows[4].status == "definitional" and rows[4].refuting_example is None
    text = "\n".join(audit_section(rows))
    assert f"**C5 is definitional**: {why}" in text
    assert "does not count it as a confirmation" in text and "confirms every claim" not in text
    assert audit_rows(rows)[4][5] == "none: definitional" and audit_rows(rows)[0][5] != "none: definitional"


def test_without_a_robustness_sample_the_column_says_so():
    from games.iran_pakistan.claims import audit
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.report_audit import audit_rows, audit_section, change_section

    rows = audit()
    assert {r[4] for r in audit_rows(rows)} == {"--"}
    assert "was not sampled" in "\n".join(audit_section(rows))
    assert "was not drawn (`--robustness 0`)" in "\n".join(change_section(values_for(), rows, []))


def test_what_would_change_names_the_least_robust_claims_and_how_to_refute_them(baseline):
    from games.iran_pakistan.report_audit import ROBUST_SHARE

    section = _section(baseline / "report.md", 5)
    records = json.loads((baseline / "audit.json").read_text())
    local = {r["claim"]: r["robustness"]["local"]["share_confirmed"] for r in records}
    held = {r["claim"]: r["robustness"]["local"]["share_held"] for r in records}
    assert "ranked by the share of the +-50% box where the check *confirms* the claim" in section
    first = re.search(r"confirmed most widely near the calibration are (C\d+) \(confirmed (\d+)%, held (\d+)%", section)
    least = re.search(r"the least are (C\d+) \(confirmed (\d+)%, held (\d+)%", section)
    assert first is not None and least is not None
    # Ranked by the share confirmed, not by the share held (confirmed or qualified).
    assert local[first.group(1)] == max(local.values()) and local[least.group(1)] == min(local.values())
    assert int(first.group(2)) == round(100 * max(local.values()))
    assert int(first.group(3)) == round(100 * held[first.group(1)])
    assert int(least.group(3)) == round(100 * held[least.group(1)])
    for r in records:
        line = [x for x in section.splitlines() if x.startswith(f"- **{r['claim']}** is confirmed on ")]
        if local[r["claim"]] >= ROBUST_SHARE:
            assert not line, r["claim"]
            continue
        assert len(line) == 1, r["claim"]
        shares = f"confirmed on {100 * local[r['claim']]:.1f}% of the box and holds on {100 * held[r['claim']]:.1f}%"
        assert shares in line[0], r["claim"]
        example = r["refuting_example"]
        command = "deterrence audit " + " ".join(f"--set {k}={x}" for k, x in example.items())
        assert f"`{command}`" in line[0], r["claim"]


def test_robustness_ranking_is_by_the_share_confirmed_not_the_share_held():
    """A claim held everywhere but mostly only qualified ranks below one confirmed more often."""
    from games.iran_pakistan.claims import audit
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.report_audit import change_section
    from games.iran_pakistan.robustness import Robustness

    rows = audit()
    first, second = rows[0].claim, rows[1].claim

    def box(confirmed, held):
        return {"share_confirmed": confirmed, "ci_confirmed": [0, 1], "share_held": held, "ci_held": [0, 1]}

    robust = Robustness(n=16, seed=0)
    robust.rows = {
        first: {"uniform": box(0.01, 1.0), "local": box(0.3, 1.0)},  # held everywhere, seldom confirmed
        second: {"uniform": box(0.2, 0.3), "local": box(0.8, 0.85)},
    }
    text = "\n".join(change_section(values_for(), rows[:2], [], robust))
    assert f"calibration are {second} (confirmed 80%, held 85% of the +-50% box" in text
    assert f"the least are {first} (confirmed 30%, held 100%; confirmed 1%, held 100%)" in text
    assert f"- **{first}** is confirmed on 30.0% of the box and holds on 100.0%" in text


def test_what_would_change_lists_switches_inside_each_range(baseline):
    from games.iran_pakistan.parameters import PARAMETERS

    section = _section(baseline / "report.md", 5)
    assert section.startswith("What would change the conclusion")
    with open(baseline / "tables" / "switches.csv", newline="", encoding="utf-8") as handle:
        switches = list(csv.DictReader(handle))
    for s in switches:
        p = PARAMETERS[s["parameter"]]
        assert float(p.low) <= float(s["at"]) <= float(p.high) and s["before"] != s["after"]
    distances = [float(s["distance"]) for s in switches]
    assert distances == sorted(distances)  # nearest change first
    for s in switches[:3]:
        assert f"| {s['parameter']} |" in section


# -- the games --------------------------------------------------------------------------------
def test_matrix_is_a_payoff_table_and_components_count_from_one(baseline):
    from games.iran_pakistan.forms import matrix_game, values_for

    game = matrix_game(values_for())
    section = _section(baseline / "report.md", 2)
    header = [line for line in section.splitlines() if line.startswith(f"| {game.players[0]} \\ ")]
    assert len(header) == 1 and header[0].count("|") == len(game.strategies[1]) + 2
    for strategy in game.strategies[0]:
        assert re.search(rf"^\| {re.escape(strategy)} \| \(", section, re.M), strategy
    equilibria = _rows(section.split("### 2.1")[1].split("### 2.2")[0], "| ")
    components = [int(r[1]) for r in equilibria if r[1].isdigit()]
    assert components and min(components) == 1 and sorted(set(components)) == list(range(1, max(components) + 1))


def test_calibration_lists_every_derived_cost(baseline):
    from deterrence.io.tables import format_value
    from games.iran_pakistan import quantities
    from games.iran_pakistan.forms import values_for

    v = values_for()
    section = _section(baseline / "report.md", 1)
    expected = {
        "P": quantities.precedent_cost(v),
        "C_P": quantities.pakistan_clash_cost(v),
        "k_K'": quantities.strike_cost(v, "calibrated"),
        "k_X'": quantities.strike_cost(v, "direct"),
        "R_I": quantities.iran_escalation_cost(v),
        "W_I": quantities.iran_war_cost(v),
    }
    for symbol, value in expected.items():
        line = [x for x in section.splitlines() if x.startswith(f"- **{symbol} = ")]
        assert len(line) == 1 and line[0].startswith(f"- **{symbol} = {format_value(value)}** = "), symbol
        assert len(line[0].split(": ", 1)[1]) > 20, symbol  # a line on what it means
    credible = expected["P"] > expected["C_P"]
    assert ("counter-escalation is credible" in section) == credible
    assert ("counter-escalation is not credible" in section) == (not credible)


def test_prestrike_section_shows_the_mixed_equilibria(baseline):
    from deterrence.io.tables import format_value
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.prestrike import prestrike_assessments

    section = _section(baseline / "report.md", 2).split("### 2.4")[1].split("### 2.5")[0]
    assert "No pure" not in section
    found = prestrike_assessments(values_for())
    rows = _rows(section, "| ")[1:]  # the header row starts with "| #"
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(found) + 1)]
    for row, eq in zip(rows, found, strict=True):
        assert row[1] == eq["kind"]
        for x in eq["strike"].values():
            assert format_value(x) in row[2]
        assert row[5] == format_value(eq["p_escalate"]) and row[6] == format_value(eq["striking_mass"])
    if any(0 < x < 1 for x in found[0]["strike"].values()):
        assert "strictly between 0 and 1" in section


def test_reputation_section_reports_the_engine_pbe_and_the_derived_threshold(baseline):
    from deterrence.io.tables import format_value
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.reputation import pliable_retaliation

    section = _section(baseline / "report.md", 2).split("### 2.5")[1].split("### 2.6")[0]
    derived = pliable_retaliation(values_for())
    assert 'deterrence.solve(reputation_game(v), "pbe")' in section and "list complete" in section
    rows = _rows(section, "| ")[1:]
    assert rows and all(r[1] == derived["regime"] for r in rows)
    strike = derived["resolute_strike"]
    assert all(r[2] == strike for r in rows)  # the resolute type strikes for sure
    assert f"{strike} {format_value(derived['sigma'])}" in rows[0][3]  # the pliable type's mixing
    assert f"sigma = {format_value(derived['sigma'])}" in section and "they agree" in section
    assert section.count("$$") == 4  # the threshold and the mixing probability, as formulas


def test_smooth_section_gives_the_qre_probabilities_at_the_stated_lambda(baseline):
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.smooth import DEFAULT_LAMBDA, logit_continuation

    section = _section(baseline / "report.md", 2).split("### 2.6")[1]
    assert f"lambda = {DEFAULT_LAMBDA:g} per payoff unit" in section
    rows = _rows(section, "| ")[1:]
    for row, belief in zip(rows, ({"ct": 1}, None), strict=True):
        q = logit_continuation(values_for(), belief=belief, lam=DEFAULT_LAMBDA)
        assert row[1] == f"{float(q['p_retaliates'][0]):.3f}" and row[3] == f"{float(q['p_escalate'][0]):.3f}"


def test_sign_target_table_has_the_qre_reading_beside_the_regime_reading(baseline):
    from games.iran_pakistan.qre_reading import QRE_STATUSES
    from games.iran_pakistan.statics import STATUSES as STATIC_STATUSES

    section = _section(baseline / "report.md", 6)
    header = [line for line in section.splitlines() if line.startswith("| row |")][0]
    assert header.endswith("| regime reading | QRE reading |")
    rows = _rows(section, "| ")[1:]
    with open(baseline / "tables" / "sign_targets.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [r[-1] for r in rows] == [t["qre_status"] for t in table] and len(rows) == 12
    assert [r[-2] for r in rows] == [t["status"] for t in table]
    assert all(r[-1] in QRE_STATUSES for r in rows), [r[-1] for r in rows]
    assert all(r[-2] in STATIC_STATUSES for r in rows), [r[-2] for r in rows]


def test_threshold_formulas_are_rendered_not_raw_latex(baseline):
    text = (baseline / "report.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^\$\$\n(.+?)\n\$\$$", text, re.M | re.S)
    assert blocks  # the Markdown keeps the LaTeX for readers that render it
    page = (baseline / "report.html").read_text(encoding="utf-8")
    assert "\\mathit" not in page and "$$" not in page and "\\left" not in page
    assert page.count('<div class="math"') == len(blocks)


# -- figures and tables -----------------------------------------------------------------------
def test_each_figure_is_written_as_png_and_svg(baseline):
    text = (baseline / "report.md").read_text(encoding="utf-8")
    for stem in FIGURES:
        png = (baseline / "figures" / f"{stem}.png").read_bytes()
        svg = (baseline / "figures" / f"{stem}.svg").read_text(encoding="utf-8")
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000, stem
        assert "<svg" in svg and svg.rstrip().endswith("</svg>"), stem
        assert f"](figures/{stem}.png)" in text and f"(figures/{stem}.svg)" in text
    assert len(re.findall(r"^\*\*Figure (\d+):", text, re.M)) == len(FIGURES)


def test_map_axes_say_meaning_and_unit_and_the_legend_is_outside():
    from games.iran_pakistan.figures import actor_pair, new_axes, outcome_map, plot_map
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.parameters import PARAMETERS

    x, y = actor_pair("China")
    figure, ax = new_axes((10, 5))
    plot_map(outcome_map(values_for(), x, y, n=5), ax, baseline=values_for(), title="t")
    figure.canvas.draw()
    for name, label in ((x, ax.get_xlabel()), (y, ax.get_ylabel())):
        assert PARAMETERS[name].unit in label and name in label
        assert PARAMETERS[name].meaning.split()[0] in label
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # right of the axes: covers no data
    assert ax.get_title() == "t"


def test_plot_command_labels_axes_with_meaning_and_unit(tmp_path, monkeypatch):
    import warnings

    from deterrence.cli import plot
    from deterrence.library import get_model
    from games.iran_pakistan.commands import MODEL

    captured = []
    monkeypatch.setattr(plot, "save_figure", lambda ax, *args: captured.append(ax))
    parameters = get_model(MODEL).parameters
    x, y = "precedent_loss", "china_mediation"
    table = tmp_path / "s.csv"
    assert main(["sweep", MODEL, "--grid", f"{x}=0:20:5", "--grid", f"{y}=0:5:5", "-o", str(table), "-q"]) == 0
    line = tmp_path / "l.csv"
    assert main(["sweep", MODEL, "--grid", f"{x}=0:20:5", "-o", str(line), "-q"]) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no layout warning: the labels and the legend fit
        assert main(["plot", str(table), "-o", str(tmp_path / "map.png"), "-q"]) == 0
        assert main(["plot", str(line), "-o", str(tmp_path / "line.png"), "-q"]) == 0
    regime, lines = captured
    for label, name in ((regime.get_xlabel(), x), (regime.get_ylabel(), y), (lines.get_xlabel(), x)):
        p = parameters[name]
        assert f"[{name}]" in label and f"({p.unit})" in label
        assert " ".join(label.split("\n")).startswith(" ".join(p.meaning.split()[:3]))
    for ax in (regime, lines):
        ax.figure.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        assert legend.x0 >= ax.get_window_extent().x1  # right of the axes: covers no data


def test_tables_are_csv_and_parquet(baseline):
    for stem in ("audit", "sign_targets", "switches"):
        with open(baseline / "tables" / f"{stem}.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        parquet = baseline / "tables" / f"{stem}.parquet"
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            assert not parquet.exists()
            continue
        import pandas as pd

        frame = pd.read_parquet(parquet)
        assert list(frame.columns) == rows[0] and len(frame) == len(rows) - 1, stem


# -- HTML -------------------------------------------------------------------------------------
def test_html_is_self_contained_and_fetches_nothing(baseline):
    page = (baseline / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page, re.I)
    assert page.count('src="data:image/png;base64,') == len(FIGURES)
    assert "<table>" in page and "<td>C12</td>" in page


def test_scenario_report_prints_no_python_lists(china):
    text = (china / "report.md").read_text(encoding="utf-8")
    page = (china / "report.html").read_text(encoding="utf-8")
    assert "Scenario: **" in text and "baseline" not in text.split("Scenario: **")[1].split("**")[0]
    for document in (text, page):
        assert not re.search(r"\[\s*'[^']*'\s*(,|\])", document)  # no repr() of a list of keys
    assert [r[0] for r in _rows(_section(china / "report.md", 4))] == CLAIMS
    record = json.loads((china / ("report.md" + SUFFIX)).read_text())
    assert record["scenario"]["file"] == "strong_china"


def test_audit_command_under_a_scenario_prints_no_python_lists(capsys):
    assert main(["audit", "--scenario", "strong_china"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines() if re.match(r"C\d+ ", line)] == CLAIMS
    assert not re.search(r"\[\s*'[^']*'\s*(,|\])", out)


# -- provenance -------------------------------------------------------------------------------
def _outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(SUFFIX))


def test_every_file_has_a_valid_sidecar_with_its_digest(baseline):
    outputs = _outputs(baseline)
    assert len(outputs) >= 2 * len(FIGURES) + 5
    sidecars = sorted(p for p in baseline.rglob("*" + SUFFIX))
    assert len(sidecars) == len(outputs)
    checkout = git_state()
    for path in outputs:
        record = json.loads(path.with_name(path.name + SUFFIX).read_text(encoding="utf-8"))
        assert record["output"]["sha256"] == file_digest(path), path.name
        assert record["output"]["bytes"] == path.stat().st_size
        assert record["version"] and record["command"].startswith("deterrence report -o ")
        assert record["scenario"]["name"] == "baseline" and record["scenario"]["file"] is None
        assert set(record["timings"]) >= {"audit", "maps", "sobol"}
        assert record.get("git_commit") == checkout.get("git_commit")
        # the random draws: the Sobol' chart and the robustness sample (the audit files, the robustness figure)
        random = path.stem in ("sobol", "robustness", "audit") or path.name in ("report.md", "report.html")
        assert ("seed" in record) == random, path.name
        if random:
            assert record["seed"] == 20240116, path.name


def test_no_temporary_directory_is_left(baseline):
    assert [p.name for p in baseline.parent.iterdir()] == ["baseline"]


@pytest.mark.slow  # a second full build
def test_two_runs_write_identical_files(baseline, tmp_path):
    """Same settings, same bytes: nothing random is unseeded and no file records a date."""
    from games.iran_pakistan.report import STAGES, build_report

    class Counter:
        steps = 0

        def update(self, k=1):
            self.steps += k

    bar = Counter()
    build_report(output_dir=tmp_path / "again", n=5, sobol_n=16, robustness_n=16, progress=bar, command="test")
    assert bar.steps == len(STAGES)
    first = {
        p.relative_to(baseline): file_digest(p) for p in _outputs(baseline) if p.suffix != ".md" and p.suffix != ".html"
    }
    second = {
        p.relative_to(tmp_path / "again"): file_digest(p)
        for p in _outputs(tmp_path / "again")
        if p.suffix not in (".md", ".html")
    }
    assert first == second  # report.md and .html name the command, which differs here


def test_two_identical_grid_sweeps_are_byte_identical(tmp_path, capsys):
    from deterrence.library import get_model
    from games.iran_pakistan.commands import MODEL

    p = get_model(MODEL).parameters.to_list()[0]
    grid = f"{p['name']}={float(p['low'])}:{float(p['high'])}:7"
    for name in ("a.csv", "b.csv"):
        assert main(["sweep", MODEL, "--grid", grid, "-o", str(tmp_path / name), "-q"]) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    side = json.loads((tmp_path / ("a.csv" + SUFFIX)).read_text())
    assert "seed" not in side and side["output"]["sha256"] == file_digest(tmp_path / "a.csv")


# -- LaTeX ------------------------------------------------------------------------------------
def test_latex_files(baseline):
    folder = baseline / "latex"
    assert "\\begin{game}" in (folder / "matrix.tex").read_text()
    assert "\\istroot" in (folder / "tree.tex").read_text()
    assert "\\begin{align*}" in (folder / "thresholds.tex").read_text()
    audit = (folder / "audit.tex").read_text()
    assert "\\toprule" in audit and "\\bottomrule" in audit
    assert [line.split(" & ")[0] for line in audit.splitlines() if re.match(r"C\d+ & ", line)] == CLAIMS


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_report_compiles(baseline, tmp_path):
    shutil.copytree(baseline / "latex", tmp_path / "latex")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=tmp_path / "latex",
        capture_output=True,
        text=True,
        timeout=180,
    )
    if "File `sgame.sty' not found" in done.stdout or "File `istgame.sty' not found" in done.stdout:
        pytest.skip("sgame or istgame is not installed")
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "latex" / "report.pdf").read_bytes()[:5] == b"%PDF-"


# -- failures ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv, message",
    [
        pytest.param(["--set", "nosuch=1"], "unknown parameter 'nosuch'", id="unknown-parameter"),
        pytest.param(["--scenario", "nosuch"], "scenario", id="bad-scenario"),
        pytest.param(["--grid", "1"], "grid size", id="bad-grid"),
        pytest.param(["--sobol-samples", "100"], "power of two", id="bad-sobol"),
        pytest.param(["--robustness", "100"], "power of two", id="bad-robustness"),
        pytest.param(["--robustness", "many"], "whole number", id="robustness-not-a-number"),
    ],
)
def test_user_errors_exit_2(tmp_path, capsys, argv, message):
    assert main(["report", "-o", str(tmp_path / "out"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("deterrence: error:") and message in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists() and not list(tmp_path.iterdir())


def test_unwritable_directory_exits_2(tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    assert main(["report", "-o", str(blocker / "sub")]) == 2
    assert "cannot write to" in capsys.readouterr().err


def test_a_directory_of_other_files_is_not_replaced(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["report", "-o", str(tmp_path), *SMALL]) == 2
    assert "not a report" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def _previous(out: Path) -> dict[Path, str]:
    (out / "figures").mkdir(parents=True)
    kept = {out / "report.md": "old report\n", out / "figures" / "belief_simplex.png": "old figure"}
    for path, text in kept.items():
        path.write_text(text, encoding="utf-8")
    return kept


def test_a_failed_write_keeps_the_previous_report(tmp_path, capsys, full_disk):
    out = tmp_path / "out"
    kept = _previous(out)
    assert main(["report", "-o", str(out), "--grid", "3", "-q"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("deterrence: error: cannot write ") and "No space left" in err[0]
    assert str(out) in err[0] and ".partial" not in err[0]  # named by its final place
    assert {path: path.read_text(encoding="utf-8") for path in kept} == kept
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary directory left behind


def test_an_interrupted_report_leaves_nothing_that_looks_complete(tmp_path, capsys, monkeypatch):
    from games.iran_pakistan import report_figures

    def interrupt(v, folder, *args, **kwargs):
        (folder / "half-written.png").write_bytes(b"")  # interrupted while writing the figures
        raise KeyboardInterrupt

    monkeypatch.setattr(report_figures, "draw_figures", interrupt)
    out = tmp_path / "out"
    kept = _previous(out)
    assert main(["report", "-o", str(out), *SMALL]) == 130
    assert {path: path.read_text(encoding="utf-8") for path in kept} == kept
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    from games.iran_pakistan import claims

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(claims, "audit", stop)  # the first stage: nothing written yet
    assert main(["report", "-o", str(tmp_path / "new"), *SMALL]) == 130
    assert not (tmp_path / "new").exists() and [p.name for p in tmp_path.iterdir()] == ["out"]


# -- the figure data --------------------------------------------------------------------------
def test_switches_are_real_changes_of_the_solved_outcome():
    import numpy as np

    from games.iran_pakistan.analysis import solve_continuation
    from games.iran_pakistan.figures import switches
    from games.iran_pakistan.forms import values_for

    v = values_for()
    for s in switches(v, n=101)[:4]:
        step = (s["high"] - s["low"]) / 100
        point = {k: np.full(2, float(x)) for k, x in v.items()}
        point[s["parameter"]] = np.array([s["at"] - step / 2, s["at"] + step / 2])
        out = solve_continuation(point)
        changed = any(not np.array_equal(out[k][0], out[k][1]) for k in out if k.startswith(("choice", "escalates/")))
        assert changed, s["parameter"]


def test_sobol_indices_of_a_measure_that_does_not_vary_are_none(monkeypatch):
    import numpy as np

    from games.iran_pakistan import figures
    from games.iran_pakistan.forms import values_for

    flat = lambda point: {"retaliation_margin": np.zeros(len(next(iter(point.values()))))}  # noqa: E731
    monkeypatch.setattr(figures, "solve_continuation", flat)
    assert figures.sobol_indices(values_for(), "retaliation_margin", figures.THIRD_PARTY[:2], n=16) is None


def test_markdown_to_html_table_code_and_emphasis():
    from deterrence.io.markdown import markdown_to_html

    page = markdown_to_html("## H\n\n| a | b \\| c |\n|---|---|\n| `x<y` | **z** |\n\n- one *two*\n- 2*(3)*4\n")
    assert "<h2>H</h2>" in page and "<th>b | c</th>" in page
    assert "<td><code>x&lt;y</code></td><td><strong>z</strong></td>" in page
    assert "<li>one <em>two</em></li>" in page and "<li>2*(3)*4</li>" in page


def test_the_analytic_c1_boundary_matches_the_solver_on_every_map():
    from games.iran_pakistan.figures import actor_pair, belief_map, outcome_map
    from games.iran_pakistan.forms import values_for

    v = values_for()
    maps = [belief_map(v, 15)] + [outcome_map(v, *actor_pair(a), 15) for a in ("China", "United States", "India")]
    for m in maps:
        # Wherever the two conditions' premise holds, "retaliate iff both hold" is the solver's answer.
        assert m.summary["c1_premise_cells"] > 0 and m.agreement == 1.0, (m.x, m.y)


def test_the_tree_is_drawn_by_matplotlib_without_graphviz(tmp_path, monkeypatch):
    from deterrence.plotting import tree
    from games.iran_pakistan.forms import values_for
    from games.iran_pakistan.report_figures import _tree

    monkeypatch.setattr(tree, "render_dot", lambda text, fmt="svg", timeout=60.0: None)
    figure = _tree(values_for(), tmp_path)
    assert figure.data["drawn_by"] == "matplotlib" and figure.data["path"]  # the SPE path, root to leaf
    png, svg = figure.files
    assert png.read_bytes()[:4] == b"\x89PNG" and "<svg" in svg.read_text(encoding="utf-8")
