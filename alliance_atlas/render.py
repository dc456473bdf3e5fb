"""Static maps without a browser: PNG/SVG of one view, and a briefing as a PDF.

Drawn with matplotlib (the Agg canvas, attached to each Figure; pyplot is never used, so
no global figure state) from the same data and the same style constants as the web map:
states coloured by ``style.org_colour`` of the first selected alliance held (status told
apart by fill opacity and outline dash, a second alliance as stripes in its colour),
contested territory hatched per ``style.TERRITORY_LOOK``, installations as markers whose
shape depends on the kind (readable in grey scale), filled when active and hollow when
planned, closed or withdrawn.

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
from shapely.geometry import box

from . import content, schema, style, timeline
from . import layers as _layers
from .io import Atlas
from .schema import Filters

# rc_context changes matplotlib's global settings: one SVG/PDF export at a time per process
_RC_LOCK = threading.Lock()

LAYERS = ("states", "territories", "installations", "nato")
SOURCE_LINE = ("Sources: Alliance Atlas data — see data/sources.csv; boundaries: Natural Earth (public domain). "
               "Borders as internationally recognised; inclusion does not imply recognition.")
#: marker per installation kind: one distinct shape each, so the map reads without colour
KIND_MARKERS = {
    "ground_base": "s", "air_base": "^", "naval_base": "D", "radar": "o", "space_launch": "*",
    "test_range": "p", "depot": "h", "missile": "v", "peacekeeping": "P", "deployment": ">",
    "battlegroup": "X",
}  # fmt: skip
PHASE_LOOK_WORDS = {"active": "filled", "planned": "hollow", "closed": "hollow, faded", "withdrawn": "hollow, faded"}
PHASE_LABELS = {p: f"{schema.PHASE_NAMES[p]} ({w})" for p, w in PHASE_LOOK_WORDS.items()}
OPERATOR_LABELS = {"RUS": "Russian installation", "NATO": "NATO forward presence"}
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
def _installations(atlas: Atlas, f: Filters):
    """As layers.installations_layers: kinds, phases (``statuses``), regions, show_historic."""
    return timeline.selected_installations(atlas, f.date, kinds=f.kinds, statuses=f.statuses, regions=f.regions,
                                           show_historic=f.show_historic)


class _Legend:
    def __init__(self) -> None:
        self.groups: dict[str, list[tuple[str, dict]]] = {}

    def add(self, group: str, label: str, swatch: dict) -> None:
        items = self.groups.setdefault(group, [])
        if label not in [lab for lab, _ in items]:
            items.append((label, swatch))

    def sort(self) -> None:
        order = {"Status": list(schema.MEMBERSHIP_STATUSES.values()),
                 "Contested territory": list(schema.TERRITORY_STATUSES.values())}
        for g, ref in order.items():
            if g in self.groups:
                self.groups[g].sort(key=lambda item, ref=ref: ref.index(item[0]) if item[0] in ref else len(ref))

    def labels(self) -> list[str]:
        return [lab for items in self.groups.values() for lab, _ in items]


GROUP_ORDER = ("Alliances", "Status", "Contested territory", "Installations", "Operated by", "On this date",
               "Emphasis")


def _draw_map(ax, atlas: Atlas, f: Filters, ext, k: float, show: Sequence[str], highlight: Sequence[str]) -> _Legend:
    w, e, s, n, lat0 = ext
    geo = _prepared(atlas)
    legend = _Legend()
    view = box(w, s, e, n)
    pad = 0.02 * max(e - w, n - s)

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

    held = _layers.held_by_state(atlas, f.date, f.alliances) if "states" in show else {}
    names = schema.org_names(atlas.organizations)
    highlight = set(highlight or ())
    labels_at: list[tuple[float, float, str, bool]] = []
    for r in atlas.states.itertuples():
        if f.regions and r.region not in f.regions and r.region != "neighbour":
            continue
        g = geo["states"][r.iso3]
        if not g.intersects(view):
            continue
        mine = held.get(r.iso3, [])
        lw = (style.POST_SOVIET_OUTLINE["weight"] if r.post_soviet else style.BASE_STATE["weight"]) * 0.72 * k
        edge = style.POST_SOVIET_OUTLINE["color"] if r.post_soviet else style.BASE_STATE["color"]
        face, ls = ((1, 1, 1, 0.35) if r.post_soviet else "none"), "solid"
        if mine:
            org, status = mine[0]
            look = style.STATUS_LOOK[status]
            lw = look["weight"] * 0.72 * k
            face = (*_rgb(style.org_colour(org)), look["fillOpacity"])
            ls = _dashes(look["dashArray"], lw)
            legend.add("Alliances", names.get(org, org), {"face": style.org_colour(org), "alpha": 0.65})
            legend.add("Status", schema.MEMBERSHIP_STATUSES[status],
                       {"face": "#555555", "alpha": look["fillOpacity"], "ls": _dashes(look["dashArray"], 1.5 * k),
                        "lw": 1.5 * k})
        patch(g, 2, facecolor=face, edgecolor=edge, linewidth=lw, linestyle=ls, gid=f"state:{r.iso3}")
        if len(mine) > 1:
            second = mine[1][0]
            patch(g, 2.2, facecolor="none", edgecolor="none", linewidth=0, hatch="//", gid=f"stripes:{r.iso3}",
                  hatchcolor=style.org_colour(second), hatch_linewidth=2.4 * k)
            legend.add("Alliances", names.get(second, second), {"face": style.org_colour(second), "alpha": 0.65})
            legend.add("Alliances", f"{names.get(mine[0][0], mine[0][0])} and {names.get(second, second)}"
                       " (stripes: second alliance)",
                       {"face": style.org_colour(mine[0][0]), "alpha": 0.65, "hatch": "//",
                        "hatchcolor": style.org_colour(second)})
        if r.iso3 in highlight:
            patch(g, 4, facecolor="none", edgecolor=style.RING_COLOUR, linewidth=3.5 * k, gid=f"highlight:{r.iso3}")
            legend.add("Emphasis", "Highlighted", {"face": "none", "edge": style.RING_COLOUR, "lw": 2.5 * k})
        if r.post_soviet:
            vis = clip(g)
            if not vis.is_empty and vis.area > 0.004 * (e - w) * (n - s):
                pt = vis.representative_point()
                labels_at.append((pt.x, pt.y, r.name, r.iso3 in highlight))

    if "territories" in show:
        for _, t in timeline.territories_on(atlas, f.date).iterrows():
            g = geo["territories"][t["id"]]
            if not g.intersects(view):
                continue
            look = style.TERRITORY_LOOK[t["status"]]
            hatch = look["hatch"]
            lw = 2 * 0.72 * k
            patch(g, 3, facecolor="none", edgecolor=style.TERRITORY_COLOUR, linewidth=lw,
                  linestyle=_dashes(look["dashArray"], lw), hatch=hatch, hatchcolor=(0, 0, 0, 0.75),
                  hatch_linewidth=1.0 * k, gid=f"territory:{t['id']}")
            legend.add("Contested territory", schema.TERRITORY_STATUSES[t["status"]],
                       {"face": "none", "edge": style.TERRITORY_COLOUR, "hatch": hatch,
                        "ls": _dashes(look["dashArray"], 1.5 * k), "lw": 1.5 * k})
            if t["id"] in highlight:
                patch(g, 4, facecolor="none", edgecolor=style.RING_COLOUR, linewidth=3.5 * k, gid=f"highlight:{t['id']}")
                legend.add("Emphasis", "Highlighted", {"face": "none", "edge": style.RING_COLOUR, "lw": 2.5 * k})
                vis = clip(g)
                if not vis.is_empty:
                    pt = vis.representative_point()
                    labels_at.append((pt.x, pt.y, t["name"], True))

    operators = [op for op, layer in (("RUS", "installations"), ("NATO", "nato")) if layer in show]
    inst = _installations(atlas, f) if operators else None
    ms = 11 * k
    if inst is not None and not inst.empty:
        inst = inst[inst["operator"].isin(operators)].copy()
        lon = inst["lon"].astype(float)
        inst["_x"] = np.where(lon < -150, lon + 360, lon)
        inst["_y"] = inst["lat"].astype(float)
        inst = inst[(inst["_x"] >= w) & (inst["_x"] <= e) & (inst["_y"] >= s) & (inst["_y"] <= n)]
        for (op, kind, phase), grp in inst.groupby(["operator", "kind", "phase"], sort=True):
            colour = style.OPERATOR_COLOURS.get(op, style.OKABE_ITO["black"])
            ax.add_line(Line2D(grp["_x"], grp["_y"], linestyle="none", zorder=5 if phase == "active" else 4.5,
                               gid=f"installations:{op}:{kind}:{phase}",
                               **_marker(kind, phase, colour, ms, k)))
        for kind in schema.INSTALLATION_KINDS:
            if kind in set(inst["kind"]):
                legend.add("Installations", schema.INSTALLATION_KINDS[kind],
                           {"marker": _marker(kind, "active", "#333333", ms * 0.9, k)})
        for op in schema.OPERATORS:
            if op in set(inst["operator"]):
                legend.add("Operated by", OPERATOR_LABELS[op],
                           {"marker": _marker("radar", "active", style.OPERATOR_COLOURS[op], ms * 0.9, k)})
        for phase in ("active", "planned", "closed", "withdrawn"):
            if phase in set(inst["phase"]):
                legend.add("On this date", PHASE_LABELS[phase], {"marker": _marker("radar", phase, "#333333", ms * 0.9, k)})
        for _, r in inst[inst["id"].isin(highlight)].iterrows():
            ax.add_line(Line2D([r["_x"]], [r["_y"]], linestyle="none", marker="o", markersize=ms * 2.0,
                               markerfacecolor="none", markeredgecolor=style.RING_COLOUR, markeredgewidth=2.5 * k,
                               zorder=6, gid=f"highlight:{r['id']}"))
            labels_at.append((r["_x"], r["_y"], r["name"], True))
            legend.add("Emphasis", "Highlighted", {"face": "none", "edge": style.RING_COLOUR, "lw": 2.5 * k})

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
    legend.sort()
    return legend


def _offset(ax, dx_pt: float, dy_pt: float):
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(dx_pt / 72.0, dy_pt / 72.0, ax.figure.dpi_scale_trans)


def _rgb(colour: str) -> tuple[float, float, float]:
    h = colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


def _marker(kind: str, phase: str, colour: str, ms: float, k: float) -> dict:
    look = style.PHASE_LOOK.get(phase, style.PHASE_LOOK["active"])
    m = KIND_MARKERS.get(kind, "o")
    size = ms * (1.35 if m == "*" else 1.0)
    if look["fill"]:
        return {"marker": m, "markersize": size, "markerfacecolor": colour, "markeredgecolor": "black",
                "markeredgewidth": 1.1 * k, "alpha": look["opacity"]}
    return {"marker": m, "markersize": size, "markerfacecolor": "white", "markeredgecolor": colour,
            "markeredgewidth": 2.0 * k, "alpha": look["opacity"]}


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


def _draw_legend(lax, legend: _Legend, k: float, title: str = "Legend") -> None:
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
    groups = [(g, legend.groups[g]) for g in GROUP_ORDER if g in legend.groups]
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


def _swatch(lax, x: float, yc: float, wd: float, ht: float, sw: dict, k: float) -> None:
    if "marker" in sw:
        lax.add_line(Line2D([x + wd / 2], [yc], linestyle="none", **sw["marker"]))
        return
    face = sw.get("face", "none")
    fc = face if face == "none" else (*_rgb(face), sw.get("alpha", 1.0))
    lax.add_patch(Rectangle((x, yc - ht / 2), wd, ht, facecolor=fc, edgecolor=sw.get("edge", "black"),
                            linewidth=sw.get("lw", 1.0 * k), linestyle=sw.get("ls", "solid"),
                            hatch=sw.get("hatch"), hatchcolor=sw.get("hatchcolor", "black"),
                            hatch_linewidth=1.2 * k))


# -- public API -------------------------------------------------------------------------
def _new_figure(width_in: float, height_in: float, dpi: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # explicit Agg canvas; pyplot and its global state are never involved
    return fig


def _compose(fig: Figure, atlas: Atlas, f: Filters, map_rect, legend_rect, k: float, *, bounds=None, center=None,
             zoom=None, highlight=(), show=LAYERS) -> _Legend:
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
    legend = _draw_map(ax, atlas, f, ext, k, tuple(show), tuple(highlight or ()))
    _draw_legend(fig.add_axes(legend_rect), legend, k)
    fig.atlas_legend = legend.labels()
    fig.atlas_legend_groups = {g: [lab for lab, _ in items] for g, items in legend.groups.items()}
    fig.atlas_extent = ext[:4]
    return legend


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
