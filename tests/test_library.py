"""The model registry (deterrence.library), the library's MODELS lists, and the engine/case boundary."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

import pytest

import games
from deterrence import library
from deterrence.errors import DeterrenceError
from deterrence.forms.normal_form import NormalFormGame
from deterrence.model import Model
from games import (
    brinkmanship,
    catalogue,
    chain_store,
    classic,
    entry,
    fearon,
    kydd,
    zagare_kilgour,
    zagare_kilgour_escalation,
    zagare_kilgour_family,
)
from games.iran_pakistan import models as iran_pakistan_models

ENGINE = Path(__file__).resolve().parents[1] / "deterrence"


def _coin() -> NormalFormGame:
    return NormalFormGame(["A", "B"], [["h", "t"], ["h", "t"]], [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])


@pytest.fixture
def scratch_slug():
    yield "scratch-coin"
    library.unregister_model("scratch-coin")


# -- discovery through the entry point ----------------------------------------------------
def test_the_library_is_found_through_its_entry_point():
    declared = {e.value for e in entry_points(group=library.ENTRY_POINT_GROUP)}
    assert "games.catalogue:MODELS" in declared
    assert {m.slug for m in catalogue.MODELS} <= {m.slug for m in library.list_models()}


def test_every_library_module_exports_its_models_and_the_catalogue_has_them_all():
    modules = (
        classic,
        entry,
        zagare_kilgour,
        iran_pakistan_models,
        zagare_kilgour_family,
        fearon,
        chain_store,
        kydd,
        brinkmanship,
        zagare_kilgour_escalation,
    )
    slugs = [m.slug for module in modules for m in module.MODELS]
    assert len(slugs) == len(set(slugs)) == 23  # chain-store-3 (solved by --method logit-limit) joined
    assert [m.slug for m in catalogue.MODELS] == slugs


def test_games_re_exports_the_engine_registry():
    assert games.get_model is library.get_model and games.list_models is library.list_models
    assert games.register is library.register_model


# -- one factory convention ---------------------------------------------------------------
@pytest.mark.parametrize("model", library.list_models(), ids=lambda m: m.slug)
def test_every_factory_takes_its_parameters_as_keywords(model):
    # build() is the parametric game: its symbols are parameters of the model (none for fixed games).
    symbols = set(getattr(model.build(), "parameters", ()))
    assert symbols <= set(model.parameters.names)
    assert bool(symbols) == bool(len(model.parameters))
    # build(**params) with every parameter gives a numeric game.
    numeric = model.build(**model.parameters.defaults())
    assert not getattr(numeric, "parameters", ())


def test_iran_pakistan_forms_take_keywords_or_a_mapping():
    from games.iran_pakistan.forms import matrix_game

    by_keyword = matrix_game(china_mediation=0)
    by_mapping = matrix_game({"china_mediation": 0})
    cell = ("calibrated/counter-escalate", "stand down/stand down")
    assert by_keyword.payoff(cell, "Iran") == by_mapping.payoff(cell, "Iran")
    assert by_keyword.payoff(cell, "Iran") != matrix_game({}).payoff(cell, "Iran")  # mediation mattered


# -- measures come from the outcome function ----------------------------------------------
@pytest.mark.parametrize("model", [m for m in library.list_models() if m.outcomes], ids=lambda m: m.slug)
def test_measures_are_the_columns_the_outcomes_return(model):
    columns = model.evaluate({})
    assert set(columns) == {"outcome", *model.measures}
    assert model.measures == tuple(model.outcomes.columns)


def test_chicken_measures_are_derived_not_listed():
    chicken = library.get_model("chicken")
    assert chicken.measures == ("n_equilibria", "degenerate", "p_firm")


def test_measures_given_explicitly_are_kept():
    outcomes = library.get_model("chicken").outcomes
    model = Model("x", "x", "x", classic.chicken, classic.CHICKEN_PARAMETERS, outcomes=outcomes, measures=("p_firm",))
    assert model.measures == ("p_firm",)


# -- registering and looking up ------------------------------------------------------------
def test_register_look_up_and_remove(scratch_slug):
    model = library.register_model(Model(scratch_slug, "Coin", "nobody", _coin))
    assert library.get_model(scratch_slug) is model
    assert library.register_model(model) is model  # the same object twice is harmless
    with pytest.raises(ValueError, match="'scratch-coin' is registered twice"):
        library.register_model(Model(scratch_slug, "Another", "nobody", _coin))
    other = library.register_model(Model(scratch_slug, "Another", "nobody", _coin), replace=True)
    assert library.get_model(scratch_slug) is other
    library.unregister_model(scratch_slug)
    with pytest.raises(DeterrenceError, match="unknown game 'scratch-coin'"):
        library.get_model(scratch_slug)


def test_a_packaged_slug_cannot_be_taken_over():
    with pytest.raises(ValueError, match="'chicken' is registered twice"):
        library.register_model(Model("chicken", "again", "nobody", _coin))
    assert library.get_model("chicken").title == "Chicken with a crash cost"


def test_unknown_slug_is_one_line_with_a_hint():
    with pytest.raises(DeterrenceError) as info:
        library.get_model("stag-hnut")
    message = str(info.value)
    assert "\n" not in message
    assert (
        message
        == "unknown game 'stag-hnut' (did you mean 'stag-hunt'?); run 'deterrence list' to see the built-in games"
    )


def test_entry_points_may_name_a_model_a_list_or_a_module(scratch_slug):
    one = Model(scratch_slug, "Coin", "nobody", _coin)
    library._register_loaded(one, "test")
    assert library.get_model(scratch_slug) is one
    library.unregister_model(scratch_slug)
    module = ModuleType("scratch_models")
    module.MODELS = [one]
    library._register_loaded(module, "test")
    assert library.get_model(scratch_slug) is one
    with pytest.raises(TypeError, match="not models"):
        library._register_loaded(42, "test")


# -- the engine names no case (tests/test_architecture.py checks that it imports none) ------
def _code_lines(path: Path):
    """Lines of a module outside doctest examples (``>>>`` and ``...`` prompts)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.lstrip().startswith((">>>", "...")):
            yield number, line


def test_the_engine_names_no_case():
    hits = [
        f"{path.relative_to(ENGINE.parent)}:{number}"
        for path in sorted(ENGINE.rglob("*.py"))
        for number, line in _code_lines(path)
        if re.search(r"\biran\b|\bpakistan\b", line, re.IGNORECASE)
    ]
    assert hits == []
