"""Install the map's browser assets from the npm registry and copy them to static/vendor.

`npm ci` installs exactly what assets/package-lock.json pins and checks each tarball
against its sha512 integrity hash; nothing is copied into the repository (static/vendor
is gitignored). Run: python scripts/build_assets.py  (make assets does this).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alliance_atlas.renderers import assets  # noqa: E402


def main() -> int:
    lock = ROOT / "assets" / "package-lock.json"
    stamp = assets.NODE_MODULES / ".package-lock.json"
    if not stamp.is_file() or stamp.stat().st_mtime < lock.stat().st_mtime:
        npm = shutil.which("npm")
        if npm is None:
            print("npm is needed to fetch the map assets (apt-get install npm)", file=sys.stderr)
            return 1
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=ROOT / "assets", check=True)
    for served, source in assets.FILES.items():
        src = assets.NODE_MODULES / source
        dst = assets.STATIC_DIR / served
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
    fine_dir = assets.STATIC_DIR / assets.FINE
    fine = assets.fine_files()
    fine_dir.mkdir(parents=True, exist_ok=True)
    for old in fine_dir.glob("*.json"):
        if f"{assets.FINE}/{old.name}" not in fine.values():
            old.unlink()
    for rel in fine.values():
        shutil.copyfile(assets.FINE_SOURCE / rel.split("/", 1)[1], assets.STATIC_DIR / rel)
    print(
        f"map assets ready: {len(assets.FILES)} files in {assets.STATIC_DIR / assets.VENDOR}, "
        f"{len(fine)} fine outlines in {fine_dir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
