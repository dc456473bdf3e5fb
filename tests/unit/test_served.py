"""Map data that is the same for every view travels as static files named by content hash (issue 15.7):
a rerun carries only the view's styles, tooltips and markers; exports keep everything inline."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil

import pytest

from alliance_atlas.data import loading, schema
from alliance_atlas.renderers import assets, leaflet_layers, leaflet_map, leaflet_view, served, standalone

D = dt.date
REAL_STATIC = assets.STATIC_DIR


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


@pytest.fixture
def static(tmp_path, monkeypatch):
    monkeypatch.setattr(assets, "STATIC_DIR", tmp_path)
    return tmp_path


def _scripts(m) -> str:
    return "".join(re.findall(r"<script>(.*?)</script>", m.get_root().render(), flags=re.S))


def test_unchanging_shapes_are_files_named_by_content(shipped, static):
    m = leaflet_view.full_map(shipped, schema.Filters(date=D(2026, 11, 25)), "/x/app/static/", with_popups=False)
    text = _scripts(m)
    urls = re.findall(r'"/x/app/static/(atlas/[a-z]+-[0-9a-f]{16}\.json)"', text)
    names = {u.split("/")[1].rsplit("-", 1)[0] for u in urls}
    assert {"land", "labels", "states", "territories", "control"} <= names
    for rel in urls:
        body = (static / rel).read_text(encoding="utf-8")
        json.loads(body)
        assert rel.endswith(hashlib.sha256(body.encode()).hexdigest()[:16] + ".json")
    # the shapes are in the files, not in the script sent with the view
    states = json.loads((static / next(u for u in urls if "/states-" in u)).read_text())
    assert set(states) == set(shipped.states["iso3"])
    assert json.dumps(states["ARM"]["coordinates"][0][0][:2], separators=(",", ":"))[1:-1] not in text


def test_a_data_edit_gives_new_names_and_keeps_the_old_files(shipped, static, tmp_path_factory):
    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(shipped.data_dir, folder)
    before = loading.load(folder)
    old = leaflet_map.base_map(before, prefix="/app/static/")
    old_text = _scripts(old)
    path = folder / "states.geojson"
    geo = json.loads(path.read_text(encoding="utf-8"))
    next(f for f in geo["features"] if f["properties"]["iso3"] == "ARM")["properties"]["name"] = "Armenia (edited)"
    path.write_text(json.dumps(geo), encoding="utf-8")
    after = loading.load(folder)
    new_text = _scripts(leaflet_map.base_map(after, prefix="/app/static/"))
    old_labels = re.search(r'"/app/static/(atlas/labels-[0-9a-f]+\.json)"', old_text)[1]
    new_labels = re.search(r'"/app/static/(atlas/labels-[0-9a-f]+\.json)"', new_text)[1]
    assert old_labels != new_labels and (static / old_labels).is_file()
    assert "Armenia (edited)" in (static / new_labels).read_text(encoding="utf-8")


def test_unwritable_folder_falls_back_to_inline(shipped, static):
    (static / served.FOLDER).write_text("not a folder")  # mkdir fails: nothing can be written there
    fresh = loading.load()
    text = _scripts(leaflet_map.base_map(fresh, prefix="/app/static/"))
    assert "static/atlas/" not in text and "atlasLoad(" not in text
    assert len(text) > 60_000  # land and names are inline again


def test_standalone_html_depends_on_no_static_file(shipped, static):
    (static / "vendor").symlink_to(REAL_STATIC / "vendor")  # the Leaflet files it inlines
    html = standalone.standalone_html(shipped, schema.Filters(date=D(2025, 1, 1), alliances=("CSTO", "NATO")))
    assert "static/atlas" not in html and "atlasLoad(" not in html
    assert not list(static.glob("atlas/*"))


def test_a_rerun_without_a_prefix_inlines_every_shape(shipped):
    """Layers asked for without a prefix (tests, exports) carry their geometry themselves."""
    fg = leaflet_layers.states_layer(shipped, D(2026, 11, 25), ("CSTO",))
    feats = [c for c in fg._children.values() if isinstance(c, leaflet_map.Features)]
    assert feats[0].geo.startswith("{") and not feats[0].geo_url
