"""The complete-information Asymmetric Escalation Game (games.zagare_kilgour_escalation).

Published (Kilgour & Zagare 2007, abstract; LITERATURE.md 1.7): under
complete information neither limited (DD) nor all-out (EE) conflict is an
equilibrium outcome; the SPE outcome is SQ or DC.  Which one [derived, see
aeg_complete_outcome]: SQ iff the Challenger is Soft (c_ee < c_de) or the
Defender is both tactically (d_dd > d_dc) and strategically (d_ee > d_ed)
Hard.  Checked on all eight type profiles of our ordinal instance
(Challenger EE 1 or 3; Defender DD 4 or 6, EE 1 or 3).
"""

from __future__ import annotations

from itertools import product

import pytest

from deterrence import get_model, solve
from deterrence.cli import main
from games.zagare_kilgour_escalation import AEG_PARAMETERS, aeg_complete_outcome, asymmetric_escalation_game

PROFILES = list(product((1, 3), (4, 6), (1, 3)))


@pytest.mark.parametrize(("c_ee", "d_dd", "d_ee"), PROFILES)
def test_complete_information_gives_sq_or_dc_never_conflict(c_ee, d_dd, d_ee):
    point = {**AEG_PARAMETERS.defaults(), "c_ee": c_ee, "d_dd": d_dd, "d_ee": d_ee}
    result = solve(asymmetric_escalation_game(**point), "spe")
    assert result.complete and len(result) == 1
    (outcome,) = get_model("asymmetric-escalation").evaluate(point)["outcome"]
    assert outcome in {"SQ", "DC"} and outcome == aeg_complete_outcome(point)
    expected_sq = c_ee < 2 or (d_dd > 5 and d_ee > 2)
    assert (outcome == "SQ") is expected_sq


def test_a_swept_defender_credibility_switches_dc_to_sq():
    columns = get_model("asymmetric-escalation").evaluate({"d_dd": [4, 6]})
    assert list(columns["outcome"]) == ["DC", "SQ"]


def test_cli_solves_the_aeg(capsys):
    assert main(["solve", "asymmetric-escalation"]) in (0, None)
    out = capsys.readouterr().out
    assert "1 equilibria (complete)" in out and "initiation: C" in out
