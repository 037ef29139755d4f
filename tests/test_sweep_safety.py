"""Sweeps that fail safely: sized grids, reproducible grids, damaged state, full disks, signals."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from cli_runs import run, slow_sweep, use_models, wait_for_parts

from deterrence.analysis.outcomes import normal_form_outcomes
from deterrence.errors import DeterrenceError
from deterrence.io.provenance import file_digest, read_sidecar
from deterrence.model import Model
from deterrence.sweeps.designs import MAX_POINTS, grid, one_at_a_time, sample
from deterrence.sweeps.store import chunk_directory, finished_chunks
from games.classic import CHICKEN_PARAMETERS, chicken

OUTCOMES = normal_form_outcomes(chicken)


class StopAfter:
    """Outcomes that raise ``error`` once crash_cost passes ``limit`` (a run stopped part-way)."""

    def __init__(self, limit, error):
        self.limit, self.error = limit, error

    def __call__(self, points, concept):
        if points["crash_cost"].max() > self.limit:
            raise self.error
        return OUTCOMES(points, concept)


MODELS = {
    "chicken-s": Model("chicken-s", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=OUTCOMES),
    "chicken-ctrl-c": Model(
        "chicken-s", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=StopAfter(2.0, KeyboardInterrupt())
    ),
}
GRID = ["--grid", "crash_cost=0:4:9", "--grid", "face_loss=0:4:5", "--chunk-size", "5", "-q"]


@pytest.fixture(autouse=True)
def registry(monkeypatch, tmp_path):
    use_models(monkeypatch, tmp_path, MODELS)


# -- sizes ----------------------------------------------------------------------------------
def test_grid_sizes_are_exact_and_capped():
    # 274177 * 67280421310721 = 2**64 + 1: an int64 product wraps to 1.
    with pytest.raises(DeterrenceError, match=r"18,446,744,073,709,551,617 points.*--sample") as info:
        grid({"a": (0, 1, 274177), "b": (0, 1, 67280421310721)})
    assert "\n" not in str(info.value)
    with pytest.raises(DeterrenceError, match="more than"):
        one_at_a_time({"a": (0, 1)}, {"a": 0.5}, n=MAX_POINTS + 1)
    with pytest.raises(DeterrenceError, match="smaller --n"):
        sample("lhs", {"a": (0, 1)}, MAX_POINTS + 1, seed=0)


def test_a_huge_grid_computes_its_last_chunk_from_indices():
    d = grid({"a": (0, 2, 10**6), "b": (-1, 1, 10**6)}, chunk_size=4)
    assert d.size == 10**12 and d.n_chunks == 25 * 10**10
    last = d.chunk(d.n_chunks - 1)
    assert last["a"].tolist() == [2.0] * 4 and last["b"][-1] == 1.0
    assert last["b"][0] == pytest.approx(-1 + 2 * (10**6 - 4) / (10**6 - 1))


def test_an_oversized_grid_on_the_command_line_is_one_line_and_leaves_nothing(capsys, tmp_path):
    status, _, err = run(capsys, "sweep", "chicken-s", "--grid", "crash_cost=0:1:99999999999999999999999")
    assert status == 2 and err.count("\n") == 1 and "--sample" in err and "99,999,999,999,999,999,999,999" in err
    assert list(tmp_path.iterdir()) == []


# -- reproducible grids -----------------------------------------------------------------------
def test_two_identical_grid_sweeps_write_identical_tables(capsys):
    assert run(capsys, "sweep", "chicken-s", *GRID, "-o", "a.csv", "--all-columns")[0] == 0
    assert run(capsys, "sweep", "chicken-s", *GRID, "-o", "b.csv", "-j", "2", "--all-columns")[0] == 0
    assert Path("a.csv").read_bytes() == Path("b.csv").read_bytes()
    assert "seed" not in read_sidecar("a.csv") and read_sidecar("a.csv")["design"]["seed"] is None  # nothing random
    rows = Path("a.csv").read_text().splitlines()
    seed_column = rows[0].split(",").index("seed")
    assert {row.split(",")[seed_column] for row in rows[1:]} == {""}


# -- damaged state and full disks -------------------------------------------------------------
@pytest.mark.parametrize("name", ["manifest.json", "columns.json"])
@pytest.mark.parametrize("resume", [False, True])
def test_a_truncated_state_file_is_one_line_with_the_way_out(capsys, name, resume):
    status, _, _ = run(capsys, "sweep", "chicken-ctrl-c", *GRID, "-o", "t.csv")
    assert status == 130
    state = chunk_directory("t.csv") / name
    state.write_text(state.read_text()[:7])
    again = ["--resume"] if resume or name == "columns.json" else []
    status, _, err = run(capsys, "sweep", "chicken-s", *GRID, "-o", "t.csv", *again)
    assert status == 2 and err.count("\n") == 1
    assert f"cannot read t.csv.chunks/{name}" in err and "delete t.csv.chunks" in err


def _full_disk_after(monkeypatch, writes):
    real, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) > writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def _temporary_files(folder):
    return [p for p in Path(folder).rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


def test_a_full_disk_at_the_start_is_one_line_and_leaves_nothing(capsys, monkeypatch, tmp_path):
    _full_disk_after(monkeypatch, 0)
    status, _, err = run(capsys, "sweep", "chicken-s", *GRID, "-o", "f.csv")
    assert status == 2 and err.count("\n") == 1 and "No space left on device" in err
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_mid_sweep_keeps_the_finished_chunks_for_resume(capsys, monkeypatch, tmp_path):
    assert run(capsys, "sweep", "chicken-s", *GRID, "-o", "ref.csv")[0] == 0
    with monkeypatch.context() as patch:
        _full_disk_after(patch, 9)  # manifest, columns, then counts and part of chunks 0..3 (4 of 9)
        status, _, err = run(capsys, "sweep", "chicken-s", *GRID, "-o", "f.csv")
    assert status == 2 and err.count("\n") == 1 and "No space left on device" in err
    assert _temporary_files(tmp_path) == [] and not Path("f.csv").exists()
    assert finished_chunks("f.csv", 9) == 3
    assert run(capsys, "sweep", "chicken-s", *GRID, "-o", "f.csv", "--resume")[0] == 0
    assert file_digest("f.csv") == file_digest("ref.csv")


# -- Ctrl-C and killed parents ----------------------------------------------------------------
def test_ctrl_c_in_a_serial_sweep_says_how_to_resume(capsys):
    assert run(capsys, "sweep", "chicken-s", *GRID, "-o", "ref.csv")[0] == 0
    status, _, err = run(capsys, "sweep", "chicken-ctrl-c", *GRID, "-o", "c.csv")
    assert status == 130 and err.count("\n") == 1 and "--resume" in err and "5 of 9 chunks" in err
    assert run(capsys, "sweep", "chicken-s", *GRID, "-o", "c.csv", "--resume")[0] == 0
    assert file_digest("c.csv") == file_digest("ref.csv")


def _start(tmp_path, delay, out, *extra, **kwargs):
    argv, env = slow_sweep(tmp_path, delay, out, *extra)
    return subprocess.Popen(argv, env=env, **kwargs)


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_pool_workers_exit_when_the_parent_is_killed(tmp_path):
    out = tmp_path / "k.csv"
    proc = _start(tmp_path, 0.5, out, "-j", "2", stdout=subprocess.PIPE)
    wait_for_parts(out, 2)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert len(children) >= 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while any(_alive(int(pid)) for pid in children) and time.time() < deadline:
        time.sleep(0.05)
    assert not any(_alive(int(pid)) for pid in children)
    assert proc.stdout.read() == b""  # every holder of the pipe is gone: it reaches end of file


@pytest.mark.slow
def test_ctrl_c_with_workers_is_one_line_and_resumes_byte_identically(tmp_path):
    ref = tmp_path / "ref.csv"
    assert _start(tmp_path, 0, ref).wait() == 0
    out = tmp_path / "c.csv"
    proc = _start(tmp_path, 0.3, out, "-j", "2", stderr=subprocess.PIPE, start_new_session=True)
    wait_for_parts(out, 3)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    _, err = proc.communicate(timeout=60)
    lines = err.decode().splitlines()
    assert proc.returncode == 130 and len(lines) == 1 and "--resume" in lines[0], lines
    assert _start(tmp_path, 0, out, "--resume", "-j", "2").wait() == 0
    assert file_digest(out) == file_digest(ref)
    assert np.array_equal(
        np.loadtxt(out, delimiter=",", skiprows=1, usecols=0), np.loadtxt(ref, delimiter=",", skiprows=1, usecols=0)
    )


def test_a_seed_beyond_64_bits_is_one_line(capsys, tmp_path):
    status, _, err = run(
        capsys, "sweep", "chicken-s", "--sample", "lhs", "--n", "8", "--seed", str(2**64), "-o", "s.csv"
    )
    assert status == 2 and err.count("\n") == 1 and "2**63" in err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(DeterrenceError, match="2\\*\\*63"):
        sample("lhs", {"a": (0, 1)}, 8, seed=2**63)


def test_add_commands_still_adds_the_four_study_commands():
    import argparse

    from deterrence.cli.sweep import add_commands

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    add_commands(sub)
    assert set(sub.choices) == {"sweep", "sensitivity", "thresholds", "plot"}
    args = parser.parse_args(["thresholds", "chicken", "--param", "crash_cost"])
    assert args.handler.__module__ == "deterrence.cli.thresholds"


def test_deterministic_sensitivity_records_no_seed(capsys):
    argv = ["sensitivity", "chicken-s", "--measure", "n_equilibria", "--method", "oat", "--vary", "crash_cost", "-q"]
    assert run(capsys, *argv, "-o", "a.csv")[0] == 0
    assert run(capsys, *argv, "-o", "b.csv")[0] == 0
    assert Path("a.csv").read_bytes() == Path("b.csv").read_bytes()
    assert "seed" not in read_sidecar("a.csv")  # one-at-a-time swings draw nothing
    frame = Path("a.csv").read_text().splitlines()
    # Chicken has 3 equilibria when crash_cost > face_loss = 1 and 1 below: the swing is 2.
    assert frame[1].split(",")[frame[0].split(",").index("swing")] == "2.0"
