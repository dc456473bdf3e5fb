"""The team's server folder of overlays ($ATLAS_OVERLAY_DIR): listing it, and reading one plain file within bounds."""

from __future__ import annotations

import os
import stat
from pathlib import PurePath

from .limits import Limits, megabytes

#: file kinds offered from a server overlay folder ($ATLAS_OVERLAY_DIR)
SERVER_EXTENSIONS = (".geojson", ".json", ".csv")


def server_files(folder: str | os.PathLike[str] | None) -> list[str]:
    """Names of the overlay files in a server folder (by extension; links and oversized files are
    listed too, and refused with a message by :func:`read_server_file`). No file is opened."""
    if not folder:
        return []
    try:
        with os.scandir(folder) as it:
            return sorted(e.name for e in it if e.name.lower().endswith(SERVER_EXTENSIONS) and not e.is_dir())
    except OSError:
        return []


def _refusal(folder: str | os.PathLike[str], name: str, limits: Limits) -> tuple[str, os.stat_result | None, str]:
    """(path, its lstat, '') for a plain regular file of the folder within the size limit, else ('', None, why not)."""
    if not name or name in (".", "..") or PurePath(name).name != name or "\0" in name:
        return "", None, "Not added: not a plain file name in the team folder."
    try:
        root = os.path.realpath(folder, strict=True)
        path = os.path.join(root, name)  # noqa: PTH118 - string paths compared by realpath below
        info = os.lstat(path)
    except OSError:
        return "", None, "Not added: the file is no longer in the team folder."
    if stat.S_ISLNK(info.st_mode):
        return (
            "",
            None,
            (
                "Not added: it is a link, and links in the team folder are not followed. "
                "Copy the file itself into the folder."
            ),
        )
    if not stat.S_ISREG(info.st_mode):
        return "", None, "Not added: not a regular file; only GeoJSON or CSV files can be added."
    if os.path.dirname(os.path.realpath(path)) != root:  # noqa: PTH120 - same string form as root
        return "", None, "Not added: it resolves outside the team folder."
    if info.st_size > limits.max_bytes:
        return (
            "",
            None,
            (
                f"Not added: the file is {megabytes(info.st_size)} MB; the limit is "
                f"{megabytes(limits.max_bytes)} MB (ATLAS_OVERLAY_MAX_MB). Split the file or simplify it."
            ),
        )
    return path, info, ""


def _read_bounded(fd: int, info: os.stat_result, limit: int) -> tuple[bytes | None, str]:
    """At most ``limit`` + 1 bytes of an open file, in chunks; refused if it is not the file that was checked."""
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
        return None, "Not added: the file changed while it was opened; try again."
    chunks, total = [], 0
    while total <= limit:
        chunk = os.read(fd, min(1024 * 1024, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        return None, (
            f"Not added: the file is larger than the limit of {megabytes(limit)} MB "
            "(ATLAS_OVERLAY_MAX_MB). Split the file or simplify it."
        )
    return b"".join(chunks), ""


def read_server_file(
    folder: str | os.PathLike[str], name: str, limits: Limits | None = None
) -> tuple[bytes | None, str]:
    """The bytes of one file of a server overlay folder, or (None, a message saying why not,
    without the file's name: the caller shows it).

    Refused: a name that is not a plain file name, a symbolic link (even one pointing inside the
    folder), anything that is not a regular file, anything resolving outside the folder, and a file
    larger than ``limits.max_bytes``. The size is checked with stat() before opening; the file is
    opened without following links and read in bounded chunks, never more than the limit + 1
    byte (a file that grew past the limit after the stat is refused too)."""
    limits = limits or Limits.from_env()
    path, info, refusal = _refusal(folder, name, limits)
    if info is None:
        return None, refusal
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None, "Not added: the file could not be opened (it may have been replaced by a link or removed)."
    try:
        return _read_bounded(fd, info, limits.max_bytes)
    finally:
        os.close(fd)
