"""Measure what the search page transfers, in Debian's Chromium: before and for a first query.

Used by ``invoke search-budget``; the budget (150 KB before the first query,
300 KB for a first query) is asserted on the sample site by the browser tests
and measured here on any built site, such as a 10,000-article synthetic one.
Sizes are given raw (what ``python -m http.server`` sends) and as a server
that gzips text would send them (Pagefind's index files are already compressed).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from .browser import ARGS, CHROMIUM, SEARCH_DONE, serve

__all__ = ["Transfer", "measure", "report"]

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


def measure(site: Path, queries: list[str]) -> list[tuple[str, Transfer, Transfer, str]]:
    """For each query, in a fresh browser profile: (query, page load, first query, status line)."""
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
                out.append((query, load, first, page.locator("#search-status").text_content()))
                context.close()
            browser.close()
    return out


def report(site: Path, queries: list[str]) -> str:
    """A table of the measurements, in KB (1 KB = 1000 bytes)."""
    lines = [f"{'truy vấn':<22} {'tải trang (thô/gzip)':>22} {'truy vấn đầu (thô/gzip)':>26}  kết quả"]
    for query, load, first, status in measure(site, queries):
        lines.append(f"{query:<22} {load.raw / 1000:>10.1f} / {load.gzipped / 1000:>6.1f} KB "
                     f"{first.raw / 1000:>12.1f} / {first.gzipped / 1000:>6.1f} KB  {status}")
    return "\n".join(lines)

