"""Shared fixtures for the test suite.

Only fixtures live here; markers are declared in ``pyproject.toml`` (``slow``,
``gambit``) so that ``--strict-markers`` sees a single list.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared Gambit test corpus (``../shared/gambit-corpus``); skips when it is absent."""
    path = Path(__file__).resolve().parents[2] / "shared" / "gambit-corpus"
    if not path.is_dir():
        pytest.skip(f"Gambit corpus not found at {path}")
    return path


@pytest.fixture(scope="session")
def baseline_audit() -> dict:
    """The Iran-Pakistan audit at the baseline, by claim, run once (it sweeps and solves many points)."""
    from games.iran_pakistan import audit

    return {r.claim: r for r in audit()}


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every atomic write fail at its final rename, as on a full disk (``OSError`` 28)."""

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("deterrence.io.atomic.os.replace", refuse)
