"""Every id shown to a person has its plain name (issue 14, "What the map shows" 3): the installations
table and its Excel download, the CSV download (names beside the ids), and the PowerPoint deck's text."""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import re

import pandas as pd
import pytest
from pptx import Presentation

from alliance_atlas.data import asof, content, loading, schema
from alliance_atlas.renderers import exports, office

DAY = dt.date(2020, 1, 1)
SHOWN = ("kind", "operator", "host", "territory", "on date", "status today")


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


def raw_ids(atlas) -> set[str]:
    """Codes of the data a person should not have to decode: state codes, kinds, statuses, territory ids."""
    return (
        set(atlas.states["iso3"])
        | set(atlas.territories["id"])
        | set(schema.INSTALLATION_KINDS)
        | set(schema.INSTALLATION_STATUSES)
        | set(schema.PHASE_NAMES)
        | {"RUS"}
    ) - {"NATO"}


@pytest.fixture(scope="module")
def inst(shipped):
    return asof.installations_on(shipped, DAY, show_historic=True)


def test_table_and_excel_show_names_not_ids(shipped, inst):
    table = exports.installations_table(shipped, inst)
    excel = pd.read_excel(_io.BytesIO(exports.to_excel(table)), sheet_name="installations")
    ids = raw_ids(shipped)
    for frame in (table, excel):
        cells = {str(v) for c in SHOWN for v in frame[c].dropna()}
        assert not cells & ids, sorted(cells & ids)
    gyumri = table.set_index("id").loc["gyumri-102nd-base"]
    assert (gyumri["host"], gyumri["kind"], gyumri["operator"]) == ("Armenia", "Ground forces base", "Russia")
    assert gyumri["on date"] == schema.PHASE_NAMES["active"]
    tskhinvali = table.set_index("id").loc["tskhinvali-4th-base"]
    assert tskhinvali["territory"] == shipped.territories.set_index("id").loc["south-ossetia", "name"]


def test_csv_keeps_ids_and_names_them(shipped, inst):
    rows = list(csv.DictReader(_io.StringIO(exports.installations_csv_text(shipped, inst))))
    assert set(exports.NAME_COLUMNS) <= set(rows[0])
    gyumri = next(r for r in rows if r["id"] == "gyumri-102nd-base")
    assert (gyumri["host_iso3"], gyumri["host_name"]) == ("ARM", "Armenia")
    assert (gyumri["kind"], gyumri["kind_name"]) == ("ground_base", "Ground forces base")
    assert gyumri["phase_name"] == schema.PHASE_NAMES[gyumri["phase"]]
    ids = raw_ids(shipped)
    assert not {r[c] for r in rows for c in exports.NAME_COLUMNS} & ids


def test_pptx_text_has_no_raw_ids(shipped):
    b, _ = content.load_briefing(shipped, shipped.data_dir / "briefings" / "default.yaml")
    deck = Presentation(_io.BytesIO(office.briefing_pptx(shipped, b)))
    text = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert text
    snake = re.findall(r"\b[A-Za-z]+_[A-Za-z_]+\b", text)
    assert not snake, snake
    words = set(re.findall(r"[\w-]+", text))
    assert not words & (set(shipped.installations["id"]) | set(shipped.territories["id"])), words


def test_details_panel_tooltips_and_popups_name_states_and_statuses(shipped):
    """The details panel, the map's hover tooltips and the popups (standalone HTML) say 'Russia', 'Ukraine',
    'Armenia', 'Active on this date', not RUS, UKR, ARM, active."""
    from alliance_atlas.analysis import details
    from alliance_atlas.cartography import popups, scene

    crimea = dict(details.describe(shipped, "crimea", DAY).fields)
    assert crimea["Controlled by"] == "Russia" and crimea["De jure part of"] == "Ukraine"
    assert "natural-earth" not in crimea["Outline"]
    gyumri = details.describe(shipped, "gyumri-102nd-base", DAY).fields
    assert not {v for _k, v in gyumri} & raw_ids(shipped), gyumri
    sc = scene.build(shipped, schema.Filters(date=DAY))
    tip = next(a.tip for a in sc.territories if a.id == "crimea")
    assert "de jure: Ukraine" in tip and "UKR" not in tip
    mark = next(m for m in sc.marks if m.id == "gyumri-102nd-base")
    assert schema.PHASE_NAMES["active"] in mark.tip and "· active" not in mark.tip
    row = shipped.installations.set_index("id", drop=False).loc["gyumri-102nd-base"]
    pop = popups.installation_popup(shipped, row)
    assert "Armenia" in pop and "Russia" in pop and ">ARM<" not in pop and ">RUS<" not in pop
    ter = popups.territory_popup(shipped, shipped.territories.set_index("id", drop=False).loc["crimea"])
    assert ">RUS<" not in ter and ">UKR<" not in ter and "natural-earth-10m" not in ter


def test_change_list_names_the_host_state(shipped):
    """Compare's list of changes: "102nd Military Base (Gyumri) (ground forces base, Armenia) established"."""
    from alliance_atlas.analysis import changes

    est = shipped.installations.set_index("id").loc["gyumri-102nd-base", "_established"]
    found = [c for c in changes.changes(shipped, est - dt.timedelta(days=1), est) if c.subject == "gyumri-102nd-base"]
    assert found and "Armenia" in found[0].text and ", ARM)" not in found[0].text, found
