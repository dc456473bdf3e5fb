"""The user's own overlays, kept for the browser session, and the team folder on the server."""

from __future__ import annotations

import os

import streamlit as st

from alliance_atlas import uploads
from alliance_atlas.renderers.leaflet_overlays import OVERLAY_COLOURS
from ui import state


def load_overlay_bytes(data: bytes, name: str, lat_col: str | None = None, lon_col: str | None = None):
    """Parse one file (never cached across sessions: a user's upload stays theirs)."""
    return uploads.load_overlay(data, name, uploads.Limits.from_env(), lat_col=lat_col, lon_col=lon_col)


def parsed_upload(up, lat_col: str | None = None, lon_col: str | None = None):
    """The parsed overlay of one uploaded file, read once when it arrives and kept in this
    session only. Keyed on the uploader's file id (new for every upload, even of the same
    bytes), so a rerun neither re-reads nor hashes the file. Entries of files no longer in
    the uploader are dropped by :func:`forget_uploads`."""
    parsed = state.PARSED.ensure()
    key = (up.file_id, lat_col, lon_col)
    if key not in parsed:
        with st.spinner(f"Reading {up.name}…"):
            parsed[key] = load_overlay_bytes(up.getvalue(), up.name, lat_col, lon_col)
    return parsed[key]


def added_upload(up, result) -> str:
    """Add an uploaded file's overlay to the session's list once, when first read (later runs
    keep the user's toggle, colour or removal); its name in the list."""
    names = state.UPLOAD_NAMES.ensure()
    if up.file_id not in names:
        names[up.file_id] = add_overlay(up.name.rsplit(".", 1)[0], result, f"upload:{up.file_id}")
    return names[up.file_id]


def forget_uploads(current_ids: set[str]) -> None:
    """Drop the parsed copies of files removed from the uploader (overlays already added stay
    in the session's list until removed there)."""
    parsed = state.PARSED.get()
    for key in [k for k in parsed if k[0] not in current_ids]:
        del parsed[key]
    names = state.UPLOAD_NAMES.get()
    for key in [k for k in names if k not in current_ids]:
        del names[key]


def overlay_store() -> dict:
    """name -> {gdf, colour, visible, message, problems, origin}; lives for the browser session."""
    return state.OVERLAYS.ensure()


def add_overlay(name: str, result, origin: str) -> str:
    store = overlay_store()
    base, n = name, 2
    while name in store and store[name]["origin"] != origin:
        name, n = f"{base} ({n})", n + 1
    colour = store.get(name, {}).get("colour") or OVERLAY_COLOURS[len(store) % len(OVERLAY_COLOURS)]
    store[name] = {
        "gdf": result.gdf,
        "colour": colour,
        "visible": True,
        "message": result.message,
        "problems": list(result.problems),
        "origin": origin,
    }
    return name


def visible_overlays() -> dict:
    return {n: o["gdf"] for n, o in overlay_store().items() if o["visible"] and o["gdf"] is not None}


def server_overlay_dir() -> str:
    """$ATLAS_OVERLAY_DIR: a server folder of GeoJSON/CSV overlays the team shares ('' if unset)."""
    return os.environ.get("ATLAS_OVERLAY_DIR", "").strip()


def server_overlay_files() -> list[str]:
    """Names of the files in $ATLAS_OVERLAY_DIR (GeoJSON/CSV); none is opened until added."""
    return uploads.server_files(server_overlay_dir())


def read_server_overlay(name: str):
    """Read one team file within bounds (see uploads.read_server_file) and parse it: an
    OverlayResult, refused with a message for links, files outside the folder or over the limit."""
    limits = uploads.Limits.from_env()
    data, refusal = uploads.read_server_file(server_overlay_dir(), name, limits)
    if data is None:
        return uploads.OverlayResult(False, None, refusal)
    return uploads.load_overlay(data, name, limits)
