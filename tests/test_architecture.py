"""The shape of the code base: import graph, layering, module size, import weight.

The import graph is read with :mod:`ast` from every ``.py`` file under
``deterrence/`` and ``games/`` (nothing is imported to build it, and imports
inside docstrings, i.e. doctests, are not code and are not seen).

* No import cycle among module-level imports.  An import inside a function
  body is lazy on purpose (it keeps ``import deterrence`` light) and an
  import under ``if TYPE_CHECKING:`` never runs, so neither is an edge.
* Nothing in ``deterrence`` imports ``games``, at any level, lazy or not.
* No module is over 500 lines.
* ``import deterrence`` loads none of the heavy dependencies.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("deterrence", "games")
MAX_LINES = 500
HEAVY = ("sympy", "scipy", "pandas", "matplotlib", "tqdm")


@dataclass(frozen=True)
class Import:
    """One import statement's target module, where it is and whether it runs at import time."""

    source: str  # importing module, dotted
    target: str  # imported module, dotted (resolved to a submodule where one exists)
    line: int
    module_level: bool  # not inside a function body and not under ``if TYPE_CHECKING:``


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = module_files()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _literal_dynamic_import(node: ast.Call) -> str | None:
    """The module named by ``importlib.import_module("x")`` / ``__import__("x")`` with a literal name."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and not first.value.startswith("."):
        return first.value
    return None


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.imports: list[Import] = []
        self._function_depth = 0
        self._type_checking_depth = 0

    # -- scope tracking -------------------------------------------------
    def _visit_function(self, node: ast.AST) -> None:
        self._function_depth += 1
        self.generic_visit(node)
        self._function_depth -= 1

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function
    visit_Lambda = _visit_function

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self._type_checking_depth += 1
            for child in node.body:
                self.visit(child)
            self._type_checking_depth -= 1
            for child in node.orelse:  # the ``else`` of ``if TYPE_CHECKING`` runs
                self.visit(child)
        else:
            self.generic_visit(node)

    # -- imports --------------------------------------------------------
    def _add(self, target: str, node: ast.AST) -> None:
        module_level = self._function_depth == 0 and self._type_checking_depth == 0
        self.imports.append(Import(self.module, target, node.lineno, module_level))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        for alias in node.names:
            candidate = f"{prefix}.{alias.name}"
            self._add(candidate if candidate in MODULES else prefix, node)

    def visit_Call(self, node: ast.Call) -> None:
        target = _literal_dynamic_import(node)
        if target is not None:
            self._add(target, node)
        self.generic_visit(node)


def _collect() -> list[Import]:
    imports = []
    for module, path in MODULES.items():
        collector = _Collector(module, path.name == "__init__.py")
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        imports.extend(collector.imports)
    return imports


IMPORTS = _collect()


def _in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def import_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle through each strongly connected component that has one, as a path a, b, ..., a."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strongconnect(start: str) -> None:  # iterative Tarjan
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)

    for node in sorted(edges):
        if node not in index:
            strongconnect(node)

    cycles = []
    for component in components:
        members = set(component)
        if len(component) == 1 and component[0] not in edges.get(component[0], ()):
            continue
        start = min(component)
        # Breadth-first search from ``start`` back to itself inside the component.
        parent: dict[str, str] = {}
        queue = deque([start])
        found = None
        while queue and found is None:
            node = queue.popleft()
            for child in sorted(edges.get(node, ())):
                if child == start:
                    found = node
                    break
                if child in members and child not in parent:
                    parent[child] = node
                    queue.append(child)
        path = [start]
        node = found
        while node is not None and node != start:
            path.append(node)
            node = parent[node]
        cycles.append([start, *reversed(path[1:]), start])
    return sorted(cycles)


def test_cycle_finder_reports_a_readable_path():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}
    assert import_cycles(edges) == [["a", "b", "c", "a"], ["d", "d"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_collector_sees_module_level_lazy_and_type_checking_imports(tmp_path):
    source = (
        "import deterrence.errors\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from deterrence.forms import normal_form\n"
        "def f():\n"
        "    from games.classic import chicken\n"
        "    '''>>> import games'''\n"
        "    importlib.import_module('games.entry')\n"
        "from .. import formula\n"
        "from ..numbers import as_fraction\n"
    )
    collector = _Collector("deterrence.forms.example", is_package=False)
    collector.visit(ast.parse(source))
    seen = {(i.target, i.module_level) for i in collector.imports if not i.target.startswith("typing")}
    assert seen == {
        ("deterrence.errors", True),
        ("deterrence.forms.normal_form", False),
        ("games.classic", False),
        ("games.entry", False),
        ("deterrence.formula", True),
        ("deterrence.numbers", True),
    }


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles(package):
    edges: dict[str, set[str]] = {m: set() for m in MODULES if _in_package(m, package)}
    for imp in IMPORTS:
        if imp.module_level and imp.source in edges and imp.target in edges:
            edges[imp.source].add(imp.target)
    cycles = import_cycles(edges)
    assert not cycles, f"import cycles among the module-level imports of {package}:\n" + "\n".join(
        "  " + " -> ".join(cycle) for cycle in cycles
    )


def test_engine_never_imports_the_model_library():
    offending = [
        f"  {imp.source} (line {imp.line}) imports {imp.target}"
        for imp in IMPORTS
        if _in_package(imp.source, "deterrence") and _in_package(imp.target, "games")
    ]
    assert not offending, "deterrence must not import games:\n" + "\n".join(offending)


def test_no_module_is_over_500_lines():
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines()) for path in MODULES.values()
    }
    too_long = sorted(((n, p) for p, n in lengths.items() if n > MAX_LINES), reverse=True)
    assert not too_long, f"modules over {MAX_LINES} lines:\n" + "\n".join(f"  {p}: {n}" for n, p in too_long)


def test_import_deterrence_loads_no_heavy_dependency():
    code = f"import sys, deterrence; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert loaded == [], f"`import deterrence` loads {', '.join(loaded)}"
