"""Issue 12: memberships of every drawn state, the recoded rows (dates either side of each change),
and the rule that a state hosting an organization's installation holds a status in it."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance_atlas.data import asof, loading
from tests import fixtures

D = dt.date


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


# --- NATO ----------------------------------------------------------------------------------


def test_nato_today_colours_every_drawn_member(shipped):
    got = {m["iso3"]: m["status"] for m in asof.members(shipped, "NATO", dt.date.today())}
    for iso in ("NOR", "HUN", "SVK", "BGR", "FIN", "SWE", "POL", "ROU", "TUR", "EST", "LVA", "LTU"):
        assert got.get(iso) == "member", iso


def test_every_drawn_nato_state_has_a_row(shipped):
    """The drawn states that are NATO members today all carry a NATO row (none painted as outsiders)."""
    drawn = set(shipped.states["iso3"])
    nato = {m["iso3"] for m in asof.members(shipped, "NATO", dt.date.today())}
    assert {"NOR", "SWE", "FIN", "POL", "SVK", "HUN", "ROU", "BGR", "TUR", "EST", "LVA", "LTU"} & drawn <= nato


@pytest.mark.parametrize(
    ("iso3", "before", "on"),
    [
        ("FIN", D(2023, 4, 3), D(2023, 4, 4)),
        ("SWE", D(2024, 3, 6), D(2024, 3, 7)),
        ("NOR", D(1949, 8, 23), D(1949, 8, 24)),
        ("HUN", D(1999, 3, 11), D(1999, 3, 12)),
        ("SVK", D(2004, 3, 28), D(2004, 3, 29)),
        ("BGR", D(2004, 3, 28), D(2004, 3, 29)),
    ],
)
def test_nato_accession_day(shipped, iso3, before, on):
    assert asof.status_of(shipped, iso3, "NATO", before) is None
    assert asof.status_of(shipped, iso3, "NATO", on) == "member"


# --- recoded rows --------------------------------------------------------------------------

RECODED = [
    # Ukraine in the CIS: frozen from 2014, never a legal exit (the 2018 recall is not a withdrawal)
    ("UKR", "CIS", D(2014, 3, 18), "associate"),
    ("UKR", "CIS", D(2014, 3, 19), "participation_frozen"),
    ("UKR", "CIS", D(2018, 5, 18), "participation_frozen"),
    ("UKR", "CIS", D(2018, 5, 19), "participation_frozen"),
    ("UKR", "CIS", D(2026, 2, 26), "participation_frozen"),
    # Ukraine in the joint air defence system: participation ended 2014, not on the 2026 decree
    ("UKR", "CIS_JADS", D(2014, 3, 18), "member"),
    ("UKR", "CIS_JADS", D(2014, 3, 19), "participation_frozen"),
    ("UKR", "CIS_JADS", D(2022, 2, 24), "participation_frozen"),
    ("UKR", "CIS_JADS", D(2026, 2, 24), "participation_frozen"),
    ("UKR", "CIS_JADS", D(2026, 2, 25), "participation_frozen"),
    # Turkmenistan treated like Ukraine: no Charter, so a participant from 1993
    ("TKM", "CIS", D(1993, 1, 21), "member"),
    ("TKM", "CIS", D(1993, 1, 22), "associate"),
    ("TKM", "CIS", D(2005, 8, 25), "associate"),
    ("TKM", "CIS", D(2005, 8, 26), "associate"),
    # Kyrgyzstan's treaty with Russia from 1992, not the 2003 Kant agreement
    ("KGZ", "RUS_BILATERAL", D(1992, 6, 9), None),
    ("KGZ", "RUS_BILATERAL", D(1992, 6, 10), "member"),
    ("KGZ", "RUS_BILATERAL", D(2003, 9, 21), "member"),
    # Uzbekistan in the CSTO: 2006 protocol, 2012 note, 2012 formal suspension
    ("UZB", "CSTO", D(2006, 8, 15), "withdrawn"),
    ("UZB", "CSTO", D(2006, 8, 16), "member"),
    ("UZB", "CSTO", D(2012, 6, 27), "member"),
    ("UZB", "CSTO", D(2012, 6, 28), "participation_frozen"),
    ("UZB", "CSTO", D(2012, 12, 18), "participation_frozen"),
    ("UZB", "CSTO", D(2012, 12, 19), "suspended"),
    # SCO: observers and dialogue partners become partners at Tianjin
    ("MNG", "SCO", D(2025, 8, 31), "observer"),
    ("MNG", "SCO", D(2025, 9, 1), "partner"),
    ("AFG", "SCO", D(2025, 8, 31), "observer"),
    ("AFG", "SCO", D(2025, 9, 1), "partner"),
    ("ARM", "SCO", D(2025, 8, 31), "dialogue_partner"),
    ("ARM", "SCO", D(2025, 9, 1), "partner"),
    ("AZE", "SCO", D(2025, 8, 31), "dialogue_partner"),
    ("AZE", "SCO", D(2025, 9, 1), "partner"),
    ("TUR", "SCO", D(2025, 8, 31), "dialogue_partner"),
    ("TUR", "SCO", D(2025, 9, 1), "partner"),
    ("IRN", "SCO", D(2025, 9, 1), "member"),
]


@pytest.mark.parametrize(("iso3", "org", "day", "expected"), RECODED, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in RECODED])
def test_recoded_row(shipped, iso3, org, day, expected):
    assert asof.status_of(shipped, iso3, org, day) == expected


def test_ukraine_not_a_working_air_defence_member_in_2022(shipped):
    members = {m["iso3"]: m["status"] for m in asof.members(shipped, "CIS_JADS", D(2022, 2, 24))}
    assert members.get("UKR") != "member"


def test_csto_founded_is_the_charter_and_description_names_the_treaty(shipped):
    csto = shipped.organizations.set_index("id").loc["CSTO"]
    assert csto["founded"] == "2002-10-07"
    assert "7 October 2002" in csto["description"] and "15 May 1992" in csto["description"]


# --- validation: a host holds a status in the organization whose installation it hosts ------------


def _problems(tmp_path, **overrides):
    atlas, problems = loading.validate(fixtures.write_data(tmp_path / "d", **overrides))
    return atlas, [p for p in problems if p.file == "installations.csv" and p.column == "host_iso3"]


def _memberships(**est_changes):
    rows = [dict(r) for r in fixtures.MEMBERSHIPS]
    est = next(r for r in rows if r["iso3"] == "EST" and r["organization"] == "NATO")
    if est_changes.get("drop"):
        rows.remove(est)
    else:
        est.update(est_changes)
    return rows


def test_fixture_host_with_a_status_passes(tmp_path):
    atlas, hits = _problems(tmp_path)
    assert atlas is not None and hits == []


@pytest.mark.parametrize(
    "changes",
    [
        {"drop": True},  # no NATO row at all
        {"status": "withdrawn"},  # only a withdrawn row
        {"start": "2004-03-29", "end": "2010-01-01"},  # a row that ends before the battlegroup (2017)
    ],
    ids=["no-row", "withdrawn", "ended-before"],
)
def test_host_without_a_status_is_rejected(tmp_path, changes):
    atlas, hits = _problems(tmp_path, memberships=_memberships(**changes))
    assert atlas is None
    # bg-est is the third installation: line 4 of installations.csv
    assert [(p.row, "EST" in p.message and "NATO" in p.message) for p in hits] == [(4, True)]


def test_host_note_saying_why_not_is_accepted(tmp_path):
    inst = [dict(r) for r in fixtures.INSTALLATIONS]
    inst[2]["note"] = "Hosted before accession; no NATO status: a test case."
    atlas, hits = _problems(tmp_path, memberships=_memberships(drop=True), installations=inst)
    assert atlas is not None and hits == []


def test_russian_installations_are_not_checked_against_an_organization(tmp_path):
    """Operator RUS is a state, not an organization: base-a in ARM needs no RUS row."""
    rows = [r for r in fixtures.MEMBERSHIPS if r["iso3"] != "ARM"]
    atlas, hits = _problems(tmp_path, memberships=rows)
    assert atlas is not None and hits == []


# --- installations added or re-dated ------------------------------------------------------------


@pytest.mark.parametrize(
    ("inst_id", "absent", "present"),
    [
        ("gabala-radar", D(1991, 12, 31), D(1993, 1, 1)),  # Russian use from 1992, not the 2002 lease
        ("skrunda-radar", D(1991, 12, 31), D(1993, 1, 1)),  # not the 1994 agreement
        ("vileyka-43rd-comms-centre", D(1991, 12, 31), D(1993, 1, 1)),  # not the 1995 agreement
        ("abkhazia-cis-peacekeepers", D(1994, 5, 31), D(2000, 1, 1)),
        ("rus-regional-grouping-belarus", D(2022, 10, 14), D(2022, 10, 15)),
        ("oreshnik-belarus-krichev", D(2025, 12, 16), D(2025, 12, 17)),
        ("kaliningrad-11th-army-corps", D(2016, 4, 30), D(2016, 5, 1)),
        ("fsb-border-detachment-meghri", D(1992, 9, 29), D(1992, 9, 30)),
    ],
)
def test_installation_dates(shipped, inst_id, absent, present):
    assert inst_id not in set(asof.installations_on(shipped, absent)["id"])
    assert inst_id in set(asof.installations_on(shipped, present)["id"])


def test_abkhazia_peacekeeping_ends_in_2008(shipped):
    assert "abkhazia-cis-peacekeepers" in set(asof.installations_on(shipped, D(2008, 10, 9))["id"])
    assert "abkhazia-cis-peacekeepers" not in set(asof.installations_on(shipped, D(2008, 10, 10))["id"])


def test_four_fsb_border_detachments_in_armenia(shipped):
    rows = shipped.installations[shipped.installations["id"].str.startswith("fsb-border-detachment-")]
    assert sorted(rows["id"].str.removeprefix("fsb-border-detachment-")) == ["armavir", "artashat", "gyumri", "meghri"]
    assert set(rows["host_iso3"]) == {"ARM"} and set(rows["status"]) == {"active"}


def test_north_korea_treaty_counts_from_entry_into_force(shipped):
    assert asof.status_of(shipped, "PRK", "RUS_BILATERAL", D(2024, 12, 3)) is None
    assert asof.status_of(shipped, "PRK", "RUS_BILATERAL", D(2024, 12, 4)) == "member"
