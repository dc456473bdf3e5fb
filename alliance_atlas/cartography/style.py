"""Colours, line styles and marker shapes: the only place they live.

Palette: Okabe & Ito's colour-blind-safe set. Status is also told apart without colour:
fill opacity and outline dash for memberships, hatching for contested territory,
marker shape and outline for installations.
"""

from __future__ import annotations

from typing import Any

OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

ORG_COLOURS = {
    "CSTO": OKABE_ITO["vermillion"],
    "CIS": OKABE_ITO["orange"],
    "UNION_STATE": OKABE_ITO["purple"],
    "EAEU": OKABE_ITO["yellow"],
    "CIS_JADS": OKABE_ITO["green"],
    "RUS_BILATERAL": "#8C564B",
    "NATO": OKABE_ITO["blue"],
    "GUAM": OKABE_ITO["sky"],
    "SCO": "#7F7F7F",
}
FALLBACK_ORG_COLOUR = "#999999"

# How a membership status looks, independent of colour.
STATUS_LOOK: dict[str, dict[str, Any]] = {
    "member": {"fillOpacity": 0.65, "dashArray": None, "weight": 1.2},
    "associate": {"fillOpacity": 0.35, "dashArray": "6 3", "weight": 2.0},
    "observer": {"fillOpacity": 0.2, "dashArray": "2 4", "weight": 2.0},
    "dialogue_partner": {"fillOpacity": 0.15, "dashArray": "1 5", "weight": 2.0},
    "partner": {"fillOpacity": 0.18, "dashArray": "3 3", "weight": 2.0},
    "suspended": {"fillOpacity": 0.25, "dashArray": "10 4 2 4", "weight": 2.5},
    "participation_frozen": {"fillOpacity": 0.3, "dashArray": "10 6", "weight": 3.0},
}

# Membership status colours for the timeline bars (Okabe & Ito again, status not organisation).
STATUS_COLOURS = {
    "member": OKABE_ITO["blue"],
    "associate": OKABE_ITO["sky"],
    "observer": OKABE_ITO["green"],
    "dialogue_partner": OKABE_ITO["yellow"],
    "partner": OKABE_ITO["purple"],
    "suspended": OKABE_ITO["orange"],
    "participation_frozen": OKABE_ITO["vermillion"],
    "withdrawn": "#BBBBBB",
}
EVENT_COLOUR = OKABE_ITO["black"]
SELECTED_DATE_COLOUR = OKABE_ITO["vermillion"]

BASE_LAND: dict[str, Any] = {"fillColor": "#F2EFE9", "color": "#C9C4BA", "weight": 0.5, "fillOpacity": 1.0}
BASE_STATE: dict[str, Any] = {"fillColor": "#FFFFFF", "color": "#6E6E6E", "weight": 0.8, "fillOpacity": 0.0}
SEA = "#DDE8F0"
POST_SOVIET_OUTLINE: dict[str, Any] = {"color": "#404040", "weight": 1.0}

TERRITORY_COLOUR = OKABE_ITO["black"]
TERRITORY_LOOK: dict[str, dict[str, Any]] = {
    # one distinct hatch per status (angle, line weight and spacing in px; the print hatch), so each reads
    # apart from the others in colour and in grey scale; the outline's dash differs too
    "annexed": {"angle": 45, "weight": 3, "space": 3, "hatch": "////", "dashArray": None},
    "occupied": {"angle": -45, "weight": 2, "space": 5, "hatch": "\\\\\\", "dashArray": "6 3"},
    "breakaway": {"angle": 45, "weight": 1, "space": 8, "hatch": "/", "dashArray": "2 3"},
    "leased": {"angle": 0, "weight": 2, "space": 5, "hatch": "---", "dashArray": "8 4"},
    "exclave": {"angle": 90, "weight": 2, "space": 6, "hatch": "||", "dashArray": None},
}


# Areas under Russian military control (dated, approximate): a translucent vermillion wash with a
# dashed edge, so it reads apart from the hatched claimed-annexation areas drawn above it.
CONTROL_STYLE: dict[str, Any] = {
    "color": OKABE_ITO["vermillion"],
    "weight": 1.5,
    "dashArray": "4 3",
    "fillColor": OKABE_ITO["vermillion"],
    "fillOpacity": 0.3,
}
CONTROL_LAYER_NAME = "Russian military control (approximate)"
CONTROL_SIMPLIFY = 0.01  # degrees; the areas are approximate, keep the payload small

OPERATOR_COLOURS = {"RUS": OKABE_ITO["vermillion"], "NATO": OKABE_ITO["blue"]}
# Installation symbols (shape by kind, filled or hollow by phase) are decided in scene.py.
RING_COLOUR = OKABE_ITO["black"]
HIGHLIGHT_COLOUR = OKABE_ITO["yellow"]


def org_colour(org: str) -> str:
    return ORG_COLOURS.get(org, FALLBACK_ORG_COLOUR)


# CSS injected into the map page: marker shapes, legend, popups. Large type for projectors.
MAP_CSS = f"""
.leaflet-container {{ background: {SEA}; font: 14px/1.35 system-ui, sans-serif; }}
.atlas-mk {{ display:inline-block; width:20px; height:20px; vertical-align:middle; overflow:visible; }}
.atlas-legend {{ background:rgba(255,255,255,.94); padding:6px 9px; border:1px solid #444; border-radius:4px;
  max-width:260px; max-height:52vh; overflow:auto; font-size:12px; line-height:1.3; }}
.leaflet-control-layers {{ font-size:13px; }}
.atlas-legend summary {{ cursor:pointer; }}
.atlas-legend .atlas-legend-title {{ font-weight:bold; font-size:15px; margin-bottom:4px; }}
.atlas-legend .grp {{ margin-top:6px; }} .atlas-legend .hint {{ color:#333; font-size:12px; margin-top:4px; }}
.atlas-legend .sw {{ display:inline-block; width:16px; height:12px; margin-right:6px; vertical-align:middle;
  border:1px solid #000; }}
.atlas-measure {{ display:block; width:auto !important; padding:0 6px; background:#fff; font:bold 12px/30px sans-serif;
  color:#000; text-decoration:none; }}
.atlas-measure.on {{ background:#000; color:#fff; }}
.atlas-kv th {{ text-align:left; padding-right:8px; vertical-align:top; }}
.atlas-src {{ margin:2px 0 0 16px; padding:0; }}
.atlas-label {{ background:none; border:none; }}
.atlas-label span {{ position:absolute; transform:translate(-50%,-50%); white-space:nowrap; color:#222;
  font:12px/1.1 system-ui, sans-serif; text-shadow:0 0 2px #fff,0 0 3px #fff,0 0 4px #fff; }}
.atlas-label-country span {{ font-weight:700; font-size:13px; letter-spacing:.06em; text-transform:uppercase;
  color:#3b3b3b; }}
.atlas-label-capital span {{ font-weight:700; }}
.atlas-label-capital span::before, .atlas-label-locality span::before {{ content:""; display:inline-block; width:5px;
  height:5px; margin-right:9px; border:1px solid #222; border-radius:50%; background:#fff; vertical-align:middle; }}
.atlas-label-capital span, .atlas-label-locality span {{ transform:translate(-3.5px,-50%); }}
.atlas-label-city span {{ font-size:11px; color:#333; }}
.leaflet-container .marker-cluster {{ box-sizing:border-box; background:rgba(255,255,255,.35); border:1.5px solid #222; }}
.leaflet-container .marker-cluster div {{ width:20px; height:20px; margin:2px 0 0 2px; border-radius:10px;
  background:rgba(255,255,255,.9); }}
.leaflet-container .marker-cluster span {{ font:bold 12px/20px system-ui, sans-serif; color:#111; }}
"""
