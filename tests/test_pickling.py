"""Built-in models pickle with the standard library, so ``-j N`` needs neither cloudpickle nor dask (issue 11).

Every registered model must round-trip through plain :mod:`pickle` (factories and outcome evaluators
are module-level functions or classes, never closures or lambdas), the unpickled copy must compute
the same outcomes, and a sweep over a process pool must write the same bytes as a serial one.
cloudpickle is hidden from the whole test (and from the forked workers), so a model that needed it
would fail here even where it is installed.
"""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pytest
from cli_runs import run

from deterrence.io.provenance import file_digest
from deterrence.library import get_model, list_models
from deterrence.sweeps.executors import _Shipped

SLUGS = [getattr(m, "slug", m) for m in list_models()]


@pytest.fixture(autouse=True)
def no_cloudpickle(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "cloudpickle", None)  # import cloudpickle -> ImportError
    monkeypatch.chdir(tmp_path)


def test_the_catalogue_is_not_empty():
    assert len(SLUGS) >= 20
    assert "iran-pakistan-sequential" in SLUGS and "chain-store-2" in SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_every_model_round_trips_through_plain_pickle(slug):
    model = get_model(slug)
    copy = pickle.loads(pickle.dumps(model))
    assert (copy.slug, copy.title, copy.measures, copy.concepts) == (
        model.slug,
        model.title,
        model.measures,
        model.concepts,
    )
    assert [p.name for p in copy.parameters] == [p.name for p in model.parameters]
    assert _Shipped(model).loader == "pickle"
    # The copy builds the same game at the baseline.
    assert repr(copy.game()) == repr(model.game())


@pytest.mark.parametrize("slug", [s for s in SLUGS if get_model(s).outcomes is not None])
def test_an_unpickled_model_computes_the_same_outcomes(slug):
    model = get_model(slug)
    copy = pickle.loads(pickle.dumps(model))
    points = {p.name: np.linspace(float(p.low), float(p.high), 5) for p in model.parameters if p.low < p.high}
    points = dict(list(points.items())[:2])  # vary two parameters, the others at their defaults
    expected, got = model.evaluate(points), copy.evaluate(points)
    assert sorted(expected) == sorted(got)
    for column, values in expected.items():
        assert np.asarray(got[column]).tolist() == np.asarray(values).tolist(), column


def test_a_closure_without_cloudpickle_is_a_one_line_error():
    from deterrence.errors import DeterrenceError
    from deterrence.model import Model

    base = get_model("chicken")
    model = Model("closure", "", "", lambda **v: base.build(**v), base.parameters)
    with pytest.raises(DeterrenceError, match="define its functions at module level or install cloudpickle"):
        _Shipped(model)


@pytest.mark.parametrize(
    "design",
    [
        ["--grid", "china_mediation=0:5:11", "--chunk-size", "3"],
        ["--sample", "sobol", "--n", "64", "--seed", "11", "--vary", "china_mediation", "--vary", "direct_cost"],
    ],
    ids=["grid", "sobol"],
)
def test_a_two_worker_sweep_of_the_case_equals_the_serial_one(capsys, tmp_path, design):
    slug = "iran-pakistan-sequential"
    extra = ["--chunk-size", "16"] if "--sample" in design else []
    assert run(capsys, "sweep", slug, *design, *extra, "-q", "-o", "serial.csv")[0] == 0
    status, _, err = run(capsys, "sweep", slug, *design, *extra, "-q", "-o", "pool.csv", "-j", "2")
    assert (status, err) == (0, "")
    assert (tmp_path / "serial.csv").read_bytes() == (tmp_path / "pool.csv").read_bytes()
    lines = (tmp_path / "pool.csv").read_text().splitlines()
    assert len(lines) == 1 + (11 if "--grid" in design else 64)
    assert file_digest(tmp_path / "serial.csv") == file_digest(tmp_path / "pool.csv")
