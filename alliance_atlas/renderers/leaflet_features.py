"""Leaflet elements for areas and place names whose shapes may come from a static file (served.py)."""

from __future__ import annotations

from folium.elements import JSCSSMixin, MacroElement
from jinja2 import Template

from alliance_atlas.cartography import display


class DataLoader(MacroElement):
    """Defines ``window.atlasLoad(url)`` in the map's frame: the parsed JSON at ``url``, fetched once per
    frame (the frame outlives reruns: later layers reuse the promise). Part of the base map, so the
    layers that fetch their shapes (``Features(geo_url=...)``, ``Labels(url=...)``) find it."""

    _template = Template("""
{% macro script(this, kwargs) %}
window.atlasLoad = window.atlasLoad || function (u) {
  var got = window.__atlasGot = window.__atlasGot || {};
  if (!got[u]) {
    got[u] = fetch(u).then(function (r) { if (!r.ok) { throw new Error(u + ': HTTP ' + r.status); } return r.json(); });
    got[u].catch(function (e) { delete got[u]; console.error('atlas data', e); });
  }
  return got[u];
};
{% endmacro %}
""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "DataLoader"


class StyleLink(JSCSSMixin, MacroElement):
    """The map's stylesheet as a link to a static file (streamlit-folium loads it when the map mounts)
    rather than text re-sent in the page header on every rerun."""

    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "StyleLink"
        self.default_css = [("atlas_map_css", url)]


def source(value: str | None) -> str:
    """The element's ``geo``: JSON text of the object itself, or a URL it is fetched from."""
    return "null" if value is None else value


class Features(MacroElement):
    """GeoJSON added to the parent layer. Each feature's properties carry its style (`_s`, with `pat`
    naming a stripe pattern; or the index of its style in the collection's ``styles`` table), tooltip
    (`_t`) and popup (`_p`), already escaped. ``data`` is a
    FeatureCollection; a feature without ``geometry`` takes ``geo[properties.id]``, where ``geo`` is
    an id -> geometry object given inline (JSON text) or fetched from a URL (``geo_url``, a static file
    by content hash: then the shapes are not re-sent on every rerun). ``data`` None: ``geo`` is itself
    the FeatureCollection."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var pats = { {% for k, p in this.patterns.items() %}{{ k|tojson }}: {{ p.get_name() }}, {% endfor %} };
  var parent = {{ this._parent.get_name() }}, data = {{ this.data or 'null' }};
  function draw(geo) {
    var fc = data || geo;
    if (data && data.styles) {  // a style given as its index in the collection's table of distinct styles
      data.features.forEach(function (f) {
        if (typeof f.properties._s === 'number') { f.properties._s = data.styles[f.properties._s]; } });
      delete data.styles;
    }
    if (data && geo) {
      fc = {type: 'FeatureCollection', features: data.features.map(function (f) {
        return {type: 'Feature', properties: f.properties, geometry: f.geometry || geo[f.properties.id]}; })};
    }
    L.geoJson(fc, {
      {% if this.pane %}pane: {{ this.pane|tojson }},{% endif %}
      interactive: {{ this.interactive|tojson }},
      style: function (f) { var s = Object.assign({}, f.properties._s || {});
        if (s.pat) { s.fillPattern = pats[s.pat]; } delete s.pat; return s; },
      onEachFeature: function (f, layer) {
        if (f.properties._t) { layer.bindTooltip(f.properties._t, {sticky: true}); }
        if (f.properties._p) { layer.bindPopup(f.properties._p, {maxWidth: 420}); }
        {% if this.states %}layer._atlasState = true;{% endif %}
        if ({{ this.interactive|tojson }}) {
          var w = (f.properties._s || {}).weight || 1;
          layer.on('mouseover', function () { layer.setStyle({weight: w + 2}); });
          layer.on('mouseout', function () { layer.setStyle({weight: w}); });
        }
      }
    }).addTo(parent);
  }
  {% if this.geo_url %}window.atlasLoad({{ this.geo_url }}).then(draw);{% else %}draw({{ this.geo }});{% endif %}
})();
{% endmacro %}
""")

    def __init__(
        self,
        data: str | None,
        patterns: dict | None = None,
        interactive: bool = True,
        states: bool = False,
        geo: str | None = None,
        geo_url: str | None = None,
        pane: str | None = None,
    ):
        """``states``: state or territory outlines (the feature's ``id`` is its ISO3 or territory id),
        which :class:`leaflet_elements.FineBorders` may swap for finer ones; ``pane``: one of
        ``leaflet_elements.PANES`` (else Leaflet's overlay pane)."""
        super().__init__()
        self._name = "Features"
        self.data = data
        self.patterns = patterns or {}
        self.interactive = interactive
        self.states = states
        self.geo = source(geo)
        self.geo_url = display.dumps(geo_url) if geo_url else ""
        self.pane = pane


class Labels(MacroElement):
    """Place names in a pane of their own (above areas, below markers, never catching clicks). On every
    zoom or move they are offered in rank order, each only from its own first zoom, and a label whose
    box would touch one already shown is left out, so no two labels overlap at any zoom. ``data`` is
    the list as JSON text, or None with ``url`` where it is fetched from."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  var pane = map.createPane('atlasLabels');
  pane.style.zIndex = 550; pane.style.pointerEvents = 'none';
  var layer = L.layerGroup().addTo(map);
  function draw(data) {
    var marks = data.map(function (d) {
      return L.marker([d.la, d.lo], {pane: 'atlasLabels', interactive: false, keyboard: false,
        icon: L.divIcon({className: 'atlas-label atlas-label-' + d.k, iconSize: null,
                         html: '<span>' + d.n + '</span>'})});
    });
    function declutter() {
      var z = map.getZoom(), view = map.getBounds().pad(0.05), shown = [];
      marks.forEach(function (m, i) {
        if (data[i].z > z || !view.contains(m.getLatLng())) { layer.removeLayer(m); return; }
        layer.addLayer(m);
        // the box from the label's own size at its map position (a DOM rect would catch a CSS transition midway)
        var span = m.getElement().firstChild, p = map.latLngToContainerPoint(m.getLatLng());
        var w = span.offsetWidth / 2, h = span.offsetHeight / 2;
        // a town's dot sits on its point and its name starts right of it, clear of a marker there (style.MAP_CSS)
        var x = (data[i].k === 'capital' || data[i].k === 'locality') ? p.x - 3.5 + w : p.x;
        var r = {left: x - w, right: x + w, top: p.y - h, bottom: p.y + h};
        var hit = shown.some(function (s) {
          return !(r.right + 3 < s.left || r.left - 3 > s.right || r.bottom + 1 < s.top || r.top - 1 > s.bottom);
        });
        if (hit) { layer.removeLayer(m); } else { shown.push(r); }
      });
    }
    map.on('zoomend moveend resize', declutter);
    map.whenReady(declutter);
    // the boxes depend on the labels' CSS: measure again once a stylesheet still loading has arrived
    document.querySelectorAll('link[rel=stylesheet]').forEach(function (l) {
      if (!l.sheet) { l.addEventListener('load', declutter); }
    });
  }
  {% if this.url %}window.atlasLoad({{ this.url }}).then(draw);{% else %}draw({{ this.data }});{% endif %}
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, data: str | None, url: str | None = None):
        super().__init__()
        self._name = "Labels"
        self.data = data
        self.url = display.dumps(url) if url else ""
