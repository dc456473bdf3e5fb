"""A user's own data on the map: GeoJSON or CSV uploads (and the team folder's files), read defensively.

One entry point, :func:`load_overlay`, which never raises. It returns an
:class:`OverlayResult`: either ``ok`` with a GeoDataFrame in EPSG:4326 (valid geometries,
every property a plain string) or a refusal whose ``message`` says what is wrong and what
to do. Row-level problems ("feature 12: latitude 95.2 is outside ±90 — dropped") are
listed in ``problems``; ``loaded``/``dropped``/``repaired`` count features (CSV rows).

Where each decision lives:

* ``sniff`` — the format comes from the content (``{``/``[`` → GeoJSON, otherwise CSV), the
  file name only sharpens messages; ZIP, gzip, PDF, images, SQLite/GeoPackage, shapefiles,
  KML and HTML are recognised by their first bytes and refused with a hint; text is UTF-8
  (a UTF-8 BOM is skipped); UTF-16/UTF-32 with a BOM are decoded;
* ``crs`` — a declared ``crs`` (an EPSG code or OGC CRS84, nothing else is passed to PROJ) is
  reprojected with pyproj; coordinates that are obviously metres (most features out of the
  degree range, by more than 1000) with no declared CRS are refused;
* ``geometry`` and ``repair`` — GeoJSON geometry objects are checked position by position;
  unclosed rings are closed, out-of-range coordinates dropped feature by feature, invalid
  geometries repaired with ``shapely.make_valid``, lines and polygons crossing the
  antimeridian split at ±180 (each counted as repaired);
* ``properties`` — values nested deeper than ``max_depth`` are flattened to JSON text (deeper
  levels replaced by ``"…"``), values longer than ``max_property_chars`` truncated (both
  counted as repaired); every value ends up a plain string (null → "");
* ``limits`` — the limits (:class:`Limits`) are checked with the limit's name and what to do.
  Time is checked between steps: one step (such as parsing JSON of at most ``max_bytes``) is
  not interrupted;
* ``report`` — the result, row messages (at most :data:`MAX_PROBLEMS`) and the summary line;
* ``geojson``, ``csv_points`` — the two formats; ``reader`` — the entry point;
  ``team_folder`` — $ATLAS_OVERLAY_DIR; ``write`` — the cleaned GeoJSON download.

Nothing is HTML-escaped here: the map escapes every property with :func:`safe.esc`.
"""

from .csv_points import LAT_NAMES, LON_NAMES
from .limits import MB, Limits
from .reader import load_overlay
from .report import MAX_PROBLEMS, OverlayResult
from .team_folder import SERVER_EXTENSIONS, read_server_file, server_files
from .write import to_geojson

__all__ = [
    "LAT_NAMES",
    "LON_NAMES",
    "MAX_PROBLEMS",
    "MB",
    "SERVER_EXTENSIONS",
    "Limits",
    "OverlayResult",
    "load_overlay",
    "read_server_file",
    "server_files",
    "to_geojson",
]
