"""The print's legend lists what is drawn in the print's extent (issue 14, point 3 for PNG/SVG/PDF/PPTX).

The extent is the one the figure draws (``fig.atlas_extent``); the regions' bounds come from
states.geojson (``extent.of_regions``) and the sites from installations.csv, never typed in."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from alliance_atlas.cartography import extent, inextent, popups, scene
from alliance_atlas.data import loading, schema
from alliance_atlas.data.schema import Filters
from alliance_atlas.renderers import printed

VIEW = Filters(date=dt.date(2020, 1, 1), alliances=("CSTO", "RUS_BILATERAL"))


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


@pytest.fixture(scope="module")
def caucasus(shipped):
    return printed.render_map(
        shipped, VIEW, title="t", bounds=extent.of_regions(shipped, ["south-caucasus"]), size=(960, 540)
    )


def only_in_central_asia(atlas, f: Filters) -> list[str]:
    """Legend words of the whole view whose every drawn item lies in a Central Asian state (from the data)."""
    central = set(atlas.states.loc[atlas.states["region"] == "central-asia", "iso3"])
    inst = scene.installations(atlas, f)
    words = [
        label
        for k, label in schema.INSTALLATION_KINDS.items()
        if k in set(inst["kind"]) and set(inst.loc[inst["kind"] == k, "host_iso3"]) <= central
    ]
    ter = scene.territories(atlas, f.date)
    rows = atlas.territories.set_index("id")
    for status, label in schema.TERRITORY_STATUSES.items():
        hosts = {rows.loc[a.id, "de_jure_iso3"] for a in ter if rows.loc[a.id, "status"] == status}
        if hosts and hosts <= central:
            words.append(label)
    return words


def test_caucasus_print_lists_nothing_found_only_in_central_asia(shipped, caucasus):
    whole = scene.legend_words(scene.build(shipped, VIEW).legend)
    far = only_in_central_asia(shipped, VIEW)
    assert far and set(far) <= set(whole)  # the view's data holds them: Baikonur's lease, the test ranges...
    listed = printed.legend_labels(caucasus)
    assert not set(far) & set(listed), set(far) & set(listed)
    # ...while what is drawn there is still listed: Abkhazia and South Ossetia, Gyumri's base
    assert schema.TERRITORY_STATUSES["breakaway"] in listed
    assert schema.INSTALLATION_KINDS["ground_base"] in listed


def test_caucasus_print_draws_exactly_its_scene(shipped, caucasus):
    sc = scene.build(shipped, VIEW, extent=caucasus.atlas_extent)
    drawn = sum(len(ln.get_xdata()) for ln in caucasus.axes[0].lines if str(ln.get_gid()).startswith("installations:"))
    inside = [m for m in scene.build(shipped, VIEW).marks if inextent.has_point(caucasus.atlas_extent, m.lat, m.lon)]
    assert drawn == len(sc.marks) == len(inside) > 0
    assert "gyumri-102nd-base" in {m.id for m in sc.marks} and "dushanbe-201st-base" not in {m.id for m in sc.marks}
    assert {"GEO", "ARM", "AZE"} <= {a.id for a in sc.states} and "TJK" not in {a.id for a in sc.states}


def web_words(legend_html: str) -> list[str]:
    rows = re.findall(r"<div>(?:<span class='sw'[^>]*></span>|<img class='atlas-mk[^>]*>) (.*?)</div>", legend_html)
    return [html.unescape(r) for r in rows]


@pytest.mark.parametrize("regions", [("south-caucasus",), ("baltic",), ("central-asia",)])
def test_png_legend_words_equal_the_web_legend_for_the_same_extent(shipped, regions):
    fig = printed.render_map(shipped, VIEW, title="t", bounds=extent.of_regions(shipped, regions), size=(960, 540))
    web = web_words(popups.legend_html(scene.build(shipped, VIEW, extent=fig.atlas_extent).legend, VIEW.date))
    assert web and web == printed.legend_labels(fig)


def test_extent_east_of_180_finds_chukotka(shipped):
    """The print shifts Russia's parts west of -150° east of 180°: an extent there still finds Russia."""
    rus = shipped.states.loc[shipped.states["iso3"] == "RUS", "geometry"].iloc[0]
    west = min(p.bounds[0] for p in rus.geoms)
    assert west < -170
    ext = (west + 360 + 0.5, west + 360 + 3.0, 60.0, 72.0)
    assert "RUS" in inextent.area_ids(shipped, ext)
    assert inextent.has_point(ext, 65.0, west + 1.0) and not inextent.has_point(ext, 65.0, 100.0)
