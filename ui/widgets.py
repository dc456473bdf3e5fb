"""Shared look: the legend beside a map, and the presenter's and audience's layouts."""

from __future__ import annotations

import streamlit as st

#: the legend beside a map (Map page, briefing): the same HTML as the legend drawn on exported maps
LEGEND_CSS = """<style>
.atlas-legend-side { font-size: 15px; line-height: 1.35; max-height: 700px; overflow: auto;
  border: 1px solid #444; border-radius: 4px; padding: 6px 10px; background: #fff; }
.atlas-legend-side summary { cursor: pointer; }
.atlas-legend-side .atlas-legend-title { font-size: 16px; font-weight: bold; }
.atlas-legend-side .hint { font-size: 13px; color: #333; }
.atlas-legend-side .grp { margin-top: 8px; }
.atlas-legend-side .sw { display: inline-block; width: 20px; height: 14px; margin-right: 8px; vertical-align: middle;
  border: 1px solid #000; box-sizing: border-box; }
.atlas-legend-side .atlas-mk { display: inline-block; width: 20px; height: 20px; margin-right: 8px;
  vertical-align: middle; overflow: visible; }
@media (min-width: 1700px) {  /* wide screens: short entries in two columns */
  .atlas-legend-side .grp.cols { display: grid; grid-template-columns: 1fr 1fr; column-gap: 6px; }
  .atlas-legend-side .grp.cols > b, .atlas-legend-side .grp.cols > .hint { grid-column: 1 / -1; }
}
@media (max-width: 1699px) {  /* laptops and 4:3 projectors: smaller type, so a whole-area legend fits */
  .atlas-legend-side { font-size: 13px; line-height: 1.15; padding: 4px 8px; }
  .atlas-legend-side .atlas-legend-title { font-size: 14px; }
  .atlas-legend-side .grp { margin-top: 4px; }
  .atlas-legend-side .hint { font-size: 12px; }
  .atlas-legend-side .sw { width: 15px; height: 11px; margin-right: 6px; }
  .atlas-legend-side .atlas-mk { width: 14px; height: 14px; margin-right: 7px; }
}
</style>"""


def side_legend(legend_html: str, max_height: str = "700px") -> None:
    """The scene's legend beside the map (collapsible), never over it."""
    st.html(
        f"{LEGEND_CSS}<div class='atlas-legend atlas-legend-side' style='max-height:{max_height}'>{legend_html}</div>"
    )


#: presenter layout: large type for projectors, nothing of Streamlit's chrome on the audience's screen
PRESENTER_CSS = """<style>
.atlas-counter { font-size: 1.6rem; font-weight: 700; text-align: center; margin: 0; white-space: nowrap; }
.atlas-caption { font-size: 1.4rem; line-height: 1.3; color: #000; margin: 0; }
.atlas-srcline { font-size: 1.05rem; color: #222; margin: 0; }
.atlas-notes { font-size: 1.3rem; line-height: 1.5; color: #111; background: #f4f4f4; padding: .8rem 1rem;
  border-left: 6px solid #000; }
.atlas-notes ol { font-size: 1.05rem; margin: .6rem 0 0 1.2rem; }
h1.atlas-slide-title { font-size: 2.2rem; line-height: 1.2; margin: 0; padding: 0; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
</style>"""


#: the audience's screen: no header, toolbar, sidebar or footer; the map fills the height below the title
AUDIENCE_CSS = """<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"], footer { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: .5rem 1.2rem 0 1.2rem !important; max-width: 100% !important; }
.st-key-deck_map iframe { height: calc(100vh - 215px) !important; min-height: 300px; }
</style>"""
