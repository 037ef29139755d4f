"""The Gambit files the reader tests run on: the project's own fixtures, plus the corpus when present.

``tests/data/gambit/`` holds games written by this package's writer from the
builders below (regenerate them with ``python tests/gambit_files.py``; a test
checks that the files are exactly what the writer makes), a few hand-written
files for the features the writer never produces (the outcome version of
``.nfg``, outcomes at interior nodes, the untidy labels of older files) and,
in ``malformed/``, broken files for the error tests.

The Gambit distribution's example games, when they sit beside the repository
(``../shared/gambit-corpus``), are added to every parametrised test; without
them the tests still run on the fixtures.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.io.gambit_lexer import clean_label, unique_labels

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "data" / "gambit"
MALFORMED_DIR = FIXTURES / "malformed"
CORPUS = HERE.parents[1] / "shared" / "gambit-corpus"


def _games(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.nfg")) + sorted(folder.glob("*.efg")) if folder.is_dir() else []


FIXTURE_FILES = _games(FIXTURES)
CORPUS_FILES = _games(CORPUS)
#: Every readable game file: the fixtures always, the corpus files when present.
GAME_FILES = FIXTURE_FILES + CORPUS_FILES


def file_id(path: Path) -> str:
    """A test id saying where a file comes from (``fixture/...`` or ``corpus/...``)."""
    return ("corpus/" if path.parent == CORPUS else "fixture/") + path.name


# -- builders of the written fixtures -----------------------------------------
def matching_pennies() -> NormalFormGame:
    """Zero-sum 2x2 with the unique equilibrium (1/2, 1/2) for both."""
    return NormalFormGame(
        ["Matcher", "Mismatcher"],
        [["Heads", "Tails"], ["Heads", "Tails"]],
        [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
        title="Matching pennies",
    )


def battle_of_the_sexes() -> NormalFormGame:
    """2x2 with two pure equilibria and one mixed, (2/3, 1/3) against (1/3, 2/3)."""
    return NormalFormGame(
        ["Alice", "Bob"],
        [["Opera", "Football"], ["Opera", "Football"]],
        [[[2, 1], [0, 0]], [[0, 0], [1, 2]]],
        title="Battle of the sexes",
    )


def three_player() -> NormalFormGame:
    """A 2x2x2 game with fractional payoffs; entry (i, j, k, p) = u_p at profile (i, j, k)."""
    payoffs = [
        [[[1, 0, Fraction(1, 2)], [0, 2, 0]], [[0, 1, 1], [Fraction(-3, 4), 0, 2]]],
        [[[2, 2, 2], [1, 0, -1]], [[0, 0, 0], [Fraction(5, 3), 1, Fraction(1, 7)]]],
    ]
    return NormalFormGame(["A", "B", "C"], [["a1", "a2"], ["b1", "b2"], ["c1", "c2"]], payoffs, title="Three players")


def degenerate() -> NormalFormGame:
    """A degenerate 3x2 bimatrix game (von Stengel 2007, Fig. 3.7): a continuum of equilibria."""
    a = [[3, 3], [2, 5], [0, 6]]
    b = [[3, 3], [2, 6], [3, 1]]
    return NormalFormGame.from_bimatrix(a, b, players=("I", "II"), title="Degenerate 3x2")


def one_player() -> NormalFormGame:
    """A decision problem: one player, three strategies, decimal payoffs."""
    return NormalFormGame(["Solo"], [["low", "mid", "high"]], [[Fraction(1, 10)], [Fraction(1, 4)], [0]])


def entry() -> ExtensiveFormGame:
    """Selten's entry game: perfect information, one subgame-perfect equilibrium."""
    root = choice(
        "Entrant",
        "enter?",
        {
            "out": Terminal((0, 2), "stay out"),
            "in": choice("Incumbent", "respond", {"fight": Terminal((-1, -1), "war"), "share": Terminal((1, 1))}),
        },
    )
    return ExtensiveFormGame(["Entrant", "Incumbent"], root, title="Entry deterrence")


def signalling() -> ExtensiveFormGame:
    """Beer-quiche: nature picks a type, the sender signals, the receiver sees only the signal."""

    def sender(kind: str, beer_bonus: int) -> Decision:
        def receiver(signal: str, bonus: int) -> Decision:
            return choice(
                "Receiver",
                f"after {signal}",
                {
                    "duel": Terminal((bonus, 1 if kind == "weak" else -1)),
                    "retreat": Terminal((bonus + 2, 0)),
                },
            )

        return choice(
            "Sender",
            kind,
            {"beer": receiver("beer", beer_bonus), "quiche": receiver("quiche", 1 - beer_bonus)},
        )

    root = Chance(
        ("strong", "weak"),
        (Fraction(9, 10), Fraction(1, 10)),
        (sender("strong", 1), sender("weak", 0)),
        "nature",
        "type",
    )
    return ExtensiveFormGame(["Sender", "Receiver"], root, title="Beer and quiche")


def kuhn_poker() -> ExtensiveFormGame:
    """Kuhn (1950) poker: three cards, one each, ante 1, one bet of 1.

    Information sets are the player's card and the bets seen; the value of
    the game to the first player is -1/18.
    """
    cards = ("J", "Q", "K")
    deals = [(a, b) for a in cards for b in cards if a != b]

    def showdown(a: str, b: str, pot: int) -> Terminal:
        sign = 1 if cards.index(a) > cards.index(b) else -1
        return Terminal((sign * pot, -sign * pot))

    children = []
    for a, b in deals:
        after_check = choice(
            "Bob",
            f"{b} after check",
            {
                "check": showdown(a, b, 1),
                "bet": choice("Alice", f"{a} check-bet", {"fold": Terminal((-1, 1)), "call": showdown(a, b, 2)}),
            },
        )
        after_bet = choice("Bob", f"{b} after bet", {"fold": Terminal((1, -1)), "call": showdown(a, b, 2)})
        children.append(choice("Alice", a, {"check": after_check, "bet": after_bet}))
    root = Chance(tuple(f"{a}{b}" for a, b in deals), (Fraction(1, 6),) * 6, tuple(children), "deal", "deal")
    return ExtensiveFormGame(["Alice", "Bob"], root, title="Kuhn poker")


def three_player_tree() -> ExtensiveFormGame:
    """Three players, a chance move in the middle and a two-node information set."""
    inner = Chance(
        ("good", "bad"),
        (Fraction(1, 3), Fraction(2, 3)),
        (
            choice("C", "guess", {"x": Terminal((1, 2, 3)), "y": Terminal((0, 0, 1))}),
            choice("C", "guess", {"x": Terminal((2, 0, 0)), "y": Terminal((Fraction(1, 2), 1, 0))}),
        ),
        "weather",
        "w",
    )
    root = choice(
        "A",
        "start",
        {"left": choice("B", "b", {"go": inner, "stop": Terminal((0, 1, 0))}), "right": Terminal((1, 1, 1))},
    )
    return ExtensiveFormGame(["A", "B", "C"], root, title="Three-player tree")


WRITTEN = {
    "matching_pennies.nfg": matching_pennies,
    "battle_of_the_sexes.nfg": battle_of_the_sexes,
    "three_player.nfg": three_player,
    "degenerate.nfg": degenerate,
    "one_player.nfg": one_player,
    "entry.efg": entry,
    "signalling.efg": signalling,
    "kuhn_poker.efg": kuhn_poker,
    "three_player_tree.efg": three_player_tree,
}
#: Fixtures written by hand, for what the writer never produces.
HAND_WRITTEN = {
    "outcomes.nfg": "outcome version with a null outcome and commas",
    "interior_outcomes.efg": "outcomes at interior nodes, shared outcomes",
    "legacy_labels.efg": "repeated node and chance labels, untidy and empty labels",
}


def write_fixtures() -> None:
    """Write the builders' games into tests/data/gambit with the package's writer."""
    from deterrence.io import write_game

    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, build in WRITTEN.items():
        write_game(build(), FIXTURES / name)


# -- helpers ------------------------------------------------------------------
def node_signature(game: ExtensiveFormGame) -> list[tuple]:
    """Everything about a tree, in preorder, as comparable tuples."""
    out = []
    for node, path in game.walk():
        if isinstance(node, Terminal):
            out.append(("t", path, node.label, node.payoffs))
        elif isinstance(node, Chance):
            out.append(("c", path, node.label, node.infoset, node.actions, node.probabilities))
        else:
            out.append(("p", path, node.label, node.player, node.infoset, node.actions))
    return out


def assert_same_game(a, b) -> None:
    assert type(a) is type(b)
    assert a.players == b.players
    assert a.title == b.title
    if isinstance(a, NormalFormGame):
        assert a.strategies == b.strategies
        assert a.payoffs.shape == b.payoffs.shape
        assert a.payoffs.tolist() == b.payoffs.tolist()
    else:
        assert a.infosets == b.infosets
        assert node_signature(a) == node_signature(b)


def efg(body: str, players: str = '"A" "B"') -> str:
    return f'EFG 2 R "test" {{ {players} }}\n""\n{body}\n'


# -- random games (hypothesis) ------------------------------------------------
# Labels as the reader produces them: whitespace already tidied.
labels = st.text(alphabet=st.sampled_from('ab "\\\n{}~1'), min_size=0, max_size=4).map(clean_label)
values = st.one_of(
    st.integers(-50, 50),
    st.fractions(min_value=-10, max_value=10, max_denominator=12),
)


@st.composite
def normal_form_games(draw, labels=labels):
    n_players = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 3)) for _ in range(n_players))
    players = unique_labels([draw(labels) for _ in range(n_players)])
    strategies = [unique_labels([draw(labels) for _ in range(k)]) for k in shape]
    flat = draw(
        st.lists(
            values,
            min_size=int(np.prod(shape)) * n_players,
            max_size=int(np.prod(shape)) * n_players,
        )
    )
    payoffs = np.array(flat, dtype=object).reshape(shape + (n_players,))
    return NormalFormGame(players, strategies, payoffs, title=draw(labels))


@st.composite
def trees(draw, labels=labels):
    players = ["A", "B"]
    counter = iter(range(10**6))

    def node(depth):
        kind = draw(st.sampled_from(["t", "p", "c"] if depth < 3 else ["t"]))
        if kind == "t":
            return Terminal(tuple(draw(values) for _ in players), draw(labels))
        width = draw(st.integers(1, 3))
        actions = tuple(unique_labels([draw(labels) for _ in range(width)]))
        children = tuple(node(depth + 1) for _ in range(width))
        name = draw(labels)
        name = f"{name}#{next(counter)}" if name else ""  # unique, as Gambit requires
        if kind == "c":
            weights = [draw(st.integers(0, 3)) for _ in range(width)]
            if sum(weights) == 0:
                weights[0] = 1
            probabilities = tuple(Fraction(w, sum(weights)) for w in weights)
            return Chance(actions, probabilities, children, name, f"n{next(counter)}")
        return Decision(draw(st.sampled_from(players)), f"s{next(counter)}", actions, children, name)

    return ExtensiveFormGame(players, node(0), title=draw(labels))


if __name__ == "__main__":
    write_fixtures()
