"""Shared pieces of the bench figures: selectors, number formats, the loopback-only request guard."""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import LOCAL_HOSTS  # noqa: E402

MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
HISTORIC_LABEL = "Show historic and planned installations"
MAIN_CONTENT = "[data-testid='stMain'] [data-testid='stElementContainer']"


def ms(x: float | None) -> str:
    return "—" if x is None else (f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s")


def kb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1024:.0f} KB"


class Guard:
    """Playwright route handler: loopback passes, everything else is aborted and recorded."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def __call__(self, route) -> None:
        url = route.request.url
        p = urllib.parse.urlparse(url)
        if p.scheme in ("data", "blob", "about") or p.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()
