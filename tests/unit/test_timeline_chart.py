"""The timeline chart (issue 13): one row per organization × state in one layered chart that can follow
its container; a click anywhere selects the date under the pointer; an event click selects the event."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance_atlas.data import loading
from alliance_atlas.renderers import charts

D = dt.date


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


def test_click_grid_covers_every_day_in_half_months():
    grid = charts.click_grid(D(1991, 1, 1), D(2026, 12, 7))
    assert grid["day"].iloc[0] == "1991-01-01" and grid["day"].iloc[-1] == "2026-12-01"
    assert list(grid["day"][:3]) == ["1991-01-01", "1991-01-16", "1991-02-01"]
    assert (grid["t2"].iloc[:-1].to_numpy() == grid["t"].iloc[1:].to_numpy()).all()  # no gaps, no overlaps
    assert grid["t2"].iloc[-1].date() == D(2026, 12, 8)
    assert len(grid) == 36 * 24 - 1


def test_picked_day_prefers_the_event_then_the_pointer():
    assert charts.picked_day({charts.PICK: [{"day": "2010-06-16"}]}) == D(2010, 6, 16)
    assert charts.picked_day({charts.PICK: [{"day": "2010-06-16"}], charts.PICK_EVENT: [{"day": "2008-08-08"}]}) == D(
        2008, 8, 8
    )
    assert charts.picked_day({}) is None and charts.picked_day(None) is None
    assert charts.picked_day({charts.PICK: [{"day": "not a date"}]}) is None
    assert charts.picked_day({charts.PICK: []}) is None


def test_chart_is_one_container_wide_layer_with_a_row_per_membership(shipped):
    bars = charts.membership_bars(shipped, ("CSTO", "CIS", "NATO", "GUAM"), (), D(2026, 12, 7))
    spec = charts.timeline_chart(bars, charts.event_marks(shipped, ()), D(2010, 1, 1), D(2026, 12, 7)).to_dict()
    assert "layer" in spec and "vconcat" not in spec and "facet" not in spec
    assert spec["width"] == "container" and spec["height"] == {"step": charts.ROW_STEP}
    band = spec["layer"][0]["encoding"]["y"]
    assert band["scale"]["domain"] == [charts.EVENTS_ROW, *dict.fromkeys(bars["row"])]
    assert band["axis"]["labelOverlap"] is False
    assert len(set(bars["row"])) == len(bars.groupby(["organization", "iso3"]))  # one row per state × organization
    params = {p["name"] for p in spec.get("params", [])} | {
        p["name"] for lay in spec["layer"] for p in lay.get("params", [])
    }
    assert {charts.PICK, charts.PICK_EVENT} <= params
