"""Batched agent-QRE outcomes of a parametric tree: smooth choice and escalation probabilities for sweeps.

:func:`qre_outcomes` is the logit counterpart of
:func:`deterrence.analysis.outcomes.tree_outcomes`: terminal payoffs are
compiled once, and :func:`deterrence.solvers.qre_batch.agent_qre_batch`
computes the agent logit QRE at every point.  Where backward induction jumps
from one outcome to another at a threshold, these probabilities change
smoothly, at a rate set by ``lambda`` (Signorino 1999).

The callable returns ``outcome`` (the most probable terminal: its label, or
its action path), ``residual`` (the logit residual) and one column per
measure.  Where the solver did not converge (residual above 1e-9 or NaN;
only possible in trees with information sets) the outcome is ``"not
converged"`` and the measures are NaN.  Measures:

``(player, infoset, action)``
    the probability that the agent at that information set takes ``action``;
``(player,)``
    the player's expected payoff;
``("outcome", terminal, ...)``
    the probability that play ends at any of the named terminals (labels or
    action paths joined by ``/``), e.g. every escalation outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from deterrence.analysis.batch import LabelArray, _Compiled
from deterrence.errors import DeterrenceError

__all__ = ["QREOutcomes", "qre_outcomes"]


class QREOutcomes(_Compiled):
    """``outcomes(points, concept="qre")`` of a parametric tree; see :func:`qre_outcomes`."""

    leading_columns = ("residual",)

    def __init__(
        self, build: Callable[..., Any], measures: Mapping[str, tuple] | None = None, lam: float | str = 1.0
    ) -> None:
        if isinstance(lam, str):
            self.lam: float | str = lam
        else:
            value = float(lam)
            if not np.isfinite(value) or value < 0:
                raise DeterrenceError(f"lambda must be a finite number >= 0, got {lam}")
            self.lam = value
        super().__init__(build, measures)

    def _compile(self, game: Any) -> Any:
        from deterrence.solvers.qre_agent import agent_tree

        values, names, function = self._tree_values(game, "qre_outcomes")
        tree = agent_tree(game)
        if not names:
            values = np.asarray(values, dtype=np.float64)
        paths = ["/".join(p) for _, p in game.terminals()]
        specs: list[tuple[str, str, Any]] = []
        for name, spec in self.measures.items():
            if len(spec) >= 2 and spec[0] == "outcome" and "outcome" not in game.players:
                wanted = []
                for item in spec[1:]:
                    hits = [
                        t for t, (label, path) in enumerate(zip(tree.terminal_labels, paths)) if item in (label, path)
                    ]
                    if not hits:
                        raise DeterrenceError(f"measure {name!r}: no terminal labelled {item!r}")
                    wanted += hits
                specs.append((name, "reach", np.array(sorted(set(wanted)), dtype=np.intp)))
            elif len(spec) == 1:
                if spec[0] not in game.players:
                    raise DeterrenceError(
                        f"measure {name!r}: unknown player {spec[0]!r}; players are {list(game.players)}"
                    )
                specs.append((name, "value", game.players.index(spec[0])))
            elif len(spec) == 3:
                player, infoset, action = spec
                actions = game.actions(player, infoset)  # GameError for an unknown information set
                if action not in actions:
                    raise DeterrenceError(f"measure {name!r}: {player} has no action {action!r} at {infoset!r}")
                block = tree.blocks.index((player, infoset))
                specs.append((name, "choice", tree.block_start[block] + actions.index(action)))
            else:
                raise DeterrenceError(
                    f"measure {name!r}: expected (player, infoset, action), (player,) or ('outcome', terminal, ...)"
                )
        return game, names, values, function, (tree, specs)

    def __call__(self, points: Mapping[str, np.ndarray], concept: str = "qre") -> dict[str, np.ndarray]:
        """Evaluate the outcome columns at a batch of points."""
        from deterrence.solvers.qre_batch import agent_qre_batch

        if concept != "qre":
            raise DeterrenceError(f"QRE outcomes support concept qre, not {concept!r}")
        game, names, values, function, (tree, specs) = self._state()
        payoffs = np.asarray(self._payoffs(values, points, names, function), dtype=np.float64)
        if isinstance(self.lam, str):
            if self.lam not in points:
                raise DeterrenceError(f"no values for lambda column {self.lam!r}")
            lam: Any = np.asarray(points[self.lam], dtype=np.float64)
        else:
            lam = self.lam
        batch = agent_qre_batch(tree, payoffs, lam)
        ok = batch.converged
        codes = np.where(ok, np.argmax(np.nan_to_num(batch.reach), axis=1), len(tree.terminal_labels))
        out: dict[str, np.ndarray] = {
            "outcome": LabelArray((*tree.terminal_labels, "not converged"), codes),
            "residual": batch.residual,
        }
        for name, kind, where in specs:
            if kind == "reach":
                value = batch.reach[:, where].sum(axis=1)
            elif kind == "value":
                value = batch.values[:, where]
            else:
                value = batch.sigma[:, where]
            out[name] = np.where(ok, value, np.nan)
        return out


def qre_outcomes(
    build: Callable[..., Any], measures: Mapping[str, tuple] | None = None, lam: float | str = 1.0
) -> QREOutcomes:
    """Batched agent logit QRE ``outcomes`` for a parametric game tree (concept ``qre``).

    Parameters
    ----------
    build : callable
        ``build()`` returns the parametric :class:`~deterrence.ExtensiveFormGame`
        (numeric chance probabilities).
    measures : mapping, optional
        See the module docstring.
    lam : float or str
        The logit precision (payoff units), or the name of a point column
        holding one value per point.

    Examples
    --------
    In the case study's continuation tree the probability that the second
    mover escalates after a calibrated strike rises smoothly with its value of escalating,
    where backward induction jumps from 0 to 1 at one threshold:

    >>> from games.iran_pakistan.forms import sequential_game
    >>> from games.iran_pakistan.parameters import PARAMETERS
    >>> f = qre_outcomes(sequential_game, {"escalate": ("Iran", "after calibrated", "escalate"),
    ...     "war": ("outcome", "calibrated/escalate/counter", "direct/escalate/counter")}, lam=2.0)
    >>> points = {p.name: np.full(4, float(p.default)) for p in PARAMETERS}
    >>> points["escalation_value_ct"] = np.array([0.0, 2.0, 4.0, 6.0])
    >>> out = f(points)
    >>> [round(float(v), 3) for v in out["escalate"]], out["outcome"].tolist()[-1]
    ([0.0, 0.004, 0.195, 0.93], 'absorb')
    """
    return QREOutcomes(build, measures, lam)
