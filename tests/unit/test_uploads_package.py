"""The uploads sub-package stays a set of small modules: each ≤ 300 lines with a docstring saying what it
is for, and none reaching into another's private (underscore) names."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "alliance_atlas" / "uploads"
MAX_LINES = 300


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports(path: Path) -> list[str]:
    """Underscore names this module takes from other modules: ``from m import _x``, ``import m._x``,
    a private module in the path, or ``m._x`` on a module it imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".")
            found += [f"{node.module}" for p in parts if _private(p)]
            found += [f"{node.module or '.'}.{a.name}" for a in node.names if _private(a.name)]
            modules |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if any(_private(p) for p in a.name.split("."))]
            modules |= {(a.asname or a.name).split(".")[0] for a in node.names}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_the_package_exists_and_the_old_flat_modules_are_gone():
    assert (PACKAGE / "__init__.py").is_file() and len(_modules()) >= 8
    assert not (ROOT / "alliance_atlas" / "overlays.py").exists()
    assert not (ROOT / "alliance_atlas" / "overlay_geometry.py").exists()


def test_every_module_is_at_most_300_lines():
    long = {p.name: n for p in _modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_module_says_what_it_is_for_in_one_line():
    for path in _modules():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc and doc.splitlines()[0].strip(), f"{path.name} has no docstring"
        if path.name != "__init__.py":  # the package's docstring also maps where each decision lives
            assert "\n" not in doc.strip(), f"{path.name}: the docstring is more than one line"


def test_no_module_imports_a_private_name_from_another():
    found = {p.name: f for p in _modules() if (f := private_imports(p))}
    assert found == {}


def test_detector_catches_each_way_of_reaching_a_private_name(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from .report import Report, _phrase\nfrom . import geometry\nimport os._x\ngeometry._position([1, 2])\n"
    )
    assert private_imports(bad) == ["report._phrase", "os._x", "geometry._position"]
    fine = tmp_path / "fine.py"
    fine.write_text(
        "from .report import Report\nfrom . import geometry\nx = geometry.build.__name__\n"
        "class A:\n    def _own(self):\n        return self._own\n"
    )
    assert private_imports(fine) == []
