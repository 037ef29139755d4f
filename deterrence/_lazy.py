"""Module attributes loaded on first use (PEP 562), shared by the packages that re-export heavy names."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(namespace: dict[str, Any], table: Mapping[str, str]) -> tuple[Callable, Callable]:
    """``(__getattr__, __dir__)`` for a module whose names in ``table`` (name -> module) load on first use.

    A loaded name is stored in ``namespace``, so later look-ups skip the hook.

    Examples
    --------
    >>> space = {"__name__": "demo"}
    >>> getattr_, dir_ = lazy_exports(space, {"sqrt": "math"})
    >>> print(getattr_("sqrt")(9.0), "sqrt" in space, "sqrt" in dir_())
    3.0 True True
    """

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
