"""Shared by the overlay tests: the corpus folder, a strict loader, and what every result must satisfy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from alliance_atlas import uploads
from alliance_atlas.uploads import Limits, OverlayResult

CORPUS = Path(__file__).resolve().parents[1] / "overlay_corpus"


def load_overlay(data, filename, limits=None, **kw) -> OverlayResult:
    """The real entry point with strict=True: a programming error must fail the test, not turn
    into a polite refusal."""
    return uploads.load_overlay(data, filename, limits, strict=True, **kw)


def assert_sound(res: OverlayResult) -> None:
    """The contract: ok with valid EPSG:4326 geometries and string properties, or a refusal with a message."""
    assert isinstance(res.message, str) and res.message.strip()
    if not res.ok:
        assert res.gdf is None and res.loaded == 0
        return
    gdf = res.gdf
    assert gdf is not None and len(gdf) == res.loaded > 0
    assert gdf.crs.to_epsg() == 4326
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    b = shapely.total_bounds(geoms)
    assert -180 <= b[0] <= b[2] <= 180 and -90 <= b[1] <= b[3] <= 90, b
    for col in gdf.columns:
        if col != gdf.geometry.name:
            assert all(isinstance(v, str) for v in gdf[col]), col


def load(name: str, **kw) -> OverlayResult:
    """A corpus file, loaded strictly with the default limits."""
    return load_overlay((CORPUS / name).read_bytes(), name, Limits(), **kw)
