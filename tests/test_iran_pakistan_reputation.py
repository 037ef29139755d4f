"""The reputation form (games/iran_pakistan/reputation.py): the tree, its PBE and C1's derived threshold."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from deterrence.errors import ParameterError
from deterrence.forms.extensive_form import Terminal
from games.iran_pakistan.reputation import (
    REPUTATION_DEFAULTS,
    pliable_retaliation,
    reputation_equilibria,
    reputation_game,
    reputation_values,
)

BASELINE = {}
POOLING = {"challenger_prior_resolute": F(3, 5)}
SEPARATING = {"precedent_loss": 1}  # S = 1 < k_K' = 21/20: mimicking the resolute type does not pay
# Points off the baseline's regime: no strike at all, escalation on the path, a direct strike, another mu_bar.
NO_STRIKE = {"resolve_value": F(1, 2)}
ESCALATION = {
    "face_cost_calibrated": 5,
    "iran_war_base": 0,
    "pakistan_superiority": 0,
    "deterrence_erosion": 0,
    "resolve_value": 9,
}
DIRECT = {"face_cost_calibrated": 10, "face_cost_direct": 0, "direct_cost": 0, "us_ct_stake": 0}
OTHER_MU = {"challenger_gain": 3, "challenger_prior_resolute": F(3, 5)}


def _node(game, *path):
    node = game.root
    for action in path:
        node = node.children[node.actions.index(action)]
    return node


def test_the_tree_has_the_stated_information_structure():
    g = reputation_game({})
    assert g.players == ("Pakistan", "Iran", "challenger") and len(g.terminals()) == 28
    # The challenger sees Pakistan's response, not its type: each of its sets holds both types' nodes.
    for response in ("absorb", "calibrated", "direct"):
        a = _node(g, "resolute", response)
        b = _node(g, "pliable", response)
        assert a.player == b.player == "challenger" and a.infoset == b.infoset == f"after {response}"
    # Iran does not know Pakistan's type (nor whether the challenger moved).
    iran = {_node(g, t, "calibrated", c).infoset for t in ("resolute", "pliable") for c in ("challenge", "stay out")}
    assert iran == {"after calibrated"}
    assert _node(g, "resolute", "calibrated", "stay out", "escalate").infoset.startswith("resolute:")


def test_a_challenge_costs_only_the_pliable_type_the_precedent_stake():
    g = reputation_game({})
    stake = 4 * (F(1, 2) + F(1, 2))  # precedent_loss * (india_emboldening + taliban_emboldening)
    pliable = [_node(g, "pliable", "absorb", c) for c in ("challenge", "stay out")]
    resolute = [_node(g, "resolute", "absorb", c) for c in ("challenge", "stay out")]
    assert all(isinstance(t, Terminal) for t in pliable + resolute)
    assert pliable[1].payoffs[0] - pliable[0].payoffs[0] == stake
    assert resolute[0].payoffs[0] == resolute[1].payoffs[0] == -2  # the audience cost resolve_value, no loss
    assert pliable[0].payoffs[2] == REPUTATION_DEFAULTS["challenger_gain"]
    assert resolute[0].payoffs[2] == -REPUTATION_DEFAULTS["challenger_cost"]
    # A calibrated strike Iran leaves unanswered costs k_K' = 1 + 1/10 * 1/2 whatever the type.
    assert _node(g, "pliable", "calibrated", "stay out", "stand down").payoffs[0] == -F(21, 20)


def test_the_parametric_tree_evaluates_to_the_numeric_one():
    symbolic = reputation_game()
    assert symbolic.kind == "symbolic"
    numeric = symbolic.evaluate(reputation_values())
    exact = reputation_game({}).terminals()
    assert [(t.payoffs, path) for t, path in numeric.terminals()] == [(t.payoffs, path) for t, path in exact]


def test_out_of_range_reputation_parameters_are_refused():
    with pytest.raises(ParameterError, match="challenger_prior_resolute"):
        reputation_values(challenger_prior_resolute=F(3, 2))


@pytest.fixture(scope="module")
def baseline_pbe():
    return reputation_equilibria(BASELINE)


def test_baseline_pbe_is_semi_separating_the_pliable_type_mixing(baseline_pbe):
    assert baseline_pbe and {e["role"] for e in baseline_pbe} == {"semi-separating"}
    for e in baseline_pbe:
        assert e["resolute"] == {"calibrated": 1}
        assert e["pliable"] == {"absorb": F(1, 3), "calibrated": F(2, 3)}
        # Indifference of the pliable type: -k_K' - S c = -S, so c = 1 - (21/20)/4 = 59/80.
        assert e["challenge"]["calibrated"] == F(59, 80) and e["challenge"]["absorb"] == 1
        # Bayes: the challenger's belief after a calibrated strike is pi / (pi + (1 - pi) sigma) = 1/2 = mu_bar.
        belief = e["equilibrium"].extra["beliefs"]["challenger"]["after calibrated"]
        assert belief["resolute/calibrated"] == F(1, 2)
        assert e["equilibrium"].exact


def test_the_formula_names_the_baseline_equilibrium(baseline_pbe):
    r = pliable_retaliation(BASELINE)
    assert (r["regime"], r["resolute_strike"], r["sigma"]) == ("semi-separating", "calibrated", F(2, 3))
    assert r["challenge_after_strike"] == F(59, 80) and r["holds"] and not r["tie"]
    assert r["stake"] == 4 and r["pliable_cost"] == F(21, 20)


def _agree(point):
    r = pliable_retaliation(point)
    found = reputation_equilibria(point, max_work=float("inf"))
    assert found
    strike = r["resolute_strike"]
    for e in found:
        if strike is None:
            assert e["resolute"] == {"absorb": 1} and e["pliable"] == {"absorb": 1}
            continue
        assert e["resolute"] == {strike: 1}
        assert e["pliable"].get(strike, 0) == r["sigma"]
        assert e["pliable"].get(strike, 0) + e["pliable"].get("absorb", 0) == 1
        if r["sigma"] > 0:
            assert e["challenge"][strike] == r["challenge_after_strike"]
    return r


def test_pooling_when_the_prior_of_resolve_is_above_the_challengers_threshold():
    r = _agree(POOLING)
    assert r["regime"] == "pooling" and r["sigma"] == 1 and r["challenge_after_strike"] == 0


@pytest.mark.slow
def test_separating_when_the_stake_is_below_the_strike_cost():
    r = _agree(SEPARATING)
    assert r["regime"] == "separating" and r["sigma"] == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "strike", "sigma"),
    [
        (NO_STRIKE, None, 0),
        (ESCALATION, "calibrated", F(2, 3)),
        (DIRECT, "direct", F(2, 3)),
        (OTHER_MU, "calibrated", F(1, 2)),  # mu_bar = 3/4 > pi = 3/5: sigma = pi (1 - mu_bar) / ((1 - pi) mu_bar)
    ],
    ids=["no-strike", "escalation", "direct", "other-mu-bar"],
)
def test_formula_agrees_with_the_pbe_solver_off_the_baseline(point, strike, sigma):
    r = _agree(point)
    assert (r["resolute_strike"], r["sigma"]) == (strike, sigma)


def test_c1_dilemma_switches_where_the_stake_equals_the_strike_cost():
    # S = precedent_loss * 1, k_K' = 21/20: the pliable type starts to retaliate at precedent_loss = 21/20.
    below, at, above = (pliable_retaliation(precedent_loss=x) for x in (F(21, 20) - F(1, 100), F(21, 20), F(11, 10)))
    assert below["sigma"] == 0 and below["regime"] == "separating" and not below["tie"]
    assert at["tie"]
    assert above["sigma"] == F(2, 3) and above["regime"] == "semi-separating"
    # With escalation on the path the strike's expected cost includes the damage d = 2: threshold 61/20.
    esc = {**ESCALATION, "precedent_loss": F(3)}
    assert pliable_retaliation(esc)["sigma"] == 0 and pliable_retaliation(esc)["pliable_cost"] == F(61, 20)
    assert pliable_retaliation({**esc, "precedent_loss": F(31, 10)})["sigma"] == F(2, 3)


def test_the_formula_says_where_it_does_not_hold():
    # The resolute type would counter-escalate and Iran's reply depends on whom it faces.
    r = pliable_retaliation(face_cost_calibrated=5, resolve_value=9)
    assert not r["holds"]


def test_the_summary_sentence_follows_the_computed_regime():
    from games.iran_pakistan.reputation import describe_reputation

    assert "mimics it with probability 2/3 (semi-separating)" in describe_reputation()
    assert "absorbs (separating)" in describe_reputation(SEPARATING) and "does not exceed" in describe_reputation(
        SEPARATING
    )
    assert "mimics it for sure (pooling)" in describe_reputation(POOLING)
    assert "not even the resolute type strikes" in describe_reputation(NO_STRIKE)
    assert "outside the formula's region" in describe_reputation(face_cost_calibrated=5, resolve_value=9)


def test_registered_model_builds_the_reputation_game():
    from deterrence.library import get_model

    model = get_model("iran-pakistan-reputation")
    assert model.concepts == ("pbe", "nash", "qre")
    assert len(model.game().terminals()) == 28


@pytest.mark.slow
def test_cli_solves_the_reputation_model(capsys):
    from tests.cli_runs import run

    status, out, _ = run(capsys, "solve", "iran-pakistan-reputation")
    assert status == 0 and "3 equilibria (complete)" in out and "absorb 1/3, calibrated 2/3" in out
