"""Two replicas behind nginx (deploy/replicas.py, deploy/nginx.conf.template), under /atlas/.

(a) a browser session keeps one websocket on one replica across several reruns, and the map
    draws with its Leaflet files from /atlas/app/static/vendor/;
(b) an upload goes through the proxy to the session's replica (and is refused with the message
    about sticky sessions when sent to the other one; nginx refuses bodies over 20 MB);
(c) with one replica stopped, health through the proxy stays 200 and new pages render, also for
    a browser whose sticky cookie points at the stopped replica.
Skipped when nginx or Playwright is missing. No request leaves 127.0.0.1.
"""

from __future__ import annotations

import re
import secrets
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from deploy import nginx, replicas
from tests.browser.harness import OffsiteGuard

ROOT = Path(__file__).resolve().parents[2]
BASE = "atlas"
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"


if nginx.find_nginx() is None:
    pytest.skip(
        "nginx is not installed (Debian: apt-get install -y nginx); the replicas test needs it", allow_module_level=True
    )
pytest.importorskip("playwright", reason="Playwright is needed to drive a real websocket session")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with replicas.Cluster(replicas=2, base_url_path=BASE, run_dir=tmp_path_factory.mktemp("replicas")) as c:
        yield c


# `browser` is the session-wide Chromium of tests/conftest.py (one Playwright per process).


class Session:
    """A browser context on the proxy that records upstreams, websockets and Streamlit messages."""

    def __init__(self, browser, cluster, cookies=None):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._ForwardMsg = ForwardMsg
        self.cluster = cluster
        self.offsite = OffsiteGuard()
        self.ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        if cookies:
            self.ctx.add_cookies(cookies)
        self.ctx.route("**/*", self.offsite)
        self.page = self.ctx.new_page()
        self.upstreams: list[str] = []
        self.urls: dict[str, int] = {}
        self.websockets: list[str] = []
        self.session_ids: list[str] = []
        self.finished = 0
        self.page.on("response", self._response)
        self.page.on("websocket", self._websocket)

    def _response(self, response):
        if response.url.startswith(self.cluster.origin):
            self.urls[response.url.split("?")[0]] = response.status
            if up := response.headers.get("x-atlas-upstream"):
                self.upstreams.append(up)

    def _websocket(self, ws):
        self.websockets.append(ws.url)
        ws.on("framereceived", self._frame)

    def _frame(self, payload):
        if isinstance(payload, str):
            return
        msg = self._ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not a ForwardMsg: ignore
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session" and msg.new_session.initialize.session_id:
            self.session_ids.append(msg.new_session.initialize.session_id)
        elif kind == "script_finished":
            self.finished += 1

    def sticky(self) -> str:
        return next(c["value"] for c in self.ctx.cookies() if c["name"] == "atlas_sticky")

    def xsrf(self) -> str:
        return next(c["value"] for c in self.ctx.cookies() if c["name"] == "_streamlit_xsrf")

    def wait_map(self):
        self.page.wait_for_selector(MAP_IFRAME, timeout=60_000)
        frame = self.page.frame_locator(MAP_IFRAME)
        frame.locator(".leaflet-container").wait_for(timeout=60_000)
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)

    def wait_runs(self, at_least: int, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while len(self.session_ids) < at_least:
            assert time.monotonic() < deadline, f"only {len(self.session_ids)} script runs, wanted {at_least}"
            self.page.wait_for_timeout(100)

    def close(self):
        self.ctx.close()
        assert not self.offsite.blocked, f"requests left 127.0.0.1: {self.offsite.blocked[:5]}"


def _get(url: str, cookie: str | None = None) -> tuple[int, str, str]:
    req = urllib.request.Request(url, headers={"Cookie": f"atlas_sticky={cookie}"} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("X-Atlas-Upstream", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("X-Atlas-Upstream", ""), e.read().decode()


def _ws_log_lines(cluster, sticky: str) -> list[str]:
    log = Path(cluster.run_dir) / "access.log"
    return [ln for ln in log.read_text().splitlines() if f"/{BASE}/_stcore/stream" in ln and f"sticky={sticky}" in ln]


def test_proxy_spreads_browsers_and_keeps_each_on_one_replica(cluster):
    health = cluster.url + "_stcore/health"
    fresh = {_get(health)[1] for _ in range(30)}  # no cookie: a new random key each time
    assert fresh == {n.addr for n in cluster.nodes}, fresh
    key = secrets.token_hex(16)
    pinned = {_get(health, key)[1] for _ in range(20)}
    assert len(pinned) == 1, pinned


def test_websocket_session_stays_on_one_replica_across_reruns(cluster, browser):
    s = Session(browser, cluster)
    s.page.goto(cluster.url)
    s.wait_map()
    leaflet_js = f"{cluster.url}app/static/vendor/leaflet/leaflet.js"
    assert s.urls.get(leaflet_js) == 200, sorted(u for u in s.urls if "vendor" in u)
    start = len(s.session_ids)  # Streamlit sends NewSession at the start of every script run
    nav = s.page.get_by_test_id("stSidebarNav")
    for name, selector in (
        ("Timeline", "[data-testid=stVegaLiteChart]"),
        ("Installations", "[data-testid=stDataFrame]"),
        ("Sources & methodology", "[data-testid=stDataFrame]"),
        ("Map", MAP_IFRAME),
    ):
        runs = len(s.session_ids)
        nav.get_by_role("link", name=name).click()
        s.wait_runs(runs + 1)
        s.page.locator(selector).first.wait_for(timeout=60_000)
    assert len(s.session_ids) >= start + 4
    # fresh HTTP requests from the page carry the cookie too
    for _ in range(5):
        s.page.evaluate(f"() => fetch('/{BASE}/_stcore/health').then(r => r.text())")
    sticky, runs = s.sticky(), len(s.session_ids)
    assert s.page.get_by_test_id("stException").count() == 0
    s.close()
    assert len(s.websockets) == 1, s.websockets  # one connection, never re-opened
    assert len(set(s.session_ids)) == 1, s.session_ids
    assert len(set(s.upstreams)) == 1, set(s.upstreams)
    upstream = s.upstreams[0]
    deadline = time.monotonic() + 10
    while not (lines := _ws_log_lines(cluster, sticky)) and time.monotonic() < deadline:
        time.sleep(0.2)  # nginx logs the websocket when it closes
    assert len(lines) == 1 and f"upstream={upstream} " in lines[0] and '" 101 ' in lines[0], lines
    print(
        f"\nsession {s.session_ids[0]}: {runs} script runs ({s.finished} finished), {len(s.upstreams)} HTTP responses, "
        f"1 websocket, all on {upstream}"
    )


def _other_replica_cookie(cluster, upstream: str) -> str:
    for _ in range(200):
        key = secrets.token_hex(16)
        if _get(cluster.url + "_stcore/health", key)[1] not in ("", upstream):
            return key
    raise AssertionError("no cookie maps to the other replica")


UPLOAD_JS = """async ([url, token, size]) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(size)], {type: 'application/octet-stream'}), 'overlay.bin');
    const r = await fetch(url, {method: 'PUT', body: form, headers: {'X-Xsrftoken': token}});
    return [r.status, r.headers.get('x-atlas-upstream') || ''];
}"""


def test_upload_goes_through_the_proxy_to_the_sessions_replica(cluster, browser):
    s = Session(browser, cluster)
    s.page.goto(cluster.url)
    s.wait_map()
    session_id, token, home = s.session_ids[-1], s.xsrf(), s.upstreams[-1]
    url = f"/{BASE}/_stcore/upload_file/{session_id}/deploy-test-file"
    five_mb = 5 * 1024 * 1024  # above nginx's default 1 MB body limit
    status, upstream = s.page.evaluate(UPLOAD_JS, [url, token, five_mb])
    assert (status, upstream) == (204, home)
    status, upstream = s.page.evaluate(UPLOAD_JS, [url, token, 25 * 1024 * 1024])
    assert status == 413 and upstream == ""  # refused by nginx (client_max_body_size 20m), never proxied
    # The same upload routed to the other replica: Streamlit does not know the session there.
    other = _other_replica_cookie(cluster, home)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n" + b"0" * 1024 + b"\r\n--b--\r\n"
    )
    req = urllib.request.Request(
        cluster.origin + url,
        data=body,
        method="PUT",
        headers={
            "Content-Type": "multipart/form-data; boundary=b",
            "X-Xsrftoken": token,
            "Cookie": f"atlas_sticky={other}; _streamlit_xsrf={token}",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 400 and "sticky sessions" in err.value.read().decode()
    s.close()


def _uploader_page() -> str | None:
    """Title (in app.py's st.navigation) of a page with st.file_uploader, if there is one."""
    app = (ROOT / "app.py").read_text()
    for page in sorted((ROOT / "pages").glob("*.py")):
        if "st.file_uploader" in page.read_text() and (
            m := re.search(rf'st\.Page\(\s*"pages/{re.escape(page.name)}"\s*,\s*title="([^"]+)"', app)
        ):
            return m.group(1)
    return None


GEOJSON = (
    b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Yerevan"}, '
    b'"geometry": {"type": "Point", "coordinates": [44.51, 40.18]}}]}'
)


def test_file_uploader_page_through_the_proxy(cluster, browser):
    title = _uploader_page()
    if title is None:
        pytest.skip("no page with st.file_uploader (the upload endpoint is covered by the test above)")
    s = Session(browser, cluster)
    puts: list[tuple[int, str]] = []
    s.page.on(
        "response",
        lambda r: (
            puts.append((r.status, r.headers.get("x-atlas-upstream", "")))
            if r.request.method == "PUT" and "/_stcore/upload_file/" in r.url
            else None
        ),
    )
    s.page.goto(cluster.url)
    s.wait_map()
    s.page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    s.page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "deploy-test.geojson", "mimeType": "application/geo+json", "buffer": GEOJSON}]
    )
    s.page.get_by_text("Overlays in this session (1)").wait_for(timeout=30_000)
    assert s.page.get_by_test_id("stException").count() == 0
    assert puts and set(puts) == {(204, s.upstreams[0])}, puts
    assert len(set(s.upstreams)) == 1 and len(s.websockets) == 1
    s.close()


def test_stopping_one_replica_leaves_the_other_serving(cluster, browser):
    s = Session(browser, cluster)
    s.page.goto(cluster.url)
    s.wait_map()
    cookies, home = s.ctx.cookies(), s.upstreams[-1]
    s.close()
    index = next(i for i, n in enumerate(cluster.nodes) if n.addr == home)
    survivor = cluster.nodes[1 - index].addr
    cluster.stop_replica(index)
    for key in (None, cookies and next(c["value"] for c in cookies if c["name"] == "atlas_sticky")):
        for _ in range(5):
            status, upstream, body = _get(cluster.url + "_stcore/health", key)
            assert status == 200 and body == "ok" and upstream.split(", ")[-1] == survivor, (status, upstream)
    # a returning browser whose cookie points at the stopped replica, and a new one
    for jar in (cookies, None):
        t = Session(browser, cluster, cookies=jar)
        t.page.goto(cluster.url)
        t.wait_map()
        assert t.page.get_by_test_id("stException").count() == 0
        assert {u.split(", ")[-1] for u in t.upstreams} == {survivor}
        t.close()
    assert re.search(r"connect\(\) failed .*" + re.escape(home), (Path(cluster.run_dir) / "error.log").read_text())
