"""Hostile data for the escaping tests: every text field of the fixture data folder carries script-injection payloads."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures import EVENTS, INSTALLATIONS, MEMBERSHIPS, ORGANIZATIONS, SOURCES, STATES, TERRITORIES

# Script-injection payloads; each sets a flag on the top window if it ever runs.
PAYLOAD = (
    " <img src=x onerror=window.top.pwned=1> ${window.top.pwned=2} Q`Q </script><script>window.top.pwned=3"
    "</script> <svg onload=window.top.pwned=4> javascript:window.top.pwned=5 \\"
)


def hostile_tables(p: str = PAYLOAD) -> dict:
    """Every text field that can reach the screen carries the payloads."""
    sources = [dict(r, title=r["title"] + p, publisher=r["publisher"] + p) for r in SOURCES]
    orgs = [dict(r, name=r["name"] + p, description=p) for r in ORGANIZATIONS]
    mem = [dict(r, note=p) for r in MEMBERSHIPS]
    inst = [dict(r, name=r["name"] + p, unit=p, note=p, legal_basis=p, locality=p, aliases=p) for r in INSTALLATIONS]
    ev = [dict(r, title=r["title"] + p, summary=p) for r in EVENTS]
    ter = [(dict(props, name=props["name"] + p, note=p, controlled_by="RUS" + p), g) for props, g in TERRITORIES]
    states = [(i, n + p, r, ps, g) for i, n, r, ps, g in STATES]
    return {
        "sources": sources,
        "organizations": orgs,
        "memberships": mem,
        "installations": inst,
        "events": ev,
        "territories": ter,
        "states": states,
    }


def write_hostile_content(folder: Path, p: str = PAYLOAD) -> None:
    """A case study and a briefing whose every text field carries the payloads."""
    import yaml

    (folder / "case_studies").mkdir(exist_ok=True)
    meta = {
        "id": "hostile",
        "title": "Case" + p,
        "date": "2020-01-01",
        "bounds": [[40, 30], [45, 35]],
        "alliances": ["CSTO"],
        "layers": ["states", "territories", "installations", "nato"],
        "highlight": ["base-a"],
        "show_historic": False,
        "sources": ["src-a"],
        "key_facts": [{"date": "2020-01-01", "text": "Fact" + p, "sources": ["src-a"]}],
    }
    (folder / "case_studies" / "hostile.md").write_text(
        "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nBody" + p + " [src-a]\n", encoding="utf-8"
    )
    (folder / "briefings").mkdir(exist_ok=True)
    slide = {
        "title": "Slide" + p,
        "caption": "Caption" + p,
        "notes": "Notes" + p + " [src-a]",
        "date": "2020-01-01",
        "alliances": ["CSTO"],
        "regions": [],
        "layers": ["states", "territories", "installations", "nato"],
        "show_historic": True,
        "view": {"center": [45.0, 40.0], "zoom": 4},
        "highlight": ["base-a"],
        "sources": ["src-a"],
    }
    doc = {
        "id": "default",
        "title": "Deck" + p,
        "author": "A" + p,
        "date": "2020-01-01",
        "description": p,
        "slides": [slide, dict(slide, title="Second" + p)],
    }
    (folder / "briefings" / "default.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
