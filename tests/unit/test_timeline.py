"""As-of logic, on the fixture (exact rules) and on the shipped data (the real history)."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance_atlas.data import asof, dates, loading

D = dt.date


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


def test_partial_dates_cover_their_whole_period():
    assert dates.parse("2022") == D(2022, 1, 1)
    assert dates.parse("2022", upper=True) == D(2023, 1, 1)
    assert dates.parse("2024-02", upper=True) == D(2024, 3, 1)
    assert dates.parse("2023-12", upper=True) == D(2024, 1, 1)
    with pytest.raises(ValueError):
        dates.parse("2022-02-30")


def test_interval_is_half_open():
    assert dates.holds_on(D(2000, 1, 1), D(2000, 1, 1), D(2001, 1, 1))
    assert not dates.holds_on(D(2001, 1, 1), D(2000, 1, 1), D(2001, 1, 1))
    assert dates.holds_on(D(1900, 1, 1), None, None)


def test_fixture_status_changes_over_time(fixture_atlas):
    a = fixture_atlas
    assert asof.status_of(a, "UZB", "CSTO", D(2000, 1, 1)) == "withdrawn"
    assert asof.status_of(a, "UZB", "CSTO", D(2008, 8, 1)) == "member"
    assert asof.status_of(a, "UZB", "CSTO", D(2013, 6, 1)) == "suspended"
    assert asof.status_of(a, "ARM", "CSTO", D(2024, 2, 21)) == "member"
    assert asof.status_of(a, "ARM", "CSTO", D(2024, 2, 22)) == "participation_frozen"
    assert [m["iso3"] for m in asof.members(a, "CSTO", D(2000, 1, 1))] == ["ARM", "RUS"]


def test_installation_phase_follows_the_date(fixture_atlas):
    before = asof.installations_on(fixture_atlas, D(2012, 1, 1))
    after = asof.installations_on(fixture_atlas, D(2013, 1, 1))
    historic = asof.installations_on(fixture_atlas, D(2013, 1, 1), show_historic=True)
    assert "radar-b" in set(before["id"]) and "radar-b" not in set(after["id"])
    assert historic.set_index("id").loc["radar-b", "phase"] == "closed"
    assert "bg-est" not in set(asof.installations_on(fixture_atlas, D(2010, 1, 1), show_historic=True)["id"])


def test_territory_honours_the_date(fixture_atlas):
    assert "terr-y" not in set(asof.territories_on(fixture_atlas, D(2013, 1, 1))["id"])
    assert "terr-y" in set(asof.territories_on(fixture_atlas, D(2015, 1, 1))["id"])


# --- the shipped data: the history the issue asks for -------------------------------


@pytest.mark.parametrize(
    ("iso3", "org", "day", "expected"),
    [
        ("UZB", "CSTO", D(2008, 8, 1), "member"),
        ("GEO", "CIS", D(2008, 1, 1), "member"),
        ("ARM", "CSTO", D(2025, 1, 1), "participation_frozen"),
        ("EST", "NATO", D(2005, 1, 1), "member"),
        ("LVA", "NATO", D(2005, 1, 1), "member"),
        ("BLR", "UNION_STATE", D(2010, 1, 1), "member"),
    ],
)
def test_shipped_status(shipped, iso3, org, day, expected):
    assert asof.status_of(shipped, iso3, org, day) == expected


@pytest.mark.parametrize(
    ("iso3", "org", "day"),
    [
        ("UZB", "CSTO", D(2000, 1, 1)),
        ("UZB", "CSTO", D(2013, 6, 1)),
        ("GEO", "CIS", D(2010, 1, 1)),
        ("EST", "NATO", D(2003, 1, 1)),
        ("AZE", "CSTO", D(2000, 1, 1)),
    ],
)
def test_shipped_not_member(shipped, iso3, org, day):
    assert asof.status_of(shipped, iso3, org, day) != "member"


def test_shipped_csto_in_2000(shipped):
    got = {m["iso3"] for m in asof.members(shipped, "CSTO", D(2000, 1, 1))}
    assert got == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}


def test_shipped_crimea_annexation_layer_starts_2014(shipped):
    assert "crimea" not in set(asof.territories_on(shipped, D(2013, 12, 31))["id"])
    assert "crimea" in set(asof.territories_on(shipped, D(2014, 3, 18))["id"])
