"""Briefings as files a presenter takes away: the PowerPoint deck (read back with python-pptx and, where
LibreOffice is installed, converted by it), the PDF handout (links, skipped slides), and the parsing that
names a slide that cannot be drawn instead of failing."""

from __future__ import annotations

import io as _io
import re
import shutil
import subprocess
import zipfile

import pytest
from pptx import Presentation
from pptx.util import Emu

from alliance_atlas.data import content, loading, views
from alliance_atlas.renderers import briefing_pdf, office

from .test_render import count_pages


@pytest.fixture(scope="module")
def shipped():
    return loading.load()


def fixture_doc(atlas, bad: bool = True) -> dict:
    src = list(atlas.sources["id"][:3])
    good = {
        "title": "Good",
        "caption": "Cap <b>x</b>",
        "notes": f"One [{src[0]}]. Two [{src[1]}] [{src[0]}].",
        "date": "2020-01-01",
        "alliances": ["CSTO"],
        "layers": ["states", "installations"],
        "view": {"bounds": [[38, 40], [56, 75]]},
        "sources": [src[2]],
    }
    slides = [good, dict(good, title="Centre and zoom", view={"center": [48.0, 45.0], "zoom": 4})]
    if bad:
        slides.insert(1, dict(good, title="Broken date", date="2020-13-45"))
        slides.append(dict(good, title="Unknown item", highlight=["no-such-base"], alliances=["NOPE"]))
    return {"id": "t", "title": "Test deck", "author": "Tests", "slides": slides}


def test_bad_slide_is_named_not_fatal(shipped):
    b, problems = content.parse_briefing(shipped, fixture_doc(shipped), "briefings/t.yaml", "t")
    assert [s.title for s in b.slides] == ["Good", "Centre and zoom", "Unknown item"]
    assert [(k.number, k.title) for k in b.skipped] == [(2, "Broken date")] and "date" in b.skipped[0].reason
    assert [type(p).__name__ for p in b.pages()] == ["Slide", "SkippedSlide", "Slide", "Slide"]
    assert any("no-such-base" in p.message for p in problems) and any("NOPE" in p.message for p in problems)


def test_every_slide_has_bounds_to_fit(shipped):
    b, _ = content.parse_briefing(shipped, fixture_doc(shipped, bad=False), "t", "t")
    assert b.slides[0].view.bounds == ((38.0, 40.0), (56.0, 75.0))
    (s, w), (n, e) = b.slides[1].view.bounds  # centre+zoom: what the nominal 900x640 map shows
    assert s < 48.0 < n and w < 45.0 < e and views.center_zoom(b.slides[1].view.bounds)[2] == 4


def test_footnotes_number_citations_never_ids(shipped):
    src = list(shipped.sources["id"][:3])
    text, notes = content.footnoted(shipped, f"A [{src[0]}]. B [{src[1]}] [{src[0]}]. C [not-a-source].", [src[2]])
    assert text == "A [1]. B [2] [1]. C [?]."
    assert [(f.number, f.source_id) for f in notes] == [(1, src[0]), (2, src[1]), (3, src[2])]
    assert notes[0].publisher == shipped.sources.set_index("id").loc[src[0], "publisher"]


def test_pptx_deck_reads_back(shipped):
    data = office.briefing_pptx(shipped, fixture_doc(shipped))
    prs = Presentation(_io.BytesIO(data))
    assert len(prs.slides) == 4  # three drawn, one naming the broken slide in its place
    assert (prs.slide_width, prs.slide_height) == (Emu(office.SLIDE_W), Emu(office.SLIDE_H))
    first, broken = prs.slides[0], prs.slides[1]
    texts = [sh.text_frame.text for sh in first.shapes if sh.has_text_frame]
    assert "Good" in texts and "Cap <b>x</b>" in texts  # plain text, as written
    pics = [sh for sh in first.shapes if sh.shape_type == 13]
    assert len(pics) == 1 and pics[0].image.size == office.MAP_PX
    assert abs(pics[0].width / pics[0].height - 16 / 9) < 0.01
    srcs = shipped.sources.set_index("id")
    side = next(t for t in texts if t.startswith("As of 2020-01-01"))
    first_src = srcs.loc[shipped.sources["id"].iloc[0]]
    assert f"[1] {first_src['publisher']}: {first_src['title']}" in side
    links = [
        r.hyperlink.address
        for sh in first.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    ]
    assert first_src["url"] in links
    notes = first.notes_slide.notes_text_frame.text
    assert notes.startswith("One [1]. Two [2] [1].") and "Sources:" in notes
    assert not re.search(r"\[[a-z][a-z0-9-]+\]", notes), "source ids in the notes pane"
    assert "Broken date" in [sh.text_frame.text for sh in broken.shapes if sh.has_text_frame]
    assert "cannot be drawn" in " ".join(sh.text_frame.text for sh in broken.shapes if sh.has_text_frame)


def test_shipped_default_briefing_as_pptx(shipped):
    b, _ = content.load_briefing(shipped, shipped.data_dir / "briefings" / "default.yaml")
    prs = Presentation(_io.BytesIO(office.briefing_pptx(shipped, b)))
    assert len(prs.slides) == len(b.slides)
    for slide, src in zip(prs.slides, b.slides, strict=True):
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip() or not src.notes


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed (make test installs it as root)")
def test_pptx_opens_in_libreoffice(shipped, tmp_path):
    path = tmp_path / "deck.pptx"
    path.write_bytes(office.briefing_pptx(shipped, fixture_doc(shipped)))
    run = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file(), run.stderr
    assert count_pages(pdf.read_bytes()) == 4
    with zipfile.ZipFile(path) as z:  # a well-formed package: every slide part listed in the content types
        types = z.read("[Content_Types].xml").decode()
        assert all(f"/ppt/slides/slide{i}.xml" in types for i in range(1, 5))


def test_pdf_handout_links_and_skipped_page(shipped):
    pdf = briefing_pdf.briefing_pdf(shipped, fixture_doc(shipped))
    assert count_pages(pdf) == 4
    url = shipped.sources["url"].iloc[0]
    assert f"/URI ({url})".encode() in pdf, "source URLs are clickable links in the PDF"
