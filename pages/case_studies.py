"""Case studies: a narrative from cited sources, key dated facts, and a focused map one click away."""

import re

import streamlit as st

import ui
from alliance_atlas.analysis import details
from alliance_atlas.analysis.details import sources_of
from alliance_atlas.data import content, schema
from alliance_atlas.safe import md, md_link

data = ui.atlas()
st.title("Case studies")


@st.cache_resource(max_entries=2)
def _studies(folder: str, stamp: str, _data):
    """Parsed case studies of one data version (the stamp covers case_studies/*.md)."""
    return content.load_case_studies(_data)


studies, problems = _studies(*ui.data_key(data), data)
if problems:
    st.warning(md(f"{len(problems)} problem(s) in the case-study files; the affected ones may be incomplete."))
    with st.expander("Problems"):
        st.code("\n".join(str(p) for p in problems), language=None)

src_index = {s.id: s for s in sources_of(data, [";".join(data.sources["id"])])}


def _cite(body: str, numbers: dict[str, int]) -> str:
    """Text with [source-id] citations turned into numbered links (numbers shared across the
    whole narrative); everything else plain text."""
    parts, out = re.split(r"(\[[a-z0-9][a-z0-9-]*\])", body), []
    for part in parts:
        m = re.fullmatch(r"\[([a-z0-9][a-z0-9-]*)\]", part)
        if m and m[1] in src_index:
            n = numbers.setdefault(m[1], len(numbers) + 1)
            out.append(md_link(src_index[m[1]].url, f"[{n}]"))
        else:
            out.append(md(part, keep_edges=True) if part.strip() else part)
    return "".join(out)


titles = {c.id: c.title for c in studies}
chosen = (
    st.radio(
        "Case study",
        list(titles),
        format_func=titles.get,
        key=ui.state.CASE_STUDY,
        horizontal=False,
        label_visibility="collapsed",
    )
    if studies
    else None
)
case = next((c for c in studies if c.id == chosen), None)
if case:
    st.header(md(case.title))
    v = case.view
    orgs = schema.org_names(data.organizations)
    st.caption(
        md(
            f"Map preset: as of {v.filters.date.isoformat()} · "
            f"{', '.join(orgs.get(o, o) for o in v.filters.alliances) or 'no alliance'}"
            f" · highlighted: {', '.join(details.item_name(data, i) for i in v.highlight) or '—'}"
        )
    )
    if st.button("Open on the map", type="primary", key=f"open_{case.id}"):
        ui.request_view(v.filters, v.lat, v.lon, v.zoom, page=ui.MAP_PAGE)
    numbers: dict[str, int] = {}
    for para in case.body.split("\n\n"):
        st.markdown(_cite(para.replace("\n", " "), numbers))
    if case.key_facts:
        st.subheader("Key dated facts")
        for fact in case.key_facts:
            links = ", ".join(
                md_link(s.url, s.publisher) for s in sources_of(data, [";".join(fact.get("sources") or [])])
            )
            st.markdown(
                f"- **{md(fact.get('date', ''))}** — {md(fact.get('text', ''))}" + (f" ({links})" if links else "")
            )
    st.subheader("Sources")
    ordered = sorted(sources_of(data, [";".join(case.sources)]), key=lambda s: numbers.get(s.id, 10_000))
    for s in ordered:
        n = f"[{numbers[s.id]}] " if s.id in numbers else ""
        st.markdown(f"- {md(n)}{md_link(s.url, f'{s.publisher}: {s.title}')}")
