"""Briefings in the app: the deck's window sync, slide thumbnails, this session's edited copies."""

from __future__ import annotations

import copy
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from alliance_atlas.data import content, loading, urlstate
from ui import state
from ui.data import current_data, data_key, file_stamp

_DECK = components.declare_component(
    "atlas_deck", path=str(Path(__file__).resolve().parents[1] / "components" / "deck")
)


def deck_sync(bid: str, slide: int, total: int, role: str) -> int | None:
    """Keeps the audience and speaker windows of one browser on the same slide; shows the
    speaker's clock. Returns a slide number another window moved to (once), else None."""
    got = _DECK(briefing=bid, slide=slide, total=total, role=role, key=state.DECK_SYNC.key, default=None)
    if not isinstance(got, dict) or got.get("nonce") == state.DECK_NONCE.get():
        return None
    state.DECK_NONCE.set(got.get("nonce"))
    try:
        return max(1, min(total, int(got.get("slide", ""))))
    except (TypeError, ValueError):
        return None


@st.cache_data(max_entries=64, show_spinner=False)
def slide_thumbnail(key: tuple[str, str], bid: str, number: int, stamp: float, _data: loading.Atlas, _slide) -> bytes:
    """A small PNG of one slide's map (the speaker view's "next slide"), cached per data version
    (``key``, from :func:`data_key`) and briefing file version (``stamp``)."""
    from alliance_atlas.renderers import printed

    return printed.to_png(printed.render_view(_data, _slide.view, title=_slide.title, size=(640, 360), dpi=60))


def briefing(bid: str, path):
    """The briefing, or this session's edited copy of it, parsed and validated."""
    edits = state.BRIEF_EDITS.get()
    data = current_data()
    if bid in edits:
        return content.parse_briefing(data, edits[bid], f"briefings/{bid} (edited)", bid)
    return _briefing_cached(*data_key(data), bid, str(path), file_stamp(path), data)


@st.cache_resource(max_entries=16)
def _briefing_cached(folder: str, stamp: str, bid: str, path: str, file_version: float, _data: loading.Atlas):
    return content.load_briefing(_data, Path(path))


def add_slide(bid: str, raw: dict, title: str, caption: str, notes: str, v: urlstate.View) -> dict:
    edited = copy.deepcopy(raw)
    edited.setdefault("slides", []).append(
        content.slide_from_view(title, caption, notes, v.filters, v.lat, v.lon, v.zoom or 5)
    )
    state.BRIEF_EDITS.ensure()[bid] = edited
    return edited
