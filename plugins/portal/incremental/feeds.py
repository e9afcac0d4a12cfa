"""Atom feeds, written as Pelican and feedgenerator write them, in less of the build's time.

A cold build at 10,000 articles writes 1,410 feeds (the news, each term's, each exemplar's) in its own process,
between the join and the rendering on every core. Each new entry was made with two URL parses and a date formatted
directive by directive, and serialised through xml.sax an event at a time: the feeds took 3.3 s of the build (the
median of four cold builds), 2.6 s without those (alternated with them); most of what is left is writing their
55 MB. Here an entry is made once per build (FeedEntries) by :func:`add_entry`, which gives the same values as
Pelican's ``Writer._add_item_to_the_feed``, and written by :class:`XMLText`, which gives the same characters as
feedgenerator's ``SimplerXMLGenerator``; tests/unit/test_feeds.py holds both to their originals.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from feedgenerator import Atom1Feed, get_tag_uri
from feedgenerator.django.utils.xmlutils import UnserializableContentError
from markupsafe import Markup
from pelican.utils import set_date_tzinfo
from pelican.writers import Writer

__all__ = ["FEED_BUDGET", "AtomFeed", "FeedEntries", "XMLText", "add_entry"]

# Characters of feed entries' XML a build keeps (FeedEntries): 22.6 million for the 7,372 entries of 10,000 articles
# (all kept). An archive ten times larger should still fit; past it, entries are made again, and memory is bounded.
FEED_BUDGET = 256_000_000

_CONTROL = re.compile(r"[\x00-\x08\x0B-\x0C\x0E-\x1F]")  # refused by SimplerXMLGenerator: not XML 1.0


def _text(data: str) -> str:
    """xml.sax.saxutils.escape."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _attribute(data: str) -> str:
    """xml.sax.saxutils.quoteattr."""
    data = _text(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" in data:
        return '"' + data.replace('"', "&quot;") + '"'
    return f"'{data}'"


class XMLText:
    """The characters feedgenerator's ``SimplerXMLGenerator`` (with short empty elements) writes, as one string.

    The same events (feedgenerator's own ``add_root_elements`` and ``add_item_elements`` drive it) and the same
    output: attributes sorted, text and attribute values escaped as xml.sax does, an element with no content
    closed as ``<x/>``, control characters refused. Only the calls the feed classes make are here.
    """

    def __init__(self, encoding: str = "utf-8") -> None:
        self.encoding = encoding
        self.parts: list[str] = []
        self._open = False  # a start tag whose ">" is not written yet: "/>" if the element ends at once

    def text(self) -> str:
        return "".join(self.parts)

    def startDocument(self) -> None:  # noqa: N802 - the SAX handler's names
        self.parts.append(f'<?xml version="1.0" encoding="{self.encoding}"?>\n')

    def _finish_start(self) -> None:
        """Close the pending start tag with ">": the element has content (SAX's _finish_pending_start_element)."""
        if self._open:
            self.parts.append(">")
            self._open = False

    def startElement(self, name: str, attrs: dict[str, str]) -> None:  # noqa: N802
        self._finish_start()
        self.parts.append("<" + name)
        if attrs:
            self.parts.extend(f" {key}={_attribute(value)}" for key, value in sorted(attrs.items()))
        self._open = True

    def endElement(self, name: str) -> None:  # noqa: N802
        if self._open:
            self.parts.append("/>")
            self._open = False
        else:
            self.parts.append(f"</{name}>")

    def characters(self, content: str) -> None:
        if content:
            if _CONTROL.search(content):
                raise UnserializableContentError("Control characters are not supported in XML 1.0")
            self._finish_start()
            self.parts.append(_text(content))

    def ignorableWhitespace(self, content: str) -> None:  # noqa: N802
        if content:
            self._finish_start()
            self.parts.append(content)

    def addQuickElement(self, name: str, contents: str | None = None,  # noqa: N802
                        attrs: dict[str, str] | None = None) -> None:
        self.startElement(name, attrs or {})
        if contents is not None:
            self.characters(contents)
        self.endElement(name)


class FeedEntries:
    """The feed entries of one build (PortalWriter's): an article is an entry of 5-8 feeds (the news, each of its
    terms, each exemplar's), made once and serialised once instead of in each; Pelican's writer made 28,000
    entries for 1,400 feeds at 10,000 articles.

    ``items``: (id of article, feed class, site address) -> (the article, its entry); ``xml``: id of an entry ->
    (the entry, its XML). Each value holds its key's object, so no other object can take that id meanwhile (as with
    Fragments). Past ``budget`` characters of XML nothing more is kept, and an entry is made and written each time:
    a national archive's memory stays bounded.
    """

    def __init__(self, budget: int = FEED_BUDGET) -> None:
        self.items: dict[tuple[int, type, str], tuple[Any, dict[str, Any]]] = {}
        self.xml: dict[int, tuple[dict[str, Any], str]] = {}
        self.size, self.budget = 0, budget

    @property
    def full(self) -> bool:
        return self.size >= self.budget

    def keep(self, item: dict[str, Any], xml: str) -> None:
        if not self.full:
            self.xml[id(item)] = (item, xml)
            self.size += len(xml)


class AtomFeed(Atom1Feed):
    """An Atom feed written through :class:`XMLText`, its entries serialised once per build (FeedEntries): the same
    entry dict (PortalWriter's) is the same XML in every feed that holds it."""

    entries: FeedEntries  # the writer's

    def write(self, outfile: Any, encoding: str) -> None:
        handler = XMLText(encoding)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")
        outfile.write(handler.text())

    def write_items(self, handler: XMLText) -> None:
        for item in self.items:
            made = self.entries.xml.get(id(item))
            if made is None:
                entry = XMLText()
                entry.startElement("entry", self.item_attributes(item))
                self.add_item_elements(entry, item)
                entry.endElement("entry")
                made = (item, entry.text())
                self.entries.keep(*made)
            handler.ignorableWhitespace(made[1])  # written as it is: already XML


# A relative URL that urljoin appends to a base ending in "/" as it is: path segments of plain characters, none "."
# or "..", no scheme, query, fragment or parameters (the site's own addresses: "tin-tuc/2016/slug/").
_SEGMENT = r"(?!\.\.?(?:/|$))[A-Za-z0-9._~!$&'()*+,=@%-]+"
_PLAIN_URL = re.compile(rf"(?:{_SEGMENT}/)*(?:{_SEGMENT})?")
_BASES: dict[str, tuple[str, str, str] | None] = {}  # site address -> (base, host, path), None if not plain


def _base(site_url: str) -> tuple[str, str, str] | None:
    """The site's address ending in "/", its host and its path, when urljoin keeps it as it is (no dot segment,
    query or fragment), so that a plain relative URL is joined to it by concatenation; else None."""
    if site_url not in _BASES:
        base = site_url if site_url.endswith("/") else site_url + "/"
        parts = urlsplit(base)
        plain = parts.hostname and urljoin(base, "a/b") == base + "a/b" and not (parts.query or parts.fragment)
        _BASES[site_url] = (base, parts.hostname, parts.path) if plain else None
    return _BASES[site_url]


def add_entry(writer: Writer, feed: Any, item: Any) -> None:
    """Pelican's ``Writer._add_item_to_the_feed`` for an Atom feed of a writer that joins URLs (no RELATIVE_URLS):
    the same entry, its link joined and its id (feedgenerator's ``get_tag_uri``) made without parsing URLs, for a
    plain relative URL on a plain address, and its date written at once (Pelican's ``strftime`` looks at each
    directive in turn). Anything else is Pelican's own."""
    base = _base(writer.site_url) if isinstance(feed, Atom1Feed) and not writer.settings.get("RELATIVE_URLS") else None
    url = str(item.url)
    if base is None or not _PLAIN_URL.fullmatch(url):
        Writer._add_item_to_the_feed(writer, feed, item)
        return
    settings = writer.settings
    link = base[0] + url
    date = item.date
    if date is not None and 1000 <= date.year:  # strftime's %Y of a year before 1000 depends on the C library
        unique_id = f"tag:{base[1]},{date.year}-{date.month:02d}-{date.day:02d}:{base[2]}{url}"
    else:
        unique_id = get_tag_uri(link, date)
    if settings["FEED_APPEND_REF"]:
        link = link + "?ref=feed"
    # Atom has a tag for the full content and one for the summary: the summary is left out when it is the content.
    content = item.get_content(writer.site_url)
    description = item.summary
    if description == content:
        description = None
    categories = []
    if hasattr(item, "category"):
        categories.append(item.category)
    if hasattr(item, "tags"):
        categories.extend(item.tags)
    zone = settings.get("TIMEZONE", None)
    feed.add_item(
        title=Markup(item.title).striptags(),
        link=link,
        unique_id=unique_id,
        description=description,
        content=content,
        categories=categories or None,
        author_name=getattr(item, "author", ""),
        pubdate=set_date_tzinfo(date, zone),
        updateddate=set_date_tzinfo(item.modified, zone) if hasattr(item, "modified") else None,
    )
