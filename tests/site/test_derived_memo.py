"""An edit build re-derives only what the edit changed (cache.Memo), and still equals a cold build.

The builds run in this process, so the test can count how often the search words, the related
articles and the name shards are computed; the cold builds they are compared with run as the real command.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from portal import opendata, related, search_names, search_words
from portal.incremental import writer as incremental_writer
from portal.taxonomies import TAXONOMIES
from portal.build import build
from portal.tools.synth import generate
from support import ROOT, assert_equal_to_cold, edit

ARTICLES = 60
BUNDLE = 16  # records per search bundle: a few bundles, so an edit leaves most of them as they were


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How often this process tokenised a bundle's records, ranked one article's related articles, cut the names,
    listed the named records, made the ranking's signature, made an honour's open-data row."""
    calls = {"words": 0, "related": 0, "names": 0, "entries": 0, "signature": 0, "rows": 0}

    def counting(name: str, function):
        def counted(*args):
            calls[name] += 1
            return function(*args)
        return counted

    for owner, attribute, name in ((search_words, "words_of", "words"), (search_names, "cut", "names"),
                                   (search_names, "entries", "entries"), (incremental_writer, "_feed_own", "feeds"),
                                   (related._Ranking, "best", "related"), (related._Ranking, "signature", "signature"),
                                   (opendata, "honour_row", "rows")):
        monkeypatch.setattr(owner, attribute, counting(name, getattr(owner, attribute)))
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", root.level)  # build() sets it for its own messages: later tests keep theirs
    return calls


def _build(content: Path, output: Path, settings: Path, calls: dict[str, int], full: bool = False) -> int:
    """Build; count in ``calls`` what it derived, and return how many feeds' digests it made (_feed_own)."""
    calls.update(words=0, related=0, names=0, entries=0, signature=0, rows=0, feeds=0)
    result = build(str(settings), str(output), content=str(content), full=full, jobs=1)
    assert result.ok, result.message
    return calls.pop("feeds")


def test_an_edit_reuses_the_words_and_related_articles_it_did_not_change(tmp_path: Path, counted):
    generate(tmp_path / "content", ARTICLES)
    settings = tmp_path / "settings.py"
    # This process may hold a pelicanconf that an earlier test read with other environment variables.
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nsys.modules.pop('pelicanconf', None)\n"
                        "from pelicanconf import *\n"
                        f"PORTAL = {{**PORTAL, 'search_bundle_size': {BUNDLE}}}\n", encoding="utf-8")
    content, output = tmp_path / "content", tmp_path / "live"
    articles = sorted((content / "articles").rglob("*.md"))
    _build(content, output, settings, counted)
    bundles = len(list((output / "pagefind").glob("kho-*")))
    honours = counted["rows"]
    assert bundles > 3 and honours and counted == {"words": bundles, "related": ARTICLES, "names": 1, "entries": 1,
                                                   "signature": 0, "rows": honours}
    assert (tmp_path / ".live.cache" / "derived.pickle").is_file()

    # A new sentence: one bundle's words change; no article's terms, date or path does. The graph's digest is the
    # last build's, so the related lists are taken as they are (a build keys them by that digest, never by the
    # ranking's signature), and so are the name shards, without listing the records they are cut from.
    article = articles[ARTICLES // 2]
    article.write_text(article.read_text(encoding="utf-8").rstrip() + "\n\nMột câu mới ở cuối bài.\n",
                       encoding="utf-8")
    feeds = _build(content, output, settings, counted)
    # Of the terms' feeds, only those of the terms listing the article are digested again (a few times each: to be
    # kept or not, then written); the others list what they listed, whose bodies are the same (PortalWriter.keep_terms).
    # The site's own feeds are digested on every build. Before, every feed was: 128 digests here, against 16.
    prefixes = tuple(tax.url.split("{")[0] for tax in TAXONOMIES)
    all_feeds = [feed.parent for feed in output.rglob("atom.xml")]
    terms = [feed for feed in all_feeds if feed.relative_to(output).as_posix().startswith(prefixes)]
    listing = [term for term in terms if any(article.stem in page.read_text(encoding="utf-8")
                                             for page in term.rglob("index.html"))]
    assert listing and feeds <= 4 * (len(listing) + len(all_feeds) - len(terms)) < len(all_feeds) // 2
    assert counted == {"words": 1, "related": 0, "names": 0, "entries": 0, "signature": 0, "rows": 0}
    assert_equal_to_cold(content, output, "body", settings=str(settings))

    # An article that reports honours joins a campaign other articles name: they gain a neighbour, so they are ranked
    # again (all of the campaign's here, a small term; past RANK_AGAIN_AT_MOST of the articles, every article); those
    # that share only the article's other terms are not: it stayed in those as it was.
    named = {a: re.search(r"^campaigns: \[(.*)\]$", a.read_text(encoding="utf-8"), re.MULTILINE) for a in articles}
    named = {a: {c.strip() for c in m.group(1).split(",") if c.strip()} for a, m in named.items() if m}
    reporting = [a for a in named if "\nhonours:" in a.read_text(encoding="utf-8")]
    article, campaign = next((a, c) for a in reporting for b in named for c in named[b] - named[a])
    edit(article, "campaigns: [", f"campaigns: [{campaign}, ")
    _build(content, output, settings, counted)
    members = len({a for a in named if campaign in named[a]} | {article})
    assert counted["related"] == (members if members <= ARTICLES * related.RANK_AGAIN_AT_MOST else ARTICLES)
    assert counted["signature"] == 0
    assert counted["words"] == 0  # no text changed: its bundles are indexed again, their words kept (Bundle.words_key)
    assert counted["rows"] == 0  # its honours did not change: the open data is kept unmade (opendata.inputs)
    # The graph changed, not what the names are made of (search_names.inputs): neither made nor cut again.
    assert counted["entries"] == 0 and counted["names"] == 0
    assert_equal_to_cold(content, output, "campaigns", settings=str(settings))

    # An exemplar gains another name: readers find it by that name too, so the name shards are cut again.
    exemplar = sorted((content / "exemplars").glob("*.md"))[0]
    edit(exemplar, "\nkind: ", "\naliases: [\"Tên gọi khác\"]\nkind: ")
    _build(content, output, settings, counted)
    assert counted["names"] == 1
    assert_equal_to_cold(content, output, "exemplar", settings=str(settings))

    # A full build derives everything again.
    _build(content, output, settings, counted, full=True)
    assert counted == {"words": bundles, "related": ARTICLES, "names": 1, "entries": 1, "signature": 0,
                       "rows": honours}


def test_an_edit_build_compresses_its_rendered_pages_beside_the_build(tmp_path: Path, monkeypatch):
    """An edit build with two jobs hands the pages it rendered to a thread for their .gz/.br copies, which starts
    once the build only waits for the search step (Session.on_search_wait); the commit compresses the rest (feeds,
    data files, the pages the thread had not reached), none twice, and the site equals a cold build's, copies
    included."""
    import threading

    from portal import build as build_module, search, serving

    generate(tmp_path / "content", 30)
    content, output = tmp_path / "content", tmp_path / "live"
    assert build(str(ROOT / "pelicanconf.py"), str(output), content=str(content), jobs=2).ok
    started: list[list[str]] = []
    start = build_module._Compression.start
    monkeypatch.setattr(build_module._Compression, "start", lambda self, names: started.append(names)
                        or start(self, names))
    at_commit: list[str] = []
    beside: list[str] = []
    waiting: list[bool] = []  # the build told the session it only waits for the search step
    early: list[Path] = []  # compressed by the thread before that
    precompress = serving.precompress

    def counted(root, workers=None, files=None, quiet=False):
        files = list(files)
        main = threading.current_thread() is threading.main_thread()
        if not (main or waiting):  # the thread's own failure would only leave its pages to the commit
            early.extend(files)
        (at_commit if main else beside).extend(str(Path(f).relative_to(root)) for f in files)
        return precompress(root, workers, files, quiet)

    waited = search.Indexing._waiting
    monkeypatch.setattr(search.Indexing, "_waiting", lambda self: waiting.append(True) or waited(self))
    monkeypatch.setattr(serving, "precompress", counted)
    article = sorted((content / "articles").rglob("*.md"))[5]
    edit(article, "campaigns: [", "campaigns: [nong-thon-moi, ")
    result = build(str(ROOT / "pelicanconf.py"), str(output), content=str(content), jobs=2)
    assert result.ok, result.message
    pages = [name for names in started for name in names]
    assert pages and waiting and early == []
    assert set(beside) <= set(pages)  # a page rendered the same as the live one is compressed by no one: kept
    assert not set(beside) & set(at_commit)  # the thread's pages are not compressed again
    assert all((output / (name + ".gz")).is_file() for name in pages if (output / name).stat().st_size > 1000)
    assert_equal_to_cold(content, output, "compressed-beside")


def test_a_failed_compression_beside_the_build_is_done_again_at_the_commit(tmp_path: Path, monkeypatch):
    """The thread compressing an edit build's pages fails after writing one copy: the commit compresses them all,
    the copy it left is never taken for a file of the site, and the site equals a cold build's."""
    import threading

    from portal import serving
    from support import build_state

    generate(tmp_path / "content", 30)
    content, output = tmp_path / "content", tmp_path / "live"
    assert build(str(ROOT / "pelicanconf.py"), str(output), content=str(content), jobs=2).ok
    precompress = serving.precompress

    def failing(root, workers=None, files=None, quiet=False):
        if threading.current_thread() is not threading.main_thread():  # the thread: one copy, then a failure
            precompress(root, workers, list(files)[:1], quiet)
            raise OSError(28, "No space left on device")
        return precompress(root, workers, files, quiet)

    monkeypatch.setattr(serving, "precompress", failing)
    edit(sorted((content / "articles").rglob("*.md"))[5], "campaigns: [", "campaigns: [nong-thon-moi, ")
    result = build(str(ROOT / "pelicanconf.py"), str(output), content=str(content), jobs=2)
    assert result.ok, result.message
    assert not [f for f in build_state(output).files if f.endswith(serving.COPIES)]
    assert_equal_to_cold(content, output, "compression-failed")


@pytest.mark.parametrize("child", ["done", "stopped", "failed"])
def test_a_full_builds_pages_compressed_ahead_make_the_site_a_cold_build_makes(tmp_path: Path, monkeypatch, child):
    """A full build with two jobs compresses its rendered pages in a child from when it waits for the search step;
    the commit stops it and compresses the rest. Whether the child did them all, was stopped half-way, or failed
    after one copy, every page gets its copies, the unchanged pages of the live site keep theirs (mtime
    included), no copy is taken for a file of the site, and the site equals a cold build's."""
    import time

    from portal import build as build_module, serving
    from support import build_state

    generate(tmp_path / "content", 30)
    content, output = tmp_path / "content", tmp_path / "live"
    assert build(str(ROOT / "pelicanconf.py"), str(output), content=str(content), jobs=2).ok
    before = {p.relative_to(output).as_posix(): p.stat().st_mtime_ns for p in output.rglob("*.br")}
    resume, ahead, precompress = (build_module._Compression.resume, build_module._Compression.ahead,
                                  serving.precompress)
    told: list[set[str]] = []
    given: list[set[str]] = []

    def resumed(self):
        resume(self)
        if child == "done":  # its message waits in the pipe: every page is done
            while self._child is not None and not self._child.ready():
                time.sleep(0.01)

    def stopped(self):
        given.append(set(self.given))
        told.append(ahead(self))
        return told[-1]

    def failing(root, workers=None, files=None, quiet=False):
        if workers == 1 and quiet:  # the child's: one copy, then a failure
            precompress(root, workers, list(files)[:1], quiet)
            raise OSError(28, "No space left on device")
        return precompress(root, workers, files, quiet)

    monkeypatch.setattr(build_module._Compression, "resume", resumed)
    monkeypatch.setattr(build_module._Compression, "ahead", stopped)
    if child == "failed":
        monkeypatch.setattr(serving, "precompress", failing)
    edited = sorted((content / "articles").rglob("*.md"))[5]
    edit(edited, "\n---\n", "\n---\nMột câu mới của bài.\n")
    result = build(str(ROOT / "pelicanconf.py"), str(output), content=str(content), jobs=2, full=True)
    assert result.ok, result.message
    pages = given[0]
    assert len(pages) > 100
    if child == "done":
        assert told[0] == pages
    elif child == "failed":
        assert told[0] == set()
    on_disk = {p.relative_to(output).as_posix(): p.lstat().st_size
               for p in output.rglob("*") if p.is_symlink() or p.is_file()}
    state = build_state(output)
    assert state.sizes == on_disk and not [f for f in state.files if f.endswith(serving.COPIES)]
    assert all(f"{name}.gz" in on_disk for name in pages if on_disk.get(name, 0) > 1000)
    after = {p.relative_to(output).as_posix(): p.stat().st_mtime_ns for p in output.rglob("*.br")}
    kept = [name for name in before if after.get(name) == before[name]]
    assert len(kept) > len(before) // 2  # the pages that did not change kept their copies
    assert_equal_to_cold(content, output, f"ahead-{child}")


def _built_in_pages_of_three(tmp_path: Path, monkeypatch) -> tuple[Path, Path, Path, list[str]]:
    """A site of 100 articles, 3 to a listing's page, built: its content, output, settings, and the names of the
    pages each later build renders (filled as they are)."""
    generate(tmp_path / "content", 100)
    content, output, settings = tmp_path / "content", tmp_path / "live", tmp_path / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nsys.modules.pop('pelicanconf', None)\n"
                        "from pelicanconf import *\nPORTAL = {**PORTAL, 'per_page': 3}\n", encoding="utf-8")
    rendered: list[str] = []
    render_all = incremental_writer.PortalWriter._render_all
    monkeypatch.setattr(incremental_writer.PortalWriter, "_render_all",
                        lambda self, jobs: rendered.extend(job.name for job in jobs) or render_all(self, jobs))
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", root.level)
    assert build(str(settings), str(output), content=str(content), jobs=1).ok
    rendered.clear()
    return content, output, settings, rendered


def test_a_campaigns_later_pages_are_rendered_again_only_when_they_show_the_edit(tmp_path: Path, monkeypatch):
    """The pages after a campaign's first show its record and their own articles, and of its facts only those made
    of records (Taxonomy.later_pages_show). An article listed on its second page that reports an honour in it gets
    a new title: the honours table of the first page and the second page change, and no other page of the campaign
    is rendered again (all of them were, before: 471 pages of a campaign at 100,000 articles, for one title)."""
    content, output, settings, rendered = _built_in_pages_of_three(tmp_path, monkeypatch)
    campaigns = [p for p in (output / "phong-trao").iterdir() if (p / "trang" / "3" / "index.html").is_file()]
    assert campaigns, "fixture changed: no campaign of three pages"
    articles = sorted((content / "articles").rglob("*.md"))
    found = next(((folder.name, a) for folder in sorted(campaigns)
                  for shown in [(folder / "trang" / "2" / "index.html").read_text(encoding="utf-8")]
                  for a in articles
                  if f"/{a.stem}/" in shown and f"\n    campaign: {folder.name}\n" in a.read_text(encoding="utf-8")),
                 None)
    assert found, "fixture changed: no article on a campaign's second page that reports an honour in it"
    slug, article = found
    edit(article, 'title: "', 'title: "Tin đã sửa: ')
    rendered.clear()
    assert build(str(settings), str(output), content=str(content), jobs=1).ok
    first, second = f"phong-trao/{slug}/index.html", f"phong-trao/{slug}/trang/2/index.html"
    assert sorted(n for n in rendered if n.startswith(f"phong-trao/{slug}/")) == [first, second]
    assert "Tin đã sửa" in (output / first).read_text(encoding="utf-8")  # its honours table
    assert_equal_to_cold(content, output, "later-pages", settings=str(settings))


@pytest.mark.parametrize("section, field", [("phong-trao", "campaigns"), ("tinh-thanh", "provinces")])
def test_an_article_leaving_a_term_renders_its_first_page_and_the_pages_from_its_own(tmp_path: Path, monkeypatch,
                                                                                     section: str, field: str):
    """The pages after a campaign's or a province's first show neither its count nor anything else made of its
    other articles: an article that stops naming the term from its third page on re-renders the first page (its
    count) and the pages whose lists move up, not the pages before it (all of them were rendered, for the count in
    their heading: 23 of a campaigns edit's 55 pages at 10,000 articles)."""
    content, output, settings, rendered = _built_in_pages_of_three(tmp_path, monkeypatch)

    def pages(folder: Path) -> int:
        return 1 + sum(1 for _ in (folder / "trang").glob("*/index.html"))

    def count(folder: Path) -> int:
        return int(re.search(r'<span class="count">\((\d+)\)</span>',
                             (folder / "index.html").read_text(encoding="utf-8")).group(1))

    def candidate(folder: Path) -> tuple[str, Path, int, re.Match[str]] | None:
        """An article on the term's third page or later that names it only in its list of the field (the line
        found), and whose leaving keeps the number of pages."""
        if -(-(count(folder) - 1) // 3) != pages(folder):
            return None
        for number in range(3, pages(folder) + 1):
            shown = (folder / "trang" / str(number) / "index.html").read_text(encoding="utf-8")
            for article in sorted((content / "articles").rglob("*.md")):
                text = article.read_text(encoding="utf-8")
                names = re.search(rf"^{field}: \[(.*)\]$", text, re.M)
                if f"/{article.stem}/" in shown and names and folder.name in names.group(1).split(", ") \
                        and text.count(folder.name) == 1:
                    return folder.name, article, number, names
        return None

    terms = sorted(p.parent.parent for p in (output / section).glob("*/trang/3"))
    found = next(filter(None, map(candidate, terms)), None)
    assert found, f"fixture changed: no term of {section} of three pages with an article to take out on page 3 on"
    slug, article, number, line = found
    folder = output / section / slug
    before = {n: (folder / "trang" / str(n) / "index.html").read_bytes() for n in range(2, number)}
    counted = count(folder)
    text, left = line.string, ", ".join(n for n in line.group(1).split(", ") if n != slug)
    article.write_text(text[:line.start()] + (f"{field}: [{left}]" if left else "") + text[line.end():],
                       encoding="utf-8")
    rendered.clear()
    assert build(str(settings), str(output), content=str(content), jobs=1).ok
    assert count(folder) == counted - 1
    moved = [f"{section}/{slug}/trang/{n}/index.html" for n in range(number, pages(folder) + 1)]
    assert sorted(n for n in rendered if n.startswith(f"{section}/{slug}/")) == sorted(
        [f"{section}/{slug}/index.html", *moved])
    assert all((folder / "trang" / str(n) / "index.html").read_bytes() == page for n, page in before.items())
    assert_equal_to_cold(content, output, f"{field}-left", settings=str(settings))
