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
    prestrike_equilibria,
    prestrike_game,
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
# Pakistan chooses absorb, a calibrated strike or a direct strike; Iran stands
# down or escalates. The solver lists every Nash equilibrium exactly. Note the
# *degenerate* component in which Pakistan absorbs because Iran threatens to
# escalate with probability at least 25/34: against "absorb" Iran's two columns
# pay the same, so the threat costs it nothing -- a non-credible threat, as in
# Selten's entry game.

# %%
print(result_table(solve(matrix_game(values), "nash")))

# %% [markdown]
# ## 2. The sequential game (subgame perfection)
#
# Backward induction removes the non-credible threat: Pakistan strikes
# calibrated targets and Iran stands down (C3, C11). Off the path, a direct
# strike would be answered by Iranian escalation.

# %%
print(result_table(solve(sequential_game(values), "spe")))

# %% [markdown]
# ## 3. Uncertainty over Iran's motive (Bayesian game)
#
# Pakistan does not know whether Iran acts from counter-terror, to broaden the
# regional conflict or to coerce its neighbours (C10). `solve_continuation`
# computes the perfect Bayesian equilibrium by backward induction over the
# prior.

# %%
game = bayesian_game(values)
out = solve_continuation(values)
print(game.title)
print("Pakistan's response:", CHOICES[int(out["choice"][0])])
for t in ("ct", "broaden", "coerce"):
    print(f"  type {t:8s} escalates after a calibrated strike:", bool(out[f"escalates/calibrated/{t}"][0]))
print("probability of Iranian escalation on the path:", float(out["p_escalate"][0]))

# %% [markdown]
# ## 4. One move earlier: Iran's decision to strike (C12)
#
# Iran does not know whether Pakistan would absorb the strike. The equilibria
# list which motive types strike.

# %%
print(prestrike_game(values).title)
for eq in prestrike_equilibria(values):
    print("types that strike:", eq["strikers"], "| Pakistan's response if resolved:", eq["response"])

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
