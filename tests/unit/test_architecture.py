"""The domain package never imports streamlit; pages only go through ui; paths are not cwd-relative."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_package_has_no_streamlit():
    offenders = [p.name for p in (ROOT / "alliance_atlas").rglob("*.py") if {"streamlit", "streamlit_folium", "ui"} & _imports(p)]
    assert offenders == []


def test_detector_would_catch_a_streamlit_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit import session_state\n")
    assert "streamlit" in _imports(bad)


def test_app_py_is_only_config_sidebar_navigation():
    tree = ast.parse((ROOT / "app.py").read_text())
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert defs == []
    assert len(tree.body) <= 9  # docstring, 2 imports, page config, data, link notice, sidebar, search, navigation


def test_no_cwd_relative_paths_in_code():
    for path in [*(ROOT / "alliance_atlas").rglob("*.py"), ROOT / "ui.py", *(ROOT / "pages").glob("*.py")]:
        text = path.read_text()
        assert "os.getcwd" not in text and 'Path(".")' not in text and "Path.cwd" not in text, path
