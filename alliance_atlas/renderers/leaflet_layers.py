"""The layers of one view as Leaflet feature groups: states, territories, control areas, installations, highlights."""

from __future__ import annotations

import datetime as dt

import folium
import folium.plugins as plugins

from alliance_atlas.analysis import geo
from alliance_atlas.cartography import display, inextent, popups, scene, style
from alliance_atlas.data import asof, schema
from alliance_atlas.data.loading import Atlas
from alliance_atlas.renderers import served as serving
from alliance_atlas.renderers.leaflet_elements import Markers
from alliance_atlas.renderers.leaflet_features import Features
from alliance_atlas.renderers.leaflet_map import geometry, states_geo, territories_geo, view_cache
from alliance_atlas.safe import esc


def _leaflet_style(look: scene.Look, pattern_id: str | None = None) -> dict:
    """A scene look as a Leaflet path style (a pattern fills at the look's opacity, or whole)."""
    st = {
        "color": look.line,
        "weight": look.weight,
        "fillColor": look.fill or "#FFFFFF",
        "fillOpacity": look.fill_opacity if look.fill else (1.0 if look.pattern else 0.0),
        "dashArray": look.dash,
    }
    if pattern_id:
        st["pat"] = pattern_id
    return st


def _add_patterns(fg: folium.FeatureGroup, patterns: list[scene.Pattern]) -> dict:
    return {
        f"p{i}": plugins.StripePattern(
            angle=-p.angle,  # SVG's rotate() turns clockwise
            weight=p.weight,
            space_weight=p.space,
            color=p.colour,
            space_color=p.space_colour or "#ffffff",
            opacity=p.opacity,
            space_opacity=1.0 if p.space_colour else 0.0,
        ).add_to(fg)
        for i, p in enumerate(patterns)
    }


def _area_features(areas: tuple[scene.Area, ...], popup=None):
    """Each area's tooltip, popup and style keyed by id; the shapes travel apart (geo_source), and each
    distinct style once, in the collection's ``styles`` table (``_s`` is its index there)."""
    feats, patterns, styles = [], [], []
    for a in areas:
        pid = None
        if a.look.pattern is not None:
            if a.look.pattern not in patterns:
                patterns.append(a.look.pattern)
            pid = f"p{patterns.index(a.look.pattern)}"
        style_ = _leaflet_style(a.look, pid)
        if style_ not in styles:
            styles.append(style_)
        props = {"id": a.id, "_s": styles.index(style_), "_t": a.tip}
        if popup is not None:
            props["_p"] = popup(a)
        feats.append({"properties": props})
    return display.dumps({"type": "FeatureCollection", "styles": styles, "features": feats}), patterns


def _state_features(atlas: Atlas, day: dt.date, orgs: tuple[str, ...], with_popups: bool):
    def popup(a: scene.Area) -> str:
        return popups.state_popup(atlas, a.id, a.name, day, orgs)

    return _area_features(scene.states(atlas, day, orgs), popup if with_popups else None)


def states_layer(
    atlas: Atlas,
    day: dt.date,
    orgs: tuple[str, ...],
    with_popups: bool = False,
    prefix: str | None = None,
) -> folium.FeatureGroup:
    data, patterns = view_cache(atlas).get_or_make(
        ("states", day, orgs, with_popups), lambda: _state_features(atlas, day, orgs, with_popups)
    )
    fg = folium.FeatureGroup(name="States by alliance", show=True)
    Features(data, _add_patterns(fg, patterns), states=True, pane="atlasStates", **states_geo(atlas, prefix)).add_to(fg)
    return fg


def _territory_features(atlas: Atlas, day: dt.date, with_popups: bool):
    rows = {r["id"]: r for _, r in asof.territories_on(atlas, day).iterrows()}

    def popup(a: scene.Area) -> str:
        return popups.territory_popup(atlas, rows[a.id])

    return _area_features(scene.territories(atlas, day), popup if with_popups else None)


def territories_layer(
    atlas: Atlas, day: dt.date, with_popups: bool = False, prefix: str | None = None
) -> folium.FeatureGroup:
    data, patterns = view_cache(atlas).get_or_make(
        ("territories", day, with_popups), lambda: _territory_features(atlas, day, with_popups)
    )
    fg = folium.FeatureGroup(name="Contested territory", show=True)
    Features(
        data,
        _add_patterns(fg, patterns),
        states=True,  # fine outlines from zoom 6, as states
        pane="atlasTerritories",
        **territories_geo(atlas, prefix),
    ).add_to(fg)
    return fg


def _sites(atlas: Atlas) -> str:
    """id -> [lat, lon, name (escaped), kind] of every installation: the same for every view (a static file)."""
    i = atlas.installations
    return display.dumps(
        {
            k: [float(la), float(lo), esc(n), kind]
            for k, la, lo, n, kind in zip(i["id"], i["lat"], i["lon"], i["name"], i["kind"], strict=True)
        }
    )


def _marker_data(
    atlas: Atlas, inst, with_popups: bool, sites: bool = False
) -> tuple[tuple[str, str], tuple[str, str], tuple[str, str]]:
    """Markers as compact JSON — Russian clustered, Russian key sites (never clustered), NATO — each
    (data, icons): every marker refers by number to its icon in its own group's table of distinct symbols.
    ``sites``: position, name and kind are left to the static sites file (``_sites``)."""
    out: dict[str, list] = {"rus": [], "key": [], "nato": []}
    icons: dict[str, list[str]] = {"rus": [], "key": [], "nato": []}
    rows = inst.set_index("id", drop=False) if with_popups else None
    for mk in scene.marks(inst):
        group = "nato" if mk.operator == "NATO" else "key" if mk.key else "rus"
        icon, table = popups.symbol_html(mk.symbol, mk.kind, mk.phase), icons[group]
        if icon not in table:
            table.append(icon)
        d = (
            {"id": mk.id, "h": table.index(icon), "t": mk.tip}
            if sites
            else {
                "id": mk.id,
                "la": mk.lat,
                "lo": mk.lon,
                "n": esc(mk.name),
                "k": mk.kind,
                "h": table.index(icon),
                "t": mk.tip,
            }
        )
        if rows is not None:
            d["p"] = popups.installation_popup(atlas, rows.loc[mk.id])
        out[group].append(d)
    rus, key, nato = ((display.dumps(out[g]), display.dumps(icons[g])) for g in ("rus", "key", "nato"))
    return rus, key, nato


def installations_layers(
    atlas: Atlas,
    day: dt.date,
    *,
    kinds=(),
    statuses=(),
    regions=(),
    show_historic=False,
    with_popups: bool = False,
    prefix: str | None = None,
):
    """Russian installations (clustered, so co-located sites spiderfy; the brief's key sites stay
    outside the clusters) and NATO battlegroups. A cluster's icon counts what it holds by kind."""
    inst = asof.selected_installations(
        atlas, day, kinds=kinds, statuses=statuses, regions=regions, show_historic=show_historic
    )
    sites = serving.url(atlas, "sites", lambda: _sites(atlas), prefix)
    key = ("markers", day, tuple(kinds), tuple(statuses), tuple(regions), show_historic, with_popups, bool(sites))
    rus_data, key_data, nato_data = view_cache(atlas).get_or_make(
        key, lambda: _marker_data(atlas, inst, with_popups, bool(sites))
    )
    rus = folium.FeatureGroup(name="Russian installations", show=True)
    cluster = plugins.MarkerCluster(
        options={"maxClusterRadius": 30, "spiderfyOnMaxZoom": True, "showCoverageOnHover": False}
    ).add_to(rus)
    Markers(rus_data[0], rus_data[1], KIND_NAMES, sites_url=sites).add_to(cluster)
    Markers(key_data[0], key_data[1], sites_url=sites).add_to(rus)
    nato = folium.FeatureGroup(name="NATO forward presence", show=True)
    Markers(nato_data[0], nato_data[1], sites_url=sites).add_to(nato)
    return rus, nato, inst


KIND_NAMES = display.dumps({k: esc(v) for k, v in schema.INSTALLATION_KINDS.items()})


def legend_of(
    atlas: Atlas,
    f,
    inst,
    include: tuple[str, ...],
    highlight: tuple[str, ...] = (),
    overlays: tuple[tuple[str, str], ...] = (),
    extent: inextent.Extent | None = None,
) -> tuple[scene.Group, ...]:
    """The scene's legend for a view (cached with the layers); with an ``extent``, of what lies in it."""
    key = (
        "legend",
        f.date,
        f.alliances,
        f.regions,
        f.kinds,
        f.statuses,
        f.show_historic,
        include,
        highlight,
        overlays,
        extent,
    )

    def make() -> tuple[scene.Group, ...]:
        if extent is None:
            return scene.legend(atlas, f, inst, include, highlight, overlays)
        inside = inextent.points_in(inst, extent)
        return scene.legend(atlas, f, inside, include, highlight, overlays, inextent.area_ids(atlas, extent))

    return view_cache(atlas).get_or_make(key, make)


def ring_layer(lat: float, lon: float, km: float) -> folium.FeatureGroup:
    fg = folium.FeatureGroup(name=esc(f"Range ring {km:g} km"), show=True)
    folium.Polygon(
        geo.ring(lat, lon, km), color=style.RING_COLOUR, weight=2, dash_array="8 6", fill=False, interactive=False
    ).add_to(fg)
    return fg


def highlight_layer(atlas: Atlas, ids: tuple[str, ...], prefix: str | None = None) -> folium.FeatureGroup:
    """Rings around highlighted installations and thick outlines on highlighted areas."""
    fg = folium.FeatureGroup(name="Highlighted", show=True, control=False)
    inst = atlas.installations.set_index("id")
    geo = geometry(atlas)
    feats: dict[str, list] = {"territories": [], "states": []}
    for item in ids:
        if item in inst.index:
            r = inst.loc[item]
            folium.CircleMarker(
                (float(r["lat"]), float(r["lon"])),
                radius=17,
                color=scene.HIGHLIGHT.line,
                weight=scene.HIGHLIGHT.weight,
                fill=False,
                interactive=False,
            ).add_to(fg)
        elif item in geo.territories or item in geo.states:
            feats["territories" if item in geo.territories else "states"].append(
                {
                    "properties": {
                        "id": item,
                        "_s": {"color": scene.HIGHLIGHT.line, "weight": scene.HIGHLIGHT.weight, "fill": False},
                    }
                }
            )
    for name, source in (("territories", territories_geo), ("states", states_geo)):
        if feats[name]:
            Features(
                display.dumps({"type": "FeatureCollection", "features": feats[name]}),
                interactive=False,
                **source(atlas, prefix),
            ).add_to(fg)
    return fg


def _control_features(atlas: Atlas, day: dt.date) -> tuple[str, str]:
    import shapely

    geo = {}
    areas = asof.control_areas_on(atlas, day)
    for _, r in areas.iterrows() if areas is not None else ():
        geom = shapely.simplify(r.geometry, style.CONTROL_SIMPLIFY, preserve_topology=True)
        geo[r["id"]] = shapely.geometry.mapping(shapely.orient_polygons(shapely.set_precision(geom, display.GRID)))
    return _area_features(scene.controls(atlas, day))[0], display.dumps(geo)


def control_layer(atlas: Atlas, day: dt.date, prefix: str | None = None) -> folium.FeatureGroup | None:
    """The area under Russian military control on ``day`` (the snapshot in force), drawn apart
    from the claimed-annexation territories; None when the data has no control areas."""
    if atlas.control_areas is None:
        return None
    data, geo = view_cache(atlas).get_or_make(("control", day), lambda: _control_features(atlas, day))
    rel = serving.publish("control", geo) if prefix is not None else None  # one file per snapshot in force
    fg = folium.FeatureGroup(name=style.CONTROL_LAYER_NAME, show=True)
    Features(data, pane="atlasControl", **({"geo_url": f"{prefix}{rel}"} if rel else {"geo": geo})).add_to(fg)
    return fg
