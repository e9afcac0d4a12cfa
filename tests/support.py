"""Helpers shared by the tests: real builds of real content trees, read as a reader would."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

import yaml
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from portal.generator import read_context
from portal.incremental import State

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SITE_URL = "https://thidua.example.vn"  # the address production builds of the tests are made for


def build_command(content: Path, output: Path, *extra: str, settings: str = "pelicanconf.py") -> list[str]:
    """The real CLI's build of ``content`` into ``output`` (``extra``: options such as --full)."""
    return [sys.executable, "-m", "portal", "build", "-s", str(ROOT / settings), "-c", str(content),
            "-o", str(output), *extra]


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_build(content: Path, output: Path, *, strict: bool = False, settings: str = "pelicanconf.py",
              env: dict[str, str] | None = None, full: bool = False) -> subprocess.CompletedProcess:
    """Build ``content`` into ``output`` with the real CLI, as an editor would (``full``: every page again).

    A production build (publishconf.py, or settings that import it) is given the tests' site address
    unless ``env`` names one, as CI gives the real one.
    """
    cmd = build_command(content, output, *(["--strict"] if strict else []), *(["--full"] if full else []),
                        settings=settings)
    settings_file = Path(settings) if Path(settings).is_absolute() else ROOT / settings
    production = settings_file.name == "publishconf.py" or bool(
        re.search(r"^from publishconf import", settings_file.read_text(encoding="utf-8"), re.M))
    env = {**({"PORTAL_SITE_URL": SITE_URL} if production else {}), **(env or {})}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, **env})


def soup(output: Path, url: str) -> BeautifulSoup:
    """Parse the page a reader gets at ``url`` (e.g. "/dien-hinh/x/")."""
    path = output / url.strip("/") / "index.html" if not url.endswith(".html") else output / url.strip("/")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pelican_context(content: Path, tmp: Path) -> dict:
    """Run phase 1 of a real build (read, validate, join) and return Pelican's context."""
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content), "OUTPUT_PATH": str(tmp)})
    return read_context(settings, str(tmp))


def snapshot(root: Path) -> dict[str, str]:
    """Every file below ``root`` and the hash of its bytes: compared to prove a site was left as it was."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_state(output: Path) -> State:
    """The state the last good build of ``output`` left beside it."""
    state = State.load(output.parent / f".{output.name}.cache" / "state.pickle")
    assert state is not None
    return state


def same_site(output: Path, cold: Path, label: str) -> None:
    """Assert ``output`` holds what a cold build (``cold``) holds, file for file.

    Pagefind's own files are not byte-stable between two runs over the same records (its filter files
    follow hash-map order), so the search index is compared by what it indexes: each bundle's key (a
    digest of its records) must match the cold build's, and the index holds exactly the files of its
    current bundles, no leftovers.
    """
    live = {f: h for f, h in snapshot(output).items() if not f.startswith("pagefind/")}
    fresh = {f: h for f, h in snapshot(cold).items() if not f.startswith("pagefind/")}
    assert sorted(set(live) ^ set(fresh)) == [], f"{label}: different file sets"
    live_state, cold_state = build_state(output), build_state(cold)
    bundles = {u: k for u, (k, _) in cold_state.units.items() if u.startswith("pagefind/")}
    assert bundles and {u: live_state.units[u][0] for u in bundles} == bundles, f"{label}: search bundles differ"
    indexed = {f for u in bundles for f in live_state.units[u][1]}
    on_disk = {p.relative_to(output).as_posix() for p in (output / "pagefind").rglob("*")
               if p.is_file() and not p.name.endswith((".gz", ".br"))}
    assert on_disk == indexed, f"{label}: stale search files {sorted(on_disk - indexed)[:5]}"
    differing = sorted(f for f in live if live[f] != fresh[f])
    assert differing == [], f"{label}: {len(differing)} files differ from a cold build, e.g. {differing[:5]}"


def assert_equal_to_cold(content: Path, output: Path, label: str, env: dict[str, str] | None = None,
                         settings: str = "pelicanconf.py") -> None:
    """Build ``content`` cold beside ``output`` and assert the two sites are the same (same_site); clean up."""
    cold = output.parent / f"cold-{label.replace(' ', '-')}"
    result = run_build(content, cold, full=True, env=env, settings=settings)
    assert result.returncode == 0, result.stderr[-2000:]
    same_site(output, cold, label)
    shutil.rmtree(cold)
    shutil.rmtree(cold.parent / f".{cold.name}.cache", ignore_errors=True)


def started(url: str, server: subprocess.Popen, seconds: float = 60, poll: float = 0.2) -> bytes:
    """What ``url`` answers once ``server`` (a process the test started) serves it; it must not exit first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, f"{url} was never served"
            time.sleep(poll)


def stop(process: subprocess.Popen) -> None:
    """End a server the test started: politely, then for good."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def ended_pid() -> int:
    """The number of a process that has ended: what a process killed outright leaves names it (forked.sweep)."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


# The content read directly with PyYAML: the tests' own count, independent of the portal's reader and graph.
def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    data = yaml.safe_load(text[4:text.index("\n---", 4)]) or {}
    assert isinstance(data, dict), path
    return data


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a content file; a fixture that no longer holds it fails loudly."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _when(data: dict) -> datetime | None:
    when = data.get("date")
    if isinstance(when, str):
        return datetime.fromisoformat(when)
    if isinstance(when, date) and not isinstance(when, datetime):
        return datetime(when.year, when.month, when.day)
    return when


def published(data: dict) -> bool:
    """Listed on the site: status published (the default) and a date not in the future."""
    when = _when(data)
    return data.get("status", "published") == "published" and (when is None or when <= datetime.now())


def content_records(content: Path, kind: str) -> dict[str, dict]:
    """slug -> front matter of every record of ``kind`` (campaigns, exemplars …)."""
    return {p.stem: front_matter(p) for p in sorted((content / kind).glob("*.md"))}


def content_articles(content: Path) -> dict[str, dict]:
    """URL -> front matter of every published article."""
    out = {}
    for path in sorted((content / "articles").rglob("*.md")):
        data = front_matter(path)
        if published(data):
            out[f"tin-tuc/{_when(data).year}/{path.stem}/"] = data
    return out


def content_honours(content: Path) -> list[dict]:
    """Every honour: the published articles' (year defaults to the article's) and the exemplars' own."""
    out = []
    for url, data in content_articles(content).items():
        out += [{"stage": "conferred", "year": _when(data).year, **h, "article": url}
                for h in data.get("honours") or []]
    for slug, data in content_records(content, "exemplars").items():
        out += [{"stage": "conferred", **h, "recipient": slug, "article": None} for h in data.get("honours") or []]
    return out


def search_results(page) -> list[str]:
    """Every full-text result of the search page shown in ``page`` (Playwright), "more" clicked to the end."""
    more = page.locator("#search-more")
    while more.is_visible():
        count = page.locator(".search-hit").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.search-hit').length > {count}", polling=100)
    return [urlparse(a).path for a in page.locator(".search-hit__title a").evaluate_all("l => l.map(a => a.href)")]
