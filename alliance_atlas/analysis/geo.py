"""Distances on the WGS 84 ellipsoid (pyproj.Geod, Karney's algorithm) — never in degrees.

* :func:`distance_km` — geodesic distance between two points;
* :func:`within_km` — the rows of a table or GeoDataFrame within a radius, with a
  ``distance_km`` column, nearest first (for lines and polygons: the distance to the
  nearest point of the geometry, 0 inside);
* :func:`ring` — a geodesic circle as (lat, lon) vertices (drawn by the Leaflet map's range ring).
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely.ops import nearest_points

GEOD = Geod(ellps="WGS84")
#: before measuring to a line or polygon, vertices are added along its edges every this many
#: degrees, so the nearest point is found on the ellipsoid and not only in planar degrees
DENSIFY_DEG = 0.05
LAT_NAMES = ("lat", "latitude", "y")
LON_NAMES = ("lon", "lng", "long", "longitude", "x")


def _check(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"({lat}, {lon}) is not a latitude/longitude in degrees")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in km on the WGS 84 ellipsoid."""
    _check(lat1, lon1)
    _check(lat2, lon2)
    _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0


def _km_to_geometry(geom, lat: float, lon: float) -> float:
    """Geodesic km from (lat, lon) to the nearest point of ``geom`` (0 inside a polygon):
    the minimum over its vertices densified every DENSIFY_DEG and the planar nearest point."""
    if geom is None or geom.is_empty:
        return math.nan
    if geom.geom_type == "Point":
        return distance_km(lat, lon, geom.y, geom.x)
    pt = shapely.Point(lon, lat)
    if shapely.get_dimensions(geom) == 2 and geom.covers(pt):
        return 0.0
    coords = shapely.get_coordinates(shapely.segmentize(geom, DENSIFY_DEG))
    near = nearest_points(geom, pt)[0]
    coords = np.vstack([coords, [[near.x, near.y]]])
    _, _, metres = GEOD.inv(np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1])
    return float(np.min(metres)) / 1000.0


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str:
    for c in frame.columns:
        if str(c).strip().lower() in names:
            return c
    raise ValueError(f"no column named one of {', '.join(names)}")


def within_km(points: pd.DataFrame, lat: float, lon: float, km: float) -> pd.DataFrame:
    """Rows within ``km`` of (lat, lon), with a ``distance_km`` column, nearest first.

    A GeoDataFrame is measured by its geometry (taken as EPSG:4326 when it has no CRS);
    a plain DataFrame by its lat/latitude/y and lon/lng/long/longitude/x columns. Rows
    without a usable position are left out. The index is kept."""
    _check(lat, lon)
    if not (math.isfinite(km) and km >= 0):
        raise ValueError(f"radius {km!r} is not a distance in km")
    if isinstance(points, gpd.GeoDataFrame) and points.geometry.name in points.columns:
        frame = points if points.crs is None else points.to_crs(4326)
        dist = np.array([_km_to_geometry(g, lat, lon) for g in frame.geometry], dtype=float)
    else:
        la = pd.to_numeric(points[_column(points, LAT_NAMES)], errors="coerce").to_numpy(dtype=float)
        lo = pd.to_numeric(points[_column(points, LON_NAMES)], errors="coerce").to_numpy(dtype=float)
        ok = np.isfinite(la) & np.isfinite(lo) & (np.abs(la) <= 90) & (np.abs(lo) <= 180)
        dist = np.full(len(points), np.nan)
        if ok.any():
            n = int(ok.sum())
            _, _, metres = GEOD.inv(np.full(n, lon), np.full(n, lat), lo[ok], la[ok])
            dist[ok] = metres / 1000.0
    out = points.copy()
    out["distance_km"] = dist
    out = out[np.isfinite(dist) & (dist <= km)]
    return out.sort_values("distance_km", kind="stable")


def ring(lat: float, lon: float, km: float, n: int = 128) -> list[tuple[float, float]]:
    """A geodesic circle of radius ``km`` around (lat, lon), as ``n`` (lat, lon) vertices."""
    _check(lat, lon)
    az = np.linspace(0, 360, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, km * 1000.0))
    return [(float(a), float(b)) for a, b in zip(lats, lons, strict=True)]
