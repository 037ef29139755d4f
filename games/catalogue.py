"""Every model of the library, in one list: the target of the ``deterrence.models`` entry point.

``pyproject.toml`` declares ``games = "games.catalogue:MODELS"`` in the group
``deterrence.models``, through which :mod:`deterrence.library` finds the models.  Each module
of the library exports its own ``MODELS``; this list only gathers them.

Examples
--------
>>> sorted(m.slug for m in MODELS)[:3]
['asymmetric-escalation', 'battle-of-the-sexes', 'brinkmanship']
"""

from __future__ import annotations

from deterrence.model import Model
from games import (
    brinkmanship,
    chain_store,
    classic,
    entry,
    fearon,
    kydd,
    zagare_kilgour,
    zagare_kilgour_escalation,
    zagare_kilgour_family,
)
from games.iran_pakistan import models as iran_pakistan

__all__ = ["MODELS"]

#: The library's models, module by module.
MODELS: list[Model] = [
    *classic.MODELS,
    *entry.MODELS,
    *zagare_kilgour.MODELS,
    *iran_pakistan.MODELS,
    *zagare_kilgour_family.MODELS,
    *fearon.MODELS,
    *chain_store.MODELS,
    *kydd.MODELS,
    *brinkmanship.MODELS,
    *zagare_kilgour_escalation.MODELS,
]
