"""Model parameters with provenance, validated points and scenario files.

A :class:`Parameter` carries what a reader needs to trust a number: a name
(the keyword argument of the model factory), a default, bounds, a unit or
scale, a one-line meaning, the claim IDs it serves and a source note.  A
:class:`ParameterSet` turns user input -- Python keyword arguments, ``--set
name=value`` strings and TOML scenario files -- into validated points.

Scenario files hold values only, never code::

    [scenario]
    name = "strong China mediation"
    description = "Beijing leans on Tehran and offers face-saving cover."

    [parameters]
    china_mediation = 0.8

Numbers in scenarios and on the command line are plain numbers (``0.25``,
``1/3``); a formula or a name where a number is expected is an error.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from deterrence.errors import FormulaError, ParameterError
from deterrence.formula import parse_number
from deterrence.numbers import MAX_DIGITS, too_many_digits

__all__ = ["Parameter", "ParameterSet", "Scenario"]

Number = Fraction | float


def _as_number(value: Any, name: str) -> Number:
    if isinstance(value, bool):
        raise ParameterError(f"parameter {name!r}: expected a number, got a boolean")
    if isinstance(value, numbers.Rational):  # int, Fraction and numpy integers stay exact
        number = Fraction(int(value.numerator), int(value.denominator))
        if too_many_digits(number):
            raise ParameterError(f"parameter {name!r}: a number with more than {MAX_DIGITS} digits is not accepted")
        return number
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParameterError(f"parameter {name!r}: expected a finite number, got {value}")
        return float(value)  # a plain float, also for numpy.float64
    if isinstance(value, str):
        try:
            return parse_number(value)
        except FormulaError:
            raise ParameterError(
                f"parameter {name!r}: expected a number, got {value!r} (formulas are not allowed here)"
            ) from None
    if getattr(value, "is_Rational", False):  # a sympy Rational
        return Fraction(int(value.p), int(value.q))
    if hasattr(value, "__float__") and not hasattr(value, "free_symbols"):
        as_float = float(value)  # e.g. numpy.float32
        if not math.isfinite(as_float):
            raise ParameterError(f"parameter {name!r}: expected a finite number, got {value}")
        return as_float
    raise ParameterError(f"parameter {name!r}: expected a number, got {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One named model parameter.

    Parameters
    ----------
    name : str
        Identifier used in formulas, ``--set`` and scenario files.
    default : number
        Baseline value.
    low, high : number
        Inclusive bounds.
    unit : str
        Unit or scale, e.g. ``"payoff units"`` or ``"probability"``.
    meaning : str
        One line saying what the parameter measures.
    claims : tuple of str
        IDs of the claims it serves (e.g. ``("C4",)``).
    source : str
        Provenance: a fact (F1-F4), a claim, a citation, or "calibration
        choice" with its reason.

    Examples
    --------
    >>> p = Parameter("crash_cost", 10, 0, 100, "payoff units", "cost of a collision")
    >>> print(p.validate("12.5"))
    25/2
    """

    name: str
    default: Number
    low: Number
    high: Number
    unit: str = ""
    meaning: str = ""
    claims: tuple[str, ...] = ()
    source: str = ""
    symbol_name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name.startswith("_"):
            raise ParameterError(f"parameter name {self.name!r} is not a valid identifier")
        for attr in ("default", "low", "high"):
            object.__setattr__(self, attr, _as_number(getattr(self, attr), self.name))
        if not self.low <= self.default <= self.high:
            raise ParameterError(
                f"parameter {self.name!r}: default {self.default} is outside [{self.low}, {self.high}]"
            )
        object.__setattr__(self, "claims", tuple(self.claims))

    @property
    def symbol(self) -> Any:
        """The sympy symbol (real) for this parameter."""
        import sympy

        return sympy.Symbol(self.name, real=True)

    def validate(self, value: Any) -> Number:
        """Return ``value`` as a number, raising :class:`ParameterError` if it is out of bounds."""
        number = _as_number(value, self.name)
        if not self.low <= number <= self.high:
            raise ParameterError(
                f"parameter {self.name!r} = {value} is outside its range [{_fmt(self.low)}, {_fmt(self.high)}]"
            )
        return number

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (the schema of ``deterrence show --format json``)."""
        return {
            "name": self.name,
            "default": float(self.default),
            "low": float(self.low),
            "high": float(self.high),
            "unit": self.unit,
            "meaning": self.meaning,
            "claims": list(self.claims),
            "source": self.source,
        }


def _fmt(value: Number) -> str:
    return str(value) if isinstance(value, Fraction) else f"{value:g}"


@dataclass(frozen=True, slots=True)
class Scenario:
    """Values read from a scenario file, with its name and description."""

    name: str
    description: str
    values: dict[str, Number]
    path: str = ""


class ParameterSet:
    """An ordered, validated collection of :class:`Parameter`.

    Examples
    --------
    >>> ps = ParameterSet([Parameter("a", 1, 0, 2), Parameter("b", 0.5, 0, 1)])
    >>> point = ps.point(b=0.25)
    >>> print(point["a"], point["b"])
    1 0.25
    >>> ps.point(c=1)
    Traceback (most recent call last):
    ...
    deterrence.errors.ParameterError: unknown parameter 'c'; known parameters: a, b
    """

    __slots__ = ("_parameters",)

    def __init__(self, parameters: Iterable[Parameter]) -> None:
        params = {}
        for p in parameters:
            if p.name in params:
                raise ParameterError(f"parameter {p.name!r} is defined twice")
            params[p.name] = p
        self._parameters = params

    # -- container protocol -------------------------------------------------
    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._parameters.values())

    def __len__(self) -> int:
        return len(self._parameters)

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise ParameterError(self._unknown_message(name)) from None

    def _unknown_message(self, name: str) -> str:
        import difflib

        close = difflib.get_close_matches(name, self.names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown parameter {name!r}{hint}; known parameters: {', '.join(self.names)}"

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names in definition order."""
        return tuple(self._parameters)

    def defaults(self) -> dict[str, Number]:
        """The baseline point."""
        return {p.name: p.default for p in self}

    def bounds(self, names: Sequence[str] | None = None) -> dict[str, tuple[float, float]]:
        """``{name: (low, high)}`` as floats, for the named parameters (all by default)."""
        names = self.names if names is None else names
        return {n: (float(self[n].low), float(self[n].high)) for n in names}

    def with_defaults(self, values: Mapping[str, Any]) -> ParameterSet:
        """A copy whose defaults are replaced by validated ``values`` (e.g. a scenario)."""
        checked = self.validate(values)
        return ParameterSet(replace(p, default=checked.get(p.name, p.default)) for p in self)

    # -- validation ---------------------------------------------------------
    def validate(self, values: Mapping[str, Any]) -> dict[str, Number]:
        """Validate a partial assignment: names must exist and values lie in bounds."""
        return {name: self[name].validate(value) for name, value in values.items()}

    def point(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> dict[str, Number]:
        """A full validated point: defaults overridden by ``values`` and keyword arguments."""
        return {**self.defaults(), **self.validate({**(values or {}), **kwargs})}

    def parse_assignments(self, assignments: Iterable[str]) -> dict[str, Number]:
        """Parse ``["name=value", ...]`` (the CLI's ``--set``) into validated values.

        Examples
        --------
        >>> ps = ParameterSet([Parameter("a", 1, 0, 2)])
        >>> print(ps.parse_assignments(["a=3/2"])["a"])
        3/2
        """
        values: dict[str, Number] = {}
        for text in assignments:
            name, sep, value = str(text).partition("=")
            name, value = name.strip(), value.strip()
            if not sep or not name or not value:
                raise ParameterError(f"--set expects NAME=VALUE, got {text!r}")
            values[name] = self[name].validate(value)
        return values

    def load_scenario(self, path: str | Path) -> Scenario:
        """Read a TOML scenario file and validate its values against this set.

        Raises
        ------
        ParameterError
            If the file is missing or malformed (numbers of more than
            :data:`~deterrence.numbers.MAX_DIGITS` digits and values nested
            thousands deep included), names an unknown parameter, holds a
            non-number, or a value is out of bounds.
        """
        import tomllib

        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ParameterError(f"scenario file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ParameterError(f"cannot read scenario file {path}: {error}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ParameterError(" ".join(f"malformed TOML in {path}: {error}".split())) from None
        except ValueError:  # an integer beyond Python's 4300-digit conversion limit
            raise ParameterError(
                f"{path}: a number has more than {MAX_DIGITS} digits, which scenario files do not accept"
            ) from None
        except RecursionError:  # arrays or inline tables nested thousands deep
            raise ParameterError(f"{path}: values are nested too deeply; parameters are plain numbers") from None
        unknown_tables = set(data) - {"scenario", "parameters"}
        if unknown_tables:
            raise ParameterError(
                f"{path}: unexpected table(s) {sorted(unknown_tables)}; use [scenario] and [parameters]"
            )
        meta = data.get("scenario", {})
        values = data.get("parameters", {})
        if not isinstance(meta, dict) or not isinstance(values, dict):
            raise ParameterError(f"{path}: [scenario] and [parameters] must be tables")
        for name, value in values.items():
            if isinstance(value, (dict, list)):
                raise ParameterError(f"{path}: parameter {name!r} must be a number, got a {type(value).__name__}")
        try:
            checked = self.validate(values)
        except ParameterError as error:
            raise ParameterError(f"{path}: {error}") from None
        return Scenario(
            name=str(meta.get("name", path.stem)),
            description=str(meta.get("description", "")),
            values=checked,
            path=str(path),
        )

    def to_list(self) -> list[dict[str, Any]]:
        """JSON-ready list of parameter descriptions."""
        return [p.to_dict() for p in self]

    def __repr__(self) -> str:
        return f"<ParameterSet {', '.join(self.names)}>"
