"""Drawing one view with matplotlib: areas, markers, labels and the scale bar, from the cartography scene."""

from __future__ import annotations

import math
from collections.abc import Sequence

import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle

from alliance_atlas.cartography import scene, style
from alliance_atlas.data.loading import Atlas
from alliance_atlas.data.schema import Filters
from alliance_atlas.renderers.print_base import (
    GEOD,
    dashes,
    draw_text,
    label_box,
    marker_style,
    mpl_path,
    nice,
    offset_points,
    prepared,
    rgb,
)


# -- what is drawn ---------------------------------------------------------------------
def draw_map(ax, atlas: Atlas, f: Filters, ext, k: float, show: Sequence[str], highlight: Sequence[str]) -> scene.Scene:
    w, e, s, n, lat0 = ext
    geo = prepared(atlas)
    pad = 0.02 * max(e - w, n - s)
    # the scene of the print's extent: what it holds is what is drawn, and its legend lists just that
    sc = scene.build(atlas, f, include=tuple(show), highlight=tuple(highlight or ()), extent=(w, e, s, n))

    def clip(g):
        return shapely.clip_by_rect(g, w - pad, s - pad, e + pad, n + pad) if g is not None else None

    def patch(g, z, **kw):
        p = mpl_path(clip(g))
        if p is not None:
            # add_artist, not add_patch: the limits are set once below, and add_patch's per-patch
            # limit update walks every Bézier segment (most of a frame's time: the GIF has dozens)
            ax.add_artist(PathPatch(p, zorder=z, **kw))
        return p is not None

    ax.set_facecolor(style.SEA)
    if geo["land"] is not None:
        patch(
            geo["land"],
            1,
            facecolor=style.BASE_LAND["fillColor"],
            edgecolor=style.BASE_LAND["color"],
            linewidth=style.BASE_LAND["weight"] * 0.72 * k,
        )

    emphasis = set(sc.highlight)
    post_soviet = set(atlas.states.loc[atlas.states["post_soviet"].astype(bool), "iso3"])
    labels_at: list[tuple[float, float, str, bool]] = []
    layers = (
        ("state", sc.states, geo["states"], 2),
        ("control", sc.controls, geo.get("controls", {}), 2.6),
        ("territory", sc.territories, geo["territories"], 3),
    )
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
        ax.add_line(
            Line2D(
                xs,
                [m.lat for m in grp],
                linestyle="none",
                zorder=5 if phase == "active" else 4.5,
                gid=f"installations:{op}:{kind}:{phase}",
                **marker_style(sym, ms, k),
            )
        )
    for m in marks:
        if m.id in emphasis:
            x = m.lon + 360 if m.lon < -150 else m.lon
            ax.add_line(
                Line2D(
                    [x],
                    [m.lat],
                    linestyle="none",
                    marker="o",
                    markersize=ms * 2.0,
                    markerfacecolor="none",
                    markeredgecolor=scene.HIGHLIGHT.line,
                    markeredgewidth=2.5 * k,
                    zorder=6,
                    gid=f"highlight:{m.id}",
                )
            )
            labels_at.append((x, m.lat, m.name, True))

    # a selected item's name: bold, up and right of its marker; an area's name: italic, centred inside it
    strong_style = {"fontsize": 10.5 * k, "fontweight": "bold", "color": "#111111", "zorder": 7, "ha": "left"}
    plain_style = {"fontsize": 9.5 * k, "color": "#333333", "style": "italic", "zorder": 6.5, "ha": "center"}
    for x, y, name, strong in labels_at:
        placed = (
            {"va": "bottom", "bbox": label_box(0.8), "transform": ax.transData + offset_points(ax, 9 * k, 6 * k)}
            if strong
            else {"va": "center", "bbox": label_box(0.55)}
        )
        draw_text(ax, x, y, name, clip_on=True, **(strong_style if strong else plain_style), **placed)

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
    face = (*rgb(look.fill), look.fill_opacity) if look.fill and look.fill_opacity else "none"
    p = look.pattern
    hatch = (
        {}
        if p is None or p.space_colour
        else {"hatch": p.hatch, "hatchcolor": (*rgb(p.colour), 0.75), "hatch_linewidth": 1.0 * k}
    )
    patch(g, z, facecolor=face, edgecolor=look.line, linewidth=lw, linestyle=dashes(look.dash, lw), gid=gid, **hatch)
    if p is not None and p.space_colour:
        patch(
            g,
            z + 0.2,
            facecolor="none",
            edgecolor="none",
            linewidth=0,
            hatch=p.hatch,
            hatchcolor=p.colour,
            hatch_linewidth=2.4 * k,
            gid=f"stripes:{gid.split(':', 1)[1]}",
        )


def _scale_bar(ax, ext, k: float) -> None:
    """A bar in km, true at the latitude it is drawn at (the equirectangular x scale varies with latitude)."""
    w, e, s, n, _ = ext
    y = s + 0.05 * (n - s)
    x0 = w + 0.03 * (e - w)
    lat = max(-89.0, min(89.0, y))
    _, _, metres = GEOD.inv(x0, lat, x0 + 0.01, lat)
    km_per_deg = metres / 1000.0 / 0.01
    length = nice(0.18 * (e - w) * km_per_deg)
    deg = length / km_per_deg
    h = 0.012 * (n - s)
    ax.add_patch(
        Rectangle(
            (x0 - 0.01 * (e - w), y - 3.2 * h),
            deg + 0.06 * (e - w),
            6.2 * h,
            facecolor=(1, 1, 1, 0.8),
            edgecolor="none",
            zorder=8,
        )
    )
    ax.add_patch(
        Rectangle(
            (x0, y), deg / 2, h, facecolor="black", edgecolor="black", linewidth=0.8 * k, zorder=9, gid="scale-bar"
        )
    )
    ax.add_patch(
        Rectangle(
            (x0 + deg / 2, y),
            deg / 2,
            h,
            facecolor="white",
            edgecolor="black",
            linewidth=0.8 * k,
            zorder=9,
            gid="scale-bar",
        )
    )
    label = f"{length:,.0f} km" if length >= 1 else f"{length * 1000:,.0f} m"
    fs = 9.5 * k
    draw_text(ax, x0, y - 0.6 * h, "0", fontsize=fs, ha="center", va="top", zorder=10)
    draw_text(ax, x0 + deg, y - 0.6 * h, label, fontsize=fs, ha="center", va="top", zorder=10)
    hemi = "N" if lat >= 0 else "S"
    draw_text(
        ax,
        x0 + deg / 2,
        y + 1.6 * h,
        f"scale true at {abs(lat):.0f}°{hemi}",
        fontsize=fs * 0.85,
        ha="center",
        va="bottom",
        color="#333333",
        zorder=10,
    )
