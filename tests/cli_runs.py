"""Running the CLI in-process, shared by the CLI and sweep tests."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import games
from deterrence import library
from deterrence.cli.main import main
from deterrence.sweeps.store import finished_chunks


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def use_models(monkeypatch, tmp_path, models):
    """Make ``get_model`` find the test ``models`` (slug -> Model) first, and work in ``tmp_path``."""
    real = library.get_model
    lookup = lambda slug: models[slug] if slug in models else real(slug)  # noqa: E731
    monkeypatch.setattr(library, "get_model", lookup)
    monkeypatch.setattr(games, "get_model", lookup)
    monkeypatch.chdir(tmp_path)


SLOW_SWEEP_SCRIPT = """
import sys, time
import games
import deterrence.library
from deterrence.cli.main import main
from deterrence.model import Model
from deterrence.analysis.outcomes import normal_form_outcomes
from games.classic import CHICKEN_PARAMETERS, chicken

inner = normal_form_outcomes(chicken)
def slow(points, concept):
    time.sleep(float(sys.argv[1]))
    return inner(points, concept)
model = Model("chicken-slow", "", "", chicken, CHICKEN_PARAMETERS, outcomes=slow)
games.get_model = deterrence.library.get_model = lambda slug: model
if __name__ == "__main__":
    sys.exit(main(["sweep", "chicken-slow", "--grid", "crash_cost=0:4:40", "--grid", "face_loss=0:2:5",
                   "--chunk-size", "10", "-q", "-o", sys.argv[2]] + sys.argv[3:]))
"""
"""A 200-point Chicken sweep in 20 chunks that sleeps ``argv[1]`` seconds per chunk, to ``argv[2]``."""


def slow_sweep(tmp_path, delay, out, *extra):
    """The command line and environment that run :data:`SLOW_SWEEP_SCRIPT` in a fresh interpreter."""
    script = tmp_path / "slow.py"
    script.write_text(SLOW_SWEEP_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return [sys.executable, str(script), str(delay), str(out), *extra], env


def wait_for_parts(out, count):
    """Wait (at most 120 s) until the sweep to ``out`` has written ``count`` chunk files."""
    deadline = time.time() + 120
    while finished_chunks(out, 10**6) < count and time.time() < deadline:
        time.sleep(0.05)
