"""The cartography scene (issue 14): one place decides colours, patterns, symbols and legend
words, and every output — Leaflet layers, the legend HTML, the static PNG/SVG/PDF — draws it."""

from __future__ import annotations

import ast
import datetime as dt
import html
import json
import re
from pathlib import Path

import folium
import pandas as pd
import pytest

from alliance_atlas.cartography import popups, scene, style
from alliance_atlas.data import loading, schema
from alliance_atlas.data.schema import Filters
from alliance_atlas.renderers import leaflet_layers, leaflet_map, leaflet_view, print_base, printed
from tests.unit.test_layers import resolved

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
VIEW = Filters(date=D(2015, 1, 1), alliances=("CSTO", "RUS_BILATERAL"))


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


def held_from_csv(day: dt.date, org: str) -> dict[str, str]:
    """iso3 -> status in ``org`` on ``day``, read straight from memberships.csv (not through the app)."""
    mem = pd.read_csv(ROOT / "data" / "memberships.csv", dtype=str, keep_default_na=False)
    out = {}
    for r in mem[mem["organization"] == org].itertuples():
        start = r.start + "-01-01"[len(r.start) - 4 :] if len(r.start) < 10 else r.start
        end = r.end + "-12-31"[len(r.end) - 4 :] if r.end and len(r.end) < 10 else r.end
        if start <= day.isoformat() and (not end or day.isoformat() < end) and r.status != "withdrawn":
            out[r.iso3] = r.status
    return out


def test_state_looks_follow_the_memberships(shipped):
    sc = scene.build(shipped, VIEW)
    csto, bil = held_from_csv(VIEW.date, "CSTO"), held_from_csv(VIEW.date, "RUS_BILATERAL")
    looks = {a.id: a.look for a in sc.states}
    assert set(looks) == set(shipped.states["iso3"])
    for iso3, look in looks.items():
        first = "CSTO" if iso3 in csto else "RUS_BILATERAL" if iso3 in bil else None
        if first is None:
            assert look.fill == "#FFFFFF" and look.pattern is None, iso3
            continue
        status = (csto if first == "CSTO" else bil)[iso3]
        assert look.fill == style.ORG_COLOURS[first], iso3
        assert look.fill_opacity == style.STATUS_LOOK[status]["fillOpacity"], iso3
        both = iso3 in csto and iso3 in bil
        assert (look.pattern is not None) == both, iso3
        if both:
            assert (look.pattern.colour, look.pattern.space_colour) == (
                style.ORG_COLOURS["RUS_BILATERAL"],
                style.ORG_COLOURS["CSTO"],
            )
    assert looks["ARM"].pattern is not None  # Armenia: CSTO and its 1995 basing treaty with Russia


def test_legend_lists_only_what_is_drawn_in_plain_words(shipped):
    sc = scene.build(shipped, VIEW)
    groups = {g.title: [e.label for e in g.entries] for g in sc.legend}
    names = schema.org_names(shipped.organizations)
    assert groups["Alliances"][:2] == [names["CSTO"], names["RUS_BILATERAL"]]
    drawn_status = {a.look.fill_opacity for a in sc.states if a.look.fill != "#FFFFFF"}
    assert {
        style.STATUS_LOOK[s]["fillOpacity"] for s, lab in schema.MEMBERSHIP_STATUSES.items() if lab in groups["Status"]
    } == drawn_status
    on = {a.look.pattern.angle for a in sc.territories}
    assert {
        scene.territory_look(s).pattern.angle
        for s, lab in schema.TERRITORY_STATUSES.items()
        if lab in groups["Contested territory"]
    } == on
    kinds = {m.kind for m in sc.marks}
    assert groups["Installations"] == [lab for k, lab in schema.INSTALLATION_KINDS.items() if k in kinds]
    words = " ".join(scene.legend_words(sc.legend))
    assert not re.search(r"\b[A-Z]+_[A-Z_]+\b|\b[a-z]+_[a-z_]+\b", words), words  # no raw ids


def test_each_status_and_kind_has_its_own_pattern_and_symbol():
    pats = [scene.territory_look(s).pattern for s in schema.TERRITORY_STATUSES]
    assert len({(p.angle, p.weight, p.space, p.hatch) for p in pats}) == len(pats)
    shapes = [scene.KIND_SHAPES[k] for k in schema.INSTALLATION_KINDS]
    assert len(set(shapes)) == len(shapes)
    phases = [scene.symbol("radar", p, "#000") for p in scene.PHASES]
    assert len({(s.filled, s.dash, s.opacity) for s in phases}) == len({*scene.PHASE_WORDS.values()})


def test_web_layers_draw_the_scene(shipped):
    sc = scene.build(shipped, VIEW)
    fg = leaflet_layers.states_layer(shipped, VIEW.date, VIEW.alliances)
    feats = {
        f["properties"]["id"]: f["properties"]["_s"]
        for c in fg._children.values()
        if isinstance(c, leaflet_map.Features)
        for f in resolved(json.loads(c.data.replace("<\\/", "</")))
    }
    for a in sc.states:
        assert feats[a.id]["fillColor"] == (a.look.fill or "#FFFFFF") and feats[a.id]["dashArray"] == a.look.dash
        assert ("pat" in feats[a.id]) == (a.look.pattern is not None)
    rus, nato, _ = leaflet_layers.installations_layers(shipped, VIEW.date)
    drawn = {}

    def walk(el):
        for c in el._children.values():
            if isinstance(c, leaflet_layers.Markers):
                icons = json.loads(c.icons.replace("<\\/", "</"))
                drawn.update({d["id"]: icons[d["h"]] for d in json.loads(c.data.replace("<\\/", "</"))})
            walk(c)

    walk(rus)
    walk(nato)
    assert drawn == {m.id: popups.symbol_html(m.symbol, m.kind, m.phase) for m in sc.marks}


def _web_legend_words(legend_html: str) -> list[str]:
    rows = re.findall(r"<div>(?:<span class='sw'[^>]*></span>|<img class='atlas-mk[^>]*>) (.*?)</div>", legend_html)
    return [html.unescape(r) for r in rows]


@pytest.mark.parametrize(
    "f", [VIEW, Filters(date=D(2026, 11, 25)), Filters(date=D(2020, 1, 1), alliances=("NATO",), show_historic=True)]
)
def test_png_legend_words_equal_the_web_legend(shipped, f):
    web = _web_legend_words(leaflet_view.build(shipped, f, legend_on_map=False).legend_html)
    fig = printed.render_map(shipped, f, title="t", size=(960, 540))
    assert web and web == printed.legend_labels(fig)


def test_print_markers_are_the_scene_shapes(shipped):
    fig = printed.render_map(shipped, VIEW, title="t", size=(960, 540))
    lines = [ln for ln in fig.axes[0].lines if str(ln.get_gid()).startswith("installations:")]
    assert lines
    for ln in lines:
        _, _op, kind, _phase = ln.get_gid().split(":")
        assert ln.get_marker() == print_base.MPL_MARKERS[scene.KIND_SHAPES[kind]], kind


RULES = {
    "ORG_COLOURS",
    "org_colour",
    "STATUS_LOOK",
    "TERRITORY_LOOK",
    "TERRITORY_COLOUR",
    "OPERATOR_COLOURS",
    "CONTROL_STYLE",
    "POST_SOVIET_OUTLINE",
    "BASE_STATE",
    "HIGHLIGHT_COLOUR",
    "KIND_SHAPES",
}
RENDERERS = (
    *(f"renderers/{p.name}" for p in (ROOT / "alliance_atlas" / "renderers").glob("*.py")),
    "cartography/popups.py",
)


def rule_uses(path: Path) -> list[str]:
    """Styling rules a module reads from ``style`` (attributes of the style module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "style" and n.attr in RULES
    ]


def test_renderers_take_their_rules_from_the_scene_only():
    offenders = {name: rule_uses(ROOT / "alliance_atlas" / name) for name in RENDERERS}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert rule_uses(ROOT / "alliance_atlas" / "cartography" / "scene.py")  # the detector finds them where they belong


def test_a_pattern_runs_the_same_way_on_the_map_in_the_legend_and_in_print():
    # the side legend's swatches turned 0° and 90° patterns a quarter turn: "Leased to Russia" showed
    # vertical bars, and Kaliningrad (an exclave, vertical bars on the map) read as leased; the print
    # drew every diagonal mirrored ("/" where the map had "\")
    hatch_angle = {"/": 45, "\\": -45, "-": 0, "|": 90}
    patterns = {s: scene.territory_look(s).pattern for s in style.TERRITORY_LOOK}
    patterns["two alliances"] = scene.stripes("#111111", "#222222")
    fg = folium.FeatureGroup()
    drawn = leaflet_layers._add_patterns(fg, list(patterns.values()))
    for (name, p), svg in zip(patterns.items(), drawn.values(), strict=True):
        css = re.search(
            r"repeating-linear-gradient\((-?\d+)deg",
            popups.swatch_html(scene.Entry(name, scene.Look(None, 0.0, "#000000", 1.0, None, p))),
        )
        assert css, name
        seen = {
            "map (SVG rotate, clockwise)": -float(svg.options["angle"]),
            "legend (CSS gradient, clockwise)": -float(css.group(1)),
            "print (matplotlib hatch)": hatch_angle[p.hatch[0]],
        }
        assert len({a % 180 for a in seen.values()}) == 1, (name, seen)
    assert patterns["leased"].angle % 180 != patterns["exclave"].angle % 180
