"""The pre-strike game with uncertainty on both sides (C12): its equilibria, mixing included, and C12.

:func:`~games.iran_pakistan.forms.prestrike_game` is the tree (the registered
``iran-pakistan-prestrike`` model): Nature draws Iran's motive and Pakistan's
resolve; Iran, unsure of the resolve, strikes or not; Pakistan, unsure of the
motive, updates and responds; Iran replies; Pakistan counter-escalates or
holds.  :mod:`games.iran_pakistan.prestrike_solver` solves it exactly (or in
floats, batched) with mixing; this module reports the answer.

The equilibria are the perfect Bayesian equilibria with *dominance-consistent*
beliefs (:data:`REFINEMENT`): Iran puts no weight on a soft Pakistan after a
strike, since a soft Pakistan's strikes are strictly dominated (Cho and Kreps
1987; Fudenberg and Tirole 1991, ch. 11).  That is a refinement: where Iran's
reply to a strike hinges on Pakistan's resolve, plain PBE (every off-path
belief free, as ``deterrence.solve(prestrike_game(v), "pbe")`` solves it) can
have more equilibria, held up by blaming a strike on a soft Pakistan.

* :func:`prestrike_assessments` -- every such equilibrium at a point, semi-separating
  ones included, each verified on the tree by the engine's assessment check;
* :func:`prestrike_equilibria` -- the pure ones only (the first edition's view);
* :func:`striking_mass` and :func:`strike_status` -- batched, for sign target 11
  and the C12 check;
* :func:`to_assessment` -- an equilibrium as the engine's behaviour profile and beliefs.

Examples
--------
>>> from games.iran_pakistan.forms import values_for
>>> [e["kind"] for e in prestrike_assessments(values_for())]
['semi-separating']
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from games.iran_pakistan.parameters import PARAMETERS, TYPES
from games.iran_pakistan.prestrike_solver import _TOL, REFINEMENT, RESPONSE_KEYS, TYPE_KEYS, solve_prestrike

__all__ = [
    "BELIEF_GRID",
    "REFINEMENT",
    "RESPONSE_KEYS",
    "TYPE_KEYS",
    "solve_prestrike",
    "prestrike_assessments",
    "prestrike_equilibria",
    "strike_status",
    "striking_mass",
    "to_assessment",
]


# -- per-point reports ------------------------------------------------------------------------
def _at(x: Any, i: int, exact: bool) -> Any:
    """Element ``i`` of an array or scalar, as a Fraction of Python ints (exact) or a float.

    A numpy integer (an ``int64`` array of pure strategies) becomes a Python
    int first: a Fraction built on it keeps the fixed-width numerator and
    overflows in later exact arithmetic.

    Examples
    --------
    >>> type(_at(np.array([0, 1]), 1, True).numerator).__name__
    'int'
    """
    array = np.asarray(x)
    value: Any = array[i] if array.ndim else array[()]
    if isinstance(value, np.generic):
        value = value.item()
    if not exact:
        return float(value)
    value = Fraction(value)
    return Fraction(int(value.numerator), int(value.denominator))


def _record(out: dict, i: int, sigma: dict, tau: dict, belief: dict | None, ties: list, exact: bool) -> dict:
    st, b = out["stages"], out["b"]
    prior = {t: _at(st["prior"][t], i, exact) for t in TYPE_KEYS}
    s = {t: _at(sigma[t], i, exact) for t in TYPE_KEYS}
    mix = {r: _at(tau[r], i, exact) for r in RESPONSE_KEYS}
    mass = sum(prior[t] * s[t] for t in TYPE_KEYS)
    if mass:
        posterior = {t: prior[t] * s[t] / mass for t in TYPE_KEYS}
    else:  # no type strikes: the supporting off-path belief
        posterior = {t: _at((belief or {})[t], i, exact) for t in TYPE_KEYS}
    g, bi = _at(st["g"], i, exact), _at(b, i, exact)
    value = {
        t: g + (1 - bi) * sum(mix[r] * _at(st["gain"][(r, t)], i, exact) for r in RESPONSE_KEYS) for t in TYPE_KEYS
    }
    replies = {
        r: {t: "escalate" if bool(np.asarray(st["escalates"][(r, t)])[i]) else "stand down" for t in TYPE_KEYS}
        for r in RESPONSE_KEYS[1:]
    }
    p_escalate = sum(
        posterior[t] * mix[r] * (replies[r][t] == "escalate") for t in TYPE_KEYS for r in RESPONSE_KEYS[1:]
    )
    pak_value = sum(posterior[t] * mix[r] * _at(st["u_p"][(r, t)], i, exact) for t in TYPE_KEYS for r in RESPONSE_KEYS)
    live = [t for t in TYPE_KEYS if prior[t] > 0]
    if any(0 < s[t] < 1 for t in live):
        kind = "semi-separating"
    elif all(s[t] == 1 for t in live):
        kind = "pooling: every type strikes"
    elif all(s[t] == 0 for t in live):
        kind = "pooling: no type strikes"
    else:
        kind = "separating"
    return {
        "strike": s,
        "response": mix,
        "posterior": posterior,
        "belief_off_path": not mass,
        "value_of_striking": value,
        "iran_value": {t: s[t] * value[t] for t in TYPE_KEYS},
        "pakistan_value_if_struck": pak_value,
        "replies": replies,
        "p_escalate": p_escalate,
        "p_escalate_overall": (1 - bi) * p_escalate,
        "counter_escalates": bool(np.asarray(st["counter"])[i]),
        "striking_mass": mass,
        "kind": kind,
        "pure": all(x in (0, 1) for x in (*s.values(), *mix.values())),
        "ties": tuple(what for what, tie in ties if bool(np.asarray(tie)[i])),
        "complete": not bool(out["degenerate"][i]),
    }


def prestrike_assessments(values: Mapping[str, Any], *, verify: bool = True) -> list[dict[str, Any]]:
    """Every PBE with dominance-consistent beliefs of the pre-strike game at one point, mixing included.

    The refinement (:data:`REFINEMENT`): Iran attributes any strike, on the
    path or off it, to a resolved Pakistan, for whom alone striking is not
    strictly dominated.  The list is every perfect Bayesian equilibrium that
    satisfies it, not every PBE: the engine's
    ``deterrence.solve(prestrike_game(v), "pbe")`` leaves that belief free
    and may find more (their on-path behaviour includes these).

    Parameters
    ----------
    values : mapping
        A full parameter point (:func:`~games.iran_pakistan.forms.values_for`);
        exact values give exact answers.
    verify : bool, optional
        Check every equilibrium on the tree (Bayes' rule on the path,
        sequential rationality everywhere) with the engine's
        :func:`~deterrence.solvers.pbe_check.assessment_regret`; a failure is
        an internal error.

    Returns
    -------
    list of dict
        One per equilibrium (the no-strike equilibrium, if any, last, as one
        family): ``strike`` (each type's striking probability), ``response``
        (a resolved Pakistan's mix over absorb / calibrated / direct),
        ``posterior`` (its belief after a strike; the supporting off-path
        belief when no type strikes, with ``belief_off_path``),
        ``value_of_striking`` and ``iran_value`` per type,
        ``pakistan_value_if_struck``, ``replies`` (Iran's reply to each strike
        by type), ``p_escalate`` (on-path probability of an Iranian
        escalation given a strike *and a resolved Pakistan*),
        ``p_escalate_overall`` (the same whatever Pakistan's resolve,
        ``(1 - b) p_escalate``: a soft Pakistan absorbs), ``counter_escalates``, ``striking_mass``
        (prior mass of striking types), ``kind`` (``semi-separating``,
        ``separating``, ``pooling: ...``), ``pure``, ``ties`` (types or
        responses indifferent at a pure choice) and ``complete`` (False at a
        degenerate point, where a continuum may be missing; True means the
        refined set is complete).

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> eq = prestrike_assessments(values_for())[0]
    >>> print(eq["strike"]["ct"], eq["strike"]["broaden"], eq["strike"]["coerce"], eq["response"]["calibrated"])
    74/195 1 0 2/3
    >>> print(eq["posterior"]["broaden"], eq["value_of_striking"]["coerce"])
    39/76 -1/2
    >>> print(eq["p_escalate"], eq["p_escalate_overall"])
    13/38 13/76
    """
    exact = all(not isinstance(x, (float, np.floating, np.ndarray)) for x in values.values())
    out = solve_prestrike(values)
    found = [_record(out, 0, sigma, tau, None, ties, exact) for _, ok, sigma, tau, ties in out["equilibria"] if ok[0]]
    valid, tau, belief = out["no_strike"]
    if valid[0]:
        record = _record(out, 0, {t: 0 for t in TYPE_KEYS}, tau, belief, [], exact)
        # a type with zero prior still plays a best reply at its (unreached) decision
        unseen = {t: _at(out["stages"]["prior"][t], 0, exact) == 0 for t in TYPE_KEYS}
        strike = {t: int(unseen[t] and record["value_of_striking"][t] > 0) for t in TYPE_KEYS}
        found.append(_record(out, 0, strike, tau, belief, [], exact) if any(strike.values()) else record)
    if verify:
        _verify(values, found, exact)
    return found


def _verify(values: Mapping[str, Any], found: list[dict[str, Any]], exact: bool) -> None:
    """Raise if an equilibrium fails the engine's check on :func:`~games.iran_pakistan.forms.prestrike_game`."""
    from deterrence.errors import SolverError
    from deterrence.solvers.pbe_check import assessment_regret
    from deterrence.solvers.pbe_tree import TreeIndex
    from games.iran_pakistan.forms import prestrike_game

    game = prestrike_game(dict(values))
    index = TreeIndex(game)
    for eq in found:
        behaviour, beliefs = to_assessment({**eq, "iran_belief_absorb": values["iran_belief_absorb"]}, game)
        _, failure = assessment_regret(index, behaviour, beliefs, 0.0 if exact else 1e-7)
        if failure is not None:
            raise SolverError(f"internal error: a pre-strike equilibrium fails verification: {failure}")


def prestrike_equilibria(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The *pure* equilibria of :func:`prestrike_assessments` (PBE with dominance-consistent beliefs) at one point.

    A compatibility view of :func:`prestrike_assessments`: the equilibria in
    which every type strikes or not for sure and a resolved Pakistan's
    response is pure.  At the baseline there is none -- the equilibrium is
    semi-separating (the counter-terror type mixes) -- so the list is empty;
    use :func:`prestrike_assessments` for the answer.

    Returns
    -------
    list of dict
        ``strikers`` (tuple of types), ``response`` (a resolved Pakistan's
        response if struck), ``values`` (each type's value of striking),
        ``ties`` and ``response_tie``.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> prestrike_equilibria(values_for())
    []
    >>> [e["strikers"] for e in prestrike_equilibria(values_for({"iran_belief_absorb": 1}))]
    [('ct', 'broaden', 'coerce')]
    """
    out = []
    for e in prestrike_assessments(values):
        if not e["pure"]:
            continue
        out.append(
            {
                "strikers": tuple(t for t in TYPE_KEYS if e["strike"][t] == 1),
                "response": next(r for r in RESPONSE_KEYS if e["response"][r] == 1),
                "values": e["value_of_striking"],
                "ties": tuple(t for t in e["ties"] if t in TYPE_KEYS),
                "response_tie": any(r in e["ties"] for r in RESPONSE_KEYS),
            }
        )
    return out


# -- batched summaries for the claim check and the sign targets -------------------------------
def _full_points(points: Mapping[str, Any]) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    """Float arrays of every parameter (defaults where absent) and their broadcast shape."""
    arrays = {p.name: np.asarray(points.get(p.name, float(p.default)), dtype=np.float64) for p in PARAMETERS}
    return arrays, np.broadcast_shapes(*(a.shape for a in arrays.values()))


def striking_mass(points: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Prior mass of striking types over the equilibria at every point (float arrays; :data:`REFINEMENT`).

    ``points`` maps parameters to arrays that broadcast together (absent
    ones take their defaults).  Returns ``least`` and ``greatest`` (over all
    equilibria, mixed ones included; NaN where none was found),
    ``semi_separating`` (the mass in a semi-separating equilibrium, NaN
    where there is none; the greatest if several), ``all_strike`` (every
    equilibrium has every type with positive prior striking for sure),
    ``some_type_holds_back`` (some equilibrium has such a type striking with
    probability below one), ``count`` and ``degenerate``.

    Examples
    --------
    >>> out = striking_mass({"iran_belief_absorb": np.array([0.0, 0.75, 1.0])})
    >>> [round(float(x), 3) for x in out["greatest"]]
    [0.39, 0.7, 1.0]
    """
    v, shape = _full_points(points)
    invalid = v["prior_broaden"] + v["prior_coerce"] > 1 + 1e-12
    for key in ("prior_broaden", "prior_coerce"):  # solved at a valid prior, then marked NaN
        v[key] = np.where(invalid, 0.0, v[key])
    out = solve_prestrike(v)
    shape = out["shape"]
    prior = [np.asarray(out["stages"]["prior"][t], dtype=np.float64) for t in TYPE_KEYS]
    live = [p > _TOL for p in prior]
    least = np.full(shape, np.inf)
    greatest = np.full(shape, -np.inf)
    semi = np.full(shape, np.nan)
    all_strike = np.ones(shape, dtype=bool)
    holds_back = np.zeros(shape, dtype=bool)
    count = np.zeros(shape, dtype=np.intp)
    for (_, mixers, strikers), ok, sigma, _, _ in out["equilibria"]:
        if not ok.any():
            continue
        mass = sum(prior[k] * np.asarray(sigma[t], dtype=np.float64) for k, t in enumerate(TYPE_KEYS))
        least = np.where(ok, np.minimum(least, mass), least)
        greatest = np.where(ok, np.maximum(greatest, mass), greatest)
        partial = np.zeros(np.shape(prior[0]), dtype=bool)
        for k in range(3):
            if k not in strikers:
                partial = partial | live[k]
        mixing = np.zeros(np.shape(prior[0]), dtype=bool)
        for k in mixers:
            mixing = mixing | live[k]
        semi = np.where(ok & mixing, np.fmax(semi, mass), semi)
        all_strike &= ~(ok & partial)
        holds_back |= ok & partial
        count += ok
    valid = out["no_strike"][0]
    least = np.where(valid, 0.0, least)
    greatest = np.where(valid, np.maximum(greatest, 0.0), greatest)
    all_strike &= ~valid
    holds_back |= valid
    count += valid
    none = (count == 0) | invalid
    return {
        "least": np.where(none, np.nan, least),
        "greatest": np.where(none, np.nan, greatest),
        "semi_separating": np.where(invalid, np.nan, semi),
        "all_strike": all_strike & ~none,
        "some_type_holds_back": holds_back & ~invalid,
        "count": np.where(invalid, 0, count),
        "degenerate": np.asarray(out["degenerate"], dtype=bool),
    }


#: The grid of Iran's beliefs on which :func:`strike_status` reads C12.
BELIEF_GRID = np.linspace(0.0, 1.0, 41)


def strike_status(points: Mapping[str, Any]) -> np.ndarray:
    """C12's code at every point: 0 refuted, 1 qualified, 2 confirmed (-1: priors sum above 1).

    ``points`` maps parameters to 1-D arrays of one length (or scalars;
    absent parameters take their defaults).  Confirmed if striking is not
    unconditionally rational: in some equilibrium at the point some type
    (with positive prior) strikes with probability below one, or the mass
    of striking types rises somewhere along ``iran_belief_absorb`` over
    :data:`BELIEF_GRID` (the least or the greatest mass over equilibria).
    Refuted if every type strikes with probability one in every equilibrium
    at every belief of the grid and at the point's own.  Qualified otherwise
    (every type strikes at the point, yet some holds back elsewhere while the
    mass never rises: striking grows *less* attractive as Pakistan looks
    softer, which happens when the US condemnation outweighs Iran's gain,
    ``g' < 0``).

    Examples
    --------
    >>> strike_status({}).tolist(), strike_status({"escalation_value_ct": np.array([20.0])}).tolist()
    ([2], [0])
    """
    v, shape = _full_points(points)
    size = int(np.prod(shape)) if shape else 1
    grid = {k: np.broadcast_to(a, shape).reshape(size, 1) for k, a in v.items()}
    own = grid["iran_belief_absorb"]
    grid["iran_belief_absorb"] = np.concatenate([np.broadcast_to(BELIEF_GRID, (size, len(BELIEF_GRID))), own], axis=1)
    mass = striking_mass(grid)
    rises = np.zeros(size, dtype=bool)
    for curve in (mass["least"][:, :-1], mass["greatest"][:, :-1]):
        step = np.diff(curve, axis=1)
        rises |= (np.where(np.isnan(step), 0.0, step) > 1e-9).any(axis=1)
    refuted = mass["all_strike"].all(axis=1)
    status = np.where(refuted, 0, np.where(mass["some_type_holds_back"][:, -1] | rises, 2, 1))
    invalid = (grid["prior_broaden"] + grid["prior_coerce"])[:, 0] > 1 + 1e-12
    return np.where(invalid, -1, status).reshape(shape) if shape else np.where(invalid, -1, status)


# -- the engine's view ------------------------------------------------------------------------
def to_assessment(eq: Mapping[str, Any], game: Any) -> tuple[dict, dict]:
    """``(behaviour, beliefs)`` of an equilibrium on :func:`~games.iran_pakistan.forms.prestrike_game`'s tree.

    ``behaviour`` is ``{player: {information set: {action: probability}}}``;
    ``beliefs`` ``{(player, information set): {node path: probability}}``
    for the sets the play does not reach, by the solver's refinement
    (:data:`REFINEMENT`: Iran attributes a strike to a resolved Pakistan,
    dominance-consistent beliefs; Pakistan keeps the posterior, or the
    supporting belief if no type strikes), so that
    :func:`deterrence.solvers.pbe_check.assessment_regret` can check it.
    """
    from deterrence.solvers.pbe_check import bayes_beliefs
    from deterrence.solvers.pbe_tree import TreeIndex

    labels = {label: key for key, label, *_ in TYPES}
    iran: dict[str, dict[str, Any]] = {}
    for key, label, *_ in TYPES:
        iran[f"{label}: strike?"] = {"no strike": 1 - eq["strike"][key], "strike": eq["strike"][key]}
        for r in RESPONSE_KEYS[1:]:
            reply = eq["replies"][r][key]
            iran[f"{label}: after {r}"] = {
                "stand down": int(reply == "stand down"),
                "escalate": int(reply == "escalate"),
            }
    pakistan: dict[str, dict[str, Any]] = {
        "resolved response": dict(eq["response"]),
        "soft response": {"absorb": 1, "calibrated": 0, "direct": 0},
    }
    for r in RESPONSE_KEYS[1:]:
        counter = int(eq["counter_escalates"])
        pakistan[f"resolved after {r} + escalation"] = {"counter-escalate": counter, "hold": 1 - counter}
        pakistan[f"soft after {r} + escalation"] = {"counter-escalate": 0, "hold": 1}
    behaviour = {"Pakistan": pakistan, "Iran": iran}
    index = TreeIndex(game)
    beliefs = {}
    for info in index.infos:
        if len(info.nodes) < 2 or bayes_beliefs(index, behaviour, info) is not None:
            continue
        if info.player == "Iran" and info.name.endswith("strike?"):
            b = eq.get("iran_belief_absorb", Fraction(1, 2))
            weights = {x: (1 - b if x[1] == "resolved" else b) for x in info.nodes}
        elif info.player == "Iran":
            weights = {x: int(x[1] == "resolved") for x in info.nodes}
        else:
            weights = {x: eq["posterior"][labels[x[0]]] for x in info.nodes}
        total = sum(weights.values())
        beliefs[(info.player, info.name)] = (
            {x: w / total for x, w in weights.items()}
            if total
            else {x: Fraction(1, len(info.nodes)) for x in info.nodes}
        )
    return behaviour, beliefs
