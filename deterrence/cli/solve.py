"""``deterrence solve GAME``: every equilibrium of a registered model or a Gambit file, verified."""

from __future__ import annotations

import argparse
import json
from typing import Any

from deterrence.cli.options import add_command_parser, add_output_option, emit, load_game, run_provenance
from deterrence.cli.registry import command
from deterrence.errors import SolverError

__all__ = ["add_parser"]


def _run(args: argparse.Namespace) -> int:
    import time

    from deterrence.solvers.facade import solve

    started = time.perf_counter()
    game, model = load_game(args.game, args)
    concept = args.concept or (model.concepts[0] if model else ("spe" if hasattr(game, "root") else "nash"))
    if model is not None and not model.supports(concept):
        raise SolverError(
            f"model {model.slug!r} declares the concepts {', '.join(model.solve_concepts)}, not {concept!r}; "
            "to solve it anyway, "
            f"export it (deterrence export {model.slug} -o FILE.efg or .nfg) and solve the file"
        )
    options = {k: v for k, v in (("belief_rule", args.belief_rule), ("refine", args.refine)) if v}
    if args.belief_rule and concept != "pbe":
        raise SolverError("--belief-rule and --refine apply to --concept pbe only")
    if args.refine and concept not in ("pbe", "sequential"):
        raise SolverError("--refine applies to --concept pbe or sequential only")
    if args.lam is not None:
        if concept != "qre":
            raise SolverError("--lambda applies to --concept qre only")
        options["lam"] = args.lam
    result = solve(game, concept=concept, method=args.method, max_work=args.max_work, options=options or None)
    if args.format == "json":
        text = json.dumps(result.to_dict(), indent=2)
    else:
        from deterrence.io.tables import result_table

        text = result_table(result)
    provenance = None
    if args.output:
        extra = {"game": args.game, "concept": concept, "method": result.method, "complete": result.complete}
        provenance = run_provenance(args, model, started=started, extra=extra)
    emit(text, args.output, provenance=provenance)
    return 0


@command("solve", order=30)
def add_parser(sub: Any) -> None:
    """Register ``solve``."""
    from deterrence.solvers import registry as solver_registry

    p = add_command_parser(
        sub,
        "solve",
        help="find every equilibrium of a game, verified",
        description="Solve a built-in game (by slug) or a Gambit .nfg/.efg file. "
        "Exact payoffs are solved in exact arithmetic.",
        epilog="solvers by concept, form of the game and method:\n" + solver_registry.describe(),
        formats=("table", "json"),
        model=True,
    )
    p.add_argument("game", metavar="GAME", help="a slug from 'deterrence list' or a path to a .nfg/.efg file")
    p.add_argument(
        "--concept",
        choices=solver_registry.concepts(),
        help="solution concept (default: the model's own, else spe for trees and nash for matrices)",
    )
    p.add_argument("--method", help="algorithm for the concept and the form of the game (table below; * = default)")
    p.add_argument(
        "--max-work",
        type=float,
        metavar="UNITS",
        help="refuse a job estimated above UNITS of work before starting (default 1e8, about a minute; inf: no limit)",
    )
    p.add_argument(
        "--belief-rule",
        choices=("prior", "passive"),
        help="pbe: fix off-path beliefs (prior: nature's odds; passive: Bayes' rule on the paths with the fewest "
        "unexpected moves, always consistent); "
        "default: report every supporting belief",
    )
    p.add_argument("--refine", choices=("intuitive",), help="pbe: keep assessments passing the Intuitive Criterion")
    p.add_argument(
        "--lambda",
        dest="lam",
        type=float,
        metavar="L",
        help="qre: the logit precision; the profile where the principal branch reaches L "
        "(default: the branch at landmark values)",
    )
    add_output_option(p, "write to FILE, with a provenance sidecar FILE.provenance.json")
    p.set_defaults(handler=_run)
