"""The domain package never imports streamlit; pages only go through ui; paths are not cwd-relative."""

from __future__ import annotations

import ast
import re
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
    offenders = [
        p.name for p in (ROOT / "alliance_atlas").rglob("*.py") if {"streamlit", "streamlit_folium", "ui"} & _imports(p)
    ]
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
    for path in [*(ROOT / "alliance_atlas").rglob("*.py"), *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]:
        text = path.read_text()
        assert "os.getcwd" not in text and 'Path(".")' not in text and "Path.cwd" not in text, path


def _streamlit_internals(path: Path) -> list[str]:
    """Imports of Streamlit's internals (anything under streamlit.runtime / streamlit.web, or a
    private name): the app and its tests use the public API only."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        mods = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
        for mod in mods:
            if mod.startswith(("streamlit.runtime", "streamlit.web")) or (
                mod.startswith("streamlit") and any(n.startswith("_") for n in [*mod.split("."), *names])
            ):
                found.append(mod)
    return found


def test_no_private_streamlit_api_anywhere():
    files = [
        ROOT / "app.py",
        *(ROOT / "ui").glob("*.py"),
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        *(ROOT / "bench").rglob("*.py"),
        *(ROOT / "alliance_atlas").rglob("*.py"),
    ]
    found = {str(p.relative_to(ROOT)): f for p in files if (f := _streamlit_internals(p))}
    # the one exception, test-only: AppTest resets the pages-folder flag at every run (see its docstring)
    assert found == {"tests/app/conftest.py": ["streamlit.runtime.pages_manager"]}


def test_internals_detector_catches_pages_manager(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit.runtime.pages_manager import PagesManager\n")
    assert _streamlit_internals(bad) == ["streamlit.runtime.pages_manager"]


# -- the map of the house (README "A map of the house") -----------------------------------------

#: order of the domain's parts: a part imports only parts earlier in this list, and itself
DOMAIN_ORDER = ("safe", "data", "uploads", "analysis", "cartography", "renderers", "cli")


def _part(module: str) -> str | None:
    """'alliance_atlas.data.asof' -> 'data'; 'alliance_atlas.safe' -> 'safe'; other modules -> None."""
    bits = module.split(".")
    return bits[1] if bits[0] == "alliance_atlas" and len(bits) > 1 else None


def _domain_imports(path: Path, root: Path = ROOT) -> set[str]:
    """The alliance_atlas modules a file imports (absolute and relative, at any depth of the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("alliance_atlas")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module.startswith("alliance_atlas"):
                found |= {f"{module}.{a.name}" for a in node.names} if module == "alliance_atlas" else {module}
    return found


def upward_imports(root: Path = ROOT) -> list[str]:
    out = []
    for path in sorted((root / "alliance_atlas").rglob("*.py")):
        own = _part(".".join(path.relative_to(root).with_suffix("").parts))
        if own not in DOMAIN_ORDER:
            continue
        for module in _domain_imports(path, root):
            other = _part(module)
            if other in DOMAIN_ORDER and DOMAIN_ORDER.index(other) > DOMAIN_ORDER.index(own):
                out.append(f"{path.relative_to(root)} imports {module}")
    return out


def test_domain_imports_go_down_the_house_map():
    assert upward_imports() == []


def test_upward_import_detector_catches_one(tmp_path):
    (tmp_path / "alliance_atlas" / "data").mkdir(parents=True)
    (tmp_path / "alliance_atlas" / "data" / "bad.py").write_text("from alliance_atlas.renderers import leaflet_map\n")
    assert upward_imports(tmp_path) == ["alliance_atlas/data/bad.py imports alliance_atlas.renderers"]


def test_every_domain_part_is_on_the_house_map_and_in_order():
    parts = sorted(p.name for p in (ROOT / "alliance_atlas").iterdir() if p.is_dir() and (p / "__init__.py").is_file())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A map of the house", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `alliance_atlas/(\w+)(?:/|\.py)` \|", section, flags=re.M)
    folders = re.findall(r"^\| `alliance_atlas/(\w+)/` \|", section, flags=re.M)
    assert sorted(folders) == parts, "README's house map and the folders differ"
    ordered = [p for p in listed if p in DOMAIN_ORDER]
    assert [p for p in DOMAIN_ORDER if p in ordered] == ordered, "README lists the parts out of import order"
    flat = sorted(p.stem for p in (ROOT / "alliance_atlas").glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert set(flat) <= {"safe"}, f"modules outside a sub-package: {flat}"


def session_state_uses(path: Path) -> list[int]:
    """Lines of a page that touch st.session_state directly (pages go through ui.state's typed slots)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "session_state"]


def test_pages_use_session_state_only_through_ui_state():
    found = {p.name: lines for p in sorted((ROOT / "pages").glob("*.py")) if (lines := session_state_uses(p))}
    assert found == {}


def test_session_state_detector_catches_a_direct_use(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import streamlit as st\nst.session_state['x'] = 1\n")
    assert session_state_uses(page) == [2]


def test_every_session_key_is_declared_once():
    from ui import state

    slots = [v for v in vars(state).values() if isinstance(v, state.Slot)]
    keys = [s.key for s in slots]
    assert len(keys) == len(set(keys)), "two slots share a key"
    assert all(callable(s.default) for s in slots)


def literal_widget_keys(path: Path) -> list[int]:
    """Lines of a page that give a widget a string-literal key (widget keys are ui.state slots; a container's
    key is a CSS hook holding no state and may be a literal) or that draw a map without ui.map_widget."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for kw in node.keywords:
                literal = isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)
                if kw.arg == "key" and literal and name != "container":
                    found.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit_folium"):
            found.append(node.lineno)
    return found


def test_pages_key_widgets_through_ui_state_and_draw_maps_through_one_widget():
    found = {p.name: lines for p in sorted((ROOT / "pages").glob("*.py")) if (lines := literal_widget_keys(p))}
    assert found == {}
    helpers = sorted(p for p in (ROOT / "ui").glob("*.py") if p.name != "mapview.py")  # mapview: the one widget
    assert {p.name: lines for p in helpers if (lines := literal_widget_keys(p))} == {}


def test_widget_key_detector_catches_a_literal_and_a_direct_map(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\nfrom streamlit_folium import st_folium\n"
        "st.text_input('q', key='q')\nwith st.container(key='css_hook'):\n    pass\n"
    )
    assert literal_widget_keys(page) == [2, 3]
