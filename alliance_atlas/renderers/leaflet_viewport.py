"""Leaflet elements about the map's view: the URL kept in step, fitting, synchronised maps, the measuring tool."""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from alliance_atlas.cartography import display


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
  if (P === window || !({{ this.record }} || {{ this.compare }})) { return; }
  try {
    if (!P.__atlasHistoryWrapped) {
      P.__atlasHistoryWrapped = true;
      (new P.Function(
        "var h = window.history;" +
        "['pushState', 'replaceState'].forEach(function (name) {" +
        "  var orig = h[name];" +
        "  h[name] = function (state, title, url) {" +
        "    try {" +
        "      var v = window.__atlasMapView, c = window.__atlasCompareView;" +
        "      if ((v || c) && url != null && document.querySelector('iframe[title*=st_folium]')) {" +
        "        var u = new URL(String(url), location.href);" +
        "        if (v) { var p = v.split('|');" +
        "          u.searchParams.set('lat', p[0]); u.searchParams.set('lon', p[1]); u.searchParams.set('zoom', p[2]); }" +
        "        if (c) { u.searchParams.set('cview', c); }" +
        "        url = u.pathname + u.search + u.hash;" +
        "      }" +
        "    } catch (e) { }" +
        "    return orig.call(h, state, title, url);" +
        "  };" +
        "});"))();
    }
  } catch (e) { return; /* not same-origin: leave the URL alone */ }
  if ({{ this.compare }}) {
    // Compare's maps move together: the last one moved writes the pair's position as cview=lat,lon,zoom
    // (its own parameter: lat/lon/zoom stay the Map page's), forgotten when the maps leave the page
    map.on('moveend', function () {
      try {
        var c = map.getCenter();
        P.__atlasCompareView = c.lat.toFixed(4) + ',' + c.lng.toFixed(4) + ',' + String(map.getZoom());
        P.history.replaceState(P.history.state, '', P.location.href);
      } catch (e) { /* not same-origin */ }
    });
    window.addEventListener('pagehide', function () { try { P.__atlasCompareView = null; } catch (e) { } });
    return;
  }
  // the view shown, for the URL, for a new frame of this map (mapview.MoveOnce) and, through
  // localStorage, for the app's other pages and windows (components/viewprobe); a new frame of the
  // map does not overwrite the reader's view with its default before its first move
  function shown() {
    var c = map.getCenter();
    P.__atlasMapView = c.lat.toFixed(4) + '|' + c.lng.toFixed(4) + '|' + String(map.getZoom()) + '|' +
      String(window.__atlasViewKey || '');
    try { P.localStorage.setItem('atlasMapView', P.__atlasMapView); } catch (e) { /* storage off */ }
  }
  if (!P.__atlasMapView) { shown(); }
  map.on('moveend', function () {
    try {
      shown();
      P.history.replaceState(P.history.state, '', P.location.href);
    } catch (e) { /* not same-origin */ }
  });
})({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, record: bool = True, compare: bool = False) -> None:
        """``record=False``: a map that is not the app's main map (a slide) leaves lat/lon/zoom alone;
        ``compare=True``: a Compare map, which keeps its own position in ``cview`` instead."""
        super().__init__()
        self._name = "UrlSync"
        self.record = "true" if record and not compare else "false"
        self.compare = "true" if compare else "false"


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
