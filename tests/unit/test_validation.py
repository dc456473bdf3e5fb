"""Every validation rule rejects a fixture broken in exactly that way, naming file, row, column."""

from __future__ import annotations

import json

import pytest

from alliance_atlas.data import loading
from tests import fixtures


def _with(table: str, index: int, **changes):
    rows = [dict(r) for r in getattr(fixtures, table.upper())]
    rows[index].update(changes)
    return {table: rows}


CASES = [
    # (overrides, file, row, column, message fragment)
    (_with("memberships", 0, start="1994-13-01"), "memberships.csv", 2, "start", "not a real date"),
    (_with("memberships", 0, start="20 April 1994"), "memberships.csv", 2, "start", "YYYY"),
    (_with("memberships", 1, end="1990-01-01"), "memberships.csv", 3, "end", "not after"),
    (_with("memberships", 0, status="ally"), "memberships.csv", 2, "status", "not one of"),
    (_with("memberships", 0, organization="WARSAW"), "memberships.csv", 2, "organization", "not in organizations.csv"),
    (_with("memberships", 0, iso3="Russia"), "memberships.csv", 2, "iso3", "alpha-3"),
    (_with("memberships", 0, sources=""), "memberships.csv", 2, "sources", "at least one source"),
    (
        _with("memberships", 0, sources="src-a;nowhere"),
        "memberships.csv",
        2,
        "sources",
        "'nowhere' is not in sources.csv",
    ),
    (_with("memberships", 0, confidence="sure"), "memberships.csv", 2, "confidence", "not one of"),
    (_with("memberships", 1, end="2025-01-01"), "memberships.csv", 4, "start", "overlaps"),
    (_with("installations", 0, lat="95"), "installations.csv", 2, "lat", "outside"),
    (_with("installations", 0, lon="east"), "installations.csv", 2, "lon", "not a number"),
    (_with("installations", 0, lat="10", lon="10"), "installations.csv", 2, "lat", "outside ARM"),
    (_with("installations", 1, id="base-a"), "installations.csv", 3, "id", "used again"),
    (_with("installations", 0, kind="castle"), "installations.csv", 2, "kind", "not one of"),
    (_with("installations", 0, operator="USA"), "installations.csv", 2, "operator", "not one of"),
    (_with("installations", 0, host_iso3="ATL"), "installations.csv", 2, "host_iso3", "not in states"),
    (_with("installations", 0, territory_id="atlantis"), "installations.csv", 2, "territory_id", "not in territories"),
    (_with("installations", 0, coord_quality="roughly"), "installations.csv", 2, "coord_quality", "approximate"),
    (_with("installations", 0, personnel="about 3000"), "installations.csv", 2, "personnel", "whole number"),
    (_with("installations", 1, established="2013", ended="2012"), "installations.csv", 3, "ended", "not after"),
    (_with("installations", 0, last_verified=""), "installations.csv", 2, "last_verified", "required"),
    (_with("events", 0, kind="party"), "events.csv", 2, "kind", "not one of"),
    (_with("events", 0, lat="41.0"), "events.csv", 2, "lon", "go together"),
    (_with("sources", 0, url="javascript:alert(1)"), "sources.csv", 2, "url", "http"),
    (_with("sources", 1, id="src-a"), "sources.csv", 3, "id", "used again"),
    (_with("sources", 0, accessed="yesterday"), "sources.csv", 2, "accessed", "YYYY"),
    (_with("sources", 1, tier="blog"), "sources.csv", 3, "tier", "not one of"),
    (_with("sources", 0, tier=""), "sources.csv", 2, "tier", "not one of"),
    # one URL, one id: compared without scheme, www. or trailing slash
    (_with("sources", 1, url="http://www.example.org/a/"), "sources.csv", 3, "url", "same address as source 'src-a'"),
    (_with("sources", 1, url="HTTPS://Example.org/a"), "sources.csv", 3, "url", "same address"),
    # a row resting on copies alone (src-a is cited alone by organizations row 2, memberships rows 2-8, …)
    (_with("sources", 0, tier="copy"), "organizations.csv", 2, "sources", "every source of this row is a copy"),
    (_with("sources", 0, tier="copy"), "installations.csv", 2, "sources", "every source of this row is a copy"),
    (_with("sources", 0, tier="copy"), "events.csv", 2, "sources", "every source of this row is a copy"),
    (_with("sources", 0, tier="copy"), "territories.geojson", 1, "sources", "every source of this row is a copy"),
    # 'high' needs a primary or reputable source (memberships rows are 'high' in the fixture)
    (_with("sources", 0, tier="regional"), "memberships.csv", 2, "confidence", "'high' needs a primary or reputable"),
    (
        _with("sources", 1, tier="encyclopedia"),
        "memberships.csv",
        9,
        "confidence",
        "'high' needs a primary or reputable",
    ),
    (_with("organizations", 0, kind="club"), "organizations.csv", 2, "kind", "not one of"),
]


@pytest.mark.parametrize(
    ("overrides", "file", "row", "column", "fragment"), CASES, ids=[f"{c[1]}:{c[3]}:{c[4]}" for c in CASES]
)
def test_rule_rejects_broken_fixture(tmp_path, overrides, file, row, column, fragment):
    folder = fixtures.write_data(tmp_path / "d", **overrides)
    atlas, problems = loading.validate(folder)
    assert atlas is None
    hits = [p for p in problems if p.file == file and p.row == row and p.column == column and fragment in p.message]
    assert hits, f"expected {file} row {row} column {column} ~ {fragment!r}; got {[str(p) for p in problems]}"


def test_the_fixture_itself_is_valid(fixture_dir):
    atlas, problems = loading.validate(fixture_dir)
    assert problems == []
    assert atlas.counts["installations.csv"] == len(fixtures.INSTALLATIONS)


def test_missing_column_is_named(fixture_dir):
    path = fixture_dir / "installations.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    idx = header.index("lat")
    path.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != idx) for line in lines))
    _, problems = loading.validate(fixture_dir)
    assert any(p.file == "installations.csv" and p.column == "lat" and "missing" in p.message for p in problems)


def test_missing_file_is_reported(fixture_dir):
    (fixture_dir / "events.csv").unlink()
    _, problems = loading.validate(fixture_dir)
    assert any(p.file == "events.csv" and "missing" in p.message for p in problems)


def test_stray_comma_row_is_reported(fixture_dir):
    path = fixture_dir / "events.csv"
    path.write_text(path.read_text().rstrip("\n") + ",extra\n")
    _, problems = loading.validate(fixture_dir)
    assert any(p.file == "events.csv" and p.row == 2 and "more fields" in p.message for p in problems)


def test_non_utf8_file_is_reported(fixture_dir):
    (fixture_dir / "sources.csv").write_bytes("id,publisher\n\xff\xfe".encode("latin-1"))
    _, problems = loading.validate(fixture_dir)
    assert any(p.file == "sources.csv" and "UTF-8" in p.message for p in problems)


def test_invalid_geometry_is_reported(fixture_dir):
    doc = json.loads((fixture_dir / "territories.geojson").read_text())
    doc["features"][0]["geometry"]["coordinates"] = [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]  # bow-tie
    (fixture_dir / "territories.geojson").write_text(json.dumps(doc))
    _, problems = loading.validate(fixture_dir)
    assert any(p.file == "territories.geojson" and p.row == 1 and p.column == "geometry" for p in problems)


def test_missing_post_soviet_state_is_reported(tmp_path):
    states = [s for s in fixtures.STATES if s[0] != "UZB"]
    folder = fixtures.write_data(tmp_path / "d", states=states)
    _, problems = loading.validate(folder)
    assert any("UZB is missing" in p.message for p in problems)


def test_point_within_tolerance_is_accepted(tmp_path):
    # Armenia's square spans lon 30..34; 0.05 deg (~4 km) west of its edge is within 10 km
    folder = fixtures.write_data(tmp_path / "d", **_with("installations", 0, lat="42", lon="29.95"))
    _, problems = loading.validate(folder)
    assert problems == []


def test_load_raises_with_every_problem(tmp_path):
    overrides = _with("memberships", 0, status="ally") | _with("installations", 0, kind="castle")
    folder = fixtures.write_data(tmp_path / "d", **overrides)
    with pytest.raises(loading.DataError) as err:
        loading.load(folder)
    assert len(err.value.problems) == 2
    assert "memberships.csv, row 2, column status" in str(err.value)


def test_archive_url_is_optional_but_checked(fixture_dir):
    path = fixture_dir / "sources.csv"
    lines = path.read_text().splitlines()
    lines[0] += ",archive_url"
    lines[1] += ",https://web.archive.org/web/2020/https://example.org/a"
    lines[2] += ",ftp://example.org/b"
    path.write_text("\n".join(lines) + "\n")
    _, problems = loading.validate(fixture_dir)
    assert [(p.file, p.row, p.column) for p in problems] == [("sources.csv", 3, "archive_url")]


def test_missing_tier_column_is_named(fixture_dir):
    path = fixture_dir / "sources.csv"
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in path.read_text().splitlines()) + "\n")
    _, problems = loading.validate(fixture_dir)
    assert any(p.file == "sources.csv" and p.column == "tier" and "missing" in p.message for p in problems)


def test_copy_next_to_a_better_source_is_accepted(tmp_path):
    """A copy may stay where the row also cites a non-copy source; a 'medium' row needs no primary source."""
    sources = [dict(r) for r in fixtures.SOURCES]
    sources[0]["tier"] = "copy"
    mem = [dict(r, sources="src-a;src-b") for r in fixtures.MEMBERSHIPS]
    other = {"sources": [dict(r, tier="regional") if r["id"] == "src-b" else r for r in sources]}
    tables = {
        "sources": sources,
        "memberships": mem,
        "organizations": [dict(r, sources="src-a;src-b") for r in fixtures.ORGANIZATIONS],
        "installations": [dict(r, sources="src-a;src-b") for r in fixtures.INSTALLATIONS],
        "events": [dict(r, sources="src-a;src-b") for r in fixtures.EVENTS],
        "territories": [(dict(p, sources="src-a;src-b"), g) for p, g in fixtures.TERRITORIES],
    }
    _, problems = loading.validate(fixtures.write_data(tmp_path / "ok", **tables))
    assert problems == []
    # the same with src-b only regional: the 'high' memberships rows are now rejected, the others are not
    tables |= other
    _, problems = loading.validate(fixtures.write_data(tmp_path / "weak", **tables))
    assert {(p.file, p.column) for p in problems} == {("memberships.csv", "confidence")}
    assert len(problems) == len(mem)


def test_duplicate_url_message_names_both_rows(tmp_path):
    folder = fixtures.write_data(tmp_path / "d", **_with("sources", 1, url="https://example.org/a/"))
    _, problems = loading.validate(folder)
    assert [str(p) for p in problems if p.column == "url"] == [
        "sources.csv, row 3, column url: same address as source 'src-a' (row 2): keep one id and cite it instead"
    ]
