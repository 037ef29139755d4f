"""The pieces every batched outcome evaluator shares: labels with codes, selections, compilation.

:class:`LabelArray` carries a column of outcome labels with their integer codes (sweeps count and
encode regimes from the codes); :func:`_select` reduces a measure over several equilibria by a
selection rule; :class:`_Compiled` compiles a game factory lazily, once per process.  The
evaluators themselves are in :mod:`deterrence.analysis.outcomes`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError

__all__ = ["Columns", "LabelArray"]


class Columns(dict):
    """The columns an evaluator returns, with how many points its batched solver handed over.

    A plain ``{name: array}`` dict to every reader; ``exact_fallbacks`` (None: not counted) is
    the number of points the batched small-game solver solved again with the exact one.  Sweeps
    sum it into their sidecar.

    Examples
    --------
    >>> out = Columns({"outcome": np.array(["a"])}, exact_fallbacks=0)
    >>> print(list(out), out.exact_fallbacks)
    ['outcome'] 0
    """

    def __init__(self, *args: Any, exact_fallbacks: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exact_fallbacks = exact_fallbacks


class LabelArray(np.ndarray):
    """String labels that remember their integer codes into a small table of categories.

    It is an ordinary numpy string array (``outcome`` columns keep their
    contract); sweeps read ``codes`` and ``categories`` to count and encode
    regimes without comparing strings.  Slices, views and copies drop the
    codes (they may no longer match), and pickling ships codes and categories
    instead of the strings.

    Examples
    --------
    >>> labels = LabelArray(["absorb", "strike"], np.array([1, 0, 1]))
    >>> labels.tolist(), labels.codes.tolist()
    (['strike', 'absorb', 'strike'], [1, 0, 1])
    """

    codes: np.ndarray | None
    categories: np.ndarray | None

    def __new__(cls, categories: Any, codes: np.ndarray) -> LabelArray:
        table = np.asarray(categories, dtype=str)
        codes = np.asarray(codes, dtype=np.intp)
        # The strings are only as wide as the longest label in use (a long unused one would
        # make every row wider, and filling them is the cost of this class).
        used = table[np.bincount(codes, minlength=len(table)) > 0] if codes.size else table[:0]
        width = max(1, max((len(t) for t in used.tolist()), default=1))
        obj = table.astype(f"<U{width}")[codes].view(cls)
        obj.codes, obj.categories = codes, table
        return obj

    def __array_finalize__(self, obj: Any) -> None:
        self.codes = None
        self.categories = None

    def __reduce__(self) -> Any:
        if self.codes is None:
            return np.asarray(self).__reduce__()
        return (LabelArray, (self.categories, self.codes))


def _select(values: np.ndarray, valid: np.ndarray, how: str) -> np.ndarray:
    """Reduce ``values`` (B, K) over the valid slots by the selection rule ``how``."""
    count = valid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if how == "mean":
            out = np.where(valid, values, 0.0).sum(axis=1) / count
        elif how == "min":
            out = np.where(valid, values, np.inf).min(axis=1)
        elif how == "max":
            out = np.where(valid, values, -np.inf).max(axis=1)
        elif how in ("first", "last"):
            slot = valid.argmax(axis=1) if how == "first" else valid.shape[1] - 1 - valid[:, ::-1].argmax(axis=1)
            out = np.take_along_axis(values, slot[:, None], axis=1)[:, 0]
        else:  # unique
            out = np.where(count == 1, np.where(valid, values, 0.0).sum(axis=1), np.nan)
    return np.where(count > 0, out, np.nan)


class _Compiled:
    """Shared lazy compilation of a game factory; dropped when pickled.

    ``measures`` maps a column name to its specification (a tuple), kept as ``self.measures``.
    """

    #: The numeric columns that come before the measures' own (see :attr:`columns`).
    leading_columns: tuple[str, ...] = ()

    def __init__(self, build: Callable[..., Any], measures: Mapping[str, tuple] | None = None) -> None:
        self.build = build
        self.measures = {str(k): tuple(v) for k, v in (measures or {}).items()}
        self._cache: Any = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Names of the numeric columns, after ``outcome``."""
        return (*self.leading_columns, *self.measures)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = None
        return state

    def game(self) -> Any:
        return self._state()[0]

    def _state(self) -> Any:
        if self._cache is None:
            self._cache = self._compile(self.build())
        return self._cache

    @staticmethod
    def _tree_values(game: Any, caller: str) -> tuple[np.ndarray, tuple[str, ...], Any]:
        """Terminal payoffs of a tree (object array), their parameter names and their compiled function.

        ``caller`` names the function in the error raised when ``game`` is not a tree.
        """
        from deterrence.forms.evaluate import compile_values
        from deterrence.forms.extensive_form import ExtensiveFormGame

        if not isinstance(game, ExtensiveFormGame):
            raise DeterrenceError(f"{caller} needs an ExtensiveFormGame, got {type(game).__name__}")
        values = np.array([list(t.payoffs) for t, _ in game.terminals()], dtype=object)
        names = tuple(sorted({str(x) for v in values.flat for x in getattr(v, "free_symbols", ())}))
        return values, names, compile_values(values, names) if names else None

    def _payoffs(
        self,
        values: np.ndarray,
        points: Mapping[str, np.ndarray],
        names: tuple[str, ...],
        function: Any,
    ) -> np.ndarray:
        size = len(next(iter(points.values()))) if points else 1
        if not names:  # a game without parameters: the same payoffs at every point
            return np.broadcast_to(np.asarray(values, dtype=np.float64), (size,) + values.shape)
        missing = [n for n in names if n not in points]
        if missing:
            raise DeterrenceError(f"no values for parameter(s) {missing} of the game")
        return function(*(np.asarray(points[n], dtype=np.float64) for n in names))

    def _compile(self, game: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError
