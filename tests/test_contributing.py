"""CONTRIBUTING.md's "Adding a solver" walk-through runs exactly as written.

The four code blocks marked ``<!-- add-a-solver: ... -->`` are taken from the file: the module
is executed as a module of that name (as if the file existed), then the registration, the usage
and the test.  The new solver must be the one ``solve()`` runs, and its equilibria must verify.
Everything is unregistered afterwards.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

from deterrence import NormalFormGame, SolverError, solve
from deterrence.solvers import registry
from deterrence.solvers.verify import is_nash

CONTRIBUTING = Path(__file__).resolve().parent.parent / "CONTRIBUTING.md"
_BLOCK = re.compile(r"<!-- add-a-solver: (\w+)(?: ([\w.]+))? -->\n```python\n(.*?)```", re.DOTALL)


def _blocks() -> dict[str, tuple[str | None, str]]:
    found = {kind: (name, code) for kind, name, code in _BLOCK.findall(CONTRIBUTING.read_text(encoding="utf-8"))}
    assert sorted(found) == ["module", "register", "test", "use"], sorted(found)
    return found


@pytest.fixture
def walkthrough():
    blocks = _blocks()
    module_name, module_code = blocks["module"]
    module = types.ModuleType(module_name)
    module.__file__ = str(CONTRIBUTING)
    sys.modules[module_name] = module
    try:
        exec(compile(module_code, f"CONTRIBUTING.md:{module_name}", "exec"), module.__dict__)  # noqa: S102 - our own docs
        exec(compile(blocks["register"][1], "CONTRIBUTING.md:register", "exec"), {})  # noqa: S102
        yield blocks, module
    finally:
        sys.modules.pop(module_name, None)
        if ("nash", "normal-2p", "pure-scan") in {(e.concept, e.form, e.method) for e in registry.entries()}:
            registry.unregister("nash", "normal-2p", "pure-scan")


def test_the_walkthrough_registers_a_solver_that_solve_uses(walkthrough, capsys):
    blocks, module = walkthrough
    entry, inner = registry.resolve("nash", "normal-2p", "pure-scan")
    assert entry.load() is module.pure_scan and inner is None
    assert entry.exact is True and entry.complete is False and not entry.default
    assert "pure-scan" in registry.describe()
    namespace: dict = {}
    exec(compile(blocks["use"][1], "CONTRIBUTING.md:use", "exec"), namespace)  # noqa: S102
    assert capsys.readouterr().out == "pure-scan 2 False\n"  # what the comment in the block says
    result = namespace["result"]
    game = result.game
    assert result.method == "pure-scan" and len(result) == 2 and not result.complete
    for eq in result:
        profile = [[eq.strategies[p][s] for s in labels] for p, labels in zip(game.players, game.strategies)]
        assert eq.exact and eq.regret == 0.0 and is_nash(game.payoffs, profile)
    # The two pure equilibria of the Battle of the Sexes, on the diagonal.
    assert sorted(tuple(eq.strategies[game.players[0]].values()) for eq in result) == [(0, 1), (1, 0)]


def test_the_walkthrough_test_passes_and_the_solver_refuses_nothing_it_should_not(walkthrough):
    blocks, module = walkthrough
    namespace: dict = {}
    exec(compile(blocks["test"][1], "CONTRIBUTING.md:test", "exec"), namespace)  # noqa: S102
    tests = [f for name, f in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0]()
    # A float game: the tolerance is used, and matching pennies has no pure equilibrium at all.
    pennies = NormalFormGame.from_bimatrix([[1.0, -1.0], [-1.0, 1.0]], [[-1.0, 1.0], [1.0, -1.0]])
    found = solve(pennies, "nash", "pure-scan")
    assert len(found) == 0 and found.tolerance > 0 and found.complete is False


def test_the_solver_is_gone_after_the_walkthrough():
    with pytest.raises(SolverError, match="unknown method 'pure-scan'"):
        solve(NormalFormGame.from_bimatrix([[1]], [[1]]), "nash", "pure-scan")
