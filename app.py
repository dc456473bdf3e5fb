"""Alliance Atlas: page config, shared sidebar filters, navigation — nothing else."""

import streamlit as st

import ui

st.set_page_config(page_title="Alliance Atlas", page_icon="🗺️", layout="wide")
data = ui.atlas()
ui.link_notice()
ui.sidebar(data)
ui.search_box(data)
st.navigation([
    st.Page(ui.MAP_PAGE, title="Map", icon="🗺️", default=True),
    st.Page("pages/timeline.py", title="Timeline", icon="📅"),
    st.Page("pages/installations.py", title="Installations", icon="📋"),
    st.Page("pages/compare.py", title="Compare dates", icon="↔️"),
    st.Page("pages/case_studies.py", title="Case studies", icon="📚"),
    st.Page("pages/briefing.py", title="Briefing", icon="🎞️"),
    st.Page("pages/overlays.py", title="Your data", icon="📎"),
    st.Page("pages/sources.py", title="Sources & methodology", icon="🔎"),
]).run()
