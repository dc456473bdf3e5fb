"""The sidebar's search box and what picking a result does."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from alliance_atlas.analysis import details, search
from alliance_atlas.cartography import extent
from alliance_atlas.data import asof, dates, loading, schema
from alliance_atlas.safe import md
from ui import state
from ui.data import data_key
from ui.filter_widgets import request_fit, today
from ui.filters import MAP_PAGE, current_view, request_view


@st.cache_resource(max_entries=4)
def _search_index(folder: str, stamp: str, _data: loading.Atlas) -> list:
    return search.index(_data)


def _search_labels(items) -> dict[str, str]:
    return {
        f"{it.kind}:{it.id}": it.label + (f" · {' · '.join(t for t in it.terms[1:] if t)}" if it.terms[1:] else "")
        for it in items
    }


def _searched() -> None:
    """Enter (or leaving the box) with a changed query: go to the best match."""
    state.SEARCH_GO.set("best")
    state.SEARCH_PICK.set(None)


def _picked() -> None:
    key = state.SEARCH_PICK.get()
    if key:
        state.SEARCH_GO.set(key)
    state.SEARCH_PICK.set(None)


def search_box(data: loading.Atlas) -> None:
    """A sidebar search over states, territories, installations, organizations and events (names and
    aliases, in Latin or Cyrillic: 'Gyumri', 'Гюмри', '201-я база', 'ODKB'). Enter goes to the best
    match (places first, then organizations, then events: search.find); the other matches are listed."""
    items = _search_index(*data_key(data), data)
    with st.sidebar:
        st.text_input(
            "Search",
            key=state.SEARCH,
            placeholder="A base, state, alliance, event… then Enter",
            on_change=_searched,
            max_chars=200,
            help="Names and aliases in Latin or Cyrillic script. Enter goes to the best match: "
            "places first, then alliances, then events (an event also sets the date).",
        )
        query = (state.SEARCH.get() or "").strip()
        found = search.find(items, query) if query else []
        labels = _search_labels(found)
        if query and not found:
            st.caption(md(f"Nothing found for “{query}”."))
        elif len(found) > 1:
            st.selectbox(
                f"All {len(found)} matches",
                list(labels),
                index=None,
                key=state.SEARCH_PICK,
                format_func=lambda k: labels.get(k, k),
                placeholder="Pick another match…",
                on_change=_picked,
            )
        note = state.SEARCH_NOTE.get()
        if note and note[1] == current_view().filters.date:
            st.info(md(note[0]), icon=":material/event:")
    go = state.SEARCH_GO.pop()
    if go == "best":
        if found:
            jump_to(data, found[0])
    elif go:
        kind, _, item_id = go.partition(":")
        it = next((i for i in items if i.kind == kind and i.id == item_id), None)
        if it is not None:
            jump_to(data, it)


def jump_to(data: loading.Atlas, it) -> None:
    """Go to a search result on the Map page. A place (installation, territory, state) is selected,
    fitted and highlighted, and the date stays; an organization becomes the alliance shown; an
    event sets the date to its own, and the sidebar says so."""
    f = current_view().filters
    state.SEARCH_NOTE.pop()
    if it.kind == "organization":
        request_view(replace(f, alliances=(it.id,), select=None), None, None, None, page=MAP_PAGE)
    if it.kind == "event":
        day = max(schema.EARLIEST, min(dates.parse(it.date), today()))
        state.SEARCH_NOTE.set((f"Date set to {day.isoformat()} — the event's date ({it.label}).", day))
        request_view(replace(f, date=day), it.lat, it.lon, 6 if it.lat is not None else None, page=MAP_PAGE)
    d = details.describe(data, it.id, f.date)
    new = replace(f, select=it.id)
    if it.kind == "installation":
        row = data.installations.set_index("id").loc[it.id]
        if asof.installation_phase(row, f.date) != "active":
            new = replace(new, show_historic=True)
    bounds = extent.of_item(data, it.id)
    if bounds is not None:
        request_fit(bounds)
    zoom = {"installation": 8, "territory": 6, "state": 5}.get(it.kind, 5)
    request_view(new, d.lat if d else None, d.lon if d else None, zoom, page=MAP_PAGE)
