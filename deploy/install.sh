#!/usr/bin/env bash
# Alliance Atlas offline installer (shipped inside the bundle; needs no network).
#   ./install.sh                 venv in ./.venv, packages from ./wheels only
#   PYTHON=/usr/bin/python3.11 VENV=/opt/atlas-venv ./install.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-python3}
VENV=${VENV:-$HERE/.venv}
# Only this bundle's wheels: no index, and none of the host's pip settings (find-links, extra indexes).
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_CONSTRAINT PIP_REQUIREMENT
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_CONFIG_FILE=/dev/null

echo "checking files (SHA256SUMS)…"
(cd "$HERE" && sha256sum --quiet -c SHA256SUMS)

want=$(sed -n 's/^python_minor: //p' "$HERE/MANIFEST.txt")
have=$("$PYTHON" -c 'import sys; print(f"{sys.version_info.major}.{sys.version_info.minor}")')
if [ "$want" != "$have" ]; then
  echo "this bundle's wheels are for Python $want, but $PYTHON is $have: set PYTHON=/path/to/python$want" >&2
  exit 1
fi
grep '^platform:' "$HERE/MANIFEST.txt" | sed "s/^/bundle /"
echo "this host platform: $("$PYTHON" -c 'import sysconfig, platform; print(sysconfig.get_platform(), platform.machine())')"

"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --no-index --find-links "$HERE/wheels" --require-hashes -r "$HERE/requirements.lock"
"$VENV/bin/python" -m pip check
(cd "$HERE" && "$VENV/bin/python" -m alliance_atlas validate data)

cat <<EOF

Alliance Atlas is installed (venv: $VENV).
Run it (from this folder, so .streamlit/config.toml applies):
  $HERE/run.sh                                   # http://127.0.0.1:8501
  STREAMLIT_SERVER_ADDRESS=0.0.0.0 $HERE/run.sh  # shared server
  STREAMLIT_SERVER_BASE_URL_PATH=atlas $HERE/run.sh  # behind a proxy at /atlas/
Several replicas behind nginx: see deploy/README.md.
EOF
