"""The built-in solvers, registered in one place (loaded by :mod:`deterrence.solvers.registry` on first use).

Each line names the function as ``"module:function"``, so nothing here
imports an algorithm: a solver module is imported when it first runs.
Adding a built-in solver is one new module plus one :func:`register` call
here; see CONTRIBUTING.md.  The order of registration is the order of the
concepts and methods in errors and in ``deterrence solve --help``.
"""

from __future__ import annotations

from deterrence.solvers.registry import register

__all__: list[str] = []

_S = "deterrence.solvers."
NORMAL = ("normal-2p", "normal-np")
_W = "deterrence.solvers.work:"  # work estimates, checked against max_work before a solver runs

# -- nash --------------------------------------------------------------------
register(
    "nash", "normal-2p", "vertex", _S + "enumeration:nash_vertex", exact=True, complete=True, default=True,
    estimate=_W + "nash_vertex",
    aliases=("vertex-exact",),
    description="vertex enumeration, every extreme equilibrium",
)  # fmt: skip
register(
    "nash", "normal-2p", "support", _S + "enumeration:nash_support", exact=True, complete=False,
    estimate=_W + "nash_support",
    aliases=("support-exact", "support-float"),
    description="support enumeration; complete if nondegenerate",
)  # fmt: skip
register(
    "nash", "normal-2p", "nashpy", _S + "enumeration:nash_nashpy", exact=False, complete=False,
    estimate=_W + "nashpy_support",
    aliases=("nashpy-support",),
    description="nashpy's support enumeration, verified",
)  # fmt: skip
register(
    "nash", "normal-2p", "nashpy-vertex", _S + "enumeration:nash_nashpy_vertex", exact=False, complete=False,
    estimate=_W + "nashpy_vertex",
    description="nashpy's vertex enumeration, verified",
)  # fmt: skip
register(
    "nash", "normal-2p", "lemke-howson", _S + "lemke_howson:nash_lemke_howson", exact=True, complete=False,
    aliases=("lemke-howson-exact", "lemke-howson-float"),
    description="Lemke-Howson from every label, de-duplicated",
)  # fmt: skip
register(
    "nash", "normal-np", "pure", _S + "pure:nash_pure_only", exact=True, complete=False, default=True,
    estimate=_W + "normal_profiles",
    description="pure equilibria only (says so)",
)  # fmt: skip
register(
    "nash", "normal-np", "support-polynomial", _S + "nplayer_support:nash_support_polynomial", exact=True,
    complete=False, estimate=_S + "nplayer_support:estimate",
    description="every support, polynomial systems; complete unless a continuum",
)  # fmt: skip
register(
    "nash", "tree", "auto", _S + "sequence_form:nash_tree", exact=False, complete=False, default=True,
    estimate=_S + "sequence_form:estimate_nash_tree", inner="nash",
    description="zero-sum 2-player: sequence-form LP; else reduced (M)",
)  # fmt: skip
register(
    "nash", "tree", "reduced", _S + "reduced:nash_reduced", exact=True, complete=False,
    estimate=_W + "tree_nash",
    aliases=("reduced-normal-form",), inner="nash",
    description="via the reduced normal form (M: its method)",
)  # fmt: skip
register(
    "nash", "tree", "sequence-form", _S + "sequence_form:solve_zero_sum", exact=False, complete=False,
    aliases=("sequence-form-lp",),
    description="zero-sum LP: the value, one optimal pair",
)  # fmt: skip
register(
    "nash", "tree", "lcp", _S + "lcp:nash_lcp", exact=True, complete=False,
    aliases=("lcp-exact", "lcp-float", "sequence-form-lcp"),
    description="Lemke on the sequence-form LCP, several starts",
)  # fmt: skip

# -- pure --------------------------------------------------------------------
register(
    "pure", NORMAL, "pure", _S + "pure:solve_pure", exact=True, complete=True, default=True,
    estimate=_W + "normal_profiles",
    description="every pure equilibrium, ties flagged weak",
)  # fmt: skip
register(
    "pure", "tree", "pure", _S + "reduced:pure_reduced", exact=True, complete=True, default=True,
    estimate=_W + "tree_other",
    aliases=("reduced-normal-form",), inner="pure",
    description="pure equilibria of the reduced normal form",
)  # fmt: skip

# -- spe ---------------------------------------------------------------------
register(
    "spe", "tree", "backward-induction", _S + "spe:backward_induction", exact=True, complete=False, default=True,
    description="backward induction; ties flagged, all listed",
)  # fmt: skip

# -- dominance ---------------------------------------------------------------
register(
    "dominance", "normal-2p", "iesds", _S + "dominance:solve_iesds", exact=True, complete=True, default=True,
    estimate=_W + "normal_dominance",
    inner="nash", description="strict elimination, then Nash (M)",
)  # fmt: skip
register(
    "dominance", "normal-np", "iesds", _S + "dominance:solve_iesds", exact=True, complete=False, default=True,
    estimate=_W + "normal_dominance",
    inner="nash", description="strict elimination, then pure Nash",
)  # fmt: skip
register(
    "dominance", NORMAL, "iesds-weak", _S + "dominance:solve_iesds_weak", exact=True, complete=False,
    estimate=_W + "normal_dominance",
    inner="nash", description="weak elimination (order matters), then Nash",
)  # fmt: skip
register(
    "dominance", "tree", "iesds", _S + "reduced:dominance_reduced", exact=True, complete=False, default=True,
    estimate=_W + "tree_other",
    aliases=("reduced-normal-form+iesds",), inner="nash",
    description="strict elimination on the reduced form",
)  # fmt: skip
register(
    "dominance", "tree", "iesds-weak", _S + "reduced:dominance_reduced_weak", exact=True, complete=False,
    estimate=_W + "tree_other",
    aliases=("reduced-normal-form+iesds-weak",), inner="nash",
    description="weak elimination on the reduced form",
)  # fmt: skip

# -- pbe ---------------------------------------------------------------------
register(
    "pbe", "tree", "support-enumeration", _S + "pbe:pbe_enumeration", exact=True, complete=True, default=True,
    estimate=_S + "pbe:pbe_estimate",
    description="perfect Bayesian, every support; belief ranges",
)  # fmt: skip
register(
    "pbe", "tree", "logit-limit", _S + "pbe_logit:pbe_logit_limit", exact=True, complete=False,
    estimate=_S + "pbe_logit:logit_limit_estimate",
    description="one PBE: agent-QRE limit, certified exactly",
)  # fmt: skip

# -- sequential --------------------------------------------------------------
register(
    "sequential", "tree", "support-enumeration", _S + "sequential_list:sequential_enumeration", exact=True,
    complete=True, default=True, estimate=_S + "sequential_list:sequential_estimate",
    description="the PBE families that pass the consistency check",
)  # fmt: skip
register(
    "sequential", "tree", "logit-limit", _S + "sequential_list:sequential_logit_limit", exact=True, complete=False,
    estimate=_S + "pbe_logit:logit_limit_estimate",
    description="one: the certified agent-QRE limit",
)  # fmt: skip

# -- qre ---------------------------------------------------------------------
register(
    "qre", NORMAL, "logit", _S + "qre:qre_normal", exact=False, complete=False, default=True,
    estimate=_S + "qre:qre_work", description="logit QRE, principal branch (option lam)",
)  # fmt: skip
register(
    "qre", "tree", "logit", _S + "qre_agent:qre_tree", exact=False, complete=False, default=True,
    aliases=("agent-logit",), estimate=_S + "qre_agent:tree_qre_work",
    description="agent logit QRE, principal branch (option lam)",
)  # fmt: skip
