"""The solver registry: dispatch, errors, round trips of method names, the CLI reading it."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest
from trees import entry_game, matching_pennies_tree

from deterrence import NormalFormGame, SolverError, solve
from deterrence.solvers import registry
from deterrence.solvers.registry import entries, game_form, register, resolve, unregister
from deterrence.solvers.result import Solution


def _bos(kind: str = "exact") -> NormalFormGame:
    a, b = [[2, 0], [0, 1]], [[1, 0], [0, 2]]
    if kind == "float":
        a, b = np.array(a, float), np.array(b, float)
    return NormalFormGame.from_bimatrix(a, b)


def _three_players() -> NormalFormGame:
    payoffs = np.zeros((2, 2, 2, 3), dtype=object)
    payoffs[0, 0, 0] = payoffs[1, 1, 1] = [1, 1, 1]
    return NormalFormGame(["A", "B", "C"], [["x", "y"]] * 3, payoffs)


def _game_for(entry: registry.SolverEntry):
    if entry.form == "normal-2p":
        return _bos()
    if entry.form == "normal-np":
        return _three_players()
    return matching_pennies_tree() if entry.method == "sequence-form" else entry_game()


def _profiles(result) -> list:
    return [(e.strategies, e.payoffs) for e in result]


BUILTIN = entries()


@pytest.mark.parametrize("entry", BUILTIN, ids=[f"{e.concept}/{e.form}/{e.method}" for e in BUILTIN])
def test_every_method_round_trips_through_its_reported_name(entry):
    if entry.method.startswith("nashpy"):
        pytest.importorskip("nashpy")
    game = _game_for(entry)
    first = solve(game, entry.concept, entry.method)
    # The reported name resolves to the same solver (for the dispatching nash/tree default, the
    # solver it chose), and running it again reports it again.
    ran = resolve(entry.concept, entry.form, first.method)[0]
    assert ran == entry or (entry.method == "auto" and ran.method == "reduced")
    again = solve(game, entry.concept, first.method)
    assert again.method == first.method
    assert _profiles(again) == _profiles(first) and again.complete == first.complete
    for alias in entry.aliases:
        assert resolve(entry.concept, entry.form, alias)[0] == entry


def test_round_trip_holds_for_float_games_and_inner_methods():
    flt = solve(_bos("float"), "nash", "support")
    assert flt.method == "support-float" and solve(_bos("float"), "nash", flt.method).method == "support-float"
    inner = solve(_bos(), "dominance", "iesds+support")
    assert inner.method == "iesds+support-exact" and len(inner) == 3
    assert solve(_bos(), "dominance", inner.method).method == inner.method
    tree = solve(entry_game(), "nash", "reduced+support")
    assert tree.method == "reduced-normal-form+support-exact"
    assert solve(entry_game(), "nash", tree.method).method == tree.method
    weak = solve(entry_game(), "dominance", "iesds-weak")
    assert weak.method.startswith("reduced-normal-form+iesds-weak+")
    assert solve(entry_game(), "dominance", weak.method).method == weak.method


def test_defaults_are_one_per_concept_and_form_and_listed_first():
    for concept in registry.concepts():
        for form in registry.FORMS:
            found = entries(concept, form)
            if found:
                assert [e.default for e in found].count(True) == 1, (concept, form)
                assert found[0].default and resolve(concept, form, None)[0] is found[0]


def test_reported_defaults_match_the_recorded_method_names():
    assert solve(_bos()).method == "vertex-exact"
    assert solve(_bos(), "pure").method == "pure"
    assert solve(entry_game()).method == "reduced-normal-form+vertex-exact"
    assert solve(entry_game(), "spe").method == "backward-induction"
    assert solve(_bos(), "dominance").method == "iesds+vertex-exact"
    assert solve(matching_pennies_tree(), "nash", "sequence-form").method == "sequence-form-lp"


def test_a_registered_solver_is_used_and_listed_in_errors_and_help():
    calls = []

    @register("nash", "normal-2p", "first-pure", exact=True, complete=False, description="test solver")
    def first_pure(game):
        calls.append(game)
        full = solve(game, "pure")
        return Solution(full.equilibria[:1], complete=False, notes=("first only",))

    try:
        game = _bos()
        result = solve(game, "nash", "first-pure")
        assert calls == [game] and result.method == "first-pure" and len(result) == 1
        assert result.notes == ("first only",) and result.complete is False
        with pytest.raises(
            SolverError, match="choose from vertex, support, nashpy, nashpy-vertex, lemke-howson, first-pure"
        ):
            solve(game, "nash", "nope")
        assert "first-pure" in registry.describe()
    finally:
        unregister("nash", "normal-2p", "first-pure")
    with pytest.raises(SolverError, match="unknown method 'first-pure'"):
        solve(_bos(), "nash", "first-pure")


def test_a_new_concept_appears_in_the_concept_list_and_the_cli_choices():
    register(
        "maxmin",
        "normal-2p",
        "toy",
        lambda game: Solution((), complete=False),
        exact=True,
        complete=False,
        description="test concept",
        default=True,
    )
    try:
        assert registry.concepts()[-1] == "maxmin"
        from deterrence.solvers.facade import CONCEPTS

        assert CONCEPTS[-1] == "maxmin"
        from deterrence.cli.main import build_parser

        solve_parser = build_parser()._subparsers._group_actions[0].choices["solve"]
        concept = next(a for a in solve_parser._actions if a.dest == "concept")
        assert tuple(concept.choices) == registry.concepts()
        assert registry.describe() in solve_parser.epilog
        assert solve(_bos(), "maxmin").method == "toy"
        with pytest.raises(SolverError, match="concept 'maxmin' has no solver for tree games"):
            solve(entry_game(), "maxmin")
    finally:
        unregister("maxmin", "normal-2p", "toy")
    assert "maxmin" not in registry.concepts()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"form": "tensor"}, "unknown form 'tensor'", id="unknown-form"),
        pytest.param({"method": "a+b"}, r"cannot contain '\+'", id="plus-in-name"),
        pytest.param({"method": "vertex-exact"}, "'vertex-exact' is already registered", id="alias-taken"),
        pytest.param({"default": True}, "already has a default method, 'vertex'", id="second-default"),
    ],
)
def test_bad_registrations_are_refused(kwargs, message):
    args = {"form": "normal-2p", "method": "fresh", "default": False, **kwargs}
    with pytest.raises(SolverError, match=message):
        register(
            "nash",
            args["form"],
            args["method"],
            lambda game: None,
            exact=False,
            complete=False,
            description="x",
            default=args["default"],
        )
    assert [e.method for e in entries("nash", "normal-2p")] == [
        "vertex",
        "support",
        "nashpy",
        "nashpy-vertex",
        "lemke-howson",
    ]


def test_a_solver_that_returns_no_solution_is_an_error():
    register("nash", "normal-2p", "broken", lambda game: [], exact=False, complete=False, description="x")
    try:
        with pytest.raises(TypeError, match="returned list, not a Solution"):
            solve(_bos(), "nash", "broken")
    finally:
        unregister("nash", "normal-2p", "broken")


def test_inner_methods_are_refused_by_methods_that_take_none():
    with pytest.raises(SolverError, match="unknown method 'vertex\\+support'"):
        solve(_bos(), "nash", "vertex+support")
    with pytest.raises(SolverError, match="unknown method 'lemke' for concept 'nash'"):
        solve(_bos(), "dominance", "iesds+lemke")


def test_game_forms():
    assert game_form(_bos()) == "normal-2p"
    assert game_form(_three_players()) == "normal-np"
    assert game_form(entry_game()) == "tree"
    one = NormalFormGame(["A"], [["x", "y"]], [[Fraction(1)], [2]])
    assert game_form(one) == "normal-np" and len(solve(one)) == 1


def test_three_player_tree_nash_says_only_pure():
    from deterrence import ExtensiveFormGame, Terminal, choice

    tree = ExtensiveFormGame(
        ["A", "B", "C"],
        choice(
            "A",
            "a",
            {"x": Terminal((1, 0, 0)), "y": choice("B", "b", {"u": Terminal((0, 1, 0)), "v": Terminal((2, 0, 1))})},
        ),
    )
    result = solve(tree, "nash")
    assert result.method == "reduced-normal-form+pure" and result.complete is False
    assert any("only pure equilibria" in note for note in result.notes)


def test_listing_the_registry_imports_no_algorithm():
    code = (
        "import sys; from deterrence.solvers import registry; registry.describe(); "
        "print(sorted(m for m in sys.modules if m.startswith('deterrence.solvers.') "
        "and m.rsplit('.', 1)[1] not in ('registry', 'catalog', 'facade', 'result')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_refused_registration_for_several_forms_registers_none_of_them():
    with pytest.raises(SolverError, match="unknown form 'tensor'"):
        register("nash", ("normal-np", "tensor"), "half", lambda g: None, exact=False, complete=False, description="x")
    assert "half" not in registry.methods("nash")


def test_replace_makes_the_new_default_the_only_one():
    register(
        "pure",
        "normal-2p",
        "other",
        lambda game: Solution((), complete=False),
        exact=False,
        complete=False,
        description="x",
        default=True,
        replace=True,
    )
    try:
        assert [e.method for e in entries("pure", "normal-2p") if e.default] == ["other"]
        assert solve(_bos(), "pure").method == "other"
    finally:
        unregister("pure", "normal-2p", "other")
        register(
            "pure", "normal-2p", "pure", "deterrence.solvers.pure:solve_pure", exact=True, complete=True,
            description="every pure equilibrium, ties flagged weak", default=True, replace=True,
        )  # fmt: skip
    assert solve(_bos(), "pure").method == "pure" and len(solve(_bos(), "pure")) == 2


def test_method_must_be_a_string():
    with pytest.raises(SolverError, match="method must be a string or None, got int"):
        solve(_bos(), "nash", 3)


# -- work estimates (issue 9) -------------------------------------------------
def test_a_registered_estimate_is_checked_before_the_solver_runs() -> None:
    from deterrence.solvers.work import Estimate

    calls = []

    def solver(game):  # noqa: ANN001, ANN202
        calls.append(game)
        return Solution((), complete=False)

    register(
        "nash", "normal-2p", "huge", solver, exact=True, complete=False, description="test only",
        estimate=lambda game: Estimate(10**12, "a job of a trillion units", "--method vertex"),
    )  # fmt: skip
    try:
        with pytest.raises(SolverError, match=r"a job of a trillion units; .* use --method vertex, or raise"):
            solve(_bos(), "nash", "huge")
        assert calls == []  # refused before any work
        assert solve(_bos(), "nash", "huge", max_work=10**13).method == "huge" and len(calls) == 1
    finally:
        unregister("nash", "normal-2p", "huge")


def test_every_builtin_estimate_loads_and_sizes_a_small_game() -> None:
    tree = entry_game()
    for entry in entries():
        estimate = entry.load_estimate()
        if estimate is None or entry.form == "normal-np":
            continue
        game = tree if entry.form == "tree" else _bos()
        found = estimate(game) if entry.inner is None else estimate(game, inner=None)
        assert 0 < found.work < 10**6 and found.what, entry
