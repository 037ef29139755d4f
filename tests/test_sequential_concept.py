"""``--concept sequential``: the PBE that pass the exact consistency check (Kreps and Wilson 1982)."""

from __future__ import annotations

from fractions import Fraction

from deterrence import get_model, solve
from deterrence.cli.main import main
from games.chain_store import chain_store
from tests.signalling_games import selten_horse
from tests.trees import entry_game


def test_every_listed_assessment_is_consistent_and_a_pbe():
    game = get_model("unilateral-deterrence").game()
    pbe = solve(game, "pbe")
    sequential = solve(game, "sequential")
    assert [e.extra["sequential"] for e in pbe] == [True, False, True, True]  # docs/guide/concepts/pbe.md
    assert len(sequential) == 3 and all(e.extra["sequential"] is True for e in sequential)
    assert all(any(e.strategies == p.strategies for p in pbe) for e in sequential)


def test_entry_game_has_one_sequential_equilibrium_and_the_list_is_complete():
    found = solve(entry_game(), "sequential")
    assert found.complete and len(found) == 1
    assert found[0].strategies["Incumbent"]["i"]["accommodate"] == 1


def test_kreps_wilson_chain_store_is_found_through_the_passive_beliefs():
    """With free beliefs no family's representative is consistent; the passive rule supplies it."""
    found = solve(chain_store(Fraction(1, 3), 2, Fraction(1, 2), markets=2), "sequential")
    assert len(found) == 1 and not found.complete  # families with ranges: other consistent points not computed
    eq = found[0]
    assert eq.strategies["Incumbent"]["weak 1"]["fight"] == Fraction(1, 2)
    assert eq.extra["beliefs"]["Entrant 2"]["after fight"]["tough E2 after fight"] == Fraction(1, 2)


def test_selten_horse_sequential_equilibria_play_across():
    found = solve(selten_horse(), "sequential")
    assert len(found) >= 1
    assert all(e.strategies["1"]["x1"]["A"] == 1 and e.strategies["2"]["x2"]["a"] == 1 for e in found)


def test_cli_sequential_logit_limit_on_three_markets(capsys):
    assert main(["solve", "chain-store-3", "--concept", "sequential", "--method", "logit-limit"]) == 0
    out = capsys.readouterr().out
    assert "sequential by logit-limit -- 1 equilibria (NOT guaranteed complete)" in out


def test_undeclared_concept_is_refused_in_one_line_naming_the_declared_ones(capsys):
    assert main(["solve", "chain-store-2", "--concept", "nash"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "declares the concepts pbe, sequential, not 'nash'" in err and "deterrence export" in err


def test_belief_rule_is_refused_for_sequential_but_refine_is_accepted(capsys):
    assert main(["solve", "chain-store-2", "--concept", "sequential", "--belief-rule", "prior"]) == 2
    assert "apply to --concept pbe only" in capsys.readouterr().err
    assert main(["solve", "entry-tree", "--concept", "sequential", "--refine", "intuitive"]) == 0
