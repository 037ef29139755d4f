"""The report's sections on the second edition's forms: pre-strike, reputation, smooth outcomes.

Each function returns the Markdown lines of one subsection of section 2 of the report
(:func:`games.iran_pakistan.report.build_report`) at a calibration ``v``
(:func:`games.iran_pakistan.forms.values_for`); every number and every sentence about the
outcome is generated from the solvers' result:

* :func:`prestrike` (2.4) -- the two-sided pre-strike game, every PBE with dominance-consistent
  beliefs (a refinement: no strike blamed on a soft Pakistan) with the striking
  probability of each motive type, a resolved Pakistan's response mix and its posterior
  (:func:`games.iran_pakistan.prestrike.prestrike_assessments`);
* :func:`reputation` (2.5) -- the reputation form solved by the engine's PBE solver, its regime,
  and C1's derived threshold (:func:`games.iran_pakistan.reputation.pliable_retaliation`);
* :func:`smooth` (2.6) -- the agent logit QRE's Pr(Pakistan retaliates) and Pr(Iran escalates).

Examples
--------
>>> from games.iran_pakistan.forms import values_for
>>> lines = smooth(values_for())
>>> lines[0]
'### 2.6 Smooth outcomes: agent quantal response equilibrium'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from deterrence.io.markdown import markdown_table
from deterrence.io.tables import format_value
from games.iran_pakistan.analysis import CHOICES, solve_continuation
from games.iran_pakistan.parameters import TYPE_LABELS

__all__ = ["describe", "prestrike", "reputation", "smooth"]


def _mix(probabilities: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """``a 1/3, b 2/3`` (zero weights left out; a sure choice named alone)."""
    items = [(labels.get(k, k) if labels else k, x) for k, x in probabilities.items() if x]
    if len(items) == 1 and items[0][1] == 1:
        return items[0][0]
    return ", ".join(f"{k} {format_value(x)}" for k, x in items) or "none"


def prestrike(v: dict[str, Any]) -> list[str]:
    """Section 2.4: the two-sided pre-strike game's equilibria (dominance-consistent PBE), mixing included."""
    from games.iran_pakistan.prestrike import prestrike_assessments

    eqs = prestrike_assessments(v)
    lines = [
        "### 2.4 Pre-strike form (C12): dominance-consistent perfect Bayesian equilibria, uncertainty on both sides",
        "",
        "Nature draws Iran's motive and Pakistan's resolve. Iran, believing with probability "
        f"{format_value(v['iran_belief_absorb'])} that Pakistan would absorb, decides whether to strike; a resolved "
        "Pakistan, unsure of the motive, updates by Bayes' rule on the strike and responds; Iran replies; Pakistan "
        "counter-escalates or holds. Every perfect Bayesian equilibrium with dominance-consistent beliefs is "
        "listed, semi-separating ones (types that mix) included, and each is verified on the registered tree "
        "(`iran-pakistan-prestrike`). The refinement: Iran puts no weight on a soft Pakistan after a strike, "
        "since striking is strictly dominated for a soft Pakistan (Cho and Kreps 1987; Fudenberg and Tirole 1991). "
        "Plain PBE leaves that belief free and can have more equilibria where Iran's reply to a strike hinges on "
        "Pakistan's resolve.",
        "",
    ]
    if not eqs:
        return lines + ["The solver finds no equilibrium here.", ""]
    rows = []
    for i, e in enumerate(eqs, 1):
        rows.append(
            [
                i,
                e["kind"],
                "; ".join(f"{TYPE_LABELS[t]} {format_value(x)}" for t, x in e["strike"].items()),
                _mix(e["response"]),
                "; ".join(f"{TYPE_LABELS[t]} {format_value(x)}" for t, x in e["posterior"].items())
                + (" (off the path)" if e["belief_off_path"] else ""),
                format_value(e["p_escalate"]),
                format_value(e["striking_mass"]),
                format_value(e["p_escalate_overall"]),
            ]
        )
    header = [
        "#",
        "kind",
        "Pr(strike) by Iran's motive",
        "resolved Pakistan's response",
        "Pakistan's posterior after a strike",
        "Pr(Iran escalates after a strike), resolved Pakistan",
        "prior mass that strikes",
        "Pr(Iran escalates after a strike), either resolve",
    ]
    lines += markdown_table(header, rows)[:-1]
    first = eqs[0]
    mixing = [TYPE_LABELS[t] for t, x in first["strike"].items() if 0 < x < 1]
    text = f"Equilibrium 1 is {first['kind']}"
    if mixing:
        plural = len(mixing) > 1
        text += (
            f": the {', '.join(mixing)} type{'s' if plural else ''} strike{'' if plural else 's'} with a probability "
            f"strictly between 0 and 1 (indifferent between striking and not)"
        )
        if sum(1 for x in first["response"].values() if x) > 1:
            text += ", and that probability keeps Pakistan indifferent among the responses it mixes"
    text += f"; a resolved Pakistan responds {_mix(first['response'])}"
    text += ", counter-escalating" if first["counter_escalates"] else ", holding"
    text += " after an escalation"
    text += "."
    notes = []
    if any(not e["complete"] for e in eqs):
        notes.append("the point is degenerate, so a continuum of equilibria may be summarised by these rows")
    ties = sorted({t for e in eqs for t in e["ties"]})
    if ties:
        notes.append("indifferent at a pure choice: " + ", ".join(TYPE_LABELS.get(t, t) for t in ties))
    lines += ["", text + (" Note: " + "; ".join(notes) + "." if notes else ""), ""]
    return lines


def reputation(v: dict[str, Any]) -> list[str]:
    """Section 2.5: the reputation form solved by the engine's PBE solver, and C1's derived threshold."""
    import deterrence
    from games.iran_pakistan.reputation import RETALIATION_FORMULA, pliable_retaliation, reputation_game

    result = deterrence.solve(reputation_game(v), "pbe")
    derived = pliable_retaliation(v)
    lines = [
        "### 2.5 Reputation form: the precedent cost derived from a watching challenger",
        "",
        "Here the precedent cost is not a parameter. Nature draws Pakistan's type (resolute with probability "
        f"{format_value(v['challenger_prior_resolute'])}, else pliable); a watching challenger (India, or the TTP "
        "and its Afghan hosts) sees Pakistan's response, updates its belief about Pakistan's resolve and decides "
        "whether to challenge; a challenge succeeds only against the pliable type, which then loses the stake "
        "S = precedent_loss*(india_emboldening + taliban_emboldening) (Kreps & Wilson 1982).",
        "",
        f'Engine: `deterrence.solve(reputation_game(v), "pbe")` (`{result.method}`): {len(result.equilibria)} '
        f"assessment{'s' if len(result.equilibria) != 1 else ''}, list "
        f"{'complete' if result.complete else 'NOT guaranteed complete'}, each verified.",
        "",
    ]
    rows = []
    for i, eq in enumerate(result.equilibria, 1):
        s = eq.strategies
        role = (eq.extra or {}).get("roles", {}).get("Pakistan", {}).get("role", "")
        challenge = {k.removeprefix("after "): t["challenge"] for k, t in s["challenger"].items()}
        rows.append(
            [
                i,
                role or "--",
                _mix(s["Pakistan"]["resolute: response"]),
                _mix(s["Pakistan"]["pliable: response"]),
                "; ".join(f"{k} {format_value(x)}" for k, x in challenge.items()),
                format_value(eq.payoffs["Pakistan"]),
            ]
        )
    header = ["#", "regime", "resolute type", "pliable type", "Pr(challenge) after each response", "u(Pakistan)"]
    lines += markdown_table(header, rows)
    paths = {(r[1], r[2], r[3]) for r in rows}
    if len(paths) == 1 and rows:
        regime, resolute, pliable = next(iter(paths))
        lines.append(
            f"Every assessment has the same play by Pakistan ({regime}): the resolute type plays {resolute}, the "
            f"pliable type {pliable}; they differ only in the challenger's reply off the path."
        )
    sigma, strike = derived["sigma"], derived["resolute_strike"]
    lines += [
        "",
        f"C1 as a derived threshold ({describe(derived)}): {RETALIATION_FORMULA}.",
        "",
        "$$",
        r"S = \mathit{precedent\_loss}\,(\mathit{india\_emboldening} + \mathit{taliban\_emboldening})"
        r" \;>\; c(r^*) = k_{r^*}' + e_{r^*}\,\mathit{escalation\_damage}",
        "$$",
        "",
        "$$",
        r"\sigma = \frac{\pi\,(1 - \bar\mu)}{(1 - \pi)\,\bar\mu}\quad (\pi < \bar\mu),\qquad "
        r"\bar\mu = \frac{\mathit{challenger\_gain}}{\mathit{challenger\_gain} + \mathit{challenger\_cost}}",
        "$$",
        "",
        "where r* is the resolute type's strike, k_r*' its full cost, e_r* = 1 if Iran escalates after it, "
        "pi = challenger_prior_resolute and sigma the pliable type's probability of striking.",
        "",
    ]
    if rows and strike is not None:
        engine = {
            format_value(eq.strategies["Pakistan"]["pliable: response"].get(strike, 0)) for eq in result.equilibria
        }
        agree = engine == {format_value(sigma)}
        lines.append(
            f"Here S = {format_value(derived['stake'])}, c({strike}) = {format_value(derived['pliable_cost'])}, "
            f"mu_bar = {format_value(derived['mu_bar'])}: the formula gives the pliable type's probability of a "
            f"{strike} strike sigma = {format_value(sigma)} ({derived['regime']}); the solver's assessments give "
            f"{', '.join(sorted(engine))} -- "
            + ("they agree." if agree else "they differ (the formula is outside its region).")
        )
    return lines + [""]


def describe(derived: Mapping[str, Any]) -> str:
    """A short reading of :func:`~games.iran_pakistan.reputation.pliable_retaliation`'s regime."""
    if derived["resolute_strike"] is None:
        return "here not even the resolute type strikes"
    where = "inside the formula's region" if derived["holds"] else "outside the formula's region"
    return f"here {derived['regime']}, {where}" + ("; on a boundary" if derived["tie"] else "")


def smooth(v: dict[str, Any]) -> list[str]:
    """Section 2.6: the agent logit QRE's smooth probabilities at the calibration."""
    from games.iran_pakistan.smooth import DEFAULT_LAMBDA, logit_continuation

    lam = DEFAULT_LAMBDA
    forms = (("sequential (Iran counter-terror)", {"ct": 1}), ("Bayesian (Pakistan's prior)", None))
    rows = []
    for name, belief in forms:
        q = logit_continuation(v, belief=belief, lam=lam)
        eq = solve_continuation(v, belief=belief)
        rows.append(
            [
                name,
                f"{float(q['p_retaliates'][0]):.3f}",
                f"{float(q['choice/direct'][0]):.3f}",
                f"{float(q['p_escalate'][0]):.3f}",
                f"{float(q['counter'][0]):.3f}",
                f"{CHOICES[int(eq['choice'][0])]}, Pr(escalate) {float(eq['p_escalate'][0]):.3g}",
            ]
        )
    header = [
        "form",
        "Pr(Pakistan retaliates)",
        "Pr(direct strike)",
        "Pr(Iran escalates)",
        "Pr(Pakistan counter-escalates)",
        "equilibrium (lambda -> infinity)",
    ]
    lines = [
        "### 2.6 Smooth outcomes: agent quantal response equilibrium",
        "",
        f"Each information set's agent errs with logit precision lambda = {lam:g} per payoff unit (a choice one "
        f"unit better is taken with odds e^{lam:g}, about {float(np.exp(lam)):.1f} to 1, against each other); the "
        "agent QRE of the continuation is unique. Where the equilibrium jumps at a threshold these probabilities "
        "move smoothly (section 6 reads the sign targets from their slopes too).",
        "",
    ]
    return lines + markdown_table(header, rows)
