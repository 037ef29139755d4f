"""Smooth outcomes: the closed-form agent QRE of the case against the engine, its limits and slopes."""

from __future__ import annotations

import numpy as np
import pytest

from deterrence import solve
from deterrence.analysis.qre_outcomes import qre_outcomes
from deterrence.errors import DeterrenceError
from deterrence.sweeps.designs import grid
from deterrence.sweeps.run import sweep_frame
from games import get_model
from games.iran_pakistan.analysis import solve_continuation
from games.iran_pakistan.forms import bayesian_game, outcome_payoffs, sequential_game, values_for
from games.iran_pakistan.parameters import PARAMETERS, iran_war_cost, pakistan_clash_cost, precedent_cost
from games.iran_pakistan.smooth import (
    DEFAULT_LAMBDA,
    SMOOTH_MEASURES,
    logit_continuation,
    logit_slopes,
    smooth_measure,
)

QRE_COLUMNS = ("p_iran_escalates_qre", "p_pakistan_retaliates_qre")


def box(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    points = {p.name: rng.uniform(float(p.low), float(p.high), n) for p in PARAMETERS}
    points["prior_coerce"] = points["prior_coerce"] * (1 - points["prior_broaden"])
    return points


def at(points: dict[str, np.ndarray], i: int) -> dict[str, float]:
    return {k: float(a[i]) for k, a in points.items()}


def _engine_profile(game, lam: float) -> dict:
    [eq] = solve(game, "qre", options={"lam": lam}).equilibria
    return eq.strategies


@pytest.mark.parametrize("lam", [0.5, 2.0, 5.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_closed_form_equals_the_engine_agent_qre_on_both_trees(lam, seed):
    v = values_for() if seed == 0 else at(box(1, seed), 0)
    for game, belief in ((sequential_game(v), {"ct": 1}), (bayesian_game(v), None)):
        ours = logit_continuation(v, belief=belief, lam=lam)
        engine = _engine_profile(game, lam)
        pakistan = engine["Pakistan"]
        for c in ("absorb", "calibrated", "direct"):
            assert float(ours[f"choice/{c}"][0]) == pytest.approx(pakistan["response"][c], abs=1e-7)
        for r in ("calibrated", "direct"):
            counter = pakistan[f"after {r} + escalation"]["counter-escalate"]
            assert float(ours["counter"][0]) == pytest.approx(counter, abs=1e-7)
            types = (
                (("ct", ""),)
                if belief
                else (("ct", "counter-terror: "), ("broaden", "broaden: "), ("coerce", "coerce: "))
            )
            for t, prefix in types:
                escalate = engine["Iran"][f"{prefix}after {r}"]["escalate"]
                assert float(ours[f"escalates/{r}/{t}"][0]) == pytest.approx(escalate, abs=1e-7)


def test_batched_columns_equal_the_engine_qre_outcomes_on_the_parametric_tree():
    points = box(500, seed=3)
    measures = {
        "absorb": ("Pakistan", "response", "absorb"),
        "escalate": ("outcome", *(f"{r}/escalate/{c}" for r in ("calibrated", "direct") for c in ("counter", "hold"))),
    }
    engine = qre_outcomes(lambda **kw: sequential_game(kw or None), measures, lam=DEFAULT_LAMBDA)(points)
    ours = get_model("iran-pakistan-sequential").outcomes(points, "spe")
    np.testing.assert_allclose(ours["p_pakistan_retaliates_qre"], 1 - engine["absorb"], atol=1e-12)
    np.testing.assert_allclose(ours["p_iran_escalates_qre"], engine["escalate"], atol=1e-12)


def test_uniform_play_at_lambda_zero():
    out = logit_continuation(values_for(), lam=0.0)
    assert [float(out[f"choice/{c}"][0]) for c in ("absorb", "calibrated", "direct")] == pytest.approx([1 / 3] * 3)
    assert float(out["counter"][0]) == 0.5
    assert float(out["p_escalate"][0]) == pytest.approx(2 / 3 * 0.5)


def _strict_gap(v: dict, gap: float) -> bool:
    """Every decision of the (complete-information, ct) equilibrium wins by more than ``gap``."""
    P, C_P, W_I = precedent_cost(v), pakistan_clash_cost(v), iran_war_cost(v)
    if abs(P - C_P) <= gap:
        return False
    counter = P > C_P
    pay = outcome_payoffs(v, "ct")
    for r in ("calibrated", "direct"):
        escalate = pay[f"{r}/escalate/" + ("counter" if counter else "hold")][1]
        if abs(escalate - pay[f"{r}/stand_down"][1]) <= gap:
            return False
    out = solve_continuation(v, belief={"ct": 1})
    values = sorted(float(out[f"value/{c}"][0]) for c in ("absorb", "calibrated", "direct"))
    return values[2] - values[1] > gap and W_I == W_I


def test_large_lambda_approaches_the_strict_equilibrium():
    points = box(400, seed=4)
    strict = [i for i in range(400) if _strict_gap(at(points, i), 0.05)]
    assert len(strict) > 200
    sub = {k: a[strict] for k, a in points.items()}
    eq = solve_continuation(sub, belief={"ct": 1})
    errors = []
    for lam in (5.0, 50.0, 2000.0):
        qre = logit_continuation(sub, belief={"ct": 1}, lam=lam)
        error = np.maximum(
            np.abs(qre["p_retaliates"] - eq["retaliates"]),
            np.abs(qre["p_escalate"] - eq["p_escalate"]),
        )
        error = np.maximum(error, np.abs(qre["counter"] - eq["counter"]))
        errors.append(float(error.max()))
    assert errors[2] < 1e-9
    assert errors[0] > errors[1] > errors[2]


def test_large_lambda_approaches_the_bayesian_equilibrium_at_the_baseline():
    eq = solve_continuation(values_for())
    qre = logit_continuation(values_for(), lam=200.0)
    assert float(qre["p_escalate"][0]) == pytest.approx(float(eq["p_escalate"][0]), abs=1e-9)  # 1/5
    assert float(qre["p_retaliates"][0]) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    "name", ["precedent_loss", "face_cost_calibrated", "iran_overstretch", "prior_broaden", "us_ct_stake"]
)
def test_slopes_match_finite_differences(name):
    points = box(50, seed=5)
    slopes = logit_slopes(points, name)
    h = 1e-5
    up, down = dict(points), dict(points)
    up[name], down[name] = points[name] + h, points[name] - h
    hi, lo = logit_continuation(up), logit_continuation(down)
    for key in ("p_retaliates", "p_escalate", "counter", "choice/direct", "p_escalate/calibrated"):
        fd = (hi[key] - lo[key]) / (2 * h)
        np.testing.assert_allclose(slopes[key], fd, rtol=1e-5, atol=1e-8)


def test_slopes_match_the_closed_forms():
    v = values_for()
    lam = 1.5
    out = logit_continuation(v, belief={"ct": 1}, lam=lam)
    s = float(out["counter"][0])
    weight = float(v["india_emboldening"] + v["taliban_emboldening"])
    slope = logit_slopes(v, "precedent_loss", belief={"ct": 1}, lam=lam)["counter"][0]
    assert slope == pytest.approx(lam * s * (1 - s) * weight, rel=1e-12)
    q = float(out["escalates/calibrated/coerce"][0])
    slope = logit_slopes(v, "face_cost_calibrated", belief={"ct": 1}, lam=lam)["escalates/calibrated/coerce"][0]
    assert slope == pytest.approx(lam * q * (1 - q), rel=1e-12)  # a larger face cost makes standing down dearer
    slope = logit_slopes(v, "face_cost_direct", belief={"ct": 1}, lam=lam)["escalates/calibrated/coerce"][0]
    assert slope == 0


def test_smooth_where_the_equilibrium_jumps():
    """Along precedent_loss the equilibrium's retaliation jumps 0 -> 1; the QRE rises continuously."""
    n = 401
    v = values_for()
    points = {k: np.full(n, float(x)) for k, x in v.items()}
    points["precedent_loss"] = np.linspace(0, 20, n)
    eq = solve_continuation(points)["retaliates"].astype(float)
    qre = logit_continuation(points)["p_retaliates"]
    assert np.abs(np.diff(eq)).max() == 1
    assert np.abs(np.diff(qre)).max() < 0.1
    slopes = logit_slopes(points, "precedent_loss")["p_retaliates"]
    assert np.all(np.isfinite(slopes))


def test_bayesian_form_with_degenerate_prior_equals_the_sequential_qre():
    v = values_for({"prior_broaden": 0, "prior_coerce": 0})
    bayes, seq = logit_continuation(v), logit_continuation(v, belief={"ct": 1})
    for key in seq:
        np.testing.assert_allclose(bayes[key], seq[key], rtol=0, atol=1e-15)
    engine = _engine_profile(bayesian_game(v), DEFAULT_LAMBDA)
    assert float(seq["choice/calibrated"][0]) == pytest.approx(engine["Pakistan"]["response"]["calibrated"], abs=1e-7)


def test_every_smooth_measure_is_a_probability():
    out = logit_continuation(box(200, seed=6))
    for measure in SMOOTH_MEASURES:
        values = smooth_measure(out, measure)
        assert np.all((values >= 0) & (values <= 1)), measure
    with pytest.raises(DeterrenceError, match="unknown smooth measure"):
        smooth_measure(out, "Pr(peace)")


@pytest.mark.parametrize("lam", [-1.0, float("nan"), float("inf")])
def test_bad_lambda_is_a_one_line_error(lam):
    with pytest.raises(DeterrenceError, match="lambda"):
        logit_continuation(values_for(), lam=lam)


@pytest.mark.parametrize("slug", ["iran-pakistan-sequential", "iran-pakistan-bayesian", "iran-pakistan-matrix"])
def test_registered_outcomes_carry_the_qre_columns(slug):
    model = get_model(slug)
    assert set(QRE_COLUMNS) <= set(model.measures)
    points = box(300, seed=8)
    out = model.outcomes(points, model.concepts[0])
    belief = None if slug == "iran-pakistan-bayesian" else {"ct": 1}
    smooth = logit_continuation(points, belief=belief)
    np.testing.assert_array_equal(out["p_iran_escalates_qre"], smooth["p_escalate"])
    np.testing.assert_array_equal(out["p_pakistan_retaliates_qre"], smooth["p_retaliates"])


def test_blocks_do_not_change_the_columns():
    model = get_model("iran-pakistan-bayesian")
    points = box(1000, seed=9)
    points["prior_broaden"][:10] = 0.9  # some invalid priors: NaN, not solved
    points["prior_coerce"][:10] = 0.3
    whole = model.outcomes(points, "pbe")
    original = model.outcomes.block
    try:
        model.outcomes.block = 7
        pieces = model.outcomes(points, "pbe")
    finally:
        model.outcomes.block = original
    assert whole["outcome"].tolist() == pieces["outcome"].tolist()
    assert whole["outcome"].tolist()[:10] == ["invalid: priors sum above 1"] * 10
    for key in model.measures:
        np.testing.assert_array_equal(whole[key], pieces[key])
    assert np.isnan(whole["p_iran_escalates_qre"][:10]).all()
    empty = model.outcomes({k: a[:0] for k, a in points.items()}, "pbe")
    assert len(empty["outcome"]) == 0 and len(empty["p_iran_escalates_qre"]) == 0


def test_sweeps_report_the_qre_columns_alongside_the_regimes():
    frame = sweep_frame(get_model("iran-pakistan-sequential"), grid({"iran_overstretch": (0, 3, 13)}))
    assert {"outcome", *QRE_COLUMNS} <= set(frame.columns)
    # A restraint on Iran: the regime does not move at the calibration, the QRE probability does --
    # first down (Iran is restrained), then up again (Pakistan's direct strike, which invites
    # escalation, becomes more likely): the smooth column sees both channels.
    assert frame["outcome"].nunique() == 1
    qre = frame["p_iran_escalates_qre"].to_numpy()
    assert np.all(np.diff(qre[:9]) < 0) and qre[-1] > qre[-2]


def test_concept_qre_labels_the_modal_regime():
    model = get_model("iran-pakistan-bayesian")
    assert "qre" in model.concepts
    points = {k: np.full(3, float(x)) for k, x in values_for().items()}
    points["precedent_loss"] = np.array([0.0, 3.0, 6.0])
    equilibrium = model.outcomes(points, "pbe")["outcome"].tolist()
    modal = model.outcomes(points, "qre")["outcome"].tolist()
    # At precedent_loss = 3 Pakistan retaliates in equilibrium (margin 0.59) but absorbs more often than not
    # at lambda = 2: the smooth reading puts the switch later.
    assert equilibrium == ["absorb", "calibrated -> broaden escalates", "calibrated -> broaden escalates"]
    assert modal == ["absorb", "absorb", "calibrated -> broaden escalates"]


@pytest.mark.parametrize("motive", ["broaden", "coerce"])
def test_belief_on_one_type_is_that_types_sequential_qre(motive):
    v = values_for()
    ours = logit_continuation(v, belief={motive: 1}, lam=DEFAULT_LAMBDA)
    engine = _engine_profile(sequential_game(v, motive=motive), DEFAULT_LAMBDA)
    for c in ("absorb", "calibrated", "direct"):
        assert float(ours[f"choice/{c}"][0]) == pytest.approx(engine["Pakistan"]["response"][c], abs=1e-7)
    for r in ("calibrated", "direct"):
        escalate = engine["Iran"][f"after {r}"]["escalate"]
        assert float(ours[f"p_escalate/{r}"][0]) == pytest.approx(escalate, abs=1e-7)


def test_sensitivity_reads_the_qre_columns():
    """Sobol indices of the smooth escalation probability: a parameter the continuation never reads gets 0."""
    import deterrence

    model = get_model("iran-pakistan-bayesian")
    names = ["precedent_loss", "iran_overstretch", "iran_belief_absorb"]
    result = deterrence.sensitivity(model, "p_iran_escalates_qre", "sobol", names=names, n=128, seed=3)
    total = dict(zip(names, (float(x) for x in result.total)))
    assert total["iran_belief_absorb"] == 0.0  # it enters the pre-strike game only
    assert total["precedent_loss"] > 0.1 and total["iran_overstretch"] > 0


def test_matrix_logit_qre_agrees_on_the_path_not_off_it():
    """The normal-form QRE of the 5 x 4 matrix: the tree's path probabilities, uniform over off-path plans."""
    from games.iran_pakistan.forms import matrix_game

    v = values_for()
    lam = 20.0
    [eq] = solve(matrix_game(v), "qre", options={"lam": lam}).equilibria
    rows, columns = eq.strategies["Pakistan"], eq.strategies["Iran"]
    retaliates = 1 - rows["absorb"]
    escalates_after_k = sum(p for c, p in columns.items() if c.split("/")[0] == "escalate")
    tree = logit_continuation(v, belief={"ct": 1}, lam=lam)
    assert retaliates == pytest.approx(float(tree["p_retaliates"][0]), abs=1e-6)
    assert escalates_after_k == pytest.approx(float(tree["escalates/calibrated/ct"][0]), abs=1e-6)
    # Off the path: counter-escalating and holding are one plan in outcome, so they split the weight.
    assert rows["calibrated/counter-escalate"] == pytest.approx(rows["calibrated/hold"], abs=1e-3)
    assert float(tree["counter"][0]) > 0.99


@pytest.mark.parametrize(
    "slug",
    ["iran-pakistan-matrix", "iran-pakistan-sequential", "iran-pakistan-bayesian", "iran-pakistan-prestrike",
     "iran-pakistan-reputation"],
)  # fmt: skip
def test_every_case_form_has_an_agent_qre(slug):
    # Each registered form declares "qre", and the engine's logit branch at lambda = 2 is interior (every
    # action has positive probability) -- an equilibrium profile would put zero on some actions.
    from deterrence.library import get_model
    from deterrence.solvers.facade import solve

    model = get_model(slug)
    assert "qre" in model.concepts
    result = solve(model.game({}), "qre", options={"lam": 2.0})
    [profile] = result.equilibria
    probabilities = [p for strategy in profile.strategies.values() for mix in strategy.values() for p in
                     (mix.values() if isinstance(mix, dict) else [mix])]  # fmt: skip
    assert probabilities and all(0 < float(p) < 1 for p in probabilities)
