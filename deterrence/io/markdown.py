"""Markdown for reports: pipe tables, and a conversion to one self-contained HTML page.

:func:`markdown_table` writes a GitHub-style pipe table (cells through
:func:`deterrence.io.tables.format_value`, so exact numbers print as ``2/3``);
:func:`markdown_to_html` converts the subset of Markdown a report uses to a
single HTML page that opens offline: PNG images are inlined as base64, SVG
images inline, and ``$$`` display maths is rendered by matplotlib's mathtext
to inline SVG (:func:`math_svg`), never shown as LaTeX source (when mathtext
cannot parse a formula, :func:`latex_to_text` gives a plain-text reading).
Nothing in the page is fetched from the network.

Examples
--------
>>> from fractions import Fraction
>>> print("\\n".join(markdown_table(["x", "p"], [["a|b", Fraction(2, 3)], ["c", 0.123456]])))
| x | p |
|---|---|
| a\\|b | 2/3 |
| c | 0.1235 |
<BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from deterrence.io.tables import format_value

__all__ = [
    "inline_svg",
    "latex_to_text",
    "markdown_cell",
    "markdown_table",
    "markdown_to_html",
    "math_svg",
    "split_latex",
]


def markdown_cell(value: Any) -> str:
    """Text for a Markdown table cell: floats to four significant digits, pipes escaped, one line."""
    if isinstance(value, float):
        value = f"{value:.4g}"
    return format_value(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """A pipe table as a list of lines, ending with a blank line."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows] + [""]


# -- HTML ---------------------------------------------------------------------------------
def inline_svg(svg: str) -> str:
    r"""An SVG document as an element to put inside HTML: no XML header, DOCTYPE, metadata or comments.

    Examples
    --------
    >>> doc = '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "y">\n'
    >>> doc += '<svg><metadata>m</metadata><!-- $x$ --><g/></svg>\n'
    >>> print(inline_svg(doc))
    <svg><g/></svg>
    """
    import re

    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg, flags=re.S)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)  # matplotlib repeats each text's source here
    return svg.strip()


def latex_to_text(latex: str) -> str:
    r"""A plain-text reading of simple LaTeX maths (the fallback where mathtext fails).

    Examples
    --------
    >>> print(latex_to_text(r"\mathit{war\_cost} \left(1 + \phi\right) > \frac{1}{2} \;\wedge\; x \geq 0"))
    war_cost (1 + φ) > (1)/(2)  ∧  x ≥ 0
    """
    import re

    symbols = {
        r"\wedge": "∧", r"\vee": "∨", r"\geq": "≥", r"\leq": "≤", r"\neq": "≠", r"\cdot": "·",
        r"\times": "×", r"\phi": "φ", r"\pi": "π", r"\rho": "ρ", r"\infty": "∞", r"\left": "", r"\right": "",
        r"\;": " ", r"\,": " ", r"\quad": "  ", r"\_": "_",
    }  # fmt: skip
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", latex)
    text = re.sub(r"\\math(?:it|rm|bf)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\text\{([^{}]*)\}", r"\1", text)
    for key in sorted(symbols, key=len, reverse=True):
        text = text.replace(key, symbols[key])
    return text.replace("{", "").replace("}", "")


_MATH_CACHE: dict[tuple[str, float], str] = {}


def math_svg(latex: str, fontsize: float = 13.0) -> str:
    r"""Display maths rendered by matplotlib's mathtext as an inline ``<svg>`` element (glyphs as paths).

    Returns ``""`` when mathtext cannot parse ``latex`` (the caller falls back to
    :func:`latex_to_text`).  The element's ids are stable from run to run.

    Examples
    --------
    >>> svg = math_svg(r"\mathit{cost} > \frac{1}{2}")
    >>> svg.startswith("<svg") and "mathit" not in svg and "<path" in svg
    True
    >>> math_svg(r"\frac{1}")
    ''
    """
    import io

    key = (latex, fontsize)
    if key not in _MATH_CACHE:
        import matplotlib
        from matplotlib import mathtext
        from matplotlib.font_manager import FontProperties

        buffer = io.BytesIO()
        try:
            with matplotlib.rc_context({"svg.hashsalt": "deterrence", "svg.fonttype": "path"}):
                mathtext.math_to_image(f"${latex}$", buffer, prop=FontProperties(size=fontsize), format="svg")
        except ValueError:
            _MATH_CACHE[key] = ""
        else:
            svg = inline_svg(buffer.getvalue().decode("utf-8"))
            _MATH_CACHE[key] = svg.replace("<svg ", '<svg role="img" style="max-width:100%;height:auto" ', 1)
    return _MATH_CACHE[key]


def split_latex(latex: str, width: int = 90) -> list[str]:
    r"""Break long display maths into lines at top-level ``+``, ``-``, ``>``, ``<`` and ``=`` signs.

    A break is made only outside braces and ``\left ... \right`` pairs, once the line's plain
    text (:func:`latex_to_text`) passes ``width`` characters; each later line starts with its sign.

    Examples
    --------
    >>> for line in split_latex(r"a + \left(b + c\right) > d", width=3):
    ...     print(line)
    a
    + \left(b + c\right)
    > d
    """
    import re

    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(latex):
        if latex.startswith(r"\left", i):
            depth, i = depth + 1, i + 5
            continue
        if latex.startswith(r"\right", i):
            depth, i = depth - 1, i + 6
            continue
        c = latex[i]
        depth += c == "{"
        depth -= c == "}"
        if depth == 0 and i > start and re.match(r" [-+<>=] ", latex[i : i + 3]):
            parts.append(latex[start:i].strip())
            start = i + 1
        i += 1
    parts.append(latex[start:].strip())
    lines: list[str] = []
    for part in parts:
        if lines and len(latex_to_text(lines[-1] + " " + part)) <= width:
            lines[-1] = f"{lines[-1]} {part}"
        else:
            lines.append(part)
    return lines


def _math_block(latex: str) -> str:
    import html
    import re

    alt = html.escape(latex_to_text(latex))
    # mathtext drops the space between two multiplied names (\mathit{a} \mathit{b}): show the product.
    latex = re.sub(r"\}\s+(?=\\mathit\{)", r"} \\cdot ", latex)
    rendered = [math_svg(line) for line in split_latex(latex)]
    if all(rendered):
        body = "".join(f'<div class="math-line">{svg}</div>' for svg in rendered)
        return f'<div class="math" title="{alt}">{body}</div>'
    return f'<pre class="math">{alt}</pre>'


def _inline(text: str, base: Path | None) -> str:
    import base64
    import html
    import re

    def image(match: re.Match[str]) -> str:
        alt, src = match.group(1), match.group(2)
        path = base / src if base is not None else None
        if path is not None and path.exists() and path.suffix == ".svg":
            return f'<span class="figure" role="img" aria-label="{alt}">{inline_svg(path.read_text("utf-8"))}</span>'
        if path is not None and path.suffix == ".png" and path.exists():
            src = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img alt="{alt}" src="{src}" style="max-width:100%">'

    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
            continue
        s = html.escape(part, quote=False).replace("\\|", "|").replace("\\*", "*")
        s = re.sub(r"!\[([^\]]*)\]\(([^)]+)\)", image, s)
        s = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', s)
        s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
        s = re.sub(r"(?<![^\s(])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w(\[*])", r"<em>\1</em>", s)
        out.append(s)
    return "".join(out)


def markdown_to_html(markdown: str, *, base: Path | None = None, title: str = "deterrence report") -> str:
    """Convert a report's Markdown subset to one self-contained HTML page (PNG figures inlined).

    Handles headings, paragraphs, bullet and numbered lists, pipe tables,
    fenced code, ``$$`` display maths (rendered to inline SVG, :func:`math_svg`), inline code,
    bold, italics, links and images (PNG as base64, SVG inline).  Images are read relative to ``base``.

    Examples
    --------
    >>> page = markdown_to_html("# T\\n\\n| a | b |\\n|---|---|\\n| 1 | `x` |")
    >>> print(page.split("<body>")[1].split("</body>")[0].strip())
    <h1>T</h1>
    <table><tr><th>a</th><th>b</th></tr>
    <tr><td>1</td><td><code>x</code></td></tr></table>
    """
    import html
    import re

    body, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```") or line == "$$":
            end = "```" if line.startswith("```") else "$$"
            j = i + 1
            while j < len(lines) and not lines[j].startswith(end):
                j += 1
            if end == "$$":
                body.append(_math_block(" ".join(lines[i + 1 : j]).strip()))
            else:
                body.append("<pre>" + html.escape("\n".join(lines[i + 1 : j])) + "</pre>")
            i = j + 1
        elif m := re.match(r"(#{1,6}) (.*)", line):
            level = len(m.group(1))
            body.append(f"<h{level}>{_inline(m.group(2), base)}</h{level}>")
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(lines[i])
                i += 1
            cells = [[c.strip() for c in re.split(r"(?<!\\)\|", r.strip())[1:-1]] for r in rows]
            head = "".join(f"<th>{_inline(c, base)}</th>" for c in cells[0])
            rest = ["<tr>" + "".join(f"<td>{_inline(c, base)}</td>" for c in r) + "</tr>" for r in cells[2:]]
            body.append(f"<table><tr>{head}</tr>\n" + "\n".join(rest) + "</table>")
        elif re.match(r"(- |\d+\. )", line):
            ordered = not line.startswith("- ")
            items = []
            while i < len(lines) and re.match(r"(- |\d+\. )", lines[i]):
                items.append("<li>" + _inline(re.sub(r"^(- |\d+\. )", "", lines[i]), base) + "</li>")
                i += 1
            tag = "ol" if ordered else "ul"
            body.append(f"<{tag}>" + "\n".join(items) + f"</{tag}>")
        elif line.strip():
            para = []
            while i < len(lines) and lines[i].strip() and not re.match(r"(#|\||```|\$\$|- |\d+\. )", lines[i]):
                para.append(lines[i])
                i += 1
            body.append("<p>" + _inline(" ".join(para), base) + "</p>")
        else:
            i += 1
    style = (
        "body{font-family:sans-serif;max-width:70em;margin:auto;padding:1em}"
        "table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #999;padding:3px 6px;"
        "vertical-align:top}pre{background:#f4f4f4;padding:6px;white-space:pre-wrap}"
        "div.math{margin:0.6em 0;overflow-x:auto}div.math-line+div.math-line{padding-left:2em}"
        ".figure svg{max-width:100%;height:auto}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
