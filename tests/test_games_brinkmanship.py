"""Brinkmanship on a ten-rung risk ladder (games.brinkmanship), solved as SPE.

Published logic (Powell 1990, ch. 2-3; LITERATURE.md 2.3): resolve
r_i = v_i/(v_i + d_i); under complete information the more resolved side
prevails.  Derived for this ladder (prevailing_side's docstring): nobody
climbs past its resolve, so with a rung strictly inside the window between
the resolves, the Challenger keeps the status quo when r_c < r_d and the
Defender quits at its first move when r_c > r_d.  Defaults: r_c = 1/10,
r_d = 1/4 (the window (1/10, 1/4] of LITERATURE.md holds rung 2/10).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from deterrence import get_model, solve
from deterrence.cli import main
from games.brinkmanship import BRINKMANSHIP_PARAMETERS, brinkmanship_game, prevailing_side, resolve


def _spe(**point):
    result = solve(brinkmanship_game(**{**BRINKMANSHIP_PARAMETERS.defaults(), **point}), "spe")
    assert result.complete and len(result) == 1
    return result[0].strategies


def test_resolve_of_the_defaults():
    assert (resolve(1, 9), resolve(1, 3)) == (Fraction(1, 10), Fraction(1, 4))


@pytest.mark.parametrize(
    ("point", "winner"),
    [({}, "Defender"), ({"d_c": 2}, "Challenger"), ({"d_c": 3, "d_d": 9}, "Challenger"), ({"v_c": 2}, "Defender")],
)
def test_the_more_resolved_side_prevails(point, winner):
    values = {**BRINKMANSHIP_PARAMETERS.defaults(), **point}
    assert prevailing_side(*(values[k] for k in ("v_c", "d_c", "v_d", "d_d"))) == winner
    s = _spe(**point)
    challenge = s["Challenger"]["Challenger at rung 0"]["challenge"]
    if winner == "Defender":
        assert challenge == 0  # deterred
        assert s["Defender"]["Defender at rung 1"]["escalate"] == 1  # the threat behind deterrence
    else:
        assert challenge == 1 and s["Defender"]["Defender at rung 1"]["quit"] == 1


def test_the_stronger_side_climbs_up_to_its_resolve_and_the_weaker_never_climbs():
    # r_c = 1/3 > r_d = 1/4: the Defender quits wherever it moves (a climb only adds risk), so a
    # Challenger climb to q pays (1 - q) v_c - q d_c, positive iff q < 1/3 (rung 3 only).
    s = _spe(d_c=2)
    for k in (2, 4, 6, 8):
        climbs = s["Challenger"][f"Challenger at rung {k}"]["escalate"] == 1
        assert climbs == (Fraction(k + 1, 10) < Fraction(1, 3))
    assert all(s["Defender"][f"Defender at rung {k}"]["quit"] == 1 for k in (1, 3, 5, 7, 9))


def test_sweep_of_the_challenger_s_disaster_cost():
    columns = get_model("brinkmanship").evaluate({"d_c": [9, 2, 3], "d_d": [3, 3, 9]})
    assert list(columns["challenge"]) == [0.0, 1.0, 1.0]


def test_cli_solves_brinkmanship(capsys):
    assert main(["solve", "brinkmanship"]) in (0, None)
    out = capsys.readouterr().out
    assert "1 equilibria (complete)" in out and "Challenger at rung 0: status quo" in out
