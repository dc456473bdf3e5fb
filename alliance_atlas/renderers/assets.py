"""Browser assets served by the app itself, and how folium is pointed at them.

The files come from the npm registry at install time (``assets/package.json`` with
``package-lock.json`` integrity hashes; ``scripts/build_assets.py`` copies them into
``static/vendor``). Streamlit serves ``static/`` at ``<baseUrlPath>/app/static/``.
Folium elements name their scripts and styles in ``default_js``/``default_css``; every
name is mapped to a local file here or dropped. An unknown name is an error, so a new
plugin can never silently load from a CDN.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import branca.element

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "assets" / "node_modules"
STATIC_DIR = ROOT / "static"
VENDOR = "vendor"
#: fine outlines (scripts/build_fine_borders.py), committed as data/geo/<ISO3 or territory id>-<hash>.json and
#: served from static/geo/ (copied there by scripts/build_assets.py, i.e. ``make assets``)
FINE_SOURCE = ROOT / "data" / "geo"
FINE = "geo"

# served path (under static/) -> file inside assets/node_modules
FILES: dict[str, str] = {
    "vendor/leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "vendor/leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "vendor/leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "vendor/leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "vendor/leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "vendor/jquery/jquery.min.js": "jquery/dist/jquery.min.js",
    "vendor/markercluster/leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "vendor/markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "vendor/markercluster/MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "vendor/fullscreen/Control.FullScreen.js": "leaflet.fullscreen/Control.FullScreen.js",
    "vendor/fullscreen/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "vendor/fullscreen/icon-fullscreen.svg": "leaflet.fullscreen/icon-fullscreen.svg",
    "vendor/pattern/leaflet.pattern.js": "leaflet.pattern/dist/leaflet.pattern.js",
}

# folium's resource names -> served path, or None to drop (not needed by our map)
NAMES: dict[str, str | None] = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "jquery": "vendor/jquery/jquery.min.js",
    "markerclusterjs": "vendor/markercluster/leaflet.markercluster.js",
    "markerclustercss": "vendor/markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/markercluster/MarkerCluster.Default.css",
    "Control.Fullscreen.js": "vendor/fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "vendor/fullscreen/Control.FullScreen.css",
    "pattern": "vendor/pattern/leaflet.pattern.js",
    # not used: we draw our own markers, no bootstrap widgets, no icon fonts
    "bootstrap": None,
    "awesome_markers": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
}


class UnknownAsset(KeyError):
    """A folium element asks for a script or style this module does not serve."""


def missing_files() -> list[str]:
    """Served files that are not in static/ yet (run ``make assets``)."""
    return [rel for rel in FILES if not (STATIC_DIR / rel).is_file()]


def fine_files() -> dict[str, str]:
    """ISO3 or territory id -> served path (under static/) of each fine outline in data/geo/."""
    return {p.name.rsplit("-", 1)[0]: f"{FINE}/{p.name}" for p in sorted(FINE_SOURCE.glob("*-*.json"))}


def fine_urls(prefix: str = "/app/static/") -> dict[str, str]:
    """ISO3 or territory id -> URL of the fine outlines that are being served (installed in static/ by ``make assets``);
    those not installed are left out, so the map keeps their light outline rather than ask for a missing file."""
    return {iso: prefix + rel for iso, rel in fine_files().items() if (STATIC_DIR / rel).is_file()}


def url_prefix(base_url_path: str = "") -> str:
    """Where static/ is served, e.g. '/app/static/' or '/atlas/app/static/'."""
    base = base_url_path.strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


def _walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _local(pairs: list[tuple[str, str]], prefix: str) -> list[tuple[str, str]]:
    out = []
    for name, _url in pairs:
        if name not in NAMES:
            raise UnknownAsset(
                f"no local copy for folium resource {name!r}; add it to alliance_atlas/renderers/assets.py"
            )
        rel = NAMES[name]
        if rel is not None:
            out.append((name, prefix + rel))
    return out


def localize(element: branca.element.Element, prefix: str = "/app/static/") -> None:
    """Point every script/style of ``element`` and its children at local files."""
    for el in _walk(element):
        for attr in ("default_js", "default_css"):
            pairs = getattr(el, attr, None)
            if pairs:
                setattr(el, attr, _local(list(pairs), prefix))
