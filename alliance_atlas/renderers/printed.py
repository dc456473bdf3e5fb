"""Static maps without a browser: PNG/SVG of one view, and a briefing as a PDF.

Drawn with matplotlib (the Agg canvas, attached to each Figure; pyplot is never used, so
no global figure state) from the cartography scene (``scene.build``): every fill, line,
pattern, symbol and legend word comes from there, as on the web map; this module only turns
them into patches, hatches and markers (``MPL_MARKERS``: one matplotlib marker per scene shape).

Projection: equirectangular with the aspect corrected by cos(latitude) at the middle of
the view, north up. Russia's parts east of 180° (Chukotka) are shifted by +360° so the
post-Soviet area is one continuous picture; everything is clipped to the view.

Every string that comes from the data is drawn as plain text: mathtext (``$...$``) and
TeX are switched off on each Text artist, and nothing is interpreted as markup.
"""

from __future__ import annotations

import io as _io
import math
import textwrap
import threading
from collections.abc import Iterable, Sequence

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from pyproj import Geod

from alliance_atlas.cartography import scene, style
from alliance_atlas.data import content
from alliance_atlas.data.loading import Atlas
from alliance_atlas.data.schema import Filters

# rc_context changes matplotlib's global settings: one SVG/PDF export at a time per process
_RC_LOCK = threading.Lock()

LAYERS = ("states", "territories", "installations", "nato")
SOURCE_LINE = ("Sources: Alliance Atlas data — see data/sources.csv; boundaries: Natural Earth (public domain). "
               "Borders as internationally recognised; inclusion does not imply recognition.")
#: nominal width in px of the web map a Leaflet centre+zoom refers to (as content.center_zoom)
WEB_VIEW_PX = 900
_GEOD = Geod(ellps="WGS84")
_A4_LANDSCAPE = (11.69, 8.27)
_REF_WIDTH_IN = 19.2  # sizes below are tuned for a 1920-px-wide figure at 100 dpi


# -- text -------------------------------------------------------------------------------
def _text(target, x: float, y: float, s: object, **kw):
    """Plain text: no mathtext, no TeX; the string is drawn exactly as given."""
    return target.text(x, y, "" if s is None else str(s), parse_math=False, usetex=False, **kw)


def _wrap(text: str, width_pt: float, size: float) -> list[str]:
    chars = max(8, int(width_pt / (size * 0.56)))
    out: list[str] = []
    for para in str(text or "").splitlines() or [""]:
        out.extend(textwrap.wrap(" ".join(para.split()), chars, break_long_words=True) or [""])
    return out


def _label_box(alpha: float) -> dict:
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


def _prepared(atlas: Atlas) -> dict:
    """Unwrapped geometries, computed once per loaded dataset."""
    cache = atlas.cache.get("render")
    if cache is None:
        cache = {
            "states": {r.iso3: _unwrap(r.geometry) for r in atlas.states.itertuples()},
            "territories": {r.id: _unwrap(r.geometry) for r in atlas.territories.itertuples()},
            "controls": ({r.id: _unwrap(r.geometry) for r in atlas.control_areas.itertuples()}
                         if atlas.control_areas is not None else {}),
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


def _path(geom) -> Path | None:
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


def _dashes(dash: str | None, lw: float):
    if not dash:
        return "solid"
    seq = tuple(max(0.5, float(v) * 0.72 / max(lw, 0.1)) for v in dash.split())
    return (0, seq)


# -- extent ----------------------------------------------------------------------------
def _default_bounds(atlas: Atlas) -> tuple[tuple[float, float], tuple[float, float]]:
    geo = _prepared(atlas)["states"]
    post = [geo[i] for i in atlas.states.loc[atlas.states["post_soviet"].astype(bool), "iso3"]]
    w, s, e, n = shapely.union_all(post).bounds
    return (s - 1.0, w - 4.0), (n + 1.0, e + 2.0)


def _extent(requested, ratio: float) -> tuple[float, float, float, float, float]:
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


def _centre_zoom_bounds(center, zoom: float, ratio: float):
    lat, lon = (float(v) for v in center)
    span = 360.0 * WEB_VIEW_PX / (256.0 * 2 ** float(zoom))
    lat_span = span * math.cos(math.radians(lat)) / ratio
    return (lat - lat_span / 2, lon - span / 2), (lat + lat_span / 2, lon + span / 2)


# -- what is drawn ---------------------------------------------------------------------
def _draw_map(ax, atlas: Atlas, f: Filters, ext, k: float, show: Sequence[str],
              highlight: Sequence[str]) -> scene.Scene:
    w, e, s, n, lat0 = ext
    geo = _prepared(atlas)
    pad = 0.02 * max(e - w, n - s)
    # the scene of the print's extent: what it holds is what is drawn, and its legend lists just that
    sc = scene.build(atlas, f, include=tuple(show), highlight=tuple(highlight or ()), extent=(w, e, s, n))

    def clip(g):
        return shapely.clip_by_rect(g, w - pad, s - pad, e + pad, n + pad) if g is not None else None

    def patch(g, z, **kw):
        p = _path(clip(g))
        if p is not None:
            # add_artist, not add_patch: the limits are set once below, and add_patch's per-patch
            # limit update walks every Bézier segment (most of a frame's time: the GIF has dozens)
            ax.add_artist(PathPatch(p, zorder=z, **kw))
        return p is not None

    ax.set_facecolor(style.SEA)
    if geo["land"] is not None:
        patch(geo["land"], 1, facecolor=style.BASE_LAND["fillColor"], edgecolor=style.BASE_LAND["color"],
              linewidth=style.BASE_LAND["weight"] * 0.72 * k)

    emphasis = set(sc.highlight)
    post_soviet = set(atlas.states.loc[atlas.states["post_soviet"].astype(bool), "iso3"])
    labels_at: list[tuple[float, float, str, bool]] = []
    layers = (("state", sc.states, geo["states"], 2), ("control", sc.controls, geo.get("controls", {}), 2.6),
              ("territory", sc.territories, geo["territories"], 3))
    for layer, areas, shapes, z in layers:
        for a in areas:
            g = shapes.get(a.id)
            if g is None:
                continue
            _area(patch, g, a.look, z, k, f"{layer}:{a.id}")
            if a.id in emphasis:
                _area(patch, g, scene.HIGHLIGHT, 4, k, f"highlight:{a.id}")
            vis = clip(g) if (a.id in emphasis or (layer == "state" and a.id in post_soviet)) else None
            if vis is not None and not vis.is_empty and (a.id in emphasis or vis.area > 0.004 * (e - w) * (n - s)):
                pt = vis.representative_point()
                labels_at.append((pt.x, pt.y, a.name, a.id in emphasis))

    ms = 11 * k
    marks = sc.marks
    groups: dict[tuple, list[scene.Mark]] = {}
    for m in marks:
        groups.setdefault((m.operator, m.kind, m.phase, m.symbol), []).append(m)
    for (op, kind, phase, sym), grp in sorted(groups.items(), key=lambda kv: kv[0][:3]):
        xs = [m.lon + 360 if m.lon < -150 else m.lon for m in grp]
        ax.add_line(Line2D(xs, [m.lat for m in grp], linestyle="none", zorder=5 if phase == "active" else 4.5,
                           gid=f"installations:{op}:{kind}:{phase}", **_marker(sym, ms, k)))
    for m in marks:
        if m.id in emphasis:
            x = m.lon + 360 if m.lon < -150 else m.lon
            ax.add_line(Line2D([x], [m.lat], linestyle="none", marker="o", markersize=ms * 2.0, markerfacecolor="none",
                               markeredgecolor=scene.HIGHLIGHT.line, markeredgewidth=2.5 * k, zorder=6,
                               gid=f"highlight:{m.id}"))
            labels_at.append((x, m.lat, m.name, True))

    for x, y, name, strong in labels_at:
        if strong:
            _text(ax, x, y, name, fontsize=10.5 * k, fontweight="bold", color="#111111", zorder=7,
                  ha="left", va="bottom", bbox=_label_box(0.8), clip_on=True,
                  transform=ax.transData + _offset(ax, 9 * k, 6 * k))
        else:
            _text(ax, x, y, name, fontsize=9.5 * k, color="#333333", style="italic", zorder=6.5, ha="center",
                  va="center", bbox=_label_box(0.55), clip_on=True)

    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_aspect(1.0 / math.cos(math.radians(lat0)), adjustable="box", anchor="C")
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_edgecolor("#555555")
        sp.set_linewidth(0.8 * k)
    _scale_bar(ax, ext, k)
    return sc


def _area(patch, g, look: scene.Look, z: float, k: float, gid: str) -> None:
    """One area drawn with its scene look: fill, line and dash; a pattern with transparent gaps as
    the patch's hatch, two-colour stripes as a second patch (``stripes:<id>``)."""
    lw = look.weight * 0.72 * k
    face = (*_rgb(look.fill), look.fill_opacity) if look.fill and look.fill_opacity else "none"
    p = look.pattern
    hatch = {} if p is None or p.space_colour else {"hatch": p.hatch, "hatchcolor": (*_rgb(p.colour), 0.75),
                                                    "hatch_linewidth": 1.0 * k}
    patch(g, z, facecolor=face, edgecolor=look.line, linewidth=lw, linestyle=_dashes(look.dash, lw), gid=gid, **hatch)
    if p is not None and p.space_colour:
        patch(g, z + 0.2, facecolor="none", edgecolor="none", linewidth=0, hatch=p.hatch, hatchcolor=p.colour,
              hatch_linewidth=2.4 * k, gid=f"stripes:{gid.split(':', 1)[1]}")


def _offset(ax, dx_pt: float, dy_pt: float):
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(dx_pt / 72.0, dy_pt / 72.0, ax.figure.dpi_scale_trans)


def _rgb(colour: str) -> tuple[float, float, float]:
    h = colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


#: matplotlib's marker for each scene shape
MPL_MARKERS = {"square": "s", "triangle": "^", "diamond": "D", "circle": "o", "star": "*", "pentagon": "p",
               "hexagon": "h", "triangle_down": "v", "plus": "P", "triangle_right": ">", "cross": "X"}


def _marker(sym: scene.Symbol, ms: float, k: float) -> dict:
    m = MPL_MARKERS[sym.shape]
    size = ms * (1.35 if m == "*" else 1.0)
    if sym.filled:
        return {"marker": m, "markersize": size, "markerfacecolor": sym.colour, "markeredgecolor": "black",
                "markeredgewidth": 1.1 * k, "alpha": sym.opacity}
    return {"marker": m, "markersize": size, "markerfacecolor": "white", "markeredgecolor": sym.colour,
            "markeredgewidth": 2.0 * k, "alpha": sym.opacity}


def _nice(x: float) -> float:
    p = 10 ** math.floor(math.log10(x))
    for m in (5, 2, 1):
        if m * p <= x:
            return m * p
    return p


def _scale_bar(ax, ext, k: float) -> None:
    """A bar in km, true at the latitude it is drawn at (the equirectangular x scale varies with latitude)."""
    w, e, s, n, _ = ext
    y = s + 0.05 * (n - s)
    x0 = w + 0.03 * (e - w)
    lat = max(-89.0, min(89.0, y))
    _, _, metres = _GEOD.inv(x0, lat, x0 + 0.01, lat)
    km_per_deg = metres / 1000.0 / 0.01
    length = _nice(0.18 * (e - w) * km_per_deg)
    deg = length / km_per_deg
    h = 0.012 * (n - s)
    ax.add_patch(Rectangle((x0 - 0.01 * (e - w), y - 3.2 * h), deg + 0.06 * (e - w), 6.2 * h,
                           facecolor=(1, 1, 1, 0.8), edgecolor="none", zorder=8))
    ax.add_patch(Rectangle((x0, y), deg / 2, h, facecolor="black", edgecolor="black", linewidth=0.8 * k, zorder=9,
                           gid="scale-bar"))
    ax.add_patch(Rectangle((x0 + deg / 2, y), deg / 2, h, facecolor="white", edgecolor="black", linewidth=0.8 * k,
                           zorder=9, gid="scale-bar"))
    label = f"{length:,.0f} km" if length >= 1 else f"{length * 1000:,.0f} m"
    fs = 9.5 * k
    _text(ax, x0, y - 0.6 * h, "0", fontsize=fs, ha="center", va="top", zorder=10)
    _text(ax, x0 + deg, y - 0.6 * h, label, fontsize=fs, ha="center", va="top", zorder=10)
    hemi = "N" if lat >= 0 else "S"
    _text(ax, x0 + deg / 2, y + 1.6 * h, f"scale true at {abs(lat):.0f}°{hemi}", fontsize=fs * 0.85, ha="center",
          va="bottom", color="#333333", zorder=10)


def _draw_legend(lax, legend: tuple[scene.Group, ...], k: float, title: str = "Legend") -> None:
    """Rows in a side axes; the font shrinks until everything fits."""
    lax.set_xlim(0, 1)
    lax.set_ylim(0, 1)
    lax.set_xticks([])
    lax.set_yticks([])
    lax.set_facecolor((1, 1, 1, 0.95))
    for sp in lax.spines.values():
        sp.set_edgecolor("#444444")
        sp.set_linewidth(0.8 * k)
    bbox = lax.get_position()
    fig_w, fig_h = lax.figure.get_size_inches()
    w_pt, h_pt = bbox.width * fig_w * 72, bbox.height * fig_h * 72
    groups = [(g.title, [(e.label, e) for e in g.entries]) for g in legend]
    size = 13.0 * k
    while True:
        sw_pt = 2.0 * size
        rows: list[tuple] = [("title", title)]
        for g, items in groups:
            rows.append(("head", g))
            for label, swatch in items:
                lines = _wrap(label, w_pt - sw_pt - 1.6 * size, size)
                rows.append(("entry", lines[0], swatch))
                rows.extend(("more", ln) for ln in lines[1:])
        if not groups:
            rows.append(("more", "Nothing drawn in this view"))
        row_pt = size * 1.45
        if len(rows) * row_pt + 1.2 * size <= h_pt or size <= 5.0:
            break
        size -= 0.5
    fx, fy = 1.0 / w_pt, 1.0 / h_pt
    y = 1.0 - 0.6 * size * fy
    x_text = (0.8 * size + sw_pt + 0.6 * size) * fx
    for row in rows:
        yc = y - row_pt * fy / 2
        if y - row_pt * fy < 0:
            break
        if row[0] == "title":
            _text(lax, 0.8 * size * fx, yc, row[1], fontsize=size * 1.1, fontweight="bold", va="center")
        elif row[0] == "head":
            _text(lax, 0.8 * size * fx, yc, row[1], fontsize=size, fontweight="bold", va="center", color="#222222")
        elif row[0] == "more":
            _text(lax, x_text, yc, row[1], fontsize=size, va="center")
        else:
            _, label, swatch = row
            _swatch(lax, 0.8 * size * fx, yc, sw_pt * fx, 0.72 * row_pt * fy, swatch, k)
            _text(lax, x_text, yc, label, fontsize=size, va="center")
        y -= row_pt * fy


def _swatch(lax, x: float, yc: float, wd: float, ht: float, entry: scene.Entry, k: float) -> None:
    if entry.symbol is not None:
        lax.add_line(Line2D([x + wd / 2], [yc], linestyle="none", **_marker(entry.symbol, 11 * k * 0.9, k)))
        return
    look = entry.look
    lw = 1.5 * k
    fc = (*_rgb(look.fill), look.fill_opacity) if look.fill else "none"
    p = look.pattern
    lax.add_patch(Rectangle((x, yc - ht / 2), wd, ht, facecolor=fc, edgecolor=look.line, linewidth=lw,
                            linestyle=_dashes(look.dash, lw), hatch=p.hatch if p else None,
                            hatchcolor=_rgb(p.colour) if p else "black", hatch_linewidth=1.2 * k))


# -- public API -------------------------------------------------------------------------
def _new_figure(width_in: float, height_in: float, dpi: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # explicit Agg canvas; pyplot and its global state are never involved
    return fig


def _compose(fig: Figure, atlas: Atlas, f: Filters, map_rect, legend_rect, k: float, *, bounds=None, center=None,
             zoom=None, highlight=(), show=LAYERS) -> scene.Scene:
    ax = fig.add_axes(map_rect)
    fw, fh = fig.get_size_inches()
    ratio = (map_rect[2] * fw) / (map_rect[3] * fh)
    if bounds is not None:
        (s, w), (n, e) = (tuple(map(float, p)) for p in bounds)
        dy, dx = 0.05 * abs(n - s) + 0.02, 0.05 * abs(e - w) + 0.02  # margin, so points on the edge show
        requested = ((s - dy, w - dx), (n + dy, e + dx))
    elif center is not None and zoom is not None:
        requested = _centre_zoom_bounds(center, zoom, ratio)
    else:
        requested = _default_bounds(atlas)
    ext = _extent(requested, ratio)
    sc = _draw_map(ax, atlas, f, ext, k, tuple(show), tuple(highlight or ()))
    _draw_legend(fig.add_axes(legend_rect), sc.legend, k)
    fig.atlas_legend = scene.legend_words(sc.legend)
    fig.atlas_legend_groups = {g.title: [e.label for e in g.entries] for g in sc.legend}
    fig.atlas_extent = ext[:4]
    return sc


def render_map(atlas: Atlas, filters: Filters, *, title: str, bounds=None, highlight=(), size=(1920, 1080), dpi=100,
               layers: Sequence[str] = LAYERS, center=None, zoom=None, furniture: bool = True) -> Figure:
    """One view as a figure of ``size`` pixels at ``dpi``: map, title, "as of" date, a legend of
    exactly what is drawn, a scale bar and the source line. ``bounds`` [[s, w], [n, e]], else
    ``center`` (lat, lon) + Leaflet ``zoom``, else the post-Soviet area. ``layers`` is a subset
    of states, territories, installations (Russian), nato. ``furniture=False`` leaves out the title,
    date and source line (the map and its legend fill the figure: slides that carry them as text)."""
    width, height = size
    fig = _new_figure(width / dpi, height / dpi, dpi)
    k = (width / dpi) / _REF_WIDTH_IN
    if not furniture:
        _compose(fig, atlas, filters, [0.006, 0.01, 0.76, 0.98], [0.778, 0.01, 0.216, 0.98], k * 1.15, bounds=bounds,
                 center=center, zoom=zoom, highlight=highlight, show=layers)
        return fig
    _text(fig, 0.012, 0.975, title, fontsize=26 * k, fontweight="bold", va="top")
    _text(fig, 0.012, 0.918, f"as of {filters.date.isoformat()}", fontsize=16 * k, va="top", color="#333333")
    _compose(fig, atlas, filters, [0.012, 0.07, 0.765, 0.82], [0.79, 0.07, 0.2, 0.82], k, bounds=bounds,
             center=center, zoom=zoom, highlight=highlight, show=layers)
    _text(fig, 0.012, 0.022, SOURCE_LINE, fontsize=10 * k, va="bottom", color="#333333")
    return fig


def legend_labels(fig: Figure) -> list[str]:
    """The legend entries of a figure made here (alliances, statuses, territories, kinds, …)."""
    return list(getattr(fig, "atlas_legend", []))


def to_png(fig: Figure) -> bytes:
    buf = _io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, facecolor=fig.get_facecolor())
    return buf.getvalue()


def to_svg(fig: Figure) -> bytes:
    """SVG with the text kept as text (searchable, editable)."""
    buf = _io.BytesIO()
    with _RC_LOCK, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "alliance-atlas"}):
        fig.savefig(buf, format="svg", facecolor=fig.get_facecolor(), metadata={"Date": None})
    return buf.getvalue()


def as_briefing(atlas: Atlas, briefing) -> content.Briefing:
    """A parsed briefing from a parsed one or from its YAML mapping (slides that cannot be drawn
    are kept as skipped slides, named with the reason)."""
    if isinstance(briefing, content.Briefing):
        return briefing
    parsed, problems = content.parse_briefing(atlas, briefing, "briefing", "briefing")
    if parsed is None:
        raise ValueError("; ".join(p.message for p in problems) or "the briefing has no slide that can be drawn")
    return parsed


def _source_lines(notes: Sequence[content.Footnote]) -> list[tuple[str, str]]:
    """(text, url) per footnote: "[n] Publisher: Title — URL"."""
    return [(f"[{f.number}] {f.publisher}: {f.title} — {f.url}", f.url) for f in notes]


def _slide_page(atlas: Atlas, title: str, slide: content.Slide, number: int, total: int) -> Figure:
    fw, fh = _A4_LANDSCAPE
    fig = _new_figure(fw, fh, 100)
    k = fw / _REF_WIDTH_IN
    v = slide.view
    day = v.filters.date
    _text(fig, 0.02, 0.985, title, fontsize=8, color="#555555", va="top")
    _text(fig, 0.98, 0.985, f"{number} / {total}", fontsize=8, color="#555555", va="top", ha="right")
    _text(fig, 0.02, 0.955, slide.title, fontsize=17, fontweight="bold", va="top")
    width_pt = 0.96 * fw * 72
    cap = _wrap(slide.caption, width_pt, 10.5)[:2]
    _text(fig, 0.02, 0.905, "\n".join(cap), fontsize=10.5, va="top", linespacing=1.3)
    _text(fig, 0.02, 0.845, f"as of {day.isoformat()}", fontsize=8.5, va="top", color="#333333")
    _compose(fig, atlas, v.filters, [0.02, 0.33, 0.70, 0.49], [0.735, 0.33, 0.245, 0.49], k, bounds=v.bounds,
             highlight=v.highlight, show=v.layers)
    # notes and sources share the band under the map; shrink the type until they fit
    text, notes = content.footnoted(atlas, slide.notes, slide.sources)
    top, bottom = 0.315, 0.04
    avail = (top - bottom) * fh * 72
    src = _source_lines(notes)
    size = 8.5
    while True:
        wrapped = _wrap(text, width_pt, size)
        srcl = [(ln, url) for s, url in src for ln in _wrap(s, width_pt - 10, size * 0.85)]
        need = len(wrapped) * size * 1.3 + (size * 1.6 + len(srcl) * size * 0.85 * 1.3 if srcl else 0)
        if need <= avail or size <= 5.5:
            break
        size -= 0.25
    y = top
    if wrapped and any(wrapped):
        _text(fig, 0.02, y, "\n".join(wrapped), fontsize=size, va="top", linespacing=1.3)
        y -= len(wrapped) * size * 1.3 / (fh * 72) + 0.008
    if srcl:
        _text(fig, 0.02, y, "Sources", fontsize=size, fontweight="bold", va="top")
        y -= size * 1.5 / (fh * 72)
        step = size * 0.85 * 1.3 / (fh * 72)
        room = max(0, int((y - bottom) / step))
        shown = srcl[:room] if len(srcl) <= room else [*srcl[:max(room - 1, 0)], ("…", "")]
        for line, url in shown:  # one text per line, each a link in the PDF (matplotlib writes a URI annotation)
            t = _text(fig, 0.03, y, line, fontsize=size * 0.85, va="top", color="#1a0dab" if url else "#222222")
            if url.startswith(("http://", "https://")):
                t.set_url(url)
            y -= step
    _text(fig, 0.02, 0.012, SOURCE_LINE, fontsize=6.5, va="bottom", color="#444444")
    return fig


def skipped_page(skipped: content.SkippedSlide, title: str, total: int) -> Figure:
    """A page that names a slide that cannot be drawn, and why, in its place in the deck."""
    fw, fh = _A4_LANDSCAPE
    fig = _new_figure(fw, fh, 100)
    _text(fig, 0.02, 0.985, title, fontsize=8, color="#555555", va="top")
    _text(fig, 0.98, 0.985, f"{skipped.number} / {total}", fontsize=8, color="#555555", va="top", ha="right")
    _text(fig, 0.02, 0.955, skipped.title, fontsize=17, fontweight="bold", va="top")
    msg = _wrap(f"This slide cannot be drawn and is left out: {skipped.reason}", 0.96 * fw * 72, 12)
    _text(fig, 0.02, 0.85, "\n".join(msg), fontsize=12, va="top", color="#8b0000", linespacing=1.3)
    return fig


def briefing_pdf(atlas: Atlas, briefing) -> bytes:
    """A PDF with one A4-landscape page per slide of the file: title, caption, map, legend, notes with
    numbered footnotes, and the sources as links; a slide that cannot be drawn gets a page that says so."""
    b = as_briefing(atlas, briefing)
    pages = b.pages()
    buf = _io.BytesIO()
    meta = {"Title": b.title, "Author": b.author, "Creator": "Alliance Atlas", "CreationDate": None}
    # TrueType fonts (not Type 3) so the text of the PDF can be searched and copied
    with _RC_LOCK, matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buf, metadata=meta) as pdf:
        for i, page in enumerate(pages, start=1):
            if isinstance(page, content.SkippedSlide):
                pdf.savefig(skipped_page(page, b.title, len(pages)))
            else:
                pdf.savefig(_slide_page(atlas, b.title, page, i, len(pages)))
    return buf.getvalue()
