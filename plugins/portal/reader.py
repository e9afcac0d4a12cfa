"""Pelican reader for articles and pages written to the content model.

It parses YAML front matter (with line numbers), normalises to NFC, types the
fields through the schema and renders the body with one reused Markdown
instance. It never raises on bad content: problems travel with the article
(``article.portal_problems``) to the validator, so an editor sees all of them
in one report and the build stops before anything is written.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pelican.readers import BaseReader
from pelican.urlwrappers import Author

from . import frontmatter
from .cache import Unsaved
from .incremental import SESSION
from .problems import Problem
from .records import MarkdownRenderer
from .schema import KINDS, check_slug_filename, coerce, field_at
from .search_words import article_text
from .vietnamese import d_words, plain_text

_PLACEHOLDER_DATE = datetime(1970, 1, 1)
_ZONES = timedelta(days=2)  # a naive date is compared by Pelican in the site's time zone
_STATUS = field_at("articles.status")  # articles and pages share it
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def first_paragraph_text(body_html: str) -> str:
    """Plain text of the first paragraph: the lead when an editor gave none."""
    match = _FIRST_PARAGRAPH.search(body_html)
    if not match:
        return ""
    return html.unescape(_TAG.sub("", match.group(1))).strip()


class PortalReader(BaseReader):
    """Reads ``content/articles`` and ``content/pages`` Markdown files."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings: dict) -> None:
        super().__init__(settings)
        self._render = MarkdownRenderer(settings)
        self._root = Path(os.path.abspath(settings["PATH"]))
        # Every article has the default category (the portal has no category pages): one object, so Pelican
        # slugifies its name once per build instead of once per article when it groups them.
        name = (settings.get("DEFAULT_METADATA") or {}).get("category", settings.get("DEFAULT_CATEGORY"))
        self._category = self.process_metadata("category", name) \
            if name and not settings.get("USE_FOLDER_AS_CATEGORY") else None
        self._authors: dict[str, Author] = {}

    def _kind(self, rel: str) -> str:
        top = rel.split("/", 1)[0]
        return "pages" if top in self.settings.get("PAGE_PATHS", ["pages"]) else "articles"

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        path = Path(os.path.abspath(source_path))
        session = self.settings.get(SESSION)
        cache = session.parse_cache if session is not None else None
        body_html, meta = cache.fetch(path, self.parse) if cache is not None else self.parse(path)
        if not isinstance(body_html, str):  # as the cache gives a kept article's back (snapshots.py, cache.LazyBody)
            body_html = body_html.decode()
        meta = dict(meta)
        authors = meta["portal_data"].get("author") or []
        if authors:  # Author objects hold the settings: made here, never cached; one per name (slugified once)
            meta["authors"] = [self._authors.get(name) or self._authors.setdefault(name, Author(name, self.settings))
                               for name in authors]
            meta["author"] = meta["authors"][0]
        meta.update(self._location(meta))
        if self._category is not None:
            meta["category"] = self._category
        return body_html, meta

    def _location(self, meta: dict[str, Any]) -> dict[str, str]:
        """A published article's ``url`` and ``save_as``, formatted here once.

        Pelican formats ARTICLE_URL again on every access, from a copy of all the metadata and the relative
        source path (0.7 s per build at 10,000 articles). Its own override keys take the result. Anything this
        shortcut does not cover (drafts, articles that may be future-dated, pages, another language, a pattern with
        other fields) is left to Pelican.
        """
        if meta.get("status") != "published" or "slug" not in meta or "lang" in meta \
                or self._kind(meta["portal_path"]) != "articles":
            return {}
        when = meta["date"]
        if not self.settings.get("WITH_FUTURE_DATES", True) and when > datetime.now(when.tzinfo) - _ZONES:
            return {}  # Pelican may yet make it a draft (a future date), with the draft's address
        fields = {"slug": meta["slug"], "date": meta["date"]}
        try:
            return {"url": self.settings["ARTICLE_URL"].format(**fields),
                    "save_as": self.settings["ARTICLE_SAVE_AS"].format(**fields)}
        except (KeyError, IndexError, AttributeError, ValueError):
            return {}

    def parse(self, path: Path) -> tuple[str, dict[str, Any]]:
        """The body's HTML and the metadata of one file: plain data, so it can be cached."""
        rel = path.relative_to(self._root).as_posix() if path.is_relative_to(self._root) else str(path)
        kind = KINDS[self._kind(rel)]
        problems: list[Problem] = []
        bad_name = check_slug_filename(rel, path.stem)
        if bad_name:
            problems.append(bad_name)
        fm, problem = frontmatter.read(path, self._root)
        if problem or fm is None:
            return "", self._metadata(rel, {}, problems + [problem], {}, "")
        data, field_problems = coerce(kind, fm)
        problems += field_problems
        body_html, refused = self._render.render(fm.body, rel, fm.body_line)
        problems += [refused] if refused else []
        meta = self._metadata(rel, data, problems, fm.lines, body_html)
        # Digests key the pages that show the file (incremental/fingerprints.py): all of it on its own page, only its
        # metadata and lead in lists; the search text is made once per file too.
        meta["portal_digest"] = hashlib.blake2b(repr((data, fm.body)).encode(), digest_size=16).hexdigest()
        meta["portal_card_digest"] = hashlib.blake2b(repr((data, meta["title"], meta["summary"])).encode(),
                                                     digest_size=16).hexdigest()
        meta["portal_imaged"] = "<img" in body_html  # media.collect reads the body's photos where there are some
        meta["portal_plain"] = Unsaved(plain_text(body_html))  # read from the cache as "": search makes it again
        meta["portal_kd"] = d_words(meta["title"], meta["summary"], meta["portal_plain"])
        # The digest of its search text: what the words of its search bundle are made of (search.Bundle.words_key).
        meta["portal_text"] = hashlib.blake2b(article_text(meta["title"], meta["summary"], meta["portal_plain"])
                                              .encode(), digest_size=16).hexdigest()
        if not bad_name:
            meta["slug"] = path.stem  # a valid file name is the slug: Pelican need not slugify it again
        return body_html, meta

    def _metadata(self, rel: str, data: dict[str, Any], problems: list, lines: dict[str, int],
                  body_html: str) -> dict[str, Any]:
        """Pelican's own keys, plus ``portal_*`` keys the graph reads."""
        meta: dict[str, Any] = {
            "title": data.get("title") or os.path.splitext(os.path.basename(rel))[0],
            "summary": data.get("summary") or first_paragraph_text(body_html),
            "status": data.get("status", _STATUS.default),
            "portal_data": data,
            "portal_problems": [p for p in problems if p is not None],
            "portal_lines": lines,
            "portal_path": rel,
        }
        when = data.get("date")
        if when is not None or self._kind(rel) == "articles":
            meta["date"] = _as_datetime(when) if when is not None else _PLACEHOLDER_DATE
        if data.get("modified") is not None:
            meta["modified"] = _as_datetime(data["modified"])
        return meta


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)
