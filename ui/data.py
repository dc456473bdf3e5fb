"""The data for the app: loaded once per version of the data folder (edits on a running server are seen), and small helpers for its output."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import streamlit as st

from alliance_atlas.data import loading
from alliance_atlas.renderers import assets
from alliance_atlas.safe import esc
from ui import state


def data_stamp(folder: str | os.PathLike[str]) -> str:
    """Every file under the data folder (briefings, case studies, methodology included) with its
    modification time and size: part of every data cache key, so an edit on a running server is
    read on the next rerun. A few dozen stat() calls per run."""
    root = Path(folder)
    parts = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                info = path.stat()
            except OSError:
                continue
            parts.append(f"{path.relative_to(root)}:{info.st_mtime_ns}:{info.st_size}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def load_version(folder: str, stamp: str) -> loading.Atlas | loading.DataError:
    """One version of the data (folder + stamp), or its problems: a broken version is cached too,
    so it is validated once, not on every rerun of every session."""
    try:
        data = loading.load(folder)
    except loading.DataError as exc:
        return exc
    data.cache["stamp"] = stamp
    return data


def data_key(data: loading.Atlas) -> tuple[str, str]:
    """(folder, version) of a loaded dataset: the key for caches derived from it."""
    return str(data.data_dir), data.cache.get("stamp", "")


def current_data() -> loading.Atlas:
    folder = loading.data_dir()
    loaded = load_version(str(folder), data_stamp(folder))
    if isinstance(loaded, loading.Atlas):
        state.GOOD_DATA.set(loaded)
        return loaded
    good: loading.Atlas | None = state.GOOD_DATA.get()
    if good is not None and good.data_dir == folder:
        st.warning(
            f"The data files in {folder} were edited and now have {len(loaded.problems)} problem(s): "
            "this page keeps showing the version loaded before. New visitors see the problems until "
            "they are fixed (`python -m alliance_atlas validate` lists them).",
            icon=":material/warning:",
        )
        return good
    st.error(
        f"The data in {folder} has {len(loaded.problems)} problem(s). "
        "Fix them (see below) and reload; `python -m alliance_atlas validate` lists them too."
    )
    st.code("\n".join(str(p) for p in loaded.problems[:200]), language=None)
    st.stop()
    raise AssertionError("unreachable: st.stop raises")


def static_prefix() -> str:
    return assets.url_prefix(st.get_option("server.baseUrlPath") or "")


def download_name(stem: str, day: dt.date, ext: str) -> str:
    return f"alliance-atlas-{stem}-{day.isoformat()}.{ext}"


def html_text(text: object) -> str:
    """Untrusted text for an HTML element: escaped, line breaks kept."""
    return esc(text).replace("\n", "<br>")


def file_stamp(path) -> float:
    """Modification time and size of a file, for cache keys that follow edits on a running server."""
    try:
        st_ = Path(path).stat()
    except OSError:
        return 0.0
    return st_.st_mtime_ns / 1e9 + st_.st_size * 1e-12
