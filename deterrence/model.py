"""A parametric model: a game factory, its parameters and its batched outcomes.

The engine (sweeps, sensitivity, thresholds, the report) works with any
:class:`Model`; packages of models register concrete ones by slug in
:mod:`deterrence.library`.  A model bundles

* ``parameters`` -- a :class:`~deterrence.parameters.ParameterSet`;
* ``build(**params)`` -- the game factory, one keyword per parameter name
  (the one convention every factory follows).  Called with no arguments it
  returns the *parametric* game (sympy payoffs in the parameters) when the
  model has parameters; :meth:`Model.game` calls it with every parameter
  and gets a numeric game;
* ``outcomes(points, concept)`` -- the batched evaluator sweeps call: given
  one float array of length ``B`` per parameter name, it returns a mapping of
  column name to array of length ``B``: an ``"outcome"`` column of string
  labels (the equilibrium regime at each point) and numeric measures such as
  ``"p_escalate"``.  It must not loop over points in Python where the model
  can be vectorised.  An evaluator names its numeric columns in a
  ``columns`` attribute (as :func:`~deterrence.analysis.outcomes.normal_form_outcomes`
  and :func:`~deterrence.analysis.outcomes.tree_outcomes` do); the model's
  ``measures`` are read from it, never listed twice.

Examples
--------
>>> from deterrence.analysis.outcomes import normal_form_outcomes
>>> from deterrence.forms.normal_form import NormalFormGame
>>> from deterrence.parameters import Parameter, ParameterSet
>>> def dare(cost=None):
...     c = cost if cost is not None else PARAMETERS["cost"].symbol
...     return NormalFormGame(["A", "B"], [["yield", "dare"], ["yield", "dare"]],
...                           [[[0, 0], [-1, 1]], [[1, -1], [-c, -c]]])
>>> PARAMETERS = ParameterSet([Parameter("cost", 4, 0, 10)])
>>> model = Model("dare", "Dare", "nobody", dare, PARAMETERS,
...               outcomes=normal_form_outcomes(dare, {"p_dare": ("A", "dare")}))
>>> model.measures
('n_equilibria', 'degenerate', 'p_dare')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from deterrence.parameters import ParameterSet

__all__ = ["Model", "Outcomes"]

#: ``outcomes(points, concept) -> {column: array of length B}``
Outcomes = Callable[[Mapping[str, np.ndarray], str], dict[str, np.ndarray]]


@dataclass(frozen=True, eq=False)
class Model:
    """A named, citable, parametric game model.

    Attributes
    ----------
    slug : str
        Short identifier used on the command line (``chicken``).
    title : str
        Human-readable name.
    citation : str
        Source (author, year, page or figure) and the published result it reproduces.
    build : callable
        ``build(**values) -> NormalFormGame | ExtensiveFormGame``.
    parameters : ParameterSet
        The model's parameters (empty for fixed games).
    description : str
        A paragraph on what the game represents.
    outcomes : callable or None
        Batched evaluator for sweeps (see the module docstring).
    measures : tuple of str
        Names of the numeric columns ``outcomes`` returns; read from ``outcomes.columns``
        when not given.
    concepts : tuple of str
        Solution concepts the model supports; the first is the default.
    tags : tuple of str
        Keywords for listing.
    scenario_dir : str
        Directory of built-in scenario files, which ``--scenario NAME`` finds by stem.
    extras : mapping
        Optional hooks by name for tools that need more than the game (the engine never requires
        one).  ``"claims"``: ``claims(values) -> list`` of objects with ``claim``, ``status`` and
        ``summary`` attributes, the verdicts on the model's claims at a full parameter point (read
        by ``deterrence explore``).
    simplex : tuple of tuple of str
        Groups of parameters whose sum must stay at most 1 (for example two of three prior
        probabilities).  :meth:`game` refuses a point that breaks one, and sweeps and sensitivity
        designs sample inside them (:mod:`deterrence.sweeps.simplex`).
    """

    slug: str
    title: str
    citation: str
    build: Callable[..., Any]
    parameters: ParameterSet = field(default_factory=lambda: ParameterSet([]))
    description: str = ""
    outcomes: Outcomes | None = None
    measures: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ("nash",)
    tags: tuple[str, ...] = ()
    scenario_dir: str = ""
    extras: Mapping[str, Any] = field(default_factory=dict)
    simplex: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if not self.measures and self.outcomes is not None:
            object.__setattr__(self, "measures", tuple(getattr(self.outcomes, "columns", ())))
        if self.simplex:
            groups = tuple(tuple(g) for g in self.simplex)
            names = [n for g in groups for n in g]
            unknown = [n for n in names if n not in self.parameters]
            if unknown or len(set(names)) != len(names) or not all(groups):
                raise ValueError(f"model {self.slug!r}: bad simplex groups {groups} (unknown or repeated names)")
            object.__setattr__(self, "simplex", groups)

    def scenario_path(self, name: str) -> str:
        """A scenario file by path, or by stem among the model's built-in scenarios."""
        from pathlib import Path

        from deterrence.errors import ParameterError

        if Path(name).exists() or not self.scenario_dir:
            return name
        candidate = Path(self.scenario_dir) / f"{name}.toml"
        if candidate.exists():
            return str(candidate)
        known = ", ".join(sorted(p.stem for p in Path(self.scenario_dir).glob("*.toml")))
        raise ParameterError(f"scenario file not found: {name} (built-in scenarios: {known})")

    def game(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        """The numeric game at a validated point (defaults filled in)."""
        point = self.parameters.point(values, **kwargs)
        if self.simplex:
            from deterrence.sweeps.simplex import check_point

            check_point(point, self.simplex, f"model {self.slug!r}: the point")
        return self.build(**point)

    @property
    def solve_concepts(self) -> tuple[str, ...]:
        """The concepts ``deterrence solve`` accepts: the declared ones, and ``sequential`` with ``pbe``.

        Examples
        --------
        >>> m = Model("t", "T", "", lambda: None, concepts=("pbe",))
        >>> print(m.solve_concepts, m.supports("sequential"), m.supports("nash"))
        ('pbe', 'sequential') True False
        """
        return self.concepts + (("sequential",) if "pbe" in self.concepts and "sequential" not in self.concepts else ())

    def supports(self, concept: str) -> bool:
        """Whether ``concept`` is in :attr:`solve_concepts` (``sequential`` filters the PBE)."""
        return concept in self.solve_concepts

    def resolve_concept(self, concept: str | None = None) -> str:
        """``concept``, or the model's first when None; a concept the model lacks is a DeterrenceError."""
        concept = concept or self.concepts[0]
        if concept not in self.concepts:
            raise DeterrenceError(f"model {self.slug!r} supports concepts {list(self.concepts)}, not {concept!r}")
        return concept

    def evaluate(self, points: Mapping[str, Any], concept: str | None = None) -> dict[str, np.ndarray]:
        """Run the batched evaluator on ``points`` (missing parameters take their defaults)."""
        if self.outcomes is None:
            raise DeterrenceError(f"model {self.slug!r} has no batched outcomes to sweep")
        concept = self.resolve_concept(concept)
        arrays = {k: np.atleast_1d(np.asarray(v, dtype=np.float64)) for k, v in points.items()}
        unknown = [k for k in arrays if k not in self.parameters]
        if unknown:
            self.parameters[unknown[0]]  # raises ParameterError with a suggestion
        size = max((len(a) for a in arrays.values()), default=1)
        full = {p.name: arrays.get(p.name, np.full(size, float(p.default))) for p in self.parameters}
        return self.outcomes(full, concept)

    def __repr__(self) -> str:
        return f"<Model {self.slug!r}: {self.title}>"
