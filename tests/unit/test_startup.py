"""The build command leaves Pelican's reStructuredText reader (docutils, Pygments' lexers) out of its start
(portal/startup.py), and starts again with it when the settings would read .rst files or load another plugin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def _hooked(tmp_path: Path, source: str) -> dict[str, str]:
    """An environment whose Python runs ``source`` as its ``sitecustomize`` at start-up, the plugin on its path: how
    a test watches the collector in a command's own process."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(source, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(hooks), str(ROOT / "plugins")])}


def test_the_build_command_imports_pelican_and_the_portal_with_the_collector_off(tmp_path: Path):
    """The command's process turns the collector off before it imports Pelican (startup.collect_later): before, the
    objects of ~450 modules woke it again and again. Seen from a ``sitecustomize`` that logs every collection that
    starts once Pelican is being imported; ``--help`` ends the process after the imports, before any build."""
    log = tmp_path / "collections.log"
    env = _hooked(tmp_path, "import gc, sys\n\n\n"
                            f"def _logged(phase, info, log={str(log)!r}):\n"
                            "    if phase == 'start' and 'pelican' in sys.modules:\n"
                            "        with open(log, 'a') as f:\n"
                            "            f.write(f\"{info['generation']}\\n\")\n\n\n"
                            "gc.callbacks.append(_logged)\n")

    def run(*cmd: str) -> str:
        done = subprocess.run([sys.executable, *cmd], capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("-c", "import portal, pelican.generators")  # the plugin imported by another program: the collector runs
    assert log.is_file() and log.read_text().split(), "the hook saw no collection: it does not test anything"
    log.unlink()
    assert "python -m portal" in run("-m", "portal", "build", "--help")
    assert not log.exists(), f"collections while the command imported: {log.read_text().split()}"


@pytest.mark.parametrize("spelling", [["-m", "portal"], ["-mportal"]])
def test_the_build_command_ends_with_the_collector_off_however_it_is_spelled(tmp_path: Path, spelling: list[str]):
    """The command leaves without a last collection over every object the build made (__main__.py), also where the
    package does not see ``-m portal`` in the command line (startup.started_as_command) and so imported with the
    collector on. Seen from a ``sitecustomize`` that reports, as the command's own process leaves, whether the
    collector is on."""
    env = _hooked(tmp_path, "import gc, os, sys\n\n_pid, _exit = os.getpid(), os._exit\n\n\n"
                            "def _reported(code):\n"
                            "    if os.getpid() == _pid:\n"
                            "        print(f'collector on at exit: {gc.isenabled()}', file=sys.stderr, flush=True)\n"
                            "    _exit(code)\n\n\n"
                            "os._exit = _reported\n")
    cmd = build_command(DATA / "mini", tmp_path / "out")
    done = subprocess.run([cmd[0], *spelling, *cmd[3:]], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Đã dựng" in done.stdout
    assert "collector on at exit: False" in done.stderr.splitlines()
