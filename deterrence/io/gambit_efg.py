"""Gambit extensive-form files (``.efg``): reading and writing game trees.

A ``.efg`` file is a prologue ``EFG 2 R "title" { "player" ... } ["comment"]``
followed by the nodes of the tree in preorder (a node, then the subtrees of
its children from first to last).  Each node is one of

``p "node" player infoset ["infoset label" { "action" ... }] outcome [...]``
    a decision of ``player`` (numbered from 1) at information set
    ``infoset`` (numbered within that player);
``c "node" infoset ["infoset label" { "action" prob ... }] outcome [...]``
    a chance move whose probabilities must be non-negative and sum to 1;
``t "node" outcome ["outcome name" { payoff ... }]``
    a terminal node.

An information set or outcome is described the first time its number
appears; later mentions may omit the description or repeat it exactly.
Outcome 0 is the null outcome, with all payoffs zero.  An outcome may sit
at a non-terminal node: its payoffs are *incremental*, so the payoff of a
play is the sum of the outcomes along its path (Gambit's documentation,
"The extensive game (.efg) file format").

Mapping onto :class:`~deterrence.extensive_form.ExtensiveFormGame`:

* a terminal's payoffs are the sum of the outcomes on its path, interior ones
  included, which is the same game; every payoff is an exact Fraction;
* :attr:`Terminal.label` is the terminal's outcome name, or its node label
  when the outcome is unnamed; decision and chance nodes keep their node
  labels, except that a label repeated at several such nodes (older files
  do this; Gambit 16.7 refuses them) becomes ``"label~2"``, ``"label~3"``, ...
  at its later nodes;
* an information set's identifier is its label when that label is non-empty
  and no other set of the same player (chance counting as a player) has it,
  and otherwise its number as a string; a label that equals the number of
  another numbered set also falls back to its number, so identifiers stay
  unique;
* players and the actions of each information set are made unique and
  non-empty by :func:`~deterrence.io.gambit_lexer.unique_labels`;
* every label (not the title) has its whitespace tidied by
  :func:`~deterrence.io.gambit_lexer.clean_label`, as Gambit 16.7 requires.

The parser is iterative, so deep trees cannot overflow the Python stack; it
rejects trees deeper than :data:`MAX_DEPTH` because the data model walks trees
recursively.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from deterrence.errors import GameError, GameFileError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from deterrence.io.gambit_lexer import TokenStream, clean_label, quote, tokenize, unique_labels
from deterrence.io.gambit_nfg import format_value, gambit_labels
from deterrence.numbers import MAX_DIGITS, too_many_digits

__all__ = ["MAX_DEPTH", "format_efg", "parse_efg"]

#: Deepest tree accepted (the root has depth 1).
MAX_DEPTH = 200


@dataclass(slots=True)
class _Infoset:
    label: str
    actions: tuple[str, ...]  # as written in the file
    probabilities: tuple[Fraction, ...]  # chance sets only
    line: int
    identifier: str = ""


@dataclass(slots=True)
class _Raw:
    kind: str  # "c", "p" or "t"
    label: str
    player: int  # 0 for chance and terminal nodes
    infoset: int
    payoffs: tuple[Fraction, ...]  # cumulative outcome payoffs from the root to here
    outcome_name: str
    expected: int  # number of children
    children: list[int] = field(default_factory=list)


class _Parser:
    def __init__(self, text: str) -> None:
        self.stream = TokenStream(tokenize(text))
        self.infosets: dict[tuple[int, int], _Infoset] = {}
        self.outcomes: dict[int, tuple[str, tuple[Fraction, ...]]] = {}
        self.n_players = 0
        self.players: list[str] = []
        self.zero: tuple[Fraction, ...] = ()
        # Sums of an inherited payoff tuple and an outcome, keyed by the
        # tuple's id (the stored tuple keeps the id from being reused) and the
        # outcome number: terminals that share payoffs share one tuple, so the
        # game is built in time linear in the file, not players x terminals.
        self.sums: dict[tuple[int, int], tuple[tuple[Fraction, ...], tuple[Fraction, ...]]] = {}

    def parse(self) -> ExtensiveFormGame:
        stream = self.stream
        stream.expect_symbol("EFG")
        stream.symbol("2")
        stream.symbol("R", "D")
        title = stream.text("game title")
        stream.expect("{", "'{' opening the list of players")
        names: list[str] = []
        while stream.at("text"):
            names.append(clean_label(stream.next("player name").text))
        stream.expect("}", "'}' closing the list of players (player names are quoted)")
        if not names:
            raise stream.error("the game has no players")
        self.n_players = len(names)
        self.zero = (Fraction(0),) * self.n_players
        players = self.players = unique_labels(names)
        if stream.at("text"):
            stream.next("comment")  # the optional comment has no place in the model
        nodes = self._tree()
        # Gambit 16.7 requires node labels unique within the game; repeated
        # labels of decision and chance nodes (in older files) get "~2", ...
        interior = [node for node in nodes if node.kind != "t"]
        for node, label in zip(interior, unique_labels([n.label for n in interior], keep_empty=True), strict=True):
            node.label = label
        self._assign_identifiers()
        root = self._build(nodes)
        try:
            return ExtensiveFormGame(players, root, title=title)
        except GameError as error:
            raise GameFileError(str(error)) from None
        except RecursionError:  # pragma: no cover - MAX_DEPTH keeps trees shallower
            raise GameFileError(f"the game tree is too deep (limit {MAX_DEPTH})") from None

    # -- the tree, read iteratively ----------------------------------------
    def _tree(self) -> list[_Raw]:
        stream = self.stream
        zero = self.zero
        nodes: list[_Raw] = []
        open_nodes: list[int] = []  # indices of nodes still waiting for children
        while True:
            parent = nodes[open_nodes[-1]] if open_nodes else None
            if stream.peek() is None:
                if parent is None:
                    raise stream.error("file ends before the root node of the tree")
                missing = sum(nodes[i].expected - len(nodes[i].children) for i in open_nodes)
                plural = "s" if missing != 1 else ""
                raise stream.error(
                    f"file ends before the tree is complete (at least {missing} more node{plural} expected)"
                )
            node = self._node(parent.payoffs if parent else zero)
            nodes.append(node)
            if parent is not None:
                parent.children.append(len(nodes) - 1)
            if node.expected:
                if len(open_nodes) + 1 >= MAX_DEPTH:
                    raise stream.error(f"the game tree is deeper than {MAX_DEPTH} levels")
                open_nodes.append(len(nodes) - 1)
            while open_nodes and len(nodes[open_nodes[-1]].children) == nodes[open_nodes[-1]].expected:
                open_nodes.pop()
            if not open_nodes:
                stream.finish("last node of the tree")
                return nodes

    def _node(self, inherited: tuple[Fraction, ...]) -> _Raw:
        stream = self.stream
        line = stream.line
        token = stream.next("a node ('c', 'p' or 't')")
        if token.kind != "symbol" or token.text not in ("c", "p", "t"):
            shown = token.text if len(token.text) <= 40 else token.text[:37] + "..."
            raise stream.error(f"expected a node type 'c', 'p' or 't', found {shown!r}", line)
        kind = token.text
        label = stream.label("node label")
        player = infoset = 0
        expected = 0
        if kind != "t":
            if kind == "p":
                player_line = stream.line
                player = stream.integer("player number", minimum=1)
                if player > self.n_players:
                    raise stream.error(
                        f"player {player} does not exist; the game has {self.n_players} players",
                        player_line,
                    )
            infoset = stream.integer("information-set number", minimum=1)
            expected = len(self._infoset(kind, player, infoset, line).actions)
        payoffs, name = self._outcome(inherited, line)
        return _Raw(kind, label, player, infoset, payoffs, name, expected)

    def _infoset(self, kind: str, player: int, number: int, line: int) -> _Infoset:
        stream = self.stream
        who = "chance" if kind == "c" else f"player {player}"
        known = self.infosets.get((player, number))
        if not stream.at("text"):
            if known is None:
                raise stream.error(f"information set {number} of {who} is used before it is defined")
            return known
        infoset_label = stream.label("information-set label")
        opening = stream.expect("{", "'{' opening the list of actions")
        actions: list[str] = []
        probabilities: list[Fraction] = []
        while not stream.at("}"):
            if stream.peek() is None:
                raise stream.error(f"file ends inside the actions opened on line {opening.line}")
            actions.append(stream.label("action label"))
            if kind == "c":
                prob_line = stream.line
                probability = stream.number("action probability")
                if probability < 0:
                    raise stream.error(f"negative probability {probability}", prob_line)
                probabilities.append(probability)
        stream.next("'}'")
        if not actions:
            raise stream.error(f"information set {number} of {who} has no actions", opening.line)
        if kind == "c" and sum(probabilities) != 1:
            raise stream.error(
                f"chance probabilities of information set {number} sum to {sum(probabilities)}, not 1",
                opening.line,
            )
        described = _Infoset(infoset_label, tuple(actions), tuple(probabilities), line)
        if known is None:
            self.infosets[(player, number)] = described
            return described
        if (known.label, known.actions, known.probabilities) != (
            described.label,
            described.actions,
            described.probabilities,
        ):
            raise stream.error(
                f"information set {number} of {who} is described differently from its definition on line {known.line}",
                line,
            )
        return known

    def _outcome(self, inherited: tuple[Fraction, ...], line: int) -> tuple[tuple, str]:
        stream = self.stream
        number_line = stream.line
        number = stream.integer("outcome number", minimum=0)
        if stream.at("text") or stream.at("{"):
            if number == 0:
                raise stream.error("the null outcome 0 cannot have a name or payoffs", number_line)
            name = stream.label("outcome name") if stream.at("text") else ""
            payoffs = stream.payoff_list(self.n_players, f"payoffs of outcome {number}")
            known = self.outcomes.setdefault(number, (name, payoffs))
            if known != (name, payoffs):
                raise stream.error(f"outcome {number} is described differently from its first definition", line)
        elif number == 0:
            return inherited, ""
        elif number not in self.outcomes:
            raise stream.error(f"outcome {number} is used before it is defined", number_line)
        name, payoffs = self.outcomes[number]
        if inherited is self.zero:
            return payoffs, name
        key = (id(inherited), number)
        known_sum = self.sums.get(key)
        if known_sum is None:
            total = tuple(a + b for a, b in zip(inherited, payoffs, strict=True))
            if any(too_many_digits(v) for v in total):  # the writer could not write it readably
                raise stream.error(
                    f"the payoffs summed along the path to this node have more than {MAX_DIGITS} digits "
                    f"in a numerator or denominator (the limit for one number)",
                    line,
                )
            known_sum = self.sums[key] = (inherited, total)
        return known_sum[1], name

    # -- identifiers and the final tree -------------------------------------
    def _assign_identifiers(self) -> None:
        by_player: dict[int, list[tuple[int, _Infoset]]] = {}
        for (player, number), infoset in self.infosets.items():
            by_player.setdefault(player, []).append((number, infoset))
        for sets in by_player.values():
            counts: dict[str, int] = {}
            for _, infoset in sets:
                counts[infoset.label] = counts.get(infoset.label, 0) + 1
            numbered = {n for n, s in sets if not s.label or counts[s.label] > 1}
            # A label equal to a numbered set's number would clash with it;
            # repeat until no kept label equals a number in use.
            while True:
                reserved = {str(n) for n in numbered}
                clash = {n for n, s in sets if n not in numbered and s.label in reserved}
                if not clash:
                    break
                numbered |= clash
            for number, infoset in sets:
                infoset.identifier = str(number) if number in numbered else infoset.label

    def _build(self, nodes: list[_Raw]) -> Node:
        built: list[Any] = [None] * len(nodes)
        # In preorder every child comes after its parent, so building from the
        # end constructs children first without recursion.
        for index in range(len(nodes) - 1, -1, -1):
            raw = nodes[index]
            if raw.kind == "t":
                label = raw.outcome_name or raw.label
                built[index] = Terminal(raw.payoffs, label)
                continue
            infoset = self.infosets[(raw.player, raw.infoset)]
            actions = tuple(unique_labels(infoset.actions))
            children = tuple(built[i] for i in raw.children)
            if raw.kind == "c":
                built[index] = Chance(actions, infoset.probabilities, children, raw.label, infoset.identifier)
            else:
                # Interior outcome payoffs have been carried down to the terminals.
                player = self.players[raw.player - 1]
                built[index] = Decision(player, infoset.identifier, actions, children, raw.label)
        return built[0]


def parse_efg(text: str) -> ExtensiveFormGame:
    """Parse the text of a ``.efg`` file.

    Raises
    ------
    GameFileError
        With the line number, for any malformed input.

    Examples
    --------
    >>> g = parse_efg('''EFG 2 R "entry" { "E" "I" }
    ... p "" 1 1 "" { "out" "in" } 0
    ... t "" 1 "stay out" { 0, 2 }
    ... p "" 2 1 "" { "fight" "share" } 0
    ... t "" 2 "war" { -1, -1 }
    ... t "" 3 "" { 1, 1 }''')
    >>> g.players, g.infosets["I"], g.terminals()[0][0].label
    (('E', 'I'), ('1',), 'stay out')
    """
    return _Parser(text).parse()


def format_efg(game: ExtensiveFormGame) -> str:
    """The ``.efg`` text of a numeric extensive-form game.

    Information sets are numbered per player in order of first appearance;
    the label written is the set's identifier, left empty when the
    identifier is just that number.  Each terminal gets an outcome named by
    its label (terminals with equal label and payoffs share one outcome, and
    an unlabelled all-zero terminal uses the null outcome 0).  Labels are
    written as Gambit 16.7 requires (:func:`~deterrence.io.gambit_nfg.gambit_labels`):
    whitespace tidied, node labels unique within the game and terminal node
    labels left empty; labels read from a file already have that form.  Float
    probabilities are written with repr precision, except the last one of a
    chance node, written as the exact complement of the others so that the
    written probabilities sum to exactly 1 as Gambit requires.

    Raises
    ------
    GameFileError
        If the game has symbolic payoffs or probabilities.

    Examples
    --------
    >>> from deterrence.forms.extensive_form import choice
    >>> g = ExtensiveFormGame(["A"], choice("A", "a", {"x": Terminal((1,), "win"),
    ...                                                "y": Terminal((0,))}))
    >>> print(format_efg(g), end="")
    EFG 2 R "" { "A" }
    ""
    <BLANKLINE>
    p "" 1 1 "a" { "x" "y" } 0
    t "" 1 "win" { 1 }
    t "" 0
    """
    if game.kind == "symbolic":
        raise GameFileError(
            f"cannot write a game with free parameters {list(game.parameters)}; evaluate it at parameter values first"
        )
    player_number = {p: i for i, p in enumerate(game.players, start=1)}
    # Decision sets: number k of a player is the k-th set in order of first
    # appearance, which is the order of game.infosets.
    set_number: dict[tuple[str, str], int] = {}
    set_label: dict[tuple[str, str], str] = {}
    for player, ids in game.infosets.items():
        for number, (identifier, written) in enumerate(zip(ids, gambit_labels(ids), strict=True), 1):
            set_number[(player, identifier)] = number
            set_label[(player, identifier)] = "" if written == str(number) else written
    chance_numbers: dict[Any, int] = {}
    chance_labels: dict[str, int] = {}  # chance-set label -> the number that carries it
    outcome_numbers: dict[tuple[str, tuple[str, ...]], int] = {}
    players = " ".join(quote(p) for p in gambit_labels(game.players))
    lines = [f"EFG 2 R {quote(game.title)} {{ {players} }}", '""', ""]
    interior = [n.label for n, _ in game.walk() if not isinstance(n, Terminal)]
    node_labels = iter(gambit_labels(interior, keep_empty=True))
    for node, _ in game.walk():
        if isinstance(node, Terminal):
            values = tuple(format_value(v) for v in node.payoffs)
            name = clean_label(node.label)
            if not name and all(v == 0 for v in node.payoffs):
                lines.append(f"t {quote('')} 0")
                continue
            number = outcome_numbers.setdefault((name, values), len(outcome_numbers) + 1)
            lines.append(f"t {quote('')} {number} {quote(name)} {{ {', '.join(values)} }}")
            continue
        label = quote(next(node_labels))
        moves_labels = [quote(a) for a in gambit_labels(node.actions)]
        if isinstance(node, Chance):
            probabilities = _chance_texts(node.probabilities)
            # Chance nodes share a set only when they also share actions and
            # probabilities; an unnamed chance node gets a set of its own.
            chance_key = (node.infoset, node.actions, probabilities) if node.infoset else id(node)
            number = chance_numbers.setdefault(chance_key, len(chance_numbers) + 1)
            name = clean_label(node.infoset)
            name = "" if name == str(number) else name
            # Gambit wants chance-set labels unique: a label already carried
            # by a set with other probabilities is left off this one.
            if chance_labels.setdefault(name, number) != number:
                name = ""
            moves = " ".join(f"{a} {p}" for a, p in zip(moves_labels, probabilities, strict=True))
            lines.append(f"c {label} {number} {quote(name)} {{ {moves} }} 0")
            continue
        key: tuple[str, str] = (node.player, node.infoset)
        moves = " ".join(moves_labels)
        lines.append(
            f"p {label} {player_number[node.player]} {set_number[key]} {quote(set_label[key])} {{ {moves} }} 0"
        )
    return "\n".join(lines) + "\n"


def _chance_texts(probabilities: tuple[Any, ...]) -> tuple[str, ...]:
    texts = [format_value(p) for p in probabilities]
    if any(isinstance(p, float) for p in probabilities):
        rest = 1 - sum(Fraction(t) for t in texts[:-1])
        if rest < 0:
            raise GameFileError(f"chance probabilities {texts} cannot be written to sum to 1")
        texts[-1] = str(rest)
    return tuple(texts)
