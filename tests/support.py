"""Helpers shared by the tests: real builds of real content trees, read as a reader would."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def run_build(content: Path, output: Path, *, strict: bool = False, settings: str = "pelicanconf.py",
              env: dict[str, str] | None = None, full: bool = False) -> subprocess.CompletedProcess:
    """Build ``content`` into ``output`` with the real CLI, as an editor would (``full``: every page again)."""
    cmd = [sys.executable, "-m", "portal", "build", "-s", str(ROOT / settings), "-c", str(content),
           "-o", str(output)]
    if strict:
        cmd.append("--strict")
    if full:
        cmd.append("--full")
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, **env} if env else None)


def soup(output: Path, url: str) -> BeautifulSoup:
    """Parse the page a reader gets at ``url`` (e.g. "/dien-hinh/x/")."""
    path = output / url.strip("/") / "index.html" if not url.endswith(".html") else output / url.strip("/")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pelican_context(content: Path, tmp: Path) -> dict:
    """Run phase 1 of a real build (read, validate, join) and return Pelican's context."""
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content), "OUTPUT_PATH": str(tmp)})
    pelican = Pelican(settings)
    context = {**settings, "generated_content": {}, "static_links": set(), "static_content": {},
               "localsiteurl": settings["SITEURL"]}
    generators = [cls(context=context, settings=settings, path=settings["PATH"], theme=settings["THEME"],
                      output_path=str(tmp)) for cls in pelican._get_generator_classes()]
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
    return context


def snapshot(root: Path) -> dict[str, str]:
    """Every file below ``root`` and the hash of its bytes: compared to prove a site was left as it was."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def stop(process: subprocess.Popen) -> None:
    """End a server the test started: politely, then for good."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
