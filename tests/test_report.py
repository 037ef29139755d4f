"""Tests of ``deterrence report`` (games/iran_pakistan/report.py, sections.py, figures.py, commands.py).

The report is built once per calibration (module-scoped fixtures, small grids) and
the tests read the files it wrote.
"""

from __future__ import annotations

import json
import os
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from deterrence.cli.main import main

os.environ.setdefault("MPLBACKEND", "Agg")  # figures use the Agg canvas; keep any pyplot use headless too

CLAIMS = [f"C{i}" for i in range(1, 13)]
SIDECAR_KEYS = {"deterrence_version", "command", "parameters", "seed", "scenario", "output"}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    status = main(["report", "-o", str(out), "--grid", "15", "--format", "html", "-q"])
    assert status == 0
    return out


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenario")
    status = main(
        [
            "report",
            "-o",
            str(out),
            "--grid",
            "5",
            "-q",
            "--scenario",
            "strong_china",
            "--set",
            "prior_broaden=0.8",
            "--set",
            "prior_coerce=0.1",
        ]
    )
    assert status == 0
    return out


def _audit_rows(report: Path) -> list[list[str]]:
    """Rows of the audit table in report.md (the section that starts with '## 4.')."""
    text = report.read_text(encoding="utf-8")
    section = text.split("## 4. ")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| C")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", r)[1:-1]] for r in rows]


def test_every_claim_in_the_audit_table(baseline):
    rows = _audit_rows(baseline / "report.md")
    assert [r[0] for r in rows] == CLAIMS
    assert all(r[1] in ("confirmed", "qualified", "refuted") for r in rows)
    assert all(len(r) == 4 and r[2] and r[3] for r in rows)  # what the model says, and the region


def test_unconfirmed_claims_are_named_with_their_region(baseline):
    rows = _audit_rows(baseline / "report.md")
    text = (baseline / "report.md").read_text(encoding="utf-8")
    unconfirmed = [r for r in rows if r[1] != "confirmed"]
    assert [r[0] for r in unconfirmed] == ["C11"]  # the broadening type escalates at baseline
    assert "- **C11** is qualified here:" in text and "It would hold where restraint holds" in text


def test_report_content_is_read_off_the_solvers(baseline):
    text = (baseline / "report.md").read_text(encoding="utf-8")
    # Matrix form: degenerate, with the absorb component at q* = 25/34 (statics.absorb_threshold).
    assert "**degenerate**" in text and "q* = 25/34" in text and "Selten's (1975) entry game" in text
    # Sequential form: SPE path calibrated strike, Iranian restraint, payoffs (-1, -1/2).
    assert "Path: Pakistan calibrated -> Iran stand down -> payoffs (Pakistan, Iran) = (-1, -1/2)" in text
    # Bayesian form: expected payoffs and the escalation probability (prior on broaden 1/5).
    assert "absorb -6, calibrated -59/25, direct -44/5" in text and "on the path: 0.2." in text
    # Pre-strike form: counter-terror and broadening types strike.
    assert "| 1 | counter-terror, broaden | calibrated |" in text
    # C1 threshold: text, LaTeX and the switch point along precedent_loss (2.8).
    assert "$$\n\\mathit{precedent\\_loss}" in text
    assert "lies at 2.8 (formula) and 2.8 (batched solver" in text
    # The twelve sign targets.
    statics = text.split("## 5. ")[1].split("\n## ")[0]
    assert [int(line.split("|")[1]) for line in statics.splitlines() if re.match(r"\| \d+ \|", line)] == list(
        range(1, 13)
    )


def test_files_and_sidecars(baseline):
    expected = ["report.md", "report.html", "audit.csv", "audit.json", "sign_targets.csv"]
    expected += [
        f"figures/{stem}.{ext}"
        for stem in ("belief_simplex", "regime_india", "regime_china_us", "tornado")
        for ext in ("png", "pdf")
    ]
    for name in expected:
        path = baseline / name
        assert path.stat().st_size > 0, name
        record = json.loads((baseline / (name + ".json")).read_text())
        assert set(record) >= SIDECAR_KEYS, name
        assert record["seed"] is None
        assert record["scenario"]["name"] == "baseline"
        assert record["command"].startswith("deterrence report -o ")
        assert {p["name"]: p["value"] for p in record["parameters"]}["china_mediation"] == 0.5
        assert record["output"]["bytes"] == path.stat().st_size


def test_figures_are_images(baseline):
    for stem in ("belief_simplex", "regime_india", "regime_china_us", "tornado"):
        png = (baseline / "figures" / f"{stem}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
        assert (baseline / "figures" / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
    text = (baseline / "report.md").read_text(encoding="utf-8")
    assert "![" in text and "](figures/belief_simplex.png)" in text


def test_audit_json_has_the_audit_command_schema(baseline):
    # `deterrence audit --format json` prints [ClaimCheck.to_dict() for each claim]; rerunning the
    # audit here would double the test time, so the schema and the values are checked directly.
    records = json.loads((baseline / "audit.json").read_text())
    assert [r["claim"] for r in records] == CLAIMS
    assert all(set(r) == {"claim", "status", "summary", "evidence", "region"} for r in records)
    assert records[0]["evidence"]["switch_precedent_loss_symbolic"] == pytest.approx(2.8)
    assert records[1]["evidence"]["retaliation_margin"] == "91/25"
    csv_lines = (baseline / "audit.csv").read_text().splitlines()
    assert csv_lines[0] == "claim,status,summary,region" and len(csv_lines) == 13


def test_html_is_self_contained(baseline):
    page = (baseline / "report.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 4
    assert "<table>" in page and "<td>C12</td>" in page and "http" not in page.split("<body>")[0]


def test_scenario_and_overrides_change_the_calibration(scenario):
    text = (scenario / "report.md").read_text(encoding="utf-8")
    assert "Scenario: **strong China mediation**" in text
    assert "`china_mediation = 3` (baseline 1/2)" in text
    assert "Set on the command line: `prior_broaden = 4/5`, `prior_coerce = 1/10`." in text
    assert "| china_mediation * | 3 |" in text
    record = json.loads((scenario / "audit.json.json").read_text())
    assert {p["name"]: p["value"] for p in record["parameters"]}["china_leverage"] == 3
    assert record["scenario"]["overrides"] == {"prior_broaden": "4/5", "prior_coerce": "1/10"}
    assert [r[0] for r in _audit_rows(scenario / "report.md")] == CLAIMS


@pytest.mark.parametrize(
    "argv, message",
    [
        pytest.param(["--set", "nosuch=1"], "unknown parameter 'nosuch'", id="unknown-parameter"),
        pytest.param(["--scenario", "nosuch"], "scenario", id="bad-scenario"),
        pytest.param(["--set", "prior_broaden=0.9"], "exceeds 1", id="priors-above-one"),
        pytest.param(["--grid", "1"], "grid size", id="bad-grid"),
    ],
)
def test_user_errors_exit_2(tmp_path, capsys, argv, message):
    assert main(["report", "-o", str(tmp_path / "out"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("deterrence: error:") and message in err and err.count("\n") == 1


def test_unwritable_directory_exits_2(tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    assert main(["report", "-o", str(blocker / "sub")]) == 2
    assert "cannot write to" in capsys.readouterr().err


def test_a_failed_write_keeps_the_previous_report(tmp_path, capsys, full_disk):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    kept = {out / "report.md": "old report\n", out / "figures" / "belief_simplex.png": "old figure"}
    for path, text in kept.items():
        path.write_text(text, encoding="utf-8")
    assert main(["report", "-o", str(out), "--grid", "3", "-q"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("deterrence: error: cannot write ") and "No space left" in err[0]
    assert {path: path.read_text(encoding="utf-8") for path in kept} == kept
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]  # no temporary file left behind


# -- the figure data ------------------------------------------------------------------------
def test_belief_map_switches_at_the_c1_threshold():
    from games.iran_pakistan.figures import belief_map
    from games.iran_pakistan.forms import values_for

    m = belief_map(values_for(), n=35)
    assert m.agreement == 1.0
    absorb = m.labels[0] == "absorb"  # prior_coerce = 0 row
    first = m.x_values[absorb.argmax()]
    # C10: Pakistan retaliates iff prior_broaden < 25/34 (claims.check_c10).
    assert first - (m.x_values[1] - m.x_values[0]) < float(Fraction(25, 34)) <= first
    assert (m.labels[m.labels != ""] != "direct strike").all()


def test_india_map_matches_the_analytic_boundary():
    from games.iran_pakistan.figures import outcome_map
    from games.iran_pakistan.forms import values_for

    m = outcome_map(values_for(), "india_emboldening", "india_second_front", n=21)
    assert m.agreement == 1.0 and m.summary["c1_premise_cells"] > 300
    # Pakistan's counter-escalation is credible iff india_second_front < 2 india_emboldening (baseline elsewhere).
    xx, yy = np.meshgrid(m.x_values, m.y_values)
    off_boundary = np.abs(yy - 2 * xx) > 1e-9
    assert (m.retaliates[off_boundary] == (yy < 2 * xx)[off_boundary]).all()


def test_swings_are_one_at_a_time():
    from games.iran_pakistan.figures import swings
    from games.iran_pakistan.forms import values_for

    s = swings(values_for(), ("china_mediation", "us_ct_stake"), measure="p_escalate", n=11)
    assert s["baseline"] == pytest.approx(0.2)
    # Strong mediation (m >= 3.5) makes the broadening type stand down; the CT stake
    # does not move Iran while counter-escalation stays credible.
    assert s["at_high"][0] == 0.0 and s["at_low"][0] == pytest.approx(0.2)
    # Past us_ct_stake = 2.17 counter-escalation is not credible and Pakistan absorbs: no escalation on the path.
    assert s["at_low"][1] == pytest.approx(0.2) and s["at_high"][1] == 0.0 and s["max"][1] == pytest.approx(0.2)


def test_markdown_to_html_table_and_code():
    from deterrence.io.markdown import markdown_to_html

    page = markdown_to_html("## H\n\n| a | b \\| c |\n|---|---|\n| `x<y` | **z** |\n\n- one\n- two\n")
    assert "<h2>H</h2>" in page and "<th>b | c</th>" in page
    assert "<td><code>x&lt;y</code></td><td><strong>z</strong></td>" in page
    assert "<ul><li>one</li>\n<li>two</li></ul>" in page
