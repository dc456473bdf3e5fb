"""Data edited on a running server (issue 15 point 3): every cache keys on the data files'
versions, so an edit of a CSV, a case study or a briefing shows on the next rerun; a broken
edit shows the validation message to new sessions while open sessions keep the last good data.

AppTest sessions share the process's st.cache_* like the sessions of one server do."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from tests import fixtures
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def _content(folder: Path, title: str, slide: str) -> None:
    (folder / "case_studies").mkdir(exist_ok=True)
    meta = {
        "id": "edit",
        "title": title,
        "date": "2020-01-01",
        "bounds": [[40, 30], [45, 35]],
        "alliances": ["CSTO"],
        "layers": ["states", "installations"],
        "highlight": ["base-a"],
        "show_historic": False,
        "sources": ["src-a"],
        "key_facts": [],
    }
    (folder / "case_studies" / "edit.md").write_text("---\n" + yaml.safe_dump(meta) + "---\nBody [src-a]\n")
    (folder / "briefings").mkdir(exist_ok=True)
    s = {
        "title": slide,
        "caption": "Caption",
        "notes": "Notes [src-a]",
        "date": "2020-01-01",
        "alliances": ["CSTO"],
        "regions": [],
        "layers": ["states", "installations"],
        "show_historic": False,
        "view": {"center": [45.0, 40.0], "zoom": 4},
        "highlight": [],
        "sources": ["src-a"],
    }
    doc = {"id": "default", "title": "Deck", "author": "A", "date": "2020-01-01", "description": "", "slides": [s]}
    (folder / "briefings" / "default.yaml").write_text(yaml.safe_dump(doc))


def _edit_csv(path: Path, column: str, old: str, new: str) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    for r in rows:
        if r[column] == old:
            r[column] = new
    fixtures.write_csv(path, rows, fields)
    bump(path)


def bump(path: Path) -> None:
    """A later modification time even on a coarse-grained file system."""
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + 2_000_000_000))


def _run(at: AppTest, page: str | None = None) -> AppTest:
    if page:
        at.switch_page(page)
    at.run(timeout=90)
    assert not at.exception, [e.message for e in at.exception]
    return at


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.header] + [str(r.value) for r in at.radio]
    parts += [h.proto.body for h in at.get("html")]
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    return "\n".join(parts)


def test_edits_show_on_the_next_rerun(monkeypatch, tmp_path):
    folder = fixtures.write_data(tmp_path / "data")
    _content(folder, "Case before", "Slide before")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(folder))
    at = _run(AppTest.from_file(APP, default_timeout=90))

    _run(at, "pages/sources.py")
    assert "Pub A" in _text(at)
    _edit_csv(folder / "sources.csv", "publisher", "Pub A", "Pub Edited")
    _run(at)
    assert "Pub Edited" in _text(at) and "Pub A," not in _text(at)

    _run(at, "pages/installations.py")
    assert "Base A" in _text(at)
    _edit_csv(folder / "installations.csv", "name", "Base A", "Base Renamed")
    _run(at)
    assert "Base Renamed" in _text(at) and "Base A" not in _text(at)

    _run(at, "pages/case_studies.py")
    assert "Case before" in _text(at)
    _content(folder, "Case after", "Slide before")
    bump(folder / "case_studies" / "edit.md")
    _run(at)
    assert "Case after" in _text(at) and "Case before" not in _text(at)

    _run(at, "pages/briefing.py")
    assert "Slide before" in _text(at)
    _content(folder, "Case after", "Slide after")
    bump(folder / "briefings" / "default.yaml")
    _run(at)
    assert "Slide after" in _text(at) and "Slide before" not in _text(at)


def test_a_broken_edit_keeps_open_sessions_on_the_last_good_data(monkeypatch, tmp_path):
    folder = fixtures.write_data(tmp_path / "data")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(folder))
    open_session = _run(AppTest.from_file(APP, default_timeout=90), "pages/installations.py")
    assert "Base A" in _text(open_session) and not open_session.error

    _edit_csv(folder / "installations.csv", "kind", "ground_base", "castle")  # not an allowed kind
    _run(open_session)
    assert "Base A" in _text(open_session), "the open session keeps its data"
    assert not open_session.error
    assert any("were edited" in w.value and "1 problem(s)" in w.value for w in open_session.warning)

    new_session = _run(AppTest.from_file(APP, default_timeout=90))
    assert "1 problem(s)" in new_session.error[0].value
    assert "installations.csv" in new_session.code[0].value and "castle" in new_session.code[0].value
    assert not new_session.dataframe and not new_session.get("component_instance")

    _edit_csv(folder / "installations.csv", "kind", "castle", "ground_base")
    _edit_csv(folder / "installations.csv", "name", "Base A", "Base Fixed")
    for at in (open_session, new_session):
        _run(at, "pages/installations.py")
        assert not at.error and not at.warning
        assert "Base Fixed" in _text(at)
