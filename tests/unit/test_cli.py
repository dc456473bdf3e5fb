"""The analysts' command line, run as a subprocess like they would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import fixtures

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env_dir: Path | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    env.pop("ATLAS_DATA_DIR", None)
    if env_dir is not None:
        env["ATLAS_DATA_DIR"] = str(env_dir)
    return subprocess.run([sys.executable, "-m", "alliance_atlas", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_validate_ok_prints_counts(fixture_dir):
    r = run("validate", str(fixture_dir))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "installations.csv" in r.stdout and f"{len(fixtures.INSTALLATIONS)} rows" in r.stdout


def test_validate_lists_every_problem_and_exits_1(tmp_path):
    rows = [dict(r) for r in fixtures.MEMBERSHIPS]
    rows[0]["status"] = "ally"
    rows[1]["sources"] = "ghost"
    folder = fixtures.write_data(tmp_path / "d", memberships=rows)
    r = run("validate", str(folder))
    assert r.returncode == 1
    assert "memberships.csv, row 2, column status" in r.stdout
    assert "memberships.csv, row 3, column sources" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_validate_uses_env_dir(fixture_dir):
    assert run("validate", env_dir=fixture_dir).stdout.startswith(f"OK: {fixture_dir}")


def test_members_json(fixture_dir):
    r = run("members", "CSTO", "--on", "2013-06-01", "--json", "--data-dir", str(fixture_dir))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [
        {"iso3": "ARM", "status": "member"}, {"iso3": "RUS", "status": "member"}, {"iso3": "UZB", "status": "suspended"},
    ]


def test_members_bad_date_is_a_message(fixture_dir):
    r = run("members", "CSTO", "--on", "yesterday", "--data-dir", str(fixture_dir))
    assert r.returncode == 2 and "YYYY" in r.stderr and "Traceback" not in r.stderr


def test_export_geojson_and_csv(fixture_dir, tmp_path):
    out = tmp_path / "layers.geojson"
    r = run("export", "--format", "geojson", "--on", "2013-01-01", "--out", str(out), "--data-dir", str(fixture_dir))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    layers = [f["properties"]["layer"] for f in doc["features"]]
    assert layers.count("state") == len(fixtures.STATES)
    assert layers.count("territory") == 1  # terr-y starts in 2014
    uzb = next(f for f in doc["features"] if f["properties"].get("iso3") == "UZB")
    assert uzb["properties"]["memberships"] == [{"organization": "CSTO", "status": "suspended"}]
    r = run("export", "--format", "csv", "--on", "2013-01-01", "--data-dir", str(fixture_dir))
    header, *rows = r.stdout.strip().splitlines()
    assert header.startswith("id,name,") and len(rows) == 3  # bg-est not yet in 2013
