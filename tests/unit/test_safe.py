"""Escaping: HTML, JS template literals, URLs, markdown; and the rendered map carries no payload."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance_atlas import safe
from alliance_atlas.data import loading, schema
from alliance_atlas.renderers import leaflet_view
from tests import fixtures, hostile

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(2)>",
    "${alert(3)}",
    "`",
    "</script><script>alert(4)</script>",
    "javascript:alert(5)",
    "\\u0060${x}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_esc_leaves_no_active_character(payload):
    out = safe.esc(payload)
    assert not set("<>`$\\\"'") & set(out)


def test_safe_url_refuses_other_schemes():
    assert safe.safe_url("javascript:alert(1)") is None
    assert safe.safe_url("data:text/html,hi") is None
    assert safe.safe_url("https://example.org/?a=1&b=<x>") == "https://example.org/?a=1&amp;b=&lt;x&gt;"
    assert safe.link("javascript:alert(1)", "<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_md_escapes_markdown_and_html():
    out = safe.md("[x](javascript:alert(1)) <b>$y$</b>")
    assert "\\[" in out and "\\<" in out and "\\$" in out


def test_rendered_map_has_no_unescaped_payload(tmp_path):
    atlas = loading.load(fixtures.write_data(tmp_path / "d", **hostile.hostile_tables()))
    f = schema.Filters(date=dt.date(2025, 1, 1), alliances=("CSTO", "NATO"), show_historic=True)
    html = leaflet_view.full_map(atlas, f).get_root().render()
    assert "Base A" in html and "Territory X" in html  # the hostile rows are drawn
    assert "<img src=x" not in html
    assert "${window.top.pwned" not in html
    assert "</script> " not in html
    assert "Q`Q" not in html


def test_the_check_above_would_catch_an_unescaped_name(tmp_path, monkeypatch):
    """Mutation check: with escaping switched off the same render shows the payload."""
    from alliance_atlas.cartography import popups

    monkeypatch.setattr(popups, "esc", lambda v: "" if v is None else str(v))
    atlas = loading.load(fixtures.write_data(tmp_path / "d", **hostile.hostile_tables()))
    html = leaflet_view.full_map(atlas, schema.Filters(date=dt.date(2025, 1, 1))).get_root().render()
    assert "<img src=x" in html and "${window.top.pwned" in html and "Q`Q" in html


def test_md_keeps_the_spaces_around_a_piece_of_running_text():
    from alliance_atlas.safe import md

    assert md(" and then ", keep_edges=True) == " and then "
    assert md("May 1992", keep_edges=True) == "May 1992"
    assert md("\n  spaced\n", keep_edges=True) == " spaced "
    assert md(" x ") == "x"  # the default still folds and trims
