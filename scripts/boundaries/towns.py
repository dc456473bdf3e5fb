"""Border towns: local corrections of Natural Earth's line, the towns to keep on their side, and pin grids."""

from __future__ import annotations

import math
import sys

import shapely
import shapely.ops

TOWN_MIN_POPULATION = 10_000
TOWN_BORDER_KM = 25.0
# the output keeps 3 decimals (~100 m): a town point closer than this to the border in
# Natural Earth cannot be kept on its side reliably and is left out of the check
TOWN_MIN_BORDER_KM = 0.3
TOWN_FIX_KM = 2.0  # see correct_town_sides
TOWN_FIX_RADIUS_KM = 0.4


def haversine_km(a, b) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def is_named(c: dict, name: str, iso2: str) -> bool:
    """Whether GeoNames place `c` is called `name` (or has it as an alternate name) in country `iso2`."""
    return (c["name"] == name or name in c["alt"]) and c["iso2"] == iso2


def reference_city(cities: list[dict], name: str, iso2: str) -> dict:
    """The most populous GeoNames place of that name in that country."""
    found = [c for c in cities if is_named(c, name, iso2)]
    if not found:
        sys.exit(f"reference city {name} ({iso2}) not in GeoNames")
    return max(found, key=lambda c: c["pop"])


def correct_town_sides(states, cities, reference):
    """Natural Earth's 1:10m line is coarser than some border towns: a few GeoNames town points
    (>= TOWN_MIN_POPULATION) lie inside the neighbouring state, within TOWN_FIX_KM of their own
    (Narva is one: its point falls in Russia's polygon), and a reference city's point may lie just
    off Natural Earth's shore (Kherson, on the Dnipro). Move the line locally: a corridor from the
    town to its own state, and a disc of TOWN_FIX_RADIUS_KM around it, go to the town's state (and,
    in territories.build_territory_geoms, to the admin-1 unit it adjoins)."""
    isos = sorted(states)
    tree = shapely.STRtree([states[i]["geom"] for i in isos])
    fixed, patches = [], []
    for c in cities:
        own = c["iso3"]
        if c["pop"] < TOWN_MIN_POPULATION or own not in states:
            continue
        pt = shapely.Point(c["lon"], c["lat"])
        hits = [isos[j] for j in tree.query(pt, predicate="within")]
        offshore = not hits and any(is_named(c, n, i2) for n, i2 in reference)
        if own in hits or not (hits or offshore):
            continue
        q = shapely.ops.nearest_points(states[own]["geom"], pt)[0]
        km = haversine_km((c["lon"], c["lat"]), (q.x, q.y))
        if km > TOWN_FIX_KM:
            continue
        r = TOWN_FIX_RADIUS_KM / 111.0
        patch = shapely.union_all(
            [
                pt.buffer(r / math.cos(math.radians(c["lat"])), quad_segs=4),
                shapely.LineString([(q.x, q.y), (pt.x, pt.y)]).buffer(r / 2),
            ]
        )
        states[own]["geom"] = shapely.make_valid(states[own]["geom"].union(patch))
        for other in hits:
            states[other]["geom"] = shapely.make_valid(states[other]["geom"].difference(patch))
        patches.append((own, pt, patch))
        fixed.append(f"{c['name']} ({own}; point {km:.2f} km inside {'/'.join(hits) or 'the water'})")
    print(f"border moved locally at {len(fixed)} towns: {'; '.join(fixed)}", file=sys.stderr)
    return patches


def border_towns(states, cities):
    """Towns of >= TOWN_MIN_POPULATION people in a drawn state, inside its unsimplified
    polygon, within TOWN_BORDER_KM of another drawn state (by land or across water)."""
    isos = sorted(states)
    geoms = [states[i]["geom"] for i in isos]
    tree = shapely.STRtree(geoms)
    towns, outside, too_close = [], 0, []
    for c in cities:
        if c["pop"] < TOWN_MIN_POPULATION or c["iso3"] not in states:
            continue
        pt = shapely.Point(c["lon"], c["lat"])
        deg = TOWN_BORDER_KM / (111.0 * max(math.cos(math.radians(c["lat"])), 0.2))
        near = [isos[j] for j in tree.query(pt.buffer(deg))]
        others = [i for i in near if i != c["iso3"]]
        if not others:
            continue
        if not states[c["iso3"]]["geom"].contains(pt):
            outside += 1  # GeoNames point off the Natural Earth polygon (coast, river): not testable
            continue
        best, within = None, []
        for o in others:
            q = shapely.ops.nearest_points(states[o]["geom"], pt)[0]
            km = haversine_km((c["lon"], c["lat"]), (q.x, q.y))
            if km <= TOWN_BORDER_KM:
                within.append(o)
                if best is None or km < best[0]:
                    best = (km, o)
        if best and best[0] < TOWN_MIN_BORDER_KM:
            too_close.append(c["name"])  # closer to the border than the output precision can keep
        elif best:
            towns.append(dict(c, neighbour=best[1], border_km=round(best[0], 1), within=";".join(sorted(within))))
    print(
        f"border towns: {len(towns)} (skipped {outside} whose point is outside their state and "
        f"{len(too_close)} within {TOWN_MIN_BORDER_KM} km of the border: {', '.join(too_close)})",
        file=sys.stderr,
    )
    return towns


def add_reference_towns(towns, states, cities, reference) -> None:
    """The reference cities of the control-area tests are kept in place too (Kherson is on the coast)."""
    seen = {t["gid"] for t in towns}
    for name, iso2 in reference:
        c = reference_city(cities, name, iso2)
        if c["gid"] not in seen and states[c["iso3"]]["geom"].contains(shapely.Point(c["lon"], c["lat"])):
            towns.append(dict(c, neighbour="", border_km=TOWN_BORDER_KM, within="", reference=True))


def pin_lines(town, radius_deg, spacing):
    """A grid of short lines around the town: where they cross a border or coast they
    make coverage nodes, which coverage_simplify never moves, so the simplified line stays
    within about `spacing` of the true one near the town."""
    bx, by = town["lon"], town["lat"]
    zone = shapely.Point(bx, by).buffer(radius_deg, quad_segs=4)
    n = int(radius_deg / spacing) + 1
    lines = []
    for k in range(-n, n + 1):
        x = round(bx / spacing) * spacing + k * spacing
        y = round(by / spacing) * spacing + k * spacing
        lines.append(shapely.LineString([(x, by - radius_deg), (x, by + radius_deg)]))
        lines.append(shapely.LineString([(bx - radius_deg, y), (bx + radius_deg, y)]))
    grid = shapely.union_all([shapely.boundary(zone)] + [ln.intersection(zone) for ln in lines])
    return zone, grid


def misplaced(towns, final):
    """The towns that are not in their own state's final polygon and in no other."""
    isos = list(final)
    tree = shapely.STRtree([final[i] for i in isos])
    bad = []
    for t in towns:
        pt = shapely.Point(t["lon"], t["lat"])
        hits = [isos[j] for j in tree.query(pt, predicate="within")]
        if hits != [t["iso3"]]:
            bad.append(t)
    return bad


def next_pins(bad, pinned: dict) -> list:
    """Pin grids around the misplaced towns, finer each time a town comes back (spacing 0.02 deg, halved)."""
    pins = []
    for t in bad:
        level = pinned.get(t["gid"], -1) + 1
        pinned[t["gid"]] = level
        radius = min(t["border_km"] + 8.0, TOWN_BORDER_KM + 5.0) / 111.0
        pins.append(pin_lines(t, radius, 0.02 / (2**level)))
    return pins
