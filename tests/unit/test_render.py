"""Static rendering without a browser (alliance_atlas.renderers.printed): PNG/SVG of a view, briefing PDF.

Fixtures are built in code (tests/fixtures.py); a few tests use the shipped data."""

from __future__ import annotations

import ast
import datetime as dt
import io as _io
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib import image as mpimg
from matplotlib.colors import to_rgba
from matplotlib.patches import PathPatch

from alliance_atlas.cartography import scene, style
from alliance_atlas.data import loading, schema
from alliance_atlas.data.schema import Filters
from alliance_atlas.renderers import briefing_pdf, printed
from tests import fixtures

PHASE = {p: f"{schema.PHASE_NAMES[p]} ({scene.PHASE_WORDS[p]})" for p in scene.PHASES}

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
FROZEN = schema.MEMBERSHIP_STATUSES["participation_frozen"]
TRICKY = "Base $\\alpha$ <b>bold</b> & $5"
BAD_MATH = "costs $5 and $\\nosuchcommand{ $ <i>x</i>"  # mathtext would raise on this


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    return loading.load(fixtures.write_data(tmp_path_factory.mktemp("render") / "data"))


def png_pixels(data: bytes) -> np.ndarray:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return mpimg.imread(_io.BytesIO(data), format="png")


def patch(fig, gid: str) -> PathPatch:
    found = [p for p in fig.axes[0].patches if p.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0]


def marker_points(fig) -> dict[str, int]:
    return {
        ln.get_gid(): len(ln.get_xdata())
        for ln in fig.axes[0].lines
        if (ln.get_gid() or "").startswith("installations:")
    }


def count_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


# -- PNG / SVG ---------------------------------------------------------------------------
def test_png_has_requested_size_and_is_not_blank(atlas):
    fig = printed.render_map(atlas, Filters(date=D(2020, 1, 1)), title="Fixture", size=(800, 450), dpi=100)
    px = png_pixels(printed.to_png(fig))
    assert px.shape[:2] == (450, 800)
    assert float(px[..., :3].std()) > 0.05  # a blank page has (near) zero variance


def test_default_png_is_1920_by_1080(shipped):
    fig = printed.render_map(shipped, Filters(date=D(2025, 1, 1)), title="Default")
    px = png_pixels(printed.to_png(fig))
    assert px.shape[:2] == (1080, 1920)
    assert float(px[..., :3].std()) > 0.05


def test_svg_is_valid_xml(atlas):
    svg = printed.to_svg(printed.render_map(atlas, Filters(date=D(2020, 1, 1)), title="SVG", size=(640, 360)))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")


# -- colours and looks match the web map ---------------------------------------------------
def test_states_coloured_like_the_web_map(atlas):
    fig = printed.render_map(atlas, Filters(date=D(2025, 1, 1), alliances=("CSTO",)), title="t", size=(640, 360))
    rus, arm, est = patch(fig, "state:RUS"), patch(fig, "state:ARM"), patch(fig, "state:EST")
    csto = to_rgba(style.org_colour("CSTO"))[:3]
    assert rus.get_facecolor()[:3] == pytest.approx(csto)
    assert arm.get_facecolor()[:3] == pytest.approx(csto)
    assert rus.get_facecolor()[3] == pytest.approx(style.STATUS_LOOK["member"]["fillOpacity"])
    assert arm.get_facecolor()[3] == pytest.approx(style.STATUS_LOOK["participation_frozen"]["fillOpacity"])
    assert rus.get_linestyle() in ("-", "solid") and arm.get_linestyle() not in ("-", "solid")  # frozen: dashed
    assert est.get_facecolor()[:3] != pytest.approx(csto)  # NATO not selected: uncoloured


def test_second_alliance_is_drawn_as_stripes_in_its_colour(shipped):
    fig = printed.render_map(
        shipped,
        Filters(date=D(2015, 1, 1), alliances=("CSTO", "RUS_BILATERAL")),
        title="t",
        bounds=[[38, 42], [42, 48]],
        size=(640, 360),
    )
    stripes = patch(fig, "stripes:ARM")
    assert stripes.get_hatch() == "//"
    assert stripes.get_hatchcolor()[:3] == pytest.approx(to_rgba(style.org_colour("RUS_BILATERAL"))[:3])
    bilateral = shipped.organizations.set_index("id").loc["RUS_BILATERAL", "name"]
    assert f"CSTO and {bilateral} (stripes: second alliance)" in printed.legend_labels(fig)
    assert not [lab for lab in printed.legend_labels(fig) if "RUS_BILATERAL" in lab], "a raw id in the legend"


# -- the legend lists exactly what is drawn ------------------------------------------------
def test_legend_csto_2025_lists_frozen_armenia(shipped):
    fig = printed.render_map(shipped, Filters(date=D(2025, 1, 1), alliances=("CSTO",)), title="CSTO")
    labels = printed.legend_labels(fig)
    assert "CSTO" in labels
    assert FROZEN in labels
    assert "NATO" not in labels
    fig2013 = printed.render_map(shipped, Filters(date=D(2013, 1, 1), alliances=("CSTO",)), title="CSTO")
    assert FROZEN not in printed.legend_labels(fig2013)


def test_no_annexed_territory_before_crimea_2014(shipped):
    annexed = schema.TERRITORY_STATUSES["annexed"]
    before = printed.legend_labels(printed.render_map(shipped, Filters(date=D(2013, 1, 1)), title="t", size=(640, 360)))
    after = printed.legend_labels(printed.render_map(shipped, Filters(date=D(2015, 1, 1)), title="t", size=(640, 360)))
    assert not [lab for lab in before if lab.startswith("Annexed")]
    assert annexed in after


def test_installation_legend_matches_markers(atlas):
    f = Filters(date=D(2020, 1, 1), alliances=("CSTO", "NATO"))
    fig = printed.render_map(atlas, f, title="t", size=(640, 360))
    labels = set(printed.legend_labels(fig))
    drawn = marker_points(fig)
    assert drawn == {
        "installations:RUS:ground_base:active": 1,
        "installations:RUS:naval_base:active": 1,
        "installations:NATO:battlegroup:active": 1,
    }
    kinds = set(schema.INSTALLATION_KINDS.values()) & labels
    assert kinds == {"Ground forces base", "Naval base", "NATO battlegroup"}
    assert PHASE["active"] in labels and PHASE["closed"] not in labels

    hist = printed.render_map(
        atlas, Filters(date=D(2020, 1, 1), show_historic=True, kinds=("radar",)), title="t", size=(640, 360)
    )
    assert marker_points(hist) == {"installations:RUS:radar:closed": 1}
    labels = set(printed.legend_labels(hist))
    assert "Radar / early warning" in labels and PHASE["closed"] in labels
    assert "Ground forces base" not in labels and PHASE["active"] not in labels


def test_layers_and_regions_limit_what_is_drawn_and_listed(atlas):
    f = Filters(date=D(2020, 1, 1), alliances=("CSTO", "NATO"))
    only_states = printed.render_map(atlas, f, title="t", size=(640, 360), layers=("states",))
    assert marker_points(only_states) == {}
    labels = printed.legend_labels(only_states)
    assert "CSTO" in labels and "Exclave" not in labels and "Naval base" not in labels
    no_nato = printed.render_map(atlas, f, title="t", size=(640, 360), layers=("states", "installations"))
    assert "installations:NATO:battlegroup:active" not in marker_points(no_nato)
    assert "NATO battlegroup" not in printed.legend_labels(no_nato)

    baltic = printed.render_map(
        atlas, Filters(date=D(2020, 1, 1), alliances=("CSTO", "NATO"), regions=("baltic",)), title="t", size=(640, 360)
    )
    assert marker_points(baltic) == {"installations:NATO:battlegroup:active": 1}
    labels = printed.legend_labels(baltic)
    # a region fits the map and filters the installations; the states around it keep their colours
    # (Russia, of region "russia", beside the Baltic states, was left out: read as "not in the CSTO")
    assert "NATO" in labels and "CSTO" in labels
    assert [p for p in baltic.axes[0].patches if p.get_gid() == "state:RUS"]


def test_highlight_is_emphasised_and_listed(atlas):
    f = Filters(date=D(2020, 1, 1))
    plain = printed.render_map(atlas, f, title="t", size=(640, 360))
    assert "Highlighted" not in printed.legend_labels(plain)
    fig = printed.render_map(atlas, f, title="t", size=(640, 360), highlight=("base-a", "terr-x"))
    gids = {a.get_gid() for a in [*fig.axes[0].lines, *fig.axes[0].patches]}
    assert {"highlight:base-a", "highlight:terr-x"} <= gids
    assert "Highlighted" in printed.legend_labels(fig)
    assert {"Base A", "Territory X"} <= {t.get_text() for t in fig.axes[0].texts}


# -- extent, aspect and scale ----------------------------------------------------------------
def test_bounds_are_kept_with_true_aspect(shipped):
    fig = printed.render_map(shipped, Filters(date=D(2011, 7, 6)), title="t", bounds=[[40.0, 43.5], [41.0, 44.5]])
    w, e, s, n = fig.atlas_extent
    assert w <= 43.5 and e >= 44.5 and s <= 40.0 and n >= 41.0
    bbox = fig.axes[0].get_position(original=True)
    box_ratio = (bbox.width * 1920) / (bbox.height * 1080)
    assert (e - w) * math.cos(math.radians(40.5)) / (n - s) == pytest.approx(box_ratio, rel=0.01)
    # with equal x/y scales at the centre the map fills its box: matplotlib does not shrink it
    assert fig.axes[0].get_position().bounds == pytest.approx(bbox.bounds, rel=1e-3)


def test_default_extent_crosses_180_for_chukotka(shipped):
    fig = printed.render_map(shipped, Filters(date=D(2025, 1, 1)), title="t", size=(640, 360))
    w, e, _s, _n = fig.atlas_extent
    assert 10 < w < 25 and e > 185  # Chukotka shifted east of 180°, not wrapped to -180


def test_scale_bar_is_true_at_its_latitude(shipped):
    fig = printed.render_map(shipped, Filters(date=D(2025, 1, 1)), title="t", bounds=[[50, 30], [60, 50]])
    ax = fig.axes[0]
    label = next(t.get_text() for t in ax.texts if t.get_text().endswith(" km"))
    km = float(label.split()[0].replace(",", ""))
    lat = float(re.search(r"at (\d+)°N", " ".join(t.get_text() for t in ax.texts))[1])
    bars = [p for p in ax.patches if p.get_gid() == "scale-bar"]
    assert len(bars) == 2
    deg = sum(p.get_width() for p in bars)
    assert deg * 111.32 * math.cos(math.radians(lat)) == pytest.approx(km, rel=0.02)


# -- plain text ------------------------------------------------------------------------------
def test_data_text_is_drawn_literally(tmp_path):
    inst = [dict(r, name=TRICKY) if r["id"] == "base-a" else r for r in fixtures.INSTALLATIONS]
    atlas = loading.load(fixtures.write_data(tmp_path / "data", installations=inst))
    fig = printed.render_map(atlas, Filters(date=D(2020, 1, 1)), title=BAD_MATH, size=(640, 360), highlight=("base-a",))
    texts = [t for ax in [fig, *fig.axes] for t in ax.texts]
    assert any(t.get_text() == TRICKY for t in texts) and any(t.get_text() == BAD_MATH for t in texts)
    assert all(not t.get_parse_math() and not t.get_usetex() for t in texts)
    printed.to_png(fig)  # would raise on BAD_MATH if mathtext parsed it
    svg = printed.to_svg(fig).decode()
    ET.fromstring(svg)
    assert "$\\alpha$ &lt;b&gt;bold&lt;/b&gt; &amp; $5" in svg  # kept as text, not typeset


def test_module_never_uses_pyplot():
    mods: set[str] = set()
    for name in ("printed", "print_base", "print_drawing", "print_legend", "briefing_pdf"):
        tree = ast.parse((ROOT / "alliance_atlas" / "renderers" / f"{name}.py").read_text())
        mods |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        mods |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not [m for m in mods if "pyplot" in m or m == "pylab"]


# -- briefing PDF ------------------------------------------------------------------------------
def fixture_briefing(n: int, text: str = "Notes [src-a].") -> dict:
    slide = {
        "title": "Slide",
        "caption": "Caption",
        "notes": text,
        "date": "2020-01-01",
        "alliances": ["CSTO"],
        "regions": [],
        "layers": ["states", "territories"],
        "show_historic": False,
        "view": {"bounds": [[38, 28], [62, 66]]},
        "highlight": ["terr-x"],
        "sources": ["src-a", "nope"],
    }
    return {
        "id": "t",
        "title": "Test briefing",
        "author": "Tests",
        "date": "2026-11-25",
        "slides": [dict(slide, title=f"Slide {i}") for i in range(n)],
    }


def test_pdf_has_one_page_per_slide_fixture(atlas):
    for n in (1, 3):
        pdf = briefing_pdf.briefing_pdf(atlas, fixture_briefing(n))
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        assert count_pages(pdf) == n


def test_pdf_text_with_dollars_does_not_break(atlas):
    pdf = briefing_pdf.briefing_pdf(atlas, fixture_briefing(1, BAD_MATH))
    assert count_pages(pdf) == 1


def test_shipped_default_briefing_pdf(shipped):
    briefing = yaml.safe_load((ROOT / "data" / "briefings" / "default.yaml").read_text(encoding="utf-8"))
    pdf = briefing_pdf.briefing_pdf(shipped, briefing)
    assert count_pages(pdf) == len(briefing["slides"]) > 0


def test_a_long_title_stays_inside_the_image(atlas):
    # "Alliance Atlas briefing — Kaliningrad: a Russian exclave on the Baltic" ran off the 1920 px PNG
    title = "Alliance Atlas: a briefing on Russia's alliances — Kaliningrad: a Russian exclave on the Baltic Sea coast"
    fig = printed.render_map(atlas, Filters(date=D(2020, 1, 1)), title=title, size=(1920, 1080))
    text = next(t for t in fig.texts if t.get_text() == title)
    box = text.get_window_extent(renderer=fig.canvas.get_renderer())
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width, (box.x1, fig.bbox.width)
    short = printed.render_map(atlas, Filters(date=D(2020, 1, 1)), title="Gyumri", size=(1920, 1080))
    assert next(t for t in short.texts if t.get_text() == "Gyumri").get_fontsize() > text.get_fontsize()
