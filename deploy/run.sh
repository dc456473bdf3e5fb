#!/usr/bin/env bash
# Start Alliance Atlas from an unpacked bundle (after ./install.sh). Extra arguments go to streamlit,
# e.g. ./run.sh --server.port 8502. Settings: STREAMLIT_SERVER_* and ATLAS_* variables (deploy/README.md).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${VENV:-$HERE/.venv}
cd "$HERE"
exec "$VENV/bin/python" -m streamlit run app.py "$@"
