"""The one escaping helper for every string that reaches HTML or JavaScript.

Folium tooltips sit inside JS template literals (``${...}`` runs, a backtick ends
them), popups and layer names are raw HTML and GeoJSON tooltips use innerHTML.
So: HTML-escape, then neutralise backtick, dollar and backslash as entities.
"""

from __future__ import annotations

import html
from urllib.parse import urlparse

_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def esc(value: object) -> str:
    """Escape any value for HTML text/attributes and JS template literals."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return html.escape(text, quote=True).translate(_EXTRA)


def safe_url(url: object) -> str | None:
    """Return the URL escaped when it is http(s), else None (no javascript: etc.)."""
    text = str(url or "").strip()
    parsed = urlparse(text)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        return None
    return esc(text)


def link(url: object, label: object) -> str:
    """An escaped <a> for a safe URL, or the escaped label alone."""
    href = safe_url(url)
    if href is None:
        return esc(label)
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>'


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$&:\"'=%")


def md(value: object, *, keep_edges: bool = False) -> str:
    """Plain text for a Streamlit markdown element: every markdown/HTML/LaTeX character is
    backslash-escaped and line breaks are folded, so untrusted text shows as typed.
    ``keep_edges`` keeps one space where the text starts or ends with white space (a piece of
    running text between two links)."""
    text = "" if value is None else str(value)
    folded = " ".join(text.split())
    if keep_edges and folded:
        folded = (" " if text[0].isspace() else "") + folded + (" " if text[-1].isspace() else "")
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in folded)


def md_link(url: object, label: object) -> str:
    """A markdown link for an http(s) URL (percent-encoded so it cannot end the link early),
    else the label alone; the label is plain text (see md)."""
    from urllib.parse import quote

    text = str(url or "").strip()
    if safe_url(text) is None:
        return md(label)
    return f"[{md(label)}]({quote(text, safe=':/?#@!&+,;=%~')})"
