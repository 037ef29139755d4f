"""Regime maps: Chicken's closed form, and maps rebuilt from sweep tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from deterrence.analysis.outcomes import normal_form_outcomes
from deterrence.analysis.regimes import RegimeMap, compute_regime_map, regime_map_from_frame
from deterrence.errors import DeterrenceError
from deterrence.model import Model
from deterrence.sweeps.designs import grid
from deterrence.sweeps.run import sweep_frame
from games.classic import CHICKEN_PARAMETERS, chicken

OUTCOMES = normal_form_outcomes(chicken, {"p_firm": ("Row", "Stand firm", "last")})
CHICKEN = Model("chicken-test", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=OUTCOMES)
THREE = "Swerve/Stand firm | Stand firm/Swerve | mixed"


@pytest.mark.parametrize("win", [pytest.param(0.5, id="small-stakes"), pytest.param(4.0, id="large-stakes")])
def test_chicken_regime_map_matches_its_closed_form(win):
    r = compute_regime_map(
        CHICKEN,
        "face_loss",
        "crash_cost",
        x_range=(0, 6, 31),
        y_range=(0, 6, 25),
        baseline={"win": win},
    )
    f, c = np.meshgrid(r.x_values, r.y_values)
    # Snyder & Diesing (1977): crash_cost > face_loss is Chicken (two pure equilibria and a mixed
    # one); crash_cost < face_loss is Deadlock, (Stand firm, Stand firm) by dominance.
    assert (r.outcome[c > f] == THREE).all()
    assert (r.outcome[c < f] == "Stand firm/Stand firm").all()
    assert r.measures["degenerate"][c == f].all() and not r.measures["degenerate"][c != f].any()
    above = c > f
    assert np.allclose(r.measures["p_firm"][above], win / (win + c[above] - f[above]))
    assert r.measures["n_equilibria"][c > f].tolist() == [3] * int((c > f).sum())
    assert sum(r.regions().values()) == pytest.approx(1.0)
    assert r.label_at(1, 5) == THREE and r.label_at(5, 1) == "Stand firm/Stand firm"


def test_map_from_a_sweep_table_equals_the_direct_map():
    design = grid({"face_loss": (0, 4, 9), "crash_cost": (0, 4, 5)})
    frame = sweep_frame(CHICKEN, design)
    from_table = regime_map_from_frame(frame, "face_loss", "crash_cost")
    direct = compute_regime_map(CHICKEN, "face_loss", "crash_cost", x_range=(0, 4, 9), y_range=(0, 4, 5))
    assert np.array_equal(from_table.outcome, direct.outcome)
    assert np.allclose(from_table.measures["p_firm"], direct.measures["p_firm"])
    tidy = direct.to_frame()
    assert len(tidy) == 45 and set(tidy.columns) >= {"face_loss", "crash_cost", "outcome", "p_firm"}


def test_regions_sort_by_area():
    r = RegimeMap("a", "b", np.arange(2.0), np.arange(2.0), np.array([["p", "q"], ["q", "q"]]))
    assert r.labels == ["q", "p"] and r.regions() == {"q": 0.75, "p": 0.25}


@pytest.mark.parametrize(
    "call, message",
    [
        pytest.param(lambda: compute_regime_map(CHICKEN, "win", "win"), "two different", id="same-axis"),
        pytest.param(
            lambda: compute_regime_map(CHICKEN, "win", "crash_cost", x_range=(3, 1)),
            "below high",
            id="reversed",
        ),
        pytest.param(
            lambda: regime_map_from_frame(pd.DataFrame({"a": [0, 0], "b": [1, 1], "outcome": ["x", "y"]}), "a", "b"),
            "not a full grid",
            id="duplicate-cells",
        ),
        pytest.param(
            lambda: regime_map_from_frame(pd.DataFrame({"a": [0]}), "a", "b"),
            "no column",
            id="missing-column",
        ),
    ],
)
def test_bad_maps(call, message):
    with pytest.raises(DeterrenceError, match=message):
        call()


def test_the_old_name_regime_map_still_computes_but_warns():
    from deterrence import plotting
    from deterrence.analysis import regimes

    with pytest.warns(DeprecationWarning, match="use compute_regime_map"):
        assert regimes.regime_map is compute_regime_map
    with pytest.warns(DeprecationWarning, match="use draw_regime_map"):
        assert plotting.regime_map is plotting.draw_regime_map
    assert "regime_map" not in regimes.__all__ and "regime_map" not in plotting.__all__
    with pytest.raises(AttributeError):
        regimes.no_such_name  # noqa: B018
