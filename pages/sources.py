"""Sources & methodology: where every dataset comes from and which rows each source supports."""

import datetime as dt

import streamlit as st

import ui
from alliance_atlas.data import loading, quality

STALE_MONTHS = 12

data = ui.atlas()
st.title("Sources & methodology")


@st.cache_data(max_entries=2)
def _cited_by(folder: str, stamp: str, _data):
    """The citation table of one data version."""
    return loading.citations(_data)


as_of = max(data.installations["last_verified"].max(), data.sources["accessed"].max())
st.info(
    f"Data as of {as_of}. Inclusion of a territory, base or deployment does not imply recognition of any claim. "
    "Borders are drawn as internationally recognised."
)
path = data.data_dir / "methodology.md"
if path.is_file():
    st.markdown(path.read_text(encoding="utf-8"))

st.header("Sources")
table = _cited_by(*ui.data_key(data), data)
q = st.text_input("Filter sources", key=ui.state.SRC_QUERY, placeholder="publisher, title, tier, row id…")
if q.strip():
    mask = table.apply(
        lambda r: all(w in " ".join(map(str, r.values)).casefold() for w in q.casefold().split()), axis=1
    )
    table = table[mask]
st.caption(f"{len(table)} source(s)")
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={"url": st.column_config.LinkColumn("url"), "cited by": st.column_config.ListColumn("cited by")},
)

st.header("Freshness")
today = dt.date.today()
cutoff = quality.months_before(today, STALE_MONTHS)
stale = quality.stale(data, today, STALE_MONTHS)
if not stale:
    st.success(f"All rows verified in the last {STALE_MONTHS} months (since {cutoff.isoformat()}).")
else:
    st.markdown(
        f"**{len(stale)} row(s) not verified in the last {STALE_MONTHS} months** "
        f"(last checked before {cutoff.isoformat()}): re-check them against their sources."
    )
    st.dataframe(
        stale,
        hide_index=True,
        width="stretch",
        column_config={"file": "file", "id": "id", "name": "name", "last_verified": "last verified"},
    )
