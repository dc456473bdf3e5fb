"""The one entry point, load_overlay: size check, decoding, the format decided by the content, never raising."""

from __future__ import annotations

import logging
from pathlib import PurePath

from .csv_points import load_csv
from .geojson import load_geojson
from .limits import Clock, Limits, megabytes
from .report import OverlayResult, Refuse, short
from .sniff import decode, refuse_markup

log = logging.getLogger(__name__)


def _load(data: bytes, name: str, limits: Limits, lat_col: str | None, lon_col: str | None) -> OverlayResult:
    clock = Clock(limits)
    if len(data) > limits.max_bytes:
        raise Refuse(
            f"File is {megabytes(len(data))} MB; the limit is {megabytes(limits.max_bytes)} MB "
            f"(ATLAS_OVERLAY_MAX_MB). Split the file or simplify it."
        )
    if not data.strip():
        raise Refuse(f"{name} is empty.")
    text = decode(data, name)
    stripped = text.lstrip()
    if not stripped:
        raise Refuse(f"{name} is empty.")
    if stripped[0] in "{[":
        return load_geojson(text, name, limits, clock)
    if stripped[0] == "<":
        refuse_markup(stripped, name)
    if PurePath(name).suffix.lower() in (".json", ".geojson"):
        try:  # a CSV with a .geojson name still loads: the content decides
            return load_csv(text, name, limits, clock, lat_col, lon_col)
        except Refuse as r:
            if r.needs_columns:
                raise
            raise Refuse(
                f"{name} is not valid JSON (it starts with {short(stripped, 20)!r} instead of '{{') "
                f"and not a CSV with latitude/longitude columns either."
            ) from None
    return load_csv(text, name, limits, clock, lat_col, lon_col)


def load_overlay(
    data: bytes,
    filename: str,
    limits: Limits | None = None,
    *,
    lat_col: str | None = None,
    lon_col: str | None = None,
    strict: bool = False,
) -> OverlayResult:
    """Read an uploaded GeoJSON or CSV file. Never raises: a file that cannot be used comes
    back with ``ok=False`` and a message saying why and what to do. ``limits`` defaults to
    :meth:`Limits.from_env`; ``lat_col``/``lon_col`` name a CSV's coordinate columns (after
    a result with ``needs_columns``). ``strict=True`` (tests) lets a programming error raise
    instead of becoming a polite refusal, so that the tests exercise the real paths."""
    try:
        limits = limits or Limits.from_env()
        name = short(PurePath(str(filename or "")).name or "The file", 80)
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise Refuse(f"{name} could not be read (no file content was received).")
        return _load(bytes(data), name, limits, lat_col, lon_col)
    except Refuse as r:
        return OverlayResult(False, None, r.message, needs_columns=r.needs_columns)
    except (MemoryError, RecursionError):
        log.exception("overlay %r: out of memory or recursion", filename)
        return OverlayResult(False, None, "The file is too large or too complex to read here. Split or simplify it.")
    except Exception as exc:
        if strict:
            raise
        log.exception("overlay %r: unexpected error", filename)
        return OverlayResult(
            False,
            None,
            f"The file could not be read because of an unexpected error "
            f"({type(exc).__name__}). The details are in the server log.",
        )
