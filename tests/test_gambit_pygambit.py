"""Cross-checks of the Gambit reader and writer against pygambit (skipped when it is absent).

Every game file (the fixtures in ``tests/data/gambit/`` and, when present, the
Gambit corpus) that pygambit reads must give the same players, strategies,
tree and exact payoffs as our reader; every file we write must be readable by
pygambit with the same content.

The tests run under pygambit 16.7 and 17 (see ``tests/pygambit_compat.py`` for the names that
changed); under 17, whose trees have no node objects, a tree is compared through pygambit's own
writer: what pygambit writes, read back by our reader, must be the tree we read.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from gambit_files import GAME_FILES, file_id, normal_form_games, trees
from hypothesis import given, settings
from hypothesis import strategies as st
from pygambit_compat import major, payoff_table

from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Terminal
from deterrence.forms.normal_form import NormalFormGame
from deterrence.io import loads, read_efg, read_game, read_nfg, write_game
from deterrence.io.gambit_lexer import clean_label

pytestmark = pytest.mark.gambit

# pygambit 16.7 refuses these files (the corpus's legacy files and our
# fixture with their quirks); we read them and write versions of them that
# pygambit reads (test_pygambit_reads_what_we_write).
GAMBIT_REFUSES = {
    "legacy_labels.efg": "Invalid label",
    "4cards.efg": "Node label must be unique",
    "caro2.efg": "Node label must be unique",
    "e10.efg": "Node label must be unique",
    "nim7.efg": "Node label must be unique",
    "holdout.efg": "Infoset label must be unique for the player",
}
GAMBIT_READABLE = [p for p in GAME_FILES if p.name not in GAMBIT_REFUSES]
REFUSED = [p for p in GAME_FILES if p.name in GAMBIT_REFUSES]


def _gambit_read(path):
    gbt = pytest.importorskip("pygambit")
    reader = gbt.read_nfg if path.suffix == ".nfg" else gbt.read_efg
    return reader(str(path))


@pytest.mark.parametrize("path", REFUSED, ids=file_id)
def test_pygambit_refuses_legacy_files_that_we_read(path):
    with pytest.raises(ValueError, match=GAMBIT_REFUSES[path.name]):
        _gambit_read(path)
    assert isinstance(read_efg(path), ExtensiveFormGame)


def _gambit_table(game):
    """Players, strategy labels and the exact payoff array of a pygambit table."""
    import pygambit

    return payoff_table(pygambit, game)


def _gambit_players(game):
    return [p if isinstance(p, str) else p.label for p in game.players]


def _gambit_tree(game):
    """Preorder signature of a pygambit tree: node kinds, players, information-set
    structure (sets numbered per player by first appearance), actions,
    probabilities and terminal payoffs summed over the outcomes on the path.

    Under pygambit 17 (no node objects) it is the signature of what pygambit writes, read back."""
    import pygambit

    if major(pygambit) >= 17:
        return _our_tree(loads(game.to_efg()))
    players = list(game.players)
    numbers: dict = {}
    out = []
    stack = [game.root]
    while stack:
        node = stack.pop()
        if node.is_terminal:
            total = [Fraction(0)] * len(players)
            walker = node
            while walker is not None:
                for j, player in enumerate(players):
                    try:  # pygambit 16.7 wraps a missing outcome in an object that raises
                        total[j] += Fraction(str(walker.outcome[player]))
                    except (KeyError, ValueError):
                        break
                walker = walker.parent
            out.append(("t", tuple(total)))
            continue
        infoset = node.infoset
        actions = list(infoset.actions)
        labels = tuple(a.label for a in actions)
        if infoset.player.is_chance:
            probabilities = tuple(Fraction(str(a.prob)) for a in actions)
            key = ("chance", infoset.number)
            numbers.setdefault(key, sum(k[0] == "chance" for k in numbers))
            out.append(("c", numbers[key], labels, probabilities))
        else:
            key = (infoset.player.label, infoset.number)
            numbers.setdefault(key, sum(k[0] == key[0] for k in numbers))
            out.append(("p", key[0], numbers[key], labels))
        stack.extend(reversed(list(node.children)))
    return out


def _gambit_infosets(game):
    """Each player's information-set labels (numbers for unlabelled sets), as pygambit holds them."""
    import pygambit

    if major(pygambit) >= 17:
        return {p: list(ids) for p, ids in loads(game.to_efg()).infosets.items()}
    return {p.label: [s.label or str(n) for n, s in enumerate(p.infosets, start=1)] for p in game.players}


def _our_tree(game):
    """The same signature for one of our games."""
    numbers: dict = {}
    out = []
    for node, _ in game.walk():
        if isinstance(node, Terminal):
            out.append(("t", node.payoffs))
        elif isinstance(node, Chance):
            key = ("chance", (node.infoset, node.probabilities))
            numbers.setdefault(key, sum(k[0] == "chance" for k in numbers))
            out.append(("c", numbers[key], node.actions, node.probabilities))
        else:
            key = (node.player, node.infoset)
            numbers.setdefault(key, sum(k[0] == node.player for k in numbers))
            out.append(("p", node.player, numbers[key], node.actions))
    return out


def _without_labels(signature):
    return [entry[:-2] + entry[-1:] if entry[0] == "c" else entry[:-1] for entry in signature]


GAMBIT_MADE_UP = re.compile(r".*_\d+\Z")  # pygambit 16.7 renames "" and repeats to "_1", "x_2"


@pytest.mark.parametrize("path", [p for p in GAMBIT_READABLE if p.suffix == ".nfg"], ids=file_id)
def test_nfg_matches_pygambit(path):
    players, strategies, payoffs = _gambit_table(_gambit_read(path))
    ours = read_nfg(path)
    assert payoffs.shape == ours.payoffs.shape
    assert payoffs.tolist() == ours.payoffs.tolist()
    for theirs, mine in zip([players, *strategies], [ours.players, *ours.strategies], strict=True):
        for a, b in zip(theirs, mine, strict=True):
            assert a == b or GAMBIT_MADE_UP.match(a)


@pytest.mark.parametrize("path", [p for p in GAMBIT_READABLE if p.suffix == ".efg"], ids=file_id)
def test_efg_matches_pygambit(path):
    theirs = _gambit_read(path)
    ours = read_efg(path)
    assert _gambit_players(theirs) == list(ours.players)
    gambit, mine = _gambit_tree(theirs), _our_tree(ours)
    assert _without_labels(gambit) == _without_labels(mine)
    for a, b in zip(gambit, mine, strict=True):
        if a[0] != "t":
            labels = a[3] if a[0] == "p" else a[2]
            ours_labels = b[3] if b[0] == "p" else b[2]
            pairs = zip(labels, ours_labels, strict=True)
            assert all(x == y or GAMBIT_MADE_UP.match(x) for x, y in pairs)


@pytest.mark.parametrize("path", GAME_FILES, ids=file_id)
def test_pygambit_reads_what_we_write(path, tmp_path):
    """Every corpus file, the legacy ones included, becomes a file Gambit 16.7 reads."""
    gbt = pytest.importorskip("pygambit")
    ours = read_game(path)
    out = tmp_path / path.name
    write_game(ours, out)
    if isinstance(ours, NormalFormGame):
        players, strategies, payoffs = _gambit_table(gbt.read_nfg(str(out)))
        assert players == list(ours.players)
        assert strategies == [list(s) for s in ours.strategies]
        assert payoffs.tolist() == ours.payoffs.tolist()
    else:
        theirs = gbt.read_efg(str(out))
        assert _gambit_players(theirs) == list(ours.players)
        assert _gambit_tree(theirs) == _our_tree(ours)  # labels included
        assert _gambit_infosets(theirs) == {p: list(ids) for p, ids in ours.infosets.items()}


# Gambit reads a backslash before a backslash literally (both are kept), so
# labels with backslashes are left out of this comparison; see quote().
gambit_labels_strategy = st.text(alphabet=st.sampled_from('ab "{}~1'), max_size=4).map(clean_label)


@settings(max_examples=25, deadline=None)
@given(tree=trees(gambit_labels_strategy), table=normal_form_games(gambit_labels_strategy))
def test_pygambit_reads_random_games_we_write(tree, table, tmp_path_factory):
    gbt = pytest.importorskip("pygambit")
    folder = tmp_path_factory.mktemp("random")
    write_game(tree, folder / "tree.efg")
    theirs = gbt.read_efg(str(folder / "tree.efg"))
    assert _gambit_players(theirs) == list(tree.players)
    assert _gambit_tree(theirs) == _our_tree(tree)
    write_game(table, folder / "table.nfg")
    players, strategies, payoffs = _gambit_table(gbt.read_nfg(str(folder / "table.nfg")))
    assert players == list(table.players)
    assert strategies == [list(s) for s in table.strategies]
    assert payoffs.tolist() == table.payoffs.tolist()
