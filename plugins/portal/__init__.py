"""Emulation-and-commendation portal: a Pelican plugin.

``register()`` only connects signals; each concept lives in its own module:
``schema`` (content model) with ``fields`` (field types) and ``validate`` (its
rules), ``vietnamese`` (text helpers), ``taxonomy`` (the engine) and
``taxonomies`` (declarations), ``profiles``, ``related``, ``graph`` (the joins)
and ``generator`` (output); ``incremental/`` renders only what changed; the
editors' and developers' tools live apart in ``tools/``. docs/architecture.md
is the map.
"""

from __future__ import annotations

import os
from itertools import chain
from typing import Any

from . import startup

if startup.started_as_command():  # before Pelican is imported: see startup.py
    startup.leave_out_docutils()
    startup.collect_later()

from jinja2 import pass_context
from pelican import signals

from . import seo, vietnamese
from .cache import TemplateCache
from .config import PortalConfig
from .generator import PortalGenerator
from .incremental import FRAGMENTS, SESSION, PortalWriter, files_in_walk
from .incremental.writer import PageTemplate
from .reader import PortalReader
from .snapshots import KEPT_PLAIN, keep_articles, links_to_refresh
from .taxonomies import TAXONOMIES

JINJA_FILTERS = {
    "ngay": vietnamese.format_date,
    "ngay_gio": vietnamese.format_datetime,
    "ngay_dai": vietnamese.format_long_date,
    "fold": vietnamese.fold,
    "vi_sort": lambda items, attribute="name": sorted(
        items, key=lambda x: vietnamese.sort_key(str(getattr(x, attribute, x)))),
    # Metadata (seo.py): dicts built in Python, emitted only through ld_json (escaped JSON).
    "ld_json": seo.ld_json,
    "page_path": seo.page_path,
    "absolute": pass_context(lambda ctx, path: seo.absolute(path, ctx)),
    "article_jsonld": pass_context(lambda ctx, article: seo.article_jsonld(article, ctx)),
    "profile_jsonld": pass_context(lambda ctx, term: seo.profile_jsonld(term, ctx)),
    "breadcrumbs_jsonld": pass_context(lambda ctx, items: seo.breadcrumbs_jsonld(items, ctx)),
    "catalogue_jsonld": pass_context(lambda ctx, datasets: seo.catalogue_jsonld(datasets, ctx)),
}


def configure(pelican: Any) -> None:
    """Fill in the settings the portal relies on; autoescape is not optional."""
    settings = pelican.settings
    config = PortalConfig.from_settings(settings)  # fail fast on a bad PORTAL dict
    settings["PORTAL"] = {**(settings.get("PORTAL") or {}), "site_url": config.site_url}  # normalised: no final "/"
    # Each build makes its own environments: no template changes under it, and the check (a stat per
    # imported template per page) cost a second of CPU at 10,000 articles.
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "autoescape": True, "auto_reload": False}
    settings["JINJA_FILTERS"] = {**JINJA_FILTERS, **settings.get("JINJA_FILTERS", {})}
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), "fragment": FRAGMENTS}
    paginated = dict(settings.get("PAGINATED_TEMPLATES", {}))
    for tax in TAXONOMIES:
        paginated[tax.template] = config.per_page
    paginated["news"] = config.per_page
    settings["PAGINATED_TEMPLATES"] = paginated


def add_reader(readers: Any) -> None:
    for ext in PortalReader.file_extensions:
        readers.reader_classes[ext] = PortalReader


def _no_stamp(path: str) -> str:
    return ""


def skip_file_stamps(generator: Any) -> None:
    """Pelican's article and page generators stamp each file they read (a stat, four per article, in
    the generator and its readers) even with its content cache off, when no stamp is ever compared to
    a cached one; the portal's parse cache (cache.py) keys files by their bytes. Without
    ``CACHE_CONTENT`` the stamps are skipped."""
    if not generator.settings.get("CACHE_CONTENT"):
        generator._filestamp_func = generator.readers._filestamp_func = _no_stamp


def reuse_walk(generator: Any) -> None:
    """The article and page generators find their files in the walk the build made at its start
    (incremental.files_in_walk) instead of walking the content folder again, twice for articles."""
    session = generator.settings.get(SESSION)
    if session is None or session.walk is None or generator.path != os.path.abspath(generator.settings["PATH"]):
        return
    pelicans_own = generator.get_files

    def get_files(paths: Any, exclude: list[str] | None = None, extensions: Any = None) -> set[str]:
        found = files_in_walk(session.walk, generator.path, paths, exclude,
                              tuple(generator.readers.extensions) if extensions is None else extensions,
                              generator.settings["IGNORE_FILES"])
        return pelicans_own(paths, exclude, extensions) if found is None else found

    generator.get_files = get_files


def refresh_links_where_there_are_any(generator: Any) -> None:
    """Pelican runs its link pattern over the summary of every article on every build (0.08 s at 10,000), to
    rewrite ``{filename}`` links in tags that plain-text leads do not have: an article without one is passed by.
    A restored article's answer was kept with its state (snapshots.KEPT_PLAIN): asking each of 10,000 again took
    0.01-0.02 s of every edit build."""
    fields = generator.settings["FORMATTED_FIELDS"]

    def refresh() -> None:
        for article in chain(generator.articles, generator.translations, generator.drafts,
                             generator.drafts_translations, generator.hidden_articles, generator.hidden_translations):
            if article.__dict__.get(KEPT_PLAIN) or not hasattr(article, "refresh_metadata_intersite_links"):
                continue
            if links_to_refresh(article, fields):
                article.refresh_metadata_intersite_links()

    generator.refresh_metadata_intersite_links = refresh


def write_changed_articles(generator: Any) -> None:
    """Pelican asks the writer for every article's page, 10,000 calls at 10,000 articles, when an edit changes a
    few: the pages the writer finds kept in one pass (PortalWriter.keep_article_pages) are not asked for. Unless
    a plugin listens to each page's writing: it must hear of every one."""
    pelicans_pages, pelicans_articles = generator.generate_pages, generator.generate_articles
    lists = ("translations", "articles", "hidden_translations", "hidden_articles")  # what generate_articles writes

    def generate_pages(writer: Any) -> None:
        keep = getattr(writer, "keep_article_pages", None)
        kept = keep(generator.articles) if keep is not None and not signals.article_generator_write_article.receivers \
            else set()

        def generate_articles(write: Any) -> None:  # the other pages (direct templates) still get every article
            whole = {name: getattr(generator, name) for name in lists}
            for name, found in whole.items():
                setattr(generator, name, [a for a in found if id(a) not in kept])
            try:
                pelicans_articles(write)
            finally:
                for name, found in whole.items():
                    setattr(generator, name, found)

        generator.generate_articles = generate_articles if kept else pelicans_articles
        try:
            pelicans_pages(writer)
        finally:
            generator.generate_articles = pelicans_articles

    generator.generate_pages = generate_pages


def get_generators(pelican: Any) -> type[PortalGenerator]:
    return PortalGenerator


def skip_unwritten_groups(generator: Any) -> None:
    """Pelican groups dates per category, tag and author before it checks whether their pages are
    written at all, scanning every article per group (O(n²) in a national archive). The portal writes
    none of them, so there is nothing to group."""
    settings = generator.settings
    for attr, key, empty in (("categories", "CATEGORY_SAVE_AS", list), ("tags", "TAG_SAVE_AS", dict),
                             ("authors", "AUTHOR_SAVE_AS", list)):  # the shapes Pelican leaves them in
        if not settings.get(key):
            setattr(generator, attr, empty())


def cache_templates(generator: Any) -> None:
    """Each generator's Jinja environment reuses the templates compiled by the last build (cache.TemplateCache), and
    makes templates whose pages free what they make as they go (PageTemplate)."""
    generator.env.template_class = PageTemplate
    session = generator.settings.get(SESSION)
    if session is not None:
        generator.env.bytecode_cache = TemplateCache(session.cache_dir, generator.settings["JINJA_ENVIRONMENT"])


def get_writer(pelican: Any) -> type[PortalWriter]:
    return PortalWriter


def register() -> None:
    signals.initialized.connect(configure)
    signals.readers_init.connect(add_reader)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.article_generator_finalized.connect(skip_unwritten_groups)
    signals.generator_init.connect(cache_templates)
    signals.article_generator_init.connect(skip_file_stamps)
    signals.article_generator_init.connect(keep_articles)
    signals.article_generator_init.connect(refresh_links_where_there_are_any)
    signals.article_generator_init.connect(write_changed_articles)
    signals.page_generator_init.connect(skip_file_stamps)
    signals.article_generator_init.connect(reuse_walk)
    signals.page_generator_init.connect(reuse_walk)
