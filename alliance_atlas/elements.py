"""Leaflet elements the map is made of: pre-serialised GeoJSON and markers, the legend as a
layer, URL syncing, the measuring tool and the stylesheet. Each template is compiled once,
when this module is imported (a branca Element built from a string would compile per rerun)."""

from __future__ import annotations

from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from . import display, style


class Features(MacroElement):
    """Pre-serialised GeoJSON added to the parent layer. Each feature's properties carry
    its style (`_s`, with `pat` naming a stripe pattern), tooltip (`_t`) and popup (`_p`),
    already escaped."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var pats = { {% for k, p in this.patterns.items() %}{{ k|tojson }}: {{ p.get_name() }}, {% endfor %} };
  L.geoJson({{ this.data }}, {
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
  }).addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")

    def __init__(self, data: str, patterns: dict | None = None, interactive: bool = True, states: bool = False):
        """``states``: state or territory outlines (the feature's ``id`` is its ISO3 or territory id),
        which :class:`FineBorders` may swap for finer ones."""
        super().__init__()
        self._name = "Features"
        self.data = data
        self.patterns = patterns or {}
        self.interactive = interactive
        self.states = states


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
    return L.divIcon({html: '<div><span>' + n + '</span></div>', className: 'marker-cluster marker-cluster-' + size,
                      iconSize: new L.Point(40, 40)});
  };
  group.on('clustermouseover', function (e) {
    if (!e.layer.getTooltip()) { e.layer.bindTooltip(holds(e.layer), {className: 'atlas-cluster-tip'}); }
    e.layer.openTooltip();
  });
  {% endif %}
  ({{ this.data }}).forEach(function (d) {
    var m = L.marker([d.la, d.lo], {title: d.n, alt: d.n, riseOnHover: true, kind: d.k,
      icon: L.divIcon({html: icons[d.h], className: 'atlas-icon', iconSize: [20, 20], iconAnchor: [10, 10]})});
    if (d.t) { m.bindTooltip(d.t, {sticky: true}); }
    if (d.p) { m.bindPopup(d.p, {maxWidth: 460}); }
    group.addLayer(m);
  });
})();
{% endmacro %}
""")

    def __init__(self, data: str, icons: str, kinds: str = ""):
        super().__init__()
        self._name = "Markers"
        self.data = data
        self.icons = icons
        self.kinds = kinds


class UrlSync(MacroElement):
    """Keeps lat/lon/zoom of the page URL in step with the map, in the browser alone
    (panning never reruns the app); only when the map is embedded in the app page.

    Streamlit rewrites the page URL from the server's idea of the query string after every
    change the script makes (a filter, a selection) and the server never hears of a pan, so on
    its own such a rewrite would drop or roll back the map's lat/lon/zoom (issue 13). The
    parent page's history.pushState/replaceState are therefore wrapped, once per page and in
    the page's own realm (they outlive this frame), to write the view of the map shown last
    (``window.__atlasMapView``) into every URL set while a map is on the page.
    Also stops Leaflet's focus-on-click from scrolling the page under the pointer."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  // Leaflet focuses the map on mousedown, which scrolls the page when the map is partly
  // off-screen; the mouseup then lands elsewhere and the click is lost. Focus without scrolling.
  var kb = map.keyboard;
  if (kb && kb.enabled()) {
    kb.removeHooks();
    kb._onMouseDown = function () { if (!this._focused) { this._map._container.focus({preventScroll: true}); } };
    kb.addHooks();
  }
  var P = window.parent;
  if (P === window) { return; }
  try {
    if (!P.__atlasHistoryWrapped) {
      P.__atlasHistoryWrapped = true;
      (new P.Function(
        "var h = window.history;" +
        "['pushState', 'replaceState'].forEach(function (name) {" +
        "  var orig = h[name];" +
        "  h[name] = function (state, title, url) {" +
        "    try {" +
        "      var v = window.__atlasMapView;" +
        "      if (v && url != null && document.querySelector('iframe[title*=st_folium]')) {" +
        "        var u = new URL(String(url), location.href), p = v.split('|');" +
        "        u.searchParams.set('lat', p[0]); u.searchParams.set('lon', p[1]); u.searchParams.set('zoom', p[2]);" +
        "        url = u.pathname + u.search + u.hash;" +
        "      }" +
        "    } catch (e) { }" +
        "    return orig.call(h, state, title, url);" +
        "  };" +
        "});"))();
    }
  } catch (e) { return; /* not same-origin: leave the URL alone */ }
  function shown() {
    var c = map.getCenter();
    P.__atlasMapView = c.lat.toFixed(4) + '|' + c.lng.toFixed(4) + '|' + String(map.getZoom());
  }
  shown();
  map.on('moveend', function () {
    try {
      shown();
      P.history.replaceState(P.history.state, '', P.location.href);
    } catch (e) { /* not same-origin */ }
  });
})({{ this._parent.get_name() }});
{% endmacro %}
""")


class MeasureTool(MacroElement):
    """Click "Measure", then click points on the map: the running great-circle distance shows
    on the line; click the button again to stop. Needs no plugin (works offline)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  var on = false, pts = [], line = null, tip = null;
  var Ctl = L.Control.extend({ options: {position: 'topleft'},
    onAdd: function () {
      var b = L.DomUtil.create('a', 'leaflet-bar atlas-measure');
      b.href = '#'; b.title = 'Measure distance'; b.setAttribute('role', 'button'); b.innerHTML = '&#8597; km';
      L.DomEvent.on(b, 'click', function (e) { L.DomEvent.stop(e); on = !on; b.classList.toggle('on', on);
        map.getContainer().style.cursor = on ? 'crosshair' : '';
        if (!on) { if (line) { map.removeLayer(line); } pts = []; line = null; } });
      return b; } });
  new Ctl().addTo(map);
  map.on('click', function (e) {
    if (!on) { return; }
    pts.push(e.latlng);
    var km = 0; for (var i = 1; i < pts.length; i++) { km += pts[i - 1].distanceTo(pts[i]) / 1000; }
    if (!line) { line = L.polyline(pts, {color: '#000', dashArray: '6 4', weight: 3, interactive: false}).addTo(map); }
    else { line.setLatLngs(pts); }
    line.bindTooltip(km.toFixed(1) + ' km', {permanent: true, direction: 'right'}).openTooltip(e.latlng);
  });
})({{ this._parent.get_name() }});
{% endmacro %}
""")


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


class FitToSize(MacroElement):
    """Keeps the map's size in step with its frame: Leaflet measures its container once, so a
    map mounted while the frame is still growing draws clipped until ``invalidateSize``. A
    ResizeObserver calls it on every size change and re-applies the last requested bounds
    (``window.atlasFit``), so a slide's area is fitted to the map's real, final size."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  var want = null;
  function apply() {
    map.invalidateSize({pan: false});
    if (want) { map.fitBounds(want, {padding: [12, 12], animate: false}); }
  }
  window.atlasFit = function (bounds) {
    want = bounds ? L.latLngBounds(bounds) : null;
    requestAnimationFrame(apply);
  };
  if (window.ResizeObserver) {
    var last = null;
    new ResizeObserver(function () {
      var c = map.getContainer(), size = c.clientWidth + 'x' + c.clientHeight;
      if (size !== last) { last = size; apply(); }
    }).observe(map.getContainer());
  }
  // a user who pans or zooms (drag, wheel, zoom buttons, keyboard) takes over: resizes no longer
  // re-fit the requested bounds
  map.on('dragstart', function () { want = null; });
  ['wheel', 'pointerdown', 'keydown'].forEach(function (ev) {
    map.getContainer().addEventListener(ev, function () { want = null; }, {passive: true});
  });
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self) -> None:
        super().__init__()
        self._name = "FitToSize"


class FitBounds(MacroElement):
    """Asks the map to show ``bounds`` [[s, w], [n, e]] (through FitToSize, so the fit is
    redone once the frame has its final size). Lives in a feature group: each slide's layers
    carry their own bounds."""

    _template = Template("""
{% macro script(this, kwargs) %}
if (window.atlasFit) { window.atlasFit({{ this.bounds_json }}); }  /* request {{ this.nonce }} */
{% endmacro %}
""")

    def __init__(self, bounds, nonce: int = 0) -> None:
        """``nonce`` makes a repeated request for the same bounds new code, which the map then runs again."""
        super().__init__()
        self._name = "FitBounds"
        self.nonce = int(nonce)
        (s, w), (n, e) = bounds
        self.bounds_json = display.dumps([[float(s), float(w)], [float(n), float(e)]])


class SyncViews(MacroElement):
    """Moves every other map of the same ``group`` on the page with this one (centre and zoom),
    as Leaflet.Sync does for maps in one window; here each map lives in its own same-origin
    iframe (one per st_folium call), so the peers are found through the parent page. Needs no
    plugin (works offline). A map being moved by a peer does not echo the move back."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  var group = {{ this.group_json }};
  window.atlasSyncGroup = group;
  window.atlasSyncMap = map;
  window.atlasSyncing = false;
  function peers() {
    var out = [];
    try {
      if (window.parent === window) { return out; }
      var frames = window.parent.document.querySelectorAll('iframe');
      for (var i = 0; i < frames.length; i++) {
        try {
          var w = frames[i].contentWindow;
          if (w && w !== window && w.atlasSyncGroup === group && w.atlasSyncMap) { out.push(w); }
        } catch (e) { /* another origin: not ours */ }
      }
    } catch (e) { /* no access to the parent page */ }
    return out;
  }
  function push() {
    if (window.atlasSyncing) { return; }
    var c = map.getCenter(), z = map.getZoom();
    peers().forEach(function (w) {
      var other = w.atlasSyncMap, oc = other.getCenter();
      if (other.getZoom() === z && Math.abs(oc.lat - c.lat) < 1e-9 && Math.abs(oc.lng - c.lng) < 1e-9) { return; }
      w.atlasSyncing = true;
      try { other.setView([c.lat, c.lng], z, {animate: false}); } finally { w.atlasSyncing = false; }
    });
  }
  map.on('move zoomend', push);
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, group: str) -> None:
        super().__init__()
        self._name = "SyncViews"
        self.group_json = display.dumps(group)


class Labels(MacroElement):
    """Place names in a pane of their own (above areas, below markers, never catching clicks). On every
    zoom or move they are offered in rank order, each only from its own first zoom, and a label whose
    box would touch one already shown is left out, so no two labels overlap at any zoom."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map) {
  var pane = map.createPane('atlasLabels');
  pane.style.zIndex = 550; pane.style.pointerEvents = 'none';
  var data = {{ this.data }}, layer = L.layerGroup().addTo(map);
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
      var r = {left: p.x - w, right: p.x + w, top: p.y - h, bottom: p.y + h};
      var hit = shown.some(function (s) {
        return !(r.right + 3 < s.left || r.left - 3 > s.right || r.bottom + 1 < s.top || r.top - 1 > s.bottom);
      });
      if (hit) { layer.removeLayer(m); } else { shown.push(r); }
    });
  }
  map.on('zoomend moveend resize', declutter);
  map.whenReady(declutter);
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, data: str):
        super().__init__()
        self._name = "Labels"
        self.data = data
