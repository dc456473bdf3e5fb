"""Briefing: step through prepared views (presenter layout), add slides, take exports away."""

import copy

import streamlit as st
import yaml
from streamlit_folium import st_folium

import ui
from alliance_atlas import content, layers, render, standalone, urlstate, view
from alliance_atlas.details import sources_of
from alliance_atlas.safe import md, md_link

st.set_page_config(initial_sidebar_state="collapsed")  # presenter layout: full width from the first load
data = ui.atlas()
st.html(ui.PRESENTER_CSS)

paths = content.briefings(data)
if not paths:
    st.error("No briefing files in data/briefings/.")
    st.stop()
bid = ui.page_param("briefing") or "default"
if bid not in paths:
    st.warning(md(f"No briefing {bid[:60]}; showing the first one."), icon="⚠️")
    bid = next(iter(paths))
briefing, problems = ui.briefing(bid, paths[bid])
if briefing is None:
    st.error(md(f"The briefing {bid} cannot be read: {problems[0] if problems else ''}"))
    st.stop()
if problems:
    with st.expander(f"⚠️ {len(problems)} problem(s) in this briefing file"):
        st.code("\n".join(str(p) for p in problems), language=None)

slides = briefing.slides
n, notice = urlstate.parse_slide(ui.page_param("slide"), len(slides))
if notice:
    st.warning(md(notice), icon="⚠️")


def go(to: int) -> None:
    ui.set_page_params(briefing=bid, slide=str(max(1, min(len(slides), to))))


ui.set_page_params(briefing=bid, slide=str(n))
slide = slides[n - 1]
v = slide.view

head, nav = st.columns([3, 2], vertical_alignment="center")
with head:
    st.caption(md(briefing.title))
    st.title(md(slide.title))
with nav:
    b1, counter, b2 = st.columns([1, 1, 1], vertical_alignment="center")
    b1.button("◀ Previous", on_click=go, args=(n - 1,), disabled=n == 1, shortcut="Left", key="brief_prev",
              width="stretch")
    counter.markdown(f"<p class='atlas-counter'>{n} / {len(slides)}</p>", unsafe_allow_html=True)
    b2.button("Next ▶", on_click=go, args=(n + 1,), disabled=n == len(slides), shortcut="Right", key="brief_next",
              type="primary", width="stretch")

st.markdown(f"<p class='atlas-caption'>{ui.html_text(slide.caption)}</p>", unsafe_allow_html=True)
prefix = ui.static_prefix()
built = view.build(data, v.filters, prefix, include=v.layers, highlight=v.highlight, title=briefing.title)
st_folium(layers.base_map(data, "vector", prefix), key="briefing_map", feature_group_to_add=built.groups,
          center=(v.lat, v.lon), zoom=v.zoom, returned_objects=[], use_container_width=True, height=680)

if st.toggle("Speaker notes", value=True, key="brief_notes"):
    st.markdown(f"<div class='atlas-notes'>{ui.html_text(slide.notes)}</div>", unsafe_allow_html=True)
    links = " · ".join(md_link(s.url, s.publisher) for s in sources_of(data, [";".join(slide.sources)]))
    if links:
        st.caption("Sources: " + links)

st.divider()
st.subheader("Take it away")
title = f"{briefing.title} — {slide.title}"
e1, e2, e3, e4 = st.columns(4)
e1.download_button("Map as HTML (offline)", lambda: standalone.standalone_html(
    data, v.filters, title=title, center=(v.lat, v.lon), zoom=v.zoom, include=v.layers, highlight=v.highlight),
    ui.download_name(f"{bid}-slide{n}", v.filters.date, "html"), "text/html", key="dl_html")
e2.download_button("Image (PNG 1920×1080)", lambda: render.to_png(render.render_map(
    data, v.filters, title=title, center=(v.lat, v.lon), zoom=v.zoom, highlight=v.highlight, layers=v.layers)),
    ui.download_name(f"{bid}-slide{n}", v.filters.date, "png"), "image/png", key="dl_png")
e3.download_button("Image (SVG)", lambda: render.to_svg(render.render_map(
    data, v.filters, title=title, center=(v.lat, v.lon), zoom=v.zoom, highlight=v.highlight, layers=v.layers)),
    ui.download_name(f"{bid}-slide{n}", v.filters.date, "svg"), "image/svg+xml", key="dl_svg")
e4.download_button("Handout (PDF, all slides)", lambda: render.briefing_pdf(data, briefing.raw),
                   f"alliance-atlas-{bid}-handout.pdf", "application/pdf", key="dl_pdf")

with st.expander("Add the current map view as a new slide"):
    cur = ui.current_view()
    st.caption(md(f"Uses the sidebar filters (as of {cur.filters.date}, {', '.join(cur.filters.alliances) or 'no alliance'})"
                  f" and the map's last position{'' if cur.lat is not None else ' (none yet: the whole area)'}."))
    with st.form("new_slide"):
        new_title = st.text_input("Title", max_chars=120)
        new_caption = st.text_input("Caption", max_chars=300)
        new_notes = st.text_area("Speaker notes (cite sources as [source-id])", max_chars=3000)
        if st.form_submit_button("Add slide"):
            edited = ui.add_slide(bid, briefing.raw, new_title, new_caption, new_notes, cur)
            go(len(edited["slides"]))
            st.rerun()
    if bid in st.session_state.get(ui.K_BRIEF_EDITS, {}):
        st.caption(md(f"This session's copy has {len(slides)} slides (not saved on the server): download it to keep it."))
    st.download_button("Download this briefing (YAML)", yaml.safe_dump(copy.deepcopy(briefing.raw), sort_keys=False,
                       allow_unicode=True), f"{bid}.yaml", "application/x-yaml", key="dl_yaml")
