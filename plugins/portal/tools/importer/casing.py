"""An ALL-CAPS headline written in sentence case, when the article itself shows how.

Word documents and some portals print the headline in capitals ("NGHỆ AN TỔNG
KẾT CÔNG TÁC THI ĐUA…"). Lower-casing it blindly would break proper names
("Nghệ An", "Vì người nghèo", "UBND"), so each word takes the spelling the
article's own text gives it, longest run of words first, never from the first
word of a sentence (capitalised whatever it is). A word the text never spells,
or spells two ways in the same place ("Nam" in "Việt Nam", "nam" for men), makes
the change unsafe: the headline is kept as it is and the editor is warned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"\w+")
_BREAK = re.compile(r"[.!?…:;]")
_LONGEST = 8


def is_all_caps(title: str) -> bool:
    letters = [c for c in title if c.isalpha() and c.lower() != c.upper()]
    return len(letters) >= 8 and len(_TOKEN.findall(title)) >= 2 and all(c.isupper() for c in letters)


def _mostly_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha() and c.lower() != c.upper()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > len(letters) / 2


def _tokens(texts: Iterable[str]) -> list[list[tuple[str, str, bool]]]:
    """Per text: (lower case, as written, opens a sentence) for each word.

    A word opens a sentence at the start of a text or after ``. ! ? … : ;`` (and any opening
    quotes); a run of words never crosses such a mark.
    """
    out = []
    for text in texts:
        if not text or _mostly_caps(text):
            continue  # another line in capitals says nothing about spelling
        words = []
        last = 0
        for n, m in enumerate(_TOKEN.finditer(text)):
            gap = text[last:m.start()]
            opens = n == 0 or bool(_BREAK.search(gap))
            words.append((m.group().lower(), m.group(), opens))
            last = m.end()
        out.append(words)
    return out


def sentence_case(title: str, evidence: Iterable[str]) -> tuple[str, str]:
    """(the headline in sentence case, "") when the text settles every word; else (title, the word in doubt)."""
    texts = _tokens(evidence)
    index: dict[str, list[tuple[int, int]]] = {}
    for t, words in enumerate(texts):
        for i, word in enumerate(words):
            index.setdefault(word[0], []).append((t, i))
    spans = list(_TOKEN.finditer(title))
    lower = [m.group().lower() for m in spans]
    spelt: list[str] = []
    i = 0
    while i < len(spans):
        word = spans[i].group()
        if not any(c.isalpha() for c in word):
            spelt.append(word)
            i += 1
            continue
        for length in range(min(_LONGEST, len(spans) - i), 0, -1):
            key = lower[i:i + length]
            seen: list[set[str]] = [set() for _ in key]
            for t, start in index.get(key[0], []):
                run = texts[t][start:start + length]
                if [w[0] for w in run] != key or any(w[2] for w in run[1:]):
                    continue
                for k, (_, written, opens) in enumerate(run):
                    acronym = len(written) > 1 and written.isupper()
                    if i + k == 0 and not acronym:
                        written = written[:1].upper() + written[1:]  # the headline's first word: capitalised anyway
                    elif k == 0 and opens and not acronym:
                        continue  # a sentence's first word is capitalised whatever it is
                    seen[k].add(written)
            if all(len(s) == 1 for s in seen):
                spelt += [next(iter(s)) for s in seen]
                i += length
                break
        else:
            return title, word
    out = []
    last = 0
    for m, new in zip(spans, spelt, strict=True):
        out.append(title[last:m.start()] + new)
        last = m.end()
    text = "".join(out) + title[last:]
    first = next((n for n, c in enumerate(text) if c.isalpha()), 0)
    return text[:first] + text[first].upper() + text[first + 1:], ""
