"""Time as a movie: the frames of the play control and the animated GIF of the same sequence."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image, ImageChops

from alliance_atlas.data import schema
from alliance_atlas.renderers import movie

D = dt.date


def test_year_frames_run_from_1991_to_today(fixture_atlas):
    days = movie.frames(fixture_atlas, "year", schema.EARLIEST, D(2026, 12, 7))
    assert days[0] == D(1991, 1, 1) and days[-1] == D(2026, 12, 7)
    assert days[1:-1] == [D(y, 1, 1) for y in range(1992, 2027)]
    assert movie.next_frame(fixture_atlas, "year", D(2010, 6, 16), D(2026, 12, 7)) == D(2011, 1, 1)
    assert movie.next_frame(fixture_atlas, "year", D(2026, 12, 7), D(2026, 12, 7)) is None


def test_event_frames_are_the_event_dates(fixture_atlas):
    end = D(2026, 12, 7)
    days = movie.frames(fixture_atlas, "event", schema.EARLIEST, end)
    dated = sorted({d for d in fixture_atlas.events["_date"] if d is not None and schema.EARLIEST < d < end})
    assert days == [schema.EARLIEST, *dated, end]
    first = dated[0]
    assert movie.next_frame(fixture_atlas, "event", schema.EARLIEST, end) == first
    assert movie.events_on(fixture_atlas, first)
    with pytest.raises(ValueError):
        movie.frames(fixture_atlas, "decade")


def test_gif_has_a_frame_per_date_each_different(fixture_atlas):
    days = [D(2000, 1, 1), D(2010, 1, 1), D(2015, 1, 1), D(2024, 6, 1)]
    f = schema.Filters(date=D(2020, 1, 1), alliances=("CSTO",))
    calls = []
    data = movie.gif(fixture_atlas, f, days, size=(320, 180), dpi=40, progress=lambda i, n: calls.append((i, n)))
    im = Image.open(io.BytesIO(data))
    assert im.format == "GIF" and im.n_frames == len(days) == len(set(days))
    assert im.info.get("comment", b"").decode().split() == [d.isoformat() for d in days]
    frames = []
    for i in range(im.n_frames):
        im.seek(i)
        frames.append(im.convert("RGB").copy())
    for a, b in zip(frames, frames[1:], strict=False):  # each frame shows its own date (and map)
        assert ImageChops.difference(a, b).getbbox() is not None
    assert calls[-1] == (len(days), len(days))
    with pytest.raises(ValueError):
        movie.gif(fixture_atlas, f, [])
