"""Every page of the built sample portal is valid HTML, per the Nu Html Checker (vnu.jar from npm `vnu-jar`).

Locally the module skips without Java or node_modules/vnu-jar; with env CI set a missing tool fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from support import ROOT

JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

if not (JAVA and JAR.is_file()):
    if os.environ.get("CI"):
        raise RuntimeError(f"HTML validation needs java ({JAVA}) and {JAR}: apt-get install default-jre; npm ci")
    pytest.skip("java or node_modules/vnu-jar is missing", allow_module_level=True)

# Pagefind's own UI fragments are not ours to fix.
EXCLUDED = ("pagefind",)


def test_every_built_page_is_valid_html(sample_site: Path) -> None:
    pages = sorted(p for p in sample_site.rglob("*.html")
                   if p.relative_to(sample_site).parts[0] not in EXCLUDED)
    assert len(pages) > 50
    result = subprocess.run([JAVA, "-jar", str(JAR), "--errors-only", "--skip-non-html", "--format", "json",
                             *map(str, pages)], capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    listing = "\n".join(f"{m.get('url', '').split(str(sample_site))[-1]}:{m.get('lastLine', '?')}: {m['message']}"
                        for m in errors)
    assert errors == [], f"{len(errors)} HTML errors:\n{listing}"
    assert result.returncode == 0, result.stderr[-2000:]
