"""The model library: named, citable game factories, registered by slug.

``deterrence`` (the engine) never imports this package except through the
registry below, which the command line and the report use to look models up.

Examples
--------
>>> from games import get_model
>>> get_model("chicken").title
'Chicken with a crash cost'
"""

from __future__ import annotations

from deterrence.errors import DeterrenceError
from deterrence.model import Model

__all__ = ["get_model", "list_models", "register"]

_REGISTRY: dict[str, Model] = {}
_LOADED = False


def register(model: Model) -> Model:
    """Add a model to the registry (slugs are unique)."""
    if model.slug in _REGISTRY:
        raise ValueError(f"model slug {model.slug!r} is registered twice")
    _REGISTRY[model.slug] = model
    return model


def _load() -> None:
    global _LOADED
    if not _LOADED:
        _LOADED = True
        from games import catalogue  # noqa: F401  (registers the built-in models)


def list_models() -> list[Model]:
    """All registered models, sorted by slug."""
    _load()
    return [_REGISTRY[s] for s in sorted(_REGISTRY)]


def get_model(slug: str) -> Model:
    """Look a model up by slug; an unknown slug raises a one-line error listing the known ones."""
    _load()
    try:
        return _REGISTRY[slug]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(slug, _REGISTRY, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DeterrenceError(f"unknown game {slug!r}{hint}; run 'deterrence list' to see the built-in games") from None
