"""Tests of NormalFormGame (deterrence.normal_form): validation, kinds, access, evaluation."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.errors import GameError
from deterrence.forms.normal_form import NormalFormGame, payoff_kind

PLAYERS = ["Row", "Column"]
LABELS = [["C", "D"], ["C", "D"]]
PD = [[[3, 3], [0, 5]], [[5, 0], [1, 1]]]


def pd_game(payoffs=PD, **kwargs):
    return NormalFormGame(PLAYERS, LABELS, payoffs, **kwargs)


# -- construction and access --------------------------------------------------
def test_prisoners_dilemma_basic_properties():
    g = pd_game(title="PD")
    assert g.players == ("Row", "Column")
    assert g.strategies == (("C", "D"), ("C", "D"))
    assert g.shape == (2, 2)
    assert g.n_players == 2
    assert g.payoffs.shape == (2, 2, 2)
    assert g.kind == "exact"
    assert g.title == "PD"
    assert g.parameters == ()
    assert g.payoff(("D", "C"), "Row") == 5
    assert g.payoff(("D", "C"), "Column") == 0
    assert g.payoff(("C", "D"), 1) == 5
    assert all(isinstance(v, Fraction) for v in g.payoffs.flat)


def test_payoffs_are_read_only():
    g = pd_game()
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 99
    assert g.payoff(("C", "C"), "Row") == 3


def test_input_array_is_copied():
    raw = np.array(PD, dtype=object)
    g = pd_game(raw)
    raw[0, 0, 0] = 100
    assert g.payoff(("C", "C"), "Row") == 3


def test_bimatrix_and_from_bimatrix_round_trip():
    a = [[3, 0], [5, 1]]
    b = [[3, 5], [0, 1]]
    g = NormalFormGame.from_bimatrix(a, b, strategies=LABELS)
    row, col = g.bimatrix()
    assert row.tolist() == a and col.tolist() == b
    assert g.players == ("Row", "Column")
    assert np.array_equal(g.payoffs, pd_game().payoffs)


def test_from_bimatrix_default_labels_and_bad_shapes():
    g = NormalFormGame.from_bimatrix([[1, 2, 3]], [[0, 0, 0]])
    assert g.strategies == (("r1",), ("c1", "c2", "c3"))
    with pytest.raises(GameError, match="two matrices of one shape"):
        NormalFormGame.from_bimatrix([[1, 2]], [[1], [2]])
    with pytest.raises(GameError, match="two matrices of one shape"):
        NormalFormGame.from_bimatrix([1, 2], [1, 2])


def test_three_player_game():
    payoffs = np.zeros((2, 3, 2, 3), dtype=int)
    payoffs[1, 2, 0] = [7, 8, 9]
    g = NormalFormGame(["A", "B", "C"], [["a0", "a1"], ["b0", "b1", "b2"], ["c0", "c1"]], payoffs)
    assert g.shape == (2, 3, 2)
    assert g.kind == "exact"
    assert g.payoff(("a1", "b2", "c0"), "C") == 9
    with pytest.raises(GameError, match="two-player"):
        g.bimatrix()


def test_unknown_player_and_strategy_lookups():
    g = pd_game()
    with pytest.raises(GameError, match=r"unknown player 'Nobody'; players are \['Row', 'Column'\]"):
        g.player_index("Nobody")
    with pytest.raises(GameError, match="no player number 2"):
        g.player_index(2)
    with pytest.raises(GameError, match=r"unknown strategy 'X' for Row; choose from \['C', 'D'\]"):
        g.payoff(("X", "C"), "Row")


def test_restrict_keeps_labels_and_payoffs():
    g = pd_game()
    sub = g.restrict([[1], [0, 1]])
    assert sub.strategies == (("D",), ("C", "D"))
    assert sub.payoff(("D", "C"), "Row") == 5
    assert sub.payoff(("D", "D"), "Column") == 1


def test_repr_is_short_and_informative():
    assert repr(pd_game(title="PD")) == "<NormalFormGame 'PD' 2x2 exact players=['Row', 'Column']>"


# -- validation ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("players", "strategies", "payoffs", "message"),
    [
        pytest.param(
            PLAYERS,
            LABELS,
            [[3, 3], [0, 5]],
            r"payoffs have shape \(2, 2\), expected \(2, 2, 2\)",
            id="missing-player-axis",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            np.zeros((2, 3, 2)),
            r"shape \(2, 3, 2\), expected \(2, 2, 2\)",
            id="too-many-columns",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            np.zeros((2, 2, 3)),
            r"expected \(2, 2, 2\)",
            id="three-payoffs-per-cell",
        ),
        pytest.param(
            PLAYERS,
            [["C", "D"]],
            PD,
            "got labels for 1 players, expected 2",
            id="missing-strategy-list",
        ),
        pytest.param(
            PLAYERS,
            [["C", "D"], ["C", "D"], ["X"]],
            PD,
            "got labels for 3 players",
            id="extra-strategy-list",
        ),
        pytest.param(
            PLAYERS,
            [["C", "C"], ["C", "D"]],
            PD,
            "strategies of Row: labels must be unique",
            id="duplicate-strategy",
        ),
        pytest.param(
            PLAYERS,
            [["C", ""], ["C", "D"]],
            PD,
            "strategies of Row: labels must not be empty",
            id="empty-strategy",
        ),
        pytest.param(["Row", "Row"], LABELS, PD, "players: labels must be unique", id="duplicate-player"),
        pytest.param(["Row", ""], LABELS, PD, "players: labels must not be empty", id="empty-player"),
        pytest.param([], [], np.zeros((0,)), "at least one player", id="no-players"),
        pytest.param(
            PLAYERS,
            [["C", "D"], []],
            np.zeros((2, 0, 2)),
            "at least one strategy",
            id="no-strategies",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, None]], [[5, 0], [1, 1]]],
            r"payoff at \(0, 1\) for player Column is not a number or formula: None",
            id="none-payoff",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, [1]]], [[5, 0], [1, 1]]],
            "is not a number or formula",
            id="list-payoff",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, True]], [[5, 0], [1, 1]]],
            r"payoff at \(0, 1\) for player Column is a boolean",
            id="bool-payoff",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, float("nan")]], [[5, 0], [1, 1]]],
            r"payoff at \(0, 1\) for player Column is not finite: nan",
            id="nan-payoff",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, float("inf")]], [[5, 0], [1, 1]]],
            "not finite",
            id="inf-payoff",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, np.float64("-inf")]], [[5, 0], [1, 1]]],
            "not finite",
            id="numpy-inf-payoff",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, 1 + 2j]], [[5, 0], [1, 1]]],
            "not a number",
            id="complex-payoff",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, sympy.oo]], [[5, 0], [1, 1]]],
            "not a number",
            id="sympy-infinity",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, sympy.I]], [[5, 0], [1, 1]]],
            "not a real number",
            id="sympy-imaginary",
        ),
        pytest.param(
            PLAYERS,
            LABELS,
            [[[3, 3], [0, "a.b"]], [[5, 0], [1, 1]]],
            r"payoff at \(0, 1\) for player Column: formula 'a.b': attribute access",
            id="forbidden-formula",
        ),
    ],
)
def test_bad_input_raises_game_error_naming_the_problem(players, strategies, payoffs, message):
    with pytest.raises(GameError) as info:
        NormalFormGame(players, strategies, payoffs)
    assert re.search(message, str(info.value)), str(info.value)
    assert "\n" not in str(info.value)


def test_string_payoff_that_is_a_name_becomes_a_parameter():
    # "five" is a name, so it is a parameter, not an error: the game is symbolic.
    g = pd_game([[[3, 3], [0, "five"]], [[5, 0], [1, 1]]])
    assert g.kind == "symbolic"
    assert g.parameters == ("five",)


def test_ragged_payoffs_are_a_game_error():
    with pytest.raises(GameError, match="shape"):
        NormalFormGame(PLAYERS, LABELS, [[[3, 3], [0, 5]], [[5, 0]]])


# -- kinds --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("payoffs", "kind"),
    [
        pytest.param(PD, "exact", id="ints"),
        pytest.param([[[Fraction(1, 3), 3], [0, 5]], [[5, 0], [1, 1]]], "exact", id="fraction"),
        pytest.param([[["1/3", "0.5"], [0, 5]], [[5, 0], [1, 1]]], "exact", id="text-numbers"),
        pytest.param([[[sympy.Rational(1, 3), 3], [0, 5]], [[5, 0], [1, 1]]], "exact", id="sympy-rational"),
        pytest.param(np.array(PD, dtype=np.int64), "exact", id="numpy-int"),
        pytest.param([[[0.5, 3], [0, 5]], [[5, 0], [1, 1]]], "float", id="one-float"),
        pytest.param(np.array(PD, dtype=np.float64), "float", id="numpy-float"),
        pytest.param([[[sympy.Float(0.5), 3], [0, 5]], [[5, 0], [1, 1]]], "float", id="sympy-float"),
        pytest.param([[[sympy.sqrt(2), 3], [0, 5]], [[5, 0], [1, 1]]], "float", id="constant-expression"),
        pytest.param([[["sqrt(2)", 3], [0, 5]], [[5, 0], [1, 1]]], "float", id="constant-formula"),
        pytest.param([[["c", 3], [0, 5]], [[5, 0], [1, 1]]], "symbolic", id="formula"),
        pytest.param(
            [[[sympy.Symbol("c") + 1, 0.5], [0, 5]], [[5, 0], [1, 1]]],
            "symbolic",
            id="symbol-beats-float",
        ),
    ],
)
def test_kind(payoffs, kind):
    g = pd_game(payoffs)
    assert g.kind == kind
    if kind == "float":
        assert g.payoffs.dtype == np.float64
    if kind == "exact":
        assert all(isinstance(v, Fraction) for v in g.payoffs.flat)


def test_decimal_text_payoff_is_exact():
    g = pd_game([[["0.1", 3], [0, 5]], [[5, 0], [1, 1]]])
    assert g.payoff(("C", "C"), "Row") == Fraction(1, 10)


def test_float_game_values():
    g = pd_game([[[0.5, 3], [0, 5]], [[5, 0], [1, 1]]])
    assert g.payoff(("C", "C"), "Row") == 0.5
    assert g.as_float().tolist() == [[[0.5, 3.0], [0.0, 5.0]], [[5.0, 0.0], [1.0, 1.0]]]


def test_payoff_kind_function():
    assert payoff_kind([Fraction(1, 2), 3]) == "exact"
    assert payoff_kind([0.5, 1]) == "float"
    assert payoff_kind([sympy.Symbol("x"), 1.5]) == "symbolic"


# -- parameters and evaluation ------------------------------------------------
@pytest.fixture()
def symbolic_chicken():
    c = sympy.Symbol("crash", real=True)
    w = sympy.Symbol("win", real=True)
    return NormalFormGame(["A", "B"], [["S", "F"], ["S", "F"]], [[[0, 0], [-1, w]], [[w, -1], [-c, -c]]])


def test_symbolic_game_parameters_sorted(symbolic_chicken):
    assert symbolic_chicken.kind == "symbolic"
    assert symbolic_chicken.parameters == ("crash", "win")


def test_symbolic_game_as_float_refuses(symbolic_chicken):
    with pytest.raises(GameError, match=r"free parameters \['crash', 'win'\]"):
        symbolic_chicken.as_float()


def test_evaluate_exact_values_keep_game_exact(symbolic_chicken):
    g = symbolic_chicken.evaluate(crash=10, win=Fraction(3, 2))
    assert g.kind == "exact"
    assert g.payoff(("F", "F"), "A") == -10
    assert g.payoff(("F", "S"), "A") == Fraction(3, 2)
    assert g.strategies == symbolic_chicken.strategies


def test_evaluate_mapping_and_kwargs_merge(symbolic_chicken):
    g = symbolic_chicken.evaluate({"crash": 4, "win": 1}, win=2)
    assert g.payoff(("F", "S"), "A") == 2
    assert g.payoff(("F", "F"), "B") == -4


def test_evaluate_float_values_give_float_game(symbolic_chicken):
    g = symbolic_chicken.evaluate(crash=2.5, win=1)
    assert g.kind == "float"
    assert g.payoff(("F", "F"), "B") == -2.5


def test_evaluate_numpy_integer_stays_exact(symbolic_chicken):
    g = symbolic_chicken.evaluate(crash=np.int64(7), win=1)
    assert g.kind == "exact"
    assert g.payoff(("F", "F"), "B") == -7


def test_evaluate_missing_value(symbolic_chicken):
    with pytest.raises(GameError, match=r"no value given for parameter\(s\) \['win'\]"):
        symbolic_chicken.evaluate(crash=1)


def test_evaluate_of_numeric_game_is_identity():
    g = pd_game()
    assert g.evaluate(x=1) is g


def test_symbols_with_and_without_assumptions_are_one_parameter():
    # A formula string makes a real symbol; a user's plain Symbol has no assumptions.
    g = pd_game([[["c", sympy.Symbol("c")], [0, 5]], [[5, 0], [1, 1]]])
    assert g.parameters == ("c",)
    assert g.evaluate(c=2).payoff(("C", "C"), "Column") == 2


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-50, 50), min_size=8, max_size=8),
    st.integers(-20, 20),
)
def test_evaluate_matches_direct_construction(values, c):
    x = sympy.Symbol("x", real=True)
    symbolic = np.array([v * x + 1 for v in values], dtype=object).reshape(2, 2, 2)
    direct = np.array([v * c + 1 for v in values], dtype=object).reshape(2, 2, 2)
    evaluated = pd_game(symbolic).evaluate(x=c)
    assert evaluated.kind == "exact"
    assert evaluated.payoffs.tolist() == pd_game(direct).payoffs.tolist()
