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
    assert len(tree.body) <= 6  # docstring, 2 imports, page config, the shared frame (ui.frame), navigation


def test_no_cwd_relative_paths_in_code():
    for path in [*(ROOT / "alliance_atlas").rglob("*.py"), ROOT / "ui.py", *(ROOT / "pages").glob("*.py")]:
        text = path.read_text()
        assert "os.getcwd" not in text and 'Path(".")' not in text and "Path.cwd" not in text, path


def _streamlit_internals(path: Path) -> list[str]:
    """Imports of Streamlit's internals (anything under streamlit.runtime / streamlit.web, or a
    private name): the app and its tests use the public API only."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
        for mod in mods:
            if mod.startswith(("streamlit.runtime", "streamlit.web")) or (
                    mod.startswith("streamlit") and any(n.startswith("_") for n in [*mod.split("."), *names])):
                found.append(mod)
    return found


def test_no_private_streamlit_api_anywhere():
    files = [ROOT / "app.py", ROOT / "ui.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "tests").rglob("*.py"),
             *(ROOT / "bench").rglob("*.py"), *(ROOT / "alliance_atlas").rglob("*.py")]
    found = {str(p.relative_to(ROOT)): f for p in files if (f := _streamlit_internals(p))}
    # the one exception, test-only: AppTest resets the pages-folder flag at every run (see its docstring)
    assert found == {"tests/app/conftest.py": ["streamlit.runtime.pages_manager"]}


def test_internals_detector_catches_pages_manager(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit.runtime.pages_manager import PagesManager\n")
    assert _streamlit_internals(bad) == ["streamlit.runtime.pages_manager"]
