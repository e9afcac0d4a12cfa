"""Search-engine metadata: JSON-LD, canonical URLs, sitemap.xml and robots.txt.

JSON-LD objects are built here as plain dicts and serialised by
:func:`ld_json`, never concatenated in templates: ``<``, ``>`` and ``&`` are
written as ``\\u003c`` … so editor text such as ``</script>`` cannot close the
``<script type="application/ld+json">`` element. The sitemap lists the pages
the graph and Pelican's context know about (not a scan of the output folder);
redirects, 404, the search page, ``/admin/`` and drafts are never in it.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from xml.sax.saxutils import escape

from markupsafe import Markup

if TYPE_CHECKING:
    from .graph import SiteGraph
    from .taxonomy import Term

CONTEXT = "https://schema.org"
LOGO = "theme/img/logo.svg"
EXCLUDED_PREFIXES = ("admin/", "ban-nhap/", "tim-kiem/")
PROFILE_TYPES = {"person": "Person", "collective": "Organization", "locality": "GovernmentOrganization"}


def site_address(settings: Mapping[str, Any]) -> str:
    """The site's own address (``PORTAL["site_url"]``, normalised by the plugin), or "" in a local build."""
    return (settings.get("PORTAL") or {}).get("site_url", "")


def absolute(path: str, settings: Mapping[str, Any]) -> str:
    """``path`` (relative to the site root) on the site's address: absolute when the build knows it.

    Only what leaves the page needs it (canonical, Open Graph, JSON-LD, sitemap, feeds): links between
    pages stay root-relative.
    """
    return _on(site_address(settings), path)


def _on(base: str, path: str) -> str:
    """``path`` on the address ``base`` (site_address), unless it is absolute already."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{base}/{path.lstrip('/')}"


def page_path(output_file: str) -> str:
    """The URL path (no leading slash) of a written file: "a/b/index.html" → "a/b/"."""
    name = str(output_file or "").replace("\\", "/")
    if name == "index.html":
        return ""
    return name[: -len("index.html")] if name.endswith("/index.html") else name


def ld_json(obj: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` element, safe against ``</script>``."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _publisher(settings: Mapping[str, Any]) -> dict[str, Any]:
    return {"@type": "Organization", "name": settings.get("SITENAME", ""),
            "url": absolute("", settings),
            "logo": {"@type": "ImageObject", "url": absolute(LOGO, settings)}}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def image_objects(photo: Any, settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A photo as schema.org ``ImageObject``s: its share JPEGs (1.91:1, 16:9, 4:3, 1:1), with the credit."""
    out = []
    for url, width, height in photo.share:
        obj = {"@type": "ImageObject", "url": absolute(url, settings), "contentUrl": absolute(url, settings),
               "width": width, "height": height, "creditText": photo.credit}
        if photo.caption:
            obj["caption"] = photo.caption
        out.append(obj)
    return out


def modified_of(article: Any) -> datetime | None:
    """An article's ``modified`` date, if its file gives one: read from the object's own attributes, where Pelican
    sets it (a missing one asked through getattr raises inside it: 10,000 times a build)."""
    return article.__dict__.get("modified")


def lastmod(article: Any) -> datetime:
    """When an article last changed, as its JSON-LD and the sitemap date it: its ``modified`` date, else its date."""
    return modified_of(article) or article.date


def article_jsonld(article: Any, settings: Mapping[str, Any]) -> dict[str, Any]:
    """schema.org ``NewsArticle`` for one article."""
    data = getattr(article, "portal_data", {}) or {}
    modified = lastmod(article)
    obj: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": str(article.title),
        "url": absolute(article.url, settings),
        "mainEntityOfPage": absolute(article.url, settings),
        "datePublished": _iso(article.date),
        "dateModified": _iso(modified),
        "inLanguage": "vi",
        "author": [{"@type": "Person", "name": a.name} for a in getattr(article, "authors", None) or []]
        or [_publisher(settings)],
        "publisher": _publisher(settings),
    }
    lead = getattr(getattr(article, "media", None), "lead", None)
    obj["image"] = image_objects(lead, settings) if lead is not None else [absolute(LOGO, settings)]
    if data.get("summary"):
        obj["description"] = str(data["summary"])
    refs = getattr(article, "refs", None)
    if refs is not None:
        about = [*refs.campaigns, *refs.exemplars]
        if about:
            obj["about"] = [{"@type": "Thing", "name": r.name, "url": absolute(r.url, settings)} for r in about]
        if refs.campaigns:
            obj["keywords"] = [c.name for c in refs.campaigns]
    return obj


def award_names(term: Term) -> list[str]:
    """The honours an exemplar has received: conferred ones only (a proposal is not an award yet)."""
    return [f"{h.award.name} ({h.year})" for h in term.honours if h.conferred]


def profile_jsonld(term: Term, settings: Mapping[str, Any]) -> dict[str, Any]:
    """``Person`` (person), ``Organization`` (collective) or ``GovernmentOrganization`` (locality)."""
    record = term.record
    obj: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": PROFILE_TYPES.get(record.kind, "Organization"),
        "name": record.name,
        "url": absolute(term.url, settings),
    }
    if record.aliases:
        obj["alternateName"] = list(record.aliases)
    if record.picture is not None:
        obj["image"] = image_objects(record.picture, settings)[-1]  # the square one
    if record.kind == "person":
        if record.position:
            obj["jobTitle"] = record.position
        if record.organisation:
            obj["worksFor"] = {"@type": "Organization", "name": record.organisation}
    elif record.organisation:
        obj["parentOrganization"] = {"@type": "Organization", "name": record.organisation}
    if term.province is not None:
        obj["address"] = {"@type": "PostalAddress", "addressRegion": term.province.name, "addressCountry": "VN"}
    awards = award_names(term)
    if awards:
        obj["award"] = awards
    return obj


FORMATS = {".csv": "text/csv", ".schema.json": "application/schema+json", ".json": "application/json"}


def catalogue_jsonld(datasets: Iterable[tuple], settings: Mapping[str, Any]) -> dict[str, Any]:
    """``DataCatalog`` of /du-lieu/ (``opendata.catalogue`` rows), so dataset search engines find the files."""
    items = []
    for name, title, count, links, fields in datasets:
        items.append({
            "@type": "Dataset",
            "name": title,
            "description": f"{title} ({count} dòng), cập nhật mỗi lần cổng được dựng lại. "
                           f"Các trường: {', '.join(f[0] for f in fields)}.",
            "url": absolute(f"du-lieu/#du-lieu-{name}", settings),
            "inLanguage": "vi",
            "variableMeasured": [f[0] for f in fields],
            "distribution": [
                {"@type": "DataDownload", "name": label, "contentUrl": absolute(href, settings),
                 "encodingFormat": next(v for k, v in FORMATS.items() if href.endswith(k))}
                for label, href in links
            ],
        })
    return {
        "@context": CONTEXT,
        "@type": "DataCatalog",
        "name": f"Dữ liệu mở – {settings.get('SITENAME', '')}",
        "url": absolute("du-lieu/", settings),
        "inLanguage": "vi",
        "publisher": _publisher(settings),
        "dataset": items,
    }


def breadcrumbs_jsonld(items: Iterable[tuple[str, str]], settings: Mapping[str, Any]) -> dict[str, Any]:
    """``BreadcrumbList``: the home page, then ``items`` ((url, label) pairs) as the page shows them."""
    trail = [("", "Trang chủ"), *items]
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": str(label), "item": absolute(url, settings)}
            for i, (url, label) in enumerate(trail, start=1)
        ],
    }


# Sitemap and robots.txt ------------------------------------------------------
class _Listed(NamedTuple):
    """One taxonomy as the sitemap lists it: its index, its terms, the articles each term's lastmod is read from
    and, per facet, each term's values (a facet's page is dated by its terms)."""

    index_url: str
    terms: list[Term]
    dated_by: list[list[Any]]
    facets: list[tuple[str, list[list[str]]]]


class _Sources(NamedTuple):
    """What the sitemap's entries are made of: read once here for both :func:`sitemap_entries`, which makes them,
    and :func:`sitemap_inputs`, which digests them without making them."""

    articles: list[Any]  # the ones it lists: published, not scheduled
    by_date: bool  # no ``modified`` date anywhere: a term lists its articles newest first, its first is its newest
    pages: list[tuple[str, datetime | None]]
    listed: list[_Listed]


def _sources(graph: SiteGraph, context: Mapping[str, Any]) -> _Sources:
    by_date = not any(map(modified_of, graph.articles))
    listed = []
    for tax in graph.taxonomies.values():
        terms = list(graph.terms.get(tax.name, {}).values())
        listed.append(_Listed(tax.index_url, terms, [t.articles[:1] if by_date else t.articles for t in terms],
                              [(facet.url, [[value for value, _label in facet.values(t, graph)] for t in terms])
                               for facet in tax.facets]))
    return _Sources([a for a in graph.articles if not a.__dict__.get("scheduled")], by_date,
                    [(page.url, getattr(page, "modified", None) or getattr(page, "date", None))
                     for page in context.get("pages", [])], listed)


def sitemap_entries(graph: SiteGraph, context: Mapping[str, Any]) -> list[tuple[str, datetime | None]]:
    """(URL path, lastmod) of every published, indexable page, in a stable order."""
    sources = _sources(graph, context)
    stamps = {id(a): lastmod(a) for a in graph.articles}  # read once, not per term

    def _newest(members: Iterable[Any]) -> datetime | None:
        return max(map(stamps.__getitem__, map(id, members)), default=None)

    def _latest(values: Iterable[datetime | None]) -> datetime | None:
        return max((v for v in values if v is not None), default=None)

    newest = _newest(sources.articles)  # the home, the news list and the pages counted from every article
    entries: dict[str, datetime | None] = {"": newest, "tin-tuc/": newest, "thong-ke/": newest, "du-lieu/": newest}
    for article in sources.articles:
        entries[article.url] = stamps[id(article)]
    entries.update(sources.pages)
    for listed in sources.listed:
        latest = [_newest(members) for members in listed.dated_by]  # each term's, read again by its index and facets
        for term, when in zip(listed.terms, latest, strict=True):
            entries[term.url] = when
        entries[listed.index_url] = _latest(latest)
        for url, values in listed.facets:
            groups: dict[str, list[datetime | None]] = {}
            for when, own in zip(latest, values, strict=True):
                for value in own:
                    groups.setdefault(value, []).append(when)
            for value, found in groups.items():
                entries[url.format(value=value)] = _latest(found)
    return [(url, lastmod) for url, lastmod in sorted(entries.items())
            if not url.startswith(EXCLUDED_PREFIXES) and not url.startswith(("javascript:", "data:"))]


SITEMAP_MAX_URLS = 50_000  # the sitemap protocol's limits for one file
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
_XML = '<?xml version="1.0" encoding="UTF-8"?>'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _lastmod(value: datetime | None) -> str:
    return f"<lastmod>{value.isoformat()}</lastmod>" if value is not None else ""


def sitemap_files(entries: list[tuple[str, datetime | None]], settings: Mapping[str, Any]) -> dict[str, str]:
    """``sitemap.xml``; past the protocol's limits (a national archive), an index of ``sitemap-1.xml`` …"""
    frame = len(f"{_XML}\n<urlset {_NS}>\n</urlset>\n".encode())
    base = site_address(settings)
    lines = [f"  <url><loc>{escape(_on(base, url))}</loc>{_lastmod(lastmod)}</url>" for url, lastmod in entries]

    def urlset(rows: list[str]) -> str:
        return "\n".join([_XML, f"<urlset {_NS}>", *rows, "</urlset>"]) + "\n"

    if len(lines) <= SITEMAP_MAX_URLS:  # the usual case, in one file: 15,000 lines are not measured one by one
        text = urlset(lines)
        if len(text.encode()) <= SITEMAP_MAX_BYTES:
            return {"sitemap.xml": text}
    chunks: list[list[str]] = [[]]
    size = frame
    newest: list[datetime | None] = [None]
    for line, (_, lastmod) in zip(lines, entries, strict=True):
        if len(chunks[-1]) >= SITEMAP_MAX_URLS or size + len(line.encode()) + 1 > SITEMAP_MAX_BYTES:
            chunks.append([])
            newest.append(None)
            size = frame
        chunks[-1].append(line)
        size += len(line.encode()) + 1
        if lastmod is not None and (newest[-1] is None or lastmod > newest[-1]):
            newest[-1] = lastmod
    files = {f"sitemap-{i}.xml": urlset(rows) for i, rows in enumerate(chunks, 1)}
    index = [f"  <sitemap><loc>{escape(absolute(name, settings))}</loc>{_lastmod(when)}</sitemap>"
             for name, when in zip(files, newest, strict=True)]
    return {"sitemap.xml": "\n".join([_XML, f"<sitemapindex {_NS}>", *index, "</sitemapindex>"]) + "\n", **files}


def robots_txt(settings: Mapping[str, Any]) -> str:
    lines = ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /ban-nhap/"]
    if site_address(settings):
        lines += ["", f"Sitemap: {absolute('sitemap.xml', settings)}"]
    return "\n".join(lines) + "\n"


def sitemap_inputs(graph: SiteGraph, context: Mapping[str, Any], settings: Mapping[str, Any],
                   address: Callable[[Any], bytes]) -> str:
    """A digest of what :func:`sitemap_entries` is made of (:func:`_sources`), without making the entries, and the
    site's address.

    ``address``: an article's URL and the date it gives as lastmod (incremental Fingerprint.address, kept with a
    restored article); the articles a term is dated by go in by their place among the graph's. Equal digests, equal
    entries: an edit that moves an article between campaigns keeps the sitemap without making its 15,000 entries
    (0.05 s of the build at 10,000).
    """
    sources = _sources(graph, context)
    articles = graph.articles
    number = {id(article): i for i, article in enumerate(articles)}
    parts: list[Any] = [site_address(settings), sources.by_date, [address(a) for a in articles],
                        [number[id(a)] for a in sources.articles], [(url, str(when)) for url, when in sources.pages]]
    for listed in sources.listed:
        parts.append((listed.index_url, [(term.url, [number[id(a)] for a in members])
                                         for term, members in zip(listed.terms, listed.dated_by, strict=True)],
                      listed.facets))
    # marshal's version 2 writes values alone (no back-references to shared objects): equal parts, equal bytes.
    return hashlib.blake2b(marshal.dumps(parts, 2), digest_size=16).hexdigest()


def sitemap(graph: SiteGraph, context: Mapping[str, Any], settings: Mapping[str, Any]) -> dict[str, bytes]:
    """sitemap.xml (an index past 50,000 URLs or 50 MB) and robots.txt, by output path: the build writes the
    ones whose bytes changed (at 10,000 articles the sitemap is 1.6 MB, written and compared on every build before)."""
    files = sitemap_files(sitemap_entries(graph, context), settings)
    files["robots.txt"] = robots_txt(settings)
    return {name: text.encode("utf-8") for name, text in files.items()}
