"""`make run` obeys the settings in the README's configuration table (issue 15 point 5).

`make run` is started with every variable of the table set (port, address, base path, upload
size, data folder, team overlay folder, overlay limits, tile server) and the app is checked to
follow each one; then the process group is stopped. The install steps are skipped with
`make -o install -o assets` (they are the same for every setting and need the package index);
the recipe that starts the app is the real one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

from tests import fixtures
from tests.browser.harness import ROOT, free_port, wait_healthy

if shutil.which("make") is None:
    pytest.skip("make is not installed", allow_module_level=True)

ADDRESS = "127.0.0.2"  # loopback too, but not the default 127.0.0.1: shows the address is obeyed
TEAM = fixtures.point_geojson("Gyumri", 43.85, 40.79)


def _make_run(env: dict[str, str], log):
    return subprocess.Popen(
        ["make", "--no-print-directory", "-o", "install", "-o", "assets", "run"],
        cwd=ROOT,
        env=os.environ | env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("makerun")
    data = fixtures.write_data(root / "data")
    team = root / "team"
    team.mkdir()
    (team / "team.geojson").write_text(TEAM)
    port = free_port()
    env = {
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_ADDRESS": ADDRESS,
        "STREAMLIT_SERVER_BASE_URL_PATH": "atlas",
        "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "7",
        "ATLAS_DATA_DIR": str(data),
        "ATLAS_OVERLAY_DIR": str(team),
        "ATLAS_OVERLAY_MAX_MB": "7",
        "ATLAS_OVERLAY_MAX_FEATURES": "1234",
        "ATLAS_OVERLAY_MAX_SECONDS": "3",
        "ATLAS_TILE_URL": f"http://{ADDRESS}:9/tiles/{{z}}/{{x}}/{{y}}.png",
        "ATLAS_TILE_ATTRIBUTION": "Team tiles under test",
    }
    with (root / "make-run.log").open("w") as log:
        proc = _make_run(env, log)
        try:
            yield f"http://{ADDRESS}:{port}/atlas", port, proc, root / "make-run.log"
        finally:
            _stop(proc)


def test_port_address_and_base_path_come_from_the_environment(made):
    base, port, proc, log = made
    wait_healthy(base, proc, timeout=120)
    with urllib.request.urlopen(base + "/_stcore/health", timeout=5) as r:
        assert r.status == 200 and r.read() == b"ok"
    with pytest.raises(urllib.error.URLError):  # not on the default address
        urllib.request.urlopen(f"http://127.0.0.1:{port}/atlas/_stcore/health", timeout=5)
    assert "--server.port" not in log.read_text()


def _loopback_only(blocked: list[str]):
    def handle(route):
        host = urlparse(route.request.url).hostname or ""
        if host.startswith("127.") or host == "localhost" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    return handle


def test_the_app_follows_every_atlas_setting(made, browser):
    base, _port, proc, _log = made
    wait_healthy(base, proc, timeout=120)
    blocked: list[str] = []
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.route("**/*", _loopback_only(blocked))
    page = ctx.new_page()
    try:
        page.goto(base + "/overlays")  # limits, upload size, team folder
        page.get_by_text("Limits: 7 MB, 1,234 features, 3 s to read").wait_for(timeout=60_000)
        page.get_by_role("button", name="Add team.geojson").wait_for()
        assert "7MB" in page.get_by_test_id("stFileUploaderDropzone").inner_text().replace(" ", "")
        page.goto(base + "/sources")  # the data folder: the fixture's sources, not the shipped ones
        page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
        page.get_by_text("2 source(s)").wait_for()
        page.goto(base + "/?basemap=custom")  # the team tile server and its attribution
        page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=60_000)
        frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
        frame.locator(".leaflet-control-attribution").filter(has_text="Team tiles under test").wait_for(timeout=60_000)
        src = frame.locator("img.leaflet-tile").first.get_attribute("src", timeout=60_000)
        assert src.startswith(f"http://{ADDRESS}:9/tiles/"), src
    finally:
        ctx.close()
    assert not blocked, blocked[:5]
