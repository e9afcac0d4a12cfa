"""Search relevance on a built site: is a record's own page among the first links a query shows?

Used by the relevance test (a generated archive of about 1,000 articles) and
by ``invoke search-relevance`` on any built site, so a change to the index or
the ranking shows as a share before and after. The queries come from the
site's open data (``/du-lieu/*.json``): the names of exemplars, campaigns and
awards, every other one typed without diacritics. Phrase queries are runs of
three syllables from article titles: the first full-text result must contain the run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..vietnamese import fold, words
from .browser import ARGS, CHROMIUM, SEARCH_DONE, serve

__all__ = ["Case", "Report", "measure", "name_cases", "phrase_cases"]

# The links a reader sees as results, in page order: direct hits, then full-text hits.
RESULT_LINKS = ("() => [...document.querySelectorAll('#name-hits a[href], #search-list a[href]')]"
                ".filter(a => !a.classList.contains('name-hit__within') && a.offsetParent !== null)"
                ".map(a => new URL(a.href).pathname)")
# The full-text results only: what a phrase query is judged on (a name holding the phrase is a direct hit).
TEXT_LINKS = "() => [...document.querySelectorAll('#search-list a[href]')].map(a => new URL(a.href).pathname)"
# The direct hits have settled (a page without them, from before they existed, has nothing to wait for).
HITS_SETTLED = "() => !document.querySelector('#name-hits[aria-busy=true]')"


@dataclass
class Case:
    query: str
    expected: str  # the page that should come in the first three links (names) or the phrase (phrases)
    kind: str


@dataclass
class Report:
    cases: list[tuple[Case, bool, list[str]]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return sum(ok for _, ok, _ in self.cases) / max(1, len(self.cases))

    def table(self) -> str:
        lines = [f"{'truy vấn':<44} {'loại':<10} kết quả"]
        for case, ok, links in self.cases:
            lines.append(f"{case.query:<44} {case.kind:<10} {'đạt' if ok else 'trượt: ' + ', '.join(links[:3])}")
        lines.append(f"Tỉ lệ đạt: {sum(ok for _, ok, _ in self.cases)}/{len(self.cases)} = {self.share:.0%}")
        return "\n".join(lines)


def name_cases(site: Path, exemplars: int = 20, others: int = 6) -> list[Case]:
    """Queries by name, spread over each kind (every n-th record by URL), half without diacritics."""
    picked: list[tuple[str, dict]] = []
    for kind, dataset, count in (("exemplar", "exemplars", exemplars), ("campaign", "campaigns", others),
                                 ("award", "awards", others)):
        rows = sorted(json.loads((site / "du-lieu" / f"{dataset}.json").read_text(encoding="utf-8")),
                      key=lambda r: r["url"])
        step = max(1, len(rows) // count)
        picked += [(kind, row) for row in rows[::step][:count]]
    return [Case(fold(row["name"]) if i % 2 else row["name"], row["url"], kind) for i, (kind, row) in enumerate(picked)]


def phrase_cases(site: Path, count: int = 10) -> list[Case]:
    """Three-syllable runs from article titles (every n-th article of the news feed), half without diacritics."""
    feed = (site / "tin-tuc" / "atom.xml").read_text(encoding="utf-8")
    titles = re.findall(r"<entry>.*?<title[^>]*>([^<]+)</title>", feed, re.S)
    out: list[Case] = []
    for i, title in enumerate(titles[:: max(1, len(titles) // count)][:count]):
        syllables = words(title)
        if len(syllables) >= 5:
            run = " ".join(syllables[1:4])
            out.append(Case(fold(run) if i % 2 else run, run, "phrase"))
    return out


def _text(site: Path, path: str) -> str:
    page = site / path.strip("/") / "index.html"
    html = page.read_text(encoding="utf-8") if page.is_file() else ""
    found = re.search(r"<article\b.*?</article>", html, re.S)  # the story itself, not the related cards beside it
    html = found.group(0) if found else html
    return " ".join(words(fold(re.sub(r"<[^>]+>", " ", html))))


def measure(site: Path, cases: list[Case], browser: Any = None) -> Report:
    """Run every query in Chromium on ``site`` and judge the links the results page shows.

    ``browser``: a Playwright browser already running (the tests' own), else one is started here.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright  # a test dependency, needed only here

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                return measure(site, cases, own)
            finally:
                own.close()
    report = Report()
    with serve(site) as base:
        page = browser.new_page()
        for case in cases:
            page.goto(f"{base}/tim-kiem/?q={quote(case.query)}")
            page.wait_for_function(SEARCH_DONE, polling=100, timeout=120_000)
            page.wait_for_function(HITS_SETTLED, polling=100, timeout=30_000)
            links = list(dict.fromkeys(page.evaluate(TEXT_LINKS if case.kind == "phrase" else RESULT_LINKS)))
            if case.kind == "phrase":
                phrase = " ".join(words(fold(case.expected)))
                ok = bool(links) and f" {phrase} " in f" {_text(site, links[0])} "
            else:
                ok = case.expected in links[:3]
            report.cases.append((case, ok, links))
        page.close()
    return report
