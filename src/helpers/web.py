"""Text from the data, made safe for the reader's page: escaped at the source, links only to http(s)."""

from __future__ import annotations

import html
import re

import pandas as pd

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")


def md(text) -> str:
    """Data text for a Markdown cell: Markdown syntax neutralised, then <, > and & escaped as HTML."""
    return html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", str(text)), quote=False)


def link(url: str, label: str) -> str:
    """An <a> to an http(s) URL, or the escaped label alone when the URL is anything else."""
    label = html.escape(str(label))
    if isinstance(url, str) and _SAFE_URL.match(url):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{label}</a>'
    return label


def html_table(frame: pd.DataFrame, links: dict[str, str] | None = None, formats: dict | None = None) -> str:
    """An HTML table with every cell escaped; `links` maps a label column to its URL column."""
    links = links or {}
    formats = formats or {}
    shown = [c for c in frame.columns if c not in links.values()]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in shown:
            value = row[c]
            if c in formats:
                text = html.escape(formats[c](value))
            elif pd.isna(value):
                text = ""
            else:
                text = html.escape(str(value))
            if c in links:
                text = link(row[links[c]], text if text else "source")
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
