from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def _navigation_not_pages_dir(monkeypatch):
    """Test-only, and the one use of a Streamlit internal left: AppTest itself resets
    ``PagesManager.uses_pages_directory`` to None at the start of every ``at.run()``
    (streamlit/testing/v1/app_test.py), so every AppTest run starts in the old pages-folder mode,
    which a real server leaves for good at its first st.navigation call. The app leaves that mode
    through the public API (ui._through_app_py: st.navigation, then a rerun through app.py), but in
    AppTest every run would pay that rerun and lose the widget interaction it was testing. Tell
    AppTest what the server does after its first run."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
