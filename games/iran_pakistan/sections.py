"""The sections of the Iran-Pakistan report (:func:`games.iran_pakistan.report.build_report`).

Each function returns the Markdown lines of one section at a calibration ``v``
(validated values, :func:`games.iran_pakistan.forms.values_for`); every number
in them is read off the solvers.

Examples
--------
>>> from games.iran_pakistan.forms import values_for
>>> lines = bayesian(values_for())
>>> lines[0]
'### 2.3 Bayesian form: perfect Bayesian equilibrium'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deterrence.errors import DeterrenceError
from deterrence.io.markdown import markdown_table
from deterrence.io.tables import format_value, strategy_text
from games.iran_pakistan.analysis import CHOICES, TYPE_KEYS, prestrike_equilibria, solve_continuation, war_costs
from games.iran_pakistan.claims import retaliation_threshold
from games.iran_pakistan.forms import matrix_game, sequential_game
from games.iran_pakistan.parameters import PARAMETERS, TYPE_LABELS
from games.iran_pakistan.threshold import RETALIATION_RULE

__all__ = [
    "audit_section",
    "bayesian",
    "calibration",
    "matrix",
    "prestrike",
    "sequential",
    "statics_section",
    "threshold",
]


def _path(game: Any, eq: Any) -> list[str]:
    """The moves on the path of a pure behaviour profile, root to terminal."""
    from deterrence.forms.extensive_form import Decision, Terminal

    node, moves = game.root, []
    while not isinstance(node, Terminal):
        if not isinstance(node, Decision):  # no chance moves in the complete-information forms
            raise DeterrenceError("path of a tree with chance moves is not a single sequence")
        mix = eq.strategies[node.player][node.infoset]
        action = max(node.actions, key=lambda a: mix[a])
        moves.append(f"{node.player} {action}")
        node = node.children[node.actions.index(action)]
    return moves + [f"payoffs (Pakistan, Iran) = ({', '.join(format_value(x) for x in node.payoffs)})"]


def calibration(v: dict[str, Any], scenario: str, description: str, overrides: Mapping[str, Any]) -> list[str]:
    defaults = PARAMETERS.defaults()
    changed = {k: x for k, x in v.items() if x != defaults[k]}
    lines = [
        "## 1. Calibration",
        "",
        f"Scenario: **{scenario}**" + (f" -- {description}" if description else ""),
        "",
    ]
    if changed:
        lines.append(
            "Values that differ from the baseline: "
            + ", ".join(f"`{k} = {format_value(x)}` (baseline {format_value(defaults[k])})" for k, x in changed.items())
            + "."
        )
    else:
        lines.append("Every parameter is at its baseline value.")
    if overrides:
        lines.append(
            "Set on the command line: " + ", ".join(f"`{k} = {format_value(x)}`" for k, x in overrides.items()) + "."
        )
    costs = war_costs(v)
    lines += [
        "",
        f"Derived costs: precedent cost of absorbing P = {format_value(costs['P'])}, Pakistan's cost of "
        f"an open clash C_P = {format_value(costs['C_P'])}, Iran's cost of an open clash "
        f"W_I = {format_value(costs['W_I'])} (payoff units; one unit is a calibrated strike's cost).",
        "",
    ]
    rows = [
        [
            p.name + (" *" if p.name in changed else ""),
            v[p.name],
            f"[{format_value(p.low)}, {format_value(p.high)}]",
            p.unit,
            ", ".join(p.claims),
            p.meaning,
            p.source,
        ]
        for p in PARAMETERS
    ]
    return (
        lines
        + markdown_table(["parameter", "value", "range", "unit", "claims", "meaning", "source"], rows)
        + (["\\* differs from the baseline.", ""] if changed else [])
    )


def matrix(v: dict[str, Any]) -> list[str]:
    import deterrence
    from deterrence.io.tables import describe_game
    from games.iran_pakistan.statics import absorb_threshold

    game = matrix_game(v)
    result = deterrence.solve(game, "nash")
    lines = [
        "### 2.1 Matrix form: Nash equilibria",
        "",
        "Pakistan (rows) chooses a response; Iran (columns) stands down or escalates, an escalation being "
        "met by Pakistani counter-escalation. Iran's motive: counter-terror.",
        "",
        "```",
        describe_game(game),
        "```",
        "",
        f"Solver: `{result.method}`; {len(result.equilibria)} extreme equilibria, list "
        f"{'complete' if result.complete else 'NOT guaranteed complete'}; every one verified "
        "(no profitable deviation, exact arithmetic).",
        "",
    ]
    rows = [
        [
            i,
            eq.component if eq.component is not None else "",
            strategy_text(eq.strategies["Pakistan"]),
            strategy_text(eq.strategies["Iran"]),
            eq.payoffs["Pakistan"],
            eq.payoffs["Iran"],
        ]
        for i, eq in enumerate(result.equilibria, 1)
    ]
    lines += markdown_table(["#", "component", "Pakistan", "Iran", "u(Pakistan)", "u(Iran)"], rows)
    absorbing = [eq for eq in result.equilibria if eq.strategies["Pakistan"].get("absorb") == 1]
    if result.degenerate:
        lines.append(
            "The game is **degenerate**: against *absorb* Iran's two columns pay the same, so Iran has a "
            "continuum of best replies there and the equilibria come in connected components."
        )
    if absorbing:
        q = absorb_threshold(v)
        spe = solve_continuation(v, belief={"ct": 1})
        after = {
            key: "escalates" if bool(spe[f"escalates/{key}/ct"][0]) else "stands down"
            for key in ("calibrated", "direct")
        }
        lines.append(
            f"The absorb component (Pakistan absorbs, Iran escalates with probability at least q* = "
            f"{format_value(q)}) rests on a threat Iran would not carry out: once struck, a counter-terror Iran "
            f"{after['calibrated']} after a calibrated strike (and {after['direct']} after a direct one). The threat "
            "costs Iran nothing to make because absorbing leaves it nothing to act on, so it survives in the "
            "strategic form -- as the entrant's fear of a price war does in Selten's (1975) entry game -- but "
            "not in the tree, where subgame perfection removes it (2.2)."
        )
    return lines + [""]


def sequential(v: dict[str, Any]) -> list[str]:
    import deterrence

    game = sequential_game(v)
    result = deterrence.solve(game, "spe")
    lines = [
        "### 2.2 Sequential form: subgame-perfect equilibrium",
        "",
        f"Backward induction (`{result.method}`): {len(result.equilibria)} equilibrium, list "
        f"{'complete' if result.complete else 'NOT guaranteed complete'}"
        + ("; ties were found and are reported" if any(eq.notes for eq in result.equilibria) else "")
        + ".",
        "",
    ]
    for i, eq in enumerate(result.equilibria, 1):
        lines += [
            f"- SPE {i}, Pakistan: {strategy_text(eq.strategies['Pakistan'])}",
            f"- SPE {i}, Iran: {strategy_text(eq.strategies['Iran'])}",
            f"- Path: {' -> '.join(_path(game, eq))}",
        ]
        lines += [f"- Note: {note}" for note in eq.notes]
    return lines + [""]


def bayesian(v: dict[str, Any]) -> list[str]:
    out = solve_continuation(v)
    choice = CHOICES[int(out["choice"][0])]
    counter = "counter-escalates" if bool(out["counter"][0]) else "holds"
    lines = [
        "### 2.3 Bayesian form: perfect Bayesian equilibrium",
        "",
        "Nature draws Iran's motive from the prior; Iran knows it, Pakistan does not. Pakistan responds "
        "under its prior (nothing has been revealed when it moves). After an Iranian escalation Pakistan "
        f"**{counter}**; that choice does not depend on Iran's type, so it is sequentially rational under "
        "every belief and no off-path belief rule is needed.",
        "",
    ]
    rows = [
        [
            TYPE_LABELS[t],
            format_value(v[f"prior_{t}"]) if t != "ct" else format_value(1 - v["prior_broaden"] - v["prior_coerce"]),
            "escalate" if bool(out[f"escalates/calibrated/{t}"][0]) else "stand down",
            "escalate" if bool(out[f"escalates/direct/{t}"][0]) else "stand down",
        ]
        for t in TYPE_KEYS
    ]
    lines += markdown_table(
        ["Iran's motive", "prior", "reply to a calibrated strike", "reply to a direct strike"], rows
    )
    values = ", ".join(f"{c} {format_value(out[f'value/{c}'][0])}" for c in CHOICES)
    tie = " (a tie: Pakistan is indifferent)" if bool(out["choice_tie"][0]) else ""
    lines += [
        f"Pakistan's expected payoffs: {values}. Equilibrium response: **{choice}**{tie}; probability that "
        f"Iran escalates on the path: {float(out['p_escalate'][0]):.3g}.",
        "",
    ]
    return lines


def prestrike(v: dict[str, Any]) -> list[str]:
    eqs = prestrike_equilibria(v)
    lines = [
        "### 2.4 Pre-strike form (C12): perfect Bayesian equilibria",
        "",
        f"Iran decides whether to strike believing with probability {format_value(v['iran_belief_absorb'])} "
        "that Pakistan would absorb. A resolved Pakistan updates on the strike by Bayes' rule over the "
        "striking types; if no type strikes, its belief is the prior (the stated off-path rule).",
        "",
    ]
    if not eqs:
        return lines + ["No pure perfect Bayesian equilibrium exists here (some type would have to mix).", ""]
    rows = [
        [
            i,
            ", ".join(TYPE_LABELS[t] for t in e["strikers"]) or "none",
            e["response"],
            "; ".join(f"{TYPE_LABELS[t]} {format_value(x)}" for t, x in e["values"].items()),
            ", ".join(e["ties"]) or "none",
        ]
        for i, e in enumerate(eqs, 1)
    ]
    return lines + markdown_table(
        ["#", "types that strike", "resolved Pakistan's response", "value of striking", "indifferent types"],
        rows,
    )


def threshold(v: dict[str, Any], c1: Any) -> list[str]:
    info = retaliation_threshold(v)
    ev = c1.evidence
    numeric, symbolic = ev.get("switch_precedent_loss_numeric"), ev.get("switch_precedent_loss_symbolic")
    escalating = ", ".join(TYPE_LABELS[t] for t in info["escalating_types"]) or "none"
    lines = [
        "## 3. The C1 threshold",
        "",
        f"In general Pakistan retaliates rather than absorbs iff {RETALIATION_RULE}. In the regime of this "
        "calibration -- Pakistan's counter-escalation credible (P > C_P), the same motive types answering a "
        f"calibrated strike by escalating ({escalating}) and the calibrated strike the cheaper one -- that "
        "reads as the two conditions below:",
        "",
        "```",
        info["text"].replace(" and ", "\nand\n"),
        "```",
        "",
        "$$",
        info["latex"],
        "$$",
        "",
        "Values of the two conditions here (positive means it holds): "
        + ", ".join(format_value(x) for x in info["values_at_point"])
        + ".",
    ]
    if numeric is not None or symbolic is not None:
        lines.append(
            f"Along `precedent_loss`, the switch from absorbing to retaliating lies at "
            f"{f'{symbolic:.6g}' if symbolic is not None else 'n/a'} (formula) and "
            f"{f'{numeric:.6g}' if numeric is not None else 'n/a'} (batched solver with bisection)."
        )
    else:
        lines.append("Pakistan's response does not switch along `precedent_loss` within its range here.")
    return lines + [""]


def audit_section(rows: list[Any]) -> list[str]:
    lines = [
        "## 4. Argument audit (claims C1-C12)",
        "",
        "Each claim of the USIP analysis (as set out in docs/argument.md) checked against the models at "
        "this calibration.",
        "",
    ]
    lines += markdown_table(
        ["claim", "status", "what the model says", "region where it holds"],
        [[r.claim, r.status, r.summary, r.region] for r in rows],
    )
    unconfirmed = [r for r in rows if r.status != "confirmed"]
    if unconfirmed:
        lines += ["Claims the model does not confirm at this calibration:", ""]
        lines += [
            f"- **{r.claim}** is {r.status} here: {r.summary}. It would hold where {r.region}." for r in unconfirmed
        ]
    else:
        lines.append("The model confirms every claim at this calibration.")
    return lines + [""]


def statics_section(targets: list[Any]) -> list[str]:
    lines = [
        "## 5. Comparative statics: the twelve sign targets",
        "",
        "Each row sweeps its parameter(s) over their range, the rest at the calibration (docs/argument.md).",
        "",
    ]
    lines += markdown_table(
        ["row", "statement", "parameters", "predicted sign", "measure", "status"],
        [[t.row, t.statement, ", ".join(t.parameters), t.predicted_sign, t.measure, t.status] for t in targets],
    )
    lines += ["Evidence:", ""] + [f"{t.row}. {t.evidence}" for t in targets]
    return lines + [""]
