"""The feed writer's shortcuts give what Pelican and feedgenerator give (incremental/feeds.py)."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from feedgenerator import Atom1Feed, Enclosure
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator, UnserializableContentError
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import SafeDatetime
from pelican.writers import Writer

from portal.incremental.feeds import AtomFeed, FeedEntries, XMLText, add_entry

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _events(handler) -> None:
    handler.startElement("feed", {"xmlns": "http://www.w3.org/2005/Atom", "xml:lang": "vi"})
    handler.addQuickElement("title", "Thi đua & khen thưởng <2025>")
    handler.addQuickElement("link", "", {"rel": "alternate", "href": "https://a.vn/?x=1&y=\"2\""})
    handler.addQuickElement("link", "", {"rel": "self", "href": "it's \"quoted\"\nand\ttabbed\r"})
    handler.addQuickElement("empty")
    handler.addQuickElement("id", None)
    handler.startElement("author", {})
    handler.addQuickElement("name", "Hữu Nghĩa")
    handler.endElement("author")
    handler.ignorableWhitespace("<entry>as it is &amp; already XML</entry>")
    handler.characters("")
    handler.endElement("feed")


def test_xml_text_writes_what_the_sax_generator_writes():
    out = io.StringIO()
    sax = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    sax.startDocument()
    _events(sax)
    mine = XMLText("utf-8")
    mine.startDocument()
    _events(mine)
    assert mine.text() == out.getvalue()
    assert "<empty/>" in mine.text() and "&lt;2025&gt;" in mine.text()


def test_xml_text_refuses_control_characters_as_the_sax_generator_does():
    with pytest.raises(UnserializableContentError):
        SimplerXMLGenerator(io.StringIO(), "utf-8").characters("a\x01b")
    with pytest.raises(UnserializableContentError):
        XMLText().characters("a\x01b")


class _Item:
    """What Pelican's writer reads of an article (or of generator._FeedEntry)."""

    def __init__(self, url: str, date: datetime | None, **extra) -> None:
        self.title = "Tuyên dương <em>điển hình</em> &amp; tập thể"
        self.url = url
        self.date = date
        self.summary = "&lt;p&gt;Tóm tắt&lt;/p&gt;"
        self.author = Author("Bảo Ngọc", DEFAULT_CONFIG)
        self.__dict__.update(extra)

    def get_content(self, siteurl: str) -> str:
        return f"<p>Nội dung, trên {siteurl}.</p>"


def _writer(site_url: str, **settings) -> Writer:
    writer = Writer("/nonexistent", {**DEFAULT_CONFIG, "TIMEZONE": "Asia/Ho_Chi_Minh", **settings})
    writer.site_url = site_url
    return writer


DATE = SafeDatetime(2025, 7, 1, 8, 30, tzinfo=ZONE)
ITEMS = [
    _Item("tin-tuc/2025/bai-viet/", DATE),
    _Item("tin-tuc/2025/bai-viet/index.html", datetime(2024, 12, 31, 23, 59)),
    _Item("thi-dua/", DATE, modified=SafeDatetime(2025, 8, 2, tzinfo=ZONE)),
    _Item("../ngoai/", DATE),  # a dot segment: urljoin resolves it
    _Item("a/./b", DATE),
    _Item("tim-kiem/?q=thi+dua", DATE),  # a query: Pelican's own way
    _Item("https://khac.vn/bai/", DATE),  # a scheme: another site's address
    _Item("tin;x/", DATE),  # parameters
    _Item("", DATE),
    _Item("tin-tuc/cu/", SafeDatetime(999, 1, 5, tzinfo=timezone.utc)),
    _Item("tin-tuc/khong-ngay/", None),
    _Item("tin-tuc/the/", DATE, category=Category("tin-tuc", DEFAULT_CONFIG), tags=[Tag("OCOP", DEFAULT_CONFIG)]),
]
SITES = ["https://thidua.example.vn", "https://ThiDua.Example.vn/cong/", "https://host.vn:8443/a/../b",
         "https://host.vn/?q=1"]


@pytest.mark.parametrize("site_url", SITES)
@pytest.mark.parametrize("append_ref", [False, True])
def test_add_entry_makes_the_entry_pelicans_writer_makes(site_url, append_ref):
    writer = _writer(site_url, FEED_APPEND_REF=append_ref)
    theirs, mine = Atom1Feed("t", "https://x.vn/", ""), Atom1Feed("t", "https://x.vn/", "")
    for item in ITEMS:
        if item.date is None and not hasattr(item, "modified"):
            continue  # Pelican gives every article a date; set_date_tzinfo cannot take None
        Writer._add_item_to_the_feed(writer, theirs, item)
        add_entry(writer, mine, item)
    assert mine.items == theirs.items
    assert len(mine.items) == len(ITEMS) - 1


def test_add_entry_leaves_relative_urls_to_pelican():
    writer = _writer("https://thidua.example.vn", RELATIVE_URLS=True)
    theirs, mine = Atom1Feed("t", "https://x.vn/", ""), Atom1Feed("t", "https://x.vn/", "")
    Writer._add_item_to_the_feed(writer, theirs, ITEMS[0])
    add_entry(writer, mine, ITEMS[0])
    assert mine.items == theirs.items


def _feed(cls: type) -> Atom1Feed:
    feed = cls("Cổng thi đua - Tin mới", "https://thidua.example.vn/", "", language="vi",
               feed_url="https://thidua.example.vn/tin-tuc/atom.xml", subtitle="Tin <mới>")
    writer = _writer("https://thidua.example.vn")
    for item in ITEMS[:3]:
        Writer._add_item_to_the_feed(writer, feed, item)
    feed.items[0]["enclosures"] = [Enclosure("https://thidua.example.vn/anh/a.jpg", "1234", "image/jpeg")]
    return feed


def test_atom_feed_writes_the_bytes_feedgenerator_writes():
    theirs = io.StringIO()
    original = _feed(Atom1Feed)
    original.write(theirs, "utf-8")
    feed = _feed(AtomFeed)
    feed.items = original.items  # the same entries, as FeedEntries hands them to every feed of a build
    feed.entries = FeedEntries()
    for _ in range(2):  # the second time, every entry is the XML kept the first time
        mine = io.StringIO()
        feed.write(mine, "utf-8")
        assert mine.getvalue() == theirs.getvalue()
    assert len(feed.entries.xml) == 3
    assert '<link href="https://thidua.example.vn/anh/a.jpg" length="1234" rel="enclosure"' in theirs.getvalue()


def test_add_entry_falls_back_to_pelican_only_for_addresses_it_cannot_join_alone(monkeypatch):
    handed: list[str] = []
    monkeypatch.setattr(Writer, "_add_item_to_the_feed", lambda writer, feed, item: handed.append(item.url))
    writer = _writer("https://thidua.example.vn")
    feed = Atom1Feed("t", "https://x.vn/", "")
    dated = [item for item in ITEMS if item.date is not None]
    for item in dated:
        add_entry(writer, feed, item)
    assert handed == ["../ngoai/", "a/./b", "tim-kiem/?q=thi+dua", "https://khac.vn/bai/", "tin;x/"]
    assert len(feed.items) == len(dated) - len(handed)
