"""Markdown for reports: pipe tables, and a conversion to one self-contained HTML page.

:func:`markdown_table` writes a GitHub-style pipe table (cells through
:func:`deterrence.io.tables.format_value`, so exact numbers print as ``2/3``);
:func:`markdown_to_html` converts the subset of Markdown a report uses to a
single HTML page with its PNG images inlined, needing nothing beyond the
standard library.

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

__all__ = ["markdown_cell", "markdown_table", "markdown_to_html"]


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
def _inline(text: str, base: Path | None) -> str:
    import base64
    import html
    import re

    def image(match: re.Match[str]) -> str:
        alt, src = match.group(1), match.group(2)
        path = base / src if base is not None else None
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
        out.append(s)
    return "".join(out)


def markdown_to_html(markdown: str, *, base: Path | None = None, title: str = "deterrence report") -> str:
    """Convert a report's Markdown subset to one self-contained HTML page (PNG figures inlined).

    Handles headings, paragraphs, bullet and numbered lists, pipe tables,
    fenced code, ``$$`` display maths (kept as LaTeX text), inline code,
    bold, links and images.  Images are read relative to ``base``.

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
            tag = "pre" if end == "```" else 'pre class="math"'
            body.append(f"<{tag}>" + html.escape("\n".join(lines[i + 1 : j])) + "</pre>")
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
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
