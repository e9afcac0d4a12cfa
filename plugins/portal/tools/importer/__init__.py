"""Import saved news pages (HTML or plain text) as draft articles.

Editors save a page from a provincial portal or a newspaper, or copy its text,
and run ``invoke import --path FILE``. The importer writes a *draft* in the
content model (docs/content-model.md) and prints a report for the editor:

- title, date (every Vietnamese date style we meet, metadata first), author,
  source, source URL, and a clean Markdown body without site chrome;
- the page's photos, copied into ``content/images/<year>/`` with their alt
  text, caption and credit, the first one above the body as the lead photo;
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

Photos (``photos``):

- Only pictures saved with the page are copied: a browser's "Lưu trang, đầy
  đủ" folder (``trang_files/``, ``trang.files/``) or a relative path next to the
  page; when the page kept a web address, a file of that name in the page's
  folder is used. Each copy is ``images/<year of the article>/<slug>-<n>.<ext>``
  inside the content tree (ASCII, the first n no file has, never overwriting);
  a GIF becomes its first frame as PNG (the portal takes no GIF). ``--dry-run``
  copies nothing and the report says what it would copy.
- The first photo between the headline and the body, or before the body's first
  paragraph, is the lead photo (``image``, ``image_alt``, ``image_caption``,
  ``image_credit``); the others are written ``![alt](images/… "Caption. Ảnh:
  Credit")`` where they stood.
- Alt text is the ``<img alt>`` (not a file name like "IMG_2041"); without
  one, the caption, and the report says to rewrite it. The caption is the
  figure's caption, a caption-like line under the photo, or a centred line; the
  credit is the "Ảnh: …", "(Ảnh: …)", "Nguồn: …" in the caption or on the line
  under it, or "Ảnh minh họa". With neither alt text nor caption, or without a
  credit, the draft carries a ``CẦN SỬA`` comment at the photo (for the lead
  photo, above ``image:`` with the field left out) and the build's error points
  there until the editor writes it: the importer never invents them.
- A picture that is missing on disk, only on the web, not an image by its bytes
  (JPEG, PNG, WebP or GIF magic numbers: an SVG or HTML file named .jpg is
  refused), corrupt, a decompression bomb (over 50 million pixels, read from the
  header, never decoded), an icon (both sides under 100 pixels), or outside the
  saved page's folder (``../``, absolute paths, ``file:`` addresses, Windows
  drives, symbolic links leading out) is not copied: the report warns with the
  reason and the draft keeps its address and caption in a ``CẦN SỬA`` HTML
  comment where it stood. Nothing is written outside the content tree, and the
  copies are made only once the draft validated (removed again if the draft
  cannot be written).

Pages exported from Word ("Save as Web Page") (``html_word``):

- The headline is the Title-style paragraph (``MsoTitle``), else a Heading 1,
  else the largest bold or large paragraph of the first eight; ``<title>``,
  which holds a file's or a site's name, is only the last resort (with a
  warning). Lines above the headline (an office's letterhead) are dropped and
  listed; an office named there is the source of last resort.
- Conditional comments (VML copies of pictures, Office XML), ``<o:p>``, ``mso-``
  style declarations and empty paragraphs go; Word's list paragraphs become
  Markdown lists; text Word hides (``mso-hide:all``) and review comments are
  dropped and listed. Paragraphs pasted from Word into a portal
  (``class="MsoNormal"``) get the same cleaning, but keep the page's headline.
- An ALL-CAPS headline (from any source) is written in sentence case only when
  the article's own text spells every word of it, outside the start of a
  sentence, one way ("Nghệ An", "UBND", "Vì người nghèo"); otherwise it is kept
  in capitals and the report warns (``casing``).

Namesakes: exemplars that one name stands for (the same name, or names that
fold alike written without diacritics) are weighed by the provinces the article
names (its own province counts 1 a mention, a province merged into or from it
½). A single heaviest exemplar is suggested and the others are listed as not
suggested; when no province of theirs is named, or two weigh the same, none goes
into the front matter: the draft lists them in a comment and the report says
"không chắc: …". An exemplar also named unambiguously elsewhere in the text
settles a tie.

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
- ``html_chrome``, ``html_body``, ``html_word``, ``html``: blocks of a saved
  HTML page (chrome and container, body conversion, Word exports, headline,
  date, sapo, byline and the photo above the body);
- ``tidy``: what text and HTML share (page tail, byline, source, captions and
  their credit lines);
- ``casing``: an ALL-CAPS headline in sentence case;
- ``photos``: the page's pictures checked, named and copied;
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
