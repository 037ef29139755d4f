# %% [markdown]
# # Chicken and brinkmanship
#
# Two drivers race toward each other; whoever swerves loses face, and if
# neither does they crash. Snyder and Diesing (1977, *Conflict Among Nations*,
# Princeton UP) read many twentieth-century crises as games of Chicken, and
# Schelling (1966, *Arms and Influence*, Yale UP) made the *risk* of a crash
# the currency of coercion: brinkmanship is the deliberate creation of a risk
# that neither side fully controls.
#
# With both swerving as the zero point, standing firm against a swerver wins
# `win`, swerving against a firm rival loses `face_loss`, and a crash costs
# each side `crash_cost`. When `crash_cost > face_loss` the game has two pure
# equilibria (one side yields) and a mixed one in which each stands firm with
# probability `q = win / (win + crash_cost - face_loss)`; the probability of
# war is then `q ** 2`. A *higher* cost of war makes the mixed equilibrium
# *safer* -- each side is more careful -- which is the core of the argument
# that a more dangerous brink deters. Below `crash_cost = face_loss` standing
# firm dominates and war is certain ("Deadlock").
#
# Run it with `python examples/04_chicken_and_brinkmanship.py`; it writes
# `output/chicken_war_probability.png` and `output/chicken_sweep.csv`.

# %%
import os
from pathlib import Path

import matplotlib.pyplot as plt

import deterrence
from deterrence.plotting import branch_diagram
from games.classic import chicken, chicken_firmness

SMALL = bool(os.environ.get("DETERRENCE_SMALL"))
OUT = Path("output")
OUT.mkdir(exist_ok=True)

model = deterrence.get_model("chicken")
print(model.title, "--", model.citation)

# %% [markdown]
# ## 1. The equilibria at the baseline (win 1, face loss 1, crash cost 10)
#
# Exact rational arithmetic: the mixed equilibrium stands firm with
# probability exactly 1/10.

# %%
result = deterrence.solve(chicken(win=1, face_loss=1, crash_cost=10), "nash")
print(result)
for eq in result:
    firm = {p: str(eq.strategies[p]["Stand firm"]) for p in ("Row", "Column")}
    print("  P(stand firm):", firm, "| payoffs:", {p: str(v) for p, v in eq.payoffs.items()})
mixed = max(result, key=lambda eq: min(eq.strategies["Row"].values()))
mixed_firm = mixed.strategies["Row"]["Stand firm"]
print("closed form:", chicken_firmness(1, 1, 10), "| probability of war in the mixed equilibrium:", mixed_firm**2)

# %% [markdown]
# ## 2. The probability of war as the crash cost rises
#
# The model's batched evaluator gives `p_firm`, the Row player's probability
# of standing firm in the mixed equilibrium (the one with the largest
# supports), at every point of a sweep; the probability of war is its square.

# %%
n = 21 if SMALL else 401
frame = deterrence.sweep_frame(model, deterrence.grid({"crash_cost": (0.0, 20.0, n)}))
frame["p_war_mixed"] = frame["p_firm"] ** 2
frame.to_csv(OUT / "chicken_sweep.csv", index=False)
columns = ["crash_cost", "outcome", "n_equilibria", "p_firm", "p_war_mixed"]
print(frame[columns].iloc[:: max(1, n // 10)].to_string(index=False))
p_war_at_20 = float(frame["p_war_mixed"].iloc[-1])

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(frame["crash_cost"], frame["p_war_mixed"])
ax.axvline(1.0, color="grey", linestyle=":", label="crash_cost = face_loss")
ax.set_xlabel("crash_cost")
ax.set_ylabel("P(war) in the mixed equilibrium")
ax.set_title("Chicken: a costlier crash makes mixed play safer")
ax.legend()
fig.tight_layout()
fig.savefig(OUT / "chicken_war_probability.png", dpi=120)

# %% [markdown]
# ## 3. Where the game changes: thresholds
#
# `find_thresholds` finds the switch from Deadlock to Chicken and solves its
# condition symbolically: `crash_cost = face_loss`. Exactly at the threshold
# the game is degenerate -- the tool reports the outcomes seen next to it
# rather than dropping them.

# %%
thresholds = deterrence.find_thresholds(model, "crash_cost", low=0, high=20, n=n)
for t in thresholds:
    print(f"crash_cost = {round(float(t.value), 6)} (formula {t.formula}, symbolic and numeric agree: {t.agree})")
    print("  below:", t.left, "| above:", t.right)
threshold_value = float(thresholds[0].value)

# %% [markdown]
# ## 4. Following every equilibrium: a branch diagram
#
# `track_branches` follows each Nash equilibrium along the parameter and
# records the events where branches are born or die. Below the threshold
# there is one equilibrium (both stand firm); at `crash_cost = face_loss` the
# two pure "one side yields" branches are born, while the Deadlock branch
# continues smoothly into the mixed one (its firmness `q` equals 1 exactly at
# the threshold). On the coarse grid of the small test run the fast-falling
# mixed branch can move by more than `max_jump` between grid points; it is
# then reported as one branch ending and another starting.

# %%
diagram = deterrence.track_branches(model, "crash_cost", low=0.5, high=20, n=n)
print(diagram)
for event in diagram.events:
    print(f"  {event.kind:10s} branch {event.branch} at crash_cost = {round(float(event.value), 4)}")
first_event = round(float(diagram.events[0].value), 6)
fig, ax = plt.subplots(figsize=(6, 4))
branch_diagram(diagram, ax)
fig.tight_layout()
fig.savefig(OUT / "chicken_branches.png", dpi=120)
