"""The shipped deploy/nginx.conf, run by Debian's nginx on 127.0.0.1 over the built sample portal.

Without nginx these tests skip locally; CI sets PORTAL_REQUIRE_NGINX=1 so a missing nginx (or its
brotli_static module) fails the run instead.
"""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support import ROOT, free_port, stop

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
REQUIRED = bool(os.environ.get("PORTAL_REQUIRE_NGINX"))

if NGINX is None:
    if REQUIRED:
        raise RuntimeError("nginx is missing: apt-get install -y nginx libnginx-mod-http-brotli-static")
    pytest.skip("Debian nginx is not installed", allow_module_level=True)
if REQUIRED and not BROTLI_MODULE.exists():
    raise RuntimeError(f"{BROTLI_MODULE} is missing: apt-get install -y libnginx-mod-http-brotli-static")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes



def _config(root: Path, tmp: Path, port: int) -> str:
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "listen 80;" in site and "@ROOT@" in site
    site = site.replace("@ROOT@", str(root)).replace("listen 80;", f"listen 127.0.0.1:{port};")
    if not BROTLI_MODULE.exists():
        site = site.replace("brotli_static on;", "")
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"    {kind}_temp_path {tmp / kind};" for kind in kinds)
    return f"""
{"user root;" if os.geteuid() == 0 else ""}
{f"load_module {BROTLI_MODULE};" if BROTLI_MODULE.exists() else ""}
worker_processes 1;
daemon off;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp / "access.log"};
{temp}
{site}
}}
"""


@pytest.fixture(scope="module")
def nginx(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(_config(sample_site, tmp, port), encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-q", "-p", str(tmp), "-c", str(conf)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            assert proc.poll() is None, proc.stdout.read().decode() + (tmp / "error.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.05)
        yield "127.0.0.1", port, sample_site
    finally:
        stop(proc)


def get(server: tuple[str, int, Path], path: str, **headers: str) -> Response:
    """One request, redirects not followed (urllib would follow the 301s under test)."""
    host, port, _ = server
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        resp = conn.getresponse()
        return Response(resp.status, resp.headers, resp.read())
    finally:
        conn.close()


def test_gzip_static_serves_the_precompressed_bytes(nginx):
    root = nginx[2]
    resp = get(nginx, "/", Accept_Encoding="gzip")
    assert resp.status == 200
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.body == (root / "index.html.gz").read_bytes()
    assert gzip.decompress(resp.body) == (root / "index.html").read_bytes()
    assert "Accept-Encoding" in resp.headers.get("Vary", "")
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    css = get(nginx, "/theme/css/site.css", Accept_Encoding="gzip")
    assert css.headers["Content-Encoding"] == "gzip"
    assert css.body == (root / "theme/css/site.css.gz").read_bytes()


def test_plain_client_gets_the_plain_file(nginx):
    resp = get(nginx, "/")
    assert resp.status == 200 and "Content-Encoding" not in resp.headers
    assert resp.body == (nginx[2] / "index.html").read_bytes()


@pytest.mark.skipif(not BROTLI_MODULE.exists(), reason="libnginx-mod-http-brotli-static is not installed")
def test_brotli_static(nginx):
    """A style has a .br copy, served to a client that takes brotli; a page has only its .gz (serving.GZIP_ONLY),
    served to the same client."""
    pytest.importorskip("brotli", reason="the brotli package is not installed: no .br files were built")
    root = nginx[2]
    resp = get(nginx, "/theme/css/site.css", Accept_Encoding="br, gzip")
    assert resp.headers["Content-Encoding"] == "br"
    assert resp.body == (root / "theme/css/site.css.br").read_bytes()
    page = get(nginx, "/", Accept_Encoding="br, gzip")
    assert page.headers["Content-Encoding"] == "gzip" and not (root / "index.html.br").exists()
    assert page.body == (root / "index.html.gz").read_bytes()


def test_missing_page_is_the_portal_404(nginx):
    resp = get(nginx, "/khong-co-trang-nay/")
    assert resp.status == 404
    assert resp.body == (nginx[2] / "404.html").read_bytes()
    assert "Content-Security-Policy" in resp.headers
    assert get(nginx, "/nginx-redirects.map").status == 404


def _alias(root: Path) -> tuple[str, str]:
    """An old campaign address and where its refresh page points."""
    for page in sorted((root / "phong-trao").glob("*/index.html")):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if doc.find("meta", attrs={"http-equiv": "refresh"}):
            return f"/phong-trao/{page.parent.name}/", doc.find("link", rel="canonical")["href"]
    pytest.fail("the sample portal has no campaign alias")


def test_alias_is_a_real_301(nginx):
    old, new = _alias(nginx[2])
    assert new.startswith("/") and new != old
    for url in (old, old + "index.html", old.rstrip("/")):
        resp = get(nginx, url)
        assert resp.status == 301, url
        assert resp.headers["Location"] == new
    assert get(nginx, new).status == 200


def test_cache_headers(nginx):
    root = nginx[2]
    fragment = next((root / "pagefind" / "fragment").glob("*.pf_fragment"))
    resp = get(nginx, f"/pagefind/fragment/{fragment.name}")
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert resp.headers["Content-Type"] == "application/octet-stream"
    assert "Content-Encoding" not in resp.headers  # Pagefind's files are compressed already
    for path in ("/", "/theme/css/site.css", "/pagefind/pagefind.js"):
        cache = get(nginx, path).headers["Cache-Control"]
        assert "immutable" not in cache and "must-revalidate" in cache, path
    wasm = next((root / "pagefind").glob("wasm.*.pagefind"))
    assert get(nginx, f"/pagefind/{wasm.name}").headers["Content-Type"] == "application/octet-stream"


def test_photos_are_immutable_and_documents_are_pdf(nginx):
    root = nginx[2]
    for suffix, kind in ((".avif", "image/avif"), (".webp", "image/webp"), (".jpg", "image/jpeg")):
        photo = next((root / "anh").glob(f"*{suffix}"))
        resp = get(nginx, f"/anh/{photo.name}", Accept_Encoding="gzip, br")
        assert resp.status == 200 and resp.headers["Content-Type"] == kind
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Content-Encoding" not in resp.headers and resp.body == photo.read_bytes()
    pdf = next((root / "tai-lieu").rglob("*.pdf"))
    resp = get(nginx, "/" + pdf.relative_to(root).as_posix())
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/pdf"
    assert "immutable" not in resp.headers["Cache-Control"]  # a stable address: a corrected PDF may replace it


def test_security_headers(nginx):
    resp = get(nginx, "/")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]
    admin = get(nginx, "/admin/")
    assert admin.status == 200
    assert admin.headers["Content-Security-Policy"] != csp


def test_search_page_and_its_scripts(nginx):
    resp = get(nginx, "/tim-kiem/", Accept_Encoding="gzip")
    assert resp.status == 200
    assert "/theme/js/search.js" in gzip.decompress(resp.body).decode()
    assert get(nginx, "/tim-kiem").headers["Location"] == "/tim-kiem/"
    js = get(nginx, "/pagefind/pagefind.js")
    assert js.status == 200 and "javascript" in js.headers["Content-Type"]
