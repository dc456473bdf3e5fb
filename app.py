"""Alliance Atlas: page config, shared sidebar filters, navigation — nothing else."""

import streamlit as st

import ui

st.set_page_config(page_title="Alliance Atlas", page_icon="🗺️", layout="wide")
ui.sidebar(ui.atlas())
st.navigation([st.Page("pages/map.py", title="Map", icon="🗺️", default=True)]).run()
