"""The audit sections of the Iran-Pakistan report: the C1-C12 table and "what would change the conclusion".

Both are generated from the computed rows (:func:`games.iran_pakistan.claims.audit`) and, when
it was drawn, the robustness sample (:func:`games.iran_pakistan.robustness.robustness`):

* :func:`audit_rows` / :func:`audit_section` -- per claim its status, the generated summary,
  the region, the share of each box where the check confirms it and where it holds (confirmed
  or qualified), each with its 95% interval, and its refuting example; a ``definitional`` row
  says why no calibration in the stated ranges refutes it;
* :func:`change_section` -- the nearest switches of the outcome, the C1 margins, the claims
  most and least robust (ranked by the share *confirmed*, the share held beside it), and for
  each claim that is not robust the smallest change (from the stored search,
  :mod:`games.iran_pakistan.refutations`) that refutes it.

Examples
--------
>>> robust_cell({"uniform": {"share_confirmed": 0.02, "ci_confirmed": [0.01, 0.05],
...                          "share_held": 0.31, "ci_held": [0.26, 0.37]},
...              "local": {"share_confirmed": 0.9, "ci_confirmed": [0.86, 0.93],
...                        "share_held": 1.0, "ci_held": [0.99, 1.0]}})
'uniform: confirmed 2% (1-5%), held 31% (26-37%); local: confirmed 90% (86-93%), held 100% (99-100%)'
>>> example_cell({"resolve_value": "5"}, definitional=False)
'resolve_value = 5'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deterrence.io.tables import format_value

__all__ = [
    "AUDIT_HEADER",
    "ROBUST_SHARE",
    "audit_rows",
    "audit_section",
    "change_section",
    "example_cell",
    "robust_cell",
    "robustness_of",
]

#: A claim counts as robust when its check confirms it (not merely qualified) on at least this
#: share of the +-50% box around the calibration.
ROBUST_SHARE = 0.9

AUDIT_HEADER = [
    "claim",
    "status",
    "what the model says",
    "region where it holds",
    "robustness (share confirmed, share held = confirmed or qualified: uniform box; +-50% box; 95% CI)",
    "refuting example (changes to the baseline)",
]


def robustness_of(robust: Any, claim: str) -> dict[str, Any]:
    """``{box: row}`` of one claim from a :class:`~games.iran_pakistan.robustness.Robustness` (or ``{}``)."""
    if robust is None:
        return {}
    rows = robust.rows if hasattr(robust, "rows") else robust.get("claims", {})
    return dict(rows.get(claim, {}))


def _share(row: Mapping[str, Any], key: str) -> str:
    low, high = row[f"ci_{key}"]
    return f"{row[f'share_{key}']:.0%} ({100 * low:.0f}-{high:.0%})"


def robust_cell(by_box: Mapping[str, Any] | None) -> str:
    """The table cell of a claim's robustness: per box the shares confirmed and held, with intervals."""
    if not by_box:
        return "--"
    parts = []
    for box, row in by_box.items():
        parts.append(f"{box}: confirmed {_share(row, 'confirmed')}, held {_share(row, 'held')}")
    return "; ".join(parts)


def example_cell(example: Mapping[str, Any] | None, *, definitional: bool) -> str:
    """The table cell of a refuting example: the parameter changes, or why there is none."""
    if definitional:
        return "none: definitional"
    if not example:
        return "--"
    return ", ".join(f"{k} = {format_value(x)}" for k, x in example.items())


def audit_rows(rows: list[Any], robust: Any = None) -> list[list[str]]:
    """``[claim, status, summary, region, robustness, refuting example]`` per claim (the table's cells)."""
    table = []
    for r in rows:
        table.append(
            [
                r.claim,
                r.status,
                r.summary,
                r.region,
                robust_cell(robustness_of(robust, r.claim)),
                example_cell(r.refuting_example, definitional=r.definitional),
            ]
        )
    return table


def audit_command(example: Mapping[str, Any]) -> str:
    """The ``deterrence audit`` call that reproduces a refuting example."""
    return "deterrence audit " + " ".join(f"--set {k}={x}" for k, x in example.items())


def audit_section(rows: list[Any], robust: Any = None) -> list[str]:
    """Section 4: the audit table, the definitional rows explained, the claims not confirmed here."""
    table = audit_rows(rows, robust)
    if robust is not None:
        how = (
            "*Robustness* gives two shares of the sampled points: where the check *confirms* the claim, and "
            "where it *holds* (confirmed or qualified; a qualified verdict is not a confirmation). Each box "
            f"gets {2 * robust.n} scrambled Sobol' points ({robust.n} points and their {robust.n} partners, "
            f"seed {robust.seed}): *uniform* over the stated "
            "ranges, and within +-50% of this calibration, with 95% Wilson intervals "
            f"(`deterrence audit --robustness {robust.n} --seed {robust.seed}` reproduces it)."
        )
    else:
        how = "*Robustness* was not sampled in this run (`--robustness 0`)."
    lines = [
        "## 4. Argument audit (claims C1-C12)",
        "",
        "Each claim of the USIP analysis (as set out in docs/argument.md) checked against the models at "
        f"this calibration; the summaries are generated from the computed result. {how} The *refuting "
        "example* is a calibration within the stated ranges where the check returns refuted, given as changes "
        "to the baseline (found by a deterministic search: one parameter at a time first, then Sobol' points).",
        "",
    ]
    lines += markdown_table(AUDIT_HEADER, table)
    definitional = [r for r in rows if r.definitional]
    for r in definitional:
        why = r.evidence.get("why_definitional") or "no calibration in the stated ranges refutes its check"
        here = r.evidence.get("check_status_here", "")
        lines += [
            f"**{r.claim} is definitional**: {why}. Its check would say *{here}* here, but since no calibration "
            "within the stated ranges can make it say refuted, that verdict carries no information about the "
            "argument, and the report does not count it as a confirmation.",
            "",
        ]
    shown = [row for row, r in zip(table, rows, strict=True) if r.status not in ("confirmed", "definitional")]
    if shown:
        lines += ["Claims the model does not confirm at this calibration:", ""]
        lines += [
            f"- **{c}** is {st} here: {summary}." + (f" Region: {region}." if region.strip() else "")
            for c, st, summary, region, *_ in shown
        ]
    elif not definitional:
        lines.append("The model confirms every claim at this calibration.")
    return lines + [""]


def _shares(by_box: Mapping[str, Any], box: str) -> tuple[float, float] | None:
    """``(share confirmed, share held)`` of one box, or None when the box was not sampled."""
    row = by_box.get(box)
    return None if row is None else (float(row["share_confirmed"]), float(row["share_held"]))


def _robust_lines(rows: list[Any], robust: Any) -> list[str]:
    """The claims most and least robust, and the smallest refuting change of each non-robust one."""
    if robust is None:
        lines = ["The robustness sample was not drawn (`--robustness 0`); the refuting examples of section 4 say "]
        lines[0] += "what calibration, within the stated ranges, would refute each claim."
        return lines + [""]
    scored: list[tuple[Any, tuple[float, float], tuple[float, float]]] = []
    for r in rows:
        by_box = robustness_of(robust, r.claim)
        local, uniform = _shares(by_box, "local"), _shares(by_box, "uniform")
        if local is None or uniform is None:
            continue
        scored.append((r, local, uniform))
    if not scored:
        return []
    # Ranked by the share confirmed near the calibration, then in the uniform box, then by the shares held.
    scored.sort(key=lambda x: (-x[1][0], -x[2][0], -x[1][1], -x[2][1], int(x[0].claim[1:])))

    def pair(shares: tuple[float, float]) -> str:
        return f"confirmed {shares[0]:.0%}, held {shares[1]:.0%}"

    top = [f"{r.claim} ({pair(loc)} of the +-50% box; {pair(uni)} of the uniform box)" for r, loc, uni in scored[:3]]
    low = [f"{r.claim} ({pair(loc)}; {pair(uni)})" for r, loc, uni in scored[::-1][:3]]
    lines = [
        "How far the verdicts carry (section 4's robustness column), ranked by the share of the +-50% box "
        "where the check *confirms* the claim (held = confirmed or qualified, beside it): the claims confirmed "
        f"most widely near the calibration are {', '.join(top)}; the least are {', '.join(low)}.",
        "",
    ]
    fragile = [(r, loc) for r, loc, _ in scored if loc[0] < ROBUST_SHARE]
    from games.iran_pakistan.refutations import stored_refutations

    stages = {c: e.get("stage", "") for c, e in stored_refutations().items()}
    how = {
        "one-parameter": "the smallest change of one parameter alone",
        "sobol": "no single parameter refutes it; the point of the Sobol' search nearest the baseline",
    }
    if not fragile:
        return lines + [f"The check confirms every claim on at least {ROBUST_SHARE:.0%} of the +-50% box.", ""]
    lines += [
        f"Claims the check confirms on less than {ROBUST_SHARE:.0%} of the +-50% box, with the parameters that "
        "decide their status there and the smallest change found that refutes them:",
        "",
    ]
    for r, loc in fragile:
        deciding = robustness_of(robust, r.claim).get("local", {}).get("deciding", [])
        text = f"- **{r.claim}** is confirmed on {loc[0]:.1%} of the box and holds on {loc[1]:.1%}"
        text += f" (deciding: {', '.join(f'`{d}`' for d in deciding)})" if deciding else ""
        example = r.refuting_example
        if r.definitional:
            text += "; it is definitional: no calibration in the stated ranges refutes its check."
        elif example:
            stage = how.get(stages.get(r.claim, ""), f"{len(example)} parameter(s) changed")
            cell = example_cell(example, definitional=False)
            text += f"; refuted at {cell}, the rest at the baseline ({stage}; `{audit_command(example)}`)."
        else:
            text += "; no refuting example is stored."
        lines.append(text)
    return lines + [""]


def change_section(
    v: dict[str, Any], rows: list[Any], found: list[dict[str, Any]], robust: Any = None, top: int = 8
) -> list[str]:
    """Section 5, "what would change the conclusion": switches, C1 margins, robustness, refuting changes."""
    from games.iran_pakistan.claims import retaliation_threshold

    info = retaliation_threshold(v)
    margins = ", ".join(format_value(x) for x in info["values_at_point"])
    lines = [
        "## 5. What would change the conclusion",
        "",
        f"Pakistan {'retaliates' if info['retaliates'] else 'absorbs'} at this calibration; the C1 conditions "
        f"(section 3) have margins {margins} here (payoff units; a condition fails once its margin falls below 0).",
        "",
    ]
    if found:
        lines += [
            "Moving one parameter at a time (the others at the calibration), the equilibrium outcome changes "
            "nearest to the calibration here:",
            "",
        ]
        body = [
            [
                s["parameter"],
                f"{s['baseline']:.4g}",
                f"{'above' if s['at'] > s['baseline'] else 'below'} {s['at']:.4g}",
                f"{s['distance']:.0%}",
                s["before"],
                s["after"] + (" (Pakistan's response changes)" if s["response_changes"] else ""),
            ]
            for s in found[:top]
        ]
        lines += markdown_table(
            ["parameter", "calibration", "outcome changes", "distance (share of range)", "outcome now", "outcome then"],
            body,
        )
        response = [s for s in found if s["response_changes"]]
        if response:
            s = response[0]
            lines += [
                f"The nearest change of Pakistan's response: `{s['parameter']}` "
                f"{'above' if s['at'] > s['baseline'] else 'below'} {s['at']:.4g} "
                f"(calibration {s['baseline']:.4g}) turns *{s['before']}* into *{s['after']}*.",
                "",
            ]
    else:
        lines += ["No single parameter, moved over its whole range, changes the equilibrium outcome.", ""]
    return lines + _robust_lines(rows, robust)


def markdown_table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """:func:`deterrence.io.markdown.markdown_table` (imported late: the module is light)."""
    from deterrence.io.markdown import markdown_table as table

    return table(header, rows)
