"""Import saved news pages (HTML or plain text) as draft articles.

Editors save a page from a provincial portal or a newspaper, or copy its text,
and run ``invoke import --path FILE``. The importer writes a *draft* in the
content model (docs/content-model.md) and prints a report for the editor:

- title, date (every Vietnamese date style we meet, metadata first), author,
  source, source URL, and a clean Markdown body without site chrome;
- suggestions of campaigns, clusters, provinces and exemplars found by their
  names and aliases in the text (folded, longest match first), each with the
  text that triggered it; awards become comments, never ``honours``, because
  the importer cannot know who received them; an ``event`` (tổng kết, phát
  động …) when the headline announces one (see ``draft.EVENT_WORDS``);
- every block of text it dropped, with the reason (see ``CHROME_PATTERNS`` and
  ``CHROME_CLASSES``): nothing is lost silently.

Decisions the editors rely on:

- A text with no publication date (or only "Ngày 30/3" with no year) still
  gets a draft, since ``date`` is required and a draft must validate: the field
  holds the import date as a placeholder under a ``# CẦN SỬA`` comment, and the
  report warns. The year is never guessed.
- In plain text a date line *before* the headline is the site's clock on the
  day the page was saved ("Thứ Sáu, 01/11/2024 15:23"); the date line after the
  headline wins.
- A numeric date is day/month unless it carries AM/PM or its second number is
  above 12, as on the old central-board site ("3/29/2017 3:23:10 PM").
- A file that cannot be read, decoded or recognised as an article raises
  :class:`ImportFailed` naming the file and the problem; nothing is written for it.

The package follows the importer's steps; each module imports only from those
above it in this list, so there is no cycle:

- ``common``: text helpers (clean, excerpt, escape), ``CHROME_PATTERNS``, the
  shared regular expressions and ``_Block``, one block of a draft's body;
- ``report``: ``ImportReport`` and its parts (``Dropped``, ``Suggestion``,
  ``DateHit``) and ``ImportFailed``;
- ``decoding``: bytes to NFC text (BOM, UTF-16, declared charset, Windows-1258);
- ``dates``: ``find_date`` and the date-line reader;
- ``vocabulary``: ``Vocabulary``, the records' names for suggestions;
- ``bylines``: ``parse_byline`` and the outlet names;
- ``text``: blocks of a plain-text file;
- ``html_chrome``, ``html_body``, ``html``: blocks of a saved HTML page
  (chrome and container, body conversion, headline, date, sapo and byline);
- ``tidy``: what text and HTML share (page tail, byline, source, captions);
- ``draft``: slug, event, the draft file, ``import_file`` and ``import_files``.
"""

from __future__ import annotations

from .bylines import parse_byline
from .common import CHROME_PATTERNS
from .dates import find_date
from .decoding import decode
from .draft import import_file, import_files
from .html_chrome import CHROME_CLASSES
from .report import DateHit, Dropped, ImportFailed, ImportReport, Suggestion
from .vocabulary import Vocabulary

__all__ = [
    "CHROME_CLASSES",
    "CHROME_PATTERNS",
    "DateHit",
    "Dropped",
    "ImportFailed",
    "ImportReport",
    "Suggestion",
    "Vocabulary",
    "decode",
    "find_date",
    "import_file",
    "import_files",
    "parse_byline",
]
