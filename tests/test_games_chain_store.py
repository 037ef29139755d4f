"""The chain-store models (games.chain_store); the published PBE is tested in tests/test_pbe_chain_store.py.

Here: the model factory builds the same tree as chain_store(), the
three-market tree has 2 types x 3^3 market histories = 54 terminals, and
the CLI solves chain-store-2 with Kreps-Wilson (passive) beliefs to the
unique equilibrium in which the weak incumbent fights the first entrant
w.p. 1/2 at prior 1/3 (beta_2 = p (1 - b)/((1 - p) b) = 1/2 with b = 1/2).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from deterrence.cli import main
from deterrence.errors import ParameterError
from games.chain_store import chain_store, chain_store_2, entry_threshold


def test_factory_matches_the_builder():
    g, h = chain_store_2(prior=Fraction(1, 3), a=2, b=Fraction(1, 2)), chain_store(Fraction(1, 3))
    assert [(t.label, t.payoffs) for t, _ in g.terminals()] == [(t.label, t.payoffs) for t, _ in h.terminals()]
    assert set(chain_store_2().parameters) == {"prior", "a", "b"}


def test_three_markets_have_an_entrant_each():
    g = chain_store(markets=3)
    assert g.players == ("Incumbent", "Entrant 1", "Entrant 2", "Entrant 3")
    assert len(list(g.terminals())) == 54
    with pytest.raises(ParameterError):
        chain_store(markets=4)


def test_entry_threshold_is_b_to_the_k():
    assert entry_threshold(Fraction(1, 2), 2) == Fraction(1, 4)


def test_cli_solves_chain_store_with_passive_beliefs(capsys):
    assert main(["solve", "chain-store-2", "--belief-rule", "passive"]) in (0, None)
    out = capsys.readouterr().out
    assert "1 equilibria (complete)" in out
    assert "weak 1: fight 1/2, accommodate 1/2" in out
