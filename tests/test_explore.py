"""The explorer page and its data, without a browser (tests/test_explore_browser.py drives one)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import deterrence
from deterrence.cli.main import main
from deterrence.explore import MAX_GRID_POINTS, choose_parameters, explorer_data, write_explorer
from deterrence.library import get_model
from deterrence.sweeps.designs import grid
from deterrence.sweeps.run import sweep_frame

SLUG = "iran-pakistan-sequential"
NAMES = ["us_ct_stake", "china_mediation"]


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """The case's tree over two third-party parameters at 3 levels, with its claims; written out."""
    doc = explorer_data(get_model(SLUG), NAMES, 3)
    folder = tmp_path_factory.mktemp("explore")
    page, data = write_explorer(doc, folder)
    return doc, page.read_text(encoding="utf-8"), json.loads(data.read_text(encoding="utf-8"))


def embedded(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="explore-data">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))


def test_third_party_parameters_come_first():
    names = choose_parameters(get_model(SLUG).parameters, 4)
    assert names == ["china_mediation", "us_ct_stake", "india_emboldening", "taliban_emboldening"]
    # A model without third parties: its first parameters, in order.
    assert choose_parameters(get_model("generic-deterrence").parameters, 3) == ["c_sq", "c_dc", "c_dd"]


def test_page_loads_nothing_from_outside(case):
    _, page, _ = case
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and not re.search(r"<script[^>]*\bsrc=", page)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media" in page  # the layout changes with the screen's width


def test_embedded_data_is_the_json_file(case):
    doc, page, data = case
    assert embedded(page) == data
    assert data["size"] == 9 and len(data["points"]) == 9
    assert [p["name"] for p in data["parameters"]] == NAMES
    assert data["parameters"][0]["values"] == [0.0, 5.0, 10.0]  # us_ct_stake on [0, 10]


def test_outcomes_match_the_sweep_table(case):
    _, _, data = case
    model = get_model(SLUG)
    design = grid({"us_ct_stake": (0, 10, 3), "china_mediation": (0, 5, 3)})
    frame = sweep_frame(model, design)
    assert [p["outcome"] for p in data["points"]] == frame["outcome"].astype(str).tolist()
    for name in NAMES:
        assert [p["values"][name] for p in data["points"]] == frame[name].tolist()
    # The first parameter varies slowest: point 3 is us_ct_stake's second level.
    assert data["points"][3]["values"] == {"us_ct_stake": 5.0, "china_mediation": 0.0}
    assert data["table"]["outcome"] == frame["outcome"].astype(str).tolist()
    # The regime changes across the grid, so the page has something to show.
    assert len({p["outcome"] for p in data["points"]}) == 2


def path_of(data: dict, point: dict) -> list[tuple[int, str]]:
    """The equilibrium path (node id, action) the page should highlight at ``point``."""
    node, path = data["tree"][0], []
    while node["kind"] != "terminal":
        k = int(np.argmax(point["choice"][str(node["id"])]))
        path.append((node["id"], node["actions"][k]))
        node = data["tree"][node["children"][k]]
    return path


def test_tree_choices_are_the_subgame_perfect_equilibrium(case):
    _, _, data = case
    model = get_model(SLUG)
    baseline = data["baseline"]
    for point in data["points"][::4]:
        game = model.game({**baseline, **point["values"]})
        result = deterrence.solve(game, "spe")
        assert point["n_equilibria"] == len(result.equilibria) == 1
        eq = result.equilibria[0]
        decisions = [n for n in data["tree"] if n["kind"] == "decision"]
        for node in decisions:
            mix = eq.strategies[node["player"]][node["infoset"]]
            assert point["choice"][str(node["id"])] == [float(mix[a]) for a in node["actions"]]
    # Without the US stake, strong Chinese mediation (5) lets a counter-terror Iran back down even
    # after a direct strike (stand down 1/2 - 10 + 5 > escalate 1/2 - 6.5), so Pakistan takes the
    # direct strike's full restoration (-2.5 against -4.5 for the calibrated one).
    assert path_of(data, data["points"][0])[0] == (0, "calibrated")
    assert path_of(data, data["points"][2]) == [(0, "direct"), (7, "stand down")]


def test_claim_statuses_are_the_audit(case):
    from games.iran_pakistan.claims import audit

    _, _, data = case
    ids, texts = data["claims"]["ids"], data["claims"]["texts"]
    assert ids[:2] == ["C1", "C2"] and len(ids) == 12
    for k in (0, 3):
        point = data["points"][k]
        rows = audit({**data["baseline"], **point["values"]})
        shown = {ids[c]: texts[t] for c, t in point["claims"]}
        assert shown == {r.claim: [r.status, r.summary] for r in rows}
    status = {k: {ids[c]: texts[t][0] for c, t in data["points"][k]["claims"]} for k in (0, 3)}
    assert status[0]["C2"] == "confirmed" and status[3]["C2"] != "confirmed"


def test_matrix_game_marks_equilibrium_cells():
    doc = explorer_data(get_model("chicken"), ["crash_cost", "win"], 3, claims=True)
    assert doc["form"] == "matrix" and "claims" not in doc  # chicken has no claims hook
    point = next(p for p in doc["points"] if p["values"] == {"crash_cost": 50.0, "win": 5.0})
    pure = sorted(
        (int(np.argmax(eq[0])), int(np.argmax(eq[1])))
        for eq in point["equilibria"]
        if max(eq[0]) == 1 and max(eq[1]) == 1
    )
    assert pure == [(0, 1), (1, 0)]  # one swerves, the other stands firm
    assert point["payoffs"][1][1] == [-50.0, -50.0]


def test_worker_processes_give_the_serial_document():
    model = get_model("chicken")
    serial = explorer_data(model, ["crash_cost", "win"], 3)
    assert explorer_data(model, ["crash_cost", "win"], 3, jobs=2) == serial


def test_trees_with_information_sets_are_drawn_with_a_perfect_bayesian_equilibrium():
    from deterrence.explore.data import _perfect_information

    assert _perfect_information(get_model(SLUG).game())
    assert not _perfect_information(get_model("iran-pakistan-bayesian").game())
    doc = explorer_data(get_model("generic-deterrence"), ["c_sq"], 2, claims=False)
    assert doc["solve_concept"] == "spe"


def test_model_without_batched_outcomes_gets_labels_from_the_solver():
    import dataclasses

    model = dataclasses.replace(get_model("generic-deterrence"), outcomes=None, measures=())
    doc = explorer_data(model, ["c_sq", "d_dd"], 2, claims=False)
    assert doc["table"] == {} and doc["form"] == "tree"
    for point in doc["points"]:  # the label is the SPE path, read off the drawn choices
        assert point["outcome"] == " -> ".join(action for _, action in path_of(doc, point))
    with_outcomes = explorer_data(get_model("generic-deterrence"), ["c_sq", "d_dd"], 2, claims=False)
    assert [p["choice"] for p in doc["points"]] == [p["choice"] for p in with_outcomes["points"]]


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explore", "no-such-model"], "unknown game 'no-such-model'"),
        (["explore", "chicken", "--param", "crash"], "unknown parameter 'crash'"),
        (["explore", "chicken", "--levels", "25"], f"more than {MAX_GRID_POINTS:,}"),
        (["explore", "chicken", "--levels", "1"], "--levels must be a whole number from 2 to 25"),
        (["explore", "chicken", "--levels", "many"], "--levels must be a whole number"),
        (["explore", "chicken", "--param", "win", "--set", "win=3"], "both fixed"),
        (["explore", "chicken", "--param", "win", "--param", "win"], "given twice"),
        (["explore", "matching-pennies"], "has no parameters"),
    ],
)
def test_cli_errors_are_one_line(capsys, tmp_path, argv, message):
    code, out, err = run(capsys, *argv, "-o", str(tmp_path / "site"))
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "site").exists()


def test_cli_writes_both_files(capsys, tmp_path):
    code, out, _ = run(
        capsys, "explore", "chicken", "--param", "win", "--param", "face_loss", "-o", str(tmp_path / "s")
    )
    assert code == 0 and "121 grid points over win, face_loss" in out  # two parameters: 11 levels
    data = json.loads((tmp_path / "s" / "explore.json").read_text())
    assert embedded((tmp_path / "s" / "index.html").read_text()) == data
    assert (tmp_path / "s" / "explore.json").stat().st_size < 3_000_000
