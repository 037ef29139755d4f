"""The figures of the Iran-Pakistan report, drawn and saved as PNG and SVG.

:func:`draw_figures` computes and draws, at one calibration,

* ``game_tree``: the sequential form as a tree with its subgame-perfect path in colour (Graphviz
  when ``dot`` is installed, else :func:`deterrence.plotting.tree.draw_tree`);
* ``belief_simplex``: Pakistan's best response over its belief about Iran's motive (C10);
* ``regime_china``, ``regime_united_states``, ``regime_india``: the equilibrium outcome over
  two parameters of each third party (C8, C9, C4), with the analytic C1 boundary;
* ``tornado``: one-at-a-time swings of Pakistan's retaliation margin and of the probability that
  Iran escalates over the third-party parameters;
* ``sobol``: Sobol' indices of the same two measures over the same parameters (random draws
  from the report's seed, :data:`SOBOL_SEED` by default, recorded in the figure's sidecar);
* ``robustness`` (when the audit's robustness sample was drawn): the claims by the share of the
  uniform and +-50% boxes where they hold, with the deciding parameters
  (:func:`games.iran_pakistan.robustness.robustness_figure`).

Every figure has a title, axis labels that say what each axis means and in which unit (from
the parameters' ``meaning`` and ``unit``) and its legend outside the data.  Files are written
atomically; SVG ids are salted with a constant so that a rerun writes the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deterrence.io.atomic import atomic_write
from games.iran_pakistan import figures as fig

__all__ = ["MEASURES", "SOBOL_SEED", "ReportFigure", "draw_figures", "robustness_files", "save_figure"]

#: Seed of the Sobol' design (the date of Iran's strike, 16 January 2024).
SOBOL_SEED = 20240116
#: The two measures of the tornado and Sobol' charts: ``key: (meaning, unit)``.
MEASURES = {
    "retaliation_margin": ("Pakistan's retaliation margin: its best strike's payoff minus absorbing's", "payoff units"),
    "p_escalate": ("probability that Iran escalates on the equilibrium path", "probability"),
}


@dataclass(eq=False)
class ReportFigure:
    """One figure of the report: where its files are, what it shows, the data behind it."""

    stem: str
    title: str
    caption: str
    claims: str
    files: tuple[Path, ...]
    data: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None


def save_figure(figure: Any, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write ``figure`` as ``folder/stem.png`` (150 dpi) and ``folder/stem.svg``; return both paths."""
    import matplotlib

    paths = []
    figure.canvas.draw()  # lay the figure out once; both formats then reuse the positions
    figure.set_layout_engine("none")
    for ext in ("png", "svg"):
        buffer = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": "deterrence", "svg.fonttype": "path"}):
            figure.savefig(buffer, format=ext, dpi=150, metadata={"Date": None} if ext == "svg" else None)
        path = folder / f"{stem}.{ext}"
        atomic_write(path, buffer.getvalue())
        paths.append(path)
    return paths[0], paths[1]


def _tree(v: dict[str, Any], folder: Path) -> ReportFigure:
    import deterrence
    from deterrence.forms.extensive_form import Decision
    from deterrence.io.dot import tree_dot
    from deterrence.plotting.tree import draw_tree, highlight_dot, render_dot
    from games.iran_pakistan.forms import sequential_game

    game = sequential_game(v)
    result = deterrence.solve(game, "spe")
    path: list[int] = []
    node: Any = game.root
    eq = result.equilibria[0] if result.equilibria else None
    while eq is not None and isinstance(node, Decision):  # the path of the pure equilibrium, root to leaf
        mix = eq.strategies[node.player][node.infoset]
        k = max(range(len(node.actions)), key=lambda a: mix[node.actions[a]])
        path.append(k)
        node = node.children[k]
    title = "The sequential form: Pakistan answers Iran's strike; the subgame-perfect path in colour"
    dot = highlight_dot(tree_dot(game), game.root, path)
    svg, png = render_dot(dot, "svg"), render_dot(dot, "png")
    if svg is not None and png is not None:
        files = (folder / "game_tree.png", folder / "game_tree.svg")
        atomic_write(files[0], png)
        atomic_write(files[1], svg)
        drawn = "Graphviz"
    else:
        figure, ax = fig.new_axes((10.0, 5.5))
        draw_tree(game, ax, path=path, title=title)
        files = save_figure(figure, folder, "game_tree")
        drawn = "matplotlib"
    caption = (
        f"{title} (drawn by {drawn}). Boxes are outcomes with payoffs (Pakistan, Iran) in payoff units; "
        "edges are moves."
    )
    return ReportFigure("game_tree", title, caption, "C1, C3, C11", files, {"path": path, "drawn_by": drawn})


def _map(v: dict[str, Any], folder: Path, stem: str, title: str, claims: str, grid: Any) -> ReportFigure:
    figure, ax = fig.new_axes((10.0, 5.2))
    fig.plot_map(grid, ax, baseline=v, title=title)
    files = save_figure(figure, folder, stem)
    caption = (
        f"{title}. Colours and hatches are outcomes; the dashed line is the analytic C1 threshold where its "
        f"premise holds ({grid.agreement:.0%} agreement with the solver there); the star is the calibration."
    )
    return ReportFigure(stem, title, caption, claims, files, grid.summary)


def _tornado(v: dict[str, Any], folder: Path, n: int) -> ReportFigure:
    figure, axes = fig.new_axes((13.0, 6.0), ncols=2)
    data = {}
    for ax, (measure, (meaning, unit)) in zip(axes, MEASURES.items(), strict=True):
        s = fig.swings(v, measure=measure, n=n)
        data[measure] = s
        fig.plot_swings(s, ax, label=meaning, unit=unit, title=meaning[0].upper() + meaning[1:].split(":")[0])
    title = "One-at-a-time swings over the third-party parameters (each over its range, the rest at the calibration)"
    figure.suptitle(title, fontsize=11)
    files = save_figure(figure, folder, "tornado")
    caption = f"{title}; tick labels give each parameter's range."
    return ReportFigure("tornado", title, caption, "C4, C8, C9", files, data)


def _sobol(v: dict[str, Any], folder: Path, n: int, seed: int = SOBOL_SEED) -> ReportFigure:
    from deterrence.plotting.figures import sobol_bars

    figure, axes = fig.new_axes((13.0, 5.8), ncols=2)
    data: dict[str, Any] = {}
    for ax, (measure, (meaning, unit)) in zip(axes, MEASURES.items(), strict=True):
        res = fig.sobol_indices(v, measure, n=n, seed=seed)
        name = meaning[0].upper() + meaning[1:].split(":")[0]
        if res is None:
            data[measure] = None
            ax.set_axis_off()
            ax.set_title(name, fontsize=10)
            ax.text(
                0.5, 0.5, "constant over these ranges:\nno variance to share out", ha="center", transform=ax.transAxes
            )
            continue
        data[measure] = {
            "names": res.names,
            "first": res.first,
            "total": res.total,
            "first_ci": res.first_ci,
            "total_ci": res.total_ci,
            "n": res.n,
        }
        label = textwrap.fill(f"Sobol' index: share of the variance of the {measure} ({unit})", 42)
        sobol_bars(res, ax, title=name, ylabel=label)
    title = f"Sobol' indices over the third-party parameters (uniform on their ranges, {n} base samples)"
    figure.suptitle(title, fontsize=11)
    files = save_figure(figure, folder, "sobol")
    caption = (
        f"{title}: first-order (alone) and total (with interactions) shares of each measure's variance, "
        f"with 95% bootstrap intervals; seed {seed}."
    )
    return ReportFigure("sobol", title, caption, "C4, C8, C9", files, data, seed=seed)


def robustness_files(result: Any, folder: Path) -> ReportFigure:
    """The robustness figure of the audit (:func:`~games.iran_pakistan.robustness.robustness_figure`), PNG and SVG."""
    from games.iran_pakistan.robustness import robustness_figure

    files = tuple(robustness_figure(result, folder / f"robustness.{ext}") for ext in ("png", "svg"))
    title = "Robustness of the claims: share of the parameter boxes where each holds"
    caption = (
        f"{title} (uniform over the stated ranges, and within +-50% of the calibration; {result.n} scrambled "
        f"Sobol' points x 2 per box, seed {result.seed}; bars: light held, dark confirmed, whiskers 95% Wilson "
        "intervals); beside each bar the parameters with the largest total Sobol' indices of the claim's status."
    )
    data = {claim: {box: row["share_held"] for box, row in rows.items()} for claim, rows in result.rows.items()}
    return ReportFigure("robustness", title, caption, "C1-C12", files, {"share_held": data}, seed=result.seed)


def draw_figures(
    v: dict[str, Any],
    folder: Path,
    n: int,
    *,
    sobol_n: int = 512,
    tick: Callable[[str], None] | None = None,
    seed: int = SOBOL_SEED,
    robust: Any = None,
) -> list[ReportFigure]:
    """Compute, draw and save every figure of the report under ``folder``; ``tick(stage)`` after each.

    ``robust`` (a :class:`~games.iran_pakistan.robustness.Robustness`, or None to leave it out)
    adds the robustness figure; ``seed`` seeds the Sobol' chart.
    """
    tick = tick or (lambda stage: None)
    out = [_tree(v, folder)]
    tick("tree")
    belief = fig.belief_map(v, n)
    out.append(
        _map(
            v, folder, "belief_simplex", "C10: Pakistan's best response over its prior on Iran's motive", "C10", belief
        )
    )
    claims = {"China": "C8", "United States": "C9", "India": "C4"}
    for actor, claim in claims.items():
        pair = fig.actor_pair(actor)
        if pair is None:
            continue
        whose = "the United States'" if actor == "United States" else f"{actor}'s"
        title = f"{claim}: the equilibrium outcome over {whose} parameters (the rest at the calibration)"
        stem = "regime_" + actor.lower().replace(" ", "_")
        out.append(_map(v, folder, stem, title, claim, fig.outcome_map(v, pair[0], pair[1], n)))
    tick("maps")
    out.append(_tornado(v, folder, max(11, n // 3)))
    tick("tornado")
    out.append(_sobol(v, folder, sobol_n, seed))
    if robust is not None:
        out.append(robustness_files(robust, folder))
    tick("sobol")
    return out
