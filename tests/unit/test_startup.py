"""The build command leaves Pelican's reStructuredText reader (docutils, Pygments' lexers) out of its start
(portal/startup.py), and starts again with it when the settings would read .rst files or load another plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import DATA, ROOT, build_command


def _imports(cmd: list[str]) -> tuple[set[str], str]:
    """Run ``cmd`` (a ``python -m portal`` command) under -X importtime: the modules it imported, and its stdout."""
    done = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={**os.environ, "PORTAL_REAL_DOCUTILS": ""})
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {parts[2].strip() for parts in lines if len(parts) == 3}, done.stdout


def test_the_build_command_does_not_import_docutils_when_the_settings_read_markdown_only(tmp_path: Path):
    modules, out = _imports(build_command(DATA / "mini", tmp_path / "out", "--full"))
    assert "pelican.readers" in modules and "markdown" in modules
    # (Pygments may come with Markdown's code highlighting, when a file is parsed.)
    assert not {m for m in modules if m.split(".")[0] == "docutils" or m == "pelican.rstdirectives"}
    assert out.count("Đã dựng") == 1
    assert (tmp_path / "out" / "index.html").is_file() and (tmp_path / "out" / "dien-hinh").is_dir()


def test_settings_that_read_rst_restart_the_command_with_the_real_docutils(tmp_path: Path):
    settings = tmp_path / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
                        "READERS = {'html': None, 'htm': None}\n", encoding="utf-8")
    modules, out = _imports(build_command(DATA / "mini", tmp_path / "out", "--full", settings=str(settings)))
    assert {"docutils.core", "docutils.writers.html4css1", "pelican.rstdirectives"} <= modules
    assert out.count("Đã dựng") == 1  # the first process printed nothing before it gave way
    assert (tmp_path / "out" / "index.html").is_file()


def test_settings_with_another_plugin_restart_the_command_with_the_real_docutils(tmp_path: Path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    mark = tmp_path / "registered"
    (plugins / "rst_roles.py").write_text("import pathlib\nfrom docutils.parsers.rst import roles\n\n\n"
                                          "def register():\n"
                                          f"    pathlib.Path({str(mark)!r}).write_text(roles.__file__)\n",
                                          encoding="utf-8")
    settings = tmp_path / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
                        f"PLUGIN_PATHS = [*PLUGIN_PATHS, {str(plugins)!r}]\nPLUGINS = [*PLUGINS, 'rst_roles']\n",
                        encoding="utf-8")
    modules, out = _imports(build_command(DATA / "mini", tmp_path / "out", "--full", settings=str(settings)))
    assert "docutils.parsers.rst.roles" in modules
    assert mark.read_text().endswith("roles.py")  # the plugin's register ran, with the real module
    assert out.count("Đã dựng") == 1
    assert (tmp_path / "out" / "index.html").is_file()


def test_a_process_that_imports_the_plugin_keeps_the_real_docutils():
    code = "import portal, docutils.core, sys; print(getattr(sys.modules['docutils'], '__portal_stand_in__', False))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
