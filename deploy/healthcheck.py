"""Exit 0 if the local Streamlit answers /_stcore/health (Docker HEALTHCHECK; no curl in slim images).

Honours STREAMLIT_SERVER_PORT (8501) and STREAMLIT_SERVER_BASE_URL_PATH (none).
"""

import os
import sys
import urllib.request

port = os.environ.get("STREAMLIT_SERVER_PORT", "8501")
base = os.environ.get("STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")
url = f"http://127.0.0.1:{port}{'/' + base if base else ''}/_stcore/health"
try:
    with urllib.request.urlopen(url, timeout=4) as r:
        sys.exit(0 if r.status == 200 else 1)
except OSError as exc:
    print(f"{url}: {exc}", file=sys.stderr)
    sys.exit(1)
