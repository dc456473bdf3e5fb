"""Compare page's change list: one computation gives both the heading's count and the list (issue 13:
the heading counted unfiltered changes, the list was filtered); the maps open on the changed places."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from alliance_atlas.analysis import changes
from alliance_atlas.data import loading

D = dt.date
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


def test_listed_applies_the_kinds_and_alliances_the_reader_chose(shipped):
    every = changes.changes(shipped, D(1999, 1, 1), D(2026, 11, 25))
    csto = changes.listed(shipped, D(1999, 1, 1), D(2026, 11, 25), changes.KINDS, ("CSTO",))
    assert len(csto) < len(every)
    assert {c.organization for c in csto if c.kind == "membership"} == {"CSTO"}
    # non-membership changes are not limited by the alliance filter
    assert [c for c in csto if c.kind != "membership"] == [c for c in every if c.kind != "membership"]
    only_places = changes.listed(shipped, D(1999, 1, 1), D(2026, 11, 25), ("installation",), ())
    assert only_places and {c.kind for c in only_places} == {"installation"}
    assert changes.listed(shipped, D(1999, 1, 1), D(2026, 11, 25), (), ()) == []
    assert changes.listed(shipped, D(1999, 1, 1), D(2026, 11, 25)) == every


def test_fixture_listed_count_is_the_list(fixture_atlas):
    found = changes.listed(fixture_atlas, D(2005, 1, 1), D(2013, 6, 1), ("membership",), ("CSTO",))
    texts = [c.text for c in found]
    assert any("Uzbekistan rejoined CSTO" in t for t in texts)
    assert all(c.kind == "membership" and c.organization == "CSTO" for c in found)
    assert not any("Radar B" in t for t in texts)


def test_compare_page_counts_and_lists_one_result():
    """The page calls changes.listed once and both the heading and the loop use that one name."""
    tree = ast.parse((ROOT / "pages" / "compare.py").read_text())
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "changes"
    ]
    assert [c.func.attr for c in calls] == ["listed", "bounds"]
    assign = next(n for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.value is calls[0])
    name = assign.targets[0].id
    loops = [n for n in ast.walk(tree) if isinstance(n, ast.For) and isinstance(n.iter, ast.Name)]
    assert name in [lp.iter.id for lp in loops]
    lens = [
        n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "len"
    ]
    assert [ast.unparse(n) for n in lens] == [f"len({name})"]


def test_bounds_cover_the_changed_places(shipped):
    found = changes.listed(shipped, D(2010, 1, 1), D(2015, 1, 1), ("territory",), ())
    assert any(c.subject == "crimea" for c in found)
    (s, w), (n, e) = changes.bounds(shipped, found)
    assert s < 44.5 and n > 46.0 and w < 32.5 and e > 36.5  # Crimea is inside
    assert e - w < 60 and n - s < 30  # and the box is regional, not the globe
    rus = [changes.Change(D(2000, 1, 1), "membership", "RUS", "x", "s", "CSTO")]
    (s, w), (n, e) = changes.bounds(shipped, rus)
    assert w > 0 and e <= 180  # Chukotka's part west of the antimeridian does not wrap the box round the globe
    assert changes.bounds(shipped, []) is None
