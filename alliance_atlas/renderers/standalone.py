"""A standalone HTML map: one file that opens from disk with no server and no internet.

The map is the app's own (same layers, popups with sources, legend with title and as-of
date); every script and stylesheet it loads is inlined, and images referenced from the
stylesheets become data: URIs.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

from alliance_atlas.analysis.details import sources_of
from alliance_atlas.cartography.style import MAP_CSS
from alliance_atlas.data.loading import Atlas
from alliance_atlas.data.schema import Filters
from alliance_atlas.renderers import assets, leaflet_view
from alliance_atlas.safe import esc, link

PREFIX = "/app/static/"  # rendered with this prefix, then inlined
_SCRIPT = re.compile(r'<script\s+src="' + re.escape(PREFIX) + r'([^"]+)"\s*>\s*</script>')
_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="' + re.escape(PREFIX) + r'([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


class MissingAsset(FileNotFoundError):
    pass


def _read(rel: str) -> bytes:
    path = assets.STATIC_DIR / rel
    if not path.is_file():
        raise MissingAsset(f"{rel} is not installed; run `make assets`")
    return path.read_bytes()


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(rel: str) -> str:
    css = _read(rel).decode("utf-8")
    base = (assets.STATIC_DIR / rel).parent

    def repl(m: re.Match) -> str:
        target = m[2]
        if target.startswith(("data:", "http:", "https:", "#")):
            return m[0]
        path = (base / target).resolve()
        return f"url({_data_uri(path)})" if path.is_file() else "url()"

    return _CSS_URL.sub(repl, css).replace("</style", "<\\/style")


def sources_panel(atlas: Atlas, cells) -> str:
    items = "".join(f"<li>{link(s.url, f'{s.publisher}: {s.title}')}</li>" for s in sources_of(atlas, cells))
    return f"<details class='atlas-sources'><summary>Sources</summary><ol>{items}</ol></details>"


def standalone_html(
    atlas: Atlas,
    f: Filters,
    *,
    title: str = "Alliance Atlas",
    center=None,
    zoom=None,
    include=leaflet_view.LAYERS,
    highlight=(),
) -> str:
    """The current map as one self-contained HTML document."""
    # popups with sources; no server to fetch fine outlines or static files from
    file_only = {"with_popups": True, "fine": False, "served": False}
    m = leaflet_view.full_map(
        atlas, f, PREFIX, include=include, highlight=highlight, title=title, center=center, zoom=zoom, **file_only
    )
    built = leaflet_view.build(atlas, f, PREFIX, include=include, served=False)
    cells = list(built.installations["sources"])
    if "states" in include:
        cells += list(atlas.memberships[atlas.memberships["organization"].isin(f.alliances)]["sources"])
    if "territories" in include:
        from alliance_atlas.data import asof

        cells += list(asof.territories_on(atlas, f.date)["sources"])
    header = (
        f"<div class='atlas-title'><b>{esc(title)}</b> · as of {esc(f.date.isoformat())}"
        f"{sources_panel(atlas, cells)}<div class='hint'>Borders as internationally recognised; "
        "inclusion does not imply recognition. Boundaries: Natural Earth.</div></div>"
    )
    style = (
        "<style>.atlas-title{position:absolute;z-index:1000;top:10px;left:60px;max-width:46%;"
        "background:rgba(255,255,255,.94);padding:6px 10px;border:1px solid #444;border-radius:4px;"
        "font:14px system-ui,sans-serif}.atlas-title ol{max-height:40vh;overflow:auto;margin:4px 0 0 18px;"
        "padding:0;font-size:12px}.atlas-title .hint{font-size:11px;color:#333}</style>"
    )
    html = m.get_root().render()
    html = _SCRIPT.sub(
        lambda x: "<script>" + _read(x[1]).decode("utf-8").replace("</script", "<\\/script") + "</script>", html
    )
    html = _LINK.sub(lambda x: "<style>" + _inline_css(x[1]) + "</style>", html)
    html = (
        html.replace("<title>", f"<title>{esc(title)} · ", 1)
        if "<title>" in html
        else html.replace("<head>", f"<head><title>{esc(title)}</title>", 1)
    )
    # the map's stylesheet after Leaflet's (inlined above), as in the app: else Leaflet's grey wins the sea
    sheet = f"<style>{MAP_CSS}</style>"
    html = html.replace(sheet, "", 1)
    html = html.replace("</head>", sheet + style + "</head>", 1).replace("<body>", "<body>" + header, 1)
    leftover = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+\.(?:js|css)"', html)
    if leftover:
        raise MissingAsset(f"not inlined: {leftover[:3]}")
    return html
