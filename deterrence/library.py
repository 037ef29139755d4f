"""The registry of models: every :class:`~deterrence.model.Model` the engine can look up by slug.

The engine names no model.  Packages of models announce theirs through the entry point group
``deterrence.models``; each entry names either a list (or tuple) of models, one model, or a
module that calls :func:`register_model` when imported.  The toolkit's own library declares

.. code-block:: toml

    [project.entry-points."deterrence.models"]
    games = "games.catalogue:MODELS"

The entry points are read once, the first time a model is looked up.  A script or a test can add
a model of its own with :func:`register_model` (and take it out again with
:func:`unregister_model`).

Examples
--------
>>> from deterrence.library import get_model, register_model, unregister_model
>>> from deterrence.model import Model
>>> from deterrence.forms.normal_form import NormalFormGame
>>> def coin():
...     return NormalFormGame(["A", "B"], [["h", "t"], ["h", "t"]], [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> _ = register_model(Model("coin-demo", "A coin game", "nobody", coin))
>>> get_model("coin-demo").title
'A coin game'
>>> unregister_model("coin-demo")
>>> get_model("coin-dem")
Traceback (most recent call last):
...
deterrence.errors.DeterrenceError: unknown game 'coin-dem'...; run 'deterrence list' to see the built-in games
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from deterrence.errors import DeterrenceError
from deterrence.model import Model

__all__ = ["ENTRY_POINT_GROUP", "get_model", "list_models", "load_models", "register_model", "unregister_model"]

#: The entry point group through which packages add models.
ENTRY_POINT_GROUP = "deterrence.models"

_MODELS: dict[str, Model] = {}
_LOADED = False


def register_model(model: Model, *, replace: bool = False) -> Model:
    """Add ``model`` under its slug and return it.

    Parameters
    ----------
    model : Model
        The model; its ``slug`` is the key.
    replace : bool
        Allow a different model to take over a slug already registered.

    Raises
    ------
    ValueError
        If another model holds the slug and ``replace`` is false (registering the same object
        twice is harmless).  The entry points are read first, so a packaged model's slug is
        always taken.
    """
    if not isinstance(model, Model):
        raise TypeError(f"register_model expects a Model, not {type(model).__name__}")
    load_models()  # the packaged models first, so that a clash is caught here, not later
    held = _MODELS.get(model.slug)
    if held is not None and held is not model and not replace:
        raise ValueError(f"model slug {model.slug!r} is registered twice")
    _MODELS[model.slug] = model
    return model


def unregister_model(slug: str) -> None:
    """Remove the model registered as ``slug`` (nothing happens if there is none)."""
    _MODELS.pop(slug, None)


def _register_loaded(value: Any, source: str) -> None:
    """Register what an entry point named: a model, models, or a module holding ``MODELS``."""
    if isinstance(value, ModuleType):
        value = getattr(value, "MODELS", ())  # a module may also register its models on import
    if isinstance(value, Model):
        value = (value,)
    if not isinstance(value, Iterable):
        raise TypeError(f"entry point {source} names {type(value).__name__}, not models")
    for model in value:
        register_model(model)


def load_models() -> None:
    """Read the ``deterrence.models`` entry points (once; later calls do nothing)."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from importlib.metadata import entry_points

    seen = set()
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.value in seen:  # one distribution found twice on the path
            continue
        seen.add(entry.value)
        _register_loaded(entry.load(), f"{entry.name} = {entry.value!r}")


def list_models() -> list[Model]:
    """Every registered model, sorted by slug."""
    load_models()
    return [_MODELS[slug] for slug in sorted(_MODELS)]


def get_model(slug: str) -> Model:
    """The model registered as ``slug``.

    Raises
    ------
    DeterrenceError
        One line for an unknown slug, with the closest known slug when one is close.
    """
    load_models()
    try:
        return _MODELS[slug]
    except KeyError:
        close = difflib.get_close_matches(slug, _MODELS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DeterrenceError(f"unknown game {slug!r}{hint}; run 'deterrence list' to see the built-in games") from None
