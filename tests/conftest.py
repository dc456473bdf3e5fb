from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fixtures  # noqa: E402


@pytest.fixture
def fixture_dir(tmp_path: Path) -> Path:
    return fixtures.write_data(tmp_path / "data")


@pytest.fixture
def fixture_atlas(fixture_dir):
    from alliance_atlas.data import loading

    return loading.load(fixture_dir)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's when installed, else Playwright's own);
    a single sync Playwright per process, shared by tests/browser and tests/deploy."""
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as pw:
        exe = chromium_path()
        b = (
            pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
            if exe
            else pw.chromium.launch(args=CHROMIUM_ARGS)
        )
        yield b
        b.close()


def pytest_collection_modifyitems(items) -> None:
    """Each test carries the marker of its layer, from its folder: unit, app, browser, deploy
    (`pytest -m "unit or app"` is the edit loop, `make test-fast`)."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT).parts
        if len(parts) > 2 and parts[0] == "tests" and parts[1] in ("unit", "app", "browser", "deploy"):
            item.add_marker(getattr(pytest.mark, parts[1]))
