# %% [markdown]
# # Testing the argument: can the model disagree with it?
#
# A model that confirms an argument whatever its calibration says nothing about
# the argument. This example is for readers who want to *test* the USIP
# analysis of the January 2024 Iran-Pakistan strikes (claims C1-C12 of
# `docs/argument.md`) rather than illustrate it. It does four things:
#
# 1. runs the audit at the baseline calibration;
# 2. re-runs every claim's check at its stored *refuting example* -- a
#    calibration inside the stated parameter ranges where the check says
#    `refuted` -- to show that each verdict could have gone the other way;
# 3. looks closely at one surprising refutation: a restraint on Iran that
#    *raises* the escalation we would see (C6-C9);
# 4. asks how much of the parameter box supports each claim (robustness shares
#    and Sobol' indices), and draws the robustness figure.
#
# Run it with `python examples/09_testing_the_argument.py`. It writes
# `output/testing_restraint_paradox.csv`, `output/testing_restraint_paradox.png`,
# `output/robustness.png` and `output/robustness.json`. With
# `DETERRENCE_SMALL=1` the robustness sample is small (N = 16) and its shares
# are rough.

# %%
import json
import os
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from games.iran_pakistan import CHOICES, PARAMETERS, audit, solve_continuation, values_for
from games.iran_pakistan.commands import audit_table
from games.iran_pakistan.refutations import example_values
from games.iran_pakistan.robustness import robustness, robustness_figure, robustness_table

SMALL = bool(os.environ.get("DETERRENCE_SMALL"))
OUT = Path("output")
OUT.mkdir(exist_ok=True)

baseline = values_for()  # exact fractions: the audit below is computed in exact arithmetic

# %% [markdown]
# ## 1. The audit at the baseline
#
# Each check returns one of three verdicts, and the words have a narrow
# meaning here:
#
# * **confirmed** -- at this calibration the model's equilibrium implies the
#   claim as stated, including every part a claim bundles together (C3, for
#   instance, needs Pakistan to choose the calibrated strike, the direct strike
#   to invite more escalation, *and* face-saving to be what decides).
# * **qualified** -- the model implies a weaker version: only one of the
#   claim's parts holds, it holds with an exact tie, or the mechanism the claim
#   names is switched off at this calibration (a restraint that does not bite
#   because Pakistan's threat is not credible is "flat", not "confirmed").
#   A qualified claim is not wrong, but the argument needs the missing part
#   from somewhere else.
# * **refuted** -- the equilibrium says the opposite: Pakistan absorbs where the
#   claim says it retaliates, or escalation rises where the claim says it falls.
#
# A fourth label, *definitional*, is reserved for a check that no calibration
# in the ranges could refute; confirming such a claim would only restate an
# assumption. The last line below lists the claims that carry it.

# %%
rows = audit(baseline)
print(audit_table(rows))
baseline_status = {r.claim: r.status for r in rows}
definitional = [r.claim for r in rows if r.definitional]
print("definitional (no calibration in the ranges refutes the check):", ", ".join(definitional) or "none")

# %% [markdown]
# ## 2. Each verdict could have gone the other way
#
# Every audit row carries `refuting_example`: a change to the baseline, as
# `deterrence audit --set NAME=VALUE` takes it, at which that claim's check
# returns `refuted`. The examples were found by a deterministic search (one
# parameter at a time first, the smallest change winning; then seeded Sobol'
# points of the whole box) and are stored as inputs, so here we only re-run
# the audit on them. `example_values` applies the change to the baseline in
# exact arithmetic, exactly as the command line would.

# %%
refuted_at_example = {}
for row in rows:
    if row.refuting_example is None:
        print(f"{row.claim:4s} no refuting example ({row.status})")
        continue
    at = audit(example_values(row.refuting_example), claims=(row.claim,))[0]
    refuted_at_example[row.claim] = at.status
    change = ", ".join(f"{k}={x}" for k, x in row.refuting_example.items())
    print(f"{row.claim:4s} {row.status:10s} -> {at.status:8s} at {change}")
    print(f"     {at.summary}")

# %% [markdown]
# Most claims fall to a single parameter moved within its range. C5 (the
# conflict-broadening Iran escalates) needs several at once: the broadening
# type's escalation value is held at the baseline, because lowering it would
# refute C5 by definition, so the search refutes it through the restraints and
# face costs instead.
#
# ## 3. A restraint on Iran that raises escalation (C6-C9)
#
# C6-C9 say "the larger X, the less Iran escalates", for X among the pressures
# on Iran: the erosion of its deterrence of the US and Israel (C6), its
# overstretch and Pakistan's superiority (C7), Chinese leverage (C8) and US
# pressure (C9). Iran's *reaction function* -- the probability that it
# escalates after a given strike -- does fall with every such X, but that is
# true by construction: each restraint only lowers Iran's payoff of
# escalating. The claim is about the escalation we would *observe*, on the
# equilibrium path, and there Pakistan moves too.
#
# Take C6's refuting example, where India's second front is a little heavier
# than at the baseline (`india_second_front = 9/20`). At low
# `deterrence_erosion` Iran's threat to escalate after a calibrated strike is
# strong enough that Pakistan absorbs the strike, and nothing escalates. As the
# restraint grows, the coercive type stops escalating, Pakistan's expected cost
# of a calibrated strike falls below the precedent cost, and Pakistan strikes.
# The conflict-broadening type still escalates after the strike, so realised
# escalation jumps from 0 to that type's prior probability: restraining Iran
# has emboldened Pakistan, and the crisis has become more dangerous, not less.
# Only when the restraint is large enough to stop the broadening type too does
# escalation fall back to zero.

# %%
name = "deterrence_erosion"
p = PARAMETERS[name]
n_grid = 41
grid = [Fraction(p.low) + (Fraction(p.high) - Fraction(p.low)) * Fraction(k, n_grid - 1) for k in range(n_grid)]
c6_change = {r.claim: r.refuting_example for r in rows}["C6"] or {}
example = example_values(c6_change)
curves = {}
for label, point in (("baseline", baseline), ("C6 refuting example", example)):
    batch = {k: np.array([x] * n_grid, dtype=object) for k, x in point.items()}
    batch[name] = np.array(grid, dtype=object)
    out = solve_continuation(batch)  # exact backward induction at every grid point
    curves[label] = {
        "choice": [CHOICES[int(c)] for c in out["choice"]],
        "p_path": [float(x) for x in out["p_escalate"]],
        "after_calibrated": [float(x) for x in out["p_escalate/calibrated"]],
        "after_direct": [float(x) for x in out["p_escalate/direct"]],
        "india_second_front": point["india_second_front"],
    }

ex = curves["C6 refuting example"]
rise_at = next(k for k in range(1, n_grid) if ex["p_path"][k] > ex["p_path"][k - 1])
print(f"C6 refuting example, along {name} ({p.unit}):")
print(f"  {name} = {float(grid[rise_at - 1]):.3g}: Pakistan {ex['choice'][rise_at - 1]}, on-path escalation", end=" ")
print(f"{ex['p_path'][rise_at - 1]:.2f}")
print(f"  {name} = {float(grid[rise_at]):.3g}: Pakistan {ex['choice'][rise_at]}, on-path escalation", end=" ")
print(f"{ex['p_path'][rise_at]:.2f}")
paradox_before, paradox_after = ex["p_path"][rise_at - 1], ex["p_path"][rise_at]
paradox_at = float(grid[rise_at])
reaction_monotone = all(
    all(b <= a for a, b in zip(c[key], c[key][1:], strict=False))
    for c in curves.values()
    for key in ("after_calibrated", "after_direct")
)
print("Iran's reaction function never rises along the restraint:", reaction_monotone)

with open(OUT / "testing_restraint_paradox.csv", "w", encoding="utf-8") as f:
    f.write(
        f"calibration,{name},pakistan_choice,p_escalate_on_path,p_escalate_after_calibrated,p_escalate_after_direct\n"
    )
    for label, c in curves.items():
        for k, x in enumerate(grid):
            f.write(
                f"{label},{float(x)},{c['choice'][k]},{c['p_path'][k]},{c['after_calibrated'][k]},{c['after_direct'][k]}\n"
            )

fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
xs = [float(x) for x in grid]
for ax, (label, c) in zip(axes, curves.items(), strict=True):
    ax.step(xs, c["p_path"], where="post", lw=2.5, color="k", label="on the equilibrium path")
    ax.step(xs, c["after_calibrated"], where="post", ls="--", color="#0072B2", label="after a calibrated strike")
    ax.step(xs, c["after_direct"], where="post", ls=":", color="#D55E00", label="after a direct strike")
    ax.set_title(f"{label} (india_second_front = {c['india_second_front']})")
fig.supxlabel(f"{name}: erosion of Iran's deterrence of the US and Israel if Pakistan strikes back ({p.unit})")
axes[0].set_ylabel("probability that Iran escalates")
axes[1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
fig.suptitle("A restraint on Iran (C6): the reaction function falls, realised escalation need not")
fig.tight_layout()
fig.savefig(OUT / "testing_restraint_paradox.png", dpi=120, bbox_inches="tight")

# %% [markdown]
# The same mechanism refutes C7 and C8 at this calibration (overstretch,
# Pakistan's superiority and Chinese leverage all sit in Iran's costs), and
# C9's example shows the other way round: with a much larger precedent cost,
# more US pressure on Iran tips Pakistan from a calibrated to a *direct* strike,
# which every Iranian type answers, so realised escalation rises again.
#
# ## 4. Where in the parameter box does each claim hold?
#
# A verdict at one calibration and one counterexample are the two ends of the
# story. `robustness` fills in the middle: it samples two boxes -- every
# parameter uniform over its stated range, and every parameter within +-50% of
# the baseline -- with scrambled Sobol' points, reports for each claim the share
# of points where it is confirmed and where it holds (confirmed or qualified)
# with 95% Wilson intervals, and the first-order and total Sobol' indices of
# the claim's status. The parameters with the largest total indices are the
# ones that *decide* the claim: the places a referee should look first.

# %%
n = 16 if SMALL else 256
result = robustness(n=n, seed=0)
print(robustness_table(result))
shares = {claim: {box: row["share_held"] for box, row in by_box.items()} for claim, by_box in result.rows.items()}
deciding = {claim: by_box["uniform"]["deciding"] for claim, by_box in result.rows.items()}
figure = robustness_figure(result, OUT / "robustness.png")
(OUT / "robustness.json").write_text(json.dumps(result.to_dict(), indent=1), encoding="utf-8")
print("wrote", figure)

# %% [markdown]
# Read the two boxes together. Near the baseline (the local box) most claims
# hold at most points: the calibration is not a knife edge. Over the whole box
# several claims hold at a minority of points -- Pakistan retaliating at all
# (C2) is one of them -- which says the argument leans on the calibration, and
# the deciding parameters say which numbers it leans on (Pakistan's war cost
# and the precedent cost, above all). The `deterrence audit --robustness N`
# command prints the same table and `deterrence report` draws the same figure.
