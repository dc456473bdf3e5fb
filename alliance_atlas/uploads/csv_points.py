"""CSV uploads: delimiter, header, the latitude/longitude columns (found or chosen), decimal commas, one point per row."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
from collections import Counter

import numpy as np
import shapely

from .crs import looks_projected, metres_message
from .limits import Clock, Limits
from .properties import Props
from .repair import range_problem
from .report import Drop, OverlayResult, Refuse, Report, short

LAT_NAMES = ("lat", "latitude", "y")
LON_NAMES = ("lon", "lng", "long", "longitude", "x")
_NULLS = {"", "na", "n/a", "nan", "null", "none", "-"}
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def delimiter(header_line: str) -> str | None:
    """The most frequent of , ; tab | in the header line, or None when it has none."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def coord(cell: str, comma_decimal: bool) -> float | None:
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
            with contextlib.suppress(ValueError):
                ok += coord(cell, True) is not None
        if cells and ok * 2 >= len(cells):
            numeric.append(h)
    return numeric


def _named_columns(header: list[str], lat_col: str | None, lon_col: str | None) -> tuple[int, int]:
    missing = [c for c in (lat_col, lon_col) if c is None or c not in header]
    if missing:
        raise Refuse(
            f"Column {short(str(missing[0]))!r} is not in the file; its columns are "
            f"{', '.join(short(h, 30) for h in header[:30])}.",
            needs_columns=list(header),
        )
    if lat_col == lon_col:
        raise Refuse("Latitude and longitude must be two different columns.", needs_columns=list(header))
    assert lat_col is not None and lon_col is not None  # both named: checked just above
    return header.index(lat_col), header.index(lon_col)


def pick_columns(header: list[str], lat_col: str | None, lon_col: str | None, body: list[list[str]]) -> tuple[int, int]:
    """Indexes of the latitude and longitude columns: the ones named, or found by their header; when
    that is ambiguous or impossible, :class:`Refuse` with the columns to choose from (``needs_columns``)."""
    if lat_col is not None or lon_col is not None:
        return _named_columns(header, lat_col, lon_col)
    low = [h.strip().lower() for h in header]
    lats = [i for i, h in enumerate(low) if h in LAT_NAMES]
    lons = [i for i, h in enumerate(low) if h in LON_NAMES]
    if len(lats) == 1 and len(lons) == 1:
        return lats[0], lons[0]
    if len(lats) > 1 or len(lons) > 1:
        cands = [header[i] for i in sorted({*lats, *lons})]
        raise Refuse(
            f"Several columns could hold the coordinates ({', '.join(cands)}); choose the latitude "
            f"and longitude columns.",
            needs_columns=cands,
        )
    numeric = _numeric_columns(header, body)
    looked = "lat/latitude/y and lon/lng/long/longitude/x"
    if len(numeric) >= 2:
        raise Refuse(
            f"No latitude/longitude columns found (looked for {looked}); choose them from the columns with numbers.",
            needs_columns=numeric,
        )
    raise Refuse(
        f"No latitude/longitude columns found (looked for {looked}), and fewer than two columns hold "
        f"numbers. Add lat and lon columns in decimal degrees."
    )


def read_rows(
    text: str, name: str, delim: str, limits: Limits, clock: Clock
) -> tuple[list[str], list[list[str]], list[int]]:
    """(header with blank and repeated names made unique, non-blank data rows, their line numbers)."""
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
                raise Refuse(
                    f"The file has more than {limits.max_features:,} rows, the limit "
                    f"(ATLAS_OVERLAY_MAX_FEATURES). Split the file or keep only the rows you need."
                )
    except csv.Error as exc:
        raise Refuse(
            f"{name} is not a readable CSV file (line {reader.line_num}: {exc}). Check the quoting, or "
            f"shorten very long cells."
        ) from None
    header = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    seen: Counter[str] = Counter()
    for i, h in enumerate(header):
        seen[h] += 1
        if seen[h] > 1:
            header[i] = f"{h}_{seen[h]}"
    return header, body, lines


def _row_coords(row: list[str], ilat: int, ilon: int, comma_decimal: bool) -> tuple[float, float]:
    pair = []
    for idx, what in ((ilat, "latitude"), (ilon, "longitude")):
        cell = row[idx] if idx < len(row) else ""
        try:
            v = coord(cell, comma_decimal)
        except ValueError:
            raise Drop("non-numeric coordinates", f"{what} {short(cell, 30)!r} is not a number") from None
        if v is None:
            raise Drop("null coordinates", f"{what} is empty or null")
        pair.append(v)
    return pair[0], pair[1]


def _locate(
    body: list[list[str]], lines: list[int], ilat: int, ilon: int, comma_decimal: bool, rep: Report
) -> list[tuple[int, float, float]]:
    """(index in body, lat, lon) of every row with two numbers; the others dropped in ``rep``."""
    located = []
    for k, row in enumerate(body):
        try:
            lat, lon = _row_coords(row, ilat, ilon, comma_decimal)
        except Drop as d:
            rep.drop(lines[k], d.reason, d.detail)
            continue
        located.append((k, lat, lon))
    return located


def load_csv(
    text: str, name: str, limits: Limits, clock: Clock, lat_col: str | None, lon_col: str | None
) -> OverlayResult:
    """A CSV text → result of points; row problems reported by line number (header = 1). Raises :class:`Refuse`."""
    delim = delimiter(text.split("\n", 1)[0])
    if delim is None:
        raise Refuse(
            f"{name} is neither GeoJSON nor a CSV with columns: its first line has no comma, semicolon "
            f"or tab. A CSV needs a header line with lat and lon columns."
        )
    header, body, lines = read_rows(text, name, delim, limits, clock)
    if not body:
        raise Refuse(f"{name} has a header but no data rows.")
    ilat, ilon = pick_columns(header, lat_col, lon_col, body)
    rep = Report("row")
    props = Props(limits, rep)
    located = _locate(body, lines, ilat, ilon, delim != ",", rep)
    clock.check()
    lat = np.array([r[1] for r in located], dtype=float)
    lon = np.array([r[2] for r in located], dtype=float)
    bounds = np.column_stack([lon, lat, lon, lat]) if located else np.empty((0, 4))
    sample = looks_projected(bounds)
    if sample is not None:
        raise Refuse(
            f"{metres_message(sample)}, and a CSV cannot declare its CRS. Convert them to latitude and "
            f"longitude in decimal degrees (WGS 84, EPSG:4326)."
        )
    points = shapely.points(lon, lat) if located else []
    rows, kept = [], []
    for j, (k, _, _) in enumerate(located):
        if j % 5000 == 0:
            clock.check()
        line = lines[k]
        bad = range_problem(bounds[j])
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
    return rep.result(rows, kept, props.columns, len(body))
