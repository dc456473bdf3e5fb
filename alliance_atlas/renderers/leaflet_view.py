"""Everything one map view needs, from one Filters value."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import pandas as pd

from alliance_atlas.cartography import inextent, popups
from alliance_atlas.data.loading import Atlas
from alliance_atlas.data.schema import Filters
from alliance_atlas.renderers import leaflet_layers, leaflet_map, leaflet_overlays
from alliance_atlas.renderers.assets import localize


@dataclass
class MapLayers:
    groups: list[folium.FeatureGroup]
    installations: pd.DataFrame
    legend_html: str


LAYERS = ("states", "territories", "installations", "nato")


def build(
    atlas: Atlas,
    f: Filters,
    prefix: str = "/app/static/",
    *,
    with_popups: bool = False,
    ring: tuple[float, float, float] | None = None,
    include: tuple[str, ...] = LAYERS,
    highlight: tuple[str, ...] = (),
    title: str = "Alliance Atlas",
    overlays: dict[str, tuple] | None = None,
    fit=None,
    legend_on_map: bool = True,
    legend_extent: inextent.Extent | None = None,
    fit_nonce: int = 0,
    served: bool = True,
) -> MapLayers:
    """The filter-dependent layers (states, territories, installations, NATO, ring, highlight,
    legend); ``include`` picks which of the four data layers are drawn (briefing slides).
    In the app, details open beside the map (``with_popups=False`` keeps the payload small);
    exports carry popups with sources. ``ring`` = (lat, lon, km). ``fit`` [[s, w], [n, e]] makes the
    map show that area at its real size (briefing slides; in the app once, after a region or search
    request, ``fit_nonce`` telling requests apart); ``legend_on_map=False`` leaves the legend
    to the page (``legend_html``), beside the map; ``legend_extent`` (w, e, s, n) limits the legend
    to what lies there (a slide: ``inextent.around`` its bounds). ``served``: shapes that do not change per view are
    fetched from static files under ``prefix`` (served.py) rather than sent with every view."""
    where = prefix if served else None
    rus, nato, inst = leaflet_layers.installations_layers(
        atlas,
        f.date,
        kinds=f.kinds,
        statuses=f.statuses,
        regions=f.regions,
        show_historic=f.show_historic,
        with_popups=with_popups,
        prefix=where,
    )
    drawn = inst[inst["operator"].map({"RUS": "installations", "NATO": "nato"}).isin(include)]
    groups = []
    if "states" in include:
        groups.append(leaflet_layers.states_layer(atlas, f.date, f.alliances, with_popups, where))
    if "territories" in include:
        control = leaflet_layers.control_layer(
            atlas, f.date, where
        )  # military control under the claimed-annexation hatch
        groups += [control] if control is not None else []
        groups.append(leaflet_layers.territories_layer(atlas, f.date, with_popups, where))
    groups += [g for name, g in (("installations", rus), ("nato", nato)) if name in include]
    for name, (gdf, colour) in (overlays or {}).items():
        groups.append(leaflet_overlays.overlay_layer(name, gdf, colour))
    key = tuple(sorted(include))
    entries = leaflet_layers.legend_of(
        atlas,
        f,
        drawn,
        key,
        tuple(highlight),
        tuple((n, c) for n, (_g, c) in (overlays or {}).items()),
        legend_extent,
    )
    legend = popups.legend_html(entries, f.date, title=title)
    if ring is not None:
        groups.append(leaflet_layers.ring_layer(*ring))
    if highlight:
        groups.append(leaflet_layers.highlight_layer(atlas, highlight, where))
    if legend_on_map:
        groups.append(leaflet_map.legend_layer(legend))
    if fit is not None:
        groups.append(leaflet_map.fit_layer(fit, fit_nonce))
    for g in groups:
        localize(g, prefix)
    return MapLayers(groups, drawn, legend)


def full_map(
    atlas: Atlas,
    f: Filters,
    prefix: str = "/app/static/",
    *,
    with_popups: bool = True,
    include: tuple[str, ...] = LAYERS,
    highlight: tuple[str, ...] = (),
    title: str = "Alliance Atlas",
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    fine: bool = True,
    served: bool = True,
) -> folium.Map:
    """Base map with every layer attached and a layer control: for exports and tests
    (``fine=False``: light state outlines at every zoom, ``served=False``: every shape inline — for a
    file opened without a server)."""
    m = leaflet_map.base_map(atlas, f.basemap, prefix, fine=fine, served=served)
    if center is not None:
        m.location = list(center)
    if zoom is not None:
        m.options["zoom"] = zoom
    for g in build(
        atlas, f, prefix, with_popups=with_popups, include=include, highlight=highlight, title=title, served=served
    ).groups:
        g.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m
