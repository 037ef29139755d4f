# %% [markdown]
# # Smooth escalation: logit quantal response equilibrium
#
# Nash and subgame-perfect equilibria assume that players never err, so the
# predicted probability of escalation jumps between 0 and 1 at thresholds.
# McKelvey and Palfrey's quantal response equilibrium (1995, "Quantal Response
# Equilibria for Normal Form Games", *Games and Economic Behavior* 10; 1998,
# "... for Extensive Form Games", *Experimental Economics* 1) lets each player
# choose better replies more often but not always: in the *logit* QRE a
# strategy is played with probability proportional to `exp(lambda * u)`,
# given the others' (equally noisy) play. At `lambda = 0` play is uniform; as
# `lambda` grows the principal branch of QRE converges to a Nash equilibrium
# (for trees, the agent QRE converges to a sequential one). `lambda` reads as
# *precision*, and the probability of escalation becomes a smooth function of
# it -- the natural model when crisis decisions are made under pressure and
# noise (Signorino 1999, "Strategic Interaction and the Statistical Analysis
# of International Conflict", *APSR* 93(2)).
#
# Run it with `python examples/08_smooth_escalation_qre.py`; it writes
# `output/qre_chicken.csv`, `output/qre_iran_pakistan.csv` and
# `output/qre_escalation.png`.

# %%
from pathlib import Path

import matplotlib.pyplot as plt

import deterrence
from games.classic import chicken

OUT = Path("output")
OUT.mkdir(exist_ok=True)

# %% [markdown]
# ## 1. Chicken: the probability of a crash along the QRE branch
#
# `solve(game, "qre")` traces the principal branch and lists the profiles at a
# few landmark values of `lambda`; `result.to_frame()` returns every traced
# point. The result says it is *not* complete: only the principal branch is
# followed. With crash cost 10, war (both stand firm) has probability 1/4 at
# `lambda = 0` and falls towards 1/100, the mixed Nash equilibrium's, as
# precision grows.

# %%
game = chicken(win=1, face_loss=1, crash_cost=10)
qre = deterrence.solve(game, "qre")
print(qre)
for note in qre.notes:
    print("  note:", note)
branch = qre.to_frame()
branch["p_war"] = branch["Row:Stand firm"] * branch["Column:Stand firm"]
branch.to_csv(OUT / "qre_chicken.csv", index=False)
for eq in qre:
    p_war = eq.strategies["Row"]["Stand firm"] * eq.strategies["Column"]["Stand firm"]
    lam, regret = round(eq.extra["lambda"], 3), round(eq.extra["nash_regret"], 4)
    print(f"  lambda {lam:8}: P(war) = {round(p_war, 4)}, Nash regret {regret}")
chicken_p_war_start = float(branch["p_war"].iloc[0])
chicken_p_war_end = float(branch["p_war"].iloc[-1])

# %% [markdown]
# One point of the branch, at a chosen precision:

# %%
at_one = deterrence.solve(game, "qre", options={"lam": 1.0})
print("lambda = 1: P(stand firm) =", round(at_one[0].strategies["Row"]["Stand firm"], 4))

# %% [markdown]
# ## 2. Iran-Pakistan: escalation when the players are noisy
#
# The continuation game after Iran's strike (`iran-pakistan-sequential`) is a
# tree; its agent QRE gives behaviour probabilities at every information set.
# The probability that Iran escalates on the path is
# `P(calibrated) * P(escalate | calibrated) + P(direct) * P(escalate | direct)`.
# Its subgame-perfect value at the baseline is 0 (calibrated strike, Iran
# stands down). With noisy play the curve is not even monotone: at low
# `lambda` Pakistan learns to strike faster than Iran learns to stand down, so
# escalation first becomes *more* likely than under uniform play, and only
# then vanishes as both sides become precise.

# %%
model = deterrence.get_model("iran-pakistan-sequential")
tree_qre = deterrence.solve(model.game(), "qre")
print(tree_qre)
frame = tree_qre.to_frame()
frame["p_escalate"] = (
    frame["Pakistan:response:calibrated"] * frame["Iran:after calibrated:escalate"]
    + frame["Pakistan:response:direct"] * frame["Iran:after direct:escalate"]
)
frame.to_csv(OUT / "qre_iran_pakistan.csv", index=False)
print(frame[["lambda", "Pakistan:response:calibrated", "p_escalate"]].iloc[::6].round(4).to_string(index=False))
spe = deterrence.solve(model.game(), "spe")
print("SPE response:", {a: str(p) for a, p in spe[0].strategies["Pakistan"]["response"].items()})
ip_p_escalate_start = float(frame["p_escalate"].iloc[0])
ip_p_escalate_end = float(frame["p_escalate"].iloc[-1])
ip_p_escalate_peak = float(frame["p_escalate"].max())

# %% [markdown]
# ## 3. The two curves

# %%
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(branch["lambda"], branch["p_war"], label="Chicken: P(crash)")
ax.plot(frame["lambda"], frame["p_escalate"], label="Iran-Pakistan: P(Iran escalates)")
ax.set_xscale("symlog", linthresh=0.01)
ax.set_xlabel("lambda (precision)")
ax.set_ylabel("probability")
ax.set_title("Logit QRE: escalation falls smoothly with precision")
ax.legend()
fig.tight_layout()
fig.savefig(OUT / "qre_escalation.png", dpi=120)
