"""Reproduction tests for the classic games (games.classic, games.entry, games.zagare_kilgour)
and the model registry (games/__init__.py, games/catalogue.py).

Each game's payoffs are checked against its published source and its
equilibria against the published result.  Solver-dependent checks activate
once the solver back-end is installed (``pytest.importorskip``).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from classic_models import BUILT_IN
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from deterrence.errors import DeterrenceError, ParameterError
from deterrence.forms.extensive_form import ExtensiveFormGame
from deterrence.forms.normal_form import NormalFormGame
from deterrence.model import Model
from deterrence.solvers.facade import solve
from games import get_model, list_models, register
from games.classic import (
    CHICKEN_PARAMETERS,
    battle_of_the_sexes,
    chicken,
    chicken_firmness,
    matching_pennies,
    prisoners_dilemma,
    stag_hunt,
)
from games.entry import entry_game_matrix, entry_game_tree
from games.zagare_kilgour import GENERIC_DETERRENCE_PARAMETERS, generic_deterrence_game

F = Fraction


def cells(game):
    """{(row label, column label): (row payoff, column payoff)} of a two-player game."""
    return {
        (r, c): (game.payoff((r, c), 0), game.payoff((r, c), 1)) for r in game.strategies[0] for c in game.strategies[1]
    }


def pure_profiles(result):
    """The pure profiles of a SolveResult on a two-player matrix game, as label pairs."""
    found = set()
    for eq in result:
        labels = tuple(next(s for s, p in eq.strategies[player].items() if p == 1) for player in eq.strategies)
        found.add(labels)
    return found


# -- payoffs as published -----------------------------------------------------
def test_prisoners_dilemma_axelrod_1984_payoffs():
    # Axelrod (1984, The Evolution of Cooperation, ch. 1): T=5, R=3, P=1, S=0.
    g = prisoners_dilemma()
    assert g.kind == "exact"
    assert cells(g) == {
        ("Cooperate", "Cooperate"): (3, 3),
        ("Cooperate", "Defect"): (0, 5),
        ("Defect", "Cooperate"): (5, 0),
        ("Defect", "Defect"): (1, 1),
    }
    t, r, p, s = 5, 3, 1, 0
    assert t > r > p > s and 2 * r > t + s  # the defining inequalities of an iterated PD


def test_stag_hunt_skyrms_2004_payoffs():
    # Skyrms (2004, The Stag Hunt and the Evolution of Social Structure): stag 4 with a partner,
    # 0 alone; hare 3 whatever the other does.
    assert cells(stag_hunt()) == {
        ("Stag", "Stag"): (4, 4),
        ("Stag", "Hare"): (0, 3),
        ("Hare", "Stag"): (3, 0),
        ("Hare", "Hare"): (3, 3),
    }


def test_battle_of_the_sexes_luce_raiffa_1957_payoffs():
    # Luce & Raiffa (1957, Games and Decisions, ch. 5 sec. 3), in the common normalisation with
    # miscoordination worth 0: each prefers to be together, Row at the Opera, Column at Football.
    assert cells(battle_of_the_sexes()) == {
        ("Opera", "Opera"): (2, 1),
        ("Opera", "Football"): (0, 0),
        ("Football", "Opera"): (0, 0),
        ("Football", "Football"): (1, 2),
    }


def test_matching_pennies_is_zero_sum():
    g = matching_pennies()
    assert all(a + b == 0 for a, b in cells(g).values())
    assert g.payoff(("Heads", "Heads"), "Matcher") == 1
    assert g.payoff(("Heads", "Tails"), "Matcher") == -1


def test_chicken_payoffs_symbolic_and_numeric():
    g = chicken()
    assert g.kind == "symbolic"
    assert g.parameters == ("crash_cost", "face_loss", "win")
    w, f, c = (CHICKEN_PARAMETERS[n].symbol for n in ("win", "face_loss", "crash_cost"))
    assert g.payoff(("Stand firm", "Stand firm"), "Row") == -c
    assert g.payoff(("Swerve", "Stand firm"), "Column") == w
    assert g.payoff(("Swerve", "Stand firm"), "Row") == -f
    numeric = chicken(win=1, face_loss=1, crash_cost=10)
    assert numeric.kind == "exact"
    assert cells(numeric) == {
        ("Swerve", "Swerve"): (0, 0),
        ("Swerve", "Stand firm"): (-1, 1),
        ("Stand firm", "Swerve"): (1, -1),
        ("Stand firm", "Stand firm"): (-10, -10),
    }
    assert cells(g.evaluate(win=1, face_loss=1, crash_cost=10)) == cells(numeric)


def test_chicken_validates_its_parameters():
    with pytest.raises(ParameterError, match=r"'crash_cost' = 500 is outside its range"):
        chicken(crash_cost=500)


def test_chicken_firmness_closed_form():
    # Chicken's mixed equilibrium: stand firm with probability
    # win / (win + crash_cost - face_loss).
    assert chicken_firmness(1, 1, 10) == F(1, 10)
    assert chicken_firmness(2, 1, 5) == F(1, 3)
    assert chicken_firmness(1, 1, 100) < chicken_firmness(1, 1, 10)  # falls as war gets costlier


def test_chicken_firmness_makes_the_rival_indifferent():
    from deterrence.solvers.verify import regrets

    for win, face, crash in [(1, 1, 10), (2, 1, 5), (F(3, 2), F(1, 2), 7)]:
        q = chicken_firmness(win, face, crash)
        game = chicken(win=win, face_loss=face, crash_cost=crash)
        profile = [[1 - q, q], [1 - q, q]]
        assert regrets(game.payoffs, profile)[1] == [0, 0]


# -- pure equilibria (solvers.pure is part of the core) -----------------------
@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        pytest.param(prisoners_dilemma, {("Defect", "Defect")}, id="pd"),
        pytest.param(stag_hunt, {("Stag", "Stag"), ("Hare", "Hare")}, id="stag-hunt"),
        pytest.param(matching_pennies, set(), id="pennies"),
        pytest.param(battle_of_the_sexes, {("Opera", "Opera"), ("Football", "Football")}, id="bos"),
        pytest.param(
            lambda: chicken(1, 1, 10),
            {("Swerve", "Stand firm"), ("Stand firm", "Swerve")},
            id="chicken",
        ),
        pytest.param(lambda: chicken(1, 2, 1), {("Stand firm", "Stand firm")}, id="deadlock"),
        pytest.param(entry_game_matrix, {("Out", "Fight"), ("In", "Accommodate")}, id="entry-matrix"),
    ],
)
def test_pure_equilibria(factory, expected):
    pytest.importorskip("deterrence.solvers.pure")
    result = solve(factory(), "pure")
    assert result.complete is True
    assert pure_profiles(result) == expected


def test_entry_matrix_out_fight_is_weak():
    pytest.importorskip("deterrence.solvers.pure")
    result = solve(entry_game_matrix(), "pure")
    notes = {next(s for s, p in eq.strategies["Incumbent"].items() if p == 1): eq.notes for eq in result}
    assert any("weak" in n for n in notes["Fight"])  # the incumbent is indifferent once Out is played
    assert notes["Accommodate"] == ()


# -- all Nash equilibria (needs the enumeration back-end) ---------------------
def _mixes(result, player, strategy):
    return sorted(eq.strategies[player][strategy] for eq in result)


def test_nash_prisoners_dilemma_unique():
    pytest.importorskip("deterrence.solvers.enumeration")
    result = solve(prisoners_dilemma())
    assert result.complete and len(result) == 1
    assert result[0].strategies["Row"] == {"Cooperate": 0, "Defect": 1}


def test_nash_stag_hunt_mixed_three_quarters():
    pytest.importorskip("deterrence.solvers.enumeration")
    result = solve(stag_hunt())
    assert result.complete and len(result) == 3
    assert _mixes(result, "Row", "Stag") == [0, F(3, 4), 1]


def test_nash_matching_pennies_half_half_value_zero():
    pytest.importorskip("deterrence.solvers.enumeration")
    result = solve(matching_pennies())
    assert len(result) == 1
    (eq,) = result
    assert eq.strategies["Matcher"] == {"Heads": F(1, 2), "Tails": F(1, 2)}
    assert eq.payoffs == {"Matcher": 0, "Mismatcher": 0}


def test_nash_battle_of_the_sexes_two_thirds():
    pytest.importorskip("deterrence.solvers.enumeration")
    result = solve(battle_of_the_sexes())
    assert len(result) == 3
    assert _mixes(result, "Row", "Opera") == [0, F(2, 3), 1]
    mixed = next(eq for eq in result if eq.strategies["Row"]["Opera"] == F(2, 3))
    assert mixed.strategies["Column"]["Football"] == F(2, 3)
    assert mixed.payoffs == {"Row": F(2, 3), "Column": F(2, 3)}


@pytest.mark.parametrize("crash", [2, 10, F(7, 2), 100])
def test_nash_chicken_mixed_matches_closed_form(crash):
    pytest.importorskip("deterrence.solvers.enumeration")
    result = solve(chicken(win=1, face_loss=1, crash_cost=crash))
    assert len(result) == 3
    assert chicken_firmness(1, 1, crash) in _mixes(result, "Row", "Stand firm")


def test_nash_entry_matrix_is_degenerate():
    pytest.importorskip("deterrence.solvers.enumeration")
    result = solve(entry_game_matrix())
    assert result.degenerate is True
    fights = sorted(eq.strategies["Incumbent"]["Fight"] for eq in result if eq.strategies["Entrant"]["Out"] == 1)
    assert fights == [F(1, 2), 1]  # the extreme points of the continuum Fight >= 1/2


# -- the entry game tree ------------------------------------------------------
def test_entry_tree_structure():
    g = entry_game_tree()
    assert isinstance(g, ExtensiveFormGame) and g.kind == "exact"
    assert [(path, t.payoffs) for t, path in g.terminals()] == [
        (("Out",), (0, 2)),
        (("In", "Fight"), (-1, -1)),
        (("In", "Accommodate"), (1, 1)),
    ]


def test_entry_tree_spe_is_in_accommodate():
    # Selten (1975): the threat to fight is not credible; the unique SPE is (In, Accommodate).
    pytest.importorskip("deterrence.solvers.spe")
    result = solve(entry_game_tree(), "spe")
    assert result.complete is True and len(result) == 1
    (eq,) = result
    assert eq.strategies["Entrant"]["entry"] == {"Out": 0, "In": 1}
    assert eq.strategies["Incumbent"]["response"] == {"Fight": 0, "Accommodate": 1}
    assert eq.payoffs == {"Entrant": 1, "Incumbent": 1}


# -- Zagare & Kilgour's Generic Deterrence Game -------------------------------
NAMES = GENERIC_DETERRENCE_PARAMETERS.names


def test_generic_game_symbolic_and_defaults():
    g = generic_deterrence_game()
    assert g.kind == "symbolic"
    assert g.parameters == tuple(sorted(NAMES))
    assert [t.label for t, _ in g.terminals()] == ["SQ", "DC", "DD"]
    defaults = GENERIC_DETERRENCE_PARAMETERS.defaults()
    assert defaults == {"c_sq": 2, "c_dc": 3, "c_dd": 1, "d_sq": 3, "d_dc": 1, "d_dd": 2}
    numeric = generic_deterrence_game(**defaults)
    assert [t.payoffs for t, _ in numeric.terminals()] == [(2, 3), (3, 1), (1, 2)]


def test_generic_game_partial_values_stay_symbolic():
    g = generic_deterrence_game(c_sq=2, d_sq=3)
    assert g.parameters == ("c_dc", "c_dd", "d_dc", "d_dd")


def test_generic_game_rejects_unknown_and_out_of_range():
    with pytest.raises(ParameterError, match=r"unknown parameter 'd_cc' \(did you mean"):
        generic_deterrence_game(d_cc=1)
    with pytest.raises(ParameterError, match=r"'c_sq' = 11 is outside its range \[-10, 10\]"):
        generic_deterrence_game(c_sq=11)


def _symbolic_regime(point):
    """The regime Zagare & Kilgour's (2000, ch. 2) conditions predict, evaluated symbolically."""
    c_sq, c_dd, d_dc, d_dd = (sympy.Symbol(n, real=True) for n in ("c_sq", "c_dd", "d_dc", "d_dd"))
    credible = sympy.StrictGreaterThan(d_dd, d_dc)
    capable = sympy.StrictGreaterThan(c_sq, c_dd)
    values = {sympy.Symbol(k, real=True): sympy.Rational(v) for k, v in point.items()}
    is_credible, is_capable = bool(credible.subs(values)), bool(capable.subs(values))
    if not is_credible:
        return "DC"
    return "SQ" if is_capable else "DD"


def _spe_outcome(point):
    result = solve(generic_deterrence_game(**point), "spe")
    assert result.complete is True and len(result) == 1
    (eq,) = result
    challenge = eq.strategies["Challenger"]["challenge"]
    response = eq.strategies["Defender"]["response"]
    if challenge["Cooperate"] == 1:
        return "SQ"
    return "DC" if response["Concede"] == 1 else "DD"


@pytest.mark.parametrize(
    ("point", "regime"),
    [
        pytest.param(
            dict(c_sq=2, c_dc=3, c_dd=1, d_sq=3, d_dc=1, d_dd=2),
            "SQ",
            id="credible-capable-default",
        ),
        pytest.param(dict(c_sq=2, c_dc=3, c_dd=1, d_sq=3, d_dc=2, d_dd=1), "DC", id="not-credible"),
        pytest.param(dict(c_sq=1, c_dc=3, c_dd=2, d_sq=3, d_dc=1, d_dd=2), "DD", id="credible-not-capable"),
        pytest.param(dict(c_sq=1, c_dc=3, c_dd=2, d_sq=3, d_dc=2, d_dd=1), "DC", id="neither"),
    ],
)
def test_generic_deterrence_regimes(point, regime):
    pytest.importorskip("deterrence.solvers.spe")
    assert _symbolic_regime(point) == regime
    assert _spe_outcome(point) == regime


utility = st.integers(-10, 10)


@settings(max_examples=60, deadline=None)
@given(c_sq=utility, c_dc=utility, c_dd=utility, d_sq=utility, d_dc=utility, d_dd=utility)
def test_generic_deterrence_regimes_agree_with_conditions(c_sq, c_dc, c_dd, d_sq, d_dc, d_dd):
    pytest.importorskip("deterrence.solvers.spe")
    # Zagare & Kilgour's standing assumption: the Challenger prefers winning (DC) to the status quo.
    # Strict preferences where the conditions compare, so that no node is a tie.
    assume(c_dc > c_sq and c_dc != c_dd and d_dd != d_dc and c_sq != c_dd)
    point = dict(c_sq=c_sq, c_dc=c_dc, c_dd=c_dd, d_sq=d_sq, d_dc=d_dc, d_dd=d_dd)
    assert _spe_outcome(point) == _symbolic_regime(point)


def test_symbolic_game_evaluated_equals_numeric_game():
    point = dict(c_sq=-3, c_dc=5, c_dd=F(1, 2), d_sq=4, d_dc=-1, d_dd=0)
    evaluated = generic_deterrence_game().evaluate(point)
    direct = generic_deterrence_game(**point)
    assert [t.payoffs for t, _ in evaluated.terminals()] == [t.payoffs for t, _ in direct.terminals()]


def test_generic_deterrence_indifferent_defender_reports_the_tie():
    pytest.importorskip("deterrence.solvers.spe")
    result = solve(generic_deterrence_game(c_sq=2, c_dc=3, c_dd=1, d_sq=3, d_dc=2, d_dd=2), "spe")
    assert len(result) == 2 and result.complete is False
    assert any("tie" in note for note in result.notes)


# -- the registry -------------------------------------------------------------


def test_registry_lists_the_built_in_games_sorted():
    models = list_models()
    slugs = [m.slug for m in models]
    assert set(slugs) >= BUILT_IN
    assert slugs == sorted(slugs)
    assert all(isinstance(m, Model) for m in models)


@pytest.mark.parametrize("slug", sorted(BUILT_IN))
def test_every_built_in_model_builds_a_numeric_game_at_its_defaults(slug):
    model = get_model(slug)
    game = model.game()
    assert isinstance(game, (NormalFormGame, ExtensiveFormGame))
    assert game.kind in ("exact", "float")
    assert model.citation and model.title
    assert model.concepts[0] in ("nash", "spe", "pure", "dominance")


@pytest.mark.parametrize(
    ("slug", "factory"),
    [
        pytest.param("prisoners-dilemma", prisoners_dilemma, id="pd"),
        pytest.param("stag-hunt", stag_hunt, id="stag"),
        pytest.param("matching-pennies", matching_pennies, id="pennies"),
        pytest.param("battle-of-the-sexes", battle_of_the_sexes, id="bos"),
        pytest.param("entry-matrix", entry_game_matrix, id="entry-matrix"),
    ],
)
def test_registry_games_are_the_factories(slug, factory):
    assert get_model(slug).game().payoffs.tolist() == factory().payoffs.tolist()


def test_parametric_models_parameters_match_their_games():
    chicken_model = get_model("chicken")
    assert set(chicken_model.parameters.names) == set(chicken().parameters)
    deterrence_model = get_model("generic-deterrence")
    assert set(deterrence_model.parameters.names) == set(generic_deterrence_game().parameters)
    assert deterrence_model.concepts[0] == "spe"


def test_model_game_validates_values():
    model = get_model("chicken")
    assert model.game(crash_cost=4).payoff(("Stand firm", "Stand firm"), "Row") == -4
    with pytest.raises(ParameterError, match="did you mean 'crash_cost'"):
        model.game(crash=4)


def test_unknown_slug_suggests_a_close_one():
    with pytest.raises(DeterrenceError, match=r"unknown game 'chiken' \(did you mean 'chicken'\?\)"):
        get_model("chiken")


def test_registering_a_slug_twice_is_refused():
    with pytest.raises(ValueError, match="'chicken' is registered twice"):
        register(Model("chicken", "again", "nobody", chicken))
    assert get_model("chicken").title == "Chicken with a crash cost"


def test_model_without_outcomes_cannot_be_swept():
    with pytest.raises(DeterrenceError, match="has no batched outcomes"):
        get_model("prisoners-dilemma").evaluate({})
