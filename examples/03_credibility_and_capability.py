# %% [markdown]
# # Credibility and capability: the Generic Deterrence Game
#
# Zagare and Kilgour (2000, *Perfect Deterrence*, Cambridge UP, ch. 2-3)
# separate two conditions that classical deterrence theory tends to merge:
#
# * the Defender's threat is **credible** when it prefers conflict to
#   conceding, `d_DD > d_DC` -- it would carry the threat out;
# * the threat is **capable** when the Challenger prefers the status quo to
#   conflict, `c_SQ > c_DD` -- carrying it out would hurt enough.
#
# The Challenger cooperates (status quo, SQ) or defects; after a defection the
# Defender concedes (DC) or denies (DD, conflict). By backward induction the
# subgame-perfect outcome is SQ when the threat is credible and capable, DC
# when it is not credible, and DD (deterrence fails *and* there is conflict)
# when it is credible but not capable. This script draws these three regions as
# a regime map over the two conditions and recovers the boundaries exactly.
#
# Run it with `python examples/03_credibility_and_capability.py`; it writes
# `output/generic_deterrence_regimes.png` and `output/generic_deterrence_regimes.csv`.

# %%
import os
from pathlib import Path

import matplotlib.pyplot as plt

import deterrence
from deterrence.plotting import draw_regime_map
from games.zagare_kilgour import generic_deterrence_game

SMALL = bool(os.environ.get("DETERRENCE_SMALL"))
OUT = Path("output")
OUT.mkdir(exist_ok=True)

model = deterrence.get_model("generic-deterrence")
print(model.title, "--", model.citation)
print("defaults:", {k: float(v) for k, v in model.parameters.defaults().items()})

# %% [markdown]
# ## 1. Nash versus subgame perfection in the classical case
#
# With `d_DC = 2 > d_DD = 1` (the Defender would rather concede than fight)
# the Challenger's cooperation is still a Nash equilibrium whenever the
# Defender threatens to deny with probability at least 1/2 (the solver lists
# the extreme points 1/2 and 1 of that component): the threat is never
# tested, so it costs nothing. Subgame perfection discards it -- an incredible
# threat deters no one -- and leaves only DC.

# %%
classical = generic_deterrence_game(c_sq=2, c_dc=3, c_dd=1, d_sq=3, d_dc=2, d_dd=1)
nash = deterrence.solve(classical, "nash")
spe = deterrence.solve(classical, "spe")
print(nash)
for eq in nash:
    defect = eq.strategies["Challenger"]["challenge"]["Defect"]
    deny = eq.strategies["Defender"]["response"]["Deny"]
    print(f"  Nash: P(Defect) = {defect}, P(Deny) = {deny}, component {eq.component}")
nash_deny_probabilities = sorted(float(eq.strategies["Defender"]["response"]["Deny"]) for eq in nash)
print(spe)
spe_defects = float(spe[0].strategies["Challenger"]["challenge"]["Defect"])
print("  SPE: Challenger defects with probability", spe_defects)

# %% [markdown]
# ## 2. The regime map
#
# We vary the Defender's value of conflict `d_dd` (credibility: compare with
# `d_dc = 1`) and the Challenger's value of conflict `c_dd` (capability:
# compare with `c_sq = 2`), the other utilities at their defaults.

# %%
n = 13 if SMALL else 121
rmap = deterrence.compute_regime_map(model, "d_dd", "c_dd", x_range=(-2, 4), y_range=(-2, 4), n=n)
shares = rmap.regions()
print(rmap)
for label, share in shares.items():
    print(f"  {label}: {round(100 * share, 1)}% of the grid")
rmap.to_frame().to_csv(OUT / "generic_deterrence_regimes.csv", index=False)

fig, ax = plt.subplots(figsize=(6, 5))
draw_regime_map(rmap, ax, points={"PDT defaults": (2.0, 1.0)}, title="Generic Deterrence Game: SPE outcome")
ax.set_xlabel("d_dd: Defender's value of conflict (credible iff > d_dc = 1)")
ax.set_ylabel("c_dd: Challenger's value of conflict (capable iff < c_sq = 2)")
fig.tight_layout()
fig.savefig(OUT / "generic_deterrence_regimes.png", dpi=120)

# %% [markdown]
# Reading the map at three points:

# %%
for where, (x, y) in {"credible, capable": (2, 1), "not credible": (0, 1), "credible, not capable": (2, 3)}.items():
    print(f"  {where:22s} d_dd={x}, c_dd={y}: {rmap.label_at(x, y)}")
label_credible_capable = rmap.label_at(2, 1)

# %% [markdown]
# ## 3. The boundaries, exactly
#
# `find_thresholds` brackets each switch on a line and, because the payoffs
# are symbolic, solves the switching condition with sympy: the credibility
# boundary is `d_dd = d_dc`, the capability boundary `c_dd = c_sq`.

# %%
credibility = deterrence.find_thresholds(model, "d_dd", low=-2, high=4, n=n)
capability = deterrence.find_thresholds(model, "c_dd", low=-2, high=4, n=n)
for t in credibility + capability:
    print(f"  {t.parameter} = {round(float(t.value), 6)} (formula {t.formula}): {t.left} -> {t.right}")
credibility_value = float(credibility[0].value)
capability_value = float(capability[0].value)
