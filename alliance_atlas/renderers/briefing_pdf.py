"""A briefing as a PDF handout: one A4 landscape page per slide, with its notes and sources."""

from __future__ import annotations

import io as _io
from collections.abc import Sequence

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from alliance_atlas.data import content
from alliance_atlas.data.loading import Atlas
from alliance_atlas.renderers.print_base import (
    A4_LANDSCAPE,
    RC_LOCK,
    REF_WIDTH_IN,
    SOURCE_LINE,
    draw_text,
    wrap_lines,
)
from alliance_atlas.renderers.printed import compose_figure, new_figure


def as_briefing(atlas: Atlas, briefing) -> content.Briefing:
    """A parsed briefing from a parsed one or from its YAML mapping (slides that cannot be drawn
    are kept as skipped slides, named with the reason)."""
    if isinstance(briefing, content.Briefing):
        return briefing
    parsed, problems = content.parse_briefing(atlas, briefing, "briefing", "briefing")
    if parsed is None:
        raise ValueError("; ".join(p.message for p in problems) or "the briefing has no slide that can be drawn")
    return parsed


def _source_lines(notes: Sequence[content.Footnote]) -> list[tuple[str, str]]:
    """(text, url) per footnote: "[n] Publisher: Title — URL"."""
    return [(f"[{f.number}] {f.publisher}: {f.title} — {f.url}", f.url) for f in notes]


def _slide_page(atlas: Atlas, title: str, slide: content.Slide, number: int, total: int) -> Figure:
    fw, fh = A4_LANDSCAPE
    fig = new_figure(fw, fh, 100)
    k = fw / REF_WIDTH_IN
    v = slide.view
    day = v.filters.date
    draw_text(fig, 0.02, 0.985, title, fontsize=8, color="#555555", va="top")
    draw_text(fig, 0.98, 0.985, f"{number} / {total}", fontsize=8, color="#555555", va="top", ha="right")
    draw_text(fig, 0.02, 0.955, slide.title, fontsize=17, fontweight="bold", va="top")
    width_pt = 0.96 * fw * 72
    cap = wrap_lines(slide.caption, width_pt, 10.5)[:2]
    draw_text(fig, 0.02, 0.905, "\n".join(cap), fontsize=10.5, va="top", linespacing=1.3)
    draw_text(fig, 0.02, 0.845, f"as of {day.isoformat()}", fontsize=8.5, va="top", color="#333333")
    compose_figure(
        fig,
        atlas,
        v.filters,
        [0.02, 0.33, 0.70, 0.49],
        [0.735, 0.33, 0.245, 0.49],
        k,
        bounds=v.bounds,
        highlight=v.highlight,
        show=v.layers,
    )
    # notes and sources share the band under the map; shrink the type until they fit
    text, notes = content.footnoted(atlas, slide.notes, slide.sources)
    top, bottom = 0.315, 0.04
    avail = (top - bottom) * fh * 72
    src = _source_lines(notes)
    size = 8.5
    while True:
        wrapped = wrap_lines(text, width_pt, size)
        srcl = [(ln, url) for s, url in src for ln in wrap_lines(s, width_pt - 10, size * 0.85)]
        need = len(wrapped) * size * 1.3 + (size * 1.6 + len(srcl) * size * 0.85 * 1.3 if srcl else 0)
        if need <= avail or size <= 5.5:
            break
        size -= 0.25
    y = top
    if wrapped and any(wrapped):
        draw_text(fig, 0.02, y, "\n".join(wrapped), fontsize=size, va="top", linespacing=1.3)
        y -= len(wrapped) * size * 1.3 / (fh * 72) + 0.008
    if srcl:
        draw_text(fig, 0.02, y, "Sources", fontsize=size, fontweight="bold", va="top")
        y -= size * 1.5 / (fh * 72)
        step = size * 0.85 * 1.3 / (fh * 72)
        room = max(0, int((y - bottom) / step))
        shown = srcl[:room] if len(srcl) <= room else [*srcl[: max(room - 1, 0)], ("…", "")]
        for line, url in shown:  # one text per line, each a link in the PDF (matplotlib writes a URI annotation)
            t = draw_text(fig, 0.03, y, line, fontsize=size * 0.85, va="top", color="#1a0dab" if url else "#222222")
            if url.startswith(("http://", "https://")):
                t.set_url(url)
            y -= step
    draw_text(fig, 0.02, 0.012, SOURCE_LINE, fontsize=6.5, va="bottom", color="#444444")
    return fig


def skipped_page(skipped: content.SkippedSlide, title: str, total: int) -> Figure:
    """A page that names a slide that cannot be drawn, and why, in its place in the deck."""
    fw, fh = A4_LANDSCAPE
    fig = new_figure(fw, fh, 100)
    draw_text(fig, 0.02, 0.985, title, fontsize=8, color="#555555", va="top")
    draw_text(fig, 0.98, 0.985, f"{skipped.number} / {total}", fontsize=8, color="#555555", va="top", ha="right")
    draw_text(fig, 0.02, 0.955, skipped.title, fontsize=17, fontweight="bold", va="top")
    msg = wrap_lines(f"This slide cannot be drawn and is left out: {skipped.reason}", 0.96 * fw * 72, 12)
    draw_text(fig, 0.02, 0.85, "\n".join(msg), fontsize=12, va="top", color="#8b0000", linespacing=1.3)
    return fig


def briefing_pdf(atlas: Atlas, briefing) -> bytes:
    """A PDF with one A4-landscape page per slide of the file: title, caption, map, legend, notes with
    numbered footnotes, and the sources as links; a slide that cannot be drawn gets a page that says so."""
    b = as_briefing(atlas, briefing)
    pages = b.pages()
    buf = _io.BytesIO()
    meta = {"Title": b.title, "Author": b.author, "Creator": "Alliance Atlas", "CreationDate": None}
    # TrueType fonts (not Type 3) so the text of the PDF can be searched and copied
    with RC_LOCK, matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buf, metadata=meta) as pdf:
        for i, page in enumerate(pages, start=1):
            if isinstance(page, content.SkippedSlide):
                pdf.savefig(skipped_page(page, b.title, len(pages)))
            else:
                pdf.savefig(_slide_page(atlas, b.title, page, i, len(pages)))
    return buf.getvalue()
