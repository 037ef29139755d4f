"""The exact, batched solver of the pre-strike game with uncertainty on both sides (C12).

The reports built on it (:func:`~games.iran_pakistan.prestrike.prestrike_assessments`, the
C12 status, the striking mass) live in :mod:`games.iran_pakistan.prestrike`.

The tree is :func:`~games.iran_pakistan.forms.prestrike_game`: nature draws
Iran's motive ``t`` (prior ``pi``) and Pakistan's resolve (soft with
probability ``b = iran_belief_absorb``); Iran strikes with probability
``sigma_t``; a resolved Pakistan, updating on the strike to the posterior
``beta_t = pi_t sigma_t / sum(pi sigma)``, responds with the mix ``tau``
over absorb, calibrated (K), direct (X); Iran replies; Pakistan
counter-escalates or holds.

The last two moves do not depend on the first two.  Pakistan counter-
escalates iff ``P > C_P`` whatever it believes (a soft Pakistan, ``P = 0``,
never does), and a soft Pakistan absorbs: any strike costs it ``k_r' > 0``
and restores nothing.  So on the path a strike comes from a resolved
Pakistan (Bayes' rule).  Off the path the solver imposes a *refinement* of
perfect Bayesian equilibrium, :data:`REFINEMENT`: dominance-consistent
beliefs, i.e. no weight on a type for which the observed action is strictly
dominated (Cho and Kreps 1987; Fudenberg and Tirole 1991, ch. 11), so Iran
attributes an unexpected strike to a resolved Pakistan too.  Plain PBE
leaves that belief free, and where Iran's reply to a strike hinges on
Pakistan's resolve it can support more equilibria (for example every type
striking against a resolved Pakistan that absorbs, held up by Iran's
threat to escalate against a strike it blames on a soft Pakistan); those
are not listed here.  Iran's reply to each strike is then its best reply to
the resolved Pakistan, and type ``t`` gains ``D_t(r) = u_t(r) - g'`` from a
strike ``r`` against absorbing.  What is left is a signalling game in two
unknowns, ``sigma`` and ``tau``, with

* the value of striking ``S_t = g' + (1 - b) sum_r tau_r D_t(r)`` (status quo 0);
* Pakistan's expected payoffs ``W(r) = sum_t pi_t sigma_t u_P(r, t)`` (unnormalised).

A *case* fixes the support ``T`` of ``tau``, the types that mix (``M``)
and which of the others strike.  Generically ``|M| = |T| - 1``: the mixing
types' indifference ``S_m = 0`` fixes ``tau`` (linear, Cramer's rule), and
Pakistan's indifference ``W(r) = W(r')`` on ``T`` fixes the mixing
probabilities (linear).  Each solution is kept iff every inequality holds
(``0 < sigma_m < 1``, ``tau > 0`` on ``T``, strikers ``S >= 0``, the others
``S <= 0``, no response outside ``T`` better).  If no type strikes,
Pakistan's belief is free (the refinement restricts Iran's beliefs only):
that equilibrium exists iff some belief makes a response ``tau`` optimal
that deters every type; it is reported as one family with a representative
``tau`` and belief.  Exact ties (a type or Pakistan indifferent at a pure
choice, a singular case whose continuum of solutions meets the feasible
region) are reported, never dropped: the point is then marked
``complete=False``.  "Complete" is always about the refined set: the list
holds every PBE with dominance-consistent beliefs, not every PBE.

All of it runs on arrays, exact (object arrays of Fractions, tolerance 0)
or float (tolerance ``1e-9`` of the payoff scale), so that
:func:`~games.iran_pakistan.prestrike.strike_status` solves ``10^4`` points at 41 beliefs in seconds.

"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations, product
from typing import Any

import numpy as np

from games.iran_pakistan.forms import RESPONSES, outcome_payoffs
from games.iran_pakistan.parameters import TYPES, pakistan_clash_cost, precedent_cost, priors

__all__ = ["REFINEMENT", "RESPONSE_KEYS", "TYPE_KEYS", "solve_prestrike"]

#: The belief restriction the solver imposes: its equilibria are the PBE that satisfy it, not every PBE.
REFINEMENT = (
    "perfect Bayesian equilibria with dominance-consistent beliefs: Iran puts no weight on a soft Pakistan "
    "after a strike (strictly dominated for it), on the path and off it (Cho and Kreps 1987; Fudenberg and "
    "Tirole 1991, ch. 11); Pakistan's off-path belief about Iran's motive stays free; plain PBE, with every "
    "off-path belief free, can have more equilibria"
)

#: Pakistan's responses, in :data:`games.iran_pakistan.analysis.CHOICES` order.
RESPONSE_KEYS = ("absorb", "calibrated", "direct")
#: Iran's motive types.
TYPE_KEYS = tuple(t[0] for t in TYPES)
_TOL = 1e-9


# -- arrays -----------------------------------------------------------------------------------
def _arrays(values: Mapping[str, Any]) -> tuple[dict[str, np.ndarray], Any, tuple[int, ...]]:
    """Every parameter as an array (object dtype for exact input), the tolerance and the broadcast shape.

    Arrays keep their own shapes (they broadcast against each other), so that
    a batch of points ``(N, 1)`` against a grid of beliefs ``(N, K)`` solves
    what does not depend on the belief only ``N`` times.
    """
    exact = all(
        not isinstance(x, (float, np.floating, np.ndarray)) or (isinstance(x, np.ndarray) and x.dtype == object)
        for x in values.values()
    )
    dtype = object if exact else np.float64
    out = {k: np.atleast_1d(np.asarray(x, dtype=dtype)) for k, x in values.items()}
    return out, 0 if exact else _TOL, np.broadcast_shapes(*(a.shape for a in out.values()))


def _scaled(v: dict[str, np.ndarray], tol: float) -> tuple[Any, Any]:
    """Tolerances for payoffs and for products of two payoffs: ``tol`` times the point's scale (and its square)."""
    if isinstance(tol, int):
        return 0, 0
    scale = 1.0
    for key, a in v.items():
        if key != "iran_belief_absorb":  # a probability: the scale is at least 1 anyway
            scale = np.maximum(scale, np.abs(a))
    scale = 10 * (1 + scale)
    return tol * scale, tol * scale * scale


def _zero(x: Any, eps: Any) -> np.ndarray:
    """``|x| <= eps`` elementwise (exactly zero when ``eps`` is 0, for exact arrays)."""
    if isinstance(eps, int):  # exact arrays: eps is the integer 0
        return np.asarray(x == 0, dtype=bool)
    return np.asarray(np.abs(x) <= eps, dtype=bool)


def _pos(x: Any, eps: Any) -> np.ndarray:
    """``x > eps`` elementwise: positive beyond the tolerance."""
    return np.asarray(x > eps, dtype=bool)


def _take(x: Any, idx: np.ndarray) -> Any:
    """Rows ``idx`` (axis 0) of an array that has a row axis; scalars and single rows broadcast as they are."""
    if not isinstance(x, np.ndarray):
        return x
    if x.ndim == 0 or x.shape[0] == 1:
        return x
    return x[idx]


def _div(num: Any, den: Any, zero: np.ndarray) -> Any:
    """``num / den`` where ``den`` is not zero (0 elsewhere; Fractions must not divide by zero)."""
    safe = np.where(zero, 1, den)
    return np.where(zero, 0, num / safe)


# -- the two last moves ---------------------------------------------------------------------
def _stages(v: dict[str, np.ndarray], tol: Any) -> dict[str, Any]:
    """Counter-escalation, Iran's replies and the payoff tables ``u_P(r, t)``, ``D_t(r)``."""
    eps, _ = _scaled(v, tol)
    P, C_P = precedent_cost(v), pakistan_clash_cost(v)
    counter = np.asarray(P > C_P, dtype=bool)
    degenerate = _zero(P - C_P, eps) | _zero(C_P, eps)  # resolved / soft indifferent
    prior = priors(v)
    g = outcome_payoffs(v, "ct")["absorb"][1]
    u_p: dict[tuple[str, str], Any] = {}
    gain: dict[tuple[str, str], Any] = {}
    escalates: dict[tuple[str, str], np.ndarray] = {}
    soft_strikes = np.zeros(np.shape(P), dtype=bool)
    for t in TYPE_KEYS:
        pay = outcome_payoffs(v, t)
        u_p[("absorb", t)] = -P
        gain[("absorb", t)] = 0 * P
        for key, *_ in RESPONSES:
            counter_pay, hold_pay = pay[f"{key}/escalate/counter"], pay[f"{key}/escalate/hold"]
            escalate = np.where(counter, counter_pay[1], hold_pay[1])
            stand = pay[f"{key}/stand_down"][1]
            esc = np.asarray(escalate > stand, dtype=bool)
            degenerate = degenerate | _zero(escalate - stand, eps)
            escalates[(key, t)] = esc
            u_p[(key, t)] = np.where(esc, np.where(counter, counter_pay[0], hold_pay[0]), pay[f"{key}/stand_down"][0])
            gain[(key, t)] = np.where(esc, escalate, stand) - g
            # A soft Pakistan (P = 0) gets -k' after a stand-down and less after an escalation.
            soft = np.where(esc, hold_pay[0] + P, pay[f"{key}/stand_down"][0] + (1 - v[_restoration(key)]) * P)
            soft_strikes = soft_strikes | ~_pos(-soft, eps)
    return {
        "P": P,
        "C_P": C_P,
        "counter": counter,
        "g": g,
        "prior": prior,
        "u_p": u_p,
        "gain": gain,
        "escalates": escalates,
        "degenerate": degenerate | soft_strikes,
    }


def _restoration(key: str) -> str:
    return next(r for k, _, r, _ in RESPONSES if k == key)


# -- the signalling game ----------------------------------------------------------------------
def _cases() -> list[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]]:
    """(response support T, mixing types M, pure strikers) with ``|M| = |T| - 1``."""
    out = []
    for size in (1, 2, 3):
        for support in combinations(range(3), size):
            for mixers in combinations(range(3), size - 1):
                rest = [t for t in range(3) if t not in mixers]
                for bits in product((0, 1), repeat=len(rest)):
                    strikers = tuple(t for t, bit in zip(rest, bits, strict=True) if bit)
                    out.append((support, mixers, strikers))
    return out


_CASES = _cases()


def _solve2(a: list[list[Any]], rhs: list[Any], eps2: Any) -> tuple[list[Any], np.ndarray, Any]:
    """Cramer's rule for 2x2 systems on arrays: (solution, singular mask, [coefficients, rhs] for the singular rows)."""
    det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
    singular = _zero(det, eps2)
    x0 = _div(rhs[0] * a[1][1] - a[0][1] * rhs[1], det, singular)
    x1 = _div(a[0][0] * rhs[1] - rhs[0] * a[1][0], det, singular)
    return [x0, x1], singular, det


def _line_meets(a0: Any, a1: Any, r: Any, corners: list[tuple[int, int]], eps: Any) -> np.ndarray:
    """Whether ``a0 x + a1 y = r`` meets the open polygon with these corners (for singular cases)."""
    values = [a0 * x + a1 * y - r for x, y in corners]
    low = values[0]
    high = values[0]
    for val in values[1:]:
        low = np.where(val < low, val, low)
        high = np.where(val > high, val, high)
    flat = _zero(a0, eps) & _zero(a1, eps)
    return np.where(flat, _zero(r, eps), _pos(-low, eps) & _pos(high, eps))


def _singular_meets(a: list[list[Any]], rhs: list[Any], corners: list, eps: Any, eps2: Any) -> np.ndarray:
    """For a singular 2x2 system: consistent, and its solution line meets the open region."""
    row0 = ~(_zero(a[0][0], eps) & _zero(a[0][1], eps))
    # Use the first non-zero row as the line; the other must be a multiple of it (same rhs ratio).
    l0 = np.where(row0, a[0][0], a[1][0])
    l1 = np.where(row0, a[0][1], a[1][1])
    lr = np.where(row0, rhs[0], rhs[1])
    o0 = np.where(row0, a[1][0], a[0][0])
    o1 = np.where(row0, a[1][1], a[0][1])
    orr = np.where(row0, rhs[1], rhs[0])
    consistent = _zero(o0 * lr - orr * l0, eps2) & _zero(o1 * lr - orr * l1, eps2)
    return consistent & _line_meets(l0, l1, lr, corners, eps)


def solve_prestrike(values: Mapping[str, Any]) -> dict[str, Any]:
    """Every PBE with dominance-consistent beliefs (:data:`REFINEMENT`) at every point of a batch (arrays in/out).

    Iran attributes any strike, on or off the path, to a resolved Pakistan
    (a soft Pakistan's strikes are strictly dominated); the perfect Bayesian
    equilibria that need Iran to blame a strike on a soft Pakistan are not
    among these.

    Parameters
    ----------
    values : mapping
        Every parameter, as scalars or 1-D arrays of one length ``B``; exact
        scalars (ints, Fractions) give exact results.

    Returns
    -------
    dict
        ``"equilibria"``: a list of ``(case, valid, sigma, tau, ties)`` over
        the cases, where ``valid`` is a boolean array (length ``B``),
        ``sigma`` maps each type and ``tau`` each response to an array, and
        ``ties`` lists ``(what, mask)``; ``"no_strike"``: ``(valid, tau,
        belief)`` for the equilibrium in which no type strikes;
        ``"degenerate"``: points where a tie or a continuum of solutions
        makes the list incomplete; ``"stages"``: the last two moves
        (:func:`_stages`); ``"b"``, ``"size"`` and ``"tol"``.

    Examples
    --------
    >>> from games.iran_pakistan.forms import values_for
    >>> out = solve_prestrike(values_for())
    >>> [sum(bool(e[1][0]) for e in out["equilibria"]), bool(out["no_strike"][0][0])]
    [1, False]
    """
    v, tol, shape = _arrays(values)
    st = _stages(v, tol)
    b = v["iran_belief_absorb"]
    g = st["g"]
    prior = [st["prior"][t] for t in TYPE_KEYS]
    eps, eps2 = _scaled(v, tol)
    # a[t][r]: what tau_r adds to S_t; S_t = g + sum_r tau_r a[t][r]
    a = [[(1 - b) * st["gain"][(r, t)] for r in RESPONSE_KEYS] for t in TYPE_KEYS]
    u = [[st["u_p"][(r, t)] for t in TYPE_KEYS] for r in RESPONSE_KEYS]
    degenerate = np.broadcast_to(st["degenerate"], shape).copy()
    found = []
    for support, mixers, strikers in _CASES:
        # sigma from Pakistan's indifference on the support (independent of Iran's belief b)
        k = len(support) - 1
        ok_s: Any = np.ones(np.shape(u[0][0]), dtype=bool)
        sigma: list[Any] = [1 if t in strikers else 0 for t in range(3)]
        last = support[-1]
        diff = [[u[r][t] - u[last][t] for t in range(3)] for r in support[:-1]]
        if k == 1:
            m = mixers[0]
            den = prior[m] * diff[0][m]
            num = -sum(prior[t] * diff[0][t] for t in strikers)
            zero = _zero(den, eps)
            degenerate |= zero & _zero(num, eps) & _pos(prior[m], tol)
            sigma[m] = _div(num, den, zero)
            ok_s = ok_s & ~zero
        elif k == 2:
            m0, m1 = mixers
            coef = [[prior[m0] * diff[j][m0], prior[m1] * diff[j][m1]] for j in range(2)]
            rhs = [-sum(prior[t] * diff[j][t] for t in strikers) for j in range(2)]
            (s0, s1), singular, _ = _solve2(coef, rhs, eps2)
            degenerate |= singular & _singular_meets(coef, rhs, [(0, 0), (1, 0), (1, 1), (0, 1)], eps, eps2)
            sigma[m0], sigma[m1] = s0, s1
            ok_s = ok_s & ~singular
        for m in mixers:
            ok_s = ok_s & _pos(sigma[m], tol) & _pos(1 - sigma[m], tol) & _pos(prior[m], tol)
        ok_s = ok_s & _pos(sum(prior[t] * sigma[t] for t in range(3)), tol)
        ties: list[tuple[str, Any]] = []
        w_in = sum(prior[t] * sigma[t] * u[last][t] for t in range(3))
        for r in range(3):  # Pakistan's optimality outside the support
            if r in support:
                continue
            gap = w_in - sum(prior[t] * sigma[t] * u[r][t] for t in range(3))
            tie = _zero(gap, eps)
            ok_s = ok_s & (tie | _pos(gap, eps))
            ties.append((RESPONSE_KEYS[r], tie))
        ok_full = np.broadcast_to(ok_s, shape)
        idx = np.nonzero(ok_full.reshape(shape[0], -1).any(axis=1))[0]
        if not len(idx):
            continue
        # tau from the mixing types' indifference, on the rows where sigma works
        a_, g_, e_, e2_ = [[_take(x, idx) for x in row] for row in a], _take(g, idx), _take(eps, idx), _take(eps2, idx)
        ok = _take(ok_full, idx)
        flags: Any = False
        tau: list[Any] = [0, 0, 0]
        if k == 0:
            tau[support[0]] = 1
        elif k == 1:
            m, (r0, r1) = mixers[0], support
            den = a_[m][r0] - a_[m][r1]
            zero = _zero(den, e_)
            flags = zero & _zero(g_ + a_[m][r1], e_)
            tau[r0] = _div(-(g_ + a_[m][r1]), den, zero)
            tau[r1] = 1 - tau[r0]
            ok = ok & ~zero
        else:
            r0, r1, r2 = support
            coef = [[a_[m][r0] - a_[m][r2], a_[m][r1] - a_[m][r2]] for m in mixers]
            rhs = [-(g_ + a_[m][r2]) for m in mixers]
            (t0, t1), singular, _ = _solve2(coef, rhs, e2_)
            flags = singular & _singular_meets(coef, rhs, [(0, 0), (1, 0), (0, 1)], e_, e2_)
            tau[r0], tau[r1], tau[r2] = t0, t1, 1 - t0 - t1
            ok = ok & ~singular
        for r in support:
            ok = ok & _pos(tau[r], tol)
        iran_ties = []
        for t in range(3):  # Iran's optimality
            if t in mixers:
                continue
            s_t = g_ + sum(tau[r] * a_[t][r] for r in support)
            tie = _zero(s_t, e_)
            ok = ok & (tie | (_pos(s_t, e_) if t in strikers else _pos(-s_t, e_)))
            iran_ties.append((TYPE_KEYS[t], tie))
        sub = (len(idx), *shape[1:])
        valid = np.zeros(shape, dtype=bool)
        valid[idx] = np.broadcast_to(ok, sub)
        degenerate[idx] |= np.broadcast_to(flags, sub) & np.broadcast_to(_take(ok_full, idx), sub)
        dtype = object if tol == 0 and isinstance(tol, int) else np.float64
        tau_full = []
        for r in range(3):
            column = np.zeros(shape, dtype=dtype)
            column[idx] = np.broadcast_to(tau[r], sub)
            tau_full.append(column)
        tie_masks = []
        for what, tie in iran_ties:
            mask = np.zeros(shape, dtype=bool)
            mask[idx] = np.broadcast_to(tie, sub)
            tie_masks.append((what, mask & valid))
        tie_masks += [(what, np.broadcast_to(tie, shape) & valid) for what, tie in ties]
        for _, mask in tie_masks:  # a pure choice at indifference may hide a continuum
            degenerate |= mask
        found.append(
            (
                (support, mixers, strikers),
                valid,
                dict(zip(TYPE_KEYS, sigma, strict=True)),
                dict(zip(RESPONSE_KEYS, tau_full, strict=True)),
                tie_masks,
            )
        )
    no_strike = _no_strike_rows(a, u, g, prior, tol, eps, eps2, shape)
    return {
        "equilibria": found,
        "no_strike": no_strike,
        "degenerate": degenerate,
        "stages": st,
        "b": b,
        "shape": shape,
        "tol": tol,
    }


def _no_strike_rows(a: list, u: list, g: Any, prior: list, tol: Any, eps: Any, eps2: Any, shape: tuple) -> tuple:
    """:func:`_no_strike` on the rows where it can hold: each type with positive prior deterred by some response."""
    possible: Any = np.ones(shape, dtype=bool)
    for t in range(3):
        least = a[t][0]
        for r in (1, 2):
            least = np.where(a[t][r] < least, a[t][r], least)
        possible = possible & (~_pos(g + least, eps) | ~_pos(prior[t], tol))
    possible = np.broadcast_to(possible, shape)
    idx = np.nonzero(possible.reshape(shape[0], -1).any(axis=1))[0]
    dtype = object if isinstance(tol, int) else np.float64
    valid = np.zeros(shape, dtype=bool)
    tau = {r: np.zeros(shape, dtype=dtype) for r in RESPONSE_KEYS}
    beta = {t: np.zeros(shape, dtype=dtype) for t in TYPE_KEYS}
    if not len(idx):
        return valid, tau, beta
    sub = (len(idx), *shape[1:])
    found, tau_s, beta_s = _no_strike(
        [[_take(x, idx) for x in row] for row in a],
        [[_take(x, idx) for x in row] for row in u],
        _take(g, idx),
        [_take(p, idx) for p in prior],
        tol,
        _take(eps, idx),
        _take(eps2, idx),
        sub,
    )
    valid[idx] = found
    for response in RESPONSE_KEYS:
        tau[response][idx] = np.broadcast_to(tau_s[response], sub)
    for motive in TYPE_KEYS:
        beta[motive][idx] = np.broadcast_to(beta_s[motive], sub)
    return valid, tau, beta


def _no_strike(a: list, u: list, g: Any, prior: list, tol: Any, eps: Any, eps2: Any, shape: tuple) -> tuple:
    """No type strikes: exists iff some belief makes a deterring response optimal (candidate vertices)."""
    corners = [(1, 0, 0), (0, 1, 0), (0, 0, 1)]
    ushape = np.broadcast_shapes(*(np.shape(x) for row in u for x in row))
    betas: list[Any] = [tuple(np.full(ushape, c) for c in corner) for corner in corners]
    for i, j in combinations(range(3), 2):  # an indifference line of two responses on each edge of the simplex
        for e0, e1 in combinations(range(3), 2):
            d0 = u[i][e0] - u[j][e0]
            d1 = u[i][e1] - u[j][e1]
            den = d0 - d1
            zero = _zero(den, eps)
            lam = _div(-d1, den, zero)  # weight on e0
            lam = np.where(zero, 0, lam)
            beta: list[Any] = [np.full(ushape, 0), np.full(ushape, 0), np.full(ushape, 0)]
            beta[e0], beta[e1] = lam, 1 - lam
            betas.append(tuple(beta))
    # the triple point: U(0) = U(1) = U(2) with beta in the plane sum = 1
    coef = [
        [(u[0][t] - u[2][t]) - (u[0][2] - u[2][2]) for t in range(2)],
        [(u[1][t] - u[2][t]) - (u[1][2] - u[2][2]) for t in range(2)],
    ]
    rhs = [-(u[0][2] - u[2][2]), -(u[1][2] - u[2][2])]
    (x0, x1), singular, _ = _solve2(coef, rhs, eps2)
    betas.append((np.where(singular, 1, x0), np.where(singular, 0, x1), np.where(singular, 0, 1 - x0 - x1)))
    taus: list[Any] = [tuple(np.full(shape, c) for c in corner) for corner in corners]
    for t in range(3):  # S_t = 0 on each edge of Delta(responses)
        for r0, r1 in combinations(range(3), 2):
            den = a[t][r0] - a[t][r1]
            zero = _zero(den, eps)
            lam = np.where(zero, 0, _div(-(g + a[t][r1]), den, zero))
            edge: list[Any] = [np.full(shape, 0), np.full(shape, 0), np.full(shape, 0)]
            edge[r0], edge[r1] = lam, 1 - lam
            taus.append(tuple(edge))
    for t0, t1 in combinations(range(3), 2):  # S_t0 = S_t1 = 0 inside
        coef = [[a[t][0] - a[t][2], a[t][1] - a[t][2]] for t in (t0, t1)]
        rhs = [-(g + a[t][2]) for t in (t0, t1)]
        (x0, x1), singular, _ = _solve2(coef, rhs, eps2)
        taus.append((np.where(singular, 1, x0), np.where(singular, 0, x1), np.where(singular, 0, 1 - x0 - x1)))
    # per response mix: is it a mix, which responses it uses, does it deter every type with positive prior
    tau_info = []
    for mix in taus:
        usable = np.ones(shape, dtype=bool)
        for r in range(3):
            usable &= ~_pos(-mix[r], tol)
        for t in range(3):
            s_t = g + mix[1] * a[t][1] + mix[2] * a[t][2]  # a[t][0] = 0 (absorbing)
            usable &= ~_pos(s_t, eps) | ~_pos(prior[t], tol)
        tau_info.append((mix, usable, [~_zero(mix[r], tol) for r in range(3)]))
    valid = np.zeros(shape, dtype=bool)
    best_tau: list[Any] = [np.full(shape, 0), np.full(shape, 0), np.full(shape, 0)]
    best_beta: list[Any] = [np.full(shape, 0), np.full(shape, 0), np.full(shape, 0)]
    for beta in betas:
        in_simplex = np.ones(ushape, dtype=bool)
        for x in beta:
            in_simplex = in_simplex & ~_pos(-x, tol)
        value = [beta[0] * u[r][0] + beta[1] * u[r][1] + beta[2] * u[r][2] for r in range(3)]
        top = value[0]
        for val in value[1:]:
            top = np.where(val > top, val, top)
        beaten = [_pos(top - val, eps) for val in value]
        for tau, usable, used in tau_info:
            ok = in_simplex & usable & ~valid
            for r in range(3):
                ok &= ~(used[r] & beaten[r])
            if not ok.any():
                continue
            valid |= ok
            for r in range(3):
                best_tau[r] = np.where(ok, tau[r], best_tau[r])
                best_beta[r] = np.where(ok, beta[r], best_beta[r])
    return valid, dict(zip(RESPONSE_KEYS, best_tau, strict=True)), dict(zip(TYPE_KEYS, best_beta, strict=True))
