"""What a sweep writes (narrow tables, CSV text, sizes, fallback counts) and how its output fails."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_runs import run, use_models

from deterrence.analysis.outcomes import normal_form_outcomes
from deterrence.errors import DeterrenceError
from deterrence.io.provenance import file_digest, read_sidecar
from deterrence.model import Model
from deterrence.sweeps import estimate
from deterrence.sweeps import run as sweep_run
from deterrence.sweeps.designs import grid
from deterrence.sweeps.run import run_sweep
from deterrence.sweeps.store import chunk_directory
from deterrence.sweeps.tables import factor, header_line, part_bytes
from games.classic import CHICKEN_PARAMETERS, chicken

OUTCOMES = normal_form_outcomes(chicken, {"p_firm": ("Row", "Stand firm", "last")})


class Interrupted:
    """Outcomes that stop at once, as Ctrl-C in the first chunk does."""

    def __call__(self, points, concept):
        raise KeyboardInterrupt


MODELS = {
    "chicken-o": Model("chicken-o", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=OUTCOMES),
    "chicken-stop": Model("chicken-o", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=Interrupted()),
}
GRID = ["--grid", "crash_cost=0:4:9", "--grid", "face_loss=0:4:5", "--chunk-size", "7", "-q"]


@pytest.fixture(autouse=True)
def registry(monkeypatch, tmp_path):
    use_models(monkeypatch, tmp_path, MODELS)


# -- the CSV text ---------------------------------------------------------------------------
COLUMNS = {
    "x": np.array([0.0, -0.0, 2.0, 1e16, 5e-6, np.nan, 0.1 + 0.2]),
    "outcome": np.array(["a", 'say "no", then', "a", "b", "a", "b", "a"]),
    "n": np.arange(7),
    "tie": np.array([True, False, True, False, True, False, True]),
}


def _text(columns, writer, constants=None):
    labels, inverse, _ = factor(columns["outcome"])
    body = part_bytes(columns, constants or {}, "csv", (labels, inverse), writer)
    return header_line([*columns, *(constants or {})]) + body


@pytest.mark.parametrize("quoted", [False, True], ids=["plain-labels", "label-with-comma-and-quote"])
def test_pyarrow_and_pandas_writers_give_the_same_table(quoted):
    pytest.importorskip("pyarrow")
    columns = dict(COLUMNS)
    if not quoted:
        columns["outcome"] = np.array(["a", "c", "a", "b", "a", "b", "a"])
    constants = {"concept": "nash", "seed": None}
    fast = pd.read_csv(io.BytesIO(_text(columns, "pyarrow", constants)))
    slow = pd.read_csv(io.BytesIO(_text(columns, "pandas", constants)))
    pd.testing.assert_frame_equal(fast, slow)
    assert fast["x"].dtype == np.float64 and fast["x"].tolist()[:5] == [0.0, -0.0, 2.0, 1e16, 5e-6]
    assert np.isnan(fast["x"][5]) and fast["x"][6] == 0.1 + 0.2  # shortest round-trip text, exact
    assert fast["outcome"].tolist() == columns["outcome"].tolist() and fast["seed"].isna().all()


def test_pyarrow_csv_text_is_plain_where_it_can_be():
    pytest.importorskip("pyarrow")
    rows = _text(COLUMNS, "pyarrow").decode().splitlines()
    assert rows[0] == "x,outcome,n,tie"
    # Integral floats keep ".0" (a reader infers floats), NaN is an empty cell, only the label
    # with a comma and quotes is quoted (RFC 4180).
    assert rows[1:4] == ["0.0,a,0,True", '-0.0,"say ""no"", then",1,False', "2.0,a,2,True"]
    assert rows[4].startswith("1e+16,b,") and rows[6] == ",b,5,False"


# -- narrow tables --------------------------------------------------------------------------
def test_narrow_and_wide_tables_hold_the_same_rows(capsys):
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "n.csv", "--set", "win=3")[0] == 0
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "w.csv", "--set", "win=3", "--all-columns")[0] == 0
    narrow, wide = pd.read_csv("n.csv"), pd.read_csv("w.csv")
    meta = read_sidecar("n.csv")
    assert list(narrow.columns) == ["face_loss", "crash_cost", "outcome", "n_equilibria", "degenerate", "p_firm"]
    assert meta["columns"] == list(narrow.columns) and set(meta["constants"]) == {
        "win",
        "concept",
        "method",
        "seed",
        "version",
    }
    for name, value in meta["constants"].items():
        assert (wide[name].isna() if value is None else wide[name] == value).all(), name
    pd.testing.assert_frame_equal(wide[list(narrow.columns)], narrow)
    assert Path("n.csv").stat().st_size < Path("w.csv").stat().st_size


def test_a_resume_with_other_columns_is_refused():
    model = MODELS["chicken-o"]
    design = grid({"crash_cost": (0, 4, 9)}, chunk_size=3)
    run_sweep(model, design, "r.csv", keep_chunks=True)
    (chunk_directory("r.csv") / "part-000002.counts.json").unlink()  # as if the run had stopped there
    with pytest.raises(DeterrenceError, match=r"\(columns differ\)"):
        run_sweep(model, design, "r.csv", resume=True, all_columns=True)


@pytest.mark.parametrize("suffix", [".csv", pytest.param(".parquet", id="parquet")])
def test_serial_and_parallel_narrow_tables_are_identical(capsys, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "a" + suffix)[0] == 0
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "b" + suffix, "-j", "2")[0] == 0
    assert file_digest("a" + suffix) == file_digest("b" + suffix)
    assert read_sidecar("a" + suffix)["columns"][:3] == ["face_loss", "crash_cost", "outcome"]


# -- fallback counts ------------------------------------------------------------------------
def test_exact_fallbacks_are_summed_into_the_sidecar(capsys, monkeypatch):
    import deterrence.solvers.small_games as small_games

    if not hasattr(small_games.small_game_equilibria(np.zeros((1, 2, 2)), np.zeros((1, 2, 2))), "fallbacks"):
        pytest.skip("the batched small-game solver does not count fallbacks yet")
    real = small_games.small_game_equilibria

    class Counted:
        """The real result, claiming one fallback per game with crash_cost == face_loss (degenerate)."""

        def __init__(self, result):
            self.result = result

        def __getattr__(self, name):
            return getattr(self.result, name)

        @property
        def fallbacks(self):
            return int(np.asarray(self.result.degenerate).sum())

    monkeypatch.setattr(small_games, "small_game_equilibria", lambda a, b: Counted(real(a, b)))
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "f.csv")[0] == 0
    table = pd.read_csv("f.csv")
    # 45 points in 7 chunks; the degenerate ones are where crash_cost equals face_loss.
    assert read_sidecar("f.csv")["exact_fallbacks"] == int(table["degenerate"].sum()) == 5


def test_an_unpatched_normal_form_sweep_records_its_fallbacks(capsys):
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "z.csv")[0] == 0
    value = read_sidecar("z.csv").get("exact_fallbacks")
    assert isinstance(value, int) and 0 <= value <= 45


def test_a_tree_sweep_records_no_fallbacks(capsys):
    argv = ["sweep", "generic-deterrence", "--grid", "d_dd=0:4:5", "-q", "-o", "t.csv"]
    assert run(capsys, *argv)[0] == 0
    assert "exact_fallbacks" not in read_sidecar("t.csv")


# -- sizes said and checked -----------------------------------------------------------------
def test_a_large_sweep_says_its_size_before_it_starts(capsys, monkeypatch):
    monkeypatch.setattr(sweep_run, "NOTICE_POINTS", 40)
    monkeypatch.setattr(sweep_run, "ESTIMATE_POINTS", 40)
    status, out, err = run(capsys, "sweep", "chicken-o", *GRID, "-o", "big.csv")
    assert status == 0 and out == "" and err.count("\n") == 1
    assert err.startswith("deterrence: sweeping 45 points; the CSV table will be about ") and ".parquet" in err
    number, unit = err.split("about ")[1].split()[:2]
    said = float(number) * {"B": 1, "kB": 1e3}[unit.rstrip(";")]
    body = Path("big.csv").stat().st_size - len(Path("big.csv").read_text().splitlines()[0]) - 1
    assert 0.5 * body <= said <= 2 * body  # the probe's bytes per row, scaled up


def test_a_sweep_larger_than_the_free_space_stops_at_once(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(sweep_run, "ESTIMATE_POINTS", 40)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**6, 10**6 - 100, 100))
    status, out, err = run(capsys, "sweep", "chicken-o", *GRID, "-o", "deep/er/x.csv")
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "sweeping 45 points needs about" in err and "100 B free" in err and ".parquet" in err
    assert list(tmp_path.iterdir()) == []  # no chunk directory, and the directories it made are gone


def test_the_oversized_grid_of_the_issue_is_one_line_and_blocks_nothing(capsys, tmp_path):
    status, _, err = run(capsys, "sweep", "chicken-o", "--grid", "crash_cost=0:20:100000000000", "-o", "h.csv")
    assert status == 2 and err.count("\n") == 1 and "100,000,000,000 points" in err and "free" in err
    assert list(tmp_path.iterdir()) == []
    assert run(capsys, "sweep", "chicken-o", "--grid", "crash_cost=0:20:11", "-o", "h.csv", "-q")[0] == 0


def test_a_design_of_a_million_chunks_opens_at_once():
    design = grid({"crash_cost": (0, 20, 10**11)}, chunk_size=1 << 16)
    store = sweep_run.ChunkStore(Path("h.csv"), "csv", design.n_chunks)
    assert design.n_chunks == 1525879 and store.part(design.n_chunks - 1).name == "part-1525878.csv"
    assert estimate.human_bytes(7.1e12) == "7.1 TB"


# -- output paths ---------------------------------------------------------------------------
def test_missing_parent_directories_are_made_by_sweep_and_solve(capsys):
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "new/a/s.csv")[0] == 0
    assert Path("new/a/s.csv").exists() and Path("new/a/s.csv.provenance.json").exists()
    assert run(capsys, "solve", "chicken", "-o", "new/b/eq.txt")[0] == 0
    assert Path("new/b/eq.txt").read_text() != ""


def test_a_run_stopped_in_its_first_chunk_removes_the_directories_it_made(capsys, tmp_path):
    status, _, err = run(capsys, "sweep", "chicken-stop", *GRID, "-o", "new/deeper/s.csv")
    assert status == 130 and "nothing to resume" in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_output_is_one_line(capsys, tmp_path):
    Path("file.txt").write_text("not a directory\n")
    status, out, err = run(capsys, "sweep", "chicken-o", *GRID, "-o", "file.txt/x.csv")
    assert status == 2 and out == "" and err.count("\n") == 1 and "cannot write file.txt/x.csv" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_an_output_in_proc_is_one_line(capsys):
    status, out, err = run(capsys, "sweep", "chicken-o", *GRID, "-o", str(Path("/proc") / "x.csv"))
    assert status == 2 and out == "" and err.count("\n") == 1 and "cannot write" in err


# -- plot -----------------------------------------------------------------------------------
def test_plot_names_a_missing_column_and_the_available_ones(capsys):
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "p.csv")[0] == 0
    status, out, err = run(capsys, "plot", "p.csv", "-o", "p.pdf", "--x", "nope")
    assert status == 2 and out == "" and err.count("\n") == 1
    assert "'nope'" in err and "face_loss, crash_cost, outcome" in err
    status, _, err = run(capsys, "plot", "p.csv", "-o", "p.pdf", "--x", "win", "--y", "crash_cost")
    assert status == 2 and "win = 1.0 throughout" in err and not Path("p.pdf").exists()


def test_csv_and_parquet_tables_read_back_alike(capsys):
    pytest.importorskip("pyarrow")
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "t.csv")[0] == 0
    assert run(capsys, "sweep", "chicken-o", *GRID, "-o", "t.parquet")[0] == 0
    csv_table, parquet_table = pd.read_csv("t.csv"), pd.read_parquet("t.parquet")
    pd.testing.assert_frame_equal(csv_table, parquet_table, check_dtype=False)
    assert csv_table["p_firm"].dtype == parquet_table["p_firm"].dtype == np.float64


def test_the_sweep_command_does_not_load_pandas(tmp_path):
    """pandas (and pyarrow.compute's Python wrappers) cost a third of a second at start-up."""
    pytest.importorskip("pyarrow")
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from deterrence.cli.main import main\n"
        "main(['sweep', 'chicken', '--grid', 'crash_cost=0:4:9', '-q', '-o', sys.argv[1]])\n"
        "print(sorted(m for m in ('pandas', 'pyarrow.compute') if m in sys.modules))\n"
    )
    for name in ("s.csv", "s.parquet"):
        done = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / name)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "[]", name


# -- sidecars of the other commands ---------------------------------------------------------
def test_solve_and_thresholds_write_provenance_sidecars(capsys):
    import json

    assert run(capsys, "solve", "chicken", "--set", "crash_cost=4", "-o", "s/eq.txt")[0] == 0
    side = read_sidecar("s/eq.txt")
    assert Path("s/eq.txt.provenance.json").exists() and not Path("s/eq.txt.json").exists()
    assert side["output"]["sha256"] == file_digest("s/eq.txt") and "seed" not in side
    assert side["command"] == "deterrence solve chicken --set crash_cost=4 -o s/eq.txt"
    assert {p["name"]: p["value"] for p in side["parameters"]}["crash_cost"] == 4
    assert side["complete"] is True and side["timings"]["run"] >= 0
    assert run(capsys, "thresholds", "chicken", "--param", "crash_cost", "--format", "json", "-o", "t.json")[0] == 0
    found = json.loads(Path("t.json").read_text())["thresholds"]
    side = read_sidecar("t.json")
    assert side["output"]["sha256"] == file_digest("t.json")
    # The formulas are checked at seeded random points, so the seed is recorded exactly when there is one.
    assert ("seed" in side) == any(t.get("formula") for t in found)


def test_a_sidecar_under_its_old_name_is_still_read():
    Path("old.csv").write_text("x\n1\n")
    Path("old.csv.json").write_text('{"schema": 1, "columns": ["x"]}')
    assert read_sidecar("old.csv")["columns"] == ["x"]
    Path("old.csv.provenance.json").write_text('{"schema": 2, "columns": ["y"]}')
    assert read_sidecar("old.csv")["columns"] == ["y"]  # the current name wins
