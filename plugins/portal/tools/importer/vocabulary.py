"""Suggestions of campaigns, clusters, provinces, exemplars and awards named in an article.

``Vocabulary`` holds every record's name and aliases, folded (no diacritics),
and finds them in the text longest match first, with the checks that keep
street names, lower-case words and names that fold alike from becoming false
suggestions. Namesakes (exemplars one name may stand for) are told apart by
the provinces the article names; when it cannot tell, the suggestion says
"không chắc" and the draft only mentions it. The byline reader also asks it
whether a name is a place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ...model import Record
from ...records import MarkdownRenderer, RecordSet, load_records
from ...schema import RECORD_KINDS
from ...vietnamese import fold, nfc
from .common import FRONT_MATTER_KINDS, KIND_LABELS, _excerpt
from .report import Suggestion

# Words after which a province name is a street, a person or a smaller place ("đại lộ Hòa Bình",
# "tư tưởng Hồ Chí Minh"), compared in lower case with their diacritics.
_NOT_PROVINCE_AFTER = {
    "đường", "phố", "đại lộ", "xã", "phường", "huyện", "quận", "thị xã", "thị trấn", "thôn", "bản", "ấp", "cầu",
    "chợ", "sông", "núi", "hồ", "đèo", "đảo", "vịnh", "khách sạn", "công ty", "chủ tịch", "bác", "tư tưởng",
    "phong cách", "đạo đức", "cộng sản", "lăng", "báo", "đài", "quảng trường", "sân bay", "bến xe", "trường",
    "nhà hát", "bảo tàng", "khu", "ngõ", "hẻm",
}

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Entry:
    kind: str
    slug: str
    exact: tuple[str, ...]  # lower-case NFC words, to choose between names that fold alike
    proper: bool  # a proper name: its words must be capitalised in the text
    bare_province: bool  # a province name without "tỉnh"/"thành phố": may be a street or a person
    prefix: int = 0  # words of "tỉnh"/"thành phố"/"TP" before the name
    note: str = ""
    marks: tuple[bool, ...] = ()  # between each two words of the name: punctuation ("Bà Rịa - Vũng Tàu")


class Vocabulary:
    """Names and aliases of every record, folded, for longest-match-first suggestions."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._keys: dict[tuple[str, ...], list[_Entry]] = {}
        self._longest: dict[str, int] = {}
        self._province: dict[str, str] = {}  # exemplar slug -> its province's slug
        self._merged: dict[str, str] = {}  # province slug -> the province it was merged into (1/7/2025)
        self.size = 0
        for record in records:
            self.size += 1
            data = record.data
            if record.type == "exemplars" and data.get("province"):
                self._province[record.slug] = str(data["province"])
            if record.type == "provinces" and data.get("merged_into"):
                self._merged[record.slug] = str(data["merged_into"])
            proper = record.type == "provinces" or (record.type == "exemplars" and data.get("kind") == "person")
            note = f"tên cũ, nay là {data['replaced_by']}" if data.get("replaced_by") else ""
            for name in dict.fromkeys(filter(None, [record.name, data.get("short_name"), *record.alias_names])):
                name = nfc(str(name))
                words = list(_WORD.finditer(name))
                if not words:
                    continue
                exact = tuple(w.group().lower() for w in words)
                folded = tuple(fold(w) for w in exact)
                marks = tuple(bool(name[a.end():b.start()].strip()) for a, b in pairwise(words))
                bare = record.type == "provinces"
                self._add(folded, _Entry(record.type, record.slug, exact, proper, bare, 0, note, marks))
                if bare:
                    for prefix, gaps in ((("tinh",), (False,)), (("thanh", "pho"), (False, False)),
                                         (("tp",), (True,))):
                        self._add(prefix + folded, _Entry(record.type, record.slug, exact, True, False,
                                                          len(prefix), note, gaps + marks))

    @classmethod
    def from_content(cls, content: Path) -> Vocabulary:
        """Every record under ``content`` (records with errors are skipped, as the build would)."""
        records: RecordSet = load_records(content, MarkdownRenderer())
        return cls(r for kind in RECORD_KINDS for r in records.all(kind))

    def _add(self, key: tuple[str, ...], entry: _Entry) -> None:
        entries = self._keys.setdefault(key, [])
        if not any(e.kind == entry.kind and e.slug == entry.slug for e in entries):
            entries.append(entry)
        self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    def is_place(self, text: str) -> bool:
        """True when ``text`` is exactly the name of a province or a locality."""
        entries = self._keys.get(tuple(fold(w) for w in _WORD.findall(text)), [])
        return any(e.kind == "provinces" or e.kind == "exemplars" and not e.proper for e in entries)

    def suggest(self, parts: Sequence[tuple[str, str]]) -> tuple[list[Suggestion], list[str]]:
        """Scan (where, text) parts in reading order; return suggestions and notes on skipped matches."""
        found: dict[tuple[str, str], Suggestion] = {}
        skipped: dict[tuple[str, str], str] = {}
        namesakes: dict[tuple[str, ...], str] = {}  # exemplar slugs one name stood for -> the name
        alone: set[str] = set()  # exemplars also named on their own somewhere
        for where, text in parts:
            words = list(_WORD.finditer(text))
            folded = [fold(w.group()) for w in words]
            i = 0
            while i < len(words):
                i += self._match_at(i, words, folded, text, where, found, skipped, (namesakes, alone))
        resolved: list[str] = []
        for group, matched in namesakes.items():
            resolved += self._namesakes(group, matched, found, alone)
        order = {k: n for n, k in enumerate((*FRONT_MATTER_KINDS, "awards"))}
        notes = [note for key, note in skipped.items() if key not in found] + resolved
        return sorted(found.values(), key=lambda s: order[s.kind]), notes

    def _province_weight(self, slug: str, provinces: dict[str, int]) -> float:
        """How strongly the article's provinces point to an exemplar's: a mention of its own province
        counts 1, of the province it merged into (or one merged into it) ½."""
        own = self._province.get(slug, "")
        if not own:
            return 0.0
        weight = float(provinces.get(own, 0))
        for named, count in provinces.items():
            if named != own and (self._merged.get(own) == named or self._merged.get(named) == own):
                weight += count / 2
        return weight

    def _namesakes(self, group: tuple[str, ...], matched: str, found: dict[tuple[str, str], Suggestion],
                   alone: set[str]) -> list[str]:
        """One name, several exemplars: keep the one of the article's province, or mark them all unsure.

        The weight of each is ``_province_weight``; one exemplar also named on its own (by an alias)
        settles a tie. Returns the notes for the report.
        """
        present = [slug for slug in group if ("exemplars", slug) in found]
        if len(present) < 2:
            return []
        provinces = {s.slug: s.count for s in found.values() if s.kind == "provinces"}
        weights = {slug: self._province_weight(slug, provinces) for slug in present}
        best = max(weights.values())
        top = [slug for slug in present if weights[slug] == best]
        named_alone = [slug for slug in top if slug in alone]

        def where(slug: str) -> str:
            return f"{slug} ({self._province.get(slug) or 'không rõ tỉnh'})"

        if best > 0 and len(top) == 1:
            chosen, why = top[0], f"bài nhắc tỉnh, thành {self._province[top[0]]}"
        elif len(named_alone) == 1:
            chosen, why = named_alone[0], "bài còn gọi người này bằng tên khác của riêng người đó"
        else:
            named = sorted({self._province[s] for s in top if weights[s] > 0})
            why = (f"bài nhắc {' và '.join(named)} ngang nhau" if named else
                   "bài không nhắc tỉnh, thành nào của những người này")
            for slug in present:
                others = ", ".join(where(o) for o in present if o != slug)
                found[("exemplars", slug)].unsure = f"không chắc: ‘{matched}’ cũng là tên của {others}; {why}"
            candidates = " hay ".join(where(s) for s in present)
            advice = "biên tập viên chọn người đúng (bản nháp chỉ ghi gợi ý trong chú thích)"
            return [f"không chắc: ‘{matched}’ là {candidates}? {why}; {advice}"]
        others = [o for o in present if o != chosen]
        suggestion = found[("exemplars", chosen)]
        why_chosen = (f"cùng tên với {', '.join(where(o) for o in others)}: chọn người ở "
                      f"{self._province.get(chosen) or '?'} vì {why}")
        suggestion.note = "; ".join(filter(None, [suggestion.note, why_chosen]))
        for other in others:
            del found[("exemplars", other)]
        return [f"không gợi ý điển hình {where(o)}: cùng tên ‘{matched}’ với {where(chosen)}, {why}" for o in others]

    def _match_at(self, i: int, words: list[re.Match], folded: list[str], text: str, where: str,
                  found: dict, skipped: dict, people_seen: tuple[dict, set]) -> int:
        for length in range(min(self._longest.get(folded[i], 0), len(words) - i), 0, -1):
            entries = self._keys.get(tuple(folded[i:i + length]))
            if not entries:
                continue
            span = words[i:i + length]
            matched = text[span[0].start():span[-1].end()]
            accepted = []
            for entry in entries:
                if any(text[a.end():b.start()].strip() and not mark
                       for a, b, mark in zip(span, span[1:], entry.marks, strict=False)):
                    continue  # "Hòa Bình; Đường điện" is not "Bình Dương"
                why_not = self._reject(entry, words, i, span)
                if why_not:
                    skipped.setdefault((entry.kind, entry.slug),
                                       f"không gợi ý {KIND_LABELS[entry.kind]} {entry.slug}: ‘{matched}’ ở {where} "
                                       f"{why_not}")
                else:
                    accepted.append(entry)
            chosen = self._disambiguate(accepted, span)
            people = tuple(sorted(e.slug for e in chosen if e.kind == "exemplars"))
            if len(people) > 1:
                people_seen[0].setdefault(people, _excerpt(matched, 80))
            elif people:
                people_seen[1].add(people[0])
            for entry in chosen:
                key = (entry.kind, entry.slug)
                twins = [e.slug for e in chosen if e.kind == entry.kind and e is not entry]
                note = "; ".join(filter(None, [entry.note, f"cùng tên khi bỏ dấu với {', '.join(twins)}: "
                                                           "giữ một" if twins and entry.kind != "exemplars" else ""]))
                if key in found:
                    found[key].count += 1
                else:
                    found[key] = Suggestion(entry.kind, entry.slug, _excerpt(matched, 80), where, note=note)
            if accepted:
                return length
        return 1

    @staticmethod
    def _reject(entry: _Entry, words: list[re.Match], i: int, span: list[re.Match]) -> str:
        if entry.proper and not all(w.group()[0].isupper() or w.group()[0].isdigit() for w in span[entry.prefix:]):
            return "viết thường (không phải tên riêng)"
        if entry.bare_province:
            before = [w.group().lower() for w in words[max(0, i - 2):i]]
            for n in (1, 2):
                if len(before) >= n and " ".join(before[-n:]) in _NOT_PROVINCE_AFTER:
                    return f"đứng sau ‘{' '.join(before[-n:])}’ (tên đường, người hay nơi khác)"
        return ""

    @staticmethod
    def _disambiguate(entries: list[_Entry], span: list[re.Match]) -> list[_Entry]:
        """Names that fold alike (Hùng, Hưng) in one kind: keep the one spelt as in the text."""
        exact = tuple(w.group().lower() for w in span)
        out: list[_Entry] = []
        for kind in dict.fromkeys(e.kind for e in entries):
            same = [e for e in entries if e.kind == kind]
            if len(same) > 1:
                same = [e for e in same if e.exact == exact[len(exact) - len(e.exact):]] or same
            out += same
        return out
