"""The model library: named, citable game factories.

The engine finds these models through the ``deterrence.models`` entry point (see
:mod:`games.catalogue`) and looks them up in :mod:`deterrence.library`; the functions here are
that registry's, re-exported for convenience.  The engine never imports this package.

Examples
--------
>>> from games import get_model
>>> get_model("chicken").title
'Chicken with a crash cost'
"""

from __future__ import annotations

from deterrence.library import get_model, list_models, register_model, unregister_model

__all__ = ["get_model", "list_models", "register", "register_model", "unregister_model"]

#: The former name of :func:`deterrence.library.register_model`.
register = register_model
