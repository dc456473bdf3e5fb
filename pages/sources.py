"""Sources & methodology: where every dataset comes from and which rows each source supports."""

import streamlit as st

import ui
from alliance_atlas import io as atlas_io

data = ui.atlas()
st.title("Sources & methodology")


@st.cache_data(max_entries=2)
def _cited_by(folder: str, stamp: str, _data):
    """The citation table of one data version."""
    return atlas_io.citations(_data)


as_of = max(data.installations["last_verified"].max(), data.sources["accessed"].max())
st.info(f"Data as of {as_of}. Inclusion of a territory, base or deployment does not imply recognition of any claim. "
        "Borders are drawn as internationally recognised.")
path = data.data_dir / "methodology.md"
if path.is_file():
    st.markdown(path.read_text(encoding="utf-8"))

st.header("Sources")
table = _cited_by(*ui.data_key(data), data)
q = st.text_input("Filter sources", key="src_query", placeholder="publisher, title, row id…")
if q.strip():
    mask = table.apply(lambda r: all(w in " ".join(map(str, r.values)).casefold() for w in q.casefold().split()), axis=1)
    table = table[mask]
st.caption(f"{len(table)} source(s)")
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"url": st.column_config.LinkColumn("url"),
                            "cited by": st.column_config.ListColumn("cited by")})
