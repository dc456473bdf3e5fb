"""Place names: which places, where their labels stand, and that their text reaches the map escaped."""

from __future__ import annotations

import json

from shapely.geometry import Point

from alliance_atlas.cartography import places
from alliance_atlas.data import loading
from alliance_atlas.renderers import leaflet_map
from tests import fixtures


def test_brief_places_and_state_labels_inside_states():
    atlas = loading.load()
    got = {p.name: p for p in places.of(atlas)}
    for name in ("Gyumri", "Dushanbe", "Sevastopol", "Kaliningrad", "Baltiysk", "Kant", "Moscow"):
        assert name in got, name
    assert got["Dushanbe"].kind == "capital" and got["Gyumri"].kind == "locality"
    geo = dict(zip(atlas.states["iso3"], atlas.states.geometry, strict=True))
    countries = {p.name: p for p in places.of(atlas) if p.kind == "country"}
    for r in atlas.states.itertuples():
        p = countries[r.name]
        assert geo[r.iso3].contains(Point(p.lon, p.lat)), r.name
    ranks = [p.rank for p in places.of(atlas)]
    assert ranks == sorted(ranks)  # most important first: the order the map offers them in


HOSTILE = "<img src=x onerror=alert(1)>`${x}`"


def test_label_text_is_escaped(tmp_path):
    states = [(iso, HOSTILE if iso == "ARM" else name, *rest) for iso, name, *rest in fixtures.STATES]
    atlas = loading.load(fixtures.write_data(tmp_path / "data", states=states))
    data = json.loads(leaflet_map.label_data(atlas))
    assert any("onerror" in d["n"] for d in data)
    assert all("<" not in d["n"] and "`" not in d["n"] and "$" not in d["n"] for d in data)


def test_a_country_is_named_only_from_the_zoom_its_name_fits_across_it():
    """A name wider than its state hid a small state's colour under its halo at the regional view (zoom 3):
    large states are named at once, small ones once they are wide enough on the screen."""
    zoom = {p.name: p.min_zoom for p in places.of(loading.load()) if p.kind == "country"}
    assert zoom["Russia"] == zoom["Kazakhstan"] == 3
    for small in ("Armenia", "Tajikistan", "Estonia", "Lithuania", "Moldova"):
        assert zoom[small] >= 5, small
    assert max(zoom.values()) <= 7
