"""Plain-text tables for the terminal: games, parameters and equilibria.

Values computed exactly print as fractions (``2/3``); floats print with
six significant digits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from deterrence.numbers import exact_text

__all__ = ["format_value", "text_table", "describe_game", "parameter_table", "result_table", "strategy_text"]


def format_value(value: Any) -> str:
    """Short text for a payoff or probability.

    Examples
    --------
    >>> format_value(Fraction(2, 3)), format_value(0.123456789), format_value(3)
    ('2/3', '0.123457', '3')
    """
    if isinstance(value, Fraction):
        return exact_text(value)  # in full, however many digits
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def text_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Align columns of text.

    Examples
    --------
    >>> print(text_table(["a", "b"], [[1, "x"], [22, "yy"]]))
    a   b
    --  --
    1   x
    22  yy
    """
    cells = [[str(h) for h in header]] + [[format_value(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def describe_game(game: Any) -> str:
    """A text picture of a game: the payoff matrix (2 players) or an indented tree."""
    if hasattr(game, "root"):
        return _describe_tree(game)
    if game.n_players == 2:
        rows = []
        for i, r in enumerate(game.strategies[0]):
            rows.append(
                [r]
                + [
                    f"({format_value(game.payoffs[i, j, 0])}, {format_value(game.payoffs[i, j, 1])})"
                    for j in range(game.shape[1])
                ]
            )
        title = f"{game.players[0]} (rows) vs {game.players[1]} (columns)"
        return title + "\n" + text_table([""] + list(game.strategies[1]), rows)
    import itertools

    rows = []
    for index in itertools.product(*(range(n) for n in game.shape)):
        labels = [game.strategies[p][i] for p, i in enumerate(index)]
        rows.append(labels + [format_value(v) for v in game.payoffs[index]])
    return text_table(list(game.players) + [f"u({p})" for p in game.players], rows)


def _describe_tree(game: Any) -> str:
    from deterrence.forms.extensive_form import Chance, Terminal

    lines = [f"players: {', '.join(game.players)}"]

    def visit(node: Any, depth: int, action: str) -> None:
        pad = "  " * depth
        head = f"{pad}{action} -> " if action else pad
        if isinstance(node, Terminal):
            payoffs = ", ".join(format_value(v) for v in node.payoffs)
            label = f"{node.label} " if node.label else ""
            lines.append(f"{head}{label}({payoffs})")
            return
        if isinstance(node, Chance):
            lines.append(f"{head}chance")
            for a, p, child in zip(node.actions, node.probabilities, node.children):
                visit(child, depth + 1, f"{a} [{format_value(p)}]")
            return
        lines.append(f"{head}{node.player} at {node.infoset!r}")
        for a, child in zip(node.actions, node.children):
            visit(child, depth + 1, a)

    visit(game.root, 0, "")
    return "\n".join(lines)


def parameter_table(parameters: Any, values: Mapping[str, Any] | None = None) -> str:
    """Parameters with value, range, unit, claims and meaning."""
    values = values or parameters.defaults()
    rows = [
        [
            p.name,
            values[p.name],
            f"[{format_value(p.low)}, {format_value(p.high)}]",
            p.unit,
            ",".join(p.claims),
            p.meaning,
        ]
        for p in parameters
    ]
    return text_table(["parameter", "value", "range", "unit", "claims", "meaning"], rows)


def result_table(result: Any) -> str:
    """Every equilibrium of a :class:`~deterrence.result.SolveResult` as text."""
    game = result.game
    status = "complete" if result.complete else "NOT guaranteed complete"
    head = [
        f"{game.title or 'game'}: {result.concept} by {result.method} -- {len(result.equilibria)} equilibria ({status})"
    ]
    if result.degenerate and result.concept == "pbe":
        head.append("families of assessments: each listed one stands for the ranges in its notes")
    elif result.degenerate:
        head.append("degenerate game: extreme equilibria listed; 'component' groups connected sets")
    for i, eq in enumerate(result.equilibria, 1):
        # Counted from 1 for readers; the JSON keeps the 0-based index (docs/json-schema.md).
        tag = f" [component {eq.component + 1}]" if eq.component is not None else ""
        head.append(f"\n#{i}{tag}  payoffs: " + ", ".join(f"{p}={format_value(v)}" for p, v in eq.payoffs.items()))
        for player, strategy in eq.strategies.items():
            head.append(f"  {player}: {strategy_text(strategy)}")
        for note in eq.notes:
            head.append(f"  note: {note}")
    for note in result.notes:
        head.append(f"note: {note}")
    return "\n".join(head)


def strategy_text(strategy: Mapping[str, Any]) -> str:
    """One line for a mixed or behaviour strategy, omitting zero-probability entries.

    Examples
    --------
    >>> strategy_text({"Opera": Fraction(2, 3), "Football": Fraction(1, 3)})
    'Opera 2/3, Football 1/3'
    >>> strategy_text({"response": {"absorb": 0, "calibrated": 1}})
    'response: calibrated'
    """
    parts = []
    for key, value in strategy.items():
        if isinstance(value, Mapping):
            parts.append(f"{key}: {strategy_text(value)}")
        elif value != 0:
            parts.append(key if value == 1 else f"{key} {format_value(value)}")
    return "; ".join(parts) if any(isinstance(v, Mapping) for v in strategy.values()) else ", ".join(parts)
