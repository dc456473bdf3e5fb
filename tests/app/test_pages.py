"""Every page runs from app.py with several dates and filter sets, and honours the shared filters."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from alliance_atlas.analysis import changes
from alliance_atlas.data import loading
from alliance_atlas.data.quality import months_before
from tests import fixtures
from tests.conftest import ROOT
from ui import state as ui_state

APP = str(ROOT / "app.py")
PAGES = [
    "pages/map.py",
    "pages/timeline.py",
    "pages/installations.py",
    "pages/compare.py",
    "pages/case_studies.py",
    "pages/briefing.py",
    "pages/overlays.py",
    "pages/sources.py",
]
VIEWS = [
    {},
    {"date": "1995-06-01", "alliance": "CSTO,CIS"},
    {"date": "2008-08-10", "region": "south-caucasus", "historic": "1"},
    {"date": "2024-03-01", "alliance": "NATO,CSTO", "kind": "air_base,naval_base", "region": "baltic,russia"},
]


def run_page(monkeypatch, page: str, params: dict) -> AppTest:
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", VIEWS, ids=["default", "1995", "2008-caucasus", "2024-mixed"])
def test_page_runs(monkeypatch, page, params):
    at = run_page(monkeypatch, page, params)
    # the briefing's slide title is an <h1> of its own (one line, projector size)
    assert at.title or any("<h1" in h.proto.body for h in at.get("html")), "every page has a title"
    assert not at.warning, [w.value for w in at.warning]


def test_installations_table_honours_filters(monkeypatch):
    at = run_page(monkeypatch, "pages/installations.py", {"date": "2010-01-01", "region": "south-caucasus"})
    table = at.dataframe[0].value
    caucasus = set(loading.load().states.query("region == 'south-caucasus'")["name"])  # Armenia, Azerbaijan, Georgia
    assert len(table) > 0 and set(table["host"]) <= caucasus
    at2 = run_page(
        monkeypatch, "pages/installations.py", {"date": "2010-01-01", "region": "south-caucasus", "historic": "1"}
    )
    assert len(at2.dataframe[0].value) > len(table)


def test_installations_table_has_no_none_in_its_text_cells(monkeypatch):
    # the grid printed "None" in grey in every empty territory, ended or legal-basis cell
    at = run_page(monkeypatch, "pages/installations.py", {"historic": "1"})
    table = at.dataframe[0].value
    text = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    assert {"territory", "ended", "legal basis", "source 3"} <= set(text)
    empty = {c: int(table[c].isna().sum()) for c in text if table[c].isna().any()}
    assert not empty, empty
    assert (table["territory"] == "").any() and (table["ended"] != "").any()


def test_compare_reads_from_and_to(monkeypatch):
    at = run_page(monkeypatch, "pages/compare.py", {"from": "2005-01-01", "to": "2013-06-01"})
    text = " ".join(m.value for m in at.markdown)
    assert "Uzbekistan" in text and "2012-06-28" in text
    assert at.query_params["from"] == "2005-01-01" and at.query_params["to"] == "2013-06-01"


def test_compare_link_keeps_the_kinds_of_change_shown(monkeypatch):
    # switching Installations off changed the list but not the URL: a shared link showed every change
    at = run_page(
        monkeypatch,
        "pages/compare.py",
        {"from": "2003-06-01", "to": "2005-06-01", "alliance": "NATO", "changes": "membership"},
    )
    heading = next(h.value for h in at.subheader if "between" in h.value)
    found = changes.listed(loading.load(), dt.date(2003, 6, 1), dt.date(2005, 6, 1), ("membership",), ("NATO",))
    assert found and all(c.kind == "membership" for c in found)
    assert heading.startswith(f"{len(found)} change"), heading
    assert at.query_params["changes"] == "membership"
    at.button_group(key=ui_state.CMP_KINDS.key).set_value(list(changes.KINDS)).run()
    assert "changes" not in at.query_params  # all kinds: the default, left out of the link


def test_compare_bad_date_is_a_notice(monkeypatch):
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("pages/compare.py")
    at.query_params["from"] = "yesterday"
    at.run()
    assert not at.exception and any("from" in w.value for w in at.warning)


def test_briefing_slide_from_url_and_bad_slide(monkeypatch):
    at = run_page(monkeypatch, "pages/briefing.py", {"briefing": "default", "slide": "3"})
    assert "3 / " in " ".join(m.value for m in at.markdown)
    at = run_page(monkeypatch, "pages/briefing.py", {"briefing": "nope", "slide": "99"})
    warnings = " ".join(w.value for w in at.warning)
    assert "nope" in warnings and "99" in warnings


def test_audience_view_has_no_notes_or_tools(monkeypatch):
    at = run_page(monkeypatch, "pages/briefing.py", {"briefing": "default", "slide": "2"})
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "class='atlas-slide-title'" in bodies and "class='atlas-notes'" not in bodies
    assert not at.main.text_input and not at.main.selectbox  # no slide editor, no jump list
    # its one tool is the Menu (a popover: the way back and the exports; the browser test opens it)
    downloads = {d.proto.label for d in at.get("download_button")}
    assert downloads == {
        "Map as HTML (offline)",
        "Image (PNG 1920×1080)",
        "Image (SVG)",
        "Handout (PDF, all slides)",
        "PowerPoint (PPTX, all slides)",
    }, downloads


def test_speaker_view_notes_as_footnotes(monkeypatch):
    at = run_page(monkeypatch, "pages/briefing.py", {"briefing": "default", "slide": "2", "view": "speaker"})
    notes = next(h.proto.body for h in at.get("html") if "class='atlas-notes'" in h.proto.body)
    assert "[1]" in notes and "garant-russia-armenia-base-treaty-1995" not in notes and "Garant.ru" in notes
    assert any("Next: " in m.value for m in at.markdown)


def test_add_slide_then_download(monkeypatch):
    at = run_page(monkeypatch, "pages/briefing.py", {"briefing": "default", "view": "speaker"})
    n = int(next(m.value for m in at.markdown if " / " in m.value).split("/")[1].split("<")[0])
    at.text_input[0].input("My view")
    at.text_area[0].input("Notes [cis-legislation-cst-1992]")
    at.button(key="FormSubmitter:new_slide-Add slide").click()
    at.run()
    assert not at.exception
    assert f" / {n + 1}<" in " ".join(m.value for m in at.markdown)
    yaml_text = at.get("download_button")[-1].proto.label
    assert "YAML" in yaml_text


def _sources_page(monkeypatch, folder) -> AppTest:
    monkeypatch.setenv("ATLAS_DATA_DIR", str(folder))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("pages/sources.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_sources_page_lists_rows_not_verified_for_a_year(monkeypatch, tmp_path):
    inst = [dict(r, last_verified=dt.date.today().isoformat()) for r in fixtures.INSTALLATIONS]
    inst[1]["last_verified"] = "2001-01-01"
    at = _sources_page(monkeypatch, fixtures.write_data(tmp_path / "d", installations=inst))
    assert not at.success
    assert any("1 row(s) not verified in the last 12 months" in m.value for m in at.markdown)
    stale = at.dataframe[-1].value
    assert list(stale["id"]) == ["radar-b"] and list(stale["last_verified"]) == ["2001-01-01"]
    # the sources table shows each source's tier
    assert set(at.dataframe[0].value["tier"]) == {"primary", "reputable"}


def test_sources_page_says_when_every_row_is_fresh(monkeypatch, tmp_path):
    inst = [dict(r, last_verified=dt.date.today().isoformat()) for r in fixtures.INSTALLATIONS]
    at = _sources_page(monkeypatch, fixtures.write_data(tmp_path / "d", installations=inst))
    cutoff = months_before(dt.date.today(), 12).isoformat()
    assert [s.value for s in at.success] == [f"All rows verified in the last 12 months (since {cutoff})."]
    assert len(at.dataframe) == 1  # the sources table only, no stale list


def test_case_study_citations_keep_the_spaces_around_them(monkeypatch):
    """'May 1992 [1], …' and '[1] and', never 'May 1992[1]' or '[1]and' (issue 16)."""
    at = run_page(monkeypatch, "pages/case_studies.py", {})
    text = " ".join(m.value for m in at.markdown)
    cites = re.findall(r"(.)\[\\?\[(\d+)\\?\]\]\(http[^)]*\)\\?(.)", text)
    assert cites, "no numbered citation found"
    for before, _n, after in cites:
        assert before in " [(-", (before, after)
        assert after in " .,;:)[-", (before, after)


def test_case_study_preset_names_alliances_and_items_in_words(monkeypatch):
    """The case study's "Map preset" line names organizations and highlighted items as a person reads them
    (it showed RUS_BILATERAL and row ids such as gyumri-102nd-base)."""
    at = run_page(monkeypatch, "pages/case_studies.py", {})
    data = loading.load()
    ids = set(data.installations["id"]) | set(data.territories["id"]) | {"RUS_BILATERAL", "UNION_STATE", "CIS_JADS"}
    from alliance_atlas.data import content

    for study in content.load_case_studies(data)[0]:
        at.radio[0].set_value(study.id).run()
        preset = next(c.value for c in at.caption if "Map preset" in c.value)
        shown = set(re.split(r"[\s,·:]+", preset.replace("\\", "")))  # md() escapes _ and -
        assert not shown & ids, preset


def test_map_header_names_the_alliances_in_words(monkeypatch):
    # the as-of line printed the ids: "alliances: CSTO, UNION_STATE, RUS_BILATERAL, CIS_JADS"
    at = run_page(monkeypatch, "pages/map.py", {"alliance": "CSTO,UNION_STATE,RUS_BILATERAL,CIS_JADS"})
    line = next(c.value for c in at.caption if c.value.startswith("As of"))
    assert "Union State" in line and "Bilateral w/ Russia" in line and "CIS air defence" in line, line
    assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", line), line
