"""What the model factories of the library share: reading their keyword values.

Examples
--------
>>> from deterrence.parameters import Parameter, ParameterSet
>>> table = ParameterSet([Parameter("a", 1, 0, 5, "utility", "a payoff", (), "ours"),
...                       Parameter("n", 2, 1, 9, "count", "number of types", (), "ours")])
>>> v = factory_values(table, {"a": 3}, structural=("n",))
>>> print(v["a"], v["n"])
3 2
>>> print(factory_values(table, {})["a"])
a
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deterrence.parameters import ParameterSet

__all__ = ["factory_values"]


def factory_values(
    parameters: ParameterSet, values: Mapping[str, Any], structural: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Every parameter's value for a factory: a given value validated, a missing one symbolic.

    A name not in ``parameters`` raises the table's one-line error (with a suggestion).  A missing
    parameter named in ``structural`` (one that shapes the game, such as a number of types) takes
    its default instead of a symbol; a given value of None counts as missing.
    """
    unknown = set(values) - set(parameters.names)
    if unknown:
        parameters[sorted(unknown)[0]]  # raises with a suggestion
    out = {}
    for p in parameters:
        given = values.get(p.name)
        if given is not None:
            out[p.name] = p.validate(given)
        else:
            out[p.name] = p.default if p.name in structural else p.symbol
    return out
