from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def _navigation_not_pages_dir(monkeypatch):
    """AppTest builds a fresh PagesManager per run and, seeing a pages/ folder, treats the app
    as an old-style multipage app on reruns (the rerun then executes pages/map.py alone, without
    app.py's sidebar). The real server does not do this once st.navigation is called (checked in
    the browser suite). Tell AppTest the same."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
