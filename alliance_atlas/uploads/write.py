"""A cleaned overlay written back out as RFC 7946 GeoJSON text (the download on the "Your data" page)."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import shapely


def to_geojson(gdf: gpd.GeoDataFrame) -> str:
    """RFC 7946 text: EPSG:4326, no "crs" member, exterior rings counter-clockwise."""
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    feats = []
    for geom, rec in zip(gdf.geometry, gdf[cols].itertuples(index=False, name=None), strict=True):
        geometry = None if geom is None or geom.is_empty else shapely.geometry.mapping(shapely.orient_polygons(geom))
        props = {}
        for c, v in zip(cols, rec, strict=True):
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            elif hasattr(v, "item"):
                v = v.item()
            props[str(c)] = v
        feats.append({"type": "Feature", "geometry": geometry, "properties": props})
    return json.dumps(
        {"type": "FeatureCollection", "features": feats}, ensure_ascii=False, allow_nan=False, default=str
    )
