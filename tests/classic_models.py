"""Classic built-in models as the tests see them: the expected slugs and a test copy of Chicken."""

from __future__ import annotations

from deterrence.analysis.outcomes import normal_form_outcomes
from deterrence.model import Model
from games.classic import CHICKEN_PARAMETERS, chicken

BUILT_IN = {
    "battle-of-the-sexes",
    "chicken",
    "entry-matrix",
    "entry-tree",
    "generic-deterrence",
    "matching-pennies",
    "prisoners-dilemma",
    "stag-hunt",
}
"""The slugs of the classic built-in models, checked by the registry and CLI tests."""

CHICKEN = Model(
    "chicken-test",
    "Chicken",
    "",
    chicken,
    CHICKEN_PARAMETERS,
    outcomes=normal_form_outcomes(chicken),
)
"""Chicken with its default outcome columns, under a slug of its own."""
