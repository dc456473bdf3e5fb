"""The sidebar's filters drawn from the one filter state, and the URL derived from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import streamlit as st

from alliance_atlas.data import loading, schema, urlstate
from alliance_atlas.safe import md
from ui import state
from ui.filter_widgets import (
    BASEMAP_LABELS,
    PHASES,
    apply_to_widgets,
    changed,
    date_changed,
    parse_url,
    regions_changed,
    request_move,
    sync_widgets,
    today,
    year_changed,
)


def labelled(
    widget: Callable[..., Any],
    label: str,
    labels: Mapping[str, str],
    slot: state.Slot[Any],
    on_change: Callable[[], None] | None = None,
    **kw: Any,
) -> None:
    """A filter widget choosing among ``labels``' keys, shown by their plain names; a change goes to
    ``on_change``, or by default to :func:`changed` for ``slot``."""
    widget(
        label,
        list(labels),
        key=slot,
        format_func=lambda x: labels.get(x, x),
        on_change=on_change or changed,
        args=() if on_change else (slot,),
        **kw,
    )


def sidebar(data: loading.Atlas) -> urlstate.View:
    """Shared sidebar filters; the view is kept in session state and mirrored in the URL.
    The URL is read into the widgets once per session (and request_view sets them). The map's
    lat/lon/zoom are the server's last knowledge of its position (state.MAP_AT: the link's, a requested
    move's, or the browser's as reported by ui.mapview.view_probe); the browser keeps them current in its URL."""
    url = parse_url(data)
    notices: tuple[str, ...] = ()
    pending: urlstate.View | None = state.PENDING.pop()
    if pending is not None:
        apply_to_widgets(pending.filters)
        request_move(pending.lat, pending.lon, pending.zoom)
    elif not state.URL_APPLIED.present() or not state.FILTERS.present():
        apply_to_widgets(url.filters)
        notices = url.notices
        request_move(url.lat, url.lon, url.zoom)
    at = state.MAP_AT.get() or (None, None, None)
    url = replace(url, lat=at[0], lon=at[1], zoom=at[2])
    state.URL_APPLIED.set(True)
    sync_widgets()
    now = today()
    orgs = list(data.organizations["id"])
    names = dict(zip(data.organizations["id"], data.organizations["name"], strict=True))
    with st.sidebar:
        st.header("Filters")
        st.slider("Year", schema.EARLIEST.year, now.year, key=state.YEAR, on_change=year_changed)
        # A text field, not st.date_input: a date typed into st.date_input (1.67) is not applied on
        # Enter (checked in Chromium, issue 13); a text input is, and a bad date gets a clear message.
        st.text_input(
            "As of (YYYY-MM-DD)",
            key=state.DATE,
            on_change=date_changed,
            max_chars=10,
            help=f"Type a date from {schema.EARLIEST.isoformat()} to today and press Enter; "
            "the year slider above moves it by whole years.",
        )
        if state.DATE_ERROR.get():
            st.error(md(state.DATE_ERROR.get()))
        # Pills, not a multiselect: a typed name + Enter in a multiselect could add every match at once
        # (issue 13). Each pill toggles exactly the organization clicked.
        # Short labels (long names were truncated on the pills); the full names in the help and,
        # for the selected ones, in the caption below.
        st.pills(
            "Alliances",
            orgs,
            selection_mode="multi",
            key=state.ALLIANCES,
            format_func=lambda o: schema.short_label(o, str(names.get(o, o))),
            help="  \n".join(md(f"{schema.short_label(o, str(names.get(o, o)))}: {names.get(o, o)}") for o in orgs),
            on_change=changed,
            args=(state.ALLIANCES,),
        )
        chosen = state.ALLIANCES.get()
        if not chosen:
            st.caption("No alliance selected: pick one or more above to colour their members.")
        else:
            st.caption(md("; ".join(names.get(o, o) for o in chosen)))
        labelled(st.multiselect, "Regions", schema.REGIONS, state.REGIONS, regions_changed, placeholder="All regions")
        labelled(st.multiselect, "Installation kinds", schema.INSTALLATION_KINDS, state.KINDS, placeholder="All kinds")
        st.checkbox(
            "Show historic and planned installations", key=state.HISTORIC, on_change=changed, args=(state.HISTORIC,)
        )
        labelled(
            st.multiselect,
            "Installation status on the date",
            PHASES,
            state.STATUSES,
            placeholder="Any status shown",
            disabled=not state.HISTORIC.get(),
            help="With historic installations shown, limit them to these statuses.",
        )
        labelled(st.selectbox, "Basemap", BASEMAP_LABELS, state.BASEMAP)
    f = schema.Filters(
        date=state.FILTERS.get()[state.DATE],
        alliances=tuple(state.ALLIANCES.get() or ()),
        regions=tuple(state.REGIONS.get()),
        kinds=tuple(state.KINDS.get()),
        statuses=tuple(state.STATUSES.get()) if state.HISTORIC.get() else (),
        show_historic=bool(state.HISTORIC.get()),
        basemap=state.BASEMAP.get(),
        select=state.SELECT.get(),
    )
    view = replace(url, filters=f, notices=notices)
    state.VIEW.set(view)
    write_url(view)
    for note in notices:
        st.warning(md(note), icon=":material/warning:")
    return view


def write_url(view: urlstate.View) -> None:
    params = urlstate.to_params(view, today()) | urlstate.page_params(st.query_params.to_dict())
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def current_view() -> urlstate.View:
    return state.VIEW.get() or urlstate.View(schema.Filters())


def select(item: str | None, *, center: tuple[float, float] | None = None, zoom: int | None = None) -> urlstate.View:
    """Make ``item`` the selection (and optionally move the map); keeps the URL in step."""
    state.SELECT.set(item)
    view = current_view()
    view = replace(view, filters=replace(view.filters, select=item))
    if center is not None:
        request_move(round(center[0], 4), round(center[1], 4), zoom or view.zoom)
        view = replace(view, lat=round(center[0], 4), lon=round(center[1], 4), zoom=zoom or view.zoom)
    state.VIEW.set(view)
    write_url(view)
    return view


def new_click(clicked: dict | None) -> tuple[float, float] | None:
    """A map click not seen before in this session, as (lat, lon)."""
    if not clicked or "lat" not in clicked or "lng" not in clicked:
        return None
    sig = (round(float(clicked["lat"]), 7), round(float(clicked["lng"]), 7))
    if state.LAST_CLICK.get() == sig:
        return None
    state.LAST_CLICK.set(sig)
    return sig


def request_view(f: schema.Filters, lat: float | None, lon: float | None, zoom: int | None, page=None) -> None:
    """Set every filter and the map view at once (case studies, search, briefings): the
    widgets take the values at the start of the next run, then the app goes to ``page``; the map
    moves only if ``lat``/``lon`` are given (once: request_move)."""
    state.PENDING.set(urlstate.View(f, lat, lon, zoom))
    if page is not None:
        st.switch_page(page)
    st.rerun()


MAP_PAGE = "pages/map.py"


def set_date(day: dt.date) -> None:
    """Change the shared date from a page (e.g. a click on the timeline) and rerun."""
    f = current_view().filters
    request_view(replace(f, date=max(schema.EARLIEST, min(day, today()))), None, None, None)


def page_param(name: str) -> str | None:
    return urlstate.page_params(st.query_params.to_dict()).get(name)


def set_page_params(**values: str | None) -> None:
    for k, v in values.items():
        if v is None:
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != v:
            st.query_params[k] = v
