"""The boundary build's tables (scripts/boundaries/*.csv, territories.yaml): they load, every cited
source is defined with a known tier, and what they say is what the committed boundary files hold.

The full rebuild (`python scripts/build_boundaries.py --check`) takes 9–11 minutes on 2 shared cores:
too slow for this suite; these checks read the tables and the committed outputs only."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from boundaries import tables  # noqa: E402

from alliance_atlas.data.schema import SOURCE_TIERS  # noqa: E402


@pytest.fixture(scope="module")
def t() -> tables.Tables:
    return tables.load()


def features(name: str) -> list[dict]:
    return json.loads((ROOT / "data" / name).read_text(encoding="utf-8"))["features"]


def test_tables_have_no_problems(t):
    assert tables.problems(t, SOURCE_TIERS) == []
    assert len(t.territories) == 11 and len(t.states) == 54 and len(t.sources) == 41


def test_every_territory_source_is_defined_and_every_tier_known(t):
    defined = {s["id"]: s["tier"] for s in t.sources}
    cited = {sid for x in t.territories for sid in x["sources"].split(";")}
    assert cited <= set(defined)
    assert set(defined.values()) <= set(SOURCE_TIERS)


def test_territory_properties_are_those_of_the_committed_file(t):
    """Notes, names and dates round-trip exactly: the output holds the tables' text byte for byte."""
    shipped = [f["properties"] for f in features("territories.geojson")]
    assert [{k: x[k] for k in tables.TERRITORY_FIELDS} for x in t.territories] == shipped


def test_states_are_those_of_the_committed_file(t):
    shipped = {f["properties"]["iso3"]: f["properties"] for f in features("states.geojson")}
    post_soviet = t.post_soviet
    assert len(post_soviet) == 15
    assert shipped == {
        s["iso3"]: {
            "iso3": s["iso3"],
            "name": s["name"],
            "region": s["region"],
            "post_soviet": s["iso3"] in post_soviet,
        }
        for s in t.states
    }


def test_sources_are_rows_of_data_sources_csv(t):
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    for s in t.sources:
        assert {k: rows[s["id"]][k] for k in s} == s


def test_reference_cities_are_those_the_tests_use(t):
    with (ROOT / "tests" / "unit" / "reference_cities.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert [(r["name"], r["iso2"]) for r in rows] == t.reference_cities


def test_packages_are_pinned_with_a_hash(t):
    for p in t.packages:
        if p["registry"] == "npm":
            assert p["hash"].startswith("sha512-") and "@" in p["spec"]
        else:
            assert len(p["hash"]) == 64 and "==" in p["spec"]


def edited_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "tables"
    shutil.copytree(tables.HERE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_an_undefined_source_and_an_unknown_tier_are_reported(tmp_path):
    folder = edited_copy(tmp_path, "territories.yaml", "  - ne-admin-1\n", "  - no-such-source\n")
    problems = tables.problems(tables.load(folder), SOURCE_TIERS)
    assert problems == ["territory crimea cites undefined source no-such-source"]
    folder = edited_copy(tmp_path / "b", "sources.csv", ",primary\n", ",official\n")
    assert tables.problems(tables.load(folder), SOURCE_TIERS) == ["source ne-admin-0-pov: unknown tier 'official'"]


def test_an_unquoted_date_stops_with_a_message(tmp_path):
    folder = edited_copy(tmp_path, "territories.yaml", 'since: "2014-03-18"', "since: 2014-03-18")
    with pytest.raises(SystemExit, match=r"territory crimea, since: expected text \(quote dates"):
        tables.load(folder)
