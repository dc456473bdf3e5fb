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
