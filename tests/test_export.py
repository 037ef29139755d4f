"""Tests of the export formats: LaTeX (sgame, istgame, booktabs), Graphviz DOT, Gambit via the
converters, and the export registry.  The JSON game format has tests/test_export_json.py and the
``export`` command tests/test_export_cli.py.

Structure is checked on every built-in model; where pdflatex (with sgame/istgame) or Graphviz's
``dot`` is installed the output is also compiled, otherwise those tests are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction

import pytest

import deterrence
from deterrence.errors import DeterrenceError, GameError
from deterrence.forms.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal, choice
from deterrence.forms.normal_form import NormalFormGame
from deterrence.forms.reduced_form import reduced_normal_form
from deterrence.io import exporters as registry
from deterrence.io.conversions import game_to_efg, game_to_nfg, simultaneous_tree
from deterrence.io.dot import dot_string, game_to_dot, html_escape
from deterrence.io.gambit import read_efg, read_nfg
from deterrence.io.latex import (
    MAX_MATRICES,
    booktabs_table,
    escape_latex,
    game_to_latex,
    latex_document,
    latex_value,
    normal_form_latex,
    tree_latex,
)

MODELS = deterrence.list_models()
IDS = [m.slug for m in MODELS]
WEIRD = r"a&b%c$d#e_f{g}h~i^j\k<l>m|n[o]"


def interior(game):
    return [n for n, _ in game.walk() if not isinstance(n, Terminal)]


def infoset_members(game):
    members = {}
    for node, _ in game.walk():
        if isinstance(node, Decision):
            members.setdefault((node.player, node.infoset), []).append(node)
    return members


def braces_balanced(text):
    """True when unescaped { and } balance and never close more than they opened."""
    depth, k = 0, 0
    while k < len(text):
        c = text[k]
        if c == "\\":
            k += 2
            continue
        if c == "%":  # a comment runs to the end of the line
            k = text.find("\n", k)
            k = len(text) if k < 0 else k
            continue
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
        k += 1
    return depth == 0


def unescaped(text, char):
    return len(re.findall(r"(?<!\\)" + re.escape(char), text))


def three_player():
    return NormalFormGame(
        ["A", "B", "C"],
        [["x", "y"], ["u", "v", "w"], ["p", "q"]],
        [[[[i + j + k, i, j] for k in range(2)] for j in range(3)] for i in range(2)],
    )


def weird_tree():
    left = choice(WEIRD, "i", {"l": Terminal(("c", 1)), "r": Terminal((0, 0))})
    right = choice(WEIRD, "i", {"l": Terminal((1, 1)), "r": Terminal((0, "1/2"))})
    return ExtensiveFormGame([WEIRD, "B"], Chance((WEIRD, "t"), ("1/3", "2/3"), (left, right)))


# -- LaTeX ---------------------------------------------------------------------------
def test_escape_latex_leaves_no_special_character_bare():
    escaped = escape_latex(WEIRD)
    for char in "&%$#_":
        assert unescaped(escaped, char) == 0, char
    assert "~" not in escaped and "^" not in escaped and "<" not in escaped
    assert braces_balanced(escaped)
    assert escape_latex("two\nlines") == "two lines"


def test_latex_values_are_fractions_decimals_or_sympy():
    assert latex_value(Fraction(-7, 3)) == r"-\frac{7}{3}"
    assert latex_value(Fraction(6, 3)) == "2"
    assert latex_value(-0.5) == "-0.5"
    assert latex_value(1e-12) == r"1 \times 10^{-12}"
    import sympy

    assert latex_value(sympy.Symbol("alpha") ** 2) == r"\alpha^{2}"


@pytest.mark.parametrize("model", [m for m in MODELS if isinstance(m.game({}), NormalFormGame)], ids=lambda m: m.slug)
def test_sgame_has_one_row_per_strategy_and_a_cell_per_column(model):
    game = model.game({})
    text = normal_form_latex(game)
    assert braces_balanced(text)
    assert text.count(r"\begin{game}") == text.count(r"\end{game}") == 1
    m, n = game.shape
    assert (
        rf"\begin{{game}}{{{m}}}{{{n}}}[{{{escape_latex(game.players[0])}}}][{{{escape_latex(game.players[1])}}}]"
        in text
    )
    body = text.split(r"\begin{game}", 1)[1].split(r"\end{game}")[0].splitlines()[1:]
    assert len(body) == m + 1  # the column labels, then one line per row strategy
    assert all(unescaped(line, "&") == n for line in body)
    for i, strategy in enumerate(game.strategies[0]):
        cells = [c.strip() for c in re.split(r"(?<!\\)&", body[i + 1].removesuffix(r"\\"))]
        assert cells[0] == escape_latex(strategy)
        assert cells[1] == "$" + ", ".join(latex_value(v) for v in game.payoffs[i, 0]) + "$"


def test_three_players_get_one_matrix_per_profile_of_the_later_players():
    game = three_player()
    text = normal_form_latex(game)
    assert text.count(r"\begin{game}{2}{3}") == 2
    assert "[{C: p}]" in text and "[{C: q}]" in text
    assert braces_balanced(text)


def test_too_many_matrices_is_a_one_line_error():
    shape = (1, 1, MAX_MATRICES + 1)
    game = NormalFormGame(
        ["A", "B", "C"], [["x"], ["y"], [f"s{k}" for k in range(shape[2])]], [[[[0, 0, 0]] * shape[2]]]
    )
    with pytest.raises(DeterrenceError, match=f"limit of {MAX_MATRICES}") as caught:
        normal_form_latex(game)
    assert "\n" not in str(caught.value)


def test_one_player_game_is_a_single_column():
    game = NormalFormGame(["Solo"], [["x", "y"]], [[1], [2]])
    text = normal_form_latex(game)
    assert r"\begin{game}{2}{1}[{Solo}][{}]" in text
    assert "$2$" in text


def test_fractions_get_taller_rows_in_a_group():
    game = NormalFormGame(["A", "B"], [["x"], ["y"]], [[[Fraction(1, 2), 1]]])
    text = normal_form_latex(game)
    assert r"\begingroup\def\gamestretch{1.6}" in text and text.rstrip().endswith(r"\endgroup")
    assert r"$\frac{1}{2}, 1$" in text


@pytest.mark.parametrize(
    "model", [m for m in MODELS if isinstance(m.game({}), ExtensiveFormGame)], ids=lambda m: m.slug
)
def test_istgame_has_a_root_per_interior_node_and_a_branch_per_action(model):
    game = model.game({})
    text = tree_latex(game)
    nodes = interior(game)
    assert braces_balanced(text)
    assert text.count(r"\istroot") == len(nodes)
    assert text.count(r"\istb") == sum(len(n.actions) for n in nodes)
    assert text.count(r"\endist") == len(nodes)
    assert text.count("[chance node]") == sum(isinstance(n, Chance) for n in nodes)
    joins = sum(len(m) - 1 for m in infoset_members(game).values())
    assert text.count(r"\xtInfoset") == joins
    # Every terminal's payoff vector is written once per terminal with that vector.
    for terminal, _ in game.terminals():
        vector = "{(" + ", ".join(latex_value(v) for v in terminal.payoffs) + ")}"
        assert text.count(vector) >= 1
    # One branch leads to each node but the root.
    assert text.count(r"\istb") == len(game.terminals()) + len(nodes) - 1


def test_istgame_names_chance_probabilities_and_joins_information_sets():
    text = tree_latex(weird_tree())
    assert r"\ (\frac{1}{3})" in text and r"\ (\frac{2}{3})" in text
    assert r"\xtInfoset(n1)(n2)" in text
    assert r"\istroot(n1)(n0-1)" in text and r"\istroot(n2)(n0-2)" in text
    assert "{(c, 1)}" in text and r"{(0, \frac{1}{2})}" in text
    assert braces_balanced(text)


def test_istgame_sibling_distances_are_whole_millimetres():
    # istgame reads "+LEVEL..SIBLING+" up to a dot: a decimal point would break the picture.
    for model in MODELS:
        game = model.game({})
        if isinstance(game, ExtensiveFormGame):
            for distance in re.findall(r"\+(\S*?)\.\.(\S*?)\+", tree_latex(game)):
                assert all(re.fullmatch(r"\d+mm", d) for d in distance), distance


def test_wide_trees_are_scaled_to_the_page_and_narrow_ones_are_not():
    wide = ExtensiveFormGame(["A"], choice("A", "a", {f"action {k}": Terminal((k,)) for k in range(40)}))
    assert "scale=" in tree_latex(wide)
    assert "scale=" not in tree_latex(weird_tree())


def test_booktabs_table_escapes_text_and_sets_numbers_in_math():
    text = booktabs_table(["name", "value"], [[WEIRD, Fraction(1, 2)], ["b", 0.25]], caption="50% & more", label="t:x")
    assert text.startswith(r"\begin{table}[htbp]") and text.endswith(r"\end{table}")
    assert r"\caption{50\% \& more}" in text and r"\label{t:x}" in text
    assert r"\begin{tabular}{lr}" in text
    assert r"& $\frac{1}{2}$ \\" in text and r"b & $0.25$ \\" in text
    assert [line for line in text.splitlines() if line.endswith("rule")] == [r"\toprule", r"\midrule", r"\bottomrule"]
    assert braces_balanced(text)
    with pytest.raises(DeterrenceError, match="row 1 has 1 cells"):
        booktabs_table(["a", "b"], [["only one"]])


def _compile(tmp_path, body, package, name):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    if (
        shutil.which("kpsewhich")
        and not subprocess.run(["kpsewhich", f"{package}.sty"], capture_output=True, text=True).stdout.strip()
    ):
        pytest.skip(f"the LaTeX package {package} is not installed")
    (tmp_path / f"{name}.tex").write_text(latex_document(body, [package]), encoding="utf-8")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / f"{name}.pdf").stat().st_size > 0


def test_every_normal_form_compiles_with_sgame(tmp_path):
    games = [m.game({}) for m in MODELS] + [three_player(), NormalFormGame([WEIRD], [[WEIRD]], [["c/2"]])]
    body = "\n\n".join(normal_form_latex(g) for g in games if isinstance(g, NormalFormGame))
    _compile(tmp_path, body, "sgame", "normal")


def test_every_tree_compiles_with_istgame(tmp_path):
    games = [m.game({}) for m in MODELS] + [weird_tree()]
    body = "\n\n".join(tree_latex(g) for g in games if isinstance(g, ExtensiveFormGame))
    _compile(tmp_path, body, "istgame", "trees")


def test_booktabs_table_compiles(tmp_path):
    body = booktabs_table(["x", WEIRD], [[WEIRD, Fraction(-1, 3)], ["y", 2.5e-9]], caption=WEIRD)
    _compile(tmp_path, body, "booktabs", "table")


# -- DOT -------------------------------------------------------------------------------
def dot_well_formed(text):
    """Quoted strings close, and braces balance outside strings and HTML-like labels."""
    depth, k, html = 0, 0, 0
    while k < len(text):
        c = text[k]
        if html:
            html += {"<": 1, ">": -1}.get(c, 0)
        elif c == '"':
            k += 1
            while k < len(text) and text[k] != '"':
                k += 2 if text[k] == "\\" else 1
            if k >= len(text):
                return False
        elif c == "<":
            html = 1
        elif c in "{}":
            depth += 1 if c == "{" else -1
            if depth < 0:
                return False
        k += 1
    return depth == 0 and html == 0


def test_dot_strings_and_html_are_escaped():
    assert dot_string('say "hi" \\ now') == '"say \\"hi\\" \\\\ now"'
    assert dot_string("two\nlines") == '"two\\nlines"'
    assert html_escape('<b>&"') == "&lt;b&gt;&amp;&quot;"


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_dot_has_every_node_and_edge(model):
    game = model.game({})
    text = game_to_dot(game)
    assert dot_well_formed(text)
    assert text.startswith("digraph ") and text.endswith("}")
    if isinstance(game, NormalFormGame):
        assert text.count("<table") == 1
        m, n = game.shape
        assert text.count("<tr>") == m + 2 and text.count("<td>") == n + m + m * n
        for i, j in [(0, 0), (m - 1, n - 1)]:
            cell = ", ".join(str(v) for v in game.payoffs[i, j])
            assert f"<td>{cell}</td>" in text
        return
    nodes = [n for n, _ in game.walk()]
    assert len(re.findall(r"^  n\d+ \[label=", text, re.M)) == len(nodes)
    assert len(re.findall(r"^  n\d+ -> n\d+ \[label=", text, re.M)) == len(nodes) - 1
    assert text.count("shape=diamond") == sum(isinstance(n, Chance) for n in nodes)
    assert text.count("shape=box") == len(game.terminals())
    joins = sum(len(m) - 1 for m in infoset_members(game).values())
    assert text.count("style=dashed") == joins
    for node in interior(game):
        for action in node.actions:
            assert f'[label="{action}' in text


def test_dot_labels_chance_moves_and_information_sets():
    text = game_to_dot(weird_tree())
    assert dot_well_formed(text)
    assert 'label="t (2/3)"' in text and 'label="(0, 1/2)"' in text
    assert "n1 -> n4 [style=dashed, dir=none, constraint=false" in text
    assert "{ rank=same; n1; n4; }" in text
    assert dot_string(WEIRD) in text


def test_dot_of_three_players_has_a_table_per_profile():
    text = game_to_dot(three_player())
    assert dot_well_formed(text)
    assert text.count("<table") == 2 and "<i>C: p</i>" in text and "<i>C: q</i>" in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_graphviz_renders_every_model(model):
    game = model.game({})
    done = subprocess.run(["dot", "-Tsvg"], input=game_to_dot(game), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    expected = len(list(game.walk())) if isinstance(game, ExtensiveFormGame) else 1
    assert done.stdout.count('class="node"') == expected


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_renders_hostile_labels():
    for game in (weird_tree(), NormalFormGame([WEIRD, "B"], [[WEIRD], ["<&>"]], [[[1, "x"]]])):
        done = subprocess.run(["dot", "-Tsvg"], input=game_to_dot(game), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr


# -- Gambit through the converters -------------------------------------------------------
def same_tree(a, b):
    assert a.players == b.players
    assert a.infosets == b.infosets
    for player, sets in a.infosets.items():
        for infoset in sets:
            assert a.actions(player, infoset) == b.actions(player, infoset)
    assert [(p, t.payoffs) for t, p in a.terminals()] == [(p, t.payoffs) for t, p in b.terminals()]


def same_normal_form(a, b):
    assert a.players == b.players and a.strategies == b.strategies
    assert a.payoffs.tolist() == b.payoffs.tolist()


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_gambit_exports_read_back_to_the_same_game(model):
    game = model.game({})
    efg = read_efg(registry.export(game, "efg"))
    if model.slug == "chain-store-3":  # its reduced form has 16384 x 2 x 8 x 512 strategies: refused in one line
        same_tree(game, efg)
        with pytest.raises(GameError, match="too many"):
            registry.export(game, "nfg")
        return
    nfg = read_nfg(registry.export(game, "nfg"))
    if isinstance(game, ExtensiveFormGame):
        same_tree(game, efg)
        same_normal_form(reduced_normal_form(game).game, nfg)
    else:
        same_normal_form(game, nfg)
        same_normal_form(game, reduced_normal_form(efg).game)


def test_simultaneous_tree_hides_earlier_moves():
    tree = simultaneous_tree(three_player())
    members = infoset_members(tree)
    assert {key: len(nodes) for key, nodes in members.items()} == {("A", "1"): 1, ("B", "1"): 2, ("C", "1"): 6}
    assert len(tree.terminals()) == 12


def test_symbolic_games_are_refused_by_the_gambit_formats():
    game = NormalFormGame(["A", "B"], [["x"], ["y"]], [[["c", 1]]])
    tree = simultaneous_tree(game)
    for write, target in [(game_to_nfg, game), (game_to_efg, game), (game_to_nfg, tree)]:
        with pytest.raises(DeterrenceError, match="evaluate"):
            write(target)


# -- the registry -----------------------------------------------------------------------
def test_registry_infers_formats_from_extensions():
    assert [registry.format_for_path(p) for p in ("a.TEX", "b.gv", "c.dot", "d.efg", "e.nfg", "f.json")] == [
        "latex",
        "dot",
        "dot",
        "efg",
        "nfg",
        "json",
    ]
    with pytest.raises(DeterrenceError, match="cannot tell the export format of 'g.txt'"):
        registry.format_for_path("out/g.txt")
    with pytest.raises(DeterrenceError, match="unknown export format 'pdf'; choose one of dot, efg, json, latex, nfg"):
        registry.get_exporter("pdf")


def test_a_new_format_is_one_registration():
    registry.register_exporter("players", lambda game: " ".join(game.players), extensions=("txt",), description="t")
    try:
        assert registry.format_for_path("x.txt") == "players"
        assert registry.export(three_player(), "players") == "A B C"
        with pytest.raises(ValueError, match="registered already"):
            registry.register_exporter("players", str)
        with pytest.raises(ValueError, match="belongs to export format 'latex'"):
            registry.register_exporter("other", str, extensions=(".tex",))
    finally:
        registry.unregister_exporter("players")
    assert "players" not in registry.exporters()


def test_game_to_latex_and_dot_refuse_other_objects():
    with pytest.raises(DeterrenceError):
        game_to_latex("not a game")
    with pytest.raises(DeterrenceError):
        game_to_dot(42)
