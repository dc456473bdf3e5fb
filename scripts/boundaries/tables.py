"""The hand-edited tables of the boundary build (scripts/boundaries/*.csv and territories.yaml), read and checked."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from alliance_atlas.data.schema import COLUMNS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = ROOT / "build" / "boundaries_cache"
DATA = ROOT / "data"

#: the properties of a territory, in the order written to data/territories.geojson (the data contract's)
TERRITORY_FIELDS = COLUMNS["territories.geojson"]
GEOMETRY_KINDS = ("admin1_code", "admin1_iso_3166_2", "admin1_name_en", "within_box", "settlement_hull")
STATE_GROUPS = ("post-soviet", "neighbour", "europe")
REGISTRIES = ("npm", "pypi")


@dataclass(frozen=True)
class Tables:
    """Every table of the build; territories keep their file order (it decides which one gets a piece)."""

    packages: list[dict]
    states: list[dict]
    territories: list[dict]
    sources: list[dict]
    reference_cities: list[tuple[str, str]]

    @property
    def post_soviet(self) -> dict[str, str]:
        """ISO3 -> region of the post-Soviet states."""
        return {s["iso3"]: s["region"] for s in self.states if s["group"] == "post-soviet"}

    @property
    def neighbours(self) -> list[str]:
        """ISO3 of the other drawn states (their neighbours and the rest of geographic Europe)."""
        return [s["iso3"] for s in self.states if s["group"] != "post-soviet"]

    @property
    def europe(self) -> set[str]:
        return {s["iso3"] for s in self.states if s["group"] == "europe"}

    @property
    def names(self) -> dict[str, str]:
        return {s["iso3"]: s["name"] for s in self.states}

    def host_of(self, tid: str) -> str:
        """The de jure state (ISO3) of a territory."""
        return next(t["de_jure_iso3"] for t in self.territories if t["id"] == tid)


def read_csv(path: Path) -> list[dict]:
    """Rows of a CSV file whose leading lines starting with '#' are comments."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _joined(value, sep: str, where: str) -> str:
    """A text as written in the output: a list of parts is joined with `sep`."""
    parts = value if isinstance(value, list) else [value]
    if not all(isinstance(p, str) for p in parts):
        raise ValueError(f"{where}: expected text (quote dates and numbers), got {value!r}")
    return sep.join(parts)


def read_territories(path: Path) -> list[dict]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for i, raw in enumerate(doc.get("territories") or []):
        where = f"{path.name}: territory {raw.get('id', i + 1)}"
        extra = set(raw) - set(TERRITORY_FIELDS) - {"geometry"}
        if extra:
            raise ValueError(f"{where}: unknown field(s) {sorted(extra)}")
        missing = [k for k in TERRITORY_FIELDS if k not in raw]
        if missing or "geometry" not in raw:
            raise ValueError(f"{where}: missing field(s) {missing or ['geometry']}")
        t = {k: _joined(raw[k], ";" if k == "sources" else " ", f"{where}, {k}") for k in TERRITORY_FIELDS}
        t["geometry"] = raw["geometry"]
        out.append(t)
    return out


@cache
def load(folder: Path = HERE) -> Tables:
    """Read every table of `folder`; a malformed file stops with a message naming it."""
    try:
        return Tables(
            packages=read_csv(folder / "packages.csv"),
            states=read_csv(folder / "states.csv"),
            territories=read_territories(folder / "territories.yaml"),
            sources=read_csv(folder / "sources.csv"),
            reference_cities=[(r["name"], r["iso2"]) for r in read_csv(folder / "reference_cities.csv")],
        )
    except (OSError, KeyError, ValueError, yaml.YAMLError) as exc:
        raise SystemExit(f"boundary tables in {folder}: {exc}") from None


def _duplicates(values: list[str]) -> list[str]:
    return sorted({v for v in values if values.count(v) > 1})


def problems(t: Tables, tiers) -> list[str]:
    """What is wrong in the tables (empty when nothing): ids defined once, every cited source defined,
    every tier in `tiers`, every territory on a listed state with a known geometry."""
    out = []
    for what, ids in (
        ("state", [s["iso3"] for s in t.states]),
        ("territory", [x["id"] for x in t.territories]),
        ("source", [s["id"] for s in t.sources]),
    ):
        out += [f"{what} {i} defined more than once" for i in _duplicates(ids)]
    source_ids = {s["id"] for s in t.sources}
    names = t.names
    for x in t.territories:
        out += [
            f"territory {x['id']} cites undefined source {s}" for s in x["sources"].split(";") if s not in source_ids
        ]
        if x["de_jure_iso3"] not in names:
            out.append(f"territory {x['id']}: de jure state {x['de_jure_iso3']} not in states.csv")
        geom = x["geometry"]
        if not (isinstance(geom, dict) and len(geom) == 1 and set(geom) <= set(GEOMETRY_KINDS)):
            out.append(f"territory {x['id']}: geometry must be one of {', '.join(GEOMETRY_KINDS)}")
    out += [f"source {s['id']}: unknown tier {s['tier']!r}" for s in t.sources if s["tier"] not in tiers]
    out += [f"source {s['id']}: no URL" for s in t.sources if not s["url"]]
    for s in t.states:
        if s["group"] not in STATE_GROUPS:
            out.append(f"state {s['iso3']}: group {s['group']!r} is not one of {', '.join(STATE_GROUPS)}")
        elif (s["group"] == "post-soviet") == (s["region"] == "neighbour"):
            out.append(f"state {s['iso3']}: region 'neighbour' is for the states that are not post-Soviet")
    out += [
        f"package {p['spec']}: unknown registry {p['registry']!r}"
        for p in t.packages
        if p["registry"] not in REGISTRIES
    ]
    return out
