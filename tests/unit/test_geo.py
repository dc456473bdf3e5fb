"""Geodesic distances: reference values from an independent Vincenty implementation, haversine sanity check."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from alliance_atlas.analysis import geo

KALININGRAD = (54.7104, 20.4522)
VILNIUS = (54.6872, 25.2797)
GYUMRI = (40.7894, 43.8475)  # 102nd Russian base
YEREVAN = (40.1792, 44.4991)
MOSCOW = (55.7558, 37.6173)
KANT = (42.8531, 74.8461)  # Kant air base

# Reference distances in km on the WGS 84 ellipsoid, from Vincenty's inverse formula (1975), as
# implemented in vincenty_km below (written for this test, not pyproj). The test checks that the
# implementation reproduces these numbers, so neither can drift silently.
REFERENCE = [
    (KALININGRAD, VILNIUS, 311.1909),
    (GYUMRI, YEREVAN, 87.4269),
    (MOSCOW, KANT, 3013.9038),
]


def vincenty_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    a, f = 6378137.0, 1 / 298.257223563
    b = a * (1 - f)
    big_l = math.radians(lon2 - lon1)
    u1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    lam = big_l
    for _ in range(200):
        sin_l, cos_l = math.sin(lam), math.cos(lam)
        sin_s = math.hypot(math.cos(u2) * sin_l, math.cos(u1) * math.sin(u2) - math.sin(u1) * math.cos(u2) * cos_l)
        cos_s = math.sin(u1) * math.sin(u2) + math.cos(u1) * math.cos(u2) * cos_l
        sigma = math.atan2(sin_s, cos_s)
        sin_a = math.cos(u1) * math.cos(u2) * sin_l / sin_s
        cos2a = 1 - sin_a**2
        cos2sm = cos_s - 2 * math.sin(u1) * math.sin(u2) / cos2a if cos2a else 0.0
        c = f / 16 * cos2a * (4 + f * (4 - 3 * cos2a))
        prev = lam
        lam = big_l + (1 - c) * f * sin_a * (sigma + c * sin_s * (cos2sm + c * cos_s * (-1 + 2 * cos2sm**2)))
        if abs(lam - prev) < 1e-12:
            break
    usq = cos2a * (a * a - b * b) / (b * b)
    big_a = 1 + usq / 16384 * (4096 + usq * (-768 + usq * (320 - 175 * usq)))
    big_b = usq / 1024 * (256 + usq * (-128 + usq * (74 - 47 * usq)))
    d_sigma = (
        big_b
        * sin_s
        * (
            cos2sm
            + big_b
            / 4
            * (cos_s * (-1 + 2 * cos2sm**2) - big_b / 6 * cos2sm * (-3 + 4 * sin_s**2) * (-3 + 4 * cos2sm**2))
        )
    )
    return b * big_a * (sigma - d_sigma) / 1000.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float, r: float = 6371.0088) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


@pytest.mark.parametrize(("a", "b", "km"), REFERENCE)
def test_distance_matches_reference_geodesic(a, b, km):
    assert vincenty_km(*a, *b) == pytest.approx(km, abs=1e-3)  # the stated reference is reproducible
    got = geo.distance_km(*a, *b)
    assert got == pytest.approx(km, rel=0.01)  # the requirement
    assert got == pytest.approx(km, abs=0.01)  # in fact: to 10 m
    assert got == pytest.approx(haversine_km(*a, *b), rel=0.005)  # independent sanity check on a sphere
    assert geo.distance_km(*b, *a) == pytest.approx(got, abs=1e-9)


def test_distance_is_not_in_degrees():
    # one degree of longitude at 60° N is about half a degree of latitude
    east = geo.distance_km(60, 30, 60, 31)
    north = geo.distance_km(60, 30, 61, 30)
    assert 55 < east < 57 and 111 < north < 112.5
    assert geo.distance_km(*GYUMRI, *GYUMRI) == 0.0
    # across the antimeridian the short way round
    assert geo.distance_km(66, 179.5, 66, -179.5) == pytest.approx(geo.distance_km(66, 0, 66, 1), rel=1e-9)


@pytest.mark.parametrize("bad", [(91, 0), (0, 181), (math.nan, 0), (0, math.inf)])
def test_distance_refuses_non_degrees(bad):
    with pytest.raises(ValueError):
        geo.distance_km(*bad, 0, 0)


def test_within_km_on_a_table():
    table = pd.DataFrame(
        {
            "name": ["Gyumri", "Yerevan", "Kaliningrad", "no position", "bad"],
            "Lat": [GYUMRI[0], YEREVAN[0], KALININGRAD[0], None, "x"],
            "lon": [GYUMRI[1], YEREVAN[1], KALININGRAD[1], 44.0, 44.0],
        }
    )
    near = geo.within_km(table, *YEREVAN, 100)
    assert list(near["name"]) == ["Yerevan", "Gyumri"]
    assert list(near.index) == [1, 0]
    assert near["distance_km"].tolist() == pytest.approx([0.0, 87.4269], abs=1e-3)
    assert list(geo.within_km(table, *YEREVAN, 5000)["name"]) == ["Yerevan", "Gyumri", "Kaliningrad"]
    assert geo.within_km(table, *YEREVAN, 50)["name"].tolist() == ["Yerevan"]
    with pytest.raises(ValueError):
        geo.within_km(table, *YEREVAN, -1)
    with pytest.raises(ValueError):
        geo.within_km(pd.DataFrame({"a": [1]}), *YEREVAN, 10)


def test_within_km_on_geometries_measures_to_the_nearest_point():
    box = shapely.box(44.0, 41.0, 45.0, 42.0)  # 1° north of a point at 40° N
    line = shapely.LineString([(46.0, 39.0), (46.0, 41.0)])
    gdf = gpd.GeoDataFrame(
        {"name": ["box", "line", "point", "far"]},
        geometry=[box, line, shapely.Point(44.5, 40.0), shapely.Point(100, 10)],
        crs="EPSG:4326",
    )
    out = geo.within_km(gdf, 40.0, 44.5, 200)
    assert list(out["name"]) == ["point", "box", "line"]  # 111 km north beats 128 km east
    got = dict(zip(out["name"], out["distance_km"], strict=True))
    assert got["point"] == 0.0
    assert got["box"] == pytest.approx(geo.distance_km(40.0, 44.5, 41.0, 44.5), rel=1e-4)  # due north, ~111 km
    assert got["line"] == pytest.approx(geo.distance_km(40.0, 44.5, 40.0, 46.0), rel=2e-3)  # nearly due east
    inside = geo.within_km(gdf, 41.5, 44.5, 1)
    assert list(inside["name"]) == ["box"] and inside["distance_km"].iloc[0] == 0.0
    # another CRS is measured in degrees after reprojection, not in metres
    assert geo.within_km(gdf.to_crs(3857), 40.0, 44.5, 200)["distance_km"].tolist() == pytest.approx(
        out["distance_km"].tolist(), rel=1e-6, abs=1e-6
    )


def test_within_km_across_the_antimeridian():
    chukotka_east = shapely.box(-180.0, 64.0, -170.0, 68.0)
    gdf = gpd.GeoDataFrame({"name": ["east half"]}, geometry=[chukotka_east], crs="EPSG:4326")
    out = geo.within_km(gdf, 66.0, 179.5, 50)
    assert len(out) == 1 and out["distance_km"].iloc[0] == pytest.approx(geo.distance_km(66, 179.5, 66, 180), rel=1e-3)


def test_ring_reuses_layers_range_ring_and_is_geodesic():
    pts = geo.ring(*KALININGRAD, 500, n=64)
    assert len(pts) == 64
    for lat, lon in pts:
        assert geo.distance_km(*KALININGRAD, lat, lon) == pytest.approx(500, rel=1e-6)
    lats = [p[0] for p in pts]
    assert max(lats) - KALININGRAD[0] == pytest.approx(500 / 111.3, rel=0.02)
    with pytest.raises(ValueError):
        geo.ring(95, 0, 10)
