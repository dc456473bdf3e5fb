"""Briefing: the audience's screen (title, map, legend, caption, source line) and, in a second
window, the speaker view (notes with footnotes, next slide, clock, exports); both stay on the
same slide."""

import copy

import streamlit as st
import yaml

import ui
from alliance_atlas.cartography import inextent
from alliance_atlas.data import content, urlstate
from alliance_atlas.renderers import briefing_pdf, leaflet_map, leaflet_view, office, printed, standalone
from alliance_atlas.safe import esc, md, md_link, safe_url

st.set_page_config(initial_sidebar_state="collapsed")  # presenter layout: full width from the first load
data = ui.atlas()
ui.view_probe()  # the view the reader last had on the Map page (for "add the current view")
speaker = ui.page_param("view") == "speaker"
st.html(ui.PRESENTER_CSS + ("" if speaker else ui.AUDIENCE_CSS))

paths = content.briefings(data)
if not paths:
    st.error("No briefing files in data/briefings/.")
    st.stop()
bid = ui.page_param("briefing") or "default"
if bid not in paths:
    st.warning(md(f"No briefing {bid[:60]}; showing the first one."), icon=":material/warning:")
    bid = next(iter(paths))
briefing, problems = ui.briefing(bid, paths[bid])
if briefing is None:
    st.error(md(f"The briefing {bid} cannot be shown: {problems[0] if problems else ''}"))
    st.stop()

slides = briefing.slides
n, notice = urlstate.parse_slide(ui.page_param("slide"), len(slides))


def go(to: int) -> None:
    ui.set_page_params(briefing=bid, slide=str(max(1, min(len(slides), to))))


moved = ui.deck_sync(bid, n, len(slides), "speaker" if speaker else "audience")
if moved is not None and moved != n:
    go(moved)
    st.rerun()
ui.set_page_params(briefing=bid, slide=str(n))
slide = slides[n - 1]
v = slide.view
text, notes = content.footnoted(data, slide.notes, slide.sources)

title = f"{briefing.title} — {slide.title}"


def slide_image():
    """This slide's map as a 1920×1080 figure (PNG and SVG are drawn from it)."""
    return printed.render_view(data, v, title=title)


def slide_html() -> str:
    return standalone.standalone_html(
        data, v.filters, title=title, center=(v.lat, v.lon), zoom=v.zoom, include=v.layers, highlight=v.highlight
    )


def slide_file(ext: str) -> str:
    return ui.download_name(f"{bid}-slide{n}", v.filters.date, ext)


#: label, bytes (drawn only when clicked), file name, MIME type, widget key
DOWNLOADS = (
    ("Map as HTML (offline)", slide_html, slide_file("html"), "text/html", ui.state.DL_HTML),
    (
        "Image (PNG 1920×1080)",
        lambda: printed.to_png(slide_image()),
        slide_file("png"),
        "image/png",
        ui.state.DL_PNG,
    ),
    (
        "Image (SVG)",
        lambda: printed.to_svg(slide_image()),
        slide_file("svg"),
        "image/svg+xml",
        ui.state.DL_SVG,
    ),
    (
        "Handout (PDF, all slides)",
        lambda: briefing_pdf.briefing_pdf(data, briefing),
        f"alliance-atlas-{bid}-handout.pdf",
        "application/pdf",
        ui.state.DL_PDF,
    ),
    (
        "PowerPoint (PPTX, all slides)",
        lambda: office.briefing_pptx(data, briefing),
        f"alliance-atlas-{bid}.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ui.state.DL_PPTX,
    ),
)
head, nav = st.columns([4.3, 3.4], vertical_alignment="center")
with head:
    st.html(f"<h1 class='atlas-slide-title' title='{esc(slide.title)}'>{esc(slide.title)}</h1>")
with nav:
    b1, counter, b2, b3, b4 = st.columns([1.15, 0.6, 1, 0.95, 0.85], vertical_alignment="center")
    b1.button(
        "◀ Previous",
        on_click=go,
        args=(n - 1,),
        disabled=n == 1,
        shortcut="Left",
        key=ui.state.BRIEF_PREV,
        width="stretch",
    )
    counter.markdown(f"<p class='atlas-counter'>{n} / {len(slides)}</p>", unsafe_allow_html=True)
    b2.button(
        "Next ▶",
        on_click=go,
        args=(n + 1,),
        disabled=n == len(slides),
        shortcut="Right",
        key=ui.state.BRIEF_NEXT,
        type="primary",
        width="stretch",
    )
    if speaker:
        b3.link_button("Audience", ui.view_link(briefing=bid, slide=str(n)), help="Open the audience view (new window)")
    else:
        b3.link_button(
            "Speaker",
            ui.view_link(briefing=bid, slide=str(n), view="speaker"),
            help="Speaker view: notes, next slide and clock in a new window that drives this one",
        )
        # the audience view hides the sidebar and the app's menu: this is its way out, and its exports
        # (the speaker view has them below its notes)
        with b4.popover("Menu", help="Downloads, and the way back to the app", key=ui.state.BRIEF_MENU):
            st.page_link(ui.MAP_PAGE, label="Back to the app", icon=":material/arrow_back:")
            for label, make, name, mime, key in DOWNLOADS:
                st.download_button(label, make, name, mime, key=key, width="stretch")
for msg in [
    notice,
    *(f"Slide {k.number} ({k.title}) cannot be drawn and is left out: {k.reason}" for k in briefing.skipped),
]:
    if msg:
        st.warning(md(msg), icon=":material/warning:")

if not speaker:
    prefix = ui.static_prefix()
    built = leaflet_view.build(
        data,
        v.filters,
        prefix,
        include=v.layers,
        highlight=v.highlight,
        title="Legend",
        fit=v.bounds,
        legend_on_map=False,
        legend_extent=inextent.around(v.bounds) if v.bounds else None,
    )
    m, side = st.columns([5, 1.5])
    with m, st.container(key="deck_map"):
        ui.map_widget(
            leaflet_map.base_map(data, "vector", prefix, fill_frame=True),
            ui.state.BRIEFING_MAP,
            built.groups,
            height=640,
        )
    with side:
        ui.side_legend(built.legend_html, "calc(100vh - 215px)")
    st.html(f"<p class='atlas-caption'>{ui.html_text(slide.caption)}</p>")
    line = " · ".join(md_link(f.url, f.publisher) for f in notes[:6]) + (" …" if len(notes) > 6 else "")
    st.markdown(f"As of {v.filters.date.isoformat()}{' · Sources: ' + line if line else ''}")
    st.stop()

# --- speaker view -----------------------------------------------------------------------
st.caption(md(f"Speaker view · {briefing.title} · as of {v.filters.date.isoformat()}"))


def jump() -> None:
    go(int(ui.state.BRIEF_JUMP.get()))


ui.state.BRIEF_JUMP.set(n)
st.selectbox(
    "Go to slide",
    range(1, len(slides) + 1),
    key=ui.state.BRIEF_JUMP,
    on_change=jump,
    format_func=lambda i: f"{i}. {slides[i - 1].title}",
)
now, nxt = st.columns([3, 2])
with now:
    items = "".join(
        f"<li><a href='{safe_url(f.url)}' target='_blank' rel='noopener'>{esc(f.publisher)}: {esc(f.title)}</a></li>"
        if safe_url(f.url)
        else f"<li>{esc(f.publisher)}: {esc(f.title)}</li>"
        for f in notes
    )
    st.html(
        f"<div class='atlas-notes'>{ui.html_text(text) or '<i>No notes for this slide.</i>'}"
        f"{f'<ol>{items}</ol>' if items else ''}</div>"
    )
with nxt:
    if n < len(slides):
        following = slides[n]
        st.markdown(f"**Next: {md(following.title)}**")
        st.image(
            ui.slide_thumbnail(ui.data_key(data), bid, n + 1, ui.file_stamp(paths[bid]), data, following),
            width="stretch",
        )
    else:
        st.markdown("**Last slide.**")
if problems:
    with st.expander(f":material/warning: {len(problems)} problem(s) in this briefing file"):
        st.code("\n".join(str(p) for p in problems), language=None)

st.divider()
st.subheader("Take it away")
for col, (label, make, name, mime, key) in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
    col.download_button(label, make, name, mime, key=key)

with st.expander("Add the current map view as a new slide"):
    cur = ui.current_view()
    st.caption(
        md(
            f"Uses the sidebar filters (as of {cur.filters.date}, {', '.join(cur.filters.alliances) or 'no alliance'})"
            f" and the map's last position{'' if cur.lat is not None else ' (none yet: the whole area)'}."
        )
    )
    with st.form("new_slide"):
        new_title = st.text_input("Title", max_chars=120)
        new_caption = st.text_input("Caption", max_chars=300)
        new_notes = st.text_area("Speaker notes (cite sources as [source-id])", max_chars=3000)
        if st.form_submit_button("Add slide"):
            edited = ui.add_slide(bid, briefing.raw, new_title, new_caption, new_notes, cur)
            go(len(edited["slides"]))
            st.rerun()
    if bid in ui.state.BRIEF_EDITS.get():
        st.caption(
            md(f"This session's copy has {len(slides)} slides (not saved on the server): download it to keep it.")
        )
    st.download_button(
        "Download this briefing (YAML)",
        yaml.safe_dump(copy.deepcopy(briefing.raw), sort_keys=False, allow_unicode=True),
        f"{bid}.yaml",
        "application/x-yaml",
        key=ui.state.DL_YAML,
    )
