"""Incremental builds: after every kind of edit the site is byte-identical to a cold build.

One synthetic archive (a few hundred articles, every record kind) is edited
step by step; after each edit the live output is rebuilt incrementally and a
fresh copy is built cold (``--full`` into an empty folder), and the two trees
must match file for file, compressed copies and search index included. Files
whose bytes did not change must keep their mtime, so a sync moves only what
changed.

Pagefind's own files are not byte-stable between two runs over the same
records (its filter files follow hash-map order), so the search index is
compared by what it indexes: each bundle's key (a digest of its records) must
match the cold build's, and the live index holds exactly the files of its
current bundles, no leftovers.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from portal.incremental import State
from portal.tools.synth import generate, synth_photo
from support import ROOT, edit, run_build, same_site, snapshot

ARTICLES = 240
PHOTOS = 12  # the first articles (in path order) have a lead photo


def _mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def _build(content: Path, output: Path, settings: Path, full: bool = False) -> str:
    # Different hash seeds: any output that follows set or dict-of-str order would differ between the two.
    result = run_build(content, output, settings=str(settings), full=full,
                       env={"PYTHONHASHSEED": "1" if full else "2"})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A synthetic content tree, a copy of the theme, and settings that point at both."""
    root = tmp_path_factory.mktemp("incremental")
    generate(root / "content", ARTICLES, photos=PHOTOS)
    shutil.copytree(ROOT / "theme", root / "theme")
    settings = root / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *\n"
                        f"THEME = {str(root / 'theme')!r}\n", encoding="utf-8")
    output = root / "live"
    _build(root / "content", output, settings)
    return root, settings, output


def _check(root: Path, settings: Path, output: Path, label: str) -> str:
    """Rebuild incrementally, build cold elsewhere, compare; return the incremental build's summary."""
    before_hashes, before_times = snapshot(output), _mtimes(output)
    summary = _build(root / "content", output, settings)
    cold = root / f"cold-{label}"
    _build(root / "content", cold, settings, full=True)
    same_site(output, cold, label)
    after_times, after_hashes = _mtimes(output), snapshot(output)
    touched = sorted(f for f in after_hashes if f in before_hashes and before_hashes[f] == after_hashes[f]
                     and before_times[f] != after_times[f])
    assert touched == [], f"{label}: unchanged files were rewritten, e.g. {touched[:5]}"
    shutil.rmtree(cold)
    shutil.rmtree(cold.parent / f".{cold.name}.cache", ignore_errors=True)
    return summary


def _graph(output: Path) -> str:
    """The digest of the joined graph the last build of ``output`` kept (State.graph)."""
    state = State.load(output.parent / f".{output.name}.cache" / "state.pickle")
    assert state is not None
    return state.graph


def _rendered(summary: str) -> int:
    match = re.search(r"(\d+) trang và bản tin được viết lại", summary)
    assert match, summary
    return int(match.group(1))


def _articles(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").rglob("*.md"))


def test_no_change_rewrites_nothing(archive):
    root, settings, output = archive
    summary = _check(root, settings, output, "none")
    assert _rendered(summary) == 0
    assert "dựng phần thay đổi" in summary


def test_replace_a_photo(archive):
    """The same file name, new pixels: the pages that show it change, its old derivatives leave, nothing else."""
    root, settings, output = archive
    article = _articles(root)[3]
    photo = re.search(r"^image: (\S+)$", article.read_text(encoding="utf-8"), re.M).group(1)
    old = {p.name for p in (output / "anh").iterdir() if p.name.startswith(Path(photo).stem + "-")}
    assert old, "the photo's derivatives are in the site"
    synth_photo(root / "content" / photo, random.Random(99))
    summary = _check(root, settings, output, "photo")
    assert 0 < _rendered(summary) < 40, summary
    new = {p.name for p in (output / "anh").iterdir() if p.name.startswith(Path(photo).stem + "-")}
    assert new and not new & old  # new names (new digest); the old files are gone


def test_article_body(archive):
    root, settings, output = archive
    article = _articles(root)[len(_articles(root)) // 2]
    text = article.read_text(encoding="utf-8")
    body_at = text.index("\n---\n", 4) + 5
    article.write_text(text[:body_at] + text[body_at:].rstrip() + "\n\nMột đoạn mới ở cuối bài.\n", encoding="utf-8")
    before = _graph(output)
    summary = _check(root, settings, output, "body")
    assert 0 < _rendered(summary) < 40, summary
    assert _graph(output) == before  # no listing shows a body: every page made from the graph kept its key


def _directory_keys(output: Path) -> dict[str, str]:
    """The keys of the exemplars' directory and its facets' pages in the last build of ``output``."""
    units = State.load(output.parent / f".{output.name}.cache" / "state.pickle").units
    return {name: key for name, (key, _) in units.items()
            if re.fullmatch(r"dien-hinh/(index\.html|(loai|tinh-thanh)/[^/]+/index\.html)", name)}


def test_article_campaigns(archive):
    """The graph changes; the exemplars' directory shows none of it (Taxonomy.index_shows) and keeps its keys."""
    root, settings, output = archive
    article = next(a for a in _articles(root) if "campaigns: [" in a.read_text(encoding="utf-8"))
    edit(article, "campaigns: [", "campaigns: [nong-thon-moi, ")
    before, directory = _graph(output), _directory_keys(output)
    _check(root, settings, output, "campaigns")
    assert _graph(output) not in ("", before)
    assert len(directory) > 3 and _directory_keys(output) == directory


def test_article_campaigns_and_another_body(archive):
    """One article names another campaign, another gets a new paragraph: the graph changes, and the feeds that
    show the second article's body are made again though none of their terms lists a changed card."""
    root, settings, output = archive
    named = [a for a in _articles(root) if "campaigns: [" in a.read_text(encoding="utf-8")]
    first, second = named[0], named[-1]
    text = first.read_text(encoding="utf-8")
    campaign = "nong-thon-moi" if "nong-thon-moi" not in text else "vi-nguoi-ngheo"
    edit(first, "campaigns: [", f"campaigns: [{campaign}, ")
    text = second.read_text(encoding="utf-8")
    second.write_text(text.rstrip() + "\n\nThêm một đoạn ở cuối bài.\n", encoding="utf-8")
    before = _graph(output)
    _check(root, settings, output, "campaigns-body")
    assert _graph(output) not in ("", before)


def test_best_honour_year(archive):
    """The year of an exemplar's best honour shows on its card in the directory: the directory changes."""
    root, settings, output = archive
    page = output / "dien-hinh" / "index.html"
    html = page.read_text(encoding="utf-8")
    cards = re.findall(r'href="/dien-hinh/([^/"]+)/">[^<]*</a>\s*<span class="exemplar-card__meta">[^<]*</span>\s*'
                       r'<span class="exemplar-card__award">[^<]*\((\d{4})\)</span>', html)
    for slug, year in cards:
        holders = [a for a in _articles(root) if f"\n  - recipient: {slug}\n" in a.read_text(encoding="utf-8")]
        honours = [(a, m.group(0)) for a in holders for m in re.finditer(
            rf"\n  - recipient: {slug}\n    award: \S+\n    year: {year}\n", a.read_text(encoding="utf-8"))]
        if len(honours) == 1:  # its best honour: the only one of that year
            article, honour = honours[0]
            break
    else:
        pytest.fail("fixture changed: no exemplar whose best honour's year one article alone reports")
    edit(article, honour, honour.replace(f"year: {year}", "year: 2014"))
    _check(root, settings, output, "best-honour")
    assert page.read_text(encoding="utf-8") != html


def test_article_honour(archive):
    """An honour's award and year: the facts of the award's, the campaign's and the recipient's pages change."""
    root, settings, output = archive
    article = next(a for a in _articles(root) if "\n    award: " in a.read_text(encoding="utf-8"))
    text = article.read_text(encoding="utf-8")
    award = re.search(r"\n    award: (\S+)", text).group(1)
    other = next(p.stem for p in sorted((root / "content" / "awards").glob("*.md")) if p.stem != award)
    article.write_text(re.sub(r"\n    year: (\d+)", "\n    year: 2015", text.replace(
        f"\n    award: {award}", f"\n    award: {other}", 1), count=1), encoding="utf-8")
    _check(root, settings, output, "honour")


def test_article_honour_recipient(archive):
    """Another recipient for an honour of an older article: the award's count and newest article stay, but the
    awards' index lists its recipients."""
    root, settings, output = archive
    dated = []
    for path in _articles(root):
        text = path.read_text(encoding="utf-8")
        found = re.search(r"\n  - recipient: (\S+)\n    award: (\S+)", text)
        if found:
            dated.append((re.search(r"\ndate: (.+)", text).group(1), path, *found.groups()))
    newest = {award: max(row for row in dated if row[3] == award) for *_, award in dated}
    _, article, recipient, award = min(row for row in dated if newest[row[3]] != row)  # not its award's newest
    honoured = {r for _, _, r, a in dated if a == award}
    exemplars = root / "content" / "exemplars"

    def kind(slug: str) -> str:
        return re.search(r"\nkind: (\S+)", (exemplars / f"{slug}.md").read_text(encoding="utf-8")).group(1)

    other = next(p.stem for p in sorted(exemplars.glob("*.md")) if p.stem not in honoured
                 and kind(p.stem) == kind(recipient))  # an award for persons goes to a person
    edit(article, f"\n  - recipient: {recipient}\n    award: {award}", f"\n  - recipient: {other}\n    award: {award}")
    index = output / "khen-thuong" / "index.html"
    before = index.read_bytes()
    _check(root, settings, output, "recipient")
    assert index.read_bytes() != before


def test_honour_of_a_cluster_member(archive):
    """An honour of a cluster's member, reported by an article that does not name the cluster: the cluster's page
    lists its members' honours (Taxonomy.facts_also_read), so it changes with that article."""
    root, settings, output = archive
    found = None
    for cluster in sorted((root / "content" / "clusters").glob("*.md")):
        text = cluster.read_text(encoding="utf-8")
        members, since = re.search(r"\nmembers: \[(.*)\]", text), re.search(r"\nvalid_from: (\d{4})", text)
        for member in (m.strip() for m in members.group(1).split(",")) if members and since else ():
            for article in _articles(root):
                body = article.read_text(encoding="utf-8")
                honour = re.search(rf"\n  - recipient: (?:tinh|thanh-pho)-{member}\n    award: \S+\n    year: (\d+)\n",
                                   body)
                if honour and cluster.stem not in body:
                    found = found or (cluster.stem, int(since.group(1)), article, honour.group(0), int(honour.group(1)))
    assert found, "fixture changed: no honour of a cluster member reported outside the cluster's articles"
    slug, since, article, honour, year = found
    page = output / "cum-khoi-thi-dua" / slug / "index.html"
    before = page.read_bytes()
    edit(article, honour, honour.replace(f"year: {year}", f"year: {since + 1 if year == since else since}"))
    _check(root, settings, output, "member-honour")
    assert page.read_bytes() != before


def test_article_title(archive):
    """A new title shows on the article's cards: of the news pages, only the one listing it changes."""
    root, settings, output = archive
    state = output.parent / f".{output.name}.cache" / "state.pickle"

    def news_keys() -> dict[str, str]:
        units = State.load(state).units
        return {name: key for name, (key, _) in units.items() if re.fullmatch(r"tin-tuc/(trang/\d+/)?index.html", name)}

    before = news_keys()
    assert len(before) > 3
    article = _articles(root)[len(_articles(root)) // 3]
    edit(article, '\ntitle: "', '\ntitle: "Tin mới – ')
    _check(root, settings, output, "title")
    after = news_keys()
    assert after.keys() == before.keys()
    assert len([name for name in after if after[name] != before[name]]) == 1


def test_exemplar_record(archive):
    root, settings, output = archive
    exemplar = sorted((root / "content" / "exemplars").glob("*.md"))[-1]
    text = exemplar.read_text(encoding="utf-8")
    exemplar.write_text(text.rstrip() + "\n\nMột dòng tiểu sử mới.\n", encoding="utf-8")
    before = _graph(output)
    summary = _check(root, settings, output, "exemplar")
    # Only the exemplar's own page shows its body: every other page made from the graph kept its key.
    assert _graph(output) == before
    assert 0 < _rendered(summary) <= 3, summary


def test_campaign_renamed(archive):
    root, settings, output = archive
    campaign = sorted((root / "content" / "campaigns").glob("*.md"))[0]
    edit(campaign, "name: ", "name: Phong trào (đổi tên) ")
    _check(root, settings, output, "campaign-name")


def test_campaign_alias_added(archive):
    """A new alias of a record: one more redirect page, and nginx's map made again (a build whose alias pages
    are the last build's keeps the map without reading them)."""
    root, settings, output = archive
    campaign = sorted((root / "content" / "campaigns").glob("*.md"))[1]
    edit(campaign, "\n---\n", '\naliases: ["Tên gọi cũ của phong trào"]\n---\n')
    before = (output / "nginx-redirects.map").read_text(encoding="utf-8")
    _check(root, settings, output, "alias")
    assert (output / "nginx-redirects.map").read_text(encoding="utf-8") != before


def test_article_deleted(archive):
    root, settings, output = archive
    _articles(root)[3].unlink()
    _check(root, settings, output, "delete")


def test_article_renamed(archive):
    root, settings, output = archive
    article = _articles(root)[7]
    article.rename(article.with_name("bai-doi-ten-" + article.name))
    _check(root, settings, output, "rename")


def test_article_added(archive):
    """A copy of an article: same date and time, so the order between the two must not depend on chance."""
    root, settings, output = archive
    source = _articles(root)[11]
    source.with_name("bai-moi-them.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    _check(root, settings, output, "add")


def test_theme_change_builds_everything(archive):
    root, settings, output = archive
    base = root / "theme" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<!-- đổi giao diện --></footer>", 1),
                    encoding="utf-8")
    summary = _check(root, settings, output, "theme")
    assert "dựng toàn bộ" in summary


def test_an_article_falling_due_is_a_change():
    """Production hides future articles; when one falls due the site changes though no file did."""
    from datetime import datetime, timedelta, timezone

    now = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    state = State(inputs="same", next_due=now + timedelta(hours=1))
    assert state.unchanged("same", now)
    assert not state.unchanged("other", now)
    assert not state.unchanged("same", now + timedelta(hours=2))
    assert State(inputs="same").unchanged("same", now)


def test_settings_change_builds_everything(archive):
    root, settings, output = archive
    settings.write_text(settings.read_text(encoding="utf-8") + 'SITESUBTITLE = "Tin thi đua (phụ đề mới)"\n',
                        encoding="utf-8")
    summary = _check(root, settings, output, "settings")
    assert "dựng toàn bộ" in summary


def test_files_removed_by_hand_are_put_back(archive):
    root, settings, output = archive
    removed = [output / "thong-ke" / "index.html", sorted((output / "tin-tuc").glob("*/*/index.html"))[0]]
    for path in removed:
        shutil.rmtree(path.parent)  # rm -r: the page and its compressed copies
    summary = _check(root, settings, output, "removed")  # the content did not change, the site did
    assert "dựng phần thay đổi" in summary
    assert _rendered(summary) == len(removed)  # just the missing pages, not the whole site
    assert all(path.is_file() for path in removed)


def test_a_page_made_from_the_graph_keeps_its_key_while_the_graph_and_what_else_it_shows_are_unchanged(tmp_path):
    """Such a page is not keyed again when the graph is the last build's: a page made from the graph alone, an
    article's page whose body is the same, a feed whose entries' bodies are. When the graph changed but no
    article whose card the article's page or the feed shows did (records unchanged), those two keep theirs too."""
    from types import SimpleNamespace

    from jinja2 import Template
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from portal.incremental import PortalWriter, Session
    from portal.incremental.state import SESSION

    class Keyed(Exception):
        pass

    class NoKeys:  # every page that is keyed says so
        def page(self, name, *args):
            raise Keyed(name)

        def feed_entry(self, article):
            raise Keyed(article.title)

    class LastKeys:  # the last build's keys
        def page(self, name, *args):
            return f"key of {name}"

        def feed_entry(self, article):
            return b""

    def article_at(path: str, body: str) -> Article:
        made = Article(body, metadata={"title": path}, settings=DEFAULT_CONFIG, source_path=path)
        made.portal_digest = body
        return made

    related = article_at("/c/khac.md", "khac")
    article = article_at("/c/bai.md", "than-bai-1")
    article.refs = SimpleNamespace(related=[related], previous=None, next=None)
    pages = ("a/index.html", "bai/index.html", "a/atom.xml")
    cards = {"/c/bai.md": b"1", "/c/khac.md": b"2"}

    def writer(graph: str, keys=NoKeys, own=None, articles=cards, records="r") -> tuple[PortalWriter, Session]:
        previous = State(site_key="s", graph="g", units={name: (f"key of {name}", (name,)) for name in pages},
                         files=set(pages), own=dict(own or {}), articles=cards, records="r")
        session = Session(cache_dir=tmp_path / "cache", live=tmp_path, previous=previous, fingerprint=keys())
        session.begin("s")
        session.state.graph, session.state.articles, session.state.records = graph, dict(articles), records
        return PortalWriter(str(tmp_path / "out"), settings={SESSION: session, **DEFAULT_CONFIG}), session

    for name in pages:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("đã có", encoding="utf-8")
    page = Template("x", autoescape=True)

    def write(w: PortalWriter, name: str, graph_only: bool = False) -> None:
        if name.endswith(".xml"):
            w.write_feed([article], {}, name, name, feed_title="Tin")
        elif name == "bai/index.html":
            w.write_file(name, page, {}, article=article, category=None, blog=True)
        else:
            w.write_file(name, page, {}, graph_only=graph_only)

    last, session = writer("g", keys=LastKeys)
    for name in pages:
        write(last, name, graph_only=True)
    own = session.state.own
    assert set(own) == {"bai/index.html", "a/atom.xml"} and last.flush() == 0

    same, session = writer("g", own=own)
    for name in pages:
        write(same, name, graph_only=True)
    assert session.state.units == session.previous.units and same.flush() == 0
    assert writer("g", own=own)[0].kept("a/index.html")
    for graph, only in (("g", False), ("other", True), ("", True)):  # not graph-only, or another graph: keyed
        other, _ = writer(graph, own=own)
        assert not (only and other.kept("a/index.html"))
        with pytest.raises(Keyed):
            write(other, "a/index.html", graph_only=only)
    # Another graph, but no article whose card they show changed: kept.
    for name in ("bai/index.html", "a/atom.xml"):
        write(writer("other", own=own)[0], name)
    # A related article changed: the article's page is keyed, the feed (of that article alone) is not.
    changed = writer("other", own=own, articles={**cards, "/c/khac.md": b"3"})[0]
    write(changed, "a/atom.xml")
    with pytest.raises(Keyed):
        write(changed, "bai/index.html")
    with pytest.raises(Keyed):  # the related article removed
        write(writer("other", own=own, articles={"/c/bai.md": b"1"})[0], "bai/index.html")
    for name in ("bai/index.html", "a/atom.xml"):  # the records changed: any card may have
        with pytest.raises(Keyed):
            write(writer("other", own=own, records="r2")[0], name)
    article.portal_digest = "than-bai-2"  # the same graph, a new body: its page and feed are keyed
    for name in ("bai/index.html", "a/atom.xml"):
        with pytest.raises(Keyed):
            write(writer("g", own=own)[0], name)


def test_a_term_page_keeps_its_key_while_its_record_keeps_its_body(tmp_path):
    """The graph's digest leaves records' bodies out (only a record's own page shows its body): a term's page is
    keyed again when its record's body changes, and kept while it does not, with the graph unchanged."""
    from jinja2 import Template
    from pelican.settings import DEFAULT_CONFIG

    from portal.incremental import Fingerprint, PortalWriter, Session
    from portal.incremental.state import SESSION
    from portal.model import Record
    from portal.taxonomies import EXEMPLARS
    from portal.taxonomy import Term

    record = Record("exemplars", "nguyen-van-a", "exemplars/nguyen-van-a.md", {"name": "Nguyễn Văn A"},
                    html="<p>Tiểu sử</p>")
    term = Term(EXEMPLARS, record.slug, "Nguyễn Văn A", record)
    name = term.save_as
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_text("đã có", encoding="utf-8")
    previous = State(site_key="s", graph="g", units={name: ("key", (name,))}, files={name},
                     own={name: Fingerprint().record_body(record)})

    def write() -> bool:
        """True when the page was keyed and queued to render."""
        session = Session(cache_dir=tmp_path / "cache", live=tmp_path, previous=previous, fingerprint=Fingerprint())
        session.begin("s")
        session.state.graph = "g"
        writer = PortalWriter(str(tmp_path / "out"), settings={SESSION: session, **DEFAULT_CONFIG})
        writer.write_file(name, Template("x", autoescape=True), {}, term=term, graph_only=True)
        return writer.flush() == 1

    assert not write()
    record.html = "<p>Tiểu sử mới</p>"
    assert write()


def test_a_record_is_keyed_by_its_body_on_its_own_page_only():
    """Lists never show a record's body (the graph's digest stands on it): an honour's recipient or a fact's
    record is keyed by its fields, URL and file; the term page of the record itself by its body as well."""
    from portal.incremental import Fingerprint
    from portal.model import Record
    from portal.taxonomies import EXEMPLARS
    from portal.taxonomy import Term

    def keys(html: str, name: str = "Nguyễn Văn A") -> tuple[bytes, bytes]:
        record = Record("exemplars", "nguyen-van-a", "exemplars/nguyen-van-a.md", {"name": name}, html=html)
        fingerprint = Fingerprint()
        return fingerprint.value([record]), fingerprint.term_page(Term(EXEMPLARS, record.slug, name, record))

    listed, own = keys("<p>Tiểu sử</p>")
    assert keys("<p>Tiểu sử mới</p>")[0] == listed and keys("<p>Tiểu sử mới</p>")[1] != own
    assert keys("<p>Tiểu sử</p>", "Nguyễn Văn B")[0] != listed


def test_a_listing_keeps_the_pages_whose_articles_kept_their_cards(tmp_path, monkeypatch):
    """With the graph changed but not the records, a listing given ``reads`` keeps its pages while its list of
    articles and what else it ``shows`` are the last build's: all of them while none of its articles changed,
    without paginating it again; with ``by_page``, each page while its own articles did not; with ``later_pages``
    (a term's facts on its first page alone), each later page while its own did not, the first while none did
    (PortalWriter.write_file)."""
    from jinja2 import Template
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG, read_settings

    from portal.incremental import Fingerprint, PortalWriter, Session, writer as writer_module
    from portal.incremental.state import SESSION

    paginated: list[int] = []  # the pages of the listing the writer made (Pelican's Page objects)

    class Paginator(writer_module.Paginator):
        def page(self, number):
            paginated.append(number)
            return super().page(number)

    monkeypatch.setattr(writer_module, "Paginator", Paginator)

    articles = [Article(f"bài {i}", metadata={"title": f"Bài {i}"}, settings=DEFAULT_CONFIG,
                        source_path=f"/c/{i:02d}.md") for i in range(45)]  # three pages of 20
    cards = {a.source_path: b"1" for a in articles}
    settings = read_settings(override={"PAGINATED_TEMPLATES": {"ds": None}, "DEFAULT_PAGINATION": 20})

    class Counting(Fingerprint):
        keyed = 0

        def page(self, *args):
            self.keyed += 1
            return super().page(*args)

    def build(previous: State | None, graph: str = "g2", changed: tuple[int, ...] = (), order: list | None = None,
              shows: str = "", mode: str = "whole", records: str = "r") -> tuple[int, State]:
        """How many pages were keyed (not kept), and the state the build leaves."""
        fingerprint = Counting()
        session = Session(cache_dir=tmp_path / "cache", live=tmp_path, previous=previous, fingerprint=fingerprint)
        session.begin("s")
        state = session.state
        state.graph, state.records = graph, records
        state.articles = {**cards, **{articles[i].source_path: b"2" for i in changed}}
        writer = PortalWriter(str(tmp_path / "out"), settings={SESSION: session, **settings})
        listed = articles if order is None else order
        writer.write_file("ds/index.html", Template("x", autoescape=True), {}, template_name="ds", url="ds/",
                          articles=listed, graph_only=True, reads=listed, by_page=mode == "by_page",
                          shows=shows, later_pages={"facts": "none"} if mode == "later" else None)
        writer.flush()
        return fingerprint.keyed, state

    # The pages keyed again when one article of the first, second or third page changed.
    for mode, one_changed in (("whole", (3, 3, 3)), ("by_page", (1, 1, 1)), ("later", (1, 2, 2))):
        by_page = mode == "by_page"
        rendered, last = build(None, graph="g", mode=mode)
        assert rendered == 3
        for name in last.units:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text("đã có", encoding="utf-8")
        paginated.clear()
        assert build(last, graph="g", mode=mode)[0] == 0  # the same graph
        # The same graph gives the same lists: the list's digest is the last build's, not made again.
        assert build(last, graph="g", order=articles[::-1], mode=mode)[0] == 0
        assert build(last, mode=mode)[0] == 0  # another graph, none of the listing's articles changed
        assert paginated == []  # kept whole, by the pages' names in the last build's state (State.listings)
        # One article changed: by page, only the page that shows it is keyed again; with later pages, the first too.
        assert tuple(build(last, changed=(i,), mode=mode)[0] for i in (5, 25, 40)) == one_changed
        paginated.clear()
        build(last, changed=(40,), mode=mode)
        # By page, a page that shows no changed article is kept by its name, not paginated again.
        assert (1 in paginated) != by_page
        swapped = [articles[1], articles[0], *articles[2:]]
        assert build(last, order=swapped, mode=mode)[0] == 3  # another order: every page
        assert build(last, shows="2025: 45", mode=mode)[0] == 3  # something else it shows changed
        assert build(last, records="r2", mode=mode)[0] == 3  # the records changed: any card may have


def test_terms_kept_in_one_pass_record_what_the_page_by_page_writer_would(tmp_path):
    """PortalWriter.keep_terms: with the graph unchanged, or changed but not the records, a term none of whose
    articles changed, listed in the same order, is kept whole (every page, and its feed while the bodies it shows
    are the same), and the state it records is the one writing each page and feed would record; any other term
    goes back."""
    from datetime import datetime
    from types import SimpleNamespace

    from jinja2 import Template
    from pelican.contents import Article
    from pelican.settings import read_settings

    from portal.incremental import PortalWriter, Session
    from portal.incremental.state import SESSION
    from portal.taxonomy import Term

    class Keys:  # a page that is keyed gets a new key: it is then written, never kept
        def page(self, name, *args):
            return f"new key of {name}"

        def feed_entry(self, article):
            return b""

        def record_body(self, record):
            return record.html

    settings = read_settings(override={"PAGINATED_TEMPLATES": {"ds": None}, "DEFAULT_PAGINATION": 20,
                                       "SITEURL": "https://thidua.example.vn", "TIMEZONE": "Asia/Ho_Chi_Minh"})
    articles = []
    for i in range(40):
        made = Article(f"bài {i}", metadata={"title": f"Bài {i}", "date": datetime(2024, 1, 1 + i % 28)},
                       settings=settings, source_path=f"/c/{i:02d}.md")
        made.portal_digest = f"thân {i}"
        articles.append(made)
    cards = {a.source_path: b"1" for a in articles}
    taxonomy = SimpleNamespace(url="t/{slug}/")
    record = SimpleNamespace(html="<p>Thân của A</p>")  # A's record: its page shows its body
    feed_context = {"SITENAME": "Cổng", "SITEURL": settings["SITEURL"], "FEED_DOMAIN": settings["SITEURL"]}

    def terms(order: list | None = None) -> list[Term]:
        first = articles[:25] if order is None else order
        return [Term(taxonomy, "a", "A", record=record, articles=first),
                Term(taxonomy, "b", "B", articles=articles[25:31]), Term(taxonomy, "c", "C")]

    def build(previous: State | None, listed: list[Term], fast: bool, graph: str = "g2", records: str = "r",
              changed: tuple[int, ...] = (), touched: set[str] | None = None) -> tuple[list[str], State]:
        """The slugs of the terms written page by page, and the state the build leaves."""
        session = Session(cache_dir=tmp_path / "cache", live=tmp_path, previous=previous, fingerprint=Keys())
        session.begin("s")
        state = session.state
        state.graph, state.records = graph, records
        state.articles = {**cards, **{articles[i].source_path: b"2" for i in changed}}
        writer = PortalWriter(str(tmp_path / "out"), settings={SESSION: session, **settings})
        rest = writer.keep_terms(listed, 20, touched) if fast else listed
        for term in rest:
            writer.write_file(term.save_as, Template("x", autoescape=True), {"SITENAME": "Cổng"}, template_name="ds",
                              url=term.url, articles=term.articles, term=term, graph_only=True, reads=term.articles)
            if term.articles:
                writer.write_feed(term.articles[:20], feed_context, term.feed_url, term.feed_url,
                                  feed_title=term.name)
        writer.flush()
        return [term.slug for term in rest], state

    _, last = build(None, terms(), fast=False, graph="g")
    assert len(last.listings["t/a/index.html"]) == 2
    for name in last.units:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("đã có", encoding="utf-8")

    def same(expected: list[str], real: bool = True, **edit) -> None:
        """``real``: an edit a build can see, where a list changes only by its changed articles: kept the same
        with the slugs of the terms that list one of them now given (``touched``, as the generator gives them)."""
        listed = edit.pop("order", None)
        _, slow = build(last, terms(listed), fast=False, **edit)
        changed = {articles[i].source_path for i in edit.get("changed", ())}
        touched = {t.slug for t in terms(listed) if any(a.source_path in changed for a in t.articles)}
        for given in (None, touched) if real else (None,):
            fast, state = build(last, terms(listed), fast=True, touched=given, **edit)
            assert fast == expected
            assert (state.units, state.own, state.listings) == (slow.units, slow.own, slow.listings)

    same([])  # another graph, none of their articles changed: every term kept
    same(["b"], changed=(30,))  # an article of B changed ...
    same(["a"], changed=(3,))  # ... or of A
    same(["a"], order=[articles[1], articles[0], *articles[2:25]], real=False)  # A's list in another order
    same(["a"], order=articles[:24], real=False)  # one article less
    same(["a"], order=articles[:24], changed=(24,))  # one article left A (it changed): as many no more
    same(["a", "b"], order=[*articles[:24], articles[30]], changed=(24, 30))  # one left A, one of B's joined A
    same(["a", "b", "c"], records="r2")  # the records changed: any card may have
    same([], graph="g")  # the same graph: every term kept
    articles[5].portal_digest = "thân mới"  # a body A's feed shows: its pages are kept, not its feed
    same(["a"])
    same(["a"], graph="g")
    articles[5].portal_digest = "thân 5"
    record.html = "<p>Thân mới của A</p>"  # the same graph (it leaves bodies out), A's record's body changed
    same(["a"], graph="g")


def test_article_pages_kept_in_one_pass_record_what_the_page_by_page_writer_would(tmp_path, monkeypatch):
    """PortalWriter.keep_article_pages: the pages of articles that keep their last keys are found in one pass over
    the articles, and Pelican is asked for the others alone; the state recorded is the one keying each page would
    record, and every other page is still keyed (and written)."""
    from types import SimpleNamespace

    from jinja2 import Template
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from portal.incremental import PortalWriter, Session
    from portal.incremental.state import SESSION

    class Keys:  # a page keyed again gets a key no build gave it before: it is written
        made = 0

        def page(self, name, *args):
            Keys.made += 1
            return f"key {Keys.made} of {name}"

    articles = []
    for i in range(6):
        made = Article(f"bài {i}", metadata={"title": f"Bài {i}"}, settings=DEFAULT_CONFIG, source_path=f"/c/{i}.md")
        made.portal_digest, made._save_as = f"thân {i}", f"bai-{i}/index.html"
        articles.append(made)
    for i, made in enumerate(articles):  # each shows the next as related, and its neighbours
        made.refs = SimpleNamespace(related=[articles[(i + 1) % 6]], previous=articles[i - 1] if i else None,
                                    next=articles[i + 1] if i < 5 else None)
    cards = {a.source_path: b"1" for a in articles}

    def build(previous: State | None, fast: bool, graph: str = "g2", records: str = "r",
              changed: tuple[int, ...] = (), more: dict | None = None,
              damaged: tuple[str, ...] = (), ranked: str = "") -> tuple[list[str], State]:
        """The pages keyed again, and the state the build leaves (``more``: other arguments of every page;
        ``ranked``: the ranking every article's lists are of, as related.attach says)."""
        session = Session(cache_dir=tmp_path / "cache", live=tmp_path, previous=previous, fingerprint=Keys())
        session.begin("s")
        session.state.related = ranked
        for made in articles:
            made.refs.ranked_as = ranked
        session._damaged = set(damaged)  # as check_damage would find them
        session.state.graph, session.state.records = graph, records
        session.state.articles = {**cards, **{articles[i].source_path: b"2" for i in changed}}
        writer = PortalWriter(str(tmp_path / "out"), settings={SESSION: session, **DEFAULT_CONFIG})
        kept = writer.keep_article_pages(articles) if fast else set()
        for made in articles:
            if id(made) not in kept:
                writer.write_file(made.save_as, Template("x", autoescape=True), {}, article=made, category=None,
                                  blog=True, **(more or {}))
        keyed = [job.name for job in writer._jobs]
        writer.flush()
        assert session.reused == 6 - len(keyed)
        return keyed, session.state

    keyed, last = build(None, fast=False, graph="g")
    assert len(keyed) == 6
    for name in last.units:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("đã có", encoding="utf-8")

    def same(expected: list[int], **edit) -> list[str]:
        """The pages each writer keys, and the bodies whose page ``own`` the fast one hashed."""
        hashed = []
        monkeypatch.setattr(writer_module, "_page_own",
                            lambda body, shown: hashed.append(body) or page_own(body, shown))
        fast, state = build(last, fast=True, **edit)
        monkeypatch.setattr(writer_module, "_page_own", page_own)
        slow, slow_state = build(last, fast=False, **edit)
        assert fast == slow == [articles[i].save_as for i in expected]
        kept = {name: unit for name, unit in state.units.items() if name not in fast}  # keyed ones: keys differ
        assert kept == {name: unit for name, unit in slow_state.units.items() if name not in slow}
        assert state.own == slow_state.own and set(state.units) == set(slow_state.units)
        return hashed

    import portal.incremental.writer as writer_module
    page_own = writer_module._page_own
    assert len(same([], graph="g")) == 6  # the same graph: every page kept
    same([])  # another graph, no article changed
    same([1, 2, 3], changed=(2,))  # article 2 changed: its page, and those that show it (1: related, 3: previous)
    same([0, 1, 2, 3, 4, 5], records="r2")  # the records changed: any card may have
    same([3], graph="g", damaged=(articles[3].save_as,))  # a page's file damaged: that page alone is written again
    articles[4].portal_digest = "thân mới"  # a new body: its page alone
    same([4], graph="g")
    same([4])
    keyed, _ = build(last, fast=False, graph="g", more={"banner": "Tin nóng"})  # a page that shows something else
    assert keyed == [a.save_as for a in articles]  # is keyed again
    # Lists and neighbours of the ranking the last build's pages showed (refs.ranked_as, State.related): a page is
    # kept without hashing what it shows, still only while its body is the last one and none of those articles changed.
    last = build(None, fast=False, graph="g", ranked="R")[1]
    assert same([], graph="g", ranked="R") == [] and same([], ranked="R") == []
    # (each page written is keyed, its own hashed)
    assert same([1, 2, 3], changed=(2,), ranked="R") == ["thân 1", "thân 2", "thân 3"]
    assert same([3], graph="g", ranked="R", damaged=(articles[3].save_as,)) == ["thân 3"]
    articles[4].portal_digest = "thân sửa lần nữa"
    assert same([4], graph="g", ranked="R") == same([4], ranked="R") == ["thân sửa lần nữa"] * 2
    assert len(same([4], ranked="R2")) == 6 + 1  # another ranking's lists: each page's own is hashed again
    from portal.incremental.fingerprints import _hash
    from portal.incremental.writer import _shown
    shown = _shown(articles[0])  # no previous article: None among them
    assert None in shown and page_own("thân đã sửa", shown) == "thân đã sửa" + _hash(
        *(a.source_path.encode() if a is not None else b"" for a in shown)).hex()


def test_pelican_is_asked_only_for_the_article_pages_not_kept():
    """portal.write_changed_articles: Pelican's loop over the articles skips the pages the writer kept in one pass,
    while its other pages still get every article; a plugin that listens to each page's writing hears of all."""
    from itertools import chain

    from pelican import signals

    from portal import write_changed_articles

    class Writer:
        def __init__(self) -> None:
            self.written: list[str] = []
            self.listed: list[str] = []

        def keep_article_pages(self, articles: list[str]) -> set[int]:
            return {id(a) for a in articles if a.startswith("giữ")}

    class Generator:  # the shape of Pelican's ArticlesGenerator: generate_pages calls self.generate_articles
        def __init__(self) -> None:
            self.articles, self.translations = ["giữ 1", "viết 2", "giữ 3"], ["viết bản dịch"]
            self.hidden_articles, self.hidden_translations = ["giữ ẩn"], []

        def generate_articles(self, write) -> None:
            for article in chain(self.translations, self.articles, self.hidden_translations, self.hidden_articles):
                write(article)

        def generate_pages(self, writer: Writer) -> None:
            self.generate_articles(writer.written.append)
            writer.listed = list(self.articles)  # a direct template's list

    generator, writer = Generator(), Writer()
    write_changed_articles(generator)
    generator.generate_pages(writer)
    assert writer.written == ["viết bản dịch", "viết 2", "giữ ẩn"]  # the listed articles alone are asked of
    assert writer.listed == ["giữ 1", "viết 2", "giữ 3"]
    assert generator.articles == ["giữ 1", "viết 2", "giữ 3"] and generator.hidden_articles == ["giữ ẩn"]

    def listener(sender, content):
        pass

    signals.article_generator_write_article.connect(listener)
    try:
        writer = Writer()
        generator.generate_pages(writer)
        assert writer.written == ["viết bản dịch", "giữ 1", "viết 2", "giữ 3", "giữ ẩn"]
    finally:
        signals.article_generator_write_article.disconnect(listener)
