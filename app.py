"""Alliance Atlas: page config, shared sidebar filters, navigation (st.navigation, in ui.navigate) — nothing else."""

import streamlit as st

import ui

st.set_page_config(**ui.PAGE_CONFIG)
ui.frame(ui.atlas(main=True))
ui.navigate()
