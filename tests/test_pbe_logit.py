"""One PBE of a large tree as the certified limit of the agent logit QRE (``--method logit-limit``).

The published result is Kreps and Wilson's (1982) chain store (Fudenberg and Tirole 1991,
sec. 9.2; LITERATURE.md section 3).  With ``k`` markets left and reputation ``p`` (the entrants'
belief that the incumbent is tough):

* the entrant stays out if ``p > b**k``, enters if ``p < b**k``, and stays out with
  probability ``1/a`` at equality;
* the weak incumbent accommodates in the last market; earlier it fights for sure if
  ``p >= b**(k-1)``, else with probability ``beta = p (1 - b**(k-1)) / ((1 - p) b**(k-1))``;
* the tough incumbent always fights; Bayes' rule moves ``p`` after a fight to
  ``p / (p + (1 - p) beta)`` and after an accommodation to 0.

:func:`kreps_wilson` builds that assessment for every history of the three-market tree, and the
tests compare it with what the solver returns, information set by information set.  The
support enumeration refuses this tree (about 10^10 support profiles), so the published
equilibrium is the reference here; on the small trees it can solve, the support enumeration's
list must contain the logit limit.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest

from deterrence import solve
from deterrence.errors import SolverError
from games.chain_store import chain_store
from tests.signalling_games import beer_quiche, selten_horse
from tests.trees import entry_game

RESULTS = ("out", "fight", "accommodate")


def kreps_wilson(prior, a, b, markets):
    """Kreps-Wilson behaviour ``{player: {infoset: {action: p}}}`` at every history with a defined reputation."""
    out: dict[str, dict[str, dict[str, Fraction]]] = {"Incumbent": {}}
    for m in range(1, markets + 1):
        out[f"Entrant {m}"] = {}
        for history in product(RESULTS, repeat=m - 1):
            p = _reputation(prior, a, b, markets, history)
            if p is None:
                continue
            k = markets - m + 1
            entrant = "first entry" if m == 1 else "after " + ", ".join(history)
            threshold = b**k
            stay = Fraction(1) if p > threshold else Fraction(0) if p < threshold else 1 / Fraction(a)
            out[f"Entrant {m}"][entrant] = {"out": stay, "in": 1 - stay}
            suffix = "" if m == 1 else " after " + ", ".join(history)
            fight = _weak_fight(p, b, k)
            out["Incumbent"][f"weak {m}{suffix}"] = {"fight": fight, "accommodate": 1 - fight}
            out["Incumbent"][f"tough {m}{suffix}"] = {"fight": Fraction(1), "accommodate": Fraction(0)}
    return out


def _weak_fight(p, b, k):
    if k == 1:
        return Fraction(0)
    if p >= b ** (k - 1):
        return Fraction(1)
    return p * (1 - b ** (k - 1)) / ((1 - p) * b ** (k - 1))


def _reputation(prior, a, b, markets, history):
    p = Fraction(prior)
    for m, result in enumerate(history, start=1):
        if result == "out":
            continue
        fight = p + (1 - p) * _weak_fight(p, b, markets - m + 1)
        chance = fight if result == "fight" else 1 - fight
        if chance == 0:
            return None  # Bayes' rule says nothing here: the equilibrium leaves it open
        p = p / fight if result == "fight" else Fraction(0)
    return p


@pytest.mark.parametrize(
    "prior",
    [
        Fraction(1, 3),  # the first entrant stays out (p > b^3); the weak type mixes 1/2 in market 2
        Fraction(1, 5),  # between b^3 and b^2: out in market 1, the weak type fights for sure there
        Fraction(1, 10),  # below b^3: the first entrant enters; every later reputation sits on a threshold
    ],
)
def test_three_market_chain_store_is_kreps_wilson(prior):
    a, b = 2, Fraction(1, 2)
    result = solve(chain_store(prior, a, b, markets=3), "pbe", method="logit-limit")
    assert not result.complete and len(result) == 1
    eq = result[0]
    assert eq.exact and eq.extra["sequential"] is True
    expected = kreps_wilson(prior, a, b, 3)
    checked = 0
    for player, sets in expected.items():
        for infoset, table in sets.items():
            assert eq.strategies[player][infoset] == table, (player, infoset)
            checked += 1
    assert checked >= 25  # most of the 39 information sets have a defined reputation


def test_weak_incumbent_fights_early_with_the_kreps_wilson_probability():
    """Prior 1/10 < b^3: the weak incumbent fights the first entrant w.p. 1/3, so a fight lifts p to b^2."""
    eq = solve(chain_store(Fraction(1, 10), 2, Fraction(1, 2), markets=3), "pbe", method="logit-limit")[0]
    assert eq.strategies["Incumbent"]["weak 1"]["fight"] == Fraction(1, 3)
    assert eq.strategies["Entrant 1"]["first entry"]["in"] == 1
    belief = eq.extra["beliefs"]["Entrant 2"]["after fight"]
    assert belief["tough E2 after fight"] == Fraction(1, 4)


@pytest.mark.parametrize(
    "build",
    [entry_game, beer_quiche, selten_horse, lambda: chain_store(Fraction(1, 3), 2, Fraction(1, 2), markets=2)],
    ids=["entry", "beer-quiche", "selten-horse", "chain-store-2"],
)
def test_the_logit_limit_is_among_the_enumerated_pbe(build):
    """On trees the support enumeration solves completely, one listed family holds the limit.

    Every probability and belief of the limit is the family's own, or inside the family's range
    for it (e.g. Beer-Quiche: the weak type's weight after quiche in [1/2, 1]).
    """
    game = build()
    limit = solve(game, "pbe", method="logit-limit")[0]
    listed = solve(game, "pbe")
    assert listed.complete
    assert any(_inside(limit, family) for family in listed)


def _inside(limit, family):
    """Whether every probability and belief of ``limit`` is the family's, or inside its range there."""
    ranges = family.extra.get("ranges", {})
    for kind, ours, theirs in (
        ("strategies", limit.strategies, family.strategies),
        ("beliefs", limit.extra["beliefs"], family.extra["beliefs"]),
    ):
        for player, sets in ours.items():
            for infoset, table in sets.items():
                for key, v in table.items():
                    r = ranges.get(kind, {}).get(player, {}).get(infoset, {}).get(key)
                    if r is None:
                        if theirs.get(player, {}).get(infoset, {}).get(key) != v:
                            return False
                    elif not (
                        (v > r["min"] or (r["min_included"] and v == r["min"]))
                        and (v < r["max"] or (r["max_included"] and v == r["max"]))
                    ):
                        return False
    return True


def test_no_certified_checkpoint_is_a_one_line_refusal(monkeypatch):
    """Rounding to integers cannot give the chain store's 1/2 mixing: refuse, never return it uncertified."""
    import deterrence.solvers.pbe_logit as module

    monkeypatch.setattr(module, "DENOMINATORS", (1,))
    with pytest.raises(SolverError, match="did not settle on an exact PBE") as err:
        module.pbe_logit_limit(chain_store(Fraction(1, 3), 2, Fraction(1, 2), markets=3))
    assert "\n" not in str(err.value)


def test_support_enumeration_refusal_names_the_logit_limit(capsys):
    from deterrence.cli.main import main

    assert main(["solve", "chain-store-3"]) == 2
    err = capsys.readouterr().err
    assert "--method logit-limit" in err and len(err.strip().splitlines()) == 1


def test_cli_logit_limit_json_carries_beliefs(tmp_path):
    import json

    from deterrence.cli.main import main

    out = tmp_path / "cs3.json"
    assert main(["solve", "chain-store-3", "--method", "logit-limit", "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    (eq,) = data["equilibria"]
    assert data["complete"] is False
    assert eq["beliefs"]["Entrant 3"]["after out, fight"]["tough E3 after out, fight"] in ("1/2", 0.5)
