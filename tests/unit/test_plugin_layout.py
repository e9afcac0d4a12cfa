"""The plugin's rooms: the build never imports the editors' and developers' tools."""

from __future__ import annotations

import ast
from pathlib import Path

import portal

PLUGIN = Path(portal.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved against the ``portal`` package."""
    package = ["portal", *path.relative_to(PLUGIN).parts[:-1]]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_no_build_module_imports_a_tool():
    build_modules = [p for p in PLUGIN.rglob("*.py") if "tools" not in p.relative_to(PLUGIN).parts]
    assert len(build_modules) > 20
    offenders = {p.relative_to(PLUGIN).as_posix(): sorted(m for m in _imports(p) if m.startswith("portal.tools"))
                 for p in build_modules}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_tools_do_import_the_build():
    """The check above reads imports correctly: the tools' own imports of the build are seen."""
    assert "portal.schema.KINDS" in _imports(PLUGIN / "tools" / "authoring.py")
    assert "portal.tools.synth.generate" in _imports(PLUGIN / "tools" / "bench.py")
