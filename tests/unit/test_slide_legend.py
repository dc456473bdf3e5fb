"""A slide's legend, beside its map, names what the slide's area shows, not the whole dataset's view:
on 1400×900 the whole list ran past the bottom of the frame (the "On this date" entry was cut off on
the Armenia slides), and it named an exclave and a lease that are a thousand kilometres away."""

from __future__ import annotations

import math

import pytest

from alliance_atlas.cartography import inextent, scene
from alliance_atlas.data import content, loading
from alliance_atlas.renderers import leaflet_view
from alliance_atlas.safe import esc

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


@pytest.fixture(scope="module")
def deck(shipped):
    b, _ = content.load_briefing(shipped, shipped.data_dir / "briefings" / "default.yaml")
    return b


def test_around_keeps_the_bounds_and_widens_them_to_a_wide_screen():
    s, w, n, e = 38.8, 43.4, 41.4, 46.7  # Armenia
    x0, x1, y0, y1 = inextent.around([[s, w], [n, e]])
    assert x0 < w and x1 > e and y0 < s and y1 > n
    k = math.cos(math.radians((s + n) / 2))
    assert (x1 - x0) * k >= 2.2 * (n - s)  # what a 1920×1080 frame beside the legend shows on the sides
    assert (y1 - y0) >= (e - w) * k / 1.3  # and a 4:3 projector above and below
    tall = inextent.around([[10.0, 30.0], [70.0, 40.0]])  # a tall box: shown wider than asked
    assert (tall[1] - tall[0]) > 10.0


def test_each_slides_legend_names_what_its_area_holds(shipped, deck):
    cut_somewhere = False
    for slide in deck.slides:
        v = slide.view
        whole = leaflet_view.build(shipped, v.filters, include=v.layers, fit=v.bounds, legend_on_map=False)
        area = inextent.around(v.bounds)
        built = leaflet_view.build(
            shipped, v.filters, include=v.layers, fit=v.bounds, legend_on_map=False, legend_extent=area
        )
        # the same rule the print uses for its own extent, drawn into the slide's side legend
        inst = scene.installations(shipped, v.filters, v.layers)
        inside = inextent.points_in(inst, area)
        expected = scene.legend(shipped, v.filters, inside, v.layers, (), (), inextent.area_ids(shipped, area))
        for label in scene.legend_words(expected):
            assert esc(label) in built.legend_html, (slide.title, label)
        assert len(built.legend_html) <= len(whole.legend_html)
        cut_somewhere |= len(built.legend_html) < len(whole.legend_html)
    assert cut_somewhere


def test_the_armenia_slide_leaves_out_what_is_far_away(shipped, deck):
    slide = next(s for s in deck.slides if "Armenia in 2024" in s.title)
    v = slide.view
    whole = leaflet_view.build(shipped, v.filters, include=v.layers, fit=v.bounds, legend_on_map=False)
    built = leaflet_view.build(
        shipped, v.filters, include=v.layers, fit=v.bounds, legend_on_map=False, legend_extent=inextent.around(v.bounds)
    )
    assert "Exclave" in whole.legend_html and "Exclave" not in built.legend_html  # Kaliningrad
    assert "Leased to Russia" in whole.legend_html and "Leased to Russia" not in built.legend_html  # Baikonur
    assert "Ground forces base" in built.legend_html  # Gyumri
