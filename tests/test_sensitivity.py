"""Sensitivity: Sobol' indices of the Ishigami function, Morris and swings with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from deterrence.analysis.outcomes import normal_form_outcomes
from deterrence.errors import DeterrenceError
from deterrence.model import Model
from deterrence.sensitivity.analyse import _saltelli, morris, oat_swing, sensitivity, sobol
from games.classic import CHICKEN_PARAMETERS, chicken

OUTCOMES = normal_form_outcomes(
    chicken, {"p_firm": ("Row", "Stand firm", "last"), "p_unique": ("Row", "Stand firm", "unique")}
)
CHICKEN = Model("chicken-test", "Chicken", "", chicken, CHICKEN_PARAMETERS, outcomes=OUTCOMES)


def ishigami(p, a=7.0, b=0.1):
    return np.sin(p["x1"]) + a * np.sin(p["x2"]) ** 2 + b * p["x3"] ** 4 * np.sin(p["x1"])


ISHIGAMI_BOUNDS = {k: (-np.pi, np.pi) for k in ("x1", "x2", "x3")}
# Analytic indices for a = 7, b = 0.1 (Ishigami & Homma 1990; Saltelli et al. 2008, §4.7).
S1 = [0.3139, 0.4424, 0.0]
ST = [0.5576, 0.4424, 0.2437]


def test_ishigami_indices_lie_in_their_confidence_intervals():
    res = sobol(ishigami, ISHIGAMI_BOUNDS, n=4096, seed=2024, n_resamples=300, measure="ishigami")
    for values, ci, exact in ((res.first, res.first_ci, S1), (res.total, res.total_ci, ST)):
        for v, (lo, hi), e in zip(values, ci, exact, strict=True):
            assert lo <= e <= hi
            assert lo <= v <= hi and hi - lo < 0.12  # informative intervals, not vacuous ones
    assert res.evaluations == 5 * 4096
    frame = res.to_frame()
    assert len(frame) == 6 and set(frame["statistic"]) == {"S1", "ST"}


def test_estimates_are_scipys_saltelli_2010():
    from scipy.stats import sobol_indices

    rng = np.random.default_rng(0)
    f_a, f_b, f_ab = rng.random(64), rng.random(64), rng.random((3, 64))
    ours = _saltelli(f_a, f_b, f_ab)
    theirs = sobol_indices(func={"f_A": f_a[None], "f_B": f_b[None], "f_AB": f_ab[:, None, :]}, n=64)
    assert np.allclose(ours, np.concatenate([theirs.first_order, theirs.total_order]))


def test_sobol_is_reproducible_from_its_seed():
    one = sobol(ishigami, ISHIGAMI_BOUNDS, n=256, seed=5, n_resamples=50)
    two = sobol(ishigami, ISHIGAMI_BOUNDS, n=256, seed=5, n_resamples=50)
    other = sobol(ishigami, ISHIGAMI_BOUNDS, n=256, seed=6, n_resamples=50)
    assert np.array_equal(one.first_ci, two.first_ci) and np.array_equal(one.total, two.total)
    assert not np.array_equal(one.total, other.total)


def test_morris_on_linear_and_interacting_functions():
    linear = morris(
        lambda p: 3 * p["a"] - 2 * p["b"] + 0 * p["c"],
        {"a": (0, 2), "b": (1, 2), "c": (0, 1)},
        trajectories=8,
        seed=1,
    )
    assert linear.mu == pytest.approx([6.0, -2.0, 0.0])  # slope times range
    assert linear.mu_star == pytest.approx([6.0, 2.0, 0.0]) and linear.sigma == pytest.approx([0, 0, 0], abs=1e-12)
    product = morris(lambda p: p["a"] * p["b"], {"a": (0, 1), "b": (0, 1), "c": (0, 1)}, trajectories=30, seed=1)
    assert (product.sigma[:2] > 0.1).all() and product.mu_star[2] == 0.0
    assert product.to_frame()["parameter"].tolist()[-1] == "c"
    lo, hi = product.mu_star_ci[0]
    assert lo <= product.mu_star[0] <= hi


def test_oat_swing_captures_non_monotone_responses():
    table = oat_swing(
        lambda p: (p["a"] - 0.5) ** 2 + 4 * p["b"],
        {"a": (0, 1), "b": (0, 1)},
        {"a": 0.5, "b": 0.25},
        n=5,
    )
    frame = table.to_frame()
    assert frame["parameter"].tolist() == ["b", "a"]
    assert frame["swing"].tolist() == pytest.approx([4.0, 0.25])
    row = frame.set_index("parameter").loc["a"]
    assert (row["output_low"], row["output_high"], row["output_min"]) == pytest.approx((1.25, 1.25, 1.0))
    assert table.baseline_output == pytest.approx(1.0)


def test_model_sensitivity_of_chicken_firmness():
    table = sensitivity(
        CHICKEN,
        "p_firm",
        "oat",
        names=["crash_cost", "win"],
        bounds={"crash_cost": (2, 11), "win": (0.5, 3)},
        n=3,
    )
    frame = table.to_frame().set_index("parameter")
    # Mixed firmness win / (win + crash_cost - face_loss), face_loss = 1, baseline win 1, crash 10.
    assert frame.loc["crash_cost", "output_low"] == pytest.approx(1 / 2)
    assert frame.loc["crash_cost", "output_high"] == pytest.approx(1 / 11)
    assert frame.loc["win", "output_high"] == pytest.approx(3 / 12)
    assert frame.index[0] == "crash_cost"
    res = sensitivity(
        CHICKEN,
        "p_firm",
        "sobol",
        names=["crash_cost", "win"],
        bounds={"crash_cost": (2, 11), "win": (0.5, 3)},
        n=128,
        seed=0,
    )
    assert res.total.min() > 0.05 and res.names == ("crash_cost", "win")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        pytest.param({"measure": "p_flee"}, "unknown measure 'p_flee'", id="unknown-measure"),
        pytest.param({"measure": "outcome"}, "unknown measure", id="label-not-numeric"),
        pytest.param({"n": 1000}, "power of two", id="not-power-of-two"),
        pytest.param({"method": "fast"}, "unknown method", id="bad-method"),
        pytest.param({"measure": "p_unique", "n": 64}, "undefined", id="nan-measure"),
        pytest.param({"n": 0}, "at least 1", id="n-zero"),
    ],
)
def test_bad_sensitivity_requests(kwargs, message):
    args = {"measure": "p_firm", "method": "sobol", "n": 64, **kwargs}
    with pytest.raises(DeterrenceError, match=message) as info:
        sensitivity(CHICKEN, args.pop("measure"), args.pop("method"), names=["crash_cost"], **args)
    assert "\n" not in str(info.value)


def test_a_registered_method_reaches_the_dispatcher_the_plot_and_the_cli(capsys):
    import argparse

    from deterrence.cli.sensitivity import add_sensitivity
    from deterrence.sensitivity.base import Method
    from deterrence.sensitivity.registry import (
        get_method,
        method_names,
        plot_result,
        register_method,
        unregister_method,
    )

    class Range:
        method = "range"

        def __init__(self, low, high):
            self.low, self.high = low, high

    def run(function, bounds, *, baseline, n, seed, measure):
        names = tuple(bounds)
        points = {k: np.linspace(*bounds[k], n) for k in names}
        y = function(points)
        return Range(float(y.min()), float(y.max()))

    drawn = []
    register_method(Method("range", run, lambda result, ax=None: drawn.append(result) or "axes", default_n=3))
    try:
        assert method_names()[-1] == "range" and get_method("range").default_n == 3
        result = sensitivity(CHICKEN, "p_firm", "range", names=["crash_cost"], bounds={"crash_cost": (2, 11)})
        # p_firm = win / (win + crash_cost - face_loss) with win = face_loss = 1: 1/2 at 2, 1/11 at 11.
        assert (result.low, result.high) == pytest.approx((1 / 11, 1 / 2))
        assert plot_result(result) == "axes" and drawn == [result]
        parser = argparse.ArgumentParser()
        add_sensitivity(parser.add_subparsers())
        args = parser.parse_args(["sensitivity", "chicken", "--measure", "p_firm", "--method", "range"])
        assert args.method == "range"
    finally:
        unregister_method("range")
    assert "range" not in method_names()
    with pytest.raises(DeterrenceError, match="choose from sobol, morris, oat"):
        get_method("range")


def test_sobol_draws_its_matrices_from_the_sobol_design():
    from deterrence.sweeps.designs import sample

    seen = []

    def record(p):
        seen.append(np.stack([p["a"], p["b"]], axis=1))
        return p["a"] + 2 * p["b"]

    res = sobol(record, {"a": (0, 1), "b": (0, 2)}, n=8, seed=3, n_resamples=10)
    unit = sample("sobol", {"A:a": (0, 1), "A:b": (0, 1), "B:a": (0, 1), "B:b": (0, 1)}, 8, seed=3).unit_chunk(0)
    assert np.array_equal(seen[0][:8], unit[:, :2] * [1, 2]) and np.array_equal(seen[0][8:16], unit[:, 2:] * [1, 2])
    assert res.seed == 3 and res.evaluations == 4 * 8
