"""The user guide's code runs as written, and its concept pages keep up with the solver registry.

Every page under ``docs/guide/`` is read as a sequence of fenced blocks:

* a ```` ```python ```` block is executed, in page order and in one namespace per page, in a fresh
  working directory (so files the tutorial writes land in ``tmp_path``);
* a ```` ```console ```` block is a list of ``$ COMMAND`` lines: ``deterrence ...`` commands run
  in-process and must exit with status 0; ``python examples/NAME.py`` lines must name an existing
  example (``tests/test_examples.py`` runs every example at small size); any other command fails
  the test, so a guide cannot show a command that nothing checks;
* a ```` ```text ```` block right after one of those is the output the reader is promised: what
  the block printed must match it (doctest's ``...`` wildcard and whitespace normalisation).

Sizes are cut for the test in two ways the reader never sees: a Python line
``NAME = VALUE  # small: SMALL`` runs as ``NAME = SMALL``, and ``deterrence`` commands get the
options of :data:`SMALL_OPTIONS` appended (the page shows the full-size command).  The commands of
:data:`SLOW_COMMANDS` take tens of seconds even at small size and are run end to end by their own
tests (``tests/test_report.py``); here their command lines are parsed by the real parser (a renamed
or removed option fails), and run in full by the ``slow`` test at the end.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide"
PAGES = sorted(GUIDE.rglob("*.md"))

#: Extra options appended to a ``deterrence`` command of the guide when the test runs it.
SMALL_OPTIONS = {
    "report": ["--grid", "9", "-q"],
    "explore": ["--levels", "3", "-q"],
}
#: Commands whose lines are only parsed by the default run (see the module docstring).
SLOW_COMMANDS = {"report"}

_FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
_SMALL = re.compile(r"^(?P<lhs>\s*[\w.]+\s*=\s*).*?#\s*small:\s*(?P<small>.+?)\s*$", re.MULTILINE)
_CHECK = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def blocks(page: Path) -> list[tuple[str, str]]:
    """The fenced blocks of a page as ``(language, text)``, in order."""
    return [(lang, text) for lang, text in _FENCE.findall(page.read_text(encoding="utf-8"))]


def small(code: str) -> str:
    """``code`` with every ``NAME = VALUE  # small: SMALL`` line set to its small value."""
    return _SMALL.sub(lambda m: m["lhs"] + m["small"], code)


def run_console(text: str, *, slow: bool = False) -> str:
    """Run the ``$`` lines of a console block; return what the commands printed.

    With ``slow`` False the commands of :data:`SLOW_COMMANDS` are parsed, not run; with ``slow``
    True only they are run.
    """
    from deterrence.cli.main import build_parser, main

    out = io.StringIO()
    commands = [line[2:] for line in text.splitlines() if line.startswith("$ ")]
    assert commands, f"a console block with no '$ ' line:\n{text}"
    for command in commands:
        argv = shlex.split(command, comments=True)
        if argv[:1] == ["python"] and len(argv) == 2 and argv[1].startswith("examples/"):
            assert (ROOT / argv[1]).is_file(), f"the guide runs {argv[1]}, which does not exist"
            continue
        assert argv[0] == "deterrence", f"the guide shows a command the test cannot check: {command}"
        argv = argv[1:] + SMALL_OPTIONS.get(argv[1], [])
        if (argv[0] in SLOW_COMMANDS) != slow:
            if not slow:
                build_parser().parse_args(argv)  # exits (fails the test) on an unknown option
            continue
        with contextlib.redirect_stdout(out):
            status = main(argv)
        assert status == 0, f"'{command}' exited with status {status}"
    return out.getvalue()


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(GUIDE)) for p in PAGES])
def test_every_block_of_the_page_runs_and_prints_what_it_shows(page, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib").use("Agg")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DETERRENCE_SMALL", "1")
    namespace: dict = {"__name__": "__guide__"}
    printed = None  # output of the last python or console block, for a text block after it
    for number, (lang, text) in enumerate(blocks(page), 1):
        where = f"{page.relative_to(ROOT)} block {number}"
        if lang == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(small(text), where, "exec"), namespace)  # noqa: S102 - our own docs
            printed = out.getvalue()
        elif lang == "console":
            printed = run_console(text)
        elif lang == "text" and printed is not None:
            assert _CHECK.check_output(text, printed, _FLAGS), (
                f"{where}: printed\n{printed}\nbut the page shows\n{text}"
            )
            printed = None
        else:
            printed = None
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(GUIDE)) for p in PAGES])
def test_the_slow_commands_of_the_guide_run(page, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib").use("Agg")
    monkeypatch.chdir(tmp_path)
    for lang, text in blocks(page):
        if lang == "console":
            run_console(text, slow=True)


def test_the_guide_has_code_and_the_runner_sees_it():
    # A page whose fences the regular expression misses would pass the test above vacuously.
    counts = {p.name: sum(lang in ("python", "console") for lang, _ in blocks(p)) for p in PAGES}
    for name in ("reproduce.md", "analyst.md", "teaching.md"):
        assert counts.get(name, 0) >= 3, counts


def test_small_rewrites_only_marked_assignments():
    code = "n = 101  # small: 11\nm = 5  # the full size\n"
    assert small(code) == "n = 11\nm = 5  # the full size\n"


def test_every_concept_page_shows_its_registry_table_and_names_every_method():
    from deterrence.solvers.registry import concepts, entries

    pages = {p.stem: p.read_text(encoding="utf-8") for p in (GUIDE / "concepts").glob("*.md")}
    for concept in concepts():
        assert concept in pages, f"no page docs/guide/concepts/{concept}.md for the registered concept {concept!r}"
        text = pages[concept]
        assert re.search(rf"^```{{solver-table}} {concept}$", text, re.MULTILINE), f"{concept}.md shows no table"
        for entry in entries(concept):
            assert f"`{entry.method}`" in text, f"{concept}.md does not discuss the method {entry.method!r}"


def test_the_docs_extension_lists_every_registered_solver_default_first():
    pytest.importorskip("sphinx")
    import importlib.util

    from deterrence.solvers.registry import FORMS, entries

    spec = importlib.util.spec_from_file_location("solver_tables", ROOT / "docs" / "_ext" / "solver_tables.py")
    tables = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tables)
    for concept in ("nash", "pbe", "qre"):
        rows = tables.rows(concept)
        assert len(rows) == len(entries(concept)), concept
        for form in FORMS:
            methods = [row[1] for row in rows if row[0] == form]
            if methods:
                assert "(default)" in methods[0] and not any("(default)" in m for m in methods[1:]), methods
    vertex = next(row for row in tables.rows("nash") if row[1].startswith("vertex"))
    assert vertex[2:5] == ("yes", "yes", "work.nash_vertex")
