"""Designs that respect a simplex (issue 11): parameters whose sum must stay at most 1.

Two of three prior probabilities, ``p_hawk + p_bluff <= 1``: a box design puts about half of its
points where the third type's probability is negative and the measure is undefined (NaN).  Here
every design -- Sobol', Halton, Latin hypercube, Morris, one-at-a-time, and the A/B matrices of
Sobol' indices -- stays inside, a grid that would leave is refused, and the indices on the
reparameterised inputs are the analytic ones.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from cli_runs import run, use_models

from deterrence.errors import DeterrenceError
from deterrence.forms.normal_form import NormalFormGame
from deterrence.io.provenance import read_sidecar
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from deterrence.sensitivity.analyse import morris, oat_swing, sensitivity, sobol
from deterrence.sensitivity.base import Method
from deterrence.sweeps.designs import grid, morris_design, one_at_a_time, sample
from deterrence.sweeps.simplex import oat_bounds, simplex_groups, to_simplex

GROUP = ("p_hawk", "p_bluff")
PARAMETERS = ParameterSet(
    [
        Parameter("p_hawk", 0.2, 0, 1, "probability", "prior of the hawkish type"),
        Parameter("p_bluff", 0.3, 0, 1, "probability", "prior of the bluffing type"),
        Parameter("gain", 2, 0, 4, "utility", "the challenger's gain"),
    ]
)


def priors_game(p_hawk=None, p_bluff=None, gain=None):
    """A stand-in factory (the sensitivity code never builds the game)."""
    v = [
        PARAMETERS[n].symbol if x is None else x for n, x in (("p_hawk", p_hawk), ("p_bluff", p_bluff), ("gain", gain))
    ]
    return NormalFormGame(["A", "B"], [["x", "y"], ["z"]], [[[v[0], v[1]]], [[v[2], 0]]])


class PriorOutcomes:
    """Pr(attack) = p_hawk + p_bluff / 2 + gain / 100, undefined (NaN) when the third prior is negative."""

    columns = ("p_attack",)

    def __call__(self, points, concept):
        third = 1 - points["p_hawk"] - points["p_bluff"]
        p = np.where(third >= -1e-12, points["p_hawk"] + points["p_bluff"] / 2 + points["gain"] / 100, np.nan)
        return {"outcome": np.where(p > 0.5, "attack", "hold"), "p_attack": p}


BOX = Model("priors-box", "Priors", "", priors_game, PARAMETERS, outcomes=PriorOutcomes())
SIMPLEX = dataclasses.replace(BOX, slug="priors", simplex=(GROUP,))


# -- the map ---------------------------------------------------------------------------------
def test_the_map_stays_in_the_simplex_and_in_the_box():
    rng = np.random.default_rng(1)
    v = {"a": rng.random(10_000), "b": rng.random(10_000) * 0.8 + 0.1, "c": rng.random(10_000)}
    (g,) = simplex_groups([("a", "b", "c")], {"a": (0, 1), "b": (0.1, 0.9), "c": (0, 1)})
    x = to_simplex(v, [g])
    total = x["a"] + x["b"] + x["c"]
    assert total.max() <= 1 + 1e-12
    assert (v["a"] + v["b"] + v["c"] > 1).mean() > 0.5  # the box itself leaves the simplex mostly
    assert x["b"].min() >= 0.1 and x["b"].max() <= 0.9 and x["a"].min() >= 0 and x["c"].min() >= 0
    # The first member is its own input, cut to what the others' lows leave (0.9 here).
    assert np.allclose(x["a"], v["a"] * 0.9)


def test_the_map_is_the_identity_where_the_constraint_cannot_bind():
    rng = np.random.default_rng(2)
    v = {"a": rng.random(1000) * 0.4, "b": rng.random(1000) * 0.5}
    (g,) = simplex_groups([("a", "b")], {"a": (0, 0.4), "b": (0, 0.5)})
    x = to_simplex(v, [g])
    assert np.array_equal(x["a"], v["a"]) and np.allclose(x["b"], v["b"], rtol=0, atol=1e-15)


def test_a_fixed_member_shrinks_the_room_of_the_others():
    (g,) = simplex_groups([("a", "b", "c")], {"a": (0, 1), "b": (0, 1)}, {"c": 0.4})
    assert g.budget == pytest.approx(0.6) and g.fixed == ("c",)
    x = to_simplex({"a": np.array([1.0, 0.5]), "b": np.array([1.0, 1.0])}, [g])
    assert x["a"].tolist() == pytest.approx([0.6, 0.3]) and x["b"].tolist() == pytest.approx([0.0, 0.3])


def test_ranges_with_no_feasible_point_are_a_one_line_error():
    with pytest.raises(DeterrenceError, match="leave no point where a \\+ b <= 1"):
        simplex_groups([("a", "b")], {"a": (0.6, 1), "b": (0.5, 1)})
    with pytest.raises(DeterrenceError, match="no baseline value for 'b'"):
        simplex_groups([("a", "b")], {"a": (0, 1)}, {})


# -- designs ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sobol", "halton", "lhs"])
def test_sampled_designs_stay_in_the_simplex(kind):
    box = {"p_hawk": (0.0, 1.0), "p_bluff": (0.0, 1.0), "gain": (0.0, 4.0)}
    plain = sample(kind, box, 512, seed=5, chunk_size=100)
    kept = sample(kind, box, 512, seed=5, chunk_size=100, simplex=[GROUP])
    assert kept.n_chunks == 6
    before = {k: np.concatenate([plain.chunk(i)[k] for i in range(6)]) for k in box}
    after = {k: np.concatenate([kept.chunk(i)[k] for i in range(6)]) for k in box}
    assert ((before["p_hawk"] + before["p_bluff"]) > 1).mean() > 0.35  # what the box does
    assert (after["p_hawk"] + after["p_bluff"]).max() <= 1 + 1e-12
    assert np.array_equal(after["p_hawk"], before["p_hawk"]) and np.array_equal(after["gain"], before["gain"])
    assert kept.to_dict()["simplex"] == [{"names": list(GROUP), "fixed": [], "budget": 1.0, "map": "sequential"}]
    assert "simplex" not in plain.to_dict()  # designs without groups record what they always did


def test_a_sample_of_one_member_keeps_the_fixed_one_at_its_baseline():
    d = sample("sobol", {"p_hawk": (0.0, 1.0)}, 256, seed=1, simplex=[GROUP], baseline={"p_bluff": 0.3})
    assert d.chunk(0)["p_hawk"].max() <= 0.7 + 1e-12


def test_morris_trajectories_stay_in_the_simplex_and_move_one_input_per_step():
    d = morris_design({"p_hawk": (0, 1), "p_bluff": (0, 1)}, trajectories=30, seed=3, simplex=[GROUP])
    x = d.chunk(0)
    assert (x["p_hawk"] + x["p_bluff"]).max() <= 1 + 1e-12
    unit = d.unit_chunk(0).reshape(30, 3, 2)
    assert (np.count_nonzero(np.diff(unit, axis=1), axis=2) == 1).all()


def test_one_at_a_time_cuts_a_members_range_to_what_the_others_leave():
    d = one_at_a_time({"p_hawk": (0, 1), "p_bluff": (0, 1)}, {"p_hawk": 0.2, "p_bluff": 0.3}, n=3, simplex=[GROUP])
    x = d.chunk(0)
    assert x["p_hawk"].tolist() == pytest.approx([0.0, 0.35, 0.7, 0.2, 0.2, 0.2])
    assert x["p_bluff"].tolist() == pytest.approx([0.3, 0.3, 0.3, 0.0, 0.4, 0.8])
    with pytest.raises(DeterrenceError, match="the baseline has p_hawk \\+ p_bluff = 1.2"):
        oat_bounds({"p_hawk": (0, 1)}, {"p_hawk": 0.9, "p_bluff": 0.3}, [GROUP])


def test_a_grid_that_leaves_the_simplex_is_refused_with_a_range_that_fits():
    with pytest.raises(DeterrenceError, match="reaches p_hawk \\+ p_bluff = 1.3.*use p_hawk=0:0.7:N"):
        grid({"p_hawk": (0, 1, 11)}, simplex=[GROUP], baseline={"p_bluff": 0.3})
    assert grid({"p_hawk": (0, 0.7, 8)}, simplex=[GROUP], baseline={"p_bluff": 0.3}).size == 8


# -- sensitivity -------------------------------------------------------------------------------
def test_sobol_indices_of_the_reparameterised_inputs_are_the_analytic_ones():
    # a = u1, b = u2 (1 - u1), so a + b = 1 - (1 - u1)(1 - u2): S1 = 3/7 and ST = 4/7 for both
    # inputs (on the box, without the group, a + b would give 1/2 and 1/2).
    seen = []

    def f(p):
        seen.append(float((p["a"] + p["b"]).max()))
        return p["a"] + p["b"]

    res = sobol(f, {"a": (0, 1), "b": (0, 1)}, n=4096, seed=7, n_resamples=100, simplex=[("a", "b")])
    assert max(seen) <= 1 + 1e-12
    assert res.first.tolist() == pytest.approx([3 / 7, 3 / 7], abs=0.03)
    assert res.total.tolist() == pytest.approx([4 / 7, 4 / 7], abs=0.03)


def test_morris_and_swings_take_the_group():
    f = lambda p: p["a"] + 2 * p["b"]  # noqa: E731
    res = morris(f, {"a": (0, 1), "b": (0, 1)}, trajectories=20, seed=1, simplex=[("a", "b")])
    assert res.mu[1] > 0 and np.isfinite(res.mu).all()
    table = oat_swing(f, {"a": (0, 1), "b": (0, 1)}, {"a": 0.2, "b": 0.3}, n=3, simplex=[("a", "b")])
    assert table.high.tolist() == pytest.approx([0.7, 0.8])
    assert table.swing.tolist() == pytest.approx([0.7, 1.6])


@pytest.mark.parametrize(("method", "n"), [("sobol", 64), ("morris", 10), ("oat", 3)])
def test_a_model_with_a_simplex_is_analysed_without_nan(method, n):
    with pytest.raises(DeterrenceError, match="undefined \\(NaN\\)"):  # the box, without the group
        sensitivity(BOX, "p_attack", method, n=n, seed=2, names=list(GROUP))
    res = sensitivity(SIMPLEX, "p_attack", method, n=n, seed=2)
    frame = res.to_frame()
    assert not frame.select_dtypes("number").isna().any().any()
    assert set(frame["parameter"]) == {"p_hawk", "p_bluff", "gain"}


def test_a_method_that_cannot_take_the_group_is_refused(monkeypatch):
    from deterrence.sensitivity import registry

    def run_box(function, bounds, *, baseline, n, seed, measure):
        return None

    registry.methods()
    monkeypatch.setitem(registry._METHODS, "boxonly", Method("boxonly", run_box, lambda *a, **k: None, 1))
    with pytest.raises(DeterrenceError, match="method 'boxonly' cannot keep p_hawk \\+ p_bluff <= 1"):
        sensitivity(SIMPLEX, "p_attack", "boxonly")
    assert sensitivity(BOX, "p_attack", "boxonly") is None


# -- the model and the command line -----------------------------------------------------------
def test_a_model_refuses_a_point_outside_its_simplex_and_bad_groups():
    assert SIMPLEX.game(p_hawk=0.5, p_bluff=0.5).shape == (2, 1)
    with pytest.raises(DeterrenceError, match="p_hawk \\+ p_bluff = 1.1; it must be at most 1"):
        SIMPLEX.game(p_hawk=0.8)
    with pytest.raises(ValueError, match="bad simplex groups"):
        dataclasses.replace(BOX, simplex=(("p_hawk", "nope"),))
    with pytest.raises(ValueError, match="bad simplex groups"):
        dataclasses.replace(BOX, simplex=(("p_hawk", "p_bluff"), ("p_hawk",)))


def test_cli_sweeps_and_sensitivity_respect_the_simplex(capsys, monkeypatch, tmp_path):
    use_models(monkeypatch, tmp_path, {"priors": SIMPLEX})
    status, _, err = run(
        capsys, "sweep", "priors", "--sample", "sobol", "--n", "128", "--seed", "3", "-q", "-o", "s.csv"
    )
    assert (status, err) == (0, "")
    import pandas as pd

    table = pd.read_csv(tmp_path / "s.csv")
    assert len(table) == 128 and (table["p_hawk"] + table["p_bluff"]).max() <= 1 + 1e-9
    assert not table["p_attack"].isna().any()
    assert read_sidecar(tmp_path / "s.csv")["design"]["simplex"][0]["names"] == list(GROUP)
    status, _, err = run(capsys, "sweep", "priors", "--grid", "p_hawk=0:1:11", "-q", "-o", "g.csv")
    assert status == 2 and "use p_hawk=0:0.7:N" in err and len(err.strip().splitlines()) == 1
    status, out, err = run(capsys, "sensitivity", "priors", "--measure", "p_attack", "--n", "64", "--seed", "1")
    assert (status, err) == (0, "") and "p_hawk" in out
    note = (
        "note: p_hawk + p_bluff <= 1 is kept by a sequential map: the row of p_hawk is p_hawk itself, that of p_bluff"
    )
    assert note in out
    status, out, _ = run(capsys, "sensitivity", "priors", "--measure", "p_attack", "--method", "oat")
    assert status == 0 and "cutting each member's range to what the others leave" in out


def test_the_case_bayesian_model_runs_once_given_its_simplex():
    from deterrence.library import get_model

    case = get_model("iran-pakistan-bayesian")
    if not {"prior_broaden", "prior_coerce"} <= {p.name for p in case.parameters}:
        pytest.skip("the case model has no prior_broaden/prior_coerce parameters")
    model = case if case.simplex else dataclasses.replace(case, simplex=(("prior_broaden", "prior_coerce"),))
    res = sensitivity(model, "p_iran_escalates", "morris", n=6, seed=4)
    assert np.isfinite(res.mu_star).all()
