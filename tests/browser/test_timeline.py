"""Timeline in Chromium at 1400×900: with four alliances the chart fits its column and every row label
is drawn; the selected-date rule is in view; a click near 2010 sets a date in 2010 (the date under the
pointer, not the start of the bar clicked)."""

from __future__ import annotations

import datetime as dt
import re

from alliance_atlas.data import loading
from alliance_atlas.renderers import charts

URL = "/timeline?alliance=CSTO,CIS,NATO,GUAM&date=2000-06-01"
CHART = "[data-testid=stVegaLiteChart]"


def _chart(page):
    chart = page.locator(CHART).first
    chart.locator("svg.marks").wait_for(timeout=60_000)
    chart.locator("svg.marks text", has_text=re.compile(r"^2010$")).first.wait_for(timeout=30_000)
    return chart


def test_four_alliances_fit_the_column_with_every_label(page, app_url):
    page.goto(app_url + URL)
    chart = _chart(page)
    svg = chart.locator("svg.marks").bounding_box()
    column = chart.evaluate("e => e.parentElement.getBoundingClientRect().width")
    assert svg["width"] <= column + 1, f"chart {svg['width']} px wide in a {column} px column"
    assert svg["x"] + svg["width"] <= 1400
    bars = charts.membership_bars(loading.load(), ("CSTO", "CIS", "NATO", "GUAM"), (), dt.date.today())
    want = {charts.EVENTS_ROW, *bars["row"]}
    # drawn = not hidden by Vega's overlap check (opacity 0); and no two drawn labels overlap
    labels = chart.locator("svg.marks .role-axis-label text").evaluate_all(
        "es => es.filter(e => e.getAttribute('opacity') !== '0' && getComputedStyle(e).opacity !== '0')"
        ".map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.top, r.bottom, r.left, r.right]; })"
    )
    shown = {t for t, *_ in labels}
    assert want <= shown, f"row labels not drawn: {sorted(want - shown)[:5]}"
    rows = sorted((top, bottom, t) for t, top, bottom, left, _right in labels if t in want and left < svg["x"] + 400)
    for (_t1, b1, n1), (t2, _b2, n2) in zip(rows, rows[1:], strict=False):
        assert t2 >= b1 - 1, f"labels {n1!r} and {n2!r} overlap"
    # the selected date's rule and label are inside the drawn chart
    label = chart.locator("svg.marks text", has_text="2000-06-01").bounding_box()
    assert svg["x"] < label["x"] < svg["x"] + svg["width"]


def test_a_click_near_2010_sets_a_date_in_2010(page, app_url):
    page.goto(app_url + URL)
    chart = _chart(page)
    tick = chart.locator("svg.marks .role-axis-label text", has_text=re.compile(r"^2010$")).first.bounding_box()
    row = chart.locator("svg.marks .role-axis-label text", has_text=re.compile(r"^CSTO · Russia$")).first.bounding_box()
    # on the CSTO · Russia bar (a period that started in 1992): the date must be where the click was
    page.mouse.click(tick["x"] + tick["width"] / 2 + 4, row["y"] + row["height"] / 2)
    page.wait_for_function("() => /date=20(09|10|11)-/.test(location.search)", timeout=30_000)
    day = dt.date.fromisoformat(re.search(r"date=(\d{4}-\d\d-\d\d)", page.url).group(1))
    assert abs((day - dt.date(2010, 1, 1)).days) <= 366, day
    # the sidebar's YYYY-MM-DD date field ("As of") follows
    sidebar = page.get_by_test_id("stSidebar").get_by_test_id("stTextInput").filter(has_text="As of").locator("input")
    page.wait_for_function(
        "d => Array.from(document.querySelectorAll('[data-testid=stSidebar] input')).some(e => e.value === d)",
        arg=day.isoformat(),
        timeout=20_000,
    )
    assert sidebar.input_value() == day.isoformat()
    # the chart now draws its rule at the new date
    chart.locator("svg.marks text", has_text=day.isoformat()).wait_for(timeout=20_000)
