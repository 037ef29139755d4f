# %% [markdown]
# # The report's figures and tables, one at a time
#
# `deterrence report -o DIR` writes the Iran-Pakistan analysis (the USIP
# argument of January 2024, claims C1-C12 of `docs/argument.md`) with eight
# figures under `DIR/figures/` and three tables under `DIR/tables/`. This
# example rebuilds each of them from the public functions behind the report,
# one short section per figure or table, so that you can change a calibration,
# a grid or a seed and see what moves (`figures.` is `games.iran_pakistan.figures`,
# and likewise for `robustness.` and `statics.`):
#
# | Report file | Section | Functions |
# |---|---|---|
# | `figures/game_tree` | 1 | `sequential_game`, `deterrence.solve(..., "spe")`, `deterrence.plotting.tree.draw_tree` |
# | `figures/belief_simplex` | 2 | `figures.belief_map`, `figures.plot_map` |
# | `figures/regime_china`, `_united_states`, `_india` | 3 | `figures.actor_pair`, `.outcome_map`, `.plot_map` |
# | `figures/tornado` | 4 | `figures.swings`, `figures.plot_swings` |
# | `figures/sobol` | 5 | `figures.sobol_indices`, `deterrence.plotting.sobol_bars` |
# | `figures/robustness` | 6 | `robustness.robustness`, `robustness.robustness_figure` |
# | `tables/audit` | 7 | `audit`, `robustness.attach` |
# | `tables/sign_targets` | 8 | `statics.sign_targets` |
# | `tables/switches` | 9 | `figures.switches` |
#
# Everything goes to `output/` (PNG; the tables also as CSV). With
# `DETERRENCE_SMALL=1` the grids, the Sobol' sample and the robustness sample
# are small, so the pictures are coarse but the regimes are the same.

# %%
import csv
import os
import textwrap
from pathlib import Path

import deterrence
from deterrence.plotting import sobol_bars
from deterrence.plotting.tree import draw_tree
from games.iran_pakistan import audit, values_for
from games.iran_pakistan.figures import (
    actor_pair,
    belief_map,
    new_axes,
    outcome_map,
    plot_map,
    plot_swings,
    sobol_indices,
    swings,
    switches,
)
from games.iran_pakistan.forms import sequential_game
from games.iran_pakistan.robustness import attach, robustness, robustness_figure
from games.iran_pakistan.statics import sign_targets

SMALL = bool(os.environ.get("DETERRENCE_SMALL"))
GRID = 31 if SMALL else 121  # points per axis of the maps (the report's default is 121)
SOBOL_N = 64 if SMALL else 512  # base sample of the Sobol' chart (the report's default)
ROBUST_N = 16 if SMALL else 128  # base sample of the robustness figure per box (the report's default)
SEED = 20240116  # the report's seed (the date of Iran's strike)
OUT = Path("output")
OUT.mkdir(exist_ok=True)

v = values_for()  # the baseline calibration, in exact fractions


def save(figure, name):
    """Write a figure as output/NAME.png and return the path."""
    path = OUT / f"{name}.png"
    figure.savefig(path, dpi=120)
    return path


def table_png(header, rows, name, widths):
    """Draw a table as output/NAME.png, wrapping each column's text to its width in characters."""
    cells = [["\n".join(textwrap.wrap(str(x), w)) or "" for x, w in zip(row, widths, strict=True)] for row in rows]
    lines = [max(c.count("\n") + 1 for c in row) for row in cells]
    units = sum(lines) + len(lines) + 2  # text lines plus a line of padding per row and for the header
    figure, ax = new_axes((0.3 + 0.075 * sum(widths), 0.3 + 0.16 * units))
    figure.set_layout_engine("none")  # the table fills the axes: no layout pass needed, and drawing is faster
    ax.set_position((0.01, 0.01, 0.98, 0.98))
    ax.set_axis_off()
    shares = [w / sum(widths) for w in widths]
    table = ax.table(cellText=cells, colLabels=header, colWidths=shares, cellLoc="left", bbox=(0, 0, 1, 1))
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    for (r, _), cell in table.get_celld().items():
        cell.set_height((lines[r - 1] + 1 if r else 2) / units)
        cell.PAD = 0.02  # of the cell's width: a small margin, also in the wide columns
    return save(figure, name)


def write_csv(header, rows, name):
    with open(OUT / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


# %% [markdown]
# ## 1. The game tree (`figures/game_tree`)
#
# The sequential form: Pakistan answers Iran's strike by absorbing it, a
# calibrated strike on militant camps or a direct strike; Iran then stands
# down or escalates, and Pakistan may counter-escalate. We solve it for its
# subgame-perfect equilibrium and follow the equilibrium from the root to a
# leaf; that path is drawn thick in colour. (The report uses Graphviz when
# `dot` is installed and this matplotlib drawing otherwise.)

# %%
game = sequential_game(v)
spe = deterrence.solve(game, "spe")
path, moves, node = [], [], game.root
eq = spe.equilibria[0]
while isinstance(node, deterrence.Decision):  # the pure equilibrium's path, root to leaf
    mix = eq.strategies[node.player][node.infoset]
    k = max(range(len(node.actions)), key=lambda a: mix[node.actions[a]])
    path.append(k)
    moves.append(f"{node.player}: {node.actions[k]}")
    node = node.children[k]
print("subgame-perfect path:", " -> ".join(moves), "| payoffs (Pakistan, Iran):", tuple(str(x) for x in node.payoffs))
tree_path = [str(m) for m in moves]
figure, ax = new_axes((10.0, 5.5))
draw_tree(game, ax, path=path, title="The sequential form; the subgame-perfect path in colour")
print("wrote", save(figure, "game_tree"))

# %% [markdown]
# Read it from the top: each circle is a decision, each square an outcome
# with payoffs (Pakistan, Iran). At the baseline the coloured path is a
# calibrated strike after which Iran stands down: C3's "face-saving" logic.
#
# ## 2. Pakistan's response over its belief about Iran (`figures/belief_simplex`, C10)
#
# Pakistan does not know why Iran struck: to fight terrorists, to broaden the
# conflict or to coerce. `belief_map` solves the Bayesian form at every point
# of the simplex of priors (`prior_broaden`, `prior_coerce`; the rest is the
# counter-terror type) in one batched call.

# %%
belief = belief_map(v, GRID)
print("belief map regimes (largest first):", belief.regimes, "| C1 rule agrees on", f"{belief.agreement:.0%}")
figure, ax = new_axes((10.0, 5.2))
plot_map(belief, ax, baseline=v, title="C10: Pakistan's best response over its prior on Iran's motive")
print("wrote", save(figure, "belief_simplex"))

# %% [markdown]
# Near the origin (Iran is probably fighting terrorists) Pakistan strikes
# back; towards the hypotenuse (Iran probably wants a wider war) it absorbs.
# The star is the calibration, the dashed line the analytic C1 threshold where
# its premise holds; the white triangle is outside the simplex.
#
# ## 3. The outcome over each third party's parameters (`figures/regime_*`, C8, C9, C4)
#
# For China, the United States and India, `actor_pair` names the two
# parameters the report maps and `outcome_map` labels each grid cell with
# Pakistan's response and which types of Iran escalate against it.

# %%
regime_maps = {}
for actor, claim in {"China": "C8", "United States": "C9", "India": "C4"}.items():
    x, y = actor_pair(actor)
    m = outcome_map(v, x, y, GRID)
    regime_maps[actor] = m
    figure, ax = new_axes((10.0, 5.2))
    whose = "the United States'" if actor == "United States" else f"{actor}'s"
    plot_map(m, ax, baseline=v, title=f"{claim}: the equilibrium outcome over {whose} parameters")
    stem = "regime_" + actor.lower().replace(" ", "_")
    print(
        f"{actor:13s} {x} x {y}: {len(m.regimes)} regimes, C1 agreement {m.agreement:.0%};", "wrote", save(figure, stem)
    )

# %% [markdown]
# A region's colour and hatch is an outcome; where the dashed C1 boundary runs
# along a colour change, the closed-form threshold and the solver agree. India
# cuts both ways (C4): emboldening makes Pakistan strike, a heavier second
# front makes it absorb.
#
# ## 4. One-at-a-time swings (`figures/tornado`)
#
# `swings` moves each third-party parameter over its range with the rest at
# the calibration (one batched solve) and records the measure at both ends;
# `plot_swings` draws the tornado, largest swing on top. The report draws two
# measures: Pakistan's retaliation margin (its best strike's payoff minus
# absorbing's) and the probability that Iran escalates on the equilibrium path.

# %%
tornado_n = max(11, GRID // 3)  # as the report: a third of the map grid
figure, axes = new_axes((13.0, 6.0), ncols=2)
largest_swing = {}  # measure -> the parameters whose swing is largest (ties kept)
for ax, measure in zip(axes, ("retaliation_margin", "p_escalate"), strict=True):
    s = swings(v, measure=measure, n=tornado_n)
    spread = s["max"] - s["min"]
    largest_swing[measure] = [a for a, d in zip(s["names"], spread, strict=True) if d >= spread.max() - 1e-9]
    if measure == "retaliation_margin":
        tornado_baseline = s["baseline"]
    plot_swings(s, ax, label=measure, title=measure)
    print(f"{measure}: at the calibration {s['baseline']:.3g};", "largest swing:", ", ".join(largest_swing[measure]))
print("wrote", save(figure, "tornado"))

# %% [markdown]
# The dashed line is the calibration; a bar that crosses the dotted zero line
# of the retaliation margin is a parameter that alone can flip Pakistan
# between absorbing and striking, and the two colours show which end of the
# parameter's range pushes which way. India's and the Taliban's emboldening
# enter the margin the same way, so their bars tie.
#
# ## 5. Sobol' indices (`figures/sobol`)
#
# The tornado moves one parameter at a time; Sobol' indices let all of them
# vary together (uniformly over their ranges) and split the variance of each
# measure into first-order shares (a parameter alone) and total shares (with
# its interactions), with 95% bootstrap intervals. A measure that never varies
# has no indices, and `sobol_indices` returns None for it.

# %%
figure, axes = new_axes((13.0, 5.8), ncols=2)
sobol_top = {}
for ax, measure in zip(axes, ("retaliation_margin", "p_escalate"), strict=True):
    res = sobol_indices(v, measure, n=SOBOL_N, seed=SEED)
    if res is None:
        sobol_top[measure] = None
        ax.set_axis_off()
        ax.set_title(f"{measure}: constant over these ranges")
        continue
    sobol_top[measure] = res.names[int(res.total.argmax())]
    sobol_bars(res, ax, title=measure, ylabel=f"share of the variance of {measure}")
    print(f"{measure}: largest total index {float(res.total.max()):.2f} ({sobol_top[measure]})")
print("wrote", save(figure, "sobol"))

# %% [markdown]
# A total index well above the first-order one means the parameter matters
# mostly through interactions. The indices are estimates: with the small
# sample the intervals are wide, and a slightly negative first-order index is
# sampling noise around zero.
#
# ## 6. The claims' robustness (`figures/robustness`)
#
# `robustness` samples two boxes -- every parameter uniform over its range,
# and every parameter within +-50% of the calibration -- with scrambled Sobol'
# points and reports, per claim, the share of points where it holds (confirmed
# or qualified) and where it is confirmed, with 95% Wilson intervals and the
# parameters that decide it.

# %%
robust = robustness(n=ROBUST_N, seed=SEED, calibration=v)
print("robustness:", len(robust.rows), "claims,", robust.n, "base points per box")
print("wrote", robustness_figure(robust, OUT / "robustness.png"))

# %% [markdown]
# Light bars are the share held, dark bars the share confirmed, whiskers the
# intervals; the text beside each bar names the parameters with the largest
# total Sobol' indices of the claim's status. Claims are sorted with the least
# robust at the top.
#
# ## 7. The audit table (`tables/audit`)
#
# The audit checks claims C1-C12 at the calibration: a status (confirmed,
# qualified or refuted), a generated summary, the region of one parameter over
# which the verdict stays, and a stored refuting example. `attach` adds the
# robustness shares of section 6, as in the report.

# %%
rows = audit(v)
records = attach([r.to_dict() for r in rows], robust)
audit_status = {r["claim"]: r["status"] for r in records}
header = ["claim", "status", "held (uniform box)", "region", "refuting example"]
audit_rows = [
    [
        r["claim"],
        r["status"],
        f"{r['robustness']['uniform']['share_held']:.0%}",
        r["region"],
        ", ".join(f"{k}={x}" for k, x in (r["refuting_example"] or {}).items()),
    ]
    for r in records
]
write_csv(header, audit_rows, "audit")
print("wrote", table_png(header, audit_rows, "audit", [6, 10, 18, 50, 36]))
print({c: s for c, s in audit_status.items() if s != "confirmed"} or "every claim confirmed")

# %% [markdown]
# Each row is one claim; "held" is the robustness share of section 6, so a
# claim confirmed at the calibration but held on a small share of the box
# leans on the calibration. The refuting example is a change to the baseline,
# as `deterrence audit --set NAME=VALUE` takes it, at which the check says
# `refuted`.
#
# ## 8. The comparative-static sign targets (`tables/sign_targets`)
#
# The argument's twelve "the larger X, the more (or less) Y" statements are
# checked by sweeping each named parameter over its range: `holds` (the
# measure moves as predicted), `holds weakly` (it never moves against the
# prediction but stays flat), `violated`, or `not implied` (the model has no
# such channel). The last column reads the same statement off the smooth agent
# QRE probabilities at the calibration.

# %%
targets = sign_targets(v, n=GRID)
header = ["row", "statement", "parameters", "sign", "status", "QRE"]
target_rows = [[t.row, t.statement, " ".join(t.parameters), t.predicted_sign, t.status, t.qre_status] for t in targets]
write_csv(header, target_rows, "sign_targets")
print("wrote", table_png(header, target_rows, "sign_targets", [4, 52, 30, 12, 12, 12]))
target_status = {t.row: t.status for t in targets}
print(target_status)

# %% [markdown]
# A `holds weakly` row is not support for the statement: the measure is flat
# over the sweep at this calibration. Compare the QRE column, where a flat
# regime can still have a slope.
#
# ## 9. What would change the conclusion (`tables/switches`)
#
# `switches` sweeps every parameter over its range, the others at the
# calibration, and reports for each the change of outcome nearest the
# calibration: where it happens, the outcome before and after, and the
# distance as a share of the range. Sorted nearest first, it lists the
# numbers the conclusion is most sensitive to.

# %%
found = switches(v)  # 201 points per parameter, as the report (one cheap batched solve)
header = ["parameter", "baseline", "switch at", "distance", "before", "after"]
switch_rows = [
    [s["parameter"], f"{s['baseline']:.3g}", f"{s['at']:.3g}", f"{s['distance']:.1%}", s["before"], s["after"]]
    for s in found
]
write_csv(header, switch_rows, "switches")
print("wrote", table_png(header, switch_rows, "switches", [28, 8, 9, 8, 40, 40]))
nearest_response_switch = next(s for s in found if s["response_changes"])
print(
    "nearest change of Pakistan's response:", nearest_response_switch["parameter"], "at", nearest_response_switch["at"]
)

# %% [markdown]
# Rows with `before` and `after` both a calibrated strike change only which
# types of Iran escalate; the first row where Pakistan's response itself
# changes is the nearest number that would overturn the headline. The full
# report (`deterrence report -o DIR`) writes the same figures as PNG and SVG,
# the tables as CSV and Parquet, and a provenance record beside each file.
