"""``--concept pbe`` on every Gambit tree we can read (issue 10: "works on any Gambit tree with chance moves").

Each tree either gives a verified list of assessments (the facade re-checks sequential
rationality and Bayes' rule) or a one-line refusal: a work estimate over the limit, or a
tree without perfect recall.  Any other exception is a bug.  The work limit is lowered so
the big trees refuse at once; the corpus files join when ``../shared/gambit-corpus`` is present.
"""

from __future__ import annotations

import pytest
from gambit_files import GAME_FILES

from deterrence import solve
from deterrence.errors import DeterrenceError
from deterrence.io.gambit import read_game

TREES = [p for p in GAME_FILES if p.suffix == ".efg"]
# About two seconds of support enumeration: enough for the small classics, the rest refuse at once.
LIMIT = 2e6


@pytest.mark.slow
@pytest.mark.parametrize("path", TREES, ids=[p.name for p in TREES])
def test_pbe_answers_or_refuses_in_one_line(path):
    game = read_game(path)
    if game.kind == "symbolic":
        pytest.skip("free parameters")
    try:
        found = solve(game, "pbe", max_work=LIMIT)
    except DeterrenceError as err:
        assert "\n" not in str(err)
        return
    assert all(e.extra is not None and "beliefs" in e.extra for e in found)
    if found.complete:
        assert len(found) >= 1  # every finite tree with perfect recall has a PBE
