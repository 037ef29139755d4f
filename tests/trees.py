"""Small game trees shared by the extensive-form tests."""

from __future__ import annotations

from deterrence import ExtensiveFormGame, Terminal, choice


def entry_game(title: str = "entry") -> ExtensiveFormGame:
    """Selten's (1975) entry game with short labels (e, i, out, in, fight, accommodate)."""
    return ExtensiveFormGame(
        ["Entrant", "Incumbent"],
        choice(
            "Entrant",
            "e",
            {
                "out": Terminal((0, 2)),
                "in": choice("Incumbent", "i", {"fight": Terminal((-1, -1)), "accommodate": Terminal((1, 1))}),
            },
        ),
        title=title,
    )


def outside_option_bos(outside: object = 2) -> ExtensiveFormGame:
    """Kohlberg and Mertens (1986): an outside option before Battle of the Sexes."""
    bos = choice(
        "A",
        "a",
        {
            "opera": choice("B", "b", {"opera": Terminal((3, 1)), "fight": Terminal((0, 0))}),
            "fight": choice("B", "b", {"opera": Terminal((0, 0)), "fight": Terminal((1, 3))}),
        },
    )
    root = choice("A", "o", {"out": Terminal((outside, 2)), "in": bos})
    return ExtensiveFormGame(["A", "B"], root)


def matching_pennies_tree(scale: object = 1) -> ExtensiveFormGame:
    """Matching Pennies as a tree: the second mover does not see the first move."""
    win, lose = (scale, -scale), (-scale, scale)
    return ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "a",
            {
                "h": choice("B", "b", {"h": Terminal(win), "t": Terminal(lose)}),
                "t": choice("B", "b", {"h": Terminal(lose), "t": Terminal(win)}),
            },
        ),
    )


def absent_minded_driver(player: str = "Driver") -> ExtensiveFormGame:
    """Piccione and Rubinstein (1997): both intersections are one information set (imperfect recall)."""
    return ExtensiveFormGame(
        [player],
        choice(
            player,
            "x",
            {
                "exit": Terminal((0,)),
                "continue": choice(player, "x", {"exit": Terminal((4,)), "continue": Terminal((1,))}),
            },
        ),
    )


def two_step() -> ExtensiveFormGame:
    """A moves, B replies, A moves again after one reply: 4 pure but 3 reduced strategies for A."""
    return ExtensiveFormGame(
        ["A", "B"],
        choice(
            "A",
            "a",
            {
                "out": Terminal((1, 0)),
                "in": choice(
                    "B",
                    "b",
                    {
                        "l": choice("A", "c", {"x": Terminal((0, 1)), "y": Terminal((2, 0))}),
                        "r": Terminal((0, 2)),
                    },
                ),
            },
        ),
    )
