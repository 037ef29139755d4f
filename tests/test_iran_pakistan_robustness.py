"""Robustness of the claim verdicts: shares, intervals and Sobol' indices (games/iran_pakistan/robustness.py).

The machinery is tested against toy status functions whose answers are known
in closed form; one test runs the case's own claim_status through the CLI.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from deterrence.errors import DeterrenceError
from games.iran_pakistan import robustness as rb
from games.iran_pakistan.parameters import PARAMETERS
from tests.cli_runs import run


def one_parameter(points):
    """Confirmed iff precedent_loss > 5 (range 0-20: three quarters of the uniform box)."""
    return {"T": np.where(points["precedent_loss"] > 5, 2, 0)}


def additive(points):
    """Two independent halves: status = [precedent_loss > 10] + [resolve_value > 5]."""
    return {"T": (points["precedent_loss"] > 10).astype(int) + (points["resolve_value"] > 5).astype(int)}


def interaction(points):
    """Confirmed iff exactly one of two halves holds (xor): no first-order effect, all interaction."""
    return {"T": np.where((points["precedent_loss"] > 10) ^ (points["resolve_value"] > 5), 2, 0)}


def constant(points):
    return {"T": np.ones(len(points["precedent_loss"]), dtype=int)}


def record_priors(points):
    """Status that encodes the prior constraint, so the test can read it back."""
    ok = points["prior_broaden"] + points["prior_coerce"] <= 1 + 1e-12
    return {"T": np.where(ok, 2, 0), "B": np.where(points["prior_coerce"] > 0.5, 2, 0)}


def test_a_status_decided_by_one_parameter_gets_its_total_index_and_its_share():
    r = rb.robustness(one_parameter, n=512, seed=3, boxes=("uniform",))
    row = r.rows["T"]["uniform"]
    total, first = row["sobol"]["total"], row["sobol"]["first"]
    assert total["precedent_loss"] > 0.9 and first["precedent_loss"] > 0.9
    assert max(abs(v) for k, v in total.items() if k != "precedent_loss") < 0.02
    assert row["deciding"] == ["precedent_loss"]
    # The share of the range above 5 is 3/4; Sobol' points get within a couple of points of it.
    assert abs(row["share_confirmed"] - 0.75) < 0.02
    assert row["share_held"] == row["share_confirmed"]  # no qualified code in this toy
    low, high = row["ci_confirmed"]
    assert low < 0.75 < high and high - low < 0.1
    assert row["points"] == 1024 and row["n"] == 512 and not row["constant"]


def test_additive_and_interacting_statuses_split_first_and_total_indices():
    add = rb.robustness(additive, n=1024, seed=1, boxes=("uniform",)).rows["T"]["uniform"]["sobol"]
    for name in ("precedent_loss", "resolve_value"):
        assert abs(add["first"][name] - 0.5) < 0.08 and abs(add["total"][name] - 0.5) < 0.08
    xor = rb.robustness(interaction, n=1024, seed=1, boxes=("uniform",)).rows["T"]["uniform"]["sobol"]
    for name in ("precedent_loss", "resolve_value"):
        # A first-order index near 1 here would mean first and total were swapped.
        assert abs(xor["first"][name]) < 0.08 and xor["total"][name] > 0.9


def test_a_constant_status_is_flagged_and_names_no_deciding_parameter():
    row = rb.robustness(constant, n=16, boxes=("local",)).rows["T"]["local"]
    assert row["constant"] and row["deciding"] == []
    assert row["share_confirmed"] == 0 and row["share_held"] == 1
    assert set(row["sobol"]["total"].values()) == {0.0}


def test_the_uniform_box_samples_the_prior_simplex_and_the_local_box_stays_inside_it():
    r = rb.robustness(record_priors, n=256, seed=5)
    assert r.rows["T"]["uniform"]["share_confirmed"] == 1 and r.rows["T"]["local"]["share_confirmed"] == 1
    # Sequential map: prior_broaden ~ U[0, 1], prior_coerce ~ U[0, 1 - prior_broaden], so
    # P(prior_coerce > 1/2) = integral_0^1/2 (1 - 1/(2(1-b))) db = (1 - ln 2)/2 = 0.153 (uniform on the simplex: 1/4).
    assert abs(r.rows["B"]["uniform"]["share_confirmed"] - (1 - np.log(2)) / 2) < 0.03
    assert r.rows["B"]["local"]["share_confirmed"] == 0  # the local box tops out at 0.45


def test_local_box_is_plus_minus_half_the_calibration_cut_to_the_ranges():
    b = rb.box_bounds("local")
    assert b["precedent_loss"] == (2.0, 6.0)
    assert b["restoration_direct"] == (0.5, 1.0)  # 1.5 is cut to the top of the range
    assert b["escalation_value_ct"] == (0.0, 0.0)  # calibrated at 0: fixed
    assert rb.box_bounds("local", {"precedent_loss": 16})["precedent_loss"] == (8.0, 20.0)
    uniform = rb.box_bounds("uniform")
    assert all(uniform[p.name] == (float(p.low), float(p.high)) for p in PARAMETERS)
    r = rb.robustness(one_parameter, n=16, boxes=("local",))
    assert "escalation_value_ct" not in r.rows["T"]["local"]["sobol"]["total"]
    assert len(r.boxes["local"]) == len(PARAMETERS) - 1


def test_same_seed_same_numbers_serial_or_parallel_and_another_seed_differs():
    from deterrence.sweeps.executors import executor

    serial = rb.robustness(additive, n=64, seed=7, boxes=("uniform",))
    with executor(2) as pool:
        parallel = rb.robustness(additive, n=64, seed=7, boxes=("uniform",), executor=pool)
    assert json.dumps(serial.to_dict(), sort_keys=True) == json.dumps(parallel.to_dict(), sort_keys=True)
    # Another seed scrambles and pairs the points differently, and so estimates differently.
    other = rb.robustness(additive, n=64, seed=8, boxes=("uniform",))
    assert other.rows["T"]["uniform"]["sobol"]["total"] != serial.rows["T"]["uniform"]["sobol"]["total"]


def test_progress_advances_once_per_chunk():
    class Count:
        steps = 0

        def update(self, k=1):
            self.steps += k

    bar = Count()
    rb.robustness(constant, n=128, progress=bar)
    assert bar.steps == rb.chunk_count(128) > 2


def test_wilson_interval_matches_the_closed_form():
    z = 1.959963984540054
    n, k = 32, 0
    assert rb._interval(k, n)[1] == pytest.approx(z * z / (n + z * z))
    low, high = rb._interval(16, 32)
    centre = (16 + z * z / 2) / (32 + z * z)
    assert (low + high) / 2 == pytest.approx(centre)


@pytest.mark.parametrize(
    ("n", "says"), [("300", "try 256 or 512"), ("8192", "4096 or less"), ("4", "at least 16"), ("x", "whole number")]
)
def test_bad_sizes_are_refused_in_one_line(n, says):
    with pytest.raises(DeterrenceError, match=says) as info:
        rb.check_n(n)
    assert "\n" not in str(info.value)


def test_the_figure_is_written_from_the_result_or_its_json(tmp_path):
    r = rb.robustness(additive, n=16)
    png = rb.robustness_figure(r, tmp_path / "a" / "robustness.png")
    pdf = rb.robustness_figure(json.loads(json.dumps(r.to_dict())), tmp_path / "robustness.pdf")
    assert png.read_bytes()[:4] == b"\x89PNG" and pdf.read_bytes()[:4] == b"%PDF"


def test_cli_rows_carry_robustness_and_the_table_shows_it(capsys, monkeypatch):
    monkeypatch.setattr(rb, "default_status", lambda: one_parameter_for_claims)
    status, out, err = run(capsys, "audit", "--robustness", "32", "--seed", "2", "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    c1 = rows[0]["robustness"]
    assert set(c1) == {"uniform", "local"} and c1["uniform"]["n"] == 32 and c1["uniform"]["seed"] == 2
    assert c1["uniform"]["deciding"] == ["precedent_loss"]
    # Local box: precedent_loss in [2, 6], above 5 on a quarter of it.
    assert abs(c1["local"]["share_confirmed"] - 0.25) < 0.06
    status, out, _ = run(capsys, "audit", "--robustness", "16")
    assert status == 0 and "C1: uniform: precedent_loss" in out
    # Each box gets 2N points: the N Sobol' points of A and their N partners in B.
    assert "robustness over 2N = 32 scrambled Sobol' points per box (N = 16 points and their 16 partners" in out


def test_the_table_title_and_the_help_count_the_points_each_share_is_taken_over(capsys):
    r = rb.robustness(one_parameter, n=16, boxes=("uniform",))
    assert r.rows["T"]["uniform"]["points"] == 32
    assert rb.robustness_table(r).startswith("robustness over 2N = 32 scrambled Sobol' points per box (N = 16 ")
    for command in ("audit", "report"):
        with pytest.raises(SystemExit):
            run(capsys, command, "--help")
        help_text = " ".join(capsys.readouterr().out.split())
        assert "2N" in help_text and "N points and their N partners" in help_text, command


def one_parameter_for_claims(points):
    return {f"C{i}": one_parameter(points)["T"] for i in range(1, 13)}


def test_cli_refuses_a_size_above_the_limit(capsys):
    status, _, err = run(capsys, "audit", "--robustness", "100000")
    assert status == 2 and "use --robustness 4096 or less" in err and "Traceback" not in err


def test_the_case_claim_status_runs_through_the_machinery():
    from games.iran_pakistan.claim_status import CLAIMS

    r = rb.robustness(None, n=16, seed=0, boxes=("local",))
    assert list(r.rows) == list(CLAIMS)
    for row in (by_box["local"] for by_box in r.rows.values()):
        assert 0 <= row["share_confirmed"] <= row["share_held"] <= 1
        assert row["ci_held"][0] <= row["share_held"] <= row["ci_held"][1]


def test_cli_sidecar_records_the_robustness_design_and_seed(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(rb, "default_status", lambda: one_parameter_for_claims)
    out = tmp_path / "audit.json"
    status, _, err = run(capsys, "audit", "--robustness", "16", "--seed", "9", "--format", "json", "-o", str(out))
    assert status == 0, err
    sidecar = json.loads((tmp_path / "audit.json.provenance.json").read_text())
    assert sidecar["seed"] == 9 and sidecar["design"]["robustness"] == {"n": 16, "seed": 9}
    assert json.loads(out.read_text())[0]["robustness"]["local"]["seed"] == 9
