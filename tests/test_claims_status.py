"""The vectorised claim status and the per-point audit cannot disagree; properties of the checks."""

from __future__ import annotations

import numpy as np
import pytest
from iran_pakistan_points import uniform_box

from games.iran_pakistan import audit, solve_continuation, values_for
from games.iran_pakistan.analysis import TYPE_KEYS
from games.iran_pakistan.claim_status import (
    CLAIMS,
    N_GRID,
    RESTRAINTS,
    STATUS_NAMES,
    claim_details,
    claim_status,
)

BASE = values_for()


@pytest.fixture(scope="module")
def uniform():
    points = uniform_box(1500, seed=31)
    return points, claim_status(points)


def test_codes_and_shape(uniform):
    points, codes = uniform
    assert set(codes) == set(CLAIMS)
    for claim, code in codes.items():
        assert code.shape == (1500,) and code.dtype == np.int8, claim
        assert set(np.unique(code)) <= {0, 1, 2}


def test_every_check_but_c12_returns_refuted_somewhere_in_the_box(uniform):
    _, codes = uniform
    for claim in CLAIMS[:11]:
        assert (codes[claim] == 0).any(), claim
        assert (codes[claim] == 2).any(), claim


def test_points_with_priors_above_one_are_marked_invalid(uniform):
    points, codes = uniform
    bad = {k: a[:4].copy() for k, a in points.items()}
    bad["prior_broaden"][:2], bad["prior_coerce"][:2] = 0.7, 0.6  # sums 1.3: no valid prior
    again = claim_status(bad)
    for claim in CLAIMS:
        assert (again[claim][:2] == -1).all(), claim
        assert np.array_equal(again[claim][2:], codes[claim][2:4]), claim


def test_chunks_do_not_change_the_answer(uniform, monkeypatch):
    import games.iran_pakistan.claim_status as status

    points, codes = uniform
    small = {k: a[:300] for k, a in points.items()}
    monkeypatch.setattr(status, "_CHUNK", 64)
    again = claim_status(small)
    for claim in CLAIMS:
        assert np.array_equal(again[claim], codes[claim][:300]), claim


@pytest.mark.parametrize("shrink", [1.0, 0.5], ids=["uniform", "half-box"])
def test_the_audit_reads_its_status_from_the_vectorised_function(shrink):
    points = uniform_box(6, seed=5 if shrink == 1.0 else 6, shrink=shrink)
    codes = claim_status(points)
    for i in range(6):
        rows = audit({k: float(a[i]) for k, a in points.items()})
        for row in rows:
            if row.definitional:
                continue
            assert row.status == STATUS_NAMES[int(codes[row.claim][i])], (row.claim, i)


def test_exact_baseline_one_point_batch_equals_the_audit(baseline_audit):
    codes = claim_status({k: np.array([x], dtype=object) for k, x in BASE.items()})
    for row in baseline_audit.values():
        assert row.definitional or row.status == STATUS_NAMES[int(codes[row.claim][0])]


def test_c10_vertex_rule_equals_the_41_point_simplex_grid():
    points = uniform_box(60, seed=41)
    codes = claim_status(points)["C10"]
    steps = np.linspace(0, 1, N_GRID)
    cells = [(b, c) for b in steps for c in steps if b + c <= 1 + 1e-12]
    for i in range(60):
        batch = {k: np.full(len(cells), a[i]) for k, a in points.items()}
        batch["prior_broaden"] = np.array([b for b, _ in cells])
        batch["prior_coerce"] = np.array([c for _, c in cells])
        varies = len(np.unique(solve_continuation(batch)["choice"])) > 1
        assert varies == (codes[i] == 2), i


def test_reaction_functions_never_rise_with_a_restraint():
    # By construction: a restraint lowers only Iran's payoff of escalating.  On the path it may
    # still rise (Pakistan starts striking), which is what lets C6-C9 be refuted.
    d = claim_details(uniform_box(400, seed=8))
    rose_on_path = False
    for names in RESTRAINTS.values():
        for name in names:
            for r in ("calibrated", "direct"):
                assert (np.diff(d[f"sweep/{name}/p_escalate/{r}"], axis=1) <= 1e-12).all(), (name, r)
            rose_on_path |= bool((np.diff(d[f"sweep/{name}/p_escalate"], axis=1) > 1e-12).any())
    assert rose_on_path


def test_retaliation_margin_never_falls_with_precedent_loss():
    d = claim_details(uniform_box(400, seed=9))
    margin = d["sweep/precedent_loss/retaliation_margin"].astype(float)
    assert (np.diff(margin, axis=1) >= -1e-9).all()
    # ... so C1 has at most one switch absorb -> retaliate, and never back.
    choice = d["sweep/precedent_loss/choice"]
    assert not ((choice[:, :-1] != 0) & (choice[:, 1:] == 0)).any()


def test_c1_index_points_at_the_first_retaliating_grid_point():
    d = claim_details({k: np.array([x], dtype=object) for k, x in BASE.items()})
    index = int(d["c1/switch_index"][0])
    choice = d["sweep/precedent_loss/choice"][0]
    assert index == 6  # precedent_loss = 3, the first grid point above the cliff 2.8
    assert choice[index] == 1 and (choice[:index] == 0).all()


def test_vertex_choices_are_the_complete_information_choices():
    d = claim_details({k: np.array([x], dtype=object) for k, x in BASE.items()})
    for t in TYPE_KEYS:
        assert d[f"vertex/{t}"][0] == solve_continuation(BASE, belief={t: 1})["choice"][0]
