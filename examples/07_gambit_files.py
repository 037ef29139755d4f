# %% [markdown]
# # Gambit files: write, read, solve, cross-check
#
# Gambit (McKelvey, McLennan & Turocy, *Gambit: Software Tools for Game
# Theory*, gambit-project.org) is the reference toolkit of computational game
# theory, and its `.nfg` (strategic form) and `.efg` (extensive form) files are
# the lingua franca for exchanging games. This example
#
# 1. writes two games with `write_game` -- a 3x2 bimatrix game with three
#    equilibria (von Stengel 2002, "Computing equilibria for two-person
#    games", *Handbook of Game Theory* vol. 3, ch. 45) and the Generic
#    Deterrence Game tree (Zagare & Kilgour 2000);
# 2. reads them back with `read_game` (which also accepts game text);
# 3. solves them exactly;
# 4. when `pygambit` is installed, checks that every equilibrium Gambit's
#    `enummixed_solve` finds is one of ours (and skips that check cleanly
#    otherwise: `pip install 'deterrence[gambit]'`).
#
# Run it with `python examples/07_gambit_files.py`; it writes
# `output/von_stengel.nfg` and `output/generic_deterrence.efg`.

# %%
import importlib.util
from fractions import Fraction
from pathlib import Path

import deterrence
from deterrence import NormalFormGame
from games.zagare_kilgour import generic_deterrence_game

OUT = Path("output")
OUT.mkdir(exist_ok=True)

# %% [markdown]
# ## 1. Write the files

# %%
bimatrix = NormalFormGame.from_bimatrix(
    [[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]], title="von Stengel (2002), 3x2 example"
)
tree = generic_deterrence_game(c_sq=2, c_dc=3, c_dd=1, d_sq=3, d_dc=1, d_dd=2)
nfg_path, efg_path = OUT / "von_stengel.nfg", OUT / "generic_deterrence.efg"
deterrence.write_game(bimatrix, nfg_path)
deterrence.write_game(tree, efg_path)
print(nfg_path.read_text(encoding="utf-8"))
print(efg_path.read_text(encoding="utf-8"))

# %% [markdown]
# ## 2. Read them back and solve
#
# The reader keeps payoffs exact (rationals), so the solutions are exact too.
# A file that is not valid Gambit gives a one-line `GameFileError` naming the
# line, never a traceback from deep inside a parser.

# %%
game = deterrence.read_game(nfg_path)
result = deterrence.solve(game, "nash")
print(result)
ours = set()
for eq in result:
    row, col = game.players
    profile = (
        tuple(Fraction(eq.strategies[row][s]) for s in game.strategies[0]),
        tuple(Fraction(eq.strategies[col][s]) for s in game.strategies[1]),
    )
    ours.add(profile)
    print("  ", [str(x) for x in profile[0]], [str(x) for x in profile[1]], {p: str(v) for p, v in eq.payoffs.items()})
n_nash = len(result)

deterrence_tree = deterrence.read_game(efg_path)
spe = deterrence.solve(deterrence_tree, "spe")
print(spe)
for player, infosets in spe[0].strategies.items():
    for infoset, actions in infosets.items():
        print(f"  {player} at {infoset!r}:", {a: str(p) for a, p in actions.items()})
spe_outcome_defect = float(spe[0].strategies["Challenger"]["challenge"]["Defect"])

try:
    deterrence.read_game('NFG 1 R "broken" { "A" "B" } { 2 2 }\n1 2 3\n')
except deterrence.GameFileError as error:
    print("bad file ->", error)

# %% [markdown]
# ## 3. Cross-check with pygambit (when installed)
#
# Gambit's `enummixed_solve` enumerates the extreme equilibria of a bimatrix
# game; each must be in our (complete) list.

# %%
gambit_checked: bool | None = None  # None: pygambit is not installed
if importlib.util.find_spec("pygambit") is not None:
    import pygambit

    gbt_game = pygambit.read_nfg(str(nfg_path))
    found = pygambit.nash.enummixed_solve(gbt_game, rational=True).equilibria

    def gambit_strategies(player):  # pygambit 16.7: Strategy objects; 17: labels, from the game
        return player.strategies if hasattr(player, "strategies") else gbt_game.get_strategies(player)

    theirs = {
        tuple(tuple(Fraction(str(profile[p][s])) for s in gambit_strategies(p)) for p in gbt_game.players)
        for profile in found
    }
    gambit_checked = theirs <= ours
    print(f"pygambit {pygambit.__version__}: {len(theirs)} equilibria, all among ours: {gambit_checked}")
else:
    print("pygambit is not installed; skipping the cross-check (pip install 'deterrence[gambit]')")
