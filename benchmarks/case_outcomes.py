"""Benchmark: the Iran-Pakistan case's registered outcomes against the engine's generic evaluators.

Issue 11 ("Faster, and parallel"): ``get_model("iran-pakistan-sequential").outcomes(points,
"spe")`` must run at >= 1e6 points/s on one core (float64).  On the same points, in one
run, this script times

``case``
    the registered evaluator of each case model (``iran-pakistan-sequential``,
    ``-bayesian``, ``-matrix``): the regime label, its measures and the agent-QRE columns
    ``p_iran_escalates_qre`` and ``p_pakistan_retaliates_qre``;
``generic``
    :func:`deterrence.analysis.outcomes.tree_outcomes` on the parametric sequential tree
    (payoffs compiled once, batched backward induction), the evaluator any tree model gets;
``generic_qre``
    :func:`deterrence.analysis.qre_outcomes.qre_outcomes` on the same tree (one backward
    logit pass), and on fewer points on the Bayesian tree (Newton continuation in lambda).

It checks that the case and the engine agree: the case's regime names the terminal the
engine's subgame-perfect path reaches (points without ties), and its QRE columns equal the
engine's agent QRE (to 1e-9).  Points: every parameter uniform on its stated range, the
two priors mapped to the simplex (``prior_coerce`` scaled by ``1 - prior_broaden``).
Writes ``benchmarks/results/case_outcomes.json``.

Usage: ``python benchmarks/case_outcomes.py [--quick] [--points N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import machine as _machine
from _common import write_results

RESULTS = Path(__file__).parent / "results" / "case_outcomes.json"
TARGET = 1e6


def box_points(size: int, seed: int) -> dict[str, np.ndarray]:
    """``size`` points uniform over every parameter's range, the priors on the simplex."""
    from games.iran_pakistan.parameters import PARAMETERS

    rng = np.random.default_rng(seed)
    points = {p.name: rng.uniform(float(p.low), float(p.high), size) for p in PARAMETERS}
    points["prior_coerce"] = points["prior_coerce"] * (1 - points["prior_broaden"])
    return points


def _best(function: Any, repeat: int) -> tuple[float, float, Any]:
    """``(wall seconds, CPU seconds, result)``: the best of ``repeat`` calls by each clock.

    The CPU time (``time.process_time``) is what one core spends; on a shared machine the
    wall time also counts the time other processes hold the core.
    """
    wall, cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        out = function()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, out


def _rates(size: int, wall: float, cpu: float, **extra: Any) -> dict[str, Any]:
    return {
        "points": size,
        "seconds": wall,
        "cpu_seconds": cpu,
        "points_per_second": size / wall,
        "points_per_cpu_second": size / cpu,
        **extra,
    }


def _sequential(**values: Any) -> Any:
    from games.iran_pakistan.forms import sequential_game

    return sequential_game(values or None)


def _bayesian(**values: Any) -> Any:
    """The Bayesian tree, parametric in the payoffs but with the baseline prior as its chance move.

    The engine's QRE evaluators need numeric chance probabilities, so the peer runs at the
    baseline prior (the points it gets carry that prior too).
    """
    from deterrence.forms.extensive_form import Chance, ExtensiveFormGame
    from games.iran_pakistan import forms
    from games.iran_pakistan.parameters import PARAMETERS, TYPES, priors

    v = forms.values_for(values) if values else forms.values_for(symbolic=True)
    prior = priors({k: PARAMETERS[k].default for k in ("prior_broaden", "prior_coerce")})
    children = tuple(
        forms._continuation(forms.outcome_payoffs(v, key), iran_infoset=f"{label}: ") for key, label, *_ in TYPES
    )
    root = Chance(tuple(t[1] for t in TYPES), tuple(prior[t[0]] for t in TYPES), children, label="Iran's motive")
    return ExtensiveFormGame(["Pakistan", "Iran"], root)


def _terminal_of(label: str, counter: bool) -> str:
    """The sequential tree's terminal named by a case regime label (counter-terror Iran)."""
    if label == "absorb":
        return "absorb"
    response, reply = label.split(" -> ")
    if reply == "stand down":
        return f"{response}/stand_down"
    return f"{response}/escalate/" + ("counter" if counter else "hold")


def bench(size: int, repeat: int, qre_size: int, bayes_size: int) -> dict[str, Any]:
    from deterrence.analysis.outcomes import tree_outcomes
    from deterrence.analysis.qre_outcomes import qre_outcomes
    from games import get_model
    from games.iran_pakistan.smooth import DEFAULT_LAMBDA

    points = box_points(size, seed=11)
    small = {k: v[:1000] for k, v in points.items()}
    report: dict[str, Any] = {"points": size, "repeat": repeat, "lambda": DEFAULT_LAMBDA}
    case: dict[str, Any] = {}
    outputs = {}
    for slug, concept in (
        ("iran-pakistan-sequential", "spe"),
        ("iran-pakistan-bayesian", "pbe"),
        ("iran-pakistan-matrix", "nash"),
    ):
        model = get_model(slug)
        model.outcomes(small, concept)  # warm up
        wall, cpu, outputs[slug] = _best(lambda m=model, c=concept: m.outcomes(points, c), repeat)
        case[slug] = _rates(size, wall, cpu)
    report["case"] = case

    generic = tree_outcomes(_sequential, label="terminal")
    generic(small, "spe")  # compile once (sympy -> numpy)
    wall, cpu, engine = _best(lambda: generic(points, "spe"), repeat)
    report["generic_tree_outcomes"] = _rates(size, wall, cpu)

    seq = outputs["iran-pakistan-sequential"]
    clean = ~(seq["tie"].astype(bool) | engine["tie"])
    labels, codes = seq["outcome"].categories, seq["outcome"].codes
    counter = seq["counter_credible"].astype(bool)
    mapped = np.array([_terminal_of(str(labels[c]), bool(k)) for c, k in zip(codes[clean], counter[clean])])
    report["regimes_agree"] = {
        "points_without_ties": int(clean.sum()),
        "agree": int((mapped == np.asarray(engine["outcome"])[clean]).sum()),
    }

    measures = {
        "absorb": ("Pakistan", "response", "absorb"),
        "escalate": ("outcome", *(f"{r}/escalate/{c}" for r in ("calibrated", "direct") for c in ("counter", "hold"))),
    }
    engine_qre = qre_outcomes(_sequential, measures, lam=DEFAULT_LAMBDA)
    sub = {k: v[:qre_size] for k, v in points.items()}
    engine_qre({k: v[:10] for k, v in sub.items()})
    wall, cpu, smooth = _best(lambda: engine_qre(sub), max(1, repeat // 2))
    report["generic_qre_sequential"] = _rates(
        qre_size,
        wall,
        cpu,
        max_abs_difference_p_retaliates=float(
            np.max(np.abs(1 - smooth["absorb"] - seq["p_pakistan_retaliates_qre"][:qre_size]))
        ),
        max_abs_difference_p_escalates=float(
            np.max(np.abs(smooth["escalate"] - seq["p_iran_escalates_qre"][:qre_size]))
        ),
    )
    bayes_qre = qre_outcomes(_bayesian, {"absorb": ("Pakistan", "response", "absorb")}, lam=DEFAULT_LAMBDA)
    from games import get_model as _get

    sub = {k: v[:bayes_size].copy() for k, v in points.items()}
    for name in ("prior_broaden", "prior_coerce"):
        sub[name][:] = float(_get("iran-pakistan-bayesian").parameters[name].default)
    wall, cpu, smooth = _best(lambda: bayes_qre(sub), 1)
    bayes = _get("iran-pakistan-bayesian").outcomes(sub, "pbe")
    ok = np.isfinite(smooth["absorb"])
    report["generic_qre_bayesian"] = _rates(
        bayes_size,
        wall,
        cpu,
        converged=int(ok.sum()),
        max_abs_difference_p_retaliates=float(
            np.max(np.abs(1 - smooth["absorb"][ok] - bayes["p_pakistan_retaliates_qre"][ok]))
        ),
    )
    ours = case["iran-pakistan-sequential"]
    report["speedup_vs_generic_tree_outcomes"] = (
        ours["points_per_cpu_second"] / report["generic_tree_outcomes"]["points_per_cpu_second"]
    )
    report["target_points_per_second"] = TARGET
    report["target_met_cpu"] = bool(ours["points_per_cpu_second"] >= TARGET)
    report["target_met_wall"] = bool(ours["points_per_second"] >= TARGET)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="timings are the best of this many runs")
    args = parser.parse_args()
    if args.quick:
        args.points, args.repeat = 50_000, 2
    qre_size = min(args.points, 200_000)
    bayes_size = min(args.points, 100 if args.quick else 500)
    report = {"arguments": vars(args), "machine": _machine()} | bench(args.points, args.repeat, qre_size, bayes_size)
    for key in ("case", "generic_tree_outcomes", "generic_qre_sequential", "generic_qre_bayesian"):
        rows = report[key].items() if key == "case" else [(key, report[key])]
        for name, row in rows:
            print(
                f"{name:28s} {row['points_per_cpu_second']:>14,.0f} points/CPU-s "
                f"{row['points_per_second']:>14,.0f} points/s (wall) on {row['points']:,} points"
            )
    print(f"regimes agree: {report['regimes_agree']}")
    print(f"target {TARGET:.0e} points/s met: CPU {report['target_met_cpu']}, wall {report['target_met_wall']}")
    write_results(RESULTS, report, default=float)


if __name__ == "__main__":
    main()
