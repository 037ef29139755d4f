"""The pre-strike game with two-sided uncertainty (C12): the tree, the exact solver with mixing, the engine.

The baseline numbers are derived by hand in the comments: a resolved
Pakistan's payoffs after a strike are -6 (absorb), -4.05 (calibrated, Iran
stands down: -1.05 - 3) and -7.85 (calibrated, Iran escalates: -1.05 - 2 -
4.8); the direct strike (-9.85 whatever the type) is dominated by absorbing.
After a calibrated strike only the broaden type escalates.  Iran's value of
striking is ``S_t = g' + (1 - b) tau_K D_t`` with ``g' = 1/2``, ``b = 1/2``
and ``D_t`` the type's gain from a calibrated strike against absorbing:
-3/2 (counter-terror: face cost 2 less mediation 1/2), +3/2 (broaden:
8 - 6.5), -3 (coerce: face cost 2 + premium 3/2 - 1/2).

Engine times (one core): ``solve(prestrike_game(v), "pbe")`` is complete and
takes 10-20 s at points where Iran's replies do not hinge on Pakistan's
resolve (the slow tests); at the baseline it does not finish in 15 minutes,
stuck in sympy on support profiles where the soft Pakistan mixes over its
three (strictly dominated) responses.  Without those profiles the engine's
enumeration takes about 8 s at the baseline.  The model's own solver takes
about 0.03 s per exact point (verification included) and about 1 s for 10^4
float points at 42 beliefs each (:func:`strike_status`).
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from deterrence import solve
from deterrence.library import get_model
from deterrence.solvers.pbe_check import assessment_regret
from deterrence.solvers.pbe_prune import candidate_supports
from deterrence.solvers.pbe_tree import TreeIndex
from games.iran_pakistan.analysis import prestrike_equilibria as reexported
from games.iran_pakistan.forms import prestrike_game, values_for
from games.iran_pakistan.parameters import PARAMETERS
from games.iran_pakistan.prestrike import (
    BELIEF_GRID,
    prestrike_assessments,
    prestrike_equilibria,
    solve_prestrike,
    strike_status,
    striking_mass,
    to_assessment,
)
from games.iran_pakistan.statics import _row11

F = Fraction
BASE = values_for()
LABELS = {"ct": "counter-terror", "broaden": "broaden", "coerce": "coerce"}
#: A point where Iran's replies do not depend on Pakistan's resolve (every type's reply is the same against a
#: counter-escalating and a holding Pakistan), so the engine's support enumeration is quick and complete.
FORCED = {"iran_overstretch": 3, "escalation_value_coerce": 1}


def _point(**changes: object) -> dict:
    return values_for({**BASE, **changes})


def _on_path(e: dict) -> tuple:
    """Striking probabilities by type, and the resolved Pakistan's response where some type strikes."""
    strike = tuple(e["strike"][t] for t in LABELS)
    response = tuple(e["response"][r] for r in ("absorb", "calibrated", "direct")) if any(strike) else None
    return strike, response


def _engine_on_path(e: Any) -> tuple:
    """:func:`_on_path` of an engine equilibrium (strategies keyed by information set)."""
    strike = tuple(e.strategies["Iran"][f"{LABELS[t]}: strike?"]["strike"] for t in LABELS)
    response = e.strategies["Pakistan"]["resolved response"]
    return strike, tuple(response[r] for r in ("absorb", "calibrated", "direct")) if any(strike) else None


# -- the tree ---------------------------------------------------------------------------------
def test_registered_tree_is_the_two_sided_game():
    game = get_model("iran-pakistan-prestrike").game()
    assert len(game.terminals()) == 48  # 3 motives x 2 resolves x (status quo + 7 continuation outcomes)
    # Iran's strike decision spans Pakistan's resolve; Pakistan's response spans Iran's motives.
    index = TreeIndex(game)
    sets = {(i.player, i.name): i for i in index.infos}
    assert {x[1] for x in sets[("Iran", "counter-terror: strike?")].nodes} == {"resolved", "soft"}
    assert {x[0] for x in sets[("Pakistan", "resolved response")].nodes} == set(LABELS.values())
    # Iran's reply after a strike does not observe Pakistan's resolve either.
    assert {x[1] for x in sets[("Iran", "coerce: after calibrated")].nodes} == {"resolved", "soft"}
    # Nature's probabilities: the prior over motives times Iran's belief about Pakistan's resolve.
    assert game.root.probabilities == (F(1, 2), F(1, 5), F(3, 10))
    assert game.root.children[0].probabilities == (F(1, 2), F(1, 2))


# -- the exact solver -------------------------------------------------------------------------
def test_baseline_is_semi_separating():
    (eq,) = prestrike_assessments(BASE)
    assert eq["kind"] == "semi-separating" and eq["complete"] and not eq["pure"]
    # Coerce is deterred by a calibrated strike with probability 2/3: S = 1/2 - (1/2)(2/3)3 = -1/2 < 0.
    # Counter-terror is indifferent: 1/2 - (1/2) tau_K (3/2) = 0 at tau_K = 2/3.
    assert eq["response"] == {"absorb": F(1, 3), "calibrated": F(2, 3), "direct": 0}
    assert eq["value_of_striking"] == {"ct": 0, "broaden": 1, "coerce": F(-1, 2)}
    # Pakistan is indifferent between absorbing and a calibrated strike iff
    # -4.05 (1 - beta) - 7.85 beta = -6, beta_broaden = 39/76 = (1/5) / (1/5 + sigma_ct / 2): sigma_ct = 74/195.
    assert eq["strike"] == {"ct": F(74, 195), "broaden": 1, "coerce": 0}
    assert eq["posterior"]["broaden"] == F(39, 76)
    assert eq["striking_mass"] == F(76, 195)
    # On the path only the broaden type escalates, after the calibrated strike: (39/76)(2/3).
    assert eq["p_escalate"] == F(13, 38)


def test_no_pure_equilibrium_at_baseline():
    # Pure candidates fail: if Pakistan struck for sure, only broaden would strike and Pakistan would absorb;
    # if it absorbed, all would strike and the posterior (the prior, beta_broaden = 1/5 < 39/76) would make
    # it strike.  The compatibility view lists pure equilibria only.
    assert prestrike_equilibria(BASE) == [] == reexported(BASE)


@pytest.mark.parametrize(
    ("belief", "strike", "response"),
    [
        # tau_K = 1 / (3 (1 - b)) reaches 1 at b = 2/3: beyond it counter-terror strikes even against a
        # certain calibrated strike, coerce still not (1/2 - 3(1 - b) < 0 for b < 5/6).
        pytest.param(F(3, 4), (1, 1, 0), (0, 1, 0), id="separating"),
        pytest.param(F(9, 10), (1, 1, 1), (0, 1, 0), id="pooling"),
        # Below 2/3 the semi-separating equilibrium keeps the posterior at 39/76, so sigma_ct = 74/195 whatever b.
        pytest.param(F(1, 10), (F(74, 195), 1, 0), (F(17, 27), F(10, 27), 0), id="semi-separating"),
    ],
)
def test_equilibrium_along_irans_belief(belief, strike, response):
    (eq,) = prestrike_assessments(_point(iran_belief_absorb=belief))
    assert _on_path(eq) == (strike, response)


def test_no_strike_equilibrium_is_a_family_with_a_free_belief():
    # When US condemnation outweighs Iran's gain (g' = 1 - 2 < 0) and Pakistan is surely resolved, a type
    # strikes only if Pakistan's answer pays it: none does at the calibration (broaden gains +3/2 from a
    # calibrated strike, short of the 1 it loses), so no type strikes and the off-path belief is free.
    eqs = prestrike_assessments(_point(us_condemnation=2, iran_belief_absorb=0))
    assert [e["kind"] for e in eqs] == ["pooling: no type strikes"]
    assert eqs[0]["belief_off_path"] and eqs[0]["striking_mass"] == 0


def _random_points(count: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    points = []
    for _ in range(count):
        point = {}
        for p in PARAMETERS:
            low, high = F(p.low), F(p.high)
            point[p.name] = low + (high - low) * F(int(rng.integers(0, 41)), 40)
        if point["prior_broaden"] + point["prior_coerce"] > 1:
            point["prior_coerce"] = 1 - point["prior_broaden"]
        points.append(values_for(point))
    return points


@pytest.mark.parametrize("point", [BASE, *_random_points(12, seed=11)])
def test_every_assessment_is_a_pbe_of_the_registered_tree(point):
    game = get_model("iran-pakistan-prestrike").game(point)
    index = TreeIndex(game)
    found = prestrike_assessments(point)
    assert found  # a finite game has an equilibrium; the solver finds one at every point
    for eq in found:
        behaviour, beliefs = to_assessment({**eq, "iran_belief_absorb": point["iran_belief_absorb"]}, game)
        # Bayes' rule where the play reaches and sequential rationality everywhere, checked by the engine.
        regret, failure = assessment_regret(index, behaviour, beliefs)
        assert failure is None and regret == 0


def test_float_batch_agrees_with_exact_points():
    points = _random_points(15, seed=5)
    batch = {k: np.array([float(p[k]) for p in points]) for k in points[0]}
    mass = striking_mass(batch)
    for i, point in enumerate(points):
        exact = [float(e["striking_mass"]) for e in prestrike_assessments(point)]
        assert mass["greatest"][i] == pytest.approx(max(exact), abs=1e-9)
        assert mass["least"][i] == pytest.approx(min(exact), abs=1e-9)
        assert mass["count"][i] == len(exact)


def test_ties_are_reported_not_dropped():
    # P = C_P exactly (precedent_loss 2.8: P = 2.8 + 2 = 4.8): Pakistan is indifferent about counter-escalating,
    # Iran's replies then hinge on a coin Pakistan may toss, and the point is marked incomplete.
    eqs = prestrike_assessments(_point(precedent_loss=F(14, 5)))
    assert eqs and not any(e["complete"] for e in eqs)
    assert bool(solve_prestrike(_point(precedent_loss=F(14, 5)))["degenerate"][0])


# -- C12 and the sign target ------------------------------------------------------------------
def test_strike_status_codes():
    status = strike_status(
        {
            "escalation_value_ct": np.array([0.0, 20.0, 0.0]),
            "escalation_value_coerce": np.array([3.0, 20.0, 3.0]),
            "prior_broaden": np.array([0.2, 0.2, 0.9]),
            "prior_coerce": np.array([0.3, 0.3, 0.3]),
        }
    )
    # Baseline: confirmed (counter-terror mixes). Every type valuing escalation at 20 gains from any answer,
    # so every type strikes at every belief: refuted.  Priors summing above one: -1.
    assert status.tolist() == [2, 0, -1]


#: A point of the uniform box (seeded search) where C12 is qualified: US condemnation outweighs Iran's gain
#: (g' = 1.305 - 1.385 < 0), so striking pays only through Pakistan's answer, and less as Pakistan looks softer.
QUALIFIED = {
    "precedent_loss": 13.354, "india_emboldening": 0.066, "taliban_emboldening": 0.874, "resolve_value": 3.3,
    "restoration_calibrated": 0.937, "restoration_direct": 0.196, "calibrated_cost": 2.707, "direct_cost": 1.338,
    "escalation_damage": 9.507, "war_cost_pakistan": 5.656, "india_second_front": 0.584, "taliban_front": 0.944,
    "us_ct_stake": 1.089, "iran_strike_gain": 1.305, "us_condemnation": 1.385, "face_cost_calibrated": 1.645,
    "face_cost_direct": 3.797, "china_mediation": 4.896, "china_pakistan_weight": 1.07, "china_leverage": 3.717,
    "us_pressure_on_iran": 1.966, "iran_overstretch": 3.916, "pakistan_superiority": 1.527,
    "deterrence_erosion": 2.692, "iran_war_base": 9.034, "escalation_value_ct": 7.787,
    "escalation_value_broaden": 8.04, "escalation_value_coerce": 11.603, "coerce_face_premium": 1.335,
    "prior_broaden": 0.956, "prior_coerce": 0.027, "iran_belief_absorb": 0.573,
}  # fmt: skip


def test_strike_status_qualified_when_striking_grows_less_attractive():
    at_point = striking_mass(QUALIFIED)
    along = striking_mass({**QUALIFIED, "iran_belief_absorb": BELIEF_GRID})
    # Every type strikes for sure at the point, the mass never rises along b, yet it is below one somewhere:
    # neither confirmed (no holding back at the point, no rise) nor refuted.
    assert bool(at_point["all_strike"][0])
    assert np.all(np.diff(along["greatest"]) <= 1e-12) and np.all(np.diff(along["least"]) <= 1e-12)
    assert along["least"].min() < 1
    assert strike_status({k: np.array([v]) for k, v in QUALIFIED.items()}).tolist() == [1]


def test_sign_target_11_reads_the_semi_separating_mass():
    row = _row11(BASE, 21)
    # The largest fall (0.7 -> 76/195 = 0.39 at credibility 1/3) lies where the equilibrium is semi-separating;
    # the first edition read "no equilibrium" there.
    assert row.status == "holds"
    assert "semi-separating" in row.evidence and "0.39" in row.evidence


# -- the engine -------------------------------------------------------------------------------
def test_the_soft_pakistans_strikes_are_pruned_as_strictly_dominated():
    # Each strike pays the soft Pakistan at most -k_r' < 0, the least it gets by absorbing, at every
    # node of its set and whatever follows: the engine drops them before enumerating supports.
    index = TreeIndex(prestrike_game(BASE))
    options = candidate_supports(index)
    assert options[[i.name for i in index.infos].index("soft response")] == [("absorb",)]
    # Every type escalates after a direct strike, so a resolved Pakistan's direct strike pays at most
    # -k_X' - d - C_P = -197/20, below the least a calibrated strike can pay (-157/20): dropped too.
    resolved = options[[i.name for i in index.infos].index("resolved response")]
    assert resolved == [("absorb",), ("calibrated",), ("absorb", "calibrated")]


def test_engine_pbe_at_baseline_has_the_same_on_path_behaviour():
    # The full engine solve, every off-path belief free: complete, and its on-path behaviour is the
    # semi-separating equilibrium of the model's own solver (without the pruning above it never finished).
    result = solve(prestrike_game(BASE), "pbe")
    assert result.complete
    engine = {_engine_on_path(e) for e in result.equilibria}
    assert {_on_path(e) for e in prestrike_assessments(BASE)} == engine


@pytest.mark.slow
@pytest.mark.parametrize("belief", [F(1, 2), F(1, 10), F(9, 10)])
def test_engine_pbe_has_the_same_on_path_behaviour(belief):
    point = _point(**FORCED, iran_belief_absorb=belief)
    result = solve(prestrike_game(point), "pbe", max_work=math.inf)
    assert result.complete
    engine = {_engine_on_path(e) for e in result.equilibria}
    # The engine finds every PBE (complete) with every off-path belief free; the on-path behaviour is the same.
    assert {_on_path(e) for e in prestrike_assessments(point)} == engine


@pytest.mark.parametrize("seed", range(4))
def test_posteriors_are_bayes_consistent_at_random_points(seed):
    # Pakistan's posterior after a strike is prior * Pr(strike | type), normalised, wherever some type
    # strikes; a wrong normalisation or a prior taken for the posterior would break this.
    import random

    from iran_pakistan_points import random_exact_point

    from games.iran_pakistan.parameters import priors

    rng = random.Random(seed)
    checked = 0
    for _ in range(10):
        point = random_exact_point(rng)
        prior = priors(point)
        for eq in prestrike_assessments(point):
            mass = sum(prior[t] * eq["strike"][t] for t in prior)
            if mass == 0:
                continue
            checked += 1
            assert eq["posterior"] == {t: prior[t] * eq["strike"][t] / mass for t in prior}
    assert checked > 0


def test_engine_beliefs_are_bayes_consistent_on_the_path():
    # The engine's assessments: at Pakistan's on-path set, the belief over (motive, resolved, strike) nodes
    # is Bayes' rule over Nature's prior and Iran's striking probabilities.
    result = solve(prestrike_game(BASE), "pbe")
    prior = {"counter-terror": F(1, 2), "broaden": F(1, 5), "coerce": F(3, 10)}
    for eq in result.equilibria:
        strike = {label: eq.strategies["Iran"][f"{label}: strike?"]["strike"] for label in prior}
        mass = sum(prior[t] * strike[t] for t in prior)
        assert eq.extra is not None
        belief = eq.extra["beliefs"]["Pakistan"]["resolved response"]
        assert belief == {f"{t}/resolved/strike": prior[t] * strike[t] / mass for t in prior}


# -- the belief refinement: where the full PBE set is larger ---------------------------------
#: The referee's point (H10, second edition): here Iran's reply to a calibrated strike hinges on Pakistan's
#: resolve (coerce escalates iff it believes the striker soft with probability at least 135/247), so a PBE
#: may support "every type strikes, resolved Pakistan absorbs" by blaming an off-path strike on a soft
#: Pakistan, whose strikes are strictly dominated.  The model's solver rules such beliefs out.
_POINTS = json.loads((Path(__file__).parent / "data" / "prestrike_points.json").read_text(encoding="utf-8"))
REFEREE = _POINTS["referee"]


def _soft_weights(eq: Any) -> dict[str, tuple[Fraction, bool]]:
    """Least weight on a soft Pakistan (and whether it is attained) at each of Iran's post-strike sets."""
    spans = (eq.extra.get("ranges") or {}).get("beliefs", {}).get("Iran", {})
    out = {}
    for name, belief in eq.extra["beliefs"]["Iran"].items():
        if " after " not in name:
            continue
        (node,) = [x for x in belief if "/soft/" in x]
        span = spans.get(name, {}).get(node)
        out[name] = (belief[node], True) if span is None else (span["min"], span["min_included"])
    return out


def _dominance_consistent(eq: Any) -> bool:
    """Whether the family admits beliefs with no weight on a soft Pakistan after any strike."""
    return all(least == 0 and attained for least, attained in _soft_weights(eq).values())


def test_full_pbe_set_filtered_by_the_dominance_refinement_is_ours():
    point = values_for({k: F(x) for k, x in REFEREE.items()})
    ours = prestrike_assessments(point)
    assert [e["kind"] for e in ours] == ["separating"] and ours[0]["complete"]
    result = solve(prestrike_game(point), "pbe")
    assert result.complete
    for eq in result.equilibria:  # every family shows a belief at all six of Iran's post-strike sets
        assert len(_soft_weights(eq)) == 6
    engine = {_engine_on_path(e) for e in result.equilibria}
    mine = {_on_path(e) for e in ours}
    assert mine <= engine
    kept = [e for e in result.equilibria if _dominance_consistent(e)]
    dropped = [e for e in result.equilibria if not _dominance_consistent(e)]
    # The refinement removes exactly the families the model's solver does not list ...
    assert {_engine_on_path(e) for e in kept} == mine == {((1, 1, 0), (0, 1, 0))}
    # ... among them the pooling one (every type strikes, a resolved Pakistan absorbs) the referee found,
    assert ((1, 1, 1), (1, 0, 0)) in {_engine_on_path(e) for e in dropped}
    # and each dropped family needs Iran's coerce type to blame a calibrated strike on a soft Pakistan with
    # probability at least 135/247 (where coerce turns from standing down to escalating).
    for eq in dropped:
        assert _soft_weights(eq)["coerce: after calibrated"] == (F(135, 247), True)


def test_engine_with_the_refinement_as_fixed_beliefs_agrees():
    # The same refinement given to the engine as a belief rule (a strike comes from a resolved Pakistan at
    # every one of Iran's post-strike sets): one PBE, the model's separating one.
    point = values_for({k: F(x) for k, x in REFEREE.items()})
    game = prestrike_game(point)
    index = TreeIndex(game)
    rule: dict[str, dict] = {"Iran": {}}
    for info in index.infos:
        if info.player == "Iran" and " after " in info.name:
            rule["Iran"][info.name] = {index.node_name(x): int(x[1] == "resolved") for x in info.nodes}
    assert len(rule["Iran"]) == 6
    result = solve(game, "pbe", options={"belief_rule": rule})
    assert result.complete
    assert {_engine_on_path(e) for e in result.equilibria} == {_on_path(e) for e in prestrike_assessments(point)}


#: A random exact point (the referee's cross-check, seed 1, point 5) where pure strikes came back as numpy
#: int64 and Fraction(np.int64) overflowed in the exact verification.
OVERFLOWED = _POINTS["overflowed"]


@pytest.mark.filterwarnings("error")
def test_exact_assessments_hold_python_integers():
    # With numpy integers inside the Fractions the verification overflowed (a RuntimeWarning, here an error).
    (eq,) = prestrike_assessments(values_for({k: F(x) for k, x in OVERFLOWED.items()}))
    assert eq["kind"] == "semi-separating"
    for table in (eq["strike"], eq["response"], eq["posterior"], eq["value_of_striking"]):
        for x in table.values():
            assert type(x) is Fraction and type(x.numerator) is int and type(x.denominator) is int
