"""Normal-form (strategic-form) games with N players.

A game with players :math:`i = 1..N`, finite strategy sets :math:`S_i` and
payoffs :math:`u_i(s_1, \\dots, s_N)` is stored as one array of shape
``(|S_1|, ..., |S_N|, N)``: the last axis indexes the player who receives the
payoff.  Payoffs come in three kinds:

``"exact"``
    every payoff is an ``int`` or :class:`~fractions.Fraction`; solvers then
    work in exact rational arithmetic and verify equilibria exactly;
``"float"``
    at least one payoff is a float; solvers use floating point and verify
    with a stated tolerance;
``"symbolic"``
    at least one payoff is a sympy expression of named parameters; such a
    game is evaluated at parameter values (:meth:`NormalFormGame.evaluate`,
    :func:`deterrence.evaluate.payoff_batch`) before it is solved.

Games are immutable values and are validated when built: labels must match
the shape, be non-empty and unique, and every payoff must be a number or an
expression.  A game has at most :data:`MAX_PLAYERS` players, because its
payoff array has one axis per player plus one and NumPy's iterators handle
at most 32 axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction  # noqa: F401  (used by the doctests)
from typing import Any

import numpy as np

from deterrence.errors import GameError
from deterrence.numbers import as_exact, is_exact_value

__all__ = ["MAX_PLAYERS", "NormalFormGame", "check_player_count", "payoff_kind"]

#: Most players a normal-form game can have: the payoff array has
#: ``n_players + 1`` axes, and NumPy 2's iterators (``np.ndenumerate``,
#: ``.flat``, ``np.nditer``) stop at 32 axes although arrays may have 64.
MAX_PLAYERS = 31


def check_player_count(n_players: int, what: str = "a normal-form game") -> None:
    """Raise :class:`GameError` when ``n_players`` is more than :data:`MAX_PLAYERS`.

    Called before any payoff array is built, by :class:`NormalFormGame` and by
    code that builds one (the reduced normal form of a tree).

    Examples
    --------
    >>> check_player_count(31)
    >>> check_player_count(40, "the reduced normal form")
    Traceback (most recent call last):
    ...
    deterrence.errors.GameError: the reduced normal form would have 40 players; at most 31 are supported ...
    """
    if n_players > MAX_PLAYERS:
        raise GameError(
            f"{what} would have {n_players} players; at most {MAX_PLAYERS} are supported "
            f"(one payoff-array axis per player, and NumPy handles 32)"
        )


def _is_symbolic(value: Any) -> bool:
    return hasattr(value, "free_symbols") and not getattr(value, "is_Number", False)


def _normalise_payoff(value: Any, where: str) -> Any:
    """Turn one payoff into a Fraction, a float or a sympy expression."""
    if isinstance(value, str):
        from deterrence.errors import FormulaError
        from deterrence.formula import parse_formula

        try:
            value = parse_formula(value)
        except FormulaError as error:  # say which payoff holds the bad formula
            raise GameError(f"payoff {where}: {error}") from None
    if isinstance(value, bool):
        raise GameError(f"payoff {where} is a boolean, not a number")
    if is_exact_value(value):
        return as_exact(value)
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            raise GameError(f"payoff {where} is not finite: {value}")
        return float(value)
    if getattr(value, "is_Rational", False):
        return as_exact(value)
    if getattr(value, "is_Float", False):
        return float(value)
    if _is_symbolic(value) and not value.free_symbols:
        # A constant such as sqrt(2) or exp(1): a float payoff, not a parameter.
        try:
            number = float(value)
        except TypeError:
            raise GameError(f"payoff {where} is not a real number: {value}") from None
        if not np.isfinite(number):
            raise GameError(f"payoff {where} is not finite: {value}")
        return number
    if _is_symbolic(value):
        return value
    raise GameError(f"payoff {where} is not a number or formula: {value!r}")


def payoff_kind(values: Any) -> str:
    """Return ``"exact"``, ``"float"`` or ``"symbolic"`` for normalised payoffs.

    Examples
    --------
    >>> payoff_kind([Fraction(1, 2), 3]), payoff_kind([0.5, 1])
    ('exact', 'float')
    """
    flat = list(np.asarray(values, dtype=object).flat)
    if any(_is_symbolic(v) for v in flat):
        return "symbolic"
    if all(is_exact_value(v) for v in flat):
        return "exact"
    return "float"


def _check_labels(labels: Sequence[str], count: int, what: str) -> tuple[str, ...]:
    labels = tuple(str(label) for label in labels)
    if len(labels) != count:
        raise GameError(f"{what}: expected {count} labels, got {len(labels)}")
    if any(label == "" for label in labels):
        raise GameError(f"{what}: labels must not be empty")
    if len(set(labels)) != len(labels):
        raise GameError(f"{what}: labels must be unique, got {list(labels)}")
    return labels


class NormalFormGame:
    """An N-player game in strategic form with labelled players and strategies.

    Parameters
    ----------
    players : sequence of str
        Player names, in axis order.
    strategies : sequence of sequence of str
        ``strategies[i]`` labels the strategies of player ``i``.
    payoffs : array_like
        Shape ``(len(strategies[0]), ..., len(strategies[N-1]), N)``.  Entries
        are ints, Fractions, floats, sympy expressions or formula strings
        (parsed by :func:`deterrence.formula.parse_formula`, never evaluated).
    title : str, optional
        A short description.

    Raises
    ------
    GameError
        If the shape does not match the labels, a label is missing or repeated,
        or a payoff is not a number or formula.

    Examples
    --------
    >>> pd = NormalFormGame(["Row", "Col"], [["C", "D"], ["C", "D"]],
    ...                     [[[3, 3], [0, 5]], [[5, 0], [1, 1]]], title="PD")
    >>> pd.shape, pd.kind
    ((2, 2), 'exact')
    >>> print(pd.payoff(("D", "C"), "Row"))
    5
    """

    __slots__ = ("_players", "_strategies", "_payoffs", "_kind", "_title")

    def __init__(
        self,
        players: Sequence[str],
        strategies: Sequence[Sequence[str]],
        payoffs: Any,
        title: str = "",
    ) -> None:
        players = _check_labels(players, len(players), "players")
        if len(players) < 1:
            raise GameError("a game needs at least one player")
        check_player_count(len(players))
        if len(strategies) != len(players):
            raise GameError(f"strategies: got labels for {len(strategies)} players, expected {len(players)}")
        strategies = tuple(_check_labels(s, len(s), f"strategies of {p}") for p, s in zip(players, strategies))
        if any(len(s) == 0 for s in strategies):
            raise GameError("every player needs at least one strategy")
        shape = tuple(len(s) for s in strategies) + (len(players),)
        raw = np.asarray(payoffs, dtype=object) if not isinstance(payoffs, np.ndarray) else payoffs
        if raw.shape != shape:
            raise GameError(f"payoffs have shape {raw.shape}, expected {shape} from the labels")
        normalised = np.empty(shape, dtype=object)
        for index, value in np.ndenumerate(raw):
            where = f"at {tuple(int(i) for i in index[:-1])} for player {players[index[-1]]}"
            normalised[index] = _normalise_payoff(value, where)
        kind = payoff_kind(normalised)
        if kind == "float":
            normalised = normalised.astype(np.float64)
        normalised.flags.writeable = False
        self._players = players
        self._strategies = tuple(tuple(s) for s in strategies)
        self._payoffs = normalised
        self._kind = kind
        self._title = str(title)

    # -- constructors -----------------------------------------------------
    @classmethod
    def from_bimatrix(
        cls,
        row_payoffs: Any,
        column_payoffs: Any,
        players: Sequence[str] = ("Row", "Column"),
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Build a two-player game from the row and column payoff matrices.

        Strategy labels default to ``r1, r2, ...`` and ``c1, c2, ...``.

        Examples
        --------
        >>> g = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> g.strategies
        (('r1', 'r2'), ('c1', 'c2'))
        """
        a = np.asarray(row_payoffs, dtype=object)
        b = np.asarray(column_payoffs, dtype=object)
        if a.ndim != 2 or a.shape != b.shape:
            raise GameError(f"bimatrix payoffs must be two matrices of one shape, got {a.shape} and {b.shape}")
        if strategies is None:
            strategies = (
                [f"r{i + 1}" for i in range(a.shape[0])],
                [f"c{j + 1}" for j in range(a.shape[1])],
            )
        return cls(players, strategies, np.stack([a, b], axis=-1), title=title)

    # -- properties -------------------------------------------------------
    @property
    def players(self) -> tuple[str, ...]:
        """Player names in axis order."""
        return self._players

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        """Strategy labels, one tuple per player."""
        return self._strategies

    @property
    def title(self) -> str:
        """A short description of the game."""
        return self._title

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self._players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return self._payoffs.shape[:-1]

    @property
    def kind(self) -> str:
        """``"exact"``, ``"float"`` or ``"symbolic"`` (see the module docstring)."""
        return self._kind

    @property
    def payoffs(self) -> np.ndarray:
        """Read-only payoff array of shape ``shape + (n_players,)``."""
        return self._payoffs

    @property
    def parameters(self) -> tuple[str, ...]:
        """Sorted names of the free parameters in symbolic payoffs (empty otherwise)."""
        if self._kind != "symbolic":
            return ()
        names: set[str] = set()
        for value in self._payoffs.flat:
            names.update(str(s) for s in getattr(value, "free_symbols", ()))
        return tuple(sorted(names))

    # -- access -----------------------------------------------------------
    def player_index(self, player: str | int) -> int:
        """Return the axis of a player given by name or index."""
        if isinstance(player, int):
            if not 0 <= player < self.n_players:
                raise GameError(f"no player number {player}")
            return player
        try:
            return self._players.index(player)
        except ValueError:
            raise GameError(f"unknown player {player!r}; players are {list(self._players)}") from None

    def strategy_index(self, player: str | int, strategy: str) -> int:
        """Return the index of a strategy label for a player."""
        i = self.player_index(player)
        try:
            return self._strategies[i].index(strategy)
        except ValueError:
            raise GameError(
                f"unknown strategy {strategy!r} for {self._players[i]}; choose from {list(self._strategies[i])}"
            ) from None

    def payoff(self, profile: Sequence[str], player: str | int) -> Any:
        """Payoff to ``player`` at a pure profile given by strategy labels."""
        index = tuple(self.strategy_index(i, s) for i, s in enumerate(profile))
        return self._payoffs[index + (self.player_index(player),)]

    def bimatrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the row and column payoff matrices of a two-player game."""
        if self.n_players != 2:
            raise GameError(f"bimatrix() needs a two-player game, this one has {self.n_players}")
        return self._payoffs[..., 0], self._payoffs[..., 1]

    def as_float(self) -> np.ndarray:
        """Payoffs as a float64 array (numeric games only)."""
        if self._kind == "symbolic":
            raise GameError(f"game has free parameters {list(self.parameters)}; evaluate it at values first")
        try:
            return np.asarray(self._payoffs, dtype=np.float64)
        except OverflowError:  # an exact payoff beyond about 1.8e308
            raise GameError(
                "a payoff is too large for floating point (beyond about 1.8e308); use an exact method"
            ) from None

    # -- transformations --------------------------------------------------
    def evaluate(self, values: Mapping[str, Any] | None = None, **kwargs: Any) -> NormalFormGame:
        """Substitute parameter values and return a numeric game.

        Exact values (ints, Fractions) keep the game exact; floats make it a
        float game.  Every free parameter must be given a value.

        Examples
        --------
        >>> import sympy
        >>> c = sympy.Symbol("crash")
        >>> g = NormalFormGame(["A", "B"], [["S", "F"], ["S", "F"]],
        ...                    [[[0, 0], [-1, 1]], [[1, -1], [-c, -c]]])
        >>> print(g.evaluate(crash=10).payoff(("F", "F"), "A"))
        -10
        """
        if self._kind != "symbolic":
            return self
        values = {**(values or {}), **kwargs}
        missing = [p for p in self.parameters if p not in values]
        if missing:
            raise GameError(f"no value given for parameter(s) {missing}")
        from deterrence.forms.evaluate import substitute

        new = np.empty(self._payoffs.shape, dtype=object)
        for index, expr in np.ndenumerate(self._payoffs):
            new[index] = substitute(expr, values)
        return NormalFormGame(self._players, self._strategies, new, title=self._title)

    def restrict(self, kept: Sequence[Sequence[int]]) -> NormalFormGame:
        """Return the subgame keeping only the given strategy indices of each player."""
        kept = [list(k) for k in kept]
        sub = self._payoffs[np.ix_(*kept, range(self.n_players))]
        labels = [[self._strategies[i][k] for k in ks] for i, ks in enumerate(kept)]
        return NormalFormGame(self._players, labels, sub, title=self._title)

    def __repr__(self) -> str:
        shape = "x".join(str(n) for n in self.shape)
        title = f" {self._title!r}" if self._title else ""
        return f"<NormalFormGame{title} {shape} {self._kind} players={list(self._players)}>"
