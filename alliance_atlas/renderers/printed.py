"""Static maps without a browser: a PNG/SVG of one view (the layout of the image; drawing in print_drawing)."""

from __future__ import annotations

import io as _io
from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from alliance_atlas.cartography import scene
from alliance_atlas.data.loading import Atlas
from alliance_atlas.data.schema import Filters
from alliance_atlas.renderers.print_base import (
    LAYERS,
    RC_LOCK,
    REF_WIDTH_IN,
    SOURCE_LINE,
    centre_zoom_bounds,
    default_bounds,
    draw_text,
    fit_extent,
    shrink_to_width,
)
from alliance_atlas.renderers.print_drawing import draw_map
from alliance_atlas.renderers.print_legend import draw_legend


# -- public API -------------------------------------------------------------------------
def new_figure(width_in: float, height_in: float, dpi: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)  # explicit Agg canvas; pyplot and its global state are never involved
    return fig


def compose_figure(
    fig: Figure,
    atlas: Atlas,
    f: Filters,
    map_rect,
    legend_rect,
    k: float,
    *,
    bounds=None,
    center=None,
    zoom=None,
    highlight=(),
    show=LAYERS,
) -> scene.Scene:
    ax = fig.add_axes(map_rect)
    fw, fh = fig.get_size_inches()
    ratio = (map_rect[2] * fw) / (map_rect[3] * fh)
    if bounds is not None:
        (s, w), (n, e) = (tuple(map(float, p)) for p in bounds)
        dy, dx = 0.05 * abs(n - s) + 0.02, 0.05 * abs(e - w) + 0.02  # margin, so points on the edge show
        requested = ((s - dy, w - dx), (n + dy, e + dx))
    elif center is not None and zoom is not None:
        requested = centre_zoom_bounds(center, zoom, ratio)
    else:
        requested = default_bounds(atlas)
    ext = fit_extent(requested, ratio)
    sc = draw_map(ax, atlas, f, ext, k, tuple(show), tuple(highlight or ()))
    draw_legend(fig.add_axes(legend_rect), sc.legend, k)
    # what was drawn, read by tests and exports (matplotlib figures take attributes)
    fig.atlas_legend = scene.legend_words(sc.legend)  # type: ignore[attr-defined]
    fig.atlas_legend_groups = {g.title: [e.label for e in g.entries] for g in sc.legend}  # type: ignore[attr-defined]
    fig.atlas_extent = ext[:4]  # type: ignore[attr-defined]
    return sc


def render_map(
    atlas: Atlas,
    filters: Filters,
    *,
    title: str,
    bounds=None,
    highlight=(),
    size=(1920, 1080),
    dpi=100,
    layers: Sequence[str] = LAYERS,
    center=None,
    zoom=None,
    furniture: bool = True,
) -> Figure:
    """One view as a figure of ``size`` pixels at ``dpi``: map, title, "as of" date, a legend of
    exactly what is drawn, a scale bar and the source line. ``bounds`` [[s, w], [n, e]], else
    ``center`` (lat, lon) + Leaflet ``zoom``, else the post-Soviet area. ``layers`` is a subset
    of states, territories, installations (Russian), nato. ``furniture=False`` leaves out the title,
    date and source line (the map and its legend fill the figure: slides that carry them as text)."""
    width, height = size
    fig = new_figure(width / dpi, height / dpi, dpi)
    k = (width / dpi) / REF_WIDTH_IN
    # map and legend frames ([left, bottom, width, height] of the figure) and the type scale
    if furniture:
        shrink_to_width(draw_text(fig, 0.012, 0.975, title, fontsize=26 * k, fontweight="bold", va="top"), 0.976)
        draw_text(fig, 0.012, 0.918, f"as of {filters.date.isoformat()}", fontsize=16 * k, va="top", color="#333333")
        frames, scale = ([0.012, 0.07, 0.765, 0.82], [0.79, 0.07, 0.2, 0.82]), k
    else:
        frames, scale = ([0.006, 0.01, 0.76, 0.98], [0.778, 0.01, 0.216, 0.98]), k * 1.15
    compose_figure(
        fig, atlas, filters, *frames, scale, bounds=bounds, center=center, zoom=zoom, highlight=highlight, show=layers
    )
    if furniture:
        draw_text(fig, 0.012, 0.022, SOURCE_LINE, fontsize=10 * k, va="bottom", color="#333333")
    return fig


def render_view(atlas: Atlas, view: Any, *, title: str, **kw: Any) -> Figure:
    """A briefing slide's view (its filters, bounds, highlighted items and layers) as a figure;
    ``kw`` are render_map's size, dpi and furniture."""
    return render_map(
        atlas, view.filters, title=title, bounds=view.bounds, highlight=view.highlight, layers=view.layers, **kw
    )


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
    with RC_LOCK, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "alliance-atlas"}):
        fig.savefig(buf, format="svg", facecolor=fig.get_facecolor(), metadata={"Date": None})
    return buf.getvalue()
