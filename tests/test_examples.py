"""Every worked example in ``examples/`` runs as a test.

Each ``examples/*.py`` (a Jupytext percent script) is run with :mod:`runpy`
in a temporary working directory, with ``MPLBACKEND=Agg`` and
``DETERRENCE_SMALL=1`` so that examples use small sizes.  A broken example
is a failing test.  The examples are found when the tests are collected, so
the list is simply empty (no skipped placeholder) before any example exists;
the harness itself is tested on a throw-away example either way.

Each example's key numbers are checked on the namespace it leaves behind
(``CHECKS``), each opens as a notebook through Jupytext, and each imports only
public names (nothing starting with ``_``).
"""

from __future__ import annotations

import ast
import runpy
import subprocess
import sys
from fractions import Fraction
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
        namespace = run_example(path, tmp_path, monkeypatch)
        # Examples write only under the working (output) directory, never next to themselves.
        assert _tree(EXAMPLES_DIR) == before
        check = CHECKS.get(path.stem)
        if check is not None:
            check(namespace, tmp_path / "output")

    @pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
    def test_example_opens_as_a_notebook(path, tmp_path):
        notebook = tmp_path / f"{path.stem}.ipynb"
        command = [sys.executable, "-m", "jupytext", "--to", "ipynb", "--output", str(notebook), str(path)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        import json

        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        kinds = {cell["cell_type"] for cell in cells}
        assert kinds == {"markdown", "code"}, f"{path.name}: expected prose and code cells, got {kinds}"

    @pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
    def test_example_imports_only_public_names(path):
        assert private_imports(path.read_text(encoding="utf-8")) == []

    @pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
    def test_example_is_a_percent_script(path):
        text = path.read_text(encoding="utf-8")
        assert "# %%" in text, f"{path.name} is not a Jupytext percent script"
        assert text.lstrip().startswith(("#", '"""', "'''")), f"{path.name} should open with a description"


def private_imports(source: str) -> list[str]:
    """Every imported module path with a ``_``-prefixed component, or imported ``_`` name, in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if any(part.startswith("_") for part in a.name.split("."))]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level or any(part.startswith("_") for part in module.split(".")):
                found.append("." * node.level + module)
            found += [f"{module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


# -- what each example must compute (run_example returns the script's globals) --
def _close(value, expected, tol=1e-6):
    return abs(float(value) - expected) <= tol


def _check_01(ns, out):
    # The engine's PBE of the Bayesian form and the batched backward induction agree (calibrated).
    [eq] = ns["pbe"].equilibria
    assert eq.strategies["Pakistan"]["response"]["calibrated"] == 1
    assert ns["CHOICES"][int(ns["out"]["choice"][0])] == "calibrated"
    # The SPE path is one of the matrix's Nash equilibria (the matrix is the tree's reduced form).
    assert any(e.strategies["Pakistan"]["calibrated/counter-escalate"] == 1 for e in ns["matrix"].equilibria)
    assert ns["prestrike"].complete and ns["reputation"].complete


def _check_02(ns, out):
    # Fearon (1994): the Challenger fights iff a > c_c - p v = 1 - 1/2.
    assert ns["baseline_threatens"] == 0.0 and ns["locked_in_threatens"] == 1.0
    assert _close(ns["threshold_value"], 0.5)
    assert "istgame" in (out / "audience_cost.tex").read_text()
    assert (out / "audience_cost.efg").read_text().startswith("EFG 2 R")
    assert (out / "audience_cost_sweep.csv").stat().st_size > 0


def _check_03(ns, out):
    # Zagare & Kilgour (2000): SQ iff credible (d_dd > d_dc = 1) and capable (c_dd < c_sq = 2).
    assert ns["nash_deny_probabilities"] == [0.0, 0.5, 1.0]
    assert ns["spe_defects"] == 1.0
    assert ns["label_credible_capable"] == "SQ"
    assert _close(ns["credibility_value"], 1.0) and _close(ns["capability_value"], 2.0)
    assert set(ns["shares"]) == {"SQ", "DC", "DD"}
    assert (out / "generic_deterrence_regimes.png").stat().st_size > 0


def _check_04(ns, out):
    # Chicken: firmness win / (win + crash_cost - face_loss); war = firmness squared.
    assert ns["mixed_firm"] == Fraction(1, 10)
    assert _close(ns["threshold_value"], 1.0)
    assert _close(ns["p_war_at_20"], (1 / 20) ** 2)
    assert _close(ns["first_event"], 1.0, 1e-6)
    assert (out / "chicken_war_probability.png").stat().st_size > 0


def _check_05(ns, out):
    # Cho & Kreps (1987): pooling on beer and on quiche; the Intuitive Criterion keeps beer.
    assert ns["foods"] == ["beer", "quiche"] and ns["n_components"] == 2
    assert ns["result"].complete
    assert ns["refined_foods"] == ["beer"]
    assert len(ns["beer_pinned"]) == 1
    assert (out / "beer_quiche_pbe.json").stat().st_size > 0


def _check_06(ns, out):
    assert ns["baseline_label"] == "calibrated -> stand down"
    # Counter-terror Iran stands down after a calibrated strike, so Pakistan retaliates iff the
    # restored share rho_K P = (precedent_loss + 2) / 2 exceeds the strike's cost 1 + 1/20.
    assert _close(ns["threshold_value"], 0.1)
    assert ns["most_influential"] == "precedent_loss"
    assert ns["n_outcomes"] == 3
    assert (out / "iran_pakistan_sweep_run.csv").stat().st_size > 0


def _check_07(ns, out):
    # von Stengel (2002): the 3x2 game has exactly these three equilibria.
    third = Fraction(1, 3)
    assert ns["ours"] == {
        ((1, 0, 0), (1, 0)),
        ((Fraction(4, 5), Fraction(1, 5), 0), (Fraction(2, 3), third)),
        ((0, third, 2 * third), (third, 2 * third)),
    }
    assert ns["spe_outcome_defect"] == 0.0
    assert ns["gambit_checked"] is not False  # None when pygambit is absent
    assert (out / "von_stengel.nfg").read_text().startswith("NFG 1 R")


def _check_08(ns, out):
    # Uniform play at lambda = 0; the Chicken branch tends to the mixed equilibrium (war 1/100).
    assert _close(ns["chicken_p_war_start"], 0.25, 1e-9)
    assert _close(ns["chicken_p_war_end"], 0.01, 1e-3)
    assert _close(ns["ip_p_escalate_start"], 1 / 3, 1e-9)
    assert ns["ip_p_escalate_end"] < 1e-3 < ns["ip_p_escalate_peak"] - ns["ip_p_escalate_start"]
    assert (out / "qre_escalation.png").stat().st_size > 0


def _check_09(ns, out):
    import json

    claims = [f"C{i}" for i in range(1, 13)]
    # Baseline: C11 is qualified (the broadening type still escalates after the calibrated strike).
    assert list(ns["baseline_status"]) == claims
    assert ns["baseline_status"]["C2"] == "confirmed" and ns["baseline_status"]["C11"] == "qualified"
    # Every claim's stored refuting example refutes it when re-audited.
    assert ns["refuted_at_example"] == {c: "refuted" for c in claims}
    # C6's example: realised escalation jumps 0 -> prior_broaden = 1/5 at deterrence_erosion = 1/2,
    # where Pakistan switches from absorbing to a calibrated strike, while Iran's reaction never rises.
    assert ns["paradox_before"] == 0.0 and _close(ns["paradox_after"], 0.2) and _close(ns["paradox_at"], 0.5)
    assert ns["reaction_monotone"] is True
    assert ns["result"].n == 16 and set(ns["shares"]) == set(claims)
    for by_box in ns["result"].rows.values():
        assert set(by_box) == {"uniform", "local"}
        for row in by_box.values():
            assert 0 <= row["share_confirmed"] <= row["share_held"] <= 1
            assert row["ci_held"][0] <= row["share_held"] <= row["ci_held"][1]
    assert (out / "robustness.png").stat().st_size > 0
    assert (out / "testing_restraint_paradox.png").stat().st_size > 0
    assert len((out / "testing_restraint_paradox.csv").read_text().splitlines()) == 1 + 2 * 41
    assert set(json.loads((out / "robustness.json").read_text())["claims"]) == set(claims)


def _check_10(ns, out):
    # Reputation form: the pliable type mimics the calibrated strike with probability 2/3 and the
    # challenger challenges it with probability 59/80, in the engine's PBE and in the closed form.
    assert ns["reputation"].complete and ns["engine_agrees_with_formula"] is True
    assert ns["formula"]["sigma"] == Fraction(2, 3) and ns["formula"]["challenge_after_strike"] == Fraction(59, 80)
    # S = precedent_loss * (1/2 + 1/2) exceeds c(calibrated) = 21/20 iff precedent_loss > 21/20.
    assert ns["threshold_precedent_loss"] == Fraction(21, 20)
    assert ns["regime_at"][("precedent_loss", 1)] == "separating"
    assert ns["regime_at"][("challenger_prior_resolute", Fraction(3, 5))] == "pooling"
    # Pre-strike game: semi-separating, counter-terror strikes with 74/195, Pakistan calibrated 2/3.
    assert ns["engine"].complete and ns["prestrike_agrees"] is True
    assert ns["model_eq"]["strike"] == {"ct": Fraction(74, 195), "broaden": 1, "coerce": 0}
    assert ns["model_eq"]["response"]["calibrated"] == Fraction(2, 3)
    # Striking mass 76/195 at iran_belief_absorb = 0, rising to 1 (pooling) at 1.
    assert _close(ns["mass_at_zero"], 76 / 195) and _close(ns["mass_at_one"], 1.0)
    assert ns["mass_never_falls"] is True
    assert [k for k, _ in ns["exact_kinds"][Fraction(3, 4)]] == ["separating"]
    assert (out / "prestrike_striking_mass.png").stat().st_size > 0
    assert (out / "reputation_regimes.csv").stat().st_size > 0


def _check_11(ns, out):
    import csv

    for stem in (
        "game_tree", "belief_simplex", "regime_china", "regime_united_states", "regime_india", "tornado", "sobol",
        "robustness", "audit", "sign_targets", "switches",
    ):  # fmt: skip
        assert (out / f"{stem}.png").stat().st_size > 0, stem
    # Tree: the subgame-perfect path is a calibrated strike after which Iran stands down (C3).
    assert ns["spe"].complete and ns["tree_path"] == ["Pakistan: calibrated", "Iran: stand down"]
    # Belief simplex (C10): Pakistan strikes when Iran is probably counter-terror, absorbs otherwise.
    assert set(ns["belief"].regimes) == {"calibrated strike", "absorb"} and ns["belief"].agreement == 1.0
    # India cuts both ways (C4): two regimes; the analytic C1 rule matches the solver on every map.
    assert sorted(ns["regime_maps"]["India"].regimes) == ["absorb", "calibrated strike, broaden type escalates"]
    assert all(m.agreement == 1.0 for m in ns["regime_maps"].values()) and len(ns["regime_maps"]) == 3
    # Tornado: the retaliation margin is 119/100 at the calibration; India's and the Taliban's
    # emboldening swing it most, by the same amount (they enter the margin alike).
    assert _close(ns["tornado_baseline"], 1.19, 1e-9)
    assert ns["largest_swing"]["retaliation_margin"] == ["india_emboldening", "taliban_emboldening"]
    # Sobol': the weight Pakistan gives China decides most of the margin's variance.
    assert ns["sobol_top"]["retaliation_margin"] == "china_pakistan_weight"
    assert len(ns["robust"].rows) == 12 and ns["robust"].n == 16
    # Audit: at the baseline only C11 is qualified; the CSV has one row per claim.
    assert ns["audit_status"] == {f"C{i}": "qualified" if i == 11 else "confirmed" for i in range(1, 13)}
    with open(out / "audit.csv", newline="", encoding="utf-8") as f:
        assert [r[0] for r in csv.reader(f)][1:] == [f"C{i}" for i in range(1, 13)]
    # Sign targets: 12 rows; rows 10 and 12 have no channel in the model, row 2 is flat.
    assert sorted(ns["target_status"]) == list(range(1, 13))
    assert ns["target_status"][10] == ns["target_status"][12] == "not implied"
    assert ns["target_status"][2] == "holds weakly"
    # Switches: the nearest change of Pakistan's response is a higher war cost (2 -> about 2.66: absorb).
    s = ns["nearest_response_switch"]
    assert s["parameter"] == "war_cost_pakistan" and s["after"] == "absorb" and 2 < s["at"] < 3
    assert len((out / "switches.csv").read_text().splitlines()) == 1 + len(ns["found"])


CHECKS = {
    "01_iran_pakistan_baseline": _check_01,
    "02_build_your_own_game": _check_02,
    "03_credibility_and_capability": _check_03,
    "04_chicken_and_brinkmanship": _check_04,
    "05_signalling_beer_quiche": _check_05,
    "06_sensitivity_study": _check_06,
    "07_gambit_files": _check_07,
    "08_smooth_escalation_qre": _check_08,
    "09_testing_the_argument": _check_09,
    "10_reputation_and_first_strike": _check_10,
    "11_report_figures": _check_11,
}


def test_every_check_names_an_example():
    assert set(CHECKS) <= {p.stem for p in EXAMPLES}


def test_private_imports_are_found():
    source = (
        "import os\nimport deterrence._version\nfrom deterrence.io._x import y\nfrom deterrence import _LAZY, solve\n"
    )
    assert private_imports(source) == ["deterrence._version", "deterrence.io._x", "deterrence._LAZY"]
    assert private_imports("from deterrence.io.exporters import export\nimport games.iran_pakistan\n") == []


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
