"""The basemap's land layer covers the whole world: no straight edge of it may show at any zoom (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, shape

pytestmark = pytest.mark.unit

LAND = Path(__file__).resolve().parents[2] / "data" / "land.geojson"

#: places on land far from the post-Soviet area, in every direction (lon, lat); the old layer stopped at 25° N
FAR_LAND = {
    "Arabia (Riyadh)": (46.72, 24.69),
    "Sahara (Tamanrasset)": (5.52, 22.79),
    "India (Nagpur)": (79.09, 21.15),
    "Southern Africa (Bloemfontein)": (26.21, -29.12),
    "Brazil (Brasília)": (-47.88, -15.79),
    "Australia (Alice Springs)": (133.88, -23.70),
    "North America (Denver)": (-104.99, 39.74),
    "Chukotka east of the antimeridian (inland)": (-175.0, 66.5),
}


def land():
    import json

    features = json.loads(LAND.read_text(encoding="utf-8"))["features"]
    return shapely.union_all([shape(f["geometry"]) for f in features])


def test_land_reaches_every_continent():
    geom = land()
    missing = [name for name, (lon, lat) in FAR_LAND.items() if not geom.contains(Point(lon, lat))]
    assert missing == []


def test_land_is_not_cut_by_a_box():
    """A clip box shows as a long straight edge along one parallel: no ring has a horizontal run over 5°
    of longitude (the coasts at 50m, simplified, have none)."""
    geom = land()
    long_runs = []
    for poly in getattr(geom, "geoms", [geom]):
        xy = list(poly.exterior.coords)
        for (x1, y1), (x2, y2) in zip(xy, xy[1:], strict=False):
            if abs(y1 - y2) < 1e-9 and abs(x1 - x2) > 5 and abs(abs(x1) - 180) > 1e-6:
                long_runs.append((round(y1, 2), round(x1, 1), round(x2, 1)))
    assert long_runs == []
