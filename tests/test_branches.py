"""Branch tracking: equilibria followed along a parameter, events at the closed-form thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from deterrence.analysis.branches import track_branches
from deterrence.errors import DeterrenceError
from deterrence.model import Model
from games.classic import CHICKEN_PARAMETERS, chicken
from games.zagare_kilgour import GENERIC_DETERRENCE_PARAMETERS, generic_deterrence_game

CHICKEN = Model("chicken-test", "Chicken", "", chicken, CHICKEN_PARAMETERS)


def test_pure_equilibria_appear_where_the_crash_cost_passes_the_face_loss():
    d = track_branches(CHICKEN, "crash_cost", low=0, high=5, n=51, baseline={"face_loss": 1.3, "win": 2})
    assert [e.kind for e in d.events] == ["appear", "appear"]
    for e in d.events:
        assert e.value == pytest.approx(1.3, abs=1e-8)
        assert e.bracket[0] - 1e-8 <= 1.3 <= e.bracket[1] + 1e-8
    firm = d.coordinate("Row", "Stand firm")
    # One branch runs through the whole range: (Stand firm, Stand firm) below the threshold,
    # continued by the mixed equilibrium win / (win + crash_cost - face_loss) above it.
    [through] = [b for b in d.branches if len(b.values) == 51]
    above = through.values > 1.3
    assert np.allclose(through.profiles[~above, firm], 1.0)
    assert np.allclose(through.profiles[above, firm], 2 / (2 + through.values[above] - 1.3))
    born = sorted(tuple(d.branches[e.branch].profiles[0, [0, 1, 2, 3]]) for e in d.events)
    assert born == [(0.0, 1.0, 1.0, 0.0), (1.0, 0.0, 0.0, 1.0)]  # the "one side yields" equilibria


def test_branches_disappear_when_the_face_loss_overtakes_the_crash_cost():
    d = track_branches(CHICKEN, "face_loss", low=0, high=4, n=41, baseline={"crash_cost": 2})
    assert [e.kind for e in d.events] == ["disappear", "disappear"]
    assert all(e.value == pytest.approx(2.0, abs=1e-8) for e in d.events)
    assert d.counts[d.grid < 2].tolist() == [3] * int((d.grid < 2).sum())
    assert d.counts[d.grid > 2].tolist() == [1] * int((d.grid > 2).sum())
    assert d.degenerate[np.isclose(d.grid, 2.0)].all() and d.degenerate.sum() == 1
    frame = d.to_frame()
    assert set(frame["branch"]) == {0, 1, 2} and "Row:Stand firm" in frame.columns


def test_a_smooth_path_is_one_branch_without_events():
    d = track_branches(CHICKEN, "win", low=0.5, high=8, n=30)
    assert d.events == () and len(d.branches) == 3
    assert all(len(b.values) == 30 for b in d.branches)


def test_trees_are_refused():
    gdg = Model("gdg", "", "", generic_deterrence_game, GENERIC_DETERRENCE_PARAMETERS)
    with pytest.raises(DeterrenceError, match="2-player normal form"):
        track_branches(gdg, "d_dd")
