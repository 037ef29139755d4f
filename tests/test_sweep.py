"""Sweeps: identical tables from every executor, streaming, resuming, sidecars."""

from __future__ import annotations

import concurrent.futures as cf
import json
import signal
import subprocess

import numpy as np
import pytest
from cli_runs import slow_sweep, wait_for_parts

from deterrence import __version__
from deterrence.analysis.outcomes import normal_form_outcomes, tree_outcomes
from deterrence.errors import DeterrenceError, ParameterError
from deterrence.io.provenance import file_digest, read_sidecar
from deterrence.model import Model
from deterrence.sweeps.designs import grid, sample
from deterrence.sweeps.run import (
    SerialExecutor,
    _drain,
    chunk_directory,
    evaluate_points,
    executor,
    run_sweep,
    sweep_frame,
)
from deterrence.sweeps.store import finished_chunks
from games.classic import CHICKEN_PARAMETERS, chicken
from games.zagare_kilgour import GENERIC_DETERRENCE_PARAMETERS, generic_deterrence_game

OUTCOMES = normal_form_outcomes(chicken, {"p_firm": ("Row", "Stand firm", "last")})
CHICKEN = Model(
    "chicken-test",
    "Chicken",
    "Snyder & Diesing (1977)",
    chicken,
    CHICKEN_PARAMETERS,
    outcomes=OUTCOMES,
    measures=OUTCOMES.columns,
    concepts=("nash", "pure"),
)
GDG = Model(
    "gdg-test",
    "Generic Deterrence Game",
    "Zagare & Kilgour (2000)",
    generic_deterrence_game,
    GENERIC_DETERRENCE_PARAMETERS,
    outcomes=tree_outcomes(generic_deterrence_game),
    concepts=("spe",),
)
DESIGN = grid({"crash_cost": (0, 4, 11), "face_loss": (0, 4, 9)}, chunk_size=17)


class FailAfter:
    """Outcomes that raise once crash_cost passes a value: a run that dies part-way."""

    def __init__(self, inner, limit):
        self.inner, self.limit = inner, limit

    def __call__(self, points, concept):
        if points["crash_cost"].max() > self.limit:
            raise RuntimeError("simulated crash")
        return self.inner(points, concept)


def test_table_columns_values_and_sidecar(tmp_path):
    out = tmp_path / "t.csv"
    result = run_sweep(CHICKEN, DESIGN, out, baseline={"win": 2}, command="deterrence sweep chicken-test")
    # By default the table holds the varied parameters and the outcome columns only.
    assert list(result.to_frame().columns) == [
        "face_loss",
        "crash_cost",
        "outcome",
        "n_equilibria",
        "degenerate",
        "p_firm",
    ]
    assert result.constants == {"win": 2.0, "concept": "nash", "method": "grid", "seed": None, "version": __version__}
    wide = run_sweep(CHICKEN, DESIGN, tmp_path / "wide.csv", baseline={"win": 2}, all_columns=True)
    frame = wide.to_frame()
    assert list(frame.columns) == [
        "win",
        "face_loss",
        "crash_cost",
        "outcome",
        "n_equilibria",
        "degenerate",
        "p_firm",
        "concept",
        "method",
        "seed",
        "version",
    ]
    assert wide.constants == {} and read_sidecar(wide.path)["constants"] == {}
    # The narrow table plus its sidecar's constants is the wide table.
    narrow = result.to_frame(all_columns=True)[list(frame.columns)]
    assert narrow.equals(frame)
    assert len(frame) == 99 and (frame["win"] == 2).all()
    assert set(frame["method"]) == {"grid"} and set(frame["version"]) == {__version__}
    chicken_region = frame["crash_cost"] > frame["face_loss"]
    assert (frame.loc[chicken_region, "outcome"] == "Swerve/Stand firm | Stand firm/Swerve | mixed").all()
    assert (frame.loc[frame["crash_cost"] < frame["face_loss"], "outcome"] == "Stand firm/Stand firm").all()
    # Mixed firmness win / (win + crash_cost - face_loss)
    # (Snyder & Diesing 1977; LITERATURE.md §2.4).
    expected = 2 / (2 + frame["crash_cost"] - frame["face_loss"])
    assert np.allclose(frame.loc[chicken_region, "p_firm"], expected[chicken_region])
    assert frame.loc[frame["crash_cost"] == frame["face_loss"], "degenerate"].all()
    meta = read_sidecar(out)
    assert meta["output"]["sha256"] == file_digest(out)
    assert meta["design"]["levels"] == [11, 9] and meta["command"] == "deterrence sweep chicken-test"
    assert meta["baseline"]["win"] == 2.0 and {p["name"] for p in meta["parameters"]} == set(CHICKEN_PARAMETERS.names)
    assert meta["constants"] == result.constants and meta["columns"] == list(result.columns)
    assert sum(meta["outcomes"].values()) == 99 and meta["outcomes"] == result.outcomes
    assert not chunk_directory(out).exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_serial_process_pool_and_dask_give_identical_files(tmp_path, suffix):
    distributed = pytest.importorskip("distributed")
    design = sample(
        "lhs",
        {"crash_cost": (0, 5), "face_loss": (0, 5), "win": (0, 3)},
        150,
        seed=4,
        chunk_size=16,
    )
    serial = run_sweep(CHICKEN, design, tmp_path / f"serial{suffix}")
    with executor(2) as pool:
        parallel = run_sweep(CHICKEN, design, tmp_path / f"pool{suffix}", executor=pool)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with distributed.Client(cluster) as client:
        on_dask = run_sweep(CHICKEN, design, tmp_path / f"dask{suffix}", executor=client.get_executor(pure=False))
    cluster.close()
    digests = {file_digest(r.path) for r in (serial, parallel, on_dask)}
    assert len(digests) == 1
    assert serial.to_frame()["outcome"].nunique() >= 2  # the sample crosses the Chicken boundary


@pytest.mark.slow
def test_dask_local_cluster_with_processes(tmp_path):
    pytest.importorskip("distributed")
    serial = run_sweep(CHICKEN, DESIGN, tmp_path / "a.csv")
    with executor(2, dask=True) as pool:
        remote = run_sweep(CHICKEN, DESIGN, tmp_path / "b.csv", executor=pool)
    assert file_digest(serial.path) == file_digest(remote.path)


def test_interrupted_run_resumes_to_the_same_table(tmp_path):
    pytest.importorskip("pyarrow")  # this test covers the Parquet path; the CSV path is tested below
    reference = run_sweep(CHICKEN, DESIGN, tmp_path / "ref.parquet")
    out = tmp_path / "cut.parquet"
    dying = Model(
        CHICKEN.slug,
        "",
        "",
        chicken,
        CHICKEN_PARAMETERS,
        outcomes=FailAfter(OUTCOMES, 2.5),
        concepts=CHICKEN.concepts,
    )
    with pytest.raises(RuntimeError, match="simulated crash"):
        run_sweep(dying, DESIGN, out)
    parts = sorted(chunk_directory(out).glob("part-*.arrow"))  # Parquet runs keep Arrow parts
    assert 0 < len(parts) < DESIGN.n_chunks and not out.exists()
    with pytest.raises(DeterrenceError, match="--resume"):
        run_sweep(CHICKEN, DESIGN, out)  # a leftover run is never silently overwritten
    with pytest.raises(DeterrenceError, match="design differ"):
        run_sweep(CHICKEN, grid({"crash_cost": (0, 4, 12)}), out, resume=True)
    resumed = run_sweep(CHICKEN, DESIGN, out, resume=True)
    assert resumed.chunks_reused == len(parts) and resumed.chunks_run == DESIGN.n_chunks - len(parts)
    assert file_digest(out) == file_digest(reference.path)
    assert resumed.outcomes == reference.outcomes


@pytest.mark.slow
def test_killed_process_resumes_to_the_same_table(tmp_path):
    seed = ("--seed", "1")
    argv, env = slow_sweep(tmp_path, 0, tmp_path / "ref.csv", *seed)
    subprocess.run(argv, check=True, env=env)
    out = tmp_path / "cut.csv"
    argv, env = slow_sweep(tmp_path, 0.5, out, *seed)
    proc = subprocess.Popen(argv, env=env)
    wait_for_parts(out, 3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = finished_chunks(out, 20)
    assert 3 <= done < 20 and not out.exists()
    argv, env = slow_sweep(tmp_path, 0, out, "--resume", "-j", "2", *seed)
    subprocess.run(argv, check=True, env=env)
    assert file_digest(out) == file_digest(tmp_path / "ref.csv")


def test_closures_reach_worker_processes(tmp_path):
    pytest.importorskip("cloudpickle")
    factor = 3.0
    model = Model(
        "closure",
        "",
        "",
        chicken,
        CHICKEN_PARAMETERS,
        outcomes=lambda p, c: {
            "outcome": np.where(p["win"] > 1, "hi", "lo"),
            "y": factor * p["win"],
        },
    )
    design = grid({"win": (0, 2, 9)}, chunk_size=2)
    with executor(2) as pool:
        frame = sweep_frame(model, design, executor=pool)
    assert frame["y"].tolist() == pytest.approx(3 * np.linspace(0, 2, 9))
    assert frame["outcome"].tolist() == ["lo"] * 5 + ["hi"] * 4


def test_tree_model_sweep_follows_zagare_kilgour():
    design = sample("sobol", {"d_dd": (-5, 5), "c_sq": (-5, 5)}, 256, seed=0, chunk_size=100)
    frame = sweep_frame(GDG, design, all_columns=True)
    # Credible threat (d_dd > d_dc = 1): SQ if capable (c_sq > c_dd = 1), else DD.  Incredible: the
    # Challenger defects to DC unless the status quo beats winning (c_sq > c_dc = 3).
    credible = frame["d_dd"] > frame["d_dc"]
    expected = np.where(
        credible,
        np.where(frame["c_sq"] > frame["c_dd"], "SQ", "DD"),
        np.where(frame["c_sq"] > frame["c_dc"], "SQ", "DC"),
    )
    assert (frame["outcome"].to_numpy() == expected).all()
    assert not frame["tie"].any()


def test_in_flight_tasks_stay_bounded():
    class Recording(cf.ThreadPoolExecutor):
        def __init__(self):
            super().__init__(max_workers=2)
            self.pending, self.peak = 0, 0

        def submit(self, fn, *args):
            self.pending += 1
            self.peak = max(self.peak, self.pending)
            future = super().submit(fn, *args)
            future.add_done_callback(lambda _: None)
            return future

    pool = Recording()
    seen = 0
    for _ in _drain(((i, (i,)) for i in range(50)), lambda i: i * i, pool, window=3):
        seen += 1
        pool.pending -= 1
        assert pool.pending <= 3
    pool.shutdown()
    assert seen == 50 and pool.peak <= 3


def test_serial_executor_reports_errors_through_the_future():
    future = SerialExecutor().submit(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        future.result()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        pytest.param({"output": "x.txt"}, DeterrenceError, "csv or .parquet", id="bad-suffix"),
        pytest.param(
            {"design": grid({"crash_cost": (0, 200, 3)})},
            ParameterError,
            "leaves its bounds",
            id="out-of-bounds",
        ),
        pytest.param(
            {"design": grid({"bogus": (0, 1, 3)})},
            ParameterError,
            "unknown parameter",
            id="unknown-parameter",
        ),
        pytest.param({"concept": "spe"}, DeterrenceError, "supports concepts", id="bad-concept"),
    ],
)
def test_bad_sweeps_fail_with_one_line(tmp_path, kwargs, error, message):
    args = {"design": DESIGN, "output": "x.csv", **kwargs}
    with pytest.raises(error, match=message) as info:
        run_sweep(CHICKEN, args.pop("design"), tmp_path / args.pop("output"), **args)
    assert "\n" not in str(info.value)


def test_evaluate_points_fills_the_baseline_and_keeps_order():
    out = evaluate_points(CHICKEN, {"crash_cost": np.array([0.5, 3.0])}, baseline={"face_loss": 1.0}, chunk_size=1)
    assert out["outcome"].tolist() == [
        "Stand firm/Stand firm",
        "Swerve/Stand firm | Stand firm/Swerve | mixed",
    ]
    assert out["p_firm"][1] == pytest.approx(1 / 3)


def test_manifest_records_the_run(tmp_path):
    out = tmp_path / "m.csv"
    dying = Model(
        CHICKEN.slug,
        "",
        "",
        chicken,
        CHICKEN_PARAMETERS,
        outcomes=FailAfter(OUTCOMES, 1.0),  # chunk 0 reaches crash_cost 0.4, chunk 1 dies at 1.2
        concepts=CHICKEN.concepts,
    )
    with pytest.raises(RuntimeError):
        run_sweep(dying, DESIGN, out)
    manifest = json.loads((chunk_directory(out) / "manifest.json").read_text())
    assert manifest["model"] == "chicken-test" and manifest["design"]["size"] == 99
    # A serial CSV run appends each chunk to the table as it finishes: no part file is written.
    assert finished_chunks(out, DESIGN.n_chunks) == 1 and list(chunk_directory(out).glob("part-*.csv")) == []
    table = (chunk_directory(out) / "table.csv").read_text().splitlines()
    assert len(table) == 1 + DESIGN.chunk_size and table[0].split(",")[:2] == ["face_loss", "crash_cost"]


def test_a_run_that_dies_in_its_first_chunk_leaves_nothing_behind(tmp_path):
    out = tmp_path / "m.csv"
    dying = Model(CHICKEN.slug, "", "", chicken, CHICKEN_PARAMETERS, outcomes=FailAfter(OUTCOMES, 0.1))
    with pytest.raises(RuntimeError):
        run_sweep(dying, DESIGN, out)
    assert sorted(tmp_path.iterdir()) == []
