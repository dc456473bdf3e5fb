"""Everything one map view needs, from one Filters value."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import pandas as pd

from . import layers, popups, schema, timeline
from .assets import localize
from .io import Atlas
from .schema import Filters


@dataclass
class MapLayers:
    groups: list[folium.FeatureGroup]
    installations: pd.DataFrame
    legend_html: str


def build(atlas: Atlas, f: Filters, prefix: str = "/app/static/") -> MapLayers:
    """The filter-dependent layers (states, territories, installations, NATO, legend)."""
    states = layers.states_layer(atlas, f.date, f.alliances, f.regions)
    territories = layers.territories_layer(atlas, f.date)
    rus, nato, inst = layers.installations_layers(
        atlas, f.date, kinds=f.kinds, statuses=f.statuses, regions=f.regions, show_historic=f.show_historic)
    held = layers.held_by_state(atlas, f.date, f.alliances)
    statuses = sorted({s for pairs in held.values() for _o, s in pairs}, key=list(schema.MEMBERSHIP_STATUSES).index)
    ter = timeline.territories_on(atlas, f.date)
    ter_statuses = [s for s in schema.TERRITORY_STATUSES if s in set(ter["status"])]
    kinds = [k for k in schema.INSTALLATION_KINDS if k in set(inst["kind"])]
    phases = [p for p in ("active", "planned", "closed", "withdrawn") if p in set(inst["phase"])]
    legend = popups.legend_html(f.date, f.alliances, statuses, ter_statuses, kinds, phases)
    groups = [states, territories, rus, nato, layers.legend_layer(legend)]
    for g in groups:
        localize(g, prefix)
    return MapLayers(groups, inst, legend)


def full_map(atlas: Atlas, f: Filters, prefix: str = "/app/static/") -> folium.Map:
    """Base map with every layer attached and a layer control: for exports and tests."""
    m = layers.base_map(atlas, f.basemap, prefix)
    for g in build(atlas, f, prefix).groups:
        g.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m
