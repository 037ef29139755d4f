"""Sequential equilibrium checks (deterrence.solvers.sequential): consistency of beliefs beyond Bayes' rule."""

from __future__ import annotations

from fractions import Fraction

from deterrence import ExtensiveFormGame, Terminal, choice
from deterrence.solvers.pbe_tree import TreeIndex
from deterrence.solvers.sequential import consistent, is_sequential
from tests.signalling_games import beer_quiche, selten_horse


def _relay() -> ExtensiveFormGame:
    """Player 1 takes an outside option O or moves A/B unseen; 2 picks x/y; 3 sees x but not A/B.

    All payoffs are zero, so every assessment is sequentially rational and
    only consistency can fail.  With 1 playing O and 2 playing x, both later
    sets are off the path; any trembles give 3 the same odds of A:B as 2
    has (2's x is played with probability one in the limit at both nodes).
    """
    zero = Terminal((0, 0, 0))

    def two(first: str) -> object:
        return choice("2", "x2", {"x": choice("3", "x3", {"l": zero, "r": zero}, label=f"{first} x"), "y": zero},
                      label=first)  # fmt: skip

    return ExtensiveFormGame(["1", "2", "3"], choice("1", "x1", {"O": zero, "A": two("A"), "B": two("B")}))


PLAY = {"1": {"x1": {"O": 1}}, "2": {"x2": {"x": 1}}, "3": {"x3": {"l": 1}}}


def test_weak_pbe_beliefs_that_disagree_across_sets_are_not_consistent():
    index = TreeIndex(_relay())
    differ = {("2", "x2"): {("A",): 1, ("B",): 0}, ("3", "x3"): {("A", "x"): 0, ("B", "x"): 1}}
    same = {("2", "x2"): {("A",): Fraction(1, 3), ("B",): Fraction(2, 3)},
            ("3", "x3"): {("A", "x"): Fraction(1, 3), ("B", "x"): Fraction(2, 3)}}  # fmt: skip
    assert consistent(index, PLAY, differ) is False
    assert consistent(index, PLAY, same) is True


def test_is_sequential_reads_json_beliefs():
    ok, why = is_sequential(_relay(), PLAY, {"2": {"x2": {"A": 1, "B": 0}}, "3": {"x3": {"A x": 0, "B x": 1}}})
    assert not ok and "limit of Bayes posteriors" in why
    ok, _ = is_sequential(_relay(), PLAY, {"2": {"x2": {"A": 1, "B": 0}}, "3": {"x3": {"A x": 1, "B x": 0}}})
    assert ok


def test_selten_horse_nash_with_player_one_down_is_not_sequential():
    down = {"1": {"x1": {"D": 1}}, "2": {"x2": {"a": 1}}, "3": {"x3": {"L": 1}}}
    ok, why = is_sequential(selten_horse(), down)
    assert not ok and "2 is not sequentially rational" in why


def test_beer_quiche_pooling_with_any_off_path_belief_is_consistent():
    # One unexpected move per node: trembles c_w eps, c_s eps give any odds after quiche.
    index = TreeIndex(beer_quiche())
    beer = {"Sender": {"weak": {"beer": 1}, "strong": {"beer": 1}},
            "Receiver": {"after beer": {"not": 1}, "after quiche": {"duel": 1}}}  # fmt: skip
    weak, strong = ("weak", "quiche"), ("strong", "quiche")
    for mu in (Fraction(1, 2), Fraction(1), Fraction(7, 9)):
        assert consistent(index, beer, {("Receiver", "after quiche"): {weak: mu, strong: 1 - mu}})
