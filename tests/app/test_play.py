"""AppTest: the Map page's play control steps the shared date frame by frame (by year, by event),
keeps the URL's date in step, starts over at the end."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from alliance_atlas.data import loading
from alliance_atlas.renderers import movie
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def _app(date: str, monkeypatch) -> AppTest:
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["date"] = date
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _date(at: AppTest) -> str:
    return at.text_input(key="f_date").value  # the sidebar's YYYY-MM-DD date field


def _url_date(at: AppTest) -> str:
    v = at.query_params["date"]
    return v if isinstance(v, str) else v[-1]


def test_step_moves_the_date_one_frame_and_the_url_follows(monkeypatch):
    at = _app("1995-03-01", monkeypatch)
    at.button(key="atlas_step_btn").click().run()
    assert _date(at) == "1996-01-01" and _url_date(at) == "1996-01-01"
    at.button(key="atlas_step_btn").click().run()
    assert _date(at) == "1997-01-01" and _url_date(at) == "1997-01-01"
    assert any("Frame 7 of" in m.value for m in at.markdown)
    at.selectbox(key="atlas_play_step").set_value("event").run()
    at.button(key="atlas_step_btn").click().run()
    nxt = movie.next_frame(loading.load(), "event", dt.date(1997, 1, 1))
    assert _date(at) == nxt.isoformat() and _url_date(at) == nxt.isoformat()
    assert not at.exception


def test_play_at_the_end_starts_over_and_pause_stops(monkeypatch):
    today = dt.date.today().isoformat()
    at = _app(today, monkeypatch)
    at.button(key="atlas_play_btn").click().run()
    assert at.session_state["atlas_playing"] is True
    assert _date(at) == "1991-01-01"  # from today, the movie starts over at its first frame
    assert at.button(key="atlas_play_btn").label == "Pause"
    at.button(key="atlas_play_btn").click().run()
    assert at.session_state["atlas_playing"] is False and at.button(key="atlas_play_btn").label == "Play"
    assert _date(at) == "1991-01-01" and _url_date(at) == "1991-01-01"
