from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_atlas.data import schema, urlstate

ORGS = ["CSTO", "CIS", "NATO"]
TODAY = dt.date(2026, 11, 25)


def parse(params):
    return urlstate.parse(params, organizations=ORGS, selectable={"gyumri"}, today=TODAY)


def test_round_trip():
    f = schema.Filters(
        date=dt.date(2000, 1, 1),
        alliances=("CSTO", "CIS"),
        regions=("south-caucasus",),
        kinds=("air_base",),
        statuses=("active",),
        show_historic=True,
        basemap="osm",
        select="gyumri",
    )
    v = urlstate.View(f, 40.1, 44.5, 6)
    back = parse(urlstate.to_params(v, TODAY))
    assert back.filters == f and (back.lat, back.lon, back.zoom) == (40.1, 44.5, 6) and back.notices == ()


def test_bad_values_are_dropped_with_notices():
    v = parse(
        {"date": "2000-02-30", "alliance": "CSTO,WARSAW", "region": "mars", "zoom": "99", "select": "x", "lat": "10"}
    )
    assert v.filters.date == TODAY and v.filters.alliances == ("CSTO",) and v.filters.regions == ()
    assert len(v.notices) == 6 and v.zoom is None and v.lat is None


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["date", "alliance", "region", "kind", "status", "select", "lat", "lon", "zoom", "basemap", "historic", "x"]
        ),
        st.one_of(st.text(), st.lists(st.text(), max_size=3)),
    )
)
def test_parse_never_raises(params):
    v = parse(params)
    assert schema.EARLIEST <= v.filters.date <= TODAY
    assert set(v.filters.alliances) <= set(ORGS)


def test_to_params_always_carries_date_and_alliances():
    """Issue 13: a link is complete (the date and alliances even when they are today's defaults)."""
    v = urlstate.View(schema.Filters(date=TODAY), 41.0, 45.0, 6)
    assert urlstate.to_params(v, TODAY) == {
        "date": TODAY.isoformat(),
        "alliance": "CSTO",
        "lat": "41.0000",
        "lon": "45.0000",
        "zoom": "6",
    }
    none = urlstate.to_params(urlstate.View(schema.Filters(date=TODAY, alliances=())), TODAY)
    assert none == {"date": TODAY.isoformat(), "alliance": ""}
    assert parse(none).filters.alliances == ()


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("50.45,30.52,6", (50.45, 30.52, 6)),
        ("-10,179.5,2", (-10.0, 179.5, 2)),
        (None, None),
        ("", None),
        ("50.45,30.52", None),
        ("50,30,6,1", None),
        ("north,30,6", None),
        ("91,30,6", None),
        ("50,181,6", None),
        ("50,30,12", None),
        ("50,30,6.5", None),
    ],
)
def test_compare_position_is_read_or_refused(raw, want):
    assert urlstate.parse_position(raw) == want
