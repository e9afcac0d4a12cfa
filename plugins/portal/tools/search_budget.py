"""Measure what the search page transfers, in Debian's Chromium: before and for a first query.

Used by ``invoke search-budget``; the budget (150 KB before the first query,
300 KB for a first query) is asserted on the sample site by the browser tests
and measured here on any built site, such as a 10,000-article synthetic one.
Sizes are given raw (what ``python -m http.server`` sends) and as a server
that gzips text would send them (Pagefind's index files are already compressed).

Besides the queries it is given, it measures a word found only in the oldest
year's news (``rare_word``): what the first query costs, and how many clicks
on "Tìm cả trong tin cũ hơn" it takes before it is found.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..search import BUNDLES_FILE, bundle_years
from ..search_words import FOLDER, unranges
from .browser import ARGS, CHROMIUM, SEARCH_DONE, serve

__all__ = ["Transfer", "measure", "plant_rare_word", "rare_word", "report"]

_TEXT = ("text/", "javascript", "json", "svg", "css")


@dataclass
class Transfer:
    raw: int = 0
    gzipped: int = 0
    requests: int = 0

    def add(self, body: bytes, content_type: str) -> None:
        self.raw += len(body)
        text = any(t in content_type for t in _TEXT)
        self.gzipped += len(gzip.compress(body, 6)) if text else len(body)
        self.requests += 1


RARE_SENTENCE = "Già làng Y Knul ở buôn Đrăng Phôk kể lại chuyện của buôn."


def plant_rare_word(content: Path) -> Path:
    """Add a sentence with words found nowhere else ("Knul", "Phôk") to the oldest article of a
    generated archive: the synthetic vocabulary has no long tail of rare names, real news does."""
    def date(path: Path) -> str:
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        found = re.search(r"^date: *['\"]?([0-9-]+ ?[0-9:]*)", head, re.M)
        return found.group(1) if found else "9999"

    oldest = min((content / "articles").rglob("*.md"), key=lambda p: (date(p), p.name))
    oldest.write_text(oldest.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{RARE_SENTENCE}\n", encoding="utf-8")
    return oldest


def rare_word(site: Path) -> str | None:
    """The longest word the build's word summary lists only in bundles of the oldest year's news."""
    years = bundle_years(json.loads((site / BUNDLES_FILE).read_text(encoding="utf-8")))
    first = min(min(ys) for ys in years if ys)
    oldest = {n for n, ys in enumerate(years, 1) if first in ys}
    found = [word for shard in (site / FOLDER).glob("*.json")
             for word, value in json.loads(shard.read_text(encoding="utf-8")).items()
             if word != "đ" and (unranges(value) or {0}) <= oldest]
    return max(found, key=lambda w: (len(w), w), default=None)


def measure(site: Path, queries: list[str], rare: frozenset[str] = frozenset(),
            ) -> list[tuple[str, Transfer, Transfer, str, int | None]]:
    """For each query, in a fresh browser profile: (query, page load, first query, status line, clicks).

    For a query in ``rare``, "Tìm cả trong tin cũ hơn" is clicked until something is found and the
    clicks are counted (None: never found); their transfer joins the first query's.
    """
    from playwright.sync_api import sync_playwright  # a test dependency, needed only here

    out = []
    with serve(site) as base:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                load, first = Transfer(), Transfer()
                bucket = [load]

                def record(response, bucket=bucket):
                    if response.status == 200:
                        bucket[0].add(response.body(), response.headers.get("content-type", ""))

                page.on("response", record)
                page.goto(f"{base}/tim-kiem/")
                page.wait_for_load_state("networkidle")
                bucket[0] = first
                page.fill("#search-q", query)
                page.press("#search-q", "Enter")
                page.wait_for_function(SEARCH_DONE, polling=100, timeout=120_000)
                page.wait_for_load_state("networkidle")
                clicks: int | None = 0 if query in rare else None
                while clicks is not None and not page.locator("#search-status").text_content().startswith("Tìm thấy"):
                    if not page.locator("#search-older").is_visible():
                        clicks = None
                        break
                    page.locator("#search-older").click()
                    clicks += 1
                    page.wait_for_function(f"() => !/^Đang/.test(document.getElementById('search-status')"
                                           f".textContent) && ({SEARCH_DONE})()", polling=100, timeout=120_000)
                    page.wait_for_load_state("networkidle")
                out.append((query, load, first, page.locator("#search-status").text_content(), clicks))
                context.close()
            browser.close()
    return out


def report(site: Path, queries: list[str]) -> str:
    """A table of the measurements, in KB (1 KB = 1000 bytes), with the rare word of the oldest news last."""
    word = rare_word(site)
    rare = frozenset([word] if word else [])
    lines = [f"{'truy vấn':<22} {'tải trang (thô/gzip)':>22} {'truy vấn đầu (thô/gzip)':>26} {'bấm':>4}  kết quả"]
    for query, load, first, status, clicks in measure(site, [*queries, *rare], rare):
        shown = "" if query not in rare else ("—" if clicks is None else str(clicks))
        lines.append(f"{query:<22} {load.raw / 1000:>10.1f} / {load.gzipped / 1000:>6.1f} KB "
                     f"{first.raw / 1000:>12.1f} / {first.gzipped / 1000:>6.1f} KB {shown:>4}  {status}")
    if word:
        lines.append(f"(“{word}”: từ chỉ có trong tin năm cũ nhất; “bấm”: số lần bấm “Tìm cả trong tin cũ hơn” "
                     "đến khi tìm thấy)")
    return "\n".join(lines)
