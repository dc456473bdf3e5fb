"""A briefing as a PowerPoint deck (python-pptx): one 16:9 slide per briefing slide with the
title, caption, the map and its legend as an image, the as-of date and the sources (as links),
and the speaker notes — citations as numbered footnotes — in PowerPoint's notes pane. A slide
that cannot be drawn gets a slide naming it and the reason. Text is set as plain text runs, so
nothing from the data is interpreted."""

from __future__ import annotations

import io as _io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from alliance_atlas.data import content
from alliance_atlas.data.loading import Atlas
from alliance_atlas.renderers import briefing_pdf, print_base, printed

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
#: the map image: 16:9, as wide as the slide leaves beside the source column
MAP_PX = (1600, 900)
MAP_BOX = (Inches(0.4), Inches(1.6), Inches(8.9), Inches(5.006))  # left, top, width, height (16:9)
BLANK_LAYOUT = 6


def _text(slide, left, top, width, height, text: str, size: float, *, bold=False, colour=None, url: str = ""):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    if url:
        run.hyperlink.address = url
    return frame


def _add_line(frame, text: str, size: float, *, bold=False, url: str = "") -> None:
    par = frame.add_paragraph()
    run = par.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if url.startswith(("http://", "https://")):
        run.hyperlink.address = url


def _map_png(atlas: Atlas, slide: content.Slide) -> bytes:
    fig = printed.render_view(atlas, slide.view, title="", size=MAP_PX, dpi=100, furniture=False)
    return printed.to_png(fig)


def _slide(prs, atlas: Atlas, deck_title: str, slide: content.Slide, number: int, total: int) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    _text(s, Inches(0.4), Inches(0.2), Inches(11.2), Inches(0.75), slide.title, 30, bold=True)
    _text(s, Inches(11.6), Inches(0.25), Inches(1.35), Inches(0.4), f"{number} / {total}", 12, colour="555555")
    _text(s, Inches(0.4), Inches(0.95), Inches(12.5), Inches(0.6), slide.caption, 16)
    left, top, width, height = MAP_BOX
    s.shapes.add_picture(_io.BytesIO(_map_png(atlas, slide)), left, top, width=width, height=height)
    text, notes = content.footnoted(atlas, slide.notes, slide.sources)
    col = _text(
        s,
        Inches(9.5),
        Inches(1.6),
        Inches(3.45),
        Inches(5.0),
        f"As of {slide.view.filters.date.isoformat()}",
        16,
        bold=True,
    )
    if notes:
        _add_line(col, "Sources", 12, bold=True)
        for f in notes:
            _add_line(col, f"[{f.number}] {f.publisher}: {f.title}", 9, url=f.url)
    _text(
        s,
        Inches(0.4),
        Inches(6.75),
        Inches(12.5),
        Inches(0.5),
        f"{deck_title} · {print_base.SOURCE_LINE}",
        9,
        colour="444444",
    )
    pane = s.notes_slide.notes_text_frame
    pane.text = text
    if notes:
        pane.add_paragraph().text = "Sources:"
        for f in notes:
            pane.add_paragraph().text = f"[{f.number}] {f.publisher}: {f.title} — {f.url}"


def _skipped(prs, deck_title: str, sk: content.SkippedSlide, total: int) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    _text(s, Inches(0.4), Inches(0.2), Inches(11.2), Inches(0.75), sk.title, 30, bold=True)
    _text(s, Inches(11.6), Inches(0.25), Inches(1.35), Inches(0.4), f"{sk.number} / {total}", 12, colour="555555")
    _text(
        s,
        Inches(0.4),
        Inches(1.4),
        Inches(12.5),
        Inches(2.0),
        f"This slide cannot be drawn and is left out: {sk.reason}",
        20,
        colour="8B0000",
    )
    s.notes_slide.notes_text_frame.text = f"Not drawn: {sk.reason}"


def briefing_pptx(atlas: Atlas, briefing) -> bytes:
    """The whole briefing as a .pptx file (bytes)."""
    b = briefing_pdf.as_briefing(atlas, briefing)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    prs.core_properties.title = b.title
    prs.core_properties.author = b.author or "Alliance Atlas"
    pages = b.pages()
    for i, page in enumerate(pages, start=1):
        if isinstance(page, content.SkippedSlide):
            _skipped(prs, b.title, page, len(pages))
        else:
            _slide(prs, atlas, b.title, page, i, len(pages))
    buf = _io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
