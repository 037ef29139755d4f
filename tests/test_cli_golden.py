"""The command line gives the same JSON and tables as before the package layout moved.

The files in ``tests/data/cli_golden/`` were recorded from the command line before the engine
was reorganised into ``forms/``, ``solvers/``, ``analysis/``, ``sweeps/`` and ``cli/``.  A change
of output is then a visible diff of a recorded file, never a silent drift.  Re-record deliberately
with ``python tests/test_cli_golden.py --record`` and review the diff.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "data" / "cli_golden"

#: (file stem, command-line arguments).  Fast commands on every built-in model and the case.
COMMANDS: list[tuple[str, list[str]]] = [
    ("list", ["list"]),
    ("show-chicken", ["show", "chicken"]),
    ("show-iran-pakistan-sequential", ["show", "iran-pakistan-sequential"]),
    ("solve-prisoners-dilemma", ["solve", "prisoners-dilemma", "--format", "json"]),
    ("solve-stag-hunt", ["solve", "stag-hunt", "--format", "json"]),
    ("solve-matching-pennies", ["solve", "matching-pennies", "--format", "json"]),
    ("solve-battle-of-the-sexes", ["solve", "battle-of-the-sexes", "--format", "json"]),
    ("solve-battle-of-the-sexes-table", ["solve", "battle-of-the-sexes"]),
    ("solve-chicken-set", ["solve", "chicken", "--set", "crash_cost=4", "--format", "json"]),
    ("solve-chicken-pure", ["solve", "chicken", "--concept", "pure", "--format", "json"]),
    ("solve-entry-matrix", ["solve", "entry-matrix", "--format", "json"]),
    ("solve-entry-tree", ["solve", "entry-tree", "--format", "json"]),
    ("solve-entry-tree-nash", ["solve", "entry-tree", "--concept", "nash", "--format", "json"]),
    ("solve-generic-deterrence", ["solve", "generic-deterrence", "--format", "json"]),
    ("solve-generic-deterrence-table", ["solve", "generic-deterrence"]),
    ("solve-iran-pakistan-matrix", ["solve", "iran-pakistan-matrix", "--format", "json"]),
    (
        "solve-iran-pakistan-matrix-dominance",
        ["solve", "iran-pakistan-matrix", "--concept", "dominance", "--format", "json"],
    ),
    ("solve-iran-pakistan-sequential", ["solve", "iran-pakistan-sequential", "--format", "json"]),
    ("solve-iran-pakistan-sequential-table", ["solve", "iran-pakistan-sequential"]),
    (
        "solve-iran-pakistan-sequential-china",
        ["solve", "iran-pakistan-sequential", "--scenario", "strong_china", "--format", "json"],
    ),
    ("audit", ["audit", "--format", "json"]),
    ("audit-table", ["audit"]),
    ("audit-hostile-india", ["audit", "--scenario", "hostile_india", "--format", "json"]),
]

# Timings and versions are not part of the answer.
_VOLATILE = re.compile(r'"(?:seconds|elapsed|time|version)": [^,}\n]+')


def run(args: list[str]) -> str:
    """Run the command line in-process and return what it printed."""
    from deterrence.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(args)
    assert status in (0, None), f"deterrence {' '.join(args)} exited {status}"
    return _VOLATILE.sub('"<volatile>": 0', out.getvalue())


@pytest.mark.parametrize(("stem", "args"), COMMANDS, ids=[stem for stem, _ in COMMANDS])
def test_cli_output_is_unchanged(stem, args):
    expected = (GOLDEN / f"{stem}.txt").read_text(encoding="utf-8")
    assert run(args) == expected


if __name__ == "__main__" and "--record" in sys.argv:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for stem, args in COMMANDS:
        (GOLDEN / f"{stem}.txt").write_text(run(args), encoding="utf-8")
        print("recorded", stem)
