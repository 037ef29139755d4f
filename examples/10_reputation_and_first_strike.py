# %% [markdown]
# # Reputation and the first strike: two games in which beliefs do the work
#
# The Iran-Pakistan model's basic forms take two things as given: how much
# Pakistan loses by absorbing Iran's strike (the *precedent cost*), and that
# Iran strikes at all. This example solves the two forms that derive them.
#
# 1. **The reputation form** (after Kreps & Wilson 1982, "Reputation and
#    Imperfect Information", *Journal of Economic Theory* 27). A watching
#    challenger -- India, or the TTP and its Afghan hosts -- sees how Pakistan
#    answers Iran, infers whether Pakistan is *resolute* or *pliable*, and then
#    decides whether to challenge Pakistan itself. The precedent cost is what
#    the challenger's inference costs a Pakistan that absorbs, so C1's dilemma
#    becomes a derived threshold.
# 2. **The two-sided pre-strike game** (C12). Iran decides whether to strike
#    without knowing whether Pakistan is resolved or soft; Pakistan answers
#    without knowing Iran's motive. At the baseline this game has no pure
#    equilibrium: its answer is a semi-separating one, in which some Iranian
#    types strike only some of the time.
#
# Each form is solved twice -- by the engine's generic perfect Bayesian
# equilibrium solver on the game tree (`solve(tree, "pbe")`, which lists
# every assessment and says whether the list is complete) and by the model's
# own closed form or exact solver -- and the two answers are compared.
#
# Run it with `python examples/10_reputation_and_first_strike.py`. It writes
# `output/reputation_regimes.csv`, `output/prestrike_striking_mass.csv` and
# `output/prestrike_striking_mass.png`. The two engine solves take a few
# seconds each at any size; `DETERRENCE_SMALL=1` skips two extra reputation
# solves and coarsens the belief grid.

# %%
import os
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from deterrence import solve
from deterrence.io.tables import format_value, result_table
from games.iran_pakistan import TYPES, prestrike_assessments, prestrike_game, reputation_game, values_for
from games.iran_pakistan.prestrike import striking_mass
from games.iran_pakistan.reputation import RETALIATION_FORMULA, pliable_retaliation

SMALL = bool(os.environ.get("DETERRENCE_SMALL"))
OUT = Path("output")
OUT.mkdir(exist_ok=True)

baseline = values_for()  # exact fractions


def show(x):
    """A probability or payoff as a short exact string."""
    return format_value(x)


# %% [markdown]
# ## 1. The reputation form
#
# Nature makes Pakistan resolute (probability `challenger_prior_resolute`,
# 2/5 at the baseline) or pliable. A resolute Pakistan suffers an audience cost
# if it backs down and loses nothing to a challenge; a pliable one has no
# audience cost but loses the precedent stake
# `S = precedent_loss * (india_emboldening + taliban_emboldening)` if it is
# challenged. The challenger challenges when its belief that Pakistan is
# resolute falls below `mu_bar = gain / (gain + cost)`.
#
# The engine solves the 28-terminal tree (about 5 s of pruned support
# enumeration):

# %%
reputation = solve(reputation_game(baseline), "pbe")
print(result_table(reputation))


def reputation_play(eq):
    """On-path play of one engine assessment: each type's response mix and the challenger's replies."""
    s = eq.strategies
    return {
        "resolute": {a: p for a, p in s["Pakistan"]["resolute: response"].items() if p},
        "pliable": {a: p for a, p in s["Pakistan"]["pliable: response"].items() if p},
        "challenge": {info.removeprefix("after "): t["challenge"] for info, t in s["challenger"].items()},
    }


engine_play = [reputation_play(eq) for eq in reputation.equilibria]

# %% [markdown]
# The engine returns several assessments, but they differ only off the path
# (how the challenger would treat a direct strike that nobody makes). On the
# path they agree: the resolute type answers with a calibrated strike, the
# pliable type *mimics* it with probability 2/3, and the challenger, unsure
# after a calibrated strike, challenges with probability 59/80.
#
# The model's closed form, `pliable_retaliation`, says why. The pliable type
# either absorbs -- and is then known to be pliable and challenged, losing S --
# or copies the resolute type's strike at its expected cost `c(r*)`. It
# retaliates iff `S > c(r*)`; how often depends on the challenger's prior.

# %%
formula = pliable_retaliation(baseline)
print(RETALIATION_FORMULA)
print()
for key in ("regime", "resolute_strike", "sigma", "challenge_after_strike", "stake", "pliable_cost", "mu_bar"):
    print(f"  {key:24s} {show(formula[key]) if not isinstance(formula[key], str) else formula[key]}")
strike = formula["resolute_strike"]
pliable_mimics = {play["pliable"].get(strike, 0) for play in engine_play}
challenge_after_strike = {play["challenge"][strike] for play in engine_play}
print("engine, every assessment: pliable mimics with", sorted(map(show, pliable_mimics)), end="; ")
print("challenger challenges the strike with", sorted(map(show, challenge_after_strike)))
engine_agrees_with_formula = pliable_mimics == {formula["sigma"]} and challenge_after_strike == {
    formula["challenge_after_strike"]
}
print("engine PBE and closed form agree on the path:", engine_agrees_with_formula)

# %% [markdown]
# ### C1's dilemma as a derived threshold
#
# In the basic forms C1 asks whether the precedent cost exceeds the cost of
# retaliating. Here the cost of *not* retaliating is the stake a pliable
# Pakistan loses to a challenge that its restraint invites, so the threshold
# is on `precedent_loss`: the pliable type starts to strike exactly where
# `S = c(r*)`, that is at `precedent_loss = c(r*) / (india_emboldening +
# taliban_emboldening)`. Below it the types separate (the pliable type absorbs
# and is challenged); above it they semi-pool. Raising the challenger's prior
# that Pakistan is resolute past `mu_bar` turns semi-pooling into full pooling:
# once the challenger is optimistic enough about Pakistan's resolve, a strike
# deters it for sure and the pliable type always strikes.

# %%
weight = baseline["india_emboldening"] + baseline["taliban_emboldening"]
threshold_precedent_loss = formula["pliable_cost"] / weight
print("pliable Pakistan retaliates iff precedent_loss >", show(threshold_precedent_loss))
regimes = []
for pl in (Fraction(0), Fraction(1), Fraction(2), Fraction(4), Fraction(10)):
    r = pliable_retaliation(baseline, precedent_loss=pl)
    regimes.append(("precedent_loss", pl, r["regime"], r["sigma"], r["challenge_after_strike"]))
for pi in (Fraction(1, 5), Fraction(2, 5), Fraction(3, 5), Fraction(4, 5)):
    r = pliable_retaliation(baseline, challenger_prior_resolute=pi)
    regimes.append(("challenger_prior_resolute", pi, r["regime"], r["sigma"], r["challenge_after_strike"]))
with open(OUT / "reputation_regimes.csv", "w", encoding="utf-8") as f:
    f.write("parameter,value,regime,pliable_strikes,challenge_after_strike\n")
    for name, x, regime, sigma, challenge in regimes:
        shown = "" if challenge is None else show(challenge)
        print(f"  {name} = {show(x):5s}: {regime:16s} pliable strikes {show(sigma):5s} challenge {shown}")
        f.write(f"{name},{show(x)},{regime},{show(sigma)},{shown}\n")
regime_at = {(name, x): regime for name, x, regime, _, _ in regimes}

# %% [markdown]
# The engine confirms both sides of the threshold (skipped under
# `DETERRENCE_SMALL=1`, as each solve takes about 5 s): with
# `precedent_loss = 1` the pliable type absorbs in every assessment, and with
# `challenger_prior_resolute = 3/5` it strikes for sure.

# %%
if not SMALL:
    below = solve(reputation_game(baseline, precedent_loss=1), "pbe")
    print("precedent_loss = 1, pliable type's strike probability:", end=" ")
    print(sorted({show(reputation_play(eq)["pliable"].get(strike, 0)) for eq in below.equilibria}))
    pooled = solve(reputation_game(baseline, challenger_prior_resolute=Fraction(3, 5)), "pbe")
    print("challenger_prior_resolute = 3/5, pliable type's strike probability:", end=" ")
    print(sorted({show(reputation_play(eq)["pliable"].get(strike, 0)) for eq in pooled.equilibria}))

# %% [markdown]
# ## 2. The two-sided pre-strike game (C12)
#
# Nature draws Iran's motive (counter-terror, broaden, coerce, with Pakistan's
# prior) and Pakistan's resolve (Iran believes Pakistan would absorb with
# probability `iran_belief_absorb`, 1/2 at the baseline). Iran decides whether
# to strike; a resolved Pakistan, seeing a strike but not the motive, updates
# its belief and responds; Iran replies; Pakistan counter-escalates or holds.
# The engine's PBE solver on the tree:

# %%
tree = prestrike_game(baseline)
engine = solve(tree, "pbe")
print(result_table(engine))

# %% [markdown]
# The model's own solver, `prestrike_assessments`, works type by type on the
# same tree and checks every equilibrium it finds with the engine's assessment
# check. It lists the equilibria whose beliefs are *dominance-consistent*: Iran
# never attributes a strike to a soft Pakistan, for whom striking is strictly
# dominated (a refinement of PBE, after Cho & Kreps 1987). The engine leaves
# every off-path belief free, so at some calibrations it finds more; here it
# finds one equilibrium, and the engine's several assessments differ only off
# the path (how a coercing Iran, which does not strike, would reply).

# %%
[model_eq] = prestrike_assessments(baseline)
labels = {key: label for key, label, *_ in TYPES}
print("model:", model_eq["kind"])
print("  Pr(strike) by motive:", {t: show(p) for t, p in model_eq["strike"].items()})
print("  resolved Pakistan's response:", {r: show(p) for r, p in model_eq["response"].items()})
print("  Pakistan's posterior after a strike:", {t: show(p) for t, p in model_eq["posterior"].items()})
print("  prior mass of striking types:", show(model_eq["striking_mass"]))
engine_strike = [
    {t: eq.strategies["Iran"][f"{labels[t]}: strike?"]["strike"] for t in labels} for eq in engine.equilibria
]
engine_response = [eq.strategies["Pakistan"]["resolved response"] for eq in engine.equilibria]
prestrike_agrees = all(s == model_eq["strike"] for s in engine_strike) and all(
    {a: p for a, p in r.items() if p} == {a: p for a, p in model_eq["response"].items() if p} for r in engine_response
)
print("engine PBE and the model's solver agree on the path:", prestrike_agrees)

# %% [markdown]
# ### Why it is semi-separating
#
# A conflict-broadening Iran strikes for sure and a coercing one never does.
# The counter-terror type is the marginal one. If it always struck, a resolved
# Pakistan would face mostly counter-terror strikers, who stand down after a
# calibrated strike, and it would strike back for sure; that would make
# striking unattractive for the counter-terror type. If it never struck,
# Pakistan would face only broadening strikers and would absorb; then striking
# would pay. So it strikes with the probability (74/195) that leaves Pakistan
# exactly indifferent between absorbing and a calibrated strike (posterior
# 39/76 on "broaden"), and Pakistan mixes (calibrated with probability 2/3)
# just enough to leave the counter-terror type indifferent about striking.
#
# ### Striking mass along Iran's belief that Pakistan would absorb
#
# C12 asks whether striking was unconditionally rational for Iran. If it were,
# every type would strike whatever Iran believed about Pakistan. Instead the
# prior mass of striking types rises with `iran_belief_absorb`: at low beliefs
# only the semi-separating equilibrium exists, with mass 76/195. Once Iran is
# confident enough that Pakistan absorbs, the counter-terror type strikes for
# sure (separating, mass 7/10). At the top even the coercing type strikes
# (pooling, mass 1). `striking_mass` solves the game at every belief in one
# batch (floats). The exact solver marks the kind of equilibrium at a few
# beliefs.

# %%
beliefs = np.linspace(0.0, 1.0, 41 if SMALL else 201)
mass = striking_mass({"iran_belief_absorb": beliefs})
with open(OUT / "prestrike_striking_mass.csv", "w", encoding="utf-8") as f:
    f.write("iran_belief_absorb,least,greatest,semi_separating,equilibria\n")
    for k, b in enumerate(beliefs):
        row = [mass["least"][k], mass["greatest"][k], mass["semi_separating"][k]]
        f.write(f"{b:.6g}," + ",".join("" if np.isnan(x) else f"{x:.6g}" for x in row) + f",{mass['count'][k]}\n")
exact_points = [Fraction(k, 8) for k in range(9)]
exact_kinds = {}
for b in exact_points:
    found = prestrike_assessments(values_for({"iran_belief_absorb": b}))
    exact_kinds[b] = [(e["kind"], e["striking_mass"]) for e in found]
    print(f"  iran_belief_absorb = {show(b):4s}:", "; ".join(f"{k} (mass {show(m)})" for k, m in exact_kinds[b]))
mass_at_zero, mass_at_one = float(mass["greatest"][0]), float(mass["greatest"][-1])
mass_never_falls = bool(np.all(np.diff(mass["least"]) >= -1e-12) and np.all(np.diff(mass["greatest"]) >= -1e-12))

fig, ax = plt.subplots(figsize=(8.5, 4.5))
ax.step(beliefs, mass["greatest"], where="post", color="k", lw=2, label="striking mass, all equilibria (float batch)")
colours = {"semi-separating": "#0072B2", "separating": "#E69F00", "pooling: every type strikes": "#009E73"}
for b, pairs in exact_kinds.items():
    for kind, m in pairs:
        ax.plot(float(b), float(m), "o", color=colours.get(kind, "#CC79A7"), ms=8, label=f"exact: {kind}")
handles, names = ax.get_legend_handles_labels()
unique = dict(zip(names, handles, strict=True))
ax.legend(unique.values(), unique.keys(), loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
ax.set_xlabel("Iran's belief before striking that Pakistan would absorb (iran_belief_absorb, probability)")
ax.set_ylabel("prior mass of striking Iranian types")
ax.set_ylim(0, 1.05)
ax.set_title("Pre-strike game (C12): Iran strikes more, the softer it thinks Pakistan is")
fig.tight_layout()
fig.savefig(OUT / "prestrike_striking_mass.png", dpi=120, bbox_inches="tight")

# %% [markdown]
# The curve is flat where the equilibrium is semi-separating: there Iran's
# mixing is pinned by Pakistan's indifference, and it is Pakistan's mixing that
# moves with Iran's belief (a resolved Pakistan must strike back more often to
# keep a more optimistic counter-terror Iran indifferent). The `deterrence
# audit` row for C12 reads this same curve; its refuting example
# (`war_cost_pakistan = 3`) is a calibration at which every type strikes at
# every belief, so that striking *is* unconditionally rational there.
