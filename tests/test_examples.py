"""Every worked example in ``examples/`` runs as a test.

Each ``examples/*.py`` (a Jupytext percent script) is run with :mod:`runpy`
in a temporary working directory, with ``MPLBACKEND=Agg`` and
``DETERRENCE_SMALL=1`` so that examples use small sizes.  A broken example
is a failing test.  The examples are found when the tests are collected, so
the list is simply empty (no skipped placeholder) before any example exists;
the harness itself is tested on a throw-away example either way.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"


def discover(directory: Path) -> list[Path]:
    """The ``*.py`` example scripts in ``directory``, sorted; private ones (``_*``) excluded."""
    return sorted(p for p in directory.glob("*.py") if not p.name.startswith("_"))


def run_example(path: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Run one example as ``__main__`` in ``workdir``, with small sizes and the Agg backend."""
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("DETERRENCE_SMALL", "1")
    monkeypatch.setattr(sys, "argv", [str(path)])
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)  # MPLBACKEND is read only when pyplot is first imported
    except ImportError:  # pragma: no cover - matplotlib is a required dependency
        pass
    try:
        return runpy.run_path(str(path), run_name="__main__")
    finally:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")


def _tree(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*") if "__pycache__" not in p.parts}


EXAMPLES = discover(EXAMPLES_DIR) if EXAMPLES_DIR.is_dir() else []


if EXAMPLES:  # no placeholder test (which pytest would report as skipped) before examples exist

    @pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
    def test_example_runs(path, tmp_path, monkeypatch):
        before = _tree(EXAMPLES_DIR)
        run_example(path, tmp_path, monkeypatch)
        # Examples write only under the working (output) directory, never next to themselves.
        assert _tree(EXAMPLES_DIR) == before

    @pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
    def test_example_is_a_percent_script(path):
        text = path.read_text(encoding="utf-8")
        assert "# %%" in text, f"{path.name} is not a Jupytext percent script"
        assert text.lstrip().startswith(("#", '"""', "'''")), f"{path.name} should open with a description"


# -- the harness itself -------------------------------------------------------
def test_harness_runs_an_example_in_a_temporary_directory(tmp_path, monkeypatch):
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "_helper.py").write_text("raise RuntimeError('private files are not examples')\n")
    script = examples / "01_demo.py"
    script.write_text(
        "# %% [markdown]\n# A demo.\n# %%\n"
        "import os\nfrom pathlib import Path\n"
        "import matplotlib.pyplot as plt\n"
        "size = 3 if os.environ.get('DETERRENCE_SMALL') else 1000\n"
        "fig, ax = plt.subplots()\nax.plot(range(size))\n"
        "Path('out').mkdir()\nfig.savefig('out/demo.svg')\n"
        "Path('out/meta.txt').write_text(f\"{size} {plt.get_backend()} {__name__}\")\n"
    )
    assert discover(examples) == [script]
    work = tmp_path / "work"
    work.mkdir()
    namespace = run_example(script, work, monkeypatch)
    assert namespace["size"] == 3
    assert (work / "out" / "demo.svg").stat().st_size > 0
    assert (work / "out" / "meta.txt").read_text().lower() == "3 agg __main__"


def test_harness_reports_a_broken_example(tmp_path, monkeypatch):
    script = tmp_path / "02_broken.py"
    script.write_text("# %%\nraise ValueError('broken example')\n")
    with pytest.raises(ValueError, match="broken example"):
        run_example(script, tmp_path, monkeypatch)
