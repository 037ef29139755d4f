"""Kreps-Wilson (1982) reputation in a two-market chain store, solved as perfect Bayesian equilibria.

Published result (LITERATURE.md section 3, [published]; Fudenberg and Tirole
1991, section 9.2), with k markets left and reputation p_k: the entrant stays
out if p_k > b^k and enters if p_k < b^k, staying out w.p. 1/a at equality;
the weak incumbent fights for sure if p_k >= b^(k-1), else w.p.
beta_k = p_k (1 - b^(k-1)) / ((1 - p_k) b^(k-1)), and accommodates in the
last market.

Two markets, a = 2, b = 1/2 (re-derived here).  Last market: the weak
incumbent accommodates (0 > -1), so the second entrant's fight probability
is p_1 and it enters iff p_1 < b.  First market, p = prior < b: fighting
must leave p_1 = b exactly (else either fighting is strictly better, as the
entrant then stays out and -1 + a > 0, or worse), i.e. beta = p(1-b)/((1-p)b),
and the weak type is indifferent iff -1 + a s = 0: the second entrant stays
out w.p. s = 1/a after a fight.  The first entrant faces a fight w.p.
p + (1-p) beta = p/b and enters iff p/b < b, i.e. p < b^2 = 1/4.

* prior 1/3 (b^2 < p < b): beta = 1/2, the first entrant stays out, so its
  market is off the path; beliefs after a fight come from the rule
  "passive" (fewest unexpected moves), which gives Bayes' rule on the
  incumbent's strategy, as in Kreps and Wilson.
* prior 1/5 (p < b^2): beta = 1/4, the first entrant enters, and the
  first market is on the path: no belief rule is needed there.
"""

from __future__ import annotations

from fractions import Fraction

from deterrence import solve
from tests.signalling_games import chain_store

HALF = Fraction(1, 2)


def _check_reputation(eq, beta):
    inc, e2 = eq.strategies["Incumbent"], eq.strategies["Entrant 2"]
    assert inc["weak 1"]["fight"] == beta  # the weak incumbent fights early to build reputation
    assert inc["tough 1"]["fight"] == 1
    assert all(inc[f"weak 2 after {h}"]["accommodate"] == 1 for h in ("out", "fight", "accommodate"))
    assert e2["after fight"]["out"] == HALF  # 1/a
    assert e2["after accommodate"]["in"] == 1  # accommodation reveals the weak type
    assert eq.extra["beliefs"]["Entrant 2"]["after fight"]["tough E2 after fight"] == HALF  # p_1 = b


def test_weak_incumbent_fights_with_probability_one_half_and_deters_the_first_entrant():
    result = solve(chain_store(Fraction(1, 3)), "pbe", options={"belief_rule": "passive"})
    assert result.complete and len(result) == 1
    eq = result[0]
    _check_reputation(eq, HALF)
    assert eq.strategies["Entrant 1"]["first entry"]["out"] == 1  # p = 1/3 > b^2
    assert eq.strategies["Entrant 2"]["after out"]["in"] == 1  # p = 1/3 < b: the last entrant enters
    assert eq.extra["sequential"] is True


def test_with_a_low_prior_the_first_entrant_enters_and_reputation_is_on_the_path():
    result = solve(chain_store(Fraction(1, 5)), "pbe", options={"belief_rule": "passive"})
    assert result.complete and len(result) == 1
    eq = result[0]
    _check_reputation(eq, Fraction(1, 4))
    assert eq.strategies["Entrant 1"]["first entry"]["in"] == 1  # p/b = 2/5 < b
