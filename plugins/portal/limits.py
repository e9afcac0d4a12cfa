"""Bounds on one content file, in one place: a hostile or broken file costs milliseconds, never minutes.

Each bound is far above what editors write (the sample site's largest front
matter is 3 KB, its longest value 300 characters, its longest list 10 items,
its deepest nesting 3 levels), and is checked before the expensive work it
protects: YAML composition, typing, Markdown rendering.
"""

from __future__ import annotations

FILE_MAX_BYTES = 8 * 1024 * 1024  # a larger file is not even read
FRONT_MATTER_MAX_CHARS = 256 * 1024  # the text between the two '---' lines
STRING_MAX_CHARS = 64 * 1024  # one value (or key) of the front matter
LIST_MAX_ITEMS = 1_000  # items of one list, fields of one mapping
NESTING_MAX_DEPTH = 20  # lists and mappings inside each other
NUMBER_MAX_DIGITS = 100  # a plain number longer than this is refused (Python refuses ints over 4,300 digits)

BODY_MAX_CHARS = 1_000_000  # the Markdown body
RENDER_MAX_SECONDS = 3.0  # CPU time for one body (a real 1 MB body takes 0.5 s), where a timer can stop it

# Markdown scans: past these, brackets are text, not a link (see markdown_guard).
LINK_TEXT_MAX_CHARS = 2_000  # [text] of a link or image (alt text)
LINK_URL_MAX_CHARS = 4_000  # (address "title") of a link or image
CODE_SPAN_MAX_CHARS = 10_000  # `code` between one run of backticks and its closing run
LABEL_MAX_CHARS = 200  # [^label] of a footnote, *[label]: of an abbreviation: a number, a word or two


def count(n: int) -> str:
    """``n`` as Vietnamese write it (262.144), for messages."""
    return f"{n:,}".replace(",", ".")
