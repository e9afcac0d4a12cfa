"""Python-Markdown's scans, bounded: a hostile body costs seconds, not hours.

Python-Markdown tries every ``[`` as a link: it scans forward for the ``]``
that closes it, then for the ``)`` that closes the address, char by char in
Python. When they never come (20,000 ``[``, or ``[a](`` repeated), each
opener scans the rest of the paragraph: quadratic, 70 s for 20 KB. Some
regular expressions of the extensions do the same in C, where no timer can
stop them: a footnote marker ``[^``, a footnote or abbreviation definition
whose label runs over lines, an unclosed code fence, ``{: …`` in a heading.

:class:`GuardExtension` replaces those processors, or their patterns, with
versions that give the same output for every text within the bounds of
:mod:`portal.limits` (past them, brackets are text):

- the ``]`` closing a link text is found with ``str.find`` when the text holds
  no nested ``[`` (the usual case), and otherwise in a table of bracket pairs
  made by one pass over the paragraph and kept while the paragraph's tail is
  unchanged (Python-Markdown only rewrites what lies before its next search);
- the ``)`` closing an address likewise: ``str.find`` rules out an address
  that is never closed, the pair table finds it when no quote (a title) is
  in the way, and the original scan, cut at the bound, handles titles;
- the reference processors are not tried in a document without references;
- labels and code spans are scanned within their bounds, a code fence only
  where a closing fence follows, a heading's attributes only when it ends
  with ``}``;
- the block tests that read a whole block (hash heading, rule, table) do
  not read it again when a processor has put back its tail (a list of
  definitions, taken one by one);
- the raw-HTML parser's scan for the end of a start tag (``<a <a …``,
  ``<a b="<a b="…``, never closed) is made once per stretch of text, however
  many ``<`` begin in it.

Other slow shapes (hundreds of thousands of links or escapes in one
paragraph: Python-Markdown rebuilds the paragraph's string after each) are
left to the renderer's time budget (records.MarkdownRenderer).

The extension also makes the usual case faster without changing its output:
the inline step passes over a text that holds nothing any of its patterns
needs (:class:`_PlainInline`), as most paragraphs of news do.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from markdown import Markdown, blockprocessors, inlinepatterns
from markdown.blockparser import BlockParser
from markdown.blockprocessors import HashHeaderProcessor, HRProcessor
from markdown.extensions import Extension
from markdown.extensions import def_list, sane_lists
from markdown.extensions.abbr import AbbrBlockprocessor
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.footnotes import FootnoteBlockProcessor, FootnoteInlineProcessor
from markdown.extensions.md_in_html import HtmlBlockPreprocessor as MarkdownInHtmlPreprocessor
from markdown.extensions.md_in_html import HTMLExtractorExtra, MarkdownInHtmlProcessor
from markdown.extensions.tables import PIPE_LEFT, PIPE_NONE, PIPE_RIGHT, TableProcessor
from markdown.htmlparser import HTMLExtractor, htmlparser
from markdown.inlinepatterns import (
    BacktickInlineProcessor,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
    dequote,
)
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString, Registry

from .limits import CODE_SPAN_MAX_CHARS, LABEL_MAX_CHARS, LINK_TEXT_MAX_CHARS, LINK_URL_MAX_CHARS

__all__ = ["GuardExtension"]

_FOOTNOTE_RE = rf"\[\^([^\]]{{0,{LABEL_MAX_CHARS}}})\]"
# The definitions' patterns, their labels bounded: unbounded, a label may run over lines, so that one search of a
# block tries every line against the rest of the block (in C, where no timer stops it).
_FOOTNOTE_DEFINITION_RE = re.compile(rf"^[ ]{{0,3}}\[\^([^\]]{{0,{LABEL_MAX_CHARS}}})\]:[ ]*(.*)$", re.MULTILINE)
_ABBREVIATION_RE = re.compile(rf"^[*]\[(?P<abbr>[^\\]{{0,{LABEL_MAX_CHARS}}}?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$",
                              re.MULTILINE)
_NEVER = re.compile(r"(?!)")
_FENCE_OPENER = re.compile(r"^(?:~{3,}|`{3,})", re.MULTILINE)


class _Pairs:
    """Where each opener (``[`` or ``(``) of a text is closed, found by one pass of a stack over it.

    A closer depends only on what follows its opener, so a table stays right
    for a later text with the same tail: keys and values count from the end.
    The few most recent tables are kept (a link's text is processed between
    two searches of its paragraph).
    """

    KEEP = 4

    def __init__(self, opener: str, closer: str) -> None:
        self.opener, self.closer = opener, closer
        self._scan = re.compile(f"[{re.escape(opener + closer)}]")
        self._tables: list[tuple[str, int, dict[int, int]]] = []  # (text, longest tail covered, table)
        self._known: tuple[str, int, dict[int, int]] | None = None  # a text seen to share a table's tail

    def clear(self) -> None:
        self._tables, self._known = [], None

    def close(self, data: str, index: int) -> int:
        """Position of the closer of the opener at ``index - 1``, or -1 when it is never closed."""
        tail = len(data) - index + 1
        known = self._known
        if known is None or known[0] is not data or tail > known[1]:
            known = self._find(data, tail)
            self._known = known
        table = known[2]
        end = table.get(tail)
        return -1 if end is None else len(data) - end

    def _find(self, data: str, tail: int) -> tuple[str, int, dict[int, int]]:
        for text, covered, table in self._tables:
            if tail <= covered and (text is data or data.endswith(text[len(text) - tail:])):
                return data, tail, table
        table: dict[int, int] = {}
        stack: list[int] = []
        size = len(data)
        for match in self._scan.finditer(data, size - tail):
            if match.group() == self.opener:
                stack.append(size - match.start())
            elif stack:
                table[stack.pop()] = size - match.start()
        self._tables = [(data, tail, table), *self._tables[:self.KEEP - 1]]
        return data, tail, table


class _BoundedText:
    """``getText`` of the link processors, bounded and without re-scanning nested brackets."""

    brackets: _Pairs

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        """The text between ``[`` and its ``]``: at most LINK_TEXT_MAX_CHARS, or not a link text."""
        close = data.find("]", index, index + LINK_TEXT_MAX_CHARS + 1)
        if close == -1:
            return "", index, False
        if data.find("[", index, close) != -1:
            close = self.brackets.close(data, index)
            if close == -1 or close - index > LINK_TEXT_MAX_CHARS:
                return "", index, False
        return data[index:close], close + 1, True


class _BoundedLink(_BoundedText):
    """``getLink`` of the inline link and image processors, bounded."""

    parens: _Pairs
    RE_LINK: re.Pattern[str]
    RE_TITLE_CLEAN: re.Pattern[str]

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        """Python-Markdown's ``getLink``, its scan cut at LINK_URL_MAX_CHARS after the ``(``."""
        href, title, handled = "", None, False
        m = self.RE_LINK.match(data, pos=index)
        if m and m.group(1):  # [text](<link> "title"): a regular expression that stops at the next < or >
            href = m.group(1)[1:-1].strip()
            if m.group(2):
                title = m.group(2)[1:-1]
            index = m.end(0)
            handled = True
        elif m:
            start_index = m.end()
            limit = min(len(data), index + 1 + LINK_URL_MAX_CHARS)
            close = self.parens.close(data, index + 1) if data.find(")", start_index, limit) != -1 else -1
            closed = 0 <= close < limit
            end = close if closed else limit
            if data.find("'", start_index, end) == -1 and data.find('"', start_index, end) == -1:
                if not closed:  # no title, and the parentheses stay open past the bound: not a link
                    return "", None, index, False
                href, index, handled = data[start_index:close], close + 1, True
            else:  # a title: the original scan, which knows where quotes end it
                href, title, index, handled = self._scan_link(data, start_index, limit)
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(" ", dequote(self.unescape(title.strip())))
        href = self.unescape(href).strip()
        return href, title, index, handled

    @staticmethod
    def _scan_link(data: str, start_index: int, limit: int) -> tuple[str, str | None, int, bool]:
        """The original scan of an address with a title ('…' or "…"), up to ``limit``.

        Copied from Python-Markdown 3.11 ``LinkInlineProcessor.getLink``
        (BSD licence); only the end of the loop differs.
        """
        href, title = "", None
        bracket_count = 1
        backtrack_count = 1
        index = start_index
        last_bracket = -1
        quote: str | None = None
        start_quote = -1
        exit_quote = -1
        ignore_matches = False
        alt_quote = None
        start_alt_quote = -1
        exit_alt_quote = -1
        last = ""
        for pos in range(index, limit):
            c = data[pos]
            if c == "(":
                if not ignore_matches:
                    bracket_count += 1
                elif backtrack_count > 0:
                    backtrack_count -= 1
            elif c == ")":
                if (exit_quote != -1 and quote == last) or (exit_alt_quote != -1 and alt_quote == last):
                    bracket_count = 0
                elif not ignore_matches:
                    bracket_count -= 1
                elif backtrack_count > 0:
                    backtrack_count -= 1
                    if backtrack_count == 0:
                        last_bracket = index + 1
            elif c in ("'", '"'):
                if not quote:
                    ignore_matches = True
                    backtrack_count = bracket_count
                    bracket_count = 1
                    start_quote = index + 1
                    quote = c
                elif c != quote and not alt_quote:
                    start_alt_quote = index + 1
                    alt_quote = c
                elif c == quote:
                    exit_quote = index + 1
                elif alt_quote and c == alt_quote:
                    exit_alt_quote = index + 1
            index += 1
            if bracket_count == 0:
                if exit_quote >= 0 and quote == last:
                    href = data[start_index:start_quote - 1]
                    title = "".join(data[start_quote:exit_quote - 1])
                elif exit_alt_quote >= 0 and alt_quote == last:
                    href = data[start_index:start_alt_quote - 1]
                    title = "".join(data[start_alt_quote:exit_alt_quote - 1])
                else:
                    href = data[start_index:index - 1]
                break
            if c != " ":
                last = c
        if bracket_count != 0 and backtrack_count == 0:
            href = data[start_index:last_bracket - 1]
            index = last_bracket
            bracket_count = 0
        return href, title, index, bracket_count == 0


class _Link(_BoundedLink, LinkInlineProcessor):
    pass


class _Image(_BoundedLink, ImageInlineProcessor):
    pass


class _BoundedReference(_BoundedText):
    """A reference processor that is not even tried in a document without reference definitions."""

    md: Markdown
    compiled_re: re.Pattern[str]

    def getCompiledRegExp(self) -> re.Pattern[str]:
        """No ``[label]: address`` in the document: no ``[`` can be a reference, so no match is tried."""
        return self.compiled_re if self.md.references else _NEVER


class _Reference(_BoundedReference, ReferenceInlineProcessor):
    pass


class _ImageReference(_BoundedReference, ImageReferenceInlineProcessor):
    pass


class _ShortReference(_BoundedReference, ShortReferenceInlineProcessor):
    pass


class _ShortImageReference(_BoundedReference, ShortImageReferenceInlineProcessor):
    pass


class _Backtick(BacktickInlineProcessor):
    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        """Python-Markdown 3.11's search for the closing backticks (BSD licence), within CODE_SPAN_MAX_CHARS."""
        last = min(len(text), start + CODE_SPAN_MAX_CHARS)
        max_ticks = 0
        while start < last and text[start] == "`":
            max_ticks += 1
            start += 1
        longest_span = 0
        end = 0
        i = start
        while i < last:
            span_length = 0
            while i < last and text[i] == "`":
                span_length += 1
                i += 1
            if not span_length:
                i += 1
                continue
            if max_ticks == span_length:
                return start, i - span_length
            if span_length > longest_span:
                longest_span = span_length
                end = i
        if 0 < longest_span < max_ticks:
            return start - (max_ticks - longest_span), end - longest_span
        return start + max_ticks, None


class _FenceSearch:
    """``FENCED_BLOCK_RE.search`` that only tries the openers a closing fence follows.

    The stock search tries every line that opens a fence against the rest of
    the text (its code is ``.*?`` up to a closing fence): 5 s for 40 KB of
    unclosed fences, in one C call. Here the first closing fence after an
    opener is looked for once and remembered, counted from the end of the
    text (the preprocessor only rewrites the text before where it searches
    next), so an opener without one is skipped at once; an opener with one is
    matched by the stock pattern, so the result is the stock one.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._closers: dict[str, tuple[int, int]] = {}  # fence -> (searched from, first closer), from the end

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        if pos == 0:  # a new document
            self._closers = {}
        size = len(text)
        for opener in _FENCE_OPENER.finditer(text, pos):
            fence, tail = opener.group(), size - opener.end()
            known = self._closers.get(fence)
            if known is None or tail > known[0] or tail <= known[1]:
                closer = re.compile(rf"(?<=\n){re.escape(fence)}[ ]*$", re.MULTILINE).search(text, opener.end())
                known = (tail, size - closer.start() if closer else -1)
                self._closers[fence] = known
            if known[1] >= 0:
                found = self.pattern.match(text, opener.start())
                if found:
                    return found
        return None


class _TailSearch:
    """A block processor's search of a whole block, answered from the last search when the block is its tail.

    A processor that takes the first lines of a block (a definition, a setext heading, a rule) puts the rest
    back, and every processor is tried again on it: the hash heading's and the rule's tests search the whole
    rest each time, quadratic in lines (a 10 KB list of ``: a`` definitions took 1-2 s). Both patterns look
    at nothing before where they start but the line break (``^`` or ``\\n``), so on a tail that starts a line
    their first match is the last text's first match, moved (or none when it had none). Other texts are
    searched as before.
    """

    KEEP = 4  # a definition's own text is parsed between two tails of its list

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._searched: list[tuple[str, re.Match[str] | None]] = []  # the last texts and their first matches

    def search(self, text: str) -> re.Match[str] | None:
        for last, found in self._searched:
            cut = len(last) - len(text)
            if cut == 0 and text == last:
                return found
            if cut > 0 and last[cut - 1] == "\n" and last.endswith(text):
                if found is None:
                    return None
                if found.start() >= cut - 1:  # at cut - 1: the line break that starts the tail, matched as ^ in it
                    moved = self.pattern.match(text, max(found.start() - cut, 0))
                    if moved:
                        return moved
        found = self.pattern.search(text)
        self._searched = [(text, found), *self._searched[:self.KEEP - 1]]
        return found


class _TableHead(TableProcessor):
    """The table test on the block's first two lines, the only ones it reads but in one case (below).

    The stock test splits and strips every line of the block, each time a processor has put back its rest.
    A one-column table with borders is the exception: the stock test reads every row, so it gets the block.
    """

    def test(self, parent: Any, block: str) -> bool:
        head = block.split("\n", 2)
        if len(head) < 3:
            return super().test(parent, block)
        header = head[0].strip(" ")
        # The borders first, as the stock test sets them: splitting the row reads them.
        self.border = (PIPE_LEFT if header.startswith("|") else PIPE_NONE) | (
            PIPE_RIGHT if self.RE_END_BORDER.search(header) is not None else PIPE_NONE)
        if self.border and len(self._split_row(header)) == 1:
            return super().test(parent, block)
        return super().test(parent, head[0] + "\n" + head[1])


# Python-Markdown's tolerant start-tag pattern (markdown.htmlparser.locatestarttagend_tolerant: Python 3.11's, with no
# backtick in names and bare values), in the parts its scan goes through: the tag's name and the space after it; one
# attribute (name, value, the space after), repeated; trailing space. Each part is matched where the one before it
# ended (a lookbehind there still sees the text before).
_NAME_ENDS = re.compile(r"[`\t\n\r\f />\x00]")
_AFTER_NAME = re.compile(r"[\s/]*")
_ATTRIBUTE = re.compile(r"""(?<=['"\s/])[^`\s/>][^\s/=>]*(?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^`>\s]*)(?:\s*,)*)?"""
                        r"""(?:\s|/(?!>))*""")
_TRAILING = re.compile(r"\s*")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# The start-tag pattern and the stdlib code the reasoning below is about (Python-Markdown 3.11's pattern, used by
# Python 3.11.7's ``check_for_whole_start_tag``); with any other, the stock scan runs.
_TOLERANT = "20bf2f65f85d4d32"


def _start_tags_as_stock() -> bool:
    pattern = htmlparser.locatestarttagend_tolerant.pattern.encode()
    names = htmlparser.HTMLParser.check_for_whole_start_tag.__code__.co_names
    return (hashlib.blake2b(pattern, digest_size=8).hexdigest() == _TOLERANT
            and "locatestarttagend_tolerant" in names and "locatetagend" not in names)


class _StartTags:
    """``check_for_whole_start_tag`` of the HTML block parser, each stretch of the text scanned once.

    For each ``<`` and letter, Python's parser scans for the end of a start tag; a tag that never ends
    (``<a <a <a …``, ``<a b="<a b="…``) is scanned to the end of the text from every ``<``: quadratic, 2 s for
    10 KB. The scan reads a name, then attributes one after another, each from where the last ended; the
    pattern always matches (every part after the name is optional), so nothing it read is taken back. Two scans
    that reach the same place from different ``<`` read the same from there on: where the scan ends is kept for
    each place a name ends (``_after``) and each place an attribute starts (``_attributes_end``), so each ``<``
    costs a look-up, not a scan.
    The answer from where the scan ends is the stock function's (:func:`_whole_tag_end`).
    """

    rawdata: str

    def check_for_whole_start_tag(self, i: int) -> int:
        text = self.rawdata
        if text[i:i + 1] != "<" or text[i + 1:i + 2] not in _LETTERS:
            return super().check_for_whole_start_tag(i)  # type: ignore[misc]
        if getattr(self, "_text", None) is not text:
            self._text = text
            self._name_ends = [m.start() for m in _NAME_ENDS.finditer(text)]
            self._after: dict[int, int] = {}  # where a name ends -> where the scan ends
            self._attributes_end: dict[int, int] = {}  # where a run of attributes starts -> where it ends
        at = bisect_left(self._name_ends, i + 2)
        name_end = self._name_ends[at] if at < len(self._name_ends) else len(text)
        end = self._after.get(name_end)
        if end is None:
            end = self._after[name_end] = self._attributes(_AFTER_NAME.match(text, name_end).end())
        return _whole_tag_end(text, i, _TRAILING.match(text, end).end())

    def _attributes(self, start: int) -> int:
        """Where the run of attributes from ``start`` ends; every place it passes keeps its answer too."""
        text, after, passed, at = self.rawdata, self._attributes_end, [], start
        while (end := after.get(at)) is None:
            passed.append(at)
            found = _ATTRIBUTE.match(text, at)
            if found is None:
                end = at
                break
            at = found.end()
        for place in passed:
            after[place] = end
        return end


def _whole_tag_end(text: str, i: int, j: int) -> int:
    """``HTMLParser.check_for_whole_start_tag``'s answer for the tag at ``i`` whose scan ended at ``j`` (3.11.7)."""
    following = text[j:j + 1]
    if following == ">":
        return j + 1
    if following == "/":
        if text.startswith("/>", j):
            return j + 2
        return -1  # the stock answer ("buffer boundary")
    if following == "" or following in _LETTERS or following in "=/":
        return -1
    return j if j > i else i + 1


class _Extractor(_StartTags, HTMLExtractor):
    pass


class _ExtractorExtra(_StartTags, HTMLExtractorExtra):
    pass


class _HtmlBlocks(HtmlBlockPreprocessor):
    """Python-Markdown's raw-HTML preprocessor, its parser's start tags read once per run (:class:`_StartTags`)."""

    extractor: type = _Extractor

    def run(self, lines: list[str]) -> list[str]:
        parser = self.extractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class _HtmlBlocksExtra(_HtmlBlocks):
    extractor = _ExtractorExtra


class _HeaderAttributes:
    """attr_list's ``HEADER_RE.search``, tried only when the text ends with ``}``, as a match must.

    Unguarded, each ``' {'`` of a long heading is tried against the rest of the line, in one C call.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        end = text.rstrip(" ")
        if end.endswith("\n"):  # $ matches before a final newline too
            end = end[:-1].rstrip(" ")
        return self.pattern.search(text) if end.endswith("}") else None


# Stock processor name -> (its class, the bounded class); replaced only when the stock class is registered.
_BOUNDED = {
    "reference": (ReferenceInlineProcessor, _Reference),
    "link": (LinkInlineProcessor, _Link),
    "image_link": (ImageInlineProcessor, _Image),
    "image_reference": (ImageReferenceInlineProcessor, _ImageReference),
    "short_reference": (ShortReferenceInlineProcessor, _ShortReference),
    "short_image_ref": (ShortImageReferenceInlineProcessor, _ShortImageReference),
}


# What a text must hold somewhere for each stock inline pattern to match in it, by the pattern's name and regular
# expression. A pattern whose expression is not the one listed here (another extension's, another version's) turns
# the pass-over below off.
_NEEDS = {
    "backtick": (inlinepatterns.BACKTICK_RE, "`"),
    "escape": (inlinepatterns.ESCAPE_RE, r"\\"),
    "footnote": (_FOOTNOTE_RE, r"\["),
    "reference": (inlinepatterns.REFERENCE_RE, r"\["),
    "link": (inlinepatterns.LINK_RE, r"\["),
    "image_link": (inlinepatterns.IMAGE_LINK_RE, r"\["),
    "image_reference": (inlinepatterns.IMAGE_REFERENCE_RE, r"\["),
    "short_reference": (inlinepatterns.REFERENCE_RE, r"\["),
    "short_image_ref": (inlinepatterns.IMAGE_REFERENCE_RE, r"\["),
    "autolink": (inlinepatterns.AUTOLINK_RE, "<"),
    "automail": (inlinepatterns.AUTOMAIL_RE, "<"),
    "linebreak": (inlinepatterns.LINE_BREAK_RE, "  \n"),
    "html": (inlinepatterns.HTML_RE, "<"),
    "entity": (inlinepatterns.ENTITY_RE, "&"),
    "em_strong": (r"\*|_", r"\*|_"),  # the delimiters * and _ (DelimiterProcessor's expression)
}
_needed: dict[tuple[tuple[str, str], ...], re.Pattern[str] | None] = {}


def _needs(patterns: Registry) -> re.Pattern[str] | None:
    """One expression that finds, in a text, what at least one of ``patterns`` needs to match; None if a pattern
    is not one of :data:`_NEEDS`."""
    key = tuple((entry.name, getattr(patterns[entry.name], "pattern", "")) for entry in patterns._priority)
    if key not in _needed:
        known = all(_NEEDS.get(name, (None,))[0] == pattern for name, pattern in key)
        _needed[key] = re.compile("|".join(dict.fromkeys(_NEEDS[name][1] for name, _ in key))) if known else None
    return _needed[key]


class _PlainInline(InlineProcessor):
    """Python-Markdown's inline step, which passes a text over when none of its patterns could match in it.

    Python-Markdown tries each of its 15 patterns on every text, and most paragraphs of news hold nothing that
    any of them needs (a ``[``, a ``*``, a ``<``…): the same output, the inline step in half the time.
    """

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        self._plain = _needs(self.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803 - its name
        if self._plain is not None and not isinstance(data, AtomicString) and self._plain.search(data) is None:
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)  # type: ignore[attr-defined]


# The block processors, by name, whose test no block of plain lines passes (each line begins with a letter): each
# looks for its own start at the start of the block or of a line (spaces, "#", ">", "|", "-", "*", "[", ":", a digit
# and a dot, an HTML block's placeholder), or finds none there and gives the block back (footnote, abbr, reference,
# markdown_block). Any other processor turns the pass below off.
_PLAIN_BLOCK_SKIPS = {
    "markdown_block": (MarkdownInHtmlProcessor,),
    "empty": (blockprocessors.EmptyBlockProcessor,),
    "indent": (blockprocessors.ListIndentProcessor,),
    "defindent": (def_list.DefListIndentProcessor,),
    "code": (blockprocessors.CodeBlockProcessor,),
    "table": (TableProcessor, _TableHead),
    "hashheader": (HashHeaderProcessor,),
    "setextheader": (blockprocessors.SetextHeaderProcessor,),
    "hr": (HRProcessor,),
    "olist": (blockprocessors.OListProcessor, sane_lists.SaneOListProcessor),
    "ulist": (blockprocessors.UListProcessor, sane_lists.SaneUListProcessor),
    "deflist": (def_list.DefListProcessor,),
    "quote": (blockprocessors.BlockQuoteProcessor,),
    "footnote": (FootnoteBlockProcessor,),
    "abbr": (AbbrBlockprocessor,),
    "reference": (blockprocessors.ReferenceProcessor,),
}
_PLAIN_BLOCK = re.compile(r"[^\W\d_][^\n]*(?:\n[^\W\d_][^\n]*)*")  # every line begins with a letter


def _paragraphs(processors: Registry) -> blockprocessors.ParagraphProcessor | None:
    """The paragraph processor, if it is the last of ``processors`` and every other is one of
    :data:`_PLAIN_BLOCK_SKIPS`."""
    entries = processors._priority  # (name, priority), not sorted until the registry is read in order
    if not entries or min(entries, key=lambda e: e.priority).name != "paragraph" or \
            type(processors["paragraph"]) is not blockprocessors.ParagraphProcessor:
        return None
    known = all(type(processors[e.name]) in _PLAIN_BLOCK_SKIPS.get(e.name, ())
                for e in entries if e.name != "paragraph")
    return processors["paragraph"] if known else None


class _PlainBlocks(BlockParser):
    """Python-Markdown's block parser, which hands a block of plain lines straight to the paragraph processor.

    Each of the 16 processors before it tests every block for its own start: a block whose every line begins
    with a letter can only be a paragraph, as most blocks of news are. The same output, the block step in half the
    time.
    """

    _paragraph: blockprocessors.ParagraphProcessor | None = None  # for the document being parsed

    def parseDocument(self, lines: Iterable[str]) -> Any:  # noqa: N802 - Python-Markdown's name
        self._paragraph = _paragraphs(self.blockprocessors)  # once a document: parseBlocks runs for each list item
        return super().parseDocument(lines)

    def parseBlocks(self, parent: Any, blocks: list[str]) -> None:  # noqa: N802 - Python-Markdown's name
        paragraphs = self._paragraph
        if paragraphs is None:
            return super().parseBlocks(parent, blocks)
        while blocks:
            if _PLAIN_BLOCK.fullmatch(blocks[0]):
                paragraphs.run(parent, blocks)
                continue
            for processor in self.blockprocessors:
                if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                    break
        return None


def _replace(registry: Registry, name: str, item: Any) -> None:
    """Register ``item`` in the place (the priority) of the stock item named ``name``."""
    registry.register(item, name, next(entry.priority for entry in registry._priority if entry.name == name))


class GuardExtension(Extension):
    """Bounded link, footnote and code-span scans; name it after every other extension."""

    def extendMarkdown(self, md: Markdown) -> None:
        patterns = md.inlinePatterns
        brackets, parens = _Pairs("[", "]"), _Pairs("(", ")")
        for name, (stock, bounded) in _BOUNDED.items():
            if name in patterns and type(patterns[name]) is stock:
                processor = bounded(patterns[name].pattern, md)
                processor.brackets, processor.parens = brackets, parens
                _replace(patterns, name, processor)
        if "backtick" in patterns and type(patterns["backtick"]) is BacktickInlineProcessor:
            _replace(patterns, "backtick", _Backtick(patterns["backtick"].pattern))
        if "footnote" in patterns and type(patterns["footnote"]) is FootnoteInlineProcessor:
            footnote = FootnoteInlineProcessor(_FOOTNOTE_RE, patterns["footnote"].footnotes)
            _replace(patterns, "footnote", footnote)
        self._guard_blocks(md)
        if "inline" in md.treeprocessors and type(md.treeprocessors["inline"]) is InlineProcessor:
            _replace(md.treeprocessors, "inline", _PlainInline(md))
        if type(md.parser) is BlockParser:
            md.parser.__class__ = _PlainBlocks  # the same parser, with its processors
        self._pairs = (brackets, parens)
        md.registerExtension(self)

    @staticmethod
    def _guard_blocks(md: Markdown) -> None:
        """The block-level patterns of the extensions, bounded where they would scan a block per line."""
        def stock(registry: Registry, name: str, kind: type) -> Any:
            return registry[name] if name in registry and type(registry[name]) is kind else None

        if fenced := stock(md.preprocessors, "fenced_code_block", FencedBlockPreprocessor):
            fenced.FENCED_BLOCK_RE = _FenceSearch(fenced.FENCED_BLOCK_RE)
        if attributes := stock(md.treeprocessors, "attr_list", AttrListTreeprocessor):
            attributes.HEADER_RE = _HeaderAttributes(attributes.HEADER_RE)
        if footnotes := stock(md.parser.blockprocessors, "footnote", FootnoteBlockProcessor):
            footnotes.RE = _FOOTNOTE_DEFINITION_RE
        if abbreviations := stock(md.parser.blockprocessors, "abbr", AbbrBlockprocessor):
            abbreviations.RE = _ABBREVIATION_RE
        if headings := stock(md.parser.blockprocessors, "hashheader", HashHeaderProcessor):
            headings.RE = _TailSearch(headings.RE)
        if rules := stock(md.parser.blockprocessors, "hr", HRProcessor):
            rules.SEARCH_RE = _TailSearch(rules.SEARCH_RE)
        html = md.preprocessors["html_block"] if "html_block" in md.preprocessors else None
        bounded = {HtmlBlockPreprocessor: _HtmlBlocks, MarkdownInHtmlPreprocessor: _HtmlBlocksExtra}.get(type(html))
        if bounded is not None and _start_tags_as_stock():
            _replace(md.preprocessors, "html_block", bounded(md))
        if tables := stock(md.parser.blockprocessors, "table", TableProcessor):
            _replace(md.parser.blockprocessors, "table", _TableHead(md.parser, tables.config))

    def reset(self) -> None:
        """Forget the last document's texts (called by ``Markdown.reset``)."""
        for pairs in self._pairs:
            pairs.clear()
