"""Coordinate systems: a declared GeoJSON "crs" (EPSG codes and OGC CRS84 only), reprojection, undeclared metres."""

from __future__ import annotations

import re

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from .report import Refuse, num, short

_CRS_NAME = re.compile(r"^(?:urn:ogc:def:crs:)?(EPSG|OGC)(?::[0-9.]*)?::?([A-Za-z0-9]+)$", re.IGNORECASE)
_WGS84_NAMES = {("EPSG", "4326"), ("OGC", "CRS84")}


def _crs_name(member: object) -> str | None:
    """The name in a "crs" member: a string, {"properties": {"name": …}} or {"type": "EPSG", "properties": {"code": …}}."""
    if isinstance(member, str):
        return member
    if isinstance(member, dict) and isinstance(member.get("properties"), dict):
        props = member["properties"]
        if isinstance(props.get("name"), str):
            return props["name"]
        if str(member.get("type", "")).upper() == "EPSG" and isinstance(props.get("code"), (int, str)):
            return f"EPSG:{props['code']}"
    return None


def declared_crs(doc: dict) -> tuple[str, CRS] | None:
    """The CRS named by a (GeoJSON 2008) "crs" member, or None when there is none or it is WGS 84.
    Only EPSG codes and OGC CRS84 are accepted, so no user text reaches PROJ. Raises :class:`Refuse`."""
    member = doc.get("crs")
    if member is None:
        return None
    name = _crs_name(member)
    if name is None:
        raise Refuse(
            'The file\'s "crs" member is not understood (expected e.g. {"type": "name", "properties": '
            '{"name": "EPSG:3857"}}). Re-export the file as WGS 84 (EPSG:4326) without a "crs" member.'
        )
    m = _CRS_NAME.match(name.strip())
    if not m:
        raise Refuse(
            f"The file declares the coordinate system {short(name)!r}, which is not an EPSG code. "
            f"Re-export it as WGS 84 (EPSG:4326)."
        )
    auth, code = m[1].upper(), m[2].upper()
    if (auth, code) in _WGS84_NAMES:
        return None
    try:
        crs = CRS.from_epsg(int(code)) if auth == "EPSG" and code.isdigit() else CRS.from_user_input(f"{auth}:{code}")
    except (CRSError, ValueError, OverflowError):
        raise Refuse(
            f"The file declares the coordinate system {auth}:{code}, which is not known. Re-export it "
            f"as WGS 84 (EPSG:4326)."
        ) from None
    return f"{auth}:{code}", crs


def to_wgs84(geoms: np.ndarray, crs: CRS) -> np.ndarray:
    """Shapely geometries in ``crs`` reprojected to longitude/latitude (points that cannot be become inf)."""
    tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def project(c: np.ndarray) -> np.ndarray:
        x, y = tr.transform(c[:, 0], c[:, 1], errcheck=False)
        return np.column_stack([x, y])

    return shapely.transform(geoms, project)


def looks_projected(bounds: np.ndarray) -> tuple[float, float] | None:
    """When at least half the located features are outside the degree range, typically by
    more than 1000 (metres, not degrees): an example (x, y). Else None."""
    if len(bounds) == 0:
        return None
    out = (np.abs(bounds[:, [0, 2]]).max(axis=1) > 180) | (np.abs(bounds[:, [1, 3]]).max(axis=1) > 90)
    if out.sum() * 2 < len(bounds) or np.median(np.abs(bounds[out]).max(axis=1)) <= 1000:
        return None
    i = int(np.flatnonzero(out)[0])
    return float(bounds[i, 0]), float(bounds[i, 1])


def metres_message(sample: tuple[float, float]) -> str:
    """The start of the refusal for coordinates in metres, quoting one example (x, y)."""
    return (
        f"The coordinates look like metres in a projected system (e.g. {num(sample[0])}, {num(sample[1])}), not degrees"
    )
