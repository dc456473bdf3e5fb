"""The app map's position: moved by the server only on request (a link, a search pick), else the reader's."""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from alliance_atlas.cartography import display


class MoveOnce(MacroElement):
    """Moves the map to (lat, lon, zoom) once per request, then leaves it to the reader.

    Lives in a feature group, so it runs on every rerun that redraws the layers: request
    ``nonce`` is remembered in the page (``parent.__atlasMoves[key]``), so a rerun never moves
    the map back to a view the reader has left (issue 13: a zoom made while the first reruns
    arrive was undone). A new frame for the same map (the page visited again, a remount) that
    finds the request already done shows the reader's last view instead (``__atlasMapView``,
    written by elements.UrlSync). ``key`` tells sessions apart (a server restart starts over)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  var P = window.parent, mem;
  try { mem = P.__atlasMoves = P.__atlasMoves || {}; } catch (e) { mem = window.__atlasMoves = window.__atlasMoves || {}; }
  var key = {{ this.key_json }}, n = {{ this.nonce }}, to = {{ this.target_json }};
  window.__atlasViewKey = key;
  if (to && (mem[key] || 0) < n) {
    mem[key] = n;
    map.setView([to[0], to[1]], to[2], {animate: false});
  } else if (!window.__atlasMoveSeen) {
    try {
      var v = P.__atlasMapView;
      if (v && v.split('|')[3] === key) {
        var p = v.split('|');
        map.setView([+p[0], +p[1]], +p[2], {animate: false});
      }
    } catch (e) { /* not same-origin */ }
  }
  window.__atlasMoveSeen = true;
})(window.map);
{% endmacro %}
""")

    def __init__(self, key: str, nonce: int, to: tuple[float, float, int] | None) -> None:
        super().__init__()
        self._name = "MoveOnce"
        self.key_json = display.dumps(str(key))
        self.nonce = int(nonce)
        self.target_json = display.dumps([float(to[0]), float(to[1]), int(to[2])] if to else None)


def move_layer(key: str, nonce: int, to: tuple[float, float, int] | None) -> folium.FeatureGroup:
    """The map's position request as a layer (feature groups are redrawn in place on every rerun)."""
    fg = folium.FeatureGroup(name="Position", show=True, control=False)
    MoveOnce(key, nonce, to).add_to(fg)
    return fg
