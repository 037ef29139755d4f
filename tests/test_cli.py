"""Tests of the command line (deterrence.cli), run in-process through ``main(argv)``.

User mistakes must give exit status 2 and exactly one line on stderr that
starts with ``deterrence: error:`` -- never a traceback.  One subprocess test
covers the real entry points (``python -m deterrence`` and the console script).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from classic_models import BUILT_IN
from cli_runs import run

from deterrence import __version__
from deterrence.cli.main import main

PARAMETER_KEYS = {"name", "default", "low", "high", "unit", "meaning", "claims"}


def assert_one_line_error(status, out, err, *fragments):
    assert status == 2
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("deterrence: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert out == ""


# -- list ---------------------------------------------------------------------
def test_list_shows_the_eight_built_in_games(capsys):
    status, out, err = run(capsys, "list")
    assert status == 0 and err == ""
    slugs = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert slugs >= BUILT_IN
    chicken_line = next(line for line in out.splitlines() if line.startswith("chicken "))
    assert "Chicken with a crash cost" in chicken_line and "[3 parameters]" in chicken_line


def test_list_json(capsys):
    status, out, _ = run(capsys, "list", "--format", "json")
    assert status == 0
    data = json.loads(out)
    by_slug = {item["slug"]: item for item in data}
    assert set(by_slug) >= BUILT_IN
    assert by_slug["generic-deterrence"]["parameters"] == 6
    assert by_slug["prisoners-dilemma"]["parameters"] == 0
    assert "Axelrod (1984)" in by_slug["prisoners-dilemma"]["citation"]
    assert [item["slug"] for item in data] == sorted(by_slug)


# -- show ---------------------------------------------------------------------
def test_show_json_has_the_documented_keys(capsys):
    status, out, err = run(capsys, "show", "chicken", "--format", "json")
    assert status == 0 and err == ""
    info = json.loads(out)
    assert {
        "slug",
        "title",
        "citation",
        "description",
        "concepts",
        "players",
        "form",
        "parameters",
        "values",
    } <= set(info)
    assert info["slug"] == "chicken" and info["form"] == "normal"
    assert info["players"] == ["Row", "Column"]
    assert [p["name"] for p in info["parameters"]] == ["win", "face_loss", "crash_cost"]
    for parameter in info["parameters"]:
        assert set(parameter) >= PARAMETER_KEYS
    crash = info["parameters"][2]
    assert (crash["default"], crash["low"], crash["high"]) == (10.0, 0.0, 100.0)
    assert crash["unit"] == "payoff units" and isinstance(crash["claims"], list)
    assert info["values"] == {"win": 1.0, "face_loss": 1.0, "crash_cost": 10.0}


def test_show_json_reflects_set(capsys):
    status, out, _ = run(capsys, "show", "chicken", "--format", "json", "--set", "crash_cost=4")
    assert status == 0
    assert json.loads(out)["values"]["crash_cost"] == 4.0


def test_show_tree_json(capsys):
    status, out, _ = run(capsys, "show", "generic-deterrence", "--format", "json")
    assert status == 0
    info = json.loads(out)
    assert info["form"] == "extensive" and info["concepts"][0] == "spe"
    assert len(info["parameters"]) == 6


def test_show_table(capsys):
    status, out, _ = run(capsys, "show", "chicken", "--set", "crash_cost=7/2")
    assert status == 0
    assert "Chicken with a crash cost (chicken)" in out
    assert "Snyder & Diesing (1977)" in out
    crash_row = next(line for line in out.splitlines() if line.startswith("crash_cost"))
    assert "7/2" in crash_row and "[0, 100]" in crash_row


def test_show_scenario(capsys, tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text("[parameters]\ncrash_cost = 25\nwin = 2\n", encoding="utf-8")
    status, out, _ = run(capsys, "show", "chicken", "--format", "json", "--scenario", str(scenario), "--set", "win=3")
    assert status == 0
    values = json.loads(out)["values"]
    assert values["crash_cost"] == 25.0 and values["win"] == 3.0  # --set wins over the scenario


# -- help and version ---------------------------------------------------------
def test_help(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: deterrence")
    for command in ("list", "show", "solve"):
        assert command in out
    assert "examples:" in out


def test_subcommand_help(capsys):
    with pytest.raises(SystemExit) as info:
        main(["solve", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--concept" in out and "--set NAME=VALUE" in out and "--scenario" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"deterrence {__version__}"


def test_no_command_prints_help(capsys):
    status, out, _ = run(capsys)
    assert status == 0 and out.startswith("usage: deterrence")


def test_argparse_usage_errors_exit_2_without_traceback(capsys):
    with pytest.raises(SystemExit) as info:
        main(["solve"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "deterrence solve: error:" in err


# -- user errors: one line, exit status 2 -------------------------------------
@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        pytest.param(
            ["solve", "no-such-game"],
            ["unknown game 'no-such-game'", "deterrence list"],
            id="unknown-slug",
        ),
        pytest.param(["show", "chiken"], ["unknown game 'chiken' (did you mean 'chicken'?)"], id="typo-slug"),
        pytest.param(
            ["solve", "chicken", "--set", "crash_cost=1000"],
            ["parameter 'crash_cost' = 1000 is outside its range [0, 100]"],
            id="set-out-of-range",
        ),
        pytest.param(
            ["show", "chicken", "--set", "crash_cots=1"],
            ["unknown parameter 'crash_cots' (did you mean 'crash_cost'?)"],
            id="set-unknown-name",
        ),
        pytest.param(
            ["solve", "chicken", "--set", "crash_cost=2*3"],
            ["formulas are not allowed here"],
            id="set-formula",
        ),
        pytest.param(
            ["solve", "chicken", "--set", "crash_cost"],
            ["--set expects NAME=VALUE"],
            id="set-no-value",
        ),
        pytest.param(
            ["solve", "tests/data/gambit/matching_pennies.nfg", "--concept", "spe"],
            ["subgame perfection needs a game tree"],
            id="spe-on-matrix",
        ),
        pytest.param(
            ["solve", "chicken", "--concept", "spe"],
            ["model 'chicken' declares the concepts nash, pure, dominance, qre, not 'spe'"],
            id="undeclared-concept",
        ),
        pytest.param(
            ["solve", "chicken", "--method", "magic"],
            ["unknown method 'magic'"],
            id="unknown-method",
        ),
        pytest.param(
            ["show", "chicken", "--scenario", "no-such-scenario.toml"],
            ["scenario file not found: no-such-scenario.toml"],
            id="missing-scenario",
        ),
    ],
)
def test_user_errors_give_one_line_and_status_2(capsys, argv, fragments):
    assert_one_line_error(*run(capsys, *argv), *fragments)


def test_missing_game_file(capsys, tmp_path):
    missing = tmp_path / "missing.nfg"
    assert_one_line_error(*run(capsys, "solve", str(missing)), "missing.nfg")


def test_set_on_a_game_file_is_refused(capsys, tmp_path):
    game = tmp_path / "g.nfg"
    game.write_text('NFG 1 R "g" { "A" "B" } { 1 1 }\n1 1\n', encoding="utf-8")
    assert_one_line_error(
        *run(capsys, "solve", str(game), "--set", "x=1"),
        "--set and --scenario apply to built-in games",
    )


def test_malformed_scenario(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[parameters\ncrash_cost = 3\n", encoding="utf-8")
    assert_one_line_error(*run(capsys, "show", "chicken", "--scenario", str(bad)), "malformed TOML")


def test_output_into_missing_directory_creates_it(capsys, tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "out.json"
    status, out, err = run(
        capsys, "solve", "prisoners-dilemma", "--concept", "pure", "--format", "json", "-o", str(target)
    )
    assert status == 0 and out == "" and err == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))["equilibria"]) == 1


def test_output_under_a_file_is_one_line_error(capsys, tmp_path):
    blocker = tmp_path / "plain.txt"
    blocker.write_text("not a directory", encoding="utf-8")
    assert_one_line_error(
        *run(capsys, "solve", "prisoners-dilemma", "-o", str(blocker / "out.json")),
        "cannot write",
        "out.json",
    )
    assert blocker.read_text(encoding="utf-8") == "not a directory"


def test_failed_write_keeps_the_previous_output(capsys, tmp_path, full_disk):
    target = tmp_path / "result.json"
    target.write_text("previous\n", encoding="utf-8")
    assert_one_line_error(
        *run(capsys, "solve", "stag-hunt", "--format", "json", "-o", str(target)),
        "cannot write",
        "No space left on device",
    )
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temporary file left behind


def test_help_says_missing_directories_are_created(capsys):
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    assert "missing parent directories are created" in " ".join(capsys.readouterr().out.split())


# -- solve --------------------------------------------------------------------
def test_solve_pure_json(capsys):
    pytest.importorskip("deterrence.solvers.pure")
    status, out, err = run(capsys, "solve", "prisoners-dilemma", "--concept", "pure", "--format", "json")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert data["concept"] == "pure" and data["complete"] is True
    assert data["equilibria"] == [
        {
            "strategies": {
                "Row": {"Cooperate": "0", "Defect": "1"},
                "Column": {"Cooperate": "0", "Defect": "1"},
            },
            "payoffs": {"Row": "1", "Column": "1"},
            "regret": 0.0,
        }
    ]
    assert data["version"] == __version__


def test_solve_writes_output_file(capsys, tmp_path):
    pytest.importorskip("deterrence.solvers.pure")
    target = tmp_path / "result.json"
    status, out, _ = run(capsys, "solve", "stag-hunt", "--concept", "pure", "--format", "json", "-o", str(target))
    assert status == 0 and out == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert len(data["equilibria"]) == 2


def test_solve_table_output(capsys):
    pytest.importorskip("deterrence.solvers.pure")
    status, out, _ = run(capsys, "solve", "chicken", "--concept", "pure", "--set", "crash_cost=4")
    assert status == 0
    assert "2 equilibria (complete)" in out
    assert "Row=1, Column=-1" in out and "Row=-1, Column=1" in out


def test_solve_tree_default_concept_is_spe(capsys):
    pytest.importorskip("deterrence.solvers.spe")
    status, out, _ = run(capsys, "solve", "entry-tree", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["concept"] == "spe"
    (eq,) = data["equilibria"]
    assert eq["strategies"]["Entrant"]["entry"] == {"Out": "0", "In": "1"}
    assert eq["strategies"]["Incumbent"]["response"] == {"Fight": "0", "Accommodate": "1"}


def test_solve_generic_deterrence_with_set(capsys):
    pytest.importorskip("deterrence.solvers.spe")
    # Not credible (d_dc > d_dd): the Challenger defects and the Defender concedes.
    status, out, _ = run(
        capsys,
        "solve",
        "generic-deterrence",
        "--format",
        "json",
        "--set",
        "d_dc=2",
        "--set",
        "d_dd=1",
    )
    assert status == 0
    (eq,) = json.loads(out)["equilibria"]
    assert eq["payoffs"] == {"Challenger": "3", "Defender": "2"}


def test_solve_gambit_file_from_the_corpus(capsys, corpus_dir):
    pytest.importorskip("deterrence.io")
    pytest.importorskip("deterrence.solvers.enumeration")
    # Gambit's contrib/games/2x2.nfg: u1 = [[2, 0], [0, 1]], u2 = [[0, 1], [1, 0]], whose unique
    # equilibrium makes each player indifferent: p = 1/2 (from u2) and q = 1/3 (from u1).
    status, out, _ = run(capsys, "solve", str(corpus_dir / "2x2.nfg"), "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["complete"] is True
    (eq,) = data["equilibria"]
    assert eq["strategies"] == {
        "Player 1": {"1": "1/2", "2": "1/2"},
        "Player 2": {"1": "1/3", "2": "2/3"},
    }
    assert eq["payoffs"] == {"Player 1": "2/3", "Player 2": "1/2"}


# -- the real entry points ----------------------------------------------------
def test_entry_points_smoke(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-m", "deterrence", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"deterrence {__version__}"
    script = Path(sys.executable).parent / ("deterrence.exe" if os.name == "nt" else "deterrence")
    if script.exists():
        done = subprocess.run(
            [str(script), "list"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        assert {line.split()[0] for line in done.stdout.splitlines() if line.strip()} >= BUILT_IN
        bad = subprocess.run(
            [str(script), "solve", "no-such-game"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env=env,
        )
        assert bad.returncode == 2
        assert bad.stderr.startswith("deterrence: error: unknown game") and "Traceback" not in bad.stderr


# -- the command registry -------------------------------------------------------------------
def test_every_registered_command_is_in_the_parser(capsys):
    from deterrence.cli.registry import commands, load_commands

    load_commands()
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    names = list(commands())
    assert {"list", "show", "solve", "audit", "report"} <= set(names)
    positions = [re.search(rf"\n    {name}\s", listed).start() for name in names]
    assert positions == sorted(positions)  # --help follows the registry's order


def test_the_case_commands_come_from_the_case_through_an_entry_point():
    from importlib.metadata import entry_points

    from deterrence.cli.registry import ENTRY_POINT_GROUP, commands, load_commands

    load_commands()
    declared = {e.value for e in entry_points(group=ENTRY_POINT_GROUP)}
    assert "games.iran_pakistan.commands" in declared
    registered = commands()
    assert registered["audit"].add_parser.__module__ == "games.iran_pakistan.commands"
    assert registered["report"].add_parser.__module__ == "games.iran_pakistan.commands"
    assert all(
        registered[name].add_parser.__module__.startswith("deterrence.cli.") for name in ("list", "show", "solve")
    )


def test_a_decorated_command_runs(capsys):
    from deterrence.cli.registry import command, unregister

    def greet(args):
        print(f"hello {args.who}")
        return 0

    @command("greet", order=999)
    def add_greet(sub):
        p = sub.add_parser("greet", help="say hello")
        p.add_argument("who")
        p.set_defaults(handler=greet)

    try:
        assert run(capsys, "greet", "world") == (0, "hello world\n", "")
    finally:
        unregister("greet")
    with pytest.raises(SystemExit):
        main(["greet", "world"])  # gone again: argparse refuses an unknown command


def test_a_module_with_only_add_commands_is_loaded_as_one_group(capsys, monkeypatch):
    import types

    from deterrence.cli import registry

    legacy = types.ModuleType("legacy_group")

    def add_commands(sub):
        for name in ("first", "second"):
            sub.add_parser(name).set_defaults(handler=lambda args, name=name: print(name) or 0)

    add_commands.__module__ = "legacy_group"
    legacy.add_commands = add_commands
    monkeypatch.setitem(sys.modules, "legacy_group", legacy)
    monkeypatch.setattr(registry, "BUILTIN_MODULES", (*registry.BUILTIN_MODULES, "legacy_group"))
    try:
        assert run(capsys, "second") == (0, "second\n", "")
        registry.load_commands()  # loading twice registers the group once
        assert [c.name for c in registry.commands().values()].count("legacy_group") == 1
    finally:
        registry.unregister("legacy_group")
