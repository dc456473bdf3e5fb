"""Bytes to text: other file kinds recognised by their first bytes and refused with a hint, byte-order marks, UTF-8."""

from __future__ import annotations

from .report import Refuse

UNPACK = "Unzip it and upload the .geojson or .csv inside (a zipped shapefile must be converted to GeoJSON first)."
DATA = "Upload the data as GeoJSON or CSV instead."
CONVERT = "Convert it to GeoJSON (e.g. with QGIS or ogr2ogr) and upload that."
MAGIC: list[tuple[bytes, str, str]] = [
    (b"PK\x03\x04", "a ZIP archive", UNPACK),
    (b"PK\x05\x06", "an empty ZIP archive", "Upload a .geojson or .csv file."),
    (b"\x1f\x8b", "a gzip-compressed file", "Decompress it and upload the .geojson or .csv inside."),
    (b"BZh", "a bzip2-compressed file", "Decompress it and upload the .geojson or .csv inside."),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "Decompress it and upload the .geojson or .csv inside."),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Extract it and upload the .geojson or .csv inside."),
    (b"Rar!", "a RAR archive", "Extract it and upload the .geojson or .csv inside."),
    (b"%PDF", "a PDF document", DATA),
    (b"\x89PNG", "a PNG image", DATA),
    (b"\xff\xd8\xff", "a JPEG image", DATA),
    (b"GIF8", "a GIF image", DATA),
    (
        b"SQLite format 3\x00",
        "an SQLite database (a GeoPackage?)",
        "Export the layer as GeoJSON (e.g. with QGIS or ogr2ogr) and upload that.",
    ),
    (b"\x00\x00\x27\x0a", "an ESRI shapefile", CONVERT),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file", "Save the sheet as CSV (UTF-8) and upload that."),
]

BOMS = [  # longest first: the UTF-32-LE BOM begins with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def refuse_binary(data: bytes, name: str) -> None:
    """Raise :class:`Refuse` naming the file kind when ``data`` starts like an archive, image, database…"""
    for magic, what, todo in MAGIC:
        if data.startswith(magic):
            if magic == b"PK\x03\x04" and name.lower().endswith(".xlsx"):
                what, todo = "an Excel workbook", "Save the sheet as CSV (UTF-8) and upload that."
            elif magic == b"PK\x03\x04" and name.lower().endswith(".kmz"):
                what, todo = "a KMZ (zipped KML) file", CONVERT
            raise Refuse(f"{name} is {what}, not GeoJSON or CSV text. {todo}")


def decode(data: bytes, name: str) -> str:
    """The text of an upload: UTF-8 (a BOM skipped), or UTF-16/UTF-32 with a BOM. Raises :class:`Refuse`."""
    refuse_binary(data, name)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise Refuse(
                    f"{name} starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()} ({exc.reason} at byte {exc.start + len(bom)}). "
                    f"Save it again as UTF-8."
                ) from None
    if b"\x00" in data[:4096]:
        raise Refuse(
            f"{name} contains binary data (NUL bytes), not GeoJSON or CSV text. If it is UTF-16 text, "
            f"save it as UTF-8 instead."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper()
        line = data[: exc.start].count(b"\n") + 1
        raise Refuse(
            f"{name} is not UTF-8 text (byte 0x{bad} on line {line} cannot be decoded; it may be "
            f"Latin-1 or Windows-1251). Save it as UTF-8 and upload it again."
        ) from None


def refuse_markup(stripped: str, name: str) -> None:
    """Text starting with '<' is KML, GPX, HTML or other XML: always raises :class:`Refuse` with a hint."""
    low = stripped[:2000].lower()
    if "<kml" in low:
        raise Refuse(f"{name} is KML, not GeoJSON or CSV. {CONVERT}")
    if "<gpx" in low:
        raise Refuse(f"{name} is GPX, not GeoJSON or CSV. {CONVERT}")
    if "<html" in low or "<!doctype html" in low:
        raise Refuse(f"{name} is a web page (HTML), not GeoJSON or CSV. Download the data file itself.")
    raise Refuse(f"{name} is XML, not GeoJSON or CSV. {CONVERT}")
