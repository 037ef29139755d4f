"""``deterrence audit``: table, JSON, scenarios and one-line errors (exit 2)."""

from __future__ import annotations

import json

import pytest

from deterrence.cli.main import main
from games.iran_pakistan import scenario_path

STATUSES = {"confirmed", "qualified", "refuted", "definitional"}


def _run(capsys, *argv):
    code = main(["audit", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_audit_table(capsys):
    code, out, err = _run(capsys)
    assert code == 0 and err == ""
    for claim in (f"C{i}" for i in range(1, 13)):
        assert f"  {claim}: " in out
    assert "confirmed" in out and "regions where each claim holds" in out


def test_audit_json(capsys):
    code, out, _ = _run(capsys, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 12
    assert [r["claim"] for r in rows] == [f"C{i}" for i in range(1, 13)]
    for r in rows:
        assert {"claim", "status", "summary", "evidence", "region", "refuting_example", "definitional"} <= set(r)
        assert r["status"] in STATUSES
        # A row is either refutable (with an example) or labelled definitional, never both.
        assert (r["status"] == "definitional") == r["definitional"]
        if r["definitional"]:
            assert r["refuting_example"] is None
        elif r["refuting_example"] is not None:
            assert all(isinstance(x, str) for x in r["refuting_example"].values())
    assert rows[1]["evidence"]["response_bayesian"] == "calibrated"


@pytest.mark.parametrize(
    "spec", [pytest.param("strong_china", id="by-name"), pytest.param(str(scenario_path("strong_china")), id="by-path")]
)
def test_audit_scenario(capsys, spec):
    code, out, _ = _run(capsys, "--scenario", spec, "--format", "json")
    rows = {r["claim"]: r for r in json.loads(out)}
    assert code == 0
    # With strong China (m = 3, leverage 3) no type escalates after a calibrated strike.
    assert rows["C11"]["status"] == "confirmed"
    assert rows["C11"]["evidence"]["p_escalation_on_path_bayesian"] == 0


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--set", "no_such_parameter=1"], id="unknown-set-name"),
        pytest.param(["--set", "china_mediation=99"], id="out-of-range"),
        pytest.param(["--set", "china_mediation=2*x"], id="formula"),
        pytest.param(["--set", "prior_broaden=0.9"], id="priors-above-one"),
        pytest.param(["--scenario", "no_such_scenario"], id="unknown-scenario"),
    ],
)
def test_audit_errors(capsys, argv):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("deterrence: error:")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[parameters\nchina_mediation = 1\n", id="malformed-toml"),
        pytest.param('[parameters]\nchina_mediation = "2*x"\n', id="formula-in-file"),
    ],
)
def test_audit_bad_scenario_file(capsys, tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    code, out, err = _run(capsys, "--scenario", str(path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_audit_output_and_sidecar(capsys, tmp_path):
    target = tmp_path / "made" / "audit.json"  # the missing directory is created
    code, out, err = _run(capsys, "--format", "json", "-o", str(target))
    assert code == 0 and out == "" and err == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 12
    sidecar = json.loads((tmp_path / "made" / "audit.json.provenance.json").read_text(encoding="utf-8"))
    assert sidecar["output"]["bytes"] == target.stat().st_size
    assert sidecar["design"] == {"kind": "audit", "scenario": None}


def test_failed_audit_write_keeps_the_previous_file(capsys, tmp_path, full_disk):
    target = tmp_path / "audit.txt"
    target.write_text("previous audit\n", encoding="utf-8")
    code, out, err = _run(capsys, "-o", str(target))
    assert code == 2 and out == ""
    assert err.splitlines() == [f"deterrence: error: cannot write {target}: No space left on device"]
    assert target.read_text(encoding="utf-8") == "previous audit\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.txt"]  # no sidecar, no temporary file
