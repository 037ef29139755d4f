"""Shared fixtures for the test suite.

Only fixtures live here; markers are declared in ``pyproject.toml`` (``slow``,
``gambit``) so that ``--strict-markers`` sees one list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: The repository root (``tests/`` sits directly below it).
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    """The repository root, for tests that read files shipped with the project."""
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared Gambit test corpus (``../shared/gambit-corpus``); skips when it is absent."""
    path = Path(__file__).resolve().parents[2] / "shared" / "gambit-corpus"
    if not path.is_dir():
        pytest.skip(f"Gambit corpus not found at {path}")
    return path
