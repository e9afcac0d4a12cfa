"""Unchanged articles are not read again: their Pelican objects are kept with the parse cache.

Pelican reads every article on every build: path metadata, the reader, an ``Article`` built from a
copy of its metadata (0.9 s of an edit build at 10,000 articles, with the parsed text already
cached). For a file whose bytes are unchanged, the object's state (its ``__dict__`` without the
settings and context it points to) is kept in the file's parse-cache entry and restored as it
was, under a *tag* of the settings that shaped it. Its body and metadata stay in the cache's file until a page
reads them (KeptArticle).

A state is kept only when nothing else could make the object differ on a later read: no plugin
listens to the reading signals, and the article's date is past for good (a future one turns it into
a draft, by the clock). What Pelican warns about while reading (an image without alternative text)
is an error of the portal too, found again by every build (media.collect), so nothing is lost.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime

from .cache import Body, Packed, later, thawed
from .incremental import SESSION
from .incremental.fingerprints import KEPT_ADDRESS, KEPT_OWN, KEPT_PART, address_part, kept_part, own_repr, settings_key

__all__ = ["KEPT_PLAIN", "KeptArticle", "keep_articles", "links_to_refresh"]

# A relative path that joins as it normalises: no empty, "." or ".." part, no leading or doubled separator.
_PLAIN = re.compile(r"(?!\.\.?(?:/|$))[^/]+(?:/(?!\.\.?(?:/|$))[^/]+)*")
_LIVE = frozenset({"settings", "_context"})  # what a restored object points to in the running build
_PAST = timedelta(days=2)  # a naive date is compared by Pelican in the site's time zone (reader._ZONES)
_READING = (signals.article_generator_preread, signals.article_generator_context, signals.content_object_init)
# A restored article's state says whether Pelican's link refresh would leave it as it is (links_to_refresh): made of
# its file and the settings its tag covers, asked once when the state is kept (portal.refresh_links_where_...).
KEPT_PLAIN = "portal_plain_links"


def links_to_refresh(article: Any, fields: list[str]) -> bool:
    """Whether Pelican's ``refresh_metadata_intersite_links`` would change ``article``: one of its formatted fields
    holds a tag (a link to rewrite is an attribute of one), or its summary is not the one in its metadata."""
    meta = article.metadata
    if "summary" in fields and hasattr(article, "_summary") and (
            "summary" not in meta or article._summary != meta["summary"]):
        return True
    for key in fields:  # a loop, not any() over a generator: 10,000 articles a build
        value = meta.get(key)
        if isinstance(value, str) and "<" in value:
            return True
    return False


class _Wrapped(tuple):
    """An author, a category or a tag in a kept state: its class and name (the object holds the settings)."""


_TOKENS: dict[tuple[type, str], _Wrapped] = {}  # one token per name: pickled once per shard


def _freeze(value: Any) -> Any:
    if isinstance(value, URLWrapper):
        key = (type(value), value.name)
        return _TOKENS.get(key) or _TOKENS.setdefault(key, _Wrapped(key))
    if isinstance(value, list) and value and all(isinstance(v, URLWrapper) for v in value):
        return [_freeze(v) for v in value]
    return value


# Values that are never an author, a category or a tag, nor a list of them: kept as they are, without a look at
# each (an article has 50 attributes and metadata entries; 10,000 articles a cold build, before its search forks).
_AS_IS = frozenset({str, int, float, bool, type(None), datetime, SafeDatetime, dict, tuple, set})


def _frozen(items: Any) -> tuple[dict[str, Any], list[str]]:
    """``items`` (pairs) with each value frozen (:func:`_freeze`), and the keys whose values were wrapped."""
    out: dict[str, Any] = {}
    wrapped: list[str] = []
    for key, value in items:
        if type(value) not in _AS_IS:
            value = _freeze(value)
            if _is_wrapped(value):
                wrapped.append(key)
        out[key] = value
    return out, wrapped


# What a kept article's state leaves in the cache's file until asked for (_pack): its metadata and summary, read by
# the pages that show it, and the reader's metadata. An edit build restores 10,000 articles and reads them for none
# (a card's summary is kept apart, _SUMMARY): loading them with the shards took it 0.03 s more, and 20 MB.
COLD = frozenset({"metadata", "_summary"})
_REST = "portal_rest"  # a restored article's key for that part, while unread: (its bytes, the _Kept that thaws it)
# And the summary its metadata gives, when it gives one: what a list of articles shows of each (Article.get_summary).
_SUMMARY = "portal_summary"


def _read_rest(values: dict[str, Any]) -> None:
    """Put a restored article's :data:`COLD` attributes in its ``values``, if they are still in the cache's file."""
    rest = values.pop(_REST, None)
    if rest is not None:
        values.update(rest[1].thaw_rest(rest[0]))


class _Cold:
    """A :data:`COLD` attribute of a restored article (KeptArticle): read with the others from the cache's file the
    first time one is asked for."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, article: Any, owner: type | None = None) -> Any:
        if article is None:
            return self
        values = article.__dict__
        if self.name not in values:
            _read_rest(values)
            if self.name not in values:
                raise AttributeError(f"{type(article).__name__!r} object has no attribute {self.name!r}")
        return values[self.name]

    def __set__(self, article: Any, value: Any) -> None:
        _read_rest(article.__dict__)  # first: read later, it would put back what this replaces
        article.__dict__[self.name] = value

    def __delete__(self, article: Any) -> None:
        self.__get__(article)
        del article.__dict__[self.name]


class KeptArticle(Article):
    """An article restored from a kept state, its HTML (cache.LazyBody) and its :data:`COLD` attributes left in
    the cache's file until read (:func:`_pack`).

    An edit build restores 10,000 articles and shows a few of their bodies: decoding them all cost 0.13 s.
    """

    @property  # a data descriptor: read before the instance's own ``_content``, which holds the cache's body
    def _content(self) -> str:
        body = self.__dict__["_content"]
        if not isinstance(body, str):
            body = self.__dict__["_content"] = body.decode()
        return body

    @_content.setter
    def _content(self, value: str) -> None:
        self.__dict__["_content"] = value

    def get_summary(self, siteurl: str) -> str:
        """Pelican's, but the summary in the metadata is answered from the kept state while the rest is unread: a
        page of 20 cards read 20 articles' metadata for it (680 in an edit build of one article at 10,000)."""
        values = self.__dict__
        if _REST in values and _SUMMARY in values:
            return values[_SUMMARY]
        return super().get_summary(siteurl)

    # Data descriptors, not __getattr__: that is asked for every attribute an article lacks (Pelican's
    # ``hasattr(article, "tags")``, 10,000 a build), and a call in Python cost the restore 0.03 s.
    metadata = _Cold()
    _summary = _Cold()


class _Value(Packed):
    """A kept article's reader value as a shard keeps it: its body, shared with the state, and its metadata left
    in the file with the state's :data:`COLD` attributes (``rest``)."""

    def unpack(self) -> tuple[Any, dict[str, Any]]:
        body, rest = self
        return body, thawed(rest)[0]


class _Hot(tuple):
    """A kept article's state as a shard keeps it (:func:`_pack`): (class, attributes but the :data:`COLD` ones,
    the names whose values are wrapped, the rest in the file, links)."""


def _pack(value: Any, state: tuple) -> tuple[Any, tuple]:
    """A kept article as the parse cache writes it: its body, which the reader's value and the state share, as
    one UTF-8 bytes object (cache.Body), written after the shard's pickle: a later build reads and decodes only
    the bodies it shows (KeptArticle). In memory the body stays one plain string, as Pelican and the reader
    made it (a string of a subclass would be copied whole by every regular-expression pass over it).

    An article of Pelican's own class is written split (:class:`_Hot`): every attribute but the :data:`COLD`
    ones, which go with the reader's metadata after the pickle too (cache.later), read when a page asks for them."""
    if isinstance(state, _Hot):  # as a shard gave it back
        return value, state
    if isinstance(value, Packed):  # the reader's value as loaded, with a state made again (a changed tag)
        value = value.unpack()
    body, meta = value
    cls, attributes, wrapped, wrapped_meta, links = state
    if not isinstance(body, str) or attributes.get("_content") is not body:
        return value, state
    encoded = Body(body.encode())
    if cls is not Article:
        return (encoded, meta), (cls, {**attributes, "_content": encoded}, wrapped, wrapped_meta, links)
    hot = {key: item for key, item in attributes.items() if key not in COLD}
    hot["_content"] = encoded
    if "summary" in attributes["metadata"]:
        hot[_SUMMARY] = attributes["metadata"]["summary"]
    rest = later((meta, {key: attributes[key] for key in COLD if key in attributes}, wrapped_meta))
    return _Value((encoded, rest)), _Hot((cls, hot, wrapped, rest, links))


class _Kept:
    """The generator's ``get_cached_data``/``cache_data``: states of articles, in the parse cache."""

    def __init__(self, generator: Any, cache: Any) -> None:
        self.generator, self.cache = generator, cache
        self.tag = settings_key(generator.settings)
        self.now = datetime.now()
        self._wrappers: dict[tuple[type, str], URLWrapper] = {}
        self._base = os.path.abspath(generator.path) + os.sep
        # article restored or kept by this build (by id; kept alive) -> its links to static files
        self._links: dict[int, tuple[Any, set[str]]] = {}

    def _source(self, path: str) -> str:
        """``path`` as reader.py keys the cache: absolute, normalised. Pelican names a file found in the walk by a
        plain relative path, which joins as it is (os.path.abspath took 0.02 s of 10,000 look-ups)."""
        if _PLAIN.fullmatch(path):
            return self._base + path
        return os.path.abspath(os.path.join(self.generator.path, path))

    def _thaw(self, values: dict[str, Any], keys: list[str]) -> None:
        """The kept authors, categories and tags at ``keys`` of ``values`` (each one or a list) as this build's
        objects, one per name: looked up inline, a call only for a name not met yet (an edit build at 10,000
        articles thaws 60,000 values)."""
        wrappers = self._wrappers
        for key in keys:
            value = values[key]
            values[key] = [wrappers.get(v) or self._made(v) for v in value] if type(value) is list else \
                wrappers.get(value) or self._made(value)

    def _made(self, token: _Wrapped) -> Any:
        cls, name = token
        found = self._wrappers[token] = cls(name, self.generator.settings)
        return found

    def get(self, path: str, default: Any = None) -> Any:
        state = self.cache.snapshot(self._source(path), self.tag)
        if state is None:
            return default
        if isinstance(state, _Hot):  # as a shard keeps it (_pack): its rest read when asked for (KeptArticle)
            cls, attributes, wrapped, rest, links = state
            attributes = dict(attributes)  # the kept state stays as it is: it is saved again with the entry
            attributes[_REST] = (rest, self)
            cls = KeptArticle
        else:  # as this process made it (the preview's last build)
            cls, attributes, wrapped, wrapped_meta, links = state
            attributes = dict(attributes)
            attributes["metadata"] = metadata = dict(attributes["metadata"])
            self._thaw(metadata, wrapped_meta)
            if not isinstance(attributes["_content"], str):  # as the cache gives it back (_pack)
                if cls is Article:
                    cls = KeptArticle
                else:
                    attributes["_content"] = attributes["_content"].decode()
        self._thaw(attributes, wrapped)
        article = cls.__new__(cls)
        article.__dict__ = attributes
        article.settings, article._context = self.generator.settings, self.generator.context
        self._links[id(article)] = (article, links)
        return article

    def thaw_rest(self, rest: Any) -> dict[str, Any]:
        """A restored article's :data:`COLD` attributes, from what its state left in the cache's file (_pack)."""
        _, attributes, wrapped_meta = thawed(rest)
        self._thaw(attributes["metadata"], wrapped_meta)
        return attributes

    def add_source_path(self, content: Any, static: bool = False) -> None:
        """Pelican's, but a restored or kept article's relative path is the one computed when the object was made."""
        entry = self._links.get(id(content))
        if static or entry is None or entry[0] is not content:
            type(self.generator).add_source_path(self.generator, content, static)
        else:
            self.generator.context["generated_content"][content.relative_source_path] = content

    def add_static_links(self, content: Any) -> None:
        """Pelican's, but a restored or kept article's links to static files were found once, when it was read."""
        article, links = self._links.get(id(content), (None, None))
        if article is not content:
            type(self.generator).add_static_links(self.generator, content)
        elif links:
            self.generator.context["static_links"] |= links

    def put(self, path: str, article: Any) -> None:
        date = getattr(article, "date", None)
        if not isinstance(article, Article) or not isinstance(date, datetime) or article.status == "draft":
            return
        if date > (datetime.now(date.tzinfo) if date.tzinfo else self.now) - _PAST:
            return
        attributes, wrapped = _frozen((k, v) for k, v in vars(article).items() if k not in _LIVE)
        attributes["metadata"], wrapped_meta = _frozen(article.metadata.items())
        # Its URL and file name as the build freezes them (writer.freeze_urls), worked out from the metadata and the
        # settings the tag covers: a restored article answers from these, not by formatting them again (10,000 of
        # each per build). Until its class is frozen, Pelican's own properties still compute them.
        attributes["url"], attributes["save_as"] = article.url, article.save_as
        # What its card shows of its file, worked out once for every build that restores it: with no media and not
        # scheduled, as Fingerprint._own checks before it takes this.
        attributes[KEPT_OWN] = own_repr(article, False, None)
        attributes[KEPT_PART] = kept_part(attributes[KEPT_OWN])
        attributes[KEPT_ADDRESS] = address_part(article)  # and what the sitemap lists of it
        attributes[KEPT_PLAIN] = not links_to_refresh(article, self.generator.settings["FORMATTED_FIELDS"])
        value = self.cache.get(self._source(path))
        if value is not None and not isinstance(value[0], str) and bytes(value[0]) == article._content.encode():
            attributes["_content"] = value[0]  # read from the cache's bytes: kept as the same object, saved once
        links = self._links[id(article)] = (article, article.get_static_links())  # Pelican's next step asks too
        self.cache.keep(self._source(path), self.tag, (type(article), attributes, wrapped, wrapped_meta, links[1]))


def _is_wrapped(value: Any) -> bool:
    return isinstance(value, _Wrapped) or (isinstance(value, list) and bool(value) and isinstance(value[0], _Wrapped))


def keep_articles(generator: Any) -> None:
    """Swap the article generator's own content cache (off unless ``CACHE_CONTENT``) for kept states, and
    its bookkeeping of each file read for one that reuses what a restored article already knows."""
    settings = generator.settings
    session = settings.get(SESSION)
    if session is None or session.parse_cache is None or settings.get("CACHE_CONTENT") \
            or settings.get("TYPOGRIFY") or settings.get("DEFAULT_DATE") == "fs" \
            or any(signal.receivers for signal in _READING):
        return
    kept = _Kept(generator, session.parse_cache)
    session.parse_cache.pack = _pack
    generator.get_cached_data, generator.cache_data = kept.get, kept.put
    generator.add_source_path, generator.add_static_links = kept.add_source_path, kept.add_static_links
