"""The explorer page: one self-contained HTML file (inline script and style, data embedded).

The page reads its data from a ``<script type="application/json" id="explore-data">`` element
rather than fetching ``explore.json``, so that it works when opened straight from disk
(browsers block ``fetch`` of local files).  No external asset is loaded: no font, no CDN.

Hooks a test (or a curious reader) can query in the DOM: the sliders are
``input[type=range][data-param=NAME]``; the tree's edges are ``[data-node][data-action]`` with
class ``chosen`` (the equilibrium plays the action with positive probability) and ``path``
(the edge lies on the equilibrium path); a matrix's cells are ``td.cell`` with class ``eq`` (a
pure equilibrium) or ``support``; the regime map's current cell is ``#map-current``; claim rows
are ``tr[data-claim=ID]`` whose ``.status`` cell holds the status; ``#outcome`` holds the label
and ``body[data-point]`` the current grid index.

Examples
--------
>>> page = render_page({"model": {"title": "T <b>"}, "points": []})
>>> "T &lt;b&gt;" in page and "http://" not in page and "https://" not in page
True
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

__all__ = ["embed_json", "render_page", "write_explorer"]

_STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:0.8rem;
color:#1d2330;background:#fafafa;line-height:1.35}
main{max-width:70rem;margin:0 auto}
h1{font-size:1.3rem;margin:0.2rem 0}
h2{font-size:1.05rem;margin:1rem 0 0.4rem}
.cite{font-size:0.8rem;color:#555;margin:0 0 0.6rem}
.grid{display:grid;grid-template-columns:minmax(0,1fr);gap:0.8rem}
@media (min-width:56rem){.grid{grid-template-columns:minmax(0,22rem) minmax(0,1fr)}}
section{background:#fff;border:1px solid #dde;border-radius:0.5rem;padding:0.6rem 0.8rem}
.slider{margin:0.5rem 0 0.9rem}
.slider label{display:block;font-weight:600}
.slider .value{font-variant-numeric:tabular-nums;color:#0b5cad}
.slider .meaning{display:block;font-size:0.8rem;color:#555}
.slider input{width:100%;height:2rem}
#outcome{font-size:1.05rem;font-weight:600;padding:0.4rem 0.6rem;border-radius:0.4rem;background:#eef4fb}
#note{font-size:0.8rem;color:#7a4b00}
svg{width:100%;height:auto;display:block}
svg text{font-size:13px;fill:#1d2330}
.edge{stroke:#b8bcc8;stroke-width:1.5}
.edge.chosen{stroke:#5b8fd1;stroke-width:2.5}
.edge.path{stroke:#c0392b;stroke-width:4}
.node-decision{fill:#fff;stroke:#1d2330;stroke-width:1.5}
.node-chance{fill:#f3e9c6;stroke:#1d2330}
.leaf{fill:#777}
.leaf.reached{fill:#c0392b}
.pay{font-size:12px}
.pay.reached{font-weight:700;fill:#c0392b}
.act{font-size:12px;fill:#444}
.act.path{fill:#c0392b;font-weight:700}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #dde;padding:0.3rem 0.4rem;text-align:left;vertical-align:top;font-size:0.85rem}
td.cell{text-align:center;font-variant-numeric:tabular-nums}
td.cell.eq{background:#f6c9c3;font-weight:700;outline:2px solid #c0392b}
td.cell.support{background:#dbe7f6}
.scroll{overflow-x:auto}
.map-cell{stroke:#fff;stroke-width:0.5;cursor:pointer}
#map-current{fill:none;stroke:#000;stroke-width:2.5;pointer-events:none}
.legend span{display:inline-block;margin:0.1rem 0.6rem 0.1rem 0;font-size:0.8rem}
.legend i{display:inline-block;width:0.8rem;height:0.8rem;margin-right:0.25rem;vertical-align:-0.1rem}
.status{font-weight:700;white-space:nowrap}
.status-confirmed{color:#1e7b34}.status-qualified{color:#9a6500}.status-refuted{color:#b3261e}
"""

_SCRIPT = r"""
"use strict";
const D = JSON.parse(document.getElementById("explore-data").textContent);
const P = D.parameters, L = D.levels;
const PALETTE = ["#8dd3c7","#fdb462","#bebada","#fb8072","#80b1d3","#b3de69","#fccde5","#d9d9d9",
  "#bc80bd","#ccebc5","#ffed6f","#1f78b4","#33a02c","#e31a1c","#ff7f00","#6a3d9a"];
const labels = [...new Set(D.points.map(p => p.outcome || "?"))];
const colour = l => PALETTE[labels.indexOf(l) % PALETTE.length];
let idx = P.map(p => { let best = 0; p.values.forEach((v, i) => {
  if (Math.abs(v - p.default) < Math.abs(p.values[best] - p.default)) best = i; }); return best; });
const flat = ix => ix.reduce((k, i, j) => k * L[j] + i, 0);
const fmt = v => v === null || v === undefined ? "?" : (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3)
  ? v.toExponential(2) : String(+v.toFixed(3)));
function el(tag, attrs, text, ns) {
  const e = ns ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
const SVG_NS = ["http", "://www.w3.org/2000/svg"].join("");
const svg = (tag, attrs, text) => el(tag, attrs, text, true);

function buildSliders() {
  const box = document.getElementById("sliders");
  P.forEach((p, j) => {
    const div = el("div", {class: "slider"});
    const id = "s-" + p.name;
    const label = el("label", {for: id});
    label.append(el("span", {}, p.name + " = "), el("span", {class: "value", id: "v-" + p.name}),
      el("span", {}, p.unit ? " (" + p.unit + ")" : ""));
    const input = el("input", {type: "range", id: id, min: 0, max: p.values.length - 1, step: 1,
      value: idx[j], "data-param": p.name, "aria-label": p.name});
    input.addEventListener("input", () => { idx[j] = +input.value; render(); });
    div.append(label, input, el("span", {class: "meaning"}, p.meaning +
      (p.claims.length ? " [" + p.claims.join(", ") + "]" : "")));
    box.append(div);
  });
}

function layoutTree(nodes) {
  const x = {}, y = {}; let leaf = 0, depth = 0;
  (function place(id) {
    const n = nodes[id]; depth = Math.max(depth, n.depth); y[id] = n.depth;
    if (n.kind === "terminal") { x[id] = leaf++; return; }
    n.children.forEach(place);
    x[id] = (x[n.children[0]] + x[n.children[n.children.length - 1]]) / 2;
  })(0);
  return {x, y, leaves: leaf, depth};
}

function drawTree(pt) {
  const nodes = D.tree, lay = layoutTree(nodes), dx = 92, dy = 90, pad = 30;
  const W = Math.max(lay.leaves * dx, 320), H = (lay.depth + 1) * dy + 50;
  const X = id => pad / 2 + (lay.x[id] + 0.5) * (W - pad) / lay.leaves, Y = id => 25 + lay.y[id] * dy;
  const s = svg("svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "game tree",
    style: `min-width:${Math.round(W * 0.75)}px`});
  const reached = {0: true}, gEdges = svg("g"), gNodes = svg("g");
  nodes.forEach(n => {
    if (n.kind === "terminal") return;
    const probs = n.kind === "chance" ? (pt.probs || {})[n.id] : (pt.choice || {})[n.id];
    n.children.forEach((c, k) => {
      const p = probs ? probs[k] : null, chosen = p !== null && p > 1e-12;
      if (reached[n.id] && chosen) reached[c] = true;
      let cls = "edge" + (chosen && n.kind === "decision" ? " chosen" : "") + (reached[c] ? " path" : "");
      gEdges.append(svg("line", {x1: X(n.id), y1: Y(n.id), x2: X(c), y2: Y(c), class: cls,
        "data-node": n.id, "data-action": n.actions[k]}));
      const t = n.actions[k] + (p !== null && p > 1e-12 && p < 1 - 1e-12 ? " (" + fmt(p) + ")" : "");
      const left = X(c) < X(n.id) - 1;
      gEdges.append(svg("text", {x: (X(n.id) + X(c)) / 2 + (left ? -4 : 4), y: (Y(n.id) + Y(c)) / 2,
        "text-anchor": left ? "end" : "start", class: "act" + (reached[c] ? " path" : "")}, t));
    });
  });
  nodes.forEach(n => {
    if (n.kind === "terminal") {
      const r = reached[n.id] ? " reached" : "";
      gNodes.append(svg("circle", {cx: X(n.id), cy: Y(n.id), r: 4, class: "leaf" + r, "data-leaf": n.id}));
      const pay = (pt.payoffs || {})[n.id] || [];
      D.players.forEach((pl, i) => gNodes.append(svg("text", {x: X(n.id), y: Y(n.id) + 16 + 13 * i,
        "text-anchor": "middle", class: "pay" + r}, pl.slice(0, 3) + " " + fmt(pay[i]))));
    } else if (n.kind === "chance") {
      gNodes.append(svg("rect", {x: X(n.id) - 7, y: Y(n.id) - 7, width: 14, height: 14, class: "node-chance"}));
      gNodes.append(svg("text", {x: X(n.id) + 10, y: Y(n.id) - 8}, "Nature"));
    } else {
      gNodes.append(svg("circle", {cx: X(n.id), cy: Y(n.id), r: 7, class: "node-decision"}));
      gNodes.append(svg("text", {x: X(n.id) + 10, y: Y(n.id) - 8}, n.player));
    }
  });
  s.append(gEdges, gNodes);
  return s;
}

function drawMatrix(pt) {
  const S = D.strategies, wrap = el("div", {class: "scroll"});
  if (S.length !== 2) {
    wrap.append(el("p", {}, `${S.length}-player game: ${(pt.equilibria || []).length} equilibria`));
    return wrap;
  }
  const t = el("table"), head = el("tr");
  head.append(el("th", {}, D.players[0] + " \\ " + D.players[1]));
  S[1].forEach(c => head.append(el("th", {}, c)));
  t.append(head);
  S[0].forEach((r, i) => {
    const tr = el("tr");
    tr.append(el("th", {}, r));
    S[1].forEach((c, j) => {
      let cls = "cell";
      for (const eq of pt.equilibria || []) {
        if (eq[0][i] > 1 - 1e-9 && eq[1][j] > 1 - 1e-9) cls = "cell eq";
        else if (eq[0][i] > 1e-12 && eq[1][j] > 1e-12 && cls === "cell") cls = "cell support";
      }
      const cell = (pt.payoffs || [])[i] ? pt.payoffs[i][j] : [];
      tr.append(el("td", {class: cls, "data-row": r, "data-col": c}, cell.map(fmt).join(", ")));
    });
    t.append(tr);
  });
  wrap.append(t);
  return wrap;
}

function drawMap() {
  const a = 0, b = P.length > 1 ? 1 : null, na = L[a], nb = b === null ? 1 : L[b];
  const cw = 300 / na, ch = b === null ? 40 : 240 / nb, left = 46, top = 8;
  const s = svg("svg", {viewBox: `0 0 ${left + 300 + 8} ${top + nb * ch + 40}`, role: "img",
    "aria-label": "regime map"});
  for (let i = 0; i < na; i++) for (let k = 0; k < nb; k++) {
    const ix = idx.slice(); ix[a] = i; if (b !== null) ix[b] = k;
    const pt = D.points[flat(ix)], label = pt.outcome || "?";
    const r = svg("rect", {x: left + i * cw, y: top + (nb - 1 - k) * ch, width: cw, height: ch,
      fill: colour(label), class: "map-cell", "data-i": i, "data-k": k});
    r.append(svg("title", {}, `${P[a].name}=${fmt(P[a].values[i])}` +
      (b === null ? "" : `, ${P[b].name}=${fmt(P[b].values[k])}`) + `: ${label}`));
    r.addEventListener("click", () => { idx[a] = i; if (b !== null) idx[b] = k; syncSliders(); render(); });
    s.append(r);
  }
  const cur = svg("rect", {id: "map-current", x: left + idx[a] * cw, y: top + (nb - 1 - (b === null ? 0 : idx[b])) * ch,
    width: cw, height: ch});
  s.append(cur);
  s.append(svg("text", {x: left + 150, y: top + nb * ch + 30, "text-anchor": "middle"}, P[a].name));
  s.append(svg("text", {x: left, y: top + nb * ch + 14, "text-anchor": "start"}, fmt(P[a].values[0])));
  s.append(svg("text", {x: left + 300, y: top + nb * ch + 14, "text-anchor": "end"}, fmt(P[a].values[na - 1])));
  if (b !== null) {
    s.append(svg("text", {x: 12, y: top + nb * ch / 2, transform: `rotate(-90 12 ${top + nb * ch / 2})`,
      "text-anchor": "middle"}, P[b].name));
    s.append(svg("text", {x: left - 4, y: top + nb * ch, "text-anchor": "end"}, fmt(P[b].values[0])));
    s.append(svg("text", {x: left - 4, y: top + 10, "text-anchor": "end"}, fmt(P[b].values[nb - 1])));
  }
  const legend = el("div", {class: "legend"});
  labels.forEach(l => { const sp = el("span"); sp.append(el("i", {style: "background:" + colour(l)}),
    document.createTextNode(l)); legend.append(sp); });
  const box = document.getElementById("map");
  box.replaceChildren(s, legend);
}

function drawClaims(pt) {
  const box = document.getElementById("claims");
  if (!D.claims) { box.closest("section").hidden = true; return; }
  const t = el("table"), head = el("tr");
  ["claim", "status", "at this point"].forEach(h => head.append(el("th", {}, h)));
  t.append(head);
  (pt.claims || []).forEach(([c, k]) => {
    const [status, summary] = D.claims.texts[k], tr = el("tr", {"data-claim": D.claims.ids[c]});
    tr.append(el("td", {}, D.claims.ids[c]), el("td", {class: "status status-" + status}, status),
      el("td", {}, summary));
    t.append(tr);
  });
  box.replaceChildren(t);
  if (pt.claims_error) box.append(el("p", {id: "claims-error"}, pt.claims_error));
}

function syncSliders() { P.forEach((p, j) => { document.getElementById("s-" + p.name).value = idx[j]; }); }

function render() {
  const k = flat(idx), pt = D.points[k];
  document.body.setAttribute("data-point", k);
  P.forEach((p, j) => { document.getElementById("v-" + p.name).textContent = fmt(p.values[idx[j]]); });
  const n = pt.n_equilibria;
  document.getElementById("outcome").textContent = (pt.outcome || "?") +
    (n === undefined ? "" : ` (${n} ${D.solve_concept} equilibri${n === 1 ? "um" : "a"})`);
  document.getElementById("note").textContent = pt.error ? pt.error :
    (n > 1 ? (D.form === "tree" ? "Ties: several equilibria; the first is drawn." :
      "Several equilibria: pure ones outlined, supports of mixed ones shaded.") : "");
  const game = document.getElementById("game");
  if (pt.error) game.replaceChildren();
  else if (D.form === "tree") {
    const w = el("div", {class: "scroll"});
    w.append(drawTree(pt));
    game.replaceChildren(w);
  }
  else game.replaceChildren(drawMatrix(pt));
  drawMap();
  drawClaims(pt);
}

buildSliders();
render();
"""

_BODY = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - explorer</title>
<style>{style}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p class="cite">{citation}</p>
<div class="grid">
<section><h2>Parameters</h2><div id="sliders"></div>
<p class="cite">Other parameters at their {baseline_word}. Values snap to the precomputed grid.</p></section>
<section><h2>Equilibrium</h2><div id="outcome"></div><p id="note"></p><div id="game"></div></section>
<section><h2>Regime map</h2><div id="map"></div></section>
<section><h2>Claims</h2><div id="claims"></div></section>
</div>
<p class="cite">{description}</p>
</main>
<script type="application/json" id="explore-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""


def embed_json(doc: Any) -> str:
    """``doc`` as JSON safe inside a ``<script>`` element (every ``<`` written as ``\\u003c``).

    >>> embed_json({"a": "</script>"})
    '{"a":"\\\\u003c/script>"}'
    """
    return json.dumps(doc, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")


def render_page(doc: dict[str, Any]) -> str:
    """The explorer's HTML page for an :func:`~deterrence.explore.data.explorer_data` document."""
    model = doc.get("model", {})
    return _BODY.format(
        title=html.escape(str(model.get("title", "")) or "Explorer"),
        citation=html.escape(str(model.get("citation", ""))),
        description=html.escape(str(model.get("description", ""))),
        baseline_word="values in the scenario" if doc.get("fixed") else "defaults",
        style=_STYLE,
        data=embed_json(doc),
        script=_SCRIPT,
    )


def write_explorer(doc: dict[str, Any], folder: str | Path) -> tuple[Path, Path]:
    """Write ``folder/index.html`` and ``folder/explore.json`` atomically; return both paths.

    Raises
    ------
    DeterrenceError
        When the folder cannot be made or a file cannot be written.
    """
    from deterrence.errors import DeterrenceError
    from deterrence.io.atomic import atomic_write

    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DeterrenceError(f"cannot write {target}: {error.strerror or error}") from None
    data, page = target / "explore.json", target / "index.html"
    atomic_write(data, json.dumps(doc, indent=1, allow_nan=False) + "\n")
    atomic_write(page, render_page(doc))
    return page, data
