"""Sample designs: exact grid and one-at-a-time points, stratified LHS, scipy's Sobol'/Halton."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.errors import DeterrenceError, ParameterError
from deterrence.parameters import Parameter, ParameterSet
from deterrence.sweeps.designs import grid, morris_design, one_at_a_time, parse_range, sample

PS = ParameterSet([Parameter("a", 1, 0, 10), Parameter("b", 0.5, 0, 1)])


def _all(design):
    parts = [design.chunk(i) for i in range(design.n_chunks)]
    return {k: np.concatenate([p[k] for p in parts]) for k in design.names}


def test_grid_is_full_factorial_in_c_order():
    d = grid({"a": (0, 10, 3), "b": (0, 1, 4)}, chunk_size=5)
    pts = _all(d)
    assert d.size == 12 and d.n_chunks == 3
    assert pts["a"].tolist() == [0.0] * 4 + [5.0] * 4 + [10.0] * 4
    assert pts["b"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1] * 3)
    assert pts["b"][3] == 1.0  # the upper bound is hit exactly, not 0.9999...


def test_oat_holds_the_others_at_the_baseline_exactly():
    d = one_at_a_time({"a": (0, 10), "b": (0, 1)}, {"a": 0.3, "b": 0.7}, n=3)
    pts = _all(d)
    assert pts["a"].tolist() == [0.0, 5.0, 10.0, 0.3, 0.3, 0.3]
    assert pts["b"].tolist() == [0.7, 0.7, 0.7, 0.0, 0.5, 1.0]


@pytest.mark.parametrize("kind", ["sobol", "halton"])
def test_qmc_chunks_match_one_scipy_draw(kind):
    from scipy.stats import qmc

    d = sample(kind, {"a": (0, 1), "b": (0, 1), "c": (0, 1)}, 1000, seed=11, chunk_size=77)
    chunked = np.stack([_all(d)[k] for k in "abc"], axis=1)
    engine = (qmc.Sobol if kind == "sobol" else qmc.Halton)(
        3, scramble=True, rng=np.random.default_rng(np.random.SeedSequence(11))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        reference = engine.random(1000)
    assert np.array_equal(chunked, reference)


def test_sobol_late_chunk_matches_fast_forward():
    from scipy.stats import qmc

    d = sample("sobol", {"a": (0, 1), "b": (0, 1)}, 1 << 20, seed=3, chunk_size=1000)
    engine = qmc.Sobol(2, scramble=True, rng=np.random.default_rng(np.random.SeedSequence(3)))
    engine.fast_forward(700 * 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        reference = engine.random(1000)
    chunk = d.chunk(700)
    assert np.array_equal(np.stack([chunk["a"], chunk["b"]], axis=1), reference)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 1500), chunk=st.integers(1, 400), seed=st.integers(0, 2**32))
def test_lhs_puts_exactly_one_point_in_every_stratum(n, chunk, seed):
    d = sample("lhs", {"a": (0, 1), "b": (-2, 2)}, n, seed=seed, chunk_size=chunk)
    pts = _all(d)
    for name, (low, high) in zip(d.names, d.bounds, strict=True):
        strata = np.floor((pts[name] - low) / (high - low) * n).astype(int)
        assert sorted(strata.tolist()) == list(range(n))


def test_lhs_is_reproducible_and_seed_dependent():
    a = _all(sample("lhs", {"a": (0, 1)}, 500, seed=1))["a"]
    b = _all(sample("lhs", {"a": (0, 1)}, 500, seed=1))["a"]
    c = _all(sample("lhs", {"a": (0, 1)}, 500, seed=2))["a"]
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_lhs_streams_a_huge_design_chunk_by_chunk():
    d = sample("lhs", {"a": (0, 1), "b": (0, 1)}, 10**9, seed=5, chunk_size=1000)
    chunk = d.chunk(123456)
    assert len(chunk["a"]) == 1000 and chunk["a"].min() >= 0 and chunk["a"].max() <= 1


def test_unseeded_sample_records_one_seed_for_every_chunk():
    d = sample("sobol", {"a": (0, 1)}, 64, chunk_size=8)
    assert isinstance(d.seed, int)
    again = sample("sobol", {"a": (0, 1)}, 64, seed=d.seed, chunk_size=64)
    assert np.array_equal(_all(d)["a"], _all(again)["a"])


def test_morris_trajectories_move_one_coordinate_by_delta():
    d = morris_design({"a": (0, 1), "b": (0, 1), "c": (0, 1)}, trajectories=6, levels=4, seed=2)
    unit = d.unit_chunk(0).reshape(6, 4, 3)
    steps = np.diff(unit, axis=1)
    assert ((np.abs(steps) > 0).sum(axis=2) == 1).all()
    assert np.allclose(np.abs(steps).max(axis=2), 4 / 6)  # delta = p / (2 (p - 1))
    assert (np.sort(np.abs(steps).argmax(axis=2), axis=1) == [0, 1, 2]).all()  # each once
    assert unit.min() >= 0 and unit.max() <= 1


@pytest.mark.parametrize(
    "call, message",
    [
        pytest.param(lambda: grid({"a": (2, 1, 3)}), "above", id="low-above-high"),
        pytest.param(lambda: grid({"a": (0, 1, 0)}), ">= 1", id="zero-points"),
        pytest.param(lambda: sample("lhs", {"a": (0, 1)}, 0), ">= 1", id="empty-sample"),
        pytest.param(lambda: sample("grid", {"a": (0, 1)}, 4), "unknown sample", id="bad-kind"),
        pytest.param(lambda: morris_design({"a": (0, 1)}, 3, levels=3), "even", id="odd-levels"),
        pytest.param(lambda: one_at_a_time({"a": (0, 1)}, {"a": 2}), "outside", id="baseline-out"),
    ],
)
def test_bad_designs_raise_one_line_errors(call, message):
    with pytest.raises(DeterrenceError, match=message) as info:
        call()
    assert "\n" not in str(info.value)


def test_parse_range():
    assert parse_range("a=1:3:5", PS) == ("a", 1.0, 3.0, 5)
    assert parse_range("b=0.25:0.5", PS, with_count=False) == ("b", 0.25, 0.5, 0)
    with pytest.raises(ParameterError, match="did you mean 'a'"):
        parse_range("aa=1:2:3", PS)
    with pytest.raises(ParameterError, match="above high"):
        parse_range("a=3:1:5", PS)
    with pytest.raises(ParameterError, match="at least 1"):
        parse_range("a=1:3:0", PS)
    with pytest.raises(ParameterError, match="outside its range"):
        parse_range("a=1:30:3", PS)
