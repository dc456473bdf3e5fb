"""GeoJSON uploads: JSON parsing with readable errors, the feature list, each feature's geometry and properties."""

from __future__ import annotations

import json
import re

import numpy as np
import shapely

from .crs import declared_crs, looks_projected, metres_message, to_wgs84
from .geometry import GEOM_TYPES, build
from .limits import Clock, Limits
from .properties import Props
from .repair import finish, range_problem
from .report import Drop, OverlayResult, Refuse, Report, short

# one feature read but not yet placed: (feature number, raw geometry, properties, repairs so far)
Pending = tuple[int, object, dict, list[tuple[str, str]]]


def _json_error(exc: json.JSONDecodeError, text: str, name: str) -> str:
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)  # strings removed: are brackets left open at the end?
    opened = bare.count("{") + bare.count("[") - bare.count("}") - bare.count("]")
    if opened > 0 or not text[exc.pos :].strip():
        return (
            f"{name} is not valid JSON: the file seems cut off (truncated) — {exc.msg} (line {exc.lineno}, "
            f"column {exc.colno}). Check that the whole file was exported or downloaded."
        )
    return f"{name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."


def parse(text: str, name: str) -> object:
    """The JSON document, or :class:`Refuse` saying where it breaks (and whether it looks cut off)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Refuse(_json_error(exc, text, name)) from None
    except RecursionError:
        raise Refuse(
            f"{name} is nested too deeply to read (hundreds of levels of brackets); it is not ordinary GeoJSON."
        ) from None


def features(doc: object, limits: Limits) -> list:
    """The features of a FeatureCollection, a single Feature or a bare geometry; :class:`Refuse` otherwise."""
    if isinstance(doc, list):
        raise Refuse(
            'The file is a JSON array, not GeoJSON (expected an object with "type": '
            '"FeatureCollection", "Feature" or a geometry type).'
        )
    if not isinstance(doc, dict):
        raise Refuse("The file is a single JSON value, not GeoJSON.")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            raise Refuse('The FeatureCollection has no "features" list.')
    elif kind == "Feature":
        feats = [doc]
    elif kind in GEOM_TYPES:
        feats = [{"type": "Feature", "geometry": doc, "properties": {}}]
    elif kind == "Topology":
        raise Refuse(
            "The file is TopoJSON, not GeoJSON. Convert it (e.g. with mapshaper or topojson-client's "
            "topo2geo) and upload the GeoJSON."
        )
    elif kind is None:
        raise Refuse('The file is JSON but not GeoJSON: it has no "type" member.')
    else:
        raise Refuse(
            f"The file is JSON but not GeoJSON: its type is {short(str(kind), 30)!r} (expected "
            f"FeatureCollection, Feature or a geometry)."
        )
    if not feats:
        raise Refuse("The file has no features.")
    if len(feats) > limits.max_features:
        raise Refuse(
            f"The file has {len(feats):,} features; the limit is {limits.max_features:,} "
            f"(ATLAS_OVERLAY_MAX_FEATURES). Split the file or keep only the features you need."
        )
    return feats


def _feature(feat: object) -> dict:
    """One list entry as a Feature with a geometry member (a bare geometry wrapped); :class:`Drop` otherwise."""
    if not isinstance(feat, dict):
        raise Drop("that are not Features", "is not a JSON object")
    if feat.get("type") in GEOM_TYPES and "geometry" not in feat:
        return {"type": "Feature", "geometry": feat}  # a bare geometry in the list
    if feat.get("type") != "Feature" and "geometry" not in feat:
        raise Drop("that are not Features", f"type {short(str(feat.get('type')), 30)!r} is not a Feature")
    if "geometry" not in feat:
        raise Drop("without geometry", "has no geometry member")
    return feat


def _properties(feat: dict, repairs: list[tuple[str, str]]) -> dict:
    """A feature's properties as a dict (a non-object kept as text under 'properties'; its "id" first)."""
    raw = feat.get("properties")
    if raw is None:
        raw = {}
    elif not isinstance(raw, dict):
        repairs.append(
            (
                "with properties that were not an object (kept as text)",
                "properties is not a JSON object — kept as text under 'properties'",
            )
        )
        raw = {"properties": raw}
    if "id" in feat and "id" not in raw:
        raw = {"id": feat["id"], **raw}
    return raw


def _read_features(feats: list, limits: Limits, clock: Clock, rep: Report) -> list[Pending]:
    pending = []
    for i, feat in enumerate(feats, start=1):
        if i % 1000 == 0:
            clock.check()
        repairs: list[tuple[str, str]] = []
        try:
            feat = _feature(feat)
            geom = build(feat["geometry"], repairs, 0, limits.max_depth)
        except Drop as d:
            rep.drop(i, d.reason, d.detail)
            continue
        pending.append((i, geom, _properties(feat, repairs), repairs))
    clock.check()
    return pending


def _place(pending: list[Pending], declared, rep: Report) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(geometries in degrees, their bounds, which are empty): reprojected from a declared CRS, or refused
    when they are undeclared metres."""
    geoms = np.array([p[1] for p in pending] or [], dtype=object)
    if declared is not None and len(geoms):
        geoms = to_wgs84(geoms, declared[1])
        rep.notes.append(f"reprojected from {declared[0]} to WGS 84")
    bounds = shapely.bounds(geoms) if len(geoms) else np.empty((0, 4))
    empty = shapely.is_empty(geoms) if len(geoms) else np.empty(0, dtype=bool)
    if declared is None:
        sample = looks_projected(bounds[~empty & np.isfinite(bounds).all(axis=1)])
        if sample is not None:
            raise Refuse(
                f"{metres_message(sample)}, and the file declares no CRS. Re-export it as WGS 84 "
                f'(EPSG:4326), or add a "crs" member naming its projection (e.g. EPSG:3857).'
            )
    return geoms, bounds, empty


def _checked(geom, bounds: np.ndarray, empty: bool, declared, repairs: list[tuple[str, str]]):
    """One placed geometry range-checked and repaired; :class:`Drop` when it cannot be kept."""
    if empty:
        raise Drop("empty geometry", "geometry has no coordinates")
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise Drop(
            "coordinates that cannot be reprojected",
            f"coordinates cannot be reprojected from {declared[0] if declared else 'its CRS'}",
        )
    bad = range_problem(bounds)
    if bad:
        raise Drop(*bad)
    return finish(geom, repairs)


def load_geojson(text: str, name: str, limits: Limits, clock: Clock) -> OverlayResult:
    """A GeoJSON text → result; row problems reported per feature (numbered from 1). Raises :class:`Refuse`."""
    doc = parse(text, name)
    clock.check()
    feats = features(doc, limits)
    assert isinstance(doc, dict)  # features() refused anything else
    declared = declared_crs(doc)
    rep = Report("feature")
    props = Props(limits, rep)
    pending = _read_features(feats, limits, clock, rep)
    geoms, bounds, empty = _place(pending, declared, rep)
    rows, kept = [], []
    for k, (i, _, raw, repairs) in enumerate(pending):
        if k % 1000 == 0:
            clock.check()
        try:
            geom = _checked(geoms[k], bounds[k], empty[k], declared, repairs)
        except Drop as d:
            rep.drop(i, d.reason, d.detail)
            continue
        rows.append(props.row(raw, repairs))
        rep.repair(i, repairs)
        kept.append(geom)
    clock.check()
    props.note()
    return rep.result(rows, kept, props.columns, len(feats))
