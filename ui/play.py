"""Time as a movie on the Map page: the play control, its clock, and the animated GIF."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import streamlit as st

from alliance_atlas.data import loading, schema, urlstate
from alliance_atlas.renderers import movie
from alliance_atlas.safe import md
from ui import state
from ui.data import download_name
from ui.filter_widgets import today
from ui.filters import current_view, request_view


def frame_drawn(day: dt.date) -> None:
    """The Map page has drawn ``day`` (map and legend): the movie's clock may step on."""
    state.PLAY_DRAWN.set(day)


def _frame_view(data: loading.Atlas, day: dt.date) -> urlstate.View:
    """The current filters with the date ``day`` and no position: a step never moves the map."""
    return urlstate.View(replace(current_view().filters, date=max(schema.EARLIEST, min(day, today()))))


def _pend_frame(data: loading.Atlas, day: dt.date) -> None:
    """In a callback: the next run shows ``day`` (set in the widgets at its start)."""

    state.PENDING.set(_frame_view(data, day))
    state.PLAY_LAST.set(time.monotonic())


def _toggle_play(data: loading.Atlas) -> None:

    playing = not state.PLAYING.get()
    state.PLAYING.set(playing)
    if playing:  # at the end, start over; else the first step comes at once
        day = current_view().filters.date
        nxt = movie.next_frame(data, state.PLAY_STEP.get(), day, today())
        _pend_frame(data, movie.frames(data, state.PLAY_STEP.get())[0] if nxt is None else nxt)


def _step_once(data: loading.Atlas) -> None:

    state.PLAYING.set(False)
    nxt = movie.next_frame(data, state.PLAY_STEP.get(), current_view().filters.date, today())
    if nxt is not None:
        _pend_frame(data, nxt)


def play_control(data: loading.Atlas) -> None:
    """Play the as-of date as a movie (by year or by event, 1991 → today) at an adjustable speed.
    Each step is an ordinary run with the next date: the map's layers are swapped in place (the map
    frame and its zoom stay), and the URL carries the frame's ``date``, so pausing leaves a link to
    it. A fragment with ``run_every`` is the clock; it only ticks while playing. Also offers the same
    sequence as an animated GIF."""

    from alliance_atlas.renderers import movie

    state.PLAY_STEP.ensure()
    state.PLAY_SPEED.ensure()
    playing = bool(state.PLAYING.get())
    day = current_view().filters.date
    days = movie.frames(data, state.PLAY_STEP.get(), schema.EARLIEST, today())
    with st.container(key="atlas_player"):  # one row, labels folded into the values (a short header)
        b1, b2, c1, c2, c3 = st.columns([0.9, 0.9, 1.1, 1.6, 3.4], vertical_alignment="center")
        b1.button(
            "Pause" if playing else "Play",
            key=state.PLAY_BTN,
            on_click=_toggle_play,
            args=(data,),
            icon=":material/pause:" if playing else ":material/play_arrow:",
            type="primary" if playing else "secondary",
            width="stretch",
            help="Play the date as a movie, from 1991 to today",
        )
        b2.button(
            "Step",
            key=state.STEP_BTN,
            on_click=_step_once,
            args=(data,),
            icon=":material/skip_next:",
            width="stretch",
            help="One frame on (and pause)",
        )
        c1.selectbox(
            "Step",
            list(movie.STEPS),
            key=state.PLAY_STEP,
            format_func=lambda s: movie.STEPS.get(s, s),
            label_visibility="collapsed",
            help="Frames by year or by event",
        )
        c2.select_slider(
            "Seconds per frame",
            movie.SPEEDS,
            key=state.PLAY_SPEED,
            label_visibility="collapsed",
            format_func=lambda s: f"{s:g} s per frame",
        )
        at = sum(1 for d in days if d <= day)
        what = "; ".join(movie.events_on(data, day)[:2]) if state.PLAY_STEP.get() == "event" else ""
        c3.markdown(f"Frame {at} of {len(days)} · **{md(day.isoformat())}**" + (f" · {md(what)}" if what else ""))

    interval = float(state.PLAY_SPEED.get()) if playing else None

    @st.fragment(run_every=interval)
    def _clock() -> None:
        if not state.PLAYING.get() or interval is None:
            return
        if time.monotonic() - state.PLAY_LAST.get() < interval * 0.8:
            return  # the run that showed the last frame, not a tick of the clock
        if state.PLAY_DRAWN.get() != current_view().filters.date:
            return  # the frame is still being drawn (a slow run): a step now would skip it
        nxt = movie.next_frame(data, state.PLAY_STEP.get(), current_view().filters.date, today())
        if nxt is None:
            state.PLAYING.set(False)
            st.rerun()
        state.PLAY_LAST.set(time.monotonic())
        v = _frame_view(data, nxt)
        request_view(v.filters, v.lat, v.lon, v.zoom)

    _clock()


def movie_gif(data: loading.Atlas) -> None:
    """The movie of play_control as an animated GIF (a button, then a download)."""
    days = movie.frames(data, state.PLAY_STEP.get(), schema.EARLIEST, today())
    v = current_view()
    step = state.PLAY_STEP.get()
    key = (step, replace(v.filters, date=schema.EARLIEST, select=None), v.lat, v.lon, v.zoom, days[-1])
    with st.expander(f"Animated GIF of this movie ({len(days)} frames, {movie.STEPS[step].lower()})"):
        made = state.PLAY_GIF.get()
        if st.button("Make the GIF", key=state.GIF_BTN, help="Draws every frame with the static renderer"):
            bar = st.progress(0.0, text="Drawing the frames…")
            center = (v.lat, v.lon) if v.lat is not None and v.lon is not None and v.zoom is not None else None
            data_bytes = movie.gif(
                data,
                v.filters,
                days,
                center=center,
                zoom=v.zoom if center else None,
                seconds_per_frame=float(state.PLAY_SPEED.get()),
                progress=lambda i, n: bar.progress(i / n, text=f"Frame {i} of {n}"),
            )
            bar.empty()
            made = (key, data_bytes)
            state.PLAY_GIF.set(made)
        if made and made[0] == key:
            st.download_button(
                "Download the GIF",
                made[1],
                file_name=download_name(f"movie-{step}", days[-1], "gif"),
                mime="image/gif",
                key=state.GIF_DL,
            )
        else:
            st.caption("One frame per date of the movie, with the current filters and map view.")
