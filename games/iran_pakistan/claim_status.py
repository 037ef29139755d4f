"""The twelve claim checks as one vectorised function over parameter points.

:func:`claim_status` maps a batch of ``B`` parameter points to a status code
per claim (:data:`REFUTED` 0, :data:`QUALIFIED` 1, :data:`CONFIRMED` 2).  It
is written on top of the batched backward induction
:func:`~games.iran_pakistan.analysis.solve_continuation`: every comparative
static moves one parameter (or, for C4's ray, two together) over its whole
stated range at :data:`N_GRID` points, the others held at the point, and all
those sweeps of all ``B`` points are solved in one call per chunk.  The
per-point audit (:mod:`games.iran_pakistan.claims`) reads its status from
:func:`claim_details` on a one-point batch, so the two cannot disagree.

Definitions ("p_path": Iran's on-path escalation probability under
Pakistan's prior; "margin": Pakistan's best strike minus absorbing):

* **C1** along ``precedent_loss`` the choice switches absorb -> retaliate;
  the escalation horn binds if some type escalates after the chosen strike
  at the first retaliating grid point (confirmed), else qualified; no switch:
  refuted.
* **C2** Pakistan retaliates under the prior; an exact tie is qualified.
* **C3** calibrated chosen, ``p_escalate(direct) > p_escalate(calibrated)``
  and, with Iran's reply held at stand-down, direct pays Pakistan more:
  confirmed; calibrated winning on cost alone (or on equal escalation) or
  absorbing: qualified; direct chosen, or calibrated inviting more
  escalation than direct: refuted.
* **C4** the margin rises along ``india_emboldening`` and falls along
  ``india_second_front``: both channels active, confirmed; one flat,
  qualified; a wrong sign or both flat, refuted.
* **C5** the broadening type escalates after the equilibrium strike:
  confirmed; only after some strike Pakistan does not choose: qualified;
  after no strike: refuted.
* **C6, C7, C8(a), C9(a)** p_path along each restraint: weakly decreasing and
  strictly somewhere, 2; flat, 1; increasing somewhere, 0; a claim with two
  restraints takes the lower code.  **C8(b)** the margin at the top of
  ``china_mediation``'s range exceeds the margin at the point.  **C9(b)**
  p_path never rises along ``us_ct_stake``.  C8: refuted if (a) is, confirmed
  if (a) confirmed and (b); C9: confirmed if (a) confirmed and (b), refuted if
  (a) refuted and not (b); qualified otherwise.
* **C10** Pakistan's response differs between two vertices of the belief
  simplex.  The response values are linear in the belief and the grid holds
  the vertices, so this is exactly "two responses occur on a grid of the
  simplex" (a response best at every vertex is best everywhere).
* **C11** calibrated chosen and p_path = 0: confirmed; calibrated and
  0 < p_path < 1/2: qualified; otherwise refuted.
* **C12** from :func:`games.iran_pakistan.prestrike.strike_status` (the
  two-sided pre-strike game); qualified while that module is missing.

Points with ``prior_broaden + prior_coerce > 1`` get the code :data:`INVALID` (-1)
for every claim.

Examples
--------
>>> from games.iran_pakistan.forms import values_for
>>> codes = claim_status(values_for())
>>> [STATUS_NAMES[int(codes[c][0])] for c in ("C2", "C3", "C11")]
['confirmed', 'confirmed', 'qualified']
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from games.iran_pakistan.analysis import TYPE_KEYS, solve_continuation
from games.iran_pakistan.forms import outcome_payoffs
from games.iran_pakistan.parameters import PARAMETERS

__all__ = [
    "CLAIMS",
    "REFUTED",
    "QUALIFIED",
    "CONFIRMED",
    "INVALID",
    "STATUS_NAMES",
    "N_GRID",
    "SWEEPS",
    "RESTRAINTS",
    "claim_status",
    "claim_details",
    "c12_status",
    "sweep_grid",
    "prestrike_module",
]

CLAIMS = tuple(f"C{i}" for i in range(1, 13))
REFUTED, QUALIFIED, CONFIRMED = 0, 1, 2
#: The code of a point whose priors sum above one.
INVALID = -1
STATUS_NAMES = ("refuted", "qualified", "confirmed")
#: Grid points along each parameter's stated range.
N_GRID = 41
#: Iran's restraints per claim: "the larger X, the less Iran escalates" on the path.
RESTRAINTS = {
    "C6": ("deterrence_erosion",),
    "C7": ("iran_overstretch", "pakistan_superiority"),
    "C8": ("china_mediation", "china_leverage"),
    "C9": ("us_pressure_on_iran",),
}
#: The sweeps every point needs: label -> parameters moved together over their ranges.
SWEEPS: dict[str, tuple[str, ...]] = {
    "precedent_loss": ("precedent_loss",),
    "india_emboldening": ("india_emboldening",),
    "india_second_front": ("india_second_front",),
    "india_ray": ("india_emboldening", "india_second_front"),
    **{name: (name,) for names in RESTRAINTS.values() for name in names},
    "us_ct_stake": ("us_ct_stake",),
}
_MEASURES = ("choice", "counter", "p_escalate", "retaliation_margin", "p_escalate/calibrated", "p_escalate/direct")
_CHUNK = 2048
_P_TOL = 1e-12


def sweep_grid(name: str, exact: bool, n: int = N_GRID) -> np.ndarray:
    """``n`` evenly spaced values over parameter ``name``'s range (Fractions when ``exact``)."""
    p = PARAMETERS[name]
    if exact:
        lo, hi = Fraction(p.low), Fraction(p.high)
        return np.array([lo + (hi - lo) * Fraction(k, n - 1) for k in range(n)], dtype=object)
    return np.linspace(float(p.low), float(p.high), n)


def _is_exact(points: Mapping[str, Any]) -> bool:
    for x in points.values():
        a = np.asarray(x)
        if a.dtype != object and not np.issubdtype(a.dtype, np.integer) and a.dtype != bool:
            return False
        if a.dtype == object and any(isinstance(y, float) for y in a.ravel()):
            return False
    return True


def _arrays(points: Mapping[str, Any]) -> tuple[dict[str, np.ndarray], bool, int]:
    exact = _is_exact(points)
    arrays = {k: np.atleast_1d(np.asarray(x, dtype=object if exact else np.float64)) for k, x in points.items()}
    size = max(len(a) for a in arrays.values())
    return {k: np.broadcast_to(a, (size,)).copy() for k, a in arrays.items()}, exact, size


def prestrike_module() -> Any:
    """H7's :mod:`games.iran_pakistan.prestrike` if it exists with ``strike_status``, else None."""
    import importlib

    try:
        prestrike = importlib.import_module("games.iran_pakistan.prestrike")
    except ModuleNotFoundError as error:
        if error.name != "games.iran_pakistan.prestrike":
            raise
        return None
    return prestrike if hasattr(prestrike, "strike_status") else None


def _monotone_code(values: np.ndarray, sign: int, tol: float) -> np.ndarray:
    """Per row: 2 if moving in direction ``sign`` somewhere and never against it, 1 if flat, 0 otherwise."""
    steps = np.diff(values.astype(np.float64), axis=1) * sign
    against = (steps < -tol).any(axis=1)
    along = (steps > tol).any(axis=1)
    return np.where(against, REFUTED, np.where(along, CONFIRMED, QUALIFIED))


def _greater(a: np.ndarray, b: np.ndarray, exact: bool) -> np.ndarray:
    if exact:
        return np.asarray(a - b > 0, dtype=bool)
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    return a - b > 1e-9 * scale


def claim_status(points: Mapping[str, Any], prestrike: bool = True) -> dict[str, np.ndarray]:
    """Status code (0 refuted, 1 qualified, 2 confirmed) of every claim at ``B`` points.

    Parameters
    ----------
    points : dict
        Every parameter: a scalar or a 1-D array of length ``B`` (floats, or
        ints/Fractions for exact arithmetic).
    prestrike : bool
        Solve the pre-strike game for C12 (the slowest check); without it C12 is 1.

    Returns
    -------
    dict
        ``"C1"`` ... ``"C12"`` -> int8 arrays of length ``B`` (-1 where the priors sum above one).
    """
    arrays, _, size = _arrays(points)
    parts = []
    for start in range(0, size, _CHUNK):
        chunk = {k: a[start : start + _CHUNK] for k, a in arrays.items()}
        details = claim_details(chunk, prestrike=prestrike)
        parts.append({c: details[f"code/{c}"] for c in CLAIMS})
    return {c: np.concatenate([p[c] for p in parts]).astype(np.int8) for c in CLAIMS}


def _expand(v: dict[str, np.ndarray], size: int, exact: bool) -> dict[str, np.ndarray]:
    """The points, then for each sweep ``size * N_GRID`` copies with the swept parameters on the grid."""
    out = {}
    grids = {name: sweep_grid(name, exact) for names in SWEEPS.values() for name in names}
    total = size * (1 + len(SWEEPS) * N_GRID)
    for name, base in v.items():
        column = np.empty(total, dtype=base.dtype)
        column[:size] = base
        for i, moved in enumerate(SWEEPS.values()):
            block = column[size + i * size * N_GRID : size + (i + 1) * size * N_GRID].reshape(size, N_GRID)
            block[...] = grids[name][None, :] if name in moved else base[:, None]
        out[name] = column
    return out


def c12_status(points: Mapping[str, Any]) -> np.ndarray:
    """C12's codes alone (:func:`games.iran_pakistan.prestrike.strike_status`; 1 while it is missing)."""
    module = prestrike_module()
    v, _, size = _arrays(points)
    if module is None:
        return np.full(size, QUALIFIED, dtype=np.int8)
    return np.asarray(module.strike_status(v), dtype=np.int8)


def claim_details(points: Mapping[str, Any], prestrike: bool = True) -> dict[str, np.ndarray]:
    """The codes of :func:`claim_status` with the arrays they come from (one chunk, no splitting).

    Keys: ``code/<claim>``; ``base/<key>`` (:func:`solve_continuation` at the
    points); ``sweep/<label>/<measure>`` of shape ``(B, N_GRID)`` for each
    :data:`SWEEPS` label and measure ``choice``, ``counter``, ``p_escalate`` (on the path),
    ``retaliation_margin``, ``p_escalate/calibrated``, ``p_escalate/direct``;
    ``vertex/<type>`` (Pakistan's choice if sure of the type); the intermediate
    tests ``c1/switch_index`` (first retaliating grid index after an absorbing
    one, -1 if none), ``c3/*``, ``c4/*``, ``restraint/<parameter>``, ``c8/b``,
    ``c9/b``; ``c12/pending`` (True while the pre-strike module is missing).
    """
    v, exact, size = _arrays(points)
    tol = 0.0 if exact else 1e-9
    solved = solve_continuation(_expand(v, size, exact))
    out: dict[str, np.ndarray] = {f"base/{k}": a[:size] for k, a in solved.items()}
    for i, label in enumerate(SWEEPS):
        lo, hi = size + i * size * N_GRID, size + (i + 1) * size * N_GRID
        for m in _MEASURES:
            out[f"sweep/{label}/{m}"] = solved[m][lo:hi].reshape(size, N_GRID)
    for t in TYPE_KEYS:
        out[f"vertex/{t}"] = solve_continuation(v, belief={t: 1})["choice"]
    codes: dict[str, np.ndarray] = {}
    choice, p_path = out["base/choice"], out["base/p_escalate"].astype(np.float64)
    margin = out["base/retaliation_margin"]

    # C1: a switch absorb -> retaliate along precedent_loss, and the escalation horn at it.
    ch, p = out["sweep/precedent_loss/choice"], out["sweep/precedent_loss/p_escalate"].astype(np.float64)
    absorbed_before = np.zeros_like(ch, dtype=bool)
    absorbed_before[:, 1:] = np.maximum.accumulate(ch == 0, axis=1)[:, :-1]
    switch = (ch != 0) & absorbed_before
    has_switch = switch.any(axis=1)
    index = np.where(has_switch, np.argmax(switch, axis=1), -1)
    horn = has_switch & (p[np.arange(size), np.maximum(index, 0)] > _P_TOL)
    out["c1/switch_index"] = index
    codes["C1"] = np.where(horn, CONFIRMED, np.where(has_switch, QUALIFIED, REFUTED))

    # C2: retaliation under the prior; an exact tie with absorbing is qualified.
    tie = ~_greater(margin, np.zeros(size, dtype=margin.dtype), exact) & ~_greater(
        np.zeros(size, dtype=margin.dtype), margin, exact
    )
    out["c2/tie"] = tie & (choice == 0)
    codes["C2"] = np.where(choice != 0, CONFIRMED, np.where(out["c2/tie"], QUALIFIED, REFUTED))

    # C3: calibrated chosen, direct invites more escalation, and direct's stand-down upside is real.
    pay = outcome_payoffs(v)
    upside = _greater(pay["direct/stand_down"][0], pay["calibrated/stand_down"][0], exact)
    pk = out["base/p_escalate/calibrated"].astype(np.float64)
    px = out["base/p_escalate/direct"].astype(np.float64)
    more, less = px > pk + _P_TOL, px < pk - _P_TOL
    out["c3/direct_upside"], out["c3/direct_invites_more"] = upside, more
    cal = choice == 1
    codes["C3"] = np.select(
        [choice == 2, cal & less, cal & more & upside, cal, choice == 0],
        [REFUTED, REFUTED, CONFIRMED, QUALIFIED, QUALIFIED],
    )

    # C4: emboldening raises the margin, a second front lowers it.
    emb = _monotone_code(out["sweep/india_emboldening/retaliation_margin"], +1, tol)
    front = _monotone_code(out["sweep/india_second_front/retaliation_margin"], -1, tol)
    out["c4/emboldening"], out["c4/second_front"] = emb, front
    wrong = (emb == REFUTED) | (front == REFUTED)
    codes["C4"] = np.select(
        [wrong, (emb == QUALIFIED) & (front == QUALIFIED), (emb == CONFIRMED) & (front == CONFIRMED)],
        [REFUTED, REFUTED, CONFIRMED],
        QUALIFIED,
    )

    # C5: the broadening type escalates after Pakistan's equilibrium strike.
    after_k, after_x = out["base/escalates/calibrated/broaden"], out["base/escalates/direct/broaden"]
    on_path = ((choice == 1) & after_k) | ((choice == 2) & after_x)
    codes["C5"] = np.where(on_path, CONFIRMED, np.where(after_k | after_x, QUALIFIED, REFUTED))

    # C6-C9(a): p_path along each restraint.
    for claim, names in RESTRAINTS.items():
        code = np.full(size, CONFIRMED)
        for name in names:
            out[f"restraint/{name}"] = _monotone_code(out[f"sweep/{name}/p_escalate"], -1, _P_TOL)
            code = np.minimum(code, out[f"restraint/{name}"])
        codes[claim] = code
    top = out["sweep/china_mediation/retaliation_margin"][:, -1]
    out["c8/b"] = _greater(top, margin, exact)
    a8 = codes["C8"]
    codes["C8"] = np.where(a8 == REFUTED, REFUTED, np.where((a8 == CONFIRMED) & out["c8/b"], CONFIRMED, QUALIFIED))
    stake = out["sweep/us_ct_stake/p_escalate"].astype(np.float64)
    out["c9/b"] = np.asarray(~(np.diff(stake, axis=1) > _P_TOL).any(axis=1))
    a9 = codes["C9"]
    codes["C9"] = np.where(
        (a9 == CONFIRMED) & out["c9/b"], CONFIRMED, np.where((a9 == REFUTED) & ~out["c9/b"], REFUTED, QUALIFIED)
    )

    # C10: two vertices of the belief simplex with different responses.
    vertices = np.stack([out[f"vertex/{t}"] for t in TYPE_KEYS])
    codes["C10"] = np.where((vertices != vertices[0]).any(axis=0), CONFIRMED, REFUTED)

    # C11: a calibrated strike followed by Iranian restraint on the path.
    codes["C11"] = np.where(cal & (p_path <= _P_TOL), CONFIRMED, np.where(cal & (p_path < 0.5), QUALIFIED, REFUTED))

    # C12: the two-sided pre-strike game (H7's module).
    module = prestrike_module()
    out["c12/pending"] = np.full(size, module is None)
    codes["C12"] = c12_status(v) if prestrike else np.full(size, QUALIFIED)
    invalid = np.asarray(v["prior_broaden"] + v["prior_coerce"] > 1, dtype=bool)
    if not exact:
        invalid &= np.asarray(v["prior_broaden"] + v["prior_coerce"] - 1 > 1e-12, dtype=bool)
    for claim in CLAIMS:
        out[f"code/{claim}"] = np.where(invalid, INVALID, np.asarray(codes[claim], dtype=np.int8)).astype(np.int8)
    return out
