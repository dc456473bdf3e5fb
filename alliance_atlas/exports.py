"""Exports: GeoJSON FeatureCollections (RFC 7946) and spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from numbers import Number

import pandas as pd
import shapely
from shapely.geometry import mapping

from . import layers, timeline
from .io import Atlas

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INSTALLATION_COLUMNS = (
    "id", "name", "unit", "operator", "kind", "host_iso3", "territory_id", "locality", "lat", "lon",
    "coord_quality", "status", "established", "ended", "legal_basis", "personnel", "note",
    "confidence", "sources", "last_verified",
)  # fmt: skip


def _is_number_text(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe.
    Numbers (and text that is a plain number, like '-12.5') stay as they are."""
    if value is None or isinstance(value, Number):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not _is_number_text(text):
        return "'" + text
    return text


def to_csv(frame: pd.DataFrame, columns: tuple[str, ...] | None = None) -> str:
    cols = list(columns or frame.columns)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([neutralise(c) for c in cols])
    for rec in frame[cols].itertuples(index=False):
        writer.writerow([neutralise(v) for v in rec])
    return buf.getvalue()


def installations_csv(atlas: Atlas, day: dt.date, show_historic: bool = True) -> str:
    inst = timeline.installations_on(atlas, day, show_historic=show_historic)
    return to_csv(inst, (*INSTALLATION_COLUMNS, "phase"))


def _clean(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _feature(geom, props: dict) -> dict:
    geom = shapely.orient_polygons(geom) if geom.geom_type in ("Polygon", "MultiPolygon") else geom
    return {"type": "Feature", "geometry": mapping(geom),
            "properties": {k: _clean(v) for k, v in props.items() if not k.startswith("_")}}


def layers_geojson(atlas: Atlas, day: dt.date, orgs: tuple[str, ...] | None = None) -> dict:
    """The map's layers on ``day`` as one FeatureCollection; each feature has a ``layer``."""
    orgs = tuple(orgs or atlas.organizations["id"])
    held = layers.held_by_state(atlas, day, orgs)
    feats = []
    for _, r in atlas.states.iterrows():
        props = {"layer": "state", "iso3": r["iso3"], "name": r["name"], "region": r["region"],
                 "memberships": [{"organization": o, "status": s} for o, s in held.get(r["iso3"], [])]}
        feats.append(_feature(r.geometry, props))
    for _, r in timeline.territories_on(atlas, day).iterrows():
        props = {k: r[k] for k in ("id", "name", "de_jure_iso3", "status", "controlled_by", "since", "until",
                                   "note", "geometry_quality", "confidence", "sources")}
        feats.append(_feature(r.geometry, {"layer": "territory", **props}))
    feats.extend(installations_features(timeline.installations_on(atlas, day, show_historic=True)))
    return {"type": "FeatureCollection", "name": f"alliance-atlas-{day.isoformat()}", "features": feats}


def installations_features(inst: pd.DataFrame) -> list[dict]:
    out = []
    for _, r in inst.iterrows():
        props = {"layer": "installation", **{c: r[c] for c in INSTALLATION_COLUMNS if c not in ("lat", "lon")}}
        if "phase" in r:
            props["phase_on_date"] = r["phase"]
        props["personnel"] = int(r["personnel"]) if str(r["personnel"]).isdigit() else None
        out.append(_feature(shapely.Point(float(r["lon"]), float(r["lat"])), props))
    return out


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1)
