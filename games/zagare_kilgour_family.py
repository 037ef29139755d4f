"""Perfect Deterrence games with incomplete information (Zagare & Kilgour 2000).

Two of the book's core models (*Perfect Deterrence*, Cambridge UP, 2000,
App. 1), as trees with a chance move for the players' types, solved as
perfect Bayesian equilibria (``solve(tree, "pbe")``).

* The **Rudimentary Asymmetric Deterrence Game** (PD §3.4, App. 3): A
  cooperates (SQ) or defects; B, Hard with probability ``p_b``, then concedes
  (DC) or resists (DD).  Orderings ``a_dd < a_sq < a_dc`` and
  ``b_dd_soft < b_dc < b_dd_hard < b_sq``.  Result: the Hard B resists and
  the Soft B concedes in every equilibrium, and A challenges iff
  ``p_b < tau_A = (a_dc - a_sq) / (a_dc - a_dd)`` (:func:`radg_threshold`).
* The **Mutual Deterrence Game** (Kilgour & Zagare 1991, *AJPS* 35(2); PD
  ch. 4): A cooperates or defects; B replies; after A's cooperation B may
  defect and A replies.  Each side is Hard or Soft; deterrence (every type
  cooperating) is an equilibrium iff each side's credibility clears a
  threshold set by the other's utilities (:func:`mdg_deterrence_holds`).
* The **Unilateral Deterrence Game** (Zagare & Kilgour 1993, *ISQ* 37(1);
  PD ch. 5): the Challenger cooperates or defects, the Defender concedes or
  resists, and after resistance the Challenger backs down (CD) or fights
  (DD).  Both sides are Hard or Soft (priors ``p_ch``, ``p_def``); only the
  value of DD differs between types.  Orderings ``c_dd_soft < c_cd <
  c_dd_hard < c_sq < c_dc`` and ``d_dd_soft < d_dc < d_dd_hard < d_cd < d_sq``.
  Its thresholds are in :func:`udg_thresholds` and its equilibrium regions in
  :func:`udg_region`.

The factories do not enforce the orderings (a teaching tool lets the user
break them); the stated results assume them.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Node, Terminal, choice
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from games._factory import factory_values

__all__ = [
    "MDG_PARAMETERS",
    "MODELS",
    "RADG_PARAMETERS",
    "UDG_PARAMETERS",
    "mdg_deterrence_holds",
    "mutual_deterrence_game",
    "radg_threshold",
    "rudimentary_asymmetric_deterrence_game",
    "udg_class",
    "udg_region",
    "udg_thresholds",
    "unilateral_deterrence_game",
]

_RADG = "orderings of Zagare & Kilgour (2000, App. 3); the numbers are a teaching instance"
_UDG = "orderings consistent with Zagare & Kilgour (1993; 2000, App. 5); the numbers are a teaching instance"

RADG_PARAMETERS = ParameterSet(
    [
        Parameter("p_b", Fraction(1, 2), 0, 1, "probability", "prior that B is Hard (B's credibility)", (), _RADG),
        Parameter("a_sq", 2, -10, 10, "utility", "A's value of the status quo", (), _RADG),
        Parameter("a_dc", 3, -10, 10, "utility", "A's value of winning (B concedes)", (), _RADG),
        Parameter("a_dd", 0, -10, 10, "utility", "A's value of conflict", (), _RADG),
        Parameter("b_sq", 3, -10, 10, "utility", "B's value of the status quo", (), _RADG),
        Parameter("b_dc", 1, -10, 10, "utility", "B's value of conceding", (), _RADG),
        Parameter("b_dd_hard", 2, -10, 10, "utility", "a Hard B's value of conflict", (), _RADG),
        Parameter("b_dd_soft", 0, -10, 10, "utility", "a Soft B's value of conflict", (), _RADG),
    ]
)

UDG_PARAMETERS = ParameterSet(
    [
        Parameter("p_ch", Fraction(1, 2), 0, 1, "probability", "prior that the Challenger is Hard", (), _UDG),
        Parameter("p_def", Fraction(1, 2), 0, 1, "probability", "prior that the Defender is Hard", (), _UDG),
        Parameter("c_sq", 2, -10, 10, "utility", "Challenger's value of the status quo", (), _UDG),
        Parameter("c_dc", 4, -10, 10, "utility", "Challenger's value of winning (Defender concedes)", (), _UDG),
        Parameter("c_cd", 0, -10, 10, "utility", "Challenger's value of backing down", (), _UDG),
        Parameter("c_dd_hard", 1, -10, 10, "utility", "a Hard Challenger's value of conflict", (), _UDG),
        Parameter("c_dd_soft", -1, -10, 10, "utility", "a Soft Challenger's value of conflict", (), _UDG),
        Parameter("d_sq", 4, -10, 10, "utility", "Defender's value of the status quo", (), _UDG),
        Parameter("d_cd", 3, -10, 10, "utility", "Defender's value of the Challenger backing down", (), _UDG),
        Parameter("d_dc", 1, -10, 10, "utility", "Defender's value of conceding", (), _UDG),
        Parameter("d_dd_hard", 2, -10, 10, "utility", "a Hard Defender's value of conflict", (), _UDG),
        Parameter("d_dd_soft", 0, -10, 10, "utility", "a Soft Defender's value of conflict", (), _UDG),
    ]
)


def _two_sided_types(p: Any, q: Any, first: str, second: str, branch: Callable[[str, str], Node]) -> Chance:
    """Nature draws both sides' types independently (Hard w.p. ``p`` and ``q``); ``branch(a, b)`` follows."""
    types = ("Hard", "Soft")
    return Chance(
        tuple(f"{a} {first}, {b} {second}" for a in types for b in types),
        (p * q, p * (1 - q), (1 - p) * q, (1 - p) * (1 - q)),
        tuple(branch(a, b) for a in types for b in types),
        "types",
    )


def rudimentary_asymmetric_deterrence_game(**values: Any) -> ExtensiveFormGame:
    """The Rudimentary Asymmetric Deterrence Game; parameters not given stay symbolic.

    Nature makes B Hard (w.p. ``p_b``) or Soft; A, not knowing which, chooses
    C or D (one information set, ``"challenge"``); B, knowing its type,
    chooses C or D after D.

    Examples
    --------
    >>> g = rudimentary_asymmetric_deterrence_game(**RADG_PARAMETERS.defaults())
    >>> [t.label for t, _ in g.terminals()]
    ['SQ (Hard B)', 'DC (Hard B)', 'DD (Hard B)', 'SQ (Soft B)', 'DC (Soft B)', 'DD (Soft B)']
    """
    v = factory_values(RADG_PARAMETERS, values)

    def a_moves(kind: str) -> Node:
        b_dd = v["b_dd_hard"] if kind == "Hard" else v["b_dd_soft"]
        resist = choice(
            "B",
            f"{kind} B",
            {
                "C": Terminal((v["a_dc"], v["b_dc"]), f"DC ({kind} B)"),
                "D": Terminal((v["a_dd"], b_dd), f"DD ({kind} B)"),
            },
            label=f"{kind} B challenged",
        )
        return choice("A", "challenge", {"C": Terminal((v["a_sq"], v["b_sq"]), f"SQ ({kind} B)"), "D": resist},
                      label=f"A facing {kind} B")  # fmt: skip

    root = Chance(("Hard", "Soft"), (v["p_b"], 1 - v["p_b"]), (a_moves("Hard"), a_moves("Soft")), "B's type")
    return ExtensiveFormGame(["A", "B"], root, title="Rudimentary Asymmetric Deterrence Game (Zagare & Kilgour 2000)")


def radg_threshold(a_sq: Any, a_dc: Any, a_dd: Any) -> Fraction:
    """A's credibility threshold ``tau_A = (a_dc - a_sq) / (a_dc - a_dd)``: A challenges iff ``p_b < tau_A``.

    Derivation: the Hard B resists (``b_dd_hard > b_dc``), the Soft B
    concedes (``b_dc > b_dd_soft``), so D pays A ``p_b a_dd + (1 - p_b) a_dc``
    against ``a_sq`` for C; they are equal at ``p_b = tau_A``.

    Examples
    --------
    >>> print(radg_threshold(2, 3, 0))
    1/3
    """
    return (Fraction(a_dc) - Fraction(a_sq)) / (Fraction(a_dc) - Fraction(a_dd))


def unilateral_deterrence_game(**values: Any) -> ExtensiveFormGame:
    """The Unilateral Deterrence Game with two-sided Hard/Soft types; parameters not given stay symbolic.

    Nature draws both types (independently, ``p_ch`` and ``p_def``).  The
    Challenger knows its own type only (information sets ``"Hard Ch
    challenge"``, ``"Soft Ch challenge"``); the Defender knows its own type
    only (``"Hard Def response"``, ``"Soft Def response"``); after
    resistance the Challenger still knows only its type (``"Hard Ch fight"``,
    ``"Soft Ch fight"``).

    Examples
    --------
    >>> g = unilateral_deterrence_game(**UDG_PARAMETERS.defaults())
    >>> len(list(g.terminals()))
    16
    """
    v = factory_values(UDG_PARAMETERS, values)

    def branch(ch: str, de: str) -> Node:
        tag = f"{ch} Ch, {de} Def"
        c_dd = v["c_dd_hard"] if ch == "Hard" else v["c_dd_soft"]
        d_dd = v["d_dd_hard"] if de == "Hard" else v["d_dd_soft"]
        fight = choice("Challenger", f"{ch} Ch fight", {
            "C": Terminal((v["c_cd"], v["d_cd"]), f"CD ({tag})"),
            "D": Terminal((c_dd, d_dd), f"DD ({tag})"),
        }, label=f"{tag}: resisted")  # fmt: skip
        respond = choice("Defender", f"{de} Def response", {
            "C": Terminal((v["c_dc"], v["d_dc"]), f"DC ({tag})"),
            "D": fight,
        }, label=f"{tag}: challenged")  # fmt: skip
        return choice("Challenger", f"{ch} Ch challenge", {
            "C": Terminal((v["c_sq"], v["d_sq"]), f"SQ ({tag})"),
            "D": respond,
        }, label=tag)  # fmt: skip

    root = _two_sided_types(v["p_ch"], v["p_def"], "Ch", "Def", branch)
    return ExtensiveFormGame(
        ["Challenger", "Defender"], root, title="Unilateral Deterrence Game (Zagare & Kilgour 1993)"
    )


def udg_thresholds(c_sq: Any, c_dc: Any, c_cd: Any, c_dd_hard: Any, d_dc: Any, d_cd: Any, d_dd_soft: Any) -> dict:
    """The UDG's three thresholds ``alpha_S``, ``alpha_H``, ``alpha_Def`` [derived].

    Hard types always resist or fight and the Soft Challenger backs down at
    the last node.  With resistance probability ``r``, Challenger type t
    challenges iff ``(1 - r) c_dc + r c_t >= c_sq`` (``c_t = c_cd`` for the
    Soft type, ``c_dd_hard`` for the Hard), i.e. ``r <= alpha_t =
    (c_dc - c_sq) / (c_dc - c_t)``; the Soft Defender resists iff
    ``mu d_dd_soft + (1 - mu) d_cd >= d_dc`` (``mu`` = posterior that the
    Challenger is Hard), i.e. ``mu <= alpha_Def = (d_cd - d_dc) / (d_cd - d_dd_soft)``.

    Examples
    --------
    >>> t = udg_thresholds(2, 4, 0, 1, 1, 3, 0)
    >>> print(t["alpha_S"], t["alpha_H"], t["alpha_Def"])
    1/2 2/3 2/3
    """
    f = Fraction
    return {
        "alpha_S": (f(c_dc) - f(c_sq)) / (f(c_dc) - f(c_cd)),
        "alpha_H": (f(c_dc) - f(c_sq)) / (f(c_dc) - f(c_dd_hard)),
        "alpha_Def": (f(d_cd) - f(d_dc)) / (f(d_cd) - f(d_dd_soft)),
    }


def udg_region(p_ch: Any, p_def: Any, thresholds: dict) -> set[str]:
    """The UDG's PBE classes (by on-path play) at a point off the boundaries, with free off-path beliefs [derived].

    CDE (no type challenges) always; SE (only the Hard Challenger
    challenges; the Soft Defender concedes) iff ``alpha_S < p_def < alpha_H``;
    AE (both challenge; the Soft Defender concedes) iff ``p_def < alpha_S``
    and ``p_ch > alpha_Def``; BE (the Soft Challenger bluffs, the Soft
    Defender mixes) iff ``p_def < alpha_S`` and ``p_ch < alpha_Def``.

    Examples
    --------
    >>> t = udg_thresholds(2, 4, 0, 1, 1, 3, 0)
    >>> sorted(udg_region(Fraction(1, 4), Fraction(1, 4), t))
    ['BE', 'CDE']
    """
    s, h, d = thresholds["alpha_S"], thresholds["alpha_H"], thresholds["alpha_Def"]
    found = {"CDE"}
    if s < p_def < h:
        found.add("SE")
    if p_def < s:
        found.add("AE" if p_ch > d else "BE")
    return found


def udg_class(equilibrium: Any) -> str:
    """Name a UDG equilibrium by which Challenger types challenge: CDE, SE, AE or BE.

    Examples
    --------
    >>> from deterrence import solve
    >>> point = {**UDG_PARAMETERS.defaults(), "p_def": Fraction(3, 4)}
    >>> sorted({udg_class(e) for e in solve(unilateral_deterrence_game(**point), "pbe")})
    ['CDE']
    """
    ch = equilibrium.strategies["Challenger"]
    hard, soft = ch["Hard Ch challenge"]["D"], ch["Soft Ch challenge"]["D"]
    if hard == 0 and soft == 0:
        return "CDE"
    if soft == 0:
        return "SE"
    return "AE" if soft == 1 else "BE"


_MDG = "orderings of Kilgour & Zagare (1991) and Zagare & Kilgour (2000, ch. 4); the numbers are a teaching instance"

MDG_PARAMETERS = ParameterSet(
    [
        Parameter("p_a", Fraction(3, 4), 0, 1, "probability", "prior that A is Hard (A's credibility)", (), _MDG),
        Parameter("p_b", Fraction(3, 4), 0, 1, "probability", "prior that B is Hard (B's credibility)", (), _MDG),
        Parameter("a_dc", 4, -10, 10, "utility", "A's value of winning (B concedes)", (), _MDG),
        Parameter("a_sq", 3, -10, 10, "utility", "A's value of the status quo", (), _MDG),
        Parameter("a_cd", 1, -10, 10, "utility", "A's value of conceding", (), _MDG),
        Parameter("a_dd_hard", 2, -10, 10, "utility", "a Hard A's value of conflict", (), _MDG),
        Parameter("a_dd_soft", 0, -10, 10, "utility", "a Soft A's value of conflict", (), _MDG),
        Parameter("b_cd", 4, -10, 10, "utility", "B's value of winning (A concedes)", (), _MDG),
        Parameter("b_sq", 3, -10, 10, "utility", "B's value of the status quo", (), _MDG),
        Parameter("b_dc", 1, -10, 10, "utility", "B's value of conceding", (), _MDG),
        Parameter("b_dd_hard", 2, -10, 10, "utility", "a Hard B's value of conflict", (), _MDG),
        Parameter("b_dd_soft", 0, -10, 10, "utility", "a Soft B's value of conflict", (), _MDG),
    ]
)


def mutual_deterrence_game(**values: Any) -> ExtensiveFormGame:
    """The Mutual Deterrence Game with two-sided Hard/Soft types; parameters not given stay symbolic.

    A cooperates or defects; after D, B concedes (DC) or resists (DD); after
    C, B cooperates (SQ) or defects, and then A concedes (CD) or resists
    (DD).  Each player knows only its own type (information sets ``"Hard A
    first"``, ``"Soft B after C"``, ...).  Orderings ``a_dc > a_sq > a_cd``,
    ``a_dd_hard > a_cd > a_dd_soft``, ``a_sq > a_dd_hard`` (capability), and
    B's mirror image.

    Examples
    --------
    >>> g = mutual_deterrence_game(**MDG_PARAMETERS.defaults())
    >>> len(list(g.terminals()))
    20
    """
    v = factory_values(MDG_PARAMETERS, values)

    def branch(ta: str, tb: str) -> Node:
        tag = f"{ta} A, {tb} B"
        a_dd = v["a_dd_hard"] if ta == "Hard" else v["a_dd_soft"]
        b_dd = v["b_dd_hard"] if tb == "Hard" else v["b_dd_soft"]
        last = choice("A", f"{ta} A last", {
            "C": Terminal((v["a_cd"], v["b_cd"]), f"CD ({tag})"),
            "D": Terminal((a_dd, b_dd), f"DD after B ({tag})"),
        }, label=f"{tag}: B defected")  # fmt: skip
        after_c = choice("B", f"{tb} B after C", {"C": Terminal((v["a_sq"], v["b_sq"]), f"SQ ({tag})"), "D": last},
                         label=f"{tag}: A cooperated")  # fmt: skip
        after_d = choice("B", f"{tb} B after D", {
            "C": Terminal((v["a_dc"], v["b_dc"]), f"DC ({tag})"),
            "D": Terminal((a_dd, b_dd), f"DD after A ({tag})"),
        }, label=f"{tag}: A defected")  # fmt: skip
        return choice("A", f"{ta} A first", {"C": after_c, "D": after_d}, label=tag)

    root = _two_sided_types(v["p_a"], v["p_b"], "A", "B", branch)
    return ExtensiveFormGame(["A", "B"], root, title="Mutual Deterrence Game (Kilgour & Zagare 1991)")


def mdg_deterrence_holds(values: dict) -> bool:
    """Whether the Mutual Deterrence Game has a PBE in which every type cooperates (deterrence) [derived].

    Hard types resist and Soft types concede at the last nodes.  If every
    type cooperates, B's posterior is the prior, and the Hard B (the one
    more tempted) keeps the status quo iff ``p_a b_dd_hard + (1 - p_a) b_cd
    <= b_sq``, i.e. ``p_a >= (b_cd - b_sq)/(b_cd - b_dd_hard)``; the Hard A
    likewise iff ``p_b >= (a_dc - a_sq)/(a_dc - a_dd_hard)``.

    Examples
    --------
    >>> mdg_deterrence_holds(MDG_PARAMETERS.defaults())
    True
    """
    f = {k: Fraction(x) for k, x in values.items()}
    need_b = (f["a_dc"] - f["a_sq"]) / (f["a_dc"] - f["a_dd_hard"])
    need_a = (f["b_cd"] - f["b_sq"]) / (f["b_cd"] - f["b_dd_hard"])
    return f["p_b"] >= need_b and f["p_a"] >= need_a


_PBE_NOTE = "Solved as perfect Bayesian equilibria (solve(tree, 'pbe')); off-path beliefs are reported, not fixed."

#: The registry entries of this module (collected by :mod:`games.catalogue`).
MODELS = [
    Model(
        "rudimentary-asymmetric-deterrence",
        "Rudimentary Asymmetric Deterrence Game",
        "Zagare & Kilgour (2000), Perfect Deterrence, sec. 3.4 and App. 3: "
        "A challenges iff p_b < (a_dc - a_sq)/(a_dc - a_dd); Hard B resists, Soft B concedes",
        rudimentary_asymmetric_deterrence_game,
        RADG_PARAMETERS,
        description="A cooperates or defects; B, Hard (resists) with probability p_b or Soft, concedes or "
        "resists. Deterrence holds iff B's credibility p_b exceeds A's threshold. " + _PBE_NOTE,
        concepts=("pbe", "nash"),
        tags=("teaching", "deterrence", "incomplete-information"),
    ),
    Model(
        "mutual-deterrence",
        "Mutual Deterrence Game",
        "Kilgour & Zagare (1991), Credibility, uncertainty, and deterrence, AJPS 35(2); Perfect Deterrence "
        "(2000), ch. 4: deterrence needs each side's credibility above a threshold set by the other's utilities",
        mutual_deterrence_game,
        MDG_PARAMETERS,
        description="A defects or not; B replies; after A's cooperation B may defect and A replies; "
        "two-sided Hard/Soft types. " + _PBE_NOTE,
        concepts=("pbe",),
        tags=("teaching", "deterrence", "incomplete-information"),
    ),
    Model(
        "unilateral-deterrence",
        "Unilateral Deterrence Game",
        "Zagare & Kilgour (1993), Asymmetric deterrence, ISQ 37(1); Perfect Deterrence (2000), ch. 5: "
        "regions CDE/SE/AE/BE set by alpha_S, alpha_H, alpha_Def",
        unilateral_deterrence_game,
        UDG_PARAMETERS,
        description="Challenger defects or not, Defender concedes or resists, Challenger backs down or fights; "
        "two-sided Hard/Soft types. " + _PBE_NOTE,
        concepts=("pbe",),
        tags=("teaching", "deterrence", "incomplete-information"),
    ),
]
