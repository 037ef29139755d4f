"""Batched outcome evaluators: turn a parametric game into a ``Model.outcomes`` function.

A sweep asks a model for ``outcomes(points, concept)``: given one float array
of length :math:`B` per parameter it returns ``{column: array of length B}``
with a string ``outcome`` label and numeric measures (see
:mod:`deterrence.model`).  The two factories here build that function from a
game factory ``build(**values)`` whose no-argument call returns the
*parametric* game (sympy payoffs):

:func:`normal_form_outcomes`
    Payoffs are compiled once (:func:`deterrence.evaluate.compile_values`)
    and evaluated for the whole batch, then
    :func:`~deterrence.solvers.small_games.small_game_equilibria` lists every
    Nash equilibrium of each 2-player game (up to 4×4) in one vectorised pass
    (``concept="pure"``: :func:`~deterrence.solvers.pure.pure_equilibria_mask`,
    any number of players).  The outcome names the equilibrium set, e.g.
    ``"Swerve/Stand firm | Stand firm/Swerve | mixed"``: pure equilibria as
    ``row/column`` strategies in index order, then mixed ones (``mixed`` when
    both players mix over all their strategies, else ``mixed(a+b/c+d)`` with
    the supports).  Degenerate games are kept and flagged in ``degenerate``;
    there each connected component is listed by its extreme points, as the
    exact per-game solver lists it.
:func:`tree_outcomes`
    Terminal payoffs are compiled once and
    :func:`~deterrence.solvers.spe.spe_batch` runs backward induction at all
    points.  The outcome is the terminal reached on the equilibrium path (its
    label, or the action path); ``tie`` flags points where some mover is
    indifferent, so the subgame-perfect equilibrium is not unique there.

The returned objects are picklable (process pools and Dask ship them to
workers); the compiled payoff function is rebuilt lazily in each process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from deterrence.analysis.batch import Columns, LabelArray, _Compiled, _select
from deterrence.errors import DeterrenceError

__all__ = [
    "normal_form_outcomes",
    "tree_outcomes",
    "NormalFormOutcomes",
    "TreeOutcomes",
    "SELECTIONS",
    "LabelArray",
]

#: How a measure picks among several equilibria at one point.
SELECTIONS = ("mean", "min", "max", "first", "last", "unique")
_SUPPORT_EPS = 1e-12


class NormalFormOutcomes(_Compiled):
    """``outcomes(points, concept)`` of a parametric normal form (:func:`normal_form_outcomes`)."""

    leading_columns = ("n_equilibria", "degenerate")

    def __init__(
        self,
        build: Callable[..., Any],
        measures: Mapping[str, tuple] | None = None,
        selection: str = "mean",
    ) -> None:
        if selection not in SELECTIONS:
            raise DeterrenceError(f"unknown selection {selection!r}; choose from {', '.join(SELECTIONS)}")
        super().__init__(build, measures)
        self.selection = selection

    def _compile(self, game: Any) -> Any:
        from deterrence.forms.evaluate import compile_values
        from deterrence.forms.normal_form import NormalFormGame

        if not isinstance(game, NormalFormGame):
            raise DeterrenceError(f"normal_form_outcomes needs a NormalFormGame, got {type(game).__name__}")
        names = tuple(game.parameters)
        values = np.asarray(game.payoffs, dtype=object)
        function = compile_values(values, names) if names else None
        specs = []
        for name, spec in self.measures.items():
            if not spec:
                raise DeterrenceError(f"measure {name!r}: empty specification")
            player = game.player_index(spec[0])
            rest, how = list(spec[1:]), self.selection
            if rest and rest[-1] in SELECTIONS and not (len(rest) == 1 and rest[0] in game.strategies[player]):
                how = rest.pop()
            if len(rest) > 1:
                raise DeterrenceError(
                    f"measure {name!r}: expected (player, strategy[, selection]) or (player[, selection]), got {spec!r}"
                )
            if rest:
                specs.append((name, "prob", player, game.strategy_index(player, rest[0]), how))
            else:
                specs.append((name, "payoff", player, -1, how))
        return game, names, values, function, specs

    def __call__(self, points: Mapping[str, np.ndarray], concept: str = "nash") -> dict[str, np.ndarray]:
        """Evaluate the outcome columns at a batch of points."""
        game, names, values, function, specs = self._state()
        payoffs = self._payoffs(values, points, names, function)
        if concept == "nash":
            if game.n_players != 2:
                raise DeterrenceError(f"concept 'nash' in sweeps needs 2 players, the game has {game.n_players}")
            from deterrence.solvers.small_games import small_game_equilibria

            eq = small_game_equilibria(payoffs[..., 0], payoffs[..., 1])
            fallbacks: int | None = int(getattr(eq, "fallbacks", 0))
            profiles = [eq.x, eq.y]
            valid, degenerate = eq.valid, eq.degenerate
            payoff_values = [eq.row_payoff, eq.column_payoff]
        elif concept == "pure":
            profiles, valid, degenerate, payoff_values = _pure_profiles(payoffs)
            fallbacks = None
        else:
            raise DeterrenceError(f"normal-form outcomes support concepts nash and pure, not {concept!r}")
        out = Columns(
            {
                "outcome": _labels(game, profiles, valid),
                "n_equilibria": valid.sum(axis=1).astype(np.int64),
                "degenerate": np.asarray(degenerate),
            },
            exact_fallbacks=fallbacks,
        )
        for name, kind, player, strategy, how in specs:
            source = profiles[player][..., strategy] if kind == "prob" else payoff_values[player]
            out[name] = _select(np.nan_to_num(source), valid, how)
        return out


def _pure_profiles(
    payoffs: np.ndarray,
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, list[np.ndarray]]:
    """Pure equilibria as padded one-hot profiles ``(B, K, n_i)``, ``K`` = number of cells."""
    from deterrence.solvers.pure import pure_equilibria_mask

    size, shape = payoffs.shape[0], payoffs.shape[1:-1]
    mask = pure_equilibria_mask(payoffs)
    strict = pure_equilibria_mask(payoffs, strict=True)
    cells = np.array(list(np.ndindex(*shape)), dtype=np.intp)  # (K, N) in lexicographic order
    valid = mask.reshape(size, -1)
    profiles = [np.broadcast_to(np.eye(n)[cells[:, i]], (size, len(cells), n)) for i, n in enumerate(shape)]
    flat = payoffs.reshape(size, len(cells), -1)
    return (
        profiles,
        valid,
        (mask != strict).reshape(size, -1).any(axis=1),
        [flat[..., i] for i in range(len(shape))],
    )


def _labels(game: Any, profiles: list[np.ndarray], valid: np.ndarray) -> np.ndarray:
    """One label per point naming its equilibrium set; vectorised through integer keys."""
    shape = tuple(p.shape[-1] for p in profiles)
    cells = int(np.prod(shape))
    # Loops run over the few strategies, never over points.  Arithmetic is in float64 (exact for
    # these small integers) because integer multiplication is slow in numpy on some CPUs.
    pure = np.ones(valid.shape, dtype=bool)
    cell = np.zeros(valid.shape)
    bits = np.zeros(valid.shape)
    offset = 0
    for p, n in zip(profiles, shape, strict=True):
        count = np.zeros(valid.shape)
        index = np.zeros(valid.shape)
        for k in range(n):
            used = p[..., k] > _SUPPORT_EPS  # NaN (an empty slot) compares False
            count += used
            index += np.where(used, float(k), 0.0)
            bits += np.where(used, float(1 << (offset + k)), 0.0)
        pure &= count == 1
        cell = cell * n + index
        offset += n
    # Rank: a pure equilibrium by its cell number, a mixed one after all cells by its supports.
    rank = np.where(pure, cell, cells + bits)
    empty = cells + (1 << sum(shape))  # sorts after every real equilibrium
    rank = np.sort(np.where(valid, rank, float(empty)), axis=1)
    inverse, keys = _unique_rows(rank, empty)
    return LabelArray([_describe(game, row, shape, cells) for row in keys], inverse)


def _unique_rows(rows: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
    """``(inverse, unique rows)`` of a matrix of integers in ``[0, top]`` (held as floats).

    ``numpy.unique(axis=0)`` sorts structured records, which is slow for a
    million rows.  Each row is packed in base ``top + 1`` into as few float64
    keys as keep the packing exact (below 2**53), and the keys are sorted.
    """
    size, width = rows.shape
    base = float(top + 1)
    per = max(1, int(53 // np.log2(base)))
    keys = np.zeros((size, -(-width // per)))
    for j in range(width):
        keys[:, j // per] = keys[:, j // per] * base + rows[:, j]
    if keys.shape[1] == 1:
        _, first, inverse = np.unique(keys[:, 0], return_index=True, return_inverse=True)
        return inverse.reshape(-1), rows[first].astype(np.int64)
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    inverse = np.empty(size, dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return inverse, rows[order[new]].astype(np.int64)


def _describe(game: Any, row: np.ndarray, shape: tuple[int, ...], cells: int) -> str:
    parts = []
    for rank in row:
        if rank >= cells + (1 << sum(shape)):  # an empty slot
            continue
        if rank < cells:
            index = np.unravel_index(int(rank), shape)
            parts.append("/".join(game.strategies[i][k] for i, k in enumerate(index)))
            continue
        bits, offset, sides = int(rank - cells), 0, []
        for i, n in enumerate(shape):
            sides.append([game.strategies[i][k] for k in range(n) if bits >> (offset + k) & 1])
            offset += n
        full = all(len(side) == n for side, n in zip(sides, shape, strict=True))
        parts.append("mixed" if full else "mixed(" + "/".join("+".join(s) for s in sides) + ")")
    return " | ".join(parts) if parts else "none"


def normal_form_outcomes(
    build: Callable[..., Any], measures: Mapping[str, tuple] | None = None, selection: str = "mean"
) -> NormalFormOutcomes:
    """Batched ``outcomes`` for a parametric 2-player normal-form game.

    Parameters
    ----------
    build : callable
        ``build()`` returns the parametric :class:`~deterrence.NormalFormGame`.
    measures : mapping, optional
        ``{column: (player, strategy)}``: the probability that ``player``
        plays ``strategy``; ``{column: (player,)}``: the player's expected
        payoff.  A selection name may be appended to a tuple to override
        ``selection`` for that measure.
    selection : str
        How a measure picks among several equilibria at one point:
        ``"mean"`` (average over the listed equilibria, each weighted
        equally), ``"min"``, ``"max"``, ``"first"`` (the first listed: a pure
        equilibrium when there is one), ``"last"`` (the one with the largest
        supports, e.g. the mixed equilibrium of Chicken) or ``"unique"``
        (NaN unless the equilibrium is unique).

    Returns
    -------
    NormalFormOutcomes
        Callable ``(points, concept) -> {"outcome", "n_equilibria",
        "degenerate", *measures}``; concepts ``"nash"`` and ``"pure"``.

    Examples
    --------
    Chicken (Snyder & Diesing 1977): with a crash cost above the face loss it
    has two pure equilibria and a mixed one standing firm with probability
    ``win / (win + crash_cost - face_loss)``; below, standing firm dominates.

    >>> from games.classic import chicken
    >>> f = normal_form_outcomes(chicken, {"p_firm": ("Row", "Stand firm", "last")})
    >>> out = f({"win": np.array([1.0, 1.0]), "face_loss": np.array([1.0, 1.0]),
    ...          "crash_cost": np.array([10.0, 0.5])}, "nash")
    >>> out["outcome"].tolist()
    ['Swerve/Stand firm | Stand firm/Swerve | mixed', 'Stand firm/Stand firm']
    >>> [round(float(v), 6) for v in out["p_firm"]]
    [0.1, 1.0]
    """
    return NormalFormOutcomes(build, measures, selection)


class TreeOutcomes(_Compiled):
    """``outcomes(points, concept)`` of a parametric tree; see :func:`tree_outcomes`."""

    leading_columns = ("tie",)

    def __init__(
        self,
        build: Callable[..., Any],
        measures: Mapping[str, tuple] | None = None,
        label: str = "auto",
    ) -> None:
        if label not in ("auto", "terminal", "path"):
            raise DeterrenceError(f"label must be auto, terminal or path, not {label!r}")
        super().__init__(build, measures)
        self.label = label

    def _compile(self, game: Any) -> Any:
        from deterrence.forms.compiled_tree import compile_tree

        values, names, function = self._tree_values(game, "tree_outcomes")
        tree = compile_tree(game)
        terminals = game.terminals()
        labels = [t.label for t, _ in terminals]
        use_terminal = self.label == "terminal" or (
            self.label == "auto" and all(labels) and len(set(labels)) == len(labels)
        )
        if self.label == "terminal" and not (all(labels) and len(set(labels)) == len(labels)):
            raise DeterrenceError("label='terminal' needs distinct, non-empty terminal labels")
        nodes: list[Any] = [game.node_at(p) for p in tree.decision_paths]
        column = {(node.player, node.infoset): j for j, node in enumerate(nodes)}
        specs = []
        for name, spec in self.measures.items():
            if len(spec) == 1:
                if spec[0] not in game.players:
                    raise DeterrenceError(
                        f"measure {name!r}: unknown player {spec[0]!r}; players are {list(game.players)}"
                    )
                specs.append((name, "value", game.players.index(spec[0]), -1))
                continue
            if len(spec) != 3:
                raise DeterrenceError(
                    f"measure {name!r}: expected (player, infoset, action) or (player,), got {spec!r}"
                )
            player, infoset, action = spec
            actions = game.actions(player, infoset)  # raises GameError for an unknown information set
            if action not in actions:
                raise DeterrenceError(
                    f"measure {name!r}: {player} has no action {action!r} at {infoset!r}; choose from {list(actions)}"
                )
            specs.append((name, "choice", column[(player, infoset)], actions.index(action)))
        return (
            game,
            names,
            values,
            function,
            (tree, _node_labels(tree, labels if use_terminal else None), specs),
        )

    def __call__(self, points: Mapping[str, np.ndarray], concept: str = "spe") -> dict[str, np.ndarray]:
        """Evaluate the outcome columns at a batch of points."""
        from deterrence.solvers.spe_batch import spe_batch

        if concept != "spe":
            raise DeterrenceError(f"tree outcomes support concept spe, not {concept!r}")
        game, names, values, function, (tree, node_labels, specs) = self._state()
        batch = spe_batch(tree, self._payoffs(values, points, names, function))
        outcome = LabelArray(node_labels, batch.path_end)  # a table lookup, no per-point Python
        out = {"outcome": outcome, "tie": batch.has_tie.copy()}
        for name, kind, index, action in specs:
            if kind == "value":
                out[name] = batch.values[:, index].copy()
            else:
                out[name] = (batch.choices[:, index] == action).astype(np.float64)
        return out


def _node_labels(tree: Any, terminal_labels: list[str] | None) -> np.ndarray:
    """Label of the play ending at each node: the terminal's own label, else the action path.

    Paths follow :func:`deterrence.solvers.spe.path_labels`: actions joined
    by ``/``, and ``(chance)`` appended where a chance node ends the
    deterministic part of the path.
    """
    table = []
    for i, path in enumerate(tree.node_paths):
        if terminal_labels is not None and tree.terminal_index[i] >= 0:
            table.append(terminal_labels[tree.terminal_index[i]])
            continue
        text = "/".join(path)
        if tree.kind[i] == 2:  # chance
            text = f"{text}/(chance)" if text else "(chance)"
        table.append(text)
    return np.array(table, dtype=str)


def tree_outcomes(
    build: Callable[..., Any], measures: Mapping[str, tuple] | None = None, label: str = "auto"
) -> TreeOutcomes:
    """Batched ``outcomes`` for a parametric perfect-information game tree (concept ``spe``).

    Parameters
    ----------
    build : callable
        ``build()`` returns the parametric :class:`~deterrence.ExtensiveFormGame`.
        Chance probabilities must be numbers (parameters may enter payoffs).
    measures : mapping, optional
        ``{column: (player, infoset, action)}``: 1.0 where the
        subgame-perfect strategy takes ``action`` at that information set
        (on or off the path; on a tie the first best action, flagged in
        ``tie``), else 0.0.  ``{column: (player,)}``: the player's equilibrium
        payoff.
    label : {"auto", "terminal", "path"}
        Outcome labels: the reached terminal's label (``auto`` does this when
        all terminal labels are distinct and non-empty) or the action path.

    Returns
    -------
    TreeOutcomes
        Callable ``(points, "spe") -> {"outcome", "tie", *measures}``.

    Examples
    --------
    The Generic Deterrence Game (Zagare & Kilgour 2000): a credible, capable
    threat gives the status quo; an incredible one (``d_dc > d_dd``) gives DC.

    >>> from games.zagare_kilgour import generic_deterrence_game as gdg
    >>> f = tree_outcomes(gdg, {"deny": ("Defender", "response", "Deny")})
    >>> base = {"c_sq": [2.0, 2.0], "c_dc": [3.0, 3.0], "c_dd": [1.0, 1.0], "d_sq": [3.0, 3.0],
    ...         "d_dc": [1.0, 1.0], "d_dd": [2.0, 0.5]}
    >>> out = f({k: np.array(v) for k, v in base.items()}, "spe")
    >>> out["outcome"].tolist(), out["deny"].tolist()
    (['SQ', 'DC'], [1.0, 0.0])
    """
    return TreeOutcomes(build, measures, label)
