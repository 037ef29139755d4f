"""Tests of ``deterrence export`` (deterrence/cli/export.py), run in-process through ``main``."""

from __future__ import annotations

import json

import pytest
from cli_runs import run

from deterrence.cli.main import main
from deterrence.io.gambit import read_efg, read_nfg
from deterrence.io.json_game import read_json_game
from deterrence.io.provenance import file_digest, read_sidecar
from deterrence.library import get_model


def assert_one_line_error(result, *fragments):
    status, out, err = result
    assert status == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("deterrence: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_latex_of_a_built_in_game_on_stdout(capsys):
    status, out, err = run(capsys, "export", "chicken", "--to", "latex")
    assert status == 0 and err == ""
    assert r"\begin{game}{2}{2}[{Row}][{Column}]" in out
    assert r"Stand firm & $1, -1$ & $-10, -10$" in out


def test_set_changes_the_exported_payoffs(capsys):
    _, out, _ = run(capsys, "export", "chicken", "--to", "nfg", "--set", "crash_cost=4")
    game = read_nfg(out)
    assert game.payoff(("Stand firm", "Stand firm"), "Row") == -4


def test_output_file_gets_its_format_from_the_extension_and_a_sidecar(capsys, tmp_path):
    target = tmp_path / "new" / "tree.efg"
    status, out, err = run(capsys, "export", "entry-tree", "-o", str(target))
    assert (status, out, err) == (0, "", "")
    tree = read_efg(target)
    assert tree.players == get_model("entry-tree").game({}).players
    side = read_sidecar(target)
    assert side["format"] == "efg" and side["model"] == "entry-tree"
    assert side["output"]["sha256"] == file_digest(target)
    assert side["command"] == f"deterrence export entry-tree --to efg -o {target}"


def test_sidecar_records_the_values_used(capsys, tmp_path):
    target = tmp_path / "c.tex"
    run(capsys, "export", "chicken", "--set", "crash_cost=4", "-o", str(target))
    values = {p["name"]: p["value"] for p in read_sidecar(target)["parameters"]}
    assert values["crash_cost"] == 4 and values["win"] == 1


def test_to_wins_over_the_extension(capsys, tmp_path):
    target = tmp_path / "graph.txt"
    assert run(capsys, "export", "stag-hunt", "--to", "dot", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("digraph ")


def test_json_export_reads_back_and_exports_again(capsys, tmp_path):
    target = tmp_path / "g.json"
    run(capsys, "export", "iran-pakistan-sequential", "-o", str(target))
    assert read_json_game(target).players == ("Pakistan", "Iran")
    _, from_json, _ = run(capsys, "export", str(target), "--to", "efg")
    _, direct, _ = run(capsys, "export", "iran-pakistan-sequential", "--to", "efg")
    assert from_json == direct


def test_gambit_files_are_exported_too(capsys, tmp_path):
    source = tmp_path / "pd.nfg"
    run(capsys, "export", "prisoners-dilemma", "-o", str(source))
    status, out, _ = run(capsys, "export", str(source), "--to", "json")
    assert status == 0 and json.loads(out)["strategies"] == [["Cooperate", "Defect"], ["Cooperate", "Defect"]]


def test_unknown_format_is_one_line(capsys):
    assert_one_line_error(run(capsys, "export", "chicken", "--to", "pdf"), "unknown export format 'pdf'", "latex")


def test_unknown_extension_is_one_line(capsys, tmp_path):
    assert_one_line_error(run(capsys, "export", "chicken", "-o", str(tmp_path / "x.pdf")), "'x.pdf'", "--to")
    assert not (tmp_path / "x.pdf").exists()


def test_no_format_is_one_line(capsys):
    assert_one_line_error(run(capsys, "export", "chicken"), "--to")


def test_missing_game_is_one_line(capsys):
    assert_one_line_error(run(capsys, "export", "--to", "dot"), "needs a GAME")
    assert_one_line_error(run(capsys, "export", "chiken", "--to", "dot"), "chiken")


@pytest.mark.parametrize("name", ["missing.nfg", "missing.json"])
def test_missing_file_is_one_line(capsys, tmp_path, name):
    assert_one_line_error(run(capsys, "export", str(tmp_path / name), "--to", "dot"), "no such file")


@pytest.mark.parametrize(
    ("name", "text", "fragment"), [("bad.nfg", "NFG 1 R", "bad.nfg"), ("bad.json", "[]", "not a deterrence game")]
)
def test_bad_file_is_one_line(capsys, tmp_path, name, text, fragment):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert_one_line_error(run(capsys, "export", str(path), "--to", "latex"), fragment)


def test_set_with_a_file_is_one_line(capsys, tmp_path):
    path = tmp_path / "g.json"
    run(capsys, "export", "chicken", "-o", str(path))
    assert_one_line_error(run(capsys, "export", str(path), "--to", "dot", "--set", "win=2"), "built-in games")


def test_symbolic_game_to_gambit_is_one_line(capsys, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "format": "deterrence-game",
                "version": 1,
                "form": "normal",
                "players": ["A", "B"],
                "strategies": [["x"], ["y"]],
                "payoffs": [[["c", "1"]]],
            }
        ),
        encoding="utf-8",
    )
    assert_one_line_error(run(capsys, "export", str(path), "--to", "nfg"), "evaluate")
    status, out, _ = run(capsys, "export", str(path), "--to", "latex")
    assert status == 0 and "$c, 1$" in out


def test_standalone_latex_is_a_whole_document(capsys):
    _, matrix, _ = run(capsys, "export", "chicken", "--to", "latex", "--standalone")
    _, tree, _ = run(capsys, "export", "entry-tree", "--to", "latex", "--standalone")
    assert matrix.startswith("\\documentclass{article}\n\\usepackage{sgame}\n")
    assert "\\usepackage{istgame}" in tree and tree.rstrip().endswith("\\end{document}")
    assert_one_line_error(run(capsys, "export", "chicken", "--to", "dot", "--standalone"), "--standalone")


def test_help_lists_every_format(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    for name in ("latex", "efg", "nfg", "dot", "json"):
        assert f"  {name} " in out
