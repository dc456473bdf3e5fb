"""What the printed map is measured and drawn with: constants, text, geometry in plot coordinates, extents, marker styles."""

from __future__ import annotations

import math
import textwrap
import threading
from collections.abc import Iterable

import numpy as np
import shapely
from matplotlib.path import Path
from pyproj import Geod

from alliance_atlas.cartography import scene
from alliance_atlas.data.loading import Atlas

# rc_context changes matplotlib's global settings: one SVG/PDF export at a time per process
RC_LOCK = threading.Lock()

LAYERS = ("states", "territories", "installations", "nato")
SOURCE_LINE = (
    "Sources: Alliance Atlas data — see data/sources.csv; boundaries: Natural Earth (public domain). "
    "Borders as internationally recognised; inclusion does not imply recognition."
)
#: nominal width in px of the web map a Leaflet centre+zoom refers to (as views.center_zoom)
WEB_VIEW_PX = 900
GEOD = Geod(ellps="WGS84")
A4_LANDSCAPE = (11.69, 8.27)
REF_WIDTH_IN = 19.2  # sizes below are tuned for a 1920-px-wide figure at 100 dpi


# -- text -------------------------------------------------------------------------------
def draw_text(target, x: float, y: float, s: object, **kw):
    """Plain text: no mathtext, no TeX; the string is drawn exactly as given."""
    return target.text(x, y, "" if s is None else str(s), parse_math=False, usetex=False, **kw)


def shrink_to_width(text, fraction: float, smallest: float = 0.5):
    """Make a one-line text no wider than ``fraction`` of its figure, down to ``smallest`` of its size
    (a long slide title ran off the edge of the PNG: "…Kaliningrad: a Russian exclave on")."""
    fig = text.figure
    room = fraction * fig.bbox.width
    wide = text.get_window_extent(renderer=fig.canvas.get_renderer()).width
    if wide > room:
        text.set_fontsize(text.get_fontsize() * max(smallest, room / wide))
    return text


def wrap_lines(text: str, width_pt: float, size: float) -> list[str]:
    chars = max(8, int(width_pt / (size * 0.56)))
    out: list[str] = []
    for para in str(text or "").splitlines() or [""]:
        out.extend(textwrap.wrap(" ".join(para.split()), chars, break_long_words=True) or [""])
    return out


def label_box(alpha: float) -> dict:
    # a light box rather than a stroked halo: path effects would turn the text into paths in SVG/PDF
    return {"boxstyle": "round,pad=0.12", "facecolor": (1, 1, 1, alpha), "edgecolor": "none"}


# -- geometry ---------------------------------------------------------------------------
def _unwrap(geom):
    """Shift polygon parts lying just west of -150° (Chukotka, the Bering Strait) by +360°."""
    if geom is None or geom.is_empty:
        return geom
    parts = shapely.get_parts(geom)
    if not any(p.bounds[2] < -150 for p in parts):
        return geom
    moved = [shapely.transform(p, lambda c: c + np.array([360.0, 0.0])) if p.bounds[2] < -150 else p for p in parts]
    return shapely.union_all(moved)


def prepared(atlas: Atlas) -> dict:
    """Unwrapped geometries, computed once per loaded dataset."""
    cache = atlas.cache.get("render")
    if cache is None:
        cache = {
            "states": {r.iso3: _unwrap(r.geometry) for r in atlas.states.itertuples()},
            "territories": {r.id: _unwrap(r.geometry) for r in atlas.territories.itertuples()},
            "controls": (
                {r.id: _unwrap(r.geometry) for r in atlas.control_areas.itertuples()}
                if atlas.control_areas is not None
                else {}
            ),
            "land": shapely.union_all([_unwrap(g) for g in atlas.land.geometry]) if atlas.land is not None else None,
        }
        atlas.cache["render"] = cache
    return cache


def _polygons(geom) -> Iterable:
    if geom is None or geom.is_empty:
        return
    if geom.geom_type == "Polygon":
        yield geom
    elif hasattr(geom, "geoms"):
        for g in geom.geoms:
            yield from _polygons(g)


def mpl_path(geom) -> Path | None:
    verts, codes = [], []
    for poly in _polygons(geom):
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)[:, :2]
            if len(c) < 4:
                continue
            verts.append(c)
            codes.extend([Path.MOVETO] + [Path.LINETO] * (len(c) - 2) + [Path.CLOSEPOLY])
    if not verts:
        return None
    return Path(np.concatenate(verts), codes)


def dashes(dash: str | None, lw: float):
    if not dash:
        return "solid"
    seq = tuple(max(0.5, float(v) * 0.72 / max(lw, 0.1)) for v in dash.split())
    return (0, seq)


# -- extent ----------------------------------------------------------------------------
def default_bounds(atlas: Atlas) -> tuple[tuple[float, float], tuple[float, float]]:
    geo = prepared(atlas)["states"]
    post = [geo[i] for i in atlas.states.loc[atlas.states["post_soviet"].astype(bool), "iso3"]]
    w, s, e, n = shapely.union_all(post).bounds
    return (s - 1.0, w - 4.0), (n + 1.0, e + 2.0)


def fit_extent(requested, ratio: float) -> tuple[float, float, float, float, float]:
    """(w, e, s, n, lat0): ``requested`` [[s, w], [n, e]] grown to fill an axes box whose
    width/height is ``ratio``, keeping x and y scales equal at latitude lat0."""
    (s, w), (n, e) = (tuple(map(float, p)) for p in requested)
    if e < w:  # crosses the antimeridian
        e += 360.0
    s, n = max(-85.0, min(s, n)), min(85.0, max(s, n))
    if n - s < 0.2:
        s, n = (s + n) / 2 - 0.1, (s + n) / 2 + 0.1
    if e - w < 0.2:
        w, e = (w + e) / 2 - 0.1, (w + e) / 2 + 0.1
    lat0 = (s + n) / 2
    c = math.cos(math.radians(lat0))
    width, height = (e - w) * c, n - s
    if width / height < ratio:
        grow = (height * ratio / c - (e - w)) / 2
        w, e = w - grow, e + grow
    else:
        grow = (width / ratio - height) / 2
        s, n = s - grow, n + grow
    return w, e, s, n, lat0


def centre_zoom_bounds(center, zoom: float, ratio: float):
    lat, lon = (float(v) for v in center)
    span = 360.0 * WEB_VIEW_PX / (256.0 * 2 ** float(zoom))
    lat_span = span * math.cos(math.radians(lat)) / ratio
    return (lat - lat_span / 2, lon - span / 2), (lat + lat_span / 2, lon + span / 2)


def offset_points(ax, dx_pt: float, dy_pt: float):
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(dx_pt / 72.0, dy_pt / 72.0, ax.figure.dpi_scale_trans)


def rgb(colour: str) -> tuple[float, float, float]:
    h = colour.lstrip("#")
    return tuple(int(h[i : i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


#: matplotlib's marker for each scene shape
MPL_MARKERS = {
    "square": "s",
    "triangle": "^",
    "diamond": "D",
    "circle": "o",
    "star": "*",
    "pentagon": "p",
    "hexagon": "h",
    "triangle_down": "v",
    "plus": "P",
    "triangle_right": ">",
    "cross": "X",
}


def marker_style(sym: scene.Symbol, ms: float, k: float) -> dict:
    m = MPL_MARKERS[sym.shape]
    size = ms * (1.35 if m == "*" else 1.0)
    if sym.filled:
        return {
            "marker": m,
            "markersize": size,
            "markerfacecolor": sym.colour,
            "markeredgecolor": "black",
            "markeredgewidth": 1.1 * k,
            "alpha": sym.opacity,
        }
    return {
        "marker": m,
        "markersize": size,
        "markerfacecolor": "white",
        "markeredgecolor": sym.colour,
        "markeredgewidth": 2.0 * k,
        "alpha": sym.opacity,
    }


def nice(x: float) -> float:
    p = 10 ** math.floor(math.log10(x))
    for m in (5, 2, 1):
        if m * p <= x:
            return m * p
    return p
