"""AppTest: the app runs from app.py, on the shipped data and on a fixture, URL parameters included."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests import fixtures
from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def _run(at: AppTest) -> AppTest:
    at.run(timeout=60)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_app_runs_on_shipped_data(monkeypatch):
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    at = _run(AppTest.from_file(APP, default_timeout=60))
    assert at.title[0].value == "Alliance Atlas"
    maps = list(at.get("component_instance"))
    assert maps, "the map component was not rendered"


def test_app_reads_url_and_reports_bad_values(monkeypatch, fixture_dir):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixture_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["date"] = "2000-01-01"
    at.query_params["alliance"] = "CSTO,BOGUS"
    at.query_params["zoom"] = "<b>"
    _run(at)
    assert at.text_input(key="f_date").value == "2000-01-01"
    assert at.button_group(key="f_alliances").value == ["CSTO"]
    warnings = " ".join(w.value for w in at.warning)
    assert "BOGUS" in warnings and "zoom" in warnings


def test_app_shows_data_problems_not_a_traceback(monkeypatch, tmp_path):
    rows = [dict(r) for r in fixtures.MEMBERSHIPS]
    rows[0]["start"] = "not a date"
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixtures.write_data(tmp_path / "d", memberships=rows)))
    at = _run(AppTest.from_file(APP, default_timeout=60))
    assert "problem" in at.error[0].value
    assert "memberships.csv, row 2, column start" in at.code[0].value


@pytest.mark.parametrize("day", ["1992-06-01", "2008-08-10", "2024-03-01"])
def test_widgets_change_the_url(monkeypatch, fixture_dir, day):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixture_dir))
    at = _run(AppTest.from_file(APP, default_timeout=60))
    import datetime as dt

    at.text_input(key="f_date").set_value(dt.date.fromisoformat(day).isoformat())
    _run(at.run())
    assert at.query_params["date"] == day
    assert at.slider(key="f_year").value == int(day[:4])  # the year slider follows the date field


@pytest.mark.parametrize("typed", ["2010-13-01", "1980-01-01", "yesterday", "<b>x</b>"])
def test_a_bad_typed_date_keeps_the_map_and_says_why(monkeypatch, fixture_dir, typed):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixture_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["date"] = "2005-05-05"
    _run(at)
    at.text_input(key="f_date").set_value(typed)
    _run(at.run())
    assert at.query_params["date"] == "2005-05-05" and at.text_input(key="f_date").value == "2005-05-05"
    text = at.error[0].value
    assert "The map still shows 2005-05-05" in text.replace("\\", "")
    assert "<b>" not in text  # escaped for markdown (\<b\>)
    at.slider(key="f_year").set_value(2008)
    _run(at.run())
    assert at.query_params["date"] == "2008-05-05" and at.text_input(key="f_date").value == "2008-05-05"
    assert not at.error


def test_every_url_parameter_round_trips(monkeypatch, fixture_dir):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixture_dir))
    params = {
        "date": "2010-06-01",
        "alliance": "CSTO,NATO",
        "region": "south-caucasus,baltic",
        "kind": "ground_base,radar",
        "status": "closed",
        "historic": "1",
        "basemap": "osm",
        "select": "base-a",
        "lat": "42.0000",
        "lon": "32.0000",
        "zoom": "6",
    }
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    _run(at)
    assert not at.warning, [w.value for w in at.warning]
    assert {k: at.query_params[k] for k in params} == params
    assert at.multiselect[0].value == ["south-caucasus", "baltic"]
    assert at.checkbox[0].value is True and at.selectbox(key="f_basemap").value == "osm"
    assert "Base A" in " ".join(h.value for h in at.subheader)


@pytest.mark.parametrize(
    "params",
    [
        {"date": "1800-01-01"},
        {"date": "<script>"},
        {"zoom": "NaN"},
        {"lat": "91", "lon": "0"},
        {"alliance": "${alert(1)}"},
        {"select": "x" * 5000},
        {"basemap": "javascript:alert(1)"},
    ],
)
def test_malformed_parameters_give_a_notice(monkeypatch, fixture_dir, params):
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixture_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    _run(at)
    assert at.warning, "a malformed parameter must produce a visible notice"
    assert at.title[0].value == "Alliance Atlas"


def test_alliance_pills_pick_exactly_one_and_empty_is_a_visible_state(monkeypatch, fixture_dir):
    """Issue 13: a pill adds only the organization clicked; with none selected the page says so
    and the alliance figure is '—', not a count of states nobody coloured."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixture_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["alliance"] = "CSTO"
    _run(at)
    at.button_group(key="f_alliances").set_value(["NATO"])
    _run(at.run())
    assert at.query_params["alliance"] == "NATO"
    assert at.button_group(key="f_alliances").value == ["NATO"]
    at.button_group(key="f_alliances").set_value([])
    _run(at.run())
    assert at.metric[0].value == "—"
    assert all(m.value.replace(",", "").isdigit() for m in at.metric[1:3]), "installation figures keep their numbers"
    assert "No alliance selected" in " ".join(c.value for c in at.caption)


def test_search_enter_goes_to_the_best_match(monkeypatch, fixture_dir):
    """Issue 13: Enter in the search box goes to the best match; a place keeps the date, an event sets
    its own and the sidebar says so."""
    monkeypatch.setenv("ATLAS_DATA_DIR", str(fixture_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["date"] = "2010-06-01"
    _run(at)
    at.text_input(key="atlas_search").set_value("base a")
    _run(at.run())
    assert at.query_params["select"] == "base-a" and at.query_params["date"] == "2010-06-01"
    at.text_input(key="atlas_search").set_value("Treaty signed")
    _run(at.run())
    assert at.query_params["date"] == "1992-05-15"
    assert "Date set to 1992-05-15" in " ".join(i.value for i in at.info).replace("\\", "")
    at.text_input(key="atlas_search").set_value("zzz-nothing")
    _run(at.run())
    assert "Nothing found" in " ".join(c.value for c in at.caption)


def test_the_states_figure_says_it_counts_states_on_the_map(monkeypatch):
    """NATO on 2026-12-07 has 32 members and the map holds 30 of them (not the United States and Canada):
    the figure's label and help must say what it counts, so a reader does not cite 30 as NATO's size."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["alliance"] = "NATO"
    at.query_params["date"] = "2026-12-07"
    _run(at)
    figure = at.metric[0]
    assert figure.label == "States on the map in the selected alliances"
    assert "United States and Canada" in figure.proto.help
