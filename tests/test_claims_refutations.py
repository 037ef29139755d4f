"""Refuting examples: each stored example refutes its check through the CLI; the search reproduces them."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from deterrence.cli.main import main
from games.iran_pakistan import PARAMETERS, values_for
from games.iran_pakistan.claim_status import CLAIMS
from games.iran_pakistan.refutations import STORE, search_refutations, stored_refutations

ENTRIES = stored_refutations()
WITH_EXAMPLE = [c for c in CLAIMS if ENTRIES.get(c, {}).get("example")]


def _audit_json(capsys, *argv) -> dict[str, dict]:
    code = main(["audit", "--format", "json", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return {r["claim"]: r for r in json.loads(out)}


def test_store_is_for_the_current_baseline():
    doc = json.loads(STORE.read_text(encoding="utf-8"))
    assert doc["baseline"] == {k: str(Fraction(x)) for k, x in values_for().items()}
    assert set(doc["claims"]) == set(CLAIMS)


def test_every_claim_is_refutable_or_labelled():
    for claim in CLAIMS:
        entry = ENTRIES[claim]
        assert entry["definitional"] == (entry["example"] is None and "note" not in entry), claim
    assert len(WITH_EXAMPLE) >= 11


@pytest.mark.parametrize("claim", WITH_EXAMPLE)
def test_cli_audit_with_the_example_refutes_the_check(capsys, claim):
    example = ENTRIES[claim]["example"]
    for name, text in example.items():  # inside the stated ranges
        p = PARAMETERS[name]
        assert Fraction(p.low) <= Fraction(text) <= Fraction(p.high)
    rows = _audit_json(capsys, *[arg for k, x in example.items() for arg in ("--set", f"{k}={x}")])
    assert rows[claim]["status"] == "refuted"
    assert rows[claim]["refuting_example"] == example


def test_baseline_rows_carry_their_examples(capsys):
    rows = _audit_json(capsys)
    for claim in CLAIMS:
        assert rows[claim]["refuting_example"] == ENTRIES[claim]["example"]
        assert rows[claim]["status"] != "refuted"  # the baseline is not its own refutation


def test_a_definitional_row_says_so(monkeypatch):
    import games.iran_pakistan.refutations as refutations
    from games.iran_pakistan.claims import audit

    fake = {**ENTRIES, "C5": {"example": None, "definitional": True, "why": "nothing refutes it"}}
    monkeypatch.setattr(refutations, "stored_refutations", lambda: fake)
    row = {r.claim: r for r in audit()}["C5"]
    assert row.status == "definitional" and row.definitional and row.refuting_example is None
    assert row.summary.startswith("Definitional: nothing refutes it")
    assert row.evidence["check_status_here"] == "confirmed"
    assert row.to_dict()["definitional"] is True


@pytest.mark.slow
def test_search_reproduces_the_stored_examples():
    found = search_refutations()
    for claim in CLAIMS:
        assert found[claim]["example"] == ENTRIES[claim]["example"], claim
        assert found[claim]["definitional"] == ENTRIES[claim]["definitional"], claim
