"""How robust is each claim's verdict?  Shares over the parameter box and Sobol' indices.

``deterrence audit --robustness N`` runs the claim checks far from the
calibration.  It samples two boxes:

* ``uniform``: every parameter uniform over its stated range;
* ``local``: every parameter within +-50% of the calibration, cut to its
  range.  A parameter calibrated at 0 stays fixed there.

Each box is sampled with scrambled, seeded Sobol' points
(:class:`scipy.stats.qmc.Sobol`).  Saltelli's matrices ``A`` and ``B`` are two
independently scrambled ``d``-dimensional designs of ``N`` points, where ``d``
counts the parameters that vary.  ``AB_i`` is ``A`` with column ``i`` taken
from ``B``.  The status function is evaluated on ``A``, ``B`` and every
``AB_i``: ``N (d + 2)`` points per box (about 4,000 claim evaluations a second
on one core).

The rows of ``B`` are put in a seeded random order, so that row ``k`` of ``A``
and row ``k`` of ``B`` are independent.  A status with thresholds needs this.
Two scrambled Sobol' sequences taken in order agree (or disagree) in their
leading binary digit at every row.  The halves of one ``2d``-dimensional
design, which scipy uses, pair coordinates ``j`` and ``d + j`` badly at small
``N``.  Either way, an input that alone decides the status can get a total
index of 0 or 4/3 instead of 1.

The two priors must satisfy ``prior_broaden + prior_coerce <= 1``.  In the
uniform box they are mapped from the unit square onto the simplex with the
engine's sequential map (:func:`deterrence.sweeps.simplex.to_simplex`):
``prior_broaden`` is uniform on [0, 1], and ``prior_coerce`` is uniform on
what is left, ``[0, 1 - prior_broaden]``.  The inputs stay independent, so
Sobol' indices are well defined on them.  The index shown for
``prior_coerce`` is that of its *share* of the room left by
``prior_broaden``.  The local box lies inside the simplex, where the map is
the identity.

Per claim and box, from the status codes (0 refuted, 1 qualified,
2 confirmed):

* ``share_confirmed`` and ``share_held`` (confirmed or qualified), over the
  ``2N`` points of ``A`` and ``B``, with 95% Wilson intervals
  (:meth:`scipy.stats.binomtest(...).proportion_ci`).  The interval treats
  the points as independent draws; for scrambled Sobol' points the true
  spread is usually smaller;
* ``sobol``: the first-order and total Sobol' indices of the status code
  (:func:`scipy.stats.sobol_indices`, Saltelli 2010 and Jansen 1999
  estimators) on every varied input;
* ``deciding``: the (at most) three inputs with the largest positive total
  index.  It is empty when the status is the same at every point: the
  indices are then 0 and ``constant`` is True.

The status function is ``claim_status(points) -> {claim: int array}``
(:func:`games.iran_pakistan.claim_status.claim_status`).  It is evaluated in
fixed-size chunks, in order.  Serial and parallel runs (``executor``)
therefore give the same numbers for the same seed.

References
----------
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output.
Computer Physics Communications 181, 259-270.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
inference. JASA 22, 209-212.

Examples
--------
A toy status that depends on one parameter only: ``precedent_loss`` alone
decides it, and its share of "confirmed" is the share of the range above 5.

>>> def toy(points):
...     return {"T": np.where(points["precedent_loss"] > 5, 2, 0)}
>>> r = robustness(toy, n=256, seed=1, boxes=("uniform",))
>>> row = r.rows["T"]["uniform"]
>>> row["deciding"], round(row["share_confirmed"], 2)
(['precedent_loss'], 0.75)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from deterrence.errors import DeterrenceError
from games.iran_pakistan.parameters import PARAMETERS

__all__ = [
    "BOXES",
    "MAX_N",
    "MIN_N",
    "PRIORS",
    "Robustness",
    "box_bounds",
    "check_n",
    "default_status",
    "robustness",
    "robustness_figure",
    "robustness_table",
    "run_audit_robustness",
    "attach",
    "chunk_count",
]

#: The two boxes, in the order they are reported.
BOXES = ("uniform", "local")
#: The simplex group of Pakistan's priors (first member first).
PRIORS = ("prior_broaden", "prior_coerce")
#: Largest ``N`` accepted: about 2 x N x 33 status evaluations.
MAX_N = 4096
#: Smallest ``N``: fewer points give Sobol' indices dominated by noise.
MIN_N = 16
#: Points per chunk handed to the status function (fixed, so results do not depend on the executor).
CHUNK = 2048
#: Share of the calibration each parameter may move in the local box.
LOCAL_SPAN = 0.5
#: Confidence level of the share intervals.
CONFIDENCE = 0.95

Status = Callable[[Mapping[str, np.ndarray]], Mapping[str, Any]]


def check_n(n: Any) -> int:
    """Validate ``N``: a power of two in ``[MIN_N, MAX_N]``; otherwise a one-line DeterrenceError.

    Examples
    --------
    >>> check_n(512)
    512
    >>> check_n(300)
    Traceback (most recent call last):
    ...
    deterrence.errors.DeterrenceError: --robustness must be a power of two (Sobol' balance): try 256 or 512, not 300
    """
    try:
        value = int(str(n))
    except ValueError:
        raise DeterrenceError(f"--robustness must be a whole number, got {n!r}") from None
    if value > MAX_N:
        raise DeterrenceError(
            f"--robustness {value} is above the limit {MAX_N} "
            f"(about {2 * value * (len(PARAMETERS) + 2):,} claim evaluations); use --robustness {MAX_N} or less"
        )
    if value < MIN_N:
        raise DeterrenceError(f"--robustness must be at least {MIN_N}, got {value}")
    if value & (value - 1):
        low = 1 << (value.bit_length() - 1)
        raise DeterrenceError(
            f"--robustness must be a power of two (Sobol' balance): try {low} or {2 * low}, not {value}"
        )
    return value


def box_bounds(kind: str, calibration: Mapping[str, Any] | None = None) -> dict[str, tuple[float, float]]:
    """The ``(low, high)`` of every parameter in box ``kind`` ("uniform" or "local").

    Examples
    --------
    >>> b = box_bounds("local")
    >>> b["precedent_loss"], b["escalation_value_ct"], b["restoration_direct"]
    ((2.0, 6.0), (0.0, 0.0), (0.5, 1.0))
    """
    if kind not in BOXES:
        raise DeterrenceError(f"unknown box {kind!r}; choose from {', '.join(BOXES)}")
    point = PARAMETERS.point(dict(calibration or {}))
    out = {}
    for p in PARAMETERS:
        low, high = float(p.low), float(p.high)
        if kind == "local":
            x = float(point[p.name])
            low, high = max(low, x - LOCAL_SPAN * abs(x)), min(high, x + LOCAL_SPAN * abs(x))
        out[p.name] = (low, high)
    return out


def _to_points(
    unit: np.ndarray, varied: Sequence[str], bounds: Mapping[str, tuple[float, float]]
) -> dict[str, np.ndarray]:
    """Unit-cube rows -> full parameter points (fixed parameters at their box value), priors on the simplex."""
    from deterrence.sweeps.simplex import simplex_groups, to_simplex

    size = unit.shape[0]
    points = {name: np.full(size, bounds[name][0]) for name in bounds}
    for j, name in enumerate(varied):
        low, high = bounds[name]
        points[name] = low + unit[:, j] * (high - low)
    varied_priors = {n: bounds[n] for n in PRIORS if n in varied}
    if varied_priors:
        groups = simplex_groups([PRIORS], varied_priors, {n: bounds[n][0] for n in PRIORS})
        points.update(to_simplex({n: points[n] for n in varied_priors}, groups))
    return points


def _evaluate_chunk(status: Status, unit: np.ndarray, varied: tuple[str, ...], bounds: dict) -> dict[str, np.ndarray]:
    """Status codes at a chunk of unit-cube points (a top-level function, so that it pickles)."""
    out = status(_to_points(unit, varied, bounds))
    return {claim: np.asarray(codes, dtype=np.int8).reshape(-1) for claim, codes in out.items()}


def default_status() -> Status:
    """The case's status function, :func:`games.iran_pakistan.claims.claim_status`."""
    from games.iran_pakistan.claim_status import claim_status

    return claim_status


@dataclass
class Robustness:
    """The result of :func:`robustness`: ``rows[claim][box]`` as described in the module docstring."""

    n: int
    seed: int
    rows: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    boxes: dict[str, dict[str, list[float]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"n", "seed", "boxes", "claims": {claim: {box: row}}}``."""
        return {"n": self.n, "seed": self.seed, "boxes": self.boxes, "claims": self.rows}


def _interval(k: int, total: int) -> list[float]:
    from scipy.stats import binomtest

    ci = binomtest(int(k), int(total)).proportion_ci(confidence_level=CONFIDENCE, method="wilson")
    return [float(ci.low), float(ci.high)]


def _summarise(
    f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray, varied: tuple[str, ...], n: int, seed: int
) -> dict[str, Any]:
    """One claim in one box: shares with intervals, Sobol' indices and the deciding inputs."""
    from scipy.stats import sobol_indices

    codes = np.concatenate([f_a, f_b])
    total = codes.size
    confirmed, held = int((codes == 2).sum()), int((codes >= 1).sum())
    row: dict[str, Any] = {
        "n": n,
        "seed": seed,
        "points": total,
        "share_confirmed": confirmed / total,
        "ci_confirmed": _interval(confirmed, total),
        "share_held": held / total,
        "ci_held": _interval(held, total),
    }
    constant = bool(np.all(codes == codes[0]) and np.all(f_ab == codes[0]))
    if constant or not varied:
        first = total_index = np.zeros(len(varied))
    else:
        found = sobol_indices(
            func={"f_A": f_a[None, :].astype(float), "f_B": f_b[None, :].astype(float), "f_AB": f_ab[:, None, :]},
            n=n,
        )
        first, total_index = np.atleast_1d(found.first_order), np.atleast_1d(found.total_order)
    row["sobol"] = {
        "first": {name: float(x) for name, x in zip(varied, first, strict=True)},
        "total": {name: float(x) for name, x in zip(varied, total_index, strict=True)},
    }
    order = sorted(range(len(varied)), key=lambda j: (-total_index[j], j))
    row["deciding"] = [varied[j] for j in order[:3] if total_index[j] > 0]
    row["constant"] = constant
    return row


def robustness(
    status: Status | None = None,
    n: int = 256,
    seed: int = 0,
    *,
    calibration: Mapping[str, Any] | None = None,
    boxes: Sequence[str] = BOXES,
    executor: Any = None,
    progress: Any = None,
) -> Robustness:
    """Shares of points where each claim holds, and the Sobol' indices of its status, per box.

    Parameters
    ----------
    status : callable, optional
        ``status(points) -> {claim: int array}``; default :func:`default_status`.
    n : int
        Base sample size ``N`` (a power of two); ``N (d + 2)`` evaluations per box.
    seed : int
        Seed of the scrambling; the same seed gives the same numbers.
    calibration : mapping, optional
        Centre of the local box (default: the baseline).
    boxes : sequence of str
        Which of :data:`BOXES` to sample.
    executor : concurrent.futures.Executor, optional
        Runs the chunks (``map`` keeps their order); serial when None.
    progress : object with ``update(k)``, optional
        Advanced by one per chunk.

    Returns
    -------
    Robustness
    """
    from scipy.stats import qmc

    status = status or default_status()
    result = Robustness(n=int(n), seed=int(seed))
    for box_index, kind in enumerate(boxes):
        bounds = box_bounds(kind, calibration)
        varied = tuple(name for name, (low, high) in bounds.items() if high > low)
        d = len(varied)
        # A and B: two independently scrambled Sobol' designs, B's rows in a seeded random order.
        rng = np.random.default_rng([int(seed), box_index])
        a = qmc.Sobol(d, scramble=True, seed=rng).random(n)
        b = qmc.Sobol(d, scramble=True, seed=rng).random(n)[rng.permutation(n)]
        blocks = [a, b]
        for i in range(d):
            ab = a.copy()
            ab[:, i] = b[:, i]
            blocks.append(ab)
        unit = np.concatenate(blocks)
        chunks = [unit[k : k + CHUNK] for k in range(0, len(unit), CHUNK)]
        mapper = executor.map if executor is not None else map
        parts = []
        for part in mapper(_evaluate_chunk, *zip(*[(status, c, varied, bounds) for c in chunks], strict=True)):
            parts.append(part)
            if progress is not None:
                progress.update(1)
        claims = list(parts[0])
        result.boxes[kind] = {name: [bounds[name][0], bounds[name][1]] for name in varied}
        for claim in claims:
            codes = np.concatenate([p[claim] for p in parts])
            f_a, f_b = codes[:n], codes[n : 2 * n]
            f_ab = codes[2 * n :].reshape(d, n).astype(float)
            result.rows.setdefault(claim, {})[kind] = _summarise(f_a, f_b, f_ab, varied, n, seed)
    return result


def chunk_count(n: int, boxes: Sequence[str] = BOXES, calibration: Mapping[str, Any] | None = None) -> int:
    """How many chunks :func:`robustness` evaluates (the length of its progress bar)."""
    total = 0
    for kind in boxes:
        d = sum(1 for low, high in box_bounds(kind, calibration).values() if high > low)
        total += -(-n * (d + 2) // CHUNK)
    return total


def run_audit_robustness(args: Any, calibration: Mapping[str, Any]) -> Robustness:
    """What ``deterrence audit --robustness N [--seed S] [-j J]`` runs, with a progress bar on stderr."""
    from deterrence.progress import progress_bar
    from deterrence.sweeps.executors import executor

    n = check_n(args.robustness)
    seed = 0 if args.seed is None else int(args.seed)
    jobs = None
    if args.jobs is not None:
        from deterrence.cli.study import count

        jobs = count(args.jobs, "-j/--jobs")
    with executor(jobs) as pool, progress_bar(chunk_count(n, BOXES, calibration), "robustness") as bar:
        return robustness(default_status(), n, seed, calibration=calibration, executor=pool, progress=bar)


def attach(rows: Sequence[dict[str, Any]], result: Robustness) -> list[dict[str, Any]]:
    """Audit rows (their ``to_dict()``) with ``"robustness": {"uniform": {...}, "local": {...}}`` added."""
    return [{**row, "robustness": result.rows.get(row["claim"], {})} for row in rows]


def robustness_table(result: Robustness) -> str:
    """A compact terminal table: per claim and box the shares confirmed and held, then the deciding inputs."""
    from deterrence.io.tables import text_table

    def share(row: dict[str, Any], key: str) -> str:
        low, high = row[f"ci_{key}"]
        return f"{row[f'share_{key}']:.0%} [{low:.0%}-{high:.0%}]"

    kinds = [k for k in BOXES if any(k in r for r in result.rows.values())]
    header = ["claim"] + [f"{kind} {what}" for kind in kinds for what in ("confirmed", "held")]
    body, deciding = [], []
    for claim, by_box in result.rows.items():
        body.append([claim] + [share(by_box[kind], what) for kind in kinds for what in ("confirmed", "held")])
        parts = []
        for kind in kinds:
            row = by_box[kind]
            names = "status constant" if row["constant"] else ", ".join(row["deciding"]) or "no input stands out"
            parts.append(f"{kind}: {names}")
        deciding.append(f"  {claim}: " + "; ".join(parts))
    title = (
        f"robustness over 2N = {2 * result.n} scrambled Sobol' points per box (N = {result.n} points and their "
        f"{result.n} partners, seed {result.seed}): share of points where the claim is confirmed, and held "
        "(confirmed or qualified), with 95% Wilson intervals"
    )
    lines = [title, text_table(header, body), "", "deciding parameters (largest total Sobol' indices of the status):"]
    return "\n".join(lines + deciding)


def robustness_figure(result: Robustness | Mapping[str, Any], path: str | Path) -> Path:
    """Claims by share held, per box, with intervals and the deciding parameters as text; written to ``path``.

    ``result`` is a :class:`Robustness` or its :meth:`~Robustness.to_dict`.  The format follows the
    suffix (``.png``, ``.pdf``, ``.svg``); the file is written atomically, parent directories made.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> r = robustness(lambda p: {"T": np.where(p["precedent_loss"] > 5, 2, 1)}, n=16, boxes=("uniform",))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = robustness_figure(r, pathlib.Path(tmp) / "robustness.png")
    ...     print(out.name, out.stat().st_size > 1000)
    robustness.png True
    """
    import io

    import matplotlib
    from matplotlib.figure import Figure

    from deterrence.io.atomic import atomic_write

    data = result.to_dict() if isinstance(result, Robustness) else dict(result)
    rows: dict[str, dict[str, Any]] = data["claims"]
    kinds = [k for k in BOXES if any(k in r for r in rows.values())]
    first = kinds[0]
    order = sorted(rows, key=lambda c: (rows[c][first]["share_held"], rows[c][first]["share_confirmed"]))
    colours = {"uniform": "#0072B2", "local": "#E69F00"}
    fig = Figure(figsize=(11, 0.5 * len(order) + 2.2))
    ax = fig.add_subplot(1, 1, 1)
    height = 0.8 / len(kinds)
    y = np.arange(len(order))
    for k, kind in enumerate(kinds):
        offset = ((len(kinds) - 1) / 2 - k) * height  # the first box on top
        held = [rows[c][kind]["share_held"] for c in order]
        confirmed = [rows[c][kind]["share_confirmed"] for c in order]
        ci = np.array([rows[c][kind]["ci_held"] for c in order])
        ax.barh(y + offset, held, height, color=colours[kind], alpha=0.4, label=f"{kind} box: held")
        ax.barh(y + offset, confirmed, height, color=colours[kind], label=f"{kind} box: confirmed")
        ax.errorbar(
            held, y + offset, xerr=[np.subtract(held, ci[:, 0]), np.subtract(ci[:, 1], held)], fmt="none", ecolor="k"
        )
        for j, claim in enumerate(order):
            row = rows[claim][kind]
            text = "status constant" if row.get("constant") else ", ".join(row["deciding"]) or "no input stands out"
            ax.text(1.03, y[j] + offset, f"{kind}: {text}", va="center", fontsize=7, transform=ax.get_yaxis_transform())
    ax.set_yticks(y, order)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("share of sampled points (light: held = confirmed or qualified, 95% interval; dark: confirmed)")
    fig.suptitle(
        f"Robustness of the claims (N = {data['n']} Sobol' points x 2 per box, seed {data['seed']}); "
        "right: the deciding parameters (largest total Sobol' indices)",
        fontsize=9,
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / len(order) - 0.06), ncol=4, fontsize=7, frameon=False)
    fig.subplots_adjust(left=0.05, right=0.6, bottom=0.18, top=0.9)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    kind = target.suffix.lstrip(".").lower() or "png"
    with matplotlib.rc_context({"svg.hashsalt": "deterrence"}):  # no date, fixed ids: a rerun writes the same bytes
        fig.savefig(buffer, format=kind, dpi=150, metadata={"Date": None} if kind == "svg" else None)
    atomic_write(target, buffer.getvalue())
    return target
