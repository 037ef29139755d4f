# %% [markdown]
# # Build your own deterrence game: a crisis with audience costs
#
# This example builds a model from scratch with the public API: players, moves,
# parametric payoffs, a `ParameterSet`, a `Model`; then it solves the game,
# sweeps a parameter and exports the tree to LaTeX and to Gambit's `.efg`.
#
# **The game** is a stripped-down version of Fearon's (1994) audience-cost
# crisis ("Domestic Political Audiences and the Escalation of International
# Disputes", *APSR* 88(3)). A Challenger either keeps the status quo or
# threatens; the Defender then concedes or resists; after resistance the
# Challenger either backs down -- paying an *audience cost* `a` at home -- or
# goes to war, which it wins with probability `p` at cost `c_c` (the Defender
# pays `c_d`). The stake is worth `v` to both sides.
#
# | outcome        | Challenger      | Defender            |
# |----------------|-----------------|---------------------|
# | status quo     | 0               | v                   |
# | Defender concedes | v            | 0                   |
# | Challenger backs down | -a       | v                   |
# | war            | p v - c_c       | (1 - p) v - c_d     |
#
# Backward induction: the Challenger fights after resistance iff
# `p v - c_c > -a`, that is iff the audience cost exceeds `c_c - p v`. Public
# commitment makes a threat credible (Schelling 1960; Fearon 1994): above that
# threshold the Defender, facing war, concedes whenever `(1 - p) v - c_d < 0`.
#
# Run it with `python examples/02_build_your_own_game.py`; it writes
# `output/audience_cost.tex`, `output/audience_cost.efg` and
# `output/audience_cost_sweep.csv`.

# %%
import os
from pathlib import Path

import deterrence
from deterrence import ExtensiveFormGame, Model, Parameter, ParameterSet, Terminal, choice
from deterrence.analysis.outcomes import tree_outcomes
from deterrence.io.exporters import export

SMALL = bool(os.environ.get("DETERRENCE_SMALL"))
OUT = Path("output")
OUT.mkdir(exist_ok=True)

# %% [markdown]
# ## 1. Parameters
#
# Each parameter has a default, bounds, a unit, a description and a source, so
# that sweeps and reports can say where a number came from.

# %%
SOURCE = "illustrative calibration after Fearon (1994)"
PARAMETERS = ParameterSet(
    [
        Parameter("v", 1, 0, 10, "payoff units", "value of the stake", source=SOURCE),
        Parameter("p", "1/2", 0, 1, "probability", "Challenger's chance of winning a war", source=SOURCE),
        Parameter("c_c", 1, 0, 10, "payoff units", "Challenger's cost of war", source=SOURCE),
        Parameter("c_d", 1, 0, 10, "payoff units", "Defender's cost of war", source=SOURCE),
        Parameter("a", "1/4", 0, 10, "payoff units", "Challenger's audience cost of backing down", source=SOURCE),
    ]
)
print(PARAMETERS)

# %% [markdown]
# ## 2. The game tree, with formula payoffs
#
# Payoffs are formula strings. They go through the package's safe parser
# (`deterrence.parse_formula`: a whitelist grammar, never `eval`), so a model
# file or a user's input cannot run code. A factory takes one keyword per
# parameter; a parameter left as `None` stays symbolic.


# %%
FORMULAS = {  # (Challenger, Defender) payoff at each outcome, parsed once into sympy expressions
    "status quo": ("0", "v"),
    "concede": ("v", "0"),
    "war": ("p*v - c_c", "(1 - p)*v - c_d"),
    "back down": ("-a", "v"),
}
PAYOFFS = {k: tuple(deterrence.parse_formula(t, PARAMETERS.names) for t in pair) for k, pair in FORMULAS.items()}


def audience_cost_game(v=None, p=None, c_c=None, c_d=None, a=None) -> ExtensiveFormGame:
    """Fearon's (1994) crisis game; parameters not given stay symbolic."""
    given = {"v": v, "p": p, "c_c": c_c, "c_d": c_d, "a": a}
    numbers = {PARAMETERS[k].symbol: PARAMETERS[k].validate(x) for k, x in given.items() if x is not None}

    def end(outcome: str) -> Terminal:
        return Terminal(tuple(expr.subs(numbers) for expr in PAYOFFS[outcome]), outcome)

    after_resist = choice("Challenger", "after resistance", {"fight": end("war"), "back down": end("back down")})
    defender = choice("Defender", "threatened", {"concede": end("concede"), "resist": after_resist})
    root = choice("Challenger", "start", {"status quo": end("status quo"), "threaten": defender})
    return ExtensiveFormGame(["Challenger", "Defender"], root, title="Audience-cost crisis (Fearon 1994)")


symbolic = audience_cost_game()
print("parameters of the symbolic game:", symbolic.parameters)
for terminal, path in symbolic.terminals():
    print(f"  {' -> '.join(path):32s} payoffs {terminal.payoffs}")

# %% [markdown]
# The parser's symbols are the parameters' sympy symbols, so payoffs can equally
# be written in sympy directly (as `games/classic.py` does):
# `-PARAMETERS["a"].symbol` is the same expression as `parse_formula("-a")`.

# %%
print("same symbol:", deterrence.parse_formula("-a", ["a"]) == -PARAMETERS["a"].symbol)

# %% [markdown]
# ## 3. Wrap it as a Model
#
# A `Model` bundles the factory, the parameters and a *batched* outcome
# evaluator for sweeps. `tree_outcomes` derives one from the symbolic tree: the
# subgame-perfect outcome at every point, plus the measures we name -- here
# whether the Challenger fights after resistance.

# %%
model = Model(
    "audience-cost",
    "Audience-cost crisis",
    "Fearon (1994), APSR 88(3)",
    audience_cost_game,
    PARAMETERS,
    outcomes=tree_outcomes(audience_cost_game, {"fights": ("Challenger", "after resistance", "fight")}),
    concepts=("spe", "nash"),
    description="Challenger threatens; Defender concedes or resists; Challenger fights or backs down.",
)
print(model, "measures:", model.measures)

# %% [markdown]
# ## 4. Solve at the baseline and with a high audience cost
#
# At the baseline (`a = 1/4 < c_c - p v = 1/2`) the threat is a bluff: the
# Defender resists and the Challenger, foreseeing that, keeps the status quo.
# With `a = 1` the Challenger is locked in: it would fight, and since the
# Defender's war payoff `(1 - p) v - c_d = -1/2` is below conceding (0), the
# Defender concedes.

# %%
baseline = deterrence.solve(model.game(), "spe")
locked_in = deterrence.solve(model.game(a=1), "spe")
for name, result in (("baseline", baseline), ("a = 1", locked_in)):
    eq = result[0]
    print(name, "| complete:", result.complete, "| payoffs:", {k: str(x) for k, x in eq.payoffs.items()})
    print(
        "   Challenger at the start threatens with probability", float(eq.strategies["Challenger"]["start"]["threaten"])
    )
baseline_threatens = float(baseline[0].strategies["Challenger"]["start"]["threaten"])
locked_in_threatens = float(locked_in[0].strategies["Challenger"]["start"]["threaten"])

# %% [markdown]
# ## 5. Sweep the audience cost and find the threshold
#
# `sweep_frame` evaluates the model on a design and returns a DataFrame;
# `find_thresholds` locates the switch and, because the payoffs are symbolic,
# also solves for it exactly (`c_c - p v`).

# %%
n = 11 if SMALL else 201
frame = deterrence.sweep_frame(model, deterrence.grid({"a": (0.0, 2.0, n)}))
frame.to_csv(OUT / "audience_cost_sweep.csv", index=False)
print(frame[["a", "outcome", "fights"]].drop_duplicates("outcome"))

thresholds = deterrence.find_thresholds(model, "a", low=0, high=2, n=n)
for t in thresholds:
    print(f"threshold a = {round(float(t.value), 6)}: {t.left} -> {t.right}; formula {t.formula}")
threshold_value = float(thresholds[0].value)

# %% [markdown]
# ## 6. Export
#
# `deterrence.io.exporters.export(game, name)` writes any registered format
# (`latex`, `efg`, `nfg`, `dot`, `json`). The `.efg` file opens in Gambit; the
# LaTeX uses the `istgame` package.

# %%
numeric = model.game()
(OUT / "audience_cost.tex").write_text(export(numeric, "latex"), encoding="utf-8")
(OUT / "audience_cost.efg").write_text(export(numeric, "efg"), encoding="utf-8")
print(export(numeric, "efg"))
