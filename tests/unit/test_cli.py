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
    return subprocess.run(
        [sys.executable, "-m", "alliance_atlas", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


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
        {"iso3": "ARM", "status": "member"},
        {"iso3": "RUS", "status": "member"},
        {"iso3": "UZB", "status": "suspended"},
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


def test_sources_quality_prints_the_breakdown(tmp_path):
    # src-a primary, src-b reputable, src-c a copy registered at src-b's address (with www. and a slash)
    sources = [
        *fixtures.SOURCES,
        {
            "id": "src-c",
            "publisher": "Mirror",
            "title": "Copy of B",
            "url": "http://www.example.org/b/",
            "published": "",
            "accessed": "2026-11-25",
            "tier": "copy",
        },
    ]
    events = [dict(fixtures.EVENTS[0], sources="src-c")]  # one row resting on a copy alone
    folder = fixtures.write_data(tmp_path / "d", sources=sources, events=events)
    r = run("sources", "--quality", "--data-dir", str(folder))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    # citations: src-a 14 (org 1, memberships 7, installations 4, territories 2), src-b 3, src-c 1 -> 18
    assert "Citations by tier (18 citations in 18 rows):" in out
    assert "  primary          14   77.8%" in out
    assert "  reputable         3   16.7%" in out
    assert "  copy              1    5.6%" in out
    assert "Sources by tier (3 sources, 0 cited by no row):" in out
    assert "Rows resting on copies alone: 1\n  events.csv: ev-1" in out
    assert "URLs registered under more than one id: 1\n  src-b, src-c  (example.org/b)" in out


def test_sources_stale_lists_rows_older_than_the_limit(tmp_path):
    inst = [dict(r) for r in fixtures.INSTALLATIONS]
    inst[1]["last_verified"] = "2025-06-30"
    inst[2]["last_verified"] = "2024-01"
    folder = fixtures.write_data(tmp_path / "d", installations=inst)
    r = run("sources", "--stale", "--today", "2026-12-07", "--data-dir", str(folder))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "2 row(s) last verified before 2025-12-07 (12 months before 2026-12-07):"
    assert lines[1:] == [
        "  2024-01     installations.csv: bg-est (Battlegroup Estonia)",
        "  2025-06-30  installations.csv: radar-b (Radar B)",
    ]
    r = run("sources", "--stale", "--months", "36", "--today", "2026-12-07", "--data-dir", str(folder))
    assert r.stdout.strip() == "All rows verified in the last 36 months (since 2023-12-07)."
    # the limit is inclusive of the cut-off day: verified exactly 12 months ago is not stale
    r = run("sources", "--stale", "--today", "2026-06-30", "--data-dir", str(folder))
    assert "radar-b" not in r.stdout and "bg-est" in r.stdout


def test_sources_bad_arguments_are_messages(fixture_dir):
    for args in (["--stale", "--today", "2026-02-30"], ["--stale", "--months", "a year"]):
        r = run("sources", *args, "--data-dir", str(fixture_dir))
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    r = run("sources", "--data-dir", str(fixture_dir / "nowhere"))
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_output_to_a_reader_that_stops_early_ends_without_a_traceback():
    """`python -m alliance_atlas sources --quality | head -1`: the pipe closes while lines are still written."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "alliance_atlas", "sources", "--quality"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()  # the reader goes away before the report is finished
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipeError" not in err
