"""Precompression and the redirect map, written on the staging dir before the atomic swap."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from portal import serving
from support import DATA, ROOT, run_build, snapshot

try:
    import brotli
except ImportError:
    brotli = None


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "a" / "b").mkdir(parents=True)
    text = "Thi đua yêu nước, khen thưởng kịp thời. " * 40
    for name in ("index.html", "a/site.css", "a/app.js", "a/atom.xml", "a/data.json", "a/logo.svg", "robots.txt"):
        (root / name).write_text(f"<!-- {name} -->\n{text}", encoding="utf-8")
    (root / "a" / "tiny.css").write_text("body{margin:0}", encoding="utf-8")
    (root / "a" / "photo.jpg").write_bytes(os.urandom(4096))
    (root / "a" / "x.wasm").write_bytes(b"\0asm" + text.encode())
    (root / "a" / "b" / "vi_1a2b3c.pf_fragment").write_bytes(gzip.compress(text.encode()))
    return root


def test_only_text_files_get_compressed_copies(site: Path):
    (site / "a" / "lien-ket.html").symlink_to(site / "index.html")  # a link is served as its target is
    (site / "a" / "thu-muc.css").mkdir()
    written = serving.precompress(site)
    gz = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.gz"))
    assert gz == ["a/app.js.gz", "a/atom.xml.gz", "a/data.json.gz", "a/logo.svg.gz", "a/site.css.gz",
                  "index.html.gz", "robots.txt.gz"]
    br = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.br"))
    assert br == ([f"{path[:-3]}.br" for path in gz if not path.endswith((".html.gz", ".xml.gz"))] if brotli else [])
    copies = [*site.rglob("*.gz"), *site.rglob("*.br")]
    assert written == {str(p): p.stat().st_size for p in copies}  # what the build's state records
    for path in gz:
        original = (site / path[:-3]).read_bytes()
        assert gzip.decompress((site / path).read_bytes()) == original
        if f"{path[:-3]}.br" in br:
            assert brotli.decompress((site / f"{path[:-3]}.br").read_bytes()) == original
        assert (site / path).stat().st_mtime_ns == (site / path[:-3]).stat().st_mtime_ns


def test_output_is_deterministic(site: Path, tmp_path: Path):
    serving.precompress(site, workers=1)
    first = snapshot(site)
    for p in site.rglob("*.gz"):
        p.unlink()
    for p in site.rglob("*.br"):
        p.unlink()
    serving.precompress(site, workers=2)
    assert snapshot(site) == first
    serving.precompress(site)  # again, over its own output: nothing new, nothing changed
    assert snapshot(site) == first


def test_parallel_path_matches_serial(site: Path, monkeypatch):
    monkeypatch.setattr(serving, "PARALLEL_BYTES", 0)
    serving.precompress(site, workers=2)
    parallel = snapshot(site)
    for p in [*site.rglob("*.gz"), *site.rglob("*.br")]:
        p.unlink()
    serving.precompress(site, workers=1)
    assert snapshot(site) == parallel


def test_redirect_map_from_refresh_pages(tmp_path: Path):
    old = tmp_path / "phong-trao" / "ten-cu"
    old.mkdir(parents=True)
    (old / "index.html").write_text(
        '<html><head><link rel="canonical" href="https://example.vn/phong-trao/ten-moi/">'
        '<meta http-equiv="refresh" content="0; url=/phong-trao/ten-moi/"></head></html>', encoding="utf-8")
    page = tmp_path / "phong-trao" / "ten-moi"
    page.mkdir()
    (page / "index.html").write_text('<link rel="canonical" href="/phong-trao/ten-moi/">', encoding="utf-8")
    text = serving.redirect_map(tmp_path, ["phong-trao/ten-cu/index.html", "phong-trao/ten-moi/index.html"])
    assert text.splitlines()[1] == "map $uri $portal_redirect {"
    assert '    "/phong-trao/ten-cu/" "/phong-trao/ten-moi/";' in text
    assert '    "/phong-trao/ten-cu/index.html" "/phong-trao/ten-moi/";' in text
    assert '    "/phong-trao/ten-cu" "/phong-trao/ten-moi/";' in text
    assert "ten-moi/\" \"" not in text  # the current page itself is no redirect


BROKEN_BUILD = """
import sys
from pathlib import Path
from portal import serving
from portal.build import main

def broken(root, workers=None, files=None):
    half = Path(root) / ".index.html.gz.1"
    half.write_bytes(b"half")  # a copy written, as precompress writes one (a new file in the name's place)
    half.replace(Path(root) / "index.html.gz")
    raise OSError(28, "No space left on device")  # then the failure

serving.precompress = broken
sys.exit(main(sys.argv[1:]))
"""


def test_failed_precompression_fails_the_build_and_keeps_the_old_site(tmp_path: Path):
    """In a subprocess, as an editor runs it (and away from any event loop of the browser tests)."""
    output = tmp_path / "output"
    first = run_build(DATA / "mini", output)
    assert first.returncode == 0, first.stderr
    assert (output / "index.html.gz").exists() and (output / serving.MAP_NAME).exists()
    before = snapshot(output)
    args = ["build", "-s", str(ROOT / "pelicanconf.py"), "-c", str(DATA / "mini"), "-o", str(output), "--full"]
    second = subprocess.run([sys.executable, "-c", BROKEN_BUILD, *args], capture_output=True, text=True,
                            cwd=ROOT, check=False, timeout=300)
    assert second.returncode == 1
    assert "ổ đĩa đã đầy" in second.stderr and "còn trống" in second.stderr
    assert snapshot(output) == before
    assert not (tmp_path / ".output.staging").exists()


def test_large_files_are_compressed_once_per_machine(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PORTAL_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    site.mkdir()
    big = "".join(f"chunk {i}: thi đua {i * 7919 % 1000}\n" for i in range(20000)).encode()
    assert len(big) > serving.CACHE_MIN
    (site / "bundle.js").write_bytes(big)
    serving.precompress(site, workers=1)
    first = snapshot(site)
    assert len(list((tmp_path / "cache").iterdir())) == (2 if brotli else 1)
    for p in [*site.rglob("*.gz"), *site.rglob("*.br")]:
        p.unlink()

    def no_compression(data: bytes, suffix: str) -> bytes:
        raise AssertionError("a cached file was compressed again")

    monkeypatch.setattr(serving, "_encode", no_compression)
    serving.precompress(site, workers=1)
    assert snapshot(site) == first
    assert gzip.decompress((site / "bundle.js.gz").read_bytes()) == big
