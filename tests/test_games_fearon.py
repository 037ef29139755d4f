"""Fearon's bargaining (1995) and discrete audience-cost (after 1994) models (games.fearon).

Bargaining [LITERATURE.md 2.1, closed form derived]: A demanding
x = p + t c_bar from B with c_B ~ U[0, c_bar] is refused w.p. t and gets
p + t (c_bar - c_a) - t^2 c_bar, maximal at t* = (c_bar - c_a)/(2 c_bar).  The
discrete game has n midpoint cost types, so offer j is refused by exactly j/n
of them: the same payoff at t = j/n, and the PBE demand is the grid point
j/n nearest t* (exactly t* when it is on the grid).

Audience costs [LITERATURE.md 2.2, derived]: the Target resists iff its
posterior mu <= 3/5 (3 - 5 mu >= 0); for pi < 3/5 the unresolved type bluffs
so that mu = 3/5, i.e. w.p. 2 pi / (3 (1 - pi)), and the Target resists w.p.
r with (1 - r) - r a = 0, r = 1/(1 + a); war = pi r.  For pi > 3/5 both
types threaten and the Target concedes.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from deterrence import solve
from deterrence.cli import main
from deterrence.errors import ParameterError
from games.fearon import (
    audience_cost_equilibrium,
    audience_cost_game,
    bargaining_game,
    bargaining_range,
    optimal_offer,
)

F = Fraction


def _demand(result):
    (eq,) = list(result)
    (offer,) = [a for a, x in eq.strategies["A"]["demand"].items() if x == 1]
    return int(offer[1:])


def test_bargaining_range_is_p_minus_c_a_to_p_plus_c_b():
    assert bargaining_range(F(1, 2), F(1, 4), F(1, 8)) == (F(1, 4), F(5, 8))


@pytest.mark.parametrize(
    ("p", "c_a", "c_bar", "n"),
    [(F(1, 2), F(1, 4), F(1, 2), 4), (F(2, 5), F(0), F(1, 2), 2), (F(1, 2), F(1, 10), F(1, 2), 5)],
)
def test_discrete_bargaining_agrees_with_the_closed_form_on_the_grid(p, c_a, c_bar, n):
    x_star, war = optimal_offer(p, c_a, c_bar)
    result = solve(bargaining_game(p=p, c_a=c_a, c_bar=c_bar, n=n), "pbe")
    assert result.complete and len(result) == 1
    j = _demand(result)
    assert p + c_bar * F(j, n) == x_star and F(j, n) == war
    eq = result[0]
    # B accepts the demand iff its cost c_k = (k - 1/2) c_bar / n is at least x - p.
    accepting = [k for k in range(1, n + 1) if eq.strategies["B"][f"c{k} offer {j}"]["accept"] == 1]
    assert accepting == list(range(j + 1, n + 1))


def test_off_grid_optimum_is_the_nearest_grid_point():
    # t* = (1/2 - 1/5)/1 = 3/10; with n = 4 the nearest grid point is 1/4.
    result = solve(bargaining_game(p=F(1, 2), c_a=F(1, 5), c_bar=F(1, 2), n=4), "pbe")
    assert _demand(result) == 1 and optimal_offer(F(1, 2), F(1, 5), F(1, 2))[1] == F(3, 10)


def test_war_risk_falls_with_a_s_cost_and_vanishes_past_c_bar():
    assert optimal_offer(F(1, 2), F(1, 4), F(1, 2))[1] > optimal_offer(F(1, 2), F(3, 8), F(1, 2))[1]
    assert optimal_offer(F(1, 2), F(3, 4), F(1, 2)) == (F(1, 2), 0)


def test_n_must_be_whole():
    with pytest.raises(ParameterError):
        bargaining_game(n=F(5, 2))


@pytest.mark.parametrize(("pi", "a"), [(F(1, 3), 1), (F(1, 2), F(1, 2)), (F(1, 5), 2)])
def test_audience_costs_bluffing_resistance_and_war(pi, a):
    result = solve(audience_cost_game(pi=pi, a=a), "pbe")
    assert result.complete and len(result) == 1
    s = result[0].strategies
    expected = audience_cost_equilibrium(pi, a)
    assert s["Challenger"]["unresolved"]["threaten"] == expected["bluff"]
    assert s["Target"]["threatened"]["resist"] == expected["resist"] == 1 / (1 + F(a))
    assert s["Challenger"]["resolved"]["threaten"] == 1 and s["Challenger"]["resolved after resistance"]["fight"] == 1
    assert expected["war"] == pi * expected["resist"]


def test_higher_audience_costs_lower_war():
    assert audience_cost_equilibrium(F(1, 3), 2)["war"] < audience_cost_equilibrium(F(1, 3), 1)["war"]


def test_a_likely_resolved_challenger_makes_the_target_concede():
    (eq,) = list(solve(audience_cost_game(pi=F(2, 3), a=1), "pbe"))
    assert eq.strategies["Challenger"]["unresolved"]["threaten"] == 1
    assert eq.strategies["Target"]["threatened"]["concede"] == 1


@pytest.mark.parametrize("slug", ["fearon-bargaining", "fearon-audience-costs"])
def test_cli_solves_the_models(slug, capsys):
    assert main(["solve", slug]) in (0, None)
    assert "(complete)" in capsys.readouterr().out


def test_cli_rejects_a_fractional_n(capsys):
    assert main(["solve", "fearon-bargaining", "--set", "n=5/2"]) == 2
    assert "whole number" in capsys.readouterr().err
