"""The result of a bimatrix-game enumeration, shared by every bimatrix algorithm.

:class:`BimatrixEquilibria` is what :func:`~deterrence.solvers.enumeration.enumerate_equilibria`
and :func:`~deterrence.solvers.nashpy_backend.nashpy_equilibria` return;
:func:`components` groups extreme equilibria into connected components and
:func:`sort_key` gives the deterministic order of the lists.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["BimatrixEquilibria", "components", "sort_key"]


@dataclass(frozen=True, slots=True, eq=False)
class BimatrixEquilibria:
    """Every equilibrium (or every extreme equilibrium) of a bimatrix game.

    Attributes
    ----------
    equilibria : tuple of (x, y)
        Exact results hold tuples of Fractions; float results hold read-only
        1-D float64 arrays.  Sorted deterministically (lexicographically
        decreasing in ``x`` then ``y``, so pure strategies listed first come
        first).
    exact : bool
        True when every equilibrium was computed and verified in exact
        rational arithmetic.
    complete : bool
        True when every equilibrium (every extreme equilibrium in a
        degenerate game) is listed.
    degenerate : bool or None
        Whether some mixed strategy with support size ``k`` has more than
        ``k`` pure best replies (None when not decided).
    components : tuple of tuple of int
        Indices into ``equilibria``, one tuple per connected component of the
        set of equilibria.  In a nondegenerate game every component is a
        single equilibrium.
    method : str
        How the list was computed, e.g. ``"vertex-exact"``, ``"support-float"``.
    tolerance : float
        Regret tolerance used in verification (0.0 for exact verification).
    notes : tuple of str
        Remarks: degeneracy, dropped candidates, backends used.
    """

    equilibria: tuple[tuple[Any, Any], ...]
    exact: bool
    complete: bool
    degenerate: bool | None
    components: tuple[tuple[int, ...], ...]
    method: str
    tolerance: float
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.equilibria)

    def __repr__(self) -> str:
        return (
            f"BimatrixEquilibria({len(self.equilibria)} equilibria, method={self.method!r}, "
            f"exact={self.exact}, complete={self.complete}, degenerate={self.degenerate}, "
            f"components={len(self.components)})"
        )


def components(keys: Sequence[tuple[Hashable, Hashable]]) -> tuple[tuple[int, ...], ...]:
    """Connected components of the bipartite graph whose edges are the pairs ``(x-key, y-key)``.

    Examples
    --------
    >>> components([("a", "b"), ("c", "d"), ("a", "d")])
    ((0, 1, 2),)
    >>> components([("a", "b"), ("c", "d")])
    ((0,), (1,))
    """
    parent: dict[Any, Any] = {}

    def find(node: Any) -> Any:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for xk, yk in keys:
        parent[find(("x", xk))] = find(("y", yk))
    groups: dict[Any, list[int]] = {}
    for index, (xk, _) in enumerate(keys):
        groups.setdefault(find(("x", xk)), []).append(index)
    return tuple(sorted(tuple(g) for g in groups.values()))


def sort_key(x: Sequence[Any], y: Sequence[Any]) -> tuple[Any, ...]:
    """Order equilibria lexicographically decreasing in ``x`` then ``y`` (pure strategies listed first first).

    Examples
    --------
    >>> sort_key((1, 0), (0, 1))
    (-1, 0, 0, -1)
    """
    return tuple(-v for v in (*x, *y))
