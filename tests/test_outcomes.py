"""Batched outcome evaluators against closed forms and the exact per-point solvers."""

from __future__ import annotations

import pickle
from fractions import Fraction

import numpy as np
import pytest
import sympy

from deterrence.analysis.outcomes import LabelArray, _describe, normal_form_outcomes, tree_outcomes
from deterrence.errors import DeterrenceError
from deterrence.forms.extensive_form import ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.solvers.enumeration import enumerate_equilibria
from games.classic import chicken
from games.zagare_kilgour import generic_deterrence_game

THREE_WAY = "Swerve/Stand firm | Stand firm/Swerve | mixed"


def _chicken_points(crash, face=1.0, win=1.0):
    crash = np.atleast_1d(np.asarray(crash, dtype=float))
    return {
        "crash_cost": crash,
        "face_loss": np.full(len(crash), face),
        "win": np.full(len(crash), win),
    }


def test_chicken_labels_measures_and_degeneracy():
    f = normal_form_outcomes(chicken, {"firm": ("Row", "Stand firm", "last"), "u": ("Column",)})
    out = f(_chicken_points([10.0, 0.5, 1.0]), "nash")
    assert out["outcome"][:2].tolist() == [THREE_WAY, "Stand firm/Stand firm"]
    assert out["n_equilibria"][:2].tolist() == [3, 1]
    assert out["degenerate"].tolist() == [False, False, True]  # crash_cost == face_loss ties
    # Mixed equilibrium: firmness win / (win + crash_cost - face_loss) = 1/10
    # (Snyder & Diesing 1977).
    assert out["firm"][:2] == pytest.approx([0.1, 1.0])
    # Column's payoffs at the equilibria (1, -1, value of the mixed one = -1/10) averaged: -1/30.
    assert out["u"][0] == pytest.approx((1 - 1 - 0.1) / 3)


@pytest.mark.parametrize(
    "selection, expected",
    [
        pytest.param("mean", (0 + 1 + 0.25) / 3, id="mean"),
        pytest.param("min", 0.0, id="min"),
        pytest.param("max", 1.0, id="max"),
        pytest.param("first", 0.0, id="first"),
        pytest.param("last", 0.25, id="last"),
        pytest.param("unique", np.nan, id="unique"),
    ],
)
def test_selection_rules_on_chicken(selection, expected):
    f = normal_form_outcomes(chicken, {"firm": ("Row", "Stand firm")}, selection=selection)
    value = f(_chicken_points([4.0]), "nash")["firm"][0]  # firmness 1 / (1 + 4 - 1)
    assert value == pytest.approx(expected, nan_ok=True)


def test_unique_selection_is_defined_where_the_equilibrium_is_unique():
    f = normal_form_outcomes(chicken, {"firm": ("Row", "Stand firm", "unique")})
    assert f(_chicken_points([0.5]), "nash")["firm"].tolist() == [1.0]


def test_pure_concept_lists_only_pure_equilibria():
    f = normal_form_outcomes(chicken, {"firm": ("Row", "Stand firm")})
    out = f(_chicken_points([10.0, 1.0]), "pure")
    assert out["outcome"].tolist()[0] == "Swerve/Stand firm | Stand firm/Swerve"
    assert out["degenerate"].tolist() == [False, True]  # a weak pure equilibrium at the tie
    assert out["firm"][0] == pytest.approx(0.5)


A_SYM = sympy.symbols("a b c", real=True)


def _three_by_two(a=None, b=None, c=None):
    x = {"a": a, "b": b, "c": c}
    v = {k: (sympy.Symbol(k, real=True) if x[k] is None else x[k]) for k in x}
    return NormalFormGame(
        ["P", "Q"],
        [["u", "m", "d"], ["l", "r"]],
        [[[v["a"], 1], [0, 0]], [[1, 0], [v["b"], 2]], [[0, v["c"]], [2, 1]]],
    )


def _reference_label(game, a_float, b_float):
    result = enumerate_equilibria(a_float, b_float)
    codes = []
    for x, y in result.equilibria:
        x, y = np.asarray(x, float), np.asarray(y, float)
        sx, sy = np.flatnonzero(x > 1e-12), np.flatnonzero(y > 1e-12)
        if len(sx) == 1 and len(sy) == 1:
            codes.append(int(sx[0]) * 2 + int(sy[0]))
        else:
            codes.append(6 + int(sum(1 << int(i) for i in sx)) + int(sum(1 << (3 + int(j)) for j in sy)))
    return _describe(game, np.array(sorted(codes)), (3, 2), 6), result.degenerate


def test_three_by_two_matches_exact_enumeration_on_random_points():
    rng = np.random.default_rng(20240116)
    points = {k: rng.uniform(-3, 3, 200) for k in "abc"}
    f = normal_form_outcomes(_three_by_two, {"pu": ("P", "u")})
    out = f(points, "nash")
    game = _three_by_two()
    checked = 0
    for k in range(200):
        numeric = _three_by_two(*(Fraction(points[n][k]) for n in "abc"))
        a, b = numeric.bimatrix()
        label, degenerate = _reference_label(game, a, b)
        assert bool(out["degenerate"][k]) == bool(degenerate)
        if not degenerate:
            assert out["outcome"][k] == label
            checked += 1
    assert checked > 150 and len(set(out["outcome"])) >= 3


def test_outcomes_pickle_without_their_compiled_state():
    f = normal_form_outcomes(chicken, {"firm": ("Row", "Stand firm")})
    before = f(_chicken_points([3.0]), "nash")
    copy = pickle.loads(pickle.dumps(f))
    assert copy._cache is None
    assert copy(_chicken_points([3.0]), "nash")["firm"].tolist() == before["firm"].tolist()


def test_tree_outcomes_follow_the_generic_deterrence_game():
    f = tree_outcomes(generic_deterrence_game, {"deny": ("Defender", "response", "Deny"), "u": ("Challenger",)})
    base = {"c_sq": 2.0, "c_dc": 3.0, "c_dd": 1.0, "d_sq": 3.0, "d_dc": 1.0}
    d_dd = np.array([2.0, 0.5, 1.0])
    out = f({**{k: np.full(3, v) for k, v in base.items()}, "d_dd": d_dd}, "spe")
    assert out["outcome"].tolist()[:2] == ["SQ", "DC"]  # credible and capable; incredible
    assert out["deny"].tolist()[:2] == [1.0, 0.0]
    assert out["u"].tolist()[:2] == [2.0, 3.0]
    assert out["tie"].tolist() == [False, False, True]  # d_dd == d_dc: the Defender is indifferent


def test_tree_labels_fall_back_to_paths_without_distinct_terminal_labels():
    w = sympy.Symbol("w", real=True)

    def build(w_value=None):
        v = w if w_value is None else w_value
        return ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((v,)), "y": Terminal((1,))}))

    out = tree_outcomes(build)({"w": np.array([0.0, 2.0])}, "spe")
    assert out["outcome"].tolist() == ["y", "x"]


@pytest.mark.parametrize(
    "make, message",
    [
        pytest.param(
            lambda: normal_form_outcomes(chicken, {"m": ("Row", "Dive")}),
            "unknown strategy",
            id="unknown-strategy",
        ),
        pytest.param(
            lambda: normal_form_outcomes(chicken, {"m": ("Nobody", "Swerve")}),
            "unknown player",
            id="unknown-player",
        ),
        pytest.param(
            lambda: normal_form_outcomes(chicken, selection="median"),
            "unknown selection",
            id="bad-selection",
        ),
        pytest.param(
            lambda: tree_outcomes(generic_deterrence_game, {"m": ("Defender", "response", "Flee")}),
            "no action",
            id="unknown-action",
        ),
        pytest.param(
            lambda: normal_form_outcomes(generic_deterrence_game),
            "needs a NormalFormGame",
            id="tree-as-matrix",
        ),
    ],
)
def test_bad_specs_raise_deterrence_errors(make, message):
    points = {
        n: np.array([1.0]) for n in ("win", "face_loss", "crash_cost", "c_sq", "c_dc", "c_dd", "d_sq", "d_dc", "d_dd")
    }
    with pytest.raises(DeterrenceError, match=message):
        f = make()
        f(points, "spe" if isinstance(f, type(tree_outcomes(chicken))) else "nash")


def test_label_arrays_keep_codes_only_while_they_are_valid():
    labels = LabelArray(["absorb", "strike", "unused"], np.array([1, 0, 1, 1]))
    assert labels.tolist() == ["strike", "absorb", "strike", "strike"]
    copy = pickle.loads(pickle.dumps(labels))
    assert copy.codes.tolist() == [1, 0, 1, 1] and copy.tolist() == labels.tolist()
    assert labels[1:].codes is None and np.asarray(labels).dtype.kind == "U"
    from deterrence.sweeps.store import factorize as _factorize

    distinct, inverse, counts = _factorize(labels)
    assert distinct.tolist() == ["absorb", "strike"] and counts.tolist() == [1, 3]
    assert distinct[inverse].tolist() == labels.tolist()
    plain = _factorize(np.array(["b", "a", "b"]))
    assert plain[0][plain[1]].tolist() == ["b", "a", "b"] and sorted(plain[2].tolist()) == [1, 2]
