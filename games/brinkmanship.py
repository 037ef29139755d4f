"""Brinkmanship on a discretised risk ladder, after Schelling (1966) and Powell (1990).

Schelling, T. (1966), *Arms and Influence*, ch. 3 ("the threat that leaves
something to chance"); Powell, R. (1990), *Nuclear Deterrence Theory: The
Search for Credibility*, Cambridge UP, ch. 2-3 (players alternately quit or
escalate, each escalation running a risk of disaster; a player's *resolve*
``r_i = v_i / (v_i + d_i)`` is the largest risk it will run; under complete
information the more resolved side prevails).

The ladder has ``rungs`` steps with risks ``q_k = k / rungs``.  The
Challenger challenges (climbing to rung 1) or keeps the status quo; then the
players alternate: the mover quits (the other wins) or climbs to the next
rung, where disaster strikes with probability ``q_k`` (at the top rung for
sure).  Payoffs: winning ``v_i``, quitting 0, disaster ``-d_i``; at the
status quo the Challenger gets 0 and the Defender ``v_d`` (it keeps the
prize).  A climb to risk ``q`` that makes the other quit pays
``(1 - q) v_i - q d_i``, positive iff ``q < r_i``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from deterrence.analysis.outcomes import tree_outcomes
from deterrence.forms.extensive_form import Chance, ExtensiveFormGame, Node, Terminal, choice
from deterrence.model import Model
from deterrence.parameters import Parameter, ParameterSet
from games._factory import factory_values

__all__ = ["BRINKMANSHIP_PARAMETERS", "MODELS", "brinkmanship_game", "prevailing_side", "resolve"]

_SRC = "Powell (1990, ch. 2-3) resolve v/(v+d); the numbers are a teaching instance with window (1/10, 1/4]"

BRINKMANSHIP_PARAMETERS = ParameterSet(
    [
        Parameter("v_c", 1, 0, 10, "utility", "Challenger's value of winning the issue", (), _SRC),
        Parameter("d_c", 9, 0, 100, "utility", "Challenger's cost of disaster", (), _SRC),
        Parameter("v_d", 1, 0, 10, "utility", "Defender's value of keeping the issue", (), _SRC),
        Parameter("d_d", 3, 0, 100, "utility", "Defender's cost of disaster", (), _SRC),
    ]
)

#: Number of rungs of the ladder (risk k/RUNGS at rung k).
RUNGS = 10


def brinkmanship_game(rungs: int = RUNGS, **values: Any) -> ExtensiveFormGame:
    """The risk-ladder game; payoff parameters not given stay symbolic (risks are numbers).

    Examples
    --------
    >>> g = brinkmanship_game(4, v_c=1, d_c=9, v_d=1, d_d=3)
    >>> [t.label for t, _ in g.terminals()][:4]
    ['status quo', 'disaster at rung 1', 'Defender quits at rung 1', 'disaster at rung 2']
    """
    v = factory_values(BRINKMANSHIP_PARAMETERS, values)
    disaster = (-v["d_c"], -v["d_d"])
    players = ("Challenger", "Defender")

    def climb(k: int) -> Node:
        """The mover has just climbed to rung k; disaster w.p. k/rungs, else the other moves."""
        boom = Terminal(disaster, f"disaster at rung {k}")
        if k == rungs:
            return boom
        q = Fraction(k, rungs)
        return Chance(("disaster", "survive"), (q, 1 - q), (boom, move(k % 2, k)), f"risk at rung {k}")

    def move(who: int, k: int) -> Node:
        mover = players[who]
        win = (v["v_c"], 0) if mover == "Defender" else (0, v["v_d"])
        return choice(mover, f"{mover} at rung {k}", {
            "quit": Terminal(win, f"{mover} quits at rung {k}"),
            "escalate": climb(k + 1),
        }, label=f"{mover} at rung {k}")  # fmt: skip

    root = choice("Challenger", "Challenger at rung 0", {
        "status quo": Terminal((0, v["v_d"]), "status quo"),
        "challenge": climb(1),
    }, label="Challenger at rung 0")  # fmt: skip
    return ExtensiveFormGame(list(players), root, title="Brinkmanship on a risk ladder (after Powell 1990)")


def resolve(v: Any, d: Any) -> Fraction:
    """A player's resolve ``v / (v + d)``: the largest risk of disaster it will run to win ``v``.

    Examples
    --------
    >>> print(resolve(1, 9), resolve(1, 3))
    1/10 1/4
    """
    return Fraction(v) / (Fraction(v) + Fraction(d))


def prevailing_side(v_c: Any, d_c: Any, v_d: Any, d_d: Any, rungs: int = RUNGS) -> str | None:
    """Who prevails under complete information: the more resolved side, if a rung lies strictly inside the window.

    Returns "Defender" (the Challenger keeps the status quo), "Challenger"
    (it challenges and the Defender quits at once), or None when no rung
    ``q_k`` (``2 <= k < rungs``) lies strictly between the two resolves.
    A resolve equal to a rung's risk makes its holder indifferent there:
    the solver then reports a tie.

    Derivation: a climb to risk q is worth at most ``(1 - q) v_i - q d_i``
    to the climber (the other quitting at once is its best case), negative
    for ``q > r_i``, so a player never climbs past its resolve.  Say
    ``r_c < r_d`` and let ``q_j`` be the last rung below ``r_c``: whoever
    climbs to ``q_j + 1/rungs`` (at most ``r_d``, so only the Defender would)
    makes the Challenger quit; by induction the Challenger, whenever it
    moves, faces a Defender who will climb until it quits, so every climb
    only costs it risk; it keeps the status quo.  Symmetrically, when
    ``r_c > r_d`` the Defender quits at its first move.

    Examples
    --------
    >>> prevailing_side(1, 9, 1, 3), prevailing_side(1, 2, 1, 3)
    ('Defender', 'Challenger')
    """
    r_c, r_d = resolve(v_c, d_c), resolve(v_d, d_d)
    low, high = sorted((r_c, r_d))
    if not any(low < Fraction(k, rungs) < high for k in range(2, rungs)):
        return None
    return "Defender" if r_d > r_c else "Challenger"


def _build(**values: Any) -> ExtensiveFormGame:
    return brinkmanship_game(RUNGS, **values)


_build.__doc__ = "The ten-rung ladder as a model factory (keywords v_c, d_c, v_d, d_d)."

MODELS = [
    Model(
        "brinkmanship",
        "Brinkmanship on a risk ladder",
        "Schelling (1966), Arms and Influence, ch. 3; Powell (1990), Nuclear Deterrence Theory, ch. 2-3: "
        "resolve r = v/(v+d); under complete information the more resolved side prevails",
        _build,
        BRINKMANSHIP_PARAMETERS,
        outcomes=tree_outcomes(_build, {"challenge": ("Challenger", "Challenger at rung 0", "challenge")}),
        description="The Challenger challenges or not; then each side in turn quits or climbs a ten-rung ladder, "
        "each rung k risking disaster with probability k/10.",
        concepts=("spe", "nash"),
        tags=("teaching", "crisis", "brinkmanship"),
    ),
]
