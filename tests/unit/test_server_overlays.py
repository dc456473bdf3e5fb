"""Team overlay folder ($ATLAS_OVERLAY_DIR) read within bounds (issue 15 point 4): the size is
checked before opening, the read never goes past limit + 1 byte, links and anything resolving
outside the folder are refused with a message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from alliance_atlas import uploads
from tests import fixtures
from tests.conftest import ROOT

MB = 1024 * 1024
GOOD = fixtures.point_geojson("Yerevan", 44.51, 40.18).encode()


@pytest.fixture
def team(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "good.geojson").write_bytes(GOOD)
    with (folder / "big.geojson").open("wb") as fh:
        fh.truncate(300 * MB)  # sparse: 300 MB by size, nothing on disk
    (folder / "inside-link.geojson").symlink_to(folder / "good.geojson")
    (folder / "big-link.geojson").symlink_to(folder / "big.geojson")
    outside = tmp_path / "secret.csv"
    outside.write_text("name,lat,lon\nsecret,40,44\n")
    (folder / "outside.csv").symlink_to(outside)
    (folder / "notes.txt").write_text("not offered")
    (folder / "dir.json").mkdir()
    return folder


def test_listing_offers_overlay_files_only(team):
    assert uploads.server_files(team) == [
        "big-link.geojson",
        "big.geojson",
        "good.geojson",
        "inside-link.geojson",
        "outside.csv",
    ]
    assert uploads.server_files(None) == [] and uploads.server_files(team / "missing") == []


def test_a_plain_file_is_read(team):
    assert uploads.read_server_file(team, "good.geojson") == (GOOD, "")
    result = uploads.load_overlay(uploads.read_server_file(team, "good.geojson")[0], "good.geojson", strict=True)
    assert result.ok and result.loaded == 1


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("big.geojson", "300 MB; the limit is 20 MB"),
        ("inside-link.geojson", "it is a link"),
        ("big-link.geojson", "it is a link"),
        ("outside.csv", "it is a link"),
        ("../secret.csv", "not a plain file name"),
        ("dir.json", "not a regular file"),
        ("missing.csv", "no longer in the team folder"),
        ("", "not a plain file name"),
    ],
)
def test_refusals_say_why(team, name, words):
    data, message = uploads.read_server_file(team, name, uploads.Limits())
    assert data is None and words in message and message.startswith("Not added")


def test_a_folder_reached_through_a_link_is_fine_but_names_cannot_escape_it(team, tmp_path):
    alias = tmp_path / "alias"
    alias.symlink_to(team)  # the configured folder itself may be a link (an admin's choice)
    assert uploads.read_server_file(alias, "good.geojson") == (GOOD, "")
    assert uploads.read_server_file(alias, "sub/../good.geojson")[0] is None


def test_the_read_stops_at_the_limit_even_if_the_file_grew_after_stat(team, monkeypatch):
    """stat() says small, the file is big: os.read is asked for limit + 1 bytes at most."""
    limits = uploads.Limits(max_bytes=1000)
    real_lstat, real_read, asked = os.lstat, os.read, []

    def lstat(path, *a, **k):
        st = real_lstat(path, *a, **k)
        if str(path).endswith("big.geojson"):
            return os.stat_result(
                (
                    st.st_mode,
                    st.st_ino,
                    st.st_dev,
                    st.st_nlink,
                    st.st_uid,
                    st.st_gid,
                    10,
                    int(st.st_atime),
                    int(st.st_mtime),
                    int(st.st_ctime),
                )
            )
        return st

    def read(fd, n):
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.setattr(os, "read", read)
    data, message = uploads.read_server_file(team, "big.geojson", limits)
    assert data is None and "larger than the limit of" in message
    assert sum(asked) == 1001, asked


PEAK = textwrap.dedent("""
    import json, sys
    from alliance_atlas import uploads

    def peak_kb():  # VmHWM: this process's peak RSS (per address space; ru_maxrss would inherit the parent's)
        return int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1])

    before = peak_kb()
    out = [uploads.read_server_file(sys.argv[1], n, uploads.Limits())[1]
           for n in ("big.geojson", "big-link.geojson", "outside.csv")]
    print(json.dumps({"grew_kb": peak_kb() - before, "messages": out}))
""")


def test_peak_memory_stays_flat_on_a_300_mb_file_and_a_link_to_it(team):
    """In a fresh interpreter (its own peak RSS): refusing the sparse 300 MB file and the
    link to it raises the process's peak by less than 50 MB."""
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, str(team)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert all(m.startswith("Not added") for m in got["messages"]), got
    assert got["grew_kb"] < 50 * 1024, got
