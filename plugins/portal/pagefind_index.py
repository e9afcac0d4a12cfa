"""Pagefind's index files for a search bundle, written here from its records instead of by the Pagefind binary.

Pagefind spent 21.6 CPU-seconds of a 73 CPU-second cold build at 10,000 articles (1.8 ms a record) reading the
minimal HTML pages the search step wrote for it, tokenising them and compressing its files. The records are ours and
plain: this module turns them into the same files, in the format of the Pagefind it pins (FORMAT: its
JavaScript and WebAssembly, which bundle 0's Pagefind run still writes, read them in the browser):

- ``fragment/<hash>.pf_fragment``: a record as JSON (its URL, text, word count, filters and meta);
- ``index/<hash>.pf_index``: the words (CBOR), grouped by their form without tone marks, each with the pages and
  positions it has in the text (weighted: the first line is a heading) and in the meta fields;
- ``filter/<hash>.pf_filter``: each filter's values and their pages; ``pagefind.<hash>.pf_meta``: the pages,
  the word chunks' ranges, the filters, the sort orders and the meta fields; ``pagefind-entry.json``.

Each file is gzip of ``pagefind_dcd`` and the data, as Pagefind writes it. How Pagefind cuts and weighs words was
read from its output for the pinned version (tests/unit/test_pagefind_index.py decodes both and compares them
over the same records). A record with a character outside those cases (``indexable``: an emoji, a script other
than Latin) is left to the Pagefind binary, bundle by bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import unicodedata
from collections.abc import Iterable
from operator import sub
from pathlib import Path
from typing import Any

from deflate import gzip_compress

__all__ = ["FORMAT", "MAX_PAGES", "indexable", "supported", "write_bundle"]

FORMAT = "1.5.2"  # the Pagefind whose files these are; another installed version gets the binary's own
LANGUAGE = "vi"
SIGNATURE = b"pagefind_dcd"
# Characters Pagefind keeps in a word besides letters and digits (its default ``include_characters``).
INCLUDE = "_‿⁀⁔︳︴﹍﹎﹏＿"
_SPLIT_PUNCT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
# The characters whose handling was checked against Pagefind: printable ASCII and tabs, Latin-1 and Latin
# Extended-A/B but the two emoji (© ®), Vietnamese's Latin Extended Additional, general punctuation from the
# dashes to the ellipsis, ‰ to ※, and the đồng sign. Pagefind adds emoji as words of their own, by a table.
_SAFE = re.compile("[\t\n\x20-\x7e\u00a0-\u00a8\u00aa-\u00ac\u00af-\u024f\u1e00-\u1eff"
                   "\u2010-\u2027\u2030-\u203b\u20ab]*")
_PATH = re.compile(r"/(?:[A-Za-z0-9._~-]+/)*")
_TITLE = frozenset("ǅǈǋǲ")  # the title-case letters of _SAFE
_DEFAULT_WEIGHT = 24  # a word's weight 1 (Pagefind weighs in 24ths); a first line, its h1, 7
_HEADING_WEIGHT = 7 * _DEFAULT_WEIGHT
# Pages of one bundle the tables encode (_tables: a page's number, a form's list of pages); search.plan makes
# bundles of search_bundle_size records (120), and a larger one goes to the binary.
MAX_PAGES = 0xFFFF
CHUNK_BYTES = 200_000  # a word index chunk's data, about: Pagefind's are 200-220 KB for these records


def supported(version: str | None) -> bool:
    """Whether files in FORMAT suit the installed Pagefind ``version`` (its scripts read them)."""
    return version == FORMAT


def indexable(item: dict[str, Any]) -> bool:
    """Whether this module writes what Pagefind would for the record ``item``: every character of its text,
    meta and filters is one whose handling was checked, its title is set, its text has a line, its meta and filter
    values are single-spaced (Pagefind would space them so), its sort values are numbers and its URL a plain
    path (Pagefind makes it from the page's folder)."""
    meta = item["meta"]
    if not meta.get("title") or not str(item.get("content", "")).strip() or not _PATH.fullmatch(item["url"]):
        return False
    values = [*meta.values(), *(v for listed in item["filters"].values() for v in listed)]
    return (_SAFE.fullmatch(item["content"]) is not None
            and all(_SAFE.fullmatch(v) and (not v or " ".join(v.split()) == v) for v in values)
            and all(v.isdigit() and v.isascii() for v in item["sort"].values()))


def _lower(text: str) -> str:
    """Lower-case as Pagefind does, character by character: a title-case letter (ǅ) stays as it is."""
    if _TITLE.isdisjoint(text):
        return text.lower()
    return "".join(c.lower() if c.isupper() else c for c in text)


def _sentence_end(c: str) -> bool:
    """Whether Pagefind ends a block that ends with ``c`` (as written in the HTML) with a full stop."""
    return c.isalpha() or c.isdecimal() or c in "_)$*"


def _discrete(word: str) -> list[str]:
    """A word cut as Pagefind cuts a compound (convert_case's lower case): at ASCII punctuation, between a lower
    and an upper case letter, letters and digits, and before the last capital of an acronym."""
    parts: list[str] = []
    for chunk in word.translate(_SPLIT_PUNCT).split():
        start, n = 0, len(chunk)
        for i in range(1, n):
            a, b = chunk[i - 1], chunk[i]
            a_digit, b_digit = "0" <= a <= "9", "0" <= b <= "9"
            if ((a.islower() and (b.isupper() or b_digit)) or (a.isupper() and b_digit)
                    or (a_digit and (b.isupper() or b.islower()))
                    or (a.isupper() and b.isupper() and i + 1 < n and chunk[i + 1].islower())):
                parts.append(chunk[start:i])
                start = i
        parts.append(chunk[start:])
    return [p.lower() for p in parts]


def _forms(word: str) -> tuple[str, tuple[str, ...]]:
    """The form a word is indexed under at its weight (its letters, digits and INCLUDE, lower case), and the parts
    indexed at a share of it: those of a compound (punctuation inside, or a capital after its first letter), cut
    as ``_discrete`` cuts, of two bytes or more; or the word with its other characters, if it has any."""
    alnum = _lower("".join(c for c in word if c.isalnum() or c in INCLUDE))
    if not alnum:
        return "", ()
    if word.isalnum() and not any(c.isupper() for c in word[1:]):
        return alnum, ()
    cut = _discrete(word)
    if len(cut) == 1 and alnum.startswith(cut[0]):
        return alnum, ()
    return alnum, tuple(p for p in cut if len(p.encode()) > 1)


_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {}
_FOLDED: dict[str, str] = {}


def _fold(form: str) -> str:
    """A form without its tone and vowel marks (đ stays): the key Pagefind groups its forms under."""
    folded = _FOLDED.get(form)
    if folded is None:
        folded = form if form.isascii() else "".join(
            c for c in unicodedata.normalize("NFD", form) if not unicodedata.category(c).startswith("M"))
        _FOLDED[form] = folded
    return folded


def _note(words: list[str], base: int, plain: dict[str, list[int]], shared: dict[str, list[int]],
          weight: int) -> None:
    """Note where each of ``words`` (from position ``base``) goes: its form's position in ``plain``; the parts of
    a compound in ``shared``, as ``weight`` << 20 | position with their share of ``weight``."""
    forms_of = _FORMS
    for i, word in enumerate(words, base):
        found = forms_of.get(word)
        if found is None:
            found = forms_of[word] = _forms(word)
        form, parts = found
        if form:
            got = plain.get(form)
            if got is None:
                plain[form] = [i]
            else:
                got.append(i)
        if parts:
            share = max(1, weight // len(parts)) << 20 | i if weight else i
            for part in parts:
                got = shared.get(part)
                if got is None:
                    shared[part] = [share]
                else:
                    got.append(share)


def _page(item: dict[str, Any], fields: list[str]) -> tuple[dict[str, Any], list[str], int]:
    """A record's fragment data, its words as Pagefind reads them, and how many of them are its heading."""
    lines = [line for line in item["content"].split("\n") if line.strip()]
    words: list[str] = []
    for line in lines:
        parts = line.split()
        # Pagefind ends a block with a full stop unless it ends with punctuation; it reads the HTML, where
        # & < > " ' are entities (ending in ";").
        last = line[-1]
        if last not in "&<>\"'" and _sentence_end(last):
            parts[-1] += "."
        words += parts
    meta = {k: v for k, v in sorted(item["meta"].items()) if v}
    data = {"url": item["url"], "content": " ".join(words), "word_count": len(words) or 1,
            "filters": {k: list(values) for k, values in sorted(item["filters"].items())},
            "meta": meta, "anchors": []}
    return data, words, len(lines[0].split())  # the first line: the h1 Pagefind weighs 7


def _locs(plain: list[int] | None, heading: list[int] | None, shared: list[int] | None) -> list[int]:
    """A form's weighted positions in a page as Pagefind packs them: by weight, each run after its weight
    (negated, less one) and its positions as steps from the one before."""
    entries = [_DEFAULT_WEIGHT << 20 | p for p in plain or ()] + [_HEADING_WEIGHT << 20 | p for p in heading or ()]
    entries += shared or ()
    entries.sort()
    out: list[int] = []
    weight, last = -1, 0
    for entry in entries:
        w, position = entry >> 20, entry & 0xFFFFF
        if w != weight:
            out += (-w - 1, position)
            weight = w
        else:
            out.append(position - last)
        last = position
    return out


def _steps(positions: list[int]) -> list[int]:
    """Positions as the first and then the steps between them, as Pagefind packs them."""
    return [positions[0], *map(sub, positions[1:], positions)]


# CBOR (RFC 8949) as minicbor writes Pagefind's structures: definite lengths, the shortest heads.
def _head(major: int, n: int, out: bytearray) -> None:
    if n < 24:
        out.append(major << 5 | n)
    elif n < 0x100:
        out += bytes((major << 5 | 24, n))
    elif n < 0x10000:
        out.append(major << 5 | 25)
        out += n.to_bytes(2, "big")
    elif n < 0x100000000:
        out.append(major << 5 | 26)
        out += n.to_bytes(4, "big")
    else:
        out.append(major << 5 | 27)
        out += n.to_bytes(8, "big")


# CBOR's encodings of the small integers and of the lists' heads, filled by _tables() when a bundle is written (made
# at import, they took 30 ms of every build's start). They hold the integers below _TABLE, or below the bundle's
# number of pages where that is more (write_bundle); a larger one is encoded by _head, to the same bytes. Holding
# 65,536 each, they took 0.05 s of each of the two writers of an edit build's 120-page bundles, on the core beside the
# build's. Positions in a page are below 4,096 but in the longest pages.
_TABLE = 4096
_SMALL: list[bytes] = []
_SMALL_NEG: list[bytes] = []
_LIST: list[bytes] = []
_ONE: list[bytes] = []  # the locations of a form met once, at the default weight, not in the meta: most of them


def _tables(size: int) -> None:
    """Make the tables hold the integers below ``size`` (at least _TABLE, at most 65,536)."""
    size = min(max(size, _TABLE), 0x10000)
    for table, major in ((_SMALL, 0), (_SMALL_NEG, 1), (_LIST, 4)):
        table.extend(_encoded(major, n) for n in range(len(table), size))
    if not _ONE:
        _ONE.extend(b"\x82\x38\x18" + _SMALL[p] + b"\x80" for p in range(_TABLE))


def _encoded(major: int, n: int) -> bytes:
    out = bytearray()
    _head(major, n, out)
    return bytes(out)


def _cbor(value: Any, out: bytearray) -> None:
    """Append ``value`` (lists, strings, integers) to ``out``."""
    if type(value) is int:
        if 0 <= value < len(_SMALL):
            out += _SMALL[value]
        elif -len(_SMALL_NEG) <= value < 0:
            out += _SMALL_NEG[-1 - value]
        elif value >= 0:
            _head(0, value, out)
        else:
            _head(1, -1 - value, out)
    elif type(value) is str:
        data = value.encode()
        _head(3, len(data), out)
        out += data
    else:
        _head(4, len(value), out)
        for v in value:
            _cbor(v, out)


def _ints(values: list[int], out: bytearray) -> None:
    """Append a list of small integers (positions) to ``out``: the hot path of the word index."""
    _head(4, len(values), out)
    small, neg, size = _SMALL, _SMALL_NEG, len(_SMALL)
    for v in values:
        if 0 <= v < size:
            out += small[v]
        elif -size <= v < 0:
            out += neg[-1 - v]
        else:
            _cbor(v, out)


def _packed(data: bytes) -> bytes:
    return gzip_compress(SIGNATURE + data, 6)


def _name(data: bytes, taken: set[str]) -> str:
    """A file's name: the language and the start of a digest of its data, longer where two would meet."""
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    size = 10
    while f"{LANGUAGE}_{digest[:size]}" in taken:
        size += 1
    name = f"{LANGUAGE}_{digest[:size]}"
    taken.add(name)
    return name


def _f32(value: str) -> float:
    """A sort value as Pagefind compares numbers: as a 32-bit float."""
    return struct.unpack("f", struct.pack("f", float(int(value))))[0]


def _rest(locs: list[int], meta_locs: list[int]) -> bytes:
    out = bytearray()
    _ints(locs, out)
    _ints(meta_locs, out)
    return bytes(out)


def _page_words(words: list[str], heading: int, metas: list[tuple[int, str]], number: int,
                forms: dict[str, list[tuple[int, bytes]]]) -> None:
    """Add page ``number`` to the list in ``forms`` of each form of its words, with the form's locations there
    packed (CBOR): in the text, then in the meta."""
    plain: dict[str, list[int]] = {}
    top: dict[str, list[int]] = {}
    shared: dict[str, list[int]] = {}
    _note(words[:heading], 0, top, shared, _HEADING_WEIGHT)
    _note(words[heading:], heading, plain, shared, _DEFAULT_WEIGHT)
    in_meta = []
    # The forms met in the heading or the meta, in the order met: a set's order changes with each process's string
    # hashes, and the order forms enter ``forms`` is the order of a word's variants in the index (two cold builds
    # wrote a bundle's "hạn" and "hán" in either order).
    special = dict.fromkeys(top)
    special.update(dict.fromkeys(shared))
    for field, value in metas:
        found: dict[str, list[int]] = {}
        _note(value.split(), 0, found, found, 0)
        in_meta.append((field, found))
        special.update(dict.fromkeys(found))
    small, ones, heads, size = _SMALL, _ONE, _LIST, len(_SMALL)
    for form, positions in plain.items():
        if form in special:
            continue
        if len(positions) == 1 and positions[0] < len(ones):
            rest = ones[positions[0]]
        elif positions[-1] < size - 2:  # the steps, in C (map over the positions and the ones before them); the
            # list's head and each step in the tables: fewer than size - 1 positions, each below size
            rest = b"".join((heads[len(positions) + 1], b"\x38\x18", small[positions[0]],
                             *map(small.__getitem__, map(sub, positions[1:], positions)), b"\x80"))
        else:
            rest = _rest([-_DEFAULT_WEIGHT - 1, *_steps(positions)], [])
        got = forms.get(form)
        if got is None:
            forms[form] = [(number, rest)]
        else:
            got.append((number, rest))
    for form in special:
        meta_locs = []
        for field, found in in_meta:
            positions = found.get(form)
            if positions:
                meta_locs += (-field - 1, *_steps(sorted(positions)))
        rest = _rest(_locs(plain.get(form), top.get(form), shared.get(form)), meta_locs)
        forms.setdefault(form, []).append((number, rest))


def _word_chunks(forms: dict[str, list[tuple[int, bytes]]]) -> list[tuple[str, str, bytes]]:
    """The word index cut in chunks (CHUNK_BYTES each, about): their first and last keys and their data."""
    by_key: dict[str, list[str]] = {}
    for form in forms:
        key = _fold(form)
        got = by_key.get(key)
        if got is None:
            by_key[key] = [form]
        else:
            got.append(form)
    chunks: list[tuple[str, str, bytes]] = []
    parts: list[bytes] = []
    size, first, count = 0, "", 0
    small, heads = _SMALL, _LIST
    for key in sorted(by_key):
        entry = bytearray(b"\x83")
        _cbor(key, entry)
        variants = bytearray()
        others = 0
        for form in by_key[key]:
            listed = forms[form]
            packed = [heads[len(listed)]]
            last = 0
            for number, rest in listed:
                packed += (b"\x83", small[number - last], rest)
                last = number
            if form == key:
                entry += b"".join(packed)
            else:
                variants.append(0x82)
                _cbor(form, variants)
                variants += b"".join(packed)
                others += 1
        if key not in forms:
            entry.append(0x80)
        _head(4, others, entry)
        entry += variants
        if not count:
            first = key
        parts.append(bytes(entry))
        size += len(entry)
        count += 1
        if size >= CHUNK_BYTES:
            chunks.append((first, key, _list(count, parts)))
            parts, size, count = [], 0, 0
    if count:
        chunks.append((first, key, _list(count, parts)))
    return chunks


def _list(count: int, parts: list[bytes]) -> bytes:
    """A word index chunk (Pagefind's WordIndex: a struct of one field, the list of ``parts``)."""
    out = bytearray(b"\x81")
    _head(4, count, out)
    return bytes(out) + b"".join(parts)


def write_bundle(records: Iterable[dict[str, Any]], folder: Path) -> None:
    """Write the Pagefind files of ``records`` (each ``indexable``, MAX_PAGES at most) into ``folder``, pages in
    their order."""
    items = list(records)
    _tables(len(items) + 1)  # _word_chunks takes a form's number of pages and the steps between them from the tables
    fields = sorted({k for item in items for k, v in item["meta"].items() if v})
    forms: dict[str, list[tuple[int, bytes]]] = {}  # form → (page, its packed locations there) in page order
    pages, taken, files = [], set(), {}
    filters: dict[str, dict[str, list[int]]] = {}
    sorts: dict[str, list[tuple[float, int]]] = {}
    for number, item in enumerate(items):
        data, words, heading = _page(item, fields)
        metas = [(i, data["meta"][name]) for i, name in enumerate(fields) if name in data["meta"]]
        _page_words(words, heading, metas, number, forms)
        for name, values in data["filters"].items():
            by_value = filters.setdefault(name, {})
            for value in values:
                by_value.setdefault(value, []).append(number)
        for name, value in item["sort"].items():
            sorts.setdefault(name, []).append((_f32(value), number))
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        name = _name(encoded, taken)
        files[f"fragment/{name}.pf_fragment"] = encoded
        pages.append([name, data["word_count"]])
    bounds = []
    for first, last, data in _word_chunks(forms):
        name = _name(data, taken)
        files[f"index/{name}.pf_index"] = data
        bounds.append([first, last, name])
    for i in range(len(bounds) - 1):  # each chunk's range ends one letter past what it shares with the next
        a, b = bounds[i][1], bounds[i + 1][0]
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        bounds[i][1], bounds[i + 1][0] = a[:common + 1], b[:common + 1]
    meta_filters = []
    for filter_name, by_value in filters.items():
        data = bytearray()
        _cbor([filter_name, [[value, listed] for value, listed in by_value.items()]], data)
        name = _name(data, taken)
        files[f"filter/{name}.pf_filter"] = bytes(data)
        meta_filters.append([filter_name, name])
    # Pagefind sorts numbers as 32-bit floats (12-digit dates tie by the minute's hundreds), ties in page order
    meta_sorts = [[sort_name, [number for _, number in sorted(values, key=lambda pair: pair[0])]]
                  for sort_name, values in sorted(sorts.items())]
    meta = bytearray()
    _cbor([FORMAT, pages, bounds, meta_filters, meta_sorts, fields], meta)
    meta_name = _name(meta, taken)
    files[f"pagefind.{meta_name}.pf_meta"] = bytes(meta)
    for folder_name in ("fragment", "index", "filter"):
        os.makedirs(folder / folder_name, exist_ok=True)
    for rel, data in files.items():
        with open(folder / rel, "wb") as f:
            f.write(_packed(data))
    entry = {"version": FORMAT, "languages": {LANGUAGE: {"hash": meta_name, "wasm": None, "page_count": len(items)}},
             "include_characters": list(INCLUDE)}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")
