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
from games.iran_pakistan.analysis import CHOICES, TYPE_KEYS, solve_continuation
from games.iran_pakistan.claims import retaliation_threshold
from games.iran_pakistan.forms import matrix_game, sequential_game
from games.iran_pakistan.parameters import PARAMETERS, TYPE_LABELS
from games.iran_pakistan.threshold import RETALIATION_RULE

__all__ = [
    "DERIVED",
    "payoff_table",
    "bayesian",
    "calibration",
    "derived_costs",
    "matrix",
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
    lines += [""] + derived_costs(v)
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


#: The derived costs of the second edition: ``(symbol, function of v, formula, what it means)``.
DERIVED = (
    (
        "P",
        "precedent_cost",
        "precedent_loss*(india_emboldening + taliban_emboldening) + resolve_value",
        "what Pakistan loses by absorbing: the precedent read by India and the TTP, plus the army chief's "
        "audience cost; a strike that Iran leaves unanswered restores the share restoration_r of it",
    ),
    (
        "C_P",
        "pakistan_clash_cost",
        "war_cost_pakistan*(1 + india_second_front + taliban_front) + us_ct_stake",
        "Pakistan's cost of counter-escalating into an open clash with Iran, the other fronts and the US "
        "counter-terrorism cooperation at risk included; Pakistan's threat to counter-escalate is credible iff P > C_P",
    ),
    (
        "k_K'",
        "calibrated",
        "calibrated_cost + china_pakistan_weight*china_mediation",
        "Pakistan's full cost of a calibrated strike on militant camps, China's appeals for restraint included",
    ),
    (
        "k_X'",
        "direct",
        "direct_cost + china_pakistan_weight*china_mediation + us_ct_stake",
        "Pakistan's full cost of a direct strike on Iranian state targets, which the US also restrains",
    ),
    (
        "R_I",
        "iran_escalation_cost",
        "us_pressure_on_iran + china_leverage + iran_overstretch",
        "what escalating costs Iran whatever Pakistan does next",
    ),
    (
        "W_I",
        "iran_war_cost",
        "iran_war_base + pakistan_superiority + deterrence_erosion",
        "Iran's extra cost of an open clash, paid only if Pakistan counter-escalates (so it bites only where "
        "Pakistan's threat is credible)",
    ),
)


def derived_costs(v: dict[str, Any]) -> list[str]:
    """The derived costs P, C_P, k_K', k_X', R_I, W_I at ``v``, one line each on what they mean.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> print(derived_costs(values_for())[2][:45])
    - **P = 6** = precedent_loss*(india_emboldeni
    """
    from games.iran_pakistan import quantities

    lines = ["Derived costs (payoff units; one unit is a calibrated strike's own cost):", ""]
    values = {}
    for symbol, name, formula, meaning in DERIVED:
        x = quantities.strike_cost(v, name) if name in ("calibrated", "direct") else getattr(quantities, name)(v)
        values[symbol] = x
        lines.append(f"- **{symbol} = {format_value(x)}** = {formula}: {meaning}.")
    credible, tie = values["P"] > values["C_P"], values["P"] == values["C_P"]
    if tie:
        text = "Here P = C_P: Pakistan is indifferent about counter-escalating (a tie, reported by the solvers)."
    else:
        text = (
            f"Here P {'>' if credible else '<'} C_P: Pakistan's counter-escalation is "
            f"{'credible' if credible else 'not credible'}, so W_I {'enters' if credible else 'does not enter'} "
            "Iran's choice to escalate."
        )
    lines += ["", text, ""]
    return lines


def payoff_table(game: Any) -> list[str]:
    """The bimatrix of a two-player normal form as a Markdown table: rows the first player's strategies.

    Examples
    --------
    >>> from deterrence.forms.normal_form import NormalFormGame
    >>> g = NormalFormGame(["R", "C"], [["u", "d"], ["l", "r"]], [[[1, 0], [0, 1]], [[0, 1], [1, 0]]])
    >>> print("\\n".join(payoff_table(g)[:3]))
    | R \\ C | l | r |
    |---|---|---|
    | u | (1, 0) | (0, 1) |
    """
    import numpy as np

    rows, cols = game.strategies[0], game.strategies[1]
    pay = np.asarray(game.payoffs, dtype=object)
    header = [f"{game.players[0]} \\ {game.players[1]}", *cols]
    body = [
        [r] + [f"({format_value(pay[i, j, 0])}, {format_value(pay[i, j, 1])})" for j in range(len(cols))]
        for i, r in enumerate(rows)
    ]
    return markdown_table(header, body)


def matrix(v: dict[str, Any]) -> list[str]:
    import deterrence
    from games.iran_pakistan.statics import absorb_threshold

    game = matrix_game(v)
    result = deterrence.solve(game, "nash")
    lines = [
        "### 2.1 Matrix form: Nash equilibria",
        "",
        "Pakistan (rows) chooses a response and what it does if Iran escalates; Iran (columns) chooses its "
        "reply to each strike. Iran's motive: counter-terror. Each cell is (Pakistan's payoff, Iran's payoff), "
        "in payoff units.",
        "",
    ]
    lines += payoff_table(game)
    lines += [
        "",
        f"Solver: `{result.method}`; {len(result.equilibria)} extreme equilibria (in connected components "
        "numbered from 1), list "
        f"{'complete' if result.complete else 'NOT guaranteed complete'}; every one verified "
        "(no profitable deviation, exact arithmetic).",
        "",
    ]
    rows = [
        [
            i,
            eq.component + 1 if eq.component is not None else "",  # components are numbered from 1
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
        head = (
            f"The absorb component (Pakistan absorbs, Iran escalates with probability at least q* = {format_value(q)})"
        )
        replies = (
            f"once struck, a counter-terror Iran {after['calibrated']} after a calibrated strike (and "
            f"{after['direct']} after a direct one)"
        )
        if CHOICES[int(spe["choice"][0])] == "absorb":
            lines.append(f"{head} is also the tree's subgame-perfect answer (2.2): {replies}, so no strike pays.")
        else:
            lines.append(
                f"{head} rests on a threat Iran would not carry out: {replies}. The threat costs Iran nothing to "
                "make because absorbing leaves it nothing to act on, so it survives in the strategic form -- as the "
                "entrant's fear of a price war does in Selten's (1975) entry game -- but not in the tree, where "
                "subgame perfection removes it (2.2)."
            )
    return lines + [""]


def sequential(v: dict[str, Any]) -> list[str]:
    import deterrence

    game = sequential_game(v)
    result = deterrence.solve(game, "spe")
    lines = [
        "### 2.2 Sequential form: subgame-perfect equilibrium",
        "",
        "The tree is drawn in Figure 1 (section 7), the subgame-perfect path in colour. "
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
    return lines + _engine_check(v, choice)


def _engine_check(v: dict[str, Any], choice: str) -> list[str]:
    """The engine's PBE of the registered Bayesian tree, compared with the batched answer above."""
    from deterrence.solvers.facade import solve
    from games.iran_pakistan.forms import bayesian_game

    result = solve(bayesian_game(v), "pbe")
    responses = sorted(
        {a for e in result.equilibria for a, p in e.strategies["Pakistan"]["response"].items() if p},
        key=CHOICES.index,
    )
    agree = responses == [choice]
    listed = "complete" if result.complete else "NOT guaranteed complete"
    verdict = (
        "the same response in every assessment, so the two agree"
        if agree
        else f"responses {', '.join(responses) or 'none'} -- not the batched answer alone (a tie or a DISAGREEMENT)"
    )
    return [
        f"The engine's solver on the registered tree (`deterrence solve iran-pakistan-bayesian`, "
        f"`{result.method}`): {len(result.equilibria)} assessment(s), list {listed}, each verified; {verdict}.",
        "",
    ]


def threshold(v: dict[str, Any], c1: Any) -> list[str]:
    info = retaliation_threshold(v)
    ev = c1.evidence
    numeric, symbolic = ev.get("switch_precedent_loss_numeric"), ev.get("switch_precedent_loss_symbolic")
    escalating = ", ".join(TYPE_LABELS[t] for t in info["escalating_types"]) or "none"
    strike = info["strike"]
    lines = [
        "## 3. The C1 threshold",
        "",
        f"In general (everywhere in the box) Pakistan retaliates rather than absorbs iff {RETALIATION_RULE}. "
        "The two conditions below are exact only in the sub-region that shares this calibration's regime -- "
        + (
            "Pakistan's counter-escalation credible (P > C_P)"
            if info["counter_credible"]
            else "Pakistan's counter-escalation not credible (C_P >= P: it would hold)"
        )
        + f", the same motive types answering a {strike} strike by escalating ({escalating}) and the {strike} "
        "strike the one Pakistan would choose; there the rule reads:",
        "",
        "```",
        info["text"].replace(" and ", "\nand\n"),
        "```",
        "",
    ]
    import re

    for k, part in enumerate(re.split(r"\s*\\;\\wedge\\;\s*", info["latex"]), 1):
        lines += [f"Condition {k}:", "", "$$", part.strip(), "$$", ""]
    lines += [
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


def statics_section(targets: list[Any]) -> list[str]:
    """Section 6: the twelve sign targets, read from regime changes and from the agent QRE's slopes."""
    lines = [
        "## 6. Comparative statics: the twelve sign targets",
        "",
        "Each row sweeps its parameter(s) over their range, the rest at the calibration (docs/argument.md). "
        "*Regime reading*: the sign of the change of the equilibrium measure along the sweep; *QRE reading*: "
        "the sign of the slope of the same measure in the agent QRE at the calibration (section 2.6).",
        "",
    ]
    lines += markdown_table(
        ["row", "statement", "parameters", "predicted sign", "measure", "regime reading", "QRE reading"],
        [
            [t.row, t.statement, ", ".join(t.parameters), t.predicted_sign, t.measure, t.status, t.qre_status]
            for t in targets
        ],
    )
    lines += ["Evidence:", ""]
    lines += [f"{t.row}. {t.evidence}" + (f" QRE: {t.qre_evidence}" if t.qre_evidence else "") for t in targets]
    return lines + [""]
