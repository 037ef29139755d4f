"""The twelve comparative-static sign targets of LITERATURE.md §10 on the baseline calibration."""

from __future__ import annotations

from fractions import Fraction

import pytest

from deterrence import solve
from games.iran_pakistan import matrix_game
from games.iran_pakistan.statics import STATUSES, absorb_threshold, sign_targets

NOT_IMPLIED = {10, 12}


@pytest.fixture(scope="module")
def rows():
    return {r.row: r for r in sign_targets(n=41)}


@pytest.mark.parametrize("row", [pytest.param(i, id=f"target-{i}") for i in range(1, 13)])
def test_sign_target(rows, row):
    target = rows[row]
    assert target.status in STATUSES
    assert target.status != "violated", target.evidence
    assert target.parts and all(p[3] != "violated" for p in target.parts)
    if target.status == "not implied":
        assert row in NOT_IMPLIED
        assert "not implied --" in target.evidence or "not implied" in target.evidence
        assert any(word in target.evidence for word in ("no signalling", "never enters"))
    else:
        assert row not in NOT_IMPLIED


@pytest.mark.parametrize(
    "row,expected",
    [
        pytest.param(1, "holds", id="target-1-strict"),
        pytest.param(3, "holds", id="target-3-strict"),
        pytest.param(4, "holds", id="target-4-strict"),
        pytest.param(11, "holds", id="target-11-strict"),
    ],
)
def test_active_channels_hold_strictly(rows, row, expected):
    assert rows[row].status == expected


def test_row10_retaliation_part_holds(rows):
    parts = {p[1]: p[3] for p in rows[10].parts}
    assert parts["Pr(Pakistan retaliates)"] == "holds"


def test_violation_detected_by_sign_status():
    import numpy as np

    from games.iran_pakistan.statics import _sign_status

    assert _sign_status(np.array([0.0, 0.5, 0.2]), +1) == "violated"
    assert _sign_status(np.array([0.0, 0.0]), +1) == "holds weakly"
    assert _sign_status(np.array([1.0, 0.0]), -1) == "holds"


@pytest.mark.parametrize(
    "values,q",
    [
        pytest.param({}, Fraction(25, 34), id="target-12-baseline"),
        pytest.param(
            {"precedent_loss": Fraction(3, 2), "resolve_value": Fraction(1, 2)},
            Fraction(5, 34),
            id="target-12-weak-resolve",
        ),
    ],
)
def test_row12_threshold_matches_engine_nash(values, q):
    assert absorb_threshold(values) == q
    result = solve(matrix_game(values), "nash")
    absorb = [e.strategies["Iran"]["escalate"] for e in result if e.strategies["Pakistan"]["absorb"] == 1]
    assert min(absorb) == q and max(absorb) == 1


def test_row12_threshold_falls_in_war_cost():
    assert absorb_threshold({"war_cost_pakistan": 4}) < absorb_threshold({"war_cost_pakistan": 2})
