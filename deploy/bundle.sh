#!/usr/bin/env bash
# Build the air-gapped bundle: build/alliance-atlas-bundle-<version>.tar.gz (+ .sha256).
#
# Contents: the app code, data/, the built map assets (static/vendor), .streamlit/config.toml,
# wheels/ for every runtime requirement (binary wheels for THIS Python and platform), install.sh,
# run.sh, MANIFEST.txt (platform, Python, wheel list) and SHA256SUMS (every file).
#
# Usage: deploy/bundle.sh            (make bundle: builds the map assets first)
#   PYTHON=.venv/bin/python  the interpreter whose version/platform the wheels are for
#   VERSION=0.1.0            defaults to [project] version in pyproject.toml
#   OUT=build                output folder
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
OUT=${OUT:-$ROOT/build}
VERSION=${VERSION:-$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml | head -1)}
NAME="alliance-atlas-bundle-$VERSION"

[ -x "$PYTHON" ] || { echo "no Python at $PYTHON (run make install, or set PYTHON=)" >&2; exit 1; }
missing=$("$PYTHON" -c 'from alliance_atlas import assets; print(" ".join(assets.missing_files()))')
[ -z "$missing" ] || { echo "map assets missing ($missing): run make assets" >&2; exit 1; }

mkdir -p "$OUT"
STAGE=$(mktemp -d "$OUT/.bundle.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
DEST="$STAGE/$NAME"
mkdir -p "$DEST"

# 1. code, data, assets, server config (no caches, no raw source downloads)
cp -a app.py requirements.txt requirements.lock pyproject.toml README.md "$DEST/"
cp -a alliance_atlas ui pages components "$DEST/"
mkdir -p "$DEST/.streamlit" "$DEST/static" "$DEST/deploy"
cp -a .streamlit/config.toml "$DEST/.streamlit/"
cp -a static/vendor "$DEST/static/"
mkdir -p "$DEST/static/geo" && cp -a data/geo/*.json "$DEST/static/geo/"  # fine outlines (zoom >= 6)
cp -a data "$DEST/data"
rm -rf "$DEST/data/_sources" "$DEST/data/_boundaries_notes.md"
cp -a deploy/README.md deploy/nginx.conf.template deploy/__init__.py deploy/servers.py deploy/nginx.py deploy/replicas.py "$DEST/deploy/"
find "$DEST" \( -name __pycache__ -o -name '*.pyc' -o -name .stamp \) -prune -exec rm -rf {} +

# 2. wheels: binary only, so the offline host needs no compiler and no sdist builds
"$PYTHON" -m pip download --quiet --only-binary=:all: --no-cache-dir --require-hashes -r requirements.lock -d "$DEST/wheels"

# 3. installer, runner, manifest, checksums
cp deploy/install.sh deploy/run.sh "$DEST/"
chmod 755 "$DEST/install.sh" "$DEST/run.sh"
"$PYTHON" - "$DEST" "$VERSION" <<'EOF'
import pathlib, platform, re, sys, sysconfig, datetime as dt
from importlib.metadata import version
dest, ver = pathlib.Path(sys.argv[1]), sys.argv[2]
wheels = sorted(p.name for p in (dest / "wheels").glob("*.whl"))
tags = {w.rsplit("-", 3)[-3] + "-" + w.rsplit("-", 3)[-1].removesuffix(".whl") for w in wheels}


def glibc(platforms: str) -> tuple[int, int]:
    """Oldest glibc one wheel accepts (its platform tags are alternatives)."""
    found = []
    for tag in platforms.split("."):
        if m := re.match(r"manylinux_(\d+)_(\d+)_", tag):
            found.append((int(m[1]), int(m[2])))
        elif tag.startswith("manylinux2014"):
            found.append((2, 17))
        elif tag.startswith("manylinux2010"):
            found.append((2, 12))
        elif tag.startswith("manylinux1"):
            found.append((2, 5))
    return min(found) if found else (0, 0)


need = max(glibc(w.rsplit("-", 1)[-1].removesuffix(".whl")) for w in wheels)
lines = [
    f"name: alliance-atlas {ver}",
    f"built: {dt.datetime.now(dt.timezone.utc):%Y-%m-%dT%H:%M:%SZ}",
    f"python: {platform.python_version()} ({sys.implementation.name}, cp{sys.version_info.major}{sys.version_info.minor})",
    f"python_minor: {sys.version_info.major}.{sys.version_info.minor}",
    f"platform: {sysconfig.get_platform()} ({platform.machine()}, {platform.libc_ver()[0]} {platform.libc_ver()[1]})",
    f"pip: {version('pip')}",
    f"wheel tags: {', '.join(sorted(tags))}",
    f"target needs: CPython {sys.version_info.major}.{sys.version_info.minor}, {platform.machine()}, glibc >= {need[0]}.{need[1]}",
    "install: ./install.sh   (pip install --no-index --find-links wheels --require-hashes -r requirements.lock)",
    f"wheels ({len(wheels)}):",
    *[f"  {w}" for w in wheels],
]
(dest / "MANIFEST.txt").write_text("\n".join(lines) + "\n")
EOF
(cd "$DEST" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)

ARCHIVE="$OUT/$NAME.tar.gz"
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner -czf "$ARCHIVE.tmp" "$NAME"
mv "$ARCHIVE.tmp" "$ARCHIVE"
(cd "$OUT" && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")
echo "bundle: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1), $(ls "$DEST/wheels" | wc -l) wheels)"
echo "checksum: $ARCHIVE.sha256  ->  $(cut -d' ' -f1 "$ARCHIVE.sha256")"
grep -E '^(python|platform|target needs):' "$DEST/MANIFEST.txt"
