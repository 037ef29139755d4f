"""The registry of sensitivity methods: what ``--method`` offers and what ``sensitivity()`` runs.

A method is a module defining a :class:`~deterrence.sensitivity.base.Method` named ``METHOD``.
The engine's own are listed in :data:`BUILTIN_METHODS`; other code adds one with
:func:`register_method`.  The dispatcher :func:`~deterrence.sensitivity.analyse.sensitivity`, the
results' ``plot()`` and the command line's ``--method`` choices all read :func:`methods`, so
adding a method is one module and one registration.

Examples
--------
>>> from deterrence.sensitivity.registry import get_method, method_names
>>> method_names()
('sobol', 'morris', 'oat')
>>> get_method("morris").default_n
20
>>> get_method("fast")
Traceback (most recent call last):
...
deterrence.errors.DeterrenceError: unknown method 'fast'; choose from sobol, morris, oat
"""

from __future__ import annotations

from typing import Any

from deterrence.errors import DeterrenceError
from deterrence.sensitivity.base import Method

__all__ = [
    "BUILTIN_METHODS",
    "get_method",
    "method_names",
    "methods",
    "plot_result",
    "register_method",
    "unregister_method",
]

#: Modules that define the engine's methods (each a ``METHOD``), in the order ``--help`` lists them.
BUILTIN_METHODS: tuple[str, ...] = (
    "deterrence.sensitivity.sobol",
    "deterrence.sensitivity.morris",
    "deterrence.sensitivity.oat",
)

_METHODS: dict[str, Method] = {}
_LOADED = False


def register_method(method: Method) -> Method:
    """Add ``method`` under its name (names are unique); returns it."""
    if method.name in _METHODS and _METHODS[method.name] is not method:
        raise ValueError(f"sensitivity method {method.name!r} is registered twice")
    _METHODS[method.name] = method
    return method


def unregister_method(name: str) -> None:
    """Remove a method (for tests and plug-ins that replace one)."""
    _METHODS.pop(name, None)


def methods() -> dict[str, Method]:
    """Every registered method by name: the built-in ones first, in :data:`BUILTIN_METHODS` order."""
    global _LOADED
    if not _LOADED:
        import importlib

        builtin = {m.name: m for m in (importlib.import_module(name).METHOD for name in BUILTIN_METHODS)}
        ordered = {**builtin, **_METHODS}  # a method registered earlier under a built-in name wins
        _METHODS.clear()
        _METHODS.update(ordered)
        _LOADED = True
    return dict(_METHODS)


def method_names() -> tuple[str, ...]:
    """The ``--method`` choices."""
    return tuple(methods())


def get_method(name: str) -> Method:
    """The method called ``name``, or a one-line error listing the choices."""
    known = methods()
    if name not in known:
        raise DeterrenceError(f"unknown method {name!r}; choose from {', '.join(known)}")
    return known[name]


def plot_result(result: Any, ax: Any = None, **kwargs: Any) -> Any:
    """Draw any method's result with its method's figure (the result names it in ``result.method``)."""
    return get_method(result.method).plot(result, ax=ax, **kwargs)
