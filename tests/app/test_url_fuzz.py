"""URL fuzzing. Every page's parameters go through urlstate: 500 generated examples per page
there (fast), then a smaller number through the whole app per page with AppTest (set
ATLAS_FUZZ_EXAMPLES to raise it, e.g. `make fuzz`): no exception, no traceback, no unescaped
reflection of the input."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from alliance_atlas.data import schema, urlstate
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 25)
PAGE_KEYS = {
    "pages/map.py": (),
    "pages/timeline.py": (),
    "pages/installations.py": (),
    "pages/case_studies.py": (),
    "pages/sources.py": (),
    "pages/overlays.py": (),
    "pages/compare.py": ("from", "to"),
    "pages/briefing.py": ("briefing", "slide"),
}
HOSTILE = [
    "<script>alert(1)</script>",
    "${alert(1)}",
    "`",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "$\\alpha$",
    "\x00",
    "\u202e",
    "9" * 3000,
    "2000-01-01",
    "CSTO,NATO",
    "1",
]
values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), max_size=3),
    st.integers().map(str),
    st.dates().map(str),
)


def params_for(page: str):
    keys = list(urlstate.MANAGED) + list(PAGE_KEYS[page]) + ["zzz", "<b>"]
    return st.dictionaries(st.sampled_from(keys), values, max_size=8)


@pytest.mark.parametrize("page", list(PAGE_KEYS))
def test_parsing_never_fails_500_examples(page):
    @settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
    @given(params_for(page))
    def check(params):
        v = urlstate.parse(params, organizations=["CSTO", "CIS", "NATO"], selectable={"gyumri-102nd-base"}, today=TODAY)
        assert schema.EARLIEST <= v.filters.date <= TODAY
        assert v.zoom is None or 2 <= v.zoom <= 11
        for notice in v.notices:
            assert len(notice) < 300
        pp = urlstate.page_params(params)
        for key in ("from", "to"):
            day, _ = urlstate.parse_date_param(key, pp.get(key), TODAY, TODAY)
            assert schema.EARLIEST <= day <= TODAY
        n, _ = urlstate.parse_slide(pp.get("slide"), 12)
        assert 1 <= n <= 12
        back = urlstate.parse(
            urlstate.to_params(v, TODAY),
            organizations=["CSTO", "CIS", "NATO"],
            selectable={"gyumri-102nd-base"},
            today=TODAY,
        )
        assert back.filters == v.filters and back.notices == ()

    check()


def _unescaped(text: str) -> bool:
    """Raw markup from the input in an element's markdown source (md() escapes '<' as '\\<')."""
    return (
        bool(re.search(r"(?<!\\)<(script|img|svg)", text))
        or "javascript:alert" in text.replace("\\", "")
        and "](" in text
    )


@pytest.mark.parametrize("page", list(PAGE_KEYS))
def test_app_survives_fuzzed_urls(page, monkeypatch):
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    n = int(os.environ.get("ATLAS_FUZZ_EXAMPLES", "12"))

    @settings(max_examples=n, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(params_for(page))
    def check(params):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.run()
        if page != "pages/map.py":
            at.switch_page(page)
        for k, v in params.items():
            at.query_params[k] = v if isinstance(v, str) else list(v)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        for el in [*at.warning, *at.error, *at.markdown, *at.caption]:
            assert not _unescaped(str(el.value)), el.value

    check()
