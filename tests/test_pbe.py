"""Perfect Bayesian equilibria (deterrence.solvers.pbe): published signalling results, re-derived.

Beer-Quiche (Cho and Kreps 1987), derivation kept here: the receiver duels
iff her belief that the sender is weak is at least 1/2.  With prior
P(weak) = 1/10 a pooled breakfast leaves the posterior at 1/10, so she does
not duel on the path.  Pooling on beer survives iff the weak type does not
gain from quiche: 2 >= 1 + 2(1 - q) with q the duel probability after
quiche, i.e. q >= 1/2, which sequential rationality allows iff mu(weak |
quiche) >= 1/2 (q = 1 when above, any q when equal).  Pooling on quiche is
symmetric (the strong type: 2 >= 1 + 2(1 - q) after beer).  Separating fails:
the receiver would duel the revealed weak type, who then copies the strong
type's breakfast (2 > 1) or, if weak eats beer, strong would copy.  A hybrid
needs a posterior of exactly 1/2 after the mixed breakfast, impossible with
at most 1/10 weak.  The Intuitive Criterion removes pooling on quiche: the
weak type gets 3 > 2 (the most beer can give it), so beliefs after beer put
weight on strong only, she then does not duel, and strong gains (3 > 2).
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy

from deterrence import ExtensiveFormGame, Terminal, choice, solve
from deterrence.cli.main import main
from deterrence.errors import SolverError
from deterrence.solvers.pbe import perfect_bayesian_equilibria
from tests.signalling_games import beer_quiche, selten_horse
from tests.trees import entry_game, matching_pennies_tree, outside_option_bos

HALF = Fraction(1, 2)


@pytest.fixture(scope="module")
def bq():
    return solve(beer_quiche(), "pbe")


def _pooling_food(eq):
    sender = eq.strategies["Sender"]
    return "beer" if sender["weak"]["beer"] == 1 and sender["strong"]["beer"] == 1 else "quiche"


def test_beer_quiche_has_two_pooling_components_and_nothing_else(bq):
    assert bq.complete
    assert len(bq.to_dict()["components"]) == 2
    foods = sorted({_pooling_food(e) for e in bq})
    assert foods == ["beer", "quiche"]
    assert all(e.extra["roles"]["Sender"]["role"] == "pooling" for e in bq)
    for eq in bq:  # both types eat the same breakfast for sure: no separating or hybrid assessment
        sender = eq.strategies["Sender"]
        assert sender["weak"] == sender["strong"] and set(sender["weak"].values()) == {0, 1}


def test_beer_quiche_off_path_beliefs_are_weak_at_least_one_half(bq):
    for eq in bq:
        off = "after quiche" if _pooling_food(eq) == "beer" else "after beer"
        weak = f"weak {off.split()[1]}"
        ranges = eq.extra.get("ranges", {})
        if "beliefs" in ranges:  # the pure member: the belief can be anywhere in [1/2, 1]
            r = ranges["beliefs"]["Receiver"][off][weak]
            assert (r["min"], r["max"], r["min_included"], r["max_included"]) == (HALF, 1, True, True)
            assert eq.strategies["Receiver"][off]["duel"] == 1
        else:  # the mixed member: belief exactly 1/2, duel probability in [1/2, 1)
            assert eq.extra["beliefs"]["Receiver"][off][weak] == HALF
            r = ranges["strategies"]["Receiver"][off]["duel"]
            assert (r["min"], r["max"], r["min_included"], r["max_included"]) == (HALF, 1, True, False)
        on = "after beer" if off == "after quiche" else "after quiche"
        assert eq.extra["beliefs"]["Receiver"][on][f"weak {on.split()[1]}"] == Fraction(1, 10)
        assert eq.strategies["Receiver"][on]["not"] == 1


def test_intuitive_criterion_keeps_only_pooling_on_beer():
    refined = solve(beer_quiche(), "pbe", options={"refine": "intuitive"})
    assert len(refined) == 2 and {_pooling_food(e) for e in refined} == {"beer"}
    assert any("2 of 4 assessments removed" in n for n in refined.notes)


def test_prior_belief_rule_leaves_no_equilibrium():
    # Off-path belief 1/10 weak: the receiver does not duel there, so either pooling breaks.
    for rule in ("prior", "passive"):
        result = solve(beer_quiche(), "pbe", options={"belief_rule": rule})
        assert len(result) == 0 and result.complete


def test_given_beliefs_fix_the_off_path_belief():
    rule = {"Receiver": {"after quiche": {"weak quiche": 1, "strong quiche": 0}}}
    result = solve(beer_quiche(), "pbe", options={"belief_rule": rule})
    beer = [e for e in result if _pooling_food(e) == "beer"]
    # belief 1 on weak after quiche: duel for sure; the mixed member (belief 1/2) is gone
    assert len(beer) == 1 and beer[0].strategies["Receiver"]["after quiche"]["duel"] == 1
    assert len(result) == 3


def test_bad_belief_rule_is_a_one_line_error():
    with pytest.raises(SolverError, match="not a node"):
        solve(beer_quiche(), "pbe", options={"belief_rule": {"Receiver": {"after quiche": {"nobody": 1}}}})
    with pytest.raises(SolverError, match="belief_rule must be"):
        solve(beer_quiche(), "pbe", options={"belief_rule": "optimistic"})


def test_semi_separating_beer_quiche_when_weak_is_likely():
    # Prior weak 3/5 > 1/2: no pooling (the receiver would duel on the path). Strong eats beer; weak mixes
    # so that P(weak | beer) = 1/2: (3/5) b / ((3/5) b + 2/5) = 1/2 gives b = 2/3; weak is indifferent
    # (quiche: 1, duelled for sure; beer: 2 (1 - q)) iff q = 1/2.
    result = solve(beer_quiche(Fraction(3, 5)), "pbe")
    assert result.complete and len(result) == 1
    eq = result[0]
    assert eq.strategies["Sender"]["weak"]["beer"] == Fraction(2, 3)
    assert eq.strategies["Receiver"]["after beer"]["duel"] == HALF
    assert eq.strategies["Receiver"]["after quiche"]["duel"] == 1
    assert eq.extra["roles"]["Sender"]["role"] == "semi-separating"
    assert eq.extra["beliefs"]["Receiver"]["after beer"]["weak beer"] == HALF


def test_selten_horse_one_component_and_no_nash_with_player_one_down():
    # Derivation in the docstring of tests.signalling_games.selten_horse.
    result = solve(selten_horse(), "pbe")
    assert result.complete
    assert len(result.to_dict()["components"]) == 1
    assert all(e.strategies["1"]["x1"]["A"] == 1 and e.strategies["2"]["x2"]["a"] == 1 for e in result)
    ranges = [e.extra["ranges"] for e in result]
    beliefs = [r["beliefs"]["3"]["x3"]["D"] for r in ranges if "beliefs" in r]
    mixing = [r["strategies"]["3"]["x3"]["L"] for r in ranges if "strategies" in r]
    assert [(b["min"], b["max"]) for b in beliefs] == [(0, Fraction(1, 3))]  # R is optimal iff mu(D) <= 1/3
    assert [(m["min"], m["max"], m["min_included"], m["max_included"]) for m in mixing] == [
        (0, Fraction(1, 4), False, True)
    ]
    assert all(e.extra["sequential"] for e in result)


def test_entry_game_threat_of_fighting_is_not_a_pbe():
    game = entry_game()
    nash = solve(game, "nash")
    assert any(e.strategies["Incumbent"]["i"]["fight"] == 1 for e in nash)  # the incredible threat is Nash
    pbe = solve(game, "pbe")
    assert len(pbe) == 1 and pbe.complete
    assert pbe[0].strategies["Incumbent"]["i"]["accommodate"] == 1
    assert pbe[0].strategies["Entrant"]["e"]["in"] == 1


def test_json_has_beliefs_keyed_by_node_label_and_components(bq):
    data = json.loads(json.dumps(bq.to_dict()))
    first = data["equilibria"][0]
    assert set(first["beliefs"]["Receiver"]["after beer"]) == {"weak beer", "strong beer"}
    assert [c["members"] for c in data["components"]] == [[0, 1], [2, 3]]
    assert data["concept"] == "pbe" and data["method"] == "support-enumeration"


def test_support_bound_refuses_with_the_size():
    with pytest.raises(SolverError, match="81 support profiles over 4 information sets exceed max_supports=10"):
        perfect_bayesian_equilibria(beer_quiche(), max_supports=10)


def test_pure_only_search_is_flagged_incomplete():
    result = perfect_bayesian_equilibria(beer_quiche(), mixed=False)
    assert not result.complete and len(result) == 2


def test_symbolic_game_is_refused():
    with pytest.raises(SolverError, match="free parameters"):
        solve(beer_quiche(sympy.Symbol("p")), "pbe")


def test_float_game_is_solved_at_its_decimal_values():
    result = solve(beer_quiche(0.1), "pbe")
    assert len(result) == 4 and any("shortest decimal" in n for n in result.notes)


def test_cli_pbe_on_a_gambit_file(capsys):
    status = main(["solve", "tests/data/gambit/signalling.efg", "--concept", "pbe", "--refine", "intuitive",
                   "--format", "json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert status == 0, err
    data = json.loads(out)
    assert len(data["equilibria"]) == 2
    assert all(e["strategies"]["Sender"]["weak"]["beer"] == "1" for e in data["equilibria"])


def test_cli_belief_rule_needs_pbe(capsys):
    status = main(["solve", "tests/data/gambit/signalling.efg", "--concept", "spe", "--belief-rule", "prior"])
    out, err = capsys.readouterr()
    assert status == 2 and "apply to --concept pbe only" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "tree", [outside_option_bos(), matching_pennies_tree(), entry_game()], ids=["bos", "mp", "entry"]
)
def test_without_chance_or_hidden_moves_off_the_path_pbe_equal_spe(tree):
    # Bayes' rule inside every subgame makes a PBE subgame perfect; here every information set is a
    # subgame's root or reached inside one, so the two lists must coincide (3, 1 and 1 equilibria).
    spe, pbe = solve(tree, "spe"), solve(tree, "pbe")
    assert spe.complete and pbe.complete

    def key(e):
        return sorted((p, s, tuple(sorted(t.items()))) for p, sets in e.strategies.items() for s, t in sets.items())

    assert sorted(map(key, pbe)) == sorted(map(key, spe))


def test_components_frame(bq):
    frame = bq.to_frame()
    assert list(frame["component"]) == [0, 1] and list(frame["members"]) == ["[0, 1]", "[2, 3]"]


def _simultaneous_three_player(seed: int):
    import random

    rng = random.Random(seed)

    def leaf():
        return Terminal(tuple(rng.randint(-3, 3) for _ in range(3)))

    def three():
        return choice("C", "c", {"l": leaf(), "r": leaf()})

    def two():
        return choice("B", "b", {"u": three(), "d": three()})

    return ExtensiveFormGame(["A", "B", "C"], choice("A", "a", {"x": two(), "y": two()}))


@pytest.mark.parametrize("seed", range(6))
def test_simultaneous_games_pure_pbe_are_exactly_the_pure_nash_equilibria(seed):
    # Every information set is reached by every profile, so beliefs are Bayes' rule everywhere and a
    # pure PBE is a pure Nash equilibrium and conversely; each pure profile is its own support.
    game = _simultaneous_three_player(seed)
    pbe = solve(game, "pbe")
    assert pbe.complete and all(e.exact and e.regret == 0 for e in pbe)

    def key(e):
        return tuple(a for p in "ABC" for s, t in e.strategies[p].items() for a, v in t.items() if v == 1)

    pure = {key(e) for e in pbe if all(v in (0, 1) for sets in e.strategies.values() for t in sets.values()
                                        for v in t.values())}  # fmt: skip
    assert pure == {key(e) for e in solve(game, "pure")}


def test_work_estimate_counts_support_profiles_before_solving():
    with pytest.raises(SolverError, match="81 support profiles over 4 information sets"):
        solve(beer_quiche(), "pbe", max_work=1000)


def test_bad_refine_and_bad_given_beliefs_are_solver_errors():
    with pytest.raises(SolverError, match="refine must be"):
        solve(beer_quiche(), "pbe", options={"refine": "d1"})
    with pytest.raises(SolverError, match="not a probability distribution"):
        solve(beer_quiche(), "pbe", options={"belief_rule": {"Receiver": {"after beer": {"weak beer": 0.5}}}})


def test_iran_pakistan_bayesian_pbe_matches_the_models_own_solution():
    # The case's hand-written solver (games/iran_pakistan/analysis.py) and the general PBE search agree:
    # one assessment, Pakistan strikes calibrated targets, only the "broaden" type escalates after it.
    from games.iran_pakistan.analysis import solve_continuation
    from games.iran_pakistan.forms import bayesian_game, values_for

    values = values_for()
    own = solve_continuation(values)
    result = solve(bayesian_game(values), "pbe")
    assert result.complete and len(result) == 1
    eq = result[0]
    assert eq.strategies["Pakistan"]["response"]["calibrated"] == 1 and int(own["choice"][0]) == 1
    assert eq.payoffs["Pakistan"] == own["value/calibrated"][0]
    iran = eq.strategies["Iran"]
    escalates = {t for t in ("counter-terror", "broaden", "coerce") if iran[f"{t}: after calibrated"]["escalate"] == 1}
    assert escalates == {"broaden"} and bool(own["escalates/calibrated/broaden"][0])
    assert eq.extra["roles"]["Iran"]["role"] == "semi-separating" and eq.extra["sequential"] is True


def test_actions_dominated_by_payoff_ranges_are_pruned_before_enumeration():
    from deterrence.forms.extensive_form import Chance, Decision
    from deterrence.solvers.pbe_prune import candidate_supports
    from deterrence.solvers.pbe_tree import TreeIndex

    # B's "a" hands the move to C, whose set has two nodes and no dominant action, so nothing below
    # "a" is forced; but "a" pays B at most 1 at either node and "b" pays 2, so "a" is never
    # sequentially rational whatever B believes and whatever C does.
    def after_a(first: int) -> Decision:
        return Decision("C", "c", ("u", "d"), (Terminal((first, 1 - first, 0)), Terminal((1 - first, first, 0))))

    def b_node(first: int) -> Decision:
        return Decision("B", "b", ("a", "b"), (after_a(first), Terminal((2, 0, 0))))

    game = ExtensiveFormGame(
        ["B", "C", "N"], Chance(("t1", "t2"), (Fraction(1, 2), Fraction(1, 2)), (b_node(0), b_node(1)))
    )
    index = TreeIndex(game)
    options = dict(zip([i.name for i in index.infos], candidate_supports(index), strict=True))
    assert options["b"] == [("b",)]
    assert options["c"] == [("u",), ("d",), ("u", "d")]  # C's choice is left to the enumeration
    result = solve(game, "pbe")
    assert result.complete and {e.strategies["B"]["b"]["b"] for e in result.equilibria} == {1}
