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

from alliance_atlas.analysis.details import plain, state_name, territory_name
from alliance_atlas.cartography import scene
from alliance_atlas.data import asof, schema
from alliance_atlas.data.loading import Atlas

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
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; also makes csv quote a lone \r
    writer.writerow([neutralise(c) for c in cols])
    for rec in frame[cols].itertuples(index=False):
        writer.writerow([neutralise(v) for v in rec])
    return buf.getvalue()


#: the plain names a person reads beside the ids of the CSV (an id column keeps its code for machines)
NAME_COLUMNS = ("operator_name", "kind_name", "host_name", "territory_name", "phase_name")


def installations_csv_text(atlas: Atlas, inst: pd.DataFrame) -> str:
    """Installations as CSV: the data's columns, the phase on the date, and each id's plain name."""
    out = inst.copy()
    phases = out["phase"] if "phase" in out else pd.Series("", index=out.index)
    out["operator_name"] = [state_name(atlas, v) for v in out["operator"]]
    out["kind_name"] = [schema.INSTALLATION_KINDS.get(v, plain(v)) for v in out["kind"]]
    out["host_name"] = [state_name(atlas, v) for v in out["host_iso3"]]
    out["territory_name"] = [territory_name(atlas, v) for v in out["territory_id"]]
    out["phase_name"] = [schema.PHASE_NAMES.get(v, plain(v)) for v in phases]
    out["phase"] = phases
    return to_csv(out, (*INSTALLATION_COLUMNS, "phase", *NAME_COLUMNS))


def installations_csv(atlas: Atlas, day: dt.date, show_historic: bool = True) -> str:
    return installations_csv_text(atlas, asof.installations_on(atlas, day, show_historic=show_historic))


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
    return {
        "type": "Feature",
        "geometry": mapping(geom),
        "properties": {k: _clean(v) for k, v in props.items() if not k.startswith("_")},
    }


def layers_geojson(atlas: Atlas, day: dt.date, orgs: tuple[str, ...] | None = None) -> dict:
    """The map's layers on ``day`` as one FeatureCollection; each feature has a ``layer``."""
    orgs = tuple(orgs or atlas.organizations["id"])
    held = scene.held_by_state(atlas, day, orgs)
    feats = []
    for _, r in atlas.states.iterrows():
        props = {
            "layer": "state",
            "iso3": r["iso3"],
            "name": r["name"],
            "region": r["region"],
            "memberships": [{"organization": o, "status": s} for o, s in held.get(r["iso3"], [])],
        }
        feats.append(_feature(r.geometry, props))
    for _, r in asof.territories_on(atlas, day).iterrows():
        props = {k: r[k] for k in schema.COLUMNS["territories.geojson"]}
        feats.append(_feature(r.geometry, {"layer": "territory", **props}))
    feats.extend(installations_features(asof.installations_on(atlas, day, show_historic=True)))
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


def installations_table(atlas: Atlas, inst: pd.DataFrame, query: str = "") -> pd.DataFrame:
    """The installations table as shown (and its Excel download): typed columns, plain names for the
    kind, operator, host, territory and statuses (the ``id`` column keeps the installation's id), up to
    three source links, a text filter over name, unit, locality, aliases, note and legal basis. A text
    cell with nothing to say is empty (a table showing "None" reads as a value); a missing personnel
    figure is a missing number."""
    src = atlas.sources.set_index("id")
    rows = []
    for _, r in inst.iterrows():
        ids = [s for s in r["sources"].split(";") if s]
        urls = [src.loc[s, "url"] if s in src.index else "" for s in ids]
        rows.append(
            {
                "name": r["name"],
                "kind": schema.INSTALLATION_KINDS.get(r["kind"], plain(r["kind"])),
                "operator": state_name(atlas, r["operator"]),
                "host": state_name(atlas, r["host_iso3"]),
                "territory": territory_name(atlas, r["territory_id"]),
                "on date": schema.PHASE_NAMES.get(r.get("phase", ""), plain(r.get("phase", ""))),
                "status today": plain(r["status"]),
                "established": r["established"],
                "ended": r["ended"],
                "personnel": int(r["personnel"]) if str(r["personnel"]).isdigit() else None,
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "coordinates": r["coord_quality"],
                "legal basis": r["legal_basis"],
                "confidence": r["confidence"],
                "last verified": r["last_verified"],
                "source 1": urls[0] if urls else "",
                "source 2": urls[1] if len(urls) > 1 else "",
                "source 3": urls[2] if len(urls) > 2 else "",
                "sources": r["sources"],
                "note": r["note"],
                "id": r["id"],
                "_search": " ".join(
                    str(r[c]) for c in ("name", "unit", "locality", "aliases", "note", "legal_basis", "id")
                ),
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    if query.strip():
        words = query.casefold().split()
        table = table[table["_search"].str.casefold().map(lambda t: all(w in t for w in words))]
    return table.drop(columns="_search").reset_index(drop=True)


def to_excel(frame: pd.DataFrame) -> bytes:
    """An .xlsx of the table, with formula-like text neutralised like the CSV."""
    buf = io.BytesIO()
    safe = frame.map(neutralise)
    safe.columns = [neutralise(c) for c in frame.columns]
    safe.to_excel(buf, index=False, sheet_name="installations")
    return buf.getvalue()


def features_collection(features: list[dict], name: str) -> str:
    return dumps({"type": "FeatureCollection", "name": name, "features": features})
