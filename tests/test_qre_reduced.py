"""Batched agent QRE by Newton on the belief-coupled information sets only (deterrence.solvers.qre_reduced).

The reduction is exact, so on every tree it must give the profile of Newton in all
components (``method="full"``, the previous path) and of the single-point path follower.
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest
from trees import absent_minded_driver, matching_pennies_tree

from deterrence import ExtensiveFormGame, Terminal, solve
from deterrence.analysis.qre_outcomes import qre_outcomes
from deterrence.forms.extensive_form import Chance, Decision
from deterrence.solvers.qre import LogitSystem
from deterrence.solvers.qre_agent import agent_tree, qre_tree
from deterrence.solvers.qre_batch import _residual, agent_qre_batch, with_terminal_payoffs
from deterrence.solvers.qre_reduced import ReducedTree, compile_reduced, solve_reduced
from games.iran_pakistan.forms import TYPES, bayesian_game, priors
from games.iran_pakistan.parameters import PARAMETERS
from tests.signalling_games import beer_quiche, selten_horse

SAME = 1e-10


def _compiled(tree) -> ReducedTree:
    reduced = compile_reduced(tree)
    assert reduced is not None
    return reduced


def _flat(game, eq) -> np.ndarray:
    return np.array([v for p in game.players for h in game.infosets[p] for v in eq.strategies[p][h].values()])


def _bayesian_fixed_priors(values=None):
    """The case's Bayesian tree with the priors at their defaults (as benchmarks/qre.py builds it)."""
    fixed = {p.symbol: p.default for p in PARAMETERS if p.name.startswith("prior_")}
    return bayesian_game().map_values(lambda v: v.subs(fixed) if hasattr(v, "subs") else v)


def _case_payoffs(size: int, seed: int):
    """The Bayesian tree and its payoffs at random points, every non-prior parameter over its range."""
    f = qre_outcomes(_bayesian_fixed_priors, {}, 1.0)
    rng = np.random.default_rng(seed)
    points = {p.name: np.full(size, float(p.default)) for p in PARAMETERS}
    for p in PARAMETERS:
        if not p.name.startswith("prior_"):
            points[p.name] = rng.uniform(float(p.low), float(p.high), size)
    _, names, values, function, (tree, _) = f._state()
    return tree, np.asarray(f._payoffs(values, points, names, function), dtype=np.float64)


def _assert_same(tree, pay, lam):
    reduced = agent_qre_batch(tree, pay, lam)
    full = agent_qre_batch(tree, pay, lam, method="full")
    assert reduced.converged.all() and full.converged.all()
    assert np.max(np.abs(reduced.sigma - full.sigma)) <= SAME
    assert np.max(np.abs(reduced.values - full.values)) <= SAME
    assert np.max(np.abs(reduced.reach - full.reach)) <= SAME
    return reduced


def _reduced_share(tree, pay, lam) -> float:
    """Fraction of points the reduced continuation itself solved (the rest go to the full Newton)."""
    columns = np.ascontiguousarray(pay.transpose(1, 2, 0))
    _, error = solve_reduced(_compiled(tree), columns, np.broadcast_to(lam, pay.shape[:1]).copy(), 1, 30)
    return float(np.mean(np.isfinite(error)))


def _random_tree(rng, levels=(("A", 2), ("B", 3), ("C", 2)), chance=(0.3, 0.7)) -> ExtensiveFormGame:
    """Chance, then one level per player; each level's nodes split at random into information sets.

    A set holds nodes of one level only, so no set precedes itself (a backward order exists),
    but recall may be imperfect and beliefs at most sets depend on earlier choices.
    """
    count = [len(chance)]
    for _, actions in levels[:-1]:
        count.append(count[-1] * actions)
    labels = []
    for (player, _), nodes in zip(levels, count):
        sets = rng.integers(0, max(1, nodes // 2), nodes)
        labels.append([f"{player}{s}" for s in sets])
    players = [p for p, _ in levels]
    position = [0] * len(levels)

    def build(level):
        if level == len(levels):
            return Terminal(tuple(float(v) for v in rng.normal(0, 2, len(players))))
        player, actions = levels[level]
        infoset = labels[level][position[level]]
        position[level] += 1
        names = tuple(f"a{i}" for i in range(actions))
        return Decision(player, infoset, names, tuple(build(level + 1) for _ in names))

    root = Chance(tuple(f"c{i}" for i in range(len(chance))), chance, tuple(build(0) for _ in chance))
    return ExtensiveFormGame(players, root)


def test_classification_of_the_case_tree_by_hand():
    """Pakistan's response set: reached through chance only (beliefs = the prior); its two
    counter-escalation sets: reached through Iran's type-dependent escalation (coupled)."""
    tree = agent_tree(bayesian_game({}))
    reduced = _compiled(tree)
    coupled = {tree.blocks[b] for b in reduced.coupled}
    assert coupled == {("Pakistan", "after calibrated + escalation"), ("Pakistan", "after direct + escalation")}
    assert reduced.dimension == 2
    response = tree.blocks.index(("Pakistan", "response"))
    prior = priors({p.name: p.default for p in PARAMETERS})
    assert np.allclose(reduced.weights[response], [float(prior[k]) for k, *_ in TYPES], atol=1e-15)
    # Each coupled node is linked to the one decision its path does not share: Iran's escalation.
    for b in reduced.coupled:
        for node, _, components in reduced.links[b]:
            assert len(components) == 1
            assert tree.labels[components[0]][1] == "escalate"
            assert tree.parent[node] in tree.block_nodes[tree.blocks.index(("Iran", tree.labels[components[0]][0][5:]))]


def test_classification_of_small_trees_by_hand():
    horse = agent_tree(selten_horse())
    assert [horse.blocks[b] for b in _compiled(horse).coupled] == [("3", "x3")]  # D versus A then d
    quiche = agent_tree(beer_quiche())
    assert {quiche.blocks[b] for b in _compiled(quiche).coupled} == {
        ("Receiver", "after beer"),
        ("Receiver", "after quiche"),
    }
    pennies = agent_tree(matching_pennies_tree())
    assert _compiled(pennies).coupled == (1,)
    # A moves, then chance, then B without seeing chance: nodes differ by chance only.
    b_set = Decision("B", "b", ("l", "r"), (Terminal((1.0, 0.0)), Terminal((0.0, 1.0))))
    after = Chance(
        ("x", "y"), (0.25, 0.75), (b_set, Decision("B", "b", ("l", "r"), (Terminal((0.0, 2.0)), Terminal((1.0, 0.0)))))
    )
    game = ExtensiveFormGame(["A", "B"], Decision("A", "a", ("in", "out"), (after, Terminal((0.5, 0.5)))))
    tree = agent_tree(game)
    reduced = _compiled(tree)
    assert reduced.coupled == () and reduced.dimension == 0
    assert reduced.weights[tree.blocks.index(("B", "b"))] == (0.25, 0.75)


def test_a_misclassified_set_is_caught_by_the_full_space_check():
    """Treating a coupled set as if its beliefs were fixed gives a profile that is not a QRE."""
    tree = agent_tree(selten_horse())
    reduced = _compiled(tree)
    block = reduced.coupled[0]
    weights = list(reduced.weights)
    weights[block] = (0.5, 0.5)
    wrong = dataclasses.replace(reduced, coupled=(), dimension=0, weights=tuple(weights))
    wrong = dataclasses.replace(wrong, full_program=_program(wrong))
    pay, lam = tree.payoffs[None], np.array([2.0])
    x, _ = solve_reduced(wrong, np.ascontiguousarray(pay.transpose(1, 2, 0)), lam, 1, 30)
    system = LogitSystem(tree.utilities, tree.sizes, logs=True)
    assert _residual(tree, system, x, pay, lam)[0] > 1e-3
    right, _ = solve_reduced(reduced, np.ascontiguousarray(pay.transpose(1, 2, 0)), lam, 1, 30)
    assert _residual(tree, system, right, pay, lam)[0] < 1e-12


def _program(reduced):
    """The full backward pass of a (modified) reduced tree."""
    from deterrence.solvers.qre_reduced import _Program

    tree = reduced.tree
    node_block = {v: b for b, nodes in enumerate(tree.block_nodes) for v in nodes}
    program = _Program(tree, list(reduced.weights), node_block)
    for b in range(len(tree.sizes)):
        if reduced.weights[b] is not None:
            program.block(b)
    return tuple(program.out)


@pytest.mark.parametrize("lam", [0.3, 1.0, 3.0, 10.0])
def test_case_tree_reduced_equals_full_newton_at_random_points(lam):
    tree, pay = _case_payoffs(150, seed=int(lam * 10))
    _assert_same(tree, pay, lam)


def test_case_tree_with_perturbed_payoffs_needs_and_passes_newton():
    """At the case's parameters the coupled sets' utility differences barely depend on beliefs;
    perturbed payoffs make the coupling real, so the reduced Newton has work to do."""
    tree = agent_tree(bayesian_game({}))
    rng = np.random.default_rng(5)
    pay = tree.payoffs[None] + rng.normal(0, 0.5, (300,) + tree.payoffs.shape)
    lam = rng.uniform(0.1, 3.0, 300)
    assert _reduced_share(tree, pay, lam) > 0.9
    _assert_same(tree, pay, lam)


@pytest.mark.parametrize("build", [beer_quiche, selten_horse, matching_pennies_tree])
def test_signalling_trees_reduced_equals_full_newton(build):
    tree = agent_tree(build())
    rng = np.random.default_rng(3)
    pay = tree.payoffs[None] + rng.normal(0, 0.5, (60,) + tree.payoffs.shape)
    lam = rng.uniform(0.1, 4.0, 60)
    assert _reduced_share(tree, pay, lam) > 0.8
    _assert_same(tree, pay, lam)


@pytest.mark.parametrize("seed", range(4))
def test_random_imperfect_information_trees_reduced_equals_full_newton(seed):
    """Equal to the full Newton, except where the full Newton's equal steps jumped off the branch
    (one point of seed 1): there the reduced one gives the single-point path follower's profile."""
    rng = np.random.default_rng(seed)
    game = _random_tree(rng)
    tree = agent_tree(game)
    reduced = _compiled(tree)
    assert reduced.dimension > 0
    pay = tree.payoffs[None] + rng.normal(0, 0.3, (40,) + tree.payoffs.shape)
    lam = rng.uniform(0.1, 2.0, 40)
    ours = agent_qre_batch(tree, pay, lam)
    full = agent_qre_batch(tree, pay, lam, method="full")
    assert ours.converged.all() and full.converged.all()
    differ = np.flatnonzero(np.max(np.abs(ours.sigma - full.sigma), axis=1) > SAME)
    assert differ.size <= 1
    for i in differ:
        truth = _flat(game, qre_tree(with_terminal_payoffs(game, pay[i]), lam=lam[i])[0])
        assert np.max(np.abs(truth - ours.sigma[i])) < 1e-8


def test_equals_the_single_point_solver():
    tree, pay = _case_payoffs(3, seed=9)
    game = _bayesian_fixed_priors()
    for lam in (0.5, 2.0):
        batch = agent_qre_batch(tree, pay, lam)
        for i in range(len(pay)):
            single = solve(with_terminal_payoffs(game, pay[i]), "qre", options={"lam": lam})[0]
            assert np.max(np.abs(_flat(game, single) - batch.sigma[i])) < 1e-8
    game = beer_quiche()
    tree = agent_tree(game)
    batch = agent_qre_batch(tree, tree.payoffs[None], 1.5)
    assert np.max(np.abs(_flat(game, qre_tree(game, lam=1.5)[0]) - batch.sigma[0])) < 1e-8


def test_trees_without_coupled_sets_are_one_backward_pass():
    def defender(k):
        return Decision("D", f"d{k}", ("r", "y"), (Terminal((-1.0, 1.0 - k)), Terminal((1.0, -1.0))))

    types = tuple(Decision("C", "c", ("go", "stay"), (defender(k), Terminal((0.0, 0.5)))) for k in (3, 1))
    nature = Chance(("weak", "strong"), (0.3, 0.7), types)
    game = ExtensiveFormGame(["C", "D"], nature)
    tree = agent_tree(game)
    assert not tree.perfect_information and _compiled(tree).dimension == 0
    batch = _assert_same(tree, tree.payoffs[None].repeat(3, axis=0), np.array([0.5, 2.0, 9.0]))
    assert np.max(np.abs(_flat(game, qre_tree(game, lam=2.0)[0]) - batch.sigma[1])) < 1e-8


def test_absent_minded_driver_is_coupled_and_reduced():
    """Its one set precedes itself: beliefs depend on its own 'continue', so it is coupled and
    its choice is an unknown; the reduced system needs no backward order there."""
    game = absent_minded_driver()
    tree = agent_tree(game)
    assert _compiled(tree).coupled == (0,)
    batch = _assert_same(tree, tree.payoffs[None].repeat(2, axis=0), np.array([0.5, 2.0]))
    for i, lam in enumerate((0.5, 2.0)):
        assert np.max(np.abs(_flat(game, qre_tree(game, lam=lam)[0]) - batch.sigma[i])) < 1e-8


def test_no_backward_order_falls_back_to_full_newton():
    """A set whose second node lies below its first behind a zero-probability chance move: beliefs
    are fixed (all on the first node) but the set's choice feeds its own utilities: no backward
    order, so Newton in all components."""
    second = Decision("D", "x", ("exit", "continue"), (Terminal((4.0,)), Terminal((1.0,))))
    after = Chance(("on", "off"), (1.0, 0.0), (Terminal((2.0,)), second))
    game = ExtensiveFormGame(["D"], Decision("D", "x", ("exit", "continue"), (Terminal((0.0,)), after)))
    tree = agent_tree(game)
    assert compile_reduced(tree) is None
    batch = agent_qre_batch(tree, tree.payoffs[None].repeat(2, axis=0), np.array([0.5, 2.0]))
    assert batch.converged.all()
    for i, lam in enumerate((0.5, 2.0)):
        assert np.max(np.abs(_flat(game, qre_tree(game, lam=lam)[0]) - batch.sigma[i])) < 1e-8


def _heavy_points(size: int):
    """The Bayesian tree with payoffs perturbed far from the case's (N(0, 1.5)), lambda in [0.1, 3]."""
    game = bayesian_game({})
    tree = agent_tree(game)
    rng = np.random.default_rng(1)
    pay = tree.payoffs[None] + rng.normal(0, 1.5, (size,) + tree.payoffs.shape)
    return game, tree, pay, rng.uniform(0.1, 3, size)


def test_turning_point_falls_back_to_full_newton():
    """A point whose principal branch turns below lambda: the reduced continuation gives up and
    the full Newton (here stepping over the fold onto the branch) takes it, as before."""
    game, tree, pay, lam = _heavy_points(8192)
    pay, lam = pay[[4003, 0]], lam[[4003, 0]]
    columns = np.ascontiguousarray(pay.transpose(1, 2, 0))
    _, error = solve_reduced(_compiled(tree), columns, lam, 1, 30)
    assert np.isnan(error[0]) and np.isfinite(error[1])
    batch = _assert_same(tree, pay, lam)
    truth = _flat(game, qre_tree(with_terminal_payoffs(game, pay[0]), lam=lam[0])[0])
    assert np.max(np.abs(truth - batch.sigma[0])) < 1e-8


def test_reduced_stays_on_the_branch_where_equal_steps_jumped():
    """Point 601 of these draws: 8 equal steps of the full Newton land on another solution;
    the adaptive reduced continuation gives the single-point path follower's profile."""
    game, tree, pay, lam = _heavy_points(1000)
    pay, lam = pay[601:602], lam[601:602]
    truth = _flat(game, qre_tree(with_terminal_payoffs(game, pay[0]), lam=lam[0])[0])
    reduced = agent_qre_batch(tree, pay, lam)
    full = agent_qre_batch(tree, pay, lam, method="full")
    assert reduced.converged.all() and full.converged.all()
    assert np.max(np.abs(truth - reduced.sigma[0])) < 1e-8
    assert np.max(np.abs(truth - full.sigma[0])) > 0.1


def test_pygambit_agrees_at_a_few_points():
    gbt = pytest.importorskip("pygambit")
    logit_solve_lambda = getattr(getattr(gbt, "qre", None), "logit_solve_lambda", None)
    if logit_solve_lambda is None:  # pragma: no cover - pygambit before 16.3
        pytest.skip("this pygambit has no qre.logit_solve_lambda")
    from deterrence.io.gambit import dumps

    tree, pay = _case_payoffs(3, seed=4)
    game = _bayesian_fixed_priors()
    batch = agent_qre_batch(tree, pay, 1.0)
    for i in range(len(pay)):
        g = gbt.read_efg(io.StringIO(dumps(with_terminal_payoffs(game, pay[i]))))
        profile = logit_solve_lambda(g, lam=[1.0], use_strategic=False)[0]
        theirs = np.array([float(profile[k]) for k in range(len(profile))])
        assert np.max(np.abs(theirs - batch.sigma[i])) <= 1e-6
