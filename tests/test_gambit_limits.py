"""The readers' limits: huge exact numbers and many players.

Every limit is either handled (numbers of any length are printed in full) or
refused with a one-line error that names it; nothing ends in a traceback.
The games are generated in ``tmp_path``, shrunk to the smallest size that
showed each problem.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from gambit_files import FIXTURES, GAME_FILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deterrence.cli.main import main
from deterrence.errors import DeterrenceError, GameError, GameFileError
from deterrence.forms.normal_form import MAX_PLAYERS, NormalFormGame
from deterrence.io import dumps, loads, read_efg, read_game, read_nfg
from deterrence.io.gambit_lexer import MAX_DIGITS
from deterrence.numbers import int_text
from deterrence.solvers.facade import solve


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def diagonal_nfg(a: tuple[int, int], b: tuple[int, int]) -> str:
    """A 2x2 game paying a[i], b[i] on the diagonal: one mixed equilibrium with payoff a1*a2/(a1+a2)."""
    rows = [(a[0], b[0]), (0, 0), (0, 0), (a[1], b[1])]  # first player fastest
    return (
        'NFG 1 R "diagonal" { "A" "B" } { 2 2 }\n' + "\n".join(f"{int_text(x)} {int_text(y)}" for x, y in rows) + "\n"
    )


def many_player_nfg(n: int) -> str:
    players = " ".join(f'"P{i}"' for i in range(n))
    return f'NFG 1 R "many" {{ {players} }} {{ {" ".join(["1"] * n)} }}\n{" ".join(["0"] * n)}\n'


def many_player_efg(n: int, width: int = 1) -> str:
    """Player 1 chooses which player moves next; every other player stops or goes on."""
    players = " ".join('""' for _ in range(n))
    lines = [f'EFG 2 R "many" {{ {players} }}', 'p "" 1 1 "" { ' + " ".join(f'"{k}"' for k in range(width)) + " } 0"]
    for k in range(width):
        mover = k % n + 1
        lines.append(f'p "" {mover} {2 if mover == 1 else 1} "" {{ "stop" "go" }} 0')
        lines.append('t "" 1 "paid" { ' + " ".join(["1"] * n) + " }" if k == 0 else 't "" 1')
        lines.append('t "" 0')
    return "\n".join(lines) + "\n"


# -- huge exact numbers ---------------------------------------------------------
# Payoffs of 2,500 digits give equilibrium payoffs of about 5,000 digits, more
# than str() converts (4,300); they used to end in a ValueError traceback.
BIG = (10**2499 + 7, 10**2499 + 3)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_solve_prints_results_with_more_digits_than_str_allows(capsys, tmp_path, fmt):
    path = tmp_path / "big.nfg"
    path.write_text(diagonal_nfg(BIG, BIG))
    status, out, err = run(capsys, "solve", path, "--format", fmt)
    assert status == 0, err
    value = Fraction(BIG[0] * BIG[1], BIG[0] + BIG[1])  # the mixed equilibrium's payoff
    assert len(int_text(value.numerator)) > 4300
    assert int_text(value.numerator) in out  # written in full, exactly
    if fmt == "json":
        assert json.loads(out)  # still valid JSON


def test_reader_accepts_the_digit_limit_and_refuses_one_more():
    at_limit = 10**MAX_DIGITS - 1  # MAX_DIGITS nines
    game = read_nfg(f'NFG 1 R "" {{ "A" }} {{ 2 }} {at_limit} -1/{at_limit}')
    assert game.payoffs[0, 0] == at_limit and game.payoffs[1, 0] == Fraction(-1, at_limit)
    again = loads(dumps(game))  # what the writer writes reads again
    assert again.payoffs.tolist() == game.payoffs.tolist()
    for text in (str(10**MAX_DIGITS), f"1/{10**MAX_DIGITS}", "9" * 3700 + "e400", "0." + "0" * MAX_DIGITS + "1"):
        with pytest.raises(GameFileError, match=rf"more than {MAX_DIGITS} digits") as info:
            read_nfg(f'NFG 1 R "" {{ "A" }} {{ 1 }} {text}')
        assert "\n" not in str(info.value) and len(str(info.value)) < 200


def test_cli_refuses_a_too_long_payoff_in_one_line(capsys, tmp_path):
    path = tmp_path / "long.nfg"
    path.write_text(diagonal_nfg((10**4500, 1), (1, 1)))
    status, out, err = run(capsys, "solve", path)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and f"more than {MAX_DIGITS} digits" in err and "line 2" in err


def test_efg_probability_and_payoff_digits_are_limited():
    efg = 'EFG 2 R "" { "A" } c "" 1 "" { "a" 1/%s "b" %s } 0 t "" 0 t "" 0'
    q = 10**MAX_DIGITS
    with pytest.raises(GameFileError, match=rf"more than {MAX_DIGITS} digits"):
        read_efg(efg % (q, Fraction(q - 1, q)))


# -- many players -----------------------------------------------------------------
def test_nfg_with_the_most_players_reads_and_solves(tmp_path):
    game = read_nfg(many_player_nfg(MAX_PLAYERS))
    assert game.n_players == MAX_PLAYERS == 31
    result = solve(game, concept="pure")
    assert len(result.equilibria) == 1  # the only profile


@pytest.mark.parametrize("n", [MAX_PLAYERS + 1, 64, 65, 200])
def test_nfg_with_more_players_is_refused_at_read_time(n, capsys, tmp_path):
    with pytest.raises(GameFileError, match=rf"line 1: the game has {n} players; at most {MAX_PLAYERS}"):
        read_nfg(many_player_nfg(n))
    path = tmp_path / "many.nfg"
    path.write_text(many_player_nfg(n))
    status, _, err = run(capsys, "solve", path)
    assert status == 2 and err.count("\n") == 1 and "Traceback" not in err


def test_normal_form_game_refuses_more_than_max_players():
    with pytest.raises(GameError, match=r"would have 32 players; at most 31"):
        NormalFormGame([f"P{i}" for i in range(32)], [["s"]] * 32, [[0] * 32])


@pytest.mark.parametrize("concept", ["nash", "pure", "dominance"])
def test_tree_with_64_players_reads_but_its_normal_form_is_refused(concept, capsys, tmp_path):
    path = tmp_path / "many.efg"
    path.write_text(many_player_efg(64, width=2))
    game = read_efg(path)
    assert game.n_players == 64
    with pytest.raises(DeterrenceError, match=r"reduced normal form would have 64 players; at most 31"):
        solve(game, concept=concept)
    status, _, err = run(capsys, "solve", path, "--concept", concept)
    assert status == 2 and err.count("\n") == 1 and "at most 31" in err


def test_tree_with_3000_players_reads(tmp_path):
    # 3,000 players, 3,000 decision nodes and 6,000 terminals in 110 KB: reading
    # used to cost players x terminals (about a minute); it is now linear.
    path = tmp_path / "wide.efg"
    path.write_text(many_player_efg(3000, width=3000))
    game = read_efg(path)
    assert game.n_players == 3000
    assert len(game.root.actions) == 3000
    terminals = game.terminals()
    assert len(terminals) == 6000
    assert terminals[0][0].payoffs == (1,) * 3000 and terminals[1][0].payoffs == (0,) * 3000
    assert game.players[:3] == ("1", "2", "3")  # unnamed players get their numbers


def test_shared_outcomes_under_interior_outcomes_still_add_up():
    # Outcome sums are shared between terminals; each still gets its own path's sum.
    text = """EFG 2 R "" { "A" "B" } ""
p "" 1 1 "" { "l" "r" } 0
p "" 2 1 "" { "x" "y" } 1 "fee" { 1, 0 }
t "" 2 "win" { 0, 5 }
t "" 2
p "" 2 1 "" { "x" "y" } 3 "tax" { 0, -1 }
t "" 2
t "" 0"""
    game = read_efg(text)
    assert [t.payoffs for t, _ in game.terminals()] == [(1, 5), (1, 5), (0, 4), (0, -1)]


# -- fuzzing the limits (hypothesis) ------------------------------------------------
SMALL = [p.read_text(encoding="utf-8") for p in GAME_FILES if p.stat().st_size < 2500]
NUMBER = st.one_of(
    st.integers(MAX_DIGITS - 3, MAX_DIGITS + 3).map(lambda n: "9" * n),
    st.integers(MAX_DIGITS - 3, MAX_DIGITS + 3).map(lambda n: "1/" + "7" * n),
    st.integers(395, 405).map(lambda e: f"1e{e}"),
    st.integers(395, 405).map(lambda e: f"-2.5e-{e}"),
    st.integers(3590, 3610).map(lambda n: "3" * n + "e400"),
)


@st.composite
def pushed_to_the_limits(draw):
    """A fixture with one number made huge, or its player list repeated past MAX_PLAYERS."""
    text = draw(st.sampled_from(SMALL))
    if draw(st.booleans()):
        tokens = text.split(" ")
        numeric = [i for i, t in enumerate(tokens) if t.strip().lstrip("-").replace("/", "").isdigit()]
        if numeric:
            tokens[draw(st.sampled_from(numeric))] = draw(NUMBER)
        return " ".join(tokens)
    head, brace, rest = text.partition("{")
    players, close, tail = rest.partition("}")
    copies = draw(st.integers(2, 40))
    return head + brace + players * copies + close + tail


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pushed_to_the_limits())
def test_fixtures_pushed_past_the_limits_parse_or_fail_in_one_line(text):
    try:
        game = loads(text)
    except GameFileError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert loads(dumps(game)).players == game.players


def test_fixture_list_is_not_empty():
    assert len(SMALL) >= 10 and (FIXTURES / "kuhn_poker.efg").is_file()
    assert isinstance(read_game(FIXTURES / "kuhn_poker.efg").root.probabilities[0], Fraction)


def test_interior_outcome_sums_beyond_the_digit_limit_are_refused():
    # Found by the fuzz test above: each outcome is within the limit, their sum is not,
    # and the writer would have written a payoff the reader refuses.
    nines = "9" * MAX_DIGITS
    tree = 'EFG 2 R "" {{ "A" }} p "" 1 1 "" {{ "a" }} 1 "" {{ {} }} t "" 2 "" {{ {} }}'
    assert read_efg(tree.format(nines, -1)).terminals()[0][0].payoffs == (10**MAX_DIGITS - 2,)
    with pytest.raises(GameFileError, match=rf"line 1: the payoffs summed along the path .* more than {MAX_DIGITS}"):
        read_efg(tree.format(nines, 1))
