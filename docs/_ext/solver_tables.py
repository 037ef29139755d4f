"""Sphinx extension: the solver tables of the solution-concept pages, read from the registry.

``{solver-table} CONCEPT`` (a MyST directive, or ``.. solver-table:: CONCEPT`` in reST) renders
one row per solver registered for the concept (:mod:`deterrence.solvers.registry`): the form of
game, the method (the default first, marked), whether it is exact and complete, how its work is
bounded before it runs, its one-line description and the other names it accepts.  The table is
built at every docs build, so it cannot drift from the code.

At the end of reading, every registered concept must have had a table somewhere in the docs; a
concept registered without a page is a build warning, and the docs build treats warnings as
errors.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

HEADERS = ("form", "method", "exact", "complete", "work estimate", "what it does")


def work_bound(entry: Any) -> str:
    """How the registry sizes a solver's job before it runs (see :mod:`deterrence.solvers.work`)."""
    if entry.estimate is None:
        return "input size"
    if isinstance(entry.estimate, str):
        module, _, name = entry.estimate.partition(":")
    else:
        module, name = entry.estimate.__module__, entry.estimate.__qualname__
    return f"{module.rpartition('.')[2]}.{name}"


def rows(concept: str) -> list[tuple[str, ...]]:
    """The table's rows for ``concept``: one per registered (form, method), default first per form."""
    from deterrence.solvers.registry import FORMS, entries

    found = []
    for form in FORMS:
        for e in entries(concept, form):
            method = e.method + (" (default)" if e.default else "") + (" [+M]" if e.inner else "")
            what = e.description + (f"; also accepted: {', '.join(e.aliases)}" if e.aliases else "")
            found.append((form, method, "yes" if e.exact else "no", "yes" if e.complete else "no", work_bound(e), what))
    return found


def _cell(text: str, literal: bool = False) -> nodes.entry:
    cell = nodes.entry()
    paragraph = nodes.paragraph()
    paragraph += nodes.literal(text, text) if literal else nodes.Text(text)
    cell += paragraph
    return cell


def table(concept: str) -> nodes.table:
    """A docutils table of the solvers registered for ``concept``."""
    body_rows = rows(concept)
    table_node = nodes.table(classes=["solver-table"])
    group = nodes.tgroup(cols=len(HEADERS))
    table_node += group
    for width in (10, 18, 6, 8, 14, 44):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header = nodes.row()
    for name in HEADERS:
        header += _cell(name)
    head += header
    group += head
    body = nodes.tbody()
    for values in body_rows:
        row = nodes.row()
        for index, value in enumerate(values):
            row += _cell(value, literal=index in (0, 1, 4))
        body += row
    group += body
    return table_node


class SolverTable(SphinxDirective):
    """``solver-table CONCEPT``: the registered solvers of one concept."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        from deterrence.solvers.registry import concepts

        concept = self.arguments[0]
        if concept not in concepts():
            logger.warning(
                "solver-table: %r is not a registered concept (registered: %s)",
                concept,
                ", ".join(concepts()),
                location=self.get_location(),
            )
            return []
        _shown(self.env).setdefault(self.env.docname, set()).add(concept)
        return [table(concept)]


def _shown(env: Any) -> dict[str, set[str]]:
    """Document name -> the concepts whose table it shows (kept in the build environment)."""
    if not hasattr(env, "solver_tables"):
        env.solver_tables = {}
    return env.solver_tables


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    _shown(env).pop(docname, None)


def _merge(app: Sphinx, env: Any, docnames: Any, other: Any) -> None:
    for docname in docnames:
        if docname in _shown(other):
            _shown(env)[docname] = _shown(other)[docname]


def _check_every_concept(app: Sphinx, env: Any) -> None:
    from deterrence.solvers.registry import concepts

    seen = set().union(*_shown(env).values())
    for concept in concepts():
        if concept not in seen:
            logger.warning("solution concept %r is registered but no docs page shows its {solver-table}", concept)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("solver-table", SolverTable)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-updated", _check_every_concept)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
