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
    from alliance_atlas import io

    return io.load(fixture_dir)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's when installed, else Playwright's own);
    a single sync Playwright per process, shared by tests/browser and tests/deploy."""
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as pw:
        exe = chromium_path()
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS) if exe else pw.chromium.launch(args=CHROMIUM_ARGS)
        yield b
        b.close()
