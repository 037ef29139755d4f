# %% [markdown]
# # A sensitivity study for analysts: which assumptions drive Pakistan's response?
#
# The Iran-Pakistan continuation game (`iran-pakistan-sequential`; the
# strikes of January 2024, claims from the USIP analysis of that month) has
# 27 calibrated parameters. A point estimate of the equilibrium says little
# unless we know which parameters it hinges on. This script runs the standard
# workflow of a sensitivity study:
#
# 1. a sweep over two parameters into a pandas DataFrame;
# 2. the regime map (which subgame-perfect outcome holds where);
# 3. variance-based (Sobol' 1993; Saltelli et al. 2008, *Global Sensitivity
#    Analysis: The Primer*) indices of the retaliation margin -- the share of
#    its variance each parameter explains alone (S1) and with interactions (ST);
# 4. the exact threshold at which Pakistan switches from absorbing the strike
#    to retaliating;
# 5. how to run a large sweep on a Dask cluster.
#
# Run it with `python examples/06_sensitivity_study.py`; it writes
# `output/iran_pakistan_sweep.csv`, `output/iran_pakistan_regimes.png`,
# `output/iran_pakistan_sobol.csv`, `output/iran_pakistan_sobol.png` and
# `output/iran_pakistan_sweep_run.csv`.

# %%
import importlib.util
import os
from pathlib import Path

import matplotlib.pyplot as plt

import deterrence
from deterrence.plotting import draw_regime_map, sobol_bars

SMALL = bool(os.environ.get("DETERRENCE_SMALL"))
OUT = Path("output")
OUT.mkdir(exist_ok=True)

model = deterrence.get_model("iran-pakistan-sequential")
print(model.title, "| concepts:", model.concepts)
print("measures:", model.measures)
for name in ("precedent_loss", "calibrated_cost", "india_emboldening", "taliban_front"):
    p = model.parameters[name]
    print(f"  {name:18s} default {p.default} in [{p.low}, {p.high}]: {p.meaning}")

# %% [markdown]
# ## 1. A sweep to a DataFrame
#
# The precedent cost of absorbing the strike against the cost of a calibrated
# strike: `sweep_frame` evaluates the batched (vectorised) model at every
# grid point and returns one row per point.

# %%
n = 11 if SMALL else 101
design = deterrence.grid({"precedent_loss": (0.0, 10.0, n), "calibrated_cost": (0.0, 10.0, n)})
frame = deterrence.sweep_frame(model, design)
frame.to_csv(OUT / "iran_pakistan_sweep.csv", index=False)
print(len(frame), "points")
print(frame["outcome"].value_counts().to_string())
print(frame.groupby("outcome")[["precedent_loss", "calibrated_cost", "retaliation_margin"]].mean().round(3).to_string())
n_outcomes = int(frame["outcome"].nunique())

# %% [markdown]
# ## 2. The regime map
#
# The same table, read as a map. `regime_map_from_frame` rebuilds the grid
# from the sweep (no re-evaluation); `compute_regime_map` would evaluate it
# directly.

# %%
rmap = deterrence.regime_map_from_frame(frame, "precedent_loss", "calibrated_cost")
for label, share in rmap.regions().items():
    print(f"  {label:36s} {round(100 * share, 1)}%")
baseline_label = rmap.label_at(4.0, 1.0)
print("at the baseline (precedent_loss 4, calibrated_cost 1):", baseline_label)

fig, ax = plt.subplots(figsize=(7, 5))
draw_regime_map(rmap, ax, points={"baseline": (4.0, 1.0)}, title="Iran-Pakistan: Pakistan's SPE response")
fig.tight_layout()
fig.savefig(OUT / "iran_pakistan_regimes.png", dpi=120)

# %% [markdown]
# ## 3. Sobol' indices of the retaliation margin
#
# `deterrence.sensitivity(model, measure, "sobol", ...)` samples the named
# parameters uniformly on their ranges (the others at their defaults) and
# returns first-order and total indices with bootstrap intervals. Indices
# from the small test run (`DETERRENCE_SMALL=1`) are rough; use `n` of a few
# thousand for a report.

# %%
names = ["precedent_loss", "calibrated_cost", "india_emboldening", "taliban_front"]
sobol = deterrence.sensitivity(model, "retaliation_margin", "sobol", names=names, n=256 if SMALL else 4096, seed=1)
table = sobol.to_frame()
table.to_csv(OUT / "iran_pakistan_sobol.csv", index=False)
print(table[["parameter", "statistic", "value"]].round(3).to_string(index=False))
first = dict(zip(names, (float(v) for v in sobol.first)))
most_influential = max(first, key=lambda name: first[name])
print("largest first-order index:", most_influential)

fig, ax = plt.subplots(figsize=(6, 4))
sobol_bars(sobol, ax)
fig.tight_layout()
fig.savefig(OUT / "iran_pakistan_sobol.png", dpi=120)

# %% [markdown]
# ## 4. The threshold, exactly
#
# Along `precedent_loss` (others at the baseline) Pakistan switches from
# absorbing to a calibrated strike. `find_thresholds` brackets the switch
# numerically and solves the switching condition with sympy, so the analyst
# gets the formula -- which parameters raise or lower the threshold -- and a
# check that the two agree.

# %%
thresholds = deterrence.find_thresholds(model, "precedent_loss", n=41 if SMALL else 201)
for t in thresholds:
    print(f"precedent_loss = {round(float(t.value), 6)}: {t.left} -> {t.right} (agree: {t.agree})")
    print("  formula:", t.formula)
threshold_value = float(thresholds[0].value)

# %% [markdown]
# ## 5. Large runs: streaming to disk, and Dask
#
# `run_sweep` streams chunks to disk (CSV or Parquet), can resume an
# interrupted run and writes a provenance sidecar. Any
# `concurrent.futures.Executor` can run the chunks; for a cluster, the
# `executor(dask=...)` helper of `deterrence.sweeps.executors` wraps a Dask
# client (install the extra with `pip install 'deterrence[dist]'`).

# %%
big = deterrence.sample("sobol", {k: model.parameters.bounds([k])[k] for k in names}, n=64 if SMALL else 2**16, seed=2)
if importlib.util.find_spec("distributed") is not None:
    from deterrence.sweeps.executors import executor

    with executor(jobs=2, dask=True) as pool:
        run = deterrence.run_sweep(model, big, OUT / "iran_pakistan_sweep_run.csv", executor=pool)
    print("ran on a local Dask cluster:", run)
else:
    run = deterrence.run_sweep(model, big, OUT / "iran_pakistan_sweep_run.csv")
    print("ran in-process:", run)
    print("dask.distributed is not installed; for a cluster run:")
    print("  pip install 'deterrence[dist]'")
    print("  deterrence sweep iran-pakistan-sequential --sample sobol --n 65536 --dask [ADDRESS] -o sweep.parquet")
    print("or in Python: with deterrence.sweeps.executors.executor(dask=True) as pool: run_sweep(..., executor=pool)")
