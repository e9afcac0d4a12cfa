"""Which search bundles can hold a word: a small summary the search page reads before Pagefind.

The index is cut into bundles, newest first (``search.plan``). Without a
summary the page can only open bundles in date order until a word turns up,
so a name that appears only in ten-year-old news costs the reader several
clicks. The summary maps every folded word (``vietnamese.fold``, so "đua",
"dua" and "dưa" are one entry) to the bundles that contain it, in shards
by the word's first two letters (``tim-kiem/tu/<key>.json``): a query
downloads one shard per word, a few KB, and then opens only the bundles
that hold every word.

A shard is a JSON object ``{word: bundles}``; ``bundles`` is ``"*"`` for a
word in every bundle of records, else ranges of bundle numbers in base 36
("1-c,f"; bundle 0, Pagefind's primary index, holds no records).
The key ``"đ"`` lists the shard's words that are also spelled with a leading
đ, so the page can try "đua" for a typed "dua" in a phrase (Pagefind folds
tone marks but not đ).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .vietnamese import fold, words

if TYPE_CHECKING:
    from .cache import Memo
    from .search import Bundle

__all__ = ["EVERY", "FOLDER", "Summary", "article_text", "key_of", "ranges", "summarise", "unranges", "words_of"]

FOLDER = "tim-kiem/tu"
EVERY = "*"  # the value of a word in every bundle of records
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def key_of(word: str) -> str:
    """The shard a folded word lives in: its first two characters."""
    return word[:2]


def article_text(title: str, summary: str, body: str) -> str:
    """An article's search text: its title, lead and plain body. The reader digests it once per file (its
    ``portal_text``, which keys its bundle's words) and the search step makes it for Pagefind (search._text)."""
    return f"{title}\n{summary}\n{body}"


def words_of(texts: Iterable[str]) -> tuple[set[str], set[str], int]:
    """(folded words, folded words that were spelled with a leading đ, postings) of some texts.

    Postings are the (word, text) pairs, what a word index stores: they estimate its size.
    """
    surface: set[str] = set()
    postings = 0
    for text in texts:
        found = set(words(text.lower()))
        postings += len({fold(w) for w in found})
        surface |= found
    folded = {fold(w) for w in surface}
    return folded, {fold(w) for w in surface if w.startswith("đ")}, postings


def _base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = _DIGITS36[digit] + out
        if not number:
            return out


def ranges(numbers: list[int]) -> str:
    """Sorted bundle numbers as base-36 ranges: [0, 1, 2, 5] → "0-2,5"."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(_base36(start) if start == prev else f"{_base36(start)}-{_base36(prev)}")
        if n is not None:
            start = prev = n
    return ",".join(parts)


def unranges(value: str) -> set[int] | None:
    """A shard's value back to bundle numbers, as summary.js reads it (None: ``EVERY`` bundle)."""
    if value == EVERY:
        return None
    out: set[int] = set()
    for part in value.split(","):
        first, _, last = part.partition("-")
        out.update(range(int(first, 36), int(last or first, 36) + 1))
    return out


@dataclass
class Summary:
    files: dict[str, bytes]  # rel path → bytes of every shard
    postings: list[int]  # per bundle (0 first): its (word, record) pairs


def memo_key(bundle: Bundle) -> str:
    """Where a build's memo keeps a bundle's words (search.Indexing fills it ahead for the bundles that changed):
    under its texts' digest (Bundle.words_key), which its words are made of."""
    return f"words:{bundle.words_key}"


def bundle_words(bundle: Bundle) -> tuple[set[str], set[str], int]:
    """``words_of`` a bundle's records."""
    return words_of(item["content"] for item in bundle.records)


def _bundle_words(bundle: Bundle, memo: Memo | None) -> tuple[set[str], set[str], int]:
    """``bundle_words``; with a memo, kept under the bundle's key for the next build."""
    return bundle_words(bundle) if memo is None else memo.fetch(memo_key(bundle), lambda: bundle_words(bundle))


def summarise(bundles: list[Bundle], memo: Memo | None = None) -> Summary:
    """The shards of the summary of ``bundles``, and each bundle's postings.

    Tokenising every record costs seconds in a large archive, so with a ``memo`` (a build's) each
    bundle's words are kept under its key: an edit re-reads only the bundle it changed.
    """
    where: dict[str, list[int]] = defaultdict(list)
    stroked: set[str] = set()
    postings = [0]
    records = bundles[1:]  # bundle 0 is the placeholder primary index (search.plan)
    for bundle in records:
        folded, with_d, count = _bundle_words(bundle, memo)
        postings.append(count)
        for word in folded:
            where[word].append(bundle.number)
        stroked |= with_d
    shards: dict[str, dict[str, str | list[str]]] = defaultdict(dict)
    everywhere = len(records)
    for word in sorted(where):
        numbers = where[word]  # ascending: bundles were walked in order
        shards[key_of(word)][word] = EVERY if len(numbers) == everywhere else ranges(numbers)
    for word in sorted(stroked):
        shards[key_of(word)].setdefault("đ", []).append(word)  # type: ignore[union-attr]
    return Summary({f"{FOLDER}/{key}.json": json.dumps(shard, ensure_ascii=False, separators=(",", ":")).encode()
                    for key, shard in sorted(shards.items())}, postings)
