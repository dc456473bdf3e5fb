"""Time as a movie: the as-of dates the Map page plays (by year or by event, 1991 → today) and
the same sequence as an animated GIF drawn by the static renderer (no browser, works offline)."""

from __future__ import annotations

import datetime as dt
import io as _io
from collections.abc import Sequence
from dataclasses import replace

from alliance_atlas.data import schema
from alliance_atlas.data.loading import Atlas

STEPS = {"year": "By year", "event": "By event"}
#: seconds per frame the player offers, fastest first
SPEEDS = (0.75, 1.0, 1.5, 2.0, 3.0)


def frames(atlas: Atlas, step: str, start: dt.date = schema.EARLIEST, end: dt.date | None = None) -> list[dt.date]:
    """The dates of the movie from ``start`` to ``end`` (today), both included: the first of January of
    every year (``step="year"``) or the date of every event in data/events.csv (``step="event"``)."""
    end = end or dt.date.today()
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}: use one of {', '.join(STEPS)}")
    if end < start:
        return [start]
    if step == "year":
        inner = [dt.date(y, 1, 1) for y in range(start.year + 1, end.year + 1)]
    else:
        inner = [d for d in atlas.events["_date"] if d is not None]
    return sorted({start, end, *(d for d in inner if start < d < end)})


def next_frame(atlas: Atlas, step: str, current: dt.date, end: dt.date | None = None) -> dt.date | None:
    """The frame after ``current`` (None once the movie has reached ``end``)."""
    later = [d for d in frames(atlas, step, schema.EARLIEST, end) if d > current]
    return later[0] if later else None


def events_on(atlas: Atlas, day: dt.date) -> list[str]:
    """Titles of the events dated ``day`` (what a frame of the event movie shows)."""
    ev = atlas.events
    return [str(t) for t, d in zip(ev["title"], ev["_date"], strict=True) if d == day]


def gif(
    atlas: Atlas,
    filters: schema.Filters,
    days: Sequence[dt.date],
    *,
    size: tuple[int, int] = (800, 450),
    dpi: int = 80,
    seconds_per_frame: float = 1.0,
    title: str = "Alliance Atlas",
    center=None,
    zoom=None,
    progress=None,
) -> bytes:
    """An animated GIF, one frame per date in ``days`` (the map of ``filters`` on that date, with its
    "as of" line and legend), looping. ``progress(i, n)`` is called after each frame."""
    from PIL import Image

    from alliance_atlas.renderers import printed

    if not days:
        raise ValueError("no dates to animate")
    images = []
    for i, day in enumerate(days):
        fig = printed.render_map(
            atlas, replace(filters, date=day, select=None), title=title, size=size, dpi=dpi, center=center, zoom=zoom
        )
        images.append(Image.open(_io.BytesIO(printed.to_png(fig))).convert("RGB"))
        if progress is not None:
            progress(i + 1, len(days))
    buf = _io.BytesIO()
    images[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        loop=0,
        duration=int(seconds_per_frame * 1000),
        comment=" ".join(d.isoformat() for d in days).encode(),
    )
    return buf.getvalue()
