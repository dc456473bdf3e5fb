"""Server inputs within bounds (issue 15 point 4), in Chromium.

* A team overlay folder ($ATLAS_OVERLAY_DIR) holding a sparse 300 MB file, a link to it and a
  link to a file outside the folder: each "Add" is refused with a message, a plain file is
  added, and the server's resident memory grows by less than 50 MB.
* A link with more than 1,000 parameters (Streamlit drops the whole query string): the page says
  "this link's settings could not be applied"; a normal link and a bare address do not.
"""

from __future__ import annotations

import pytest

from tests import fixtures

from .conftest import map_frame
from .harness import streamlit_server

MB = 1024 * 1024
GOOD = fixtures.point_geojson("Yerevan", 44.51, 40.18)


def rss_kb(pid: int) -> int:
    return int(next(ln for ln in open(f"/proc/{pid}/status") if ln.startswith("VmRSS:")).split()[1])


@pytest.fixture(scope="module")
def team_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("team")
    folder = root / "overlays"
    folder.mkdir()
    (folder / "good.geojson").write_text(GOOD)
    with (folder / "big.geojson").open("wb") as fh:
        fh.truncate(300 * MB)
    (folder / "big-link.geojson").symlink_to(folder / "big.geojson")
    (root / "secret.csv").write_text("name,lat,lon\nsecret,40,44\n")
    (folder / "secret.csv").symlink_to(root / "secret.csv")
    procs: list = []
    with streamlit_server(extra_env={"ATLAS_OVERLAY_DIR": str(folder)}, started=procs) as url:
        yield url, procs[0].pid


def test_team_folder_refuses_big_files_and_links(page, team_server):
    url, pid = team_server
    page.goto(url + "/overlays")
    page.get_by_text("Team overlays (ATLAS_OVERLAY_DIR)").wait_for(timeout=60_000)
    page.get_by_text("Overlays in this session (0)").wait_for(timeout=60_000)
    before = rss_kb(pid)
    for name, words in (
        ("big.geojson", "big.geojson: Not added: the file is 300 MB; the limit is 20 MB"),
        ("big-link.geojson", "big-link.geojson: Not added: it is a link"),
        ("secret.csv", "secret.csv: Not added: it is a link"),
    ):
        page.get_by_role("button", name=f"Add {name}").click()
        page.get_by_test_id("stAlertContentError").filter(has_text=words).wait_for(timeout=30_000)
    grown = rss_kb(pid) - before
    assert page.get_by_text("Overlays in this session (0)").count() == 1
    page.get_by_role("button", name="Add good.geojson").click()
    page.get_by_text("good.geojson: Loaded 1 of 1 features").wait_for(timeout=30_000)
    page.get_by_text("Overlays in this session (1)").wait_for(timeout=30_000)
    assert grown < 50 * 1024, f"server RSS grew by {grown / 1024:.0f} MB"
    print(f"\nserver RSS {before / 1024:.0f} MB before the three refusals, grew by {grown / 1024:.1f} MB")


NOTICE = "this link's settings could not be applied"


def test_a_link_streamlit_could_not_read_gets_a_notice(page, app_url):
    params = "&".join(f"p{i}=x" for i in range(1200))
    page.goto(f"{app_url}/?date=2000-01-01&{params}")
    page.get_by_text(NOTICE, exact=False).wait_for(timeout=60_000)
    assert "1,201 parameter(s)" in page.get_by_test_id("stAlertContentWarning").first.inner_text()
    map_frame(page)
    page.get_by_role("button", name="Dismiss").click()
    page.get_by_text(NOTICE, exact=False).wait_for(state="detached", timeout=30_000)


@pytest.mark.parametrize("query", ["", "/?date=2000-01-01&alliance=CSTO", "/timeline?date=2000-01-01"])
def test_readable_links_get_no_notice(page, app_url, query):
    page.goto(app_url + query)
    map_or_chart = "iframe[title='streamlit_folium.st_folium'], [data-testid=stVegaLiteChart]"
    page.locator(map_or_chart).first.wait_for(timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    assert page.get_by_text(NOTICE, exact=False).count() == 0
    if query:
        assert "date=2000-01-01" in page.url
