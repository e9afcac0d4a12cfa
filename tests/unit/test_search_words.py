"""The word summary: which bundles can hold a word (search_words.py)."""

from __future__ import annotations

import json
from datetime import date

from portal.search import Bundle, bundle_years, bundles_file
from portal.search_words import ranges, summarise, unranges, words_of


def _bundle(number: int, *texts: str) -> Bundle:
    return Bundle(number, [{"content": t, "meta": {"ngay": ""}, "sort": {"date": "2024"}} for t in texts])


def test_ranges_are_base36_runs():
    assert ranges([0, 1, 2, 5]) == "0-2,5"
    assert ranges([7]) == "7"
    assert ranges([9, 10, 11, 35, 36, 40]) == "9-b,z-10,14"
    assert unranges("9-b,z-10,14") == {9, 10, 11, 35, 36, 40} and unranges("*") is None


def test_words_fold_d_stroke_and_tone_marks_and_remember_the_stroke():
    folded, stroked, postings = words_of(["Thi đua, Đắk Lắk; dưa hấu_2024", "Thi đua"])
    assert folded == {"thi", "dua", "dak", "lak", "hau", "2024"}
    assert stroked == {"dua", "dak"}
    assert postings == 6 + 2  # (word, text) pairs: what a word index stores


def test_shards_by_two_letters_with_everywhere_and_ranges():
    summary = summarise([
        _bundle(0, "Tìm kiếm"),  # Pagefind's primary index: a placeholder, never a candidate
        _bundle(1, "Thi đua yêu nước", "Nông thôn mới"),
        _bundle(2, "thi dua", "Lý Quốc Mai"),
        _bundle(3, "Thi đấu thể thao", "Đắk Lắk"),
    ])
    assert summary.postings == [0, 7, 5, 6]
    shards = {k: json.loads(v) for k, v in summary.files.items()}
    assert set(shards) == {f"tim-kiem/tu/{k}.json" for k in ("th", "du", "ye", "nu", "no", "mo", "ly", "qu", "ma",
                                                               "da", "la")}
    assert shards["tim-kiem/tu/th.json"] == {"thi": "*", "the": "3", "thao": "3", "thon": "1"}
    # "đua" in bundle 1 and "dua" in bundle 2 are one folded word; only bundle 1 spells it with đ.
    assert shards["tim-kiem/tu/du.json"] == {"dua": "1-2", "đ": ["dua"]}
    assert shards["tim-kiem/tu/da.json"] == {"dak": "3", "dau": "3", "đ": ["dak", "dau"]}
    assert shards["tim-kiem/tu/ma.json"] == {"mai": "2"}


def test_the_bundle_list_says_how_far_back_each_bundle_reaches():
    def item(day: str) -> dict:
        return {"content": "x", "meta": {"ngay": day}, "sort": {"date": "0"}}

    bundles = [Bundle(0, [item("")]), Bundle(1, [item("10/01/2024"), item("02/01/2024")]),
               Bundle(2, [item("31/12/2023"), item("")]), Bundle(3, [item("")])]
    data = json.loads(bundles_file(bundles, [0, 1000, 2000, 10])["tim-kiem/kho.json"])
    newest = (date(2024, 1, 10) - date(1970, 1, 1)).days
    assert data == {"newest": newest, "back": [8, 2, None], "kb": [6, 12, 1]}
    assert bundle_years(data) == [{2024}, {2023, 2024}, set()]
