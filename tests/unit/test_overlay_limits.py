"""Uploaded overlays within limits: size, features, time, problems and property names, each refused naming its setting."""

from __future__ import annotations

import json
import time

from alliance_atlas import uploads
from alliance_atlas.uploads import Limits
from tests.unit.overlay_checks import load_overlay

# -- limits ---------------------------------------------------------------------------


def points_geojson(n: int, pad: int = 0) -> bytes:
    extra = f',"pad":"{"x" * pad}"' if pad else ""
    body = ",".join(
        f'{{"type":"Feature","properties":{{"i":{i}{extra}}},"geometry":{{"type":"Point","coordinates":'
        f"[{20 + (i % 1000) * 0.05:.4f},{40 + (i // 1000) * 0.01:.4f}]}}}}"
        for i in range(n)
    )
    return f'{{"type":"FeatureCollection","features":[{body}]}}'.encode()


def test_limits_defaults_and_env():
    d = Limits()
    assert (d.max_bytes, d.max_features, d.max_seconds, d.max_property_chars, d.max_depth) == (
        20 * 1024 * 1024,
        50_000,
        5.0,
        10_000,
        20,
    )
    env = {"ATLAS_OVERLAY_MAX_MB": "2.5", "ATLAS_OVERLAY_MAX_FEATURES": "100", "ATLAS_OVERLAY_MAX_SECONDS": "0.5"}
    lim = Limits.from_env(env)
    assert (lim.max_bytes, lim.max_features, lim.max_seconds) == (int(2.5 * 1024 * 1024), 100, 0.5)
    assert (
        Limits.from_env(
            {"ATLAS_OVERLAY_MAX_MB": "lots", "ATLAS_OVERLAY_MAX_SECONDS": "-1", "ATLAS_OVERLAY_MAX_FEATURES": "nan"}
        )
        == Limits()
    )


def test_env_limits_are_used_by_default(monkeypatch):
    monkeypatch.setenv("ATLAS_OVERLAY_MAX_FEATURES", "3")
    res = load_overlay(points_geojson(4), "four.geojson")
    assert not res.ok and "limit is 3 (ATLAS_OVERLAY_MAX_FEATURES)" in res.message
    assert load_overlay(points_geojson(3), "three.geojson").ok


def test_too_big_file_is_refused_naming_the_limit(tmp_path):
    path = tmp_path / "big.geojson"
    path.write_bytes(points_geojson(2200, pad=10_000))
    data = path.read_bytes()
    assert 21 * 1024 * 1024 <= len(data) < 22 * 1024 * 1024
    t0 = time.monotonic()
    res = load_overlay(data, "big.geojson", Limits())
    assert time.monotonic() - t0 < 1.0
    assert not res.ok
    assert res.message == "File is 21 MB; the limit is 20 MB (ATLAS_OVERLAY_MAX_MB). Split the file or simplify it."
    assert load_overlay(data, "big.geojson", Limits(max_bytes=30 * 1024 * 1024)).ok  # only the size was wrong


def test_too_many_features_is_refused_naming_the_limit():
    # the feature limit is what is tested: a loaded machine must not hit the time limit first
    res = load_overlay(points_geojson(50_001), "many.geojson", Limits(max_seconds=600))
    assert not res.ok
    assert "50,001 features; the limit is 50,000 (ATLAS_OVERLAY_MAX_FEATURES)" in res.message
    rows = "lat,lon\n" + "40.1,44.5\n" * 50_001
    res = load_overlay(rows.encode(), "many.csv", Limits(max_seconds=600))
    assert not res.ok and "more than 50,000 rows" in res.message and "ATLAS_OVERLAY_MAX_FEATURES" in res.message


def test_slow_parse_is_refused_naming_the_limit():
    data = points_geojson(5000)
    res = load_overlay(data, "slow.geojson", Limits(max_seconds=1e-6))
    assert not res.ok and "ATLAS_OVERLAY_MAX_SECONDS" in res.message and "took more than" in res.message
    assert load_overlay(data, "slow.geojson", Limits()).ok  # the same file within the normal limit


def test_ten_thousand_point_csv_is_fast():
    lines = ["name,lat,lon"] + [f"p{i},{40 + (i % 100) * 0.1:.3f},{20 + (i // 100) * 0.5:.3f}" for i in range(10_000)]
    lim = Limits()
    t0 = time.monotonic()
    res = load_overlay("\n".join(lines).encode(), "points.csv", lim)
    took = time.monotonic() - t0
    assert res.ok and res.loaded == 10_000, res.message
    assert took < lim.max_seconds / 2, took


def test_problem_list_is_capped_but_counts_are_complete():
    rows = "lat,lon\n" + "95,44\n" * 500 + "40,44\n"
    res = load_overlay(rows.encode(), "bad.csv", Limits())
    assert res.ok and res.dropped == 500 and "500 dropped (500 with latitude outside ±90)" in res.message
    assert len(res.problems) == uploads.MAX_PROBLEMS + 1 and res.problems[-1].startswith("… and 300 more")


def test_too_many_property_names_are_ignored_with_a_note():
    feats = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [44, 40]}, "properties": {f"k{i}": i}}
        for i in range(600)
    ]
    res = load_overlay(json.dumps({"type": "FeatureCollection", "features": feats}).encode(), "wide.geojson", Limits())
    assert res.ok and len(res.gdf.columns) == 501 and "100 property names beyond the first 500 ignored" in res.message
