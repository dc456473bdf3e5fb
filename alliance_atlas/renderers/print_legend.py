"""The printed legend: the groups and entries of the scene legend as matplotlib swatches and text."""

from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from alliance_atlas.cartography import scene
from alliance_atlas.renderers.print_base import dashes, draw_text, marker_style, rgb, wrap_lines


def draw_legend(lax, legend: tuple[scene.Group, ...], k: float, title: str = "Legend") -> None:
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
                lines = wrap_lines(label, w_pt - sw_pt - 1.6 * size, size)
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
            draw_text(lax, 0.8 * size * fx, yc, row[1], fontsize=size * 1.1, fontweight="bold", va="center")
        elif row[0] == "head":
            draw_text(lax, 0.8 * size * fx, yc, row[1], fontsize=size, fontweight="bold", va="center", color="#222222")
        elif row[0] == "more":
            draw_text(lax, x_text, yc, row[1], fontsize=size, va="center")
        else:
            _, label, swatch = row
            _swatch(lax, 0.8 * size * fx, yc, sw_pt * fx, 0.72 * row_pt * fy, swatch, k)
            draw_text(lax, x_text, yc, label, fontsize=size, va="center")
        y -= row_pt * fy


def _swatch(lax, x: float, yc: float, wd: float, ht: float, entry: scene.Entry, k: float) -> None:
    if entry.symbol is not None:
        lax.add_line(Line2D([x + wd / 2], [yc], linestyle="none", **marker_style(entry.symbol, 11 * k * 0.9, k)))
        return
    look = entry.look
    assert look is not None  # an entry without a symbol has a look
    lw = 1.5 * k
    fc = (*rgb(look.fill), look.fill_opacity) if look.fill else "none"
    p = look.pattern
    lax.add_patch(
        Rectangle(
            (x, yc - ht / 2),
            wd,
            ht,
            facecolor=fc,
            edgecolor=look.line,
            linewidth=lw,
            linestyle=dashes(look.dash, lw),
            hatch=p.hatch if p else None,
            hatchcolor=rgb(p.colour) if p else "black",
            hatch_linewidth=1.2 * k,
        )
    )
