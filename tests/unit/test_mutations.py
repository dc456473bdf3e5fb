"""Mutation tests on the shipped data: each edit an analyst could get wrong is reported with
file, row and column (on a copy of data/, never the real files)."""

from __future__ import annotations

import csv
import shutil

import pytest

from alliance_atlas.data import loading


def _rows(path):
    with path.open(newline="", encoding="utf-8") as fh:
        r = csv.DictReader(fh)
        return r.fieldnames, list(r)


def _write(path, fields, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def _mutate(folder, name, fn):
    fields, rows = _rows(folder / name)
    fields, rows = fn(fields, rows)
    _write(folder / name, fields, rows)


@pytest.fixture
def data_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(loading.DEFAULT_DATA_DIR, dst)
    return dst


def drop_column(col):
    return lambda f, rows: ([c for c in f if c != col], [{k: v for k, v in r.items() if k != col} for r in rows])


def set_cell(index, col, value):
    def fn(f, rows):
        rows[index][col] = value
        return f, rows

    return fn


MUTATIONS = [
    ("installations.csv", drop_column("lat"), 1, "lat", "missing"),
    ("memberships.csv", drop_column("sources"), 1, "sources", "missing"),
    ("memberships.csv", set_cell(4, "start", "2008-02-30"), 6, "start", "not a real date"),
    ("memberships.csv", set_cell(4, "end", "1800-01-01"), 6, "end", "not after"),
    ("installations.csv", set_cell(0, "lat", "10.0"), 2, "lat", "outside"),  # moved out of its country
    ("installations.csv", set_cell(3, "sources", "no-such-source"), 5, "sources", "not in sources.csv"),
    ("installations.csv", set_cell(2, "kind", "castle"), 4, "kind", "not one of"),
    ("events.csv", set_cell(1, "date", "yesterday"), 3, "date", "YYYY"),
    ("organizations.csv", set_cell(0, "kind", "club"), 2, "kind", "not one of"),
    ("sources.csv", set_cell(5, "url", "ftp://example.org"), 7, "url", "http"),
    ("memberships.csv", set_cell(0, "organization", "WARSAW_PACT"), 2, "organization", "not in organizations"),
    ("installations.csv", set_cell(1, "host_iso3", "XXX"), 3, "host_iso3", "not in states"),
]


@pytest.mark.parametrize(
    ("file", "mutate", "row", "column", "fragment"), MUTATIONS, ids=[f"{m[0]}:{m[3]}:{m[4]}" for m in MUTATIONS]
)
def test_mutation_is_reported(data_copy, file, mutate, row, column, fragment):
    _mutate(data_copy, file, mutate)
    atlas, problems = loading.validate(data_copy)
    assert atlas is None
    assert any(p.file == file and p.row == row and p.column == column and fragment in p.message for p in problems), [
        str(p) for p in problems[:10]
    ]


def test_duplicate_installation_id(data_copy):
    def dup(f, rows):
        rows.append(dict(rows[0]))
        return f, rows

    _mutate(data_copy, "installations.csv", dup)
    _, problems = loading.validate(data_copy)
    n = len(_rows(data_copy / "installations.csv")[1]) + 1
    assert any(p.row == n and p.column == "id" and "used again" in p.message for p in problems)


def test_unmutated_copy_is_valid(data_copy):
    assert loading.validate(data_copy)[1] == []
