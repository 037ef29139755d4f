"""The Rudimentary Asymmetric and Unilateral Deterrence Games (games.zagare_kilgour_family), solved as PBE.

RADG (Zagare & Kilgour 2000, sec. 3.4, App. 3; LITERATURE.md 1.4): the Hard
B resists and the Soft B concedes in every equilibrium [published]; A
challenges iff p_b < tau_A = (a_dc - a_sq)/(a_dc - a_dd) [derived here: D
pays A p_b a_dd + (1 - p_b) a_dc against a_sq for C].  Defaults a = (SQ 2,
DC 3, DD 0) give tau_A = 1/3.

UDG (Zagare & Kilgour 1993; LITERATURE.md 1.6, [derived]): re-derived in
udg_thresholds' docstring; with the defaults alpha_S = 1/2, alpha_H = 2/3,
alpha_Def = 2/3.  In the Bluff equilibrium the Soft Challenger challenges
w.p. x_S = p_ch (1 - alpha_Def) / ((1 - p_ch) alpha_Def), making the Soft
Defender's posterior exactly alpha_Def, and the Soft Defender resists w.p.
y_S = (alpha_S - p_def)/(1 - p_def), making the resistance probability
alpha_S (the Soft Challenger indifferent).  At p_ch = p_def = 1/4: x_S = 1/6,
y_S = 1/3.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from deterrence import solve
from deterrence.cli import main
from games.zagare_kilgour_family import (
    MDG_PARAMETERS,
    RADG_PARAMETERS,
    UDG_PARAMETERS,
    mdg_deterrence_holds,
    mutual_deterrence_game,
    radg_threshold,
    rudimentary_asymmetric_deterrence_game,
    udg_class,
    udg_region,
    udg_thresholds,
    unilateral_deterrence_game,
)

F = Fraction


def _radg(p_b):
    return solve(rudimentary_asymmetric_deterrence_game(**{**RADG_PARAMETERS.defaults(), "p_b": p_b}), "pbe")


def test_radg_threshold_of_the_default_instance():
    assert radg_threshold(2, 3, 0) == F(1, 3)


@pytest.mark.parametrize(("p_b", "attack"), [(F(1, 4), 1), (F(1, 2), 0), (F(9, 10), 0), (F(1, 10), 1)])
def test_radg_a_challenges_iff_credibility_is_below_the_threshold(p_b, attack):
    result = _radg(p_b)
    assert result.complete and len(result) == 1
    eq = result[0]
    assert eq.strategies["A"]["challenge"]["D"] == attack
    assert eq.strategies["B"]["Hard B"]["D"] == 1 and eq.strategies["B"]["Soft B"]["C"] == 1


def test_radg_at_the_threshold_every_challenge_probability_is_an_equilibrium():
    result = _radg(F(1, 3))
    attacks = sorted(eq.strategies["A"]["challenge"]["D"] for eq in result)
    assert attacks == [0, F(1, 2), 1]  # the interior one stands for the open range (0, 1)
    mixed = next(eq for eq in result if eq.strategies["A"]["challenge"]["D"] == F(1, 2))
    span = mixed.extra["ranges"]["strategies"]["A"]["challenge"]["D"]
    assert (span["min"], span["max"]) == (0, 1)
    assert all(eq.strategies["B"]["Hard B"]["D"] == 1 and eq.strategies["B"]["Soft B"]["D"] == 0 for eq in result)


def test_udg_thresholds_of_the_default_instance():
    t = udg_thresholds(2, 4, 0, 1, 1, 3, 0)
    assert (t["alpha_S"], t["alpha_H"], t["alpha_Def"]) == (F(1, 2), F(2, 3), F(2, 3))


@pytest.mark.parametrize(
    ("p_ch", "p_def"),
    [(F(1, 2), F(3, 4)), (F(1, 2), F(3, 5)), (F(3, 4), F(1, 4)), (F(1, 4), F(1, 4)), (F(9, 10), F(1, 10))],
)
def test_udg_equilibrium_classes_match_the_derived_regions(p_ch, p_def):
    point = {**UDG_PARAMETERS.defaults(), "p_ch": p_ch, "p_def": p_def}
    result = solve(unilateral_deterrence_game(**point), "pbe")
    assert result.complete
    t = udg_thresholds(*(point[k] for k in ("c_sq", "c_dc", "c_cd", "c_dd_hard", "d_dc", "d_cd", "d_dd_soft")))
    assert {udg_class(eq) for eq in result} == udg_region(p_ch, p_def, t)


def test_udg_bluff_equilibrium_mixes_at_the_derived_rates():
    point = {**UDG_PARAMETERS.defaults(), "p_ch": F(1, 4), "p_def": F(1, 4)}
    bluff = [eq for eq in solve(unilateral_deterrence_game(**point), "pbe") if udg_class(eq) == "BE"]
    assert len(bluff) == 1
    s = bluff[0].strategies
    assert s["Challenger"]["Soft Ch challenge"]["D"] == F(1, 6)
    assert s["Defender"]["Soft Def response"]["D"] == F(1, 3)
    assert s["Challenger"]["Hard Ch challenge"]["D"] == 1 and s["Challenger"]["Soft Ch fight"]["C"] == 1


@pytest.mark.parametrize("slug", ["rudimentary-asymmetric-deterrence", "mutual-deterrence", "unilateral-deterrence"])
def test_cli_solves_the_models(slug, capsys):
    assert main(["solve", slug]) in (0, None)
    out = capsys.readouterr().out
    assert "pbe" in out and "(complete)" in out


@pytest.mark.parametrize(
    ("p_ch", "p_def", "classes"),
    [
        (F(3, 4), F(1, 4), {"AE"}),  # p_ch > alpha_Def and p_def < alpha_H: no CDE under prior beliefs
        (F(1, 4), F(1, 4), {"BE", "CDE"}),  # p_ch <= alpha_Def: the Soft Defender would resist
        (F(3, 4), F(3, 4), {"CDE"}),  # p_def >= alpha_H
        (F(3, 4), F(3, 5), {"SE"}),
    ],
)
def test_udg_with_prior_off_path_beliefs_cde_needs_credibility(p_ch, p_def, classes):
    # Off-path belief = prior (mu = p_ch): CDE survives iff p_def >= alpha_H or p_ch <= alpha_Def [derived].
    point = {**UDG_PARAMETERS.defaults(), "p_ch": p_ch, "p_def": p_def}
    result = solve(unilateral_deterrence_game(**point), "pbe", options={"belief_rule": "prior"})
    assert result.complete
    assert {udg_class(eq) for eq in result} == classes


def _all_cooperate(eq):
    a, b = eq.strategies["A"], eq.strategies["B"]
    return all(a[f"{t} A first"]["C"] == 1 and b[f"{t} B after C"]["C"] == 1 for t in ("Hard", "Soft"))


@pytest.mark.parametrize(
    ("p_a", "p_b", "holds"),
    [(F(3, 4), F(3, 4), True), (F(1, 4), F(3, 4), False), (F(3, 4), F(1, 4), False)],
)
def test_mdg_deterrence_needs_both_credibilities_above_their_thresholds(p_a, p_b, holds):
    # Mutual Deterrence Game (Kilgour & Zagare 1991; LITERATURE.md 1.5, [derived] in mdg_deterrence_holds):
    # defaults give both thresholds (4 - 3)/(4 - 2) = 1/2, so deterrence holds iff p_a >= 1/2 and p_b >= 1/2.
    point = {**MDG_PARAMETERS.defaults(), "p_a": p_a, "p_b": p_b}
    assert mdg_deterrence_holds(point) is holds
    result = solve(mutual_deterrence_game(**point), "pbe")
    assert result.complete
    pooled = [eq for eq in result if _all_cooperate(eq)]
    assert bool(pooled) is holds
    for eq in pooled:  # Hard types resist and Soft types concede wherever they would have to reply
        a, b = eq.strategies["A"], eq.strategies["B"]
        assert a["Hard A last"]["D"] == 1 and a["Soft A last"]["C"] == 1
        assert b["Hard B after D"]["D"] == 1 and b["Soft B after D"]["C"] == 1
