"""Map data that is the same for every view, written once per dataset as static files named by content hash.

Land, place names and the light state and territory outlines do not change from one view to the
next, yet streamlit-folium re-sends everything the map script holds on every rerun. Written here
to ``static/atlas/<name>-<hash>.json`` (Streamlit serves ``static/``), they are fetched once per
map frame and cached by the browser; a rerun carries only what the view changes (styles, tooltips,
markers). Files are never overwritten in place: a data edit (a new Atlas, issue 15.3) gives new
content, hence a new name, while pages still open keep the old one. Any replica or host that loads
the same data writes the same names. When the folder cannot be written (a read-only install), the
caller inlines the data instead, as exports always do (they must not depend on a server).
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import os
import re
import tempfile
import threading
from pathlib import Path

from alliance_atlas.renderers import assets

FOLDER = "atlas"  # under static/
_lock = threading.Lock()


def folder():
    return assets.STATIC_DIR / FOLDER


def publish(name: str, text: str, ext: str = "json") -> str | None:
    """Write ``text`` as ``static/atlas/<name>-<hash>.<ext>`` unless that file is there already;
    its path under static/, or None when it cannot be written."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    rel = f"{FOLDER}/{name}-{digest}.{ext}"
    path = assets.STATIC_DIR / rel
    if path.is_file():
        return rel
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            Path(tmp).chmod(0o644)
            Path(tmp).replace(path)  # atomic: a reader sees the whole file or none
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return None
    return rel


def url(atlas, name: str, make, prefix: str | None, ext: str = "json") -> str | None:
    """The URL under ``prefix`` of the dataset's ``name`` file (``make()`` gives its JSON text, asked
    once per Atlas); None without a prefix (exports) or when it could not be written. Kept in
    ``atlas.cache`` so each Atlas writes it once (and again if the file was removed meanwhile)."""
    if prefix is None:
        return None
    key = ("served", name)
    rel = atlas.cache.get(key)
    if rel and not (assets.STATIC_DIR / rel).is_file():
        rel = atlas.cache[key] = None
    if rel is None:
        with _lock:  # one writer per name; the others wait and reuse its answer
            rel = atlas.cache.get(key)
            if rel is None:
                rel = publish(name, make(), ext) or ""
                atlas.cache[key] = rel
    return prefix + rel if rel else None


def source(atlas, name: str, make, prefix: str | None) -> dict:
    """geoelements.Features arguments for shapes that do not change per view: fetched from the static
    file under ``prefix`` (not re-sent on every rerun) or, with no prefix (exports) or no writable
    folder, inline (JSON text kept on the Atlas)."""
    link = url(atlas, name, make, prefix)
    if link:
        return {"geo_url": link}
    key = ("inline", name)
    if key not in atlas.cache:
        atlas.cache[key] = make()
    return {"geo": atlas.cache[key]}


_DATA_SVG = re.compile(r"""(src=['"])data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)(['"])""")


def link_images(html: str, prefix: str) -> str:
    """``html`` with each ``data:image/svg+xml`` image (the legend's symbols) replaced by a static file of
    the same SVG (``static/atlas/symbol-<hash>.svg``): the page's legend is re-sent on every rerun, the
    symbols need not be. An image that cannot be written stays inline."""

    def repl(m: re.Match) -> str:
        rel = publish("symbol", base64.b64decode(m[2]).decode("utf-8"), "svg")
        return f"{m[1]}{html_lib.escape(prefix + rel, quote=True)}{m[3]}" if rel else m[0]

    return _DATA_SVG.sub(repl, html)
