"""Kydd's trust game (games.kydd): Player 1 cooperates iff t >= c/(1+c) [LITERATURE.md 5, derived].

Derivation: the trustworthy Player 2 reciprocates (1 > 1/2), the
untrustworthy one exploits (temptation > 1); cooperating pays Player 1
t - (1 - t) c against 0 for defecting.  With c = 2 the threshold is 2/3.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from deterrence import solve
from deterrence.cli import main
from games.kydd import trust_game, trust_threshold

F = Fraction


@pytest.mark.parametrize(("t", "cooperate"), [(F(1, 2), 0), (F(3, 4), 1), (F(9, 10), 1), (F(1, 10), 0)])
def test_player_one_cooperates_iff_trust_exceeds_the_threshold(t, cooperate):
    assert trust_threshold(2) == F(2, 3)
    result = solve(trust_game(t=t, c=2, temptation=2), "pbe")
    assert result.complete and len(result) == 1
    s = result[0].strategies
    assert s["Player 1"]["move"]["cooperate"] == cooperate
    assert s["Player 2"]["trustworthy"]["reciprocate"] == 1 and s["Player 2"]["untrustworthy"]["exploit"] == 1


def test_at_the_threshold_player_one_is_indifferent():
    result = solve(trust_game(t=F(2, 3), c=2, temptation=2), "pbe")
    assert {eq.strategies["Player 1"]["move"]["cooperate"] for eq in result} >= {0, 1}


def test_cli_solves_kydd_trust(capsys):
    assert main(["solve", "kydd-trust"]) in (0, None)
    out = capsys.readouterr().out
    assert "(complete)" in out and "move: defect" in out
