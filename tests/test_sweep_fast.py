"""The fast sweep path (issue 9): the table written directly, formatting, grid chunks, a light start-up.

Every property here is about bytes and modules, never about time: a serial CSV run appends each
chunk to the table as it finishes, and must give the same file as the chunks concatenated in
order (what the merge used to write), as a run with worker processes and as a resumed run.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_runs import run, use_models

from deterrence.analysis.outcomes import normal_form_outcomes
from deterrence.io.provenance import file_digest, read_sidecar
from deterrence.model import Model
from deterrence.sweeps import tables
from deterrence.sweeps.designs import grid
from deterrence.sweeps.run import _constants, evaluate_chunk, executor, run_sweep
from deterrence.sweeps.store import TABLE, chunk_directory, finished_chunks, table_prefix
from deterrence.sweeps.tables import factor, header_line, part_bytes
from games.classic import CHICKEN_PARAMETERS, chicken

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = normal_form_outcomes(chicken, {"p_firm": ("Row", "Stand firm", "last")})


class StopAfter:
    """Outcomes that raise once crash_cost passes ``limit`` (a run stopped part-way)."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, points, concept):
        if np.max(points["crash_cost"]) > self.limit:
            raise KeyboardInterrupt
        return OUTCOMES(points, concept)


CHICKEN = Model("chicken-f", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=OUTCOMES)
STOPPING = Model("chicken-f", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=StopAfter(2.0))
DESIGN = grid({"crash_cost": (0, 4, 11), "face_loss": (0, 4, 9)}, chunk_size=13)  # 99 points, 8 chunks


@pytest.fixture(autouse=True)
def workdir(monkeypatch, tmp_path):
    use_models(monkeypatch, tmp_path, {"chicken-f": CHICKEN, "chicken-f-stop": STOPPING})


def _concatenated(model, design, all_columns=False):
    """The table as header + every chunk's part text in chunk order (what a merge of parts writes)."""
    base = {k: float(v) for k, v in model.parameters.point({}).items()}
    in_table, _ = _constants(model, "nash", design, base, all_columns)
    body, names = b"", None
    for index in range(design.n_chunks):
        columns = evaluate_chunk(model, design, index, "nash", base, all_columns)
        names = names or [*columns, *in_table]
        body += part_bytes(columns, in_table, "csv", factor(columns["outcome"])[:2], tables.csv_writer())
    return header_line(names) + body


@pytest.mark.parametrize("all_columns", [False, True])
def test_a_serial_run_writes_the_concatenated_chunks_byte_for_byte(all_columns):
    result = run_sweep(CHICKEN, DESIGN, "s.csv", all_columns=all_columns)
    assert Path("s.csv").read_bytes() == _concatenated(CHICKEN, DESIGN, all_columns)
    assert read_sidecar("s.csv")["output"]["sha256"] == file_digest("s.csv")  # hashed while written
    assert result.chunks_run == DESIGN.n_chunks and not chunk_directory("s.csv").exists()


def test_serial_worker_and_resumed_runs_give_one_file():
    run_sweep(CHICKEN, DESIGN, "serial.csv")
    with executor(2) as pool:  # chunks finish out of order: parts, appended when their turn comes
        run_sweep(CHICKEN, DESIGN, "pool.csv", executor=pool)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(STOPPING, DESIGN, "cut.csv")
    assert 0 < finished_chunks("cut.csv", DESIGN.n_chunks) < DESIGN.n_chunks
    resumed = run_sweep(CHICKEN, DESIGN, "cut.csv", resume=True)
    assert file_digest("serial.csv") == file_digest("pool.csv") == file_digest("cut.csv")
    assert read_sidecar("cut.csv")["output"]["sha256"] == file_digest("cut.csv")
    assert resumed.chunks_reused + resumed.chunks_run == DESIGN.n_chunks and resumed.chunks_reused > 0


def test_a_table_cut_off_mid_chunk_is_truncated_on_resume():
    run_sweep(CHICKEN, DESIGN, "ref.csv")
    with pytest.raises(KeyboardInterrupt):
        run_sweep(STOPPING, DESIGN, "cut.csv")
    folder = chunk_directory("cut.csv")
    kept, end = table_prefix(folder, DESIGN.n_chunks)
    assert kept > 0 and (folder / TABLE).stat().st_size == end
    with open(folder / TABLE, "ab") as table:  # as if killed while appending the next chunk
        table.write(b"9.9,half a row")
    (folder / f"part-{kept:06d}.counts.json").write_text(json.dumps({"outcomes": {}}))  # no table_end
    assert table_prefix(folder, DESIGN.n_chunks) == (kept, end)
    run_sweep(CHICKEN, DESIGN, "cut.csv", resume=True)
    assert file_digest("cut.csv") == file_digest("ref.csv")


def test_ctrl_c_in_a_serial_cli_sweep_counts_the_chunks_in_the_table(capsys):
    grid_args = ["--grid", "crash_cost=0:4:11", "--grid", "face_loss=0:4:9", "--chunk-size", "13", "-q"]
    status, _, err = run(capsys, "sweep", "chicken-f-stop", *grid_args, "-o", "c.csv")
    done = finished_chunks("c.csv", DESIGN.n_chunks)
    assert status == 130 and f"{done} of {DESIGN.n_chunks} chunks" in err and done > 0
    assert list(chunk_directory("c.csv").glob("part-*.csv")) == []  # serial: all in the table
    assert run(capsys, "sweep", "chicken-f", *grid_args, "-o", "c.csv", "--resume")[0] == 0
    assert Path("c.csv").read_bytes() == _concatenated(CHICKEN, DESIGN)


def test_parquet_runs_write_the_same_table_serially_and_with_workers():
    pytest.importorskip("pyarrow")
    run_sweep(CHICKEN, DESIGN, "a.parquet")
    with executor(2) as pool:
        run_sweep(CHICKEN, DESIGN, "b.parquet", executor=pool)
    assert file_digest("a.parquet") == file_digest("b.parquet") == read_sidecar("a.parquet")["output"]["sha256"]


# -- formatting -------------------------------------------------------------------------------
def test_both_ways_of_formatting_a_float_column_give_the_same_cells():
    pytest.importorskip("pyarrow")
    rng = np.random.default_rng(4)
    values = rng.random(3 * tables._PROBE)
    values[:8] = [0.0, -0.0, 2.0, 1e16, 5e-6, np.nan, np.inf, -3.0]
    assert tables._many_distinct(values) and not tables._many_distinct(np.round(values * 4) / 4)
    direct = tables._float_text(values)  # many distinct values: each value formatted
    encoded = tables._float_text(values[: tables._PROBE])  # a short column: its dictionary formatted
    assert direct.to_pylist()[: tables._PROBE] == encoded.to_pylist()
    assert direct.to_pylist()[:8] == ["0.0", "-0.0", "2.0", "1e+16", "0.000005", None, "inf", "-3.0"]


def test_a_grid_chunk_is_the_scaled_unit_chunk_bit_for_bit():
    for axes in ({"a": (0, 5, 1000), "b": (-1.3, 7.1, 7)}, {"a": (1e-300, 3.3, 7), "b": (0, 20, 10**11)}):
        design = grid(axes, chunk_size=997)
        low, high = (np.array([b[i] for b in design.bounds]) for i in (0, 1))
        for index in (0, 1, min(design.n_chunks - 1, 50)):
            unit = design.unit_chunk(index)
            scaled = np.where(unit == 0.0, low, np.where(unit == 1.0, high, low + unit * (high - low)))
            chunk = design.chunk(index)
            for j, name in enumerate(design.names):
                assert chunk[name].tobytes() == np.ascontiguousarray(scaled[:, j]).tobytes()


# -- start-up ---------------------------------------------------------------------------------
def test_the_sweep_command_loads_no_plotting_symbolic_or_dataframe_library(tmp_path):
    # Without pyarrow (the parquet extra) the CSV is written by pandas, so pandas is then expected.
    has_arrow = importlib.util.find_spec("pyarrow") is not None
    heavy = ("matplotlib", "sympy", "scipy", "tqdm", "games.iran_pakistan.claims") + (("pandas",) if has_arrow else ())
    code = (
        "import sys; from deterrence.cli.main import main; "
        "status = main(['sweep', 'iran-pakistan-matrix', '--grid', 'china_mediation=0:5:30', "
        f"'--grid', 'precedent_loss=0:20:30', '-q', '-o', {str(tmp_path / 'm.csv')!r}]); "
        f"heavy = {heavy!r}; "
        "print(status, ' '.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["0"], out.stdout  # status 0, and none of them imported
    assert (tmp_path / "m.csv").read_text().count("\n") == 1 + 30 * 30


def test_the_sweep_parser_alone_gives_the_full_parsers_help(monkeypatch, capsys):
    cli_main = sys.modules["deterrence.cli.main"]  # (the package's ``main`` attribute is the function)

    with pytest.raises(SystemExit):
        cli_main.main(["sweep", "--help"])
    alone = capsys.readouterr().out
    monkeypatch.setattr(cli_main, "DIRECT_COMMANDS", {})
    with pytest.raises(SystemExit):
        cli_main.main(["sweep", "--help"])
    assert capsys.readouterr().out == alone and "--grid NAME=LOW:HIGH:N" in alone
