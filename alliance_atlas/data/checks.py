"""Readers that never raise and cell checks for loading.validate; every problem names file, row and column."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from alliance_atlas.data import dates, schema
from alliance_atlas.data.problems import Problem


class Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    # -- readers -------------------------------------------------------------
    def read_csv(self, folder: Path, name: str) -> pd.DataFrame | None:
        path = folder / name
        required = schema.COLUMNS[name]
        if not path.is_file():
            self.add(name, None, None, f"file is missing (looked in {folder})")
            return None
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh, restkey="__extra__")
                header = reader.fieldnames or []
                rows = []
                for i, row in enumerate(reader, start=2):
                    if row.get("__extra__"):
                        self.add(name, i, None, "row has more fields than the header (a stray comma?)")
                    if any(v is None for k, v in row.items() if k != "__extra__"):
                        self.add(name, i, None, "row has fewer fields than the header")
                    clean = {k: (v or "").strip() for k, v in row.items() if k != "__extra__"}
                    clean["_row"] = i
                    rows.append(clean)
        except UnicodeDecodeError as exc:
            self.add(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            return None
        except csv.Error as exc:
            self.add(name, None, None, f"not a readable CSV file ({exc})")
            return None
        missing = [c for c in required if c not in header]
        for col in missing:
            self.add(name, 1, col, "required column is missing from the header")
        if missing:
            return None
        frame = pd.DataFrame(rows, columns=[*header, "_row"])
        return frame.astype(dict.fromkeys(header, "object"))

    def read_geojson(self, folder: Path, name: str, optional: bool = False) -> gpd.GeoDataFrame | None:
        path = folder / name
        if not path.is_file():
            if not optional:
                self.add(name, None, None, f"file is missing (looked in {folder})")
            return None
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.add(name, None, None, f"not valid JSON ({exc})")
            return None
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
            self.add(name, None, None, "not a GeoJSON FeatureCollection")
            return None
        required = schema.COLUMNS.get(name, ())
        records, geoms = [], []
        for i, feat in enumerate(doc.get("features") or [], start=1):
            props = (feat or {}).get("properties") or {}
            for col in required:
                if col not in props:
                    self.add(name, i, col, "required property is missing")
            try:
                geom = shape(feat["geometry"])
            except Exception as exc:  # noqa: BLE001 - any malformed geometry is a data problem
                self.add(name, i, "geometry", f"unreadable geometry ({exc})")
                continue
            if geom.is_empty or not shapely.is_valid(geom):
                reason = shapely.is_valid_reason(geom) if not geom.is_empty else "empty"
                self.add(name, i, "geometry", f"invalid geometry ({reason})")
            rec = {c: props.get(c) for c in props}
            rec["_row"] = i
            records.append(rec)
            geoms.append(geom)
        frame = pd.DataFrame(records)
        for col in required:
            if col not in frame.columns:
                frame[col] = None
        return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")

    # -- cell checks ---------------------------------------------------------
    def date(self, file: str, row: int, col: str, value: object, *, required: bool, upper: bool = False):
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.add(file, row, col, "a date is required")
            return None
        try:
            return dates.parse(text, upper=upper)
        except ValueError as exc:
            self.add(file, row, col, str(exc))
            return None

    def enum(self, file: str, row: int, col: str, value: str, allowed) -> None:
        if value not in allowed:
            self.add(file, row, col, f"{value!r} is not one of: {', '.join(allowed)}")

    def number(self, file: str, row: int, col: str, value: str, lo: float, hi: float, *, required: bool):
        if not value:
            if required:
                self.add(file, row, col, "a number is required")
            return None
        try:
            num = float(value)
        except ValueError:
            self.add(file, row, col, f"{value!r} is not a number")
            return None
        if not lo <= num <= hi:
            self.add(file, row, col, f"{num} is outside {lo}..{hi}")
            return None
        return num

    def unique(self, file: str, frame: pd.DataFrame, col: str) -> None:
        seen: dict[str, int] = {}
        for row, value in zip(frame["_row"], frame[col], strict=True):
            if value in seen:
                self.add(file, row, col, f"id {value!r} is used again (first at row {seen[value]})")
            else:
                seen[value] = row

    def sources(self, file: str, frame: pd.DataFrame, known: set[str]) -> None:
        for row, cell in zip(frame["_row"], frame["sources"], strict=True):
            ids = [s.strip() for s in str(cell or "").split(";") if s.strip()]
            if not ids:
                self.add(file, row, "sources", "every row needs at least one source id")
            for sid in ids:
                if sid not in known:
                    self.add(file, row, "sources", f"source {sid!r} is not in sources.csv")

    def confidence(self, file: str, frame: pd.DataFrame) -> None:
        for row, value in zip(frame["_row"], frame["confidence"], strict=True):
            self.enum(file, row, "confidence", value, schema.CONFIDENCE)

    def interval(self, file: str, frame: pd.DataFrame, start: str, end: str, *, start_required: bool):
        starts, ends = [], []
        for _, rec in frame.iterrows():
            row = rec["_row"]
            s = self.date(file, row, start, rec[start], required=start_required)
            e = self.date(file, row, end, rec[end], required=False, upper=True)
            if s and e and e <= s:
                self.add(file, row, end, f"{end} {rec[end]} is not after {start} {rec[start]}")
            starts.append(s)
            ends.append(e)
        frame[f"_{start}"] = starts
        frame[f"_{end}"] = ends
