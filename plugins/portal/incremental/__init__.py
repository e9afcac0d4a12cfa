"""Incremental builds: render and write only the pages whose inputs changed.

Every page gets a *key*: a digest of what it shows, taken from its template
arguments (the ``article`` of an article page, the ``term`` and the articles
on one page of a term listing, the entries of a feed). Pelican's ``context``
is the same for every page; what of it reaches a page (settings, the theme,
the plugin code, the menu of pages) goes into one *site key*. The keys of the
last good build are kept next to the output; a page whose key is unchanged
and whose file is still there is neither rendered nor written, so its bytes
and mtime stay and a sync to the server moves only what changed. A new site
key (theme, plugin, settings or menu changed) renders everything again.

What a page shows must therefore reach it through its template arguments,
and :class:`Fingerprint` refuses a type it has no rule for rather than guess;
the incremental-equality tests (tests/site/test_incremental.py) compare every
kind of edit with a cold build, byte for byte.

Two shortcuts sit around this. Before reading anything, the build compares
the name, size and mtime of every content file, the theme, the code and the
settings with the last good build (:func:`inputs_digest`); if nothing changed
and no scheduled article fell due, it stops there. And the reader keeps a
digest of each file's bytes and of its metadata with the parsed file
(cache.py), so keys need not walk metadata again.

Rendering is deferred to :meth:`PortalWriter.flush`, which splits the pages
between two processes (``fork``) when there are enough of them.

- ``state.py``: :class:`State` (the last good build, pickled beside the output) and :class:`Session`;
- ``fingerprints.py``: page keys (:class:`Fingerprint`), the site key and the inputs digest;
- ``writer.py``: :class:`PortalWriter`, and ``freeze_urls``.
"""

from .fingerprints import Fingerprint, code_digest, content_files, files_in_walk, inputs_digest, site_key
from .state import SESSION, Session, State
from .writer import FRAGMENTS, PortalWriter, freeze_urls

__all__ = ["FRAGMENTS", "SESSION", "Fingerprint", "PortalWriter", "Session", "State", "code_digest", "content_files",
           "files_in_walk", "freeze_urls", "inputs_digest", "site_key"]
