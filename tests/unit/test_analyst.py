"""Change lists, search, exports, case studies and briefings (domain, no UI)."""

from __future__ import annotations

import csv
import datetime as dt
import io as stdio
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_atlas.analysis import changes, search
from alliance_atlas.data import content, loading, views
from alliance_atlas.renderers import exports

D = dt.date


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


def test_uzbekistan_return_and_suspension_are_listed(shipped):
    found = [
        (c.date, c.text)
        for c in changes.changes(shipped, D(2005, 1, 1), D(2013, 6, 1))
        if c.subject == "UZB" and c.organization == "CSTO"
    ]
    years = {d.year: t for d, t in found}
    assert 2006 in years and ("rejoined" in years[2006] or "member" in years[2006])
    assert 2012 in years and "suspended" in years[2012]


def test_georgia_leaving_the_cis_is_listed(shipped):
    found = [
        c
        for c in changes.changes(shipped, D(2008, 1, 1), D(2010, 1, 1))
        if c.subject == "GEO" and c.organization == "CIS"
    ]
    assert [(c.date, "left" in c.text) for c in found] == [(D(2009, 8, 18), True)]


def test_change_list_is_dated_sorted_and_sourced(shipped):
    found = changes.changes(shipped, D(1999, 1, 1), D(2026, 11, 25))
    assert [c.date for c in found] == sorted(c.date for c in found)
    assert all(c.sources for c in found)
    assert any(c.kind == "territory" and c.subject == "crimea" for c in found)
    assert any(c.kind == "installation" for c in found)
    assert changes.changes(shipped, D(2010, 1, 1), D(2010, 1, 1)) == []


def test_fixture_change_list(fixture_atlas):
    texts = [c.text for c in changes.changes(fixture_atlas, D(2005, 1, 1), D(2013, 6, 1))]
    assert any("Uzbekistan rejoined CSTO" in t for t in texts)
    assert any("Uzbekistan suspended its membership in CSTO" in t for t in texts)
    assert any("Radar B" in t and "closed" in t for t in texts)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gyumri", "gyumri-102nd-base"),
        ("201st", "dushanbe-201st-base"),
        ("Sevastopol", "sevastopol-black-sea-fleet"),
        ("ODKB", "CSTO"),
        ("kaliningrad", "kaliningrad"),
    ],
)
def test_search_finds_by_name_or_alias(shipped, query, expected):
    assert expected in [i.id for i in search.find(search.index(shipped), query)]


def test_csv_neutralises_formulas_and_keeps_numbers():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x","y")', "+1 call", "@SUM(A1)", "-cmd", "\tx", "ok"],
            "n": [1, 2.5, -3, 0, 10, 7],
            "text_number": ["-12.5", "1e3", "x", "-", "=", "3"],
        }
    )
    rows = list(csv.reader(stdio.StringIO(exports.to_csv(frame))))
    assert [r[0] for r in rows[1:]] == ['\'=HYPERLINK("http://x","y")', "'+1 call", "'@SUM(A1)", "'-cmd", "'\tx", "ok"]
    assert [float(r[1]) for r in rows[1:]] == [1, 2.5, -3, 0, 10, 7]
    assert [r[2] for r in rows[1:]] == ["-12.5", "1e3", "x", "'-", "'=", "3"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False, allow_infinity=False)),
        min_size=1,
        max_size=10,
    )
)
def test_csv_export_property(values):
    import pandas as pd

    frame = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    out = [r[0] for r in csv.reader(stdio.StringIO(exports.to_csv(frame), newline=""))][1:]
    for original, cell in zip(values, out, strict=True):
        if isinstance(original, str):
            risky = original.startswith(exports.FORMULA_START) and not exports._is_number_text(original)
            assert cell == ("'" + original if risky else original)
        else:
            assert float(cell) == float(original)


def test_geojson_export_is_rfc7946(shipped):
    doc = exports.layers_geojson(shipped, D(2025, 1, 1))
    text = exports.dumps(doc)
    back = json.loads(text)
    assert back["type"] == "FeatureCollection" and "crs" not in back
    import shapely
    from shapely.geometry import shape

    for feat in back["features"]:
        g = shape(feat["geometry"])
        assert g.is_valid
        if g.geom_type in ("Polygon", "MultiPolygon"):
            assert shapely.orient_polygons(g).equals_exact(g, 0)
        x0, y0, x1, y1 = g.bounds
        assert -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90


def test_case_studies_and_briefing_validate(shipped):
    studies, problems = content.load_case_studies(shipped)
    assert problems == []
    ids = {c.id for c in studies}
    assert {
        "georgia-2008",
        "crimea-black-sea-fleet",
        "armenia-gyumri",
        "tajikistan-201st",
        "csto-kazakhstan-2022",
        "karabakh-peacekeepers",
        "belarus-since-2022",
        "transnistria",
        "kaliningrad-baltic",
    } <= ids
    for c in studies:
        assert c.sources and c.body
    b, problems = content.load_briefing(shipped, content.briefings(shipped)["default"])
    assert problems == [] and len(b.slides) >= 8


def test_briefing_validation_catches_bad_ids(shipped, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: t\nslides:\n- title: s\n  date: '2020-13-01'\n  view: {center: [1, 2], zoom: 4}\n"
        "- title: s2\n  date: 2020-01-01\n  alliances: [WARSAW]\n  highlight: [nowhere]\n"
        "  sources: [no-such-source]\n  view: {center: [1, 2], zoom: 4}\n"
    )
    _, problems = content.load_briefing(shipped, bad)
    text = " ".join(str(p) for p in problems)
    assert "date" in text and "WARSAW" in text and "nowhere" in text and "no-such-source" in text


def test_center_zoom_fits_bounds():
    lat, lon, zoom = views.center_zoom([[40.0, 43.5], [41.0, 44.5]])
    assert (lat, lon) == (40.5, 44.0) and zoom == 8
    assert views.center_zoom([[35, 20], [75, 180]])[2] <= 3


def test_unparseable_yaml_date_is_a_problem_not_a_crash(shipped, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nslides:\n- title: s\n  date: 2020-13-01\n")
    b, problems = content.load_briefing(shipped, bad)
    assert b is None and "cannot read" in str(problems[0])


def test_within_radius_of_kaliningrad(shipped):
    from alliance_atlas.renderers import leaflet_overlays

    near = leaflet_overlays.within(shipped, D(2025, 1, 1), 54.71, 20.51, 300)
    ids = list(near["id"])
    assert "baltiysk-naval-base" in ids and "LTU" in ids and "POL" in ids
    assert near["distance_km"].is_monotonic_increasing and near["distance_km"].max() <= 300
    assert "dushanbe-201st-base" not in ids


def test_overlay_layer_escapes_properties():
    import geopandas as gpd
    from shapely.geometry import Point, Polygon

    from alliance_atlas.renderers import leaflet_overlays

    gdf = gpd.GeoDataFrame(
        {"name": ["<img src=x onerror=alert(1)>", "${alert(2)}`"]},
        geometry=[Point(40, 50), Polygon([(0, 0), (1, 0), (1, 1)])],
        crs="EPSG:4326",
    )
    fg = leaflet_overlays.overlay_layer("<svg onload=alert(3)>", gdf, "#123456")
    import folium

    m = folium.Map()
    fg.add_to(m)
    html = m.get_root().render()
    assert "<img src=x" not in html and "${alert" not in html and "<svg onload" not in html


def _it(kind, id_, *terms):
    return search.Item(kind, id_, terms[0], terms)


RANK_FIXTURE = [
    _it("event", "ev-2010", "Russia and Armenia extend the Gyumri base lease"),
    _it("organization", "CSTO", "Collective Security Treaty Organization", "CSTO", "ODKB", "ОДКБ"),
    _it("territory", "crimea", "Crimea (including Sevastopol)"),
    _it("installation", "base-g", "102nd Military Base (Gyumri)", "Gyumri, Shirak Province", "Гюмри"),
    _it("installation", "fleet", "Black Sea Fleet main base", "Sevastopol", "Севастополь"),
    _it("event", "ev-csto", "CSTO summit"),
]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Gyumri", "base-g"),
        ("Гюмри", "base-g"),
        ("sevastopol", "fleet"),
        ("Севастополь", "fleet"),
        ("ОДКБ", "CSTO"),
        ("csto", "CSTO"),
        ("base", "base-g"),
    ],
)
def test_search_ranks_places_then_organizations_then_events(query, first):
    found = [i.id for i in search.find(RANK_FIXTURE, query)]
    assert found[0] == first, found


def test_search_lists_events_after_places_and_organizations():
    assert [i.kind for i in search.ordered(RANK_FIXTURE)][-2:] == ["event", "event"]
    assert [i.id for i in search.find(RANK_FIXTURE, "gyumri")] == ["base-g", "ev-2010"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Gyumri", "gyumri-102nd-base"),
        ("Гюмри", "gyumri-102nd-base"),
        ("201-я база", "dushanbe-201st-base"),
        ("201st", "dushanbe-201st-base"),  # the base is its HQ (it gave the Bokhtar garrison, first by label)
        ("the 201st base", "dushanbe-201st-base"),  # it gave the Okno site, whose note says "the 201st base"
        ("Sevastopol", "sevastopol-black-sea-fleet"),
        ("Севастополь", "sevastopol-black-sea-fleet"),
        ("ОДКБ", "CSTO"),
    ],
)
def test_shipped_search_puts_the_place_first(shipped, query, first):
    assert search.find(search.index(shipped), query)[0].id == first


TRANSLIT_FIXTURE = [
    _it("installation", "fsb", "Border detachment, Gyumri", "Gyumri, Armenia"),
    _it("installation", "zed", "Zed base", "Гюмри"),  # the place's name only in Cyrillic
    _it("installation", "fleet", "Black Sea Fleet main base", "Черноморский флот"),
    _it("organization", "csto", "Collective Security Treaty Organization", "ОДКБ"),
    _it("event", "ev", "Treaty on the base in Gyumri"),
]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Gyumri", "zed"),
        ("гюмри", "zed"),
        ("Chernomorskiy flot", "fleet"),
        ("odkb", "csto"),
        ("ОДКБ", "csto"),
    ],
)
def test_search_meets_cyrillic_and_latin_and_prefers_a_whole_alias(query, first):
    """Issue 13: a transliterated query finds a Cyrillic alias and the other way round; a whole alias
    ('Гюмри' = 'Gyumri') ranks before a named part ('Border detachment, Gyumri'), and events come last."""
    found = [i.id for i in search.find(TRANSLIT_FIXTURE, query)]
    assert found[0] == first, found
    if first == "zed":
        assert found == ["zed", "fsb", "ev"]
