"""The sweep, sensitivity, thresholds and plot commands, run in-process through ``main``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runs import run, use_models

from deterrence.analysis.outcomes import normal_form_outcomes
from deterrence.cli.main import main
from deterrence.io.provenance import file_digest, read_sidecar
from deterrence.model import Model
from games.classic import CHICKEN_PARAMETERS, chicken

OUTCOMES = normal_form_outcomes(chicken, {"p_firm": ("Row", "Stand firm", "last")})


class Broken:
    """Outcomes that die once crash_cost passes 2: an interrupted sweep."""

    def __call__(self, points, concept):
        if points["crash_cost"].max() > 2:
            raise RuntimeError("simulated crash")
        return OUTCOMES(points, concept)


MODELS = {
    "chicken-t": Model(
        "chicken-t",
        "Chicken",
        "Snyder & Diesing (1977)",
        chicken,
        CHICKEN_PARAMETERS,
        outcomes=OUTCOMES,
        concepts=("nash", "pure"),
    ),
    "chicken-broken": Model(
        "chicken-t",
        "Chicken",
        "",
        chicken,
        CHICKEN_PARAMETERS,
        outcomes=Broken(),
        concepts=("nash", "pure"),
    ),
}


@pytest.fixture(autouse=True)
def registry(monkeypatch, tmp_path):
    use_models(monkeypatch, tmp_path, MODELS)


GRID = ["--grid", "crash_cost=0:4:9", "--grid", "face_loss=0:4:5", "--seed", "7"]


def test_sweep_writes_table_sidecar_and_summary(capsys):
    status, out, err = run(capsys, "sweep", "chicken-t", *GRID, "-o", "s.csv", "--set", "win=2")
    assert status == 0 and err == ""
    assert "swept chicken-t: 45 points" in out and "Stand firm/Stand firm" in out
    meta = read_sidecar("s.csv")
    assert meta["seed"] == 7 and meta["design"]["kind"] == "grid" and "--set win=2" in meta["command"]
    header = Path("s.csv").read_text().splitlines()[0].split(",")
    # The varied parameters (in the model's order), then the outcome; win is fixed, so it is a constant.
    assert header[:3] == ["face_loss", "crash_cost", "outcome"] and "win" not in header and "seed" not in header
    assert meta["constants"]["win"] == 2.0 and meta["constants"]["method"] == "grid"
    status, _, _ = run(capsys, "sweep", "chicken-t", *GRID, "-o", "wide.csv", "--set", "win=2", "--all-columns", "-q")
    wide = Path("wide.csv").read_text().splitlines()
    assert status == 0 and wide[0].split(",")[:4] == ["win", "face_loss", "crash_cost", "outcome"]
    assert wide[0].endswith(",concept,method,seed,version") and read_sidecar("wide.csv")["constants"] == {}
    assert len(wide) == len(Path("s.csv").read_text().splitlines()) == 46


@pytest.mark.parametrize("suffix", [".csv", pytest.param(".parquet", id="parquet")])
def test_cli_parallel_runs_match_serial(capsys, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    run(capsys, "sweep", "chicken-t", *GRID, "-o", "a" + suffix, "--chunk-size", "7", "-q")
    run(capsys, "sweep", "chicken-t", *GRID, "-o", "b" + suffix, "--chunk-size", "7", "-q", "-j", "2")
    assert file_digest("a" + suffix) == file_digest("b" + suffix)


def test_sample_sweep_with_vary(capsys):
    status, out, _ = run(
        capsys,
        "sweep",
        "chicken-t",
        "--sample",
        "sobol",
        "--n",
        "64",
        "--vary",
        "win",
        "--vary",
        "crash_cost=0:3",
        "--seed",
        "1",
        "-o",
        "q.csv",
    )
    assert status == 0
    meta = read_sidecar("q.csv")
    assert meta["design"]["bounds"] == {"win": [0.0, 10.0], "crash_cost": [0.0, 3.0]}
    assert meta["design"]["size"] == 64


def test_resume_after_a_crash_gives_the_uninterrupted_table(capsys):
    run(capsys, "sweep", "chicken-t", *GRID, "-o", "ref.csv", "--chunk-size", "5", "-q")
    with pytest.raises(RuntimeError, match="simulated crash"):
        main(["sweep", "chicken-broken", *GRID, "-o", "cut.csv", "--chunk-size", "5", "-q"])
    assert Path("cut.csv.chunks").is_dir() and not Path("cut.csv").exists()
    status, _, err = run(capsys, "sweep", "chicken-t", *GRID, "-o", "cut.csv", "--chunk-size", "5", "-q")
    assert status == 2 and "--resume" in err
    status, out, _ = run(capsys, "sweep", "chicken-t", *GRID, "-o", "cut.csv", "--chunk-size", "5", "--resume")
    assert status == 0 and "reused" in out
    assert file_digest("cut.csv") == file_digest("ref.csv")


def test_resume_without_a_seed_reuses_the_recorded_one(capsys):
    sample = ["--sample", "lhs", "--n", "40", "--vary", "crash_cost=0:4", "--chunk-size", "8", "-q"]
    with pytest.raises(RuntimeError):
        main(["sweep", "chicken-broken", *sample, "-o", "r.csv"])
    assert run(capsys, "sweep", "chicken-t", *sample, "-o", "r.csv", "--resume")[0] == 0
    seed = read_sidecar("r.csv")["seed"]
    run(capsys, "sweep", "chicken-t", *sample, "-o", "fresh.csv", "--seed", str(seed))
    assert file_digest("r.csv") == file_digest("fresh.csv")


@pytest.mark.parametrize(
    "argv, message",
    [
        pytest.param(["--grid", "crash=0:1:3"], "unknown parameter 'crash'", id="unknown-grid-parameter"),
        pytest.param(["--sample", "lhs", "--n", "8", "--vary", "wn"], "did you mean 'win'", id="unknown-vary"),
        pytest.param(["--grid", "crash_cost=5:1:3"], "above high", id="low-above-high"),
        pytest.param(["--grid", "crash_cost=0:1:0"], "at least 1", id="grid-n-zero"),
        pytest.param(["--sample", "lhs", "--n", "0"], "--n must be at least 1", id="sample-n-zero"),
        pytest.param(["--sample", "lhs"], "needs --n", id="missing-n"),
        pytest.param(["--grid", "win=0:1:2", "--sample", "lhs", "--n", "4"], "either --grid", id="both"),
        pytest.param([], "either --grid", id="neither"),
        pytest.param(["--grid", "win=0:1:2", "--set", "win=1"], "both varied and fixed", id="varied-and-set"),
        pytest.param(["--grid", "win=0:1:2", "--seed", "-3"], "non-negative", id="negative-seed"),
        pytest.param(["--grid", "win=0:1:2", "-o", "x.xlsx"], ".csv or .parquet", id="bad-format"),
        pytest.param(["--grid", "win=0:1:2", "--concept", "spe"], "supports concepts", id="bad-concept"),
    ],
)
def test_sweep_mistakes_are_one_line_errors(capsys, argv, message):
    status, out, err = run(capsys, "sweep", "chicken-t", *argv)
    assert status == 2 and out == ""
    assert err.startswith("deterrence: error:") and message in err and err.count("\n") == 1


def test_thresholds_text_and_json(capsys):
    status, out, _ = run(capsys, "thresholds", "chicken-t", "--param", "crash_cost", "--set", "face_loss=3")
    assert status == 0
    assert "crash_cost = face_loss" in out and r"\mathrm{crash\_cost} = \mathrm{face\_loss}" in out
    assert "crash_cost = 3 (brentq)" in out and "agree" in out
    status, out, _ = run(
        capsys,
        "thresholds",
        "chicken-t",
        "--param",
        "crash_cost",
        "--format",
        "json",
        "--range",
        "0:50",
    )
    [t] = json.loads(out)["thresholds"]
    assert t["value"] == 1.0 and t["agree"] is True and t["formula"] == "crash_cost = face_loss"
    status, _, err = run(capsys, "thresholds", "chicken-t", "--param", "crash_cost", "--set", "crash_cost=3")
    assert status == 2 and "also fixed" in err


@pytest.mark.parametrize(
    "method, n, column",
    [
        pytest.param("oat", "3", "swing", id="oat"),
        pytest.param("morris", "6", "mu_star", id="morris"),
        pytest.param("sobol", "64", "ci_high", id="sobol"),
    ],
)
def test_sensitivity_methods_write_tables_and_plots(capsys, method, n, column):
    status, out, _ = run(
        capsys,
        "sensitivity",
        "chicken-t",
        "--measure",
        "p_firm",
        "--method",
        method,
        "--n",
        n,
        "--vary",
        "crash_cost=2:20",
        "--vary",
        "win",
        "--seed",
        "3",
        "-o",
        f"{method}.csv",
        "--plot",
        f"{method}.svg",
    )
    assert status == 0 and column in out
    assert Path(f"{method}.svg").read_text().startswith("<?xml")
    assert read_sidecar(f"{method}.csv")["seed"] == 3
    assert read_sidecar(f"{method}.svg")["method"] == method


def test_sensitivity_unknown_measure(capsys):
    status, _, err = run(capsys, "sensitivity", "chicken-t", "--measure", "p_fold", "--method", "oat")
    assert status == 2 and "unknown measure 'p_fold'" in err and "p_firm" in err


def test_plot_command_draws_a_regime_map_from_a_sweep(capsys):
    run(capsys, "sweep", "chicken-t", *GRID, "-o", "s.csv", "-q")
    status, out, _ = run(capsys, "plot", "s.csv", "-o", "map.pdf", "--measure", "p_firm")
    assert status == 0 and Path("map.pdf").read_bytes().startswith(b"%PDF")
    assert read_sidecar("map.pdf")["table"] == "s.csv"
    status, _, err = run(capsys, "plot", "missing.csv", "-o", "x.pdf")
    assert status == 2 and "no such sweep file" in err


def test_one_parameter_sweep_plots_measures(capsys):
    status, _, _ = run(
        capsys,
        "sweep",
        "chicken-t",
        "--grid",
        "crash_cost=0:5:21",
        "-q",
        "-o",
        "line.csv",
        "--plot",
        "line.png",
    )
    assert status == 0 and Path("line.png").read_bytes()[:4] == b"\x89PNG"


def test_help_has_examples(capsys):
    for command in ("sweep", "sensitivity", "thresholds", "plot"):
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0
        assert "examples:" in capsys.readouterr().out


def test_entry_point_sweeps_a_registered_model(tmp_path):
    out = tmp_path / "ip.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "deterrence",
            "sweep",
            "iran-pakistan-sequential",
            "--grid",
            "china_mediation=0:5:6",
            "--seed",
            "0",
            "-q",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    assert out.exists() and read_sidecar(out)["model"] == "iran-pakistan-sequential"
