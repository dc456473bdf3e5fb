"""A user's own data on the map: GeoJSON or CSV uploads, read defensively.

One entry point, :func:`load_overlay`, which never raises. It returns an
:class:`OverlayResult`: either ``ok`` with a GeoDataFrame in EPSG:4326 (valid geometries,
every property a plain string) or a refusal whose ``message`` says what is wrong and what
to do. Row-level problems ("feature 12: latitude 95.2 is outside ±90 — dropped") are
listed in ``problems``; ``loaded``/``dropped``/``repaired`` count features (CSV rows).

What is decided here:

* the format comes from the content (``{``/``[`` → GeoJSON, otherwise CSV), the file name
  only sharpens messages; ZIP, gzip, PDF, images, SQLite/GeoPackage, shapefiles, KML and
  HTML are recognised by their first bytes and refused with a hint;
* text is UTF-8 (a UTF-8 BOM is skipped); UTF-16/UTF-32 with a BOM are decoded;
* a declared ``crs`` (an EPSG code or OGC CRS84, nothing else is passed to PROJ) is
  reprojected with pyproj; coordinates that are obviously metres (most features out of
  the degree range, by more than 1000) with no declared CRS are refused; other
  out-of-range coordinates are dropped feature by feature;
* unclosed rings are closed, invalid geometries repaired with ``shapely.make_valid``, lines
  and polygons crossing the antimeridian split at ±180 (each counted as repaired);
* property values nested deeper than ``max_depth`` are flattened to JSON text (deeper
  levels replaced by ``"…"``), values longer than ``max_property_chars`` truncated (both
  counted as repaired); every value ends up a plain string (null → "");
* the limits (:class:`Limits`) are checked with the limit's name and what to do. Time is
  checked between steps: one step (such as parsing JSON of at most ``max_bytes``) is not
  interrupted.

Nothing is HTML-escaped here: the map escapes every property with :func:`safe.esc`.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import re
import stat
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from .overlay_geometry import (
    _GEOM_TYPES,
    _build,
    _Drop,
    _finish,
    _looks_projected,
    _metres_message,
    _num,
    _range_problem,
    _short,
)

log = logging.getLogger(__name__)

#: Tests set this to True so that a programming error raises instead of turning into a
#: polite refusal (the tests must exercise the real paths).
STRICT = False

MAX_PROBLEMS = 200  # row-level messages kept; the counts in ``message`` stay complete
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an upload may cost. Defaults:

    ``max_bytes`` 20 MB ($ATLAS_OVERLAY_MAX_MB), ``max_features`` 50,000 features or CSV
    rows ($ATLAS_OVERLAY_MAX_FEATURES), ``max_seconds`` 5.0 ($ATLAS_OVERLAY_MAX_SECONDS),
    ``max_property_chars`` 10,000 per value (longer values are truncated),
    ``max_depth`` 20 levels of nesting in a property value (deeper is flattened),
    ``max_columns`` 500 distinct property names (more are ignored).
    """

    max_bytes: int = 20 * MB
    max_features: int = 50_000
    max_seconds: float = 5.0
    max_property_chars: int = 10_000
    max_depth: int = 20
    max_columns: int = 500

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """Defaults overridden by ATLAS_OVERLAY_MAX_MB, _MAX_FEATURES, _MAX_SECONDS.
        A value that is not a positive number is ignored (and logged)."""
        env = os.environ if environ is None else environ
        kwargs: dict[str, Any] = {}
        for var, name, conv in (("ATLAS_OVERLAY_MAX_MB", "max_bytes", lambda v: int(float(v) * MB)),
                                ("ATLAS_OVERLAY_MAX_FEATURES", "max_features", lambda v: int(float(v))),
                                ("ATLAS_OVERLAY_MAX_SECONDS", "max_seconds", float)):
            raw = env.get(var)
            if raw is None or not raw.strip():
                continue
            try:
                value = conv(raw.strip())
            except (ValueError, OverflowError):
                value = 0
            if not (math.isfinite(value) and value > 0):
                log.warning("%s=%r is not a positive number; using the default", var, raw)
                continue
            kwargs[name] = value
        return cls(**kwargs)


@dataclass
class OverlayResult:
    ok: bool
    gdf: gpd.GeoDataFrame | None
    message: str
    problems: list[str] = field(default_factory=list)
    loaded: int = 0
    dropped: int = 0
    repaired: int = 0
    needs_columns: list[str] | None = None


class _Refuse(Exception):
    """The whole file is refused; ``message`` is the user-facing sentence."""

    def __init__(self, message: str, needs_columns: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.needs_columns = needs_columns


# -- small helpers -------------------------------------------------------------------

def _mb(n: int) -> str:
    value = n / MB
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


class _Clock:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.start = time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self.start > self.limits.max_seconds:
            raise _Refuse(f"Reading the file took more than {self.limits.max_seconds:g} s, the limit "
                          f"(ATLAS_OVERLAY_MAX_SECONDS). Simplify the geometries or split the file.")


class _Report:
    """Counts and row messages for one file."""

    def __init__(self, unit: str):
        self.unit = unit  # "feature" (GeoJSON, numbered from 1) or "row" (CSV line number, header = 1)
        self.problems: list[tuple[int, str]] = []
        self.hidden = 0
        self.dropped: Counter[str] = Counter()
        self.repairs: Counter[str] = Counter()
        self.repaired_rows = 0
        self.notes: list[str] = []

    def say(self, where: int, text: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.hidden += 1
            return
        self.problems.append((where, f"{self.unit} {where}: {text}"))

    def drop(self, where: int, reason: str, detail: str) -> None:
        self.dropped[reason] += 1
        self.say(where, f"{detail} — dropped")

    def repair(self, where: int, kinds: list[tuple[str, str]]) -> None:
        if not kinds:
            return
        self.repaired_rows += 1
        for kind, detail in kinds:
            self.repairs[kind] += 1
            self.say(where, detail)

    def final_problems(self) -> list[str]:
        out = [text for _, text in sorted(self.problems, key=lambda p: p[0])]
        if self.hidden:
            out.append(f"… and {self.hidden:,} more (the counts in the summary are complete)")
        return out


def _phrase(reason: str) -> str:
    return reason if reason.startswith(("that ", "without ")) else f"with {reason}"


def _why(rep: _Report) -> str:
    return ", ".join(f"{n:,} {_phrase(reason)}" for reason, n in rep.dropped.most_common())


def _summary(rep: _Report, loaded: int, total: int) -> str:
    units = "rows" if rep.unit == "row" else "features"
    parts = [f"Loaded {loaded:,} of {total:,} {units}"]
    n_drop = sum(rep.dropped.values())
    if n_drop:
        parts.append(f"{n_drop:,} dropped ({_why(rep)})")
    if rep.repaired_rows:
        what = ", ".join(f"{n:,} {kind}" for kind, n in rep.repairs.most_common())
        parts.append(f"{rep.repaired_rows:,} repaired ({what})")
    parts.extend(rep.notes)
    return "; ".join(parts) + "."


# -- bytes → text ----------------------------------------------------------------------

_UNPACK = "Unzip it and upload the .geojson or .csv inside (a zipped shapefile must be converted to GeoJSON first)."
_DATA = "Upload the data as GeoJSON or CSV instead."
_CONVERT = "Convert it to GeoJSON (e.g. with QGIS or ogr2ogr) and upload that."
_MAGIC: list[tuple[bytes, str, str]] = [
    (b"PK\x03\x04", "a ZIP archive", _UNPACK),
    (b"PK\x05\x06", "an empty ZIP archive", "Upload a .geojson or .csv file."),
    (b"\x1f\x8b", "a gzip-compressed file", "Decompress it and upload the .geojson or .csv inside."),
    (b"BZh", "a bzip2-compressed file", "Decompress it and upload the .geojson or .csv inside."),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "Decompress it and upload the .geojson or .csv inside."),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Extract it and upload the .geojson or .csv inside."),
    (b"Rar!", "a RAR archive", "Extract it and upload the .geojson or .csv inside."),
    (b"%PDF", "a PDF document", _DATA),
    (b"\x89PNG", "a PNG image", _DATA),
    (b"\xff\xd8\xff", "a JPEG image", _DATA),
    (b"GIF8", "a GIF image", _DATA),
    (b"SQLite format 3\x00", "an SQLite database (a GeoPackage?)", "Export the layer as GeoJSON (e.g. with QGIS "
                                                                   "or ogr2ogr) and upload that."),
    (b"\x00\x00\x27\x0a", "an ESRI shapefile", _CONVERT),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file", "Save the sheet as CSV (UTF-8) and upload that."),
]

_BOMS = [  # longest first: the UTF-32-LE BOM begins with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def _decode(data: bytes, name: str) -> str:
    for magic, what, todo in _MAGIC:
        if data.startswith(magic):
            if magic == b"PK\x03\x04" and name.lower().endswith(".xlsx"):
                what, todo = "an Excel workbook", "Save the sheet as CSV (UTF-8) and upload that."
            elif magic == b"PK\x03\x04" and name.lower().endswith(".kmz"):
                what, todo = "a KMZ (zipped KML) file", _CONVERT
            raise _Refuse(f"{name} is {what}, not GeoJSON or CSV text. {todo}")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise _Refuse(f"{name} starts with a {encoding.upper()} byte-order mark but is not valid "
                              f"{encoding.upper()} ({exc.reason} at byte {exc.start + len(bom)}). "
                              f"Save it again as UTF-8.") from None
    if b"\x00" in data[:4096]:
        raise _Refuse(f"{name} contains binary data (NUL bytes), not GeoJSON or CSV text. If it is UTF-16 text, "
                      f"save it as UTF-8 instead.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start:exc.start + 1].hex().upper()
        line = data[:exc.start].count(b"\n") + 1
        raise _Refuse(f"{name} is not UTF-8 text (byte 0x{bad} on line {line} cannot be decoded; it may be "
                      f"Latin-1 or Windows-1251). Save it as UTF-8 and upload it again.") from None


# -- properties -----------------------------------------------------------------------

def _depth(value: object, limit: int) -> int:
    """Nesting depth of a JSON value (a scalar is 0), counted iteratively; stops past ``limit``."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, d = stack.pop()
        if isinstance(item, (dict, list)):
            d += 1
            deepest = max(deepest, d)
            if d > limit:
                return d
            stack.extend((v, d) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def _cut(value: object, levels: int) -> object:
    if isinstance(value, dict):
        return {k: _cut(v, levels - 1) for k, v in value.items()} if levels > 0 else "…"
    if isinstance(value, list):
        return [_cut(v, levels - 1) for v in value] if levels > 0 else "…"
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


class _Props:
    """Turns property dicts into flat {name: str} rows with the limits applied."""

    def __init__(self, limits: Limits, rep: _Report):
        self.limits = limits
        self.rep = rep
        self.columns: dict[str, None] = {}
        self.ignored: set[str] = set()

    def name(self, key: str) -> str | None:
        key = key[:200]
        if key == "geometry":
            key = "geometry_"
        if key in self.columns:
            return key
        if len(self.columns) >= self.limits.max_columns:
            self.ignored.add(key)
            return None
        self.columns[key] = None
        return key

    def row(self, props: dict, repairs: list[tuple[str, str]]) -> dict[str, str]:
        lim = self.limits
        out: dict[str, str] = {}
        deep, long = [], []
        for key, value in props.items():
            col = self.name(str(key))
            if col is None:
                continue
            if isinstance(value, (dict, list)) and _depth(value, lim.max_depth) > lim.max_depth:
                deep.append(col)
                value = _cut(value, lim.max_depth)
            text = _text(value)
            if len(text) > lim.max_property_chars:
                long.append((col, len(text)))
                text = text[: lim.max_property_chars - 1] + "…"
            out[col] = text
        if deep:
            repairs.append((f"with properties nested deeper than {lim.max_depth} levels (flattened to text)",
                            f"property {_short(deep[0])!r} is nested deeper than {lim.max_depth} levels — "
                            f"flattened to JSON text, deeper levels replaced by '…'"))
        if long:
            col, n = long[0]
            repairs.append((f"with property values truncated to {lim.max_property_chars:,} characters",
                            f"property {_short(col)!r} has {n:,} characters — truncated to "
                            f"{lim.max_property_chars:,}"))
        return out

    def note(self) -> None:
        if self.ignored:
            self.rep.notes.append(f"{len(self.ignored):,} property names beyond the first "
                                  f"{self.limits.max_columns:,} ignored")


def _frame(rows: list[dict[str, str]], geoms: list, columns: dict[str, None]) -> gpd.GeoDataFrame:
    cols = list(columns)
    frame = pd.DataFrame({c: [r.get(c, "") for r in rows] for c in cols}, index=range(len(geoms)), dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326").values, crs="EPSG:4326")


# -- GeoJSON --------------------------------------------------------------------------

_CRS_NAME = re.compile(r"^(?:urn:ogc:def:crs:)?(EPSG|OGC)(?::[0-9.]*)?::?([A-Za-z0-9]+)$", re.IGNORECASE)
_WGS84_NAMES = {("EPSG", "4326"), ("OGC", "CRS84")}


def _declared_crs(doc: dict) -> tuple[str, CRS] | None:
    """The CRS named by a (GeoJSON 2008) "crs" member, or None when there is none or it is WGS 84.
    Only EPSG codes and OGC CRS84 are accepted, so no user text reaches PROJ."""
    member = doc.get("crs")
    if member is None:
        return None
    name = None
    if isinstance(member, str):
        name = member
    elif isinstance(member, dict) and isinstance(member.get("properties"), dict):
        props = member["properties"]
        if isinstance(props.get("name"), str):
            name = props["name"]
        elif str(member.get("type", "")).upper() == "EPSG" and isinstance(props.get("code"), (int, str)):
            name = f"EPSG:{props['code']}"
    if name is None:
        raise _Refuse('The file\'s "crs" member is not understood (expected e.g. {"type": "name", "properties": '
                      '{"name": "EPSG:3857"}}). Re-export the file as WGS 84 (EPSG:4326) without a "crs" member.')
    m = _CRS_NAME.match(name.strip())
    if not m:
        raise _Refuse(f"The file declares the coordinate system {_short(name)!r}, which is not an EPSG code. "
                      f"Re-export it as WGS 84 (EPSG:4326).")
    auth, code = m[1].upper(), m[2].upper()
    if (auth, code) in _WGS84_NAMES:
        return None
    try:
        crs = CRS.from_epsg(int(code)) if auth == "EPSG" and code.isdigit() else CRS.from_user_input(f"{auth}:{code}")
    except (CRSError, ValueError, OverflowError):
        raise _Refuse(f"The file declares the coordinate system {auth}:{code}, which is not known. Re-export it "
                      f"as WGS 84 (EPSG:4326).") from None
    return f"{auth}:{code}", crs


def _features(doc: object, limits: Limits) -> list:
    if isinstance(doc, list):
        raise _Refuse('The file is a JSON array, not GeoJSON (expected an object with "type": '
                      '"FeatureCollection", "Feature" or a geometry type).')
    if not isinstance(doc, dict):
        raise _Refuse("The file is a single JSON value, not GeoJSON.")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            raise _Refuse('The FeatureCollection has no "features" list.')
    elif kind == "Feature":
        feats = [doc]
    elif kind in _GEOM_TYPES:
        feats = [{"type": "Feature", "geometry": doc, "properties": {}}]
    elif kind == "Topology":
        raise _Refuse("The file is TopoJSON, not GeoJSON. Convert it (e.g. with mapshaper or topojson-client's "
                      "topo2geo) and upload the GeoJSON.")
    elif kind is None:
        raise _Refuse('The file is JSON but not GeoJSON: it has no "type" member.')
    else:
        raise _Refuse(f"The file is JSON but not GeoJSON: its type is {_short(str(kind), 30)!r} (expected "
                      f"FeatureCollection, Feature or a geometry).")
    if not feats:
        raise _Refuse("The file has no features.")
    if len(feats) > limits.max_features:
        raise _Refuse(f"The file has {len(feats):,} features; the limit is {limits.max_features:,} "
                      f"(ATLAS_OVERLAY_MAX_FEATURES). Split the file or keep only the features you need.")
    return feats


def _json_error(exc: json.JSONDecodeError, text: str, name: str) -> str:
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)  # strings removed: are brackets left open at the end?
    opened = bare.count("{") + bare.count("[") - bare.count("}") - bare.count("]")
    if opened > 0 or not text[exc.pos:].strip():
        return (f"{name} is not valid JSON: the file seems cut off (truncated) — {exc.msg} (line {exc.lineno}, "
                f"column {exc.colno}). Check that the whole file was exported or downloaded.")
    return f"{name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."


def _load_geojson(text: str, name: str, limits: Limits, clock: _Clock) -> OverlayResult:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Refuse(_json_error(exc, text, name)) from None
    except RecursionError:
        raise _Refuse(f"{name} is nested too deeply to read (hundreds of levels of brackets); it is not ordinary "
                      f"GeoJSON.") from None
    clock.check()
    feats = _features(doc, limits)
    declared = _declared_crs(doc)
    rep = _Report("feature")
    props = _Props(limits, rep)
    pending = []  # (feature number, raw geometry, properties, repairs)
    for i, feat in enumerate(feats, start=1):
        if i % 1000 == 0:
            clock.check()
        repairs: list[tuple[str, str]] = []
        try:
            if not isinstance(feat, dict):
                raise _Drop("that are not Features", "is not a JSON object")
            if feat.get("type") in _GEOM_TYPES and "geometry" not in feat:
                feat = {"type": "Feature", "geometry": feat}  # a bare geometry in the list
            elif feat.get("type") != "Feature" and "geometry" not in feat:
                raise _Drop("that are not Features", f"type {_short(str(feat.get('type')), 30)!r} is not a Feature")
            if "geometry" not in feat:
                raise _Drop("without geometry", "has no geometry member")
            geom = _build(feat["geometry"], repairs, 0, limits.max_depth)
        except _Drop as d:
            rep.drop(i, d.reason, d.detail)
            continue
        raw = feat.get("properties")
        if raw is None:
            raw = {}
        elif not isinstance(raw, dict):
            repairs.append(("with properties that were not an object (kept as text)",
                            "properties is not a JSON object — kept as text under 'properties'"))
            raw = {"properties": raw}
        if "id" in feat and "id" not in raw:
            raw = {"id": feat["id"], **raw}
        pending.append((i, geom, raw, repairs))
    clock.check()

    geoms = np.array([p[1] for p in pending] or [], dtype=object)
    if declared is not None and len(geoms):
        tr = Transformer.from_crs(declared[1], "EPSG:4326", always_xy=True)

        def project(c: np.ndarray) -> np.ndarray:
            x, y = tr.transform(c[:, 0], c[:, 1], errcheck=False)
            return np.column_stack([x, y])

        geoms = shapely.transform(geoms, project)
        rep.notes.append(f"reprojected from {declared[0]} to WGS 84")
    bounds = shapely.bounds(geoms) if len(geoms) else np.empty((0, 4))
    empty = shapely.is_empty(geoms) if len(geoms) else np.empty(0, dtype=bool)
    if declared is None:
        sample = _looks_projected(bounds[~empty & np.isfinite(bounds).all(axis=1)])
        if sample is not None:
            raise _Refuse(f"{_metres_message(f'{_num(sample[0])}, {_num(sample[1])}')}, and the file declares no "
                          f"CRS. Re-export it as WGS 84 (EPSG:4326), or add a \"crs\" member naming its projection "
                          f"(e.g. EPSG:3857).")
    rows, kept = [], []
    for k, (i, _, raw, repairs) in enumerate(pending):
        if k % 1000 == 0:
            clock.check()
        geom = geoms[k]
        try:
            if empty[k]:
                raise _Drop("empty geometry", "geometry has no coordinates")
            if not np.isfinite(shapely.get_coordinates(geom)).all():
                raise _Drop("coordinates that cannot be reprojected",
                            f"coordinates cannot be reprojected from {declared[0] if declared else 'its CRS'}")
            bad = _range_problem(bounds[k])
            if bad:
                raise _Drop(*bad)
            geom = _finish(geom, repairs)
        except _Drop as d:
            rep.drop(i, d.reason, d.detail)
            continue
        rows.append(props.row(raw, repairs))
        rep.repair(i, repairs)
        kept.append(geom)
    clock.check()
    props.note()
    return _result(rep, rows, kept, props.columns, len(feats))


def _result(rep: _Report, rows, geoms, columns, total: int) -> OverlayResult:
    loaded = len(geoms)
    dropped = sum(rep.dropped.values())
    if loaded == 0:
        units = "rows" if rep.unit == "row" else "features"
        return OverlayResult(False, None, f"No {units} could be loaded: all {total:,} were dropped ({_why(rep)}).",
                             rep.final_problems(), 0, dropped, 0)
    return OverlayResult(True, _frame(rows, geoms, columns), _summary(rep, loaded, total), rep.final_problems(),
                         loaded, dropped, rep.repaired_rows)


# -- CSV ------------------------------------------------------------------------------

LAT_NAMES = ("lat", "latitude", "y")
LON_NAMES = ("lon", "lng", "long", "longitude", "x")
_NULLS = {"", "na", "n/a", "nan", "null", "none", "-"}
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _delimiter(header_line: str) -> str | None:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def _coord(cell: str, comma_decimal: bool) -> float | None:
    """A decimal number, None for an empty/null cell; ValueError for anything else."""
    text = cell.strip()
    if text.lower() in _NULLS:
        return None
    if comma_decimal:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    value = float(text)
    return value if math.isfinite(value) else None


def _numeric_columns(header: list[str], body: list[list[str]]) -> list[str]:
    numeric = []
    for i, h in enumerate(header):
        cells = [r[i] for r in body[:50] if i < len(r) and r[i].strip()]
        ok = 0
        for cell in cells:
            try:
                ok += _coord(cell, True) is not None
            except ValueError:
                pass
        if cells and ok * 2 >= len(cells):
            numeric.append(h)
    return numeric


def _pick_columns(header: list[str], lat_col: str | None, lon_col: str | None,
                  body: list[list[str]]) -> tuple[int, int]:
    if lat_col is not None or lon_col is not None:
        missing = [c for c in (lat_col, lon_col) if c is None or c not in header]
        if missing:
            raise _Refuse(f"Column {_short(str(missing[0]))!r} is not in the file; its columns are "
                          f"{', '.join(_short(h, 30) for h in header[:30])}.", needs_columns=list(header))
        if lat_col == lon_col:
            raise _Refuse("Latitude and longitude must be two different columns.", needs_columns=list(header))
        assert lat_col is not None and lon_col is not None  # both named: checked just above
        return header.index(lat_col), header.index(lon_col)
    low = [h.strip().lower() for h in header]
    lats = [i for i, h in enumerate(low) if h in LAT_NAMES]
    lons = [i for i, h in enumerate(low) if h in LON_NAMES]
    if len(lats) == 1 and len(lons) == 1:
        return lats[0], lons[0]
    if len(lats) > 1 or len(lons) > 1:
        cands = [header[i] for i in sorted({*lats, *lons})]
        raise _Refuse(f"Several columns could hold the coordinates ({', '.join(cands)}); choose the latitude "
                      f"and longitude columns.", needs_columns=cands)
    numeric = _numeric_columns(header, body)
    looked = "lat/latitude/y and lon/lng/long/longitude/x"
    if len(numeric) >= 2:
        raise _Refuse(f"No latitude/longitude columns found (looked for {looked}); choose them from the columns "
                      f"with numbers.", needs_columns=numeric)
    raise _Refuse(f"No latitude/longitude columns found (looked for {looked}), and fewer than two columns hold "
                  f"numbers. Add lat and lon columns in decimal degrees.")


def _read_csv(text: str, name: str, delim: str, limits: Limits, clock: _Clock):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        header = next(reader)
        body, lines = [], []
        for row in reader:
            if reader.line_num % 5000 == 0:
                clock.check()
            if not any(c.strip() for c in row):
                continue
            body.append(row)
            lines.append(reader.line_num)
            if len(body) > limits.max_features:
                raise _Refuse(f"The file has more than {limits.max_features:,} rows, the limit "
                              f"(ATLAS_OVERLAY_MAX_FEATURES). Split the file or keep only the rows you need.")
    except csv.Error as exc:
        raise _Refuse(f"{name} is not a readable CSV file (line {reader.line_num}: {exc}). Check the quoting, or "
                      f"shorten very long cells.") from None
    header = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    seen: Counter[str] = Counter()
    for i, h in enumerate(header):
        seen[h] += 1
        if seen[h] > 1:
            header[i] = f"{h}_{seen[h]}"
    return header, body, lines


def _load_csv(text: str, name: str, limits: Limits, clock: _Clock, lat_col: str | None,
              lon_col: str | None) -> OverlayResult:
    delim = _delimiter(text.split("\n", 1)[0])
    if delim is None:
        raise _Refuse(f"{name} is neither GeoJSON nor a CSV with columns: its first line has no comma, semicolon "
                      f"or tab. A CSV needs a header line with lat and lon columns.")
    header, body, lines = _read_csv(text, name, delim, limits, clock)
    if not body:
        raise _Refuse(f"{name} has a header but no data rows.")
    ilat, ilon = _pick_columns(header, lat_col, lon_col, body)
    comma_decimal = delim != ","
    rep = _Report("row")
    props = _Props(limits, rep)
    located: list[tuple[int, float, float]] = []  # (index in body, lat, lon)
    for k, row in enumerate(body):
        try:
            pair = []
            for idx, what in ((ilat, "latitude"), (ilon, "longitude")):
                cell = row[idx] if idx < len(row) else ""
                try:
                    v = _coord(cell, comma_decimal)
                except ValueError:
                    raise _Drop("non-numeric coordinates", f"{what} {_short(cell, 30)!r} is not a number") from None
                if v is None:
                    raise _Drop("null coordinates", f"{what} is empty or null")
                pair.append(v)
        except _Drop as d:
            rep.drop(lines[k], d.reason, d.detail)
            continue
        located.append((k, pair[0], pair[1]))
    clock.check()
    lat = np.array([r[1] for r in located], dtype=float)
    lon = np.array([r[2] for r in located], dtype=float)
    bounds = np.column_stack([lon, lat, lon, lat]) if located else np.empty((0, 4))
    sample = _looks_projected(bounds)
    if sample is not None:
        raise _Refuse(f"{_metres_message(f'{_num(sample[0])}, {_num(sample[1])}')}, and a CSV cannot declare its "
                      f"CRS. Convert them to latitude and longitude in decimal degrees (WGS 84, EPSG:4326).")
    points = shapely.points(lon, lat) if located else []
    rows, kept = [], []
    for j, (k, _, _) in enumerate(located):
        if j % 5000 == 0:
            clock.check()
        line = lines[k]
        bad = _range_problem(bounds[j])
        if bad:
            rep.drop(line, *bad)
            continue
        row = body[k]
        if len(row) > len(header):
            rep.say(line, f"has {len(row)} fields but the header has {len(header)} — extra fields ignored")
        rec = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if i not in (ilat, ilon)}
        repairs: list[tuple[str, str]] = []
        rows.append(props.row(rec, repairs))
        rep.repair(line, repairs)
        kept.append(points[j])
    clock.check()
    props.note()
    return _result(rep, rows, kept, props.columns, len(body))


# -- entry point ----------------------------------------------------------------------

def _load(data: bytes, name: str, limits: Limits, lat_col: str | None, lon_col: str | None) -> OverlayResult:
    clock = _Clock(limits)
    if len(data) > limits.max_bytes:
        raise _Refuse(f"File is {_mb(len(data))} MB; the limit is {_mb(limits.max_bytes)} MB "
                      f"(ATLAS_OVERLAY_MAX_MB). Split the file or simplify it.")
    if not data.strip():
        raise _Refuse(f"{name} is empty.")
    text = _decode(data, name)
    stripped = text.lstrip()
    if not stripped:
        raise _Refuse(f"{name} is empty.")
    if stripped[0] in "{[":
        return _load_geojson(text, name, limits, clock)
    if stripped[0] == "<":
        low = stripped[:2000].lower()
        if "<kml" in low:
            raise _Refuse(f"{name} is KML, not GeoJSON or CSV. {_CONVERT}")
        if "<gpx" in low:
            raise _Refuse(f"{name} is GPX, not GeoJSON or CSV. {_CONVERT}")
        if "<html" in low or "<!doctype html" in low:
            raise _Refuse(f"{name} is a web page (HTML), not GeoJSON or CSV. Download the data file itself.")
        raise _Refuse(f"{name} is XML, not GeoJSON or CSV. {_CONVERT}")
    if PurePath(name).suffix.lower() in (".json", ".geojson"):
        try:  # a CSV with a .geojson name still loads: the content decides
            return _load_csv(text, name, limits, clock, lat_col, lon_col)
        except _Refuse as r:
            if r.needs_columns:
                raise
            raise _Refuse(f"{name} is not valid JSON (it starts with {_short(stripped, 20)!r} instead of '{{') "
                          f"and not a CSV with latitude/longitude columns either.") from None
    return _load_csv(text, name, limits, clock, lat_col, lon_col)


def load_overlay(data: bytes, filename: str, limits: Limits | None = None, *, lat_col: str | None = None,
                 lon_col: str | None = None) -> OverlayResult:
    """Read an uploaded GeoJSON or CSV file. Never raises: a file that cannot be used comes
    back with ``ok=False`` and a message saying why and what to do. ``limits`` defaults to
    :meth:`Limits.from_env`; ``lat_col``/``lon_col`` name a CSV's coordinate columns (after
    a result with ``needs_columns``)."""
    try:
        limits = limits or Limits.from_env()
        name = _short(PurePath(str(filename or "")).name or "The file", 80)
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise _Refuse(f"{name} could not be read (no file content was received).")
        return _load(bytes(data), name, limits, lat_col, lon_col)
    except _Refuse as r:
        return OverlayResult(False, None, r.message, needs_columns=r.needs_columns)
    except (MemoryError, RecursionError):
        log.exception("overlay %r: out of memory or recursion", filename)
        return OverlayResult(False, None, "The file is too large or too complex to read here. Split or simplify it.")
    except Exception as exc:
        if STRICT:
            raise
        log.exception("overlay %r: unexpected error", filename)
        return OverlayResult(False, None, f"The file could not be read because of an unexpected error "
                                          f"({type(exc).__name__}). The details are in the server log.")


#: file kinds offered from a server overlay folder ($ATLAS_OVERLAY_DIR)
SERVER_EXTENSIONS = (".geojson", ".json", ".csv")


def server_files(folder: str | os.PathLike[str] | None) -> list[str]:
    """Names of the overlay files in a server folder (by extension; links and oversized files are
    listed too, and refused with a message by :func:`read_server_file`). No file is opened."""
    if not folder:
        return []
    try:
        with os.scandir(folder) as it:
            return sorted(e.name for e in it if e.name.lower().endswith(SERVER_EXTENSIONS) and not e.is_dir())
    except OSError:
        return []


def read_server_file(folder: str | os.PathLike[str], name: str, limits: Limits | None = None) -> tuple[bytes | None, str]:
    """The bytes of one file of a server overlay folder, or (None, a message saying why not,
    without the file's name: the caller shows it).

    Refused: a name that is not a plain file name, a symbolic link (even one pointing inside the
    folder), anything that is not a regular file, anything resolving outside the folder, and a file
    larger than ``limits.max_bytes``. The size is checked with stat() before opening; the file is
    opened without following links and read in bounded chunks, never more than the limit + 1
    byte (a file that grew past the limit after the stat is refused too)."""
    limits = limits or Limits.from_env()
    if not name or name in (".", "..") or PurePath(name).name != name or "\0" in name:
        return None, "Not added: not a plain file name in the team folder."
    try:
        root = os.path.realpath(folder, strict=True)
        path = os.path.join(root, name)
        info = os.lstat(path)
    except OSError:
        return None, "Not added: the file is no longer in the team folder."
    if stat.S_ISLNK(info.st_mode):
        return None, ("Not added: it is a link, and links in the team folder are not followed. "
                      "Copy the file itself into the folder.")
    if not stat.S_ISREG(info.st_mode):
        return None, "Not added: not a regular file; only GeoJSON or CSV files can be added."
    if os.path.dirname(os.path.realpath(path)) != root:
        return None, "Not added: it resolves outside the team folder."
    if info.st_size > limits.max_bytes:
        return None, (f"Not added: the file is {_mb(info.st_size)} MB; the limit is {_mb(limits.max_bytes)} MB "
                      "(ATLAS_OVERLAY_MAX_MB). Split the file or simplify it.")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None, "Not added: the file could not be opened (it may have been replaced by a link or removed)."
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            return None, "Not added: the file changed while it was opened; try again."
        chunks, total = [], 0
        while total <= limits.max_bytes:
            chunk = os.read(fd, min(1024 * 1024, limits.max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limits.max_bytes:
        return None, (f"Not added: the file is larger than the limit of {_mb(limits.max_bytes)} MB "
                      "(ATLAS_OVERLAY_MAX_MB). Split the file or simplify it.")
    return b"".join(chunks), ""


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
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, allow_nan=False,
                      default=str)
