#!/usr/bin/env bash
# Check a bundle the way an air-gapped host would use it: verify the checksum, unpack into a
# temporary folder, install into a fresh venv with the package index disabled (and, when root
# can, inside a network namespace with no network at all), start the app on a free 127.0.0.1
# port, check /_stcore/health and /app/static/vendor/leaflet/leaflet.js, stop, clean up.
#   deploy/verify_bundle.sh [build/alliance-atlas-bundle-<version>.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVE=${1:-$(ls -t build/alliance-atlas-bundle-*.tar.gz | head -1)}
ARCHIVE=$(cd "$(dirname "$ARCHIVE")" && pwd)/$(basename "$ARCHIVE")
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d /tmp/atlas-verify.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

(cd "$(dirname "$ARCHIVE")" && sha256sum -c "$(basename "$ARCHIVE").sha256")
tar -C "$WORK" -xzf "$ARCHIVE"
APP=$(ls -d "$WORK"/alliance-atlas-bundle-*)

# No index, no host pip config (its find-links/extra-index-url), no host wheel cache.
ISOLATE=(env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PIP_CONFIG_FILE=/dev/null
         PIP_NO_INDEX=1 PIP_NO_CACHE_DIR=1 "PYTHON=$PYTHON")
NETNS=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  NETNS=(unshare -n)   # a new network namespace: only a loopback interface, no route out
  echo "installing and running with no network at all (unshare -n)"
else
  echo "installing with the index disabled (PIP_NO_INDEX=1); not root, so the network itself is not cut"
fi

cat > "$WORK/check.sh" <<'EOF'
set -euo pipefail
APP=$1
command -v ip >/dev/null && ip link set lo up 2>/dev/null || true
if curl -s -m 3 -o /dev/null https://pypi.org/simple/ 2>/dev/null; then echo "network: reachable"; else echo "network: unreachable"; fi
START=$(date +%s)
"$APP/install.sh"
echo "install took $(( $(date +%s) - START )) s"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$APP/run.sh" --server.port "$PORT" --server.address 127.0.0.1 > "$APP/streamlit.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs -m 2 "http://127.0.0.1:$PORT/_stcore/health" >/dev/null && break
  kill -0 $PID 2>/dev/null || { cat "$APP/streamlit.log"; exit 1; }
  sleep 0.5
done
echo "health: $(curl -fs "http://127.0.0.1:$PORT/_stcore/health")"
curl -fs -o /dev/null -w 'leaflet.js: HTTP %{http_code}, %{size_download} bytes, %{content_type}\n' \
  "http://127.0.0.1:$PORT/app/static/vendor/leaflet/leaflet.js"
curl -fs -o /dev/null -w 'app page: HTTP %{http_code}\n' "http://127.0.0.1:$PORT/"
EOF
"${NETNS[@]}" "${ISOLATE[@]}" bash "$WORK/check.sh" "$APP"
echo "bundle OK: $ARCHIVE"
