# %% [markdown]
# # The Iran-Pakistan strikes of January 2024: the baseline
#
# This script walks through the four forms of the Iran-Pakistan model at the
# baseline calibration (the defaults in `games/iran_pakistan/parameters.py`).
# Claims C1-C12 are those of the USIP analysis (January 2024). Run it with
# `python examples/01_iran_pakistan_baseline.py`; it prints and writes no files.

# %%
from deterrence import solve
from deterrence.io.tables import result_table
from games.iran_pakistan import (
    CHOICES,
    audit,
    bayesian_game,
    matrix_game,
    prestrike_assessments,
    prestrike_game,
    reputation_game,
    retaliation_threshold,
    sequential_game,
    solve_continuation,
    values_for,
)
from games.iran_pakistan.commands import audit_table

values = values_for()  # the baseline: exact fractions, so every answer below is exact

# %% [markdown]
# ## 1. The strategic form (matrix game)
#
# The matrix is the engine's reduced strategic form of the game tree below:
# Pakistan's plans (absorb, or a strike with what it would do if Iran
# escalated) against Iran's plans (its reply to each strike). The solver lists
# every Nash equilibrium exactly. Note the *degenerate* component in which
# Pakistan absorbs because Iran threatens to escalate after a calibrated strike
# with probability at least 39/76: against "absorb" all of Iran's columns pay
# the same, so the threat costs it nothing -- a non-credible threat, as in
# Selten's entry game.

# %%
matrix = solve(matrix_game(values), "nash")
print(result_table(matrix))

# %% [markdown]
# ## 2. The sequential game (subgame perfection)
#
# Backward induction removes the non-credible threat: Pakistan strikes
# calibrated targets and Iran stands down (C3, C11). Off the path, a direct
# strike would be answered by Iranian escalation.

# %%
tree = solve(sequential_game(values), "spe")
print(result_table(tree))

# %% [markdown]
# ## 3. Uncertainty over Iran's motive (Bayesian game)
#
# Pakistan does not know whether Iran acts from counter-terror, to broaden the
# regional conflict or to coerce its neighbours (C10). The engine's perfect
# Bayesian equilibrium solver lists every assessment; `solve_continuation`, the
# batched backward induction that sweeps use, gives the same answer.

# %%
game = bayesian_game(values)
pbe = solve(game, "pbe")
print(result_table(pbe))
out = solve_continuation(values)
print("Pakistan's response:", CHOICES[int(out["choice"][0])])
for t in ("ct", "broaden", "coerce"):
    print(f"  type {t:8s} escalates after a calibrated strike:", bool(out[f"escalates/calibrated/{t}"][0]))
print("probability of Iranian escalation on the path:", float(out["p_escalate"][0]))

# %% [markdown]
# ## 4. One move earlier: Iran's decision to strike (C12)
#
# Both sides are uncertain: Iran does not know whether Pakistan would absorb
# the strike, Pakistan does not know Iran's motive. At the baseline there is no
# pure equilibrium; in the semi-separating one a counter-terror Iran strikes
# only some of the time and a resolved Pakistan mixes between absorbing and a
# calibrated strike. The engine's PBE solver finds it (a few seconds), and the
# model's own exact solver agrees.

# %%
prestrike = solve(prestrike_game(values), "pbe")
print(prestrike_game(values).title, "--", len(prestrike), "assessments, complete:", prestrike.complete)
for eq in prestrike_assessments(values):
    strikes = {t: str(p) for t, p in eq["strike"].items()}
    print(
        eq["kind"],
        "| Pr(strike) by type:",
        strikes,
        "| resolved Pakistan:",
        {r: str(p) for r, p in eq["response"].items()},
    )

# %% [markdown]
# ## 4b. Reputation from a watching challenger (C1)
#
# In the reputation form the precedent cost is not a parameter: India or the
# TTP watches Pakistan's response, updates its belief that Pakistan is
# resolute, and then decides whether to challenge (Kreps & Wilson 1982).

# %%
reputation = solve(reputation_game(values), "pbe")
print(result_table(reputation))

# %% [markdown]
# ## 5. The retaliation threshold (C1) as a formula
#
# Pakistan retaliates iff both conditions hold: its counter-escalation is
# credible and the precedent cost exceeds the expected cost of retaliating.

# %%
info = retaliation_threshold(values)
print("text :", info["text"])
print("LaTeX:", info["latex"])

# %% [markdown]
# ## 6. The argument audit
#
# Each claim is confirmed, qualified or refuted at this calibration, with the
# region of parameters where it holds (the same table as `deterrence audit`).

# %%
print(audit_table(audit(values)))
