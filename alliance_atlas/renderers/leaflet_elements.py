"""Leaflet elements the map is drawn with: fine borders, markers, the stylesheet, the legend layer, plugin scripts."""

from __future__ import annotations

from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from alliance_atlas.cartography import display, style


class FineBorders(MacroElement):
    """From zoom ``min_zoom`` on, each state outline in view (a layer drawn by ``Features(states=True)``)
    is swapped for its fine outline, fetched once from ``urls`` (ISO3 -> static URL; the names
    carry a content hash, so the browser may keep them) and kept for the page's lifetime; the layer
    itself stays, with its style, tooltip, popup and hover. Below ``min_zoom`` the light outline
    returns. A file that cannot be fetched leaves the light outline in place. Lives in the base map,
    so it outlives the reruns that replace the states layer (it looks again on every layer added)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  var base = {{ this.base|tojson }}, urls = {}, minZoom = {{ this.min_zoom }}, got = {}, pending = false;
  Object.entries({{ this.hashes }}).forEach(function (e) { urls[e[0]] = base + e[0] + '-' + e[1] + '.json'; });
  function load(url) {
    if (!got[url]) {
      got[url] = fetch(url).then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
        .then(function (g) { return L.GeoJSON.coordsToLatLngs(g.coordinates, g.type === 'Polygon' ? 1 : 2); });
    }
    return got[url];
  }
  function update() {
    pending = false;
    var fine = map.getZoom() >= minZoom, seen = map.getBounds().pad(0.25);
    map.eachLayer(function (l) {
      if (!l._atlasState || !l.feature || !l.setLatLngs) { return; }
      var url = urls[l.feature.properties.id];
      if (!url) { return; }
      if (fine && !l._atlasFine && !l._atlasLoading && seen.intersects(l.getBounds())) {
        l._atlasLoading = true;
        load(url).then(function (ll) {
          l._atlasLoading = false;
          if (!l._map || map.getZoom() < minZoom || l._atlasFine) { return; }
          l._atlasLight = l.getLatLngs();
          l.setLatLngs(ll);
          l._atlasFine = true;
          map.fire('atlasfine');
        }, function () { l._atlasLoading = false; delete urls[l.feature.properties.id]; });
      } else if (!fine && l._atlasFine) {
        l.setLatLngs(l._atlasLight);
        l._atlasFine = false;
        map.fire('atlasfine');
      }
    });
  }
  // a timer, not requestAnimationFrame: a frame the browser is not painting (off-screen, busy) would
  // hold the update back, and `pending` would swallow every later request
  function later() { if (!pending) { pending = true; setTimeout(update, 0); } }
  map.on('zoomend moveend layeradd', later);
  later();
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, urls: dict[str, str], min_zoom: int = 6) -> None:
        """``urls``: ISO3 -> URL ending in ``<ISO3>-<hash>.json``, all in one folder (sent as the folder
        and the hashes: ~1 KB in every base map rather than ~2.5 KB)."""
        super().__init__()
        self._name = "FineBorders"
        folders = {u.rsplit("/", 1)[0] + "/" for u in urls.values()}
        if len(folders) != 1 or any(not u.endswith(f"/{iso}-{u.rsplit('-', 1)[1]}") for iso, u in urls.items()):
            raise ValueError("fine outlines must be <folder>/<ISO3>-<hash>.json in one folder")
        self.base = folders.pop()
        self.hashes = display.dumps({iso: u.rsplit("-", 1)[1].removesuffix(".json") for iso, u in urls.items()})
        self.min_zoom = int(min_zoom)


class Markers(MacroElement):
    """Pre-serialised markers (an icon from the shared ``icons`` table, tooltip, popup) added to the
    parent layer (a marker cluster or a feature group). With ``kinds`` (kind id -> plain name) the
    parent cluster's icon says what it holds: the count, and the count by kind in its tooltip."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }}, icons = {{ this.icons }};
  {% if this.kinds %}
  var names = {{ this.kinds }};
  var holds = function (cluster) {  // "3 Ground forces base, 1 Air base": the count by kind, most first
    var counts = {};
    cluster.getAllChildMarkers().forEach(function (m) { var k = m.options.kind || ''; counts[k] = (counts[k] || 0) + 1; });
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; })
      .map(function (k) { return counts[k] + ' ' + (names[k] || k); }).join(', ');
  };
  group.options.iconCreateFunction = function (cluster) {
    var n = cluster.getChildCount(), size = n < 10 ? 'small' : (n < 100 ? 'medium' : 'large');
    // small and see-through (style.MAP_CSS): a state's colour still shows around and under a cluster
    return L.divIcon({html: '<div><span>' + n + '</span></div>', className: 'marker-cluster marker-cluster-' + size,
                      iconSize: new L.Point(27, 27)});
  };
  group.on('clustermouseover', function (e) {
    if (!e.layer.getTooltip()) { e.layer.bindTooltip(holds(e.layer), {className: 'atlas-cluster-tip'}); }
    e.layer.openTooltip();
  });
  {% endif %}
  function draw(sites) {  // sites: id -> [lat, lon, name, kind], a static file per dataset, or none (inline)
    ({{ this.data }}).forEach(function (d) {
      var w = sites && sites[d.id]; if (w) { d.la = w[0]; d.lo = w[1]; d.n = w[2]; d.k = w[3]; }
      var m = L.marker([d.la, d.lo], {title: d.n, alt: d.n, riseOnHover: true, kind: d.k,
        icon: L.divIcon({html: icons[d.h], className: 'atlas-icon', iconSize: [20, 20], iconAnchor: [10, 10]})});
      if (d.t) { m.bindTooltip(d.t, {sticky: true}); }
      if (d.p) { m.bindPopup(d.p, {maxWidth: 460}); }
      group.addLayer(m);
    });
  }
  {% if this.sites_url %}window.atlasLoad({{ this.sites_url }}).then(draw);{% else %}draw(null);{% endif %}
})();
{% endmacro %}
""")

    def __init__(self, data: str, icons: str, kinds: str = "", sites_url: str | None = None):
        """``sites_url``: where each marker's position, name and kind are (by id), when ``data`` has not them."""
        super().__init__()
        self._name = "Markers"
        self.data = data
        self.icons = icons
        self.kinds = kinds
        self.sites_url = display.dumps(sites_url) if sites_url else ""


#: drawing order of the map's areas, bottom to top: Leaflet panes under its overlay pane (400), where
#: highlights, range rings and the user's overlays go; place names are at 550, markers at 600. The
#: areas arrive in any order (some are fetched from static files), so the order is the panes', not
#: the order they happen to be added in.
PANES = {"atlasLand": 360, "atlasStates": 380, "atlasControl": 385, "atlasTerritories": 390}


class Panes(MacroElement):
    """Creates the area panes of :data:`PANES` in the map (once, in the base map)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  {% for name, z in this.panes.items() %}
  if (!map.getPane({{ name|tojson }})) { map.createPane({{ name|tojson }}).style.zIndex = {{ z }}; }
  {% endfor %}
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "Panes"
        self.panes = PANES


class StyleSheet(Element):
    """The map's CSS (style.MAP_CSS) in the page header; its template is compiled once here,
    not on every rerun as an Element built from a string would be."""

    _template = Template("{% raw %}<style>" + style.MAP_CSS + "</style>{% endraw %}")


class FillFrame(Element):
    """Makes the map as tall as its frame (the page sets the frame's height, e.g. to the screen's)."""

    _template = Template("<style>#map_div { height: 100vh !important; }</style>")


class Legend(MacroElement):
    """A legend that behaves as a layer: it shows while its feature group is on the map,
    so it is swapped with the other layers and always matches what is drawn."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new (L.Layer.extend({
  onAdd: function (map) {
    var html = {{ this.html_json }};
    this._ctl = L.control({position: 'bottomright'});
    this._ctl.onAdd = function () { var d = L.DomUtil.create('div', 'atlas-legend'); d.innerHTML = html;
      L.DomEvent.disableScrollPropagation(d); L.DomEvent.disableClickPropagation(d); return d; };
    this._ctl.addTo(map);
  },
  onRemove: function (map) { if (this._ctl) { map.removeControl(this._ctl); } }
}))();
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html_json = display.dumps(html)


class PluginScripts(JSCSSMixin, MacroElement):
    """Declares every plugin script a later layer may need (clustering, pattern fills), so the
    first draw of any map loads them: streamlit-folium loads scripts only when a map is first
    mounted, so a layer that arrives later through ``feature_group_to_add`` finds no
    ``L.markerClusterGroup`` or ``L.StripePattern`` unless the base map asked for them."""

    _template = Template("{% macro script(this, kwargs) %}{% endmacro %}")
    default_js = [
        ("markerclusterjs", "markercluster"),
        ("pattern", "pattern"),
    ]  # fmt: skip
    default_css = [
        ("markerclustercss", "markercluster"),
        ("markerclusterdefaultcss", "markercluster"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self._name = "PluginScripts"
